/* The working calendar of the installation (standards.md §4): working days, office
 * hours, the public holidays of the Labour Code 2019 (Điều 112, with the weekly-rest
 * compensation of Điều 111.3) including the lunar ones, and each year's overrides kept
 * by a system administrator. Receipt time, working-day deadlines and due-soon use it. */
#ifndef QLVB_CORE_CALENDAR_H
#define QLVB_CORE_CALENDAR_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/app.h"
#include "core/verr.h"
#include "util/result.h"

/* A date is a day number: days since 1970-01-01 (Vietnam date). */
#define CAL_MAX_PERIODS   4
#define CAL_MAX_OVERRIDES 1024 /* of the whole installation */
#define CAL_MAX_PER_YEAR  60   /* overrides in one year: more is a mistake */
#define CAL_NOTE_MAX      200  /* characters of an override's note */

enum cal_kind {
    CAL_NEW_YEAR,     /* Tết Dương lịch 1/1 */
    CAL_TET,          /* Tết Nguyên Đán: last day of the lunar year + mùng 1–4 */
    CAL_HUNG_KINGS,   /* Giỗ Tổ Hùng Vương 10/3 âm lịch */
    CAL_VICTORY,      /* 30/4 */
    CAL_LABOUR,       /* 1/5 */
    CAL_NATIONAL,     /* Quốc khánh 2/9 and its adjacent day */
    CAL_COMPENSATION, /* nghỉ bù: a holiday fell on a weekly rest day */
    CAL_SUBSTITUTE,   /* a day off set by the installation (override) */
};

enum cal_override_kind {
    CAL_OV_DAY_OFF,     /* ngày nghỉ hoán đổi: a day off that is otherwise a working day */
    CAL_OV_WORKING_DAY, /* ngày làm bù: a working day that is otherwise off (a Saturday) */
};

struct cal_override {
    int64_t id;
    int64_t day;
    enum cal_override_kind kind; /* notes stay in the database (calendar_year_json) */
};

struct cal_holiday {
    int64_t day;
    enum cal_kind kind;
    char name[160]; /* Vietnamese */
};

struct cal_period {
    int start, end; /* minutes after local midnight, start < end */
};

struct calendar {
    unsigned work_days; /* bit w set: weekday w (0 = Sunday … 6 = Saturday) is a working day */
    struct cal_period periods[CAL_MAX_PERIODS];
    int nperiods;
    int due_soon_days;
    struct cal_override overrides[CAL_MAX_OVERRIDES];
    int noverrides;
    /* Computed statutory days off and compensation days of a few years (no overrides). */
    struct cal_year_cache {
        int year; /* 0: empty */
        int n;
        struct cal_holiday days[24];
    } cache[3];
    int cache_next;
};

/* Defaults: Mon–Fri, 07:30–11:30 and 13:30–17:00, due soon within 2 working days; then
 * QLVB_WORK_DAYS ("1-5", "1,2,3,4,5,6"; 0 or 7 = Sunday), QLVB_OFFICE_HOURS
 * ("07:30-11:30,13:30-17:00") and QLVB_DUE_SOON_DAYS. RES_INVALID (defaults kept) if a
 * variable is malformed. No overrides. */
result_t calendar_init(struct calendar *cal);
result_t calendar_set_work_days(struct calendar *cal, const char *spec);
result_t calendar_set_office_hours(struct calendar *cal, const char *spec);
/* Loads every override of the installation from the database (table calendar_override). */
result_t calendar_load(struct calendar *cal, struct app *app);
/* Adds an override in memory only (tests, the loader). RES_CONFLICT if the day has one. */
result_t calendar_add_override(struct calendar *cal, int64_t day, enum cal_override_kind kind);

/* The days off of Gregorian year `year` (1900–2100), in date order: statutory holidays
 * (also those on a rest day), compensation days and override days off, without the
 * days an override makes working days. Returns how many were written (≤ max), or -1. */
int calendar_holidays(struct calendar *cal, int year, struct cal_holiday *out, int max);
bool calendar_is_working_day(struct calendar *cal, int64_t day);
/* The day `n` working days after `day` (n < 0: before); `day` itself need not be one. */
int64_t calendar_add_working_days(struct calendar *cal, int64_t day, int n);
/* Working days in (from, to]; negative when to < from. */
int calendar_working_days_between(struct calendar *cal, int64_t from, int64_t to);

/* When a document that arrives at t (UTC seconds) counts as received (standards.md §4,
 * Lạng Sơn Điều 11.2, Khánh Hòa Điều 10.2): t itself inside a working period, otherwise
 * the start of the next working period. */
int64_t calendar_receipt_time(struct calendar *cal, int64_t t);
/* The deadline of something received at t and due in n working days: the end of office
 * hours of the day n working days after the receipt day (UTC seconds). */
int64_t calendar_deadline(struct calendar *cal, int64_t t, int n);
/* End of office hours of `day` (UTC seconds). */
int64_t calendar_day_end(struct calendar *cal, int64_t day);
/* Not overdue yet, and the deadline is at most due_soon_days working days after today. */
bool calendar_is_due_soon(struct calendar *cal, int64_t now, int64_t deadline);
bool calendar_is_overdue(int64_t now, int64_t deadline);

/* Vietnam day number of a UTC instant, and its weekday (0 = Sunday). */
int64_t calendar_day_of(int64_t t);
int calendar_weekday(int64_t day);
/* "YYYY-MM-DD" ↔ day number; parse is strict (RES_INVALID), years 1900–2100. */
result_t calendar_parse_day(const char *s, int64_t *day);
void calendar_format_day(int64_t day, char *out, size_t n);
/* "YYYY-MM-DD" as people read it: "DD/MM/YYYY" (the one place that does this). Only the
 * shape is checked (digits and dashes, nothing after): a display helper, not validation.
 * Anything else — NULL, "", a half date, a longer string — writes "" and returns false, so
 * no caller reads past a short string or shows half a value; callers that want words for
 * "no date" test the result. */
bool calendar_iso_to_vn(const char *iso, char out[11]);
const char *calendar_kind_key(enum cal_kind k);

/* Administration (AZ_CALENDAR_MANAGE; reading: AZ_CALENDAR_READ). The year's view as
 * JSON {year, holidays:[{date,name,kind,weekday}], overrides:[{id,date,kind,note}],
 * leap_month, tet}; writes run in tx_run with an audit row. Field errors (date, kind,
 * note) go to errs with RES_INVALID; a day that already has an override: RES_CONFLICT. */
result_t calendar_year_json(struct app *app, const struct actor *a, int year, json_t **out);
result_t calendar_override_add(struct app *app, const struct actor *a, const char *date,
                               const char *kind, const char *note, struct verrs *errs, int64_t *id);
result_t calendar_override_remove(struct app *app, const struct actor *a, int64_t id);

#endif
