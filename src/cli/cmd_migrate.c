/* `qlvb migrate-to-postgres --from DATA --to postgres://…`: moves an SQLite
 * installation onto PostgreSQL (rows, references, identity counters), then verifies
 * the row counts and the audit chain on the target. Refuses a non-empty target. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/audit.h"
#include "db/db.h"
#include "db/db_copy.h"
#include "util/str.h"

static void usage(FILE *out)
{
    fprintf(out, "Cách dùng: qlvb migrate-to-postgres --from DIR --to postgres://…\n"
                 "  Chuyển CSDL SQLite của thư mục dữ liệu DIR sang PostgreSQL (CSDL đích phải\n"
                 "  trống), rồi kiểm tra số dòng và chuỗi băm nhật ký trên CSDL đích. Khóa và\n"
                 "  tệp tin cậy vẫn ở DIR: sau đó chạy qlvb serve --data DIR --db URL.\n");
}

static void progress(void *arg, const char *table, int64_t done, int64_t total)
{
    (void)arg;
    int width = 30, fill = total > 0 ? (int)(done * width / total) : width;
    char bar[32];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr, "\r  %-18.18s [%s] %lld/%lld", table, bar, (long long)done, (long long)total);
    if (done == total)
        fputc('\n', stderr);
}

int cmd_migrate_to_postgres(int argc, char **argv)
{
    const char *from = NULL, *to = NULL;
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return EXIT_OK;
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--from") && i + 1 < argc) {
            from = argv[++i];
        } else if (!strcmp(argv[i], "--to") && i + 1 < argc) {
            to = argv[++i];
        } else {
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (!from || !to) {
        usage(stderr);
        return EXIT_USAGE;
    }
    char safe[4096];
    db_url_redact(to, safe, sizeof(safe));
    if (strncmp(to, "postgres://", 11) != 0 && strncmp(to, "postgresql://", 13) != 0) {
        fprintf(stderr, "qlvb migrate-to-postgres: đích phải là postgres://… ('%s')\n", safe);
        return EXIT_USAGE;
    }
    char path[4096], url[4200];
    snprintf(path, sizeof(path), "%s/qlvb.db", from);
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "qlvb migrate-to-postgres: không có CSDL SQLite '%s'.\n", path);
        return EXIT_FAIL;
    }
    snprintf(url, sizeof(url), "sqlite:%s", path);
    struct db *src = NULL, *dst = NULL;
    if (db_open(url, &src) != RES_OK) {
        fprintf(stderr, "qlvb migrate-to-postgres: không mở được '%s'.\n", path);
        return EXIT_FAIL;
    }
    int rc = EXIT_FAIL;
    bool empty = false;
    result_t r = db_open(to, &dst);
    if (r != RES_OK) {
        fprintf(stderr, "qlvb migrate-to-postgres: không kết nối được máy chủ CSDL '%s'.\n", safe);
        goto out;
    }
    if (db_copy_target_empty(dst, &empty) != RES_OK || !empty) {
        fprintf(stderr,
                "qlvb migrate-to-postgres: CSDL đích '%s' không trống; chỉ chuyển vào một CSDL "
                "mới tạo (CREATE DATABASE).\n",
                safe);
        rc = EXIT_DATA;
        goto out;
    }
    if (db_migrate(dst) != RES_OK) {
        fprintf(stderr, "qlvb migrate-to-postgres: không tạo được cấu trúc trên CSDL đích.\n");
        goto out;
    }
    int sv = db_schema_version(src), tv = db_schema_version(dst);
    if (sv != tv) {
        fprintf(stderr,
                "qlvb migrate-to-postgres: phiên bản cấu trúc nguồn %d khác %d; chạy 'qlvb init "
                "--data %s' bằng bản qlvb này trước.\n",
                sv, tv, from);
        rc = EXIT_DATA;
        goto out;
    }
    struct audit_verify_report before;
    if (audit_verify(src, &before) != RES_OK) {
        fprintf(stderr,
                "qlvb migrate-to-postgres: chuỗi băm nhật ký của nguồn không toàn vẹn "
                "(dòng %lld); không chuyển.\n",
                (long long)before.bad_id);
        rc = EXIT_DATA;
        goto out;
    }
    static struct db_copy_report rep;
    fprintf(stderr, "Chuyển '%s' sang '%s':\n", path, safe);
    r = db_copy(src, dst, progress, NULL, &rep);
    if (r != RES_OK) {
        fprintf(stderr, "qlvb migrate-to-postgres: chuyển dữ liệu thất bại (%s)%s.\n",
                result_name(r),
                r == RES_INVALID ? ": số dòng không khớp" : "; CSDL đích không đổi");
        rc = r == RES_INVALID ? EXIT_DATA : EXIT_FAIL;
        goto out;
    }
    struct audit_verify_report after;
    if (audit_verify(dst, &after) != RES_OK || after.rows != before.rows) {
        fprintf(stderr,
                "qlvb migrate-to-postgres: chuỗi băm nhật ký trên CSDL đích không khớp "
                "(dòng %lld).\n",
                (long long)after.bad_id);
        rc = EXIT_DATA;
        goto out;
    }
    int64_t rows = 0;
    for (int i = 0; i < rep.ntables; i++)
        rows += rep.tables[i].rows;
    printf("Đã chuyển %lld dòng của %d bảng; số dòng khớp, chuỗi băm nhật ký toàn vẹn (%lld "
           "dòng).\nTiếp theo: qlvb serve --data %s --db '%s'\n",
           (long long)rows, rep.ntables, (long long)after.rows, from, safe);
    rc = EXIT_OK;
out:
    db_close(dst);
    db_close(src);
    return rc;
}
