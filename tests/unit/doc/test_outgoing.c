/* Outgoing documents (src/doc/doc_outgoing.c and the circuit steps of doc_workflow.c;
 * standards.md §2, §6) on a real SQLite database with the demo province: the review
 * circuit's state machine (each step only in its state and by whom it is with, a refused
 * step writes nothing; return to the drafter and to an earlier reviewer; the signer's
 * approval needs a PDF and fixes its hash), the register chosen for a type (a separate
 * series) and the year roll-over of its numbers (doc_number_next), and bad drafts that
 * write nothing. Signing, the seal and issuing need keys and run in
 * tests/integration/documents_outgoing.test.mjs (SQLite and PostgreSQL). */
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "app_fixture.h"
#include "check.h"
#include "core/tx.h"
#include "db/db.h"
#include "doc/doc.h"
#include "util/clock.h"
#include "util/str.h"

static char data_dir[64];
static struct app app;
static struct actor clerk, leader, head, specialist;
static int64_t tv_agency;

static const char pdf_bytes[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< "
                                "/Root 1 0 R >>\n%%EOF\n";

static int64_t one(const char *sql, int64_t arg)
{
    int64_t v = -1;
    CHECK_INT(db_one_i64(db_conn(app.db), &v, sql, "i", arg), RES_OK);
    return v;
}

/* Everything a step writes: history, participant rows and the ones in force, files,
 * the state, the audit log. */
static int64_t footprint(int64_t id)
{
    return one("SELECT (SELECT COUNT(*) FROM doc_history WHERE document_id = $1) * 1000000 + "
               "(SELECT COUNT(*) FROM doc_participant WHERE document_id = $1) * 10000 + (SELECT "
               "COUNT(*) FROM doc_participant WHERE document_id = $1 AND active = 1 AND status IN "
               "('pending', 'in_progress')) * 100 + (SELECT COUNT(*) FROM doc_file WHERE "
               "document_id = $1)",
               id) *
               1000 +
           one("SELECT COUNT(*) FROM audit_log WHERE $1 = $1", 0) * 10 +
           one("SELECT CASE state WHEN 'draft' THEN 1 WHEN 'reviewing' THEN 2 WHEN 'approved' "
               "THEN 3 ELSE 0 END FROM document WHERE id = $1",
               id);
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

static result_t draft(const char *type, const char *file_name, const unsigned char *data,
                      size_t len, struct verrs *e, int64_t *id)
{
    struct doc_recipient_input rc = {.kind = "agency", .agency_id = tv_agency};
    struct doc_outgoing_input in = {.doc_type = type,
                                    .subject = "Về việc thử nghiệm chữ ký số",
                                    .urgency = "khan", /* the rows' copy of it shows */
                                    .signer_id = leader.user_id,
                                    .recipients = &rc,
                                    .nrecipients = 1};
    struct doc_upload f = {.role = "main", .file_name = file_name, .data = data, .len = len};
    return doc_outgoing_create(&app, &specialist, &in, &f, 1, e, id);
}

static int64_t pdf_draft(void)
{
    struct verrs e = {0};
    int64_t id = 0;
    CHECK_INT(draft("quyet_dinh", "qd.pdf", (const unsigned char *)pdf_bytes, sizeof(pdf_bytes) - 1,
                    &e, &id),
              RES_OK);
    return id;
}

/* Every participant row carries its document's sort key (doc_participant_keys): the box
 * to process reads its pages in that order from the rows (doc_list.c q_to_process). */
static void keys_copied(void)
{
    CHECK_INT(app_fixture_stale_participant_keys(&app), 0);
}

/* A step, then the participant rows' sort keys checked. */
static result_t step(const struct actor *a, int64_t id, const char *action,
                     const struct doc_step_input *in)
{
    struct verrs e = {0};
    struct doc_step_input none = {0};
    result_t r = doc_workflow_act(&app, a, id, action, in ? in : &none, &e);
    keys_copied();
    return r;
}

static void refused(const struct actor *a, int64_t id, const char *action,
                    const struct doc_step_input *in, result_t want)
{
    int64_t before = footprint(id);
    CHECK_INT(step(a, id, action, in), want);
    CHECK_INT(footprint(id), before);
}

static void state_is(int64_t id, const char *want)
{
    char sql[160];
    snprintf(sql, sizeof(sql),
             "SELECT CASE WHEN state = '%s' THEN 1 ELSE 0 END FROM document "
             "WHERE id = $1",
             want);
    CHECK_INT(one(sql, id), 1);
}

/* §6: draft → reviewing (head, then the signer) → approved; each step only by whom it is
 * with and in its state; refused steps write nothing. */
TEST(circuit_state_machine)
{
    int64_t id = pdf_draft();
    state_is(id, "draft");
    int64_t reviewers[1] = {head.user_id};
    struct doc_step_input sub = {.reviewers = reviewers, .nreviewers = 1};
    refused(&head, id, "approve", NULL, RES_NOT_FOUND); /* not on it yet */
    refused(&clerk, id, "submit", &sub, RES_FORBIDDEN); /* only the drafter */
    refused(&specialist, id, "approve", NULL, RES_FORBIDDEN);
    refused(&specialist, id, "sign", NULL, RES_INVALID); /* file steps: doc_outgoing_* */
    CHECK_INT(step(&specialist, id, "submit", &sub), RES_OK);
    state_is(id, "reviewing");
    refused(&specialist, id, "submit", &sub, RES_CONFLICT); /* theirs, not at this step */
    refused(&leader, id, "approve", NULL, RES_FORBIDDEN);   /* the head first */
    struct doc_step_input no_reason = {0};
    refused(&head, id, "return", &no_reason, RES_INVALID); /* a reason is required */
    CHECK_INT(step(&head, id, "approve", NULL), RES_OK);
    refused(&head, id, "approve", NULL, RES_FORBIDDEN); /* passed on */
    /* The signer returns it to the head, who is an earlier reviewer; to someone who is
     * not, refused. */
    struct doc_step_input bad = {.note = "Xem lại", .user_id = clerk.user_id};
    refused(&leader, id, "return", &bad, RES_INVALID);
    struct doc_step_input back = {.note = "Xem lại căn cứ", .user_id = head.user_id};
    CHECK_INT(step(&leader, id, "return", &back), RES_OK);
    state_is(id, "reviewing");
    refused(&leader, id, "approve", NULL, RES_FORBIDDEN);
    CHECK_INT(step(&head, id, "approve", NULL), RES_OK);
    CHECK_INT(step(&leader, id, "approve", NULL), RES_OK);
    state_is(id, "approved");
    /* The approved PDF is fixed by its hash. */
    CHECK_INT(one("SELECT CASE WHEN approved_hash = (SELECT blob_hash FROM doc_file WHERE "
                  "document_id = $1 AND role = 'main') THEN 1 ELSE 0 END FROM document WHERE id = "
                  "$1",
                  id),
              1);
    refused(&leader, id, "approve", NULL, RES_CONFLICT);
    /* Every review step recorded the version it acted on. */
    CHECK_INT(
        one("SELECT COUNT(*) FROM doc_history WHERE document_id = $1 AND file_version = 1", id),
        one("SELECT COUNT(*) FROM doc_history WHERE document_id = $1", id));
    /* The circuit's rows: the head twice (two rounds), the signer twice, in order. */
    CHECK_INT(one("SELECT COUNT(*) FROM doc_participant WHERE document_id = $1 AND role = "
                  "'reviewer' AND seq = 1",
                  id),
              2);
    CHECK_INT(one("SELECT COUNT(*) FROM doc_participant WHERE document_id = $1 AND role = "
                  "'signer' AND seq = 2 AND status = 'in_progress' AND active = 1",
                  id),
              1);
}

/* A return to the drafter closes the circuit: the draft is theirs to edit again. */
TEST(return_to_drafter)
{
    int64_t id = pdf_draft();
    CHECK_INT(step(&specialist, id, "submit", NULL), RES_OK); /* the signer alone */
    struct doc_step_input back = {.note = "Sửa trích yếu"};
    CHECK_INT(step(&leader, id, "return", &back), RES_OK);
    state_is(id, "draft");
    CHECK_INT(one("SELECT COUNT(*) FROM doc_participant WHERE document_id = $1 AND active = 1 "
                  "AND status = 'pending' AND role = 'drafter'",
                  id),
              1);
    /* the signer's part, but not at this step (the workflow's 409, with the reason) */
    refused(&leader, id, "approve", NULL, RES_CONFLICT);
    CHECK_INT(step(&specialist, id, "submit", NULL), RES_OK);
    state_is(id, "reviewing");
}

/* A minimal DOCX in memory ([Content_Types].xml and word/document.xml, which the
 * format check recognises), malloc'd. */
static unsigned char *make_docx(size_t *len)
{
    static const char ct[] = "<?xml version=\"1.0\"?><Types/>";
    static const char body[] = "<w:document/>";
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &err);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
    zip_file_add(za, "[Content_Types].xml", zip_source_buffer(za, ct, sizeof(ct) - 1, 0), 0);
    zip_file_add(za, "word/document.xml", zip_source_buffer(za, body, sizeof(body) - 1, 0), 0);
    zip_close(za);
    zip_source_open(src);
    zip_source_seek(src, 0, SEEK_END);
    *len = (size_t)zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    unsigned char *out = malloc(*len);
    zip_source_read(src, out, *len);
    zip_source_close(src);
    zip_source_free(src);
    return out;
}

/* §6 the signed document is a PDF: a docx draft is not approved by the signer; the
 * drafter's PDF version (after a return) is. */
TEST(signer_needs_pdf)
{
    size_t len = 0;
    unsigned char *docx = make_docx(&len);
    struct verrs e = {0};
    int64_t id = 0;
    CHECK_INT(draft("quyet_dinh", "du-thao.docx", docx, len, &e, &id), RES_OK);
    free(docx);
    CHECK_INT(step(&specialist, id, "submit", NULL), RES_OK);
    refused(&leader, id, "approve", NULL, RES_CONFLICT);
    struct doc_step_input back = {.note = "Gửi bản PDF"};
    CHECK_INT(step(&leader, id, "return", &back), RES_OK);
    struct doc_upload f = {.role = "main",
                           .file_name = "qd.pdf",
                           .data = (const unsigned char *)pdf_bytes,
                           .len = sizeof(pdf_bytes) - 1};
    struct verrs e2 = {0};
    CHECK_INT(doc_outgoing_version(&app, &specialist, id, &f, "Bản PDF", &e2), RES_OK);
    CHECK_INT(one("SELECT MAX(version) FROM doc_file WHERE document_id = $1 AND role = 'main'", id),
              2);
    CHECK_INT(step(&specialist, id, "submit", NULL), RES_OK);
    CHECK_INT(step(&leader, id, "approve", NULL), RES_OK);
    state_is(id, "approved");
    /* Approved: no new version any more. */
    struct verrs e3 = {0};
    CHECK_INT(doc_outgoing_version(&app, &specialist, id, &f, NULL, &e3), RES_CONFLICT);
}

struct num_arg {
    int64_t reg;
    int year;
    int64_t got;
};

static result_t num_tx(struct tx *t, void *arg)
{
    struct num_arg *n = arg;
    result_t r = doc_number_next(tx_conn(t), n->reg, n->year, &n->got);
    tx_audit(t, &(struct audit_entry){.actor_id = 0,
                                      .actor_login = "test",
                                      .agency_id = clerk.agency_id,
                                      .action = "doc_sign",
                                      .object_type = "document",
                                      .object_id = "0",
                                      .summary = "số thử",
                                      .client_addr = "test"});
    return r;
}

static int64_t take(int64_t reg, int year)
{
    struct num_arg n = {.reg = reg, .year = year};
    CHECK_INT(tx_run(app.db, num_tx, &n), RES_OK);
    return n.got;
}

/* §2 a separate series per register (a type restricted to its own register) and the
 * restart on 1 January. */
TEST(series_and_year_rollover)
{
    struct db_conn *c = db_conn(app.db);
    int64_t general = 0, decisions = 0, got = -1;
    /* An agency without an outgoing register (phường Trường Vinh) has none to give. */
    CHECK_INT(doc_outgoing_register(c, tv_agency, "quyet_dinh", false, 2026, &got), RES_OK);
    CHECK_INT(got, 0);
    /* The demo's general register of Sở KH&CN numbers every type ... */
    general = one("SELECT id FROM doc_register WHERE agency_id = $1 AND kind = 'outgoing'",
                  clerk.agency_id);
    struct verrs e = {0};
    struct doc_register_input q = {.kind = "outgoing", .name = "Sổ quyết định"};
    CHECK_INT(doc_outgoing_register(c, clerk.agency_id, "quyet_dinh", false, 2026, &got), RES_OK);
    CHECK_INT(got, general);
    /* ... until a register restricted to some types opens their own series. */
    CHECK_INT(doc_registers_create(&app, &clerk, clerk.agency_id, &q, &e, &decisions), RES_OK);
    CHECK_INT(db_run(c, "UPDATE doc_register SET doc_types = 'quyet_dinh,chi_thi' WHERE id = $1",
                     "i", decisions),
              RES_OK);
    CHECK_INT(doc_outgoing_register(c, clerk.agency_id, "quyet_dinh", false, 2026, &got), RES_OK);
    CHECK_INT(got, decisions);
    CHECK_INT(doc_outgoing_register(c, clerk.agency_id, "chi_thi", false, 2026, &got), RES_OK);
    CHECK_INT(got, decisions);
    CHECK_INT(doc_outgoing_register(c, clerk.agency_id, "cong_van", false, 2026, &got), RES_OK);
    CHECK_INT(got, general);
    /* Each series counts on its own; a new year restarts at 1. */
    CHECK_INT(take(general, 2026), 1);
    CHECK_INT(take(general, 2026), 2);
    CHECK_INT(take(decisions, 2026), 1);
    CHECK_INT(take(general, 2027), 1);
    CHECK_INT(take(general, 2026), 3);
    /* A closed restricted register gives the type back to the general one. */
    CHECK_INT(db_run(c, "UPDATE doc_register SET active = 0 WHERE id = $1", "i", decisions),
              RES_OK);
    CHECK_INT(doc_outgoing_register(c, clerk.agency_id, "quyet_dinh", false, 2026, &got), RES_OK);
    CHECK_INT(got, general);
}

/* Bad drafts: field errors, nothing written. */
TEST(bad_drafts_write_nothing)
{
    int64_t before = one("SELECT COUNT(*) FROM document WHERE $1 = $1", 0) * 1000 +
                     one("SELECT COUNT(*) FROM audit_log WHERE $1 = $1", 0);
    struct verrs e = {0};
    int64_t id = 0;
    CHECK_INT(draft("khong_co", "qd.pdf", (const unsigned char *)pdf_bytes, sizeof(pdf_bytes) - 1,
                    &e, &id),
              RES_INVALID);
    CHECK(verrs_get(&e, "doc_type") != NULL);
    struct verrs e2 = {0};
    CHECK_INT(draft("quyet_dinh", "a.txt", (const unsigned char *)"hello", 5, &e2, &id),
              RES_INVALID);
    CHECK(verrs_get(&e2, "file") != NULL);
    struct verrs e3 = {0};
    struct doc_recipient_input rc = {.kind = "agency", .agency_id = clerk.agency_id};
    struct doc_outgoing_input in = {.doc_type = "quyet_dinh",
                                    .subject = "Thử",
                                    .signer_id = leader.user_id,
                                    .recipients = &rc,
                                    .nrecipients = 1};
    struct doc_upload f = {.role = "main",
                           .file_name = "qd.pdf",
                           .data = (const unsigned char *)pdf_bytes,
                           .len = sizeof(pdf_bytes) - 1};
    CHECK_INT(doc_outgoing_create(&app, &specialist, &in, &f, 1, &e3, &id), RES_INVALID);
    CHECK(strstr(verrs_get(&e3, "recipients"), "chính cơ quan mình") != NULL);
    CHECK_INT(one("SELECT COUNT(*) FROM document WHERE $1 = $1", 0) * 1000 +
                  one("SELECT COUNT(*) FROM audit_log WHERE $1 = $1", 0),
              before);
}

/* §6 templates and opinions: the administrator's template gives a new draft its plan,
 * the drafter's plan step keeps the circuit's rules, submit without a list follows the
 * plan; the reviewer in force asks units (a due date by working days), a unit's leader
 * answers once, and the reviewer's decision closes what is still open. Refused steps
 * write nothing. */
TEST(templates_plan_and_opinions)
{
    struct actor admin = member_of("040090000141");
    struct verrs e = {0};
    struct doc_circuit_step_input bad[1] = {{.kind = "office"}}; /* office needs its unit */
    CHECK_INT(doc_circuit_set(&app, &admin, "bao_cao", bad, 1, &e), RES_INVALID);
    CHECK(verrs_get(&e, "steps") != NULL);
    struct verrs e2 = {0};
    struct doc_circuit_step_input st[2] = {{.kind = "unit_leader"},
                                           {.kind = "user", .user_id = leader.user_id}};
    CHECK_INT(doc_circuit_set(&app, &specialist, "bao_cao", st, 2, &e2), RES_FORBIDDEN);
    CHECK_INT(doc_circuit_set(&app, &admin, "bao_cao", st, 2, &e2), RES_OK);
    int64_t id = 0;
    struct verrs e3 = {0};
    CHECK_INT(draft("bao_cao", "bc.pdf", (const unsigned char *)pdf_bytes, sizeof(pdf_bytes) - 1,
                    &e3, &id),
              RES_OK);
    /* the unit's leader; the signer (named in the template) is not repeated */
    char want[32];
    snprintf(want, sizeof(want), "%lld", (long long)head.user_id);
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT CASE WHEN review_plan = '%s' THEN 1 ELSE 0 END FROM document WHERE id = $1",
             want);
    CHECK_INT(one(sql, id), 1);
    int64_t self[1] = {specialist.user_id};
    struct doc_step_input plan_self = {.reviewers = self, .nreviewers = 1};
    refused(&specialist, id, "plan", &plan_self, RES_INVALID);
    refused(&head, id, "plan", &plan_self, RES_NOT_FOUND);
    struct doc_step_input sub = {0}; /* reviewers NULL: the plan */
    CHECK_INT(step(&specialist, id, "submit", &sub), RES_OK);
    CHECK_INT(one("SELECT COUNT(*) FROM doc_participant WHERE document_id = $1 AND role = "
                  "'reviewer' AND active = 1 AND status = 'pending'",
                  id),
              1);
    /* opinions */
    int64_t unit = head.department_id, nounit = 999999;
    struct doc_step_input ask_bad = {.departments = &nounit,
                                     .ndepartments = 1,
                                     .note = "Cho ý kiến",
                                     .has_working_days = true,
                                     .working_days = 2};
    refused(&head, id, "ask_opinion", &ask_bad, RES_INVALID);
    struct doc_step_input ask_past = {
        .departments = &unit, .ndepartments = 1, .note = "Cho ý kiến", .deadline = "2020-01-01"};
    refused(&head, id, "ask_opinion", &ask_past, RES_INVALID);
    struct doc_step_input ask_noq = {
        .departments = &unit, .ndepartments = 1, .has_working_days = true, .working_days = 2};
    refused(&head, id, "ask_opinion", &ask_noq, RES_INVALID);
    struct doc_step_input ask = {.departments = &unit,
                                 .ndepartments = 1,
                                 .note = "Đề nghị cho ý kiến",
                                 .has_working_days = true,
                                 .working_days = 2};
    refused(&leader, id, "ask_opinion", &ask, RES_FORBIDDEN); /* not their turn */
    CHECK_INT(step(&head, id, "ask_opinion", &ask), RES_OK);
    CHECK_INT(one("SELECT COUNT(*) FROM doc_participant WHERE document_id = $1 AND role = "
                  "'co_handler' AND due_date IS NOT NULL AND status = 'pending'",
                  id),
              1);
    struct doc_step_input no_answer = {0};
    refused(&head, id, "answer_opinion", &no_answer, RES_INVALID);
    refused(&specialist, id, "answer_opinion", &ask, RES_FORBIDDEN); /* the unit's leaders */
    struct doc_step_input answer = {.note = "Thống nhất"};
    CHECK_INT(step(&head, id, "answer_opinion", &answer), RES_OK);
    refused(&head, id, "answer_opinion", &answer, RES_FORBIDDEN); /* answered */
    CHECK_INT(step(&head, id, "ask_opinion", &ask), RES_OK);      /* asked again */
    CHECK_INT(step(&head, id, "approve", NULL), RES_OK);          /* decides: goes on */
    CHECK_INT(one("SELECT COUNT(*) FROM doc_participant WHERE document_id = $1 AND role = "
                  "'co_handler' AND status = 'withdrawn' AND active = 0",
                  id),
              1);
    CHECK_INT(one("SELECT COUNT(*) FROM doc_participant WHERE document_id = $1 AND role = "
                  "'co_handler' AND status = 'done' AND answer = 'Thống nhất'",
                  id),
              1);
}

/* §5, §10 recall: the receiver's copy waits (recalled, its state kept) until its clerk
 * agrees (frozen, edXML 15) or refuses with a reason (the state back, 16); only the
 * receiving clerks answer, once. Demo: UBND tỉnh's issued documents at Sở KH&CN. */
TEST(recall_answers)
{
    int64_t copy = one("SELECT MIN(id) FROM document WHERE agency_id = $1 AND direction = "
                       "'incoming' AND source_document_id IS NOT NULL AND state = 'arrived'",
                       clerk.agency_id);
    CHECK(copy > 0);
    int64_t source = one("SELECT source_document_id FROM document WHERE id = $1", copy);
    int64_t src_agency = one("SELECT agency_id FROM document WHERE id = $1", source);
    int64_t src_clerk_id = one("SELECT MIN(m.user_id) FROM membership m WHERE m.agency_id = $1 AND "
                               "(m.roles & 2) <> 0 AND m.active = 1",
                               src_agency);
    char login[64] = "";
    struct db_stmt *q = NULL;
    CHECK_INT(db_query(db_conn(app.db), &q, "SELECT login FROM app_user WHERE id = $1", "i",
                       src_clerk_id),
              RES_OK);
    if (db_step(q) == RES_ROW)
        str_copy(login, db_col_text(q, 0), sizeof(login));
    db_finalize(q);
    struct actor src = member_of(login);
    refused(&clerk, copy, "recall_agree", NULL, RES_CONFLICT); /* nothing recalled yet */
    struct doc_step_input why = {.note = "Ban hành nhầm"};
    CHECK_INT(step(&src, source, "recall", &why), RES_OK);
    state_is(copy, "recalled");
    CHECK_INT(one("SELECT COUNT(*) FROM document WHERE id = $1 AND state_before_recall = "
                  "'arrived'",
                  copy),
              1);
    refused(&leader, copy, "recall_agree", NULL, RES_FORBIDDEN); /* the clerks answer */
    struct doc_step_input none = {0};
    refused(&clerk, copy, "recall_refuse", &none, RES_INVALID); /* a reason */
    struct doc_step_input no = {.note = "Đã triển khai"};
    CHECK_INT(step(&clerk, copy, "recall_refuse", &no), RES_OK);
    state_is(copy, "arrived");
    CHECK_INT(one("SELECT COUNT(*) FROM doc_history WHERE document_id = $1 AND action = "
                  "'recall_refused_by_recipient'",
                  source),
              1);
    refused(&clerk, copy, "recall_agree", NULL, RES_CONFLICT); /* answered */
    CHECK(strcmp(doc_history_edxml_status("recall_agreed"), "15") == 0);
    CHECK(strcmp(doc_history_edxml_status("recall_refused"), "16") == 0);
}

int main(void)
{
    struct actor sys;
    if (app_fixture_open(&app, &sys, data_dir, sizeof(data_dir), "outgoing", true) != 0 ||
        doc_demo_seed(&app) != RES_OK)
        return 2;
    clerk = member_of("040090000143");
    leader = member_of("040090000142");
    head = member_of("040090000144");
    specialist = member_of("040090000145");
    tv_agency = one("SELECT id FROM agency WHERE code = '000.00.30.H41' AND $1 = $1", 0);
    RUN(circuit_state_machine);
    RUN(return_to_drafter);
    RUN(signer_needs_pdf);
    RUN(series_and_year_rollover);
    RUN(bad_drafts_write_nothing);
    RUN(templates_plan_and_opinions);
    RUN(recall_answers);
    return CHECK_DONE("test_outgoing");
}
