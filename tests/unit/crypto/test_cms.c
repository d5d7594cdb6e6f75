/* Keys, certificate store and CMS: PKCS#12 with PIN, chain/expiry/revocation verdicts,
 * detached CMS that OpenSSL's own `cms -verify` accepts. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "check.h"
#include "crypto/certstore.h"
#include "crypto/cms.h"
#include "crypto/keys.h"
#include "crypto/pki_fixture.h"
#include "crypto/tsa.h"
#include "crypto/tsa_fixture.h"
#include "util/alloc.h"

static result_t sign_with_key(void *arg, const unsigned char digest[32], unsigned char **sig,
                              size_t *sig_len)
{
    return keys_sign_digest(arg, digest, 32, sig, sig_len);
}

TEST(p12_pin)
{
    struct key_bundle kb;
    CHECK_INT(keys_load_p12(pki_path("person.p12"), "wrong", &kb), RES_FORBIDDEN);
    CHECK(kb.key == NULL);
    CHECK_INT(keys_load_p12(pki_path("person.p12"), "123456", &kb), RES_OK);
    CHECK(kb.key != NULL && kb.cert != NULL);
    CHECK_INT(sk_X509_num(kb.chain), 2);
    key_bundle_release(&kb);
    CHECK_INT(keys_load_p12(pki_path("missing.p12"), "123456", &kb), RES_NOT_FOUND);
    CHECK_INT(keys_load_pem(pki_path("person.key"), NULL, pki_path("person.pem"),
                            pki_path("chain.pem"), &kb),
              RES_OK);
    CHECK_INT(sk_X509_num(kb.chain), 2);
    key_bundle_release(&kb);
    CHECK_INT(keys_load_pem(pki_path("agency.key"), NULL, pki_path("person.pem"), NULL, &kb),
              RES_INVALID);
}

static enum cert_status status_of(const char *p12, int with_crl, int64_t at)
{
    struct certstore cs;
    struct key_bundle kb;
    struct cert_check cc;
    certstore_init(&cs);
    CHECK_INT(certstore_add_dir(&cs, pki_path("trust")), RES_OK);
    if (with_crl)
        CHECK_INT(certstore_add_crl_file(&cs, pki_path("inter.crl.pem")), RES_OK);
    CHECK_INT(keys_load_p12(pki_path(p12), "123456", &kb), RES_OK);
    CHECK_INT(certstore_verify(&cs, kb.cert, kb.chain, at, &cc), RES_OK);
    if (with_crl && strcmp(p12, "stranger.p12") != 0)
        CHECK(cc.revocation_checked);
    key_bundle_release(&kb);
    certstore_release(&cs);
    return cc.status;
}

TEST(chain_verdicts)
{
    int64_t now = time(NULL);
    CHECK_INT(status_of("person.p12", 1, now), CERT_OK);
    CHECK_INT(status_of("agency.p12", 1, now), CERT_OK);
    CHECK_INT(status_of("expired.p12", 1, now), CERT_EXPIRED);
    CHECK_INT(status_of("revoked.p12", 1, now), CERT_REVOKED);
    CHECK_INT(status_of("revoked.p12", 0, now), CERT_OK); /* no CRL, no knowledge */
    CHECK_INT(status_of("stranger.p12", 1, now), CERT_UNTRUSTED);
    CHECK_INT(status_of("person.p12", 0, now - 86400 * 400), CERT_NOT_YET_VALID);
    CHECK_STR(cert_status_name(CERT_REVOKED), "revoked");

    /* A directory with roots, an intermediate and a CRL in PEM. */
    struct certstore cs;
    struct key_bundle kb;
    struct cert_check cc;
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "mkdir -p %s/dir && cp %s %s %s %s/dir/", pki_dir(),
             pki_path("root.pem"), pki_path("inter.pem"), pki_path("inter.crl.pem"), pki_dir());
    CHECK_INT(system(cmd), 0);
    certstore_init(&cs);
    CHECK_INT(certstore_add_dir(&cs, pki_path("dir")), RES_OK);
    CHECK_INT(cs.roots, 1);
    CHECK_INT(sk_X509_num(cs.intermediates), 1);
    CHECK_INT(sk_X509_CRL_num(cs.crls), 1);
    CHECK_INT(keys_load_p12(pki_path("revoked.p12"), "123456", &kb), RES_OK);
    CHECK_INT(certstore_verify(&cs, kb.cert, NULL, now, &cc), RES_OK);
    CHECK_INT(cc.status, CERT_REVOKED);
    CHECK(cc.revoked_at > now - 3600 && cc.revoked_at <= now);
    key_bundle_release(&kb);
    certstore_release(&cs);
}

TEST(cms_roundtrip_and_openssl_accepts)
{
    struct key_bundle kb;
    struct buf der = BUF_INIT(1 << 20);
    struct cms_check cc;
    const char *content = "Nội dung văn bản cần ký";
    unsigned char digest[32];
    struct cms_range range = {0, strlen(content)};

    CHECK_INT(keys_load_p12(pki_path("person.p12"), "123456", &kb), RES_OK);
    EVP_Digest(content, strlen(content), digest, NULL, EVP_sha256(), NULL);
    CHECK_INT(cms_sign_digest(kb.cert, kb.chain, digest, sign_with_key, kb.key, &der), RES_OK);
    CHECK(der.len > 1000 && der.len <= cms_max_size(kb.cert, kb.chain));

    CHECK_INT(cms_verify_detached((unsigned char *)der.data, der.len,
                                  (const unsigned char *)content, &range, 1, &cc),
              RES_OK);
    CHECK(cc.parsed && cc.digest_ok && cc.signature_ok && cc.has_ess && cc.ess_ok);
    CHECK_STR(cc.digest_name, "SHA256");
    CHECK(cc.signing_time == INT64_MIN);
    cms_check_release(&cc);

    /* A changed content: signature over attributes still fine, digest not. */
    struct cms_range shorter = {0, strlen(content) - 1};
    cms_verify_detached((unsigned char *)der.data, der.len, (const unsigned char *)content,
                        &shorter, 1, &cc);
    CHECK(cc.parsed && !cc.digest_ok && cc.signature_ok);
    cms_check_release(&cc);

    /* OpenSSL's command line agrees. */
    FILE *f = fopen(pki_path("t.cms"), "wb");
    fwrite(der.data, 1, der.len, f);
    fclose(f);
    f = fopen(pki_path("t.txt"), "wb");
    fwrite(content, 1, strlen(content), f);
    fclose(f);
    char cmd[1024];
    snprintf(cmd, sizeof(cmd),
             "openssl cms -verify -binary -inform DER -in %s -content %s -CAfile %s "
             "-purpose any -out /dev/null 2>/dev/null",
             pki_path("t.cms"), pki_path("t.txt"), pki_path("root.pem"));
    CHECK_INT(system(cmd), 0);

    /* Garbage is refused, not crashed on. */
    cms_verify_detached((const unsigned char *)"\x30\x03\x02\x01\x01", 5,
                        (const unsigned char *)content, &range, 1, &cc);
    CHECK(!cc.parsed);
    cms_check_release(&cc);
    buf_release(&der);
    key_bundle_release(&kb);
}

TEST(timestamp_roundtrip)
{
    struct key_bundle kb;
    struct test_tsa tsa = {0};
    struct certstore cs;
    struct tsa_check tc;
    struct buf der = BUF_INIT(1 << 20);
    struct cms_check cc;
    unsigned char digest[32];
    struct cms_range range = {0, 5};
    int64_t now = time(NULL);

    CHECK_INT(keys_load_p12(pki_path("person.p12"), "123456", &kb), RES_OK);
    CHECK_INT(keys_load_p12(pki_path("tsa.p12"), "123456", &tsa.kb), RES_OK);
    certstore_init(&cs);
    CHECK_INT(certstore_add_trusted_file(&cs, pki_path("root.pem")), RES_OK);
    EVP_Digest("hello", 5, digest, NULL, EVP_sha256(), NULL);
    CHECK_INT(cms_sign_digest(kb.cert, kb.chain, digest, sign_with_key, kb.key, &der), RES_OK);
    tsa_verify_cms((unsigned char *)der.data, der.len, &cs, &tc);
    CHECK(!tc.present);
    CHECK_INT(tsa_timestamp_cms(&der, test_tsa_answer, &tsa), RES_OK);
    CHECK_INT(tsa.calls, 1);
    tsa_verify_cms((unsigned char *)der.data, der.len, &cs, &tc);
    CHECK(tc.present && tc.valid);
    CHECK(tc.time >= now - 5 && tc.time <= now + 5);
    CHECK_STR(tc.tsa_name, "QLVB Test Time-Stamping Authority");
    /* The signature itself is untouched by the unsigned attribute. */
    cms_verify_detached((unsigned char *)der.data, der.len, (const unsigned char *)"hello", &range,
                        1, &cc);
    CHECK(cc.digest_ok && cc.signature_ok);
    cms_check_release(&cc);
    /* Untrusted TSA root: present, not valid. */
    struct certstore empty;
    certstore_init(&empty);
    tsa_verify_cms((unsigned char *)der.data, der.len, &empty, &tc);
    CHECK(tc.present && !tc.valid);
    certstore_release(&empty);
    /* A TSA answering for another imprint is refused. */
    buf_reset(&der);
    CHECK_INT(cms_sign_digest(kb.cert, kb.chain, digest, sign_with_key, kb.key, &der), RES_OK);
    tsa.corrupt = 1;
    CHECK_INT(tsa_timestamp_cms(&der, test_tsa_answer, &tsa), RES_CRYPTO);
    buf_release(&der);
    certstore_release(&cs);
    key_bundle_release(&tsa.kb);
    key_bundle_release(&kb);
}

int main(void)
{
    RUN(p12_pin);
    RUN(chain_verdicts);
    RUN(cms_roundtrip_and_openssl_accepts);
    RUN(timestamp_roundtrip);
    pki_cleanup();
    return CHECK_DONE("test_cms");
}
