/* Verifying every signature of a PDF: who signed (certificate subject), when, whether
 * the signed bytes are intact, whether the document changed after signing (beyond
 * later signatures), whether the certificate chained to a trusted root at signing time
 * and whether it was expired or revoked. A struct result, JSON and a Vietnamese report. */
#ifndef QLVB_PDF_VERIFY_H
#define QLVB_PDF_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "crypto/certstore.h"
#include "pdf/pdf_changes.h"
#include "util/buf.h"
#include "util/result.h"

#define PDF_VERIFY_MAX_SIGS 64

struct pdf_sig_info {
    char field[128];     /* signature field name */
    char signer_cn[256]; /* subject CN of the signer certificate (UTF-8) */
    char signer_o[256];  /* subject O */
    char issuer_cn[256];
    char serial[80]; /* hex */
    char subfilter[48];
    char digest_alg[24];
    char reason[256];
    char location[256];
    int64_t signing_time;   /* claimed by the signer (/M or CMS attribute); INT64_MIN unknown */
    bool has_timestamp;     /* RFC 3161 signature time-stamp present (PAdES B-T) */
    bool timestamp_ok;      /* ... and it verifies against the trust store */
    int64_t timestamp_time; /* the time-stamp's time: trusted, used for the certificate check */
    char tsa_name[256];
    bool parsed;    /* a CMS SignedData with its signer certificate */
    bool digest_ok; /* byte ranges hash to messageDigest and the signature verifies */
    bool covers_whole_file;
    enum pdf_change change; /* what later updates did (none when covers_whole_file) */
    bool modified_after;    /* change == PDF_CHANGE_CONTENT: what was signed is not shown */
    enum cert_status cert;  /* chain at the time-stamp time, else the claimed time */
    bool revocation_checked;
    int64_t revoked_at; /* when cert == CERT_REVOKED */
    int64_t not_after;  /* of the signer certificate */
    bool expired_now;   /* the certificate is no longer valid today (information) */
    bool valid;         /* intact, not modified, certificate OK, time-stamp OK if any */
    char error[160];    /* English detail when not parsed */
};

struct pdf_verify_result {
    struct pdf_sig_info *sigs;
    size_t count;
    bool parsed;    /* the file opened as a PDF */
    bool all_valid; /* parsed, at least one signature, all valid */
};

void pdf_verify_result_init(struct pdf_verify_result *r);
void pdf_verify_result_release(struct pdf_verify_result *r);
/* trust may be NULL (then no chain is trusted); now is the unix time for the "expired
 * today" information (0: clock_now()). RES_OK when the file was examined, even when
 * it is not a PDF (parsed = false) or has no signatures. */
result_t pdf_verify_document(const unsigned char *data, size_t len, const struct certstore *trust,
                             int64_t now, struct pdf_verify_result *out);
json_t *pdf_verify_to_json(const struct pdf_verify_result *r);
/* A readable report in Vietnamese, one block per signature. */
result_t pdf_verify_format(const struct pdf_verify_result *r, struct buf *out);

#endif
