/* Mustache-subset templates over jansson values (placeholder header; the template
 * engine lands from the web branch). */
#ifndef QLVB_TEMPLATE_H
#define QLVB_TEMPLATE_H

#include <jansson.h>

#include "util/buf.h"
#include "util/result.h"

result_t tmpl_init(void);
void tmpl_shutdown(void);
result_t tmpl_render(const char *name, json_t *ctx, struct buf *out);
void html_escape(struct buf *out, const char *s);

#endif
