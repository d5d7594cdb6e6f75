/* Documents (src/doc/) on a real SQLite database with the demo province: arrival
 * numbers are consecutive per register and year and restart at the Vietnamese new
 * year, stay unique and gapless under several threads registering at once and across
 * a failed transaction; every bad input is refused with its field error and changes
 * nothing; file formats are recognised from their bytes and a disguised file is
 * refused. (The same paths run on PostgreSQL in tests/integration/documents.test.mjs.) */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "blob/blob.h"
#include "app_fixture.h"
#include "check.h"
#include "core/audit.h"
#include "core/demo.h"
#include "core/role.h"
#include "core/tx.h"
#include "db/db.h"
#include "doc/doc.h"
#include "doc/doc_format.h"
#include "util/clock.h"
#include "util/str.h"

static char data_dir[64];
static struct app app;
static struct actor clerk, specialist;
static int64_t reg_id;

static const char pdf_bytes[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< "
                                "/Root 1 0 R >>\n%%EOF\n";

static int64_t one(const char *sql, int64_t arg)
{
    int64_t v = -1;
    CHECK_INT(db_one_i64(db_conn(app.db), &v, sql, "i", arg), RES_OK);
    return v;
}

/* Documents of the register numbered in 2026, the year of valid_input's receipt: the
 * demo's documents received "now" are numbered in the next year when the test runs on
 * the evening of 31 December (received at the next working period, standards.md §4). */
static int64_t docs_in(int64_t reg)
{
    return one("SELECT COUNT(*) FROM document WHERE register_id = $1 AND reg_year = 2026", reg);
}

/* Everything a registration writes, to prove that a refused one wrote nothing. */
static int64_t footprint(void)
{
    return one("SELECT (SELECT COUNT(*) FROM document) * 1000000 + (SELECT COUNT(*) FROM "
               "doc_file) * 10000 + (SELECT COUNT(*) FROM doc_history) * 100 + (SELECT "
               "COALESCE(SUM(next_number), 0) FROM doc_counter) + $1",
               0) +
           one("SELECT COUNT(*) FROM audit_log WHERE $1 = $1", 0) * 1000000000LL;
}

static struct actor member_of(const char *login, unsigned roles)
{
    struct actor a = {0};
    int64_t uid = 0, mid = 0, agency = 0;
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT id FROM app_user WHERE login = '%s' AND $1 = $1", login);
    uid = one(sql, 0);
    mid = one("SELECT id FROM membership WHERE user_id = $1", uid);
    agency = one("SELECT agency_id FROM membership WHERE user_id = $1", uid);
    a.user_id = uid;
    a.membership_id = mid;
    a.agency_id = agency;
    a.roles = roles;
    str_copy(a.login, login, sizeof(a.login));
    str_copy(a.full_name, login, sizeof(a.full_name));
    str_copy(a.client_addr, "test", sizeof(a.client_addr));
    return a;
}

static struct doc_incoming_input valid_input(const char *number)
{
    return (struct doc_incoming_input){.register_id = reg_id,
                                       .issuer_code = "000.00.02.H41",
                                       .issuer_name = "Sở Nội vụ",
                                       .number = number,
                                       .symbol = "SNV-CCVC",
                                       .issued_date = "2026-11-20",
                                       .doc_type = "cong_van",
                                       .subject = "Về việc cử công chức đi bồi dưỡng",
                                       .urgency = "khan",
                                       .received_at = "2026-11-25T09:00:00+07:00"};
}

static result_t reg(const struct doc_incoming_input *in, struct verrs *e,
                    struct doc_registered *out)
{
    struct doc_upload f = {.role = "main",
                           .file_name = "cong-van.pdf",
                           .data = (const unsigned char *)pdf_bytes,
                           .len = sizeof(pdf_bytes) - 1};
    return doc_register_incoming(&app, &clerk, in, &f, 1, e, out);
}

TEST(numbers_are_consecutive_and_restart_at_the_vietnamese_new_year)
{
    /* 1 January 00:00 in Vietnam is 31 December 17:00 UTC. */
    int64_t jan1_2027 = 0;
    CHECK_INT(clock_parse_date("2027-01-01", &jan1_2027), 0);
    CHECK_INT(doc_year_of(jan1_2027 - 1), 2026);
    CHECK_INT(doc_year_of(jan1_2027), 2027);

    struct doc_register_input ri = {.kind = "incoming", .name = "Sổ thử năm mới"};
    struct verrs e = {0};
    int64_t r2 = 0;
    CHECK_INT(doc_registers_create(&app, &clerk, clerk.agency_id, &ri, &e, &r2), RES_OK);
    int64_t saved = reg_id;
    reg_id = r2;
    clock_set_offset(0);
    clock_set_offset(jan1_2027 + 3600 - clock_now()); /* "now" is 1 January 2027, 01:00 */
    int64_t got[4];
    const char *when[4] = {"2026-12-31T08:00:00+07:00", "2026-12-31T23:59:59+07:00",
                           "2027-01-01T00:00:00+07:00", "2026-12-31T17:00:30Z"};
    for (int i = 0; i < 4; i++) {
        struct doc_incoming_input in = valid_input(i % 2 ? "15" : "16");
        char num[16];
        snprintf(num, sizeof(num), "%d", 40 + i);
        in.number = num;
        in.received_at = when[i];
        struct doc_registered out;
        struct verrs fe = {0};
        CHECK_INT(reg(&in, &fe, &out), RES_OK);
        got[i] = out.arrival_number * 10000 + out.year;
    }
    /* The year is the year of the receipt time (standards.md §4): 08:00 on 31/12 is in
     * office hours; what arrives after 17:00 on 31/12 counts from the next working
     * period, 07:30 on Monday 04/01/2027 (after Tết Dương lịch and the weekend), so it
     * is numbered in 2027, where numbering restarted (tests/unit/doc/test_intake.c
     * covers the receipt times themselves). */
    CHECK_INT(got[0], 1 * 10000 + 2026);
    CHECK_INT(got[1], 1 * 10000 + 2027);
    CHECK_INT(got[2], 2 * 10000 + 2027); /* restarts at midnight Vietnam time */
    CHECK_INT(got[3], 3 * 10000 + 2027); /* 17:00:30 UTC is already 2027 in Vietnam */
    clock_set_offset(0);
    reg_id = saved;
}

struct worker {
    int n;
    int failed;
};

static void *register_many(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < w->n; i++) {
        struct doc_incoming_input in = valid_input("1");
        char num[16];
        snprintf(num, sizeof(num), "%d", 1000 + (int)(((intptr_t)w & 0xfff) * 100) + i);
        in.number = num;
        in.confirm_duplicate = true;
        struct verrs e = {0};
        struct doc_registered out;
        if (reg(&in, &e, &out) != RES_OK)
            w->failed++;
    }
    return NULL;
}

TEST(parallel_registrations_get_unique_consecutive_numbers)
{
    struct doc_register_input ri = {.kind = "incoming", .name = "Sổ thử song song"};
    struct verrs e = {0};
    int64_t r3 = 0;
    CHECK_INT(doc_registers_create(&app, &clerk, clerk.agency_id, &ri, &e, &r3), RES_OK);
    int64_t saved = reg_id;
    reg_id = r3;
    enum { THREADS = 6, EACH = 20 };
    pthread_t th[THREADS];
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){.n = EACH};
        CHECK_INT(pthread_create(&th[i], NULL, register_many, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        CHECK_INT(w[i].failed, 0);
    }
    CHECK_INT(docs_in(r3), THREADS * EACH);
    CHECK_INT(one("SELECT COUNT(DISTINCT reg_number) FROM document WHERE register_id = $1", r3),
              THREADS * EACH);
    CHECK_INT(one("SELECT MIN(reg_number) FROM document WHERE register_id = $1", r3), 1);
    CHECK_INT(one("SELECT MAX(reg_number) FROM document WHERE register_id = $1", r3),
              THREADS * EACH);
    CHECK_INT(one("SELECT next_number FROM doc_counter WHERE register_id = $1", r3),
              THREADS * EACH + 1);
    reg_id = saved;
}

TEST(a_failed_transaction_gives_its_number_back)
{
    int64_t before = footprint(), n = docs_in(reg_id);
    struct doc_incoming_input in = valid_input("501");
    struct verrs e = {0};
    struct doc_registered out;
    audit_fail_next(1, RES_DB); /* the audit row cannot be written: nothing may stay */
    CHECK_INT(reg(&in, &e, &out), RES_DB);
    CHECK_INT(footprint(), before);
    CHECK_INT(reg(&in, &e, &out), RES_OK);
    CHECK_INT(out.arrival_number, n + 1); /* the number was not skipped */
    CHECK_INT(one("SELECT COUNT(*) FROM doc_history WHERE document_id = $1", out.id), 1);
    CHECK_INT(one("SELECT COUNT(*) FROM doc_file WHERE document_id = $1", out.id), 1);
}

/* The input with one change must be refused on `field`, with nothing written. */
static void refused(struct doc_incoming_input in, const char *field, const char *needle)
{
    int64_t before = footprint();
    struct verrs e = {0};
    struct doc_registered out;
    result_t r = reg(&in, &e, &out);
    CHECK_INT(r, RES_INVALID);
    const char *msg = verrs_get(&e, field);
    if (!msg || (needle && !strstr(msg, needle))) {
        fprintf(stderr, "  field %s: %s\n", field, msg ? msg : "(no error)");
        for (int i = 0; i < e.count; i++)
            fprintf(stderr, "    %s: %s\n", e.items[i].field, e.items[i].message);
        CHECK(false);
    }
    /* The messages are for clerks: no developer notes (document sections, format masks,
     * API field keys) in them; dates as the page shows them (dd/mm/yyyy). */
    static const char *const notes[] = {"standards.md", "YYYY",  "(trường", "ISO ",    "main)",
                                        "user_id",      "paper", "hoa_toc", "cong_van"};
    for (int i = 0; i < e.count; i++)
        for (size_t k = 0; k < sizeof(notes) / sizeof(notes[0]); k++)
            if (strstr(e.items[i].message, notes[k])) {
                fprintf(stderr, "  %s: developer note “%s” in: %s\n", e.items[i].field, notes[k],
                        e.items[i].message);
                CHECK(false);
            }
    CHECK_INT(footprint(), before);
}

TEST(bad_input_is_refused_with_its_field_error_and_changes_nothing)
{
    struct doc_incoming_input in = valid_input("77");
    in.register_id = 999999;
    refused(in, "register_id", "không có trong cơ quan");
    in = valid_input("77");
    in.register_id = one("SELECT MIN(id) FROM doc_register WHERE agency_id <> $1", clerk.agency_id);
    refused(in, "register_id", "không có trong cơ quan"); /* another agency's register */
    char long_subject[2100] = "";
    size_t used = 0;
    for (int i = 0; i < 501; i++) /* 501 characters, 1503 bytes */
        used += (size_t)snprintf(long_subject + used, sizeof(long_subject) - used, "ệ");
    in = valid_input("77");
    in.subject = long_subject;
    refused(in, "subject", "500");
    in = valid_input("77");
    in.subject = "   ";
    refused(in, "subject", "trích yếu");
    const char *secret[] = {"Mật", "Tối mật", "tuyet_mat"};
    for (int i = 0; i < 3; i++) {
        in = valid_input("77");
        in.secrecy = secret[i];
        refused(in, "secrecy", "bảo vệ bí mật nhà nước"); /* §3 */
    }
    in = valid_input("12/QĐ");
    refused(in, "number", "chữ số");
    in = valid_input("0");
    refused(in, "number", NULL);
    const char *bad_symbols[] = {"QĐ UBND", "QĐ/UBND", "-UBND", "QĐ--UBND", "QĐ-", "QĐ–UBND"};
    for (int i = 0; i < 6; i++) {
        in = valid_input("77");
        in.symbol = bad_symbols[i];
        refused(in, "symbol", "không đúng quy tắc"); /* §2 */
    }
    in = valid_input("77");
    in.issued_date = "2099-01-01";
    refused(in, "issued_date", "01/01/2099 ở tương lai");
    in = valid_input("77");
    in.issued_date = "2026-02-30";
    refused(in, "issued_date", "ngày/tháng/năm");
    in = valid_input("77");
    in.issued_date = "2026-11-26"; /* after the day it was received */
    refused(in, "issued_date", "sau ngày nhận");
    in = valid_input("77");
    in.due_date = "2020-01-01";
    refused(in, "due_date", "01/01/2020 đã qua");
    in = valid_input("77");
    in.received_at = "2099-01-01T08:00:00+07:00";
    refused(in, "received_at", "tương lai");
    in = valid_input("77");
    in.doc_type = "don_thu";
    refused(in, "doc_type", "danh mục");
    in = valid_input("77");
    in.urgency = "rat_gap";
    refused(in, "urgency", NULL);
    in = valid_input("77");
    in.issuer_code = "H41";
    refused(in, "issuer_code", "ví dụ 000.00.00.H41");

    /* files: none, two main files, a disguised executable, an oversized one */
    int64_t before = footprint();
    struct verrs e = {0};
    struct doc_registered out;
    in = valid_input("77");
    CHECK_INT(doc_register_incoming(&app, &clerk, &in, NULL, 0, &e, &out), RES_INVALID);
    CHECK(verrs_get(&e, "main") && strstr(verrs_get(&e, "main"), "bản quét PDF"));
    static const unsigned char exe[] = "MZ\x90\0\3\0\0\0\4\0\0\0\xff\xff\0\0 This program cannot";
    struct doc_upload disguised = {
        .role = "main", .file_name = "cong-van.pdf", .data = exe, .len = sizeof(exe)};
    e = (struct verrs){0};
    CHECK_INT(doc_register_incoming(&app, &clerk, &in, &disguised, 1, &e, &out), RES_INVALID);
    CHECK(verrs_get(&e, "main") && strstr(verrs_get(&e, "main"), "tệp chương trình (exe)"));
    long max = app.cfg.doc_max_file;
    app.cfg.doc_max_file = 10;
    struct doc_upload big = {.role = "main",
                             .file_name = "a.pdf",
                             .data = (const unsigned char *)pdf_bytes,
                             .len = sizeof(pdf_bytes) - 1};
    e = (struct verrs){0};
    CHECK_INT(doc_register_incoming(&app, &clerk, &in, &big, 1, &e, &out), RES_INVALID);
    CHECK(verrs_get(&e, "main") && strstr(verrs_get(&e, "main"), "quá giới hạn"));
    app.cfg.doc_max_file = max;
    struct doc_upload two[2] = {big, big};
    e = (struct verrs){0};
    CHECK_INT(doc_register_incoming(&app, &clerk, &in, two, 2, &e, &out), RES_INVALID);
    CHECK(verrs_get(&e, "main") && strstr(verrs_get(&e, "main"), "một tệp chính"));
    CHECK_INT(footprint(), before);

    /* not a clerk: refused before anything is looked at */
    e = (struct verrs){0};
    CHECK_INT(doc_register_incoming(&app, &specialist, &in, &big, 1, &e, &out), RES_FORBIDDEN);
    CHECK_INT(footprint(), before);
}

TEST(duplicate_is_reported_then_registered_when_confirmed)
{
    struct doc_incoming_input in = valid_input("321");
    struct verrs e = {0};
    struct doc_registered first, out;
    CHECK_INT(reg(&in, &e, &first), RES_OK);
    int64_t before = footprint();
    CHECK_INT(reg(&in, &e, &out), RES_CONFLICT);
    CHECK_INT(out.duplicate_of, first.id);
    CHECK(verrs_get(&e, "confirm_duplicate") &&
          strstr(verrs_get(&e, "confirm_duplicate"), "321/SNV-CCVC"));
    CHECK_INT(footprint(), before);
    /* another issuer with the same number is not a duplicate */
    in.issuer_code = "000.00.03.H41";
    in.issuer_name = "Sở Tài chính";
    e = (struct verrs){0};
    CHECK_INT(reg(&in, &e, &out), RES_OK);
    in = valid_input("321");
    in.confirm_duplicate = true;
    CHECK_INT(reg(&in, &e, &out), RES_OK);
    CHECK_INT(out.arrival_number, first.arrival_number + 2);
}

/* A zip with the given entries (name, content), for the container checks. */
static size_t make_zip(const char *const *entries, int n, unsigned char *out, size_t cap)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    zip_source_keep(src);
    for (int i = 0; i < n; i++) {
        zip_source_t *f = zip_source_buffer(za, entries[2 * i + 1], strlen(entries[2 * i + 1]), 0);
        zip_file_add(za, entries[2 * i], f, ZIP_FL_ENC_UTF_8);
    }
    zip_close(za);
    zip_source_open(src);
    zip_int64_t got = zip_source_read(src, out, cap);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    return got > 0 ? (size_t)got : 0;
}

static result_t check(const char *name, const void *data, size_t len, enum doc_format *f, char *msg)
{
    return doc_format_check(name, data, len, f, msg, 400);
}

TEST(formats_are_recognised_from_content_and_disguises_refused)
{
    enum doc_format f;
    char msg[400];
    CHECK_INT(check("a.pdf", pdf_bytes, sizeof(pdf_bytes) - 1, &f, msg), RES_OK);
    CHECK_INT(f, FMT_PDF);
    CHECK_INT(check("A.PDF", pdf_bytes, sizeof(pdf_bytes) - 1, &f, msg), RES_OK);

    static unsigned char zip[8192];
    const char *docx[] = {"[Content_Types].xml", "<Types/>", "word/document.xml", "<w:document/>"};
    size_t n = make_zip(docx, 2, zip, sizeof(zip));
    CHECK(n > 0);
    CHECK_INT(check("bao-cao.docx", zip, n, &f, msg), RES_OK);
    CHECK_INT(f, FMT_DOCX);
    CHECK_INT(check("bao-cao.xlsx", zip, n, &f, msg), RES_INVALID); /* a Word file named .xlsx */
    CHECK(strstr(msg, "Word (.docx)") != NULL);
    const char *xlsx[] = {"[Content_Types].xml", "<Types/>", "xl/workbook.xml", "<workbook/>"};
    n = make_zip(xlsx, 2, zip, sizeof(zip));
    CHECK_INT(check("so-lieu.xlsx", zip, n, &f, msg), RES_OK);
    CHECK_INT(f, FMT_XLSX);
    const char *odt[] = {"mimetype", "application/vnd.oasis.opendocument.text", "content.xml",
                         "<office:document-content/>"};
    n = make_zip(odt, 2, zip, sizeof(zip));
    CHECK_INT(check("du-thao.odt", zip, n, &f, msg), RES_OK);
    CHECK_INT(f, FMT_ODT);
    const char *plain[] = {"virus.exe", "MZ..."};
    n = make_zip(plain, 1, zip, sizeof(zip));
    CHECK_INT(check("tai-lieu.docx", zip, n, &f, msg), RES_INVALID); /* a plain archive */
    CHECK(strstr(msg, "zip") != NULL);

    static const unsigned char exe[] = "MZ\x90\0\3\0\0\0";
    CHECK_INT(check("cong-van.pdf", exe, sizeof(exe), &f, msg), RES_INVALID);
    CHECK(strstr(msg, "tệp chương trình (exe)") && strstr(msg, "cong-van.pdf"));
    CHECK_INT(check("setup.exe", exe, sizeof(exe), &f, msg), RES_INVALID);
    CHECK(strstr(msg, "không được phép") != NULL);
    static const unsigned char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    CHECK_INT(check("scan.png", png, sizeof(png), &f, msg), RES_OK);
    CHECK_INT(check("scan.pdf", png, sizeof(png), &f, msg), RES_INVALID);
    CHECK(strstr(msg, "ảnh PNG") != NULL);
    static const unsigned char jpg[] = "\xFF\xD8\xFF\xE0\0\x10JFIF";
    CHECK_INT(check("anh.JPG", jpg, sizeof(jpg), &f, msg), RES_OK);
    CHECK_INT(f, FMT_JPEG);
    static const unsigned char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0";
    CHECK_INT(check("cu.doc", ole, sizeof(ole), &f, msg), RES_OK);
    CHECK_INT(f, FMT_DOC);
    CHECK_INT(check("cu.xls", ole, sizeof(ole), &f, msg), RES_OK);
    CHECK_INT(f, FMT_XLS);
    const char *txt = "Danh sách cán bộ\nNguyễn Văn A;Chuyên viên\n";
    CHECK_INT(check("ds.csv", txt, strlen(txt), &f, msg), RES_OK);
    CHECK_INT(f, FMT_CSV);
    CHECK_INT(check("ghi-chu.txt", txt, strlen(txt), &f, msg), RES_OK);
    const char *html = "<html><script>alert(1)</script></html>";
    CHECK_INT(check("ghi-chu.txt", html, strlen(html), &f, msg), RES_INVALID);
    const char *rtf = "{\\rtf1\\ansi Cong van}";
    CHECK_INT(check("cv.rtf", rtf, strlen(rtf), &f, msg), RES_OK);
    CHECK_INT(check("empty.pdf", "", 0, &f, msg), RES_INVALID);
    CHECK(strstr(msg, "rỗng") != NULL);
    CHECK_INT(check("noext", pdf_bytes, 10, &f, msg), RES_INVALID);
}

TEST(catalogue_rules)
{
    CHECK(doc_symbol_valid("QĐ-UBND"));
    CHECK(doc_symbol_valid("UBND-VP"));
    CHECK(doc_symbol_valid("VPCP-TTĐT"));
    CHECK(doc_symbol_valid("QĐ-UBND.VX"));
    CHECK(!doc_symbol_valid("QĐ-UBND."));
    CHECK(!doc_symbol_valid(""));
    CHECK(doc_number_valid("07"));
    CHECK(doc_number_valid("1234"));
    CHECK(!doc_number_valid("00"));
    CHECK(!doc_number_valid("12a"));
    CHECK(!doc_number_valid("12345678"));
    CHECK_INT(doc_urgency_parse("Thượng khẩn"), 2);
    CHECK_INT(doc_urgency_parse("hoa_toc"), 3);
    CHECK_INT(doc_urgency_parse(NULL), 0);
    CHECK_INT(doc_secrecy_parse("TỐI MẬT"), 2);
    CHECK_INT(doc_secrecy_parse(""), 0);
    CHECK_INT(doc_secrecy_parse("bí mật"), -1);
    CHECK(doc_type_find("quyet_dinh") && !strcmp(doc_type_find("quyet_dinh")->abbr, "QĐ"));
    CHECK(doc_type_find("cong_van") && !*doc_type_find("cong_van")->abbr);
    CHECK_INT(doc_type_count, 32);
}

TEST(reading_follows_the_policy)
{
    struct doc_incoming_input in = valid_input("888");
    struct verrs e = {0};
    struct doc_registered out;
    CHECK_INT(reg(&in, &e, &out), RES_OK);
    json_t *doc = NULL;
    CHECK_INT(doc_get(&app, &clerk, out.id, &doc), RES_OK);
    CHECK_STR(json_string_value(json_object_get(doc, "number_symbol")), "888/SNV-CCVC");
    CHECK_INT(json_array_size(json_object_get(doc, "history")), 1);
    json_decref(doc);
    doc = NULL;
    CHECK_INT(doc_get(&app, &specialist, out.id, &doc), RES_NOT_FOUND); /* not on it */
    struct actor other = clerk;
    other.agency_id = one("SELECT MIN(id) FROM agency WHERE id <> $1", clerk.agency_id);
    CHECK_INT(doc_get(&app, &other, out.id, &doc), RES_NOT_FOUND);
    struct doc_file_data fd = {0};
    buf_init(&fd.data, 1 << 20);
    int64_t file_id = one("SELECT id FROM doc_file WHERE document_id = $1", out.id);
    CHECK_INT(doc_file_get(&app, &clerk, out.id, file_id, &fd), RES_OK);
    CHECK_INT(fd.data.len, sizeof(pdf_bytes) - 1);
    CHECK_STR(fd.content_type, "application/pdf");
    CHECK_INT(doc_file_get(&app, &specialist, out.id, file_id, &fd), RES_NOT_FOUND);
    buf_release(&fd.data);
    /* keyset paging: two pages of two cover the four newest without overlap */
    struct doc_filter f = {.limit = 2, .urgency = -1, .register_id = reg_id};
    json_t *p1 = NULL, *p2 = NULL;
    char *next = NULL, *next2 = NULL;
    CHECK_INT(doc_list(&app, &clerk, &f, &e, &p1, &next), RES_OK);
    CHECK(next != NULL);
    f.cursor = next;
    CHECK_INT(doc_list(&app, &clerk, &f, &e, &p2, &next2), RES_OK);
    CHECK_INT(json_array_size(p1), 2);
    CHECK_INT(json_array_size(p2), 2);
    int64_t a1 = json_integer_value(json_object_get(json_array_get(p1, 1), "id"));
    int64_t b0 = json_integer_value(json_object_get(json_array_get(p2, 0), "id"));
    CHECK(a1 != b0);
    json_decref(p1);
    json_decref(p2);
    free(next);
    free(next2);
    /* the specialist lists only what they are on (the demo's workflow put them on some,
     * not on the one registered here): each one they may open, and exactly as many as
     * the documents with a row of theirs */
    json_t *mine = NULL;
    char *n3 = NULL;
    struct doc_filter all = {.urgency = -1, .limit = DOC_LIST_MAX};
    CHECK_INT(doc_list(&app, &specialist, &all, &e, &mine, &n3), RES_OK);
    CHECK_INT((int64_t)json_array_size(mine),
              one("SELECT COUNT(DISTINCT p.document_id) FROM doc_participant p JOIN document d ON "
                  "d.id = p.document_id WHERE p.user_id = $1 AND d.direction = 'incoming'",
                  specialist.user_id)); /* the list's default direction */
    size_t k;
    json_t *m;
    json_array_foreach(mine, k, m)
    {
        json_t *d = NULL;
        int64_t mid = json_integer_value(json_object_get(m, "id"));
        CHECK(mid != out.id);
        CHECK_INT(doc_get(&app, &specialist, mid, &d), RES_OK);
        json_decref(d);
    }
    json_decref(mine);
    free(n3);
}

int main(void)
{
    struct actor sys;
    if (app_fixture_open(&app, &sys, data_dir, sizeof(data_dir), "doc", true) != 0 ||
        doc_demo_seed(&app) != RES_OK)
        return 2;
    clerk = member_of("040090000143", ROLE_CLERK);           /* văn thư, Sở KH&CN */
    specialist = member_of("040090000145", ROLE_SPECIALIST); /* chuyên viên, Sở KH&CN */
    reg_id = one("SELECT id FROM doc_register WHERE agency_id = $1", clerk.agency_id);
    /* the tests' fixed dates are in 2026; run them as on 1 December 2026 */
    int64_t dec1 = 0;
    clock_parse_date("2026-12-01", &dec1);
    int64_t offset = dec1 + 10 * 3600 - clock_now();

    clock_set_offset(offset);
    RUN(catalogue_rules);
    RUN(formats_are_recognised_from_content_and_disguises_refused);
    RUN(bad_input_is_refused_with_its_field_error_and_changes_nothing);
    RUN(a_failed_transaction_gives_its_number_back);
    RUN(duplicate_is_reported_then_registered_when_confirmed);
    RUN(reading_follows_the_policy);
    RUN(parallel_registrations_get_unique_consecutive_numbers);
    RUN(numbers_are_consecutive_and_restart_at_the_vietnamese_new_year);
    clock_set_offset(0);
    blob_close(app.blobs);
    db_close(app.db);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", data_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup of %s failed\n", data_dir);
    return CHECK_DONE("test_doc");
}
