/* Fuzz target: uploaded signature and seal images. sigimage_check_png() must never
 * crash, read out of bounds or leak, and whatever it accepts must have the dimensions
 * it promises to the signing code. Inputs whose first byte is odd get their chunk
 * CRCs repaired first, so the fuzzer also reaches the inflate and decode stages. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "core/sigimage.h"

static void repair_crcs(uint8_t *d, size_t len)
{
    size_t off = 8;
    while (off + 12 <= len) {
        uint32_t n = (uint32_t)d[off] << 24 | (uint32_t)d[off + 1] << 16 |
                     (uint32_t)d[off + 2] << 8 | d[off + 3];
        if (n > len - off - 12)
            return;
        uint32_t crc = (uint32_t)crc32(0L, d + off + 4, 4 + n);
        for (int i = 0; i < 4; i++)
            d[off + 8 + n + i] = (uint8_t)(crc >> (24 - 8 * i));
        off += 12 + n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t len = size - 1;
    uint8_t *png = malloc(len ? len : 1);
    memcpy(png, data + 1, len);
    if (data[0] & 1)
        repair_crcs(png, len);
    struct verrs e = {0};
    int w = 0, h = 0;
    result_t r = sigimage_check_png(png, len, &w, &h, &e);
    free(png);
    if (r == RES_OK && (w < 16 || w > 4000 || h < 16 || h > 4000 || e.count))
        abort();
    if (r != RES_OK && (e.count != 1 || !e.items[0].field))
        abort();
    return 0;
}
