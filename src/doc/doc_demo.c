/* Demo documents for `qlvb init --demo`: an incoming register in every demo agency
 * and a handful of official letters between the demo agencies, registered through the
 * same doc_register_incoming path as a clerk's (so they carry numbers, files, history
 * and audit rows), each with a small generated one-page PDF; in Sở KH&CN they are then
 * taken through the incoming workflow (presented, assigned, in progress, completed,
 * overdue) by the demo clerk, director, head of department and specialist; then
 * deliveries inside the installation (demo_deliveries, below). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "blob/blob.h"
#include "core/calendar.h"
#include "core/tx.h"
#include "db/db.h"
#include "doc/doc.h"
#include "doc/doc_internal.h"
#include "pdf/pdf_text.h"
#include "text/text.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/str.h"

struct demo_doc {
    const char *to, *from; /* agency codes */
    const char *number, *symbol, *type, *urgency;
    int days_ago; /* issued; received the next morning */
    int due_in;   /* days from today, 0 = none */
    const char *signer, *position, *subject;
};

static const struct demo_doc docs[] = {
    {"000.00.04.H41", "000.00.00.H41", "1250", "UBND-KGVX", "cong_van", "khan", 3, 10,
     "Nguyễn Văn Hùng", "Chủ tịch",
     "Về việc triển khai nền tảng số dùng chung và kết nối trục liên thông văn bản của tỉnh "
     "năm 2026"},
    {"000.00.04.H41", "000.00.02.H41", "215", "SNV-CCVC", "cong_van", "thuong", 5, 0,
     "Lê Quang Minh", "Phó Giám đốc",
     "Về việc cử công chức tham gia lớp bồi dưỡng kỹ năng chuyển đổi số"},
    {"000.00.04.H41", "000.00.03.H41", "18", "KH-STC", "ke_hoach", "thuong", 2, 20, "", "",
     "Kế hoạch kiểm tra công tác quản lý, sử dụng tài sản công năm 2026"},
    {"000.00.04.H41", "000.00.01.H41", "09", "GM-VPUBND", "giay_moi", "thuong_khan", 1, 2,
     "Lê Quang Minh", "Chánh Văn phòng",
     "Giấy mời họp trực tuyến sơ kết công tác cải cách hành chính 9 tháng đầu năm"},
    {"000.00.00.H41", "000.00.04.H41", "87", "BC-SKHCN", "bao_cao", "thuong", 4, 0, "Bùi Văn Long",
     "Giám đốc", "Báo cáo kết quả triển khai hệ thống quản lý văn bản và điều hành quý III"},
    {"000.00.00.H41", "000.00.30.H41", "142", "TTr-UBND", "to_trinh", "khan", 2, 7, "Hồ Sỹ Nam",
     "Chủ tịch",
     "Tờ trình đề nghị phê duyệt chủ trương đầu tư cải tạo hệ thống thoát nước trên địa bàn "
     "phường Trường Vinh"},
    {"000.00.01.H41", "000.00.02.H41", "230", "SNV-TCBC", "cong_van", "thuong", 6, 15,
     "Lê Quang Minh", "Phó Giám đốc",
     "Về việc góp ý dự thảo đề án sắp xếp tổ chức bộ máy các cơ quan chuyên môn"},
    {"000.00.01.H41", "000.00.31.H41", "64", "BC-UBND", "bao_cao", "thuong", 3, 0, "", "",
     "Báo cáo tình hình thiệt hại do mưa lũ trên địa bàn phường Thành Vinh"},
    {"000.00.30.H41", "000.00.00.H41", "35", "QĐ-UBND", "quyet_dinh", "thuong", 7, 0,
     "Nguyễn Văn Hùng", "Chủ tịch",
     "Quyết định giao chỉ tiêu kế hoạch phát triển kinh tế - xã hội năm 2026 cho các xã, phường"},
    {"000.00.30.H41", "000.00.03.H41", "301", "STC-QLNS", "cong_van", "hoa_toc", 0, 1, "", "",
     "Về việc báo cáo số liệu giải ngân vốn đầu tư công trước ngày 25"},
    /* Sở KH&CN: enough for one document in every state of the workflow (plans[]). */
    {"000.00.04.H41", "000.00.00.H41", "1302", "UBND-KGVX", "cong_van", "hoa_toc", 0, 3,
     "Nguyễn Văn Hùng", "Chủ tịch",
     "Về việc khắc phục sự cố gián đoạn dịch vụ công trực tuyến của tỉnh"},
    {"000.00.04.H41", "000.00.03.H41", "276", "STC-HCSN", "cong_van", "khan", 6, 0, "", "",
     "Về việc rà soát, báo cáo tình hình sử dụng kinh phí sự nghiệp khoa học năm 2026"},
    {"000.00.04.H41", "000.00.01.H41", "33", "TB-VPUBND", "thong_bao", "thuong", 4, 0,
     "Lê Quang Minh", "Chánh Văn phòng",
     "Thông báo kết luận của Chủ tịch Ủy ban nhân dân tỉnh về chuyển đổi số trong cơ quan nhà "
     "nước"},
};

/* What happens to the Sở KH&CN documents after registration, through the workflow's
 * own functions acting as the demo users (doc_workflow.c), so that the director, the
 * head of the IT department and the specialist each find work in every state. */
enum demo_plan {
    PLAN_PRESENTED,   /* with the director */
    PLAN_ASSIGNED,    /* with the IT department, due soon (1 working day) */
    PLAN_IN_PROGRESS, /* passed on to the specialist, accepted, an opinion given */
    PLAN_COMPLETED,   /* done by the specialist */
    PLAN_OVERDUE,     /* in progress, its deadline passed */
};
static const struct demo_plan_row {
    const char *number, *symbol;
    enum demo_plan plan;
} plans[] = {
    {"09", "GM-VPUBND", PLAN_PRESENTED},     {"18", "KH-STC", PLAN_ASSIGNED},
    {"1250", "UBND-KGVX", PLAN_IN_PROGRESS}, {"215", "SNV-CCVC", PLAN_COMPLETED},
    {"276", "STC-HCSN", PLAN_OVERDUE},       {"33", "TB-VPUBND", PLAN_IN_PROGRESS},
    /* 1302/UBND-KGVX (hỏa tốc, today) stays registered: the clerk's to present. */
};

/* What a demo document's scan shows: its own metadata. */
struct demo_letter {
    const char *issuer, *ns, *issued /* YYYY-MM-DD */, *type, *subject, *signer, *position,
        *to_name;
};

/* The heading of an official letter (ND30 Phụ lục I): the issuing body over its number
 * (and, for a công văn, the "V/v" line: vv, else NULL) on the left; the national motto
 * and the place and date on the right. Fills b[0..5]; returns how many blocks. */
size_t doc_demo_heading(struct pdf_text_block *b, const char *issuer, const char *num,
                        const char *vv, const char *date)
{
    size_t n = 0;
    bool letter = vv != NULL;
    b[n++] = (struct pdf_text_block){.text = issuer,
                                     .size = 12,
                                     .align = PDF_TEXT_CENTRE,
                                     .column = PDF_TEXT_LEFT_HALF,
                                     .rule = 0.35f};
    b[n++] = (struct pdf_text_block){
        .text = num, .size = 12, .align = PDF_TEXT_CENTRE, .column = PDF_TEXT_LEFT_HALF};
    if (letter)
        b[n++] = (struct pdf_text_block){.text = vv,
                                         .size = 11,
                                         .align = PDF_TEXT_CENTRE,
                                         .column = PDF_TEXT_LEFT_HALF,
                                         .space_before = 2};
    b[n++] = (struct pdf_text_block){.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                     .size = 11,
                                     .align = PDF_TEXT_CENTRE,
                                     .column = PDF_TEXT_RIGHT_HALF};
    b[n++] = (struct pdf_text_block){.text = "Độc lập - Tự do - Hạnh phúc",
                                     .size = 12,
                                     .align = PDF_TEXT_CENTRE,
                                     .column = PDF_TEXT_RIGHT_HALF,
                                     .rule = 1};
    b[n++] = (struct pdf_text_block){.text = date,
                                     .size = 12,
                                     .align = PDF_TEXT_CENTRE,
                                     .column = PDF_TEXT_RIGHT_HALF,
                                     .space_before = 4};
    return n;
}

/* The demo document's one-page scan, generated from its metadata in the layout of an
 * official letter (Nghị định 30/2020 Phụ lục I, standards.md §2): issuing body and
 * number on the left, the national motto and the place and date on the right, the type
 * and subject, a body, the signer. Vietnamese text as written (pdf_text.h), so the
 * viewer, search and copy show the same words as the document's page. */
static result_t demo_pdf(struct buf *out, const struct demo_letter *l)
{
    const struct doc_type *t = doc_type_find(l->type);
    bool letter = !t || !strcmp(l->type, "cong_van"); /* công văn: no type name, "V/v" */
    char *issuer = text_upper(l->issuer), *type = text_upper(t ? t->name : "");
    char *position = text_upper(l->position && *l->position ? l->position : "");
    char num[128], date[96], vv[700], to[300], body[1400];
    snprintf(num, sizeof(num), "Số: %s", l->ns);
    /* The demo agencies are all in Nghệ An (code H41). */
    snprintf(date, sizeof(date), "Nghệ An, ngày %.2s tháng %.2s năm %.4s", l->issued + 8,
             l->issued + 5, l->issued);
    const char *subject = l->subject;
    if (!strncmp(subject, "Về việc ", strlen("Về việc ")))
        subject += strlen("Về việc ");
    snprintf(vv, sizeof(vv), "V/v %s", subject);
    snprintf(to, sizeof(to), "Kính gửi: %s.", l->to_name ? l->to_name : "");
    snprintf(body, sizeof(body),
             "%s %s gửi văn bản này %s. Đề nghị cơ quan nhận nghiên cứu, tổ chức thực hiện "
             "và báo cáo kết quả theo quy định.",
             letter ? "Thực hiện chương trình công tác năm,"
                    : "Căn cứ chức năng, nhiệm vụ được giao,",
             l->issuer, letter ? vv + 4 : "để các cơ quan, đơn vị biết và thực hiện");
    struct pdf_text_block b[16];
    size_t n = doc_demo_heading(b, issuer ? issuer : l->issuer, num, letter ? vv : NULL, date);
    char line[600];
    if (!letter) {
        /* "QUYẾT ĐỊNH" over "Ban hành …", not over "Quyết định ban hành …" */
        const char *rest = l->subject;
        size_t tn = strlen(t->name);
        if (!strncasecmp(rest, t->name, tn) && rest[tn] == ' ')
            rest += tn + 1;
        size_t first = 1;
        while (rest[first] && ((unsigned char)rest[first] & 0xC0) == 0x80)
            first++;
        char head[8] = "";
        snprintf(head, sizeof(head), "%.*s", (int)first, rest);
        char *cap = text_upper(head);
        snprintf(line, sizeof(line), "%s%s", cap ? cap : head, rest + first);
        free(cap);
        b[n++] = (struct pdf_text_block){
            .text = type ? type : "", .size = 14, .align = PDF_TEXT_CENTRE, .space_before = 28};
        b[n++] = (struct pdf_text_block){.text = line, .size = 13, .align = PDF_TEXT_CENTRE};
    }
    b[n++] = (struct pdf_text_block){
        .text = to, .size = 13, .align = PDF_TEXT_CENTRE, .space_before = letter ? 28 : 16};
    b[n++] = (struct pdf_text_block){.text = body, .size = 13, .space_before = 14};
    if (l->signer && *l->signer) { /* the signature block, when the document names one */
        b[n++] = (struct pdf_text_block){.text = position ? position : "",
                                         .size = 12,
                                         .align = PDF_TEXT_CENTRE,
                                         .column = PDF_TEXT_RIGHT_HALF,
                                         .space_before = 28};
        b[n++] = (struct pdf_text_block){.text = "(Đã ký)",
                                         .size = 12,
                                         .align = PDF_TEXT_CENTRE,
                                         .column = PDF_TEXT_RIGHT_HALF,
                                         .space_before = 30};
        b[n++] = (struct pdf_text_block){.text = l->signer,
                                         .size = 13,
                                         .align = PDF_TEXT_CENTRE,
                                         .column = PDF_TEXT_RIGHT_HALF,
                                         .space_before = 30};
    }
    b[n++] = (struct pdf_text_block){
        .text = "Bản mẫu - dữ liệu demo QLVB", .size = 8, .space_before = 60};
    buf_release(out);
    result_t r = pdf_text_document(b, n, out);
    free(issuer);
    free(type);
    free(position);
    return r;
}

static result_t add_register_kind(struct app *app, const struct actor *sys, int64_t agency,
                                  const char *kind, const char *name, int64_t *id)
{
    struct doc_register_input in = {.kind = kind, .name = name, .year_mode = "yearly"};
    struct verrs e = {0};
    result_t r = doc_registers_create(app, sys, agency, &in, &e, id);
    if (r != RES_OK)
        fprintf(stderr, "demo: register %s: %s %s\n", name, result_name(r),
                e.count ? e.items[0].message : "");
    return r;
}

result_t doc_demo_actor(struct db_conn *c, const char *login, const char *code, struct actor *a)
{
    memset(a, 0, sizeof(*a));
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT u.id, u.full_name, m.id, m.agency_id, m.department_id, m.roles "
                          "FROM app_user u JOIN membership m ON m.user_id = u.id JOIN agency g ON "
                          "g.id = m.agency_id WHERE u.login = $1 AND g.code = $2",
                          "tt", login, code);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW) {
        a->user_id = db_col_i64(s, 0);
        str_copy(a->full_name, db_col_text(s, 1), sizeof(a->full_name));
        a->membership_id = db_col_i64(s, 2);
        a->agency_id = db_col_i64(s, 3);
        a->department_id = db_col_null(s, 4) ? 0 : db_col_i64(s, 4);
        a->roles = (unsigned)db_col_i64(s, 5);
        str_copy(a->login, login, sizeof(a->login));
        str_copy(a->client_addr, "cli", sizeof(a->client_addr));
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    return r;
}

static result_t demo_step(struct app *app, const struct actor *a, int64_t id, const char *action,
                          const struct doc_step_input *in)
{
    struct verrs e = {0};
    result_t r = doc_workflow_act(app, a, id, action, in, &e);
    if (r != RES_OK)
        fprintf(stderr, "demo: document #%lld %s: %s %s %s\n", (long long)id, action,
                result_name(r), e.count ? e.items[0].field : "", e.count ? e.items[0].message : "");
    return r;
}

/* Demo data only (tx_run_noaudit, tx.h): an assignment made some days ago, so its
 * deadline has passed, as the documents' receipt dates are. */
struct age_write {
    int64_t id;
    char deadline[11];
};

static result_t age_tx(struct tx *t, void *arg)
{
    struct age_write *w = arg;
    struct db_conn *c = tx_conn(t);
    result_t r =
        db_run(c, "UPDATE document SET deadline = $2 WHERE id = $1", "it", w->id, w->deadline);
    if (r == RES_OK)
        r = db_run(c,
                   "UPDATE doc_participant SET due_date = $2 WHERE document_id = $1 AND due_date "
                   "IS NOT NULL",
                   "it", w->id, w->deadline);
    return r;
}

static result_t demo_workflow(struct app *app, const int64_t *doc_ids)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    const char *code = "000.00.04.H41";
    struct actor clerk, leader, head, specialist;
    if (doc_demo_actor(c, "040090000143", code, &clerk) != RES_OK ||
        doc_demo_actor(c, "040090000142", code, &leader) != RES_OK ||
        doc_demo_actor(c, "040090000144", code, &head) != RES_OK ||
        doc_demo_actor(c, "040090000145", code, &specialist) != RES_OK)
        return RES_OK; /* a demo without these people: nothing to play */
    int64_t science = 0;
    db_one_i64(c, &science,
               "SELECT d.id FROM department d JOIN agency g ON g.id = d.agency_id WHERE g.code = "
               "$1 AND d.name = 'Phòng Quản lý khoa học'",
               "t", code);
    result_t r = RES_OK;
    for (size_t p = 0; p < sizeof(plans) / sizeof(plans[0]) && r == RES_OK; p++) {
        int64_t id = 0;
        for (size_t k = 0; k < sizeof(docs) / sizeof(docs[0]); k++)
            if (!strcmp(docs[k].to, code) && !strcmp(docs[k].number, plans[p].number) &&
                !strcmp(docs[k].symbol, plans[p].symbol))
                id = doc_ids[k];
        if (!id)
            continue;
        enum demo_plan plan = plans[p].plan;
        r = demo_step(
            app, &clerk, id, "present",
            &(struct doc_step_input){.leader_id = leader.user_id,
                                     .note = "Kính trình Giám đốc Sở cho ý kiến chỉ đạo."});
        if (r != RES_OK || plan == PLAN_PRESENTED)
            continue;
        struct doc_target unit = {.department_id = head.department_id};
        struct doc_target person = {.user_id = specialist.user_id};
        struct doc_target info = {.department_id = science};
        struct doc_step_input as = {
            .note = "Giao Phòng Công nghệ thông tin chủ trì tham mưu, báo cáo Giám đốc trước hạn.",
            .leads = plan == PLAN_COMPLETED ? &person : &unit,
            .nleads = 1,
            .for_info = science && plan == PLAN_IN_PROGRESS ? &info : NULL,
            .nfor_info = science && plan == PLAN_IN_PROGRESS ? 1 : 0,
            .has_working_days = true,
            .working_days = plan == PLAN_ASSIGNED ? 1 : 5};
        if ((r = demo_step(app, &leader, id, "assign", &as)) != RES_OK || plan == PLAN_ASSIGNED)
            continue;
        if (plan != PLAN_COMPLETED)
            r = demo_step(app, &head, id, "reassign",
                          &(struct doc_step_input){.leads = &person,
                                                   .nleads = 1,
                                                   .note = "Đồng chí Châu trực tiếp xử lý."});
        if (r == RES_OK)
            r = demo_step(app, &specialist, id, "accept", &(struct doc_step_input){0});
        if (r == RES_OK && plan != PLAN_OVERDUE)
            r = demo_step(app, &specialist, id, "comment",
                          &(struct doc_step_input){
                              .note = "Đã nghiên cứu nội dung, đang phối hợp các đơn vị liên quan "
                                      "chuẩn bị báo cáo."});
        if (r == RES_OK && plan == PLAN_COMPLETED)
            r = demo_step(app, &specialist, id, "complete",
                          &(struct doc_step_input){.note = "Đã cử 02 công chức tham gia lớp bồi "
                                                           "dưỡng; đã báo cáo Sở Nội vụ."});
        if (r == RES_OK && plan == PLAN_OVERDUE) {
            struct age_write w = {.id = id};
            calendar_format_day(calendar_day_of(clock_now()) - 2, w.deadline, sizeof(w.deadline));
            r = tx_run_noaudit(app->db, age_tx, &w);
        }
    }
    return r;
}
static result_t add_register(struct app *app, const struct actor *sys, int64_t agency,
                             const char *name, int64_t *id)
{
    return add_register_kind(app, sys, agency, "incoming", name, id);
}

static result_t demo_deliveries(struct app *app, struct actor *sys);

result_t doc_demo_seed(struct app *app)
{
    struct actor sys = {.system = true};
    str_copy(sys.login, "system", sizeof(sys.login));
    str_copy(sys.full_name, "Dữ liệu mẫu", sizeof(sys.full_name));
    str_copy(sys.client_addr, "cli", sizeof(sys.client_addr));
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct db_stmt *s = NULL;
    result_t r =
        db_query(c, &s, "SELECT id, code FROM agency WHERE $1 = $1 ORDER BY id", "i", (int64_t)0);
    if (r != RES_OK)
        return r;
    int64_t ids[64];
    char codes[64][16];
    int n = 0;
    while (n < 64 && (r = db_step(s)) == RES_ROW) {
        ids[n] = db_col_i64(s, 0);
        str_copy(codes[n], db_col_text(s, 1), sizeof(codes[n]));
        n++;
    }
    db_finalize(s);
    if (r != RES_ROW && r != RES_DONE)
        return r;
    int64_t regs[64] = {0};
    for (int i = 0; i < n; i++) {
        if ((r = add_register(app, &sys, ids[i], "Sổ văn bản đến", &regs[i])) != RES_OK)
            return r;
        int64_t unused;
        /* The province keeps a second book for documents of central bodies. */
        if (!strcmp(codes[i], "000.00.00.H41") &&
            (r = add_register(app, &sys, ids[i], "Sổ văn bản đến từ Trung ương", &unused)) !=
                RES_OK)
            return r;
    }
    int64_t now = clock_now();
    int64_t doc_ids[sizeof(docs) / sizeof(docs[0])] = {0};
    struct buf pdf = BUF_INIT(64 * 1024);
    /* In order of receipt, oldest first: arrival numbers follow receipt (ND30 Điều 22). */
    for (size_t step = 0; step < 11 * sizeof(docs) / sizeof(docs[0]); step++) {
        size_t k = step % (sizeof(docs) / sizeof(docs[0]));
        const struct demo_doc *d = &docs[k];
        if (d->days_ago != 10 - (int)(step / (sizeof(docs) / sizeof(docs[0]))))
            continue;
        int to = -1;
        char from_name[256] = "";
        for (int i = 0; i < n; i++)
            if (!strcmp(codes[i], d->to))
                to = i;
        db_query(c, &s, "SELECT name FROM agency WHERE code = $1", "t", d->from);
        if (s && db_step(s) == RES_ROW)
            str_copy(from_name, db_col_text(s, 0), sizeof(from_name));
        db_finalize(s);
        s = NULL;
        if (to < 0 || !from_name[0])
            continue;
        char issued[40], due[40], received[40], ns[80];
        /* Issued d days ago (Vietnam date), received within the last day after it. */
        clock_format_iso(now - (int64_t)d->days_ago * 86400, issued, sizeof(issued));
        issued[10] = '\0';
        int64_t at = d->days_ago
                         ? now - (int64_t)(d->days_ago - 1) * 86400 - 3600 * (int64_t)(k % 3 + 1)
                         : now - 60;
        clock_format_iso(at, received, sizeof(received));
        clock_format_iso(now + (int64_t)d->due_in * 86400, due, sizeof(due));
        due[10] = '\0';
        snprintf(ns, sizeof(ns), "%s/%s", d->number, d->symbol);
        char to_name[256] = "";
        db_query(c, &s, "SELECT name FROM agency WHERE code = $1", "t", d->to);
        if (s && db_step(s) == RES_ROW)
            str_copy(to_name, db_col_text(s, 0), sizeof(to_name));
        db_finalize(s);
        s = NULL;
        struct demo_letter letter = {.issuer = from_name,
                                     .ns = ns,
                                     .issued = issued,
                                     .type = d->type,
                                     .subject = d->subject,
                                     .signer = d->signer,
                                     .position = d->position,
                                     .to_name = to_name};
        if ((r = demo_pdf(&pdf, &letter)) != RES_OK)
            break;
        struct doc_incoming_input in = {.register_id = regs[to],
                                        .medium = "paper",
                                        .issuer_code = d->from,
                                        .issuer_name = from_name,
                                        .number = d->number,
                                        .symbol = d->symbol,
                                        .issued_date = issued,
                                        .doc_type = d->type,
                                        .subject = d->subject,
                                        .signer_name = d->signer,
                                        .signer_position = d->position,
                                        .page_count = 1,
                                        .urgency = d->urgency,
                                        .due_date = d->due_in ? due : NULL,
                                        .language = "vi",
                                        .received_at = received};
        char fname[96];
        snprintf(fname, sizeof(fname), "%s-%s.pdf", d->number, d->symbol);
        for (char *p = fname; *p; p++)
            if (*p == '/')
                *p = '-';
        struct doc_upload up = {.role = "main",
                                .file_name = fname,
                                .data = (const unsigned char *)pdf.data,
                                .len = pdf.len};
        sys.agency_id = ids[to];
        struct verrs e = {0};
        struct doc_registered out;
        r = doc_register_incoming(app, &sys, &in, &up, 1, &e, &out);
        if (r != RES_OK) {
            fprintf(stderr, "demo: document %s: %s %s %s\n", ns, result_name(r),
                    e.count ? e.items[0].field : "", e.count ? e.items[0].message : "");
            break;
        }
        doc_ids[k] = out.id;
    }
    buf_release(&pdf);
    if (r == RES_OK)
        r = demo_workflow(app, doc_ids);
    return r == RES_OK && (r = demo_deliveries(app, &sys)) == RES_OK ? doc_demo_outgoing(app) : r;
}

/* ---- deliveries inside the installation (doc_deliver.c) ---- */

/* Issuing copies of UBND tỉnh Nghệ An (direction outgoing, state issued, numbered in its
 * outgoing register, a generated PDF), as the outgoing issue will create them, each
 * delivered through doc_deliver_internal to Sở KH&CN and/or phường Trường Vinh: they
 * wait there as `arrived` for the clerk to register or refuse. */
struct demo_out {
    const char *symbol, *type, *urgency;
    const char *to[2]; /* agency codes */
    const char *signer, *position, *subject;
};

static const struct demo_out outs[] = {
    {"UBND-KGVX",
     "cong_van",
     "khan",
     {"000.00.04.H41", "000.00.30.H41"},
     "Nguyễn Văn Hùng",
     "Chủ tịch",
     "Về việc đẩy mạnh ứng dụng chữ ký số và gửi, nhận văn bản điện tử trên trục liên thông"},
    {"QĐ-UBND",
     "quyet_dinh",
     "thuong",
     {"000.00.04.H41", NULL},
     "Nguyễn Văn Hùng",
     "Chủ tịch",
     "Quyết định ban hành quy chế quản lý, vận hành hệ thống quản lý văn bản và điều hành"},
    {"UBND-VX",
     "cong_van",
     "thuong",
     {"000.00.04.H41", NULL},
     "Hoàng Nghĩa Hiếu",
     "Phó Chủ tịch",
     "Về việc hướng dẫn số hóa hồ sơ lưu trữ năm 2026 của các sở, ngành"},
};

struct demo_out_write {
    const struct actor *sys;
    const struct demo_out *d;
    struct calendar *cal;
    int64_t agency_id, register_id, now, to[2];
    const char *issuer_code, *issuer_name, *file_name, *hash;
    int64_t size;
    /* out */
    int64_t id, number;
};

static result_t demo_out_tx(struct tx *t, void *arg)
{
    struct demo_out_write *w = arg;
    struct db_conn *c = tx_conn(t);
    w->id = w->number = 0;
    int year = doc_year_of(w->now);
    result_t r = doc_number_next(c, w->register_id, year, &w->number);
    if (r != RES_OK)
        return r;
    char number[24], issued[40];
    snprintf(number, sizeof(number), "%lld", (long long)w->number);
    clock_format_iso(w->now, issued, sizeof(issued));
    issued[10] = '\0';
    char *folded = text_fold(w->d->subject);
    r = db_one_i64(
        c, &w->id,
        "INSERT INTO document (agency_id, direction, state, medium, issuer_code, issuer_name, "
        "issuer_agency_id, number, symbol, issued_date, doc_type, subject, subject_folded, "
        "signer_name, signer_position, page_count, urgency, register_id, reg_year, reg_number, "
        "created_at, updated_at) VALUES ($1, 'outgoing', 'issued', 'electronic', $2, $3, $1, $4, "
        "$5, $6, $7, $8, $9, $10, $11, 1, $12, $13, $14, $15, $16, $16) RETURNING id",
        "itttttttttt" /* $1 agency, $2..$11 texts (issuer … signer_position) */
        "iiiii",      /* urgency, register, year, number, now */
        w->agency_id, w->issuer_code, w->issuer_name, number, w->d->symbol, issued, w->d->type,
        w->d->subject, folded ? folded : "", w->d->signer, w->d->position,
        (int64_t)doc_urgency_parse(w->d->urgency), w->register_id, (int64_t)year, w->number,
        w->now);
    free(folded);
    if (r != RES_OK)
        return r;
    if ((r = blob_ref(c, w->hash, w->size)) != RES_OK)
        return r;
    r = db_run(c,
               "INSERT INTO doc_file (document_id, role, seq, version, file_name, content_type, "
               "format, size, blob_hash, created_at) VALUES ($1, 'main', 0, 1, $2, "
               "'application/pdf', 'pdf', $3, $4, $5)",
               "ititi", w->id, w->file_name, w->size, w->hash, w->now);
    if (r != RES_OK)
        return r;
    char comment[200];
    snprintf(comment, sizeof(comment), "Ban hành số %s/%s (dữ liệu mẫu)", number, w->d->symbol);
    if ((r = doc_history_add(c, w->id, w->sys, "issued", "signed", "issued", comment, w->now)) !=
        RES_OK)
        return r;
    for (int i = 0; i < 2 && w->to[i]; i++) {
        int64_t copy;
        if ((r = doc_deliver_internal(t, w->cal, w->sys, w->id, w->to[i], w->now, &copy)) != RES_OK)
            return r;
    }
    return RES_OK;
}

static result_t demo_deliveries(struct app *app, struct actor *sys)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    const char *province = "000.00.00.H41";
    int64_t agency = 0;
    char name[256] = "";
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s, "SELECT id, name FROM agency WHERE code = $1", "t", province);
    if (r != RES_OK)
        return r;
    if (db_step(s) == RES_ROW) {
        agency = db_col_i64(s, 0);
        str_copy(name, db_col_text(s, 1), sizeof(name));
    }
    db_finalize(s);
    if (!agency || !app->blobs)
        return RES_OK; /* not the demo province, or no file storage: nothing to deliver */
    int64_t reg = 0;
    if ((r = add_register_kind(app, sys, agency, "outgoing", "Sổ văn bản đi", &reg)) != RES_OK)
        return r;
    struct calendar *cal = NULL;
    if ((r = doc_calendar_load(app, &cal)) != RES_OK)
        return r;
    struct buf pdf = BUF_INIT(64 * 1024);
    int64_t now = clock_now();
    for (size_t k = 0; r == RES_OK && k < sizeof(outs) / sizeof(outs[0]); k++) {
        const struct demo_out *d = &outs[k];
        struct demo_out_write w = {.sys = sys,
                                   .d = d,
                                   .cal = cal,
                                   .agency_id = agency,
                                   .register_id = reg,
                                   .now = now - 600 + (int64_t)k * 60,
                                   .issuer_code = province,
                                   .issuer_name = name};
        for (int i = 0; i < 2 && d->to[i]; i++) {
            db_one_i64(c, &w.to[i], "SELECT id FROM agency WHERE code = $1", "t", d->to[i]);
            if (!w.to[i])
                r = RES_INTERNAL;
        }
        char ns[80], fname[96], hash[BLOB_HASH_LEN + 1];
        snprintf(ns, sizeof(ns), "%zu/%s", k + 1, d->symbol); /* a new register: 1, 2, … */
        char issued[40], to_name[256] = "";
        clock_format_iso(w.now, issued, sizeof(issued));
        issued[10] = '\0';
        struct db_stmt *q = NULL;
        if (r == RES_OK &&
            db_query(c, &q, "SELECT name FROM agency WHERE code = $1", "t", d->to[0]) == RES_OK &&
            db_step(q) == RES_ROW)
            str_copy(to_name, db_col_text(q, 0), sizeof(to_name));
        db_finalize(q);
        struct demo_letter letter = {.issuer = name,
                                     .ns = ns,
                                     .issued = issued,
                                     .type = d->type,
                                     .subject = d->subject,
                                     .signer = d->signer,
                                     .position = d->position,
                                     .to_name = d->to[1] ? "Các sở, ngành, địa phương" : to_name};
        if (r == RES_OK)
            r = demo_pdf(&pdf, &letter);
        if (r == RES_OK)
            r = blob_put(app->blobs, pdf.data, pdf.len, hash);
        snprintf(fname, sizeof(fname), "%s.pdf", d->symbol);
        w.file_name = fname;
        w.hash = hash;
        w.size = (int64_t)pdf.len;
        sys->agency_id = agency;
        if (r == RES_OK)
            r = tx_run(app->db, demo_out_tx, &w);
        if (r != RES_OK)
            fprintf(stderr, "demo: delivery %s: %s\n", d->symbol, result_name(r));
    }
    buf_release(&pdf);
    free(cal);
    return r;
}
