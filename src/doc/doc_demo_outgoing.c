/* Demo outgoing documents (issue 12) for `qlvb init --demo`, after the incoming ones:
 * Sở KH&CN opens its outgoing register ("Sổ văn bản đi") and its specialist drafts
 * documents taken through the real steps (the functions the API calls) by the demo
 * director, department head and clerk, so that every role has outgoing work on its
 * home page:
 * - five in the circuit: a draft, one with the head for review (after a return with a
 *   comment), one with the director for review, one approved and waiting for the
 *   director's signature, and a draft in reply to an incoming document the specialist
 *   handles;
 * - with the demo signing keys (demo_signing_seed, core/demo.c: a demo root CA in the
 *   trust store, the director's personal key and the agency's key, PIN DEMO_PIN),
 *   seven signed by the director (doc_outgoing_sign: number, symbol and date stamped):
 *   one waiting for the clerk's seal, one sealed waiting to be issued, three issued
 *   (doc_outgoing_issue) to two to five agencies of the installation, whose copies
 *   arrive there and a few are registered, presented and assigned by the receiving
 *   agency's demo people, one cancelled (its number kept in the register) and one
 *   recalled (the receivers' answers pending).
 * Each draft is a PDF in the layout of an official letter printed with its diacritics
 * (pdf_text_document), with "Số:" and "ngày … tháng … năm" where signing stamps the
 * number and date. Without the signer process (app->signer NULL: a unit test's app)
 * only the circuit states are made. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/demo.h"
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
                          const char *symbol, int year, bool letter, const char *footer)
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
    b[n++] = (struct pdf_text_block){.text = footer, .size = 8, .space_before = 60};
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

/* ---- signed, sealed, issued, cancelled, recalled (with the demo keys) ---- */

enum demo_end { END_SIGNED, END_SEALED, END_ISSUED, END_CANCELLED, END_RECALLED };
/* What the receiving agencies with demo people do with their copy before the demo ends
 * (before a recall, for a recalled one). */
enum demo_recv { RECV_NONE, RECV_REGISTER, RECV_ASSIGN };

/* In the order signed, so in the order of their numbers. */
static const struct demo_signed {
    const char *type, *subject, *urgency;
    enum demo_end end;
    const char *to[5]; /* agencies of the installation, by code */
    bool external;     /* also to Bộ Khoa học và Công nghệ (an outbox row) */
    enum demo_recv recv;
    const char *reason; /* cancel, recall */
} signed_docs[] = {
    {"ke_hoach",
     "Kế hoạch tổ chức Ngày Chuyển đổi số tỉnh Nghệ An năm 2026",
     "",
     END_ISSUED,
     {"000.00.00.H41", "000.00.01.H41", "000.00.02.H41", "000.00.03.H41", "000.00.30.H41"},
     false,
     RECV_REGISTER,
     NULL},
    {"cong_van",
     "Về việc báo cáo tình hình sử dụng chữ ký số chuyên dùng trong cơ quan nhà nước năm 2026",
     "khan",
     END_ISSUED,
     {"000.00.30.H41", "000.00.31.H41", "000.00.32.H41", "000.00.01.H41"},
     true,
     RECV_ASSIGN,
     NULL},
    {"giay_moi",
     "Giấy mời dự Hội nghị tập huấn sử dụng hệ thống quản lý văn bản và điều hành cho cấp xã",
     "thuong_khan",
     END_ISSUED,
     {"000.00.30.H41", "000.00.31.H41", "000.00.32.H41"},
     false,
     RECV_NONE,
     NULL},
    {"cong_van",
     "Về việc tạm dừng kết nối phần mềm quản lý văn bản cũ với trục liên thông văn bản của tỉnh",
     "",
     END_RECALLED,
     {"000.00.30.H41", "000.00.31.H41"},
     false,
     RECV_REGISTER,
     "Văn bản ban hành chưa đúng thời điểm; Sở sẽ ban hành văn bản thay thế."},
    {"to_trinh",
     "Tờ trình đề nghị phê duyệt danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh đặt hàng năm "
     "2027",
     "",
     END_CANCELLED,
     {"000.00.00.H41"},
     false,
     RECV_NONE,
     "Sai thể thức: thiếu căn cứ pháp lý; soạn lại tờ trình mới."},
    {"bao_cao",
     "Báo cáo kết quả thực hiện nhiệm vụ khoa học và công nghệ 11 tháng năm 2026",
     "",
     END_SEALED,
     {"000.00.00.H41", "000.00.01.H41"},
     true,
     RECV_NONE,
     NULL},
    {"cong_van",
     "Về việc đề nghị cử công chức tham gia Tổ công tác triển khai Đề án 06 của tỉnh",
     "hoa_toc",
     END_SIGNED,
     {"000.00.30.H41", "000.00.31.H41", "000.00.32.H41", "000.00.02.H41"},
     false,
     RECV_NONE,
     NULL},
};

/* The receiving agencies' demo people: the clerk registers, presents to the leader, who
 * assigns the document to the unit of `lead` (a department leader); NULL: register only. */
static const struct demo_receiver {
    const char *agency, *clerk, *leader, *lead;
} receivers[] = {
    {"000.00.30.H41", "040090000302", "040090000303", "040090000304"},
    {"000.00.01.H41", "040090000112", "040090000111", "040090000113"},
    {"000.00.00.H41", "040090000102", "040090000101", NULL},
};

static result_t receive(struct app *app, struct db_conn *c, int64_t source,
                        const struct demo_receiver *rv, enum demo_recv what)
{
    struct actor clerk, leader, lead;
    if (doc_demo_actor(c, rv->clerk, rv->agency, &clerk) != RES_OK)
        return RES_OK; /* nobody there to act */
    int64_t copy = 0, reg = 0;
    result_t r = db_one_i64(c, &copy,
                            "SELECT COALESCE(MAX(id), 0) FROM document WHERE source_document_id = "
                            "$1 AND agency_id = $2",
                            "ii", source, clerk.agency_id);
    if (r == RES_OK)
        r = db_one_i64(c, &reg,
                       "SELECT COALESCE(MIN(id), 0) FROM doc_register WHERE agency_id = $1 AND "
                       "kind = 'incoming' AND active = 1",
                       "i", clerk.agency_id);
    if (r != RES_OK || !copy || !reg)
        return r;
    struct doc_arrived_input in = {.register_id = reg, .page_count = -1};
    struct verrs e = {0};
    struct doc_registered out;
    if ((r = doc_register_arrived(app, &clerk, copy, &in, &e, &out)) != RES_OK) {
        fprintf(stderr, "demo: register the copy: %s %s\n", result_name(r),
                e.count ? e.items[0].message : "");
        return r;
    }
    if (what != RECV_ASSIGN || !rv->lead ||
        doc_demo_actor(c, rv->leader, rv->agency, &leader) != RES_OK ||
        doc_demo_actor(c, rv->lead, rv->agency, &lead) != RES_OK || !lead.department_id)
        return RES_OK;
    r = step(app, &clerk, copy, "present",
             &(struct doc_step_input){.leader_id = leader.user_id,
                                      .note = "Kính trình lãnh đạo cho ý kiến chỉ đạo."});
    struct doc_target unit = {.department_id = lead.department_id};
    if (r == RES_OK)
        r = step(app, &leader, copy, "assign",
                 &(struct doc_step_input){
                     .note = "Giao phòng chủ trì tổng hợp, báo cáo đúng thời hạn Sở đề nghị.",
                     .leads = &unit,
                     .nleads = 1,
                     .has_working_days = true,
                     .working_days = 5});
    return r;
}

/* One document of signed_docs from the draft to its end state. */
static result_t play_signed(struct app *app, struct db_conn *c, const struct demo_signed *d,
                            const struct actor *clerk, const struct actor *leader,
                            const struct actor *head, const struct actor *specialist,
                            const struct demo_keys *keys, struct buf *pdf, int n)
{
    const struct doc_type *t = doc_type_find(d->type);
    bool letter = !strcmp(d->type, "cong_van");
    char symbol[64];
    snprintf(symbol, sizeof(symbol), letter ? "SKHCN-CNTT" : "%s-SKHCN", t ? t->abbr : "");
    char *title = text_upper(t ? t->name : "");
    result_t r = draft_pdf(pdf, title ? title : "", d->subject, symbol, doc_year_of(clock_now()),
                           letter, "Dữ liệu demo QLVB");
    free(title);
    if (r != RES_OK)
        return r;
    struct doc_recipient_input rc[6];
    size_t nrc = 0;
    for (size_t i = 0; i < 5 && d->to[i]; i++) {
        int64_t id = 0;
        if ((r = db_one_i64(c, &id, "SELECT COALESCE(MAX(id), 0) FROM agency WHERE code = $1", "t",
                            d->to[i])) != RES_OK)
            return r;
        if (id)
            rc[nrc++] = (struct doc_recipient_input){.kind = "agency", .agency_id = id};
    }
    if (d->external)
        rc[nrc++] = (struct doc_recipient_input){
            .kind = "external", .agency_code = "000.00.00.G22", .name = "Bộ Khoa học và Công nghệ"};
    struct doc_outgoing_input in = {.doc_type = d->type,
                                    .subject = d->subject,
                                    .urgency = d->urgency,
                                    .signer_id = leader->user_id,
                                    .recipients = rc,
                                    .nrecipients = nrc};
    char name[80];
    snprintf(name, sizeof(name), "van-ban-%d.pdf", n);
    struct doc_upload f = {.role = "main",
                           .file_name = name,
                           .data = (const unsigned char *)pdf->data,
                           .len = pdf->len};
    int64_t id = 0;
    struct verrs e = {0};
    if ((r = doc_outgoing_create(app, specialist, &in, &f, 1, &e, &id)) != RES_OK) {
        fprintf(stderr, "demo: outgoing draft: %s %s\n", result_name(r),
                e.count ? e.items[0].message : "");
        return r;
    }
    int64_t reviewers[1] = {head->user_id};
    r = step(
        app, specialist, id, "submit",
        &(struct doc_step_input){.reviewers = reviewers, .nreviewers = 1, .note = "Kính trình"});
    if (r == RES_OK)
        r = step(app, head, id, "approve", &(struct doc_step_input){.note = "Đồng ý"});
    if (r == RES_OK)
        r = step(app, leader, id, "approve", &(struct doc_step_input){.note = "Duyệt ký"});
    if (r == RES_OK &&
        (r = doc_outgoing_sign(app, leader, id, keys->person, DEMO_PIN, &e)) != RES_OK)
        fprintf(stderr, "demo: outgoing sign: %s %s\n", result_name(r),
                e.count ? e.items[0].message : "");
    if (r != RES_OK || d->end == END_SIGNED)
        return r;
    if (d->end == END_CANCELLED)
        return step(app, clerk, id, "cancel", &(struct doc_step_input){.note = d->reason});
    if ((r = doc_outgoing_seal(app, clerk, id, keys->agency, DEMO_PIN, &e)) != RES_OK) {
        fprintf(stderr, "demo: outgoing seal: %s %s\n", result_name(r),
                e.count ? e.items[0].message : "");
        return r;
    }
    if (d->end == END_SEALED)
        return r;
    if ((r = doc_outgoing_issue(app, clerk, id, &e)) != RES_OK) {
        fprintf(stderr, "demo: outgoing issue: %s %s\n", result_name(r),
                e.count ? e.items[0].message : "");
        return r;
    }
    for (size_t i = 0; r == RES_OK && d->recv != RECV_NONE && i < 5 && d->to[i]; i++)
        for (size_t k = 0; r == RES_OK && k < sizeof(receivers) / sizeof(receivers[0]); k++)
            if (!strcmp(receivers[k].agency, d->to[i]))
                r = receive(app, c, id, &receivers[k], d->recv);
    if (r == RES_OK && d->end == END_RECALLED)
        r = step(app, clerk, id, "recall", &(struct doc_step_input){.note = d->reason});
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
        r = draft_pdf(&pdf, title ? title : "", d->subject, symbol, year, letter,
                      "Dự thảo - dữ liệu demo QLVB");
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
    /* The signed states need the demo keys, which need the signer process. */
    struct demo_keys keys = {0};
    char agency_name[256] = "";
    struct db_stmt *q = NULL;
    if (r == RES_OK && app->signer &&
        (r = db_query(c, &q, "SELECT name FROM agency WHERE id = $1", "i", clerk.agency_id)) ==
            RES_OK) {
        if (db_step(q) == RES_ROW)
            str_copy(agency_name, db_col_text(q, 0), sizeof(agency_name));
        db_finalize(q);
        r = demo_signing_seed(app, clerk.agency_id, agency_name, leader.user_id, leader.full_name,
                              &keys);
    }
    for (size_t i = 0;
         r == RES_OK && keys.person && i < sizeof(signed_docs) / sizeof(signed_docs[0]); i++)
        r = play_signed(app, c, &signed_docs[i], &clerk, &leader, &head, &specialist, &keys, &pdf,
                        (int)i + 1);
    buf_release(&pdf);
    return r;
}
