/* simtime.c: simulated time on the proleptic Gregorian calendar in UTC:
 * conversion between seconds and calendar fields, strict ISO 8601 parsing and
 * formatting, and calendar-month arithmetic. It knows nothing of events,
 * scenarios or time zones. */
#include "simtime.h"

#include <limits.h>
#include <stdio.h>

#include "errors.h"

/* Days from 1970-01-01 back to 0000-03-01, the origin of the March-based
 * count used below. */
#define EPOCH_SHIFT 719468
/* Days in a 400-year Gregorian cycle. */
#define DAYS_PER_ERA 146097

static int64_t floor_div(int64_t a, int64_t b)
{
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

int dt_time_is_leap(int y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int dt_time_days_in_month(int y, int m)
{
  static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12)
    return 0;
  return (m == 2 && dt_time_is_leap(y)) ? 29 : len[m - 1];
}

/* Days before year yoe of a 400-year era that starts on 1 March. Year k of
 * the era ends with the February of calendar year k + 1, so the leap days
 * before it are those of the calendar years 1..k. */
static int64_t era_days_before(int64_t yoe)
{
  return 365 * yoe + yoe / 4 - yoe / 100;
}

/* Days from the 1 March that starts a year to day mp-months-later, where
 * mp = 0 is March and mp = 11 is February. The months from March on have
 * lengths 31 30 31 30 31, repeated, which the line 30.6 * mp rounds onto. */
static int64_t march_days_before(int64_t mp)
{
  return (153 * mp + 2) / 5;
}

/* Days since 1970-01-01 of y-m-d; assumes m and d are valid. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
  int64_t mp;
  if (m <= 2) {
    y -= 1;
    mp = m + 9;
  } else {
    mp = m - 3;
  }
  int64_t era = floor_div(y, 400);
  int64_t yoe = y - era * 400;
  int64_t doe = era_days_before(yoe) + march_days_before(mp) + (d - 1);
  return era * DAYS_PER_ERA + doe - EPOCH_SHIFT;
}

static void civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
  int64_t z = days + EPOCH_SHIFT;
  int64_t era = floor_div(z, DAYS_PER_ERA);
  int64_t doe = z - era * DAYS_PER_ERA;
  /* 365 days a year overestimates the year by at most one or two; walk back
   * to the last year that starts on or before doe. */
  int64_t yoe = doe / 365;
  if (yoe > 399)
    yoe = 399;
  while (era_days_before(yoe) > doe)
    yoe--;
  int64_t doy = doe - era_days_before(yoe);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - march_days_before(mp) + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = era * 400 + yoe + (*m <= 2 ? 1 : 0);
}

int dt_time_from_civil(int y, int m, int d, dt_time_t *out)
{
  if (y < DT_TIME_YEAR_MIN || y > DT_TIME_YEAR_MAX)
    return DT_ERANGE;
  if (m < 1 || m > 12 || d < 1 || d > dt_time_days_in_month(y, m))
    return DT_EINVAL;
  *out = days_from_civil(y, m, d) * DT_DAY;
  return 0;
}

void dt_time_to_civil(dt_time_t t, int *y, int *m, int *d,
                      int *hh, int *mm, int *ss)
{
  int64_t days = floor_div(t, DT_DAY);
  int64_t sod = t - days * DT_DAY;
  int64_t yy;
  int mo, dd;
  civil_from_days(days, &yy, &mo, &dd);
  if (y)
    *y = (int)yy;
  if (m)
    *m = mo;
  if (d)
    *d = dd;
  if (hh)
    *hh = (int)(sod / 3600);
  if (mm)
    *mm = (int)(sod / 60 % 60);
  if (ss)
    *ss = (int)(sod % 60);
}

/* Reads exactly n decimal digits at *p and advances past them. */
static int read_digits(const char **p, int n, int *val)
{
  int v = 0;
  for (int i = 0; i < n; i++) {
    char c = (*p)[i];
    if (c < '0' || c > '9')
      return -1;
    v = v * 10 + (c - '0');
  }
  *p += n;
  *val = v;
  return 0;
}

static int expect(const char **p, char c)
{
  if (**p != c)
    return -1;
  (*p)++;
  return 0;
}

int dt_time_parse(const char *s, dt_time_t *out)
{
  int y, mo, d, hh = 0, mi = 0, ss = 0;
  const char *p = s;
  if (!s)
    return DT_EPARSE;
  if (read_digits(&p, 4, &y) || expect(&p, '-') || read_digits(&p, 2, &mo) ||
      expect(&p, '-') || read_digits(&p, 2, &d))
    return DT_EPARSE;
  if (*p == 'T') {
    p++;
    if (read_digits(&p, 2, &hh) || expect(&p, ':') || read_digits(&p, 2, &mi))
      return DT_EPARSE;
    if (*p == ':') {
      p++;
      if (read_digits(&p, 2, &ss))
        return DT_EPARSE;
    }
    if (*p == 'Z')
      p++;
  }
  if (*p != '\0')
    return DT_EPARSE;
  if (hh > 23 || mi > 59 || ss > 59)
    return DT_EPARSE;
  dt_time_t day;
  if (dt_time_from_civil(y, mo, d, &day) != 0)
    return DT_EPARSE;
  *out = day + hh * DT_HOUR + mi * DT_MINUTE + ss;
  return 0;
}

static size_t format(dt_time_t t, char *buf, size_t n, int full)
{
  int y, m, d, hh, mi, ss, len;
  dt_time_to_civil(t, &y, &m, &d, &hh, &mi, &ss);
  if (!full && hh == 0 && mi == 0 && ss == 0)
    len = snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
  else
    len = snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ",
                   y, m, d, hh, mi, ss);
  return len < 0 ? 0 : (size_t)len;
}

size_t dt_time_format(dt_time_t t, char *buf, size_t n)
{
  return format(t, buf, n, 0);
}

size_t dt_time_format_full(dt_time_t t, char *buf, size_t n)
{
  return format(t, buf, n, 1);
}

/* add_months without range checks, for any t whose year fits in int64 and
 * months small enough not to overflow. */
static dt_time_t add_months_raw(dt_time_t t, int64_t months, int64_t *year)
{
  int64_t days = floor_div(t, DT_DAY);
  int64_t sod = t - days * DT_DAY;
  int64_t y;
  int m, d;
  civil_from_days(days, &y, &m, &d);
  int64_t total = y * 12 + (m - 1) + months;
  int64_t ny = floor_div(total, 12);
  int nm = (int)(total - ny * 12) + 1;
  /* Month lengths repeat every 400 years, so the leap rule of ny mod 400
   * is that of ny. */
  int dim = dt_time_days_in_month((int)(ny - floor_div(ny, 400) * 400), nm);
  if (d > dim)
    d = dim;
  *year = ny;
  return days_from_civil(ny, nm, d) * DT_DAY + sod;
}

int dt_time_add_months(dt_time_t t, int64_t months, dt_time_t *out)
{
  const int64_t span = (int64_t)12 * (DT_TIME_YEAR_MAX - DT_TIME_YEAR_MIN + 1);
  if (t < DT_TIME_MIN || t > DT_TIME_MAX || months > span || months < -span)
    return DT_ERANGE;
  int64_t ny;
  dt_time_t r = add_months_raw(t, months, &ny);
  if (ny < DT_TIME_YEAR_MIN || ny > DT_TIME_YEAR_MAX)
    return DT_ERANGE;
  *out = r;
  return 0;
}

int dt_time_add_years(dt_time_t t, int64_t years, dt_time_t *out)
{
  const int64_t span = DT_TIME_YEAR_MAX - DT_TIME_YEAR_MIN + 1;
  if (years > span || years < -span)
    return DT_ERANGE;
  return dt_time_add_months(t, years * 12, out);
}

double dt_time_days_between(dt_time_t a, dt_time_t b)
{
  return (double)(b - a) / (double)DT_DAY;
}

int dt_time_months_between(dt_time_t a, dt_time_t b)
{
  int64_t ya, yb, ny;
  int ma, mb, d;
  civil_from_days(floor_div(a, DT_DAY), &ya, &ma, &d);
  civil_from_days(floor_div(b, DT_DAY), &yb, &mb, &d);
  /* k lands a in b's month; one step toward a fixes the case where the day
   * or time of a lies after that of b. */
  int64_t k = (yb - ya) * 12 + (mb - ma);
  if (b >= a) {
    if (k > 0 && add_months_raw(a, k, &ny) > b)
      k--;
  } else {
    if (k < 0 && add_months_raw(a, k, &ny) < b)
      k++;
  }
  if (k > INT_MAX)
    return INT_MAX;
  if (k < INT_MIN)
    return INT_MIN;
  return (int)k;
}
