/* Result rows to jansson objects by a column spec. */
#include "db/db_json.h"

#include <string.h>

json_t *db_row_json(struct db_stmt *s, const char *spec)
{
    json_t *o = json_object();
    int col = 0;
    for (const char *p = spec; *p; col++) {
        const char *colon = strchr(p, ':');
        if (!colon)
            break;
        char name[64];
        size_t n = (size_t)(colon - p);
        if (n >= sizeof(name))
            n = sizeof(name) - 1;
        memcpy(name, p, n);
        name[n] = '\0';
        char type = colon[1];
        json_t *v;
        bool null = db_col_null(s, col);
        switch (type) {
        case 'i':
            v = json_integer(db_col_i64(s, col));
            break;
        case 'I':
            v = null ? json_null() : json_integer(db_col_i64(s, col));
            break;
        case 'b':
            v = json_boolean(db_col_i64(s, col));
            break;
        case 'T':
            v = null ? json_null() : json_string(db_col_text(s, col));
            break;
        default:
            v = json_string(null ? "" : db_col_text(s, col));
            break;
        }
        json_object_set_new(o, name, v ? v : json_null());
        p = colon + 2;
        if (*p == ',')
            p++;
    }
    return o;
}

result_t db_collect(struct db_stmt *s, const char *spec, json_t **out)
{
    json_t *arr = json_array();
    result_t r;
    while ((r = db_step(s)) == RES_ROW)
        json_array_append_new(arr, db_row_json(s, spec));
    db_finalize(s);
    if (r != RES_DONE) {
        json_decref(arr);
        return r;
    }
    *out = arr;
    return RES_OK;
}
