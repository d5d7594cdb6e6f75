/* Pages: drafts for public comment (issue 12, Khánh Hòa Điều 9). The public side, which
 * needs no login and shows no application menu — the index of open consultations, one
 * consultation's page with its PDF and the comment form — and the drafter's two forms of
 * the panel on the document page (publish, close early). Everything is decided by
 * doc/doc_public.c; these handlers read the form, call it and draw the answer.
 *
 * The comment form is for visitors without a session: its CSRF token is the pre-session
 * double-submit cookie of the sign-in page (web_form_token_issue / _ok), checked by the
 * handler itself (route flag RT_NO_CSRF). Whoever posts is a visitor (user id 0, the
 * client address), signed in or not. */
#include <stdio.h>
#include <string.h>

#include "doc/doc.h"
#include "util/str.h"
#include "web/pages.h"
#include "web/render.h"

#define CSRF_COOKIE "qlvb_public_csrf"

static struct actor visitor_of(struct req *r)
{
    struct actor v = {0};
    str_copy(v.client_addr, r->client_addr, sizeof(v.client_addr));
    return v;
}

static void not_found(struct req *r)
{
    resp_error(r, 404, "Không tìm thấy",
               "Không có dự thảo lấy ý kiến nào ở địa chỉ này. Vui lòng kiểm tra lại đường dẫn.");
}

static const char *size_text(struct arena *a, int64_t n)
{
    if (n >= 1024 * 1024)
        return arena_printf(a, "%.1f MB", (double)n / (1024.0 * 1024.0));
    return arena_printf(a, "%lld KB", (long long)((n + 1023) / 1024));
}

/* GET /public/consultations */
void page_public_index(struct req *r)
{
    struct actor v = visitor_of(r);
    json_t *rows = NULL;
    result_t res = doc_public_index(r->app, &v, r->host_agency_id, &rows);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    json_t *row;
    size_t i;
    json_array_foreach(rows, i, row)
    {
        json_int_t round = json_integer_value(json_object_get(row, "round"));
        if (round > 1) /* a draft revised after earlier rounds */
            json_object_set_new(
                row, "round_text",
                json_string(arena_printf(&r->arena, "Lấy ý kiến vòng %lld", (long long)round)));
    }
    json_t *ctx = json_pack("{s:s,s:o,s:b}", "title", "Dự thảo lấy ý kiến", "items", rows,
                            "has_items", json_array_size(rows) > 0);
    web_render_public(r, 200, "public_index", ctx);
}

/* is_expired / is_closed from "state" (open | closed | expired), for the templates. */
static void state_flags(json_t *o)
{
    const char *state = json_string_value(json_object_get(o, "state"));
    json_object_set_new(o, "is_expired", json_boolean(state && !strcmp(state, "expired")));
    json_object_set_new(o, "is_closed", json_boolean(state && !strcmp(state, "closed")));
}

/* The consultation's page, with the form's values and errors after a refused post. */
static void render_consultation(struct req *r, int status, const char *slug, json_t *form,
                                const struct verrs *e)
{
    struct actor v = visitor_of(r);
    json_t *page = NULL;
    result_t res = doc_public_page(r->app, &v, slug, r->host_agency_id, &page);
    if (res == RES_NOT_FOUND) {
        json_decref(form);
        not_found(r);
        return;
    }
    if (res != RES_OK) {
        json_decref(form);
        resp_result(r, res);
        return;
    }
    json_object_set_new(
        page, "file_size_text",
        json_string(size_text(&r->arena, json_integer_value(json_object_get(page, "file_size")))));
    json_object_set_new(
        page, "file_href",
        json_string(arena_printf(&r->arena, "/public/consultations/%s/file", slug)));
    json_object_set_new(
        page, "comment_href",
        json_string(arena_printf(&r->arena, "/public/consultations/%s/comments", slug)));
    state_flags(page);
    /* The draft's rounds: the list when there is more than one, and a pointer to the open
     * round from a page of another. */
    json_t *rounds = json_object_get(page, "rounds"), *o;
    size_t i;
    json_array_foreach(rounds, i, o) state_flags(o);
    json_t *open_round = json_object_get(page, "open_round");
    json_object_set_new(page, "has_rounds", json_boolean(json_array_size(rounds) > 1));
    json_object_set_new(page, "newer_open",
                        json_boolean(json_is_object(open_round) &&
                                     !json_is_true(json_object_get(open_round, "is_this"))));
    json_t *ctx = json_object();
    json_int_t round = json_integer_value(json_object_get(page, "round"));
    json_object_set_new(
        ctx, "title",
        json_string(round > 1 ? arena_printf(&r->arena, "%s (vòng %lld)",
                                             json_string_value(json_object_get(page, "subject")),
                                             (long long)round)
                              : json_string_value(json_object_get(page, "subject"))));
    json_object_set_new(ctx, "agency_name", json_incref(json_object_get(page, "agency_name")));
    json_object_set_new(ctx, "c", page);
    json_object_set_new(ctx, "form", form ? form : json_object());
    json_object_set_new(ctx, "max_chars", json_integer(DOC_PUBLIC_COMMENT_MAX));
    /* Vietnamese groups thousands with a dot: "5.000" */
    char grouped[STR_GROUP_MAX];
    json_object_set_new(
        ctx, "max_chars_vn",
        json_string(str_group_vn(DOC_PUBLIC_COMMENT_MAX, grouped, sizeof(grouped))));
    if (e && e->count) {
        json_object_set_new(ctx, "errors", verrs_json(e));
        const char *top = verrs_get(e, "consultation");
        if (!top)
            top = verrs_get(e, "rate_limit");
        if (!top)
            top = verrs_get(e, "_csrf");
        if (top)
            json_object_set_new(ctx, "form_error", json_string(top));
    }
    if (json_is_true(json_object_get(page, "is_open")))
        web_form_token_issue(r, CSRF_COOKIE, 4 * 3600);
    web_render_public(r, status, "public_consultation", ctx);
}

/* GET /public/consultations/{slug} */
void page_public_consultation(struct req *r)
{
    render_consultation(r, 200, req_param(r, "slug"), NULL, NULL);
}

/* GET /public/consultations/{slug}/file: the published version of the draft's PDF. */
void page_public_file(struct req *r)
{
    struct actor v = visitor_of(r);
    struct doc_file_data f = {0};
    buf_init(&f.data, (size_t)(r->app->cfg.max_blob > 0 ? r->app->cfg.max_blob : 256L << 20));
    result_t res = doc_public_file(r->app, &v, req_param(r, "slug"), r->host_agency_id, &f);
    if (res == RES_OK) {
        bool inline_ = !req_query(r, "download");
        r->frame_same_origin = inline_; /* the consultation page frames it */
        resp_header(r, "Cache-Control", "no-store");
        resp_file(r, "application/pdf", f.file_name, inline_, f.data.data, f.data.len);
    } else if (res == RES_NOT_FOUND) {
        not_found(r);
    } else {
        resp_result(r, res);
    }
    buf_release(&f.data);
}

static void keep(json_t *form, const char *key, const char *v)
{
    /* What was typed comes back in the form. */
    json_t *s = json_string(v ? v : "");
    json_object_set_new(form, key, s ? s : json_string(""));
}

/* POST /public/consultations/{slug}/comments: name, organisation, email, body, _csrf */
void page_public_comment_post(struct req *r)
{
    const char *slug = req_param(r, "slug");
    if (req_form_bad(r)) {
        const char *why = req_form_error(r);
        resp_error(r, 400, "Dữ liệu không hợp lệ",
                   why ? why : "Biểu mẫu gửi lên không đọc được. Vui lòng tải lại trang.");
        return;
    }
    json_t *form = json_object();
    struct doc_public_comment_input in = {.name = req_form(r, "name"),
                                          .organisation = req_form(r, "organisation"),
                                          .email = req_form(r, "email"),
                                          .body = req_form(r, "body")};
    keep(form, "name", in.name);
    keep(form, "organisation", in.organisation);
    keep(form, "email", in.email);
    keep(form, "body", in.body);
    struct verrs e = {0};
    if (!web_form_token_ok(r, CSRF_COOKIE)) {
        verrs_add(&e, "_csrf",
                  "Phiên của trang góp ý đã hết hạn hoặc trình duyệt chặn cookie. Vui lòng bấm "
                  "“Gửi góp ý” lại.");
        render_consultation(r, 403, slug, form, &e);
        return;
    }
    struct actor v = visitor_of(r);
    result_t res = doc_public_comment(r->app, &v, slug, r->host_agency_id, &in, &e);
    switch (res) {
    case RES_OK:
        json_decref(form);
        web_flash(r, "success", "Cảm ơn bạn đã góp ý. Góp ý đã được chuyển đến cơ quan soạn thảo.");
        resp_redirect(r, arena_printf(&r->arena, "/public/consultations/%s#gop-y", slug));
        return;
    case RES_NOT_FOUND:
        json_decref(form);
        not_found(r);
        return;
    case RES_INVALID:
        render_consultation(r, 422, slug, form, &e);
        return;
    case RES_CONFLICT:
        render_consultation(r, 409, slug, form, &e);
        return;
    case RES_LOCKED:
        resp_header(r, "Retry-After", "3600");
        render_consultation(r, 429, slug, form, &e);
        return;
    default:
        json_decref(form);
        resp_result(r, res);
        return;
    }
}

/* ---- the drafter's forms on the document page (doc_public_panel.html) ---- */

static void back_to_document(struct req *r, int64_t id, result_t res, const struct verrs *e,
                             const char *done)
{
    if (res == RES_NOT_FOUND) {
        resp_error(r, 404, "Không tìm thấy văn bản",
                   "Văn bản không tồn tại hoặc bạn không có quyền xem văn bản này.");
        return;
    }
    if (res == RES_FORBIDDEN) {
        resp_error(r, 403, "Không có quyền",
                   "Chỉ người soạn thảo hoặc lãnh đạo cơ quan mới công bố hoặc kết thúc lấy ý "
                   "kiến công khai.");
        return;
    }
    if (res == RES_OK) {
        web_flash(r, "success", done);
    } else if (res == RES_INVALID || res == RES_CONFLICT) {
        const char *msg = verrs_get(e, "action");
        if (!msg)
            msg = verrs_get(e, "deadline");
        if (!msg)
            msg = verrs_get(e, "summary");
        web_flash(r, "error", msg ? msg : "Không thực hiện được.");
    } else {
        resp_result(r, res);
        return;
    }
    resp_redirect(r, arena_printf(&r->arena, "/documents/%lld#public-comment", (long long)id));
}

/* POST /documents/{id}/consultation: deadline, summary */
void page_document_consultation_post(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    if (!id) {
        resp_error(r, 404, "Không tìm thấy văn bản", NULL);
        return;
    }
    struct verrs e = {0};
    struct doc_public_input in = {.deadline = req_form(r, "deadline"),
                                  .summary = req_form(r, "summary")};
    char slug[DOC_PUBLIC_SLUG_LEN + 1];
    result_t res = doc_public_publish(r->app, &r->actor, id, &in, &e, slug);
    back_to_document(r, id, res, &e,
                     "Đã công bố dự thảo lấy ý kiến công khai. Đường dẫn công khai của vòng lấy "
                     "ý kiến ở mục “Lấy ý kiến công khai”.");
}

/* POST /documents/{id}/consultation/close */
void page_document_consultation_close(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    if (!id) {
        resp_error(r, 404, "Không tìm thấy văn bản", NULL);
        return;
    }
    struct verrs e = {0};
    result_t res = doc_public_close(r->app, &r->actor, id, &e);
    back_to_document(r, id, res, &e, "Đã kết thúc lấy ý kiến công khai.");
}
