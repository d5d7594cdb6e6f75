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
/* A one-shot message shown on the next page (cookie-carried, short). */
void web_flash(struct req *r, const char *kind, const char *message);

#endif
