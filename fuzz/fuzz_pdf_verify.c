/* Fuzz target: PDF signature verification on arbitrary bytes must never crash, leak or
 * hang, whatever the document structure, ByteRange or CMS contents. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "crypto/certstore.h"
#include "pdf/pdf_verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct certstore trust; /* empty: chains are built and found untrusted */
    static int ready;
    struct pdf_verify_result r;
    struct buf text = BUF_INIT(1 << 20);

    if (!ready) {
        certstore_init(&trust);
        ready = 1;
    }
    pdf_verify_document(data, size, &trust, 1767225600 /* fixed: reproducible */, &r);
    pdf_verify_format(&r, &text);
    json_t *j = pdf_verify_to_json(&r);
    char *s = json_dumps(j, 0);
    free(s);
    json_decref(j);
    buf_release(&text);
    pdf_verify_result_release(&r);
    return 0;
}
