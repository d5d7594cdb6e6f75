/* Signing a PDF for a person or an agency (issue #3, "Ký số tài liệu"): the key is
 * opened by the signer process with the PIN; the signature is placed where the user
 * put it or, by default, at the document's signature block (the person's signature
 * between position title and name; the agency seal over the left third of the last
 * personal signature, standards.md §6); the person's signature image or the agency's
 * seal image is drawn. Also the two-step flow for USB tokens and remote signing
 * services: prepare (digest out), finish (signature in). */
#ifndef QLVB_CORE_SIGNING_H
#define QLVB_CORE_SIGNING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/app.h"
#include "core/verr.h"
#include "util/buf.h"
#include "util/result.h"

struct sign_placement {
    bool manual;   /* false: found from the document (signature block, last signature) */
    int page;      /* 1-based, manual only */
    float rect[4]; /* PDF points x0,y0,x1,y1 from the bottom-left, manual only ... */
    bool view;     /* ... or, when set, the box as displayed: points from the top-left
                    * of the page as shown (rotation applied), as the web preview has it */
};

/* Where the signature would go without a manual placement, for the page that shows
 * the document: {page, rect:[...] (PDF), view:[...] (as displayed), how:
 * "name"|"title"|"signature"|"default", title, pages, page_sizes:[[w,h],...] (as
 * displayed)}. seal=true places an agency seal. */
result_t signing_suggest(const unsigned char *pdf, size_t len, const char *full_name, bool seal,
                         json_t **out);

struct sign_request {
    int64_t key_id;
    const char *pin;
    struct sign_placement place;
    const char *reason; /* NULL: a default by key kind */
    bool no_image;      /* text appearance instead of the signature/seal image */
    /* Agency keys only: signing an attachment or a copy of document "12/QĐ-UBND": the
     * appearance shows that number and symbol and an ISO 8601 time, by default in the
     * top-right corner of page 1 (standards.md §6). */
    const char *number_symbol;
    /* Agency keys only: the same text appearance with this line instead of the number
     * and symbol (a digitised paper original, standards.md §5). */
    const char *note;
    const char *file_name; /* for the audit row */
};

/* Signs with one of the actor's keys. Field errors: key_id, pin, page, file. */
result_t signing_sign_pdf(struct app *app, const struct actor *a, const unsigned char *pdf,
                          size_t len, const struct sign_request *rq, struct verrs *e,
                          struct buf *out);

/* Two-step signing. prepare checks the certificate (PEM, signer first) against the
 * trust store, adds the signature field, stores the prepared PDF as a draft and returns
 * {id, attrs_digest, content_digest (base64 SHA-256), expires_at}. finish takes either
 * a raw signature over attrs_digest or a whole CMS over content_digest (DER). */
result_t signing_prepare(struct app *app, const struct actor *a, const unsigned char *pdf,
                         size_t len, const char *file_name, const char *cert_pem,
                         const struct sign_placement *place, const char *reason, struct verrs *e,
                         json_t **out);
result_t signing_finish(struct app *app, const struct actor *a, const char *draft_id,
                        const unsigned char *sig, size_t sig_len, bool is_cms, struct verrs *e,
                        struct buf *out, char *file_name, size_t file_name_size);

#endif
