/* A table report as PDF (A4, portrait or landscape): the title and its lines centred on
 * the first page, the table with its header repeated on every page, cells wrapped on
 * word boundaries, numbered pages ("Trang 2/5"). Text in MuPDF's built-in Noto Serif,
 * the one built-in Latin face with every Vietnamese letter, embedded with a ToUnicode
 * map so the text can be searched and copied (pdftotext gives it back in NFC). */
#ifndef QLVB_PDF_TABLE_H
#define QLVB_PDF_TABLE_H

#include "util/buf.h"
#include "util/result.h"
#include "util/table.h"

#define PDF_TABLE_MAX_ROWS 20000

/* out is initialised here (limit PDF_MAX_BYTES). RES_INVALID for a spec without
 * columns or with more than TABLE_MAX_COLUMNS / PDF_TABLE_MAX_ROWS. */
result_t pdf_table_report(const struct table_spec *t, struct buf *out);

#endif
