/* The drivers behind db.h, each case on SQLite and (when QLVB_TEST_PG names a
 * PostgreSQL server, as tests/run.sh does) again on PostgreSQL: migrations, $N binding
 * (repeats, out-of-order use, typed "$1 = 0 OR" filters), blobs, constraint mapping,
 * transactions, RETURNING, statement cache, threads, reconnect after the server drops
 * the connection; and the audit hash chain on top of it. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "util/embedded.h"
#include "core/audit.h"
#include "core/tx.h"
#include "db/db.h"
#include "util/embedded.h"

static char path[256];
static struct db *db;
static bool on_pg;
static char pg_admin[512]; /* QLVB_TEST_PG: the server's maintenance database */
static char pg_name[64];   /* this run's throw-away database on it */
static char pg_db_url[600];

static void open_fresh(void)
{
    snprintf(path, sizeof(path), "/tmp/qlvb-test-db-%d.db", (int)getpid());
    unlink(path);
    char url[300];
    snprintf(url, sizeof(url), "sqlite:%s", path);
    CHECK_INT(db_open(url, &db), RES_OK);
}

/* pg_admin with its database name replaced by name. */
static void pg_url(const char *name, char *out, size_t n)
{
    const char *auth = strstr(pg_admin, "://");
    const char *slash = auth ? strchr(auth + 3, '/') : NULL;
    const char *query = slash ? strchr(slash, '?') : NULL;
    int head = slash ? (int)(slash - pg_admin) : (int)strlen(pg_admin);
    snprintf(out, n, "%.*s/%s%s", head, pg_admin, name, query ? query : "");
}

static bool pg_admin_exec(const char *sql)
{
    struct db *adm = NULL;
    if (db_open(pg_admin, &adm) != RES_OK)
        return false;
    bool ok = db_exec(db_conn(adm), sql) == RES_OK;
    db_close(adm);
    return ok;
}

static bool open_fresh_pg(void)
{
    char sql[200], url[600];
    snprintf(pg_name, sizeof(pg_name), "qlvb_unit_db_%d", (int)getpid());
    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", pg_name);
    if (!pg_admin_exec(sql))
        return false;
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s", pg_name);
    if (!pg_admin_exec(sql))
        return false;
    pg_url(pg_name, pg_db_url, sizeof(pg_db_url));
    (void)url;
    return db_open(pg_db_url, &db) == RES_OK;
}

TEST(migrations_apply_once)
{
    CHECK_INT(db_migrate(db), RES_OK);
    int v = db_schema_version(db);
    CHECK(v >= 1);
    CHECK_INT(db_migrate(db), RES_OK);
    CHECK_INT(db_schema_version(db), v);
    CHECK_STR(db_engine(db), on_pg ? "postgres" : "sqlite");
    /* The engine's own part of 0001 ran too: the index on session(user_id). */
    int64_t n = 0;
    CHECK_INT(db_one_i64(db_conn(db), &n,
                         on_pg ? "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'session_user'"
                               : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND "
                                 "name = 'session_user'",
                         ""),
              RES_OK);
    CHECK_INT(n, 1);
}

/* A migration merged with a lower number than one already applied (two branches that
 * each took a number) still runs: applied-or-not is per version, not "above the max". */
TEST(migrations_apply_a_lower_missing_version)
{
    struct db_conn *c = db_conn(db);
    int top = db_schema_version(db);
    CHECK(top > 4);
    CHECK_INT(db_exec(c, "DROP INDEX signing_key_live_fingerprint"), RES_OK);
    CHECK_INT(db_run(c, "DELETE FROM schema_version WHERE version = 4", ""), RES_OK);
    CHECK_INT(db_migrate(db), RES_OK);
    int64_t n = 0;
    CHECK_INT(db_one_i64(c, &n, "SELECT COUNT(*) FROM schema_version WHERE version = 4", ""),
              RES_OK);
    CHECK_INT(n, 1);
    CHECK_INT(db_one_i64(c, &n,
                         on_pg ? "SELECT COUNT(*) FROM pg_indexes WHERE indexname = "
                                 "'signing_key_live_fingerprint'"
                               : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND "
                                 "name = 'signing_key_live_fingerprint'",
                         ""),
              RES_OK);
    CHECK_INT(n, 1);
    CHECK_INT(db_schema_version(db), top);
}

TEST(bind_by_number)
{
    struct db_conn *c = db_conn(db);
    int64_t v = 0;
    /* $2 before $1, and $1 used twice */
    CHECK_INT(db_one_i64(c, &v, "SELECT $2 * 100 + $1 + $1", "ii", (int64_t)3, (int64_t)4), RES_OK);
    CHECK_INT(v, 406);
    struct db_stmt *s = NULL;
    CHECK_INT(db_query(c, &s, "SELECT $1, $2", "tI", "Việt Nam", (int64_t)0), RES_OK);
    CHECK_INT(db_step(s), RES_ROW);
    CHECK_STR(db_col_text(s, 0), "Việt Nam");
    CHECK(db_col_null(s, 1));
    CHECK_INT(db_step(s), RES_DONE);
    db_finalize(s);
    CHECK_INT(db_one_i64(c, &v, "SELECT 1 WHERE 1 = 0", ""), RES_NOT_FOUND);
    /* A comparison is a number to the caller on both engines (boolean on PostgreSQL). */
    CHECK_INT(db_one_i64(c, &v, "SELECT $1 = $2", "ii", (int64_t)7, (int64_t)7), RES_OK);
    CHECK_INT(v, 1);
    /* One type letter too many or too few: refused before anything is bound or run. */
    CHECK_INT(db_one_i64(c, &v, "SELECT $1 + $2", "i", (int64_t)1), RES_INTERNAL);
    CHECK_INT(db_one_i64(c, &v, "SELECT $1", "ii", (int64_t)1, (int64_t)2), RES_INTERNAL);
    CHECK_INT(db_run(c, "SELECT 1", "t", "x"), RES_INTERNAL);
    CHECK_INT(db_one_i64(c, &v, "SELECT $1 + 1", "i", (int64_t)1), RES_OK); /* still fine */
    CHECK_INT(v, 2);
}

TEST(blobs_round_trip)
{
    struct db_conn *c = db_conn(db);
    const unsigned char bin[] = {0, 1, 0xff, 0, 'x', 0x80};
    struct db_stmt *s = NULL;
    size_t len = 99;
    CHECK_INT(db_query(c, &s, "SELECT $1, $2, $3", "bbb", bin, sizeof(bin), (const void *)NULL,
                       (size_t)0, "", (size_t)0),
              RES_OK);
    CHECK_INT(db_step(s), RES_ROW);
    const unsigned char *got = db_col_blob(s, 0, &len);
    CHECK_INT(len, sizeof(bin));
    CHECK(got && memcmp(got, bin, sizeof(bin)) == 0);
    CHECK(db_col_null(s, 1));
    CHECK(db_col_blob(s, 1, &len) == NULL && len == 0);
    CHECK(!db_col_null(s, 2)); /* an empty blob is not NULL */
    db_finalize(s);
}

/* A read snapshot (db_read_begin): another thread's commit is not seen until
 * db_read_end; nesting keeps the outermost one; a write inside is refused and changes
 * nothing; inside a write transaction both do nothing. */
static void *snapshot_writer(void *arg)
{
    (void)arg;
    struct db_conn *c = db_conn(db);
    result_t r = db_begin(c);
    if (r == RES_OK)
        r = db_run(c, "UPDATE snap SET n = n + 1", "");
    if (r == RES_OK)
        r = db_commit(c);
    else
        db_rollback(c);
    return (void *)(intptr_t)r;
}

TEST(read_snapshots)
{
    struct db_conn *c = db_conn(db);
    CHECK_INT(db_exec(c, "CREATE TABLE snap (n INTEGER NOT NULL)"), RES_OK);
    CHECK_INT(db_run(c, "INSERT INTO snap VALUES (1)", ""), RES_OK);
    int64_t n = 0;
    CHECK_INT(db_read_begin(c), RES_OK);
    CHECK_INT(db_one_i64(c, &n, "SELECT n FROM snap", ""), RES_OK);
    CHECK_INT(n, 1);
    CHECK_INT(db_read_begin(c), RES_OK); /* nested */
    pthread_t th;
    void *res = NULL;
    pthread_create(&th, NULL, snapshot_writer, NULL);
    pthread_join(th, &res);
    CHECK_INT((int)(intptr_t)res, RES_OK);
    CHECK_INT(db_one_i64(c, &n, "SELECT n FROM snap", ""), RES_OK);
    CHECK_INT(n, 1); /* the snapshot's value */
    db_read_end(c);  /* the inner one: still the snapshot */
    CHECK_INT(db_one_i64(c, &n, "SELECT n FROM snap", ""), RES_OK);
    CHECK_INT(n, 1);
    /* no write inside: refused, nothing written */
    CHECK_INT(db_begin(c), RES_INTERNAL);
    CHECK(db_run(c, "UPDATE snap SET n = 100", "") != RES_OK);
    db_read_end(c);
    CHECK_INT(db_one_i64(c, &n, "SELECT n FROM snap", ""), RES_OK);
    CHECK_INT(n, 2); /* the other thread's commit, nothing of the refused write */
    /* inside a write transaction: nothing to do, the transaction's own view */
    CHECK_INT(db_begin(c), RES_OK);
    CHECK_INT(db_run(c, "UPDATE snap SET n = 3", ""), RES_OK);
    CHECK_INT(db_read_begin(c), RES_OK);
    CHECK_INT(db_one_i64(c, &n, "SELECT n FROM snap", ""), RES_OK);
    CHECK_INT(n, 3);
    db_read_end(c);
    CHECK_INT(db_commit(c), RES_OK);
    CHECK_INT(db_one_i64(c, &n, "SELECT n FROM snap", ""), RES_OK);
    CHECK_INT(n, 3);
    db_read_end(c); /* unmatched: ignored */
    CHECK_INT(db_exec(c, "DROP TABLE snap"), RES_OK);
}

TEST(constraints_and_transactions)
{
    struct db_conn *c = db_conn(db);
    CHECK_INT(db_exec(c, "CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER NOT NULL)"), RES_OK);
    CHECK_INT(db_run(c, "INSERT INTO t VALUES ($1, $2)", "ti", "a", (int64_t)1), RES_OK);
    CHECK_INT(db_run(c, "INSERT INTO t VALUES ($1, $2)", "ti", "a", (int64_t)2), RES_CONFLICT);
    CHECK_INT(db_run(c, "INSERT INTO t VALUES ($1, $2)", "tn", "b"), RES_CONFLICT); /* NOT NULL */
    CHECK_INT(db_begin(c), RES_OK);
    CHECK_INT(db_run(c, "INSERT INTO t VALUES ($1, $2)", "ti", "c", (int64_t)3), RES_OK);
    CHECK_INT(db_rollback(c), RES_OK);
    int64_t n = 0;
    CHECK_INT(db_one_i64(c, &n, "SELECT COUNT(*) FROM t", ""), RES_OK);
    CHECK_INT(n, 1);
    CHECK_INT(db_begin(c), RES_OK);
    CHECK_INT(db_run(c, "UPDATE t SET n = n + 1 WHERE k = $1", "t", "a"), RES_OK);
    CHECK_INT(db_changes(c), 1);
    CHECK_INT(db_commit(c), RES_OK);
    /* RETURNING works (portable with PostgreSQL) */
    CHECK_INT(
        db_one_i64(c, &n, "INSERT INTO t VALUES ($1, $2) RETURNING n", "ti", "d", (int64_t)44),
        RES_OK);
    CHECK_INT(n, 44);
}

TEST(statement_cache_reuse_and_nesting)
{
    struct db_conn *c = db_conn(db);
    /* The same SQL open twice at once must give two statements. */
    struct db_stmt *a = NULL, *b = NULL;
    const char *sql = "SELECT k FROM t ORDER BY k";
    CHECK_INT(db_query(c, &a, sql, ""), RES_OK);
    CHECK_INT(db_query(c, &b, sql, ""), RES_OK);
    CHECK(a != b);
    CHECK_INT(db_step(a), RES_ROW);
    CHECK_INT(db_step(b), RES_ROW);
    CHECK_STR(db_col_text(a, 0), db_col_text(b, 0));
    db_finalize(a);
    db_finalize(b);
    /* SQL built in a reused buffer must not match a stale cache entry. */
    char buf[64];
    int64_t v;
    snprintf(buf, sizeof(buf), "SELECT 1");
    CHECK_INT(db_one_i64(c, &v, buf, ""), RES_OK);
    snprintf(buf, sizeof(buf), "SELECT 2");
    CHECK_INT(db_one_i64(c, &v, buf, ""), RES_OK);
    CHECK_INT(v, 2);
    /* Many distinct statements overflow the cache without leaking or failing, and the
     * least recently used make room: a statement used all along stays prepared, a new
     * one seen after the cache filled is prepared once for its repeated uses. */
    const char *hot = "SELECT COUNT(*) FROM t";
    CHECK_INT(db_one_i64(c, &v, hot, ""), RES_OK);
    for (int i = 0; i < 300; i++) {
        snprintf(buf, sizeof(buf), "SELECT %d", i);
        CHECK_INT(db_one_i64(c, &v, buf, ""), RES_OK);
        CHECK_INT(v, i);
        uint64_t before = db_conn_prepares(c);
        CHECK_INT(db_one_i64(c, &v, hot, ""), RES_OK);
        CHECK_INT((int64_t)db_conn_prepares(c), (int64_t)before);
    }
    uint64_t before = db_conn_prepares(c);
    for (int i = 0; i < 5; i++)
        CHECK_INT(db_one_i64(c, &v, "SELECT 12345", ""), RES_OK);
    CHECK_INT((int64_t)db_conn_prepares(c), (int64_t)before + 1);
}

static void *writer(void *arg)
{
    (void)arg;
    struct db_conn *c = db_conn(db);
    for (int i = 0; i < 50; i++) {
        struct audit_entry e = {.actor_id = 1,
                                .actor_login = "040090000141",
                                .agency_id = 5,
                                .action = "user_update",
                                .object_type = "user",
                                .object_id = "1",
                                .summary = "luồng song song",
                                .client_addr = "127.0.0.1"};
        if (tx_audit_only(db, &e) != RES_OK)
            return (void *)1;
    }
    (void)c;
    return NULL;
}

TEST(audit_chain_concurrent_and_verified)
{
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, writer, NULL);
    int failures = 0;
    for (int i = 0; i < 4; i++) {
        void *rv;
        pthread_join(t[i], &rv);
        failures += rv != NULL;
    }
    CHECK_INT(failures, 0);
    struct audit_verify_report rep;
    CHECK_INT(audit_verify(db, &rep), RES_OK);
    CHECK_INT(rep.rows, 200);
    struct db_conn *c = db_conn(db);
    /* Alter a field: the row is named */
    CHECK_INT(db_run(c, "UPDATE audit_log SET actor_login = 'x' WHERE id = 77", ""), RES_OK);
    CHECK_INT(audit_verify(db, &rep), RES_INVALID);
    CHECK_INT(rep.bad_id, 77);
}

TEST(typed_filters)
{
    struct db_conn *c = db_conn(db);
    CHECK_INT(db_exec(c, "CREATE TABLE f (id BIGINT PRIMARY KEY, agency_id BIGINT, name TEXT NOT "
                         "NULL, n INTEGER NOT NULL DEFAULT 0)"),
              RES_OK);
    const char *ins = "INSERT INTO f (id, agency_id, name) VALUES ($1, $2, $3)";
    CHECK_INT(db_run(c, ins, "iIt", (int64_t)1, (int64_t)5, "a"), RES_OK);
    CHECK_INT(db_run(c, ins, "iIt", (int64_t)2, (int64_t)6, "b"), RES_OK);
    CHECK_INT(db_run(c, ins, "iIt", (int64_t)3, (int64_t)0, "c"), RES_OK); /* agency NULL */
    /* The "0 / empty means any" filter of audit_list and user_list: PostgreSQL must be
     * told $1 is an integer and $2 text, or it cannot resolve "$1 = 0". */
    const char *q = "SELECT COUNT(*) FROM f WHERE ($1 = 0 OR agency_id = $1) AND "
                    "($2 = '' OR name = $2)";
    int64_t n = -1;
    CHECK_INT(db_one_i64(c, &n, q, "it", (int64_t)0, ""), RES_OK);
    CHECK_INT(n, 3);
    CHECK_INT(db_one_i64(c, &n, q, "it", (int64_t)5, ""), RES_OK);
    CHECK_INT(n, 1);
    CHECK_INT(db_one_i64(c, &n, q, "it", (int64_t)0, "b"), RES_OK);
    CHECK_INT(n, 1);
    CHECK_INT(db_one_i64(c, &n, q, "it", (int64_t)6, "a"), RES_OK);
    CHECK_INT(n, 0);
    /* One SQL text bound first with a NULL id, then with a number. */
    const char *byagency = "SELECT COUNT(*) FROM f WHERE agency_id = $1 OR ($1 IS NULL AND "
                           "agency_id IS NULL)";
    CHECK_INT(db_one_i64(c, &n, byagency, "I", (int64_t)0), RES_OK);
    CHECK_INT(n, 1);
    CHECK_INT(db_one_i64(c, &n, byagency, "I", (int64_t)6), RES_OK);
    CHECK_INT(n, 1);
    /* The same SQL with a text, then an integer parameter. */
    struct db_stmt *s = NULL;
    CHECK_INT(db_query(c, &s, "SELECT $1", "t", "chữ"), RES_OK);
    CHECK_INT(db_step(s), RES_ROW);
    CHECK_STR(db_col_text(s, 0), "chữ");
    db_finalize(s);
    CHECK_INT(db_one_i64(c, &n, "SELECT $1", "i", (int64_t)-42), RES_OK);
    CHECK_INT(n, -42);
    /* Integers into an INTEGER (int4 on PostgreSQL) column and back, text of a number. */
    CHECK_INT(db_run(c, "UPDATE f SET n = $1 WHERE id = $2", "ii", (int64_t)2000000000, (int64_t)1),
              RES_OK);
    CHECK_INT(db_query(c, &s, "SELECT n, id FROM f WHERE id = 1", ""), RES_OK);
    CHECK_INT(db_step(s), RES_ROW);
    CHECK_INT(db_col_i64(s, 0), 2000000000);
    CHECK_STR(db_col_text(s, 1), "1");
    db_finalize(s);
    /* More distinct statements than a connection keeps prepared. */
    char buf[64];
    for (int i = 0; i < 300; i++) {
        snprintf(buf, sizeof(buf), "SELECT %d + $1", i);
        CHECK_INT(db_one_i64(c, &n, buf, "i", (int64_t)1), RES_OK);
        CHECK_INT(n, i + 1);
    }
}

TEST(bytea_round_trip)
{
    struct db_conn *c = db_conn(db);
    CHECK_INT(db_exec(c, on_pg ? "CREATE TABLE bl (id BIGINT PRIMARY KEY, data BYTEA, note TEXT)"
                               : "CREATE TABLE bl (id BIGINT PRIMARY KEY, data BLOB, note TEXT)"),
              RES_OK);
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    size_t big_len = 1 << 20;
    unsigned char *big = malloc(big_len);
    for (size_t i = 0; i < big_len; i++)
        big[i] = (unsigned char)(i * 7 + 3);
    const char *ins = "INSERT INTO bl (id, data, note) VALUES ($1, $2, $3)";
    CHECK_INT(db_run(c, ins, "ibt", (int64_t)1, all, sizeof(all), "mọi byte"), RES_OK);
    CHECK_INT(db_run(c, ins, "ibt", (int64_t)2, big, big_len, "1 MB"), RES_OK);
    CHECK_INT(db_run(c, ins, "ibt", (int64_t)3, "", (size_t)0, "rỗng"), RES_OK);
    CHECK_INT(db_run(c, ins, "ibt", (int64_t)4, (const void *)NULL, (size_t)0, "NULL"), RES_OK);
    /* With the text next to it (binary results on PostgreSQL) ... */
    struct db_stmt *s = NULL;
    size_t len = 0;
    CHECK_INT(db_query(c, &s, "SELECT data, note, id FROM bl ORDER BY id", ""), RES_OK);
    CHECK_INT(db_step(s), RES_ROW);
    const unsigned char *got = db_col_blob(s, 0, &len);
    CHECK_INT(len, sizeof(all));
    CHECK(got && memcmp(got, all, sizeof(all)) == 0);
    CHECK_STR(db_col_text(s, 1), "mọi byte");
    CHECK_INT(db_col_i64(s, 2), 1);
    CHECK_STR(db_col_text(s, 2), "1");
    CHECK_INT(db_step(s), RES_ROW);
    got = db_col_blob(s, 0, &len);
    CHECK_INT(len, big_len);
    CHECK(got && memcmp(got, big, big_len) == 0);
    CHECK_INT(db_step(s), RES_ROW);
    CHECK(!db_col_null(s, 0));
    CHECK(db_col_blob(s, 0, &len) == NULL && len == 0);
    CHECK_INT(db_step(s), RES_ROW);
    CHECK(db_col_null(s, 0));
    CHECK_INT(db_step(s), RES_DONE);
    db_finalize(s);
    /* ... and next to a column that only text results carry (numeric): hex-decoded. */
    CHECK_INT(db_query(c, &s, "SELECT data, id * 1.5 FROM bl WHERE id = $1", "i", (int64_t)1),
              RES_OK);
    CHECK_INT(db_step(s), RES_ROW);
    got = db_col_blob(s, 0, &len);
    CHECK_INT(len, sizeof(all));
    CHECK(got && memcmp(got, all, sizeof(all)) == 0);
    CHECK_STR(db_col_text(s, 1), "1.5");
    db_finalize(s);
    /* A blob compared through a parameter. */
    int64_t id = 0;
    CHECK_INT(db_one_i64(c, &id, "SELECT id FROM bl WHERE data = $1", "b", all, sizeof(all)),
              RES_OK);
    CHECK_INT(id, 1);
    free(big);
}

TEST(returning_and_changes)
{
    struct db_conn *c = db_conn(db);
    CHECK_INT(db_exec(c, on_pg ? "CREATE TABLE r (id BIGINT GENERATED BY DEFAULT AS IDENTITY "
                                 "PRIMARY KEY, v TEXT NOT NULL UNIQUE)"
                               : "CREATE TABLE r (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)"),
              RES_OK);
    int64_t id1 = 0, id2 = 0;
    CHECK_INT(db_one_i64(c, &id1, "INSERT INTO r (v) VALUES ($1) RETURNING id", "t", "một"),
              RES_OK);
    CHECK_INT(db_one_i64(c, &id2, "INSERT INTO r (v) VALUES ($1) RETURNING id", "t", "hai"),
              RES_OK);
    CHECK(id1 > 0 && id2 > id1);
    CHECK_INT(db_changes(c), 1);
    CHECK_INT(db_run(c, "UPDATE r SET v = v || $1", "t", "!"), RES_OK);
    CHECK_INT(db_changes(c), 2);
    int64_t count = 0; /* a query in between does not count as a change */
    CHECK_INT(db_one_i64(c, &count, "SELECT COUNT(*) FROM r WHERE id > $1", "i", (int64_t)-5),
              RES_OK);
    CHECK_INT(db_changes(c), 2);
    CHECK_INT(db_run(c, "DELETE FROM r WHERE id = $1", "i", (int64_t)-1), RES_OK);
    CHECK_INT(db_changes(c), 0);
    struct db_stmt *s = NULL;
    CHECK_INT(db_query(c, &s, "UPDATE r SET v = $1 WHERE id = $2 RETURNING id, v", "ti", "ba", id2),
              RES_OK);
    CHECK_INT(db_step(s), RES_ROW);
    CHECK_INT(db_col_i64(s, 0), id2);
    CHECK_STR(db_col_text(s, 1), "ba");
    CHECK_INT(db_step(s), RES_DONE);
    db_finalize(s);
}

TEST(conflicts_mapped)
{
    struct db_conn *c = db_conn(db);
    CHECK_INT(db_exec(c, "CREATE TABLE p (id BIGINT PRIMARY KEY, code TEXT NOT NULL UNIQUE, "
                         "kind TEXT NOT NULL CHECK (kind IN ('x', 'y')))"),
              RES_OK);
    CHECK_INT(db_exec(c, "CREATE TABLE ch (id BIGINT PRIMARY KEY, p_id BIGINT NOT NULL "
                         "REFERENCES p(id))"),
              RES_OK);
    const char *ins = "INSERT INTO p (id, code, kind) VALUES ($1, $2, $3)";
    CHECK_INT(db_run(c, ins, "itt", (int64_t)1, "A", "x"), RES_OK);
    CHECK_INT(db_run(c, ins, "itt", (int64_t)1, "B", "x"), RES_CONFLICT); /* primary key */
    CHECK_INT(db_run(c, ins, "itt", (int64_t)2, "A", "x"), RES_CONFLICT); /* unique */
    CHECK_INT(db_run(c, ins, "itt", (int64_t)3, "C", "z"), RES_CONFLICT); /* check */
    CHECK_INT(db_run(c, "INSERT INTO ch (id, p_id) VALUES ($1, $2)", "ii", (int64_t)1, (int64_t)9),
              RES_CONFLICT); /* foreign key */
    /* A conflict inside a transaction; the rollback undoes the earlier write. */
    CHECK_INT(db_begin(c), RES_OK);
    CHECK_INT(db_run(c, ins, "itt", (int64_t)4, "D", "y"), RES_OK);
    CHECK_INT(db_run(c, ins, "itt", (int64_t)5, "D", "y"), RES_CONFLICT);
    CHECK_INT(db_rollback(c), RES_OK);
    int64_t n = 0;
    CHECK_INT(db_one_i64(c, &n, "SELECT COUNT(*) FROM p", ""), RES_OK);
    CHECK_INT(n, 1);
}

/* Another connection ends ours, as a server restart or failover would. */
static void terminate_backend(int64_t pid)
{
    struct db *other = NULL;
    CHECK_INT(db_open(pg_db_url, &other), RES_OK);
    if (!other)
        return;
    struct db_conn *o = db_conn(other);
    int64_t ok = 0;
    CHECK_INT(db_one_i64(o, &ok,
                         "SELECT CASE WHEN pg_terminate_backend(CAST($1 AS INTEGER)) "
                         "THEN 1 ELSE 0 END",
                         "i", pid),
              RES_OK);
    CHECK_INT(ok, 1);
    int64_t left = 1;
    for (int i = 0; i < 250 && left; i++) {
        db_one_i64(o, &left,
                   "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = CAST($1 AS INTEGER)", "i",
                   pid);
        if (left)
            usleep(20000);
    }
    CHECK_INT(left, 0);
    db_close(other);
}

TEST(pg_reconnect_after_backend_killed)
{
    struct db_conn *c = db_conn(db);
    int64_t pid = 0, pid2 = 0, n = 0;
    CHECK_INT(db_one_i64(c, &pid, "SELECT pg_backend_pid()", ""), RES_OK);
    CHECK_INT(db_one_i64(c, &n, "SELECT COUNT(*) FROM p", ""), RES_OK); /* prepared */
    terminate_backend(pid);
    /* Between statements the loss is noticed and the connection replaced. */
    c = db_conn(db);
    CHECK_INT(db_one_i64(c, &pid2, "SELECT pg_backend_pid()", ""), RES_OK);
    CHECK(pid2 != 0 && pid2 != pid);
    CHECK_INT(db_one_i64(c, &n, "SELECT COUNT(*) FROM p", ""), RES_OK); /* prepared again */
    CHECK_INT(n, 1);
    /* Inside a transaction the loss is reported, never papered over. */
    CHECK_INT(db_begin(c), RES_OK);
    CHECK_INT(db_run(c, "INSERT INTO p (id, code, kind) VALUES (7, 'G', 'x')", ""), RES_OK);
    terminate_backend(pid2);
    c = db_conn(db);
    CHECK_INT(db_run(c, "INSERT INTO p (id, code, kind) VALUES (8, 'H', 'x')", ""), RES_RECONNECT);
    db_rollback(c);
    c = db_conn(db);
    CHECK_INT(db_one_i64(c, &n, "SELECT COUNT(*) FROM p", ""), RES_OK);
    CHECK_INT(n, 1); /* the interrupted transaction left nothing */
    CHECK_INT(db_one_i64(c, &pid, "SELECT pg_backend_pid()", ""), RES_OK);
    CHECK(pid != pid2);
}

TEST(pg_unreachable_and_password_masked)
{
    struct db *none = NULL;
    /* Port 1 on loopback: nothing listens there. */
    CHECK_INT(db_open("postgres://qlvb:geheim@127.0.0.1:1/x", &none), RES_RECONNECT);
    CHECK(none == NULL);
    char safe[200];
    db_url_redact("postgres://qlvb:geheim@127.0.0.1:1/x?sslmode=disable", safe, sizeof(safe));
    CHECK_STR(safe, "postgres://qlvb:***@127.0.0.1:1/x?sslmode=disable");
    db_url_redact("postgresql://h/db?user=a&password=geheim&x=1", safe, sizeof(safe));
    CHECK_STR(safe, "postgresql://h/db?user=a&password=***&x=1");
    db_url_redact("postgres://qlvb@h/db", safe, sizeof(safe));
    CHECK_STR(safe, "postgres://qlvb@h/db");
    db_url_redact("sqlite:/srv/qlvb/qlvb.db", safe, sizeof(safe));
    CHECK_STR(safe, "sqlite:/srv/qlvb/qlvb.db");
}

static char migr_url[700];

static int embedded_migration_versions(void)
{
    char seen[64][5];
    int n = 0;
    for (const struct embedded_file *f = embedded_files; f->name; f++) {
        if (strncmp(f->name, "db/migrations/", 14) != 0 || strlen(f->name) < 18)
            continue;
        bool dup = false;
        for (int i = 0; i < n; i++)
            dup = dup || memcmp(seen[i], f->name + 14, 4) == 0;
        if (!dup && n < 64)
            memcpy(seen[n++], f->name + 14, 4);
    }
    return n;
}

static void *migrator(void *arg)
{
    (void)arg;
    struct db *d = NULL;
    result_t r = db_open(migr_url, &d);
    if (r == RES_OK)
        r = db_migrate(d);
    db_close(d);
    return r == RES_OK ? NULL : (void *)1;
}

/* Several nodes (or `qlvb init` twice) starting on one empty database: one applies
 * each migration, the others wait and find it applied. */
TEST(migrations_concurrent)
{
    char name[80], sql[160], file[300];
    if (on_pg) {
        snprintf(name, sizeof(name), "%s_m", pg_name);
        snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", name);
        CHECK(pg_admin_exec(sql));
        snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
        CHECK(pg_admin_exec(sql));
        pg_url(name, migr_url, sizeof(migr_url));
    } else {
        snprintf(file, sizeof(file), "%s-m", path);
        unlink(file);
        snprintf(migr_url, sizeof(migr_url), "sqlite:%s", file);
    }
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, migrator, NULL);
    int failures = 0;
    for (int i = 0; i < 3; i++) {
        void *rv;
        pthread_join(t[i], &rv);
        failures += rv != NULL;
    }
    CHECK_INT(failures, 0);
    struct db *d = NULL;
    CHECK_INT(db_open(migr_url, &d), RES_OK);
    if (d) {
        int64_t n = 0;
        CHECK_INT(db_one_i64(db_conn(d), &n, "SELECT COUNT(*) FROM schema_version", ""), RES_OK);
        /* Each numbered migration applied once; numbers may have gaps (they are handed out
         * to branches ahead of time), so count the embedded versions. */
        CHECK_INT(n, embedded_migration_versions());
        CHECK(n >= 2);
        db_close(d);
    }
    if (on_pg) {
        snprintf(sql, sizeof(sql), "DROP DATABASE %s", name);
        CHECK(pg_admin_exec(sql));
    } else {
        unlink(file);
        char aux[320];
        snprintf(aux, sizeof(aux), "%s-wal", file);
        unlink(aux);
        snprintf(aux, sizeof(aux), "%s-shm", file);
        unlink(aux);
    }
}

/* SQLite: every write transaction runs on the one writer connection (docs/architecture.md
 * "Storage", One writer connection) — seen through its own page-cache setting — while
 * the thread's db_conn stays the caller's handle: db_conn() inside the transaction is
 * the same one and reads the transaction's own writes; reads outside run on the thread's
 * handle; a rollback returns to it too; threads take turns on the writer handle. */
struct turn_arg {
    int id;
    result_t r;
};

static int64_t cache_size(struct db_conn *c)
{
    int64_t v = 0;
    return db_one_i64(c, &v, "PRAGMA cache_size", "") == RES_OK ? v : 0;
}

static void *turn_taker(void *arg)
{
    struct turn_arg *t = arg;
    struct db_conn *c = db_conn(db);
    t->r = RES_OK;
    for (int i = 0; i < 40 && t->r == RES_OK; i++) {
        if ((t->r = db_begin(c)) != RES_OK)
            break;
        char k[32];
        snprintf(k, sizeof(k), "w%d-%d", t->id, i);
        int64_t seen = 0;
        if ((t->r = db_run(c, "INSERT INTO t VALUES ($1, $2)", "ti", k, (int64_t)i)) == RES_OK &&
            (t->r = db_one_i64(db_conn(db), &seen, "SELECT COUNT(*) FROM t WHERE k = $1", "t",
                               k)) == RES_OK &&
            seen != 1)
            t->r = RES_INTERNAL;
        if (t->r == RES_OK && cache_size(c) != -65536)
            t->r = RES_INTERNAL;
        if (t->r == RES_OK)
            t->r = db_commit(c);
        else
            db_rollback(c);
    }
    return NULL;
}

TEST(writer_connection)
{
    if (on_pg)
        return; /* PostgreSQL takes concurrent writers: every thread on its own session */
    struct db_conn *c = db_conn(db);
    int64_t own = cache_size(c);
    CHECK(own != -65536);
    CHECK_INT(db_begin(c), RES_OK);
    CHECK(db_conn(db) == c);
    CHECK_INT(cache_size(c), -65536);
    CHECK_INT(db_run(c, "INSERT INTO t VALUES ($1, $2)", "ti", "wc", (int64_t)1), RES_OK);
    CHECK_INT(db_rollback(c), RES_OK);
    CHECK_INT(cache_size(c), own);
    int64_t n = -1;
    CHECK_INT(db_one_i64(c, &n, "SELECT COUNT(*) FROM t WHERE k = 'wc'", ""), RES_OK);
    CHECK_INT(n, 0);
    /* A transaction begun with a statement of the thread's handle open stays there. */
    struct db_stmt *open = NULL;
    CHECK_INT(db_query(c, &open, "SELECT k FROM t ORDER BY k", ""), RES_OK);
    CHECK_INT(db_step(open), RES_ROW);
    CHECK_INT(db_begin(c), RES_OK);
    CHECK_INT(cache_size(c), own);
    CHECK_INT(db_commit(c), RES_OK);
    db_finalize(open);
    /* Four threads, 40 transactions each, in turn on the writer handle. */
    pthread_t th[4];
    struct turn_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (struct turn_arg){.id = i};
        pthread_create(&th[i], NULL, turn_taker, &args[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK_INT(args[i].r, RES_OK);
    }
    CHECK_INT(db_one_i64(c, &n, "SELECT COUNT(*) FROM t WHERE k LIKE 'w%-%'", ""), RES_OK);
    CHECK_INT(n, 160);
}

/* Combined write transactions (SQLite: db.c): units waiting for the writer's turn run
 * in one transaction, each in its own savepoint. Sixteen threads; each unit inserts its
 * key (holding the turn a moment, so that others queue), and by its number either
 * commits, refuses after writing (RES_CONFLICT: rolled back alone), inserts a key that
 * exists (a constraint error: rolled back alone) or — once per thread — ends the
 * transaction itself and fails (as when the engine rolls a transaction back on an I/O
 * error): that batch breaks, the unit keeps its error and the others of its batch run
 * again alone. Every committed key is there once, nothing of a refused unit is, and
 * batches of more than one unit happened. */
struct unit {
    int thread, i;
    int runs;
};

static result_t unit_fn(struct db_conn *c, void *arg)
{
    struct unit *u = arg;
    u->runs++;
    char k[32];
    snprintf(k, sizeof(k), "cb%d-%d", u->thread, u->i);
    result_t r = db_run(c, "INSERT INTO t VALUES ($1, $2)", "ti", k, (int64_t)u->i);
    if (r != RES_OK)
        return r;
    struct timespec pause = {0, 200000};
    nanosleep(&pause, NULL);
    switch (u->i % 5) {
    case 1:
        return RES_CONFLICT;
    case 2:
        return db_run(c, "INSERT INTO t VALUES ($1, $2)", "ti", k, (int64_t)0); /* exists */
    case 3:
        if (u->i == 3) {
            db_exec(c, "ROLLBACK");
            return RES_DB;
        }
        return RES_OK;
    default:
        return RES_OK;
    }
}

struct unit_thread {
    int id;
    int bad;
};

static void *unit_runner(void *arg)
{
    struct unit_thread *t = arg;
    for (int i = 0; i < 30; i++) {
        struct unit u = {.thread = t->id, .i = i};
        result_t r = db_tx(db, unit_fn, &u);
        result_t want = i % 5 == 1   ? RES_CONFLICT
                        : i % 5 == 2 ? RES_CONFLICT
                        : i == 3     ? RES_DB
                                     : RES_OK;
        if (r != want) {
            fprintf(stderr, "unit %d/%d: %s, expected %s\n", t->id, i, result_name(r),
                    result_name(want));
            t->bad++;
        }
    }
    return NULL;
}

TEST(combined_write_transactions)
{
    if (on_pg)
        return; /* PostgreSQL takes concurrent writers: no turn to share */
    struct db_conn *c = db_conn(db);
    uint64_t b0 = 0, u0 = 0, b1 = 0, u1 = 0;
    db_combine_stats(db, &b0, &u0);
    pthread_t th[16];
    struct unit_thread args[16];
    for (int i = 0; i < 16; i++) {
        args[i] = (struct unit_thread){.id = i};
        pthread_create(&th[i], NULL, unit_runner, &args[i]);
    }
    int bad = 0;
    for (int i = 0; i < 16; i++) {
        pthread_join(th[i], NULL);
        bad += args[i].bad;
    }
    CHECK_INT(bad, 0);
    int64_t n = -1;
    for (int i = 0; i < 30; i++) {
        char like[32];
        snprintf(like, sizeof(like), "cb%%-%d", i);
        CHECK_INT(db_one_i64(c, &n, "SELECT COUNT(*) FROM t WHERE k LIKE $1", "t", like), RES_OK);
        bool kept = i % 5 == 0 || i % 5 == 4 || (i % 5 == 3 && i != 3);
        if (n != (kept ? 16 : 0))
            fprintf(stderr, "units %d: %lld rows\n", i, (long long)n);
        CHECK_INT(n, kept ? 16 : 0);
    }
    db_combine_stats(db, &b1, &u1);
    CHECK(b1 > b0);
    CHECK(u1 - u0 > b1 - b0); /* some batch held more than one unit */
    /* the audit chain (other tests' rows) is intact, and writes go on alone */
    CHECK_INT(db_run(c, "DELETE FROM t WHERE k LIKE 'cb%'", ""), RES_OK);
}

/* db_optimize: on SQLite the planner's statistics exist afterwards (sqlite_stat1 rows
 * for the indexes of a table with rows), and it runs again harmlessly; on PostgreSQL it
 * does nothing and succeeds. */
TEST(optimize_refreshes_statistics)
{
    struct db_conn *c = db_conn(db);
    CHECK_INT(db_optimize(db), RES_OK);
    CHECK_INT(db_optimize(db), RES_OK);
    if (on_pg)
        return;
    int64_t n = 0;
    CHECK_INT(db_one_i64(c, &n, "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 't'", ""), RES_OK);
    CHECK(n >= 1);
}

/* The writer's turn across processes (SQLite): an flock on "<file>-writelock" held from
 * db_begin to the end of COMMIT (the checkpoint SQLite runs in it included), so that a
 * CLI command and the server never checkpoint and reset the log at the same time (the
 * WAL-reset bug). Another holder of the lock — here a descriptor of our own, a separate
 * open file description, as another process's would be — makes a writer wait, and past
 * the wait (QLVB_DB_LOCK_WAIT_MS) refuses it as busy with nothing written. */
static void *tx_waiter(void *arg);

static result_t insert_lk(struct db_conn *c, void *arg)
{
    return db_run(c, "INSERT INTO t VALUES ($1, $2)", "ti", (const char *)arg, (int64_t)1);
}

struct waiter {
    result_t r;
    volatile int done;
};

static void *tx_waiter(void *arg)
{
    struct waiter *w = arg;
    w->r = db_tx(db, insert_lk, "lk-waited");
    w->done = 1;
    return NULL;
}

TEST(write_lock_across_processes)
{
    if (on_pg)
        return; /* PostgreSQL's writers do not share a log file */
    char lock[300];
    snprintf(lock, sizeof(lock), "%s-writelock", path);
    int fd = open(lock, O_RDWR | O_CLOEXEC);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    struct db_conn *c = db_conn(db);
    CHECK_INT(flock(fd, LOCK_EX | LOCK_NB), 0); /* idle: nobody holds it */
    flock(fd, LOCK_UN);
    CHECK_INT(db_begin(c), RES_OK);
    errno = 0;
    CHECK_INT(flock(fd, LOCK_EX | LOCK_NB), -1); /* held for the whole transaction */
    CHECK_INT(errno, EWOULDBLOCK);
    CHECK_INT(db_run(c, "INSERT INTO t VALUES ($1, $2)", "ti", "lk-1", (int64_t)1), RES_OK);
    CHECK_INT(db_commit(c), RES_OK);
    CHECK_INT(flock(fd, LOCK_EX | LOCK_NB), 0); /* given back with the turn */

    /* Held elsewhere: a second opening of the file (as a CLI process) is refused busy
     * after its wait, and writes nothing. */
    setenv("QLVB_DB_LOCK_WAIT_MS", "200", 1);
    char url[300];
    snprintf(url, sizeof(url), "sqlite:%s", path);
    struct db *other = NULL;
    CHECK_INT(db_open(url, &other), RES_OK);
    unsetenv("QLVB_DB_LOCK_WAIT_MS");
    if (other) {
        struct db_conn *oc = db_conn(other);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        CHECK_INT(db_begin(oc), RES_BUSY);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
        CHECK(ms >= 190);
        int64_t n = -1;
        CHECK_INT(db_one_i64(oc, &n, "SELECT COUNT(*) FROM t WHERE k LIKE 'lk-%'", ""), RES_OK);
        CHECK_INT(n, 1);
        db_close(other);
    }

    /* A writer of this process waits for the holder, then goes on. */
    struct waiter w = {.r = RES_INTERNAL};
    pthread_t th;
    pthread_create(&th, NULL, tx_waiter, &w);
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 150 * 1000000L};
    nanosleep(&pause, NULL);
    CHECK_INT(w.done, 0);
    flock(fd, LOCK_UN);
    pthread_join(th, NULL);
    CHECK_INT(w.r, RES_OK);
    int64_t n = -1;
    CHECK_INT(db_one_i64(c, &n, "SELECT COUNT(*) FROM t WHERE k = 'lk-waited'", ""), RES_OK);
    CHECK_INT(n, 1);
    close(fd);
}

static void run_cases(void)
{
    RUN(migrations_apply_once);
    RUN(migrations_apply_a_lower_missing_version);
    RUN(bind_by_number);
    RUN(blobs_round_trip);
    RUN(constraints_and_transactions);
    RUN(writer_connection);
    RUN(combined_write_transactions);
    RUN(read_snapshots);
    RUN(write_lock_across_processes);
    RUN(optimize_refreshes_statistics);
    RUN(statement_cache_reuse_and_nesting);
    RUN(audit_chain_concurrent_and_verified);
    RUN(typed_filters);
    RUN(bytea_round_trip);
    RUN(returning_and_changes);
    RUN(conflicts_mapped);
    RUN(migrations_concurrent);
}

int main(void)
{
    fprintf(stderr, "== test_db on sqlite\n");
    open_fresh();
    run_cases();
    db_close(db);
    unlink(path);
    char wal[300];
    snprintf(wal, sizeof(wal), "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-shm", path);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-writelock", path);
    unlink(wal);
    const char *pg = getenv("QLVB_TEST_PG");
    if (pg && *pg) {
        fprintf(stderr, "== test_db on postgres\n");
        on_pg = true;
        snprintf(pg_admin, sizeof(pg_admin), "%s", pg);
        if (!open_fresh_pg()) {
            fprintf(stderr, "test_db: cannot create a database on QLVB_TEST_PG\n");
            check_failed_++;
        } else {
            run_cases();
            RUN(pg_reconnect_after_backend_killed);
            db_close(db);
            char sql[128];
            snprintf(sql, sizeof(sql), "DROP DATABASE %s", pg_name);
            CHECK(pg_admin_exec(sql));
        }
        RUN(pg_unreachable_and_password_masked);
    }
    return CHECK_DONE(on_pg ? "test_db (sqlite + postgres)" : "test_db (sqlite)");
}
