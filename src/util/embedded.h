/* Files compiled into the binary by tools/embed.c: web/templates, web/static,
 * db/migrations. Names are repository paths ("web/static/app.css"). */
#ifndef QLVB_EMBEDDED_H
#define QLVB_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *name;
    const unsigned char *data; /* NUL-terminated after len bytes */
    size_t len;
};

extern const struct embedded_file embedded_files[];

const struct embedded_file *embedded_find(const char *name);

#endif
