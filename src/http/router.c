/* Segment-by-segment path matching with ":name" captures. */
#include "http/router.h"

#include <string.h>

#include "util/str.h"

/* Matches one pattern; on success stores captures into r (if non-NULL). */
static bool match(const char *pattern, const char *path, struct req *r)
{
    const char *p = pattern, *s = path;
    int n = 0;
    struct kv caps[REQ_MAX_PARAMS];
    while (*p && *s) {
        if (*p != '/' || *s != '/')
            return false;
        p++;
        s++;
        const char *pe = strchr(p, '/'), *se = strchr(s, '/');
        size_t pl = pe ? (size_t)(pe - p) : strlen(p), sl = se ? (size_t)(se - s) : strlen(s);
        if (*p == ':') {
            if (sl == 0 || n == REQ_MAX_PARAMS)
                return false;
            if (r) {
                caps[n].key = arena_strndup(&r->arena, p + 1, pl - 1);
                caps[n].value = arena_strndup(&r->arena, s, sl);
            }
            n++;
        } else if (pl != sl || strncmp(p, s, pl) != 0) {
            return false;
        }
        p += pl;
        s += sl;
    }
    if (*p || *s)
        return false;
    if (r) {
        for (int i = 0; i < n; i++)
            r->params[i] = caps[i];
        r->nparams = n;
    }
    return true;
}

const struct route *router_match(const struct route *table, size_t n, const char *method,
                                 const char *path, struct req *r, bool *path_matched, char *allow,
                                 size_t allow_size)
{
    *path_matched = false;
    if (allow_size)
        allow[0] = '\0';
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (!match(table[i].pattern, path, NULL))
            continue;
        *path_matched = true;
        if (strcmp(table[i].method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(table[i].method, "GET") == 0)) {
            match(table[i].pattern, path, r);
            return &table[i];
        }
        if (len + strlen(table[i].method) + 3 < allow_size) {
            if (len)
                len += str_copy(allow + len, ", ", allow_size - len);
            len += str_copy(allow + len, table[i].method, allow_size - len);
        }
    }
    return NULL;
}
