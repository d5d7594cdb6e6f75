/* RFC 3161 over HTTP (RFC 3161 §3.4): POST application/timestamp-query to a TSA URL.
 * Plain http:// only, as TSAs publish it (the answer is itself signed and checked). */
#ifndef QLVB_CRYPTO_TSA_HTTP_H
#define QLVB_CRYPTO_TSA_HTTP_H

#include <stddef.h>

#include "util/buf.h"
#include "util/result.h"

struct tsa_http {
    const char *url; /* http://host[:port]/path */
    int timeout_ms;  /* per connect/read/write; 0: 10 s */
};

/* A tsa_fn: arg is a struct tsa_http. RES_INVALID for a bad URL, RES_IO for network
 * errors and non-200 answers. */
result_t tsa_http_post(void *arg, const unsigned char *req, size_t req_len, struct buf *resp);

#endif
