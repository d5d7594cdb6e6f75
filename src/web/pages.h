/* Server-rendered pages of the web UI. Forms post back to the same paths; errors
 * re-render the form with field messages; successes redirect (POST/redirect/GET). */
#ifndef QLVB_PAGES_H
#define QLVB_PAGES_H

#include "http/http.h"

void page_static(struct req *r);
void page_login(struct req *r);
void page_login_post(struct req *r);
void page_logout(struct req *r);
void page_password(struct req *r);
void page_password_post(struct req *r);
void page_choose_agency(struct req *r);
void page_choose_agency_post(struct req *r);
void page_home(struct req *r);
void page_sessions(struct req *r);
void page_session_revoke(struct req *r);
void page_sessions_revoke_others(struct req *r);

void page_admin_agencies(struct req *r);
void page_admin_agencies_post(struct req *r);
void page_admin_agency(struct req *r);
void page_admin_agency_post(struct req *r);
void page_admin_agency_toggle(struct req *r);
void page_admin_departments(struct req *r);
void page_admin_departments_post(struct req *r);
void page_admin_department_post(struct req *r);
void page_admin_department_toggle(struct req *r);
void page_admin_positions(struct req *r);
void page_admin_positions_post(struct req *r);
void page_admin_position_post(struct req *r);
void page_admin_position_toggle(struct req *r);
void page_admin_users(struct req *r);
void page_admin_user_new(struct req *r);
void page_admin_users_post(struct req *r);
void page_admin_user(struct req *r);
void page_admin_user_post(struct req *r);
void page_admin_user_reset(struct req *r);
void page_admin_user_lock(struct req *r);
void page_admin_user_unlock(struct req *r);
void page_admin_audit(struct req *r);
void page_admin_trust(struct req *r);
void page_admin_trust_cert_post(struct req *r);
void page_admin_trust_crl_post(struct req *r);
void page_admin_trust_cert_remove(struct req *r);
void page_admin_trust_crl_remove(struct req *r);
void page_admin_sigimages(struct req *r);
void page_admin_sigimages_post(struct req *r);
void page_admin_sigimage_png(struct req *r);
void page_admin_sigimage_deactivate(struct req *r);
void page_admin_jobs(struct req *r);
void page_admin_job_retry(struct req *r);
void page_admin_calendar(struct req *r);
void page_admin_calendar_post(struct req *r);
void page_admin_calendar_remove(struct req *r);

void page_sign_verify(struct req *r);
void page_sign_verify_post(struct req *r);
void page_sign(struct req *r);
void page_sign_post(struct req *r);
void page_sign_place(struct req *r);
void page_sign_place_post(struct req *r);
void page_sign_page_png(struct req *r);
void page_sign_download(struct req *r);
void page_admin_keys(struct req *r);
void page_admin_keys_post(struct req *r);
void page_admin_key_revoke(struct req *r);

/* notifications (pages_notify.c) */
void page_notifications(struct req *r);
void page_notifications_read(struct req *r);

/* documents (pages_doc.c) */
void page_documents(struct req *r);
void page_document_new(struct req *r);
void page_document_new_post(struct req *r);
void page_document(struct req *r);
void page_document_file(struct req *r);
void page_document_action(struct req *r);
void page_documents_tracking(struct req *r);
void page_register_book(struct req *r);
/* "Sổ văn bản" (pages_registers.c): the registers, opening one, their books. */
void page_registers(struct req *r);
void page_registers_post(struct req *r);
void page_registers_book(struct req *r);
/* outgoing documents (pages_doc_out.c) */
void page_documents_outgoing(struct req *r);
void page_document_draft(struct req *r);
void page_document_draft_post(struct req *r);
void page_document_version(struct req *r);
/* POST /documents/outgoing/issue: the clerk's batch from the list (doc_issue_batch) */
void page_documents_issue_batch(struct req *r);
/* review-circuit templates (pages_circuits.c): the list, one type's form, its post */
void page_admin_circuits(struct req *r);
void page_admin_circuit(struct req *r);
void page_admin_circuit_post(struct req *r);
/* The home page's outgoing work of the signed-in user (drafts, reviews, signatures,
 * documents to issue), linking to the outgoing lists. */
json_t *web_doc_out_counters(struct req *r);
/* The home page's counters of the signed-in user (doc_counts), linking to the lists. */
json_t *web_doc_counters(struct req *r);

/* drafts for public comment (pages_public.c): the public side, no login */
void page_public_index(struct req *r);
void page_public_consultation(struct req *r);
void page_public_file(struct req *r);
void page_public_comment_post(struct req *r);
/* ... and the drafter's forms of the document page's panel */
void page_document_consultation_post(struct req *r);
void page_document_consultation_close(struct req *r);

/* Field errors as a JSON object {field: message} for templates. */
json_t *verrs_json(const struct verrs *e);

#endif
