/* Engine-independent part of the blob store: SHA-256 while bytes stream through, the
 * size limit, verification on read, the `blob` table and the sweep. Drivers only move
 * bytes (blob_driver.h). */
#include "blob/blob.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob/blob_driver.h"
#include "db/db.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/str.h"

struct blob_store {
    const struct blob_driver *drv;
    void *h;
    int64_t max_size;
};

struct blob_writer {
    struct blob_store *bs;
    void *tmp;
    EVP_MD_CTX *md;
    int64_t size;
    bool failed;
};

struct blob_reader {
    struct blob_store *bs;
    void *rd;
    EVP_MD_CTX *md;
    char hash[BLOB_HASH_LEN + 1];
    int64_t size, seen;
};

bool blob_hash_valid(const char *hash)
{
    return hash && strlen(hash) == BLOB_HASH_LEN &&
           strspn(hash, "0123456789abcdef") == BLOB_HASH_LEN;
}

result_t blob_open(const char *url, int64_t max_size, struct blob_store **out)
{
    const char *target = str_starts_with(url, "file:") ? url + 5 : url;
    if (!*target)
        return RES_INVALID;
    if (strstr(target, "://")) { /* another driver's URL: not built yet */
        log_error("msg=\"blob store driver not available\" url=\"%s\"", url);
        return RES_UNSUPPORTED;
    }
    struct blob_store *bs = xcalloc(1, sizeof(*bs));
    bs->drv = &blob_fs_driver;
    bs->max_size = max_size > 0 ? max_size : BLOB_DEFAULT_MAX;
    result_t r = bs->drv->open(target, &bs->h);
    if (r != RES_OK) {
        free(bs);
        return r;
    }
    *out = bs;
    return RES_OK;
}

void blob_close(struct blob_store *bs)
{
    if (!bs)
        return;
    bs->drv->close(bs->h);
    free(bs);
}

const char *blob_driver_name(const struct blob_store *bs)
{
    return bs->drv->name;
}

static EVP_MD_CTX *md_new(void)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
        abort(); /* out of memory: the project's allocators abort too */
    return md;
}

static void md_hex(EVP_MD_CTX *md, char out[BLOB_HASH_LEN + 1])
{
    unsigned char d[32];
    unsigned int n = 0;
    EVP_DigestFinal_ex(md, d, &n);
    hex_encode(d, 32, out);
}

result_t blob_begin(struct blob_store *bs, struct blob_writer **out)
{
    struct blob_writer *w = xcalloc(1, sizeof(*w));
    w->bs = bs;
    result_t r = bs->drv->tmp_create(bs->h, &w->tmp);
    if (r != RES_OK) {
        free(w);
        return r;
    }
    w->md = md_new();
    *out = w;
    return RES_OK;
}

result_t blob_write(struct blob_writer *w, const void *data, size_t len)
{
    if (w->failed)
        return RES_INVALID;
    if ((uint64_t)len > (uint64_t)(w->bs->max_size - w->size)) {
        w->failed = true;
        return RES_TOO_LARGE;
    }
    result_t r = w->bs->drv->tmp_write(w->tmp, data, len);
    if (r != RES_OK) {
        w->failed = true;
        return r;
    }
    EVP_DigestUpdate(w->md, data, len);
    w->size += (int64_t)len;
    return RES_OK;
}

void blob_abort(struct blob_writer *w)
{
    if (!w)
        return;
    w->bs->drv->tmp_abort(w->tmp);
    EVP_MD_CTX_free(w->md);
    free(w);
}

result_t blob_finish(struct blob_writer *w, char hash[BLOB_HASH_LEN + 1], int64_t *size)
{
    if (w->failed) {
        blob_abort(w);
        return RES_INVALID;
    }
    char h[BLOB_HASH_LEN + 1];
    md_hex(w->md, h);
    result_t r = w->bs->drv->tmp_commit(w->bs->h, w->tmp, h);
    if (r == RES_OK) {
        memcpy(hash, h, sizeof(h));
        if (size)
            *size = w->size;
    }
    EVP_MD_CTX_free(w->md);
    free(w);
    return r;
}

result_t blob_put(struct blob_store *bs, const void *data, size_t len, char hash[BLOB_HASH_LEN + 1])
{
    struct blob_writer *w = NULL;
    result_t r = blob_begin(bs, &w);
    if (r != RES_OK)
        return r;
    if ((r = blob_write(w, data, len)) != RES_OK) {
        blob_abort(w);
        return r;
    }
    return blob_finish(w, hash, NULL);
}

result_t blob_read_open(struct blob_store *bs, const char *hash, struct blob_reader **out,
                        int64_t *size)
{
    if (!blob_hash_valid(hash))
        return RES_NOT_FOUND;
    struct blob_reader *rd = xcalloc(1, sizeof(*rd));
    rd->bs = bs;
    result_t r = bs->drv->read_open(bs->h, hash, &rd->rd, &rd->size);
    if (r != RES_OK) {
        free(rd);
        return r;
    }
    rd->md = md_new();
    memcpy(rd->hash, hash, sizeof(rd->hash));
    if (size)
        *size = rd->size;
    *out = rd;
    return RES_OK;
}

result_t blob_read(struct blob_reader *rd, void *dst, size_t cap, size_t *got)
{
    *got = 0;
    result_t r = rd->bs->drv->read(rd->rd, dst, cap, got);
    if (r != RES_OK)
        return r;
    if (*got > 0) {
        EVP_DigestUpdate(rd->md, dst, *got);
        rd->seen += (int64_t)*got;
        return RES_OK;
    }
    char h[BLOB_HASH_LEN + 1];
    md_hex(rd->md, h);
    if (strcmp(h, rd->hash) != 0) {
        log_error("msg=\"blob damaged: content does not match its hash\" hash=%s actual=%s "
                  "bytes=%lld",
                  rd->hash, h, (long long)rd->seen);
        return RES_CRYPTO;
    }
    return RES_OK;
}

void blob_read_close(struct blob_reader *rd)
{
    if (!rd)
        return;
    rd->bs->drv->read_close(rd->rd);
    EVP_MD_CTX_free(rd->md);
    free(rd);
}

result_t blob_get(struct blob_store *bs, const char *hash, struct buf *out)
{
    struct blob_reader *rd = NULL;
    int64_t size = 0;
    buf_reset(out);
    result_t r = blob_read_open(bs, hash, &rd, &size);
    if (r != RES_OK)
        return r;
    char chunk[65536];
    size_t got = 0;
    do {
        r = blob_read(rd, chunk, sizeof(chunk), &got);
        if (r == RES_OK && got)
            r = buf_append(out, chunk, got);
    } while (r == RES_OK && got > 0);
    blob_read_close(rd);
    if (r != RES_OK)
        buf_reset(out); /* a damaged or partial blob is never handed out */
    return r;
}

bool blob_exists(struct blob_store *bs, const char *hash)
{
    struct blob_reader *rd = NULL;
    if (blob_read_open(bs, hash, &rd, NULL) != RES_OK)
        return false;
    blob_read_close(rd);
    return true;
}

result_t blob_ref(struct db_conn *c, const char *hash, int64_t size)
{
    if (!blob_hash_valid(hash) || size < 0)
        return RES_INVALID;
    int64_t now = clock_now();
    /* DO UPDATE rather than DO NOTHING: it locks the row on PostgreSQL and moves
     * last_ref_at forward, so a sweep deciding about this blob now keeps it. */
    return db_run(c,
                  "INSERT INTO blob (hash, size, created_at, last_ref_at) VALUES ($1, $2, $3, $3) "
                  "ON CONFLICT (hash) DO UPDATE SET last_ref_at = excluded.last_ref_at",
                  "tii", hash, size, now);
}

/* ---- sweep ---- */

static bool ident_valid(const char *s)
{
    if (!s || !*s || strlen(s) > 63 || !((*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s);
}

/* DELETE of the blob rows no registered column uses. The registry is data (rows of
 * blob_ref_column written by the migration that adds the column), so identifiers are
 * checked before they become SQL text. */
static result_t build_row_sweep(struct db_conn *c, struct buf *sql)
{
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT table_name, column_name FROM blob_ref_column ORDER BY "
                          "table_name, column_name",
                          "");
    if (r != RES_OK)
        return r;
    buf_puts(sql, "DELETE FROM blob WHERE last_ref_at < $1");
    while ((r = db_step(s)) == RES_ROW) {
        const char *t = db_col_text(s, 0), *col = db_col_text(s, 1);
        if (!ident_valid(t) || !ident_valid(col)) {
            log_error("msg=\"bad blob_ref_column entry\" table=\"%s\" column=\"%s\"", t ? t : "",
                      col ? col : "");
            db_finalize(s);
            return RES_INTERNAL;
        }
        buf_printf(sql, " AND NOT EXISTS (SELECT 1 FROM %s r WHERE r.%s = blob.hash)", t, col);
    }
    db_finalize(s);
    return r == RES_DONE ? RES_OK : r;
}

struct old_files {
    char (*hash)[BLOB_HASH_LEN + 1];
    size_t n, cap;
    int64_t cutoff;
    int64_t kept;
};

static void collect_old(void *ctx, const char *hash, int64_t mtime)
{
    struct old_files *of = ctx;
    if (mtime >= of->cutoff) {
        of->kept++;
        return;
    }
    if (of->n == of->cap) {
        of->cap = of->cap ? of->cap * 2 : 64;
        of->hash = xrealloc(of->hash, of->cap * sizeof(*of->hash));
    }
    memcpy(of->hash[of->n++], hash, BLOB_HASH_LEN + 1);
}

result_t blob_sweep(struct blob_store *bs, struct db_conn *c, int64_t now, int64_t grace,
                    struct blob_sweep_report *rep)
{
    memset(rep, 0, sizeof(*rep));
    int64_t cutoff = now - grace;
    struct buf sql = BUF_INIT(64 * 1024);
    result_t r = build_row_sweep(c, &sql);
    if (r == RES_OK && (r = db_begin(c)) == RES_OK) {
        r = db_run(c, buf_str(&sql), "i", cutoff);
        if (r == RES_OK)
            rep->rows_removed = db_changes(c);
        r = r == RES_OK ? db_commit(c) : r;
        if (r != RES_OK)
            db_rollback(c);
    }
    buf_release(&sql);
    if (r != RES_OK)
        return r;

    struct old_files of = {.cutoff = cutoff};
    r = bs->drv->list(bs->h, collect_old, &of);
    for (size_t i = 0; r == RES_OK && i < of.n; i++) {
        int64_t one = 0;
        result_t q = db_one_i64(c, &one, "SELECT 1 FROM blob WHERE hash = $1", "t", of.hash[i]);
        if (q == RES_OK) {
            rep->files_kept++;
            continue;
        }
        if (q != RES_NOT_FOUND) {
            r = q;
            break;
        }
        /* The driver re-checks the file's time: a put that found this file and is about
         * to reference it refreshed it, and it stays. */
        q = bs->drv->remove(bs->h, of.hash[i], cutoff);
        if (q == RES_OK)
            rep->files_removed++;
        else if (q == RES_CONFLICT)
            rep->files_kept++;
    }
    rep->files_kept += of.kept;
    free(of.hash);
    if (r == RES_OK)
        r = bs->drv->sweep_tmp(bs->h, cutoff, &rep->tmp_removed);
    return r;
}
