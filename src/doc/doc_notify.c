/* The document workflow's notifications (issues 11, 12; standards.md §5 "the sender is
 * notified the same day", "recipients are notified"; §6 review and signing): from the
 * history rows a step has just written, who is told what. Everything goes through
 * notify_add in the step's own transaction (core/notify.h). */
#include "doc/doc_notify.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/notify.h"
#include "core/role.h"
#include "core/tx.h"
#include "db/db.h"
#include "doc/doc.h"
#include "jobs/jobs.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/str.h"

#define HISTORY_MAX 16 /* history rows of one step (a recall, an issue: a few) */

/* What a notification names of its document. */
struct docinfo {
    int64_t id, agency_id, source_id, created_by;
    char direction[16], ref[120], subject[200], deadline[11], issuer[160];
};

static result_t doc_load(struct db_conn *c, int64_t id, struct docinfo *d)
{
    memset(d, 0, sizeof(*d));
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT agency_id, COALESCE(source_document_id, 0), "
                          "COALESCE(created_by, 0), direction, number, symbol, subject, "
                          "COALESCE(deadline, ''), issuer_name FROM document WHERE id = $1",
                          "i", id);
    if (r != RES_OK)
        return r;
    if ((r = db_step(s)) == RES_ROW) {
        d->id = id;
        d->agency_id = db_col_i64(s, 0);
        d->source_id = db_col_i64(s, 1);
        d->created_by = db_col_i64(s, 2);
        str_copy(d->direction, db_col_text(s, 3), sizeof(d->direction));
        const char *num = db_col_text(s, 4), *sym = db_col_text(s, 5);
        if (num && *num)
            snprintf(d->ref, sizeof(d->ref), "%s%s%s", DOC_CUT(num, 10), sym && *sym ? "/" : "",
                     DOC_CUT(sym ? sym : "", 90));
        else
            snprintf(d->ref, sizeof(d->ref), "#%lld", (long long)id);
        str_copy(d->subject, DOC_CUT(db_col_text(s, 6), 150), sizeof(d->subject));
        str_copy(d->deadline, db_col_text(s, 7), sizeof(d->deadline));
        str_copy(d->issuer, DOC_CUT(db_col_text(s, 8), 120), sizeof(d->issuer));
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    return r;
}

/* "Văn bản đến 12/UBND-VP “Về việc …”" */
static void doc_name(const struct docinfo *d, char *out, size_t n)
{
    bool outgoing = !strcmp(d->direction, "outgoing");
    if (outgoing && d->ref[0] == '#') /* not numbered yet: a draft */
        snprintf(out, n, "Dự thảo “%s”", d->subject);
    else
        snprintf(out, n, "%s %s “%s”", outgoing ? "Văn bản đi" : "Văn bản đến", d->ref, d->subject);
}

struct emit {
    struct tx *t;
    const struct actor *a;
    int64_t step, now;
};

/* One notification to `to` about document `doc`, once per person and step. */
static result_t send(struct emit *x, const struct notify_to *to, const char *kind, int64_t doc,
                     const char *text)
{
    char key[64];
    snprintf(key, sizeof(key), "doc:%lld:%lld", (long long)doc, (long long)x->step);
    struct notify_msg m = {.kind = kind,
                           .document_id = doc,
                           .text = text,
                           .actor_id = x->a ? x->a->user_id : 0,
                           .dedupe_key = key,
                           .now = x->now,
                           /* a draft submitted again asks anew: one request unread */
                           .supersede = !strcmp(kind, "review") || !strcmp(kind, "sign")};
    return notify_add(x->t, to, &m, NULL, NULL);
}

static result_t to_clerks(struct emit *x, int64_t agency, const char *kind, int64_t doc,
                          const char *text)
{
    struct notify_to to = {.agency_id = agency, .roles = ROLE_CLERK};
    return send(x, &to, kind, doc, text);
}

static result_t to_person(struct emit *x, int64_t agency, int64_t user, const char *kind,
                          int64_t doc, const char *text)
{
    if (user <= 0)
        return RES_OK;
    struct notify_to to = {.agency_id = agency, .user_id = user};
    return send(x, &to, kind, doc, text);
}

/* A participant row's people: its person, or its unit dept through unit_roles (0: every
 * member); nobody when the row has neither. */
static result_t to_row(struct emit *x, int64_t agency, int64_t user, int64_t dept,
                       unsigned unit_roles, const char *kind, int64_t doc, const char *text)
{
    struct notify_to to = {.agency_id = agency, .user_id = user};
    if (!user) {
        if (!dept)
            return RES_OK;
        to.department_id = dept;
        to.roles = unit_roles;
    }
    return send(x, &to, kind, doc, text);
}

/* The rows a step created: each person, or a unit (its leaders; for information, every
 * member), told their role. */
static result_t to_new_rows(struct emit *x, const struct docinfo *d, const char *what)
{
    struct {
        int64_t user, dept;
        char role[16], due[11];
    } rows[64];
    size_t n = 0;
    struct db_stmt *s = NULL;
    result_t r = db_query(tx_conn(x->t), &s,
                          "SELECT COALESCE(user_id, 0), COALESCE(department_id, 0), role, "
                          "COALESCE(due_date, '') FROM doc_participant WHERE document_id = $1 AND "
                          "history_step = $2 AND active = 1 AND status IN ('pending', "
                          "'in_progress') ORDER BY id LIMIT 64",
                          "ii", d->id, x->step);
    if (r != RES_OK)
        return r;
    while (n < 64 && (r = db_step(s)) == RES_ROW) {
        rows[n].user = db_col_i64(s, 0);
        rows[n].dept = db_col_i64(s, 1);
        str_copy(rows[n].role, db_col_text(s, 2), sizeof(rows[n].role));
        str_copy(rows[n].due, db_col_text(s, 3), sizeof(rows[n].due));
        n++;
    }
    db_finalize(s);
    if (r != RES_DONE && r != RES_ROW)
        return r;
    char name[400], text[700];
    doc_name(d, name, sizeof(name));
    r = RES_OK;
    for (size_t i = 0; i < n && r == RES_OK; i++) {
        const char *role = rows[i].role, *kind = what, *words;
        bool unit = rows[i].user == 0;
        if (!strcmp(role, "leader")) {
            kind = "presented";
            words = "được trình đồng chí cho ý kiến chỉ đạo";
        } else if (!strcmp(role, "lead")) {
            words = unit ? "được giao đơn vị đồng chí chủ trì xử lý"
                         : "được giao đồng chí chủ trì xử lý";
        } else if (!strcmp(role, "co_handler")) {
            words = unit ? "được giao đơn vị đồng chí phối hợp xử lý"
                         : "được giao đồng chí phối hợp xử lý";
        } else if (!strcmp(role, "for_info")) {
            kind = "for_info";
            words = "được gửi đồng chí để biết";
        } else if (!strcmp(role, "reviewer")) {
            kind = "review";
            words = "chờ đồng chí duyệt";
        } else if (!strcmp(role, "signer")) {
            kind = "sign";
            words = "chờ đồng chí duyệt ký";
        } else {
            continue; /* the drafter's own row */
        }
        char due[40] = "";
        if (rows[i].due[0] && strcmp(role, "for_info")) {
            char vn[11];
            calendar_iso_to_vn(rows[i].due, vn);
            snprintf(due, sizeof(due), ", hạn %s", vn);
        }
        snprintf(text, sizeof(text), "%s %s%s.", name, words, due);
        /* a unit acts through its leaders; for information it is every member */
        r = to_row(x, d->agency_id, rows[i].user, rows[i].dept,
                   !strcmp(role, "for_info") ? 0 : ROLE_DEPARTMENT_LEADER, kind, d->id, text);
    }
    return r;
}

/* The next place of the circuit after an approval: its person and whether they sign. */
static result_t in_force_review(struct db_conn *c, int64_t doc, int64_t user, bool *signer)
{
    *signer = false;
    int64_t n = 0;
    result_t r =
        db_one_i64(c, &n,
                   "SELECT COUNT(*) FROM doc_participant WHERE document_id = $1 AND "
                   "user_id = $2 AND role = 'signer' AND active = 1 AND status = 'pending'",
                   "ii", doc, user);
    *signer = n > 0;
    return r;
}

/* Who assigned the work now completed: the leader whose direction is in force and the
 * unit leaders who passed it on (assigned_by of the lead rows). */
static result_t to_assigners(struct emit *x, const struct docinfo *d, const char *comment)
{
    int64_t users[16];
    size_t n = 0;
    struct db_stmt *s = NULL;
    result_t r = db_query(tx_conn(x->t), &s,
                          "SELECT DISTINCT u FROM (SELECT user_id AS u FROM doc_participant WHERE "
                          "document_id = $1 AND role = 'leader' AND active = 1 AND user_id IS NOT "
                          "NULL UNION SELECT assigned_by AS u FROM doc_participant WHERE "
                          "document_id = $1 AND role = 'lead' AND active = 1 AND assigned_by IS "
                          "NOT NULL) x ORDER BY u LIMIT 16",
                          "i", d->id);
    if (r != RES_OK)
        return r;
    while (n < 16 && (r = db_step(s)) == RES_ROW)
        users[n++] = db_col_i64(s, 0);
    db_finalize(s);
    if (r != RES_DONE && r != RES_ROW)
        return r;
    char name[400], text[700];
    doc_name(d, name, sizeof(name));
    snprintf(text, sizeof(text), "%s đã được xử lý xong%s%s", name, *comment ? ": " : ".",
             DOC_CUT(comment, 120));
    r = RES_OK;
    for (size_t i = 0; i < n && r == RES_OK; i++)
        r = to_person(x, d->agency_id, users[i], "completed", d->id, text);
    return r;
}

/* The copies of a recalled document, each told to its agency's clerks. */
static result_t to_recalled_copies(struct emit *x, const struct docinfo *d, const char *reason)
{
    int64_t copies[DOC_MAX_RECIPIENTS], agencies[DOC_MAX_RECIPIENTS];
    size_t n = 0;
    struct db_stmt *s = NULL;
    result_t r = db_query(tx_conn(x->t), &s,
                          "SELECT id, agency_id FROM document WHERE source_document_id = $1 AND "
                          "state = 'recalled' ORDER BY id",
                          "i", d->id);
    if (r != RES_OK)
        return r;
    while (n < DOC_MAX_RECIPIENTS && (r = db_step(s)) == RES_ROW) {
        copies[n] = db_col_i64(s, 0);
        agencies[n] = db_col_i64(s, 1);
        n++;
    }
    db_finalize(s);
    if (r != RES_DONE && r != RES_ROW)
        return r;
    char text[700];
    snprintf(text, sizeof(text), "Văn bản đến %s “%s” đã bị cơ quan gửi thu hồi%s%s", d->ref,
             d->subject, *reason ? ": " : ".", DOC_CUT(reason, 120));
    r = RES_OK;
    for (size_t i = 0; i < n && r == RES_OK; i++) {
        /* the copy's own step: its newest history row (the recall) */
        struct emit cx = *x;
        r = db_one_i64(tx_conn(x->t), &cx.step,
                       "SELECT COALESCE(MAX(step), 0) FROM doc_history WHERE document_id = $1", "i",
                       copies[i]);
        if (r == RES_OK)
            r = to_clerks(&cx, agencies[i], "recalled", copies[i], text);
    }
    return r;
}

/* A receiver's copy the sender updated (or took off the recipients): the agency's
 * clerks and everyone with a row in force on it (a unit through its leaders). */
static result_t to_handlers(struct emit *x, const struct docinfo *d, const char *kind,
                            const char *text)
{
    struct {
        int64_t user, dept;
    } rows[64];
    size_t n = 0;
    struct db_stmt *s = NULL;
    result_t r = db_query(tx_conn(x->t), &s,
                          "SELECT DISTINCT COALESCE(user_id, 0), COALESCE(department_id, 0) FROM "
                          "doc_participant WHERE document_id = $1 AND active = 1 ORDER BY 1, 2 "
                          "LIMIT 64",
                          "i", d->id);
    if (r != RES_OK)
        return r;
    while (n < 64 && (r = db_step(s)) == RES_ROW) {
        rows[n].user = db_col_i64(s, 0);
        rows[n].dept = db_col_i64(s, 1);
        n++;
    }
    db_finalize(s);
    if (r != RES_DONE && r != RES_ROW)
        return r;
    r = to_clerks(x, d->agency_id, kind, d->id, text);
    for (size_t i = 0; i < n && r == RES_OK; i++)
        r = to_row(x, d->agency_id, rows[i].user, rows[i].dept, ROLE_DEPARTMENT_LEADER, kind, d->id,
                   text);
    return r;
}

/* A refused copy: the sending agency's clerks and the drafter, on the sender's document. */
static result_t to_sender(struct emit *x, const struct docinfo *copy, const char *reason)
{
    if (!copy->source_id)
        return RES_OK; /* paper or exchange: nobody on this installation to tell */
    struct docinfo src;
    result_t r = doc_load(tx_conn(x->t), copy->source_id, &src);
    if (r != RES_OK)
        return r == RES_NOT_FOUND ? RES_OK : r;
    char agency[256] = "";
    struct db_stmt *s = NULL;
    if ((r = db_query(tx_conn(x->t), &s, "SELECT name FROM agency WHERE id = $1", "i",
                      copy->agency_id)) != RES_OK)
        return r;
    if (db_step(s) == RES_ROW)
        str_copy(agency, DOC_CUT(db_col_text(s, 0), 150), sizeof(agency));
    db_finalize(s);
    struct emit sx = *x;
    if ((r = db_one_i64(tx_conn(x->t), &sx.step,
                        "SELECT COALESCE(MAX(step), 0) FROM doc_history WHERE document_id = $1",
                        "i", src.id)) != RES_OK)
        return r;
    char name[400], text[900];
    doc_name(&src, name, sizeof(name));
    snprintf(text, sizeof(text), "%s từ chối tiếp nhận %s: %s", agency, name, DOC_CUT(reason, 150));
    int64_t drafter = 0;
    if ((r = db_one_i64(tx_conn(x->t), &drafter,
                        "SELECT COALESCE(MAX(user_id), 0) FROM doc_participant WHERE document_id "
                        "= $1 AND role = 'drafter'",
                        "i", src.id)) != RES_OK)
        return r;
    if (!drafter)
        drafter = src.created_by;
    if ((r = to_clerks(&sx, src.agency_id, "refused", src.id, text)) == RES_OK)
        r = to_person(&sx, src.agency_id, drafter, "refused", src.id, text);
    return r;
}

result_t doc_notify_step(struct tx *t, const struct actor *a, int64_t id, int64_t from_step)
{
    struct db_conn *c = tx_conn(t);
    struct {
        int64_t step, to_user, at;
        char action[32];
        char *comment;
    } h[HISTORY_MAX];
    size_t n = 0;
    struct db_stmt *s = NULL;
    result_t r = from_step > 0
                     ? db_query(c, &s,
                                "SELECT step, COALESCE(to_user_id, 0), action, comment, at FROM "
                                "doc_history WHERE document_id = $1 AND step >= $2 ORDER BY step",
                                "ii", id, from_step)
                     : db_query(c, &s,
                                "SELECT step, COALESCE(to_user_id, 0), action, comment, at FROM "
                                "doc_history WHERE document_id = $1 AND step = (SELECT MAX(step) "
                                "FROM doc_history WHERE document_id = $1)",
                                "i", id);
    if (r != RES_OK)
        return r;
    while (n < HISTORY_MAX && (r = db_step(s)) == RES_ROW) {
        h[n].step = db_col_i64(s, 0);
        h[n].to_user = db_col_i64(s, 1);
        str_copy(h[n].action, db_col_text(s, 2), sizeof(h[n].action));
        h[n].comment = strdup(db_col_text(s, 3) ? db_col_text(s, 3) : "");
        h[n].at = db_col_i64(s, 4);
        if (!h[n].comment) {
            r = RES_INTERNAL;
            break;
        }
        n++;
    }
    db_finalize(s);
    if (r == RES_DONE || r == RES_ROW)
        r = RES_OK;
    struct docinfo d;
    if (r == RES_OK && n)
        r = doc_load(c, id, &d);
    char name[400], text[900];
    for (size_t i = 0; i < n && r == RES_OK; i++) {
        struct emit x = {.t = t, .a = a, .step = h[i].step, .now = h[i].at};
        const char *act = h[i].action, *cm = h[i].comment;
        doc_name(&d, name, sizeof(name));
        if (!strcmp(act, "presented") || !strcmp(act, "submitted")) {
            r = to_new_rows(&x, &d, "assigned");
        } else if (!strcmp(act, "assigned") || !strcmp(act, "reassigned")) {
            r = to_new_rows(&x, &d, "assigned");
        } else if (!strcmp(act, "forwarded") || !strcmp(act, "issued")) {
            r = to_new_rows(&x, &d, "forwarded");
        } else if (!strcmp(act, "returned")) {
            snprintf(text, sizeof(text), "%s bị trả lại đồng chí%s%s", name, *cm ? ": " : ".",
                     DOC_CUT(cm, 150));
            r = to_person(&x, d.agency_id, h[i].to_user, "returned", id, text);
        } else if (!strcmp(act, "completed")) {
            r = to_assigners(&x, &d, cm);
        } else if (!strcmp(act, "reviewed")) {
            bool signer = false;
            r = in_force_review(c, id, h[i].to_user, &signer);
            snprintf(text, sizeof(text), "%s chờ đồng chí %s.", name,
                     signer ? "duyệt ký" : "duyệt");
            if (r == RES_OK)
                r = to_person(&x, d.agency_id, h[i].to_user, signer ? "sign" : "review", id, text);
        } else if (!strcmp(act, "signed")) {
            snprintf(text, sizeof(text),
                     "%s đã được ký số, chờ văn thư ký số của cơ quan và phát hành.", name);
            r = to_clerks(&x, d.agency_id, "to_issue", id, text);
        } else if (!strcmp(act, "received")) {
            snprintf(text, sizeof(text), "Văn bản mới đến từ %s: %s “%s”, chờ vào sổ.", d.issuer,
                     d.ref, d.subject);
            r = to_clerks(&x, d.agency_id, "arrived", id, text);
        } else if (!strcmp(act, "refused")) {
            r = to_sender(&x, &d, cm);
        } else if (!strcmp(act, "recalled") && d.source_id == 0) {
            r = to_recalled_copies(&x, &d, cm);
        } else if (!strcmp(act, "updated")) {
            r = to_new_rows(&x, &d, "forwarded"); /* units, people added for information */
        } else if (!strcmp(act, "updated_by_sender") || !strcmp(act, "removed_by_update")) {
            bool gone = act[0] == 'r';
            snprintf(text, sizeof(text), "%s đã được cơ quan gửi %s: %s", name,
                     gone ? "bỏ khỏi nơi nhận (văn bản không còn gửi đến cơ quan)" : "cập nhật",
                     DOC_CUT(cm, 200));
            r = to_handlers(&x, &d, gone ? "recalled" : "updated", text);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(h[i].comment);
    return r;
}

/* ---- deadline reminders ---- */

struct remind {
    struct app *app;
    int64_t agency, after, now;
    char today[11], soon[11];
    /* out */
    int64_t last, sent;
    size_t seen;
};

#define REMIND_PAGE 200

/* One page of the agency's documents due by the end of the due-soon window (over
 * document_agency_deadline, in id order for the keyset), each lead row reminded. */
static result_t remind_tx(struct tx *t, void *arg)
{
    struct remind *w = arg;
    struct db_conn *c = tx_conn(t);
    w->last = w->after;
    w->sent = 0;
    w->seen = 0;
    int64_t docs[REMIND_PAGE];
    char deadlines[REMIND_PAGE][11];
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT id, deadline FROM document WHERE agency_id = $1 AND direction = "
                          "'incoming' AND state IN ('assigned', 'in_progress') AND deadline IS NOT "
                          "NULL AND deadline <= $2 AND id > $3 ORDER BY id LIMIT $4",
                          "itii", w->agency, w->soon, w->after, (int64_t)REMIND_PAGE);
    if (r != RES_OK)
        return r;
    while (w->seen < REMIND_PAGE && (r = db_step(s)) == RES_ROW) {
        docs[w->seen] = db_col_i64(s, 0);
        str_copy(deadlines[w->seen], db_col_text(s, 1), sizeof(deadlines[0]));
        w->seen++;
    }
    db_finalize(s);
    if (r != RES_DONE && r != RES_ROW)
        return r;
    r = RES_OK;
    for (size_t i = 0; i < w->seen && r == RES_OK; i++) {
        w->last = docs[i];
        int64_t leads[8][2];
        size_t nl = 0;
        r = db_query(c, &s,
                     "SELECT COALESCE(user_id, 0), COALESCE(department_id, 0) FROM "
                     "doc_participant WHERE document_id = $1 AND active = 1 AND role = 'lead' AND "
                     "status IN ('pending', 'in_progress') ORDER BY id LIMIT 8",
                     "i", docs[i]);
        if (r != RES_OK)
            break;
        while (nl < 8 && (r = db_step(s)) == RES_ROW) {
            leads[nl][0] = db_col_i64(s, 0);
            leads[nl][1] = db_col_i64(s, 1);
            nl++;
        }
        db_finalize(s);
        if (r != RES_DONE && r != RES_ROW)
            break;
        r = RES_OK;
        struct docinfo d;
        if (!nl || (r = doc_load(c, docs[i], &d)) != RES_OK)
            continue;
        bool overdue = strcmp(deadlines[i], w->today) < 0;
        char name[400], text[700], key[64];
        doc_name(&d, name, sizeof(name));
        char vn[11];
        calendar_iso_to_vn(deadlines[i], vn);
        snprintf(text, sizeof(text), "%s %s hạn xử lý %s.", name, overdue ? "đã quá" : "sắp đến",
                 vn);
        /* one reminder per document, person and day */
        snprintf(key, sizeof(key), "deadline:%lld:%s", (long long)d.id, w->today);
        struct notify_msg m = {.kind = overdue ? "overdue" : "due_soon",
                               .document_id = d.id,
                               .text = text,
                               .dedupe_key = key,
                               .now = w->now};
        for (size_t k = 0; k < nl && r == RES_OK; k++) {
            struct notify_to to = {.agency_id = d.agency_id, .user_id = leads[k][0]};
            if (!leads[k][0]) {
                if (!leads[k][1])
                    continue;
                to.department_id = leads[k][1];
                to.roles = ROLE_DEPARTMENT_LEADER;
            }
            int64_t got = 0;
            r = notify_add(t, &to, &m, &got, NULL);
            w->sent += got;
        }
    }
    return r;
}

result_t doc_notify_deadlines(struct app *app, int64_t now, int64_t *sent)
{
    *sent = 0;
    struct calendar *cal = NULL;
    result_t r = doc_calendar_load(app, &cal);
    if (r != RES_OK)
        return r;
    struct remind w = {.app = app, .now = now};
    int64_t today = calendar_day_of(now);
    if (!calendar_is_working_day(cal, today)) {
        /* nobody is at work to act on it; the next working day reminds */
        free(cal);
        return RES_OK;
    }
    calendar_format_day(today, w.today, sizeof(w.today));
    calendar_format_day(calendar_add_working_days(cal, today, cal->due_soon_days), w.soon,
                        sizeof(w.soon));
    free(cal);
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    int64_t agencies[4096];
    size_t na = 0;
    struct db_stmt *s = NULL;
    if ((r = db_query(c, &s, "SELECT id FROM agency ORDER BY id LIMIT 4096", "")) != RES_OK)
        return r;
    while (na < 4096 && (r = db_step(s)) == RES_ROW)
        agencies[na++] = db_col_i64(s, 0);
    db_finalize(s);
    if (r != RES_DONE && r != RES_ROW)
        return r;
    for (size_t i = 0; i < na; i++) {
        w.agency = agencies[i];
        w.after = 0;
        /* pages of REMIND_PAGE documents, each its own short transaction */
        for (;;) {
            if ((r = tx_run_noaudit(app->db, remind_tx, &w)) != RES_OK)
                return r;
            *sent += w.sent;
            if (w.seen < REMIND_PAGE)
                break;
            w.after = w.last;
        }
    }
    return RES_OK;
}

static result_t remind_job(void *ctx, const struct job *j, char *msg, size_t size)
{
    (void)j;
    int64_t sent = 0;
    result_t r = doc_notify_deadlines(ctx, clock_now(), &sent);
    if (r == RES_OK)
        snprintf(msg, size, "Đã gửi %lld nhắc hạn xử lý", (long long)sent);
    return r;
}

result_t doc_notify_register(struct jobs *q, struct app *app)
{
    /* once a day at the start of the office day (the installation's first office period,
     * 07:30 by default), so the lead finds it when work begins */
    struct calendar *cal = xcalloc(1, sizeof(*cal));
    calendar_init(cal);
    int at = cal->nperiods > 0 ? cal->periods[0].start * 60 : 7 * 3600 + 30 * 60;
    free(cal);
    return jobs_register_daily(q, "doc.deadline_remind", remind_job, app, at);
}
