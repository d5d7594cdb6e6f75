/* The snapshot cache of the trust store: verification borrows a refcounted, read-only
 * certstore built from <data_dir>/trust/ and the active database rows. It is rebuilt
 * when the generation number in `setting` (bumped in the transaction of every change,
 * on any server of the installation) or the directory's modification time differs
 * from the one it was built for; the old snapshot is freed by its last user. */
#include "core/trust.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>

#include "db/db.h"
#include "util/alloc.h"
#include "util/log.h"

struct trust_snapshot {
    struct certstore cs; /* first member: trust_release() gets back from &cs */
    int refs;            /* one for the cache while current, one per borrower */
    int64_t generation;  /* -1: built without the database, rebuild on next acquire */
    struct timespec dir_mtime;
};

struct trust_cache {
    struct trust_snapshot *current;
};

/* One lock for every cache of the process: held only to swap pointers and counts. */
static pthread_mutex_t trust_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- snapshots ---- */

static void snapshot_free(struct trust_snapshot *s)
{
    certstore_release(&s->cs);
    free(s);
}

static void trust_dir(const struct app *app, char *out, size_t n)
{
    snprintf(out, n, "%s/trust", app->cfg.data_dir);
}

static struct timespec dir_mtime(const struct app *app)
{
    char dir[PATH_MAX + 8];
    struct stat st;
    struct timespec none = {0, 0};
    trust_dir(app, dir, sizeof(dir));
    return stat(dir, &st) == 0 ? st.st_mtim : none;
}

static bool same_time(struct timespec a, struct timespec b)
{
    return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

/* The generation of the store in the database; -1 when it cannot be read. */
static int64_t read_generation(struct app *app)
{
    struct db_conn *c = app->db ? db_conn(app->db) : NULL;
    int64_t g = 0;
    if (!c)
        return -1;
    result_t r = db_one_i64(c, &g,
                            "SELECT CAST(value AS INTEGER) FROM setting "
                            "WHERE key = 'trust_generation'",
                            "");
    if (r == RES_NOT_FOUND)
        return 0;
    return r == RES_OK ? g : -1;
}

/* Adds the active rows of the database; false when they could not be read. */
static bool load_rows(struct app *app, struct certstore *cs)
{
    struct db_conn *c = app->db ? db_conn(app->db) : NULL;
    struct db_stmt *s = NULL;
    result_t r;
    if (!c || db_query(c, &s, "SELECT kind, der FROM trust_cert WHERE active = 1", "") != RES_OK)
        return false;
    while ((r = db_step(s)) == RES_ROW) {
        size_t len = 0;
        const unsigned char *der = db_col_blob(s, 1, &len);
        STACK_OF(X509) *x = NULL;
        if (cert_parse_certs(der, len, 1, &x) == RES_OK)
            certstore_add_cert(cs, sk_X509_value(x, 0), strcmp(db_col_text(s, 0), "root") == 0);
        sk_X509_pop_free(x, X509_free);
    }
    db_finalize(s);
    if (r != RES_DONE)
        return false;
    if (db_query(c, &s, "SELECT der FROM trust_crl WHERE active = 1", "") != RES_OK)
        return false;
    while ((r = db_step(s)) == RES_ROW) {
        size_t len = 0;
        const unsigned char *der = db_col_blob(s, 0, &len);
        X509_CRL *crl = NULL;
        if (certstore_parse_crl(der, len, &crl) == RES_OK)
            certstore_add_crl(cs, crl);
        X509_CRL_free(crl);
    }
    db_finalize(s);
    ERR_clear_error();
    return r == RES_DONE;
}

static struct trust_snapshot *snapshot_build(struct app *app, int64_t generation,
                                             struct timespec mtime)
{
    struct trust_snapshot *s = xcalloc(1, sizeof(*s));
    char dir[PATH_MAX + 8];
    certstore_init(&s->cs);
    s->generation = generation;
    s->dir_mtime = mtime;
    trust_dir(app, dir, sizeof(dir));
    if (mtime.tv_sec || mtime.tv_nsec) {
        result_t r = certstore_add_dir(&s->cs, dir);
        if (r != RES_OK && r != RES_NOT_FOUND)
            log_warn("event=trust_dir_error dir=%s result=%s", dir, result_name(r));
    }
    if (generation >= 0 && !load_rows(app, &s->cs)) {
        log_warn("event=trust_db_error");
        s->generation = -1;
    }
    return s;
}

const struct certstore *trust_acquire(struct app *app)
{
    int64_t gen = read_generation(app);
    struct timespec mtime = dir_mtime(app);
    struct trust_snapshot *cur;

    pthread_mutex_lock(&trust_lock);
    if (!app->trust)
        app->trust = xcalloc(1, sizeof(*app->trust));
    cur = app->trust->current;
    /* Fresh; or the database cannot be read now and a complete snapshot exists (stale
     * is better than losing every certificate kept in the database). */
    if (cur && ((gen >= 0 && cur->generation == gen && same_time(cur->dir_mtime, mtime)) ||
                (gen < 0 && cur->generation >= 0))) {
        cur->refs++;
        pthread_mutex_unlock(&trust_lock);
        return &cur->cs;
    }
    pthread_mutex_unlock(&trust_lock);

    /* Built outside the lock: other threads keep using the old snapshot meanwhile. */
    struct trust_snapshot *fresh = snapshot_build(app, gen, mtime);

    pthread_mutex_lock(&trust_lock);
    cur = app->trust->current;
    /* Keep the current one if it is newer (installed while we were building) or if
     * ours lacks the database rows and the current one has them. */
    if (cur &&
        (cur->generation > fresh->generation || (fresh->generation < 0 && cur->generation >= 0))) {
        cur->refs++;
        pthread_mutex_unlock(&trust_lock);
        snapshot_free(fresh);
        return &cur->cs;
    }
    fresh->refs = 2; /* the cache and the caller */
    app->trust->current = fresh;
    bool last = cur && --cur->refs == 0;
    pthread_mutex_unlock(&trust_lock);
    if (last)
        snapshot_free(cur);
    return &fresh->cs;
}

void trust_release(struct app *app, const struct certstore *cs)
{
    (void)app;
    if (!cs)
        return;
    struct trust_snapshot *s = (struct trust_snapshot *)(void *)cs;
    pthread_mutex_lock(&trust_lock);
    bool last = --s->refs == 0;
    pthread_mutex_unlock(&trust_lock);
    if (last)
        snapshot_free(s);
}

void trust_shutdown(struct app *app)
{
    pthread_mutex_lock(&trust_lock);
    struct trust_cache *cache = app->trust;
    app->trust = NULL;
    struct trust_snapshot *cur = cache ? cache->current : NULL;
    bool last = cur && --cur->refs == 0;
    pthread_mutex_unlock(&trust_lock);
    if (last)
        snapshot_free(cur);
    free(cache);
}
