/* Signer process: certificates and signatures over the socketpair, wrong PIN and key
 * ids outside the key directory refused, the child gone after release. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "check.h"
#include "crypto/cms.h"
#include "crypto/keys.h"
#include "crypto/pki_fixture.h"
#include "crypto/signer.h"

TEST(signer_roundtrip)
{
    struct signer s;
    X509 *cert = NULL;
    STACK_OF(X509) *chain = NULL;
    unsigned char digest[32], *sig = NULL;
    size_t sig_len = 0;

    signer_init(&s);
    CHECK_INT(signer_start(&s, pki_dir()), RES_OK);
    CHECK_INT(signer_certs(&s, "person.p12", "123456", &cert, &chain), RES_OK);
    CHECK(cert != NULL);
    CHECK_INT(sk_X509_num(chain), 2);

    memset(digest, 7, sizeof(digest));
    CHECK_INT(signer_sign_digest(&s, "person.p12", "123456", digest, 32, &sig, &sig_len), RES_OK);
    CHECK_INT(sig_len, 256);
    /* The signature verifies with the certificate's public key. */
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new(X509_get0_pubkey(cert), NULL);
    CHECK(EVP_PKEY_verify_init(pctx) == 1);
    CHECK(EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha256()) == 1);
    CHECK_INT(EVP_PKEY_verify(pctx, sig, sig_len, digest, 32), 1);
    EVP_PKEY_CTX_free(pctx);
    free(sig);

    CHECK_INT(signer_sign_digest(&s, "person.p12", "000000", digest, 32, &sig, &sig_len),
              RES_FORBIDDEN);
    CHECK_INT(signer_sign_digest(&s, "../etc/passwd", "x", digest, 32, &sig, &sig_len),
              RES_FORBIDDEN);
    CHECK_INT(signer_sign_digest(&s, "nope.p12", "x", digest, 32, &sig, &sig_len), RES_NOT_FOUND);
    CHECK_INT(signer_sign_digest(&s, "person.p12", "123456", digest, 20, &sig, &sig_len),
              RES_INVALID);

    /* A whole CMS through the signer process, verified. */
    struct signer_key sk = {&s, "agency.p12", "123456"};
    X509 *acert;
    STACK_OF(X509) * achain;
    struct buf der = BUF_INIT(1 << 20);
    struct cms_check cc;
    struct cms_range range = {0, 5};
    EVP_Digest("hello", 5, digest, NULL, EVP_sha256(), NULL);
    CHECK_INT(signer_certs(&s, "agency.p12", "123456", &acert, &achain), RES_OK);
    CHECK_INT(cms_sign_digest(acert, achain, digest, signer_cms_sign, &sk, &der), RES_OK);
    cms_verify_detached((unsigned char *)der.data, der.len, (const unsigned char *)"hello", &range,
                        1, &cc);
    CHECK(cc.parsed && cc.digest_ok && cc.signature_ok && cc.ess_ok);
    cms_check_release(&cc);
    buf_release(&der);
    X509_free(acert);
    sk_X509_pop_free(achain, X509_free);

    /* A dead signer gives an I/O error, not a hang or a crash. */
    struct signer dead;
    signer_init(&dead);
    CHECK_INT(signer_start(&dead, pki_dir()), RES_OK);
    kill(dead.pid, SIGKILL);
    CHECK_INT(signer_sign_digest(&dead, "person.p12", "123456", digest, 32, &sig, &sig_len),
              RES_IO);
    signer_release(&dead);

    pid_t pid = s.pid;
    signer_release(&s);
    CHECK(kill(pid, 0) != 0); /* reaped */
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
}

TEST(signer_by_path)
{
    struct signer s;
    unsigned char digest[32] = {1}, *sig = NULL;
    size_t sig_len = 0;
    signer_init(&s);
    CHECK_INT(signer_start(&s, NULL), RES_OK);
    CHECK_INT(signer_sign_digest(&s, pki_path("revoked.p12"), "123456", digest, 32, &sig, &sig_len),
              RES_OK);
    free(sig);
    signer_release(&s);
}

int main(void)
{
    RUN(signer_roundtrip);
    RUN(signer_by_path);
    pki_cleanup();
    return CHECK_DONE("test_signer");
}
