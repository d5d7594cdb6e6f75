/* User accounts and their memberships (standards.md §12). An account belongs to its
 * home agency, whose administrators reset its password and lock it; a user may hold
 * posts in several agencies (memberships), each administered by that agency. Logins
 * are 12-digit citizen IDs (Quảng Bình Điều 8.4). */
#ifndef QLVB_USER_H
#define QLVB_USER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/app.h"
#include "core/verr.h"
#include "util/result.h"

struct user_input {
    const char *login; /* create only */
    const char *full_name;
    const char *email;
    const char *phone;
    const char *password;  /* create only; NULL or "" = generate */
    int64_t department_id; /* 0 = none */
    int64_t position_id;   /* 0 = none */
    unsigned roles;
    int must_change; /* update: 1/0 sets the forced-change flag, -1 keeps it;
                        create always forces a change (standards.md §12) */
};

/* Creates the account with its home membership in agency_id. If the login already
 * exists, adds a concurrent post (membership) in agency_id instead, leaving the
 * account untouched (*added_post = true). temp_password receives the initial
 * password to hand over (empty when adding a post). */
result_t user_create(struct app *app, const struct actor *a, int64_t agency_id,
                     const struct user_input *in, struct verrs *errs, int64_t *id_out,
                     char temp_password[64], bool *added_post);
/* Updates the membership in agency_id (department, position, roles) and, when the
 * actor manages the account, its name, e-mail and phone. */
result_t user_update(struct app *app, const struct actor *a, int64_t agency_id, int64_t user_id,
                     const struct user_input *in, struct verrs *errs);
result_t user_set_disabled(struct app *app, const struct actor *a, int64_t user_id, bool disabled);
/* New random password, forced change at next login, every session revoked. */
result_t user_reset_password(struct app *app, const struct actor *a, int64_t user_id,
                             char temp_password[64]);
/* Users with a membership in agency_id; q matches login or (accent-folded) name. */
result_t user_list(struct app *app, const struct actor *a, int64_t agency_id, const char *q,
                   int page, int per_page, json_t **out, int64_t *total);
/* The account plus its membership in agency_id; RES_NOT_FOUND if it has none there. */
result_t user_get(struct app *app, const struct actor *a, int64_t agency_id, int64_t user_id,
                  json_t **out);
/* Active memberships of a user (for choosing the agency), with agency names. */
result_t user_memberships(struct app *app, int64_t user_id, json_t **out);

/* The account with this login, for an actor who manages accounts of its home agency
 * (AZ_ACCOUNT_MANAGE; the `system` actor of the command line manages every one).
 * RES_NOT_FOUND when there is none or the actor may not manage it. */
result_t user_find_by_login(struct app *app, const struct actor *a, const char *login,
                            int64_t *id_out);

/* Command line: create a system administrator (no agency) or reset/lock by login. */
result_t user_create_sysadmin(struct app *app, const char *login, const char *full_name,
                              const char *password, struct verrs *errs);

#endif
