/* edXML packages (standards.md §10, QCVN102): the official samples, build→parse round
 * trips for every business type and status code, and hostile or broken input refused
 * fast with the element path in the reason. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "util/alloc.h"
#include "xml/edxml.h"

#include <jansson.h>

#define MH_SUBJECT_PATH "edXMLEnvelope/edXMLHeader/MessageHeader/Subject: thiếu trích yếu"

#define SAMPLES "../../../shared/samples/edxml/"

static bool has_warning(const struct edxml_issues *is, const char *needle)
{
    for (size_t i = 0; i < is->n_warnings; i++)
        if (strstr(is->warnings[i], needle))
            return true;
    return false;
}

static result_t parse_str(const char *xml, size_t len, const struct edxml_parse_opts *o,
                          struct edxml_package *p, struct edxml_issues *is)
{
    edxml_package_init(p, EDXML_DOCUMENT);
    edxml_issues_init(is);
    return edxml_parse(xml, len, o, p, is);
}

/* Parses xml and expects a refusal whose reason contains needle. */
static void expect_refused(const char *xml, size_t len, const struct edxml_parse_opts *o,
                           const char *needle)
{
    struct edxml_package p;
    struct edxml_issues is;
    result_t r = parse_str(xml, len, o, &p, &is);
    CHECK(r != RES_OK);
    CHECK(is.error != NULL);
    if (is.error && !strstr(is.error, needle)) {
        fprintf(stderr, "reason '%s' lacks '%s'\n", is.error, needle);
        CHECK(0);
    }
    edxml_issues_release(&is);
    edxml_package_release(&p);
}

/* Replaces the first occurrence of from with to (malloc'd result). */
static char *replace(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    if (!at)
        return xstrdup(s);
    size_t n = strlen(s) - strlen(from) + strlen(to);
    char *out = xmalloc(n + 1);
    size_t pre = (size_t)(at - s);
    memcpy(out, s, pre);
    memcpy(out + pre, to, strlen(to));
    memcpy(out + pre + strlen(to), at + strlen(from), strlen(at + strlen(from)) + 1);
    return out;
}

/* §10: every official sample is accepted (with the README's flaws as warnings), except
 * edoc.edxml, a test-tool template whose DocumentId is a UUID. */
TEST(samples_parse)
{
    static const char *const ok[] = {
        "edoc_new.edxml",
        "edoc_replacement.edxml",
        "edoc_revocation.edxml",
        "edoc_update.edxml",
        "status_acceptance_03.edxml",
        "status_assignment_04.edxml",
        "status_cancellation_13.edxml",
        "status_change-acceptance_15.edxml",
        "status_change-rejection_16.edxml",
        "status_finish_06.edxml",
        "status_inbox_01.edxml",
        "status_processing_05.edxml",
        "status_rejection_02.edxml",
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char path[256];
        snprintf(path, sizeof(path), SAMPLES "%s", ok[i]);
        struct edxml_package p;
        struct edxml_issues is;
        edxml_package_init(&p, EDXML_DOCUMENT);
        edxml_issues_init(&is);
        result_t r = edxml_parse_file(path, NULL, &p, &is);
        if (r != RES_OK)
            fprintf(stderr, "%s: %s\n", ok[i], is.error ? is.error : "?");
        CHECK_INT(r, RES_OK);
        if (!strncmp(ok[i], "status_", 7)) {
            CHECK_INT(p.kind, EDXML_STATUS);
            CHECK_STR(p.response_for[0].document_id, "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT");
            /* The code in the file name is the StatusCode inside. */
            const char *us = strrchr(ok[i], '_');
            char wire[3] = {us[1], us[2], 0};
            CHECK_STR(edxml_status_wire(p.status_code), wire);
        } else {
            CHECK_INT(p.kind, EDXML_DOCUMENT);
            CHECK_INT(p.n_attachments, 1);
            CHECK_INT(p.attachments[0].len, 388347);
            CHECK(p.has_signature);
        }
        edxml_issues_release(&is);
        edxml_package_release(&p);
    }
}

/* Samples README: edoc_new.edxml has stray bytes, a bad To/OrganId and a non-numeric
 * CodeNumber; all must be accepted and reported. */
TEST(sample_new_flaws_reported)
{
    struct edxml_package p;
    struct edxml_issues is;
    edxml_package_init(&p, EDXML_DOCUMENT);
    edxml_issues_init(&is);
    CHECK_INT(edxml_parse_file(SAMPLES "edoc_new.edxml", NULL, &p, &is), RES_OK);
    CHECK(has_warning(&is, "4 byte lạ trước khai báo XML"));
    CHECK(has_warning(&is, "MessageHeader/To/OrganId: '28.22.H17'"));
    CHECK(has_warning(&is, "Code/CodeNumber: '74fass22' không phải là số"));
    CHECK(has_warning(&is, "Bussiness/DocumentId"));
    CHECK_STR(p.document_id, "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT");
    CHECK_STR(p.code.notation, "VPCP-TTĐT");
    CHECK_STR(p.subject, "V/v kết nối, liên thông phần mềm quản lý văn bản");
    CHECK_INT(p.business.doc_type, EDXML_BIZ_NEW);
    CHECK_INT(p.steering, EDXML_STEERING_1);
    CHECK_INT(p.priority, 0);
    CHECK_INT(p.n_to_places, 2);
    edxml_issues_release(&is);
    edxml_package_release(&p);
}

/* §1: a DocumentId must be <agency code>,<yyyy/MM/dd>,<number>/<symbol>. */
TEST(sample_template_refused)
{
    struct edxml_package p;
    struct edxml_issues is;
    edxml_package_init(&p, EDXML_DOCUMENT);
    edxml_issues_init(&is);
    CHECK_INT(edxml_parse_file(SAMPLES "edoc.edxml", NULL, &p, &is), RES_INVALID);
    CHECK(is.error && strstr(is.error, "edXMLEnvelope/edXMLHeader/MessageHeader/DocumentId: "
                                       "'9fbfbad2-f1f8-4256-a2eb-50fb1061cddb'"));
    CHECK(has_warning(&is, "Unicode chưa dựng sẵn")); /* SignerInfo/FullName is NFD */
    edxml_issues_release(&is);
    edxml_package_release(&p);
}

TEST(samples_update_and_replace_details)
{
    struct edxml_package p;
    struct edxml_issues is;
    edxml_package_init(&p, EDXML_DOCUMENT);
    edxml_issues_init(&is);
    CHECK_INT(edxml_parse_file(SAMPLES "edoc_update.edxml", NULL, &p, &is), RES_OK);
    CHECK_INT(p.business.doc_type, EDXML_BIZ_UPDATE);
    CHECK_INT(p.business.n_receivers, 2);
    CHECK_STR(p.business.receivers[1].organ_id, "000.00.00.H14");
    CHECK_INT(p.business.receivers[1].receiver_type, 1);
    edxml_issues_release(&is);
    edxml_package_release(&p);
    edxml_package_init(&p, EDXML_DOCUMENT);
    edxml_issues_init(&is);
    CHECK_INT(edxml_parse_file(SAMPLES "edoc_replacement.edxml", NULL, &p, &is), RES_OK);
    CHECK_INT(p.business.doc_type, EDXML_BIZ_REPLACE);
    CHECK_INT(p.business.n_replacements, 2);
    CHECK_INT(p.business.replacements[0].n_organ_ids, 2);
    CHECK_INT(p.n_to, 3);
    edxml_issues_release(&is);
    edxml_package_release(&p);
}

TEST(validators)
{
    char why[160];
    CHECK(edxml_agency_code_valid("000.00.00.G22"));
    CHECK(edxml_agency_code_valid("000.01.01.H53"));
    CHECK(!edxml_agency_code_valid("28.22.H17"));
    CHECK(!edxml_agency_code_valid("000.00.00.g22"));
    CHECK(edxml_date_valid("2024/02/29"));
    CHECK(!edxml_date_valid("2023/02/29"));
    CHECK(!edxml_date_valid("2014/02/30"));
    CHECK(!edxml_date_valid("2019-01-16"));
    CHECK(edxml_timestamp_valid("2015/09/20 11:08:36"));
    CHECK(!edxml_timestamp_valid("2015/09/20 24:08:36"));
    CHECK(!edxml_timestamp_valid("2015/09/20T11:08:36"));
    CHECK(edxml_document_id_valid("000.00.00.G22,2015/09/30,7816/VPCP-TTĐT", why, sizeof(why)));
    CHECK(!edxml_document_id_valid("000.00.00.G22,2015/09/30,7816", why, sizeof(why)));
    CHECK(!edxml_document_id_valid("G22,2015/09/30,1/QĐ", why, sizeof(why)));
    CHECK(!edxml_document_id_valid("000.00.00.G22,30/09/2015,1/QĐ", why, sizeof(why)));
    CHECK_INT(edxml_status_from_wire("13"), EDXML_STATUS_TAKE_BACK);
    CHECK_INT(edxml_status_from_wire("07"), EDXML_STATUS_NONE);
    CHECK_STR(edxml_status_label(EDXML_STATUS_ARRIVED), "Đã đến");
}

static unsigned char *random_bytes(size_t n, unsigned seed)
{
    unsigned char *b = xmalloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        b[i] = (unsigned char)(seed >> 16);
    }
    return b;
}

static void fill_organ(struct edxml_package *p, struct edxml_organ *o, const char *id)
{
    o->organ_id = edxml_strdup(p, id);
    o->organization_in_charge = edxml_strdup(p, "UBND tỉnh Quảng Trị");
    o->organ_name = edxml_strdup(p, "Sở Khoa học và Công nghệ");
    o->organ_add = edxml_strdup(p, "Số 6 Quang Trung <&> \"Quảng Trị\"");
    o->email = edxml_strdup(p, "skhcn@quangtri.gov.vn");
    o->telephone = edxml_strdup(p, "0232 3822 222");
    o->fax = edxml_strdup(p, "0232 3822 223");
    o->website = edxml_strdup(p, "https://skhcn.quangtri.gov.vn");
}

static void make_document(struct edxml_package *p, enum edxml_business_type bt)
{
    edxml_package_init(p, EDXML_DOCUMENT);
    fill_organ(p, &p->from, "000.00.00.H45");
    fill_organ(p, edxml_add_to(p), "000.00.00.G22");
    fill_organ(p, edxml_add_to(p), "000.01.01.H53");
    p->document_id = edxml_strdup(p, "000.00.00.H45,2026/11/20,12/QĐ-UBND");
    p->code.number = edxml_strdup(p, "12");
    p->code.notation = edxml_strdup(p, "QĐ-UBND");
    p->place = edxml_strdup(p, "Quảng Trị");
    p->promulgation_date = edxml_strdup(p, "2026/11/20");
    p->type = edxml_strdup(p, "2");
    p->type_detail = edxml_strdup(p, "0");
    p->type_name = edxml_strdup(p, "Quyết định");
    p->subject = edxml_strdup(p, "Về việc phê duyệt kế hoạch chuyển đổi số năm 2027");
    p->content = edxml_strdup(p, "Nội dung dòng 1\nDòng 2 với ký tự <đặc biệt> & \"nháy\"");
    p->signer_competence = edxml_strdup(p, "KT. CHỦ TỊCH");
    p->signer_position = edxml_strdup(p, "Phó Chủ tịch");
    p->signer_full_name = edxml_strdup(p, "Nguyễn Văn Ánh");
    p->due_date = edxml_strdup(p, "2026/12/31");
    edxml_add_string(p, &p->to_places, &p->n_to_places, "Như trên");
    edxml_add_string(p, &p->to_places, &p->n_to_places, "Lưu: VT");
    p->priority = 3;
    p->sphere_of_promulgation = edxml_strdup(p, "Liên thông văn bản quốc gia");
    p->typer_notation = edxml_strdup(p, "NVA");
    p->promulgation_amount = edxml_strdup(p, "5");
    p->page_amount = edxml_strdup(p, "3");
    p->direction = edxml_strdup(p, "false");
    edxml_add_string(p, &p->appendixes, &p->n_appendixes, "Phụ lục I");
    p->steering = EDXML_STEERING_2;
    struct edxml_response_for *rf = edxml_add_response_for(p);
    rf->organ_id = edxml_strdup(p, "000.00.00.G22");
    rf->code = edxml_strdup(p, "7816/VPCP-TTĐT");
    rf->promulgation_date = edxml_strdup(p, "2015/09/30");
    rf->document_id = edxml_strdup(p, "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT");
    struct edxml_trace *t = edxml_add_trace(p);
    t->organ_id = edxml_strdup(p, "000.00.00.H45");
    t->timestamp = edxml_strdup(p, "2026/11/20 08:30:00");
    struct edxml_business *b = &p->business;
    b->present = true;
    b->doc_type = bt;
    b->reason = edxml_strdup(p, "Lý do nghiệp vụ");
    b->paper = 1;
    if (bt != EDXML_BIZ_NEW)
        b->document_id = edxml_strdup(p, "000.00.00.H45,2026/11/01,10/QĐ-UBND");
    if (bt == EDXML_BIZ_UPDATE) {
        b->document_info = edxml_strdup(p, "1");
        b->document_receiver = edxml_strdup(p, "1");
        struct edxml_receiver *r = edxml_add_receiver(p);
        r->organ_id = edxml_strdup(p, "000.00.00.G22");
        r->receiver_type = 0;
    }
    if (bt == EDXML_BIZ_REPLACE) {
        struct edxml_replacement *r = edxml_add_replacement(p);
        r->document_id = edxml_strdup(p, "000.00.00.H45,2026/11/01,10/QĐ-UBND");
        edxml_add_string(p, &r->organ_ids, &r->n_organ_ids, "000.00.00.G22");
        edxml_add_string(p, &r->organ_ids, &r->n_organ_ids, "000.01.01.H53");
    }
    b->has_staff = true;
    b->staff.department = edxml_strdup(p, "Văn thư");
    b->staff.staff = edxml_strdup(p, "Trần Thị Bích");
    b->staff.mobile = edxml_strdup(p, "0912000001");
    b->staff.email = edxml_strdup(p, "vanthu@quangtri.gov.vn");
    const size_t sizes[] = {0, 1, 70000};
    for (size_t i = 0; i < 3; i++) {
        struct edxml_attachment *a = edxml_add_attachment(p);
        a->content_id = arena_printf(&p->arena, "cid:%zu-qb", i);
        a->name = arena_printf(&p->arena, "Tệp đính kèm %zu.pdf", i);
        a->description = edxml_strdup(p, "Văn bản chính");
        a->content_type = edxml_strdup(p, "application/pdf");
        a->data = random_bytes(sizes[i], (unsigned)i + 7);
        a->len = sizes[i];
        a->owns_data = true;
    }
}

static void make_status(struct edxml_package *p, enum edxml_status_code code)
{
    edxml_package_init(p, EDXML_STATUS);
    fill_organ(p, &p->from, "000.00.00.H41");
    struct edxml_response_for *rf = edxml_add_response_for(p);
    rf->organ_id = edxml_strdup(p, "000.00.00.G22");
    rf->code = edxml_strdup(p, "7816/VPCP-TTĐT");
    rf->promulgation_date = edxml_strdup(p, "2015/09/30");
    rf->document_id = edxml_strdup(p, "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT");
    p->has_staff = true;
    p->staff.department = edxml_strdup(p, "Phòng Hành chính");
    p->staff.staff = edxml_strdup(p, "Nguyễn Thị Ngọc Trâm");
    p->staff.mobile = edxml_strdup(p, "84912000001");
    p->staff.email = edxml_strdup(p, "ngoctram@nghean.vn");
    p->status_code = code;
    p->description = edxml_strdup(p, edxml_status_label(code));
    p->timestamp = edxml_strdup(p, "2026/11/21 10:15:00");
}

/* Builds, parses back and compares the JSON views and the attachment bytes. */
static void round_trip(struct edxml_package *p)
{
    struct buf out = BUF_INIT(64u << 20);
    char why[256];
    CHECK_INT(edxml_build(p, &out, why, sizeof(why)), RES_OK);
    struct edxml_package q;
    struct edxml_issues is;
    CHECK_INT(parse_str(buf_str(&out), out.len, NULL, &q, &is), RES_OK);
    if (is.error)
        fprintf(stderr, "round trip: %s\n", is.error);
    CHECK_INT(is.n_warnings, 0);
    for (size_t i = 0; i < is.n_warnings; i++)
        fprintf(stderr, "warning: %s\n", is.warnings[i]);
    json_t *a = edxml_to_json(p), *b = edxml_to_json(&q);
    /* Parsed attachments also report the zip entry name. */
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(b, "attachments"), i, v) json_object_del(v, "zip_entry");
    json_array_foreach(json_object_get(a, "attachments"), i, v) json_object_set_new(
        v, "manifest_content_type", json_string(p->attachments[i].content_type));
    if (!json_equal(a, b)) {
        char *sa = json_dumps(a, JSON_SORT_KEYS), *sb = json_dumps(b, JSON_SORT_KEYS);
        fprintf(stderr, "built:  %s\nparsed: %s\n", sa, sb);
        free(sa);
        free(sb);
        CHECK(0);
    }
    CHECK_INT(q.n_attachments, p->n_attachments);
    for (size_t k = 0; k < q.n_attachments && k < p->n_attachments; k++) {
        CHECK_INT(q.attachments[k].len, p->attachments[k].len);
        CHECK(!p->attachments[k].len ||
              !memcmp(q.attachments[k].data, p->attachments[k].data, p->attachments[k].len));
    }
    json_decref(a);
    json_decref(b);
    edxml_issues_release(&is);
    edxml_package_release(&q);
    buf_release(&out);
}

/* §10 Bussiness: 0 new, 1 revoke, 2 update, 3 replace. */
TEST(round_trip_document_types)
{
    for (int t = 0; t <= 3; t++) {
        struct edxml_package p;
        make_document(&p, (enum edxml_business_type)t);
        round_trip(&p);
        edxml_package_release(&p);
    }
}

/* §10 status package: codes 01–06, 13, 15, 16. */
TEST(round_trip_every_status)
{
    for (size_t i = 0; i < edxml_status_count; i++) {
        struct edxml_package p;
        make_status(&p, edxml_status_all[i]);
        round_trip(&p);
        edxml_package_release(&p);
    }
}

TEST(build_refuses_invalid_model)
{
    struct edxml_package p;
    make_document(&p, EDXML_BIZ_NEW);
    p.document_id = edxml_strdup(&p, "9fbfbad2-f1f8-4256-a2eb-50fb1061cddb");
    struct buf out = BUF_INIT(1 << 20);
    char why[256];
    CHECK_INT(edxml_build(&p, &out, why, sizeof(why)), RES_INVALID);
    CHECK(strstr(why, "DocumentId") != NULL);
    edxml_package_release(&p);
    make_status(&p, EDXML_STATUS_NONE);
    CHECK_INT(edxml_build(&p, &out, why, sizeof(why)), RES_INVALID);
    CHECK(strstr(why, "StatusCode") != NULL);
    edxml_package_release(&p);
    buf_release(&out);
}

/* A built document and status as strings, for mutation tests. */
static char *built(bool status)
{
    struct edxml_package p;
    if (status)
        make_status(&p, EDXML_STATUS_ACCEPTED);
    else
        make_document(&p, EDXML_BIZ_NEW);
    struct buf out = BUF_INIT(64u << 20);
    char why[256];
    CHECK_INT(edxml_build(&p, &out, why, sizeof(why)), RES_OK);
    edxml_package_release(&p);
    return buf_detach(&out, NULL);
}

static char *replace_all(const char *s, const char *from, const char *to)
{
    char *cur = xstrdup(s);
    for (int i = 0; i < 100 && strstr(cur, from); i++) {
        char *next = replace(cur, from, to);
        free(cur);
        cur = next;
    }
    return cur;
}

static void refused_after(const char *base, const char *from, const char *to, const char *needle)
{
    char *x = replace_all(base, from, to);
    CHECK(strcmp(x, base) != 0);
    expect_refused(x, strlen(x), NULL, needle);
    free(x);
}

/* §10: strict refusals carry the element path and what is wrong. */
TEST(strict_refusals)
{
    char *doc = built(false), *st = built(true);
    expect_refused("hello", 5, NULL, "không phải XML hợp lệ");
    expect_refused(doc, strlen(doc) / 2, NULL, "không phải XML hợp lệ"); /* truncated */
    expect_refused("", 0, NULL, "không phải XML hợp lệ");
    refused_after(doc, "<edXML xmlns=\"" EDXML_NS "\">", "<edXML xmlns=\"urn:other\">",
                  "edXML: namespace phải là");
    refused_after(st, "<edXML xmlns=\"", "<edXML2 xmlns=\"", "không phải XML hợp lệ");
    refused_after(doc, "<edXML:Subject>", "<edXML:Subject2>", "không phải XML hợp lệ");
    refused_after(doc, "edXML:Subject>", "edXML:Topic>", MH_SUBJECT_PATH);
    refused_after(doc, "000.00.00.H45,2026/11/20,12/QĐ-UBND", "12/QĐ-UBND",
                  "MessageHeader/DocumentId: '12/QĐ-UBND'");
    refused_after(doc, "<edXML:OrganId>000.00.00.H45</edXML:OrganId>", "",
                  "MessageHeader/From/OrganId: thiếu");
    refused_after(doc, "edXML:Code>", "edXML:Kode>", "MessageHeader/Code: thiếu");
    refused_after(doc, "edXML:DocumentType>", "edXML:DocType>", "MessageHeader/DocumentType");
    refused_after(doc, "edXML:PromulgationInfo>", "edXML:Promulgation>",
                  "MessageHeader/PromulgationInfo");
    refused_after(st, "<edXML:StatusCode>03<", "<edXML:StatusCode>07<",
                  "MessageHeader/StatusCode: '07'");
    refused_after(st, "2026/11/21 10:15:00", "21/11/2026", "MessageHeader/Timestamp");
    refused_after(st, "edXML:ResponseFor>", "edXML:Reply>", "MessageHeader/ResponseFor");
    refused_after(doc, "<edXML:ContentId>cid:1-qb</edXML:ContentId>",
                  "<edXML:ContentId>cid:9-qb</edXML:ContentId>",
                  "ContentId: 'cid:9-qb' không có tệp đính kèm tương ứng");
    /* Drop the manifest Reference of cid:2-qb: its attachment is then unreferenced. */
    char *ref = strstr(doc, "<edXML:ContentId>cid:2-qb");
    char *start = ref, *end = strstr(ref, "</edXML:Reference>") + strlen("</edXML:Reference>");
    while (strncmp(start, "<edXML:Reference>", 17))
        start--;
    char *cut = xmalloc(strlen(doc) + 1);
    memcpy(cut, doc, (size_t)(start - doc));
    memcpy(cut + (start - doc), end, strlen(end) + 1);
    expect_refused(cut, strlen(cut), NULL,
                   "AttachmentEncoded/Attachment[3]/ContentId: 'cid:2-qb' không có trong "
                   "edXMLManifest");
    free(cut);
    refused_after(doc, "<ContentId>cid:1-qb</ContentId>", "<ContentId>cid:0-qb</ContentId>",
                  "ContentId: 'cid:0-qb' trùng với tệp đính kèm 1");
    free(doc);
    free(st);
}

/* Base64 and zip damage inside an attachment. */
TEST(attachment_refusals)
{
    char *doc = built(false);
    char *at = strstr(doc, "<ContentId>cid:2-qb");
    at = strstr(at, "\">") + 2;
    char saved = at[10];
    at[10] = '@';
    expect_refused(doc, strlen(doc), NULL, "dữ liệu base64 không hợp lệ (cid:2-qb)");
    at[10] = saved;
    /* Valid base64 that is not a zip. */
    char *nz = replace(doc, "<ContentId>cid:0-qb</ContentId>", "<ContentId>cid:0-qb</ContentId>");
    char *p = strstr(nz, "<ContentId>cid:0-qb");
    p = strstr(p, "\">") + 2;
    char *e = strstr(p, "</edXML:ContentTransferEncoded>");
    memmove(p + 16, e, strlen(e) + 1);
    memcpy(p, "aGVsbG8gd29ybGQ=", 16);
    expect_refused(nz, strlen(nz), NULL, "không phải tệp zip hợp lệ");
    free(nz);
    free(doc);
}

static const char *doc_prefix = "<?xml version=\"1.0\"?>\n";

/* XXE and billion laughs: any DOCTYPE is refused before a declaration is read. */
TEST(dtd_attacks_refused)
{
    char xml[2048];
    snprintf(xml, sizeof(xml),
             "%s<!DOCTYPE edXML [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;"
             "&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;"
             "&c;&c;&c;&c;&c;&c;\">]><edXML xmlns=\"%s\">&d;&d;&d;&d;&d;</edXML>",
             doc_prefix, EDXML_NS);
    expect_refused(xml, strlen(xml), NULL, "DOCTYPE");
    snprintf(xml, sizeof(xml),
             "%s<!DOCTYPE edXML [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
             "<edXML xmlns=\"%s\">&x;</edXML>",
             doc_prefix, EDXML_NS);
    expect_refused(xml, strlen(xml), NULL, "DOCTYPE");
    snprintf(xml, sizeof(xml),
             "%s<!DOCTYPE edXML SYSTEM \"http://127.0.0.1:1/evil.dtd\"><edXML xmlns=\"%s\"/>",
             doc_prefix, EDXML_NS);
    expect_refused(xml, strlen(xml), NULL, "DOCTYPE");
    /* Undeclared entity without a DTD: not well-formed. */
    snprintf(xml, sizeof(xml), "<edXML xmlns=\"%s\">&x;</edXML>", EDXML_NS);
    expect_refused(xml, strlen(xml), NULL, "không phải XML hợp lệ");
}

TEST(deep_nesting_refused)
{
    struct buf b = BUF_INIT(1 << 20);
    buf_printf(&b, "<edXML xmlns=\"%s\">", EDXML_NS);
    for (int i = 0; i < 5000; i++)
        buf_puts(&b, "<a>");
    expect_refused(buf_str(&b), b.len, NULL, "lồng quá sâu");
    buf_release(&b);
}

/* Limits: a huge base64 body and a zip bomb are refused quickly. */
TEST(size_limits_and_zip_bomb)
{
    struct edxml_parse_opts o;
    edxml_parse_opts_default(&o);
    o.limits.max_attachment = 1 << 20;
    char *doc = built(false);
    /* 8 MB of base64 in one attachment: stopped as soon as 1 MB (+ slack) is decoded. */
    char *p = strstr(strstr(doc, "<ContentId>cid:2-qb"), "\">") + 2;
    *p = '\0';
    struct buf big = BUF_INIT(64u << 20);
    buf_puts(&big, doc);
    char line[77];
    memset(line, 'A', 76);
    line[76] = '\n';
    for (int i = 0; i < 8 * 1024 * 1024 / 77; i++)
        buf_append(&big, line, sizeof(line));
    buf_puts(&big, "</edXML:ContentTransferEncoded></Attachment></AttachmentEncoded></edXML>");
    clock_t t0 = clock();
    expect_refused(buf_str(&big), big.len, &o, "vượt giới hạn");
    o.limits.max_package = 4 << 20;
    o.limits.max_attachment = 100 << 20;
    expect_refused(buf_str(&big), big.len, &o, "vượt giới hạn");
    CHECK(clock() - t0 < 2 * CLOCKS_PER_SEC);
    buf_release(&big);
    free(doc);

    /* Zip bomb: 40 MB of zeros deflate to ~40 kB (ratio ~1000). */
    size_t n = 40u << 20;
    unsigned char *zeros = xcalloc(1, n);
    struct edxml_package pk;
    make_document(&pk, EDXML_BIZ_NEW);
    free((void *)pk.attachments[2].data);
    pk.attachments[2].data = zeros;
    pk.attachments[2].len = n;
    struct buf out = BUF_INIT(64u << 20);
    char why[256];
    CHECK_INT(edxml_build(&pk, &out, why, sizeof(why)), RES_OK);
    CHECK(out.len < 1 << 20);
    edxml_parse_opts_default(&o);
    t0 = clock();
    expect_refused(buf_str(&out), out.len, &o, "nghi zip bomb");
    /* With the ratio check relaxed the size limit still holds. */
    o.limits.max_ratio = 100000;
    o.limits.max_attachment = 8 << 20;
    expect_refused(buf_str(&out), out.len, &o, "vượt giới hạn");
    CHECK(clock() - t0 < 2 * CLOCKS_PER_SEC);
    buf_release(&out);
    edxml_package_release(&pk);
}

/* A zip whose central directory understates the size: the actual count decides. */
TEST(zip_lying_about_size)
{
    size_t n = 3u << 20;
    unsigned char *data = random_bytes(n, 3);
    memset(data, 'x', n / 2);
    struct buf zip = BUF_INIT(8u << 20);
    CHECK_INT(edxml_zip("a.bin", data, n, &zip), RES_OK);
    /* Patch the uncompressed size in the local header (offset 22) and central directory. */
    unsigned char *z = (unsigned char *)zip.data;
    for (size_t i = 0; i + 46 < zip.len; i++)
        if (!memcmp(z + i, "PK\x01\x02", 4)) {
            z[i + 24] = 0x10, z[i + 25] = 0, z[i + 26] = 0, z[i + 27] = 0;
        }
    struct edxml_limits lim;
    edxml_limits_default(&lim);
    unsigned char *out = NULL;
    size_t outlen = 0;
    char *entry = NULL;
    char why[200];
    struct edxml_attachment att = {0};
    result_t r =
        edxml_unzip(z, zip.len, &lim, 0, &att, NULL, NULL, &out, &outlen, &entry, why, sizeof(why));
    CHECK(r != RES_OK);
    CHECK(out == NULL);
    free(out);
    free(entry);
    buf_release(&zip);
    free(data);
}

/* Tolerated flaws become warnings (§10 spelling, §11 NFC). */
TEST(tolerant_warnings)
{
    char *doc = built(false);
    char *a = replace(doc, "<edXML:Bussiness>", "<edXML:Business>");
    char *b = replace(a, "</edXML:Bussiness>", "</edXML:Business>");
    /* "Về" written decomposed: e + U+0302 + U+0300. */
    char *c = replace(b, "Về việc", "Ve\xcc\x82\xcc\x80 việc");
    char *d = replace(c, "<?xml", "\xef\xbb\xbf  junk<?xml");
    struct edxml_package p;
    struct edxml_issues is;
    CHECK_INT(parse_str(d, strlen(d), NULL, &p, &is), RES_OK);
    CHECK(has_warning(&is, "'Business'"));
    CHECK(has_warning(&is, "MessageHeader/Subject: Unicode chưa dựng sẵn"));
    CHECK(has_warning(&is, "byte lạ trước khai báo XML"));
    CHECK_STR(p.subject, "Về việc phê duyệt kế hoạch chuyển đổi số năm 2027");
    CHECK(p.business.present);
    edxml_issues_release(&is);
    edxml_package_release(&p);
    /* An element unknown to a status package is reported, not fatal. */
    char *st = built(true);
    char *e =
        replace(st, "<edXML:StatusCode>", "<edXML:Subject>x</edXML:Subject><edXML:StatusCode>");
    CHECK_INT(parse_str(e, strlen(e), NULL, &p, &is), RES_OK);
    CHECK(has_warning(&is, "MessageHeader/Subject: phần tử không thuộc gói tin trạng thái"));
    free(e);
    free(st);
    edxml_issues_release(&is);
    edxml_package_release(&p);
    free(a);
    free(b);
    free(c);
    free(d);
    free(doc);
}

static size_t sunk;
static result_t count_sink(void *ctx, const struct edxml_attachment *att,
                           const unsigned char *chunk, size_t n)
{
    (void)ctx, (void)att, (void)chunk;
    sunk += n;
    return RES_OK;
}

/* The sink receives bytes in chunks; nothing is kept in the model. */
TEST(attachment_sink)
{
    char *doc = built(false);
    struct edxml_parse_opts o;
    edxml_parse_opts_default(&o);
    o.sink = count_sink;
    struct edxml_package p;
    struct edxml_issues is;
    sunk = 0;
    CHECK_INT(parse_str(doc, strlen(doc), &o, &p, &is), RES_OK);
    CHECK_INT(sunk, 70001);
    CHECK(p.attachments[2].data == NULL);
    CHECK_INT(p.attachments[2].len, 70000);
    edxml_issues_release(&is);
    edxml_package_release(&p);
    /* The total limit also holds when bytes go to a sink. */
    o.limits.max_total = 70000;
    expect_refused(doc, strlen(doc), &o, "vượt giới hạn");
    edxml_issues_release(&is);
    edxml_package_release(&p);
    free(doc);
}

int main(void)
{
    RUN(samples_parse);
    RUN(sample_new_flaws_reported);
    RUN(sample_template_refused);
    RUN(samples_update_and_replace_details);
    RUN(validators);
    RUN(round_trip_document_types);
    RUN(round_trip_every_status);
    RUN(build_refuses_invalid_model);
    RUN(strict_refusals);
    RUN(attachment_refusals);
    RUN(dtd_attacks_refused);
    RUN(deep_nesting_refused);
    RUN(size_limits_and_zip_bomb);
    RUN(zip_lying_about_size);
    RUN(tolerant_warnings);
    RUN(attachment_sink);
    return CHECK_DONE("test_edxml");
}
