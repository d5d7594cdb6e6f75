/* /api/v1 administration: agencies, departments, positions, users, audit log. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/agency.h"
#include "core/audit.h"
#include "core/authz.h"
#include "core/audit_filter.h"
#include "core/org.h"
#include "core/role.h"
#include "core/user.h"
#include "util/clock.h"
#include "util/str.h"

static void respond_saved(struct req *r, result_t res, const struct verrs *e, int status,
                          json_t *body)
{
    if (res == RES_OK) {
        resp_json(r, status, body);
        return;
    }
    json_decref(body);
    if ((res == RES_INVALID || res == RES_CONFLICT) && e->count)
        resp_problem(r, res == RES_CONFLICT ? 409 : 422, "validation", "Dữ liệu không hợp lệ",
                     "Vui lòng kiểm tra các trường được báo lỗi.", e);
    else
        resp_result(r, res);
}

/* Optional integer member: absent/null → 0; anything else not an integer → error. */
static bool json_id(json_t *in, const char *key, int64_t *out, struct verrs *e)
{
    json_t *v = json_object_get(in, key);
    *out = 0;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        verrs_add(e, key, "Giá trị phải là số nguyên không âm.");
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

/* The members each body may carry (web/openapi.json, additionalProperties: false); any
 * other is a typo reported in errors.body (json_unknown_members), nothing written. A PATCH
 * is checked before the current values fill in the absent members. */
static const char *const agency_create_keys[] = {"code",       "name",      "abbr",
                                                 "host_label", "parent_id", NULL};
static const char *const agency_patch_keys[] = {"code",      "name",   "abbr", "host_label",
                                                "parent_id", "active", NULL};
static const char *const department_create_keys[] = {"name", "abbr", "parent_id", NULL};
static const char *const department_patch_keys[] = {"name", "abbr", "parent_id", "active", NULL};
static const char *const position_create_keys[] = {"name", "rank", NULL};
static const char *const position_patch_keys[] = {"name", "rank", "active", NULL};
static const char *const user_keys[] = {"login",    "full_name",   "email",         "phone",
                                        "password", "must_change", "department_id", "position_id",
                                        "roles",    NULL};

/* A PATCH body: refused (answered here, NULL) when it is not JSON or names a member not
 * in keys; otherwise the current values (cur, released) fill in the absent members. */
static json_t *patch_body(struct req *r, json_t *cur, const char *const *keys, struct verrs *e)
{
    json_t *in = req_json(r);
    if (in)
        json_unknown_members(in, keys, e);
    if (in && e->count)
        respond_saved(r, RES_INVALID, e, 200, json_object());
    if (in && !e->count)
        json_object_update_missing(in, cur); /* PATCH: absent members keep their value */
    json_decref(cur);
    return in && !e->count ? in : NULL;
}

/* ---- agencies ---- */

void api_agencies_list(struct req *r)
{
    json_t *list = NULL;
    result_t res = agency_list(r->app, &r->actor, &list);
    resp_list(r, res, "agencies", list);
}

static bool agency_input_from(json_t *in, struct agency_input *ai, struct verrs *e)
{
    memset(ai, 0, sizeof(*ai));
    ai->code = json_str(in, "code");
    ai->name = json_str(in, "name");
    ai->abbr = json_str(in, "abbr");
    ai->host_label = json_str(in, "host_label");
    return json_id(in, "parent_id", &ai->parent_id, e);
}

void api_agencies_create(struct req *r)
{
    json_t *in = req_json(r);
    if (!in)
        return;
    struct agency_input ai;
    struct verrs e = {0};
    int64_t id = 0;
    json_unknown_members(in, agency_create_keys, &e);
    result_t res = agency_input_from(in, &ai, &e) && !e.count
                       ? agency_create(r->app, &r->actor, &ai, &e, &id)
                       : RES_INVALID;
    json_t *out = NULL;
    if (res == RES_OK)
        agency_get(r->app, &r->actor, id, &out);
    respond_saved(r, res, &e, 201, out ? out : json_object());
}

void api_agency_get(struct req *r)
{
    json_t *out = NULL;
    int64_t id = req_param_id(r, "id");
    result_t res = id ? agency_get(r->app, &r->actor, id, &out) : RES_NOT_FOUND;
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, 200, out);
}

void api_agency_update(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    json_t *cur = NULL;
    if (!id || agency_get(r->app, &r->actor, id, &cur) != RES_OK) {
        resp_result(r, RES_NOT_FOUND);
        return;
    }
    struct verrs e = {0};
    json_t *in = patch_body(r, cur, agency_patch_keys, &e);
    if (!in)
        return;
    struct agency_input ai;
    /* One transaction for the fields and the active flag: both change or neither. */
    json_t *active = json_object_get(in, "active");
    int set_active = json_is_boolean(active) ? json_is_true(active) : -1;
    result_t res = agency_input_from(in, &ai, &e)
                       ? agency_patch(r->app, &r->actor, id, &ai, set_active, &e)
                       : RES_INVALID;
    json_t *out = NULL;
    if (res == RES_OK)
        agency_get(r->app, &r->actor, id, &out);
    respond_saved(r, res, &e, 200, out ? out : json_object());
}

/* ---- departments and positions ---- */

void api_departments_list(struct req *r)
{
    json_t *list = NULL;
    result_t res = department_list(r->app, &r->actor, req_target_agency(r), &list);
    resp_list(r, res, "departments", list);
}

void api_departments_create(struct req *r)
{
    json_t *in = req_json(r);
    if (!in)
        return;
    struct verrs e = {0};
    struct department_input di = {json_str(in, "name"), json_str(in, "abbr"), 0};
    int64_t id = 0;
    json_unknown_members(in, department_create_keys, &e);
    result_t res = json_id(in, "parent_id", &di.parent_id, &e) && !e.count
                       ? department_create(r->app, &r->actor, req_target_agency(r), &di, &e, &id)
                       : RES_INVALID;
    respond_saved(r, res, &e, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

void api_department_update(struct req *r)
{
    json_t *in = req_json(r);
    if (!in)
        return;
    struct verrs e = {0};
    int64_t id = req_param_id(r, "id");
    struct department_input di = {json_str(in, "name"), json_str(in, "abbr"), 0};
    json_unknown_members(in, department_patch_keys, &e);
    result_t res = !id ? RES_NOT_FOUND
                   : json_id(in, "parent_id", &di.parent_id, &e) && !e.count
                       ? department_update(r->app, &r->actor, id, &di, &e)
                       : RES_INVALID;
    json_t *active = json_object_get(in, "active");
    if (res == RES_OK && json_is_boolean(active))
        res = department_set_active(r->app, &r->actor, id, json_is_true(active));
    respond_saved(r, res, &e, 200, json_pack("{s:I}", "id", (json_int_t)id));
}

void api_positions_list(struct req *r)
{
    json_t *list = NULL;
    result_t res = position_list(r->app, &r->actor, req_target_agency(r), &list);
    resp_list(r, res, "positions", list);
}

static bool position_from(json_t *in, struct position_input *pi, struct verrs *e)
{
    pi->name = json_str(in, "name");
    pi->rank = 100;
    json_t *rank = json_object_get(in, "rank");
    if (rank && !json_is_integer(rank)) {
        verrs_add(e, "rank", "Thứ tự phải là số nguyên.");
        return false;
    }
    if (rank)
        pi->rank = json_integer_value(rank);
    return true;
}

void api_positions_create(struct req *r)
{
    json_t *in = req_json(r);
    if (!in)
        return;
    struct verrs e = {0};
    struct position_input pi;
    int64_t id = 0;
    json_unknown_members(in, position_create_keys, &e);
    result_t res = position_from(in, &pi, &e) && !e.count
                       ? position_create(r->app, &r->actor, req_target_agency(r), &pi, &e, &id)
                       : RES_INVALID;
    respond_saved(r, res, &e, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

void api_position_update(struct req *r)
{
    json_t *in = req_json(r);
    if (!in)
        return;
    struct verrs e = {0};
    struct position_input pi;
    int64_t id = req_param_id(r, "id");
    json_unknown_members(in, position_patch_keys, &e);
    result_t res = !id ? RES_NOT_FOUND
                   : position_from(in, &pi, &e) && !e.count
                       ? position_update(r->app, &r->actor, id, &pi, &e)
                       : RES_INVALID;
    json_t *active = json_object_get(in, "active");
    if (res == RES_OK && json_is_boolean(active))
        res = position_set_active(r->app, &r->actor, id, json_is_true(active));
    respond_saved(r, res, &e, 200, json_pack("{s:I}", "id", (json_int_t)id));
}

/* ---- users ---- */

static bool user_input_from(json_t *in, struct user_input *ui, struct verrs *e)
{
    memset(ui, 0, sizeof(*ui));
    ui->login = json_str(in, "login");
    ui->full_name = json_str(in, "full_name");
    ui->email = json_str(in, "email");
    ui->phone = json_str(in, "phone");
    ui->password = json_str(in, "password");
    json_t *mc = json_object_get(in, "must_change");
    ui->must_change = json_is_boolean(mc) ? json_is_true(mc) : -1;
    bool ok = json_id(in, "department_id", &ui->department_id, e) &
              json_id(in, "position_id", &ui->position_id, e);
    json_t *roles = json_object_get(in, "roles");
    if (!json_is_array(roles)) {
        verrs_add(e, "roles", "Vai trò phải là danh sách, ví dụ [\"clerk\"].");
        return false;
    }
    size_t i;
    json_t *v;
    json_array_foreach(roles, i, v)
    {
        unsigned bit = json_is_string(v) ? role_from_key(json_string_value(v)) : 0;
        if (!bit) {
            verrs_add(e, "roles",
                      "Vai trò không hợp lệ; dùng: admin, clerk, agency_leader, "
                      "department_leader, specialist.");
            return false;
        }
        ui->roles |= bit;
    }
    return ok;
}

void api_users_list(struct req *r)
{
    json_t *list = NULL;
    int64_t total = 0, page = 1;
    const char *p = req_query(r, "page");
    if (p && str_to_i64(p, 1, 100000, &page) != RES_OK)
        page = 1;
    result_t res = user_list(r->app, &r->actor, req_target_agency(r), req_query(r, "q"), (int)page,
                             50, &list, &total);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, 200,
              json_pack("{s:o,s:I,s:I,s:i}", "users", list, "total", (json_int_t)total, "page",
                        (json_int_t)page, "per_page", 50));
}

void api_users_create(struct req *r)
{
    json_t *in = req_json(r);
    if (!in)
        return;
    struct user_input ui;
    struct verrs e = {0};
    int64_t id = 0;
    char temp[64] = "";
    bool added_post = false;
    int64_t agency = req_target_agency(r);
    json_unknown_members(in, user_keys, &e);
    result_t res = user_input_from(in, &ui, &e) && !e.count
                       ? user_create(r->app, &r->actor, agency, &ui, &e, &id, temp, &added_post)
                       : RES_INVALID;
    json_t *out = NULL;
    if (res == RES_OK && user_get(r->app, &r->actor, agency, id, &out) == RES_OK) {
        if (temp[0])
            json_object_set_new(out, "temporary_password", json_string(temp));
        json_object_set_new(out, "added_concurrent_post", json_boolean(added_post));
    }
    respond_saved(r, res, &e, 201, out ? out : json_object());
}

void api_user_get(struct req *r)
{
    json_t *out = NULL;
    int64_t id = req_param_id(r, "id");
    result_t res = id ? user_get(r->app, &r->actor, req_target_agency(r), id, &out) : RES_NOT_FOUND;
    if (res != RES_OK) {
        resp_result(r, res == RES_FORBIDDEN ? RES_FORBIDDEN : res);
        return;
    }
    resp_json(r, 200, out);
}

void api_user_update(struct req *r)
{
    int64_t id = req_param_id(r, "id"), agency = req_target_agency(r);
    json_t *cur = NULL;
    result_t res = id ? user_get(r->app, &r->actor, agency, id, &cur) : RES_NOT_FOUND;
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    struct verrs e = {0};
    json_t *in = patch_body(r, cur, user_keys, &e);
    if (!in)
        return;
    struct user_input ui;
    res = user_input_from(in, &ui, &e) ? user_update(r->app, &r->actor, agency, id, &ui, &e)
                                       : RES_INVALID;
    json_t *out = NULL;
    if (res == RES_OK)
        user_get(r->app, &r->actor, agency, id, &out);
    respond_saved(r, res, &e, 200, out ? out : json_object());
}

void api_user_reset_password(struct req *r)
{
    char temp[64];
    int64_t id = req_param_id(r, "id");
    result_t res = id ? user_reset_password(r->app, &r->actor, id, temp) : RES_NOT_FOUND;
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, 200, json_pack("{s:s}", "temporary_password", temp));
}

static void lock(struct req *r, bool disabled)
{
    int64_t id = req_param_id(r, "id");
    result_t res = id ? user_set_disabled(r->app, &r->actor, id, disabled) : RES_NOT_FOUND;
    if (res == RES_CONFLICT) {
        resp_problem(r, 409, "conflict", "Không thể tự khóa tài khoản của mình", NULL, NULL);
        return;
    }
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_text(r, 204, "text/plain", "", 0);
}

void api_user_lock(struct req *r)
{
    lock(r, true);
}

void api_user_unlock(struct req *r)
{
    lock(r, false);
}

/* ---- audit ---- */

void api_audit_list(struct req *r)
{
    const struct audit_query q = {.agency_id = req_query(r, "agency_id"),
                                  .actor = req_query(r, "actor"),
                                  .action = req_query(r, "action"),
                                  .from = req_query(r, "from"),
                                  .to = req_query(r, "to"),
                                  .before = req_query(r, "before")};
    struct audit_filter f;
    struct verrs e = {0};
    if (audit_filter_parse(&r->actor, &q, &f, &e) != RES_OK) {
        resp_problem(r, 400, "validation", "Bộ lọc không hợp lệ", NULL, &e);
        return;
    }
    json_t *rows = NULL;
    result_t res = audit_search(r->app, &r->actor, &f, &rows);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    json_t *last = json_array_get(rows, json_array_size(rows) - 1);
    json_t *out = json_pack("{s:o}", "rows", rows);
    if (last && json_array_size(rows) == (size_t)f.limit)
        json_object_set_new(out, "next_before", json_copy(json_object_get(last, "id")));
    resp_json(r, 200, out);
}
