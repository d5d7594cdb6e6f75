/* Fuzz target: multipart/form-data bodies. The first line of the input is the
 * Content-Type header, the rest the body; parsing must never crash or read out of
 * bounds, and every part must lie inside the body. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    if (!nl || nl - data > 300)
        return 0;
    char ct[301];
    memcpy(ct, data, (size_t)(nl - data));
    ct[nl - data] = '\0';
    char boundary[80];
    if (multipart_boundary(ct, boundary, sizeof(boundary)) != RES_OK)
        return 0;
    const uint8_t *body = nl + 1;
    size_t len = size - (size_t)(body - data);
    struct arena a;
    struct mp_part parts[MULTIPART_MAX_PARTS];
    int n = 0;
    arena_init(&a);
    if (multipart_parse(&a, boundary, body, len, parts, MULTIPART_MAX_PARTS, &n) == RES_OK)
        for (int i = 0; i < n; i++)
            if (parts[i].data < body || parts[i].data + parts[i].len > body + len)
                abort();
    arena_release(&a);
    return 0;
}
