/* Fills one agency (Sở KH&CN of the demo, 000.00.04.H41) with N incoming documents for
 * bench/docs.sh: ten years of letters received in order, Vietnamese subjects from a
 * vocabulary, a mix of urgency and states, the leader's row on every presented document,
 * lead / co-handler / for-information rows spread over ~150 people (the demo specialist
 * among them) and the units, processing deadlines, and the search words, all written
 * directly with SQL in transactions of 5000 documents (not through the API: the point
 * is the read side at scale). Not a test.
 *
 * Then M outgoing documents of the same agency over the same ten years (--outgoing M):
 * drafted by one of the ~150 people, signed by the leader, most issued with a number of
 * the outgoing register, each to 1-6 other agencies of the installation (a receiver's
 * incoming copy per agency, source_document_id = the issued one, in a state that depends
 * on its age: arrived, refused with a reason, registered, presented, assigned, in
 * progress, completed, a few recalled), sometimes to an external agency (an outbox row,
 * sent, failed or waiting) or to a unit of the agency (for information), with the
 * history rows the sender's tracking reads (received, refused, recall_agreed; drafted,
 * issued, delivered, refused_by_recipient).
 *
 *   docs_gen --db URL --count N [--outgoing M] [--seed S]
 *
 * N may be 0 to add outgoing documents to a database filled before (the ~150 people are
 * found by their logins). The demo data must be there (qlvb init --demo). Extra people
 * get the demo password. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "db/db.h"
#include "doc/doc.h"
#include "text/text.h"
#include "util/clock.h"
#include "util/str.h"

static unsigned long long rng = 88172645463325252ULL, rng_seed;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}
#define PICK(a) (a)[rnd(sizeof(a) / sizeof((a)[0]))]

static const char *const kinds[][3] = {
    /* doc_type, symbol, subject opening */
    {"cong_van", "UBND-VP", "Về việc"},      {"cong_van", "SNV-CCVC", "Về việc"},
    {"cong_van", "STC-QLNS", "Về việc"},     {"quyet_dinh", "QĐ-UBND", "Quyết định"},
    {"ke_hoach", "KH-UBND", "Kế hoạch"},     {"bao_cao", "BC-STC", "Báo cáo"},
    {"thong_bao", "TB-VP", "Thông báo"},     {"to_trinh", "TTr-SKHĐT", "Tờ trình"},
    {"giay_moi", "GM-UBND", "Giấy mời họp"}, {"cong_van", "STTTT-CĐS", "Về việc"},
};
static const char *const actions[] = {
    "triển khai",         "phê duyệt", "tổ chức",    "kiểm tra",      "góp ý",
    "hướng dẫn",          "đề nghị",   "tăng cường", "thực hiện",     "sơ kết",
    "tổng kết",           "rà soát",   "đánh giá",   "bổ sung",       "điều chỉnh",
    "ban hành",           "cử cán bộ", "phân bổ",    "giao chỉ tiêu", "đôn đốc",
    "cung cấp thông tin", "xây dựng",  "quản lý",    "chấn chỉnh",
};
static const char *const objects[] = {
    "công tác cải cách hành chính",
    "chuyển đổi số",
    "phòng chống thiên tai",
    "quản lý tài sản công",
    "kế hoạch đầu tư công",
    "bồi dưỡng công chức",
    "an toàn thông tin mạng",
    "nhiệm vụ khoa học và công nghệ",
    "sở hữu trí tuệ",
    "tiêu chuẩn đo lường chất lượng",
    "dịch vụ công trực tuyến",
    "phòng cháy chữa cháy",
    "giải ngân vốn đầu tư",
    "thi đua khen thưởng",
    "đề án sắp xếp tổ chức bộ máy",
    "hệ thống quản lý văn bản và điều hành",
    "chương trình mục tiêu quốc gia",
    "ứng dụng công nghệ thông tin",
    "đổi mới sáng tạo",
    "chính quyền điện tử",
    "an toàn bức xạ hạt nhân",
    "thực hành tiết kiệm chống lãng phí",
    "quy chế dân chủ ở cơ sở",
    "phát triển doanh nghiệp khoa học",
    "kiểm định phương tiện đo",
    "năng suất chất lượng sản phẩm hàng hóa",
};
static const char *const places[] = {
    "tỉnh Đắk Lắk",      "huyện Krông Pắc",    "thành phố Buôn Ma Thuột",
    "xã Ea Kar",         "phường Trường Vinh", "huyện Cư M'gar",
    "thị xã Buôn Hồ",    "huyện Lắk",          "huyện M'Đrắk",
    "phường Thành Vinh", "xã Hòa Thắng",       "trên địa bàn tỉnh",
};
static const char *const times[] = {
    "năm %d",         "quý I năm %d",      "quý III năm %d", "6 tháng đầu năm %d",
    "9 tháng năm %d", "giai đoạn %d-2030", "tháng 10 năm %d"};
static const char *const issuers[][2] = {
    {"000.00.00.H41", "Ủy ban nhân dân tỉnh"},
    {"000.00.01.H41", "Văn phòng UBND tỉnh"},
    {"000.00.02.H41", "Sở Nội vụ"},
    {"000.00.03.H41", "Sở Tài chính"},
    {"000.00.05.H41", "Sở Kế hoạch và Đầu tư"},
    {"000.00.06.H41", "Sở Thông tin và Truyền thông"},
    {"000.00.07.H41", "Sở Công Thương"},
    {"000.00.30.H41", "UBND phường Trường Vinh"},
    {"G01", "Bộ Khoa học và Công nghệ"},
    {"G02", "Bộ Nội vụ"},
};

static int64_t one(struct db_conn *c, const char *sql, const char *types, const char *arg)
{
    int64_t v = 0;
    if (db_one_i64(c, &v, sql, types, arg) != RES_OK) {
        fprintf(stderr, "docs_gen: %s failed\n", sql);
        exit(1);
    }
    return v;
}

static void must(result_t r, const char *what)
{
    if (r != RES_OK) {
        fprintf(stderr, "docs_gen: %s: %s\n", what, result_name(r));
        exit(1);
    }
}

/* ---- outgoing documents and the receivers' copies (--outgoing) ---- */

static const char *const out_kinds[][3] = {
    {"cong_van", "SKHCN-VP", "Về việc"},      {"cong_van", "SKHCN-QLKH", "Về việc"},
    {"ke_hoach", "KH-SKHCN", "Kế hoạch"},     {"bao_cao", "BC-SKHCN", "Báo cáo"},
    {"quyet_dinh", "QĐ-SKHCN", "Quyết định"}, {"thong_bao", "TB-SKHCN", "Thông báo"},
    {"to_trinh", "TTr-SKHCN", "Tờ trình"},    {"giay_moi", "GM-SKHCN", "Giấy mời họp"},
};
static const char *const externals[][2] = {
    {"G01", "Bộ Khoa học và Công nghệ"},
    {"G02", "Bộ Nội vụ"},
    {"G03", "Bộ Thông tin và Truyền thông"},
    {"000.00.00.H40", "Ủy ban nhân dân tỉnh Hà Tĩnh"},
};
static const char *const refusals[] = {
    "Văn bản không thuộc thẩm quyền giải quyết của cơ quan",
    "Thiếu phụ lục kèm theo văn bản",
    "Gửi nhầm nơi nhận",
    "Tệp văn bản không mở được, đề nghị gửi lại",
};

/* The next number of a register in a Vietnam year: after what the register holds. */
struct counter {
    int64_t reg;
    int year;
    int64_t last;
};

static int64_t next_number(struct db_conn *c, struct counter *k, int year)
{
    if (k->year != year) {
        k->year = year;
        must(db_one_i64(c, &k->last,
                        "SELECT COALESCE(MAX(reg_number), 0) FROM document WHERE register_id = $1 "
                        "AND reg_year = $2",
                        "ii", k->reg, (int64_t)year),
             "number");
    }
    return ++k->last;
}

static void words_of(struct db_conn *c, int64_t id, int64_t agency, const char *num,
                     const char *symbol, const char *subject, int64_t urgency, int64_t at)
{
    static char words[256][33];
    char all[512];
    snprintf(all, sizeof(all), "%s %s %s", num, symbol, subject);
    int nw = doc_search_words(all, words, 256);
    for (int w = 0; w < nw; w++)
        must(db_run(c,
                    "INSERT INTO doc_search_token (document_id, token, agency_id, urgency, "
                    "received_at) VALUES ($1, $2, $3, $4, $5)",
                    "itiii", id, words[w], agency, urgency, at),
             "token");
}

static void history(struct db_conn *c, int64_t doc, int step, int64_t actor, const char *action,
                    const char *from, const char *to, const char *comment, int64_t at)
{
    must(db_run(c,
                "INSERT INTO doc_history (document_id, step, actor_id, actor_name, action, "
                "from_state, to_state, comment, at) VALUES ($1, $2, $3, '', $4, $5, $6, $7, $8)",
                "iiItttti", doc, (int64_t)step, actor, action, from, to, comment, at),
         "history");
}

/* The state of a receiver's copy by the age of the issued document. */
static const char *copy_state(int64_t age)
{
    unsigned st = rnd(100);
    if (age > 60 * 86400)
        return st < 80   ? "completed"
               : st < 85 ? "refused"
               : st < 90 ? "in_progress"
               : st < 93 ? "assigned"
               : st < 96 ? "registered"
               : st < 98 ? "presented"
               : st < 99 ? "arrived"
                         : "recalled";
    return st < 20   ? "arrived"
           : st < 25 ? "refused"
           : st < 40 ? "registered"
           : st < 55 ? "presented"
           : st < 65 ? "assigned"
           : st < 85 ? "in_progress"
           : st < 99 ? "completed"
                     : "recalled";
}

static void gen_outgoing(struct db_conn *c, int64_t agency, long count, int64_t now, int64_t leader,
                         int64_t clerk, const int64_t *people, const int64_t *pdept, int npeople,
                         const int64_t *depts, int ndept)
{
    /* its own stream: the same documents whether or not the incoming ones come first */
    rng = rng_seed ^ 0x5851F42D4C957F2DULL;
    enum { AGENCIES = 16 };
    int64_t ag[AGENCIES];
    char ag_name[AGENCIES][256];
    struct counter ag_reg[AGENCIES];
    int nag = 0;
    struct db_stmt *s = NULL;
    must(db_query(c, &s,
                  "SELECT a.id, a.name, (SELECT MIN(r.id) FROM doc_register r WHERE r.agency_id "
                  "= a.id AND r.kind = 'incoming') FROM agency a WHERE a.id <> $1 ORDER BY a.id",
                  "i", agency),
         "agencies");
    while (db_step(s) == RES_ROW && nag < AGENCIES) {
        if (db_col_null(s, 2))
            continue;
        ag[nag] = db_col_i64(s, 0);
        str_copy(ag_name[nag], db_col_text(s, 1), sizeof(ag_name[nag]));
        ag_reg[nag] = (struct counter){.reg = db_col_i64(s, 2)};
        nag++;
    }
    db_finalize(s);
    struct counter out_reg = {0};
    must(db_one_i64(c, &out_reg.reg,
                    "SELECT MIN(id) FROM doc_register WHERE agency_id = $1 AND kind = 'outgoing'",
                    "i", agency),
         "outgoing register");
    char code[64] = "", name[256] = "";
    must(db_query(c, &s, "SELECT code, name FROM agency WHERE id = $1", "i", agency), "agency");
    if (db_step(s) == RES_ROW) {
        str_copy(code, db_col_text(s, 0), sizeof(code));
        str_copy(name, db_col_text(s, 1), sizeof(name));
    }
    db_finalize(s);
    if (!nag || !out_reg.reg) {
        fprintf(stderr, "docs_gen: no other agency or no outgoing register (qlvb init --demo)\n");
        exit(1);
    }
    char *name_folded = text_fold(name);
    int64_t span = 10LL * 365 * 86400, start = now - span - 7200;
    long copies = 0;
    time_t t0 = time(NULL);
    for (long i = 0; i < count; i++) {
        if (i % 2000 == 0) {
            if (i)
                must(db_commit(c), "commit");
            must(db_begin(c), "begin");
            if (i % 20000 == 0 && i)
                fprintf(stderr, "docs_gen: %ld outgoing, %ld copies (%lds)\n", i, copies,
                        (long)(time(NULL) - t0));
        }
        int64_t at = start + (int64_t)((double)span * (double)i / (double)count) + rnd(60);
        int64_t age = now - at;
        int y = doc_year_of(at);
        unsigned st = rnd(100);
        const char *state = age > 30 * 86400 ? "issued"
                            : st < 12        ? "draft"
                            : st < 17        ? "reviewing"
                            : st < 20        ? "approved"
                                             : "issued";
        bool issued = !strcmp(state, "issued");
        int p = (int)rnd((unsigned)npeople);
        const char *const *k = out_kinds[rnd(sizeof(out_kinds) / sizeof(out_kinds[0]))];
        char subject[400], when[48], num[24] = "", issued_date[16] = "";
        snprintf(when, sizeof(when), PICK(times), y);
        snprintf(subject, sizeof(subject), "%s %s %s %s %s", k[2], PICK(actions), PICK(objects),
                 PICK(places), when);
        unsigned u = rnd(100);
        int64_t urgency = u < 85 ? 0 : u < 95 ? 1 : u < 99 ? 2 : 3;
        int64_t number = 0;
        if (issued) {
            number = next_number(c, &out_reg, y);
            snprintf(num, sizeof(num), "%lld", (long long)number);
            calendar_format_day((at + 7 * 3600) / 86400, issued_date, sizeof(issued_date));
        }
        /* the recipients: other agencies of the installation, sometimes an external one
         * and a unit of the agency */
        int order[AGENCIES];
        for (int a = 0; a < nag; a++)
            order[a] = a;
        for (int a = nag - 1; a > 0; a--) {
            int b = (int)rnd((unsigned)(a + 1)), t = order[a];
            order[a] = order[b];
            order[b] = t;
        }
        int nin = 1 + (int)rnd(6);
        if (nin > nag)
            nin = nag;
        int ext = rnd(100) < 15 ? (int)rnd(sizeof(externals) / sizeof(externals[0])) : -1;
        int64_t unit = rnd(100) < 20 ? depts[rnd((unsigned)ndept)] : 0;
        char rjson[2048] = "[";
        for (int a = 0; a < nin; a++)
            snprintf(rjson + strlen(rjson), sizeof(rjson) - strlen(rjson), "%s\"%s\"",
                     a ? ", " : "", ag_name[order[a]]);
        if (ext >= 0)
            snprintf(rjson + strlen(rjson), sizeof(rjson) - strlen(rjson), ", \"%s\"",
                     externals[ext][1]);
        snprintf(rjson + strlen(rjson), sizeof(rjson) - strlen(rjson), "]");
        char *sf = text_fold(subject);
        int64_t id = 0, created = at - 3 * 86400 + rnd(86400);
        must(db_one_i64(c, &id,
                        "INSERT INTO document (agency_id, direction, state, medium, issuer_code, "
                        "issuer_name, issuer_agency_id, number, symbol, issued_date, doc_type, "
                        "subject, subject_folded, urgency, recipients, signer_id, "
                        "drafting_department_id, register_id, reg_year, reg_number, created_by, "
                        "created_at, updated_at, issued_at, issuer_folded) VALUES ($1, "
                        "'outgoing', $2, 'electronic', $3, $4, $1, $5, $6, $7, $8, $9, $10, $11, "
                        "$12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING id",
                        "itttttttttitiIIIIiiiIt", agency, state, code, name, num, k[1],
                        issued ? issued_date : NULL, k[0], subject, sf, urgency, rjson, leader,
                        pdept[p], issued ? out_reg.reg : 0, issued ? (int64_t)y : 0, number,
                        people[p], created, issued ? at : created, issued ? at : 0,
                        name_folded ? name_folded : ""),
             "outgoing document");
        free(sf);
        words_of(c, id, agency, num, k[1], subject, urgency, 0);
        bool draft = !strcmp(state, "draft"), reviewing = !strcmp(state, "reviewing");
        /* the drafter's row (in force while a draft), the signer's (in force while it is
         * reviewed or approved) */
        must(db_run(c,
                    "INSERT INTO doc_participant (document_id, history_step, role, user_id, "
                    "department_id, status, active, created_at, done_at) VALUES ($1, 1, "
                    "'drafter', $2, $3, $4, $5, $6, $7)",
                    "iiItiiI", id, people[p], pdept[p], draft ? "pending" : "done",
                    (int64_t)(draft ? 1 : 0), created, draft ? 0 : created + 3600),
             "drafter row");
        if (!draft)
            must(db_run(c,
                        "INSERT INTO doc_participant (document_id, history_step, role, user_id, "
                        "status, active, seq, created_at, done_at) VALUES ($1, 2, 'signer', $2, "
                        "$3, $4, 1, $5, $6)",
                        "iitiiI", id, leader, issued ? "done" : "pending",
                        (int64_t)(issued ? 0 : 1), created + 3600, issued ? at - 600 : 0),
                 "signer row");
        int step = 1;
        history(c, id, step++, people[p], "drafted", "", "draft", "", created);
        if (!draft)
            history(c, id, step++, people[p], "submitted", "draft", "reviewing", "",
                    created + 3600);
        if (!draft && !reviewing)
            history(c, id, step++, leader, "approved", "reviewing", "approved", "", at - 1800);
        int seq = 1;
        for (int a = 0; a < nin; a++)
            must(db_run(c,
                        "INSERT INTO doc_recipient (document_id, seq, kind, agency_id, name) "
                        "VALUES ($1, $2, 'agency', $3, $4)",
                        "iiit", id, (int64_t)seq++, ag[order[a]], ag_name[order[a]]),
                 "recipient");
        int64_t ext_rc = 0;
        if (ext >= 0)
            must(db_one_i64(c, &ext_rc,
                            "INSERT INTO doc_recipient (document_id, seq, kind, agency_code, name) "
                            "VALUES ($1, $2, 'external', $3, $4) RETURNING id",
                            "iitt", id, (int64_t)seq++, externals[ext][0], externals[ext][1]),
                 "external recipient");
        if (unit)
            must(db_run(c,
                        "INSERT INTO doc_recipient (document_id, seq, kind, department_id, name) "
                        "VALUES ($1, $2, 'department', $3, 'Đơn vị trong cơ quan')",
                        "iii", id, (int64_t)seq++, unit),
                 "unit recipient");
        if (!issued)
            continue;
        history(c, id, step++, leader, "signed", "approved", "signed", "", at - 600);
        history(c, id, step++, clerk, "issued", "signed", "issued", "", at);
        if (unit)
            must(db_run(c,
                        "INSERT INTO doc_participant (document_id, history_step, role, "
                        "department_id, assigned_by, status, active, created_at) VALUES ($1, $2, "
                        "'for_info', $3, $4, 'pending', 1, $5)",
                        "iiiii", id, (int64_t)(step - 1), unit, clerk, at),
                 "unit for information");
        if (ext_rc) {
            const char *ob = age < 86400 ? "waiting" : rnd(100) < 95 ? "sent" : "failed";
            must(db_run(c,
                        "INSERT INTO doc_outbox (document_id, recipient_id, agency_code, urgency, "
                        "status, attempts, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
                        "$6, $7, $7)",
                        "iititii", id, ext_rc, externals[ext][0], urgency, ob,
                        (int64_t)(strcmp(ob, "waiting") ? 1 : 0), at),
                 "outbox");
        }
        /* the receivers' copies */
        for (int a = 0; a < nin; a++) {
            int x = order[a];
            const char *cs = copy_state(age);
            bool unregistered =
                !strcmp(cs, "arrived") || !strcmp(cs, "refused") || !strcmp(cs, "recalled");
            int64_t recv = at + 60 + rnd(3600), cn = 0;
            int cy = doc_year_of(recv);
            if (!unregistered)
                cn = next_number(c, &ag_reg[x], cy);
            bool done = !strcmp(cs, "completed");
            int64_t copy = 0;
            must(db_one_i64(c, &copy,
                            "INSERT INTO document (agency_id, direction, state, medium, "
                            "issuer_code, issuer_name, issuer_agency_id, number, symbol, "
                            "issued_date, doc_type, subject, subject_folded, urgency, "
                            "recipients, register_id, reg_year, reg_number, received_at, "
                            "arrived_at, source_document_id, created_at, updated_at, "
                            "completed_at, issuer_folded) SELECT $1, 'incoming', $2, "
                            "'electronic', issuer_code, issuer_name, agency_id, number, symbol, "
                            "issued_date, doc_type, subject, subject_folded, urgency, recipients, "
                            "$3, $4, $5, $6, $6, id, $6, $6, $7, issuer_folded FROM document "
                            "WHERE id = $8 RETURNING id",
                            "itIIIiIi", ag[x], cs, unregistered ? 0 : ag_reg[x].reg,
                            unregistered ? 0 : (int64_t)cy, cn, recv,
                            done ? recv + 86400 * (1 + (int64_t)rnd(20)) : 0, id),
                 "copy");
            words_of(c, copy, ag[x], num, k[1], subject, urgency, recv);
            char comment[600];
            snprintf(comment, sizeof(comment), "Nhận qua hệ thống từ %s (văn bản số %s/%s)", name,
                     num, k[1]);
            history(c, copy, 1, clerk, "received", "", "arrived", comment, recv);
            snprintf(comment, sizeof(comment), "Đã gửi đến %s (văn bản đến #%lld)", ag_name[x],
                     (long long)copy);
            history(c, id, step++, clerk, "delivered", "issued", "issued", comment, at);
            if (!strcmp(cs, "refused")) {
                const char *why = PICK(refusals);
                history(c, copy, 2, 0, "refused", "arrived", "refused", why, recv + 3600);
                history(c, id, step++, 0, "refused_by_recipient", "issued", "issued", why,
                        recv + 3600);
            } else if (!strcmp(cs, "recalled")) {
                history(c, copy, 2, 0, "recall_agreed", "arrived", "recalled", "", recv + 7200);
            }
            copies++;
        }
    }
    must(db_commit(c), "commit");
    free(name_folded);
    /* the counters follow the numbers written */
    must(db_run(c,
                "INSERT INTO doc_counter (register_id, year, next_number) SELECT register_id, "
                "reg_year, MAX(reg_number) + 1 FROM document WHERE agency_id = $1 AND direction = "
                "'outgoing' AND register_id IS NOT NULL GROUP BY register_id, reg_year ON "
                "CONFLICT (register_id, year) DO UPDATE SET next_number = excluded.next_number",
                "i", agency),
         "outgoing counters");
    for (int a = 0; a < nag; a++)
        must(db_run(c,
                    "INSERT INTO doc_counter (register_id, year, next_number) SELECT "
                    "register_id, reg_year, MAX(reg_number) + 1 FROM document WHERE register_id "
                    "= $1 GROUP BY register_id, reg_year ON CONFLICT (register_id, year) DO "
                    "UPDATE SET next_number = excluded.next_number",
                    "i", ag_reg[a].reg),
             "copy counters");
    fprintf(stderr, "docs_gen: %ld outgoing documents, %ld copies in %lds\n", count, copies,
            (long)(time(NULL) - t0));
}

int main(int argc, char **argv)
{
    const char *url = NULL;
    long count = -1, outgoing = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--db"))
            url = argv[i + 1];
        else if (!strcmp(argv[i], "--count") || !strcmp(argv[i], "--outgoing")) {
            char *end = NULL;
            errno = 0;
            long v = strtol(argv[i + 1], &end, 10);
            if (errno || end == argv[i + 1] || *end || v < 0 || v > 100000000L)
                v = -1; /* refused below */
            *(!strcmp(argv[i], "--count") ? &count : &outgoing) = v;
        } else if (!strcmp(argv[i], "--seed"))
            rng ^= strtoull(argv[i + 1], NULL, 10) * 2654435761ULL;
    }
    rng_seed = rng;
    if (!url || count < 0 || outgoing < 0 || count + outgoing < 1) {
        fprintf(stderr, "usage: docs_gen --db URL --count N [--outgoing M] [--seed S]\n");
        return 2;
    }
    struct db *db = NULL;
    must(db_open(url, &db), "open");
    struct db_conn *c = db_conn(db);
    if (!strcmp(db_engine(db), "sqlite"))
        db_exec(c, "PRAGMA cache_size = -1000000"); /* 1 GB of pages while loading */
    int64_t agency = one(c, "SELECT id FROM agency WHERE code = $1", "t", "000.00.04.H41");
    int64_t reg = 0;
    must(db_one_i64(c, &reg,
                    "SELECT MIN(id) FROM doc_register WHERE agency_id = $1 AND kind = 'incoming'",
                    "i", agency),
         "register");
    int64_t leader = one(c, "SELECT id FROM app_user WHERE login = $1", "t", "040090000142");
    int64_t clerk = one(c, "SELECT id FROM app_user WHERE login = $1", "t", "040090000143");
    int64_t spec = one(c, "SELECT id FROM app_user WHERE login = $1", "t", "040090000145");
    int64_t depts[16];
    int ndept = 0;
    struct db_stmt *s = NULL;
    must(db_query(c, &s, "SELECT id FROM department WHERE agency_id = $1 ORDER BY id", "i", agency),
         "departments");
    while (db_step(s) == RES_ROW && ndept < 16)
        depts[ndept++] = db_col_i64(s, 0);
    db_finalize(s);
    if (!ndept) {
        fprintf(stderr, "docs_gen: the agency has no departments (qlvb init --demo)\n");
        return 1;
    }
    /* ~150 people: the demo specialist and 149 more, each in a unit. */
    enum { PEOPLE = 150 };
    int64_t people[PEOPLE], pdept[PEOPLE];
    people[0] = spec;
    must(db_one_i64(c, &pdept[0],
                    "SELECT COALESCE(department_id, 0) FROM membership WHERE user_id = $1", "i",
                    spec),
         "department of the specialist");
    int64_t now = clock_now();
    int found = 0; /* the people of an earlier run */
    must(db_query(c, &s,
                  "SELECT u.id, COALESCE(m.department_id, 0) FROM app_user u JOIN membership m ON "
                  "m.user_id = u.id AND m.agency_id = $1 WHERE u.login LIKE '0400999%' ORDER BY "
                  "u.login",
                  "i", agency),
         "people");
    while (db_step(s) == RES_ROW && found + 1 < PEOPLE) {
        found++;
        people[found] = db_col_i64(s, 0);
        pdept[found] = db_col_i64(s, 1);
    }
    db_finalize(s);
    must(db_begin(c), "begin");
    for (int i = found ? PEOPLE : 1; i < PEOPLE; i++) {
        char login[16], name[64];
        snprintf(login, sizeof(login), "0400999%05d", i);
        snprintf(name, sizeof(name), "Chuyên viên %d", i);
        char *folded = text_fold(name);
        must(db_one_i64(c, &people[i],
                        "INSERT INTO app_user (login, full_name, full_name_folded, password_hash, "
                        "must_change_password, home_agency_id, created_at, updated_at) SELECT $1, "
                        "$2, $3, password_hash, 0, $4, $5, $5 FROM app_user WHERE id = $6 "
                        "RETURNING id",
                        "tttiii", login, name, folded, agency, now, spec),
             "user");
        free(folded);
        pdept[i] = depts[rnd((unsigned)ndept)];
        must(db_run(c,
                    "INSERT INTO membership (user_id, agency_id, department_id, roles, active, "
                    "created_at) VALUES ($1, $2, $3, 16, 1, $4)",
                    "iiii", people[i], agency, pdept[i], now),
             "membership");
    }
    must(db_commit(c), "commit");

    /* Ten years, in order of receipt; numbers per Vietnam year after what exists. */
    int64_t span = 10LL * 365 * 86400, start = now - span - 3600;
    int year = 0;
    int64_t number = 0;
    time_t t0 = time(NULL);
    static char words[256][33];
    for (long i = 0; i < count; i++) {
        if (i % 5000 == 0) {
            if (i)
                must(db_commit(c), "commit");
            must(db_begin(c), "begin");
            if (i % 100000 == 0 && i)
                fprintf(stderr, "docs_gen: %ld documents (%lds)\n", i, (long)(time(NULL) - t0));
        }
        int64_t at = start + (int64_t)((double)span * (double)i / (double)count) + rnd(60);
        int y = doc_year_of(at);
        if (y != year) {
            year = y;
            char sy[8];
            snprintf(sy, sizeof(sy), "%d", y);
            must(db_one_i64(c, &number,
                            "SELECT COALESCE(MAX(reg_number), 0) FROM document WHERE register_id "
                            "= $1 AND reg_year = $2",
                            "ii", reg, (int64_t)y),
                 "number");
        }
        number++;
        const char *const *k = kinds[rnd(sizeof(kinds) / sizeof(kinds[0]))];
        char subject[400], when[48], num[16], ref[64] = "";
        snprintf(when, sizeof(when), PICK(times), y - (int)rnd(2));
        if (rnd(10) < 3)
            snprintf(ref, sizeof(ref), " theo Công văn số %u/%s", 1 + rnd(3000), PICK(kinds)[1]);
        snprintf(subject, sizeof(subject), "%s %s %s %s %s%s", k[2], PICK(actions), PICK(objects),
                 PICK(places), when, ref);
        snprintf(num, sizeof(num), "%u", 1 + rnd(5000));
        const char *const *iss = issuers[rnd(sizeof(issuers) / sizeof(issuers[0]))];
        unsigned u = rnd(100);
        int urgency = u < 85 ? 0 : u < 95 ? 1 : u < 99 ? 2 : 3;
        int64_t age = now - at;
        const char *state;
        unsigned st = rnd(100);
        if (age > 60 * 86400)
            state = st < 97 ? "completed" : st < 99 ? "in_progress" : "presented";
        else
            state = st < 10   ? "registered"
                    : st < 25 ? "presented"
                    : st < 70 ? "in_progress"
                              : "completed";
        char deadline[16] = "", issued[16];
        int64_t day = (at + 7 * 3600) / 86400;
        bool assigned = !strcmp(state, "in_progress") || !strcmp(state, "completed");
        if (assigned)
            calendar_format_day(day + 10 + rnd(10), deadline, sizeof(deadline));
        calendar_format_day(day - 1 - rnd(5), issued, sizeof(issued));
        int64_t done_at = at + 86400 * (1 + (int64_t)rnd(25));
        bool completed = !strcmp(state, "completed");
        char *sf = text_fold(subject), *isf = text_fold(iss[1]);
        int64_t id = 0;
        must(db_one_i64(c, &id,
                        "INSERT INTO document (agency_id, direction, state, medium, issuer_code, "
                        "issuer_name, number, symbol, issued_date, doc_type, subject, "
                        "subject_folded, urgency, register_id, reg_year, reg_number, received_at, "
                        "created_by, created_at, updated_at, deadline, completed_at, "
                        "issuer_folded) VALUES ($1, 'incoming', $2, 'electronic', $3, $4, $5, $6, "
                        "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $15, $15, $17, $18, $19) "
                        "RETURNING id",
                        "itttttttttiiiiiitIt", agency, state, iss[0], iss[1], num, k[1], issued,
                        k[0], subject, sf, (int64_t)urgency, reg, (int64_t)y, number, at, clerk,
                        deadline[0] ? deadline : NULL, completed ? done_at : 0, isf),
             "document");
        free(sf);
        free(isf);
        char all[512];
        snprintf(all, sizeof(all), "%s %s %s", num, k[1], subject);
        int nw = doc_search_words(all, words, 256);
        for (int w = 0; w < nw; w++)
            must(db_run(c,
                        "INSERT INTO doc_search_token (document_id, token, agency_id, urgency, "
                        "received_at) VALUES ($1, $2, $3, $4, $5)",
                        "itiii", id, words[w], agency, (int64_t)urgency, at),
                 "token");
        if (!strcmp(state, "registered"))
            continue;
        /* presented to the leader */
        bool presented = !strcmp(state, "presented");
        must(
            db_run(c,
                   "INSERT INTO doc_participant (document_id, history_step, role, user_id, status, "
                   "active, created_at, done_at) VALUES ($1, 2, 'leader', $2, $3, $4, $5, $6)",
                   "iitiiI", id, leader, presented ? "pending" : "done",
                   (int64_t)(presented ? 1 : 0), at + 600, presented ? 0 : at + 3600),
            "leader row");
        if (!assigned)
            continue;
        /* the lead: a person (the specialist about 1 in 100), or a unit 1 in 10 */
        int p = rnd(10) == 0 ? -1 : (int)rnd(PEOPLE);
        const char *status = completed ? "done" : rnd(10) < 3 ? "pending" : "in_progress";
        must(db_run(c,
                    "INSERT INTO doc_participant (document_id, history_step, role, user_id, "
                    "department_id, status, active, due_date, created_at, done_at) VALUES ($1, "
                    "3, 'lead', $2, $3, $4, $5, $6, $7, $8)",
                    "iIititiI", id, p < 0 ? 0 : people[p],
                    p < 0 ? depts[rnd((unsigned)ndept)] : pdept[p], status,
                    (int64_t)(completed ? 0 : 1), deadline, at + 3600, completed ? done_at : 0),
             "lead row");
        if (rnd(10) < 3) {
            int q = (int)rnd(PEOPLE);
            must(db_run(c,
                        "INSERT INTO doc_participant (document_id, history_step, role, user_id, "
                        "department_id, status, active, created_at, done_at) VALUES ($1, 3, "
                        "'co_handler', $2, $3, $4, $5, $6, $7)",
                        "iiitiiI", id, people[q], pdept[q], status, (int64_t)(completed ? 0 : 1),
                        at + 3600, completed ? done_at : 0),
                 "co-handler row");
        }
        if (rnd(10) < 2) {
            int q = (int)rnd(PEOPLE);
            must(db_run(c,
                        "INSERT INTO doc_participant (document_id, history_step, role, user_id, "
                        "department_id, status, active, seen_at, created_at) VALUES ($1, 3, "
                        "'for_info', $2, $3, 'pending', 1, $4, $5)",
                        "iiiIi", id, people[q], pdept[q], rnd(10) < 7 ? at + 7200 : 0, at + 3600),
                 "for-info row");
        }
    }
    if (count)
        must(db_commit(c), "commit");
    /* the counters follow the numbers written */
    must(db_run(c,
                "UPDATE doc_counter SET next_number = (SELECT COALESCE(MAX(reg_number), 0) + 1 "
                "FROM document d WHERE d.register_id = doc_counter.register_id AND d.reg_year = "
                "doc_counter.year) WHERE register_id = $1",
                "i", reg),
         "counters");
    fprintf(stderr, "docs_gen: %ld documents in %lds\n", count, (long)(time(NULL) - t0));
    if (outgoing)
        gen_outgoing(c, agency, outgoing, now, leader, clerk, people, pdept, PEOPLE, depts, ndept);
    /* each row's copy of its document's sort key (doc_participant_keys, in one pass) */
    must(db_run(c,
                "UPDATE doc_participant SET doc_urgency = d.urgency, doc_received_at = "
                "d.received_at FROM document d WHERE d.id = doc_participant.document_id AND "
                "d.agency_id = $1",
                "i", agency),
         "participant keys");
    db_close(db);
    return 0;
}
