/* Where a signature goes on a PDF, and what its pages look like, for the "Ký số tài
 * liệu" page: page sizes and PNG previews, the signer's box found in the document's
 * signature block (ND30 Phụ lục I: position title, a gap for signature and seal, the
 * full name), and the signature widgets already there (to put the seal over the last). */
#ifndef QLVB_PDF_PLACE_H
#define QLVB_PDF_PLACE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/result.h"

#define PDF_PLACE_MAX_PAGES 200  /* pages searched for the signature block, from the end */
#define PDF_RENDER_MAX_W    4000 /* preview limits in pixels */
#define PDF_RENDER_MAX_H    6000

/* All functions: RES_INVALID when data is not a PDF with at least one page (any MuPDF
 * error on opening), RES_TOO_LARGE when it is larger than PDF_MAX_BYTES (pdf_util.h).
 * Each call opens the document on its own MuPDF context, so request threads may call
 * them at the same time.
 *
 * Two coordinate systems: "rect" is PDF user space (points, y up; on a page whose
 * media box starts at 0,0 the origin is its bottom-left corner), what pdf_sign_opts
 * and /Rect use; "view" is the page as displayed (points, origin top-left, y down,
 * /Rotate applied), what a preview shows. Only the page's transform relates them, so
 * convert with pdf_view_to_rect rather than by hand. */

/* The page as displayed (its /Rotate applied), in points: what a preview shows. */
struct pdf_page_size {
    float width, height;
};

/* Sizes of the first min(max, page count) pages; *pages = the page count. */
result_t pdf_page_sizes(const unsigned char *data, size_t len, struct pdf_page_size *sizes, int max,
                        int *pages);

enum pdf_place_how {
    PDF_PLACE_NAME,    /* between the signer's full name and the line above it */
    PDF_PLACE_TITLE,   /* below the last position title ("PHÓ CHỦ TỊCH", "KT. GIÁM ĐỐC") */
    PDF_PLACE_DEFAULT, /* nothing recognised: lower right of the last page */
};

struct pdf_place {
    int page;      /* 1-based */
    float rect[4]; /* x0,y0,x1,y1 in PDF points, origin bottom-left: pdf_sign_opts.rect */
    float view[4]; /* the same box as displayed: points from the top-left corner of the
                      page as a preview shows it (times scale_out: preview pixels) */
    enum pdf_place_how how;
    char title[128]; /* the position title line above the box (UTF-8, NFC), or "" */
};

/* Finds the signer's box. Pages are searched from the last backwards (at most
 * PDF_PLACE_MAX_PAGES). First the lowest line of a page whose whole text equals
 * full_name (ignoring case, diacritics, đ/d and extra spaces): the box goes in the gap
 * between it and the nearest text line above it in the same column, centred on the
 * name, about 150 x 60 pt and never larger than the gap. Else the last upper-case line
 * that looks like a position title (a known title, or a signing-authority prefix TM.,
 * KT., TL., TUQ., Q.), with the upper-case lines right under it and room for a
 * signature below: the box goes below. Else PDF_PLACE_DEFAULT on the last page. full_name may be
 * NULL or ""; RES_INVALID when it is not valid UTF-8. Only page content counts, not annotations (an
 * earlier signature's appearance or the stamped number is not the document's text). */
result_t pdf_find_sign_place(const unsigned char *data, size_t len, const char *full_name,
                             struct pdf_place *out);

/* A signature field's widget. */
struct pdf_widget {
    int page;        /* 1-based; 0 when the widget is on no page */
    float rect[4];   /* /Rect in PDF points; all 0 for an invisible signature */
    char field[128]; /* fully qualified field name, truncated */
    bool is_signed;  /* has a signature value (not checked here: see pdf_verify.h) */
};

/* Signature widgets in /AcroForm /Fields order, which is the order fields were added
 * (MuPDF and common signers append), so the last signed entry is the latest signature.
 * Fills at most max; *n = how many were stored. */
result_t pdf_signature_widgets(const unsigned char *data, size_t len, struct pdf_widget *out,
                               size_t max, size_t *n);

/* A box the user placed on the preview of page (1-based), view[] in displayed points
 * (preview pixels / scale_out), as a PDF rect for pdf_sign_opts. */
result_t pdf_view_to_rect(const unsigned char *data, size_t len, int page, const float view[4],
                          float rect[4]);

/* Renders page (1-based) with its annotations to an RGB PNG exactly max_width pixels
 * wide (1..PDF_RENDER_MAX_W); *scale_out = pixels per point. A page whose image would
 * be taller than PDF_RENDER_MAX_H is refused with RES_TOO_LARGE; a page out of range
 * is RES_INVALID. */
result_t pdf_render_page_png(const unsigned char *data, size_t len, int page, int max_width,
                             struct buf *png, float *scale_out);

#endif
