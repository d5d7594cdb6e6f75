/* Common page context and rendering for the web UI. */
#include "web/render.h"

#include <stdio.h>
#include <string.h>

#include "core/role.h"
#include "core/user.h"
#include "util/str.h"
#include "version.h"
#include "web/template.h"

static void add_common(struct req *r, json_t *ctx, const char *nav)
{
    json_object_set_new(ctx, "app",
                        json_pack("{s:s,s:s}", "name", "QLVB", "version", QLVB_VERSION));
    if (nav)
        json_object_set_new(ctx, "nav", json_pack("{s:b}", nav, 1));
    if (r->csrf[0])
        json_object_set_new(ctx, "csrf", json_string(r->csrf));
    if (r->authed) {
        const struct actor *a = &r->actor;
        json_t *u = json_pack("{s:s,s:s}", "full_name", a->full_name, "login", a->login);
        json_t *ms = NULL;
        if (user_memberships(r->app, a->user_id, &ms) == RES_OK) {
            size_t i;
            json_t *m;
            json_array_foreach(ms, i, m)
            {
                if (json_integer_value(json_object_get(m, "id")) != a->membership_id)
                    continue;
                json_object_set(u, "agency_name", json_object_get(m, "agency_name"));
                json_object_set(u, "position", json_object_get(m, "position"));
                json_object_set(u, "department", json_object_get(m, "department"));
                json_object_set(u, "roles_label", json_object_get(m, "roles_label"));
            }
            if (json_array_size(ms) > 1)
                json_object_set_new(ctx, "can_switch_agency", json_true());
            json_decref(ms);
        }
        if (a->sysadmin && !json_object_get(u, "roles_label"))
            json_object_set_new(u, "roles_label", json_string("Quản trị hệ thống"));
        json_object_set_new(ctx, "user", u);
        json_object_set_new(ctx, "is_admin", json_boolean((a->roles & ROLE_ADMIN) || a->sysadmin));
        json_object_set_new(ctx, "is_sysadmin", json_boolean(a->sysadmin));
    }
    const char *flash = req_cookie(r, "qlvb_flash");
    if (flash && strlen(flash) < 2000) {
        /* "<kind>.<hex of the message>" */
        const char *dot = strchr(flash, '.');
        unsigned char msg[1000];
        size_t n = 0;
        if (dot && (size_t)(dot - flash) < 16 &&
            hex_decode(dot + 1, msg, sizeof(msg) - 1, &n) == RES_OK) {
            msg[n] = '\0';
            char kind[16];
            memcpy(kind, flash, (size_t)(dot - flash));
            kind[dot - flash] = '\0';
            json_t *m = json_stringn((const char *)msg, n);
            if (m)
                json_object_set_new(ctx, "flash",
                                    json_pack("{s:s,s:o}", "kind", kind, "message", m));
        }
        resp_cookie(r, "qlvb_flash", "", 0, true);
    }
}

void web_render(struct req *r, int status, const char *name, json_t *ctx, const char *nav)
{
    /* Templates treat any object as true: an empty error set must be absent. */
    json_t *errors = json_object_get(ctx, "errors");
    if (errors && json_is_object(errors) && json_object_size(errors) == 0)
        json_object_del(ctx, "errors");
    add_common(r, ctx, nav);
    buf_reset(&r->out);
    result_t res = tmpl_render(name, ctx, &r->out);
    json_decref(ctx);
    if (res != RES_OK) {
        const char *msg = "Lỗi hệ thống: không hiển thị được trang.";
        resp_text(r, 500, "text/plain; charset=utf-8", msg, strlen(msg));
        return;
    }
    r->status = status;
    r->content_type = "text/html; charset=utf-8";
    r->responded = true;
}

result_t web_init(void)
{
    result_t r = tmpl_init();
    if (r == RES_OK)
        resp_set_html_error(web_render_error);
    return r;
}

void web_render_error(struct req *r, int status, const char *title, const char *detail)
{
    json_t *ctx = json_pack("{s:i,s:s,s:s}", "status", status, "title", title, "detail",
                            detail ? detail : "");
    web_render(r, status, "error", ctx, NULL);
}

void web_flash(struct req *r, const char *kind, const char *message)
{
    char hex[601];
    size_t n = strlen(message);
    if (n > 300)
        n = 300;
    hex_encode((const unsigned char *)message, n, hex);
    resp_cookie(r, "qlvb_flash", arena_printf(&r->arena, "%s.%s", kind, hex), 60, true);
}
