/* The incoming workflow's part of reading a document (internal to doc/): doc_get adds
 * the deadline's state, the participants and the actions the actor may take now. */
#ifndef QLVB_DOC_WORKFLOW_H
#define QLVB_DOC_WORKFLOW_H

#include <jansson.h>

#include "doc/doc.h"

struct db_conn;

/* Adds "deadline", "deadline_state", "completed_at", "participants" and "actions" to
 * the document object `doc` (which doc_get has read under AZ_DOC_READ); `o` is the
 * object doc_get loaded for that check (doc_object_load), the actions' too. */
struct authz_object;
result_t doc_workflow_json(struct app *app, struct db_conn *c, const struct actor *a, int64_t id,
                           const struct authz_object *o, json_t *doc);

/* doc_outgoing.c: adds to doc_get's object the outgoing parts — "recipients",
 * "recipients_status" (per recipient, from the receivers' copies), "versions" of the
 * main file — and for any document "replies" (outgoing documents in reply to it). */
result_t doc_outgoing_json(struct db_conn *c, int64_t id, json_t *doc);

/* ---- the steps of doc_outgoing.c that carry files (version, sign, seal, issue) ----
 * The step table's gate and transaction with the step's own writes: doc_workflow_run
 * does READ/step policy/state (404/403/409), locks the document, re-checks, takes the
 * history step number, calls ext->tx (which writes its rows and ONE doc_history row at
 * `step` through doc_history_add's table), then the history's file version and the
 * audit row with `summary`. */
struct tx;
struct doc_step_ext {
    result_t (*tx)(struct tx *t, int64_t id, int64_t step, const char *from_state, void *arg,
                   struct verrs *e, char *summary, size_t summary_size);
    void *arg;
};
/* The gate alone (before expensive work such as signing): RES_OK when the actor may take
 * the step now. */
result_t doc_workflow_gate(struct app *app, const struct actor *a, int64_t id, const char *action,
                           struct verrs *e);
result_t doc_workflow_run(struct app *app, const struct actor *a, int64_t id, const char *action,
                          const struct doc_step_input *in, const struct doc_step_ext *ext,
                          struct verrs *e);

#endif
