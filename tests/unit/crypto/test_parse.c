/* The one certificate parser (cert_parse_certs) and the one CRL parser
 * (certstore_parse_crl) that the trust store, the trust cache, key files and stored
 * chains share: PEM with several blocks or DER, damaged or trailing input refused,
 * a maximum count, nothing appended on failure. */
#include <openssl/x509.h>
#include <stdlib.h>

#include "check.h"
#include "crypto/certstore.h"
#include "crypto/keys.h"
#include "pki_fixture.h"

static struct buf file_of(const char *name)
{
    struct buf b = BUF_INIT(KEYS_MAX_FILE);
    if (keys_read_file(pki_path(name), KEYS_MAX_FILE, &b) != RES_OK)
        fprintf(stderr, "cannot read %s\n", name);
    return b;
}

static void cn_of(X509 *x, char *out, size_t size)
{
    cert_name_entry(X509_get_subject_name(x), NID_commonName, out, size);
}

TEST(pem_blocks_and_der)
{
    struct buf chain = file_of("chain.pem");
    STACK_OF(X509) *st = NULL;
    CHECK_INT(cert_parse_certs(chain.data, chain.len, 10, &st), RES_OK);
    CHECK_INT(sk_X509_num(st), 2);
    /* appends to an existing stack */
    CHECK_INT(cert_parse_certs(chain.data, chain.len, 10, &st), RES_OK);
    CHECK_INT(sk_X509_num(st), 4);
    /* one DER certificate, exactly */
    unsigned char *der = NULL;
    int n = i2d_X509(sk_X509_value(st, 1), &der);
    CHECK(n > 0);
    STACK_OF(X509) *one = NULL;
    CHECK_INT(cert_parse_certs(der, (size_t)n, 1, &one), RES_OK);
    CHECK_INT(sk_X509_num(one), 1);
    CHECK_INT(X509_cmp(sk_X509_value(one, 0), sk_X509_value(st, 1)), 0);
    sk_X509_pop_free(one, X509_free);
    one = NULL;
    unsigned char *longer = malloc((size_t)n + 1);
    memcpy(longer, der, (size_t)n);
    longer[n] = 0;
    CHECK_INT(cert_parse_certs(longer, (size_t)n + 1, 1, &one), RES_INVALID);
    CHECK_INT(cert_parse_certs(der, (size_t)n - 1, 1, &one), RES_INVALID);
    CHECK(one == NULL);
    free(longer);
    OPENSSL_free(der);
    sk_X509_pop_free(st, X509_free);
    buf_release(&chain);
}

TEST(other_blocks_and_text_skipped)
{
    struct buf key = file_of("person.key"), cert = file_of("person.pem");
    struct buf all = BUF_INIT(KEYS_MAX_FILE);
    buf_puts(&all, "Người ký: chứng thư và khóa\n");
    buf_append(&all, key.data, key.len);
    buf_append(&all, cert.data, cert.len);
    buf_puts(&all, "end of file\n");
    STACK_OF(X509) *st = NULL;
    CHECK_INT(cert_parse_certs(all.data, all.len, 10, &st), RES_OK);
    CHECK_INT(sk_X509_num(st), 1);
    char cn[128];
    cn_of(sk_X509_value(st, 0), cn, sizeof(cn));
    CHECK(cn[0] != '\0');
    sk_X509_pop_free(st, X509_free);
    buf_release(&all);
    buf_release(&key);
    buf_release(&cert);
}

TEST(damaged_empty_and_too_many_refused)
{
    struct buf chain = file_of("chain.pem");
    STACK_OF(X509) *st = NULL;
    CHECK_INT(cert_parse_certs(chain.data, chain.len, 1, &st), RES_TOO_LARGE);
    CHECK(st == NULL);
    /* a damaged second block: the good first one is not taken alone */
    char *second = strstr(chain.data + 1, "-----BEGIN CERTIFICATE-----");
    CHECK(second != NULL);
    if (second)
        second[40] = second[40] == 'A' ? 'B' : 'A';
    second = second ? strstr(second, "\n") : NULL;
    if (second)
        memcpy(second + 1, "!!!!", 4);
    CHECK_INT(cert_parse_certs(chain.data, chain.len, 10, &st), RES_INVALID);
    CHECK(st == NULL);
    CHECK_INT(cert_parse_certs("", 0, 10, &st), RES_INVALID);
    CHECK_INT(cert_parse_certs("not a certificate", 17, 10, &st), RES_INVALID);
    CHECK_INT(cert_parse_certs("\x30\x03\x02\x01\x01", 5, 10, &st), RES_INVALID);
    CHECK(st == NULL);
    /* a CRL is not a certificate */
    struct buf crl = file_of("inter.crl.pem");
    CHECK_INT(cert_parse_certs(crl.data, crl.len, 10, &st), RES_INVALID);
    buf_release(&crl);
    CHECK_INT(keys_load_certs_pem(pki_path("no-such.pem"), &st), RES_NOT_FOUND);
    buf_release(&chain);
}

TEST(crls_pem_and_der)
{
    struct buf pem = file_of("inter.crl.pem");
    X509_CRL *crl = NULL;
    CHECK_INT(certstore_parse_crl(pem.data, pem.len, &crl), RES_OK);
    CHECK(crl != NULL);
    CHECK_INT(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)), 1);
    unsigned char *der = NULL;
    int n = i2d_X509_CRL(crl, &der);
    X509_CRL *again = NULL;
    CHECK_INT(certstore_parse_crl(der, (size_t)n, &again), RES_OK);
    CHECK_INT(X509_CRL_cmp(crl, again), 0);
    X509_CRL_free(again);
    CHECK_INT(certstore_parse_crl(der, (size_t)n - 1, &again), RES_INVALID);
    CHECK(again == NULL);
    OPENSSL_free(der);
    X509_CRL_free(crl);
    struct buf cert = file_of("root.pem");
    CHECK_INT(certstore_parse_crl(cert.data, cert.len, &crl), RES_INVALID);
    CHECK_INT(certstore_parse_crl("", 0, &crl), RES_INVALID);
    CHECK(crl == NULL);
    buf_release(&cert);
    buf_release(&pem);
}

TEST(stored_chain_text)
{
    struct buf chain = file_of("chain.pem");
    X509 *cert = NULL;
    STACK_OF(X509) *rest = NULL;
    CHECK_INT(cert_parse_pem_chain(chain.data, &cert, &rest), RES_OK);
    CHECK(cert != NULL);
    CHECK_INT(sk_X509_num(rest), 1);
    X509_free(cert);
    sk_X509_pop_free(rest, X509_free);
    CHECK_INT(cert_parse_pem_chain(NULL, &cert, &rest), RES_INVALID);
    CHECK(cert == NULL && rest != NULL);
    sk_X509_pop_free(rest, X509_free);
    buf_release(&chain);
}

/* Issue 12: a stored chain parsed again comes from the cache (the same certificates,
 * each with its own reference, so every caller frees what it got); a damaged text is
 * parsed, and refused, every time; another text is another chain. */
TEST(stored_chain_cached)
{
    struct buf chain = file_of("chain.pem"), person = file_of("person.pem");
    X509 *a = NULL, *b = NULL, *c = NULL;
    STACK_OF(X509) *ra = NULL, *rb = NULL, *rc = NULL;
    CHECK_INT(cert_parse_pem_chain(chain.data, &a, &ra), RES_OK);
    CHECK_INT(cert_parse_pem_chain(chain.data, &b, &rb), RES_OK);
    CHECK(a != NULL && a == b);
    CHECK(ra != rb && sk_X509_num(ra) == 1 && sk_X509_num(rb) == 1);
    CHECK(sk_X509_value(ra, 0) == sk_X509_value(rb, 0));
    X509_free(a);
    sk_X509_pop_free(ra, X509_free);
    char cn[128];
    cn_of(b, cn, sizeof(cn)); /* still alive: b holds its own reference */
    CHECK(cn[0] != '\0');
    CHECK_INT(cert_parse_pem_chain(person.data, &c, &rc), RES_OK);
    CHECK(c != NULL && c != b);
    X509_free(b);
    sk_X509_pop_free(rb, X509_free);
    X509_free(c);
    sk_X509_pop_free(rc, X509_free);
    /* a damaged copy: refused, twice */
    chain.data[100] = '!'; /* inside the first block's base64 */
    for (int i = 0; i < 2; i++) {
        CHECK_INT(cert_parse_pem_chain(chain.data, &a, &ra), RES_INVALID);
        CHECK(a == NULL);
        sk_X509_pop_free(ra, X509_free);
    }
    buf_release(&chain);
    buf_release(&person);
}

int main(void)
{
    RUN(pem_blocks_and_der);
    RUN(other_blocks_and_text_skipped);
    RUN(damaged_empty_and_too_many_refused);
    RUN(crls_pem_and_der);
    RUN(stored_chain_text);
    RUN(stored_chain_cached);
    pki_cleanup();
    return CHECK_DONE("test_parse");
}
