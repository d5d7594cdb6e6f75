/* The demonstration PKI (demo_pki.h): certificates made with OpenSSL 3's X509 API, no
 * openssl command and no file. */
#include "crypto/demo_pki.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#define ROOT_DAYS 1826 /* 5 years */
#define LEAF_DAYS 730

void demo_pki_init(struct demo_pki *p)
{
    memset(p, 0, sizeof(*p));
}

void demo_pki_release(struct demo_pki *p)
{
    EVP_PKEY_free(p->key);
    X509_free(p->root);
    demo_pki_init(p);
}

static EVP_PKEY *new_key(void)
{
    return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

static int add_entry(X509_NAME *n, const char *field, const char *value)
{
    return !value || !*value ||
           X509_NAME_add_entry_by_txt(n, field, MBSTRING_UTF8, (const unsigned char *)value, -1, -1,
                                      0);
}

static int add_ext(X509 *issuer, X509 *x, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    int ok = ext && X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    return ok;
}

/* A certificate for key with the subject's fields, serial the next of p, validity from
 * an hour before now for `days`; signed by issuer_key (issuer NULL: self-signed). */
static X509 *make_cert(struct demo_pki *p, EVP_PKEY *key, const char *cn, const char *org,
                       const char *unit, int64_t now, long days, X509 *issuer, EVP_PKEY *issuer_key)
{
    X509 *x = X509_new();
    X509_NAME *n = X509_NAME_new();
    int ok = x && n && X509_set_version(x, X509_VERSION_3);
    /* A random 64-bit serial with a counter in its low bits: unique per root. */
    unsigned char rnd[8];
    ok = ok && RAND_bytes(rnd, sizeof(rnd)) == 1;
    uint64_t serial = 0;
    for (size_t i = 0; ok && i < sizeof(rnd); i++)
        serial = serial << 8 | rnd[i];
    serial = (serial & 0x3fffffffffff0000ull) | (++p->serial & 0xffff);
    ok = ok && ASN1_INTEGER_set_uint64(X509_get_serialNumber(x), serial);
    time_t t = (time_t)now;
    ok = ok && X509_time_adj_ex(X509_getm_notBefore(x), 0, -3600, &t);
    ok = ok && X509_time_adj_ex(X509_getm_notAfter(x), (int)days, 0, &t);
    ok = ok && add_entry(n, "C", "VN") && add_entry(n, "O", org) && add_entry(n, "OU", unit) &&
         add_entry(n, "CN", cn);
    ok = ok && X509_set_subject_name(x, n) &&
         X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n) &&
         X509_set_pubkey(x, key);
    X509 *by = issuer ? issuer : x;
    if (ok && !issuer)
        ok = add_ext(by, x, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
             add_ext(by, x, NID_key_usage, "critical,keyCertSign,cRLSign") &&
             add_ext(by, x, NID_subject_key_identifier, "hash");
    else if (ok)
        ok = add_ext(by, x, NID_basic_constraints, "critical,CA:FALSE") &&
             add_ext(by, x, NID_key_usage, "critical,digitalSignature,nonRepudiation") &&
             add_ext(by, x, NID_ext_key_usage, "emailProtection,1.3.6.1.4.1.311.10.3.12") &&
             add_ext(by, x, NID_subject_key_identifier, "hash") &&
             add_ext(by, x, NID_authority_key_identifier, "keyid:always");
    ok = ok && X509_sign(x, issuer_key, EVP_sha256()) > 0;
    X509_NAME_free(n);
    if (!ok) {
        X509_free(x);
        x = NULL;
    }
    return x;
}

result_t demo_pki_make_root(struct demo_pki *p, int64_t now)
{
    demo_pki_release(p);
    p->key = new_key();
    if (p->key)
        p->root = make_cert(p, p->key, DEMO_PKI_CA_NAME, DEMO_PKI_ORG, NULL, now, ROOT_DAYS, NULL,
                            p->key);
    ERR_clear_error();
    if (!p->root) {
        demo_pki_release(p);
        return RES_CRYPTO;
    }
    return RES_OK;
}

result_t demo_pki_root_pem(const struct demo_pki *p, struct buf *out)
{
    if (!p->root)
        return RES_INVALID;
    BIO *b = BIO_new(BIO_s_mem());
    result_t r = RES_CRYPTO;
    char *data = NULL;
    long len;
    if (b && PEM_write_bio_X509(b, p->root) && (len = BIO_get_mem_data(b, &data)) > 0)
        r = buf_append(out, data, (size_t)len);
    BIO_free(b);
    ERR_clear_error();
    return r;
}

result_t demo_pki_crl_pem(const struct demo_pki *p, int64_t now, struct buf *out)
{
    if (!p->root)
        return RES_INVALID;
    result_t r = RES_CRYPTO;
    X509_CRL *crl = X509_CRL_new();
    ASN1_TIME *last = ASN1_TIME_adj(NULL, (time_t)now, 0, -3600);
    ASN1_INTEGER *number = ASN1_INTEGER_new();
    BIO *b = BIO_new(BIO_s_mem());
    char *data = NULL;
    long len;
    int ok = crl && last && number && b && X509_CRL_set_version(crl, X509_CRL_VERSION_2) &&
             X509_CRL_set_issuer_name(crl, X509_get_subject_name(p->root)) &&
             X509_CRL_set1_lastUpdate(crl, last) &&
             X509_CRL_set1_nextUpdate(crl, X509_get0_notAfter(p->root)) &&
             ASN1_INTEGER_set(number, 1) &&
             X509_CRL_add1_ext_i2d(crl, NID_crl_number, number, 0, 0) &&
             X509_CRL_sign(crl, p->key, EVP_sha256()) > 0 && PEM_write_bio_X509_CRL(b, crl);
    if (ok && (len = BIO_get_mem_data(b, &data)) > 0)
        r = buf_append(out, data, (size_t)len);
    BIO_free(b);
    ASN1_INTEGER_free(number);
    ASN1_TIME_free(last);
    X509_CRL_free(crl);
    ERR_clear_error();
    return r;
}

result_t demo_pki_leaf_p12(struct demo_pki *p, const char *cn, const char *org, const char *unit,
                           const char *pin, int64_t now, struct buf *out)
{
    if (!p->root || !cn || !*cn || !pin)
        return RES_INVALID;
    result_t r = RES_CRYPTO;
    EVP_PKEY *key = new_key();
    X509 *cert = key ? make_cert(p, key, cn, org, unit, now, LEAF_DAYS, p->root, p->key) : NULL;
    STACK_OF(X509) *ca = sk_X509_new_null();
    PKCS12 *p12 = NULL;
    unsigned char *der = NULL;
    if (cert && ca && sk_X509_push(ca, p->root))
        p12 = PKCS12_create(pin, cn, key, cert, ca, NID_aes_256_cbc, NID_aes_256_cbc, 0, 0, 0);
    if (p12 && PKCS12_set_mac(p12, pin, -1, NULL, 0, 0, EVP_sha256()) == 1) {
        int len = i2d_PKCS12(p12, &der);
        if (len > 0)
            r = buf_append(out, der, (size_t)len);
    }
    OPENSSL_free(der);
    PKCS12_free(p12);
    sk_X509_free(ca); /* the root stays p's */
    X509_free(cert);
    EVP_PKEY_free(key);
    ERR_clear_error();
    return r;
}
