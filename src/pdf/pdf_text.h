/* A simple text document as PDF (A4 portrait): blocks of UTF-8 text, each wrapped on word
 * boundaries to its column and aligned, flowing onto further pages when the page is full.
 * A block is either full width or in the left (42 %) or right (58 %) part of the page;
 * consecutive part-width blocks stand side by side (the two-column heading of an official letter:
 * the issuing body and its number on the left, the national motto and the place and date
 * on the right, standards.md §2 / Nghị định 30/2020 Phụ lục I), and the next full-width
 * block starts below the longer of the two columns. Text in a subset of MuPDF's built-in
 * Noto Serif (pdf_font.h) with a ToUnicode map, so pdftotext gives the text back as
 * written (NFC). Used for the demo documents' scans (doc_demo.c). */
#ifndef QLVB_PDF_TEXT_H
#define QLVB_PDF_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/result.h"

#define PDF_TEXT_MAX_BLOCKS 200
#define PDF_TEXT_MAX_BYTES  (64 * 1024) /* of all the blocks' text together */

enum pdf_text_align { PDF_TEXT_LEFT, PDF_TEXT_CENTRE, PDF_TEXT_RIGHT };
enum pdf_text_column { PDF_TEXT_FULL, PDF_TEXT_LEFT_HALF, PDF_TEXT_RIGHT_HALF };

struct pdf_text_block {
    const char *text; /* UTF-8; '\n' breaks a line; NULL or "" is an empty line */
    float size;       /* points; 0 = 13 (the size of a letter's body text) */
    enum pdf_text_align align;
    enum pdf_text_column column;
    float space_before; /* points above the block */
    float rule;         /* a rule centred under the block's last line, this fraction of its width
                         * (0: none; the motto's is 1, the issuing body's about 1/3) */
};

/* out is initialised here (limit PDF_MAX_BYTES). RES_INVALID for no blocks, more than
 * PDF_TEXT_MAX_BLOCKS, more than PDF_TEXT_MAX_BYTES of text or text that is not UTF-8. */
result_t pdf_text_document(const struct pdf_text_block *blocks, size_t n, struct buf *out);

#endif
