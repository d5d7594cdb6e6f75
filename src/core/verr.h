/* Field-level validation errors collected by core functions and rendered by the web
 * (next to the field) and the API (problem+json "errors"). Messages are Vietnamese. */
#ifndef QLVB_VERR_H
#define QLVB_VERR_H

#define VERR_MAX 16

struct verr {
    const char *field; /* static string: the input's name */
    char message[400]; /* room for a message that names files and documents */
};

struct verrs {
    int count;
    struct verr items[VERR_MAX];
};

void verrs_add(struct verrs *e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *verrs_get(const struct verrs *e, const char *field);

#endif
