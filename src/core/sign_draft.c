/* Sign drafts: a row of sign_draft whose PDF is a blob (pdf_hash). The file is put
 * first (durable, unreferenced), then the row and its blob reference commit together;
 * the periodic sweep (core/housekeeping.c) drops expired rows and the blob sweep their
 * files. Rows from before migration 0003 still carry their bytes in `pdf`. */
#include "core/sign_draft.h"

#include <stdlib.h>
#include <string.h>

#include "blob/blob.h"
#include "core/tx.h"
#include "db/db.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/str.h"

void sign_draft_init(struct sign_draft *d)
{
    memset(d, 0, sizeof(*d));
    buf_init(&d->pdf, 256u << 20);
}

void sign_draft_release(struct sign_draft *d)
{
    buf_release(&d->pdf);
    json_decref(d->meta);
    sign_draft_init(d);
}

static bool id_valid(const char *id)
{
    if (!id || strlen(id) != SIGN_DRAFT_ID_LEN)
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

/* A draft is a user's scratch upload, not a state change of the record: it has no audit
 * row (signing it does). Keeps at most SIGN_DRAFT_PER_USER drafts per user. */
struct draft_insert {
    const struct actor *a;
    const struct sign_draft *d;
    const char *hash, *meta;
    int64_t len, now;
};

static result_t draft_insert_tx(struct tx *t, void *arg)
{
    const struct draft_insert *w = arg;
    struct db_conn *c = tx_conn(t);
    result_t r = db_run(c,
                        "DELETE FROM sign_draft WHERE user_id = $1 AND id NOT IN (SELECT id FROM "
                        "sign_draft WHERE user_id = $1 ORDER BY id DESC LIMIT $2)",
                        "ii", w->a->user_id, (int64_t)(SIGN_DRAFT_PER_USER - 1));
    if (r == RES_OK)
        r = blob_ref(c, w->hash, w->len);
    if (r == RES_OK)
        r = db_run(c,
                   "INSERT INTO sign_draft (public_id, user_id, agency_id, kind, file_name, "
                   "pdf_hash, meta, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                   "$8, $9)",
                   "tiittttii", w->d->public_id, w->a->user_id, w->a->agency_id, w->d->kind,
                   w->d->file_name, w->hash, w->meta, w->now, w->d->expires_at);
    return r;
}

result_t sign_draft_create(struct app *app, const struct actor *a, const char *kind,
                           const char *file_name, const unsigned char *pdf, size_t len,
                           json_t *meta, struct sign_draft *d)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    if (!a->user_id || !a->agency_id)
        return RES_FORBIDDEN;
    if (rand_hex(d->public_id, SIGN_DRAFT_ID_LEN / 2) != RES_OK)
        return RES_INTERNAL;
    str_copy(d->kind, kind, sizeof(d->kind));
    str_copy(d->file_name, file_name && *file_name ? file_name : "tai-lieu.pdf",
             sizeof(d->file_name));
    if (!app->blobs)
        return RES_UNSUPPORTED;
    char hash[BLOB_HASH_LEN + 1];
    result_t r = blob_put(app->blobs, pdf, len, hash);
    if (r != RES_OK)
        return r;
    int64_t now = clock_now();
    d->expires_at = now + (app->cfg.sign_draft_ttl > 0 ? app->cfg.sign_draft_ttl : SIGN_DRAFT_TTL);
    char *meta_text = meta ? json_dumps(meta, JSON_COMPACT) : NULL;
    struct draft_insert w = {.a = a,
                             .d = d,
                             .hash = hash,
                             .len = (int64_t)len,
                             .meta = meta_text ? meta_text : "{}",
                             .now = now};
    r = tx_run_noaudit(app->db, draft_insert_tx, &w);
    free(meta_text);
    return r;
}

result_t sign_draft_get(struct app *app, const struct actor *a, const char *public_id,
                        const char *kind, struct sign_draft *d)
{
    struct db_conn *c = db_conn(app->db);
    struct db_stmt *s = NULL;
    if (!c)
        return RES_DB;
    if (!id_valid(public_id))
        return RES_NOT_FOUND;
    result_t r = db_query(c, &s,
                          "SELECT file_name, pdf, pdf_hash, meta, expires_at FROM sign_draft "
                          "WHERE public_id = $1 AND user_id = $2 AND agency_id = $3 AND kind = $4 "
                          "AND expires_at >= $5",
                          "tiiti", public_id, a->user_id, a->agency_id, kind, clock_now());
    if (r != RES_OK)
        return r;
    char hash[BLOB_HASH_LEN + 1] = "";
    r = db_step(s);
    if (r == RES_ROW) {
        str_copy(d->public_id, public_id, sizeof(d->public_id));
        str_copy(d->kind, kind, sizeof(d->kind));
        str_copy(d->file_name, db_col_text(s, 0), sizeof(d->file_name));
        buf_reset(&d->pdf);
        if (db_col_null(s, 2)) { /* a draft from before the blob store */
            size_t len = 0;
            const void *p = db_col_blob(s, 1, &len);
            r = buf_append(&d->pdf, p, len);
        } else {
            str_copy(hash, db_col_text(s, 2), sizeof(hash));
        }
        const char *mt = db_col_text(s, 3);
        d->meta = json_loads(mt ? mt : "{}", 0, NULL);
        if (!d->meta)
            d->meta = json_object();
        d->expires_at = db_col_i64(s, 4);
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    if (r == RES_ROW && hash[0]) {
        /* RES_CRYPTO when the file no longer matches its hash: never shown or signed */
        r = app->blobs ? blob_get(app->blobs, hash, &d->pdf) : RES_UNSUPPORTED;
        if (r == RES_NOT_FOUND)
            log_error("msg=\"sign draft file missing\" hash=%s", hash);
        if (r == RES_NOT_FOUND)
            r = RES_IO;
    }
    return r == RES_ROW ? RES_OK : r;
}

/* Expired drafts (a user's scratch uploads): housekeeping, no audit row. The blob sweep
 * removes their files later. */
struct draft_delete {
    int64_t now, user_id;
    const char *public_id;
    int64_t removed;
};

static result_t draft_delete_tx(struct tx *t, void *arg)
{
    struct draft_delete *w = arg;
    struct db_conn *c = tx_conn(t);
    w->removed = 0;
    result_t r = w->public_id
                     ? db_run(c,
                              "DELETE FROM sign_draft WHERE public_id = $1 AND "
                              "user_id = $2",
                              "ti", w->public_id, w->user_id)
                     : db_run(c, "DELETE FROM sign_draft WHERE expires_at < $1", "i", w->now);
    if (r == RES_OK)
        w->removed = db_changes(c);
    return r;
}

result_t sign_draft_sweep(struct app *app, int64_t now, int64_t *removed)
{
    struct draft_delete w = {.now = now};
    result_t r = tx_run_noaudit(app->db, draft_delete_tx, &w);
    if (r == RES_OK && removed)
        *removed = w.removed;
    return r;
}

result_t sign_draft_delete(struct app *app, const struct actor *a, const char *public_id)
{
    if (!id_valid(public_id))
        return RES_NOT_FOUND;
    struct draft_delete w = {.user_id = a->user_id, .public_id = public_id};
    return tx_run_noaudit(app->db, draft_delete_tx, &w);
}
