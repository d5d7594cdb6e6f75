/* The group commit's durability barrier (src/db/db_sync.h; issue 11 "Crash safety":
 * every acknowledged registration survives a crash, standards.md §2 numbering): each
 * waiter returns only after a sync that started once its commit was written; commits
 * arriving during a sync share the next one; a replaced or missing log file; a failed
 * sync refuses every later acknowledgement; and SQLite through db.h committing with
 * the barrier (synchronous=NORMAL, every commit counted as durable). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "db/db.h"
#include "db/db_sync.h"

/* ---- an instrumented sync: the test's own log of writes and of what each sync covered */

static pthread_mutex_t writer = PTHREAD_MUTEX_INITIALIZER; /* the one writer's turn */
static uint64_t written;                                   /* records "written", under writer */
static uint64_t synced_upto; /* every record up to this one was written before a completed sync */
static uint64_t nsyncs;
static int uncovered; /* waiters that returned before a sync covered their record */

static int slow_sync(void *ctx)
{
    (void)ctx;
    uint64_t covered = __atomic_load_n(&written, __ATOMIC_SEQ_CST); /* before the "fsync" */
    usleep(400);
    if (covered > __atomic_load_n(&synced_upto, __ATOMIC_SEQ_CST))
        __atomic_store_n(&synced_upto, covered, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&nsyncs, 1, __ATOMIC_SEQ_CST);
    return 0;
}

#define THREADS 16
#define PER     150

static void *committer(void *arg)
{
    struct db_sync *s = arg;
    for (int i = 0; i < PER; i++) {
        pthread_mutex_lock(&writer);
        uint64_t mine = __atomic_add_fetch(&written, 1, __ATOMIC_SEQ_CST);
        uint64_t seq = db_sync_committed(s);
        pthread_mutex_unlock(&writer);
        if (db_sync_wait(s, seq) != RES_OK ||
            __atomic_load_n(&synced_upto, __ATOMIC_SEQ_CST) < mine)
            __atomic_fetch_add(&uncovered, 1, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

TEST(every_waiter_returns_after_a_sync_covering_its_commit)
{
    written = synced_upto = nsyncs = 0;
    uncovered = 0;
    struct db_sync *s = db_sync_new_fn(slow_sync, NULL);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, committer, s);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    struct db_sync_stats st;
    db_sync_stats(s, &st);
    CHECK_INT(uncovered, 0);
    CHECK_INT((long long)st.commits, THREADS * PER);
    CHECK_INT((long long)st.durable, THREADS * PER);
    CHECK_INT((long long)st.syncs, (long long)nsyncs);
    CHECK_INT(st.waiting, 0);
    /* grouped: 16 writers queue behind each 0.4 ms sync */
    fprintf(stderr, "  %d commits, %llu syncs\n", THREADS * PER, (unsigned long long)st.syncs);
    CHECK(st.syncs < (uint64_t)(THREADS * PER) / 2);
    db_sync_free(s);
}

/* ---- the commits that arrive during one sync share exactly one more */

static pthread_mutex_t hold_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hold_cv = PTHREAD_COND_INITIALIZER;
static bool held, release_first;
static int calls;

static int held_sync(void *ctx)
{
    (void)ctx;
    pthread_mutex_lock(&hold_mu);
    if (calls++ == 0) { /* the first sync waits until the test lets it finish */
        held = true;
        pthread_cond_broadcast(&hold_cv);
        while (!release_first)
            pthread_cond_wait(&hold_cv, &hold_mu);
    }
    pthread_mutex_unlock(&hold_mu);
    return 0;
}

static void *one_commit(void *arg)
{
    struct db_sync *s = arg;
    uint64_t seq = db_sync_committed(s);
    return (void *)(intptr_t)db_sync_wait(s, seq);
}

TEST(commits_during_a_sync_share_the_next_one)
{
    calls = 0;
    held = release_first = false;
    struct db_sync *s = db_sync_new_fn(held_sync, NULL);
    pthread_t first, rest[7];
    pthread_create(&first, NULL, one_commit, s);
    pthread_mutex_lock(&hold_mu);
    while (!held)
        pthread_cond_wait(&hold_cv, &hold_mu);
    pthread_mutex_unlock(&hold_mu);
    for (int i = 0; i < 7; i++)
        pthread_create(&rest[i], NULL, one_commit, s);
    struct db_sync_stats st;
    for (int i = 0; i < 5000; i++) { /* all eight waiting: the leader and seven behind it */
        db_sync_stats(s, &st);
        if (st.waiting == 8)
            break;
        usleep(1000);
    }
    CHECK_INT(st.waiting, 8);
    CHECK_INT((long long)st.durable, 0); /* nobody returned during the first sync */
    pthread_mutex_lock(&hold_mu);
    release_first = true;
    pthread_cond_broadcast(&hold_cv);
    pthread_mutex_unlock(&hold_mu);
    void *rv = NULL;
    pthread_join(first, &rv);
    CHECK_INT((int)(intptr_t)rv, RES_OK);
    for (int i = 0; i < 7; i++) {
        pthread_join(rest[i], &rv);
        CHECK_INT((int)(intptr_t)rv, RES_OK);
    }
    db_sync_stats(s, &st);
    CHECK_INT((long long)st.syncs, 2); /* the held one (covering the first), then one for 7 */
    CHECK_INT((long long)st.durable, 8);
    db_sync_free(s);
}

/* ---- a failed sync: nothing acknowledged from then on */

static int failing_sync(void *ctx)
{
    int *fail = ctx;
    return *fail ? EIO : 0;
}

TEST(a_failed_sync_refuses_every_later_acknowledgement)
{
    int fail = 0;
    struct db_sync *s = db_sync_new_fn(failing_sync, &fail);
    uint64_t a = db_sync_committed(s);
    CHECK_INT(db_sync_wait(s, a), RES_OK);
    CHECK(!db_sync_broken(s));
    fail = EIO;
    uint64_t b = db_sync_committed(s);
    CHECK_INT(db_sync_wait(s, b), RES_IO);
    fail = 0; /* a later sync that would succeed does not make b durable */
    uint64_t c = db_sync_committed(s);
    CHECK_INT(db_sync_wait(s, c), RES_IO);
    CHECK_INT(db_sync_wait(s, a), RES_OK); /* covered before the failure */
    struct db_sync_stats st;
    db_sync_stats(s, &st);
    CHECK_INT(st.failed, EIO);
    CHECK(db_sync_broken(s)); /* db_begin refuses from now on */
    db_sync_free(s);
}

/* ---- the file variant: the log replaced or missing */

static void make_file(const char *p)
{
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK_INT((int)write(fd, "frame", 5), 5);
    close(fd);
}

TEST(a_replaced_or_missing_log_is_opened_again)
{
    char p[128];
    snprintf(p, sizeof(p), "/tmp/qlvb-test-sync-%d-wal", (int)getpid());
    make_file(p);
    struct db_sync *s = db_sync_new(p);
    struct db_sync_stats st;
    CHECK_INT(db_sync_wait(s, db_sync_committed(s)), RES_OK);
    CHECK_INT(db_sync_wait(s, db_sync_committed(s)), RES_OK);
    db_sync_stats(s, &st);
    CHECK_INT((long long)st.reopens, 1); /* the same inode: kept open */
    CHECK_INT((long long)st.syncs, 2);
    unlink(p); /* SQLite deleted the log (after its checkpoint) and made a new one */
    make_file(p);
    CHECK_INT(db_sync_wait(s, db_sync_committed(s)), RES_OK);
    db_sync_stats(s, &st);
    CHECK_INT((long long)st.reopens, 2);
    unlink(p); /* no log at all */
    CHECK_INT(db_sync_wait(s, db_sync_committed(s)), RES_OK);
    db_sync_stats(s, &st);
    CHECK_INT((long long)st.syncs, 4);
    CHECK_INT((long long)st.durable, 4);
    db_sync_free(s);
}

/* ---- SQLite through db.h */

static struct db *db;

static result_t insert_one(struct db_conn *c, void *arg)
{
    return db_run(c, "INSERT INTO t (v) VALUES ($1)", "i", *(int64_t *)arg);
}

static void *db_writer(void *arg)
{
    int64_t base = (int64_t)(intptr_t)arg;
    for (int64_t i = 0; i < 40; i++) {
        int64_t v = base * 1000 + i;
        if (db_tx(db, insert_one, &v) != RES_OK)
            return (void *)1;
        struct db_sync_stats st; /* returned: a sync covered this commit */
        if (!db_group_commit_stats(db, &st) || st.durable == 0)
            return (void *)1;
    }
    return NULL;
}

TEST(sqlite_commits_through_the_barrier)
{
    char path[128], url[160], side[160];
    snprintf(path, sizeof(path), "/tmp/qlvb-test-dbsync-%d.db", (int)getpid());
    snprintf(url, sizeof(url), "sqlite:%s", path);
    unlink(path);
    CHECK_INT(db_open(url, &db), RES_OK);
    CHECK_INT(db_exec(db_conn(db), "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)"), RES_OK);
    int64_t sync = -1;
    CHECK_INT(db_one_i64(db_conn(db), &sync, "PRAGMA synchronous", ""), RES_OK);
    CHECK_INT((int)sync, 1); /* NORMAL: the barrier syncs */
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        pthread_create(&t[i], NULL, db_writer, (void *)(intptr_t)(i + 1));
    int bad = 0;
    for (int i = 0; i < 8; i++) {
        void *rv = NULL;
        pthread_join(t[i], &rv);
        bad += rv != NULL;
    }
    CHECK_INT(bad, 0);
    struct db_sync_stats st;
    CHECK(db_group_commit_stats(db, &st));
    /* every unit committed once: alone, or with others in a combined transaction */
    uint64_t batches = 0, units = 0;
    db_combine_stats(db, &batches, &units);
    CHECK_INT((long long)(st.commits - batches + units), 320);
    CHECK_INT((long long)st.durable, (long long)st.commits);
    CHECK(st.syncs >= 1 && st.syncs <= st.commits);
    CHECK_INT((long long)st.reopens, 1);
    int64_t n = 0;
    CHECK_INT(db_one_i64(db_conn(db), &n, "SELECT COUNT(*) FROM t", ""), RES_OK);
    CHECK_INT((int)n, 320);
    db_close(db);
    /* QLVB_DB_GROUP_COMMIT=0: every COMMIT syncs itself (FULL), no barrier */
    setenv("QLVB_DB_GROUP_COMMIT", "0", 1);
    CHECK_INT(db_open(url, &db), RES_OK);
    CHECK(!db_group_commit_stats(db, &st));
    CHECK_INT(db_one_i64(db_conn(db), &sync, "PRAGMA synchronous", ""), RES_OK);
    CHECK_INT((int)sync, 2);
    db_close(db);
    unsetenv("QLVB_DB_GROUP_COMMIT");
    unlink(path);
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

int main(void)
{
    RUN(every_waiter_returns_after_a_sync_covering_its_commit);
    RUN(commits_during_a_sync_share_the_next_one);
    RUN(a_failed_sync_refuses_every_later_acknowledgement);
    RUN(a_replaced_or_missing_log_is_opened_again);
    RUN(sqlite_commits_through_the_barrier);
    return CHECK_DONE("test_db_sync");
}
