/* Base64 (RFC 4648 §4: the standard alphabet, '=' padding), the one implementation in
 * the tree: encoding with optional line wrapping (edXML attachments), and a strict
 * streaming decoder that may skip white space (base64 in XML text is wrapped). */
#ifndef QLVB_BASE64_H
#define QLVB_BASE64_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/result.h"

/* Characters of the base64 of n bytes, without line breaks or the NUL. */
#define BASE64_LEN(n) (4 * (((size_t)(n) + 2) / 3))

/* Appends the base64 of data to out. wrap > 0 puts a '\n' after every wrap characters
 * (never after the last one; rounded up to whole quads). RES_TOO_LARGE when out
 * would pass its maximum (out then holds a prefix). */
result_t base64_encode(struct buf *out, const void *data, size_t len, size_t wrap);

/* Streaming decoder: feed the text in any pieces, then finish. Strict: only the
 * alphabet, padding only to close the last quad (after at least two characters, at
 * most two '='), nothing after it, and a complete last quad. With skip_space, ASCII
 * space, tab, CR and LF are ignored anywhere; without, they are invalid. */
struct base64_dec {
    unsigned int acc;
    int nacc; /* characters in acc; 4 once padding closed the last quad */
    int pad;
    bool bad;
    bool skip_space;
};
void base64_dec_init(struct base64_dec *d, bool skip_space);
/* Appends the decoded bytes to out: RES_INVALID on bad input (then and afterwards),
 * RES_TOO_LARGE when out would pass its maximum. */
result_t base64_dec_feed(struct base64_dec *d, const char *s, size_t n, struct buf *out);
/* RES_OK when the text fed so far is complete base64, else RES_INVALID. */
result_t base64_dec_finish(const struct base64_dec *d);

/* One piece of text, strict, no white space: decodes s (n bytes) into out[0..size) and
 * sets *got. RES_INVALID for bad base64 (also for empty text), RES_TOO_LARGE when the
 * result would not fit. */
result_t base64_decode(const char *s, size_t n, unsigned char *out, size_t size, size_t *got);

#endif
