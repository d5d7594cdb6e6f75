/* The incoming workflow (src/doc/doc_workflow.c; standards.md §5) on a real SQLite
 * database with the demo province: every step only in its states (a step out of its
 * state is RES_CONFLICT, a step of someone else RES_FORBIDDEN, and either writes
 * nothing: the history, the participant rows, the audit log and the document are
 * counted before and after), every bad input of an assignment is a field error that
 * writes nothing, the deadline in working days crosses the weekend, a compensation day
 * and the 30/4–1/5 holidays (§4), the history maps to the QCVN 102 statuses (§10), and
 * the "actions" of doc_get are exactly the steps the API accepts. (The same paths run
 * on PostgreSQL in tests/integration/documents_workflow.test.mjs.) */
#include <stdlib.h>
#include <string.h>

#include "app_fixture.h"
#include "check.h"
#include "core/calendar.h"
#include "core/role.h"
#include "db/db.h"
#include "core/tx.h"
#include "doc/doc.h"
#include "doc/doc_internal.h"
#include "util/clock.h"
#include "util/str.h"

static char data_dir[64];
static struct app app;
static struct actor clerk, leader, head, specialist, admin;
static int64_t reg_id, it_dept;

static const char pdf_bytes[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< "
                                "/Root 1 0 R >>\n%%EOF\n";

static int64_t one(const char *sql, int64_t arg)
{
    int64_t v = -1;
    CHECK_INT(db_one_i64(db_conn(app.db), &v, sql, "i", arg), RES_OK);
    return v;
}

/* Everything a step writes on document id: history rows, participant rows and their
 * statuses, the document's state and deadline, its files, the audit log. */
static int64_t footprint(int64_t id)
{
    return one("SELECT (SELECT COUNT(*) FROM doc_history WHERE document_id = $1) * 1000000 + "
               "(SELECT COUNT(*) FROM doc_participant WHERE document_id = $1) * 10000 + (SELECT "
               "COUNT(*) FROM doc_participant WHERE document_id = $1 AND active = 1 AND status IN "
               "('pending', 'in_progress')) * 100 + (SELECT COUNT(*) FROM doc_file WHERE "
               "document_id = $1)",
               id) *
               1000000 +
           one("SELECT COUNT(*) FROM audit_log WHERE $1 = $1", 0) * 10 +
           one("SELECT CASE state WHEN 'registered' THEN 1 WHEN 'presented' THEN 2 WHEN "
               "'assigned' THEN 3 WHEN 'in_progress' THEN 4 WHEN 'completed' THEN 5 ELSE 0 END "
               "FROM document WHERE id = $1",
               id) +
           one("SELECT CASE WHEN deadline IS NULL THEN 0 ELSE 1 END FROM document WHERE id = $1",
               id) *
               1000000000000000LL;
}

static struct actor member_of(const char *login)
{
    struct actor a = {0};
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT id FROM app_user WHERE login = '%s' AND $1 = $1", login);
    a.user_id = one(sql, 0);
    a.membership_id = one("SELECT id FROM membership WHERE user_id = $1", a.user_id);
    a.agency_id = one("SELECT agency_id FROM membership WHERE user_id = $1", a.user_id);
    a.department_id =
        one("SELECT COALESCE(department_id, 0) FROM membership WHERE user_id = $1", a.user_id);
    a.roles = (unsigned)one("SELECT roles FROM membership WHERE user_id = $1", a.user_id);
    str_copy(a.login, login, sizeof(a.login));
    str_copy(a.full_name, login, sizeof(a.full_name));
    str_copy(a.client_addr, "test", sizeof(a.client_addr));
    return a;
}

static int serial = 700;

/* A new registered incoming document of Sở KH&CN, issued yesterday. */
static int64_t registered(void)
{
    char number[16], issued[16];
    snprintf(number, sizeof(number), "%d", serial++);
    calendar_format_day(calendar_day_of(clock_now()) - 1, issued, sizeof(issued));
    struct doc_incoming_input in = {.register_id = reg_id,
                                    .issuer_code = "000.00.02.H41",
                                    .issuer_name = "Sở Nội vụ",
                                    .number = number,
                                    .symbol = "SNV-CCVC",
                                    .issued_date = issued,
                                    .doc_type = "cong_van",
                                    /* urgent every other one: the rows' copy of it shows */
                                    .urgency = serial % 2 ? "khan" : NULL,
                                    .subject = "Về việc rà soát quy trình xử lý văn bản"};
    struct doc_upload f = {.role = "main",
                           .file_name = "cong-van.pdf",
                           .data = (const unsigned char *)pdf_bytes,
                           .len = sizeof(pdf_bytes) - 1};
    struct verrs e = {0};
    struct doc_registered out = {0};
    CHECK_INT(doc_register_incoming(&app, &clerk, &in, &f, 1, &e, &out), RES_OK);
    return out.id;
}

/* Every participant row carries its document's sort key (doc_participant_keys): the box
 * to process reads its pages in that order from the rows (doc_list.c q_to_process). */
static void keys_copied(void)
{
    CHECK_INT(app_fixture_stale_participant_keys(&app), 0);
}

/* A step, then the participant rows' sort keys checked (every step, made or refused). */
static result_t step(const struct actor *a, int64_t id, const char *action,
                     const struct doc_step_input *in, struct verrs *e)
{
    struct verrs local = {0};
    result_t r = doc_workflow_act(&app, a, id, action, in, e ? e : &local);
    keys_copied();
    return r;
}

/* The step is refused with `want` and writes nothing. */
static void refused(const struct actor *a, int64_t id, const char *action,
                    const struct doc_step_input *in, result_t want)
{
    int64_t before = footprint(id);
    struct verrs e = {0};
    result_t r = step(a, id, action, in, &e);
    if (r != want)
        fprintf(stderr, "  %s by %s: %s (%s)\n", action, a->login, result_name(r),
                e.count ? e.items[0].message : "");
    CHECK_INT(r, want);
    if (want == RES_CONFLICT)
        CHECK(verrs_get(&e, "action") != NULL); /* says why, in Vietnamese */
    CHECK_INT(footprint(id), before);
}

static bool has_action(int64_t id, const struct actor *a, const char *key)
{
    json_t *doc = NULL;
    CHECK_INT(doc_get(&app, a, id, &doc), RES_OK);
    bool found = false;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, "actions"), i, v)
    {
        found |= !strcmp(json_string_value(v), key);
    }
    json_decref(doc);
    return found;
}

static const char *doc_state(int64_t id, char *out, size_t n)
{
    json_t *doc = NULL;
    CHECK_INT(doc_get(&app, &clerk, id, &doc), RES_OK);
    str_copy(out, json_string_value(json_object_get(doc, "state")), n);
    json_decref(doc);
    return out;
}

#define CHECK_STATE(id, want)                                 \
    do {                                                      \
        char st_[24];                                         \
        CHECK_STR(doc_state((id), st_, sizeof(st_)), (want)); \
    } while (0)

TEST(each_step_only_in_its_states)
{
    int64_t id = registered();
    struct doc_step_input none = {0}, note = {.note = "Ghi chú"};
    struct doc_target unit = {.department_id = it_dept}, spec = {.user_id = specialist.user_id};
    struct doc_step_input assign = {
        .leads = &spec, .nleads = 1, .has_working_days = true, .working_days = 3};

    /* registered: only the clerk's present */
    CHECK(has_action(id, &clerk, "present"));
    refused(&leader, id, "assign", &assign, RES_FORBIDDEN); /* not presented to him */
    refused(&leader, id, "withdraw", &none, RES_FORBIDDEN);
    refused(&clerk, id, "complete", &note, RES_FORBIDDEN);
    refused(&specialist, id, "accept", &none, RES_NOT_FOUND); /* not on it: not known */
    refused(&admin, id, "comment", &note, RES_NOT_FOUND);
    CHECK_INT(
        step(&clerk, id, "present", &(struct doc_step_input){.leader_id = leader.user_id}, NULL),
        RES_OK);
    CHECK_STATE(id, "presented");

    /* presented: the leader assigns or returns */
    refused(&clerk, id, "present", &(struct doc_step_input){.leader_id = leader.user_id},
            RES_CONFLICT);
    refused(&leader, id, "withdraw", &none, RES_CONFLICT); /* his, but nothing assigned */
    refused(&leader, id, "change", &assign, RES_CONFLICT);
    refused(&leader, id, "accept", &none, RES_FORBIDDEN);
    refused(&leader, id, "complete", &note, RES_FORBIDDEN);
    refused(&specialist, id, "assign", &assign, RES_NOT_FOUND);
    CHECK(has_action(id, &leader, "assign") && has_action(id, &leader, "return"));
    CHECK(!has_action(id, &clerk, "present"));
    CHECK_INT(step(&leader, id, "assign",
                   &(struct doc_step_input){.leads = &unit,
                                            .nleads = 1,
                                            .co_handlers = &spec,
                                            .nco_handlers = 1,
                                            .has_working_days = true,
                                            .working_days = 3},
                   NULL),
              RES_OK);
    CHECK_STATE(id, "assigned");

    /* assigned: a second assignment needs change; the co-handler may not accept */
    refused(&leader, id, "assign", &assign, RES_CONFLICT);
    refused(&clerk, id, "present", &(struct doc_step_input){.leader_id = leader.user_id},
            RES_CONFLICT);
    refused(&specialist, id, "accept", &none, RES_FORBIDDEN);
    refused(&specialist, id, "complete", &note, RES_FORBIDDEN);
    refused(&specialist, id, "reassign", &assign, RES_FORBIDDEN);
    refused(&head, id, "assign", &assign, RES_CONFLICT);        /* directs only via the unit: */
    refused(&specialist, id, "assign", &assign, RES_FORBIDDEN); /* reassign, not assign */
    CHECK(has_action(id, &head, "reassign") && has_action(id, &head, "accept"));
    CHECK(!has_action(id, &specialist, "accept") && has_action(id, &specialist, "comment"));
    CHECK_INT(step(&head, id, "accept", &none, NULL), RES_OK);
    CHECK_STATE(id, "in_progress");

    /* in progress: accepted once */
    refused(&head, id, "accept", &none, RES_CONFLICT);
    refused(&leader, id, "assign", &assign, RES_CONFLICT);
    refused(&head, id, "complete", &none, RES_INVALID); /* the result is required */
    CHECK_INT(step(&specialist, id, "comment",
                   &(struct doc_step_input){.note = "Đã xong phần kỹ thuật", .part_done = true},
                   NULL),
              RES_OK);
    refused(&specialist, id, "comment", &note, RES_FORBIDDEN); /* their part is done */
    CHECK_INT(step(&head, id, "complete", &(struct doc_step_input){.note = "Đã báo cáo"}, NULL),
              RES_OK);
    CHECK_STATE(id, "completed");

    /* completed: nothing more, even for the lead and the leader */
    const char *all[] = {"present", "assign",  "change",  "withdraw", "reassign",
                         "accept",  "comment", "forward", "return",   "complete"};
    const struct actor *who[] = {&clerk, &leader, &leader, &leader, &head,
                                 &head,  &head,   &head,   &head,   &head};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        result_t r = step(who[i], id, all[i], &note, NULL);
        CHECK(r == RES_CONFLICT || r == RES_FORBIDDEN);
        CHECK(!has_action(id, who[i], all[i]));
    }
    refused(&head, id, "complete", &note, RES_CONFLICT);
    refused(&leader, id, "withdraw", &none, RES_CONFLICT);
    CHECK_INT(one("SELECT COUNT(*) FROM doc_participant WHERE document_id = $1 AND active = 1 AND "
                  "status IN ('pending', 'in_progress')",
                  id),
              0);
    CHECK(one("SELECT COALESCE(completed_at, 0) FROM document WHERE id = $1", id) > 0);
}

TEST(bad_assignments_write_nothing)
{
    int64_t id = registered();
    CHECK_INT(
        step(&clerk, id, "present", &(struct doc_step_input){.leader_id = leader.user_id}, NULL),
        RES_OK);
    struct doc_target unit = {.department_id = it_dept}, spec = {.user_id = specialist.user_id};
    struct doc_target two[2] = {{.department_id = it_dept}, {.user_id = specialist.user_id}};
    struct doc_target stranger = {.user_id = one("SELECT id FROM app_user WHERE login = "
                                                 "'040090000302' AND $1 = $1",
                                                 0)};
    struct doc_target unknown_unit = {.department_id = 99999999};
    struct doc_target both = {.user_id = specialist.user_id, .department_id = it_dept};
    char past[16], soon[16];
    calendar_format_day(calendar_day_of(clock_now()) - 1, past, sizeof(past));
    calendar_format_day(calendar_day_of(clock_now()) + 9, soon, sizeof(soon));
    char *long_note = malloc(DOC_NOTE_MAX * 2 + 8);
    memset(long_note, 'a', DOC_NOTE_MAX + 1);
    long_note[DOC_NOTE_MAX + 1] = '\0';
    const struct {
        struct doc_step_input in;
        const char *field;
    } cases[] = {
        {{.has_working_days = true, .working_days = 3}, "lead"},
        {{.leads = two, .nleads = 2, .has_working_days = true, .working_days = 3}, "lead"},
        {{.leads = &spec,
          .nleads = 1,
          .co_handlers = &spec,
          .nco_handlers = 1,
          .has_working_days = true,
          .working_days = 3},
         "co_handlers"},
        {{.leads = &unit,
          .nleads = 1,
          .for_info = &unit,
          .nfor_info = 1,
          .has_working_days = true,
          .working_days = 3},
         "for_info"},
        {{.leads = &stranger, .nleads = 1, .has_working_days = true, .working_days = 3}, "lead"},
        {{.leads = &unknown_unit, .nleads = 1, .has_working_days = true, .working_days = 3},
         "lead"},
        {{.leads = &both, .nleads = 1, .has_working_days = true, .working_days = 3}, "lead"},
        {{.leads = &unit, .nleads = 1, .deadline = past}, "deadline"},
        {{.leads = &unit, .nleads = 1, .deadline = "2026-13-01"}, "deadline"},
        {{.leads = &unit,
          .nleads = 1,
          .deadline = soon,
          .has_working_days = true,
          .working_days = 3},
         "deadline"},
        {{.leads = &unit, .nleads = 1, .has_working_days = true, .working_days = 0},
         "working_days"},
        {{.leads = &unit,
          .nleads = 1,
          .has_working_days = true,
          .working_days = DOC_MAX_WORKING_DAYS + 1},
         "working_days"},
        {{.leads = &unit, .nleads = 1}, "deadline"}, /* none, and no due date of the issuer */
        {{.leads = &unit, .nleads = 1, .deadline = soon, .note = long_note}, "note"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t before = footprint(id);
        struct verrs e = {0};
        result_t r = step(&leader, id, "assign", &cases[i].in, &e);
        if (r != RES_INVALID || !verrs_get(&e, cases[i].field))
            fprintf(stderr, "  case %zu: %s %s\n", i, result_name(r),
                    e.count ? e.items[0].message : "");
        CHECK_INT(r, RES_INVALID);
        CHECK(verrs_get(&e, cases[i].field) != NULL);
        CHECK(!verrs_get(&e, "lead") || !strstr(verrs_get(&e, "lead"), "Trường Vinh"));
        CHECK_INT(footprint(id), before);
    }
    free(long_note);
    /* a unit may not extend the leader's deadline, nor pass it outside the unit */
    CHECK_INT(step(&leader, id, "assign",
                   &(struct doc_step_input){.leads = &unit, .nleads = 1, .deadline = soon}, NULL),
              RES_OK);
    char later[16];
    calendar_format_day(calendar_day_of(clock_now()) + 20, later, sizeof(later));
    struct doc_target leader_t = {.user_id = leader.user_id};
    const struct doc_step_input bad_unit[] = {
        {.leads = &spec, .nleads = 1, .deadline = later},
        {.leads = &leader_t, .nleads = 1},
        {.leads = &unit, .nleads = 1},
    };
    for (size_t i = 0; i < 3; i++) {
        int64_t before = footprint(id);
        struct verrs e = {0};
        CHECK_INT(step(&head, id, "reassign", &bad_unit[i], &e), RES_INVALID);
        CHECK_INT(footprint(id), before);
    }
    CHECK_INT(
        step(&head, id, "reassign", &(struct doc_step_input){.leads = &spec, .nleads = 1}, NULL),
        RES_OK);
    CHECK_INT(one("SELECT COUNT(*) FROM doc_participant WHERE document_id = $1 AND role = 'lead' "
                  "AND user_id IS NOT NULL AND parent_id IS NOT NULL AND due_date = (SELECT "
                  "deadline FROM document WHERE id = $1)",
                  id),
              1);
}

TEST(deadline_in_working_days_crosses_weekend_and_holidays)
{
    /* §4 on the statutory calendar of 2026: Friday 24 April + 3 working days skips the
     * weekend, Monday 27 (compensation for Giỗ Tổ on Sunday 26), and 30/4–1/5 with their
     * weekend: Tuesday 28, Wednesday 29, Monday 4 May. */
    struct calendar *cal = malloc(sizeof(*cal));
    calendar_init(cal);
    int64_t fri = 0, want = 0;
    CHECK_INT(calendar_parse_day("2026-04-24", &fri), RES_OK);
    CHECK_INT(calendar_parse_day("2026-05-04", &want), RES_OK);
    CHECK_INT(calendar_add_working_days(cal, fri, 3), want);
    free(cal);
    /* and through the assignment, as on that Friday at 10:00 */
    int64_t at = 0;
    clock_parse_date("2026-04-24", &at);
    clock_set_offset(0);
    clock_set_offset(at + 10 * 3600 - clock_now());
    int64_t id = registered();
    CHECK_INT(
        step(&clerk, id, "present", &(struct doc_step_input){.leader_id = leader.user_id}, NULL),
        RES_OK);
    struct doc_target unit = {.department_id = it_dept};
    CHECK_INT(step(&leader, id, "assign",
                   &(struct doc_step_input){
                       .leads = &unit, .nleads = 1, .has_working_days = true, .working_days = 3},
                   NULL),
              RES_OK);
    json_t *doc = NULL;
    CHECK_INT(doc_get(&app, &leader, id, &doc), RES_OK);
    CHECK_STR(json_string_value(json_object_get(doc, "deadline")), "2026-05-04");
    CHECK_STR(json_string_value(json_object_get(doc, "deadline_state")), "ok");
    json_decref(doc);
    /* on Thursday 30 April (a holiday) it is due within 2 working days; on 5 May overdue */
    clock_set_offset(0);
    clock_parse_date("2026-04-30", &at);
    clock_set_offset(at + 10 * 3600 - clock_now());
    CHECK_INT(doc_get(&app, &leader, id, &doc), RES_OK);
    CHECK_STR(json_string_value(json_object_get(doc, "deadline_state")), "due_soon");
    json_decref(doc);
    clock_set_offset(0);
    clock_parse_date("2026-05-05", &at);
    clock_set_offset(at + 8 * 3600 - clock_now());
    CHECK_INT(doc_get(&app, &leader, id, &doc), RES_OK);
    CHECK_STR(json_string_value(json_object_get(doc, "deadline_state")), "overdue");
    json_decref(doc);
    clock_set_offset(0);
}

TEST(history_maps_to_qcvn102_statuses)
{
    /* standards.md §10 status package codes */
    CHECK_STR(doc_history_edxml_status("received"), "01");
    CHECK_STR(doc_history_edxml_status("refused"), "02");
    CHECK_STR(doc_history_edxml_status("registered"), "03");
    CHECK_STR(doc_history_edxml_status("accepted"), "03");
    CHECK_STR(doc_history_edxml_status("assigned"), "04");
    CHECK_STR(doc_history_edxml_status("started"), "05");
    CHECK_STR(doc_history_edxml_status("completed"), "06");
    /* the agency's internal steps are not sent */
    const char *internal[] = {"presented", "reassigned", "withdrawn", "commented", "part_done",
                              "attached",  "forwarded",  "returned",  "nonsense"};
    for (size_t i = 0; i < sizeof(internal) / sizeof(internal[0]); i++)
        CHECK(doc_history_edxml_status(internal[i]) == NULL);
    CHECK(doc_history_edxml_status(NULL) == NULL);
    /* every history row of a document carries its code */
    int64_t id = registered();
    CHECK_INT(
        step(&clerk, id, "present", &(struct doc_step_input){.leader_id = leader.user_id}, NULL),
        RES_OK);
    struct doc_target spec = {.user_id = specialist.user_id};
    CHECK_INT(step(&leader, id, "assign",
                   &(struct doc_step_input){
                       .leads = &spec, .nleads = 1, .has_working_days = true, .working_days = 2},
                   NULL),
              RES_OK);
    CHECK_INT(
        step(&specialist, id, "comment", &(struct doc_step_input){.note = "Đang xử lý"}, NULL),
        RES_OK); /* the lead's first opinion also starts it */
    json_t *doc = NULL;
    CHECK_INT(doc_get(&app, &specialist, id, &doc), RES_OK);
    const char *want[][2] = {{"received", "01"},
                             {"presented", NULL},
                             {"assigned", "04"},
                             {"started", "05"},
                             {"commented", NULL}};
    json_t *hist = json_object_get(doc, "history");
    CHECK_INT((int64_t)json_array_size(hist), 5);
    for (size_t i = 0; i < json_array_size(hist) && i < 5; i++) {
        json_t *h = json_array_get(hist, i);
        CHECK_STR(json_string_value(json_object_get(h, "action")), want[i][0]);
        json_t *code = json_object_get(h, "edxml_status");
        if (want[i][1])
            CHECK_STR(json_string_value(code), want[i][1]);
        else
            CHECK(json_is_null(code));
    }
    json_decref(doc);
}

TEST(return_and_withdraw_go_back_a_step)
{
    int64_t id = registered();
    CHECK_INT(
        step(&clerk, id, "present", &(struct doc_step_input){.leader_id = leader.user_id}, NULL),
        RES_OK);
    refused(&leader, id, "return", &(struct doc_step_input){.note = ""}, RES_INVALID);
    CHECK_INT(step(&leader, id, "return", &(struct doc_step_input){.note = "Sai nơi nhận"}, NULL),
              RES_OK);
    CHECK_STATE(id, "registered");
    CHECK_INT(
        step(&clerk, id, "present", &(struct doc_step_input){.leader_id = leader.user_id}, NULL),
        RES_OK);
    struct doc_target spec = {.user_id = specialist.user_id};
    struct doc_step_input as = {
        .leads = &spec, .nleads = 1, .has_working_days = true, .working_days = 4};
    CHECK_INT(step(&leader, id, "assign", &as, NULL), RES_OK);
    CHECK_INT(step(&leader, id, "withdraw", &(struct doc_step_input){0}, NULL), RES_OK);
    CHECK_STATE(id, "presented");
    CHECK_INT(one("SELECT COUNT(*) FROM doc_participant WHERE document_id = $1 AND status = "
                  "'withdrawn' AND active = 0",
                  id),
              1);
    CHECK(one("SELECT CASE WHEN deadline IS NULL THEN 1 ELSE 0 END FROM document WHERE id = $1",
              id) == 1);
    CHECK_INT(step(&leader, id, "assign", &as, NULL), RES_OK);
    CHECK_INT(step(&specialist, id, "return",
                   &(struct doc_step_input){.note = "Không thuộc "
                                                    "chức năng"},
                   NULL),
              RES_OK);
    CHECK_STATE(id, "presented");
    CHECK(has_action(id, &leader, "assign"));
    CHECK(!has_action(id, &specialist, "comment"));
    /* change = withdraw + assign in one transaction: one audit row, two history rows */
    CHECK_INT(step(&leader, id, "assign", &as, NULL), RES_OK);
    int64_t audits = one("SELECT COUNT(*) FROM audit_log WHERE $1 = $1", 0);
    int64_t steps = one("SELECT COUNT(*) FROM doc_history WHERE document_id = $1", id);
    struct doc_target unit = {.department_id = it_dept};
    CHECK_INT(step(&leader, id, "change",
                   &(struct doc_step_input){
                       .leads = &unit, .nleads = 1, .has_working_days = true, .working_days = 2},
                   NULL),
              RES_OK);
    CHECK_INT(one("SELECT COUNT(*) FROM audit_log WHERE $1 = $1", 0), audits + 1);
    CHECK_INT(one("SELECT COUNT(*) FROM doc_history WHERE document_id = $1", id), steps + 2);
    CHECK_INT(one("SELECT COUNT(*) FROM doc_participant WHERE document_id = $1 AND active = 1 AND "
                  "role = 'lead'",
                  id),
              1);
}

struct lock_arg {
    int64_t id;
    result_t found, missing;
};

static result_t lock_tx(struct tx *t, void *arg)
{
    struct lock_arg *l = arg;
    l->found = doc_lock(tx_conn(t), l->id);
    l->missing = doc_lock(tx_conn(t), INT64_MAX);
    return RES_OK;
}

/* doc_lock takes the row's lock and changes nothing (updated_at stays); a document that
 * does not exist is RES_NOT_FOUND. */
TEST(doc_lock_changes_nothing)
{
    int64_t id = registered();
    int64_t before = footprint(id), at = one("SELECT updated_at FROM document WHERE id = $1", id);
    struct lock_arg l = {.id = id};
    CHECK_INT(tx_run_noaudit(app.db, lock_tx, &l), RES_OK);
    CHECK_INT(l.found, RES_OK);
    CHECK_INT(l.missing, RES_NOT_FOUND);
    CHECK_INT(one("SELECT updated_at FROM document WHERE id = $1", id), at);
    CHECK_INT(footprint(id), before);
}

int main(void)
{
    struct actor sys;
    if (app_fixture_open(&app, &sys, data_dir, sizeof(data_dir), "workflow", true) != 0 ||
        doc_demo_seed(&app) != RES_OK)
        return 2;
    clerk = member_of("040090000143");      /* văn thư, Sở KH&CN */
    leader = member_of("040090000142");     /* Giám đốc */
    head = member_of("040090000144");       /* Trưởng phòng Công nghệ thông tin */
    specialist = member_of("040090000145"); /* chuyên viên of that department */
    admin = member_of("040090000141");      /* administrator, no role on documents */
    it_dept = head.department_id;
    reg_id = one("SELECT id FROM doc_register WHERE agency_id = $1", clerk.agency_id);
    RUN(each_step_only_in_its_states);
    RUN(bad_assignments_write_nothing);
    RUN(deadline_in_working_days_crosses_weekend_and_holidays);
    RUN(history_maps_to_qcvn102_statuses);
    RUN(return_and_withdraw_go_back_a_step);
    RUN(doc_lock_changes_nothing);
    return CHECK_DONE("test_workflow");
}
