/* Finding the signer's box in a PDF's signature block. The text comes from MuPDF's
 * structured text of the page content, regrouped here into visual lines: one printed
 * line may reach MuPDF as several lines or blocks (pieces drawn at different times,
 * baselines a fraction of a point apart), and a line may run across both columns of a
 * footer ("Nơi nhận:" on the left, "TM. ỦY BAN NHÂN DÂN" on the right). */
#include "pdf/pdf_place.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_util.h"
#include "text/text.h"
#include "util/alloc.h"
#include "util/log.h"

#define LINE_BYTES 256    /* text kept per line; a longer line never matches */
#define MAX_RUNS   4000   /* text runs kept per page; the rest of a page is ignored */
#define COLUMN_GAP 2.0f   /* a wider horizontal gap (in font sizes) separates columns */
#define BOX_W      150.0f /* the signer's box in points */
#define BOX_H      60.0f
#define BOX_MIN_H  20.0f
#define PAD        3.0f  /* between the box and the text around it */
#define MARGIN     56.0f /* about 20 mm, the ND30 page margins */

/* Text on one baseline in page space (origin top-left, y down, points). */
struct run {
    fz_rect box;
    float base, size;
    size_t len;
    bool cut; /* did not fit in text */
    char text[LINE_BYTES];
};

struct lines {
    struct run *v;
    size_t n;
};

static void run_putc(struct run *r, int c)
{
    char u[FZ_UTFMAX];
    /* Whatever the font's ToUnicode says, the text stays valid UTF-8 for text_fold. */
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0xd800 && c < 0xe000) ||
        c > 0x10ffff)
        c = 0xfffd;
    int k = fz_runetochar(u, c);
    if (r->len + (size_t)k >= LINE_BYTES) {
        r->cut = true;
        return;
    }
    memcpy(r->text + r->len, u, (size_t)k);
    r->len += (size_t)k;
    r->text[r->len] = '\0';
}

static void run_puts(struct run *r, const char *s, bool cut)
{
    size_t n = strlen(s);
    if (r->len + n >= LINE_BYTES) {
        r->cut = true;
        return;
    }
    memcpy(r->text + r->len, s, n + 1);
    r->len += n;
    r->cut = r->cut || cut;
}

static bool is_space(int c)
{
    return c == ' ' || c == '\t' || c == 0xa0 || (c >= 0x2000 && c <= 0x200b) || c == 0x3000;
}

static bool finite_rect(fz_rect r)
{
    return isfinite(r.x0) && isfinite(r.y0) && isfinite(r.x1) && isfinite(r.y1);
}

/* Characters of horizontal lines into runs; a run ends where MuPDF's line ends, where
 * the baseline moves or at a column-wide gap. Characters off the page are dropped. */
static void collect_runs(fz_stext_page *st, fz_rect page, struct lines *L)
{
    for (fz_stext_block *b = st->first_block; b; b = b->next) {
        if (b->type != FZ_STEXT_BLOCK_TEXT)
            continue;
        for (fz_stext_line *ln = b->u.t.first_line; ln; ln = ln->next) {
            struct run *cur = NULL;
            bool space = false;
            if (ln->wmode || !(ln->dir.x > 0.99f))
                continue; /* vertical or rotated text is not a signature block */
            for (fz_stext_char *ch = ln->first_char; ch; ch = ch->next) {
                fz_rect cb = fz_rect_from_quad(ch->quad);
                float size = ch->size > 1 ? ch->size : 1;
                if (is_space(ch->c)) {
                    space = true;
                    continue;
                }
                if (!finite_rect(cb) || !isfinite(ch->origin.y) || !isfinite(ch->size) ||
                    size > 1000 || fz_is_empty_rect(fz_intersect_rect(cb, page)))
                    continue;
                if (cur && (fabsf(ch->origin.y - cur->base) > 0.3f * size ||
                            cb.x0 - cur->box.x1 > COLUMN_GAP * size || cb.x1 < cur->box.x0))
                    cur = NULL;
                if (!cur) {
                    if (L->n == MAX_RUNS)
                        return;
                    cur = &L->v[L->n++];
                    cur->box = cb;
                    cur->base = ch->origin.y;
                    cur->size = size;
                    cur->len = 0;
                    cur->cut = false;
                    cur->text[0] = '\0';
                } else if (space || cb.x0 - cur->box.x1 > 0.15f * size) {
                    run_putc(cur, ' ');
                }
                space = false;
                run_putc(cur, ch->c);
                cur->box = fz_union_rect(cur->box, cb);
                if (size > cur->size)
                    cur->size = size;
            }
        }
    }
}

static int by_base(const void *a, const void *b)
{
    float x = ((const struct run *)a)->base, y = ((const struct run *)b)->base;
    return x < y ? -1 : x > y;
}

static int by_x(const void *a, const void *b)
{
    float x = ((const struct run *)a)->box.x0, y = ((const struct run *)b)->box.x0;
    return x < y ? -1 : x > y;
}

/* Joins runs on one baseline whose x-ranges touch into lines, in reading order (top to
 * bottom, then left to right). A run printed twice over itself (fake bold) counts once. */
static void join_runs(struct lines *L)
{
    size_t out = 0, i = 0;
    qsort(L->v, L->n, sizeof(*L->v), by_base);
    while (i < L->n) {
        size_t j = i + 1;
        while (j < L->n && L->v[j].base - L->v[i].base <= 0.3f * L->v[i].size)
            j++;
        qsort(L->v + i, j - i, sizeof(*L->v), by_x);
        if (out != i)
            L->v[out] = L->v[i];
        for (size_t k = i + 1; k < j; k++) {
            struct run *cur = &L->v[out], *next = &L->v[k];
            float size = fmaxf(cur->size, next->size), gap = next->box.x0 - cur->box.x1;
            if (gap > COLUMN_GAP * size) {
                if (++out != k)
                    L->v[out] = *next;
                continue;
            }
            if (gap < -0.5f * size && strcmp(cur->text, next->text) == 0)
                continue;
            if (gap > 0.15f * size)
                run_puts(cur, " ", false);
            run_puts(cur, next->text, next->cut);
            cur->box = fz_union_rect(cur->box, next->box);
            cur->size = size;
        }
        out++;
        i = j;
    }
    L->n = out;
    for (i = 0; i < L->n; i++) {
        text_squeeze(L->v[i].text);
        L->v[i].len = strlen(L->v[i].text);
    }
}

/* The visual lines of the page content (annotations are not the document's text: an
 * earlier signature's appearance or the stamped number would only mislead). Throws. */
static void page_lines(fz_context *ctx, fz_page *page, struct lines *L)
{
    fz_stext_page *st = NULL;
    fz_device *dev = NULL;
    fz_stext_options opts;
    fz_rect bounds = fz_bound_page(ctx, page);

    memset(&opts, 0, sizeof(opts));
    L->n = 0;
    fz_var(st);
    fz_var(dev);
    fz_try(ctx)
    {
        st = fz_new_stext_page(ctx, bounds);
        dev = fz_new_stext_device(ctx, st, &opts);
        fz_run_page_contents(ctx, page, dev, fz_identity, NULL);
        fz_close_device(ctx, dev);
        collect_runs(st, bounds, L);
    }
    fz_always(ctx)
    {
        fz_drop_device(ctx, dev);
        fz_drop_stext_page(ctx, st);
    }
    fz_catch(ctx) fz_rethrow(ctx);
    join_runs(L);
}

static bool folded_equals(const struct run *r, const char *folded)
{
    if (r->cut)
        return false;
    char *f = text_fold(r->text);
    bool eq = f && strcmp(f, folded) == 0;
    free(f);
    return eq;
}

static float overlap(fz_rect a, fz_rect b)
{
    return fminf(a.x1, b.x1) - fmaxf(a.x0, b.x0);
}

/* The nearest line above (dir < 0) or below (dir > 0) line i that shares some of its
 * x-range: the other side of the gap. NULL when there is none. */
static const struct run *neighbour(const struct lines *L, size_t i, int dir)
{
    const struct run *me = &L->v[i], *best = NULL;
    for (size_t k = 0; k < L->n; k++) {
        const struct run *o = &L->v[k];
        if (k == i || overlap(o->box, me->box) <= 0)
            continue;
        if (dir < 0 && o->base < me->base - 0.5f * me->size && (!best || o->box.y1 > best->box.y1))
            best = o;
        if (dir > 0 && o->base > me->base + 0.5f * me->size && (!best || o->box.y0 < best->box.y0))
            best = o;
    }
    return best;
}

/* Titles of signers in ND30 documents, folded; "PHÓ " before any of them is allowed. */
static const char *const known_titles[] = {
    "chu tich",    "giam doc",       "tong giam doc",    "chanh van phong", "truong phong",
    "bo truong",   "thu truong",     "hieu truong",      "cuc truong",      "tong cuc truong",
    "vu truong",   "chi cuc truong", "chanh thanh tra",  "truong ban",      "chu nhiem",
    "vien truong", "chanh an",       "bi thu",           "thu tuong",       "tong thu ky",
    "truong khoa", "truong tram",    "hat truong",       "doi truong",      "tong bien tap",
    "chanh toa",   "truong doan",    "truong chi nhanh", "thu ky",
};

/* Signing authority prefixes (standards.md §3). */
static const char *const authority_prefixes[] = {"kt.", "tm.", "tl.", "tuq.", "q."};

static const char *skip_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    if (strncmp(s, w, n) != 0)
        return NULL;
    char c = s[n];
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return NULL; /* "chu tich" must not match "chu tichx" */
    return s + n;
}

/* An upper-case line naming a signer's position, or starting with an authority prefix
 * ("TM. ỦY BAN NHÂN DÂN"). */
static bool looks_like_title(const struct run *r)
{
    bool yes = false, prefixed = false;
    if (r->cut || !text_is_upper(r->text))
        return false;
    char *f = text_fold(r->text);
    const char *p = f;
    if (!f || strlen(f) > 80)
        goto out;
    for (size_t i = 0; i < sizeof(authority_prefixes) / sizeof(*authority_prefixes); i++) {
        size_t n = strlen(authority_prefixes[i]);
        if (strncmp(p, authority_prefixes[i], n) == 0) {
            prefixed = true;
            p += n;
            while (*p == ' ')
                p++;
            break;
        }
    }
    if (strncmp(p, "pho ", 4) == 0)
        p += 4;
    for (size_t i = 0; i < sizeof(known_titles) / sizeof(*known_titles) && !yes; i++)
        yes = skip_word(p, known_titles[i]) != NULL;
    yes = yes || prefixed;
out:
    free(f);
    return yes;
}

/* The lowest line that looks like a title, extended over the upper-case lines closely
 * under it in its column ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"), with room for a signature
 * under it: the heading "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH" of a decision is followed by
 * text. -1 when there is none. */
static long last_title(const struct lines *L)
{
    int tried = 0;
    for (size_t i = L->n; i-- > 0 && tried < 32;) {
        if (!looks_like_title(&L->v[i]))
            continue;
        tried++;
        long t = (long)i;
        const struct run *me = &L->v[t], *below = neighbour(L, (size_t)t, 1);
        for (int steps = 0; below && steps < 8; steps++) {
            if (below->base - me->base > 2.2f * me->size || below->cut ||
                !text_is_upper(below->text))
                break;
            t = below - L->v;
            me = below;
            below = neighbour(L, (size_t)t, 1);
        }
        if (!below || below->box.y0 - me->box.y1 >= 2 * me->size)
            return t;
    }
    return -1;
}

/* Moves r into area, shrinking it when it is larger. */
static fz_rect fit_in(fz_rect r, fz_rect area)
{
    float w = fminf(r.x1 - r.x0, area.x1 - area.x0), h = fminf(r.y1 - r.y0, area.y1 - area.y0);
    if (r.x0 < area.x0)
        r.x0 = area.x0;
    if (r.x0 + w > area.x1)
        r.x0 = area.x1 - w;
    if (r.y0 < area.y0)
        r.y0 = area.y0;
    if (r.y0 + h > area.y1)
        r.y0 = area.y1 - h;
    r.x1 = r.x0 + w;
    r.y1 = r.y0 + h;
    return r;
}

/* The box in the vertical gap top..bottom, centred on cx. A gap the size of a signature
 * block's is filled centred (standards.md §6: between title and name); in a larger one
 * the box keeps to the title (at_top) or to the name. */
static fz_rect box_in_gap(fz_rect page, float cx, float top, float bottom, bool at_top)
{
    float gap = bottom - top, h = fminf(BOX_H, gap - 2 * PAD), y0;
    if (h < BOX_MIN_H)
        h = BOX_MIN_H;
    if (gap <= 2 * BOX_H)
        y0 = (top + bottom - h) / 2;
    else
        y0 = at_top ? top + PAD : bottom - PAD - h;
    return fit_in(fz_make_rect(cx - BOX_W / 2, y0, cx + BOX_W / 2, y0 + h), page);
}

static void set_title(char *out, size_t size, const char *s)
{
    char *nfc = text_nfc(s);
    size_t n = nfc ? strlen(nfc) : 0;
    if (n >= size)
        n = size - 1;
    while (n > 0 && ((unsigned char)nfc[n] & 0xc0) == 0x80)
        n--; /* whole characters only */
    memcpy(out, nfc ? nfc : "", n);
    out[n] = '\0';
    free(nfc);
}

/* Fills out from a box in page space (MuPDF's: the displayed page, origin top-left) on
 * page pno (0-based): rect back in PDF user space with the inverse of the transform
 * pdf_sign.c applies, view as it is. */
static void set_place(fz_context *ctx, pdf_page *page, int pno, fz_rect box, enum pdf_place_how how,
                      const char *title, struct pdf_place *out)
{
    fz_rect mediabox, b = fz_bound_page(ctx, (fz_page *)page);
    fz_matrix ctm;
    pdf_page_transform(ctx, page, &mediabox, &ctm);
    fz_rect r = fz_transform_rect(box, fz_invert_matrix(ctm));
    memset(out, 0, sizeof(*out));
    out->page = pno + 1;
    out->how = how;
    out->rect[0] = r.x0;
    out->rect[1] = r.y0;
    out->rect[2] = r.x1;
    out->rect[3] = r.y1;
    out->view[0] = box.x0 - b.x0;
    out->view[1] = box.y0 - b.y0;
    out->view[2] = box.x1 - b.x0;
    out->view[3] = box.y1 - b.y0;
    if (title)
        set_title(out->title, sizeof(out->title), title);
}

/* One page: 1 when the name is on it (*name_out set), 2 when it has no name but a
 * title and title_out was given (*title_out set), else 0. Throws. */
static int scan_page(fz_context *ctx, pdf_document *doc, int pno, const char *name, struct lines *L,
                     struct pdf_place *name_out, struct pdf_place *title_out)
{
    pdf_page *page = NULL;
    int found = 0;
    fz_var(page);
    fz_var(found);
    fz_try(ctx)
    {
        page = pdf_load_page(ctx, doc, pno);
        fz_rect bounds = fz_bound_page(ctx, (fz_page *)page);
        long at = -1;
        page_lines(ctx, (fz_page *)page, L);
        for (size_t i = 0; name && i < L->n; i++)
            if (folded_equals(&L->v[i], name))
                at = (long)i; /* the lowest: reading order */
        if (at >= 0) {
            const struct run *me = &L->v[at], *above = neighbour(L, (size_t)at, -1);
            float cx = (me->box.x0 + me->box.x1) / 2;
            fz_rect box =
                box_in_gap(bounds, cx, above ? above->box.y1 : bounds.y0, me->box.y0, false);
            bool titled = above && !above->cut && text_is_upper(above->text);
            set_place(ctx, page, pno, box, PDF_PLACE_NAME, titled ? above->text : NULL, name_out);
            found = 1;
        } else if (title_out && (at = last_title(L)) >= 0) {
            const struct run *me = &L->v[at], *below = neighbour(L, (size_t)at, 1);
            float cx = (me->box.x0 + me->box.x1) / 2;
            /* Nothing below: down to the bottom margin, or the page edge for a title
             * printed lower than that. */
            float bottom =
                below ? below->box.y0
                      : fmaxf(bounds.y1 - MARGIN, fminf(bounds.y1, me->box.y1 + BOX_H + 2 * PAD));
            fz_rect box = box_in_gap(bounds, cx, me->box.y1, bottom, true);
            set_place(ctx, page, pno, box, PDF_PLACE_TITLE, me->text, title_out);
            found = 2;
        }
    }
    fz_always(ctx) fz_drop_page(ctx, (fz_page *)page);
    fz_catch(ctx) fz_rethrow(ctx);
    return found;
}

/* Lower right of the page, inside the margins when the page is large enough. Throws. */
static void default_place(fz_context *ctx, pdf_document *doc, int pno, struct pdf_place *out)
{
    pdf_page *page = pdf_load_page(ctx, doc, pno);
    fz_try(ctx)
    {
        fz_rect b = fz_bound_page(ctx, (fz_page *)page), area = b;
        if (b.x1 - b.x0 > 2 * BOX_W && b.y1 - b.y0 > 4 * BOX_H)
            area = fz_make_rect(b.x0 + MARGIN, b.y0 + MARGIN, b.x1 - MARGIN, b.y1 - MARGIN);
        float cx = b.x0 + 0.75f * (b.x1 - b.x0);
        fz_rect box = fz_make_rect(cx - BOX_W / 2, area.y1 - BOX_H, cx + BOX_W / 2, area.y1);
        set_place(ctx, page, pno, fit_in(box, area), PDF_PLACE_DEFAULT, NULL, out);
    }
    fz_always(ctx) fz_drop_page(ctx, (fz_page *)page);
    fz_catch(ctx) fz_rethrow(ctx);
}

/* The folded full name to look for: NULL for none; RES_INVALID when not UTF-8. */
static result_t fold_name(const char *full_name, char **out)
{
    *out = NULL;
    if (!full_name || !full_name[0])
        return RES_OK;
    if (!text_valid_utf8(full_name, strlen(full_name)))
        return RES_INVALID;
    if (strlen(full_name) >= LINE_BYTES)
        return RES_OK; /* cannot be a line we kept */
    char *s = xstrdup(full_name);
    text_squeeze(s);
    if (s[0] && !(*out = text_fold(s))) {
        free(s);
        return RES_INVALID;
    }
    free(s);
    return RES_OK;
}

/* scan_page, an unreadable page counting as one without a signature block: it does
 * not hide the blocks of the others. */
static int scan_page_quietly(fz_context *ctx, pdf_document *doc, int pno, const char *name,
                             struct lines *L, struct pdf_place *name_out,
                             struct pdf_place *title_out)
{
    int found = 0;
    fz_var(found);
    fz_try(ctx) found = scan_page(ctx, doc, pno, name, L, name_out, title_out);
    fz_catch(ctx)
    {
        log_debug("pdf place: page %d: %s", pno + 1, fz_caught_message(ctx));
        found = 0;
    }
    return found;
}

/* The name from the last page backwards, else the last title seen, else the default.
 * Throws. */
static void locate(fz_context *ctx, pdf_document *doc, const char *name, struct lines *L,
                   struct pdf_place *out)
{
    struct pdf_place title;
    int found = 0, have_title = 0, n = pdf_count_pages(ctx, doc);
    if (n < 1)
        fz_throw(ctx, FZ_ERROR_GENERIC, "no pages");
    for (int p = n - 1; p >= 0 && p >= n - PDF_PLACE_MAX_PAGES && found != 1; p--) {
        found = scan_page_quietly(ctx, doc, p, name, L, out, have_title ? NULL : &title);
        have_title = have_title || found == 2;
    }
    if (found != 1 && have_title)
        *out = title;
    else if (found != 1)
        default_place(ctx, doc, n - 1, out);
}

result_t pdf_find_sign_place(const unsigned char *data, size_t len, const char *full_name,
                             struct pdf_place *out)
{
    result_t r = RES_INVALID;
    fz_context *ctx;
    pdf_document *doc = NULL;
    struct lines L = {NULL, 0};
    char *name = NULL;

    if (!out)
        return RES_INVALID;
    memset(out, 0, sizeof(*out));
    if (!data)
        return RES_INVALID;
    if (len > PDF_MAX_BYTES)
        return RES_TOO_LARGE;
    if (fold_name(full_name, &name) != RES_OK)
        return RES_INVALID;
    if (!(ctx = pdf_util_ctx_new())) {
        free(name);
        return RES_INTERNAL;
    }
    L.v = xcalloc(MAX_RUNS, sizeof(*L.v));
    fz_var(doc);
    fz_var(r);
    fz_var(name);
    fz_try(ctx)
    {
        doc = pdf_util_open(ctx, data, len);
        locate(ctx, doc, name, &L, out);
        r = RES_OK;
    }
    fz_always(ctx) pdf_drop_document(ctx, doc);
    fz_catch(ctx)
    {
        log_debug("pdf place: %s", fz_caught_message(ctx));
        r = RES_INVALID;
    }
    fz_drop_context(ctx);
    free(L.v);
    free(name);
    if (r != RES_OK)
        memset(out, 0, sizeof(*out));
    return r;
}
