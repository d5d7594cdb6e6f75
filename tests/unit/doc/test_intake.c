/* Receiving documents (src/doc/doc_incoming.c, doc_deliver.c, doc_book.c) on a real
 * SQLite database with the demo province: the receipt time of standards.md §4 across a
 * weekend, Tết and the lunch break, kept beside the arrival instant; delivery of an
 * issued document to another agency of the installation (§5) with the same files and a
 * history row on both sides; the clerk registering an arrived document (numbering,
 * duplicate warning of ND30 Phụ lục VI with the earlier document's summary) or refusing
 * it with a reason the sender sees; conflicts on a document that is not arrived, 404 for
 * another agency, and nothing changed on any error; the register book (§9) as PDF and
 * XLSX. (The same paths run on PostgreSQL in tests/integration/documents_intake.test.mjs.) */
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "app_fixture.h"
#include "check.h"
#include "core/calendar.h"
#include "core/role.h"
#include "core/tx.h"
#include "db/db.h"
#include "doc/doc.h"
#include "util/clock.h"
#include "util/str.h"

static char data_dir[64];
static struct app app;
static struct actor sys, clerk, specialist, province_clerk, ward_clerk, leader;
static int64_t reg_id, province_id, skhcn_id, ward_id;

static const char pdf_bytes[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< "
                                "/Root 1 0 R >>\n%%EOF\n";

static int64_t one(const char *sql, int64_t arg)
{
    int64_t v = -1;
    CHECK_INT(db_one_i64(db_conn(app.db), &v, sql, "i", arg), RES_OK);
    return v;
}

/* Everything an action writes, to prove that a refused one wrote nothing. */
static int64_t footprint(void)
{
    return one("SELECT (SELECT COUNT(*) FROM document) * 1000000 + (SELECT COUNT(*) FROM "
               "doc_file) * 10000 + (SELECT COUNT(*) FROM doc_history) * 100 + (SELECT "
               "COALESCE(SUM(next_number), 0) FROM doc_counter) + (SELECT COUNT(*) FROM document "
               "WHERE state = 'arrived') * 7 + $1",
               0) +
           one("SELECT COUNT(*) FROM audit_log WHERE $1 = $1", 0) * 1000000000LL;
}

static struct actor member_of(const char *login, unsigned roles)
{
    struct actor a = {0};
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT id FROM app_user WHERE login = '%s' AND $1 = $1", login);
    a.user_id = one(sql, 0);
    a.membership_id = one("SELECT id FROM membership WHERE user_id = $1", a.user_id);
    a.agency_id = one("SELECT agency_id FROM membership WHERE user_id = $1", a.user_id);
    a.roles = roles;
    str_copy(a.login, login, sizeof(a.login));
    str_copy(a.full_name, login, sizeof(a.full_name));
    str_copy(a.client_addr, "test", sizeof(a.client_addr));
    return a;
}

static int64_t agency_of(const char *code)
{
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT id FROM agency WHERE code = '%s' AND $1 = $1", code);
    return one(sql, 0);
}

static int64_t at(const char *iso_date, int h, int m)
{
    int64_t t = 0;
    CHECK_INT(clock_parse_date(iso_date, &t), 0);
    return t + h * 3600 + m * 60;
}

static const char *iso(int64_t t)
{
    static char b[4][40];
    static int k;
    k = (k + 1) % 4;
    clock_format_iso(t, b[k], sizeof(b[k]));
    return b[k];
}

/* ---- 1. receipt time (§4) ---- */

static result_t register_paper(const char *number, const char *arrived, struct doc_registered *out)
{
    struct doc_incoming_input in = {.register_id = reg_id,
                                    .issuer_code = "000.00.02.H41",
                                    .issuer_name = "Sở Nội vụ",
                                    .number = number,
                                    .symbol = "SNV-VP",
                                    .issued_date = "2026-02-10",
                                    .doc_type = "cong_van",
                                    .subject = "Về việc thử thời điểm nhận văn bản",
                                    .received_at = arrived};
    struct doc_upload f = {.role = "main",
                           .file_name = "cv.pdf",
                           .data = (const unsigned char *)pdf_bytes,
                           .len = sizeof(pdf_bytes) - 1};
    struct verrs e = {0};
    result_t r = doc_register_incoming(&app, &clerk, &in, &f, 1, &e, out);
    if (r != RES_OK)
        fprintf(stderr, "register %s: %s %s\n", number, result_name(r),
                e.count ? e.items[0].message : "");
    return r;
}

TEST(receipt_time_follows_the_working_calendar)
{
    static const struct {
        const char *arrived, *received, *why;
    } cases[] = {
        /* inside office hours (Wednesday 25/11/2026): the instant itself */
        {"2026-11-25T09:00:00+07:00", "2026-11-25T09:00:00+07:00", "office hours"},
        /* the lunch break counts from the afternoon period */
        {"2026-11-25T12:10:00+07:00", "2026-11-25T13:30:00+07:00", "lunch break"},
        /* before the morning period */
        {"2026-11-25T06:00:00+07:00", "2026-11-25T07:30:00+07:00", "early morning"},
        /* Friday evening and the weekend: Monday 30/11 07:30 */
        {"2026-11-27T17:30:00+07:00", "2026-11-30T07:30:00+07:00", "Friday evening"},
        {"2026-11-28T10:00:00+07:00", "2026-11-30T07:30:00+07:00", "Saturday"},
        /* Tết Bính Ngọ: 16/02/2026 (29 tháng Chạp) to 20/02 are days off, then the
         * weekend: Monday 23/02 07:30 */
        {"2026-02-16T09:00:00+07:00", "2026-02-23T07:30:00+07:00", "Tết"},
        {"2026-02-13T16:59:00+07:00", "2026-02-13T16:59:00+07:00", "before Tết"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char number[16];
        snprintf(number, sizeof(number), "%zu", 500 + i);
        struct doc_registered out;
        CHECK_INT(register_paper(number, cases[i].arrived, &out), RES_OK);
        if (!out.id)
            continue;
        json_t *doc = NULL;
        CHECK_INT(doc_get(&app, &clerk, out.id, &doc), RES_OK);
        const char *arrived = json_string_value(json_object_get(doc, "arrived_at"));
        const char *received = json_string_value(json_object_get(doc, "received_at"));
        if (!arrived || !received || strcmp(arrived, cases[i].arrived) ||
            strcmp(received, cases[i].received))
            fprintf(stderr, "%s: arrived %s received %s\n", cases[i].why, arrived ? arrived : "-",
                    received ? received : "-");
        CHECK_STR(arrived, cases[i].arrived);
        CHECK_STR(received, cases[i].received);
        CHECK_STR(iso(out.received_at), cases[i].received);
        CHECK_INT(out.year, 2026);
        json_decref(doc);
    }
}

/* ---- 2. delivery (§5) ---- */

struct make_out {
    const char *symbol, *state, *issued_date;
    const char *hash;
    int64_t size, id;
};

/* An issuing copy of UBND tỉnh, as the outgoing issue will write it. */
static result_t make_out_tx(struct tx *t, void *arg)
{
    struct make_out *m = arg;
    struct db_conn *c = tx_conn(t);
    result_t r = db_one_i64(
        c, &m->id,
        "INSERT INTO document (agency_id, direction, state, medium, issuer_code, issuer_name, "
        "number, symbol, issued_date, doc_type, subject, subject_folded, signer_name, "
        "signer_position, page_count, urgency, notes, created_at, updated_at) VALUES ($1, "
        "'outgoing', $2, 'electronic', '', '', '88', $3, $4, 'cong_van', 'Về việc kiểm thử "
        "liên thông văn bản', 've viec kiem thu lien thong van ban', 'Nguyễn Văn Hùng', 'Chủ "
        "tịch', 3, 1, 'ghi chú nội bộ của bên gửi', $5, $5) RETURNING id",
        "ittti", province_id, m->state, m->symbol, m->issued_date, (int64_t)clock_now());
    if (r != RES_OK)
        return r;
    if ((r = blob_ref(c, m->hash, m->size)) != RES_OK)
        return r;
    /* two versions of the main file: only the newest goes out */
    for (int v = 1; v <= 2 && r == RES_OK; v++)
        r = db_run(c,
                   "INSERT INTO doc_file (document_id, role, seq, version, file_name, "
                   "content_type, format, size, blob_hash, created_at) VALUES ($1, 'main', 0, "
                   "$2, $3, 'application/pdf', 'pdf', $4, $5, $6)",
                   "iititi", m->id, (int64_t)v, v == 1 ? "bản nháp.pdf" : "Công văn 88.pdf",
                   m->size, m->hash, (int64_t)clock_now());
    if (r == RES_OK)
        r = db_run(c,
                   "INSERT INTO doc_file (document_id, role, seq, version, file_name, "
                   "content_type, format, size, blob_hash, created_at) VALUES ($1, 'appendix', 1, "
                   "1, 'Phụ lục.pdf', 'application/pdf', 'pdf', $2, $3, $4)",
                   "iiti", m->id, m->size, m->hash, (int64_t)clock_now());
    return r;
}

static int64_t make_out(const char *symbol, const char *state)
{
    struct make_out m = {.symbol = symbol, .state = state, .issued_date = "2026-11-30"};
    char hash[BLOB_HASH_LEN + 1];
    CHECK_INT(blob_put(app.blobs, pdf_bytes, sizeof(pdf_bytes) - 1, hash), RES_OK);
    m.hash = hash;
    m.size = sizeof(pdf_bytes) - 1;
    CHECK_INT(tx_run_noaudit(app.db, make_out_tx, &m), RES_OK);
    return m.id;
}

struct deliver {
    const struct actor *a;
    struct calendar *cal;
    int64_t source, to, now, copy;
};

static result_t deliver_tx(struct tx *t, void *arg)
{
    struct deliver *d = arg;
    return doc_deliver_internal(t, d->cal, d->a, d->source, d->to, d->now, &d->copy);
}

static result_t deliver(const struct actor *a, int64_t source, int64_t to, int64_t now,
                        int64_t *copy)
{
    struct calendar *cal = NULL;
    CHECK_INT(doc_calendar_load(&app, &cal), RES_OK);
    struct deliver d = {.a = a, .cal = cal, .source = source, .to = to, .now = now};
    result_t r = tx_run(app.db, deliver_tx, &d);
    free(cal);
    *copy = d.copy;
    return r;
}

static const char *hist_action(int64_t doc, int step)
{
    static char out[4][64];
    static int k;
    k = (k + 1) % 4;
    out[k][0] = '\0';
    struct db_stmt *s = NULL;
    if (db_query(db_conn(app.db), &s,
                 "SELECT action, comment FROM doc_history WHERE document_id = $1 AND step = $2",
                 "ii", doc, (int64_t)step) == RES_OK &&
        db_step(s) == RES_ROW)
        snprintf(out[k], sizeof(out[k]), "%s", db_col_text(s, 0));
    db_finalize(s);
    return out[k];
}

static bool hist_comment_has(int64_t doc, const char *action, const char *needle)
{
    struct db_stmt *s = NULL;
    bool found = false;
    if (db_query(db_conn(app.db), &s,
                 "SELECT comment FROM doc_history WHERE document_id = $1 AND action = $2", "it",
                 doc, action) == RES_OK)
        while (db_step(s) == RES_ROW)
            found |= strstr(db_col_text(s, 0), needle) != NULL;
    db_finalize(s);
    return found;
}

TEST(delivery_creates_the_receivers_arrived_copy_with_the_same_files)
{
    int64_t src = make_out("UBND-TEST", "issued");
    int64_t now = at("2026-12-01", 10, 0); /* Tuesday, office hours */
    int64_t audits = one("SELECT COUNT(*) FROM audit_log WHERE $1 = $1", 0);
    int64_t copy = 0;
    CHECK_INT(deliver(&province_clerk, src, skhcn_id, now, &copy), RES_OK);
    CHECK(copy > 0);
    json_t *doc = NULL;
    CHECK_INT(doc_get(&app, &clerk, copy, &doc), RES_OK);
    if (!doc)
        return;
    CHECK_STR(json_string_value(json_object_get(doc, "direction")), "incoming");
    CHECK_STR(json_string_value(json_object_get(doc, "state")), "arrived");
    CHECK_STR(json_string_value(json_object_get(doc, "medium")), "electronic");
    CHECK_INT(json_integer_value(json_object_get(doc, "source_document_id")), src);
    CHECK_INT(json_integer_value(json_object_get(doc, "agency_id")), skhcn_id);
    /* the issuer is the sending agency when the outgoing row leaves it empty */
    CHECK_STR(json_string_value(json_object_get(doc, "issuer_code")), "000.00.00.H41");
    CHECK_STR(json_string_value(json_object_get(doc, "issuer_name")),
              "Ủy ban nhân dân tỉnh Nghệ An");
    CHECK_STR(json_string_value(json_object_get(doc, "number_symbol")), "88/UBND-TEST");
    CHECK_STR(json_string_value(json_object_get(doc, "subject")),
              "Về việc kiểm thử liên thông văn bản");
    CHECK_STR(json_string_value(json_object_get(doc, "notes")), ""); /* the sender's own */
    CHECK(json_is_null(json_object_get(doc, "arrival_number")));     /* not registered yet */
    CHECK_STR(json_string_value(json_object_get(doc, "arrived_at")), iso(now));
    CHECK_STR(json_string_value(json_object_get(doc, "received_at")), iso(now));
    json_t *files = json_object_get(doc, "files");
    CHECK_INT(json_array_size(files), 2); /* the newest main file and the appendix */
    CHECK_STR(json_string_value(json_object_get(json_array_get(files, 0), "file_name")),
              "Công văn 88.pdf");
    json_decref(doc);
    CHECK_INT(one("SELECT COUNT(*) FROM doc_file f JOIN doc_file g ON g.blob_hash = f.blob_hash "
                  "WHERE f.document_id = $1 AND g.document_id <> f.document_id",
                  copy) >= 2,
              1);
    /* the file is readable by the receiving clerk, verified against its hash */
    struct doc_file_data fd = {0};
    buf_init(&fd.data, 1 << 20);
    CHECK_INT(doc_file_get(&app, &clerk, copy,
                           one("SELECT MIN(id) FROM doc_file WHERE document_id = $1", copy), &fd),
              RES_OK);
    CHECK_INT(fd.data.len, sizeof(pdf_bytes) - 1);
    buf_release(&fd.data);
    CHECK_STR(hist_action(copy, 1), "received");
    CHECK(hist_comment_has(src, "delivered", "Sở Khoa học và Công nghệ"));
    CHECK_INT(one("SELECT COUNT(*) FROM audit_log WHERE $1 = $1", 0), audits + 2);
    CHECK_INT(one("SELECT COUNT(*) FROM audit_log WHERE action = 'doc_arrive' AND agency_id = $1",
                  skhcn_id) >= 1,
              1);

    /* §4: delivered on a Saturday, it counts from Monday 07:30 */
    int64_t copy2 = 0;
    CHECK_INT(deliver(&sys, src, ward_id, at("2026-12-05", 9, 0), &copy2), RES_OK);
    CHECK_INT(one("SELECT received_at FROM document WHERE id = $1", copy2),
              at("2026-12-07", 7, 30));
    CHECK_INT(one("SELECT arrived_at FROM document WHERE id = $1", copy2), at("2026-12-05", 9, 0));

    /* refusals change nothing */
    int64_t before = footprint();
    int64_t x = 0;
    CHECK_INT(deliver(&sys, src, skhcn_id, now, &x), RES_CONFLICT);   /* already delivered there */
    CHECK_INT(deliver(&sys, src, province_id, now, &x), RES_INVALID); /* its own agency */
    CHECK_INT(deliver(&sys, src, 999999, now, &x), RES_NOT_FOUND);
    CHECK_INT(deliver(&sys, 999999, skhcn_id, now, &x), RES_NOT_FOUND);
    int64_t draft = make_out("UBND-NHAP", "draft");
    before = footprint();
    CHECK_INT(deliver(&sys, draft, skhcn_id, now, &x), RES_CONFLICT); /* not issued */
    /* only the sender's clerks deliver: another agency's clerk does not see the source */
    CHECK_INT(deliver(&clerk, src, ward_id, now, &x), RES_NOT_FOUND);
    CHECK_INT(footprint(), before);
}

/* ---- 3. register or refuse an arrived document ---- */

static result_t reg_arrived(const struct actor *a, int64_t id, int64_t register_id, bool confirm,
                            struct verrs *e, struct doc_registered *out)
{
    struct doc_arrived_input in = {.register_id = register_id,
                                   .page_count = 4,
                                   .notes = "Bản điện tử, có chữ ký số hợp lệ",
                                   .confirm_duplicate = confirm};
    return doc_register_arrived(&app, a, id, &in, e, out);
}

TEST(clerk_registers_an_arrived_document_with_the_next_arrival_number)
{
    int64_t src = make_out("UBND-VS", "issued"), copy = 0;
    CHECK_INT(deliver(&province_clerk, src, skhcn_id, at("2026-12-01", 10, 5), &copy), RES_OK);
    struct verrs e = {0};
    struct doc_registered out;
    int64_t before = footprint();
    /* the leader sees it but does not register (403); a specialist not on it and another
     * agency's clerk may not know it (404); nothing written */
    CHECK_INT(reg_arrived(&leader, copy, reg_id, false, &e, &out), RES_FORBIDDEN);
    CHECK_INT(reg_arrived(&specialist, copy, reg_id, false, &e, &out), RES_NOT_FOUND);
    CHECK_INT(reg_arrived(&ward_clerk, copy, reg_id, false, &e, &out), RES_NOT_FOUND);
    CHECK_INT(reg_arrived(&clerk, 999999, reg_id, false, &e, &out), RES_NOT_FOUND);
    /* the ward's register is not one of the agency's */
    int64_t ward_reg = one("SELECT MIN(id) FROM doc_register WHERE agency_id = $1", ward_id);
    struct verrs e2 = {0};
    CHECK_INT(reg_arrived(&clerk, copy, ward_reg, false, &e2, &out), RES_INVALID);
    CHECK(verrs_get(&e2, "register_id") != NULL);
    struct verrs e3 = {0};
    struct doc_arrived_input bad = {.register_id = reg_id, .page_count = 200000};
    CHECK_INT(doc_register_arrived(&app, &clerk, copy, &bad, &e3, &out), RES_INVALID);
    CHECK(verrs_get(&e3, "page_count") != NULL);
    CHECK_INT(footprint(), before);

    int64_t next = one("SELECT COALESCE((SELECT next_number FROM doc_counter WHERE register_id = "
                       "$1 AND year = 2026), 1)",
                       reg_id);
    struct verrs e4 = {0};
    CHECK_INT(reg_arrived(&clerk, copy, reg_id, false, &e4, &out), RES_OK);
    CHECK_INT(out.arrival_number, next);
    CHECK_INT(out.year, 2026);
    json_t *doc = NULL;
    CHECK_INT(doc_get(&app, &clerk, copy, &doc), RES_OK);
    CHECK_STR(json_string_value(json_object_get(doc, "state")), "registered");
    CHECK_INT(json_integer_value(json_object_get(doc, "arrival_number")), next);
    CHECK_INT(json_integer_value(json_object_get(doc, "page_count")), 4);
    CHECK_STR(json_string_value(json_object_get(doc, "notes")), "Bản điện tử, có chữ ký số hợp lệ");
    json_decref(doc);
    CHECK_STR(hist_action(copy, 2), "registered");
    CHECK(hist_comment_has(src, "accepted", "Sở Khoa học và Công nghệ"));
    CHECK_INT(one("SELECT COUNT(*) FROM audit_log WHERE action = 'doc_register_arrived' AND "
                  "object_id = CAST($1 AS TEXT)",
                  copy),
              1);

    /* registered already: a conflict naming the state, nothing written */
    before = footprint();
    struct verrs e5 = {0};
    CHECK_INT(reg_arrived(&clerk, copy, reg_id, false, &e5, &out), RES_CONFLICT);
    CHECK(verrs_get(&e5, "state") && strstr(verrs_get(&e5, "state"), "đã vào sổ"));
    struct verrs e6 = {0};
    CHECK_INT(doc_refuse(&app, &clerk, copy, "Gửi nhầm", &e6), RES_CONFLICT);
    CHECK(verrs_get(&e6, "state") != NULL);
    /* a paper document registered the usual way is not arrived either */
    struct doc_registered paper;
    CHECK_INT(register_paper("771", "2026-11-30T08:00:00+07:00", &paper), RES_OK);
    before = footprint();
    struct verrs e7 = {0};
    CHECK_INT(reg_arrived(&clerk, paper.id, reg_id, false, &e7, &out), RES_CONFLICT);
    CHECK_INT(footprint(), before);
}

TEST(duplicate_warning_names_the_earlier_document)
{
    /* the paper copy of the same letter was registered first (ND30 Phụ lục VI identity:
     * issuer, number and symbol, date) */
    struct doc_incoming_input in = {.register_id = reg_id,
                                    .issuer_code = "000.00.00.H41",
                                    .issuer_name = "Ủy ban nhân dân tỉnh Nghệ An",
                                    .number = "88",
                                    .symbol = "UBND-TRUNG",
                                    .issued_date = "2026-11-30",
                                    .doc_type = "cong_van",
                                    .subject = "Bản giấy của công văn 88 về kiểm thử liên thông",
                                    .received_at = "2026-12-01T08:00:00+07:00"};
    struct doc_upload f = {.role = "main",
                           .file_name = "cv.pdf",
                           .data = (const unsigned char *)pdf_bytes,
                           .len = sizeof(pdf_bytes) - 1};
    struct verrs e = {0};
    struct doc_registered first;
    CHECK_INT(doc_register_incoming(&app, &clerk, &in, &f, 1, &e, &first), RES_OK);
    int64_t src = make_out("UBND-TRUNG", "issued"), copy = 0;
    CHECK_INT(deliver(&province_clerk, src, skhcn_id, at("2026-12-01", 10, 30), &copy), RES_OK);
    int64_t before = footprint();
    struct doc_registered out;
    CHECK_INT(reg_arrived(&clerk, copy, reg_id, false, &e, &out), RES_CONFLICT);
    CHECK_INT(out.duplicate_of, first.id);
    CHECK_INT(out.duplicate.id, first.id);
    CHECK_INT(out.duplicate.arrival_number, first.arrival_number);
    CHECK_INT(out.duplicate.register_id, reg_id);
    CHECK_STR(out.duplicate.register_name, "Sổ văn bản đến");
    CHECK_STR(out.duplicate.subject, "Bản giấy của công văn 88 về kiểm thử liên thông");
    CHECK_STR(out.duplicate.number_symbol, "88/UBND-TRUNG");
    CHECK_STR(iso(out.duplicate.received_at), "2026-12-01T08:00:00+07:00");
    json_t *j = doc_duplicate_json(&out.duplicate);
    CHECK_STR(json_string_value(json_object_get(j, "received_at")), "2026-12-01T08:00:00+07:00");
    CHECK_INT(json_integer_value(json_object_get(j, "arrival_number")), first.arrival_number);
    json_decref(j);
    CHECK(verrs_get(&e, "confirm_duplicate") &&
          strstr(verrs_get(&e, "confirm_duplicate"), "88/UBND-TRUNG"));
    CHECK_INT(footprint(), before); /* the number given back, nothing written */
    struct verrs e2 = {0};
    CHECK_INT(reg_arrived(&clerk, copy, reg_id, true, &e2, &out), RES_OK);
    CHECK_INT(out.arrival_number, first.arrival_number + 1);
}

TEST(clerk_refuses_with_a_reason_the_sender_sees)
{
    int64_t src = make_out("UBND-TC", "issued"), copy = 0;
    CHECK_INT(deliver(&province_clerk, src, skhcn_id, at("2026-12-01", 11, 0), &copy), RES_OK);
    int64_t before = footprint();
    struct verrs e = {0};
    CHECK_INT(doc_refuse(&app, &clerk, copy, "   ", &e), RES_INVALID);
    CHECK(verrs_get(&e, "reason") != NULL);
    struct verrs e1 = {0};
    CHECK_INT(doc_refuse(&app, &clerk, copy, NULL, &e1), RES_INVALID);
    char longer[1200];
    memset(longer, 'a', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    struct verrs e2 = {0};
    CHECK_INT(doc_refuse(&app, &clerk, copy, longer, &e2), RES_INVALID);
    struct verrs e3 = {0};
    CHECK_INT(doc_refuse(&app, &leader, copy, "Không đúng thẩm quyền", &e3), RES_FORBIDDEN);
    CHECK_INT(doc_refuse(&app, &specialist, copy, "Không đúng thẩm quyền", &e3), RES_NOT_FOUND);
    CHECK_INT(doc_refuse(&app, &ward_clerk, copy, "Không đúng thẩm quyền", &e3), RES_NOT_FOUND);
    CHECK_INT(footprint(), before);

    const char *reason = "Gửi nhầm cơ quan: nội dung thuộc thẩm quyền Sở Tài chính";
    struct verrs e4 = {0};
    CHECK_INT(doc_refuse(&app, &clerk, copy, reason, &e4), RES_OK);
    CHECK_STR(hist_action(copy, 2), "refused");
    CHECK(hist_comment_has(copy, "refused", reason));
    /* §5: the sender's document carries the refusal and its reason, in the same tx */
    CHECK(hist_comment_has(src, "refused_by_recipient", reason));
    CHECK(hist_comment_has(src, "refused_by_recipient", "Sở Khoa học và Công nghệ"));
    json_t *sender = NULL;
    CHECK_INT(doc_get(&app, &province_clerk, src, &sender), RES_OK);
    json_t *h = json_object_get(sender, "history");
    CHECK_STR(
        json_string_value(json_object_get(json_array_get(h, json_array_size(h) - 1), "action")),
        "refused_by_recipient");
    json_decref(sender);
    CHECK_INT(one("SELECT COUNT(*) FROM audit_log WHERE action = 'doc_refuse' AND object_id = "
                  "CAST($1 AS TEXT)",
                  copy),
              1);
    /* refused: neither registered nor refused again */
    before = footprint();
    struct verrs e5 = {0};
    struct doc_registered out;
    CHECK_INT(reg_arrived(&clerk, copy, reg_id, false, &e5, &out), RES_CONFLICT);
    CHECK(verrs_get(&e5, "state") && strstr(verrs_get(&e5, "state"), "từ chối"));
    struct verrs e6 = {0};
    CHECK_INT(doc_refuse(&app, &clerk, copy, reason, &e6), RES_CONFLICT);
    CHECK_INT(footprint(), before);
}

/* ---- 6. the register book (§9) ---- */

static bool xlsx_has(const struct buf *b, const char *needle)
{
    zip_error_t ze;
    zip_source_t *src = zip_source_buffer_create(b->data, b->len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!z) {
        zip_source_free(src);
        return false;
    }
    bool found = false;
    zip_file_t *f = zip_fopen(z, "xl/sharedStrings.xml", 0);
    if (f) {
        struct buf x = BUF_INIT(8 << 20);
        char chunk[8192];
        zip_int64_t n;
        while ((n = zip_fread(f, chunk, sizeof(chunk))) > 0)
            (void)buf_append(&x, chunk, (size_t)n);
        zip_fclose(f);
        found = x.data && strstr(x.data, needle) != NULL;
        buf_release(&x);
    }
    zip_close(z);
    return found;
}

TEST(register_book_as_pdf_and_xlsx)
{
    struct buf out = BUF_INIT(0);
    char *name = NULL;
    struct verrs e = {0};
    CHECK_INT(
        doc_book(&app, &clerk, reg_id, "2026-01-01", "2026-12-31", DOC_BOOK_PDF, &e, &out, &name),
        RES_OK);
    CHECK(out.len > 1000 && !memcmp(out.data, "%PDF-", 5));
    CHECK_STR(name, "Sổ văn bản đến 01-01-2026 đến 31-12-2026.pdf");
    free(name);
    buf_release(&out);
    CHECK_INT(
        doc_book(&app, &leader, reg_id, "2026-11-01", "2026-12-31", DOC_BOOK_XLSX, &e, &out, &name),
        RES_OK);
    CHECK(out.len > 1000 && !memcmp(out.data, "PK", 2));
    CHECK(xlsx_has(&out, "Tên loại và trích yếu nội dung"));
    CHECK(xlsx_has(&out, "Về việc thử thời điểm nhận văn bản"));
    CHECK(xlsx_has(&out, "Từ ngày 01/11/2026 đến ngày 31/12/2026"));
    free(name);
    buf_release(&out);
    /* bad ranges and the wrong people */
    static const char *const bad[][2] = {{"2026-12-31", "2026-01-01"}, {"2025-01-01", "2026-12-31"},
                                         {"2026-02-30", "2026-03-01"}, {"", "2026-03-01"},
                                         {"2026-1-1", "2026-03-01"},   {"2026-01-01", NULL}};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct verrs be = {0};
        CHECK_INT(
            doc_book(&app, &clerk, reg_id, bad[i][0], bad[i][1], DOC_BOOK_PDF, &be, &out, &name),
            RES_INVALID);
        CHECK(be.count > 0);
        buf_release(&out);
    }
    struct verrs fe = {0};
    CHECK_INT(doc_book(&app, &specialist, reg_id, "2026-01-01", "2026-12-31", DOC_BOOK_PDF, &fe,
                       &out, &name),
              RES_FORBIDDEN);
    CHECK_INT(doc_book(&app, &ward_clerk, reg_id, "2026-01-01", "2026-12-31", DOC_BOOK_PDF, &fe,
                       &out, &name),
              RES_NOT_FOUND);
    int64_t outgoing =
        one("SELECT id FROM doc_register WHERE agency_id = $1 AND kind = 'outgoing'", province_id);
    /* The outgoing book (standards.md §9 outgoing columns): the demo's issued documents of
     * UBND tỉnh, and a cancelled number kept on its line, marked (§2: never given again). */
    int64_t cancelled = one("SELECT MIN(id) FROM document WHERE register_id = $1", outgoing);
    CHECK_INT(db_run(db_conn(app.db),
                     "UPDATE document SET state = 'cancelled', number_cancelled = 1 WHERE id = $1",
                     "i", cancelled),
              RES_OK);
    struct verrs oe = {0};
    CHECK_INT(doc_book(&app, &province_clerk, outgoing, "2026-01-01", "2026-12-31", DOC_BOOK_XLSX,
                       &oe, &out, &name),
              RES_OK);
    CHECK(xlsx_has(&out, "SỔ ĐĂNG KÝ VĂN BẢN ĐI"));
    CHECK(xlsx_has(&out, "Đơn vị, người nhận bản lưu"));
    CHECK(xlsx_has(&out, "1/UBND-KGVX (đã hủy)"));
    CHECK(xlsx_has(&out, "Đã hủy số"));
    CHECK(xlsx_has(&out, "2/QĐ-UBND"));
    CHECK_STR(name, "Sổ văn bản đi 01-01-2026 đến 31-12-2026.xlsx");
    free(name);
    buf_release(&out);
    CHECK_INT(doc_book(&app, &province_clerk, outgoing, "2026-01-01", "2026-12-31", DOC_BOOK_PDF,
                       &oe, &out, &name),
              RES_OK);
    CHECK(out.len > 1000 && !memcmp(out.data, "%PDF-", 5));
    free(name);
    buf_release(&out);
    /* more than DOC_BOOK_MAX_ROWS entries: refused with a clear error, not truncated */
    struct doc_register_input ri = {.kind = "incoming", .name = "Sổ thử giới hạn"};
    int64_t big = 0;
    struct verrs re = {0};
    CHECK_INT(doc_registers_create(&app, &clerk, clerk.agency_id, &ri, &re, &big), RES_OK);
    CHECK_INT(
        db_run(db_conn(app.db),
               "INSERT INTO document (agency_id, direction, state, issuer_name, doc_type, "
               "subject, subject_folded, register_id, reg_year, reg_number, received_at, "
               "created_at, updated_at) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + "
               "1 FROM n WHERE i < $1) SELECT $2, 'incoming', 'registered', 'Sở Nội vụ', "
               "'cong_van', 'Thử', 'thu', $3, 2026, i, $4 + i, $4, $4 FROM n",
               "iiii", (int64_t)DOC_BOOK_MAX_ROWS + 1, skhcn_id, big, at("2026-03-02", 8, 0)),
        RES_OK);
    struct verrs le = {0};
    CHECK_INT(
        doc_book(&app, &clerk, big, "2026-01-01", "2026-12-31", DOC_BOOK_XLSX, &le, &out, &name),
        RES_TOO_LARGE);
    CHECK(verrs_get(&le, "to") && strstr(verrs_get(&le, "to"), "5000"));
    buf_release(&out);
    /* exactly at the limit it is written (about 200 pages) */
    CHECK_INT(db_run(db_conn(app.db),
                     "DELETE FROM document WHERE register_id = $1 AND reg_number = $2", "ii", big,
                     (int64_t)DOC_BOOK_MAX_ROWS + 1),
              RES_OK);
    struct verrs ok = {0};
    CHECK_INT(
        doc_book(&app, &clerk, big, "2026-01-01", "2026-12-31", DOC_BOOK_PDF, &ok, &out, &name),
        RES_OK);
    CHECK(out.len > 100000);
    free(name);
    buf_release(&out);
}

int main(void)
{
    if (app_fixture_open(&app, &sys, data_dir, sizeof(data_dir), "intake", true) != 0 ||
        doc_demo_seed(&app) != RES_OK)
        return 2;
    clerk = member_of("040090000143", ROLE_CLERK);           /* văn thư, Sở KH&CN */
    leader = member_of("040090000142", ROLE_AGENCY_LEADER);  /* giám đốc, Sở KH&CN */
    specialist = member_of("040090000145", ROLE_SPECIALIST); /* chuyên viên, Sở KH&CN */
    province_clerk = member_of("040090000102", ROLE_CLERK);  /* văn thư, UBND tỉnh */
    ward_clerk = member_of("040090000302", ROLE_CLERK); /* văn thư, phường Trường Vinh */
    province_id = agency_of("000.00.00.H41");
    skhcn_id = agency_of("000.00.04.H41");
    ward_id = agency_of("000.00.30.H41");
    reg_id = one("SELECT id FROM doc_register WHERE agency_id = $1 AND kind = 'incoming'",
                 clerk.agency_id);
    /* The demo delivered to Sở KH&CN: arrived copies waiting for the clerk (doc_demo.c). */
    CHECK(one("SELECT COUNT(*) FROM document WHERE agency_id = $1 AND state = 'arrived' AND "
              "source_document_id IS NOT NULL",
              skhcn_id) >= 2);
    /* the tests' fixed dates are in 2026; run them as on 1 December 2026, 10:00 */
    int64_t dec1 = 0;
    clock_parse_date("2026-12-01", &dec1);
    clock_set_offset(dec1 + 10 * 3600 - clock_now());
    RUN(receipt_time_follows_the_working_calendar);
    RUN(delivery_creates_the_receivers_arrived_copy_with_the_same_files);
    RUN(clerk_registers_an_arrived_document_with_the_next_arrival_number);
    RUN(duplicate_warning_names_the_earlier_document);
    RUN(clerk_refuses_with_a_reason_the_sender_sees);
    RUN(register_book_as_pdf_and_xlsx);
    clock_set_offset(0);
    blob_close(app.blobs);
    db_close(app.db);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", data_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup of %s failed\n", data_dir);
    return CHECK_DONE("test_intake");
}
