/* Administration pages for signing: the trust store (system administrators) and the
 * signature and seal images of an agency (its administrators). */
#include <stdio.h>
#include <string.h>

#include "core/authz.h"
#include "core/sigimage.h"
#include "core/trust.h"
#include "core/user.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/menu.h"
#include "web/pages.h"
#include "web/render.h"

static const char *vn_date(struct req *r, json_t *o, const char *key)
{
    json_int_t t = json_integer_value(json_object_get(o, key));
    char out[32];
    if (t <= 0)
        return "";
    clock_format_vn_date((int64_t)t, out, sizeof(out));
    return arena_strdup(&r->arena, out);
}

static const char *vn_time(struct req *r, json_t *o, const char *key)
{
    json_int_t t = json_integer_value(json_object_get(o, key));
    char out[48];
    if (t <= 0)
        return "";
    clock_format_vn((int64_t)t, out, sizeof(out));
    return arena_strdup(&r->arena, out);
}

/* "3f9a 21c0 7b4e 55d1…": the first 8 bytes of a SHA-256 fingerprint, for people. */
static const char *short_fingerprint(struct req *r, const char *fp)
{
    if (!fp || strlen(fp) < 16)
        return fp ? fp : "";
    return arena_printf(&r->arena, "%.4s %.4s %.4s %.4s…", fp, fp + 4, fp + 8, fp + 12);
}

/* ---- trust store ---- */

/* One attribute of an RFC 2253 name as the trust store keeps it ("CN=Nguyễn Văn
 * An,O=Sở KH\,CN,C=VN"): the value of the first `type`, unescaped; "" if absent. */
static const char *dn_value(struct req *r, const char *dn, const char *type)
{
    size_t tl = strlen(type), n = dn ? strlen(dn) : 0;
    for (size_t i = 0; i < n;) {
        bool match = strncmp(dn + i, type, tl) == 0 && dn[i + tl] == '=';
        size_t j = i;
        while (j < n && dn[j] != '=')
            j++;
        j++; /* past '=' */
        char *out = arena_alloc(&r->arena, n + 1), *w = out;
        for (; j < n && dn[j] != ',' && dn[j] != '+'; j++) {
            if (dn[j] == '\\' && j + 1 < n)
                j++;
            *w++ = dn[j];
        }
        *w = '\0';
        if (match)
            return out;
        i = j + 1;
    }
    return "";
}

/* "Person or body — organisation" instead of the raw "CN=…,O=…" (issue 9). */
static const char *dn_display(struct req *r, const char *dn)
{
    const char *cn = dn_value(r, dn, "CN"), *o = dn_value(r, dn, "O");
    if (!*cn && !*o)
        return dn ? dn : "";
    if (!*o || !strcmp(o, cn))
        return *cn ? cn : o;
    return *cn ? arena_printf(&r->arena, "%s — %s", cn, o) : o;
}

static void decorate_certs(struct req *r, json_t *certs)
{
    int64_t now = clock_now();
    size_t i;
    json_t *c;
    json_array_foreach(certs, i, c)
    {
        bool root = strcmp(json_string_value(json_object_get(c, "kind")), "root") == 0;
        bool from_file = strcmp(json_string_value(json_object_get(c, "source")), "file") == 0;
        bool active = json_is_true(json_object_get(c, "active"));
        json_int_t not_after = json_integer_value(json_object_get(c, "not_after"));
        json_object_set_new(c, "kind_label", json_string(root ? "Gốc" : "Trung gian"));
        json_object_set_new(c, "show_issuer", json_boolean(!root)); /* a root issued itself */
        const char *subject = json_string_value(json_object_get(c, "subject"));
        const char *issuer = json_string_value(json_object_get(c, "issuer"));
        json_object_set_new(c, "subject_dn", json_string(subject ? subject : ""));
        json_object_set_new(c, "subject", json_string(dn_display(r, subject)));
        json_object_set_new(c, "issuer", json_string(dn_display(r, issuer)));
        json_object_set_new(c, "valid_from", json_string(vn_date(r, c, "not_before")));
        json_object_set_new(c, "valid_to", json_string(vn_date(r, c, "not_after")));
        json_object_set_new(c, "expired", json_boolean(not_after < now));
        json_object_set_new(c, "fp_short",
                            json_string(short_fingerprint(
                                r, json_string_value(json_object_get(c, "fingerprint")))));
        json_object_set_new(c, "from_file", json_boolean(from_file));
        json_object_set_new(c, "removable", json_boolean(active && !from_file));
        json_object_set_new(c, "added", json_string(vn_date(r, c, "created_at")));
    }
}

static void decorate_crls(struct req *r, json_t *crls)
{
    int64_t now = clock_now();
    size_t i;
    json_t *c;
    json_array_foreach(crls, i, c)
    {
        bool from_file = strcmp(json_string_value(json_object_get(c, "source")), "file") == 0;
        bool active = json_is_true(json_object_get(c, "active"));
        json_int_t next = json_integer_value(json_object_get(c, "next_update"));
        const char *issuer = json_string_value(json_object_get(c, "issuer"));
        json_object_set_new(c, "issuer_dn", json_string(issuer ? issuer : ""));
        json_object_set_new(c, "issuer", json_string(dn_display(r, issuer)));
        json_object_set_new(c, "issued", json_string(vn_date(r, c, "this_update")));
        json_object_set_new(c, "next", json_string(vn_date(r, c, "next_update")));
        json_object_set_new(c, "outdated", json_boolean(next > 0 && next < now));
        json_object_set_new(c, "fp_short",
                            json_string(short_fingerprint(
                                r, json_string_value(json_object_get(c, "fingerprint")))));
        json_object_set_new(c, "from_file", json_boolean(from_file));
        json_object_set_new(c, "removable", json_boolean(active && !from_file));
    }
}

/* failed: "cert" or "crl" when that form's upload was refused (errors then apply to it). */
static void render_trust(struct req *r, int status, const char *failed, const struct verrs *e)
{
    json_t *lists = NULL;
    result_t res = web_screen_check(r, SCREEN_TRUST);
    if (res == RES_OK)
        res = trust_list(r->app, &r->actor, &lists);
    if (res != RES_OK) {
        json_decref(lists);
        resp_result(r, res);
        return;
    }
    json_t *certs = json_object_get(lists, "certificates"), *crls = json_object_get(lists, "crls");
    decorate_certs(r, certs);
    decorate_crls(r, crls);
    json_t *ctx = json_pack("{s:s,s:O,s:O,s:o}", "title", "Chứng thư tin cậy", "certificates",
                            certs, "crls", crls, "errors", e ? verrs_json(e) : json_object());
    json_decref(lists);
    if (failed)
        json_object_set_new(ctx, strcmp(failed, "cert") == 0 ? "cert_failed" : "crl_failed",
                            json_true());
    web_render(r, status, "admin_trust", ctx, "admin_trust");
}

void page_admin_trust(struct req *r)
{
    render_trust(r, 200, NULL, NULL);
}

static void trust_upload(struct req *r, const char *which)
{
    bool cert = strcmp(which, "cert") == 0;
    const struct mp_part *f = req_file(r, "file");
    struct verrs e = {0};
    json_t *added = NULL;
    result_t res =
        cert ? trust_add_certs(r->app, &r->actor, f ? f->data : NULL, f ? f->len : 0, &e, &added)
             : trust_add_crl(r->app, &r->actor, f ? f->data : NULL, f ? f->len : 0, &e, &added);
    size_t n = json_array_size(added);
    json_decref(added);
    if (res == RES_OK) {
        web_flash(r, "success",
                  cert ? arena_printf(&r->arena, "Đã thêm %zu chứng thư vào danh sách tin cậy.", n)
                       : "Đã thêm danh sách thu hồi chứng thư.");
        resp_redirect(r, "/admin/trust");
        return;
    }
    if ((res == RES_INVALID || res == RES_CONFLICT) && e.count) {
        render_trust(r, res == RES_CONFLICT ? 409 : 422, which, &e);
        return;
    }
    resp_result(r, res);
}

void page_admin_trust_cert_post(struct req *r)
{
    trust_upload(r, "cert");
}

void page_admin_trust_crl_post(struct req *r)
{
    trust_upload(r, "crl");
}

static void trust_remove(struct req *r, bool cert)
{
    int64_t id = req_param_id(r, "id");
    result_t res = !id    ? RES_NOT_FOUND
                   : cert ? trust_remove_cert(r->app, &r->actor, id)
                          : trust_remove_crl(r->app, &r->actor, id);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    web_flash(r, "success",
              cert ? "Đã gỡ chứng thư khỏi danh sách tin cậy." : "Đã gỡ danh sách thu hồi.");
    resp_redirect(r, "/admin/trust");
}

void page_admin_trust_cert_remove(struct req *r)
{
    trust_remove(r, true);
}

void page_admin_trust_crl_remove(struct req *r)
{
    trust_remove(r, false);
}

/* ---- signature and seal images ---- */

/* Members of the agency for the person select: [{id, name, selected}]. */
static json_t *people_options(struct req *r, int64_t agency, int64_t selected)
{
    json_t *out = json_array();
    int64_t total = 0;
    for (int page = 1; page <= 50; page++) {
        json_t *list = NULL;
        if (user_list(r->app, &r->actor, agency, NULL, page, 200, &list, &total) != RES_OK)
            break;
        size_t i;
        json_t *u;
        json_array_foreach(list, i, u)
        {
            if (json_is_true(json_object_get(u, "locked")))
                continue;
            json_int_t id = json_integer_value(json_object_get(u, "id"));
            const char *name = json_string_value(json_object_get(u, "full_name"));
            const char *pos = json_string_value(json_object_get(u, "position"));
            json_array_append_new(
                out, json_pack("{s:I,s:s,s:b}", "id", id, "name",
                               pos && *pos ? arena_printf(&r->arena, "%s — %s", name, pos) : name,
                               "selected", id == selected));
        }
        size_t got = json_array_size(list);
        json_decref(list);
        if (got < 200 || (int64_t)page * 200 >= total)
            break;
    }
    return out;
}

static void render_images(struct req *r, int status, json_t *form, const struct verrs *e)
{
    json_t *ctx = json_pack("{s:s}", "title", "Chữ ký, con dấu");
    int64_t agency = web_agency_scope(r, ctx, "/admin/signature-images");
    json_t *list = NULL;
    result_t res = sigimage_list(r->app, &r->actor, agency, &list);
    if (res == RES_OK && !agency) {
        json_decref(list);
        json_decref(form);
        web_render_pick_agency(r, ctx, "Chữ ký, con dấu", "admin_images");
        return;
    }
    if (res != RES_OK) {
        json_decref(ctx);
        json_decref(form);
        resp_result(r, res);
        return;
    }
    size_t i;
    json_t *im;
    json_array_foreach(list, i, im)
    {
        bool seal = strcmp(json_string_value(json_object_get(im, "kind")), "seal") == 0;
        json_object_set_new(im, "is_seal", json_boolean(seal));
        json_object_set_new(
            im, "owner",
            json_string(seal ? "Con dấu của cơ quan"
                             : json_string_value(json_object_get(im, "owner_name"))));
        json_object_set_new(im, "uploaded", json_string(vn_time(r, im, "created_at")));
        json_object_set_new(
            im, "kb",
            json_integer((json_integer_value(json_object_get(im, "bytes")) + 1023) / 1024));
    }
    const char *kind = json_string_value(json_object_get(form, "kind"));
    int64_t uid = json_integer_value(json_object_get(form, "user_id"));
    json_object_set_new(form, "is_seal", json_boolean(kind && strcmp(kind, "seal") == 0));
    json_object_set_new(ctx, "images", list);
    json_object_set_new(ctx, "people", people_options(r, agency, uid));
    json_object_set_new(ctx, "form", form);
    json_object_set_new(ctx, "errors", e ? verrs_json(e) : json_object());
    web_render(r, status, "admin_signature_images", ctx, "admin_images");
}

void page_admin_sigimages(struct req *r)
{
    render_images(r, 200, json_object(), NULL);
}

void page_admin_sigimages_post(struct req *r)
{
    int64_t agency = req_target_agency(r), user_id = 0;
    if (req_form_bad(r)) {
        resp_error(r, 400, "Dữ liệu gửi lên không hợp lệ", "Biểu mẫu bị hỏng. Vui lòng thử lại.");
        return;
    }
    const char *kind = req_form(r, "kind"), *uid = req_form(r, "user_id");
    bool seal = kind && strcmp(kind, "seal") == 0;
    struct verrs e = {0};
    if (!seal && (!kind || strcmp(kind, "signature") != 0))
        verrs_add(&e, "kind", "Chọn loại ảnh: chữ ký cá nhân hoặc con dấu cơ quan.");
    if (!seal && uid && *uid && str_to_i64(uid, 1, INT64_MAX, &user_id) != RES_OK)
        verrs_add(&e, "user_id", "Chọn người có chữ ký.");
    const struct mp_part *f = req_file(r, "file");
    int64_t id = 0;
    result_t res = e.count ? RES_INVALID
                           : sigimage_upload(r->app, &r->actor, agency, seal ? 0 : user_id,
                                             seal ? SIGIMAGE_SEAL : SIGIMAGE_SIGNATURE,
                                             f ? f->data : NULL, f ? f->len : 0, &e, &id);
    if (res == RES_OK) {
        web_flash(r, "success",
                  seal ? "Đã tải lên ảnh con dấu. Ảnh cũ (nếu có) không còn được dùng."
                       : "Đã tải lên ảnh chữ ký. Ảnh cũ (nếu có) không còn được dùng.");
        resp_redirect(r, arena_printf(&r->arena, "/admin/signature-images%s", web_agency_query(r)));
        return;
    }
    if (res != RES_INVALID && res != RES_CONFLICT) {
        resp_result(r, res);
        return;
    }
    render_images(
        r, 422,
        json_pack("{s:s,s:I}", "kind", seal ? "seal" : "signature", "user_id", (json_int_t)user_id),
        &e);
}

void page_admin_sigimage_deactivate(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    result_t res = id ? sigimage_deactivate(r->app, &r->actor, id) : RES_NOT_FOUND;
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    web_flash(r, "success", "Đã ngừng dùng ảnh. Ảnh vẫn được lưu để đối chiếu.");
    resp_redirect(r, arena_printf(&r->arena, "/admin/signature-images%s", web_agency_query(r)));
}

/* GET /admin/signature-images/<id>.png — the preview image. */
void page_admin_sigimage_png(struct req *r)
{
    const char *file = req_param(r, "file");
    int64_t id = 0;
    size_t n = file ? strlen(file) : 0;
    if (n > 4 && n < 24 && strcmp(file + n - 4, ".png") == 0 && file[0] != '0') {
        char digits[24];
        memcpy(digits, file, n - 4);
        digits[n - 4] = '\0';
        if (str_to_i64(digits, 1, INT64_MAX, &id) != RES_OK || digits[0] == '+')
            id = 0;
    }
    struct buf png = BUF_INIT(SIGIMAGE_MAX_BYTES + 1);
    result_t res = id ? sigimage_png(r->app, &r->actor, id, &png) : RES_NOT_FOUND;
    if (res != RES_OK) {
        buf_release(&png);
        resp_result(r, res);
        return;
    }
    resp_file(r, "image/png", file, true, png.data, png.len);
    buf_release(&png);
}
