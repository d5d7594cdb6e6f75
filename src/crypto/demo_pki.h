/* The demonstration PKI of `qlvb init --demo` (issue 12): a root CA made fresh at every
 * init, named as a demo ("QLVB DEMO CA — không dùng thật"), and leaf certificates for
 * signing issued by it, each handed out as a PKCS#12 under a PIN. EC P-256 keys (the
 * signer and the CMS builder take ECDSA with SHA-256), generated with OpenSSL 3. The
 * keys exist only in memory here: the caller imports the PKCS#12 (sealed by the signer
 * process) and puts the root into the trust store. Never for anything but the demo. */
#ifndef QLVB_CRYPTO_DEMO_PKI_H
#define QLVB_CRYPTO_DEMO_PKI_H

#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "util/buf.h"
#include "util/result.h"

#define DEMO_PKI_CA_NAME "QLVB DEMO CA — không dùng thật"
#define DEMO_PKI_ORG     "QLVB DEMO — không dùng thật"

struct demo_pki {
    EVP_PKEY *key; /* the root's */
    X509 *root;
    uint64_t serial; /* of the last certificate issued */
};

void demo_pki_init(struct demo_pki *p);
/* A new self-signed root CA valid from an hour before `now` for 5 years. */
result_t demo_pki_make_root(struct demo_pki *p, int64_t now);
/* The root as PEM, appended to out. */
result_t demo_pki_root_pem(const struct demo_pki *p, struct buf *out);
/* The root's certificate revocation list, empty (nothing revoked), issued an hour
 * before `now` with its next update at the root's expiry, as PEM appended to out: with
 * it the verifier reports the demo's signatures as checked for revocation. */
result_t demo_pki_crl_pem(const struct demo_pki *p, int64_t now, struct buf *out);
/* A signing certificate (digitalSignature and nonRepudiation, not a CA) for a new key,
 * subject C=VN, O=org, OU=unit (may be NULL), CN=cn, valid from an hour before `now`
 * for 2 years, as a PKCS#12 (key, certificate and the root; AES-256-CBC, MAC SHA-256)
 * under pin, appended to out. */
result_t demo_pki_leaf_p12(struct demo_pki *p, const char *cn, const char *org, const char *unit,
                           const char *pin, int64_t now, struct buf *out);
/* Frees the root's key (OpenSSL cleanses it) and certificate. */
void demo_pki_release(struct demo_pki *p);

#endif
