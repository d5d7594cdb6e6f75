/* The working calendar: statutory holidays from the Labour Code (Điều 112) with the
 * lunar ones from util/lunar.c, compensation days (Điều 111.3), the installation's
 * overrides (table calendar_override, migration 0006), office hours and the rules that
 * use them: receipt time (standards.md §4), working-day deadlines, due-soon. */
#include "core/calendar.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/authz.h"
#include "core/tx.h"
#include "core/validate.h"
#include "db/db.h"
#include "util/clock.h"
#include "util/lunar.h"
#include "util/str.h"

#define DAY_SECONDS 86400

static const char *const weekday_names[7] = {"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư",
                                             "Thứ Năm",  "Thứ Sáu", "Thứ Bảy"};

int64_t calendar_day_of(int64_t t)
{
    int64_t v = t + VN_UTC_OFFSET;
    return v >= 0 ? v / DAY_SECONDS : -((-v + DAY_SECONDS - 1) / DAY_SECONDS);
}

int calendar_weekday(int64_t day)
{
    int w = (int)((day + 4) % 7); /* 1970-01-01 was a Thursday */
    return w < 0 ? w + 7 : w;
}

static int64_t day_start_utc(int64_t day)
{
    return day * DAY_SECONDS - VN_UTC_OFFSET;
}

result_t calendar_parse_day(const char *s, int64_t *day)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return RES_INVALID;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return RES_INVALID;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < LUNAR_MIN_YEAR || y > LUNAR_MAX_YEAR || m < 1 || m > 12 || d < 1)
        return RES_INVALID;
    int64_t v = lunar_days_from_civil(y, m, d);
    int yy, mm, dd;
    lunar_civil_from_days(v, &yy, &mm, &dd);
    if (yy != y || mm != m || dd != d)
        return RES_INVALID; /* 2025-02-30 */
    *day = v;
    return RES_OK;
}

void calendar_format_day(int64_t day, char *out, size_t n)
{
    int y, m, d;
    lunar_civil_from_days(day, &y, &m, &d);
    snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

bool calendar_iso_to_vn(const char *iso, char out[11])
{
    out[0] = '\0';
    if (!iso)
        return false;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? iso[i] != '-' : iso[i] < '0' || iso[i] > '9')
            return false; /* also stops at the terminator of a shorter string */
    if (iso[10])
        return false;
    memcpy(out, iso + 8, 2);
    out[2] = '/';
    memcpy(out + 3, iso + 5, 2);
    out[5] = '/';
    memcpy(out + 6, iso, 4);
    out[10] = '\0';
    return true;
}

const char *calendar_kind_key(enum cal_kind k)
{
    static const char *const keys[] = {"new_year", "tet",      "hung_kings",   "victory",
                                       "labour",   "national", "compensation", "substitute"};
    return (unsigned)k < sizeof(keys) / sizeof(keys[0]) ? keys[k] : "other";
}

/* ---- configuration ---- */

result_t calendar_set_work_days(struct calendar *cal, const char *spec)
{
    /* "1-5" or "1,2,3,4,5,6": ISO weekdays, 1 = Monday … 7 = Sunday (0 also Sunday). */
    unsigned mask = 0;
    const char *p = spec;
    if (!p || !*p)
        return RES_INVALID;
    while (*p) {
        if (*p < '0' || *p > '7')
            return RES_INVALID;
        int a = *p++ - '0', b = a;
        if (*p == '-') {
            p++;
            if (*p < '0' || *p > '7')
                return RES_INVALID;
            b = *p++ - '0';
        }
        if (b < a)
            return RES_INVALID;
        for (int w = a; w <= b; w++)
            mask |= 1u << (w % 7);
        if (*p == ',')
            p++;
        else if (*p)
            return RES_INVALID;
    }
    if (!mask)
        return RES_INVALID;
    cal->work_days = mask;
    cal->cache_next = 0;
    memset(cal->cache, 0, sizeof(cal->cache));
    return RES_OK;
}

static bool parse_hhmm(const char **pp, int *out)
{
    const char *p = *pp;
    if (p[0] < '0' || p[0] > '2' || p[1] < '0' || p[1] > '9' || p[2] != ':' || p[3] < '0' ||
        p[3] > '5' || p[4] < '0' || p[4] > '9')
        return false;
    int h = (p[0] - '0') * 10 + (p[1] - '0'), m = (p[3] - '0') * 10 + (p[4] - '0');
    if (h > 24 || (h == 24 && m))
        return false;
    *out = h * 60 + m;
    *pp = p + 5;
    return true;
}

result_t calendar_set_office_hours(struct calendar *cal, const char *spec)
{
    /* "07:30-11:30,13:30-17:00": periods in order, not overlapping. */
    struct cal_period per[CAL_MAX_PERIODS];
    int n = 0, last = -1;
    const char *p = spec;
    if (!p || !*p)
        return RES_INVALID;
    while (*p) {
        if (n == CAL_MAX_PERIODS)
            return RES_INVALID;
        int a, b;
        if (!parse_hhmm(&p, &a) || *p++ != '-' || !parse_hhmm(&p, &b) || a >= b || a < last)
            return RES_INVALID;
        per[n].start = a;
        per[n].end = b;
        last = b;
        n++;
        if (*p == ',')
            p++;
        else if (*p)
            return RES_INVALID;
    }
    memcpy(cal->periods, per, sizeof(per[0]) * (size_t)n);
    cal->nperiods = n;
    return RES_OK;
}

result_t calendar_init(struct calendar *cal)
{
    memset(cal, 0, sizeof(*cal));
    cal->work_days = 0x3e; /* Monday … Friday */
    cal->periods[0] = (struct cal_period){7 * 60 + 30, 11 * 60 + 30};
    cal->periods[1] = (struct cal_period){13 * 60 + 30, 17 * 60};
    cal->nperiods = 2;
    cal->due_soon_days = 2;
    result_t r = RES_OK;
    const char *v;
    if ((v = getenv("QLVB_WORK_DAYS")) && *v && calendar_set_work_days(cal, v) != RES_OK)
        r = RES_INVALID;
    if ((v = getenv("QLVB_OFFICE_HOURS")) && *v && calendar_set_office_hours(cal, v) != RES_OK)
        r = RES_INVALID;
    int64_t n;
    if ((v = getenv("QLVB_DUE_SOON_DAYS")) && *v) {
        if (str_to_i64(v, 0, 60, &n) == RES_OK)
            cal->due_soon_days = (int)n;
        else
            r = RES_INVALID;
    }
    return r;
}

result_t calendar_add_override(struct calendar *cal, int64_t day, enum cal_override_kind kind)
{
    for (int i = 0; i < cal->noverrides; i++)
        if (cal->overrides[i].day == day)
            return RES_CONFLICT;
    if (cal->noverrides == CAL_MAX_OVERRIDES)
        return RES_INVALID;
    cal->overrides[cal->noverrides++] = (struct cal_override){.day = day, .kind = kind};
    return RES_OK;
}

static const struct cal_override *override_of(const struct calendar *cal, int64_t day)
{
    for (int i = 0; i < cal->noverrides; i++)
        if (cal->overrides[i].day == day)
            return &cal->overrides[i];
    return NULL;
}

static result_t kind_from_key(const char *s, enum cal_override_kind *k)
{
    if (s && !strcmp(s, "day_off"))
        *k = CAL_OV_DAY_OFF;
    else if (s && !strcmp(s, "working_day"))
        *k = CAL_OV_WORKING_DAY;
    else
        return RES_INVALID;
    return RES_OK;
}

result_t calendar_load(struct calendar *cal, struct app *app)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct db_stmt *s;
    result_t r = db_query(c, &s, "SELECT id, day, kind FROM calendar_override ORDER BY day", "");
    if (r != RES_OK)
        return r;
    cal->noverrides = 0;
    while ((r = db_step(s)) == RES_ROW) {
        int64_t day;
        enum cal_override_kind k;
        if (calendar_parse_day(db_col_text(s, 1), &day) != RES_OK ||
            kind_from_key(db_col_text(s, 2), &k) != RES_OK || cal->noverrides == CAL_MAX_OVERRIDES)
            continue;
        cal->overrides[cal->noverrides++] =
            (struct cal_override){.id = db_col_i64(s, 0), .day = day, .kind = k};
    }
    db_finalize(s);
    return r == RES_DONE ? RES_OK : r;
}

/* ---- holidays ---- */

static bool weekly_working(const struct calendar *cal, int64_t day)
{
    return (cal->work_days >> calendar_weekday(day)) & 1u;
}

static void add_day(struct cal_year_cache *yc, int64_t day, enum cal_kind k, const char *name)
{
    if (yc->n == (int)(sizeof(yc->days) / sizeof(yc->days[0])))
        return;
    struct cal_holiday *h = &yc->days[yc->n++];
    h->day = day;
    h->kind = k;
    str_copy(h->name, name, sizeof(h->name));
}

static bool in_cache(const struct cal_year_cache *yc, int64_t day)
{
    for (int i = 0; i < yc->n; i++)
        if (yc->days[i].day == day)
            return true;
    return false;
}

static int cmp_holiday(const void *a, const void *b)
{
    const struct cal_holiday *x = a, *y = b;
    return x->day < y->day ? -1 : x->day > y->day;
}

/* The adjacent day of Quốc khánh: the Prime Minister picks 1/9 or 3/9 each year
 * (Điều 112.3); by default the one that joins the weekend (1/9 when 2/9 falls on a
 * Tuesday, Friday or Saturday, 3/9 otherwise); an override corrects a different choice. */
static int national_adjacent(int64_t sep2)
{
    int w = calendar_weekday(sep2);
    return w == 2 || w == 5 || w == 6 ? 1 : 3;
}

static void statutory_year(const struct calendar *cal, int year, struct cal_year_cache *yc)
{
    yc->year = year;
    yc->n = 0;
    add_day(yc, lunar_days_from_civil(year, 1, 1), CAL_NEW_YEAR, "Tết Dương lịch");
    int y, m, d;
    struct lunar_date tet = {.year = year, .month = 1, .day = 1};
    if (lunar_to_solar(&tet, &y, &m, &d) == RES_OK) {
        int64_t t1 = lunar_days_from_civil(y, m, d);
        /* The last day of the lunar year is the 29th or the 30th of month 12. */
        struct lunar_date eve;
        char name[96];
        int yy, mm, dd;
        lunar_civil_from_days(t1 - 1, &yy, &mm, &dd);
        if (lunar_from_solar(yy, mm, dd, &eve) == RES_OK)
            snprintf(name, sizeof(name), "Tết Nguyên Đán (%d Tết)", eve.day);
        else
            snprintf(name, sizeof(name), "Tết Nguyên Đán (ngày cuối năm)");
        add_day(yc, t1 - 1, CAL_TET, name);
        for (int i = 1; i <= 4; i++) {
            snprintf(name, sizeof(name), "Tết Nguyên Đán (mùng %d)", i);
            add_day(yc, t1 + i - 1, CAL_TET, name);
        }
    }
    struct lunar_date gio = {.year = year, .month = 3, .day = 10};
    if (lunar_to_solar(&gio, &y, &m, &d) == RES_OK)
        add_day(yc, lunar_days_from_civil(y, m, d), CAL_HUNG_KINGS,
                "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
    add_day(yc, lunar_days_from_civil(year, 4, 30), CAL_VICTORY, "Ngày Chiến thắng (30/4)");
    add_day(yc, lunar_days_from_civil(year, 5, 1), CAL_LABOUR, "Ngày Quốc tế Lao động (1/5)");
    int64_t sep2 = lunar_days_from_civil(year, 9, 2);
    int adj = national_adjacent(sep2);
    add_day(yc, sep2, CAL_NATIONAL, "Quốc khánh (2/9)");
    add_day(yc, lunar_days_from_civil(year, 9, adj), CAL_NATIONAL,
            adj == 1 ? "Quốc khánh (nghỉ liền kề 1/9)" : "Quốc khánh (nghỉ liền kề 3/9)");
    qsort(yc->days, (size_t)yc->n, sizeof(yc->days[0]), cmp_holiday);

    /* Điều 111.3: a holiday on a weekly rest day is made up on the next working day; a
     * day that is two holidays at once (Giỗ Tổ on 30/4) is made up the same way. */
    int nstat = yc->n;
    for (int i = 0; i < nstat; i++) {
        bool dup = i > 0 && yc->days[i - 1].day == yc->days[i].day;
        if (weekly_working(cal, yc->days[i].day) && !dup)
            continue;
        int64_t c = yc->days[i].day + 1;
        while (!weekly_working(cal, c) || in_cache(yc, c))
            c++;
        char name[200];
        snprintf(name, sizeof(name), "Nghỉ bù %s", yc->days[i].name);
        add_day(yc, c, CAL_COMPENSATION, name);
    }
    qsort(yc->days, (size_t)yc->n, sizeof(yc->days[0]), cmp_holiday);
}

/* The process's computed years, shared by every calendar: the lunar computation (new
 * moons by series of sines) is ~70 µs a year and a calendar is made per request. The
 * result depends only on the year and the weekly working days. */
#define MEMO_YEARS 16
static struct {
    pthread_mutex_t lock;
    struct {
        unsigned work_days;
        struct cal_year_cache yc; /* yc.year 0: empty */
    } e[MEMO_YEARS];
    int next;
} memo = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void statutory_year_memo(const struct calendar *cal, int year, struct cal_year_cache *yc)
{
    pthread_mutex_lock(&memo.lock);
    for (int i = 0; i < MEMO_YEARS; i++)
        if (memo.e[i].yc.year == year && memo.e[i].work_days == cal->work_days) {
            *yc = memo.e[i].yc;
            pthread_mutex_unlock(&memo.lock);
            return;
        }
    pthread_mutex_unlock(&memo.lock);
    statutory_year(cal, year, yc); /* outside the lock: two threads may both compute it */
    pthread_mutex_lock(&memo.lock);
    memo.e[memo.next].work_days = cal->work_days;
    memo.e[memo.next].yc = *yc;
    memo.next = (memo.next + 1) % MEMO_YEARS;
    pthread_mutex_unlock(&memo.lock);
}

static const struct cal_year_cache *year_days(struct calendar *cal, int year)
{
    for (int i = 0; i < 3; i++)
        if (cal->cache[i].year == year)
            return &cal->cache[i];
    struct cal_year_cache *yc = &cal->cache[cal->cache_next];
    cal->cache_next = (cal->cache_next + 1) % 3;
    statutory_year_memo(cal, year, yc);
    return yc;
}

static int year_of_day(int64_t day)
{
    int y, m, d;
    lunar_civil_from_days(day, &y, &m, &d);
    return y;
}

/* The statutory entry of `day`, if any (the first of a duplicate pair). A compensation
 * day for a late-December holiday may fall in January: both years are looked at. */
static const struct cal_holiday *statutory_of(struct calendar *cal, int64_t day)
{
    int y = year_of_day(day);
    for (int yy = y; yy >= y - 1; yy--) {
        if (yy < LUNAR_MIN_YEAR)
            break;
        const struct cal_year_cache *yc = year_days(cal, yy);
        for (int i = 0; i < yc->n; i++)
            if (yc->days[i].day == day)
                return &yc->days[i];
    }
    return NULL;
}

bool calendar_is_working_day(struct calendar *cal, int64_t day)
{
    const struct cal_override *o = override_of(cal, day);
    if (o)
        return o->kind == CAL_OV_WORKING_DAY;
    int y = year_of_day(day);
    if (y < LUNAR_MIN_YEAR || y > LUNAR_MAX_YEAR)
        return weekly_working(cal, day);
    return weekly_working(cal, day) && !statutory_of(cal, day);
}

int calendar_holidays(struct calendar *cal, int year, struct cal_holiday *out, int max)
{
    if (year < LUNAR_MIN_YEAR || year > LUNAR_MAX_YEAR || !out || max < 0)
        return -1;
    int64_t first = lunar_days_from_civil(year, 1, 1), last = lunar_days_from_civil(year, 12, 31);
    int n = 0;
    /* A compensation day of the year before may land in early January. */
    for (int yy = year - 1; yy <= year; yy++) {
        if (yy < LUNAR_MIN_YEAR)
            continue;
        const struct cal_year_cache *yc = year_days(cal, yy);
        for (int i = 0; i < yc->n && n < max; i++) {
            const struct cal_holiday *h = &yc->days[i];
            const struct cal_override *o = override_of(cal, h->day);
            if (h->day < first || h->day > last || (o && o->kind == CAL_OV_WORKING_DAY))
                continue;
            out[n++] = *h;
        }
    }
    for (int i = 0; i < cal->noverrides && n < max; i++) {
        const struct cal_override *o = &cal->overrides[i];
        if (o->kind != CAL_OV_DAY_OFF || o->day < first || o->day > last)
            continue;
        out[n].day = o->day;
        out[n].kind = CAL_SUBSTITUTE;
        str_copy(out[n].name, "Ngày nghỉ hoán đổi", sizeof(out[n].name));
        n++;
    }
    qsort(out, (size_t)n, sizeof(out[0]), cmp_holiday);
    return n;
}

/* ---- working days and hours ---- */

int64_t calendar_add_working_days(struct calendar *cal, int64_t day, int n)
{
    int step = n >= 0 ? 1 : -1;
    for (int left = n >= 0 ? n : -n; left > 0;) {
        day += step;
        if (calendar_is_working_day(cal, day))
            left--;
    }
    return day;
}

int calendar_working_days_between(struct calendar *cal, int64_t from, int64_t to)
{
    int sign = 1;
    if (to < from) {
        int64_t x = from;
        from = to;
        to = x;
        sign = -1;
    }
    int n = 0;
    for (int64_t d = from + 1; d <= to; d++)
        n += calendar_is_working_day(cal, d);
    return sign * n;
}

int64_t calendar_receipt_time(struct calendar *cal, int64_t t)
{
    if (cal->nperiods == 0)
        return t;
    int64_t day = calendar_day_of(t);
    int64_t sec = t - day_start_utc(day);
    /* A year without a working day cannot be configured (work_days ≠ 0), so the next
     * working day is near; the bound only guards against a pathological override set. */
    for (int guard = 0; guard < 3700; guard++, day++, sec = -1) {
        if (!calendar_is_working_day(cal, day))
            continue;
        for (int i = 0; i < cal->nperiods; i++) {
            if (sec < (int64_t)cal->periods[i].end * 60) {
                if (sec >= (int64_t)cal->periods[i].start * 60)
                    return t;
                return day_start_utc(day) + (int64_t)cal->periods[i].start * 60;
            }
        }
    }
    return t;
}

int64_t calendar_day_end(struct calendar *cal, int64_t day)
{
    int end = cal->nperiods ? cal->periods[cal->nperiods - 1].end : 24 * 60;
    return day_start_utc(day) + (int64_t)end * 60;
}

int64_t calendar_deadline(struct calendar *cal, int64_t t, int n)
{
    int64_t r = calendar_receipt_time(cal, t);
    return calendar_day_end(cal, calendar_add_working_days(cal, calendar_day_of(r), n));
}

bool calendar_is_overdue(int64_t now, int64_t deadline)
{
    return now > deadline;
}

bool calendar_is_due_soon(struct calendar *cal, int64_t now, int64_t deadline)
{
    if (calendar_is_overdue(now, deadline))
        return false;
    return calendar_working_days_between(cal, calendar_day_of(now), calendar_day_of(deadline)) <=
           cal->due_soon_days;
}

/* ---- administration ---- */

result_t calendar_year_json(struct app *app, const struct actor *a, int year, json_t **out)
{
    result_t r = authz_check(a, AZ_CALENDAR_READ, 0);
    if (r != RES_OK)
        return r;
    if (year < LUNAR_MIN_YEAR || year > LUNAR_MAX_YEAR)
        return RES_NOT_FOUND;
    struct calendar *cal = malloc(sizeof(*cal));
    if (!cal)
        return RES_INTERNAL;
    calendar_init(cal);
    if ((r = calendar_load(cal, app)) != RES_OK) {
        free(cal);
        return r;
    }
    struct cal_holiday days[96];
    int n = calendar_holidays(cal, year, days, 96);
    json_t *hol = json_array();
    char iso[16];
    for (int i = 0; i < n; i++) {
        calendar_format_day(days[i].day, iso, sizeof(iso));
        int w = calendar_weekday(days[i].day);
        json_array_append_new(hol, json_pack("{s:s,s:s,s:s,s:s,s:b}", "date", iso, "name",
                                             days[i].name, "kind", calendar_kind_key(days[i].kind),
                                             "weekday", weekday_names[w], "rest_day",
                                             !weekly_working(cal, days[i].day)));
    }
    json_t *ovs = json_array();
    struct db_conn *c = db_conn(app->db);
    struct db_stmt *s = NULL;
    char from[16], to[16];
    snprintf(from, sizeof(from), "%04d-01-01", year);
    snprintf(to, sizeof(to), "%04d-12-31", year);
    if (!c || (r = db_query(c, &s,
                            "SELECT id, day, kind, note FROM calendar_override WHERE day >= $1 "
                            "AND day <= $2 ORDER BY day",
                            "tt", from, to)) != RES_OK) {
        json_decref(hol);
        json_decref(ovs);
        free(cal);
        return c ? r : RES_DB;
    }
    while ((r = db_step(s)) == RES_ROW) {
        const char *k = db_col_text(s, 2), *day = db_col_text(s, 1), *note = db_col_text(s, 3);
        int64_t dn = 0;
        calendar_parse_day(day, &dn);
        bool off = k && !strcmp(k, "day_off");
        json_array_append_new(
            ovs, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_col_i64(s, 0), "date",
                           day ? day : "", "kind", k ? k : "", "kind_label",
                           off ? "Ngày nghỉ hoán đổi" : "Ngày làm bù", "weekday",
                           weekday_names[calendar_weekday(dn)], "note", note ? note : ""));
    }
    db_finalize(s);
    if (r != RES_DONE) {
        json_decref(hol);
        json_decref(ovs);
        free(cal);
        return r;
    }
    struct lunar_date tet = {.year = year, .month = 1, .day = 1};
    int y, m, d;
    char tet_iso[16] = "";
    if (lunar_to_solar(&tet, &y, &m, &d) == RES_OK)
        snprintf(tet_iso, sizeof(tet_iso), "%04d-%02d-%02d", y, m, d);
    *out = json_pack("{s:i,s:o,s:o,s:i,s:s}", "year", year, "holidays", hol, "overrides", ovs,
                     "leap_month", lunar_leap_month(year), "tet", tet_iso);
    free(cal);
    return *out ? RES_OK : RES_INTERNAL;
}

struct ov_add {
    const char *day;
    const char *kind;
    const char *note;
    int year;
    const struct audit_entry *audit;
    int64_t id;    /* out */
    bool conflict; /* out */
    bool full;     /* out */
};

static result_t ov_add_tx(struct tx *t, void *arg)
{
    struct ov_add *w = arg;
    w->id = 0;
    w->conflict = w->full = false;
    struct db_conn *c = tx_conn(t);
    int64_t n = 0;
    result_t r =
        db_one_i64(c, &n, "SELECT COUNT(*) FROM calendar_override WHERE day = $1", "t", w->day);
    if (r != RES_OK)
        return r;
    if (n > 0) {
        w->conflict = true;
        return RES_CONFLICT;
    }
    if ((r = db_one_i64(c, &n, "SELECT COUNT(*) FROM calendar_override WHERE year = $1", "i",
                        (int64_t)w->year)) != RES_OK)
        return r;
    if (n >= CAL_MAX_PER_YEAR) {
        w->full = true;
        return RES_INVALID;
    }
    r = db_one_i64(c, &w->id,
                   "INSERT INTO calendar_override (day, year, kind, note, created_by, created_at) "
                   "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                   "tittIi", w->day, (int64_t)w->year, w->kind, w->note, w->audit->actor_id,
                   clock_now());
    if (r != RES_OK)
        return r;
    char oid[24];
    snprintf(oid, sizeof(oid), "%lld", (long long)w->id);
    struct audit_entry e = *w->audit;
    e.object_id = oid;
    tx_audit(t, &e);
    return RES_OK;
}

result_t calendar_override_add(struct app *app, const struct actor *a, const char *date,
                               const char *kind, const char *note, struct verrs *errs, int64_t *id)
{
    result_t r = authz_check(a, AZ_CALENDAR_MANAGE, 0);
    if (r != RES_OK)
        return r;
    int64_t day = 0;
    enum cal_override_kind k = CAL_OV_DAY_OFF;
    if (calendar_parse_day(date, &day) != RES_OK)
        verrs_add(errs, "date",
                  "Ngày không hợp lệ: nhập ngày có thật, dạng ngày/tháng/năm, năm 1900–2100.");
    if (kind_from_key(kind, &k) != RES_OK)
        verrs_add(errs, "kind", "Chọn loại: ngày nghỉ hoán đổi hoặc ngày làm bù.");
    char *clean = field_clean(note ? note : "", "note", "Ghi chú", true, CAL_NOTE_MAX, errs);
    if (errs->count) {
        free(clean);
        return RES_INVALID;
    }
    /* A day off on a day that is off anyway, or a working day on a working day, changes
     * nothing: refuse it so the table only holds real exceptions. */
    struct calendar *cal = malloc(sizeof(*cal));
    if (!cal) {
        free(clean);
        return RES_INTERNAL;
    }
    calendar_init(cal);
    if ((r = calendar_load(cal, app)) != RES_OK) {
        free(cal);
        free(clean);
        return r;
    }
    bool exists = override_of(cal, day) != NULL; /* refused below, in the transaction */
    bool working = calendar_is_working_day(cal, day);
    free(cal);
    if (!exists && k == CAL_OV_DAY_OFF && !working)
        verrs_add(errs, "date", "Ngày này đã là ngày nghỉ; chỉ thêm ngày nghỉ vào ngày làm việc.");
    if (!exists && k == CAL_OV_WORKING_DAY && working)
        verrs_add(errs, "date", "Ngày này đã là ngày làm việc; ngày làm bù phải là ngày nghỉ.");
    if (errs->count) {
        free(clean);
        return RES_INVALID;
    }
    char iso[16], summary[320];
    calendar_format_day(day, iso, sizeof(iso));
    snprintf(summary, sizeof(summary), "%s %s: %.200s",
             k == CAL_OV_DAY_OFF ? "Ngày nghỉ hoán đổi" : "Ngày làm bù", iso, clean);
    struct audit_entry e = {
        .actor_id = a->user_id,
        .actor_login = a->login,
        .agency_id = 0,
        .action = "calendar_override_add",
        .object_type = "calendar_override",
        .summary = summary,
        .client_addr = a->client_addr,
    };
    struct ov_add w = {.day = iso,
                       .kind = k == CAL_OV_DAY_OFF ? "day_off" : "working_day",
                       .note = clean,
                       .year = year_of_day(day),
                       .audit = &e};
    r = tx_run(app->db, ov_add_tx, &w);
    free(clean);
    if (r == RES_CONFLICT || (r == RES_OK && w.conflict)) {
        verrs_add(errs, "date", "Ngày %s đã có điều chỉnh; xóa điều chỉnh cũ trước.", iso);
        return RES_CONFLICT;
    }
    if (r == RES_INVALID && w.full) {
        verrs_add(errs, "date", "Năm %d đã có %d điều chỉnh, không thêm được nữa.", w.year,
                  CAL_MAX_PER_YEAR);
        return RES_INVALID;
    }
    if (r == RES_OK && id)
        *id = w.id;
    return r;
}

struct ov_remove {
    int64_t id;
    const struct audit_entry *audit;
    char summary[320]; /* filled in the callback */
};

static result_t ov_remove_tx(struct tx *t, void *arg)
{
    struct ov_remove *w = arg;
    struct db_conn *c = tx_conn(t);
    struct db_stmt *s;
    result_t r =
        db_query(c, &s, "SELECT day, kind FROM calendar_override WHERE id = $1", "i", w->id);
    if (r != RES_OK)
        return r;
    if ((r = db_step(s)) != RES_ROW) {
        db_finalize(s);
        return r == RES_DONE ? RES_NOT_FOUND : r;
    }
    const char *k = db_col_text(s, 1);
    snprintf(w->summary, sizeof(w->summary), "Xóa %s %s",
             k && !strcmp(k, "day_off") ? "ngày nghỉ hoán đổi" : "ngày làm bù",
             db_col_text(s, 0) ? db_col_text(s, 0) : "");
    db_finalize(s);
    if ((r = db_run(c, "DELETE FROM calendar_override WHERE id = $1", "i", w->id)) != RES_OK)
        return r;
    char oid[24];
    snprintf(oid, sizeof(oid), "%lld", (long long)w->id);
    struct audit_entry e = *w->audit;
    e.object_id = oid;
    e.summary = w->summary;
    tx_audit(t, &e);
    return RES_OK;
}

result_t calendar_override_remove(struct app *app, const struct actor *a, int64_t id)
{
    result_t r = authz_check(a, AZ_CALENDAR_MANAGE, 0);
    if (r != RES_OK)
        return r;
    if (id <= 0)
        return RES_NOT_FOUND;
    struct audit_entry e = {
        .actor_id = a->user_id,
        .actor_login = a->login,
        .agency_id = 0,
        .action = "calendar_override_remove",
        .object_type = "calendar_override",
        .client_addr = a->client_addr,
    };
    struct ov_remove w = {.id = id, .audit = &e};
    return tx_run(app->db, ov_remove_tx, &w);
}
