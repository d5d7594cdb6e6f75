/* "Văn bản đi": the outgoing circuit in the browser (issue 12, standards.md §2, §3, §6,
 * §9). The lists (doc_list with direction outgoing: the drafter's drafts, the reviews
 * and signatures waiting for the actor, the clerk's signed documents to seal and issue,
 * issued, cancelled; on the clerk's "to issue" tab a checkbox per row and a batch issued
 * through doc_issue_batch, with a result page per document), the draft form
 * (doc_outgoing_create, choices from
 * doc_draft_candidates) and an outgoing document's page: metadata, the versions of the
 * main file with who acted on each, the circuit, the timeline, the recipients' tracking
 * and exactly the forms of doc_get's `actions`, drawn from one table (out_actions[]) so
 * that a new step is one row and, when it needs a new kind of input, one flag. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/authz.h"
#include "core/signing_key.h"
#include "doc/doc.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/menu.h"
#include "web/pages.h"
#include "web/pages_doc.h"
#include "web/render.h"

#define FORM_REVIEWERS DOC_MAX_REVIEWERS /* reviewer selects on the submit and plan forms */
/* repeated selects of ids read from one form (form_ids): the larger of the core's limits */
#define FORM_IDS_MAX  (DOC_MAX_REVIEWERS > DOC_MAX_OPINIONS ? DOC_MAX_REVIEWERS : DOC_MAX_OPINIONS)
#define FORM_EXTERNAL 20  /* lines of external recipients on the draft form */
#define LIST_VALUES   200 /* checkboxes read per recipient group */

static const char *id_text(struct req *r, json_t *o, const char *key)
{
    return arena_printf(&r->arena, "%lld", (long long)json_integer_value(json_object_get(o, key)));
}

/* An instant of doc/ (unix seconds) as "09:05 22/11/2026". */
static const char *vn_instant(struct req *r, json_t *v)
{
    if (!json_is_integer(v))
        return "";
    char iso[40];
    clock_format_iso(json_integer_value(v), iso, sizeof(iso));
    return arena_printf(&r->arena, "%s %s", web_vn_time(r, iso), web_vn_date(r, iso));
}

/* ---- the lists ---- */

/* The tabs: a box of doc_list or a state of the outgoing circuit. clerk: shown to the
 * agency's clerks only (AZ_DOC_REGISTER, who seal and issue). */
static const struct out_tab {
    const char *key, *label, *box, *state, *empty;
    bool clerk;
} tabs[] = {
    {"all", "Tất cả", NULL, NULL, "Chưa có văn bản đi nào.", false},
    {"drafts", "Dự thảo của tôi", "drafts", NULL, "Bạn không có dự thảo nào đang soạn.", false},
    {"to_review", "Chờ tôi duyệt", "to_review", NULL, "Không có dự thảo nào chờ bạn duyệt.", false},
    {"to_sign", "Chờ tôi ký", "to_sign", NULL, "Không có văn bản nào chờ bạn ký.", false},
    {"to_issue", "Chờ đóng dấu, phát hành", NULL, "signed",
     "Không có văn bản đã ký nào chờ đóng dấu, phát hành.", true},
    {"issued", "Đã phát hành", NULL, "issued", "Chưa có văn bản nào được phát hành.", false},
    {"cancelled", "Đã hủy", NULL, "cancelled", "Không có văn bản nào bị hủy.", false},
};

static const struct out_tab *tab_find(const char *key)
{
    for (size_t i = 0; key && i < sizeof(tabs) / sizeof(tabs[0]); i++)
        if (!strcmp(tabs[i].key, key))
            return &tabs[i];
    return NULL;
}

void page_documents_outgoing(struct req *r)
{
    if (web_screen_check(r, SCREEN_OUTGOING) != RES_OK) {
        resp_error(r, 403, "Không có quyền", "Bạn không làm việc trong cơ quan nào.");
        return;
    }
    bool clerk = web_screen_check(r, SCREEN_DOC_REGISTER) == RES_OK;
    const char *tk = req_query(r, "tab");
    const struct out_tab *tab = tab_find(tk && *tk ? tk : "all");
    struct verrs e = {0};
    if (!tab || (tab->clerk && !clerk)) {
        verrs_add(&e, "tab", "Hộp văn bản không có trong danh mục.");
        tab = &tabs[0];
    }
    const char *q = req_query(r, "q");
    if (q && !*q)
        q = NULL;
    struct doc_filter f = {.direction = "outgoing",
                           .urgency = -1,
                           .box = tab->box,
                           .state = tab->state,
                           .q = q,
                           .sort = "received",
                           .cursor = req_query(r, "cursor")};
    json_t *list = NULL;
    char *next = NULL;
    result_t res = doc_list(r->app, &r->actor, &f, &e, &list, &next);
    if (res == RES_INVALID && verrs_get(&e, "cursor")) {
        e = (struct verrs){0}; /* a stale or edited link: start over */
        f.cursor = NULL;
        res = doc_list(r->app, &r->actor, &f, &e, &list, &next);
    }
    if (res != RES_OK && res != RES_INVALID) {
        free(next);
        resp_result(r, res);
        return;
    }
    if (!list)
        list = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(list, i, d)
    {
        web_doc_decorate(r, d);
        json_object_set_new(d, "numbered", json_boolean(*web_jstr(d, "number") != '\0'));
        web_set_str(d, "date_text",
                    *web_jstr(d, "issued_date_vn") ? web_jstr(d, "issued_date_vn")
                                                   : web_jstr(d, "received_date"));
    }
    const char *qq = q ? arena_printf(&r->arena, "&q=%s", web_url_encode(&r->arena, q)) : "";
    json_t *jt = json_array();
    for (size_t t = 0; t < sizeof(tabs) / sizeof(tabs[0]); t++) {
        if (tabs[t].clerk && !clerk)
            continue;
        json_array_append_new(
            jt, json_pack("{s:s,s:s,s:s,s:b}", "key", tabs[t].key, "label", tabs[t].label, "href",
                          arena_printf(&r->arena, "/documents/outgoing?tab=%s%s", tabs[t].key, qq),
                          "current", &tabs[t] == tab));
    }
    json_t *page = json_object();
    if (next)
        web_set_str(page, "next_href",
                    arena_printf(&r->arena, "/documents/outgoing?tab=%s%s&cursor=%s", tab->key, qq,
                                 web_url_encode(&r->arena, next)));
    if (f.cursor && *f.cursor)
        web_set_str(page, "first_href",
                    arena_printf(&r->arena, "/documents/outgoing?tab=%s%s", tab->key, qq));
    free(next);
    json_t *ctx = json_object();
    web_set_str(ctx, "title", "Văn bản đi");
    json_object_set_new(ctx, "documents", list);
    json_object_set_new(ctx, "tabs", jt);
    json_object_set_new(ctx, "page", page);
    json_object_set_new(
        ctx, "filter",
        json_pack("{s:s,s:s,s:b}", "q", q ? q : "", "tab", tab->key, "active", q != NULL));
    web_set_str(ctx, "empty", q ? "Không có văn bản đi nào khớp từ khóa." : tab->empty);
    web_set_str(ctx, "tab_label", tab->label);
    json_object_set_new(ctx, "can_draft",
                        json_boolean(web_screen_check(r, SCREEN_DOC_DRAFT) == RES_OK));
    /* the clerk's documents to issue: checkboxes and one button for a batch */
    json_object_set_new(ctx, "selectable",
                        json_boolean(tab->clerk && clerk && json_array_size(list) > 0));
    json_object_set_new(ctx, "batch_max", json_integer(DOC_ISSUE_BATCH_MAX));
    if (e.count)
        json_object_set_new(ctx, "errors", verrs_json(&e));
    web_render(r, e.count ? 400 : 200, "doc_out_list", ctx, "outgoing");
}

/* ---- issuing a batch from the clerk's list ---- */

/* Why doc_outgoing_issue refused one document, in the page's words. */
static const char *issue_reason(struct req *r, const struct doc_issue_item *it)
{
    switch (it->r) {
    case RES_NOT_FOUND:
        return "Văn bản không tồn tại hoặc bạn không có quyền xem.";
    case RES_FORBIDDEN:
        return "Bạn không có quyền phát hành văn bản này.";
    case RES_CONFLICT: {
        const char *why = verrs_get(&it->e, "action");
        return why ? why : "Văn bản chưa phát hành được lúc này.";
    }
    case RES_INVALID: {
        const char *all = "";
        for (int i = 0; i < it->e.count; i++)
            all = arena_printf(&r->arena, "%s%s%s", all, *all ? " " : "", it->e.items[i].message);
        return *all ? all : "Thông tin của văn bản chưa đủ để phát hành.";
    }
    case RES_BUSY:
    case RES_DB:
    case RES_RECONNECT:
        return "Cơ sở dữ liệu tạm thời không truy cập được; văn bản chưa được phát hành. Vui "
               "lòng thử lại.";
    default:
        return "Đã có lỗi xảy ra; văn bản chưa được phát hành.";
    }
}

/* POST /documents/outgoing/issue (ids: the checked rows of the clerk's "to issue" tab):
 * doc_issue_batch issues the most urgent first, each in its own transaction; the page
 * then says, per document, whether it was issued or why not. */
void page_documents_issue_batch(struct req *r)
{
    const char *back = "/documents/outgoing?tab=to_issue";
    if (req_form_bad(r)) {
        const char *why = req_form_error(r);
        resp_error(r, 400, "Dữ liệu không hợp lệ",
                   why ? why : "Biểu mẫu gửi lên không đọc được. Vui lòng tải lại trang.");
        return;
    }
    if (web_screen_check(r, SCREEN_DOC_REGISTER) != RES_OK) {
        resp_error(r, 403, "Không có quyền",
                   "Chỉ văn thư của cơ quan được phát hành văn bản đi của cơ quan.");
        return;
    }
    const char **vals = arena_alloc(&r->arena, (DOC_ISSUE_BATCH_MAX + 1) * sizeof(*vals));
    int count = req_form_all(r, "ids", vals, DOC_ISSUE_BATCH_MAX + 1);
    int64_t ids[DOC_ISSUE_BATCH_MAX];
    size_t n = 0;
    struct verrs e = {0};
    if (count > DOC_ISSUE_BATCH_MAX)
        verrs_add(&e, "ids", "Chọn tối đa %d văn bản để phát hành một lần.", DOC_ISSUE_BATCH_MAX);
    for (int i = 0; !e.count && i < count; i++) {
        if (!vals[i] || !*vals[i])
            continue;
        if (str_to_i64(vals[i], 1, INT64_MAX, &ids[n]) != RES_OK)
            verrs_add(&e, "ids", "Văn bản được chọn không hợp lệ. Vui lòng tải lại trang.");
        else
            n++;
    }
    if (!e.count && !n)
        verrs_add(&e, "ids", "Chưa chọn văn bản nào: đánh dấu các văn bản cần phát hành.");
    /* one struct verrs per document: on the heap, as the API does */
    struct doc_issue_item *items = e.count ? NULL : xcalloc(n, sizeof(*items));
    result_t res = e.count ? RES_INVALID : doc_issue_batch(r->app, &r->actor, ids, n, items, &e);
    if (res == RES_INVALID) {
        free(items);
        web_flash(r, "error", e.count ? e.items[0].message : "Danh sách văn bản không hợp lệ.");
        resp_redirect(r, back);
        return;
    }
    if (res != RES_OK) {
        free(items);
        if (res == RES_FORBIDDEN)
            resp_error(r, 403, "Không có quyền",
                       "Chỉ văn thư của cơ quan được phát hành văn bản đi của cơ quan.");
        else
            resp_result(r, res);
        return;
    }
    json_t *issued = json_array(), *refused = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *d = NULL, *row = json_object();
        json_object_set_new(row, "id", json_integer(items[i].id));
        if (doc_get(r->app, &r->actor, items[i].id, &d) == RES_OK &&
            !strcmp(web_jstr(d, "direction"), "outgoing")) {
            web_doc_decorate(r, d);
            web_set_str(row, "href", web_jstr(d, "href"));
            web_set_str(row, "number_symbol", web_jstr(d, "number_symbol"));
            web_set_str(row, "subject", web_jstr(d, "subject"));
            web_set_str(row, "urgency_label", web_jstr(d, "urgency_label"));
            web_set_str(row, "urgency_class", web_jstr(d, "urgency_class"));
            json_object_set(row, "urgent", json_object_get(d, "urgent"));
        } else {
            web_set_str(row, "href", "");
            web_set_str(row, "number_symbol", "");
            web_set_str(row, "subject",
                        arena_printf(&r->arena, "Văn bản #%lld", (long long)items[i].id));
            web_set_str(row, "urgency_label", "");
            web_set_str(row, "urgency_class", "");
        }
        json_decref(d);
        if (items[i].r == RES_OK) {
            json_array_append_new(issued, row);
        } else {
            web_set_str(row, "reason", issue_reason(r, &items[i]));
            json_array_append_new(refused, row);
        }
    }
    free(items);
    json_t *ctx = json_object();
    web_set_str(ctx, "title", "Kết quả phát hành");
    json_object_set_new(ctx, "issued_count", json_integer((json_int_t)json_array_size(issued)));
    json_object_set_new(ctx, "refused_count", json_integer((json_int_t)json_array_size(refused)));
    json_object_set_new(ctx, "issued", issued);
    json_object_set_new(ctx, "refused", refused);
    web_set_str(ctx, "back_href", back);
    web_render(r, 200, "doc_out_issued", ctx, "outgoing");
}

/* The home page's outgoing work: how many documents wait in each of the actor's boxes,
 * counted as the list does (at most DOC_LIST_MAX, then "100+"): a box is small, being
 * the actor's own rows. */
json_t *web_doc_out_counters(struct req *r)
{
    json_t *out = json_array();
    if (web_screen_check(r, SCREEN_OUTGOING) != RES_OK)
        return out;
    bool clerk = web_screen_check(r, SCREEN_DOC_REGISTER) == RES_OK;
    static const struct {
        const char *tab, *label, *hint;
    } items[] = {
        {"drafts", "Dự thảo của tôi", "Dự thảo văn bản đi đang ở chỗ bạn"},
        {"to_review", "Chờ tôi duyệt", "Dự thảo văn bản đi chờ bạn cho ý kiến, duyệt"},
        {"to_sign", "Chờ tôi ký", "Văn bản đi đã duyệt, chờ bạn ký số"},
        {"to_issue", "Chờ phát hành", "Văn bản đi đã ký, chờ đóng dấu và phát hành"},
    };
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
        const struct out_tab *t = tab_find(items[i].tab);
        if (t->clerk && !clerk)
            continue;
        struct doc_filter f = {.direction = "outgoing",
                               .urgency = -1,
                               .box = t->box,
                               .state = t->state,
                               .sort = "received",
                               .limit = DOC_LIST_MAX};
        struct verrs e = {0};
        json_t *list = NULL;
        char *next = NULL;
        if (doc_list(r->app, &r->actor, &f, &e, &list, &next) != RES_OK)
            continue;
        size_t n = json_array_size(list);
        bool more = next != NULL;
        json_decref(list);
        free(next);
        if (!n && strcmp(items[i].tab, "drafts"))
            continue; /* only the boxes with work, and always the drafter's own */
        json_array_append_new(
            out,
            json_pack("{s:s,s:I,s:s,s:s,s:b}", "label", items[i].label, "value", (json_int_t)n,
                      "href", arena_printf(&r->arena, "/documents/outgoing?tab=%s", items[i].tab),
                      "hint", items[i].hint, "more", more));
    }
    return out;
}

/* ---- the draft form ---- */

static const char *const authorities[][2] = {
    {"", "Ký trực tiếp (không ghi thẩm quyền)"},
    {"TM.", "TM. — Thay mặt tập thể"},
    {"Q.", "Q. — Quyền"},
    {"KT.", "KT. — Ký thay người đứng đầu"},
    {"TL.", "TL. — Thừa lệnh"},
    {"TUQ.", "TUQ. — Thừa ủy quyền"},
};

/* {value, label, selected} of a list of {id, ...}; skip: an id left out (0 = none). */
static json_t *options(struct req *r, json_t *list, json_t *form, const char *name, bool people,
                       int64_t skip1, int64_t skip2)
{
    json_t *out = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
    {
        int64_t id = json_integer_value(json_object_get(x, "id"));
        if (id == skip1 || id == skip2)
            continue;
        const char *v = id_text(r, x, "id");
        const char *label =
            people ? web_person_label(r, x)
            : *web_jstr(x, "code")
                ? arena_printf(&r->arena, "%s (%s)", web_jstr(x, "name"), web_jstr(x, "code"))
                : web_jstr(x, "name");
        json_array_append_new(out, json_pack("{s:s,s:s,s:b}", "value", v, "label", label,
                                             "selected", form && web_form_has(form, name, v)));
    }
    return out;
}

/* The answer of the draft form when the core fails (not a field error): 403 in the
 * drafting words, else the result's page. */
static void draft_failed(struct req *r, result_t res)
{
    if (res == RES_FORBIDDEN)
        resp_error(r, 403, "Không có quyền soạn văn bản",
                   "Chỉ cán bộ của cơ quan được soạn văn bản đi của cơ quan.");
    else
        resp_result(r, res);
}

static void render_draft(struct req *r, int status, json_t *form, const struct verrs *e)
{
    json_t *cand = NULL;
    result_t res = doc_draft_candidates(r->app, &r->actor, &cand);
    if (res != RES_OK) {
        json_decref(form);
        draft_failed(r, res);
        return;
    }
    json_t *types = json_array();
    const char *type = web_jstr(form, "doc_type");
    for (size_t i = 0; i < doc_type_count; i++)
        json_array_append_new(types, json_pack("{s:s,s:s,s:s,s:b}", "key", doc_types[i].key, "name",
                                               doc_types[i].name, "abbr", doc_types[i].abbr,
                                               "selected", !strcmp(type, doc_types[i].key)));
    json_t *urg = json_array();
    int u = doc_urgency_parse(web_jstr(form, "urgency"));
    for (int i = 0; i < 5; i++)
        json_array_append_new(urg,
                              json_pack("{s:s,s:s,s:b}", "key", doc_urgency_keys[i], "label",
                                        doc_urgency_labels[i], "selected", i == (u < 0 ? 0 : u)));
    json_t *auth = json_array();
    for (size_t i = 0; i < sizeof(authorities) / sizeof(authorities[0]); i++)
        json_array_append_new(
            auth, json_pack("{s:s,s:s,s:b}", "key", authorities[i][0], "label", authorities[i][1],
                            "selected", !strcmp(web_jstr(form, "authority"), authorities[i][0])));
    json_t *ctx = json_object();
    web_set_str(ctx, "title", "Soạn văn bản đi");
    /* "in reply to": the incoming document named, when the drafter may read it */
    int64_t reply = 0;
    if (*web_jstr(form, "reply_to_id"))
        str_to_i64(web_jstr(form, "reply_to_id"), 1, INT64_MAX, &reply);
    json_t *rd = NULL;
    if (reply && doc_get(r->app, &r->actor, reply, &rd) == RES_OK &&
        !strcmp(web_jstr(rd, "direction"), "incoming")) {
        web_doc_decorate(r, rd);
        json_object_set_new(ctx, "reply_to", rd);
    } else {
        json_decref(rd);
        web_set_str(form, "reply_to_id", "");
    }
    json_object_set_new(ctx, "form", form);
    json_object_set_new(ctx, "doc_types", types);
    json_object_set_new(ctx, "urgencies", urg);
    json_object_set_new(ctx, "authorities", auth);
    json_object_set_new(
        ctx, "signers",
        options(r, json_object_get(cand, "leaders"), form, "signer_id", true, r->actor.user_id, 0));
    json_object_set_new(
        ctx, "agencies",
        options(r, json_object_get(cand, "agencies"), form, "rcpt_agency", false, 0, 0));
    json_object_set_new(
        ctx, "departments",
        options(r, json_object_get(cand, "departments"), form, "rcpt_department", false, 0, 0));
    json_object_set_new(
        ctx, "people",
        options(r, json_object_get(cand, "people"), form, "rcpt_user", true, r->actor.user_id, 0));
    json_object_set_new(ctx, "subject_max", json_integer(DOC_SUBJECT_MAX));
    json_object_set_new(ctx, "max_appendices", json_integer(DOC_MAX_APPENDICES));
    json_object_set_new(ctx, "errors", e ? verrs_json(e) : json_object());
    json_decref(cand);
    web_render(r, status, "doc_out_draft", ctx, "doc_draft");
}

void page_document_draft(struct req *r)
{
    json_t *form = json_object();
    const char *reply = req_query(r, "reply_to");
    web_set_str(form, "reply_to_id", reply);
    render_draft(r, 200, form, NULL);
}

/* Checked ids of a group of checkboxes, as recipients of `kind`. */
static size_t read_ids(struct req *r, const char *name, const char *kind, json_t *form,
                       struct doc_recipient_input *rc, size_t n, size_t max, struct verrs *e)
{
    const char **vals = arena_alloc(&r->arena, (LIST_VALUES + 1) * sizeof(*vals));
    int count = req_form_all(r, name, vals, LIST_VALUES + 1);
    json_t *kept = json_array();
    for (int i = 0; i < count && i < LIST_VALUES; i++) {
        int64_t id = 0;
        if (!vals[i] || !*vals[i])
            continue;
        json_array_append_new(kept, json_string(vals[i]));
        if (str_to_i64(vals[i], 1, INT64_MAX, &id) != RES_OK) {
            verrs_add(e, "recipients", "Nơi nhận không hợp lệ.");
            continue;
        }
        if (n == max) {
            verrs_add(e, "recipients", "Tối đa %d nơi nhận.", DOC_MAX_RECIPIENTS);
            break;
        }
        rc[n] = (struct doc_recipient_input){.kind = kind};
        if (!strcmp(kind, "agency"))
            rc[n].agency_id = id;
        else if (!strcmp(kind, "department"))
            rc[n].department_id = id;
        else
            rc[n].user_id = id;
        n++;
    }
    json_object_set_new(form, name, kept);
    return n;
}

/* External agencies, a line each "code | name" (at most FORM_EXTERNAL), as recipients
 * after rc[n]; the core checks the codes. */
static size_t read_external(struct req *r, const char *field, struct doc_recipient_input *rc,
                            size_t n, size_t max, struct verrs *e)
{
    const char *ext = req_form(r, field);
    int lines = 0;
    for (const char *p = ext ? ext : ""; *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        while (len && (*p == ' ' || *p == '\t'))
            p++, len--;
        if (len) {
            if (++lines > FORM_EXTERNAL || n == max) {
                verrs_add(e, field, "Tối đa %d cơ quan ngoài hệ thống (mỗi dòng một).",
                          FORM_EXTERNAL);
                break;
            }
            const char *line = arena_strndup(&r->arena, p, len);
            char *bar = strchr(line, '|');
            const char *code = line, *name = "";
            if (bar) {
                *bar = '\0';
                name = bar + 1;
                while (*name == ' ')
                    name++;
                for (char *t = bar; t > line && (t[-1] == ' ' || t[-1] == '\t'); t--)
                    t[-1] = '\0';
            }
            rc[n++] = (struct doc_recipient_input){
                .kind = "external", .agency_code = code, .name = *name ? name : NULL};
        }
        if (!end)
            break;
        p = end + 1;
    }
    return n;
}

void page_document_draft_post(struct req *r)
{
    if (req_form_bad(r)) {
        const char *why = req_form_error(r);
        resp_error(r, 400, "Dữ liệu không hợp lệ",
                   why ? why : "Biểu mẫu gửi lên không đọc được. Vui lòng tải lại trang.");
        return;
    }
    struct verrs e = {0};
    json_t *form = json_object();
    static const char *const fields[] = {"doc_type",    "subject",       "summary",
                                         "urgency",     "authority",     "signer_id",
                                         "reply_to_id", "rcpt_external", NULL};
    for (int i = 0; fields[i]; i++)
        web_set_str(form, fields[i], req_form(r, fields[i]));
    struct doc_outgoing_input in = {0};
    in.doc_type = req_form(r, "doc_type");
    in.subject = req_form(r, "subject");
    in.summary = req_form(r, "summary");
    in.urgency = req_form(r, "urgency");
    in.authority = req_form(r, "authority");
    if (!in.authority)
        in.authority = "";
    /* the page's own words for what the core says for API clients */
    if (!in.doc_type || !*in.doc_type || !doc_type_find(in.doc_type))
        verrs_add(&e, "doc_type", "Vui lòng chọn loại văn bản.");
    bool auth_ok = false;
    for (size_t i = 0; i < sizeof(authorities) / sizeof(authorities[0]); i++)
        auth_ok |= !strcmp(in.authority, authorities[i][0]);
    if (!auth_ok)
        verrs_add(&e, "authority", "Vui lòng chọn thẩm quyền ký trong danh sách.");
    if (in.urgency && *in.urgency && doc_urgency_parse(in.urgency) < 0)
        verrs_add(&e, "urgency", "Vui lòng chọn độ khẩn trong danh sách.");
    const char *v = req_form(r, "signer_id");
    if (!v || !*v || str_to_i64(v, 1, INT64_MAX, &in.signer_id) != RES_OK)
        verrs_add(&e, "signer_id", "Vui lòng chọn người ký.");
    v = req_form(r, "reply_to_id");
    if (v && *v && str_to_i64(v, 1, INT64_MAX, &in.reply_to_id) != RES_OK)
        verrs_add(&e, "reply_to_id", "Văn bản được trả lời không hợp lệ.");
    /* recipients: agencies of the installation, external agencies ("code | name" a line),
     * units and people of the agency */
    size_t max = DOC_MAX_RECIPIENTS;
    struct doc_recipient_input *rc = arena_alloc(&r->arena, (max + 1) * sizeof(*rc));
    size_t n = read_ids(r, "rcpt_agency", "agency", form, rc, 0, max, &e);
    n = read_external(r, "rcpt_external", rc, n, max, &e);
    n = read_ids(r, "rcpt_department", "department", form, rc, n, max, &e);
    n = read_ids(r, "rcpt_user", "user", form, rc, n, max, &e);
    in.recipients = rc;
    in.nrecipients = n;
    if (!n && !verrs_get(&e, "recipients"))
        verrs_add(&e, "recipients", "Vui lòng chọn ít nhất một nơi nhận.");
    struct doc_upload files[REQ_MAX_FILES];
    size_t nf = 0, mains = 0;
    for (int i = 0; i < r->nfiles && nf < REQ_MAX_FILES; i++) {
        const struct mp_part *p = &r->files[i];
        if (!p->len && !*p->filename)
            continue; /* a file input left empty */
        if (strcmp(p->name, "main") && strcmp(p->name, "appendix"))
            continue;
        mains += !strcmp(p->name, "main");
        files[nf++] = (struct doc_upload){
            .role = p->name, .file_name = p->filename, .data = p->data, .len = p->len};
    }
    if (!mains)
        verrs_add(&e, "file", "Vui lòng chọn tệp dự thảo (DOCX, ODT hoặc PDF).");
    int64_t id = 0;
    result_t res = RES_INVALID;
    if (!e.count) {
        res = doc_outgoing_create(r->app, &r->actor, &in, files, nf, &e, &id);
    } else if (authz_check(&r->actor, AZ_DOC_DRAFT, r->actor.agency_id) != RES_OK) {
        res = RES_FORBIDDEN;
    }
    if (res == RES_OK) {
        json_decref(form);
        web_flash(r, "success", "Đã tạo dự thảo. Kiểm tra lại rồi trình duyệt.");
        resp_redirect(r, arena_printf(&r->arena, "/documents/%lld", (long long)id));
        return;
    }
    if (res != RES_INVALID) {
        json_decref(form);
        draft_failed(r, res);
        return;
    }
    /* the core's words for the file name the API uses: the page says "tệp dự thảo" */
    struct verrs shown = {0};
    for (int i = 0; i < e.count; i++) {
        const char *msg = e.items[i].message;
        if (!strcmp(e.items[i].field, "file") && strstr(msg, "(trường file)"))
            msg = "Vui lòng chọn đúng một tệp dự thảo (DOCX, ODT hoặc PDF).";
        if (!verrs_get(&shown, e.items[i].field))
            verrs_add(&shown, e.items[i].field, "%s", msg);
    }
    if (nf)
        json_object_set_new(form, "files_again", json_true());
    render_draft(r, 422, form, &shown);
}

/* ---- one outgoing document ---- */

/* What a form asks for besides the note. */
enum {
    OF_FILE = 1 << 0,          /* a new version of the main file */
    OF_REVIEWERS = 1 << 1,     /* the reviewers in order (submit) */
    OF_RETURN_TO = 1 << 2,     /* back to the drafter or an earlier reviewer (return) */
    OF_PERSON_KEY = 1 << 3,    /* one of the actor's personal keys and its PIN */
    OF_AGENCY_KEY = 1 << 4,    /* one of the agency's keys and its PIN (clerks) */
    OF_DANGER = 1 << 5,        /* drawn red, asks before posting */
    OF_NOTE = 1 << 6,          /* a note (note_required: a reason) */
    OF_NOTE_REQUIRED = 1 << 7, /* the note is required */
    OF_DEPARTMENTS = 1 << 8,   /* units asked for an opinion, with working days */
    OF_UPDATE = 1 << 9         /* the corrections and recipients of an update */
};

/* Every outgoing step a form posts (doc_get's action keys). return is posted to the
 * incoming handler, which shares it (pages_doc.c reads its user_id). */
static const struct out_action {
    const char *key, *label, *done, *note_label, *hint;
    unsigned flags;
} out_actions[] = {
    {"version", "Tải lên phiên bản mới", "Đã tải lên phiên bản mới của dự thảo.", "Ghi chú",
     "Tệp DOCX, ODT hoặc PDF. Trước khi trình ký, tải lên bản PDF để người ký duyệt đúng bản sẽ "
     "ký.",
     OF_FILE | OF_NOTE},
    {"submit", "Trình duyệt", "Đã trình dự thảo.", "Nội dung trình",
     "Dự thảo đi lần lượt qua những người duyệt theo thứ tự đã chọn; người ký duyệt cuối cùng.",
     OF_REVIEWERS | OF_NOTE},
    {"approve", "Duyệt", "Đã duyệt dự thảo.", "Ý kiến",
     "Người ký duyệt bản PDF mới nhất: bản đó được giữ nguyên để ký.", OF_NOTE},
    {"return", "Trả lại", "Đã trả lại dự thảo.", "Lý do trả lại", NULL,
     OF_RETURN_TO | OF_NOTE | OF_NOTE_REQUIRED},
    {"sign", "Ký số và cấp số", "Đã ký số; văn bản đã được cấp số và ghi ngày ban hành.", NULL,
     "Văn bản được ký bằng khóa ký số cá nhân của bạn, sau đó cấp số, ký hiệu và ngày theo sổ "
     "văn bản đi.",
     OF_PERSON_KEY},
    {"seal", "Ký số của cơ quan (đóng dấu)", "Đã ký số của cơ quan lên văn bản và phụ lục.", NULL,
     "Chữ ký số của cơ quan, kèm hình con dấu, đặt lên chữ ký của người ký; phụ lục PDF được ký "
     "kèm số, ký hiệu.",
     OF_AGENCY_KEY},
    {"issue", "Phát hành", "Đã phát hành văn bản đến các nơi nhận.", NULL,
     "Cơ quan trên hệ thống nhận văn bản ngay; cơ quan ngoài hệ thống được đưa vào hàng chờ gửi.",
     0},
    {"cancel", "Hủy văn bản đã cấp số", "Đã hủy văn bản; số đã cấp được giữ, không cấp lại.",
     "Lý do hủy", "Số đã cấp được giữ lại và đánh dấu hủy, không cấp cho văn bản khác.",
     OF_DANGER | OF_NOTE | OF_NOTE_REQUIRED},
    {"plan", "Sửa quy trình duyệt", "Đã lưu quy trình duyệt của dự thảo.", NULL,
     "Những người duyệt theo thứ tự (theo mẫu quy trình của cơ quan); người ký duyệt cuối cùng. "
     "Khi trình không chọn người duyệt, dự thảo đi theo quy trình này.",
     OF_REVIEWERS},
    {"ask_opinion", "Xin ý kiến đơn vị", "Đã gửi xin ý kiến các đơn vị.", "Nội dung xin ý kiến",
     "Các đơn vị cho ý kiến song song trong hạn (ngày làm việc); bạn quyết định khi nào duyệt "
     "tiếp.",
     OF_DEPARTMENTS | OF_NOTE | OF_NOTE_REQUIRED},
    {"answer_opinion", "Cho ý kiến", "Đã gửi ý kiến của đơn vị.", "Ý kiến của đơn vị", NULL,
     OF_NOTE | OF_NOTE_REQUIRED},
    {"update", "Cập nhật văn bản",
     "Đã cập nhật văn bản; các nơi nhận trên hệ thống đã được cập "
     "nhật.",
     "Lý do cập nhật",
     "Sửa lỗi thể thức của văn bản đã ban hành (không sửa số, ký hiệu, ngày: đã có trên bản ký "
     "số) hoặc thêm, bỏ nơi nhận. Chỉ những mục thay đổi được cập nhật; các nơi nhận trên hệ "
     "thống được thông báo.",
     OF_UPDATE | OF_NOTE | OF_NOTE_REQUIRED},
    {"recall", "Thu hồi văn bản", "Đã thu hồi văn bản; bản của các nơi nhận đã dừng xử lý.",
     "Lý do thu hồi", "Bản văn bản ở các nơi nhận trên hệ thống dừng xử lý.",
     OF_DANGER | OF_NOTE | OF_NOTE_REQUIRED},
};

static const struct out_action *out_action(const char *key)
{
    for (size_t i = 0; key && i < sizeof(out_actions) / sizeof(out_actions[0]); i++)
        if (!strcmp(out_actions[i].key, key))
            return &out_actions[i];
    return NULL;
}

bool web_doc_out_action_known(const char *key)
{
    return out_action(key) && strcmp(key, "return") != 0;
}

/* The keys usable now: personal (the actor's) or the agency's, {id, label, selected}. */
static json_t *key_options(struct req *r, bool agency, json_t *fv)
{
    json_t *usable = NULL, *out = json_array();
    if (signing_key_usable(r->app, &r->actor, &usable) != RES_OK)
        return out;
    size_t j;
    json_t *k;
    json_array_foreach(usable, j, k)
    {
        bool is_agency = json_is_null(json_object_get(k, "user_id"));
        if (is_agency != agency)
            continue;
        char until[32];
        clock_format_vn_date(json_integer_value(json_object_get(k, "not_after")), until,
                             sizeof(until));
        const char *v = id_text(r, k, "id");
        json_array_append_new(out, json_pack("{s:s,s:s,s:b}", "id", v, "label",
                                             arena_printf(&r->arena, "%s (hiệu lực đến %s)",
                                                          web_jstr(k, "subject"), until),
                                             "selected", web_form_has(fv, "key_id", v)));
    }
    json_decref(usable);
    return out;
}

static const char *circuit_status(json_t *p)
{
    const char *st = web_jstr(p, "status"), *role = web_jstr(p, "role");
    bool active = json_is_true(json_object_get(p, "active"));
    if (!strcmp(st, "pending"))
        return active ? "Đang xem xét" : "Chờ đến lượt";
    if (!strcmp(st, "in_progress"))
        return !strcmp(role, "signer") ? "Đã duyệt, chờ ký" : "Đang xem xét";
    if (!strcmp(st, "done"))
        return !strcmp(role, "signer") ? "Đã ký" : "Đã duyệt";
    if (!strcmp(st, "returned"))
        return "Đã trả lại";
    if (!strcmp(st, "withdrawn"))
        return "Dừng (dự thảo bị trả lại)";
    return "";
}

static const char *stage_label(const char *stage)
{
    return !strcmp(stage, "signed")    ? "Bản đã ký số"
           : !strcmp(stage, "stamped") ? "Bản đã ký, có số và ngày"
           : !strcmp(stage, "sealed")  ? "Bản đã đóng dấu số"
                                       : "Dự thảo";
}

static const char *track_label(const char *status)
{
    static const struct {
        const char *key, *label, *cls;
    } map[] = {
        {"arrived", "Đã đến, chờ vào sổ", "warn"},
        {"registered", "Đã vào sổ", "ok"},
        {"refused", "Từ chối tiếp nhận", "off"},
        {"assigned", "Đã giao xử lý", "ok"},
        {"in_progress", "Đang xử lý", "ok"},
        {"completed", "Đã hoàn thành", "ok"},
        {"recalled", "Đã thu hồi", "off"},
        {"waiting_to_send", "Chờ gửi", "warn"},
        {"sent", "Đã gửi", "ok"},
        {"failed", "Gửi không thành công", "off"},
        {"not_sent", "Gửi khi phát hành", "state"},
        {"removed", "Đã bỏ khỏi nơi nhận (cập nhật)", "off"},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(map[i].key, status))
            return map[i].label;
    return "Không xác định";
}

static const char *track_class(const char *status)
{
    return !strcmp(status, "refused") || !strcmp(status, "recalled") || !strcmp(status, "failed") ||
                   !strcmp(status, "removed")
               ? "off"
           : !strcmp(status, "arrived") || !strcmp(status, "waiting_to_send") ? "warn"
           : !strcmp(status, "not_sent")                                      ? "state"
                                                                              : "ok";
}

/* The newest version of each file (main, appendices): what the page shows and checks. */
static json_t *current_files(json_t *files)
{
    json_t *out = json_array();
    size_t i;
    json_t *f;
    const char *last_role = "";
    json_int_t last_seq = -1;
    json_array_foreach(files, i, f)
    {
        /* doc_get orders main, appendices, working; seq; newest version first */
        const char *role = web_jstr(f, "role");
        json_int_t seq = json_integer_value(json_object_get(f, "seq"));
        if (!strcmp(role, last_role) && seq == last_seq)
            continue;
        last_role = role;
        last_seq = seq;
        json_array_append(out, f);
    }
    return out;
}

/* The update form (cập nhật): the corrections prefilled with the document's values (or
 * the values posted, fv), the recipients in force to take off (by seq), the
 * installation's agencies not yet recipients and external lines to add. */
static void update_form(struct req *r, json_t *doc, json_t *fv, json_t *a)
{
    json_object_set_new(a, "has_update", json_true());
    json_int_t pages = json_integer_value(json_object_get(doc, "page_count"));
    web_set_str(a, "subject", fv ? web_jstr(fv, "subject") : web_jstr(doc, "subject"));
    web_set_str(a, "summary", fv ? web_jstr(fv, "summary") : web_jstr(doc, "notes"));
    web_set_str(a, "due_date", fv ? web_jstr(fv, "due_date") : web_jstr(doc, "due_date"));
    web_set_str(a, "page_count",
                fv      ? web_jstr(fv, "page_count")
                : pages ? arena_printf(&r->arena, "%lld", (long long)pages)
                        : "");
    web_set_str(a, "rcpt_external", fv ? web_jstr(fv, "rcpt_external") : "");
    json_t *off = json_array(), *taken = json_object();
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(doc, "recipients_list"), i, x)
    {
        if (!strcmp(web_jstr(x, "kind"), "agency"))
            json_object_set_new(taken, id_text(r, x, "agency_id"), json_true());
        if (json_is_true(json_object_get(x, "removed")))
            continue;
        const char *v = id_text(r, x, "seq");
        json_array_append_new(off,
                              json_pack("{s:s,s:s,s:b}", "value", v, "label", web_jstr(x, "name"),
                                        "selected", fv && web_form_has(fv, "rcpt_remove", v)));
    }
    json_object_set_new(a, "rcpt_remove", off);
    json_t *cand = NULL, *add = json_array();
    if (doc_draft_candidates(r->app, &r->actor, &cand) == RES_OK) {
        json_t *opts =
            options(r, json_object_get(cand, "agencies"), fv, "rcpt_agency", false, 0, 0);
        json_array_foreach(opts, i, x) if (!json_object_get(taken, web_jstr(x, "value")))
            json_array_append(add, x);
        json_decref(opts);
    }
    json_decref(cand);
    json_decref(taken);
    json_object_set_new(a, "rcpt_agencies", add);
}

void web_doc_out_render(struct req *r, int status, int64_t id, json_t *doc, const char *failed,
                        json_t *form, const struct verrs *e)
{
    web_doc_decorate(r, doc);
    json_t *files = json_object_get(doc, "files");
    web_doc_files(r, id, files);
    json_t *current = current_files(files);
    json_t *main_file = NULL;
    size_t i;
    json_t *f;
    json_array_foreach(current, i, f) if (!main_file &&
                                          json_is_true(json_object_get(f, "is_main")) &&
                                          json_is_true(json_object_get(f, "is_pdf"))) main_file = f;
    json_t *reports = web_doc_reports(r, id, current);
    json_t *hist = json_object_get(doc, "history");
    web_doc_history(r, hist);

    /* the versions of the main file, newest first, with who acted on each */
    json_t *versions = json_array();
    json_t *vs = json_object_get(doc, "versions");
    for (size_t k = json_array_size(vs); k-- > 0;) {
        json_t *v = json_array_get(vs, k);
        json_int_t ver = json_integer_value(json_object_get(v, "version"));
        json_t *seen = json_array();
        size_t j;
        json_t *h;
        json_array_foreach(hist, j, h)
        {
            if (json_integer_value(json_object_get(h, "file_version")) != ver ||
                !*web_jstr(h, "actor_name"))
                continue;
            json_array_append_new(seen, json_pack("{s:s,s:s,s:s}", "actor_name",
                                                  web_jstr(h, "actor_name"), "action_label",
                                                  web_jstr(h, "action_label"), "at_text",
                                                  web_jstr(h, "at_text")));
        }
        const char *href = arena_printf(&r->arena, "/documents/%lld/files/%lld", (long long)id,
                                        (long long)json_integer_value(json_object_get(v, "id")));
        json_array_append_new(
            versions, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:b}", "version", ver, "file_name",
                                web_jstr(v, "file_name"), "format", web_jstr(v, "format"),
                                "stage_label", stage_label(web_jstr(v, "stage")), "href",
                                arena_printf(&r->arena, "%s?download=1", href), "at_text",
                                vn_instant(r, json_object_get(v, "created_at")), "seen", seen,
                                "newest", k + 1 == json_array_size(vs)));
    }

    /* the circuit: the newest row of each place (seq), in order */
    json_t *parts = json_object_get(doc, "participants");
    json_t *circuit = json_array();
    const char *drafter = "";
    int64_t my_seq = 0;
    json_int_t max_seq = 0;
    json_array_foreach(parts, i, f)
    {
        const char *role = web_jstr(f, "role");
        if (!strcmp(role, "drafter"))
            drafter = web_jstr(f, "name");
        json_int_t seq = json_integer_value(json_object_get(f, "seq"));
        if ((!strcmp(role, "reviewer") || !strcmp(role, "signer")) && seq > max_seq)
            max_seq = seq;
        if ((!strcmp(role, "reviewer") || !strcmp(role, "signer")) &&
            json_integer_value(json_object_get(f, "user_id")) == r->actor.user_id &&
            json_is_true(json_object_get(f, "active")))
            my_seq = seq;
    }
    for (json_int_t s = 1; s <= max_seq && s <= 64; s++) {
        json_t *last = NULL;
        json_array_foreach(parts, i, f)
        {
            const char *role = web_jstr(f, "role");
            if ((!strcmp(role, "reviewer") || !strcmp(role, "signer")) &&
                json_integer_value(json_object_get(f, "seq")) == s)
                last = f;
        }
        if (!last)
            continue;
        json_array_append_new(
            circuit,
            json_pack("{s:I,s:s,s:s,s:s,s:b}", "seq", s, "name", web_jstr(last, "name"),
                      "role_label",
                      !strcmp(web_jstr(last, "role"), "signer") ? "Người ký" : "Người duyệt",
                      "status_label", circuit_status(last), "current",
                      json_is_true(json_object_get(last, "active")) &&
                          (!strcmp(web_jstr(last, "status"), "pending") ||
                           !strcmp(web_jstr(last, "status"), "in_progress"))));
    }

    /* the recipients and, once issued, what became of the document at each */
    json_t *rlist = json_object_get(doc, "recipients_list");
    json_t *inside = json_array();
    json_array_foreach(rlist, i, f)
    {
        const char *kind = web_jstr(f, "kind");
        if (!strcmp(kind, "department") || !strcmp(kind, "user"))
            json_array_append_new(inside,
                                  json_pack("{s:s,s:s}", "name", web_jstr(f, "name"), "kind_label",
                                            !strcmp(kind, "user") ? "Cán bộ" : "Đơn vị"));
    }
    json_t *track = json_object_get(doc, "recipients_status");
    json_array_foreach(track, i, f)
    {
        const char *st = web_jstr(f, "status");
        web_set_str(f, "status_label", track_label(st));
        web_set_str(f, "status_class", track_class(st));
        json_object_set_new(f, "external",
                            json_boolean(json_is_null(json_object_get(f, "agency_id"))));
        /* the receiver's answer to a recall (edXML 15 / 16) */
        const char *rc = web_jstr(f, "recall");
        web_set_str(f, "recall_label",
                    !strcmp(rc, "requested") ? "Chờ nơi nhận trả lời thu hồi"
                    : !strcmp(rc, "agreed")  ? "Nơi nhận đồng ý thu hồi"
                    : !strcmp(rc, "refused") ? "Nơi nhận từ chối thu hồi"
                                             : "");
        if (!json_is_string(json_object_get(f, "recall_reason")))
            web_set_str(f, "recall_reason", "");
    }
    /* opinions asked of units (xin ý kiến, §6): their answers and whether late */
    json_t *ops = json_object_get(doc, "opinions");
    json_array_foreach(ops, i, f)
    {
        const char *st = web_jstr(f, "state");
        web_set_str(f, "state_label",
                    !strcmp(st, "answered")  ? "Đã cho ý kiến"
                    : !strcmp(st, "overdue") ? "Quá hạn, chưa có ý kiến"
                    : !strcmp(st, "closed")  ? "Đã đóng (người duyệt đã quyết định)"
                                             : "Đang chờ ý kiến");
        web_set_str(f, "state_class",
                    !strcmp(st, "answered")  ? "ok"
                    : !strcmp(st, "overdue") ? "off"
                    : !strcmp(st, "closed")  ? "state"
                                             : "warn");
        const char *due = web_jstr(f, "due_date");
        web_set_str(f, "due_text", strlen(due) == 10 ? web_vn_date(r, due) : "");
    }
    json_object_set_new(doc, "has_opinions", json_boolean(json_array_size(ops) > 0));

    /* the forms: exactly doc_get's actions */
    json_t *cand = NULL;
    json_t *acts = json_object_get(doc, "actions");
    if (json_array_size(acts) && doc_assign_candidates(r->app, &r->actor, id, &cand) != RES_OK)
        cand = NULL;
    int64_t signer_id = json_integer_value(json_object_get(doc, "signer_id"));
    json_t *forms = json_array();
    json_array_foreach(acts, i, f)
    {
        const struct out_action *def = out_action(json_string_value(f));
        if (!def)
            continue;
        bool mine = failed && !strcmp(failed, def->key);
        json_t *fv = mine && form ? json_incref(form) : json_object();
        json_t *a = json_object();
        web_set_str(a, "key", def->key);
        web_set_str(a, "label", def->label);
        web_set_str(a, "hint", def->hint);
        web_set_str(a, "href",
                    arena_printf(&r->arena, "/documents/%lld/actions/%s", (long long)id, def->key));
        json_object_set_new(a, "open", json_boolean(mine));
        if (mine && e && e->count)
            json_object_set_new(a, "errors", verrs_json(e));
        json_object_set_new(a, "has_note", json_boolean((def->flags & OF_NOTE) != 0));
        web_set_str(a, "note_label", def->note_label);
        json_object_set_new(a, "note_required", json_boolean((def->flags & OF_NOTE_REQUIRED) != 0));
        web_set_str(a, "note", web_jstr(fv, "note"));
        json_object_set_new(a, "danger", json_boolean((def->flags & OF_DANGER) != 0));
        if (def->flags & OF_DANGER)
            web_set_str(a, "confirm",
                        arena_printf(&r->arena, "%s? Không hoàn tác được.", def->label));
        json_object_set_new(a, "upload", json_boolean((def->flags & OF_FILE) != 0));
        if (def->flags & OF_REVIEWERS) {
            /* every slot the core allows: the chosen ones and one empty row shown, the
             * other empty rows folded under "Thêm người duyệt" (no script needed) */
            json_t *sel = json_array(), *more = json_array();
            json_t *kept = json_object_get(fv, "reviewers");
            int shown = 1;
            for (int k = 0; k < FORM_REVIEWERS; k++) {
                const char *was = json_string_value(json_array_get(kept, (size_t)k));
                if (was && *was && k + 2 > shown)
                    shown = k + 2;
            }
            for (int k = 0; k < FORM_REVIEWERS; k++) {
                const char *was = json_string_value(json_array_get(kept, (size_t)k));
                json_t *one = json_object();
                web_set_str(one, "value", was);
                json_t *opts = options(r, json_object_get(cand, "people"), NULL, "", true,
                                       r->actor.user_id, signer_id);
                size_t oi;
                json_t *o;
                json_array_foreach(opts, oi, o) json_object_set_new(
                    o, "selected", json_boolean(was && !strcmp(was, web_jstr(o, "value"))));
                json_object_set_new(one, "options", opts);
                json_object_set_new(one, "n", json_integer(k + 1));
                json_object_set_new(one, "first", json_boolean(k == 0));
                json_array_append_new(k < shown ? sel : more, one);
            }
            json_object_set_new(a, "reviewers", sel);
            json_object_set_new(a, "has_more_reviewers", json_boolean(json_array_size(more) > 0));
            json_object_set_new(a, "more_reviewers", more);
            json_object_set_new(a, "max_reviewers", json_integer(FORM_REVIEWERS));
            size_t pi;
            json_t *p;
            json_array_foreach(json_object_get(cand, "people"), pi,
                               p) if (json_integer_value(json_object_get(p, "id")) == signer_id)
                web_set_str(a, "circuit_signer", web_person_label(r, p));
        }
        if (def->flags & OF_DEPARTMENTS) {
            json_t *opts = json_array();
            size_t di;
            json_t *dp;
            json_array_foreach(json_object_get(cand, "departments"), di, dp)
            {
                const char *v = id_text(r, dp, "id");
                json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", v, "label",
                                                      web_jstr(dp, "name"), "selected",
                                                      web_form_has(fv, "departments", v)));
            }
            json_object_set_new(a, "departments", opts);
            json_object_set_new(a, "has_departments", json_true());
            const char *wd = web_jstr(fv, "working_days");
            web_set_str(a, "working_days", *wd ? wd : "3");
        }
        if (def->flags & OF_UPDATE)
            update_form(r, doc, mine ? fv : NULL, a);
        if (def->flags & OF_RETURN_TO) {
            /* the drafter, or a reviewer before the actor's place who approved */
            json_t *to = json_array();
            json_array_append_new(to,
                                  json_pack("{s:s,s:s,s:b}", "value", "", "label",
                                            arena_printf(&r->arena, "Người soạn thảo: %s", drafter),
                                            "selected", !*web_jstr(fv, "user_id")));
            json_t *added = json_object();
            size_t pi;
            json_t *p;
            json_array_foreach(parts, pi, p)
            {
                if (strcmp(web_jstr(p, "role"), "reviewer") ||
                    strcmp(web_jstr(p, "status"), "done") ||
                    json_integer_value(json_object_get(p, "seq")) >= my_seq)
                    continue;
                const char *v = id_text(r, p, "user_id");
                if (json_object_get(added, v))
                    continue;
                json_object_set_new(added, v, json_true());
                json_array_append_new(
                    to, json_pack("{s:s,s:s,s:b}", "value", v, "label",
                                  arena_printf(&r->arena, "Người duyệt: %s", web_jstr(p, "name")),
                                  "selected", web_form_has(fv, "user_id", v)));
            }
            json_decref(added);
            json_object_set_new(a, "return_to", to);
            json_object_set_new(a, "has_return_to", json_true());
        }
        if (def->flags & (OF_PERSON_KEY | OF_AGENCY_KEY)) {
            json_object_set_new(a, "keys", key_options(r, (def->flags & OF_AGENCY_KEY) != 0, fv));
            json_object_set_new(a, "with_key", json_true());
            web_set_str(a, "key_label",
                        def->flags & OF_AGENCY_KEY ? "Khóa ký số của cơ quan"
                                                   : "Khóa ký số cá nhân");
            web_set_str(
                a, "no_key",
                def->flags & OF_AGENCY_KEY
                    ? "Cơ quan chưa có khóa ký số mà bạn được dùng. Liên hệ quản trị cơ quan."
                    : "Bạn chưa có khóa ký số cá nhân trên hệ thống. Liên hệ quản trị cơ "
                      "quan để nhập khóa.");
        }
        json_decref(fv);
        json_array_append_new(forms, a);
    }
    json_decref(cand);

    /* the metadata the page adds */
    const char *auth = web_jstr(doc, "authority");
    web_set_str(doc, "authority_label", *auth ? auth : "Ký trực tiếp");
    web_set_str(doc, "drafter_name", drafter);
    json_object_set_new(doc, "numbered", json_boolean(*web_jstr(doc, "number") != '\0'));
    json_object_set_new(doc, "number_cancelled_flag",
                        json_boolean(json_integer_value(json_object_get(doc, "number_cancelled"))));
    web_set_str(doc, "sealed_text", vn_instant(r, json_object_get(doc, "sealed_at")));
    web_set_str(doc, "issued_text", vn_instant(r, json_object_get(doc, "issued_at")));
    json_t *rt = json_object_get(doc, "reply_to_id");
    if (json_is_integer(rt))
        web_set_str(doc, "reply_to_href",
                    arena_printf(&r->arena, "/documents/%lld", (long long)json_integer_value(rt)));
    json_object_set_new(doc, "inside", inside);
    json_object_set_new(doc, "has_tracking", json_boolean(json_array_size(track) > 0));
    json_object_set_new(doc, "current_files", current);
    json_object_set_new(doc, "version_list", versions);
    json_object_set_new(doc, "circuit", circuit);

    json_t *ctx = json_object();
    web_set_str(ctx, "title",
                *web_jstr(doc, "number")
                    ? arena_printf(&r->arena, "Văn bản đi %s", web_jstr(doc, "number_symbol"))
                    : arena_printf(&r->arena, "Dự thảo: %.80s", web_jstr(doc, "subject")));
    if (main_file)
        json_object_set(ctx, "viewer", main_file);
    json_object_set_new(ctx, "doc", doc);
    json_object_set_new(ctx, "reports", reports);
    json_object_set_new(ctx, "has_actions", json_boolean(json_array_size(forms) > 0));
    json_object_set_new(ctx, "action_forms", forms);
    if (e && e->count && verrs_get(e, "action"))
        web_set_str(ctx, "action_error", verrs_get(e, "action"));
    json_decref(form);
    web_render(r, status, "doc_out_view", ctx, "outgoing");
}

/* POST /documents/{id}/actions/{key} for the outgoing steps but return. */
/* The ids chosen in the repeated select `name` (at most max, empty ones skipped) into out;
 * the values as given kept in form[name] for the form shown again. Returns how many. */
static int form_ids(struct req *r, const char *name, int max, int64_t *out, json_t *form,
                    struct verrs *e, const char *bad, const char *too_many_fmt)
{
    const char *vals[FORM_IDS_MAX + 1];
    if (max > FORM_IDS_MAX)
        max = FORM_IDS_MAX;
    int count = req_form_all(r, name, vals, max + 1), n = 0;
    json_t *kept = json_array();
    for (int i = 0; i < count && i < max; i++) {
        json_array_append_new(kept, json_string(vals[i] ? vals[i] : ""));
        if (!vals[i] || !*vals[i])
            continue;
        if (str_to_i64(vals[i], 1, INT64_MAX, &out[n]) != RES_OK) {
            verrs_add(e, name, "%s", bad);
            continue;
        }
        n++;
    }
    if (count > max)
        verrs_add(e, name, too_many_fmt, max);
    json_object_set_new(form, name, kept);
    return n;
}

/* The update form posted: the corrections (unchanged ones are no change for the core),
 * recipients to add (agencies checked, external lines) and to take off (seq). */
static void update_read(struct req *r, json_t *form, struct doc_step_input *si, struct verrs *e)
{
    static const char *const fields[] = {"subject",    "summary",       "due_date",
                                         "page_count", "rcpt_external", NULL};
    for (int i = 0; fields[i]; i++)
        web_set_str(form, fields[i], req_form(r, fields[i]));
    si->subject = req_form(r, "subject");
    si->summary = req_form(r, "summary");
    const char *v = req_form(r, "due_date");
    si->due_date = v && *v ? v : NULL;
    v = req_form(r, "page_count");
    if (v && *v) {
        si->has_page_count = true;
        if (str_to_i64(v, 1, 100000, &si->page_count) != RES_OK)
            verrs_add(e, "page_count", "Số trang phải là số nguyên từ 1 đến 100000.");
    }
    size_t max = DOC_MAX_RECIPIENTS;
    struct doc_recipient_input *rc = arena_alloc(&r->arena, (max + 1) * sizeof(*rc));
    size_t n = read_ids(r, "rcpt_agency", "agency", form, rc, 0, max, e);
    si->recipients_add = rc;
    si->nrecipients_add = read_external(r, "rcpt_external", rc, n, max, e);
    int64_t *seqs = arena_alloc(&r->arena, FORM_IDS_MAX * sizeof(*seqs));
    si->nrecipients_remove =
        (size_t)form_ids(r, "rcpt_remove", FORM_IDS_MAX, seqs, form, e, "Nơi nhận không hợp lệ.",
                         "Bỏ tối đa %d nơi nhận một lần trên trang này.");
    si->recipients_remove = seqs;
}

void web_doc_out_action(struct req *r, int64_t id, const char *key)
{
    const struct out_action *def = out_action(key);
    if (req_form_bad(r)) {
        const char *why = req_form_error(r);
        resp_error(r, 400, "Dữ liệu không hợp lệ",
                   why ? why : "Biểu mẫu gửi lên không đọc được. Vui lòng tải lại trang.");
        return;
    }
    /* who may know the document first (404), and only an outgoing document has these
     * steps: on another one there is nothing at this address either */
    json_t *doc = NULL;
    result_t got = doc_get(r->app, &r->actor, id, &doc);
    if (got != RES_OK || strcmp(web_jstr(doc, "direction"), "outgoing")) {
        json_decref(doc);
        if (got == RES_OK || got == RES_NOT_FOUND)
            web_doc_not_found(r);
        else
            resp_result(r, got);
        return;
    }
    struct verrs e = {0};
    json_t *form = json_object();
    struct doc_step_input si = {0};
    si.note = req_form(r, "note");
    web_set_str(form, "note", si.note);
    if ((def->flags & OF_NOTE_REQUIRED) && str_is_empty(si.note))
        verrs_add(&e, "note", "Vui lòng nhập %s.",
                  !strcmp(def->key, "cancel")        ? "lý do hủy"
                  : !strcmp(def->key, "recall")      ? "lý do thu hồi"
                  : !strcmp(def->key, "update")      ? "lý do cập nhật"
                  : !strcmp(def->key, "ask_opinion") ? "nội dung xin ý kiến"
                                                     : "ý kiến của đơn vị");
    int64_t depts[DOC_MAX_OPINIONS];
    if (def->flags & OF_DEPARTMENTS) {
        si.ndepartments = form_ids(r, "departments", DOC_MAX_OPINIONS, depts, form, &e,
                                   "Đơn vị không hợp lệ.", "Tối đa %d đơn vị.");
        si.departments = depts;
        const char *wd = req_form(r, "working_days");
        web_set_str(form, "working_days", wd);
        si.has_working_days = true;
        if (!wd || str_to_i64(wd, 1, DOC_MAX_WORKING_DAYS, &si.working_days) != RES_OK)
            verrs_add(&e, "working_days", "Số ngày làm việc phải từ 1 đến %d.",
                      DOC_MAX_WORKING_DAYS);
    }
    if (def->flags & OF_UPDATE)
        update_read(r, form, &si, &e);
    int64_t key_id = 0;
    const char *pin = NULL;
    int64_t reviewers[FORM_REVIEWERS];
    if (def->flags & OF_REVIEWERS) {
        si.nreviewers =
            form_ids(r, "reviewers", FORM_REVIEWERS, reviewers, form, &e,
                     "Người duyệt không hợp lệ.", "Tối đa %d người duyệt trên trang này.");
        /* submit with nobody chosen follows the draft's planned circuit (review_plan) */
        si.reviewers = si.nreviewers || strcmp(def->key, "submit") ? reviewers : NULL;
    }
    if (def->flags & (OF_PERSON_KEY | OF_AGENCY_KEY)) {
        const char *v = req_form(r, "key_id");
        web_set_str(form, "key_id", v);
        pin = req_form(r, "pin");
        if (!v || str_to_i64(v, 1, INT64_MAX, &key_id) != RES_OK)
            verrs_add(&e, "key_id", "Vui lòng chọn khóa ký số.");
        if (!pin || !*pin)
            verrs_add(&e, "pin", "Vui lòng nhập mã PIN.");
    }
    result_t res = RES_INVALID;
    if (e.count) {
        res = RES_INVALID;
    } else if (def->flags & OF_FILE) {
        const struct mp_part *p = req_file(r, "file");
        struct doc_upload up = {0};
        if (p)
            up = (struct doc_upload){
                .role = "main", .file_name = p->filename, .data = p->data, .len = p->len};
        res = doc_outgoing_version(r->app, &r->actor, id, p ? &up : NULL, si.note, &e);
    } else if (!strcmp(def->key, "sign")) {
        res = doc_outgoing_sign(r->app, &r->actor, id, key_id, pin, &e);
    } else if (!strcmp(def->key, "seal")) {
        res = doc_outgoing_seal(r->app, &r->actor, id, key_id, pin, &e);
    } else if (!strcmp(def->key, "issue")) {
        res = doc_outgoing_issue(r->app, &r->actor, id, &e);
    } else {
        res = doc_workflow_act(r->app, &r->actor, id, def->key, &si, &e);
    }
    int status = web_doc_step_answer(r, res, id, def->done, form, &e);
    if (status)
        web_doc_out_render(r, status, id, doc, def->key, form, &e);
    else
        json_decref(doc);
}

/* POST /documents/{id}/actions/version (multipart: its own route, RT_UPLOAD). */
void page_document_version(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    if (!id) {
        web_doc_not_found(r);
        return;
    }
    web_doc_out_action(r, id, "version");
}
