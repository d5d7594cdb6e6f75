/* JSON API handlers (/api/v1). Each parses and validates its input, calls one core
 * function and renders JSON; errors are application/problem+json. */
#ifndef QLVB_API_H
#define QLVB_API_H

#include "http/http.h"

void api_login(struct req *r);
void api_logout(struct req *r);
void api_me(struct req *r);
void api_me_password(struct req *r);
void api_me_agency(struct req *r);
void api_me_sessions(struct req *r);
void api_me_session_revoke(struct req *r);

void api_agencies_list(struct req *r);
void api_agencies_create(struct req *r);
void api_agency_get(struct req *r);
void api_agency_update(struct req *r);

void api_departments_list(struct req *r);
void api_departments_create(struct req *r);
void api_department_update(struct req *r);
void api_positions_list(struct req *r);
void api_positions_create(struct req *r);
void api_position_update(struct req *r);

void api_users_list(struct req *r);
void api_users_create(struct req *r);
void api_user_get(struct req *r);
void api_user_update(struct req *r);
void api_user_reset_password(struct req *r);
void api_user_lock(struct req *r);
void api_user_unlock(struct req *r);

void api_audit_list(struct req *r);
void api_openapi(struct req *r);

void api_trust_list(struct req *r);
void api_trust_certs_add(struct req *r);
void api_trust_cert_remove(struct req *r);
void api_trust_crls_add(struct req *r);
void api_trust_crl_remove(struct req *r);
void api_sigimages_list(struct req *r);
void api_sigimages_upload(struct req *r);
void api_sigimage_png(struct req *r);
void api_sigimage_deactivate(struct req *r);
void api_jobs_list(struct req *r);
void api_job_retry(struct req *r);
void api_calendar_year(struct req *r);
void api_calendar_override_add(struct req *r);
void api_calendar_override_remove(struct req *r);

/* api_notify.c: the signed-in person's notifications */
void api_notifications_list(struct req *r);
void api_notifications_count(struct req *r);
void api_notifications_read(struct req *r);

/* api_doc.c: registers and documents */
void api_registers_list(struct req *r);
void api_registers_create(struct req *r);
void api_documents_incoming_create(struct req *r);
void api_documents_list(struct req *r);
void api_documents_counts(struct req *r);
void api_documents_tracking(struct req *r);
void api_document_get(struct req *r);
void api_document_file(struct req *r);
/* Shared by the document handlers: 422/409 with the field errors, else the result's
 * status; the 409 of a duplicate registration with the earlier document's summary. */
void api_doc_problem(struct req *r, result_t res, const struct verrs *e);
/* A refused step: 409 step_not_allowed when e names the "action", else api_doc_problem. */
void api_doc_step_problem(struct req *r, result_t res, const struct verrs *e);
/* The document as GET /documents/{id} shows it, with status (after an action). */
void api_doc_answer(struct req *r, int status, int64_t id);
/* The recipients array m[field] of an outgoing document ({kind, agency_id | agency_code,
 * name | department_id | user_id}, at most DOC_MAX_RECIPIENTS; in r's arena): the draft's
 * recipients, an update's recipients_add. */
struct doc_recipient_input;
const struct doc_recipient_input *api_doc_recipients(struct req *r, json_t *m, const char *field,
                                                     size_t *count, struct verrs *e);
struct doc_duplicate;
void api_doc_duplicate_problem(struct req *r, const struct verrs *e,
                               const struct doc_duplicate *earlier);
/* api_doc_intake.c: registering or refusing an arrived document, the register book */
void api_document_register(struct req *r);
void api_document_refuse(struct req *r);
void api_register_book(struct req *r);

/* api_doc_workflow.c: the incoming workflow's steps */
void api_document_present(struct req *r);
void api_document_assign(struct req *r);
void api_document_reassign(struct req *r);
void api_document_withdraw(struct req *r);
void api_document_accept(struct req *r);
void api_document_comment(struct req *r);
void api_document_attach(struct req *r);
void api_document_forward(struct req *r);
void api_document_return(struct req *r);
void api_document_complete(struct req *r);
/* outgoing (api_doc_workflow.c: submit, approve; api_doc_outgoing.c: the rest) */
void api_document_submit(struct req *r);
void api_document_approve(struct req *r);
void api_documents_outgoing_create(struct req *r);
void api_document_version(struct req *r);
void api_document_sign(struct req *r);
void api_document_seal(struct req *r);
void api_document_agency_sign(struct req *r);
void api_document_issue(struct req *r);
void api_documents_outbox(struct req *r);
void api_documents_issue_batch(struct req *r); /* api_doc_issue.c */
void api_document_cancel(struct req *r);
void api_document_recall(struct req *r);
void api_document_plan(struct req *r);
void api_document_ask_opinion(struct req *r);
void api_document_answer_opinion(struct req *r);
void api_document_update(struct req *r);
void api_document_recall_agree(struct req *r);
void api_document_recall_refuse(struct req *r);
void api_circuit_templates(struct req *r);
void api_circuit_template_set(struct req *r);
void api_document_candidates(struct req *r);
/* drafts for public comment (api_doc_public.c) */
void api_document_consultation(struct req *r);
void api_document_consultation_publish(struct req *r);
void api_document_consultation_close(struct req *r);

void api_signatures_verify(struct req *r);
void api_signatures_sign(struct req *r);
void api_signatures_prepare(struct req *r);
void api_signatures_finish(struct req *r);
void api_signing_keys_mine(struct req *r);
void api_signing_keys_list(struct req *r);
void api_signing_keys_import(struct req *r);
void api_signing_key_revoke(struct req *r);

#endif
