/* Base64 encoder and strict decoder (RFC 4648 §4). Decoding is byte by byte so that
 * input may arrive in pieces (the XML parser delivers text in chunks) and output
 * always goes to a bounded buffer. */
#include "util/base64.h"

#include <string.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

result_t base64_encode(struct buf *out, const void *data, size_t len, size_t wrap)
{
    const unsigned char *p = data;
    char chunk[512]; /* a multiple of 4 plus room for the line breaks in it */
    size_t n = 0, col = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < len)
            v |= p[i + 2];
        if (wrap && col >= wrap) {
            chunk[n++] = '\n';
            col = 0;
        }
        chunk[n++] = alphabet[(v >> 18) & 63];
        chunk[n++] = alphabet[(v >> 12) & 63];
        chunk[n++] = i + 1 < len ? alphabet[(v >> 6) & 63] : '=';
        chunk[n++] = i + 2 < len ? alphabet[v & 63] : '=';
        col += 4;
        if (n > sizeof(chunk) - 5) {
            result_t r = buf_append(out, chunk, n);
            if (r != RES_OK)
                return r;
            n = 0;
        }
    }
    return n ? buf_append(out, chunk, n) : RES_OK;
}

void base64_dec_init(struct base64_dec *d, bool skip_space)
{
    memset(d, 0, sizeof(*d));
    d->skip_space = skip_space;
}

static int value_of(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

result_t base64_dec_feed(struct base64_dec *d, const char *s, size_t n, struct buf *out)
{
    unsigned char tmp[768];
    size_t t = 0;
    for (size_t i = 0; i < n && !d->bad; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (!d->skip_space)
                d->bad = true;
            continue;
        }
        if (c == '=') {
            /* Padding only in the last quad, after at least two characters. */
            if (d->nacc + d->pad < 2 || ++d->pad > 2) {
                d->bad = true;
            } else if (d->nacc + d->pad == 4) {
                if (d->pad == 1) {
                    tmp[t++] = (unsigned char)(d->acc >> 10);
                    tmp[t++] = (unsigned char)(d->acc >> 2);
                } else {
                    tmp[t++] = (unsigned char)(d->acc >> 4);
                }
                d->nacc = 4; /* quad closed: nothing may follow */
            }
            continue;
        }
        int v = value_of(c);
        if (v < 0 || d->pad || d->nacc == 4) {
            d->bad = true;
            break;
        }
        d->acc = (d->acc << 6) | (unsigned)v;
        if (++d->nacc == 4) {
            tmp[t++] = (unsigned char)(d->acc >> 16);
            tmp[t++] = (unsigned char)(d->acc >> 8);
            tmp[t++] = (unsigned char)d->acc;
            d->nacc = 0;
            d->acc = 0;
        }
        if (t > sizeof(tmp) - 3) {
            result_t r = buf_append(out, tmp, t);
            if (r != RES_OK)
                return r;
            t = 0;
        }
    }
    if (d->bad)
        return RES_INVALID;
    return t ? buf_append(out, tmp, t) : RES_OK;
}

result_t base64_dec_finish(const struct base64_dec *d)
{
    if (d->bad)
        return RES_INVALID;
    /* Either complete quads only, or a last quad closed by padding (nacc set to 4). */
    if (d->pad)
        return d->nacc == 4 ? RES_OK : RES_INVALID;
    return d->nacc == 0 ? RES_OK : RES_INVALID;
}

result_t base64_decode(const char *s, size_t n, unsigned char *out, size_t size, size_t *got)
{
    *got = 0;
    if (!s || !n)
        return RES_INVALID;
    struct base64_dec d;
    struct buf b = BUF_INIT(size);
    base64_dec_init(&d, false);
    result_t r = base64_dec_feed(&d, s, n, &b);
    if (r == RES_OK)
        r = base64_dec_finish(&d);
    if (r == RES_OK) {
        if (b.len)
            memcpy(out, b.data, b.len);
        *got = b.len;
    }
    buf_release(&b);
    return r;
}
