/* Engine-independent part of db.h: per-thread connections (a pthread key whose
 * destructor closes the connection when the thread ends), a per-connection cache of
 * prepared statements, migrations from embedded files, and binding conveniences.
 *
 * One writer connection (single-writer engines, SQLite): every write transaction of the
 * process runs on one shared handle, taken with the writer's turn (db_begin) and given
 * back with it (commit, rollback). Nothing else writes, so its page cache stays valid
 * from one transaction to the next; on a thread's own handle SQLite throws the whole
 * cache away whenever another connection has committed (WAL mode), and every write
 * transaction read its B-tree pages again. The thread's db_conn stays the caller's
 * handle on the connection: only what it points at changes (cur).
 *
 * Across processes (single-writer engines with a file, SQLite): the writer's turn also
 * holds an flock on "<database>-writelock", so that a CLI command writing while
 * `qlvb serve` runs takes turns with the server's writer for the whole transaction,
 * COMMIT and the checkpoint SQLite runs inside it included (SQLite's own write lock is
 * given up before that checkpoint: the WAL-reset bug, docs/architecture.md "Storage"). */
#include "db/db.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db/db_driver.h"
#include "db/db_sync.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/embedded.h"
#include "util/log.h"
#include "util/str.h"

/* Prepared statements kept per connection; when full, the least recently used one not
 * in use makes room (before, the first 48 texts stayed for the connection's life and
 * every later one was prepared and finalized at each use: the lists, whose text
 * depends on the filters, once a thread had seen 48 others). */
#define STMT_CACHE 96

struct db_stmt {
    struct db_conn *conn;
    void *h;
    char *sql; /* owned copy: callers may build SQL in reusable buffers */
    bool in_use;
    bool cached;
    bool own_turn; /* a write outside a transaction took the writer's turn (db_step) */
    uint32_t hash; /* of sql (cached statements) */
    uint64_t used; /* the cache's clock at its last use */
};

/* A database handle and the statements prepared on it. */
struct conn_state {
    void *h;
    struct db_stmt cache[STMT_CACHE];
    int ncache;
    uint64_t clock;    /* ticks at every use of a cached statement */
    uint64_t prepares; /* statements the engine prepared on this handle */
};

struct db_conn {
    struct db *db;
    struct conn_state own;
    struct conn_state *cur; /* &own, or the writer's during a write transaction */
    char err[256];
    /* A lost connection is replaced only between statements and outside a
     * transaction: open statements point into it, and a transaction cannot continue
     * on another connection. */
    int open_stmts;
    bool in_tx;
    int reads;         /* db_read_begin depth */
    bool read_began;   /* the outermost one opened a snapshot on this handle */
    bool holds_write;  /* this connection holds db->write_lock */
    int64_t turn_from; /* when it took it (monotonic ns) */
    /* Group commit: this connection's COMMIT does not sync; db_commit waits here. */
    struct db_sync *sync;
    int64_t retry_at; /* after a failed attempt, none before this (unix seconds) */
};

struct db {
    const struct db_driver *drv;
    char *target;
    pthread_key_t key;
    pthread_mutex_t lock;
    pthread_mutex_t write_lock; /* drv->single_writer: the process's writers in turn */
    /* The cross-process write lock (an flock on "<file>-writelock", taken and released
     * with write_lock) and how long a writer waits for it before RES_BUSY; -1: none (an
     * in-memory database, PostgreSQL). */
    int xlock_fd;
    char *xlock_path;
    int xlock_wait_ms;
    struct db_sync *sync; /* group commit's barrier (db_sync.h), under lock */
    /* The writer connection (drv->single_writer), made by the first write transaction;
     * used only by the holder of write_lock. NULL with use_writer false: off
     * (QLVB_DB_WRITER_CONN=0, for comparisons) or could not be opened. */
    struct conn_state *writer;
    bool use_writer;
    /* The writer's turns (single_writer): how many, how long they were held and waited
     * for (ns), logged by db_close; updated by the holder. */
    uint64_t turns, turn_held_ns, turn_wait_ns;
    /* Combined write transactions (single_writer; db_tx_combined): the queue of waiting
     * units, whether a leader is running a batch, and the batches' statistics. */
    pthread_mutex_t q_lock;
    struct tx_req *q_head, **q_tail;
    bool leading, combine;
    uint64_t batches, batched;
    struct db_conn **all; /* every open connection, closed by db_close */
    size_t nall, capall;
};

static int64_t mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void state_drop_cache(const struct db_driver *drv, struct conn_state *st)
{
    for (int i = 0; i < st->ncache; i++) {
        drv->finalize(st->cache[i].h);
        free(st->cache[i].sql);
    }
    st->ncache = 0;
}

static void conn_free(struct db_conn *c)
{
    state_drop_cache(c->db->drv, &c->own);
    c->db->drv->disconnect(c->own.h);
    free(c);
}

void db_url_redact(const char *url, char *out, size_t n)
{
    struct buf b = BUF_INIT(4096);
    const char *p = url;
    const char *scheme = strstr(url, "://");
    if (scheme) { /* scheme://user:password@host */
        const char *auth = scheme + 3, *end = auth + strcspn(auth, "/?#"), *at = NULL;
        for (const char *q = auth; q < end; q++)
            if (*q == '@')
                at = q;
        const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon) {
            buf_append(&b, url, (size_t)(colon + 1 - url));
            buf_puts(&b, "***");
            p = at;
        }
    }
    for (;;) { /* password=… as a URL query parameter or a keyword/value pair */
        const char *k = strstr(p, "password=");
        if (!k)
            break;
        buf_append(&b, p, (size_t)(k + 9 - p));
        buf_puts(&b, "***");
        p = k + 9 + strcspn(k + 9, "& ");
    }
    buf_puts(&b, p);
    str_copy(out, buf_str(&b), n);
    buf_release(&b);
}

static void conn_thread_exit(void *p)
{
    struct db_conn *c = p;
    struct db *db = c->db;
    pthread_mutex_lock(&db->lock);
    for (size_t i = 0; i < db->nall; i++)
        if (db->all[i] == c) {
            db->all[i] = db->all[--db->nall];
            break;
        }
    pthread_mutex_unlock(&db->lock);
    conn_free(c);
}

/* Opens (creating it with the database file's permissions) "<file>-writelock" for a
 * single-writer engine's database file. Never a descriptor on the database file itself:
 * closing one would drop every POSIX lock SQLite holds on it in this process. */
static result_t xlock_open(struct db *db, struct db_conn *c)
{
    const char *file = db->drv->file_path ? db->drv->file_path(c->own.h) : NULL;
    if (!db->drv->single_writer || !file || !*file)
        return RES_OK;
    struct stat st;
    mode_t mode = stat(file, &st) == 0 ? (st.st_mode & 0666) : 0600;
    size_t n = strlen(file) + sizeof("-writelock");
    db->xlock_path = xmalloc(n);
    snprintf(db->xlock_path, n, "%s-writelock", file);
    db->xlock_fd = open(db->xlock_path, O_RDWR | O_CREAT | O_CLOEXEC, mode);
    if (db->xlock_fd < 0) {
        log_error("msg=\"cannot open the database write lock\" path=\"%s\" err=\"%s\"",
                  db->xlock_path, strerror(errno));
        return RES_DB;
    }
    db->xlock_wait_ms = 10000;                      /* as SQLite's busy timeout (db_sqlite.c) */
    const char *w = getenv("QLVB_DB_LOCK_WAIT_MS"); /* tests: a shorter wait */
    int64_t v = 0;
    if (w && str_to_i64(w, 0, 600000, &v) == RES_OK)
        db->xlock_wait_ms = (int)v;
    return RES_OK;
}

/* The writer's turn: this process's writers queue on write_lock, then the holder waits
 * for the cross-process lock (polling: flock has no timeout) at most xlock_wait_ms.
 * RES_BUSY, with nothing held, when another process kept it that long. */
static result_t turn_take(struct db *db)
{
    pthread_mutex_lock(&db->write_lock);
    if (db->xlock_fd < 0)
        return RES_OK;
    double deadline = clock_mono_ms() + db->xlock_wait_ms;
    long pause_us = 500;
    for (;;) {
        if (flock(db->xlock_fd, LOCK_EX | LOCK_NB) == 0)
            return RES_OK;
        if (errno != EWOULDBLOCK && errno != EINTR) {
            log_error("msg=\"database write lock failed\" path=\"%s\" err=\"%s\"", db->xlock_path,
                      strerror(errno));
            break;
        }
        if (errno == EWOULDBLOCK && clock_mono_ms() >= deadline) {
            log_warn("msg=\"database busy: another process is writing\" path=\"%s\" "
                     "waited_ms=%d",
                     db->xlock_path, db->xlock_wait_ms);
            break;
        }
        struct timespec ts = {.tv_sec = 0, .tv_nsec = pause_us * 1000};
        nanosleep(&ts, NULL);
        if (pause_us < 8000)
            pause_us *= 2;
    }
    pthread_mutex_unlock(&db->write_lock);
    return RES_BUSY;
}

static void turn_give(struct db *db)
{
    if (db->xlock_fd >= 0)
        flock(db->xlock_fd, LOCK_UN);
    pthread_mutex_unlock(&db->write_lock);
}

result_t db_open(const char *url, struct db **out)
{
    const struct db_driver *drv = NULL;
    const char *target = url;
    if (strncmp(url, "sqlite:", 7) == 0) {
        drv = &db_sqlite_driver;
        target = url + 7;
    } else if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
        drv = &db_pg_driver; /* libpq takes the URL as it is */
    } else {
        drv = &db_sqlite_driver;
    }
    struct db *db = xcalloc(1, sizeof(*db));
    db->drv = drv;
    const char *wc = getenv("QLVB_DB_WRITER_CONN"); /* 0: off, for comparisons */
    db->use_writer = drv->single_writer && !(wc && strcmp(wc, "0") == 0);
    db->target = xstrdup(target);
    pthread_key_create(&db->key, conn_thread_exit);
    pthread_mutex_init(&db->lock, NULL);
    pthread_mutex_init(&db->write_lock, NULL);
    pthread_mutex_init(&db->q_lock, NULL);
    db->q_tail = &db->q_head;
    const char *cb = getenv("QLVB_DB_COMBINE"); /* 0: off, for comparisons */
    db->combine = drv->single_writer && !(cb && strcmp(cb, "0") == 0);
    db->xlock_fd = -1;
    struct db_conn *c = db_conn(db); /* fail early if the database cannot be opened */
    if (!c) {
        db_close(db);
        return drv == &db_sqlite_driver ? RES_DB : RES_RECONNECT;
    }
    if (xlock_open(db, c) != RES_OK) {
        db_close(db);
        return RES_DB;
    }
    *out = db;
    return RES_OK;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    pthread_setspecific(db->key, NULL);
    pthread_mutex_lock(&db->lock);
    for (size_t i = 0; i < db->nall; i++)
        conn_free(db->all[i]);
    free(db->all);
    pthread_mutex_unlock(&db->lock);
    pthread_key_delete(db->key);
    pthread_mutex_destroy(&db->lock);
    pthread_mutex_destroy(&db->write_lock);
    pthread_mutex_destroy(&db->q_lock);
    if (db->xlock_fd >= 0)
        close(db->xlock_fd); /* after every connection: SQLite's last close checkpoints */
    free(db->xlock_path);
    if (db->writer) {
        state_drop_cache(db->drv, db->writer);
        db->drv->disconnect(db->writer->h);
        free(db->writer);
    }
    if (db->sync) {
        struct db_sync_stats st;
        db_sync_stats(db->sync, &st);
        if (st.commits)
            log_info("msg=\"group commit\" commits=%llu syncs=%llu", (unsigned long long)st.commits,
                     (unsigned long long)st.syncs);
    }
    if (db->batches)
        log_info("msg=\"combined write transactions\" units=%llu batches=%llu",
                 (unsigned long long)db->batched, (unsigned long long)db->batches);
    if (db->turns)
        log_info("msg=\"writer turns\" turns=%llu held_ms_mean=%.3f wait_ms_mean=%.3f",
                 (unsigned long long)db->turns, (double)db->turn_held_ns / 1e6 / (double)db->turns,
                 (double)db->turn_wait_ns / 1e6 / (double)db->turns);
    db_sync_free(db->sync);
    free(db->target);
    free(db);
}

const char *db_engine(const struct db *db)
{
    return db->drv->name;
}

/* Replaces a lost connection when nothing points into it; on failure the old one
 * stays, and its statements keep answering RES_RECONNECT until a later attempt. */
static void conn_revive(struct db_conn *c)
{
    const struct db_driver *drv = c->db->drv;
    if (!drv->healthy || c->open_stmts > 0 || c->in_tx || c->reads || c->cur != &c->own ||
        drv->healthy(c->own.h))
        return;
    int64_t now = clock_now();
    if (now < c->retry_at)
        return;
    char safe[512];
    db_url_redact(c->db->target, safe, sizeof(safe));
    void *h = NULL;
    if (drv->connect(c->db->target, &h, c->err, sizeof(c->err)) != RES_OK) {
        c->retry_at = now + 1; /* a server that is down is not asked on every call */
        log_error("msg=\"database reconnect failed\" target=\"%s\" err=\"%s\"", safe, c->err);
        return;
    }
    state_drop_cache(drv, &c->own);
    drv->disconnect(c->own.h);
    c->own.h = h;
    log_warn("msg=\"database connection lost; reconnected\" target=\"%s\"", safe);
}

struct db_conn *db_conn(struct db *db)
{
    struct db_conn *c = pthread_getspecific(db->key);
    if (c) {
        conn_revive(c);
        return c;
    }
    c = xcalloc(1, sizeof(*c));
    c->db = db;
    c->cur = &c->own;
    if (db->drv->connect(db->target, &c->own.h, c->err, sizeof(c->err)) != RES_OK) {
        char safe[512];
        db_url_redact(db->target, safe, sizeof(safe));
        log_error("msg=\"cannot open database\" target=\"%s\" err=\"%s\"", safe, c->err);
        free(c);
        return NULL;
    }
    /* QLVB_DB_GROUP_COMMIT=0: every COMMIT syncs by itself (for comparisons). */
    const char *gc = getenv("QLVB_DB_GROUP_COMMIT");
    const char *log = db->drv->group_commit && !(gc && strcmp(gc, "0") == 0)
                          ? db->drv->group_commit(c->own.h)
                          : NULL;
    pthread_mutex_lock(&db->lock);
    if (log && !db->sync)
        db->sync = db_sync_new(log); /* one database, so one log for every connection */
    c->sync = log ? db->sync : NULL;
    if (db->nall == db->capall) {
        db->capall = db->capall ? db->capall * 2 : 16;
        db->all = xrealloc(db->all, db->capall * sizeof(*db->all));
    }
    db->all[db->nall++] = c;
    pthread_mutex_unlock(&db->lock);
    pthread_setspecific(db->key, c);
    return c;
}

const char *db_errmsg(struct db_conn *c)
{
    return c->db->drv->errmsg(c->cur->h);
}

result_t db_exec(struct db_conn *c, const char *sql)
{
    result_t r = c->db->drv->exec(c->cur->h, sql);
    if (r != RES_OK && r != RES_DONE)
        log_error("msg=\"db exec failed\" err=\"%s\"", db_errmsg(c));
    return r == RES_DONE ? RES_OK : r;
}

/* A transaction control statement (BEGIN, COMMIT, SAVEPOINT, RELEASE) of the hot path,
 * from the statement cache on single-writer engines: sqlite3_exec parses its text at
 * every call (1 % of the server's CPU in a registration, whose batch runs six of them
 * per unit). The others, and multi-statement text, go through db_exec. */
static result_t exec_control(struct db_conn *c, const char *sql)
{
    if (!c->db->drv->single_writer)
        return db_exec(c, sql);
    struct db_stmt *s = NULL;
    result_t r = db_prepare(c, sql, &s);
    if (r != RES_OK)
        return r;
    r = c->db->drv->step(s->h);
    if (r != RES_DONE && r != RES_ROW)
        log_error("msg=\"db exec failed\" err=\"%s\" sql=\"%s\"", db_errmsg(c), sql);
    db_finalize(s);
    return r == RES_DONE || r == RES_ROW ? RES_OK : r;
}

result_t db_read_begin(struct db_conn *c)
{
    if (c->reads++ > 0 || c->in_tx || c->holds_write || c->cur != &c->own ||
        !c->db->drv->begin_read_sql)
        return RES_OK;
    result_t r = exec_control(c, c->db->drv->begin_read_sql);
    c->read_began = r == RES_OK;
    return r;
}

void db_read_end(struct db_conn *c)
{
    if (c->reads <= 0 || --c->reads > 0 || !c->read_began)
        return;
    c->read_began = false;
    /* Ends the snapshot; on an aborted PostgreSQL transaction COMMIT rolls back. */
    if ((c->cur == &c->own ? exec_control(c, "COMMIT") : c->db->drv->exec(c->own.h, "COMMIT")) !=
        RES_OK)
        log_error("msg=\"db read snapshot end failed\" err=\"%s\"", db_errmsg(c));
}

static void write_release(struct db_conn *c)
{
    if (c->holds_write) {
        if (c->cur != &c->own && c->open_stmts > 0)
            /* a statement of the writer's handle still open: the next holder would use
             * the handle from another thread at the same time (the harness fails on it) */
            log_error("msg=\"db statement left open across the end of a transaction\" open=%d",
                      c->open_stmts);
        c->cur = &c->own;
        c->holds_write = false;
        c->db->turns++;
        c->db->turn_held_ns += (uint64_t)(mono_ns() - c->turn_from);
        turn_give(c->db);
    }
}

/* The writer connection, opened by the first write transaction (the caller holds
 * write_lock). Set up as every connection, with a larger page cache: the pages write
 * transactions touch (index leaves, interior pages) stay in it. NULL if it cannot be
 * opened: transactions then run on their own threads' handles, as before. */
static struct conn_state *writer_state(struct db *db)
{
    if (db->writer || !db->use_writer)
        return db->writer;
    struct conn_state *st = xcalloc(1, sizeof(*st));
    char err[256];
    if (db->drv->connect(db->target, &st->h, err, sizeof(err)) != RES_OK) {
        log_error("msg=\"cannot open the writer connection\" err=\"%s\"", err);
        free(st);
        db->use_writer = false;
        return NULL;
    }
    if (db->sync && db->drv->group_commit)
        db->drv->group_commit(st->h); /* its commits wait on the same barrier */
    if (db->drv->writer_setup_sql)
        db->drv->exec(st->h, db->drv->writer_setup_sql);
    db->writer = st;
    return st;
}

/* A write inside a read snapshot (db_read_begin) is a bug on either engine (on
 * PostgreSQL the snapshot is READ ONLY): refused on both, so SQLite's tests find it. */
bool db_in_read(const struct db_conn *c)
{
    if (c->read_began)
        log_error("msg=\"db write inside a read snapshot\"");
    return c->read_began;
}

result_t db_begin(struct db_conn *c)
{
    if (db_in_read(c))
        return RES_INTERNAL;
    if (c->sync && db_sync_broken(c->sync))
        return RES_IO; /* no change that could not be acknowledged (db_sync.h) */
    bool took = false;
    if (c->db->drv->single_writer && !c->holds_write) {
        int64_t asked = mono_ns();
        result_t t = turn_take(c->db);
        if (t != RES_OK)
            return t;
        c->holds_write = took = true;
        c->turn_from = mono_ns();
        c->db->turn_wait_ns += (uint64_t)(c->turn_from - asked);
        /* With statements of its own handle open, a transaction stays on that handle. */
        struct conn_state *w = c->open_stmts ? NULL : writer_state(c->db);
        if (w)
            c->cur = w;
    }
    result_t r = exec_control(c, c->db->drv->begin_write_sql);
    c->in_tx = r == RES_OK;
    if (r != RES_OK && took) /* a BEGIN inside an open transaction keeps the outer's turn */
        write_release(c);
    return r;
}

result_t db_commit(struct db_conn *c)
{
    result_t r = exec_control(c, "COMMIT");
    if (r != RES_OK)
        return r;
    c->in_tx = false;
    /* Group commit: the number is taken once the log write returned, the writer's turn
     * goes to the next one, and the commit is acknowledged (returns) only once a sync
     * covering it completed (db_sync.h). Never RES_BUSY: db_tx must not run it again. */
    uint64_t seq = c->sync ? db_sync_committed(c->sync) : 0;
    write_release(c);
    return seq ? db_sync_wait(c->sync, seq) : RES_OK;
}

result_t db_optimize(struct db *db)
{
    if (!db->drv->optimize_sql)
        return RES_OK;
    struct db_conn *c = db_conn(db);
    if (!c)
        return RES_DB;
    result_t r = db_begin(c);
    if (r != RES_OK)
        return r;
    if ((r = db_exec(c, db->drv->optimize_sql)) != RES_OK) {
        db_rollback(c);
        return r;
    }
    return db_commit(c);
}

bool db_group_commit_stats(struct db *db, struct db_sync_stats *out)
{
    pthread_mutex_lock(&db->lock);
    struct db_sync *s = db->sync;
    pthread_mutex_unlock(&db->lock);
    if (s)
        db_sync_stats(s, out);
    return s != NULL;
}

result_t db_rollback(struct db_conn *c)
{
    c->in_tx = false;
    result_t r = c->db->drv->exec(c->cur->h, "ROLLBACK") == RES_OK ? RES_OK : RES_DB;
    write_release(c);
    return r;
}

/* Dialect tokens of queries (the cache keeps the text as written, so this runs once per
 * statement and connection). Returns NULL when there is nothing to replace. */
static char *query_sql(const struct db_driver *drv, const char *sql)
{
    static const char token[] = "{{SKIP_LOCKED}}";
    const char *tok = strstr(sql, token);
    if (!tok)
        return NULL;
    struct buf b = BUF_INIT(1 << 20);
    const char *p = sql;
    for (; tok; p = tok + sizeof(token) - 1, tok = strstr(p, token)) {
        buf_append(&b, p, (size_t)(tok - p));
        buf_puts(&b, drv->skip_locked ? drv->skip_locked : "");
    }
    buf_puts(&b, p);
    return buf_detach(&b, NULL);
}

result_t db_prepare(struct db_conn *c, const char *sql, struct db_stmt **out)
{
    struct conn_state *st = c->cur;
    uint32_t hash = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
        hash = (hash ^ *p) * 16777619u;
    for (int i = 0; i < st->ncache; i++) {
        struct db_stmt *s = &st->cache[i];
        if (!s->in_use && s->hash == hash && strcmp(s->sql, sql) == 0) {
            s->in_use = true;
            s->used = ++st->clock;
            s->conn = c; /* the writer's statements serve every thread in turn */
            c->open_stmts++;
            *out = s;
            return RES_OK;
        }
    }
    void *h = NULL;
    char *dialect = query_sql(c->db->drv, sql); /* NULL when sql has no tokens */
    result_t r = c->db->drv->prepare(st->h, dialect ? dialect : sql, &h);
    free(dialect);
    st->prepares++;
    if (r != RES_OK) {
        log_error("msg=\"db prepare failed\" err=\"%s\" sql=\"%.120s\"", db_errmsg(c), sql);
        return r;
    }
    struct db_stmt *s = NULL;
    if (st->ncache < STMT_CACHE) {
        s = &st->cache[st->ncache++];
    } else { /* the least recently used one not in use makes room */
        for (int i = 0; i < st->ncache; i++)
            if (!st->cache[i].in_use && (!s || st->cache[i].used < s->used))
                s = &st->cache[i];
        if (s) {
            c->db->drv->finalize(s->h);
            free(s->sql);
        }
    }
    if (s) {
        s->cached = true;
        s->hash = hash;
        s->used = ++st->clock;
    } else { /* every cached one is open */
        s = xcalloc(1, sizeof(*s));
        s->cached = false;
    }
    s->conn = c;
    s->h = h;
    s->sql = xstrdup(sql);
    s->in_use = true;
    c->open_stmts++;
    *out = s;
    return RES_OK;
}

result_t db_bind_i64(struct db_stmt *s, int idx, int64_t v)
{
    return s->conn->db->drv->bind_i64(s->h, idx, v);
}

result_t db_bind_text(struct db_stmt *s, int idx, const char *v)
{
    return s->conn->db->drv->bind_text(s->h, idx, v);
}

result_t db_bind_blob(struct db_stmt *s, int idx, const void *v, size_t len)
{
    return s->conn->db->drv->bind_blob(s->h, idx, v, len);
}

result_t db_bind_null(struct db_stmt *s, int idx)
{
    return s->conn->db->drv->bind_null(s->h, idx, 'n');
}

result_t db_step(struct db_stmt *s)
{
    struct db_conn *c = s->conn;
    const struct db_driver *drv = c->db->drv;
    if (c->read_began && drv->stmt_writes && drv->stmt_writes(s->h) && db_in_read(c))
        return RES_INTERNAL;
    if (drv->single_writer && !c->holds_write && drv->stmt_writes && drv->stmt_writes(s->h)) {
        /* A write outside db_begin: it still takes the writer's turn until the statement
         * ends, so that no write of this process (nor the checkpoint SQLite runs in a
         * commit) overlaps another's — the condition of SQLite's WAL-reset bug (fixed only
         * in 3.51.3; docs/architecture.md "Storage"). Not group-committed: a write that
         * must survive a crash belongs in a transaction, hence the error line (the
         * integration harness fails on it). */
        log_error("msg=\"db write outside a transaction\" sql=\"%.120s\"", s->sql);
        result_t t = turn_take(c->db);
        if (t != RES_OK)
            return t;
        c->holds_write = s->own_turn = true;
        c->turn_from = mono_ns();
    }
    result_t r = drv->step(s->h);
    if (r != RES_ROW && r != RES_DONE && r != RES_CONFLICT)
        log_error("msg=\"db step failed\" result=%s err=\"%s\" sql=\"%.120s\"", result_name(r),
                  db_errmsg(s->conn), s->sql);
    return r;
}

int64_t db_col_i64(struct db_stmt *s, int col)
{
    return s->conn->db->drv->col_i64(s->h, col);
}

const char *db_col_text(struct db_stmt *s, int col)
{
    return s->conn->db->drv->col_text(s->h, col);
}

const void *db_col_blob(struct db_stmt *s, int col, size_t *len)
{
    return s->conn->db->drv->col_blob(s->h, col, len);
}

bool db_col_null(struct db_stmt *s, int col)
{
    return s->conn->db->drv->col_null(s->h, col);
}

void db_finalize(struct db_stmt *s)
{
    if (!s)
        return;
    const struct db_driver *drv = s->conn->db->drv;
    s->conn->open_stmts--;
    if (s->own_turn) {
        s->own_turn = false;
        drv->reset(s->h); /* ends the statement's own transaction before the turn passes */
        write_release(s->conn);
    }
    if (s->cached) {
        drv->reset(s->h);
        s->in_use = false;
    } else {
        drv->finalize(s->h);
        free(s->sql);
        free(s);
    }
}

int64_t db_changes(struct db_conn *c)
{
    return c->db->drv->changes(c->cur->h);
}

static result_t bind_va(struct db_stmt *s, const char *types, va_list ap)
{
    result_t r = RES_OK;
    const struct db_driver *drv = s->conn->db->drv;
    size_t ntypes = types ? strlen(types) : 0;
    if (drv->param_count && (size_t)drv->param_count(s->h) != ntypes) {
        log_error("msg=\"db bind: the type letters do not match the parameters\" types=\"%s\" "
                  "params=%d sql=\"%.200s\"",
                  types ? types : "", drv->param_count(s->h), s->sql);
        return RES_INTERNAL;
    }
    for (int i = 0; types && types[i] && r == RES_OK; i++) {
        switch (types[i]) {
        case 'i':
            r = db_bind_i64(s, i + 1, va_arg(ap, int64_t));
            break;
        case 't':
            r = db_bind_text(s, i + 1, va_arg(ap, const char *));
            break;
        case 'n':
            r = db_bind_null(s, i + 1);
            break;
        case 'b': {
            const void *p = va_arg(ap, const void *);
            size_t len = va_arg(ap, size_t);
            r = db_bind_blob(s, i + 1, p, len);
            break;
        }
        case 'I': {
            int64_t v = va_arg(ap, int64_t);
            r = v ? db_bind_i64(s, i + 1, v) : s->conn->db->drv->bind_null(s->h, i + 1, 'i');
            break;
        }
        default:
            r = RES_INTERNAL;
        }
    }
    return r;
}

static result_t prepare_bound(struct db_conn *c, struct db_stmt **out, const char *sql,
                              const char *types, va_list ap)
{
    struct db_stmt *s = NULL;
    result_t r = db_prepare(c, sql, &s);
    if (r != RES_OK)
        return r;
    r = bind_va(s, types, ap);
    if (r != RES_OK) {
        log_error("msg=\"db bind failed\" sql=\"%.120s\"", sql);
        db_finalize(s);
        return r;
    }
    *out = s;
    return RES_OK;
}

result_t db_query(struct db_conn *c, struct db_stmt **out, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    result_t r = prepare_bound(c, out, sql, types, ap);
    va_end(ap);
    return r;
}

result_t db_run(struct db_conn *c, const char *sql, const char *types, ...)
{
    struct db_stmt *s = NULL;
    va_list ap;
    va_start(ap, types);
    result_t r = prepare_bound(c, &s, sql, types, ap);
    va_end(ap);
    if (r != RES_OK)
        return r;
    while ((r = db_step(s)) == RES_ROW)
        ;
    db_finalize(s);
    return r == RES_DONE ? RES_OK : r;
}

result_t db_one_i64(struct db_conn *c, int64_t *out, const char *sql, const char *types, ...)
{
    struct db_stmt *s = NULL;
    va_list ap;
    va_start(ap, types);
    result_t r = prepare_bound(c, &s, sql, types, ap);
    va_end(ap);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW)
        *out = db_col_i64(s, 0);
    db_finalize(s);
    return r == RES_ROW ? RES_OK : r == RES_DONE ? RES_NOT_FOUND : r;
}

/* ---- migrations ---- */

static const char *migration_engine(const char *name, char *out, size_t n);

/* By version, then the shared file before the engine's own one. */
static int cmp_migrations(const void *a, const void *b)
{
    const char *x = (*(const struct embedded_file *const *)a)->name;
    const char *y = (*(const struct embedded_file *const *)b)->name;
    int v = memcmp(x + 14, y + 14, 4);
    if (v)
        return v;
    char e1[32], e2[32];
    int ex = migration_engine(x, e1, sizeof(e1)) != NULL;
    int ey = migration_engine(y, e2, sizeof(e2)) != NULL;
    return ex != ey ? ex - ey : strcmp(x, y);
}

int db_schema_version(struct db *db)
{
    struct db_conn *c = db_conn(db);
    int64_t v = 0;
    if (!c ||
        db_one_i64(c, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_version", "") != RES_OK)
        return -1;
    return (int)v;
}

/* Replaces the dialect tokens of a migration with the driver's text. */
static char *migration_sql(const struct db_driver *drv, const char *src)
{
    const struct {
        const char *token, *text;
    } toks[] = {{"{{ID}}", drv->id_column}, {"{{BLOB}}", drv->blob_column}};
    struct buf b = BUF_INIT(1 << 24);
    const char *p = src;
    for (;;) {
        const char *tok = NULL;
        size_t which = 0;
        for (size_t i = 0; i < sizeof(toks) / sizeof(toks[0]); i++) {
            const char *t = strstr(p, toks[i].token);
            if (t && (!tok || t < tok)) {
                tok = t;
                which = i;
            }
        }
        if (!tok)
            break;
        buf_append(&b, p, (size_t)(tok - p));
        buf_puts(&b, toks[which].text);
        p = tok + strlen(toks[which].token);
    }
    buf_puts(&b, p);
    return buf_detach(&b, NULL);
}

/* Which engine a migration file is for: NULL for the shared NNNN_name.sql, else the
 * engine of NNNN_name.<engine>.sql (e.g. "postgres", "sqlite"), copied into out. */
static const char *migration_engine(const char *name, char *out, size_t n)
{
    size_t len = strlen(name);
    if (len < 4 || strcmp(name + len - 4, ".sql") != 0)
        return NULL;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *dot = NULL;
    for (const char *q = base; q < name + len - 4; q++)
        if (*q == '.')
            dot = q;
    if (!dot)
        return NULL;
    size_t elen = (size_t)(name + len - 4 - dot - 1);
    if (elen == 0 || elen >= n)
        return NULL;
    memcpy(out, dot + 1, elen);
    out[elen] = '\0';
    return out;
}

/* Migrations: db/migrations/NNNN_name.sql runs on every engine; an optional
 * NNNN_name.<engine>.sql runs after it, in the same transaction, on that engine only
 * (either may stand alone). A version is recorded once, whatever its files. */
static bool version_applied(struct db_conn *c, int64_t version)
{
    int64_t one = 0;
    return db_one_i64(c, &one, "SELECT 1 FROM schema_version WHERE version = $1", "i", version) ==
           RES_OK;
}

result_t db_migrate(struct db *db)
{
    struct db_conn *c = db_conn(db);
    if (!c)
        return RES_DB;
    /* Under the migration lock too: concurrent CREATE TABLE IF NOT EXISTS can fail. */
    result_t r = db_begin(c);
    if (r == RES_OK && db->drv->migrate_lock_sql)
        r = db_exec(c, db->drv->migrate_lock_sql);
    if (r == RES_OK)
        r = db_exec(c, "CREATE TABLE IF NOT EXISTS schema_version ("
                       "version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
    if (r == RES_OK)
        r = db_commit(c);
    if (r != RES_OK) {
        db_rollback(c);
        return r;
    }
    const struct embedded_file *list[256];
    size_t n = 0;
    for (const struct embedded_file *f = embedded_files; f->name && n < 256; f++) {
        char eng[32];
        if (strncmp(f->name, "db/migrations/", 14) != 0 || !strstr(f->name, ".sql"))
            continue;
        const char *e = migration_engine(f->name, eng, sizeof(eng));
        if (!e || strcmp(e, db->drv->name) == 0)
            list[n++] = f;
    }
    qsort(list, n, sizeof(list[0]), cmp_migrations);
    for (size_t i = 0; i < n;) {
        int64_t version = 0;
        char num[5] = {0};
        memcpy(num, list[i]->name + 14, 4);
        if (str_to_i64(num, 1, 9999, &version) != RES_OK) {
            log_error("msg=\"bad migration name\" name=%s", list[i]->name);
            return RES_INTERNAL;
        }
        size_t j = i; /* list[i..j) are this version's files */
        while (j < n && memcmp(list[j]->name + 14, num, 4) == 0)
            j++;
        /* Applied or not is asked per version, not "above the highest": a migration
         * merged with a lower number than one already applied still runs. */
        if (version_applied(c, version)) {
            i = j;
            continue;
        }
        r = db_begin(c);
        /* Nodes starting together: one applies, the others wait, then see it done. */
        if (r == RES_OK && db->drv->migrate_lock_sql)
            r = db_exec(c, db->drv->migrate_lock_sql);
        if (r == RES_OK && version_applied(c, version)) {
            r = db_commit(c);
            if (r != RES_OK)
                return r;
            i = j;
            continue;
        }
        for (size_t k = i; k < j && r == RES_OK; k++) {
            char *sql = migration_sql(db->drv, (const char *)list[k]->data);
            r = db_exec(c, sql);
            free(sql);
            if (r != RES_OK)
                log_error("msg=\"migration failed\" name=%s", list[k]->name);
        }
        if (r == RES_OK)
            r = db_run(c, "INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)", "ii",
                       version, clock_now());
        if (r == RES_OK)
            r = db_commit(c);
        if (r != RES_OK) {
            db_rollback(c);
            return r;
        }
        for (size_t k = i; k < j; k++)
            log_info("msg=\"migration applied\" name=%s", list[k]->name);
        i = j;
    }
    return RES_OK;
}

/* ---- combined write transactions (single-writer engines) ----
 *
 * With one writer at a time, each unit's commit writes the same hot pages again (the
 * tails of the tables and indexes every registration appends to) and each turn is taken
 * and given up by a thread that the scheduler may preempt while it holds it. So the
 * units waiting for the turn run in one transaction: the first waiter becomes the
 * leader, takes the queue (at most COMBINE_MAX units), and runs each unit inside its own
 * SAVEPOINT — a unit that refuses (any result but RES_OK) is rolled back to it, alone —
 * then commits once; every unit of the batch is acknowledged after the sync that covers
 * that commit (group commit). Whatever breaks the transaction itself (RES_BUSY, RES_DB,
 * RES_IO, a failed SAVEPOINT statement or COMMIT) rolls the batch back and each unit
 * runs again alone, on its own thread, as before (a unit may run more than once: the
 * db_tx contract). Units run on the leader's thread with the leader's connection, which
 * is what db_conn() returns there; the contract already forbids effects outside the
 * database. docs/architecture.md "Storage". */

#define COMBINE_MAX 64

/* A waiting unit. Each has its own condition variable, so that a wake-up reaches only
 * the threads it concerns: the next leader (the queue's head, when the turn is given up)
 * and the units of a finished batch. One shared condition broadcast twice a batch woke
 * every waiting thread, and each took q_lock in turn to go back to sleep: with 32
 * clients registering, 5 of a registration's 15 context switches (bench/register.sh
 * with perf's context-switches event). */
struct tx_req {
    db_tx_fn fn;
    void *arg;
    result_t r;
    bool taken, done, alone, ran;
    pthread_cond_t cv;
    struct tx_req *next;
};

/* Runs the batch on c; returns false when it broke: the units marked alone run again
 * by themselves. A unit's own failure leaves the others alone when the transaction
 * survived it (rolled back to its savepoint: as if it had run alone); RES_BUSY, or an
 * error the engine answered by rolling the whole transaction back, breaks the batch —
 * the unit that failed keeps its result (RES_BUSY runs again, as db_tx would). */
static bool run_batch(struct db_conn *c, struct tx_req **batch, int n, uint64_t *seq)
{
    const struct db_driver *drv = c->db->drv;
    *seq = 0;
    for (int i = 0; i < n; i++)
        batch[i]->alone = true; /* until its part is committed */
    if (db_begin(c) != RES_OK)
        return false;
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        struct tx_req *q = batch[i];
        if (exec_control(c, "SAVEPOINT qlvb_unit") != RES_OK) {
            ok = false;
            break;
        }
        q->r = q->fn(c, q->arg);
        q->ran = true;
        if (q->r == RES_OK) {
            ok = exec_control(c, "RELEASE qlvb_unit") == RES_OK;
        } else if (q->r == RES_BUSY) {
            ok = false;
        } else if (drv->in_tx && !drv->in_tx(c->cur->h)) {
            q->alone = false; /* its error stands; the transaction is gone */
            ok = false;
        } else {
            ok = db_exec(c, "ROLLBACK TO qlvb_unit") == RES_OK &&
                 db_exec(c, "RELEASE qlvb_unit") == RES_OK;
            q->alone = !ok;
        }
    }
    if (ok && exec_control(c, "COMMIT") == RES_OK) {
        c->in_tx = false;
        *seq = c->sync ? db_sync_committed(c->sync) : 0;
        c->db->batches++;
        c->db->batched += (uint64_t)n;
        write_release(c);
        for (int i = 0; i < n; i++)
            batch[i]->alone = false;
        return true;
    }
    db_rollback(c);
    for (int i = 0; i < n; i++)
        if (batch[i]->r == RES_OK)
            batch[i]->alone = true; /* its writes went with the batch */
    return false;
}

/* db_tx's way on single-writer engines, outside any transaction of the thread. */
result_t db_tx_combined(struct db *db, struct db_conn *c, db_tx_fn fn, void *arg, bool *alone,
                        bool *ran)
{
    struct tx_req me = {.fn = fn, .arg = arg};
    pthread_cond_init(&me.cv, NULL);
    *alone = false;
    pthread_mutex_lock(&db->q_lock);
    *db->q_tail = &me;
    db->q_tail = &me.next;
    while (!me.done) {
        if (db->leading || me.taken) {
            pthread_cond_wait(&me.cv, &db->q_lock);
            continue;
        }
        /* Lead: take the queue (this unit is in it). */
        db->leading = true;
        struct tx_req *batch[COMBINE_MAX];
        int n = 0;
        while (db->q_head && n < COMBINE_MAX) {
            struct tx_req *q = db->q_head;
            db->q_head = q->next;
            q->taken = true;
            batch[n++] = q;
        }
        if (!db->q_head)
            db->q_tail = &db->q_head;
        pthread_mutex_unlock(&db->q_lock);
        uint64_t seq = 0;
        bool ok = run_batch(c, batch, n, &seq);
        /* The turn is free: the next leader may start while this batch waits for its
         * sync. */
        pthread_mutex_lock(&db->q_lock);
        db->leading = false;
        /* Whoever waits at the head leads next; a unit queued after it is taken by that
         * leader (or, arriving while no one leads, leads itself and takes the head). */
        if (db->q_head)
            pthread_cond_signal(&db->q_head->cv);
        pthread_mutex_unlock(&db->q_lock);
        result_t synced = ok && seq ? db_sync_wait(c->sync, seq) : RES_OK;
        pthread_mutex_lock(&db->q_lock);
        for (int i = 0; i < n; i++) {
            if (ok && synced != RES_OK)
                batch[i]->r = synced;
            batch[i]->done = true;
            if (batch[i] != &me)
                pthread_cond_signal(&batch[i]->cv);
        }
    }
    pthread_mutex_unlock(&db->q_lock);
    pthread_cond_destroy(&me.cv);
    *alone = me.alone;
    *ran = me.ran;
    return me.r;
}

bool db_tx_combines(struct db *db, struct db_conn *c)
{
    return db->combine && !c->in_tx && !c->holds_write && c->open_stmts == 0;
}

void db_combine_stats(struct db *db, uint64_t *batches, uint64_t *units)
{
    pthread_mutex_lock(&db->write_lock);
    *batches = db->batches;
    *units = db->batched;
    pthread_mutex_unlock(&db->write_lock);
}

uint64_t db_conn_prepares(struct db_conn *c)
{
    return c->cur->prepares;
}
