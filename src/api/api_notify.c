/* /api/v1/notifications: the signed-in person's notifications (core/notify.h) — the
 * list (newest first, keyset paging, unread filter), the unread count, marking read. */
#include <string.h>

#include "api/api.h"
#include "core/notify.h"
#include "util/str.h"

static void bad_param(struct req *r, const char *detail)
{
    resp_problem(r, 400, "about:blank", "Tham số không hợp lệ", detail, NULL);
}

void api_notifications_list(struct req *r)
{
    struct notify_query q = {0};
    const char *unread = req_query(r, "unread"), *before = req_query(r, "before"),
               *limit = req_query(r, "limit");
    if (unread) {
        if (!strcmp(unread, "1") || !strcmp(unread, "true"))
            q.unread = true;
        else if (strcmp(unread, "0") && strcmp(unread, "false")) {
            bad_param(r, "unread phải là true hoặc false.");
            return;
        }
    }
    int64_t v = 0;
    if (before) {
        if (str_to_i64(before, 1, INT64_MAX, &v) != RES_OK) {
            bad_param(r, "before phải là mã thông báo (số nguyên dương).");
            return;
        }
        q.before = v;
    }
    if (limit) {
        if (str_to_i64(limit, 1, NOTIFY_PAGE_MAX, &v) != RES_OK) {
            bad_param(r, "limit phải là số nguyên từ 1 đến 100.");
            return;
        }
        q.limit = (int)v;
    }
    json_t *out = NULL;
    result_t res = notify_list(r->app, &r->actor, &q, &out);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, 200, out);
}

void api_notifications_count(struct req *r)
{
    int64_t n = 0;
    result_t res = notify_unread_count(r->app, &r->actor, &n);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, 200,
              json_pack("{s:I,s:b}", "unread", (json_int_t)n, "capped", n >= NOTIFY_COUNT_CAP));
}

void api_notifications_read(struct req *r)
{
    json_t *in = req_json(r);
    if (!in)
        return;
    static const char *const known[] = {"ids", "all", "upto", NULL};
    struct verrs e = {0};
    json_unknown_members(in, known, &e);
    json_t *ids = json_object_get(in, "ids"), *all = json_object_get(in, "all"),
           *upto = json_object_get(in, "upto");
    int64_t list[NOTIFY_READ_IDS_MAX];
    size_t n = 0;
    bool every = all && json_is_true(all);
    if (all && !json_is_boolean(all))
        verrs_add(&e, "all", "all phải là true hoặc false.");
    if (ids && !json_is_null(ids)) {
        if (!json_is_array(ids) || json_array_size(ids) == 0)
            verrs_add(&e, "ids", "ids phải là danh sách mã thông báo (ít nhất một).");
        else if (json_array_size(ids) > NOTIFY_READ_IDS_MAX)
            verrs_add(&e, "ids", "Mỗi lần đánh dấu tối đa %d thông báo.", NOTIFY_READ_IDS_MAX);
        else {
            size_t i;
            json_t *x;
            json_array_foreach(ids, i, x)
            {
                if (!json_is_integer(x) || json_integer_value(x) <= 0) {
                    verrs_add(&e, "ids", "Mỗi mã thông báo phải là số nguyên dương.");
                    break;
                }
                list[n++] = json_integer_value(x);
            }
        }
        if (every)
            verrs_add(&e, "all", "Chọn một trong hai: ids hoặc all.");
    } else if (!every && !e.count) {
        verrs_add(&e, "ids", "Vui lòng gửi ids (các thông báo) hoặc all: true (tất cả).");
    }
    int64_t until = 0;
    if (upto && !json_is_null(upto)) {
        if (!json_is_integer(upto) || json_integer_value(upto) <= 0)
            verrs_add(&e, "upto", "upto phải là thời điểm (giây Unix, số nguyên dương).");
        else if (!every)
            verrs_add(&e, "upto", "upto chỉ dùng với all: true.");
        else
            until = json_integer_value(upto);
    }
    if (e.count) {
        resp_problem(r, 422, "validation", "Dữ liệu không hợp lệ",
                     "Vui lòng kiểm tra các trường được báo lỗi.", &e);
        return;
    }
    int64_t marked = 0, unread = 0;
    result_t res = notify_mark_read(r->app, &r->actor, list, n, until, &marked);
    if (res == RES_OK)
        res = notify_unread_count(r->app, &r->actor, &unread);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, 200,
              json_pack("{s:I,s:I}", "marked", (json_int_t)marked, "unread", (json_int_t)unread));
}
