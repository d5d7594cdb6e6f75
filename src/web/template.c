/* Mustache-subset template engine: parses templates into node trees once, links
 * partials by pointer, and renders them against a jansson context stack with HTML
 * escaping by default. See template.h for the syntax. */
#include "web/template.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/embedded.h"
#include "util/log.h"

#define NEST_MAX    48  /* section nesting inside one template */
#define STACK_MAX   128 /* context stack while rendering */
#define PARTIAL_MAX 24  /* partial inclusion depth (recursive partials are allowed) */

enum node_kind { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL };

struct node;

struct nodelist {
    struct node *v;
    size_t n, cap;
};

struct node {
    enum node_kind kind;
    int line;
    const char *text; /* N_TEXT: points into the template's source copy */
    size_t len;
    char *name; /* full tag name ("user.full_name", ".", partial name) */
    char **seg; /* name split at dots; nseg == 0 for "." */
    size_t nseg;
    const struct tmpl *partial; /* N_PARTIAL, set by tmpl_set_link() */
    struct nodelist body;       /* N_SECTION, N_INVERTED */
};

struct tmpl {
    char *name;
    char *label;
    char *src;
    struct nodelist body;
};

struct tmpl_set {
    struct tmpl **v;
    size_t n, cap;
};

struct parser {
    const char *src;
    size_t len;
    size_t pos;
    const char *label;
    char *err;
    size_t errsize;
    int nest;
};

static struct tmpl_set *global_set;

/* ---- escaping ---------------------------------------------------------------- */

result_t html_escape_len(struct buf *out, const char *s, size_t n)
{
    size_t run = 0;
    result_t r;
    for (size_t i = 0; i < n; i++) {
        const char *rep;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        if ((r = buf_append(out, s + run, i - run)) != RES_OK)
            return r;
        if ((r = buf_puts(out, rep)) != RES_OK)
            return r;
        run = i + 1;
    }
    return buf_append(out, s + run, n - run);
}

void html_escape(struct buf *out, const char *s)
{
    if (!s)
        return;
    size_t before = out->len;
    if (html_escape_len(out, s, strlen(s)) != RES_OK && out->data) {
        /* Drop the partial write so the caller never emits half an entity. */
        out->len = before;
        out->data[before] = '\0';
    }
}

/* ---- node lists -------------------------------------------------------------- */

static struct node *nodelist_push(struct nodelist *l)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    struct node *n = &l->v[l->n++];
    memset(n, 0, sizeof(*n));
    return n;
}

static void nodelist_release(struct nodelist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct node *n = &l->v[i];
        for (size_t k = 0; k < n->nseg; k++)
            free(n->seg[k]);
        free(n->seg);
        free(n->name);
        nodelist_release(&n->body);
    }
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

/* ---- parsing ----------------------------------------------------------------- */

static int line_at(const char *src, size_t pos)
{
    int line = 1;
    for (size_t i = 0; i < pos; i++)
        if (src[i] == '\n')
            line++;
    return line;
}

static result_t parse_error(struct parser *p, size_t pos, const char *fmt, const char *arg)
{
    if (p->err && p->errsize) {
        int n = snprintf(p->err, p->errsize, "%s:%d: ", p->label, line_at(p->src, pos));
        if (n >= 0 && (size_t)n < p->errsize)
            snprintf(p->err + n, p->errsize - (size_t)n, fmt, arg ? arg : "");
    }
    return RES_INVALID;
}

static bool is_name_char(char c, bool partial)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || (partial && c == '/');
}

/* Checks a tag name and splits a dotted one into segments. */
static result_t set_name(struct parser *p, struct node *n, const char *s, size_t len, size_t pos,
                         bool partial)
{
    n->name = xstrndup(s, len);
    if (len == 0)
        return parse_error(p, pos, "empty tag name%s", NULL);
    if (!partial && len == 1 && s[0] == '.')
        return RES_OK;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || (!partial && s[i] == '.')) {
            if (i == start)
                return parse_error(p, pos, "bad tag name \"%s\"", n->name);
            n->seg = xrealloc(n->seg, (n->nseg + 1) * sizeof(*n->seg));
            n->seg[n->nseg++] = xstrndup(s + start, i - start);
            start = i + 1;
        } else if (!is_name_char(s[i], partial)) {
            return parse_error(p, pos, "bad tag name \"%s\"", n->name);
        }
    }
    return RES_OK;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void emit_text(struct nodelist *out, const char *src, size_t from, size_t to)
{
    if (to <= from)
        return;
    struct node *n = nodelist_push(out);
    n->kind = N_TEXT;
    n->text = src + from;
    n->len = to - from;
}

/* Parses nodes into `out` until the end of the source (top level) or the closing tag
 * of `open_name`, which was opened at `open_pos`. */
static result_t parse_block(struct parser *p, struct nodelist *out, const char *open_name,
                            size_t open_pos)
{
    const char *src = p->src;
    size_t text_start = p->pos;
    for (;;) {
        const char *open = p->pos < p->len ? strstr(src + p->pos, "{{") : NULL;
        if (!open) {
            emit_text(out, src, text_start, p->len);
            p->pos = p->len;
            if (open_name)
                return parse_error(p, open_pos, "unclosed section \"%s\"", open_name);
            return RES_OK;
        }
        size_t tag_start = (size_t)(open - src);
        size_t q = tag_start + 2;
        bool triple = src[q] == '{';
        if (triple)
            q++;
        const char *close = strstr(src + q, triple ? "}}}" : "}}");
        if (!close)
            return parse_error(p, tag_start, "unclosed tag%s", NULL);
        size_t c_end = (size_t)(close - src);
        size_t tag_end = c_end + (triple ? 3 : 2);

        char sigil = 0;
        if (!triple && q < c_end && strchr("#^/>!&=", src[q])) {
            sigil = src[q];
            q++;
        }
        if (sigil == '=')
            return parse_error(p, tag_start, "delimiter changes are not supported%s", NULL);
        while (q < c_end && is_space(src[q]))
            q++;
        while (c_end > q && is_space(src[c_end - 1]))
            c_end--;

        /* A section, partial or comment tag alone on its line takes the line with it. */
        size_t emit_end = tag_start, next = tag_end;
        if (sigil && sigil != '&') {
            size_t ls = tag_start;
            while (ls > text_start && (src[ls - 1] == ' ' || src[ls - 1] == '\t'))
                ls--;
            size_t le = tag_end;
            while (le < p->len && (src[le] == ' ' || src[le] == '\t' || src[le] == '\r'))
                le++;
            if ((ls == 0 || src[ls - 1] == '\n') && (le == p->len || src[le] == '\n')) {
                emit_end = ls;
                next = le < p->len ? le + 1 : le;
            }
        }
        emit_text(out, src, text_start, emit_end);
        p->pos = next;

        if (sigil == '!') {
            text_start = p->pos;
            continue;
        }
        if (sigil == '/') {
            if (!open_name)
                return parse_error(p, tag_start, "closing tag without a section%s", NULL);
            if (c_end - q != strlen(open_name) || memcmp(src + q, open_name, c_end - q) != 0) {
                char what[160];
                snprintf(what, sizeof(what), "\"%.*s\" closes \"%s\" opened on line %d",
                         (int)(c_end - q > 60 ? 60 : c_end - q), src + q, open_name,
                         line_at(src, open_pos));
                return parse_error(p, tag_start, "closing tag %s", what);
            }
            return RES_OK;
        }

        struct node *n = nodelist_push(out);
        n->line = line_at(src, tag_start);
        result_t r = set_name(p, n, src + q, c_end - q, tag_start, sigil == '>');
        if (r != RES_OK)
            return r;
        switch (sigil) {
        case '#':
        case '^':
            n->kind = sigil == '#' ? N_SECTION : N_INVERTED;
            if (++p->nest > NEST_MAX)
                return parse_error(p, tag_start, "sections nested too deeply%s", NULL);
            /* Safe to keep `n`: the body grows its own list, never `out`. */
            r = parse_block(p, &n->body, n->name, tag_start);
            p->nest--;
            if (r != RES_OK)
                return r;
            break;
        case '>':
            n->kind = N_PARTIAL;
            break;
        case '&':
            n->kind = N_RAW;
            break;
        default:
            n->kind = triple ? N_RAW : N_VAR;
        }
        text_start = p->pos;
    }
}

/* ---- sets -------------------------------------------------------------------- */

struct tmpl_set *tmpl_set_new(void)
{
    return xcalloc(1, sizeof(struct tmpl_set));
}

static void tmpl_free(struct tmpl *t)
{
    if (!t)
        return;
    nodelist_release(&t->body);
    free(t->name);
    free(t->label);
    free(t->src);
    free(t);
}

static const struct tmpl *set_find(const struct tmpl_set *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->v[i]->name, name) == 0)
            return set->v[i];
    return NULL;
}

result_t tmpl_set_compile(struct tmpl_set *set, const char *name, const char *src, size_t len,
                          const char *label, char *err, size_t errsize)
{
    result_t r;
    struct tmpl *t = NULL;
    if (!label)
        label = name;
    if (set_find(set, name)) {
        if (err && errsize)
            snprintf(err, errsize, "%s: template \"%s\" defined twice", label, name);
        r = RES_CONFLICT;
        goto out;
    }
    t = xcalloc(1, sizeof(*t));
    t->name = xstrdup(name);
    t->label = xstrdup(label);
    t->src = xstrndup(src, len); /* also stops at an embedded NUL, which strstr needs */
    struct parser p = {t->src, strlen(t->src), 0, t->label, err, errsize, 0};
    r = parse_block(&p, &t->body, NULL, 0);
    if (r != RES_OK)
        goto out;
    if (set->n == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 16;
        set->v = xrealloc(set->v, set->cap * sizeof(*set->v));
    }
    set->v[set->n++] = t;
    t = NULL;
out:
    tmpl_free(t);
    return r;
}

static result_t link_list(const struct tmpl_set *set, const struct tmpl *t, struct nodelist *l,
                          char *err, size_t errsize)
{
    for (size_t i = 0; i < l->n; i++) {
        struct node *n = &l->v[i];
        if (n->kind == N_PARTIAL) {
            n->partial = set_find(set, n->name);
            if (!n->partial) {
                if (err && errsize)
                    snprintf(err, errsize, "%s:%d: unknown partial \"%s\"", t->label, n->line,
                             n->name);
                return RES_NOT_FOUND;
            }
        }
        result_t r = link_list(set, t, &n->body, err, errsize);
        if (r != RES_OK)
            return r;
    }
    return RES_OK;
}

result_t tmpl_set_link(struct tmpl_set *set, char *err, size_t errsize)
{
    for (size_t i = 0; i < set->n; i++) {
        result_t r = link_list(set, set->v[i], &set->v[i]->body, err, errsize);
        if (r != RES_OK)
            return r;
    }
    return RES_OK;
}

void tmpl_set_free(struct tmpl_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        tmpl_free(set->v[i]);
    free(set->v);
    free(set);
}

/* ---- rendering --------------------------------------------------------------- */

struct render {
    struct buf *out;
    json_t *stack[STACK_MAX];
    size_t depth;
    int partials;
    const struct tmpl *cur;       /* the template (or partial) being rendered */
    struct tmpl_missing *missing; /* checked renders only */
};

/* Notes a {{name}} that resolved to nothing, once per template line and name. */
static void note_missing(struct render *r, const struct node *n)
{
    struct tmpl_missing *m = r->missing;
    char where[sizeof(m->names[0])];
    snprintf(where, sizeof(where), "%s:%d: %s", r->cur->label, n->line, n->name);
    for (int i = 0; i < m->count && i < TMPL_MISSING_MAX; i++)
        if (strcmp(m->names[i], where) == 0)
            return;
    if (m->count < TMPL_MISSING_MAX)
        memcpy(m->names[m->count], where, sizeof(where));
    m->count++;
}

static json_t *lookup(const struct render *r, const struct node *n)
{
    if (n->nseg == 0)
        return r->depth ? r->stack[r->depth - 1] : NULL;
    json_t *v = NULL;
    for (size_t i = r->depth; i-- > 0;) {
        if (json_is_object(r->stack[i]) && (v = json_object_get(r->stack[i], n->seg[0])))
            break;
    }
    /* Mustache rule: once the first segment is found, the rest resolve inside it only. */
    for (size_t k = 1; v && k < n->nseg; k++)
        v = json_is_object(v) ? json_object_get(v, n->seg[k]) : NULL;
    return v;
}

static bool truthy(const json_t *v)
{
    if (!v)
        return false;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
    case JSON_TRUE:
        return true;
    case JSON_ARRAY:
        return json_array_size(v) > 0;
    case JSON_STRING:
        return json_string_length(v) > 0;
    case JSON_INTEGER:
        return json_integer_value(v) != 0;
    case JSON_REAL:
        return json_real_value(v) != 0.0;
    default:
        return false;
    }
}

static result_t put_value(struct buf *out, const json_t *v, bool escape)
{
    if (!v)
        return RES_OK;
    switch (json_typeof(v)) {
    case JSON_STRING:
        if (escape)
            return html_escape_len(out, json_string_value(v), json_string_length(v));
        return buf_append(out, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        return buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    case JSON_REAL:
        return buf_printf(out, "%.15g", json_real_value(v));
    case JSON_TRUE:
        return buf_puts(out, "true");
    default:
        return RES_OK;
    }
}

static result_t render_list(struct render *r, const struct nodelist *l);

static result_t render_pushed(struct render *r, json_t *ctx, const struct nodelist *body)
{
    if (r->depth == STACK_MAX)
        return RES_TOO_LARGE;
    r->stack[r->depth++] = ctx;
    result_t res = render_list(r, body);
    r->depth--;
    return res;
}

static result_t render_node(struct render *r, const struct node *n)
{
    json_t *v;
    result_t res = RES_OK;
    switch (n->kind) {
    case N_TEXT:
        return buf_append(r->out, n->text, n->len);
    case N_VAR:
    case N_RAW:
        v = lookup(r, n);
        if (!v && r->missing)
            note_missing(r, n);
        return put_value(r->out, v, n->kind == N_VAR);
    case N_SECTION:
        v = lookup(r, n);
        if (!truthy(v))
            return RES_OK;
        if (!json_is_array(v))
            return render_pushed(r, v, &n->body);
        for (size_t i = 0; i < json_array_size(v) && res == RES_OK; i++)
            res = render_pushed(r, json_array_get(v, i), &n->body);
        return res;
    case N_INVERTED:
        return truthy(lookup(r, n)) ? RES_OK : render_list(r, &n->body);
    case N_PARTIAL: {
        if (!n->partial)
            return RES_NOT_FOUND;
        if (r->partials == PARTIAL_MAX)
            return RES_TOO_LARGE;
        const struct tmpl *caller = r->cur;
        r->partials++;
        r->cur = n->partial;
        res = render_list(r, &n->partial->body);
        r->cur = caller;
        r->partials--;
        return res;
    }
    }
    return RES_INTERNAL;
}

static result_t render_list(struct render *r, const struct nodelist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        result_t res = render_node(r, &l->v[i]);
        if (res != RES_OK)
            return res;
    }
    return RES_OK;
}

static result_t render_top(const struct tmpl_set *set, const char *name, json_t *ctx,
                           struct buf *out, struct tmpl_missing *missing)
{
    const struct tmpl *t = set ? set_find(set, name) : NULL;
    if (missing)
        memset(missing, 0, sizeof(*missing));
    if (!t)
        return RES_NOT_FOUND;
    struct render r = {.out = out, .cur = t, .missing = missing};
    size_t before = out->len;
    if (ctx)
        r.stack[r.depth++] = ctx;
    result_t res = render_list(&r, &t->body);
    if (res != RES_OK && out->data) {
        out->len = before; /* no half page: the caller renders an error page instead */
        out->data[before] = '\0';
    }
    return res;
}

result_t tmpl_set_render(const struct tmpl_set *set, const char *name, json_t *ctx, struct buf *out)
{
    return render_top(set, name, ctx, out, NULL);
}

result_t tmpl_set_render_checked(const struct tmpl_set *set, const char *name, json_t *ctx,
                                 struct buf *out, struct tmpl_missing *missing)
{
    return render_top(set, name, ctx, out, missing);
}

/* ---- the embedded set -------------------------------------------------------- */

#define TEMPLATE_DIR "web/templates/"
#define TEMPLATE_EXT ".html"

result_t tmpl_init(void)
{
    char err[512] = "";
    result_t r = RES_OK;
    struct tmpl_set *set = tmpl_set_new();
    size_t dlen = strlen(TEMPLATE_DIR), elen = strlen(TEMPLATE_EXT);
    for (const struct embedded_file *f = embedded_files; f->name; f++) {
        size_t n = strlen(f->name);
        if (n <= dlen + elen || strncmp(f->name, TEMPLATE_DIR, dlen) != 0 ||
            strcmp(f->name + n - elen, TEMPLATE_EXT) != 0)
            continue;
        char *name = xstrndup(f->name + dlen, n - dlen - elen);
        r = tmpl_set_compile(set, name, (const char *)f->data, f->len, f->name, err, sizeof(err));
        free(name);
        if (r != RES_OK)
            goto out;
    }
    r = tmpl_set_link(set, err, sizeof(err));
out:
    if (r != RES_OK) {
        log_error("event=template_error error=\"%s\"", err);
        tmpl_set_free(set);
        return RES_INVALID;
    }
    tmpl_set_free(global_set);
    global_set = set;
    return RES_OK;
}

void tmpl_shutdown(void)
{
    tmpl_set_free(global_set);
    global_set = NULL;
}

result_t tmpl_render(const char *name, json_t *ctx, struct buf *out)
{
    return tmpl_set_render(global_set, name, ctx, out);
}

result_t tmpl_render_checked(const char *name, json_t *ctx, struct buf *out,
                             struct tmpl_missing *missing)
{
    return tmpl_set_render_checked(global_set, name, ctx, out, missing);
}
