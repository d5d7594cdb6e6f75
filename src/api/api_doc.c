/* /api/v1 documents and registers: registering an incoming document (multipart: a
 * JSON `metadata` field, the `main` file and `appendix` files), reading one, the
 * agency's lists, file downloads, and the registers (sổ văn bản). Each handler parses
 * its input, calls one doc/ function and renders JSON or problem+json. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "doc/doc.h"
#include "util/str.h"

void api_doc_problem(struct req *r, result_t res, const struct verrs *e)
{
    if ((res == RES_INVALID || res == RES_CONFLICT) && e->count)
        resp_problem(r, res == RES_CONFLICT ? 409 : 422, "validation", "Dữ liệu không hợp lệ",
                     "Vui lòng kiểm tra các trường được báo lỗi.", e);
    else
        resp_result(r, res);
}

void api_doc_step_problem(struct req *r, result_t res, const struct verrs *e)
{
    if (res == RES_CONFLICT && verrs_get(e, "action"))
        resp_problem(r, 409, "step_not_allowed", "Không thực hiện được ở bước này",
                     verrs_get(e, "action"), NULL);
    else
        api_doc_problem(r, res, e);
}

void api_doc_answer(struct req *r, int status, int64_t id)
{
    json_t *doc = NULL;
    result_t res = doc_get(r->app, &r->actor, id, &doc);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, status, doc);
}

/* ---- registers ---- */

void api_registers_list(struct req *r)
{
    json_t *list = NULL;
    const char *kind = req_query(r, "kind");
    result_t res = doc_registers_list(r->app, &r->actor, req_target_agency(r), kind, &list);
    resp_list(r, res, "registers", list);
}

void api_registers_create(struct req *r)
{
    json_t *in = req_json(r);
    if (!in)
        return;
    static const char *const known[] = {"kind",      "name",      "year_mode", "year",
                                        "doc_types", "normative", NULL};
    struct verrs e = {0};
    json_unknown_members(in, known, &e);
    struct doc_register_input ri = {.kind = json_str(in, "kind"),
                                    .name = json_str(in, "name"),
                                    .year_mode = json_str(in, "year_mode")};
    json_t *y = json_object_get(in, "year");
    if (y && !json_is_null(y) && !json_is_integer(y))
        verrs_add(&e, "year", "Năm phải là số nguyên.");
    ri.year = json_is_integer(y) ? json_integer_value(y) : 0;
    json_t *dt = json_object_get(in, "doc_types");
    const char *types[21];
    if (dt && !json_is_null(dt)) {
        if (!json_is_array(dt) || json_array_size(dt) > 20)
            verrs_add(&e, "doc_types", "doc_types là mảng tối đa 20 mã loại văn bản.");
        for (size_t i = 0; json_is_array(dt) && i < json_array_size(dt) && i < 20; i++) {
            types[i] = json_string_value(json_array_get(dt, i));
            if (!types[i]) {
                verrs_add(&e, "doc_types", "Mỗi loại văn bản là một chuỗi (mã loại).");
                break;
            }
            ri.ndoc_types = i + 1;
        }
        ri.doc_types = types;
    }
    json_t *nv = json_object_get(in, "normative");
    if (nv && !json_is_null(nv) && !json_is_boolean(nv))
        verrs_add(&e, "normative", "normative phải là true hoặc false.");
    ri.normative = json_is_true(nv);
    int64_t id = 0;
    result_t res =
        e.count ? RES_INVALID
                : doc_registers_create(r->app, &r->actor, req_target_agency(r), &ri, &e, &id);
    if (res != RES_OK) {
        api_doc_problem(r, res, &e);
        return;
    }
    json_t *list = NULL;
    json_t *out = NULL;
    if (doc_registers_list(r->app, &r->actor, req_target_agency(r), NULL, &list) == RES_OK) {
        size_t i;
        json_t *v;
        json_array_foreach(list, i, v)
        {
            if (json_integer_value(json_object_get(v, "id")) == id)
                out = json_incref(v);
        }
    }
    json_decref(list);
    resp_json(r, 201, out ? out : json_pack("{s:I}", "id", (json_int_t)id));
}

/* ---- documents ---- */

/* The members the metadata object may carry; anything else is a typo to report. */
static const char *const metadata_keys[] = {
    "register_id", "medium",      "issuer_code",     "issuer_name",
    "number",      "symbol",      "issued_date",     "doc_type",
    "subject",     "signer_name", "signer_position", "page_count",
    "urgency",     "secrecy",     "due_date",        "recipients",
    "language",    "notes",       "received_at",     "confirm_duplicate",
    NULL};

static bool metadata_from(struct req *r, json_t *m, struct doc_incoming_input *in, struct verrs *e)
{
    json_unknown_members_at(m, metadata_keys, "metadata", e);
    memset(in, 0, sizeof(*in));
    in->register_id = json_member_int(m, "register_id", e);
    in->medium = json_member_str(m, "medium", e);
    in->issuer_code = json_member_str(m, "issuer_code", e);
    in->issuer_name = json_member_str(m, "issuer_name", e);
    in->number = json_member_str(m, "number", e);
    in->symbol = json_member_str(m, "symbol", e);
    in->issued_date = json_member_str(m, "issued_date", e);
    in->doc_type = json_member_str(m, "doc_type", e);
    in->subject = json_member_str(m, "subject", e);
    in->signer_name = json_member_str(m, "signer_name", e);
    in->signer_position = json_member_str(m, "signer_position", e);
    in->page_count = json_member_int(m, "page_count", e);
    in->urgency = json_member_str(m, "urgency", e);
    in->secrecy = json_member_str(m, "secrecy", e);
    in->due_date = json_member_str(m, "due_date", e);
    in->language = json_member_str(m, "language", e);
    in->notes = json_member_str(m, "notes", e);
    in->received_at = json_member_str(m, "received_at", e);
    json_t *cd = json_object_get(m, "confirm_duplicate");
    if (cd && !json_is_boolean(cd) && !json_is_null(cd))
        verrs_add(e, "confirm_duplicate", "confirm_duplicate phải là true hoặc false.");
    in->confirm_duplicate = json_is_true(cd);
    json_t *rec = json_object_get(m, "recipients");
    if (rec && !json_is_null(rec)) {
        if (!json_is_array(rec) || json_array_size(rec) > 50) {
            verrs_add(e, "recipients", "recipients phải là danh sách tên nơi nhận (tối đa 50).");
        } else {
            size_t n = json_array_size(rec);
            const char **list = arena_alloc(&r->arena, (n ? n : 1) * sizeof(*list));
            for (size_t i = 0; i < n; i++) {
                list[i] = json_string_value(json_array_get(rec, i));
                if (!list[i])
                    verrs_add(e, "recipients", "Mỗi nơi nhận phải là chuỗi ký tự.");
            }
            in->recipients = list;
            in->nrecipients = e->count ? 0 : n;
        }
    }
    return e->count == 0;
}

/* 409 for a document already registered: the problem names the earlier one
 * (duplicate_of: its summary, so the clerk sees it and decides — ND30 Phụ lục VI). */
void api_doc_duplicate_problem(struct req *r, const struct verrs *e,
                               const struct doc_duplicate *earlier)
{
    json_t *p = json_object();
    json_object_set_new(p, "type", json_string("urn:qlvb:problem:duplicate"));
    json_object_set_new(p, "title", json_string("Văn bản đã được vào sổ"));
    json_object_set_new(p, "status", json_integer(409));
    json_object_set_new(p, "detail", json_string(verrs_get(e, "confirm_duplicate")));
    json_object_set_new(p, "request_id", json_string(r->id));
    json_t *errs = json_object();
    for (int i = 0; i < e->count; i++)
        json_object_set_new(errs, e->items[i].field, json_string(e->items[i].message));
    json_object_set_new(p, "errors", errs);
    json_object_set_new(p, "duplicate_of", doc_duplicate_json(earlier));
    resp_json(r, 409, p);
    r->content_type = "application/problem+json; charset=utf-8";
}

void api_documents_incoming_create(struct req *r)
{
    const char *ct = req_header(r, "Content-Type");
    if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0) {
        resp_problem(r, 415, "unsupported_media_type", "Định dạng không được hỗ trợ",
                     "Gửi multipart/form-data: trường metadata (JSON), tệp main và các tệp "
                     "appendix.",
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
    static const char *const known[] = {"metadata", "main", "appendix", NULL};
    if (resp_form_unknown(r, known))
        return;
    struct verrs e = {0};
    /* The metadata as a text field, or as a file part (curl -F metadata=@meta.json). */
    const char *meta = req_form(r, "metadata");
    const struct mp_part *meta_file = meta ? NULL : req_file(r, "metadata");
    if (meta_file && !memchr(meta_file->data, '\0', meta_file->len))
        meta = arena_strndup(&r->arena, (const char *)meta_file->data, meta_file->len);
    json_error_t jerr;
    json_t *m = meta ? json_loads(meta, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (!meta)
        verrs_add(&e, "metadata", "Thiếu trường metadata (đối tượng JSON mô tả văn bản).");
    else if (!json_is_object(m))
        verrs_add(&e, "metadata", "metadata phải là một đối tượng JSON hợp lệ (dòng %d, cột %d).",
                  jerr.line, jerr.column);
    struct doc_incoming_input in;
    bool ok = json_is_object(m) && metadata_from(r, m, &in, &e);
    struct doc_upload files[REQ_MAX_FILES];
    size_t n = 0;
    for (int i = 0; i < r->nfiles && n < REQ_MAX_FILES; i++) {
        const struct mp_part *p = &r->files[i];
        if ((!p->len && !*p->filename) || !strcmp(p->name, "metadata"))
            continue; /* a file input left empty by a browser; the metadata itself */
        files[n++] = (struct doc_upload){
            .role = p->name, .file_name = p->filename, .data = p->data, .len = p->len};
    }
    struct doc_registered out = {0};
    result_t res =
        ok ? doc_register_incoming(r->app, &r->actor, &in, files, n, &e, &out) : RES_INVALID;
    if (res == RES_CONFLICT && out.duplicate_of) {
        api_doc_duplicate_problem(r, &e, &out.duplicate);
    } else if (res != RES_OK) {
        api_doc_problem(r, res, &e);
    } else {
        json_t *doc = NULL;
        if (doc_get(r->app, &r->actor, out.id, &doc) != RES_OK)
            doc = json_pack("{s:I,s:I,s:i}", "id", (json_int_t)out.id, "arrival_number",
                            (json_int_t)out.arrival_number, "year", out.year);
        resp_header(r, "Location",
                    arena_printf(&r->arena, "/api/v1/documents/%lld", (long long)out.id));
        resp_json(r, 201, doc);
    }
    json_decref(m);
}

static bool query_int(struct req *r, const char *name, int64_t min, int64_t max, int64_t *out,
                      struct verrs *e, const char *field)
{
    const char *v = req_query(r, name);
    *out = 0;
    if (!v || !*v)
        return true;
    if (str_to_i64(v, min, max, out) != RES_OK) {
        verrs_add(e, field, "%s phải là số nguyên từ %lld đến %lld.", name, (long long)min,
                  (long long)max);
        return false;
    }
    return true;
}

/* Every input here is a query parameter: a bad one is 400 naming it (docs/api.md). */
static void query_problem(struct req *r, result_t res, const struct verrs *e)
{
    if (res == RES_INVALID)
        resp_problem(r, 400, "validation", "Tham số không hợp lệ", NULL, e);
    else
        api_doc_problem(r, res, e);
}

void api_documents_list(struct req *r)
{
    struct verrs e = {0};
    struct doc_filter f = {.direction = req_query(r, "direction"),
                           .box = req_query(r, "box"),
                           .issuer = req_query(r, "issuer"),
                           .doc_type = req_query(r, "doc_type"),
                           .received_from = req_query(r, "received_from"),
                           .received_to = req_query(r, "received_to"),
                           .state = req_query(r, "state"),
                           .q = req_query(r, "q"),
                           .sort = req_query(r, "sort"),
                           .cursor = req_query(r, "cursor"),
                           .urgency = -1};
    int64_t limit = 0;
    query_int(r, "register_id", 1, INT64_MAX, &f.register_id, &e, "register_id");
    query_int(r, "year", 1900, 2100, &f.year, &e, "year");
    query_int(r, "limit", 1, DOC_LIST_MAX, &limit, &e, "limit");
    query_int(r, "handler", 1, INT64_MAX, &f.handler, &e, "handler");
    f.limit = (int)limit;
    const char *u = req_query(r, "urgency");
    if (u && *u && (f.urgency = doc_urgency_parse(u)) < 0)
        verrs_add(&e, "urgency",
                  "urgency phải là thuong, khan, thuong_khan, hoa_toc hoặc hoa_toc_hen_gio.");
    json_t *list = NULL;
    char *next = NULL;
    result_t res = e.count ? RES_INVALID : doc_list(r->app, &r->actor, &f, &e, &list, &next);
    if (res != RES_OK) {
        query_problem(r, res, &e);
        return;
    }
    json_t *o = json_object();
    json_object_set_new(o, "documents", list);
    json_object_set_new(o, "next_cursor", next ? json_string(next) : json_null());
    free(next);
    resp_json(r, 200, o);
}

void api_documents_counts(struct req *r)
{
    json_t *o = NULL;
    result_t res = doc_counts(r->app, &r->actor, &o);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, 200, o);
}

void api_documents_tracking(struct req *r)
{
    struct verrs e = {0};
    json_t *o = NULL;
    result_t res =
        doc_tracking(r->app, &r->actor, req_query(r, "from"), req_query(r, "to"), &e, &o);
    if (res != RES_OK) {
        query_problem(r, res, &e);
        return;
    }
    resp_json(r, 200, o);
}

void api_document_get(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    json_t *doc = NULL;
    /* Opening it is what a for-information recipient has to do (seen_at, doc.h). */
    result_t res = id ? doc_mark_seen(r->app, &r->actor, id) : RES_NOT_FOUND;
    if (res == RES_OK)
        res = doc_get(r->app, &r->actor, id, &doc);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, 200, doc);
}

void api_document_file(struct req *r)
{
    int64_t id = req_param_id(r, "id"), file_id = req_param_id(r, "file_id");
    struct doc_file_data f = {0};
    buf_init(&f.data, (size_t)(r->app->cfg.max_blob > 0 ? r->app->cfg.max_blob : 256L << 20));
    result_t res = id && file_id ? doc_file_get(r->app, &r->actor, id, file_id, &f) : RES_NOT_FOUND;
    if (res == RES_OK) /* the type is sent after this returns: it must live in the arena */
        resp_file(r, arena_strndup(&r->arena, f.content_type, strlen(f.content_type)), f.file_name,
                  !strcmp(f.content_type, "application/pdf"), f.data.data, f.data.len);
    else if (res == RES_CRYPTO)
        resp_error(r, 500, "Tệp bị hỏng",
                   "Tệp lưu trữ không khớp mã kiểm tra nên không được tải xuống. Vui lòng báo "
                   "quản trị hệ thống kèm mã yêu cầu.");
    else
        resp_result(r, res);
    buf_release(&f.data);
}
