/* The catalogues inside an agency: departments (phòng, ban — a tree) and positions
 * (chức vụ), kept by the agency's administrators (standards.md §12). */
#ifndef QLVB_ORG_H
#define QLVB_ORG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/app.h"
#include "core/verr.h"
#include "util/result.h"

struct department_input {
    const char *name;
    const char *abbr;
    int64_t parent_id; /* 0 = top level */
};

struct position_input {
    const char *name;
    int64_t rank; /* display order, lower first */
};

result_t department_create(struct app *app, const struct actor *a, int64_t agency_id,
                           const struct department_input *in, struct verrs *errs, int64_t *id_out);
result_t department_update(struct app *app, const struct actor *a, int64_t id,
                           const struct department_input *in, struct verrs *errs);
result_t department_set_active(struct app *app, const struct actor *a, int64_t id, bool active);
/* Tree order with depth and parent_name. */
result_t department_list(struct app *app, const struct actor *a, int64_t agency_id, json_t **out);

result_t position_create(struct app *app, const struct actor *a, int64_t agency_id,
                         const struct position_input *in, struct verrs *errs, int64_t *id_out);
result_t position_update(struct app *app, const struct actor *a, int64_t id,
                         const struct position_input *in, struct verrs *errs);
result_t position_set_active(struct app *app, const struct actor *a, int64_t id, bool active);
result_t position_list(struct app *app, const struct actor *a, int64_t agency_id, json_t **out);

#endif
