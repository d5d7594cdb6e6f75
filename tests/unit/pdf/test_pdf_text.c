/* Simple text documents as PDF (src/pdf/pdf_text.c), read back with poppler's pdftotext
 * and pdfinfo: Vietnamese text comes back exactly, in NFC (standards.md §11), including
 * upper case from text_upper; half-width blocks stand side by side with the next
 * full-width block below both; long text flows onto a second A4 page; the font is a
 * subset (a page is kilobytes, not the whole 575 KB face); bad input is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "pdf/pdf_text.h"
#include "text/text.h"
#include "util/buf.h"
#include "tool_output.h"

static char dir[64];

TEST(a_letter_heading_and_body_come_back_as_written)
{
    char *upper = text_upper("Ủy ban nhân dân tỉnh Nghệ An");
    CHECK_STR(upper, "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN");
    /* NFD input (e + U+0302 + U+0301) comes out NFC upper case. */
    char *nfd = text_upper("nghe\xcc\x82\xcc\x81");
    CHECK_STR(nfd, "NGHẾ");
    const char *subject = "Về việc triển khai nền tảng số dùng chung và kết nối trục liên thông "
                          "văn bản của tỉnh năm 2026";
    struct pdf_text_block b[] = {
        {.text = upper,
         .size = 12,
         .align = PDF_TEXT_CENTRE,
         .column = PDF_TEXT_LEFT_HALF,
         .rule = 0.35f},
        {.text = "Số: 1250/UBND-KGVX",
         .size = 12,
         .align = PDF_TEXT_CENTRE,
         .column = PDF_TEXT_LEFT_HALF},
        {.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
         .size = 11,
         .align = PDF_TEXT_CENTRE,
         .column = PDF_TEXT_RIGHT_HALF},
        {.text = "Độc lập - Tự do - Hạnh phúc",
         .align = PDF_TEXT_CENTRE,
         .column = PDF_TEXT_RIGHT_HALF,
         .rule = 1},
        {.text = subject, .size = 13, .space_before = 20},
        {.text = "Nguyễn Văn Hùng", .align = PDF_TEXT_RIGHT, .space_before = 30},
    };
    struct buf out;
    CHECK_INT(pdf_text_document(b, sizeof(b) / sizeof(b[0]), &out), RES_OK);
    CHECK(out.len > 1000 && out.len < 60 * 1024); /* a subset, not the whole face */
    char *text = tool_output(dir, "t.pdf", &out, "pdftotext -layout %s - 2>/dev/null");
    CHECK(text != NULL);
    if (text) {
        for (char *f = strchr(text, '\f'); f; f = strchr(f, '\f'))
            *f = '\n'; /* the page break: a control character text_nfc refuses */
        char *nfc = text_nfc(text);
        CHECK_STR(nfc, text); /* extracted as NFC */
        free(nfc);
        /* -layout keeps the two columns on one line: the body is below both. */
        const char *body = strstr(text, "Về việc triển khai");
        const char *motto = strstr(text, "Độc lập - Tự do - Hạnh phúc");
        const char *number = strstr(text, "Số: 1250/UBND-KGVX");
        CHECK(body && motto && number && motto < body && number < body);
        const char *line = text;
        for (const char *nl; (nl = strchr(line, '\n')); line = nl + 1)
            if (strstr(line, "ỦY BAN NHÂN DÂN") && nl > line) /* left half, the motto right */
                CHECK(memmem(line, (size_t)(nl - line), "CỘNG HÒA", strlen("CỘNG HÒA")) != NULL);
        tool_squeeze(text);
        CHECK(strstr(text, "của tỉnh năm 2026") != NULL);
        CHECK(strstr(text, "Nguyễn Văn Hùng") != NULL);
        free(text);
    }
    buf_release(&out);
    free(upper);
    free(nfd);
}

TEST(long_text_flows_onto_a_second_page_and_bad_input_is_refused)
{
    static char para[6000];
    size_t used = 0;
    while (used + 80 < sizeof(para))
        used += (size_t)snprintf(para + used, sizeof(para) - used,
                                 "Đề nghị các cơ quan, đơn vị "
                                 "nghiên cứu, thực hiện. ");
    struct pdf_text_block b[] = {{.text = "THÔNG BÁO", .size = 14, .align = PDF_TEXT_CENTRE},
                                 {.text = para},
                                 {.text = "Hết văn bản."}};
    struct buf out;
    CHECK_INT(pdf_text_document(b, 3, &out), RES_OK);
    char *info =
        tool_output(dir, "t.pdf", &out, "pdfinfo %s 2>/dev/null | grep -E '^(Pages|Page size):'");
    CHECK(info && strstr(info, "Pages:") && strstr(info, " 2\n"));
    CHECK(info && strstr(info, "595 x 842"));
    free(info);
    char *text = tool_output(dir, "t.pdf", &out, "pdftotext %s - 2>/dev/null");
    CHECK(text && strstr(text, "Hết văn bản.") && strchr(text, '\f') < strstr(text, "Hết"));
    free(text);
    buf_release(&out);

    CHECK_INT(pdf_text_document(b, 0, &out), RES_INVALID);
    buf_release(&out);
    struct pdf_text_block bad = {.text = "\xff\xfe not UTF-8"};
    CHECK_INT(pdf_text_document(&bad, 1, &out), RES_INVALID);
    buf_release(&out);
    static char huge[PDF_TEXT_MAX_BYTES + 2];
    memset(huge, 'a', sizeof(huge) - 1);
    struct pdf_text_block big = {.text = huge};
    CHECK_INT(pdf_text_document(&big, 1, &out), RES_INVALID);
    buf_release(&out);
}

int main(void)
{
    snprintf(dir, sizeof(dir), "/tmp/qlvb-text-XXXXXX");
    if (!mkdtemp(dir))
        return 2;
    RUN(a_letter_heading_and_body_come_back_as_written);
    RUN(long_text_flows_onto_a_second_page_and_bad_input_is_refused);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup of %s failed\n", dir);
    return CHECK_DONE("test_pdf_text");
}
