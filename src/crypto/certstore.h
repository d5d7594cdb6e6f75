/* Trust anchors, intermediate certificates and CRLs, and the one question asked of
 * them: does this certificate chain to a trusted root at a given time, and is any
 * certificate of the chain revoked? Answers are precise (untrusted/expired/revoked). */
#ifndef QLVB_CRYPTO_CERTSTORE_H
#define QLVB_CRYPTO_CERTSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "util/result.h"

struct certstore {
    X509_STORE *store;              /* trusted roots */
    STACK_OF(X509) * intermediates; /* untrusted CA certificates offered for chain building */
    STACK_OF(X509_CRL) * crls;
    int roots;
};

enum cert_status {
    CERT_OK = 0,
    CERT_UNTRUSTED,     /* no chain to a trusted root */
    CERT_EXPIRED,       /* a certificate of the chain had expired at the time checked */
    CERT_NOT_YET_VALID, /* ... or was not yet valid */
    CERT_REVOKED,       /* listed in a CRL of its issuer */
    CERT_INVALID,       /* broken chain: bad signature, not a CA, wrong usage, ... */
};

struct cert_check {
    enum cert_status status;
    int x509_error;                /* OpenSSL X509_V_ERR_* of the chain check, 0 when none */
    bool revocation_checked;       /* a valid CRL of the leaf's issuer was available */
    int64_t revoked_at;            /* unix time of revocation, when revoked */
    int64_t not_before, not_after; /* of the leaf */
    char detail[200];              /* English, for logs */
};

void certstore_init(struct certstore *cs);
void certstore_release(struct certstore *cs);
/* Every certificate of a PEM file becomes a trusted root. */
result_t certstore_add_trusted_file(struct certstore *cs, const char *path);
/* Every certificate of a PEM file is offered as an intermediate. */
result_t certstore_add_intermediates_file(struct certstore *cs, const char *path);
/* *.pem, *.crt, *.cer files of a directory: self-signed certificates become trusted
 * roots, the others intermediates; *.crl files and PEM files holding a CRL are CRLs. */
result_t certstore_add_dir(struct certstore *cs, const char *dir);
/* A PEM (or DER) CRL file, read by certstore_parse_crl. */
result_t certstore_add_crl_file(struct certstore *cs, const char *path);
/* The one CRL parser: one DER CRL (exactly len bytes) or the first X509 CRL block of PEM
 * text. RES_INVALID for anything else; *out is the caller's to free. */
result_t certstore_parse_crl(const void *data, size_t len, X509_CRL **out);
/* In-memory additions (the trust store kept in the database): the store takes its own
 * reference, the caller keeps theirs. root: trusted anchor, else an intermediate. */
result_t certstore_add_cert(struct certstore *cs, X509 *x, bool root);
result_t certstore_add_crl(struct certstore *cs, X509_CRL *crl);

/* Checks leaf (with extra untrusted certificates, e.g. from a CMS) at unix time `at`.
 * Returns RES_OK when the check ran (the verdict is in out->status). */
result_t certstore_verify(const struct certstore *cs, X509 *leaf, STACK_OF(X509) * extra,
                          int64_t at, struct cert_check *out);

const char *cert_status_name(enum cert_status s); /* "ok", "untrusted", ... */
const char *cert_status_text(enum cert_status s); /* Vietnamese, for users */

/* One attribute of a name (NID_commonName, NID_organizationName, ...) as UTF-8 into
 * out ("" when absent). */
void cert_name_entry(X509_NAME *name, int nid, char *out, size_t size);
/* The certificate's serial number in upper-case hex ("" when unreadable). */
void cert_serial_hex(X509 *x, char *out, size_t size);
/* The one certificate parser: every certificate of PEM text (CERTIFICATE blocks; other
 * blocks and text around them are skipped, but a damaged block is an error) or one DER
 * certificate (exactly len bytes). Appends them to *stack (created when NULL) only when
 * the whole input is good: RES_INVALID when it holds no certificate or is damaged,
 * RES_TOO_LARGE when it holds more than max. */
result_t cert_parse_certs(const void *data, size_t len, int max, STACK_OF(X509) * *stack);
/* Every certificate of PEM text (cert_parse_certs): the first into *cert, the rest
 * into *chain (created). RES_INVALID when there is none or the text is damaged; the
 * caller frees both in every case. Recently parsed texts (32, up to 64 KB each) come
 * from a cache: the same X509 objects with one more reference each, so they must be
 * treated as read-only (issue 12). */
result_t cert_parse_pem_chain(const char *pem, X509 **cert, STACK_OF(X509) * *chain);

/* X509 time as unix seconds (INT64_MIN when unparseable). */
int64_t cert_time_to_unix(const ASN1_TIME *t);

#endif
