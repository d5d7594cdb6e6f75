/* Test helper: builds small administrative-looking PDFs with MuPDF (Vietnamese text in
 * a base-14 font, "Số:" and date lines for stamping), runs poppler's pdfsig, and reads
 * or writes whole files. */
#ifndef QLVB_TEST_PDF_FIXTURE_H
#define QLVB_TEST_PDF_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "util/buf.h"

static inline void fixture_line(fz_context *ctx, fz_text *text, fz_font *font, float size, float x,
                                float y, const char *s)
{
    fz_matrix trm = fz_make_matrix(size, 0, 0, -size, x, y);
    fz_show_string(ctx, text, font, trm, s, 0, 0, FZ_BIDI_LTR, FZ_LANG_UNSET);
}

/* A4 pages; page 1 carries the header of a decision with empty number and date. */
static inline int make_test_pdf(int pages, struct buf *out)
{
    int ok = 0;
    fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
    pdf_document *doc = NULL;
    fz_font *font = NULL;
    fz_buffer *fb = NULL;
    fz_output *o = NULL;
    fz_var(doc);
    fz_var(font);
    fz_var(fb);
    fz_var(o);
    fz_var(ok);
    fz_try(ctx)
    {
        doc = pdf_create_document(ctx);
        font = fz_new_base14_font(ctx, "Times-Roman");
        for (int i = 0; i < pages; i++) {
            fz_rect mb = fz_make_rect(0, 0, 595, 842);
            pdf_obj *res = NULL, *page = NULL;
            fz_buffer *contents = NULL;
            fz_device *dev = pdf_page_write(ctx, doc, mb, &res, &contents);
            fz_text *text = fz_new_text(ctx);
            float black[3] = {0, 0, 0};
            char line[128];
            if (i == 0) {
                fixture_line(ctx, text, font, 13, 70, 60, "ỦY BAN NHÂN DÂN");
                fixture_line(ctx, text, font, 13, 70, 76, "TỈNH LẠNG SƠN");
                fixture_line(ctx, text, font, 13, 300, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
                fixture_line(ctx, text, font, 13, 340, 76, "Độc lập - Tự do - Hạnh phúc");
                fixture_line(ctx, text, font, 13, 70, 110, "Số:         /QĐ-UBND");
                fixture_line(ctx, text, font, 13, 300, 110, "Lạng Sơn, ngày     tháng     năm");
                fixture_line(ctx, text, font, 14, 250, 160, "QUYẾT ĐỊNH");
                fixture_line(ctx, text, font, 13, 150, 180, "Về việc ban hành quy chế văn thư");
                fixture_line(ctx, text, font, 13, 380, 600, "CHỦ TỊCH");
                fixture_line(ctx, text, font, 13, 360, 720, "Nguyễn Văn An");
            }
            for (int l = 0; l < 30; l++) {
                snprintf(line, sizeof(line), "Trang %d, dòng %d: nội dung điều khoản của văn bản.",
                         i + 1, l + 1);
                fixture_line(ctx, text, font, 11, 70, 220 + 12 * l, line);
            }
            fz_fill_text(ctx, dev, text, fz_identity, fz_device_rgb(ctx), black, 1,
                         fz_default_color_params);
            fz_close_device(ctx, dev);
            fz_drop_device(ctx, dev);
            fz_drop_text(ctx, text);
            page = pdf_add_page(ctx, doc, mb, 0, res, contents);
            pdf_insert_page(ctx, doc, -1, page);
            pdf_drop_obj(ctx, page);
            pdf_drop_obj(ctx, res);
            fz_drop_buffer(ctx, contents);
        }
        fb = fz_new_buffer(ctx, 8192);
        o = fz_new_output_with_buffer(ctx, fb);
        pdf_write_options wo = pdf_default_write_options;
        wo.do_compress = 1;
        pdf_write_document(ctx, doc, o, &wo);
        fz_close_output(ctx, o);
        buf_init(out, 1 << 28);
        ok = buf_append(out, fb->data, fb->len) == RES_OK;
    }
    fz_always(ctx)
    {
        fz_drop_output(ctx, o);
        fz_drop_buffer(ctx, fb);
        fz_drop_font(ctx, font);
        pdf_drop_document(ctx, doc);
    }
    fz_catch(ctx)
    {
        fprintf(stderr, "make_test_pdf: %s\n", fz_caught_message(ctx));
        ok = 0;
    }
    fz_drop_context(ctx);
    return ok;
}

static inline int write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    size_t n = fwrite(data, 1, len, f);
    return fclose(f) == 0 && n == len;
}

static inline int read_file(const char *path, struct buf *out)
{
    char chunk[65536];
    size_t n;
    FILE *f = fopen(path, "rb");
    buf_init(out, 1 << 28);
    if (!f)
        return 0;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(out, chunk, n);
    fclose(f);
    return 1;
}

/* Runs pdfsig on a file; returns how many signatures it calls valid and keeps its
 * output in *report (may be NULL). */
static inline int pdfsig_valid_count(const char *path, struct buf *report)
{
    char cmd[512], line[1024];
    int valid = 0;
    snprintf(cmd, sizeof(cmd), "pdfsig '%s' 2>&1", path);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    while (fgets(line, sizeof(line), p)) {
        if (strstr(line, "Signature Validation: Signature is Valid."))
            valid++;
        if (report)
            buf_puts(report, line);
    }
    pclose(p);
    return valid;
}

/* How many signatures pdfsig lists at all. */
static inline int pdfsig_count(const char *report)
{
    int n = 0;
    for (const char *p = report; (p = strstr(p, "Signature #")) != NULL; p++)
        n++;
    return n;
}

#endif
