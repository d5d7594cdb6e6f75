/* /api/v1 administration of signing: the installation's trust store (system
 * administrators manage it, everyone may read it) and the signature and seal images
 * of an agency (its administrators). Files come as multipart field "file" or as the
 * raw body (application/pkix-cert, application/x-pem-file, image/png). */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/sigimage.h"
#include "core/trust.h"
#include "util/str.h"

/* 201 {key: value} on success; 409/422 with field errors; the mapped error otherwise. */
static void respond_created(struct req *r, result_t res, const struct verrs *e, const char *key,
                            json_t *value)
{
    if (res == RES_OK) {
        resp_json(r, 201, json_pack("{s:o}", key, value ? value : json_array()));
        return;
    }
    json_decref(value);
    if ((res == RES_INVALID || res == RES_CONFLICT) && e->count)
        resp_problem(r, res == RES_CONFLICT ? 409 : 422, "validation", "Dữ liệu không hợp lệ",
                     "Vui lòng kiểm tra các trường được báo lỗi.", e);
    else
        resp_result(r, res);
}

/* The uploaded file, or NULL; answers 400 itself for a malformed multipart body. */
static bool upload_of(struct req *r, const struct mp_part **file)
{
    const char *ct = req_header(r, "Content-Type");
    *file = req_upload(r, "file");
    if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0 && req_form_bad(r)) {
        resp_problem(r, 400, "bad_request", "Dữ liệu gửi lên không hợp lệ",
                     "Biểu mẫu multipart/form-data bị hỏng.", NULL);
        return false;
    }
    return true;
}

/* ---- trust store ---- */

void api_trust_list(struct req *r)
{
    json_t *out = NULL;
    result_t res = trust_list(r->app, &r->actor, &out);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, 200, out);
}

static void trust_add(struct req *r,
                      result_t (*add)(struct app *, const struct actor *, const unsigned char *,
                                      size_t, struct verrs *, json_t **))
{
    static const char *const known[] = {"file", NULL};
    const struct mp_part *f;
    if (!upload_of(r, &f) || resp_form_unknown(r, known))
        return;
    struct verrs e = {0};
    json_t *added = NULL;
    result_t res = add(r->app, &r->actor, f ? f->data : NULL, f ? f->len : 0, &e, &added);
    respond_created(r, res, &e, "added", added);
}

void api_trust_certs_add(struct req *r)
{
    trust_add(r, trust_add_certs);
}

void api_trust_crls_add(struct req *r)
{
    trust_add(r, trust_add_crl);
}

void api_trust_cert_remove(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    result_t res = id ? trust_remove_cert(r->app, &r->actor, id) : RES_NOT_FOUND;
    resp_result(r, res); /* RES_OK → 204 */
}

void api_trust_crl_remove(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    result_t res = id ? trust_remove_crl(r->app, &r->actor, id) : RES_NOT_FOUND;
    resp_result(r, res);
}

/* ---- signature and seal images ---- */

static void add_png_url(json_t *image)
{
    char url[64];
    snprintf(url, sizeof(url), "/api/v1/signature-images/%lld/png",
             (long long)json_integer_value(json_object_get(image, "id")));
    json_object_set_new(image, "png_url", json_string(url));
}

void api_sigimages_list(struct req *r)
{
    json_t *list = NULL;
    result_t res = sigimage_list(r->app, &r->actor, req_target_agency(r), &list);
    size_t i;
    json_t *im;
    json_array_foreach(list, i, im)
    {
        add_png_url(im);
    }
    resp_list(r, res, "images", list);
}

/* A form field, or for a raw image body the query parameter of the same name. */
static const char *param_of(struct req *r, const char *name)
{
    const char *v = req_form(r, name);
    return v ? v : req_query(r, name);
}

void api_sigimages_upload(struct req *r)
{
    int64_t agency = req_target_agency(r), user_id = 0;
    static const char *const known[] = {"file", "kind", "user_id", NULL};
    const struct mp_part *f;
    if (!upload_of(r, &f) || resp_form_unknown(r, known))
        return;
    struct verrs e = {0};
    const char *kind = param_of(r, "kind"), *uid = param_of(r, "user_id");
    enum sigimage_kind k = SIGIMAGE_SIGNATURE;
    if (kind && strcmp(kind, "seal") == 0)
        k = SIGIMAGE_SEAL;
    else if (!kind || strcmp(kind, "signature") != 0)
        verrs_add(&e, "kind", "Loại ảnh phải là signature (chữ ký) hoặc seal (con dấu).");
    if (uid && *uid && str_to_i64(uid, 1, INT64_MAX, &user_id) != RES_OK)
        verrs_add(&e, "user_id", "Mã người dùng phải là số nguyên dương.");
    int64_t id = 0;
    result_t res = e.count ? RES_INVALID
                           : sigimage_upload(r->app, &r->actor, agency, user_id, k,
                                             f ? f->data : NULL, f ? f->len : 0, &e, &id);
    json_t *row = NULL;
    if (res == RES_OK && sigimage_get(r->app, &r->actor, id, &row) == RES_OK)
        add_png_url(row);
    if (res == RES_OK) {
        resp_json(r, 201, row ? row : json_pack("{s:I}", "id", (json_int_t)id));
        return;
    }
    json_decref(row);
    respond_created(r, res, &e, "image", NULL);
}

void api_sigimage_png(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    struct buf png = BUF_INIT(SIGIMAGE_MAX_BYTES + 1);
    result_t res = id ? sigimage_png(r->app, &r->actor, id, &png) : RES_NOT_FOUND;
    if (res != RES_OK) {
        buf_release(&png);
        resp_result(r, res);
        return;
    }
    char name[48];
    snprintf(name, sizeof(name), "anh-chu-ky-%lld.png", (long long)id);
    resp_file(r, "image/png", name, true, png.data, png.len);
    buf_release(&png);
}

void api_sigimage_deactivate(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    result_t res = id ? sigimage_deactivate(r->app, &r->actor, id) : RES_NOT_FOUND;
    resp_result(r, res);
}
