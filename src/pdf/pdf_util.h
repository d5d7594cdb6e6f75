/* Shared MuPDF plumbing for the pdf module: a quiet per-call context, opening a
 * document from memory, and a seekable in-memory fz_output (MuPDF 1.19's buffer output
 * cannot seek or be read back, which signature completion needs). */
#ifndef QLVB_PDF_UTIL_H
#define QLVB_PDF_UTIL_H

#include <stddef.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "util/buf.h"
#include "util/result.h"

#define PDF_MAX_BYTES ((size_t)256 << 20) /* documents larger than this are refused */

/* A new MuPDF context whose warnings and errors go to the debug log; NULL on OOM. */
fz_context *pdf_util_ctx_new(void);
/* Opens bytes (not copied: they must outlive the document). Throws like MuPDF. */
pdf_document *pdf_util_open(fz_context *ctx, const unsigned char *data, size_t len);
/* A seekable, readable-back output writing into buf (a reference is kept). */
fz_output *pdf_util_output(fz_context *ctx, fz_buffer *buf);
/* Width in points of one line of UTF-8 text in font at size. Throws. */
float pdf_util_text_width(fz_context *ctx, fz_font *font, float size, const char *s);
/* Advance width in points of one line (the sum of the glyph advances, fallback fonts
 * included): what lays text out and centres it. The ink box above adds each glyph's
 * side bearings and, for glyphs without a computed box, the font's whole bbox, so it
 * runs wide on text with stacked diacritics. Throws. */
float pdf_util_text_advance(fz_context *ctx, fz_font *font, float size, const char *s);
/* Lines of wrapped text (pdf_util_wrap); pdf_lines_free releases them. */
struct pdf_lines {
    char **line;
    int n;
};
#define PDF_LINE_BYTES 1024 /* of one wrapped line; a longer one is cut */
/* Greedy wrapping of UTF-8 text on spaces (and line breaks) to width points in font at
 * size, appended to out; a word wider than the width is broken between characters. At
 * most max_lines lines: the last of a cut text ends in "…". Throws. */
void pdf_util_wrap(fz_context *ctx, fz_font *font, float size, float width, const char *text,
                   int max_lines, struct pdf_lines *out);
void pdf_lines_free(struct pdf_lines *l);
/* Copies an fz_buffer into a struct buf with the module's size limit. */
result_t pdf_util_to_buf(const fz_buffer *fb, struct buf *out);

#endif
