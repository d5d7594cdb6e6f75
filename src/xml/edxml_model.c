/* The edXML package model: lifetime (all strings live in the package arena, attachment
 * bytes are owned separately so large files can be freed early) and the issue list. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "xml/edxml.h"

void edxml_package_init(struct edxml_package *p, enum edxml_kind kind)
{
    memset(p, 0, sizeof(*p));
    arena_init(&p->arena);
    p->kind = kind;
    p->priority = -1;
    p->steering = EDXML_STEERING_ABSENT;
    p->business.paper = -1;
}

void edxml_package_release(struct edxml_package *p)
{
    for (size_t i = 0; i < p->n_attachments; i++)
        if (p->attachments[i].owns_data)
            free((void *)p->attachments[i].data);
    arena_release(&p->arena);
    memset(p, 0, sizeof(*p));
}

char *edxml_strdup(struct edxml_package *p, const char *s)
{
    return s ? arena_strdup(&p->arena, s) : NULL;
}

/* Arena arrays grow by copying; packages hold few elements so this stays cheap. */
static void *grow(struct edxml_package *p, void **arr, size_t *n, size_t elem)
{
    unsigned char *na = arena_alloc(&p->arena, (*n + 1) * elem);
    if (*n)
        memcpy(na, *arr, *n * elem);
    *arr = na;
    return na + (*n)++ * elem;
}

#define GROW(p, field, nfield) grow((p), (void **)&(field), &(nfield), sizeof(*(field)))

struct edxml_organ *edxml_add_to(struct edxml_package *p)
{
    return GROW(p, p->to, p->n_to);
}

struct edxml_response_for *edxml_add_response_for(struct edxml_package *p)
{
    return GROW(p, p->response_for, p->n_response_for);
}

struct edxml_trace *edxml_add_trace(struct edxml_package *p)
{
    return GROW(p, p->traces, p->n_traces);
}

struct edxml_reference *edxml_add_reference(struct edxml_package *p)
{
    return GROW(p, p->refs, p->n_refs);
}

struct edxml_attachment *edxml_add_attachment(struct edxml_package *p)
{
    return GROW(p, p->attachments, p->n_attachments);
}

struct edxml_receiver *edxml_add_receiver(struct edxml_package *p)
{
    struct edxml_receiver *r = GROW(p, p->business.receivers, p->business.n_receivers);
    r->receiver_type = -1;
    return r;
}

struct edxml_replacement *edxml_add_replacement(struct edxml_package *p)
{
    return GROW(p, p->business.replacements, p->business.n_replacements);
}

void edxml_add_string(struct edxml_package *p, char ***arr, size_t *n, const char *s)
{
    char **slot = grow(p, (void **)arr, n, sizeof(char *));
    *slot = edxml_strdup(p, s);
}

void edxml_issues_init(struct edxml_issues *is)
{
    memset(is, 0, sizeof(*is));
}

void edxml_issues_release(struct edxml_issues *is)
{
    for (size_t i = 0; i < is->n_warnings; i++)
        free(is->warnings[i]);
    free(is->warnings);
    free(is->error);
    memset(is, 0, sizeof(*is));
}

static char *vformat(const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        return xstrdup("?");
    char *s = xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

/* A hostile package could produce a warning per element; the list is capped. */
#define EDXML_MAX_WARNINGS 200

void edxml_issues_warn(struct edxml_issues *is, const char *fmt, ...)
{
    if (is->n_warnings >= EDXML_MAX_WARNINGS)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap);
    va_end(ap);
    is->warnings = xrealloc(is->warnings, (is->n_warnings + 1) * sizeof(char *));
    is->warnings[is->n_warnings++] = s;
}

void edxml_issues_fail(struct edxml_issues *is, const char *fmt, ...)
{
    if (is->error)
        return;
    va_list ap;
    va_start(ap, fmt);
    is->error = vformat(fmt, ap);
    va_end(ap);
}
