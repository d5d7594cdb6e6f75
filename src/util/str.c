/* Bounded string helpers. */
#include "util/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

size_t str_copy(char *dst, const char *src, size_t dstsize)
{
    size_t n = strlen(src);
    if (dstsize) {
        size_t c = n < dstsize - 1 ? n : dstsize - 1;
        memcpy(dst, src, c);
        dst[c] = '\0';
    }
    return n;
}

const char *str_group_vn(int64_t v, char *out, size_t outsize)
{
    char digits[24];
    /* the magnitude as unsigned, so INT64_MIN has one too */
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    size_t nd = 0;
    do {
        digits[nd++] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    size_t need = (v < 0) + nd + (nd - 1) / 3 + 1, o = 0;
    if (!outsize)
        return out;
    if (need > outsize) {
        out[0] = '\0';
        return out;
    }
    if (v < 0)
        out[o++] = '-';
    for (size_t i = nd; i-- > 0;) {
        out[o++] = digits[i];
        if (i && i % 3 == 0)
            out[o++] = '.';
    }
    out[o] = '\0';
    return out;
}

result_t str_to_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (!s || !*s)
        return RES_INVALID;
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    if (*p < '0' || *p > '9')
        return RES_INVALID;
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (errno || *end != '\0' || v < min || v > max)
        return RES_INVALID;
    *out = (int64_t)v;
    return RES_OK;
}

bool str_eq_ct(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char d = (unsigned char)(la != lb);
    size_t n = la < lb ? la : lb;
    for (size_t i = 0; i < n; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

bool str_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_is_empty(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

void hex_encode(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

result_t hex_decode(const char *in, unsigned char *out, size_t outsize, size_t *outlen)
{
    size_t n = strlen(in);
    if (n % 2 || n / 2 > outsize)
        return RES_INVALID;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval(in[2 * i]), lo = hexval(in[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return RES_INVALID;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    if (outlen)
        *outlen = n / 2;
    return RES_OK;
}
