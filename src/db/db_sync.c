/* The durability barrier of db_sync.h: sequence numbers, one leader syncing at a time,
 * every waiter its sync covered woken together. */
#include "db/db_sync.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/log.h"

struct db_sync {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint64_t committed; /* the last sequence number handed out */
    uint64_t durable;   /* every commit up to this number is on disk */
    uint64_t syncs, reopens;
    int waiting;
    int failed; /* errno of the sync that failed, 0 while none did */
    bool syncing;
    db_sync_fn fn;
    void *ctx;
    /* the file variant; touched only by the leader (syncing), so without the mutex */
    char *path;
    int fd;
    dev_t dev;
    ino_t ino;
};

/* fdatasync of the file now at s->path, opened again when it is not the inode held. */
static int file_sync(void *ctx)
{
    struct db_sync *s = ctx;
    struct stat st;
    if (stat(s->path, &st) != 0) {
        if (errno != ENOENT)
            return errno;
        /* No log: SQLite deletes it only after a checkpoint that copied every frame into
         * the database file and synced that file; a commit since would have created it. */
        if (s->fd >= 0)
            close(s->fd);
        s->fd = -1;
        return 0;
    }
    if (s->fd < 0 || st.st_dev != s->dev || st.st_ino != s->ino) {
        /* O_RDONLY: fdatasync needs no write access, and we never write. Closing the old
         * descriptor drops no lock of SQLite's: it locks the database and -shm files, not
         * the log. */
        int fd = open(s->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return errno == ENOENT ? 0 : errno; /* deleted since the stat: as above */
        struct stat now;
        if (fstat(fd, &now) != 0) {
            int err = errno;
            close(fd);
            return err;
        }
        if (s->fd >= 0)
            close(s->fd);
        s->fd = fd;
        s->dev = now.st_dev;
        s->ino = now.st_ino;
        __atomic_fetch_add(&s->reopens, 1, __ATOMIC_RELAXED); /* read by db_sync_stats */
    }
    return fdatasync(s->fd) == 0 ? 0 : errno;
}

static struct db_sync *sync_alloc(void)
{
    struct db_sync *s = xcalloc(1, sizeof(*s));
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->fd = -1;
    return s;
}

struct db_sync *db_sync_new(const char *path)
{
    struct db_sync *s = sync_alloc();
    s->path = xstrdup(path);
    s->fn = file_sync;
    s->ctx = s;
    return s;
}

struct db_sync *db_sync_new_fn(db_sync_fn fn, void *ctx)
{
    struct db_sync *s = sync_alloc();
    s->fn = fn;
    s->ctx = ctx;
    return s;
}

void db_sync_free(struct db_sync *s)
{
    if (!s)
        return;
    if (s->fd >= 0)
        close(s->fd);
    free(s->path);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

uint64_t db_sync_committed(struct db_sync *s)
{
    pthread_mutex_lock(&s->mu);
    uint64_t seq = ++s->committed;
    pthread_mutex_unlock(&s->mu);
    return seq;
}

result_t db_sync_wait(struct db_sync *s, uint64_t seq)
{
    pthread_mutex_lock(&s->mu);
    s->waiting++;
    while (s->durable < seq && !s->failed) {
        if (s->syncing) {
            pthread_cond_wait(&s->cv, &s->mu);
            continue;
        }
        /* Lead: every commit numbered up to now has returned from its write, so the
         * sync about to start covers it. */
        s->syncing = true;
        uint64_t target = s->committed;
        pthread_mutex_unlock(&s->mu);
        int err = s->fn(s->ctx);
        pthread_mutex_lock(&s->mu);
        s->syncing = false;
        if (err) {
            s->failed = err;
            log_error("msg=\"database log sync failed: commits can no longer be acknowledged; "
                      "restart the server\" path=\"%s\" err=\"%s\"",
                      s->path ? s->path : "-", strerror(err));
        } else {
            s->syncs++;
            if (target > s->durable)
                s->durable = target;
        }
        pthread_cond_broadcast(&s->cv);
    }
    s->waiting--;
    result_t r = s->durable >= seq ? RES_OK : RES_IO;
    pthread_mutex_unlock(&s->mu);
    return r;
}

bool db_sync_broken(struct db_sync *s)
{
    pthread_mutex_lock(&s->mu);
    bool broken = s->failed != 0;
    pthread_mutex_unlock(&s->mu);
    return broken;
}

void db_sync_stats(struct db_sync *s, struct db_sync_stats *out)
{
    pthread_mutex_lock(&s->mu);
    *out = (struct db_sync_stats){.commits = s->committed,
                                  .durable = s->durable,
                                  .syncs = s->syncs,
                                  .reopens = __atomic_load_n(&s->reopens, __ATOMIC_RELAXED),
                                  .waiting = s->waiting,
                                  .failed = s->failed};
    pthread_mutex_unlock(&s->mu);
}
