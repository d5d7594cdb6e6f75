/* Hardened XML reading shared by the edXML parser and XML-DSig: no DTD (refused at
 * the DOCTYPE, so no XXE or entity expansion), no network, size and depth limits,
 * stray bytes before the XML declaration skipped, and optional capture of attachment
 * base64 decoded on the fly instead of being kept as text in the tree. */
#ifndef QLVB_EDXML_READ_H
#define QLVB_EDXML_READ_H

#include <libxml/tree.h>
#include <stdio.h>

#include "util/base64.h"
#include "xml/edxml.h"

/* Decoded (still zipped) bytes of one ContentTransferEncoded element; node->_private
 * of that element points here. */
struct edxml_capture {
    struct edxml_capture *next;
    struct buf zip;
    struct base64_dec b64;
    result_t res; /* RES_INVALID: bad base64, RES_TOO_LARGE: over the limit */
};

struct edxml_read {
    /* inputs */
    const struct edxml_limits *lim;
    struct edxml_issues *is; /* warnings and the refusal reason */
    bool capture_attachments;
    bool keep_blanks; /* signatures cover white space: keep it for XML-DSig */
    /* outputs */
    xmlDocPtr doc;
    struct edxml_capture *captures;
    size_t stray_bytes; /* skipped before the XML declaration */
    /* input state (internal) */
    const char *mem;
    size_t mem_len, mem_pos;
    FILE *fp;
    char head[4096];
    size_t head_len, head_pos;
    bool started;
    size_t total;
    bool too_large;
    bool stopped;
    struct edxml_capture *cur;
    int ns_errors;
};

void edxml_read_init(struct edxml_read *r, const struct edxml_limits *lim, struct edxml_issues *is,
                     bool capture_attachments);
/* RES_OK with r->doc set, or RES_INVALID / RES_TOO_LARGE / RES_IO with is->error. */
result_t edxml_read_memory(struct edxml_read *r, const char *data, size_t len);
result_t edxml_read_file(struct edxml_read *r, const char *path);
void edxml_read_release(struct edxml_read *r);

/* Local name of an element, also when an undeclared prefix left "p:name" in name. */
const char *edxml_local_name(xmlNodePtr n);

#endif
