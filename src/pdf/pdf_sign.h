/* Signing PDF documents (bytes in, bytes out): a new signature field with an image
 * appearance, a detached CMS in /Contents, saved as an incremental update so earlier
 * signatures stay valid. The key is never needed here: the CMS signed attributes are
 * signed through a cms_sign_fn (local key, the signer process) or, in two steps, by a
 * remote party (pdf_sign_prepare, then pdf_sign_finish or pdf_sign_embed_cms). */
#ifndef QLVB_PDF_SIGN_H
#define QLVB_PDF_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "crypto/cms.h"
#include "crypto/tsa.h"
#include "util/buf.h"
#include "util/result.h"

struct pdf_sign_opts {
    int page;      /* 1-based page of the signature widget; 0 means 1 */
    float rect[4]; /* x0,y0,x1,y1 in PDF points, origin bottom-left; all 0: invisible */
    const unsigned char *image; /* PNG/JPEG drawn centred in rect, aspect kept; NULL: text */
    size_t image_len;
    const char *reason; /* UTF-8, optional */
    /* The agency's signature on an attachment or a copy (standards.md §6): text naming
     * the organisation, this number and symbol ("12/QĐ-UBND") and the signing time in
     * ISO 8601 with +07:00, instead of the image. NULL for ordinary signatures. */
    const char *number_symbol;
    /* Agency text appearance with this second line instead of "Số, ký hiệu: …" (a
     * digitised paper original: "Số hóa từ bản giấy", standards.md §5). */
    const char *note;
    const char *location;
    const char *contact;
    const char *field_name;  /* NULL: "Signature<n>" */
    int64_t signing_time;    /* unix seconds for /M; 0: now */
    bool adbe_subfilter;     /* adbe.pkcs7.detached instead of ETSI.CAdES.detached */
    size_t contents_reserve; /* bytes reserved for the CMS; 0: computed from the certs */
};

struct pdf_sign_key {
    X509 *cert;
    STACK_OF(X509) * chain;
    cms_sign_fn sign; /* signs the SHA-256 of the CMS signed attributes */
    void *sign_arg;
    tsa_fn tsa; /* optional: RFC 3161 time-stamp of the signature (PAdES B-T) */
    void *tsa_arg;
};

/* One step: prepare, sign through key->sign, time-stamp through key->tsa when set,
 * embed. RES_INVALID for a document that cannot be parsed or a page/rect out of range. */
result_t pdf_sign_document(const unsigned char *in, size_t in_len, const struct pdf_sign_opts *opts,
                           const struct pdf_sign_key *key, struct buf *out);

/* Two steps. The prepared document has a zero-filled /Contents; attrs_digest is what
 * the key holder signs (raw RSA/ECDSA over SHA-256), content_digest what a client
 * building its own CMS puts into messageDigest. */
struct pdf_sign_prepared {
    struct buf pdf;
    size_t contents_offset;           /* of the '<' of the /Contents hex string */
    size_t contents_hex;              /* hex digits between '<' and '>' */
    unsigned char content_digest[32]; /* SHA-256 of the signed byte ranges */
    unsigned char attrs_digest[32];   /* SHA-256 of our CMS signed attributes */
};

void pdf_sign_prepared_init(struct pdf_sign_prepared *p);
void pdf_sign_prepared_release(struct pdf_sign_prepared *p);
result_t pdf_sign_prepare(const unsigned char *in, size_t in_len, const struct pdf_sign_opts *opts,
                          X509 *cert, STACK_OF(X509) * chain, struct pdf_sign_prepared *p);
/* Builds our CMS around a raw signature of attrs_digest and embeds it. */
result_t pdf_sign_finish(const struct pdf_sign_prepared *p, X509 *cert, STACK_OF(X509) * chain,
                         const unsigned char *sig, size_t sig_len, struct buf *out);
/* Embeds a complete detached CMS made elsewhere over content_digest. */
result_t pdf_sign_embed_cms(const struct pdf_sign_prepared *p, const unsigned char *cms,
                            size_t cms_len, struct buf *out);

/* Where the agency seal goes (ND30 Phụ lục I, Lạng Sơn Điều 10.2): a square of
 * seal_size points (0: 102 pt, a 36 mm seal at real size) centred vertically on the
 * signer's image and covering its left third. Rects are PDF x0,y0,x1,y1. */
void pdf_sign_seal_rect(const float signer_rect[4], float seal_size, float out[4]);

#endif
