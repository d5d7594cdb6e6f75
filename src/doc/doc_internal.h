/* What the doc/ files share and nothing outside doc/ needs: the columns a document's
 * JSON is built from and the function that builds it. */
#ifndef QLVB_DOC_INTERNAL_H
#define QLVB_DOC_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/result.h"

struct db_conn;
struct db_stmt;

/* The columns every document JSON is built from, in doc_json's order. */
#define DOC_COLUMNS                                                                            \
    "d.id, d.direction, d.state, d.medium, d.issuer_code, d.issuer_name, d.number, d.symbol, " \
    "d.issued_date, d.doc_type, d.subject, d.signer_name, d.signer_position, d.page_count, "   \
    "d.urgency, d.due_date, d.recipients, d.language, d.notes, d.register_id, r.name, "        \
    "d.reg_year, d.reg_number, d.received_at, d.created_at, d.agency_id, d.arrived_at, "       \
    "d.source_document_id"
/* How many: a query's own columns after DOC_COLUMNS start at this index. */
#define DOC_NCOLUMNS 28

/* The JSON of the row at s (selected with DOC_COLUMNS first); full adds the fields of
 * the detail view. */
json_t *doc_json(struct db_stmt *s, bool full);

/* doc_list.c: a search word with at most this many postings drives the search (the
 * plans are in docs/architecture.md); -1 = QLVB_DOC_SEARCH_CAP or 500. Tests set 0 to
 * force the plans that walk an order. */
extern int doc_search_cap;
/* doc_list.c: a member on more rows than this gets the boxes all and done by walking the
 * list's order instead of sorting the list of their documents; -1 = QLVB_DOC_LIST_MANY
 * or 1000. Tests set 0 to force the walk. */
extern int doc_list_many_rows;

struct actor;
/* doc_demo.c: the demo user `login` working in the agency of code `code`, as a session
 * would build them (the demo seeds act through the real functions as these people). */
struct tx;
struct actor;
/* doc_deliver.c: queues the audit row of an action on document id (object "document") in
 * the write path's transaction t. */
void doc_audit(struct tx *t, const struct actor *a, int64_t agency, int64_t id, const char *action,
               const char *summary);
struct pdf_text_block;
/* doc_demo.c: the heading blocks of a demo letter (issuing body, number, V/v line when vv,
 * national motto, date) into b[0..5]; returns how many. */
size_t doc_demo_heading(struct pdf_text_block *b, const char *issuer, const char *num,
                        const char *vv, const char *date);
result_t doc_demo_actor(struct db_conn *c, const char *login, const char *code, struct actor *a);

#endif
