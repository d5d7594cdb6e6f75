/* /api/v1/calendar: the working calendar of a year (any signed-in user) and the
 * installation's overrides — substituted days off and working Saturdays (system
 * administrators; core/calendar.c checks the policy and writes the audit row). */
#include <string.h>

#include "api/api.h"
#include "core/calendar.h"
#include "util/str.h"

void api_calendar_year(struct req *r)
{
    int64_t y;
    const char *s = req_param(r, "year");
    if (!s || str_to_i64(s, 1900, 2100, &y) != RES_OK) {
        resp_problem(r, 404, "about:blank", "Không có năm này",
                     "Lịch làm việc có cho các năm từ 1900 đến 2100.", NULL);
        return;
    }
    json_t *out = NULL;
    result_t res = calendar_year_json(r->app, &r->actor, (int)y, &out);
    if (res != RES_OK) {
        resp_result(r, res);
        return;
    }
    resp_json(r, 200, out);
}

void api_calendar_override_add(struct req *r)
{
    json_t *in = req_json(r);
    if (!in)
        return;
    static const char *const known[] = {"date", "kind", "note", NULL};
    struct verrs e = {0};
    json_unknown_members(in, known, &e);
    int64_t id = 0;
    const char *date = json_str(in, "date");
    result_t res = e.count ? RES_INVALID
                           : calendar_override_add(r->app, &r->actor, date, json_str(in, "kind"),
                                                   json_str(in, "note"), &e, &id);
    if (res == RES_OK) {
        /* The row as stored (the note cleaned), from the year's view. */
        json_t *year = NULL, *row = NULL;
        int64_t y = 0;
        if (date && strlen(date) >= 4)
            str_to_i64((char[5]){date[0], date[1], date[2], date[3], 0}, 1900, 2100, &y);
        if (calendar_year_json(r->app, &r->actor, (int)y, &year) == RES_OK) {
            size_t i;
            json_t *o;
            json_array_foreach(json_object_get(year, "overrides"), i, o)
            {
                if (json_integer_value(json_object_get(o, "id")) == id)
                    row = json_incref(o);
            }
            json_decref(year);
        }
        resp_json(r, 201, row ? row : json_pack("{s:I}", "id", (json_int_t)id));
        return;
    }
    if ((res == RES_INVALID || res == RES_CONFLICT) && e.count) {
        resp_problem(r, res == RES_CONFLICT ? 409 : 422, "validation", "Dữ liệu không hợp lệ",
                     "Vui lòng kiểm tra các trường được báo lỗi.", &e);
        return;
    }
    resp_result(r, res);
}

void api_calendar_override_remove(struct req *r)
{
    resp_result(r, calendar_override_remove(r->app, &r->actor, req_param_id(r, "id")));
}
