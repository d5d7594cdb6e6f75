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
