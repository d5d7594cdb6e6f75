/* /api/v1 sign-in, the current user, password change, agency choice and sessions. */
#include <string.h>

#include "api/api.h"
#include "core/role.h"
#include "core/session.h"
#include "core/user.h"
#include "util/clock.h"

static json_t *me_json(struct req *r, const struct actor *a)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(a->user_id));
    json_object_set_new(o, "login", json_string(a->login));
    json_object_set_new(o, "full_name", json_string(a->full_name));
    json_object_set_new(o, "sysadmin", json_boolean(a->sysadmin));
    json_object_set_new(o, "must_change_password", json_boolean(a->must_change_password));
    json_object_set_new(o, "membership_id",
                        a->membership_id ? json_integer(a->membership_id) : json_null());
    json_object_set_new(o, "agency_id", a->agency_id ? json_integer(a->agency_id) : json_null());
    json_t *ms = NULL;
    if (user_memberships(r->app, a->user_id, &ms) == RES_OK) {
        size_t i;
        json_t *m;
        json_array_foreach(ms, i, m)
        {
            if (json_integer_value(json_object_get(m, "id")) == a->membership_id) {
                /* The agency itself (id = agency id), with this post's details. */
                json_t *ag = json_pack(
                    "{s:I,s:O,s:O,s:O,s:O,s:O,s:O}", "id", (json_int_t)a->agency_id, "name",
                    json_object_get(m, "agency_name"), "code", json_object_get(m, "agency_code"),
                    "abbr", json_object_get(m, "agency_abbr"), "department",
                    json_object_get(m, "department"), "position", json_object_get(m, "position"),
                    "roles_label", json_object_get(m, "roles_label"));
                json_object_set_new(o, "agency", ag);
                json_t *roles = json_array();
                for (size_t k = 0; k < role_count; k++)
                    if (a->roles & role_table[k].bit)
                        json_array_append_new(roles, json_string(role_table[k].key));
                json_object_set_new(o, "roles", roles);
            }
        }
        json_object_set_new(o, "memberships", ms);
    }
    return o;
}

void api_login(struct req *r)
{
    json_t *in = req_json(r);
    if (!in)
        return;
    static const char *const known[] = {"login", "password", NULL};
    struct verrs bad = {0};
    json_unknown_members(in, known, &bad);
    if (bad.count) { /* checked before anything is tried: a typo is not a failed login */
        resp_problem(r, 400, "validation", "Dữ liệu không hợp lệ",
                     "Vui lòng kiểm tra các trường được báo lỗi.", &bad);
        return;
    }
    const char *login = json_str(in, "login"), *password = json_str(in, "password");
    if (!login || !password) {
        struct verrs e = {0};
        if (!login)
            verrs_add(&e, "login", "Vui lòng nhập số định danh cá nhân.");
        if (!password)
            verrs_add(&e, "password", "Vui lòng nhập mật khẩu.");
        resp_problem(r, 400, "validation", "Thiếu thông tin đăng nhập", NULL, &e);
        return;
    }
    if (strlen(password) > 1024) {
        resp_problem(r, 400, "validation", "Mật khẩu quá dài", NULL, NULL);
        return;
    }
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
        resp_problem(r, status,
                     res == RES_LOCKED ? "account_locked"
                                       : (status == 401 ? "bad_credentials" : "login_failed"),
                     "Đăng nhập không thành công", status == 500 ? "Lỗi hệ thống." : msg, NULL);
        return;
    }
    r->actor = a;
    r->authed = true;
    json_t *o = json_object();
    json_object_set_new(o, "token", json_string(info.token));
    json_object_set_new(o, "csrf_token", json_string(info.csrf));
    char iso[40];
    clock_format_iso(info.expires_at, iso, sizeof(iso));
    json_object_set_new(o, "expires_at", json_string(iso));
    json_object_set_new(o, "user", me_json(r, &a));
    resp_cookie(r, "qlvb_session", info.token, r->app->cfg.session_absolute, true);
    resp_json(r, 200, o);
}

void api_logout(struct req *r)
{
    session_logout(r->app, &r->actor);
    resp_cookie(r, "qlvb_session", "", 0, true);
    resp_text(r, 204, "text/plain", "", 0);
}

void api_me(struct req *r)
{
    json_t *o = me_json(r, &r->actor);
    json_object_set_new(o, "csrf_token", json_string(r->csrf));
    resp_json(r, 200, o);
}

void api_me_password(struct req *r)
{
    json_t *in = req_json(r);
    if (!in)
        return;
    const char *next = json_str(in, "new_password");
    const char *confirm = json_str(in, "confirm_password");
    static const char *const known[] = {"current_password", "new_password", "confirm_password",
                                        NULL};
    struct verrs e = {0};
    json_unknown_members(in, known, &e);
    result_t res =
        e.count ? RES_INVALID
                : session_change_password(r->app, &r->actor, json_str(in, "current_password"), next,
                                          confirm ? confirm : next, &e);
    if (res == RES_INVALID) {
        resp_problem(r, 422, "validation", "Không đổi được mật khẩu",
                     "Vui lòng kiểm tra các trường được báo lỗi.", &e);
        return;
    }
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, 200, me_json(r, &r->actor));
}

void api_me_agency(struct req *r)
{
    json_t *in = req_json(r);
    if (!in)
        return;
    static const char *const known[] = {"membership_id", NULL};
    struct verrs e = {0};
    json_unknown_members(in, known, &e);
    json_t *m = json_object_get(in, "membership_id");
    if (!json_is_integer(m))
        verrs_add(&e, "membership_id", "Cần mã chức danh (số nguyên).");
    if (e.count) {
        resp_problem(r, 400, "validation",
                     json_is_integer(m) ? "Dữ liệu không hợp lệ" : "Thiếu cơ quan làm việc", NULL,
                     &e);
        return;
    }
    result_t res = session_choose(r->app, &r->actor, json_integer_value(m));
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, 200, me_json(r, &r->actor));
}

void api_me_sessions(struct req *r)
{
    json_t *list = NULL;
    result_t res = session_list(r->app, &r->actor, &list);
    resp_list(r, res, "sessions", list);
}

void api_me_session_revoke(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    result_t res = id ? session_revoke(r->app, &r->actor, id) : RES_NOT_FOUND;
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_text(r, 204, "text/plain", "", 0);
}
