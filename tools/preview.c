/* Developer tool: renders every page template with the sample contexts of
 * tests/unit/web/pages/ into OUTDIR/NAME.html, linking /static/ to web/static/ on disk,
 * so the pages can be opened or screenshotted without a server. From the repository:
 *   make && gcc -std=c17 -D_GNU_SOURCE -Isrc -o build/preview tools/preview.c \
 *        build/libqlvb.a $(pkg-config --libs jansson libutf8proc) && build/preview /tmp/preview */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "web/template.h"

struct variant {
    const char *file;     /* output name */
    const char *page;     /* template */
    const char *sample;   /* tests/unit/web/pages/<sample>.json */
    const char *override; /* JSON merged last, or NULL */
};

static const struct variant variants[] = {
    {"login", "login", "login", NULL},
    {"login_plain", "login", "login", "{\"error\":null,\"login\":\"\"}"},
    {"password_change", "password_change", "password_change", NULL},
    {"choose_agency", "choose_agency", "choose_agency", NULL},
    {"home", "home", "home", NULL},
    {"home_specialist", "home", "home",
     "{\"is_admin\":false,\"is_sysadmin\":false,\"flash\":null,\"user\":{\"full_name\":"
     "\"Lương Thị Thu Trang\",\"position\":\"Chuyên viên\",\"department\":\"Phòng Kế hoạch – "
     "Tài chính\",\"agency_name\":\"Sở Khoa học và Công nghệ tỉnh Lạng Sơn\","
     "\"roles_label\":\"Chuyên viên\"}}"},
    {"sessions", "sessions", "sessions", NULL},
    {"admin_agencies", "admin_agencies", "admin_agencies", NULL},
    {"admin_agency_edit", "admin_agency_edit", "admin_agency_edit", NULL},
    {"admin_departments", "admin_departments", "admin_departments", NULL},
    {"admin_positions", "admin_positions", "admin_positions", NULL},
    {"admin_users", "admin_users", "admin_users", NULL},
    {"admin_user_form", "admin_user_form", "admin_user_form", NULL},
    {"admin_user_new", "admin_user_form", "admin_user_form",
     "{\"is_new\":true,\"temp_password\":null,\"errors\":{\"login\":\"Số CCCD phải gồm đúng 12 "
     "chữ số.\",\"roles\":\"Chọn ít nhất một vai trò.\"},\"account\":{\"login\":\"02019\","
     "\"full_name\":\"Hà Minh Tuấn\",\"must_change\":true}}"},
    {"audit", "audit", "audit", NULL},
    {"error", "error", "error", NULL},
    {"admin_trust", "admin_trust", "admin_trust", NULL},
    {"admin_signature_images", "admin_signature_images", "admin_signature_images", NULL},
    {"admin_keys", "admin_keys", "admin_keys", NULL},
    {"sign_verify", "sign_verify", "sign_verify", NULL},
    {"sign_upload", "sign_upload", "sign_upload", NULL},
    {"sign_place", "sign_place", "sign_place", NULL},
};

static json_t *load(const char *name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "tests/unit/web/pages/%s.json", name);
    json_error_t err;
    json_t *j = json_load_file(path, 0, &err);
    if (!j)
        fprintf(stderr, "%s: %s\n", path, err.text);
    return j;
}

int main(int argc, char **argv)
{
    const char *outdir = argc > 1 ? argv[1] : "/tmp/preview";
    char cwd[PATH_MAX], static_url[PATH_MAX + 32];
    int rc = 1;
    if (!getcwd(cwd, sizeof(cwd)) || tmpl_init() != RES_OK)
        return 1;
    snprintf(static_url, sizeof(static_url), "file://%s/web/static/", cwd);
    for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
        const struct variant *v = &variants[i];
        json_t *ctx = load("common"), *page = load(v->sample);
        if (!ctx || !page)
            goto out;
        json_object_update(ctx, page);
        json_decref(page);
        if (v->override) {
            json_t *o = json_loads(v->override, 0, NULL);
            json_object_update_recursive(ctx, o);
            json_decref(o);
        }
        struct buf html = BUF_INIT(1 << 22), file = BUF_INIT(1 << 22);
        if (tmpl_render(v->page, ctx, &html) != RES_OK) {
            fprintf(stderr, "%s: render failed\n", v->file);
            goto out;
        }
        for (const char *p = buf_str(&html); *p;) {
            const char *hit = strstr(p, "\"/static/");
            size_t n = hit ? (size_t)(hit - p) + 1 : strlen(p);
            buf_append(&file, p, n);
            if (!hit)
                break;
            buf_puts(&file, static_url);
            p = hit + strlen("\"/static/");
        }
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/%s.html", outdir, v->file);
        FILE *f = fopen(path, "w");
        if (!f || fwrite(file.data, 1, file.len, f) != file.len || fclose(f) != 0) {
            perror(path);
            goto out;
        }
        printf("%s\n", path);
        buf_release(&html);
        buf_release(&file);
        json_decref(ctx);
    }
    rc = 0;
out:
    tmpl_shutdown();
    return rc;
}
