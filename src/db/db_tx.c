/* The one write-transaction loop: begin with write intent, the caller's writes,
 * commit; on RES_BUSY (lock contention, serialization failure, deadlock) roll back and
 * run the whole unit again, a bounded number of times with a short jittered back-off. */
#include <time.h>

#include "db/db.h"
#include "db/db_internal.h"
#include "util/log.h"
#include "util/rand.h"

/* Back-off before attempt n+1: about 4, 8, 16, 32 ms plus up to as much again at
 * random, so writers that collided do not collide again in step. */
static void backoff(int attempt)
{
    unsigned jitter = 0;
    long base_us = 4000L << attempt;
    if (rand_bytes(&jitter, sizeof(jitter)) != RES_OK)
        jitter = 0;
    long us = base_us + (long)(jitter % (unsigned)base_us);
    struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

result_t db_tx(struct db *db, db_tx_fn fn, void *arg)
{
    struct db_conn *c = db_conn(db);
    if (!c)
        return RES_DB;
    if (db_in_read(c))
        return RES_INTERNAL;
    int first = 0;
    if (db_tx_combines(db, c)) { /* single-writer engines: with the units waiting (db.c) */
        bool alone = false, ran = false;
        result_t r = db_tx_combined(db, c, fn, arg, &alone, &ran);
        if (!alone)
            return r;
        first = ran; /* a try of a batch that broke counts */
    }
    result_t r = RES_INTERNAL;
    for (int attempt = first; attempt < DB_TX_TRIES; attempt++) {
        if (attempt)
            backoff(attempt - 1);
        r = db_begin(c);
        if (r != RES_OK) {
            if (r == RES_BUSY)
                continue;
            return r;
        }
        r = fn(c, arg);
        if (r == RES_OK)
            r = db_commit(c);
        if (r == RES_OK)
            return RES_OK;
        db_rollback(c);
        if (r != RES_BUSY)
            return r;
        if (attempt + 1 < DB_TX_TRIES)
            log_warn("msg=\"write transaction busy, retrying\" attempt=%d", attempt + 1);
    }
    log_error("msg=\"write transaction gave up: database busy\" tries=%d", DB_TX_TRIES);
    return r;
}
