/* The job queue: enqueue inside the caller's transaction, claims with leases, retries
 * with back-off, the dead-letter state, dedupe keys, periodic jobs, and worker threads
 * that never run one job twice. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "db/db.h"
#include "jobs/jobs.h"
#include "util/clock.h"

static char path[256];
static struct db *db;
static struct jobs_options opts;

static int64_t count_where(const char *state)
{
    int64_t n = -1;
    db_one_i64(db_conn(db), &n, "SELECT COUNT(*) FROM job WHERE ($1 = '' OR state = $1)", "t",
               state);
    return n;
}

static int64_t enqueue(const char *kind, const char *key, int max_attempts)
{
    struct db_conn *c = db_conn(db);
    int64_t id = -1;
    struct jobs_enqueue e = {
        .kind = kind, .payload = "{\"n\":1}", .dedupe_key = key, .max_attempts = max_attempts};
    CHECK_INT(db_begin(c), RES_OK);
    CHECK_INT(jobs_enqueue(c, &e, &id), RES_OK);
    CHECK_INT(db_commit(c), RES_OK);
    return id;
}

static void clear(void)
{
    CHECK_INT(db_run(db_conn(db), "DELETE FROM job", ""), RES_OK);
}

TEST(enqueue_in_rolled_back_transaction_leaves_no_job)
{
    struct db_conn *c = db_conn(db);
    int64_t id = 0;
    clear();
    struct jobs_enqueue e = {.kind = "test.work"};
    CHECK_INT(db_begin(c), RES_OK);
    CHECK_INT(jobs_enqueue(c, &e, &id), RES_OK);
    CHECK(id > 0);
    CHECK_INT(db_rollback(c), RES_OK);
    CHECK_INT(count_where(""), 0);
    CHECK(enqueue("test.work", NULL, 0) > 0);
    CHECK_INT(count_where("pending"), 1);
    /* bad input: nothing inserted */
    struct jobs_enqueue bad[] = {{.kind = "Bad Kind"}, {.kind = ""}, {.kind = "x", .payload = "{"}};
    for (size_t i = 0; i < 3; i++)
        CHECK_INT(jobs_enqueue(c, &bad[i], &id), RES_INVALID);
    CHECK_INT(count_where(""), 1);
}

TEST(claim_and_complete)
{
    struct db_conn *c = db_conn(db);
    clear();
    int64_t id = enqueue("test.work", NULL, 0), now = clock_now();
    struct job j, other;
    CHECK_INT(jobs_claim(c, now, 60, &j), RES_OK);
    CHECK_INT(j.id, id);
    CHECK_STR(j.kind, "test.work");
    CHECK_STR(j.payload, "{\"n\":1}");
    CHECK_INT(j.attempts, 1);
    CHECK_INT(jobs_claim(c, now, 60, &other), RES_NOT_FOUND); /* leased */
    CHECK_INT(jobs_complete(c, &j, now, "Đã xong 3 việc", 0), RES_OK);
    CHECK_INT(count_where("done"), 1);
    json_t *rows = NULL;
    CHECK_INT(jobs_list(c, "done", 10, &rows), RES_OK);
    CHECK_INT(json_array_size(rows), 1);
    CHECK_STR(json_string_value(json_object_get(json_array_get(rows, 0), "result")),
              "Đã xong 3 việc");
    json_decref(rows);
    CHECK_INT(jobs_complete(c, &j, now, "again", 0), RES_CONFLICT); /* not running any more */
    jobs_job_release(&j);
    /* not due yet */
    struct jobs_enqueue later = {.kind = "test.later", .run_at = now + 100};
    int64_t lid = 0;
    CHECK_INT(jobs_enqueue(c, &later, &lid), RES_OK);
    CHECK_INT(jobs_claim(c, now + 99, 60, &j), RES_NOT_FOUND);
    CHECK_INT(jobs_claim(c, now + 100, 60, &j), RES_OK);
    CHECK_INT(j.id, lid);
    jobs_job_release(&j);
}

TEST(retry_with_backoff_then_dead_letter)
{
    struct db_conn *c = db_conn(db);
    clear();
    int64_t id = enqueue("test.flaky", NULL, 3), t = clock_now();
    struct job j;
    CHECK_INT(jobs_claim(c, t, 60, &j), RES_OK);
    CHECK_INT(jobs_fail(c, &j, t, "máy chủ nhận không trả lời", &opts, 0), RES_OK);
    jobs_job_release(&j);
    CHECK_INT(count_where("pending"), 1);
    CHECK_INT(jobs_claim(c, t + 9, 60, &j), RES_NOT_FOUND); /* back-off: 10 s */
    CHECK_INT(jobs_claim(c, t + 10, 60, &j), RES_OK);
    CHECK_INT(j.attempts, 2);
    t += 10;
    CHECK_INT(jobs_fail(c, &j, t, "lần 2", &opts, 0), RES_OK);
    jobs_job_release(&j);
    CHECK_INT(jobs_claim(c, t + 19, 60, &j), RES_NOT_FOUND); /* then 20 s */
    CHECK_INT(jobs_claim(c, t + 20, 60, &j), RES_OK);
    CHECK_INT(j.attempts, 3);
    CHECK_INT(jobs_fail(c, &j, t + 20, "lần cuối: từ chối", &opts, 0), RES_OK);
    jobs_job_release(&j);
    CHECK_INT(count_where("dead"), 1);
    CHECK_INT(jobs_claim(c, t + 100000, 60, &j), RES_NOT_FOUND); /* dead jobs never run */

    json_t *counts = NULL, *rows = NULL;
    CHECK_INT(jobs_counts(c, &counts), RES_OK);
    CHECK_INT(json_integer_value(json_object_get(counts, "dead")), 1);
    CHECK_INT(json_integer_value(json_object_get(counts, "pending")), 0);
    json_decref(counts);
    CHECK_INT(jobs_list(c, "dead", 10, &rows), RES_OK);
    json_t *row = json_array_get(rows, 0);
    CHECK_INT(json_integer_value(json_object_get(row, "id")), id);
    CHECK_INT(json_integer_value(json_object_get(row, "attempts")), 3);
    CHECK_STR(json_string_value(json_object_get(row, "last_error")), "lần cuối: từ chối");
    CHECK(strstr(json_string_value(json_object_get(row, "finished_at_display")), "ngày") != NULL);
    json_decref(rows);
    CHECK_INT(jobs_list(c, "bogus", 10, &rows), RES_INVALID);

    /* an administrator's retry: pending again, from attempt 1 */
    CHECK_INT(jobs_retry(c, id, t + 30), RES_OK);
    CHECK_INT(jobs_retry(c, id, t + 30), RES_NOT_FOUND); /* no longer dead */
    CHECK_INT(jobs_claim(c, t + 30, 60, &j), RES_OK);
    CHECK_INT(j.attempts, 1);
    jobs_job_release(&j);
}

TEST(backoff_doubles_up_to_cap)
{
    struct jobs_options o;
    jobs_options_default(&o);
    CHECK_INT(jobs_backoff(&o, 1), 30);
    CHECK_INT(jobs_backoff(&o, 2), 60);
    CHECK_INT(jobs_backoff(&o, 3), 120);
    CHECK_INT(jobs_backoff(&o, 30), 3600);
}

TEST(lease_expiry_makes_job_claimable_again)
{
    struct db_conn *c = db_conn(db);
    clear();
    int64_t id = enqueue("test.work", NULL, 0), t = clock_now();
    struct job first, second, none;
    CHECK_INT(jobs_claim(c, t, 60, &first), RES_OK);
    CHECK_INT(jobs_claim(c, t + 59, 60, &none), RES_NOT_FOUND);
    /* the node holding it "died": after the lease anyone may take it */
    CHECK_INT(jobs_claim(c, t + 61, 60, &second), RES_OK);
    CHECK_INT(second.id, id);
    CHECK_INT(second.attempts, 2);
    CHECK(strcmp(first.token, second.token) != 0);
    CHECK_INT(jobs_complete(c, &first, t + 62, "late", 0), RES_CONFLICT); /* lost its lease */
    CHECK_INT(jobs_fail(c, &first, t + 62, "late", &opts, 0), RES_CONFLICT);
    CHECK_INT(jobs_complete(c, &second, t + 62, "ok", 0), RES_OK);
    CHECK_INT(count_where("done"), 1);
    jobs_job_release(&first);
    jobs_job_release(&second);

    /* a lease that expires on the last allowed attempt ends in the dead-letter state */
    id = enqueue("test.hang", NULL, 1);
    CHECK_INT(jobs_claim(c, t, 60, &first), RES_OK);
    CHECK_INT(jobs_claim(c, t + 61, 60, &none), RES_NOT_FOUND);
    CHECK_INT(count_where("dead"), 1);
    jobs_job_release(&first);
}

TEST(dedupe_key_unique_among_pending)
{
    struct db_conn *c = db_conn(db);
    clear();
    int64_t a = enqueue("test.periodic", "periodic:test", 0);
    CHECK(a > 0);
    CHECK_INT(enqueue("test.periodic", "periodic:test", 0), 0); /* a second node's tick */
    CHECK_INT(count_where(""), 1);
    struct job j;
    int64_t t = clock_now();
    CHECK_INT(jobs_claim(c, t, 60, &j), RES_OK);
    CHECK_INT(enqueue("test.periodic", "periodic:test", 0), 0); /* running holds the key */
    CHECK_INT(jobs_complete(c, &j, t, "", 0), RES_OK);
    jobs_job_release(&j);
    int64_t b = enqueue("test.periodic", "periodic:test", 0); /* done frees it */
    CHECK(b > a);
    CHECK(enqueue("test.periodic", "other", 0) > 0);
    /* retrying a dead job whose key a pending job holds is a conflict, not a double */
    CHECK_INT(db_run(c, "UPDATE job SET state = 'dead' WHERE id = $1", "i", b), RES_OK);
    int64_t d = enqueue("test.periodic", "periodic:test", 0);
    CHECK(d > 0);
    CHECK_INT(jobs_retry(c, b, t), RES_CONFLICT);
}

TEST(dialect_token_expanded)
{
    int64_t v = 0;
    /* SQLite serialises writers: the token is empty there */
    CHECK_INT(
        db_one_i64(db_conn(db), &v, "SELECT 7 FROM schema_version LIMIT 1 {{SKIP_LOCKED}}", ""),
        RES_OK);
    CHECK_INT(v, 7);
}

/* ---- handlers and the runner ---- */

#define NJOBS 60
static atomic_int runs[NJOBS + 200];
static atomic_int total_runs;

static result_t count_handler(void *ctx, const struct job *j, char *msg, size_t size)
{
    (void)ctx;
    if (j->id > 0 && j->id < NJOBS + 200)
        atomic_fetch_add(&runs[j->id], 1);
    atomic_fetch_add(&total_runs, 1);
    snprintf(msg, size, "ran %lld", (long long)j->id);
    return RES_OK;
}

static result_t failing_handler(void *ctx, const struct job *j, char *msg, size_t size)
{
    (void)ctx;
    (void)j;
    snprintf(msg, size, "không gửi được");
    return RES_IO;
}

static void *drain(void *p)
{
    struct jobs *q = p;
    while (jobs_run_one(q, clock_now()) == RES_OK)
        ;
    return NULL;
}

TEST(two_workers_never_run_the_same_job)
{
    clear();
    struct jobs *q = jobs_new(db, &opts);
    CHECK_INT(jobs_register(q, "test.count", count_handler, NULL, 0), RES_OK);
    CHECK_INT(jobs_register(q, "test.count", count_handler, NULL, 0), RES_CONFLICT);
    int64_t first = 0;
    for (int i = 0; i < NJOBS; i++) {
        int64_t id = enqueue("test.count", NULL, 0);
        if (!first)
            first = id;
    }
    memset(runs, 0, sizeof(runs));
    atomic_store(&total_runs, 0);
    pthread_t t1, t2;
    pthread_create(&t1, NULL, drain, q);
    pthread_create(&t2, NULL, drain, q);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    CHECK_INT(atomic_load(&total_runs), NJOBS);
    int twice = 0, never = 0;
    for (int64_t id = first; id < first + NJOBS && id < NJOBS + 200; id++) {
        twice += atomic_load(&runs[id]) > 1;
        never += atomic_load(&runs[id]) == 0;
    }
    CHECK_INT(twice, 0);
    CHECK_INT(never, 0);
    CHECK_INT(count_where("done"), NJOBS);
    jobs_free(q);
}

TEST(periodic_jobs_and_failures_through_the_runner)
{
    clear();
    struct jobs *q = jobs_new(db, &opts);
    CHECK_INT(jobs_register(q, "test.tick", count_handler, NULL, 60), RES_OK);
    CHECK_INT(jobs_register(q, "test.fails", failing_handler, NULL, 0), RES_OK);
    int64_t now = clock_now();
    CHECK_INT(jobs_schedule(q, now), RES_OK);
    CHECK_INT(jobs_schedule(q, now), RES_OK); /* ticks of several nodes: still one */
    int64_t n = 0;
    struct db_conn *c = db_conn(db);
    CHECK_INT(db_one_i64(c, &n, "SELECT COUNT(*) FROM job WHERE kind = 'test.tick'", ""), RES_OK);
    CHECK_INT(n, 1);
    /* the built-in prune of old done jobs is periodic too */
    CHECK_INT(db_one_i64(c, &n, "SELECT COUNT(*) FROM job WHERE kind = 'jobs.prune'", ""), RES_OK);
    CHECK_INT(n, 1);
    while (jobs_run_one(q, now) == RES_OK)
        ;
    /* after its run the next one waits a period later, on the same key */
    CHECK_INT(db_one_i64(c, &n,
                         "SELECT run_at FROM job WHERE kind = 'test.tick' AND state = 'pending'",
                         ""),
              RES_OK);
    CHECK(n >= now + 60 && n <= clock_now() + 60);
    CHECK_INT(jobs_run_one(q, now + 59), RES_NOT_FOUND);

    /* a failing handler: its message is the job's last error; unknown kinds fail too */
    int64_t fid = enqueue("test.fails", NULL, 1);
    enqueue("test.nobody", NULL, 1);
    CHECK_INT(jobs_run_one(q, clock_now() + 5), RES_OK);
    CHECK_INT(jobs_run_one(q, clock_now() + 5), RES_OK);
    json_t *rows = NULL;
    CHECK_INT(jobs_list(c, "dead", 10, &rows), RES_OK);
    CHECK_INT(json_array_size(rows), 2);
    size_t i;
    json_t *row;
    int seen = 0;
    json_array_foreach(rows, i, row)
    {
        const char *err = json_string_value(json_object_get(row, "last_error"));
        if (json_integer_value(json_object_get(row, "id")) == fid)
            seen += strcmp(err, "không gửi được") == 0;
        else
            seen += strstr(err, "test.nobody") != NULL;
    }
    CHECK_INT(seen, 2);
    json_decref(rows);
    jobs_free(q);
}

TEST(daily_jobs_at_a_vietnam_wall_clock_time)
{
    /* 2026-12-02T00:30:00Z is 07:30 in Vietnam (UTC+7, no daylight saving) */
    const int64_t t0730 = 1796171400, at = 7 * 3600 + 30 * 60;
    CHECK(jobs_next_daily(t0730 - 1, at) == t0730);     /* 07:29:59 -> today */
    CHECK(jobs_next_daily(t0730, at) == t0730 + 86400); /* on the dot -> tomorrow */
    CHECK(jobs_next_daily(t0730 + 3600, at) == t0730 + 86400);
    /* 23:30 local is 16:30Z the same UTC day; 00:10 local is still the previous UTC day */
    CHECK(jobs_next_daily(t0730 + 16 * 3600, at) == t0730 + 86400);
    CHECK(jobs_next_daily(t0730 - 7 * 3600 - 20 * 60, at) == t0730);
    CHECK(jobs_next_daily(0, 0) == 17 * 3600); /* the epoch is 07:00 in Vietnam */
    CHECK(jobs_next_daily(-100000, at) < 0);   /* before 1970 too, without a gap */

    clear();
    struct jobs *q = jobs_new(db, &opts);
    CHECK_INT(jobs_register_daily(q, "test.daily", count_handler, NULL, 86400), RES_INVALID);
    CHECK_INT(jobs_register_daily(q, "test.daily", count_handler, NULL, -1), RES_INVALID);
    CHECK_INT(jobs_register_daily(q, "test.daily", count_handler, NULL, (int)at), RES_OK);
    int64_t now = clock_now(), n = 0;
    CHECK_INT(jobs_schedule(q, now), RES_OK); /* the first run is due at once */
    struct db_conn *c = db_conn(db);
    CHECK_INT(db_one_i64(c, &n,
                         "SELECT COUNT(*) FROM job WHERE kind = 'test.daily' AND run_at <= $1", "i",
                         now),
              RES_OK);
    CHECK_INT(n, 1);
    while (jobs_run_one(q, now) == RES_OK)
        ;
    /* the next run waits for the next 07:30 in Vietnam */
    CHECK_INT(db_one_i64(c, &n,
                         "SELECT run_at FROM job WHERE kind = 'test.daily' AND state = 'pending'",
                         ""),
              RES_OK);
    CHECK(n == jobs_next_daily(clock_now(), (int)at) || n == jobs_next_daily(now, (int)at));
    CHECK(n > now && n <= now + 86400 + 5);
    CHECK(((n + 7 * 3600) % 86400) == at);
    jobs_free(q);
}

TEST(runner_threads_start_and_stop)
{
    clear();
    struct jobs_options o = opts;
    o.workers = 2;
    o.poll_ms = 20;
    struct jobs *q = jobs_new(db, &o);
    CHECK_INT(jobs_register(q, "test.count", count_handler, NULL, 0), RES_OK);
    CHECK_INT(jobs_start(q), RES_OK);
    CHECK_INT(jobs_register(q, "test.late", count_handler, NULL, 0), RES_INVALID);
    for (int i = 0; i < 5; i++)
        enqueue("test.count", NULL, 0);
    for (int i = 0; i < 250 && count_where("done") < 5; i++) {
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    CHECK(count_where("done") >= 5); /* plus the built-in prune, run at start */
    double t0 = clock_mono_ms();
    jobs_stop(q);
    CHECK(clock_mono_ms() - t0 < 2000); /* stop does not wait for a poll or tick */
    jobs_free(q);
}

int main(void)
{
    snprintf(path, sizeof(path), "/tmp/qlvb-test-jobs-%d.db", (int)getpid());
    unlink(path);
    char url[300];
    snprintf(url, sizeof(url), "sqlite:%s", path);
    CHECK_INT(db_open(url, &db), RES_OK);
    CHECK_INT(db_migrate(db), RES_OK);
    jobs_options_default(&opts);
    opts.backoff_base = 10;
    RUN(enqueue_in_rolled_back_transaction_leaves_no_job);
    RUN(claim_and_complete);
    RUN(retry_with_backoff_then_dead_letter);
    RUN(backoff_doubles_up_to_cap);
    RUN(lease_expiry_makes_job_claimable_again);
    RUN(dedupe_key_unique_among_pending);
    RUN(dialect_token_expanded);
    RUN(two_workers_never_run_the_same_job);
    RUN(periodic_jobs_and_failures_through_the_runner);
    RUN(daily_jobs_at_a_vietnam_wall_clock_time);
    RUN(runner_threads_start_and_stop);
    db_close(db);
    char f[320];
    unlink(path);
    snprintf(f, sizeof(f), "%s-wal", path);
    unlink(f);
    snprintf(f, sizeof(f), "%s-shm", path);
    unlink(f);
    return CHECK_DONE("test_jobs");
}
