/* The job queue on the `job` table: enqueue in the caller's transaction, claim with a
 * lease, finish with done / retry / dead, and the runner (worker threads + scheduler)
 * that `qlvb serve` starts. Every state change checks the claim's token, so a worker
 * whose lease expired and whose job was claimed again cannot overwrite the new claim. */
#include "jobs/jobs.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/str.h"

#define MAX_HANDLERS 32
#define MAX_WORKERS  32

void jobs_options_default(struct jobs_options *o)
{
    memset(o, 0, sizeof(*o));
    o->workers = 2;
    o->lease_seconds = 300;
    o->backoff_base = 30;
    o->backoff_max = 3600;
    o->poll_ms = 1000;
    o->tick_seconds = 30;
    o->keep_done_seconds = 7 * 86400;
}

void jobs_job_release(struct job *j)
{
    free(j->payload);
    memset(j, 0, sizeof(*j));
}

static bool kind_valid(const char *k)
{
    size_t n = k ? strlen(k) : 0;
    return n > 0 && n < JOBS_KIND_MAX && strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

result_t jobs_enqueue(struct db_conn *c, const struct jobs_enqueue *e, int64_t *id)
{
    const char *payload = e->payload ? e->payload : "{}";
    *id = 0;
    if (!kind_valid(e->kind) || strlen(payload) > JOBS_PAYLOAD_MAX ||
        (e->dedupe_key && (!*e->dedupe_key || strlen(e->dedupe_key) > 200)) ||
        e->max_attempts < 0 || e->max_attempts > 100)
        return RES_INVALID;
    json_t *check = json_loads(payload, JSON_DECODE_ANY, NULL);
    if (!check)
        return RES_INVALID;
    json_decref(check);
    int64_t now = clock_now();
    /* A pending or running job with the same key makes this a no-op (the partial
     * unique index job_dedupe); RETURNING then yields no row. */
    result_t r = db_one_i64(c, id,
                            "INSERT INTO job (kind, payload, dedupe_key, run_at, max_attempts, "
                            "created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING "
                            "RETURNING id",
                            "tttiii", e->kind, payload, e->dedupe_key, e->run_at ? e->run_at : now,
                            (int64_t)(e->max_attempts ? e->max_attempts : JOBS_MAX_ATTEMPTS), now);
    if (r == RES_NOT_FOUND) {
        *id = 0;
        return RES_OK;
    }
    return r;
}

result_t jobs_claim(struct db_conn *c, int64_t now, int lease, struct job *j)
{
    memset(j, 0, sizeof(*j));
    /* A read first: an idle queue costs no write transaction (on SQLite the write lock
     * is the whole database). */
    int64_t due = 0;
    result_t r = db_one_i64(c, &due,
                            "SELECT 1 FROM job WHERE (state = 'pending' AND run_at <= $1) OR "
                            "(state = 'running' AND locked_until < $1) LIMIT 1",
                            "i", now);
    if (r != RES_OK)
        return r; /* RES_NOT_FOUND: nothing due */
    if (rand_hex(j->token, 16) != RES_OK)
        return RES_INTERNAL;
    r = db_begin(c);
    if (r != RES_OK)
        return r;
    /* A lease that ran out on the last allowed attempt: its node died or hung while
     * running it; no further attempt. */
    r = db_run(c,
               "UPDATE job SET state = 'dead', finished_at = $1, locked_until = 0, last_error = "
               "'Hết thời hạn xử lý (lease expired) ở lần thử cuối' WHERE state = 'running' AND "
               "locked_until < $1 AND attempts >= max_attempts",
               "i", now);
    struct db_stmt *s = NULL;
    if (r == RES_OK)
        r = db_query(c, &s,
                     "UPDATE job SET state = 'running', attempts = attempts + 1, locked_by = $2, "
                     "locked_until = $3, started_at = $1 WHERE id = (SELECT id FROM job WHERE "
                     "(state = 'pending' AND run_at <= $1) OR (state = 'running' AND "
                     "locked_until < $1) ORDER BY run_at, id LIMIT 1 {{SKIP_LOCKED}}) "
                     "RETURNING id, kind, payload, attempts, max_attempts",
                     "iti", now, j->token, now + lease);
    if (r == RES_OK) {
        r = db_step(s);
        if (r == RES_ROW) {
            j->id = db_col_i64(s, 0);
            str_copy(j->kind, db_col_text(s, 1), sizeof(j->kind));
            const char *p = db_col_text(s, 2);
            j->payload = xstrdup(p ? p : "{}");
            j->attempts = (int)db_col_i64(s, 3);
            j->max_attempts = (int)db_col_i64(s, 4);
            r = RES_OK;
        } else if (r == RES_DONE) {
            r = RES_NOT_FOUND;
        }
        db_finalize(s);
    }
    if (r == RES_OK || r == RES_NOT_FOUND) {
        result_t cr = db_commit(c);
        if (cr != RES_OK) {
            db_rollback(c);
            jobs_job_release(j);
            return cr;
        }
        return r;
    }
    db_rollback(c);
    jobs_job_release(j);
    return r;
}

static result_t enqueue_next(struct db_conn *c, const char *kind, int64_t next_at)
{
    char key[JOBS_KIND_MAX + 16];
    int64_t id = 0;
    snprintf(key, sizeof(key), "periodic:%s", kind);
    struct jobs_enqueue e = {.kind = kind, .run_at = next_at, .dedupe_key = key};
    return jobs_enqueue(c, &e, &id);
}

static result_t finish_tx(struct db_conn *c, result_t r)
{
    if (r == RES_OK)
        r = db_commit(c);
    if (r != RES_OK)
        db_rollback(c);
    return r;
}

result_t jobs_complete(struct db_conn *c, const struct job *j, int64_t now, const char *result,
                       int64_t next_at)
{
    char msg[JOBS_MESSAGE_MAX + 1];
    str_copy(msg, result ? result : "", sizeof(msg));
    int64_t id = 0;
    result_t r = db_begin(c);
    if (r != RES_OK)
        return r;
    r = db_one_i64(c, &id,
                   "UPDATE job SET state = 'done', result = $1, finished_at = $2, locked_until = 0 "
                   "WHERE id = $3 AND locked_by = $4 AND state = 'running' RETURNING id",
                   "tiit", msg, now, j->id, j->token);
    if (r == RES_NOT_FOUND)
        r = RES_CONFLICT;
    if (r == RES_OK && next_at > 0)
        r = enqueue_next(c, j->kind, next_at);
    return finish_tx(c, r);
}

int64_t jobs_backoff(const struct jobs_options *o, int attempts)
{
    int64_t d = o->backoff_base > 0 ? o->backoff_base : 1;
    for (int i = 1; i < attempts && d < o->backoff_max; i++)
        d *= 2;
    return d < o->backoff_max ? d : o->backoff_max;
}

result_t jobs_fail(struct db_conn *c, const struct job *j, int64_t now, const char *error,
                   const struct jobs_options *o, int64_t next_at)
{
    char msg[JOBS_MESSAGE_MAX + 1];
    str_copy(msg, error && *error ? error : "lỗi không rõ", sizeof(msg));
    bool dead = j->attempts >= j->max_attempts;
    int64_t id = 0;
    result_t r = db_begin(c);
    if (r != RES_OK)
        return r;
    r = db_one_i64(c, &id,
                   "UPDATE job SET state = $1, run_at = $2, last_error = $3, locked_until = 0, "
                   "finished_at = $4 WHERE id = $5 AND locked_by = $6 AND state = 'running' "
                   "RETURNING id",
                   "titiit", dead ? "dead" : "pending",
                   dead ? now : now + jobs_backoff(o, j->attempts), msg, dead ? now : (int64_t)0,
                   j->id, j->token);
    if (r == RES_NOT_FOUND)
        r = RES_CONFLICT;
    if (r == RES_OK && dead && next_at > 0)
        r = enqueue_next(c, j->kind, next_at);
    return finish_tx(c, r);
}

/* ---- administration ---- */

result_t jobs_counts(struct db_conn *c, json_t **out)
{
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s, "SELECT state, COUNT(*) FROM job GROUP BY state", "");
    if (r != RES_OK)
        return r;
    json_t *o = json_pack("{s:i,s:i,s:i,s:i}", "pending", 0, "running", 0, "done", 0, "dead", 0);
    while ((r = db_step(s)) == RES_ROW)
        json_object_set_new(o, db_col_text(s, 0), json_integer(db_col_i64(s, 1)));
    db_finalize(s);
    if (r != RES_DONE) {
        json_decref(o);
        return r;
    }
    *out = o;
    return RES_OK;
}

/* Time fields as ISO 8601 (`name`) and Vietnam time for people (`name_display`). */
static void set_time(json_t *row, const char *name, int64_t t)
{
    char iso[40], vn[64], key[48];
    snprintf(key, sizeof(key), "%s_display", name);
    if (!t) {
        json_object_set_new(row, name, json_null());
        return;
    }
    clock_format_iso(t, iso, sizeof(iso));
    clock_format_vn(t, vn, sizeof(vn));
    json_object_set_new(row, name, json_string(iso));
    json_object_set_new(row, key, json_string(vn));
}

result_t jobs_list(struct db_conn *c, const char *state, int limit, json_t **out)
{
    if (state && strcmp(state, "pending") && strcmp(state, "running") && strcmp(state, "done") &&
        strcmp(state, "dead"))
        return RES_INVALID;
    if (limit <= 0 || limit > 500)
        limit = 100;
    struct db_stmt *s = NULL;
    /* Two texts rather than "($1 = '' OR state = $1)": PostgreSQL must not guess. */
    static const char cols[] = "SELECT id, kind, state, attempts, max_attempts, run_at, "
                               "created_at, started_at, finished_at, locked_until, last_error, "
                               "result, dedupe_key FROM job ";
    char sql[512];
    snprintf(sql, sizeof(sql), "%s%s", cols,
             state ? "WHERE state = $1 ORDER BY id DESC LIMIT $2" : "ORDER BY id DESC LIMIT $1");
    result_t r = state ? db_query(c, &s, sql, "ti", state, (int64_t)limit)
                       : db_query(c, &s, sql, "i", (int64_t)limit);
    if (r != RES_OK)
        return r;
    json_t *rows = json_array();
    while ((r = db_step(s)) == RES_ROW) {
        json_t *row = json_object();
        json_object_set_new(row, "id", json_integer(db_col_i64(s, 0)));
        json_object_set_new(row, "kind", json_string(db_col_text(s, 1)));
        json_object_set_new(row, "state", json_string(db_col_text(s, 2)));
        json_object_set_new(row, "attempts", json_integer(db_col_i64(s, 3)));
        json_object_set_new(row, "max_attempts", json_integer(db_col_i64(s, 4)));
        set_time(row, "run_at", db_col_i64(s, 5));
        set_time(row, "created_at", db_col_i64(s, 6));
        set_time(row, "started_at", db_col_i64(s, 7));
        set_time(row, "finished_at", db_col_i64(s, 8));
        set_time(row, "locked_until", db_col_i64(s, 9));
        json_object_set_new(row, "last_error", json_string(db_col_text(s, 10)));
        json_object_set_new(row, "result", json_string(db_col_text(s, 11)));
        const char *key = db_col_text(s, 12);
        json_object_set_new(row, "dedupe_key", key ? json_string(key) : json_null());
        json_array_append_new(rows, row);
    }
    db_finalize(s);
    if (r != RES_DONE) {
        json_decref(rows);
        return r;
    }
    *out = rows;
    return RES_OK;
}

result_t jobs_retry(struct db_conn *c, int64_t id, int64_t now)
{
    int64_t got = 0;
    result_t r = db_one_i64(c, &got,
                            "UPDATE job SET state = 'pending', attempts = 0, run_at = $1, "
                            "locked_until = 0, locked_by = '', finished_at = 0 WHERE id = $2 AND "
                            "state = 'dead' RETURNING id",
                            "ii", now, id);
    return r;
}

result_t jobs_prune(struct db_conn *c, int64_t before, int64_t *removed)
{
    result_t r = db_begin(c);
    if (r != RES_OK)
        return r;
    r = db_run(c, "DELETE FROM job WHERE state = 'done' AND finished_at < $1", "i", before);
    if (r == RES_OK && removed)
        *removed = db_changes(c);
    return finish_tx(c, r);
}

/* ---- the runner ---- */

struct handler {
    char kind[JOBS_KIND_MAX];
    jobs_handler_fn fn;
    void *ctx;
    int every;    /* > 0: periodic, every that many seconds ... */
    int daily_at; /* ... or, >= 0, daily at this Vietnam wall-clock second */
};

struct jobs {
    struct db *db;
    struct jobs_options o;
    struct handler h[MAX_HANDLERS];
    int nh;
    pthread_t threads[MAX_WORKERS + 1];
    int nthreads;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping, started;
};

static result_t prune_handler(void *ctx, const struct job *j, char *msg, size_t size)
{
    (void)j;
    struct jobs *q = ctx;
    struct db_conn *c = db_conn(q->db);
    int64_t n = 0;
    if (!c)
        return RES_DB;
    result_t r = jobs_prune(c, clock_now() - q->o.keep_done_seconds, &n);
    if (r == RES_OK)
        snprintf(msg, size, "Đã xóa %lld việc đã xong cũ", (long long)n);
    return r;
}

struct jobs *jobs_new(struct db *db, const struct jobs_options *o)
{
    struct jobs *q = xcalloc(1, sizeof(*q));
    q->db = db;
    if (o)
        q->o = *o;
    else
        jobs_options_default(&q->o);
    if (q->o.workers < 0)
        q->o.workers = 0;
    if (q->o.workers > MAX_WORKERS)
        q->o.workers = MAX_WORKERS;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->wake, NULL);
    jobs_register(q, "jobs.prune", prune_handler, q, 3600);
    return q;
}

result_t jobs_register(struct jobs *q, const char *kind, jobs_handler_fn fn, void *ctx, int every)
{
    if (!kind_valid(kind) || !fn || every < 0 || q->started)
        return RES_INVALID;
    for (int i = 0; i < q->nh; i++)
        if (strcmp(q->h[i].kind, kind) == 0)
            return RES_CONFLICT;
    if (q->nh == MAX_HANDLERS)
        return RES_TOO_LARGE;
    struct handler *h = &q->h[q->nh++];
    str_copy(h->kind, kind, sizeof(h->kind));
    h->fn = fn;
    h->ctx = ctx;
    h->every = every;
    h->daily_at = -1;
    return RES_OK;
}

result_t jobs_register_daily(struct jobs *q, const char *kind, jobs_handler_fn fn, void *ctx,
                             int at)
{
    if (at < 0 || at >= 86400)
        return RES_INVALID;
    result_t r = jobs_register(q, kind, fn, ctx, 86400);
    if (r == RES_OK)
        q->h[q->nh - 1].daily_at = at;
    return r;
}

int64_t jobs_next_daily(int64_t t, int at)
{
    const int64_t vn = 7 * 3600; /* UTC+7 all year */
    int64_t local = t + vn;
    int64_t midnight = (local >= 0 ? local / 86400 : (local - 86399) / 86400) * 86400 - vn;
    int64_t next = midnight + at;
    return next > t ? next : next + 86400;
}

static const struct handler *find_handler(const struct jobs *q, const char *kind)
{
    for (int i = 0; i < q->nh; i++)
        if (strcmp(q->h[i].kind, kind) == 0)
            return &q->h[i];
    return NULL;
}

result_t jobs_run_one(struct jobs *q, int64_t now)
{
    struct db_conn *c = db_conn(q->db);
    if (!c)
        return RES_DB;
    struct job j;
    result_t r = jobs_claim(c, now, q->o.lease_seconds, &j);
    if (r != RES_OK)
        return r;
    const struct handler *h = find_handler(q, j.kind);
    char msg[JOBS_MESSAGE_MAX + 1] = "";
    double t0 = clock_mono_ms();
    result_t hr;
    if (!h) {
        /* Perhaps a newer node knows the kind: retried, then dead with this reason. */
        snprintf(msg, sizeof(msg), "Không có bộ xử lý cho loại việc '%s'", j.kind);
        hr = RES_UNSUPPORTED;
    } else {
        hr = h->fn(h->ctx, &j, msg, sizeof(msg));
    }
    int64_t end = clock_now() > now ? clock_now() : now;
    int64_t next_at = !h || h->every <= 0 ? 0
                      : h->daily_at >= 0  ? jobs_next_daily(end, h->daily_at)
                                          : end + h->every;
    if (hr == RES_OK) {
        r = jobs_complete(c, &j, end, msg, next_at);
    } else {
        if (!msg[0])
            snprintf(msg, sizeof(msg), "Lỗi %s", result_name(hr));
        r = jobs_fail(c, &j, end, msg, &q->o, next_at);
    }
    log_msg(hr == RES_OK ? LOG_INFO : LOG_WARN,
            "msg=\"job %s\" id=%lld kind=%s attempt=%d ms=%.0f result=%s",
            hr == RES_OK ? "done" : "failed", (long long)j.id, j.kind, j.attempts,
            clock_mono_ms() - t0, result_name(hr));
    if (r == RES_CONFLICT)
        log_warn("msg=\"job lease lost before it finished\" id=%lld kind=%s", (long long)j.id,
                 j.kind);
    jobs_job_release(&j);
    return r == RES_CONFLICT ? RES_OK : r;
}

result_t jobs_schedule(struct jobs *q, int64_t now)
{
    struct db_conn *c = db_conn(q->db);
    if (!c)
        return RES_DB;
    result_t r = RES_OK;
    for (int i = 0; i < q->nh && r == RES_OK; i++) {
        if (q->h[i].every <= 0)
            continue;
        r = db_begin(c);
        if (r == RES_OK)
            r = finish_tx(c, enqueue_next(c, q->h[i].kind, now));
    }
    return r;
}

/* Waits up to ms on the condition; false once stopping. */
static bool nap(struct jobs *q, long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&q->lock);
    if (!q->stopping)
        pthread_cond_timedwait(&q->wake, &q->lock, &ts);
    bool go = !q->stopping;
    pthread_mutex_unlock(&q->lock);
    return go;
}

static bool running(struct jobs *q)
{
    pthread_mutex_lock(&q->lock);
    bool go = !q->stopping;
    pthread_mutex_unlock(&q->lock);
    return go;
}

static void *worker_main(void *p)
{
    struct jobs *q = p;
    while (running(q)) {
        result_t r = jobs_run_one(q, clock_now());
        if (r == RES_OK)
            continue;
        if (r != RES_NOT_FOUND)
            log_warn("msg=\"job worker: claim failed\" result=%s", result_name(r));
        nap(q, q->o.poll_ms > 0 ? q->o.poll_ms : 1000);
    }
    return NULL;
}

static void *scheduler_main(void *p)
{
    struct jobs *q = p;
    do {
        result_t r = jobs_schedule(q, clock_now());
        if (r != RES_OK)
            log_warn("msg=\"job scheduler tick failed\" result=%s", result_name(r));
        else
            pthread_cond_broadcast(&q->wake); /* something may be due now */
    } while (nap(q, (long)(q->o.tick_seconds > 0 ? q->o.tick_seconds : 30) * 1000));
    return NULL;
}

result_t jobs_start(struct jobs *q)
{
    if (q->started)
        return RES_INVALID;
    q->started = true;
    q->stopping = false;
    if (pthread_create(&q->threads[q->nthreads], NULL, scheduler_main, q) != 0)
        return RES_INTERNAL;
    q->nthreads++;
    for (int i = 0; i < q->o.workers; i++) {
        if (pthread_create(&q->threads[q->nthreads], NULL, worker_main, q) != 0) {
            jobs_stop(q);
            return RES_INTERNAL;
        }
        q->nthreads++;
    }
    log_info("msg=\"job workers started\" workers=%d kinds=%d", q->o.workers, q->nh);
    return RES_OK;
}

void jobs_stop(struct jobs *q)
{
    if (!q || !q->started)
        return;
    pthread_mutex_lock(&q->lock);
    q->stopping = true;
    pthread_cond_broadcast(&q->wake);
    pthread_mutex_unlock(&q->lock);
    for (int i = 0; i < q->nthreads; i++)
        pthread_join(q->threads[i], NULL);
    q->nthreads = 0;
    q->started = false;
    log_info("msg=\"job workers stopped\"");
}

void jobs_free(struct jobs *q)
{
    if (!q)
        return;
    jobs_stop(q);
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->wake);
    free(q);
}
