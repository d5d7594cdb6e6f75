/* Loading signing keys and certificates (PKCS#12, PEM) and the raw digest-signing
 * primitive. Buffers that held a PIN or key bytes are wiped before they are freed. */
#include "crypto/keys.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>

#include "crypto/certstore.h"
#include "util/alloc.h"

void key_bundle_init(struct key_bundle *kb)
{
    kb->key = NULL;
    kb->cert = NULL;
    kb->chain = NULL;
}

void key_bundle_release(struct key_bundle *kb)
{
    EVP_PKEY_free(kb->key);
    X509_free(kb->cert);
    sk_X509_pop_free(kb->chain, X509_free);
    key_bundle_init(kb);
}

result_t keys_read_file(const char *path, size_t max, struct buf *out)
{
    result_t r = RES_OK;
    char chunk[8192];
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? RES_NOT_FOUND : RES_IO;
    buf_init(out, max);
    for (;;) {
        size_t n = fread(chunk, 1, sizeof(chunk), f);
        if (n > 0 && (r = buf_append(out, chunk, n)) != RES_OK)
            goto out;
        if (n < sizeof(chunk)) {
            if (ferror(f))
                r = RES_IO;
            break;
        }
    }
out:
    secure_wipe(chunk, sizeof(chunk));
    fclose(f);
    if (r != RES_OK)
        buf_release(out);
    return r;
}

result_t keys_load_p12_mem(const void *data, size_t len, const char *pin, struct key_bundle *out)
{
    result_t r = RES_INVALID;
    const unsigned char *p = data;
    PKCS12 *p12 = NULL;

    key_bundle_init(out);
    if (len > KEYS_MAX_FILE)
        return RES_TOO_LARGE;
    p12 = d2i_PKCS12(NULL, &p, (long)len);
    if (!p12)
        goto out;
    if (PKCS12_mac_present(p12) && !PKCS12_verify_mac(p12, pin ? pin : "", -1)) {
        r = RES_FORBIDDEN;
        goto out;
    }
    if (!PKCS12_parse(p12, pin ? pin : "", &out->key, &out->cert, &out->chain) || !out->cert) {
        r = RES_FORBIDDEN;
        goto out;
    }
    if (!out->chain)
        out->chain = sk_X509_new_null();
    r = RES_OK;
out:
    PKCS12_free(p12);
    ERR_clear_error();
    if (r != RES_OK)
        key_bundle_release(out);
    return r;
}

result_t keys_load_p12(const char *path, const char *pin, struct key_bundle *out)
{
    struct buf b;
    key_bundle_init(out);
    result_t r = keys_read_file(path, KEYS_MAX_FILE, &b);
    if (r != RES_OK)
        return r;
    r = keys_load_p12_mem(b.data, b.len, pin, out);
    secure_wipe(b.data, b.len);
    buf_release(&b);
    return r;
}

result_t keys_load_certs_pem(const char *path, STACK_OF(X509) * *stack)
{
    struct buf b = BUF_INIT(KEYS_MAX_FILE);
    result_t r = keys_read_file(path, KEYS_MAX_FILE, &b);
    if (r == RES_OK)
        r = cert_parse_certs(b.data, b.len, INT_MAX, stack);
    buf_release(&b);
    return r;
}

result_t keys_load_pem(const char *key_path, const char *pass, const char *cert_path,
                       const char *chain_path, struct key_bundle *out)
{
    result_t r = RES_INVALID;
    STACK_OF(X509) *certs = NULL;
    BIO *bio = NULL;

    key_bundle_init(out);
    bio = BIO_new_file(key_path, "r");
    if (!bio) {
        r = RES_NOT_FOUND;
        goto out;
    }
    out->key = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)(pass ? pass : ""));
    if (!out->key) {
        r = RES_FORBIDDEN;
        goto out;
    }
    if ((r = keys_load_certs_pem(cert_path, &certs)) != RES_OK)
        goto out;
    out->cert = sk_X509_shift(certs);
    out->chain = certs; /* any further certificates of the file are chain */
    certs = NULL;
    if (chain_path && (r = keys_load_certs_pem(chain_path, &out->chain)) != RES_OK)
        goto out;
    if (!X509_check_private_key(out->cert, out->key)) {
        r = RES_INVALID;
        goto out;
    }
    r = RES_OK;
out:
    ERR_clear_error();
    BIO_free(bio);
    sk_X509_pop_free(certs, X509_free);
    if (r != RES_OK)
        key_bundle_release(out);
    return r;
}

result_t keys_sign_digest(EVP_PKEY *key, const unsigned char *digest, size_t digest_len,
                          unsigned char **sig, size_t *sig_len)
{
    result_t r = RES_CRYPTO;
    EVP_PKEY_CTX *pctx = NULL;
    size_t n = 0;

    *sig = NULL;
    *sig_len = 0;
    if (!key || digest_len != 32)
        return RES_INVALID;
    pctx = EVP_PKEY_CTX_new(key, NULL);
    if (!pctx || EVP_PKEY_sign_init(pctx) <= 0)
        goto out;
    if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA &&
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0)
        goto out;
    if (EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha256()) <= 0)
        goto out;
    if (EVP_PKEY_sign(pctx, NULL, &n, digest, digest_len) <= 0)
        goto out;
    *sig = xmalloc(n);
    if (EVP_PKEY_sign(pctx, *sig, &n, digest, digest_len) <= 0) {
        free(*sig);
        *sig = NULL;
        goto out;
    }
    *sig_len = n;
    r = RES_OK;
out:
    ERR_clear_error();
    EVP_PKEY_CTX_free(pctx);
    return r;
}
