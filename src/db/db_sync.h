/* Group commit (docs/architecture.md "Write path"): a durability barrier for an engine
 * whose COMMIT writes its log without syncing it (SQLite in WAL mode with
 * synchronous=NORMAL). Each commit takes a sequence number once its log write has
 * returned; before the commit is acknowledged its thread waits here until a sync that
 * started after that number was taken has completed. One waiter at a time syncs (the
 * leader), covering every commit numbered up to the moment it started; the others
 * wait for it, and the first of them still uncovered then leads the next sync, so
 * N commits that arrive during one sync cost one more sync, not N.
 *
 * The sync is fdatasync(2) of the log file through a descriptor of our own: Linux
 * writes back a file's dirty pages whichever descriptor wrote them. Before each sync
 * the path is checked against the descriptor (device and inode): a log that SQLite
 * deleted and created anew is opened again (the old one's content was checkpointed
 * into the database file and synced before SQLite deleted it). A missing log is the
 * same case with nothing written since.
 *
 * A failed sync cannot be retried safely (the kernel may have dropped the dirty
 * pages): the barrier stays failed and every later wait returns RES_IO, so nothing is
 * acknowledged that might not be on disk; the server has to be restarted. */
#ifndef QLVB_DB_SYNC_H
#define QLVB_DB_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "util/result.h"

struct db_sync;

/* Syncs path (the WAL file). */
struct db_sync *db_sync_new(const char *path);
/* Syncs by calling fn(ctx) instead, 0 on success (tests instrument the barrier). */
typedef int (*db_sync_fn)(void *ctx);
struct db_sync *db_sync_new_fn(db_sync_fn fn, void *ctx);
void db_sync_free(struct db_sync *s);

/* Call after a commit's write returned, before releasing the writer's turn (or at
 * least before db_sync_wait): the commit's sequence number. */
uint64_t db_sync_committed(struct db_sync *s);
/* Returns RES_OK once a sync covering commit seq has completed; RES_IO if syncs fail. */
result_t db_sync_wait(struct db_sync *s, uint64_t seq);
/* A sync failed: db_begin refuses new write transactions (RES_IO) from then on, so that
 * no change is made that could not be acknowledged. */
bool db_sync_broken(struct db_sync *s);

struct db_sync_stats {
    uint64_t commits; /* sequence numbers handed out */
    uint64_t durable; /* every commit up to this one is on disk */
    uint64_t syncs;   /* syncs completed */
    uint64_t reopens; /* the log file found replaced (or created) and opened again */
    int waiting;      /* threads in db_sync_wait now, the leader included */
    int failed;       /* a sync failed: the barrier refuses from then on */
};
void db_sync_stats(struct db_sync *s, struct db_sync_stats *out);

struct db;
/* The barrier's figures of a database (db.c); false when its commits sync by themselves. */
bool db_group_commit_stats(struct db *db, struct db_sync_stats *out);

#endif
