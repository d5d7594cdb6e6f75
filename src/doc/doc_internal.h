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
/* doc_deliver.c: document id changed at now (its updated_at), in the write path's
 * connection c; the row's lock orders the writes on the document. */
result_t doc_touch(struct db_conn *c, int64_t id, int64_t now);
/* doc_deliver.c: copies document id's sort key (urgency, received_at) onto its
 * doc_participant rows (doc_urgency, doc_received_at: the box to process reads its page
 * in that order from doc_participant_pending_urgent/_received, doc_list.c q_to_process).
 * Every write that adds participant rows calls it after, in the same connection; the
 * key never changes after the document is made, so nothing else has to. */
result_t doc_participant_keys(struct db_conn *c, int64_t id);
/* doc_deliver.c: takes document id's row lock without changing it (updated_at stays), in
 * the write path's connection c, before the state or history read that the step decides
 * on. On PostgreSQL two transactions stepping one document would otherwise both read the
 * old state (READ COMMITTED) and both act; the lock makes the second wait and then read
 * what the first wrote. On SQLite the single writer's turn already serialises them, and
 * the statement costs nothing. RES_NOT_FOUND when no such document. */
result_t doc_lock(struct db_conn *c, int64_t id);
struct verrs;
struct calendar;
struct doc_recipient_input;
/* doc_outgoing.c: a recipient of an outgoing document as checked (the draft, an update):
 * its name for doc_recipient, a person's unit. */
struct doc_rcpt {
    const struct doc_recipient_input *in;
    char name[512];
    int64_t dept;
};
/* Checks n recipients of a document of `agency` into out[0..n-1]: agencies of the
 * installation by id (not the agency itself), external ones by QD20 code (not one of the
 * installation's), units and people of the agency; nobody twice. Errors under `field`
 * (numbered from 1); RES_INVALID when there are any. */
result_t doc_recipients_check(struct db_conn *c, int64_t agency,
                              const struct doc_recipient_input *list, size_t n,
                              struct doc_rcpt *out, const char *field, struct verrs *e);
/* The checked recipient as row `seq` of document doc. */
result_t doc_recipient_insert(struct db_conn *c, int64_t doc, int64_t seq,
                              const struct doc_rcpt *rc);
/* A doc_recipient row as delivery reads it. */
struct doc_rcpt_row {
    int64_t id, agency, dept, user;
    char kind[16], code[64], name[200];
};
/* SQL: the columns of a doc_recipient row (alias rc) doc_rcpt_row_read reads. */
#define DOC_RCPT_ROW_COLUMNS                                                                 \
    "rc.id, rc.kind, COALESCE(rc.agency_id, 0), rc.agency_code, COALESCE(rc.department_id, " \
    "0), COALESCE(rc.user_id, 0), rc.name"
/* doc_outgoing.c: the row at s (selected with DOC_RCPT_ROW_COLUMNS first) into x. */
void doc_rcpt_row_read(struct db_stmt *s, struct doc_rcpt_row *x);
/* Delivers recipient rc of the issued document id in t (the issue, an update adding
 * it): an agency of the installation gets its arrived copy at once (doc_deliver_internal,
 * *copy), an external one a waiting doc_outbox row, a unit or person of the agency a
 * for-information row of history step `step`. RES_CONFLICT with a message under
 * "recipients" when the copy cannot be delivered. */
result_t doc_recipient_deliver(struct tx *t, struct calendar *cal, const struct actor *a,
                               int64_t id, int64_t step, int64_t urgency,
                               const struct doc_rcpt_row *rc, int64_t now, int64_t *copy,
                               struct verrs *e);
/* SQL: recipient row rc (of document rc.document_id) was removed by an update — its copy
 * withdrawn (doc_workflow.c do_update), its outbox row cancelled, its for-information
 * rows withdrawn. */
#define DOC_RECIPIENT_REMOVED                                                                   \
    "(CASE rc.kind WHEN 'agency' THEN EXISTS (SELECT 1 FROM document cp JOIN doc_history h ON " \
    "h.document_id = cp.id WHERE cp.source_document_id = rc.document_id AND cp.agency_id = "    \
    "rc.agency_id AND h.action = 'removed_by_update') WHEN 'external' THEN EXISTS (SELECT 1 "   \
    "FROM doc_outbox o WHERE o.recipient_id = rc.id AND o.last_error = 'removed') ELSE EXISTS " \
    "(SELECT 1 FROM doc_participant p WHERE p.document_id = rc.document_id AND p.role = "       \
    "'for_info' AND p.status = 'withdrawn' AND ((rc.kind = 'user' AND p.user_id = rc.user_id) " \
    "OR (rc.kind = 'department' AND p.user_id IS NULL AND p.department_id = "                   \
    "rc.department_id))) END)"
struct pdf_text_block;
/* doc_demo.c: the heading blocks of a demo letter (issuing body, number, V/v line when vv,
 * national motto, date) into b[0..5]; returns how many. */
size_t doc_demo_heading(struct pdf_text_block *b, const char *issuer, const char *num,
                        const char *vv, const char *date);
result_t doc_demo_actor(struct db_conn *c, const char *login, const char *code, struct actor *a);

#endif
