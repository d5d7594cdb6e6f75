/* Rows as JSON: a column spec maps result columns, in order, to object members, so
 * list queries need no hand-written loop. Spec: "name:type,..." with types
 *   i int64, I int64 or null, t text ("" for NULL), T text or null, b boolean. */
#ifndef QLVB_DB_JSON_H
#define QLVB_DB_JSON_H

#include <jansson.h>

#include "db/db.h"

/* The current row as an object. */
json_t *db_row_json(struct db_stmt *s, const char *spec);
/* Steps every row into an array and finalizes s. RES_OK or the step error. */
result_t db_collect(struct db_stmt *s, const char *spec, json_t **out);

#endif
