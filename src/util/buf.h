/* Growable byte buffers with a hard maximum (curl's dynbuf idea): input can never
 * grow one without bound. Always NUL-terminated so text can be used directly. */
#ifndef QLVB_BUF_H
#define QLVB_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "util/result.h"

struct buf {
    char *data; /* NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
    size_t max; /* appends that would pass this fail with RES_TOO_LARGE */
};

#define BUF_INIT(maxbytes)     \
    {                          \
        NULL, 0, 0, (maxbytes) \
    }

void buf_init(struct buf *b, size_t max);
result_t buf_append(struct buf *b, const void *p, size_t n);
result_t buf_puts(struct buf *b, const char *s);
result_t buf_putc(struct buf *b, char c);
result_t buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
result_t buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Returns the contents (never NULL) and keeps ownership in the buffer. */
const char *buf_str(const struct buf *b);
/* Hands the allocation to the caller (never NULL) and resets the buffer. */
char *buf_detach(struct buf *b, size_t *len);
void buf_reset(struct buf *b);
void buf_release(struct buf *b);

#endif
