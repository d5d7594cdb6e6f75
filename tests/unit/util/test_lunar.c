/* The Vietnamese lunar calendar (util/lunar.c) against published tables: Tết (mùng 1
 * tháng Giêng) and Giỗ Tổ Hùng Vương (10/3 âm lịch) dates, leap months, and the years
 * in which the Vietnamese calendar (UTC+7) and the Chinese one (UTC+8) differ. */
#include <stdio.h>

#include "check.h"
#include "util/lunar.h"

struct ymd {
    int y, m, d;
};

/* Tết Nguyên Đán 2000–2030 as published in Vietnam (the Vietnamese calendar; 2007 and
 * 2030 are a day earlier than in China, standards.md §4 "public holidays including lunar
 * ones"; Wikipedia "Tết" and "Vietnamese calendar" tables). */
static const struct ymd tet_2000_2030[] = {
    {2000, 2, 5},  {2001, 1, 24}, {2002, 2, 12}, {2003, 2, 1},  {2004, 1, 22}, {2005, 2, 9},
    {2006, 1, 29}, {2007, 2, 17}, {2008, 2, 7},  {2009, 1, 26}, {2010, 2, 14}, {2011, 2, 3},
    {2012, 1, 23}, {2013, 2, 10}, {2014, 1, 31}, {2015, 2, 19}, {2016, 2, 8},  {2017, 1, 28},
    {2018, 2, 16}, {2019, 2, 5},  {2020, 1, 25}, {2021, 2, 12}, {2022, 2, 1},  {2023, 1, 22},
    {2024, 2, 10}, {2025, 1, 29}, {2026, 2, 17}, {2027, 2, 6},  {2028, 1, 26}, {2029, 2, 13},
    {2030, 2, 2},
};

/* Spot checks across 1900–2100 (lunar new year tables; in these years the Vietnamese
 * and Chinese dates agree). 2033 is the year of the "2033 problem" (leap month 11). */
static const struct ymd tet_spot[] = {
    {1900, 1, 31}, {1901, 2, 19}, {1910, 2, 10}, {1920, 2, 20}, {1930, 1, 30}, {1945, 2, 13},
    {1954, 2, 3},  {1975, 2, 11}, {1976, 1, 31}, {1979, 1, 28}, {1986, 2, 9},  {1990, 1, 27},
    {1999, 2, 16}, {2031, 1, 23}, {2033, 1, 31}, {2050, 1, 23}, {2100, 2, 9},
};

/* Giỗ Tổ Hùng Vương (10/3 âm lịch), the public holiday announced each year. */
static const struct ymd gio_to[] = {
    {2007, 4, 26}, {2008, 4, 15}, {2009, 4, 4},  {2010, 4, 23}, {2011, 4, 12},
    {2012, 3, 31}, {2013, 4, 19}, {2014, 4, 9},  {2015, 4, 28}, {2016, 4, 16},
    {2017, 4, 6},  {2018, 4, 25}, {2019, 4, 14}, {2020, 4, 2},  {2021, 4, 21},
    {2022, 4, 10}, {2023, 4, 29}, {2024, 4, 18}, {2025, 4, 7},  {2026, 4, 26},
};

/* Years whose Tết differs between Vietnam (UTC+7, since 1967) and China (UTC+8): 1968
 * (North Vietnam's first Tết on UTC+7: 29 January, the South still on 30 January),
 * 1969, 1985 (a whole month: the leap month falls differently), 2007, 2030, 2053
 * (announced by the Vietnamese calendar office, 2006; Wikipedia "Vietnamese calendar"). */
static const struct {
    int year;
    struct ymd vn, cn;
} differ[] = {
    {1968, {1968, 1, 29}, {1968, 1, 30}}, {1969, {1969, 2, 16}, {1969, 2, 17}},
    {1985, {1985, 1, 21}, {1985, 2, 20}}, {2007, {2007, 2, 17}, {2007, 2, 18}},
    {2030, {2030, 2, 2}, {2030, 2, 3}},   {2053, {2053, 2, 18}, {2053, 2, 19}},
};

/* Leap months (tháng nhuận) of the Vietnamese calendar. */
static const struct {
    int year, leap;
} leaps[] = {
    {2001, 4}, {2004, 2}, {2006, 7}, {2009, 5}, {2012, 4},  {2014, 9}, {2017, 6}, {2020, 4},
    {2023, 2}, {2025, 6}, {2028, 5}, {2031, 3}, {2033, 11}, {1984, 0}, {1985, 2}, {2024, 0},
};

static void check_solar(const struct lunar_date *ld, int tz, struct ymd want)
{
    int y = 0, m = 0, d = 0;
    CHECK_INT(lunar_to_solar_tz(ld, tz, &y, &m, &d), RES_OK);
    if (y != want.y || m != want.m || d != want.d)
        fprintf(stderr,
                "  lunar %d/%d/%d%s (tz %+d min): got %04d-%02d-%02d, expected %04d-%02d-%02d\n",
                ld->day, ld->month, ld->year, ld->leap ? " nhuận" : "", tz, y, m, d, want.y, want.m,
                want.d);
    CHECK_INT(y * 10000 + m * 100 + d, want.y * 10000 + want.m * 100 + want.d);
}

TEST(tet_every_year_2000_2030)
{
    for (size_t i = 0; i < sizeof(tet_2000_2030) / sizeof(tet_2000_2030[0]); i++) {
        struct lunar_date ld = {.year = tet_2000_2030[i].y, .month = 1, .day = 1};
        check_solar(&ld, LUNAR_TZ_VN, tet_2000_2030[i]);
        /* and back: the solar date is mùng 1 tháng Giêng, not a leap month */
        struct lunar_date back;
        CHECK_INT(
            lunar_from_solar(tet_2000_2030[i].y, tet_2000_2030[i].m, tet_2000_2030[i].d, &back),
            RES_OK);
        CHECK_INT(back.year * 10000 + back.month * 100 + back.day,
                  tet_2000_2030[i].y * 10000 + 101);
        CHECK(!back.leap);
    }
}

TEST(tet_spot_checks_1900_2100)
{
    for (size_t i = 0; i < sizeof(tet_spot) / sizeof(tet_spot[0]); i++) {
        struct lunar_date ld = {.year = tet_spot[i].y, .month = 1, .day = 1};
        check_solar(&ld, LUNAR_TZ_VN, tet_spot[i]);
    }
}

TEST(gio_to_hung_vuong)
{
    for (size_t i = 0; i < sizeof(gio_to) / sizeof(gio_to[0]); i++) {
        struct lunar_date ld = {.year = gio_to[i].y, .month = 3, .day = 10};
        check_solar(&ld, LUNAR_TZ_VN, gio_to[i]);
    }
}

TEST(vietnam_and_china_differ)
{
    for (size_t i = 0; i < sizeof(differ) / sizeof(differ[0]); i++) {
        struct lunar_date ld = {.year = differ[i].year, .month = 1, .day = 1};
        check_solar(&ld, LUNAR_TZ_VN, differ[i].vn);
        check_solar(&ld, LUNAR_TZ_CHINA, differ[i].cn);
    }
    /* Between 2000 and 2030 only 2007 and 2030 differ. */
    int ndiff = 0;
    for (int y = 2000; y <= 2030; y++) {
        struct lunar_date ld = {.year = y, .month = 1, .day = 1};
        int a[3], b[3];
        CHECK_INT(lunar_to_solar_tz(&ld, LUNAR_TZ_VN, &a[0], &a[1], &a[2]), RES_OK);
        CHECK_INT(lunar_to_solar_tz(&ld, LUNAR_TZ_CHINA, &b[0], &b[1], &b[2]), RES_OK);
        if (a[1] != b[1] || a[2] != b[2]) {
            ndiff++;
            CHECK(y == 2007 || y == 2030);
        }
    }
    CHECK_INT(ndiff, 2);
    /* 1984: China has leap month 10, Vietnam none (its leap month is 2 of 1985). */
    CHECK_INT(lunar_leap_month_tz(1984, LUNAR_TZ_CHINA), 10);
    CHECK_INT(lunar_leap_month_tz(1985, LUNAR_TZ_CHINA), 0);
}

TEST(leap_months)
{
    for (size_t i = 0; i < sizeof(leaps) / sizeof(leaps[0]); i++) {
        if (lunar_leap_month(leaps[i].year) != leaps[i].leap)
            fprintf(stderr, "  leap month of %d: got %d, expected %d\n", leaps[i].year,
                    lunar_leap_month(leaps[i].year), leaps[i].leap);
        CHECK_INT(lunar_leap_month(leaps[i].year), leaps[i].leap);
    }
    /* 2020: the leap 4th month began on 23 May 2020 (after the 4th on 23 April). */
    struct lunar_date ld;
    CHECK_INT(lunar_from_solar(2020, 5, 23, &ld), RES_OK);
    CHECK(ld.year == 2020 && ld.month == 4 && ld.day == 1 && ld.leap);
    CHECK_INT(lunar_from_solar(2020, 4, 23, &ld), RES_OK);
    CHECK(ld.year == 2020 && ld.month == 4 && ld.day == 1 && !ld.leap);
    /* 2023: leap 2nd month from 22 March 2023; 2025: leap 6th month from 25 July 2025. */
    struct lunar_date l2 = {.year = 2023, .month = 2, .day = 1, .leap = true};
    check_solar(&l2, LUNAR_TZ_VN, (struct ymd){2023, 3, 22});
    struct lunar_date l6 = {.year = 2025, .month = 6, .day = 1, .leap = true};
    check_solar(&l6, LUNAR_TZ_VN, (struct ymd){2025, 7, 25});
    /* A leap month that does not exist is refused. */
    struct lunar_date none = {.year = 2024, .month = 6, .day = 1, .leap = true};
    int y, m, d;
    CHECK_INT(lunar_to_solar(&none, &y, &m, &d), RES_INVALID);
}

TEST(known_lunar_dates)
{
    /* Tết Trung thu (15/8) 2024 = 17 September 2024; 2025 = 6 October 2025. */
    struct lunar_date ld;
    CHECK_INT(lunar_from_solar(2024, 9, 17, &ld), RES_OK);
    CHECK(ld.year == 2024 && ld.month == 8 && ld.day == 15 && !ld.leap);
    CHECK_INT(lunar_from_solar(2025, 10, 6, &ld), RES_OK);
    CHECK(ld.year == 2025 && ld.month == 8 && ld.day == 15 && !ld.leap);
    /* The day before Tết 2025 is 29 tháng Chạp of lunar 2024 (a 29-day month). */
    CHECK_INT(lunar_from_solar(2025, 1, 28, &ld), RES_OK);
    CHECK(ld.year == 2024 && ld.month == 12 && ld.day == 29);
    CHECK_INT(lunar_month_length(2024, 12, false), 29);
    /* Early January belongs to the previous lunar year (month 11 or 12). */
    CHECK_INT(lunar_from_solar(1900, 1, 1, &ld), RES_OK);
    CHECK(ld.year == 1899 && ld.month == 12);
}

TEST(round_trip_every_day_1900_2100)
{
    /* Every day of the range converts and converts back; days advance by one and each
     * month has 29 or 30 days; a year has 12 or 13 months. */
    int64_t first = lunar_days_from_civil(1900, 1, 1), last = lunar_days_from_civil(2100, 12, 31);
    struct lunar_date prev = {0};
    int bad = 0, mlen = 0;
    for (int64_t day = first; day <= last && bad < 5; day++) {
        int y, m, d, yy, mm, dd;
        lunar_civil_from_days(day, &y, &m, &d);
        struct lunar_date ld;
        if (lunar_from_solar(y, m, d, &ld) != RES_OK ||
            lunar_to_solar(&ld, &yy, &mm, &dd) != RES_OK || yy != y || mm != m || dd != d) {
            fprintf(stderr, "  round trip fails at %04d-%02d-%02d\n", y, m, d);
            bad++;
            continue;
        }
        if (day > first) {
            bool next_day = ld.year == prev.year && ld.month == prev.month &&
                            ld.leap == prev.leap && ld.day == prev.day + 1;
            bool next_month = ld.day == 1 && (prev.day == 29 || prev.day == 30);
            if (!next_day && !next_month) {
                fprintf(stderr, "  discontinuity at %04d-%02d-%02d\n", y, m, d);
                bad++;
            }
            mlen = next_month ? 1 : mlen + 1;
        }
        prev = ld;
    }
    CHECK_INT(bad, 0);
    CHECK(mlen <= 30);
    for (int y = 1900; y <= 2100; y++) {
        int leap = lunar_leap_month(y);
        CHECK(leap >= 0 && leap <= 12);
    }
}

TEST(bad_input)
{
    struct lunar_date ld;
    int y, m, d;
    CHECK_INT(lunar_from_solar(1899, 12, 31, &ld), RES_INVALID);
    CHECK_INT(lunar_from_solar(2101, 1, 1, &ld), RES_INVALID);
    CHECK_INT(lunar_from_solar(2025, 2, 29, &ld), RES_INVALID);
    CHECK_INT(lunar_from_solar(2025, 13, 1, &ld), RES_INVALID);
    struct lunar_date day31 = {.year = 2025, .month = 1, .day = 31};
    CHECK_INT(lunar_to_solar(&day31, &y, &m, &d), RES_INVALID);
    struct lunar_date m13 = {.year = 2025, .month = 13, .day = 1};
    CHECK_INT(lunar_to_solar(&m13, &y, &m, &d), RES_INVALID);
}

int main(void)
{
    RUN(tet_every_year_2000_2030);
    RUN(tet_spot_checks_1900_2100);
    RUN(gio_to_hung_vuong);
    RUN(vietnam_and_china_differ);
    RUN(leap_months);
    RUN(known_lunar_dates);
    RUN(round_trip_every_day_1900_2100);
    RUN(bad_input);
    return CHECK_DONE("test_lunar");
}
