/* Cryptographically secure random bytes and tokens (OpenSSL RAND_bytes). */
#ifndef QLVB_RAND_H
#define QLVB_RAND_H

#include <stddef.h>

#include "util/result.h"

result_t rand_bytes(void *out, size_t n);
/* n random bytes as lowercase hex into out (2n+1 bytes). */
result_t rand_hex(char *out, size_t nbytes);
/* SHA-256 of a string as 64 hex chars + NUL. */
void sha256_hex(const void *data, size_t n, char out[65]);

#endif
