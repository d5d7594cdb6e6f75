/* Per-request arena (nginx pool style): every allocation of a request comes from here
 * and is freed in one go; cleanup hooks release library objects (statements, json)
 * that the arena does not own directly. Nothing of a request outlives its arena. */
#ifndef QLVB_ARENA_H
#define QLVB_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;
struct arena_cleanup;

struct arena {
    struct arena_chunk *chunks;
    struct arena_cleanup *cleanups;
    size_t total; /* bytes handed out, for limits and diagnostics */
};

typedef void (*arena_cleanup_fn)(void *);

void arena_init(struct arena *a);
void *arena_alloc(struct arena *a, size_t n); /* zeroed, 16-byte aligned */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Runs fn(ptr) when the arena is released, last registered first. */
void arena_on_release(struct arena *a, arena_cleanup_fn fn, void *ptr);
void arena_release(struct arena *a);

#endif
