/* Agencies (cơ quan): a tree of any depth (in force: province → sở, communes, wards),
 * each with its QD20 code, name, symbol abbreviation and host label (standards.md §1). */
#ifndef QLVB_AGENCY_H
#define QLVB_AGENCY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/app.h"
#include "core/verr.h"
#include "util/result.h"

struct agency_input {
    const char *code;
    const char *name;
    const char *abbr;
    const char *host_label; /* optional: derived from abbr ("qlvb-<abbr folded>") */
    int64_t parent_id;      /* 0 = root */
};

result_t agency_create(struct app *app, const struct actor *a, const struct agency_input *in,
                       struct verrs *errs, int64_t *id_out);
result_t agency_update(struct app *app, const struct actor *a, int64_t id,
                       const struct agency_input *in, struct verrs *errs);
result_t agency_set_active(struct app *app, const struct actor *a, int64_t id, bool active);
/* agency_update and, unless active is -1, agency_set_active(active) as one transaction
 * (PATCH /api/v1/agencies/:id): both change, with both audit rows, or neither. */
result_t agency_patch(struct app *app, const struct actor *a, int64_t id,
                      const struct agency_input *in, int active, struct verrs *errs);
/* Tree order (pre-order, with depth), all agencies. */
result_t agency_list(struct app *app, const struct actor *a, json_t **out);
result_t agency_get(struct app *app, const struct actor *a, int64_t id, json_t **out);
/* Host label ("qlvb-skhcn") → agency id; RES_NOT_FOUND if none. */
result_t agency_by_host_label(struct app *app, const char *label, int64_t *id_out);
result_t agency_by_code(struct app *app, const char *code, int64_t *id_out);
/* CSV import: header optional; columns code,name,abbr,parent_code. Rows are created
 * or updated by code; the whole file is one transaction (all or nothing). */
result_t agency_import_csv(struct app *app, const struct actor *a, const char *csv, int *created,
                           int *updated, char *err, size_t errsize);

#endif
