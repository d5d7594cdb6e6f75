/* User accounts and memberships. */
#include "core/user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/authz.h"
#include "core/password.h"
#include "core/role.h"
#include "core/tx.h"
#include "core/validate.h"
#include "db/db.h"
#include "text/text.h"
#include "util/clock.h"
#include "util/str.h"

struct user_clean {
    char *full_name, *email, *phone, *folded;
};

static void clean_release(struct user_clean *c)
{
    free(c->full_name);
    free(c->email);
    free(c->phone);
    free(c->folded);
}

static void clean_account(const struct user_input *in, struct user_clean *v, struct verrs *errs)
{
    memset(v, 0, sizeof(*v));
    v->full_name = field_clean(in->full_name, "full_name", "họ và tên", true, 100, errs);
    v->email = field_clean(in->email, "email", "thư điện tử", false, 254, errs);
    v->phone = field_clean(in->phone, "phone", "số điện thoại", false, 20, errs);
    if (v->email && *v->email && !email_valid(v->email))
        verrs_add(errs, "email", "Thư điện tử không hợp lệ (ví dụ: hoa.nt@nghean.gov.vn).");
    if (v->phone && *v->phone && !phone_valid(v->phone))
        verrs_add(errs, "phone", "Số điện thoại phải có 9–15 chữ số.");
    if (v->full_name)
        v->folded = text_fold(v->full_name);
}

/* Department and position must belong to the agency; roles must be known bits. */
static void check_membership(struct db_conn *c, int64_t agency_id, const struct user_input *in,
                             struct verrs *errs)
{
    int64_t owner;
    if (in->department_id &&
        (db_one_i64(c, &owner, "SELECT agency_id FROM department WHERE id = $1 AND active = 1", "i",
                    in->department_id) != RES_OK ||
         owner != agency_id))
        verrs_add(errs, "department_id", "Phòng ban không thuộc cơ quan này.");
    if (in->position_id &&
        (db_one_i64(c, &owner, "SELECT agency_id FROM position WHERE id = $1 AND active = 1", "i",
                    in->position_id) != RES_OK ||
         owner != agency_id))
        verrs_add(errs, "position_id", "Chức vụ không thuộc cơ quan này.");
    if (in->roles & ~(unsigned)ROLE_ALL)
        verrs_add(errs, "roles", "Vai trò không hợp lệ.");
    else if (!in->roles)
        verrs_add(errs, "roles", "Chọn ít nhất một vai trò.");
}

/* Queues the audit row for a user change (core/tx.h: appended before commit). */
static void audit_user(struct tx *t, const struct actor *a, int64_t agency_id, const char *action,
                       int64_t user_id, const char *summary)
{
    char oid[24];
    snprintf(oid, sizeof(oid), "%lld", (long long)user_id);
    tx_audit(t, &(struct audit_entry){.actor_id = a->user_id,
                                      .actor_login = a->login,
                                      .agency_id = agency_id,
                                      .action = action,
                                      .object_type = "user",
                                      .object_id = oid,
                                      .summary = summary,
                                      .client_addr = a->client_addr});
}

struct user_add {
    const struct actor *a;
    const struct user_input *in;
    const struct user_clean *v;
    int64_t agency_id, existing;
    const char *login, *hash;
    int64_t uid; /* out */
};

static result_t user_add_tx(struct tx *t, void *arg)
{
    struct user_add *u = arg;
    struct db_conn *c = tx_conn(t);
    int64_t now = clock_now();
    result_t r = RES_OK;
    u->uid = u->existing;
    if (!u->existing)
        r = db_one_i64(c, &u->uid,
                       "INSERT INTO app_user (login, full_name, full_name_folded, email, phone, "
                       "password_hash, must_change_password, home_agency_id, created_at, "
                       "updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $8) RETURNING id",
                       "ttttttii", u->login, u->v->full_name, u->v->folded, u->v->email,
                       u->v->phone, u->hash, u->agency_id, now);
    if (r == RES_OK)
        r = db_run(c,
                   "INSERT INTO membership (user_id, agency_id, department_id, position_id, roles, "
                   "active, created_at) VALUES ($1, $2, $3, $4, $5, 1, $6)",
                   "iiIIii", u->uid, u->agency_id, u->in->department_id, u->in->position_id,
                   (int64_t)u->in->roles, now);
    if (r != RES_OK)
        return r;
    char roles[160], summary[400];
    role_label(u->in->roles, roles, sizeof(roles));
    snprintf(summary, sizeof(summary), "%s %s — %s", u->login,
             u->existing ? "(kiêm nhiệm)" : u->v->full_name, roles);
    audit_user(t, u->a, u->agency_id, u->existing ? "membership_update" : "user_create", u->uid,
               summary);
    return RES_OK;
}

result_t user_create(struct app *app, const struct actor *a, int64_t agency_id,
                     const struct user_input *in, struct verrs *errs, int64_t *id_out,
                     char temp_password[64], bool *added_post)
{
    temp_password[0] = '\0';
    *added_post = false;
    result_t r = authz_check(a, AZ_USER_MANAGE, agency_id);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct user_clean v;
    char login[16] = "";
    if (!in->login || !citizen_id_valid(in->login))
        verrs_add(errs, "login",
                  "Tên đăng nhập là số định danh cá nhân (in trên thẻ căn cước): đúng 12 chữ số, "
                  "ba chữ số đầu là mã tỉnh "
                  "(001–096).");
    else
        str_copy(login, in->login, sizeof(login));
    clean_account(in, &v, errs);
    check_membership(c, agency_id, in, errs);
    char password[PASSWORD_MAX * 4 + 1] = "";
    if (in->password && *in->password) {
        if (strlen(in->password) >= sizeof(password))
            verrs_add(errs, "password", "Mật khẩu quá dài.");
        else if (password_policy_ok(in->password, login, "password", errs))
            str_copy(password, in->password, sizeof(password));
    }
    if (errs->count) {
        r = RES_INVALID;
        goto out;
    }
    int64_t existing = 0;
    if (db_one_i64(c, &existing, "SELECT id FROM app_user WHERE login = $1", "t", login) ==
        RES_OK) {
        int64_t m;
        if (db_one_i64(c, &m, "SELECT id FROM membership WHERE user_id = $1 AND agency_id = $2",
                       "ii", existing, agency_id) == RES_OK) {
            verrs_add(errs, "login", "Người dùng này đã có tài khoản trong cơ quan.");
            r = RES_CONFLICT;
            goto out;
        }
        /* A person of another agency: adding a post here would hand this agency's
         * administrator their account (name, contacts, home agency) without the home
         * agency knowing. Only an installation-wide administrator adds such a
         * concurrent post. The refusal names no data of that person and not where
         * they work; that the ID is taken cannot be hidden from someone creating an
         * account with it (citizen IDs are unique), but nothing more is told. */
        if (authz_check(a, AZ_ANY_AGENCY, 0) != RES_OK) {
            verrs_add(errs, "login",
                      "Không tạo được tài khoản với số định danh cá nhân này. Nếu người này đang "
                      "công tác ở "
                      "cơ quan khác và kiêm nhiệm tại cơ quan của bạn, quản trị hệ thống sẽ "
                      "thêm chức danh kiêm nhiệm cho họ; vui lòng liên hệ quản trị hệ thống.");
            r = RES_CONFLICT;
            goto out;
        }
    }
    char hash[PASSWORD_HASH_MAX] = "";
    if (!existing) {
        if (!password[0])
            password_generate(password);
        if ((r = password_hash(password, hash)) != RES_OK)
            goto out;
    }
    struct user_add u = {.a = a,
                         .in = in,
                         .v = &v,
                         .agency_id = agency_id,
                         .existing = existing,
                         .login = login,
                         .hash = hash};
    r = tx_run(app->db, user_add_tx, &u);
    int64_t uid = u.uid;
    if (r != RES_OK) {
        if (r == RES_CONFLICT)
            verrs_add(errs, "login", "Tên đăng nhập đã tồn tại.");
        goto out;
    }
    *id_out = uid;
    if (existing)
        *added_post = true;
    else
        str_copy(temp_password, password, 64);
out:
    explicit_bzero(password, sizeof(password));
    clean_release(&v);
    return r;
}

static result_t home_agency(struct db_conn *c, int64_t user_id, int64_t *home)
{
    return db_one_i64(c, home, "SELECT COALESCE(home_agency_id, 0) FROM app_user WHERE id = $1",
                      "i", user_id);
}

/* Asks the policy whether the actor may do `action` to the account of user_id: the
 * account is known in every agency where the user holds a post, so another agency's
 * administrator gets RES_NOT_FOUND and a colleague's RES_FORBIDDEN. */
static result_t check_account(struct db_conn *c, const struct actor *a, enum authz_action action,
                              int64_t user_id, int64_t *home)
{
    if (home_agency(c, user_id, home) != RES_OK)
        return RES_NOT_FOUND;
    int64_t posts[32];
    size_t n = 0;
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s, "SELECT agency_id FROM membership WHERE user_id = $1 LIMIT 32",
                          "i", user_id);
    if (r != RES_OK)
        return r;
    while ((r = db_step(s)) == RES_ROW && n < 32)
        posts[n++] = db_col_i64(s, 0);
    db_finalize(s);
    if (r != RES_DONE && r != RES_ROW)
        return r;
    struct authz_object o = {.kind = AZ_OBJ_ACCOUNT,
                             .agency_id = *home,
                             .owner_user_id = user_id,
                             .agencies = posts,
                             .nagencies = n};
    return authz_check_object(a, action, &o);
}

/* A membership (the user's post in agency_id) as the policy's object: RES_NOT_FOUND when
 * there is none, or the actor may not know of it. */
static result_t check_membership_of(struct db_conn *c, const struct actor *a,
                                    enum authz_action action, int64_t agency_id, int64_t user_id,
                                    int64_t *membership)
{
    if (db_one_i64(c, membership, "SELECT id FROM membership WHERE user_id = $1 AND agency_id = $2",
                   "ii", user_id, agency_id) != RES_OK)
        return RES_NOT_FOUND;
    struct authz_object o = {.kind = AZ_OBJ_RECORD, .agency_id = agency_id};
    return authz_check_object(a, action, &o);
}

struct user_change {
    const struct actor *a;
    const struct user_input *in;
    const struct user_clean *v;
    int64_t agency_id, user_id, membership;
    bool owns_account;
};

static result_t user_change_tx(struct tx *t, void *arg)
{
    const struct user_change *u = arg;
    struct db_conn *c = tx_conn(t);
    result_t r = RES_OK;
    if (u->owns_account)
        r = db_run(c,
                   "UPDATE app_user SET full_name = $1, full_name_folded = $2, email = $3, "
                   "phone = $4, updated_at = $5, must_change_password = CASE WHEN $7 < 0 THEN "
                   "must_change_password ELSE $7 END WHERE id = $6",
                   "ttttiii", u->v->full_name, u->v->folded, u->v->email, u->v->phone, clock_now(),
                   u->user_id, (int64_t)u->in->must_change);
    if (r == RES_OK)
        r = db_run(c,
                   "UPDATE membership SET department_id = $1, position_id = $2, roles = $3 "
                   "WHERE id = $4",
                   "IIii", u->in->department_id, u->in->position_id, (int64_t)u->in->roles,
                   u->membership);
    if (r != RES_OK)
        return r;
    char roles[160], summary[400];
    role_label(u->in->roles, roles, sizeof(roles));
    snprintf(summary, sizeof(summary), "%s%s vai trò: %s", u->owns_account ? u->v->full_name : "",
             u->owns_account ? ";" : "", roles);
    audit_user(t, u->a, u->agency_id, u->owns_account ? "user_update" : "membership_update",
               u->user_id, summary);
    return RES_OK;
}

result_t user_update(struct app *app, const struct actor *a, int64_t agency_id, int64_t user_id,
                     const struct user_input *in, struct verrs *errs)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    int64_t membership, home = 0;
    result_t r = check_membership_of(c, a, AZ_USER_MANAGE, agency_id, user_id, &membership);
    if (r != RES_OK)
        return r;
    if (home_agency(c, user_id, &home) != RES_OK)
        return RES_NOT_FOUND;
    bool owns_account = authz_check(a, AZ_ACCOUNT_MANAGE, home) == RES_OK;
    struct user_clean v = {0};
    if (owns_account)
        clean_account(in, &v, errs);
    check_membership(c, agency_id, in, errs);
    if (user_id == a->user_id && !(in->roles & ROLE_ADMIN) && (a->roles & ROLE_ADMIN) &&
        agency_id == a->agency_id)
        verrs_add(errs, "roles", "Bạn không thể bỏ vai trò quản trị của chính mình.");
    if (errs->count) {
        clean_release(&v);
        return RES_INVALID;
    }
    struct user_change u = {.a = a,
                            .in = in,
                            .v = &v,
                            .agency_id = agency_id,
                            .user_id = user_id,
                            .membership = membership,
                            .owns_account = owns_account};
    r = tx_run(app->db, user_change_tx, &u);
    clean_release(&v);
    return r;
}

/* Lock, unlock or password reset: the account row, maybe its sessions, the audit row. */
struct account_write {
    const struct actor *a;
    int64_t user_id, home;
    bool disabled;
    const char *hash; /* set: a password reset to this hash */
    const char *action, *summary;
};

static result_t account_write_tx(struct tx *t, void *arg)
{
    const struct account_write *w = arg;
    struct db_conn *c = tx_conn(t);
    int64_t now = clock_now();
    result_t r;
    if (w->hash)
        r = db_run(c,
                   "UPDATE app_user SET password_hash = $1, must_change_password = 1, "
                   "failed_logins = 0, locked_until = 0, updated_at = $2 WHERE id = $3",
                   "tii", w->hash, now, w->user_id);
    else /* Unlocking also clears a lockout from failed logins. */
        r = db_run(c,
                   "UPDATE app_user SET disabled = $1, failed_logins = 0, locked_until = 0, "
                   "updated_at = $2 WHERE id = $3",
                   "iii", (int64_t)w->disabled, now, w->user_id);
    /* The lockout counts guesses per login string (session.c); lift it there too. */
    if (r == RES_OK && (w->hash || !w->disabled))
        r = db_run(c,
                   "DELETE FROM login_attempt WHERE login = (SELECT login FROM app_user WHERE "
                   "id = $1)",
                   "i", w->user_id);
    if (r == RES_OK && (w->hash || w->disabled))
        r = db_run(c, "UPDATE session SET revoked_at = $1 WHERE user_id = $2 AND revoked_at = 0",
                   "ii", now, w->user_id);
    if (r != RES_OK)
        return r;
    audit_user(t, w->a, w->home, w->action, w->user_id, w->summary);
    return RES_OK;
}

result_t user_set_disabled(struct app *app, const struct actor *a, int64_t user_id, bool disabled)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    int64_t home;
    result_t r = check_account(c, a, AZ_ACCOUNT_MANAGE, user_id, &home);
    if (r != RES_OK)
        return r;
    if (user_id == a->user_id && disabled)
        return RES_CONFLICT; /* never lock yourself out */
    struct account_write w = {.a = a,
                              .user_id = user_id,
                              .home = home,
                              .disabled = disabled,
                              .action = disabled ? "user_lock" : "user_unlock",
                              .summary = disabled ? "Khóa tài khoản, thu hồi mọi phiên"
                                                  : "Mở khóa tài khoản"};
    return tx_run(app->db, account_write_tx, &w);
}

result_t user_reset_password(struct app *app, const struct actor *a, int64_t user_id,
                             char temp_password[64])
{
    temp_password[0] = '\0';
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    int64_t home;
    result_t r = check_account(c, a, AZ_ACCOUNT_MANAGE, user_id, &home);
    if (r != RES_OK)
        return r;
    char password[32], hash[PASSWORD_HASH_MAX];
    password_generate(password);
    if ((r = password_hash(password, hash)) != RES_OK)
        goto out;
    struct account_write w = {.a = a,
                              .user_id = user_id,
                              .home = home,
                              .hash = hash,
                              .action = "password_reset",
                              .summary =
                                  "Đặt lại mật khẩu, buộc đổi khi đăng nhập, thu hồi mọi phiên"};
    r = tx_run(app->db, account_write_tx, &w);
    if (r == RES_OK)
        str_copy(temp_password, password, 64);
out:
    explicit_bzero(password, sizeof(password));
    return r;
}

static json_t *user_row(struct db_stmt *s)
{
    json_t *o = json_object();
    int64_t now = clock_now();
    json_object_set_new(o, "id", json_integer(db_col_i64(s, 0)));
    json_object_set_new(o, "login", json_string(db_col_text(s, 1)));
    json_object_set_new(o, "full_name", json_string(db_col_text(s, 2)));
    json_object_set_new(o, "email", json_string(db_col_text(s, 3)));
    json_object_set_new(o, "phone", json_string(db_col_text(s, 4)));
    bool disabled = db_col_i64(s, 5), must = db_col_i64(s, 6);
    bool locked_out = db_col_i64(s, 7) > now;
    json_object_set_new(o, "locked", json_boolean(disabled));
    json_object_set_new(o, "locked_out", json_boolean(locked_out));
    json_object_set_new(o, "must_change", json_boolean(must));
    json_object_set_new(o, "status_label",
                        json_string(disabled     ? "Đã khóa"
                                    : locked_out ? "Tạm khóa (đăng nhập sai)"
                                    : must       ? "Chưa đổi mật khẩu lần đầu"
                                                 : "Đang dùng"));
    json_object_set_new(o, "home_agency_id", json_integer(db_col_i64(s, 8)));
    json_object_set_new(o, "department_id",
                        db_col_null(s, 9) ? json_null() : json_integer(db_col_i64(s, 9)));
    json_object_set_new(o, "department", json_string(db_col_text(s, 10) ? db_col_text(s, 10) : ""));
    json_object_set_new(o, "position_id",
                        db_col_null(s, 11) ? json_null() : json_integer(db_col_i64(s, 11)));
    json_object_set_new(o, "position", json_string(db_col_text(s, 12) ? db_col_text(s, 12) : ""));
    unsigned roles = (unsigned)db_col_i64(s, 13);
    char label[160];
    role_label(roles, label, sizeof(label));
    json_object_set_new(o, "roles_label", json_string(label));
    json_t *keys = json_array();
    for (size_t i = 0; i < role_count; i++)
        if (roles & role_table[i].bit)
            json_array_append_new(keys, json_string(role_table[i].key));
    json_object_set_new(o, "roles", keys);
    return o;
}

#define USER_SELECT                                                                             \
    "SELECT u.id, u.login, u.full_name, u.email, u.phone, u.disabled, u.must_change_password, " \
    "u.locked_until, COALESCE(u.home_agency_id, 0), m.department_id, d.name, m.position_id, "   \
    "p.name, m.roles FROM membership m JOIN app_user u ON u.id = m.user_id "                    \
    "LEFT JOIN department d ON d.id = m.department_id "                                         \
    "LEFT JOIN position p ON p.id = m.position_id "

result_t user_list(struct app *app, const struct actor *a, int64_t agency_id, const char *q,
                   int page, int per_page, json_t **out, int64_t *total)
{
    result_t r = authz_check(a, AZ_USER_READ, agency_id);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    if (per_page < 1 || per_page > 200)
        per_page = 50;
    if (page < 1 || page > 100000)
        page = 1;
    char like[256] = "";
    text_like_contains(q, like, sizeof(like));
    const char *where = "WHERE m.agency_id = $1 AND ($2 = '' OR u.login LIKE $2 ESCAPE '\\' OR "
                        "u.full_name_folded LIKE $2 ESCAPE '\\') ";
    char sql[1200];
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM membership m JOIN app_user u ON u.id = m.user_id %s", where);
    if ((r = db_one_i64(c, total, sql, "it", agency_id, like)) != RES_OK)
        return r;
    snprintf(sql, sizeof(sql),
             USER_SELECT "%s ORDER BY u.full_name_folded, u.id LIMIT $3 OFFSET $4", where);
    struct db_stmt *s = NULL;
    if ((r = db_query(c, &s, sql, "itii", agency_id, like, (int64_t)per_page,
                      (int64_t)(page - 1) * per_page)) != RES_OK)
        return r;
    json_t *arr = json_array();
    while ((r = db_step(s)) == RES_ROW)
        json_array_append_new(arr, user_row(s));
    db_finalize(s);
    if (r != RES_DONE) {
        json_decref(arr);
        return r;
    }
    *out = arr;
    return RES_OK;
}

result_t user_get(struct app *app, const struct actor *a, int64_t agency_id, int64_t user_id,
                  json_t **out)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    int64_t membership;
    result_t r = check_membership_of(c, a, AZ_USER_READ, agency_id, user_id, &membership);
    if (r != RES_OK)
        return r;
    struct db_stmt *s = NULL;
    if ((r = db_query(c, &s, USER_SELECT "WHERE m.agency_id = $1 AND u.id = $2", "ii", agency_id,
                      user_id)) != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW) {
        *out = user_row(s);
        json_object_set_new(*out, "manages_account",
                            json_boolean(authz_check(a, AZ_ACCOUNT_MANAGE,
                                                     json_integer_value(json_object_get(
                                                         *out, "home_agency_id"))) == RES_OK));
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    return r;
}

result_t user_memberships(struct app *app, int64_t user_id, json_t **out)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT m.id, g.id, g.name, g.code, g.abbr, COALESCE(d.name, ''), "
                          "COALESCE(p.name, ''), m.roles FROM membership m "
                          "JOIN agency g ON g.id = m.agency_id "
                          "LEFT JOIN department d ON d.id = m.department_id "
                          "LEFT JOIN position p ON p.id = m.position_id "
                          "WHERE m.user_id = $1 AND m.active = 1 AND g.active = 1 ORDER BY g.code",
                          "i", user_id);
    if (r != RES_OK)
        return r;
    json_t *arr = json_array();
    while ((r = db_step(s)) == RES_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_col_i64(s, 0)));
        json_object_set_new(o, "agency_id", json_integer(db_col_i64(s, 1)));
        json_object_set_new(o, "agency_name", json_string(db_col_text(s, 2)));
        json_object_set_new(o, "agency_code", json_string(db_col_text(s, 3)));
        json_object_set_new(o, "agency_abbr", json_string(db_col_text(s, 4)));
        json_object_set_new(o, "department", json_string(db_col_text(s, 5)));
        json_object_set_new(o, "position", json_string(db_col_text(s, 6)));
        char label[160];
        role_label((unsigned)db_col_i64(s, 7), label, sizeof(label));
        json_object_set_new(o, "roles_label", json_string(label));
        json_object_set_new(o, "roles_bits", json_integer(db_col_i64(s, 7)));
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

struct sysadmin_add {
    const char *login, *name, *folded, *hash;
};

static result_t sysadmin_add_tx(struct tx *t, void *arg)
{
    const struct sysadmin_add *sa = arg;
    int64_t id = 0;
    result_t r = db_one_i64(tx_conn(t), &id,
                            "INSERT INTO app_user (login, full_name, full_name_folded, "
                            "password_hash, must_change_password, is_sysadmin, created_at, "
                            "updated_at) VALUES ($1, $2, $3, $4, 0, 1, $5, $5) RETURNING id",
                            "tttti", sa->login, sa->name, sa->folded, sa->hash, clock_now());
    if (r != RES_OK)
        return r;
    struct actor sys = {.system = true};
    str_copy(sys.login, "system", sizeof(sys.login));
    audit_user(t, &sys, 0, "user_create", id, "Quản trị hệ thống (dòng lệnh)");
    return RES_OK;
}

result_t user_create_sysadmin(struct app *app, const char *login, const char *full_name,
                              const char *password, struct verrs *errs)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    if (!citizen_id_valid(login))
        verrs_add(errs, "login",
                  "Tên đăng nhập là số định danh cá nhân (in trên thẻ căn cước): đúng 12 chữ số, "
                  "ba chữ số đầu là mã tỉnh "
                  "(001–096).");
    char *name = field_clean(full_name, "full_name", "họ và tên", true, 100, errs);
    password_policy_ok(password, login, "password", errs);
    char hash[PASSWORD_HASH_MAX];
    result_t r = RES_INVALID;
    if (errs->count || (r = password_hash(password, hash)) != RES_OK)
        goto out;
    char *folded = text_fold(name);
    struct sysadmin_add sa = {.login = login, .name = name, .folded = folded, .hash = hash};
    r = tx_run(app->db, sysadmin_add_tx, &sa);
    free(folded);
    if (r == RES_CONFLICT)
        verrs_add(errs, "login", "Tên đăng nhập đã tồn tại.");
out:
    free(name);
    return r;
}

result_t user_find_by_login(struct app *app, const struct actor *a, const char *login,
                            int64_t *id_out)
{
    struct db_conn *c = db_conn(app->db);
    int64_t id = 0, home = 0;
    *id_out = 0;
    if (!c)
        return RES_DB;
    if (!login)
        return RES_NOT_FOUND;
    result_t r = db_one_i64(c, &id, "SELECT id FROM app_user WHERE login = $1", "t", login);
    if (r == RES_OK)
        r = home_agency(c, id, &home);
    if (r != RES_OK)
        return r;
    /* another agency's account is not found rather than forbidden: no probing by login */
    if (authz_check(a, AZ_ACCOUNT_MANAGE, home) != RES_OK)
        return RES_NOT_FOUND;
    *id_out = id;
    return RES_OK;
}
