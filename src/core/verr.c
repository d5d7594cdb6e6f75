/* Field error list. */
#include "core/verr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text/text.h"

void verrs_add(struct verrs *e, const char *field, const char *fmt, ...)
{
    if (e->count >= VERR_MAX || verrs_get(e, field))
        return; /* first message per field wins */
    struct verr *v = &e->items[e->count++];
    v->field = field;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->message, sizeof(v->message), fmt, ap);
    va_end(ap);
    /* A message cut by the bound must not end inside a character (it becomes JSON). */
    size_t n = strlen(v->message);
    v->message[text_cut(v->message, n, n)] = '\0';
}

const char *verrs_get(const struct verrs *e, const char *field)
{
    for (int i = 0; i < e->count; i++)
        if (strcmp(e->items[i].field, field) == 0)
            return e->items[i].message;
    return NULL;
}
