/* Review-circuit templates of outgoing documents (issue 12, standards.md §6): per agency
 * and document type, the ordered reviewer places of a draft's circuit — the leader of
 * the drafting unit (or of a named unit), the office (Văn phòng) checking the form, a
 * named person, the holder of a position — with the draft's intended signer always
 * last. The agency's administrators keep them (AZ_ORG_MANAGE, one tx_run + audit row);
 * doc_circuit_plan resolves a template to people inside the draft's transaction; the
 * circuit itself runs in doc_workflow.c's step table (plan, submit, approve, return). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/role.h"
#include "core/tx.h"
#include "db/db.h"
#include "db/db_json.h"
#include "doc/doc.h"
#include "util/str.h"

static const char *const kinds[] = {"unit_leader", "office", "user", "position"};

result_t doc_circuit_list(struct app *app, const struct actor *a, const char *doc_type,
                          json_t **out)
{
    *out = NULL;
    result_t r = authz_check(a, AZ_ORG_READ, a->agency_id);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct db_stmt *s = NULL;
    json_t *rows = NULL;
    r = db_query(c, &s,
                 "SELECT t.doc_type, t.seq, t.kind, t.department_id, d.name, t.user_id, "
                 "u.full_name, t.position_id, p.name FROM doc_circuit_step t LEFT JOIN department "
                 "d ON d.id = t.department_id LEFT JOIN app_user u ON u.id = t.user_id LEFT JOIN "
                 "position p ON p.id = t.position_id WHERE t.agency_id = $1 AND ($2 = '' OR "
                 "t.doc_type = $2) ORDER BY t.doc_type, t.seq LIMIT 2000",
                 "it", a->agency_id, doc_type ? doc_type : "");
    if (r == RES_OK)
        r = db_collect(s,
                       "doc_type:t,seq:i,kind:t,department_id:I,department_name:T,user_id:I,"
                       "user_name:T,position_id:I,position_name:T",
                       &rows);
    if (r != RES_OK)
        return r;
    json_t *list = json_array(), *cur = NULL;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *type = json_string_value(json_object_get(row, "doc_type"));
        if (!cur || strcmp(json_string_value(json_object_get(cur, "doc_type")), type)) {
            const struct doc_type *dt = doc_type_find(type);
            cur = json_pack("{s:s, s:s, s:[]}", "doc_type", type, "doc_type_name",
                            dt ? dt->name : type, "steps");
            json_array_append_new(list, cur);
        }
        json_object_del(row, "doc_type");
        json_array_append(json_object_get(cur, "steps"), row);
    }
    json_decref(rows);
    *out = json_pack("{s:o}", "templates", list);
    return RES_OK;
}

struct circuit_write {
    const struct actor *a;
    const char *doc_type;
    const struct doc_circuit_step_input *steps;
    size_t n;
    struct verrs e;
};

static bool exists(struct db_conn *c, const char *sql, int64_t id, int64_t agency, result_t *r)
{
    int64_t n = 0;
    *r = db_one_i64(c, &n, sql, "ii", id, agency);
    return *r == RES_OK && n > 0;
}

static result_t circuit_tx(struct tx *t, void *arg)
{
    struct circuit_write *w = arg;
    struct db_conn *c = tx_conn(t);
    int64_t agency = w->a->agency_id;
    memset(&w->e, 0, sizeof(w->e));
    result_t r = RES_OK;
    for (size_t i = 0; i < w->n && r == RES_OK; i++) {
        const struct doc_circuit_step_input *st = &w->steps[i];
        const char *k = st->kind;
        bool dept = !strcmp(k, "unit_leader") || !strcmp(k, "office");
        if (dept && st->department_id &&
            !exists(c,
                    "SELECT COUNT(*) FROM department WHERE id = $1 AND agency_id = $2 AND active "
                    "= 1",
                    st->department_id, agency, &r) &&
            r == RES_OK)
            verrs_add(&w->e, "steps", "Bước %zu: không có đơn vị #%lld trong cơ quan.", i + 1,
                      (long long)st->department_id);
        else if (!strcmp(k, "user") &&
                 !exists(c,
                         "SELECT COUNT(*) FROM membership m JOIN app_user u ON u.id = m.user_id "
                         "WHERE m.user_id = $1 AND m.agency_id = $2 AND m.active = 1 AND "
                         "u.disabled = 0",
                         st->user_id, agency, &r) &&
                 r == RES_OK)
            verrs_add(&w->e, "steps", "Bước %zu: không có cán bộ #%lld trong cơ quan.", i + 1,
                      (long long)st->user_id);
        else if (!strcmp(k, "position") &&
                 !exists(c, "SELECT COUNT(*) FROM position WHERE id = $1 AND agency_id = $2",
                         st->position_id, agency, &r) &&
                 r == RES_OK)
            verrs_add(&w->e, "steps", "Bước %zu: không có chức vụ #%lld trong cơ quan.", i + 1,
                      (long long)st->position_id);
    }
    if (r != RES_OK)
        return r;
    if (w->e.count)
        return RES_INVALID;
    r = db_run(c, "DELETE FROM doc_circuit_step WHERE agency_id = $1 AND doc_type = $2", "it",
               agency, w->doc_type);
    for (size_t i = 0; r == RES_OK && i < w->n; i++) {
        const struct doc_circuit_step_input *st = &w->steps[i];
        r = db_run(c,
                   "INSERT INTO doc_circuit_step (agency_id, doc_type, seq, kind, department_id, "
                   "user_id, position_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                   "itit"
                   "III",
                   agency, w->doc_type, (int64_t)(i + 1), st->kind, st->department_id, st->user_id,
                   st->position_id);
    }
    if (r != RES_OK)
        return r;
    char summary[200];
    snprintf(summary, sizeof(summary), "Mẫu quy trình duyệt %s: %zu bước trước người ký",
             w->doc_type, w->n);
    tx_audit(t, &(struct audit_entry){.actor_id = w->a->user_id,
                                      .actor_login = w->a->login,
                                      .agency_id = agency,
                                      .action = "doc_circuit_template",
                                      .object_type = "doc_circuit",
                                      .object_id = w->doc_type,
                                      .summary = summary,
                                      .client_addr = w->a->client_addr});
    return RES_OK;
}

result_t doc_circuit_set(struct app *app, const struct actor *a, const char *doc_type,
                         const struct doc_circuit_step_input *steps, size_t n, struct verrs *e)
{
    result_t r = authz_check(a, AZ_ORG_MANAGE, a->agency_id);
    if (r != RES_OK)
        return r;
    const struct doc_type *dt = doc_type ? doc_type_find(doc_type) : NULL;
    if (!dt)
        verrs_add(e, "doc_type", "Loại văn bản “%s” không có trong danh mục.",
                  DOC_CUT(doc_type ? doc_type : "", 40));
    if (n > DOC_MAX_CIRCUIT_STEPS)
        verrs_add(e, "steps", "Tối đa %d bước duyệt trước người ký.", DOC_MAX_CIRCUIT_STEPS);
    for (size_t i = 0; !e->count && i < n; i++) {
        const struct doc_circuit_step_input *st = &steps[i];
        bool known = false;
        for (size_t k = 0; st->kind && k < sizeof(kinds) / sizeof(kinds[0]); k++)
            known |= !strcmp(st->kind, kinds[k]);
        if (!known) {
            verrs_add(e, "steps",
                      "Bước %zu: loại bước phải là unit_leader (lãnh đạo đơn vị), office (văn "
                      "phòng kiểm tra thể thức), user (một cán bộ) hoặc position (một chức vụ).",
                      i + 1);
            break;
        }
        bool ok = !strcmp(st->kind, "unit_leader") ? !st->user_id && !st->position_id
                  : !strcmp(st->kind, "office")
                      ? st->department_id > 0 && !st->user_id && !st->position_id
                  : !strcmp(st->kind, "user")
                      ? st->user_id > 0 && !st->department_id && !st->position_id
                      : st->position_id > 0 && !st->department_id && !st->user_id;
        if (!ok) {
            verrs_add(e, "steps",
                      "Bước %zu: unit_leader có department_id (hoặc không, là đơn vị soạn "
                      "thảo), office cần department_id, user cần user_id, position cần "
                      "position_id; không kèm trường khác.",
                      i + 1);
            break;
        }
    }
    if (e->count)
        return RES_INVALID;
    struct circuit_write w = {.a = a, .doc_type = dt->key, .steps = steps, .n = n};
    r = tx_run(app->db, circuit_tx, &w);
    for (int i = 0; i < w.e.count; i++)
        verrs_add(e, w.e.items[i].field, "%s", w.e.items[i].message);
    return r;
}

/* The leader of a unit: an active, unlocked member with the department-leader role,
 * the highest position first; 0 when it has none. */
static result_t unit_leader(struct db_conn *c, int64_t agency, int64_t dept, int64_t *out)
{
    return db_one_i64(c, out,
                      "SELECT COALESCE(MIN(x.user_id), 0) FROM (SELECT m.user_id FROM membership m "
                      "JOIN app_user u ON u.id = m.user_id LEFT JOIN position p ON p.id = "
                      "m.position_id WHERE m.agency_id = $1 AND m.department_id = $2 AND m.active "
                      "= 1 AND u.disabled = 0 AND (m.roles & $3) <> 0 ORDER BY COALESCE(p.rank, "
                      "1000), m.user_id LIMIT 1) x",
                      "iii", agency, dept, (int64_t)ROLE_DEPARTMENT_LEADER);
}

result_t doc_circuit_plan(struct db_conn *c, int64_t agency, const char *doc_type, int64_t drafter,
                          int64_t unit, int64_t signer, char *out, size_t n)
{
    out[0] = '\0';
    struct db_stmt *s = NULL;
    struct {
        char kind[16];
        int64_t dept, user, pos;
    } st[DOC_MAX_CIRCUIT_STEPS];
    size_t ns = 0;
    result_t r = db_query(c, &s,
                          "SELECT kind, COALESCE(department_id, 0), COALESCE(user_id, 0), "
                          "COALESCE(position_id, 0) FROM doc_circuit_step WHERE agency_id = $1 "
                          "AND doc_type = $2 ORDER BY seq",
                          "it", agency, doc_type);
    if (r != RES_OK)
        return r;
    while (ns < DOC_MAX_CIRCUIT_STEPS && (r = db_step(s)) == RES_ROW) {
        str_copy(st[ns].kind, db_col_text(s, 0), sizeof(st[ns].kind));
        st[ns].dept = db_col_i64(s, 1);
        st[ns].user = db_col_i64(s, 2);
        st[ns].pos = db_col_i64(s, 3);
        ns++;
        r = RES_OK;
    }
    db_finalize(s);
    if (r != RES_OK && r != RES_DONE && r != RES_ROW)
        return r;
    int64_t chosen[DOC_MAX_CIRCUIT_STEPS];
    size_t nc = 0;
    for (size_t i = 0; i < ns; i++) {
        int64_t uid = 0;
        r = RES_OK;
        if (!strcmp(st[i].kind, "user")) {
            r = db_one_i64(c, &uid,
                           "SELECT COALESCE(MIN(m.user_id), 0) FROM membership m JOIN app_user u "
                           "ON u.id = m.user_id WHERE m.user_id = $1 AND m.agency_id = $2 AND "
                           "m.active = 1 AND u.disabled = 0",
                           "ii", st[i].user, agency);
        } else if (!strcmp(st[i].kind, "position")) {
            r = db_one_i64(c, &uid,
                           "SELECT COALESCE(MIN(m.user_id), 0) FROM membership m JOIN app_user u "
                           "ON u.id = m.user_id WHERE m.position_id = $1 AND m.agency_id = $2 AND "
                           "m.active = 1 AND u.disabled = 0",
                           "ii", st[i].pos, agency);
        } else {
            int64_t dept = st[i].dept ? st[i].dept : unit;
            if (dept)
                r = unit_leader(c, agency, dept, &uid);
        }
        if (r != RES_OK)
            return r;
        bool skip = !uid || uid == drafter || uid == signer;
        for (size_t j = 0; j < nc; j++)
            skip |= chosen[j] == uid;
        if (!skip)
            chosen[nc++] = uid;
    }
    for (size_t i = 0; i < nc; i++) {
        size_t used = strlen(out);
        snprintf(out + used, n - used, "%s%lld", i ? "," : "", (long long)chosen[i]);
    }
    return RES_OK;
}
