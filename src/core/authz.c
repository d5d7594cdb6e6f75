/* The authorization rules. Kept as one small table of cases so a reader can audit
 * the whole policy at a glance. */
#include "core/authz.h"

#include "core/role.h"

static int is_agency_admin(const struct actor *a, int64_t agency_id)
{
    return a->membership_id && agency_id && a->agency_id == agency_id && (a->roles & ROLE_ADMIN);
}

result_t authz_check(const struct actor *a, enum authz_action action, int64_t agency_id)
{
    if (a && a->system)
        return RES_OK;
    if (!a || !a->user_id)
        return RES_UNAUTHENTICATED;
    int ok = 0;
    switch (action) {
    case AZ_AGENCY_READ:
        ok = 1;
        break;
    case AZ_AGENCY_MANAGE:
        ok = a->sysadmin;
        break;
    case AZ_ORG_READ:
        ok = a->sysadmin || (a->membership_id && a->agency_id == agency_id);
        break;
    case AZ_ORG_MANAGE:
    case AZ_USER_READ:
    case AZ_USER_MANAGE:
    case AZ_ACCOUNT_MANAGE:
        ok = a->sysadmin || is_agency_admin(a, agency_id);
        break;
    case AZ_AUDIT_READ:
        ok = a->sysadmin || (agency_id != 0 && is_agency_admin(a, agency_id));
        break;
    case AZ_SIGN_VERIFY:
    case AZ_TRUST_READ:
        ok = 1;
        break;
    case AZ_SIGN_USE:
        /* only while working in the key's agency: a key of agency A is not used from a
         * session in agency B, not even by its owner */
        ok = a->membership_id && agency_id && a->agency_id == agency_id;
        break;
    case AZ_SIGNING_MANAGE:
        ok = a->sysadmin || is_agency_admin(a, agency_id);
        break;
    case AZ_TRUST_MANAGE:
    case AZ_JOBS_MANAGE:
        ok = a->sysadmin;
        break;
    }
    return ok ? RES_OK : RES_FORBIDDEN;
}
