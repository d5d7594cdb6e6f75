/* Command-line plumbing. */
#include "cli/common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "blob/blob.h"
#include "core/trust.h"
#include "crypto/signer.h"
#include "db/db.h"
#include "util/str.h"

void cli_config(struct config *cfg)
{
    config_defaults(cfg);
    config_from_env(cfg);
}

static bool mkdir_p(const char *path)
{
    char tmp[PATH_MAX];
    str_copy(tmp, path, sizeof(tmp));
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
                return false;
            *p = '/';
        }
    }
    return mkdir(tmp, 0750) == 0 || errno == EEXIST;
}

bool cli_open(struct app *app, bool create)
{
    struct config *cfg = &app->cfg;
    /* The data directory belongs to the installation whatever the engine: keys and
     * trust files live there next to (or instead of) the SQLite file. */
    struct stat st;
    if (stat(cfg->data_dir, &st) != 0) {
        if (!create) {
            fprintf(stderr,
                    "qlvb: thư mục dữ liệu '%s' không tồn tại. Chạy 'qlvb init' trước "
                    "(data directory missing).\n",
                    cfg->data_dir);
            return false;
        }
        if (!mkdir_p(cfg->data_dir)) {
            fprintf(stderr, "qlvb: không tạo được thư mục '%s': %s\n", cfg->data_dir,
                    strerror(errno));
            return false;
        }
    }
    if (!cfg->db_url[0]) {
        snprintf(cfg->db_url, sizeof(cfg->db_url), "sqlite:%s/qlvb.db", cfg->data_dir);
        if (!create) {
            char path[PATH_MAX + 16];
            snprintf(path, sizeof(path), "%s/qlvb.db", cfg->data_dir);
            if (stat(path, &st) != 0) {
                fprintf(stderr, "qlvb: chưa có CSDL trong '%s'. Chạy 'qlvb init' trước.\n",
                        cfg->data_dir);
                return false;
            }
        }
    }
    char safe[sizeof(cfg->db_url)];
    db_url_redact(cfg->db_url, safe, sizeof(safe));
    result_t r = db_open(cfg->db_url, &app->db);
    if (r == RES_RECONNECT) {
        fprintf(stderr,
                "qlvb: không kết nối được máy chủ CSDL '%s' (PostgreSQL không chạy, sai địa "
                "chỉ hoặc sai mật khẩu; chi tiết trong nhật ký phía trên).\n",
                safe);
        return false;
    }
    if (r != RES_OK) {
        fprintf(stderr, "qlvb: không mở được CSDL '%s'.\n", safe);
        return false;
    }
    if ((r = db_migrate(app->db)) != RES_OK) {
        if (r == RES_BUSY)
            fprintf(stderr, "qlvb: %s\n", cli_result_text(r));
        else
            fprintf(stderr, "qlvb: không cập nhật được cấu trúc CSDL (migration failed).\n");
        db_close(app->db);
        app->db = NULL;
        return false;
    }
    if (!cfg->blob_url[0])
        snprintf(cfg->blob_url, sizeof(cfg->blob_url), "file:%s/blobs", cfg->data_dir);
    if (blob_open(cfg->blob_url, cfg->max_blob, &app->blobs) != RES_OK) {
        fprintf(stderr, "qlvb: không mở được kho tệp '%s' (blob store).\n", cfg->blob_url);
        db_close(app->db);
        app->db = NULL;
        return false;
    }
    return true;
}

void cli_close(struct app *app)
{
    trust_shutdown(app);
    blob_close(app->blobs);
    app->blobs = NULL;
    db_close(app->db);
    app->db = NULL;
}

bool cli_start_signer(struct app *app, struct signer *s, const char *cmd)
{
    char keys_dir[PATH_MAX + 8], master[PATH_MAX + 24];
    signer_init(s);
    s->key_ttl = app->cfg.signer_key_ttl;
    snprintf(keys_dir, sizeof(keys_dir), "%s/keys", app->cfg.data_dir);
    snprintf(master, sizeof(master), "%s/master.key", keys_dir);
    if ((mkdir(keys_dir, 0700) != 0 && errno != EEXIST) ||
        signer_start_sealed(s, master) != RES_OK) {
        fprintf(stderr,
                "%s: không khởi động được tiến trình ký số (khóa chủ %s): kiểm tra "
                "quyền thư mục (chỉ chủ sở hữu được đọc, chế độ 0600)\n",
                cmd, master);
        signer_release(s);
        return false;
    }
    app->signer = s;
    return true;
}

const char *cli_result_text(result_t r)
{
    static _Thread_local char text[64];
    if (r == RES_BUSY)
        return "CSDL đang bận: một tiến trình khác (qlvb serve hoặc một lệnh khác) giữ "
               "quyền ghi quá lâu; chưa có thay đổi nào được lưu, hãy chạy lại lệnh.";
    snprintf(text, sizeof(text), "lỗi %s", result_name(r));
    return text;
}

struct actor cli_actor(void)
{
    struct actor a = {0};
    a.system = true;
    str_copy(a.login, "system", sizeof(a.login));
    str_copy(a.full_name, "Dòng lệnh quản trị", sizeof(a.full_name));
    str_copy(a.client_addr, "cli", sizeof(a.client_addr));
    return a;
}

bool cli_read_password(const char *prompt, char *out, size_t n)
{
    struct termios old, quiet;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        fprintf(stderr, "%s", prompt);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    bool ok = fgets(out, (int)n, stdin) != NULL;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fprintf(stderr, "\n");
    }
    if (ok)
        out[strcspn(out, "\r\n")] = '\0';
    return ok && out[0];
}
