/* The demo PKI (crypto/demo_pki.c): a root named as a demo, CA:TRUE; leaves that chain to
 * it, open with their PIN only, carry the Vietnamese names as UTF-8 and sign; the root's
 * CRL verifies and lists nothing; every root is new. */
#include <string.h>

#include <openssl/x509v3.h>

#include "check.h"
#include "crypto/certstore.h"
#include "crypto/demo_pki.h"
#include "crypto/keys.h"

static const int64_t NOW = 1796284800; /* 2026-12-03 */

static X509 *root_of(const struct buf *pem)
{
    STACK_OF(X509) *certs = NULL;
    X509 *x = NULL;
    if (cert_parse_certs(pem->data, pem->len, 4, &certs) == RES_OK && sk_X509_num(certs) == 1)
        x = X509_dup(sk_X509_value(certs, 0));
    sk_X509_pop_free(certs, X509_free);
    return x;
}

TEST(root_leaf_and_crl)
{
    struct demo_pki p;
    demo_pki_init(&p);
    CHECK_INT(demo_pki_leaf_p12(&p, "x", "y", NULL, "123456", NOW, &(struct buf)BUF_INIT(1024)),
              RES_INVALID); /* no root yet */
    CHECK_INT(demo_pki_make_root(&p, NOW), RES_OK);
    struct buf pem = BUF_INIT(64 * 1024), crl_pem = BUF_INIT(64 * 1024), p12 = BUF_INIT(256 * 1024);
    CHECK_INT(demo_pki_root_pem(&p, &pem), RES_OK);
    CHECK_INT(demo_pki_crl_pem(&p, NOW, &crl_pem), RES_OK);
    CHECK_INT(demo_pki_leaf_p12(&p, "Bùi Văn Long", "Sở Khoa học và Công nghệ", DEMO_PKI_ORG,
                                "123456", NOW, &p12),
              RES_OK);
    X509 *root = root_of(&pem);
    CHECK(root != NULL);
    char cn[256];
    cert_name_entry(X509_get_subject_name(root), NID_commonName, cn, sizeof(cn));
    CHECK_STR(cn, "QLVB DEMO CA — không dùng thật");
    CHECK(X509_check_ca(root) == 1);
    CHECK(X509_check_issued(root, root) == X509_V_OK);

    /* The PKCS#12 opens with its PIN only; the key signs (ECDSA P-256). */
    struct key_bundle kb;
    key_bundle_init(&kb);
    CHECK_INT(keys_load_p12_mem(p12.data, p12.len, "000000", &kb), RES_FORBIDDEN);
    key_bundle_release(&kb);
    key_bundle_init(&kb);
    CHECK_INT(keys_load_p12_mem(p12.data, p12.len, "123456", &kb), RES_OK);
    CHECK(kb.key && kb.cert);
    CHECK_INT(EVP_PKEY_get_base_id(kb.key), EVP_PKEY_EC);
    cert_name_entry(X509_get_subject_name(kb.cert), NID_commonName, cn, sizeof(cn));
    CHECK_STR(cn, "Bùi Văn Long");
    cert_name_entry(X509_get_subject_name(kb.cert), NID_organizationName, cn, sizeof(cn));
    CHECK_STR(cn, "Sở Khoa học và Công nghệ");
    CHECK(X509_check_ca(kb.cert) == 0);
    CHECK((X509_get_key_usage(kb.cert) & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) ==
          (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION));
    CHECK(ASN1_INTEGER_cmp(X509_get0_serialNumber(kb.cert), X509_get0_serialNumber(root)) != 0);
    unsigned char digest[32] = {1, 2, 3}, *sig = NULL;
    size_t sig_len = 0;
    CHECK_INT(keys_sign_digest(kb.key, digest, sizeof(digest), &sig, &sig_len), RES_OK);
    CHECK(sig_len > 0);
    free(sig);

    /* It chains to the root, valid now and not a year before; the CRL lists nothing. */
    struct certstore cs;
    certstore_init(&cs);
    CHECK_INT(certstore_add_cert(&cs, root, true), RES_OK);
    X509_CRL *crl = NULL;
    CHECK_INT(certstore_parse_crl(crl_pem.data, crl_pem.len, &crl), RES_OK);
    CHECK(crl && X509_CRL_verify(crl, X509_get0_pubkey(root)) == 1);
    CHECK(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)) <= 0);
    CHECK_INT(certstore_add_crl(&cs, crl), RES_OK);
    struct cert_check cc;
    CHECK_INT(certstore_verify(&cs, kb.cert, kb.chain, NOW, &cc), RES_OK);
    CHECK_INT(cc.status, CERT_OK);
    CHECK(cc.revocation_checked);
    CHECK_INT(certstore_verify(&cs, kb.cert, kb.chain, NOW - 365 * 86400, &cc), RES_OK);
    CHECK_INT(cc.status, CERT_NOT_YET_VALID);

    /* Another root: another key, so its leaves are not trusted by this store. */
    struct demo_pki q;
    demo_pki_init(&q);
    CHECK_INT(demo_pki_make_root(&q, NOW), RES_OK);
    struct buf other = BUF_INIT(256 * 1024);
    CHECK_INT(demo_pki_leaf_p12(&q, "Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ",
                                DEMO_PKI_ORG, "123456", NOW, &other),
              RES_OK);
    struct key_bundle ob;
    key_bundle_init(&ob);
    CHECK_INT(keys_load_p12_mem(other.data, other.len, "123456", &ob), RES_OK);
    CHECK_INT(certstore_verify(&cs, ob.cert, NULL, NOW, &cc), RES_OK);
    CHECK_INT(cc.status, CERT_UNTRUSTED);

    key_bundle_release(&ob);
    key_bundle_release(&kb);
    certstore_release(&cs);
    X509_CRL_free(crl);
    X509_free(root);
    demo_pki_release(&q);
    demo_pki_release(&p);
    buf_release(&other);
    buf_release(&pem);
    buf_release(&crl_pem);
    buf_release(&p12);
}

int main(void)
{
    RUN(root_leaf_and_crl);
    return CHECK_DONE("test_demo_pki");
}
