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

static const char *const BAD_CREDENTIALS = "Số định danh cá nhân hoặc mật khẩu không đúng.";

#define ADDR_WINDOW 600 /* seconds: the window of the per-address failure count */

/* One guess at the password of a login string. It is counted before the password is
 * checked (failures + 1 ... RETURNING inside the transaction), so parallel guesses
 * each get their own number and at most `threshold` of them are ever checked. The
 * count is kept per login string (login_attempt) whether or not an account has it,
 * so the countdown and the lockout look the same for every ID, and per client
 * address (login_addr), so one address cannot guess across many IDs or fill the
 * log. Both live in the database: every node sees the same counts. */
struct guess {
    const char *login, *addr; /* addr NULL or "": no per-address count */
    int64_t now;
    int addr_limit;
    int64_t seq;          /* out: this guess's number since the last success */
    int64_t prev_at;      /* out: when the login string's previous guess was counted */
    int64_t locked_until; /* out: > now while the login string is locked */
    int64_t addr_until;   /* out: > now when the address is over its limit */
};

static result_t guess_reserve_tx(struct tx *t, void *arg)
{
    struct guess *g = arg;
    struct db_conn *c = tx_conn(t);
    g->seq = 0;
    g->locked_until = 0;
    g->addr_until = 0;
    result_t r;
    struct db_stmt *s = NULL;
    if (g->addr && *g->addr) {
        if ((r = db_run(c,
                        "INSERT INTO login_addr (addr, window_start, failures) VALUES ($1, $2, 0) "
                        "ON CONFLICT (addr) DO NOTHING",
                        "ti", g->addr, g->now)) != RES_OK)
            return r;
        /* A window that has run out starts again. */
        if ((r = db_query(c, &s,
                          "UPDATE login_addr SET failures = CASE WHEN window_start <= $2 THEN 0 "
                          "ELSE failures END, window_start = CASE WHEN window_start <= $2 THEN $3 "
                          "ELSE window_start END WHERE addr = $1 RETURNING failures, window_start",
                          "tii", g->addr, g->now - ADDR_WINDOW, g->now)) != RES_OK)
            return r;
        if ((r = db_step(s)) != RES_ROW) {
            db_finalize(s);
            return r == RES_DONE ? RES_INTERNAL : r;
        }
        int64_t failures = db_col_i64(s, 0), start = db_col_i64(s, 1);
        db_finalize(s);
        if (failures >= g->addr_limit) {
            g->addr_until = start + ADDR_WINDOW;
            return RES_OK;
        }
    }
    /* The row, made if missing, and the time of the previous guess in one statement: the
     * update on conflict leaves the row as it is and only makes RETURNING answer with it
     * (a new row answers now, as before). */
    if ((r = db_one_i64(c, &g->prev_at,
                        "INSERT INTO login_attempt (login, failures, locked_until, updated_at) "
                        "VALUES ($1, 0, 0, $2) ON CONFLICT (login) DO UPDATE SET updated_at = "
                        "login_attempt.updated_at RETURNING updated_at",
                        "ti", g->login, g->now)) != RES_OK)
        return r == RES_NOT_FOUND ? RES_INTERNAL : r;
    /* While locked nothing is counted; a lock that has run out starts a new count. */
    if ((r = db_query(c, &s,
                      "UPDATE login_attempt SET failures = CASE WHEN locked_until > $2 THEN "
                      "failures WHEN locked_until > 0 THEN 1 ELSE failures + 1 END, "
                      "locked_until = CASE WHEN locked_until > $2 THEN locked_until ELSE 0 END, "
                      "updated_at = $2 WHERE login = $1 RETURNING failures, locked_until",
                      "ti", g->login, g->now)) != RES_OK)
        return r;
    if ((r = db_step(s)) != RES_ROW) {
        db_finalize(s);
        return r == RES_DONE ? RES_INTERNAL : r;
    }
    g->seq = db_col_i64(s, 0);
    g->locked_until = db_col_i64(s, 1);
    db_finalize(s);
    return RES_OK;
}

/* Counts the guess before any password is checked. The counters are bookkeeping
 * like a session's last-seen time; the outcome's audit row is written by
 * guess_fail_tx or the success transaction. */
static result_t guess_reserve(struct app *app, struct guess *g)
{
    return tx_run_noaudit(app->db, guess_reserve_tx, g);
}

static result_t guess_clear_tx(struct tx *t, void *arg)
{
    return db_run(tx_conn(t), "UPDATE login_attempt SET failures = 0 WHERE login = $1", "t",
                  (const char *)arg);
}

/* The right password was given but nothing else happened (no post at the host's
 * agency, a refused new password): the guess does not count against the login. */
static result_t guess_clear(struct app *app, const char *login)
{
    return tx_run_noaudit(app->db, guess_clear_tx, (void *)login);
}

/* A guess that failed (wrong password, unknown or disabled account, locked): its
 * audit row, the address's failure count, and the lock when it was the last guess
 * allowed, as one unit. The row goes to the account's home agency (0, the
 * installation's log, for an unknown ID), never to the agency of the host name, which
 * anyone can choose. */
struct guess_fail {
    const struct guess *g;
    int64_t uid, agency_id, until;
    const char *summary;
    bool lock;       /* set the lock (unless another guess already did) */
    bool busy;       /* refused unchecked while parallel guesses hold the tries: its count
                      * is given back, the address is not charged, nothing is locked */
    bool verified;   /* the password was checked (the lock's summary says which) */
    bool locked_now; /* out: this unit set the lock */
};

static result_t guess_fail_tx(struct tx *t, void *arg)
{
    struct guess_fail *f = arg;
    struct db_conn *c = tx_conn(t);
    f->locked_now = false;
    result_t r = RES_OK;
    if (f->busy) /* its count given back, and the time of the guess before it: retries
                  * refused as busy do not keep a count left by unfinished guesses fresh */
        r = db_run(c,
                   "UPDATE login_attempt SET failures = failures - 1, updated_at = $3 WHERE "
                   "login = $1 AND failures > 0 AND locked_until <= $2",
                   "tii", f->g->login, f->g->now, f->g->prev_at);
    else if (f->g->addr && *f->g->addr)
        r = db_run(c, "UPDATE login_addr SET failures = failures + 1 WHERE addr = $1", "t",
                   f->g->addr);
    if (r == RES_OK && f->lock) {
        r = db_run(c,
                   "UPDATE login_attempt SET failures = 0, locked_until = $1 WHERE login = $2 "
                   "AND locked_until <= $3",
                   "iti", f->until, f->g->login, f->g->now);
        f->locked_now = r == RES_OK && db_changes(c) > 0;
    }
    /* Mirrored on the account so its administrators see the lock (and lift it). */
    if (r == RES_OK && f->locked_now && f->uid)
        r = db_run(c, "UPDATE app_user SET failed_logins = 0, locked_until = $1 WHERE id = $2",
                   "ii", f->until, f->uid);
    if (r != RES_OK)
        return r;
    char oid[24] = "";
    if (f->uid)
        snprintf(oid, sizeof(oid), "%lld", (long long)f->uid);
    const char *summary = f->summary;
    if (f->locked_now)
        summary = f->verified ? "Tạm khóa sau nhiều lần nhập sai mật khẩu"
                              : "Tạm khóa: vượt số lần thử cho phép";
    tx_audit(t, &(struct audit_entry){
                    .actor_id = f->uid,
                    .actor_login = f->g->login,
                    .agency_id = f->agency_id,
                    .action = f->locked_now ? "account_locked_out" : "login_failed",
                    .object_type = "user",
                    .object_id = oid,
                    .summary = summary,
                    .client_addr = f->g->addr,
                });
    return RES_OK;
}

/* Past the threshold and not locked, with the previous guess counted this recently:
 * the tries are held by guesses still being checked (several correct logins of one
 * account at once, an API client's parallel requests), not spent. Refused unchecked and
 * not counted, so that parallel logins cannot lock an account without one wrong
 * password; at most `threshold` guesses are still checked at a time. Older than this,
 * the count was left by guesses that never finished (a node killed while checking):
 * the login string is locked as before, so it does not stay refused for good. */
#define GUESS_IN_FLIGHT 30 /* seconds: far more than one password check takes */

static bool guesses_in_flight(const struct guess *g)
{
    return g->locked_until <= g->now && g->now - g->prev_at < GUESS_IN_FLIGHT;
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
        r = db_run(c, "UPDATE login_attempt SET failures = 0 WHERE login = $1", "t", l->login);
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
                 "Tên đăng nhập là số định danh cá nhân (in trên thẻ căn cước): đúng 12 chữ số, ba "
                 "chữ số đầu là mã tỉnh "
                 "(001–096).");
        return RES_INVALID;
    }
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT id, password_hash, disabled, full_name, is_sysadmin, "
                          "must_change_password, COALESCE(home_agency_id, 0) "
                          "FROM app_user WHERE login = $1",
                          "t", login);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r != RES_ROW && r != RES_DONE) {
        db_finalize(s);
        return r;
    }
    bool found = r == RES_ROW;
    int64_t uid = 0, home = 0, now = clock_now();
    bool disabled = false;
    char hash[PASSWORD_HASH_MAX] = "";
    if (found) {
        uid = db_col_i64(s, 0);
        str_copy(hash, db_col_text(s, 1), sizeof(hash));
        disabled = db_col_i64(s, 2);
        str_copy(actor->full_name, db_col_text(s, 3), sizeof(actor->full_name));
        actor->sysadmin = db_col_i64(s, 4);
        actor->must_change_password = db_col_i64(s, 5);
        home = db_col_i64(s, 6);
    }
    db_finalize(s);

    struct guess g = {.login = login,
                      .addr = req->client_addr,
                      .now = now,
                      .addr_limit = app->cfg.login_addr_limit};
    if ((r = guess_reserve(app, &g)) != RES_OK)
        return r;
    struct guess_fail f = {.g = &g, .uid = uid, .agency_id = home};
    char when[64];
    if (g.addr_until > now) {
        /* Nothing more is counted or logged for this address until the window ends. */
        password_dummy_verify(password);
        clock_format_vn(g.addr_until, when, sizeof(when));
        snprintf(message, msgsize,
                 "Có quá nhiều lần đăng nhập sai từ địa chỉ này. Vui lòng thử lại sau %s.", when);
        explicit_bzero(hash, sizeof(hash));
        return RES_LOCKED;
    }
    if (g.locked_until > now || g.seq > app->cfg.lockout_threshold) {
        /* Locked, or a parallel guess holds the last try: no password is checked, and
         * the answer is the same whatever the password and whether the ID exists. */
        password_dummy_verify(password);
        explicit_bzero(hash, sizeof(hash));
        int64_t until = g.locked_until > now ? g.locked_until : now + app->cfg.lockout_seconds;
        clock_format_vn(until, when, sizeof(when));
        snprintf(message, msgsize,
                 "Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau %s.", when);
        f.summary = "Đăng nhập khi đang tạm khóa";
        f.busy = guesses_in_flight(&g);
        if (f.busy) {
            snprintf(message, msgsize,
                     "Tài khoản đang có nhiều lần đăng nhập cùng lúc. Vui lòng thử lại sau ít "
                     "giây.");
            f.summary = "Đăng nhập bị từ chối: các lần thử khác đang được kiểm tra";
        }
        /* Past the threshold, not locked and nothing in flight: the failure that should
         * have locked could not be recorded. Lock now, or the login string would stay
         * refused without ever being checked again. */
        f.lock = !f.busy && g.locked_until <= now;
        f.until = until;
        if ((r = tx_run(app->db, guess_fail_tx, &f)) != RES_OK)
            return r;
        return RES_LOCKED;
    }
    /* A disabled account answers like a wrong password, whatever the password: the
     * answer must not tell that the ID exists. */
    bool ok = false;
    if (found)
        ok = password_verify(password, hash) == RES_OK && !disabled;
    else
        password_dummy_verify(password);
    explicit_bzero(hash, sizeof(hash));
    if (!ok) {
        f.lock = g.seq >= app->cfg.lockout_threshold;
        f.verified = found;
        f.until = now + app->cfg.lockout_seconds;
        f.summary = !found     ? "Tài khoản không tồn tại"
                    : disabled ? "Tài khoản đã bị khóa"
                               : "Sai mật khẩu";
        /* A failure that cannot be counted is an error, never a silent refusal. */
        if ((r = tx_run(app->db, guess_fail_tx, &f)) != RES_OK)
            return r;
        if (f.lock) {
            clock_format_vn(f.until, when, sizeof(when));
            snprintf(message, msgsize,
                     "Bạn đã nhập sai mật khẩu %d lần. Tài khoản tạm khóa đến %s.",
                     app->cfg.lockout_threshold, when);
            return RES_LOCKED;
        }
        long left = app->cfg.lockout_threshold - (long)g.seq;
        snprintf(message, msgsize, "%s Còn %ld lần thử trước khi tài khoản bị tạm khóa.",
                 BAD_CREDENTIALS, left);
        return RES_INVALID;
    }
    /* Choose the agency post: the host's agency, or the only one the user holds. */
    int64_t membership = 0, count = 0, agency_id = 0;
    if (req->host_agency_id) {
        if (db_one_i64(c, &membership,
                       "SELECT id FROM membership WHERE user_id = $1 AND agency_id = $2 "
                       "AND active = 1",
                       "ii", uid, req->host_agency_id) != RES_OK) {
            snprintf(message, msgsize, "Bạn không có tài khoản làm việc tại cơ quan này.");
            f.agency_id = home; /* not the host's: this person has no post there */
            f.summary = "Không có chức danh tại cơ quan của địa chỉ truy cập";
            if ((r = tx_run(app->db, guess_fail_tx, &f)) != RES_OK ||
                (r = guess_clear(app, login)) != RES_OK)
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
    if (r == RES_OK)
        r = db_run(c, "UPDATE login_attempt SET failures = 0 WHERE login = $1", "t", pc->a->login);
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
    /* The current password is a guess like a login's, on the same count: a stolen
     * session cannot be used to try passwords without limit. */
    int64_t now = clock_now();
    struct guess g = {.login = a->login, .now = now};
    if ((r = guess_reserve(app, &g)) != RES_OK) {
        explicit_bzero(hash, sizeof(hash));
        return r;
    }
    char when[64];
    if (g.locked_until > now || g.seq > app->cfg.lockout_threshold) {
        explicit_bzero(hash, sizeof(hash));
        int64_t until = g.locked_until > now ? g.locked_until : now + app->cfg.lockout_seconds;
        bool busy = guesses_in_flight(&g);
        struct guess_fail f = {.g = &g,
                               .uid = a->user_id,
                               .agency_id = a->agency_id,
                               .until = until,
                               .summary = "Đổi mật khẩu khi đang tạm khóa",
                               .lock = !busy && g.locked_until <= now,
                               .busy = busy};
        if ((r = tx_run(app->db, guess_fail_tx, &f)) != RES_OK)
            return r;
        clock_format_vn(until, when, sizeof(when));
        if (busy)
            verrs_add(errs, "current_password",
                      "Đang có lần kiểm tra mật khẩu khác cho tài khoản này. Vui lòng thử lại "
                      "sau ít giây.");
        else
            verrs_add(errs, "current_password",
                      "Bạn đã nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau %s.", when);
        return RES_INVALID;
    }
    if (password_verify(current, hash) != RES_OK) {
        struct guess_fail f = {.g = &g,
                               .uid = a->user_id,
                               .agency_id = a->agency_id,
                               .until = now + app->cfg.lockout_seconds,
                               .summary = "Sai mật khẩu hiện tại khi đổi mật khẩu",
                               .lock = g.seq >= app->cfg.lockout_threshold,
                               .verified = true};
        if ((r = tx_run(app->db, guess_fail_tx, &f)) != RES_OK) {
            explicit_bzero(hash, sizeof(hash));
            return r;
        }
        if (f.lock) {
            clock_format_vn(f.until, when, sizeof(when));
            verrs_add(errs, "current_password",
                      "Bạn đã nhập sai mật khẩu %d lần. Tài khoản tạm khóa đến %s.",
                      app->cfg.lockout_threshold, when);
        } else {
            verrs_add(errs, "current_password",
                      "Mật khẩu hiện tại không đúng. Còn %ld lần thử trước khi tài khoản bị tạm "
                      "khóa.",
                      (long)(app->cfg.lockout_threshold - g.seq));
        }
    }
    if (password_policy_ok(next, a->login, "new_password", errs) && strcmp(next, current) == 0)
        verrs_add(errs, "new_password", "Mật khẩu mới phải khác mật khẩu hiện tại.");
    if (strcmp(next, confirm) != 0)
        verrs_add(errs, "confirm_password", "Xác nhận mật khẩu không khớp với mật khẩu mới.");
    if (errs->count) {
        explicit_bzero(hash, sizeof(hash));
        if (!verrs_get(errs, "current_password") && (r = guess_clear(app, a->login)) != RES_OK)
            return r;
        return RES_INVALID;
    }
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
