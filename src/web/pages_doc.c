/* "Văn bản đến": the agency's incoming documents (list with filters and keyset paging),
 * the clerk's registration form (vào sổ, standards.md §9 metadata, the scanned main
 * file and appendices), one document's page (metadata, the main PDF shown in the page,
 * files, signature reports, timeline) and the file route the page frames. Every page
 * calls one doc/ function, which asks the policy; the pages only shape its JSON for
 * the templates (dates in Vietnam time, Vietnamese labels). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sigcheck.h"
#include "core/trust.h"
#include "doc/doc.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/menu.h"
#include "web/pages.h"
#include "web/render.h"

#define SIGCHECK_MAX_FILES 4                   /* PDFs verified per page view */
#define SIGCHECK_MAX_BYTES (32L * 1024 * 1024) /* larger ones are not verified inline */
#define FORM_RECIPIENTS    50                  /* lines of "Nơi nhận" (doc_incoming.c limit) */

/* ---- labels ---- */

/* document.state → Vietnamese (migration 0007's states). */
static const char *state_label(const char *state)
{
    static const struct {
        const char *key, *label;
    } map[] = {
        {"arrived", "Chờ tiếp nhận"},   {"refused", "Đã từ chối"},
        {"registered", "Đã vào sổ"},    {"presented", "Chờ lãnh đạo phân công"},
        {"assigned", "Đã giao xử lý"},  {"in_progress", "Đang xử lý"},
        {"completed", "Đã hoàn thành"}, {"recalled", "Đã thu hồi"},
        {"draft", "Dự thảo"},           {"reviewing", "Đang xem xét"},
        {"approved", "Đã duyệt"},       {"signed", "Đã ký"},
        {"issued", "Đã phát hành"},     {"cancelled", "Đã hủy"},
    };
    for (size_t i = 0; state && i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(map[i].key, state))
            return map[i].label;
    return "Không xác định";
}

/* doc_history.action → Vietnamese. */
static const char *action_label(const char *action)
{
    static const struct {
        const char *key, *label;
    } map[] = {
        {"received", "Tiếp nhận, vào sổ"}, {"register", "Vào sổ"},
        {"refuse", "Từ chối tiếp nhận"},   {"present", "Trình lãnh đạo"},
        {"assign", "Phân công xử lý"},     {"reassign", "Phân công lại"},
        {"withdraw", "Thu hồi"},           {"accept", "Nhận xử lý"},
        {"comment", "Cho ý kiến"},         {"attach", "Đính kèm tệp"},
        {"forward", "Chuyển tiếp"},        {"return", "Trả lại"},
        {"complete", "Hoàn thành xử lý"},  {"arrived", "Văn bản đến qua hệ thống"},
    };
    for (size_t i = 0; action && i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(map[i].key, action))
            return map[i].label;
    return "Thao tác khác";
}

/* "2026-11-22..." → "22/11/2026"; "" when s is not a date. */
static const char *vn_date(struct req *r, const char *s)
{
    if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
        return "";
    return arena_printf(&r->arena, "%.2s/%.2s/%.4s", s + 8, s + 5, s);
}

/* "2026-11-22T09:05:00+07:00" (doc/ writes instants in Vietnam time) → "09:05". */
static const char *vn_time(struct req *r, const char *s)
{
    if (!s || strlen(s) < 16 || s[10] != 'T')
        return "";
    return arena_printf(&r->arena, "%.5s", s + 11);
}

static void set_str(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, json_string(v ? v : ""));
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The display keys of one document of doc_list or doc_get. */
static void decorate_doc(struct req *r, json_t *d)
{
    int64_t id = json_integer_value(json_object_get(d, "id"));
    set_str(d, "href", arena_printf(&r->arena, "/documents/%lld", (long long)id));
    const char *received = jstr(d, "received_at");
    set_str(d, "received_date", vn_date(r, received));
    set_str(d, "received_time", vn_time(r, received));
    set_str(d, "issued_date_vn", vn_date(r, jstr(d, "issued_date")));
    set_str(d, "due_date_vn", vn_date(r, jstr(d, "due_date")));
    set_str(d, "state_label", state_label(jstr(d, "state")));
    set_str(d, "medium_label",
            !strcmp(jstr(d, "medium"), "electronic") ? "Văn bản điện tử" : "Văn bản giấy");
    const char *u = jstr(d, "urgency");
    /* §3: Khẩn, Thượng khẩn, Hỏa tốc are flagged; Thường is not. */
    json_object_set_new(d, "urgent", json_boolean(*u && strcmp(u, "thuong") != 0));
    set_str(d, "urgency_class",
            !strncmp(u, "hoa_toc", 7)   ? "fire"
            : !strcmp(u, "thuong_khan") ? "high"
                                        : "urgent");
    json_t *n = json_object_get(d, "arrival_number");
    if (json_is_integer(n))
        set_str(d, "arrival_text",
                arena_printf(&r->arena, "%lld", (long long)json_integer_value(n)));
    else
        set_str(d, "arrival_text", "—");
}

/* ---- list ---- */

static json_t *year_options(int64_t selected, int64_t this_year)
{
    json_t *a = json_array();
    for (int64_t y = this_year; y > this_year - 5; y--)
        json_array_append_new(
            a, json_pack("{s:I,s:b}", "value", (json_int_t)y, "selected", y == selected));
    return a;
}

static json_t *urgency_options(int selected)
{
    json_t *a = json_array();
    for (int i = 0; i < 5; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "key", doc_urgency_keys[i], "label",
                                           doc_urgency_labels[i], "selected", i == selected));
    return a;
}

/* The agency's incoming registers as select options; NULL selected = none chosen. */
static json_t *register_options(struct req *r, int64_t selected, bool *any)
{
    json_t *list = NULL;
    *any = false;
    if (doc_registers_list(r->app, &r->actor, r->actor.agency_id, "incoming", &list) != RES_OK)
        return json_array();
    size_t i;
    json_t *g;
    json_array_foreach(list, i, g)
    {
        int64_t id = json_integer_value(json_object_get(g, "id"));
        json_object_set_new(g, "selected", json_boolean(id == selected));
        *any = true;
    }
    return list;
}

void page_documents(struct req *r)
{
    struct verrs e = {0};
    struct doc_filter f = {.urgency = -1, .cursor = req_query(r, "cursor")};
    const char *year = req_query(r, "year"), *reg = req_query(r, "register_id"),
               *urg = req_query(r, "urgency");
    if (year && *year && str_to_i64(year, 1900, 2100, &f.year) != RES_OK)
        verrs_add(&e, "year", "Năm phải là số từ 1900 đến 2100.");
    if (reg && *reg && str_to_i64(reg, 1, INT64_MAX, &f.register_id) != RES_OK)
        verrs_add(&e, "register_id", "Sổ văn bản không hợp lệ.");
    if (urg && *urg && (f.urgency = doc_urgency_parse(urg)) < 0)
        verrs_add(&e, "urgency", "Độ khẩn không có trong danh mục.");
    json_t *list = NULL;
    char *next = NULL;
    result_t res = RES_INVALID;
    if (!e.count) {
        res = doc_list(r->app, &r->actor, &f, &e, &list, &next);
        if (res == RES_INVALID && verrs_get(&e, "cursor")) {
            /* a stale or edited link: start over rather than show an error */
            struct verrs e2 = {0};
            f.cursor = NULL;
            e = e2;
            res = doc_list(r->app, &r->actor, &f, &e, &list, &next);
        }
    }
    if (res != RES_OK && res != RES_INVALID) {
        resp_result(r, res);
        return;
    }
    if (!list)
        list = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(list, i, d) decorate_doc(r, d);

    /* The filters as a query string for the paging link. */
    struct buf qs = BUF_INIT(2048);
    if (f.year)
        buf_printf(&qs, "year=%lld&", (long long)f.year);
    if (f.register_id)
        buf_printf(&qs, "register_id=%lld&", (long long)f.register_id);
    if (f.urgency >= 0)
        buf_printf(&qs, "urgency=%s&", doc_urgency_keys[f.urgency]);
    json_t *page = json_object();
    if (next)
        set_str(page, "next_href",
                arena_printf(&r->arena, "/documents?%scursor=%s", qs.len ? buf_str(&qs) : "",
                             web_url_encode(&r->arena, next)));
    if (f.cursor && *f.cursor) {
        char *q = arena_strndup(&r->arena, qs.len ? buf_str(&qs) : "", qs.len ? qs.len - 1 : 0);
        set_str(page, "first_href", arena_printf(&r->arena, "/documents%s%s", *q ? "?" : "", q));
    }
    buf_release(&qs);
    free(next);

    bool any_register = false;
    int64_t this_year = doc_year_of(clock_now()); /* the Vietnam-time year of now */
    json_t *filter = json_object();
    if (f.year)
        json_object_set_new(filter, "year", json_integer(f.year));
    json_object_set_new(filter, "active", json_boolean(f.year || f.register_id || f.urgency >= 0));
    json_t *ctx = json_object();
    set_str(ctx, "title", "Văn bản đến");
    json_object_set_new(ctx, "documents", list);
    json_object_set_new(ctx, "page", page);
    json_object_set_new(ctx, "filter", filter);
    json_object_set_new(ctx, "years", year_options(f.year, this_year));
    json_object_set_new(ctx, "registers", register_options(r, f.register_id, &any_register));
    json_object_set_new(ctx, "urgencies", urgency_options(f.urgency));
    json_object_set_new(ctx, "can_register",
                        json_boolean(web_screen_check(r, SCREEN_DOC_REGISTER) == RES_OK));
    json_object_set_new(ctx, "errors", verrs_json(&e));
    web_render(r, e.count ? 400 : 200, "doc_list", ctx, "documents");
}

/* ---- registration ---- */

/* The form's fields, echoed back when the form is shown again. */
static const char *const form_fields[] = {
    "register_id", "medium",   "issuer_name", "issuer_code", "number",          "symbol",
    "issued_date", "doc_type", "subject",     "signer_name", "signer_position", "page_count",
    "urgency",     "secrecy",  "due_date",    "recipients",  "notes",           NULL};

static void render_register(struct req *r, int status, json_t *form, const struct verrs *e,
                            json_t *duplicate)
{
    int64_t reg = 0;
    const char *rs = jstr(form, "register_id");
    if (*rs)
        str_to_i64(rs, 1, INT64_MAX, &reg);
    bool any = false;
    json_t *registers = register_options(r, reg, &any);
    if (!reg && json_array_size(registers)) /* the first (this year's) register by default */
        json_object_set_new(json_array_get(registers, 0), "selected", json_true());
    json_t *types = json_array();
    const char *type = jstr(form, "doc_type");
    for (size_t i = 0; i < doc_type_count; i++)
        json_array_append_new(types, json_pack("{s:s,s:s,s:b}", "key", doc_types[i].key, "name",
                                               doc_types[i].name, "selected",
                                               !strcmp(type, doc_types[i].key)));
    int u = doc_urgency_parse(jstr(form, "urgency"));
    int sec = doc_secrecy_parse(jstr(form, "secrecy"));
    json_t *secrecy = json_array();
    static const char *const sec_keys[4] = {"", "mat", "toi_mat", "tuyet_mat"};
    for (int i = 0; i < 4; i++)
        json_array_append_new(secrecy, json_pack("{s:s,s:s,s:b}", "key", sec_keys[i], "label",
                                                 i ? doc_secrecy_labels[i] : "Thường (không mật)",
                                                 "selected", i == (sec < 0 ? 0 : sec)));
    json_object_set_new(form, "electronic",
                        json_boolean(!strcmp(jstr(form, "medium"), "electronic")));
    json_t *ctx = json_object();
    set_str(ctx, "title", "Vào sổ văn bản đến");
    json_object_set_new(ctx, "form", form);
    json_object_set_new(ctx, "registers", registers);
    json_object_set_new(ctx, "no_register", json_boolean(!any));
    json_object_set_new(ctx, "doc_types", types);
    json_object_set_new(ctx, "urgencies", urgency_options(u < 0 ? 0 : u));
    json_object_set_new(ctx, "secrecies", secrecy);
    json_object_set_new(ctx, "subject_max", json_integer(DOC_SUBJECT_MAX));
    json_object_set_new(ctx, "max_appendices", json_integer(DOC_MAX_APPENDICES));
    if (duplicate)
        json_object_set_new(ctx, "duplicate", duplicate);
    json_object_set_new(ctx, "errors", e ? verrs_json(e) : json_object());
    web_render(r, status, "doc_register", ctx, "doc_register");
}

void page_document_new(struct req *r)
{
    if (web_screen_check(r, SCREEN_DOC_REGISTER) != RES_OK) {
        resp_error(r, 403, "Không có quyền vào sổ",
                   "Chỉ văn thư của cơ quan được tiếp nhận và vào sổ văn bản đến.");
        return;
    }
    render_register(r, 200, json_object(), NULL, NULL);
}

void page_document_new_post(struct req *r)
{
    if (req_form_bad(r)) {
        const char *why = req_form_error(r);
        resp_error(r, 400, "Dữ liệu không hợp lệ",
                   why ? why : "Biểu mẫu gửi lên không đọc được. Vui lòng tải lại trang.");
        return;
    }
    struct verrs e = {0};
    json_t *form = json_object();
    for (int i = 0; form_fields[i]; i++)
        set_str(form, form_fields[i], req_form(r, form_fields[i]));
    struct doc_incoming_input in = {0};
    const char *reg = req_form(r, "register_id");
    if (!reg || !*reg || str_to_i64(reg, 1, INT64_MAX, &in.register_id) != RES_OK)
        verrs_add(&e, "register_id", "Vui lòng chọn sổ văn bản đến.");
    const char *pc = req_form(r, "page_count");
    if (pc && *pc && str_to_i64(pc, 0, 100000, &in.page_count) != RES_OK)
        verrs_add(&e, "page_count", "Số trang phải là số từ 0 đến 100000.");
    in.medium = req_form(r, "medium");
    in.issuer_name = req_form(r, "issuer_name");
    in.issuer_code = req_form(r, "issuer_code");
    in.number = req_form(r, "number");
    in.symbol = req_form(r, "symbol");
    in.issued_date = req_form(r, "issued_date");
    in.doc_type = req_form(r, "doc_type");
    in.subject = req_form(r, "subject");
    in.signer_name = req_form(r, "signer_name");
    in.signer_position = req_form(r, "signer_position");
    in.urgency = req_form(r, "urgency");
    in.secrecy = req_form(r, "secrecy");
    in.due_date = req_form(r, "due_date");
    in.notes = req_form(r, "notes");
    in.confirm_duplicate = req_form(r, "confirm_duplicate") != NULL;
    /* "Nơi nhận": one per line of the text area. */
    const char *rec = req_form(r, "recipients");
    const char **lines = arena_alloc(&r->arena, (FORM_RECIPIENTS + 1) * sizeof(*lines));
    size_t n = 0;
    for (const char *p = rec ? rec : ""; *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && (p[len - 1] == '\r' || p[len - 1] == ' '))
            len--;
        while (len && *p == ' ')
            p++, len--;
        if (len) {
            if (n == FORM_RECIPIENTS) {
                verrs_add(&e, "recipients", "Tối đa %d nơi nhận (mỗi dòng một nơi).",
                          FORM_RECIPIENTS);
                break;
            }
            lines[n++] = arena_strndup(&r->arena, p, len);
        }
        if (!end)
            break;
        p = end + 1;
    }
    in.recipients = lines;
    in.nrecipients = n;
    struct doc_upload files[REQ_MAX_FILES];
    size_t nf = 0;
    for (int i = 0; i < r->nfiles && nf < REQ_MAX_FILES; i++) {
        const struct mp_part *p = &r->files[i];
        if (!p->len && !*p->filename)
            continue; /* a file input left empty */
        if (strcmp(p->name, "main") && strcmp(p->name, "appendix"))
            continue;
        files[nf++] = (struct doc_upload){
            .role = p->name, .file_name = p->filename, .data = p->data, .len = p->len};
    }
    struct doc_registered out = {0};
    result_t res;
    if (!e.count) {
        res = doc_register_incoming(r->app, &r->actor, &in, files, nf, &e, &out);
    } else {
        /* The form's own errors, and the core's on every other field so that all show at
         * once: checked with no register, so that this call cannot register anything. */
        struct doc_incoming_input check = in;
        struct verrs core = {0};
        check.register_id = 0;
        res = doc_register_incoming(r->app, &r->actor, &check, files, nf, &core, &out);
        for (int i = 0; i < core.count; i++)
            if (strcmp(core.items[i].field, "register_id") && !verrs_get(&e, core.items[i].field))
                verrs_add(&e, core.items[i].field, "%s", core.items[i].message);
        if (res == RES_OK || res == RES_INVALID || res == RES_CONFLICT)
            res = RES_INVALID;
    }
    if (res == RES_OK) {
        json_decref(form);
        web_flash(r, "success",
                  arena_printf(&r->arena, "Đã vào sổ văn bản đến số %lld.",
                               (long long)out.arrival_number));
        resp_redirect(r, arena_printf(&r->arena, "/documents/%lld", (long long)out.id));
        return;
    }
    if (res == RES_CONFLICT && out.duplicate_of) {
        json_t *earlier = NULL;
        if (doc_get(r->app, &r->actor, out.duplicate_of, &earlier) == RES_OK)
            decorate_doc(r, earlier);
        else
            earlier =
                json_pack("{s:I,s:s}", "id", (json_int_t)out.duplicate_of, "href",
                          arena_printf(&r->arena, "/documents/%lld", (long long)out.duplicate_of));
        /* The core's message speaks of the API's confirm_duplicate: the page has its
         * own words and the checkbox. */
        struct verrs e2 = {0};
        verrs_add(&e2, "confirm_duplicate",
                  "Văn bản này có thể đã được vào sổ. Kiểm tra văn bản đã vào sổ ở trên; nếu "
                  "đây là văn bản khác, đánh dấu “Vẫn vào sổ” rồi gửi lại.");
        render_register(r, 409, form, &e2, earlier);
        return;
    }
    if (res != RES_INVALID) {
        json_decref(form);
        resp_result(r, res);
        return;
    }
    if (nf)
        json_object_set_new(form, "files_again", json_true());
    render_register(r, 422, form, &e, NULL);
}

/* ---- one document ---- */

static void not_found(struct req *r)
{
    resp_error(r, 404, "Không tìm thấy văn bản",
               "Văn bản không tồn tại hoặc bạn không có quyền xem văn bản này.");
}

/* The verification report of each signed PDF of the document (sign_report partial). */
static json_t *signature_reports(struct req *r, int64_t id, json_t *files)
{
    json_t *reports = json_array();
    const struct certstore *cs = NULL;
    int checked = 0;
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f)
    {
        if (strcmp(jstr(f, "format"), "pdf") && strcmp(jstr(f, "content_type"), "application/pdf"))
            continue;
        if (checked == SIGCHECK_MAX_FILES ||
            json_integer_value(json_object_get(f, "size")) > SIGCHECK_MAX_BYTES)
            continue;
        checked++;
        struct doc_file_data d = {0};
        buf_init(&d.data, SIGCHECK_MAX_BYTES);
        json_t *rep = NULL;
        if (doc_file_get(r->app, &r->actor, id, json_integer_value(json_object_get(f, "id")), &d) ==
            RES_OK) {
            if (!cs)
                cs = trust_acquire(r->app);
            if (sigcheck_report((const unsigned char *)d.data.data, d.data.len, d.file_name, cs, 0,
                                &rep) != RES_OK)
                rep = NULL;
        }
        buf_release(&d.data);
        if (!rep)
            continue;
        if (json_integer_value(json_object_get(rep, "signature_count")) > 0) {
            const char *kind = jstr(rep, "kind");
            json_object_set_new(rep, arena_printf(&r->arena, "kind_%s", kind), json_true());
            json_object_set_new(
                rep, "size_kb",
                json_integer((json_integer_value(json_object_get(rep, "size")) + 1023) / 1024));
            json_object_set_new(f, "signed", json_true());
            json_object_set(f, "verdict_class", json_object_get(rep, "verdict_class"));
            json_object_set(f, "verdict_text", json_object_get(rep, "verdict_text"));
            json_array_append_new(reports, rep);
        } else {
            json_decref(rep);
        }
    }
    if (cs)
        trust_release(r->app, cs);
    return reports;
}

void page_document(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    json_t *doc = NULL;
    result_t res = id ? doc_get(r->app, &r->actor, id, &doc) : RES_NOT_FOUND;
    if (res == RES_NOT_FOUND) {
        not_found(r);
        return;
    }
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    decorate_doc(r, doc);
    json_t *files = json_object_get(doc, "files");
    size_t i;
    json_t *f;
    json_t *main_file = NULL;
    json_array_foreach(files, i, f)
    {
        int64_t fid = json_integer_value(json_object_get(f, "id"));
        const char *href =
            arena_printf(&r->arena, "/documents/%lld/files/%lld", (long long)id, (long long)fid);
        set_str(f, "href", href);
        set_str(f, "download_href", arena_printf(&r->arena, "%s?download=1", href));
        bool pdf = !strcmp(jstr(f, "content_type"), "application/pdf");
        json_object_set_new(f, "is_pdf", json_boolean(pdf));
        json_object_set_new(f, "is_main", json_boolean(!strcmp(jstr(f, "role"), "main")));
        json_int_t size = json_integer_value(json_object_get(f, "size"));
        set_str(f, "size_text",
                size >= 1024 * 1024
                    ? arena_printf(&r->arena, "%.1f MB", (double)size / (1024.0 * 1024.0))
                    : arena_printf(&r->arena, "%lld KB", (long long)((size + 1023) / 1024)));
        set_str(f, "role_label",
                !strcmp(jstr(f, "role"), "main")
                    ? "Tệp chính"
                    : arena_printf(&r->arena, "Phụ lục %lld",
                                   (long long)json_integer_value(json_object_get(f, "seq"))));
        if (!main_file && pdf && !strcmp(jstr(f, "role"), "main"))
            main_file = f;
    }
    json_t *reports = signature_reports(r, id, files);
    json_t *hist = json_object_get(doc, "history");
    json_array_foreach(hist, i, f)
    {
        const char *at = jstr(f, "at");
        set_str(f, "at_text", arena_printf(&r->arena, "%s %s", vn_time(r, at), vn_date(r, at)));
        set_str(f, "action_label", action_label(jstr(f, "action")));
        set_str(f, "to_state_label", *jstr(f, "to_state") ? state_label(jstr(f, "to_state")) : "");
    }
    json_t *rec = json_object_get(doc, "recipients");
    json_object_set_new(doc, "has_recipients", json_boolean(json_array_size(rec) > 0));
    json_t *ctx = json_object();
    set_str(ctx, "title", arena_printf(&r->arena, "Văn bản %s", jstr(doc, "number_symbol")));
    if (main_file)
        json_object_set(ctx, "viewer", main_file);
    json_object_set_new(ctx, "doc", doc);
    json_object_set_new(ctx, "reports", reports);
    web_render(r, 200, "doc_view", ctx, "documents");
}

void page_document_file(struct req *r)
{
    int64_t id = req_param_id(r, "id"), file_id = req_param_id(r, "file_id");
    struct doc_file_data f = {0};
    buf_init(&f.data, (size_t)(r->app->cfg.max_blob > 0 ? r->app->cfg.max_blob : 256L << 20));
    result_t res = id && file_id ? doc_file_get(r->app, &r->actor, id, file_id, &f) : RES_NOT_FOUND;
    if (res == RES_OK) {
        bool pdf = !strcmp(f.content_type, "application/pdf");
        bool inline_ = pdf && !req_query(r, "download");
        /* The document page shows its PDF in a frame: only that response may be framed,
         * and only by this site's pages. */
        r->frame_same_origin = inline_;
        resp_header(r, "Cache-Control", "private, no-store");
        resp_file(r, arena_strndup(&r->arena, f.content_type, strlen(f.content_type)), f.file_name,
                  inline_, f.data.data, f.data.len);
    } else if (res == RES_NOT_FOUND) {
        resp_error(r, 404, "Không tìm thấy tệp",
                   "Tệp không tồn tại hoặc bạn không có quyền xem văn bản này.");
    } else if (res == RES_CRYPTO) {
        resp_error(r, 500, "Tệp bị hỏng",
                   "Tệp lưu trữ không khớp mã kiểm tra nên không được tải xuống. Vui lòng báo "
                   "quản trị hệ thống kèm mã yêu cầu.");
    } else {
        resp_result(r, res);
    }
    buf_release(&f.data);
}
