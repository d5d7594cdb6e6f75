/* The agency's document lists with keyset paging. Who may see what is core/authz.c's
 * decision; this file only turns it into a WHERE clause. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "doc/doc.h"
#include "doc/doc_internal.h"
#include "util/str.h"

/* "<received_at>.<id>" */
static bool cursor_parse(const char *s, int64_t *at, int64_t *id)
{
    const char *dot = s ? strchr(s, '.') : NULL;
    char head[24];
    if (!dot || dot == s || (size_t)(dot - s) >= sizeof(head))
        return false;
    memcpy(head, s, (size_t)(dot - s));
    head[dot - s] = '\0';
    return str_to_i64(head, 0, INT64_MAX, at) == RES_OK &&
           str_to_i64(dot + 1, 1, INT64_MAX, id) == RES_OK;
}

result_t doc_list(struct app *app, const struct actor *a, const struct doc_filter *f,
                  struct verrs *e, json_t **out, char **next_cursor)
{
    *out = NULL;
    *next_cursor = NULL;
    int64_t agency_id = a ? a->agency_id : 0;
    /* Members of the agency list; its clerks and leaders see every document of it
     * (AZ_DOC_READ on the agency), the others those they are on. */
    result_t r = authz_check(a, AZ_ORG_READ, agency_id);
    if (r != RES_OK || !agency_id)
        return r != RES_OK ? r : RES_FORBIDDEN;
    int64_t only_user = authz_check(a, AZ_DOC_READ, agency_id) == RES_OK ? 0 : a->user_id;
    const char *dir = f->direction && *f->direction ? f->direction : "incoming";
    if (strcmp(dir, "incoming") && strcmp(dir, "outgoing") && strcmp(dir, "internal"))
        verrs_add(e, "direction", "direction phải là incoming, outgoing hoặc internal.");
    int limit = f->limit ? f->limit : 20;
    if (limit < 1 || limit > DOC_LIST_MAX)
        verrs_add(e, "limit", "limit phải từ 1 đến %d.", DOC_LIST_MAX);
    if (f->year && (f->year < 1900 || f->year > 2100))
        verrs_add(e, "year", "Năm phải từ 1900 đến 2100.");
    int64_t c_at = 0, c_id = 0;
    if (f->cursor && *f->cursor && !cursor_parse(f->cursor, &c_at, &c_id))
        verrs_add(e, "cursor", "Con trỏ trang (cursor) không hợp lệ.");
    if (e->count)
        return RES_INVALID;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct db_stmt *s = NULL;
    /* Keyset paging on (received_at, id), newest first: index document_agency_received. */
    r = db_query(c, &s,
                 "SELECT " DOC_COLUMNS " FROM document d LEFT JOIN doc_register r ON r.id = "
                 "d.register_id WHERE d.agency_id = $1 AND d.direction = $2 AND (CAST($3 AS "
                 "BIGINT) = 0 OR d.register_id = $3) AND (CAST($4 AS BIGINT) = 0 OR d.reg_year = "
                 "$4) AND (CAST($5 AS BIGINT) < 0 OR d.urgency = $5) AND (CAST($6 AS BIGINT) = 0 "
                 "OR d.created_by = $6) AND (CAST($7 AS BIGINT) = 0 OR d.received_at < $8 OR "
                 "(d.received_at = $8 AND d.id < $7)) ORDER BY d.received_at DESC, d.id DESC "
                 "LIMIT $9",
                 "itiiiiiii", agency_id, dir, f->register_id, f->year, (int64_t)f->urgency,
                 only_user, c_id, c_at, (int64_t)limit + 1);
    if (r != RES_OK)
        return r;
    json_t *list = json_array();
    int n = 0;
    int64_t last_at = 0, last_id = 0;
    while ((r = db_step(s)) == RES_ROW) {
        if (++n > limit) {
            char *cur = malloc(48);
            snprintf(cur, 48, "%lld.%lld", (long long)last_at, (long long)last_id);
            *next_cursor = cur;
            break;
        }
        last_at = db_col_i64(s, 23);
        last_id = db_col_i64(s, 0);
        json_array_append_new(list, doc_json(s, false));
    }
    db_finalize(s);
    if (r != RES_ROW && r != RES_DONE) {
        json_decref(list);
        free(*next_cursor);
        *next_cursor = NULL;
        return r;
    }
    *out = list;
    return RES_OK;
}
