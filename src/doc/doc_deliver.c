/* Receiving a document inside the installation (issue 11 "Receive and register",
 * standards.md §4, §5): the issuing copy of an agency is delivered to another agency of
 * the same installation as a new `arrived` copy holding the same files (the blobs are
 * shared through blob_ref), and the receiving clerk registers it into a register of
 * theirs or refuses it with a reason. Every step leaves a history row on the copy and on
 * the source, so the sender sees delivery, acceptance and refusal the same day (§5
 * "notify the sender the same day"); the actions on the copy are edXML statuses 01
 * (received), 03 (accepted) and 02 (refused) for the exchange issue. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob/blob.h"
#include "core/tx.h"
#include "core/validate.h"
#include "db/db.h"
#include "doc/doc.h"
#include "doc/doc_internal.h"
#include "doc/doc_notify.h"
#include "text/text.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/str.h"

#define REFUSE_REASON_MAX 1000 /* characters */
#define MAX_COPIED_FILES  (DOC_MAX_APPENDICES + 1)

static const char *actor_name(const struct actor *a)
{
    return a->full_name[0] ? a->full_name : a->login;
}

/* The Vietnamese name of a document state, for messages. */
static const char *state_label(const char *state)
{
    static const struct {
        const char *key, *label;
    } map[] = {
        {"arrived", "mới đến, chưa vào sổ"},
        {"refused", "đã từ chối tiếp nhận"},
        {"registered", "đã vào sổ"},
        {"presented", "đã trình lãnh đạo"},
        {"assigned", "đã giao xử lý"},
        {"in_progress", "đang xử lý"},
        {"completed", "đã hoàn thành"},
        {"recalled", "đã bị thu hồi"},
        {"draft", "dự thảo"},
        {"reviewing", "đang thẩm định"},
        {"approved", "đã duyệt"},
        {"signed", "đã ký"},
        {"issued", "đã ban hành"},
        {"cancelled", "đã hủy"},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(map[i].key, state))
            return map[i].label;
    return state;
}

result_t doc_history_add(struct db_conn *c, int64_t doc_id, const struct actor *a,
                         const char *action, const char *from_state, const char *to_state,
                         const char *comment, int64_t at)
{
    int64_t step = 0;
    result_t r = db_one_i64(c, &step,
                            "SELECT COALESCE(MAX(step), 0) + 1 FROM doc_history WHERE "
                            "document_id = $1",
                            "i", doc_id);
    if (r != RES_OK)
        return r;
    return db_run(c,
                  "INSERT INTO doc_history (document_id, step, actor_id, actor_name, action, "
                  "from_state, to_state, comment, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                  "iiIttttti", doc_id, step, a->user_id, actor_name(a), action, from_state,
                  to_state, comment ? comment : "", at);
}

void doc_audit(struct tx *t, const struct actor *a, int64_t agency, int64_t id, const char *action,
               const char *summary)
{
    char oid[24];
    snprintf(oid, sizeof(oid), "%lld", (long long)id);
    tx_audit(t, &(struct audit_entry){.actor_id = a->user_id,
                                      .actor_login = a->login,
                                      .agency_id = agency,
                                      .action = action,
                                      .object_type = "document",
                                      .object_id = oid,
                                      .summary = summary,
                                      .client_addr = a->client_addr});
}

result_t doc_touch(struct db_conn *c, int64_t id, int64_t now)
{
    return db_run(c, "UPDATE document SET updated_at = $2 WHERE id = $1", "ii", id, now);
}

result_t doc_participant_keys(struct db_conn *c, int64_t id)
{
    return db_run(c,
                  "UPDATE doc_participant SET doc_urgency = d.urgency, doc_received_at = "
                  "d.received_at FROM document d WHERE d.id = $1 AND doc_participant.document_id "
                  "= $1 AND (doc_participant.doc_urgency <> d.urgency OR "
                  "COALESCE(doc_participant.doc_received_at, -1) <> COALESCE(d.received_at, -1))",
                  "i", id);
}

result_t doc_lock(struct db_conn *c, int64_t id)
{
    result_t r = db_run(c, "UPDATE document SET updated_at = updated_at WHERE id = $1", "i", id);
    return r == RES_OK && db_changes(c) == 0 ? RES_NOT_FOUND : r;
}

static result_t agency_name(struct db_conn *c, int64_t id, char *out, size_t n)
{
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s, "SELECT name FROM agency WHERE id = $1", "i", id);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW)
        str_copy(out, db_col_text(s, 0), n);
    db_finalize(s);
    return r == RES_ROW ? RES_OK : r == RES_DONE ? RES_NOT_FOUND : r;
}

/* "1250/UBND-KGVX" or the symbol alone. */
static void number_symbol(const char *number, const char *symbol, char *out, size_t n)
{
    snprintf(out, n, "%s%s%s", number, *number ? "/" : "", symbol);
}

/* ---- delivery ---- */

result_t doc_deliver_internal(struct tx *t, struct calendar *cal, const struct actor *a,
                              int64_t source_document_id, int64_t to_agency_id, int64_t now,
                              int64_t *copy_id)
{
    *copy_id = 0;
    if (!cal)
        return RES_INTERNAL; /* the caller loads it (doc_calendar_load) before its tx */
    struct db_conn *c = tx_conn(t);
    result_t r = doc_authorize(c, a, AZ_DOC_REGISTER, source_document_id);
    if (r != RES_OK)
        return r;
    /* The source row's lock orders this delivery with others of the same document (the
     * history step numbers, the second-delivery check). */
    r = doc_touch(c, source_document_id, now);
    if (r != RES_OK)
        return r;
    struct db_stmt *s = NULL;
    r = db_query(c, &s,
                 "SELECT agency_id, direction, state, number, symbol, subject FROM document "
                 "WHERE id = $1",
                 "i", source_document_id);
    if (r != RES_OK)
        return r;
    int64_t from_agency = 0;
    char state[16] = "", direction[16] = "", ns[80] = "", subject[160] = "";
    if ((r = db_step(s)) == RES_ROW) {
        from_agency = db_col_i64(s, 0);
        str_copy(direction, db_col_text(s, 1), sizeof(direction));
        str_copy(state, db_col_text(s, 2), sizeof(state));
        number_symbol(db_col_text(s, 3), db_col_text(s, 4), ns, sizeof(ns));
        const char *subj = db_col_text(s, 5);
        size_t cut = text_cut(subj, strlen(subj), 120);
        snprintf(subject, sizeof(subject), "%.*s%s", (int)cut, subj, cut < strlen(subj) ? "…" : "");
    }
    db_finalize(s);
    if (r == RES_DONE)
        return RES_NOT_FOUND;
    if (r != RES_ROW)
        return r;
    /* §6: what goes out is the issued document (the outgoing issue issues, then delivers). */
    if (strcmp(direction, "outgoing") || strcmp(state, "issued"))
        return RES_CONFLICT;
    if (to_agency_id == from_agency)
        return RES_INVALID;
    char to_name[256], from_name[256];
    if ((r = agency_name(c, to_agency_id, to_name, sizeof(to_name))) != RES_OK ||
        (r = agency_name(c, from_agency, from_name, sizeof(from_name))) != RES_OK)
        return r;
    int64_t earlier = 0;
    r = db_one_i64(c, &earlier,
                   "SELECT id FROM document WHERE source_document_id = $1 AND agency_id = $2", "ii",
                   source_document_id, to_agency_id);
    if (r == RES_OK)
        return RES_CONFLICT; /* one copy per receiving agency */
    if (r != RES_NOT_FOUND)
        return r;

    /* §4: it entered the receiver's system now; outside working hours it counts from the
     * start of the next working period. The issuer is the source's (its agency when the
     * outgoing row leaves the issuer fields empty). The sender's notes stay theirs. */
    int64_t received = calendar_receipt_time(cal, now);
    r = db_one_i64(
        c, copy_id,
        "INSERT INTO document (agency_id, direction, state, medium, issuer_code, issuer_name, "
        "issuer_agency_id, number, symbol, issued_date, doc_type, subject, subject_folded, "
        "signer_name, signer_position, page_count, urgency, due_date, recipients, language, "
        "notes, received_at, arrived_at, source_document_id, created_at, updated_at) SELECT $1, "
        "'incoming', 'arrived', 'electronic', CASE WHEN d.issuer_code <> '' THEN d.issuer_code "
        "ELSE a.code END, CASE WHEN d.issuer_name <> '' THEN d.issuer_name ELSE a.name END, "
        "COALESCE(d.issuer_agency_id, d.agency_id), d.number, d.symbol, d.issued_date, "
        "d.doc_type, d.subject, d.subject_folded, d.signer_name, d.signer_position, "
        "d.page_count, d.urgency, d.due_date, d.recipients, d.language, '', $2, $3, d.id, $3, "
        "$3 FROM document d JOIN agency a ON a.id = d.agency_id WHERE d.id = $4 RETURNING id",
        "iiii", to_agency_id, received, now, source_document_id);
    if (r != RES_OK)
        return r == RES_NOT_FOUND ? RES_INTERNAL : r;
    /* The copy's search words, in this transaction like a registration's (doc_list.c). */
    if ((r = doc_search_index(c, *copy_id)) != RES_OK)
        return r;

    /* The same files: the newest version of each main file and appendix, on the same
     * blobs (blob_ref refreshes the blob row in this transaction). */
    r = db_query(c, &s,
                 "SELECT f.role, f.seq, f.file_name, f.content_type, f.format, f.size, "
                 "f.blob_hash FROM doc_file f WHERE f.document_id = $1 AND f.version = (SELECT "
                 "MAX(g.version) FROM doc_file g WHERE g.document_id = f.document_id AND g.role "
                 "= f.role AND g.seq = f.seq) ORDER BY CASE WHEN f.role = 'main' THEN 0 ELSE 1 "
                 "END, f.seq, f.id",
                 "i", source_document_id);
    if (r != RES_OK)
        return r;
    struct copied {
        char role[16], name[256], type[96], format[16], hash[BLOB_HASH_LEN + 1];
        int64_t seq, size;
    } *files = xcalloc(MAX_COPIED_FILES, sizeof(*files));
    size_t n = 0;
    while ((r = db_step(s)) == RES_ROW) {
        if (n == MAX_COPIED_FILES) {
            r = RES_TOO_LARGE;
            break;
        }
        struct copied *f = &files[n++];
        str_copy(f->role, db_col_text(s, 0), sizeof(f->role));
        f->seq = db_col_i64(s, 1);
        str_copy(f->name, db_col_text(s, 2), sizeof(f->name));
        str_copy(f->type, db_col_text(s, 3), sizeof(f->type));
        str_copy(f->format, db_col_text(s, 4), sizeof(f->format));
        f->size = db_col_i64(s, 5);
        str_copy(f->hash, db_col_text(s, 6), sizeof(f->hash));
    }
    db_finalize(s);
    r = r == RES_DONE ? RES_OK : r;
    for (size_t i = 0; r == RES_OK && i < n; i++) {
        const struct copied *f = &files[i];
        if ((r = blob_ref(c, f->hash, f->size)) != RES_OK)
            break;
        r = db_run(c,
                   "INSERT INTO doc_file (document_id, role, seq, version, file_name, "
                   "content_type, format, size, blob_hash, created_at) VALUES ($1, $2, $3, 1, "
                   "$4, $5, $6, $7, $8, $9)",
                   "itittti"
                   "ti",
                   *copy_id, f->role, f->seq, f->name, f->type, f->format, f->size, f->hash, now);
    }
    free(files);
    if (r != RES_OK)
        return r;

    char comment[600], summary[600];
    snprintf(comment, sizeof(comment), "Nhận qua hệ thống từ %s (văn bản số %s)",
             DOC_CUT(from_name, 200), DOC_CUT(ns, 80));
    if ((r = doc_history_add(c, *copy_id, a, "received", "", "arrived", comment, now)) != RES_OK)
        return r;
    snprintf(comment, sizeof(comment), "Đã gửi đến %s (văn bản đến #%lld)", DOC_CUT(to_name, 200),
             (long long)*copy_id);
    if ((r = doc_history_add(c, source_document_id, a, "delivered", state, state, comment, now)) !=
        RES_OK)
        return r;
    snprintf(summary, sizeof(summary), "Gửi văn bản %s đến %s — %s", DOC_CUT(ns, 80),
             DOC_CUT(to_name, 150), subject);
    doc_audit(t, a, from_agency, source_document_id, "doc_deliver", summary);
    snprintf(summary, sizeof(summary), "Nhận văn bản %s từ %s — %s", DOC_CUT(ns, 80),
             DOC_CUT(from_name, 150), subject);
    doc_audit(t, a, to_agency_id, *copy_id, "doc_arrive", summary);
    return doc_notify_step(t, a, *copy_id, 0); /* the receiving clerks (doc_notify.c) */
}

/* ---- the clerk's actions on an arrived document ---- */

/* What an action needs of the copy. */
struct arrived_doc {
    int64_t agency_id, source_id, received_at, page_count;
    char state[16], ns[80], issued_date[11], issuer_code[16];
    char *issuer_name, *number, *symbol, *subject, *notes;
};

static void arrived_release(struct arrived_doc *d)
{
    free(d->issuer_name);
    free(d->number);
    free(d->symbol);
    free(d->subject);
    free(d->notes);
}

static result_t arrived_load(struct db_conn *c, int64_t id, struct arrived_doc *d)
{
    memset(d, 0, sizeof(*d));
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT agency_id, source_document_id, received_at, page_count, state, "
                          "issued_date, issuer_code, issuer_name, number, symbol, subject, notes "
                          "FROM document WHERE id = $1",
                          "i", id);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW) {
        d->agency_id = db_col_i64(s, 0);
        d->source_id = db_col_null(s, 1) ? 0 : db_col_i64(s, 1);
        d->received_at = db_col_null(s, 2) ? 0 : db_col_i64(s, 2);
        d->page_count = db_col_i64(s, 3);
        str_copy(d->state, db_col_text(s, 4), sizeof(d->state));
        str_copy(d->issued_date, db_col_null(s, 5) ? "" : db_col_text(s, 5),
                 sizeof(d->issued_date));
        str_copy(d->issuer_code, db_col_text(s, 6), sizeof(d->issuer_code));
        d->issuer_name = xstrdup(db_col_text(s, 7));
        d->number = xstrdup(db_col_text(s, 8));
        d->symbol = xstrdup(db_col_text(s, 9));
        d->subject = xstrdup(db_col_text(s, 10));
        d->notes = xstrdup(db_col_text(s, 11));
        number_symbol(d->number, d->symbol, d->ns, sizeof(d->ns));
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    return r;
}

/* RES_CONFLICT with a precise message on "state" unless the document is arrived. */
static result_t require_arrived(const struct arrived_doc *d, const char *what, struct verrs *e)
{
    if (!strcmp(d->state, "arrived"))
        return RES_OK;
    verrs_add(e, "state",
              "Văn bản %s %s nên không %s được: chỉ văn bản mới đến, chưa vào sổ mới vào sổ "
              "hoặc từ chối được.",
              DOC_CUT(d->ns, 80), state_label(d->state), what);
    return RES_CONFLICT;
}

struct arrived_write {
    const struct actor *a;
    int64_t id, now;
    const struct arrived_doc *d;
    /* register */
    const struct doc_arrived_input *in;
    const char *register_name, *notes;
    int year;
    /* refuse */
    const char *reason;
    /* out */
    int64_t number;
    struct doc_duplicate dup;
};

/* Moves the copy from arrived to `to` (and the register entry when register_id): the
 * WHERE on the state makes a concurrent second action find nothing to change. */
static result_t leave_arrived(struct db_conn *c, struct arrived_write *w, const char *to)
{
    int64_t got = 0;
    result_t r;
    if (!strcmp(to, "registered"))
        r = db_one_i64(c, &got,
                       "UPDATE document SET state = 'registered', register_id = $1, reg_year = "
                       "$2, reg_number = $3, page_count = $4, notes = $5, updated_at = $6 WHERE id "
                       "= $7 AND state = 'arrived' RETURNING id",
                       "iiiitii", w->in->register_id, (int64_t)w->year, w->number,
                       w->in->page_count >= 0 ? w->in->page_count : w->d->page_count, w->notes,
                       w->now, w->id);
    else
        r = db_one_i64(c, &got,
                       "UPDATE document SET state = 'refused', updated_at = $1 WHERE id = $2 AND "
                       "state = 'arrived' RETURNING id",
                       "ii", w->now, w->id);
    return r == RES_NOT_FOUND ? RES_CONFLICT : r;
}

/* The history row on the sender's document (§5: the sender sees it the same day). */
static result_t tell_source(struct db_conn *c, struct arrived_write *w, const char *action,
                            const char *comment)
{
    if (!w->d->source_id)
        return RES_OK; /* a paper or exchange document: no sender's copy here */
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s, "SELECT state FROM document WHERE id = $1", "i", w->d->source_id);
    if (r != RES_OK)
        return r;
    char state[16] = "";
    if ((r = db_step(s)) == RES_ROW)
        str_copy(state, db_col_text(s, 0), sizeof(state));
    db_finalize(s);
    if (r == RES_DONE)
        return RES_OK;
    if (r != RES_ROW)
        return r;
    if ((r = doc_touch(c, w->d->source_id, w->now)) != RES_OK)
        return r;
    return doc_history_add(c, w->d->source_id, w->a, action, state, state, comment, w->now);
}

static result_t register_tx(struct tx *t, void *arg)
{
    struct arrived_write *w = arg;
    struct db_conn *c = tx_conn(t);
    w->number = 0;
    memset(&w->dup, 0, sizeof(w->dup));
    /* The number first: its lock orders this registration with the others of the
     * register, so the duplicate check sees each one committed before (doc_incoming.c). */
    result_t r = doc_number_next(c, w->in->register_id, w->year, &w->number);
    if (r != RES_OK)
        return r;
    struct doc_identity ident = {.issuer_code = w->d->issuer_code,
                                 .issuer_name = w->d->issuer_name,
                                 .number = w->d->number,
                                 .symbol = w->d->symbol,
                                 .issued_date = w->d->issued_date};
    if (!w->in->confirm_duplicate &&
        (r = doc_find_duplicate(c, w->d->agency_id, &ident, &w->dup)) != RES_OK)
        return r;
    if ((r = leave_arrived(c, w, "registered")) != RES_OK)
        return r;
    char comment[300], agency[256];
    snprintf(comment, sizeof(comment), "Vào sổ “%s”, số đến %lld/%d",
             DOC_CUT(w->register_name, 150), (long long)w->number, w->year);
    if ((r = doc_history_add(c, w->id, w->a, "registered", "arrived", "registered", comment,
                             w->now)) != RES_OK)
        return r;
    if ((r = agency_name(c, w->d->agency_id, agency, sizeof(agency))) != RES_OK)
        return r;
    snprintf(comment, sizeof(comment), "%s đã tiếp nhận, vào sổ số đến %lld/%d",
             DOC_CUT(agency, 200), (long long)w->number, w->year);
    if ((r = tell_source(c, w, "accepted", comment)) != RES_OK)
        return r;
    char summary[400];
    size_t cut = text_cut(w->d->subject, strlen(w->d->subject), 120);
    snprintf(summary, sizeof(summary), "Số đến %lld/%d: %s — %.*s%s", (long long)w->number, w->year,
             DOC_CUT(w->d->ns, 80), (int)cut, w->d->subject,
             cut < strlen(w->d->subject) ? "…" : "");
    doc_audit(t, w->a, w->d->agency_id, w->id, "doc_register_arrived", summary);
    return RES_OK;
}

/* The common start of both actions: the policy (404 another agency's, 403 not a clerk),
 * then the document as it is. */
static result_t arrived_begin(struct app *app, const struct actor *a, int64_t id,
                              struct db_conn **c, struct arrived_doc *d)
{
    memset(d, 0, sizeof(*d));
    if (!(*c = db_conn(app->db)))
        return RES_DB;
    result_t r = doc_authorize(*c, a, AZ_DOC_REGISTER, id);
    if (r != RES_OK)
        return r;
    return arrived_load(*c, id, d);
}

result_t doc_register_arrived(struct app *app, const struct actor *a, int64_t id,
                              const struct doc_arrived_input *in, struct verrs *e,
                              struct doc_registered *out)
{
    memset(out, 0, sizeof(*out));
    struct db_conn *c;
    struct arrived_doc d;
    result_t r = arrived_begin(app, a, id, &c, &d);
    if (r != RES_OK)
        goto out;
    if ((r = require_arrived(&d, "vào sổ", e)) != RES_OK)
        goto out;
    int year = doc_year_of(d.received_at);
    char reg_name[201] = "";
    r = doc_register_check(c, d.agency_id, in->register_id, year, e, reg_name, sizeof(reg_name));
    if (r != RES_OK && r != RES_INVALID)
        goto out;
    if (in->page_count < -1 || in->page_count > 100000)
        verrs_add(e, "page_count", "Số trang phải từ 0 đến 100000.");
    char *notes =
        in->notes ? field_clean_text(in->notes, "notes", "ghi chú", false, 2000, e) : NULL;
    if (e->count) {
        free(notes);
        r = RES_INVALID;
        goto out;
    }
    struct arrived_write w = {.a = a,
                              .id = id,
                              .now = clock_now(),
                              .d = &d,
                              .in = in,
                              .register_name = reg_name,
                              .notes = notes ? notes : d.notes,
                              .year = year};
    r = tx_run(app->db, register_tx, &w);
    free(notes);
    if (r == RES_CONFLICT && w.dup.id) {
        struct doc_identity ident = {.issuer_code = d.issuer_code,
                                     .issuer_name = d.issuer_name,
                                     .number = d.number,
                                     .symbol = d.symbol,
                                     .issued_date = d.issued_date};
        doc_duplicate_error(e, &ident, &w.dup);
        out->duplicate_of = w.dup.id;
        out->duplicate = w.dup;
    } else if (r == RES_CONFLICT) {
        verrs_add(e, "state", "Văn bản vừa được người khác vào sổ hoặc từ chối.");
    } else if (r == RES_OK) {
        out->id = id;
        out->year = year;
        out->arrival_number = w.number;
        out->received_at = d.received_at;
    }
out:
    arrived_release(&d);
    return r;
}

static result_t refuse_tx(struct tx *t, void *arg)
{
    struct arrived_write *w = arg;
    struct db_conn *c = tx_conn(t);
    result_t r = leave_arrived(c, w, "refused");
    if (r != RES_OK)
        return r;
    if ((r = doc_history_add(c, w->id, w->a, "refused", "arrived", "refused", w->reason, w->now)) !=
        RES_OK)
        return r;
    char comment[4400], agency[256];
    if ((r = agency_name(c, w->d->agency_id, agency, sizeof(agency))) != RES_OK)
        return r;
    snprintf(comment, sizeof(comment), "%s từ chối tiếp nhận: %s", DOC_CUT(agency, 200), w->reason);
    if ((r = tell_source(c, w, "refused_by_recipient", comment)) != RES_OK)
        return r;
    char summary[400];
    size_t cut = text_cut(w->reason, strlen(w->reason), 150);
    snprintf(summary, sizeof(summary), "Từ chối văn bản %s: %.*s%s", DOC_CUT(w->d->ns, 80),
             (int)cut, w->reason, cut < strlen(w->reason) ? "…" : "");
    doc_audit(t, w->a, w->d->agency_id, w->id, "doc_refuse", summary);
    return doc_notify_step(t, w->a, w->id, 0); /* the sender, the same instant (doc_notify.c) */
}

result_t doc_refuse(struct app *app, const struct actor *a, int64_t id, const char *reason,
                    struct verrs *e)
{
    struct db_conn *c;
    struct arrived_doc d;
    char *clean = NULL;
    result_t r = arrived_begin(app, a, id, &c, &d);
    if (r != RES_OK)
        goto out;
    if ((r = require_arrived(&d, "từ chối", e)) != RES_OK)
        goto out;
    clean = field_clean_text(reason, "reason", "lý do từ chối", true, REFUSE_REASON_MAX, e);
    if (e->count) {
        r = RES_INVALID;
        goto out;
    }
    struct arrived_write w = {.a = a, .id = id, .now = clock_now(), .d = &d, .reason = clean};
    r = tx_run(app->db, refuse_tx, &w);
    if (r == RES_CONFLICT)
        verrs_add(e, "state", "Văn bản vừa được người khác vào sổ hoặc từ chối.");
out:
    free(clean);
    arrived_release(&d);
    return r;
}
