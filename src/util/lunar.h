/* The Vietnamese lunisolar calendar (âm lịch), computed astronomically for the years
 * 1900–2100 at the Vietnam meridian (UTC+7): new moons and the sun's longitude from
 * Meeus' series, month 11 holds the winter solstice, the leap month is the first month
 * of a 13-month year without a major solar term. Pure computation (docs "Calendar"). */
#ifndef QLVB_LUNAR_H
#define QLVB_LUNAR_H

#include <stdbool.h>
#include <stdint.h>

#include "util/result.h"

#define LUNAR_MIN_YEAR 1900
#define LUNAR_MAX_YEAR 2100
#define LUNAR_TZ_VN    420 /* minutes east of UTC: the Vietnamese calendar */
#define LUNAR_TZ_CHINA 480 /* the Chinese calendar, for comparisons only */

struct lunar_date {
    int year;  /* lunar year (the Gregorian year in which its month 1 begins) */
    int month; /* 1..12 */
    int day;   /* 1..30 */
    bool leap; /* tháng nhuận: the leap month repeats the number of the month before */
};

/* Days since 1970-01-01 of a Gregorian date, and back. No range check. */
int64_t lunar_days_from_civil(int y, int m, int d);
void lunar_civil_from_days(int64_t days, int *y, int *m, int *d);

/* Gregorian date (1900-01-01 .. 2100-12-31) to lunar date at the given time zone
 * (minutes east of UTC; LUNAR_TZ_VN for Vietnam). RES_INVALID out of range. */
result_t lunar_from_solar_tz(int y, int m, int d, int tz_minutes, struct lunar_date *out);
result_t lunar_from_solar(int y, int m, int d, struct lunar_date *out);
/* Lunar date to Gregorian; RES_INVALID for a month that does not exist (no such leap
 * month that year) or a day past the month's length, or a year outside 1900–2100. */
result_t lunar_to_solar_tz(const struct lunar_date *ld, int tz_minutes, int *y, int *m, int *d);
result_t lunar_to_solar(const struct lunar_date *ld, int *y, int *m, int *d);
/* The leap month of lunar year `year` (1..12), or 0 when the year has none. */
int lunar_leap_month_tz(int year, int tz_minutes);
int lunar_leap_month(int year);
/* Days in a lunar month (29 or 30); 0 if it does not exist. */
int lunar_month_length(int year, int month, bool leap);

#endif
