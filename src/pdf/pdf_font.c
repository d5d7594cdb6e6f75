/* TrueType subsetting for text appearances (pdf_font.h). Table layouts are those of
 * the OpenType specification (head, hhea, maxp, hmtx, loca, glyf, cmap format 4, post). */
#include "pdf/pdf_font.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mupdf/ucdn.h>

#include "util/alloc.h"

#define MAX_TABLES 64

struct table {
    uint32_t tag;
    const unsigned char *data;
    size_t len;
};

struct sfnt {
    struct table t[MAX_TABLES];
    int n;
};

static uint32_t tag4(const char *s)
{
    return (uint32_t)(unsigned char)s[0] << 24 | (uint32_t)(unsigned char)s[1] << 16 |
           (uint32_t)(unsigned char)s[2] << 8 | (unsigned char)s[3];
}

static unsigned u16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static int parse_sfnt(const unsigned char *d, size_t len, struct sfnt *f)
{
    if (len < 12 || u32(d) != 0x00010000u) /* TrueType outlines only (not 'OTTO', 'ttcf') */
        return -1;
    unsigned n = u16(d + 4);
    if (n > MAX_TABLES || 12 + 16 * (size_t)n > len)
        return -1;
    f->n = (int)n;
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *r = d + 12 + 16 * i;
        uint32_t off = u32(r + 8), l = u32(r + 12);
        if (off > len || l > len - off)
            return -1;
        f->t[i] = (struct table){u32(r), d + off, l};
    }
    return 0;
}

static const struct table *find(const struct sfnt *f, const char *tag)
{
    uint32_t t = tag4(tag);
    for (int i = 0; i < f->n; i++)
        if (f->t[i].tag == t)
            return &f->t[i];
    return NULL;
}

/* The old glyph ids kept, in new order, and the reverse map. */
struct glyphs {
    unsigned old[PDF_FONT_MAX_GLYPHS];
    int n;
    int *new_of; /* [numGlyphs], -1 when not kept */
};

static int keep(struct glyphs *g, unsigned old)
{
    if (g->new_of[old] >= 0)
        return g->new_of[old];
    if (g->n == PDF_FONT_MAX_GLYPHS)
        return -1;
    g->old[g->n] = old;
    g->new_of[old] = g->n;
    return g->n++;
}

struct source {
    const unsigned char *glyf;
    size_t glyf_len;
    const unsigned char *loca;
    int long_loca;
    unsigned num_glyphs;
};

/* The bytes of glyph gid in glyf (len 0: an empty glyph); -1 when loca is damaged. */
static int glyph_data(const struct source *s, unsigned gid, const unsigned char **p, size_t *len)
{
    size_t a, b;
    if (s->long_loca) {
        a = u32(s->loca + 4 * gid);
        b = u32(s->loca + 4 * gid + 4);
    } else {
        a = 2 * (size_t)u16(s->loca + 2 * gid);
        b = 2 * (size_t)u16(s->loca + 2 * gid + 2);
    }
    if (a > b || b > s->glyf_len)
        return -1;
    *p = s->glyf + a;
    *len = b - a;
    return 0;
}

#define ARG_WORDS  0x0001
#define HAVE_SCALE 0x0008
#define MORE       0x0020
#define XY_SCALE   0x0040
#define TWO_BY_TWO 0x0080

/* Walks the components of a composite glyph, calling fn on the offset of each
 * component's glyph index; -1 when the record runs past the glyph. */
static int components(unsigned char *glyph, size_t len, int (*fn)(void *, unsigned char *),
                      void *arg)
{
    size_t pos = 10;
    unsigned flags;
    do {
        if (pos + 4 > len)
            return -1;
        flags = u16(glyph + pos);
        if (fn(arg, glyph + pos + 2) != 0)
            return -1;
        pos += 4 + (flags & ARG_WORDS ? 4 : 2);
        pos += flags & HAVE_SCALE ? 2 : flags & XY_SCALE ? 4 : flags & TWO_BY_TWO ? 8 : 0;
        if (pos > len)
            return -1;
    } while (flags & MORE);
    return 0;
}

struct closure {
    struct glyphs *g;
    unsigned num_glyphs;
};

static int add_component(void *arg, unsigned char *idx)
{
    struct closure *c = arg;
    unsigned gid = u16(idx);
    return gid < c->num_glyphs && keep(c->g, gid) >= 0 ? 0 : -1;
}

static int renumber_component(void *arg, unsigned char *idx)
{
    const struct glyphs *g = arg;
    int n = g->new_of[u16(idx)];
    if (n < 0)
        return -1;
    put16(idx, (unsigned)n);
    return 0;
}

struct out_table {
    uint32_t tag;
    unsigned char *data; /* owned */
    size_t len;
};

static uint32_t checksum(const unsigned char *p, size_t len)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < len; i += 4) {
        unsigned char w[4] = {0, 0, 0, 0};
        memcpy(w, p + i, len - i < 4 ? len - i : 4);
        sum += u32(w);
    }
    return sum;
}

static int cmp_tag(const void *a, const void *b)
{
    uint32_t x = ((const struct out_table *)a)->tag, y = ((const struct out_table *)b)->tag;
    return x < y ? -1 : x > y;
}

static unsigned char *dup_bytes(const unsigned char *p, size_t n)
{
    unsigned char *d = xmalloc(n ? n : 1);
    if (n)
        memcpy(d, p, n);
    return d;
}

struct cmap_entry {
    unsigned cp, gid;
};

static int cmp_cp(const void *a, const void *b)
{
    unsigned x = ((const struct cmap_entry *)a)->cp, y = ((const struct cmap_entry *)b)->cp;
    return x < y ? -1 : x > y;
}

/* A cmap with one (3,1) format 4 subtable: one segment per character, then 0xFFFF. */
static unsigned char *make_cmap(struct cmap_entry *e, int n, size_t *len)
{
    qsort(e, (size_t)n, sizeof(*e), cmp_cp);
    unsigned segs = (unsigned)n + 1, pow2 = 1, log2 = 0;
    while (pow2 * 2 <= segs) {
        pow2 *= 2;
        log2++;
    }
    size_t sub = 16 + 8 * (size_t)segs;
    *len = 12 + sub;
    unsigned char *p = xcalloc(1, *len), *s = p + 12;
    put16(p + 2, 1);  /* one subtable */
    put16(p + 4, 3);  /* Windows */
    put16(p + 6, 1);  /* Unicode BMP */
    put32(p + 8, 12); /* its offset */
    put16(s, 4);      /* format */
    put16(s + 2, (unsigned)sub);
    put16(s + 6, segs * 2);
    put16(s + 8, pow2 * 2);
    put16(s + 10, log2);
    put16(s + 12, segs * 2 - pow2 * 2);
    unsigned char *end = s + 14, *start = end + 2 * segs + 2, *delta = start + 2 * segs;
    for (unsigned i = 0; i < segs; i++) {
        unsigned cp = i < (unsigned)n ? e[i].cp : 0xFFFF;
        unsigned gid = i < (unsigned)n ? e[i].gid : 0;
        put16(end + 2 * i, cp);
        put16(start + 2 * i, cp);
        put16(delta + 2 * i, i < (unsigned)n ? (gid - cp) & 0xFFFF : 1);
        /* idRangeOffset stays 0 (the calloc) */
    }
    return p;
}

static fz_buffer *assemble(fz_context *ctx, struct out_table *t, int n)
{
    qsort(t, (size_t)n, sizeof(*t), cmp_tag);
    unsigned pow2 = 1, log2 = 0;
    while (pow2 * 2 <= (unsigned)n) {
        pow2 *= 2;
        log2++;
    }
    size_t total = 12 + 16 * (size_t)n;
    for (int i = 0; i < n; i++)
        total += (t[i].len + 3) & ~(size_t)3;
    fz_buffer *b = fz_new_buffer(ctx, total);
    unsigned char *p = b->data;
    memset(p, 0, total);
    put32(p, 0x00010000u);
    put16(p + 4, (unsigned)n);
    put16(p + 6, pow2 * 16);
    put16(p + 8, log2);
    put16(p + 10, (unsigned)n * 16 - pow2 * 16);
    size_t off = 12 + 16 * (size_t)n, head_off = 0;
    for (int i = 0; i < n; i++) {
        unsigned char *r = p + 12 + 16 * i;
        put32(r, t[i].tag);
        put32(r + 4, checksum(t[i].data, t[i].len));
        put32(r + 8, (uint32_t)off);
        put32(r + 12, (uint32_t)t[i].len);
        memcpy(p + off, t[i].data, t[i].len);
        if (t[i].tag == tag4("head"))
            head_off = off;
        off += (t[i].len + 3) & ~(size_t)3;
    }
    b->len = total;
    if (head_off)
        put32(p + head_off + 8, 0xB1B0AFBAu - checksum(p, total));
    return b;
}

fz_buffer *pdf_font_subset_truetype(fz_context *ctx, const unsigned char *data, size_t len,
                                    const int *codepoints, int ncodepoints,
                                    int (*gid_of)(void *arg, int cp), void *arg)
{
    static const char *const copied[] = {"OS/2", "name", "cvt ", "fpgm", "prep", "gasp"};
    struct sfnt f;
    struct glyphs g = {.n = 0};
    struct out_table out[16];
    struct cmap_entry *cm = NULL;
    int nout = 0, ncm = 0, ok = 0;
    fz_buffer *result = NULL;

    if (parse_sfnt(data, len, &f) != 0)
        return NULL;
    const struct table *head = find(&f, "head"), *hhea = find(&f, "hhea"), *maxp = find(&f, "maxp"),
                       *hmtx = find(&f, "hmtx"), *loca = find(&f, "loca"), *glyf = find(&f, "glyf"),
                       *post = find(&f, "post");
    if (!head || head->len < 54 || !hhea || hhea->len < 36 || !maxp || maxp->len < 6 || !hmtx ||
        !loca || !glyf)
        return NULL;
    struct source s = {glyf->data, glyf->len, loca->data, u16(head->data + 50) == 1,
                       u16(maxp->data + 4)};
    unsigned nhm = u16(hhea->data + 34);
    if (s.num_glyphs == 0 || loca->len < (s.num_glyphs + 1) * (s.long_loca ? 4u : 2u) || nhm == 0 ||
        nhm > s.num_glyphs || hmtx->len < 4 * (size_t)nhm + 2 * (size_t)(s.num_glyphs - nhm))
        return NULL;

    g.new_of = xmalloc(sizeof(int) * s.num_glyphs);
    for (unsigned i = 0; i < s.num_glyphs; i++)
        g.new_of[i] = -1;
    cm = xmalloc(sizeof(*cm) * (size_t)(ncodepoints > 0 ? ncodepoints : 1));
    keep(&g, 0);
    for (int i = 0; i < ncodepoints; i++) {
        int cp = codepoints[i], dup = 0;
        if (cp <= 0 || cp > 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            continue;
        for (int j = 0; j < ncm && !dup; j++)
            dup = cm[j].cp == (unsigned)cp;
        int old = gid_of(arg, cp);
        if (dup || old <= 0 || (unsigned)old >= s.num_glyphs)
            continue;
        int n = keep(&g, (unsigned)old);
        if (n < 0)
            goto out;
        cm[ncm++] = (struct cmap_entry){(unsigned)cp, (unsigned)n};
    }
    /* composite closure: g grows while it is walked */
    for (int i = 0; i < g.n; i++) {
        const unsigned char *gp;
        size_t gl;
        if (glyph_data(&s, g.old[i], &gp, &gl) != 0)
            goto out;
        if (gl >= 10 && (int16_t)u16(gp) < 0) {
            unsigned char *copy = dup_bytes(gp, gl);
            struct closure c = {&g, s.num_glyphs};
            int rc = components(copy, gl, add_component, &c);
            free(copy);
            if (rc != 0)
                goto out;
        }
    }

    /* glyf and loca (long offsets) */
    size_t glyf_len = 0;
    for (int i = 0; i < g.n; i++) {
        const unsigned char *gp;
        size_t gl;
        glyph_data(&s, g.old[i], &gp, &gl);
        glyf_len += (gl + 3) & ~(size_t)3;
    }
    unsigned char *nglyf = xcalloc(1, glyf_len ? glyf_len : 1),
                  *nloca = xmalloc(4 * ((size_t)g.n + 1));
    out[nout++] = (struct out_table){tag4("glyf"), nglyf, glyf_len};
    out[nout++] = (struct out_table){tag4("loca"), nloca, 4 * ((size_t)g.n + 1)};
    size_t pos = 0;
    for (int i = 0; i < g.n; i++) {
        const unsigned char *gp;
        size_t gl;
        glyph_data(&s, g.old[i], &gp, &gl);
        put32(nloca + 4 * i, (uint32_t)pos);
        memcpy(nglyf + pos, gp, gl);
        if (gl >= 10 && (int16_t)u16(gp) < 0 &&
            components(nglyf + pos, gl, renumber_component, &g) != 0)
            goto out;
        pos += (gl + 3) & ~(size_t)3;
    }
    put32(nloca + 4 * g.n, (uint32_t)pos);

    /* hmtx: every glyph with its own advance */
    unsigned char *nhmtx = xmalloc(4 * (size_t)g.n);
    out[nout++] = (struct out_table){tag4("hmtx"), nhmtx, 4 * (size_t)g.n};
    for (int i = 0; i < g.n; i++) {
        unsigned o = g.old[i];
        unsigned adv = u16(hmtx->data + 4 * (o < nhm ? o : nhm - 1));
        unsigned lsb =
            o < nhm ? u16(hmtx->data + 4 * o + 2) : u16(hmtx->data + 4 * nhm + 2 * (o - nhm));
        put16(nhmtx + 4 * i, adv);
        put16(nhmtx + 4 * i + 2, lsb);
    }

    unsigned char *nhead = dup_bytes(head->data, head->len);
    put32(nhead + 8, 0);  /* checkSumAdjustment, set by assemble() */
    put16(nhead + 50, 1); /* long loca */
    out[nout++] = (struct out_table){tag4("head"), nhead, head->len};
    unsigned char *nhhea = dup_bytes(hhea->data, hhea->len);
    put16(nhhea + 34, (unsigned)g.n);
    out[nout++] = (struct out_table){tag4("hhea"), nhhea, hhea->len};
    unsigned char *nmaxp = dup_bytes(maxp->data, maxp->len);
    put16(nmaxp + 4, (unsigned)g.n);
    out[nout++] = (struct out_table){tag4("maxp"), nmaxp, maxp->len};
    size_t cmap_len = 0;
    unsigned char *ncmap = make_cmap(cm, ncm, &cmap_len);
    out[nout++] = (struct out_table){tag4("cmap"), ncmap, cmap_len};
    unsigned char *npost = xcalloc(1, 32);
    if (post && post->len >= 32)
        memcpy(npost, post->data, 32);
    put32(npost, 0x00030000u); /* version 3: no glyph names */
    out[nout++] = (struct out_table){tag4("post"), npost, 32};
    for (size_t i = 0; i < sizeof(copied) / sizeof(copied[0]); i++) {
        const struct table *t = find(&f, copied[i]);
        if (t)
            out[nout++] = (struct out_table){t->tag, dup_bytes(t->data, t->len), t->len};
    }
    ok = 1;
out:
    fz_var(result);
    fz_var(ok);
    fz_var(nout);
    fz_var(cm);
    fz_try(ctx)
    {
        if (ok)
            result = assemble(ctx, out, nout);
    }
    fz_always(ctx)
    {
        for (int i = 0; i < nout; i++)
            free(out[i].data);
        free(cm);
        free(g.new_of);
    }
    fz_catch(ctx) fz_rethrow(ctx);
    return result;
}

/* ---- the appearance font ---- */

static int full_gid(void *arg, int cp)
{
    struct {
        fz_context *ctx;
        fz_font *font;
    } *a = arg;
    return fz_encode_character(a->ctx, a->font, cp);
}

/* The tag: six letters A–P from an FNV-1a hash of the code points, so one glyph set
 * always gets one name and two different subsets in a document differ. */
static void subset_name(const int *cps, int n, char out[32])
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < n; i++) {
        h ^= (uint32_t)cps[i];
        h *= 16777619u;
    }
    for (int i = 0; i < 6; i++, h >>= 4)
        out[i] = (char)('A' + (h & 15));
    memcpy(out + 6, "+NotoSerif", 11);
}

fz_font *pdf_font_subset(fz_context *ctx, const char *const *lines, int n)
{
    int len = 0, subfont = 0, ncp = 0, cap = 0;
    const unsigned char *data =
        fz_lookup_noto_font(ctx, UCDN_SCRIPT_LATIN, FZ_LANG_UNSET, &len, &subfont);
    fz_font *full = NULL, *font = NULL;
    fz_buffer *sub = NULL;
    int *cps = NULL;
    char name[32];

    if (!data)
        fz_throw(ctx, FZ_ERROR_GENERIC, "no built-in Noto Serif");
    for (int i = 0; i < n; i++)
        cap += (int)strlen(lines[i]);
    cps = fz_malloc(ctx, sizeof(int) * (size_t)(cap + 1));
    for (int i = 0; i < n; i++)
        for (const char *s = lines[i]; *s;) {
            int cp;
            s += fz_chartorune(&cp, s);
            cps[ncp++] = cp;
        }
    fz_var(full);
    fz_var(sub);
    fz_try(ctx)
    {
        full = fz_new_font_from_memory(ctx, NULL, data, len, subfont, 0);
        struct {
            fz_context *ctx;
            fz_font *font;
        } a = {ctx, full};
        sub = pdf_font_subset_truetype(ctx, data, (size_t)len, cps, ncp, full_gid, &a);
        if (sub) {
            subset_name(cps, ncp, name);
            font = fz_new_font_from_buffer(ctx, name, sub, 0, 0);
        } else { /* cannot happen with the built-in font; the whole font still works */
            font = fz_keep_font(ctx, full);
        }
    }
    fz_always(ctx)
    {
        fz_drop_buffer(ctx, sub);
        fz_drop_font(ctx, full);
        fz_free(ctx, cps);
    }
    fz_catch(ctx) fz_rethrow(ctx);
    return font;
}
