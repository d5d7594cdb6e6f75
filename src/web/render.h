/* Page rendering for the web UI: the common page context (user, agency, navigation,
 * CSRF token, flash message) and the error page. */
#ifndef QLVB_RENDER_H
#define QLVB_RENDER_H

#include <jansson.h>

#include "http/http.h"

/* Start-up of the web layer, before the server starts: compiles the templates and
 * installs web_render_error as the HTML error page of resp_error. */
result_t web_init(void);

/* Renders web/templates/<name>.html with ctx (stolen) plus the common keys. */
void web_render(struct req *r, int status, const char *name, json_t *ctx, const char *nav);
void web_render_error(struct req *r, int status, const char *title, const char *detail);
/* A page of the public (drafts for public comment): rendered for a visitor, with no user
 * and no menu even when a session cookie came along. */
void web_render_public(struct req *r, int status, const char *name, json_t *ctx);
/* Pre-session CSRF, where there is no session to hold a token (sign-in, the public
 * comment form): a double-submit cookie `cookie` (random 256 bits, HttpOnly,
 * SameSite=Lax, so a cross-site form post arrives without it) whose value the form
 * carries as _csrf. issue keeps a well-formed cookie (several tabs stay valid), else
 * sets a new one, and puts the token in r->csrf for the page; ok compares the two in
 * constant time. */
void web_form_token_issue(struct req *r, const char *cookie, long max_age);
bool web_form_token_ok(struct req *r, const char *cookie);
/* The agency an agency-scoped administration page (departments, positions, users, keys,
 * signature images) works on, with its context: "agency" {id, name}, "agency_query"
 * ("?agency_id=N" when a system administrator works on a chosen agency, else "") and,
 * for whoever may act on any agency (the policy's AZ_ANY_AGENCY), "picker" {path,
 * agencies [{id, name, selected}]} for web/templates/agency_picker.html. Returns the
 * agency's id, or 0 when a system administrator has not chosen one yet: the caller then
 * renders web_render_pick_agency(). */
int64_t web_agency_scope(struct req *r, json_t *ctx, const char *path);
/* "?agency_id=N" when a system administrator works on a chosen agency, else "": what the
 * page's links, forms and redirects carry to stay on that agency. */
const char *web_agency_query(struct req *r);
/* The page that asks a system administrator which agency to work on (ctx stolen). */
void web_render_pick_agency(struct req *r, json_t *ctx, const char *heading, const char *nav);
/* A one-shot message shown on the next page (cookie-carried, short): a message over
 * WEB_FLASH_MAX bytes is cut on a character boundary and ends with "…". */
#define WEB_FLASH_MAX 300
void web_flash(struct req *r, const char *kind, const char *message);
/* s percent-encoded for a query value (RFC 3986 unreserved characters kept), in the
 * arena. */
const char *web_url_encode(struct arena *a, const char *s);
/* The page's {kind, message} from the qlvb_flash cookie value; NULL if malformed. */
json_t *web_flash_parse(const char *cookie);

#endif
