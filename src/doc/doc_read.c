/* Reading documents through the policy: one document with its files and timeline, and
 * file downloads verified against their hash (the lists are in doc_list.c).
 * Who may see what is core/authz.c's decision; this file only loads the object it
 * decides on (agency and participants). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob/blob.h"
#include "db/db.h"
#include "db/db_json.h"
#include "doc/doc.h"
#include "doc/doc_internal.h"
#include "doc/doc_workflow.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/str.h"

/* doc_participant.role ↔ enum participant_role; -1 unknown. */
static int part_role_of(const char *s)
{
    static const struct {
        const char *key;
        enum participant_role role;
    } map[] = {{"leader", PART_LEADER},         {"lead", PART_LEAD},
               {"co_handler", PART_CO_HANDLER}, {"for_info", PART_FOR_INFO},
               {"reviewer", PART_REVIEWER},     {"signer", PART_SIGNER},
               {"drafter", PART_DRAFTER}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i].key, s) == 0)
            return (int)map[i].role;
    return -1;
}

result_t doc_object_load(struct db_conn *c, int64_t id, struct authz_object *o,
                         struct authz_participant *parts)
{
    memset(o, 0, sizeof(*o));
    o->kind = AZ_OBJ_DOCUMENT;
    o->parts = parts;
    struct db_stmt *s = NULL;
    result_t r =
        db_query(c, &s, "SELECT agency_id, created_by FROM document WHERE id = $1", "i", id);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW) {
        o->agency_id = db_col_i64(s, 0);
        /* The registering clerk keeps reading what they registered (for information,
         * no step of their own). */
        if (!db_col_null(s, 1))
            parts[o->nparts++] = (struct authz_participant){
                .user_id = db_col_i64(s, 1), .role = PART_FOR_INFO, .current_step = false};
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    if (r != RES_OK)
        return r;
    /* Everyone the document went to at any step (migration 0009): the step in progress
     * first, so that a document with more participants than DOC_MAX_PARTS keeps the
     * ones who act now; earlier steps may still read. */
    r = db_query(c, &s,
                 "SELECT role, user_id, department_id, CASE WHEN active = 1 AND status IN "
                 "('pending', 'in_progress') THEN 1 ELSE 0 END AS cur FROM doc_participant "
                 "WHERE document_id = $1 ORDER BY cur DESC, id",
                 "i", id);
    if (r != RES_OK)
        return r;
    size_t dropped = 0;
    while ((r = db_step(s)) == RES_ROW) {
        int role = part_role_of(db_col_text(s, 0));
        if (role < 0)
            continue;
        if (o->nparts >= DOC_MAX_PARTS) {
            dropped++;
            continue;
        }
        parts[o->nparts++] = (struct authz_participant){
            .user_id = db_col_null(s, 1) ? 0 : db_col_i64(s, 1),
            .department_id = db_col_null(s, 2) ? 0 : db_col_i64(s, 2),
            .role = (enum participant_role)role,
            .current_step = db_col_i64(s, 3) == 1,
        };
    }
    db_finalize(s);
    if (dropped)
        log_warn("document %lld: %zu participants past DOC_MAX_PARTS not loaded", (long long)id,
                 dropped);
    return r == RES_DONE ? RES_OK : r;
}

static json_t *text_or_null(struct db_stmt *s, int col)
{
    return db_col_null(s, col) ? json_null() : json_string(db_col_text(s, col));
}

static json_t *instant(struct db_stmt *s, int col)
{
    if (db_col_null(s, col))
        return json_null();
    char iso[40];
    clock_format_iso(db_col_i64(s, col), iso, sizeof(iso));
    return json_string(iso);
}

json_t *doc_json(struct db_stmt *s, bool full)
{
    json_t *o = json_object();
    const char *number = db_col_text(s, 6), *symbol = db_col_text(s, 7);
    const char *type = db_col_text(s, 9);
    const struct doc_type *dt = doc_type_find(type);
    int64_t urgency = db_col_i64(s, 14);
    if (urgency < 0 || urgency > 4)
        urgency = 0;
    json_object_set_new(o, "id", json_integer(db_col_i64(s, 0)));
    json_object_set_new(o, "direction", json_string(db_col_text(s, 1)));
    json_object_set_new(o, "state", json_string(db_col_text(s, 2)));
    json_object_set_new(o, "issuer_name", json_string(db_col_text(s, 5)));
    json_object_set_new(o, "number", json_string(number));
    json_object_set_new(o, "symbol", json_string(symbol));
    char ns[96];
    snprintf(ns, sizeof(ns), "%s/%s", number, symbol);
    json_object_set_new(o, "number_symbol", json_string(*number ? ns : symbol));
    json_object_set_new(o, "issued_date", text_or_null(s, 8));
    json_object_set_new(o, "doc_type", json_string(type));
    json_object_set_new(o, "doc_type_name", json_string(dt ? dt->name : type));
    json_object_set_new(o, "subject", json_string(db_col_text(s, 10)));
    json_object_set_new(o, "urgency", json_string(doc_urgency_keys[urgency]));
    json_object_set_new(o, "urgency_label", json_string(doc_urgency_labels[urgency]));
    json_object_set_new(o, "due_date", text_or_null(s, 15));
    json_object_set_new(o, "register_id",
                        db_col_null(s, 19) ? json_null() : json_integer(db_col_i64(s, 19)));
    json_object_set_new(o, "register_name", text_or_null(s, 20));
    json_object_set_new(o, "year",
                        db_col_null(s, 21) ? json_null() : json_integer(db_col_i64(s, 21)));
    json_object_set_new(o, "arrival_number",
                        db_col_null(s, 22) ? json_null() : json_integer(db_col_i64(s, 22)));
    json_object_set_new(o, "received_at", instant(s, 23));
    if (!full)
        return o;
    json_object_set_new(o, "medium", json_string(db_col_text(s, 3)));
    json_object_set_new(o, "issuer_code", json_string(db_col_text(s, 4)));
    json_object_set_new(o, "signer_name", json_string(db_col_text(s, 11)));
    json_object_set_new(o, "signer_position", json_string(db_col_text(s, 12)));
    json_object_set_new(o, "page_count", json_integer(db_col_i64(s, 13)));
    json_t *rec = json_loads(db_col_text(s, 16) ? db_col_text(s, 16) : "[]", 0, NULL);
    json_object_set_new(o, "recipients", json_is_array(rec) ? rec : json_array());
    if (rec && !json_is_array(rec))
        json_decref(rec);
    json_object_set_new(o, "language", json_string(db_col_text(s, 17)));
    json_object_set_new(o, "notes", json_string(db_col_text(s, 18)));
    json_object_set_new(o, "created_at", instant(s, 24));
    json_object_set_new(o, "agency_id", json_integer(db_col_i64(s, 25)));
    /* §4: when it entered the system; received_at is when it counts as received. */
    json_object_set_new(o, "arrived_at", instant(s, 26));
    json_object_set_new(o, "source_document_id",
                        db_col_null(s, 27) ? json_null() : json_integer(db_col_i64(s, 27)));
    return o;
}

/* Files and history as arrays; times as ISO 8601 (+07:00). */
static result_t doc_children(struct db_conn *c, int64_t id, json_t *o)
{
    struct db_stmt *s = NULL;
    json_t *files = NULL, *hist = NULL;
    result_t r =
        db_query(c, &s,
                 "SELECT f.id, f.role, f.seq, f.file_name, f.content_type, f.format, f.size, "
                 "f.created_by, u.full_name, f.created_at, f.version, f.stage FROM doc_file f LEFT "
                 "JOIN app_user u ON "
                 "u.id = f.created_by WHERE f.document_id = $1 ORDER BY CASE WHEN f.role = "
                 "'main' THEN 0 WHEN f.role = 'appendix' THEN 1 ELSE 2 END, f.seq, f.version DESC, "
                 "f.id",
                 "i", id);
    if (r == RES_OK)
        r = db_collect(s,
                       "id:i,role:t,seq:i,file_name:t,content_type:t,format:t,size:i,created_by_"
                       "id:I,created_by:T,created_at:i,version:i,stage:t",
                       &files);
    if (r != RES_OK)
        return r;
    json_object_set_new(o, "files", files);
    r = db_query(c, &s,
                 "SELECT h.step, h.actor_id, h.actor_name, h.action, h.from_state, h.to_state, "
                 "h.to_user_id, u.full_name, h.to_department_id, d.name, h.comment, h.at, "
                 "h.file_version FROM "
                 "doc_history h LEFT JOIN app_user u ON u.id = h.to_user_id LEFT JOIN department "
                 "d ON d.id = h.to_department_id WHERE h.document_id = $1 ORDER BY h.step",
                 "i", id);
    if (r == RES_OK)
        r = db_collect(s,
                       "step:i,actor_id:I,actor_name:t,action:t,from_state:t,to_state:t,"
                       "to_user_id:I,to_user_name:T,to_department_id:I,to_department_name:T,"
                       "comment:t,at:i,file_version:I",
                       &hist);
    if (r != RES_OK)
        return r;
    size_t i;
    json_t *h;
    json_array_foreach(files, i, h)
    {
        char iso[40];
        clock_format_iso(json_integer_value(json_object_get(h, "created_at")), iso, sizeof(iso));
        json_object_set_new(h, "created_at", json_string(iso));
    }
    json_array_foreach(hist, i, h)
    {
        const char *code =
            doc_history_edxml_status(json_string_value(json_object_get(h, "action")));
        json_object_set_new(h, "edxml_status", code ? json_string(code) : json_null());
        char iso[40];
        clock_format_iso(json_integer_value(json_object_get(h, "at")), iso, sizeof(iso));
        json_object_set_new(h, "at", json_string(iso));
    }
    json_object_set_new(o, "history", hist);
    return RES_OK;
}

result_t doc_authorize(struct db_conn *c, const struct actor *a, enum authz_action action,
                       int64_t id)
{
    struct authz_object o;
    struct authz_participant parts[DOC_MAX_PARTS];
    result_t r = doc_object_load(c, id, &o, parts);
    return r == RES_OK ? authz_check_object(a, action, &o) : r;
}

static result_t doc_get_in(struct app *app, struct db_conn *c, const struct actor *a, int64_t id,
                           json_t **out);

/* The document with everything its page shows, read in one snapshot (a dozen queries
 * that agree with each other). */
result_t doc_get(struct app *app, const struct actor *a, int64_t id, json_t **out)
{
    *out = NULL;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    result_t r = db_read_begin(c);
    if (r == RES_OK)
        r = doc_get_in(app, c, a, id, out);
    db_read_end(c);
    return r;
}

static result_t doc_get_in(struct app *app, struct db_conn *c, const struct actor *a, int64_t id,
                           json_t **out)
{
    struct authz_object o;
    struct authz_participant parts[DOC_MAX_PARTS];
    result_t r = doc_object_load(c, id, &o, parts);
    if (r == RES_OK)
        r = authz_check_object(a, AZ_DOC_READ, &o);
    if (r != RES_OK)
        return r;
    struct db_stmt *s = NULL;
    r = db_query(c, &s,
                 "SELECT " DOC_COLUMNS " FROM document d LEFT JOIN doc_register r ON r.id = "
                 "d.register_id WHERE d.id = $1",
                 "i", id);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    json_t *doc = r == RES_ROW ? doc_json(s, true) : NULL;
    db_finalize(s);
    if (!doc)
        return r == RES_DONE ? RES_NOT_FOUND : r;
    if ((r = doc_children(c, id, doc)) != RES_OK ||
        (r = doc_workflow_json(app, c, a, id, &o, doc)) != RES_OK ||
        (r = doc_outgoing_json(c, id, doc)) != RES_OK ||
        (r = doc_public_json(app, c, a, id, doc)) != RES_OK) {
        json_decref(doc);
        return r;
    }
    *out = doc;
    return RES_OK;
}

result_t doc_file_get(struct app *app, const struct actor *a, int64_t doc_id, int64_t file_id,
                      struct doc_file_data *out)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    result_t r = doc_authorize(c, a, AZ_DOC_READ, doc_id);
    if (r != RES_OK)
        return r;
    struct db_stmt *s = NULL;
    r = db_query(c, &s,
                 "SELECT file_name, content_type, blob_hash FROM doc_file WHERE id = $1 AND "
                 "document_id = $2",
                 "ii", file_id, doc_id);
    if (r != RES_OK)
        return r;
    char hash[BLOB_HASH_LEN + 1] = "";
    r = db_step(s);
    if (r == RES_ROW) {
        str_copy(out->file_name, db_col_text(s, 0), sizeof(out->file_name));
        str_copy(out->content_type, db_col_text(s, 1), sizeof(out->content_type));
        str_copy(hash, db_col_text(s, 2), sizeof(hash));
    }
    db_finalize(s);
    if (r != RES_ROW)
        return r == RES_DONE ? RES_NOT_FOUND : r;
    if (!app->blobs)
        return RES_UNSUPPORTED;
    r = blob_get(app->blobs, hash, &out->data);
    if (r == RES_NOT_FOUND) {
        log_error("msg=\"document file missing\" document=%lld file=%lld hash=%s",
                  (long long)doc_id, (long long)file_id, hash);
        r = RES_IO;
    }
    return r;
}
