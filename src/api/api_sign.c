/* /api/v1 signatures: verify an uploaded file, sign with one's key (PIN), two-step
 * signing for USB tokens and remote signing services, and the administration of
 * signing keys. Documents come as multipart field "file" or as the raw body. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/sigcheck.h"
#include "core/signing.h"
#include "core/signing_key.h"
#include "core/trust.h"
#include "util/base64.h"
#include "util/str.h"

static void problem_fields(struct req *r, result_t res, const struct verrs *e)
{
    if ((res == RES_INVALID || res == RES_CONFLICT || res == RES_LOCKED ||
         res == RES_UNSUPPORTED) &&
        e->count)
        resp_problem(r,
                     res == RES_CONFLICT      ? 409
                     : res == RES_LOCKED      ? 423
                     : res == RES_UNSUPPORTED ? 503
                                              : 422,
                     "validation", "Dữ liệu không hợp lệ",
                     "Vui lòng kiểm tra các trường được báo lỗi.", e);
    else
        resp_result(r, res);
}

static const struct mp_part *document(struct req *r)
{
    const struct mp_part *f = req_upload(r, "file");
    if (!f) {
        struct verrs e = {0};
        verrs_add(&e, "file",
                  "Gửi tệp trong trường \"file\" (multipart/form-data) hoặc làm "
                  "nội dung yêu cầu (Content-Type: application/pdf).");
        resp_problem(r, 422, "validation", "Thiếu tệp", "Không có tệp nào được gửi lên.", &e);
    }
    return f;
}

void api_signatures_verify(struct req *r)
{
    static const char *const known[] = {"file", NULL};
    if (resp_form_unknown(r, known))
        return;
    const struct mp_part *f = document(r);
    if (!f)
        return;
    json_t *report = NULL;
    const struct certstore *cs = trust_acquire(r->app);
    result_t res = sigcheck_report(f->data, f->len, f->filename, cs, 0, &report);
    trust_release(r->app, cs);
    if (res == RES_OK)
        resp_json(r, 200, report);
    else
        resp_result(r, res);
}

void api_signing_keys_mine(struct req *r)
{
    json_t *list = NULL;
    result_t res = signing_key_usable(r->app, &r->actor, &list);
    resp_list(r, res, "keys", list);
}

/* Optional manual placement from form fields page, x0, y0, x1, y1 (PDF points). */
static bool placement(struct req *r, struct sign_placement *p, struct verrs *e)
{
    static const char *const corner[4] = {"x0", "y0", "x1", "y1"};
    const char *pg = req_form(r, "page");
    memset(p, 0, sizeof(*p));
    if (!pg || !*pg)
        return true;
    int64_t page;
    p->manual = true;
    if (str_to_i64(pg, 1, 100000, &page) != RES_OK) {
        verrs_add(e, "page", "Số trang không hợp lệ.");
        return false;
    }
    p->page = (int)page;
    for (int i = 0; i < 4; i++) {
        const char *v = req_form(r, corner[i]);
        char *end = NULL;
        double d = v ? strtod(v, &end) : 0;
        if (!v || !*v || !end || *end || d != d || d < 0 || d > 20000) {
            verrs_add(e, "page", "Cần đủ x0, y0, x1, y1 (điểm PDF, gốc ở góc dưới bên trái).");
            return false;
        }
        p->rect[i] = (float)d;
    }
    return true;
}

static void send_pdf(struct req *r, const char *file_name, const struct buf *out)
{
    const char *name = file_name && *file_name ? file_name : "tai-lieu.pdf";
    const char *dot = strrchr(name, '.');
    size_t stem = dot ? (size_t)(dot - name) : strlen(name);
    resp_file(r, "application/pdf", arena_printf(&r->arena, "%.*s (đã ký).pdf", (int)stem, name),
              false, out->data, out->len);
}

void api_signatures_sign(struct req *r)
{
    static const char *const known[] = {
        "file", "key_id", "pin", "reason", "no_image", "number_symbol",
        "page", "x0",     "y0",  "x1",     "y1",       NULL};
    if (resp_form_unknown(r, known))
        return;
    const struct mp_part *f = document(r);
    if (!f)
        return;
    struct verrs e = {0};
    struct sign_request rq = {0};
    struct buf out = BUF_INIT(300u << 20);
    const char *key = req_form(r, "key_id");
    if (!key || str_to_i64(key, 1, INT64_MAX, &rq.key_id) != RES_OK)
        verrs_add(&e, "key_id", "Chọn khóa ký số (key_id).");
    rq.pin = req_form(r, "pin");
    rq.reason = req_form(r, "reason");
    rq.file_name = f->filename;
    const char *noimg = req_form(r, "no_image");
    rq.no_image = noimg && !strcmp(noimg, "true");
    rq.number_symbol = req_form(r, "number_symbol");
    placement(r, &rq.place, &e);
    result_t res =
        e.count ? RES_INVALID : signing_sign_pdf(r->app, &r->actor, f->data, f->len, &rq, &e, &out);
    if (res == RES_OK)
        send_pdf(r, f->filename, &out);
    else
        problem_fields(r, res, &e);
    buf_release(&out);
}

void api_signatures_prepare(struct req *r)
{
    static const char *const known[] = {"file", "certificate", "reason", "page", "x0",
                                        "y0",   "x1",          "y1",     NULL};
    if (resp_form_unknown(r, known))
        return;
    const struct mp_part *f = req_file(r, "file");
    struct verrs e = {0};
    struct sign_placement place;
    json_t *out = NULL;
    if (!f) {
        verrs_add(&e, "file", "Gửi tệp PDF trong trường \"file\" (multipart/form-data).");
        problem_fields(r, RES_INVALID, &e);
        return;
    }
    const char *cert = req_form(r, "certificate");
    const struct mp_part *cf = req_file(r, "certificate");
    if (!cert && cf)
        cert = arena_strndup(&r->arena, (const char *)cf->data, cf->len);
    placement(r, &place, &e);
    result_t res = e.count ? RES_INVALID
                           : signing_prepare(r->app, &r->actor, f->data, f->len, f->filename, cert,
                                             &place, req_form(r, "reason"), &e, &out);
    if (res == RES_OK)
        resp_json(r, 201, out);
    else
        problem_fields(r, res, &e);
}

/* A raw signature or CMS from the JSON body; NULL when it is not strict base64 or
 * larger than 150 KB decoded. */
static unsigned char *b64_decode(struct req *r, const char *s, size_t *len)
{
    size_t n = s ? strlen(s) : 0, max = 150 * 1024;
    if (!n || n > BASE64_LEN(max))
        return NULL;
    unsigned char *out = arena_alloc(&r->arena, n / 4 * 3 + 1);
    return base64_decode(s, n, out, n / 4 * 3 + 1, len) == RES_OK ? out : NULL;
}

void api_signatures_finish(struct req *r)
{
    json_t *in = req_json(r);
    if (!in)
        return;
    static const char *const known[] = {"signature", "cms", NULL};
    struct verrs e = {0};
    json_unknown_members(in, known, &e);
    struct buf out = BUF_INIT(300u << 20);
    char name[256] = "";
    const char *sig = json_str(in, "signature"), *cms = json_str(in, "cms");
    size_t len = 0;
    unsigned char *bytes = NULL;
    if ((sig != NULL) == (cms != NULL))
        verrs_add(&e, "signature",
                  "Gửi đúng một trong hai: \"signature\" (chữ ký thô, base64) "
                  "hoặc \"cms\" (CMS SignedData, base64).");
    else if (!(bytes = b64_decode(r, sig ? sig : cms, &len)))
        verrs_add(&e, sig ? "signature" : "cms", "Dữ liệu base64 không hợp lệ.");
    result_t res = e.count ? RES_INVALID
                           : signing_finish(r->app, &r->actor, req_param(r, "id"), bytes, len,
                                            cms != NULL, &e, &out, name, sizeof(name));
    if (res == RES_OK)
        send_pdf(r, name, &out);
    else if (res == RES_NOT_FOUND)
        resp_error(r, 404, "Không tìm thấy",
                   "Tài liệu đã chuẩn bị không tồn tại, đã hết hạn hoặc không thuộc về bạn.");
    else
        problem_fields(r, res, &e);
    buf_release(&out);
}

/* ---- administration of keys ---- */

void api_signing_keys_list(struct req *r)
{
    json_t *list = NULL;
    result_t res = signing_key_list(r->app, &r->actor, req_target_agency(r), &list);
    resp_list(r, res, "keys", list);
}

void api_signing_keys_import(struct req *r)
{
    static const char *const known[] = {"file",         "user_id",     "label", "pin",
                                        "name_confirm", "name_reason", NULL};
    if (resp_form_unknown(r, known))
        return;
    struct verrs e = {0};
    struct signing_key_input in = {0};
    int64_t id = 0;
    const struct mp_part *f = req_file(r, "file");
    const char *uid = req_form(r, "user_id");
    in.agency_id = req_target_agency(r);
    if (uid && *uid && str_to_i64(uid, 1, INT64_MAX, &in.user_id) != RES_OK)
        verrs_add(&e, "user_id", "Người dùng không hợp lệ.");
    in.label = req_form(r, "label");
    in.pin = req_form(r, "pin");
    const char *confirm = req_form(r, "name_confirm");
    in.name_confirmed = confirm && strcmp(confirm, "1") == 0;
    in.name_reason = req_form(r, "name_reason");
    if (f) {
        in.p12 = f->data;
        in.p12_len = f->len;
    }
    result_t res = e.count ? RES_INVALID : signing_key_import(r->app, &r->actor, &in, &e, &id);
    if (res == RES_OK)
        resp_json(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
    else
        problem_fields(r, res, &e);
}

void api_signing_key_revoke(struct req *r)
{
    json_t *in = req_json(r);
    if (!in)
        return;
    static const char *const known[] = {"reason", NULL};
    struct verrs e = {0};
    json_unknown_members(in, known, &e);
    result_t res = e.count ? RES_INVALID
                           : signing_key_revoke(r->app, &r->actor, req_param_id(r, "id"),
                                                json_str(in, "reason"), &e);
    if (res == RES_OK)
        resp_json(r, 200, json_pack("{s:b}", "revoked", 1));
    else
        problem_fields(r, res, &e);
}
