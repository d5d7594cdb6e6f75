/* What the document pages share (pages_doc.c: incoming, the list, the file route;
 * pages_doc_out.c: the outgoing circuit): labels, Vietnam dates and the display keys of
 * doc_get's JSON. */
#ifndef QLVB_PAGES_DOC_H
#define QLVB_PAGES_DOC_H

#include <jansson.h>
#include <stdbool.h>

#include "core/verr.h"
#include "http/http.h"

/* Small helpers of the document pages' contexts: a string member set ("" for NULL); a
 * string member read ("" when absent); is value among the values the form sent for
 * name (a string or an array, kept after an error); "Name (position, unit)". */
void web_set_str(json_t *o, const char *key, const char *v);
const char *web_jstr(json_t *o, const char *key);
bool web_form_has(json_t *form, const char *name, const char *value);
const char *web_person_label(struct req *r, json_t *p);
/* document.state / doc_history.action → Vietnamese */
const char *web_doc_state_label(const char *state);
const char *web_doc_action_label(const char *action);
/* "2026-11-22..." → "22/11/2026"; "…T09:05…" → "09:05" ("" when not a date). */
const char *web_vn_date(struct req *r, const char *s);
const char *web_vn_time(struct req *r, const char *s);
/* href, dates, state and urgency labels of one document of doc_list or doc_get */
void web_doc_decorate(struct req *r, json_t *d);
/* The display keys of doc_get's files; returns the first main PDF (newest version). */
json_t *web_doc_files(struct req *r, int64_t id, json_t *files);
/* The verification report of each signed PDF among files (the sign_report partial). */
json_t *web_doc_reports(struct req *r, int64_t id, json_t *files);
/* The display keys of doc_get's history (at_text, action_label, to_state_label, to_name). */
void web_doc_history(struct req *r, json_t *hist);
void web_doc_not_found(struct req *r);
/* pages_registers.c: register `id`'s book (doc_book; ?from=&to=&format=pdf|xlsx) as a
 * download, or a redirect to back with the reason in the flash; 404/403 pages. */
void web_book_download(struct req *r, int64_t id, const char *back);
/* The answer to a posted step of /documents/{id}/actions/{key}: done → the flash and a
 * redirect to the document; 404, 403 and other failures as their pages (form released).
 * For RES_INVALID and RES_CONFLICT nothing is sent: returns the status (422, or 409 with
 * an "action" error, added when the core gave none) for the caller to render the form
 * again with e; 0 when answered. */
int web_doc_step_answer(struct req *r, result_t res, int64_t id, const char *done, json_t *form,
                        struct verrs *e);

/* pages_doc_out.c: the page of an outgoing document (doc: doc_get's JSON, stolen); failed,
 * form (stolen), e: the action whose form comes back with its values and errors. */
void web_doc_out_render(struct req *r, int status, int64_t id, json_t *doc, const char *failed,
                        json_t *form, const struct verrs *e);
/* The outgoing steps posted to /documents/{id}/actions/{key} (not return, which the
 * incoming handler shares). */
bool web_doc_out_action_known(const char *key);
void web_doc_out_action(struct req *r, int64_t id, const char *key);

#endif
