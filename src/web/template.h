/* Server-side HTML templates: a Mustache subset rendered against jansson values.
 * Every web/templates/NAME.html is compiled once into a node tree by tmpl_init(); the
 * compiled set is read-only afterwards, so any number of threads may render at once.
 *
 * Syntax: {{name}} escaped, {{{name}}} or {{&name}} raw, dotted names {{a.b}}, {{.}},
 * {{#name}}...{{/name}} section (array: once per element; object or truthy scalar:
 * once, pushed as context), {{^name}}...{{/name}} inverted, {{>partial}}, {{! note }}.
 * Falsy: missing, null, false, "", 0, empty array. Tags alone on a line (sections,
 * partials, comments) remove that line from the output, as in Mustache. */
#ifndef QLVB_WEB_TEMPLATE_H
#define QLVB_WEB_TEMPLATE_H

#include <jansson.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/result.h"

/* Compiles every embedded template under web/templates/ ("web/templates/admin_users.html" is
 * named "admin_users"). A syntax error or an unknown partial logs "file:line: why"
 * and returns RES_INVALID. Call once, before threads start. */
result_t tmpl_init(void);
void tmpl_shutdown(void);

/* Renders template `name` with `ctx` as the outermost context (NULL: empty) and
 * appends to `out`. RES_NOT_FOUND for an unknown template, RES_TOO_LARGE when the
 * output would pass out->max or nesting is too deep. On error `out` is left as it
 * was before the call. */
result_t tmpl_render(const char *name, json_t *ctx, struct buf *out);

/* The strict render of tests: the same output, and `missing` lists every {{name}} or
 * {{{name}}} that resolved to nothing (rendered as empty), as "file:line: name", once
 * each. Sections and inverted sections are conditions, so a missing one is not listed.
 * `count` goes on past the list's capacity. */
#define TMPL_MISSING_MAX 32
struct tmpl_missing {
    int count;
    char names[TMPL_MISSING_MAX][160];
};
result_t tmpl_render_checked(const char *name, json_t *ctx, struct buf *out,
                             struct tmpl_missing *missing);

/* Appends s with & < > " ' replaced by entities. On overflow the buffer keeps what
 * it had; use html_escape_len() where the caller must know. */
void html_escape(struct buf *out, const char *s);
result_t html_escape_len(struct buf *out, const char *s, size_t n);

/* A set of compiled templates, for tmpl_init() and for tests with in-memory sources. */
struct tmpl_set;

struct tmpl_set *tmpl_set_new(void);
/* Compiles src (len bytes) under `name`; `label` (file name) prefixes error messages,
 * NULL means `name`. On failure writes "label:line: why" into err and returns
 * RES_INVALID (syntax) or RES_CONFLICT (name already in the set). */
result_t tmpl_set_compile(struct tmpl_set *set, const char *name, const char *src, size_t len,
                          const char *label, char *err, size_t errsize);
/* Resolves {{>partial}} references; RES_NOT_FOUND with "label:line: ..." in err for a
 * partial that names no template of the set. Render only a linked set. */
result_t tmpl_set_link(struct tmpl_set *set, char *err, size_t errsize);
result_t tmpl_set_render(const struct tmpl_set *set, const char *name, json_t *ctx,
                         struct buf *out);
result_t tmpl_set_render_checked(const struct tmpl_set *set, const char *name, json_t *ctx,
                                 struct buf *out, struct tmpl_missing *missing);
void tmpl_set_free(struct tmpl_set *set);

#endif
