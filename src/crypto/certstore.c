/* Chain and revocation checks with OpenSSL's X509_STORE. Revocation is looked up in
 * our own CRL list (not X509_V_FLAG_CRL_CHECK) so a CRL issued after the signing time
 * can still answer "was this certificate revoked, and when". */
#include "crypto/certstore.h"

#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include "crypto/keys.h"

void certstore_init(struct certstore *cs)
{
    cs->store = X509_STORE_new();
    cs->intermediates = sk_X509_new_null();
    cs->crls = sk_X509_CRL_new_null();
    cs->roots = 0;
}

void certstore_release(struct certstore *cs)
{
    X509_STORE_free(cs->store);
    sk_X509_pop_free(cs->intermediates, X509_free);
    sk_X509_CRL_pop_free(cs->crls, X509_CRL_free);
    cs->store = NULL;
    cs->intermediates = NULL;
    cs->crls = NULL;
    cs->roots = 0;
}

static result_t add_cert(struct certstore *cs, X509 *x, int trusted)
{
    if (trusted) {
        if (!X509_STORE_add_cert(cs->store, x)) {
            ERR_clear_error(); /* a duplicate is not an error */
        } else {
            cs->roots++;
        }
        X509_free(x);
        return RES_OK;
    }
    if (!sk_X509_push(cs->intermediates, x)) {
        X509_free(x);
        return RES_INTERNAL;
    }
    return RES_OK;
}

static result_t add_file(struct certstore *cs, const char *path, int mode /* 1 trusted, 0
                                                                           intermediate, -1 auto */)
{
    STACK_OF(X509) *certs = NULL;
    result_t r = keys_load_certs_pem(path, &certs);
    while (r == RES_OK && sk_X509_num(certs) > 0) {
        X509 *x = sk_X509_shift(certs);
        int trusted = mode >= 0 ? mode : (X509_check_issued(x, x) == X509_V_OK);
        r = add_cert(cs, x, trusted);
    }
    sk_X509_pop_free(certs, X509_free);
    return r;
}

result_t certstore_add_trusted_file(struct certstore *cs, const char *path)
{
    return add_file(cs, path, 1);
}

result_t certstore_add_intermediates_file(struct certstore *cs, const char *path)
{
    return add_file(cs, path, 0);
}

result_t certstore_parse_crl(const void *data, size_t len, X509_CRL **out)
{
    const unsigned char *p = data;
    X509_CRL *crl = NULL;
    *out = NULL;
    if (!data || len == 0 || len > INT_MAX)
        return RES_INVALID;
    /* DER is a SEQUENCE (0x30) that fills the input; anything else is read as PEM. */
    if (p[0] == 0x30 && (crl = d2i_X509_CRL(NULL, &p, (long)len)) != NULL &&
        p != (const unsigned char *)data + len) {
        X509_CRL_free(crl);
        crl = NULL;
    }
    if (!crl) {
        BIO *b = BIO_new_mem_buf(data, (int)len);
        crl = b ? PEM_read_bio_X509_CRL(b, NULL, NULL, NULL) : NULL;
        BIO_free(b);
    }
    ERR_clear_error();
    *out = crl;
    return crl ? RES_OK : RES_INVALID;
}

result_t certstore_add_crl_file(struct certstore *cs, const char *path)
{
    struct buf b = BUF_INIT(KEYS_MAX_FILE);
    X509_CRL *crl = NULL;
    result_t r = keys_read_file(path, KEYS_MAX_FILE, &b);
    if (r == RES_OK)
        r = certstore_parse_crl(b.data, b.len, &crl);
    buf_release(&b);
    if (r != RES_OK)
        return r;
    if (!sk_X509_CRL_push(cs->crls, crl)) {
        X509_CRL_free(crl);
        return RES_INTERNAL;
    }
    return RES_OK;
}

result_t certstore_add_cert(struct certstore *cs, X509 *x, bool root)
{
    if (!x || !X509_up_ref(x))
        return RES_INTERNAL;
    return add_cert(cs, x, root);
}

result_t certstore_add_crl(struct certstore *cs, X509_CRL *crl)
{
    if (!crl || !X509_CRL_up_ref(crl))
        return RES_INTERNAL;
    if (!sk_X509_CRL_push(cs->crls, crl)) {
        X509_CRL_free(crl);
        return RES_INTERNAL;
    }
    return RES_OK;
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

result_t certstore_add_dir(struct certstore *cs, const char *dir)
{
    result_t r = RES_OK;
    struct dirent *e;
    DIR *d = opendir(dir);
    if (!d)
        return RES_NOT_FOUND;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        if (e->d_name[0] == '.')
            continue;
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
            continue;
        if (has_suffix(e->d_name, ".crl"))
            r = certstore_add_crl_file(cs, path);
        else if (has_suffix(e->d_name, ".pem") || has_suffix(e->d_name, ".crt") ||
                 has_suffix(e->d_name, ".cer")) {
            r = add_file(cs, path, -1);
            if (r == RES_INVALID) /* a PEM file holding a CRL, not certificates */
                r = certstore_add_crl_file(cs, path);
        }
        if (r != RES_OK)
            break;
    }
    closedir(d);
    return r;
}

int64_t cert_time_to_unix(const ASN1_TIME *t)
{
    struct tm tm;
    if (!t || !ASN1_TIME_to_tm(t, &tm))
        return INT64_MIN;
    return (int64_t)timegm(&tm);
}

static enum cert_status status_of(int err)
{
    switch (err) {
    case X509_V_OK:
        return CERT_OK;
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return CERT_EXPIRED;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return CERT_NOT_YET_VALID;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_CERT_UNTRUSTED:
        return CERT_UNTRUSTED;
    case X509_V_ERR_CERT_REVOKED:
        return CERT_REVOKED;
    default:
        return CERT_INVALID;
    }
}

/* Looks the chain's certificates up in the CRLs whose signature checks out. */
static void check_revocation(const struct certstore *cs, STACK_OF(X509) * chain,
                             struct cert_check *out)
{
    int n = sk_X509_num(chain);
    for (int i = 0; i + 1 < n; i++) {
        X509 *cert = sk_X509_value(chain, i), *issuer = sk_X509_value(chain, i + 1);
        for (int j = 0; j < sk_X509_CRL_num(cs->crls); j++) {
            X509_CRL *crl = sk_X509_CRL_value(cs->crls, j);
            X509_REVOKED *rev = NULL;
            if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(cert)) != 0)
                continue;
            if (X509_CRL_verify(crl, X509_get0_pubkey(issuer)) != 1) {
                ERR_clear_error();
                continue;
            }
            if (i == 0)
                out->revocation_checked = true;
            if (X509_CRL_get0_by_cert(crl, &rev, cert) == 1 && rev) {
                out->status = CERT_REVOKED;
                out->revoked_at = cert_time_to_unix(X509_REVOKED_get0_revocationDate(rev));
                snprintf(out->detail, sizeof(out->detail),
                         "certificate at depth %d revoked (CRL of its issuer)", i);
                return;
            }
        }
    }
}

result_t certstore_verify(const struct certstore *cs, X509 *leaf, STACK_OF(X509) * extra,
                          int64_t at, struct cert_check *out)
{
    result_t r = RES_INTERNAL;
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    STACK_OF(X509) *chain = NULL;
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();

    memset(out, 0, sizeof(*out));
    out->status = CERT_INVALID;
    if (!leaf || !ctx || !untrusted || !cs || !cs->store)
        goto out;
    out->not_before = cert_time_to_unix(X509_get0_notBefore(leaf));
    out->not_after = cert_time_to_unix(X509_get0_notAfter(leaf));
    for (int i = 0; extra && i < sk_X509_num(extra); i++)
        sk_X509_push(untrusted, sk_X509_value(extra, i));
    for (int i = 0; i < sk_X509_num(cs->intermediates); i++)
        sk_X509_push(untrusted, sk_X509_value(cs->intermediates, i));
    if (!X509_STORE_CTX_init(ctx, cs->store, leaf, untrusted))
        goto out;
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)at);
    if (X509_verify_cert(ctx) == 1) {
        out->status = CERT_OK;
    } else {
        out->x509_error = X509_STORE_CTX_get_error(ctx);
        out->status = status_of(out->x509_error);
    }
    snprintf(out->detail, sizeof(out->detail), "%s",
             X509_verify_cert_error_string(out->x509_error));
    chain = X509_STORE_CTX_get1_chain(ctx);
    if (chain)
        check_revocation(cs, chain, out);
    r = RES_OK;
out:
    ERR_clear_error();
    sk_X509_pop_free(chain, X509_free);
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted);
    return r;
}

const char *cert_status_name(enum cert_status s)
{
    switch (s) {
    case CERT_OK:
        return "ok";
    case CERT_UNTRUSTED:
        return "untrusted";
    case CERT_EXPIRED:
        return "expired";
    case CERT_NOT_YET_VALID:
        return "not_yet_valid";
    case CERT_REVOKED:
        return "revoked";
    case CERT_INVALID:
        break;
    }
    return "invalid";
}

const char *cert_status_text(enum cert_status s)
{
    switch (s) {
    case CERT_OK:
        return "Chứng thư số hợp lệ, tin cậy";
    case CERT_UNTRUSTED:
        return "Chứng thư số không thuộc tổ chức cung cấp dịch vụ tin cậy";
    case CERT_EXPIRED:
        return "Chứng thư số đã hết hạn tại thời điểm ký";
    case CERT_NOT_YET_VALID:
        return "Chứng thư số chưa có hiệu lực tại thời điểm ký";
    case CERT_REVOKED:
        return "Chứng thư số đã bị thu hồi";
    case CERT_INVALID:
        break;
    }
    return "Chứng thư số không hợp lệ";
}

void cert_name_entry(X509_NAME *n, int nid, char *out, size_t size)
{
    int i = n ? X509_NAME_get_index_by_NID(n, nid, -1) : -1;
    ASN1_STRING *s = i >= 0 ? X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i)) : NULL;
    unsigned char *utf8 = NULL;
    int len = s ? ASN1_STRING_to_UTF8(&utf8, s) : -1;
    snprintf(out, size, "%.*s", len > 0 ? len : 0, len > 0 ? (const char *)utf8 : "");
    OPENSSL_free(utf8);
}

void cert_serial_hex(X509 *x, char *out, size_t size)
{
    BIGNUM *bn = x ? ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL) : NULL;
    char *hex = bn ? BN_bn2hex(bn) : NULL;
    snprintf(out, size, "%s", hex ? hex : "");
    OPENSSL_free(hex);
    BN_free(bn);
}

result_t cert_parse_certs(const void *data, size_t len, int max, STACK_OF(X509) * *stack)
{
    const unsigned char *p = data;
    if (!data || len == 0 || len > INT_MAX)
        return RES_INVALID;
    STACK_OF(X509) *got = sk_X509_new_null();
    if (!got)
        return RES_INTERNAL;
    result_t r = RES_INVALID;
    X509 *x = NULL;
    ERR_clear_error();
    /* DER is a SEQUENCE (0x30) that fills the input; anything else is read as PEM. */
    if (p[0] == 0x30 && (x = d2i_X509(NULL, &p, (long)len)) != NULL &&
        p == (const unsigned char *)data + len) {
        r = max < 1 ? RES_TOO_LARGE : sk_X509_push(got, x) ? RES_OK : RES_INTERNAL;
        if (r != RES_OK)
            X509_free(x);
    } else {
        X509_free(x);
        ERR_clear_error();
        BIO *b = BIO_new_mem_buf(data, (int)len);
        bool stopped = false;
        while (b && (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
            if (sk_X509_num(got) >= max || !sk_X509_push(got, x)) {
                r = sk_X509_num(got) >= max ? RES_TOO_LARGE : RES_INTERNAL;
                X509_free(x);
                stopped = true;
                break;
            }
        }
        if (b && !stopped) {
            /* the loop must end at the end of the text, not at a damaged block */
            unsigned long err = ERR_peek_last_error();
            bool clean_end =
                ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE;
            r = clean_end && sk_X509_num(got) > 0 ? RES_OK : RES_INVALID;
        }
        BIO_free(b);
    }
    ERR_clear_error();
    if (r == RES_OK && !*stack && !(*stack = sk_X509_new_null()))
        r = RES_INTERNAL;
    while (r == RES_OK && sk_X509_num(got) > 0) {
        x = sk_X509_shift(got);
        if (!sk_X509_push(*stack, x)) {
            X509_free(x);
            r = RES_INTERNAL;
        }
    }
    sk_X509_pop_free(got, X509_free);
    return r;
}

/* Parsed chains of recently seen PEM texts (issue 12): OpenSSL 3.0 sets up a decoder
 * for the public key of every certificate it parses, which cost more than the RSA
 * signature itself when every signature parsed the key's stored chain again. Entries
 * are immutable X509 objects handed out with an extra reference, so callers free what
 * they get as before; least recently used goes first. */
#define PEM_CACHE_SLOTS 32
#define PEM_CACHE_MAX   (64 * 1024) /* longer texts are parsed every time */

static struct pem_cached {
    unsigned char id[32]; /* SHA-256 of the text */
    X509 *cert;
    STACK_OF(X509) * chain;
    uint64_t used; /* tick of the last use; 0: free slot */
} pem_cache[PEM_CACHE_SLOTS];
static uint64_t pem_tick;
static pthread_mutex_t pem_lock = PTHREAD_MUTEX_INITIALIZER;

/* A new stack of the chain's certificates, each with one more reference. */
static STACK_OF(X509) * chain_dup(STACK_OF(X509) * src)
{
    STACK_OF(X509) *dst = sk_X509_new_null();
    for (int i = 0; dst && i < sk_X509_num(src); i++) {
        X509 *x = sk_X509_value(src, i);
        if (!X509_up_ref(x) || !sk_X509_push(dst, x)) {
            sk_X509_pop_free(dst, X509_free);
            return NULL;
        }
    }
    return dst;
}

static bool pem_cache_get(const unsigned char id[32], X509 **cert, STACK_OF(X509) * *chain)
{
    bool hit = false;
    pthread_mutex_lock(&pem_lock);
    for (int i = 0; i < PEM_CACHE_SLOTS && !hit; i++) {
        struct pem_cached *e = &pem_cache[i];
        if (!e->used || memcmp(e->id, id, 32) != 0)
            continue;
        STACK_OF(X509) *c = chain_dup(e->chain);
        if (c && X509_up_ref(e->cert)) {
            e->used = ++pem_tick;
            *cert = e->cert;
            *chain = c;
            hit = true;
        } else {
            sk_X509_pop_free(c, X509_free);
        }
    }
    pthread_mutex_unlock(&pem_lock);
    return hit;
}

static void pem_cache_put(const unsigned char id[32], X509 *cert, STACK_OF(X509) * chain)
{
    STACK_OF(X509) *c = chain_dup(chain);
    if (!c || !X509_up_ref(cert)) {
        sk_X509_pop_free(c, X509_free);
        return;
    }
    pthread_mutex_lock(&pem_lock);
    struct pem_cached *e = &pem_cache[0];
    for (int i = 0; i < PEM_CACHE_SLOTS; i++) {
        if (pem_cache[i].used && memcmp(pem_cache[i].id, id, 32) == 0) {
            e = NULL; /* another thread was first */
            break;
        }
        if (pem_cache[i].used < e->used)
            e = &pem_cache[i];
    }
    if (e) {
        X509 *old_cert = e->cert;
        STACK_OF(X509) *old_chain = e->chain;
        memcpy(e->id, id, 32);
        e->cert = cert;
        e->chain = c;
        e->used = ++pem_tick;
        cert = old_cert;
        c = old_chain;
    }
    pthread_mutex_unlock(&pem_lock);
    X509_free(cert); /* the evicted entry's, or ours when not stored */
    sk_X509_pop_free(c, X509_free);
}

result_t cert_parse_pem_chain(const char *pem, X509 **cert, STACK_OF(X509) * *chain)
{
    unsigned char id[32];
    size_t len = pem ? strlen(pem) : 0;
    *cert = NULL;
    *chain = NULL;
    bool cacheable = len > 0 && len <= PEM_CACHE_MAX;
    if (cacheable) {
        SHA256((const unsigned char *)pem, len, id);
        if (pem_cache_get(id, cert, chain))
            return RES_OK;
    }
    result_t r = pem ? cert_parse_certs(pem, len, INT_MAX, chain) : RES_INVALID;
    if (!*chain)
        *chain = sk_X509_new_null();
    if (r == RES_OK)
        *cert = sk_X509_shift(*chain);
    if (*cert && *chain && cacheable)
        pem_cache_put(id, *cert, *chain);
    return *cert ? RES_OK : RES_INVALID;
}
