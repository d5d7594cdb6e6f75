/* Test helper: an in-process RFC 3161 time-stamping authority (OpenSSL TS_RESP_CTX)
 * signing with the test PKI's tsa.p12, usable as a tsa_fn. */
#ifndef QLVB_TEST_TSA_FIXTURE_H
#define QLVB_TEST_TSA_FIXTURE_H

#include <openssl/ts.h>

#include "crypto/keys.h"
#include "crypto/tsa.h"

struct test_tsa {
    struct key_bundle kb;
    int calls;
    int corrupt; /* answer with a token over another imprint */
};

static inline result_t test_tsa_answer(void *arg, const unsigned char *req, size_t len,
                                       struct buf *resp)
{
    struct test_tsa *t = arg;
    result_t r = RES_CRYPTO;
    TS_RESP_CTX *rc = TS_RESP_CTX_new();
    BIO *in = NULL;
    TS_RESP *answer = NULL;
    unsigned char *der = NULL, *copy = NULL;
    ASN1_OBJECT *policy = OBJ_txt2obj("1.3.6.1.4.1.99999.1", 1);
    int n;

    t->calls++;
    copy = OPENSSL_memdup(req, len);
    if (t->corrupt && len > 40)
        copy[len - 20] ^= 1; /* lands in the message imprint */
    in = BIO_new_mem_buf(copy, (int)len);
    if (!rc || !in || !TS_RESP_CTX_set_signer_cert(rc, t->kb.cert) ||
        !TS_RESP_CTX_set_signer_key(rc, t->kb.key) || !TS_RESP_CTX_set_certs(rc, t->kb.chain) ||
        !TS_RESP_CTX_set_def_policy(rc, policy) ||
        !TS_RESP_CTX_set_signer_digest(rc, EVP_sha256()) || !TS_RESP_CTX_add_md(rc, EVP_sha256()))
        goto out;
    answer = TS_RESP_create_response(rc, in);
    if (answer && (n = i2d_TS_RESP(answer, &der)) > 0)
        r = buf_append(resp, der, (size_t)n);
out:
    ASN1_OBJECT_free(policy);
    OPENSSL_free(der);
    OPENSSL_free(copy);
    TS_RESP_free(answer);
    BIO_free(in);
    TS_RESP_CTX_free(rc);
    return r;
}

#endif
