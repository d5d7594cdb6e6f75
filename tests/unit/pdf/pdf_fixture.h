/* Test helper: builds small administrative-looking PDFs with MuPDF (Vietnamese text in
 * a base-14 font, "Số:" and date lines for stamping, an ND30 signature block), runs
 * poppler's pdfsig, and reads or writes whole files. */
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

/* Where make_block_pdf draws the signature block, as displayed (MuPDF page space of the
 * upright A4 page: origin top-left, y down; on an unrotated page PDF y = 842 - y). The
 * right column is centred on FIXTURE_BLOCK_CX. */
#define FIXTURE_BLOCK_CX    430.0f
#define FIXTURE_TM_BASE     560.0f /* "TM. ỦY BAN NHÂN DÂN", same baseline as "Nơi nhận:" */
#define FIXTURE_TITLE_BASE  596.0f /* "PHÓ CHỦ TỊCH" */
#define FIXTURE_NAME_BASE   690.0f /* the signer's name, bold */
#define FIXTURE_PAGE_HEIGHT 842.0f

/* Advance width of UTF-8 s as fz_show_string lays it out (with its fallback fonts for
 * letters the base-14 font lacks): what a text extractor measures. */
static inline float fixture_width(fz_context *ctx, fz_font *font, float size, const char *s)
{
    fz_text *t = fz_new_text(ctx);
    fz_matrix end = fz_identity;
    fz_try(ctx) end =
        fz_show_string(ctx, t, font, fz_scale(size, size), s, 0, 0, FZ_BIDI_LTR, FZ_LANG_UNSET);
    fz_always(ctx) fz_drop_text(ctx, t);
    fz_catch(ctx) fz_rethrow(ctx);
    return end.e;
}

/* A line at (x, y) of the displayed page; m maps display space to the content's space. */
static inline void fixture_text(fz_context *ctx, fz_text *text, fz_font *font, float size, float x,
                                float y, fz_matrix m, const char *s)
{
    fz_matrix trm = fz_concat(fz_make_matrix(size, 0, 0, -size, x, y), m);
    fz_show_string(ctx, text, font, trm, s, 0, 0, FZ_BIDI_LTR, FZ_LANG_UNSET);
}

static inline void fixture_centred(fz_context *ctx, fz_text *text, fz_font *font, float size,
                                   float cx, float y, fz_matrix m, const char *s)
{
    fixture_text(ctx, text, font, size, cx - fixture_width(ctx, font, size, s) / 2, y, m, s);
}

/* An ND30 decision of `pages` upright A4 pages. Page block_page (1-based; 0: no page)
 * ends with the signature block of Phụ lục I: on the left "Nơi nhận:" and its list, on
 * the right "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", a gap for signature
 * and seal, and the signer's name in bold. Text extraction is made awkward the way real
 * files are: "Nơi nhận:" and "TM. ..." are one text object on one baseline, and the name is
 * drawn in two pieces, its last word first and 0.4 pt lower. With a block, page 1 also
 * carries the heading "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN" and the name inside a
 * sentence. Every page has body text across most of its width. rotate 90 or 270 makes
 * landscape pages with /Rotate whose content is drawn turned, so they display upright
 * (as scanners and some converters write them). */
static inline int make_block_pdf(int pages, int block_page, int rotate, const char *first_names,
                                 const char *last_name, struct buf *out)
{
    int ok = 0;
    fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
    pdf_document *doc = NULL;
    fz_font *font = NULL, *bold = NULL, *bold_italic = NULL;
    fz_buffer *fb = NULL;
    fz_output *o = NULL;
    fz_var(doc);
    fz_var(font);
    fz_var(bold);
    fz_var(bold_italic);
    fz_var(fb);
    fz_var(o);
    fz_var(ok);
    fz_try(ctx)
    {
        doc = pdf_create_document(ctx);
        font = fz_new_base14_font(ctx, "Times-Roman");
        bold = fz_new_base14_font(ctx, "Times-Bold");
        bold_italic = fz_new_base14_font(ctx, "Times-BoldItalic");
        fz_rect mb = rotate % 180 ? fz_make_rect(0, 0, 842, 595) : fz_make_rect(0, 0, 595, 842);
        /* Display space → the page's own (unrotated, y down) space pdf_page_write draws in. */
        pdf_obj *probe = pdf_new_dict(ctx, doc, 2);
        fz_rect pmb;
        fz_matrix ctm;
        pdf_dict_put_rect(ctx, probe, PDF_NAME(MediaBox), mb);
        pdf_dict_put_int(ctx, probe, PDF_NAME(Rotate), rotate);
        pdf_page_obj_transform(ctx, probe, &pmb, &ctm);
        pdf_drop_obj(ctx, probe);
        fz_matrix m = fz_concat(fz_invert_matrix(ctm), fz_make_matrix(1, 0, 0, -1, 0, mb.y1));
        for (int i = 0; i < pages; i++) {
            pdf_obj *res = NULL, *page = NULL;
            fz_buffer *contents = NULL;
            fz_device *dev = pdf_page_write(ctx, doc, mb, &res, &contents);
            fz_text *text = fz_new_text(ctx), *late = fz_new_text(ctx);
            float black[3] = {0, 0, 0};
            char line[160];
            int block = i + 1 == block_page, body = block ? 28 : 48;
            if (i == 0 && block_page > 0) {
                fixture_centred(ctx, text, bold, 13, 297, 60, m, "QUYẾT ĐỊNH");
                fixture_centred(ctx, text, bold, 13, 297, 78, m,
                                "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN");
                snprintf(line, sizeof(line), "Giao ông %s %s, Giám đốc Sở, tổ chức thực hiện.",
                         first_names, last_name);
                fixture_text(ctx, text, font, 13, 70, 96, m, line);
            }
            for (int l = 0; l < body; l++) {
                snprintf(line, sizeof(line),
                         "Trang %d, dòng %d: nội dung điều khoản của văn bản, trình bày đủ rộng.",
                         i + 1, l + 1);
                fixture_text(ctx, text, font, 12, 70, 110 + 14 * l, m, line);
            }
            if (block) {
                float tm = FIXTURE_TM_BASE, cx = FIXTURE_BLOCK_CX;
                fixture_text(ctx, text, bold_italic, 12, 70, tm, m, "Nơi nhận:");
                fixture_centred(ctx, text, bold, 13, cx, tm, m, "TM. ỦY BAN NHÂN DÂN");
                fixture_centred(ctx, text, bold, 13, cx, tm + 18, m, "KT. CHỦ TỊCH");
                fixture_centred(ctx, text, bold, 13, cx, FIXTURE_TITLE_BASE, m, "PHÓ CHỦ TỊCH");
                fixture_text(ctx, text, font, 11, 70, tm + 14, m, "- Như Điều 3;");
                fixture_text(ctx, text, font, 11, 70, tm + 27, m, "- Chủ tịch, các PCT UBND tỉnh;");
                fixture_text(ctx, text, font, 11, 70, tm + 40, m, "- Lưu: VT, NC.");
                snprintf(line, sizeof(line), "%s %s", first_names, last_name);
                float x = cx - fixture_width(ctx, bold, 13, line) / 2;
                fixture_text(ctx, late, bold, 13, x, FIXTURE_NAME_BASE, m, first_names);
                snprintf(line, sizeof(line), "%s ", first_names);
                fixture_text(ctx, text, bold, 13, x + fixture_width(ctx, bold, 13, line),
                             FIXTURE_NAME_BASE + 0.4f, m, last_name);
            }
            fz_fill_text(ctx, dev, text, fz_identity, fz_device_rgb(ctx), black, 1,
                         fz_default_color_params);
            fz_fill_text(ctx, dev, late, fz_identity, fz_device_rgb(ctx), black, 1,
                         fz_default_color_params);
            fz_close_device(ctx, dev);
            fz_drop_device(ctx, dev);
            fz_drop_text(ctx, text);
            fz_drop_text(ctx, late);
            page = pdf_add_page(ctx, doc, mb, rotate, res, contents);
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
        fz_drop_font(ctx, bold);
        fz_drop_font(ctx, bold_italic);
        pdf_drop_document(ctx, doc);
    }
    fz_catch(ctx)
    {
        fprintf(stderr, "make_block_pdf: %s\n", fz_caught_message(ctx));
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
