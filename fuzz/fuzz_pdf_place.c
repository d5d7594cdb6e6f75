/* Fuzz target: the "Ký số tài liệu" page's view of arbitrary bytes (signature block
 * search, signature widgets, page sizes, a tiny preview) must never crash, leak or hang,
 * whatever the page tree, content streams, text or form fields. */
#include <stddef.h>
#include <stdint.h>

#include "pdf/pdf_place.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pdf_place place;
    struct pdf_widget widgets[8];
    struct pdf_page_size sizes[4];
    struct buf png;
    size_t n;
    int pages;
    float scale;
    float rect[4];

    if (pdf_find_sign_place(data, size, "Nguyễn Văn An", &place) == RES_OK)
        pdf_view_to_rect(data, size, place.page, place.view, rect);
    pdf_signature_widgets(data, size, widgets, 8, &n);
    pdf_page_sizes(data, size, sizes, 4, &pages);
    /* Small, so the fuzzer spends its time in our code rather than in rasterising. */
    if (pdf_render_page_png(data, size, 1, 24, &png, &scale) == RES_OK)
        buf_release(&png);
    return 0;
}
