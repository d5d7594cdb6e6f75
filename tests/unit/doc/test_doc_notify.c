/* The document workflow's notifications (doc/doc_notify.c) on the demo province: the
 * daily deadline reminder (issue 11 "deadlines due soon/overdue reach the lead";
 * standards.md §4 the working calendar's due-soon window, §5 the lead's deadline)
 * reaches the lead person, or a lead unit's head, once per document, person and day —
 * a second run the same day adds nothing, the next day reminds again — and leaves out
 * documents not yet due, completed ones and rows no longer in force. */
#include <stdlib.h>
#include <string.h>

#include "app_fixture.h"
#include "check.h"
#include "core/calendar.h"
#include "db/db.h"
#include "doc/doc.h"
#include "doc/doc_notify.h"
#include "util/clock.h"

static char data_dir[64];
static struct app app;
static struct actor sys;

static int64_t one(const char *sql, int64_t arg)
{
    int64_t v = -1;
    CHECK_INT(db_one_i64(db_conn(app.db), &v, sql, "i", arg), RES_OK);
    return v;
}

static void set_deadline(int64_t doc, int64_t day)
{
    char d[11];
    calendar_format_day(day, d, sizeof(d));
    CHECK_INT(
        db_run(db_conn(app.db), "UPDATE document SET deadline = $2 WHERE id = $1", "it", doc, d),
        RES_OK);
}

TEST(deadline_reminders_once_per_document_person_and_day)
{
    /* the demo's open lead rows: one of a person, one of a unit */
    int64_t person_doc = one("SELECT MIN(d.id) FROM document d JOIN doc_participant p ON "
                             "p.document_id = d.id WHERE p.active = 1 AND p.role = 'lead' AND "
                             "p.status IN ('pending', 'in_progress') AND p.user_id IS NOT NULL AND "
                             "d.direction = 'incoming' AND $1 = $1",
                             0);
    int64_t unit_doc = one("SELECT MIN(d.id) FROM document d JOIN doc_participant p ON "
                           "p.document_id = d.id WHERE p.active = 1 AND p.role = 'lead' AND "
                           "p.status IN ('pending', 'in_progress') AND p.user_id IS NULL AND "
                           "d.direction = 'incoming' AND $1 = $1",
                           0);
    CHECK(person_doc > 0 && unit_doc > 0);
    int64_t lead = one("SELECT user_id FROM doc_participant WHERE document_id = $1 AND active = 1 "
                       "AND role = 'lead' AND user_id IS NOT NULL",
                       person_doc);
    /* Wednesday 2 December 2026, 09:00 in Vietnam: a working day */
    int64_t now = 1796176800, today = calendar_day_of(now);
    char iso[40];
    clock_format_iso(now, iso, sizeof(iso));
    CHECK_STR(iso, "2026-12-02T09:00:00+07:00");
    /* every other open document far from its deadline */
    CHECK_INT(db_run(db_conn(app.db),
                     "UPDATE document SET deadline = '2099-12-31' WHERE deadline IS NOT NULL", ""),
              RES_OK);
    set_deadline(person_doc, today - 3); /* overdue */
    set_deadline(unit_doc, today);       /* due today: within the due-soon window */
    CHECK_INT(db_run(db_conn(app.db), "DELETE FROM notification", ""), RES_OK);

    int64_t sent = 0;
    CHECK_INT(doc_notify_deadlines(&app, now, &sent), RES_OK);
    int64_t heads =
        one("SELECT COUNT(*) FROM membership WHERE department_id = (SELECT "
            "department_id FROM doc_participant WHERE document_id = $1 AND active = 1 "
            "AND role = 'lead' AND user_id IS NULL) AND active = 1 AND (roles & 8) <> 0",
            unit_doc);
    CHECK(heads >= 1);
    CHECK_INT(sent, 1 + heads);
    CHECK_INT(one("SELECT COUNT(*) FROM notification WHERE kind = 'overdue' AND document_id = $1 "
                  "AND user_id = (SELECT user_id FROM doc_participant WHERE document_id = $1 AND "
                  "active = 1 AND role = 'lead' AND user_id IS NOT NULL)",
                  person_doc),
              1);
    CHECK_INT(one("SELECT COUNT(*) FROM notification WHERE kind = 'due_soon' AND document_id = $1",
                  unit_doc),
              heads);
    CHECK_INT(one("SELECT COUNT(*) FROM notification WHERE user_id = $1 AND body LIKE '%đã quá hạn "
                  "xử lý%'",
                  lead),
              1);
    /* the same day again (a retry, a second node): nothing more */
    CHECK_INT(doc_notify_deadlines(&app, now + 60, &sent), RES_OK);
    CHECK_INT(sent, 0);
    CHECK_INT(one("SELECT COUNT(*) FROM notification WHERE $1 = $1", 0), 1 + heads);
    /* completed: no reminder the next day; the other one is reminded again */
    CHECK_INT(db_run(db_conn(app.db), "UPDATE document SET state = 'completed' WHERE id = $1", "i",
                     unit_doc),
              RES_OK);
    CHECK_INT(doc_notify_deadlines(&app, now + 86400, &sent), RES_OK);
    CHECK_INT(sent, 1);
    CHECK_INT(one("SELECT COUNT(*) FROM notification WHERE document_id = $1", person_doc), 2);
    /* a Saturday (5 December) is no working day: no reminder, however overdue */
    CHECK_INT(doc_notify_deadlines(&app, now + 3 * 86400, &sent), RES_OK);
    CHECK_INT(sent, 0);
    /* Monday 7 December reminds again */
    CHECK_INT(doc_notify_deadlines(&app, now + 5 * 86400, &sent), RES_OK);
    CHECK_INT(sent, 1);
    /* not due yet: nothing */
    set_deadline(person_doc, today + 30);
    CHECK_INT(doc_notify_deadlines(&app, now + 6 * 86400, &sent), RES_OK);
    CHECK_INT(sent, 0);
}

int main(void)
{
    if (app_fixture_open(&app, &sys, data_dir, sizeof(data_dir), "docnotify", true) != 0 ||
        doc_demo_seed(&app) != RES_OK)
        return 2;
    RUN(deadline_reminders_once_per_document_person_and_day);
    blob_close(app.blobs);
    db_close(app.db);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", data_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup of %s failed\n", data_dir);
    return CHECK_DONE("test_doc_notify");
}
