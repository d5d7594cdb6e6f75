/* The incoming workflow after registration (standards.md §5, ND30 Điều 24, issue 11):
 * present to a leader, the leader's direction (lead, co-handlers, for information,
 * deadline), passing it on inside a unit, withdrawing or changing the direction, the
 * lead accepting, opinions, working files, forwarding, returning and completing.
 *
 * One table (steps[]) says for every action key its policy action and the states it
 * exists in; step_ready() says whether the actor's own participant rows allow it now.
 * doc_workflow_act() and the "actions" list of doc_get use the same two, so what the
 * pages offer is exactly what the API accepts. Each step: doc_authorize (READ, so an
 * unknown document is 404 before anything else), doc_authorize with the step's action
 * (403) and the state (409 with the reason; also when the policy refuses only because
 * the actor's part belongs to another step), the input (422, nothing written), then
 * one tx_run that locks the document row, checks state and rows again, and writes the
 * participant rows, the document, one doc_history row and one audit row. */
#include "doc/doc_workflow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/notify.h"
#include "core/role.h"
#include "core/tx.h"
#include "core/validate.h"
#include "db/db.h"
#include "db/db_json.h"
#include "doc/doc.h"
#include "doc/doc_internal.h"
#include "doc/doc_notify.h"
#include "doc/doc_upload.h"
#include "text/text.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/str.h"

/* ---- states and steps ---- */

enum {
    S_REGISTERED = 1 << 0,
    S_PRESENTED = 1 << 1,
    S_ASSIGNED = 1 << 2,
    S_IN_PROGRESS = 1 << 3,
    S_COMPLETED = 1 << 4,
    /* outgoing (issue 12, standards.md §6): draft → reviewing → approved → signed →
     * issued */
    S_DRAFT = 1 << 5,
    S_REVIEWING = 1 << 6,
    S_APPROVED = 1 << 7,
    S_SIGNED = 1 << 8,
    S_ISSUED = 1 << 9,
    /* a receiver's copy of a recalled document (state recalled) still waiting for the
     * clerk's answer (state_before_recall set; edXML 15 agree / 16 refuse) */
    S_RECALL_REQ = 1 << 10,
};
#define S_WORKING  (S_ASSIGNED | S_IN_PROGRESS)
#define S_INCOMING 0x1fu
#define S_OUTGOING 0x3e0u

static unsigned state_bit(const char *s)
{
    static const char *const names[] = {"registered", "presented", "assigned",  "in_progress",
                                        "completed",  "draft",     "reviewing", "approved",
                                        "signed",     "issued"};
    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(s, names[i]))
            return 1u << i;
    return 0;
}

static const char *state_label(const char *s)
{
    static const struct {
        const char *key, *label;
    } map[] = {{"arrived", "mới đến"},
               {"refused", "đã từ chối"},
               {"registered", "đã vào sổ"},
               {"presented", "đang trình lãnh đạo"},
               {"assigned", "đã giao xử lý"},
               {"in_progress", "đang xử lý"},
               {"completed", "đã hoàn thành"},
               {"recalled", "đã bị thu hồi"},
               {"draft", "đang là dự thảo"},
               {"reviewing", "đang trình duyệt"},
               {"approved", "đã được duyệt"},
               {"signed", "đã ký số"},
               {"issued", "đã ban hành"},
               {"cancelled", "đã hủy"},
               {"recall_requested", "bị thu hồi, chờ văn thư trả lời"}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(map[i].key, s))
            return map[i].label;
    return s;
}

enum step_kind {
    ST_PRESENT,
    ST_ASSIGN,
    ST_CHANGE,
    ST_WITHDRAW,
    ST_REASSIGN,
    ST_ACCEPT,
    ST_COMMENT,
    ST_ATTACH,
    ST_FORWARD,
    ST_RETURN,
    ST_COMPLETE,
    /* outgoing (issue 12) */
    ST_VERSION,
    ST_SUBMIT,
    ST_APPROVE,
    ST_SIGN,
    ST_SEAL,
    ST_DIGITISE,
    ST_ISSUE,
    ST_CANCEL,
    ST_RECALL,
    ST_PLAN,
    ST_ASK,
    ST_ANSWER,
    ST_UPDATE,
    ST_RECALL_AGREE,
    ST_RECALL_REFUSE,
};

static const struct step {
    enum step_kind kind;
    const char *key;
    enum authz_action az; /* ST_RETURN: by state, see step_az() */
    unsigned states;
    const char *label; /* Vietnamese, for the 409 messages */
    const char *audit; /* audit_actions[] key */
} steps[] = {
    {ST_PRESENT, "present", AZ_DOC_PRESENT, S_REGISTERED, "trình lãnh đạo", "doc_present"},
    {ST_ASSIGN, "assign", AZ_DOC_DIRECT, S_PRESENTED, "giao xử lý", "doc_assign"},
    {ST_CHANGE, "change", AZ_DOC_WITHDRAW, S_WORKING, "thay đổi phân công",
     "doc_change_assignment"},
    {ST_WITHDRAW, "withdraw", AZ_DOC_WITHDRAW, S_WORKING, "thu hồi phân công", "doc_withdraw"},
    {ST_REASSIGN, "reassign", AZ_DOC_DIRECT, S_WORKING, "giao xử lý trong đơn vị", "doc_reassign"},
    {ST_ACCEPT, "accept", AZ_DOC_PROCESS, S_ASSIGNED, "tiếp nhận xử lý", "doc_accept"},
    {ST_COMMENT, "comment", AZ_DOC_COMMENT, S_WORKING, "cho ý kiến", "doc_comment"},
    {ST_ATTACH, "attach", AZ_DOC_COMMENT, S_WORKING, "đính kèm tệp xử lý", "doc_attach"},
    {ST_FORWARD, "forward", AZ_DOC_COMMENT, S_WORKING, "chuyển văn bản", "doc_forward"},
    {ST_RETURN, "return", AZ_DOC_PROCESS, S_PRESENTED | S_WORKING | S_REVIEWING, "trả lại",
     "doc_return"},
    {ST_COMPLETE, "complete", AZ_DOC_PROCESS, S_WORKING, "hoàn thành", "doc_complete"},
    /* The outgoing circuit (standards.md §6). version, sign, seal and issue carry files:
     * doc_outgoing.c prepares them and runs the step through doc_workflow_run with its
     * own part of the transaction (struct doc_step_ext). */
    {ST_VERSION, "version", AZ_DOC_EDIT, S_DRAFT, "tải lên phiên bản mới của dự thảo",
     "doc_draft_version"},
    {ST_SUBMIT, "submit", AZ_DOC_EDIT, S_DRAFT, "trình duyệt dự thảo", "doc_submit"},
    {ST_APPROVE, "approve", AZ_DOC_APPROVE, S_REVIEWING, "duyệt dự thảo", "doc_approve"},
    {ST_SIGN, "sign", AZ_DOC_SIGN, S_APPROVED, "ký số văn bản", "doc_sign"},
    {ST_SEAL, "seal", AZ_DOC_REGISTER, S_SIGNED, "ký số của cơ quan", "doc_seal"},
    /* standards.md §5: the agency signs the scan of a paper original (doc_outgoing.c). */
    {ST_DIGITISE, "digitise", AZ_DOC_REGISTER, S_INCOMING, "ký số bản số hóa", "doc_digitise_sign"},
    {ST_ISSUE, "issue", AZ_DOC_REGISTER, S_SIGNED, "ban hành văn bản", "doc_issue"},
    {ST_CANCEL, "cancel", AZ_DOC_REGISTER, S_SIGNED, "hủy văn bản đã cấp số", "doc_cancel"},
    {ST_RECALL, "recall", AZ_DOC_REGISTER, S_ISSUED, "thu hồi văn bản", "doc_recall"},
    /* the drafter edits the circuit planned from the template before submitting */
    {ST_PLAN, "plan", AZ_DOC_EDIT, S_DRAFT, "sửa quy trình duyệt", "doc_review_plan"},
    /* xin ý kiến: the reviewer in force asks units; their leaders answer in parallel */
    {ST_ASK, "ask_opinion", AZ_DOC_APPROVE, S_REVIEWING, "xin ý kiến", "doc_ask_opinion"},
    {ST_ANSWER, "answer_opinion", AZ_DOC_COMMENT, S_REVIEWING, "cho ý kiến về dự thảo",
     "doc_answer_opinion"},
    /* cập nhật (§6 a form error): corrected metadata on the document and every copy */
    {ST_UPDATE, "update", AZ_DOC_REGISTER, S_ISSUED, "cập nhật văn bản", "doc_update"},
    /* the receiving clerk's answer to a recall (edXML 15 / 16) */
    {ST_RECALL_AGREE, "recall_agree", AZ_DOC_REGISTER, S_RECALL_REQ, "đồng ý thu hồi",
     "doc_recall_agree"},
    {ST_RECALL_REFUSE, "recall_refuse", AZ_DOC_REGISTER, S_RECALL_REQ, "từ chối thu hồi",
     "doc_recall_refuse"},
};
#define NSTEPS (sizeof(steps) / sizeof(steps[0]))

static const struct step *step_find(const char *key)
{
    for (size_t i = 0; key && i < NSTEPS; i++)
        if (!strcmp(steps[i].key, key))
            return &steps[i];
    return NULL;
}

/* Returning is the leader's (AZ_DOC_DIRECT) while the document is presented to them,
 * the lead's (AZ_DOC_PROCESS) once it is assigned. */
static enum authz_action step_az(const struct step *st, unsigned state)
{
    if (st->kind == ST_RETURN && state == S_PRESENTED)
        return AZ_DOC_DIRECT;
    if (st->kind == ST_RETURN && state == S_REVIEWING)
        return AZ_DOC_APPROVE; /* a reviewer sends the draft back */
    return st->az;
}

/* One doc_participant row. */
struct prow {
    int64_t id, user_id, department_id, seq;
    char role[16], status[16], due[11];
};

/* The document as a step sees it: its state and the actor's own rows in force. */
struct wf_state {
    int64_t agency_id, created_by;
    unsigned state;
    char state_key[16], direction[16], due_date[11], deadline[11];
    struct prow leader_pending; /* presented to the actor, not yet directed */
    struct prow leader_done;    /* the actor's direction in force */
    struct prow unit;           /* the actor's unit is lead or co-handler (actor leads it) */
    struct prow own;            /* the actor (in person or through their unit) is lead or
                                 * co-handler, pending or in progress; lead preferred */
    int64_t own_parent;         /* do_return: the unit's row own was passed on from */
    int unseen;                 /* the actor's for-information rows not opened yet */
    struct prow review;         /* outgoing: the actor's reviewer/signer row in force */
    bool sealed;                /* outgoing: the agency signature is on */
    bool paper, digitised;      /* incoming: paper original; its scan signed (§5) */
    bool agency_key;            /* paper, not digitised: the agency can sign it (§5) */
    int64_t completed_at;       /* 0 while not completed */
};

static bool open_status(const char *s)
{
    return !strcmp(s, "pending") || !strcmp(s, "in_progress");
}

static result_t wf_load(struct db_conn *c, const struct actor *a, int64_t id, struct wf_state *w)
{
    memset(w, 0, sizeof(*w));
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT state, direction, agency_id, created_by, due_date, deadline, "
                          "sealed_at, medium, (SELECT COUNT(*) FROM doc_file f WHERE "
                          "f.document_id = $1 AND f.role = 'main' AND f.stage = 'digitised'), "
                          "state_before_recall, COALESCE(completed_at, 0) FROM document WHERE "
                          "id = $1",
                          "i", id);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW) {
        str_copy(w->state_key, db_col_text(s, 0), sizeof(w->state_key));
        str_copy(w->direction, db_col_text(s, 1), sizeof(w->direction));
        w->agency_id = db_col_i64(s, 2);
        w->created_by = db_col_null(s, 3) ? 0 : db_col_i64(s, 3);
        str_copy(w->due_date, db_col_null(s, 4) ? "" : db_col_text(s, 4), sizeof(w->due_date));
        str_copy(w->deadline, db_col_null(s, 5) ? "" : db_col_text(s, 5), sizeof(w->deadline));
        /* Incoming and outgoing documents have their workflows (internal: later). */
        unsigned bit = state_bit(w->state_key);
        w->state = !strcmp(w->direction, "incoming")   ? bit & (S_INCOMING | S_RECALL_REQ)
                   : !strcmp(w->direction, "outgoing") ? bit & S_OUTGOING
                                                       : 0;
        w->sealed = !db_col_null(s, 6);
        w->paper = !db_col_null(s, 7) && !strcmp(db_col_text(s, 7), "paper");
        w->digitised = db_col_i64(s, 8) > 0;
        if (!strcmp(w->direction, "incoming") && !strcmp(w->state_key, "recalled") &&
            !db_col_null(s, 9))
            w->state = S_RECALL_REQ;
        w->completed_at = db_col_i64(s, 10);
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    if (r == RES_OK && w->paper && !w->digitised && w->state == S_REGISTERED) {
        int64_t keys = 0;
        r = db_one_i64(c, &keys,
                       "SELECT COUNT(*) FROM signing_key WHERE agency_id = $1 AND user_id IS NULL "
                       "AND revoked_at = 0 AND not_before <= $2 AND not_after > $2",
                       "ii", w->agency_id, clock_now());
        w->agency_key = keys > 0;
    }
    if (r != RES_OK || !a)
        return r;
    bool unit_leader = (a->roles & ROLE_DEPARTMENT_LEADER) && a->department_id;
    r = db_query(c, &s,
                 "SELECT id, role, user_id, department_id, status, due_date, seen_at, seq FROM "
                 "doc_participant WHERE document_id = $1 AND active = 1 AND (user_id = $2 OR "
                 "(user_id IS NULL AND department_id = $3)) ORDER BY id",
                 "iiI", id, a->user_id, a->department_id);
    if (r != RES_OK)
        return r;
    while ((r = db_step(s)) == RES_ROW) {
        struct prow p = {.id = db_col_i64(s, 0),
                         .user_id = db_col_null(s, 2) ? 0 : db_col_i64(s, 2),
                         .department_id = db_col_null(s, 3) ? 0 : db_col_i64(s, 3)};
        str_copy(p.role, db_col_text(s, 1), sizeof(p.role));
        str_copy(p.status, db_col_text(s, 4), sizeof(p.status));
        str_copy(p.due, db_col_null(s, 5) ? "" : db_col_text(s, 5), sizeof(p.due));
        p.seq = db_col_i64(s, 7);
        bool person = p.user_id == a->user_id;
        bool working = !strcmp(p.role, "lead") || !strcmp(p.role, "co_handler");
        if (!strcmp(p.role, "leader") && person) {
            if (!strcmp(p.status, "pending"))
                w->leader_pending = p;
            else if (!strcmp(p.status, "done"))
                w->leader_done = p;
        } else if ((!strcmp(p.role, "reviewer") || !strcmp(p.role, "signer")) && person &&
                   open_status(p.status)) {
            w->review = p;
        } else if (!strcmp(p.role, "for_info") && (person || !p.user_id)) {
            /* in person, or the actor's unit informed as a whole */
            w->unseen += db_col_null(s, 6);
        } else if (working && open_status(p.status) && (person || unit_leader)) {
            if (!person && !w->unit.id)
                w->unit = p;
            /* lead before co-handler; in person before through the unit */
            bool better = !w->own.id || (!strcmp(p.role, "lead") && strcmp(w->own.role, "lead")) ||
                          (!strcmp(p.role, w->own.role) && person && !w->own.user_id);
            if (better)
                w->own = p;
        }
    }
    db_finalize(s);
    return r == RES_DONE ? RES_OK : r;
}

/* Do the actor's rows allow the step now (the state is checked already)? Else the
 * reason, in Vietnamese. */
static bool step_ready(const struct step *st, const struct wf_state *w, char *why, size_t n)
{
    const char *msg = NULL;
    bool lead = w->own.id && !strcmp(w->own.role, "lead");
    switch (st->kind) {
    case ST_PRESENT:
        /* §5: a paper original's scan is signed by the agency after digitising, before
         * it is presented — where the agency holds a valid signing key (an agency
         * without one cannot sign, and its work must go on). */
        if (w->paper && !w->digitised && w->agency_key)
            msg = "Văn bản giấy: bản số hóa phải có chữ ký số của cơ quan trước khi trình "
                  "(văn thư chọn “Ký số bản số hóa”).";
        break;
    case ST_ASSIGN:
        if (!w->leader_pending.id)
            msg = "Văn bản không trình cho đồng chí nên đồng chí không giao xử lý được.";
        break;
    case ST_CHANGE:
    case ST_WITHDRAW:
        if (!w->leader_done.id)
            msg = "Chỉ lãnh đạo đã giao xử lý văn bản mới thu hồi hoặc thay đổi được phân công.";
        break;
    case ST_REASSIGN:
        if (!w->unit.id)
            msg = "Chỉ lãnh đạo của đơn vị được giao chủ trì hoặc phối hợp (chưa giao tiếp) mới "
                  "giao xử lý trong đơn vị.";
        break;
    case ST_ACCEPT:
        if (!lead)
            msg = "Chỉ người (đơn vị) chủ trì mới tiếp nhận xử lý văn bản.";
        else if (strcmp(w->own.status, "pending"))
            msg = "Đồng chí đã tiếp nhận xử lý văn bản này.";
        break;
    case ST_COMMENT:
    case ST_ATTACH:
    case ST_FORWARD:
        if (!w->own.id)
            msg = "Chỉ người chủ trì và người phối hợp đang xử lý văn bản mới thực hiện được.";
        break;
    case ST_RETURN:
        if (w->state == S_PRESENTED && !w->leader_pending.id)
            msg = "Văn bản không trình cho đồng chí nên đồng chí không trả lại được.";
        else if (w->state == S_REVIEWING && !w->review.id)
            msg = "Dự thảo không ở bước duyệt của đồng chí nên đồng chí không trả lại được.";
        else if (w->state != S_PRESENTED && w->state != S_REVIEWING && !lead)
            msg = "Chỉ người (đơn vị) chủ trì mới trả lại văn bản cho lãnh đạo.";
        break;
    case ST_COMPLETE:
        if (!lead)
            msg = "Chỉ người (đơn vị) chủ trì mới hoàn thành xử lý văn bản.";
        break;
    case ST_VERSION:
    case ST_SUBMIT:
    case ST_SIGN:
    case ST_CANCEL:
    case ST_RECALL:
    case ST_PLAN:
    case ST_UPDATE:
    case ST_RECALL_AGREE:
    case ST_RECALL_REFUSE:
        break; /* the policy's current step decides (drafter, signer, clerks) */
    case ST_ASK:
        if (!w->review.id)
            msg = "Dự thảo không ở bước duyệt của đồng chí nên đồng chí không xin ý kiến được.";
        break;
    case ST_ANSWER:
        if (!w->own.id || strcmp(w->own.role, "co_handler"))
            msg = "Đơn vị của đồng chí không được xin ý kiến về dự thảo này (hoặc đã cho ý "
                  "kiến).";
        break;
    case ST_APPROVE:
        if (!w->review.id)
            msg = "Dự thảo không ở bước duyệt của đồng chí.";
        break;
    case ST_SEAL:
        if (w->sealed)
            msg = "Văn bản đã có chữ ký số của cơ quan.";
        break;
    case ST_DIGITISE:
        if (!w->paper)
            msg = "Chỉ văn bản giấy mới có bản số hóa để ký số của cơ quan.";
        else if (w->digitised)
            msg = "Bản số hóa của văn bản đã có chữ ký số của cơ quan.";
        break;
    case ST_ISSUE:
        if (!w->sealed)
            msg = "Văn bản chưa có chữ ký số của cơ quan (văn thư ký số, đóng dấu trước khi "
                  "ban hành).";
        break;
    }
    if (msg && why)
        str_copy(why, msg, n);
    return msg == NULL;
}

static void state_conflict(const struct step *st, const struct wf_state *w, struct verrs *e)
{
    bool out_step = st->kind >= ST_VERSION && st->kind != ST_DIGITISE &&
                    st->kind != ST_RECALL_AGREE && st->kind != ST_RECALL_REFUSE;
    /* an outgoing document past its circuit (recalled, cancelled) says which */
    if (!w->state && !(out_step && !strcmp(w->direction, "outgoing") && w->state_key[0]))
        verrs_add(e, "action", "Văn bản này không theo quy trình %s.",
                  out_step ? "văn bản đi" : "xử lý văn bản đến");
    else if (st->kind == ST_ASSIGN && (w->state & S_WORKING) && w->leader_done.id)
        verrs_add(e, "action",
                  "Văn bản đã được giao xử lý; để thay đổi phân công, gửi lại với change = "
                  "true (hoặc thu hồi trước).");
    else
        verrs_add(e, "action", "Không %s được: văn bản %s.", st->label, state_label(w->state_key));
}

/* ---- helpers of the writes ---- */

static const char *actor_name(const struct actor *a)
{
    return a->full_name[0] ? a->full_name : a->login;
}

/* Today's date in Vietnam (UTC+7) as "YYYY-MM-DD", the form deadlines are stored and
 * compared in (calendar_iso_to_vn makes the dd/mm/yyyy people read). */
static void today_iso_vn(int64_t now, char out[11])
{
    calendar_format_day(calendar_day_of(now), out, 11);
}

static result_t next_step(struct db_conn *c, int64_t id, int64_t *step)
{
    return db_one_i64(c, step,
                      "SELECT COALESCE(MAX(step), 0) + 1 FROM doc_history WHERE document_id = $1",
                      "i", id);
}

static result_t history_add(struct db_conn *c, int64_t id, int64_t step, const struct actor *a,
                            const char *action, const char *from, const char *to, int64_t to_user,
                            int64_t to_dept, const char *comment, int64_t now)
{
    return db_run(c,
                  "INSERT INTO doc_history (document_id, step, actor_id, actor_name, action, "
                  "from_state, to_state, to_user_id, to_department_id, comment, at) VALUES ($1, "
                  "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                  "iiItttt"
                  "IIti",
                  id, step, a->user_id, actor_name(a), action, from, to, to_user, to_dept,
                  comment ? comment : "", now);
}

static result_t part_add(struct db_conn *c, int64_t doc, int64_t step, const char *role,
                         const struct doc_target *t, int64_t person_dept, int64_t by,
                         int64_t parent, const char *due, const char *note, int64_t now,
                         int64_t *id)
{
    int64_t pid = 0;
    result_t r = db_one_i64(
        c, &pid,
        "INSERT INTO doc_participant (document_id, history_step, role, user_id, department_id, "
        "assigned_by, parent_id, status, active, due_date, note, created_at) VALUES ($1, $2, $3, "
        "$4, $5, $6, $7, 'pending', 1, $8, $9, $10) RETURNING id",
        "iitIIII"
        "tti",
        doc, step, role, t->user_id, t->user_id ? person_dept : t->department_id, by, parent,
        due && *due ? due : NULL, note ? note : "", now);
    if (id)
        *id = pid;
    return r == RES_OK ? doc_participant_keys(c, doc) : r;
}

static result_t set_state(struct db_conn *c, int64_t id, const char *state, int64_t now)
{
    return db_run(c, "UPDATE document SET state = $2, updated_at = $3 WHERE id = $1", "iti", id,
                  state, now);
}

static void audit_step(struct tx *t, const struct actor *a, int64_t agency, int64_t id,
                       const char *action, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void audit_step(struct tx *t, const struct actor *a, int64_t agency, int64_t id,
                       const char *action, const char *fmt, ...)
{
    char summary[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(summary, sizeof(summary), fmt, ap);
    va_end(ap);
    doc_audit(t, a, agency, id, action, summary);
}

/* A person of the agency (active post, account not locked): their unit and name. */
static result_t person_of(struct db_conn *c, int64_t agency, int64_t user_id, int64_t *dept,
                          unsigned *roles, char *name, size_t n)
{
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT m.department_id, m.roles, u.full_name FROM membership m JOIN "
                          "app_user u ON u.id = m.user_id WHERE m.user_id = $1 AND m.agency_id = "
                          "$2 AND m.active = 1 AND u.disabled = 0",
                          "ii", user_id, agency);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW) {
        if (dept)
            *dept = db_col_null(s, 0) ? 0 : db_col_i64(s, 0);
        if (roles)
            *roles = (unsigned)db_col_i64(s, 1);
        str_copy(name, db_col_text(s, 2), n);
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    return r;
}

static result_t unit_of(struct db_conn *c, int64_t agency, int64_t dept, char *name, size_t n)
{
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT name FROM department WHERE id = $1 AND agency_id = $2 AND active "
                          "= 1",
                          "ii", dept, agency);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW) {
        str_copy(name, db_col_text(s, 0), n);
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    return r;
}

/* ---- the input ---- */

/* The checked input of a step (strings malloc'd). */
struct wf_input {
    const struct doc_step_input *in;
    char *note;
    char *subject, *summary; /* update */
    char due[11];            /* update: the corrected due date, checked ("" = unchanged) */
    struct calendar *cal;    /* update adding recipients: the §4 receipt time */
    char deadline[11];       /* resolved: the date given, or today + working days */
};

/* A target's role in an assignment, for the messages. */
static const char *const group_field[3] = {"lead", "co_handlers", "for_info"};
static const char *const group_label[3] = {"chủ trì", "phối hợp", "nhận để biết"};

static bool same_target(const struct doc_target *x, const struct doc_target *y)
{
    return x->user_id ? x->user_id == y->user_id
                      : x->department_id == y->department_id && !y->user_id;
}

/* The lead, co-handlers and for-information lists: counts, one of person/unit each,
 * nobody twice. */
static void check_groups(const struct doc_step_input *in, struct verrs *e)
{
    if (in->nleads == 0)
        verrs_add(e, "lead", "Vui lòng chọn một đơn vị hoặc một cá nhân chủ trì xử lý.");
    else if (in->nleads > 1)
        verrs_add(e, "lead",
                  "Chỉ chọn một đơn vị hoặc một cá nhân chủ trì; các đơn vị, "
                  "cá nhân khác là phối hợp hoặc nhận để biết.");
    if (in->nco_handlers > DOC_MAX_CO_HANDLERS)
        verrs_add(e, "co_handlers", "Tối đa %d đơn vị, cá nhân phối hợp.", DOC_MAX_CO_HANDLERS);
    if (in->nfor_info > DOC_MAX_FOR_INFO)
        verrs_add(e, "for_info", "Tối đa %d đơn vị, cá nhân nhận để biết.", DOC_MAX_FOR_INFO);
    if (e->count)
        return;
    const struct doc_target *lists[3] = {in->leads, in->co_handlers, in->for_info};
    size_t counts[3] = {in->nleads, in->nco_handlers, in->nfor_info};
    for (int g = 0; g < 3; g++)
        for (size_t i = 0; i < counts[g]; i++) {
            const struct doc_target *t = &lists[g][i];
            if ((t->user_id > 0) == (t->department_id > 0)) {
                verrs_add(e, group_field[g],
                          "Mỗi nơi nhận phải là một cá nhân hoặc một đơn vị, không phải "
                          "cả hai.");
                return;
            }
            for (int h = 0; h <= g; h++)
                for (size_t j = 0; j < (h == g ? i : counts[h]); j++)
                    if (same_target(t, &lists[h][j])) {
                        verrs_add(e, group_field[g],
                                  "%s #%lld được chọn hai lần (%s và %s): mỗi đơn vị, cá nhân "
                                  "chỉ có một vai trò.",
                                  t->user_id ? "Cá nhân" : "Đơn vị",
                                  (long long)(t->user_id ? t->user_id : t->department_id),
                                  group_label[h], group_label[g]);
                        return;
                    }
        }
}

/* deadline or working_days (never both), not in the past; `fallback` (the document's
 * own due date) when neither is given and `required`. */
static void check_deadline(struct app *app, const struct doc_step_input *in, int64_t now,
                           bool required, const char *fallback, char out[11], struct verrs *e)
{
    out[0] = '\0';
    bool has_date = in->deadline && *in->deadline;
    char today[11];
    today_iso_vn(now, today);
    if (has_date && in->has_working_days) {
        verrs_add(e, "deadline",
                  "Chỉ nhập hạn xử lý (deadline) hoặc số ngày làm việc (working_days), không "
                  "nhập cả hai.");
        return;
    }
    if (in->has_working_days) {
        if (in->working_days < 1 || in->working_days > DOC_MAX_WORKING_DAYS) {
            verrs_add(e, "working_days", "Số ngày làm việc phải từ 1 đến %d.",
                      DOC_MAX_WORKING_DAYS);
            return;
        }
        /* §4: counted in working days of the installation's calendar from today. */
        struct calendar *cal = malloc(sizeof(*cal));
        if (!cal) {
            verrs_add(e, "working_days", "Không tính được hạn xử lý.");
            return;
        }
        calendar_init(cal);
        if (calendar_load(cal, app) != RES_OK) {
            free(cal);
            verrs_add(e, "working_days", "Không đọc được lịch làm việc để tính hạn xử lý.");
            return;
        }
        int64_t day = calendar_add_working_days(cal, calendar_day_of(now), (int)in->working_days);
        free(cal);
        calendar_format_day(day, out, 11);
        return;
    }
    if (has_date) {
        int64_t day;
        if (calendar_parse_day(in->deadline, &day) != RES_OK) {
            verrs_add(e, "deadline",
                      "Hạn xử lý “%s” không phải ngày hợp lệ; ngày có dạng ngày/tháng/năm.",
                      DOC_CUT(in->deadline, 20));
            return;
        }
        if (strcmp(in->deadline, today) < 0) {
            char given_vn[11], today_vn[11]; /* dd/mm/yyyy, as the page shows dates */
            calendar_iso_to_vn(in->deadline, given_vn);
            calendar_iso_to_vn(today, today_vn);
            verrs_add(e, "deadline", "Hạn xử lý %s đã qua (hôm nay là %s).", given_vn, today_vn);
            return;
        }
        str_copy(out, in->deadline, 11);
        return;
    }
    if (fallback && *fallback && strcmp(fallback, today) >= 0) {
        str_copy(out, fallback, 11);
        return;
    }
    if (required)
        verrs_add(e, "deadline", "Vui lòng nhập hạn xử lý: một ngày hoặc số ngày làm việc.");
}

/* ---- the transaction ---- */

struct wf_write {
    const struct step *st;
    const struct actor *a;
    struct app *app;
    int64_t id, now;
    struct wf_input *in;
    const struct stored_file *file; /* attach */
    const struct doc_step_ext *ext; /* version, sign, seal, issue (doc_outgoing.c) */
    struct tx *t;
    /* out */
    struct verrs e;
    int64_t file_id;
    char summary[400]; /* the step's part of the audit summary */
};

/* Every active row of the assignment in force (not the leaders') leaves the step:
 * pending or in-progress ones get `status`, all become inactive. */
static result_t close_round(struct db_conn *c, int64_t id, const char *status, int64_t now)
{
    return db_run(c,
                  "UPDATE doc_participant SET status = CASE WHEN status IN ('pending', "
                  "'in_progress') THEN $2 ELSE status END, done_at = CASE WHEN status IN "
                  "('pending', 'in_progress') THEN $3 ELSE done_at END, active = 0 WHERE "
                  "document_id = $1 AND active = 1 AND role <> 'leader'",
                  "iti", id, status, now);
}

/* The leader's row is theirs again (a withdrawn or returned assignment). */
static result_t leader_reopen(struct db_conn *c, int64_t row)
{
    return db_run(c, "UPDATE doc_participant SET status = 'pending', done_at = NULL WHERE id = $1",
                  "i", row);
}

/* The lead starts: its row in progress, the document in_progress (QCVN 102 status 05). */
static result_t start_if_pending(struct wf_write *w, struct db_conn *c, struct wf_state *s,
                                 int64_t *step)
{
    if (strcmp(w->st->key, "accept") &&
        (strcmp(s->own.role, "lead") || strcmp(s->own.status, "pending") || s->state != S_ASSIGNED))
        return RES_OK;
    result_t r = db_run(c, "UPDATE doc_participant SET status = 'in_progress' WHERE id = $1", "i",
                        s->own.id);
    if (r == RES_OK)
        r = set_state(c, w->id, "in_progress", w->now);
    if (r == RES_OK)
        r = history_add(c, w->id, *step, w->a, "started", s->state_key, "in_progress", 0, 0, "",
                        w->now);
    if (r == RES_OK) {
        (*step)++;
        str_copy(s->state_key, "in_progress", sizeof(s->state_key));
        s->state = S_IN_PROGRESS;
    }
    return r;
}

/* The targets of an assignment exist in the agency (unknown ids and other agencies'
 * are the same field error); inside a unit (`unit` != 0) only its people. Their units
 * go to depts[], the lead's name to lead_name. */
static result_t check_targets(struct db_conn *c, int64_t agency, int64_t unit,
                              const struct doc_step_input *in, int64_t *depts[3], char *lead_name,
                              size_t n, struct verrs *e)
{
    const struct doc_target *lists[3] = {in->leads, in->co_handlers, in->for_info};
    size_t counts[3] = {in->nleads, in->nco_handlers, in->nfor_info};
    for (int g = 0; g < 3; g++)
        for (size_t i = 0; i < counts[g]; i++) {
            const struct doc_target *t = &lists[g][i];
            char name[256] = "";
            int64_t dept = 0;
            result_t r;
            if (t->user_id) {
                r = person_of(c, agency, t->user_id, &dept, NULL, name, sizeof(name));
                if (r == RES_NOT_FOUND) {
                    verrs_add(e, group_field[g], "Không có cán bộ #%lld trong cơ quan.",
                              (long long)t->user_id);
                    continue;
                }
                if (r == RES_OK && unit && dept != unit) {
                    verrs_add(e, group_field[g],
                              "%s không thuộc đơn vị của đồng chí: trong đơn vị chỉ giao cho "
                              "cán bộ của đơn vị.",
                              DOC_CUT(name, 100));
                    continue;
                }
            } else if (unit) {
                verrs_add(e, group_field[g],
                          "Trong đơn vị chỉ giao cho cá nhân (user_id) của đơn vị.");
                continue;
            } else {
                r = unit_of(c, agency, t->department_id, name, sizeof(name));
                if (r == RES_NOT_FOUND) {
                    verrs_add(e, group_field[g], "Không có đơn vị #%lld trong cơ quan.",
                              (long long)t->department_id);
                    continue;
                }
            }
            if (r != RES_OK)
                return r;
            depts[g][i] = dept;
            if (g == 0)
                str_copy(lead_name, name, n);
        }
    return e->count ? RES_INVALID : RES_OK;
}

/* Lead, co-handlers and for-information rows of one assignment at `step`. */
static result_t assign_rows(struct wf_write *w, struct db_conn *c, int64_t step, int64_t parent,
                            const char *lead_role, int64_t *depts[3])
{
    const struct doc_step_input *in = w->in->in;
    const struct doc_target *lists[3] = {in->leads, in->co_handlers, in->for_info};
    size_t counts[3] = {in->nleads, in->nco_handlers, in->nfor_info};
    const char *roles[3] = {lead_role, "co_handler", "for_info"};
    for (int g = 0; g < 3; g++)
        for (size_t i = 0; i < counts[g]; i++) {
            result_t r =
                part_add(c, w->id, step, roles[g], &lists[g][i], depts[g][i], w->a->user_id, parent,
                         g < 2 ? w->in->deadline : NULL, g == 0 ? w->in->note : "", w->now, NULL);
            if (r != RES_OK)
                return r;
        }
    return RES_OK;
}

static result_t do_assign(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    const struct doc_step_input *in = w->in->in;
    int64_t d0[1] = {0}, d1[DOC_MAX_CO_HANDLERS] = {0}, d2[DOC_MAX_FOR_INFO] = {0};
    int64_t *depts[3] = {d0, d1, d2};
    char lead[256] = "";
    result_t r = check_targets(c, s->agency_id, 0, in, depts, lead, sizeof(lead), &w->e);
    if (r != RES_OK)
        return r;
    int64_t leader_row = s->leader_pending.id;
    const char *from = s->state_key;
    if (w->st->kind == ST_CHANGE) {
        /* withdraw + assign in one transaction: the old rows leave, the leader's row is
         * pending again for the instant of the new direction. */
        leader_row = s->leader_done.id;
        if ((r = close_round(c, w->id, "withdrawn", w->now)) != RES_OK ||
            (r = history_add(c, w->id, step, w->a, "withdrawn", from, "presented", 0, 0,
                             "Thay đổi phân công", w->now)) != RES_OK)
            return r;
        step++;
        from = "presented";
    }
    if ((r = assign_rows(w, c, step, 0, "lead", depts)) != RES_OK)
        return r;
    r = db_run(c,
               "UPDATE doc_participant SET status = 'done', done_at = $2, active = 1 WHERE id = $1",
               "ii", leader_row, w->now);
    if (r == RES_OK)
        r = db_run(c,
                   "UPDATE document SET state = 'assigned', deadline = $2, updated_at = $3 WHERE "
                   "id = $1",
                   "iti", w->id, w->in->deadline, w->now);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, "assigned", from, "assigned", in->leads[0].user_id,
                        in->leads[0].user_id ? 0 : in->leads[0].department_id, w->in->note, w->now);
    snprintf(w->summary, sizeof(w->summary), "chủ trì: %s, hạn %s", DOC_CUT(lead, 150),
             w->in->deadline);
    return r;
}

static result_t do_present(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    int64_t leader = w->in->in->leader_id, dept = 0;
    unsigned roles = 0;
    char name[256] = "";
    result_t r = leader > 0 ? person_of(c, s->agency_id, leader, &dept, &roles, name, sizeof(name))
                            : RES_NOT_FOUND;
    if (r == RES_NOT_FOUND ||
        (r == RES_OK && !(roles & (ROLE_AGENCY_LEADER | ROLE_DEPARTMENT_LEADER)))) {
        if (leader <= 0)
            verrs_add(&w->e, "leader_id", "Vui lòng chọn lãnh đạo nhận trình (leader_id).");
        else if (r == RES_NOT_FOUND)
            verrs_add(&w->e, "leader_id", "Không có cán bộ #%lld trong cơ quan.",
                      (long long)leader);
        else
            verrs_add(&w->e, "leader_id",
                      "%s không phải lãnh đạo cơ quan hay lãnh đạo đơn vị: văn bản chỉ trình "
                      "lãnh đạo.",
                      DOC_CUT(name, 100));
        return RES_INVALID;
    }
    if (r != RES_OK)
        return r;
    struct doc_target t = {.user_id = leader};
    r = part_add(c, w->id, step, "leader", &t, dept, w->a->user_id, 0, NULL, w->in->note, w->now,
                 NULL);
    if (r == RES_OK)
        r = set_state(c, w->id, "presented", w->now);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, "presented", s->state_key, "presented", leader, 0,
                        w->in->note, w->now);
    snprintf(w->summary, sizeof(w->summary), "trình %s", DOC_CUT(name, 150));
    return r;
}

static result_t do_reassign(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    const struct doc_step_input *in = w->in->in;
    const struct prow *unit = &s->unit;
    /* §5 the unit passes it on within the leader's deadline: shorter, never later. */
    if (!w->in->deadline[0])
        str_copy(w->in->deadline, unit->due, sizeof(w->in->deadline));
    else if (unit->due[0] && strcmp(w->in->deadline, unit->due) > 0) {
        verrs_add(&w->e, in->has_working_days ? "working_days" : "deadline",
                  "Hạn xử lý %s sau hạn lãnh đạo đã giao cho đơn vị (%s): chỉ được rút ngắn, "
                  "không được kéo dài.",
                  w->in->deadline, unit->due);
        return RES_INVALID;
    }
    int64_t d0[1] = {0}, d1[DOC_MAX_CO_HANDLERS] = {0}, d2[DOC_MAX_FOR_INFO] = {0};
    int64_t *depts[3] = {d0, d1, d2};
    char lead[256] = "";
    result_t r =
        check_targets(c, s->agency_id, unit->department_id, in, depts, lead, sizeof(lead), &w->e);
    if (r != RES_OK)
        return r;
    /* The person takes the unit's role: lead for a lead unit, co-handler for one that
     * co-operates. */
    const char *role = !strcmp(unit->role, "lead") ? "lead" : "co_handler";
    if ((r = assign_rows(w, c, step, unit->id, role, depts)) != RES_OK)
        return r;
    r = db_run(c, "UPDATE doc_participant SET status = 'forwarded', done_at = $2 WHERE id = $1",
               "ii", unit->id, w->now);
    if (r == RES_OK)
        r = doc_touch(c, w->id, w->now);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, "reassigned", s->state_key, s->state_key,
                        in->leads[0].user_id, 0, w->in->note, w->now);
    snprintf(w->summary, sizeof(w->summary), "%s: %s, hạn %s",
             !strcmp(role, "lead") ? "chủ trì" : "phối hợp", DOC_CUT(lead, 150),
             w->in->deadline[0] ? w->in->deadline : "không");
    return r;
}

static result_t do_withdraw(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    result_t r = close_round(c, w->id, "withdrawn", w->now);
    if (r == RES_OK)
        r = leader_reopen(c, s->leader_done.id);
    if (r == RES_OK)
        r = db_run(c,
                   "UPDATE document SET state = 'presented', deadline = NULL, updated_at = $2 "
                   "WHERE id = $1",
                   "ii", w->id, w->now);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, "withdrawn", s->state_key, "presented", 0, 0,
                        w->in->note, w->now);
    snprintf(w->summary, sizeof(w->summary), "thu hồi phân công");
    return r;
}

static result_t do_comment(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    bool part_done = w->in->in->part_done;
    if (part_done && strcmp(s->own.role, "co_handler")) {
        verrs_add(&w->e, "part_done",
                  "Chỉ người phối hợp đánh dấu xong phần việc; người chủ trì dùng Hoàn thành.");
        return RES_INVALID;
    }
    result_t r = start_if_pending(w, c, s, &step);
    if (r == RES_OK && part_done)
        r = db_run(c, "UPDATE doc_participant SET status = 'done', done_at = $2 WHERE id = $1",
                   "ii", s->own.id, w->now);
    if (r == RES_OK)
        r = doc_touch(c, w->id, w->now);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, part_done ? "part_done" : "commented", s->state_key,
                        s->state_key, 0, 0, w->in->note, w->now);
    snprintf(w->summary, sizeof(w->summary), "%s", part_done ? "xong phần phối hợp" : "ý kiến");
    return r;
}

static result_t do_attach(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    result_t r = start_if_pending(w, c, s, &step);
    int64_t seq = 0;
    if (r == RES_OK)
        r = db_one_i64(c, &seq,
                       "SELECT COALESCE(MAX(seq), 0) + 1 FROM doc_file WHERE document_id = $1 AND "
                       "role = 'working'",
                       "i", w->id);
    struct stored_file f = *w->file;
    f.role = "working";
    f.seq = (int)seq;
    if (r == RES_OK)
        r = doc_file_insert(c, w->id, &f, w->a->user_id, w->now, &w->file_id);
    if (r == RES_OK)
        r = doc_touch(c, w->id, w->now);
    char comment[DOC_NOTE_MAX * 4 + 400];
    snprintf(comment, sizeof(comment), "Tệp xử lý “%s”%s%s", f.name, w->in->note[0] ? ": " : "",
             w->in->note);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, "attached", s->state_key, s->state_key, 0, 0, comment,
                        w->now);
    snprintf(w->summary, sizeof(w->summary), "tệp “%s”", DOC_CUT(f.name, 150));
    return r;
}

static result_t do_forward(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    const struct doc_step_input *in = w->in->in;
    const char *role = in->role && *in->role ? in->role : "co_handler";
    if (strcmp(role, "co_handler") && strcmp(role, "for_info")) {
        verrs_add(&w->e, "role", "Vai trò phải là phối hợp hoặc nhận để biết.");
        return RES_INVALID;
    }
    char name[256] = "";
    int64_t dept = 0, busy = 0;
    result_t r = in->user_id > 0
                     ? person_of(c, s->agency_id, in->user_id, &dept, NULL, name, sizeof(name))
                     : RES_NOT_FOUND;
    if (r == RES_NOT_FOUND) {
        if (in->user_id > 0)
            verrs_add(&w->e, "user_id", "Không có cán bộ #%lld trong cơ quan.",
                      (long long)in->user_id);
        else
            verrs_add(&w->e, "user_id", "Vui lòng chọn cán bộ nhận (user_id).");
        return RES_INVALID;
    }
    if (r != RES_OK)
        return r;
    if (in->user_id == w->a->user_id) {
        verrs_add(&w->e, "user_id", "Không chuyển văn bản cho chính mình.");
        return RES_INVALID;
    }
    r = db_one_i64(c, &busy,
                   "SELECT COUNT(*) FROM doc_participant WHERE document_id = $1 AND user_id = $2 "
                   "AND active = 1 AND status IN ('pending', 'in_progress')",
                   "ii", w->id, in->user_id);
    if (r != RES_OK)
        return r;
    if (busy) {
        verrs_add(&w->e, "user_id", "%s đang tham gia xử lý văn bản này.", DOC_CUT(name, 100));
        return RES_INVALID;
    }
    if ((r = start_if_pending(w, c, s, &step)) != RES_OK)
        return r;
    struct doc_target t = {.user_id = in->user_id};
    r = part_add(c, w->id, step, role, &t, dept, w->a->user_id, s->own.id,
                 !strcmp(role, "co_handler") ? s->own.due : NULL, w->in->note, w->now, NULL);
    if (r == RES_OK)
        r = doc_touch(c, w->id, w->now);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, "forwarded", s->state_key, s->state_key, in->user_id,
                        0, w->in->note, w->now);
    snprintf(w->summary, sizeof(w->summary), "chuyển %s (%s)", DOC_CUT(name, 150),
             !strcmp(role, "co_handler") ? "phối hợp" : "nhận để biết");
    return r;
}

/* The unit a lead in person was given the document by (do_reassign): the department of
 * the lead unit's row the actor's row was passed on from, still open ('forwarded');
 * *dept = 0 when the lead was assigned by the leader directly. Sets s->own_parent. */
static result_t unit_of_lead(struct db_conn *c, struct wf_state *s, int64_t *dept)
{
    *dept = 0;
    if (!s->own.user_id || strcmp(s->own.role, "lead"))
        return RES_OK;
    struct db_stmt *q = NULL;
    result_t r = db_query(c, &q,
                          "SELECT u.id, u.department_id FROM doc_participant p JOIN "
                          "doc_participant u ON u.id = p.parent_id WHERE p.id = $1 AND "
                          "u.role = 'lead' AND u.user_id IS NULL AND u.active = 1 AND "
                          "u.status = 'forwarded'",
                          "i", s->own.id);
    if (r != RES_OK)
        return r;
    r = db_step(q);
    if (r == RES_ROW) {
        s->own_parent = db_col_i64(q, 0);
        *dept = db_col_null(q, 1) ? 0 : db_col_i64(q, 1);
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_OK;
    }
    db_finalize(q);
    return r;
}

static result_t do_return(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    result_t r;
    int64_t to = 0;
    const char *to_state;
    if (s->state == S_PRESENTED) {
        /* The leader sends it back to the clerks (the one who presented it). */
        to_state = "registered";
        r = db_run(c,
                   "UPDATE doc_participant SET status = 'returned', done_at = $2, active = 0 "
                   "WHERE id = $1",
                   "ii", s->leader_pending.id, w->now);
        if (r == RES_OK)
            r = db_one_i64(
                c, &to, "SELECT COALESCE(MAX(assigned_by), 0) FROM doc_participant WHERE id = $1",
                "i", s->leader_pending.id);
    } else if ((r = unit_of_lead(c, s, &to)) != RES_OK || to) {
        /* The person the lead unit passed it on to sends it back to the unit (§5): the
         * unit's row is open again for its leaders to re-assign; the leader's direction
         * and deadline stay. Everything the unit handed down leaves the step. */
        if (r != RES_OK)
            return r;
        to_state = "assigned";
        r = db_run(c,
                   "WITH RECURSIVE sub(id) AS (SELECT id FROM doc_participant WHERE parent_id = "
                   "$1 UNION ALL SELECT p.id FROM doc_participant p JOIN sub ON p.parent_id = "
                   "sub.id) UPDATE doc_participant SET status = CASE WHEN status IN ('pending', "
                   "'in_progress') THEN 'returned' ELSE status END, done_at = CASE WHEN status "
                   "IN ('pending', 'in_progress') THEN $2 ELSE done_at END, active = 0 WHERE id "
                   "IN (SELECT id FROM sub) AND active = 1",
                   "ii", s->own_parent, w->now);
        if (r == RES_OK)
            r = db_run(c,
                       "UPDATE doc_participant SET status = 'pending', done_at = NULL WHERE id = "
                       "$1",
                       "i", s->own_parent);
        if (r == RES_OK)
            r = db_run(c, "UPDATE document SET state = $2, updated_at = $3 WHERE id = $1", "iti",
                       w->id, to_state, w->now);
        if (r == RES_OK)
            r = history_add(c, w->id, step, w->a, "returned", s->state_key, to_state, 0, to,
                            w->in->note, w->now);
        snprintf(w->summary, sizeof(w->summary), "trả lại đơn vị: %s", DOC_CUT(w->in->note, 200));
        return r;
    } else {
        /* The lead sends it back to the leader who assigned it: presented again. */
        to_state = "presented";
        r = db_one_i64(c, &to,
                       "SELECT COALESCE(MAX(user_id), 0) FROM doc_participant WHERE document_id = "
                       "$1 AND role = 'leader' AND active = 1 AND status = 'done'",
                       "i", w->id);
        if (r == RES_OK)
            r = close_round(c, w->id, "returned", w->now);
        if (r == RES_OK)
            r = db_run(c,
                       "UPDATE doc_participant SET status = 'pending', done_at = NULL WHERE "
                       "document_id = $1 AND role = 'leader' AND active = 1 AND status = 'done'",
                       "i", w->id);
    }
    if (r == RES_OK)
        r = db_run(c,
                   "UPDATE document SET state = $2, deadline = NULL, updated_at = $3 WHERE id = $1",
                   "iti", w->id, to_state, w->now);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, "returned", s->state_key, to_state, to, 0,
                        w->in->note, w->now);
    snprintf(w->summary, sizeof(w->summary), "trả lại: %s", DOC_CUT(w->in->note, 200));
    return r;
}

static result_t do_complete(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    result_t r = db_run(c,
                        "UPDATE doc_participant SET status = 'done', done_at = $2 WHERE "
                        "document_id = $1 AND active = 1 AND status IN ('pending', 'in_progress')",
                        "ii", w->id, w->now);
    if (r == RES_OK)
        r = db_run(c,
                   "UPDATE document SET state = 'completed', completed_at = $2, updated_at = $2 "
                   "WHERE id = $1",
                   "ii", w->id, w->now);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, "completed", s->state_key, "completed", 0, 0,
                        w->in->note, w->now);
    snprintf(w->summary, sizeof(w->summary), "kết quả: %s", DOC_CUT(w->in->note, 200));
    return r;
}

/* ---- the outgoing circuit (issue 12, standards.md §6) ---- */

/* The step acted on the newest version of the main file: the history row says which. */
static result_t history_version(struct db_conn *c, int64_t id, int64_t step)
{
    return db_run(c,
                  "UPDATE doc_history SET file_version = (SELECT MAX(version) FROM doc_file WHERE "
                  "document_id = $1 AND role = 'main') WHERE document_id = $1 AND step = $2",
                  "ii", id, step);
}

/* The drafter sends the draft round the circuit: the reviewers in order, the signer
 * (the document's intended signer) last. The first one's row is the step in force;
 * the others wait (inactive, pending) for their turn. */
/* The reviewers of a circuit (at most DOC_MAX_REVIEWERS, people of the agency, the
 * drafter not among them, nobody twice, the signer not listed: they come last) with
 * the signer appended; depts[i] = their units, first = the first one's name. */
static result_t check_reviewers(struct wf_write *w, struct db_conn *c, struct wf_state *s,
                                const int64_t *ids, size_t n, int64_t signer, int64_t *depts,
                                char *first, size_t nfirst)
{
    if (n > DOC_MAX_REVIEWERS) {
        verrs_add(&w->e, "reviewers", "Tối đa %d người duyệt trước người ký.", DOC_MAX_REVIEWERS);
        return RES_INVALID;
    }
    char name[256] = "";
    for (size_t i = 0; i <= n; i++) {
        int64_t uid = i < n ? ids[i] : signer;
        const char *field = i < n ? "reviewers" : "signer_id";
        result_t r = uid > 0 ? person_of(c, s->agency_id, uid, &depts[i], NULL, name, sizeof(name))
                             : RES_NOT_FOUND;
        if (r == RES_NOT_FOUND) {
            verrs_add(&w->e, field, "Không có cán bộ #%lld trong cơ quan.", (long long)uid);
            return RES_INVALID;
        }
        if (r != RES_OK)
            return r;
        for (size_t j = 0; j < i; j++)
            if (ids[j] == uid) {
                verrs_add(&w->e, "reviewers",
                          "%s có hai lần trong quy trình duyệt (người ký duyệt cuối cùng, không "
                          "cần ghi vào danh sách người duyệt).",
                          DOC_CUT(name, 100));
                return RES_INVALID;
            }
        if (uid == w->a->user_id && i < n) {
            verrs_add(&w->e, "reviewers", "Người soạn thảo không tự duyệt dự thảo của mình.");
            return RES_INVALID;
        }
        if (i == 0)
            str_copy(first, name, nfirst);
    }
    return RES_OK;
}

/* The draft's review_plan ("id,id,...") as ids. */
static result_t plan_load(struct db_conn *c, int64_t id, int64_t *ids, size_t *n)
{
    *n = 0;
    struct db_stmt *q = NULL;
    char plan[DOC_MAX_REVIEWERS * 24] = "";
    result_t r = db_query(c, &q, "SELECT review_plan FROM document WHERE id = $1", "i", id);
    if (r != RES_OK)
        return r;
    if ((r = db_step(q)) == RES_ROW)
        str_copy(plan, db_col_text(q, 0), sizeof(plan));
    db_finalize(q);
    char *save = NULL;
    for (char *tok = strtok_r(plan, ",", &save); tok && *n < DOC_MAX_REVIEWERS;
         tok = strtok_r(NULL, ",", &save)) {
        int64_t v = 0;
        if (str_to_i64(tok, 1, INT64_MAX, &v) == RES_OK)
            ids[(*n)++] = v;
    }
    return r == RES_ROW || r == RES_DONE ? RES_OK : r;
}

/* The drafter edits the planned circuit (from the agency's template, §6). */
static result_t do_plan(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    const struct doc_step_input *in = w->in->in;
    int64_t signer = 0, depts[DOC_MAX_REVIEWERS + 1] = {0};
    char first[256] = "", plan[DOC_MAX_REVIEWERS * 24] = "";
    result_t r = db_one_i64(c, &signer, "SELECT COALESCE(signer_id, 0) FROM document WHERE id = $1",
                            "i", w->id);
    if (r == RES_OK)
        r = check_reviewers(w, c, s, in->reviewers, in->nreviewers, signer, depts, first,
                            sizeof(first));
    if (r != RES_OK)
        return r;
    for (size_t i = 0; i < in->nreviewers; i++) {
        size_t used = strlen(plan);
        snprintf(plan + used, sizeof(plan) - used, "%s%lld", i ? "," : "",
                 (long long)in->reviewers[i]);
    }
    r = db_run(c, "UPDATE document SET review_plan = $2, updated_at = $3 WHERE id = $1", "iti",
               w->id, plan, w->now);
    char comment[300];
    snprintf(comment, sizeof(comment), "Quy trình duyệt: %zu người duyệt trước người ký",
             in->nreviewers);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, "plan_changed", s->state_key, s->state_key, 0, 0,
                        comment, w->now);
    snprintf(w->summary, sizeof(w->summary), "%s", comment);
    return r;
}

/* The drafter sends the draft round the circuit: the reviewers in order (given, else
 * the draft's review_plan), the signer (the document's intended signer) last. The
 * first one's row is the step in force; the others wait (inactive, pending). */
static result_t do_submit(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    const struct doc_step_input *in = w->in->in;
    int64_t signer = 0, mains = 0, planned[DOC_MAX_REVIEWERS];
    const int64_t *ids = in->reviewers;
    size_t n = in->nreviewers;
    result_t r = db_one_i64(c, &signer, "SELECT COALESCE(signer_id, 0) FROM document WHERE id = $1",
                            "i", w->id);
    if (r == RES_OK)
        r = db_one_i64(c, &mains,
                       "SELECT COUNT(*) FROM doc_file WHERE document_id = $1 AND role = 'main'",
                       "i", w->id);
    if (r == RES_OK && !ids) {
        r = plan_load(c, w->id, planned, &n);
        ids = planned;
    }
    if (r != RES_OK)
        return r;
    if (!mains) {
        verrs_add(&w->e, "file",
                  "Dự thảo chưa có tệp văn bản (tệp chính): tải lên trước khi trình.");
        return RES_INVALID;
    }
    int64_t depts[DOC_MAX_REVIEWERS + 1] = {0};
    char first[256] = "";
    if ((r = check_reviewers(w, c, s, ids, n, signer, depts, first, sizeof(first))) != RES_OK)
        return r;
    for (size_t i = 0; i <= n; i++) {
        bool last = i == n;
        int64_t uid = last ? signer : ids[i];
        int64_t pid = 0;
        r = db_one_i64(c, &pid,
                       "INSERT INTO doc_participant (document_id, history_step, role, user_id, "
                       "department_id, assigned_by, status, active, note, created_at, seq) VALUES "
                       "($1, $2, $3, $4, $5, $6, 'pending', $7, '', $8, $9) RETURNING id",
                       "iitiIiiii", w->id, step, last ? "signer" : "reviewer", uid, depts[i],
                       w->a->user_id, (int64_t)(i == 0), w->now, (int64_t)(i + 1));
        if (r != RES_OK)
            return r;
    }
    if ((r = doc_participant_keys(c, w->id)) != RES_OK)
        return r;
    r = db_run(c,
               "UPDATE doc_participant SET status = 'done', done_at = $2 WHERE document_id = $1 "
               "AND role = 'drafter' AND active = 1 AND status = 'pending'",
               "ii", w->id, w->now);
    if (r == RES_OK)
        r = set_state(c, w->id, "reviewing", w->now);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, "submitted", s->state_key, "reviewing",
                        n ? ids[0] : signer, 0, w->in->note, w->now);
    if (r == RES_OK)
        r = history_version(c, w->id, step);
    snprintf(w->summary, sizeof(w->summary), "trình %s (%zu người duyệt)", DOC_CUT(first, 150),
             n + 1);
    return r;
}

/* The opinions the reviewer asked leave with their decision (approve or return): the
 * circuit goes on when the asking reviewer decides (§6). */
static result_t opinions_close(struct db_conn *c, int64_t id, int64_t row, int64_t now)
{
    return db_run(c,
                  "UPDATE doc_participant SET status = CASE WHEN status IN ('pending', "
                  "'in_progress') THEN 'withdrawn' ELSE status END, done_at = COALESCE(done_at, "
                  "$3), active = 0 WHERE document_id = $1 AND role = 'co_handler' AND parent_id = "
                  "$2 AND active = 1",
                  "iii", id, row, now);
}

/* xin ý kiến: one co_handler row per unit asked (parent_id = the asking reviewer's
 * row), with the due date and the question. */
static result_t do_ask(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    const struct doc_step_input *in = w->in->in;
    if (!in->ndepartments || in->ndepartments > DOC_MAX_OPINIONS) {
        verrs_add(&w->e, "departments", "Chọn từ 1 đến %d đơn vị để xin ý kiến.", DOC_MAX_OPINIONS);
        return RES_INVALID;
    }
    char names[600] = "";
    for (size_t i = 0; i < in->ndepartments; i++) {
        char name[256] = "";
        result_t r = unit_of(c, s->agency_id, in->departments[i], name, sizeof(name));
        if (r == RES_NOT_FOUND) {
            verrs_add(&w->e, "departments", "Không có đơn vị #%lld trong cơ quan.",
                      (long long)in->departments[i]);
            return RES_INVALID;
        }
        if (r != RES_OK)
            return r;
        for (size_t j = 0; j < i; j++)
            if (in->departments[j] == in->departments[i]) {
                verrs_add(&w->e, "departments", "%s được chọn hai lần.", DOC_CUT(name, 100));
                return RES_INVALID;
            }
        struct doc_target t = {.department_id = in->departments[i]};
        r = part_add(c, w->id, step, "co_handler", &t, 0, w->a->user_id, s->review.id,
                     w->in->deadline, w->in->note, w->now, NULL);
        if (r != RES_OK)
            return r;
        size_t used = strlen(names);
        snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "", DOC_CUT(name, 100));
    }
    char comment[DOC_NOTE_MAX * 4 + 800], due_vn[11];
    calendar_iso_to_vn(w->in->deadline, due_vn);
    snprintf(comment, sizeof(comment), "Xin ý kiến %s (hạn %s): %s", names, due_vn, w->in->note);
    result_t r = doc_touch(c, w->id, w->now);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, "opinion_asked", s->state_key, s->state_key, 0, 0,
                        comment, w->now);
    snprintf(w->summary, sizeof(w->summary), "xin ý kiến %s", DOC_CUT(names, 300));
    return r;
}

/* The asked unit answers (its leader, §5 a unit acts through its leaders). */
static result_t do_answer(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    char name[256] = "";
    result_t r = unit_of(c, s->agency_id, s->own.department_id, name, sizeof(name));
    if (r == RES_NOT_FOUND)
        r = RES_OK;
    if (r == RES_OK)
        r = db_run(c,
                   "UPDATE doc_participant SET status = 'done', done_at = $2, answer = $3 WHERE "
                   "id = $1",
                   "iit", s->own.id, w->now, w->in->note);
    if (r == RES_OK)
        r = doc_touch(c, w->id, w->now);
    char comment[DOC_NOTE_MAX * 4 + 300];
    snprintf(comment, sizeof(comment), "%s: %s", DOC_CUT(name, 200), w->in->note);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, "opinion_given", s->state_key, s->state_key, 0,
                        s->own.department_id, comment, w->now);
    snprintf(w->summary, sizeof(w->summary), "ý kiến của %s", DOC_CUT(name, 200));
    return r;
}

/* A reviewer passes the draft on to the next one; the signer's approval ends the circuit
 * (approved): the PDF they approved is fixed by its hash, and signing must match it. */
static result_t do_approve(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    const struct prow *me = &s->review;
    result_t r = opinions_close(c, w->id, me->id, w->now);
    if (r != RES_OK)
        return r;
    if (!strcmp(me->role, "signer")) {
        struct db_stmt *q = NULL;
        char hash[80] = "", fmt[16] = "";
        r = db_query(c, &q,
                     "SELECT blob_hash, format FROM doc_file WHERE document_id = $1 AND role = "
                     "'main' ORDER BY version DESC, id DESC LIMIT 1",
                     "i", w->id);
        if (r != RES_OK)
            return r;
        if ((r = db_step(q)) == RES_ROW) {
            str_copy(hash, db_col_text(q, 0), sizeof(hash));
            str_copy(fmt, db_col_text(q, 1), sizeof(fmt));
            r = RES_OK;
        }
        db_finalize(q);
        if (r != RES_OK && r != RES_DONE)
            return r;
        if (strcmp(fmt, "pdf")) {
            verrs_add(&w->e, "action",
                      "Phiên bản mới nhất của dự thảo không phải PDF: người soạn thảo tải lên bản "
                      "PDF trước khi trình ký (văn bản ký số là tệp PDF).");
            return RES_CONFLICT;
        }
        /* The signer's row stays the step in force: signing is theirs next. */
        r = db_run(c, "UPDATE doc_participant SET status = 'in_progress' WHERE id = $1", "i",
                   me->id);
        if (r == RES_OK)
            r = db_run(
                c,
                "UPDATE document SET state = 'approved', approved_hash = $2, updated_at = $3 "
                "WHERE id = $1",
                "iti", w->id, hash, w->now);
        if (r == RES_OK)
            r = history_add(c, w->id, step, w->a, "approved", s->state_key, "approved", 0, 0,
                            w->in->note, w->now);
        snprintf(w->summary, sizeof(w->summary), "người ký duyệt");
    } else {
        int64_t next = 0, next_user = 0;
        r = db_run(
            c,
            "UPDATE doc_participant SET status = 'done', done_at = $2, active = 0 WHERE id = "
            "$1",
            "ii", me->id, w->now);
        if (r == RES_OK)
            r = db_one_i64(c, &next,
                           "SELECT COALESCE(MIN(id), 0) FROM doc_participant WHERE document_id = "
                           "$1 AND role IN ('reviewer', 'signer') AND active = 0 AND status = "
                           "'pending' AND seq > $2",
                           "ii", w->id, me->seq);
        if (r == RES_OK && !next)
            return RES_INTERNAL; /* the signer's row is always last */
        if (r == RES_OK)
            r = db_one_i64(c, &next_user, "SELECT user_id FROM doc_participant WHERE id = $1", "i",
                           next);
        if (r == RES_OK)
            r = db_run(c, "UPDATE doc_participant SET active = 1 WHERE id = $1", "i", next);
        if (r == RES_OK)
            r = doc_touch(c, w->id, w->now);
        if (r == RES_OK)
            r = history_add(c, w->id, step, w->a, "reviewed", s->state_key, s->state_key, next_user,
                            0, w->in->note, w->now);
        snprintf(w->summary, sizeof(w->summary), "duyệt, chuyển người duyệt tiếp");
    }
    if (r == RES_OK)
        r = history_version(c, w->id, step);
    return r;
}

/* A reviewer sends the draft back with a reason: to the drafter (draft again, the
 * circuit closed), or to an earlier reviewer (user_id), from whom the circuit runs
 * again in the same order. */
static result_t do_return_draft(struct wf_write *w, struct db_conn *c, struct wf_state *s,
                                int64_t step)
{
    const struct prow *me = &s->review;
    int64_t to = w->in->in->user_id, to_seq = 0, drafter = 0;
    result_t r = opinions_close(c, w->id, me->id, w->now);
    if (r != RES_OK)
        return r;
    if (to) {
        r = db_one_i64(c, &to_seq,
                       "SELECT COALESCE(MAX(seq), 0) FROM doc_participant WHERE document_id = $1 "
                       "AND role = 'reviewer' AND user_id = $2 AND status = 'done' AND seq < $3",
                       "iii", w->id, to, me->seq);
        if (r != RES_OK)
            return r;
        if (!to_seq) {
            verrs_add(&w->e, "user_id",
                      "Cán bộ #%lld không phải người đã duyệt dự thảo trước đồng chí: chỉ trả "
                      "lại người soạn thảo hoặc một người duyệt trước.",
                      (long long)to);
            return RES_INVALID;
        }
        /* A new round from that reviewer on: the last row of every place in the order. */
        r = db_run(c,
                   "INSERT INTO doc_participant (document_id, history_step, role, user_id, "
                   "department_id, assigned_by, parent_id, status, active, note, created_at, seq) "
                   "SELECT p.document_id, $2, p.role, p.user_id, p.department_id, $3, p.id, "
                   "'pending', CASE WHEN p.seq = $4 THEN 1 ELSE 0 END, '', $5, p.seq FROM "
                   "doc_participant p WHERE p.document_id = $1 AND p.role IN ('reviewer', "
                   "'signer') AND p.seq >= $4 AND p.id = (SELECT MAX(q.id) FROM doc_participant q "
                   "WHERE q.document_id = p.document_id AND q.seq = p.seq AND q.role IN "
                   "('reviewer', 'signer'))",
                   "iiiii", w->id, step, w->a->user_id, to_seq, w->now);
        if (r == RES_OK)
            r = doc_participant_keys(c, w->id);
    } else {
        r = db_run(c,
                   "UPDATE doc_participant SET status = 'pending', done_at = NULL WHERE "
                   "document_id = $1 AND role = 'drafter' AND active = 1",
                   "i", w->id);
        if (r == RES_OK)
            r = db_one_i64(c, &drafter,
                           "SELECT COALESCE(MAX(user_id), 0) FROM doc_participant WHERE "
                           "document_id = $1 AND role = 'drafter' AND active = 1",
                           "i", w->id);
    }
    if (r == RES_OK)
        r = db_run(c,
                   "UPDATE doc_participant SET status = 'returned', done_at = $2, active = 0 WHERE "
                   "id = $1",
                   "ii", me->id, w->now);
    if (r == RES_OK) /* the places still waiting leave: their new round starts later */
        r = db_run(c,
                   "UPDATE doc_participant SET status = 'withdrawn', done_at = $2 WHERE "
                   "document_id = $1 AND role IN ('reviewer', 'signer') AND active = 0 AND "
                   "status = 'pending' AND history_step <> $3",
                   "iii", w->id, w->now, step);
    const char *to_state = to ? "reviewing" : "draft";
    if (r == RES_OK)
        r = set_state(c, w->id, to_state, w->now);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, "returned", s->state_key, to_state, to ? to : drafter,
                        0, w->in->note, w->now);
    if (r == RES_OK)
        r = history_version(c, w->id, step);
    snprintf(w->summary, sizeof(w->summary), "trả lại %s: %s",
             to ? "người duyệt trước" : "người soạn thảo", DOC_CUT(w->in->note, 200));
    return r;
}

/* §2 a number once given is never given again: a cancelled issuance keeps its number,
 * marked cancelled (the register shows it). */
static result_t do_cancel(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    result_t r = db_run(c,
                        "UPDATE document SET state = 'cancelled', number_cancelled = 1, "
                        "updated_at = $2 WHERE id = $1",
                        "ii", w->id, w->now);
    if (r == RES_OK)
        r = db_run(c,
                   "UPDATE doc_participant SET status = CASE WHEN status IN ('pending', "
                   "'in_progress') THEN 'withdrawn' ELSE status END, active = 0 WHERE "
                   "document_id = $1 AND active = 1",
                   "i", w->id);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, "cancelled", s->state_key, "cancelled", 0, 0,
                        w->in->note, w->now);
    snprintf(w->summary, sizeof(w->summary), "hủy (giữ số): %s", DOC_CUT(w->in->note, 200));
    return r;
}

/* The copies the issue of document id delivered (in id order; in_force: not those refused
 * or recalled), at most DOC_MAX_RECIPIENTS: each one's id, agency and state. */
static result_t copies_list(struct db_conn *c, int64_t id, bool in_force, int64_t *copies,
                            int64_t *agencies, char (*states)[16], size_t *n)
{
    struct db_stmt *q = NULL;
    result_t r = db_query(c, &q,
                          in_force ? "SELECT id, agency_id, state FROM document WHERE "
                                     "source_document_id = $1 AND state NOT IN ('refused', "
                                     "'recalled') ORDER BY id"
                                   : "SELECT id, agency_id, state FROM document WHERE "
                                     "source_document_id = $1 ORDER BY id",
                          "i", id);
    *n = 0;
    while (r == RES_OK && *n < DOC_MAX_RECIPIENTS && (r = db_step(q)) == RES_ROW) {
        copies[*n] = db_col_i64(q, 0);
        agencies[*n] = db_col_i64(q, 1);
        str_copy(states[*n], db_col_text(q, 2), sizeof(states[*n]));
        (*n)++;
        r = RES_OK;
    }
    db_finalize(q);
    return r == RES_DONE ? RES_OK : r;
}

/* Thu hồi (standards.md §5, §10): the sender's document is recalled at once; each
 * receiver's copy waits for its clerk's answer (state recall_requested, its rows kept
 * but no step possible; the state before in state_before_recall): recall_agree freezes
 * it (edXML 15), recall_refuse gives it back its state (16). A history row and an audit
 * row on each side. */
static result_t do_recall(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    int64_t copies[DOC_MAX_RECIPIENTS], agencies[DOC_MAX_RECIPIENTS];
    char states[DOC_MAX_RECIPIENTS][16];
    size_t n = 0;
    result_t r = copies_list(c, w->id, false, copies, agencies, states, &n);
    if (r == RES_OK)
        r = set_state(c, w->id, "recalled", w->now);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, "recalled", s->state_key, "recalled", 0, 0,
                        w->in->note, w->now);
    for (size_t i = 0; r == RES_OK && i < n; i++) {
        if (!strcmp(states[i], "recalled") || !strcmp(states[i], "refused"))
            continue; /* refused copies were never taken in */
        int64_t cstep = 0;
        r = db_run(c,
                   "UPDATE document SET state = 'recalled', state_before_recall = $2, "
                   "updated_at = $3 WHERE id = $1",
                   "iti", copies[i], states[i], w->now);
        if (r == RES_OK)
            r = next_step(c, copies[i], &cstep);
        if (r == RES_OK)
            r = history_add(c, copies[i], cstep, w->a, "recall_requested", states[i], "recalled", 0,
                            0, w->in->note, w->now);
        if (r == RES_OK)
            audit_step(w->t, w->a, agencies[i], copies[i], "doc_recall",
                       "Văn bản #%lld bị cơ quan gửi thu hồi: %s", (long long)copies[i],
                       DOC_CUT(w->in->note, 200));
    }
    if (r == RES_OK)
        r = db_run(c,
                   "UPDATE doc_outbox SET status = 'failed', last_error = 'recalled', updated_at = "
                   "$2 WHERE document_id = $1 AND status = 'waiting'",
                   "ii", w->id, w->now);
    snprintf(w->summary, sizeof(w->summary), "thu hồi (%zu bản nhận): %s", n,
             DOC_CUT(w->in->note, 200));
    return r;
}

/* A receiver's copy frozen as recalled (its clerk agreed to a recall, edXML 15; or its
 * agency was taken off the recipients by an update): the rows in force withdrawn, no
 * step possible any more. */
static result_t copy_freeze(struct db_conn *c, int64_t id, int64_t now)
{
    result_t r = db_run(c,
                        "UPDATE doc_participant SET status = CASE WHEN status IN ('pending', "
                        "'in_progress') THEN 'withdrawn' ELSE status END, done_at = CASE WHEN "
                        "status IN ('pending', 'in_progress') THEN $2 ELSE done_at END, active = "
                        "0 WHERE document_id = $1 AND active = 1",
                        "ii", id, now);
    if (r == RES_OK)
        r = db_run(c,
                   "UPDATE document SET state = 'recalled', state_before_recall = NULL, "
                   "updated_at = $2 WHERE id = $1",
                   "ii", id, now);
    return r;
}

/* The receiving clerk answers the recall of their copy: agree (frozen as recalled:
 * rows in force withdrawn; edXML 15) or refuse with the reason (its state back; 16);
 * the sender's document gets the answer in its history (recipients_status.recall). */
static result_t do_recall_answer(struct wf_write *w, struct db_conn *c, struct wf_state *s,
                                 int64_t step)
{
    (void)s;
    bool agree = w->st->kind == ST_RECALL_AGREE;
    int64_t source = 0, sstep = 0;
    char before[16] = "registered", agency[300] = "";
    struct db_stmt *q = NULL;
    result_t r =
        db_query(c, &q,
                 "SELECT COALESCE(d.source_document_id, 0), COALESCE(d.state_before_recall, "
                 "'registered'), a.name FROM document d JOIN agency a ON a.id = "
                 "d.agency_id WHERE d.id = $1",
                 "i", w->id);
    if (r != RES_OK)
        return r;
    if ((r = db_step(q)) == RES_ROW) {
        source = db_col_i64(q, 0);
        str_copy(before, db_col_text(q, 1), sizeof(before));
        str_copy(agency, db_col_text(q, 2), sizeof(agency));
        r = RES_OK;
    }
    db_finalize(q);
    if (r != RES_OK)
        return r == RES_DONE ? RES_NOT_FOUND : r;
    const char *to = agree ? "recalled" : before;
    r = agree ? copy_freeze(c, w->id, w->now)
              : db_run(c,
                       "UPDATE document SET state = $2, state_before_recall = NULL, updated_at = "
                       "$3 WHERE id = $1",
                       "iti", w->id, to, w->now);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, agree ? "recall_agreed" : "recall_refused",
                        "recalled", to, 0, 0, w->in->note, w->now);
    if (r == RES_OK && source) {
        char comment[DOC_NOTE_MAX * 4 + 400];
        snprintf(comment, sizeof(comment), "%s %s%s%s", DOC_CUT(agency, 200),
                 agree ? "đồng ý thu hồi" : "từ chối thu hồi", w->in->note[0] ? ": " : "",
                 w->in->note);
        r = doc_lock(c, source);
        if (r == RES_OK)
            r = next_step(c, source, &sstep);
        if (r == RES_OK)
            r = history_add(c, source, sstep, w->a,
                            agree ? "recall_agreed_by_recipient" : "recall_refused_by_recipient",
                            "recalled", "recalled", 0, 0, comment, w->now);
    }
    snprintf(w->summary, sizeof(w->summary), "%s%s%s", agree ? "đồng ý thu hồi" : "từ chối thu hồi",
             w->in->note[0] ? ": " : "", DOC_CUT(w->in->note, 200));
    return r;
}

/* ---- cập nhật (§6 a form error, edXML BussinessDocType 2) ---- */

/* The values of the issued document an update may correct, as they are now (not the
 * number, symbol or date: they are on the signed PDF). */
struct upd_now {
    char *subject, *notes, *recipients;
    char due[11];
    int64_t pages, urgency, agency;
};

static void upd_now_free(struct upd_now *u)
{
    free(u->subject);
    free(u->notes);
    free(u->recipients);
}

static result_t upd_load(struct db_conn *c, int64_t id, struct upd_now *u)
{
    struct db_stmt *q = NULL;
    result_t r = db_query(c, &q,
                          "SELECT subject, notes, COALESCE(due_date, ''), page_count, urgency, "
                          "recipients, agency_id FROM document WHERE id = $1",
                          "i", id);
    if (r != RES_OK)
        return r;
    if ((r = db_step(q)) == RES_ROW) {
        u->subject = strdup(db_col_text(q, 0));
        u->notes = strdup(db_col_text(q, 1));
        str_copy(u->due, db_col_text(q, 2), sizeof(u->due));
        u->pages = db_col_i64(q, 3);
        u->urgency = db_col_i64(q, 4);
        u->recipients = strdup(db_col_text(q, 5));
        u->agency = db_col_i64(q, 6);
        r = u->subject && u->notes && u->recipients ? RES_OK : RES_INTERNAL;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(q);
    return r;
}

/* The rows recipients_remove names: each a recipient of the document still in force,
 * not one the exchange has already sent to. */
static result_t upd_check_removed(struct wf_write *w, struct db_conn *c, struct doc_rcpt_row *g,
                                  size_t *ng)
{
    const struct doc_step_input *in = w->in->in;
    *ng = 0;
    for (size_t i = 0; i < in->nrecipients_remove; i++) {
        int64_t seq = in->recipients_remove[i];
        bool twice = false;
        for (size_t j = 0; j < i; j++)
            twice |= in->recipients_remove[j] == seq;
        if (twice) {
            verrs_add(&w->e, "recipients_remove", "Nơi nhận số %lld có hai lần trong danh sách bỏ.",
                      (long long)seq);
            continue;
        }
        struct db_stmt *q = NULL;
        result_t r =
            db_query(c, &q,
                     "SELECT " DOC_RCPT_ROW_COLUMNS ", CASE WHEN " DOC_RECIPIENT_REMOVED
                     " THEN 1 ELSE 0 END, COALESCE((SELECT o.status FROM doc_outbox o WHERE "
                     "o.recipient_id = rc.id), '') FROM doc_recipient rc WHERE rc.document_id = "
                     "$1 AND rc.seq = $2",
                     "ii", w->id, seq);
        if (r != RES_OK)
            return r;
        if ((r = db_step(q)) == RES_ROW) {
            struct doc_rcpt_row *x = &g[*ng];
            doc_rcpt_row_read(q, x);
            if (db_col_i64(q, 7))
                verrs_add(&w->e, "recipients_remove",
                          "%s (nơi nhận số %lld) đã được bỏ khỏi nơi nhận ở lần cập nhật trước.",
                          DOC_CUT(x->name, 150), (long long)seq);
            else if (!strcmp(db_col_text(q, 8), "sent"))
                verrs_add(&w->e, "recipients_remove",
                          "Văn bản đã được gửi liên thông đến %s (nơi nhận số %lld): không bỏ được "
                          "nơi nhận này; cần thu hồi hoặc thay thế văn bản.",
                          DOC_CUT(x->name, 150), (long long)seq);
            else
                (*ng)++;
            r = RES_OK;
        } else if (r == RES_DONE) {
            verrs_add(&w->e, "recipients_remove",
                      "Văn bản không có nơi nhận số %lld (số thứ tự seq trong danh sách nơi nhận).",
                      (long long)seq);
            r = RES_OK;
        }
        db_finalize(q);
        if (r != RES_OK)
            return r;
    }
    return RES_OK;
}

/* recipients_add: checked as a draft's (doc_recipients_check), none already a recipient
 * of the document (in force or taken off before: one copy per receiving agency). */
static result_t upd_check_added(struct wf_write *w, struct db_conn *c, int64_t agency,
                                struct doc_rcpt *add)
{
    const struct doc_step_input *in = w->in->in;
    result_t r = doc_recipients_check(c, agency, in->recipients_add, in->nrecipients_add, add,
                                      "recipients_add", &w->e);
    if (r == RES_INVALID)
        return RES_OK; /* the errors are in w->e */
    for (size_t i = 0; r == RES_OK && i < in->nrecipients_add; i++) {
        const struct doc_recipient_input *ri = add[i].in;
        int64_t there = 0;
        r = db_one_i64(c, &there,
                       "SELECT COUNT(*) FROM doc_recipient WHERE document_id = $1 AND kind = $2 "
                       "AND COALESCE(agency_id, 0) = $3 AND agency_code = $4 AND "
                       "COALESCE(department_id, 0) = $5 AND COALESCE(user_id, 0) = $6",
                       "ititii", w->id, ri->kind, ri->agency_id,
                       !strcmp(ri->kind, "external") ? ri->agency_code : "", ri->department_id,
                       ri->user_id);
        if (r == RES_OK && there)
            verrs_add(&w->e, "recipients_add",
                      "%s đã có trong nơi nhận của văn bản (hoặc đã được bỏ ở lần cập nhật "
                      "trước).",
                      DOC_CUT(add[i].name, 150));
    }
    return r;
}

/* "dd/mm/yyyy" of 'YYYY-MM-DD', "(không có)" for none. */
static const char *upd_day(const char *iso, char out[11])
{
    return calendar_iso_to_vn(iso, out) ? out : "(không có)";
}

/* The names of the document's recipients (§9 To, document.recipients) without the ones
 * taken off and with the ones added. */
static char *upd_names(const char *now, const struct doc_rcpt_row *gone, size_t ngone,
                       const struct doc_rcpt *add, size_t nadd)
{
    json_t *list = json_loads(now, 0, NULL);
    if (!json_is_array(list)) {
        json_decref(list);
        list = json_array();
    }
    for (size_t i = 0; i < ngone; i++)
        for (size_t j = 0; j < json_array_size(list); j++) {
            const char *v = json_string_value(json_array_get(list, j));
            if (v && !strcmp(v, gone[i].name)) {
                json_array_remove(list, j);
                break;
            }
        }
    for (size_t i = 0; i < nadd; i++)
        json_array_append_new(list, json_string(add[i].name));
    char *out = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    return out;
}

/* A recipient taken off: an agency's copy frozen like an agreed recall (its rows
 * withdrawn; a refused copy stays refused) with its history row and audit row, its
 * clerks and handlers told; an external one's outbox row cancelled before it is sent; a
 * unit or person of the agency no longer informed. */
static result_t upd_remove(struct wf_write *w, struct db_conn *c, const struct doc_rcpt_row *g)
{
    if (!strcmp(g->kind, "external"))
        return db_run(c,
                      "UPDATE doc_outbox SET status = 'failed', last_error = 'removed', "
                      "updated_at = $2 WHERE recipient_id = $1 AND status <> 'sent'",
                      "ii", g->id, w->now);
    if (strcmp(g->kind, "agency"))
        return db_run(
            c,
            "UPDATE doc_participant SET status = 'withdrawn', done_at = COALESCE(done_at, "
            "$2), active = 0 WHERE document_id = $1 AND role = 'for_info' AND (($3 > 0 "
            "AND user_id = $3) OR ($3 = 0 AND user_id IS NULL AND department_id = $4))",
            "iiii", w->id, w->now, g->user, g->dept);
    int64_t copy = 0, cstep = 0;
    char st[16] = "";
    struct db_stmt *q = NULL;
    result_t r = db_query(c, &q,
                          "SELECT id, state FROM document WHERE source_document_id = $1 AND "
                          "agency_id = $2 ORDER BY id LIMIT 1",
                          "ii", w->id, g->agency);
    if (r != RES_OK)
        return r;
    if ((r = db_step(q)) == RES_ROW) {
        copy = db_col_i64(q, 0);
        str_copy(st, db_col_text(q, 1), sizeof(st));
    }
    db_finalize(q);
    if (r != RES_ROW && r != RES_DONE)
        return r;
    if (!copy)
        return RES_OK; /* never delivered: nothing on the receiver's side */
    bool refused = !strcmp(st, "refused");
    r = doc_lock(c, copy);
    char comment[DOC_NOTE_MAX * 4 + 200];
    snprintf(comment, sizeof(comment),
             "Cơ quan gửi bỏ cơ quan khỏi nơi nhận khi cập nhật văn bản; "
             "lý do: %s",
             w->in->note);
    if (r == RES_OK)
        r = next_step(c, copy, &cstep);
    if (r == RES_OK)
        r = history_add(c, copy, cstep, w->a, "removed_by_update", st, refused ? st : "recalled", 0,
                        0, comment, w->now);
    if (r == RES_OK)
        audit_step(w->t, w->a, g->agency, copy, "doc_update",
                   "Văn bản #%lld: cơ quan gửi bỏ khỏi nơi nhận khi cập nhật: %s", (long long)copy,
                   DOC_CUT(w->in->note, 200));
    if (r == RES_OK) /* told while their rows are in force, then frozen */
        r = doc_notify_step(w->t, w->a, copy, cstep);
    if (r == RES_OK && !refused)
        r = copy_freeze(c, copy, w->now);
    return r;
}

/* A recipient added: its doc_recipient row after the others, delivered as the issue
 * delivers (doc_recipient_deliver: an agency's arrived copy with the §4 receipt time,
 * an external one's waiting outbox row, a unit or person informed at this step). */
static result_t upd_add(struct wf_write *w, struct db_conn *c, int64_t step, int64_t urgency,
                        const struct doc_rcpt *add, int64_t seq)
{
    result_t r = doc_recipient_insert(c, w->id, seq, add);
    struct doc_rcpt_row row = {0};
    struct db_stmt *q = NULL;
    if (r == RES_OK)
        r = db_query(c, &q,
                     "SELECT " DOC_RCPT_ROW_COLUMNS
                     " FROM doc_recipient rc WHERE rc.document_id = $1 "
                     "AND rc.seq = $2",
                     "ii", w->id, seq);
    if (r != RES_OK)
        return r;
    if ((r = db_step(q)) == RES_ROW) {
        doc_rcpt_row_read(q, &row);
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_INTERNAL;
    }
    db_finalize(q);
    int64_t copy = 0;
    if (r == RES_OK)
        r = doc_recipient_deliver(w->t, w->in->cal, w->a, w->id, step, urgency, &row, w->now, &copy,
                                  &w->e);
    return r;
}

/* The copies of the recipients still in force (not refused, not recalled or taken off):
 * the corrected metadata, a history row (updated_by_sender: what changed and the
 * reason), an audit row, their clerks and handlers told. */
static result_t upd_copies(struct wf_write *w, struct db_conn *c, const char *subj,
                           const char *folded, const char *due, int64_t pages, const char *names,
                           const char *comment, size_t *ncopies)
{
    int64_t copies[DOC_MAX_RECIPIENTS], agencies[DOC_MAX_RECIPIENTS];
    char states[DOC_MAX_RECIPIENTS][16];
    size_t n = 0;
    result_t r = copies_list(c, w->id, true, copies, agencies, states, &n);
    *ncopies = n;
    for (size_t i = 0; r == RES_OK && i < n; i++) {
        int64_t cstep = 0;
        r = db_run(c,
                   "UPDATE document SET subject = COALESCE($2, subject), subject_folded = "
                   "COALESCE($3, subject_folded), due_date = COALESCE($4, due_date), page_count = "
                   "CASE WHEN $5 >= 0 THEN $5 ELSE page_count END, recipients = $6, updated_at = "
                   "$7 WHERE id = $1",
                   "itttiti", copies[i], subj, folded, due, pages, names, w->now);
        if (r == RES_OK && subj)
            r = doc_search_index(c, copies[i]);
        if (r == RES_OK)
            r = next_step(c, copies[i], &cstep);
        if (r == RES_OK)
            r = history_add(c, copies[i], cstep, w->a, "updated_by_sender", states[i], states[i], 0,
                            0, comment, w->now);
        if (r == RES_OK)
            audit_step(w->t, w->a, agencies[i], copies[i], "doc_update",
                       "Văn bản #%lld được cơ quan gửi cập nhật: %s", (long long)copies[i],
                       DOC_CUT(w->in->note, 200));
        if (r == RES_OK)
            r = doc_notify_step(w->t, w->a, copies[i], cstep);
    }
    return r;
}

/* Cập nhật: corrected metadata (subject, summary, due date, page count) and recipients
 * added or taken off, on the issued document and every receiver's copy in one
 * transaction: the document's history row names what changed (old → new) and the
 * reason; see upd_remove, upd_copies, upd_add for the receivers' side. Bad input
 * (unknown recipient, none left, nothing changed): field errors, nothing written. */
static result_t do_update(struct wf_write *w, struct db_conn *c, struct wf_state *s, int64_t step)
{
    const struct doc_step_input *in = w->in->in;
    struct upd_now u = {0};
    struct doc_rcpt_row *gone = calloc(DOC_MAX_RECIPIENTS, sizeof(*gone));
    struct doc_rcpt *add = calloc(DOC_MAX_RECIPIENTS, sizeof(*add));
    struct buf what = BUF_INIT(64 * 1024);
    char *folded = NULL, *names = NULL, *comment = NULL;
    size_t ngone = 0, ncopies = 0;
    int64_t total = 0, in_force = 0, seq = 0;
    result_t r = gone && add ? upd_load(c, w->id, &u) : RES_INTERNAL;
    if (r == RES_OK)
        r = upd_check_removed(w, c, gone, &ngone);
    if (r == RES_OK)
        r = upd_check_added(w, c, u.agency, add);
    if (r == RES_OK)
        r = db_one_i64(c, &total, "SELECT COUNT(*) FROM doc_recipient WHERE document_id = $1", "i",
                       w->id);
    if (r == RES_OK)
        r = db_one_i64(c, &seq,
                       "SELECT COALESCE(MAX(seq), 0) FROM doc_recipient WHERE document_id = $1",
                       "i", w->id);
    if (r == RES_OK)
        r = db_one_i64(c, &in_force,
                       "SELECT COUNT(*) FROM doc_recipient rc WHERE rc.document_id = $1 AND "
                       "NOT " DOC_RECIPIENT_REMOVED,
                       "i", w->id);
    if (r != RES_OK)
        goto out;
    size_t nadd = in->nrecipients_add;
    if (total + (int64_t)nadd > DOC_MAX_RECIPIENTS)
        verrs_add(&w->e, "recipients_add", "Văn bản có tối đa %d nơi nhận (đã có %lld).",
                  DOC_MAX_RECIPIENTS, (long long)total);
    if (!w->e.count && ngone && in_force - (int64_t)ngone + (int64_t)nadd <= 0)
        verrs_add(&w->e, "recipients_remove",
                  "Không bỏ được mọi nơi nhận: văn bản phải còn ít nhất một nơi nhận (để văn bản "
                  "hết hiệu lực, thu hồi văn bản).");
    /* what changes, old → new */
    const char *subj = w->in->subject && *w->in->subject && strcmp(w->in->subject, u.subject)
                           ? w->in->subject
                           : NULL;
    const char *sum = w->in->summary && strcmp(w->in->summary, u.notes) ? w->in->summary : NULL;
    const char *due = w->in->due[0] && strcmp(w->in->due, u.due) ? w->in->due : NULL;
    bool pages = in->has_page_count && in->page_count != u.pages;
    bool given = (w->in->subject && *w->in->subject) || w->in->summary || w->in->due[0] ||
                 in->has_page_count;
    if (!w->e.count && !subj && !sum && !due && !pages && !nadd && !ngone)
        verrs_add(&w->e, "subject",
                  given ? "Không có gì thay đổi: nội dung nhập vào giống hệt văn bản đã ban hành."
                        : "Vui lòng nhập nội dung cần cập nhật: trích yếu, tóm tắt, hạn xử lý, số "
                          "trang hoặc nơi nhận thêm, bỏ.");
    if (w->e.count) {
        r = RES_INVALID;
        goto out;
    }
    char d1[11], d2[11];
    if (subj)
        buf_printf(&what, "%strích yếu: “%s” → “%s”", what.len ? "; " : "", u.subject, subj);
    if (sum)
        buf_printf(&what, "%stóm tắt: “%s” → “%s”", what.len ? "; " : "", DOC_CUT(u.notes, 300),
                   DOC_CUT(sum, 300));
    if (due)
        buf_printf(&what, "%shạn xử lý: %s → %s", what.len ? "; " : "", upd_day(u.due, d1),
                   upd_day(due, d2));
    if (pages) {
        char was[24] = "(không có)";
        if (u.pages)
            snprintf(was, sizeof(was), "%lld", (long long)u.pages);
        buf_printf(&what, "%ssố trang: %s → %lld", what.len ? "; " : "", was,
                   (long long)in->page_count);
    }
    for (size_t i = 0; i < nadd; i++)
        buf_printf(&what, "%s%s",
                   i          ? ", "
                   : what.len ? "; thêm nơi nhận: "
                              : "thêm nơi nhận: ",
                   DOC_CUT(add[i].name, 200));
    for (size_t i = 0; i < ngone; i++)
        buf_printf(&what, "%s%s",
                   i          ? ", "
                   : what.len ? "; bỏ nơi nhận: "
                              : "bỏ nơi nhận: ",
                   DOC_CUT(gone[i].name, 200));
    struct buf cm = BUF_INIT(72 * 1024);
    buf_printf(&cm, "Cập nhật %s; lý do: %s", buf_str(&what), w->in->note);
    comment = buf_detach(&cm, NULL);
    folded = subj ? text_fold(subj) : NULL;
    names = upd_names(u.recipients, gone, ngone, add, nadd);
    if (!names || (subj && !folded)) {
        r = RES_INTERNAL;
        goto out;
    }
    int64_t new_pages = pages ? in->page_count : u.pages;
    r = db_run(c,
               "UPDATE document SET subject = COALESCE($2, subject), subject_folded = COALESCE($3, "
               "subject_folded), notes = COALESCE($4, notes), due_date = COALESCE($5, due_date), "
               "page_count = $6, recipients = $7, updated_at = $8 WHERE id = $1",
               "ittttiti", w->id, subj, folded, sum, due, new_pages, names, w->now);
    if (r == RES_OK && subj)
        r = doc_search_index(c, w->id);
    if (r == RES_OK)
        r = history_add(c, w->id, step, w->a, "updated", s->state_key, s->state_key, 0, 0, comment,
                        w->now);
    for (size_t i = 0; r == RES_OK && i < ngone; i++)
        r = upd_remove(w, c, &gone[i]);
    if (r == RES_OK)
        r = upd_copies(w, c, subj, folded, due, pages ? in->page_count : -1, names, comment,
                       &ncopies);
    for (size_t i = 0; r == RES_OK && i < nadd; i++)
        r = upd_add(w, c, step, u.urgency, &add[i], seq + 1 + (int64_t)i);
    snprintf(w->summary, sizeof(w->summary),
             "cập nhật (%zu bản nhận, thêm %zu, bỏ %zu nơi nhận): %s", ncopies, nadd, ngone,
             DOC_CUT(w->in->note, 200));
out:
    upd_now_free(&u);
    free(gone);
    free(add);
    buf_release(&what);
    free(folded);
    free(names);
    free(comment);
    return r;
}

static result_t wf_tx(struct tx *t, void *arg)
{
    struct wf_write *w = arg;
    struct db_conn *c = tx_conn(t);
    w->t = t;
    memset(&w->e, 0, sizeof(w->e));
    w->file_id = 0;
    w->summary[0] = '\0';
    /* The document row first: on PostgreSQL its lock orders concurrent steps on one
     * document (the state and the history step below are read after it). */
    result_t r = doc_lock(c, w->id);
    struct wf_state s;
    if (r == RES_OK)
        r = wf_load(c, w->a, w->id, &s);
    if (r != RES_OK)
        return r;
    char why[400];
    if (!(s.state & w->st->states)) {
        state_conflict(w->st, &s, &w->e);
        return RES_CONFLICT;
    }
    if (!step_ready(w->st, &s, why, sizeof(why))) {
        verrs_add(&w->e, "action", "%s", why);
        return RES_CONFLICT;
    }
    int64_t step = 0;
    if ((r = next_step(c, w->id, &step)) != RES_OK)
        return r;
    switch (w->st->kind) {
    case ST_PRESENT:
        r = do_present(w, c, &s, step);
        break;
    case ST_ASSIGN:
    case ST_CHANGE:
        r = do_assign(w, c, &s, step);
        break;
    case ST_WITHDRAW:
        r = do_withdraw(w, c, &s, step);
        break;
    case ST_REASSIGN:
        r = do_reassign(w, c, &s, step);
        break;
    case ST_ACCEPT:
        r = start_if_pending(w, c, &s, &step);
        snprintf(w->summary, sizeof(w->summary), "tiếp nhận xử lý");
        break;
    case ST_COMMENT:
        r = do_comment(w, c, &s, step);
        break;
    case ST_ATTACH:
        r = do_attach(w, c, &s, step);
        break;
    case ST_FORWARD:
        r = do_forward(w, c, &s, step);
        break;
    case ST_RETURN:
        r = s.state == S_REVIEWING ? do_return_draft(w, c, &s, step) : do_return(w, c, &s, step);
        break;
    case ST_SUBMIT:
        r = do_submit(w, c, &s, step);
        break;
    case ST_APPROVE:
        r = do_approve(w, c, &s, step);
        break;
    case ST_CANCEL:
        r = do_cancel(w, c, &s, step);
        break;
    case ST_RECALL:
        r = do_recall(w, c, &s, step);
        break;
    case ST_PLAN:
        r = do_plan(w, c, &s, step);
        break;
    case ST_ASK:
        r = do_ask(w, c, &s, step);
        break;
    case ST_ANSWER:
        r = do_answer(w, c, &s, step);
        break;
    case ST_UPDATE:
        r = do_update(w, c, &s, step);
        break;
    case ST_RECALL_AGREE:
    case ST_RECALL_REFUSE:
        r = do_recall_answer(w, c, &s, step);
        break;
    case ST_VERSION:
    case ST_SIGN:
    case ST_SEAL:
    case ST_DIGITISE:
    case ST_ISSUE:
        r = w->ext ? w->ext->tx(t, w->id, step, s.state_key, w->ext->arg, &w->e, w->summary,
                                sizeof(w->summary))
                   : RES_INTERNAL;
        if (r == RES_OK)
            r = history_version(c, w->id, step);
        break;
    case ST_COMPLETE:
        r = do_complete(w, c, &s, step);
        break;
    }
    if (r == RES_OK)
        r = doc_notify_step(t, w->a, w->id, step); /* who is told (doc_notify.c) */
    if (r != RES_OK)
        return r;
    audit_step(t, w->a, s.agency_id, w->id, w->st->audit, "Văn bản #%lld — %s", (long long)w->id,
               w->summary);
    return RES_OK;
}

/* Would the policy let the actor take the step if their rows of earlier steps were
 * the step in progress? Then a refusal now is about the step (409), not about who they
 * are (403): the lead completing twice, the leader assigning what they assigned. */
static bool held_some_step(struct db_conn *c, const struct actor *a, const struct step *st,
                           unsigned state, int64_t id)
{
    struct authz_object o;
    struct authz_participant parts[DOC_MAX_PARTS];
    if (doc_object_load(c, id, &o, parts) != RES_OK)
        return false;
    for (size_t i = 0; i < o.nparts; i++)
        parts[i].current_step = true;
    return authz_check_object(a, step_az(st, state), &o) == RES_OK;
}

/* READ (404), then the step's action (403) and the state (409). */
static result_t wf_gate(struct app *app, const struct actor *a, int64_t id, const struct step *st,
                        struct wf_state *out, struct verrs *e)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    result_t r = doc_authorize(c, a, AZ_DOC_READ, id);
    if (r != RES_OK)
        return r;
    if ((r = wf_load(c, a, id, out)) != RES_OK)
        return r;
    r = doc_authorize(c, a, step_az(st, out->state), id);
    if (r == RES_FORBIDDEN && !(out->state & st->states) &&
        held_some_step(c, a, st, out->state, id))
        r = RES_CONFLICT; /* theirs to do, but not at this step */
    if (r == RES_OK && !(out->state & st->states))
        r = RES_CONFLICT;
    if (r == RES_CONFLICT)
        state_conflict(st, out, e);
    return r;
}

/* The update's own fields before the transaction: subject (≤ 500 characters, §9),
 * summary, a due date not in the past, a page count, bounded recipient lists. */
static void update_input(const struct doc_step_input *in, int64_t now, struct wf_input *wi,
                         struct verrs *e)
{
    wi->subject = field_clean(in->subject, "subject", "trích yếu", false, DOC_SUBJECT_MAX, e);
    wi->summary =
        in->summary ? field_clean(in->summary, "summary", "tóm tắt", false, DOC_NOTE_MAX, e) : NULL;
    if (in->due_date) {
        int64_t day;
        char today[11], shown[11];
        today_iso_vn(now, today);
        calendar_iso_to_vn(today, shown);
        if (calendar_parse_day(in->due_date, &day) != RES_OK)
            verrs_add(e, "due_date", "Hạn xử lý “%s” không phải ngày hợp lệ (dạng năm-tháng-ngày).",
                      DOC_CUT(in->due_date, 20));
        else if (strcmp(in->due_date, today) < 0)
            verrs_add(e, "due_date", "Hạn xử lý đã qua (hôm nay là %s).", shown);
        else
            str_copy(wi->due, in->due_date, sizeof(wi->due));
    }
    if (in->has_page_count && (in->page_count < 1 || in->page_count > 100000))
        verrs_add(e, "page_count", "Số trang phải từ 1 đến 100000.");
    if (in->nrecipients_add > DOC_MAX_RECIPIENTS)
        verrs_add(e, "recipients_add", "Thêm tối đa %d nơi nhận một lần.", DOC_MAX_RECIPIENTS);
    if (in->nrecipients_remove > DOC_MAX_RECIPIENTS)
        verrs_add(e, "recipients_remove", "Bỏ tối đa %d nơi nhận một lần.", DOC_MAX_RECIPIENTS);
}

/* What every step shares: READ (404), the step's action (403) and the state (409),
 * the input (422), then the transaction. */
static result_t wf_run(struct app *app, const struct actor *a, int64_t id, const struct step *st,
                       const struct doc_step_input *in, const struct stored_file *file,
                       const struct doc_step_ext *ext, struct verrs *e, int64_t *file_id)
{
    struct wf_state s;
    result_t r = wf_gate(app, a, id, st, &s, e);
    if (r != RES_OK)
        return r;
    int64_t now = clock_now();
    struct wf_input wi = {.in = in};
    /* A reason to return and a result to complete are required (§5: the system stores
     * the directions and results of every step); an opinion is its own text. */
    bool note_required = st->kind == ST_RETURN || st->kind == ST_COMPLETE ||
                         st->kind == ST_CANCEL || st->kind == ST_RECALL || st->kind == ST_ASK ||
                         st->kind == ST_ANSWER || st->kind == ST_UPDATE ||
                         st->kind == ST_RECALL_REFUSE || (st->kind == ST_COMMENT && !in->part_done);
    const char *label = st->kind == ST_RETURN          ? "lý do trả lại"
                        : st->kind == ST_ASK           ? "nội dung xin ý kiến"
                        : st->kind == ST_ANSWER        ? "ý kiến"
                        : st->kind == ST_UPDATE        ? "lý do cập nhật"
                        : st->kind == ST_RECALL_REFUSE ? "lý do từ chối thu hồi"
                        : st->kind == ST_CANCEL || st->kind == ST_RECALL ? "lý do"
                        : st->kind == ST_COMPLETE                        ? "kết quả xử lý"
                        : st->kind == ST_COMMENT                         ? "ý kiến"
                        : st->kind == ST_ASSIGN || st->kind == ST_CHANGE || st->kind == ST_REASSIGN
                            ? "ý kiến chỉ đạo"
                            : "ghi chú";
    wi.note = field_clean_text(in->note, "note", label, note_required, DOC_NOTE_MAX, e);
    if (st->kind == ST_ASSIGN || st->kind == ST_CHANGE || st->kind == ST_REASSIGN) {
        check_groups(in, e);
        /* the leader's deadline falls back on the issuer's due date (§9 DueDate); inside
         * a unit, on the deadline the unit was given (do_reassign) */
        bool unit = st->kind == ST_REASSIGN;
        check_deadline(app, in, now, !unit, unit ? NULL : s.due_date, wi.deadline, e);
    }
    if (st->kind == ST_ASK) /* the opinion's due date: a date or working days (§4) */
        check_deadline(app, in, now, true, NULL, wi.deadline, e);
    if (st->kind == ST_UPDATE)
        update_input(in, now, &wi, e);
    /* adding recipients: their receipt time by the working calendar (§4), read first */
    r = !e->count && st->kind == ST_UPDATE && in->nrecipients_add ? doc_calendar_load(app, &wi.cal)
                                                                  : RES_OK;
    if (e->count || r != RES_OK) {
        free(wi.note);
        free(wi.subject);
        free(wi.summary);
        free(wi.cal);
        return r != RES_OK ? r : RES_INVALID;
    }
    struct wf_write w = {
        .st = st, .a = a, .app = app, .id = id, .now = now, .in = &wi, .file = file, .ext = ext};
    r = tx_run(app->db, wf_tx, &w);
    free(wi.note);
    free(wi.subject);
    free(wi.summary);
    free(wi.cal);
    for (int i = 0; i < w.e.count; i++)
        verrs_add(e, w.e.items[i].field, "%s", w.e.items[i].message);
    if (r == RES_OK && file_id)
        *file_id = w.file_id;
    return r;
}

result_t doc_workflow_act(struct app *app, const struct actor *a, int64_t id, const char *action,
                          const struct doc_step_input *in, struct verrs *e)
{
    const struct step *st = step_find(action);
    if (!st || st->kind == ST_ATTACH || st->kind == ST_VERSION ||
        (st->kind >= ST_SIGN && st->kind <= ST_ISSUE) || !in)
        return RES_INVALID;
    return wf_run(app, a, id, st, in, NULL, NULL, e, NULL);
}

result_t doc_workflow_gate(struct app *app, const struct actor *a, int64_t id, const char *action,
                           struct verrs *e)
{
    const struct step *st = step_find(action);
    if (!st)
        return RES_INVALID;
    struct wf_state s;
    result_t r = wf_gate(app, a, id, st, &s, e);
    if (r == RES_OK && !step_ready(st, &s, NULL, 0)) {
        char why[400];
        step_ready(st, &s, why, sizeof(why));
        verrs_add(e, "action", "%s", why);
        r = RES_CONFLICT;
    }
    return r;
}

result_t doc_workflow_run(struct app *app, const struct actor *a, int64_t id, const char *action,
                          const struct doc_step_input *in, const struct doc_step_ext *ext,
                          struct verrs *e)
{
    const struct step *st = step_find(action);
    if (!st || !in || !ext)
        return RES_INVALID;
    return wf_run(app, a, id, st, in, NULL, ext, e, NULL);
}

result_t doc_workflow_attach(struct app *app, const struct actor *a, int64_t id,
                             const struct doc_upload *file, const char *note, struct verrs *e,
                             int64_t *file_id)
{
    *file_id = 0;
    /* Who may, first: an outsider learns nothing from the file checks. */
    struct wf_state s;
    result_t r = wf_gate(app, a, id, step_find("attach"), &s, e);
    if (r != RES_OK)
        return r;
    if (!app->blobs)
        return RES_UNSUPPORTED;
    struct stored_file f = {.role = "working"};
    if (!file || !file->data) {
        verrs_add(e, "file", "Vui lòng chọn tệp xử lý.");
        return RES_INVALID;
    }
    if (!doc_upload_check(app, file, "file", &f, e))
        return RES_INVALID;
    /* Durable before the row that uses it; unreferenced until it commits (the sweep
     * removes it after the grace period if the step is refused). */
    if ((r = blob_put(app->blobs, file->data, file->len, f.hash)) != RES_OK)
        return r;
    struct doc_step_input in = {.note = note};
    return wf_run(app, a, id, step_find("attach"), &in, &f, NULL, e, file_id);
}

/* ---- seen ---- */

struct seen_write {
    const struct actor *a;
    int64_t id, agency, now;
    int64_t changed;
};

static result_t seen_tx(struct tx *t, void *arg)
{
    struct seen_write *w = arg;
    struct db_conn *c = tx_conn(t);
    w->changed = 0;
    /* The actor's own rows, and their unit's when the unit was informed as a whole: the
     * first member who opens it has the unit see it (the audit row says who). */
#define SEEN_ROWS                                                                      \
    "document_id = $1 AND role = 'for_info' AND seen_at IS NULL AND (user_id = $2 OR " \
    "(user_id IS NULL AND department_id = $3))"
    result_t r = db_one_i64(c, &w->changed, "SELECT COUNT(*) FROM doc_participant WHERE " SEEN_ROWS,
                            "iiI", w->id, w->a->user_id, w->a->department_id);
    if (r != RES_OK)
        return r;
    if (!w->changed)
        return RES_CONFLICT; /* seen meanwhile by another request: nothing to write */
    r = db_run(c,
               "UPDATE doc_participant SET seen_at = $4, status = CASE WHEN status = 'pending' "
               "THEN 'done' ELSE status END, done_at = CASE WHEN status = 'pending' THEN $4 ELSE "
               "done_at END WHERE " SEEN_ROWS,
               "iiIi", w->id, w->a->user_id, w->a->department_id, w->now);
#undef SEEN_ROWS
    if (r == RES_OK)
        audit_step(t, w->a, w->agency, w->id, "doc_seen", "Văn bản #%lld — đã xem (nhận để biết)",
                   (long long)w->id);
    return r;
}

result_t doc_mark_seen(struct app *app, const struct actor *a, int64_t id)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    result_t r = doc_authorize(c, a, AZ_DOC_READ, id);
    if (r == RES_OK) /* opening it reads its notifications (core/notify.c) */
        r = notify_read_document(app, a, id);
    if (r != RES_OK)
        return r;
    struct wf_state s;
    if ((r = wf_load(c, a, id, &s)) != RES_OK || !s.unseen)
        return r; /* the common case: one read, no write */
    struct seen_write w = {.a = a, .id = id, .agency = s.agency_id, .now = clock_now()};
    r = tx_run(app->db, seen_tx, &w);
    return r == RES_CONFLICT ? RES_OK : r; /* marked by a request in between */
}

/* ---- reading ---- */

const char *doc_history_edxml_status(const char *action)
{
    /* standards.md §10 "Status package" codes. The agency's internal steps (present,
     * comment, forward, return, withdraw) are not sent. "accepted" is the receiving
     * agency's acceptance (tiếp nhận, the exchange issue), "started" the lead's. */
    static const struct {
        const char *action, *code;
    } map[] = {{"received", "01"},      {"refused", "02"},   {"registered", "03"},
               {"accepted", "03"},      {"assigned", "04"},  {"started", "05"},
               {"in_progress", "05"},   {"completed", "06"}, {"recall_agreed", "15"},
               {"recall_refused", "16"}};
    for (size_t i = 0; action && i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(map[i].action, action))
            return map[i].code;
    return NULL;
}

/* The keys of the steps the actor may take now: the policy and the state machine. */
static json_t *actions_in(const struct actor *a, const struct authz_object *o,
                          const struct wf_state *s)
{
    json_t *out = json_array();
    for (size_t i = 0; i < NSTEPS; i++) {
        const struct step *st = &steps[i];
        if ((s->state & st->states) && authz_check_object(a, step_az(st, s->state), o) == RES_OK &&
            step_ready(st, s, NULL, 0))
            json_array_append_new(out, json_string(st->key));
    }
    return out;
}

static json_t *actions_of(struct db_conn *c, const struct actor *a, int64_t id,
                          const struct wf_state *s)
{
    struct authz_object o;
    struct authz_participant parts[DOC_MAX_PARTS];
    if (doc_object_load(c, id, &o, parts) != RES_OK)
        return json_array();
    return actions_in(a, &o, s);
}

static bool has_action(json_t *actions, const char *key)
{
    size_t i;
    json_t *v;
    json_array_foreach(actions, i, v)
    {
        if (!strcmp(json_string_value(v), key))
            return true;
    }
    return false;
}

result_t doc_workflow_json(struct app *app, struct db_conn *c, const struct actor *a, int64_t id,
                           const struct authz_object *o, json_t *doc)
{
    struct wf_state s;
    result_t r = wf_load(c, a, id, &s);
    if (r != RES_OK)
        return r;
    int64_t completed_at = s.completed_at;
    json_object_set_new(doc, "deadline", s.deadline[0] ? json_string(s.deadline) : json_null());
    json_t *ds = json_null();
    int64_t day;
    if (s.deadline[0] && s.state != S_COMPLETED && calendar_parse_day(s.deadline, &day) == RES_OK) {
        struct calendar *cal = malloc(sizeof(*cal));
        if (!cal)
            return RES_INTERNAL;
        calendar_init(cal);
        if ((r = calendar_load(cal, app)) != RES_OK) {
            free(cal);
            return r;
        }
        /* §4: due at the end of office hours of the deadline's day. */
        int64_t due = calendar_day_end(cal, day), now = clock_now();
        ds = json_string(calendar_is_overdue(now, due)         ? "overdue"
                         : calendar_is_due_soon(cal, now, due) ? "due_soon"
                                                               : "ok");
        free(cal);
    }
    json_object_set_new(doc, "deadline_state", ds);
    if (completed_at) {
        char iso[40];
        clock_format_iso(completed_at, iso, sizeof(iso));
        json_object_set_new(doc, "completed_at", json_string(iso));
    } else {
        json_object_set_new(doc, "completed_at", json_null());
    }
    struct db_stmt *st = NULL;
    json_t *parts = NULL;
    r = db_query(
        c, &st,
        "SELECT p.id, p.role, CASE WHEN p.user_id IS NULL THEN 'unit' ELSE 'person' END, "
        "p.user_id, u.full_name, p.department_id, d.name, COALESCE(u.full_name, d.name, "
        "''), p.status, CASE WHEN p.active = 1 AND p.status IN ('pending', "
        "'in_progress') THEN 1 ELSE 0 END, p.due_date, p.note, p.assigned_by, ab.full_name, "
        "p.parent_id, p.seen_at, p.created_at, p.done_at, p.seq FROM doc_participant p LEFT JOIN "
        "app_user u ON u.id = p.user_id LEFT JOIN department d ON d.id = p.department_id "
        "LEFT JOIN app_user ab ON ab.id = p.assigned_by WHERE p.document_id = $1 ORDER BY "
        "p.id",
        "i", id);
    if (r == RES_OK)
        r = db_collect(st,
                       "id:i,role:t,kind:t,user_id:I,user_name:T,department_id:I,department_name:"
                       "T,name:t,status:t,active:b,due_date:T,note:t,assigned_by_id:I,assigned_by:"
                       "T,parent_id:I,seen_at:I,created_at:i,done_at:I,seq:i",
                       &parts);
    if (r != RES_OK)
        return r;
    size_t i;
    json_t *p;
    json_array_foreach(parts, i, p)
    {
        const char *keys[] = {"seen_at", "created_at", "done_at"};
        for (int k = 0; k < 3; k++) {
            json_t *v = json_object_get(p, keys[k]);
            if (json_is_integer(v)) {
                char iso[40];
                clock_format_iso(json_integer_value(v), iso, sizeof(iso));
                json_object_set_new(p, keys[k], json_string(iso));
            }
        }
    }
    json_object_set_new(doc, "participants", parts);
    json_object_set_new(doc, "actions", actions_in(a, o, &s));
    return RES_OK;
}

/* ---- the forms' choices ---- */

static result_t people_json(struct db_conn *c, int64_t agency, int64_t dept, unsigned roles,
                            json_t **out)
{
    struct db_stmt *s = NULL;
    result_t r = db_query(
        c, &s,
        "SELECT u.id, u.full_name, m.department_id, d.name, COALESCE(p.name, '') FROM membership "
        "m JOIN app_user u ON u.id = m.user_id LEFT JOIN department d ON d.id = m.department_id "
        "LEFT JOIN position p ON p.id = m.position_id WHERE m.agency_id = $1 AND m.active = 1 AND "
        "u.disabled = 0 AND (CAST($2 AS BIGINT) = 0 OR m.department_id = $2) AND (CAST($3 AS "
        "BIGINT) = 0 OR (m.roles & $3) <> 0) ORDER BY COALESCE(p.rank, 1000), u.full_name, u.id "
        "LIMIT 1000",
        "iii", agency, dept, (int64_t)roles);
    if (r != RES_OK)
        return r;
    return db_collect(s, "id:i,name:t,department_id:I,department_name:T,position:t", out);
}

result_t doc_assign_candidates(struct app *app, const struct actor *a, int64_t id, json_t **out)
{
    *out = NULL;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    result_t r = doc_authorize(c, a, AZ_DOC_READ, id);
    if (r != RES_OK)
        return r;
    struct wf_state s;
    if ((r = wf_load(c, a, id, &s)) != RES_OK)
        return r;
    json_t *acts = actions_of(c, a, id, &s);
    json_t *o = json_object(), *list = NULL;
    if (has_action(acts, "present")) {
        r = people_json(c, s.agency_id, 0, ROLE_AGENCY_LEADER | ROLE_DEPARTMENT_LEADER, &list);
        if (r == RES_OK)
            json_object_set_new(o, "leaders", list);
    }
    /* §6 submit: the reviewers are chosen among the agency's people */
    bool whole = has_action(acts, "assign") || has_action(acts, "change") ||
                 has_action(acts, "forward") || has_action(acts, "submit") ||
                 has_action(acts, "plan") || has_action(acts, "ask_opinion");
    if (r == RES_OK && whole) {
        struct db_stmt *st = NULL;
        r = db_query(c, &st,
                     "SELECT id, name FROM department WHERE agency_id = $1 AND active = 1 ORDER "
                     "BY name, id",
                     "i", s.agency_id);
        if (r == RES_OK && (r = db_collect(st, "id:i,name:t", &list)) == RES_OK)
            json_object_set_new(o, "departments", list);
    }
    if (r == RES_OK && whole) {
        r = people_json(c, s.agency_id, 0, 0, &list);
        if (r == RES_OK)
            json_object_set_new(o, "people", list);
    }
    /* §5 the unit's leader passes it on inside the unit: its members, not the leader
     * who passes it (do_reassign refuses anyone else). */
    if (r == RES_OK && has_action(acts, "reassign")) {
        r = people_json(c, s.agency_id, s.unit.department_id, 0, &list);
        if (r == RES_OK) {
            size_t i;
            json_t *x;
            json_array_foreach(list, i, x)
            {
                if (json_integer_value(json_object_get(x, "id")) == a->user_id) {
                    json_array_remove(list, i);
                    break;
                }
            }
            json_object_set_new(o, "unit_people", list);
        }
    }
    json_object_set_new(o, "actions", acts);
    if (r != RES_OK) {
        json_decref(o);
        return r;
    }
    *out = o;
    return RES_OK;
}

/* The choices of the draft form (AZ_DOC_DRAFT, standards.md §6): the agency's leaders
 * (agency and unit leaders: the intended signer), people and units, and the other
 * active agencies of the installation (recipients delivered inside it). */
result_t doc_draft_candidates(struct app *app, const struct actor *a, json_t **out)
{
    *out = NULL;
    int64_t agency = a ? a->agency_id : 0;
    result_t r = authz_check(a, AZ_DOC_DRAFT, agency);
    if (r != RES_OK)
        return r;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    json_t *o = json_object(), *list = NULL;
    r = people_json(c, agency, 0, ROLE_AGENCY_LEADER | ROLE_DEPARTMENT_LEADER, &list);
    if (r == RES_OK) {
        json_object_set_new(o, "leaders", list);
        r = people_json(c, agency, 0, 0, &list);
    }
    if (r == RES_OK)
        json_object_set_new(o, "people", list);
    struct db_stmt *st = NULL;
    if (r == RES_OK)
        r = db_query(c, &st,
                     "SELECT id, name, abbr FROM department WHERE agency_id = $1 AND active = 1 "
                     "ORDER BY name, id",
                     "i", agency);
    if (r == RES_OK && (r = db_collect(st, "id:i,name:t,abbr:t", &list)) == RES_OK)
        json_object_set_new(o, "departments", list);
    if (r == RES_OK)
        r = db_query(c, &st,
                     "SELECT id, code, name FROM agency WHERE active = 1 AND id <> $1 ORDER BY "
                     "code, id LIMIT 1000",
                     "i", agency);
    if (r == RES_OK && (r = db_collect(st, "id:i,code:t,name:t", &list)) == RES_OK)
        json_object_set_new(o, "agencies", list);
    if (r != RES_OK) {
        json_decref(o);
        return r;
    }
    *out = o;
    return RES_OK;
}
