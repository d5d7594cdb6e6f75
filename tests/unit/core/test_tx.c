/* The write path (core/tx.h, db/db_tx.c) on a real SQLite database with the demo data:
 * when the audit row cannot be appended nothing changes — a login lockout, a wrong PIN,
 * an administrator's edit of a user and of an agency — and the caller gets an error, not
 * a silent success; RES_BUSY is retried a bounded number of times; a change without an
 * audit row cannot be committed; a racing duplicate signing key hits the unique index. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "app_fixture.h"
#include "check.h"
#include "core/agency.h"
#include "core/audit.h"
#include "core/demo.h"
#include "core/role.h"
#include "core/session.h"
#include "core/signing_key.h"
#include "core/tx.h"
#include "core/user.h"
#include "db/db.h"
#include "util/clock.h"

static char data_dir[64];
static struct app app;
static struct actor sys;
static int64_t skhcn, clerk, key_id;

#define CLERK_LOGIN "040090000141"

static int64_t one(const char *sql, int64_t arg)
{
    int64_t v = -1;
    CHECK_INT(db_one_i64(db_conn(app.db), &v, sql, "i", arg), RES_OK);
    return v;
}

static int64_t audit_rows(void)
{
    return one("SELECT COUNT(*) FROM audit_log WHERE $1 = $1", 0);
}

static void run_sql(const char *sql, int64_t a, int64_t b)
{
    CHECK_INT(db_run(db_conn(app.db), sql, "ii", a, b), RES_OK);
}

static result_t try_login(const char *password, char *msg, size_t msgsize)
{
    struct login_request rq = {.login = CLERK_LOGIN,
                               .password = password,
                               .client_addr = "127.0.0.1",
                               .user_agent = "test_tx",
                               .host_agency_id = 0};
    struct actor a;
    struct session_info info;
    msg[0] = '\0';
    return session_login(&app, &rq, &a, &info, msg, msgsize);
}

/* Guesses are counted per login string in login_attempt (session.c). */
static void set_attempts(int64_t failures, int64_t locked_until)
{
    struct db_conn *c = db_conn(app.db);
    CHECK_INT(db_run(c, "DELETE FROM login_attempt WHERE login = $1", "t", CLERK_LOGIN), RES_OK);
    CHECK_INT(db_run(c,
                     "INSERT INTO login_attempt (login, failures, locked_until, updated_at) "
                     "VALUES ($1, $2, $3, 0)",
                     "tii", CLERK_LOGIN, failures, locked_until),
              RES_OK);
    run_sql("UPDATE app_user SET failed_logins = $1, locked_until = $1 WHERE id = $2", 0, clerk);
}

static int64_t attempts(void)
{
    int64_t n = -1;
    CHECK_INT(db_one_i64(db_conn(app.db), &n, "SELECT failures FROM login_attempt WHERE login = $1",
                         "t", CLERK_LOGIN),
              RES_OK);
    return n;
}

TEST(lockout_not_set_without_its_audit_row)
{
    char msg[512];
    int threshold = app.cfg.lockout_threshold;
    /* One failure short of the lock: the next wrong password locks the account. */
    set_attempts(threshold - 1, 0);
    int64_t rows = audit_rows();

    audit_fail_next(1, RES_DB);
    result_t r = try_login("wrong-password", msg, sizeof(msg));
    CHECK_INT(r, RES_DB); /* an error, neither a plain refusal nor a lock */
    CHECK_INT(one("SELECT locked_until FROM app_user WHERE id = $1", clerk), 0);
    CHECK_INT(audit_rows(), rows);
    /* The guess itself was counted before the password was checked: a guess that was
     * checked is never uncounted. */
    CHECK_INT(attempts(), threshold);

    /* The next attempt at once, past the threshold and not locked, looks like one of
     * several guesses in flight: refused unchecked (the right password does not help),
     * nothing locked, its count given back. */
    CHECK_INT(try_login(DEMO_PASSWORD, msg, sizeof(msg)), RES_LOCKED);
    CHECK_INT(one("SELECT locked_until FROM app_user WHERE id = $1", clerk), 0);
    CHECK_INT(attempts(), threshold);
    rows = audit_rows();
    /* Once the count has stood for 30 s with nothing finishing, it was left by the
     * failure that could not lock: the next attempt locks, with its row, without
     * checking a password. */
    CHECK_INT(db_run(db_conn(app.db),
                     "UPDATE login_attempt SET updated_at = updated_at - 60 "
                     "WHERE login = $1",
                     "t", CLERK_LOGIN),
              RES_OK);
    CHECK_INT(try_login(DEMO_PASSWORD, msg, sizeof(msg)), RES_LOCKED);
    CHECK(one("SELECT locked_until FROM app_user WHERE id = $1", clerk) > clock_now());
    CHECK_INT(audit_rows(), rows + 1);
    CHECK_INT(one("SELECT COUNT(*) FROM audit_log WHERE action = 'account_locked_out' AND "
                  "actor_id = $1",
                  clerk),
              1);
    /* Locked: same answer for the right and a wrong password. */
    char msg2[512];
    CHECK_INT(try_login("wrong-password", msg2, sizeof(msg2)), RES_LOCKED);
    CHECK_STR(msg2, msg);
    set_attempts(0, 0);
}

TEST(failed_login_counted_or_error)
{
    char msg[512];
    set_attempts(0, 0);
    audit_fail_next(1, RES_DB);
    CHECK_INT(try_login("wrong-password", msg, sizeof(msg)), RES_DB);
    CHECK_INT(attempts(), 1);
    CHECK_INT(try_login("wrong-password", msg, sizeof(msg)), RES_INVALID);
    CHECK_INT(attempts(), 2);
    CHECK(strstr(msg, "Còn 3 lần thử") != NULL);
    /* A successful login whose audit row fails opens no session and keeps the count. */
    int64_t sessions = one("SELECT COUNT(*) FROM session WHERE user_id = $1", clerk);
    audit_fail_next(1, RES_DB);
    CHECK_INT(try_login(DEMO_PASSWORD, msg, sizeof(msg)), RES_DB);
    CHECK_INT(one("SELECT COUNT(*) FROM session WHERE user_id = $1", clerk), sessions);
    CHECK_INT(attempts(), 3);
    CHECK_INT(try_login(DEMO_PASSWORD, msg, sizeof(msg)), RES_OK);
    CHECK_INT(one("SELECT COUNT(*) FROM session WHERE user_id = $1", clerk), sessions + 1);
    CHECK_INT(attempts(), 0);
}

static struct actor clerk_actor(void)
{
    struct actor a = {
        .user_id = clerk, .membership_id = 1, .agency_id = skhcn, .roles = ROLE_CLERK};
    snprintf(a.login, sizeof(a.login), "%s", CLERK_LOGIN);
    return a;
}

TEST(wrong_pin_not_counted_without_its_audit_row)
{
    struct actor a = clerk_actor();
    run_sql("UPDATE signing_key SET failed_pins = 2, locked_until = $1 WHERE id = $2", 0, key_id);
    int64_t rows = audit_rows();
    audit_fail_next(1, RES_DB);
    CHECK_INT(signing_key_pin_result(&app, &a, key_id, false, NULL, NULL), RES_DB);
    CHECK_INT(one("SELECT failed_pins FROM signing_key WHERE id = $1", key_id), 2);
    CHECK_INT(audit_rows(), rows);

    int left = -1; /* the third wrong PIN in a row: two more before the lock */
    CHECK_INT(signing_key_pin_result(&app, &a, key_id, false, NULL, &left), RES_OK);
    CHECK_INT(one("SELECT failed_pins FROM signing_key WHERE id = $1", key_id), 3);
    CHECK_INT(left, SIGNING_KEY_PIN_TRIES - 3);
    CHECK_INT(one("SELECT COUNT(*) FROM audit_log WHERE action = 'signing_key_pin_failed' AND "
                  "actor_id = $1",
                  clerk),
              1);
    /* The fifth wrong PIN locks the key, or nothing happens at all. */
    run_sql("UPDATE signing_key SET failed_pins = $1 WHERE id = $2", SIGNING_KEY_PIN_TRIES - 1,
            key_id);
    audit_fail_next(1, RES_DB);
    CHECK_INT(signing_key_pin_result(&app, &a, key_id, false, NULL, NULL), RES_DB);
    CHECK_INT(one("SELECT locked_until FROM signing_key WHERE id = $1", key_id), 0);
    CHECK_INT(one("SELECT failed_pins FROM signing_key WHERE id = $1", key_id),
              SIGNING_KEY_PIN_TRIES - 1);
    CHECK_INT(signing_key_pin_result(&app, &a, key_id, false, NULL, &left), RES_OK);
    CHECK(one("SELECT locked_until FROM signing_key WHERE id = $1", key_id) > clock_now());
    CHECK_INT(left, 0);
}

TEST(signature_not_recorded_without_its_audit_row)
{
    struct actor a = clerk_actor();
    run_sql("UPDATE signing_key SET failed_pins = 3, last_used_at = $1 WHERE id = $2", 0, key_id);
    struct audit_entry sig = {.actor_id = clerk,
                              .actor_login = CLERK_LOGIN,
                              .agency_id = skhcn,
                              .action = "document_sign",
                              .object_type = "document",
                              .object_id = "key:1",
                              .summary = "test.pdf",
                              .client_addr = "127.0.0.1"};
    int64_t rows = audit_rows();
    audit_fail_next(1, RES_DB);
    /* signing_sign_pdf returns no document when this fails */
    CHECK_INT(signing_key_pin_result(&app, &a, key_id, true, &sig, NULL), RES_DB);
    CHECK_INT(one("SELECT failed_pins FROM signing_key WHERE id = $1", key_id), 3);
    CHECK_INT(one("SELECT last_used_at FROM signing_key WHERE id = $1", key_id), 0);
    CHECK_INT(audit_rows(), rows);
    CHECK_INT(signing_key_pin_result(&app, &a, key_id, true, &sig, NULL), RES_OK);
    CHECK_INT(one("SELECT failed_pins FROM signing_key WHERE id = $1", key_id), 0);
    CHECK(one("SELECT last_used_at FROM signing_key WHERE id = $1", key_id) > 0);
    CHECK_INT(one("SELECT COUNT(*) FROM audit_log WHERE action = 'document_sign' AND $1 = $1", 0),
              1);
}

static void user_name(int64_t id, char *out, size_t n)
{
    struct db_stmt *s = NULL;
    out[0] = '\0';
    CHECK_INT(
        db_query(db_conn(app.db), &s, "SELECT full_name FROM app_user WHERE id = $1", "i", id),
        RES_OK);
    if (s && db_step(s) == RES_ROW)
        snprintf(out, n, "%s", db_col_text(s, 0));
    db_finalize(s);
}

TEST(admin_changes_all_or_nothing)
{
    char before[256], after[256];
    user_name(clerk, before, sizeof(before));
    int64_t roles = one("SELECT roles FROM membership WHERE user_id = $1", clerk);
    struct user_input in = {.full_name = "Tên Đã Đổi",
                            .email = "",
                            .phone = "",
                            .roles = ROLE_CLERK | ROLE_ADMIN,
                            .must_change = -1};
    struct verrs e = {0};
    int64_t rows = audit_rows();
    audit_fail_next(1, RES_DB);
    CHECK_INT(user_update(&app, &sys, skhcn, clerk, &in, &e), RES_DB);
    user_name(clerk, after, sizeof(after));
    CHECK_STR(after, before);
    CHECK_INT(one("SELECT roles FROM membership WHERE user_id = $1", clerk), roles);
    CHECK_INT(audit_rows(), rows);
    CHECK_INT(user_update(&app, &sys, skhcn, clerk, &in, &e), RES_OK);
    user_name(clerk, after, sizeof(after));
    CHECK_STR(after, "Tên Đã Đổi");
    CHECK_INT(audit_rows(), rows + 1);

    /* An agency's fields and its active flag (PATCH) change together or not at all. */
    struct agency_input ai = {
        .code = "000.00.04.H41",
        .name = "Sở Khoa học và Công nghệ (mới)",
        .abbr = "SKHCN",
        .parent_id = one("SELECT COALESCE(parent_id, 0) FROM agency WHERE id = $1", skhcn)};
    rows = audit_rows();
    audit_fail_next(1, RES_DB);
    CHECK_INT(agency_patch(&app, &sys, skhcn, &ai, 0, &e), RES_DB);
    CHECK_INT(one("SELECT active FROM agency WHERE id = $1", skhcn), 1);
    CHECK_INT(one("SELECT COUNT(*) FROM agency WHERE id = $1 AND name LIKE '%(mới)'", skhcn), 0);
    CHECK_INT(audit_rows(), rows);
    CHECK_INT(agency_patch(&app, &sys, skhcn, &ai, 0, &e), RES_OK);
    CHECK_INT(one("SELECT active FROM agency WHERE id = $1", skhcn), 0);
    CHECK_INT(one("SELECT COUNT(*) FROM agency WHERE id = $1 AND name LIKE '%(mới)'", skhcn), 1);
    CHECK_INT(audit_rows(), rows + 2); /* the edit and the lock */
    CHECK_INT(agency_set_active(&app, &sys, skhcn, true), RES_OK);
}

/* ---- the loop itself ---- */

struct probe {
    int attempts;
    int busy_for; /* attempts that end in RES_BUSY after writing */
    bool audit;
    const char *key;
};

static result_t probe_tx(struct tx *t, void *arg)
{
    struct probe *p = arg;
    p->attempts++;
    result_t r =
        db_run(tx_conn(t), "INSERT INTO setting (key, value) VALUES ($1, 'x')", "t", p->key);
    if (r != RES_OK)
        return r;
    if (p->attempts <= p->busy_for)
        return RES_BUSY;
    if (p->audit)
        tx_audit(t, &(struct audit_entry){.action = "system_init", .summary = p->key});
    return RES_OK;
}

static int64_t settings(const char *key)
{
    int64_t n = -1;
    CHECK_INT(
        db_one_i64(db_conn(app.db), &n, "SELECT COUNT(*) FROM setting WHERE key = $1", "t", key),
        RES_OK);
    return n;
}

TEST(busy_is_retried_then_given_up)
{
    int64_t rows = audit_rows();
    struct probe p = {.busy_for = 2, .audit = true, .key = "tx_retry"};
    CHECK_INT(tx_run(app.db, probe_tx, &p), RES_OK);
    CHECK_INT(p.attempts, 3);
    CHECK_INT(settings("tx_retry"), 1); /* the busy attempts' writes were rolled back */
    CHECK_INT(audit_rows(), rows + 1);

    struct probe q = {.busy_for = 1000, .audit = true, .key = "tx_busy"};
    CHECK_INT(tx_run(app.db, probe_tx, &q), RES_BUSY);
    CHECK_INT(q.attempts, DB_TX_TRIES);
    CHECK_INT(settings("tx_busy"), 0);
    CHECK_INT(audit_rows(), rows + 1);

    /* BUSY from the audit append (as PostgreSQL reports a serialization failure there) */
    struct probe b = {.audit = true, .key = "tx_audit_busy"};
    audit_fail_next(2, RES_BUSY);
    CHECK_INT(tx_run(app.db, probe_tx, &b), RES_OK);
    CHECK_INT(b.attempts, 3);
    CHECK_INT(settings("tx_audit_busy"), 1);
    struct probe g = {.audit = true, .key = "tx_audit_gone"};
    audit_fail_next(100, RES_BUSY);
    CHECK_INT(tx_run(app.db, probe_tx, &g), RES_BUSY);
    audit_fail_next(0, RES_DB);
    CHECK_INT(g.attempts, DB_TX_TRIES);
    CHECK_INT(settings("tx_audit_gone"), 0);
    struct audit_verify_report rep;
    CHECK_INT(audit_verify(app.db, &rep), RES_OK);
}

TEST(change_without_audit_row_refused)
{
    struct probe p = {.key = "tx_unaudited"};
    CHECK_INT(tx_run(app.db, probe_tx, &p), RES_INTERNAL);
    CHECK_INT(settings("tx_unaudited"), 0);
    struct probe q = {.key = "tx_infrastructure"};
    CHECK_INT(tx_run_noaudit(app.db, probe_tx, &q), RES_OK);
    CHECK_INT(settings("tx_infrastructure"), 1);
}

/* One unit's audit rows: an issuance to N agencies of the installation writes 2N + 1
 * (standards.md §5 delivery, each side's log); all are appended, and past the cap the
 * whole unit is refused (nothing written). */
static result_t many_rows_tx(struct tx *t, void *arg)
{
    int n = *(int *)arg;
    result_t r = db_run(tx_conn(t), "INSERT INTO setting (key, value) VALUES ($1, 'x')", "t",
                        n > 100 ? "many_rows_over" : "many_rows");
    for (int i = 0; r == RES_OK && i < n; i++)
        tx_audit(t, &(struct audit_entry){.action = "system_init", .summary = "many rows"});
    return r;
}

TEST(many_audit_rows_in_one_unit)
{
    int64_t before = audit_rows();
    int n = 11; /* an issuance to 5 agencies */
    CHECK_INT(tx_run(app.db, many_rows_tx, &n), RES_OK);
    CHECK_INT(audit_rows(), before + 11);
    CHECK_INT(settings("many_rows"), 1);
    n = 257;
    CHECK_INT(tx_run(app.db, many_rows_tx, &n), RES_INTERNAL);
    CHECK_INT(audit_rows(), before + 11);
    CHECK_INT(settings("many_rows_over"), 0);
}

/* A second connection holds the write lock for a while; the writer waits, then commits. */
static volatile int lock_held;

static void *hold_lock(void *arg)
{
    (void)arg;
    struct db_conn *c = db_conn(app.db);
    if (db_begin(c) != RES_OK)
        return (void *)1;
    if (db_run(c, "INSERT INTO setting (key, value) VALUES ('tx_holder', 'x')", "") != RES_OK)
        return (void *)1;
    __atomic_store_n(&lock_held, 1, __ATOMIC_SEQ_CST);
    usleep(300 * 1000);
    return db_commit(c) == RES_OK ? NULL : (void *)1;
}

TEST(contended_write_waits_and_commits)
{
    pthread_t th;
    pthread_create(&th, NULL, hold_lock, NULL);
    while (!__atomic_load_n(&lock_held, __ATOMIC_SEQ_CST))
        usleep(1000);
    struct probe p = {.audit = true, .key = "tx_contended"};
    double t0 = clock_mono_ms();
    CHECK_INT(tx_run(app.db, probe_tx, &p), RES_OK);
    CHECK(clock_mono_ms() - t0 > 100); /* it did wait for the holder */
    void *rv = NULL;
    pthread_join(th, &rv);
    CHECK(rv == NULL);
    CHECK_INT(settings("tx_holder"), 1);
    CHECK_INT(settings("tx_contended"), 1);
}

struct raw_key {
    int64_t agency_id;
    const char *fp;
};

static result_t raw_key_tx(struct tx *t, void *arg)
{
    const struct raw_key *k = arg;
    return db_run(tx_conn(t),
                  "INSERT INTO signing_key (agency_id, label, sealed, cert_pem, subject_cn, "
                  "serial, fingerprint, not_before, not_after, created_at) VALUES ($1, 'test', "
                  "$2, 'PEM', 'Test', '01', $3, 0, 4102444800, 0)",
                  "ibt", k->agency_id, "sealed", (size_t)6, k->fp);
}

TEST(duplicate_live_key_refused_by_index)
{
    struct raw_key k = {.agency_id = skhcn, .fp = "dupfp"};
    CHECK_INT(tx_run_noaudit(app.db, raw_key_tx, &k), RES_OK);
    CHECK_INT(tx_run_noaudit(app.db, raw_key_tx, &k), RES_CONFLICT);
    /* once revoked, the same certificate may be imported again */
    CHECK_INT(db_run(db_conn(app.db),
                     "UPDATE signing_key SET revoked_at = 1 WHERE fingerprint = 'dupfp'", ""),
              RES_OK);
    CHECK_INT(tx_run_noaudit(app.db, raw_key_tx, &k), RES_OK);
}

int main(void)
{
    if (app_fixture_open(&app, &sys, data_dir, sizeof(data_dir), "tx", false) != 0)
        return 2;
    clerk = one("SELECT id FROM app_user WHERE login = '" CLERK_LOGIN "' AND $1 = $1", 0);
    skhcn = one("SELECT agency_id FROM membership WHERE user_id = $1", clerk);
    struct raw_key k = {.agency_id = skhcn, .fp = "pinfp"};
    CHECK_INT(tx_run_noaudit(app.db, raw_key_tx, &k), RES_OK);
    key_id = one("SELECT id FROM signing_key WHERE fingerprint = 'pinfp' AND $1 = $1", 0);

    RUN(lockout_not_set_without_its_audit_row);
    RUN(many_audit_rows_in_one_unit);
    RUN(failed_login_counted_or_error);
    RUN(wrong_pin_not_counted_without_its_audit_row);
    RUN(signature_not_recorded_without_its_audit_row);
    RUN(admin_changes_all_or_nothing);
    RUN(busy_is_retried_then_given_up);
    RUN(change_without_audit_row_refused);
    RUN(contended_write_waits_and_commits);
    RUN(duplicate_live_key_refused_by_index);
    db_close(app.db);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", data_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup of %s failed\n", data_dir);
    return CHECK_DONE("test_tx");
}
