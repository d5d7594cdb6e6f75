/* RFC 3161 signature time-stamps (PAdES B-T, CAdES-T): a request over the SHA-256 of a
 * CMS signer's signature value, checking the authority's answer, adding the token as
 * the unsigned attribute id-aa-signatureTimeStampToken, and verifying it later. The
 * transport (HTTP POST of application/timestamp-query) is the caller's tsa_fn. */
#ifndef QLVB_CRYPTO_TSA_H
#define QLVB_CRYPTO_TSA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "crypto/certstore.h"
#include "util/buf.h"
#include "util/result.h"

/* Sends a DER TimeStampReq and returns the DER TimeStampResp in *resp. */
typedef result_t (*tsa_fn)(void *arg, const unsigned char *req, size_t req_len, struct buf *resp);

/* Extra bytes to reserve in a PDF /Contents for a token (TSA certificate chain included). */
#define TSA_TOKEN_RESERVE 8192

/* Time-stamps the (single) signer of a DER CMS in place: *cms is replaced by the CMS
 * with the token added. RES_CRYPTO when the answer is not granted or does not match
 * the request (imprint, nonce). */
result_t tsa_timestamp_cms(struct buf *cms, tsa_fn tsa, void *arg);

struct tsa_check {
    bool present; /* the signer carries a signature time-stamp */
    bool valid;   /* token signature, TSA certificate chain and imprint verify */
    int64_t time; /* genTime, unix seconds (INT64_MIN when not valid) */
    char tsa_name[256];
    char error[160];
};

/* Checks the time-stamp of the first signer of a DER CMS against the trust store (the
 * TSA must chain to one of its roots and have the timeStamping usage). */
result_t tsa_verify_cms(const unsigned char *cms, size_t len, const struct certstore *trust,
                        struct tsa_check *out);

#endif
