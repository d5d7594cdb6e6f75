/* PostgreSQL driver (libpq) behind db_driver.h: typed $N parameters, statements
 * prepared once per connection and SQL text, binary bytea, SQLSTATE mapped onto
 * result_t (23xxx conflict, 40001/40P01 busy, lost connection reconnect). */
#include <arpa/inet.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_driver.h"
#include "util/alloc.h"

/* Type OIDs from pg_type.h (stable since PostgreSQL 7). */
enum {
    OID_BOOL = 16,
    OID_BYTEA = 17,
    OID_NAME = 19,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_TEXT = 25,
    OID_OID = 26,
    OID_JSON = 114,
    OID_BPCHAR = 1042,
    OID_VARCHAR = 1043,
};

/* Server-side prepared statements of one connection, keyed by SQL text and the
 * parameter types they were prepared with. Bounded: SQL built at run time could
 * otherwise grow it without end; past the bound the unnamed statement is used. */
#define PREP_MAX 256

struct prep {
    char *sql;
    unsigned hash;
    int nparams;
    Oid *types;
    char name[16];
    bool binary; /* results fetched in binary: only when a bytea column is returned */
};

struct pg_conn {
    PGconn *pg;
    int64_t changes;
    unsigned next_name;
    struct prep preps[PREP_MAX];
    int nprep;
    struct prep unnamed; /* the last statement prepared past PREP_MAX */
    bool lost;           /* the server said it is ending the session (FATAL while idle) */
    char err[512];
};

struct pg_stmt {
    struct pg_conn *c;
    char *sql;
    unsigned hash;
    int nparams;
    Oid *types;  /* bound type per parameter; 0 = untyped NULL */
    char **vals; /* owned copies */
    int *lens;
    int *fmts;
    PGresult *res;
    bool binary;
    int row, nrows;
    char **scratch; /* per column: text of a binary integer, unescaped bytea */
    size_t *scratch_len;
    int ncols;
};

static unsigned hash_sql(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void set_err(struct pg_conn *c, const char *msg)
{
    snprintf(c->err, sizeof(c->err), "%s", msg && *msg ? msg : "unknown error");
    size_t n = strlen(c->err);
    while (n && (c->err[n - 1] == '\n' || c->err[n - 1] == ' '))
        c->err[--n] = '\0';
}

/* Maps a failed result (or a NULL one) onto the result vocabulary. */
static result_t map_err(struct pg_conn *c, PGresult *res)
{
    set_err(c, res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg));
    if (PQstatus(c->pg) != CONNECTION_OK)
        return RES_RECONNECT;
    const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (!st)
        return RES_RECONNECT; /* no server answer at all */
    if (strncmp(st, "23", 2) == 0)
        return RES_CONFLICT;
    if (!strcmp(st, "40001") || !strcmp(st, "40P01") || !strcmp(st, "55P03") ||
        !strcmp(st, "53300"))
        return RES_BUSY;
    if (strncmp(st, "08", 2) == 0 || !strcmp(st, "57P01") || !strcmp(st, "57P02") ||
        !strcmp(st, "57P03"))
        return RES_RECONNECT;
    if (!strcmp(st, "54000") || !strcmp(st, "22001"))
        return RES_TOO_LARGE;
    if (!strcmp(st, "22021") || !strcmp(st, "22P05")) /* text that is not valid UTF-8 */
        return RES_INVALID;
    return RES_DB;
}

/* Notices ("relation already exists, skipping") are dropped; a FATAL that arrives
 * while idle (libpq hands it to the notice path) means the backend is going away. */
static void on_notice(void *arg, const PGresult *res)
{
    struct pg_conn *c = arg;
    const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
    if (sev && (!strcmp(sev, "FATAL") || !strcmp(sev, "PANIC")))
        c->lost = true;
}

static result_t pg_connect(const char *target, void **conn, char *err, size_t errsize)
{
    /* Keywords before the expanded URL are defaults the URL may override. */
    const char *keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname", NULL};
    const char *vals[] = {"5", "qlvb", "UTF8", target, NULL};
    PGconn *pg = PQconnectdbParams(keys, vals, 1);
    if (!pg || PQstatus(pg) != CONNECTION_OK) {
        snprintf(err, errsize, "%s", pg ? PQerrorMessage(pg) : "out of memory");
        size_t n = strlen(err);
        while (n && err[n - 1] == '\n')
            err[--n] = '\0';
        PQfinish(pg);
        return RES_RECONNECT;
    }
    /* Times are unix seconds in BIGINT columns; UTC keeps any server-side date
     * arithmetic identical on every node. */
    PGresult *res = PQexec(pg, "SET TIME ZONE 'UTC'");
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (!ok) {
        snprintf(err, errsize, "%s", PQerrorMessage(pg));
        PQfinish(pg);
        return RES_DB;
    }
    struct pg_conn *c = xcalloc(1, sizeof(*c));
    c->pg = pg;
    PQsetNoticeReceiver(pg, on_notice, c);
    *conn = c;
    return RES_OK;
}

static void prep_free(struct prep *p)
{
    free(p->sql);
    free(p->types);
}

static void pg_disconnect(void *conn)
{
    struct pg_conn *c = conn;
    if (!c)
        return;
    for (int i = 0; i < c->nprep; i++)
        prep_free(&c->preps[i]);
    prep_free(&c->unnamed);
    PQfinish(c->pg);
    free(c);
}

static bool pg_healthy(void *conn)
{
    struct pg_conn *c = conn;
    /* An idle connection has nothing to read. A terminated backend sends a FATAL and
     * closes the socket: reading and parsing that (libpq's socket never blocks) finds
     * the loss now rather than on the next query. */
    for (int i = 0; i < 4 && !c->lost && PQstatus(c->pg) == CONNECTION_OK &&
                    PQtransactionStatus(c->pg) == PQTRANS_IDLE;
         i++) {
        struct pollfd p = {.fd = PQsocket(c->pg), .events = POLLIN};
        if (p.fd < 0 || poll(&p, 1, 0) <= 0)
            break;
        if (!PQconsumeInput(c->pg))
            break;
        (void)PQisBusy(c->pg); /* parses what arrived: a FATAL reaches on_notice */
    }
    return !c->lost && PQstatus(c->pg) == CONNECTION_OK;
}

static const char *pg_errmsg(void *conn)
{
    struct pg_conn *c = conn;
    return c->err[0] ? c->err : PQerrorMessage(c->pg);
}

/* Like sqlite3_changes(): rows written by the last INSERT, UPDATE or DELETE (with or
 * without RETURNING); a SELECT, BEGIN or COMMIT leaves the count alone. */
static void note_changes(struct pg_conn *c, PGresult *res)
{
    const char *st = PQcmdStatus(res);
    if (!strncmp(st, "INSERT", 6) || !strncmp(st, "UPDATE", 6) || !strncmp(st, "DELETE", 6) ||
        !strncmp(st, "MERGE", 5))
        c->changes = strtoll(PQcmdTuples(res), NULL, 10);
}

static result_t pg_exec(void *conn, const char *sql)
{
    struct pg_conn *c = conn;
    PGresult *res = PQexec(c->pg, sql);
    ExecStatusType st = PQresultStatus(res);
    result_t r;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        note_changes(c, res);
        r = RES_OK;
    } else {
        r = map_err(c, res);
    }
    PQclear(res);
    return r;
}

/* Highest $N in the SQL, outside string literals, quoted names and comments. */
static int count_params(const char *sql)
{
    int max = 0;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            for (p++; *p && *p != q; p++)
                ;
            if (!*p)
                break;
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
            if (!*p)
                break;
        } else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
            int n = 0;
            for (p++; *p >= '0' && *p <= '9' && n < 100000; p++)
                n = n * 10 + (*p - '0');
            p--;
            if (n > max)
                max = n;
        }
    }
    return max;
}

static result_t pg_prepare(void *conn, const char *sql, void **stmt)
{
    struct pg_stmt *s = xcalloc(1, sizeof(*s));
    s->c = conn;
    s->sql = xstrdup(sql);
    s->hash = hash_sql(sql);
    s->nparams = count_params(sql);
    int n = s->nparams ? s->nparams : 1;
    s->types = xcalloc((size_t)n, sizeof(*s->types));
    s->vals = xcalloc((size_t)n, sizeof(*s->vals));
    s->lens = xcalloc((size_t)n, sizeof(*s->lens));
    s->fmts = xcalloc((size_t)n, sizeof(*s->fmts));
    s->row = -1;
    *stmt = s;
    return RES_OK;
}

static void clear_result(struct pg_stmt *s)
{
    PQclear(s->res);
    s->res = NULL;
    for (int i = 0; i < s->ncols; i++)
        free(s->scratch[i]);
    free(s->scratch);
    free(s->scratch_len);
    s->scratch = NULL;
    s->scratch_len = NULL;
    s->ncols = 0;
    s->row = -1;
    s->nrows = 0;
}

static int pg_param_count(void *stmt)
{
    return ((struct pg_stmt *)stmt)->nparams;
}

static result_t set_param(struct pg_stmt *s, int idx, Oid type, const void *v, size_t len, int fmt)
{
    if (idx < 1 || idx > s->nparams)
        return RES_INTERNAL;
    if (len > 0x7fffffff)
        return RES_TOO_LARGE;
    int i = idx - 1;
    free(s->vals[i]);
    s->vals[i] = NULL;
    s->types[i] = type;
    s->lens[i] = (int)len;
    s->fmts[i] = fmt;
    if (v) {
        s->vals[i] = xmalloc(len + 1);
        memcpy(s->vals[i], v, len);
        s->vals[i][len] = '\0';
    }
    return RES_OK;
}

/* Integers go as text with type int8: exact, and valid for whatever integer type the
 * server resolved a parameter to. */
static result_t pg_bind_i64(void *stmt, int idx, int64_t v)
{
    char t[24];
    int n = snprintf(t, sizeof(t), "%lld", (long long)v);
    return set_param(stmt, idx, OID_INT8, t, (size_t)n, 0);
}

static result_t pg_bind_text(void *stmt, int idx, const char *v)
{
    return set_param(stmt, idx, OID_TEXT, v, v ? strlen(v) : 0, 0);
}

static result_t pg_bind_blob(void *stmt, int idx, const void *v, size_t len)
{
    return set_param(stmt, idx, OID_BYTEA, v ? (len ? v : "") : NULL, v ? len : 0, 1);
}

static result_t pg_bind_null(void *stmt, int idx, char type)
{
    Oid t = type == 'i' ? OID_INT8 : type == 't' ? OID_TEXT : type == 'b' ? OID_BYTEA : 0;
    return set_param(stmt, idx, t, NULL, 0, 0);
}

/* Columns that binary results can carry; any other type keeps the statement on text
 * results (bytea then arrives hex-escaped). */
static bool binary_ok(Oid t)
{
    switch (t) {
    case OID_BOOL:
    case OID_BYTEA:
    case OID_NAME:
    case OID_INT8:
    case OID_INT2:
    case OID_INT4:
    case OID_TEXT:
    case OID_OID:
    case OID_JSON:
    case OID_BPCHAR:
    case OID_VARCHAR:
        return true;
    default:
        return false;
    }
}

/* Finds the server-side statement for this SQL and these parameter types, preparing
 * it on first use. A NULL bound now fits any type prepared earlier. */
static result_t find_prep(struct pg_stmt *s, struct prep **out)
{
    struct pg_conn *c = s->c;
    for (int i = 0; i < c->nprep; i++) {
        struct prep *p = &c->preps[i];
        if (p->hash != s->hash || p->nparams != s->nparams || strcmp(p->sql, s->sql) != 0)
            continue;
        bool fits = true;
        for (int k = 0; k < s->nparams && fits; k++)
            fits = s->types[k] == p->types[k] || !s->vals[k]; /* a NULL fits any type */
        if (fits) {
            *out = p;
            return RES_OK;
        }
    }
    struct prep tmp = {0};
    if (c->nprep < PREP_MAX)
        snprintf(tmp.name, sizeof(tmp.name), "q%u", ++c->next_name);
    PGresult *res = PQprepare(c->pg, tmp.name, s->sql, s->nparams, s->types);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        result_t r = map_err(c, res);
        PQclear(res);
        return r;
    }
    PQclear(res);
    res = PQdescribePrepared(c->pg, tmp.name);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        result_t r = map_err(c, res);
        PQclear(res);
        return r;
    }
    bool has_bytea = false, all_ok = true;
    for (int i = 0; i < PQnfields(res); i++) {
        has_bytea |= PQftype(res, i) == OID_BYTEA;
        all_ok &= binary_ok(PQftype(res, i));
    }
    PQclear(res);
    tmp.binary = has_bytea && all_ok;
    tmp.nparams = s->nparams;
    tmp.hash = s->hash;
    size_t tn = (size_t)(s->nparams ? s->nparams : 1);
    tmp.types = xcalloc(tn, sizeof(Oid));
    memcpy(tmp.types, s->types, (size_t)s->nparams * sizeof(Oid));
    tmp.sql = xstrdup(s->sql);
    if (!tmp.name[0]) { /* the unnamed statement: replaced by the next one */
        prep_free(&c->unnamed);
        c->unnamed = tmp;
        *out = &c->unnamed;
        return RES_OK;
    }
    c->preps[c->nprep] = tmp;
    *out = &c->preps[c->nprep++];
    return RES_OK;
}

static result_t pg_step(void *stmt)
{
    struct pg_stmt *s = stmt;
    if (!s->res) {
        struct prep *p = NULL;
        result_t r = find_prep(s, &p);
        if (r != RES_OK)
            return r;
        s->binary = p->binary;
        s->res = PQexecPrepared(s->c->pg, p->name, s->nparams, (const char *const *)s->vals,
                                s->lens, s->fmts, s->binary ? 1 : 0);
        ExecStatusType st = PQresultStatus(s->res);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            r = map_err(s->c, s->res);
            PQclear(s->res);
            s->res = NULL;
            return r;
        }
        note_changes(s->c, s->res);
        s->nrows = st == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
        s->ncols = PQnfields(s->res);
        s->scratch = xcalloc((size_t)(s->ncols ? s->ncols : 1), sizeof(char *));
        s->scratch_len = xcalloc((size_t)(s->ncols ? s->ncols : 1), sizeof(size_t));
        s->row = -1;
    }
    for (int i = 0; i < s->ncols; i++) {
        free(s->scratch[i]);
        s->scratch[i] = NULL;
    }
    if (s->row + 1 >= s->nrows) {
        s->row = s->nrows;
        return RES_DONE;
    }
    s->row++;
    return RES_ROW;
}

static bool have(struct pg_stmt *s, int col)
{
    return s->res && s->row >= 0 && s->row < s->nrows && col >= 0 && col < s->ncols &&
           !PQgetisnull(s->res, s->row, col);
}

static int64_t be_int(const unsigned char *p, int len)
{
    uint64_t v = 0;
    for (int i = 0; i < len; i++)
        v = (v << 8) | p[i];
    if (len < 8 && len > 0 && (p[0] & 0x80)) /* sign-extend int2/int4 */
        v |= ~(uint64_t)0 << (8 * len);
    return (int64_t)v;
}

static int64_t pg_col_i64(void *stmt, int col)
{
    struct pg_stmt *s = stmt;
    if (!have(s, col))
        return 0;
    const char *v = PQgetvalue(s->res, s->row, col);
    Oid t = PQftype(s->res, col);
    if (s->binary) {
        switch (t) {
        case OID_INT8:
        case OID_INT4:
        case OID_INT2:
        case OID_OID:
        case OID_BOOL:
            return t == OID_OID
                       ? (int64_t)(uint32_t)be_int((const unsigned char *)v, 4)
                       : be_int((const unsigned char *)v, PQgetlength(s->res, s->row, col));
        default:
            break; /* text-like: parsed below */
        }
    }
    if (t == OID_BOOL)
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static const char *pg_col_text(void *stmt, int col)
{
    struct pg_stmt *s = stmt;
    if (!have(s, col))
        return NULL;
    const char *v = PQgetvalue(s->res, s->row, col);
    Oid t = PQftype(s->res, col);
    if (!s->binary || t == OID_TEXT || t == OID_VARCHAR || t == OID_BPCHAR || t == OID_NAME ||
        t == OID_JSON || t == OID_BYTEA)
        return v; /* libpq terminates every value, binary ones too */
    if (!s->scratch[col]) {
        char tmp[24];
        if (t == OID_BOOL)
            snprintf(tmp, sizeof(tmp), "%s", v[0] ? "t" : "f");
        else
            snprintf(tmp, sizeof(tmp), "%lld", (long long)pg_col_i64(s, col));
        s->scratch[col] = xstrdup(tmp);
    }
    return s->scratch[col];
}

static bool pg_col_null(void *stmt, int col)
{
    struct pg_stmt *s = stmt;
    return !s->res || s->row < 0 || s->row >= s->nrows || col < 0 || col >= s->ncols ||
           PQgetisnull(s->res, s->row, col);
}

static const void *pg_col_blob(void *stmt, int col, size_t *len)
{
    struct pg_stmt *s = stmt;
    *len = 0;
    if (!have(s, col))
        return NULL;
    const char *v = PQgetvalue(s->res, s->row, col);
    if (s->binary || PQftype(s->res, col) != OID_BYTEA) {
        *len = (size_t)PQgetlength(s->res, s->row, col);
        return *len ? v : NULL;
    }
    if (!s->scratch[col]) { /* text results: bytea comes hex-escaped */
        size_t n = 0;
        unsigned char *raw = PQunescapeBytea((const unsigned char *)v, &n);
        if (!raw)
            return NULL;
        s->scratch[col] = xmalloc(n + 1);
        memcpy(s->scratch[col], raw, n);
        s->scratch[col][n] = '\0';
        s->scratch_len[col] = n;
        PQfreemem(raw);
    }
    *len = s->scratch_len[col];
    return *len ? s->scratch[col] : NULL;
}

static void pg_reset(void *stmt)
{
    struct pg_stmt *s = stmt;
    clear_result(s);
    for (int i = 0; i < s->nparams; i++) {
        free(s->vals[i]);
        s->vals[i] = NULL;
        s->types[i] = 0;
        s->lens[i] = 0;
        s->fmts[i] = 0;
    }
}

static void pg_finalize(void *stmt)
{
    struct pg_stmt *s = stmt;
    if (!s)
        return;
    pg_reset(s);
    free(s->types);
    free(s->vals);
    free(s->lens);
    free(s->fmts);
    free(s->sql);
    free(s);
}

static int64_t pg_changes(void *conn)
{
    return ((struct pg_conn *)conn)->changes;
}

const struct db_driver db_pg_driver = {
    .name = "postgres",
    .id_column = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    .blob_column = "BYTEA",
    .skip_locked = "FOR UPDATE SKIP LOCKED",
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .healthy = pg_healthy,
    .errmsg = pg_errmsg,
    .exec = pg_exec,
    /* READ COMMITTED with row locks: writers that must serialise (audit head,
     * counters) UPDATE the row first and so queue on its lock. */
    .begin_write_sql = "BEGIN ISOLATION LEVEL READ COMMITTED",
    .begin_read_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    /* a transaction-scoped advisory lock; the key is "qlvb" in ASCII */
    .migrate_lock_sql = "SELECT pg_advisory_xact_lock(1902933602)",
    .prepare = pg_prepare,
    .bind_i64 = pg_bind_i64,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .bind_blob = pg_bind_blob,
    .param_count = pg_param_count,
    .step = pg_step,
    .col_i64 = pg_col_i64,
    .col_text = pg_col_text,
    .col_null = pg_col_null,
    .col_blob = pg_col_blob,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .changes = pg_changes,
};
