/* Driver interface behind db.h. A driver provides connections and statements; db.c
 * owns per-thread connection management, migrations and the convenience calls. */
#ifndef QLVB_DB_DRIVER_H
#define QLVB_DB_DRIVER_H

#include "db/db.h"

struct db_driver {
    const char *name;
    /* Text that replaces {{ID}} in migrations: an auto-assigned integer primary key. */
    const char *id_column;
    const char *blob_column; /* replaces {{BLOB}}: binary data (BLOB, BYTEA) */
    /* Replaces {{SKIP_LOCKED}} in queries: row locking for queue claims ("" on SQLite,
     * whose write transactions serialise; "FOR UPDATE SKIP LOCKED" on PostgreSQL).
     * NULL reads as "". */
    const char *skip_locked;
    result_t (*connect)(const char *target, void **conn, char *err, size_t errsize);
    void (*disconnect)(void *conn);
    /* False once the connection is known lost (db_conn then reconnects); NULL: never. */
    bool (*healthy)(void *conn);
    /* Whether a transaction is still open on the connection (after an error inside it,
     * the engine may have rolled it back by itself); NULL: assume it is. */
    bool (*in_tx)(void *conn);
    const char *(*errmsg)(void *conn);
    result_t (*exec)(void *conn, const char *sql);
    const char *begin_write_sql;
    /* A read snapshot (db_read_begin): every statement until db_read_end sees the same
     * committed state. NULL: statements read on their own. */
    const char *begin_read_sql;
    /* The engine takes one writer at a time (SQLite): db_begin queues this process's
     * writers on a mutex first, so a waiting writer starts the moment the previous one
     * commits instead of polling the database lock with the busy handler's sleeps. */
    bool single_writer;
    /* The database file of a single-writer engine (valid while the connection is open),
     * NULL or "" when there is none (in memory): db.c keeps "<file>-writelock" next to
     * it, the writer's turn across processes. NULL hook: no file. */
    const char *(*file_path)(void *conn);
    /* Run once on the writer connection of a single-writer engine (db.c), or NULL. */
    const char *writer_setup_sql;
    /* db_optimize's statements (NULL: nothing to do). */
    const char *optimize_sql;
    /* Group commit (db_sync.h): switches a new connection to commits that write their log
     * without syncing it, when one sync of one file can make them durable later (SQLite
     * in WAL mode: synchronous=NORMAL), and returns that file's path (valid while the
     * connection is open). NULL, or a NULL hook: the connection's COMMIT syncs by itself
     * (PostgreSQL, an SQLite database that is not in WAL mode). */
    const char *(*group_commit)(void *conn);
    /* Run after begin_write_sql by db_migrate so that concurrent migrators take turns
     * (NULL: the write transaction already excludes them, as on SQLite). */
    const char *migrate_lock_sql;
    result_t (*prepare)(void *conn, const char *sql, void **stmt);
    result_t (*bind_i64)(void *stmt, int idx, int64_t v);
    result_t (*bind_text)(void *stmt, int idx, const char *v);
    /* type: 'i', 't', 'b' for a NULL of that kind, 'n' for an untyped NULL */
    result_t (*bind_null)(void *stmt, int idx, char type);
    result_t (*bind_blob)(void *stmt, int idx, const void *v, size_t len);
    /* How many parameters ($1..$n) the statement takes; db.c checks it against the type
     * letters of every db_query/db_run, so a call with one argument too many or too few
     * fails at once instead of binding the wrong value. */
    int (*param_count)(void *stmt);
    /* true if the statement may change the database (NULL: not known). */
    bool (*stmt_writes)(void *stmt);
    result_t (*step)(void *stmt);
    int64_t (*col_i64)(void *stmt, int col);
    const char *(*col_text)(void *stmt, int col);
    bool (*col_null)(void *stmt, int col);
    const void *(*col_blob)(void *stmt, int col, size_t *len);
    void (*reset)(void *stmt); /* ready for reuse with new bindings */
    void (*finalize)(void *stmt);
    int64_t (*changes)(void *conn);
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

#endif
