/* File formats a document may carry (standards.md §11: PDF; doc, docx, odt, txt, rtf;
 * xls, xlsx, ods, csv; images), recognised from the bytes, not from the name: a file
 * whose content is not what its extension says is refused as disguised. */
#ifndef QLVB_DOC_FORMAT_H
#define QLVB_DOC_FORMAT_H

#include <stddef.h>

#include "util/result.h"

enum doc_format {
    FMT_UNKNOWN,
    FMT_PDF,
    FMT_DOC, /* OLE2 compound file: .doc and .xls share it */
    FMT_XLS,
    FMT_DOCX,
    FMT_XLSX,
    FMT_ODT,
    FMT_ODS,
    FMT_RTF,
    FMT_TXT,
    FMT_CSV,
    FMT_PNG,
    FMT_JPEG,
    FMT_TIFF,
    FMT_GIF,
    FMT_COUNT,
};

struct doc_format_info {
    enum doc_format fmt;
    const char *key;          /* "pdf" */
    const char *content_type; /* sent on download */
    const char *label;        /* Vietnamese, for messages */
};
const struct doc_format_info *doc_format_info(enum doc_format f);

/* What the bytes are: the allowed formats, or FMT_UNKNOWN. `what` (may be NULL) gets
 * a Vietnamese name of a recognised but refused kind ("tệp chương trình (exe)"), or ""
 * when nothing is recognised. */
enum doc_format doc_format_sniff(const unsigned char *data, size_t len, const char **what);

/* The format a file name's extension claims (case-insensitive), FMT_UNKNOWN when the
 * extension is not an allowed one. */
enum doc_format doc_format_of_name(const char *file_name);

/* Checks the file against §11: RES_OK and *out when the content is an allowed format
 * and matches the extension; else RES_INVALID with a Vietnamese reason in msg
 * (not allowed, disguised, empty). */
result_t doc_format_check(const char *file_name, const unsigned char *data, size_t len,
                          enum doc_format *out, char *msg, size_t msgsize);

#endif
