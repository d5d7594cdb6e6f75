/* The SQLite driver behind db.h: migrations, $N binding (including repeats and
 * out-of-order use), constraint mapping, transactions, statement cache, threads;
 * and the audit hash chain on top of it. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/audit.h"
#include "core/tx.h"
#include "db/db.h"

static char path[256];
static struct db *db;

static void open_fresh(void)
{
    snprintf(path, sizeof(path), "/tmp/qlvb-test-db-%d.db", (int)getpid());
    unlink(path);
    char url[300];
    snprintf(url, sizeof(url), "sqlite:%s", path);
    CHECK_INT(db_open(url, &db), RES_OK);
}

TEST(migrations_apply_once)
{
    CHECK_INT(db_migrate(db), RES_OK);
    int v = db_schema_version(db);
    CHECK(v >= 1);
    CHECK_INT(db_migrate(db), RES_OK);
    CHECK_INT(db_schema_version(db), v);
    CHECK_STR(db_engine(db), "sqlite");
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
    CHECK_INT(db_one_i64(c, &v, "SELECT 1 WHERE 0", ""), RES_NOT_FOUND);
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
    /* Many distinct statements overflow the cache without leaking or failing. */
    for (int i = 0; i < 100; i++) {
        snprintf(buf, sizeof(buf), "SELECT %d", i);
        CHECK_INT(db_one_i64(c, &v, buf, ""), RES_OK);
        CHECK_INT(v, i);
    }
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

int main(void)
{
    open_fresh();
    RUN(migrations_apply_once);
    RUN(bind_by_number);
    RUN(blobs_round_trip);
    RUN(constraints_and_transactions);
    RUN(statement_cache_reuse_and_nesting);
    RUN(audit_chain_concurrent_and_verified);
    db_close(db);
    unlink(path);
    char wal[300];
    snprintf(wal, sizeof(wal), "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-shm", path);
    unlink(wal);
    return CHECK_DONE("test_db");
}
