/* multipart/form-data parsing: delimiter search with memmem over the whole body,
 * Content-Disposition and Content-Type of each part, nothing else. Browsers send
 * field and file names as quoted strings with '"' and line breaks percent-encoded
 * (WHATWG HTML "multipart/form-data encoding algorithm"); backslash escapes are
 * accepted too for other clients. */
#include "http/multipart.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "text/text.h"

static bool is_tchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool bchar(char c)
{
    /* RFC 2046 bcharsnospace plus space */
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("'()+_,-./:=? ", c) != NULL;
}

/* Reads a parameter value (token or quoted-string) at *p into out; advances *p. */
static bool param_value(const char **p, char *out, size_t size)
{
    const char *s = *p;
    size_t n = 0;
    if (*s == '"') {
        s++;
        while (*s && *s != '"') {
            char c = *s++;
            if (c == '\\') {
                if (!*s)
                    return false;
                c = *s++;
            }
            if ((unsigned char)c < 0x20 && c != '\t')
                return false;
            if (n + 1 >= size)
                return false;
            out[n++] = c;
        }
        if (*s != '"')
            return false;
        s++;
    } else {
        while (*s && is_tchar(*s)) {
            if (n + 1 >= size)
                return false;
            out[n++] = *s++;
        }
        if (n == 0)
            return false;
    }
    out[n] = '\0';
    *p = s;
    return true;
}

result_t multipart_boundary(const char *ct, char *out, size_t size)
{
    if (!ct)
        return RES_UNSUPPORTED;
    while (*ct == ' ')
        ct++;
    if (strncasecmp(ct, "multipart/form-data", 19) != 0 ||
        (ct[19] && ct[19] != ';' && ct[19] != ' '))
        return RES_UNSUPPORTED;
    const char *p = ct + 19;
    while (*p) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *name = p;
        while (*p && is_tchar(*p))
            p++;
        size_t nlen = (size_t)(p - name);
        if (*p != '=' || nlen == 0)
            return RES_INVALID;
        p++;
        char value[128];
        if (!param_value(&p, value, sizeof(value)))
            return RES_INVALID;
        if (nlen == 8 && strncasecmp(name, "boundary", 8) == 0) {
            size_t vlen = strlen(value);
            if (vlen == 0 || vlen > 70 || vlen + 1 > size || value[vlen - 1] == ' ')
                return RES_INVALID;
            for (size_t i = 0; i < vlen; i++)
                if (!bchar(value[i]))
                    return RES_INVALID;
            memcpy(out, value, vlen + 1);
            return RES_OK;
        }
        while (*p == ' ')
            p++;
        if (*p && *p != ';')
            return RES_INVALID;
    }
    return RES_INVALID;
}

/* Parses the header block [h, end) of one part. */
static result_t part_headers(struct arena *a, const char *h, size_t len, struct mp_part *part)
{
    char block[MULTIPART_MAX_HEADER + 1];
    bool disposition = false;
    if (len > MULTIPART_MAX_HEADER)
        return RES_INVALID;
    memcpy(block, h, len);
    block[len] = '\0';
    if (memchr(block, '\0', len))
        return RES_INVALID;
    char *save = NULL;
    for (char *line = strtok_r(block, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        char *colon = strchr(line, ':');
        if (!colon || colon == line)
            return RES_INVALID;
        *colon = '\0';
        for (char *c = line; *c; c++)
            if (!is_tchar(*c))
                return RES_INVALID;
        const char *v = colon + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        if (strcasecmp(line, "Content-Type") == 0) {
            size_t n = strlen(v);
            while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
                n--;
            part->content_type = arena_strndup(a, v, n);
        } else if (strcasecmp(line, "Content-Disposition") == 0) {
            if (disposition || strncasecmp(v, "form-data", 9) != 0)
                return RES_INVALID;
            disposition = true;
            const char *p = v + 9;
            while (*p) {
                while (*p == ' ' || *p == ';' || *p == '\t')
                    p++;
                if (!*p)
                    break;
                const char *pn = p;
                while (*p && is_tchar(*p))
                    p++;
                size_t pnlen = (size_t)(p - pn);
                if (*p != '=' || pnlen == 0)
                    return RES_INVALID;
                p++;
                char value[1024];
                if (!param_value(&p, value, sizeof(value)) ||
                    !text_valid_utf8(value, strlen(value)))
                    return RES_INVALID;
                if (pnlen == 4 && strncasecmp(pn, "name", 4) == 0) {
                    if (part->name)
                        return RES_INVALID;
                    part->name = arena_strdup(a, value);
                } else if (pnlen == 8 && strncasecmp(pn, "filename", 8) == 0) {
                    if (part->filename)
                        return RES_INVALID;
                    part->filename = arena_strdup(a, value);
                }
                /* other parameters (filename*) are ignored */
            }
        }
        /* other headers (Content-Transfer-Encoding is deprecated) are ignored */
    }
    return disposition && part->name && part->name[0] ? RES_OK : RES_INVALID;
}

result_t multipart_parse(struct arena *a, const char *boundary, const unsigned char *body,
                         size_t len, struct mp_part *parts, int max, int *count)
{
    char delim[80];
    size_t blen = strlen(boundary);
    *count = 0;
    if (blen == 0 || blen > 70)
        return RES_INVALID;
    /* "\r\n--boundary"; the first one may stand at the very start without CRLF */
    delim[0] = '\r';
    delim[1] = '\n';
    delim[2] = '-';
    delim[3] = '-';
    memcpy(delim + 4, boundary, blen);
    size_t dlen = blen + 4;

    const unsigned char *end = body + len, *p;
    if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
        p = body + dlen - 2;
    } else {
        const unsigned char *d = memmem(body, len, delim, dlen);
        if (!d)
            return RES_INVALID;
        p = d + dlen;
    }
    for (;;) {
        /* after a delimiter: "--" closes, CRLF opens a part (transport padding allowed) */
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return *count > 0 ? RES_OK : RES_INVALID;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return RES_INVALID;
        p += 2;
        if (*count == max)
            return RES_TOO_LARGE;
        const unsigned char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
        const unsigned char *data;
        if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
            return RES_INVALID; /* no headers: no name */
        }
        if (!hend)
            return RES_INVALID;
        struct mp_part *part = &parts[*count];
        memset(part, 0, sizeof(*part));
        result_t r = part_headers(a, (const char *)p, (size_t)(hend - p), part);
        if (r != RES_OK)
            return r;
        data = hend + 4;
        const unsigned char *d = memmem(data, (size_t)(end - data), delim, dlen);
        if (!d)
            return RES_INVALID;
        part->data = data;
        part->len = (size_t)(d - data);
        (*count)++;
        p = d + dlen;
    }
}
