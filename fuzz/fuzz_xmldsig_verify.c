/* libFuzzer target: hardened XML-DSig verification on arbitrary bytes (no trust
 * anchor), covering the shape checks, certificate decoding and xmlsec itself. */
#include <stdint.h>

#include "xml/xmldsig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xmldsig_result r;
    xmldsig_result_init(&r);
    xmldsig_verify((const char *)data, size, NULL, &r);
    xmldsig_result_release(&r);
    return 0;
}
