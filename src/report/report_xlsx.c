/* XLSX table reports (report_xlsx.h). libxlsxwriter 1.1 writes only to a named file, so
 * the workbook goes to a private temporary file (mkstemp, mode 0600) that is read back
 * and unlinked before returning. */
#include "report/report_xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "util/str.h"

static result_t read_back(const char *path, struct buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return RES_IO;
    char chunk[65536];
    size_t n;
    result_t r = RES_OK;
    while (r == RES_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        r = buf_append(out, chunk, n);
    if (r == RES_OK && ferror(f))
        r = RES_IO;
    fclose(f);
    return r;
}

/* The sheet: title rows, header, cells. RES_IO when libxlsxwriter refuses. */
static result_t write_sheet(lxw_workbook *wb, const struct table_spec *t)
{
    char sheet[32];
    str_copy(sheet, t->sheet_name && *t->sheet_name ? t->sheet_name : "Sheet1", sizeof(sheet));
    /* Excel refuses []:*?/\ in a sheet name. */
    for (char *p = sheet; *p; p++)
        if (strchr("[]:*?/\\", *p))
            *p = '-';
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    if (!ws)
        ws = workbook_add_worksheet(wb, NULL); /* a name over 31 characters */
    if (!ws)
        return RES_IO;
    lxw_format *title = workbook_add_format(wb);
    format_set_bold(title);
    format_set_font_size(title, 14);
    format_set_align(title, LXW_ALIGN_CENTER);
    lxw_format *sub = workbook_add_format(wb);
    format_set_align(sub, LXW_ALIGN_CENTER);
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_text_wrap(head);
    format_set_align(head, LXW_ALIGN_CENTER);
    format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_bg_color(head, 0xE0E0E0);
    lxw_format *cell = workbook_add_format(wb);
    format_set_text_wrap(cell);
    format_set_align(cell, LXW_ALIGN_VERTICAL_TOP);
    format_set_border(cell, LXW_BORDER_THIN);

    lxw_col_t last = (lxw_col_t)(t->ncolumns - 1);
    lxw_row_t row = 0;
    lxw_error err = worksheet_merge_range(ws, row, 0, row, last, t->title ? t->title : "", title);
    row++;
    for (int i = 0; err == LXW_NO_ERROR && i < TABLE_MAX_SUBTITLES && t->subtitles[i]; i++, row++)
        err = worksheet_merge_range(ws, row, 0, row, last, t->subtitles[i], sub);
    row++; /* a blank line before the table */
    lxw_row_t header = row;
    for (size_t k = 0; err == LXW_NO_ERROR && k < t->ncolumns; k++) {
        double w = t->columns[k].width > 0 ? t->columns[k].width : 12;
        err = worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, w, NULL);
        if (err == LXW_NO_ERROR)
            err = worksheet_write_string(ws, header, (lxw_col_t)k, t->columns[k].title, head);
    }
    for (size_t r = 0; err == LXW_NO_ERROR && r < t->nrows; r++)
        for (size_t k = 0; err == LXW_NO_ERROR && k < t->ncolumns; k++) {
            const char *v = t->cells[r * t->ncolumns + k];
            err = worksheet_write_string(ws, header + 1 + (lxw_row_t)r, (lxw_col_t)k, v ? v : "",
                                         cell);
        }
    if (err != LXW_NO_ERROR)
        return RES_IO;
    worksheet_freeze_panes(ws, header + 1, 0);
    worksheet_set_paper(ws, 9); /* A4 */
    if (t->landscape)
        worksheet_set_landscape(ws);
    worksheet_repeat_rows(ws, header, header);
    worksheet_fit_to_pages(ws, 1, 0);
    char footer[96];
    snprintf(footer, sizeof(footer), "&R%s &P/&N", t->page_label ? t->page_label : "");
    worksheet_set_footer(ws, footer);
    return RES_OK;
}

result_t report_xlsx(const struct table_spec *t, const char *tmpdir, struct buf *out)
{
    buf_init(out, REPORT_XLSX_MAX_BYTES);
    if (!t->ncolumns || t->ncolumns > TABLE_MAX_COLUMNS || t->nrows > REPORT_XLSX_MAX_ROWS)
        return RES_INVALID;
    const char *dir = tmpdir && *tmpdir ? tmpdir : getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof(path), "%s/qlvb-report-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return RES_IO;
    close(fd);
    lxw_workbook_options opts = {.constant_memory = LXW_FALSE, .tmpdir = (char *)tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &opts);
    result_t r = wb ? write_sheet(wb, t) : RES_IO;
    if (wb && workbook_close(wb) != LXW_NO_ERROR && r == RES_OK)
        r = RES_IO;
    if (r == RES_OK)
        r = read_back(path, out);
    unlink(path);
    if (r != RES_OK)
        buf_release(out);
    return r;
}
