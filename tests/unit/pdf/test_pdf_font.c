/* The subset font of text appearances (pdf_font.h): every character of the lines maps to
 * a glyph that advances and is shaped exactly as in the whole Noto Serif (the precomposed
 * Vietnamese letters are composite glyphs, so their components must come along), the
 * subset is small, and what is not a TrueType font is refused. The lines are those of
 * a signature's text appearance (standards.md §6) in Vietnamese (§11). */
#include <stdlib.h>
#include <string.h>

#include <mupdf/ucdn.h>

#include "check.h"
#include "pdf/pdf_font.h"

static const char *const lines[] = {"Ký bởi: Nguyễn Văn An", "Sở Khoa học và Công nghệ",
                                    "Thời gian ký: 10:05 ngày 22/11/2026", "Lý do: Ký duyệt"};

static int full_gid(void *arg, int cp)
{
    void **a = arg;
    return fz_encode_character(a[0], a[1], cp);
}

TEST(subset_draws_like_the_whole_font)
{
    fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
    int len = 0, sub = 0;
    const unsigned char *data =
        fz_lookup_noto_font(ctx, UCDN_SCRIPT_LATIN, FZ_LANG_UNSET, &len, &sub);
    CHECK(data != NULL);
    fz_font *full = fz_new_font_from_memory(ctx, NULL, data, len, sub, 0);
    fz_font *subset = pdf_font_subset(ctx, lines, 4);
    const char *name = fz_font_name(ctx, subset);
    /* ISO 32000-1 §9.6.4: six upper-case letters and '+' name a subset */
    CHECK(strlen(name) > 7 && name[6] == '+' && strcmp(name + 7, "NotoSerif") == 0);
    for (int i = 0; i < 6; i++)
        CHECK(name[i] >= 'A' && name[i] <= 'Z');
    int checked = 0;
    for (int l = 0; l < 4; l++) {
        for (const char *s = lines[l]; *s;) {
            int cp;
            s += fz_chartorune(&cp, s);
            int gs = fz_encode_character(ctx, subset, cp), gf = fz_encode_character(ctx, full, cp);
            CHECK(gf > 0);
            CHECK(gs > 0);
            CHECK(fz_advance_glyph(ctx, subset, gs, 0) == fz_advance_glyph(ctx, full, gf, 0));
            fz_rect rs = fz_bound_glyph(ctx, subset, gs, fz_identity);
            fz_rect rf = fz_bound_glyph(ctx, full, gf, fz_identity);
            /* the outline itself, components of "ễ" included: same box */
            CHECK(rs.x0 == rf.x0 && rs.y0 == rf.y0 && rs.x1 == rf.x1 && rs.y1 == rf.y1);
            checked++;
        }
    }
    CHECK(checked > 80);
    /* a character of no line is not in the subset */
    CHECK_INT(fz_encode_character(ctx, subset, 'Q'), 0);
    fz_drop_font(ctx, subset);
    fz_drop_font(ctx, full);
    fz_drop_context(ctx);
}

TEST(subset_is_small_and_refuses_other_data)
{
    fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
    int len = 0, sub = 0, cps[64], n = 0;
    const unsigned char *data =
        fz_lookup_noto_font(ctx, UCDN_SCRIPT_LATIN, FZ_LANG_UNSET, &len, &sub);
    fz_font *full = fz_new_font_from_memory(ctx, NULL, data, len, sub, 0);
    void *arg[2] = {ctx, full};
    for (const char *s = lines[0]; *s && n < 64;) {
        s += fz_chartorune(&cps[n], s);
        n++;
    }
    fz_buffer *b = pdf_font_subset_truetype(ctx, data, (size_t)len, cps, n, full_gid, arg);
    CHECK(b != NULL);
    /* The whole font is over 500 KB; one line's glyphs are a few KB, with the hinting
     * tables (fpgm 3.6 KB, cvt, prep) that ISO 32000-1 §9.9 asks an embedded TrueType
     * program to keep. */
    CHECK(len > 500 * 1024);
    CHECK(b && b->len < 16 * 1024);
    fz_drop_buffer(ctx, b);

    /* a CFF font (base-14 Times), junk and a truncated font: no subset */
    int tlen = 0;
    const unsigned char *times = fz_lookup_base14_font(ctx, "Times-Roman", &tlen);
    CHECK(pdf_font_subset_truetype(ctx, times, (size_t)tlen, cps, n, full_gid, arg) == NULL);
    static const unsigned char junk[64] = {0, 1, 0, 0, 0, 9};
    CHECK(pdf_font_subset_truetype(ctx, junk, sizeof(junk), cps, n, full_gid, arg) == NULL);
    CHECK(pdf_font_subset_truetype(ctx, data, 400, cps, n, full_gid, arg) == NULL);
    fz_drop_font(ctx, full);
    fz_drop_context(ctx);
}

int main(void)
{
    RUN(subset_draws_like_the_whole_font);
    RUN(subset_is_small_and_refuses_other_data);
    return CHECK_DONE("test_pdf_font");
}
