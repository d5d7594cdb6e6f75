/* Authorization in one place (architecture principle 3). Every read and write of the
 * domain asks authz_check() with the actor, the action and the object's agency; no
 * handler decides access on its own. An administrator of agency A can do nothing to
 * agency B: agency-scoped actions require the actor's current membership to be in
 * the object's agency with the needed role. */
#ifndef QLVB_AUTHZ_H
#define QLVB_AUTHZ_H

#include <stdint.h>

#include "core/actor.h"
#include "util/result.h"

enum authz_action {
    AZ_AGENCY_READ,    /* the directory of agencies: any signed-in user */
    AZ_AGENCY_MANAGE,  /* create, edit, lock agencies: system administrators */
    AZ_ORG_READ,       /* departments and positions of an agency: its members */
    AZ_ORG_MANAGE,     /* keep the department and position catalogues */
    AZ_USER_READ,      /* list and view the users of an agency */
    AZ_USER_MANAGE,    /* create users, edit memberships in the agency */
    AZ_ACCOUNT_MANAGE, /* password reset, lock: agency = the account's home agency */
    AZ_AUDIT_READ,     /* agency 0 = the whole installation */
    AZ_SIGN_VERIFY,    /* check signatures of an uploaded file: any signed-in user */
    AZ_SIGN_USE,       /* sign with a key: agency = the key's agency; ownership is checked
                        * by the caller (person keys: their owner; agency keys: clerks) */
    AZ_SIGNING_MANAGE, /* keys, signature and seal images of an agency: its administrators */
    AZ_TRUST_READ,     /* see the trusted roots and CRLs: any signed-in user */
    AZ_TRUST_MANAGE,   /* add/remove trusted roots, intermediates, CRLs: system administrators */
    AZ_JOBS_MANAGE,    /* see the background job queue, retry dead jobs: system administrators */
};

/* RES_OK or RES_FORBIDDEN. `agency_id` is the agency the object belongs to. */
result_t authz_check(const struct actor *a, enum authz_action action, int64_t agency_id);

#endif
