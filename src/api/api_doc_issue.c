/* POST /api/v1/documents/issue {"ids": [...]}: the clerk issues several signed and sealed
 * documents at once, urgent ones first (doc_issue_batch). 200 with one result per
 * document in the order they were issued — {id, status 200 and state "issued", or the
 * status the single POST /documents/{id}/issue would have answered (404, 403, 409, 422)
 * with its detail and errors}; 403 for a non-clerk and 422 for a bad list, with nothing
 * issued. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "doc/doc.h"
#include "util/alloc.h"

static json_t *item_json(const struct doc_issue_item *it)
{
    json_t *o = json_pack("{s:I}", "id", (json_int_t)it->id);
    int status;
    const char *detail = NULL;
    switch (it->r) {
    case RES_OK:
        status = 200;
        json_object_set_new(o, "state", json_string("issued"));
        break;
    case RES_NOT_FOUND:
        status = 404;
        detail = "Văn bản không tồn tại hoặc bạn không có quyền xem.";
        break;
    case RES_FORBIDDEN:
        status = 403;
        detail = "Bạn không có quyền ban hành văn bản này.";
        break;
    case RES_CONFLICT:
        status = 409;
        detail = verrs_get(&it->e, "action");
        if (!detail)
            detail = "Không ban hành văn bản được lúc này.";
        break;
    case RES_INVALID:
        status = 422;
        detail = "Vui lòng kiểm tra các trường được báo lỗi.";
        break;
    case RES_BUSY:
    case RES_DB:
    case RES_RECONNECT:
        status = 503;
        detail = "Cơ sở dữ liệu tạm thời không truy cập được; văn bản chưa được ban hành.";
        break;
    default:
        status = 500;
        detail = "Đã có lỗi xảy ra; văn bản chưa được ban hành.";
    }
    json_object_set_new(o, "status", json_integer(status));
    if (detail)
        json_object_set_new(o, "detail", json_string(detail));
    json_t *errs = json_object();
    for (int i = 0; i < it->e.count; i++)
        if (strcmp(it->e.items[i].field, "action"))
            json_object_set_new(errs, it->e.items[i].field, json_string(it->e.items[i].message));
    if (json_object_size(errs))
        json_object_set_new(o, "errors", errs);
    else
        json_decref(errs);
    return o;
}

void api_documents_issue_batch(struct req *r)
{
    json_t *in = req_json(r);
    if (!in)
        return;
    static const char *const known[] = {"ids", NULL};
    struct verrs e = {0};
    json_unknown_members(in, known, &e);
    json_t *list = json_object_get(in, "ids");
    int64_t ids[DOC_ISSUE_BATCH_MAX];
    size_t n = 0;
    if (!json_is_array(list) || json_array_size(list) < 1 ||
        json_array_size(list) > DOC_ISSUE_BATCH_MAX)
        verrs_add(&e, "ids", "ids là mảng từ 1 đến %d mã văn bản.", DOC_ISSUE_BATCH_MAX);
    for (size_t i = 0; !e.count && i < json_array_size(list); i++) {
        json_t *v = json_array_get(list, i);
        if (!json_is_integer(v) || json_integer_value(v) < 1) {
            verrs_add(&e, "ids", "Phần tử thứ %zu của ids không phải mã văn bản (số nguyên dương).",
                      i + 1);
            break;
        }
        ids[n++] = json_integer_value(v);
    }
    /* one struct verrs per document: on the heap (100 of them are 650 KB) */
    struct doc_issue_item *items = e.count ? NULL : xcalloc(n, sizeof(*items));
    result_t res = e.count ? RES_INVALID : doc_issue_batch(r->app, &r->actor, ids, n, items, &e);
    if (res != RES_OK) {
        free(items);
        api_doc_problem(r, res, &e);
        return;
    }
    json_t *results = json_array();
    size_t issued = 0;
    for (size_t i = 0; i < n; i++) {
        issued += items[i].r == RES_OK;
        json_array_append_new(results, item_json(&items[i]));
    }
    free(items);
    resp_json(r, 200,
              json_pack("{s:o,s:I,s:I}", "results", results, "issued", (json_int_t)issued, "failed",
                        (json_int_t)(n - issued)));
}
