/* Copying an SQLite installation into another database (PostgreSQL) of the same
 * schema version: every row of every table, in creation order so that references
 * resolve, in one transaction on the target; identity counters moved past the copied
 * ids. Tables and column types are read from SQLite's own catalogue. */
#include "db/db_copy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/str.h"

#define MAX_COLS 64

struct column {
    char name[64];
    char kind;     /* 'i' integer, 't' text, 'b' binary */
    bool self_ref; /* references its own table (agency.parent_id): set in a second pass */
};

static bool ident_ok(const char *s)
{
    if (!s || !*s || strlen(s) >= 64)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

result_t db_copy_target_empty(struct db *db, bool *empty)
{
    struct db_conn *c = db_conn(db);
    if (!c)
        return RES_RECONNECT;
    int64_t n = 0;
    result_t r;
    if (!strcmp(db_engine(db), "postgres"))
        r = db_one_i64(c, &n,
                       "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = "
                       "current_schema()",
                       "");
    else
        r = db_one_i64(c, &n,
                       "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT "
                       "LIKE 'sqlite_%'",
                       "");
    *empty = n == 0;
    return r;
}

/* The application tables of the source, oldest first (creation order respects the
 * references between tables). */
static result_t list_tables(struct db_conn *c, char (*names)[64], int max, int *n)
{
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                          "'sqlite_%' AND name <> 'schema_version' ORDER BY rowid",
                          "");
    if (r != RES_OK)
        return r;
    *n = 0;
    while ((r = db_step(s)) == RES_ROW) {
        const char *name = db_col_text(s, 0);
        if (!ident_ok(name) || *n >= max) {
            log_error("msg=\"unexpected table\" name=\"%.64s\"", name ? name : "");
            db_finalize(s);
            return RES_UNSUPPORTED;
        }
        str_copy(names[(*n)++], name, 64);
    }
    db_finalize(s);
    return r == RES_DONE ? RES_OK : r;
}

static result_t list_columns(struct db_conn *c, const char *table, struct column *cols, int *n)
{
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s, "SELECT name, UPPER(type) FROM pragma_table_info($1) ORDER BY cid",
                          "t", table);
    if (r != RES_OK)
        return r;
    *n = 0;
    while ((r = db_step(s)) == RES_ROW) {
        const char *name = db_col_text(s, 0), *type = db_col_text(s, 1);
        if (!ident_ok(name) || *n >= MAX_COLS) {
            db_finalize(s);
            return RES_UNSUPPORTED;
        }
        struct column *col = &cols[(*n)++];
        memset(col, 0, sizeof(*col));
        str_copy(col->name, name, sizeof(col->name));
        col->kind = type && strstr(type, "INT") ? 'i' : type && strstr(type, "BLOB") ? 'b' : 't';
    }
    db_finalize(s);
    if (r != RES_DONE)
        return r;
    r = db_query(c, &s, "SELECT \"from\" FROM pragma_foreign_key_list($1) WHERE \"table\" = $1",
                 "t", table);
    if (r != RES_OK)
        return r;
    while ((r = db_step(s)) == RES_ROW)
        for (int i = 0; i < *n; i++)
            if (!strcmp(cols[i].name, db_col_text(s, 0)))
                cols[i].self_ref = true;
    db_finalize(s);
    return r == RES_DONE ? RES_OK : r;
}

static result_t bind_col(struct db_stmt *to, int idx, struct db_stmt *from, int col, char kind)
{
    if (db_col_null(from, col)) {
        if (kind == 'i')
            return db_bind_null(to, idx); /* the column's type decides on the target */
        return kind == 'b' ? db_bind_blob(to, idx, NULL, 0) : db_bind_text(to, idx, NULL);
    }
    if (kind == 'i')
        return db_bind_i64(to, idx, db_col_i64(from, col));
    if (kind == 'b') {
        size_t len = 0;
        const void *p = db_col_blob(from, col, &len);
        return db_bind_blob(to, idx, p ? p : "", len);
    }
    return db_bind_text(to, idx, db_col_text(from, col));
}

static result_t copy_table(struct db_conn *src, struct db_conn *dst, bool pg, const char *table,
                           db_copy_progress cb, void *arg, int64_t *copied)
{
    struct column cols[MAX_COLS];
    int n = 0;
    result_t r = list_columns(src, table, cols, &n);
    if (r != RES_OK || n == 0)
        return r == RES_OK ? RES_UNSUPPORTED : r;
    bool has_id = false, has_self = false;
    for (int i = 0; i < n; i++) {
        has_id |= !strcmp(cols[i].name, "id");
        has_self |= cols[i].self_ref;
    }
    if (has_self && !has_id)
        return RES_UNSUPPORTED;
    int64_t total = 0;
    char sql[4096];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %.63s", table);
    if ((r = db_one_i64(src, &total, sql, "")) != RES_OK)
        return r;
    struct buf sel = BUF_INIT(sizeof(sql)), ins = BUF_INIT(sizeof(sql));
    buf_puts(&sel, "SELECT ");
    buf_printf(&ins, "INSERT INTO %s (", table);
    for (int i = 0; i < n; i++) {
        buf_printf(&sel, "%s%s", i ? ", " : "", cols[i].name);
        buf_printf(&ins, "%s%s", i ? ", " : "", cols[i].name);
    }
    buf_printf(&sel, " FROM %s ORDER BY rowid", table);
    buf_puts(&ins, ") VALUES (");
    for (int i = 0; i < n; i++)
        buf_printf(&ins, "%s$%d", i ? ", " : "", i + 1);
    buf_puts(&ins, ")");
    struct db_stmt *s = NULL;
    r = db_query(src, &s, buf_str(&sel), "");
    int64_t done = 0;
    while (r == RES_OK && (r = db_step(s)) == RES_ROW) {
        struct db_stmt *w = NULL;
        r = db_prepare(dst, buf_str(&ins), &w);
        for (int i = 0; i < n && r == RES_OK; i++)
            r = cols[i].self_ref ? db_bind_null(w, i + 1) : bind_col(w, i + 1, s, i, cols[i].kind);
        if (r == RES_OK)
            r = db_step(w);
        db_finalize(w);
        if (r != RES_DONE)
            break;
        r = RES_OK;
        if (cb && (++done % 500 == 0 || done == total))
            cb(arg, table, done, total);
    }
    db_finalize(s);
    buf_release(&sel);
    buf_release(&ins);
    if (r != RES_DONE && r != RES_OK)
        return r;
    if (cb && done == 0)
        cb(arg, table, 0, total);
    /* Second pass: references within the table, now that every row exists. */
    for (int i = 0; i < n && has_self; i++) {
        if (!cols[i].self_ref)
            continue;
        char q[256], u[256];
        snprintf(q, sizeof(q), "SELECT id, %.63s FROM %.63s WHERE %.63s IS NOT NULL", cols[i].name,
                 table, cols[i].name);
        snprintf(u, sizeof(u), "UPDATE %.63s SET %.63s = $1 WHERE id = $2", table, cols[i].name);
        r = db_query(src, &s, q, "");
        while (r == RES_OK && (r = db_step(s)) == RES_ROW) {
            r = db_run(dst, u, "ii", db_col_i64(s, 1), db_col_i64(s, 0));
        }
        db_finalize(s);
        if (r != RES_DONE && r != RES_OK)
            return r;
    }
    /* Identity columns (PostgreSQL) continue after the copied ids. */
    if (has_id && pg) {
        snprintf(sql, sizeof(sql),
                 "SELECT setval(pg_get_serial_sequence($1, 'id'), (SELECT COALESCE(MAX(id), 0) "
                 "+ 1 FROM %.63s), false)",
                 table);
        if ((r = db_run(dst, sql, "t", table)) != RES_OK)
            return r;
    }
    *copied = done;
    return RES_OK;
}

result_t db_copy(struct db *from, struct db *to, db_copy_progress cb, void *arg,
                 struct db_copy_report *rep)
{
    memset(rep, 0, sizeof(*rep));
    if (strcmp(db_engine(from), "sqlite") != 0)
        return RES_UNSUPPORTED;
    struct db_conn *src = db_conn(from), *dst = db_conn(to);
    if (!src || !dst)
        return RES_RECONNECT;
    char names[DB_COPY_MAX_TABLES][64];
    int n = 0;
    result_t r = list_tables(src, names, DB_COPY_MAX_TABLES, &n);
    if (r != RES_OK)
        return r;
    /* A read transaction on the source: one consistent snapshot even if it is in use. */
    if ((r = db_exec(src, "BEGIN")) != RES_OK)
        return r;
    if ((r = db_begin(dst)) != RES_OK) {
        db_exec(src, "ROLLBACK");
        return r;
    }
    /* Rows the target's migrations seeded (audit_head) give way to the source's. */
    for (int i = n - 1; i >= 0 && r == RES_OK; i--) { /* children before parents */
        char sql[128];
        snprintf(sql, sizeof(sql), "DELETE FROM %.63s", names[i]);
        r = db_run(dst, sql, "");
    }
    for (int i = 0; i < n && r == RES_OK; i++) {
        struct db_copy_table *t = &rep->tables[rep->ntables++];
        str_copy(t->name, names[i], sizeof(t->name));
        r = copy_table(src, dst, !strcmp(db_engine(to), "postgres"), names[i], cb, arg, &t->rows);
        if (r != RES_OK)
            log_error("msg=\"copy failed\" table=%s result=%s err=\"%s\"", names[i], result_name(r),
                      db_errmsg(dst));
    }
    if (r == RES_OK)
        r = db_commit(dst);
    if (r != RES_OK)
        db_rollback(dst);
    db_exec(src, "ROLLBACK");
    if (r != RES_OK)
        return r;
    /* Verification: every table holds as many rows as the source. */
    for (int i = 0; i < rep->ntables; i++) {
        char sql[128];
        int64_t a = -1, b = -2;
        snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %.63s", rep->tables[i].name);
        if (db_one_i64(src, &a, sql, "") != RES_OK || db_one_i64(dst, &b, sql, "") != RES_OK ||
            a != b || a != rep->tables[i].rows) {
            log_error("msg=\"row count differs after copy\" table=%s source=%lld target=%lld",
                      rep->tables[i].name, (long long)a, (long long)b);
            rep->bad_table = i + 1;
            return RES_INVALID;
        }
    }
    return RES_OK;
}
