/* Table reports as PDF (src/pdf/pdf_table.c) and XLSX (src/report/report_xlsx.c), read
 * back with poppler's pdftotext/pdfinfo and libzip: Vietnamese text survives exactly
 * (NFC, standards.md §11), rows flow over several pages with the header repeated on
 * each and "Trang n/N" at the foot, A4 landscape or portrait, long words and long cells
 * are wrapped or cut instead of overflowing, and a bad spec is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "check.h"
#include "pdf/pdf_table.h"
#include "report/report_xlsx.h"
#include "util/buf.h"
#include "tool_output.h"
#include "util/table.h"

static char dir[64];

static const struct table_column cols[] = {
    {"Số đến", 5},
    {"Tên loại và trích yếu nội dung", 30},
    {"Ghi chú", 10},
};

/* The decimal number at s (after blanks), -1 when there is none. */
static long number_at(const char *s)
{
    char *end = NULL;
    long v = s ? strtol(s, &end, 10) : -1;
    return s && end != s ? v : -1;
}

TEST(rows_flow_over_pages_under_a_repeated_header)
{
    enum { ROWS = 120 };
    static char numbers[ROWS][8];
    static const char *cells[ROWS * 3];
    for (int i = 0; i < ROWS; i++) {
        snprintf(numbers[i], sizeof(numbers[i]), "%d", i + 1);
        cells[i * 3] = numbers[i];
        cells[i * 3 + 1] = i == 7 ? "Quyết định về việc phê duyệt kế hoạch chuyển đổi số của tỉnh "
                                    "Nghệ An giai đoạn 2026–2030, tầm nhìn đến năm 2035"
                                  : "Công văn về việc đôn đốc báo cáo";
        cells[i * 3 + 2] = i == 9 ? "SốKýHiệuRấtDàiKhôngCóDấuCáchNàoĐểXuốngDòngĐượcCả" : NULL;
    }
    struct table_spec t = {.title = "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
                           .subtitles = {"Ủy ban nhân dân phường Trường Vinh", "Năm 2026", NULL},
                           .columns = cols,
                           .ncolumns = 3,
                           .cells = cells,
                           .nrows = ROWS,
                           .landscape = true,
                           .page_label = "Trang"};
    struct buf out;
    CHECK_INT(pdf_table_report(&t, &out), RES_OK);
    CHECK(out.len > 0 && !memcmp(out.data, "%PDF-", 5));
    char *info = tool_output(dir, "t.pdf", &out, "pdfinfo %s");
    CHECK(info && strstr(info, "842 x 595 pts"));

    const char *pages = info ? strstr(info, "Pages:") : NULL;
    int npages = pages ? (int)number_at(pages + 6) : 0;
    CHECK(npages >= 3);
    free(info);
    char *p1 = tool_output(dir, "t.pdf", &out, "pdftotext -raw -enc UTF-8 -f 1 -l 1 %s -");
    char *p2 = tool_output(dir, "t.pdf", &out, "pdftotext -raw -enc UTF-8 -f 2 -l 2 %s -");
    CHECK(p1 && p2);
    if (p1 && p2) {
        tool_squeeze(p1);
        tool_squeeze(p2);
        CHECK(strstr(p1, "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN") &&
              strstr(p1, "Ủy ban nhân dân phường Trường Vinh"));
        CHECK(strstr(p1, "Quyết định về việc phê duyệt kế hoạch chuyển đổi số của tỉnh Nghệ An "
                         "giai đoạn 2026–2030, tầm nhìn đến năm 2035"));
        char foot[32];
        snprintf(foot, sizeof(foot), "Trang 1/%d", npages);
        CHECK(strstr(p1, foot));
        /* the header again on page 2, the title not */
        CHECK(strstr(p2, "Tên loại và trích yếu nội dung") && strstr(p2, "Ghi chú"));
        CHECK(!strstr(p2, "SỔ ĐĂNG KÝ"));
        snprintf(foot, sizeof(foot), "Trang 2/%d", npages);
        CHECK(strstr(p2, foot));
        /* a word wider than its cell is broken between characters, never lost */
        char *all = tool_output(dir, "t.pdf", &out, "pdftotext -raw -enc UTF-8 %s -");
        if (all) {
            char *q = all, *w = all;
            for (; *q; q++)
                if (*q != ' ' && *q != '\n' && *q != '\f')
                    *w++ = *q;
            *w = '\0';
            CHECK(strstr(all, "SốKýHiệuRấtDàiKhôngCóDấuCáchNàoĐểXuốngDòngĐượcCả"));
            CHECK(strstr(all, "120")); /* the last row is there */
        }
        free(all);
    }
    free(p1);
    free(p2);
    buf_release(&out);
}

TEST(portrait_a_cut_cell_and_bad_specs)
{
    static char big[8000];
    size_t n = 0;
    while (n + 12 < sizeof(big)) {
        memcpy(big + n, "dòng chữ dài ", 15);
        n += 15;
    }
    big[n] = '\0';
    const char *cells[] = {"1", big, ""};
    struct table_spec t = {
        .title = "Báo cáo", .columns = cols, .ncolumns = 3, .cells = cells, .nrows = 1};
    struct buf out;
    CHECK_INT(pdf_table_report(&t, &out), RES_OK);
    char *info = tool_output(dir, "p.pdf", &out, "pdfinfo %s");
    const char *pg = info ? strstr(info, "Pages:") : NULL;
    CHECK(info && strstr(info, "595 x 842 pts") && pg && number_at(pg + 6) == 1);
    free(info);
    char *txt = tool_output(dir, "p.pdf", &out, "pdftotext -raw -enc UTF-8 %s -");
    CHECK(txt && strstr(txt, "…")); /* cut after its maximum of lines */
    free(txt);
    buf_release(&out);
    struct table_spec none = {.title = "x", .columns = cols, .ncolumns = 0};
    CHECK_INT(pdf_table_report(&none, &out), RES_INVALID);
    buf_release(&out);
    CHECK_INT(report_xlsx(&none, dir, &out), RES_INVALID);
    buf_release(&out);
}

TEST(xlsx_has_the_title_header_and_cells_as_shared_strings)
{
    const char *cells[] = {
        "1", "Về việc đẩy mạnh ứng dụng chữ ký số", "Sở KH&CN", "2", "Giấy mời họp", NULL};
    struct table_spec t = {.title = "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
                           .subtitles = {"Từ ngày 01/12/2026 đến ngày 31/12/2026", NULL},
                           .columns = cols,
                           .ncolumns = 3,
                           .cells = cells,
                           .nrows = 2,
                           .landscape = true,
                           .sheet_name = "Sổ văn bản đến: 2026/12",
                           .page_label = "Trang"};
    struct buf out;
    CHECK_INT(report_xlsx(&t, dir, &out), RES_OK);
    CHECK(out.len > 0 && !memcmp(out.data, "PK", 2));
    char *ss = tool_output(dir, "t.xlsx", &out, "unzip -p %s xl/sharedStrings.xml");
    CHECK(ss && strstr(ss, "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN") &&
          strstr(ss, "Tên loại và trích yếu nội dung") &&
          strstr(ss, "Về việc đẩy mạnh ứng dụng chữ ký số") && strstr(ss, "Sở KH&amp;CN") &&
          strstr(ss, "Từ ngày 01/12/2026 đến ngày 31/12/2026"));
    free(ss);
    char *wb = tool_output(dir, "t.xlsx", &out, "unzip -p %s xl/workbook.xml");
    CHECK(wb && strstr(wb, "Sổ văn bản đến- 2026-12")); /* ':' and '/' are not allowed */
    free(wb);
    char *sheet = tool_output(dir, "t.xlsx", &out, "unzip -p %s xl/worksheets/sheet1.xml");
    CHECK(sheet && strstr(sheet, "orientation=\"landscape\"") &&
          strstr(sheet, "Trang &amp;P/&amp;N"));
    free(sheet);
    buf_release(&out);
    /* nothing left behind in the temporary directory but what the test wrote */
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "ls %s | grep -c qlvb-report", dir);
    FILE *p = popen(cmd, "r");
    char line[16] = "";
    if (p) {
        if (!fgets(line, sizeof(line), p))
            line[0] = '\0';
        pclose(p);
    }
    CHECK_INT(number_at(line), 0);
}

int main(void)
{
    snprintf(dir, sizeof(dir), "/tmp/qlvb-table-XXXXXX");
    if (!mkdtemp(dir))
        return 2;
    RUN(rows_flow_over_pages_under_a_repeated_header);
    RUN(portrait_a_cut_cell_and_bad_specs);
    RUN(xlsx_has_the_title_header_and_cells_as_shared_strings);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup of %s failed\n", dir);
    return CHECK_DONE("test_pdf_table");
}
