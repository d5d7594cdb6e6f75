/* /api/v1 receiving documents (issue 11, standards.md §5, §9): the clerk registers or
 * refuses a document that arrived from another agency of the installation, and
 * downloads the register book (sổ đăng ký văn bản đến) as PDF or XLSX. Each handler
 * parses its input, calls one doc/ function and renders JSON or problem+json. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "doc/doc.h"
#include "util/str.h"

void api_document_register(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    if (!id) {
        resp_result(r, RES_NOT_FOUND);
        return;
    }
    json_t *in = req_json(r);
    if (!in)
        return;
    static const char *const known[] = {"register_id", "page_count", "notes", "confirm_duplicate",
                                        NULL};
    struct verrs e = {0};
    json_unknown_members(in, known, &e);
    struct doc_arrived_input ai = {.page_count = -1};
    json_t *v = json_object_get(in, "register_id");
    if (!json_is_integer(v))
        verrs_add(&e, "register_id", "Vui lòng chọn sổ văn bản đến (register_id, số nguyên).");
    else
        ai.register_id = json_integer_value(v);
    v = json_object_get(in, "page_count");
    if (v && !json_is_null(v) && !json_is_integer(v))
        verrs_add(&e, "page_count", "Số trang phải là số nguyên.");
    else if (json_is_integer(v))
        ai.page_count = json_integer_value(v);
    v = json_object_get(in, "notes");
    if (v && !json_is_null(v) && !json_is_string(v))
        verrs_add(&e, "notes", "Ghi chú phải là chuỗi ký tự.");
    ai.notes = json_string_value(v);
    v = json_object_get(in, "confirm_duplicate");
    if (v && !json_is_null(v) && !json_is_boolean(v))
        verrs_add(&e, "confirm_duplicate", "confirm_duplicate phải là true hoặc false.");
    ai.confirm_duplicate = json_is_true(v);
    struct doc_registered out = {0};
    result_t res =
        e.count ? RES_INVALID : doc_register_arrived(r->app, &r->actor, id, &ai, &e, &out);
    if (res == RES_CONFLICT && out.duplicate_of)
        api_doc_duplicate_problem(r, &e, &out.duplicate);
    else if (res != RES_OK)
        api_doc_problem(r, res, &e);
    else
        api_doc_answer(r, 200, id);
}

void api_document_refuse(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    if (!id) {
        resp_result(r, RES_NOT_FOUND);
        return;
    }
    json_t *in = req_json(r);
    if (!in)
        return;
    static const char *const known[] = {"reason", NULL};
    struct verrs e = {0};
    json_unknown_members(in, known, &e);
    json_t *v = json_object_get(in, "reason");
    if (v && !json_is_null(v) && !json_is_string(v))
        verrs_add(&e, "reason", "Lý do từ chối phải là chuỗi ký tự.");
    result_t res =
        e.count ? RES_INVALID : doc_refuse(r->app, &r->actor, id, json_string_value(v), &e);
    if (res != RES_OK)
        api_doc_problem(r, res, &e);
    else
        api_doc_answer(r, 200, id);
}

void api_register_book(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    if (!id) {
        resp_result(r, RES_NOT_FOUND);
        return;
    }
    struct verrs e = {0};
    const char *fmt = req_query(r, "format");
    enum doc_book_format format = DOC_BOOK_PDF;
    if (fmt && *fmt && !strcmp(fmt, "xlsx"))
        format = DOC_BOOK_XLSX;
    else if (fmt && *fmt && strcmp(fmt, "pdf"))
        verrs_add(&e, "format", "format phải là pdf hoặc xlsx.");
    struct buf out = BUF_INIT(64L << 20);
    char *name = NULL;
    result_t res = e.count ? RES_INVALID
                           : doc_book(r->app, &r->actor, id, req_query(r, "from"),
                                      req_query(r, "to"), format, &e, &out, &name);
    if (res == RES_INVALID) /* every input is a query parameter: 400 (docs/api.md) */
        resp_problem(r, 400, "validation", "Tham số không hợp lệ", NULL, &e);
    else if (res == RES_TOO_LARGE)
        resp_problem(r, 400, "too_many_rows", "Khoảng thời gian quá lớn", NULL, &e);
    else if (res != RES_OK)
        resp_result(r, res);
    else /* resp_file copies name and bytes before they are released below */
        resp_file(r,
                  format == DOC_BOOK_PDF
                      ? "application/pdf"
                      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  arena_strndup(&r->arena, name, strlen(name)), false, out.data, out.len);
    free(name);
    buf_release(&out);
}
