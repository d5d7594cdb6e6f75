/* The document as the signing page shows it: page sizes, PNG previews of pages, boxes
 * placed on a preview turned into PDF rectangles, and the signature widgets already
 * there (the agency seal goes over the last personal one). Declared in pdf_place.h. */
#include "pdf/pdf_place.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pdf/pdf_util.h"
#include "util/log.h"

#define MAX_FIELDS  4096 /* form fields looked at */
#define FIELD_DEPTH 16

result_t pdf_page_sizes(const unsigned char *data, size_t len, struct pdf_page_size *sizes, int max,
                        int *pages)
{
    result_t r = RES_INVALID;
    fz_context *ctx;
    pdf_document *doc = NULL;

    if (!pages)
        return RES_INVALID;
    *pages = 0;
    if (!data || (max > 0 && !sizes))
        return RES_INVALID;
    if (len > PDF_MAX_BYTES)
        return RES_TOO_LARGE;
    if (!(ctx = pdf_util_ctx_new()))
        return RES_INTERNAL;
    fz_var(doc);
    fz_var(r);
    fz_try(ctx)
    {
        doc = pdf_util_open(ctx, data, len);
        int n = pdf_count_pages(ctx, doc);
        if (n < 1)
            fz_throw(ctx, FZ_ERROR_GENERIC, "no pages");
        for (int i = 0; i < n && i < max; i++) {
            fz_rect mediabox;
            fz_matrix ctm;
            /* The page object alone: no content is loaded for a size. */
            pdf_page_obj_transform(ctx, pdf_lookup_page_obj(ctx, doc, i), &mediabox, &ctm);
            fz_rect b = fz_transform_rect(mediabox, ctm);
            sizes[i].width = b.x1 - b.x0;
            sizes[i].height = b.y1 - b.y0;
        }
        *pages = n;
        r = RES_OK;
    }
    fz_always(ctx) pdf_drop_document(ctx, doc);
    fz_catch(ctx)
    {
        log_debug("pdf sizes: %s", fz_caught_message(ctx));
        *pages = 0;
        r = RES_INVALID;
    }
    fz_drop_context(ctx);
    return r;
}

struct widget_walk {
    pdf_document *doc;
    struct pdf_widget *out;
    size_t max, n;
    int visited;
};

static int widget_page(fz_context *ctx, pdf_document *doc, pdf_obj *w)
{
    pdf_obj *p = pdf_dict_get(ctx, w, PDF_NAME(P));
    int n = p ? pdf_lookup_page_number(ctx, doc, p) : -1;
    if (n >= 0)
        return n + 1;
    /* No or a wrong /P: look for the widget (an indirect object) in the pages' /Annots. */
    int num = pdf_is_indirect(ctx, w) ? pdf_to_num(ctx, w) : 0;
    int pages = pdf_count_pages(ctx, doc);
    for (int i = 0; num > 0 && i < pages && i < 1000; i++) {
        pdf_obj *annots = pdf_dict_get(ctx, pdf_lookup_page_obj(ctx, doc, i), PDF_NAME(Annots));
        int k = pdf_array_len(ctx, annots);
        for (int j = 0; j < k; j++)
            if (pdf_to_num(ctx, pdf_array_get(ctx, annots, j)) == num)
                return i + 1;
    }
    return 0;
}

/* Drops a UTF-8 sequence that snprintf cut short, so the name stays valid UTF-8 (JSON). */
static void trim_utf8(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
        i--;
    if (i == 0 || (unsigned char)s[i - 1] < 0xc0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (n - (i - 1) < want)
        s[i - 1] = '\0';
}

/* /Rect normalised; all 0 for an invisible widget, as in pdf_sign_opts.rect (MuPDF
 * writes its "empty" rectangle, coordinates about ±2^31, for one). */
static void widget_rect(fz_rect r, float out[4])
{
    float x0 = fminf(r.x0, r.x1), y0 = fminf(r.y0, r.y1);
    float x1 = fmaxf(r.x0, r.x1), y1 = fmaxf(r.y0, r.y1);
    bool visible = x0 > -1e6f && y0 > -1e6f && x1 < 1e6f && y1 < 1e6f && x1 > x0 && y1 > y0;
    out[0] = visible ? x0 : 0;
    out[1] = visible ? y0 : 0;
    out[2] = visible ? x1 : 0;
    out[3] = visible ? y1 : 0;
}

/* Depth first through the field tree; FT and V are inherited by hand (with the path of
 * /T names) rather than through /Parent, which a hostile file may loop. */
static void walk_widgets(fz_context *ctx, struct widget_walk *w, pdf_obj *kids, const char *prefix,
                         pdf_obj *ft, pdf_obj *v, int depth)
{
    int n = pdf_array_len(ctx, kids);
    if (depth > FIELD_DEPTH)
        return;
    for (int i = 0; i < n && w->n < w->max && w->visited < MAX_FIELDS; i++) {
        pdf_obj *f = pdf_array_get(ctx, kids, i);
        if (!pdf_is_dict(ctx, f) || pdf_mark_obj(ctx, f))
            continue;
        w->visited++;
        fz_try(ctx)
        {
            char name[sizeof(w->out->field)];
            const char *t = pdf_dict_get_text_string(ctx, f, PDF_NAME(T));
            pdf_obj *my_ft = pdf_dict_get(ctx, f, PDF_NAME(FT));
            pdf_obj *my_v = pdf_dict_get(ctx, f, PDF_NAME(V));
            pdf_obj *sub = pdf_dict_get(ctx, f, PDF_NAME(Kids));
            my_ft = my_ft ? my_ft : ft;
            my_v = my_v ? my_v : v;
            snprintf(name, sizeof(name), "%s%s%s", prefix, prefix[0] && t[0] ? "." : "", t);
            trim_utf8(name);
            if (pdf_is_array(ctx, sub)) {
                walk_widgets(ctx, w, sub, name, my_ft, my_v, depth + 1);
            } else if (pdf_name_eq(ctx, my_ft, PDF_NAME(Sig)) &&
                       (pdf_name_eq(ctx, pdf_dict_get(ctx, f, PDF_NAME(Subtype)),
                                    PDF_NAME(Widget)) ||
                        pdf_is_array(ctx, pdf_dict_get(ctx, f, PDF_NAME(Rect))))) {
                struct pdf_widget *o = &w->out[w->n];
                memset(o, 0, sizeof(*o));
                o->page = widget_page(ctx, w->doc, f);
                widget_rect(pdf_dict_get_rect(ctx, f, PDF_NAME(Rect)), o->rect);
                snprintf(o->field, sizeof(o->field), "%s", name);
                o->is_signed = pdf_is_dict(ctx, my_v);
                w->n++;
            }
        }
        fz_always(ctx) pdf_unmark_obj(ctx, f);
        fz_catch(ctx) log_debug("pdf widgets: %s", fz_caught_message(ctx)); /* skip it */
    }
}

result_t pdf_signature_widgets(const unsigned char *data, size_t len, struct pdf_widget *out,
                               size_t max, size_t *n)
{
    result_t r = RES_INVALID;
    fz_context *ctx;
    pdf_document *doc = NULL;
    struct widget_walk w = {NULL, out, max, 0, 0};

    if (!n)
        return RES_INVALID;
    *n = 0;
    if (!data || (max > 0 && !out))
        return RES_INVALID;
    if (len > PDF_MAX_BYTES)
        return RES_TOO_LARGE;
    if (!(ctx = pdf_util_ctx_new()))
        return RES_INTERNAL;
    fz_var(doc);
    fz_var(r);
    fz_try(ctx)
    {
        doc = pdf_util_open(ctx, data, len);
        if (pdf_count_pages(ctx, doc) < 1)
            fz_throw(ctx, FZ_ERROR_GENERIC, "no pages");
        w.doc = doc;
        walk_widgets(ctx, &w, pdf_dict_getp(ctx, pdf_trailer(ctx, doc), "Root/AcroForm/Fields"), "",
                     NULL, NULL, 0);
        *n = w.n;
        r = RES_OK;
    }
    fz_always(ctx) pdf_drop_document(ctx, doc);
    fz_catch(ctx)
    {
        log_debug("pdf widgets: %s", fz_caught_message(ctx));
        *n = 0;
        r = RES_INVALID;
    }
    fz_drop_context(ctx);
    return r;
}

result_t pdf_view_to_rect(const unsigned char *data, size_t len, int page, const float view[4],
                          float rect[4])
{
    result_t r = RES_INVALID;
    fz_context *ctx;
    pdf_document *doc = NULL;

    if (!data || !view || !rect || page < 1)
        return RES_INVALID;
    memset(rect, 0, 4 * sizeof(*rect));
    for (int i = 0; i < 4; i++)
        if (!isfinite(view[i]) || fabsf(view[i]) > 1e6f)
            return RES_INVALID;
    if (len > PDF_MAX_BYTES)
        return RES_TOO_LARGE;
    if (!(ctx = pdf_util_ctx_new()))
        return RES_INTERNAL;
    fz_var(doc);
    fz_var(r);
    fz_try(ctx)
    {
        fz_rect mediabox;
        fz_matrix ctm;
        doc = pdf_util_open(ctx, data, len);
        if (page > pdf_count_pages(ctx, doc))
            fz_throw(ctx, FZ_ERROR_GENERIC, "no page %d", page);
        pdf_page_obj_transform(ctx, pdf_lookup_page_obj(ctx, doc, page - 1), &mediabox, &ctm);
        /* The displayed page's top-left corner is the origin of view. */
        fz_rect b = fz_transform_rect(mediabox, ctm);
        fz_rect v = fz_make_rect(b.x0 + fminf(view[0], view[2]), b.y0 + fminf(view[1], view[3]),
                                 b.x0 + fmaxf(view[0], view[2]), b.y0 + fmaxf(view[1], view[3]));
        fz_rect out = fz_transform_rect(v, fz_invert_matrix(ctm));
        rect[0] = out.x0;
        rect[1] = out.y0;
        rect[2] = out.x1;
        rect[3] = out.y1;
        r = RES_OK;
    }
    fz_always(ctx) pdf_drop_document(ctx, doc);
    fz_catch(ctx)
    {
        log_debug("pdf view: %s", fz_caught_message(ctx));
        memset(rect, 0, 4 * sizeof(*rect));
        r = RES_INVALID;
    }
    fz_drop_context(ctx);
    return r;
}

result_t pdf_render_page_png(const unsigned char *data, size_t len, int page, int max_width,
                             struct buf *png, float *scale_out)
{
    result_t r = RES_INVALID;
    fz_context *ctx;
    pdf_document *doc = NULL;
    pdf_page *pg = NULL;
    fz_pixmap *pix = NULL;
    fz_device *dev = NULL;
    fz_buffer *fb = NULL;

    buf_init(png, PDF_MAX_BYTES);
    if (scale_out)
        *scale_out = 0;
    if (!data || page < 1 || max_width < 1 || max_width > PDF_RENDER_MAX_W)
        return RES_INVALID;
    if (len > PDF_MAX_BYTES)
        return RES_TOO_LARGE;
    if (!(ctx = pdf_util_ctx_new()))
        return RES_INTERNAL;
    fz_var(doc);
    fz_var(pg);
    fz_var(pix);
    fz_var(dev);
    fz_var(fb);
    fz_var(r);
    fz_try(ctx)
    {
        doc = pdf_util_open(ctx, data, len);
        if (page > pdf_count_pages(ctx, doc))
            fz_throw(ctx, FZ_ERROR_GENERIC, "no page %d", page);
        pg = pdf_load_page(ctx, doc, page - 1);
        fz_rect b = fz_bound_page(ctx, (fz_page *)pg);
        float w = b.x1 - b.x0, h = b.y1 - b.y0;
        if (!isfinite(b.x0) || !isfinite(b.y0) || !isfinite(b.x1) || !isfinite(b.y1) || w < 1 ||
            h < 1)
            fz_throw(ctx, FZ_ERROR_GENERIC, "empty page");
        float scale = (float)max_width / w;
        double height = ceil((double)h * scale - 0.01);
        if (height > PDF_RENDER_MAX_H) {
            r = RES_TOO_LARGE;
            fz_throw(ctx, FZ_ERROR_GENERIC, "page image too tall");
        }
        pix = fz_new_pixmap_with_bbox(ctx, fz_device_rgb(ctx),
                                      fz_make_irect(0, 0, max_width, height < 1 ? 1 : (int)height),
                                      NULL, 0);
        fz_clear_pixmap_with_value(ctx, pix, 255);
        dev = fz_new_draw_device(ctx, fz_identity, pix);
        fz_run_page(ctx, (fz_page *)pg, dev, fz_pre_translate(fz_scale(scale, scale), -b.x0, -b.y0),
                    NULL);
        fz_close_device(ctx, dev);
        fb = fz_new_buffer_from_pixmap_as_png(ctx, pix, fz_default_color_params);
        r = pdf_util_to_buf(fb, png);
        if (scale_out)
            *scale_out = scale;
    }
    fz_always(ctx)
    {
        fz_drop_buffer(ctx, fb);
        fz_drop_device(ctx, dev);
        fz_drop_pixmap(ctx, pix);
        fz_drop_page(ctx, (fz_page *)pg);
        pdf_drop_document(ctx, doc);
    }
    fz_catch(ctx)
    {
        log_debug("pdf render: %s", fz_caught_message(ctx));
        if (r == RES_OK)
            r = RES_INVALID;
        buf_release(png);
        if (scale_out)
            *scale_out = 0;
    }
    fz_drop_context(ctx);
    return r;
}
