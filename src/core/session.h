/* Sign-in and sessions (standards.md §12). Tokens are 32 random bytes given to the
 * client once; only their SHA-256 is stored. Sessions have an idle and an absolute
 * expiry, can be listed and revoked by their owner, and carry a CSRF token. Failed
 * logins count towards a temporary lockout with a clear message of when it lifts. */
#ifndef QLVB_SESSION_H
#define QLVB_SESSION_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/app.h"
#include "core/verr.h"
#include "util/result.h"

#define SESSION_TOKEN_LEN 64 /* hex chars */

struct session_info {
    char token[SESSION_TOKEN_LEN + 1]; /* only filled by session_login */
    char csrf[SESSION_TOKEN_LEN + 1];
    int64_t expires_at;
};

struct login_request {
    const char *login;
    const char *password;
    const char *client_addr;
    const char *user_agent;
    int64_t host_agency_id; /* agency from the host name, 0 on the plain host */
};

/* RES_OK: session created (actor filled). RES_INVALID: wrong login or password.
 * RES_LOCKED: temporarily locked or disabled; RES_FORBIDDEN: no post in the host's
 * agency. `message` gets the Vietnamese text to show in every failure case. */
result_t session_login(struct app *app, const struct login_request *req, struct actor *actor,
                       struct session_info *info, char *message, size_t msgsize);
/* Resolves a token to its actor; RES_UNAUTHENTICATED if unknown, revoked, expired or
 * idle too long, or if the account has been disabled. */
result_t session_resolve(struct app *app, const char *token, const char *client_addr,
                         struct actor *actor, struct session_info *info);
result_t session_logout(struct app *app, const struct actor *a);
/* Picks the agency post for this session (must be the user's active membership). */
result_t session_choose(struct app *app, struct actor *a, int64_t membership_id);
result_t session_list(struct app *app, const struct actor *a, json_t **out);
/* Revokes one of the actor's own sessions; RES_NOT_FOUND for anyone else's. */
result_t session_revoke(struct app *app, const struct actor *a, int64_t session_id);
result_t session_revoke_others(struct app *app, const struct actor *a, int *count);
/* Changes the actor's password: checks the current one and the policy; clears the
 * forced-change flag and revokes the user's other sessions. */
result_t session_change_password(struct app *app, struct actor *a, const char *current,
                                 const char *next, const char *confirm, struct verrs *errs);
/* Deletes sessions that expired, idled out or were revoked (the periodic job
 * "session.sweep"); the audit log keeps the record of them. */
result_t session_sweep(struct app *app, int64_t now, int64_t *removed);

#endif
