/* `qlvb init`, `qlvb user`, `qlvb agency`, `qlvb audit`: administration from the shell. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "core/agency.h"
#include "core/audit.h"
#include "core/demo.h"
#include "doc/doc.h"
#include "core/password.h"
#include "core/role.h"
#include "core/user.h"
#include "crypto/signer.h"
#include "db/db.h"
#include "util/buf.h"
#include "util/str.h"

/* Strips --data/--db/--blobs options (accepted anywhere) into cfg; returns the new argc. */
static int take_common(int argc, char **argv, struct config *cfg)
{
    int w = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--data") && i + 1 < argc) {
            str_copy(cfg->data_dir, argv[++i], sizeof(cfg->data_dir));
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            str_copy(cfg->db_url, argv[++i], sizeof(cfg->db_url));
        } else if (!strcmp(argv[i], "--blobs") && i + 1 < argc) {
            str_copy(cfg->blob_url, argv[++i], sizeof(cfg->blob_url));
        } else {
            argv[w++] = argv[i];
        }
    }
    return w;
}

/* ---- init ---- */

int cmd_init(int argc, char **argv)
{
    struct app app = {0};
    cli_config(&app.cfg);
    argc = take_common(argc, argv, &app.cfg);
    bool demo = false;
    if (cli_wants_help(argc, argv)) {
        printf("Cách dùng: qlvb init [--data DIR] [--db URL] [--blobs URL] [--demo]\n"
               "  Tạo thư mục dữ liệu và CSDL (hoặc cập nhật cấu trúc nếu đã có).\n"
               "  --demo  thêm dữ liệu mẫu: một tỉnh với các cơ quan, người dùng, văn bản và\n"
               "          khóa ký số mẫu (mã PIN 123456, chỉ để trình diễn).\n");
        return EXIT_OK;
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--demo"))
            demo = true;
        else {
            fprintf(stderr, "qlvb init: tham số không hợp lệ '%s'\n", argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!cli_open(&app, true))
        return EXIT_FAIL;
    struct actor sys = cli_actor();
    json_t *list = NULL;
    int rc = EXIT_OK;
    if (agency_list(&app, &sys, &list) != RES_OK) {
        fprintf(stderr, "qlvb init: không đọc được danh sách cơ quan trong CSDL.\n");
        cli_close(&app);
        return EXIT_FAIL;
    }
    size_t agencies = json_array_size(list);
    json_decref(list);
    if (demo) {
        if (agencies > 0) {
            fprintf(stderr, "qlvb init: CSDL đã có dữ liệu; không thêm dữ liệu mẫu.\n");
            rc = EXIT_DATA;
        } else {
            /* The demo's signing keys are sealed by the signer process under the
             * installation's master key, as `qlvb serve` will open them. */
            struct signer signer;
            if (!cli_start_signer(&app, &signer, "qlvb init"))
                rc = EXIT_FAIL;
            else if (demo_seed(&app, stdout) != RES_OK || doc_demo_seed(&app) != RES_OK) {
                fprintf(stderr, "qlvb init: không tạo được dữ liệu mẫu.\n");
                rc = EXIT_FAIL;
            }
            if (app.signer) {
                app.signer = NULL;
                signer_release(&signer);
            }
        }
    }
    char safe[sizeof(app.cfg.db_url)];
    db_url_redact(app.cfg.db_url, safe, sizeof(safe));
    if (rc == EXIT_OK)
        printf("Đã khởi tạo: %s (phiên bản cấu trúc %d)\n", safe, db_schema_version(app.db));
    if (rc == EXIT_OK && !demo && agencies == 0)
        printf("Tiếp theo: qlvb user add --sysadmin --login <SỐ_ĐỊNH_DANH> --name \"Họ tên\"\n");
    cli_close(&app);
    return rc;
}

/* ---- user ---- */

static void user_usage(FILE *out)
{
    fprintf(out, "Cách dùng:\n"
                 "  qlvb user add --login SỐ_ĐỊNH_DANH --name \"Họ tên\" (--sysadmin | --agency MÃ "
                 "--roles clerk,specialist) [--password-stdin]\n"
                 "  qlvb user reset-password --login SỐ_ĐỊNH_DANH\n"
                 "  qlvb user lock --login SỐ_ĐỊNH_DANH\n"
                 "  qlvb user unlock --login SỐ_ĐỊNH_DANH\n"
                 "Vai trò: admin, clerk, agency_leader, department_leader, specialist\n");
}

int cmd_user(int argc, char **argv)
{
    struct app app = {0};
    cli_config(&app.cfg);
    argc = take_common(argc, argv, &app.cfg);
    if (argc < 2 || cli_wants_help(argc, argv)) {
        user_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *sub = argv[1], *login = NULL, *name = NULL, *agency_code = NULL, *roles = NULL;
    if (strcmp(sub, "add") && strcmp(sub, "reset-password") && strcmp(sub, "lock") &&
        strcmp(sub, "unlock")) {
        fprintf(stderr, "qlvb user: không có lệnh con '%s'\n", sub);
        user_usage(stderr);
        return EXIT_USAGE;
    }
    bool sysadmin = false, pw_stdin = false;
    for (int i = 2; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--login") && v)
            login = argv[++i];
        else if (!strcmp(argv[i], "--name") && v)
            name = argv[++i];
        else if (!strcmp(argv[i], "--agency") && v)
            agency_code = argv[++i];
        else if (!strcmp(argv[i], "--roles") && v)
            roles = argv[++i];
        else if (!strcmp(argv[i], "--sysadmin"))
            sysadmin = true;
        else if (!strcmp(argv[i], "--password-stdin"))
            pw_stdin = true;
        else {
            fprintf(stderr, "qlvb user: tham số không hợp lệ '%s'\n", argv[i]);
            user_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (!login) {
        fprintf(stderr, "qlvb user: thiếu --login\n");
        return EXIT_USAGE;
    }
    if (!cli_open(&app, false))
        return EXIT_FAIL;
    struct actor sys = cli_actor();
    int rc = EXIT_OK;
    int64_t uid = 0;
    bool found = user_find_by_login(&app, &sys, login, &uid) == RES_OK;
    if (!strcmp(sub, "add")) {
        char password[256] = "";
        struct verrs e = {0};
        result_t r;
        if (pw_stdin && !cli_read_password("Mật khẩu: ", password, sizeof(password))) {
            fprintf(stderr, "qlvb user: không đọc được mật khẩu\n");
            rc = EXIT_USAGE;
            goto out;
        }
        if (sysadmin) {
            if (!password[0])
                password_generate(password);
            r = user_create_sysadmin(&app, login, name ? name : "", password, &e);
        } else {
            int64_t agency = 0, id = 0;
            unsigned bits = 0;
            if (!agency_code || agency_by_code(&app, agency_code, &agency) != RES_OK) {
                fprintf(stderr,
                        "qlvb user: cần --agency với mã định danh của một cơ quan có trong CSDL\n");
                rc = EXIT_USAGE;
                goto out;
            }
            char list[200];
            str_copy(list, roles ? roles : "specialist", sizeof(list));
            char *save = NULL;
            for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                unsigned b = role_from_key(t);
                if (!b) {
                    fprintf(stderr, "qlvb user: vai trò không hợp lệ '%s'\n", t);
                    rc = EXIT_USAGE;
                    goto out;
                }
                bits |= b;
            }
            struct user_input in = {
                .login = login, .full_name = name, .password = password, .roles = bits};
            char temp[64];
            bool added;
            r = user_create(&app, &sys, agency, &in, &e, &id, temp, &added);
            if (r == RES_OK && temp[0])
                str_copy(password, temp, sizeof(password));
        }
        if (r != RES_OK) {
            for (int i = 0; i < e.count; i++)
                fprintf(stderr, "qlvb user: %s: %s\n", e.items[i].field, e.items[i].message);
            if (!e.count)
                fprintf(stderr, "qlvb user: %s\n", cli_result_text(r));
            rc = r == RES_INVALID || r == RES_CONFLICT ? EXIT_DATA : EXIT_FAIL;
        } else {
            printf("Đã tạo tài khoản %s.%s%s\n", login,
                   pw_stdin ? "" : " Mật khẩu ban đầu: ", pw_stdin ? "" : password);
        }
        explicit_bzero(password, sizeof(password));
    } else if (!strcmp(sub, "reset-password") || !strcmp(sub, "lock") || !strcmp(sub, "unlock")) {
        if (!found) {
            fprintf(stderr, "qlvb user: không có tài khoản %s\n", login);
            rc = EXIT_DATA;
            goto out;
        }
        result_t r;
        char temp[64] = "";
        if (!strcmp(sub, "reset-password"))
            r = user_reset_password(&app, &sys, uid, temp);
        else
            r = user_set_disabled(&app, &sys, uid, !strcmp(sub, "lock"));
        if (r != RES_OK) {
            fprintf(stderr, "qlvb user: %s\n", cli_result_text(r));
            rc = EXIT_FAIL;
        } else if (temp[0]) {
            printf("Mật khẩu tạm thời của %s: %s (phải đổi khi đăng nhập)\n", login, temp);
        } else {
            printf("%s tài khoản %s.\n", !strcmp(sub, "lock") ? "Đã khóa" : "Đã mở khóa", login);
        }
    } else {
        user_usage(stderr);
        rc = EXIT_USAGE;
    }
out:
    cli_close(&app);
    return rc;
}

/* ---- agency ---- */

static void agency_usage(FILE *out)
{
    fprintf(out, "Cách dùng:\n  qlvb agency import FILE.csv   (cột: mã,tên,viết tắt,mã cấp "
                 "trên; dòng tiêu đề tùy chọn)\n  qlvb agency list\n");
}

int cmd_agency(int argc, char **argv)
{
    struct app app = {0};
    cli_config(&app.cfg);
    argc = take_common(argc, argv, &app.cfg);
    if (cli_wants_help(argc, argv)) {
        agency_usage(stdout);
        return EXIT_OK;
    }
    if (argc < 2 || (strcmp(argv[1], "import") && strcmp(argv[1], "list"))) {
        agency_usage(stderr);
        return EXIT_USAGE;
    }
    struct actor sys = cli_actor();
    int rc = EXIT_OK;
    if (!strcmp(argv[1], "import")) {
        if (argc != 3) {
            fprintf(stderr, "qlvb agency import: cần đúng một tệp CSV\n");
            return EXIT_USAGE;
        }
        FILE *f = strcmp(argv[2], "-") ? fopen(argv[2], "rb") : stdin;
        if (!f) {
            fprintf(stderr, "qlvb agency import: không mở được '%s'\n", argv[2]);
            return EXIT_FAIL;
        }
        struct buf b = BUF_INIT(8 * 1024 * 1024);
        char chunk[65536];
        size_t n;
        result_t r = RES_OK;
        while (r == RES_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
            r = buf_append(&b, chunk, n);
        if (f != stdin)
            fclose(f);
        if (r != RES_OK) {
            fprintf(stderr, "qlvb agency import: tệp quá lớn (tối đa 8 MB)\n");
            buf_release(&b);
            return EXIT_DATA;
        }
        if (memchr(buf_str(&b), 0, b.len)) {
            fprintf(stderr, "qlvb agency import: tệp chứa byte NUL, không phải CSV văn bản\n");
            buf_release(&b);
            return EXIT_DATA;
        }
        if (!cli_open(&app, false)) {
            buf_release(&b);
            return EXIT_FAIL;
        }
        int created = 0, updated = 0;
        char err[300] = "";
        r = agency_import_csv(&app, &sys, buf_str(&b), &created, &updated, err, sizeof(err));
        buf_release(&b);
        if (r == RES_BUSY) {
            fprintf(stderr, "qlvb agency import: %s\n", cli_result_text(r));
            rc = EXIT_FAIL;
        } else if (r != RES_OK) {
            fprintf(stderr, "qlvb agency import: %s (không có thay đổi nào được lưu)\n",
                    err[0] ? err : result_name(r));
            rc = EXIT_DATA;
        } else {
            printf("Đã nhập: %d cơ quan mới, %d cập nhật.\n", created, updated);
        }
    } else {
        if (!cli_open(&app, false))
            return EXIT_FAIL;
        json_t *list = NULL;
        if (agency_list(&app, &sys, &list) == RES_OK) {
            size_t i;
            json_t *o;
            json_array_foreach(list, i, o)
            {
                printf("%s  %*s%s (%s, %s)%s\n", json_string_value(json_object_get(o, "code")),
                       (int)json_integer_value(json_object_get(o, "depth")) * 2, "",
                       json_string_value(json_object_get(o, "name")),
                       json_string_value(json_object_get(o, "abbr")),
                       json_string_value(json_object_get(o, "host_label")),
                       json_is_true(json_object_get(o, "active")) ? "" : " [đã khóa]");
            }
            json_decref(list);
        }
    }
    cli_close(&app);
    return rc;
}

/* ---- audit ---- */

int cmd_audit(int argc, char **argv)
{
    struct app app = {0};
    cli_config(&app.cfg);
    argc = take_common(argc, argv, &app.cfg);
    bool help = cli_wants_help(argc, argv);
    if (help || argc != 2 || strcmp(argv[1], "verify") != 0) {
        fprintf(help ? stdout : stderr,
                "Cách dùng: qlvb audit verify [--data DIR] [--db URL]\n"
                "  Kiểm tra chuỗi băm của nhật ký; báo dòng đầu tiên bị sửa hoặc xóa.\n");
        return help ? EXIT_OK : EXIT_USAGE;
    }
    if (!cli_open(&app, false))
        return EXIT_FAIL;
    struct audit_verify_report rep;
    result_t r = audit_verify(app.db, &rep);
    int rc;
    if (r == RES_OK) {
        printf("Nhật ký toàn vẹn: %lld dòng, chuỗi băm hợp lệ.\n", (long long)rep.rows);
        rc = EXIT_OK;
    } else if (r == RES_INVALID) {
        printf("NHẬT KÝ BỊ THAY ĐỔI tại dòng %lld: %s\n", (long long)rep.bad_id, rep.reason);
        rc = EXIT_DATA;
    } else {
        fprintf(stderr, "qlvb audit verify: %s\n", cli_result_text(r));
        rc = EXIT_FAIL;
    }
    cli_close(&app);
    return rc;
}
