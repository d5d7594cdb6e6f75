/* Signature and seal images (standards.md §6): the handwritten signature of a person
 * and the red seal of an agency, transparent PNGs uploaded by the agency's
 * administrators and drawn into signature appearances. One active image per owner
 * and kind; replaced images stay for the record. */
#ifndef QLVB_CORE_SIGIMAGE_H
#define QLVB_CORE_SIGIMAGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/app.h"
#include "core/verr.h"
#include "util/buf.h"
#include "util/result.h"

#define SIGIMAGE_MAX_BYTES (2u << 20)

enum sigimage_kind { SIGIMAGE_SIGNATURE, SIGIMAGE_SEAL };

/* Checks a PNG: signature, decodable, sensible dimensions, and transparency (an alpha
 * channel or a tRNS chunk). Vietnamese error on field "file". */
result_t sigimage_check_png(const unsigned char *data, size_t len, int *width, int *height,
                            struct verrs *e);
/* Uploads the active image of user_id (kind SIGNATURE, user a member of agency_id) or
 * of the agency (kind SEAL, user_id 0); the previous one is deactivated. */
result_t sigimage_upload(struct app *app, const struct actor *a, int64_t agency_id, int64_t user_id,
                         enum sigimage_kind kind, const unsigned char *png, size_t len,
                         struct verrs *e, int64_t *id);
/* Images of an agency (active and replaced), with owner names, newest first. */
result_t sigimage_list(struct app *app, const struct actor *a, int64_t agency_id, json_t **out);
/* One image's row as listed (no PNG bytes); RES_NOT_FOUND outside the actor's agency. */
result_t sigimage_get(struct app *app, const struct actor *a, int64_t id, json_t **out);
/* One image's PNG bytes (for previews), for administrators of its agency and its owner. */
result_t sigimage_png(struct app *app, const struct actor *a, int64_t id, struct buf *out);
/* The active image used when signing: the signer's own signature (user_id set) or the
 * agency seal (user_id 0). RES_NOT_FOUND when none is uploaded. Internal use by the
 * signing service, which has already authorised the signing. */
result_t sigimage_active(struct app *app, int64_t agency_id, int64_t user_id,
                         enum sigimage_kind kind, struct buf *out);
result_t sigimage_deactivate(struct app *app, const struct actor *a, int64_t id);

#endif
