/* Number and date stamping. Text is drawn through a display list in a subset of MuPDF's
 * built-in Noto Serif (pdf_font.h: every Vietnamese letter) cut down to the characters
 * of the number and symbol and the digits of the date, so the appearance streams embed a
 * few kilobytes of font with a ToUnicode map. MuPDF 1.19's own FreeText appearance only
 * knows WinAnsi and would lose "Đ"; the whole base-14 Times it once embedded was 47 KB of
 * a signed one-page document (issue 12 "Signing speed"). */
#include "pdf/pdf_stamp.h"

#include <stdio.h>
#include <string.h>

#include "pdf/pdf_font.h"
#include "pdf/pdf_util.h"
#include "util/log.h"

#define MAX_HITS 16

static void add_text(fz_context *ctx, pdf_page *page, fz_font *font, float size, float x,
                     float baseline, const char *s)
{
    fz_text *t = NULL;
    fz_display_list *dl = NULL;
    fz_device *dev = NULL;
    pdf_annot *a = NULL;
    float black[3] = {0, 0, 0};

    fz_var(t);
    fz_var(a);
    fz_var(dl);
    fz_var(dev);
    fz_try(ctx)
    {
        t = fz_new_text(ctx);
        fz_show_string(ctx, t, font, fz_make_matrix(size, 0, 0, -size, x, baseline), s, 0, 0,
                       FZ_BIDI_LTR, FZ_LANG_UNSET);
        /* The box of the line from its advance and the font's ascender and descender:
         * fz_bound_text takes the font's bounding box (Noto Serif's is 3.5 em wide),
         * and so wide a box draws the appearance away from where it is written. */
        float w = pdf_util_text_advance(ctx, font, size, s);
        fz_rect r = {x - 1, baseline - fz_font_ascender(ctx, font) * size - 1, x + w + 1,
                     baseline - fz_font_descender(ctx, font) * size + 1};
        a = pdf_create_annot(ctx, page, PDF_ANNOT_FREE_TEXT); /* a new reference */
        pdf_set_annot_rect(ctx, a, r);
        pdf_set_annot_contents(ctx, a, s);
        dl = fz_new_display_list(ctx, r);
        dev = fz_new_list_device(ctx, dl);
        fz_fill_text(ctx, dev, t, fz_identity, fz_device_rgb(ctx), black, 1,
                     fz_default_color_params);
        fz_close_device(ctx, dev);
        pdf_set_annot_appearance_from_display_list(ctx, a, "N", NULL, fz_identity, dl);
        pdf_set_annot_flags(ctx, a,
                            PDF_ANNOT_IS_PRINT | PDF_ANNOT_IS_READ_ONLY | PDF_ANNOT_IS_LOCKED);
    }
    fz_always(ctx)
    {
        fz_drop_device(ctx, dev);
        fz_drop_display_list(ctx, dl);
        fz_drop_text(ctx, t);
        pdf_drop_annot(ctx, a);
    }
    fz_catch(ctx) fz_rethrow(ctx);
}

static float height(fz_quad q)
{
    return q.ll.y - q.ul.y;
}

/* Baseline and size of a word found on the page (its font's descent about 0.22 em). */
static void metrics(fz_quad q, float *size, float *baseline)
{
    *size = height(q) / 1.15f;
    if (*size < 6)
        *size = 6;
    if (*size > 20)
        *size = 20;
    *baseline = q.ll.y - 0.216f * *size;
}

static int same_line(fz_quad a, fz_quad b)
{
    float d = (a.ll.y + a.ul.y) / 2 - (b.ll.y + b.ul.y) / 2;
    return d > -3 && d < 3;
}

static void stamp_number(fz_context *ctx, pdf_page *page, fz_stext_page *st, fz_font *font,
                         fz_quad so, const char *number)
{
    fz_quad hits[MAX_HITS];
    float size, base;
    char num[64];
    const char *slash = strchr(number, '/');
    metrics(so, &size, &base);
    if (slash && slash != number) {
        int n = fz_search_stext_page(ctx, st, slash, NULL, hits, MAX_HITS);
        for (int i = 0; i < n; i++) {
            if (!same_line(hits[i], so) || hits[i].ul.x <= so.ur.x)
                continue;
            /* The symbol is printed: write the number centred in the blank. */
            snprintf(num, sizeof(num), "%.*s", (int)(slash - number), number);
            float w = pdf_util_text_advance(ctx, font, size, num);
            float x = (so.ur.x + hits[i].ul.x) / 2 - w / 2;
            add_text(ctx, page, font, size, x, base, num);
            return;
        }
    }
    add_text(ctx, page, font, size, so.ur.x + size * 0.4f, base, number);
}

/* Writes s centred between two words of a line. */
static void add_between(fz_context *ctx, pdf_page *page, fz_font *font, float size, float base,
                        float left, float right, const char *s)
{
    float w = pdf_util_text_advance(ctx, font, size, s);
    add_text(ctx, page, font, size, (left + right) / 2 - w / 2, base, s);
}

static void stamp_date(fz_context *ctx, pdf_page *page, fz_stext_page *st, fz_font *font,
                       float size, int y, int m, int d)
{
    fz_quad nd[MAX_HITS], th[MAX_HITS], nm[MAX_HITS];
    int a = fz_search_stext_page(ctx, st, "ngày", NULL, nd, MAX_HITS);
    int b = fz_search_stext_page(ctx, st, "tháng", NULL, th, MAX_HITS);
    int c = fz_search_stext_page(ctx, st, "năm", NULL, nm, MAX_HITS);
    char txt[16];
    for (int i = 0; i < a; i++)
        for (int j = 0; j < b; j++)
            for (int k = 0; k < c; k++) {
                if (!same_line(nd[i], th[j]) || !same_line(nd[i], nm[k]) ||
                    !(nd[i].ur.x < th[j].ul.x && th[j].ur.x < nm[k].ul.x))
                    continue;
                float base = th[j].ll.y - 0.216f * size;
                /* ND30 Phụ lục I: days below 10 and months 1, 2 take a leading zero. */
                snprintf(txt, sizeof(txt), "%02d", d);
                add_between(ctx, page, font, size, base, nd[i].ur.x, th[j].ul.x, txt);
                snprintf(txt, sizeof(txt), m < 3 ? "%02d" : "%d", m);
                add_between(ctx, page, font, size, base, th[j].ur.x, nm[k].ul.x, txt);
                snprintf(txt, sizeof(txt), "%d", y);
                add_text(ctx, page, font, size, nm[k].ur.x + size * 0.3f, base, txt);
                return;
            }
}

result_t pdf_stamp_document(const unsigned char *in, size_t in_len, const char *number, int year,
                            int month, int day, struct buf *out)
{
    result_t r = RES_INVALID;
    fz_context *ctx;
    pdf_document *doc = NULL;
    pdf_page *page = NULL;
    fz_stext_page *st = NULL;
    fz_font *font = NULL;
    fz_buffer *fb = NULL;
    fz_output *o = NULL;
    fz_quad so[MAX_HITS];

    buf_init(out, PDF_MAX_BYTES);
    if (!number || !number[0] || strlen(number) > 60 || year < 1900 || year > 9999 || month < 1 ||
        month > 12 || day < 1 || day > 31)
        return RES_INVALID;
    if (in_len > PDF_MAX_BYTES)
        return RES_TOO_LARGE;
    if (!(ctx = pdf_util_ctx_new()))
        return RES_INTERNAL;
    fz_var(doc);
    fz_var(page);
    fz_var(st);
    fz_var(font);
    fz_var(fb);
    fz_var(o);
    fz_var(r);
    fz_try(ctx)
    {
        doc = pdf_util_open(ctx, in, in_len);
        page = pdf_load_page(ctx, doc, 0);
        st = fz_new_stext_page_from_page(ctx, (fz_page *)page, NULL);
        if (fz_search_stext_page(ctx, st, "Số:", NULL, so, MAX_HITS) < 1) {
            r = RES_NOT_FOUND;
            fz_throw(ctx, FZ_ERROR_GENERIC, "no \"Số:\" on page 1");
        }
        /* Every character the stamp may write: the number and symbol, and the date's
         * digits (stamp_date writes nothing else). */
        const char *chars[2] = {number, "0123456789"};
        font = pdf_font_subset(ctx, chars, 2);
        stamp_number(ctx, page, st, font, so[0], number);
        float size, base;
        metrics(so[0], &size, &base);
        stamp_date(ctx, page, st, font, size, year, month, day);
        fb = fz_new_buffer(ctx, in_len + 65536);
        o = pdf_util_output(ctx, fb);
        pdf_write_options wo = pdf_default_write_options;
        wo.do_incremental = !pdf_was_repaired(ctx, doc);
        wo.do_compress = 1;
        pdf_write_document(ctx, doc, o, &wo);
        fz_close_output(ctx, o);
        r = pdf_util_to_buf(fb, out);
    }
    fz_always(ctx)
    {
        fz_drop_output(ctx, o);
        fz_drop_buffer(ctx, fb);
        fz_drop_font(ctx, font);
        fz_drop_stext_page(ctx, st);
        fz_drop_page(ctx, (fz_page *)page);
        pdf_drop_document(ctx, doc);
    }
    fz_catch(ctx)
    {
        log_debug("pdf stamp: %s", fz_caught_message(ctx));
        if (r == RES_OK)
            r = RES_INVALID;
    }
    fz_drop_context(ctx);
    return r;
}
