/* /api/v1 outgoing documents (issue 12, standards.md §2, §3, §6, §9): the draft
 * (multipart: metadata JSON, the main file `main`, appendices `appendix`), a new version
 * of the main file, the signer's signature with the number, the agency seal and the
 * issuance. submit, approve and return are in api_doc_workflow.c (JSON steps). Answers:
 * the document (doc_get) or problem+json — 404 unknown or hidden, 403 refused by the
 * policy, 409 not possible now (detail says why), 422 field errors. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "doc/doc.h"
#include "util/str.h"

static bool multipart_ok(struct req *r, const char *what)
{
    const char *ct = req_header(r, "Content-Type");
    if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0) {
        resp_problem(r, 415, "unsupported_media_type", "Định dạng không được hỗ trợ", what, NULL);
        return false;
    }
    if (req_form_bad(r)) {
        resp_problem(r, 400, "malformed_multipart", "Dữ liệu không hợp lệ",
                     "Nội dung multipart/form-data không đọc được (quá nhiều phần, tên trường "
                     "hoặc tên tệp không hợp lệ).",
                     NULL);
        return false;
    }
    return true;
}

const struct doc_recipient_input *api_doc_recipients(struct req *r, json_t *m, const char *field,
                                                     size_t *count, struct verrs *e)
{
    json_t *rl = json_object_get(m, field);
    size_t n = json_is_array(rl) ? json_array_size(rl) : 0;
    *count = 0;
    if (rl && !json_is_array(rl) && !json_is_null(rl))
        verrs_add(e, field, "%s phải là một mảng.", field);
    if (n > DOC_MAX_RECIPIENTS) {
        verrs_add(e, field, "Tối đa %d nơi nhận.", DOC_MAX_RECIPIENTS);
        n = 0;
    }
    struct doc_recipient_input *rc = arena_alloc(&r->arena, (n ? n : 1) * sizeof(*rc));
    for (size_t i = 0; rc && i < n; i++) {
        json_t *x = json_array_get(rl, i);
        if (!json_is_object(x)) {
            verrs_add(e, field, "Mỗi nơi nhận là một đối tượng {kind, ...}.");
            break;
        }
        rc[i].kind = json_member_str(x, "kind", e);
        rc[i].agency_id = json_member_id(x, "agency_id", e);
        rc[i].agency_code = json_member_str(x, "agency_code", e);
        rc[i].name = json_member_str(x, "name", e);
        rc[i].department_id = json_member_id(x, "department_id", e);
        rc[i].user_id = json_member_id(x, "user_id", e);
    }
    *count = n;
    return rc;
}

void api_documents_outgoing_create(struct req *r)
{
    if (!multipart_ok(r, "Gửi multipart/form-data: trường metadata (JSON), tệp main và các tệp "
                         "appendix."))
        return;
    static const char *const known_fields[] = {"metadata", "main", "appendix", NULL};
    if (resp_form_unknown(r, known_fields))
        return;
    struct verrs e = {0};
    const char *meta = req_form(r, "metadata");
    json_error_t jerr;
    json_t *m = meta ? json_loads(meta, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (!json_is_object(m))
        verrs_add(&e, "metadata", "Thiếu hoặc sai trường metadata (đối tượng JSON mô tả dự thảo).");
    static const char *const known[] = {
        "doc_type",    "subject",    "summary",           "urgency",   "authority",   "signer_id",
        "reply_to_id", "recipients", "complete_on_issue", "normative", "replaces_id", NULL};
    if (json_is_object(m))
        json_unknown_members_at(m, known, "metadata", &e);
    struct doc_outgoing_input in = {0};
    in.doc_type = json_member_str(m, "doc_type", &e);
    in.subject = json_member_str(m, "subject", &e);
    in.summary = json_member_str(m, "summary", &e);
    in.urgency = json_member_str(m, "urgency", &e);
    in.authority = json_member_str(m, "authority", &e);
    in.signer_id = json_member_id(m, "signer_id", &e);
    in.reply_to_id = json_member_id(m, "reply_to_id", &e);
    in.replaces_id = json_member_id(m, "replaces_id", &e);
    static const char *const flags[] = {"complete_on_issue", "normative"};
    for (int i = 0; i < 2; i++) {
        json_t *b = json_object_get(m, flags[i]);
        if (b && !json_is_boolean(b) && !json_is_null(b))
            verrs_add(&e, flags[i], "Trường %s phải là true hoặc false.", flags[i]);
    }
    in.complete_on_issue = json_is_true(json_object_get(m, "complete_on_issue"));
    in.normative = json_is_true(json_object_get(m, "normative"));
    in.recipients = api_doc_recipients(r, m, "recipients", &in.nrecipients, &e);
    struct doc_upload files[REQ_MAX_FILES];
    size_t nf = 0;
    for (int i = 0; i < r->nfiles && nf < REQ_MAX_FILES; i++) {
        const struct mp_part *p = &r->files[i];
        if (!p->len && !*p->filename)
            continue;
        if (strcmp(p->name, "main") && strcmp(p->name, "appendix")) {
            verrs_add(&e, "file", "Tệp “%s”: trường phải là main hoặc appendix.",
                      DOC_CUT(p->name, 40));
            continue;
        }
        files[nf++] = (struct doc_upload){
            .role = p->name, .file_name = p->filename, .data = p->data, .len = p->len};
    }
    int64_t id = 0;
    result_t res =
        e.count ? RES_INVALID : doc_outgoing_create(r->app, &r->actor, &in, files, nf, &e, &id);
    json_decref(m);
    if (res != RES_OK) {
        api_doc_step_problem(r, res, &e);
        return;
    }
    resp_header(r, "Location", arena_printf(&r->arena, "/api/v1/documents/%lld", (long long)id));
    api_doc_answer(r, 201, id);
}

void api_document_version(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    if (!id) {
        resp_result(r, RES_NOT_FOUND);
        return;
    }
    static const char *const known[] = {"file", "note", NULL};
    if (!multipart_ok(r,
                      "Gửi multipart/form-data: tệp dự thảo trong trường file, ghi chú (note).") ||
        resp_form_unknown(r, known))
        return;
    struct verrs e = {0};
    const struct mp_part *p = req_file(r, "file");
    struct doc_upload up = {0};
    if (p)
        up = (struct doc_upload){
            .role = "main", .file_name = p->filename, .data = p->data, .len = p->len};
    result_t res =
        doc_outgoing_version(r->app, &r->actor, id, p ? &up : NULL, req_form(r, "note"), &e);
    if (res != RES_OK) {
        api_doc_step_problem(r, res, &e);
        return;
    }
    api_doc_answer(r, 201, id);
}

/* {key_id, pin} for sign, seal and the digitised original's agency signature. */
typedef result_t (*key_step_fn)(struct app *, const struct actor *, int64_t, int64_t, const char *,
                                struct verrs *);
static void key_step(struct req *r, key_step_fn fn)
{
    int64_t id = req_param_id(r, "id");
    if (!id) {
        resp_result(r, RES_NOT_FOUND);
        return;
    }
    json_t *in = req_json(r);
    if (!in)
        return;
    struct verrs e = {0};
    static const char *const known[] = {"key_id", "pin", NULL};
    json_unknown_members(in, known, &e);
    int64_t key = json_member_id(in, "key_id", &e);
    const char *pin = json_member_str(in, "pin", &e);
    if (!key)
        verrs_add(&e, "key_id", "Vui lòng chọn khóa ký (key_id).");
    if (!pin || !*pin)
        verrs_add(&e, "pin", "Vui lòng nhập mã PIN.");
    result_t res = RES_INVALID;
    if (e.count) {
        json_t *doc = NULL; /* who may know the document first */
        res = doc_get(r->app, &r->actor, id, &doc);
        json_decref(doc);
        if (res == RES_OK)
            res = RES_INVALID;
    } else {
        res = fn(r->app, &r->actor, id, key, pin, &e);
    }
    if (res != RES_OK) {
        api_doc_step_problem(r, res, &e);
        return;
    }
    api_doc_answer(r, 200, id);
}

void api_document_sign(struct req *r)
{
    key_step(r, doc_outgoing_sign);
}

void api_document_seal(struct req *r)
{
    key_step(r, doc_outgoing_seal);
}

/* standards.md §5: the agency's signature on the scan of a paper original. */
void api_document_agency_sign(struct req *r)
{
    key_step(r, doc_digitise_sign);
}

void api_document_issue(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    if (!id) {
        resp_result(r, RES_NOT_FOUND);
        return;
    }
    struct verrs e = {0};
    result_t res = doc_outgoing_issue(r->app, &r->actor, id, &e);
    if (res != RES_OK) {
        api_doc_step_problem(r, res, &e);
        return;
    }
    api_doc_answer(r, 200, id);
}

/* GET /documents/outbox?status=waiting|sent|failed: what waits to be sent to agencies
 * outside the installation, urgent first. */
void api_documents_outbox(struct req *r)
{
    json_t *list = NULL;
    result_t res = doc_outbox_list(r->app, &r->actor, req_query(r, "status"), &list);
    if (res == RES_INVALID) {
        struct verrs e = {0};
        verrs_add(&e, "status", "status phải là waiting, sent hoặc failed.");
        resp_problem(r, 400, "validation", "Tham số không hợp lệ", NULL, &e);
        return;
    }
    resp_list(r, res, "outbox", list);
}

/* Review-circuit templates of the actor's agency (standards.md §6): GET lists them
 * (its members), POST /circuit-templates/{doc_type} {"steps": [{kind, department_id |
 * user_id | position_id}]} replaces one (its administrators); no steps = none. */
void api_circuit_templates(struct req *r)
{
    json_t *out = NULL;
    result_t res = doc_circuit_list(r->app, &r->actor, req_query(r, "doc_type"), &out);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, 200, out);
}

void api_circuit_template_set(struct req *r)
{
    const char *type = req_param(r, "doc_type");
    json_t *in = req_json(r);
    if (!in)
        return;
    static const char *const known[] = {"steps", NULL};
    struct verrs e = {0};
    json_unknown_members(in, known, &e);
    json_t *list = json_object_get(in, "steps");
    const char *key;
    json_t *v;
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    if (!json_is_array(list))
        verrs_add(&e, "steps", "steps phải là một mảng các bước duyệt.");
    else if (n > DOC_MAX_CIRCUIT_STEPS)
        verrs_add(&e, "steps", "Tối đa %d bước duyệt trước người ký.", DOC_MAX_CIRCUIT_STEPS);
    struct doc_circuit_step_input *st = arena_alloc(&r->arena, (n ? n : 1) * sizeof(*st));
    for (size_t i = 0; st && !e.count && i < n; i++) {
        json_t *x = json_array_get(list, i);
        if (!json_is_object(x)) {
            verrs_add(&e, "steps", "Mỗi bước là một đối tượng {kind, ...}.");
            break;
        }
        json_object_foreach(x, key, v)
        {
            if (strcmp(key, "kind") && strcmp(key, "department_id") && strcmp(key, "user_id") &&
                strcmp(key, "position_id"))
                verrs_add(&e, "steps", "Bước %zu: trường “%s” không dùng ở đây.", i + 1,
                          DOC_CUT(key, 60));
        }
        st[i] =
            (struct doc_circuit_step_input){.kind = json_member_str(x, "kind", &e),
                                            .department_id = json_member_id(x, "department_id", &e),
                                            .user_id = json_member_id(x, "user_id", &e),
                                            .position_id = json_member_id(x, "position_id", &e)};
    }
    result_t res = e.count ? RES_INVALID : doc_circuit_set(r->app, &r->actor, type, st, n, &e);
    if (res == RES_INVALID && e.count) {
        api_doc_problem(r, res, &e);
        return;
    }
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    json_t *out = NULL;
    res = doc_circuit_list(r->app, &r->actor, type, &out);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, 200, out);
}
