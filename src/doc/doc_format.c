/* Format recognition for document files (standards.md §11). Signatures of the bytes
 * decide; the extension must agree, so an .exe renamed .pdf, or a picture renamed
 * .docx, is refused. Zip containers are opened (libzip) to tell OOXML from ODF from
 * a plain archive; text formats must be valid UTF-8 without NUL. */
#include "doc/doc_format.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "text/text.h"

static const struct doc_format_info infos[FMT_COUNT] = {
    [FMT_UNKNOWN] = {FMT_UNKNOWN, "", "application/octet-stream", "không rõ"},
    [FMT_PDF] = {FMT_PDF, "pdf", "application/pdf", "PDF"},
    [FMT_DOC] = {FMT_DOC, "doc", "application/msword", "Word (.doc)"},
    [FMT_XLS] = {FMT_XLS, "xls", "application/vnd.ms-excel", "Excel (.xls)"},
    [FMT_DOCX] = {FMT_DOCX, "docx",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "Word (.docx)"},
    [FMT_XLSX] = {FMT_XLSX, "xlsx",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "Excel (.xlsx)"},
    [FMT_ODT] = {FMT_ODT, "odt", "application/vnd.oasis.opendocument.text", "OpenDocument (.odt)"},
    [FMT_ODS] = {FMT_ODS, "ods", "application/vnd.oasis.opendocument.spreadsheet",
                 "OpenDocument (.ods)"},
    [FMT_RTF] = {FMT_RTF, "rtf", "application/rtf", "RTF"},
    [FMT_TXT] = {FMT_TXT, "txt", "text/plain; charset=utf-8", "văn bản thuần (.txt)"},
    [FMT_CSV] = {FMT_CSV, "csv", "text/csv; charset=utf-8", "bảng CSV"},
    [FMT_PNG] = {FMT_PNG, "png", "image/png", "ảnh PNG"},
    [FMT_JPEG] = {FMT_JPEG, "jpg", "image/jpeg", "ảnh JPEG"},
    [FMT_TIFF] = {FMT_TIFF, "tif", "image/tiff", "ảnh TIFF"},
    [FMT_GIF] = {FMT_GIF, "gif", "image/gif", "ảnh GIF"},
};

const struct doc_format_info *doc_format_info(enum doc_format f)
{
    return &infos[(unsigned)f < FMT_COUNT ? f : FMT_UNKNOWN];
}

static bool starts(const unsigned char *d, size_t len, const void *magic, size_t n)
{
    return len >= n && memcmp(d, magic, n) == 0;
}

/* A zip container: OOXML by its [Content_Types].xml and main part, ODF by the
 * uncompressed `mimetype` entry (ODF 1.2 §3.3). Anything else is a plain archive. */
static enum doc_format sniff_zip(const unsigned char *data, size_t len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    enum doc_format f = FMT_UNKNOWN;
    if (!src)
        goto out;
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!za) {
        zip_source_free(src);
        goto out;
    }
    zip_int64_t mt = zip_name_locate(za, "mimetype", 0);
    if (mt >= 0) {
        char mime[80] = "";
        zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)mt, 0);
        if (zf) {
            zip_int64_t n = zip_fread(zf, mime, sizeof(mime) - 1);
            mime[n > 0 ? n : 0] = '\0';
            zip_fclose(zf);
        }
        if (!strcmp(mime, "application/vnd.oasis.opendocument.text"))
            f = FMT_ODT;
        else if (!strcmp(mime, "application/vnd.oasis.opendocument.spreadsheet"))
            f = FMT_ODS;
    } else if (zip_name_locate(za, "[Content_Types].xml", 0) >= 0) {
        if (zip_name_locate(za, "word/document.xml", 0) >= 0)
            f = FMT_DOCX;
        else if (zip_name_locate(za, "xl/workbook.xml", 0) >= 0)
            f = FMT_XLSX;
    }
    zip_discard(za);
out:
    zip_error_fini(&ze);
    return f;
}

enum doc_format doc_format_sniff(const unsigned char *data, size_t len, const char **what)
{
    static const unsigned char ole[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (what)
        *what = "";
    if (!data || !len)
        return FMT_UNKNOWN;
    if (starts(data, len, "%PDF-", 5))
        return FMT_PDF;
    if (starts(data, len, ole, sizeof(ole)))
        return FMT_DOC; /* .doc or .xls: the extension tells which */
    if (starts(data, len, "PK\x03\x04", 4)) {
        enum doc_format f = sniff_zip(data, len);
        if (f == FMT_UNKNOWN && what)
            *what = "tệp nén (zip)";
        return f;
    }
    if (starts(data, len, "{\\rtf", 5))
        return FMT_RTF;
    if (starts(data, len, png, sizeof(png)))
        return FMT_PNG;
    if (starts(data, len, "\xFF\xD8\xFF", 3))
        return FMT_JPEG;
    if (starts(data, len, "II*\0", 4) || starts(data, len, "MM\0*", 4))
        return FMT_TIFF;
    if (starts(data, len, "GIF87a", 6) || starts(data, len, "GIF89a", 6))
        return FMT_GIF;
    const char *refused = starts(data, len, "MZ", 2) ? "tệp chương trình (exe)"
                          : starts(data, len,
                                   "\x7F"
                                   "ELF",
                                   4)
                              ? "tệp chương trình (ELF)"
                          : starts(data, len, "#!", 2)         ? "tệp lệnh (script)"
                          : starts(data, len, "Rar!", 4)       ? "tệp nén (rar)"
                          : starts(data, len, "7z\xBC\xAF", 4) ? "tệp nén (7z)"
                          : starts(data, len, "\x1F\x8B", 2)   ? "tệp nén (gzip)"
                                                               : NULL;
    if (refused) {
        if (what)
            *what = refused;
        return FMT_UNKNOWN;
    }
    /* Text: UTF-8 (a BOM is allowed), no NUL or control characters; HTML and XML are
     * not text documents here (they can carry scripts). */
    const char *t = (const char *)data;
    size_t n = len;
    if (starts(data, len, "\xEF\xBB\xBF", 3)) {
        t += 3;
        n -= 3;
    }
    if (!text_valid_utf8(t, n))
        return FMT_UNKNOWN;
    size_t i = 0;
    while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n'))
        i++;
    if (i < n && t[i] == '<') {
        if (what)
            *what = "trang HTML/XML";
        return FMT_UNKNOWN;
    }
    return FMT_TXT; /* or CSV: the extension tells which */
}

static const struct {
    const char *ext;
    enum doc_format fmt;
} exts[] = {
    {"pdf", FMT_PDF},   {"doc", FMT_DOC},  {"xls", FMT_XLS},   {"docx", FMT_DOCX},
    {"xlsx", FMT_XLSX}, {"odt", FMT_ODT},  {"ods", FMT_ODS},   {"rtf", FMT_RTF},
    {"txt", FMT_TXT},   {"csv", FMT_CSV},  {"png", FMT_PNG},   {"jpg", FMT_JPEG},
    {"jpeg", FMT_JPEG}, {"tif", FMT_TIFF}, {"tiff", FMT_TIFF}, {"gif", FMT_GIF},
};

enum doc_format doc_format_of_name(const char *file_name)
{
    const char *dot = file_name ? strrchr(file_name, '.') : NULL;
    if (!dot || !dot[1])
        return FMT_UNKNOWN;
    for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
        if (strcasecmp(dot + 1, exts[i].ext) == 0)
            return exts[i].fmt;
    return FMT_UNKNOWN;
}

/* The sniffer cannot tell .doc from .xls (one container) nor .txt from .csv. */
static bool same_family(enum doc_format content, enum doc_format named)
{
    if (content == named)
        return true;
    if (content == FMT_DOC)
        return named == FMT_XLS;
    if (content == FMT_TXT)
        return named == FMT_CSV;
    return false;
}

static const char allowed_list[] =
    "PDF; doc, docx, odt, txt, rtf; xls, xlsx, ods, csv; ảnh png, jpg, tif, gif";

result_t doc_format_check(const char *file_name, const unsigned char *data, size_t len,
                          enum doc_format *out, char *msg, size_t msgsize)
{
    /* at most 120 bytes of the name, cut on a character boundary (the message is
     * bounded and must stay valid UTF-8) */
    char name[128];
    const char *full = file_name && *file_name ? file_name : "(không tên)";
    size_t full_len = strlen(full), cut = text_cut(full, full_len, 120);
    memcpy(name, full, cut);
    name[cut] = '\0';
    if (cut < full_len)
        memcpy(name + cut, "…", sizeof("…")); /* 3 bytes + NUL: fits after 120 */
    *out = FMT_UNKNOWN;
    msg[0] = '\0';
    if (!data || !len) {
        snprintf(msg, msgsize, "Tệp “%s” rỗng.", name);
        return RES_INVALID;
    }
    enum doc_format named = doc_format_of_name(file_name);
    const char *what = "";
    enum doc_format content = doc_format_sniff(data, len, &what);
    if (named == FMT_UNKNOWN) {
        snprintf(msg, msgsize,
                 "Tệp “%s” có định dạng không được phép. Định dạng được phép: "
                 "%s.",
                 name, allowed_list);
        return RES_INVALID;
    }
    if (content == FMT_UNKNOWN || !same_family(content, named)) {
        const char *is = content != FMT_UNKNOWN ? doc_format_info(content)->label
                         : *what                ? what
                                                : "không nhận dạng được";
        snprintf(msg, msgsize,
                 "Tệp “%s” không phải %s như phần mở rộng cho biết: nội dung là %s. Tệp bị từ "
                 "chối.",
                 name, doc_format_info(named)->label, is);
        return RES_INVALID;
    }
    *out = named; /* the name settles doc/xls and txt/csv */
    return RES_OK;
}
