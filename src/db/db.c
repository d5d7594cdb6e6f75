/* Engine-independent part of db.h: per-thread connections (a pthread key whose
 * destructor closes the connection when the thread ends), a per-connection cache of
 * prepared statements, migrations from embedded files, and binding conveniences. */
#include "db/db.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_driver.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/embedded.h"
#include "util/log.h"
#include "util/str.h"

#define STMT_CACHE 48

struct db_stmt {
    struct db_conn *conn;
    void *h;
    char *sql; /* owned copy: callers may build SQL in reusable buffers */
    bool in_use;
    bool cached;
};

struct db_conn {
    struct db *db;
    void *h;
    char err[256];
    struct db_stmt cache[STMT_CACHE];
    int ncache;
};

struct db {
    const struct db_driver *drv;
    char *target;
    pthread_key_t key;
    pthread_mutex_t lock;
    struct db_conn **all; /* every open connection, closed by db_close */
    size_t nall, capall;
};

static void conn_free(struct db_conn *c)
{
    for (int i = 0; i < c->ncache; i++) {
        c->db->drv->finalize(c->cache[i].h);
        free(c->cache[i].sql);
    }
    c->db->drv->disconnect(c->h);
    free(c);
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

result_t db_open(const char *url, struct db **out)
{
    const struct db_driver *drv = NULL;
    const char *target = url;
    if (strncmp(url, "sqlite:", 7) == 0) {
        drv = &db_sqlite_driver;
        target = url + 7;
    } else if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
        log_error("msg=\"postgres driver not built yet\" url=%s", url);
        return RES_UNSUPPORTED;
    } else {
        drv = &db_sqlite_driver;
    }
    struct db *db = xcalloc(1, sizeof(*db));
    db->drv = drv;
    db->target = xstrdup(target);
    pthread_key_create(&db->key, conn_thread_exit);
    pthread_mutex_init(&db->lock, NULL);
    struct db_conn *c = db_conn(db); /* fail early if the database cannot be opened */
    if (!c) {
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
    free(db->target);
    free(db);
}

const char *db_engine(const struct db *db)
{
    return db->drv->name;
}

struct db_conn *db_conn(struct db *db)
{
    struct db_conn *c = pthread_getspecific(db->key);
    if (c)
        return c;
    c = xcalloc(1, sizeof(*c));
    c->db = db;
    if (db->drv->connect(db->target, &c->h, c->err, sizeof(c->err)) != RES_OK) {
        log_error("msg=\"cannot open database\" target=\"%s\" err=\"%s\"", db->target, c->err);
        free(c);
        return NULL;
    }
    pthread_mutex_lock(&db->lock);
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
    return c->db->drv->errmsg(c->h);
}

result_t db_exec(struct db_conn *c, const char *sql)
{
    result_t r = c->db->drv->exec(c->h, sql);
    if (r != RES_OK && r != RES_DONE)
        log_error("msg=\"db exec failed\" err=\"%s\"", db_errmsg(c));
    return r == RES_DONE ? RES_OK : r;
}

result_t db_begin(struct db_conn *c)
{
    return db_exec(c, c->db->drv->begin_write_sql);
}

result_t db_commit(struct db_conn *c)
{
    return db_exec(c, "COMMIT");
}

result_t db_rollback(struct db_conn *c)
{
    return c->db->drv->exec(c->h, "ROLLBACK") == RES_OK ? RES_OK : RES_DB;
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
    for (int i = 0; i < c->ncache; i++) {
        struct db_stmt *s = &c->cache[i];
        if (!s->in_use && strcmp(s->sql, sql) == 0) {
            s->in_use = true;
            *out = s;
            return RES_OK;
        }
    }
    void *h = NULL;
    char *dialect = query_sql(c->db->drv, sql); /* NULL when sql has no tokens */
    result_t r = c->db->drv->prepare(c->h, dialect ? dialect : sql, &h);
    free(dialect);
    if (r != RES_OK) {
        log_error("msg=\"db prepare failed\" err=\"%s\" sql=\"%.120s\"", db_errmsg(c), sql);
        return r;
    }
    struct db_stmt *s;
    if (c->ncache < STMT_CACHE) {
        s = &c->cache[c->ncache++];
        s->cached = true;
    } else {
        s = xcalloc(1, sizeof(*s));
        s->cached = false;
    }
    s->conn = c;
    s->h = h;
    s->sql = xstrdup(sql);
    s->in_use = true;
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
    return s->conn->db->drv->bind_null(s->h, idx);
}

result_t db_step(struct db_stmt *s)
{
    result_t r = s->conn->db->drv->step(s->h);
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
    return c->db->drv->changes(c->h);
}

static result_t bind_va(struct db_stmt *s, const char *types, va_list ap)
{
    result_t r = RES_OK;
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
            r = v ? db_bind_i64(s, i + 1, v) : db_bind_null(s, i + 1);
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

static int cmp_names(const void *a, const void *b)
{
    return strcmp((*(const struct embedded_file *const *)a)->name,
                  (*(const struct embedded_file *const *)b)->name);
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
    struct buf b = BUF_INIT(1 << 24);
    const char *p = src, *tok;
    for (;;) {
        const char *id = strstr(p, "{{ID}}"), *blob = strstr(p, "{{BLOB}}");
        tok = id && (!blob || id < blob) ? id : blob;
        if (!tok)
            break;
        buf_append(&b, p, (size_t)(tok - p));
        buf_puts(&b, tok == id ? drv->id_column : drv->blob_column);
        p = tok + (tok == id ? 6 : 8);
    }
    buf_puts(&b, p);
    return buf_detach(&b, NULL);
}

result_t db_migrate(struct db *db)
{
    struct db_conn *c = db_conn(db);
    if (!c)
        return RES_DB;
    result_t r = db_exec(c, "CREATE TABLE IF NOT EXISTS schema_version ("
                            "version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
    if (r != RES_OK)
        return r;
    const struct embedded_file *list[256];
    size_t n = 0;
    for (const struct embedded_file *f = embedded_files; f->name && n < 256; f++)
        if (strncmp(f->name, "db/migrations/", 14) == 0 && strstr(f->name, ".sql"))
            list[n++] = f;
    qsort(list, n, sizeof(list[0]), cmp_names);
    int current = db_schema_version(db);
    for (size_t i = 0; i < n; i++) {
        int64_t version = 0;
        char num[5] = {0};
        memcpy(num, list[i]->name + 14, 4);
        if (str_to_i64(num, 1, 9999, &version) != RES_OK) {
            log_error("msg=\"bad migration name\" name=%s", list[i]->name);
            return RES_INTERNAL;
        }
        if (version <= current)
            continue;
        char *sql = migration_sql(db->drv, (const char *)list[i]->data);
        r = db_begin(c);
        if (r == RES_OK)
            r = db_exec(c, sql);
        if (r == RES_OK)
            r = db_run(c, "INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)", "ii",
                       version, clock_now());
        if (r == RES_OK)
            r = db_commit(c);
        free(sql);
        if (r != RES_OK) {
            db_rollback(c);
            log_error("msg=\"migration failed\" name=%s", list[i]->name);
            return r;
        }
        log_info("msg=\"migration applied\" name=%s", list[i]->name);
    }
    return RES_OK;
}
