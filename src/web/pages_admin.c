/* Administration pages: agencies (system administrators), departments, positions,
 * users and the audit log (agency administrators, for their own agency). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/agency.h"
#include "core/audit.h"
#include "core/audit_filter.h"
#include "core/authz.h"
#include "core/org.h"
#include "core/role.h"
#include "core/user.h"
#include "util/str.h"
#include "web/menu.h"
#include "web/pages.h"
#include "web/render.h"

static int64_t form_id(struct req *r, const char *name)
{
    int64_t v = 0;
    const char *s = req_form(r, name);
    if (!s || !*s || str_to_i64(s, 1, INT64_MAX, &v) != RES_OK)
        return 0;
    return v;
}

/* Options for a <select>: [{id, name, selected}] from a list with id/name. */
static json_t *options(json_t *list, int64_t selected, int64_t exclude)
{
    json_t *out = json_array();
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        json_int_t id = json_integer_value(json_object_get(o, "id"));
        if (id == exclude)
            continue;
        json_t *name = json_object_get(o, "name");
        json_int_t depth = json_integer_value(json_object_get(o, "depth"));
        char label[600];
        snprintf(label, sizeof(label), "%*s%s", (int)(depth * 2), "", json_string_value(name));
        json_array_append_new(
            out, json_pack("{s:I,s:s,s:b}", "id", id, "name", label, "selected", id == selected));
    }
    return out;
}

static void flash_redirect(struct req *r, const char *message, const char *to)
{
    web_flash(r, "success", message);
    resp_redirect(r, to);
}

/* ---- agencies ---- */

static void render_agencies(struct req *r, int status, json_t *form, const struct verrs *e)
{
    json_t *list = NULL;
    result_t res = web_screen_check(r, SCREEN_AGENCIES);
    if (res == RES_OK)
        res = agency_list(r->app, &r->actor, &list);
    if (res != RES_OK) {
        json_decref(list);
        json_decref(form);
        resp_result(r, res);
        return;
    }
    int64_t parent = json_integer_value(json_object_get(form, "parent_id"));
    json_t *ctx = json_pack("{s:s,s:o,s:o,s:o,s:o}", "title", "Cơ quan", "agencies", list,
                            "parents", options(list, parent, 0), "form", form, "errors",
                            e ? verrs_json(e) : json_object());
    web_render(r, status, "admin_agencies", ctx, "admin_agencies");
}

void page_admin_agencies(struct req *r)
{
    render_agencies(r, 200, json_object(), NULL);
}

void page_admin_agencies_post(struct req *r)
{
    struct agency_input in = {req_form(r, "code"), req_form(r, "name"), req_form(r, "abbr"), NULL,
                              form_id(r, "parent_id")};
    struct verrs e = {0};
    result_t res = agency_create(r->app, &r->actor, &in, &e, NULL);
    if (res == RES_OK) {
        flash_redirect(r, "Đã tạo cơ quan.", "/admin/agencies");
        return;
    }
    if (res != RES_INVALID && res != RES_CONFLICT) {
        resp_result(r, res);
        return;
    }
    json_t *form = json_pack("{s:s,s:s,s:s,s:I}", "code", in.code ? in.code : "", "name",
                             in.name ? in.name : "", "abbr", in.abbr ? in.abbr : "", "parent_id",
                             (json_int_t)in.parent_id);
    render_agencies(r, 422, form, &e);
}

static void render_agency(struct req *r, int status, int64_t id, json_t *override,
                          const struct verrs *e)
{
    json_t *agency = NULL, *list = NULL;
    result_t res = web_screen_check(r, SCREEN_AGENCIES);
    if (res == RES_OK)
        res = agency_get(r->app, &r->actor, id, &agency);
    if (res == RES_OK)
        res = agency_list(r->app, &r->actor, &list);
    if (res != RES_OK) {
        json_decref(agency);
        json_decref(override);
        resp_result(r, res);
        return;
    }
    if (override)
        json_object_update(agency, override);
    json_decref(override);
    json_t *p = json_object_get(agency, "parent_id");
    json_t *ctx =
        json_pack("{s:s,s:o,s:o,s:o}", "title", "Sửa cơ quan", "agency", agency, "parents",
                  options(list, json_is_integer(p) ? json_integer_value(p) : 0, id), "errors",
                  e ? verrs_json(e) : json_object());
    json_decref(list);
    web_render(r, status, "admin_agency_edit", ctx, "admin_agencies");
}

void page_admin_agency(struct req *r)
{
    render_agency(r, 200, req_param_id(r, "id"), NULL, NULL);
}

void page_admin_agency_post(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    struct agency_input in = {req_form(r, "code"), req_form(r, "name"), req_form(r, "abbr"),
                              req_form(r, "host_label"), form_id(r, "parent_id")};
    struct verrs e = {0};
    result_t res = id ? agency_update(r->app, &r->actor, id, &in, &e) : RES_NOT_FOUND;
    if (res == RES_OK) {
        flash_redirect(r, "Đã lưu thông tin cơ quan.", "/admin/agencies");
        return;
    }
    if (res != RES_INVALID && res != RES_CONFLICT) {
        resp_result(r, res);
        return;
    }
    json_t *o = json_pack("{s:s,s:s,s:s,s:I}", "code", in.code ? in.code : "", "name",
                          in.name ? in.name : "", "abbr", in.abbr ? in.abbr : "", "parent_id",
                          (json_int_t)in.parent_id);
    render_agency(r, 422, id, o, &e);
}

void page_admin_agency_toggle(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    json_t *agency = NULL;
    if (!id || agency_get(r->app, &r->actor, id, &agency) != RES_OK) {
        resp_result(r, RES_NOT_FOUND);
        return;
    }
    bool active = json_is_true(json_object_get(agency, "active"));
    json_decref(agency);
    result_t res = agency_set_active(r->app, &r->actor, id, !active);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    flash_redirect(r, active ? "Đã khóa cơ quan." : "Đã mở khóa cơ quan.", "/admin/agencies");
}

/* ---- departments ---- */

/* The context of an agency-scoped page with its agency (web_agency_scope); NULL after
 * answering when the policy refuses the screen or a system administrator must first
 * choose the agency (the page that asks is rendered). */
static json_t *scoped_ctx(struct req *r, enum web_screen screen, const char *title,
                          const char *path, const char *nav, int64_t *agency)
{
    result_t res = web_screen_check(r, screen);
    if (res != RES_OK) {
        resp_result(r, res);
        return NULL;
    }
    json_t *ctx = json_pack("{s:s}", "title", title);
    *agency = web_agency_scope(r, ctx, path);
    if (!*agency) {
        web_render_pick_agency(r, ctx, title, nav);
        return NULL;
    }
    return ctx;
}

/* A page of an agency-scoped screen, for redirects: path plus the agency's query. */
static const char *scoped(struct req *r, const char *path)
{
    return arena_printf(&r->arena, "%s%s", path, web_agency_query(r));
}

static void render_departments(struct req *r, int status, json_t *form, const struct verrs *e)
{
    int64_t agency = 0;
    json_t *list = NULL;
    json_t *ctx = scoped_ctx(r, SCREEN_DEPARTMENTS, "Phòng ban", "/admin/departments",
                             "admin_departments", &agency);
    result_t res = ctx ? department_list(r->app, &r->actor, agency, &list) : RES_OK;
    if (!ctx || res != RES_OK) {
        json_decref(ctx);
        json_decref(form);
        if (ctx)
            resp_result(r, res);
        return;
    }
    int64_t parent = json_integer_value(json_object_get(form, "parent_id"));
    json_object_set_new(ctx, "departments", list);
    json_object_set_new(ctx, "parents", options(list, parent, 0));
    json_object_set_new(ctx, "form", form);
    json_object_set_new(ctx, "errors", e ? verrs_json(e) : json_object());
    web_render(r, status, "admin_departments", ctx, "admin_departments");
}

void page_admin_departments(struct req *r)
{
    render_departments(r, 200, json_object(), NULL);
}

static void department_save(struct req *r, int64_t id)
{
    struct department_input in = {req_form(r, "name"), req_form(r, "abbr"),
                                  form_id(r, "parent_id")};
    struct verrs e = {0};
    result_t res = id ? department_update(r->app, &r->actor, id, &in, &e)
                      : department_create(r->app, &r->actor, req_target_agency(r), &in, &e, NULL);
    if (res == RES_OK) {
        flash_redirect(r, id ? "Đã lưu phòng ban." : "Đã tạo phòng ban.",
                       scoped(r, "/admin/departments"));
        return;
    }
    if (res != RES_INVALID && res != RES_CONFLICT) {
        resp_result(r, res);
        return;
    }
    render_departments(r, 422,
                       json_pack("{s:s,s:s,s:I}", "name", in.name ? in.name : "", "abbr",
                                 in.abbr ? in.abbr : "", "parent_id", (json_int_t)in.parent_id),
                       &e);
}

void page_admin_departments_post(struct req *r)
{
    department_save(r, 0);
}

void page_admin_department_post(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    if (!id) {
        resp_result(r, RES_NOT_FOUND);
        return;
    }
    department_save(r, id);
}

static void toggle(struct req *r,
                   result_t (*set)(struct app *, const struct actor *, int64_t, bool),
                   const char *to, const char *what)
{
    int64_t id = req_param_id(r, "id");
    const char *active = req_form(r, "active");
    bool on = active && strcmp(active, "1") == 0;
    if (!active || (!on && strcmp(active, "0") != 0)) { /* say which, never guess */
        resp_error(r, 400, "Dữ liệu không hợp lệ", "Thiếu lựa chọn ngừng dùng hay dùng lại.");
        return;
    }
    result_t res = id ? set(r->app, &r->actor, id, on) : RES_NOT_FOUND;
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    flash_redirect(r, arena_printf(&r->arena, "%s %s.", on ? "Đã dùng lại" : "Đã ngừng dùng", what),
                   scoped(r, to));
}

void page_admin_department_toggle(struct req *r)
{
    toggle(r, department_set_active, "/admin/departments", "phòng ban");
}

/* ---- positions ---- */

static void render_positions(struct req *r, int status, json_t *form, const struct verrs *e)
{
    int64_t agency = 0;
    json_t *list = NULL;
    json_t *ctx =
        scoped_ctx(r, SCREEN_POSITIONS, "Chức vụ", "/admin/positions", "admin_positions", &agency);
    result_t res = ctx ? position_list(r->app, &r->actor, agency, &list) : RES_OK;
    if (!ctx || res != RES_OK) {
        json_decref(ctx);
        json_decref(form);
        if (ctx)
            resp_result(r, res);
        return;
    }
    json_object_set_new(ctx, "positions", list);
    json_object_set_new(ctx, "form", form);
    json_object_set_new(ctx, "errors", e ? verrs_json(e) : json_object());
    web_render(r, status, "admin_positions", ctx, "admin_positions");
}

void page_admin_positions(struct req *r)
{
    render_positions(r, 200, json_object(), NULL);
}

static void position_save(struct req *r, int64_t id)
{
    struct position_input in = {req_form(r, "name"), 100};
    struct verrs e = {0};
    const char *rank = req_form(r, "rank");
    if (rank && *rank && str_to_i64(rank, 0, 999, &in.rank) != RES_OK)
        verrs_add(&e, "rank", "Thứ bậc phải là số nguyên từ 0 đến 999.");
    result_t res = e.count ? RES_INVALID
                   : id    ? position_update(r->app, &r->actor, id, &in, &e)
                        : position_create(r->app, &r->actor, req_target_agency(r), &in, &e, NULL);
    if (res == RES_OK) {
        flash_redirect(r, id ? "Đã lưu chức vụ." : "Đã tạo chức vụ.",
                       scoped(r, "/admin/positions"));
        return;
    }
    if (res != RES_INVALID && res != RES_CONFLICT) {
        resp_result(r, res);
        return;
    }
    render_positions(
        r, 422, json_pack("{s:s,s:s}", "name", in.name ? in.name : "", "rank", rank ? rank : ""),
        &e);
}

void page_admin_positions_post(struct req *r)
{
    position_save(r, 0);
}

void page_admin_position_post(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    if (!id) {
        resp_result(r, RES_NOT_FOUND);
        return;
    }
    position_save(r, id);
}

void page_admin_position_toggle(struct req *r)
{
    toggle(r, position_set_active, "/admin/positions", "chức vụ");
}

/* ---- users ---- */

void page_admin_users(struct req *r)
{
    int64_t page = 1, total = 0, agency = 0;
    const char *p = req_query(r, "page"), *q = req_query(r, "q");
    if (p && str_to_i64(p, 1, 100000, &page) != RES_OK)
        page = 1;
    json_t *list = NULL;
    json_t *ctx = scoped_ctx(r, SCREEN_USERS, "Người dùng", "/admin/users", "admin_users", &agency);
    if (!ctx)
        return;
    result_t res = user_list(r->app, &r->actor, agency, q, (int)page, 50, &list, &total);
    if (res != RES_OK) {
        json_decref(ctx);
        resp_result(r, res);
        return;
    }
    json_t *pg = json_pack("{s:I,s:I}", "number", (json_int_t)page, "total", (json_int_t)total);
    const char *qs = q && *q ? web_url_encode(&r->arena, q) : NULL;
    const char *aq = web_agency_query(r); /* "?agency_id=N" or "" */
    const char *base = arena_printf(&r->arena, "/admin/users%s%s", aq, *aq ? "&" : "?");
    if (page > 1)
        json_object_set_new(
            pg, "prev_href",
            json_string(arena_printf(&r->arena, "%spage=%lld%s%s", base, (long long)page - 1,
                                     qs ? "&q=" : "", qs ? qs : "")));
    if (page * 50 < total)
        json_object_set_new(
            pg, "next_href",
            json_string(arena_printf(&r->arena, "%spage=%lld%s%s", base, (long long)page + 1,
                                     qs ? "&q=" : "", qs ? qs : "")));
    json_object_set_new(ctx, "users", list);
    json_object_set_new(ctx, "q", json_string(q ? q : ""));
    json_object_set_new(ctx, "page", pg);
    web_render(r, 200, "admin_users", ctx, "admin_users");
}

static json_t *role_options(unsigned checked)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < role_count; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:b}", "key", role_table[i].key, "label",
                                             role_table[i].label, "checked",
                                             (checked & role_table[i].bit) != 0));
    return arr;
}

static void render_user_form(struct req *r, int status, bool is_new, json_t *user,
                             const struct verrs *e, const char *temp_password)
{
    json_t *ctx = json_object();
    int64_t agency = web_agency_scope(r, ctx, "/admin/users");
    if (!agency) {
        json_decref(user);
        web_render_pick_agency(r, ctx, "Người dùng", "admin_users");
        return;
    }
    json_t *depts = NULL, *poss = NULL;
    if (department_list(r->app, &r->actor, agency, &depts) != RES_OK)
        depts = json_array();
    if (position_list(r->app, &r->actor, agency, &poss) != RES_OK)
        poss = json_array();
    json_t *d = json_object_get(user, "department_id"), *p = json_object_get(user, "position_id");
    unsigned roles = 0;
    size_t i;
    json_t *k;
    json_array_foreach(json_object_get(user, "roles"), i, k)
    {
        roles |= json_is_string(k) ? role_from_key(json_string_value(k)) : 0;
    }
    /* What this administrator may do to the account (the policy's answer, in user_get's
     * manages_account): a concurrent post's account belongs to its home agency. */
    bool manages = is_new || json_is_true(json_object_get(user, "manages_account"));
    json_object_set_new(ctx, "title", json_string(is_new ? "Thêm người dùng" : "Người dùng"));
    json_object_set_new(ctx, "is_new", json_boolean(is_new));
    json_object_set_new(ctx, "account_editable", json_boolean(manages));
    json_object_set_new(ctx, "account_actions", json_boolean(manages && !is_new));
    json_object_set_new(ctx, "account", user);
    json_object_set_new(ctx, "departments",
                        options(depts, json_is_integer(d) ? json_integer_value(d) : 0, 0));
    json_object_set_new(ctx, "positions",
                        options(poss, json_is_integer(p) ? json_integer_value(p) : 0, 0));
    json_object_set_new(ctx, "roles", role_options(roles));
    json_object_set_new(ctx, "errors", e ? verrs_json(e) : json_object());
    if (temp_password && *temp_password)
        json_object_set_new(ctx, "temp_password", json_string(temp_password));
    json_decref(depts);
    json_decref(poss);
    web_render(r, status, "admin_user_form", ctx, "admin_users");
}

void page_admin_user_new(struct req *r)
{
    /* the empty form: the policy's answer to "may create users here" */
    result_t res = authz_check(&r->actor, AZ_USER_MANAGE, req_target_agency(r));
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    render_user_form(r, 200, true,
                     json_pack("{s:[s],s:b}", "roles", "specialist", "must_change", 1), NULL, NULL);
}

static void user_input_from_form(struct req *r, struct user_input *in)
{
    memset(in, 0, sizeof(*in));
    in->login = req_form(r, "login");
    in->full_name = req_form(r, "full_name");
    in->email = req_form(r, "email");
    in->phone = req_form(r, "phone");
    in->password = req_form(r, "password");
    in->department_id = form_id(r, "department_id");
    in->position_id = form_id(r, "position_id");
    const char *mc = req_form(r, "must_change");
    in->must_change = mc && strcmp(mc, "1") == 0;
    const char *roles[8];
    int n = req_form_all(r, "roles", roles, 8);
    for (int i = 0; i < n; i++)
        in->roles |= role_from_key(roles[i]);
}

static json_t *user_from_input(const struct user_input *in, int64_t id)
{
    json_t *roles = json_array();
    for (size_t i = 0; i < role_count; i++)
        if (in->roles & role_table[i].bit)
            json_array_append_new(roles, json_string(role_table[i].key));
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:o,s:b}", "id", (json_int_t)id, "login",
                     in->login ? in->login : "", "full_name", in->full_name ? in->full_name : "",
                     "email", in->email ? in->email : "", "phone", in->phone ? in->phone : "",
                     "department_id", (json_int_t)in->department_id, "position_id",
                     (json_int_t)in->position_id, "roles", roles, "must_change", in->must_change);
}

void page_admin_users_post(struct req *r)
{
    struct user_input in;
    user_input_from_form(r, &in);
    struct verrs e = {0};
    int64_t id = 0, agency = req_target_agency(r);
    char temp[64];
    bool added = false;
    result_t res = user_create(r->app, &r->actor, agency, &in, &e, &id, temp, &added);
    if (res == RES_INVALID || res == RES_CONFLICT) {
        render_user_form(r, 422, true, user_from_input(&in, 0), &e, NULL);
        return;
    }
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    json_t *user = NULL;
    if (user_get(r->app, &r->actor, agency, id, &user) != RES_OK) {
        resp_result(r, RES_INTERNAL);
        return;
    }
    /* Show the initial password once, on this response only (never in a URL). */
    web_flash(r, "success",
              added ? "Đã thêm kiêm nhiệm cho người dùng đã có tài khoản."
                    : "Đã tạo người dùng. Hãy trao mật khẩu ban đầu cho người dùng.");
    render_user_form(r, 201, false, user, NULL, temp);
}

void page_admin_user(struct req *r)
{
    json_t *user = NULL;
    int64_t id = req_param_id(r, "id");
    result_t res =
        id ? user_get(r->app, &r->actor, req_target_agency(r), id, &user) : RES_NOT_FOUND;
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    render_user_form(r, 200, false, user, NULL, NULL);
}

void page_admin_user_post(struct req *r)
{
    int64_t id = req_param_id(r, "id"), agency = req_target_agency(r);
    struct user_input in;
    user_input_from_form(r, &in);
    struct verrs e = {0};
    result_t res = id ? user_update(r->app, &r->actor, agency, id, &in, &e) : RES_NOT_FOUND;
    if (res == RES_INVALID || res == RES_CONFLICT) {
        json_t *cur = NULL;
        if (user_get(r->app, &r->actor, agency, id, &cur) != RES_OK) {
            resp_result(r, RES_NOT_FOUND);
            return;
        }
        json_t *edited = user_from_input(&in, id);
        json_object_del(edited, "login");
        if (!json_is_true(json_object_get(cur, "manages_account"))) {
            /* not saved for this administrator: show the account as it is */
            json_object_del(edited, "full_name");
            json_object_del(edited, "email");
            json_object_del(edited, "phone");
            json_object_del(edited, "must_change");
        }
        json_object_update(cur, edited);
        json_decref(edited);
        render_user_form(r, 422, false, cur, &e, NULL);
        return;
    }
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    json_t *saved = NULL;
    bool account = user_get(r->app, &r->actor, agency, id, &saved) == RES_OK &&
                   json_is_true(json_object_get(saved, "manages_account"));
    json_decref(saved);
    flash_redirect(
        r, account ? "Đã lưu người dùng." : "Đã lưu phòng ban, chức vụ và vai trò tại cơ quan này.",
        scoped(r, arena_printf(&r->arena, "/admin/users/%lld", (long long)id)));
}

void page_admin_user_reset(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    char temp[64];
    result_t res = id ? user_reset_password(r->app, &r->actor, id, temp) : RES_NOT_FOUND;
    json_t *user = NULL;
    if (res != RES_OK || user_get(r->app, &r->actor, req_target_agency(r), id, &user) != RES_OK) {
        resp_result(r, res != RES_OK ? res : RES_NOT_FOUND);
        return;
    }
    render_user_form(r, 200, false, user, NULL, temp);
}

static void user_lock(struct req *r, bool disabled)
{
    int64_t id = req_param_id(r, "id");
    result_t res = id ? user_set_disabled(r->app, &r->actor, id, disabled) : RES_NOT_FOUND;
    if (res == RES_CONFLICT) {
        resp_error(r, 409, "Không thể tự khóa tài khoản của mình", NULL);
        return;
    }
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    flash_redirect(r,
                   disabled ? "Đã khóa tài khoản và thu hồi mọi phiên." : "Đã mở khóa tài khoản.",
                   scoped(r, arena_printf(&r->arena, "/admin/users/%lld", (long long)id)));
}

void page_admin_user_lock(struct req *r)
{
    user_lock(r, true);
}

void page_admin_user_unlock(struct req *r)
{
    user_lock(r, false);
}

/* ---- audit ---- */

/* What an audit row's object is, in words: "Người dùng: Bùi Văn Long". */
static const char *object_text(struct req *r, const char *type, const char *id, const char *name)
{
    static const struct {
        const char *type, *label;
    } labels[] = {
        {"user", "Người dùng"},
        {"agency", "Cơ quan"},
        {"department", "Phòng ban"},
        {"position", "Chức vụ"},
        {"signing_key", "Khóa ký số"},
        {"signature_image", "Ảnh chữ ký, con dấu"},
        {"session", "Phiên đăng nhập"},
        {"document", "Văn bản"},
        {"doc_register", "Sổ văn bản"},
        {"calendar_override", "Lịch làm việc"},
        {"job", "Việc nền"},
    };
    const char *label = type && *type ? type : "";
    for (size_t i = 0; type && i < sizeof(labels) / sizeof(labels[0]); i++)
        if (strcmp(type, labels[i].type) == 0)
            label = labels[i].label;
    if (name && *name)
        return arena_printf(&r->arena, "%s: %s", label, name);
    if (id && *id)
        return arena_printf(&r->arena, "%s (mã %s)", label, id);
    return label;
}

void page_admin_audit(struct req *r)
{
    const struct audit_query q = {.agency_id = req_query(r, "agency_id"),
                                  .actor = req_query(r, "actor"),
                                  .action = req_query(r, "action"),
                                  .from = req_query(r, "from"),
                                  .to = req_query(r, "to"),
                                  .before = req_query(r, "before")};
    struct audit_filter f;
    struct verrs e = {0};
    int64_t number = 1;
    const char *pg = req_query(r, "page");
    if (pg && *pg && str_to_i64(pg, 1, 1000000, &number) != RES_OK)
        number = 1;
    result_t res = web_screen_check(r, SCREEN_AUDIT);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    /* A bad filter is a field error and no rows: the newest rows under a filter the
     * reader believes applied would mislead (standards.md §12, validation). */
    bool bad = audit_filter_parse(&r->actor, &q, &f, &e) != RES_OK || e.count > 0;
    if (!bad && f.from && f.to && f.to <= f.from) {
        verrs_add(&e, "to", "Đến ngày phải cùng hoặc sau Từ ngày.");
        bad = true;
    }
    json_t *rows = NULL;
    res = bad ? RES_OK : audit_search(r->app, &r->actor, &f, &rows);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    if (!rows)
        rows = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *name = json_string_value(json_object_get(row, "actor_name"));
        const char *login = json_string_value(json_object_get(row, "actor_login"));
        json_object_set_new(
            row, "actor",
            json_string(arena_printf(&r->arena, "%s%s%s%s", name && *name ? name : "",
                                     name && *name ? " (" : "", login ? login : "",
                                     name && *name ? ")" : "")));
        json_object_set_new(
            row, "object",
            json_string(object_text(r, json_string_value(json_object_get(row, "object_type")),
                                    json_string_value(json_object_get(row, "object_id")),
                                    json_string_value(json_object_get(row, "object_name")))));
    }
    json_t *actions = json_array();
    for (const struct audit_action *a = audit_actions; a->key; a++)
        json_array_append_new(actions,
                              json_pack("{s:s,s:s,s:b}", "key", a->key, "label", a->label,
                                        "selected", f.action && strcmp(f.action, a->key) == 0));
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    const char *actor = req_query(r, "actor"), *action = req_query(r, "action");
    json_t *filter = json_pack("{s:s,s:s,s:s,s:s}", "actor", actor ? actor : "", "action",
                               action ? action : "", "from", from ? from : "", "to", to ? to : "");
    /* The filter as a query string, kept by every paging link. */
    const char *fq = arena_printf(&r->arena, "actor=%s&action=%s&from=%s&to=%s",
                                  web_url_encode(&r->arena, actor ? actor : ""),
                                  web_url_encode(&r->arena, action ? action : ""),
                                  web_url_encode(&r->arena, from ? from : ""),
                                  web_url_encode(&r->arena, to ? to : ""));
    json_t *page = json_pack("{s:I}", "number", (json_int_t)number);
    json_t *last = json_array_get(rows, json_array_size(rows) - 1);
    if (last && json_array_size(rows) == (size_t)f.limit)
        json_object_set_new(
            page, "next_href",
            json_string(arena_printf(&r->arena, "/admin/audit?before=%lld&page=%lld&%s",
                                     (long long)json_integer_value(json_object_get(last, "id")),
                                     (long long)number + 1, fq)));
    /* Keyset paging goes forward only: back is to the first page, named as such when it
     * is not the previous one. */
    if (f.before_id) {
        const char *first = arena_printf(&r->arena, "/admin/audit?%s", fq);
        json_object_set_new(page, number == 2 ? "prev_href" : "first_href", json_string(first));
    }
    json_t *ctx =
        json_pack("{s:s,s:o,s:o,s:o,s:o,s:o}", "title", "Nhật ký hệ thống", "rows", rows, "filter",
                  filter, "actions", actions, "page", page, "errors", verrs_json(&e));
    if (bad)
        json_object_set_new(ctx, "filter_invalid", json_true());
    web_render(r, bad ? 422 : 200, "audit", ctx, "audit");
}
