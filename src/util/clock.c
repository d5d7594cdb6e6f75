/* Clock and Vietnam-time formatting. */
#include "util/clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static _Atomic int64_t offset;

int64_t clock_now(void)
{
    return (int64_t)time(NULL) + atomic_load(&offset);
}

double clock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void clock_set_offset(int64_t seconds)
{
    atomic_store(&offset, seconds);
}

static void vn_tm(int64_t t, struct tm *tm)
{
    time_t v = (time_t)(t + VN_UTC_OFFSET);
    gmtime_r(&v, tm);
}

void clock_format_iso(int64_t t, char *out, size_t n)
{
    struct tm tm;
    vn_tm(t, &tm);
    snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void clock_format_vn(int64_t t, char *out, size_t n)
{
    struct tm tm;
    vn_tm(t, &tm);
    snprintf(out, n, "%02d:%02d ngày %02d/%02d/%04d", tm.tm_hour, tm.tm_min, tm.tm_mday,
             tm.tm_mon + 1, tm.tm_year + 1900);
}

void clock_format_vn_date(int64_t t, char *out, size_t n)
{
    struct tm tm;
    vn_tm(t, &tm);
    snprintf(out, n, "%02d/%02d/%04d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
}

int clock_parse_date(const char *s, int64_t *out)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return -1;
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    time_t v = timegm(&tm);
    struct tm back;
    gmtime_r(&v, &back);
    if (back.tm_mday != d || back.tm_mon != m - 1)
        return -1; /* 31/02 and the like */
    *out = (int64_t)v - VN_UTC_OFFSET;
    return 0;
}

int clock_parse_instant(const char *s, int64_t *out)
{
    int64_t day;
    char date[11];
    if (!s || strlen(s) < 16 || (s[10] != 'T' && s[10] != ' '))
        return -1;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (clock_parse_date(date, &day) != 0)
        return -1;
    const char *p = s + 11;
    int h, m, sec = 0, n = 0;
    if (sscanf(p, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5)
        return -1;
    p += 5;
    if (*p == ':') {
        if (sscanf(p, ":%2d%n", &sec, &n) != 1 || n != 3)
            return -1;
        p += 3;
    }
    if (h > 23 || m > 59 || sec > 59)
        return -1;
    int64_t t = day + h * 3600 + m * 60 + sec; /* as Vietnam time */
    if (*p == 'Z' && !p[1]) {
        t += VN_UTC_OFFSET;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
        int oh, om;
        if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2 || oh > 14 || om > 59)
            return -1;
        int64_t off = (*p == '+' ? 1 : -1) * (oh * 3600 + om * 60);
        t += VN_UTC_OFFSET - off;
    } else if (*p) {
        return -1;
    }
    *out = t;
    return 0;
}
