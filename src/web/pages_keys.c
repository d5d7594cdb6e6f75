/* /admin/keys: an agency's signing keys — who holds which certificate until when,
 * upload of a PKCS#12 for a person or for the agency, revocation. */
#include <stdlib.h>
#include <string.h>

#include "core/signing_key.h"
#include "core/user.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/pages.h"
#include "web/render.h"

static void render_keys(struct req *r, int status, json_t *form, const struct verrs *e)
{
    json_t *ctx = json_object();
    int64_t agency = web_agency_scope(r, ctx, "/admin/keys"), total = 0, now = clock_now();
    json_t *keys = NULL, *users = NULL;
    result_t res = signing_key_list(r->app, &r->actor, agency, &keys);
    if (res == RES_OK && !agency) {
        json_decref(keys);
        json_decref(form);
        json_object_set_new(ctx, "title", json_string("Khóa ký số"));
        web_render_pick_agency(r, ctx, "Khóa ký số", "admin_keys");
        return;
    }
    if (res == RES_OK)
        res = user_list(r->app, &r->actor, agency, NULL, 1, 500, &users, &total);
    if (res != RES_OK) {
        json_decref(ctx);
        json_decref(keys);
        json_decref(form);
        resp_result(r, res);
        return;
    }
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k)
    {
        char d[32];
        int64_t until = json_integer_value(json_object_get(k, "not_after"));
        clock_format_vn_date(until, d, sizeof(d));
        json_object_set_new(k, "valid_until", json_string(d));
        clock_format_vn_date(json_integer_value(json_object_get(k, "not_before")), d, sizeof(d));
        json_object_set_new(k, "valid_from", json_string(d));
        const char *status_text, *cls;
        if (json_integer_value(json_object_get(k, "revoked_at"))) {
            status_text = "Đã thu hồi";
            cls = "off";
        } else if (until <= now) {
            status_text = "Hết hạn";
            cls = "off";
        } else if (json_integer_value(json_object_get(k, "locked_until")) > now) {
            status_text = "Tạm khóa (sai PIN)";
            cls = "warn";
        } else {
            status_text = "Đang dùng";
            cls = "ok";
            json_object_set_new(k, "can_revoke", json_true());
        }
        json_object_set_new(k, "status_text", json_string(status_text));
        json_object_set_new(k, "status_class", json_string(cls));
        if (json_is_null(json_object_get(k, "user_id")))
            json_object_set_new(k, "owner_name", json_string("Cơ quan (dùng với con dấu)"));
    }
    int64_t sel = json_integer_value(json_object_get(form, "user_id"));
    json_array_foreach(users, i, k)
    {
        if (json_integer_value(json_object_get(k, "id")) == sel)
            json_object_set_new(k, "selected", json_true());
    }
    json_object_set_new(ctx, "title", json_string("Khóa ký số"));
    json_object_set_new(ctx, "keys", keys);
    json_object_set_new(ctx, "users", users);
    if (json_is_true(json_object_get(form, "show_reason")))
        json_object_set_new(ctx, "show_reason", json_true());
    json_object_set_new(ctx, "form", form);
    if (e && e->count)
        json_object_set_new(ctx, "errors", verrs_json(e));
    web_render(r, status, "admin_keys", ctx, "admin_keys");
}

void page_admin_keys(struct req *r)
{
    render_keys(r, 200, json_object(), NULL);
}

void page_admin_keys_post(struct req *r)
{
    struct verrs e = {0};
    struct signing_key_input in = {0};
    const struct mp_part *f = req_form_bad(r) ? NULL : req_file(r, "file");
    const char *uid = req_form(r, "user_id");
    in.agency_id = req_target_agency(r);
    if (uid && *uid && str_to_i64(uid, 1, INT64_MAX, &in.user_id) != RES_OK)
        verrs_add(&e, "user_id", "Chọn người dùng.");
    in.label = req_form(r, "label");
    in.pin = req_form(r, "pin");
    const char *confirm = req_form(r, "name_confirm");
    in.name_confirmed = confirm && strcmp(confirm, "1") == 0;
    in.name_reason = req_form(r, "name_reason");
    if (f) {
        in.p12 = f->data;
        in.p12_len = f->len;
    }
    int64_t id = 0;
    result_t res = e.count ? RES_INVALID : signing_key_import(r->app, &r->actor, &in, &e, &id);
    if (res == RES_OK) {
        web_flash(r, "success", "Đã cấp khóa ký số.");
        resp_redirect(r, arena_printf(&r->arena, "/admin/keys%s", web_agency_query(r)));
        return;
    }
    if (res != RES_INVALID && res != RES_CONFLICT && res != RES_UNSUPPORTED) {
        resp_result(r, res);
        return;
    }
    json_t *form = json_object();
    json_object_set_new(form, "user_id", json_integer(in.user_id));
    json_object_set_new(form, "label", json_string(in.label ? in.label : ""));
    if (in.name_confirmed || verrs_get(&e, "name_confirm")) {
        json_object_set_new(form, "name_confirm", json_boolean(in.name_confirmed));
        json_object_set_new(form, "name_reason", json_string(in.name_reason ? in.name_reason : ""));
        json_object_set_new(form, "show_reason", json_true());
    }
    render_keys(r, 422, form, &e);
}

void page_admin_key_revoke(struct req *r)
{
    struct verrs e = {0};
    result_t res =
        signing_key_revoke(r->app, &r->actor, req_param_id(r, "id"), req_form(r, "reason"), &e);
    if (res == RES_OK) {
        web_flash(r, "success", "Đã thu hồi khóa ký số.");
        resp_redirect(r, arena_printf(&r->arena, "/admin/keys%s", web_agency_query(r)));
    } else if (e.count) {
        web_flash(r, "error", e.items[0].message);
        resp_redirect(r, arena_printf(&r->arena, "/admin/keys%s", web_agency_query(r)));
    } else {
        resp_result(r, res);
    }
}
