/* Sign-in, lockout, session tokens and password change. */
#include "core/session.h"

#include <stdio.h>
#include <string.h>

#include "core/audit.h"
#include "core/password.h"
#include "core/tx.h"
#include "core/validate.h"
#include "db/db.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/str.h"

#define LAST_SEEN_GRANULARITY 60 /* seconds: bounds the writes caused by reads */

static const char *const BAD_CREDENTIALS = "Số CCCD hoặc mật khẩu không đúng.";

/* A refused login changes nothing but is on record; if the row cannot be written the
 * caller answers with that error rather than a refusal nobody can audit. */
__attribute__((warn_unused_result)) static result_t
audit_login(struct app *app, int64_t user_id, const char *login, int64_t agency_id,
            const char *action, const char *summary, const char *addr)
{
    char oid[24] = "";
    if (user_id)
        snprintf(oid, sizeof(oid), "%lld", (long long)user_id);
    struct audit_entry e = {.actor_id = user_id,
                            .actor_login = login,
                            .agency_id = agency_id,
                            .action = action,
                            .object_type = "user",
                            .object_id = oid,
                            .summary = summary,
                            .client_addr = addr};
    return tx_audit_only(app->db, &e);
}

/* A wrong password: count it and maybe lock, with its audit row, as one unit. */
struct login_failure {
    int64_t uid, agency_id, until;
    const char *login, *addr;
    int threshold;
    int64_t failed; /* out */
    bool lock;      /* out */
};

static result_t login_failure_tx(struct tx *t, void *arg)
{
    struct login_failure *f = arg;
    struct db_conn *c = tx_conn(t);
    f->failed = 0;
    f->lock = false;
    result_t r = db_one_i64(c, &f->failed,
                            "UPDATE app_user SET failed_logins = failed_logins + 1 WHERE id = $1 "
                            "RETURNING failed_logins",
                            "i", f->uid);
    if (r != RES_OK)
        return r;
    f->lock = f->failed >= f->threshold;
    if (f->lock &&
        (r = db_run(c, "UPDATE app_user SET failed_logins = 0, locked_until = $1 WHERE id = $2",
                    "ii", f->until, f->uid)) != RES_OK)
        return r;
    char oid[24];
    snprintf(oid, sizeof(oid), "%lld", (long long)f->uid);
    tx_audit(t,
             &(struct audit_entry){
                 .actor_id = f->uid,
                 .actor_login = f->login,
                 .agency_id = f->agency_id,
                 .action = f->lock ? "account_locked_out" : "login_failed",
                 .object_type = "user",
                 .object_id = oid,
                 .summary = f->lock ? "Tạm khóa sau nhiều lần nhập sai mật khẩu" : "Sai mật khẩu",
                 .client_addr = f->addr,
             });
    return RES_OK;
}

static result_t new_session(struct db_conn *c, struct app *app, int64_t user_id,
                            int64_t membership_id, const char *addr, const char *ua,
                            struct session_info *info, int64_t *session_id);

/* A successful login: reset the failure count and open the session. */
struct login_success {
    struct app *app;
    int64_t uid, membership, agency_id;
    const char *login, *addr, *ua;
    struct session_info *info; /* out */
    int64_t session_id;        /* out */
};

static result_t login_success_tx(struct tx *t, void *arg)
{
    struct login_success *l = arg;
    struct db_conn *c = tx_conn(t);
    l->session_id = 0;
    memset(l->info, 0, sizeof(*l->info));
    result_t r = db_run(c, "UPDATE app_user SET failed_logins = 0 WHERE id = $1", "i", l->uid);
    if (r == RES_OK)
        r = new_session(c, l->app, l->uid, l->membership, l->addr, l->ua, l->info, &l->session_id);
    if (r != RES_OK)
        return r;
    tx_audit(t, &(struct audit_entry){.actor_id = l->uid,
                                      .actor_login = l->login,
                                      .agency_id = l->agency_id,
                                      .action = "login",
                                      .object_type = "session",
                                      .object_id = "",
                                      .summary = "Đăng nhập",
                                      .client_addr = l->addr});
    return RES_OK;
}

static result_t new_session(struct db_conn *c, struct app *app, int64_t user_id,
                            int64_t membership_id, const char *addr, const char *ua,
                            struct session_info *info, int64_t *session_id)
{
    char hash[65];
    if (rand_hex(info->token, 32) != RES_OK || rand_hex(info->csrf, 32) != RES_OK)
        return RES_CRYPTO;
    sha256_hex(info->token, strlen(info->token), hash);
    int64_t now = clock_now();
    info->expires_at = now + app->cfg.session_absolute;
    char ua_cut[256];
    str_copy(ua_cut, ua ? ua : "", sizeof(ua_cut));
    return db_one_i64(c, session_id,
                      "INSERT INTO session (token_hash, user_id, membership_id, csrf_token, "
                      "created_at, last_seen_at, expires_at, client_addr, user_agent) "
                      "VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8) RETURNING id",
                      "tiItiitt", hash, user_id, membership_id, info->csrf, now, info->expires_at,
                      addr ? addr : "", ua_cut);
}

result_t session_login(struct app *app, const struct login_request *req, struct actor *actor,
                       struct session_info *info, char *message, size_t msgsize)
{
    memset(actor, 0, sizeof(*actor));
    memset(info, 0, sizeof(*info));
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    const char *login = req->login ? req->login : "";
    const char *password = req->password ? req->password : "";
    if (!citizen_id_valid(login)) {
        password_dummy_verify(password);
        snprintf(message, msgsize,
                 "Tên đăng nhập là số căn cước công dân: đúng 12 chữ số, ba chữ số đầu là mã tỉnh "
                 "(001–096).");
        return RES_INVALID;
    }
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT id, password_hash, disabled, locked_until, full_name, "
                          "is_sysadmin, must_change_password, COALESCE(home_agency_id, 0) "
                          "FROM app_user WHERE login = $1",
                          "t", login);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r != RES_ROW) {
        db_finalize(s);
        if (r != RES_DONE)
            return r;
        password_dummy_verify(password);
        if ((r = audit_login(app, 0, login, req->host_agency_id, "login_failed",
                             "Tài khoản không tồn tại", req->client_addr)) != RES_OK)
            return r;
        snprintf(message, msgsize, "%s", BAD_CREDENTIALS);
        return RES_INVALID;
    }
    int64_t uid = db_col_i64(s, 0), locked_until = db_col_i64(s, 3), now = clock_now();
    char hash[PASSWORD_HASH_MAX];
    str_copy(hash, db_col_text(s, 1), sizeof(hash));
    bool disabled = db_col_i64(s, 2);
    str_copy(actor->full_name, db_col_text(s, 4), sizeof(actor->full_name));
    actor->sysadmin = db_col_i64(s, 5);
    actor->must_change_password = db_col_i64(s, 6);
    /* Failures are filed under the account's agency so its administrators see them. */
    int64_t audit_agency = req->host_agency_id ? req->host_agency_id : db_col_i64(s, 7);
    db_finalize(s);

    if (locked_until > now) {
        char when[64];
        clock_format_vn(locked_until, when, sizeof(when));
        snprintf(message, msgsize,
                 "Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau %s.", when);
        if ((r = audit_login(app, uid, login, audit_agency, "login_failed",
                             "Đăng nhập khi đang tạm khóa", req->client_addr)) != RES_OK)
            return r;
        return RES_LOCKED;
    }
    r = password_verify(password, hash);
    if (r != RES_OK) {
        /* Count the failure and maybe lock, atomically; a failure that cannot be
         * counted is an error, never a silent refusal. */
        struct login_failure f = {.uid = uid,
                                  .agency_id = audit_agency,
                                  .until = now + app->cfg.lockout_seconds,
                                  .login = login,
                                  .addr = req->client_addr,
                                  .threshold = app->cfg.lockout_threshold};
        if ((r = tx_run(app->db, login_failure_tx, &f)) != RES_OK)
            return r;
        bool lock = f.lock;
        int64_t until = f.until, failed = f.failed;
        if (lock) {
            char when[64];
            clock_format_vn(until, when, sizeof(when));
            snprintf(message, msgsize,
                     "Bạn đã nhập sai mật khẩu %d lần. Tài khoản tạm khóa đến %s.",
                     app->cfg.lockout_threshold, when);
            return RES_LOCKED;
        }
        long left = app->cfg.lockout_threshold - failed;
        snprintf(message, msgsize, "%s Còn %ld lần thử trước khi tài khoản bị tạm khóa.",
                 BAD_CREDENTIALS, left);
        return RES_INVALID;
    }
    if (disabled) {
        snprintf(message, msgsize,
                 "Tài khoản đã bị khóa. Vui lòng liên hệ quản trị của cơ quan để mở khóa.");
        if ((r = audit_login(app, uid, login, audit_agency, "login_failed", "Tài khoản đã bị khóa",
                             req->client_addr)) != RES_OK)
            return r;
        return RES_LOCKED;
    }

    /* Choose the agency post: the host's agency, or the only one the user holds. */
    int64_t membership = 0, count = 0, agency_id = 0;
    if (req->host_agency_id) {
        if (db_one_i64(c, &membership,
                       "SELECT id FROM membership WHERE user_id = $1 AND agency_id = $2 "
                       "AND active = 1",
                       "ii", uid, req->host_agency_id) != RES_OK) {
            snprintf(message, msgsize, "Bạn không có tài khoản làm việc tại cơ quan này.");
            if ((r = audit_login(app, uid, login, audit_agency, "login_failed",
                                 "Không có chức danh tại cơ quan của địa chỉ truy cập",
                                 req->client_addr)) != RES_OK)
                return r;
            return RES_FORBIDDEN;
        }
        agency_id = req->host_agency_id;
    } else {
        db_one_i64(c, &count,
                   "SELECT COUNT(*) FROM membership m JOIN agency g ON g.id = m.agency_id "
                   "WHERE m.user_id = $1 AND m.active = 1 AND g.active = 1",
                   "i", uid);
        if (count == 1) {
            db_one_i64(c, &membership,
                       "SELECT m.id FROM membership m JOIN agency g ON g.id = m.agency_id "
                       "WHERE m.user_id = $1 AND m.active = 1 AND g.active = 1",
                       "i", uid);
            db_one_i64(c, &agency_id, "SELECT agency_id FROM membership WHERE id = $1", "i",
                       membership);
        }
    }
    struct login_success l = {.app = app,
                              .uid = uid,
                              .membership = membership,
                              .agency_id = agency_id,
                              .login = login,
                              .addr = req->client_addr,
                              .ua = req->user_agent,
                              .info = info};
    if ((r = tx_run(app->db, login_success_tx, &l)) != RES_OK)
        return r;
    actor->session_id = l.session_id;
    explicit_bzero(hash, sizeof(hash));
    /* Fill the actor as session_resolve would. */
    return session_resolve(app, info->token, req->client_addr, actor, info);
}

struct seen_at {
    int64_t session_id, now;
};

static result_t seen_tx(struct tx *t, void *arg)
{
    const struct seen_at *s = arg;
    return db_run(tx_conn(t), "UPDATE session SET last_seen_at = $1 WHERE id = $2", "ii", s->now,
                  s->session_id);
}

result_t session_resolve(struct app *app, const char *token, const char *client_addr,
                         struct actor *actor, struct session_info *info)
{
    if (!token || strlen(token) != SESSION_TOKEN_LEN)
        return RES_UNAUTHENTICATED;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    char hash[65];
    sha256_hex(token, SESSION_TOKEN_LEN, hash);
    struct db_stmt *s = NULL;
    result_t r = db_query(
        c, &s,
        "SELECT s.id, s.user_id, s.csrf_token, s.last_seen_at, s.expires_at, u.login, "
        "u.full_name, u.is_sysadmin, u.must_change_password, u.disabled, m.id, m.agency_id, "
        "m.department_id, m.roles FROM session s JOIN app_user u ON u.id = s.user_id "
        "LEFT JOIN membership m ON m.id = s.membership_id AND m.active = 1 AND EXISTS "
        "(SELECT 1 FROM agency g WHERE g.id = m.agency_id AND g.active = 1) "
        "WHERE s.token_hash = $1 AND s.revoked_at = 0",
        "t", hash);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r != RES_ROW) {
        db_finalize(s);
        return r == RES_DONE ? RES_UNAUTHENTICATED : r;
    }
    int64_t now = clock_now(), last_seen = db_col_i64(s, 3), expires = db_col_i64(s, 4);
    if (db_col_i64(s, 9) || now >= expires || now - last_seen > app->cfg.session_idle) {
        db_finalize(s);
        return RES_UNAUTHENTICATED;
    }
    struct actor a = {0};
    a.session_id = db_col_i64(s, 0);
    a.user_id = db_col_i64(s, 1);
    if (info) {
        str_copy(info->csrf, db_col_text(s, 2), sizeof(info->csrf));
        info->expires_at = expires;
    }
    str_copy(a.login, db_col_text(s, 5), sizeof(a.login));
    str_copy(a.full_name, db_col_text(s, 6), sizeof(a.full_name));
    a.sysadmin = db_col_i64(s, 7);
    a.must_change_password = db_col_i64(s, 8);
    if (!db_col_null(s, 10)) {
        a.membership_id = db_col_i64(s, 10);
        a.agency_id = db_col_i64(s, 11);
        a.department_id = db_col_null(s, 12) ? 0 : db_col_i64(s, 12);
        a.roles = (unsigned)db_col_i64(s, 13);
    }
    str_copy(a.client_addr, client_addr ? client_addr : "", sizeof(a.client_addr));
    db_finalize(s);
    if (now - last_seen >= LAST_SEEN_GRANULARITY) {
        struct seen_at seen = {.session_id = a.session_id, .now = now};
        /* Bookkeeping, not a user action: a failure here must not refuse the request. */
        if ((r = tx_run_noaudit(app->db, seen_tx, &seen)) != RES_OK)
            log_warn("msg=\"session last-seen not updated\" result=%s", result_name(r));
    }
    *actor = a;
    return RES_OK;
}

struct revoke {
    const struct actor *a;
    const char *sql, *action, *summary;
    int64_t arg;
    bool counted; /* the caller wants a count: no match is not an error */
    int count;    /* out */
};

static result_t revoke_tx(struct tx *t, void *arg)
{
    struct revoke *v = arg;
    struct db_conn *c = tx_conn(t);
    v->count = 0;
    result_t r = db_run(c, v->sql, "iii", clock_now(), v->a->user_id, v->arg);
    if (r != RES_OK)
        return r;
    v->count = (int)db_changes(c);
    if (v->count == 0 && !v->counted)
        return RES_NOT_FOUND;
    tx_audit(t, &(struct audit_entry){.actor_id = v->a->user_id,
                                      .actor_login = v->a->login,
                                      .agency_id = v->a->agency_id,
                                      .action = v->action,
                                      .object_type = "session",
                                      .object_id = "",
                                      .summary = v->summary,
                                      .client_addr = v->a->client_addr});
    return RES_OK;
}

static result_t revoke_where(struct app *app, const struct actor *a, const char *sql, int64_t arg,
                             const char *action, const char *summary, int *count)
{
    struct revoke v = {.a = a,
                       .sql = sql,
                       .action = action,
                       .summary = summary,
                       .arg = arg,
                       .counted = count != NULL};
    result_t r = tx_run(app->db, revoke_tx, &v);
    if (count)
        *count = r == RES_OK ? v.count : 0;
    return r;
}

result_t session_logout(struct app *app, const struct actor *a)
{
    return revoke_where(app, a,
                        "UPDATE session SET revoked_at = $1 WHERE user_id = $2 AND id = $3 AND "
                        "revoked_at = 0",
                        a->session_id, "logout", "Đăng xuất", NULL);
}

result_t session_revoke(struct app *app, const struct actor *a, int64_t session_id)
{
    return revoke_where(app, a,
                        "UPDATE session SET revoked_at = $1 WHERE user_id = $2 AND id = $3 AND "
                        "revoked_at = 0",
                        session_id, "session_revoke", "Thu hồi một phiên đăng nhập", NULL);
}

result_t session_revoke_others(struct app *app, const struct actor *a, int *count)
{
    int n = 0;
    result_t r = revoke_where(app, a,
                              "UPDATE session SET revoked_at = $1 WHERE user_id = $2 AND id <> $3 "
                              "AND revoked_at = 0",
                              a->session_id, "session_revoke", "Thu hồi mọi phiên khác", &n);
    if (count)
        *count = n;
    return r;
}

struct choose {
    const struct actor *a;
    int64_t membership_id, agency_id;
};

static result_t choose_tx(struct tx *t, void *arg)
{
    const struct choose *ch = arg;
    result_t r = db_run(tx_conn(t), "UPDATE session SET membership_id = $1 WHERE id = $2", "ii",
                        ch->membership_id, ch->a->session_id);
    if (r != RES_OK)
        return r;
    tx_audit(t, &(struct audit_entry){.actor_id = ch->a->user_id,
                                      .actor_login = ch->a->login,
                                      .agency_id = ch->agency_id,
                                      .action = "agency_choose",
                                      .object_type = "session",
                                      .object_id = "",
                                      .summary = "Chọn cơ quan làm việc",
                                      .client_addr = ch->a->client_addr});
    return RES_OK;
}

result_t session_choose(struct app *app, struct actor *a, int64_t membership_id)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    int64_t agency_id;
    if (db_one_i64(c, &agency_id,
                   "SELECT m.agency_id FROM membership m JOIN agency g ON g.id = m.agency_id "
                   "WHERE m.id = $1 AND m.user_id = $2 AND m.active = 1 AND g.active = 1",
                   "ii", membership_id, a->user_id) != RES_OK)
        return RES_NOT_FOUND;
    struct choose ch = {.a = a, .membership_id = membership_id, .agency_id = agency_id};
    result_t r = tx_run(app->db, choose_tx, &ch);
    if (r != RES_OK)
        return r;
    a->membership_id = membership_id;
    a->agency_id = agency_id;
    return RES_OK;
}

result_t session_list(struct app *app, const struct actor *a, json_t **out)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    int64_t now = clock_now();
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT id, created_at, last_seen_at, expires_at, client_addr, "
                          "user_agent FROM session WHERE user_id = $1 AND revoked_at = 0 "
                          "AND expires_at > $2 AND last_seen_at > $3 ORDER BY last_seen_at DESC "
                          "LIMIT 100",
                          "iii", a->user_id, now, now - app->cfg.session_idle);
    if (r != RES_OK)
        return r;
    json_t *arr = json_array();
    while ((r = db_step(s)) == RES_ROW) {
        json_t *o = json_object();
        char t[64];
        json_object_set_new(o, "id", json_integer(db_col_i64(s, 0)));
        clock_format_vn(db_col_i64(s, 1), t, sizeof(t));
        json_object_set_new(o, "created", json_string(t));
        clock_format_vn(db_col_i64(s, 2), t, sizeof(t));
        json_object_set_new(o, "last_seen", json_string(t));
        clock_format_vn(db_col_i64(s, 3), t, sizeof(t));
        json_object_set_new(o, "expires", json_string(t));
        json_object_set_new(o, "client_addr", json_string(db_col_text(s, 4)));
        json_object_set_new(o, "user_agent", json_string(db_col_text(s, 5)));
        json_object_set_new(o, "current", json_boolean(db_col_i64(s, 0) == a->session_id));
        json_array_append_new(arr, o);
    }
    db_finalize(s);
    if (r != RES_DONE) {
        json_decref(arr);
        return r;
    }
    *out = arr;
    return RES_OK;
}

struct password_change {
    const struct actor *a;
    const char *hash;
};

static result_t password_change_tx(struct tx *t, void *arg)
{
    const struct password_change *pc = arg;
    struct db_conn *c = tx_conn(t);
    int64_t now = clock_now();
    result_t r = db_run(c,
                        "UPDATE app_user SET password_hash = $1, must_change_password = 0, "
                        "password_changed_at = $2, updated_at = $2 WHERE id = $3",
                        "tii", pc->hash, now, pc->a->user_id);
    if (r == RES_OK)
        r = db_run(c,
                   "UPDATE session SET revoked_at = $1 WHERE user_id = $2 AND id <> $3 AND "
                   "revoked_at = 0",
                   "iii", now, pc->a->user_id, pc->a->session_id);
    if (r != RES_OK)
        return r;
    tx_audit(t, &(struct audit_entry){.actor_id = pc->a->user_id,
                                      .actor_login = pc->a->login,
                                      .agency_id = pc->a->agency_id,
                                      .action = "password_change",
                                      .object_type = "user",
                                      .object_id = "",
                                      .summary = "Đổi mật khẩu; thu hồi các phiên khác",
                                      .client_addr = pc->a->client_addr});
    return RES_OK;
}

result_t session_change_password(struct app *app, struct actor *a, const char *current,
                                 const char *next, const char *confirm, struct verrs *errs)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    current = current ? current : "";
    next = next ? next : "";
    confirm = confirm ? confirm : "";
    struct db_stmt *s = NULL;
    result_t r =
        db_query(c, &s, "SELECT password_hash FROM app_user WHERE id = $1", "i", a->user_id);
    if (r != RES_OK)
        return r;
    char hash[PASSWORD_HASH_MAX] = "";
    if (db_step(s) == RES_ROW)
        str_copy(hash, db_col_text(s, 0), sizeof(hash));
    db_finalize(s);
    if (password_verify(current, hash) != RES_OK)
        verrs_add(errs, "current_password", "Mật khẩu hiện tại không đúng.");
    if (password_policy_ok(next, a->login, "new_password", errs) && strcmp(next, current) == 0)
        verrs_add(errs, "new_password", "Mật khẩu mới phải khác mật khẩu hiện tại.");
    if (strcmp(next, confirm) != 0)
        verrs_add(errs, "confirm_password", "Xác nhận mật khẩu không khớp với mật khẩu mới.");
    if (errs->count)
        return RES_INVALID;
    if ((r = password_hash(next, hash)) != RES_OK)
        return r;
    struct password_change pc = {.a = a, .hash = hash};
    r = tx_run(app->db, password_change_tx, &pc);
    explicit_bzero(hash, sizeof(hash));
    if (r != RES_OK)
        return r;
    a->must_change_password = false;
    return RES_OK;
}

struct session_sweep {
    int64_t now, idle_before, removed;
};

static result_t session_sweep_tx(struct tx *t, void *arg)
{
    struct session_sweep *w = arg;
    struct db_conn *c = tx_conn(t);
    w->removed = 0;
    /* The same tests as session_resolve: such a row can never sign anyone in again. */
    result_t r = db_run(c,
                        "DELETE FROM session WHERE expires_at <= $1 OR last_seen_at < $2 OR "
                        "revoked_at > 0",
                        "ii", w->now, w->idle_before);
    if (r == RES_OK)
        w->removed = db_changes(c);
    return r;
}

/* Housekeeping, not a user action: no audit row (the log keeps the logins and logouts). */
result_t session_sweep(struct app *app, int64_t now, int64_t *removed)
{
    struct session_sweep w = {.now = now, .idle_before = now - app->cfg.session_idle};
    result_t r = tx_run_noaudit(app->db, session_sweep_tx, &w);
    if (r == RES_OK && removed)
        *removed = w.removed;
    return r;
}
