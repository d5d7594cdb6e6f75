/* multipart/form-data (RFC 7578) over a body that is already in memory: the parts
 * point into the body, names are copied into the request arena. Strict and bounded:
 * a malformed body is refused as a whole rather than half-read. */
#ifndef QLVB_HTTP_MULTIPART_H
#define QLVB_HTTP_MULTIPART_H

#include <stddef.h>

#include "util/arena.h"
#include "util/result.h"

#define MULTIPART_MAX_PARTS  64
#define MULTIPART_MAX_HEADER 2048 /* bytes of one part's header block */

struct mp_part {
    const char *name;         /* form field name (UTF-8 checked, not normalised) */
    const char *filename;     /* NULL for a plain field; "" when the browser sent none */
    const char *content_type; /* NULL when absent */
    const unsigned char *data;
    size_t len;
};

/* Extracts the boundary parameter of a multipart/form-data Content-Type into out
 * (at most 70 characters, RFC 2046). RES_INVALID when absent or malformed,
 * RES_UNSUPPORTED when the type is not multipart/form-data. */
result_t multipart_boundary(const char *content_type, char *out, size_t size);

/* Splits body into at most `max` parts. RES_INVALID for a malformed body (missing
 * closing boundary, part without a name, bad header), RES_TOO_LARGE when there are
 * more parts than `max`. */
result_t multipart_parse(struct arena *a, const char *boundary, const unsigned char *body,
                         size_t len, struct mp_part *parts, int max, int *count);

#endif
