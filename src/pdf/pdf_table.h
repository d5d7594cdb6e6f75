/* A table report as PDF (A4, portrait or landscape): the title and its lines centred on
 * the first page, the table with its header repeated on every page, cells wrapped on
 * word boundaries, numbered pages ("Trang 2/5"). Text in MuPDF's base-14 Times (URW
 * Nimbus: the Vietnamese glyphs, embedded with a ToUnicode map, so the text can be
 * searched and copied), as the signature appearance and the number stamp draw it. */
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
