/* Where the signer's box goes on the "Ký số tài liệu" page: found between the position
 * title and the signer's name of an ND30 signature block (by name, whatever its case
 * and diacritics; by title when the name is someone else's; lower right otherwise),
 * accepted by the signer; page sizes, PNG previews and the signature widgets a signed
 * file then shows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "crypto/keys.h"
#include "crypto/pki_fixture.h"
#include "pdf/pdf_fixture.h"
#include "pdf/pdf_place.h"
#include "pdf/pdf_util.h"
#include "text/text.h"
#include "pdf/pdf_sign.h"

static struct buf block1, block4, noblock, png_sig;

/* PDF y of a MuPDF page-space y on the fixture's A4 pages. */
static float pdf_y(float y)
{
    return FIXTURE_PAGE_HEIGHT - y;
}

static result_t find(const struct buf *doc, const char *name, struct pdf_place *p)
{
    return pdf_find_sign_place((const unsigned char *)doc->data, doc->len, name, p);
}

/* The box of the fixture's block: under "PHÓ CHỦ TỊCH" (its descenders included), over
 * the name's capitals, centred on the column, at most 150 x 60. */
static void check_block_box(const struct pdf_place *p)
{
    CHECK(p->rect[3] < pdf_y(FIXTURE_TITLE_BASE) - 2);
    CHECK(p->rect[1] > pdf_y(FIXTURE_NAME_BASE) + 9);
    CHECK(p->rect[3] - p->rect[1] >= 40 && p->rect[3] - p->rect[1] <= 60);
    CHECK(fabsf(p->rect[2] - p->rect[0] - 150) < 0.5f);
    CHECK(fabsf((p->rect[0] + p->rect[2]) / 2 - FIXTURE_BLOCK_CX) < 3);
    /* Centred between title and name (standards.md §6). */
    float above = pdf_y(FIXTURE_TITLE_BASE) - p->rect[3];
    float below = p->rect[1] - pdf_y(FIXTURE_NAME_BASE);
    CHECK(fabsf(above - below) < 16);
}

TEST(found_by_name_between_title_and_name)
{
    struct pdf_place p;
    CHECK_INT(find(&block1, "Nguyễn Văn An", &p), RES_OK);
    CHECK_INT(p.how, PDF_PLACE_NAME);
    CHECK_INT(p.page, 1);
    CHECK_STR(p.title, "PHÓ CHỦ TỊCH");
    check_block_box(&p);
    /* The same box as the preview shows it: from the top-left, y down. */
    CHECK(fabsf(p.view[0] - p.rect[0]) < 0.01f && fabsf(p.view[2] - p.rect[2]) < 0.01f);
    CHECK(fabsf(p.view[1] - pdf_y(p.rect[3])) < 0.01f);
    CHECK(fabsf(p.view[3] - pdf_y(p.rect[1])) < 0.01f);
}

TEST(name_matched_without_case_diacritics_or_spacing)
{
    const char *names[] = {"NGUYEN VAN AN", "nguyễn văn an", "  Nguyễn   Văn  An ",
                           "Nguye\xCC\x82\xCC\x83n Va\xCC\x86n An" /* decomposed */};
    struct pdf_place ref, p;
    CHECK_INT(find(&block1, "Nguyễn Văn An", &ref), RES_OK);
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
        CHECK_INT(find(&block1, names[i], &p), RES_OK);
        CHECK_INT(p.how, PDF_PLACE_NAME);
        CHECK(memcmp(p.rect, ref.rect, sizeof(p.rect)) == 0);
    }
    /* Part of the name, or more than it, is not the name line. */
    CHECK_INT(find(&block1, "Văn An", &p), RES_OK);
    CHECK_INT(p.how, PDF_PLACE_TITLE);
    CHECK_INT(find(&block1, "Nguyễn Văn Anh", &p), RES_OK);
    CHECK_INT(p.how, PDF_PLACE_TITLE);
}

TEST(unknown_name_found_by_title)
{
    struct pdf_place p;
    const char *names[] = {"Trần Thị Bình", "", NULL};
    for (size_t i = 0; i < 3; i++) {
        CHECK_INT(find(&block1, names[i], &p), RES_OK);
        CHECK_INT(p.how, PDF_PLACE_TITLE);
        CHECK_INT(p.page, 1);
        CHECK_STR(p.title, "PHÓ CHỦ TỊCH");
        check_block_box(&p); /* the printed name below bounds the gap */
    }
}

TEST(no_block_lower_right_of_last_page)
{
    struct pdf_place p;
    CHECK_INT(find(&noblock, "Nguyễn Văn An", &p), RES_OK);
    CHECK_INT(p.how, PDF_PLACE_DEFAULT);
    CHECK_INT(p.page, 2);
    CHECK_STR(p.title, "");
    CHECK(p.rect[0] >= 595 / 2.0f && p.rect[2] <= 595 - 40);
    CHECK(p.rect[1] >= 40 && p.rect[3] <= 842 / 3.0f);
    CHECK(p.rect[2] - p.rect[0] > 100 && p.rect[3] - p.rect[1] > 40);
}

TEST(block_on_page_three_of_four)
{
    struct pdf_place p;
    CHECK_INT(find(&block4, "Nguyễn Văn An", &p), RES_OK);
    CHECK_INT(p.how, PDF_PLACE_NAME);
    CHECK_INT(p.page, 3);
    check_block_box(&p);
    /* Someone else signs: the block's title on page 3, not the decision's heading
     * "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN" on page 1. */
    CHECK_INT(find(&block4, "Lê Văn Cường", &p), RES_OK);
    CHECK_INT(p.how, PDF_PLACE_TITLE);
    CHECK_INT(p.page, 3);
    CHECK_STR(p.title, "PHÓ CHỦ TỊCH");
}

TEST(simple_block_of_sign_fixture)
{
    /* make_test_pdf: "CHỦ TỊCH" at (380, 600), the name at (360, 720), body on the left. */
    struct buf doc;
    struct pdf_place p;
    CHECK(make_test_pdf(1, &doc));
    CHECK_INT(find(&doc, "Nguyễn Văn An", &p), RES_OK);
    CHECK_INT(p.how, PDF_PLACE_NAME);
    CHECK_STR(p.title, "CHỦ TỊCH");
    CHECK(p.rect[3] < pdf_y(600) && p.rect[1] > pdf_y(720) + 9);
    CHECK(p.rect[0] < 440 && p.rect[2] > 360);
    buf_release(&doc);
}

TEST(columns_in_one_text_run)
{
    /* Another producer: the footer's two columns in one TJ with a wide displacement, a
     * name in fake bold (printed twice, 0.4 pt apart), an
     * unaccented name (the search is accent-insensitive both ways), no xref table. */
    static const char raw[] =
        "%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n"
        "2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n"
        "3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        "/Resources <</Font <</F1 5 0 R>>>>>> endobj\n"
        "4 0 obj <<>> stream\n"
        "BT /F1 13 Tf 70 282 Td [(Noi nhan:) -17000 (TM. UY BAN NHAN DAN)] TJ ET\n"
        "BT /F1 13 Tf 380 264 Td (KT. CHU TICH) Tj ET\n"
        "BT /F1 13 Tf 378 246 Td (PHO CHU TICH) Tj ET\n"
        "BT /F1 13 Tf 70 246 Td (- Luu: VT, NC.) Tj ET\n"
        "BT /F1 13 Tf 376 152 Td (Nguyen Van An) Tj 0.4 0 Td (Nguyen Van An) Tj ET\n"
        "endstream endobj\n"
        "5 0 obj <</Type/Font/Subtype/Type1/BaseFont/Times-Bold>> endobj\n"
        "trailer <</Root 1 0 R>>\n%%EOF\n";
    struct pdf_place p;
    CHECK_INT(pdf_find_sign_place((const unsigned char *)raw, strlen(raw), "Nguyễn Văn An", &p),
              RES_OK);
    CHECK_INT(p.how, PDF_PLACE_NAME);
    CHECK_STR(p.title, "PHO CHU TICH");
    CHECK(p.rect[3] < 246 - 2 && p.rect[1] > 152 + 9);
    CHECK_INT(pdf_find_sign_place((const unsigned char *)raw, strlen(raw), "Trần Văn Bình", &p),
              RES_OK);
    CHECK_INT(p.how, PDF_PLACE_TITLE);
    CHECK_STR(p.title, "PHO CHU TICH");
}

TEST(rotated_pages_same_box_on_screen)
{
    struct pdf_place ref, p;
    float back[4];
    CHECK_INT(find(&block1, "Nguyễn Văn An", &ref), RES_OK);
    for (int rot = 90; rot < 360; rot += 180) {
        struct buf doc;
        struct pdf_page_size sz[1];
        int pages = 0;
        CHECK(make_block_pdf(1, 1, rot, "Nguyễn Văn", "An", &doc));
        CHECK_INT(pdf_page_sizes((unsigned char *)doc.data, doc.len, sz, 1, &pages), RES_OK);
        CHECK(fabsf(sz[0].width - 595) < 1 && fabsf(sz[0].height - 842) < 1); /* as shown */
        CHECK_INT(find(&doc, "Nguyễn Văn An", &p), RES_OK);
        CHECK_INT(p.how, PDF_PLACE_NAME);
        CHECK_STR(p.title, "PHÓ CHỦ TỊCH");
        /* On screen the box is where it is on the upright page ... */
        for (int i = 0; i < 4; i++)
            CHECK(fabsf(p.view[i] - ref.view[i]) < 0.1f);
        /* ... in PDF space it is turned with the content (150 high, 60 wide) ... */
        CHECK(p.rect[2] - p.rect[0] < 61 && p.rect[3] - p.rect[1] > 149);
        /* ... and a box dragged on the preview converts back to it. */
        CHECK_INT(pdf_view_to_rect((unsigned char *)doc.data, doc.len, 1, p.view, back), RES_OK);
        for (int i = 0; i < 4; i++)
            CHECK(fabsf(back[i] - p.rect[i]) < 0.1f);
        buf_release(&doc);
    }
}

TEST(view_to_rect)
{
    const float view[4] = {100, 50, 250, 110}, bad[4] = {0, 0, NAN, 10};
    float rect[4];
    CHECK_INT(pdf_view_to_rect((unsigned char *)block4.data, block4.len, 4, view, rect), RES_OK);
    const float want[4] = {100, 842 - 110, 250, 842 - 50};
    for (int i = 0; i < 4; i++)
        CHECK(fabsf(rect[i] - want[i]) < 0.01f);
    CHECK_INT(pdf_view_to_rect((unsigned char *)block4.data, block4.len, 5, view, rect),
              RES_INVALID);
    CHECK_INT(pdf_view_to_rect((unsigned char *)block4.data, block4.len, 1, bad, rect),
              RES_INVALID);
    CHECK_INT(pdf_view_to_rect((const unsigned char *)"junk", 4, 1, view, rect), RES_INVALID);
}

TEST(not_a_pdf_refused)
{
    static const char *junk[] = {"", "not a pdf at all", "%PDF-1.7\nthis is not a pdf",
                                 "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF"};
    struct pdf_place p;
    struct pdf_page_size sz[2];
    struct pdf_widget w[2];
    struct buf png;
    size_t n = 7;
    int pages = 7;
    float scale = 7;
    for (size_t i = 0; i < sizeof(junk) / sizeof(*junk); i++) {
        const unsigned char *d = (const unsigned char *)junk[i];
        size_t len = strlen(junk[i]);
        CHECK_INT(pdf_find_sign_place(d, len, "Nguyễn Văn An", &p), RES_INVALID);
        CHECK_INT(p.page, 0);
        CHECK_INT(pdf_page_sizes(d, len, sz, 2, &pages), RES_INVALID);
        CHECK_INT(pages, 0);
        CHECK_INT(pdf_signature_widgets(d, len, w, 2, &n), RES_INVALID);
        CHECK_INT(n, 0);
        CHECK_INT(pdf_render_page_png(d, len, 1, 100, &png, &scale), RES_INVALID);
        CHECK_INT(png.len, 0);
        CHECK(scale == 0);
    }
    /* A name that is not UTF-8. */
    CHECK_INT(find(&block1, "Nguy\xff", &p), RES_INVALID);
}

TEST(page_sizes)
{
    struct pdf_page_size sz[3];
    int pages = 0;
    CHECK_INT(pdf_page_sizes((unsigned char *)block1.data, block1.len, sz, 3, &pages), RES_OK);
    CHECK_INT(pages, 1);
    CHECK(fabsf(sz[0].width - 595) < 1 && fabsf(sz[0].height - 842) < 1);
    memset(sz, 0, sizeof(sz));
    CHECK_INT(pdf_page_sizes((unsigned char *)block4.data, block4.len, sz, 2, &pages), RES_OK);
    CHECK_INT(pages, 4);
    CHECK(fabsf(sz[1].width - 595) < 1);
    CHECK(sz[2].width == 0); /* only max entries written */
    CHECK_INT(pdf_page_sizes((unsigned char *)block4.data, block4.len, NULL, 0, &pages), RES_OK);
    CHECK_INT(pages, 4);
}

static unsigned be32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (unsigned)u[0] << 24 | (unsigned)u[1] << 16 | (unsigned)u[2] << 8 | u[3];
}

TEST(render_png_preview)
{
    struct buf png;
    float scale = 0;
    CHECK_INT(pdf_render_page_png((unsigned char *)block4.data, block4.len, 3, 800, &png, &scale),
              RES_OK);
    CHECK(png.len > 1000);
    CHECK(memcmp(png.data, "\x89PNG\r\n\x1a\n", 8) == 0);
    CHECK(memcmp(png.data + 12, "IHDR", 4) == 0);
    CHECK_INT(be32(png.data + 16), 800);
    CHECK_INT(be32(png.data + 20), (long)ceil(842.0 * 800 / 595 - 0.01));
    CHECK(fabsf(scale - 800.0f / 595) < 1e-4f);
    buf_release(&png);

    CHECK_INT(pdf_render_page_png((unsigned char *)block4.data, block4.len, 5, 800, &png, &scale),
              RES_INVALID);
    CHECK_INT(pdf_render_page_png((unsigned char *)block4.data, block4.len, 0, 800, &png, &scale),
              RES_INVALID);
    CHECK_INT(pdf_render_page_png((unsigned char *)block4.data, block4.len, 1, PDF_RENDER_MAX_W + 1,
                                  &png, &scale),
              RES_INVALID);
    CHECK_INT(pdf_render_page_png((unsigned char *)block4.data, block4.len, 1, PDF_RENDER_MAX_W,
                                  &png, NULL),
              RES_OK);
    CHECK_INT(be32(png.data + 16), PDF_RENDER_MAX_W);
    buf_release(&png);
    /* A page 10 times as high as wide (no xref: MuPDF repairs it) would be 8000 px. */
    static const char tall[] = "%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n"
                               "2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n"
                               "3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 200 2000]>> endobj\n"
                               "trailer <</Root 1 0 R>>\n%%EOF\n";
    CHECK_INT(pdf_render_page_png((const unsigned char *)tall, strlen(tall), 1, 800, &png, &scale),
              RES_TOO_LARGE);
    CHECK_INT(png.len, 0);
    CHECK_INT(pdf_render_page_png((const unsigned char *)tall, strlen(tall), 1, 500, &png, &scale),
              RES_OK);
    CHECK_INT(be32(png.data + 20), 5000);
    buf_release(&png);
}

static result_t sign_local(void *arg, const unsigned char digest[32], unsigned char **sig,
                           size_t *sig_len)
{
    return keys_sign_digest(arg, digest, 32, sig, sig_len);
}

static result_t sign_at(const struct buf *in, const char *p12, int page, const float rect[4],
                        struct buf *out)
{
    struct key_bundle kb;
    struct pdf_sign_opts o = {0};
    result_t r = keys_load_p12(pki_path(p12), "123456", &kb);
    if (r != RES_OK)
        return r;
    struct pdf_sign_key key = {
        .cert = kb.cert, .chain = kb.chain, .sign = sign_local, .sign_arg = kb.key};
    o.page = page;
    memcpy(o.rect, rect, sizeof(o.rect));
    o.image = (const unsigned char *)png_sig.data;
    o.image_len = png_sig.len;
    r = pdf_sign_document((const unsigned char *)in->data, in->len, &o, &key, out);
    key_bundle_release(&kb);
    return r;
}

/* An empty signature field on page 1, to be signed later. */
static int with_empty_field(const struct buf *in, const char *name, struct buf *out)
{
    fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
    pdf_document *doc = NULL;
    pdf_page *page = NULL;
    pdf_annot *w = NULL;
    fz_buffer *fb = NULL;
    fz_output *o = NULL;
    int ok = 0;
    fz_var(doc);
    fz_var(page);
    fz_var(w);
    fz_var(fb);
    fz_var(o);
    fz_var(ok);
    fz_try(ctx)
    {
        doc = pdf_util_open(ctx, (const unsigned char *)in->data, in->len);
        page = pdf_load_page(ctx, doc, 0);
        w = pdf_create_signature_widget(ctx, page, (char *)name);
        pdf_set_annot_rect(ctx, w, fz_make_rect(70, 700, 220, 760)); /* page space */
        fb = fz_new_buffer(ctx, in->len + 4096);
        o = fz_new_output_with_buffer(ctx, fb);
        pdf_write_document(ctx, doc, o, &pdf_default_write_options);
        fz_close_output(ctx, o);
        buf_init(out, 1 << 28);
        ok = buf_append(out, fb->data, fb->len) == RES_OK;
    }
    fz_always(ctx)
    {
        fz_drop_output(ctx, o);
        fz_drop_buffer(ctx, fb);
        pdf_drop_annot(ctx, w);
        fz_drop_page(ctx, (fz_page *)page);
        pdf_drop_document(ctx, doc);
    }
    fz_catch(ctx)
    {
        fprintf(stderr, "with_empty_field: %s\n", fz_caught_message(ctx));
        ok = 0;
    }
    fz_drop_context(ctx);
    return ok;
}

static void check_rect(const float a[4], const float b[4])
{
    for (int i = 0; i < 4; i++)
        CHECK(fabsf(a[i] - b[i]) < 0.01f);
}

TEST(sign_at_found_place_then_seal_over_it)
{
    struct pdf_place p;
    struct pdf_widget w[4];
    struct buf person, both;
    float seal[4];
    size_t n = 0;

    CHECK_INT(find(&block4, "Nguyễn Văn An", &p), RES_OK);
    CHECK_INT(pdf_signature_widgets((unsigned char *)block4.data, block4.len, w, 4, &n), RES_OK);
    CHECK_INT(n, 0);
    CHECK_INT(sign_at(&block4, "person.p12", p.page, p.rect, &person), RES_OK);
    CHECK(write_file(pki_path("placed.pdf"), person.data, person.len));
    CHECK_INT(pdfsig_valid_count(pki_path("placed.pdf"), NULL), 1);

    CHECK_INT(pdf_signature_widgets((unsigned char *)person.data, person.len, w, 4, &n), RES_OK);
    CHECK_INT(n, 1);
    CHECK_INT(w[0].page, 3);
    CHECK(w[0].is_signed);
    CHECK_STR(w[0].field, "Signature1");
    check_rect(w[0].rect, p.rect);
    /* The placement still finds the block once it carries a signature. */
    struct pdf_place again;
    CHECK_INT(find(&person, "Nguyễn Văn An", &again), RES_OK);
    check_rect(again.rect, p.rect);

    /* The agency seal over the last personal signature (standards.md §6). */
    pdf_sign_seal_rect(w[n - 1].rect, 0, seal);
    CHECK_INT(sign_at(&person, "agency.p12", w[n - 1].page, seal, &both), RES_OK);
    CHECK_INT(pdf_signature_widgets((unsigned char *)both.data, both.len, w, 4, &n), RES_OK);
    CHECK_INT(n, 2);
    check_rect(w[0].rect, p.rect);
    check_rect(w[1].rect, seal);
    CHECK(w[1].is_signed && w[1].page == 3);
    CHECK(write_file(pki_path("placed-both.pdf"), both.data, both.len));
    CHECK_INT(pdfsig_valid_count(pki_path("placed-both.pdf"), NULL), 2);

    /* max bounds what is written. */
    CHECK_INT(pdf_signature_widgets((unsigned char *)both.data, both.len, w, 1, &n), RES_OK);
    CHECK_INT(n, 1);
    buf_release(&person);
    buf_release(&both);
}

TEST(unsigned_field_listed)
{
    struct buf with, signed_doc;
    struct pdf_widget w[4];
    size_t n = 0;
    const float rect[4] = {300, 100, 450, 160};
    CHECK(with_empty_field(&block1, "ChoKy", &with));
    CHECK_INT(pdf_signature_widgets((unsigned char *)with.data, with.len, w, 4, &n), RES_OK);
    CHECK_INT(n, 1);
    CHECK(!w[0].is_signed);
    CHECK_STR(w[0].field, "ChoKy");
    CHECK_INT(w[0].page, 1);
    const float expect[4] = {70, 842 - 760, 220, 842 - 700};
    check_rect(w[0].rect, expect);
    CHECK_INT(sign_at(&with, "person.p12", 1, rect, &signed_doc), RES_OK);
    CHECK_INT(pdf_signature_widgets((unsigned char *)signed_doc.data, signed_doc.len, w, 4, &n),
              RES_OK);
    CHECK_INT(n, 2);
    CHECK(!w[0].is_signed && w[1].is_signed);
    buf_release(&signed_doc);

    /* An invisible signature: rect all 0, the convention of pdf_sign_opts.rect. */
    const float none[4] = {0, 0, 0, 0};
    CHECK_INT(sign_at(&with, "person.p12", 1, none, &signed_doc), RES_OK);
    CHECK_INT(pdf_signature_widgets((unsigned char *)signed_doc.data, signed_doc.len, w, 4, &n),
              RES_OK);
    CHECK_INT(n, 2);
    CHECK(w[1].is_signed);
    check_rect(w[1].rect, none);
    buf_release(&with);
    buf_release(&signed_doc);

    /* A long name is cut on a character boundary: still UTF-8 for the JSON answer. */
    char longname[256] = "Ký"; /* so that byte 127 falls inside "ữ" */
    size_t used = strlen(longname);
    for (int i = 0; i < 20; i++)
        used += (size_t)snprintf(longname + used, sizeof(longname) - used, "%s", "Chữ ký ");
    CHECK(with_empty_field(&block1, longname, &with));
    CHECK_INT(pdf_signature_widgets((unsigned char *)with.data, with.len, w, 4, &n), RES_OK);
    CHECK_INT(n, 1);
    CHECK(strlen(w[0].field) > 100 && strncmp(w[0].field, longname, strlen(w[0].field)) == 0);
    CHECK(text_valid_utf8(w[0].field, strlen(w[0].field)));
    buf_release(&with);
}

int main(void)
{
    if (!make_block_pdf(1, 1, 0, "Nguyễn Văn", "An", &block1) ||
        !make_block_pdf(4, 3, 0, "Nguyễn Văn", "An", &block4) ||
        !make_block_pdf(2, 0, 0, "Nguyễn Văn", "An", &noblock) ||
        !read_file("../fixtures/pdf/signature.png", &png_sig)) {
        fprintf(stderr, "fixtures missing\n");
        return 2;
    }
    if (getenv("QLVB_KEEP_PKI"))
        write_file(pki_path("block4.pdf"), block4.data, block4.len);
    RUN(found_by_name_between_title_and_name);
    RUN(name_matched_without_case_diacritics_or_spacing);
    RUN(unknown_name_found_by_title);
    RUN(no_block_lower_right_of_last_page);
    RUN(block_on_page_three_of_four);
    RUN(simple_block_of_sign_fixture);
    RUN(columns_in_one_text_run);
    RUN(rotated_pages_same_box_on_screen);
    RUN(view_to_rect);
    RUN(not_a_pdf_refused);
    RUN(page_sizes);
    RUN(render_png_preview);
    RUN(sign_at_found_place_then_seal_over_it);
    RUN(unsigned_field_listed);
    buf_release(&block1);
    buf_release(&block4);
    buf_release(&noblock);
    buf_release(&png_sig);
    pki_cleanup();
    return CHECK_DONE("test_pdf_place");
}
