/* The incoming workflow's part of reading a document (internal to doc/): doc_get adds
 * the deadline's state, the participants and the actions the actor may take now. */
#ifndef QLVB_DOC_WORKFLOW_H
#define QLVB_DOC_WORKFLOW_H

#include <jansson.h>

#include "doc/doc.h"

struct db_conn;

/* Adds "deadline", "deadline_state", "completed_at", "participants" and "actions" to
 * the document object `doc` (which doc_get has read under AZ_DOC_READ). */
result_t doc_workflow_json(struct app *app, struct db_conn *c, const struct actor *a, int64_t id,
                           json_t *doc);

#endif
