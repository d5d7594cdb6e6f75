/* Outgoing documents (văn bản đi, issue 12, standards.md §2, §3, §4, §6, §9): the draft
 * with its recipients and versions, and the steps that carry files — a new version,
 * the signer's signature with the number, the agency seal, the issuance with delivery —
 * each run through doc_workflow.c's step table (doc_workflow_gate before the expensive
 * work, doc_workflow_run with this file's part of the one transaction). submit, approve
 * and return have no file and are table steps of doc_workflow.c themselves.
 *
 * Order of the signatures (docs/signatures.md, ND30 Điều 15): the signer signs the PDF
 * they approved (its blob hash is fixed at approval; a different file is refused); the
 * number and date are stamped as locked annotations in an incremental update (the
 * signer's signature stays valid, "annotations added"); the clerk's agency signature
 * covers the whole file. The number: the stamped PDF needs it before the transaction
 * (blobs are stored before the tx), so the next number is read first, the PDF stamped
 * and stored, and the transaction takes the number with doc_number_next; when another
 * document took that number meanwhile the transaction is rolled back and the stamp
 * redone with the new next number (bounded), so numbers stay unique and consecutive. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob/blob.h"
#include "core/signing.h"
#include "core/tx.h"
#include "core/validate.h"
#include "db/db.h"
#include "db/db_json.h"
#include "doc/doc.h"
#include "doc/doc_internal.h"
#include "doc/doc_upload.h"
#include "doc/doc_workflow.h"
#include "pdf/pdf_stamp.h"
#include "text/text.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/str.h"

#define MAX_PDF         (64L << 20)
#define NUMBER_ATTEMPTS 50
#define NUMBER_TURNS    16 /* locks shared by the registers (by id) of this process */
static pthread_mutex_t number_turns[NUMBER_TURNS] = {
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
    PTHREAD_MUTEX_INITIALIZER};
#define SUMMARY_NOTE_MAX 2000

static const char *const authorities[] = {"", "TM.", "Q.", "KT.", "TL.", "TUQ."};

static const char *actor_name(const struct actor *a)
{
    return a->full_name[0] ? a->full_name : a->login;
}

/* ---- the draft ---- */

struct create_write {
    const struct actor *a;
    const struct doc_outgoing_input *in;
    char *subject, *summary;
    int urgency;
    struct doc_rcpt *rc;
    struct stored_file *files;
    size_t nfiles;
    int64_t now, id;
    struct verrs e;
};

/* The text of the first column of the first row (NULL as ""); fmt binds x, and y when
 * it names two parameters. RES_NOT_FOUND without a row. */
static result_t one_text(struct db_conn *c, char *out, size_t n, const char *sql, const char *fmt,
                         int64_t x, int64_t y)
{
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s, sql, fmt, x, y);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW) {
        str_copy(out, db_col_null(s, 0) ? "" : db_col_text(s, 0), n);
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    return r;
}

/* A person of the agency with an active post: their unit and name. */
static result_t member_of(struct db_conn *c, int64_t agency, int64_t user, int64_t *dept,
                          char *name, size_t n)
{
    result_t r = one_text(c, name, n,
                          "SELECT u.full_name FROM membership m JOIN app_user u ON u.id = "
                          "m.user_id WHERE m.user_id = $1 AND m.agency_id = $2 AND m.active = 1 "
                          "AND u.disabled = 0",
                          "ii", user, agency);
    if (r == RES_OK && dept)
        r = db_one_i64(c, dept,
                       "SELECT COALESCE(MAX(department_id), 0) FROM membership WHERE user_id = $1 "
                       "AND agency_id = $2 AND active = 1",
                       "ii", user, agency);
    return r;
}

/* Recipients of an outgoing document (the draft, an update): agencies of the
 * installation by id, external ones by QD20 code, units and people of the agency; each
 * named in out[i] (a person's unit too), errors under `field` numbered from 1. */
result_t doc_recipients_check(struct db_conn *c, int64_t agency,
                              const struct doc_recipient_input *list, size_t n,
                              struct doc_rcpt *out, const char *field, struct verrs *e)
{
    for (size_t i = 0; i < n; i++) {
        const struct doc_recipient_input *ri = &list[i];
        struct doc_rcpt *rc = &out[i];
        rc->in = ri;
        const char *k = ri->kind ? ri->kind : "";
        result_t r = RES_OK;
        if (!strcmp(k, "agency")) {
            r = ri->agency_id > 0 && ri->agency_id != agency
                    ? one_text(c, rc->name, sizeof(rc->name),
                               "SELECT name FROM agency WHERE id = $1", "i", ri->agency_id, 0)
                    : RES_NOT_FOUND;
            if (r == RES_NOT_FOUND) {
                if (ri->agency_id == agency)
                    verrs_add(e, field,
                              "Không gửi văn bản đi cho chính cơ quan mình (nơi nhận thứ %zu).",
                              i + 1);
                else
                    verrs_add(e, field, "Không có cơ quan #%lld trên hệ thống (nơi nhận thứ %zu).",
                              (long long)ri->agency_id, i + 1);
                continue;
            }
        } else if (!strcmp(k, "external")) {
            const char *code = ri->agency_code ? ri->agency_code : "";
            size_t len = strlen(code);
            bool ok = len >= 5 && len <= 40;
            for (size_t j = 0; ok && j < len; j++)
                ok = (code[j] >= '0' && code[j] <= '9') || (code[j] >= 'A' && code[j] <= 'Z') ||
                     code[j] == '.';
            if (!ok) {
                verrs_add(e, field,
                          "Mã định danh cơ quan “%s” (nơi nhận thứ %zu) không hợp lệ (dạng "
                          "000.00.04.H41).",
                          DOC_CUT(code, 40), i + 1);
                continue;
            }
            int64_t here = 0;
            if ((r = db_one_i64(c, &here, "SELECT COUNT(*) FROM agency WHERE code = $1", "t",
                                code)) != RES_OK)
                return r;
            if (here) {
                verrs_add(e, field,
                          "Cơ quan %s có trên hệ thống: chọn theo agency_id (nơi nhận thứ %zu).",
                          code, i + 1);
                continue;
            }
            char *nm = field_clean(ri->name, field, "tên cơ quan nhận", false, 500, e);
            str_copy(rc->name, nm && *nm ? nm : code, sizeof(rc->name));
            free(nm);
        } else if (!strcmp(k, "department")) {
            r = ri->department_id > 0
                    ? one_text(c, rc->name, sizeof(rc->name),
                               "SELECT name FROM department WHERE id = $1 AND agency_id = $2 AND "
                               "active = 1",
                               "ii", ri->department_id, agency)
                    : RES_NOT_FOUND;
            if (r == RES_NOT_FOUND) {
                verrs_add(e, field, "Không có đơn vị #%lld trong cơ quan.",
                          (long long)ri->department_id);
                continue;
            }
        } else if (!strcmp(k, "user")) {
            r = ri->user_id > 0
                    ? member_of(c, agency, ri->user_id, &rc->dept, rc->name, sizeof(rc->name))
                    : RES_NOT_FOUND;
            if (r == RES_NOT_FOUND) {
                verrs_add(e, field, "Không có cán bộ #%lld trong cơ quan.", (long long)ri->user_id);
                continue;
            }
        } else {
            verrs_add(e, field,
                      "Nơi nhận thứ %zu: kind phải là agency, external, department hoặc user.",
                      i + 1);
            continue;
        }
        if (r != RES_OK)
            return r;
        for (size_t j = 0; j < i; j++) {
            const struct doc_recipient_input *o = out[j].in;
            if (o && o->kind && !strcmp(o->kind, k) && o->agency_id == ri->agency_id &&
                o->department_id == ri->department_id && o->user_id == ri->user_id &&
                !strcmp(o->agency_code ? o->agency_code : "",
                        ri->agency_code ? ri->agency_code : ""))
                verrs_add(e, field, "%s có hai lần trong nơi nhận.", rc->name);
        }
    }
    return e->count ? RES_INVALID : RES_OK;
}

result_t doc_recipient_insert(struct db_conn *c, int64_t doc, int64_t seq,
                              const struct doc_rcpt *rc)
{
    const struct doc_recipient_input *ri = rc->in;
    return db_run(c,
                  "INSERT INTO doc_recipient (document_id, seq, kind, agency_id, agency_code, "
                  "department_id, user_id, name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                  "iitItIIt", doc, seq, ri->kind, ri->agency_id,
                  !strcmp(ri->kind, "external") ? ri->agency_code : "", ri->department_id,
                  ri->user_id, rc->name);
}

static result_t create_tx(struct tx *t, void *arg)
{
    struct create_write *w = arg;
    struct db_conn *c = tx_conn(t);
    const struct doc_outgoing_input *in = w->in;
    int64_t agency = w->a->agency_id;
    memset(&w->e, 0, sizeof(w->e));
    char signer[256] = "", code[64] = "", aname[512] = "";
    result_t r = in->signer_id > 0
                     ? member_of(c, agency, in->signer_id, NULL, signer, sizeof(signer))
                     : RES_NOT_FOUND;
    if (r == RES_NOT_FOUND)
        verrs_add(&w->e, "signer_id",
                  in->signer_id > 0 ? "Không có cán bộ #%lld trong cơ quan để ký văn bản."
                                    : "Vui lòng chọn người ký (signer_id).",
                  (long long)in->signer_id);
    else if (r != RES_OK)
        return r;
    if (in->reply_to_id) {
        /* "in reply to" one of the agency's incoming documents the drafter may read */
        char dir[16] = "";
        r = doc_authorize(c, w->a, AZ_DOC_READ, in->reply_to_id);
        if (r == RES_OK)
            r = one_text(c, dir, sizeof(dir),
                         "SELECT direction FROM document WHERE id = $1 AND "
                         "agency_id = $2",
                         "ii", in->reply_to_id, agency);
        if (r == RES_NOT_FOUND || r == RES_FORBIDDEN || (r == RES_OK && strcmp(dir, "incoming")))
            verrs_add(&w->e, "reply_to_id", "Không có văn bản đến #%lld để trả lời.",
                      (long long)in->reply_to_id);
        else if (r != RES_OK)
            return r;
    }
    if (in->complete_on_issue && !in->reply_to_id)
        verrs_add(&w->e, "complete_on_issue",
                  "“Hoàn thành khi ban hành” chỉ dùng cho văn bản trả lời một văn bản đến "
                  "(reply_to_id).");
    else if (in->complete_on_issue && !w->e.count &&
             (r = doc_authorize(c, w->a, AZ_DOC_PROCESS, in->reply_to_id)) != RES_OK) {
        if (r != RES_FORBIDDEN && r != RES_NOT_FOUND)
            return r;
        verrs_add(&w->e, "complete_on_issue",
                  "Chỉ người (đơn vị) chủ trì xử lý văn bản đến #%lld mới chọn “hoàn thành khi "
                  "ban hành”.",
                  (long long)in->reply_to_id);
    }
    if (in->replaces_id) {
        /* thay thế (standards.md §6): an issued outgoing document of the agency */
        char st[16] = "";
        r = one_text(c, st, sizeof(st),
                     "SELECT state FROM document WHERE id = $1 AND agency_id = $2 AND direction "
                     "= 'outgoing'",
                     "ii", in->replaces_id, agency);
        if (r == RES_NOT_FOUND || (r == RES_OK && strcmp(st, "issued")))
            verrs_add(&w->e, "replaces_id",
                      "Không có văn bản đi đã ban hành #%lld của cơ quan để thay thế.",
                      (long long)in->replaces_id);
        else if (r != RES_OK)
            return r;
    }
    if ((r = doc_recipients_check(c, agency, in->recipients, in->nrecipients, w->rc, "recipients",
                                  &w->e)) != RES_OK &&
        r != RES_INVALID)
        return r;
    if (w->e.count)
        return RES_INVALID;
    /* §6 the circuit of the agency's template for the type; the drafter edits it */
    char plan[DOC_MAX_REVIEWERS * 24] = "";
    if ((r = doc_circuit_plan(c, agency, in->doc_type, w->a->user_id, w->a->department_id,
                              in->signer_id, plan, sizeof(plan))) != RES_OK)
        return r;
    r = one_text(c, code, sizeof(code), "SELECT code FROM agency WHERE id = $1", "i", agency, 0);
    if (r == RES_OK)
        r = one_text(c, aname, sizeof(aname), "SELECT name FROM agency WHERE id = $1", "i", agency,
                     0);
    if (r != RES_OK)
        return r;
    json_t *names = json_array();
    for (size_t i = 0; i < in->nrecipients; i++)
        json_array_append_new(names, json_string(w->rc[i].name));
    char *rjson = json_dumps(names, JSON_COMPACT);
    json_decref(names);
    char *folded = text_fold(w->subject);
    r = db_one_i64(c, &w->id,
                   "INSERT INTO document (agency_id, direction, state, medium, issuer_code, "
                   "issuer_name, issuer_agency_id, doc_type, subject, subject_folded, urgency, "
                   "recipients, notes, authority, signer_id, drafting_department_id, reply_to_id, "
                   "created_by, created_at, updated_at, review_plan, complete_on_issue, "
                   "normative, replaces_id) VALUES ($1, 'outgoing', 'draft', 'electronic', $2, "
                   "$3, $1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17, "
                   "$18, $19) RETURNING id",
                   "itttttitttiIIii"
                   "tiiI",
                   agency, code, aname, in->doc_type, w->subject, folded ? folded : "",
                   (int64_t)w->urgency, rjson ? rjson : "[]", w->summary,
                   in->authority ? in->authority : "", in->signer_id, w->a->department_id,
                   in->reply_to_id, w->a->user_id, w->now, plan, (int64_t)in->complete_on_issue,
                   (int64_t)in->normative, in->replaces_id);
    free(folded);
    free(rjson);
    for (size_t i = 0; r == RES_OK && i < in->nrecipients; i++)
        r = doc_recipient_insert(c, w->id, (int64_t)(i + 1), &w->rc[i]);
    for (size_t i = 0; r == RES_OK && i < w->nfiles; i++)
        r = doc_file_insert(c, w->id, &w->files[i], w->a->user_id, w->now, NULL);
    if (r == RES_OK) /* the drafter's row: the draft is with them (AZ_DOC_EDIT) */
        r = db_run(c,
                   "INSERT INTO doc_participant (document_id, history_step, role, user_id, "
                   "department_id, status, active, note, created_at) VALUES ($1, 1, 'drafter', $2, "
                   "$3, 'pending', 1, '', $4)",
                   "iiIi", w->id, w->a->user_id, w->a->department_id, w->now);
    if (r == RES_OK)
        r = doc_participant_keys(c, w->id);
    if (r == RES_OK)
        r = doc_history_add(c, w->id, w->a, "drafted", "", "draft", "", w->now);
    if (r == RES_OK)
        r = db_run(c, "UPDATE doc_history SET file_version = 1 WHERE document_id = $1", "i", w->id);
    if (r == RES_OK)
        r = doc_search_index(c, w->id);
    if (r == RES_OK) {
        char sum[700];
        snprintf(sum, sizeof(sum), "Dự thảo văn bản đi #%lld — %s, người ký %s", (long long)w->id,
                 DOC_CUT(w->subject, 200), DOC_CUT(signer, 100));
        doc_audit(t, w->a, agency, w->id, "doc_draft", sum);
    }
    return r;
}

result_t doc_outgoing_create(struct app *app, const struct actor *a,
                             const struct doc_outgoing_input *in, const struct doc_upload *files,
                             size_t nfiles, struct verrs *e, int64_t *id_out)
{
    *id_out = 0;
    result_t r = authz_check(a, AZ_DOC_DRAFT, a->agency_id);
    if (r != RES_OK)
        return r;
    if (!app->blobs)
        return RES_UNSUPPORTED;
    struct create_write w = {.a = a, .in = in, .now = clock_now()};
    if (!in->doc_type || !doc_type_find(in->doc_type))
        verrs_add(e, "doc_type", "Vui lòng chọn loại văn bản.");
    w.subject = field_clean(in->subject, "subject", "trích yếu", true, DOC_SUBJECT_MAX, e);
    w.summary = field_clean_text(in->summary, "summary", "tóm tắt", false, SUMMARY_NOTE_MAX, e);
    w.urgency = in->urgency && *in->urgency ? doc_urgency_parse(in->urgency) : 0;
    if (w.urgency < 0)
        verrs_add(e, "urgency",
                  "Độ khẩn “%s” không hợp lệ: chỉ Hỏa tốc, Thượng khẩn, Khẩn hoặc để trống (Nghị "
                  "định 30/2020/NĐ-CP, Phụ lục I).",
                  DOC_CUT(in->urgency, 30));
    bool auth_ok = false;
    for (size_t i = 0; i < sizeof(authorities) / sizeof(authorities[0]); i++)
        auth_ok |= !strcmp(in->authority ? in->authority : "", authorities[i]);
    if (!auth_ok)
        verrs_add(e, "authority",
                  "Thẩm quyền ký phải là TM., Q., KT., TL., TUQ. hoặc để trống (Nghị định "
                  "30/2020/NĐ-CP, Điều 13).");
    if (in->nrecipients == 0)
        verrs_add(e, "recipients", "Vui lòng chọn ít nhất một nơi nhận.");
    else if (in->nrecipients > DOC_MAX_RECIPIENTS)
        verrs_add(e, "recipients", "Tối đa %d nơi nhận.", DOC_MAX_RECIPIENTS);
    struct stored_file *sf = calloc(nfiles ? nfiles : 1, sizeof(*sf));
    w.rc = calloc(in->nrecipients ? in->nrecipients : 1, sizeof(*w.rc));
    size_t mains = 0, apps = 0;
    for (size_t i = 0; sf && i < nfiles; i++) {
        bool main = !strcmp(files[i].role, "main");
        const char *field = main ? "file" : "appendices";
        if (!doc_upload_check(app, &files[i], field, &sf[i], e))
            continue;
        sf[i].role = main ? "main" : "appendix";
        sf[i].seq = main ? 0 : (int)++apps;
        if (main && ++mains && sf[i].fmt != FMT_PDF && sf[i].fmt != FMT_DOCX &&
            sf[i].fmt != FMT_ODT)
            verrs_add(e, "file", "Tệp dự thảo phải là DOCX, ODT hoặc PDF.");
    }
    if (mains != 1)
        verrs_add(e, "file", "Vui lòng tải lên đúng một tệp dự thảo (trường file).");
    if (apps > DOC_MAX_APPENDICES)
        verrs_add(e, "appendices", "Tối đa %d phụ lục.", DOC_MAX_APPENDICES);
    if (!sf || !w.rc)
        r = RES_INTERNAL;
    else if (e->count)
        r = RES_INVALID;
    for (size_t i = 0; r == RES_OK && i < nfiles; i++)
        r = blob_put(app->blobs, files[i].data, files[i].len, sf[i].hash);
    if (r == RES_OK) {
        w.files = sf;
        w.nfiles = nfiles;
        r = tx_run(app->db, create_tx, &w);
        for (int i = 0; i < w.e.count; i++)
            verrs_add(e, w.e.items[i].field, "%s", w.e.items[i].message);
    }
    if (r == RES_OK)
        *id_out = w.id;
    free(sf);
    free(w.rc);
    free(w.subject);
    free(w.summary);
    return r;
}

/* ---- the main file ---- */

struct main_file {
    int64_t id, version;
    char hash[BLOB_HASH_LEN + 1], name[256], fmt[16];
};

static result_t main_latest(struct db_conn *c, int64_t doc, struct main_file *m)
{
    memset(m, 0, sizeof(*m));
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT id, version, blob_hash, file_name, format FROM doc_file WHERE "
                          "document_id = $1 AND role = 'main' ORDER BY version DESC, id DESC "
                          "LIMIT 1",
                          "i", doc);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW) {
        m->id = db_col_i64(s, 0);
        m->version = db_col_i64(s, 1);
        str_copy(m->hash, db_col_text(s, 2), sizeof(m->hash));
        str_copy(m->name, db_col_text(s, 3), sizeof(m->name));
        str_copy(m->fmt, db_col_text(s, 4), sizeof(m->fmt));
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    return r;
}

/* The next version of the file's role and seq (main: the main file's versions), with its
 * stage. */
static result_t version_insert(struct db_conn *c, int64_t doc, const struct stored_file *f,
                               const char *stage, int64_t user, int64_t now, int64_t *version)
{
    int64_t v = 0, fid = 0;
    result_t r = db_one_i64(c, &v,
                            "SELECT COALESCE(MAX(version), 0) + 1 FROM doc_file WHERE document_id "
                            "= $1 AND role = $2 AND seq = $3",
                            "iti", doc, f->role, (int64_t)f->seq);
    if (r == RES_OK)
        r = doc_file_insert(c, doc, f, user, now, &fid);
    if (r == RES_OK)
        r = db_run(c, "UPDATE doc_file SET version = $2, stage = $3 WHERE id = $1", "iit", fid, v,
                   stage);
    if (version)
        *version = v;
    return r;
}

static void stored_pdf(struct stored_file *f, const char *role, int seq, const char *name,
                       const char *suffix, size_t size)
{
    memset(f, 0, sizeof(*f));
    f->role = role;
    f->seq = seq;
    f->fmt = FMT_PDF;
    f->size = (int64_t)size;
    char base[200];
    str_copy(base, name, sizeof(base));
    char *dot = strrchr(base, '.');
    if (dot)
        *dot = '\0';
    snprintf(f->name, sizeof(f->name), "%s%s.pdf", base, suffix);
}

/* ---- version ---- */

struct version_arg {
    const struct actor *a;
    struct stored_file f;
    int64_t now;
};

static result_t version_tx(struct tx *t, int64_t id, int64_t step, const char *from, void *arg,
                           struct verrs *e, char *summary, size_t n)
{
    (void)e;
    struct version_arg *v = arg;
    struct db_conn *c = tx_conn(t);
    int64_t ver = 0;
    result_t r = version_insert(c, id, &v->f, "", v->a->user_id, v->now, &ver);
    if (r == RES_OK)
        r = doc_touch(c, id, v->now);
    char comment[400];
    snprintf(comment, sizeof(comment), "Phiên bản %lld: “%s”", (long long)ver,
             DOC_CUT(v->f.name, 200));
    if (r == RES_OK)
        r = doc_history_add(c, id, v->a, "version", from, from, comment, v->now);
    snprintf(summary, n, "phiên bản %lld “%s”", (long long)ver, DOC_CUT(v->f.name, 150));
    (void)step;
    return r;
}

result_t doc_outgoing_version(struct app *app, const struct actor *a, int64_t id,
                              const struct doc_upload *file, const char *note, struct verrs *e)
{
    result_t r = doc_workflow_gate(app, a, id, "version", e);
    if (r != RES_OK)
        return r;
    if (!app->blobs)
        return RES_UNSUPPORTED;
    struct version_arg v = {.a = a, .now = clock_now()};
    if (!file || !file->data) {
        verrs_add(e, "file", "Vui lòng chọn tệp dự thảo (trường file).");
        return RES_INVALID;
    }
    if (!doc_upload_check(app, file, "file", &v.f, e))
        return RES_INVALID;
    if (v.f.fmt != FMT_PDF && v.f.fmt != FMT_DOCX && v.f.fmt != FMT_ODT) {
        verrs_add(e, "file", "Tệp dự thảo phải là DOCX, ODT hoặc PDF.");
        return RES_INVALID;
    }
    v.f.role = "main";
    if ((r = blob_put(app->blobs, file->data, file->len, v.f.hash)) != RES_OK)
        return r;
    struct doc_step_input in = {.note = note};
    struct doc_step_ext ext = {.tx = version_tx, .arg = &v};
    return doc_workflow_run(app, a, id, "version", &in, &ext, e);
}

/* ---- sign and number ---- */

struct numbering {
    int64_t register_id, number;
    int year, month, day;
    char symbol[208], reference[240], number_text[8], date[11];
};

/* The outgoing register of the document's type: one restricted to it (doc_types lists
 * the key), else a general one (doc_types ''), open for the year. */
result_t doc_outgoing_register(struct db_conn *c, int64_t agency, const char *type, bool normative,
                               int year, int64_t *out)
{
    char pattern[80];
    snprintf(pattern, sizeof(pattern), "%%,%s,%%", type);
    return db_one_i64(c, out,
                      "SELECT COALESCE(MIN(id), 0) FROM doc_register WHERE agency_id = $1 AND kind "
                      "= 'outgoing' AND active = 1 AND normative = $4 AND (year_mode = 'yearly' OR "
                      "year = $2) AND (',' || doc_types || ',' LIKE $3 OR (doc_types = '' AND NOT "
                      "EXISTS (SELECT 1 FROM doc_register x WHERE x.agency_id = $1 AND x.kind = "
                      "'outgoing' AND x.active = 1 AND x.normative = $4 AND (x.year_mode = "
                      "'yearly' OR x.year = $2) AND ',' || x.doc_types || ',' LIKE $3)))",
                      "iiti", agency, (int64_t)year, pattern, (int64_t)normative);
}

struct sign_arg {
    const struct actor *a;
    int64_t now, agency;
    char type[40], approved[BLOB_HASH_LEN + 1], position[200];
    bool normative; /* QPPL: its own series, the year in the reference (§2) */
    struct main_file base;
    struct stored_file signed_f, stamped_f;
    struct numbering nb;
    bool stale; /* the number was taken meanwhile: stamp again */
};

static result_t sign_tx(struct tx *t, int64_t id, int64_t step, const char *from, void *arg,
                        struct verrs *e, char *summary, size_t n)
{
    (void)step;
    struct sign_arg *s = arg;
    struct db_conn *c = tx_conn(t);
    struct main_file m;
    result_t r = main_latest(c, id, &m);
    if (r != RES_OK)
        return r;
    if (strcmp(m.hash, s->approved) || m.id != s->base.id) {
        verrs_add(e, "action",
                  "Tệp PDF của dự thảo đã thay đổi sau khi người ký duyệt: không ký được.");
        return RES_CONFLICT;
    }
    int64_t reg = 0, num = 0;
    if ((r = doc_outgoing_register(c, s->agency, s->type, s->normative, s->nb.year, &reg)) !=
        RES_OK)
        return r;
    if (reg != s->nb.register_id) {
        s->stale = true;
        return RES_CONFLICT;
    }
    if ((r = doc_number_next(c, reg, s->nb.year, &num)) != RES_OK)
        return r;
    if (num != s->nb.number) {
        s->stale = true; /* another document took it: rolled back, stamped again */
        return RES_CONFLICT;
    }
    r = version_insert(c, id, &s->signed_f, "signed", s->a->user_id, s->now, NULL);
    if (r == RES_OK)
        r = version_insert(c, id, &s->stamped_f, "stamped", s->a->user_id, s->now, NULL);
    if (r == RES_OK)
        r = db_run(
            c,
            "UPDATE doc_participant SET status = 'done', done_at = $2 WHERE document_id = $1 "
            "AND role = 'signer' AND active = 1 AND status IN ('pending', 'in_progress')",
            "ii", id, s->now);
    if (r == RES_OK)
        r = db_run(c,
                   "UPDATE document SET state = 'signed', register_id = $2, reg_year = $3, "
                   "reg_number = $4, number = $5, symbol = $6, issued_date = $7, signer_name = $8, "
                   "updated_at = $9, signer_position = $10 WHERE id = $1",
                   "iiiitttti"
                   "t",
                   id, reg, (int64_t)s->nb.year, num, s->nb.number_text, s->nb.symbol, s->nb.date,
                   actor_name(s->a), s->now, s->position);
    char comment[300];
    snprintf(comment, sizeof(comment), "Ký số; cấp số %s ngày %s", s->nb.reference, s->nb.date);
    if (r == RES_OK)
        r = doc_history_add(c, id, s->a, "signed", from, "signed", comment, s->now);
    snprintf(summary, n, "ký số, số %s ngày %s", s->nb.reference, s->nb.date);
    return r;
}

/* Reads the next number, composes the reference and stamps it (before the tx). */
static result_t number_prepare(struct app *app, struct sign_arg *s, int64_t unit,
                               const struct buf *signed_pdf, struct buf *stamped, struct verrs *e)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct numbering *nb = &s->nb;
    int64_t reg = 0, next = 1;
    result_t r = doc_outgoing_register(c, s->agency, s->type, s->normative, nb->year, &reg);
    if (r != RES_OK)
        return r;
    if (!reg) {
        verrs_add(e, "action",
                  "Cơ quan chưa mở sổ văn bản đi%s cho loại văn bản này năm %d: văn thư mở sổ "
                  "trước khi cấp số (Nghị định 30/2020/NĐ-CP, Điều 15 và 16).",
                  s->normative ? " (quy phạm pháp luật)" : "", nb->year);
        return RES_CONFLICT;
    }
    nb->register_id = reg;
    if ((r = db_one_i64(c, &next,
                        "SELECT COALESCE(MAX(next_number), 1) FROM doc_counter WHERE register_id "
                        "= $1 AND year = $2",
                        "ii", reg, (int64_t)nb->year)) != RES_OK)
        return r;
    nb->number = next;
    char abbr[64] = "", uabbr[64] = "";
    if ((r = one_text(c, abbr, sizeof(abbr), "SELECT abbr FROM agency WHERE id = $1", "i",
                      s->agency, 0)) != RES_OK)
        return r;
    if (unit &&
        (r = one_text(c, uabbr, sizeof(uabbr), "SELECT abbr FROM department WHERE id = $1", "i",
                      unit, 0)) != RES_OK &&
        r != RES_NOT_FOUND)
        return r;
    if (doc_symbol_compose(s->type, abbr, uabbr, nb->symbol, sizeof(nb->symbol)) != RES_OK) {
        verrs_add(
            e, "action",
            "Không ghép được ký hiệu văn bản: công văn cần chữ viết tắt của đơn vị soạn "
            "thảo, cơ quan cần chữ viết tắt hợp lệ (Nghị định 30/2020/NĐ-CP, Phụ lục I và III).");
        return RES_CONFLICT;
    }
    if (doc_number_format(next, nb->number_text, sizeof(nb->number_text)) != RES_OK ||
        doc_reference_format(next, nb->year, nb->symbol, s->normative, nb->reference,
                             sizeof(nb->reference)) != RES_OK)
        return RES_INTERNAL;
    r = pdf_stamp_document((const unsigned char *)signed_pdf->data, signed_pdf->len, nb->reference,
                           nb->year, nb->month, nb->day, stamped);
    if (r != RES_OK) {
        verrs_add(e, "action",
                  "Không ghi được số, ngày lên văn bản: trang 1 của tệp PDF phải có dòng “Số:” "
                  "(thể thức văn bản, Nghị định 30/2020/NĐ-CP, Phụ lục I).");
        return RES_CONFLICT;
    }
    stored_pdf(&s->stamped_f, "main", 0, s->base.name, "-so", stamped->len);
    return blob_put(app->blobs, stamped->data, stamped->len, s->stamped_f.hash);
}

result_t doc_outgoing_sign(struct app *app, const struct actor *a, int64_t id, int64_t key_id,
                           const char *pin, struct verrs *e)
{
    result_t r = doc_workflow_gate(app, a, id, "sign", e);
    if (r != RES_OK)
        return r;
    if (!app->blobs)
        return RES_UNSUPPORTED;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct sign_arg s = {.a = a};
    int64_t unit = 0;
    struct db_stmt *q = NULL;
    r = db_query(c, &q,
                 "SELECT d.agency_id, d.doc_type, COALESCE(d.approved_hash, ''), "
                 "COALESCE(d.drafting_department_id, 0), d.normative, COALESCE((SELECT p.name FROM "
                 "membership m JOIN position p ON p.id = m.position_id WHERE m.user_id = $2 AND "
                 "m.agency_id = d.agency_id AND m.active = 1 ORDER BY m.id LIMIT 1), '') FROM "
                 "document d WHERE d.id = $1",
                 "ii", id, a->user_id);
    if (r != RES_OK)
        return r;
    if ((r = db_step(q)) == RES_ROW) {
        s.agency = db_col_i64(q, 0);
        str_copy(s.type, db_col_text(q, 1), sizeof(s.type));
        str_copy(s.approved, db_col_text(q, 2), sizeof(s.approved));
        unit = db_col_i64(q, 3);
        s.normative = db_col_i64(q, 4) != 0;
        /* the signer's position, recorded with the signature (§3 signature block) */
        str_copy(s.position, db_col_text(q, 5), sizeof(s.position));
        r = RES_OK;
    }
    db_finalize(q);
    if (r != RES_OK)
        return r == RES_DONE ? RES_NOT_FOUND : r;
    if ((r = main_latest(c, id, &s.base)) != RES_OK)
        return r;
    /* §6 the signer signs what they approved: the same bytes (blob hash). */
    if (strcmp(s.base.hash, s.approved)) {
        verrs_add(e, "action",
                  "Tệp PDF của dự thảo đã thay đổi sau khi người ký duyệt (mã băm không khớp): "
                  "không ký được.");
        return RES_CONFLICT;
    }
    /* The register before the signature: nothing is signed that cannot be numbered. */
    int64_t reg = 0;
    if ((r = doc_outgoing_register(c, s.agency, s.type, s.normative, doc_year_of(clock_now()),
                                   &reg)) != RES_OK)
        return r;
    if (!reg) {
        verrs_add(e, "action",
                  "Cơ quan chưa mở sổ văn bản đi%s cho loại văn bản này năm %d: văn thư mở sổ "
                  "trước khi cấp số (Nghị định 30/2020/NĐ-CP, Điều 15 và 16).",
                  s.normative ? " (quy phạm pháp luật)" : "", doc_year_of(clock_now()));
        return RES_CONFLICT;
    }
    struct buf pdf = BUF_INIT(MAX_PDF), sig = BUF_INIT(MAX_PDF), stamped = BUF_INIT(MAX_PDF);
    r = blob_get(app->blobs, s.base.hash, &pdf);
    if (r == RES_CRYPTO || r == RES_NOT_FOUND) {
        verrs_add(e, "action",
                  "Tệp PDF đã duyệt bị hỏng hoặc bị sửa trong kho lưu trữ: không ký được.");
        r = RES_CONFLICT;
    }
    if (r == RES_OK) {
        struct sign_request rq = {.key_id = key_id, .pin = pin, .file_name = s.base.name};
        r = signing_sign_pdf(app, a, (const unsigned char *)pdf.data, pdf.len, &rq, e, &sig);
    }
    if (r == RES_OK) {
        stored_pdf(&s.signed_f, "main", 0, s.base.name, "-ky", sig.len);
        r = blob_put(app->blobs, sig.data, sig.len, s.signed_f.hash);
    }
    struct doc_step_input in = {0};
    struct doc_step_ext ext = {.tx = sign_tx, .arg = &s};
    /* The signers of one register on this node take turns from reading the next number
     * to the commit that takes it: otherwise, under parallel signers, all but one stamp a
     * number another commit takes meanwhile and stamp again (a storm of retries that
     * grows with the signers). Another node's signers stay optimistic (the check in
     * sign_tx). The personal signature above is outside: it is the costly part. */
    pthread_mutex_t *turn = &number_turns[(uint64_t)reg % NUMBER_TURNS];
    pthread_mutex_lock(turn);
    int attempt = 0;
    for (; r == RES_OK && attempt < NUMBER_ATTEMPTS; attempt++) {
        s.now = clock_now();
        s.nb.year = doc_year_of(s.now);
        calendar_format_day(calendar_day_of(s.now), s.nb.date, sizeof(s.nb.date));
        sscanf(s.nb.date, "%d-%d-%d", &s.nb.year, &s.nb.month, &s.nb.day);
        s.stale = false;
        struct verrs pe = {0};
        r = number_prepare(app, &s, unit, &sig, &stamped, &pe);
        for (int i = 0; i < pe.count; i++)
            verrs_add(e, pe.items[i].field, "%s", pe.items[i].message);
        if (r != RES_OK)
            break;
        struct verrs te = {0};
        r = doc_workflow_run(app, a, id, "sign", &in, &ext, &te);
        if (r == RES_CONFLICT && s.stale) {
            r = RES_OK;
            continue;
        }
        for (int i = 0; i < te.count; i++)
            verrs_add(e, te.items[i].field, "%s", te.items[i].message);
        break;
    }
    pthread_mutex_unlock(turn);
    if (attempt > 0) /* another node's signer took the number meanwhile */
        log_info("msg=\"number taken meanwhile, stamped again\" document=%lld attempts=%d",
                 (long long)id, attempt + 1);
    if (r == RES_OK && s.stale)
        r = RES_BUSY;
    buf_release(&pdf);
    buf_release(&sig);
    buf_release(&stamped);
    return r;
}

/* ---- the agency's signature over the main file ----
 * The one "sign the newest main PDF with the agency key into a new blob" (before the
 * transaction) of the seal (§6) and of the digitised paper original (§5). `note`: NULL
 * for the seal image, else the text appearance's line (pdf_sign_opts.note). */
static result_t agency_sign_main(struct app *app, const struct actor *a, int64_t id, int64_t key_id,
                                 const char *pin, const char *note, const char *suffix,
                                 struct main_file *m, struct stored_file *f, struct verrs *e)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    result_t r = main_latest(c, id, m);
    if (r != RES_OK)
        return r;
    if (strcmp(m->fmt, "pdf")) {
        verrs_add(e, "action", "Tệp chính của văn bản không phải tệp PDF: không ký số được.");
        return RES_CONFLICT;
    }
    struct buf pdf = BUF_INIT(MAX_PDF), out = BUF_INIT(MAX_PDF);
    r = blob_get(app->blobs, m->hash, &pdf);
    if (r == RES_CRYPTO || r == RES_NOT_FOUND) {
        verrs_add(e, "action", "Tệp PDF bị hỏng hoặc bị sửa trong kho lưu trữ: không ký được.");
        r = RES_CONFLICT;
    }
    if (r == RES_OK) {
        struct sign_request rq = {
            .key_id = key_id, .pin = pin, .reason = note, .note = note, .file_name = m->name};
        r = signing_sign_pdf(app, a, (const unsigned char *)pdf.data, pdf.len, &rq, e, &out);
    }
    if (r == RES_OK) {
        stored_pdf(f, "main", 0, m->name, suffix, out.len);
        r = blob_put(app->blobs, out.data, out.len, f->hash);
    }
    buf_release(&pdf);
    buf_release(&out);
    return r;
}

/* ---- the agency seal ---- */

struct seal_arg {
    const struct actor *a;
    int64_t now, base_id;
    struct stored_file f;
    struct stored_file apps[DOC_MAX_APPENDICES];
    size_t napps;
};

static result_t seal_tx(struct tx *t, int64_t id, int64_t step, const char *from, void *arg,
                        struct verrs *e, char *summary, size_t n)
{
    (void)step;
    struct seal_arg *s = arg;
    struct db_conn *c = tx_conn(t);
    struct main_file m;
    result_t r = main_latest(c, id, &m);
    if (r != RES_OK)
        return r;
    if (m.id != s->base_id) {
        verrs_add(e, "action", "Tệp văn bản đã thay đổi trong lúc ký số của cơ quan: làm lại.");
        return RES_CONFLICT;
    }
    r = version_insert(c, id, &s->f, "sealed", s->a->user_id, s->now, NULL);
    for (size_t i = 0; r == RES_OK && i < s->napps; i++)
        r = version_insert(c, id, &s->apps[i], "sealed", s->a->user_id, s->now, NULL);
    if (r == RES_OK)
        r = db_run(c, "UPDATE document SET sealed_at = $2, updated_at = $2 WHERE id = $1", "ii", id,
                   s->now);
    if (r == RES_OK)
        r = doc_history_add(c, id, s->a, "sealed", from, from, "Chữ ký số của cơ quan", s->now);
    snprintf(summary, n, "ký số của cơ quan (%zu phụ lục)", s->napps);
    return r;
}

result_t doc_outgoing_seal(struct app *app, const struct actor *a, int64_t id, int64_t key_id,
                           const char *pin, struct verrs *e)
{
    result_t r = doc_workflow_gate(app, a, id, "seal", e);
    if (r != RES_OK)
        return r;
    if (!app->blobs)
        return RES_UNSUPPORTED;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct main_file m;
    char ref[240] = "", number[16] = "", symbol[208] = "";
    if ((r = one_text(c, number, sizeof(number), "SELECT number FROM document WHERE id = $1", "i",
                      id, 0)) != RES_OK ||
        (r = one_text(c, symbol, sizeof(symbol), "SELECT symbol FROM document WHERE id = $1", "i",
                      id, 0)) != RES_OK)
        return r;
    snprintf(ref, sizeof(ref), "%s/%s", number, symbol);
    struct seal_arg s = {.a = a, .now = clock_now()};
    if ((r = agency_sign_main(app, a, id, key_id, pin, NULL, "-dau", &m, &s.f, e)) != RES_OK)
        return r;
    s.base_id = m.id;
    struct buf pdf = BUF_INIT(MAX_PDF), out = BUF_INIT(MAX_PDF);
    /* §6 appendices: the agency signature with the number, symbol and time. */
    struct db_stmt *q = NULL;
    if (r == RES_OK)
        r = db_query(c, &q,
                     "SELECT f.seq, f.blob_hash, f.file_name FROM doc_file f WHERE f.document_id = "
                     "$1 AND f.role = 'appendix' AND f.format = 'pdf' AND f.version = (SELECT "
                     "MAX(g.version) FROM doc_file g WHERE g.document_id = f.document_id AND "
                     "g.role = 'appendix' AND g.seq = f.seq) ORDER BY f.seq",
                     "i", id);
    while (r == RES_OK && s.napps < DOC_MAX_APPENDICES) {
        result_t st = db_step(q);
        if (st != RES_ROW) {
            r = st == RES_DONE ? RES_OK : st;
            break;
        }
        int seq = (int)db_col_i64(q, 0);
        char h[BLOB_HASH_LEN + 1], nm[256];
        str_copy(h, db_col_text(q, 1), sizeof(h));
        str_copy(nm, db_col_text(q, 2), sizeof(nm));
        r = blob_get(app->blobs, h, &pdf);
        if (r == RES_OK) {
            struct sign_request rq = {
                .key_id = key_id, .pin = pin, .number_symbol = ref, .file_name = nm};
            r = signing_sign_pdf(app, a, (const unsigned char *)pdf.data, pdf.len, &rq, e, &out);
        }
        if (r == RES_OK) {
            stored_pdf(&s.apps[s.napps], "appendix", seq, nm, "-dau", out.len);
            r = blob_put(app->blobs, out.data, out.len, s.apps[s.napps].hash);
            s.napps++;
        }
    }
    db_finalize(q);
    buf_release(&pdf);
    buf_release(&out);
    if (r != RES_OK)
        return r;
    struct doc_step_input in = {0};
    struct doc_step_ext ext = {.tx = seal_tx, .arg = &s};
    return doc_workflow_run(app, a, id, "seal", &in, &ext, e);
}

/* ---- the agency's signature on a digitised paper original (standards.md §5) ---- */

struct digitise_arg {
    const struct actor *a;
    int64_t now, base_id;
    struct stored_file f;
};

static result_t digitise_tx(struct tx *t, int64_t id, int64_t step, const char *from, void *arg,
                            struct verrs *e, char *summary, size_t n)
{
    (void)step;
    struct digitise_arg *s = arg;
    struct db_conn *c = tx_conn(t);
    struct main_file m;
    result_t r = main_latest(c, id, &m);
    if (r != RES_OK)
        return r;
    if (m.id != s->base_id) {
        verrs_add(e, "action", "Tệp văn bản đã thay đổi trong lúc ký số của cơ quan: làm lại.");
        return RES_CONFLICT;
    }
    /* §14: the scan stays as it is (its version and hash); the signed one is version+1. */
    int64_t v = 0;
    r = version_insert(c, id, &s->f, "digitised", s->a->user_id, s->now, &v);
    if (r == RES_OK)
        r = doc_touch(c, id, s->now);
    if (r == RES_OK)
        r = doc_history_add(c, id, s->a, "digitised_signed", from, from,
                            "Ký số của cơ quan trên bản số hóa từ bản giấy", s->now);
    snprintf(summary, n, "ký số của cơ quan trên bản số hóa (tệp chính phiên bản %lld)",
             (long long)v);
    return r;
}

result_t doc_digitise_sign(struct app *app, const struct actor *a, int64_t id, int64_t key_id,
                           const char *pin, struct verrs *e)
{
    result_t r = doc_workflow_gate(app, a, id, "digitise", e);
    if (r != RES_OK)
        return r;
    if (!app->blobs)
        return RES_UNSUPPORTED;
    struct digitise_arg s = {.a = a, .now = clock_now()};
    struct main_file m;
    r = agency_sign_main(app, a, id, key_id, pin, "Số hóa từ bản giấy", "-so-hoa", &m, &s.f, e);
    if (r != RES_OK)
        return r;
    s.base_id = m.id;
    struct doc_step_input in = {0};
    struct doc_step_ext ext = {.tx = digitise_tx, .arg = &s};
    return doc_workflow_run(app, a, id, "digitise", &in, &ext, e);
}

/* ---- issue ---- */

struct issue_arg {
    const struct actor *a;
    struct calendar *cal;
    int64_t now, agency;
};

/* Thay thế inside the installation: the receiver's new copy points at its copy of the
 * replaced document, which gets a history row naming the replacement (§5 marked). */
static result_t replace_copy(struct db_conn *c, struct issue_arg *s, int64_t replaces,
                             int64_t agency, int64_t copy, const char *ref)
{
    int64_t old = 0;
    result_t r = db_one_i64(c, &old,
                            "SELECT COALESCE(MIN(id), 0) FROM document WHERE source_document_id = "
                            "$1 AND agency_id = $2",
                            "ii", replaces, agency);
    if (r != RES_OK || !old)
        return r;
    char comment[320], st[16] = "";
    snprintf(comment, sizeof(comment), "Bị thay thế bởi văn bản %s (văn bản đến #%lld)", ref,
             (long long)copy);
    r = db_run(c, "UPDATE document SET replaces_id = $2 WHERE id = $1", "ii", copy, old);
    if (r == RES_OK)
        r = doc_touch(c, old, s->now);
    if (r == RES_OK)
        r = one_text(c, st, sizeof(st), "SELECT state FROM document WHERE id = $1", "i", old, 0);
    if (r == RES_OK)
        r = doc_history_add(c, old, s->a, "replaced", st, st, comment, s->now);
    return r;
}

/* "Hoàn thành khi ban hành": the reply completes the incoming document's lead step
 * (standards.md §5 the result of the step is the reply), history on both, an audit row
 * for the incoming document. An incoming document no longer with its lead (completed,
 * returned) is left as it is; the reply's history says so. */
static result_t reply_complete(struct tx *t, struct issue_arg *s, int64_t id, int64_t reply_to,
                               const char *ref)
{
    struct db_conn *c = tx_conn(t);
    char st[16] = "";
    result_t r = doc_lock(c, reply_to);
    if (r == RES_OK)
        r = one_text(c, st, sizeof(st), "SELECT state FROM document WHERE id = $1", "i", reply_to,
                     0);
    if (r != RES_OK)
        return r;
    char comment[320];
    if (strcmp(st, "assigned") && strcmp(st, "in_progress")) {
        snprintf(comment, sizeof(comment),
                 "Văn bản đến #%lld không còn ở bước xử lý (%s): không hoàn thành tự động",
                 (long long)reply_to, st);
        return doc_history_add(c, id, s->a, "reply_not_completed", "issued", "issued", comment,
                               s->now);
    }
    snprintf(comment, sizeof(comment), "Hoàn thành khi ban hành văn bản trả lời %s", ref);
    r = db_run(c,
               "UPDATE doc_participant SET status = 'done', done_at = $2 WHERE document_id = $1 "
               "AND active = 1 AND status IN ('pending', 'in_progress')",
               "ii", reply_to, s->now);
    if (r == RES_OK)
        r = db_run(c,
                   "UPDATE document SET state = 'completed', completed_at = $2, updated_at = $2 "
                   "WHERE id = $1",
                   "ii", reply_to, s->now);
    if (r == RES_OK)
        r = doc_history_add(c, reply_to, s->a, "completed", st, "completed", comment, s->now);
    if (r == RES_OK) {
        char c2[320];
        snprintf(c2, sizeof(c2), "Hoàn thành văn bản đến #%lld", (long long)reply_to);
        r = doc_history_add(c, id, s->a, "reply_completed", "issued", "issued", c2, s->now);
    }
    if (r == RES_OK) {
        char sum[400];
        snprintf(sum, sizeof(sum), "Văn bản #%lld — %s", (long long)reply_to, comment);
        doc_audit(t, s->a, s->agency, reply_to, "doc_reply_complete", sum);
    }
    return r;
}

void doc_rcpt_row_read(struct db_stmt *s, struct doc_rcpt_row *x)
{
    memset(x, 0, sizeof(*x));
    x->id = db_col_i64(s, 0);
    str_copy(x->kind, db_col_text(s, 1), sizeof(x->kind));
    x->agency = db_col_i64(s, 2);
    str_copy(x->code, db_col_text(s, 3), sizeof(x->code));
    x->dept = db_col_i64(s, 4);
    x->user = db_col_i64(s, 5);
    str_copy(x->name, db_col_text(s, 6), sizeof(x->name));
}

result_t doc_recipient_deliver(struct tx *t, struct calendar *cal, const struct actor *a,
                               int64_t id, int64_t step, int64_t urgency,
                               const struct doc_rcpt_row *rc, int64_t now, int64_t *copy,
                               struct verrs *e)
{
    struct db_conn *c = tx_conn(t);
    *copy = 0;
    if (!strcmp(rc->kind, "agency")) {
        /* §4: arrived now, the receipt time by the working calendar (doc_deliver.c) */
        result_t r = doc_deliver_internal(t, cal, a, id, rc->agency, now, copy);
        if (r == RES_NOT_FOUND || r == RES_INVALID || r == RES_CONFLICT) {
            verrs_add(e, "recipients", "Không gửi được văn bản đến %s trên hệ thống.",
                      DOC_CUT(rc->name, 150));
            return RES_CONFLICT;
        }
        return r;
    }
    if (!strcmp(rc->kind, "external")) /* the exchange issue drains it */
        return db_run(c,
                      "INSERT INTO doc_outbox (document_id, recipient_id, agency_code, urgency, "
                      "status, attempts, created_at, updated_at) VALUES ($1, $2, $3, $4, "
                      "'waiting', 0, $5, $5)",
                      "iitii", id, rc->id, rc->code, urgency, now);
    /* inside the agency: for information (nhận để biết), told with the step */
    result_t r = db_run(c,
                        "INSERT INTO doc_participant (document_id, history_step, role, user_id, "
                        "department_id, assigned_by, status, active, note, created_at) VALUES "
                        "($1, $2, 'for_info', $3, $4, $5, 'pending', 1, '', $6)",
                        "iiIIii", id, step, rc->user, rc->dept, a->user_id, now);
    return r == RES_OK ? doc_participant_keys(c, id) : r;
}

static result_t issue_tx(struct tx *t, int64_t id, int64_t step, const char *from, void *arg,
                         struct verrs *e, char *summary, size_t n)
{
    (void)step;
    struct issue_arg *s = arg;
    struct db_conn *c = tx_conn(t);
    int64_t urgency = 0, replaces = 0, reply_to = 0, complete = 0;
    char ref[260] = "";
    struct db_stmt *d = NULL;
    result_t r = db_query(c, &d,
                          "SELECT urgency, COALESCE(replaces_id, 0), COALESCE(reply_to_id, 0), "
                          "complete_on_issue, COALESCE(number, '') || '/' || COALESCE(symbol, '') "
                          "FROM document WHERE id = $1",
                          "i", id);
    if (r == RES_OK && (r = db_step(d)) == RES_ROW) {
        urgency = db_col_i64(d, 0);
        replaces = db_col_i64(d, 1);
        reply_to = db_col_i64(d, 2);
        complete = db_col_i64(d, 3);
        str_copy(ref, db_col_text(d, 4), sizeof(ref));
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(d);
    if (r == RES_OK)
        r = db_run(c,
                   "UPDATE document SET state = 'issued', issued_at = $2, updated_at = $2 WHERE id "
                   "= $1",
                   "ii", id, s->now);
    if (r == RES_OK)
        r = doc_history_add(c, id, s->a, "issued", from, "issued", "", s->now);
    if (r != RES_OK)
        return r;
    struct db_stmt *q = NULL;
    struct doc_rcpt_row rc[DOC_MAX_RECIPIENTS];
    size_t nrc = 0;
    r = db_query(c, &q,
                 "SELECT " DOC_RCPT_ROW_COLUMNS " FROM doc_recipient rc WHERE rc.document_id = "
                 "$1 ORDER BY rc.seq",
                 "i", id);
    while (r == RES_OK && nrc < DOC_MAX_RECIPIENTS && (r = db_step(q)) == RES_ROW) {
        doc_rcpt_row_read(q, &rc[nrc++]);
        r = RES_OK;
    }
    db_finalize(q);
    if (r == RES_DONE)
        r = RES_OK;
    size_t inside = 0, outside = 0;
    for (size_t i = 0; r == RES_OK && i < nrc; i++) {
        int64_t copy = 0;
        r = doc_recipient_deliver(t, s->cal, s->a, id, step, urgency, &rc[i], s->now, &copy, e);
        if (r == RES_OK && copy && replaces)
            r = replace_copy(c, s, replaces, rc[i].agency, copy, ref);
        inside += !strcmp(rc[i].kind, "agency");
        outside += !strcmp(rc[i].kind, "external");
    }
    if (r == RES_OK && replaces) {
        /* §6 the replaced document shows what replaced it (replaced_by in doc_get) */
        char comment[320];
        snprintf(comment, sizeof(comment), "Bị thay thế bởi văn bản %s", ref);
        r = doc_touch(c, replaces, s->now);
        if (r == RES_OK)
            r = doc_history_add(c, replaces, s->a, "replaced", "issued", "issued", comment, s->now);
    }
    if (r == RES_OK && complete && reply_to)
        r = reply_complete(t, s, id, reply_to, ref);
    snprintf(summary, n, "ban hành: %zu cơ quan trên hệ thống, %zu chờ gửi liên thông", inside,
             outside);
    return r;
}

result_t doc_outgoing_issue(struct app *app, const struct actor *a, int64_t id, struct verrs *e)
{
    result_t r = doc_workflow_gate(app, a, id, "issue", e);
    if (r != RES_OK)
        return r;
    struct issue_arg s = {.a = a, .now = clock_now(), .agency = a->agency_id};
    if ((r = doc_calendar_load(app, &s.cal)) != RES_OK)
        return r;
    struct doc_step_input in = {0};
    struct doc_step_ext ext = {.tx = issue_tx, .arg = &s};
    r = doc_workflow_run(app, a, id, "issue", &in, &ext, e);
    free(s.cal);
    return r;
}

/* ---- the outbox ---- */

result_t doc_outbox_list(struct app *app, const struct actor *a, const char *status, json_t **out)
{
    *out = NULL;
    result_t r = authz_check(a, AZ_DOC_REGISTER, a->agency_id);
    if (r != RES_OK)
        return r;
    const char *st = status && *status ? status : "waiting";
    if (strcmp(st, "waiting") && strcmp(st, "sent") && strcmp(st, "failed"))
        return RES_INVALID;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct db_stmt *s = NULL;
    r = db_query(
        c, &s,
        "SELECT o.id, o.document_id, d.number, d.symbol, d.subject, o.agency_code, rc.name, "
        "o.urgency, o.status, o.attempts, o.last_error, o.created_at FROM doc_outbox o "
        "JOIN document d ON d.id = o.document_id JOIN doc_recipient rc ON rc.id = "
        "o.recipient_id WHERE d.agency_id = $1 AND o.status = $2 ORDER BY o.urgency "
        "DESC, o.id LIMIT 500",
        "it", a->agency_id, st);
    if (r != RES_OK)
        return r;
    return db_collect(s,
                      "id:i,document_id:i,number:t,symbol:t,subject:t,agency_code:t,name:t,"
                      "urgency:i,status:t,attempts:i,last_error:t,created_at:i",
                      out);
}

/* ---- reading ---- */

/* The draft's planned reviewers (review_plan) with their names, in order. */
static result_t plan_json(struct db_conn *c, int64_t id, json_t *doc)
{
    char plan[DOC_MAX_REVIEWERS * 24] = "";
    result_t r = one_text(c, plan, sizeof(plan), "SELECT review_plan FROM document WHERE id = $1",
                          "i", id, 0);
    if (r != RES_OK)
        return r;
    json_t *list = json_array();
    char *save = NULL;
    for (char *tok = strtok_r(plan, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int64_t uid = 0;
        if (str_to_i64(tok, 1, INT64_MAX, &uid) != RES_OK)
            continue;
        char name[256] = "";
        r = one_text(c, name, sizeof(name), "SELECT full_name FROM app_user WHERE id = $1", "i",
                     uid, 0);
        if (r != RES_OK && r != RES_NOT_FOUND) {
            json_decref(list);
            return r;
        }
        json_array_append_new(list,
                              json_pack("{s:I, s:s}", "user_id", (json_int_t)uid, "name", name));
    }
    json_object_set_new(doc, "review_plan", list);
    return RES_OK;
}

/* Opinions asked of units (xin ý kiến, §6): the co_handler rows of the outgoing
 * document, with their answers and whether the answer is late. */
static result_t opinions_json(struct db_conn *c, int64_t id, json_t *doc)
{
    struct db_stmt *s = NULL;
    json_t *list = NULL;
    result_t r = db_query(
        c, &s,
        "SELECT p.id, p.department_id, COALESCE(d.name, ''), p.assigned_by, COALESCE(u.full_name, "
        "''), p.note, p.due_date, p.status, p.answer, p.done_at, p.created_at FROM "
        "doc_participant p LEFT JOIN department d ON d.id = p.department_id LEFT JOIN app_user u "
        "ON u.id = p.assigned_by WHERE p.document_id = $1 AND p.role = 'co_handler' ORDER BY p.id",
        "i", id);
    if (r == RES_OK)
        r = db_collect(s,
                       "id:i,department_id:I,department_name:t,asked_by_id:I,asked_by:t,question:"
                       "t,due_date:T,status:t,answer:t,answered_at:I,asked_at:i",
                       &list);
    if (r != RES_OK)
        return r;
    char today[11];
    calendar_format_day(calendar_day_of(clock_now()), today, sizeof(today));
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p)
    {
        const char *st = json_string_value(json_object_get(p, "status"));
        const char *due = json_string_value(json_object_get(p, "due_date"));
        bool open = !strcmp(st, "pending") || !strcmp(st, "in_progress");
        /* §4 due at the end of the due day: late from the next day on */
        json_object_set_new(p, "state",
                            json_string(!strcmp(st, "done")             ? "answered"
                                        : !open                         ? "closed"
                                        : due && strcmp(due, today) < 0 ? "overdue"
                                                                        : "waiting"));
    }
    json_object_set_new(doc, "opinions", list);
    return RES_OK;
}

/* §5 tracking the copies: the receiver's state as the sender sees it. */
static const char *track_status(const char *state)
{
    if (!strcmp(state, "presented"))
        return "registered";
    if (!strcmp(state, "recall_requested"))
        return "recalled"; /* waiting for the receiver's answer (recall) */
    return state; /* arrived, refused, registered, assigned, in_progress, completed, recalled */
}

/* Cập nhật (doc_workflow.c do_update): the recipients an update took off — marked in
 * the list (removed: true) and in the tracking (status "removed"). */
static result_t removed_mark(struct db_conn *c, int64_t id, json_t *doc)
{
    struct db_stmt *s = NULL;
    json_t *gone = NULL;
    result_t r = db_query(c, &s,
                          "SELECT rc.seq, rc.kind, COALESCE(rc.agency_id, 0), rc.agency_code FROM "
                          "doc_recipient rc WHERE rc.document_id = $1 AND " DOC_RECIPIENT_REMOVED
                          " ORDER BY rc.seq",
                          "i", id);
    if (r == RES_OK)
        r = db_collect(s, "seq:i,kind:t,agency_id:i,agency_code:t", &gone);
    if (r != RES_OK)
        return r;
    size_t i, j;
    json_t *p, *g;
    json_array_foreach(json_object_get(doc, "recipients_list"), i, p)
    {
        bool off = false;
        json_array_foreach(gone, j, g) off |= json_integer_value(json_object_get(g, "seq")) ==
                                              json_integer_value(json_object_get(p, "seq"));
        json_object_set_new(p, "removed", json_boolean(off));
    }
    json_array_foreach(json_object_get(doc, "recipients_status"), i, p)
    {
        json_t *aid = json_object_get(p, "agency_id");
        const char *code = json_string_value(json_object_get(p, "agency_code"));
        json_array_foreach(gone, j, g)
        {
            bool agency = !strcmp(json_string_value(json_object_get(g, "kind")), "agency");
            const char *gc = json_string_value(json_object_get(g, "agency_code"));
            if (agency
                    ? json_integer_value(aid) == json_integer_value(json_object_get(g, "agency_id"))
                    : !json_is_integer(aid) && code && gc && !strcmp(code, gc))
                json_object_set_new(p, "status", json_string("removed"));
        }
    }
    json_decref(gone);
    return RES_OK;
}

result_t doc_outgoing_json(struct db_conn *c, int64_t id, json_t *doc)
{
    struct db_stmt *s = NULL;
    json_t *replies = NULL;
    result_t r = db_query(c, &s,
                          "SELECT id, state, number, symbol, subject FROM document WHERE "
                          "reply_to_id = $1 ORDER BY id LIMIT 100",
                          "i", id);
    if (r == RES_OK)
        r = db_collect(s, "id:i,state:t,number:t,symbol:t,subject:t", &replies);
    if (r != RES_OK)
        return r;
    json_object_set_new(doc, "replies", replies);
    /* thay thế (§6): on both sides — the replacement names what it replaces, the
     * replaced one (and a receiver's copy of it) what replaced it; and whether this is a
     * receiver's copy recalled by its sender, waiting for the clerk's answer */
    json_t *replaces = json_null();
    bool pending = false;
    r = db_query(c, &s,
                 "SELECT o.id, o.state, o.number, o.symbol, o.subject, CASE WHEN "
                 "d.state_before_recall IS NOT NULL THEN 1 ELSE 0 END FROM document d LEFT JOIN "
                 "document o ON o.id = d.replaces_id WHERE d.id = $1",
                 "i", id);
    if (r != RES_OK)
        return r;
    if ((r = db_step(s)) == RES_ROW) {
        pending = db_col_i64(s, 5) == 1;
        if (!db_col_null(s, 0)) {
            json_decref(replaces);
            replaces = json_object();
            json_object_set_new(replaces, "id", json_integer(db_col_i64(s, 0)));
            json_object_set_new(replaces, "state", json_string(db_col_text(s, 1)));
            for (int k = 2; k <= 3; k++)
                json_object_set_new(replaces, k == 2 ? "number" : "symbol",
                                    db_col_null(s, k) ? json_null()
                                                      : json_string(db_col_text(s, k)));
            json_object_set_new(replaces, "subject", json_string(db_col_text(s, 4)));
        }
        r = RES_OK;
    }
    db_finalize(s);
    if (r != RES_OK && r != RES_DONE) {
        json_decref(replaces);
        return r;
    }
    json_object_set_new(doc, "replaces", replaces);
    json_t *links = NULL;
    r = db_query(c, &s,
                 "SELECT id, state, number, symbol, subject FROM document WHERE replaces_id = $1 "
                 "ORDER BY id LIMIT 100",
                 "i", id);
    if (r == RES_OK)
        r = db_collect(s, "id:i,state:t,number:T,symbol:T,subject:t", &links);
    if (r != RES_OK)
        return r;
    json_object_set_new(doc, "replaced_by", links);
    json_object_set_new(doc, "recall_pending", json_boolean(pending));
    const char *dir = json_string_value(json_object_get(doc, "direction"));
    if (!dir || strcmp(dir, "outgoing"))
        return RES_OK;
    json_t *extra = NULL, *rcpts = NULL, *versions = NULL;
    r = db_query(c, &s,
                 "SELECT authority, signer_id, reply_to_id, approved_hash, sealed_at, issued_at, "
                 "number_cancelled, complete_on_issue, normative, replaces_id FROM document "
                 "WHERE id = $1",
                 "i", id);
    if (r == RES_OK)
        r = db_collect(s,
                       "authority:t,signer_id:I,reply_to_id:I,approved_hash:T,sealed_at:I,issued_"
                       "at:I,number_cancelled:i,complete_on_issue:b,normative:b,replaces_id:I",
                       &extra);
    if (r != RES_OK)
        return r;
    json_t *row = json_array_get(extra, 0);
    if (row)
        json_object_update(doc, row);
    json_decref(extra);
    r = db_query(c, &s,
                 "SELECT id, version, stage, format, file_name, size, created_at FROM doc_file "
                 "WHERE document_id = $1 AND role = 'main' ORDER BY version",
                 "i", id);
    if (r == RES_OK)
        r = db_collect(s, "id:i,version:i,stage:t,format:t,file_name:t,size:i,created_at:i",
                       &versions);
    if (r != RES_OK)
        return r;
    json_object_set_new(doc, "versions", versions);
    if ((r = plan_json(c, id, doc)) != RES_OK || (r = opinions_json(c, id, doc)) != RES_OK)
        return r;
    r = db_query(c, &s,
                 "SELECT rc.seq, rc.kind, rc.agency_id, rc.agency_code, rc.department_id, "
                 "rc.user_id, rc.name, cp.id, CASE WHEN cp.state_before_recall IS NOT NULL THEN "
                 "'recall_requested' ELSE cp.state END, o.status, (SELECT h.comment FROM "
                 "doc_history h WHERE h.document_id = cp.id AND h.action = 'refused' ORDER BY "
                 "h.step DESC LIMIT 1), (SELECT h.action || ':' || h.comment FROM doc_history h "
                 "WHERE h.document_id = cp.id AND h.action IN ('recall_agreed', "
                 "'recall_refused') ORDER BY h.step DESC LIMIT 1) FROM doc_recipient rc LEFT "
                 "JOIN document cp ON "
                 "cp.source_document_id = rc.document_id AND cp.agency_id = rc.agency_id AND "
                 "rc.kind = 'agency' LEFT JOIN doc_outbox o ON o.recipient_id = rc.id WHERE "
                 "rc.document_id = $1 ORDER BY rc.seq",
                 "i", id);
    if (r == RES_OK)
        r = db_collect(s,
                       "seq:i,kind:t,agency_id:I,agency_code:t,department_id:I,user_id:I,name:t,"
                       "copy_id:I,copy_state:T,outbox_status:T,refused_reason:T,recall:T",
                       &rcpts);
    if (r != RES_OK)
        return r;
    json_t *status = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(rcpts, i, p)
    {
        const char *kind = json_string_value(json_object_get(p, "kind"));
        const char *cs = json_string_value(json_object_get(p, "copy_state"));
        const char *ob = json_string_value(json_object_get(p, "outbox_status"));
        if (!strcmp(kind, "agency") || !strcmp(kind, "external")) {
            json_t *st = json_pack(
                "{s:s, s:O, s:O, s:O}", "name", json_string_value(json_object_get(p, "name")),
                "agency_id", json_object_get(p, "agency_id"), "agency_code",
                json_object_get(p, "agency_code"), "copy_id", json_object_get(p, "copy_id"));
            const char *v = cs   ? track_status(cs)
                            : ob ? (!strcmp(ob, "waiting") ? "waiting_to_send" : ob)
                                 : "not_sent";
            json_object_set_new(st, "status", json_string(v));
            json_object_set(st, "refused_reason",
                            cs && !strcmp(cs, "refused") ? json_object_get(p, "refused_reason")
                                                         : json_null());
            /* the receiver's answer to a recall (edXML 15 agreed / 16 refused) */
            const char *rec = json_string_value(json_object_get(p, "recall"));
            const char *colon = rec ? strchr(rec, ':') : NULL;
            bool agreed = rec && !strncmp(rec, "recall_agreed:", 14);
            json_object_set_new(st, "recall",
                                cs && !strcmp(cs, "recall_requested") ? json_string("requested")
                                : colon ? json_string(agreed ? "agreed" : "refused")
                                        : json_null());
            json_object_set_new(st, "recall_reason",
                                colon && !agreed ? json_string(colon + 1) : json_null());
            json_array_append_new(status, st);
        }
        json_object_del(p, "recall");
        json_object_del(p, "copy_state");
        json_object_del(p, "outbox_status");
        json_object_del(p, "refused_reason");
        json_object_del(p, "copy_id");
    }
    json_object_set_new(doc, "recipients_list", rcpts);
    json_object_set_new(doc, "recipients_status", status);
    return removed_mark(c, id, doc);
}
