/* edXML parsing: walks the hardened tree (edxml_read.c) and fills the model. Strict
 * where an error changes meaning (identity, document id, status, attachments), tolerant
 * with a warning where real senders err (standards.md §10, samples README). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "util/alloc.h"
#include "util/str.h"
#include "xml/edxml.h"
#include "xml/edxml_read.h"

#define MH "edXMLEnvelope/edXMLHeader/MessageHeader"
#define TH "edXMLEnvelope/edXMLHeader/TraceHeaderList"
#define MF "edXMLEnvelope/edXMLBody/edXMLManifest/Reference"
#define AE "AttachmentEncoded/Attachment"

void edxml_limits_default(struct edxml_limits *l)
{
    l->max_package = 200u * 1024 * 1024;
    l->max_attachment = 100u * 1024 * 1024;
    l->max_total = 200u * 1024 * 1024;
    l->max_attachments = 100;
    l->max_ratio = 100;
    l->max_depth = 64;
    l->max_text = 1024 * 1024;
}

void edxml_parse_opts_default(struct edxml_parse_opts *o)
{
    memset(o, 0, sizeof(*o));
    edxml_limits_default(&o->limits);
}

struct walk {
    struct edxml_package *p;
    struct edxml_issues *is;
    const struct edxml_parse_opts *o;
    bool warned_no_ns;
    bool too_large;
    size_t unzipped_total;
};

/* Element children in our namespace (or none, tolerated); others are skipped. */
static bool ours(struct walk *w, xmlNodePtr n)
{
    if (n->type != XML_ELEMENT_NODE)
        return false;
    if (!n->ns) {
        if (!w->warned_no_ns) {
            w->warned_no_ns = true;
            edxml_issues_warn(w->is, "%s: phần tử không thuộc namespace %s, vẫn chấp nhận",
                              edxml_local_name(n), EDXML_NS);
        }
        return true;
    }
    return !strcmp((const char *)n->ns->href, EDXML_NS);
}

/* First child named name, or one of its spelling variants (warned). */
static xmlNodePtr child_v(struct walk *w, xmlNodePtr parent, const char *path, const char *name,
                          const char *variant)
{
    if (!parent)
        return NULL;
    xmlNodePtr found = NULL, alt = NULL;
    int count = 0;
    for (xmlNodePtr c = parent->children; c; c = c->next) {
        if (!ours(w, c))
            continue;
        const char *ln = edxml_local_name(c);
        if (!strcmp(ln, name)) {
            if (!found)
                found = c;
            count++;
        } else if (variant && !alt && !strcmp(ln, variant)) {
            alt = c;
        }
    }
    if (count > 1)
        edxml_issues_warn(w->is, "%s/%s: xuất hiện %d lần, dùng giá trị đầu tiên", path, name,
                          count);
    if (!found && alt) {
        edxml_issues_warn(w->is, "%s/%s: viết là '%s', vẫn chấp nhận", path, name, variant);
        found = alt;
    }
    return found;
}

static xmlNodePtr child(struct walk *w, xmlNodePtr parent, const char *path, const char *name)
{
    return child_v(w, parent, path, name, NULL);
}

/* Trimmed, NFC-normalised text of an element; NULL if absent or empty. */
static char *text_of(struct walk *w, xmlNodePtr n, const char *path, const char *name)
{
    if (!n)
        return NULL;
    xmlChar *raw = xmlNodeGetContent(n);
    if (!raw)
        return NULL;
    char *s = (char *)raw, *e = s + strlen(s);
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        e--;
    *e = '\0';
    char *out = NULL;
    if ((size_t)(e - s) > w->o->limits.max_text) {
        edxml_issues_fail(w->is, "%s/%s: dài %zu byte, vượt giới hạn %zu", path, name,
                          (size_t)(e - s), w->o->limits.max_text);
        w->too_large = true;
    } else if (*s) {
        char *nfc = text_nfc(s);
        if (!nfc) {
            edxml_issues_fail(w->is, "%s/%s: không phải văn bản UTF-8 hợp lệ", path, name);
        } else {
            if (strcmp(nfc, s) != 0)
                edxml_issues_warn(w->is, "%s/%s: Unicode chưa dựng sẵn, đã chuẩn hoá NFC", path,
                                  name);
            out = edxml_strdup(w->p, nfc);
            free(nfc);
        }
    }
    xmlFree(raw);
    return out;
}

static char *field(struct walk *w, xmlNodePtr parent, const char *path, const char *name)
{
    return text_of(w, child(w, parent, path, name), path, name);
}

static void check_agency_warn(struct walk *w, const char *code, const char *path)
{
    if (code && !edxml_agency_code_valid(code))
        edxml_issues_warn(w->is, "%s/OrganId: '%s' không phải mã định danh AAA.BB.CC.XNN", path,
                          code);
}

static void check_date_warn(struct walk *w, const char *v, const char *path, const char *name)
{
    if (v && !edxml_date_valid(v))
        edxml_issues_warn(w->is, "%s/%s: '%s' không đúng dạng ngày yyyy/MM/dd", path, name, v);
}

static void check_docid_warn(struct walk *w, const char *v, const char *path)
{
    char why[160];
    if (v && !edxml_document_id_valid(v, why, sizeof(why)))
        edxml_issues_warn(w->is, "%s/DocumentId: '%s' %s", path, v, why);
}

static int small_int(struct walk *w, xmlNodePtr parent, const char *path, const char *name, int max)
{
    char *v = field(w, parent, path, name);
    int64_t n;
    if (!v)
        return -1;
    if (str_to_i64(v, 0, max, &n) != RES_OK) {
        edxml_issues_warn(w->is, "%s/%s: '%s' không hợp lệ (0–%d), bỏ qua", path, name, v, max);
        return -1;
    }
    return (int)n;
}

static void read_organ(struct walk *w, xmlNodePtr n, const char *path, struct edxml_organ *o)
{
    o->organ_id = field(w, n, path, "OrganId");
    o->organization_in_charge = field(w, n, path, "OrganizationInCharge");
    o->organ_name = field(w, n, path, "OrganName");
    o->organ_add = field(w, n, path, "OrganAdd");
    o->email = field(w, n, path, "Email");
    o->telephone = field(w, n, path, "Telephone");
    o->fax = field(w, n, path, "Fax");
    o->website = field(w, n, path, "Website");
}

static void read_staff(struct walk *w, xmlNodePtr n, const char *path, struct edxml_staff *s)
{
    s->department = field(w, n, path, "Department");
    s->staff = field(w, n, path, "Staff");
    s->mobile = field(w, n, path, "Mobile");
    s->email = field(w, n, path, "Email");
}

static void read_from(struct walk *w, xmlNodePtr mh)
{
    xmlNodePtr from = child(w, mh, MH, "From");
    if (!from) {
        edxml_issues_fail(w->is, MH "/From: thiếu thông tin cơ quan gửi");
        return;
    }
    read_organ(w, from, MH "/From", &w->p->from);
    const char *id = w->p->from.organ_id;
    if (!id)
        edxml_issues_fail(w->is, MH "/From/OrganId: thiếu mã định danh cơ quan gửi");
    else if (!edxml_agency_code_valid(id))
        edxml_issues_fail(w->is, MH "/From/OrganId: '%s' không phải mã định danh AAA.BB.CC.XNN",
                          id);
}

/* ResponseFor*: empty elements (all children blank) are dropped with a warning. */
static void read_response_for(struct walk *w, xmlNodePtr mh, bool strict)
{
    const char *path = MH "/ResponseFor";
    for (xmlNodePtr c = mh->children; c; c = c->next) {
        if (!ours(w, c) || strcmp(edxml_local_name(c), "ResponseFor"))
            continue;
        struct edxml_response_for tmp = {
            .organ_id = field(w, c, path, "OrganId"),
            .code = field(w, c, path, "Code"),
            .promulgation_date = field(w, c, path, "PromulgationDate"),
            .document_id = field(w, c, path, "DocumentId"),
        };
        if (!tmp.organ_id && !tmp.code && !tmp.promulgation_date && !tmp.document_id) {
            edxml_issues_warn(w->is, "%s: phần tử rỗng, đã bỏ qua", path);
            continue;
        }
        char why[160];
        if (strict &&
            (!tmp.document_id || !edxml_document_id_valid(tmp.document_id, why, sizeof(why)))) {
            if (!tmp.document_id)
                edxml_issues_fail(w->is, "%s/DocumentId: thiếu mã văn bản được phản hồi", path);
            else
                edxml_issues_fail(w->is, "%s/DocumentId: '%s' %s", path, tmp.document_id, why);
        } else if (!strict) {
            check_docid_warn(w, tmp.document_id, path);
        }
        check_agency_warn(w, tmp.organ_id, path);
        check_date_warn(w, tmp.promulgation_date, path, "PromulgationDate");
        *edxml_add_response_for(w->p) = tmp;
    }
}

static void read_traces(struct walk *w, xmlNodePtr thl)
{
    for (xmlNodePtr c = thl ? thl->children : NULL; c; c = c->next) {
        if (!ours(w, c) || strcmp(edxml_local_name(c), "TraceHeader"))
            continue;
        struct edxml_trace *t = edxml_add_trace(w->p);
        t->organ_id = field(w, c, TH "/TraceHeader", "OrganId");
        t->timestamp = field(w, c, TH "/TraceHeader", "Timestamp");
        check_agency_warn(w, t->organ_id, TH "/TraceHeader");
        if (t->timestamp && !edxml_timestamp_valid(t->timestamp))
            edxml_issues_warn(w->is,
                              TH "/TraceHeader/Timestamp: '%s' không đúng dạng yyyy/MM/dd "
                                 "HH:mm:ss",
                              t->timestamp);
    }
}

static void read_business(struct walk *w, xmlNodePtr thl)
{
    const char *path = TH "/Bussiness";
    xmlNodePtr b = child_v(w, thl, TH, "Bussiness", "Business");
    struct edxml_business *bz = &w->p->business;
    if (!b) {
        if (w->p->kind == EDXML_DOCUMENT)
            edxml_issues_warn(w->is, "%s: không có, coi là văn bản mới (BussinessDocType 0)", path);
        bz->doc_type = EDXML_BIZ_NEW;
        return;
    }
    bz->present = true;
    bz->document_id = field(w, b, path, "DocumentId");
    check_docid_warn(w, bz->document_id, path);
    char *t = text_of(w, child_v(w, b, path, "BussinessDocType", "BusinessDocType"), path,
                      "BussinessDocType");
    int64_t v = 0;
    if (!t)
        edxml_issues_warn(w->is, "%s/BussinessDocType: không có, coi là 0 (văn bản mới)", path);
    else if (str_to_i64(t, 0, 3, &v) != RES_OK)
        edxml_issues_fail(w->is,
                          "%s/BussinessDocType: '%s' không hợp lệ (0 mới, 1 thu hồi, 2 "
                          "cập nhật, 3 thay thế)",
                          path, t);
    bz->doc_type = (enum edxml_business_type)v;
    bz->reason = text_of(w, child_v(w, b, path, "BussinessDocReason", "BusinessDocReason"), path,
                         "BussinessDocReason");
    bz->paper = small_int(w, b, path, "Paper", 1);

    xmlNodePtr info = child_v(w, b, path, "BussinessDocumentInfo", "BusinessDocumentInfo");
    if (info) {
        const char *ip = TH "/Bussiness/BussinessDocumentInfo";
        bz->document_info = field(w, info, ip, "DocumentInfo");
        bz->document_receiver = field(w, info, ip, "DocumentReceiver");
        xmlNodePtr rl = child(w, info, ip, "ReceiverList");
        for (xmlNodePtr c = rl ? rl->children : NULL; c; c = c->next) {
            if (!ours(w, c) || strcmp(edxml_local_name(c), "Receiver"))
                continue;
            struct edxml_receiver *r = edxml_add_receiver(w->p);
            r->organ_id =
                field(w, c, TH "/Bussiness/BussinessDocumentInfo/ReceiverList/Receiver", "OrganId");
            r->receiver_type =
                small_int(w, c, TH "/Bussiness/BussinessDocumentInfo/ReceiverList/Receiver",
                          "ReceiverType", 9);
            check_agency_warn(w, r->organ_id, ip);
        }
    } else if (bz->doc_type == EDXML_BIZ_UPDATE) {
        edxml_issues_fail(w->is,
                          "%s/BussinessDocumentInfo: bắt buộc khi cập nhật văn bản "
                          "(BussinessDocType 2)",
                          path);
    }
    xmlNodePtr rl = child(w, b, path, "ReplacementInfoList");
    for (xmlNodePtr c = rl ? rl->children : NULL; c; c = c->next) {
        if (!ours(w, c) || strcmp(edxml_local_name(c), "ReplacementInfo"))
            continue;
        const char *rp = TH "/Bussiness/ReplacementInfoList/ReplacementInfo";
        struct edxml_replacement *r = edxml_add_replacement(w->p);
        r->document_id = field(w, c, rp, "DocumentId");
        char why[160];
        if (!r->document_id)
            edxml_issues_fail(w->is, "%s/DocumentId: thiếu mã văn bản bị thay thế", rp);
        else if (!edxml_document_id_valid(r->document_id, why, sizeof(why)))
            edxml_issues_fail(w->is, "%s/DocumentId: '%s' %s", rp, r->document_id, why);
        xmlNodePtr ol = child(w, c, rp, "OrganIdList");
        for (xmlNodePtr o = ol ? ol->children : NULL; o; o = o->next) {
            if (!ours(w, o) || strcmp(edxml_local_name(o), "OrganId"))
                continue;
            char *id = text_of(w, o, rp, "OrganIdList/OrganId");
            if (!id)
                continue;
            check_agency_warn(w, id, rp);
            edxml_add_string(w->p, &r->organ_ids, &r->n_organ_ids, id);
        }
    }
    if (bz->doc_type == EDXML_BIZ_REPLACE && bz->n_replacements == 0)
        edxml_issues_fail(w->is,
                          "%s/ReplacementInfoList: bắt buộc khi thay thế văn bản "
                          "(BussinessDocType 3)",
                          path);
    xmlNodePtr st = child(w, b, path, "StaffInfo");
    if (st) {
        bz->has_staff = true;
        read_staff(w, st, TH "/Bussiness/StaffInfo", &bz->staff);
    }
}

/* Children of MessageHeader this parser understands, per package kind. */
static const char *const document_fields[] = {
    "From",         "To",        "DocumentId",  "Code",         "PromulgationInfo",
    "DocumentType", "Subject",   "Content",     "SignerInfo",   "DueDate",
    "ToPlaces",     "OtherInfo", "ResponseFor", "SteeringType", NULL};
static const char *const status_fields[] = {"From",        "ResponseFor", "StaffInfo", "StatusCode",
                                            "Description", "Timestamp",   NULL};

static void warn_unknown(struct walk *w, xmlNodePtr mh, const char *const *known)
{
    for (xmlNodePtr c = mh->children; c; c = c->next) {
        if (!ours(w, c))
            continue;
        const char *ln = edxml_local_name(c);
        size_t i = 0;
        while (known[i] && strcmp(known[i], ln))
            i++;
        if (!known[i])
            edxml_issues_warn(w->is, MH "/%s: phần tử không thuộc %s, đã bỏ qua", ln,
                              known == status_fields ? "gói tin trạng thái" : "gói tin văn bản");
    }
}

static void read_document_header(struct walk *w, xmlNodePtr mh)
{
    struct edxml_package *p = w->p;
    for (xmlNodePtr c = mh->children; c; c = c->next) {
        if (!ours(w, c) || strcmp(edxml_local_name(c), "To"))
            continue;
        struct edxml_organ *o = edxml_add_to(p);
        read_organ(w, c, MH "/To", o);
        if (!o->organ_id)
            edxml_issues_warn(w->is, MH "/To/OrganId: thiếu mã định danh cơ quan nhận");
        check_agency_warn(w, o->organ_id, MH "/To");
    }
    if (!p->n_to)
        edxml_issues_fail(w->is, MH "/To: thiếu cơ quan nhận");

    p->document_id = field(w, mh, MH, "DocumentId");
    char why[160];
    if (!p->document_id)
        edxml_issues_warn(w->is, MH "/DocumentId: không có");
    else if (!edxml_document_id_valid(p->document_id, why, sizeof(why)))
        edxml_issues_fail(w->is, MH "/DocumentId: '%s' %s", p->document_id, why);

    xmlNodePtr code = child(w, mh, MH, "Code");
    if (!code) {
        edxml_issues_fail(w->is, MH "/Code: thiếu số và ký hiệu văn bản");
    } else {
        p->code.number = field(w, code, MH "/Code", "CodeNumber");
        p->code.notation = field(w, code, MH "/Code", "CodeNotation");
        int64_t n;
        if (!p->code.number)
            edxml_issues_fail(w->is, MH "/Code/CodeNumber: thiếu số văn bản");
        else if (str_to_i64(p->code.number, 0, INT64_MAX, &n) != RES_OK)
            edxml_issues_warn(w->is, MH "/Code/CodeNumber: '%s' không phải là số", p->code.number);
        if (!p->code.notation)
            edxml_issues_warn(w->is, MH "/Code/CodeNotation: không có ký hiệu văn bản");
    }

    xmlNodePtr pi = child(w, mh, MH, "PromulgationInfo");
    if (!pi) {
        edxml_issues_fail(w->is, MH "/PromulgationInfo: thiếu nơi và ngày ban hành");
    } else {
        p->place = field(w, pi, MH "/PromulgationInfo", "Place");
        p->promulgation_date = field(w, pi, MH "/PromulgationInfo", "PromulgationDate");
        if (!p->promulgation_date)
            edxml_issues_fail(w->is, MH "/PromulgationInfo/PromulgationDate: thiếu ngày ban hành");
        else if (!edxml_date_valid(p->promulgation_date))
            edxml_issues_fail(w->is,
                              MH "/PromulgationInfo/PromulgationDate: '%s' không đúng dạng "
                                 "yyyy/MM/dd",
                              p->promulgation_date);
    }

    xmlNodePtr dt = child(w, mh, MH, "DocumentType");
    if (!dt) {
        edxml_issues_fail(w->is, MH "/DocumentType: thiếu loại văn bản");
    } else {
        p->type = field(w, dt, MH "/DocumentType", "Type");
        p->type_detail = field(w, dt, MH "/DocumentType", "TypeDetail");
        p->type_name = field(w, dt, MH "/DocumentType", "TypeName");
        if (!p->type && !p->type_name)
            edxml_issues_fail(w->is, MH "/DocumentType: không có Type và TypeName");
    }

    p->subject = field(w, mh, MH, "Subject");
    if (!p->subject)
        edxml_issues_fail(w->is, MH "/Subject: thiếu trích yếu");
    p->content = field(w, mh, MH, "Content");

    xmlNodePtr si = child(w, mh, MH, "SignerInfo");
    if (si) {
        p->signer_competence = field(w, si, MH "/SignerInfo", "Competence");
        p->signer_position = field(w, si, MH "/SignerInfo", "Position");
        p->signer_full_name = field(w, si, MH "/SignerInfo", "FullName");
    } else {
        edxml_issues_warn(w->is, MH "/SignerInfo: không có thông tin người ký");
    }
    p->due_date = field(w, mh, MH, "DueDate");
    check_date_warn(w, p->due_date, MH, "DueDate");

    xmlNodePtr tp = child(w, mh, MH, "ToPlaces");
    for (xmlNodePtr c = tp ? tp->children : NULL; c; c = c->next) {
        if (!ours(w, c) || strcmp(edxml_local_name(c), "Place"))
            continue;
        char *v = text_of(w, c, MH "/ToPlaces", "Place");
        if (v)
            edxml_add_string(p, &p->to_places, &p->n_to_places, v);
    }

    xmlNodePtr oi = child(w, mh, MH, "OtherInfo");
    if (oi) {
        const char *op = MH "/OtherInfo";
        p->priority = small_int(w, oi, op, "Priority", 4);
        p->sphere_of_promulgation = field(w, oi, op, "SphereOfPromulgation");
        p->typer_notation = field(w, oi, op, "TyperNotation");
        p->promulgation_amount = field(w, oi, op, "PromulgationAmount");
        p->page_amount = field(w, oi, op, "PageAmount");
        p->direction = field(w, oi, op, "Direction");
        xmlNodePtr ap = child(w, oi, op, "Appendixes");
        for (xmlNodePtr c = ap ? ap->children : NULL; c; c = c->next) {
            if (!ours(w, c) || strcmp(edxml_local_name(c), "Appendix"))
                continue;
            char *v = text_of(w, c, MH "/OtherInfo/Appendixes", "Appendix");
            if (v)
                edxml_add_string(p, &p->appendixes, &p->n_appendixes, v);
        }
    }
    read_response_for(w, mh, false);
    int st = small_int(w, mh, MH, "SteeringType", 3);
    p->steering = st < 0 ? EDXML_STEERING_ABSENT : (enum edxml_steering)st;
}

static void read_status_header(struct walk *w, xmlNodePtr mh)
{
    struct edxml_package *p = w->p;
    read_response_for(w, mh, true);
    if (!p->n_response_for && !w->is->error)
        edxml_issues_fail(w->is, MH "/ResponseFor: thiếu văn bản được phản hồi trạng thái");
    xmlNodePtr st = child(w, mh, MH, "StaffInfo");
    if (st) {
        p->has_staff = true;
        read_staff(w, st, MH "/StaffInfo", &p->staff);
    } else {
        edxml_issues_warn(w->is, MH "/StaffInfo: không có thông tin cán bộ xử lý");
    }
    char *code = field(w, mh, MH, "StatusCode");
    p->status_code = edxml_status_from_wire(code);
    if (!code)
        edxml_issues_fail(w->is, MH "/StatusCode: thiếu mã trạng thái");
    else if (p->status_code == EDXML_STATUS_NONE)
        edxml_issues_fail(w->is,
                          MH "/StatusCode: '%s' không phải mã trạng thái hợp lệ (01, 02, 03, 04, "
                             "05, 06, 13, 15, 16)",
                          code);
    p->description = field(w, mh, MH, "Description");
    p->timestamp = field(w, mh, MH, "Timestamp");
    if (!p->timestamp)
        edxml_issues_fail(w->is, MH "/Timestamp: thiếu thời điểm");
    else if (!edxml_timestamp_valid(p->timestamp))
        edxml_issues_fail(w->is, MH "/Timestamp: '%s' không đúng dạng yyyy/MM/dd HH:mm:ss",
                          p->timestamp);
}

static void read_manifest(struct walk *w, xmlNodePtr env)
{
    xmlNodePtr body = child(w, env, "edXMLEnvelope", "edXMLBody");
    xmlNodePtr mf = child(w, body, "edXMLEnvelope/edXMLBody", "edXMLManifest");
    for (xmlNodePtr c = mf ? mf->children : NULL; c; c = c->next) {
        if (!ours(w, c) || strcmp(edxml_local_name(c), "Reference"))
            continue;
        struct edxml_reference *r = edxml_add_reference(w->p);
        r->content_id = field(w, c, MF, "ContentId");
        r->content_type = field(w, c, MF, "ContentType");
        r->description = field(w, c, MF, "Description");
        r->attachment_name = field(w, c, MF, "AttachmentName");
        if (!r->content_id)
            edxml_issues_fail(w->is, MF "/ContentId: thiếu mã tham chiếu tệp đính kèm");
    }
}

static result_t read_attachment(struct walk *w, xmlNodePtr a, size_t idx)
{
    struct edxml_attachment *att = edxml_add_attachment(w->p);
    att->content_id = field(w, a, AE, "ContentId");
    att->name = field(w, a, AE, "AttachmentName");
    att->description = field(w, a, AE, "Description");
    att->content_type = field(w, a, AE, "ContentType");
    if (!att->content_id) {
        edxml_issues_fail(w->is, AE "[%zu]/ContentId: thiếu", idx);
        return RES_INVALID;
    }
    xmlNodePtr enc = child(w, a, AE, "ContentTransferEncoded");
    struct edxml_capture *cap = enc ? enc->_private : NULL;
    if (!cap) {
        edxml_issues_fail(w->is, AE "[%zu]/ContentTransferEncoded: thiếu nội dung tệp (%s)", idx,
                          att->content_id);
        return RES_INVALID;
    }
    if (cap->res != RES_OK) {
        edxml_issues_fail(w->is, AE "[%zu]/ContentTransferEncoded: %s (%s)", idx,
                          cap->res == RES_TOO_LARGE ? "vượt giới hạn kích thước"
                                                    : "dữ liệu base64 không hợp lệ",
                          att->content_id);
        return cap->res == RES_TOO_LARGE ? RES_TOO_LARGE : RES_INVALID;
    }
    char why[200];
    unsigned char *data = NULL;
    size_t len = 0;
    char *entry = NULL;
    result_t r = edxml_unzip((const unsigned char *)cap->zip.data, cap->zip.len, &w->o->limits,
                             w->unzipped_total, att, w->o->sink, w->o->sink_ctx, &data, &len,
                             &entry, why, sizeof(why));
    /* The zipped copy is no longer needed: free it before the next attachment. */
    buf_release(&cap->zip);
    if (r != RES_OK) {
        edxml_issues_fail(w->is, AE "[%zu]/ContentTransferEncoded: %s (%s)", idx, why,
                          att->content_id);
        return r;
    }
    w->unzipped_total += len; /* the total limit holds with a sink too */
    att->data = data;
    att->len = len;
    att->owns_data = data != NULL;
    att->zip_entry = edxml_strdup(w->p, entry);
    free(entry);
    return RES_OK;
}

/* Every manifest reference has its attachment and every attachment is referenced. */
static void match_manifest(struct walk *w)
{
    struct edxml_package *p = w->p;
    for (size_t j = 0; j < p->n_attachments; j++)
        for (size_t k = 0; k < j; k++)
            if (p->attachments[j].content_id && p->attachments[k].content_id &&
                !strcmp(p->attachments[j].content_id, p->attachments[k].content_id))
                edxml_issues_fail(w->is, AE "[%zu]/ContentId: '%s' trùng với tệp đính kèm %zu",
                                  j + 1, p->attachments[j].content_id, k + 1);
    for (size_t i = 0; i < p->n_refs; i++) {
        bool found = false;
        for (size_t j = 0; j < p->n_attachments && !found; j++)
            found = p->refs[i].content_id && p->attachments[j].content_id &&
                    !strcmp(p->refs[i].content_id, p->attachments[j].content_id);
        if (!found && p->refs[i].content_id)
            edxml_issues_fail(w->is, MF "[%zu]/ContentId: '%s' không có tệp đính kèm tương ứng",
                              i + 1, p->refs[i].content_id);
    }
    for (size_t j = 0; j < p->n_attachments; j++) {
        bool found = false;
        for (size_t i = 0; i < p->n_refs && !found; i++)
            found = p->refs[i].content_id && p->attachments[j].content_id &&
                    !strcmp(p->refs[i].content_id, p->attachments[j].content_id);
        if (!found && p->attachments[j].content_id)
            edxml_issues_fail(w->is, AE "[%zu]/ContentId: '%s' không có trong edXMLManifest", j + 1,
                              p->attachments[j].content_id);
    }
}

static result_t walk_doc(struct walk *w, xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || strcmp(edxml_local_name(root), "edXML")) {
        edxml_issues_fail(w->is, "phần tử gốc phải là edXML, gặp '%s'",
                          root ? (const char *)root->name : "(không có)");
        return RES_INVALID;
    }
    if (!root->ns || strcmp((const char *)root->ns->href, EDXML_NS)) {
        edxml_issues_fail(w->is, "edXML: namespace phải là %s, gặp '%s'", EDXML_NS,
                          root->ns ? (const char *)root->ns->href : "(không có)");
        return RES_INVALID;
    }
    xmlNodePtr env = child(w, root, "edXML", "edXMLEnvelope");
    xmlNodePtr hdr = child(w, env, "edXMLEnvelope", "edXMLHeader");
    xmlNodePtr mh = child(w, hdr, "edXMLEnvelope/edXMLHeader", "MessageHeader");
    if (!env || !hdr || !mh) {
        edxml_issues_fail(w->is, "%s: thiếu phần tử bắt buộc",
                          !env   ? "edXMLEnvelope"
                          : !hdr ? "edXMLEnvelope/edXMLHeader"
                                 : MH);
        return RES_INVALID;
    }
    for (xmlNodePtr c = hdr->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp(edxml_local_name(c), "Signature")) {
            w->p->has_signature = true;
            if (!c->ns || strcmp((const char *)c->ns->href, "http://www.w3.org/2000/09/xmldsig#"))
                edxml_issues_warn(w->is, "edXMLEnvelope/edXMLHeader/Signature: không thuộc "
                                         "namespace XML-DSig, chữ ký không thể kiểm tra");
        }

    w->p->kind = child(w, mh, MH, "StatusCode") ? EDXML_STATUS : EDXML_DOCUMENT;
    warn_unknown(w, mh, w->p->kind == EDXML_STATUS ? status_fields : document_fields);
    read_from(w, mh);
    xmlNodePtr thl = child(w, hdr, "edXMLEnvelope/edXMLHeader", "TraceHeaderList");
    read_traces(w, thl);
    if (w->p->kind == EDXML_STATUS) {
        read_status_header(w, mh);
        if (thl && child_v(w, thl, TH, "Bussiness", "Business"))
            read_business(w, thl);
    } else {
        read_document_header(w, mh);
        read_business(w, thl);
    }
    read_manifest(w, env);
    if (w->is->error)
        return w->too_large ? RES_TOO_LARGE : RES_INVALID;

    xmlNodePtr ae = child(w, root, "edXML", "AttachmentEncoded");
    size_t idx = 0;
    for (xmlNodePtr c = ae ? ae->children : NULL; c; c = c->next) {
        if (!ours(w, c) || strcmp(edxml_local_name(c), "Attachment"))
            continue;
        if (++idx > w->o->limits.max_attachments) {
            edxml_issues_fail(w->is, AE ": quá %zu tệp đính kèm", w->o->limits.max_attachments);
            return RES_TOO_LARGE;
        }
        result_t r = read_attachment(w, c, idx);
        if (r != RES_OK)
            return r;
    }
    match_manifest(w);
    return w->is->error ? RES_INVALID : RES_OK;
}

static result_t parse_common(const char *data, size_t len, const char *path,
                             const struct edxml_parse_opts *opts, struct edxml_package *pkg,
                             struct edxml_issues *is)
{
    struct edxml_parse_opts defaults;
    if (!opts) {
        edxml_parse_opts_default(&defaults);
        opts = &defaults;
    }
    struct edxml_read rd;
    edxml_read_init(&rd, &opts->limits, is, true);
    result_t res = path ? edxml_read_file(&rd, path) : edxml_read_memory(&rd, data, len);
    if (res != RES_OK)
        goto out;
    struct walk w = {.p = pkg, .is = is, .o = opts};
    res = walk_doc(&w, rd.doc);
out:
    edxml_read_release(&rd);
    if (res != RES_OK && !is->error)
        edxml_issues_fail(is, "gói tin không hợp lệ (%s)", result_name(res));
    return res;
}

result_t edxml_parse(const char *data, size_t len, const struct edxml_parse_opts *opts,
                     struct edxml_package *pkg, struct edxml_issues *is)
{
    return parse_common(data, len, NULL, opts, pkg, is);
}

result_t edxml_parse_file(const char *path, const struct edxml_parse_opts *opts,
                          struct edxml_package *pkg, struct edxml_issues *is)
{
    return parse_common(NULL, 0, path, opts, pkg, is);
}
