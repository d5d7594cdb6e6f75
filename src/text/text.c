/* UTF-8 validation, NFC and folding over utf8proc. */
#include "text/text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "util/alloc.h"

bool text_valid_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, end - p, &cp);
        if (k <= 0)
            return false;
        if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
            return false;
        if (cp == 0x7f)
            return false;
        p += k;
    }
    return true;
}

size_t text_cut(const char *s, size_t n, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t pos = 0, cluster = 0;
    utf8proc_int32_t prev = -1, state = 0;
    while (pos < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + pos, (utf8proc_ssize_t)(n - pos), &cp);
        if (k <= 0)
            return pos; /* an invalid byte: stop before it */
        if (prev < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state))
            cluster = pos;
        if (pos + (size_t)k > max)
            return cluster ? cluster : pos; /* one cluster longer than max: cut inside it */
        prev = cp;
        pos += (size_t)k;
    }
    return pos;
}

static char *map(const char *s, utf8proc_option_t opts)
{
    if (!text_valid_utf8(s, strlen(s)))
        return NULL;
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                                      opts | UTF8PROC_NULLTERM | UTF8PROC_STABLE);
    if (n < 0)
        return NULL;
    /* utf8proc allocates with malloc; copy into our allocator's ownership rules. */
    char *r = xstrndup((const char *)out, (size_t)n);
    free(out);
    return r;
}

char *text_nfc(const char *s)
{
    return map(s, UTF8PROC_COMPOSE);
}

char *text_fold(const char *s)
{
    /* Decompose, drop combining marks, casefold; then map đ/Đ (not decomposable). */
    char *d = map(s, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
    if (!d)
        return NULL;
    char *w = d;
    for (const char *r = d; *r;) {
        if ((unsigned char)r[0] == 0xC4 &&
            ((unsigned char)r[1] == 0x91 || (unsigned char)r[1] == 0x90)) {
            *w++ = 'd';
            r += 2;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return d;
}

long text_length(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    long count = 0;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
        if (k <= 0)
            return -1;
        p += k;
        count++;
    }
    return count;
}

bool text_is_upper(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int letters = 0;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
        if (k <= 0)
            return false;
        utf8proc_category_t c = utf8proc_category(cp);
        if (c == UTF8PROC_CATEGORY_LL)
            return false;
        if (c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT)
            letters++;
        p += k;
    }
    return letters > 0;
}

enum text_unsafe text_unsafe_char(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, left, &cp);
        if (k <= 0)
            return TEXT_SAFE;
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7f && cp <= 0x9f))
            return TEXT_CONTROL;
        if (cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
            (cp >= 0x2066 && cp <= 0x2069))
            return TEXT_BIDI;
        p += k;
        left -= k;
    }
    return TEXT_SAFE;
}

void text_squeeze(char *s)
{
    char *w = s;
    bool space = true; /* drops leading spaces */
    for (char *r = s; *r; r++) {
        bool ws = *r == ' ' || *r == '\t' || *r == '\n' || *r == '\r';
        if (ws) {
            if (!space)
                *w++ = ' ';
            space = true;
        } else {
            *w++ = *r;
            space = false;
        }
    }
    if (w > s && w[-1] == ' ')
        w--;
    *w = '\0';
}

void text_squeeze_lines(char *s)
{
    char *w = s;
    int breaks = 0;     /* line breaks pending since the last character written */
    bool space = false; /* a space pending inside the line */
    for (char *r = s; *r; r++) {
        if (*r == '\r' || *r == '\n') {
            if (*r == '\r' && r[1] == '\n')
                r++;
            breaks++;
            space = false; /* trailing spaces of the line are dropped */
        } else if (*r == ' ' || *r == '\t') {
            space = breaks == 0; /* leading spaces of a line are dropped */
        } else {
            if (w > s) {
                for (int i = 0; i < (breaks > 2 ? 2 : breaks); i++)
                    *w++ = '\n';
                if (space && !breaks)
                    *w++ = ' ';
            }
            breaks = 0;
            space = false;
            *w++ = *r;
        }
    }
    *w = '\0';
}

void text_ascii_slug(const char *s, char *out, size_t outsize)
{
    size_t n = 0;
    char *f = text_fold(s);
    if (f) {
        for (const char *p = f; *p && n + 1 < outsize; p++) {
            char c = *p;
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                out[n++] = c;
            else if (c >= 'A' && c <= 'Z')
                out[n++] = (char)(c - 'A' + 'a');
        }
        free(f);
    }
    if (outsize)
        out[n] = '\0';
}

void text_like_contains(const char *q, char *out, size_t outsize)
{
    if (outsize < 4)
        return;
    out[0] = '\0';
    if (!q || !*q)
        return;
    char *folded = text_fold(q);
    size_t k = 0;
    out[k++] = '%';
    for (const char *p = folded ? folded : ""; *p && k < outsize - 3; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            out[k++] = '\\';
        out[k++] = *p;
    }
    out[k++] = '%';
    out[k] = '\0';
    free(folded);
}

char *text_upper(const char *s)
{
    char *nfc = text_nfc(s);
    if (!nfc)
        return NULL;
    size_t n = strlen(nfc);
    char *out = xmalloc(4 * n + 1); /* an upper-case letter is at most 4 bytes */
    size_t len = 0;
    for (const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)nfc; *p;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
        if (k <= 0)
            break;
        len += (size_t)utf8proc_encode_char(utf8proc_toupper(cp), (utf8proc_uint8_t *)out + len);
        p += k;
    }
    out[len] = '\0';
    free(nfc);
    char *r = text_nfc(out);
    free(out);
    return r;
}
