/* Registering an incoming document (vào sổ văn bản đến, ND30 Điều 22, standards.md
 * §5): every field checked first with a precise Vietnamese error (nothing written),
 * the receipt time by the working calendar (§4), the files put into the blob store,
 * then one tx_run: the arrival number from the register's counter, the duplicate check,
 * the document row, its files (blob_ref), the history row `received` and the audit row
 * — all or nothing. The register check and the duplicate check are shared with the
 * registration of a document delivered inside the installation (doc_deliver.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "blob/blob.h"
#include "core/agency.h"
#include "core/calendar.h"
#include "core/tx.h"
#include "core/validate.h"
#include "db/db.h"
#include "doc/doc.h"
#include "doc/doc_internal.h"
#include "doc/doc_format.h"
#include "doc/doc_upload.h"
#include "text/text.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/str.h"

#define FUTURE_SKEW 300 /* seconds a client clock may run ahead */

/* The Vietnam calendar date of t as "YYYY-MM-DD". */
static void vn_date(int64_t t, char out[11])
{
    char iso[40];
    clock_format_iso(t, iso, sizeof(iso)); /* Vietnam time: its date part is the day */
    str_copy(out, iso, 11);
}

/* The cleaned input: every string NFC, squeezed, malloc'd. */
struct clean {
    char *issuer_code, *issuer_name, *issuer_folded, *number, *symbol, *subject, *folded,
        *signer_name, *signer_position, *notes, *recipients;
    const char *medium, *doc_type, *language, *issued_date, *due_date;
    int urgency;
    int64_t arrived_at, received_at, issuer_agency_id;
};

static void clean_release(struct clean *c)
{
    free(c->issuer_code);
    free(c->issuer_name);
    free(c->issuer_folded);
    free(c->number);
    free(c->symbol);
    free(c->subject);
    free(c->folded);
    free(c->signer_name);
    free(c->signer_position);
    free(c->notes);
    free(c->recipients);
}

static bool language_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 3)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return false;
    return true;
}

static void check_fields(struct app *app, struct calendar *cal, const struct doc_incoming_input *in,
                         int64_t now, struct clean *c, struct verrs *e)
{
    int secrecy = doc_secrecy_parse(in->secrecy);
    if (secrecy < 0)
        verrs_add(e, "secrecy", "Độ mật “%s” không có trong danh mục độ mật.",
                  DOC_CUT(in->secrecy, 60));
    else if (secrecy > 0)
        verrs_add(e, "secrecy",
                  "Văn bản có độ mật “%s” không được tiếp nhận trên hệ thống này: văn bản chứa bí "
                  "mật nhà nước không được xử lý trên hệ thống quản lý văn bản điện tử (Luật Bảo "
                  "vệ bí mật nhà nước năm 2018). Chuyển văn thư xử lý theo quy định về bảo vệ bí "
                  "mật nhà nước.",
                  doc_secrecy_labels[secrecy]);

    c->medium = in->medium && *in->medium ? in->medium : "paper";
    if (strcmp(c->medium, "paper") && strcmp(c->medium, "electronic"))
        verrs_add(e, "medium", "Hình thức phải là văn bản giấy hoặc văn bản điện tử.");

    c->issuer_code =
        field_clean(in->issuer_code, "issuer_code", "mã cơ quan ban hành", false, 13, e);
    if (c->issuer_code && *c->issuer_code) {
        if (!agency_code_valid(c->issuer_code))
            verrs_add(e, "issuer_code",
                      "Mã định danh cơ quan “%s” không đúng dạng mã định danh điện tử của "
                      "cơ quan, ví dụ 000.00.00.H41.",
                      c->issuer_code);
        else
            agency_by_code(app, c->issuer_code, &c->issuer_agency_id);
    }
    c->issuer_name = field_clean(in->issuer_name, "issuer_name", "cơ quan ban hành", true, 255, e);
    c->issuer_folded = c->issuer_name ? text_fold(c->issuer_name) : NULL;

    c->number = field_clean(in->number, "number", "số văn bản", true, 20, e);
    if (c->number && !doc_number_valid(c->number))
        verrs_add(e, "number",
                  "Số văn bản “%s” không hợp lệ: chỉ gồm chữ số, khác 0, tối đa 7 chữ số (ví "
                  "dụ 07 hoặc 1234); ký hiệu nhập ở ô riêng.",
                  DOC_CUT(c->number, 20));
    c->symbol = field_clean(in->symbol, "symbol", "ký hiệu văn bản", true, 50, e);
    if (c->symbol && !doc_symbol_valid(c->symbol))
        verrs_add(e, "symbol",
                  "Ký hiệu “%s” không đúng quy tắc: các nhóm chữ viết liền, "
                  "nối bằng dấu “-”, không có dấu cách hay “/”, ví dụ QĐ-UBND hoặc UBND-VP.",
                  DOC_CUT(c->symbol, 50));

    char today[11];
    vn_date(now, today);
    c->arrived_at = now;
    if (in->received_at && *in->received_at) {
        if (clock_parse_instant(in->received_at, &c->arrived_at) != 0)
            verrs_add(e, "received_at",
                      "Thời điểm nhận “%s” không hợp lệ, ví dụ "
                      "2026-11-22T09:05:00+07:00.",
                      DOC_CUT(in->received_at, 40));
        else if (c->arrived_at > now + FUTURE_SKEW)
            verrs_add(e, "received_at", "Thời điểm nhận không được ở tương lai.");
    }
    /* §4 (Lạng Sơn Điều 11.2, Khánh Hòa Điều 10.2): outside working hours it counts from
     * the start of the next working period; the numbering year follows. */
    c->received_at = calendar_receipt_time(cal, c->arrived_at);
    char received_day[11];
    vn_date(c->arrived_at, received_day); /* the issue date is checked against arrival */

    int64_t t;
    c->issued_date = in->issued_date;
    if (!in->issued_date || !*in->issued_date)
        verrs_add(e, "issued_date", "Vui lòng nhập ngày ban hành của văn bản.");
    else if (clock_parse_date(in->issued_date, &t) != 0)
        verrs_add(e, "issued_date",
                  "Ngày ban hành “%s” không phải ngày hợp lệ; ngày có dạng ngày/tháng/năm, "
                  "ví dụ 20/11/2026.",
                  DOC_CUT(in->issued_date, 20));
    else if (strcmp(in->issued_date, today) > 0 || strcmp(in->issued_date, received_day) > 0) {
        char given_vn[11], day_vn[11]; /* dates as the clerk reads them: dd/mm/yyyy */
        calendar_iso_to_vn(in->issued_date, given_vn);
        calendar_iso_to_vn(strcmp(in->issued_date, today) > 0 ? today : received_day, day_vn);
        if (strcmp(in->issued_date, today) > 0)
            verrs_add(e, "issued_date", "Ngày ban hành %s ở tương lai (hôm nay là %s).", given_vn,
                      day_vn);
        else
            verrs_add(e, "issued_date", "Ngày ban hành %s sau ngày nhận văn bản (%s).", given_vn,
                      day_vn);
    }

    c->due_date = in->due_date && *in->due_date ? in->due_date : NULL;
    if (c->due_date && clock_parse_date(c->due_date, &t) != 0)
        verrs_add(e, "due_date",
                  "Hạn giải quyết “%s” không phải ngày hợp lệ; ngày có dạng ngày/tháng/năm.",
                  DOC_CUT(c->due_date, 20));
    else if (c->due_date && strcmp(c->due_date, today) < 0) {
        char given_vn[11], today_vn[11];
        calendar_iso_to_vn(c->due_date, given_vn);
        calendar_iso_to_vn(today, today_vn);
        verrs_add(e, "due_date", "Hạn giải quyết %s đã qua (hôm nay là %s).", given_vn, today_vn);
    }

    c->doc_type = in->doc_type;
    if (!in->doc_type || !*in->doc_type)
        verrs_add(e, "doc_type", "Vui lòng chọn loại văn bản.");
    else if (!doc_type_find(in->doc_type))
        verrs_add(e, "doc_type", "Loại văn bản “%s” không có trong danh mục loại văn bản.",
                  DOC_CUT(in->doc_type, 40));

    c->subject = field_clean(in->subject, "subject", "trích yếu", true, DOC_SUBJECT_MAX, e);
    if (c->subject)
        c->folded = text_fold(c->subject);
    c->signer_name = field_clean(in->signer_name, "signer_name", "người ký", false, 100, e);
    c->signer_position =
        field_clean(in->signer_position, "signer_position", "chức vụ người ký", false, 100, e);
    c->notes = field_clean_text(in->notes, "notes", "ghi chú", false, 2000, e);
    if (in->page_count < 0 || in->page_count > 100000)
        verrs_add(e, "page_count", "Số trang phải từ 0 đến 100000.");
    c->urgency = doc_urgency_parse(in->urgency);
    if (c->urgency < 0)
        verrs_add(e, "urgency",
                  "Độ khẩn “%s” không có trong danh mục: Thường, Khẩn, Thượng khẩn, Hỏa tốc, "
                  "Hỏa tốc hẹn giờ.",
                  DOC_CUT(in->urgency, 40));
    c->language = in->language && *in->language ? in->language : "vi";
    if (!language_valid(c->language))
        verrs_add(e, "language",
                  "Ngôn ngữ phải là mã ngôn ngữ, ví dụ vi (tiếng Việt) hoặc en (tiếng Anh).");

    if (in->nrecipients > 50) {
        verrs_add(e, "recipients", "Tối đa 50 nơi nhận.");
    } else {
        json_t *arr = json_array();
        for (size_t i = 0; i < in->nrecipients; i++) {
            char *r = field_clean(in->recipients[i], "recipients", "nơi nhận", false, 200, e);
            if (r && *r)
                json_array_append_new(arr, json_string(r));
            free(r);
        }
        c->recipients = json_dumps(arr, JSON_COMPACT);
        json_decref(arr);
    }
}

static void check_files(struct app *app, const char *medium, const struct doc_upload *files,
                        size_t nfiles, struct stored_file *out, struct verrs *e)
{
    int mains = 0, appendices = 0;
    for (size_t i = 0; i < nfiles; i++) {
        const struct doc_upload *f = &files[i];
        struct stored_file *s = &out[i];
        bool main = f->role && !strcmp(f->role, "main");
        const char *field = main ? "main" : "appendix";
        if (!main && (!f->role || strcmp(f->role, "appendix"))) {
            verrs_add(e, "files", "Mỗi tệp phải là tệp chính hoặc phụ lục.");
            continue;
        }
        s->role = main ? "main" : "appendix";
        s->seq = main ? 0 : ++appendices;
        mains += main;
        if (!doc_upload_check(app, f, field, s, e))
            continue;
        if (main && !strcmp(medium, "paper") && s->fmt != FMT_PDF)
            verrs_add(e, "main",
                      "Bản số hóa của văn bản giấy phải là tệp PDF; “%s” là "
                      "%s.",
                      DOC_CUT(s->name, 120), doc_format_info(s->fmt)->label);
    }
    if (mains == 0)
        verrs_add(e, "main",
                  !strcmp(medium, "paper") ? "Thiếu tệp chính: văn bản giấy phải kèm bản quét PDF."
                                           : "Thiếu tệp chính của văn bản.");
    else if (mains > 1)
        verrs_add(e, "main", "Chỉ gửi một tệp chính; các tệp khác gửi là phụ lục.");
    if (appendices > DOC_MAX_APPENDICES)
        verrs_add(e, "appendix", "Tối đa %d phụ lục.", DOC_MAX_APPENDICES);
}

/* The register must be one of the agency's incoming registers, open, and (for a
 * register of one year) of the year of receipt. */
result_t doc_register_check(struct db_conn *c, int64_t agency_id, int64_t register_id, int year,
                            struct verrs *e, char *name, size_t namesize)
{
    struct db_stmt *s = NULL;
    if (register_id <= 0) {
        verrs_add(e, "register_id", "Vui lòng chọn sổ văn bản đến (register_id).");
        return RES_INVALID;
    }
    result_t r = db_query(c, &s,
                          "SELECT kind, active, year_mode, year, name FROM doc_register WHERE id = "
                          "$1 AND agency_id = $2",
                          "ii", register_id, agency_id);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_DONE) {
        verrs_add(e, "register_id", "Sổ văn bản đến số %lld không có trong cơ quan.",
                  (long long)register_id);
        r = RES_INVALID;
    } else if (r == RES_ROW) {
        r = RES_OK;
        str_copy(name, db_col_text(s, 4), namesize);
        if (strcmp(db_col_text(s, 0), "incoming")) {
            verrs_add(e, "register_id", "Sổ “%s” không phải sổ văn bản đến.", DOC_CUT(name, 120));
            r = RES_INVALID;
        } else if (db_col_i64(s, 1) != 1) {
            verrs_add(e, "register_id", "Sổ “%s” đã khóa, không vào sổ thêm được.",
                      DOC_CUT(name, 120));
            r = RES_INVALID;
        } else if (!strcmp(db_col_text(s, 2), "fixed") && db_col_i64(s, 3) != year) {
            verrs_add(e, "register_id", "Sổ “%s” là sổ năm %lld, văn bản nhận năm %d.",
                      DOC_CUT(name, 120), (long long)db_col_i64(s, 3), year);
            r = RES_INVALID;
        }
    }
    db_finalize(s);
    return r;
}

struct incoming_write {
    const struct actor *a;
    int64_t agency_id, register_id, page_count, now;
    int year;
    bool confirm_duplicate;
    const struct clean *c;
    const struct stored_file *files;
    size_t nfiles;
    const char *register_name;
    /* out */
    int64_t id, number;
    struct doc_duplicate dup;
};

json_t *doc_duplicate_json(const struct doc_duplicate *d)
{
    char iso[40];
    clock_format_iso(d->received_at, iso, sizeof(iso));
    return json_pack("{s:I,s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)d->id,
                     "arrival_number", (json_int_t)d->arrival_number, "year", (json_int_t)d->year,
                     "register_id", (json_int_t)d->register_id, "register_name", d->register_name,
                     "received_at", iso, "number_symbol", d->number_symbol, "issued_date",
                     d->issued_date, "issuer_name", d->issuer_name, "subject", d->subject, "state",
                     d->state);
}

result_t doc_find_duplicate(struct db_conn *c, int64_t agency_id, const struct doc_identity *id,
                            struct doc_duplicate *out)
{
    memset(out, 0, sizeof(*out));
    struct db_stmt *s = NULL;
    /* Registered ones only: the inner join on the register leaves out copies that arrived
     * and were not registered (or were refused). Index document_identity. */
    result_t r = db_query(
        c, &s,
        "SELECT d.id, d.reg_number, d.reg_year, d.received_at, r.name, d.register_id, d.number, "
        "d.symbol, d.issued_date, d.issuer_name, d.subject, d.state FROM document d JOIN "
        "doc_register r ON r.id = d.register_id WHERE d.agency_id = $1 AND d.direction = "
        "'incoming' AND d.number = $2 AND d.symbol = $3 AND d.issued_date = $4 AND "
        "(($5 <> '' AND d.issuer_code = $5) OR ($5 = '' AND d.issuer_name = $6)) "
        "ORDER BY d.id LIMIT 1",
        "itttt"
        "t",
        agency_id, id->number, id->symbol, id->issued_date, id->issuer_code ? id->issuer_code : "",
        id->issuer_name);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW) {
        out->id = db_col_i64(s, 0);
        out->arrival_number = db_col_i64(s, 1);
        out->year = db_col_i64(s, 2);
        out->received_at = db_col_i64(s, 3);
        str_copy(out->register_name, db_col_text(s, 4), sizeof(out->register_name));
        out->register_id = db_col_i64(s, 5);
        snprintf(out->number_symbol, sizeof(out->number_symbol), "%s%s%s", db_col_text(s, 6),
                 *db_col_text(s, 6) ? "/" : "", db_col_text(s, 7));
        str_copy(out->issued_date, db_col_null(s, 8) ? "" : db_col_text(s, 8),
                 sizeof(out->issued_date));
        str_copy(out->issuer_name, db_col_text(s, 9), sizeof(out->issuer_name));
        str_copy(out->subject, db_col_text(s, 10), sizeof(out->subject));
        str_copy(out->state, db_col_text(s, 11), sizeof(out->state));
        r = RES_CONFLICT;
    } else if (r == RES_DONE) {
        r = RES_OK;
    }
    db_finalize(s);
    return r;
}

void doc_duplicate_error(struct verrs *e, const struct doc_identity *id,
                         const struct doc_duplicate *d)
{
    char when[64], issued[11];
    clock_format_vn(d->received_at, when, sizeof(when));
    calendar_iso_to_vn(id->issued_date, issued);
    verrs_add(e, "confirm_duplicate",
              "Văn bản số %s/%s ngày %s của %s đã được vào sổ “%s” lúc %s, số "
              "đến %lld/%lld (văn bản #%lld). Gửi lại với confirm_duplicate = true nếu vẫn "
              "vào sổ.",
              DOC_CUT(id->number, 20), DOC_CUT(id->symbol, 50), issued,
              DOC_CUT(id->issuer_name, 100), DOC_CUT(d->register_name, 80), when,
              (long long)d->arrival_number, (long long)d->year, (long long)d->id);
}

static struct doc_identity identity_of(const struct clean *c)
{
    return (struct doc_identity){.issuer_code = c->issuer_code,
                                 .issuer_name = c->issuer_name,
                                 .number = c->number,
                                 .symbol = c->symbol,
                                 .issued_date = c->issued_date};
}

static result_t incoming_tx(struct tx *t, void *arg)
{
    struct incoming_write *w = arg;
    struct db_conn *c = tx_conn(t);
    const struct clean *in = w->c;
    w->id = w->number = 0;
    memset(&w->dup, 0, sizeof(w->dup));
    /* The number first: its row lock orders concurrent registrations, so the duplicate
     * check below sees every document committed before this one (READ COMMITTED takes
     * a fresh snapshot per statement). */
    result_t r = doc_number_next(c, w->register_id, w->year, &w->number);
    if (r != RES_OK)
        return r;
    struct doc_identity ident = identity_of(in);
    if (!w->confirm_duplicate &&
        (r = doc_find_duplicate(c, w->agency_id, &ident, &w->dup)) != RES_OK)
        return r;
    r = db_one_i64(
        c, &w->id,
        "INSERT INTO document (agency_id, direction, state, medium, issuer_code, issuer_name, "
        "issuer_agency_id, number, symbol, issued_date, doc_type, subject, subject_folded, "
        "signer_name, signer_position, page_count, urgency, due_date, recipients, language, "
        "notes, register_id, reg_year, reg_number, received_at, created_by, created_at, "
        "updated_at, arrived_at, issuer_folded) VALUES ($1, 'incoming', 'registered', $2, $3, "
        "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, "
        "$22, $23, $24, $25, $25, $26, $27) RETURNING id",
        "itttI"
        "tttttttt"
        "ii"
        "tttt"
        "iiii"
        "I"
        "ii"
        "t",
        w->agency_id, in->medium, in->issuer_code, in->issuer_name, in->issuer_agency_id,
        in->number, in->symbol, in->issued_date, in->doc_type, in->subject, in->folded,
        in->signer_name, in->signer_position, w->page_count, (int64_t)in->urgency, in->due_date,
        in->recipients, in->language, in->notes, w->register_id, (int64_t)w->year, w->number,
        in->received_at, w->a->user_id, w->now, in->arrived_at,
        in->issuer_folded ? in->issuer_folded : "");
    if (r == RES_OK) /* the search words: pending, found at once, indexed by a job (doc_list.c) */
        r = doc_search_index_later(c, w->id, w->agency_id, in->urgency, in->received_at, in->number,
                                   in->symbol, in->subject);
    if (r != RES_OK)
        return r;
    for (size_t i = 0; i < w->nfiles; i++)
        if ((r = doc_file_insert(c, w->id, &w->files[i], w->a->user_id, w->now, NULL)) != RES_OK)
            return r;
    char comment[300];
    snprintf(comment, sizeof(comment), "Vào sổ “%s”, số đến %lld/%d",
             DOC_CUT(w->register_name, 150), (long long)w->number, w->year);
    r = db_run(c,
               "INSERT INTO doc_history (document_id, step, actor_id, actor_name, action, "
               "from_state, to_state, comment, at) VALUES ($1, 1, $2, $3, 'received', '', "
               "'registered', $4, $5)",
               "iItti", w->id, w->a->user_id, w->a->full_name[0] ? w->a->full_name : w->a->login,
               comment, w->now);
    if (r != RES_OK)
        return r;
    char summary[400];
    size_t cut = text_cut(in->subject, strlen(in->subject), 120);
    snprintf(summary, sizeof(summary), "Số đến %lld/%d: %s/%s — %.*s%s", (long long)w->number,
             w->year, in->number, in->symbol, (int)cut, in->subject,
             cut < strlen(in->subject) ? "…" : "");
    doc_audit(t, w->a, w->agency_id, w->id, "doc_register_incoming", summary);
    return RES_OK;
}

result_t doc_register_incoming(struct app *app, const struct actor *a,
                               const struct doc_incoming_input *in, const struct doc_upload *files,
                               size_t nfiles, struct verrs *e, struct doc_registered *out)
{
    memset(out, 0, sizeof(*out));
    int64_t agency_id = a ? a->agency_id : 0;
    result_t r = authz_check(a, AZ_DOC_REGISTER, agency_id);
    if (r != RES_OK)
        return r;
    if (!agency_id)
        return RES_FORBIDDEN;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    if (!app->blobs)
        return RES_UNSUPPORTED;
    if (nfiles > DOC_MAX_APPENDICES + 1) {
        verrs_add(e, "appendix", "Tối đa %d phụ lục.", DOC_MAX_APPENDICES);
        return RES_INVALID;
    }
    struct calendar *cal = NULL;
    if ((r = doc_calendar_load(app, &cal)) != RES_OK)
        return r;
    int64_t now = clock_now();
    struct clean cl = {0};
    struct stored_file stored[DOC_MAX_APPENDICES + 1];
    memset(stored, 0, sizeof(stored));
    check_fields(app, cal, in, now, &cl, e);
    free(cal);
    check_files(app, cl.medium, files, nfiles, stored, e);
    int year = doc_year_of(cl.received_at);
    char reg_name[201] = "";
    r = doc_register_check(c, agency_id, in->register_id, year, e, reg_name, sizeof(reg_name));
    if (r != RES_OK && r != RES_INVALID)
        goto out;
    if (e->count) {
        r = RES_INVALID;
        goto out;
    }
    /* Files first: durable when put returns, unreferenced until the row commits (the
     * sweep keeps them for the grace period, then removes them if it never did). */
    for (size_t i = 0; i < nfiles; i++)
        if ((r = blob_put(app->blobs, files[i].data, files[i].len, stored[i].hash)) != RES_OK)
            goto out;
    struct incoming_write w = {.a = a,
                               .agency_id = agency_id,
                               .register_id = in->register_id,
                               .page_count = in->page_count,
                               .now = now,
                               .year = year,
                               .confirm_duplicate = in->confirm_duplicate,
                               .c = &cl,
                               .files = stored,
                               .nfiles = nfiles,
                               .register_name = reg_name};
    r = tx_run(app->db, incoming_tx, &w);
    if (r == RES_CONFLICT && w.dup.id) {
        struct doc_identity ident = identity_of(&cl);
        doc_duplicate_error(e, &ident, &w.dup);
        out->duplicate_of = w.dup.id;
        out->duplicate = w.dup;
    } else if (r == RES_OK) {
        out->id = w.id;
        out->year = year;
        out->arrival_number = w.number;
        out->arrived_at = cl.arrived_at;
        out->received_at = cl.received_at;
    }
out:
    clean_release(&cl);
    return r;
}

result_t doc_calendar_load(struct app *app, struct calendar **out)
{
    *out = NULL;
    struct calendar *cal = xcalloc(1, sizeof(*cal));
    /* A malformed QLVB_* calendar variable keeps the defaults (calendar_init says so at
     * start-up); the overrides are the administrators' and must load. */
    (void)calendar_init(cal);
    result_t r = calendar_load(cal, app);
    if (r != RES_OK) {
        free(cal);
        return r;
    }
    *out = cal;
    return RES_OK;
}
