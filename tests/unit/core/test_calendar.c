/* The working calendar (core/calendar.c): Labour Code 2019 holidays (Điều 112) with
 * compensation (Điều 111.3), the receipt-time rule of standards.md §4 (Lạng Sơn Điều
 * 11.2, Khánh Hòa Điều 10.2) across weekends, holidays and the lunch break, working-day
 * additions across Tết, deadlines and due-soon (issue 11 "Arrival time"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/calendar.h"
#include "util/clock.h"
#include "util/lunar.h"

static struct calendar cal;

static void fresh(void)
{
    unsetenv("QLVB_WORK_DAYS");
    unsetenv("QLVB_OFFICE_HOURS");
    unsetenv("QLVB_DUE_SOON_DAYS");
    CHECK_INT(calendar_init(&cal), RES_OK);
}

static int64_t day(int y, int m, int d)
{
    return lunar_days_from_civil(y, m, d);
}

/* UTC seconds of a Vietnam wall-clock time. */
static int64_t vn(int y, int m, int d, int hh, int mm)
{
    return day(y, m, d) * 86400 + hh * 3600 + mm * 60 - VN_UTC_OFFSET;
}

static const char *iso(int64_t t)
{
    static char buf[4][40];
    static int k;
    k = (k + 1) % 4;
    clock_format_iso(t, buf[k], sizeof(buf[k]));
    return buf[k];
}

static bool has_day_off(int year, int64_t d, const char *name_prefix)
{
    struct cal_holiday h[96];
    int n = calendar_holidays(&cal, year, h, 96);
    for (int i = 0; i < n; i++)
        if (h[i].day == d &&
            (!name_prefix || !strncmp(h[i].name, name_prefix, strlen(name_prefix))))
            return true;
    return false;
}

TEST(holidays_of_2025)
{
    /* 2025: Tết 29/1 (Ất Tỵ): 28/1 (29 Tết) .. 1/2; 1/2 is a Saturday → made up on Monday
     * 3/2. Giỗ Tổ 7/4. 30/4 Wednesday, 1/5 Thursday. 2/9 Tuesday with 1/9 Monday. */
    fresh();
    struct cal_holiday h[96];
    int n = calendar_holidays(&cal, 2025, h, 96);
    static const struct {
        int m, d;
        const char *name;
    } want[] = {
        {1, 1, "Tết Dương lịch"},
        {1, 28, "Tết Nguyên Đán (29 Tết)"},
        {1, 29, "Tết Nguyên Đán (mùng 1)"},
        {1, 30, "Tết Nguyên Đán (mùng 2)"},
        {1, 31, "Tết Nguyên Đán (mùng 3)"},
        {2, 1, "Tết Nguyên Đán (mùng 4)"},
        {2, 3, "Nghỉ bù Tết Nguyên Đán (mùng 4)"},
        {4, 7, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"},
        {4, 30, "Ngày Chiến thắng (30/4)"},
        {5, 1, "Ngày Quốc tế Lao động (1/5)"},
        {9, 1, "Quốc khánh (nghỉ liền kề 1/9)"},
        {9, 2, "Quốc khánh (2/9)"},
    };
    CHECK_INT(n, (int)(sizeof(want) / sizeof(want[0])));
    for (int i = 0; i < n && i < (int)(sizeof(want) / sizeof(want[0])); i++) {
        CHECK_INT(h[i].day, day(2025, want[i].m, want[i].d));
        CHECK_STR(h[i].name, want[i].name);
    }
    CHECK(!calendar_is_working_day(&cal, day(2025, 2, 3)));
    CHECK(calendar_is_working_day(&cal, day(2025, 2, 4)));
}

TEST(compensation_on_rest_days)
{
    fresh();
    /* 2022: 30/4 Saturday and 1/5 Sunday → Monday 2/5 and Tuesday 3/5 (as announced). */
    CHECK(has_day_off(2022, day(2022, 5, 2), "Nghỉ bù Ngày Chiến thắng"));
    CHECK(has_day_off(2022, day(2022, 5, 3), "Nghỉ bù Ngày Quốc tế Lao động"));
    CHECK(calendar_is_working_day(&cal, day(2022, 5, 4)));
    /* 2024: Tết Saturday 10/2: 9/2 (30 Tết) .. 13/2, weekend days made up on 14/2, 15/2. */
    CHECK(has_day_off(2024, day(2024, 2, 9), "Tết Nguyên Đán (30 Tết)"));
    CHECK(has_day_off(2024, day(2024, 2, 14), "Nghỉ bù"));
    CHECK(has_day_off(2024, day(2024, 2, 15), "Nghỉ bù"));
    CHECK(calendar_is_working_day(&cal, day(2024, 2, 16)));
    /* 2026: 1/1 Thursday, no compensation; 2023: 1/1 Sunday → Monday 2/1. */
    CHECK(calendar_is_working_day(&cal, day(2026, 1, 2)));
    CHECK(has_day_off(2023, day(2023, 1, 2), "Nghỉ bù Tết Dương lịch"));
}

TEST(national_day_adjacent)
{
    fresh();
    /* Điều 112.1.đ: 2/9 and one day before or after (decided yearly, Điều 112.3). */
    CHECK(has_day_off(2025, day(2025, 9, 1), "Quốc khánh")); /* 2/9 Tuesday → Monday 1/9 */
    CHECK(calendar_is_working_day(&cal, day(2025, 9, 3)));
    CHECK(has_day_off(2024, day(2024, 9, 3), "Quốc khánh")); /* Monday → Tuesday 3/9 */
    CHECK(calendar_is_working_day(&cal, day(2024, 8, 30)));
    CHECK(has_day_off(2021, day(2021, 9, 3), "Quốc khánh")); /* Thursday → Friday 3/9 */
    CHECK(has_day_off(2022, day(2022, 9, 1), "Quốc khánh")); /* Friday → Thursday 1/9 */
    /* 2023: 2/9 Saturday, 1/9 Friday off, 2/9 made up on Monday 4/9. */
    CHECK(has_day_off(2023, day(2023, 9, 1), "Quốc khánh"));
    CHECK(has_day_off(2023, day(2023, 9, 4), "Nghỉ bù Quốc khánh (2/9)"));
    CHECK(calendar_is_working_day(&cal, day(2023, 9, 5)));
}

TEST(overrides)
{
    fresh();
    /* 2024 as the Prime Minister set it: off from Thursday 8/2; Thursday 15/2 worked. */
    CHECK_INT(calendar_add_override(&cal, day(2024, 2, 8), CAL_OV_DAY_OFF), RES_OK);
    CHECK_INT(calendar_add_override(&cal, day(2024, 2, 15), CAL_OV_WORKING_DAY), RES_OK);
    CHECK_INT(calendar_add_override(&cal, day(2024, 2, 15), CAL_OV_DAY_OFF), RES_CONFLICT);
    CHECK(!calendar_is_working_day(&cal, day(2024, 2, 8)));
    CHECK(calendar_is_working_day(&cal, day(2024, 2, 15)));
    CHECK(has_day_off(2024, day(2024, 2, 8), "Ngày nghỉ hoán đổi"));
    CHECK(!has_day_off(2024, day(2024, 2, 15), NULL));
    /* A compensating working Saturday. */
    CHECK_INT(calendar_add_override(&cal, day(2025, 1, 4), CAL_OV_WORKING_DAY), RES_OK);
    CHECK(calendar_is_working_day(&cal, day(2025, 1, 4)));
    CHECK(!calendar_is_working_day(&cal, day(2025, 1, 11)));
}

TEST(receipt_time)
{
    fresh();
    /* Inside a period: unchanged. Morning edge included, end edge excluded. */
    CHECK_STR(iso(calendar_receipt_time(&cal, vn(2025, 3, 5, 9, 0))), "2025-03-05T09:00:00+07:00");
    CHECK_STR(iso(calendar_receipt_time(&cal, vn(2025, 3, 5, 7, 30))), "2025-03-05T07:30:00+07:00");
    /* Before office hours: the same morning. */
    CHECK_STR(iso(calendar_receipt_time(&cal, vn(2025, 3, 5, 6, 10))), "2025-03-05T07:30:00+07:00");
    /* Lunch break (and exactly 11:30): the afternoon period. */
    CHECK_STR(iso(calendar_receipt_time(&cal, vn(2025, 3, 5, 12, 0))), "2025-03-05T13:30:00+07:00");
    CHECK_STR(iso(calendar_receipt_time(&cal, vn(2025, 3, 5, 11, 30))),
              "2025-03-05T13:30:00+07:00");
    /* After 17:00: the next morning; Friday evening and the weekend: Monday. */
    CHECK_STR(iso(calendar_receipt_time(&cal, vn(2025, 3, 5, 17, 0))), "2025-03-06T07:30:00+07:00");
    CHECK_STR(iso(calendar_receipt_time(&cal, vn(2025, 3, 7, 21, 45))),
              "2025-03-10T07:30:00+07:00");
    CHECK_STR(iso(calendar_receipt_time(&cal, vn(2025, 3, 9, 10, 0))), "2025-03-10T07:30:00+07:00");
    /* Before Tết 2025 (Monday 27/1 evening): Tết, the weekend and the compensation
     * day pass, received Tuesday 4/2 morning. */
    CHECK_STR(iso(calendar_receipt_time(&cal, vn(2025, 1, 27, 18, 0))),
              "2025-02-04T07:30:00+07:00");
    /* 30/4 and 1/5 2025: received Friday 2/5. */
    CHECK_STR(iso(calendar_receipt_time(&cal, vn(2025, 4, 29, 17, 5))),
              "2025-05-02T07:30:00+07:00");
    /* Giỗ Tổ 2025 (Monday 7/4) after a weekend: Tuesday 8/4. */
    CHECK_STR(iso(calendar_receipt_time(&cal, vn(2025, 4, 4, 17, 30))),
              "2025-04-08T07:30:00+07:00");
    /* A compensating working Saturday receives on Saturday. */
    CHECK_INT(calendar_add_override(&cal, day(2025, 3, 8), CAL_OV_WORKING_DAY), RES_OK);
    CHECK_STR(iso(calendar_receipt_time(&cal, vn(2025, 3, 7, 21, 45))),
              "2025-03-08T07:30:00+07:00");
    /* Times are UTC inside: 23:00 UTC on Tuesday is 06:00 Wednesday in Vietnam. */
    CHECK_STR(iso(calendar_receipt_time(&cal, day(2025, 3, 4) * 86400 + 23 * 3600)),
              "2025-03-05T07:30:00+07:00");
}

TEST(configured_hours_and_days)
{
    fresh();
    CHECK_INT(calendar_set_office_hours(&cal, "08:00-12:00,13:00-17:30"), RES_OK);
    CHECK_STR(iso(calendar_receipt_time(&cal, vn(2025, 3, 5, 12, 30))),
              "2025-03-05T13:00:00+07:00");
    CHECK_STR(iso(calendar_receipt_time(&cal, vn(2025, 3, 5, 17, 10))),
              "2025-03-05T17:10:00+07:00");
    CHECK_INT(calendar_set_work_days(&cal, "1-6"), RES_OK); /* Saturday too */
    CHECK_STR(iso(calendar_receipt_time(&cal, vn(2025, 3, 7, 18, 0))), "2025-03-08T08:00:00+07:00");
    CHECK_INT(calendar_set_office_hours(&cal, "12:00-11:00"), RES_INVALID);
    CHECK_INT(calendar_set_office_hours(&cal, "07:30-11:30,11:00-17:00"), RES_INVALID);
    CHECK_INT(calendar_set_office_hours(&cal, "7:30-11:30"), RES_INVALID);
    CHECK_INT(calendar_set_work_days(&cal, "1-8"), RES_INVALID);
    CHECK_INT(calendar_set_work_days(&cal, ""), RES_INVALID);
    /* The environment configures the installation; a bad value keeps the default. */
    setenv("QLVB_WORK_DAYS", "1,2,3,4,5,6", 1);
    setenv("QLVB_DUE_SOON_DAYS", "3", 1);
    CHECK_INT(calendar_init(&cal), RES_OK);
    CHECK(calendar_is_working_day(&cal, day(2025, 3, 8)));
    CHECK_INT(cal.due_soon_days, 3);
    setenv("QLVB_OFFICE_HOURS", "garbage", 1);
    CHECK_INT(calendar_init(&cal), RES_INVALID);
    CHECK_INT(cal.nperiods, 2);
    fresh();
}

TEST(working_day_additions)
{
    fresh();
    char s[16];
    /* Friday 24/1/2025 + 3 working days crosses Tết: 27/1, then 4/2, 5/2. */
    calendar_format_day(calendar_add_working_days(&cal, day(2025, 1, 24), 3), s, sizeof(s));
    CHECK_STR(s, "2025-02-05");
    /* And back. */
    calendar_format_day(calendar_add_working_days(&cal, day(2025, 2, 5), -3), s, sizeof(s));
    CHECK_STR(s, "2025-01-24");
    /* Tết 2024: Thursday 8/2 + 1 → Friday 16/2. */
    calendar_format_day(calendar_add_working_days(&cal, day(2024, 2, 8), 1), s, sizeof(s));
    CHECK_STR(s, "2024-02-16");
    /* 0 keeps the day; across a year end: Wednesday 31/12/2025 + 1 → Friday 2/1/2026. */
    CHECK_INT(calendar_add_working_days(&cal, day(2025, 3, 8), 0), day(2025, 3, 8));
    calendar_format_day(calendar_add_working_days(&cal, day(2025, 12, 31), 1), s, sizeof(s));
    CHECK_STR(s, "2026-01-02");
    CHECK_INT(calendar_working_days_between(&cal, day(2025, 1, 24), day(2025, 2, 5)), 3);
    CHECK_INT(calendar_working_days_between(&cal, day(2025, 2, 5), day(2025, 1, 24)), -3);
    /* A whole year 2025: 365 days − 104 weekend days − 11 weekday days off = 250. */
    CHECK_INT(calendar_working_days_between(&cal, day(2024, 12, 31), day(2025, 12, 31)), 250);
}

TEST(deadlines_and_due_soon)
{
    fresh();
    /* Received Friday 24/1/2025 18:00 → counts from Monday 27/1; 5 working days after it
     * (4/2, 5/2, 6/2, 7/2, 10/2) at the end of office hours. */
    int64_t dl = calendar_deadline(&cal, vn(2025, 1, 24, 18, 0), 5);
    CHECK_STR(iso(dl), "2025-02-10T17:00:00+07:00");
    CHECK(!calendar_is_overdue(vn(2025, 2, 10, 16, 59), dl));
    CHECK(calendar_is_overdue(vn(2025, 2, 10, 17, 1), dl));
    /* Due soon: within 2 working days (default). On 6/2: 7/2, 10/2 = 2 → due soon. */
    CHECK(calendar_is_due_soon(&cal, vn(2025, 2, 6, 9, 0), dl));
    CHECK(!calendar_is_due_soon(&cal, vn(2025, 2, 5, 9, 0), dl));
    /* During Tết it is not yet due soon: 31/1 → 4/2 .. 10/2 are 5 working days. */
    CHECK(!calendar_is_due_soon(&cal, vn(2025, 1, 31, 9, 0), dl));
    CHECK(!calendar_is_due_soon(&cal, vn(2025, 2, 11, 9, 0), dl)); /* overdue, not due soon */
}

TEST(parse_and_format)
{
    int64_t d;
    CHECK_INT(calendar_parse_day("2025-02-28", &d), RES_OK);
    CHECK_INT(d, day(2025, 2, 28));
    CHECK_INT(calendar_parse_day("2025-02-29", &d), RES_INVALID);
    CHECK_INT(calendar_parse_day("2024-02-29", &d), RES_OK);
    CHECK_INT(calendar_parse_day("1899-12-31", &d), RES_INVALID);
    CHECK_INT(calendar_parse_day("2025-1-01", &d), RES_INVALID);
    CHECK_INT(calendar_parse_day("2025-01-01x", &d), RES_INVALID);
    CHECK_INT(calendar_parse_day(NULL, &d), RES_INVALID);
    CHECK_INT(calendar_weekday(day(2025, 1, 29)), 3); /* Wednesday */
    CHECK_INT(calendar_day_of(vn(2025, 1, 1, 0, 0)), day(2025, 1, 1));
    CHECK_INT(calendar_day_of(vn(2025, 1, 1, 0, 0) - 1), day(2024, 12, 31));
}

TEST(iso_to_vn)
{
    char out[11] = "xxxxxxxxxx";
    CHECK(calendar_iso_to_vn("2026-12-03", out));
    CHECK_STR(out, "03/12/2026");
    CHECK(calendar_iso_to_vn("1900-01-31", out));
    CHECK_STR(out, "31/01/1900");
    /* the shape only: a display helper, not validation (calendar_parse_day is) */
    CHECK(calendar_iso_to_vn("2025-02-29", out));
    CHECK_STR(out, "29/02/2025");
    static const char *const bad[] = {"",
                                      "2026",
                                      "2026-12-0",
                                      "2026-12-3x",
                                      "2026/12/03",
                                      "20261203xx",
                                      "2026-1-03x",
                                      "２026-12-03",
                                      "2026-12-03T09:05:00+07:00",
                                      "2026-12-03 ",
                                      "abcd-ef-gh"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memcpy(out, "xxxxxxxxxx", 11);
        CHECK(!calendar_iso_to_vn(bad[i], out));
        CHECK_STR(out, "");
    }
    memcpy(out, "xxxxxxxxxx", 11);
    CHECK(!calendar_iso_to_vn(NULL, out));
    CHECK_STR(out, "");
}

int main(void)
{
    RUN(holidays_of_2025);
    RUN(compensation_on_rest_days);
    RUN(national_day_adjacent);
    RUN(overrides);
    RUN(receipt_time);
    RUN(configured_hours_and_days);
    RUN(working_day_additions);
    RUN(deadlines_and_due_soon);
    RUN(parse_and_format);
    RUN(iso_to_vn);
    return CHECK_DONE("test_calendar");
}
