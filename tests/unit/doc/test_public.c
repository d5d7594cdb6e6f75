/* Drafts for public comment (src/doc/doc_public.c; issue 12, Khánh Hòa Điều 9) on a real
 * SQLite database with the demo province: the input checks (multi-line text cleaned to
 * NFC with standards.md §11, control and bidi characters refused, the length limit, links
 * counted as spam, the slug's form, the client address a limit counts), the page closing
 * itself at its deadline by the clock (a test clock offset, no job), and the comments per
 * client address per hour (§12: each accepted one audited with no account). Over HTTP:
 * tests/integration/documents_public.test.mjs. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_fixture.h"
#include "check.h"
#include "db/db.h"
#include "doc/doc.h"
#include "util/clock.h"
#include "util/str.h"

static char data_dir[64];
static struct app app;
static struct actor specialist, clerk;

static const char pdf_bytes[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< "
                                "/Root 1 0 R >>\n%%EOF\n";

static int64_t one(const char *sql, int64_t arg)
{
    int64_t v = -1;
    CHECK_INT(db_one_i64(db_conn(app.db), &v, sql, "i", arg), RES_OK);
    return v;
}

static struct actor member_of(const char *login)
{
    struct actor a = {0};
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT id FROM app_user WHERE login = '%s' AND $1 = $1", login);
    a.user_id = one(sql, 0);
    a.membership_id = one("SELECT id FROM membership WHERE user_id = $1", a.user_id);
    a.agency_id = one("SELECT agency_id FROM membership WHERE user_id = $1", a.user_id);
    a.department_id =
        one("SELECT COALESCE(department_id, 0) FROM membership WHERE user_id = $1", a.user_id);
    a.roles = (unsigned)one("SELECT roles FROM membership WHERE user_id = $1", a.user_id);
    str_copy(a.login, login, sizeof(a.login));
    str_copy(a.full_name, login, sizeof(a.full_name));
    str_copy(a.client_addr, "test", sizeof(a.client_addr));
    return a;
}

/* A published draft: its slug into slug. */
static int64_t published(const char *deadline, char slug[DOC_PUBLIC_SLUG_LEN + 1])
{
    struct doc_recipient_input rc = {.kind = "user", .user_id = clerk.user_id};
    struct doc_outgoing_input in = {.doc_type = "quyet_dinh",
                                    .subject = "Dự thảo Quy chế sử dụng chữ ký số",
                                    .signer_id = one("SELECT id FROM app_user WHERE login = "
                                                     "'040090000142' AND $1 = $1",
                                                     0),
                                    .recipients = &rc,
                                    .nrecipients = 1};
    struct doc_upload f = {.role = "main",
                           .file_name = "du-thao.pdf",
                           .data = (const unsigned char *)pdf_bytes,
                           .len = sizeof(pdf_bytes) - 1};
    struct verrs e = {0};
    int64_t id = 0;
    CHECK_INT(doc_outgoing_create(&app, &specialist, &in, &f, 1, &e, &id), RES_OK);
    struct doc_public_input pi = {.deadline = deadline};
    CHECK_INT(doc_public_publish(&app, &specialist, id, &pi, &e, slug), RES_OK);
    return id;
}

static struct actor visitor(const char *addr)
{
    struct actor v = {0};
    str_copy(v.client_addr, addr, sizeof(v.client_addr));
    return v;
}

static result_t comment(const char *slug, const char *addr, const char *body, struct verrs *e)
{
    struct actor v = visitor(addr);
    struct doc_public_comment_input in = {.name = "Trần Văn Hùng", .body = body};
    memset(e, 0, sizeof(*e));
    return doc_public_comment(&app, &v, slug, 0, &in, e);
}

/* §11: NFC, lines kept, runs of empty lines cut, controls and bidi refused, the limit in
 * characters (not bytes). */
TEST(text_clean)
{
    struct verrs e = {0};
    char *s =
        doc_public_text_clean("  Đe\xcc\x82\xcc\x80 nghi\xcc\xa3 \r\n\r\n\r\n\r\n  sửa\t \n\n",
                              "body", "nội dung", true, 100, &e);
    CHECK_STR(s, "Đề nghị\n\n  sửa");
    free(s);
    CHECK_INT(e.count, 0);
    CHECK(!doc_public_text_clean(" \n\t\r\n ", "body", "nội dung", true, 100, &e));
    CHECK(strstr(verrs_get(&e, "body"), "Vui lòng nhập nội dung"));
    memset(&e, 0, sizeof(e));
    CHECK(!doc_public_text_clean("a\x01"
                                 "b",
                                 "body", "nội dung", true, 100, &e));
    CHECK(strstr(verrs_get(&e, "body"), "điều khiển"));
    memset(&e, 0, sizeof(e));
    CHECK(!doc_public_text_clean("a\xe2\x80\xae"
                                 "b",
                                 "body", "nội dung", true, 100, &e));
    CHECK(strstr(verrs_get(&e, "body"), "đổi chiều"));
    memset(&e, 0, sizeof(e));
    CHECK(!doc_public_text_clean("\xff\xfe", "body", "nội dung", true, 100, &e));
    CHECK_INT(e.count, 1);
    /* 5000 Vietnamese letters are 10000+ bytes and fit; 5001 do not. */
    char *big = malloc(5001 * 3 + 1);
    size_t n = 0;
    for (int i = 0; i < DOC_PUBLIC_COMMENT_MAX; i++)
        n += (size_t)snprintf(big + n, 4, "ệ");
    memset(&e, 0, sizeof(e));
    s = doc_public_text_clean(big, "body", "nội dung", true, DOC_PUBLIC_COMMENT_MAX, &e);
    CHECK(s != NULL);
    free(s);
    snprintf(big + n, 4, "ệ");
    CHECK(!doc_public_text_clean(big, "body", "nội dung", true, DOC_PUBLIC_COMMENT_MAX, &e));
    CHECK(strstr(verrs_get(&e, "body"), "5.000"));
    free(big);
}

TEST(links_slug_client_key)
{
    CHECK_INT(doc_public_links("không có đường dẫn"), 0);
    CHECK_INT(doc_public_links("HTTPS://a.vn và http://b.vn/x?y=1"), 2);
    CHECK_INT(doc_public_links("www.a.vn, http://www.b.vn, ftp://c.vn"), 3);
    CHECK_INT(doc_public_links("email a@www.vn"), 1);
    CHECK_INT(doc_public_links("http://"), 1);
    CHECK(doc_public_slug_valid("0123456789abcdef0123456789abcdef"));
    CHECK(!doc_public_slug_valid("0123456789ABCDEF0123456789abcdef"));
    CHECK(!doc_public_slug_valid("0123456789abcdef0123456789abcde"));
    CHECK(!doc_public_slug_valid("42"));
    CHECK(!doc_public_slug_valid(NULL));
    char k[64];
    doc_public_client_key("203.0.113.9", k, sizeof(k));
    CHECK_STR(k, "203.0.113.9");
    doc_public_client_key("::ffff:203.0.113.9", k, sizeof(k));
    CHECK_STR(k, "203.0.113.9");
    doc_public_client_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd", k, sizeof(k));
    CHECK_STR(k, "2001:db8:1:2::/64");
    doc_public_client_key("2001:db8:1:2::1", k, sizeof(k));
    CHECK_STR(k, "2001:db8:1:2::/64");
    doc_public_client_key("", k, sizeof(k));
    CHECK_STR(k, "unknown");
}

/* The page closes itself at the deadline, by the clock: open seconds before, closed
 * at it; a day deadline runs to the end of that Vietnam day (24:00 +07:00). */
TEST(deadline_closing_by_the_clock)
{
    CHECK(doc_public_is_open("open", 1000, 999));
    CHECK(!doc_public_is_open("open", 1000, 1000));
    CHECK(!doc_public_is_open("closed", 1000, 1));
    char slug[DOC_PUBLIC_SLUG_LEN + 1];
    /* Tomorrow's Vietnam date. */
    int64_t now = clock_now(), day = (now + VN_UTC_OFFSET) / 86400 + 1;
    char date[16];
    {
        time_t t = (time_t)(day * 86400);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(date, sizeof(date), "%Y-%m-%d", &tm);
    }
    int64_t id = published(date, slug);
    int64_t end = day * 86400 + 86400 - VN_UTC_OFFSET; /* 24:00 +07:00 of that day */
    CHECK_INT(one("SELECT deadline FROM doc_consultation WHERE document_id = $1", id), end);
    struct verrs e;
    clock_set_offset(end - 3 - time(NULL)); /* seconds before: the test itself takes time */
    CHECK_INT(comment(slug, "192.0.2.1", "Góp ý trước hạn vài giây", &e), RES_OK);

    json_t *page = NULL;
    struct actor v = visitor("192.0.2.1");
    CHECK_INT(doc_public_page(&app, &v, slug, 0, &page), RES_OK);
    CHECK(json_is_true(json_object_get(page, "is_open")));
    json_decref(page);
    clock_set_offset(end - time(NULL));
    int64_t audits = one("SELECT COUNT(*) FROM audit_log WHERE $1 = $1", 0);
    CHECK_INT(comment(slug, "192.0.2.1", "Góp ý đúng lúc hết hạn", &e), RES_CONFLICT);
    CHECK(strstr(verrs_get(&e, "consultation"), "Đã hết thời hạn góp ý"));
    CHECK_INT(one("SELECT COUNT(*) FROM audit_log WHERE $1 = $1", 0), audits);
    CHECK_INT(doc_public_page(&app, &v, slug, 0, &page), RES_OK); /* still readable */
    CHECK(!json_is_true(json_object_get(page, "is_open")));
    CHECK_STR(json_string_value(json_object_get(page, "state")), "expired");
    json_decref(page);
    json_t *list = NULL;
    CHECK_INT(doc_public_index(&app, &v, 0, &list), RES_OK);
    for (size_t i = 0; i < json_array_size(list); i++)
        CHECK(strcmp(json_string_value(json_object_get(json_array_get(list, i), "slug")), slug));
    json_decref(list);
    /* Closing after the deadline: nothing open. */
    memset(&e, 0, sizeof(e));
    CHECK_INT(doc_public_close(&app, &specialist, id, &e), RES_CONFLICT);
    clock_set_offset(0);
}

/* At most public_comments_per_hour per client address in any hour, across drafts; the
 * hour slides: an hour after the first, one more is taken. Each accepted comment has its
 * audit row with no account. */
TEST(rate_limit_per_address)
{
    app.cfg.public_comments_per_hour = 2;
    char a[DOC_PUBLIC_SLUG_LEN + 1], b[DOC_PUBLIC_SLUG_LEN + 1];
    char later[40];
    clock_format_iso(clock_now() + 30 * 86400, later, sizeof(later));
    published(later, a);
    published(later, b);
    struct verrs e;
    int64_t now = clock_now();
    int64_t audits = one("SELECT COUNT(*) FROM audit_log WHERE action = 'doc_public_comment' "
                         "AND COALESCE(actor_id, 0) = 0 AND $1 = $1",
                         0);
    CHECK_INT(comment(a, "198.51.100.5", "Góp ý thứ nhất", &e), RES_OK);
    clock_set_offset(600);
    CHECK_INT(comment(b, "198.51.100.5", "Góp ý thứ hai", &e), RES_OK);
    CHECK_INT(comment(a, "198.51.100.5", "Góp ý thứ ba", &e), RES_LOCKED);
    CHECK(strstr(verrs_get(&e, "rate_limit"), "2 góp ý trong một giờ"));
    CHECK_INT(comment(a, "198.51.100.6", "Góp ý từ địa chỉ khác", &e), RES_OK);
    /* The same comment from the same address to the same draft: once. */
    CHECK_INT(comment(a, "198.51.100.6", "Góp ý từ địa chỉ khác", &e), RES_CONFLICT);
    CHECK(strstr(verrs_get(&e, "body"), "đã được gửi"));
    clock_set_offset(3601);
    CHECK_INT(comment(a, "198.51.100.5", "Góp ý thứ ba", &e), RES_OK);
    CHECK_INT(comment(a, "198.51.100.5", "Góp ý thứ tư", &e), RES_LOCKED);
    clock_set_offset(0);
    CHECK_INT(one("SELECT COUNT(*) FROM audit_log WHERE action = 'doc_public_comment' AND "
                  "COALESCE(actor_id, 0) = 0 AND $1 = $1",
                  0) -
                  audits,
              4);
    CHECK_INT(one("SELECT COUNT(*) FROM doc_public_comment WHERE client_key = '198.51.100.5' "
                  "AND $1 = $1",
                  0),
              3);
    (void)now;
    app.cfg.public_comments_per_hour = 5;
}

int main(void)
{
    struct actor sys;
    if (app_fixture_open(&app, &sys, data_dir, sizeof(data_dir), "public", true) != 0)
        return 2;
    specialist = member_of("040090000145");
    clerk = member_of("040090000143");
    RUN(text_clean);
    RUN(links_slug_client_key);
    RUN(deadline_closing_by_the_clock);
    RUN(rate_limit_per_address);
    return CHECK_DONE("test_public");
}
