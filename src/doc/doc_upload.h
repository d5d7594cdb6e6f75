/* One uploaded file of a document, checked and stored the same way wherever it comes
 * from (the registration's main file and appendices, the workflow's working files):
 * its name cleaned, its size within cfg.doc_max_file, its format recognised from the
 * bytes (standards.md §11, doc_format.h); then, inside the caller's transaction,
 * blob_ref and the doc_file row. Internal to doc/. */
#ifndef QLVB_DOC_UPLOAD_H
#define QLVB_DOC_UPLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "blob/blob.h"
#include "doc/doc.h"
#include "doc/doc_format.h"

struct db_conn;

/* A file as it will be stored. */
struct stored_file {
    const char *role; /* main | appendix | working */
    int seq;
    char name[256];
    enum doc_format fmt;
    int64_t size;
    char hash[BLOB_HASH_LEN + 1]; /* set by blob_put */
};

/* The last path component, cleaned (NFC, no control characters), at most 255 bytes. */
bool doc_file_name_clean(const char *in, char out[256]);

/* Name, size and format of f; on failure one Vietnamese error under `field` and false.
 * Fills out->name, out->fmt, out->size (role and seq are the caller's). */
bool doc_upload_check(struct app *app, const struct doc_upload *f, const char *field,
                      struct stored_file *out, struct verrs *e);

/* Inside the caller's tx: blob_ref(f->hash) and the doc_file row; *file_id (may be
 * NULL) its id. */
result_t doc_file_insert(struct db_conn *c, int64_t document_id, const struct stored_file *f,
                         int64_t user_id, int64_t now, int64_t *file_id);

#endif
