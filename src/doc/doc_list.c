/* The agency's document lists (issue 11 "Views"): the per-user boxes, the filters, the
 * folded text search, the home page's counts and the leaders' tracking, with keyset
 * paging that costs the same on every page. Who may see what is core/authz.c's
 * decision (AZ_DOC_READ on the agency: every document; otherwise the ones the actor is
 * on, a unit's rows standing for its leaders as in stands_for there); this file only
 * turns it into a WHERE clause. Design and measurements: docs/architecture.md,
 * Documents: lists, search, counts, tracking. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "core/role.h"
#include "core/tx.h"
#include "db/db.h"
#include "doc/doc.h"
#include "doc/doc_internal.h"
#include "jobs/jobs.h"
#include "text/text.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/str.h"

/* ---- search words ---- */

int doc_search_words(const char *s, char out[][33], int max)
{
    char *f = s ? text_fold(s) : NULL;
    int n = 0;
    if (!f)
        return 0;
    for (const char *p = f; *p && n < max;) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) {
            p++;
            continue;
        }
        char w[33];
        size_t k = 0;
        while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
            if (k < 32)
                w[k++] = *p;
            p++;
        }
        w[k] = '\0';
        bool seen = false;
        for (int i = 0; i < n && !seen; i++)
            seen = !strcmp(out[i], w);
        if (!seen)
            memcpy(out[n++], w, k + 1);
    }
    free(f);
    return n;
}

#define DOC_WORDS_MAX 256 /* distinct words indexed per document */

/* The words of a document: its number, symbol and subject together. */
static int words_of(const char *number, const char *symbol, const char *subject, char words[][33])
{
    size_t len = strlen(number) + strlen(symbol) + strlen(subject) + 4;
    char *all = malloc(len);
    if (!all)
        return -1;
    snprintf(all, len, "%s %s %s", number, symbol, subject);
    int n = doc_search_words(all, words, DOC_WORDS_MAX);
    free(all);
    return n;
}

/* The word rows of a document that has none, eight per statement (the last statement
 * repeats its last word, which ON CONFLICT skips): a document has some twenty words,
 * and one statement per word was a fifth of a registration's transaction. */
#define WORDS_PER_INSERT 8
static result_t insert_tokens(struct db_conn *c, int64_t doc_id, int64_t agency, int64_t urgency,
                              int64_t received, char words[][33], int n)
{
    result_t r = RES_OK;
    for (int i = 0; i < n && r == RES_OK; i += WORDS_PER_INSERT) {
        const char *w[WORDS_PER_INSERT];
        for (int k = 0; k < WORDS_PER_INSERT; k++)
            w[k] = words[i + k < n ? i + k : n - 1];
        r = db_run(c,
                   "INSERT INTO doc_search_token (document_id, token, agency_id, urgency, "
                   "received_at) VALUES ($1, $5, $2, $3, $4), ($1, $6, $2, $3, $4), ($1, $7, "
                   "$2, $3, $4), ($1, $8, $2, $3, $4), ($1, $9, $2, $3, $4), ($1, $10, $2, $3, "
                   "$4), ($1, $11, $2, $3, $4), ($1, $12, $2, $3, $4) ON CONFLICT DO NOTHING",
                   "iiiitttttttt", doc_id, agency, urgency, received, w[0], w[1], w[2], w[3], w[4],
                   w[5], w[6], w[7]);
    }
    return r;
}

result_t doc_search_index(struct db_conn *c, int64_t doc_id)
{
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT agency_id, number, symbol, subject, issuer_name, urgency, "
                          "COALESCE(received_at, 0) FROM document WHERE id = $1",
                          "i", doc_id);
    if (r != RES_OK)
        return r;
    if ((r = db_step(s)) != RES_ROW) {
        db_finalize(s);
        return r == RES_DONE ? RES_NOT_FOUND : r;
    }
    static __thread char words[DOC_WORDS_MAX][33];
    int64_t agency = db_col_i64(s, 0), urgency = db_col_i64(s, 5), received = db_col_i64(s, 6);
    int n = words_of(db_col_text(s, 1), db_col_text(s, 2), db_col_text(s, 3), words);
    char *issuer = text_fold(db_col_text(s, 4));
    db_finalize(s);
    r = n < 0 ? RES_INTERNAL : RES_OK;
    /* A pending entry (below) is replaced by the words written here. */
    if (r == RES_OK)
        r = db_run(c, "DELETE FROM doc_search_pending WHERE document_id = $1", "i", doc_id);
    if (r == RES_OK)
        r = db_run(c, "DELETE FROM doc_search_token WHERE document_id = $1", "i", doc_id);
    if (r == RES_OK)
        r = insert_tokens(c, doc_id, agency, urgency, received, words, n);
    if (r == RES_OK)
        r = db_run(c, "UPDATE document SET issuer_folded = $1 WHERE id = $2", "ti",
                   issuer ? issuer : "", doc_id);
    free(issuer);
    return r;
}

/* The words of a new document wait in doc_search_pending (one row: " w1 w2 … wn ")
 * until the job doc.search_index writes them to doc_search_token in batches; a search
 * reads the pending rows directly (doc_list), so the document is found at once. Why:
 * a registration's twenty-odd word rows land on as many random leaves of the word
 * index, about half the pages each registration committed; a batch of a hundred
 * documents shares the leaves of the common words (docs/architecture.md, Search). */
#define SEARCH_INDEX_KIND "doc.search_index"
result_t doc_search_index_later(struct db_conn *c, int64_t doc_id, int64_t agency_id,
                                int64_t urgency, int64_t received_at, const char *number,
                                const char *symbol, const char *subject)
{
    static __thread char words[DOC_WORDS_MAX][33];
    static __thread char joined[DOC_WORDS_MAX * 33 + 2];
    int n = words_of(number ? number : "", symbol ? symbol : "", subject ? subject : "", words);
    if (n < 0)
        return RES_INTERNAL;
    size_t len = 0;
    joined[len++] = ' ';
    for (int i = 0; i < n; i++) {
        size_t k = strlen(words[i]);
        memcpy(joined + len, words[i], k);
        len += k;
        joined[len++] = ' ';
    }
    joined[len] = '\0';
    result_t r = db_run(c,
                        "INSERT INTO doc_search_pending (document_id, agency_id, urgency, "
                        "received_at, words) VALUES ($1, $2, $3, $4, $5)",
                        "iiiit", doc_id, agency_id, urgency, received_at, joined);
    if (r != RES_OK)
        return r;
    /* One job for every pending document: a registration while one is queued or
     * running adds nothing (the dedupe key); the periodic run catches a document
     * registered while a run was finishing. */
    int64_t job = 0;
    return jobs_enqueue(c,
                        &(struct jobs_enqueue){.kind = SEARCH_INDEX_KIND,
                                               .dedupe_key = SEARCH_INDEX_KIND,
                                               .run_at = clock_now() + 1},
                        &job);
}

#define INDEX_BATCH 100

struct index_batch {
    int64_t id[INDEX_BATCH], agency[INDEX_BATCH], urgency[INDEX_BATCH], received[INDEX_BATCH];
    char *words[INDEX_BATCH];
    int n;
};

/* One batch: the oldest pending rows taken (deleted, so that a concurrent re-index of
 * the same document waits for this transaction and then rewrites its words), their
 * words written. */
static result_t index_batch_tx(struct tx *t, void *arg)
{
    struct index_batch *b = arg;
    struct db_conn *c = tx_conn(t);
    struct db_stmt *s = NULL;
    b->n = 0;
    result_t r = db_query(c, &s,
                          "DELETE FROM doc_search_pending WHERE document_id IN (SELECT "
                          "document_id FROM doc_search_pending ORDER BY document_id LIMIT $1) "
                          "RETURNING document_id, agency_id, urgency, received_at, words",
                          "i", (int64_t)INDEX_BATCH);
    if (r != RES_OK)
        return r;
    while (b->n < INDEX_BATCH && (r = db_step(s)) == RES_ROW) {
        int i = b->n++;
        b->id[i] = db_col_i64(s, 0);
        b->agency[i] = db_col_i64(s, 1);
        b->urgency[i] = db_col_i64(s, 2);
        b->received[i] = db_col_i64(s, 3);
        b->words[i] = xstrdup(db_col_text(s, 4));
    }
    db_finalize(s);
    if (r != RES_DONE && r != RES_ROW)
        return r;
    r = RES_OK;
    static __thread char words[DOC_WORDS_MAX][33];
    for (int i = 0; i < b->n && r == RES_OK; i++) {
        int n = 0;
        for (char *p = b->words[i], *w; n < DOC_WORDS_MAX && (w = strtok_r(p, " ", &p));)
            str_copy(words[n++], w, sizeof(words[0]));
        r = insert_tokens(c, b->id[i], b->agency[i], b->urgency[i], b->received[i], words, n);
    }
    return r;
}

result_t doc_search_index_pending(struct db *db, int64_t max, int64_t *indexed)
{
    *indexed = 0;
    struct index_batch *b = calloc(1, sizeof(*b));
    if (!b)
        return RES_INTERNAL;
    result_t r = RES_OK;
    while (*indexed < max) {
        r = tx_run_noaudit(db, index_batch_tx, b);
        for (int i = 0; i < b->n; i++)
            free(b->words[i]);
        if (r != RES_OK || !b->n)
            break;
        *indexed += b->n;
    }
    free(b);
    return r;
}

/* doc.search_index: the pending words, a batch per transaction, until none is left (at
 * most a million documents a run; the next registration queues the next run). A
 * derived index, not a user action: no audit row. */
static result_t search_index_job(void *ctx, const struct job *j, char *message, size_t size)
{
    (void)j;
    struct app *app = ctx;
    int64_t n = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    result_t r = doc_search_index_pending(app->db, 1000000, &n);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    double cpu = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    snprintf(message, size, "%lld documents indexed, %.0f ms of CPU", (long long)n, cpu);
    return r;
}

/* ---- a statement built from pieces, every value bound ---- */

#define Q_SQL    12288
#define Q_PARAMS 64

struct q {
    char sql[Q_SQL];
    size_t len;
    int n;
    char type[Q_PARAMS];
    int64_t iv[Q_PARAMS];
    const char *tv[Q_PARAMS];
    bool overflow;
};

/* Appends fmt with every "?i" (int64_t) and "?t" (const char *) replaced by the next
 * parameter $N, its value taken from the arguments. */
static void q_add(struct q *q, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        char tmp[16];
        const char *piece = NULL;
        if (p[0] == '?' && (p[1] == 'i' || p[1] == 't')) {
            if (q->n >= Q_PARAMS) {
                q->overflow = true;
                break;
            }
            q->type[q->n] = p[1];
            if (p[1] == 'i')
                q->iv[q->n] = va_arg(ap, int64_t);
            else
                q->tv[q->n] = va_arg(ap, const char *);
            q->n++;
            snprintf(tmp, sizeof(tmp), "$%d", q->n);
            piece = tmp;
            p++;
        }
        size_t add = piece ? strlen(piece) : 1;
        if (q->len + add + 1 >= sizeof(q->sql)) {
            q->overflow = true;
            break;
        }
        memcpy(q->sql + q->len, piece ? piece : p, add);
        q->len += add;
        q->sql[q->len] = '\0';
    }
    va_end(ap);
}

static result_t q_prepare(struct db_conn *c, struct q *q, struct db_stmt **out)
{
    if (q->overflow) {
        log_error("msg=\"document list query too long\"");
        return RES_INTERNAL;
    }
    result_t r = db_prepare(c, q->sql, out);
    for (int i = 0; i < q->n && r == RES_OK; i++)
        r = q->type[i] == 'i' ? db_bind_i64(*out, i + 1, q->iv[i])
                              : db_bind_text(*out, i + 1, q->tv[i]);
    if (r != RES_OK) {
        db_finalize(*out);
        *out = NULL;
    }
    return r;
}

/* ---- who the actor is in the lists ---- */

struct scope {
    int64_t agency_id, user_id, department_id;
    bool sees_all;       /* AZ_DOC_READ on the agency: clerks, agency leaders */
    bool clerk;          /* AZ_DOC_REGISTER: the registering boxes */
    bool leader;         /* agency leader: overdue and due soon over the whole agency */
    bool unit_leader;    /* a unit's rows stand for its leaders (core/authz.c stands_for) */
    char today[11];      /* Vietnam date */
    char soon[11];       /* the last day of the due-soon window */
    int64_t year_start;  /* 1 January 00:00 Vietnam time of this year (UTC) */
    int64_t sample_from; /* now - 30 days: the window of the search's word sample */
    bool many;           /* on more than many_rows() rows (q_visible) */
};

/* A tuning value: *slot when set (>= 0, tests set it), else the environment variable
 * (0 … 1,000,000) or the default, remembered in *slot. Every thread computes the same
 * value, so the race is harmless. */
static int64_t tunable(int *slot, const char *env, int def)
{
    int n = __atomic_load_n(slot, __ATOMIC_RELAXED);
    if (n < 0) {
        const char *v = getenv(env);
        int64_t x = 0;
        n = v && *v && str_to_i64(v, 0, 1000000, &x) == RES_OK ? (int)x : def;
        __atomic_store_n(slot, n, __ATOMIC_RELAXED);
    }
    return n;
}

/* -1: QLVB_DOC_LIST_MANY or 1000 (the tests set 0: every member is on many) */
int doc_list_many_rows = -1;

static int64_t many_rows(void)
{
    return tunable(&doc_list_many_rows, "QLVB_DOC_LIST_MANY", 1000);
}

static result_t scope_of(struct app *app, const struct actor *a, struct scope *sc)
{
    memset(sc, 0, sizeof(*sc));
    int64_t agency_id = a ? a->agency_id : 0;
    result_t r = authz_check(a, AZ_ORG_READ, agency_id);
    if (r != RES_OK || !agency_id)
        return r != RES_OK ? r : RES_FORBIDDEN;
    sc->agency_id = agency_id;
    sc->user_id = a->user_id;
    sc->department_id = a->department_id;
    sc->sees_all = authz_check(a, AZ_DOC_READ, agency_id) == RES_OK;
    sc->clerk = authz_check(a, AZ_DOC_REGISTER, agency_id) == RES_OK;
    sc->leader = (a->roles & ROLE_AGENCY_LEADER) != 0;
    sc->unit_leader = (a->roles & ROLE_DEPARTMENT_LEADER) != 0;
    int64_t now = clock_now();
    int64_t today = calendar_day_of(now);
    calendar_format_day(today, sc->today, sizeof(sc->today));
    sc->sample_from = now - 30 * 86400;
    /* The due-soon window of the working calendar (standards.md §4): a few working days
     * ahead, holidays and overrides counted. */
    struct calendar *cal = malloc(sizeof(*cal));
    if (!cal)
        return RES_INTERNAL;
    calendar_init(cal); /* a malformed variable keeps the defaults (logged by serve) */
    r = calendar_load(cal, app);
    if (r == RES_OK)
        calendar_format_day(calendar_add_working_days(cal, today, cal->due_soon_days), sc->soon,
                            sizeof(sc->soon));
    free(cal);
    char jan1[16];
    snprintf(jan1, sizeof(jan1), "%d-01-01", doc_year_of(now));
    clock_parse_date(jan1, &sc->year_start);
    if (r == RES_OK && !sc->sees_all) {
        int64_t n = 0;
        struct db_conn *c = db_conn(app->db);
        r = c ? db_one_i64(c, &n,
                           "SELECT COUNT(*) FROM (SELECT 1 FROM doc_participant WHERE user_id = $1 "
                           "LIMIT $2) x",
                           "ii", sc->user_id, many_rows() + 1)
              : RES_DB;
        sc->many = n > many_rows();
    }
    return r;
}

/* The doc_participant rows (alias p) that stand for the actor: theirs, and their unit's
 * (for information: every member; otherwise its leaders). */
static void q_stands(struct q *q, const struct scope *sc)
{
    if (!sc->department_id)
        q_add(q, "p.user_id = ?i", sc->user_id);
    else if (sc->unit_leader)
        q_add(q, "(p.user_id = ?i OR (p.user_id IS NULL AND p.department_id = ?i))", sc->user_id,
              sc->department_id);
    else
        q_add(q,
              "(p.user_id = ?i OR (p.user_id IS NULL AND p.department_id = ?i AND p.role = "
              "'for_info'))",
              sc->user_id, sc->department_id);
}

/* The documents of the rows standing for the actor (AND extra, on p) as a set to test a
 * walk's entries against (q_visible): one branch per kind of row, each an index range
 * that holds document_id (doc_participant_user, doc_participant_unit), so the set is
 * read from the index alone — with q_stands' OR, SQLite read every row of the person
 * from the table (9000 at 1M documents: most of the page's time). */
static void q_stands_set(struct q *q, const struct scope *sc, const char *extra)
{
    q_add(q, "SELECT p.document_id FROM doc_participant p WHERE p.user_id = ?i", sc->user_id);
    if (extra)
        q_add(q, extra);
    if (!sc->department_id)
        return;
    q_add(q,
          " UNION ALL SELECT p.document_id FROM doc_participant p WHERE p.department_id = ?i "
          "AND p.user_id IS NULL",
          sc->department_id);
    if (!sc->unit_leader)
        q_add(q, " AND p.role = 'for_info'");
    if (extra)
        q_add(q, extra);
}

/* "d.id IN (rows standing for the actor AND extra", the parenthesis left open. */
static void q_rows_open(struct q *q, const struct scope *sc, const char *extra)
{
    q_add(q, "d.id IN (SELECT p.document_id FROM doc_participant p WHERE ");
    q_stands(q, sc);
    if (extra && *extra) {
        q_add(q, " AND ");
        q_add(q, extra);
    }
}

/* "d.id IN (rows standing for the actor AND extra)" */
static void q_rows(struct q *q, const struct scope *sc, const char *extra)
{
    q_add(q, "d.id IN (SELECT p.document_id FROM doc_participant p WHERE ");
    q_stands(q, sc);
    if (extra && *extra) {
        q_add(q, " AND ");
        q_add(q, extra);
    }
    q_add(q, ")");
}

enum box {
    BOX_ALL,
    BOX_TO_PROCESS,
    BOX_IN_PROGRESS,
    BOX_DONE,
    BOX_FOR_INFO,
    BOX_OVERDUE,
    BOX_DUE_SOON,
    BOX_FOR_INFO_UNSEEN,
    BOX_DONE_YEAR,
    BOX_TO_REGISTER,
    BOX_TO_PRESENT,
    /* outgoing (issue 12, standards.md §6): the drafter's drafts, the reviewer's or
     * signer's place in force, the signer's approved documents to sign */
    BOX_DRAFTS,
    BOX_TO_REVIEW,
    BOX_TO_SIGN
};

static const char *const box_keys[] = {"all",      "to_process", "in_progress", "done",
                                       "for_info", "overdue",    "due_soon"};

#define ROWS_OPEN "p.active = 1 AND p.status IN ('pending', 'in_progress')"
/* The end of a per-row probe (EXISTS). OFFSET keeps PostgreSQL from turning the probes
 * into joins: with five words it spent 11 ms choosing a join order for a 3 ms walk; as
 * subplans each is one primary-key lookup per row, as on SQLite. */
#define PROBE_END " LIMIT 1 OFFSET 0)"

/* An incoming document not yet completed (nor refused or recalled). */
#define OPEN_STATES "'arrived', 'registered', 'presented', 'assigned', 'in_progress'"

struct page;
static void q_to_process(struct q *q, const struct scope *sc, const char *dir,
                         const struct page *top);

/* The box as a condition on document d (" AND ..." appended); top: the page of a list
 * without other filters (to_process takes its top rows per branch), else NULL. */
static void q_box(struct q *q, const struct scope *sc, enum box box, const char *dir,
                  const struct page *top)
{
    switch (box) {
    case BOX_ALL:
        break;
    case BOX_TO_PROCESS:
        q_add(q, " AND ");
        q_to_process(q, sc, dir, top);
        break;
    case BOX_IN_PROGRESS:
        q_add(q, " AND ");
        q_rows(q, sc, "p.active = 1 AND p.status = 'in_progress'");
        break;
    case BOX_DONE:
    case BOX_DONE_YEAR:
        /* rows they finished, or any row of theirs on a completed document */
        q_add(q, " AND ");
        if (box == BOX_DONE && sc->many) { /* walk the order, probe each row (q_visible) */
            q_add(q, "EXISTS (SELECT 1 FROM doc_participant p WHERE p.document_id = d.id AND ");
            q_stands(q, sc);
            q_add(q, " AND (p.status IN ('done', 'forwarded', 'returned') OR d.state = "
                     "'completed')" PROBE_END);
            break;
        }
        q_rows_open(q, sc,
                    "(p.status IN ('done', 'forwarded', 'returned') OR EXISTS (SELECT 1 FROM "
                    "document c WHERE c.id = p.document_id AND c.state = 'completed'))");
        /* a row made before this year is on a document received before it */
        if (box == BOX_DONE_YEAR)
            q_add(q, " AND p.created_at >= ?i", sc->year_start);
        q_add(q, ")");
        if (box == BOX_DONE_YEAR)
            q_add(q, " AND d.received_at >= ?i", sc->year_start);
        break;
    case BOX_FOR_INFO:
    case BOX_FOR_INFO_UNSEEN:
        q_add(q, " AND ");
        q_rows(q, sc,
               box == BOX_FOR_INFO ? "p.role = 'for_info'"
                                   : "p.role = 'for_info' AND p.seen_at IS NULL");
        break;
    case BOX_OVERDUE:
    case BOX_DUE_SOON:
        /* The lead's open rows (theirs or their unit's); the agency leader follows every
         * document of the agency. Deadline: the processing deadline (document.deadline). */
        if (!sc->leader) {
            q_add(q, " AND ");
            q_rows(q, sc, "p.role = 'lead' AND " ROWS_OPEN);
        }
        /* the open states as a list, so that document_agency_deadline ranges over the
         * deadline inside each state */
        q_add(q, " AND d.state IN (" OPEN_STATES ") AND d.completed_at IS NULL");
        if (box == BOX_OVERDUE)
            q_add(q, " AND d.deadline < ?t", sc->today);
        else
            q_add(q, " AND d.deadline >= ?t AND d.deadline <= ?t", sc->today, sc->soon);
        break;
    case BOX_TO_REGISTER:
        q_add(q, " AND d.state = 'arrived'");
        break;
    case BOX_TO_PRESENT:
        q_add(q, " AND d.state = 'registered'");
        break;
    case BOX_DRAFTS:
        q_add(q, " AND ");
        q_rows(q, sc, "p.role = 'drafter' AND " ROWS_OPEN);
        q_add(q, " AND d.state = 'draft'");
        break;
    case BOX_TO_REVIEW:
        q_add(q, " AND ");
        q_rows(q, sc, "p.role IN ('reviewer', 'signer') AND " ROWS_OPEN);
        q_add(q, " AND d.state = 'reviewing'");
        break;
    case BOX_TO_SIGN:
        q_add(q, " AND ");
        q_rows(q, sc, "p.role = 'signer' AND " ROWS_OPEN);
        q_add(q, " AND d.state = 'approved'");
        break;
    }
}

/* What a member who does not see all of the agency may see (AZ_DOC_READ's rule), for
 * the box `all`: every other box is made of rows standing for the actor, so visible.
 * The set is the same either way: the documents a row stands for the actor on, and the
 * ones they registered (created_by). A person on few documents: the set drives (`IN`,
 * each document read, the few sorted). On many (sc->many, ~9000 of 1M for a
 * specialist) the list's order index is walked, each entry tested:
 *  - incoming: against the set of their documents, built once from the index alone
 *    (q_stands_set) — `(… IN (…)) IS TRUE` is not a condition either engine drives
 *    from, so SQLite keeps the set as a list in memory tested with the entry's rowid
 *    (no read of the walked document's row) and PostgreSQL as a hashed subplan (a plain
 *    `IN` becomes a semi-join: a nested loop over the set per entry, or the set sorted).
 *    Building it costs about what 1500 probes do, a walk to the first page ~2000;
 *  - outgoing and internal (their rows are nearly all on incoming documents, so the set
 *    would be built for nothing, and a walk over the few outgoing ones is short): a
 *    probe per entry (`EXISTS` on doc_participant_probe, covering; created_by first from
 *    a set of the few they registered, so the walked document's row is not read).
 * docs/architecture.md, Documents: lists. */
static void q_visible(struct q *q, const struct scope *sc, enum box box, const char *dir)
{
    if (sc->sees_all || box != BOX_ALL)
        return;
    if (!sc->many) {
        q_add(q, " AND ");
        q_rows_open(q, sc, NULL);
        q_add(q, " UNION ALL SELECT s.id FROM document s WHERE s.created_by = ?i)", sc->user_id);
        return;
    }
    if (!strcmp(dir, "incoming")) {
        q_add(q, " AND (d.id IN (");
        q_stands_set(q, sc, NULL);
        q_add(q, " UNION ALL SELECT s.id FROM document s WHERE s.created_by = ?i)) IS TRUE",
              sc->user_id);
        return;
    }
    q_add(q,
          " AND (d.id IN (SELECT s.id FROM document s WHERE s.created_by = ?i) OR EXISTS "
          "(SELECT 1 FROM doc_participant p WHERE p.document_id = d.id AND ",
          sc->user_id);
    q_stands(q, sc);
    q_add(q, PROBE_END ") IS TRUE");
}

/* ---- the search text ---- */

struct search {
    char words[DOC_Q_WORDS][33];
    int n;
    char last_end[34]; /* the first string after every word starting with the last word */
};

/* The smallest string greater than every string starting with w over [a-z0-9] ("lak" →
 * "lal", "z9" → "za"... "zz" → "{"): the upper bound of the prefix range. */
static void prefix_end(const char *w, char *out, size_t n)
{
    str_copy(out, w, n);
    size_t k = strlen(out);
    while (k > 0) {
        char ch = out[k - 1];
        if (ch == '9') {
            out[k - 1] = 'a';
            return;
        }
        if (ch != 'z') {
            out[k - 1] = (char)(ch + 1);
            return;
        }
        out[--k] = '\0';
    }
    str_copy(out, "{", n); /* after every [a-z0-9] string */
}

/* Word-count of the token among the agency's documents, capped at cap + 1. */
static result_t word_count(struct db_conn *c, int64_t agency, const char *lo, const char *hi,
                           int64_t cap, int64_t *out)
{
    return hi ? db_one_i64(c, out,
                           "SELECT COUNT(*) FROM (SELECT 1 FROM doc_search_token WHERE agency_id "
                           "= $1 AND token >= $2 AND token < $3 LIMIT $4) x",
                           "itti", agency, lo, hi, cap + 1)
              : db_one_i64(c, out,
                           "SELECT COUNT(*) FROM (SELECT 1 FROM doc_search_token WHERE agency_id "
                           "= $1 AND token = $2 LIMIT $3) x",
                           "iti", agency, lo, cap + 1);
}

/* The plan of a search (docs/architecture.md, Documents: search). Each word's postings
 * in the agency are counted on the index, capped at DRIVER_CAP; then
 *  - a word under the cap drives: its documents (at most DRIVER_CAP) are fetched by
 *    `d.id IN (…)`, the other words probed on the primary key, the few rows sorted;
 *  - otherwise, in the default order, the rarest whole word's postings are walked in
 *    list order (the token index carries urgency and received_at), each probed for
 *    the other words and joined to its document, until the page is full;
 *  - otherwise (only the prefix word, or another sort) the list's own order index is
 *    walked with every word probed, which is quick because every word is common. */
#define DRIVER_CAP 500
int doc_search_cap = -1;

static int64_t driver_cap(void)
{
    return tunable(&doc_search_cap, "QLVB_DOC_SEARCH_CAP", DRIVER_CAP);
}

enum plan_mode { PLAN_IN, PLAN_POSTINGS, PLAN_WALK };

struct plan {
    enum plan_mode mode;
    int driver;             /* index into words; -1 none */
    bool empty;             /* a word no document has */
    int order[DOC_Q_WORDS]; /* probe order, rarest first */
};

#define SAMPLE_CAP 5000

/* order[0..n) by count, rarest first; stable, so whole words stay before the prefix word
 * (the last) on ties. */
static void sort_words(int *order, const int64_t *count, int n)
{
    for (int i = 0; i < n; i++)
        order[i] = i;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && count[order[j]] < count[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
}

static result_t search_plan(struct db_conn *c, const struct scope *sc, const struct search *sq,
                            bool urgency_order, struct plan *p)
{
    int64_t n[DOC_Q_WORDS];
    memset(p, 0, sizeof(*p));
    p->driver = -1;
    for (int i = 0; i < sq->n; i++) {
        bool last = i == sq->n - 1;
        result_t r = word_count(c, sc->agency_id, sq->words[i], last ? sq->last_end : NULL,
                                driver_cap(), &n[i]);
        if (r != RES_OK)
            return r;
        if (n[i] == 0) {
            p->empty = true;
            return RES_OK;
        }
    }
    sort_words(p->order, n, sq->n);
    if (n[p->order[0]] > driver_cap()) {
        /* Every word is common: tell them apart by a sample, the postings of the last 30
         * days among the non-urgent (a range of the word index, at most SAMPLE_CAP),
         * which is also where the newest-first walk spends its time. The prefix word is
         * probed last. */
        for (int i = 0; i < sq->n; i++) {
            if (i == sq->n - 1) {
                n[i] = INT64_MAX;
                continue;
            }
            int64_t m = 0;
            result_t r = db_one_i64(
                c, &m,
                "SELECT COUNT(*) FROM (SELECT 1 FROM doc_search_token WHERE agency_id "
                "= $1 AND token = $2 AND urgency = 0 AND received_at >= $3 LIMIT $4) x",
                "itii", sc->agency_id, sq->words[i], sc->sample_from, (int64_t)SAMPLE_CAP);
            if (r != RES_OK)
                return r;
            n[i] = driver_cap() + 1 + m;
        }
        sort_words(p->order, n, sq->n);
    }
    int rare = p->order[0];
    if (n[rare] <= driver_cap()) {
        p->mode = PLAN_IN;
        p->driver = rare;
        return RES_OK;
    }
    p->mode = PLAN_WALK;
    if (!urgency_order)
        return RES_OK;
    for (int i = 0; i < sq->n; i++)
        if (p->order[i] != sq->n - 1) { /* the rarest whole word (not the prefix) */
            p->mode = PLAN_POSTINGS;
            p->driver = p->order[i];
            return RES_OK;
        }
    return RES_OK;
}

/* The words as conditions on d, the driver of PLAN_POSTINGS left out (it is the FROM). */
static void q_search(struct q *q, const struct scope *sc, const struct search *sq,
                     const struct plan *p)
{
    if (p->empty) {
        q_add(q, " AND 1 = 0");
        return;
    }
    for (int k = 0; k < sq->n; k++) {
        int i = p->order[k];
        bool last = i == sq->n - 1;
        if (i == p->driver && p->mode == PLAN_POSTINGS)
            continue;
        if (i == p->driver)
            q_add(q,
                  " AND d.id IN (SELECT t.document_id FROM doc_search_token t WHERE "
                  "t.agency_id = ?i AND ",
                  sc->agency_id);
        else
            q_add(q, " AND EXISTS (SELECT 1 FROM doc_search_token w WHERE w.document_id = d.id "
                     "AND ");
        const char *col = i == p->driver ? "t.token" : "w.token";
        q_add(q, col);
        if (last) {
            q_add(q, " >= ?t AND ", sq->words[i]);
            q_add(q, col);
            q_add(q, " < ?t", sq->last_end);
        } else {
            q_add(q, " = ?t", sq->words[i]);
        }
        q_add(q, i == p->driver ? ")" : PROBE_END);
    }
}

/* ---- sorting and the cursor ---- */

enum sort { SORT_URGENCY, SORT_RECEIVED, SORT_DEADLINE };

struct cursor {
    bool set;
    int64_t urgency, at, id;
    char deadline[11];
};

#define NO_DEADLINE "9999-12-31"

/* "u.<urgency>.<received_at>.<id>", "r.<received_at>.<id>", "d.<deadline>.<id>": which
 * sort it belongs to, then the sort key of the last row. */
static bool cursor_parse(const char *s, enum sort sort, struct cursor *cur)
{
    memset(cur, 0, sizeof(*cur));
    char tag = 0, dl[16] = "";
    long long u = 0, at = 0, id = 0;
    int used = 0;
    if (strlen(s) > 64)
        return false;
    switch (sort) {
    case SORT_URGENCY:
        if (sscanf(s, "%c.%lld.%lld.%lld%n", &tag, &u, &at, &id, &used) != 4 || tag != 'u' ||
            u < 0 || u > 4)
            return false;
        break;
    case SORT_RECEIVED:
        if (sscanf(s, "%c.%lld.%lld%n", &tag, &at, &id, &used) != 3 || tag != 'r')
            return false;
        break;
    case SORT_DEADLINE: {
        int64_t day;
        if (sscanf(s, "%c.%10[0-9-].%lld%n", &tag, dl, &id, &used) != 3 || tag != 'd' ||
            (strcmp(dl, NO_DEADLINE) && calendar_parse_day(dl, &day) != RES_OK))
            return false;
        break;
    }
    }
    if ((size_t)used != strlen(s) || id < 1 || at < 0)
        return false;
    cur->set = true;
    cur->urgency = u;
    cur->at = at;
    cur->id = id;
    str_copy(cur->deadline, dl, sizeof(cur->deadline));
    return true;
}

static void q_order(struct q *q, enum sort sort, const struct cursor *cur, int limit, bool postings)
{
    switch (sort) {
    case SORT_URGENCY:
        if (postings) { /* the same key, read from the driving word's postings */
            if (cur->set)
                q_add(q, " AND (t.urgency, t.received_at, t.document_id) < (?i, ?i, ?i)",
                      cur->urgency, cur->at, cur->id);
            q_add(q, " ORDER BY t.urgency DESC, t.received_at DESC, t.document_id DESC");
            break;
        }
        if (cur->set)
            q_add(q, " AND (d.urgency, d.received_at, d.id) < (?i, ?i, ?i)", cur->urgency, cur->at,
                  cur->id);
        q_add(q, " ORDER BY d.urgency DESC, d.received_at DESC, d.id DESC");
        break;
    case SORT_RECEIVED:
        if (cur->set)
            q_add(q, " AND (d.received_at, d.id) < (?i, ?i)", cur->at, cur->id);
        q_add(q, " ORDER BY d.received_at DESC, d.id DESC");
        break;
    case SORT_DEADLINE:
        if (cur->set)
            q_add(q, " AND (COALESCE(d.deadline, '" NO_DEADLINE "'), d.id) > (?t, ?i)",
                  cur->deadline, cur->id);
        q_add(q, " ORDER BY COALESCE(d.deadline, '" NO_DEADLINE "'), d.id");
        break;
    }
    q_add(q, " LIMIT ?i", (int64_t)limit + 1);
}

/* ---- the box to process ---- */

/* The page of a list that only a box and a cursor narrow, in an order an index holds. */
struct page {
    enum sort sort;
    const struct cursor *cur;
    int limit;
};

#define TP_PENDING \
    "p.active = 1 AND p.status = 'pending' AND p.role IN ('lead', 'co_handler', 'leader')"

/* A branch's sort key: its urgency, received_at and document id columns. */
struct tp_cols {
    const char *urgency, *at, *id;
};

static const struct tp_cols TP_DOC_S = {"s.urgency", "s.received_at", "s.id"};
static const struct tp_cols TP_DOC_C = {"c.urgency", "c.received_at", "c.id"};
/* the copy on the row (doc_participant_keys), in doc_participant_pending_urgent/_received */
static const struct tp_cols TP_ROW = {"p.doc_urgency", "p.doc_received_at", "p.document_id"};

/* The end of a branch of the box to process (tp_head): after the cursor; ordered, at
 * most the page's rows, when the branch is an index range in the page's order (cut). A
 * branch of the unit's rows is not cut, and its cursor is not an index range
 * (+urgency): it is a few rows, driven from their index; with a LIMIT, or a cursor range
 * on the document, PostgreSQL walked the agency's order index for it instead, probing
 * each document for a row of theirs (27 s for the clerk's deep page at 100 000
 * documents, measured). */
static void tp_key(struct q *q, const struct page *pg, const struct tp_cols *k, bool cut)
{
    if (pg->cur->set) {
        q_add(q, " AND (");
        /* unary plus: a range no engine takes from the order index (below) */
        if (pg->sort == SORT_URGENCY) {
            q_add(q, cut ? "" : "+");
            q_add(q, k->urgency);
            q_add(q, ", ");
        }
        q_add(q, !cut && pg->sort == SORT_RECEIVED ? "+" : "");
        q_add(q, k->at);
        q_add(q, ", ");
        q_add(q, k->id);
        if (pg->sort == SORT_URGENCY)
            q_add(q, ") < (?i, ?i, ?i)", pg->cur->urgency, pg->cur->at, pg->cur->id);
        else
            q_add(q, ") < (?i, ?i)", pg->cur->at, pg->cur->id);
    }
    if (!cut) {
        q_add(q, ") a");
        return;
    }
    q_add(q, " ORDER BY ");
    if (pg->sort == SORT_URGENCY) {
        q_add(q, k->urgency);
        q_add(q, " DESC, ");
    }
    q_add(q, k->at);
    q_add(q, " DESC, ");
    q_add(q, k->id);
    q_add(q, " DESC LIMIT ?i) a", (int64_t)pg->limit + 1);
}

/* The head of a branch: "SELECT a.* FROM (SELECT [DISTINCT] <keys> FROM " */
static void tp_head(struct q *q, const struct tp_cols *k, bool distinct)
{
    q_add(q, " SELECT a.id, a.urgency, a.received_at FROM (SELECT ");
    q_add(q, distinct ? "DISTINCT " : "");
    q_add(q, k->id);
    q_add(q, " AS id, ");
    q_add(q, k->urgency);
    q_add(q, " AS urgency, ");
    q_add(q, k->at);
    q_add(q, " AS received_at FROM ");
}

/* Waiting for the actor to act: presented to them (leader), assigned to them as lead or
 * co-handler and not started — their rows, and a unit leader's unit's (a member's unit
 * rows stand for them only for information, never one of these roles, so that branch
 * is left out); for clerks also what is to register (arrived) and to present
 * (registered). One IN over a UNION ALL of index ranges, not an OR: with q_stands' OR,
 * SQLite read every for-information row of the member's unit from the table (3300 at
 * 1M documents) to drop them all.
 * top (a list's page, no other filter): each branch gives only its first page's rows
 * after the cursor, in the page's order, with their sort key, and the set is the first
 * page of their union: the list reads the page's documents, not the box's every one
 * (each read to be sorted: 1600 for the clerk, 12 000 for the leader at 1M). The
 * actor's rows from doc_participant_pending_urgent (by date _received: partial, the
 * pending rows of the three roles, in page order per person) with the sort key copied
 * on the row (migration 0026), each row's document read only to keep its agency and
 * direction; the clerk's states from
 * document_agency_state_urgent (by date document_agency_state) without reading the
 * documents. DISTINCT: a person may hold two pending rows on a document (lead and
 * co-handler, or two of one role), and a branch cut at the page must count it once.
 * docs/architecture.md, Documents: lists. */
/* A receiver's copy recalled by its sender, waiting for the clerk to agree or refuse
 * (doc_workflow.c: the state before the recall kept until then). */
#define TP_RECALL_ASKED "s.state_before_recall IS NOT NULL"
/* A handler's row is to process only where a step is possible: not on a recalled
 * document (a receiver's copy waiting for its clerk's answer to the recall keeps its
 * rows, but no step can be taken until the recall is refused; doc_workflow.c). */
#define TP_STEP_POSSIBLE "c.state <> 'recalled'"

static void q_to_process(struct q *q, const struct scope *sc, const char *dir,
                         const struct page *top)
{
    if (!top) {
        q_add(q,
              "d.id IN (SELECT p.document_id FROM doc_participant p JOIN document c ON c.id = "
              "p.document_id WHERE p.user_id = ?i AND " TP_PENDING " AND " TP_STEP_POSSIBLE,
              sc->user_id);
        if (sc->department_id && sc->unit_leader)
            q_add(q,
                  " UNION ALL SELECT p.document_id FROM doc_participant p JOIN document c ON "
                  "c.id = p.document_id WHERE p.department_id = ?i AND p.user_id IS NULL AND "
                  "" TP_PENDING " AND " TP_STEP_POSSIBLE,
                  sc->department_id);
        if (sc->clerk)
            q_add(q,
                  " UNION ALL SELECT s.id FROM document s WHERE s.agency_id = ?i AND s.direction "
                  "= ?t AND s.state IN ('arrived', 'registered') UNION ALL SELECT s.id FROM "
                  "document s WHERE s.agency_id = ?i AND s.direction = ?t AND s.state = "
                  "'recalled' AND " TP_RECALL_ASKED,
                  sc->agency_id, dir, sc->agency_id, dir);
        q_add(q, ")");
        return;
    }
    q_add(q, "d.id IN (SELECT y.id FROM (SELECT DISTINCT x.id, x.urgency, x.received_at FROM (");
    tp_head(q, &TP_ROW, true);
    /* TP_PENDING as the partial indexes' WHERE has it */
    q_add(q,
          "doc_participant p CROSS JOIN document c WHERE p.user_id = ?i AND " TP_PENDING
          " AND c.id = p.document_id AND c.agency_id = ?i AND c.direction = ?t AND "
          "" TP_STEP_POSSIBLE,
          sc->user_id, sc->agency_id, dir);
    tp_key(q, top, &TP_ROW, true);
    if (sc->department_id && sc->unit_leader) {
        q_add(q, " UNION ALL");
        tp_head(q, &TP_DOC_C, false);
        q_add(q,
              "doc_participant p CROSS JOIN document c WHERE p.department_id = ?i AND p.user_id "
              "IS NULL AND " TP_PENDING " AND c.id = p.document_id AND c.agency_id = ?i AND "
              "c.direction = ?t AND " TP_STEP_POSSIBLE,
              sc->department_id, sc->agency_id, dir);
        tp_key(q, top, &TP_DOC_C, false);
    }
    if (sc->clerk) {
        /* one branch per state: each an index range in the page's order; a copy its
         * sender recalled waits for the clerk's answer */
        static const char *const states[] = {"arrived", "registered", "recalled"};
        for (int i = 0; i < 3; i++) {
            q_add(q, " UNION ALL");
            tp_head(q, &TP_DOC_S, false);
            q_add(q, "document s WHERE s.agency_id = ?i AND s.direction = ?t AND s.state = ?t",
                  sc->agency_id, dir, states[i]);
            if (i == 2)
                q_add(q, " AND " TP_RECALL_ASKED);
            tp_key(q, top, &TP_DOC_S, true);
        }
    }
    q_add(q, ") x ORDER BY ");
    if (top->sort == SORT_URGENCY)
        q_add(q, "x.urgency DESC, ");
    q_add(q, "x.received_at DESC, x.id DESC LIMIT ?i) y)", (int64_t)top->limit + 1);
}

/* ---- checking the filter ---- */

static const char *const incoming_states[] = {"arrived",  "refused",     "registered", "presented",
                                              "assigned", "in_progress", "completed",  "recalled",
                                              "draft",    "reviewing",   "approved",   "signed",
                                              "issued",   "cancelled",   NULL};

static int key_index(const char *const *keys, size_t n, const char *s)
{
    for (size_t i = 0; i < n && keys[i]; i++)
        if (!strcmp(keys[i], s))
            return (int)i;
    return -1;
}

static bool given(const char *s)
{
    return s && *s;
}

/* The search text as words; false (with the field error) when it has none worth
 * searching: fewer than 2 letters or digits, longer than DOC_Q_MAX, more than
 * DOC_Q_WORDS words. */
static bool search_parse(const char *q, struct search *sq, struct verrs *e)
{
    memset(sq, 0, sizeof(*sq));
    if (strlen(q) > DOC_Q_MAX || !text_valid_utf8(q, strlen(q))) {
        verrs_add(e, "q", "Từ khóa tìm kiếm phải là văn bản hợp lệ, tối đa %d byte.", DOC_Q_MAX);
        return false;
    }
    char words[DOC_Q_WORDS + 1][33];
    int n = doc_search_words(q, words, DOC_Q_WORDS + 1);
    size_t chars = 0;
    for (int i = 0; i < n; i++)
        chars += strlen(words[i]);
    if (n > DOC_Q_WORDS) {
        verrs_add(e, "q", "Từ khóa tìm kiếm có tối đa %d từ.", DOC_Q_WORDS);
        return false;
    }
    if (chars < 2) {
        verrs_add(e, "q", "Từ khóa tìm kiếm cần ít nhất 2 chữ cái hoặc chữ số.");
        return false;
    }
    /* The words in their order; the last one is matched as a prefix ("dinh" finds
     * "định", "12/QĐ" finds 12/QĐ-UBND), the others whole. A repeated word counts once;
     * if the last one repeats an earlier word it stays last (prefix). */
    char *fold = text_fold(q);
    char lastw[33] = "";
    {
        /* the last word as typed (doc_search_words drops repeats) */
        char all[DOC_Q_WORDS * 2 + 2][33];
        const char *p = fold ? fold : "";
        int k = 0;
        while (*p) {
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) {
                p++;
                continue;
            }
            size_t m = 0;
            while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
                if (m < 32 && k < (int)(sizeof(all) / sizeof(all[0])))
                    all[k][m++] = *p;
                p++;
            }
            if (k < (int)(sizeof(all) / sizeof(all[0])))
                all[k++][m] = '\0';
        }
        if (k)
            str_copy(lastw, all[k - 1], sizeof(lastw));
    }
    free(fold);
    for (int i = 0; i < n; i++)
        if (strcmp(words[i], lastw))
            memcpy(sq->words[sq->n++], words[i], 33);
    memcpy(sq->words[sq->n++], lastw, 33);
    prefix_end(lastw, sq->last_end, sizeof(sq->last_end));
    return true;
}

struct checked {
    const char *dir;
    enum box box;
    enum sort sort;
    struct cursor cur;
    int limit;
    int64_t from, to; /* received_at bounds, UTC; 0 = none */
    char issuer_like[3 * DOC_Q_MAX + 8];
    bool has_q;
    struct search sq;
    bool pending;                       /* the statement over doc_search_pending */
    char pending_like[DOC_Q_WORDS][36]; /* "% w %", the last word "% w%" */
};

static void check_filter(const struct doc_filter *f, struct checked *k, struct verrs *e)
{
    memset(k, 0, sizeof(*k));
    k->dir = given(f->direction) ? f->direction : "incoming";
    if (strcmp(k->dir, "incoming") && strcmp(k->dir, "outgoing") && strcmp(k->dir, "internal"))
        verrs_add(e, "direction", "direction phải là incoming, outgoing hoặc internal.");
    int b = given(f->box) ? key_index(box_keys, sizeof(box_keys) / sizeof(box_keys[0]), f->box) : 0;
    static const char *const out_boxes[] = {"drafts", "to_review", "to_sign"};
    int ob = b < 0 ? key_index(out_boxes, 3, f->box) : -1;
    if (ob >= 0)
        b = BOX_DRAFTS + ob;
    if (b < 0)
        verrs_add(e, "box",
                  "box phải là all, to_process, in_progress, done, for_info, overdue, due_soon, "
                  "drafts, to_review hoặc to_sign.");
    k->box = b < 0 ? BOX_ALL : (enum box)b;
    static const char *const sorts[] = {"urgency", "received", "deadline"};
    int so = given(f->sort) ? key_index(sorts, 3, f->sort) : 0;
    if (so < 0)
        verrs_add(e, "sort", "sort phải là urgency, received hoặc deadline.");
    k->sort = so < 0 ? SORT_URGENCY : (enum sort)so;
    k->limit = f->limit ? f->limit : 20;
    if (k->limit < 1 || k->limit > DOC_LIST_MAX)
        verrs_add(e, "limit", "limit phải từ 1 đến %d.", DOC_LIST_MAX);
    if (f->year && (f->year < 1900 || f->year > 2100))
        verrs_add(e, "year", "Năm phải từ 1900 đến 2100.");
    if (f->register_id < 0)
        verrs_add(e, "register_id", "Sổ văn bản không hợp lệ.");
    if (f->urgency < -1 || f->urgency > 4)
        verrs_add(e, "urgency", "Độ khẩn không có trong danh mục.");
    if (f->handler < 0)
        verrs_add(e, "handler", "Người xử lý không hợp lệ.");
    if (given(f->cursor) && !cursor_parse(f->cursor, k->sort, &k->cur))
        verrs_add(e, "cursor", "Con trỏ trang (cursor) không hợp lệ cho cách sắp xếp này.");
    if (given(f->doc_type) && !doc_type_find(f->doc_type))
        verrs_add(e, "doc_type", "Loại văn bản “%s” không có trong danh mục.",
                  DOC_CUT(f->doc_type, 40));
    if (given(f->state) && key_index(incoming_states, 99, f->state) < 0)
        verrs_add(e, "state", "Trạng thái “%s” không có trong danh mục.", DOC_CUT(f->state, 40));
    int64_t day = 0;
    if (given(f->received_from)) {
        if (calendar_parse_day(f->received_from, &day) != RES_OK)
            verrs_add(e, "received_from", "“Từ ngày” phải là ngày có thật (ngày/tháng/năm).");
        else
            k->from = day * 86400 - 7 * 3600; /* 00:00 in Vietnam (UTC+7) */
    }
    if (given(f->received_to)) {
        if (calendar_parse_day(f->received_to, &day) != RES_OK)
            verrs_add(e, "received_to", "“Đến ngày” phải là ngày có thật (ngày/tháng/năm).");
        else
            k->to = (day + 1) * 86400 - 7 * 3600; /* the next day's 00:00, exclusive */
    }
    if (k->from && k->to && k->from >= k->to)
        verrs_add(e, "received_to", "“Đến ngày” không được trước “Từ ngày”.");
    if (given(f->issuer)) {
        if (strlen(f->issuer) > DOC_Q_MAX || !text_valid_utf8(f->issuer, strlen(f->issuer)))
            verrs_add(e, "issuer", "Cơ quan ban hành phải là văn bản hợp lệ, tối đa %d byte.",
                      DOC_Q_MAX);
        else
            text_like_contains(f->issuer, k->issuer_like, sizeof(k->issuer_like));
    }
    if (given(f->q))
        k->has_q = search_parse(f->q, &k->sq, e);
}

/* A list narrowed only by its box and cursor, in an order an index holds: the box to
 * process may take its page per branch (q_to_process). */
static bool only_box(const struct doc_filter *f, const struct checked *k, const struct plan *p)
{
    return k->limit > 0 && k->sort != SORT_DEADLINE && !p && !k->pending && !f->register_id &&
           !f->year && f->urgency < 0 && !given(f->doc_type) && !given(f->state) && !k->from &&
           !k->to && !k->issuer_like[0] && !f->handler;
}

/* The whole WHERE (after "FROM document d") of a list or a count. */
static void q_where(struct q *q, const struct scope *sc, const struct doc_filter *f,
                    const struct checked *k, enum box box, const struct plan *p)
{
    q_add(q, " WHERE ");
    if (p && p->mode == PLAN_POSTINGS)
        q_add(q, "t.agency_id = ?i AND t.token = ?t AND d.id = t.document_id AND ", sc->agency_id,
              k->sq.words[p->driver]);
    q_add(q, "d.agency_id = ?i AND d.direction = ?t", sc->agency_id, k->dir);
    q_visible(q, sc, box, k->dir);
    struct page pg = {k->sort, &k->cur, k->limit};
    q_box(q, sc, box, k->dir, box == BOX_TO_PROCESS && only_box(f, k, p) ? &pg : NULL);
    if (f->register_id)
        q_add(q, " AND d.register_id = ?i", f->register_id);
    if (f->year)
        q_add(q, " AND d.reg_year = ?i", f->year);
    if (f->urgency >= 0)
        q_add(q, " AND d.urgency = ?i", (int64_t)f->urgency);
    if (given(f->doc_type))
        q_add(q, " AND d.doc_type = ?t", f->doc_type);
    if (given(f->state))
        q_add(q, " AND d.state = ?t", f->state);
    if (k->from)
        q_add(q, " AND d.received_at >= ?i", k->from);
    if (k->to)
        q_add(q, " AND d.received_at < ?i", k->to);
    if (k->issuer_like[0])
        q_add(q, " AND (d.issuer_code = ?t OR d.issuer_folded LIKE ?t ESCAPE '\\')", f->issuer,
              k->issuer_like);
    if (f->handler)
        q_add(q,
              " AND d.id IN (SELECT h.document_id FROM doc_participant h WHERE h.user_id = ?i AND "
              "h.role = 'lead' AND h.active = 1 AND h.status IN ('pending', 'in_progress'))",
              f->handler);
    if (p)
        q_search(q, sc, &k->sq, p);
    if (k->pending) {
        q_add(q,
              " AND d.id IN (SELECT s.document_id FROM doc_search_pending s WHERE s.agency_id = "
              "?i",
              sc->agency_id);
        for (int i = 0; i < k->sq.n; i++)
            q_add(q, " AND s.words LIKE ?t", k->pending_like[i]);
        q_add(q, ")");
    }
}

static bool open_state(const char *st)
{
    static const char *const open[] = {"arrived", "registered", "presented", "assigned",
                                       "in_progress"};
    for (size_t i = 0; i < sizeof(open) / sizeof(open[0]); i++)
        if (!strcmp(open[i], st))
            return true;
    return false;
}

/* ---- the list ---- */

/* A row of a page: its sort key, cursor and JSON. */
struct lrow {
    int64_t urgency, at, id;
    char deadline[11];
    char cursor[64];
    json_t *o;
};

/* Whether x comes after y in the list's order. */
static bool row_after(enum sort sort, const struct lrow *x, const struct lrow *y)
{
    switch (sort) {
    case SORT_URGENCY:
        if (x->urgency != y->urgency)
            return x->urgency < y->urgency;
        return x->at != y->at ? x->at < y->at : x->id < y->id;
    case SORT_RECEIVED:
        return x->at != y->at ? x->at < y->at : x->id < y->id;
    case SORT_DEADLINE: {
        int d = strcmp(x->deadline, y->deadline);
        return d ? d > 0 : x->id > y->id;
    }
    }
    return false;
}

/* Runs q and reads at most k->limit + 1 rows into rows[], *n of them. */
static result_t read_rows(struct db_conn *c, struct q *q, const struct scope *sc,
                          const struct checked *k, struct lrow *rows, int *n)
{
    struct db_stmt *s = NULL;
    result_t r = q_prepare(c, q, &s);
    *n = 0;
    while (r == RES_OK && *n <= k->limit && (r = db_step(s)) == RES_ROW) {
        struct lrow *x = &rows[(*n)++];
        r = RES_OK;
        x->id = db_col_i64(s, 0);
        x->at = db_col_null(s, 23) ? 0 : db_col_i64(s, 23);
        x->urgency = db_col_i64(s, 14);
        const char *dl = db_col_null(s, DOC_NCOLUMNS) ? NULL : db_col_text(s, DOC_NCOLUMNS);
        str_copy(x->deadline, dl ? dl : NO_DEADLINE, sizeof(x->deadline));
        if (k->sort == SORT_URGENCY)
            snprintf(x->cursor, sizeof(x->cursor), "u.%lld.%lld.%lld", (long long)x->urgency,
                     (long long)x->at, (long long)x->id);
        else if (k->sort == SORT_RECEIVED)
            snprintf(x->cursor, sizeof(x->cursor), "r.%lld.%lld", (long long)x->at,
                     (long long)x->id);
        else
            snprintf(x->cursor, sizeof(x->cursor), "d.%.10s.%lld", x->deadline, (long long)x->id);
        json_t *o = x->o = doc_json(s, false);
        /* §3: Khẩn and above are flagged everywhere. */
        json_object_set_new(o, "urgent", json_boolean(x->urgency >= 1));
        json_object_set_new(o, "deadline", dl ? json_string(dl) : json_null());
        bool open =
            db_col_null(s, DOC_NCOLUMNS + 1) && open_state(db_col_text(s, 2)); /* completed_at */
        json_object_set_new(o, "overdue", json_boolean(open && dl && strcmp(dl, sc->today) < 0));
        json_object_set_new(
            o, "due_soon",
            json_boolean(open && dl && strcmp(dl, sc->today) >= 0 && strcmp(dl, sc->soon) <= 0));
    }
    db_finalize(s);
    return r == RES_ROW || r == RES_DONE ? RES_OK : r;
}

result_t doc_list(struct app *app, const struct actor *a, const struct doc_filter *f,
                  struct verrs *e, json_t **out, char **next_cursor)
{
    *out = NULL;
    *next_cursor = NULL;
    struct scope sc;
    result_t r = scope_of(app, a, &sc);
    if (r != RES_OK)
        return r;
    struct checked *k = calloc(1, sizeof(*k));
    struct q *q = calloc(1, sizeof(*q));
    if (!k || !q) {
        free(k);
        free(q);
        return RES_INTERNAL;
    }
    check_filter(f, k, e);
    struct plan plan = {.driver = -1};
    struct db_conn *c = e->count ? NULL : db_conn(app->db);
    r = e->count ? RES_INVALID : c ? RES_OK : RES_DB;
    /* A search reads the documents whose words are still pending first, then plans and
     * reads the index (a document indexed in between is then found twice, never
     * missed); the two pages, in the same order after the same cursor, are merged. */
    struct lrow *rows = r == RES_OK ? calloc(2 * (size_t)(k->limit + 1), sizeof(*rows)) : NULL;
    if (r == RES_OK && !rows)
        r = RES_INTERNAL;
    int npend = 0, nmain = 0;
    int64_t any_pending = 0; /* usually none: a batch is indexed within seconds */
    if (r == RES_OK && k->has_q)
        r = db_one_i64(c, &any_pending,
                       "SELECT COUNT(*) FROM (SELECT 1 FROM doc_search_pending WHERE agency_id = "
                       "$1 LIMIT 1) x",
                       "i", sc.agency_id);
    if (r == RES_OK && k->has_q && !any_pending) {
        r = search_plan(c, &sc, &k->sq, k->sort == SORT_URGENCY, &plan);
    } else if (r == RES_OK && k->has_q) {
        k->pending = true;
        for (int i = 0; i < k->sq.n; i++)
            snprintf(k->pending_like[i], sizeof(k->pending_like[i]),
                     i == k->sq.n - 1 ? "%% %s%%" : "%% %s %%", k->sq.words[i]);
        q_add(q, "SELECT " DOC_COLUMNS ", d.deadline, d.completed_at FROM document d LEFT JOIN "
                 "doc_register r ON r.id = d.register_id");
        q_where(q, &sc, f, k, k->box, NULL);
        q_order(q, k->sort, &k->cur, k->limit, false);
        r = read_rows(c, q, &sc, k, rows, &npend);
        k->pending = false;
        memset(q, 0, sizeof(*q));
        if (r == RES_OK)
            r = search_plan(c, &sc, &k->sq, k->sort == SORT_URGENCY, &plan);
    }
    if (r == RES_OK) {
        bool postings = k->has_q && plan.mode == PLAN_POSTINGS;
        /* CROSS JOIN: SQLite keeps the postings outside (PostgreSQL plans it as a join) */
        q_add(q, postings ? "SELECT " DOC_COLUMNS ", d.deadline, d.completed_at FROM "
                            "doc_search_token t CROSS JOIN document d LEFT JOIN doc_register r ON "
                            "r.id = d.register_id"
                          : "SELECT " DOC_COLUMNS ", d.deadline, d.completed_at FROM document d "
                            "LEFT JOIN doc_register r ON r.id = d.register_id");
        q_where(q, &sc, f, k, k->box, k->has_q ? &plan : NULL);
        q_order(q, k->sort, &k->cur, k->limit, postings);
        r = read_rows(c, q, &sc, k, rows + npend, &nmain);
    }
    json_t *list = r == RES_OK ? json_array() : NULL;
    const struct lrow *prev = NULL;
    int n = 0;
    for (int i = 0, j = npend; list && (i < npend || j < npend + nmain);) {
        bool from_pending =
            i < npend && (j == npend + nmain || !row_after(k->sort, &rows[i], &rows[j]));
        const struct lrow *x = from_pending ? &rows[i++] : &rows[j++];
        if (prev && prev->id == x->id)
            continue; /* the same document on both sides */
        if (++n > k->limit) {
            *next_cursor = strdup(prev->cursor);
            break;
        }
        json_array_append(list, x->o);
        prev = x;
    }
    for (int i = 0; rows && i < npend + nmain; i++)
        json_decref(rows[i].o);
    free(rows);
    free(k);
    free(q);
    if (r != RES_OK) {
        json_decref(list);
        free(*next_cursor);
        *next_cursor = NULL;
        return r;
    }
    *out = list;
    return RES_OK;
}

/* ---- the home page's numbers ---- */

result_t doc_counts(struct app *app, const struct actor *a, json_t **out)
{
    *out = NULL;
    struct scope sc;
    result_t r = scope_of(app, a, &sc);
    if (r != RES_OK)
        return r;
    static const struct {
        const char *key;
        enum box box;
        bool clerk_only;
    } counts[] = {
        {"to_process", BOX_TO_PROCESS, false},  {"in_progress", BOX_IN_PROGRESS, false},
        {"done", BOX_DONE_YEAR, false},         {"for_info", BOX_FOR_INFO_UNSEEN, false},
        {"overdue", BOX_OVERDUE, false},        {"due_soon", BOX_DUE_SOON, false},
        {"to_register", BOX_TO_REGISTER, true}, {"to_present", BOX_TO_PRESENT, true},
    };
    struct q *q = calloc(1, sizeof(*q));
    if (!q)
        return RES_INTERNAL;
    struct doc_filter f = {.urgency = -1};
    struct checked k = {.dir = "incoming"};
    struct db_conn *c = db_conn(app->db);
    if (!c) {
        free(q);
        return RES_DB;
    }
    /* One statement: a scalar sub-select per number. */
    q_add(q, "SELECT ");
    size_t nc = 0;
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        if (counts[i].clerk_only && !sc.clerk)
            continue;
        q_add(q, nc++ ? ", (SELECT COUNT(*) FROM document d" : "(SELECT COUNT(*) FROM document d");
        q_where(q, &sc, &f, &k, counts[i].box, NULL);
        q_add(q, ")");
    }
    struct db_stmt *s = NULL;
    r = q_prepare(c, q, &s);
    free(q);
    if (r == RES_OK)
        r = db_step(s);
    if (r == RES_ROW) {
        json_t *o = json_object();
        size_t col = 0;
        for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
            if (counts[i].clerk_only && !sc.clerk)
                continue;
            json_object_set_new(o, counts[i].key, json_integer(db_col_i64(s, (int)col++)));
        }
        *out = o;
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_INTERNAL;
    }
    db_finalize(s);
    return r;
}

/* ---- tracking ---- */

struct track {
    int64_t department_id, user_id;
    char name[256], department[256];
    int64_t in_progress, overdue, due_soon, on_time, late;
};

struct tracks {
    struct track *v;
    size_t n, cap;
    uint32_t *slot; /* open addressing over v: index + 1, 0 = empty */
    size_t nslot;   /* a power of two, more than twice n */
};

static size_t track_hash(const struct tracks *t, int64_t dep, int64_t user)
{
    uint64_t h = (uint64_t)dep * 0x9E3779B97F4A7C15ULL ^ (uint64_t)user * 0xC2B2AE3D27D4EB4FULL;
    return (size_t)(h ^ (h >> 29)) & (t->nslot - 1);
}

static bool track_rehash(struct tracks *t)
{
    size_t nslot = t->nslot ? t->nslot * 2 : 256;
    uint32_t *slot = calloc(nslot, sizeof(*slot));
    if (!slot)
        return false;
    free(t->slot);
    t->slot = slot;
    t->nslot = nslot;
    for (size_t i = 0; i < t->n; i++) {
        size_t h = track_hash(t, t->v[i].department_id, t->v[i].user_id);
        while (t->slot[h])
            h = (h + 1) & (t->nslot - 1);
        t->slot[h] = (uint32_t)i + 1;
    }
    return true;
}

/* The line of (dep, user), made on first sight: a hash, since the open rows come in
 * document order (one look-up per row, ~27,000 at 1M documents). */
static struct track *track_of(struct tracks *t, int64_t dep, int64_t user)
{
    if ((t->n + 1) * 2 > t->nslot && !track_rehash(t))
        return NULL;
    size_t h = track_hash(t, dep, user);
    for (; t->slot[h]; h = (h + 1) & (t->nslot - 1)) {
        struct track *x = &t->v[t->slot[h] - 1];
        if (x->department_id == dep && x->user_id == user)
            return x;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        struct track *nv = realloc(t->v, cap * sizeof(*nv));
        if (!nv)
            return NULL;
        t->v = nv;
        t->cap = cap;
    }
    struct track *x = &t->v[t->n++];
    memset(x, 0, sizeof(*x));
    x->department_id = dep;
    x->user_id = user;
    t->slot[h] = (uint32_t)t->n;
    return x;
}

static json_t *track_json(const struct track *x, bool person)
{
    json_t *o = json_object();
    if (person) {
        json_object_set_new(o, "user_id", json_integer(x->user_id));
        json_object_set_new(o, "full_name", json_string(x->name));
    }
    json_object_set_new(o, "department_id",
                        x->department_id ? json_integer(x->department_id) : json_null());
    json_object_set_new(o, "department_name",
                        x->department_id ? json_string(x->department) : json_null());
    json_object_set_new(o, "in_progress", json_integer(x->in_progress));
    json_object_set_new(o, "overdue", json_integer(x->overdue));
    json_object_set_new(o, "due_soon", json_integer(x->due_soon));
    json_object_set_new(o, "completed_on_time", json_integer(x->on_time));
    json_object_set_new(o, "completed_late", json_integer(x->late));
    return o;
}

/* The agency's lead rows drive, each joined to its document by key for the agency and
 * the deadline: CROSS JOIN keeps SQLite from walking every document of the agency and
 * probing its rows instead (which it chose, and which cost a probe per document: ~1M at
 * 1M documents); PostgreSQL plans it as a join. The open rows come from
 * doc_participant_lead_open (migration 0022: only those rows, covering, in document
 * order: the statement's terms are its WHERE, so keep them the same), the done ones
 * from doc_participant_role; the documents' agency and deadline from
 * document_id_deadline. The rows are counted here, not grouped in SQL: SQLite sorted
 * the ~27,000 open rows for the GROUP BY, as long as the join took. */
#define TRACK_FROM                                                                  \
    " FROM doc_participant p CROSS JOIN document d WHERE d.id = p.document_id AND " \
    "d.agency_id = $1 AND p.role = 'lead'"

/* The names of the lines: the agency's members and units in two statements, then one
 * look-up for anyone left (a lead who is no longer a member). */
static result_t track_names(struct db_conn *c, int64_t agency, struct tracks *t)
{
    static const char *const all[2] = {
        "SELECT u.id, u.full_name FROM app_user u WHERE u.id IN (SELECT m.user_id FROM "
        "membership m WHERE m.agency_id = $1)",
        "SELECT dp.id, dp.name FROM department dp WHERE dp.agency_id = $1"};
    static const char *const one[2] = {"SELECT full_name FROM app_user WHERE id = $1",
                                       "SELECT name FROM department WHERE id = $1"};
    /* found[i]: bit 0 the person's name, bit 1 the unit's */
    unsigned char *found = calloc(t->n ? t->n : 1, 1);
    if (!found)
        return RES_INTERNAL;
    for (size_t i = 0; i < t->n; i++)
        found[i] = (unsigned char)((t->v[i].user_id ? 0 : 1) | (t->v[i].department_id ? 0 : 2));
    result_t r = RES_OK;
    for (int k = 0; k < 2 && r == RES_OK; k++) {
        struct db_stmt *s = NULL;
        r = db_query(c, &s, all[k], "i", agency);
        while ((r == RES_OK || r == RES_ROW) && (r = db_step(s)) == RES_ROW) {
            int64_t id = db_col_i64(s, 0);
            for (size_t i = 0; i < t->n; i++) {
                struct track *x = &t->v[i];
                if (k == 0 && x->user_id == id) {
                    str_copy(x->name, db_col_text(s, 1), sizeof(x->name));
                    found[i] |= 1;
                } else if (k == 1 && x->department_id == id) {
                    str_copy(x->department, db_col_text(s, 1), sizeof(x->department));
                    found[i] |= 2;
                }
            }
        }
        db_finalize(s);
        if (r == RES_DONE)
            r = RES_OK;
    }
    for (size_t i = 0; i < t->n && r == RES_OK; i++)
        for (int k = 0; k < 2 && r == RES_OK; k++) {
            if (found[i] & (1 << k))
                continue;
            struct track *x = &t->v[i];
            struct db_stmt *s = NULL;
            r = db_query(c, &s, one[k], "i", k == 0 ? x->user_id : x->department_id);
            if (r == RES_OK && (r = db_step(s)) == RES_ROW)
                str_copy(k == 0 ? x->name : x->department, db_col_text(s, 0),
                         k == 0 ? sizeof(x->name) : sizeof(x->department));
            db_finalize(s);
            if (r == RES_ROW || r == RES_DONE)
                r = RES_OK;
        }
    free(found);
    return r;
}

static result_t track_rows(struct db_conn *c, const struct scope *sc, int64_t from, int64_t to,
                           struct tracks *t)
{
    struct db_stmt *s = NULL;
    /* Open lead rows: in progress, overdue (deadline before today), due soon (today to
     * the end of the window), per lead (person or unit). The deadlines are 'YYYY-MM-DD':
     * strcmp orders them as both engines' text comparison does. */
    result_t r = db_query(c, &s,
                          "SELECT COALESCE(p.department_id, 0), COALESCE(p.user_id, 0), "
                          "d.deadline" TRACK_FROM
                          " AND p.active = 1 AND p.status IN ('pending', 'in_progress')",
                          "i", sc->agency_id);
    while ((r == RES_OK || r == RES_ROW) && (r = db_step(s)) == RES_ROW) {
        struct track *x = track_of(t, db_col_i64(s, 0), db_col_i64(s, 1));
        if (!x) {
            r = RES_INTERNAL;
            break;
        }
        x->in_progress++;
        if (!db_col_null(s, 2)) {
            const char *dl = db_col_text(s, 2);
            if (strcmp(dl, sc->today) < 0)
                x->overdue++;
            else if (strcmp(dl, sc->soon) <= 0)
                x->due_soon++;
        }
    }
    db_finalize(s);
    if (r != RES_DONE)
        return r;
    /* Completed in the period: on time when done before the end of the deadline's day
     * (Vietnam time); the comparison of an instant with a date is made here, the same on
     * both engines. */
    r = db_query(c, &s,
                 "SELECT COALESCE(p.department_id, 0), COALESCE(p.user_id, 0), p.done_at, "
                 "d.deadline" TRACK_FROM " AND p.status = 'done' AND p.done_at >= $2 AND "
                 "p.done_at < $3",
                 "iii", sc->agency_id, from, to);
    while ((r == RES_OK || r == RES_ROW) && (r = db_step(s)) == RES_ROW) {
        struct track *x = track_of(t, db_col_i64(s, 0), db_col_i64(s, 1));
        if (!x) {
            r = RES_INTERNAL;
            break;
        }
        int64_t day = 0;
        bool late = !db_col_null(s, 3) && calendar_parse_day(db_col_text(s, 3), &day) == RES_OK &&
                    db_col_i64(s, 2) >= (day + 1) * 86400 - 7 * 3600;
        if (late)
            x->late++;
        else
            x->on_time++;
    }
    db_finalize(s);
    if (r != RES_DONE)
        return r;
    return track_names(c, sc->agency_id, t);
}

static int track_cmp(const void *x, const void *y)
{
    const struct track *a = x, *b = y;
    if (a->department_id != b->department_id)
        return a->department_id < b->department_id ? -1 : 1;
    return a->user_id < b->user_id ? -1 : a->user_id > b->user_id;
}

result_t doc_tracking(struct app *app, const struct actor *a, const char *from, const char *to,
                      struct verrs *e, json_t **out)
{
    *out = NULL;
    int64_t agency_id = a ? a->agency_id : 0;
    result_t r = authz_check(a, AZ_DOC_TRACK, agency_id);
    if (r != RES_OK)
        return r;
    struct scope sc;
    if ((r = scope_of(app, a, &sc)) != RES_OK)
        return r;
    int64_t today = calendar_day_of(clock_now()), d_from = 0, d_to = 0;
    if (given(from) && calendar_parse_day(from, &d_from) != RES_OK)
        verrs_add(e, "from", "“Từ ngày” phải là ngày có thật (ngày/tháng/năm).");
    if (given(to) && calendar_parse_day(to, &d_to) != RES_OK)
        verrs_add(e, "to", "“Đến ngày” phải là ngày có thật (ngày/tháng/năm).");
    if (e->count)
        return RES_INVALID;
    if (!given(to))
        d_to = today;
    if (!given(from)) {
        char ym[16];
        calendar_format_day(d_to, ym, sizeof(ym));
        memcpy(ym + 8, "01", 3); /* the first of to's month */
        calendar_parse_day(ym, &d_from);
    }
    if (d_from > d_to || d_to - d_from >= DOC_TRACK_DAYS) {
        verrs_add(e, "to", "Khoảng thời gian phải từ from đến to, tối đa %d ngày.", DOC_TRACK_DAYS);
        return RES_INVALID;
    }
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct tracks t = {0};
    r = track_rows(c, &sc, d_from * 86400 - 7 * 3600, (d_to + 1) * 86400 - 7 * 3600, &t);
    free(t.slot);
    if (r != RES_OK) {
        free(t.v);
        return r;
    }
    qsort(t.v, t.n, sizeof(t.v[0]), track_cmp);
    json_t *o = json_object(), *deps = json_array(), *people = json_array();
    char iso[16];
    calendar_format_day(d_from, iso, sizeof(iso));
    json_object_set_new(o, "from", json_string(iso));
    calendar_format_day(d_to, iso, sizeof(iso));
    json_object_set_new(o, "to", json_string(iso));
    json_object_set_new(o, "today", json_string(sc.today));
    /* Per department: its own rows (unit assignments) and its people's. */
    for (size_t i = 0; i < t.n;) {
        struct track sum = t.v[i];
        sum.user_id = 0;
        sum.in_progress = sum.overdue = sum.due_soon = sum.on_time = sum.late = 0;
        size_t j = i;
        for (; j < t.n && t.v[j].department_id == sum.department_id; j++) {
            const struct track *x = &t.v[j];
            sum.in_progress += x->in_progress;
            sum.overdue += x->overdue;
            sum.due_soon += x->due_soon;
            sum.on_time += x->on_time;
            sum.late += x->late;
            if (x->department[0])
                str_copy(sum.department, x->department, sizeof(sum.department));
            if (x->user_id)
                json_array_append_new(people, track_json(x, true));
        }
        json_array_append_new(deps, track_json(&sum, false));
        i = j;
    }
    free(t.v);
    json_object_set_new(o, "departments", deps);
    json_object_set_new(o, "people", people);
    *out = o;
    return RES_OK;
}

/* ---- the backfill job ---- */

struct backfill {
    int64_t ids[500];
    int n;
};

static result_t backfill_tx(struct tx *t, void *arg)
{
    struct backfill *b = arg;
    result_t r = RES_OK;
    for (int i = 0; i < b->n && r == RES_OK; i++)
        r = doc_search_index(tx_conn(t), b->ids[i]);
    return r;
}

/* doc.search_backfill (queued by migration 0011): the words of every document that has
 * none yet and none waiting in doc_search_pending (doc.search_index writes those), 500
 * per transaction. A derived index, not a user action: no audit row. */
static result_t search_backfill(void *ctx, const struct job *j, char *message, size_t size)
{
    (void)j;
    struct app *app = ctx;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    int64_t after = 0, total = 0;
    struct backfill *b = malloc(sizeof(*b));
    if (!b)
        return RES_INTERNAL;
    result_t r;
    for (;;) {
        struct db_stmt *s = NULL;
        b->n = 0;
        r = db_query(c, &s,
                     "SELECT d.id FROM document d WHERE d.id > $1 AND (d.issuer_folded IS NULL OR "
                     "NOT EXISTS (SELECT 1 FROM doc_search_token t WHERE t.document_id = d.id)) "
                     "AND NOT EXISTS (SELECT 1 FROM doc_search_pending p WHERE p.document_id = "
                     "d.id) ORDER BY d.id LIMIT 500",
                     "i", after);
        while ((r == RES_OK || r == RES_ROW) && (r = db_step(s)) == RES_ROW)
            b->ids[b->n++] = after = db_col_i64(s, 0);
        db_finalize(s);
        if (r != RES_DONE || !b->n)
            break;
        if ((r = tx_run_noaudit(app->db, backfill_tx, b)) != RES_OK)
            break;
        total += b->n;
    }
    free(b);
    snprintf(message, size, "%lld documents indexed", (long long)total);
    return r == RES_DONE ? RES_OK : r;
}

result_t doc_jobs_register(struct jobs *q, struct app *app)
{
    result_t r = jobs_register(q, "doc.search_backfill", search_backfill, app, 0);
    if (r == RES_OK) /* queued by registrations; every 10 minutes for what a run missed */
        r = jobs_register(q, SEARCH_INDEX_KIND, search_index_job, app, 600);
    return r;
}
