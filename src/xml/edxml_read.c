/* Hardened libxml2 reading for edXML and XML-DSig (see edxml_read.h). The parser is
 * libxml2's pull parser fed through a read callback, with a few SAX2 hooks wrapped:
 * DOCTYPE stops the parse, depth is bounded, and the text of ContentTransferEncoded
 * goes to a streaming base64 decoder rather than into the tree. */
#include "xml/edxml_read.h"

#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <string.h>

#include "util/alloc.h"

static void stop(xmlParserCtxtPtr ctxt, struct edxml_read *r, result_t res, const char *msg)
{
    if (!r->stopped) {
        r->stopped = true;
        r->too_large = res == RES_TOO_LARGE;
        edxml_issues_fail(r->is, "%s", msg);
    }
    xmlStopParser(ctxt);
}

static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *ext,
                               const xmlChar *sys)
{
    (void)name, (void)ext, (void)sys;
    xmlParserCtxtPtr ctxt = ctx;
    stop(ctxt, ctxt->_private, RES_INVALID,
         "tệp chứa khai báo DOCTYPE: không được phép trong gói edXML (chặn thực thể ngoài "
         "và bom mở rộng thực thể)");
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **nss, int nattr, int ndef, const xmlChar **attrs)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct edxml_read *r = ctxt->_private;
    if ((unsigned)ctxt->nameNr > r->lim->max_depth) {
        stop(ctxt, r, RES_TOO_LARGE, "cấu trúc XML lồng quá sâu");
        return;
    }
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nns, nss, nattr, ndef, attrs);
    if (r->capture_attachments && ctxt->node &&
        !strcmp((const char *)localname, "ContentTransferEncoded")) {
        struct edxml_capture *c = xcalloc(1, sizeof(*c));
        /* Zipped data may be slightly larger than what it holds. */
        buf_init(&c->zip, r->lim->max_attachment + r->lim->max_attachment / 8 + 4096);
        base64_dec_init(&c->b64, true);
        c->next = r->captures;
        r->captures = c;
        ctxt->node->_private = c;
        r->cur = c;
    }
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct edxml_read *r = ctxt->_private;
    if (r->cur && ctxt->node && ctxt->node->_private == r->cur) {
        if (r->cur->res == RES_OK && base64_dec_finish(&r->cur->b64) != RES_OK)
            r->cur->res = RES_INVALID;
        r->cur = NULL;
    }
    xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

static void text(void *ctx, const xmlChar *ch, int len, bool cdata)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct edxml_read *r = ctxt->_private;
    struct edxml_capture *c = r->cur;
    if (c && ctxt->node && ctxt->node->_private == c) {
        if (c->res != RES_OK)
            return;
        c->res = base64_dec_feed(&c->b64, (const char *)ch, (size_t)len, &c->zip);
        if (c->res == RES_TOO_LARGE)
            stop(ctxt, r, RES_TOO_LARGE,
                 "AttachmentEncoded/Attachment/ContentTransferEncoded: tệp đính kèm vượt "
                 "giới hạn kích thước");
        return;
    }
    if (cdata)
        xmlSAX2CDataBlock(ctx, ch, len);
    else
        xmlSAX2Characters(ctx, ch, len);
}

static void on_chars(void *ctx, const xmlChar *ch, int len)
{
    text(ctx, ch, len, false);
}

static void on_cdata(void *ctx, const xmlChar *ch, int len)
{
    text(ctx, ch, len, true);
}

static void on_serror(void *ctx, xmlErrorPtr err)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct edxml_read *r = ctxt ? ctxt->_private : NULL;
    if (!r || !err)
        return;
    char msg[256];

    {
        size_t n = 0;
        for (const char *m = err->message ? err->message : "?"; *m && n < sizeof(msg) - 1; m++)
            if (*m != '\n')
                msg[n++] = *m;
        msg[n] = '\0';
    }
    if (err->domain == XML_FROM_NAMESPACE && err->level <= XML_ERR_ERROR) {
        if (r->ns_errors++ < 5)
            edxml_issues_warn(r->is, "dòng %d: lỗi namespace, đã bỏ qua (%s)", err->line, msg);
        return;
    }
    if (err->level >= XML_ERR_ERROR && !r->stopped && err->code != XML_ERR_USER_STOP) {
        r->stopped = true;
        edxml_issues_fail(r->is, "không phải XML hợp lệ (dòng %d: %s)", err->line, msg);
    }
}

/* Reads from memory or file; the first call skips stray bytes before the first '<'. */
static size_t src_read(struct edxml_read *r, char *out, size_t n)
{
    if (r->fp)
        return fread(out, 1, n, r->fp);
    size_t k = r->mem_len - r->mem_pos;
    if (k > n)
        k = n;
    memcpy(out, r->mem + r->mem_pos, k);
    r->mem_pos += k;
    return k;
}

static void start_input(struct edxml_read *r)
{
    r->started = true;
    r->head_len = src_read(r, r->head, sizeof(r->head));
    const char *lt = memchr(r->head, '<', r->head_len);
    if (!lt || lt == r->head)
        return;
    size_t skip = (size_t)(lt - r->head);
    if (skip == 3 && !memcmp(r->head, "\xEF\xBB\xBF", 3))
        return; /* a UTF-8 byte order mark: libxml2 handles it */
    r->head_pos = skip;
    r->stray_bytes = skip;
    char shown[40];
    size_t n = 0;
    for (size_t i = 0; i < skip && n < sizeof(shown) - 5; i++) {
        unsigned char c = (unsigned char)r->head[i];
        shown[n++] = c >= 0x20 && c < 0x7f && c != '"' ? (char)c : '?';
    }
    shown[n] = '\0';
    edxml_issues_warn(r->is, "có %zu byte lạ trước khai báo XML (\"%s%s\"), đã bỏ qua", skip, shown,
                      skip > n ? "…" : "");
}

static int read_cb(void *ctx, char *buffer, int len)
{
    struct edxml_read *r = ctx;
    if (!r->started)
        start_input(r);
    size_t got;
    if (r->head_pos < r->head_len) {
        got = r->head_len - r->head_pos;
        if (got > (size_t)len)
            got = (size_t)len;
        memcpy(buffer, r->head + r->head_pos, got);
        r->head_pos += got;
    } else {
        got = src_read(r, buffer, (size_t)len);
    }
    r->total += got;
    if (r->total > r->lim->max_package) {
        if (!r->stopped) {
            r->stopped = true;
            r->too_large = true;
            edxml_issues_fail(r->is, "gói tin vượt giới hạn %zu byte", r->lim->max_package);
        }
        return -1;
    }
    return (int)got;
}

void edxml_read_init(struct edxml_read *r, const struct edxml_limits *lim, struct edxml_issues *is,
                     bool capture_attachments)
{
    memset(r, 0, sizeof(*r));
    r->lim = lim;
    r->is = is;
    r->capture_attachments = capture_attachments;
}

/* libxml2 prints some encoding errors through the generic handler, straight to
 * stderr; they also arrive as structured errors, so silence the generic channel. */
static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx, (void)msg;
}

static result_t run(struct edxml_read *r)
{
    result_t res = RES_INVALID;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return RES_INTERNAL;
    ctxt->_private = r;
    ctxt->sax->internalSubset = on_internal_subset;
    ctxt->sax->startElementNs = on_start;
    ctxt->sax->endElementNs = on_end;
    ctxt->sax->characters = on_chars;
    ctxt->sax->cdataBlock = on_cdata;
    ctxt->sax->serror = on_serror;
    /* No NOENT, DTDLOAD, DTDATTR or XINCLUDE: entities are never expanded or fetched.
     * HUGE lifts libxml2's 10 MB text cap; our own limits bound everything instead. */
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT |
               XML_PARSE_HUGE | (r->keep_blanks ? 0 : XML_PARSE_NOBLANKS);
    xmlGenericErrorFunc saved = xmlGenericError;
    void *saved_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet);
    xmlDocPtr doc = xmlCtxtReadIO(ctxt, read_cb, NULL, r, NULL, NULL, opts);
    xmlSetGenericErrorFunc(saved_ctx, saved);
    if (r->stopped || !doc || !ctxt->wellFormed) {
        if (!r->is->error)
            edxml_issues_fail(r->is, "không phải XML hợp lệ");
        if (doc)
            xmlFreeDoc(doc);
        res = r->too_large ? RES_TOO_LARGE : RES_INVALID;
        goto out;
    }
    r->doc = doc;
    res = RES_OK;
out:
    xmlFreeParserCtxt(ctxt);
    return res;
}

result_t edxml_read_memory(struct edxml_read *r, const char *data, size_t len)
{
    if (len > r->lim->max_package) {
        edxml_issues_fail(r->is, "gói tin %zu byte vượt giới hạn %zu byte", len,
                          r->lim->max_package);
        return RES_TOO_LARGE;
    }
    r->mem = data;
    r->mem_len = len;
    return run(r);
}

result_t edxml_read_file(struct edxml_read *r, const char *path)
{
    r->fp = fopen(path, "rb");
    if (!r->fp) {
        edxml_issues_fail(r->is, "không mở được tệp %s", path);
        return RES_IO;
    }
    result_t res = run(r);
    fclose(r->fp);
    r->fp = NULL;
    return res;
}

void edxml_read_release(struct edxml_read *r)
{
    if (r->doc)
        xmlFreeDoc(r->doc);
    r->doc = NULL;
    while (r->captures) {
        struct edxml_capture *c = r->captures;
        r->captures = c->next;
        buf_release(&c->zip);
        free(c);
    }
}

const char *edxml_local_name(xmlNodePtr n)
{
    const char *name = (const char *)n->name;
    if (!n->ns) {
        const char *colon = strchr(name, ':');
        if (colon)
            return colon + 1;
    }
    return name;
}
