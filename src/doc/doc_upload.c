/* Checking and storing one document file (doc_upload.h): shared by the registration
 * of incoming documents and the workflow's working files. */
#include "doc/doc_upload.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "text/text.h"
#include "util/str.h"

bool doc_file_name_clean(const char *in, char out[256])
{
    const char *base = in ? in : "";
    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    char *n = text_nfc(base);
    if (!n)
        return false;
    text_squeeze(n);
    size_t len = strlen(n);
    bool ok = len > 0 && len <= 255 && n[0] != '.';
    for (size_t i = 0; ok && i < len; i++)
        if ((unsigned char)n[i] < 0x20 || n[i] == 0x7F)
            ok = false;
    if (ok)
        str_copy(out, n, 256);
    free(n);
    return ok;
}

bool doc_upload_check(struct app *app, const struct doc_upload *f, const char *field,
                      struct stored_file *out, struct verrs *e)
{
    long max = app->cfg.doc_max_file > 0 ? app->cfg.doc_max_file : DOC_DEFAULT_MAX_FILE;
    if (!doc_file_name_clean(f->file_name, out->name)) {
        verrs_add(e, field, "Tên tệp không hợp lệ (rỗng, quá 255 byte hoặc có ký tự điều khiển).");
        return false;
    }
    if ((long)f->len > max) {
        verrs_add(e, field, "Tệp “%s” dài %.1f MB, quá giới hạn %.1f MB cho mỗi tệp.",
                  DOC_CUT(out->name, 120), f->len / 1048576.0, max / 1048576.0);
        return false;
    }
    char msg[400];
    if (doc_format_check(out->name, f->data, f->len, &out->fmt, msg, sizeof(msg)) != RES_OK) {
        verrs_add(e, field, "%s", msg);
        return false;
    }
    out->size = (int64_t)f->len;
    return true;
}

result_t doc_file_insert(struct db_conn *c, int64_t document_id, const struct stored_file *f,
                         int64_t user_id, int64_t now, int64_t *file_id)
{
    const struct doc_format_info *fi = doc_format_info(f->fmt);
    result_t r = blob_ref(c, f->hash, f->size);
    if (r != RES_OK)
        return r;
    int64_t id = 0;
    r = db_one_i64(c, &id,
                   "INSERT INTO doc_file (document_id, role, seq, version, file_name, "
                   "content_type, format, size, blob_hash, created_by, created_at) VALUES ($1, "
                   "$2, $3, 1, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                   "itittti"
                   "tIi",
                   document_id, f->role, (int64_t)f->seq, f->name, fi->content_type, fi->key,
                   f->size, f->hash, user_id, now);
    if (r == RES_OK && file_id)
        *file_id = id;
    return r;
}
