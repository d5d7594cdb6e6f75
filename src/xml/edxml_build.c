/* edXML building: writes a canonical package from the model, text first and streaming
 * attachments through zip and base64 straight into the output, with the namespace
 * declarations and prefixes of the official samples (standards.md §10). */
#include <stdio.h>
#include <string.h>

#include "text/text.h"
#include "util/base64.h"
#include "util/str.h"
#include "xml/edxml.h"

struct wr {
    struct buf *out;
    result_t res;
    char *why;
    size_t whysize;
};

static void fail(struct wr *w, result_t r, const char *fmt, const char *arg)
{
    if (w->res == RES_OK) {
        w->res = r;
        snprintf(w->why, w->whysize, fmt, arg);
    }
}

static void put(struct wr *w, const char *s, size_t n)
{
    if (w->res == RES_OK) {
        result_t r = buf_append(w->out, s, n);
        if (r != RES_OK)
            fail(w, r, "gói tin vượt giới hạn kích thước%s", "");
    }
}

static void puts_(struct wr *w, const char *s)
{
    put(w, s, strlen(s));
}

static void escaped(struct wr *w, const char *name, const char *s)
{
    if (!text_valid_utf8(s, strlen(s))) {
        fail(w, RES_INVALID, "%s: không phải văn bản UTF-8 hợp lệ (hoặc có ký tự điều khiển)",
             name);
        return;
    }
    const char *run = s;
    for (; *s; s++) {
        const char *rep = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : NULL;
        if (!rep && *s == '\r')
            rep = "&#13;"; /* keep CR through the parser's line-end normalisation */
        if (rep) {
            put(w, run, (size_t)(s - run));
            puts_(w, rep);
            run = s + 1;
        }
    }
    put(w, run, (size_t)(s - run));
}

static void indent(struct wr *w, int n)
{
    static const char spaces[] = "                                ";
    put(w, spaces, (size_t)(n * 2) < sizeof(spaces) - 1 ? (size_t)n * 2 : sizeof(spaces) - 1);
}

/* <pfx:name>value</pfx:name> on its own line; nothing when value is NULL. */
static void el(struct wr *w, int depth, const char *pfx, const char *name, const char *value)
{
    if (!value)
        return;
    indent(w, depth);
    puts_(w, "<");
    puts_(w, pfx);
    puts_(w, name);
    puts_(w, ">");
    escaped(w, name, value);
    puts_(w, "</");
    puts_(w, pfx);
    puts_(w, name);
    puts_(w, ">\n");
}

static void open_(struct wr *w, int depth, const char *pfx, const char *name)
{
    indent(w, depth);
    puts_(w, "<");
    puts_(w, pfx);
    puts_(w, name);
    puts_(w, ">\n");
}

static void close_(struct wr *w, int depth, const char *pfx, const char *name)
{
    indent(w, depth);
    puts_(w, "</");
    puts_(w, pfx);
    puts_(w, name);
    puts_(w, ">\n");
}

static void el_int(struct wr *w, int depth, const char *name, int v)
{
    if (v < 0)
        return;
    char num[16];
    snprintf(num, sizeof(num), "%d", v);
    el(w, depth, "edXML:", name, num);
}

#define P "edXML:"

static void organ(struct wr *w, int d, const char *name, const struct edxml_organ *o)
{
    open_(w, d, P, name);
    el(w, d + 1, P, "OrganId", o->organ_id);
    el(w, d + 1, P, "OrganizationInCharge", o->organization_in_charge);
    el(w, d + 1, P, "OrganName", o->organ_name);
    el(w, d + 1, P, "OrganAdd", o->organ_add);
    el(w, d + 1, P, "Email", o->email);
    el(w, d + 1, P, "Telephone", o->telephone);
    el(w, d + 1, P, "Fax", o->fax);
    el(w, d + 1, P, "Website", o->website);
    close_(w, d, P, name);
}

static void staff(struct wr *w, int d, const struct edxml_staff *s)
{
    open_(w, d, P, "StaffInfo");
    el(w, d + 1, P, "Department", s->department);
    el(w, d + 1, P, "Staff", s->staff);
    el(w, d + 1, P, "Email", s->email);
    el(w, d + 1, P, "Mobile", s->mobile);
    close_(w, d, P, "StaffInfo");
}

static void response_for(struct wr *w, const struct edxml_package *p)
{
    for (size_t i = 0; i < p->n_response_for; i++) {
        const struct edxml_response_for *r = &p->response_for[i];
        open_(w, 4, P, "ResponseFor");
        el(w, 5, P, "OrganId", r->organ_id);
        el(w, 5, P, "Code", r->code);
        el(w, 5, P, "PromulgationDate", r->promulgation_date);
        el(w, 5, P, "DocumentId", r->document_id);
        close_(w, 4, P, "ResponseFor");
    }
}

static void document_header(struct wr *w, const struct edxml_package *p)
{
    for (size_t i = 0; i < p->n_to; i++)
        organ(w, 4, "To", &p->to[i]);
    el(w, 4, P, "DocumentId", p->document_id);
    open_(w, 4, P, "Code");
    el(w, 5, P, "CodeNumber", p->code.number);
    el(w, 5, P, "CodeNotation", p->code.notation);
    close_(w, 4, P, "Code");
    open_(w, 4, P, "PromulgationInfo");
    el(w, 5, P, "Place", p->place);
    el(w, 5, P, "PromulgationDate", p->promulgation_date);
    close_(w, 4, P, "PromulgationInfo");
    open_(w, 4, P, "DocumentType");
    el(w, 5, P, "Type", p->type);
    el(w, 5, P, "TypeDetail", p->type_detail);
    el(w, 5, P, "TypeName", p->type_name);
    close_(w, 4, P, "DocumentType");
    el(w, 4, P, "Subject", p->subject);
    el(w, 4, P, "Content", p->content);
    if (p->signer_competence || p->signer_position || p->signer_full_name) {
        open_(w, 4, P, "SignerInfo");
        el(w, 5, P, "Competence", p->signer_competence);
        el(w, 5, P, "Position", p->signer_position);
        el(w, 5, P, "FullName", p->signer_full_name);
        close_(w, 4, P, "SignerInfo");
    }
    el(w, 4, P, "DueDate", p->due_date);
    open_(w, 4, P, "OtherInfo");
    el_int(w, 5, "Priority", p->priority);
    el(w, 5, P, "SphereOfPromulgation", p->sphere_of_promulgation);
    el(w, 5, P, "TyperNotation", p->typer_notation);
    el(w, 5, P, "PromulgationAmount", p->promulgation_amount);
    el(w, 5, P, "PageAmount", p->page_amount);
    el(w, 5, P, "Direction", p->direction);
    if (p->n_appendixes) {
        open_(w, 5, P, "Appendixes");
        for (size_t i = 0; i < p->n_appendixes; i++)
            el(w, 6, P, "Appendix", p->appendixes[i]);
        close_(w, 5, P, "Appendixes");
    }
    close_(w, 4, P, "OtherInfo");
    response_for(w, p);
    el_int(w, 4, "SteeringType", p->steering);
    if (p->n_to_places) {
        open_(w, 4, P, "ToPlaces");
        for (size_t i = 0; i < p->n_to_places; i++)
            el(w, 5, P, "Place", p->to_places[i]);
        close_(w, 4, P, "ToPlaces");
    }
}

static void business(struct wr *w, const struct edxml_business *b)
{
    open_(w, 4, P, "Bussiness");
    el(w, 5, P, "DocumentId", b->document_id);
    el_int(w, 5, "BussinessDocType", (int)b->doc_type);
    el(w, 5, P, "BussinessDocReason", b->reason);
    el_int(w, 5, "Paper", b->paper);
    if (b->document_info || b->document_receiver || b->n_receivers) {
        open_(w, 5, P, "BussinessDocumentInfo");
        el(w, 6, P, "DocumentInfo", b->document_info);
        el(w, 6, P, "DocumentReceiver", b->document_receiver);
        if (b->n_receivers) {
            open_(w, 6, P, "ReceiverList");
            for (size_t i = 0; i < b->n_receivers; i++) {
                open_(w, 7, P, "Receiver");
                el(w, 8, P, "OrganId", b->receivers[i].organ_id);
                el_int(w, 8, "ReceiverType", b->receivers[i].receiver_type);
                close_(w, 7, P, "Receiver");
            }
            close_(w, 6, P, "ReceiverList");
        }
        close_(w, 5, P, "BussinessDocumentInfo");
    }
    if (b->n_replacements) {
        open_(w, 5, P, "ReplacementInfoList");
        for (size_t i = 0; i < b->n_replacements; i++) {
            open_(w, 6, P, "ReplacementInfo");
            el(w, 7, P, "DocumentId", b->replacements[i].document_id);
            open_(w, 7, P, "OrganIdList");
            for (size_t k = 0; k < b->replacements[i].n_organ_ids; k++)
                el(w, 8, P, "OrganId", b->replacements[i].organ_ids[k]);
            close_(w, 7, P, "OrganIdList");
            close_(w, 6, P, "ReplacementInfo");
        }
        close_(w, 5, P, "ReplacementInfoList");
    }
    if (b->has_staff)
        staff(w, 5, &b->staff);
    close_(w, 4, P, "Bussiness");
}

/* The same rules the parser enforces, so we never emit what we would refuse. */
static void validate(struct wr *w, const struct edxml_package *p)
{
    char why[160];
    if (!edxml_agency_code_valid(p->from.organ_id))
        fail(w, RES_INVALID, "From/OrganId: '%s' không phải mã định danh AAA.BB.CC.XNN",
             p->from.organ_id ? p->from.organ_id : "");
    if (p->kind == EDXML_STATUS) {
        if (!p->n_response_for)
            fail(w, RES_INVALID, "ResponseFor: thiếu văn bản được phản hồi%s", "");
        for (size_t i = 0; i < p->n_response_for; i++)
            if (!p->response_for[i].document_id ||
                !edxml_document_id_valid(p->response_for[i].document_id, why, sizeof(why)))
                fail(w, RES_INVALID, "ResponseFor/DocumentId: %s",
                     p->response_for[i].document_id ? why : "thiếu");
        if (!edxml_status_wire(p->status_code))
            fail(w, RES_INVALID, "StatusCode: mã trạng thái không hợp lệ%s", "");
        if (!edxml_timestamp_valid(p->timestamp))
            fail(w, RES_INVALID, "Timestamp: thiếu hoặc không đúng dạng yyyy/MM/dd HH:mm:ss%s", "");
        return;
    }
    if (!p->n_to)
        fail(w, RES_INVALID, "To: thiếu cơ quan nhận%s", "");
    if (p->document_id && !edxml_document_id_valid(p->document_id, why, sizeof(why)))
        fail(w, RES_INVALID, "DocumentId: %s", why);
    if (!p->code.number)
        fail(w, RES_INVALID, "Code/CodeNumber: thiếu số văn bản%s", "");
    if (!edxml_date_valid(p->promulgation_date))
        fail(w, RES_INVALID, "PromulgationInfo/PromulgationDate: thiếu hoặc sai dạng%s", "");
    if (!p->type && !p->type_name)
        fail(w, RES_INVALID, "DocumentType: thiếu loại văn bản%s", "");
    if (str_is_empty(p->subject))
        fail(w, RES_INVALID, "Subject: thiếu trích yếu%s", "");
    if (p->business.present && p->business.doc_type == EDXML_BIZ_REPLACE &&
        !p->business.n_replacements)
        fail(w, RES_INVALID, "Bussiness: thay thế cần ReplacementInfoList%s", "");
    if (p->business.present && p->business.doc_type == EDXML_BIZ_UPDATE &&
        !p->business.document_info && !p->business.document_receiver && !p->business.n_receivers)
        fail(w, RES_INVALID, "Bussiness: cập nhật cần BussinessDocumentInfo%s", "");
    for (size_t i = 0; i < p->n_attachments; i++)
        if (!p->attachments[i].content_id || (!p->attachments[i].data && p->attachments[i].len))
            fail(w, RES_INVALID, "Attachment: thiếu ContentId hoặc dữ liệu%s", "");
}

static void attachments(struct wr *w, const struct edxml_package *p)
{
    if (!p->n_attachments)
        return;
    puts_(w, "  <AttachmentEncoded>\n");
    struct buf zip = BUF_INIT(w->out->max);
    for (size_t i = 0; i < p->n_attachments && w->res == RES_OK; i++) {
        const struct edxml_attachment *a = &p->attachments[i];
        puts_(w, "    <Attachment>\n");
        el(w, 3, "", "ContentId", a->content_id);
        el(w, 3, "", "AttachmentName", a->name);
        el(w, 3, "", "Description", a->description);
        el(w, 3, "", "ContentType", a->content_type);
        puts_(w, "      <edXML:ContentTransferEncoded xmlns:edXML=\"" EDXML_NS "\">");
        buf_reset(&zip);
        result_t r = edxml_zip(a->name, a->data, a->len, &zip);
        if (r != RES_OK)
            fail(w, r, "không nén được tệp đính kèm %s", a->name ? a->name : "");
        else if (w->res == RES_OK && (r = base64_encode(w->out, zip.data, zip.len, 76)) != RES_OK)
            fail(w, r, "gói tin vượt giới hạn kích thước%s", "");
        puts_(w, "</edXML:ContentTransferEncoded>\n");
        puts_(w, "    </Attachment>\n");
    }
    buf_release(&zip);
    puts_(w, "  </AttachmentEncoded>\n");
}

result_t edxml_build(const struct edxml_package *p, struct buf *out, char *why, size_t whysize)
{
    struct wr w = {.out = out, .res = RES_OK, .why = why, .whysize = whysize};
    if (whysize)
        why[0] = '\0';
    validate(&w, p);
    if (w.res != RES_OK)
        return w.res;
    puts_(&w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    puts_(&w, "<edXML xmlns=\"" EDXML_NS "\">\n");
    puts_(&w, "  <edXML:edXMLEnvelope xmlns:edXML=\"" EDXML_NS "\">\n");
    open_(&w, 2, P, "edXMLHeader");
    open_(&w, 3, P, "MessageHeader");
    organ(&w, 4, "From", &p->from);
    if (p->kind == EDXML_STATUS) {
        response_for(&w, p);
        if (p->has_staff)
            staff(&w, 4, &p->staff);
        el(&w, 4, P, "StatusCode", edxml_status_wire(p->status_code));
        el(&w, 4, P, "Description", p->description);
        el(&w, 4, P, "Timestamp", p->timestamp);
    } else {
        document_header(&w, p);
    }
    close_(&w, 3, P, "MessageHeader");
    if (p->n_traces || p->business.present) {
        open_(&w, 3, P, "TraceHeaderList");
        for (size_t i = 0; i < p->n_traces; i++) {
            open_(&w, 4, P, "TraceHeader");
            el(&w, 5, P, "OrganId", p->traces[i].organ_id);
            el(&w, 5, P, "Timestamp", p->traces[i].timestamp);
            close_(&w, 4, P, "TraceHeader");
        }
        if (p->business.present)
            business(&w, &p->business);
        close_(&w, 3, P, "TraceHeaderList");
    }
    close_(&w, 2, P, "edXMLHeader");
    if (p->kind == EDXML_DOCUMENT) {
        open_(&w, 2, P, "edXMLBody");
        puts_(&w, "      <edXML:edXMLManifest version=\"1.0\">\n");
        for (size_t i = 0; i < p->n_attachments; i++) {
            const struct edxml_attachment *a = &p->attachments[i];
            open_(&w, 4, P, "Reference");
            el(&w, 5, P, "ContentId", a->content_id);
            el(&w, 5, P, "ContentType", a->content_type);
            el(&w, 5, P, "Description", a->description);
            el(&w, 5, P, "AttachmentName", a->name);
            close_(&w, 4, P, "Reference");
        }
        puts_(&w, "      </edXML:edXMLManifest>\n");
        close_(&w, 2, P, "edXMLBody");
    }
    puts_(&w, "  </edXML:edXMLEnvelope>\n");
    attachments(&w, p);
    puts_(&w, "</edXML>\n");
    return w.res;
}
