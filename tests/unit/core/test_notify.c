/* Notifications (core/notify.c) on a real SQLite database with the demo province: the
 * fan-out bound of one call (NOTIFY_FANOUT_MAX people, the rest counted), the text cut
 * to 300 bytes on a character boundary (text_cut, never half a letter), who a role
 * group reaches (active posts of the agency or unit, not disabled accounts, not the
 * actor), atomicity with the caller's transaction (standards.md §5 "the sender is
 * notified the same day": a step and its notification commit together, a rolled-back
 * step leaves none), one notification per person and dedupe key, and reading:
 * another person's id is RES_NOT_FOUND and changes nothing; keyset pages; the capped
 * count; the retention sweep of read ones. (The API paths run on both engines in
 * tests/integration/notifications.test.mjs.) */
#include <stdlib.h>
#include <string.h>

#include "app_fixture.h"
#include "check.h"
#include "core/notify.h"
#include "core/role.h"
#include "core/tx.h"
#include "db/db.h"
#include "text/text.h"
#include "util/clock.h"
#include "util/str.h"

static char data_dir[64];
static struct app app;
static struct actor sys, clerk, specialist;
static int64_t skhcn, it_dept;

static int64_t one(const char *sql, int64_t arg)
{
    int64_t v = -1;
    CHECK_INT(db_one_i64(db_conn(app.db), &v, sql, "i", arg), RES_OK);
    return v;
}

static struct actor member_of(const char *login, unsigned roles)
{
    struct actor a = {0};
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT id FROM app_user WHERE login = '%s' AND $1 = $1", login);
    a.user_id = one(sql, 0);
    a.membership_id = one("SELECT id FROM membership WHERE user_id = $1", a.user_id);
    a.agency_id = one("SELECT agency_id FROM membership WHERE user_id = $1", a.user_id);
    a.department_id =
        one("SELECT COALESCE(department_id, 0) FROM membership WHERE user_id = $1", a.user_id);
    a.roles = roles;
    str_copy(a.login, login, sizeof(a.login));
    str_copy(a.full_name, login, sizeof(a.full_name));
    str_copy(a.client_addr, "test", sizeof(a.client_addr));
    return a;
}

/* One notify_add in its own transaction; `fail` rolls the transaction back after it. */
struct add {
    struct notify_to to;
    struct notify_msg m;
    bool fail;
    int64_t written, skipped;
    result_t r;
};

static result_t add_tx(struct tx *t, void *arg)
{
    struct add *x = arg;
    x->r = notify_add(t, &x->to, &x->m, &x->written, &x->skipped);
    if (x->r != RES_OK)
        return x->r;
    return x->fail ? RES_CONFLICT : RES_OK;
}

static result_t add(struct add *x)
{
    return tx_run_noaudit(app.db, add_tx, x);
}

TEST(fan_out_is_bounded_and_counted)
{
    /* 600 more clerks in Sở KH&CN: with the demo's, over the bound */
    int64_t now = clock_now();
    for (int i = 0; i < 600; i++) {
        char login[16];
        snprintf(login, sizeof(login), "0990%08d", i);
        int64_t uid = 0;
        CHECK_INT(db_one_i64(db_conn(app.db), &uid,
                             "INSERT INTO app_user (login, full_name, full_name_folded, "
                             "password_hash, created_at, updated_at) VALUES ($1, 'Văn thư thử', "
                             "'van thu thu', 'x', $2, $2) RETURNING id",
                             "ti", login, now),
                  RES_OK);
        CHECK_INT(db_run(db_conn(app.db),
                         "INSERT INTO membership (user_id, agency_id, roles, created_at) VALUES "
                         "($1, $2, $3, $4)",
                         "iiii", uid, skhcn, (int64_t)ROLE_CLERK, now),
                  RES_OK);
    }
    int64_t clerks = one("SELECT COUNT(*) FROM membership m JOIN app_user u ON u.id = m.user_id "
                         "WHERE m.agency_id = $1 AND m.active = 1 AND u.disabled = 0 AND "
                         "(m.roles & 2) <> 0",
                         skhcn);
    CHECK(clerks > NOTIFY_FANOUT_MAX);
    struct add x = {
        .to = {.agency_id = skhcn, .roles = ROLE_CLERK},
        .m = {.kind = "arrived", .text = "Văn bản mới đến", .dedupe_key = "fanout:1", .now = now}};
    CHECK_INT(add(&x), RES_OK);
    CHECK_INT(x.written, NOTIFY_FANOUT_MAX);
    CHECK_INT(x.skipped, clerks - NOTIFY_FANOUT_MAX);
    CHECK_INT(one("SELECT COUNT(*) FROM notification WHERE dedupe_key = 'fanout:1' AND $1 = $1", 0),
              NOTIFY_FANOUT_MAX);
    /* the first NOTIFY_FANOUT_MAX by account id */
    CHECK_INT(
        one("SELECT MAX(user_id) FROM notification WHERE dedupe_key = 'fanout:1' AND $1 = $1", 0),
        one("SELECT MAX(user_id) FROM (SELECT m.user_id FROM membership m JOIN app_user u ON "
            "u.id = m.user_id WHERE m.agency_id = $1 AND m.active = 1 AND u.disabled = 0 AND "
            "(m.roles & 2) <> 0 ORDER BY m.user_id LIMIT 500) x",
            skhcn));
    /* the same key again (a retried step): nothing more */
    CHECK_INT(add(&x), RES_OK);
    CHECK_INT(x.written, 0);
    CHECK_INT(one("SELECT COUNT(*) FROM notification WHERE dedupe_key = 'fanout:1' AND $1 = $1", 0),
              NOTIFY_FANOUT_MAX);
    /* the extra clerks leave again (the other tests count the demo's people) */
    CHECK_INT(db_run(db_conn(app.db),
                     "DELETE FROM notification WHERE user_id IN (SELECT id FROM app_user WHERE "
                     "login LIKE '0990%')",
                     ""),
              RES_OK);
    CHECK_INT(db_run(db_conn(app.db),
                     "UPDATE membership SET active = 0 WHERE user_id IN (SELECT id FROM app_user "
                     "WHERE login LIKE '0990%')",
                     ""),
              RES_OK);
}

TEST(text_is_cut_to_300_bytes_on_a_character_boundary)
{
    /* "ệ" decomposed (e + U+0323 + U+0302: 5 bytes, one character) 80 times = 400 bytes */
    char text[512] = "";
    static const char e_dot_hat[] = "e\xcc\xa3\xcc\x82";
    for (int i = 0; i < 80; i++)
        memcpy(text + i * 5, e_dot_hat, 5); /* 400 bytes, NUL-terminated by the initialiser */
    struct add x = {.to = {.agency_id = skhcn, .user_id = specialist.user_id},
                    .m = {.kind = "returned", .text = text, .dedupe_key = "cut:1", .now = 1}};
    CHECK_INT(add(&x), RES_OK);
    CHECK_INT(x.written, 1);
    struct db_stmt *s = NULL;
    CHECK_INT(db_query(db_conn(app.db), &s,
                       "SELECT body FROM notification WHERE dedupe_key = 'cut:1'", ""),
              RES_OK);
    CHECK_INT(db_step(s), RES_ROW);
    const char *body = db_col_text(s, 0);
    size_t n = strlen(body), ell = strlen("…");
    CHECK(n <= NOTIFY_TEXT_MAX);
    CHECK(text_valid_utf8(body, n));
    CHECK(n > ell && !strcmp(body + n - ell, "…"));
    CHECK_INT((n - ell) % 5, 0);          /* whole characters only */
    CHECK(!strncmp(body, text, n - ell)); /* a prefix of the text */
    CHECK_INT(n - ell, 295);              /* as much as fits with the ellipsis */
    db_finalize(s);
    /* a text that fits is kept as it is */
    struct add y = {.to = {.agency_id = skhcn, .user_id = specialist.user_id},
                    .m = {.kind = "returned",
                          .text = "Bị trả lại: bổ sung số liệu",
                          .dedupe_key = "cut:2",
                          .now = 1}};
    CHECK_INT(add(&y), RES_OK);
    CHECK_INT(one("SELECT COUNT(*) FROM notification WHERE dedupe_key = 'cut:2' AND body = "
                  "'Bị trả lại: bổ sung số liệu' AND $1 = $1",
                  0),
              1);
}

TEST(recipients_are_resolved_when_written)
{
    /* a unit's leaders: the IT department's head only */
    struct add x = {
        .to = {.agency_id = skhcn, .department_id = it_dept, .roles = ROLE_DEPARTMENT_LEADER},
        .m = {.kind = "assigned", .text = "Giao đơn vị", .dedupe_key = "who:1"}};
    CHECK_INT(add(&x), RES_OK);
    CHECK_INT(x.written,
              one("SELECT COUNT(*) FROM membership WHERE agency_id = $1 AND "
                  "department_id = (SELECT department_id FROM membership m JOIN app_user "
                  "u ON u.id = m.user_id WHERE u.login = '040090000144') AND active = 1 "
                  "AND (roles & 8) <> 0",
                  skhcn));
    CHECK(x.written >= 1);
    /* the actor is not told of their own act */
    struct add me = {.to = {.agency_id = skhcn, .user_id = specialist.user_id},
                     .m = {.kind = "assigned",
                           .text = "Tự giao",
                           .actor_id = specialist.user_id,
                           .dedupe_key = "who:2"}};
    CHECK_INT(add(&me), RES_OK);
    CHECK_INT(me.written, 0);
    /* a person without a post in that agency gets nothing */
    int64_t other = one("SELECT id FROM agency WHERE code = '000.00.30.H41' AND $1 = $1", 0);
    struct add out = {.to = {.agency_id = other, .user_id = specialist.user_id},
                      .m = {.kind = "assigned", .text = "Nơi khác", .dedupe_key = "who:3"}};
    CHECK_INT(add(&out), RES_OK);
    CHECK_INT(out.written, 0);
    /* a disabled account gets nothing */
    CHECK_INT(db_run(db_conn(app.db), "UPDATE app_user SET disabled = 1 WHERE id = $1", "i",
                     specialist.user_id),
              RES_OK);
    struct add off = {.to = {.agency_id = skhcn, .user_id = specialist.user_id},
                      .m = {.kind = "assigned", .text = "Khóa", .dedupe_key = "who:4"}};
    CHECK_INT(add(&off), RES_OK);
    CHECK_INT(off.written, 0);
    CHECK_INT(db_run(db_conn(app.db), "UPDATE app_user SET disabled = 0 WHERE id = $1", "i",
                     specialist.user_id),
              RES_OK);
    /* bad input: nothing written */
    struct add bad = {.to = {.agency_id = skhcn, .user_id = specialist.user_id},
                      .m = {.kind = "Assigned!", .text = "x"}};
    CHECK_INT(add(&bad), RES_INVALID);
    bad.m.kind = "assigned";
    bad.m.text = "";
    CHECK_INT(add(&bad), RES_INVALID);
    bad.m.text = "x";
    bad.to.agency_id = 0;
    CHECK_INT(add(&bad), RES_INVALID);
}

TEST(a_rolled_back_step_leaves_no_notification)
{
    int64_t before = one("SELECT COUNT(*) FROM notification WHERE $1 = $1", 0);
    struct add x = {.to = {.agency_id = skhcn, .roles = ROLE_CLERK},
                    .m = {.kind = "refused", .text = "Từ chối", .dedupe_key = "atomic:1"},
                    .fail = true};
    CHECK_INT(add(&x), RES_CONFLICT);
    CHECK(x.written > 0); /* written inside the transaction ... */
    CHECK_INT(one("SELECT COUNT(*) FROM notification WHERE $1 = $1", 0), before); /* ... undone */
}

TEST(reading_is_the_recipients_alone)
{
    int64_t t0 = clock_now() - 1000;
    /* 45 for the specialist, oldest first */
    for (int i = 0; i < 45; i++) {
        char key[32];
        snprintf(key, sizeof(key), "page:%d", i);
        struct add x = {
            .to = {.agency_id = skhcn, .user_id = specialist.user_id},
            .m = {.kind = "due_soon", .text = "Sắp đến hạn", .dedupe_key = key, .now = t0 + i}};
        CHECK_INT(add(&x), RES_OK);
    }
    int64_t total = one("SELECT COUNT(*) FROM notification WHERE user_id = $1", specialist.user_id);
    int64_t unread = 0;
    CHECK_INT(notify_unread_count(&app, &specialist, &unread), RES_OK);
    CHECK_INT(unread,
              one("SELECT COUNT(*) FROM notification WHERE user_id = $1 AND read_at IS NULL",
                  specialist.user_id));
    /* keyset pages of 20: every row once, newest first */
    int64_t before = 0, last = INT64_MAX, seen = 0;
    for (int p = 0; p < 100; p++) {
        json_t *page = NULL;
        struct notify_query q = {.before = before, .limit = 20};
        CHECK_INT(notify_list(&app, &specialist, &q, &page), RES_OK);
        json_t *items = json_object_get(page, "items");
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            int64_t id = json_integer_value(json_object_get(it, "id"));
            CHECK(id < last);
            last = id;
            seen++;
        }
        json_t *next = json_object_get(page, "next_before");
        before = json_is_integer(next) ? json_integer_value(next) : 0;
        json_decref(page);
        if (!before)
            break;
    }
    CHECK_INT(seen, total);
    struct notify_query bad = {.limit = NOTIFY_PAGE_MAX + 1};
    json_t *none = NULL;
    CHECK_INT(notify_list(&app, &specialist, &bad, &none), RES_INVALID);

    /* the clerk marks the specialist's: not found, nothing changed */
    int64_t theirs = one("SELECT MAX(id) FROM notification WHERE user_id = $1", specialist.user_id);
    int64_t marked = -1;
    CHECK_INT(notify_mark_read(&app, &clerk, &theirs, 1, 0, &marked), RES_NOT_FOUND);
    CHECK_INT(one("SELECT COUNT(*) FROM notification WHERE id = $1 AND read_at IS NULL", theirs),
              1);
    int64_t ghost = theirs + 100000;
    CHECK_INT(notify_mark_read(&app, &specialist, &ghost, 1, 0, &marked), RES_NOT_FOUND);
    /* the owner: marked, with its audit row */
    int64_t audits =
        one("SELECT COUNT(*) FROM audit_log WHERE action = 'notify_read' AND $1 = $1", 0);
    CHECK_INT(notify_mark_read(&app, &specialist, &theirs, 1, 0, &marked), RES_OK);
    CHECK_INT(marked, 1);
    CHECK_INT(one("SELECT COUNT(*) FROM audit_log WHERE action = 'notify_read' AND $1 = $1", 0),
              audits + 1);
    /* all up to a time: the newer ones stay unread */
    CHECK_INT(notify_mark_read(&app, &specialist, NULL, 0, t0 + 20, &marked), RES_OK);
    CHECK(marked >= 20);
    CHECK_INT(one("SELECT COUNT(*) FROM notification WHERE user_id = $1 AND read_at IS NULL AND "
                  "dedupe_key LIKE 'page:%'",
                  specialist.user_id),
              23); /* page:21 … page:43 (page:44 was marked by id) */
    /* the retention sweep: read ones before the cut-off go, unread ones stay */
    int64_t unread_before =
        one("SELECT COUNT(*) FROM notification WHERE read_at IS NULL AND $1 = $1", 0);
    int64_t removed = 0;
    CHECK_INT(notify_sweep(&app, clock_now() + 10, &removed), RES_OK);
    CHECK(removed >= 21);
    CHECK_INT(one("SELECT COUNT(*) FROM notification WHERE read_at IS NOT NULL AND $1 = $1", 0), 0);
    CHECK_INT(one("SELECT COUNT(*) FROM notification WHERE read_at IS NULL AND $1 = $1", 0),
              unread_before);
    /* with no post chosen there is nothing to count */
    struct actor nopost = specialist;
    nopost.membership_id = 0;
    nopost.agency_id = 0;
    CHECK_INT(notify_unread_count(&app, &nopost, &unread), RES_OK);
    CHECK_INT(unread, 0);
}

/* A request that replaces the last one (a draft submitted again): the recipient's
 * earlier unread request of the kind about the document is marked read; other kinds and
 * other documents keep theirs. */
TEST(a_superseding_request_leaves_one_unread)
{
    int64_t now = clock_now(), docs[2] = {0, 0};
    for (int i = 0; i < 2; i++)
        CHECK_INT(db_one_i64(db_conn(app.db), &docs[i],
                             "INSERT INTO document (agency_id, direction, state, issuer_name, "
                             "doc_type, subject, subject_folded, created_at, updated_at) VALUES "
                             "($1, 'outgoing', 'draft', 'Sở', 'cong_van', 'Dự thảo', 'du thao', "
                             "$2, $2) RETURNING id",
                             "ii", skhcn, now),
                  RES_OK);
    int64_t doc = docs[0], other = docs[1];
    struct add x = {.to = {.agency_id = skhcn, .user_id = specialist.user_id},
                    .m = {.kind = "review",
                          .document_id = doc,
                          .text = "Dự thảo chờ đồng chí duyệt.",
                          .actor_id = clerk.user_id,
                          .dedupe_key = "sup:1",
                          .now = now,
                          .supersede = true}};
    CHECK_INT(add(&x), RES_OK);
    CHECK_INT(x.written, 1);
    struct add info = x, elsewhere = x;
    info.m.kind = "for_info";
    info.m.dedupe_key = "sup:2";
    info.m.supersede = false;
    CHECK_INT(add(&info), RES_OK);
    elsewhere.m.document_id = other;
    elsewhere.m.dedupe_key = "sup:3";
    CHECK_INT(add(&elsewhere), RES_OK);
    x.m.dedupe_key = "sup:4"; /* the same draft submitted again: a later step */
    x.m.now = now + 1;
    CHECK_INT(add(&x), RES_OK);
    CHECK_INT(x.written, 1);
    CHECK_INT(one("SELECT COUNT(*) FROM notification WHERE dedupe_key LIKE 'sup:%' AND user_id = "
                  "$1 AND read_at IS NULL",
                  specialist.user_id),
              3); /* the new request, the for-information one, the other document's */
    CHECK_INT(one("SELECT COUNT(*) FROM notification WHERE dedupe_key = 'sup:1' AND read_at = $1",
                  now + 1),
              1);
    CHECK_INT(db_run(db_conn(app.db), "DELETE FROM notification WHERE dedupe_key LIKE 'sup:%'", ""),
              RES_OK);
}

int main(void)
{
    if (app_fixture_open(&app, &sys, data_dir, sizeof(data_dir), "notify", false))
        return 2;
    clerk = member_of("040090000143", ROLE_CLERK);
    specialist = member_of("040090000145", ROLE_SPECIALIST);
    skhcn = clerk.agency_id;
    it_dept = specialist.department_id;
    RUN(fan_out_is_bounded_and_counted);
    RUN(text_is_cut_to_300_bytes_on_a_character_boundary);
    RUN(recipients_are_resolved_when_written);
    RUN(a_rolled_back_step_leaves_no_notification);
    RUN(reading_is_the_recipients_alone);
    RUN(a_superseding_request_leaves_one_unread);
    db_close(app.db);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", data_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup of %s failed\n", data_dir);
    return CHECK_DONE("test_notify");
}
