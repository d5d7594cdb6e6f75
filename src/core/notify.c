/* Notifications: written inside the causing step's transaction, read by their recipient
 * only (core/notify.h; docs/architecture.md "Notifications"). */
#include "core/notify.h"

#include <stdio.h>
#include <string.h>

#include "core/authz.h"
#include "core/tx.h"
#include "db/db.h"
#include "text/text.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/str.h"

static const struct {
    const char *key, *label;
} kinds[] = {
    {"presented", "Văn bản trình"},
    {"assigned", "Được giao xử lý"},
    {"for_info", "Nhận để biết"},
    {"forwarded", "Được chuyển xử lý"},
    {"returned", "Bị trả lại"},
    {"completed", "Đã hoàn thành xử lý"},
    {"review", "Chờ duyệt"},
    {"sign", "Chờ ký"},
    {"to_issue", "Chờ phát hành"},
    {"arrived", "Văn bản mới đến"},
    {"refused", "Bị từ chối tiếp nhận"},
    {"recalled", "Bị thu hồi"},
    {"updated", "Được cập nhật"},
    {"due_soon", "Sắp đến hạn"},
    {"overdue", "Quá hạn"},
};

const char *notify_kind_label(const char *kind)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (!strcmp(kinds[i].key, kind))
            return kinds[i].label;
    return kind;
}

static bool kind_valid(const char *k)
{
    size_t n = k ? strlen(k) : 0;
    if (n == 0 || n >= NOTIFY_KIND_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((k[i] >= 'a' && k[i] <= 'z') || k[i] == '_'))
            return false;
    return true;
}

/* The recipients as one WHERE over membership m / app_user u: a person, or a role group. */
#define RECIPIENTS                                                                          \
    "FROM membership m JOIN app_user u ON u.id = m.user_id WHERE m.agency_id = $1 AND "     \
    "m.active = 1 AND u.disabled = 0 AND m.user_id <> $2 AND (($3 > 0 AND m.user_id = $3) " \
    "OR ($3 = 0 AND ($4 = 0 OR (m.roles & $4) <> 0) AND ($5 = 0 OR m.department_id = $5)))"

result_t notify_add(struct tx *t, const struct notify_to *to, const struct notify_msg *m,
                    int64_t *written, int64_t *skipped)
{
    if (written)
        *written = 0;
    if (skipped)
        *skipped = 0;
    if (!t || !to || !m || !kind_valid(m->kind) || !m->text || !*m->text || to->agency_id <= 0 ||
        to->user_id < 0)
        return RES_INVALID;
    struct db_conn *c = tx_conn(t);
    /* The text on a character boundary, "…" when cut: never half a letter. */
    static const char ellipsis[] = "…";
    char text[NOTIFY_TEXT_MAX + 1];
    size_t n = strlen(m->text);
    if (n > NOTIFY_TEXT_MAX) {
        n = text_cut(m->text, n, NOTIFY_TEXT_MAX - (sizeof(ellipsis) - 1));
        memcpy(text, m->text, n);
        memcpy(text + n, ellipsis, sizeof(ellipsis) - 1);
        n += sizeof(ellipsis) - 1;
    } else {
        memcpy(text, m->text, n);
    }
    text[n] = '\0';
    int64_t roles = (int64_t)to->roles, candidates = 0;
    result_t r = db_one_i64(c, &candidates, "SELECT COUNT(*) " RECIPIENTS, "iiiii", to->agency_id,
                            m->actor_id, to->user_id, roles, to->department_id);
    if (r != RES_OK)
        return r;
    if (candidates == 0)
        return RES_OK;
    if (m->supersede && m->document_id > 0) {
        r = db_run(
            c,
            "UPDATE notification SET read_at = $6 WHERE agency_id = $1 AND document_id = "
            "$7 AND kind = $8 AND read_at IS NULL AND user_id IN (SELECT m.user_id " RECIPIENTS ")",
            "iiiiiiit", to->agency_id, m->actor_id, to->user_id, roles, to->department_id, m->now,
            m->document_id, m->kind);
        if (r != RES_OK)
            return r;
    }
    r = db_run(c,
               "INSERT INTO notification (user_id, agency_id, kind, document_id, body, actor_id, "
               "dedupe_key, created_at) SELECT m.user_id, m.agency_id, $6, $7, $8, $9, $10, "
               "$11 " RECIPIENTS " ORDER BY m.user_id LIMIT $12 ON CONFLICT DO NOTHING",
               "iiiiitItItii", to->agency_id, m->actor_id, to->user_id, roles, to->department_id,
               m->kind, m->document_id, text, m->actor_id, m->dedupe_key, m->now,
               (int64_t)NOTIFY_FANOUT_MAX);
    if (r != RES_OK)
        return r;
    if (written)
        *written = db_changes(c);
    if (candidates > NOTIFY_FANOUT_MAX) {
        if (skipped)
            *skipped = candidates - NOTIFY_FANOUT_MAX;
        log_warn("notify: %s for document %lld reached %d of %lld people (fan-out bound)", m->kind,
                 (long long)m->document_id, NOTIFY_FANOUT_MAX, (long long)candidates);
    }
    return RES_OK;
}

/* ---- reading ---- */

static result_t may_read(const struct actor *a)
{
    return authz_check(a, AZ_NOTIFY_READ, a ? a->agency_id : 0);
}

result_t notify_unread_count(struct app *app, const struct actor *a, int64_t *n)
{
    *n = 0;
    if (may_read(a) != RES_OK)
        return RES_OK; /* no post chosen (a system administrator): nothing to count */
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    return db_one_i64(c, n,
                      "SELECT COUNT(*) FROM (SELECT 1 FROM notification WHERE user_id = $1 AND "
                      "agency_id = $2 AND read_at IS NULL LIMIT $3) x",
                      "iii", a->user_id, a->agency_id, (int64_t)NOTIFY_COUNT_CAP);
}

result_t notify_list(struct app *app, const struct actor *a, const struct notify_query *q,
                     json_t **out)
{
    *out = NULL;
    int limit = q->limit ? q->limit : 20;
    if (limit < 1 || limit > NOTIFY_PAGE_MAX || q->before < 0)
        return RES_INVALID;
    result_t r = may_read(a);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    int64_t unread = 0;
    if ((r = notify_unread_count(app, a, &unread)) != RES_OK)
        return r;
    /* One statement per filter so that each is a plain range of its index. */
    const char *sql =
        q->unread ? "SELECT n.id, n.kind, n.document_id, n.body, n.created_at, n.read_at, "
                    "COALESCE(u.full_name, '') FROM notification n LEFT JOIN app_user u ON u.id = "
                    "n.actor_id WHERE n.user_id = $1 AND n.agency_id = $2 AND n.read_at IS NULL "
                    "AND n.id < $3 ORDER BY n.id DESC LIMIT $4"
                  : "SELECT n.id, n.kind, n.document_id, n.body, n.created_at, n.read_at, "
                    "COALESCE(u.full_name, '') FROM notification n LEFT JOIN app_user u ON u.id = "
                    "n.actor_id WHERE n.user_id = $1 AND n.agency_id = $2 AND n.id < $3 ORDER BY "
                    "n.id DESC LIMIT $4";
    struct db_stmt *s = NULL;
    r = db_query(c, &s, sql, "iiii", a->user_id, a->agency_id, q->before ? q->before : INT64_MAX,
                 (int64_t)limit + 1);
    if (r != RES_OK)
        return r;
    json_t *items = json_array();
    int64_t last = 0;
    bool more = false;
    while ((r = db_step(s)) == RES_ROW) {
        if ((int)json_array_size(items) == limit) {
            more = true;
            continue;
        }
        char created[40], read[40] = "";
        int64_t id = db_col_i64(s, 0);
        clock_format_iso(db_col_i64(s, 4), created, sizeof(created));
        bool is_read = !db_col_null(s, 5);
        if (is_read)
            clock_format_iso(db_col_i64(s, 5), read, sizeof(read));
        const char *kind = db_col_text(s, 1);
        json_array_append_new(
            items,
            json_pack("{s:I,s:s,s:s,s:o,s:s,s:s,s:s,s:I,s:b,s:o}", "id", (json_int_t)id, "kind",
                      kind, "kind_label", notify_kind_label(kind), "document_id",
                      db_col_null(s, 2) ? json_null() : json_integer(db_col_i64(s, 2)), "text",
                      db_col_text(s, 3), "actor_name", db_col_text(s, 6), "created_at", created,
                      "created_at_unix", (json_int_t)db_col_i64(s, 4), "read", is_read, "read_at",
                      is_read ? json_string(read) : json_null()));
        last = id;
    }
    db_finalize(s);
    if (r != RES_DONE) {
        json_decref(items);
        return r;
    }
    *out = json_pack("{s:o,s:o,s:I}", "items", items, "next_before",
                     more ? json_integer(last) : json_null(), "unread", (json_int_t)unread);
    return RES_OK;
}

/* ---- marking read ---- */

struct mark {
    const struct actor *a;
    const int64_t *ids;
    size_t n;
    int64_t upto, now;
    int64_t document_id;
    int64_t marked; /* out */
};

/* The listed ids: each the actor's own (the policy on the row), else nothing at all. */
static result_t mark_tx(struct tx *t, void *arg)
{
    struct mark *w = arg;
    struct db_conn *c = tx_conn(t);
    w->marked = 0;
    result_t r = RES_OK;
    if (w->n) {
        for (size_t i = 0; i < w->n && r == RES_OK; i++) {
            struct db_stmt *s = NULL;
            r = db_query(c, &s,
                         "SELECT user_id, agency_id, read_at FROM notification WHERE id = $1", "i",
                         w->ids[i]);
            if (r != RES_OK)
                return r;
            struct authz_object o = {.kind = AZ_OBJ_NOTIFY};
            bool unread = false;
            if ((r = db_step(s)) == RES_ROW) {
                o.owner_user_id = db_col_i64(s, 0);
                o.agency_id = db_col_i64(s, 1);
                unread = db_col_null(s, 2);
                r = RES_OK;
            } else if (r == RES_DONE) {
                r = RES_NOT_FOUND;
            }
            db_finalize(s);
            if (r == RES_OK)
                r = authz_check_object(w->a, AZ_NOTIFY_READ, &o);
            if (r == RES_OK && unread) {
                r = db_run(c,
                           "UPDATE notification SET read_at = $2 WHERE id = $1 AND read_at IS NULL",
                           "ii", w->ids[i], w->now);
                w->marked += r == RES_OK ? db_changes(c) : 0;
            }
        }
    } else if (w->document_id) {
        r = db_run(c,
                   "UPDATE notification SET read_at = $3 WHERE user_id = $1 AND document_id = $2 "
                   "AND read_at IS NULL",
                   "iii", w->a->user_id, w->document_id, w->now);
        w->marked = r == RES_OK ? db_changes(c) : 0;
        return r; /* bookkeeping of opening a document: no audit row (tx_run_noaudit) */
    } else {
        r = db_run(c,
                   "UPDATE notification SET read_at = $4 WHERE user_id = $1 AND agency_id = $2 AND "
                   "read_at IS NULL AND created_at <= $3",
                   "iiii", w->a->user_id, w->a->agency_id, w->upto, w->now);
        w->marked = r == RES_OK ? db_changes(c) : 0;
    }
    if (r != RES_OK)
        return r;
    char summary[120];
    snprintf(summary, sizeof(summary), "Đánh dấu đã đọc %lld thông báo%s", (long long)w->marked,
             w->n ? "" : " (tất cả)");
    tx_audit(t, &(struct audit_entry){.actor_id = w->a->user_id,
                                      .actor_login = w->a->login,
                                      .agency_id = w->a->agency_id,
                                      .action = "notify_read",
                                      .object_type = "notification",
                                      .object_id = "",
                                      .summary = summary,
                                      .client_addr = w->a->client_addr});
    return RES_OK;
}

result_t notify_mark_read(struct app *app, const struct actor *a, const int64_t *ids, size_t n,
                          int64_t upto, int64_t *marked)
{
    *marked = 0;
    result_t r = may_read(a);
    if (r != RES_OK)
        return r;
    if (n > NOTIFY_READ_IDS_MAX)
        return RES_TOO_LARGE;
    for (size_t i = 0; i < n; i++)
        if (ids[i] <= 0)
            return RES_NOT_FOUND;
    int64_t now = clock_now();
    struct mark w = {.a = a, .ids = ids, .n = n, .upto = upto > 0 ? upto : now, .now = now};
    if ((r = tx_run(app->db, mark_tx, &w)) == RES_OK)
        *marked = w.marked;
    return r;
}

result_t notify_read_document(struct app *app, const struct actor *a, int64_t document_id)
{
    if (may_read(a) != RES_OK || document_id <= 0)
        return RES_OK;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    /* A read before the write: opening a document with nothing unread writes nothing. */
    int64_t unread = 0;
    result_t r = db_one_i64(c, &unread,
                            "SELECT COUNT(*) FROM notification WHERE user_id = $1 AND document_id "
                            "= $2 AND read_at IS NULL",
                            "ii", a->user_id, document_id);
    if (r != RES_OK || !unread)
        return r;
    struct mark w = {.a = a, .document_id = document_id, .now = clock_now()};
    return tx_run_noaudit(app->db, mark_tx, &w);
}

/* ---- retention ---- */

struct sweep {
    int64_t before, removed;
};

static result_t sweep_tx(struct tx *t, void *arg)
{
    struct sweep *w = arg;
    struct db_conn *c = tx_conn(t);
    result_t r = db_run(c,
                        "DELETE FROM notification WHERE id IN (SELECT id FROM notification WHERE "
                        "read_at IS NOT NULL AND read_at < $1 LIMIT 1000)",
                        "i", w->before);
    w->removed = r == RES_OK ? db_changes(c) : 0;
    return r;
}

result_t notify_sweep(struct app *app, int64_t before, int64_t *removed)
{
    *removed = 0;
    /* Batches of 1000 keep each transaction (and SQLite's write lock) short. */
    for (int i = 0; i < 1000; i++) {
        struct sweep w = {.before = before};
        result_t r = tx_run_noaudit(app->db, sweep_tx, &w);
        if (r != RES_OK)
            return r;
        *removed += w.removed;
        if (w.removed < 1000)
            break;
    }
    return RES_OK;
}
