/* sigimage_check_png() against PNGs built here with zlib: transparent ones pass, opaque,
 * damaged, truncated, oversized and non-PNG files are refused with a Vietnamese
 * message on the "file" field. */
#include <stdlib.h>
#include <zlib.h>

#include "check.h"
#include "core/sigimage.h"
#include "util/buf.h"

struct png_spec {
    unsigned width, height;
    int depth, color, interlace;
    bool trns, plte;
    long raw_delta; /* bytes added to (or removed from) the image data */
};

static void put32(struct buf *b, uint32_t v)
{
    unsigned char p[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    buf_append(b, p, 4);
}

static void chunk(struct buf *b, const char *type, const unsigned char *data, size_t n)
{
    put32(b, (uint32_t)n);
    size_t start = b->len;
    buf_append(b, type, 4);
    if (n)
        buf_append(b, data, n);
    put32(b, (uint32_t)crc32(0L, (const unsigned char *)b->data + start, (uInt)(n + 4)));
}

static int channels(int color)
{
    return color == 2 ? 3 : color == 4 ? 2 : color == 6 ? 4 : 1;
}

static size_t pass_bytes(size_t w, size_t h, const struct png_spec *s)
{
    return w && h ? h * (1 + (w * (size_t)channels(s->color) * (size_t)s->depth + 7) / 8) : 0;
}

/* Size of the filtered image data: one pass, or the seven Adam7 passes. */
static size_t raw_size(const struct png_spec *s)
{
    if (!s->interlace)
        return pass_bytes(s->width, s->height, s);
    static const unsigned x0[7] = {0, 4, 0, 2, 0, 1, 0}, dx[7] = {8, 8, 4, 4, 2, 2, 1};
    static const unsigned y0[7] = {0, 0, 4, 0, 2, 0, 1}, dy[7] = {8, 8, 8, 4, 4, 2, 2};
    size_t total = 0;
    for (int p = 0; p < 7; p++) {
        size_t w = s->width > x0[p] ? (s->width - x0[p] + dx[p] - 1) / dx[p] : 0;
        size_t h = s->height > y0[p] ? (s->height - y0[p] + dy[p] - 1) / dy[p] : 0;
        total += pass_bytes(w, h, s);
    }
    return total;
}

/* A PNG whose rows all use filter 0 and carry a simple pattern. */
static void make_png(const struct png_spec *s, struct buf *out)
{
    static const unsigned char magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    buf_init(out, 64u << 20);
    buf_append(out, magic, 8);
    unsigned char ihdr[13] = {0};
    for (int i = 0; i < 4; i++) {
        ihdr[i] = (unsigned char)(s->width >> (24 - 8 * i));
        ihdr[4 + i] = (unsigned char)(s->height >> (24 - 8 * i));
    }
    ihdr[8] = (unsigned char)s->depth;
    ihdr[9] = (unsigned char)s->color;
    ihdr[12] = (unsigned char)s->interlace;
    chunk(out, "IHDR", ihdr, 13);
    if (s->plte) {
        unsigned char pal[6] = {255, 255, 255, 0, 0, 200};
        chunk(out, "PLTE", pal, 6);
    }
    if (s->trns) {
        /* grey: one 16-bit sample; RGB: three; palette: alpha of entry 0 */
        unsigned char t[6] = {0, 0, 0, 0, 0, 0};
        chunk(out, "tRNS", t, s->color == 2 ? 6 : s->color == 0 ? 2 : 1);
    }
    size_t n = raw_size(s) + (size_t)s->raw_delta;
    unsigned char *raw = calloc(1, n + 1);
    if (!s->interlace) {
        /* a pattern, with filter type 0 at the start of each row */
        size_t row = 1 + (s->width * (size_t)channels(s->color) * (size_t)s->depth + 7) / 8;
        for (size_t i = 0; i < n; i++)
            raw[i] = i % row == 0 ? 0 : (unsigned char)(i * 31);
    }
    uLongf zlen = compressBound((uLong)n);
    unsigned char *z = malloc(zlen);
    compress(z, &zlen, raw, (uLong)n);
    /* split the data over two IDAT chunks, as encoders do */
    size_t half = zlen / 2;
    chunk(out, "IDAT", z, half);
    chunk(out, "IDAT", z + half, zlen - half);
    chunk(out, "IEND", NULL, 0);
    free(raw);
    free(z);
}

static result_t check(const struct buf *b, int *w, int *h, struct verrs *e)
{
    memset(e, 0, sizeof(*e));
    return sigimage_check_png((const unsigned char *)b->data, b->len, w, h, e);
}

TEST(transparent_images_are_accepted)
{
    struct png_spec specs[] = {
        {120, 48, 8, 6, 0, false, false, 0},  /* RGBA */
        {64, 64, 16, 6, 0, false, false, 0},  /* RGBA, 16 bits */
        {40, 30, 8, 4, 0, false, false, 0},   /* grey + alpha */
        {50, 20, 8, 2, 0, true, false, 0},    /* RGB + tRNS */
        {33, 17, 4, 3, 0, true, true, 0},     /* palette + tRNS */
        {37, 29, 8, 6, 1, false, false, 0},   /* RGBA, Adam7 interlaced */
        {4000, 16, 8, 6, 0, false, false, 0}, /* the largest width */
    };
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
        struct buf b;
        struct verrs e;
        int w = 0, h = 0;
        make_png(&specs[i], &b);
        result_t r = check(&b, &w, &h, &e);
        if (r != RES_OK)
            fprintf(stderr, "spec %zu: %s\n", i, e.count ? e.items[0].message : "?");
        CHECK_INT(r, RES_OK);
        CHECK_INT(w, specs[i].width);
        CHECK_INT(h, specs[i].height);
        CHECK_INT(e.count, 0);
        buf_release(&b);
    }
}

TEST(opaque_images_are_refused)
{
    struct png_spec opaque[] = {
        {50, 20, 8, 2, 0, false, false, 0}, /* RGB */
        {50, 20, 8, 0, 0, false, false, 0}, /* grey */
        {50, 20, 8, 3, 0, false, true, 0},  /* palette */
    };
    for (size_t i = 0; i < 3; i++) {
        struct buf b;
        struct verrs e;
        make_png(&opaque[i], &b);
        CHECK_INT(check(&b, NULL, NULL, &e), RES_INVALID);
        CHECK_STR(e.items[0].field, "file");
        CHECK(strstr(e.items[0].message, "nền trong suốt") != NULL);
        buf_release(&b);
    }
}

TEST(damaged_and_truncated_files_are_refused)
{
    struct png_spec ok = {80, 40, 8, 6, 0, false, false, 0};
    struct buf b;
    struct verrs e;
    make_png(&ok, &b);
    /* cut anywhere: in the middle of IDAT, before IEND, in the header */
    size_t cuts[] = {b.len - 1, b.len - 12, b.len / 2, 30, 12, 9};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        CHECK_INT(sigimage_check_png((const unsigned char *)b.data, cuts[i], NULL, NULL,
                                     (memset(&e, 0, sizeof(e)), &e)),
                  RES_INVALID);
        CHECK(e.count == 1 && strstr(e.items[0].message, "bị hỏng"));
    }
    /* bytes after IEND (a file hidden behind the image) */
    struct buf tail;
    buf_init(&tail, 1 << 20);
    buf_append(&tail, b.data, b.len);
    buf_append(&tail, "\0\0\0\0IDAT", 8);
    CHECK_INT(check(&tail, NULL, NULL, &e), RES_INVALID);
    buf_release(&tail);
    /* one flipped bit in the image data: the CRC no longer matches */
    b.data[b.len - 20] ^= 0x10;
    CHECK_INT(check(&b, NULL, NULL, &e), RES_INVALID);
    buf_release(&b);

    /* intact chunks, but the image data is a row short or a little long */
    struct png_spec short_rows = {80, 40, 8, 6, 0, false, false, -(80 * 4 + 1)};
    make_png(&short_rows, &b);
    CHECK_INT(check(&b, NULL, NULL, &e), RES_INVALID);
    buf_release(&b);
    struct png_spec long_rows = {80, 40, 8, 6, 0, false, false, 7};
    make_png(&long_rows, &b);
    CHECK_INT(check(&b, NULL, NULL, &e), RES_INVALID);
    buf_release(&b);

    /* a palette image without its palette; a bad bit depth for the colour type */
    struct png_spec no_plte = {40, 40, 8, 3, 0, true, false, 0};
    make_png(&no_plte, &b);
    CHECK_INT(check(&b, NULL, NULL, &e), RES_INVALID);
    buf_release(&b);
    struct png_spec bad_depth = {40, 40, 4, 6, 0, false, false, 0};
    make_png(&bad_depth, &b);
    CHECK_INT(check(&b, NULL, NULL, &e), RES_INVALID);
    buf_release(&b);
}

TEST(dimensions_are_bounded)
{
    struct png_spec big = {4001, 16, 8, 6, 0, false, false, 0};
    struct png_spec tall = {16, 5000, 8, 4, 0, false, false, 0};
    struct png_spec tiny = {15, 40, 8, 6, 0, false, false, 0};
    struct png_spec *specs[] = {&big, &tall, &tiny};
    for (int i = 0; i < 3; i++) {
        struct buf b;
        struct verrs e;
        make_png(specs[i], &b);
        CHECK_INT(check(&b, NULL, NULL, &e), RES_INVALID);
        CHECK(strstr(e.items[0].message, "Kích thước ảnh") != NULL);
        buf_release(&b);
    }
    /* a huge header on a tiny file is refused before anything is inflated */
    struct buf b;
    struct verrs e;
    struct png_spec liar = {16, 16, 8, 6, 0, false, false, 0};
    make_png(&liar, &b);
    b.data[16] = 0x7f; /* width 0x7f000010 */
    uint32_t crc = (uint32_t)crc32(0L, (const unsigned char *)b.data + 12, 17);
    for (int i = 0; i < 4; i++)
        b.data[29 + i] = (char)(crc >> (24 - 8 * i));
    CHECK_INT(check(&b, NULL, NULL, &e), RES_INVALID);
    CHECK(strstr(e.items[0].message, "Kích thước ảnh") != NULL);
    buf_release(&b);
}

TEST(other_files_are_refused)
{
    struct verrs e = {0};
    const unsigned char gif[] = "GIF89a\x10\x00\x10\x00";
    CHECK_INT(sigimage_check_png(gif, sizeof(gif) - 1, NULL, NULL, &e), RES_INVALID);
    CHECK_STR(e.items[0].message, "Tệp không phải ảnh PNG.");
    memset(&e, 0, sizeof(e));
    const unsigned char jpeg[] = "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00";
    CHECK_INT(sigimage_check_png(jpeg, sizeof(jpeg) - 1, NULL, NULL, &e), RES_INVALID);
    CHECK(strstr(e.items[0].message, "JPEG") != NULL);
    memset(&e, 0, sizeof(e));
    CHECK_INT(sigimage_check_png(NULL, 0, NULL, NULL, &e), RES_INVALID);
    CHECK_STR(e.items[0].field, "file");
    /* over the size limit, whatever the content */
    size_t n = SIGIMAGE_MAX_BYTES + 1;
    unsigned char *big = calloc(1, n);
    memcpy(big, "\x89PNG\r\n\x1a\n", 8);
    memset(&e, 0, sizeof(e));
    CHECK_INT(sigimage_check_png(big, n, NULL, NULL, &e), RES_INVALID);
    CHECK(strstr(e.items[0].message, "2 MB") != NULL);
    free(big);
}

TEST(fixture_images_pass)
{
    /* the appearance images of the PDF tests, made by another tool */
    const char *files[] = {"../fixtures/pdf/signature.png", "../fixtures/pdf/seal.png"};
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(files[i], "rb");
        CHECK(f != NULL);
        if (!f)
            continue;
        struct buf b;
        buf_init(&b, SIGIMAGE_MAX_BYTES + 1);
        char chunk_[4096];
        size_t n;
        while ((n = fread(chunk_, 1, sizeof(chunk_), f)) > 0)
            buf_append(&b, chunk_, n);
        fclose(f);
        struct verrs e;
        int w = 0, h = 0;
        CHECK_INT(check(&b, &w, &h, &e), RES_OK);
        CHECK(w >= 16 && h >= 16);
        buf_release(&b);
    }
}

int main(void)
{
    RUN(transparent_images_are_accepted);
    RUN(opaque_images_are_refused);
    RUN(damaged_and_truncated_files_are_refused);
    RUN(dimensions_are_bounded);
    RUN(other_files_are_refused);
    RUN(fixture_images_pass);
    return CHECK_DONE("test_sigimage_png");
}
