/* Departments and positions of an agency. Both are scoped: every call resolves the
 * object's agency first and asks authz for that agency. */
#include "core/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/authz.h"
#include "core/tx.h"
#include "core/validate.h"
#include "db/db.h"
#include "db/db_json.h"
#include "util/jtree.h"
#include "util/clock.h"

/* Queues the audit row of a department or position change (core/tx.h). */
static void audit_org(struct tx *t, const struct actor *a, int64_t agency_id, const char *action,
                      const char *type, int64_t id, const char *summary)
{
    char oid[24];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    tx_audit(t, &(struct audit_entry){.actor_id = a->user_id,
                                      .actor_login = a->login,
                                      .agency_id = agency_id,
                                      .action = action,
                                      .object_type = type,
                                      .object_id = oid,
                                      .summary = summary,
                                      .client_addr = a->client_addr});
}

/* Create (id 0) or update a department or position; a same-named sibling in the agency
 * is a refusal (RES_CONFLICT, nothing written). */
struct org_save {
    const struct actor *a;
    const char *table; /* "department" or "position" */
    int64_t agency_id, id, parent_id, rank;
    const char *name, *abbr;
    bool create_action; /* audit as *_create (callers that asked for the new id) */
    int64_t saved_id;   /* out */
};

static result_t org_save_tx(struct tx *t, void *arg)
{
    struct org_save *o = arg;
    struct db_conn *c = tx_conn(t);
    bool dept = strcmp(o->table, "department") == 0;
    int64_t other;
    o->saved_id = o->id;
    result_t r = db_one_i64(c, &other,
                            dept ? "SELECT id FROM department WHERE agency_id = $1 AND name = $2 "
                                   "AND id <> $3"
                                 : "SELECT id FROM position WHERE agency_id = $1 AND name = $2 "
                                   "AND id <> $3",
                            "iti", o->agency_id, o->name, o->id);
    if (r == RES_OK)
        return RES_CONFLICT;
    if (r != RES_NOT_FOUND)
        return r;
    if (dept && o->id)
        r = db_run(c, "UPDATE department SET name = $1, abbr = $2, parent_id = $3 WHERE id = $4",
                   "ttIi", o->name, o->abbr, o->parent_id, o->id);
    else if (dept)
        r = db_one_i64(
            c, &o->saved_id,
            "INSERT INTO department (agency_id, parent_id, name, abbr, active, created_at) "
            "VALUES ($1, $2, $3, $4, 1, $5) RETURNING id",
            "iItti", o->agency_id, o->parent_id, o->name, o->abbr, clock_now());
    else if (o->id)
        r = db_run(c, "UPDATE position SET name = $1, rank = $2 WHERE id = $3", "tii", o->name,
                   o->rank, o->id);
    else
        r = db_one_i64(c, &o->saved_id,
                       "INSERT INTO position (agency_id, name, rank, active, created_at) "
                       "VALUES ($1, $2, $3, 1, $4) RETURNING id",
                       "itii", o->agency_id, o->name, o->rank, clock_now());
    if (r != RES_OK)
        return r;
    audit_org(t, o->a, o->agency_id,
              dept ? (o->create_action ? "department_create" : "department_update")
                   : (o->create_action ? "position_create" : "position_update"),
              o->table, o->saved_id, o->name);
    return RES_OK;
}

static result_t dept_check_parent(struct db_conn *c, int64_t agency_id, int64_t self_id,
                                  int64_t parent_id, struct verrs *errs)
{
    if (!parent_id)
        return RES_OK;
    int64_t pa;
    if (db_one_i64(c, &pa, "SELECT agency_id FROM department WHERE id = $1", "i", parent_id) !=
            RES_OK ||
        pa != agency_id) {
        verrs_add(errs, "parent_id", "Phòng ban cấp trên không tồn tại trong cơ quan này.");
        return RES_INVALID;
    }
    int64_t cur = parent_id;
    for (int depth = 0; cur && depth < 32; depth++) {
        if (cur == self_id) {
            verrs_add(errs, "parent_id", "Không thể chọn phòng ban cấp dưới làm cấp trên.");
            return RES_INVALID;
        }
        if (db_one_i64(c, &cur, "SELECT COALESCE(parent_id, 0) FROM department WHERE id = $1", "i",
                       cur) != RES_OK)
            break;
    }
    return RES_OK;
}

static result_t dept_save(struct app *app, const struct actor *a, int64_t agency_id, int64_t id,
                          const struct department_input *in, struct verrs *errs, int64_t *id_out)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    char *name = field_clean(in->name, "name", "tên phòng ban", true, 255, errs);
    char *abbr = field_clean(in->abbr, "abbr", "tên viết tắt", false, 20, errs);
    if (abbr && *abbr && !abbr_valid(abbr))
        verrs_add(errs, "abbr", "Tên viết tắt chỉ gồm chữ cái, chữ số và dấu &, không dấu cách.");
    result_t r = RES_INVALID;
    if (errs->count || dept_check_parent(c, agency_id, id, in->parent_id, errs) != RES_OK)
        goto out;
    struct org_save o = {.a = a,
                         .table = "department",
                         .agency_id = agency_id,
                         .id = id,
                         .parent_id = in->parent_id,
                         .name = name,
                         .abbr = abbr,
                         .create_action = id_out != NULL};
    r = tx_run(app->db, org_save_tx, &o);
    if (r == RES_CONFLICT)
        verrs_add(errs, "name", "Đã có phòng ban cùng tên.");
    if (r == RES_OK && id_out)
        *id_out = o.saved_id;
out:
    free(name);
    free(abbr);
    return r;
}

result_t department_create(struct app *app, const struct actor *a, int64_t agency_id,
                           const struct department_input *in, struct verrs *errs, int64_t *id_out)
{
    result_t r = authz_check(a, AZ_ORG_MANAGE, agency_id);
    if (r != RES_OK)
        return r;
    int64_t dummy;
    return dept_save(app, a, agency_id, 0, in, errs, id_out ? id_out : &dummy);
}

static result_t owner_agency(struct app *app, const char *sql, int64_t id, int64_t *agency_id)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    return db_one_i64(c, agency_id, sql, "i", id);
}

/* A catalogue row is known to its agency's members: another agency's administrator
 * gets RES_NOT_FOUND, a member who may not change it RES_FORBIDDEN. */
static result_t check_row(const struct actor *a, int64_t agency_id)
{
    struct authz_object o = {.kind = AZ_OBJ_RECORD, .agency_id = agency_id};
    return authz_check_object(a, AZ_ORG_MANAGE, &o);
}

result_t department_update(struct app *app, const struct actor *a, int64_t id,
                           const struct department_input *in, struct verrs *errs)
{
    int64_t agency_id;
    result_t r =
        owner_agency(app, "SELECT agency_id FROM department WHERE id = $1", id, &agency_id);
    if (r != RES_OK)
        return r;
    if ((r = check_row(a, agency_id)) != RES_OK)
        return r;
    return dept_save(app, a, agency_id, id, in, errs, NULL);
}

struct org_active {
    const struct actor *a;
    const char *table;
    int64_t id, agency_id;
    bool active;
};

static result_t org_active_tx(struct tx *t, void *arg)
{
    const struct org_active *o = arg;
    char sql[128];
    snprintf(sql, sizeof(sql), "UPDATE %s SET active = $1 WHERE id = $2", o->table);
    result_t r = db_run(tx_conn(t), sql, "ii", (int64_t)o->active, o->id);
    if (r != RES_OK)
        return r;
    audit_org(t, o->a, o->agency_id,
              strcmp(o->table, "department") == 0 ? "department_update" : "position_update",
              o->table, o->id, o->active ? "Sử dụng lại" : "Ngừng sử dụng");
    return RES_OK;
}

static result_t set_active(struct app *app, const struct actor *a, const char *table, int64_t id,
                           bool active)
{
    char sql[128];
    int64_t agency_id;
    snprintf(sql, sizeof(sql), "SELECT agency_id FROM %s WHERE id = $1", table);
    result_t r = owner_agency(app, sql, id, &agency_id);
    if (r != RES_OK)
        return r;
    if ((r = check_row(a, agency_id)) != RES_OK)
        return r;
    struct org_active o = {
        .a = a, .table = table, .id = id, .agency_id = agency_id, .active = active};
    return tx_run(app->db, org_active_tx, &o);
}

result_t department_set_active(struct app *app, const struct actor *a, int64_t id, bool active)
{
    return set_active(app, a, "department", id, active);
}

result_t department_list(struct app *app, const struct actor *a, int64_t agency_id, json_t **out)
{
    result_t r = authz_check(a, AZ_ORG_READ, agency_id);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    struct db_stmt *s = NULL;
    if (!c)
        return RES_DB;
    r = db_query(c, &s,
                 "SELECT id, parent_id, name, abbr, active FROM department WHERE agency_id = $1 "
                 "ORDER BY name",
                 "i", agency_id);
    if (r != RES_OK)
        return r;
    json_t *all = NULL;
    if ((r = db_collect(s, "id:i,parent_id:I,name:t,abbr:t,active:b", &all)) != RES_OK)
        return r;
    *out = jtree_preorder(all, 16);
    json_decref(all);
    return RES_OK;
}

static result_t pos_save(struct app *app, const struct actor *a, int64_t agency_id, int64_t id,
                         const struct position_input *in, struct verrs *errs, int64_t *id_out)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    char *name = field_clean(in->name, "name", "tên chức vụ", true, 255, errs);
    if (in->rank < 0 || in->rank > 999) /* the form's hint: 0–999 */
        verrs_add(errs, "rank", "Thứ bậc phải là số nguyên từ 0 đến 999.");
    result_t r = RES_INVALID;
    if (errs->count)
        goto out;
    struct org_save o = {.a = a,
                         .table = "position",
                         .agency_id = agency_id,
                         .id = id,
                         .rank = in->rank,
                         .name = name,
                         .create_action = id_out != NULL};
    r = tx_run(app->db, org_save_tx, &o);
    if (r == RES_CONFLICT)
        verrs_add(errs, "name", "Đã có chức vụ cùng tên.");
    if (r == RES_OK && id_out)
        *id_out = o.saved_id;
out:
    free(name);
    return r;
}

result_t position_create(struct app *app, const struct actor *a, int64_t agency_id,
                         const struct position_input *in, struct verrs *errs, int64_t *id_out)
{
    result_t r = authz_check(a, AZ_ORG_MANAGE, agency_id);
    if (r != RES_OK)
        return r;
    int64_t dummy;
    return pos_save(app, a, agency_id, 0, in, errs, id_out ? id_out : &dummy);
}

result_t position_update(struct app *app, const struct actor *a, int64_t id,
                         const struct position_input *in, struct verrs *errs)
{
    int64_t agency_id;
    result_t r = owner_agency(app, "SELECT agency_id FROM position WHERE id = $1", id, &agency_id);
    if (r != RES_OK)
        return r;
    if ((r = check_row(a, agency_id)) != RES_OK)
        return r;
    return pos_save(app, a, agency_id, id, in, errs, NULL);
}

result_t position_set_active(struct app *app, const struct actor *a, int64_t id, bool active)
{
    return set_active(app, a, "position", id, active);
}

result_t position_list(struct app *app, const struct actor *a, int64_t agency_id, json_t **out)
{
    result_t r = authz_check(a, AZ_ORG_READ, agency_id);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    struct db_stmt *s = NULL;
    if (!c)
        return RES_DB;
    r = db_query(c, &s,
                 "SELECT id, name, rank, active FROM position WHERE agency_id = $1 "
                 "ORDER BY rank, name",
                 "i", agency_id);
    if (r != RES_OK)
        return r;
    return db_collect(s, "id:i,name:t,rank:i,active:b", out);
}
