/* Private keys and certificates for signing: PKCS#12 files opened with a PIN, or PEM
 * key + certificate + chain files; plus the one raw signing primitive (a SHA-256 digest
 * signed with RSA PKCS#1 v1.5 or ECDSA) that the signer process and CMS code share. */
#ifndef QLVB_CRYPTO_KEYS_H
#define QLVB_CRYPTO_KEYS_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "util/buf.h"
#include "util/result.h"

#define KEYS_MAX_FILE (4u << 20) /* key, certificate and PKCS#12 files are small */

struct key_bundle {
    EVP_PKEY *key;          /* NULL when only certificates were loaded */
    X509 *cert;             /* the signer's certificate */
    STACK_OF(X509) * chain; /* CA certificates that came with it (never NULL after load) */
};

void key_bundle_init(struct key_bundle *kb);
/* Frees the key (OpenSSL cleanses private key material on free) and certificates. */
void key_bundle_release(struct key_bundle *kb);

/* Reads a whole file into out (RES_NOT_FOUND, RES_IO, RES_TOO_LARGE over max). */
result_t keys_read_file(const char *path, size_t max, struct buf *out);

/* PKCS#12 with a PIN: RES_FORBIDDEN for a wrong PIN, RES_INVALID for a damaged file. */
result_t keys_load_p12(const char *path, const char *pin, struct key_bundle *out);
result_t keys_load_p12_mem(const void *data, size_t len, const char *pin, struct key_bundle *out);
/* PEM private key (pass may be NULL), PEM certificate, optional PEM chain file. */
result_t keys_load_pem(const char *key_path, const char *pass, const char *cert_path,
                       const char *chain_path, struct key_bundle *out);
/* All certificates of a PEM (or DER) file, by cert_parse_certs (certstore.h), appended to *stack.
 */
result_t keys_load_certs_pem(const char *path, STACK_OF(X509) * *stack);

/* Signs a precomputed SHA-256 digest (32 bytes); *sig is xmalloc'ed. */
result_t keys_sign_digest(EVP_PKEY *key, const unsigned char *digest, size_t digest_len,
                          unsigned char **sig, size_t *sig_len);

#endif
