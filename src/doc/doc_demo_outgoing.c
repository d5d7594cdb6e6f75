/* Demo outgoing documents (issue 12) for `qlvb init --demo`, after the incoming ones:
 * Sở KH&CN opens its outgoing register ("Sổ văn bản đi") and its specialist drafts three
 * documents taken through the real steps by the demo director and department head — one
 * still a draft, one with the head for review (after a return with a comment), one
 * approved and waiting for the director's signature. Signing needs a personal key, which
 * the demo does not issue, so the signed and issued states come from the incoming demo's
 * UBND tỉnh documents and from the tests. */
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "doc/doc.h"
#include "doc/doc_internal.h"
#include "util/buf.h"
#include "util/str.h"

/* A one-page A4 PDF whose page 1 carries "Số:" and "ngày … tháng … năm" (the letters ố,
 * à, á, ă through the font's Differences), where signing stamps the number and date. */
static void draft_pdf(struct buf *out, const char *title)
{
    char content[800];
    int n = snprintf(content, sizeof(content),
                     "BT /F1 12 Tf 60 770 Td (SO KHOA HOC VA CONG NGHE) Tj ET\n"
                     "BT /F1 12 Tf 60 745 Td (S\x80: /SKHCN-CNTT) Tj ET\n"
                     "BT /F1 12 Tf 300 745 Td (Nghe An, ng\x81y      th\x82ng      n\x83m) Tj "
                     "ET\nBT /F1 14 Tf 200 690 Td (%.60s) Tj ET\n"
                     "BT /F1 12 Tf 360 300 Td (GIAM DOC) Tj ET\n"
                     "BT /F1 12 Tf 360 200 Td (Bui Van Long) Tj ET\n"
                     "BT /F1 9 Tf 60 80 Td (Du thao - du lieu demo QLVB) Tj ET\n",
                     title);
    static const char *const objs[4] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 "
        "R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
        "/BaseEncoding /WinAnsiEncoding /Differences [128 /ocircumflexacute /agrave /aacute "
        "/abreve] >> >>",
    };
    size_t offs[5];
    buf_reset(out);
    (void)buf_printf(out, "%%PDF-1.4\n");
    for (int i = 0; i < 4; i++) {
        offs[i] = out->len;
        (void)buf_printf(out, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    offs[4] = out->len;
    (void)buf_printf(out, "5 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n", n, content);
    size_t xref = out->len;
    (void)buf_printf(out, "xref\n0 6\n0000000000 65535 f \n");
    for (int i = 0; i < 5; i++)
        (void)buf_printf(out, "%010zu 00000 n \n", offs[i]);
    (void)buf_printf(out, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
}

/* Sở Khoa học và Công nghệ, whose people draft the demo's outgoing documents */
#define SKHCN "000.00.04.H41"

static const struct demo_draft {
    const char *type, *subject, *urgency;
    int stage; /* 0 draft, 1 with the head (after a return), 2 approved */
} drafts[] = {
    {"cong_van", "Về việc đề nghị cung cấp số liệu chuyển đổi số năm 2026", "", 0},
    {"ke_hoach", "Kế hoạch ứng dụng công nghệ thông tin năm 2027", "khan", 1},
    {"quyet_dinh", "Ban hành Quy chế sử dụng chữ ký số trong Sở Khoa học và Công nghệ", "", 2},
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
    struct buf pdf = BUF_INIT(64 * 1024);
    int64_t reviewers[1] = {head.user_id};
    for (size_t i = 0; r == RES_OK && i < sizeof(drafts) / sizeof(drafts[0]); i++) {
        const struct demo_draft *d = &drafts[i];
        draft_pdf(&pdf, d->subject[0] == 'V'   ? "CONG VAN"
                        : d->subject[0] == 'K' ? "KE HOACH"
                                               : "QUYET DINH");
        struct doc_outgoing_input in = {.doc_type = d->type,
                                        .subject = d->subject,
                                        .urgency = d->urgency,
                                        .signer_id = leader.user_id,
                                        .recipients = rc,
                                        .nrecipients = i == 2 ? 3 : 2};
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
        if (d->stage >= 1)
            r = step(app, &specialist, id, "submit", &sub);
        if (r == RES_OK && d->stage == 1) {
            r = step(app, &head, id, "return", &back);
            if (r == RES_OK)
                r = step(app, &specialist, id, "submit", &sub);
        }
        if (r == RES_OK && d->stage == 2) {
            r = step(app, &head, id, "approve", &none);
            if (r == RES_OK)
                r = step(app, &leader, id, "approve", &none);
        }
    }
    buf_release(&pdf);
    return r;
}
