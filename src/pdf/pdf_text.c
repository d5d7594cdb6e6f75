/* Simple text documents as PDF (pdf_text.h). One pass lays the blocks out (wrapping
 * with pdf_util_wrap) into a list of placed lines with their page; a second draws each
 * page's lines through MuPDF's PDF writer. */
#include "pdf/pdf_text.h"

#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_font.h"
#include "pdf/pdf_util.h"
#include "text/text.h"
#include "util/alloc.h"

#define PAGE_W    595.0f
#define PAGE_H    842.0f
#define M_LEFT    85.0f /* 30 mm left, 20 mm right, 20 mm top and bottom (ND30 Phụ lục I) */
#define M_RIGHT   57.0f
#define M_TOP     57.0f
#define M_BOTTOM  57.0f
#define LEADING   1.3f
#define GUTTER    14.0f
#define MAX_LINES 400 /* of one block */

struct placed {
    const char *text; /* into the block's wrapped lines */
    float x, y, size, rule_w;
    int page;
};

struct layout {
    struct pdf_lines *wrapped; /* one per block */
    struct placed *lines;
    size_t nlines, cap;
    int pages;
};

static void place(struct layout *L, const char *text, float x, float y, float size, int page,
                  float rule_w)
{
    if (L->nlines == L->cap) {
        L->cap = L->cap ? 2 * L->cap : 64;
        L->lines = xrealloc(L->lines, L->cap * sizeof(*L->lines));
    }
    L->lines[L->nlines++] =
        (struct placed){.text = text, .x = x, .y = y, .size = size, .page = page, .rule_w = rule_w};
}

static void lay_out(fz_context *ctx, fz_font *font, const struct pdf_text_block *b, size_t n,
                    struct layout *L)
{
    float full_w = PAGE_W - M_LEFT - M_RIGHT;
    /* the motto's column is the wider: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" on one line */
    float half_w[2] = {(full_w - GUTTER) * 0.42f, (full_w - GUTTER) * 0.58f};
    /* y of the next line in each column; the halves share the page of the full column */
    float y_full = M_TOP, y_half[2] = {M_TOP, M_TOP};
    int page = 0;
    bool in_halves = false;
    for (size_t i = 0; i < n; i++) {
        float size = b[i].size > 0 ? b[i].size : 13.0f, lead = size * LEADING;
        bool half = b[i].column != PDF_TEXT_FULL;
        int side = b[i].column == PDF_TEXT_RIGHT_HALF;
        if (half && !in_halves)
            y_half[0] = y_half[1] = y_full;
        if (!half && in_halves)
            y_full = y_half[0] > y_half[1] ? y_half[0] : y_half[1];
        in_halves = half;
        float x0 = half ? M_LEFT + (float)side * (half_w[0] + GUTTER) : M_LEFT;
        float w = half ? half_w[side] : full_w;
        float *y = half ? &y_half[side] : &y_full;
        *y += b[i].space_before;
        pdf_util_wrap(ctx, font, size, w, b[i].text, MAX_LINES, &L->wrapped[i]);
        for (int k = 0; k < L->wrapped[i].n; k++) {
            if (*y + lead > PAGE_H - M_BOTTOM && !half) { /* halves stay on their page */
                page++;
                *y = M_TOP;
            }
            const char *t = L->wrapped[i].line[k];
            float tw = pdf_util_text_advance(ctx, font, size, t);
            float x = b[i].align == PDF_TEXT_CENTRE  ? x0 + (w - tw) / 2
                      : b[i].align == PDF_TEXT_RIGHT ? x0 + w - tw
                                                     : x0;
            bool last = k == L->wrapped[i].n - 1;
            place(L, t, x, *y + size, size, page, last && b[i].rule > 0 ? tw * b[i].rule : 0);
            *y += lead;
        }
        if (b[i].rule > 0)
            *y += size * 0.4f;
    }
    L->pages = page + 1;
}

static void draw_page(fz_context *ctx, fz_device *dev, fz_font *font, const struct layout *L,
                      int page)
{
    fz_text *txt = NULL;
    fz_path *rules = NULL;
    fz_stroke_state *stroke = NULL;
    fz_var(txt);
    fz_var(rules);
    fz_var(stroke);
    fz_try(ctx)
    {
        txt = fz_new_text(ctx);
        rules = fz_new_path(ctx);
        bool any_rule = false;
        for (size_t i = 0; i < L->nlines; i++) {
            const struct placed *p = &L->lines[i];
            if (p->page != page)
                continue;
            fz_show_string(ctx, txt, font, fz_make_matrix(p->size, 0, 0, -p->size, p->x, p->y),
                           p->text, 0, 0, FZ_BIDI_LTR, FZ_LANG_UNSET);
            if (p->rule_w > 0) { /* centred under the line */
                float tw = pdf_util_text_advance(ctx, font, p->size, p->text);
                float cx = p->x + tw / 2, ry = p->y + p->size * 0.35f;
                fz_moveto(ctx, rules, cx - p->rule_w / 2, ry);
                fz_lineto(ctx, rules, cx + p->rule_w / 2, ry);
                any_rule = true;
            }
        }
        float black[3] = {0, 0, 0};
        if (any_rule) {
            stroke = fz_new_stroke_state(ctx);
            stroke->linewidth = 0.6f;
            fz_stroke_path(ctx, dev, rules, stroke, fz_identity, fz_device_rgb(ctx), black, 1,
                           fz_default_color_params);
        }
        fz_fill_text(ctx, dev, txt, fz_identity, fz_device_rgb(ctx), black, 1,
                     fz_default_color_params);
    }
    fz_always(ctx)
    {
        fz_drop_stroke_state(ctx, stroke);
        fz_drop_path(ctx, rules);
        fz_drop_text(ctx, txt);
    }
    fz_catch(ctx) fz_rethrow(ctx);
}

result_t pdf_text_document(const struct pdf_text_block *blocks, size_t n, struct buf *out)
{
    buf_init(out, PDF_MAX_BYTES);
    if (!n || n > PDF_TEXT_MAX_BLOCKS)
        return RES_INVALID;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const char *t = blocks[i].text ? blocks[i].text : "";
        size_t len = strlen(t);
        total += len;
        if (total > PDF_TEXT_MAX_BYTES || !text_valid_utf8(t, len))
            return RES_INVALID;
    }
    fz_context *ctx = pdf_util_ctx_new();
    if (!ctx)
        return RES_INTERNAL;
    const char **texts = xcalloc(n + 1, sizeof(*texts));
    for (size_t i = 0; i < n; i++)
        texts[i] = blocks[i].text ? blocks[i].text : "";
    texts[n] = "…"; /* the end of a cut block */
    struct layout L = {.wrapped = xcalloc(n, sizeof(*L.wrapped))};
    fz_font *font = NULL;
    fz_buffer *fb = NULL;
    fz_output *o = NULL;
    fz_document_writer *w = NULL;
    result_t r = RES_OK;
    fz_var(font);
    fz_var(fb);
    fz_var(o);
    fz_var(w);
    fz_try(ctx)
    {
        /* The glyphs of exactly these texts (and "…" of a cut block). */
        font = pdf_font_subset(ctx, texts, (int)n + 1);
        lay_out(ctx, font, blocks, n, &L);
        fb = fz_new_buffer(ctx, 16 * 1024);
        o = pdf_util_output(ctx, fb);
        w = fz_new_pdf_writer_with_output(ctx, o, "compress,compress-fonts,garbage");
        o = NULL; /* the writer owns it now */
        for (int p = 0; p < L.pages; p++) {
            fz_device *dev = fz_begin_page(ctx, w, fz_make_rect(0, 0, PAGE_W, PAGE_H));
            draw_page(ctx, dev, font, &L, p);
            fz_end_page(ctx, w);
        }
        fz_close_document_writer(ctx, w);
    }
    fz_always(ctx)
    {
        fz_drop_document_writer(ctx, w);
        fz_drop_output(ctx, o);
    }
    fz_catch(ctx) r = RES_INTERNAL;
    if (r == RES_OK)
        r = pdf_util_to_buf(fb, out);
    fz_drop_buffer(ctx, fb);
    for (size_t i = 0; i < n; i++)
        pdf_lines_free(&L.wrapped[i]);
    free(L.wrapped);
    free(L.lines);
    free(texts);
    fz_drop_font(ctx, font);
    fz_drop_context(ctx);
    return r;
}
