/* Hash-chained audit log. The hash covers every field, each length-prefixed, so no
 * two different rows can serialise to the same bytes. */
#include "core/audit.h"

#include <openssl/evp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/authz.h"
#include "db/db.h"
#include "text/text.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/str.h"

const struct audit_action audit_actions[] = {
    {"login", "Đăng nhập"},
    {"login_failed", "Đăng nhập thất bại"},
    {"logout", "Đăng xuất"},
    {"account_locked_out", "Tạm khóa do đăng nhập sai"},
    {"password_change", "Đổi mật khẩu"},
    {"password_reset", "Đặt lại mật khẩu"},
    {"session_revoke", "Thu hồi phiên"},
    {"agency_choose", "Chọn cơ quan làm việc"},
    {"user_create", "Tạo người dùng"},
    {"user_update", "Sửa người dùng"},
    {"user_lock", "Khóa tài khoản"},
    {"user_unlock", "Mở khóa tài khoản"},
    {"membership_update", "Phân quyền, phòng ban, chức vụ"},
    {"agency_create", "Tạo cơ quan"},
    {"agency_update", "Sửa cơ quan"},
    {"agency_import", "Nhập danh sách cơ quan"},
    {"department_create", "Tạo phòng ban"},
    {"department_update", "Sửa phòng ban"},
    {"position_create", "Tạo chức vụ"},
    {"position_update", "Sửa chức vụ"},
    {"system_init", "Khởi tạo hệ thống"},
    {"signing_key_import", "Cấp khóa ký số"},
    {"signing_key_revoke", "Thu hồi khóa ký số"},
    {"signing_key_pin_failed", "Nhập sai PIN khóa ký số"},
    {"signing_key_pin_locked", "Tạm khóa khóa ký do nhập sai PIN"},
    {"document_sign", "Ký số tài liệu"},
    {"document_sign_prepare", "Chuẩn bị ký số bằng thiết bị ký"},
    {"document_sign_finish", "Hoàn tất ký số bằng thiết bị ký"},
    {"trust_cert_add", "Thêm chứng thư tin cậy"},
    {"trust_cert_remove", "Gỡ chứng thư tin cậy"},
    {"trust_crl_add", "Thêm danh sách thu hồi (CRL)"},
    {"trust_crl_remove", "Gỡ danh sách thu hồi (CRL)"},
    {"sigimage_upload", "Tải lên ảnh chữ ký, con dấu"},
    {"sigimage_deactivate", "Ngừng dùng ảnh chữ ký, con dấu"},
    {"job_retry", "Chạy lại việc nền bị lỗi"},
    {"calendar_override_add", "Thêm ngày nghỉ hoán đổi, ngày làm bù"},
    {"calendar_override_remove", "Xóa ngày nghỉ hoán đổi, ngày làm bù"},
    {"doc_register_create", "Mở sổ văn bản"},
    {"doc_register_incoming", "Vào sổ văn bản đến"},
    {"doc_present", "Trình văn bản đến"},
    {"doc_assign", "Giao xử lý văn bản"},
    {"doc_reassign", "Giao xử lý trong đơn vị"},
    {"doc_withdraw", "Thu hồi phân công xử lý"},
    {"doc_change_assignment", "Thay đổi phân công xử lý"},
    {"doc_accept", "Tiếp nhận xử lý văn bản"},
    {"doc_comment", "Cho ý kiến xử lý"},
    {"doc_attach", "Đính kèm tệp xử lý"},
    {"doc_forward", "Chuyển văn bản"},
    {"doc_return", "Trả lại văn bản"},
    {"doc_complete", "Hoàn thành xử lý văn bản"},
    {"doc_seen", "Đã xem văn bản nhận để biết"},
    {"doc_deliver", "Gửi văn bản đến cơ quan trên hệ thống"},
    {"doc_arrive", "Nhận văn bản từ cơ quan trên hệ thống"},
    {"doc_register_arrived", "Vào sổ văn bản đến nhận trên hệ thống"},
    {"doc_refuse", "Từ chối tiếp nhận văn bản đến"},
    {"doc_draft", "Tạo dự thảo văn bản đi"},
    {"doc_draft_version", "Tải lên phiên bản mới của dự thảo"},
    {"doc_submit", "Trình duyệt dự thảo văn bản đi"},
    {"doc_approve", "Duyệt dự thảo văn bản đi"},
    {"doc_sign", "Ký số, cấp số văn bản đi"},
    {"doc_seal", "Ký số của cơ quan (đóng dấu) văn bản đi"},
    {"doc_digitise_sign", "Ký số của cơ quan trên bản số hóa văn bản giấy"},
    {"doc_issue", "Ban hành, phát hành văn bản đi"},
    {"doc_cancel", "Hủy văn bản đi đã cấp số (giữ số)"},
    {"doc_recall", "Thu hồi văn bản đã ban hành"},
    {"notify_read", "Đánh dấu đã đọc thông báo"},
    {"doc_public_open", "Công bố dự thảo lấy ý kiến công khai"},
    {"doc_public_close", "Kết thúc lấy ý kiến công khai"},
    {"doc_public_comment", "Góp ý công khai về dự thảo (không đăng nhập)"},
    {"doc_circuit_template", "Sửa mẫu quy trình duyệt văn bản đi"},
    {"doc_review_plan", "Sửa quy trình duyệt của dự thảo"},
    {"doc_ask_opinion", "Xin ý kiến các đơn vị về dự thảo"},
    {"doc_answer_opinion", "Cho ý kiến về dự thảo"},
    {"doc_update", "Cập nhật văn bản đã ban hành"},
    {"doc_recall_agree", "Đồng ý thu hồi văn bản đến"},
    {"doc_recall_refuse", "Từ chối thu hồi văn bản đến"},
    {"doc_reply_complete", "Hoàn thành văn bản đến khi ban hành văn bản trả lời"},
    {NULL, NULL},
};

const char *audit_action_label(const char *key)
{
    for (const struct audit_action *a = audit_actions; a->key; a++)
        if (strcmp(a->key, key) == 0)
            return a->label;
    return key;
}

static void field(struct buf *b, const char *s)
{
    if (!s)
        s = "";
    buf_printf(b, "%zu:", strlen(s));
    buf_puts(b, s);
    buf_putc(b, '\n');
}

static void row_hash(const char *prev, int64_t id, int64_t at, int64_t actor_id,
                     const char *actor_login, int64_t agency_id, const char *action,
                     const char *object_type, const char *object_id, const char *summary,
                     const char *client_addr, char out[65])
{
    struct buf b = BUF_INIT(1 << 20);
    char num[64];
    field(&b, prev);
    snprintf(num, sizeof(num), "%lld/%lld/%lld/%lld", (long long)id, (long long)at,
             (long long)actor_id, (long long)agency_id);
    field(&b, num);
    field(&b, actor_login);
    field(&b, action);
    field(&b, object_type);
    field(&b, object_id);
    field(&b, summary);
    field(&b, client_addr);
    sha256_hex(buf_str(&b), b.len, out);
    buf_release(&b);
}

static atomic_int fail_left;
static _Atomic result_t fail_with = RES_DB;

void audit_fail_next(int n, result_t r)
{
    atomic_store(&fail_with, r);
    atomic_store(&fail_left, n > 0 ? n : 0);
}

/* True when an injected failure is due (and counts it). */
static bool fail_due(void)
{
    int left = atomic_load(&fail_left);
    while (left > 0)
        if (atomic_compare_exchange_weak(&fail_left, &left, left - 1))
            return true;
    return false;
}

result_t audit_append(struct db_conn *c, const struct audit_entry *e)
{
    if (fail_due()) {
        log_error("msg=\"audit append failed (injected)\" action=%s", e->action);
        return atomic_load(&fail_with);
    }
    /* The UPDATE takes the row lock first (PostgreSQL) / we already hold the write
     * lock (SQLite BEGIN IMMEDIATE), so concurrent appenders serialise here. */
    result_t r = db_run(c, "UPDATE audit_head SET last_id = last_id + 1 WHERE id = 1", "");
    if (r != RES_OK)
        return r;
    struct db_stmt *s = NULL;
    r = db_query(c, &s, "SELECT last_id, last_hash FROM audit_head WHERE id = 1", "");
    if (r != RES_OK)
        return r;
    if (db_step(s) != RES_ROW) {
        db_finalize(s);
        return RES_DB;
    }
    int64_t id = db_col_i64(s, 0);
    char prev[65];
    str_copy(prev, db_col_text(s, 1), sizeof(prev));
    db_finalize(s);

    int64_t at = clock_now();
    char hash[65];
    row_hash(prev, id, at, e->actor_id, e->actor_login, e->agency_id, e->action, e->object_type,
             e->object_id, e->summary, e->client_addr, hash);
    r = db_run(c,
               "INSERT INTO audit_log (id, at, actor_id, actor_login, agency_id, action, "
               "object_type, object_id, summary, client_addr, prev_hash, hash) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
               "iiitittttttt", id, at, e->actor_id, e->actor_login ? e->actor_login : "",
               e->agency_id, e->action, e->object_type ? e->object_type : "",
               e->object_id ? e->object_id : "", e->summary ? e->summary : "",
               e->client_addr ? e->client_addr : "", prev, hash);
    if (r != RES_OK)
        return r;
    return db_run(c, "UPDATE audit_head SET last_hash = $1 WHERE id = 1", "t", hash);
}

result_t audit_verify(struct db *db, struct audit_verify_report *rep)
{
    memset(rep, 0, sizeof(*rep));
    struct db_conn *c = db_conn(db);
    if (!c)
        return RES_DB;
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT id, at, actor_id, actor_login, agency_id, action, object_type, "
                          "object_id, summary, client_addr, prev_hash, hash FROM audit_log "
                          "ORDER BY id",
                          "");
    if (r != RES_OK)
        return r;
    char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    int64_t expect = 1;
    result_t verdict = RES_OK;
    while ((r = db_step(s)) == RES_ROW) {
        int64_t id = db_col_i64(s, 0);
        char hash[65];
        rep->rows++;
        if (id != expect) {
            rep->bad_id = expect;
            snprintf(rep->reason, sizeof(rep->reason),
                     "row %lld is missing (next row present is %lld)", (long long)expect,
                     (long long)id);
            verdict = RES_INVALID;
            break;
        }
        const char *stored_prev = db_col_text(s, 10), *stored = db_col_text(s, 11);
        if (!stored_prev || strcmp(stored_prev, prev) != 0) {
            rep->bad_id = id;
            snprintf(rep->reason, sizeof(rep->reason),
                     "row %lld does not link to the previous row's hash", (long long)id);
            verdict = RES_INVALID;
            break;
        }
        row_hash(prev, id, db_col_i64(s, 1), db_col_i64(s, 2), db_col_text(s, 3), db_col_i64(s, 4),
                 db_col_text(s, 5), db_col_text(s, 6), db_col_text(s, 7), db_col_text(s, 8),
                 db_col_text(s, 9), hash);
        if (!stored || strcmp(stored, hash) != 0) {
            rep->bad_id = id;
            snprintf(rep->reason, sizeof(rep->reason),
                     "row %lld was altered: its content does not match its hash", (long long)id);
            verdict = RES_INVALID;
            break;
        }
        str_copy(prev, stored, sizeof(prev));
        expect++;
    }
    db_finalize(s);
    if (verdict != RES_OK)
        return verdict;
    if (r != RES_DONE)
        return r;
    int64_t last = 0;
    struct db_stmt *h = NULL;
    if (db_query(c, &h, "SELECT last_id, last_hash FROM audit_head WHERE id = 1", "") != RES_OK)
        return RES_DB;
    if (db_step(h) == RES_ROW) {
        last = db_col_i64(h, 0);
        const char *head_hash = db_col_text(h, 1);
        if (last != expect - 1) {
            rep->bad_id = expect;
            snprintf(rep->reason, sizeof(rep->reason),
                     "the log ends at row %lld but %lld rows were written: rows deleted at the end",
                     (long long)(expect - 1), (long long)last);
            verdict = RES_INVALID;
        } else if (!head_hash || strcmp(head_hash, prev) != 0) {
            rep->bad_id = last;
            snprintf(rep->reason, sizeof(rep->reason),
                     "the last row's hash differs from the recorded head");
            verdict = RES_INVALID;
        }
    }
    db_finalize(h);
    return verdict;
}

result_t audit_list(struct db_conn *c, const struct audit_filter *f, json_t **out)
{
    int limit = f->limit > 0 && f->limit <= 200 ? f->limit : 50;
    const char *actor = f->actor && *f->actor ? f->actor : NULL;
    char like[256] = "";
    text_like_contains(actor, like, sizeof(like));
    struct db_stmt *s = NULL;
    result_t r = db_query(
        c, &s,
        "SELECT a.id, a.at, a.actor_login, COALESCE(u.full_name, ''), a.agency_id, "
        "COALESCE(g.abbr, ''), a.action, a.object_type, a.object_id, a.summary, a.client_addr, "
        /* the object's name today, for people reading the log (issue 9) */
        "CASE a.object_type "
        "WHEN 'user' THEN (SELECT x.full_name FROM app_user x WHERE CAST(x.id AS TEXT) = "
        "a.object_id) "
        "WHEN 'agency' THEN (SELECT x.name FROM agency x WHERE CAST(x.id AS TEXT) = a.object_id) "
        "WHEN 'department' THEN (SELECT x.name FROM department x WHERE CAST(x.id AS TEXT) = "
        "a.object_id) "
        "WHEN 'position' THEN (SELECT x.name FROM position x WHERE CAST(x.id AS TEXT) = "
        "a.object_id) "
        "WHEN 'signing_key' THEN (SELECT x.subject_cn FROM signing_key x WHERE CAST(x.id AS TEXT) "
        "= a.object_id) "
        "ELSE NULL END "
        "FROM audit_log a LEFT JOIN app_user u ON u.id = a.actor_id "
        "LEFT JOIN agency g ON g.id = a.agency_id "
        "WHERE ($1 = 0 OR a.agency_id = $1) "
        "AND ($2 = '' OR a.actor_login LIKE $2 ESCAPE '\\' OR u.full_name_folded LIKE $2 ESCAPE "
        "'\\') "
        "AND ($3 = '' OR a.action = $3) AND ($4 = 0 OR a.at >= $4) AND ($5 = 0 OR a.at < $5) "
        "AND ($6 = 0 OR a.id < $6) ORDER BY a.id DESC LIMIT $7",
        "ittiiii", f->agency_id, actor ? like : "", f->action ? f->action : "", f->from, f->to,
        f->before_id, (int64_t)limit);
    if (r != RES_OK)
        return r;
    json_t *rows = json_array();
    while ((r = db_step(s)) == RES_ROW) {
        json_t *row = json_object();
        json_object_set_new(row, "id", json_integer(db_col_i64(s, 0)));
        char iso[40];
        clock_format_iso(db_col_i64(s, 1), iso, sizeof(iso));
        json_object_set_new(row, "at", json_string(iso));
        char human[40];
        clock_format_vn(db_col_i64(s, 1), human, sizeof(human));
        json_object_set_new(row, "at_display", json_string(human));
        json_object_set_new(row, "actor_login", json_string(db_col_text(s, 2)));
        json_object_set_new(row, "actor_name", json_string(db_col_text(s, 3)));
        json_object_set_new(row, "agency_id", json_integer(db_col_i64(s, 4)));
        json_object_set_new(row, "agency", json_string(db_col_text(s, 5)));
        const char *action = db_col_text(s, 6);
        json_object_set_new(row, "action", json_string(action));
        json_object_set_new(row, "action_label", json_string(audit_action_label(action)));
        json_object_set_new(row, "object_type", json_string(db_col_text(s, 7)));
        json_object_set_new(row, "object_id", json_string(db_col_text(s, 8)));
        json_object_set_new(row, "summary", json_string(db_col_text(s, 9)));
        json_object_set_new(row, "client_addr", json_string(db_col_text(s, 10)));
        const char *oname = db_col_text(s, 11);
        json_object_set_new(row, "object_name", json_string(oname ? oname : ""));
        json_array_append_new(rows, row);
    }
    db_finalize(s);
    if (r != RES_DONE) {
        json_decref(rows);
        return r;
    }
    *out = rows;
    return RES_OK;
}

result_t audit_search(struct app *app, const struct actor *a, const struct audit_filter *f,
                      json_t **out)
{
    result_t r = authz_check(a, AZ_AUDIT_READ, f->agency_id);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    return c ? audit_list(c, f, out) : RES_DB;
}
