/* Documents waiting to be signed by the person who uploaded them: an uploaded PDF shown
 * page by page while the signature is placed ('upload'), or a PDF prepared for external
 * signing whose digest was handed to a token or remote signing service ('prepared').
 * Drafts belong to one user in one agency, expire after SIGN_DRAFT_TTL seconds, and
 * are addressed by a random public id. */
#ifndef QLVB_CORE_SIGN_DRAFT_H
#define QLVB_CORE_SIGN_DRAFT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/app.h"
#include "util/buf.h"
#include "util/result.h"

#define SIGN_DRAFT_TTL      (2 * 3600) /* default of cfg.sign_draft_ttl */
#define SIGN_DRAFT_PER_USER 10         /* older drafts of the same user are dropped */
#define SIGN_DRAFT_ID_LEN   32         /* hex characters */

struct sign_draft {
    char public_id[SIGN_DRAFT_ID_LEN + 1];
    char kind[12];
    char file_name[256];
    struct buf pdf;
    json_t *meta; /* owned */
    int64_t expires_at;
};

void sign_draft_init(struct sign_draft *d);
void sign_draft_release(struct sign_draft *d);

/* Stores a draft for the actor (who must have chosen an agency); fills d->public_id and
 * d->expires_at. meta may be NULL. */
result_t sign_draft_create(struct app *app, const struct actor *a, const char *kind,
                           const char *file_name, const unsigned char *pdf, size_t len,
                           json_t *meta, struct sign_draft *d);
/* Loads the actor's own draft of that kind; RES_NOT_FOUND for someone else's, another
 * agency's, an expired or a malformed id. */
result_t sign_draft_get(struct app *app, const struct actor *a, const char *public_id,
                        const char *kind, struct sign_draft *d);
result_t sign_draft_delete(struct app *app, const struct actor *a, const char *public_id);
/* Deletes drafts that expired before `now` (the periodic job "sign_draft.sweep"); their
 * files go with the next blob sweep. */
result_t sign_draft_sweep(struct app *app, int64_t now, int64_t *removed);

#endif
