/* Fills one agency (Sở KH&CN of the demo, 000.00.04.H41) with N incoming documents for
 * bench/docs.sh: ten years of letters received in order, Vietnamese subjects from a
 * vocabulary, a mix of urgency and states, the leader's row on every presented document,
 * lead / co-handler / for-information rows spread over ~150 people (the demo specialist
 * among them) and the units, processing deadlines, and the search words, all written
 * directly with SQL in transactions of 5000 documents (not through the API: the point
 * is the read side at scale). Not a test.
 *
 *   docs_gen --db URL --count N [--seed S]
 *
 * The demo data must be there (qlvb init --demo). Extra people get the demo password. */
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

static unsigned long long rng = 88172645463325252ULL;
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

int main(int argc, char **argv)
{
    const char *url = NULL;
    long count = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--db"))
            url = argv[i + 1];
        else if (!strcmp(argv[i], "--count")) {
            char *end = NULL;
            errno = 0;
            count = strtol(argv[i + 1], &end, 10);
            if (errno || end == argv[i + 1] || *end || count > 100000000L)
                count = 0; /* refused below */
        } else if (!strcmp(argv[i], "--seed"))
            rng ^= strtoull(argv[i + 1], NULL, 10) * 2654435761ULL;
    }
    if (!url || count < 1) {
        fprintf(stderr, "usage: docs_gen --db URL --count N [--seed S]\n");
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
    must(db_begin(c), "begin");
    for (int i = 1; i < PEOPLE; i++) {
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
    must(db_commit(c), "commit");
    /* the counters follow the numbers written */
    must(db_run(c,
                "UPDATE doc_counter SET next_number = (SELECT COALESCE(MAX(reg_number), 0) + 1 "
                "FROM document d WHERE d.register_id = doc_counter.register_id AND d.reg_year = "
                "doc_counter.year) WHERE register_id = $1",
                "i", reg),
         "counters");
    fprintf(stderr, "docs_gen: %ld documents in %lds\n", count, (long)(time(NULL) - t0));
    db_close(db);
    return 0;
}
