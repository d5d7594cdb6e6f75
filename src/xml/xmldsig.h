/* XML-DSig over xmlsec1-openssl, shared by edXML and other signed XML: enveloped
 * RSA-SHA256 signing with X.509 data, and hardened verification (allow-listed
 * algorithms, one same-document reference covering the whole document, X.509 key info
 * only, no network). Trust in the signer is decided later, from the returned cert. */
#ifndef QLVB_XMLDSIG_H
#define QLVB_XMLDSIG_H

#include <libxml/tree.h>
#include <openssl/x509.h>
#include <stdbool.h>

#include "util/buf.h"
#include "util/result.h"

#define XMLDSIG_NS "http://www.w3.org/2000/09/xmldsig#"

/* A private key with its certificate (and chain, from PKCS#12). */
struct xmldsig_key;

/* PEM key (password may be NULL) and PEM certificate. */
result_t xmldsig_key_load_pem(struct xmldsig_key **out, const char *key_path, const char *cert_path,
                              const char *password, char *why, size_t whysize);
result_t xmldsig_key_load_pkcs12(struct xmldsig_key **out, const char *p12_path,
                                 const char *password, char *why, size_t whysize);
void xmldsig_key_free(struct xmldsig_key *k);

/* Appends an enveloped Signature (Reference URI="", enveloped + inclusive C14N,
 * RSA-SHA256, SHA-256 digest, X509Data with the certificate) as last child of parent. */
result_t xmldsig_sign_doc(xmlDocPtr doc, xmlNodePtr parent, const struct xmldsig_key *k, char *why,
                          size_t whysize);

struct xmldsig_verify_opts {
    const char *trusted_pem; /* CA file: also verify the chain; NULL: leave trust to caller */
};

struct xmldsig_result {
    result_t res;       /* RES_OK: signature valid; RES_INVALID / RES_CRYPTO / RES_IO */
    char reason[320];   /* Vietnamese, for people */
    X509 *signer;       /* certificate that verified (owned; take it with _take_signer) */
    char subject[256];  /* signer subject, one line */
    char algorithm[96]; /* SignatureMethod URI */
    bool no_signature;  /* the document has no XML-DSig Signature element at all */
};
void xmldsig_result_init(struct xmldsig_result *r);
void xmldsig_result_release(struct xmldsig_result *r);
/* Hands the certificate to the caller (X509_free it) and clears it from r. */
X509 *xmldsig_result_take_signer(struct xmldsig_result *r);

/* Verifies the only Signature of doc. Returns r->res. */
result_t xmldsig_verify_doc(xmlDocPtr doc, const struct xmldsig_verify_opts *o,
                            struct xmldsig_result *r);
/* Reads with the hardened reader (no DTD, no network, limits) and verifies. */
result_t xmldsig_verify(const char *data, size_t len, const struct xmldsig_verify_opts *o,
                        struct xmldsig_result *r);
result_t xmldsig_verify_file(const char *path, const struct xmldsig_verify_opts *o,
                             struct xmldsig_result *r);

#endif
