/* /api/v1 the incoming workflow (issue 11, standards.md §5): one POST per step on
 * /documents/{id}/<step> with a JSON body (the working file: multipart), the updated
 * document in the answer, and the choices of the forms (GET …/candidates). Each
 * handler parses its body, calls doc_workflow_act (or doc_workflow_attach) and
 * renders the document or problem+json: 404 unknown or hidden, 403 refused by the
 * policy, 409 not possible at this step (detail says why), 422 field errors. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "doc/doc.h"
#include "util/str.h"

/* {"user_id": n} or {"department_id": n}. */
static bool target_from(json_t *v, const char *field, struct doc_target *t, struct verrs *e)
{
    memset(t, 0, sizeof(*t));
    json_t *u = json_is_object(v) ? json_object_get(v, "user_id") : NULL;
    json_t *d = json_is_object(v) ? json_object_get(v, "department_id") : NULL;
    bool ok = json_is_object(v) && json_object_size(v) == 1 &&
              ((json_is_integer(u) && json_integer_value(u) > 0) ||
               (json_is_integer(d) && json_integer_value(d) > 0));
    if (!ok) {
        verrs_add(e, field,
                  "Mỗi người nhận là {\"user_id\": số} (cá nhân) hoặc {\"department_id\": số} "
                  "(đơn vị).");
        return false;
    }
    t->user_id = u ? json_integer_value(u) : 0;
    t->department_id = d ? json_integer_value(d) : 0;
    return true;
}

/* A list of targets; `lead` may also be one object. Counts are the core's to judge,
 * up to a bound that keeps the copy small. */
static const struct doc_target *targets_from(struct req *r, json_t *in, const char *key, size_t max,
                                             size_t *n, struct verrs *e)
{
    json_t *v = json_object_get(in, key);
    *n = 0;
    if (!v || json_is_null(v))
        return NULL;
    if (json_is_object(v) && !strcmp(key, "lead")) {
        struct doc_target *t = arena_alloc(&r->arena, sizeof(*t));
        if (target_from(v, key, t, e))
            *n = 1;
        return t;
    }
    if (!json_is_array(v)) {
        verrs_add(e, key, "Trường %s phải là danh sách người nhận.", key);
        return NULL;
    }
    size_t count = json_array_size(v);
    if (count > max + 1)
        count = max + 1; /* enough for the core to say "too many" */
    struct doc_target *list = arena_alloc(&r->arena, (count ? count : 1) * sizeof(*list));
    for (size_t i = 0; i < count; i++)
        if (!target_from(json_array_get(v, i), key, &list[i], e))
            return NULL;
    *n = count;
    return list;
}

/* Members each step takes; anything else is a typo to report. */
static const char *const step_keys[][10] = {
    /* present */ {"leader_id", "note", NULL},
    /* assign */
    {"lead", "co_handlers", "for_info", "deadline", "working_days", "note", "change", NULL},
    /* reassign */ {"lead", "co_handlers", "for_info", "deadline", "working_days", "note", NULL},
    /* withdraw, accept, return, complete */ {"note", NULL},
    /* comment */ {"note", "part_done", NULL},
    /* forward */ {"user_id", "role", "note", NULL},
    /* return (a draft: to an earlier reviewer) */ {"note", "user_id", NULL},
    /* submit (outgoing) */ {"note", "reviewers", NULL},
    /* plan */ {"reviewers", NULL},
    /* ask_opinion */ {"departments", "deadline", "working_days", "note", NULL},
    /* update */
    {"subject", "summary", "due_date", "page_count", "recipients_add", "recipients_remove", "note",
     NULL},
};
enum {
    K_PRESENT,
    K_ASSIGN,
    K_REASSIGN,
    K_NOTE,
    K_COMMENT,
    K_FORWARD,
    K_RETURN,
    K_SUBMIT,
    K_PLAN,
    K_ASK,
    K_UPDATE
};

static void step(struct req *r, const char *action, int keys)
{
    int64_t id = req_param_id(r, "id");
    if (!id) {
        resp_result(r, RES_NOT_FOUND);
        return;
    }
    json_t *in = req_json_or_empty(r);
    if (!in)
        return;
    struct verrs e = {0};
    json_unknown_members(in, step_keys[keys], &e);
    struct doc_step_input si = {0};
    si.note = json_member_str(in, "note", &e);
    si.leader_id = json_member_id(in, "leader_id", &e);
    si.user_id = json_member_id(in, "user_id", &e);
    si.role = json_member_str(in, "role", &e);
    si.deadline = json_member_str(in, "deadline", &e);
    json_t *wd = json_object_get(in, "working_days");
    if (wd && !json_is_null(wd)) {
        if (!json_is_integer(wd))
            verrs_add(&e, "working_days", "Số ngày làm việc phải là số nguyên.");
        si.has_working_days = true;
        si.working_days = json_is_integer(wd) ? json_integer_value(wd) : 0;
    }
    si.part_done = json_member_bool(in, "part_done", &e);
    if (json_member_bool(in, "change", &e))
        action = "change";
    si.leads = targets_from(r, in, "lead", 1, &si.nleads, &e);
    si.co_handlers = targets_from(r, in, "co_handlers", DOC_MAX_CO_HANDLERS, &si.nco_handlers, &e);
    si.for_info = targets_from(r, in, "for_info", DOC_MAX_FOR_INFO, &si.nfor_info, &e);
    json_t *rv = json_object_get(in, "reviewers");
    if (rv && !json_is_null(rv)) {
        size_t n = json_is_array(rv) ? json_array_size(rv) : 0;
        int64_t *ids = arena_alloc(&r->arena, (n ? n : 1) * sizeof(int64_t));
        if (!json_is_array(rv) || n > DOC_MAX_REVIEWERS)
            verrs_add(&e, "reviewers", "reviewers là mảng tối đa %d mã cán bộ (số nguyên).",
                      DOC_MAX_REVIEWERS);
        for (size_t i = 0; ids && json_is_array(rv) && i < n; i++) {
            json_t *x = json_array_get(rv, i);
            if (!json_is_integer(x) || json_integer_value(x) < 1) {
                verrs_add(&e, "reviewers", "Mỗi người duyệt là một mã cán bộ (số nguyên dương).");
                break;
            }
            ids[i] = json_integer_value(x);
        }
        si.reviewers = ids;
        si.nreviewers = n;
    }
    json_t *dv = json_object_get(in, "departments");
    if (dv && !json_is_null(dv)) {
        size_t n = json_is_array(dv) ? json_array_size(dv) : 0;
        int64_t *ids = arena_alloc(&r->arena, (n ? n : 1) * sizeof(int64_t));
        if (!json_is_array(dv) || n > DOC_MAX_OPINIONS)
            verrs_add(&e, "departments", "departments là mảng tối đa %d mã đơn vị (số nguyên).",
                      DOC_MAX_OPINIONS);
        for (size_t i = 0; ids && json_is_array(dv) && i < n; i++) {
            json_t *x = json_array_get(dv, i);
            if (!json_is_integer(x) || json_integer_value(x) < 1) {
                verrs_add(&e, "departments", "Mỗi đơn vị là một mã đơn vị (số nguyên dương).");
                break;
            }
            ids[i] = json_integer_value(x);
        }
        si.departments = ids;
        si.ndepartments = n;
    }
    si.subject = json_member_str(in, "subject", &e);
    si.summary = json_member_str(in, "summary", &e);
    if (keys == K_UPDATE) {
        si.due_date = json_member_str(in, "due_date", &e);
        json_t *pc = json_object_get(in, "page_count");
        if (pc && !json_is_null(pc)) {
            if (!json_is_integer(pc))
                verrs_add(&e, "page_count", "Số trang phải là số nguyên.");
            si.has_page_count = true;
            si.page_count = json_is_integer(pc) ? json_integer_value(pc) : 0;
        }
        si.recipients_add = api_doc_recipients(r, in, "recipients_add", &si.nrecipients_add, &e);
        json_t *rm = json_object_get(in, "recipients_remove");
        if (rm && !json_is_null(rm)) {
            size_t n = json_is_array(rm) ? json_array_size(rm) : 0;
            int64_t *seqs = arena_alloc(&r->arena, (n ? n : 1) * sizeof(int64_t));
            if (!json_is_array(rm) || n > DOC_MAX_RECIPIENTS)
                verrs_add(&e, "recipients_remove",
                          "recipients_remove là mảng tối đa %d số thứ tự nơi nhận (seq).",
                          DOC_MAX_RECIPIENTS);
            for (size_t i = 0; seqs && json_is_array(rm) && n <= DOC_MAX_RECIPIENTS && i < n; i++) {
                json_t *x = json_array_get(rm, i);
                if (!json_is_integer(x) || json_integer_value(x) < 1) {
                    verrs_add(&e, "recipients_remove",
                              "Mỗi nơi nhận bỏ đi là số thứ tự seq (số nguyên dương) trong "
                              "recipients_list.");
                    break;
                }
                seqs[i] = json_integer_value(x);
            }
            si.recipients_remove = seqs;
            si.nrecipients_remove = n <= DOC_MAX_RECIPIENTS ? n : 0;
        }
    }
    result_t res;
    if (e.count) {
        /* Who may know the document first: a malformed body from an outsider is 404. */
        json_t *doc = NULL;
        res = doc_get(r->app, &r->actor, id, &doc);
        json_decref(doc);
        if (res == RES_OK)
            res = RES_INVALID;
    } else {
        res = doc_workflow_act(r->app, &r->actor, id, action, &si, &e);
    }
    if (res != RES_OK) {
        api_doc_step_problem(r, res, &e);
        return;
    }
    api_doc_answer(r, 200, id);
}

void api_document_present(struct req *r)
{
    step(r, "present", K_PRESENT);
}

void api_document_assign(struct req *r)
{
    step(r, "assign", K_ASSIGN);
}

void api_document_reassign(struct req *r)
{
    step(r, "reassign", K_REASSIGN);
}

void api_document_withdraw(struct req *r)
{
    step(r, "withdraw", K_NOTE);
}

void api_document_accept(struct req *r)
{
    step(r, "accept", K_NOTE);
}

void api_document_comment(struct req *r)
{
    step(r, "comment", K_COMMENT);
}

void api_document_forward(struct req *r)
{
    step(r, "forward", K_FORWARD);
}

void api_document_return(struct req *r)
{
    step(r, "return", K_RETURN);
}

/* The outgoing circuit (issue 12): the drafter submits, a reviewer approves. */
void api_document_submit(struct req *r)
{
    step(r, "submit", K_SUBMIT);
}

void api_document_approve(struct req *r)
{
    step(r, "approve", K_NOTE);
}

/* The clerk cancels a numbered, not yet issued document (the number is kept, marked
 * cancelled) or recalls an issued one (thu hồi): a reason each. */
void api_document_cancel(struct req *r)
{
    step(r, "cancel", K_NOTE);
}

void api_document_recall(struct req *r)
{
    step(r, "recall", K_NOTE);
}

/* The rest of the circuit and of the issued document (issue 12): the drafter's planned
 * circuit, opinions asked of units and their answers, the update of an issued document,
 * the receiving clerk's answer to a recall. */
void api_document_plan(struct req *r)
{
    step(r, "plan", K_PLAN);
}

void api_document_ask_opinion(struct req *r)
{
    step(r, "ask_opinion", K_ASK);
}

void api_document_answer_opinion(struct req *r)
{
    step(r, "answer_opinion", K_NOTE);
}

void api_document_update(struct req *r)
{
    step(r, "update", K_UPDATE);
}

void api_document_recall_agree(struct req *r)
{
    step(r, "recall_agree", K_NOTE);
}

void api_document_recall_refuse(struct req *r)
{
    step(r, "recall_refuse", K_NOTE);
}

void api_document_complete(struct req *r)
{
    step(r, "complete", K_NOTE);
}

/* multipart: the working file in `file`, an optional `note`. */
void api_document_attach(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    if (!id) {
        resp_result(r, RES_NOT_FOUND);
        return;
    }
    const char *ct = req_header(r, "Content-Type");
    if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0) {
        resp_problem(r, 415, "unsupported_media_type", "Định dạng không được hỗ trợ",
                     "Gửi multipart/form-data: tệp xử lý trong trường file, ghi chú (note) nếu "
                     "có.",
                     NULL);
        return;
    }
    if (req_form_bad(r)) {
        resp_problem(r, 400, "malformed_multipart", "Dữ liệu không hợp lệ",
                     "Nội dung multipart/form-data không đọc được (quá nhiều phần, tên trường "
                     "hoặc tên tệp không hợp lệ).",
                     NULL);
        return;
    }
    static const char *const known[] = {"file", "note", NULL};
    if (resp_form_unknown(r, known))
        return;
    struct verrs e = {0};
    const struct mp_part *p = req_file(r, "file");
    struct doc_upload up = {0};
    if (p && (p->len || *p->filename))
        up = (struct doc_upload){
            .role = "working", .file_name = p->filename, .data = p->data, .len = p->len};
    if (up.file_name && !up.data)
        up.data = (const unsigned char *)""; /* an empty file: the format check names it */
    int64_t file_id = 0;
    result_t res = doc_workflow_attach(r->app, &r->actor, id, up.file_name ? &up : NULL,
                                       req_form(r, "note"), &e, &file_id);
    if (res != RES_OK) {
        api_doc_step_problem(r, res, &e);
        return;
    }
    resp_header(r, "Location",
                arena_printf(&r->arena, "/api/v1/documents/%lld/files/%lld", (long long)id,
                             (long long)file_id));
    api_doc_answer(r, 201, id);
}

void api_document_candidates(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    json_t *out = NULL;
    result_t res = id ? doc_assign_candidates(r->app, &r->actor, id, &out) : RES_NOT_FOUND;
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, 200, out);
}
