/* The built-in periodic jobs of an installation: expired signing drafts, expired
 * sessions, unreferenced blob files, read notifications past their retention. `qlvb serve`
 * registers them with the job runner; each runs every cfg.sweep_interval seconds on one node at a
 * time. */
#ifndef QLVB_CORE_HOUSEKEEPING_H
#define QLVB_CORE_HOUSEKEEPING_H

#include "core/app.h"
#include "util/result.h"

struct jobs;

/* Kinds: "sign_draft.sweep", "session.sweep", "blob.sweep", "notify.sweep" (read
 * notifications older than cfg.notify_keep_days). */
result_t housekeeping_register(struct jobs *q, struct app *app);

#endif
