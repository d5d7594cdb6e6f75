/* Routes: method + path pattern ("/api/v1/users/:id") → handler, with flags that the
 * server enforces before the handler runs (authentication, agency, CSRF). */
#ifndef QLVB_ROUTER_H
#define QLVB_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"

typedef void (*handler_fn)(struct req *r);

enum route_flags {
    RT_PUBLIC = 1 << 0,          /* no session needed */
    RT_NO_AGENCY = 1 << 1,       /* signed in, but no agency post needs to be chosen */
    RT_PASSWORD_CHANGE = 1 << 2, /* reachable while a password change is forced */
    RT_NO_CSRF = 1 << 3,         /* checks its own CSRF (login) */
    RT_UPLOAD = 1 << 4,          /* takes documents: body limit max_upload, not max_body */
};

struct route {
    const char *method;
    const char *pattern;
    handler_fn fn;
    unsigned flags;
};

extern const struct route routes[];
extern const size_t route_count;

/* Finds the route for method+path and fills r->params (r may be NULL). Returns NULL when nothing
 * matches; *path_matched tells 405 (path known, method not) from 404, and `allow`
 * receives the methods allowed for the path. */
const struct route *router_match(const struct route *table, size_t n, const char *method,
                                 const char *path, struct req *r, bool *path_matched, char *allow,
                                 size_t allow_size);

#endif
