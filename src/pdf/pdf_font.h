/* The font of text appearances (signature boxes): MuPDF's built-in Noto Serif, which has
 * every precomposed Vietnamese letter, cut down to the glyphs one appearance uses. The
 * whole font is 575 KB; embedding it in every signature made a signed one-page document
 * 350 KB and spent most of a signature's time compressing it (issue 12). A subset of a
 * signature box's lines is a few kilobytes.
 *
 * The subset is a TrueType font of its own: glyphs renumbered densely from 0 (.notdef
 * first, then the characters in order of first use, then the components of composite
 * glyphs), a cmap (3,1 format 4) of exactly the characters given, glyf/loca/hmtx/maxp/
 * hhea/head rebuilt, post version 3 (no glyph names), OS/2, name and the hinting tables
 * copied; layout tables (GSUB, GPOS, GDEF, kern) and per-glyph device tables are left
 * out. The PDF embeds it as a CID font with Identity encoding; MuPDF writes the
 * ToUnicode map from the cmap, so the text extracts as written. */
#ifndef QLVB_PDF_FONT_H
#define QLVB_PDF_FONT_H

#include <mupdf/fitz.h>

#define PDF_FONT_MAX_GLYPHS 1024 /* distinct glyphs of one subset, components included */

/* The subset of the appearance font that draws the UTF-8 strings lines[0..n-1]. A
 * character the font lacks draws as .notdef. The font's name carries the subset tag
 * of ISO 32000-1 §9.6.4 (six upper-case letters from the glyph set, then '+'). Throws. */
fz_font *pdf_font_subset(fz_context *ctx, const char *const *lines, int n);

/* The same subsetting of any TrueType (glyf) font in data: the subset's bytes, or NULL
 * when data is no TrueType font this code can cut (CFF, collections, damaged tables)
 * or the characters need more than PDF_FONT_MAX_GLYPHS glyphs. gid_of maps a Unicode
 * code point to the glyph of the full font (0: none). Throws only on allocation. */
fz_buffer *pdf_font_subset_truetype(fz_context *ctx, const unsigned char *data, size_t len,
                                    const int *codepoints, int ncodepoints,
                                    int (*gid_of)(void *arg, int cp), void *arg);

#endif
