/* /notifications: the signed-in person's notifications (core/notify.h), newest first,
 * all or only the unread ones, with links to their documents, "mark read" per row and
 * "mark all read" (up to the newest one shown, so one arriving meanwhile stays unread). */
#include <stdio.h>
#include <string.h>

#include "core/notify.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/pages.h"
#include "web/render.h"

void page_notifications(struct req *r)
{
    struct notify_query q = {.limit = 30};
    const char *unread = req_query(r, "unread"), *before = req_query(r, "before");
    q.unread = unread && !strcmp(unread, "1");
    int64_t v = 0;
    if (before && str_to_i64(before, 1, INT64_MAX, &v) == RES_OK)
        q.before = v; /* anything else starts from the newest */
    json_t *data = NULL;
    result_t res = notify_list(r->app, &r->actor, &q, &data);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    json_t *items = json_object_get(data, "items");
    int64_t newest = 0;
    size_t i;
    json_t *n;
    json_array_foreach(items, i, n)
    {
        char when[40];
        int64_t t = json_integer_value(json_object_get(n, "created_at_unix"));
        if (t > newest)
            newest = t;
        clock_format_vn(t, when, sizeof(when));
        json_object_set_new(n, "created_at_display", json_string(when));
        json_object_set_new(n, "unread", json_boolean(!json_is_true(json_object_get(n, "read"))));
        json_t *doc = json_object_get(n, "document_id");
        if (json_is_integer(doc))
            json_object_set_new(
                n, "href", json_sprintf("/documents/%lld", (long long)json_integer_value(doc)));
    }
    json_t *next = json_object_get(data, "next_before");
    json_int_t unread_n = json_integer_value(json_object_get(data, "unread"));
    json_t *ctx = json_pack("{s:s,s:O,s:b,s:I,s:b,s:I,s:s}", "title", "Thông báo", "items", items,
                            "only_unread", q.unread, "unread_count", unread_n, "has_unread",
                            unread_n > 0, "upto", (json_int_t)(newest ? newest : clock_now()),
                            "filter", q.unread ? "1" : "0");
    json_t *page = json_object();
    if (json_is_integer(next))
        json_object_set_new(page, "next_href",
                            json_sprintf("/notifications?%sbefore=%lld",
                                         q.unread ? "unread=1&" : "",
                                         (long long)json_integer_value(next)));
    if (q.before)
        json_object_set_new(page, "first_href",
                            json_string(q.unread ? "/notifications?unread=1" : "/notifications"));
    if (json_object_size(page))
        json_object_set_new(ctx, "page", page);
    else
        json_decref(page);
    json_decref(data);
    web_render(r, 200, "notifications", ctx, "notifications");
}

void page_notifications_read(struct req *r)
{
    const char *id = req_form(r, "id"), *upto = req_form(r, "upto"),
               *filter = req_form(r, "filter");
    const char *back =
        filter && !strcmp(filter, "1") ? "/notifications?unread=1" : "/notifications";
    int64_t one = 0, until = 0, marked = 0;
    result_t res;
    if (id) {
        if (str_to_i64(id, 1, INT64_MAX, &one) != RES_OK) {
            resp_error(r, 404, "Không tìm thấy", "Không có thông báo này.");
            return;
        }
        res = notify_mark_read(r->app, &r->actor, &one, 1, 0, &marked);
    } else {
        if (upto && str_to_i64(upto, 1, INT64_MAX, &until) != RES_OK)
            until = 0; /* a malformed time: up to now */
        res = notify_mark_read(r->app, &r->actor, NULL, 0, until, &marked);
    }
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    if (!id) {
        char msg[120];
        snprintf(msg, sizeof(msg), "Đã đánh dấu đã đọc %lld thông báo.", (long long)marked);
        web_flash(r, "success", msg);
    }
    resp_redirect(r, back);
}
