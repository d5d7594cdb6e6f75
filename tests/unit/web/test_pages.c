/* Every embedded template rendered with the realistic sample context of web/pages/NAME.json
 * (shared with tools/preview.c), checked so that a {{name}} the context lacks fails; pages
 * also: Vietnamese document, CSRF token in every POST form, labelled inputs, valid
 * aria-describedby, accessible tables, escaped hostile values. */
#include <stdbool.h>
#include <stdlib.h>

#include "check.h"
#include "text/text.h"
#include "util/embedded.h"
#include "web/template.h"

#define CSRF_INPUT "<input type=\"hidden\" name=\"_csrf\" value=\"Zq3vK8mN2pR5tW9yB4cF7hJ0\">"

/* Every embedded web/templates/NAME.html, found by walking the embedded files: a new
 * template is rendered here without anyone adding it to a list, and fails until it has
 * its sample context web/pages/NAME.json. Pages include the layout; the others are
 * fragments (partials), rendered on their own. */
#define TEMPLATE_DIR  "web/templates/"
#define MAX_TEMPLATES 128
static char templates[MAX_TEMPLATES][64];
static bool is_page[MAX_TEMPLATES];
static size_t ntemplates, npages;

static void find_templates(void)
{
    size_t dlen = strlen(TEMPLATE_DIR);
    for (const struct embedded_file *f = embedded_files; f->name; f++) {
        size_t n = strlen(f->name);
        if (strncmp(f->name, TEMPLATE_DIR, dlen) != 0 || n < dlen + 6 ||
            strcmp(f->name + n - 5, ".html") != 0)
            continue;
        if (ntemplates == MAX_TEMPLATES) {
            fprintf(stderr, "more than %d templates: raise MAX_TEMPLATES\n", MAX_TEMPLATES);
            check_failures_++;
            return;
        }
        snprintf(templates[ntemplates], sizeof(templates[0]), "%.*s", (int)(n - dlen - 5),
                 f->name + dlen);
        is_page[ntemplates] = strstr((const char *)f->data, "{{>layout_head}}") != NULL;
        npages += is_page[ntemplates];
        ntemplates++;
    }
}

/* common.json overlaid with pages/<name>.json; NULL when a file is missing. */
static json_t *sample_context(const char *name)
{
    char path[256];
    json_error_t jerr;
    json_t *ctx = json_load_file("web/pages/common.json", 0, &jerr);
    snprintf(path, sizeof(path), "web/pages/%s.json", name);
    json_t *page = json_load_file(path, 0, &jerr);
    if (!ctx || !page) {
        fprintf(stderr, "%s: %s\n", path, jerr.text);
        json_decref(ctx);
        json_decref(page);
        return NULL;
    }
    json_object_update(ctx, page);
    json_decref(page);
    return ctx;
}

/* Renders into a malloc'd string (NULL on failure). The render is checked: a {{name}}
 * the context does not have fails the test, naming the template line. */
static char *render_page(const char *name, json_t *ctx)
{
    struct buf out = BUF_INIT(1 << 20);
    struct tmpl_missing missing;
    result_t r = tmpl_render_checked(name, ctx, &out, &missing);
    if (r != RES_OK) {
        fprintf(stderr, "render %s: %s\n", name, result_name(r));
        buf_release(&out);
        return NULL;
    }
    for (int i = 0; i < missing.count && i < TMPL_MISSING_MAX; i++)
        fprintf(stderr, "render %s: missing key %s\n", name, missing.names[i]);
    if (missing.count) {
        check_failures_++;
        if (missing.count > TMPL_MISSING_MAX)
            fprintf(stderr, "render %s: … %d missing keys in all\n", name, missing.count);
    }
    return buf_detach(&out, NULL);
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* Copies attribute `attr` of the tag starting at `tag` (up to its '>') into val. */
static int tag_attr(const char *tag, const char *attr, char *val, size_t size)
{
    const char *end = strchr(tag, '>');
    char key[64];
    snprintf(key, sizeof(key), " %s=\"", attr);
    const char *a = strstr(tag, key);
    if (!a || !end || a > end)
        return 0;
    a += strlen(key);
    const char *q = strchr(a, '"');
    snprintf(val, size, "%.*s", (int)(q - a), a);
    return 1;
}

static int has_id(const char *html, const char *id)
{
    char key[160];
    snprintf(key, sizeof(key), " id=\"%s\"", id);
    return strstr(html, key) != NULL;
}

/* Each POST form carries the CSRF token before it closes. */
static int post_forms_without_csrf(const char *html, int *forms)
{
    int missing = 0;
    for (const char *p = html; (p = strstr(p, "<form")) != NULL; p++) {
        const char *gt = strchr(p, '>');
        const char *m = strstr(p, "method=\"post\"");
        if (!m || m > gt)
            continue;
        (*forms)++;
        const char *close = strstr(p, "</form>");
        const char *tok = strstr(p, CSRF_INPUT);
        if (!close || !tok || tok > close)
            missing++;
    }
    return missing;
}

/* Inputs, selects and textareas have a <label for> or sit inside a <label>. */
static int unlabelled_controls(const char *html, const char *page)
{
    static const char *const tags[] = {"<input", "<select", "<textarea"};
    int bad = 0;
    for (size_t t = 0; t < 3; t++) {
        for (const char *p = html; (p = strstr(p, tags[t])) != NULL; p++) {
            char type[32] = "", id[96] = "", key[128];
            tag_attr(p, "type", type, sizeof(type));
            if (!strcmp(type, "hidden"))
                continue;
            if (tag_attr(p, "id", id, sizeof(id))) {
                snprintf(key, sizeof(key), "for=\"%s\"", id);
                if (strstr(html, key))
                    continue;
            } else {
                /* Wrapped: the nearest <label before is not closed yet. */
                const char *open = NULL, *closed = NULL;
                for (const char *q = html; (q = strstr(q, "<label")) && q < p; q++)
                    open = q;
                for (const char *q = html; (q = strstr(q, "</label>")) && q < p; q++)
                    closed = q;
                if (open && (!closed || closed < open))
                    continue;
            }
            fprintf(stderr, "%s: unlabelled control %.60s\n", page, p);
            bad++;
        }
    }
    return bad;
}

/* Every id named by aria-describedby / aria-labelledby / aria-controls exists. */
static int dangling_aria_refs(const char *html, const char *page)
{
    static const char *const attrs[] = {"aria-describedby", "aria-labelledby", "aria-controls"};
    int bad = 0;
    for (size_t a = 0; a < 3; a++) {
        char key[40];
        snprintf(key, sizeof(key), " %s=\"", attrs[a]);
        for (const char *p = html; (p = strstr(p, key)) != NULL; p++) {
            const char *v = p + strlen(key), *end = strchr(v, '"');
            while (v < end) {
                size_t n = strcspn(v, " \"");
                char id[96];
                snprintf(id, sizeof(id), "%.*s", (int)n, v);
                if (n && !has_id(html, id)) {
                    fprintf(stderr, "%s: %s names missing id \"%s\"\n", page, attrs[a], id);
                    bad++;
                }
                v += n + 1;
            }
        }
    }
    return bad;
}

/* Tables have a caption or aria-label; header cells declare their scope. */
static int inaccessible_tables(const char *html, const char *page)
{
    int bad = 0;
    for (const char *p = html; (p = strstr(p, "<table")) != NULL; p++) {
        const char *cap = strstr(p, "<caption"), *head = strstr(p, "<thead");
        const char *lab = strstr(p, "aria-label"), *gt = strchr(p, '>');
        if (!(cap && (!head || cap < head)) && !(lab && lab < gt)) {
            fprintf(stderr, "%s: table without caption\n", page);
            bad++;
        }
    }
    for (const char *p = html; (p = strstr(p, "<th")) != NULL; p++) {
        if (p[3] != ' ' && p[3] != '>')
            continue; /* <thead> */
        char scope[16];
        if (!tag_attr(p, "scope", scope, sizeof(scope))) {
            fprintf(stderr, "%s: <th> without scope\n", page);
            bad++;
        }
    }
    return bad;
}

TEST(every_template_renders_with_every_key)
{
    CHECK(ntemplates >= 25);
    CHECK(npages >= 19);
    for (size_t i = 0; i < ntemplates; i++) {
        json_t *ctx = sample_context(templates[i]);
        if (!ctx)
            fprintf(stderr, "template %s has no sample context web/pages/%s.json\n", templates[i],
                    templates[i]);
        CHECK(ctx != NULL);
        char *html = ctx ? render_page(templates[i], ctx) : NULL;
        CHECK(html != NULL);
        CHECK(html && strstr(html, "{{") == NULL);
        CHECK(html && text_valid_utf8(html, strlen(html)));
        /* Fragments render something of their own: the sample must reach their content. */
        CHECK(html && strlen(html) > 20);
        free(html);
        json_decref(ctx);
    }
}

TEST(every_page_renders_accessibly)
{
    int total_forms = 0;
    for (size_t i = 0; i < ntemplates; i++) {
        if (!is_page[i])
            continue;
        const char *page = templates[i];
        json_t *ctx = sample_context(page);
        CHECK(ctx != NULL);
        char *html = ctx ? render_page(page, ctx) : NULL;
        CHECK(html != NULL);
        if (html) {
            int forms = 0;
            CHECK(strncmp(html, "<!doctype html>\n<html lang=\"vi\">", 32) == 0);
            CHECK(strstr(html, "Bỏ qua đến nội dung chính") != NULL);
            CHECK(strstr(html, "<main class=\"page\" id=\"main\"") != NULL);
            CHECK(strstr(html, "</html>") != NULL);
            CHECK(text_valid_utf8(html, strlen(html)));
            CHECK_INT(post_forms_without_csrf(html, &forms), 0);
            CHECK_INT(unlabelled_controls(html, page), 0);
            CHECK_INT(dangling_aria_refs(html, page), 0);
            CHECK_INT(inaccessible_tables(html, page), 0);
            CHECK(strstr(html, "{{") == NULL);
            total_forms += forms;
        }
        free(html);
        json_decref(ctx);
    }
    CHECK(total_forms >= 30);
}

TEST(hostile_values_are_escaped)
{
    const char *evil = "Nguyễn <script>alert(1)</script>\" onmouseover=\"x' Hoa";
    for (size_t i = 0; i < ntemplates; i++) {
        if (!is_page[i])
            continue;
        json_t *ctx = sample_context(templates[i]);
        if (!ctx)
            continue;
        json_t *u = json_object_get(ctx, "user");
        if (json_is_object(u))
            json_object_set_new(u, "full_name", json_string(evil));
        json_object_set_new(ctx, "title", json_string(evil));
        json_object_set_new(ctx, "q", json_string(evil));
        json_object_set_new(ctx, "detail", json_string(evil));
        json_t *rows = json_object_get(ctx, "agencies");
        if (json_array_size(rows))
            json_object_set_new(json_array_get(rows, 0), "name", json_string(evil));
        char *html = render_page(templates[i], ctx);
        CHECK(html != NULL);
        if (html) {
            CHECK(strstr(html, "<script>alert") == NULL);
            CHECK(strstr(html, "\" onmouseover") == NULL);
            CHECK(strstr(html, "x' Hoa") == NULL);
            CHECK(strstr(html,
                         "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x&#39;") !=
                  NULL);
        }
        free(html);
        json_decref(ctx);
    }
}

TEST(jobs_page_lists_dead_jobs_with_retry)
{
    json_t *ctx = sample_context("admin_jobs");
    char *html = ctx ? render_page("admin_jobs", ctx) : NULL;
    CHECK(html && strstr(html, "<h1>Việc nền</h1>"));
    CHECK(html && strstr(html, "không đọc được thư mục kho tệp"));
    CHECK(html && strstr(html, "action=\"/admin/jobs/412/retry\""));
    CHECK(html && count(html, ">Chạy lại</button>") == 2);
    CHECK(html && strstr(html, "<span class=\"counter-value\">148</span>"));
    CHECK(html && strstr(html, "href=\"/admin/jobs\" aria-current=\"page\">Việc nền</a>"));
    free(html);
    /* other states: no retry column */
    json_object_set_new(ctx, "show_dead", json_false());
    html = render_page("admin_jobs", ctx);
    CHECK(html && !strstr(html, "Chạy lại"));
    free(html);
    /* the menu entry follows the policy (AZ_JOBS_MANAGE: system administrators) */
    json_object_set_new(json_object_get(ctx, "menu"), "jobs", json_false());
    html = render_page("admin_jobs", ctx);
    CHECK(html && !strstr(html, "href=\"/admin/jobs\""));
    free(html);
    json_decref(ctx);
}

TEST(layout_navigation_follows_roles)
{
    json_t *ctx = sample_context("home");
    char *html = render_page("home", ctx);
    CHECK(html && strstr(html, "<a href=\"/\" aria-current=\"page\">Trang chủ</a>"));
    CHECK(html && strstr(html, "href=\"/admin/agencies\""));
    CHECK(html && strstr(html, "Xin chào, Nguyễn Thị Hoa"));
    CHECK(html && strstr(html, "<form method=\"post\" action=\"/logout\">"));
    CHECK(html && strstr(html, "<a class=\"counter\" href=\"/documents?box=to_process\">"));
    CHECK(html && strstr(html, ">Văn bản đến</a>")); /* the documents menu (web/menu.c) */
    CHECK(html && count(html, "aria-current=\"page\"") == 1);
    free(html);

    /* an agency administrator: the policy allows neither agencies nor the trust store */
    json_t *menu = json_object_get(ctx, "menu");
    json_object_del(menu, "agencies");
    json_object_del(menu, "trust");
    json_object_del(menu, "jobs");
    html = render_page("home", ctx);
    CHECK(html && !strstr(html, "href=\"/admin/agencies\""));
    CHECK(html && !strstr(html, "href=\"/admin/trust\""));
    CHECK(html && !strstr(html, "href=\"/admin/jobs\""));
    CHECK(html && strstr(html, "href=\"/admin/users\""));
    free(html);

    json_object_set_new(menu, "admin", json_false());
    html = render_page("home", ctx);
    CHECK(html && !strstr(html, "Quản trị</span>"));
    CHECK(html && !strstr(html, "href=\"/admin/"));
    free(html);
    json_decref(ctx);

    ctx = sample_context("login");
    html = render_page("login", ctx);
    CHECK(html && !strstr(html, "/logout"));
    CHECK(html && !strstr(html, "mainnav"));
    CHECK(html && strstr(html, "role=\"alert\""));
    CHECK(html && strstr(html, "autocomplete=\"username\""));
    CHECK(html && strstr(html, "inputmode=\"numeric\""));
    CHECK(html && strstr(html, "value=\"020185004321\""));
    free(html);
    json_decref(ctx);
}

TEST(page_details)
{
    json_t *ctx = sample_context("sessions");
    char *html = render_page("sessions", ctx);
    CHECK(html && count(html, "/revoke\"") == 2); /* not for the current session */
    CHECK(html && strstr(html, "action=\"/sessions/revoke-others\""));
    CHECK(html && strstr(html, "Phiên hiện tại"));
    free(html);
    json_decref(ctx);

    ctx = sample_context("admin_user_form");
    html = render_page("admin_user_form", ctx);
    CHECK(html && strstr(html, "Kx7-mPq4-Wd9z"));
    CHECK(html && strstr(html, "action=\"/admin/users/103\""));
    CHECK(html && strstr(html, "action=\"/admin/users/103/reset-password\""));
    CHECK(html && strstr(html, "action=\"/admin/users/103/lock\""));
    CHECK(html && !strstr(html, "/unlock\""));
    CHECK(html && strstr(html, "name=\"roles\" value=\"department_leader\" checked"));
    CHECK(html && strstr(html, "id=\"email-error\">Địa chỉ thư điện tử không hợp lệ."));
    CHECK(html && !strstr(html, "name=\"password\"")); /* only when creating */
    /* The masthead still shows the signed-in user, not the account being edited. */
    CHECK(html && strstr(html, "<span class=\"usermenu-name\">Nguyễn Thị Hoa</span>"));
    free(html);
    json_object_set_new(ctx, "is_new", json_true());
    html = render_page("admin_user_form", ctx);
    CHECK(html && strstr(html, "<form method=\"post\" action=\"/admin/users\" novalidate>"));
    CHECK(html && strstr(html, "name=\"password\""));
    CHECK(html && !strstr(html, "reset-password"));
    free(html);
    /* A concurrent post's account belongs to its home agency: read-only here, and no
     * reset or lock this administrator may not do (issue 9). */
    json_object_set_new(ctx, "is_new", json_false());
    json_object_set_new(ctx, "account_editable", json_false());
    json_object_set_new(ctx, "account_actions", json_false());
    html = render_page("admin_user_form", ctx);
    CHECK(
        html &&
        strstr(html, "id=\"full_name\" name=\"full_name\" value=\"Lương Thị Thu Trang\" readonly"));
    CHECK(html && !strstr(html, "reset-password") && !strstr(html, "/lock\""));
    CHECK(html && strstr(html, "id=\"account-owner\""));
    free(html);
    json_decref(ctx);

    ctx = sample_context("admin_agencies");
    html = render_page("admin_agencies", ctx);
    CHECK(html && strstr(html, "000.01.04.H41"));
    CHECK(html && strstr(html, "class=\"tree-name depth-2\""));
    CHECK(html && strstr(html, "<option value=\"1\" selected>"));
    CHECK(html && strstr(html, ">Mở khóa</button>")); /* Sở Tài chính is inactive */
    CHECK(html && strstr(html, "id=\"code-error\""));
    CHECK(html && strstr(html, "value=\"000.00.08\""));
    free(html);
    json_decref(ctx);

    ctx = sample_context("audit");
    html = render_page("audit", ctx);
    CHECK(html && strstr(html, "type=\"date\" id=\"from\" name=\"from\" value=\"2026-11-01\""));
    CHECK(html && strstr(html, "rel=\"prev\""));
    CHECK(html && strstr(html, "page=3&amp;from"));
    free(html);
    json_decref(ctx);

    ctx = sample_context("admin_trust");
    html = render_page("admin_trust", ctx);
    CHECK(html && count(html, "enctype=\"multipart/form-data\"") == 2);
    CHECK(html && strstr(html, "accept=\".pem,.crt,.cer,.der\""));
    CHECK(html && strstr(html, "accept=\".crl\""));
    CHECK(html && count(html, "/remove\"") == 3); /* not for files nor removed rows */
    CHECK(html && strstr(html, "12/03/2020 – 12/03/2040"));
    CHECK(html && strstr(html, ">Hết hạn</span>"));
    CHECK(html && strstr(html, "id=\"crl-file-error\">Danh sách thu hồi không do CA"));
    CHECK(html && !strstr(html, "cert-file-error"));
    CHECK(html && strstr(html, "aria-current=\"page\">Chứng thư tin cậy"));
    free(html);
    json_decref(ctx);

    ctx = sample_context("admin_signature_images");
    html = render_page("admin_signature_images", ctx);
    CHECK(html && strstr(html, "enctype=\"multipart/form-data\""));
    CHECK(html && strstr(html, "accept=\"image/png\""));
    CHECK(html && strstr(html, "src=\"/admin/signature-images/12.png\""));
    CHECK(html && strstr(html, "alt=\"Ảnh con dấu của cơ quan\""));
    CHECK(html && count(html, "/deactivate\"") == 2); /* active images only */
    CHECK(html && strstr(html, "đường kính khoảng 36 mm"));
    CHECK(html && strstr(html, "<option value=\"103\" selected>"));
    CHECK(html && strstr(html, "value=\"signature\" checked"));
    CHECK(html && strstr(html, "id=\"file-error\">Ảnh không có nền trong suốt"));
    free(html);
    json_decref(ctx);

    ctx = sample_context("admin_keys");
    html = render_page("admin_keys", ctx);
    CHECK(html && count(html, "/revoke\"") == 1); /* keys in use only */
    CHECK(html && strstr(html, "action=\"/admin/keys/7/revoke\""));
    CHECK(html && strstr(html, "enctype=\"multipart/form-data\""));
    CHECK(html && strstr(html, "<option value=\"103\" selected>Trần Văn Bình (020186001234)"));
    CHECK(html && strstr(html, "id=\"pin-error\">Mã PIN không đúng"));
    CHECK(html && strstr(html, "Chuyển công tác sang Sở Nội vụ"));
    CHECK(html && strstr(html, "aria-current=\"page\">Khóa ký số"));
    free(html);
    json_decref(ctx);

    ctx = sample_context("sign_verify");
    html = render_page("sign_verify", ctx);
    CHECK(html && strstr(html, "class=\"verdict verdict-bad\""));
    CHECK(html && strstr(html, "Có 1/2 chữ ký số không hợp lệ."));
    CHECK(html && strstr(html, "Tài liệu PDF · 180 KB"));
    CHECK(html && count(html, "<article class=\"sig") == 2);
    CHECK(html && strstr(html, "(dấu thời gian của Dịch vụ cấp dấu thời gian Ban Cơ yếu)"));
    CHECK(html && strstr(html, "<dd>không rõ</dd>")); /* the second signature has no time */
    CHECK(html && strstr(html, "id=\"file-error\">Tệp quá lớn"));
    free(html);
    json_object_del(ctx, "report");
    html = render_page("sign_verify", ctx);
    CHECK(html && !strstr(html, "Kết quả kiểm tra"));
    free(html);
    json_decref(ctx);

    ctx = sample_context("sign_upload");
    html = render_page("sign_upload", ctx);
    CHECK(html && strstr(html, "Chữ ký số của cơ quan (đóng dấu)"));
    CHECK(html && strstr(html, "Hiệu lực đến 15/01/2031"));
    CHECK(html && strstr(html, "role=\"alert\"><p>Tệp không phải tài liệu PDF hợp lệ."));
    free(html);
    json_object_set_new(ctx, "keys", json_array());
    html = render_page("sign_upload", ctx);
    CHECK(html && strstr(html, "Bạn chưa có khóa ký số trong cơ quan này."));
    free(html);
    json_decref(ctx);

    ctx = sample_context("sign_place");
    html = render_page("sign_place", ctx);
    CHECK(html && strstr(html, "action=\"/signatures/sign/k3Yp9QzL2mWx7RtB\""));
    CHECK(html && strstr(html, "src=\"/signatures/sign/k3Yp9QzL2mWx7RtB/pages/2\""));
    CHECK(html && strstr(html, "<option value=\"8\" selected>"));
    CHECK(html && strstr(html, "value=\"245/SKHCN-VP\"")); /* agency key: number field */
    CHECK(html && strstr(html, "name=\"x0\" value=\"330.0\""));
    CHECK(html && strstr(html, "value=\"auto\" checked"));
    CHECK(html && strstr(html, "id=\"pin-error\">Mã PIN không đúng (còn 4 lần thử)."));
    free(html);
    json_object_set_new(ctx, "seal", json_false());
    html = render_page("sign_place", ctx);
    CHECK(html && !strstr(html, "number_symbol"));
    free(html);
    json_decref(ctx);

    ctx = sample_context("error");
    html = render_page("error", ctx);
    CHECK(html && strstr(html, "404"));
    CHECK(html && strstr(html, "Về Trang chủ"));
    free(html);
    json_decref(ctx);
}

TEST(web_files_are_nfc_utf8)
{
    int files = 0;
    for (const struct embedded_file *f = embedded_files; f->name; f++) {
        if (strncmp(f->name, "web/", 4) != 0)
            continue;
        files++;
        const char *s = (const char *)f->data;
        CHECK(text_valid_utf8(s, f->len));
        char *nfc = text_nfc(s);
        CHECK(nfc && strcmp(nfc, s) == 0);
        if (!nfc || strcmp(nfc, s) != 0)
            fprintf(stderr, "not NFC: %s\n", f->name);
        free(nfc);
    }
    CHECK(files >= (int)ntemplates + 3);
}

int main(void)
{
    if (tmpl_init() != RES_OK) {
        fprintf(stderr, "tmpl_init failed\n");
        return 1;
    }
    find_templates();
    RUN(every_template_renders_with_every_key);
    RUN(every_page_renders_accessibly);
    RUN(hostile_values_are_escaped);
    RUN(jobs_page_lists_dead_jobs_with_retry);
    RUN(layout_navigation_follows_roles);
    RUN(page_details);
    RUN(web_files_are_nfc_utf8);
    tmpl_shutdown();
    return CHECK_DONE("test_pages");
}
