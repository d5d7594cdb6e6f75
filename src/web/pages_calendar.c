/* /admin/calendar: the working calendar of the installation for system administrators
 * (standards.md §4) — the year's days off with their names, and the form that adds or
 * removes the year's substituted days off and compensating working Saturdays. */
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "util/clock.h"
#include "util/str.h"
#include "web/menu.h"
#include "web/pages.h"
#include "web/render.h"

/* ?year=, default the current year in Vietnam; 0 when given but not 1900–2100. */
static int page_year(struct req *r, const char *s)
{
    int64_t y;
    if (!s || !*s) {
        char iso[40];
        clock_format_iso(clock_now(), iso, sizeof(iso));
        return (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 + (iso[3] - '0');
    }
    (void)r;
    return str_to_i64(s, 1900, 2100, &y) == RES_OK ? (int)y : 0;
}

static void render_calendar(struct req *r, int status, int year, json_t *form,
                            const struct verrs *e)
{
    result_t res = web_screen_check(r, SCREEN_CALENDAR);
    json_t *data = NULL;
    if (res == RES_OK)
        res = year ? calendar_year_json(r->app, &r->actor, year, &data) : RES_NOT_FOUND;
    if (res != RES_OK) {
        json_decref(form);
        resp_result(r, res);
        return;
    }
    const char *kind = json_string_value(json_object_get(form, "kind"));
    bool working = kind && !strcmp(kind, "working_day");
    json_object_set_new(form, "kind_day_off", json_boolean(!working));
    json_object_set_new(form, "kind_working_day", json_boolean(working));
    json_t *ctx = json_pack(
        "{s:s,s:i,s:i,s:i,s:O,s:O,s:O,s:i,s:o}", "title", "Lịch làm việc", "year", year,
        "prev_year", year > 1900 ? year - 1 : 0, "next_year", year < 2100 ? year + 1 : 0,
        "holidays", json_object_get(data, "holidays"), "overrides",
        json_object_get(data, "overrides"), "tet", json_object_get(data, "tet"), "leap_month",
        (int)json_integer_value(json_object_get(data, "leap_month")), "form", form);
    if (e && e->count)
        json_object_set_new(ctx, "errors", verrs_json(e));
    json_decref(data);
    web_render(r, status, "admin_calendar", ctx, "admin_calendar");
}

void page_admin_calendar(struct req *r)
{
    render_calendar(r, 200, page_year(r, req_query(r, "year")),
                    json_pack("{s:s,s:s,s:s}", "date", "", "kind", "day_off", "note", ""), NULL);
}

void page_admin_calendar_post(struct req *r)
{
    const char *date = req_form(r, "date"), *kind = req_form(r, "kind"),
               *note = req_form(r, "note");
    struct verrs e = {0};
    int64_t id = 0;
    result_t res = calendar_override_add(r->app, &r->actor, date, kind, note, &e, &id);
    int year = page_year(r, req_form(r, "year"));
    if (date && strlen(date) == 10) {
        int y = page_year(r, (char[5]){date[0], date[1], date[2], date[3], 0});
        if (y)
            year = y;
    }
    if (res == RES_OK) {
        char to[64];
        snprintf(to, sizeof(to), "/admin/calendar?year=%d", year);
        web_flash(r, "success",
                  kind && !strcmp(kind, "working_day") ? "Đã thêm ngày làm bù."
                                                       : "Đã thêm ngày nghỉ hoán đổi.");
        resp_redirect(r, to);
        return;
    }
    if (res != RES_INVALID && res != RES_CONFLICT) {
        resp_result(r, res);
        return;
    }
    render_calendar(r, 422, year ? year : page_year(r, NULL),
                    json_pack("{s:s,s:s,s:s}", "date", date ? date : "", "kind",
                              kind ? kind : "day_off", "note", note ? note : ""),
                    &e);
}

void page_admin_calendar_remove(struct req *r)
{
    int64_t id = req_param_id(r, "id");
    result_t res = calendar_override_remove(r->app, &r->actor, id);
    int year = page_year(r, req_form(r, "year"));
    char to[64];
    snprintf(to, sizeof(to), "/admin/calendar?year=%d", year ? year : page_year(r, NULL));
    if (res == RES_OK) {
        web_flash(r, "success", "Đã xóa điều chỉnh lịch.");
    } else if (res == RES_NOT_FOUND && web_screen_check(r, SCREEN_CALENDAR) == RES_OK) {
        web_flash(r, "error", "Không tìm thấy điều chỉnh này (có thể đã được xóa).");
    } else {
        resp_result(r, res);
        return;
    }
    resp_redirect(r, to);
}
