/* Signing an edXML package: the enveloped XML-DSig signature goes at the end of
 * edXMLEnvelope/edXMLHeader, where the official samples carry it (standards.md §10). */
#include <libxml/tree.h>
#include <stdio.h>
#include <string.h>

#include "xml/edxml.h"
#include "xml/edxml_read.h"
#include "xml/xmldsig.h"

static xmlNodePtr find_child(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && c->ns && !strcmp((const char *)c->ns->href, EDXML_NS) &&
            !strcmp((const char *)c->name, name))
            return c;
    return NULL;
}

static result_t sign_common(const char *data, size_t len, const char *path,
                            const struct xmldsig_key *k, struct buf *out, char *why, size_t whysize)
{
    struct edxml_limits lim;
    edxml_limits_default(&lim);
    struct edxml_issues is;
    edxml_issues_init(&is);
    struct edxml_read rd;
    edxml_read_init(&rd, &lim, &is, false);
    rd.keep_blanks = true;
    xmlChar *mem = NULL;
    result_t res = path ? edxml_read_file(&rd, path) : edxml_read_memory(&rd, data, len);
    if (res != RES_OK) {
        snprintf(why, whysize, "%s", is.error ? is.error : "không đọc được XML");
        goto out;
    }
    xmlNodePtr root = xmlDocGetRootElement(rd.doc);
    xmlNodePtr hdr = NULL;
    if (root && root->ns && !strcmp((const char *)root->ns->href, EDXML_NS) &&
        !strcmp((const char *)root->name, "edXML"))
        hdr = find_child(find_child(root, "edXMLEnvelope"), "edXMLHeader");
    if (!hdr) {
        snprintf(why, whysize, "không phải gói edXML (thiếu edXMLEnvelope/edXMLHeader)");
        res = RES_INVALID;
        goto out;
    }
    for (xmlNodePtr c = hdr->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && c->ns &&
            !strcmp((const char *)c->ns->href, XMLDSIG_NS)) {
            snprintf(why, whysize, "gói tin đã có chữ ký XML-DSig");
            res = RES_CONFLICT;
            goto out;
        }
    res = xmldsig_sign_doc(rd.doc, hdr, k, why, whysize);
    if (res != RES_OK)
        goto out;
    int size = 0;
    xmlDocDumpMemoryEnc(rd.doc, &mem, &size, "UTF-8");
    if (!mem) {
        snprintf(why, whysize, "không ghi được gói tin đã ký");
        res = RES_INTERNAL;
        goto out;
    }
    res = buf_append(out, mem, (size_t)size);
    if (res != RES_OK)
        snprintf(why, whysize, "gói tin đã ký vượt giới hạn kích thước");
out:
    xmlFree(mem);
    edxml_read_release(&rd);
    edxml_issues_release(&is);
    return res;
}

result_t edxml_sign(const char *data, size_t len, const struct xmldsig_key *k, struct buf *out,
                    char *why, size_t whysize)
{
    return sign_common(data, len, NULL, k, out, why, whysize);
}

result_t edxml_sign_file(const char *path, const struct xmldsig_key *k, struct buf *out, char *why,
                         size_t whysize)
{
    return sign_common(NULL, 0, path, k, out, why, whysize);
}
