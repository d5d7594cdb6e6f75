/* Common page context and rendering for the web UI. */
#include "web/render.h"

#include <stdio.h>
#include <string.h>

#include "core/agency.h"
#include "core/authz.h"
#include "core/notify.h"
#include "core/user.h"
#include "text/text.h"
#include "util/rand.h"
#include "util/str.h"
#include "version.h"
#include "web/menu.h"
#include "web/template.h"

static void add_common(struct req *r, json_t *ctx, const char *nav, bool visitor)
{
    json_object_set_new(ctx, "app",
                        json_pack("{s:s,s:s}", "name", "QLVB", "version", QLVB_VERSION));
    if (nav)
        json_object_set_new(ctx, "nav", json_pack("{s:b}", nav, 1));
    if (r->csrf[0])
        json_object_set_new(ctx, "csrf", json_string(r->csrf));
    if (r->authed && !visitor) {
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
        /* Before the password change or the choice of agency nothing else can be opened
         * (server.c redirects back): the page shows no menu ("gate"), only the way out. */
        if (a->must_change_password ||
            (!a->membership_id && authz_check(a, AZ_ANY_AGENCY, 0) != RES_OK))
            json_object_set_new(ctx, "gate", json_true());
        else {
            json_object_set_new(ctx, "menu", web_menu(r)); /* the policy decides, not role bits */
            /* The bell: one indexed count (capped), only while working in an agency. */
            int64_t unread = 0;
            if (authz_check(a, AZ_NOTIFY_READ, a->agency_id) == RES_OK &&
                notify_unread_count(r->app, a, &unread) == RES_OK) {
                char label[24];
                if (unread > 99)
                    str_copy(label, "99+", sizeof(label));
                else
                    snprintf(label, sizeof(label), "%lld", (long long)unread);
                json_object_set_new(ctx, "notify",
                                    json_pack("{s:I,s:s,s:b}", "unread", (json_int_t)unread,
                                              "label", label, "any", unread > 0));
            }
        }
    }
    const char *flash = req_cookie(r, "qlvb_flash");
    if (flash) {
        json_t *f = web_flash_parse(flash);
        if (f)
            json_object_set_new(ctx, "flash", f);
        resp_cookie(r, "qlvb_flash", "", 0, true);
    }
}

static void render(struct req *r, int status, const char *name, json_t *ctx, const char *nav,
                   bool visitor)
{
    /* Templates treat any object as true: an empty error set must be absent. */
    json_t *errors = json_object_get(ctx, "errors");
    if (errors && json_is_object(errors) && json_object_size(errors) == 0)
        json_object_del(ctx, "errors");
    add_common(r, ctx, nav, visitor);
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

void web_render(struct req *r, int status, const char *name, json_t *ctx, const char *nav)
{
    render(r, status, name, ctx, nav, false);
}

void web_render_public(struct req *r, int status, const char *name, json_t *ctx)
{
    render(r, status, name, ctx, NULL, true);
}

static bool token_form(const char *s)
{
    if (!s || strlen(s) != 64)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

void web_form_token_issue(struct req *r, const char *cookie, long max_age)
{
    const char *have = req_cookie(r, cookie);
    char token[65];
    if (token_form(have))
        str_copy(token, have, sizeof(token));
    else if (rand_hex(token, 32) != RES_OK)
        token[0] = '\0'; /* no token: the form is refused, nothing else breaks */
    resp_cookie(r, cookie, token, max_age, true);
    str_copy(r->csrf, token, sizeof(r->csrf));
}

bool web_form_token_ok(struct req *r, const char *cookie)
{
    const char *have = req_cookie(r, cookie), *form = req_form(r, "_csrf");
    return !req_form_bad(r) && token_form(have) && form && str_eq_ct(have, form);
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

const char *web_agency_query(struct req *r)
{
    int64_t id = req_target_agency(r);
    if (!id || authz_check(&r->actor, AZ_ANY_AGENCY, 0) != RES_OK)
        return "";
    return arena_printf(&r->arena, "?agency_id=%lld", (long long)id);
}

int64_t web_agency_scope(struct req *r, json_t *ctx, const char *path)
{
    int64_t id = req_target_agency(r);
    bool any = authz_check(&r->actor, AZ_ANY_AGENCY, 0) == RES_OK;
    json_t *ag = NULL;
    if (id && agency_get(r->app, &r->actor, id, &ag) != RES_OK)
        id = 0; /* an unknown ?agency_id: ask again rather than show an empty list */
    json_object_set_new(
        ctx, "agency",
        ag ? json_pack("{s:I,s:O}", "id", (json_int_t)id, "name", json_object_get(ag, "name"))
           : json_object());
    json_decref(ag);
    json_object_set_new(ctx, "agency_query", json_string(id ? web_agency_query(r) : ""));
    if (!any)
        return id;
    json_t *list = NULL, *opts = json_array();
    if (agency_list(r->app, &r->actor, &list) == RES_OK) {
        size_t i;
        json_t *a;
        json_array_foreach(list, i, a)
        {
            json_int_t aid = json_integer_value(json_object_get(a, "id"));
            json_array_append_new(opts,
                                  json_pack("{s:I,s:O,s:b}", "id", aid, "name",
                                            json_object_get(a, "name"), "selected", aid == id));
        }
    }
    json_decref(list);
    json_object_set_new(
        ctx, "picker",
        json_pack("{s:s,s:o,s:b}", "path", path, "agencies", opts, "chosen", id != 0));
    return id;
}

void web_render_pick_agency(struct req *r, json_t *ctx, const char *heading, const char *nav)
{
    json_object_set_new(ctx, "heading", json_string(heading));
    web_render(r, 200, "admin_pick_agency", ctx, nav);
}

/* "<kind>.<hex of the message>": hex keeps the cookie value to token characters. */
void web_flash(struct req *r, const char *kind, const char *message)
{
    static const char ellipsis[] = "…";
    unsigned char msg[WEB_FLASH_MAX];
    char hex[2 * WEB_FLASH_MAX + 1];
    size_t n = strlen(message);
    if (n > WEB_FLASH_MAX) {
        /* Cut on a character boundary: half a character would make the cookie invalid
         * UTF-8 and the message would be dropped, not shortened. */
        n = text_cut(message, n, WEB_FLASH_MAX - (sizeof(ellipsis) - 1));
        memcpy(msg, message, n);
        memcpy(msg + n, ellipsis, sizeof(ellipsis) - 1);
        n += sizeof(ellipsis) - 1;
    } else {
        memcpy(msg, message, n);
    }
    hex_encode(msg, n, hex);
    resp_cookie(r, "qlvb_flash", arena_printf(&r->arena, "%s.%s", kind, hex), 60, true);
}

json_t *web_flash_parse(const char *cookie)
{
    const char *dot = cookie ? strchr(cookie, '.') : NULL;
    unsigned char msg[2 * WEB_FLASH_MAX];
    size_t n = 0;
    if (!dot || dot == cookie || (size_t)(dot - cookie) >= 16 ||
        strlen(dot + 1) > 2 * sizeof(msg) ||
        hex_decode(dot + 1, msg, sizeof(msg) - 1, &n) != RES_OK)
        return NULL;
    msg[n] = '\0';
    char kind[16];
    memcpy(kind, cookie, (size_t)(dot - cookie));
    kind[dot - cookie] = '\0';
    json_t *m = json_stringn((const char *)msg, n); /* NULL unless valid UTF-8 */
    return m ? json_pack("{s:s,s:o}", "kind", kind, "message", m) : NULL;
}

const char *web_url_encode(struct arena *a, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    char *out = arena_alloc(a, n * 3 + 1), *w = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            *w++ = (char)*p;
        } else {
            *w++ = '%';
            *w++ = hex[*p >> 4];
            *w++ = hex[*p & 15];
        }
    }
    *w = '\0';
    return out;
}
