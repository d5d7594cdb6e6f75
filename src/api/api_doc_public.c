/* /api/v1 drafts for public comment (issue 12, Khánh Hòa Điều 9), the drafter's side:
 * publish a draft for comment, close it early, read the comments. The public side (the
 * page, its PDF, the comment form) is web only (src/web/pages_public.c): its form is
 * protected by a pre-session CSRF cookie, which an API client has no use for. Answers:
 * the consultation (doc_public_get) or problem+json — 404 unknown or hidden, 403 refused
 * by the policy, 409 not possible now (detail says why), 422 field errors. */
#include <stdlib.h>

#include "api/api.h"
#include "doc/doc.h"
#include "util/str.h"

static void answer(struct req *r, int status, int64_t id)
{
    json_t *out = NULL;
    int64_t before = 0, limit = 50, round = 0;
    const char *v = req_query(r, "before");
    if (v && str_to_i64(v, 1, INT64_MAX, &before) != RES_OK)
        before = 0;
    v = req_query(r, "limit");
    if (v && str_to_i64(v, 1, DOC_LIST_MAX, &limit) != RES_OK) {
        struct verrs e = {0};
        verrs_add(&e, "limit", "limit phải từ 1 đến %d.", DOC_LIST_MAX);
        resp_problem(r, 400, "validation", "Tham số không hợp lệ", NULL, &e);
        return;
    }
    v = req_query(r, "round");
    if (v && str_to_i64(v, 1, DOC_PUBLIC_ROUNDS_MAX, &round) != RES_OK) {
        struct verrs e = {0};
        verrs_add(&e, "round", "round phải từ 1 đến %d.", DOC_PUBLIC_ROUNDS_MAX);
        resp_problem(r, 400, "validation", "Tham số không hợp lệ", NULL, &e);
        return;
    }
    result_t res = doc_public_get(r->app, &r->actor, id, (int)round, before, (int)limit, &out);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, status, out);
}

/* GET /documents/{id}/consultation?round=&before=&limit= (no round: the newest) */
void api_document_consultation(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    if (!id) {
        resp_result(r, RES_NOT_FOUND);
        return;
    }
    answer(r, 200, id);
}

/* POST /documents/{id}/consultation {deadline, summary?}: the next round */
void api_document_consultation_publish(struct req *r)
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
    static const char *const known[] = {"deadline", "summary", NULL};
    json_unknown_members(in, known, &e);
    json_t *dl = json_object_get(in, "deadline"), *sm = json_object_get(in, "summary");
    if (dl && !json_is_string(dl))
        verrs_add(&e, "deadline",
                  "deadline phải là chuỗi ngày (YYYY-MM-DD) hoặc thời điểm ISO 8601.");
    if (sm && !json_is_null(sm) && !json_is_string(sm))
        verrs_add(&e, "summary", "summary phải là chuỗi ký tự.");
    if (e.count) {
        api_doc_problem(r, RES_INVALID, &e);
        return;
    }
    struct doc_public_input pi = {.deadline = json_str(in, "deadline"),
                                  .summary = json_str(in, "summary")};
    char slug[DOC_PUBLIC_SLUG_LEN + 1];
    result_t res = doc_public_publish(r->app, &r->actor, id, &pi, &e, slug);
    if (res != RES_OK) {
        api_doc_step_problem(r, res, &e);
        return;
    }
    answer(r, 201, id); /* the newest round: the one just published */
}

/* POST /documents/{id}/consultation/close */
void api_document_consultation_close(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    if (!id) {
        resp_result(r, RES_NOT_FOUND);
        return;
    }
    struct verrs e = {0};
    result_t res = doc_public_close(r->app, &r->actor, id, &e);
    if (res != RES_OK) {
        api_doc_step_problem(r, res, &e);
        return;
    }
    answer(r, 200, id);
}
