/* The register books (sổ đăng ký văn bản đến / đi, ND30 Phụ lục IV): the entries of one
 * register over a range of dates, as a table report written by the pdf layer (PDF, A4
 * landscape) or the report layer (XLSX).
 *
 * Incoming columns, as standards.md §9 lists them ("arrival date, arrival number, author,
 * number and symbol, document date, type and subject, receiving unit or person, transfer
 * date, signature of receipt, notes"), rows by receipt date:
 *   1 Ngày đến                        received_at (Vietnam date; §4 receipt time)
 *   2 Số đến                          reg_number
 *   3 Tác giả                         issuer_name (the issuing agency)
 *   4 Số, ký hiệu                     number/symbol
 *   5 Ngày tháng                      issued_date
 *   6 Tên loại và trích yếu nội dung  type name and subject
 *   7 Đơn vị hoặc người nhận          the first unit or person it was passed to (history)
 *   8 Ngày chuyển                     when (that history row)
 *   9 Ký nhận                         left blank: signed on the printed book
 *  10 Ghi chú                         notes
 *
 * Outgoing columns ("number and symbol, date, type and subject, signer, recipients, unit
 * keeping the original, copies, transfer date, signature, notes"), rows by the date of
 * the number (issued_date, given when the signer signs):
 *   1 Số, ký hiệu văn bản             number/symbol; " (đã hủy)" for a cancelled number
 *   2 Ngày tháng văn bản              issued_date
 *   3 Tên loại và trích yếu nội dung  type name and subject
 *   4 Người ký                        the authority prefix (KT., TL., …) and signer_name
 *   5 Nơi nhận văn bản                the recipients (doc_recipient names, in order)
 *   6 Đơn vị, người nhận bản lưu      the drafting unit (its record copy; the clerks keep
 *                                     the other)
 *   7 Số lượng bản                    the number of recipients
 *   8 Ngày chuyển                     issued_at (delivered), blank until issued
 *   9 Ký nhận                         left blank
 *  10 Ghi chú                         "Đã hủy số: <reason>" / "Đã thu hồi: <reason>"
 * A number once given stays in the book (§2, ND30 Điều 15): a cancelled document keeps
 * its line, marked, and the next document has the next number. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "db/db.h"
#include "doc/doc.h"
#include "pdf/pdf_table.h"
#include "report/report_xlsx.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/str.h"
#include "util/table.h"

#define BOOK_COLUMNS 10

static const struct table_column in_columns[BOOK_COLUMNS] = {
    {"Ngày đến", 8.5f},
    {"Số đến", 5},
    {"Tác giả", 12},
    {"Số, ký hiệu", 12},
    {"Ngày tháng", 8.5f},
    {"Tên loại và trích yếu nội dung", 28},
    {"Đơn vị hoặc người nhận", 12},
    {"Ngày chuyển", 8.5f},
    {"Ký nhận", 6},
    {"Ghi chú", 9.5f},
};

static const struct table_column out_columns[BOOK_COLUMNS] = {
    {"Số, ký hiệu văn bản", 11},
    {"Ngày tháng văn bản", 8.5f},
    {"Tên loại và trích yếu nội dung", 23},
    {"Người ký", 11},
    {"Nơi nhận văn bản", 17},
    {"Đơn vị, người nhận bản lưu", 11},
    {"Số lượng bản", 6.5f},
    {"Ngày chuyển", 8.5f},
    {"Ký nhận", 7},
    {"Ghi chú", 10},
};

#define RECIPIENTS_CELL_MAX 4000 /* bytes of the recipients cell; longer lists end in "…" */

/* A Vietnam date of the query: day number, or an error on field. */
static bool parse_day(const char *s, const char *field, const char *label, struct verrs *e,
                      int64_t *day)
{
    if (!s || !*s) {
        verrs_add(e, field, "Vui lòng nhập %s.", label);
        return false;
    }
    if (calendar_parse_day(s, day) != RES_OK) {
        verrs_add(e, field,
                  "%s “%s” không phải ngày hợp lệ; ngày có dạng ngày/tháng/năm, ví dụ 01/12/2026.",
                  label, DOC_CUT(s, 20));
        return false;
    }
    return true;
}

struct book_rows {
    char **cells; /* n × BOOK_COLUMNS, malloc'd strings */
    size_t n;
};

static void rows_free(struct book_rows *b)
{
    for (size_t i = 0; i < b->n * BOOK_COLUMNS; i++)
        free(b->cells[i]);
    free(b->cells);
}

/* The next row of b (BOOK_COLUMNS cells to fill), or NULL when b holds the cap. */
static char **row_new(struct book_rows *b, size_t *cap)
{
    if (b->n == DOC_BOOK_MAX_ROWS)
        return NULL;
    if (b->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        b->cells = xrealloc(b->cells, *cap * BOOK_COLUMNS * sizeof(*b->cells));
    }
    return &b->cells[b->n++ * BOOK_COLUMNS];
}

static char *reference(const char *number, const char *symbol, const char *suffix)
{
    char tmp[300];
    snprintf(tmp, sizeof(tmp), "%s%s%s%s", number, *number ? "/" : "", symbol, suffix);
    return xstrdup(tmp);
}

static char *type_subject(const char *type, const char *subject)
{
    char tmp[2200];
    const struct doc_type *dt = doc_type_find(type);
    snprintf(tmp, sizeof(tmp), "%s: %s", dt ? dt->name : type, subject);
    return xstrdup(tmp);
}

static result_t load_incoming(struct db_conn *c, int64_t register_id, int64_t from, int64_t to,
                              struct book_rows *b)
{
    struct db_stmt *s = NULL;
    /* Index document_register_received (migration 0012). One row more than the cap tells
     * that the range is too long. */
    result_t r = db_query(
        c, &s,
        "SELECT d.received_at, d.reg_number, d.issuer_name, d.number, d.symbol, d.issued_date, "
        "d.doc_type, d.subject, d.notes, (SELECT COALESCE(u.full_name, p.name) FROM doc_history "
        "h LEFT JOIN app_user u ON u.id = h.to_user_id LEFT JOIN department p ON p.id = "
        "h.to_department_id WHERE h.document_id = d.id AND (h.to_user_id IS NOT NULL OR "
        "h.to_department_id IS NOT NULL) ORDER BY h.step LIMIT 1), (SELECT h.at FROM "
        "doc_history h WHERE h.document_id = d.id AND (h.to_user_id IS NOT NULL OR "
        "h.to_department_id IS NOT NULL) ORDER BY h.step LIMIT 1) FROM document d WHERE "
        "d.register_id = $1 AND d.direction = 'incoming' AND d.received_at >= $2 AND "
        "d.received_at < $3 ORDER BY d.reg_year, d.reg_number LIMIT $4",
        "iiii", register_id, from, to, (int64_t)DOC_BOOK_MAX_ROWS + 1);
    if (r != RES_OK)
        return r;
    size_t cap = 0;
    while ((r = db_step(s)) == RES_ROW) {
        char **row = row_new(b, &cap);
        if (!row) {
            r = RES_TOO_LARGE;
            break;
        }
        char tmp[32], day[16];
        clock_format_vn_date(db_col_i64(s, 0), day, sizeof(day));
        row[0] = xstrdup(day);
        snprintf(tmp, sizeof(tmp), "%lld", (long long)db_col_i64(s, 1));
        row[1] = xstrdup(tmp);
        row[2] = xstrdup(db_col_text(s, 2));
        row[3] = reference(db_col_text(s, 3), db_col_text(s, 4), "");
        calendar_iso_to_vn(db_col_null(s, 5) ? "" : db_col_text(s, 5), day);
        row[4] = xstrdup(day);
        row[5] = type_subject(db_col_text(s, 6), db_col_text(s, 7));
        row[6] = xstrdup(db_col_null(s, 9) ? "" : db_col_text(s, 9));
        day[0] = '\0';
        if (!db_col_null(s, 10))
            clock_format_vn_date(db_col_i64(s, 10), day, sizeof(day));
        row[7] = xstrdup(day);
        row[8] = xstrdup("");
        row[9] = xstrdup(db_col_text(s, 8));
    }
    db_finalize(s);
    return r == RES_DONE ? RES_OK : r;
}

/* The recipients of the book's outgoing documents, in book order, appended to the
 * recipients cell (column 5) of each row; ids[i] is row i's document. */
static result_t load_recipients(struct db_conn *c, int64_t register_id, const char *from,
                                const char *to, const int64_t *ids, struct book_rows *b)
{
    struct db_stmt *s = NULL;
    result_t r = db_query(
        c, &s,
        "SELECT rc.document_id, rc.name FROM doc_recipient rc JOIN document d ON d.id = "
        "rc.document_id WHERE d.register_id = $1 AND d.direction = 'outgoing' AND d.reg_number "
        "IS NOT NULL AND d.issued_date >= $2 AND d.issued_date <= $3 ORDER BY d.reg_year, "
        "d.reg_number, rc.seq",
        "itt", register_id, from, to);
    if (r != RES_OK)
        return r;
    size_t i = 0;
    struct buf cell = BUF_INIT(RECIPIENTS_CELL_MAX);
    bool cut = false;
    while ((r = db_step(s)) == RES_ROW) {
        int64_t doc = db_col_i64(s, 0);
        if (i < b->n && ids[i] != doc) {
            size_t j = i + 1;
            while (j < b->n && ids[j] != doc)
                j++;
            if (j == b->n) /* numbered after the first query: not in this book */
                continue;
            for (; i < j; i++) { /* the documents before it are done */
                free(b->cells[i * BOOK_COLUMNS + 4]);
                b->cells[i * BOOK_COLUMNS + 4] = xstrdup(buf_str(&cell));
                buf_reset(&cell);
            }
            cut = false;
        }
        if (i == b->n || cut)
            continue;
        if ((cell.len && buf_puts(&cell, "; ") != RES_OK) ||
            buf_puts(&cell, DOC_CUT(db_col_text(s, 1), 300)) != RES_OK) {
            cut = true; /* the cell is full: end it visibly */
            while (cell.len > RECIPIENTS_CELL_MAX - 8)
                cell.len--;
            while (cell.len && ((unsigned char)cell.data[cell.len] & 0xC0) == 0x80)
                cell.len--; /* not inside a UTF-8 sequence */
            cell.data[cell.len] = '\0';
            buf_puts(&cell, " …");
        }
    }
    if (i < b->n) {
        free(b->cells[i * BOOK_COLUMNS + 4]);
        b->cells[i * BOOK_COLUMNS + 4] = xstrdup(buf_str(&cell));
    }
    buf_release(&cell);
    db_finalize(s);
    return r == RES_DONE || r == RES_ROW ? RES_OK : r;
}

static result_t load_outgoing(struct db_conn *c, int64_t register_id, const char *from,
                              const char *to, struct book_rows *b)
{
    struct db_stmt *s = NULL;
    /* Every numbered document of the register, issued or not: a cancelled number keeps
     * its line. The reason of a cancellation or recall is its history row's comment. */
    result_t r = db_query(
        c, &s,
        "SELECT d.id, d.number, d.symbol, d.issued_date, d.doc_type, d.subject, d.authority, "
        "d.signer_name, COALESCE(p.name, ''), (SELECT COUNT(*) FROM doc_recipient rc WHERE "
        "rc.document_id = d.id), d.issued_at, d.number_cancelled, d.state, (SELECT h.comment "
        "FROM doc_history h WHERE h.document_id = d.id AND h.action IN ('cancelled', "
        "'recalled') ORDER BY h.step DESC LIMIT 1) FROM document d LEFT JOIN department p ON "
        "p.id = d.drafting_department_id WHERE d.register_id = $1 AND d.direction = "
        "'outgoing' AND d.reg_number IS NOT NULL AND d.issued_date >= $2 AND d.issued_date "
        "<= $3 ORDER BY d.reg_year, d.reg_number LIMIT $4",
        "itti", register_id, from, to, (int64_t)DOC_BOOK_MAX_ROWS + 1);
    if (r != RES_OK)
        return r;
    size_t cap = 0;
    int64_t *ids = xmalloc((DOC_BOOK_MAX_ROWS + 1) * sizeof(*ids));
    while ((r = db_step(s)) == RES_ROW) {
        char **row = row_new(b, &cap);
        if (!row) {
            r = RES_TOO_LARGE;
            break;
        }
        ids[b->n - 1] = db_col_i64(s, 0);
        bool cancelled = db_col_i64(s, 11) != 0;
        bool recalled = !strcmp(db_col_text(s, 12), "recalled");
        char tmp[1400], day[16];
        row[0] = reference(db_col_text(s, 1), db_col_text(s, 2), cancelled ? " (đã hủy)" : "");
        calendar_iso_to_vn(db_col_null(s, 3) ? "" : db_col_text(s, 3), day);
        row[1] = xstrdup(day);
        row[2] = type_subject(db_col_text(s, 4), db_col_text(s, 5));
        const char *authority = db_col_text(s, 6);
        snprintf(tmp, sizeof(tmp), "%s%s%s", authority, *authority ? " " : "", db_col_text(s, 7));
        row[3] = xstrdup(tmp);
        row[4] = xstrdup("");
        row[5] = xstrdup(db_col_text(s, 8));
        snprintf(tmp, sizeof(tmp), "%lld", (long long)db_col_i64(s, 9));
        row[6] = xstrdup(tmp);
        day[0] = '\0';
        if (!db_col_null(s, 10))
            clock_format_vn_date(db_col_i64(s, 10), day, sizeof(day));
        row[7] = xstrdup(day);
        row[8] = xstrdup("");
        const char *why = db_col_null(s, 13) ? "" : db_col_text(s, 13);
        if (cancelled || recalled)
            snprintf(tmp, sizeof(tmp), "%s%s%s", cancelled ? "Đã hủy số" : "Đã thu hồi",
                     *why ? ": " : "", DOC_CUT(why, 1000));
        else
            tmp[0] = '\0';
        row[9] = xstrdup(tmp);
    }
    db_finalize(s);
    if (r == RES_DONE)
        r = b->n ? load_recipients(c, register_id, from, to, ids, b) : RES_OK;
    free(ids);
    return r;
}

result_t doc_book(struct app *app, const struct actor *a, int64_t register_id, const char *from,
                  const char *to, enum doc_book_format format, struct verrs *e, struct buf *out,
                  char **file_name)
{
    *file_name = NULL;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT r.agency_id, r.kind, r.name, r.year_mode, r.year, a.name FROM "
                          "doc_register r JOIN agency a ON a.id = r.agency_id WHERE r.id = $1",
                          "i", register_id);
    if (r != RES_OK)
        return r;
    int64_t agency_id = 0, fixed_year = 0;
    char kind[16] = "", reg_name[201] = "", agency[256] = "";
    if ((r = db_step(s)) == RES_ROW) {
        agency_id = db_col_i64(s, 0);
        str_copy(kind, db_col_text(s, 1), sizeof(kind));
        str_copy(reg_name, db_col_text(s, 2), sizeof(reg_name));
        fixed_year = strcmp(db_col_text(s, 3), "fixed") ? 0 : db_col_i64(s, 4);
        str_copy(agency, db_col_text(s, 5), sizeof(agency));
    }
    db_finalize(s);
    if (r == RES_DONE)
        return RES_NOT_FOUND;
    if (r != RES_ROW)
        return r;
    /* Another agency's register does not exist for the actor; inside the agency the book
     * is for its clerks, who keep it, and its leaders (AZ_DOC_READ on the agency: every
     * document of it). */
    if (authz_check(a, AZ_ORG_READ, agency_id) != RES_OK)
        return RES_NOT_FOUND;
    if ((r = authz_check(a, AZ_DOC_READ, agency_id)) != RES_OK)
        return r;
    bool outgoing = !strcmp(kind, "outgoing");
    if (!outgoing && strcmp(kind, "incoming")) {
        verrs_add(e, "register_id", "Sổ “%s” không phải sổ văn bản đến hoặc sổ văn bản đi.",
                  DOC_CUT(reg_name, 120));
        return RES_INVALID;
    }
    int64_t d0 = 0, d1 = 0;
    bool ok = parse_day(from, "from", "Từ ngày", e, &d0);
    ok &= parse_day(to, "to", "Đến ngày", e, &d1);
    char from_vn[11], to_vn[11];
    calendar_iso_to_vn(from, from_vn);
    calendar_iso_to_vn(to, to_vn);
    if (ok && d1 < d0)
        verrs_add(e, "to", "Đến ngày %s trước Từ ngày %s.", to_vn, from_vn);
    else if (ok && d1 - d0 + 1 > DOC_BOOK_MAX_DAYS)
        verrs_add(e, "to", "Khoảng thời gian tối đa %d ngày (một năm); đã chọn %lld ngày.",
                  DOC_BOOK_MAX_DAYS, (long long)(d1 - d0 + 1));
    if (e->count)
        return RES_INVALID;
    int64_t t0 = d0 * 86400 - VN_UTC_OFFSET, t1 = (d1 + 1) * 86400 - VN_UTC_OFFSET;
    struct book_rows rows = {0};
    r = outgoing ? load_outgoing(c, register_id, from, to, &rows)
                 : load_incoming(c, register_id, t0, t1, &rows);
    if (r == RES_TOO_LARGE)
        verrs_add(e, "to",
                  "Sổ có hơn %d văn bản trong khoảng thời gian này; vui lòng chọn khoảng ngắn "
                  "hơn.",
                  DOC_BOOK_MAX_ROWS);
    if (r != RES_OK) {
        rows_free(&rows);
        return r;
    }
    char year[32], line_reg[320], line_range[96], line_agency[300];
    if (fixed_year)
        snprintf(year, sizeof(year), "%lld", (long long)fixed_year);
    else if (!strncmp(from, to, 4))
        snprintf(year, sizeof(year), "%.4s", from);
    else
        snprintf(year, sizeof(year), "%.4s–%.4s", from, to);
    snprintf(line_agency, sizeof(line_agency), "%s", agency);
    snprintf(line_reg, sizeof(line_reg), "%s — Năm %s", reg_name, year);
    snprintf(line_range, sizeof(line_range), "Từ ngày %s đến ngày %s", from_vn, to_vn);
    struct table_spec spec = {.title =
                                  outgoing ? "SỔ ĐĂNG KÝ VĂN BẢN ĐI" : "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
                              .subtitles = {line_agency, line_reg, line_range, NULL},
                              .columns = outgoing ? out_columns : in_columns,
                              .ncolumns = BOOK_COLUMNS,
                              .cells = (const char *const *)rows.cells,
                              .nrows = rows.n,
                              .landscape = true,
                              .sheet_name = outgoing ? "Sổ văn bản đi" : "Sổ văn bản đến",
                              .page_label = "Trang"};
    if (format == DOC_BOOK_XLSX) {
        char tmp[PATH_MAX + 8];
        snprintf(tmp, sizeof(tmp), "%s", app->cfg.data_dir);
        r = report_xlsx(&spec, *tmp ? tmp : NULL, out);
    } else {
        r = pdf_table_report(&spec, out);
    }
    rows_free(&rows);
    if (r != RES_OK)
        return r == RES_INVALID ? RES_INTERNAL : r;
    /* "Sổ văn bản đi 01-12-2026 đến 31-12-2026.pdf" (resp_file sends it as filename*). */
    char name[400];
    snprintf(name, sizeof(name), "%s %s đến %s.%s", reg_name, from_vn, to_vn,
             format == DOC_BOOK_XLSX ? "xlsx" : "pdf"); /* the '/' of the dates become '-' */
    for (char *p = name; *p; p++)
        if (*p == '/' || *p == '\\' || *p == '"')
            *p = '-';
    *file_name = xstrdup(name);
    return RES_OK;
}
