/* The Vietnamese lunar calendar from first principles: mean new moon plus the periodic
 * and planetary terms (Meeus, Astronomical Algorithms, ch. 49), the sun's apparent
 * longitude (ch. 25, low precision, ~0.01°), ΔT polynomials (Espenak & Meeus) to go from
 * dynamical to universal time, and the month rules of the Vietnamese calendar. */
#include "util/lunar.h"

#include <math.h>
#include <stddef.h>

#define PI      3.14159265358979323846
#define RAD     (PI / 180.0)
#define JD_UNIX 2440587.5     /* Julian day of 1970-01-01 00:00 UTC */
#define SYNODIC 29.530588861  /* mean synodic month, days */
#define JDE_K0  2451550.09766 /* mean new moon k = 0 (2000-01-06) */

int64_t lunar_days_from_civil(int y, int m, int d)
{
    /* Proleptic Gregorian, counting from 1 March so the leap day ends the year. */
    int64_t yy = m <= 2 ? (int64_t)y - 1 : y;
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t mp = m > 2 ? m - 3 : m + 9;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void lunar_civil_from_days(int64_t days, int *y, int *m, int *d)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

/* ΔT = TT − UT in seconds for a decimal year (NASA eclipse-site polynomials). Beyond
 * 2050 the extrapolation is uncertain by minutes, far below what decides a day except
 * for a new moon within minutes of midnight. */
static double delta_t(double y)
{
    double t;
    if (y < 1900) {
        t = y - 1860;
        return 7.62 + 0.5737 * t - 0.251754 * t * t + 0.01680668 * t * t * t -
               0.0004473624 * t * t * t * t + t * t * t * t * t / 233174;
    }
    if (y < 1920) {
        t = y - 1900;
        return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * t * t * t -
               0.000197 * t * t * t * t;
    }
    if (y < 1941) {
        t = y - 1920;
        return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * t * t * t;
    }
    if (y < 1961) {
        t = y - 1950;
        return 29.07 + 0.407 * t - t * t / 233 + t * t * t / 2547;
    }
    if (y < 1986) {
        t = y - 1975;
        return 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
    }
    if (y < 2005) {
        t = y - 2000;
        return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t +
               0.000651814 * t * t * t * t + 0.00002373599 * t * t * t * t * t;
    }
    if (y < 2050) {
        t = y - 2000;
        return 62.92 + 0.32217 * t + 0.005589 * t * t;
    }
    double u = (y - 1820) / 100;
    return -20 + 32 * u * u - 0.5628 * (2150 - y);
}

static double jd_year(double jd)
{
    return 2000.0 + (jd - 2451545.0) / 365.25;
}

/* The instant (Julian day, UT) of the k-th new moon after 2000-01-06. */
static double new_moon_ut(int k)
{
    double T = k / 1236.85, T2 = T * T, T3 = T2 * T, T4 = T3 * T;
    double jde = JDE_K0 + SYNODIC * k + 0.00015437 * T2 - 0.000000150 * T3 + 0.00000000073 * T4;
    double E = 1 - 0.002516 * T - 0.0000074 * T2;
    double M = (2.5534 + 29.10535670 * k - 0.0000014 * T2 - 0.00000011 * T3) * RAD;
    double Mp =
        (201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4) * RAD;
    double F =
        (160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4) * RAD;
    double Om = (124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3) * RAD;
    double c = -0.40720 * sin(Mp) + 0.17241 * E * sin(M) + 0.01608 * sin(2 * Mp) +
               0.01039 * sin(2 * F) + 0.00739 * E * sin(Mp - M) - 0.00514 * E * sin(Mp + M) +
               0.00208 * E * E * sin(2 * M) - 0.00111 * sin(Mp - 2 * F) -
               0.00057 * sin(Mp + 2 * F) + 0.00056 * E * sin(2 * Mp + M) - 0.00042 * sin(3 * Mp) +
               0.00042 * E * sin(M + 2 * F) + 0.00038 * E * sin(M - 2 * F) -
               0.00024 * E * sin(2 * Mp - M) - 0.00017 * sin(Om) - 0.00007 * sin(Mp + 2 * M) +
               0.00004 * sin(2 * Mp - 2 * F) + 0.00004 * sin(3 * M) +
               0.00003 * sin(Mp + M - 2 * F) + 0.00003 * sin(2 * Mp + 2 * F) -
               0.00003 * sin(Mp + M + 2 * F) + 0.00003 * sin(Mp - M + 2 * F) -
               0.00002 * sin(Mp - M - 2 * F) - 0.00002 * sin(3 * Mp + M) + 0.00002 * sin(4 * Mp);
    /* Planetary arguments A1..A14 and their coefficients. */
    static const double a0[14] = {299.77, 251.88, 251.83, 349.42, 84.66,  141.74, 207.14,
                                  154.84, 34.52,  207.19, 291.34, 161.72, 239.56, 331.55};
    static const double a1[14] = {0.107408,  0.016321,  26.651886, 36.412478, 18.206239,
                                  53.303771, 2.453732,  7.306860,  27.261239, 0.121824,
                                  1.844379,  24.198154, 25.513099, 3.592518};
    static const double coef[14] = {0.000325, 0.000165, 0.000164, 0.000126, 0.000110,
                                    0.000062, 0.000060, 0.000056, 0.000047, 0.000042,
                                    0.000040, 0.000037, 0.000035, 0.000023};
    for (int i = 0; i < 14; i++) {
        double a = a0[i] + a1[i] * k - (i == 0 ? 0.009173 * T2 : 0);
        c += coef[i] * sin(a * RAD);
    }
    jde += c;
    return jde - delta_t(jd_year(jde)) / 86400.0;
}

/* The local calendar day (days since 1970-01-01) holding the k-th new moon. */
static int64_t new_moon_day(int k, int tz)
{
    return (int64_t)floor(new_moon_ut(k) - JD_UNIX + tz / 1440.0);
}

/* The sun's apparent longitude in degrees [0, 360) at the instant jd (UT). */
static double sun_longitude(double jd_ut)
{
    double jde = jd_ut + delta_t(jd_year(jd_ut)) / 86400.0;
    double T = (jde - 2451545.0) / 36525.0;
    double L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
    double M = (357.52911 + 35999.05029 * T - 0.0001537 * T * T) * RAD;
    double C = (1.914602 - 0.004817 * T - 0.000014 * T * T) * sin(M) +
               (0.019993 - 0.000101 * T) * sin(2 * M) + 0.000289 * sin(3 * M);
    double om = (125.04 - 1934.136 * T) * RAD;
    double lon = L0 + C - 0.00569 - 0.00478 * sin(om);
    lon = fmod(lon, 360.0);
    return lon < 0 ? lon + 360.0 : lon;
}

/* Which 30° sector (major solar term, trung khí) the sun is in at the start of local day
 * `day`: 9 means the winter solstice (270°) has passed. */
static int sun_sector(int64_t day, int tz)
{
    return (int)(sun_longitude((double)day + JD_UNIX - tz / 1440.0) / 30.0);
}

/* The index k of the last new moon whose local day is on or before `day`. */
static int new_moon_index_at(int64_t day, int tz)
{
    int k = (int)floor(((double)day + JD_UNIX - JDE_K0) / SYNODIC);
    while (new_moon_day(k + 1, tz) <= day)
        k++;
    while (new_moon_day(k, tz) > day)
        k--;
    return k;
}

/* k of the new moon starting month 11 of Gregorian year y: the month holding the
 * winter solstice (the sun's longitude reaches 270° on one of its days). */
static int month11_index(int y, int tz)
{
    int k = new_moon_index_at(lunar_days_from_civil(y, 12, 31), tz);
    /* A month that began with the sun already past 270° is month 12: the solstice fell
     * in the month before. */
    if (sun_sector(new_moon_day(k, tz), tz) >= 9)
        k--;
    return k;
}

/* The months of the span from month 11 of year Y-1 up to month 11 of year Y: start
 * days s[0..n] (s[n] = next month 11), n = 12 or 13, and their labels. */
struct span {
    int n;
    int64_t start[14];
    int month[13];
    bool leap[13];
    int year[13];
};

static void span_build(int Y, int tz, struct span *sp)
{
    int k0 = month11_index(Y - 1, tz), k1 = month11_index(Y, tz);
    sp->n = k1 - k0;
    for (int i = 0; i <= sp->n; i++)
        sp->start[i] = new_moon_day(k0 + i, tz);
    int leap_at = -1;
    if (sp->n == 13) {
        /* The first month (after month 11) in which the sun does not enter a new sector. */
        for (int i = 1; i < 13 && leap_at < 0; i++)
            if (sun_sector(sp->start[i], tz) == sun_sector(sp->start[i + 1], tz))
                leap_at = i;
    }
    for (int i = 0; i < sp->n; i++) {
        int idx = leap_at >= 0 && i >= leap_at ? i - 1 : i;
        sp->month[i] = (idx + 10) % 12 + 1; /* idx 0 → 11, 1 → 12, 2 → 1 */
        sp->leap[i] = i == leap_at;
        sp->year[i] = sp->month[i] >= 11 && idx < 3 ? Y - 1 : Y;
    }
}

static bool date_ok(int y, int m, int d)
{
    if (y < LUNAR_MIN_YEAR || y > LUNAR_MAX_YEAR || m < 1 || m > 12 || d < 1)
        return false;
    int yy, mm, dd;
    lunar_civil_from_days(lunar_days_from_civil(y, m, d), &yy, &mm, &dd);
    return yy == y && mm == m && dd == d;
}

result_t lunar_from_solar_tz(int y, int m, int d, int tz, struct lunar_date *out)
{
    if (!out || !date_ok(y, m, d))
        return RES_INVALID;
    int64_t day = lunar_days_from_civil(y, m, d);
    struct span sp;
    span_build(y, tz, &sp);
    if (day >= sp.start[sp.n])
        span_build(y + 1, tz, &sp);
    for (int i = 0; i < sp.n; i++) {
        if (day >= sp.start[i] && day < sp.start[i + 1]) {
            out->year = sp.year[i];
            out->month = sp.month[i];
            out->leap = sp.leap[i];
            out->day = (int)(day - sp.start[i]) + 1;
            return RES_OK;
        }
    }
    return RES_INTERNAL;
}

result_t lunar_from_solar(int y, int m, int d, struct lunar_date *out)
{
    return lunar_from_solar_tz(y, m, d, LUNAR_TZ_VN, out);
}

/* Finds the month (year, month, leap) in its span; returns its index or -1. */
static int span_find(const struct lunar_date *ld, int tz, struct span *sp)
{
    if (ld->year < LUNAR_MIN_YEAR - 1 || ld->year > LUNAR_MAX_YEAR || ld->month < 1 ||
        ld->month > 12)
        return -1;
    span_build(ld->month >= 11 ? ld->year + 1 : ld->year, tz, sp);
    for (int i = 0; i < sp->n; i++)
        if (sp->year[i] == ld->year && sp->month[i] == ld->month && sp->leap[i] == ld->leap)
            return i;
    return -1;
}

result_t lunar_to_solar_tz(const struct lunar_date *ld, int tz, int *y, int *m, int *d)
{
    if (!ld || !y || !m || !d)
        return RES_INVALID;
    struct span sp;
    int i = span_find(ld, tz, &sp);
    if (i < 0 || ld->day < 1 || ld->day > sp.start[i + 1] - sp.start[i])
        return RES_INVALID;
    lunar_civil_from_days(sp.start[i] + ld->day - 1, y, m, d);
    if (*y < LUNAR_MIN_YEAR || *y > LUNAR_MAX_YEAR)
        return RES_INVALID;
    return RES_OK;
}

result_t lunar_to_solar(const struct lunar_date *ld, int *y, int *m, int *d)
{
    return lunar_to_solar_tz(ld, LUNAR_TZ_VN, y, m, d);
}

int lunar_leap_month_tz(int year, int tz)
{
    if (year < LUNAR_MIN_YEAR || year > LUNAR_MAX_YEAR)
        return 0;
    /* A leap month of lunar year `year` lies in the span of Y = year (months 12 of the
     * year before up to 10) or, for a leap 11 or 12, in the span Y = year + 1. */
    for (int Y = year; Y <= year + 1; Y++) {
        struct span sp;
        span_build(Y, tz, &sp);
        for (int i = 0; i < sp.n; i++)
            if (sp.leap[i] && sp.year[i] == year)
                return sp.month[i];
    }
    return 0;
}

int lunar_leap_month(int year)
{
    return lunar_leap_month_tz(year, LUNAR_TZ_VN);
}

int lunar_month_length(int year, int month, bool leap)
{
    struct lunar_date ld = {.year = year, .month = month, .day = 1, .leap = leap};
    struct span sp;
    int i = span_find(&ld, LUNAR_TZ_VN, &sp);
    return i < 0 ? 0 : (int)(sp.start[i + 1] - sp.start[i]);
}
