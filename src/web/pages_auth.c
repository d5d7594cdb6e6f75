/* Pages: sign-in, password change, agency choice, home, my sessions, static files. */
#include <stdio.h>
#include <string.h>

#include "core/authz.h"
#include "core/password.h"
#include "core/session.h"
#include "core/user.h"
#include "util/embedded.h"
#include "util/rand.h"
#include "util/str.h"
#include "version.h"
#include "web/pages.h"
#include "web/render.h"

json_t *verrs_json(const struct verrs *e)
{
    json_t *o = json_object();
    for (int i = 0; i < e->count; i++)
        json_object_set_new(o, e->items[i].field, json_string(e->items[i].message));
    return o;
}

static const char *mime_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return "application/octet-stream";
    if (!strcmp(dot, ".css"))
        return "text/css; charset=utf-8";
    if (!strcmp(dot, ".js"))
        return "text/javascript; charset=utf-8";
    if (!strcmp(dot, ".svg"))
        return "image/svg+xml";
    if (!strcmp(dot, ".png"))
        return "image/png";
    if (!strcmp(dot, ".json"))
        return "application/json; charset=utf-8";
    if (!strcmp(dot, ".woff2"))
        return "font/woff2";
    return "application/octet-stream";
}

void page_static(struct req *r)
{
    const char *name = req_param(r, "file");
    if (!name || strstr(name, "..") || strlen(name) > 100) {
        resp_error(r, 404, "Không tìm thấy", NULL);
        return;
    }
    char path[160];
    snprintf(path, sizeof(path), "web/static/%s", name);
    const struct embedded_file *f = embedded_find(path);
    if (!f) {
        resp_error(r, 404, "Không tìm thấy", "Tệp tĩnh không tồn tại.");
        return;
    }
    char etag[64];
    snprintf(etag, sizeof(etag), "\"%s-%zu\"", QLVB_VERSION, f->len);
    const char *inm = req_header(r, "If-None-Match");
    resp_header(r, "ETag", etag);
    resp_header(r, "Cache-Control", "public, max-age=3600");
    if (inm && strcmp(inm, etag) == 0) {
        resp_text(r, 304, mime_type(name), "", 0);
        return;
    }
    resp_text(r, 200, mime_type(name), (const char *)f->data, f->len);
}

/* ---- sign-in ---- */

static void render_login(struct req *r, int status, const char *login, const char *error)
{
    /* Login CSRF: double-submit cookie, since there is no session yet. */
    web_form_token_issue(r, "qlvb_login_csrf", 3600);
    json_t *ctx = json_pack("{s:s,s:s}", "title", "Đăng nhập", "login", login ? login : "");
    if (error)
        json_object_set_new(ctx, "error", json_string(error));
    web_render(r, status, "login", ctx, NULL);
}

void page_login(struct req *r)
{
    if (r->authed) {
        resp_redirect(r, "/");
        return;
    }
    render_login(r, 200, NULL, NULL);
}

static const char *after_login(const struct actor *a)
{
    if (a->must_change_password)
        return "/password";
    if (!a->membership_id && authz_check(a, AZ_ANY_AGENCY, 0) != RES_OK)
        return "/choose-agency";
    return "/";
}

void page_login_post(struct req *r)
{
    if (!web_form_token_ok(r, "qlvb_login_csrf")) {
        render_login(r, 403, req_form(r, "login"),
                     "Phiên của trang đăng nhập đã hết hạn. Vui lòng nhập lại.");
        return;
    }
    const char *login = req_form(r, "login"), *password = req_form(r, "password");
    if (password && strlen(password) > 1024)
        password = "";
    struct login_request lr = {login, password, r->client_addr, req_header(r, "User-Agent"),
                               r->host_agency_id};
    struct actor a;
    struct session_info info;
    char msg[300];
    result_t res = session_login(r->app, &lr, &a, &info, msg, sizeof(msg));
    if (res != RES_OK) {
        int status = res == RES_INVALID     ? 401
                     : res == RES_LOCKED    ? 423
                     : res == RES_FORBIDDEN ? 403
                                            : 500;
        render_login(r, status, login, status == 500 ? "Lỗi hệ thống, vui lòng thử lại." : msg);
        return;
    }
    resp_cookie(r, "qlvb_session", info.token, r->app->cfg.session_absolute, true);
    resp_cookie(r, "qlvb_login_csrf", "", 0, true);
    resp_redirect(r, after_login(&a));
}

void page_logout(struct req *r)
{
    session_logout(r->app, &r->actor);
    resp_cookie(r, "qlvb_session", "", 0, true);
    resp_redirect(r, "/login");
}

/* ---- password ---- */

static void render_password(struct req *r, int status, const struct verrs *e)
{
    json_t *policy = json_array();
    for (int i = 0; password_policy_text[i]; i++)
        json_array_append_new(policy, json_string(password_policy_text[i]));
    json_t *ctx = json_pack("{s:s,s:b,s:o,s:o}", "title", "Đổi mật khẩu", "forced",
                            r->actor.must_change_password, "policy", policy, "errors",
                            e ? verrs_json(e) : json_object());
    web_render(r, status, "password_change", ctx, NULL);
}

void page_password(struct req *r)
{
    render_password(r, 200, NULL);
}

void page_password_post(struct req *r)
{
    struct verrs e = {0};
    result_t res =
        session_change_password(r->app, &r->actor, req_form(r, "current_password"),
                                req_form(r, "new_password"), req_form(r, "confirm_password"), &e);
    if (res == RES_INVALID) {
        render_password(r, 422, &e);
        return;
    }
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    web_flash(r, "success", "Đã đổi mật khẩu. Các phiên đăng nhập khác đã được thu hồi.");
    resp_redirect(r, after_login(&r->actor));
}

/* ---- agency choice ---- */

void page_choose_agency(struct req *r)
{
    json_t *ms = NULL;
    if (user_memberships(r->app, r->actor.user_id, &ms) != RES_OK)
        ms = json_array();
    web_render(r, 200, "choose_agency",
               json_pack("{s:s,s:o}", "title", "Chọn cơ quan làm việc", "memberships", ms), NULL);
}

void page_choose_agency_post(struct req *r)
{
    int64_t id = 0;
    const char *v = req_form(r, "membership_id");
    if (!v || str_to_i64(v, 1, INT64_MAX, &id) != RES_OK ||
        session_choose(r->app, &r->actor, id) != RES_OK) {
        resp_error(r, 400, "Không chọn được cơ quan", "Chức danh đã chọn không hợp lệ.");
        return;
    }
    resp_redirect(r, "/");
}

/* ---- home ---- */

void page_home(struct req *r)
{
    json_t *counters = web_doc_counters(r); /* documents (pages_doc.c) */
    json_t *out = web_doc_out_counters(r);  /* outgoing documents (pages_doc_out.c) */
    json_t *ms = NULL;
    if (user_memberships(r->app, r->actor.user_id, &ms) != RES_OK)
        ms = json_array();
    /* Only the other posts are offered as switch targets. */
    for (size_t i = json_array_size(ms); i-- > 0;)
        if (json_integer_value(json_object_get(json_array_get(ms, i), "id")) ==
            r->actor.membership_id)
            json_array_remove(ms, i);
    web_render(r, 200, "home",
               json_pack("{s:s,s:o,s:b,s:o,s:o}", "title", "Trang chủ", "counters", counters,
                         "has_out", json_array_size(out) > 0, "out_counters", out, "memberships",
                         ms),
               "home");
}

/* ---- sessions ---- */

void page_sessions(struct req *r)
{
    json_t *list = NULL;
    if (session_list(r->app, &r->actor, &list) != RES_OK)
        list = json_array();
    web_render(r, 200, "sessions",
               json_pack("{s:s,s:o}", "title", "Phiên đăng nhập", "sessions", list), "sessions");
}

void page_session_revoke(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    if (!id || session_revoke(r->app, &r->actor, id) != RES_OK) {
        resp_error(r, 404, "Không tìm thấy phiên", NULL);
        return;
    }
    web_flash(r, "success", "Đã thu hồi phiên đăng nhập.");
    resp_redirect(r, id == r->actor.session_id ? "/login" : "/sessions");
}

void page_sessions_revoke_others(struct req *r)
{
    int n = 0;
    session_revoke_others(r->app, &r->actor, &n);
    char msg[120];
    snprintf(msg, sizeof(msg), "Đã thu hồi %d phiên đăng nhập khác.", n);
    web_flash(r, "success", msg);
    resp_redirect(r, "/sessions");
}
