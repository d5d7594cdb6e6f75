/* SQLite driver: WAL, foreign keys, busy timeout; synchronous=FULL (every COMMIT syncs
 * the log) unless db.c asks for group commit (group_commit below: synchronous=NORMAL,
 * and db_commit waits for the barrier of db_sync.h before it returns), so that either
 * way an acknowledged commit survives kill -9 and power loss; $N placeholders bound by
 * name (SQLite numbers named parameters by first appearance, so "$N" is looked up,
 * never assumed). */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/db_driver.h"

static result_t map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
        return RES_OK;
    case SQLITE_ROW:
        return RES_ROW;
    case SQLITE_DONE:
        return RES_DONE;
    case SQLITE_CONSTRAINT:
        return RES_CONFLICT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return RES_BUSY;
    case SQLITE_TOOBIG:
        return RES_TOO_LARGE;
    case SQLITE_NOMEM:
        return RES_INTERNAL;
    default:
        return RES_DB;
    }
}

/* Before the library's first use: no memory statistics. With them (SQLite's default)
 * every allocation of every connection takes one global mutex, which the server's
 * threads contended for (futex waits under sqlite3Malloc in a registration profile).
 * Nothing here reads sqlite3_memory_used. Fails harmlessly (SQLITE_MISUSE) if the
 * library was initialised already, e.g. by a test that opened a database itself. */
static pthread_once_t config_once = PTHREAD_ONCE_INIT;
static void config_library(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static result_t sq_connect(const char *target, void **conn, char *err, size_t errsize)
{
    sqlite3 *h = NULL;
    pthread_once(&config_once, config_library);
    int rc = sqlite3_open_v2(
        target, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errsize, "%s", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close(h);
        return RES_DB;
    }
    sqlite3_busy_timeout(h, 10000);
    sqlite3_extended_result_codes(h, 1);
    const char *setup = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                        "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";
    char *msg = NULL;
    /* Switching a brand-new database to WAL takes a lock that SQLite may refuse at once
     * (without its busy handler) while another connection opens it: try again briefly. */
    for (int i = 0; (rc = sqlite3_exec(h, setup, NULL, NULL, &msg)) != SQLITE_OK && i < 100 &&
                    ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED);
         i++) {
        sqlite3_free(msg);
        msg = NULL;
        usleep(10000);
    }
    if (rc != SQLITE_OK) {
        snprintf(err, errsize, "%s", msg ? msg : "setup failed");
        sqlite3_free(msg);
        sqlite3_close(h);
        return RES_DB;
    }
    *conn = h;
    return RES_OK;
}

/* In WAL mode a COMMIT with synchronous=NORMAL appends its frames to the -wal file and
 * returns without syncing it; SQLite still syncs the log before a checkpoint copies it
 * into the database, the database after a checkpoint, and the log header when the
 * log starts over after a checkpoint (PRAGMA synchronous). Every commit's frames are
 * in the log file until a checkpoint has copied and synced them, and after a power loss
 * SQLite replays the log's valid frames from its start, stopping at the first frame
 * whose checksum fails (wal.html, fileformat "WAL file format"): so one fdatasync of the
 * log makes every commit written before it durable (docs/architecture.md "Storage"). */
static const char *sq_group_commit(void *conn)
{
    sqlite3 *h = conn;
    sqlite3_stmt *st = NULL;
    bool wal = false;
    if (sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const char *mode = (const char *)sqlite3_column_text(st, 0);
        wal = mode && strcmp(mode, "wal") == 0;
    }
    sqlite3_finalize(st);
    const char *db = sqlite3_db_filename(h, "main");
    if (!wal || !db || !*db) /* an in-memory database has no log to sync */
        return NULL;
    if (sqlite3_exec(h, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) != SQLITE_OK)
        return NULL; /* still FULL */
    return sqlite3_filename_wal(db);
}

static const char *sq_file_path(void *conn)
{
    return sqlite3_db_filename(conn, "main");
}

static void sq_disconnect(void *conn)
{
    sqlite3_close_v2(conn);
}

static const char *sq_errmsg(void *conn)
{
    return sqlite3_errmsg(conn);
}

static bool sq_in_tx(void *conn)
{
    return !sqlite3_get_autocommit(conn);
}

static result_t sq_exec(void *conn, const char *sql)
{
    return map_rc(sqlite3_exec(conn, sql, NULL, NULL, NULL));
}

static result_t sq_prepare(void *conn, const char *sql, void **stmt)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK)
        return map_rc(rc) == RES_BUSY ? RES_BUSY : RES_DB;
    *stmt = st;
    return RES_OK;
}

static int param_index(void *stmt, int idx)
{
    char name[16];
    snprintf(name, sizeof(name), "$%d", idx);
    return sqlite3_bind_parameter_index(stmt, name);
}

static result_t sq_bind_i64(void *stmt, int idx, int64_t v)
{
    int i = param_index(stmt, idx);
    return i ? map_rc(sqlite3_bind_int64(stmt, i, v)) : RES_INTERNAL;
}

static result_t sq_bind_text(void *stmt, int idx, const char *v)
{
    int i = param_index(stmt, idx);
    if (!i)
        return RES_INTERNAL;
    if (!v)
        return map_rc(sqlite3_bind_null(stmt, i));
    return map_rc(sqlite3_bind_text(stmt, i, v, -1, SQLITE_TRANSIENT));
}

static result_t sq_bind_blob(void *stmt, int idx, const void *v, size_t len)
{
    int i = param_index(stmt, idx);
    if (!i)
        return RES_INTERNAL;
    if (!v)
        return map_rc(sqlite3_bind_null(stmt, i));
    return map_rc(sqlite3_bind_blob64(stmt, i, len ? v : "", len, SQLITE_TRANSIENT));
}

static result_t sq_bind_null(void *stmt, int idx, char type)
{
    (void)type; /* SQLite values carry their own type */
    int i = param_index(stmt, idx);
    return i ? map_rc(sqlite3_bind_null(stmt, i)) : RES_INTERNAL;
}

static result_t sq_step(void *stmt)
{
    return map_rc(sqlite3_step(stmt));
}

static int64_t sq_col_i64(void *stmt, int col)
{
    return sqlite3_column_int64(stmt, col);
}

static const char *sq_col_text(void *stmt, int col)
{
    return (const char *)sqlite3_column_text(stmt, col);
}

static const void *sq_col_blob(void *stmt, int col, size_t *len)
{
    const void *p = sqlite3_column_blob(stmt, col);
    *len = p ? (size_t)sqlite3_column_bytes(stmt, col) : 0;
    return p;
}

static bool sq_col_null(void *stmt, int col)
{
    return sqlite3_column_type(stmt, col) == SQLITE_NULL;
}

static void sq_reset(void *stmt)
{
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
}

static void sq_finalize(void *stmt)
{
    sqlite3_finalize(stmt);
}

static bool sq_stmt_writes(void *stmt)
{
    return !sqlite3_stmt_readonly(stmt);
}

static int sq_param_count(void *stmt)
{
    return sqlite3_bind_parameter_count(stmt);
}

static int64_t sq_changes(void *conn)
{
    return sqlite3_changes64(conn);
}

const struct db_driver db_sqlite_driver = {
    .name = "sqlite",
    .id_column = "INTEGER PRIMARY KEY",
    .in_tx = sq_in_tx,
    .blob_column = "BLOB",
    .skip_locked = "",
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .errmsg = sq_errmsg,
    .exec = sq_exec,
    .begin_write_sql = "BEGIN IMMEDIATE",
    /* deferred: the first read takes the WAL snapshot, and the page cache stays valid
     * for every statement after it (a statement on its own starts a read transaction,
     * and after another connection's commit the handle's cache is thrown away) */
    .begin_read_sql = "BEGIN",
    .single_writer = true,
    .file_path = sq_file_path,
    /* 64 MiB of page cache (the default is 2 MiB): the pages every registration writes —
     * index leaves and their parents across a dozen indexes — stay there. A checkpoint
     * every 4 000 log pages (16 MiB) instead of 1 000: it runs inside a commit, in the
     * writer's turn, with two syncs; fewer of them, and a page written by many commits
     * in between is copied once (the turn's mean 1.18 -> 1.02 ms and 1.45 -> 1.28 ms
     * with 32 clients registering, two pairs). */
    .writer_setup_sql = "PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=4000",
    .optimize_sql = "PRAGMA analysis_limit=1000; ANALYZE",
    .group_commit = sq_group_commit,
    .prepare = sq_prepare,
    .bind_i64 = sq_bind_i64,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .bind_blob = sq_bind_blob,
    .param_count = sq_param_count,
    .stmt_writes = sq_stmt_writes,
    .step = sq_step,
    .col_i64 = sq_col_i64,
    .col_text = sq_col_text,
    .col_null = sq_col_null,
    .col_blob = sq_col_blob,
    .reset = sq_reset,
    .finalize = sq_finalize,
    .changes = sq_changes,
};
