/* A tabular report as data: a title, a few lines under it, columns and rows of UTF-8
 * cells. Rendered by pdf/pdf_table.h (PDF) and report/report_xlsx.h (XLSX), so a report
 * (the register book, later the statistics of standards.md §13) is built once by its
 * layer and written in either format. */
#ifndef QLVB_UTIL_TABLE_H
#define QLVB_UTIL_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#define TABLE_MAX_COLUMNS   24
#define TABLE_MAX_SUBTITLES 4

struct table_column {
    const char *title;
    float width; /* relative share of the page width (PDF); characters (XLSX) */
};

struct table_spec {
    const char *title;                          /* first line, bold */
    const char *subtitles[TABLE_MAX_SUBTITLES]; /* lines under it; NULL ends */
    const struct table_column *columns;
    size_t ncolumns;          /* 1..TABLE_MAX_COLUMNS */
    const char *const *cells; /* row-major nrows × ncolumns; NULL = "" */
    size_t nrows;
    bool landscape;         /* A4 landscape (PDF) */
    const char *sheet_name; /* XLSX worksheet name (≤ 31 characters) */
    const char *page_label; /* "Trang" → "Trang 2/5" in the footer */
};

#endif
