/* Small string helpers: bounded copies, strict number parsing, constant-time compare,
 * hex encoding. The banned list (strcpy, sprintf, atoi, ...) is replaced by these. */
#ifndef QLVB_STR_H
#define QLVB_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/result.h"

/* Copies at most dstsize-1 bytes and NUL-terminates; returns strlen(src). */
size_t str_copy(char *dst, const char *src, size_t dstsize);
/* Whole-string decimal parse into [min, max]; RES_INVALID on anything else. */
result_t str_to_i64(const char *s, int64_t min, int64_t max, int64_t *out);
bool str_eq_ct(const char *a, const char *b); /* constant time for equal lengths */
bool str_starts_with(const char *s, const char *prefix);
bool str_is_empty(const char *s); /* NULL or only ASCII spaces */
/* A count the Vietnamese way, thousands grouped with a dot: 5000 -> "5.000", -12345 ->
 * "-12.345". out needs 28 bytes for any int64; returns out. */
#define STR_GROUP_MAX 28
const char *str_group_vn(int64_t v, char *out, size_t outsize);
void hex_encode(const unsigned char *in, size_t n, char *out /* 2n+1 */);
result_t hex_decode(const char *in, unsigned char *out, size_t outsize, size_t *outlen);

#endif
