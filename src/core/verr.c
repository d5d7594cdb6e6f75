/* Field error list. */
#include "core/verr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
}

const char *verrs_get(const struct verrs *e, const char *field)
{
    for (int i = 0; i < e->count; i++)
        if (strcmp(e->items[i].field, field) == 0)
            return e->items[i].message;
    return NULL;
}
