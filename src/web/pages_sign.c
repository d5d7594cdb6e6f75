/* "Kiểm tra chữ ký số" and "Ký số tài liệu": upload a PDF or edXML package and read
 * the verification report; upload a PDF, see its pages with the signature box placed
 * at the signature block (movable by clicking the page or typing the position), enter
 * the PIN and download the signed PDF. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sigcheck.h"
#include "core/sign_draft.h"
#include "core/signing.h"
#include "core/signing_key.h"
#include "core/trust.h"
#include "pdf/pdf_place.h"
#include "text/text.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/pages.h"
#include "web/render.h"

#define PREVIEW_WIDTH 900 /* pixels of a page preview */

/* ---- verification ---- */

static void render_verify(struct req *r, int status, json_t *report, const struct verrs *e)
{
    json_t *ctx = json_object();
    json_object_set_new(ctx, "title", json_string("Kiểm tra chữ ký số"));
    if (report) {
        const char *kind = json_string_value(json_object_get(report, "kind"));
        json_object_set_new(report, arena_printf(&r->arena, "kind_%s", kind), json_true());
        json_object_set_new(
            report, "size_kb",
            json_integer((json_integer_value(json_object_get(report, "size")) + 1023) / 1024));
        json_object_set_new(ctx, "report", report);
    }
    json_object_set_new(ctx, "errors", e ? verrs_json(e) : json_object());
    web_render(r, status, "sign_verify", ctx, "verify");
}

void page_sign_verify(struct req *r)
{
    render_verify(r, 200, NULL, NULL);
}

void page_sign_verify_post(struct req *r)
{
    struct verrs e = {0};
    const struct mp_part *f = req_form_bad(r) ? NULL : req_file(r, "file");
    if (!f) { /* none chosen, or an empty one (req_file) */
        verrs_add(&e, "file", "Chọn tệp PDF hoặc gói tin edXML cần kiểm tra.");
        render_verify(r, 422, NULL, &e);
        return;
    }
    json_t *report = NULL;
    const struct certstore *cs = trust_acquire(r->app);
    result_t res = sigcheck_report(f->data, f->len, f->filename, cs, 0, &report);
    trust_release(r->app, cs);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    render_verify(r, 200, report, NULL);
}

/* ---- signing ---- */

static json_t *usable_keys(struct req *r, int64_t selected)
{
    json_t *keys = NULL;
    if (signing_key_usable(r->app, &r->actor, &keys) != RES_OK)
        return json_array();
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k)
    {
        int64_t id = json_integer_value(json_object_get(k, "id"));
        bool agency = json_is_null(json_object_get(k, "user_id"));
        char until[32];
        clock_format_vn_date(json_integer_value(json_object_get(k, "not_after")), until,
                             sizeof(until));
        json_object_set_new(
            k, "kind_label",
            json_string(agency ? "Chữ ký số của cơ quan (đóng dấu)" : "Chữ ký số cá nhân"));
        json_object_set_new(k, "is_agency", json_boolean(agency));
        json_object_set_new(k, "valid_until", json_string(until));
        if (id == selected || (!selected && i == 0))
            json_object_set_new(k, "selected", json_true());
    }
    return keys;
}

void page_sign(struct req *r)
{
    json_t *ctx = json_object();
    json_object_set_new(ctx, "title", json_string("Ký số tài liệu"));
    json_object_set_new(ctx, "keys", usable_keys(r, 0));
    json_object_set_new(ctx, "errors", json_object());
    web_render(r, 200, "sign_upload", ctx, "sign");
}

void page_sign_post(struct req *r)
{
    struct verrs e = {0};
    const struct mp_part *f = req_form_bad(r) ? NULL : req_file(r, "file");
    if (!f) /* none chosen, or an empty one (req_file) */
        verrs_add(&e, "file", "Chọn tệp PDF cần ký.");
    else if (strcmp(sigcheck_detect(f->data, f->len), "pdf") != 0)
        verrs_add(&e, "file", "Tệp không phải tài liệu PDF.");
    int pages = 0;
    struct pdf_page_size size;
    if (!e.count && pdf_page_sizes(f->data, f->len, &size, 1, &pages) != RES_OK)
        verrs_add(&e, "file", "Không đọc được tệp PDF (tệp hỏng hoặc được bảo vệ bằng mật khẩu).");
    if (e.count) {
        json_t *ctx = json_object();
        json_object_set_new(ctx, "title", json_string("Ký số tài liệu"));
        json_object_set_new(ctx, "keys", usable_keys(r, 0));
        json_object_set_new(ctx, "errors", verrs_json(&e));
        web_render(r, 422, "sign_upload", ctx, "sign");
        return;
    }
    struct sign_draft d;
    sign_draft_init(&d);
    result_t res =
        sign_draft_create(r->app, &r->actor, "upload", f->filename, f->data, f->len, NULL, &d);
    if (res == RES_OK)
        resp_redirect(r, arena_printf(&r->arena, "/signatures/sign/%s", d.public_id));
    else
        resp_result(r, res);
    sign_draft_release(&d);
}

/* Renders the placement page of a draft: previews, the suggested box, keys, PIN. */
static void render_place(struct req *r, int status, const struct sign_draft *d, int64_t key_id,
                         json_t *form, const struct verrs *e)
{
    json_t *keys = usable_keys(r, key_id);
    bool seal = false;
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k)
    {
        if (json_is_true(json_object_get(k, "selected")))
            seal = json_is_true(json_object_get(k, "is_agency"));
    }
    json_t *sugg = NULL;
    if (signing_suggest((const unsigned char *)d->pdf.data, d->pdf.len, r->actor.full_name, seal,
                        &sugg) != RES_OK) {
        json_decref(keys);
        json_decref(form);
        web_render_error(r, 422, "Không đọc được tài liệu",
                         "Tệp PDF đã tải lên không đọc được. Vui lòng tải lại tệp khác.");
        return;
    }
    /* one entry per page, for the previews */
    json_t *pages = json_array(), *sizes = json_object_get(sugg, "page_sizes");
    int suggested_page = (int)json_integer_value(json_object_get(sugg, "page"));
    json_array_foreach(sizes, i, k)
    {
        json_t *p = json_object();
        json_object_set_new(p, "number", json_integer((json_int_t)i + 1));
        json_object_set(p, "width", json_array_get(k, 0));
        json_object_set(p, "height", json_array_get(k, 1));
        if ((int)i + 1 == suggested_page)
            json_object_set_new(p, "suggested", json_true());
        json_array_append_new(pages, p);
    }
    static const char *const corner[4] = {"x0", "y0", "x1", "y1"};
    json_t *rect = json_object_get(sugg, "view");
    for (int c = 0; c < 4; c++)
        json_object_set_new(
            sugg, corner[c],
            json_string(arena_printf(&r->arena, "%.1f", json_real_value(json_array_get(rect, c)))));
    if (form && json_is_true(json_object_get(form, "manual"))) {
        /* keep the user's own placement when the form comes back with an error */
        for (int c = 0; c < 4; c++)
            if (json_is_string(json_object_get(form, corner[c])))
                json_object_set(sugg, corner[c], json_object_get(form, corner[c]));
        if (json_is_integer(json_object_get(form, "page")))
            json_object_set(sugg, "page", json_object_get(form, "page"));
    }
    const char *how = json_string_value(json_object_get(sugg, "how"));
    const char *title = json_string_value(json_object_get(sugg, "title"));
    const char *found =
        !strcmp(how, "name")
            ? arena_printf(&r->arena, "Đã tìm thấy họ tên của bạn ở khối chữ ký (trang %d)%s%s.",
                           suggested_page, title && *title ? ", dưới chức vụ " : "",
                           title && *title ? title : "")
        : !strcmp(how, "title")
            ? arena_printf(&r->arena, "Đã tìm thấy chức vụ “%s” ở trang %d.", title, suggested_page)
        : !strcmp(how, "signature")
            ? arena_printf(&r->arena,
                           "Con dấu đặt trùm lên một phần ba bên trái chữ ký đã có (trang %d).",
                           suggested_page)
            : arena_printf(&r->arena,
                           "Không tìm thấy khối chữ ký: chữ ký đặt ở cuối trang %d. Bấm vào "
                           "trang để chọn vị trí khác.",
                           suggested_page);
    json_t *ctx = json_object();
    json_object_set_new(ctx, "title", json_string("Ký số tài liệu"));
    json_object_set_new(ctx, "draft",
                        json_pack("{s:s,s:s,s:I}", "id", d->public_id, "file_name", d->file_name,
                                  "size_kb", (json_int_t)((d->pdf.len + 1023) / 1024)));
    json_object_set_new(ctx, "keys", keys);
    json_object_set_new(ctx, "seal", json_boolean(seal));
    json_object_set_new(ctx, "pages", pages);
    json_object_set_new(ctx, "page_count", json_integer((json_int_t)json_array_size(pages)));
    json_object_set_new(ctx, "suggestion", sugg);
    json_object_set_new(ctx, "found_text", json_string(found));
    json_object_set_new(ctx, "form", form ? form : json_object());
    json_object_set_new(ctx, "errors", e ? verrs_json(e) : json_object());
    web_render(r, status, "sign_place", ctx, "sign");
}

static bool load_draft(struct req *r, struct sign_draft *d)
{
    result_t res = sign_draft_get(r->app, &r->actor, req_param(r, "draft"), "upload", d);
    if (res == RES_NOT_FOUND) {
        web_render_error(r, 404, "Không tìm thấy tài liệu chờ ký",
                         "Tài liệu đã được ký, đã hết hạn (sau 2 giờ) hoặc không thuộc về bạn. "
                         "Vui lòng tải tệp lên lại.");
        return false;
    }
    if (res != RES_OK) {
        resp_result(r, res);
        return false;
    }
    return true;
}

/* A draft that holds the signed result (meta "signed"): what the signer downloads, as
 * often as needed until it expires, instead of a response that leaves the page as it
 * was (POST/redirect/GET). */
static bool draft_signed(const struct sign_draft *d)
{
    return json_is_true(json_object_get(d->meta, "signed"));
}

static void render_done(struct req *r, const struct sign_draft *d)
{
    char until[40];
    clock_format_vn(d->expires_at, until, sizeof(until));
    const char *signer = json_string_value(json_object_get(d->meta, "signer"));
    json_t *ctx = json_object();
    json_object_set_new(ctx, "title", json_string("Đã ký số tài liệu"));
    json_object_set_new(ctx, "signed",
                        json_pack("{s:s,s:s,s:I,s:s,s:s}", "id", d->public_id, "file_name",
                                  d->file_name, "size_kb", (json_int_t)((d->pdf.len + 1023) / 1024),
                                  "kept_until", until, "signer", signer ? signer : ""));
    web_render(r, 200, "sign_done", ctx, "sign");
}

void page_sign_place(struct req *r)
{
    struct sign_draft d;
    sign_draft_init(&d);
    int64_t key_id = 0;
    const char *k = req_query(r, "key_id");
    if (k && str_to_i64(k, 1, INT64_MAX, &key_id) != RES_OK)
        key_id = 0;
    if (load_draft(r, &d)) {
        if (draft_signed(&d))
            render_done(r, &d);
        else
            render_place(r, 200, &d, key_id, NULL, NULL);
    }
    sign_draft_release(&d);
}

/* GET /signatures/sign/<id>/download — the signed PDF, while it is kept. */
void page_sign_download(struct req *r)
{
    struct sign_draft d;
    sign_draft_init(&d);
    if (load_draft(r, &d)) {
        if (draft_signed(&d))
            resp_file(r, "application/pdf", d.file_name, false, d.pdf.data, d.pdf.len);
        else
            web_render_error(r, 404, "Tài liệu chưa được ký",
                             "Tài liệu này chưa được ký số: đặt chữ ký và nhập mã PIN trước.");
    }
    sign_draft_release(&d);
}

void page_sign_page_png(struct req *r)
{
    struct sign_draft d;
    struct buf png = BUF_INIT(32u << 20);
    int64_t n = 0;
    float scale;
    sign_draft_init(&d);
    const char *p = req_param(r, "page");
    if (!p || str_to_i64(p, 1, 100000, &n) != RES_OK) {
        resp_error(r, 404, "Không tìm thấy trang", "Số trang không hợp lệ.");
    } else if (load_draft(r, &d)) {
        result_t res = pdf_render_page_png((const unsigned char *)d.pdf.data, d.pdf.len, (int)n,
                                           PREVIEW_WIDTH, &png, &scale);
        if (res == RES_OK) {
            resp_header(r, "Cache-Control", "private, max-age=600");
            resp_text(r, 200, "image/png", png.data, png.len);
        } else {
            resp_error(r, 404, "Không tìm thấy trang", "Không hiển thị được trang này.");
        }
    }
    buf_release(&png);
    sign_draft_release(&d);
}

static bool form_float(struct req *r, const char *name, float *out)
{
    const char *v = req_form(r, name);
    char *end = NULL;
    if (!v || !*v)
        return false;
    double d = strtod(v, &end);
    if (!end || *end || d != d || d < -1e6 || d > 1e6)
        return false;
    *out = (float)d;
    return true;
}

void page_sign_place_post(struct req *r)
{
    struct sign_draft d;
    struct verrs e = {0};
    struct buf out = BUF_INIT(300u << 20);
    sign_draft_init(&d);
    if (req_form_bad(r)) {
        resp_error(r, 400, "Dữ liệu không hợp lệ", "Biểu mẫu gửi lên không hợp lệ.");
        goto out;
    }
    if (!load_draft(r, &d))
        goto out;
    if (draft_signed(&d)) { /* signed already (a second click): show the result */
        resp_redirect(r, arena_printf(&r->arena, "/signatures/sign/%s", d.public_id));
        goto out;
    }
    struct sign_request rq = {0};
    const char *key = req_form(r, "key_id");
    if (!key || str_to_i64(key, 1, INT64_MAX, &rq.key_id) != RES_OK)
        verrs_add(&e, "key_id", "Chọn khóa ký số.");
    rq.pin = req_form(r, "pin");
    rq.reason = req_form(r, "reason");
    rq.number_symbol = req_form(r, "number_symbol");
    rq.file_name = d.file_name;
    const char *mode = req_form(r, "placement");
    if (mode && !strcmp(mode, "manual")) {
        int64_t page = 0;
        const char *pg = req_form(r, "page");
        rq.place.manual = true;
        if (!pg || str_to_i64(pg, 1, 100000, &page) != RES_OK ||
            !form_float(r, "x0", &rq.place.rect[0]) || !form_float(r, "y0", &rq.place.rect[1]) ||
            !form_float(r, "x1", &rq.place.rect[2]) || !form_float(r, "y1", &rq.place.rect[3]))
            verrs_add(&e, "page", "Chọn vị trí chữ ký trên trang (bấm vào trang).");
        rq.place.page = (int)page;
        rq.place.view = true; /* the preview's coordinates: top-left origin */
    }
    result_t res = e.count ? RES_INVALID
                           : signing_sign_pdf(r->app, &r->actor, (const unsigned char *)d.pdf.data,
                                              d.pdf.len, &rq, &e, &out);
    if (res == RES_OK) {
        /* "Quyết định.pdf" → "Quyết định (đã ký).pdf" */
        const char *dot = strrchr(d.file_name, '.');
        size_t stem = dot ? (size_t)(dot - d.file_name) : strlen(d.file_name);
        stem = text_cut(d.file_name, stem, 200); /* the name stays under the draft's 255 */
        const char *name = arena_printf(&r->arena, "%.*s (đã ký).pdf", (int)stem, d.file_name);
        struct sign_draft done;
        sign_draft_init(&done);
        json_t *meta = json_pack("{s:b,s:s}", "signed", 1, "signer", r->actor.full_name);
        result_t kept = sign_draft_create(r->app, &r->actor, "upload", name,
                                          (const unsigned char *)out.data, out.len, meta, &done);
        json_decref(meta);
        if (kept == RES_OK) {
            sign_draft_delete(r->app, &r->actor, d.public_id);
            resp_redirect(r, arena_printf(&r->arena, "/signatures/sign/%s", done.public_id));
        } else {
            /* The signature is made: hand it out now rather than lose it. */
            sign_draft_delete(r->app, &r->actor, d.public_id);
            resp_file(r, "application/pdf", name, false, out.data, out.len);
        }
        sign_draft_release(&done);
        goto out;
    }
    if (res != RES_INVALID && res != RES_LOCKED && res != RES_UNSUPPORTED) {
        resp_result(r, res);
        goto out;
    }
    json_t *form = json_object();
    json_object_set_new(form, "reason", json_string(rq.reason ? rq.reason : ""));
    json_object_set_new(form, "number_symbol",
                        json_string(rq.number_symbol ? rq.number_symbol : ""));
    json_object_set_new(form, "manual", json_boolean(rq.place.manual));
    if (rq.place.manual) {
        static const char *const corner[4] = {"x0", "y0", "x1", "y1"};
        for (int c = 0; c < 4; c++)
            json_object_set_new(form, corner[c],
                                json_string(arena_printf(&r->arena, "%.1f", rq.place.rect[c])));
        if (rq.place.page > 0)
            json_object_set_new(form, "page", json_integer(rq.place.page));
    }
    render_place(r, 422, &d, rq.key_id, form, &e);
out:
    buf_release(&out);
    sign_draft_release(&d);
}
