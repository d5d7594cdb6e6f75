/* Table reports as PDF (pdf_table.h). Two passes over the rows: the first wraps every
 * cell and places the rows on pages (a row that does not fit goes to the next page under
 * a repeated header), so the second can number the pages "n/N" while it draws. */
#include "pdf/pdf_table.h"

#include <stdlib.h>
#include <string.h>

#include <mupdf/ucdn.h>

#include "pdf/pdf_util.h"
#include "util/alloc.h"

#define MARGIN     36.0f
#define BOTTOM     44.0f /* the footer sits in it */
#define TITLE_SIZE 14.0f
#define SUB_SIZE   11.0f
#define CELL_SIZE  9.0f
#define LEADING    1.22f
#define PAD        3.0f
#define MAX_LINES  40 /* of one cell; more is cut with "…" */

struct layout {
    fz_font *regular, *bold;
    float page_w, page_h, col_x[TABLE_MAX_COLUMNS + 1];
    struct pdf_lines header[TABLE_MAX_COLUMNS];
    float header_h;
    struct pdf_lines *cells; /* nrows × ncolumns */
    float *row_h;
    int *row_page;
    int pages;
};

/* Greedy wrapping on spaces (pdf_util_wrap), at most MAX_LINES lines a cell. */
static void wrap(fz_context *ctx, fz_font *font, float size, float width, const char *text,
                 struct pdf_lines *out)
{
    pdf_util_wrap(ctx, font, size, width, text, MAX_LINES, out);
}

static void lines_free(struct pdf_lines *c)
{
    pdf_lines_free(c);
}

static float cells_height(const struct pdf_lines *c, size_t n)
{
    int most = 1;
    for (size_t i = 0; i < n; i++)
        if (c[i].n > most)
            most = c[i].n;
    return (float)most * CELL_SIZE * LEADING + 2 * PAD;
}

static float title_height(const struct table_spec *t)
{
    float h = TITLE_SIZE * 1.6f;
    for (int i = 0; i < TABLE_MAX_SUBTITLES && t->subtitles[i]; i++)
        h += SUB_SIZE * 1.4f;
    return h + SUB_SIZE * 0.6f;
}

static void show(fz_context *ctx, fz_text *txt, fz_font *font, float size, float x, float y,
                 const char *s)
{
    fz_show_string(ctx, txt, font, fz_make_matrix(size, 0, 0, -size, x, y), s, 0, 0, FZ_BIDI_LTR,
                   FZ_LANG_UNSET);
}

static void show_centred(fz_context *ctx, fz_text *txt, fz_font *font, float size, float cx,
                         float y, const char *s)
{
    show(ctx, txt, font, size, cx - pdf_util_text_advance(ctx, font, size, s) / 2, y, s);
}

/* One row of cells at y (top): borders into path, text into txt. */
static void draw_row(fz_context *ctx, const struct layout *L, size_t ncol,
                     const struct pdf_lines *c, float y, float h, fz_font *font, fz_text *txt,
                     fz_path *path, bool centre)
{
    for (size_t k = 0; k < ncol; k++) {
        float x0 = L->col_x[k], x1 = L->col_x[k + 1];
        fz_rectto(ctx, path, x0, y, x1, y + h);
        for (int i = 0; i < c[k].n; i++) {
            float base = y + PAD + CELL_SIZE * (LEADING * (float)i + 0.95f);
            if (centre)
                show_centred(ctx, txt, font, CELL_SIZE, (x0 + x1) / 2, base, c[k].line[i]);
            else
                show(ctx, txt, font, CELL_SIZE, x0 + PAD, base, c[k].line[i]);
        }
    }
}

static void draw_page(fz_context *ctx, fz_device *dev, const struct table_spec *t,
                      const struct layout *L, int page, size_t first, size_t end)
{
    fz_text *txt = NULL;
    fz_path *grid = NULL, *shade = NULL;
    fz_stroke_state *stroke = NULL;
    fz_var(txt);
    fz_var(grid);
    fz_var(shade);
    fz_var(stroke);
    fz_try(ctx)
    {
        txt = fz_new_text(ctx);
        grid = fz_new_path(ctx);
        shade = fz_new_path(ctx);
        float y = MARGIN, cx = L->page_w / 2;
        if (page == 0) {
            show_centred(ctx, txt, L->bold, TITLE_SIZE, cx, y + TITLE_SIZE,
                         t->title ? t->title : "");
            y += TITLE_SIZE * 1.6f;
            for (int i = 0; i < TABLE_MAX_SUBTITLES && t->subtitles[i]; i++) {
                show_centred(ctx, txt, L->regular, SUB_SIZE, cx, y + SUB_SIZE, t->subtitles[i]);
                y += SUB_SIZE * 1.4f;
            }
            y += SUB_SIZE * 0.6f;
        }
        fz_rectto(ctx, shade, L->col_x[0], y, L->col_x[t->ncolumns], y + L->header_h);
        draw_row(ctx, L, t->ncolumns, L->header, y, L->header_h, L->bold, txt, grid, true);
        y += L->header_h;
        for (size_t r = first; r < end; r++) {
            draw_row(ctx, L, t->ncolumns, &L->cells[r * t->ncolumns], y, L->row_h[r], L->regular,
                     txt, grid, false);
            y += L->row_h[r];
        }
        char foot[64];
        snprintf(foot, sizeof(foot), "%s %d/%d", t->page_label ? t->page_label : "", page + 1,
                 L->pages);
        show(ctx, txt, L->regular, CELL_SIZE,
             L->page_w - MARGIN - pdf_util_text_advance(ctx, L->regular, CELL_SIZE, foot),
             L->page_h - BOTTOM / 2, foot);
        float grey[3] = {0.88f, 0.88f, 0.88f}, black[3] = {0, 0, 0};
        fz_fill_path(ctx, dev, shade, 0, fz_identity, fz_device_rgb(ctx), grey, 1,
                     fz_default_color_params);
        stroke = fz_new_stroke_state(ctx);
        stroke->linewidth = 0.5f;
        fz_stroke_path(ctx, dev, grid, stroke, fz_identity, fz_device_rgb(ctx), black, 1,
                       fz_default_color_params);
        fz_fill_text(ctx, dev, txt, fz_identity, fz_device_rgb(ctx), black, 1,
                     fz_default_color_params);
    }
    fz_always(ctx)
    {
        fz_drop_stroke_state(ctx, stroke);
        fz_drop_path(ctx, grid);
        fz_drop_path(ctx, shade);
        fz_drop_text(ctx, txt);
    }
    fz_catch(ctx) fz_rethrow(ctx);
}

/* First pass: wrapped cells, row heights, the page of every row. */
static void lay_out(fz_context *ctx, const struct table_spec *t, struct layout *L)
{
    float total = 0;
    for (size_t k = 0; k < t->ncolumns; k++)
        total += t->columns[k].width > 0 ? t->columns[k].width : 1;
    float x = MARGIN, avail = L->page_w - 2 * MARGIN;
    for (size_t k = 0; k < t->ncolumns; k++) {
        L->col_x[k] = x;
        x += avail * (t->columns[k].width > 0 ? t->columns[k].width : 1) / total;
    }
    L->col_x[t->ncolumns] = L->page_w - MARGIN;
    for (size_t k = 0; k < t->ncolumns; k++)
        wrap(ctx, L->bold, CELL_SIZE, L->col_x[k + 1] - L->col_x[k] - 2 * PAD, t->columns[k].title,
             &L->header[k]);
    L->header_h = cells_height(L->header, t->ncolumns);
    float bottom = L->page_h - BOTTOM;
    float y = MARGIN + title_height(t) + L->header_h;
    int page = 0;
    bool empty_page = true;
    for (size_t r = 0; r < t->nrows; r++) {
        struct pdf_lines *row = &L->cells[r * t->ncolumns];
        for (size_t k = 0; k < t->ncolumns; k++)
            wrap(ctx, L->regular, CELL_SIZE, L->col_x[k + 1] - L->col_x[k] - 2 * PAD,
                 t->cells[r * t->ncolumns + k], &row[k]);
        L->row_h[r] = cells_height(row, t->ncolumns);
        if (y + L->row_h[r] > bottom && !empty_page) {
            page++;
            y = MARGIN + L->header_h;
        }
        L->row_page[r] = page;
        y += L->row_h[r];
        empty_page = false;
    }
    L->pages = page + 1;
}

result_t pdf_table_report(const struct table_spec *t, struct buf *out)
{
    buf_init(out, PDF_MAX_BYTES);
    if (!t->ncolumns || t->ncolumns > TABLE_MAX_COLUMNS || t->nrows > PDF_TABLE_MAX_ROWS)
        return RES_INVALID;
    fz_context *ctx = pdf_util_ctx_new();
    if (!ctx)
        return RES_INTERNAL;
    struct layout L;
    memset(&L, 0, sizeof(L));
    L.page_w = t->landscape ? 842 : 595;
    L.page_h = t->landscape ? 595 : 842;
    L.cells = xcalloc(t->nrows * t->ncolumns + 1, sizeof(*L.cells));
    L.row_h = xcalloc(t->nrows + 1, sizeof(*L.row_h));
    L.row_page = xcalloc(t->nrows + 1, sizeof(*L.row_page));
    fz_buffer *fb = NULL;
    fz_output *o = NULL;
    fz_document_writer *w = NULL;
    result_t r = RES_OK;
    fz_var(fb);
    fz_var(o);
    fz_var(w);
    fz_try(ctx)
    {
        /* MuPDF's built-in Noto Serif: every Vietnamese letter in one embedded font. The
         * base-14 Times (URW Nimbus) and Charis SIL built into MuPDF lack the precomposed
         * letters of U+1EA0–U+1EF9 and ơ/ư, which MuPDF would then draw from this very
         * font as a fallback, mixing two faces in one word. It has no bold: the title
         * and the header row stand out by size and shading. */
        int len = 0, sub = 0;
        const unsigned char *data =
            fz_lookup_noto_font(ctx, UCDN_SCRIPT_LATIN, FZ_LANG_UNSET, &len, &sub);
        if (!data)
            fz_throw(ctx, FZ_ERROR_GENERIC, "no built-in Latin font");
        L.regular = fz_new_font_from_memory(ctx, NULL, data, len, sub, 0);
        L.bold = fz_keep_font(ctx, L.regular);
        lay_out(ctx, t, &L);
        fb = fz_new_buffer(ctx, 64 * 1024);
        o = pdf_util_output(ctx, fb);
        w = fz_new_pdf_writer_with_output(ctx, o, "compress,compress-fonts,garbage");
        o = NULL; /* the writer owns it now */
        size_t first = 0;
        for (int p = 0; p < L.pages; p++) {
            size_t end = first;
            while (end < t->nrows && L.row_page[end] == p)
                end++;
            fz_device *dev = fz_begin_page(ctx, w, fz_make_rect(0, 0, L.page_w, L.page_h));
            draw_page(ctx, dev, t, &L, p, first, end);
            fz_end_page(ctx, w);
            first = end;
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
    for (size_t k = 0; k < t->ncolumns; k++)
        lines_free(&L.header[k]);
    for (size_t i = 0; i < t->nrows * t->ncolumns; i++)
        lines_free(&L.cells[i]);
    free(L.cells);
    free(L.row_h);
    free(L.row_page);
    fz_drop_font(ctx, L.regular);
    fz_drop_font(ctx, L.bold);
    fz_drop_context(ctx);
    return r;
}
