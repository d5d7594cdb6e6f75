/* The job queue as system administrators see it (the /admin/jobs page and
 * /api/v1/jobs): counts by state, the jobs of one state, retrying a dead job. */
#ifndef QLVB_CORE_JOB_ADMIN_H
#define QLVB_CORE_JOB_ADMIN_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/app.h"
#include "util/result.h"

/* {"counts": {pending, running, done, dead}, "jobs": [...]} (see jobs_list; each row
 * also gets state_label in Vietnamese). state NULL or "" = every state; RES_INVALID for
 * an unknown state; RES_FORBIDDEN unless AZ_JOBS_MANAGE. */
result_t job_admin_overview(struct app *app, const struct actor *a, const char *state, int limit,
                            json_t **out);
/* A dead job back to the queue, with its audit row (job_retry) in the same transaction.
 * RES_NOT_FOUND: no dead job with that id; RES_CONFLICT: the same periodic job is
 * already waiting. */
result_t job_admin_retry(struct app *app, const struct actor *a, int64_t id);

#endif
