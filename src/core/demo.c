/* The demo province, organised as in force since 1 July 2025 (standards.md §1): two
 * tiers, the province and then communes and wards, no districts. Sở and commune-level
 * units are level-2 units directly under the province (000.00.CC.H41, QD20). The sở
 * are those after the 2025 mergers (Thông tin và Truyền thông into Khoa học và Công
 * nghệ, Kế hoạch và Đầu tư into Tài chính, Lao động – Thương binh và Xã hội into Nội
 * vụ). Wards and the commune are units created by Nghị quyết 1678/NQ-UBTVQH15
 * (phường Trường Vinh and Thành Vinh from the former city of Vinh, xã Anh Sơn).
 * Citizen IDs start with 040, Nghệ An's province code. */
#include "core/demo.h"

#include <string.h>

#include "core/actor.h"
#include "core/agency.h"
#include "core/org.h"
#include "core/password.h"
#include "core/role.h"
#include "core/signing_key.h"
#include "core/trust.h"
#include "core/tx.h"
#include "core/user.h"
#include "crypto/demo_pki.h"
#include "db/db.h"
#include "text/text.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/str.h"

struct demo_agency {
    const char *code, *name, *abbr, *host, *parent;
};

static const struct demo_agency agencies[] = {
    {"000.00.00.H41", "Ủy ban nhân dân tỉnh Nghệ An", "UBND", "qlvb-ubndtinh", NULL},
    {"000.00.01.H41", "Văn phòng Ủy ban nhân dân tỉnh", "VPUBND", "qlvb-vpubnd", "000.00.00.H41"},
    {"000.00.02.H41", "Sở Nội vụ", "SNV", "qlvb-snv", "000.00.00.H41"},
    {"000.00.03.H41", "Sở Tài chính", "STC", "qlvb-stc", "000.00.00.H41"},
    {"000.00.04.H41", "Sở Khoa học và Công nghệ", "SKHCN", "qlvb-skhcn", "000.00.00.H41"},
    {"000.00.30.H41", "Ủy ban nhân dân phường Trường Vinh", "UBND", "qlvb-truongvinh",
     "000.00.00.H41"},
    {"000.00.31.H41", "Ủy ban nhân dân phường Thành Vinh", "UBND", "qlvb-thanhvinh",
     "000.00.00.H41"},
    {"000.00.32.H41", "Ủy ban nhân dân xã Anh Sơn", "UBND", "qlvb-anhson", "000.00.00.H41"},
};

struct demo_catalogue {
    const char *agency;
    const char *departments[4];
    const char *positions[7];
};

/* The units' abbreviations, which a công văn's symbol carries after the agency's
 * (standards.md §2: 123/SKHCN-VP). */
static const struct {
    const char *name, *abbr;
} dept_abbrs[] = {
    {"Lãnh đạo Ủy ban nhân dân tỉnh", "LĐ"},
    {"Phòng Hành chính - Tổ chức", "HCTC"},
    {"Phòng Tổng hợp", "TH"},
    {"Phòng Kinh tế", "KT"},
    {"Văn phòng Sở", "VP"},
    {"Phòng Tổ chức, biên chế", "TCBC"},
    {"Phòng Quản lý khoa học", "QLKH"},
    {"Phòng Công nghệ thông tin", "CNTT"},
    {"Văn phòng HĐND và UBND", "VP"},
    {"Phòng Kinh tế, Hạ tầng và Đô thị", "KTHTĐT"},
    {"Phòng Văn hóa - Xã hội", "VHXH"},
};

static const char *dept_abbr(const char *name)
{
    for (size_t i = 0; i < sizeof(dept_abbrs) / sizeof(dept_abbrs[0]); i++)
        if (!strcmp(dept_abbrs[i].name, name))
            return dept_abbrs[i].abbr;
    return "";
}

/* Commune-level People's Committees have an office and two specialised divisions
 * (Văn phòng HĐND và UBND, Phòng Kinh tế — in wards Phòng Kinh tế, Hạ tầng và Đô thị —
 * and Phòng Văn hóa - Xã hội). */
static const struct demo_catalogue catalogues[] = {
    {"000.00.00.H41",
     {"Lãnh đạo Ủy ban nhân dân tỉnh", NULL},
     {"Chủ tịch", "Phó Chủ tịch", "Văn thư", NULL}},
    {"000.00.01.H41",
     {"Phòng Hành chính - Tổ chức", "Phòng Tổng hợp", "Phòng Kinh tế", NULL},
     {"Chánh Văn phòng", "Phó Chánh Văn phòng", "Trưởng phòng", "Chuyên viên", "Văn thư", NULL}},
    {"000.00.02.H41",
     {"Văn phòng Sở", "Phòng Tổ chức, biên chế", NULL},
     {"Giám đốc", "Phó Giám đốc", "Trưởng phòng", "Chuyên viên", "Văn thư", NULL}},
    {"000.00.04.H41",
     {"Văn phòng Sở", "Phòng Quản lý khoa học", "Phòng Công nghệ thông tin", NULL},
     {"Giám đốc", "Phó Giám đốc", "Chánh Văn phòng", "Trưởng phòng", "Chuyên viên", "Văn thư",
      NULL}},
    {"000.00.30.H41",
     {"Văn phòng HĐND và UBND", "Phòng Kinh tế, Hạ tầng và Đô thị", "Phòng Văn hóa - Xã hội", NULL},
     {"Chủ tịch", "Phó Chủ tịch", "Chánh Văn phòng", "Trưởng phòng", "Chuyên viên", "Văn thư",
      NULL}},
    {"000.00.32.H41",
     {"Văn phòng HĐND và UBND", "Phòng Kinh tế", "Phòng Văn hóa - Xã hội", NULL},
     {"Chủ tịch", "Phó Chủ tịch", "Chánh Văn phòng", "Trưởng phòng", "Chuyên viên", "Văn thư",
      NULL}},
};

struct demo_user {
    const char *login, *name, *agency, *department, *position;
    unsigned roles;
    const char *email;
};

static const struct demo_user users[] = {
    {"040090000101", "Nguyễn Văn Hùng", "000.00.00.H41", "Lãnh đạo Ủy ban nhân dân tỉnh",
     "Chủ tịch", ROLE_AGENCY_LEADER, "hung.nv@nghean.gov.vn"},
    {"040090000102", "Trần Thị Mai", "000.00.00.H41", NULL, "Văn thư", ROLE_CLERK, ""},
    {"040090000111", "Lê Quang Minh", "000.00.01.H41", NULL, "Chánh Văn phòng",
     ROLE_AGENCY_LEADER | ROLE_ADMIN, "minh.lq@nghean.gov.vn"},
    {"040090000112", "Phạm Thị Thu Hà", "000.00.01.H41", "Phòng Hành chính - Tổ chức", "Văn thư",
     ROLE_CLERK, ""},
    {"040090000113", "Hoàng Đức Thắng", "000.00.01.H41", "Phòng Tổng hợp", "Trưởng phòng",
     ROLE_DEPARTMENT_LEADER, ""},
    {"040090000114", "Võ Thị Lan Anh", "000.00.01.H41", "Phòng Kinh tế", "Chuyên viên",
     ROLE_SPECIALIST, ""},
    {"040090000121", "Đặng Văn Tâm", "000.00.02.H41", "Văn phòng Sở", "Chuyên viên",
     ROLE_ADMIN | ROLE_SPECIALIST, ""},
    {"040090000141", "Nguyễn Thị Hoa", "000.00.04.H41", "Văn phòng Sở", "Chuyên viên", ROLE_ADMIN,
     "hoa.nt@nghean.gov.vn"},
    {"040090000142", "Bùi Văn Long", "000.00.04.H41", NULL, "Giám đốc", ROLE_AGENCY_LEADER, ""},
    {"040090000143", "Ngô Thị Huyền", "000.00.04.H41", "Văn phòng Sở", "Văn thư", ROLE_CLERK, ""},
    {"040090000144", "Trịnh Quốc Bảo", "000.00.04.H41", "Phòng Công nghệ thông tin", "Trưởng phòng",
     ROLE_DEPARTMENT_LEADER, ""},
    {"040090000145", "Đỗ Minh Châu", "000.00.04.H41", "Phòng Công nghệ thông tin", "Chuyên viên",
     ROLE_SPECIALIST, ""},
    {"040090000301", "Phan Văn Đức", "000.00.30.H41", "Văn phòng HĐND và UBND", "Chuyên viên",
     ROLE_ADMIN, ""},
    {"040090000302", "Lê Thị Ngọc", "000.00.30.H41", "Văn phòng HĐND và UBND", "Văn thư",
     ROLE_CLERK, ""},
    {"040090000303", "Hồ Sỹ Nam", "000.00.30.H41", NULL, "Chủ tịch", ROLE_AGENCY_LEADER, ""},
    {"040090000304", "Chu Văn Thành", "000.00.30.H41", "Phòng Văn hóa - Xã hội", "Trưởng phòng",
     ROLE_DEPARTMENT_LEADER, ""},
    {"040090000305", "Thái Thị Phương", "000.00.30.H41", "Phòng Văn hóa - Xã hội", "Chuyên viên",
     ROLE_SPECIALIST, ""},
};

/* Concurrent post: the head of the provincial office also sits in Sở Nội vụ. */
static const struct demo_user concurrent[] = {
    {"040090000111", "Lê Quang Minh", "000.00.02.H41", NULL, "Phó Giám đốc", ROLE_AGENCY_LEADER,
     ""},
};

static int64_t find_id(struct app *app, const char *sql, int64_t agency, const char *name)
{
    int64_t id = 0;
    if (!name)
        return 0;
    db_one_i64(db_conn(app->db), &id, sql, "it", agency, name);
    return id;
}

/* Seed data that is not a user action (no audit row): one statement, maybe with an id. */
struct seed_sql {
    const char *sql;
    int64_t id; /* bound as $1 when the statement has it */
};

static result_t seed_sql_tx(struct tx *t, void *arg)
{
    const struct seed_sql *q = arg;
    return q->id ? db_run(tx_conn(t), q->sql, "i", q->id) : db_run(tx_conn(t), q->sql, "");
}

static result_t add_user(struct app *app, const struct actor *sys, const struct demo_user *u)
{
    int64_t agency = 0, id = 0;
    agency_by_code(app, u->agency, &agency);
    struct user_input in = {
        .login = u->login,
        .full_name = u->name,
        .email = u->email,
        .password = DEMO_PASSWORD,
        .department_id =
            find_id(app, "SELECT id FROM department WHERE agency_id = $1 AND name = $2", agency,
                    u->department),
        .position_id = find_id(app, "SELECT id FROM position WHERE agency_id = $1 AND name = $2",
                               agency, u->position),
        .roles = u->roles,
    };
    struct verrs e = {0};
    char temp[64];
    bool added = false;
    result_t r = user_create(app, sys, agency, &in, &e, &id, temp, &added);
    if (r != RES_OK) {
        fprintf(stderr, "demo: user %s: %s %s\n", u->login, result_name(r),
                e.count ? e.items[0].message : "");
        return r;
    }
    /* Demo accounts are ready to use; real accounts must change at first login. */
    struct seed_sql q = {"UPDATE app_user SET must_change_password = 0 WHERE id = $1", id};
    return tx_run_noaudit(app->db, seed_sql_tx, &q);
}

/* Prints s padded to `width` characters (code points, not bytes) and a space. */
static void cell(FILE *out, const char *s, int width)
{
    long n = text_length(s);
    fprintf(out, "%s", s);
    for (long i = n < 0 ? 0 : n; i <= width; i++)
        fputc(' ', out);
}

/* One line of the logins table; the agency's full name comes last, as it is the
 * longest column. */
static void row(FILE *out, const char *login, const char *name, const char *roles,
                const char *agency)
{
    fputs("  ", out);
    cell(out, login, 12);
    cell(out, name, 17);
    cell(out, roles, 26);
    fprintf(out, "%s\n", agency);
}

result_t demo_seed(struct app *app, FILE *out)
{
    struct actor sys = {.system = true};
    str_copy(sys.login, "system", sizeof(sys.login));
    str_copy(sys.client_addr, "cli", sizeof(sys.client_addr));
    result_t r;
    for (size_t i = 0; i < sizeof(agencies) / sizeof(agencies[0]); i++) {
        const struct demo_agency *d = &agencies[i];
        int64_t parent = 0;
        if (d->parent)
            agency_by_code(app, d->parent, &parent);
        struct agency_input in = {d->code, d->name, d->abbr, d->host, parent};
        struct verrs e = {0};
        if ((r = agency_create(app, &sys, &in, &e, NULL)) != RES_OK) {
            fprintf(stderr, "demo: agency %s: %s %s\n", d->code, result_name(r),
                    e.count ? e.items[0].message : "");
            return r;
        }
    }
    for (size_t i = 0; i < sizeof(catalogues) / sizeof(catalogues[0]); i++) {
        int64_t agency = 0;
        agency_by_code(app, catalogues[i].agency, &agency);
        for (int k = 0; catalogues[i].departments[k]; k++) {
            struct department_input in = {catalogues[i].departments[k],
                                          dept_abbr(catalogues[i].departments[k]), 0};
            struct verrs e = {0};
            if ((r = department_create(app, &sys, agency, &in, &e, NULL)) != RES_OK)
                return r;
        }
        for (int k = 0; catalogues[i].positions[k]; k++) {
            struct position_input in = {catalogues[i].positions[k], (k + 1) * 10};
            struct verrs e = {0};
            if ((r = position_create(app, &sys, agency, &in, &e, NULL)) != RES_OK)
                return r;
        }
    }
    struct verrs e = {0};
    if ((r = user_create_sysadmin(app, "040080000001", "Quản trị Hệ thống", DEMO_PASSWORD, &e)) !=
        RES_OK) {
        fprintf(stderr, "demo: sysadmin: %s\n", e.count ? e.items[0].message : result_name(r));
        return r;
    }
    fprintf(out, "\nTài khoản mẫu (mật khẩu của tất cả: %s)\n", DEMO_PASSWORD);
    row(out, "Đăng nhập", "Họ và tên", "Vai trò", "Cơ quan");
    row(out, "040080000001", "Quản trị Hệ thống", "Quản trị hệ thống", "(toàn hệ thống)");
    for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
        if ((r = add_user(app, &sys, &users[i])) != RES_OK)
            return r;
        char roles[160];
        role_label(users[i].roles, roles, sizeof(roles));
        const char *agency = "";
        for (size_t k = 0; k < sizeof(agencies) / sizeof(agencies[0]); k++)
            if (strcmp(agencies[k].code, users[i].agency) == 0)
                agency = agencies[k].name;
        row(out, users[i].login, users[i].name, roles, agency);
    }
    for (size_t i = 0; i < sizeof(concurrent) / sizeof(concurrent[0]); i++)
        if ((r = add_user(app, &sys, &concurrent[i])) != RES_OK)
            return r;
    fprintf(out,
            "  (040090000111 kiêm nhiệm Phó Giám đốc Sở Nội vụ: chọn cơ quan sau khi đăng nhập)\n");
    fprintf(out,
            "Khóa ký số mẫu (chứng thư của \"%s\", chỉ để trình diễn): Giám đốc Sở Khoa học và "
            "Công nghệ 040090000142 ký, văn thư 040090000143 ký số cơ quan; mã PIN %s\n",
            DEMO_PKI_CA_NAME, DEMO_PIN);
    struct seed_sql q = {"INSERT INTO setting (key, value) VALUES ('domain', 'nghean.gov.vn')", 0};
    return tx_run_noaudit(app->db, seed_sql_tx, &q);
}

/* ---- the demo's signing keys (issue 12) ---- */

static result_t import_p12(struct app *app, const struct actor *sys, int64_t agency_id,
                           int64_t user_id, const char *label, const struct buf *p12, int64_t *id)
{
    struct signing_key_input in = {.agency_id = agency_id,
                                   .user_id = user_id,
                                   .label = label,
                                   .p12 = (const unsigned char *)p12->data,
                                   .p12_len = p12->len,
                                   .pin = DEMO_PIN};
    struct verrs e = {0};
    result_t r = signing_key_import(app, sys, &in, &e, id);
    if (r != RES_OK)
        fprintf(stderr, "demo: signing key %s: %s %s\n", label, result_name(r),
                e.count ? e.items[0].message : "");
    return r;
}

result_t demo_signing_seed(struct app *app, int64_t agency_id, const char *agency_name,
                           int64_t leader_id, const char *leader_name, struct demo_keys *out)
{
    memset(out, 0, sizeof(*out));
    if (!app->signer)
        return RES_UNSUPPORTED;
    struct actor sys = {.system = true};
    str_copy(sys.login, "system", sizeof(sys.login));
    str_copy(sys.full_name, "Dữ liệu mẫu", sizeof(sys.full_name));
    str_copy(sys.client_addr, "cli", sizeof(sys.client_addr));
    struct demo_pki pki;
    demo_pki_init(&pki);
    struct buf pem = BUF_INIT(64 * 1024), crl = BUF_INIT(64 * 1024),
               person = BUF_INIT(SIGNING_KEY_MAX_P12), agency = BUF_INIT(SIGNING_KEY_MAX_P12);
    int64_t now = clock_now();
    result_t r = demo_pki_make_root(&pki, now);
    if (r == RES_OK)
        r = demo_pki_root_pem(&pki, &pem);
    if (r == RES_OK)
        r = demo_pki_crl_pem(&pki, now, &crl);
    if (r == RES_OK)
        r = demo_pki_leaf_p12(&pki, leader_name, agency_name, DEMO_PKI_ORG, DEMO_PIN, now, &person);
    if (r == RES_OK)
        r = demo_pki_leaf_p12(&pki, agency_name, agency_name, DEMO_PKI_ORG, DEMO_PIN, now, &agency);
    demo_pki_release(&pki);
    if (r == RES_OK) {
        struct verrs e = {0};
        json_t *added = NULL;
        r = trust_add_certs(app, &sys, (const unsigned char *)pem.data, pem.len, &e, &added);
        json_decref(added);
        added = NULL;
        if (r == RES_OK)
            r = trust_add_crl(app, &sys, (const unsigned char *)crl.data, crl.len, &e, &added);
        json_decref(added);
        if (r != RES_OK)
            fprintf(stderr, "demo: trust root: %s %s\n", result_name(r),
                    e.count ? e.items[0].message : "");
    }
    char label[300];
    snprintf(label, sizeof(label), "Khóa ký số mẫu (demo) của %s", leader_name);
    if (r == RES_OK)
        r = import_p12(app, &sys, agency_id, leader_id, label, &person, &out->person);
    snprintf(label, sizeof(label), "Khóa ký số mẫu (demo) của cơ quan");
    if (r == RES_OK)
        r = import_p12(app, &sys, agency_id, 0, label, &agency, &out->agency);
    buf_release(&pem);
    buf_release(&crl);
    secure_wipe(person.data, person.len);
    secure_wipe(agency.data, agency.len);
    buf_release(&person);
    buf_release(&agency);
    return r;
}
