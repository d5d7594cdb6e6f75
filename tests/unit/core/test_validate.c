/* Validators and password policy (standards.md §1 identifiers, §12 accounts). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/password.h"
#include "core/role.h"
#include "core/validate.h"
#include "text/text.h"

TEST(citizen_id)
{
    CHECK(citizen_id_valid("040090000141"));   /* Nghệ An */
    CHECK(citizen_id_valid("001234567890"));   /* Hà Nội */
    CHECK(!citizen_id_valid("04009000014"));   /* 11 digits */
    CHECK(!citizen_id_valid("0400900001411")); /* 13 digits */
    CHECK(!citizen_id_valid("04009000014a"));
    CHECK(!citizen_id_valid("000090000141")); /* province 000 does not exist */
    CHECK(!citizen_id_valid("097090000141")); /* nor 097 */
    CHECK(!citizen_id_valid(""));
    CHECK(!citizen_id_valid(NULL));
}

TEST(agency_code_qd20)
{
    /* standards.md §1 examples */
    CHECK(agency_code_valid("000.00.00.G22"));
    CHECK(agency_code_valid("000.00.00.H41"));
    CHECK(agency_code_valid("000.01.01.H53"));
    CHECK(!agency_code_valid("000.00.00.h41"));
    CHECK(!agency_code_valid("00.00.00.H41"));
    CHECK(!agency_code_valid("000-00-00-H41"));
    CHECK(!agency_code_valid("000.00.00.H4"));
    CHECK(!agency_code_valid("000.00.00.H411"));
    CHECK(!agency_code_valid("000.0a.00.H41"));
}

TEST(abbr_email_phone)
{
    CHECK(abbr_valid("UBND"));
    CHECK(abbr_valid("QĐ"));
    CHECK(abbr_valid("KH&CN"));
    CHECK(!abbr_valid("UB ND"));
    CHECK(!abbr_valid("UBND-VP"));
    CHECK(!abbr_valid(""));
    CHECK(email_valid("hoa.nt@nghean.gov.vn"));
    CHECK(!email_valid("hoa@"));
    CHECK(!email_valid("@x.vn"));
    CHECK(!email_valid("a b@x.vn"));
    CHECK(!email_valid("a@b@c.vn"));
    CHECK(phone_valid("0912 345 678"));
    CHECK(phone_valid("+84 238 3844 555"));
    CHECK(!phone_valid("12"));
    CHECK(!phone_valid("09x2345678"));
}

TEST(field_clean_normalises_and_limits)
{
    struct verrs e = {0};
    char *s = field_clean("  Sơ\xCC\x89   Nội vụ ", "name", "tên", true, 20, &e);
    CHECK_STR(s, "Sở Nội vụ");
    free(s);
    CHECK(field_clean("   ", "name", "tên", true, 20, &e) == NULL);
    CHECK_STR(verrs_get(&e, "name"), "Vui lòng nhập tên.");
    struct verrs e2 = {0};
    CHECK(field_clean("Ủy ban nhân dân tỉnh", "n", "tên", true, 10, &e2) == NULL);
    CHECK(verrs_get(&e2, "n") != NULL);
    struct verrs e3 = {0};
    CHECK(field_clean("\xff\xfe", "n", "tên", false, 10, &e3) == NULL);
    /* 20 Vietnamese characters are 20, not their byte count */
    struct verrs e4 = {0};
    s = field_clean("Đường Trường Chinh", "n", "tên", true, 18, &e4);
    CHECK(s != NULL);
    free(s);
}

TEST(field_clean_refuses_controls_and_bidi)
{
    /* U+0085 (NEL, a C1 control), DEL, U+202E (right-to-left override), U+2066 */
    const char *controls[] = {"Nguy\xC2\x85n Văn A", "Nguyễn\x7f", "\x1b[31mAn"};
    for (size_t i = 0; i < 3; i++) {
        struct verrs e = {0};
        CHECK(field_clean(controls[i], "full_name", "Họ và tên", true, 100, &e) == NULL);
        CHECK(strstr(verrs_get(&e, "full_name"), "ký tự điều khiển") != NULL);
    }
    const char *bidi[] = {"Nguyễn \xE2\x80\xAEnA", "\xE2\x81\xA6Trần\xE2\x81\xA9",
                          "An\xE2\x80\x8F"};
    for (size_t i = 0; i < 3; i++) {
        struct verrs e = {0};
        CHECK(field_clean(bidi[i], "full_name", "Họ và tên", true, 100, &e) == NULL);
        CHECK(strstr(verrs_get(&e, "full_name"), "đổi chiều văn bản") != NULL);
    }
    /* Tabs and line breaks are white space, squeezed, not refused. */
    struct verrs e = {0};
    char *s = field_clean("Nguyễn\tVăn\nAn", "full_name", "Họ và tên", true, 100, &e);
    CHECK_STR(s, "Nguyễn Văn An");
    free(s);
    CHECK_INT(text_unsafe_char("Ủy ban nhân dân"), TEXT_SAFE);
}

TEST(password_policy)
{
    struct verrs e = {0};
    CHECK(password_policy_ok("Mật-khẩu-2026", "040090000141", "p", &e));
    CHECK(password_policy_ok("correcthorse9!", "040090000141", "p", &e));
    CHECK_INT(e.count, 0);
    struct verrs e1 = {0};
    CHECK(!password_policy_ok("Ab1!", "040090000141", "p", &e1));
    struct verrs e2 = {0};
    CHECK(!password_policy_ok("abcdefghijkl", "040090000141", "p", &e2)); /* one class */
    struct verrs e3 = {0};
    CHECK(!password_policy_ok("X040090000141!", "040090000141", "p", &e3)); /* has login */
    CHECK(verrs_get(&e3, "p") != NULL);
}

TEST(password_hash_roundtrip)
{
    password_set_cost(1024, 1);
    char h[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
    CHECK_INT(password_hash("Mật-khẩu-2026", h), RES_OK);
    CHECK(strncmp(h, "$argon2id$v=19$m=1024,t=1,p=1$", 30) == 0);
    CHECK_INT(password_verify("Mật-khẩu-2026", h), RES_OK);
    CHECK_INT(password_verify("Mật-khẩu-2027", h), RES_INVALID);
    CHECK_INT(password_hash("Mật-khẩu-2026", h2), RES_OK);
    CHECK(strcmp(h, h2) != 0); /* random salt */
    CHECK_INT(password_verify("x", "$2b$10$notargon"), RES_INVALID);
    char gen[32];
    password_generate(gen);
    struct verrs e = {0};
    CHECK(password_policy_ok(gen, "040090000141", "p", &e));
}

TEST(roles)
{
    CHECK_INT(role_from_key("clerk"), ROLE_CLERK);
    CHECK_INT(role_from_key("boss"), 0);
    char label[128];
    role_label(ROLE_CLERK | ROLE_SPECIALIST, label, sizeof(label));
    CHECK_STR(label, "Văn thư, Chuyên viên");
    role_label(ROLE_ALL, label, 20); /* truncates safely */
    CHECK(strlen(label) < 20);
}

int main(void)
{
    RUN(citizen_id);
    RUN(agency_code_qd20);
    RUN(abbr_email_phone);
    RUN(field_clean_normalises_and_limits);
    RUN(field_clean_refuses_controls_and_bidi);
    RUN(password_policy);
    RUN(password_hash_roundtrip);
    RUN(roles);
    return CHECK_DONE("test_validate");
}
