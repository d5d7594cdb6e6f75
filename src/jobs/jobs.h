/* The durable job queue: work that runs after the request that caused it, or on a
 * schedule. Jobs are rows of the `job` table, so an enqueue commits or rolls back with
 * the caller's transaction, and several server nodes share one queue: a worker claims a
 * job with a lease (locked_until; FOR UPDATE SKIP LOCKED on PostgreSQL), a job whose
 * node died is claimed again when the lease expires, a failure is retried with
 * exponential back-off, and after max_attempts the job is dead with its last error.
 *
 * jobs/ sits beside db/: it knows nothing of the domain. Handlers are registered by
 * kind with an opaque context (the app); core/housekeeping.c registers the built-in
 * sweeps. */
#ifndef QLVB_JOBS_H
#define QLVB_JOBS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/result.h"

struct db;
struct db_conn;

#define JOBS_KIND_MAX     64
#define JOBS_PAYLOAD_MAX  (64 * 1024)
#define JOBS_MESSAGE_MAX  500 /* bytes of a handler's result or error text */
#define JOBS_MAX_ATTEMPTS 5   /* default of jobs_enqueue */

struct jobs_options {
    int workers;           /* threads started by jobs_start (default 2) */
    int lease_seconds;     /* a claim lasts this long (default 300) */
    int backoff_base;      /* seconds before the first retry; doubles each time (30) */
    int backoff_max;       /* cap of the back-off (3600) */
    int poll_ms;           /* idle worker poll interval (1000) */
    int tick_seconds;      /* scheduler interval: periodic jobs are ensured (30) */
    int keep_done_seconds; /* done jobs are pruned after this (7 days) */
};
void jobs_options_default(struct jobs_options *o);

struct job {
    int64_t id;
    char kind[JOBS_KIND_MAX];
    char *payload; /* JSON text, owned (jobs_job_release) */
    int attempts;  /* including this one */
    int max_attempts;
    char token[33]; /* the claim's lease token */
};
void jobs_job_release(struct job *j);

struct jobs_enqueue {
    const char *kind;       /* [a-z0-9._-], at most JOBS_KIND_MAX - 1 bytes */
    const char *payload;    /* JSON text; NULL = "{}" */
    int64_t run_at;         /* unix seconds; 0 = now */
    const char *dedupe_key; /* NULL = none; else unique among pending and running jobs */
    int max_attempts;       /* 0 = JOBS_MAX_ATTEMPTS */
};
/* Inside the caller's transaction. *id gets the new job's id, or 0 when a pending or
 * running job with the same dedupe key exists (nothing inserted; RES_OK). */
result_t jobs_enqueue(struct db_conn *c, const struct jobs_enqueue *e, int64_t *id);

/* ---- the worker protocol (used by the runner; public for tests and tools) ---- */

/* Claims one due job for `lease` seconds at time `now`: RES_OK with j filled,
 * RES_NOT_FOUND when nothing is due. Runs its own short transaction. Jobs whose lease
 * expired after their last attempt become dead here. */
result_t jobs_claim(struct db_conn *c, int64_t now, int lease, struct job *j);
/* Ends a claim. complete: done with a short result text. fail: pending again at
 * now + back-off, or dead after max_attempts. Both answer RES_CONFLICT when the lease
 * was lost (expired and claimed again), and change nothing then. `next_at` > 0 also
 * enqueues the next run of a periodic job (dedupe key "periodic:<kind>") in the same
 * transaction. */
result_t jobs_complete(struct db_conn *c, const struct job *j, int64_t now, const char *result,
                       int64_t next_at);
result_t jobs_fail(struct db_conn *c, const struct job *j, int64_t now, const char *error,
                   const struct jobs_options *o, int64_t next_at);
/* Seconds to wait before attempt `attempts + 1`. */
int64_t jobs_backoff(const struct jobs_options *o, int attempts);

/* ---- administration ---- */

/* {"pending": n, "running": n, "done": n, "dead": n} */
result_t jobs_counts(struct db_conn *c, json_t **out);
/* Newest first; state NULL = every state. Rows: id, kind, state, attempts,
 * max_attempts, run_at, created_at, started_at, finished_at, locked_until, last_error,
 * result, dedupe_key (times as unix seconds). */
result_t jobs_list(struct db_conn *c, const char *state, int limit, json_t **out);
/* A dead job back to pending, attempts reset, due now. RES_NOT_FOUND if no such dead
 * job; RES_CONFLICT if a pending job holds its dedupe key. Caller's transaction. */
result_t jobs_retry(struct db_conn *c, int64_t id, int64_t now);
/* Deletes done jobs finished before `before`. */
result_t jobs_prune(struct db_conn *c, int64_t before, int64_t *removed);

/* ---- handlers and the runner ---- */

/* Runs one job. Returns RES_OK (message: a short result) or an error (message: why;
 * the job is retried). ctx is the pointer given at registration. */
typedef result_t (*jobs_handler_fn)(void *ctx, const struct job *j, char *message, size_t size);

struct jobs;
struct jobs *jobs_new(struct db *db, const struct jobs_options *o);
/* Registers a handler; `every` > 0 makes the kind periodic (every that many seconds,
 * kept single across nodes by its dedupe key). Before jobs_start. */
result_t jobs_register(struct jobs *q, const char *kind, jobs_handler_fn fn, void *ctx, int every);
/* A periodic kind run once a day at a wall-clock time of Vietnam (UTC+7, no daylight
 * saving): `at` seconds after local midnight, 0 <= at < 86400 (07:30 = 27000). The first run
 * is due at once (a node that starts late in the day still runs today's); each next one at
 * the first such time after the run ends. Before jobs_start. */
result_t jobs_register_daily(struct jobs *q, const char *kind, jobs_handler_fn fn, void *ctx,
                             int at);
/* The first instant after `t` (unix seconds) whose Vietnam wall clock reads `at`. */
int64_t jobs_next_daily(int64_t t, int at);
/* Runs the claim-handle-finish cycle once on the calling thread: RES_OK if a job ran,
 * RES_NOT_FOUND if none was due. */
result_t jobs_run_one(struct jobs *q, int64_t now);
/* Ensures each periodic kind has a pending or running job (first one due now). */
result_t jobs_schedule(struct jobs *q, int64_t now);
/* Starts the worker threads and the scheduler; jobs_stop lets running handlers finish,
 * joins the threads (call it before the database closes). */
result_t jobs_start(struct jobs *q);
void jobs_stop(struct jobs *q);
void jobs_free(struct jobs *q); /* stops first if running; NULL is fine */

#endif
