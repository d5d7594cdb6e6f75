/* Registers (sổ văn bản đến / đi) of an agency: created by its clerks or
 * administrators, listed for its members with the number the next document will get
 * this year. Numbers themselves come from doc_number.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/tx.h"
#include "core/validate.h"
#include "db/db.h"
#include "db/db_json.h"
#include "doc/doc.h"
#include "util/clock.h"

struct reg_save {
    const struct actor *a;
    int64_t agency_id, year;
    const char *kind, *name, *year_mode;
    const char *doc_types; /* outgoing: the types of a separate series, "" = general */
    bool normative;        /* outgoing: legal normative documents (§2) */
    int64_t id;            /* out */
    bool name_taken;
};

static result_t reg_save_tx(struct tx *t, void *arg)
{
    struct reg_save *w = arg;
    w->id = 0;
    w->name_taken = false;
    struct db_conn *c = tx_conn(t);
    int64_t other = 0;
    result_t r = db_one_i64(c, &other,
                            "SELECT id FROM doc_register WHERE agency_id = $1 AND kind = $2 AND "
                            "name = $3",
                            "itt", w->agency_id, w->kind, w->name);
    if (r == RES_OK) {
        w->name_taken = true;
        return RES_CONFLICT;
    }
    if (r != RES_NOT_FOUND)
        return r;
    r = db_one_i64(c, &w->id,
                   "INSERT INTO doc_register (agency_id, kind, name, year_mode, year, active, "
                   "created_by, created_at, doc_types, normative) VALUES ($1, $2, $3, $4, $5, 1, "
                   "$6, $7, $8, $9) RETURNING id",
                   "itttiIiti", w->agency_id, w->kind, w->name, w->year_mode, w->year,
                   w->a->user_id, clock_now(), w->doc_types, (int64_t)w->normative);
    if (r == RES_CONFLICT)
        w->name_taken = true; /* a concurrent twin behind the unique index */
    if (r != RES_OK)
        return r;
    char oid[24], summary[400];
    snprintf(oid, sizeof(oid), "%lld", (long long)w->id);
    snprintf(summary, sizeof(summary), "Mở sổ “%s” (%s)", DOC_CUT(w->name, 300), w->kind);
    tx_audit(t, &(struct audit_entry){.actor_id = w->a->user_id,
                                      .actor_login = w->a->login,
                                      .agency_id = w->agency_id,
                                      .action = "doc_register_create",
                                      .object_type = "doc_register",
                                      .object_id = oid,
                                      .summary = summary,
                                      .client_addr = w->a->client_addr});
    return RES_OK;
}

result_t doc_registers_create(struct app *app, const struct actor *a, int64_t agency_id,
                              const struct doc_register_input *in, struct verrs *e, int64_t *id_out)
{
    result_t r = authz_check(a, AZ_REGISTER_MANAGE, agency_id);
    if (r != RES_OK)
        return r;
    const char *kind = in->kind && *in->kind ? in->kind : "incoming";
    if (strcmp(kind, "incoming") && strcmp(kind, "outgoing") && strcmp(kind, "internal"))
        verrs_add(e, "kind",
                  "Loại sổ phải là sổ văn bản đến, sổ văn bản đi hoặc sổ văn bản nội "
                  "bộ.");
    const char *mode = in->year_mode && *in->year_mode ? in->year_mode : "yearly";
    int64_t year = 0;
    if (!strcmp(mode, "fixed")) {
        year = in->year;
        if (year < 1900 || year > 2100)
            verrs_add(e, "year", "Sổ theo năm cần năm mở sổ (1900–2100).");
    } else if (strcmp(mode, "yearly")) {
        verrs_add(e, "year_mode",
                  "Cách đánh số phải là đánh số lại từ 01 mỗi ngày 1 tháng 1 hoặc sổ "
                  "của một năm.");
    }
    /* §2 separate series: an outgoing register may number only some types. */
    char types[400] = "";
    for (size_t i = 0; i < in->ndoc_types && !e->count; i++) {
        const struct doc_type *dt = doc_type_find(in->doc_types[i]);
        if (!dt || strcmp(kind, "outgoing") || in->ndoc_types > 20) {
            verrs_add(e, "doc_types",
                      !dt ? "Loại văn bản “%s” không có trong danh mục."
                          : "Chỉ sổ văn bản đi (tối đa 20 loại) mới giới hạn theo loại văn bản%s.",
                      dt ? "" : DOC_CUT(in->doc_types[i], 40));
            break;
        }
        /* at most 20 keys of at most 16 bytes: always fits */
        size_t used = strlen(types);
        snprintf(types + used, sizeof(types) - used, "%s%s", used ? "," : "", dt->key);
    }
    if (in->normative && strcmp(kind, "outgoing"))
        verrs_add(e, "normative", "Chỉ sổ văn bản đi mới là sổ văn bản quy phạm pháp luật.");
    char *name = field_clean(in->name, "name", "tên sổ", true, 200, e);
    if (e->count) {
        free(name);
        return RES_INVALID;
    }
    struct reg_save w = {.a = a,
                         .agency_id = agency_id,
                         .year = year,
                         .kind = kind,
                         .name = name,
                         .year_mode = mode,
                         .doc_types = types,
                         .normative = in->normative};
    r = tx_run(app->db, reg_save_tx, &w);
    if (r == RES_CONFLICT && w.name_taken)
        verrs_add(e, "name", "Cơ quan đã có sổ cùng loại mang tên “%s”.", DOC_CUT(name, 120));
    free(name);
    if (r == RES_OK && id_out)
        *id_out = w.id;
    return r;
}

result_t doc_registers_list(struct app *app, const struct actor *a, int64_t agency_id,
                            const char *kind, json_t **out)
{
    result_t r = authz_check(a, AZ_ORG_READ, agency_id);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct db_stmt *s = NULL;
    /* The year shown: a register of one year its own; an incoming register the year a
     * document registered now is numbered in — its receipt's (standards.md §4: on 31
     * December evening, the next working period's, in the new year); the others this
     * year (Vietnam time). Its entries are the numbers given in it (cancelled ones
     * included: a number is never given twice), counted over the index
     * document_reg_number. */
    int64_t now = clock_now();
    int year = doc_year_of(now);
    struct calendar *cal = NULL;
    if ((r = doc_calendar_load(app, &cal)) != RES_OK)
        return r;
    int in_year = doc_year_of(calendar_receipt_time(cal, now));
    free(cal);
    r = db_query(c, &s,
                 "SELECT x.id, x.kind, x.name, x.year_mode, x.year, x.active, x.doc_types, "
                 "x.normative, COALESCE((SELECT n.next_number FROM doc_counter n WHERE "
                 "n.register_id = x.id AND n.year = x.shown), 1), x.shown, (SELECT COUNT(*) FROM "
                 "document d WHERE d.register_id = x.id AND d.reg_year = x.shown) FROM (SELECT "
                 "r.*, CASE WHEN r.year_mode = 'fixed' THEN r.year WHEN r.kind = 'incoming' "
                 "THEN $4 ELSE $3 END AS shown FROM doc_register r WHERE r.agency_id = $1 AND "
                 "($2 = '' OR r.kind = $2)) x ORDER BY x.kind, x.name, x.id",
                 "itii", agency_id, kind ? kind : "", (int64_t)year, (int64_t)in_year);
    if (r != RES_OK)
        return r;
    return db_collect(s,
                      "id:i,kind:t,name:t,year_mode:t,year:i,active:b,doc_types:t,normative:b,"
                      "next_number:i,entries_year:i,entries:i",
                      out);
}
