/* Detached CMS SignedData (RFC 5652) as PDF signatures carry it: SHA-256, signer
 * certificate and chain embedded, ESS signing-certificate-v2, no signing-time attribute
 * (the PDF /M entry carries the time). Signing is split so the private key is never
 * needed here: cms_prepare() yields the digest of the signed attributes, whoever holds
 * the key signs it (keys_sign_digest, the signer process, or a remote client), and
 * cms_finish() assembles the DER. Verification checks content digest and signature. */
#ifndef QLVB_CRYPTO_CMS_H
#define QLVB_CRYPTO_CMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/cms.h>
#include <openssl/x509.h>

#include "util/buf.h"
#include "util/result.h"

/* Signs a SHA-256 digest with the signer's key: *sig is xmalloc'ed. */
typedef result_t (*cms_sign_fn)(void *arg, const unsigned char digest[32], unsigned char **sig,
                                size_t *sig_len);

struct cms_prepared {
    CMS_ContentInfo *cms;
    CMS_SignerInfo *si;             /* owned by cms */
    unsigned char attrs_digest[32]; /* SHA-256 of the DER signed attributes: the value to sign */
};

void cms_prepared_init(struct cms_prepared *p);
void cms_prepared_release(struct cms_prepared *p);
/* The same inputs always give the same attrs_digest (no time or randomness), so a
 * two-step signer may prepare again at finish time instead of keeping state. */
result_t cms_prepare(struct cms_prepared *p, X509 *cert, STACK_OF(X509) * chain,
                     const unsigned char content_digest[32]);
result_t cms_finish(struct cms_prepared *p, const unsigned char *sig, size_t sig_len,
                    struct buf *der);
/* prepare + sign() + finish in one call. */
result_t cms_sign_digest(X509 *cert, STACK_OF(X509) * chain, const unsigned char content_digest[32],
                         cms_sign_fn sign, void *arg, struct buf *der);
/* Upper bound of the DER size cms_finish() produces for these certificates. */
size_t cms_max_size(X509 *cert, STACK_OF(X509) * chain);

struct cms_range {
    size_t offset, length;
};

struct cms_check {
    X509 *signer;           /* owned reference; NULL when not embedded */
    STACK_OF(X509) * certs; /* every certificate the CMS carries (owned) */
    bool parsed;            /* DER is a CMS SignedData with one signer */
    bool digest_ok;         /* content digest matches messageDigest */
    bool signature_ok;      /* signature over the signed attributes verifies */
    bool has_ess;           /* signing-certificate(-v2) attribute present */
    bool ess_ok;            /* ... and it names the signer certificate */
    int64_t signing_time;   /* signingTime attribute, INT64_MIN when absent */
    char digest_name[24];
    char error[160]; /* English, when !parsed */
};

void cms_check_init(struct cms_check *c);
void cms_check_release(struct cms_check *c);
/* The signed content is the concatenation of the ranges of data (bounds already checked
 * by the caller). Returns RES_OK when the check ran; the verdict is in *out. */
result_t cms_verify_detached(const unsigned char *der, size_t der_len, const unsigned char *data,
                             const struct cms_range *ranges, size_t nranges, struct cms_check *out);

#endif
