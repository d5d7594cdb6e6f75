/* Reading the audit filter from text. No database, no HTTP (the policy decides only
 * the default agency); the strings stay the caller's (f->actor, f->action point into q). */
#include "core/audit_filter.h"

#include <string.h>

#include "core/authz.h"
#include "util/clock.h"
#include "util/str.h"

static void filter_default(const struct actor *a, struct audit_filter *f)
{
    memset(f, 0, sizeof(*f));
    /* The whole installation for whoever may read all of it, else the actor's agency. */
    f->agency_id = authz_check(a, AZ_AUDIT_READ, 0) == RES_OK ? 0 : a->agency_id;
    f->limit = 50;
}

result_t audit_filter_parse(const struct actor *a, const struct audit_query *q,
                            struct audit_filter *f, struct verrs *e)
{
    int64_t id;
    filter_default(a, f);
    /* ... unless someone who may pick any agency picks an agency (the rule of req_target_agency).
     */
    if (q->agency_id && authz_check(a, AZ_ANY_AGENCY, 0) == RES_OK)
        f->agency_id = str_to_i64(q->agency_id, 1, INT64_MAX, &id) == RES_OK ? id : a->agency_id;
    f->actor = q->actor;
    f->action = q->action;
    int before = e->count;
    if (q->from && *q->from && clock_parse_date(q->from, &f->from) != 0)
        verrs_add(e, "from", "Ngày không hợp lệ (ví dụ 2026-12-02).");
    if (q->to && *q->to) {
        if (clock_parse_date(q->to, &f->to) != 0)
            verrs_add(e, "to", "Ngày không hợp lệ (ví dụ 2026-12-02).");
        else
            f->to += 86400; /* inclusive end date */
    }
    if (q->before && *q->before && str_to_i64(q->before, 1, INT64_MAX, &f->before_id) != RES_OK)
        verrs_add(e, "before", "Vị trí trang không hợp lệ: mở lại trang đầu của nhật ký.");
    if (f->actor && strlen(f->actor) > 100)
        verrs_add(e, "actor", "Người thực hiện quá dài (tối đa 100 ký tự).");
    if (e->count == before)
        return RES_OK;
    filter_default(a, f);
    return RES_INVALID;
}
