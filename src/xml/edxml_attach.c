/* Attachment encoding of edXML (standards.md §10): each file is zipped, then base64.
 * Decoding streams: base64 (util/base64.h) is decoded as the parser delivers text, and inflated
 * bytes go to a sink in chunks; sizes are checked against limits before and while inflating so a
 * zip bomb is refused after at most one chunk beyond the limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "util/alloc.h"
#include "xml/edxml.h"

result_t edxml_zip(const char *name, const unsigned char *data, size_t len, struct buf *out)
{
    result_t res = RES_INTERNAL;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = NULL;
    if (!src)
        goto out;
    za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za)
        goto out;
    zip_source_keep(src);
    zip_source_t *file = zip_source_buffer(za, data, len, 0);
    if (!file)
        goto out;
    zip_int64_t idx = zip_file_add(za, name && *name ? name : "file", file, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(file);
        goto out;
    }
    zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 6);
    if (zip_close(za) != 0)
        goto out;
    za = NULL;
    zip_stat_t st;
    if (zip_source_open(src) != 0)
        goto out;
    if (zip_source_stat(src, &st) != 0) {
        zip_source_close(src);
        goto out;
    }
    unsigned char chunk[65536];
    zip_int64_t got;
    res = RES_OK;
    while ((got = zip_source_read(src, chunk, sizeof(chunk))) > 0)
        if ((res = buf_append(out, chunk, (size_t)got)) != RES_OK)
            break;
    if (got < 0)
        res = RES_INTERNAL;
    zip_source_close(src);
out:
    if (za)
        zip_discard(za);
    if (src)
        zip_source_free(src);
    zip_error_fini(&ze);
    return res;
}

result_t edxml_unzip(const unsigned char *zipdata, size_t zlen, const struct edxml_limits *lim,
                     size_t already_total, struct edxml_attachment *att, edxml_sink_fn sink,
                     void *sink_ctx, unsigned char **out, size_t *outlen, char **entry_name,
                     char *why, size_t whysize)
{
    result_t res = RES_INVALID;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_t *za = NULL;
    zip_file_t *zf = NULL;
    struct buf data = BUF_INIT(0);
    *out = NULL;
    *outlen = 0;
    *entry_name = NULL;
    zip_source_t *src = zip_source_buffer_create(zipdata, zlen, 0, &ze);
    if (!src) {
        snprintf(why, whysize, "không đọc được tệp nén");
        goto out;
    }
    za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!za) {
        zip_source_free(src);
        snprintf(why, whysize, "không phải tệp zip hợp lệ (%s)", zip_error_strerror(&ze));
        goto out;
    }
    zip_int64_t n = zip_get_num_entries(za, 0);
    if (n != 1) {
        snprintf(why, whysize, "tệp nén phải chứa đúng 1 tệp, có %lld", (long long)n);
        goto out;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za, 0, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
        !(st.valid & ZIP_STAT_COMP_SIZE)) {
        snprintf(why, whysize, "không đọc được thông tin tệp trong zip");
        goto out;
    }
    size_t room = lim->max_total > already_total ? lim->max_total - already_total : 0;
    size_t limit = lim->max_attachment < room ? lim->max_attachment : room;
    if (st.size > limit) {
        snprintf(why, whysize, "tệp giải nén %llu byte, vượt giới hạn %zu byte",
                 (unsigned long long)st.size, limit);
        res = RES_TOO_LARGE;
        goto out;
    }
    if (st.size > 1024 * 1024 && st.comp_size * lim->max_ratio < st.size) {
        snprintf(why, whysize, "tỉ lệ nén bất thường (%llu → %llu byte): nghi zip bomb",
                 (unsigned long long)st.comp_size, (unsigned long long)st.size);
        res = RES_TOO_LARGE;
        goto out;
    }
    if (st.valid & ZIP_STAT_ENCRYPTION_METHOD && st.encryption_method != ZIP_EM_NONE) {
        snprintf(why, whysize, "tệp nén có mật khẩu");
        res = RES_UNSUPPORTED;
        goto out;
    }
    zf = zip_fopen_index(za, 0, 0);
    if (!zf) {
        snprintf(why, whysize, "không mở được tệp trong zip (%s)", zip_strerror(za));
        goto out;
    }
    /* The declared size is only a claim: count what really comes out. */
    buf_init(&data, limit);
    size_t total = 0;
    unsigned char chunk[65536];
    zip_int64_t got;
    while ((got = zip_fread(zf, chunk, sizeof(chunk))) > 0) {
        total += (size_t)got;
        if (total > st.size || total > limit) {
            snprintf(why, whysize, "dữ liệu giải nén vượt kích thước khai báo");
            res = RES_TOO_LARGE;
            goto out;
        }
        result_t r =
            sink ? sink(sink_ctx, att, chunk, (size_t)got) : buf_append(&data, chunk, (size_t)got);
        if (r != RES_OK) {
            snprintf(why, whysize, "không ghi được tệp đính kèm (%s)", result_name(r));
            res = r;
            goto out;
        }
    }
    if (got < 0) {
        snprintf(why, whysize, "dữ liệu nén hỏng (%s)", zip_file_strerror(zf));
        goto out;
    }
    if (total != st.size) {
        snprintf(why, whysize, "dữ liệu giải nén ngắn hơn kích thước khai báo");
        goto out;
    }
    *entry_name = st.valid & ZIP_STAT_NAME ? xstrdup(st.name) : NULL;
    *outlen = total;
    if (!sink)
        *out = (unsigned char *)buf_detach(&data, NULL);
    res = RES_OK;
out:
    if (zf)
        zip_fclose(zf);
    if (za)
        zip_discard(za);
    buf_release(&data);
    zip_error_fini(&ze);
    return res;
}
