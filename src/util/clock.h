/* Time: stored as UTC unix seconds (int64), shown in Vietnam time (UTC+07:00, no DST).
 * A test clock offset can be set so expiry and lockout are testable without sleeping. */
#ifndef QLVB_CLOCK_H
#define QLVB_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#define VN_UTC_OFFSET (7 * 3600)

int64_t clock_now(void);    /* unix seconds, plus any test offset */
double clock_mono_ms(void); /* monotonic milliseconds, for durations */
void clock_set_offset(int64_t seconds);
/* "2026-11-22T09:05:00+07:00" */
void clock_format_iso(int64_t t, char *out, size_t n);
/* "09:05 ngày 22/11/2026" — for people */
void clock_format_vn(int64_t t, char *out, size_t n);
/* "22/11/2026" */
void clock_format_vn_date(int64_t t, char *out, size_t n);
/* Parses "YYYY-MM-DD" as a Vietnam date; returns unix seconds of its 00:00 (+07). */
int clock_parse_date(const char *s, int64_t *out);
/* ISO 8601 instant "YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)"; a time without an offset is
 * Vietnam time (standards.md §4). 0 on success. */
int clock_parse_instant(const char *s, int64_t *out);

#endif
