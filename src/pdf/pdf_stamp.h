/* Writing the issue number and date onto a signed draft (ND30 Điều 15: the system
 * assigns them after the signer's signature, before the agency's). The places are found
 * from the text of page 1 ("Số:" and "ngày … tháng … năm"); the text is added as
 * locked annotations in an incremental update, so the signer's signature stays intact
 * and verification reports "annotations added", not a content change. */
#ifndef QLVB_PDF_STAMP_H
#define QLVB_PDF_STAMP_H

#include <stddef.h>

#include "util/buf.h"
#include "util/result.h"

/* number like "12/QĐ-UBND" (when the page already prints "/QĐ-UBND" after "Số:", only
 * "12" is written in the blank); the date as year, month, day. RES_NOT_FOUND when page
 * 1 has no "Số:"; the date is skipped when its line is not found. */
result_t pdf_stamp_document(const unsigned char *in, size_t in_len, const char *number, int year,
                            int month, int day, struct buf *out);

#endif
