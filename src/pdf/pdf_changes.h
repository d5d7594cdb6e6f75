/* What changed in a PDF after a signed revision: nothing, only signatures added (new
 * signature fields, or empty ones signed), annotations added (e.g. the issue number and
 * date stamped on a signed draft), or content (anything else: page content, fonts,
 * pages, deleted objects). Decided by comparing every object of the signed revision
 * with the current document, not by trusting the incremental update's claims. */
#ifndef QLVB_PDF_CHANGES_H
#define QLVB_PDF_CHANGES_H

#include <stddef.h>

#include <mupdf/pdf.h>

enum pdf_change {
    PDF_CHANGE_NONE = 0,
    PDF_CHANGE_SIGNATURES,
    PDF_CHANGE_ANNOTATIONS,
    PDF_CHANGE_CONTENT,
};

/* doc is the whole file data[0..len); the signed revision is data[0..end). Never
 * throws; any doubt (damaged revision, unreadable object) is PDF_CHANGE_CONTENT. */
enum pdf_change pdf_changes_since(fz_context *ctx, pdf_document *doc, const unsigned char *data,
                                  size_t end);

const char *pdf_change_name(enum pdf_change c); /* "none", "signatures", ... */

#endif
