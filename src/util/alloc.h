/* Allocation wrappers that abort on out-of-memory, so callers never check for NULL
 * (the Redis zmalloc convention). Use these everywhere instead of malloc & co. */
#ifndef QLVB_ALLOC_H
#define QLVB_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Wipe a secret before freeing or reuse; never optimised away. */
void secure_wipe(void *p, size_t n);

#endif
