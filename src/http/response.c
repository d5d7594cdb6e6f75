/* Response builders. Bodies are built in r->out; server.c turns them into an MHD
 * response after the handler returns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "text/text.h"

static resp_html_error_fn html_error; /* set once at start-up, read-only after */

void resp_set_html_error(resp_html_error_fn fn)
{
    html_error = fn;
}

void resp_header(struct req *r, const char *name, const char *value)
{
    if (r->nheaders == REQ_MAX_HEADERS)
        return;
    r->headers[r->nheaders].key = arena_strdup(&r->arena, name);
    r->headers[r->nheaders].value = arena_strdup(&r->arena, value);
    r->nheaders++;
}

void resp_cookie(struct req *r, const char *name, const char *value, long max_age, bool http_only)
{
    char *c = arena_printf(&r->arena, "%s=%s; Path=/; Max-Age=%ld; SameSite=Lax%s%s", name, value,
                           max_age, http_only ? "; HttpOnly" : "",
                           r->app->cfg.secure_cookies ? "; Secure" : "");
    resp_header(r, "Set-Cookie", c);
}

void resp_text(struct req *r, int status, const char *content_type, const char *body, size_t len)
{
    buf_reset(&r->out);
    if (buf_append(&r->out, body, len) != RES_OK) {
        buf_reset(&r->out);
        status = 500;
    }
    r->status = status;
    r->content_type = content_type;
    r->responded = true;
}

void resp_json(struct req *r, int status, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (!s) {
        resp_text(r, 500, "text/plain; charset=utf-8", "internal error", 14);
        return;
    }
    resp_text(r, status, "application/json; charset=utf-8", s, strlen(s));
    free(s);
}

void resp_file(struct req *r, const char *content_type, const char *filename, bool inline_,
               const void *data, size_t len)
{
    /* RFC 6266: an ASCII fallback (Vietnamese letters without marks where possible)
     * plus the exact UTF-8 name percent-encoded in filename*. */
    static const char hex[] = "0123456789ABCDEF";
    if (!filename || !*filename)
        filename = "tai-lieu";
    char *ascii = text_fold(filename);
    for (char *c = ascii; c && *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' || *c == '-'))
            *c = '_';
    struct buf h = BUF_INIT(4096);
    buf_puts(&h, inline_ ? "inline; filename=\"" : "attachment; filename=\"");
    buf_puts(&h, ascii && *ascii ? ascii : "tai-lieu");
    buf_puts(&h, "\"; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("!#$&+-.^_`|~", *p)) {
            buf_putc(&h, (char)*p);
        } else {
            buf_putc(&h, '%');
            buf_putc(&h, hex[*p >> 4]);
            buf_putc(&h, hex[*p & 15]);
        }
    }
    free(ascii);
    resp_header(r, "Content-Disposition", arena_strndup(&r->arena, buf_str(&h), h.len));
    buf_release(&h);
    resp_text(r, 200, content_type, data, len);
}

void resp_redirect(struct req *r, const char *location)
{
    resp_header(r, "Location", location);
    resp_text(r, 303, "text/plain; charset=utf-8", "", 0);
}

void resp_problem(struct req *r, int status, const char *type, const char *title,
                  const char *detail, const struct verrs *errs)
{
    json_t *p = json_object();
    json_object_set_new(p, "type",
                        json_string(arena_printf(&r->arena, "urn:qlvb:problem:%s", type)));
    json_object_set_new(p, "title", json_string(title));
    json_object_set_new(p, "status", json_integer(status));
    if (detail)
        json_object_set_new(p, "detail", json_string(detail));
    json_object_set_new(p, "request_id", json_string(r->id));
    if (errs && errs->count) {
        json_t *e = json_object();
        for (int i = 0; i < errs->count; i++)
            json_object_set_new(e, errs->items[i].field, json_string(errs->items[i].message));
        json_object_set_new(p, "errors", e);
    }
    resp_json(r, status, p);
    r->content_type = "application/problem+json; charset=utf-8";
}

void resp_error(struct req *r, int status, const char *title, const char *detail)
{
    if (r->is_api) {
        const char *type = status == 400   ? "bad_request"
                           : status == 401 ? "unauthenticated"
                           : status == 403 ? "forbidden"
                           : status == 404 ? "not_found"
                           : status == 405 ? "method_not_allowed"
                           : status == 409 ? "conflict"
                           : status == 413 ? "payload_too_large"
                           : status == 423 ? "locked"
                           : status == 503 ? "unavailable"
                                           : "internal";
        resp_problem(r, status, type, title, detail, NULL);
    } else if (html_error) {
        html_error(r, status, title, detail);
    } else {
        const char *t = detail ? arena_printf(&r->arena, "%s\n%s\n", title, detail)
                               : arena_printf(&r->arena, "%s\n", title);
        resp_text(r, status, "text/plain; charset=utf-8", t, strlen(t));
    }
}

void resp_result(struct req *r, result_t res)
{
    switch (res) {
    case RES_OK:
        resp_text(r, 204, "text/plain", "", 0);
        break;
    case RES_INVALID:
        resp_error(r, 400, "Dữ liệu không hợp lệ", "Vui lòng kiểm tra lại thông tin đã nhập.");
        break;
    case RES_NOT_FOUND:
        resp_error(r, 404, "Không tìm thấy",
                   "Đối tượng không tồn tại hoặc bạn không có quyền xem.");
        break;
    case RES_CONFLICT:
        resp_error(r, 409, "Xung đột dữ liệu", "Thao tác trùng với dữ liệu đã có.");
        break;
    case RES_UNAUTHENTICATED:
        resp_error(r, 401, "Chưa đăng nhập", "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.");
        break;
    case RES_FORBIDDEN:
        resp_error(r, 403, "Không có quyền", "Bạn không có quyền thực hiện thao tác này.");
        break;
    case RES_LOCKED:
        resp_error(r, 423, "Tài khoản bị khóa", NULL);
        break;
    case RES_TOO_LARGE:
        resp_error(r, 413, "Dữ liệu quá lớn", NULL);
        break;
    case RES_BUSY:
        resp_header(r, "Retry-After", "1");
        resp_error(r, 503, "Hệ thống đang bận", "Vui lòng thử lại sau giây lát.");
        break;
    case RES_RECONNECT:
    case RES_DB: /* the database is unreachable or failing: nothing was changed */
        resp_header(r, "Retry-After", "5");
        resp_error(r, 503, "Cơ sở dữ liệu tạm thời không truy cập được",
                   "Cơ sở dữ liệu tạm thời không truy cập được. Vui lòng thử lại sau ít phút.");
        break;
    default:
        resp_error(
            r, 500, "Lỗi hệ thống",
            "Đã có lỗi xảy ra. Vui lòng thử lại; nếu vẫn lỗi, báo cho quản trị kèm mã yêu cầu.");
    }
}

void resp_list(struct req *r, result_t res, const char *key, json_t *list)
{
    if (res != RES_OK) {
        json_decref(list);
        resp_result(r, res);
        return;
    }
    json_t *o = json_object();
    json_object_set_new(o, key, list);
    resp_json(r, 200, o);
}
