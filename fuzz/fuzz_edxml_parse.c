/* libFuzzer target: the edXML parser on arbitrary bytes, with small limits so inputs
 * exercise the limit paths too; then the JSON view and a rebuild of what was accepted. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "xml/edxml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct edxml_parse_opts o;
    edxml_parse_opts_default(&o);
    o.limits.max_package = 4 << 20;
    o.limits.max_attachment = 1 << 20;
    o.limits.max_total = 2 << 20;
    struct edxml_package p;
    struct edxml_issues is;
    edxml_package_init(&p, EDXML_DOCUMENT);
    edxml_issues_init(&is);
    if (edxml_parse((const char *)data, size, &o, &p, &is) == RES_OK) {
        json_t *j = edxml_to_json(&p);
        char *s = json_dumps(j, 0);
        free(s);
        json_decref(j);
        struct buf out = BUF_INIT(16 << 20);
        char why[256];
        edxml_build(&p, &out, why, sizeof(why));
        buf_release(&out);
    }
    edxml_issues_release(&is);
    edxml_package_release(&p);
    return 0;
}
