/* The only database interface business code sees. Engines are drivers behind a
 * vtable (db_driver.h): SQLite is the embedded default; a PostgreSQL driver plugs in
 * without touching callers. SQL is written once with $1..$n placeholders.
 *
 * Connections are per thread: db_conn() returns the calling thread's connection,
 * opening it on first use. Results use the project-wide result_t:
 * RES_ROW / RES_DONE from db_step, RES_CONFLICT on constraint violations,
 * RES_BUSY on lock contention, RES_RECONNECT when the connection is lost. */
#ifndef QLVB_DB_H
#define QLVB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/result.h"

struct db;
struct db_conn;
struct db_stmt;

/* url: "sqlite:/path/to/qlvb.db" (or a bare path), or a libpq URL
 * "postgres://user:password@host:port/dbname?…" ("postgresql://" too). RES_RECONNECT
 * when a PostgreSQL server cannot be reached, RES_DB for other failures. */
result_t db_open(const char *url, struct db **out);
/* Copies url into out (n bytes) with any password replaced by "***": the only form
 * of a database URL that may reach a log or a message. */
void db_url_redact(const char *url, char *out, size_t n);
void db_close(struct db *db);
const char *db_engine(const struct db *db);
/* Applies every embedded db/migrations/NNNN_*.sql not yet recorded in schema_version. */
result_t db_migrate(struct db *db);
int db_schema_version(struct db *db);

/* NULL if the connection cannot be opened. A connection found lost (PostgreSQL) is
 * replaced here, between statements and outside a transaction; its statement cache
 * goes with it. */
struct db_conn *db_conn(struct db *db);
const char *db_errmsg(struct db_conn *c);

/* Write intent: BEGIN IMMEDIATE on SQLite (one writer at a time); on PostgreSQL a
 * READ COMMITTED transaction in which writers serialise on the rows they update. */
result_t db_begin(struct db_conn *c);
result_t db_commit(struct db_conn *c);
result_t db_rollback(struct db_conn *c);
result_t db_exec(struct db_conn *c,
                 const char *sql); /* no parameters; may hold several statements */

/* A read snapshot: the statements between db_read_begin and db_read_end see one
 * committed state (a page built from several queries agrees with itself), and on SQLite
 * the handle's page cache stays valid between them. Nests; inside a write transaction
 * both do nothing. No write may run inside (on PostgreSQL the snapshot is READ ONLY).
 * Every db_read_begin, whatever it returned, is matched by one db_read_end. */
result_t db_read_begin(struct db_conn *c);
void db_read_end(struct db_conn *c);

/* Refreshes the query planner's statistics: on SQLite ANALYZE with a sampling limit
 * (analysis_limit: 1000 rows per index, seconds at a million documents) in a write
 * transaction, so that plans follow the data as it grows (the daily job db.optimize);
 * PostgreSQL's autovacuum analyzes by itself: nothing to do there. */
result_t db_optimize(struct db *db);

result_t db_prepare(struct db_conn *c, const char *sql, struct db_stmt **out);
result_t db_bind_i64(struct db_stmt *s, int idx, int64_t v);      /* idx is N of $N */
result_t db_bind_text(struct db_stmt *s, int idx, const char *v); /* NULL binds SQL NULL */
result_t db_bind_null(struct db_stmt *s, int idx);
result_t db_bind_blob(struct db_stmt *s, int idx, const void *v, size_t len); /* NULL: SQL NULL */
result_t db_step(struct db_stmt *s);
int64_t db_col_i64(struct db_stmt *s, int col);
const char *db_col_text(struct db_stmt *s, int col); /* NULL for SQL NULL; valid until next step */
bool db_col_null(struct db_stmt *s, int col);
/* Binary column; NULL (and *len 0) for SQL NULL or empty; valid until next step. */
const void *db_col_blob(struct db_stmt *s, int col, size_t *len);
void db_finalize(struct db_stmt *s); /* NULL is fine */
/* How many statements the engine prepared on c's current handle (cache misses). */
uint64_t db_conn_prepares(struct db_conn *c);
int64_t db_changes(struct db_conn *c);

/* One write transaction as a unit (db_tx.c): begin with write intent, fn(c, arg),
 * commit. fn returns RES_OK to commit; anything else rolls back and is returned.
 * RES_BUSY from begin, fn or commit (SQLite busy/locked; PostgreSQL serialization
 * failure or deadlock) rolls back and runs fn again, at most DB_TX_TRIES times with a
 * short jittered back-off, then returns RES_BUSY. So fn may run more than once: it must
 * reset its outputs at its start and have no effects outside the transaction. Not
 * nestable: call it outside any open transaction. Callers must check the result. */
#define DB_TX_TRIES 5
typedef result_t (*db_tx_fn)(struct db_conn *c, void *arg);
__attribute__((warn_unused_result)) result_t db_tx(struct db *db, db_tx_fn fn, void *arg);
/* On single-writer engines (SQLite) the units waiting for the writer's turn run as one
 * transaction, each in its own savepoint (db.c, "combined write transactions"): the
 * batches committed so far and the units in them. */
void db_combine_stats(struct db *db, uint64_t *batches, uint64_t *units);

/* Conveniences. `types` has one letter per parameter $1..$n:
 *   'i' int64_t, 'I' int64_t id where 0 binds SQL NULL, 't' const char * (NULL => SQL
 *   NULL), 'b' binary: const void * then size_t (NULL => SQL NULL), 'n' SQL NULL (no
 *   argument). Migrations write {{ID}} and {{BLOB}} for the driver's column types;
 *   queries may write {{SKIP_LOCKED}} after a locking SELECT (see db_driver.h). */
result_t db_query(struct db_conn *c, struct db_stmt **out, const char *sql, const char *types, ...);
/* Prepare, bind, step once and finalize. RES_OK if a statement ran to completion. */
result_t db_run(struct db_conn *c, const char *sql, const char *types, ...);
/* First column of the first row as int64; RES_NOT_FOUND if no row. */
result_t db_one_i64(struct db_conn *c, int64_t *out, const char *sql, const char *types, ...);

#endif
