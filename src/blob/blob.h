/* The blob store: files addressed by the SHA-256 of their bytes, kept outside the
 * database. Engine-independent logic (hashing, limits, verification, the `blob` table
 * and the sweep) lives in blob.c; where the bytes live is a driver (blob_driver.h):
 * the filesystem today, a PostgreSQL or shared-directory store later, same API.
 *
 * A feature stores a file in two steps: put the bytes (durable when put returns), then,
 * in the same database transaction as the row that uses it, blob_ref() the hash and
 * store the hash in a column registered in blob_ref_column (see docs/architecture.md,
 * "Blobs"). The sweep removes files and blob rows that nothing references. */
#ifndef QLVB_BLOB_H
#define QLVB_BLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/result.h"

#define BLOB_HASH_LEN      64 /* lowercase hex SHA-256 */
#define BLOB_DEFAULT_MAX   (256L * 1024 * 1024)
#define BLOB_DEFAULT_GRACE 3600 /* seconds an unreferenced file is kept (open transactions) */

struct db_conn;
struct blob_store;
struct blob_writer;
struct blob_reader;

/* url: "file:<dir>" or a bare directory (created if missing). max_size: bytes a single
 * blob may have (0 = BLOB_DEFAULT_MAX). */
result_t blob_open(const char *url, int64_t max_size, struct blob_store **out);
void blob_close(struct blob_store *bs); /* NULL is fine */
const char *blob_driver_name(const struct blob_store *bs);
bool blob_hash_valid(const char *hash);

/* Streaming put: begin, write any number of chunks, finish. finish makes the file
 * durable (fsync of the file and its directory) under its hash; an identical blob that
 * already exists is kept and not rewritten. Writing past the store's limit answers
 * RES_TOO_LARGE (the writer must still be finished or aborted). finish and abort free
 * the writer whatever they return. */
result_t blob_begin(struct blob_store *bs, struct blob_writer **out);
result_t blob_write(struct blob_writer *w, const void *data, size_t len);
result_t blob_finish(struct blob_writer *w, char hash[BLOB_HASH_LEN + 1], int64_t *size);
void blob_abort(struct blob_writer *w); /* NULL is fine; removes the temporary file */
/* One-shot put of a buffer. */
result_t blob_put(struct blob_store *bs, const void *data, size_t len,
                  char hash[BLOB_HASH_LEN + 1]);

/* Reads a whole blob into out (reset first), verifying its hash: RES_NOT_FOUND if
 * absent, RES_CRYPTO if the stored bytes do not match their name (nothing returned),
 * RES_TOO_LARGE if out's limit is smaller than the blob. */
result_t blob_get(struct blob_store *bs, const char *hash, struct buf *out);
/* Streaming read for large files: chunks come as stored; the hash is checked when the
 * end is reached, and that last blob_read answers RES_CRYPTO on a mismatch, so a caller
 * that forwards chunks must treat the whole stream as failed. *got == 0 with RES_OK is
 * the verified end. */
result_t blob_read_open(struct blob_store *bs, const char *hash, struct blob_reader **out,
                        int64_t *size);
result_t blob_read(struct blob_reader *rd, void *dst, size_t cap, size_t *got);
void blob_read_close(struct blob_reader *rd); /* NULL is fine */
bool blob_exists(struct blob_store *bs, const char *hash);

/* In the caller's transaction: records that a row about to be written uses the blob
 * (upsert into `blob`, refreshing last_ref_at so a concurrent sweep keeps it). */
result_t blob_ref(struct db_conn *c, const char *hash, int64_t size);

struct blob_sweep_report {
    int64_t rows_removed;  /* blob rows no registered column referenced */
    int64_t files_removed; /* files with no blob row, older than the grace period */
    int64_t tmp_removed;   /* abandoned temporary files */
    int64_t files_kept;
};
/* Removes, in this order: blob rows older than `now - grace` that no column listed in
 * blob_ref_column references; then files older than the grace period that have no blob
 * row; then temporary files older than the grace period. Safe to run on several nodes
 * at once. */
result_t blob_sweep(struct blob_store *bs, struct db_conn *c, int64_t now, int64_t grace,
                    struct blob_sweep_report *rep);

#endif
