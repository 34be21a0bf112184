/* simtime.h: simulated time. A dt_time_t counts seconds since
 * 1970-01-01T00:00:00Z on the proleptic Gregorian calendar in UTC, without
 * leap seconds; negative values are before 1970. Calendar functions support
 * years 0001 to 9999 and report anything outside with DT_ERANGE. */
#ifndef DT_SIMTIME_H
#define DT_SIMTIME_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t dt_time_t;

#define DT_MINUTE ((dt_time_t)60)
#define DT_HOUR   ((dt_time_t)3600)
#define DT_DAY    ((dt_time_t)86400)
#define DT_WEEK   ((dt_time_t)604800)

#define DT_TIME_YEAR_MIN 1
#define DT_TIME_YEAR_MAX 9999
/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define DT_TIME_MIN ((dt_time_t)-62135596800LL)
#define DT_TIME_MAX ((dt_time_t)253402300799LL)

/* Longest text dt_time_format writes, without the terminating NUL. */
#define DT_TIME_FORMAT_MAX 20

/* 1 if y is a Gregorian leap year, else 0. */
int dt_time_is_leap(int y);
/* Days in month m (1-12) of year y; 0 if m is out of range. */
int dt_time_days_in_month(int y, int m);

/* Midnight at the start of y-m-d. DT_ERANGE if y is outside 1..9999,
 * DT_EINVAL if m or d do not name a day of that year. */
int dt_time_from_civil(int y, int m, int d, dt_time_t *out);
/* Splits t into its calendar fields; any pointer may be NULL. Works for any
 * t, also outside the supported years. */
void dt_time_to_civil(dt_time_t t, int *y, int *m, int *d,
                      int *hh, int *mm, int *ss);

/* Accepts exactly YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS, the
 * two forms with a time optionally followed by Z. Returns DT_EPARSE for any
 * other text or an impossible date or time; *out is untouched on failure. */
int dt_time_parse(const char *s, dt_time_t *out);

/* Writes YYYY-MM-DD when t is a midnight, else YYYY-MM-DDTHH:MM:SSZ, into
 * buf of size n (n may be 0). Returns the length of the whole text, as
 * snprintf does; the text is truncated and NUL-terminated if n is too small. */
size_t dt_time_format(dt_time_t t, char *buf, size_t n);
/* As dt_time_format, but always YYYY-MM-DDTHH:MM:SSZ. */
size_t dt_time_format_full(dt_time_t t, char *buf, size_t n);

/* t plus a number of calendar months (negative goes back). The day is
 * clamped to the end of the target month and the time of day is kept, so
 * 2025-01-31 + 1 month is 2025-02-28. DT_ERANGE if t or the result lies
 * outside the supported years. */
int dt_time_add_months(dt_time_t t, int64_t months, dt_time_t *out);
/* dt_time_add_months with 12 * years: 2024-02-29 + 1 year is 2025-02-28. */
int dt_time_add_years(dt_time_t t, int64_t years, dt_time_t *out);

/* (b - a) in days, with the fraction. */
double dt_time_days_between(dt_time_t a, dt_time_t b);
/* Whole calendar months elapsed from a to b, truncated toward zero and
 * consistent with dt_time_add_months: for b >= a, the largest k >= 0 with
 * add_months(a, k) <= b; for b < a, minus the largest j >= 0 with
 * add_months(a, -j) >= b. Saturates at INT_MIN and INT_MAX. */
int dt_time_months_between(dt_time_t a, dt_time_t b);

#endif
