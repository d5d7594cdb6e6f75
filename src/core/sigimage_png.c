/* The PNG checks of signature and seal images: structure (chunks, CRCs, IHDR, IEND),
 * the image data inflating to exactly the size the header promises, transparency,
 * sensible dimensions, and a full decode by MuPDF, which later draws the image.
 * Uploaded files are untrusted: every read is bounds-checked (fuzz/fuzz_sigimage_png.c). */
#include <stdint.h>
#include <string.h>

#include <zlib.h>

#include "core/sigimage.h"
#include "pdf/pdf_util.h"

#define PNG_MIN_SIDE 16
#define PNG_MAX_SIDE 4000

static const unsigned char png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

struct png_header {
    uint32_t width, height;
    int depth, color, interlace;
    bool has_trns, has_plte;
};

static int channels(int color)
{
    switch (color) {
    case 0:
    case 3:
        return 1;
    case 2:
        return 3;
    case 4:
        return 2;
    case 6:
        return 4;
    }
    return 0;
}

/* Bit depths the PNG specification allows for each colour type. */
static bool depth_valid(int color, int depth)
{
    switch (color) {
    case 0:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
        return depth == 8 || depth == 16;
    }
    return false;
}

/* Bytes of filtered scanlines (one filter byte per row) for a w×h pass. */
static uint64_t pass_bytes(uint64_t w, uint64_t h, const struct png_header *hd)
{
    if (!w || !h)
        return 0;
    uint64_t bits = w * (uint64_t)channels(hd->color) * (uint64_t)hd->depth;
    return h * (1 + (bits + 7) / 8);
}

/* What the zlib stream of IDAT must inflate to (Adam7: seven reduced images). */
static uint64_t expected_raw_bytes(const struct png_header *hd)
{
    if (!hd->interlace)
        return pass_bytes(hd->width, hd->height, hd);
    static const int x0[7] = {0, 4, 0, 2, 0, 1, 0}, dx[7] = {8, 8, 4, 4, 2, 2, 1};
    static const int y0[7] = {0, 0, 4, 0, 2, 0, 1}, dy[7] = {8, 8, 8, 4, 4, 2, 2};
    uint64_t total = 0;
    for (int p = 0; p < 7; p++) {
        uint64_t w = hd->width > (uint32_t)x0[p] ? (hd->width - x0[p] + dx[p] - 1) / dx[p] : 0;
        uint64_t h = hd->height > (uint32_t)y0[p] ? (hd->height - y0[p] + dy[p] - 1) / dy[p] : 0;
        total += pass_bytes(w, h, hd);
    }
    return total;
}

/* Inflates the concatenated IDAT chunks, discarding the output: the stream must be
 * complete and exactly as long as the header implies. */
static bool idat_complete(const unsigned char *data, size_t len, const struct png_header *hd)
{
    unsigned char scratch[16384];
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (inflateInit(&z) != Z_OK)
        return false;
    uint64_t want = expected_raw_bytes(hd), got = 0;
    int zr = Z_OK;
    size_t off = 8;
    /* png_structure() has checked every chunk up to IEND; stay within them */
    while (off + 12 <= len && zr != Z_STREAM_END) {
        uint32_t n = be32(data + off);
        const unsigned char *type = data + off + 4;
        if (memcmp(type, "IEND", 4) == 0 || (size_t)n > len - off - 12)
            break;
        if (memcmp(type, "IDAT", 4) == 0) {
            z.next_in = (unsigned char *)(data + off + 8);
            z.avail_in = n;
            while (z.avail_in > 0 && zr == Z_OK) {
                z.next_out = scratch;
                z.avail_out = sizeof(scratch);
                zr = inflate(&z, Z_NO_FLUSH);
                got += sizeof(scratch) - z.avail_out;
                if (got > want || (zr != Z_OK && zr != Z_STREAM_END))
                    goto out;
            }
        }
        off += 12 + (size_t)n;
    }
    /* the last input may leave output pending in the inflater */
    while (zr == Z_OK) {
        z.next_out = scratch;
        z.avail_out = sizeof(scratch);
        zr = inflate(&z, Z_NO_FLUSH);
        got += sizeof(scratch) - z.avail_out;
        if (zr == Z_OK && z.avail_out == sizeof(scratch))
            break; /* no progress: the stream ends early */
    }
out:
    inflateEnd(&z);
    return zr == Z_STREAM_END && got == want;
}

/* Walks the chunks: signature, IHDR first, CRCs, bounds, IDAT present, IEND last and
 * at the end of the file.
 * Returns the Vietnamese reason on failure, NULL when the structure is sound. */
static const char *png_structure(const unsigned char *d, size_t len, struct png_header *hd)
{
    static const char *damaged = "Tệp PNG bị hỏng hoặc không đầy đủ.";
    size_t off = 8;
    bool idat = false, iend = false, idat_done = false;
    memset(hd, 0, sizeof(*hd));
    while (!iend) {
        if (off + 12 > len)
            return damaged;
        uint32_t n = be32(d + off);
        const unsigned char *type = d + off + 4;
        if (n > 0x7fffffffu || (size_t)n > len - off - 12)
            return damaged;
        for (int i = 0; i < 4; i++)
            if (!((type[i] >= 'A' && type[i] <= 'Z') || (type[i] >= 'a' && type[i] <= 'z')))
                return damaged;
        uint32_t crc = (uint32_t)crc32(0L, type, 4 + n);
        if (crc != be32(d + off + 8 + n))
            return damaged;
        const unsigned char *body = d + off + 8;
        bool first = off == 8;
        if (first != (memcmp(type, "IHDR", 4) == 0))
            return damaged;
        if (first) {
            if (n != 13)
                return damaged;
            hd->width = be32(body);
            hd->height = be32(body + 4);
            hd->depth = body[8];
            hd->color = body[9];
            hd->interlace = body[12];
            if (!depth_valid(hd->color, hd->depth) || body[10] != 0 || body[11] != 0 ||
                hd->interlace > 1)
                return damaged;
        } else if (memcmp(type, "IDAT", 4) == 0) {
            if (idat_done)
                return damaged; /* IDAT chunks must be consecutive */
            idat = true;
        } else {
            idat_done = idat;
            if (memcmp(type, "PLTE", 4) == 0)
                hd->has_plte = true;
            else if (memcmp(type, "tRNS", 4) == 0)
                hd->has_trns = true;
            else if (memcmp(type, "IEND", 4) == 0)
                iend = true;
            else if (!(type[0] & 0x20))
                return damaged; /* an unknown critical chunk */
        }
        off += 12 + (size_t)n;
    }
    /* nothing may follow IEND: no data hidden behind the image */
    if (!idat || (hd->color == 3 && !hd->has_plte) || off != len)
        return damaged;
    return NULL;
}

/* Decodes the whole image with MuPDF, the library that will draw it. */
static bool mupdf_decodes(const unsigned char *d, size_t len, uint32_t w, uint32_t h)
{
    fz_context *ctx = pdf_util_ctx_new();
    if (!ctx)
        return false;
    fz_buffer *volatile buf = NULL;
    fz_image *volatile img = NULL;
    fz_pixmap *volatile pix = NULL;
    volatile bool ok = false;
    fz_try(ctx)
    {
        buf = fz_new_buffer_from_shared_data(ctx, d, len);
        img = fz_new_image_from_buffer(ctx, buf);
        pix = fz_get_pixmap_from_image(ctx, img, NULL, NULL, NULL, NULL);
        ok = (uint32_t)fz_pixmap_width(ctx, pix) == w && (uint32_t)fz_pixmap_height(ctx, pix) == h;
    }
    fz_always(ctx)
    {
        fz_drop_pixmap(ctx, pix);
        fz_drop_image(ctx, img);
        fz_drop_buffer(ctx, buf);
    }
    fz_catch(ctx) ok = false;
    fz_drop_context(ctx);
    return ok;
}

result_t sigimage_check_png(const unsigned char *data, size_t len, int *width, int *height,
                            struct verrs *e)
{
    struct png_header hd;
    const char *why;
    if (!data || len == 0) {
        verrs_add(e, "file", "Chưa chọn tệp ảnh.");
        return RES_INVALID;
    }
    if (len > SIGIMAGE_MAX_BYTES) {
        verrs_add(e, "file", "Ảnh quá lớn (tối đa 2 MB).");
        return RES_INVALID;
    }
    if (len < 8 || memcmp(data, png_magic, 8) != 0) {
        if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
            verrs_add(e, "file",
                      "Ảnh JPEG không có nền trong suốt; hãy dùng ảnh PNG nền trong suốt.");
        else
            verrs_add(e, "file", "Tệp không phải ảnh PNG.");
        return RES_INVALID;
    }
    if ((why = png_structure(data, len, &hd)) != NULL) {
        verrs_add(e, "file", "%s", why);
        return RES_INVALID;
    }
    if (hd.width < PNG_MIN_SIDE || hd.width > PNG_MAX_SIDE || hd.height < PNG_MIN_SIDE ||
        hd.height > PNG_MAX_SIDE) {
        verrs_add(e, "file", "Kích thước ảnh phải từ %d đến %d điểm ảnh mỗi chiều (ảnh này %u×%u).",
                  PNG_MIN_SIDE, PNG_MAX_SIDE, (unsigned)hd.width, (unsigned)hd.height);
        return RES_INVALID;
    }
    if (hd.color != 4 && hd.color != 6 && !hd.has_trns) {
        verrs_add(e, "file",
                  "Ảnh không có nền trong suốt (kênh alpha). Hãy lưu ảnh PNG nền trong suốt.");
        return RES_INVALID;
    }
    if (!idat_complete(data, len, &hd) || !mupdf_decodes(data, len, hd.width, hd.height)) {
        verrs_add(e, "file", "Tệp PNG bị hỏng hoặc không đầy đủ.");
        return RES_INVALID;
    }
    if (width)
        *width = (int)hd.width;
    if (height)
        *height = (int)hd.height;
    return RES_OK;
}
