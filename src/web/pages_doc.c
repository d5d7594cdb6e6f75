/* "Văn bản đến": the agency's incoming documents (list with filters and keyset paging),
 * the clerk's registration form (vào sổ, standards.md §9 metadata, the scanned main
 * file and appendices), one document's page (metadata, the main PDF shown in the page,
 * files, signature reports, timeline) and the file route the page frames. Every page
 * calls one doc/ function, which asks the policy; the pages only shape its JSON for
 * the templates (dates in Vietnam time, Vietnamese labels). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/authz.h"
#include "core/calendar.h"
#include "core/sigcheck.h"
#include "core/signing_key.h"
#include "core/trust.h"
#include "doc/doc.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/menu.h"
#include "web/pages.h"
#include "web/pages_doc.h"
#include "web/render.h"

#define SIGCHECK_MAX_FILES 4                   /* PDFs verified per page view */
#define SIGCHECK_MAX_BYTES (32L * 1024 * 1024) /* larger ones are not verified inline */
#define FORM_RECIPIENTS    50                  /* lines of "Nơi nhận" (doc_incoming.c limit) */

/* ---- labels ---- */

/* document.state → Vietnamese (migration 0007's states). */
const char *web_doc_state_label(const char *state)
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

/* doc_history.action → Vietnamese (doc_workflow.c and doc_deliver.c write these). */
const char *web_doc_action_label(const char *action)
{
    static const struct {
        const char *key, *label;
    } map[] = {
        {"received", "Tiếp nhận, vào sổ"},
        {"registered", "Vào sổ"},
        {"refused", "Từ chối tiếp nhận"},
        {"presented", "Trình lãnh đạo"},
        {"assigned", "Phân công xử lý"},
        {"reassigned", "Giao xử lý trong đơn vị"},
        {"withdrawn", "Thu hồi phân công"},
        {"accepted", "Nơi nhận đã vào sổ"},
        {"started", "Bắt đầu xử lý"},
        {"commented", "Cho ý kiến"},
        {"attached", "Đính kèm tệp xử lý"},
        {"forwarded", "Chuyển tiếp"},
        {"returned", "Trả lại"},
        {"completed", "Hoàn thành xử lý"},
        {"recalled", "Thu hồi văn bản"},
        {"arrived", "Văn bản đến qua hệ thống"},
        {"delivered", "Đã gửi đến cơ quan nhận"},
        {"issued", "Phát hành"},
        {"digitised_signed", "Ký số của cơ quan trên bản số hóa"},
        /* outgoing (doc_outgoing.c, the circuit steps of doc_workflow.c) */
        {"drafted", "Soạn dự thảo"},
        {"version", "Tải lên phiên bản mới"},
        {"submitted", "Trình duyệt dự thảo"},
        {"reviewed", "Đã xem xét, chuyển tiếp"},
        {"approved", "Duyệt, chờ ký"},
        {"signed", "Ký số, cấp số"},
        {"sealed", "Ký số của cơ quan (đóng dấu)"},
        {"cancelled", "Hủy văn bản đã cấp số"},
        {"part_done", "Xong phần phối hợp"},
        {"refused_by_recipient", "Nơi nhận từ chối tiếp nhận"},
        {"consultation_opened", "Công bố lấy ý kiến công khai"},
        {"consultation_closed", "Kết thúc lấy ý kiến công khai"},
        /* the rest of the outgoing circuit (issue 12) */
        {"plan_changed", "Sửa quy trình duyệt"},
        {"opinion_asked", "Xin ý kiến các đơn vị"},
        {"opinion_given", "Đơn vị cho ý kiến"},
        {"updated", "Cập nhật văn bản"},
        {"updated_by_sender", "Cơ quan gửi cập nhật văn bản"},
        {"removed_by_update", "Cơ quan gửi bỏ khỏi nơi nhận (cập nhật)"},
        {"replaced", "Bị thay thế bởi văn bản khác"},
        {"recall_requested", "Cơ quan gửi thu hồi văn bản"},
        {"recall_agreed", "Đồng ý thu hồi"},
        {"recall_refused", "Từ chối thu hồi"},
        {"recall_agreed_by_recipient", "Nơi nhận đồng ý thu hồi"},
        {"recall_refused_by_recipient", "Nơi nhận từ chối thu hồi"},
        {"reply_completed", "Hoàn thành văn bản đến được trả lời"},
        {"reply_not_completed", "Văn bản đến không còn ở bước xử lý"},
    };
    for (size_t i = 0; action && i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(map[i].key, action))
            return map[i].label;
    return "Thao tác khác";
}

/* "2026-11-22" or an instant "2026-11-22T09:05:00+07:00" (its date part) → "22/11/2026";
 * "" when s is not a date. */
const char *web_vn_date(struct req *r, const char *s)
{
    char day[11], vn[11];
    if (!s || strlen(s) < 10)
        return "";
    str_copy(day, s, sizeof(day));
    return calendar_iso_to_vn(day, vn) ? arena_printf(&r->arena, "%s", vn) : "";
}

/* "2026-11-22T09:05:00+07:00" (doc/ writes instants in Vietnam time) → "09:05". */
const char *web_vn_time(struct req *r, const char *s)
{
    if (!s || strlen(s) < 16 || s[10] != 'T')
        return "";
    return arena_printf(&r->arena, "%.5s", s + 11);
}

/* The display keys of one document of doc_list or doc_get. */
void web_doc_decorate(struct req *r, json_t *d)
{
    int64_t id = json_integer_value(json_object_get(d, "id"));
    web_set_str(d, "href", arena_printf(&r->arena, "/documents/%lld", (long long)id));
    const char *received = web_jstr(d, "received_at");
    web_set_str(d, "received_date", web_vn_date(r, received));
    web_set_str(d, "received_time", web_vn_time(r, received));
    /* §4: a document arriving outside working hours counts from the next working period */
    const char *arrived = web_jstr(d, "arrived_at");
    json_object_set_new(d, "arrived_differs", json_boolean(*arrived && strcmp(arrived, received)));
    web_set_str(
        d, "arrived_text",
        arena_printf(&r->arena, "%s ngày %s", web_vn_time(r, arrived), web_vn_date(r, arrived)));
    web_set_str(d, "issued_date_vn", web_vn_date(r, web_jstr(d, "issued_date")));
    web_set_str(d, "due_date_vn", web_vn_date(r, web_jstr(d, "due_date")));
    /* The leader's processing deadline (workflow) when set, else the date the document
     * itself asks for. */
    const char *dl = *web_jstr(d, "deadline") ? web_jstr(d, "deadline") : web_jstr(d, "due_date");
    web_set_str(d, "deadline_vn", web_vn_date(r, dl));
    const char *ds = web_jstr(d, "deadline_state");
    bool overdue = json_is_true(json_object_get(d, "overdue")) || !strcmp(ds, "overdue");
    bool soon = json_is_true(json_object_get(d, "due_soon")) || !strcmp(ds, "due_soon");
    json_object_set_new(d, "is_overdue", json_boolean(overdue));
    json_object_set_new(d, "is_due_soon", json_boolean(!overdue && soon));
    web_set_str(d, "state_label", web_doc_state_label(web_jstr(d, "state")));
    web_set_str(d, "medium_label",
                !strcmp(web_jstr(d, "medium"), "electronic") ? "Văn bản điện tử" : "Văn bản giấy");
    const char *u = web_jstr(d, "urgency");
    /* §3: Khẩn, Thượng khẩn, Hỏa tốc are flagged; Thường is not. */
    json_object_set_new(d, "urgent", json_boolean(*u && strcmp(u, "thuong") != 0));
    web_set_str(d, "urgency_class",
                !strncmp(u, "hoa_toc", 7)   ? "fire"
                : !strcmp(u, "thuong_khan") ? "high"
                                            : "urgent");
    json_t *n = json_object_get(d, "arrival_number");
    if (json_is_integer(n))
        web_set_str(d, "arrival_text",
                    arena_printf(&r->arena, "%lld", (long long)json_integer_value(n)));
    else
        web_set_str(d, "arrival_text", "—");
}

/* ---- context helpers (pages_doc.h) ---- */

void web_set_str(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, json_string(v ? v : ""));
}

const char *web_jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

bool web_form_has(json_t *form, const char *name, const char *value)
{
    json_t *v = json_object_get(form, name);
    if (json_is_string(v))
        return !strcmp(json_string_value(v), value);
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) if (json_is_string(x) &&
                                    !strcmp(json_string_value(x), value)) return true;
    return false;
}

const char *web_person_label(struct req *r, json_t *p)
{
    const char *pos = web_jstr(p, "position"), *dep = web_jstr(p, "department_name");
    return arena_printf(&r->arena, "%s%s%s%s%s%s", web_jstr(p, "name"), *pos || *dep ? " (" : "",
                        pos, *pos && *dep ? ", " : "", dep, *pos || *dep ? ")" : "");
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

/* The boxes of doc_list (views): tab key, label. */
static const struct {
    const char *key, *label;
} boxes[] = {
    {"all", "Tất cả"},      {"to_process", "Chờ xử lý"}, {"in_progress", "Đang xử lý"},
    {"overdue", "Quá hạn"}, {"due_soon", "Sắp đến hạn"}, {"for_info", "Nhận để biết"},
    {"done", "Đã xử lý"},
};

/* The incoming states a filter may ask for, in workflow order. */
static const char *const list_states[] = {"arrived",     "registered", "presented", "assigned",
                                          "in_progress", "completed",  "refused"};

/* Today's Vietnam date, YYYY-MM-DD. */
static const char *vn_date_iso_today(struct req *r)
{
    char iso[40];
    clock_format_iso(clock_now(), iso, sizeof(iso));
    return arena_printf(&r->arena, "%.10s", iso);
}

static bool date_ok(const char *s)
{
    int64_t t;
    return !s || !*s || clock_parse_date(s, &t) == 0;
}

void page_documents(struct req *r)
{
    struct verrs e = {0};
    struct doc_filter f = {.urgency = -1, .cursor = req_query(r, "cursor")};
    const char *year = req_query(r, "year"), *reg = req_query(r, "register_id"),
               *urg = req_query(r, "urgency");
    f.box = req_query(r, "box");
    f.q = req_query(r, "q");
    f.issuer = req_query(r, "issuer");
    f.doc_type = req_query(r, "doc_type");
    f.received_from = req_query(r, "received_from");
    f.received_to = req_query(r, "received_to");
    f.state = req_query(r, "state");
    f.sort = req_query(r, "sort");
    /* empty form fields are "any" */
    const char **opt[] = {&f.box,           &f.q,           &f.issuer, &f.doc_type,
                          &f.received_from, &f.received_to, &f.state,  &f.sort};
    for (size_t i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
        if (*opt[i] && !**opt[i])
            *opt[i] = NULL;
    if (year && *year && str_to_i64(year, 1900, 2100, &f.year) != RES_OK)
        verrs_add(&e, "year", "Năm phải là số từ 1900 đến 2100.");
    if (reg && *reg && str_to_i64(reg, 1, INT64_MAX, &f.register_id) != RES_OK)
        verrs_add(&e, "register_id", "Sổ văn bản không hợp lệ.");
    if (urg && *urg && (f.urgency = doc_urgency_parse(urg)) < 0)
        verrs_add(&e, "urgency", "Độ khẩn không có trong danh mục.");
    if (!date_ok(f.received_from))
        verrs_add(&e, "received_from", "“Nhận từ ngày” không phải ngày hợp lệ.");
    if (!date_ok(f.received_to))
        verrs_add(&e, "received_to", "“Đến ngày” không phải ngày hợp lệ.");
    json_t *list = NULL;
    char *next = NULL;
    result_t res = RES_INVALID;
    if (!e.count) {
        res = doc_list(r->app, &r->actor, &f, &e, &list, &next);
        if (res == RES_INVALID && verrs_get(&e, "cursor") && e.count == 1) {
            /* a stale or edited link: start over rather than show an error */
            e = (struct verrs){0};
            f.cursor = NULL;
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
    json_array_foreach(list, i, d) web_doc_decorate(r, d);

    /* The filters (all but box and cursor) as a query string for the links. */
    struct buf qs = BUF_INIT(4096);
    static const char *const keep[] = {
        "q",           "register_id", "year", "urgency", "issuer", "doc_type", "received_from",
        "received_to", "state",       "sort", NULL};
    for (int k = 0; keep[k]; k++) {
        const char *v = req_query(r, keep[k]);
        if (v && *v && !e.count)
            buf_printf(&qs, "%s=%s&", keep[k], web_url_encode(&r->arena, v));
    }
    const char *filters = arena_strndup(&r->arena, qs.len ? buf_str(&qs) : "", qs.len);
    buf_release(&qs);
    const char *box = f.box ? f.box : "all";
    const char *box_q = strcmp(box, "all") ? arena_printf(&r->arena, "box=%s&", box) : "";
    json_t *page = json_object();
    if (next)
        web_set_str(page, "next_href",
                    arena_printf(&r->arena, "/documents?%s%scursor=%s", box_q, filters,
                                 web_url_encode(&r->arena, next)));
    if (f.cursor && *f.cursor) {
        const char *q = arena_printf(&r->arena, "%s%s", box_q, filters);
        size_t n = strlen(q);
        web_set_str(
            page, "first_href",
            arena_printf(&r->arena, "/documents%s%.*s", n ? "?" : "", (int)(n ? n - 1 : 0), q));
    }
    free(next);

    json_t *tabs = json_array();
    for (size_t b = 0; b < sizeof(boxes) / sizeof(boxes[0]); b++) {
        const char *q = strcmp(boxes[b].key, "all")
                            ? arena_printf(&r->arena, "box=%s&%s", boxes[b].key, filters)
                            : filters;
        size_t n = strlen(q);
        json_array_append_new(tabs, json_pack("{s:s,s:s,s:s,s:b}", "key", boxes[b].key, "label",
                                              boxes[b].label, "href",
                                              arena_printf(&r->arena, "/documents%s%.*s",
                                                           n ? "?" : "", (int)(n ? n - 1 : 0), q),
                                              "current", !strcmp(box, boxes[b].key)));
    }
    json_t *types = json_array();
    for (size_t t = 0; t < doc_type_count; t++)
        json_array_append_new(
            types, json_pack("{s:s,s:s,s:b}", "key", doc_types[t].key, "name", doc_types[t].name,
                             "selected", f.doc_type && !strcmp(f.doc_type, doc_types[t].key)));
    json_t *states = json_array();
    for (size_t t = 0; t < sizeof(list_states) / sizeof(list_states[0]); t++)
        json_array_append_new(states, json_pack("{s:s,s:s,s:b}", "key", list_states[t], "label",
                                                web_doc_state_label(list_states[t]), "selected",
                                                f.state && !strcmp(f.state, list_states[t])));
    json_t *sorts =
        json_pack("[{s:s,s:s,s:b},{s:s,s:s,s:b},{s:s,s:s,s:b}]", "key", "urgency", "label",
                  "Khẩn trước, mới nhận trước", "selected", !f.sort || !strcmp(f.sort, "urgency"),
                  "key", "received", "label", "Mới nhận trước", "selected",
                  f.sort && !strcmp(f.sort, "received"), "key", "deadline", "label",
                  "Hạn xử lý gần nhất trước", "selected", f.sort && !strcmp(f.sort, "deadline"));

    bool any_register = false;
    int64_t this_year = doc_year_of(clock_now()); /* the Vietnam-time year of now */
    json_t *filter = json_object();
    web_set_str(filter, "q", f.q);
    web_set_str(filter, "issuer", f.issuer);
    web_set_str(filter, "received_from", f.received_from);
    web_set_str(filter, "received_to", f.received_to);
    web_set_str(filter, "box", strcmp(box, "all") ? box : "");
    bool more = f.year || f.register_id || f.urgency >= 0 || f.issuer || f.doc_type ||
                f.received_from || f.received_to || f.state || f.sort;
    json_object_set_new(filter, "more", json_boolean(more));
    json_object_set_new(filter, "active", json_boolean(more || f.q));
    json_t *ctx = json_object();
    web_set_str(ctx, "title", "Văn bản đến");
    json_object_set_new(ctx, "documents", list);
    json_object_set_new(ctx, "page", page);
    json_object_set_new(ctx, "filter", filter);
    json_object_set_new(ctx, "tabs", tabs);
    json_object_set_new(ctx, "years", year_options(f.year, this_year));
    json_object_set_new(ctx, "registers", register_options(r, f.register_id, &any_register));
    json_object_set_new(ctx, "urgencies", urgency_options(f.urgency));
    json_object_set_new(ctx, "doc_types", types);
    json_object_set_new(ctx, "states", states);
    json_object_set_new(ctx, "sorts", sorts);
    json_object_set_new(ctx, "can_register",
                        json_boolean(web_screen_check(r, SCREEN_DOC_REGISTER) == RES_OK));
    /* The register books: doc_book's own question (the agency's clerks and leaders). */
    if (authz_check(&r->actor, AZ_DOC_READ, r->actor.agency_id) == RES_OK &&
        json_array_size(json_object_get(ctx, "registers"))) {
        char today[11];
        snprintf(today, sizeof(today), "%s", vn_date_iso_today(r));
        json_object_set_new(ctx, "book",
                            json_pack("{s:s,s:s}", "from",
                                      arena_printf(&r->arena, "%.4s-01-01", today), "to", today));
    }
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
    const char *rs = web_jstr(form, "register_id");
    if (*rs)
        str_to_i64(rs, 1, INT64_MAX, &reg);
    bool any = false;
    json_t *registers = register_options(r, reg, &any);
    if (!reg && json_array_size(registers)) /* the first (this year's) register by default */
        json_object_set_new(json_array_get(registers, 0), "selected", json_true());
    json_t *types = json_array();
    const char *type = web_jstr(form, "doc_type");
    for (size_t i = 0; i < doc_type_count; i++)
        json_array_append_new(types, json_pack("{s:s,s:s,s:b}", "key", doc_types[i].key, "name",
                                               doc_types[i].name, "selected",
                                               !strcmp(type, doc_types[i].key)));
    int u = doc_urgency_parse(web_jstr(form, "urgency"));
    int sec = doc_secrecy_parse(web_jstr(form, "secrecy"));
    json_t *secrecy = json_array();
    static const char *const sec_keys[4] = {"", "mat", "toi_mat", "tuyet_mat"};
    for (int i = 0; i < 4; i++)
        json_array_append_new(secrecy, json_pack("{s:s,s:s,s:b}", "key", sec_keys[i], "label",
                                                 i ? doc_secrecy_labels[i] : "Thường (không mật)",
                                                 "selected", i == (sec < 0 ? 0 : sec)));
    json_object_set_new(form, "electronic",
                        json_boolean(!strcmp(web_jstr(form, "medium"), "electronic")));
    json_t *ctx = json_object();
    web_set_str(ctx, "title", "Vào sổ văn bản đến");
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
        web_set_str(form, form_fields[i], req_form(r, form_fields[i]));
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
            web_doc_decorate(r, earlier);
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

/* ---- the workflow's forms (doc_workflow_act; doc_register_arrived, doc_refuse) ---- */

/* Every action a form may post, with its Vietnamese label, the flash after it, and the
 * part of the template that draws it. The forms shown are exactly doc_get's "actions"
 * (the policy and the state machine), plus register/refuse of an `arrived` document for
 * the agency's clerks (doc_register_arrived and doc_refuse ask the policy themselves). */
enum form_kind {
    F_PRESENT,
    F_ASSIGN,
    F_NOTE,
    F_COMMENT,
    F_FORWARD,
    F_ATTACH,
    F_REGISTER,
    F_REFUSE,
    F_DIGITISE
};
static const struct action_def {
    const char *key, *label, *done, *note_label;
    enum form_kind kind;
    bool note_required;
} action_defs[] = {
    {"present", "Trình lãnh đạo", "Đã trình văn bản.", "Nội dung trình", F_PRESENT, false},
    {"assign", "Phân công xử lý", "Đã phân công xử lý.", "Ý kiến chỉ đạo", F_ASSIGN, false},
    {"change", "Thay đổi phân công", "Đã thay đổi phân công xử lý.", "Ý kiến chỉ đạo", F_ASSIGN,
     false},
    {"reassign", "Giao cán bộ trong đơn vị xử lý", "Đã giao xử lý trong đơn vị.", "Ý kiến chỉ đạo",
     F_ASSIGN, false},
    {"accept", "Nhận xử lý", "Đã nhận xử lý văn bản.", "Ghi chú", F_NOTE, false},
    {"comment", "Cho ý kiến", "Đã gửi ý kiến.", "Ý kiến", F_COMMENT, true},
    {"attach", "Đính kèm tệp xử lý", "Đã đính kèm tệp xử lý.", "Ghi chú", F_ATTACH, false},
    {"forward", "Chuyển tiếp", "Đã chuyển văn bản.", "Nội dung chuyển", F_FORWARD, false},
    {"return", "Trả lại", "Đã trả lại văn bản.", "Lý do trả lại", F_NOTE, true},
    {"complete", "Hoàn thành xử lý", "Đã hoàn thành xử lý văn bản.", "Kết quả xử lý", F_NOTE,
     false},
    {"withdraw", "Thu hồi phân công", "Đã thu hồi phân công.", "Lý do thu hồi", F_NOTE, false},
    /* the sender recalled the document (standards.md §5, edXML 15 / 16) */
    {"recall_agree", "Đồng ý thu hồi", "Đã đồng ý thu hồi; văn bản dừng xử lý.", "Ghi chú", F_NOTE,
     false},
    {"recall_refuse", "Từ chối thu hồi", "Đã từ chối thu hồi và báo cho nơi gửi.",
     "Lý do từ chối thu hồi", F_NOTE, true},
    {"register", "Vào sổ văn bản đến", NULL, NULL, F_REGISTER, false},
    {"refuse", "Từ chối tiếp nhận", "Đã từ chối tiếp nhận văn bản và báo cho nơi gửi.",
     "Lý do từ chối", F_REFUSE, true},
    /* standards.md §5: the agency's signature on the scan of a paper original */
    {"digitise", "Ký số bản số hóa",
     "Đã ký số của cơ quan lên bản số hóa; bản quét gốc được giữ nguyên.", NULL, F_DIGITISE, false},
};

static const struct action_def *action_def(const char *key)
{
    for (size_t i = 0; key && i < sizeof(action_defs) / sizeof(action_defs[0]); i++)
        if (!strcmp(action_defs[i].key, key))
            return &action_defs[i];
    return NULL;
}

static const char *role_label(const char *role)
{
    return !strcmp(role, "leader")       ? "Lãnh đạo chỉ đạo"
           : !strcmp(role, "lead")       ? "Chủ trì xử lý"
           : !strcmp(role, "co_handler") ? "Phối hợp"
           : !strcmp(role, "for_info")   ? "Nhận để biết"
                                         : "Tham gia";
}

static const char *part_status_label(const char *status)
{
    return !strcmp(status, "pending")       ? "Chờ xử lý"
           : !strcmp(status, "in_progress") ? "Đang xử lý"
           : !strcmp(status, "done")        ? "Đã xong"
           : !strcmp(status, "returned")    ? "Đã trả lại"
           : !strcmp(status, "withdrawn")   ? "Đã thu hồi"
           : !strcmp(status, "forwarded")   ? "Đã chuyển"
                                            : "";
}

/* Options "d:<id>" (units) and "u:<id>" (people) of the candidates, marked from form. */
static json_t *target_options(struct req *r, json_t *cand, json_t *form, const char *name,
                              bool units)
{
    json_t *out = json_array();
    size_t i;
    json_t *x;
    if (units)
        json_array_foreach(json_object_get(cand, "departments"), i, x)
        {
            const char *v = arena_printf(&r->arena, "d:%lld",
                                         (long long)json_integer_value(json_object_get(x, "id")));
            json_array_append_new(out, json_pack("{s:s,s:s,s:b,s:b}", "value", v, "label",
                                                 web_jstr(x, "name"), "unit", 1, "selected",
                                                 web_form_has(form, name, v)));
        }
    /* a unit's re-assignment chooses among the unit's members only */
    json_array_foreach(json_object_get(cand, units ? "people" : "unit_people"), i, x)
    {
        const char *v = arena_printf(&r->arena, "u:%lld",
                                     (long long)json_integer_value(json_object_get(x, "id")));
        json_array_append_new(out, json_pack("{s:s,s:s,s:b,s:b}", "value", v, "label",
                                             web_person_label(r, x), "unit", 0, "selected",
                                             web_form_has(form, name, v)));
    }
    return out;
}

static json_t *people_options(struct req *r, json_t *list, json_t *form, const char *name)
{
    json_t *out = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
    {
        const char *v = arena_printf(&r->arena, "%lld",
                                     (long long)json_integer_value(json_object_get(x, "id")));
        json_array_append_new(out, json_pack("{s:s,s:s,s:b}", "value", v, "label",
                                             web_person_label(r, x), "selected",
                                             web_form_has(form, name, v)));
    }
    return out;
}

/* The form objects of the actions the actor may take now. failed: the action whose
 * form came back with errors (opened, its values kept). */
static json_t *action_forms(struct req *r, json_t *doc, int64_t id, const char *failed,
                            json_t *form, const struct verrs *e)
{
    json_t *keys = json_deep_copy(json_object_get(doc, "actions"));
    if (!json_is_array(keys))
        keys = json_array();
    if (!strcmp(web_jstr(doc, "state"), "arrived") &&
        web_screen_check(r, SCREEN_DOC_REGISTER) == RES_OK) {
        json_array_append_new(keys, json_string("register"));
        json_array_append_new(keys, json_string("refuse"));
    }
    json_t *cand = NULL;
    if (json_array_size(keys) && doc_assign_candidates(r->app, &r->actor, id, &cand) != RES_OK)
        cand = NULL;
    if (!cand)
        cand = json_object();
    bool co_handler = false; /* the actor's own open co-handler row: part_done applies */
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(doc, "participants"), i, p)
    {
        if (json_integer_value(json_object_get(p, "user_id")) == r->actor.user_id &&
            !strcmp(web_jstr(p, "role"), "co_handler") &&
            json_is_true(json_object_get(p, "active")))
            co_handler = true;
    }
    json_t *out = json_array();
    json_t *k;
    json_array_foreach(keys, i, k)
    {
        const struct action_def *def = action_def(json_string_value(k));
        if (!def)
            continue;
        bool mine = failed && !strcmp(failed, def->key);
        json_t *fv = mine && form ? form : json_object();
        json_t *a = json_object();
        web_set_str(a, "key", def->key);
        web_set_str(a, "label", def->label);
        web_set_str(a, "href",
                    arena_printf(&r->arena, "/documents/%lld/actions/%s", (long long)id, def->key));
        web_set_str(a, "note_label", def->note_label);
        json_object_set_new(a, "note_required", json_boolean(def->note_required));
        web_set_str(a, "note", web_jstr(fv, "note"));
        json_object_set_new(a, "open", json_boolean(mine));
        if (mine && e && e->count)
            json_object_set_new(a, "errors", verrs_json(e));
        static const char *const kinds[] = {"is_present",  "is_assign",  "is_note",
                                            "is_comment",  "is_forward", "is_attach",
                                            "is_register", "is_refuse",  "is_digitise"};
        json_object_set_new(a, kinds[def->kind], json_true());
        json_object_set_new(a, "has_note", json_boolean(def->note_label != NULL));
        switch (def->kind) {
        case F_PRESENT:
            json_object_set_new(
                a, "leaders", people_options(r, json_object_get(cand, "leaders"), fv, "leader_id"));
            break;
        case F_ASSIGN: {
            bool units = strcmp(def->key, "reassign") != 0;
            json_object_set_new(a, "leads", target_options(r, cand, fv, "lead", units));
            json_object_set_new(a, "co_handlers",
                                target_options(r, cand, fv, "co_handlers", units));
            json_object_set_new(a, "for_info", target_options(r, cand, fv, "for_info", units));
            bool days = !strcmp(web_jstr(fv, "deadline_mode"), "days");
            json_object_set_new(a, "mode_days", json_boolean(days));
            web_set_str(a, "deadline", web_jstr(fv, "deadline"));
            web_set_str(a, "working_days", web_jstr(fv, "working_days"));
            json_object_set_new(a, "is_reassign", json_boolean(!units));
            break;
        }
        case F_COMMENT:
            json_object_set_new(a, "can_part_done", json_boolean(co_handler));
            break;
        case F_FORWARD:
            json_object_set_new(a, "people",
                                people_options(r, json_object_get(cand, "people"), fv, "user_id"));
            json_object_set_new(a, "role_info", json_boolean(web_form_has(fv, "role", "for_info")));
            break;
        case F_REGISTER: {
            int64_t reg = 0;
            const char *rs = web_jstr(fv, "register_id");
            if (*rs)
                str_to_i64(rs, 1, INT64_MAX, &reg);
            bool any = false;
            json_object_set_new(a, "registers", register_options(r, reg, &any));
            json_object_set_new(a, "show_confirm",
                                json_boolean(mine && e && verrs_get(e, "confirm_duplicate")));
            break;
        }
        case F_DIGITISE: {
            /* the agency keys the clerk may use (signing_key_usable: AZ_SIGN_USE) */
            json_t *usable = NULL, *agency = json_array();
            if (signing_key_usable(r->app, &r->actor, &usable) == RES_OK) {
                size_t j;
                json_t *kk;
                json_array_foreach(usable, j, kk)
                {
                    if (json_is_null(json_object_get(kk, "user_id")))
                        json_array_append_new(
                            agency, json_pack("{s:I,s:s}", "id",
                                              json_integer_value(json_object_get(kk, "id")),
                                              "label", web_jstr(kk, "subject")));
                }
            }
            json_decref(usable);
            json_object_set_new(a, "keys", agency);
            break;
        }
        default:
            break;
        }
        if (!mine || !form)
            json_decref(fv);
        json_array_append_new(out, a);
    }
    json_decref(keys);
    json_decref(cand);
    return out;
}

/* "d:12" / "u:7" → a target; false when malformed. */
static bool target_parse(const char *s, struct doc_target *t)
{
    int64_t v = 0;
    memset(t, 0, sizeof(*t));
    if (!s || strlen(s) < 3 || s[1] != ':' || (s[0] != 'd' && s[0] != 'u') ||
        str_to_i64(s + 2, 1, INT64_MAX, &v) != RES_OK)
        return false;
    if (s[0] == 'd')
        t->department_id = v;
    else
        t->user_id = v;
    return true;
}

static const struct doc_target *targets_of(struct req *r, const char *name, size_t max, size_t *n,
                                           json_t *form, struct verrs *e, const char *field)
{
    const char **vals = arena_alloc(&r->arena, (max + 1) * sizeof(*vals));
    int count = req_form_all(r, name, vals, (int)max + 1);
    struct doc_target *t = arena_alloc(&r->arena, ((size_t)count + 1) * sizeof(*t));
    json_t *kept = json_array();
    *n = 0;
    for (int i = 0; i < count; i++) {
        if (!vals[i] || !*vals[i])
            continue;
        json_array_append_new(kept, json_string(vals[i]));
        if (!target_parse(vals[i], &t[*n])) {
            verrs_add(e, field, "Lựa chọn không hợp lệ.");
            continue;
        }
        (*n)++;
    }
    json_object_set_new(form, name, kept);
    return t;
}

/* ---- one document ---- */

void web_doc_not_found(struct req *r)
{
    resp_error(r, 404, "Không tìm thấy văn bản",
               "Văn bản không tồn tại hoặc bạn không có quyền xem văn bản này.");
}

/* The verification report of each signed PDF of the document (sign_report partial). */
json_t *web_doc_reports(struct req *r, int64_t id, json_t *files)
{
    json_t *reports = json_array();
    const struct certstore *cs = NULL;
    int checked = 0;
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f)
    {
        if (strcmp(web_jstr(f, "format"), "pdf") &&
            strcmp(web_jstr(f, "content_type"), "application/pdf"))
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
            const char *kind = web_jstr(rep, "kind");
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

/* The display keys of the files of doc_get (href, download_href, is_pdf, is_main,
 * size_text, role_label); returns the first main PDF (the newest version), or NULL. */
json_t *web_doc_files(struct req *r, int64_t id, json_t *files)
{
    size_t i;
    json_t *f;
    json_t *main_file = NULL;
    json_array_foreach(files, i, f)
    {
        int64_t fid = json_integer_value(json_object_get(f, "id"));
        const char *href =
            arena_printf(&r->arena, "/documents/%lld/files/%lld", (long long)id, (long long)fid);
        web_set_str(f, "href", href);
        web_set_str(f, "download_href", arena_printf(&r->arena, "%s?download=1", href));
        bool pdf = !strcmp(web_jstr(f, "content_type"), "application/pdf");
        json_object_set_new(f, "is_pdf", json_boolean(pdf));
        json_object_set_new(f, "is_main", json_boolean(!strcmp(web_jstr(f, "role"), "main")));
        json_int_t size = json_integer_value(json_object_get(f, "size"));
        web_set_str(f, "size_text",
                    size >= 1024 * 1024
                        ? arena_printf(&r->arena, "%.1f MB", (double)size / (1024.0 * 1024.0))
                        : arena_printf(&r->arena, "%lld KB", (long long)((size + 1023) / 1024)));
        const char *role = web_jstr(f, "role");
        web_set_str(f, "role_label",
                    !strcmp(role, "main") ? "Tệp chính"
                    : !strcmp(role, "working")
                        ? "Tệp xử lý"
                        : arena_printf(&r->arena, "Phụ lục %lld",
                                       (long long)json_integer_value(json_object_get(f, "seq"))));
        if (!main_file && pdf && !strcmp(web_jstr(f, "role"), "main"))
            main_file = f;
    }
    return main_file;
}

/* The display keys of the timeline of doc_get (at_text, action_label, to_state_label,
 * to_name). */
void web_doc_history(struct req *r, json_t *hist)
{
    size_t i;
    json_t *f;
    json_array_foreach(hist, i, f)
    {
        const char *at = web_jstr(f, "at");
        web_set_str(f, "at_text",
                    arena_printf(&r->arena, "%s %s", web_vn_time(r, at), web_vn_date(r, at)));
        web_set_str(f, "action_label", web_doc_action_label(web_jstr(f, "action")));
        web_set_str(f, "to_state_label",
                    *web_jstr(f, "to_state") ? web_doc_state_label(web_jstr(f, "to_state")) : "");
        const char *to = *web_jstr(f, "to_user_name") ? web_jstr(f, "to_user_name")
                                                      : web_jstr(f, "to_department_name");
        web_set_str(f, "to_name", to);
    }
}

/* The document page; failed/form/e: the action whose form is shown again with its
 * errors and values (status 409 or 422), or NULL. */
static void render_document(struct req *r, int status, int64_t id, const char *failed, json_t *form,
                            const struct verrs *e)
{
    json_t *doc = NULL;
    result_t res = id ? doc_get(r->app, &r->actor, id, &doc) : RES_NOT_FOUND;
    if (res != RES_OK) {
        json_decref(form);
        if (res == RES_NOT_FOUND)
            web_doc_not_found(r);
        else
            resp_result(r, res);
        return;
    }
    if (!strcmp(web_jstr(doc, "direction"), "outgoing")) {
        /* the outgoing circuit has its own page (pages_doc_out.c) */
        web_doc_out_render(r, status, id, doc, failed, form, e);
        return;
    }
    web_doc_decorate(r, doc);
    json_t *files = json_object_get(doc, "files");
    size_t i;
    json_t *f;
    json_t *main_file = web_doc_files(r, id, files);
    json_t *reports = web_doc_reports(r, id, files);
    web_doc_history(r, json_object_get(doc, "history"));
    /* who it is with */
    json_t *with = json_array();
    json_array_foreach(json_object_get(doc, "participants"), i, f)
    {
        /* the rows of the assignment in force, and after it the ones that did their
         * part (a completed document keeps who processed it); not withdrawn, returned
         * or passed-on rows, which the timeline tells */
        const char *st = web_jstr(f, "status");
        if (!json_is_true(json_object_get(f, "active")) && strcmp(st, "done"))
            continue;
        web_set_str(f, "role_label", role_label(web_jstr(f, "role")));
        web_set_str(f, "status_label", part_status_label(web_jstr(f, "status")));
        web_set_str(f, "due_date_vn", web_vn_date(r, web_jstr(f, "due_date")));
        json_object_set_new(f, "is_unit", json_boolean(!strcmp(web_jstr(f, "kind"), "unit")));
        json_array_append(with, f);
    }
    json_object_set_new(doc, "with", with);
    web_set_str(doc, "completed_vn", web_vn_date(r, web_jstr(doc, "completed_at")));
    json_t *forms = action_forms(r, doc, id, failed, form, e);
    json_t *rec = json_object_get(doc, "recipients");
    json_object_set_new(doc, "has_recipients", json_boolean(json_array_size(rec) > 0));
    /* §6 the replies drafted to it, and "Soạn văn bản trả lời" for whoever may draft */
    json_array_foreach(json_object_get(doc, "replies"), i, f)
    {
        web_set_str(f, "href",
                    arena_printf(&r->arena, "/documents/%lld",
                                 (long long)json_integer_value(json_object_get(f, "id"))));
        web_set_str(f, "state_label", web_doc_state_label(web_jstr(f, "state")));
        web_set_str(f, "number_symbol",
                    *web_jstr(f, "number") ? arena_printf(&r->arena, "%s/%s", web_jstr(f, "number"),
                                                          web_jstr(f, "symbol"))
                                           : "");
    }
    json_object_set_new(doc, "has_replies",
                        json_boolean(json_array_size(json_object_get(doc, "replies")) > 0));
    const char *st = web_jstr(doc, "state");
    if (web_screen_check(r, SCREEN_DOC_DRAFT) == RES_OK && strcmp(st, "arrived") &&
        strcmp(st, "refused") && strcmp(st, "recalled"))
        web_set_str(
            doc, "reply_href",
            arena_printf(&r->arena, "/documents/outgoing/new?reply_to=%lld", (long long)id));
    json_t *ctx = json_object();
    web_set_str(ctx, "title",
                arena_printf(&r->arena, "Văn bản %s", web_jstr(doc, "number_symbol")));
    if (main_file)
        json_object_set(ctx, "viewer", main_file);
    json_object_set_new(ctx, "doc", doc);
    json_object_set_new(ctx, "reports", reports);
    json_object_set_new(ctx, "has_actions", json_boolean(json_array_size(forms) > 0));
    json_object_set_new(ctx, "action_forms", forms);
    if (e && e->count && verrs_get(e, "action"))
        web_set_str(ctx, "action_error", verrs_get(e, "action"));
    json_decref(form);
    web_render(r, status, "doc_view", ctx, "documents");
}

void page_document(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    /* A for-information recipient opening it has seen it (the API's GET does the same). */
    if (id && doc_mark_seen(r->app, &r->actor, id) == RES_NOT_FOUND) {
        web_doc_not_found(r);
        return;
    }
    render_document(r, 200, id, NULL, NULL, NULL);
}

void page_document_action(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    const char *key = req_param(r, "action");
    if (id && key && web_doc_out_action_known(key)) {
        /* the outgoing circuit's own steps (pages_doc_out.c) */
        web_doc_out_action(r, id, key);
        return;
    }
    const struct action_def *def = action_def(key ? key : "attach"); /* …/actions/attach */
    if (!id || !def) {
        web_doc_not_found(r);
        return;
    }
    if (req_form_bad(r)) {
        const char *why = req_form_error(r);
        resp_error(r, 400, "Dữ liệu không hợp lệ",
                   why ? why : "Biểu mẫu gửi lên không đọc được. Vui lòng tải lại trang.");
        return;
    }
    struct verrs e = {0};
    json_t *form = json_object();
    struct doc_step_input si = {0};
    si.note = req_form(r, "note");
    web_set_str(form, "note", si.note);
    if (def->note_required && str_is_empty(si.note))
        verrs_add(&e, "note", "Vui lòng nhập %s.",
                  !strcmp(def->key, "return")   ? "lý do trả lại"
                  : !strcmp(def->key, "refuse") ? "lý do từ chối"
                                                : "ý kiến");
    const char *v;
    result_t res = RES_INVALID;
    switch (def->kind) {
    case F_PRESENT:
        v = req_form(r, "leader_id");
        web_set_str(form, "leader_id", v);
        if (!v || str_to_i64(v, 1, INT64_MAX, &si.leader_id) != RES_OK)
            verrs_add(&e, "leader_id", "Vui lòng chọn lãnh đạo để trình.");
        break;
    case F_ASSIGN: {
        v = req_form(r, "lead");
        web_set_str(form, "lead", v);
        struct doc_target *lead = arena_alloc(&r->arena, sizeof(*lead));
        if (!v || !*v)
            verrs_add(&e, "lead", "Vui lòng chọn đơn vị hoặc người chủ trì xử lý.");
        else if (!target_parse(v, lead))
            verrs_add(&e, "lead", "Lựa chọn không hợp lệ.");
        else
            si.leads = lead, si.nleads = 1;
        si.co_handlers = targets_of(r, "co_handlers", DOC_MAX_CO_HANDLERS, &si.nco_handlers, form,
                                    &e, "co_handlers");
        si.for_info =
            targets_of(r, "for_info", DOC_MAX_FOR_INFO, &si.nfor_info, form, &e, "for_info");
        const char *mode = req_form(r, "deadline_mode");
        web_set_str(form, "deadline_mode", mode);
        const char *dl = req_form(r, "deadline"), *wd = req_form(r, "working_days");
        web_set_str(form, "deadline", dl);
        web_set_str(form, "working_days", wd);
        if (mode && !strcmp(mode, "days")) {
            if (!wd || str_to_i64(wd, 1, DOC_MAX_WORKING_DAYS, &si.working_days) != RES_OK)
                verrs_add(&e, "working_days", "Số ngày làm việc phải từ 1 đến %d.",
                          DOC_MAX_WORKING_DAYS);
            si.has_working_days = true;
        } else if (dl && *dl) {
            si.deadline = dl;
        }
        break;
    }
    case F_COMMENT:
        si.part_done = req_form(r, "part_done") != NULL;
        break;
    case F_NOTE:
        /* an outgoing return in review may go back to an earlier reviewer (empty: the
         * drafter); the incoming steps ignore it */
        v = req_form(r, "user_id");
        web_set_str(form, "user_id", v);
        if (!strcmp(def->key, "return") && v && *v &&
            str_to_i64(v, 1, INT64_MAX, &si.user_id) != RES_OK)
            verrs_add(&e, "user_id", "Người nhận lại không hợp lệ.");
        break;
    case F_FORWARD:
        v = req_form(r, "user_id");
        web_set_str(form, "user_id", v);
        if (!v || str_to_i64(v, 1, INT64_MAX, &si.user_id) != RES_OK)
            verrs_add(&e, "user_id", "Vui lòng chọn người nhận.");
        si.role = req_form(r, "role");
        web_set_str(form, "role", si.role);
        break;
    default:
        break;
    }
    if (e.count) {
        /* who may know the document first: an outsider's bad form is the 404 page */
        json_t *doc = NULL;
        res = doc_get(r->app, &r->actor, id, &doc);
        json_decref(doc);
        if (res == RES_OK)
            res = RES_INVALID;
    } else if (def->kind == F_ATTACH) {
        const struct mp_part *p = req_file(r, "file");
        struct doc_upload up = {0};
        if (p)
            up = (struct doc_upload){
                .role = "working", .file_name = p->filename, .data = p->data, .len = p->len};
        int64_t file_id = 0;
        res = doc_workflow_attach(r->app, &r->actor, id, p ? &up : NULL, si.note, &e, &file_id);
    } else if (def->kind == F_REGISTER) {
        struct doc_arrived_input ai = {.page_count = -1};
        v = req_form(r, "register_id");
        web_set_str(form, "register_id", v);
        if (!v || str_to_i64(v, 1, INT64_MAX, &ai.register_id) != RES_OK)
            verrs_add(&e, "register_id", "Vui lòng chọn sổ văn bản đến.");
        ai.confirm_duplicate = req_form(r, "confirm_duplicate") != NULL;
        struct doc_registered out = {0};
        res = e.count ? RES_INVALID : doc_register_arrived(r->app, &r->actor, id, &ai, &e, &out);
        if (res == RES_OK) {
            json_decref(form);
            web_flash(r, "success",
                      arena_printf(&r->arena, "Đã vào sổ văn bản đến số %lld.",
                                   (long long)out.arrival_number));
            resp_redirect(r, arena_printf(&r->arena, "/documents/%lld", (long long)id));
            return;
        }
        if (res == RES_CONFLICT && out.duplicate_of) {
            e = (struct verrs){0};
            verrs_add(&e, "confirm_duplicate",
                      "Văn bản này có thể đã được vào sổ: số đến %lld/%lld (%s). Nếu đây là văn "
                      "bản khác, đánh dấu “Vẫn vào sổ” rồi gửi lại.",
                      (long long)out.duplicate.arrival_number, (long long)out.duplicate.year,
                      DOC_CUT(out.duplicate.number_symbol, 60));
            res = RES_INVALID;
        }
    } else if (def->kind == F_REFUSE) {
        res = doc_refuse(r->app, &r->actor, id, si.note, &e);
    } else if (def->kind == F_DIGITISE) {
        int64_t key_id = 0;
        v = req_form(r, "key_id");
        const char *pin = req_form(r, "pin");
        if (!v || str_to_i64(v, 1, INT64_MAX, &key_id) != RES_OK)
            verrs_add(&e, "key_id", "Vui lòng chọn khóa ký số của cơ quan.");
        if (!pin || !*pin)
            verrs_add(&e, "pin", "Vui lòng nhập mã PIN.");
        res = e.count ? RES_INVALID : doc_digitise_sign(r->app, &r->actor, id, key_id, pin, &e);
    } else {
        res = doc_workflow_act(r->app, &r->actor, id, def->key, &si, &e);
    }
    int status = web_doc_step_answer(r, res, id, def->done, form, &e);
    if (status)
        render_document(r, status, id, def->key, form, &e);
}

int web_doc_step_answer(struct req *r, result_t res, int64_t id, const char *done, json_t *form,
                        struct verrs *e)
{
    if (res == RES_INVALID || res == RES_CONFLICT) {
        if (res == RES_CONFLICT && !e->count)
            verrs_add(e, "action", "Không thực hiện được ở bước này của văn bản.");
        return res == RES_CONFLICT && verrs_get(e, "action") ? 409 : 422;
    }
    json_decref(form);
    if (res == RES_OK) {
        web_flash(r, "success", done);
        resp_redirect(r, arena_printf(&r->arena, "/documents/%lld", (long long)id));
    } else if (res == RES_NOT_FOUND) {
        web_doc_not_found(r);
    } else if (res == RES_FORBIDDEN) {
        resp_error(r, 403, "Không có quyền",
                   "Bạn không được thực hiện thao tác này với văn bản này.");
    } else {
        resp_result(r, res);
    }
    return 0;
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

/* ---- home page counters, tracking, register books ---- */

json_t *web_doc_counters(struct req *r)
{
    json_t *out = json_array();
    json_t *c = NULL;
    if (doc_counts(r->app, &r->actor, &c) != RES_OK)
        return out; /* no documents for this actor (no agency): no counters */
    static const struct {
        const char *key, *label, *href, *hint;
    } items[] = {
        /* clerks (present only for them); overdue last: the page draws the last one red */
        {"to_register", "Chờ vào sổ", "/documents?state=arrived",
         "Văn bản đến qua hệ thống chờ vào sổ"},
        {"to_present", "Chờ trình", "/documents?state=registered",
         "Đã vào sổ, chưa trình lãnh đạo"},
        {"to_process", "Chờ xử lý", "/documents?box=to_process", "Văn bản đang chờ bạn xử lý"},
        {"in_progress", "Đang xử lý", "/documents?box=in_progress", "Văn bản bạn đang xử lý"},
        {"due_soon", "Sắp đến hạn", "/documents?box=due_soon", "Hạn xử lý trong vài ngày tới"},
        {"for_info", "Nhận để biết", "/documents?box=for_info", "Văn bản gửi để biết, chưa xem"},
        {"overdue", "Quá hạn", "/documents?box=overdue", "Văn bản đã quá hạn xử lý"},
    };
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
        json_t *v = json_object_get(c, items[i].key);
        if (!json_is_integer(v))
            continue;
        json_array_append_new(out, json_pack("{s:s,s:I,s:s,s:s}", "label", items[i].label, "value",
                                             json_integer_value(v), "href", items[i].href, "hint",
                                             items[i].hint));
    }
    json_decref(c);
    return out;
}

static json_t *tracking_rows(struct req *r, json_t *rows, bool people)
{
    size_t i;
    json_t *x;
    json_array_foreach(rows, i, x)
    {
        json_int_t uid = json_integer_value(json_object_get(x, "user_id"));
        if (people && uid)
            web_set_str(
                x, "overdue_href",
                arena_printf(&r->arena, "/documents?box=overdue&handler=%lld", (long long)uid));
        json_object_set_new(x, "has_overdue",
                            json_boolean(json_integer_value(json_object_get(x, "overdue")) > 0));
    }
    return json_incref(rows);
}

void page_documents_tracking(struct req *r)
{
    struct verrs e = {0};
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    if (from && !*from)
        from = NULL;
    if (to && !*to)
        to = NULL;
    if (!date_ok(from))
        verrs_add(&e, "from", "“Từ ngày” không phải ngày hợp lệ.");
    if (!date_ok(to))
        verrs_add(&e, "to", "“Đến ngày” không phải ngày hợp lệ.");
    json_t *t = NULL;
    result_t res = e.count ? RES_INVALID : doc_tracking(r->app, &r->actor, from, to, &e, &t);
    if (res == RES_FORBIDDEN) {
        resp_error(r, 403, "Không có quyền",
                   "Chỉ lãnh đạo cơ quan theo dõi tình hình xử lý văn bản của cơ quan.");
        return;
    }
    if (res != RES_OK && res != RES_INVALID) {
        resp_result(r, res);
        return;
    }
    json_t *ctx = json_object();
    web_set_str(ctx, "title", "Theo dõi xử lý văn bản");
    json_t *filter = json_object();
    web_set_str(filter, "from", t ? web_jstr(t, "from") : (from ? from : ""));
    web_set_str(filter, "to", t ? web_jstr(t, "to") : (to ? to : ""));
    web_set_str(filter, "from_vn", web_vn_date(r, web_jstr(filter, "from")));
    web_set_str(filter, "to_vn", web_vn_date(r, web_jstr(filter, "to")));
    json_object_set_new(ctx, "filter", filter);
    json_object_set_new(ctx, "departments",
                        t ? tracking_rows(r, json_object_get(t, "departments"), false)
                          : json_array());
    json_object_set_new(ctx, "people",
                        t ? tracking_rows(r, json_object_get(t, "people"), true) : json_array());
    json_decref(t);
    json_object_set_new(ctx, "errors", verrs_json(&e));
    web_render(r, e.count ? 400 : 200, "doc_tracking", ctx, "doc_tracking");
}

/* GET /documents/book?register_id=&from=&to=&format=pdf|xlsx (the list page's form). */
void page_register_book(struct req *r)
{
    int64_t id = 0;
    const char *rid = req_query(r, "register_id");
    if (rid && str_to_i64(rid, 1, INT64_MAX, &id) != RES_OK)
        id = 0;
    web_book_download(r, id, "/documents#book"); /* back to the list: the form is there */
}
