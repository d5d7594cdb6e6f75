/* Driver interface behind blob.h: where blob bytes live. A driver stores opaque bytes
 * under a name (the hash, already computed and checked by blob.c) and lists what it
 * holds for the sweep; it never decides what is referenced. The filesystem driver is
 * blob_fs.c; a PostgreSQL large-object or shared-directory driver plugs in here. */
#ifndef QLVB_BLOB_DRIVER_H
#define QLVB_BLOB_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/result.h"

/* Called by list for each stored blob (or temporary object); mtime in unix seconds. */
typedef void (*blob_list_fn)(void *ctx, const char *hash, int64_t mtime);

struct blob_driver {
    const char *name;
    result_t (*open)(const char *target, void **h);
    void (*close)(void *h);
    /* A temporary object in the same store, written sequentially. */
    result_t (*tmp_create)(void *h, void **tmp);
    result_t (*tmp_write)(void *tmp, const void *data, size_t len);
    /* Makes the temporary durable under `hash`; if that name exists, keeps the existing
     * object (refreshing its time so a sweep in progress keeps it) and drops the
     * temporary. Frees tmp in every case. */
    result_t (*tmp_commit)(void *h, void *tmp, const char *hash);
    void (*tmp_abort)(void *tmp); /* drops and frees */
    result_t (*read_open)(void *h, const char *hash, void **rd, int64_t *size);
    result_t (*read)(void *rd, void *dst, size_t cap, size_t *got); /* *got 0: end */
    void (*read_close)(void *rd);
    /* Removes `hash` only if its time is still before `older_than` (so an object that
     * a put refreshed meanwhile stays). RES_NOT_FOUND if absent, RES_CONFLICT if fresh. */
    result_t (*remove)(void *h, const char *hash, int64_t older_than);
    result_t (*list)(void *h, blob_list_fn fn, void *ctx);
    /* Removes temporaries last written before older_than; counts them. */
    result_t (*sweep_tmp)(void *h, int64_t older_than, int64_t *removed);
};

extern const struct blob_driver blob_fs_driver;
/* Tests: stores opened after this call with true use named temporaries in <dir>/tmp,
 * the path taken where O_TMPFILE or /proc is missing. */
void blob_fs_named_temporaries(bool on);
/* Tests: stores opened after this call with true write through the page cache, the
 * path taken where O_DIRECT is refused. */
void blob_fs_buffered_writes(bool on);

#endif
