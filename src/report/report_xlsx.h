/* A table report as an XLSX workbook (libxlsxwriter): one worksheet with the title and
 * its lines on top, the header row (bold, wrapped, frozen, repeated when printed), the
 * cells as text with wrapping, A4 landscape page setup and "Trang &P/&N" in the footer.
 * The report layer owns libxlsxwriter as pdf/ owns MuPDF. */
#ifndef QLVB_REPORT_XLSX_H
#define QLVB_REPORT_XLSX_H

#include "util/buf.h"
#include "util/result.h"
#include "util/table.h"

#define REPORT_XLSX_MAX_ROWS  100000
#define REPORT_XLSX_MAX_BYTES ((size_t)64 << 20)

/* out is initialised here. The workbook is written to a temporary file in tmpdir (NULL:
 * $TMPDIR or /tmp), read back and removed. RES_INVALID for a spec without columns or
 * over the limits, RES_IO when the file cannot be written. */
result_t report_xlsx(const struct table_spec *t, const char *tmpdir, struct buf *out);

#endif
