/* The audit log's search filter read from its text form (the query string of the audit
 * page and of GET /api/v1/audit): one reading for the API and the web, which each answer
 * a bad filter in their own way (problem+json, or the page with the newest rows). */
#ifndef QLVB_AUDIT_FILTER_H
#define QLVB_AUDIT_FILTER_H

#include "core/actor.h"
#include "core/audit.h"
#include "core/verr.h"
#include "util/result.h"

/* Each member NULL when absent. */
struct audit_query {
    const char *agency_id; /* honoured for system administrators only */
    const char *actor;     /* login or name fragment, at most 100 bytes */
    const char *action;
    const char *from, *to; /* YYYY-MM-DD; `to` is inclusive */
    const char *before;    /* keyset paging: a positive row id */
};

/* Fills f (50 rows a page). The agency is the actor's own, or for a system
 * administrator the whole installation (0) unless agency_id names one. RES_INVALID with
 * Vietnamese field errors in e for a bad date, `before` or actor; f is then the default
 * filter (the actor's agency, or everything for a system administrator). Nothing is
 * authorised here: audit_search checks what the actor may read. */
result_t audit_filter_parse(const struct actor *a, const struct audit_query *q,
                            struct audit_filter *f, struct verrs *e);

#endif
