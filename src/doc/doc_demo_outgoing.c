/* Demo outgoing documents (issue 12) for `qlvb init --demo`, after the incoming ones:
 * Sở KH&CN opens its outgoing register ("Sổ văn bản đi") and its specialist drafts five
 * documents taken through the real steps by the demo director and department head — a
 * draft, one with the head for review (after a return with a comment), one with the
 * director for review, one approved and waiting for the director's signature, and a
 * draft in reply to an incoming document the specialist handles — so the specialist, the
 * head and the director each have outgoing work on their home page. Each draft is a PDF
 * in the layout of an official letter printed with its diacritics (pdf_text_document),
 * with "Số:" and "ngày … tháng … năm" where signing stamps the number and date. Signing
 * needs a personal key, which the demo does not issue, so the signed and issued states
 * come from the incoming demo's UBND tỉnh documents and from the tests. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "pdf/pdf_text.h"
#include "text/text.h"
#include "util/clock.h"
#include "doc/doc.h"
#include "doc/doc_internal.h"
#include "util/buf.h"
#include "util/str.h"

/* A one-page draft in the layout of an official letter (standards.md §2, ND30 Phụ lục I),
 * printed with its diacritics by pdf_text_document: the issuing body and "Số:      /…"
 * on the left, the motto and "Nghệ An, ngày      tháng      năm …" on the right, where
 * signing stamps the number and the date; the title, subject, body and the signature
 * block. */
static result_t draft_pdf(struct buf *out, const char *type_name, const char *subject,
                          const char *symbol, int year, bool letter)
{
    char num[96], date[96], vv[600], body[900];
    snprintf(num, sizeof(num), "Số:        /%s", symbol);
    snprintf(date, sizeof(date), "Nghệ An, ngày      tháng      năm %d", year);
    snprintf(vv, sizeof(vv), "V/v %s", subject);
    snprintf(body, sizeof(body),
             "Căn cứ chức năng, nhiệm vụ được giao, Sở Khoa học và Công nghệ %s. Đề nghị các cơ "
             "quan, đơn vị nghiên cứu, phối hợp thực hiện và báo cáo kết quả theo quy định.",
             letter ? "đề nghị các cơ quan, đơn vị quan tâm phối hợp"
                    : "xây dựng văn bản này để thống nhất thực hiện");
    struct pdf_text_block b[12];
    size_t n = doc_demo_heading(b, "UBND TỈNH NGHỆ AN\nSỞ KHOA HỌC VÀ CÔNG NGHỆ", num,
                                letter ? vv : NULL, date);
    if (!letter) {
        b[n++] = (struct pdf_text_block){
            .text = type_name, .size = 14, .align = PDF_TEXT_CENTRE, .space_before = 28};
        b[n++] = (struct pdf_text_block){.text = subject, .size = 13, .align = PDF_TEXT_CENTRE};
    }
    b[n++] = (struct pdf_text_block){.text = body, .size = 13, .space_before = letter ? 28 : 16};
    b[n++] = (struct pdf_text_block){.text = "GIÁM ĐỐC",
                                     .size = 12,
                                     .align = PDF_TEXT_CENTRE,
                                     .column = PDF_TEXT_RIGHT_HALF,
                                     .space_before = 28};
    b[n++] = (struct pdf_text_block){.text = "Bùi Văn Long",
                                     .size = 13,
                                     .align = PDF_TEXT_CENTRE,
                                     .column = PDF_TEXT_RIGHT_HALF,
                                     .space_before = 60};
    b[n++] = (struct pdf_text_block){
        .text = "Dự thảo - dữ liệu demo QLVB", .size = 8, .space_before = 60};
    buf_release(out);
    return pdf_text_document(b, n, out);
}

/* Sở Khoa học và Công nghệ, whose people draft the demo's outgoing documents */
#define SKHCN "000.00.04.H41"

static const struct demo_draft {
    const char *type, *subject, *urgency;
    int stage; /* 0 draft, 1 with the head (after a return), 2 with the director for review,
                * 3 approved (to sign), 4 a draft in reply to an incoming document */
} drafts[] = {
    {"cong_van", "Về việc đề nghị cung cấp số liệu chuyển đổi số năm 2026", "", 0},
    {"ke_hoach", "Kế hoạch ứng dụng công nghệ thông tin năm 2027", "khan", 1},
    {"bao_cao", "Báo cáo kết quả triển khai nền tảng số dùng chung năm 2026", "", 2},
    {"quyet_dinh", "Ban hành Quy chế sử dụng chữ ký số trong Sở Khoa học và Công nghệ", "", 3},
    {"cong_van", "Về việc trả lời đề nghị phối hợp triển khai chuyển đổi số", "", 4},
};

static result_t step(struct app *app, const struct actor *a, int64_t id, const char *action,
                     const struct doc_step_input *in)
{
    struct verrs e = {0};
    result_t r = doc_workflow_act(app, a, id, action, in, &e);
    if (r != RES_OK)
        fprintf(stderr, "demo: outgoing %s: %s %s\n", action, result_name(r),
                e.count ? e.items[0].message : "");
    return r;
}

result_t doc_demo_outgoing(struct app *app)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct actor clerk, leader, head, specialist;
    if (doc_demo_actor(c, "040090000143", SKHCN, &clerk) != RES_OK ||
        doc_demo_actor(c, "040090000142", SKHCN, &leader) != RES_OK ||
        doc_demo_actor(c, "040090000144", SKHCN, &head) != RES_OK ||
        doc_demo_actor(c, "040090000145", SKHCN, &specialist) != RES_OK || !app->blobs)
        return RES_OK; /* not the demo province, or no file storage */
    int64_t tv = 0, vp = 0, reg = 0;
    result_t r = db_one_i64(c, &tv,
                            "SELECT COALESCE(MAX(id), 0) FROM agency WHERE code = '000.00.30.H41' "
                            "AND $1 = $1",
                            "i", (int64_t)0);
    if (r == RES_OK)
        r = db_one_i64(c, &vp,
                       "SELECT COALESCE(MAX(id), 0) FROM agency WHERE code = '000.00.01.H41' AND "
                       "$1 = $1",
                       "i", (int64_t)0);
    if (r != RES_OK || !tv || !vp)
        return r;
    struct doc_register_input ri = {.kind = "outgoing", .name = "Sổ văn bản đi"};
    struct verrs e = {0};
    if ((r = doc_registers_create(app, &clerk, clerk.agency_id, &ri, &e, &reg)) != RES_OK)
        return r;
    struct doc_recipient_input rc[3] = {
        {.kind = "agency", .agency_id = tv},
        {.kind = "agency", .agency_id = vp},
        {.kind = "external", .agency_code = "000.00.00.G22", .name = "Bộ Khoa học và Công nghệ"},
    };
    /* an incoming document the specialist is on, for the reply */
    int64_t incoming = 0;
    r = db_one_i64(c, &incoming,
                   "SELECT COALESCE(MAX(d.id), 0) FROM document d JOIN doc_participant p ON "
                   "p.document_id = d.id WHERE d.direction = 'incoming' AND d.agency_id = $1 AND "
                   "p.user_id = $2",
                   "ii", specialist.agency_id, specialist.user_id);
    struct buf pdf = BUF_INIT(256 * 1024);
    int64_t reviewers[1] = {head.user_id};
    int year = doc_year_of(clock_now());
    for (size_t i = 0; r == RES_OK && i < sizeof(drafts) / sizeof(drafts[0]); i++) {
        const struct demo_draft *d = &drafts[i];
        if (d->stage == 4 && !incoming)
            continue;
        const struct doc_type *t = doc_type_find(d->type);
        bool letter = !strcmp(d->type, "cong_van");
        char symbol[64];
        snprintf(symbol, sizeof(symbol), letter ? "SKHCN-CNTT" : "%s-SKHCN", t ? t->abbr : "");
        char *title = text_upper(t ? t->name : "");
        r = draft_pdf(&pdf, title ? title : "", d->subject, symbol, year, letter);
        free(title);
        if (r != RES_OK)
            break;
        struct doc_outgoing_input in = {.doc_type = d->type,
                                        .subject = d->subject,
                                        .urgency = d->urgency,
                                        .signer_id = leader.user_id,
                                        .reply_to_id = d->stage == 4 ? incoming : 0,
                                        .recipients = rc,
                                        .nrecipients = d->stage == 3 ? 3 : 2};
        char name[80];
        snprintf(name, sizeof(name), "du-thao-%zu.pdf", i + 1);
        struct doc_upload f = {.role = "main",
                               .file_name = name,
                               .data = (const unsigned char *)pdf.data,
                               .len = pdf.len};
        int64_t id = 0;
        struct verrs de = {0};
        r = doc_outgoing_create(app, &specialist, &in, &f, 1, &de, &id);
        if (r != RES_OK) {
            fprintf(stderr, "demo: outgoing draft: %s %s\n", result_name(r),
                    de.count ? de.items[0].message : "");
            break;
        }
        struct doc_step_input sub = {.reviewers = reviewers, .nreviewers = 1, .note = "Kính trình"};
        struct doc_step_input back = {.note = "Bổ sung số liệu năm 2026 vào phần căn cứ"};
        struct doc_step_input none = {0};
        if (d->stage >= 1 && d->stage <= 3)
            r = step(app, &specialist, id, "submit", &sub);
        if (r == RES_OK && d->stage == 1) {
            r = step(app, &head, id, "return", &back);
            if (r == RES_OK)
                r = step(app, &specialist, id, "submit", &sub);
        }
        if (r == RES_OK && (d->stage == 2 || d->stage == 3))
            r = step(app, &head, id, "approve", &none);
        if (r == RES_OK && d->stage == 3)
            r = step(app, &leader, id, "approve", &none);
    }
    buf_release(&pdf);
    return r;
}
