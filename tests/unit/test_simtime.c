/* test_simtime.c: unit tests of engine/simtime.c: leap years, conversion
 * between seconds and calendar fields, strict parsing, formatting and
 * calendar-month arithmetic at month and year ends. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "simtime.h"

static dt_time_t at(const char *s)
{
  dt_time_t t = 0;
  assert_int_equal(dt_time_parse(s, &t), 0);
  return t;
}

static void assert_time_text(dt_time_t t, const char *want)
{
  char buf[64];
  size_t n = dt_time_format(t, buf, sizeof buf);
  assert_string_equal(buf, want);
  assert_int_equal(n, strlen(want));
}

static void plus_months_is(const char *from, int64_t months, const char *want)
{
  dt_time_t t;
  assert_int_equal(dt_time_add_months(at(from), months, &t), 0);
  assert_time_text(t, want);
}

static void leap_years_follow_the_gregorian_rule(void **state)
{
  (void)state;
  assert_true(dt_time_is_leap(2024));
  assert_false(dt_time_is_leap(2025));
  assert_false(dt_time_is_leap(1900));
  assert_true(dt_time_is_leap(2000));
  assert_false(dt_time_is_leap(2100));
  assert_true(dt_time_is_leap(1600));
  assert_true(dt_time_is_leap(4));
  assert_false(dt_time_is_leap(1));
}

static void months_have_the_right_lengths(void **state)
{
  (void)state;
  static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int m = 1; m <= 12; m++)
    assert_int_equal(dt_time_days_in_month(2023, m), len[m - 1]);
  assert_int_equal(dt_time_days_in_month(2024, 2), 29);
  assert_int_equal(dt_time_days_in_month(1900, 2), 28);
  assert_int_equal(dt_time_days_in_month(2000, 2), 29);
  assert_int_equal(dt_time_days_in_month(2023, 0), 0);
  assert_int_equal(dt_time_days_in_month(2023, 13), 0);
}

static void the_epoch_is_zero_and_known_dates_match(void **state)
{
  (void)state;
  dt_time_t t;
  assert_int_equal(dt_time_from_civil(1970, 1, 1, &t), 0);
  assert_int_equal(t, 0);
  assert_int_equal(dt_time_from_civil(2000, 3, 1, &t), 0);
  assert_int_equal(t, 951868800);
  assert_int_equal(dt_time_from_civil(1969, 12, 31, &t), 0);
  assert_int_equal(t, -DT_DAY);
  assert_int_equal(dt_time_from_civil(1, 1, 1, &t), 0);
  assert_int_equal(t, DT_TIME_MIN);
  assert_int_equal(dt_time_from_civil(9999, 12, 31, &t), 0);
  assert_int_equal(t + DT_DAY - 1, DT_TIME_MAX);
  assert_int_equal(at("2038-01-19T03:14:07Z"), INT32_MAX);
  assert_int_equal(at("1901-12-13T20:45:52"), INT32_MIN);
}

static void from_civil_rejects_impossible_dates(void **state)
{
  (void)state;
  dt_time_t t = 123;
  assert_int_equal(dt_time_from_civil(2023, 2, 29, &t), DT_EINVAL);
  assert_int_equal(dt_time_from_civil(1900, 2, 29, &t), DT_EINVAL);
  assert_int_equal(dt_time_from_civil(2023, 4, 31, &t), DT_EINVAL);
  assert_int_equal(dt_time_from_civil(2023, 0, 1, &t), DT_EINVAL);
  assert_int_equal(dt_time_from_civil(2023, 13, 1, &t), DT_EINVAL);
  assert_int_equal(dt_time_from_civil(2023, 1, 0, &t), DT_EINVAL);
  assert_int_equal(dt_time_from_civil(0, 1, 1, &t), DT_ERANGE);
  assert_int_equal(dt_time_from_civil(10000, 1, 1, &t), DT_ERANGE);
  assert_int_equal(t, 123);
  assert_int_equal(dt_time_from_civil(2000, 2, 29, &t), 0);
}

static void every_day_of_the_supported_range_converts_both_ways(void **state)
{
  (void)state;
  /* Walk day by day from 0001-01-01 to 9999-12-31 with an independent
   * calendar counter and check both directions on each day. */
  int y = 1, m = 1, d = 1;
  for (dt_time_t t = DT_TIME_MIN; t <= DT_TIME_MAX; t += DT_DAY) {
    dt_time_t back;
    int yy, mm, dd, h, mi, s;
    dt_time_to_civil(t + 12 * DT_HOUR + 34 * DT_MINUTE + 56, &yy, &mm, &dd,
                     &h, &mi, &s);
    if (yy != y || mm != m || dd != d || h != 12 || mi != 34 || s != 56)
      fail_msg("%lld gave %d-%d-%d, want %d-%d-%d", (long long)t, yy, mm, dd,
               y, m, d);
    if (dt_time_from_civil(y, m, d, &back) != 0 || back != t)
      fail_msg("from_civil(%d-%d-%d) is not %lld", y, m, d, (long long)t);
    if (++d > dt_time_days_in_month(y, m)) {
      d = 1;
      if (++m > 12) {
        m = 1;
        y++;
      }
    }
  }
  assert_int_equal(y, 10000);
}

static void times_before_1970_split_into_positive_fields(void **state)
{
  (void)state;
  int y, m, d, h, mi, s;
  dt_time_to_civil(-1, &y, &m, &d, &h, &mi, &s);
  assert_int_equal(y, 1969);
  assert_int_equal(m, 12);
  assert_int_equal(d, 31);
  assert_int_equal(h, 23);
  assert_int_equal(mi, 59);
  assert_int_equal(s, 59);
  dt_time_to_civil(DT_TIME_MIN - 1, &y, &m, &d, NULL, NULL, NULL);
  assert_int_equal(y, 0);
  assert_int_equal(m, 12);
  assert_int_equal(d, 31);
}

static void parse_accepts_the_three_forms_with_optional_z(void **state)
{
  (void)state;
  dt_time_t day = at("2026-02-05");
  assert_int_equal(at("2026-02-05T00:00"), day);
  assert_int_equal(at("2026-02-05T00:00Z"), day);
  assert_int_equal(at("2026-02-05T00:00:00"), day);
  assert_int_equal(at("2026-02-05T00:00:00Z"), day);
  assert_int_equal(at("2026-02-05T13:07"), day + 13 * DT_HOUR + 7 * DT_MINUTE);
  assert_int_equal(at("2026-02-05T23:59:59Z"), day + DT_DAY - 1);
  assert_int_equal(at("0001-01-01"), DT_TIME_MIN);
  assert_int_equal(at("9999-12-31T23:59:59"), DT_TIME_MAX);
  assert_int_equal(at("2024-02-29"), at("2024-03-01") - DT_DAY);
}

static void parse_rejects(const char *s)
{
  dt_time_t t = 77;
  if (dt_time_parse(s, &t) != DT_EPARSE)
    fail_msg("accepted \"%s\"", s);
  assert_int_equal(t, 77);
}

static void parse_rejects_the_empty_string(void **state)
{
  (void)state;
  parse_rejects("");
  assert_int_equal(dt_time_parse(NULL, &(dt_time_t){0}), DT_EPARSE);
}

static void parse_rejects_single_digit_fields(void **state)
{
  (void)state;
  parse_rejects("2026-2-05");
  parse_rejects("2026-02-5");
  parse_rejects("2026-2-5");
  parse_rejects("26-02-05");
  parse_rejects("2026-02-05T1:00");
  parse_rejects("2026-02-05T01:0");
  parse_rejects("2026-02-05T01:00:0");
}

static void parse_rejects_trailing_garbage(void **state)
{
  (void)state;
  parse_rejects("2026-02-05 ");
  parse_rejects("2026-02-05x");
  parse_rejects("2026-02-05T");
  parse_rejects("2026-02-05T10:00:00ZZ");
  parse_rejects("2026-02-05T10:00:00.5");
  parse_rejects("2026-02-05T10:00:00+01:00");
  parse_rejects("2026-02-050");
  parse_rejects("20260-02-05");
}

static void parse_rejects_z_without_a_time(void **state)
{
  (void)state;
  parse_rejects("2026-02-05Z");
}

static void parse_rejects_leading_space_and_signs(void **state)
{
  (void)state;
  parse_rejects(" 2026-02-05");
  parse_rejects("+2026-02-05");
  parse_rejects("-2026-02-05");
  parse_rejects("2026-+2-05");
}

static void parse_rejects_wrong_separators(void **state)
{
  (void)state;
  parse_rejects("2026/02/05");
  parse_rejects("20260205");
  parse_rejects("2026-02-05 10:00");
  parse_rejects("2026-02-05t10:00");
  parse_rejects("2026-02-05T10-00");
}

static void parse_rejects_days_that_do_not_exist(void **state)
{
  (void)state;
  parse_rejects("2026-02-30");
  parse_rejects("2026-02-29");
  parse_rejects("1900-02-29");
  parse_rejects("2026-04-31");
  parse_rejects("2026-00-10");
  parse_rejects("2026-13-10");
  parse_rejects("2026-01-00");
  parse_rejects("0000-01-01");
}

static void parse_rejects_times_out_of_range(void **state)
{
  (void)state;
  parse_rejects("2026-02-05T24:00");
  parse_rejects("2026-02-05T23:60");
  parse_rejects("2026-02-05T23:59:60");
}

static void format_writes_a_date_at_midnight_and_a_time_otherwise(void **state)
{
  (void)state;
  assert_time_text(0, "1970-01-01");
  assert_time_text(1, "1970-01-01T00:00:01Z");
  assert_time_text(-1, "1969-12-31T23:59:59Z");
  assert_time_text(DT_TIME_MIN, "0001-01-01");
  assert_time_text(DT_TIME_MAX, "9999-12-31T23:59:59Z");
  char buf[32];
  assert_int_equal(dt_time_format_full(0, buf, sizeof buf), 20);
  assert_string_equal(buf, "1970-01-01T00:00:00Z");
}

static void format_behaves_like_snprintf_when_the_buffer_is_short(void **state)
{
  (void)state;
  char buf[8];
  memset(buf, 'x', sizeof buf);
  assert_int_equal(dt_time_format(0, buf, sizeof buf), 10);
  assert_string_equal(buf, "1970-01");
  assert_int_equal(dt_time_format(1, NULL, 0), 20);
  assert_true(dt_time_format(DT_TIME_MAX, NULL, 0) <= DT_TIME_FORMAT_MAX);
}

static void parse_and_format_round_trip_over_many_days(void **state)
{
  (void)state;
  char buf[32];
  /* Every 7th day and an odd time of day from 1600 to 2400. */
  for (dt_time_t t = at("1600-01-01"); t < at("2400-01-01");
       t += 7 * DT_DAY + 3607) {
    dt_time_t back;
    dt_time_format(t, buf, sizeof buf);
    assert_int_equal(dt_time_parse(buf, &back), 0);
    assert_int_equal(back, t);
    dt_time_t day = t - (t % DT_DAY + DT_DAY) % DT_DAY;
    dt_time_format(day, buf, sizeof buf);
    assert_int_equal(strlen(buf), 10);
    assert_int_equal(dt_time_parse(buf, &back), 0);
    assert_int_equal(back, day);
  }
}

static void jan_31_plus_one_month_is_feb_28_or_29(void **state)
{
  (void)state;
  plus_months_is("2025-01-31", 1, "2025-02-28");
  plus_months_is("2024-01-31", 1, "2024-02-29");
  plus_months_is("1900-01-31", 1, "1900-02-28");
  plus_months_is("2000-01-31", 1, "2000-02-29");
}

static void going_back_from_a_month_end_clamps_too(void **state)
{
  (void)state;
  plus_months_is("2024-03-31", -1, "2024-02-29");
  plus_months_is("2025-03-31", -1, "2025-02-28");
  plus_months_is("2024-05-31", -1, "2024-04-30");
  plus_months_is("2024-03-15", -1, "2024-02-15");
}

static void months_carry_across_year_ends_both_ways(void **state)
{
  (void)state;
  plus_months_is("2024-12-15", 1, "2025-01-15");
  plus_months_is("2025-01-15", -1, "2024-12-15");
  plus_months_is("2024-11-30", 3, "2025-02-28");
  plus_months_is("2024-01-01", -13, "2022-12-01");
  plus_months_is("2024-01-01", -24, "2022-01-01");
  plus_months_is("2024-06-30", 120, "2034-06-30");
  plus_months_is("2024-06-30", 0, "2024-06-30");
  plus_months_is("1970-01-01", -1, "1969-12-01");
}

static void adding_months_keeps_the_time_of_day(void **state)
{
  (void)state;
  plus_months_is("2025-01-31T18:30:05Z", 1, "2025-02-28T18:30:05Z");
  plus_months_is("1969-12-31T23:59:59Z", 2, "1970-02-28T23:59:59Z");
}

static void feb_29_plus_one_year_is_feb_28(void **state)
{
  (void)state;
  dt_time_t t;
  assert_int_equal(dt_time_add_years(at("2024-02-29"), 1, &t), 0);
  assert_time_text(t, "2025-02-28");
  assert_int_equal(dt_time_add_years(at("2024-02-29"), 4, &t), 0);
  assert_time_text(t, "2028-02-29");
  assert_int_equal(dt_time_add_years(at("2024-02-29"), -100, &t), 0);
  assert_time_text(t, "1924-02-29");
  assert_int_equal(dt_time_add_years(at("2000-02-29"), 100, &t), 0);
  assert_time_text(t, "2100-02-28");
}

static void arithmetic_outside_years_1_to_9999_is_a_range_error(void **state)
{
  (void)state;
  dt_time_t t = 5;
  assert_int_equal(dt_time_add_months(at("9999-12-01"), 1, &t), DT_ERANGE);
  assert_int_equal(dt_time_add_months(at("0001-01-31"), -1, &t), DT_ERANGE);
  assert_int_equal(dt_time_add_years(at("2000-01-01"), 8000, &t), DT_ERANGE);
  assert_int_equal(dt_time_add_years(0, INT64_MAX, &t), DT_ERANGE);
  assert_int_equal(dt_time_add_months(0, INT64_MIN, &t), DT_ERANGE);
  assert_int_equal(dt_time_add_months(DT_TIME_MAX + 1, 0, &t), DT_ERANGE);
  assert_int_equal(dt_time_add_months(DT_TIME_MIN - 1, 0, &t), DT_ERANGE);
  assert_int_equal(t, 5);
  assert_int_equal(dt_time_add_months(at("9999-11-30"), 1, &t), 0);
  assert_time_text(t, "9999-12-30");
  assert_int_equal(dt_time_add_years(at("9999-12-31"), -9998, &t), 0);
  assert_time_text(t, "0001-12-31");
}

static void days_between_counts_fractions(void **state)
{
  (void)state;
  dt_time_t y24 = at("2024-01-01"), y25 = at("2025-01-01");
  assert_true(dt_time_days_between(y24, y25) == 366.0);
  assert_true(dt_time_days_between(y25, y24) == -366.0);
  assert_true(dt_time_days_between(0, 12 * DT_HOUR) == 0.5);
}

static int months(const char *a, const char *b)
{
  return dt_time_months_between(at(a), at(b));
}

static void months_between_counts_whole_months(void **state)
{
  (void)state;
  assert_int_equal(months("2025-01-31", "2025-02-28"), 1);
  assert_int_equal(months("2025-01-15", "2025-02-14"), 0);
  assert_int_equal(months("2025-01-15", "2025-02-15"), 1);
  assert_int_equal(months("2025-01-15T12:00", "2025-02-15T11:59:59"), 0);
  assert_int_equal(months("2020-06-01", "2025-06-01"), 60);
  assert_int_equal(months("2025-02-15", "2025-01-15"), -1);
  assert_int_equal(months("2025-02-15", "2025-01-16"), 0);
  assert_int_equal(months("2024-03-31", "2024-02-29"), -1);
  assert_int_equal(months("2024-03-31", "2024-03-01"), 0);
  assert_int_equal(dt_time_months_between(0, 0), 0);
}

static void months_between_agrees_with_add_months(void **state)
{
  (void)state;
  /* For many pairs, k = months_between(a, b) must satisfy the definition:
   * add_months(a, k) is on b's side of a, and one more month overshoots. */
  const uint64_t span = UINT64_C(40) * 366 * 86400;
  const dt_time_t base = at("1990-01-01");
  uint64_t x = 12345;
  for (int i = 0; i < 20000; i++) {
    x = x * 6364136223846793005u + 1442695040888963407u;
    dt_time_t a = base + (dt_time_t)((x >> 20) % span);
    x = x * 6364136223846793005u + 1442695040888963407u;
    dt_time_t b = base + (dt_time_t)((x >> 20) % span);
    if (i % 4 == 0)
      b = a - a % DT_DAY + (b % 40) * DT_DAY; /* near misses at day edges */
    int k = dt_time_months_between(a, b);
    dt_time_t ak, ak1;
    assert_int_equal(dt_time_add_months(a, k, &ak), 0);
    if (b >= a) {
      assert_true(k >= 0);
      assert_true(ak <= b);
      assert_int_equal(dt_time_add_months(a, k + 1, &ak1), 0);
      assert_true(ak1 > b);
    } else {
      assert_true(k <= 0);
      assert_true(ak >= b);
      assert_int_equal(dt_time_add_months(a, k - 1, &ak1), 0);
      assert_true(ak1 < b);
    }
  }
}

static void every_error_code_has_a_message(void **state)
{
  (void)state;
  for (int e = 0; e >= DT_EPARSE; e--)
    assert_string_not_equal(dt_strerror(e), "unknown error");
  assert_string_equal(dt_strerror(DT_EPARSE), "parse error");
  assert_string_equal(dt_strerror(-999), "unknown error");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(leap_years_follow_the_gregorian_rule),
    cmocka_unit_test(months_have_the_right_lengths),
    cmocka_unit_test(the_epoch_is_zero_and_known_dates_match),
    cmocka_unit_test(from_civil_rejects_impossible_dates),
    cmocka_unit_test(every_day_of_the_supported_range_converts_both_ways),
    cmocka_unit_test(times_before_1970_split_into_positive_fields),
    cmocka_unit_test(parse_accepts_the_three_forms_with_optional_z),
    cmocka_unit_test(parse_rejects_the_empty_string),
    cmocka_unit_test(parse_rejects_single_digit_fields),
    cmocka_unit_test(parse_rejects_trailing_garbage),
    cmocka_unit_test(parse_rejects_z_without_a_time),
    cmocka_unit_test(parse_rejects_leading_space_and_signs),
    cmocka_unit_test(parse_rejects_wrong_separators),
    cmocka_unit_test(parse_rejects_days_that_do_not_exist),
    cmocka_unit_test(parse_rejects_times_out_of_range),
    cmocka_unit_test(format_writes_a_date_at_midnight_and_a_time_otherwise),
    cmocka_unit_test(format_behaves_like_snprintf_when_the_buffer_is_short),
    cmocka_unit_test(parse_and_format_round_trip_over_many_days),
    cmocka_unit_test(jan_31_plus_one_month_is_feb_28_or_29),
    cmocka_unit_test(going_back_from_a_month_end_clamps_too),
    cmocka_unit_test(months_carry_across_year_ends_both_ways),
    cmocka_unit_test(adding_months_keeps_the_time_of_day),
    cmocka_unit_test(feb_29_plus_one_year_is_feb_28),
    cmocka_unit_test(arithmetic_outside_years_1_to_9999_is_a_range_error),
    cmocka_unit_test(days_between_counts_fractions),
    cmocka_unit_test(months_between_counts_whole_months),
    cmocka_unit_test(months_between_agrees_with_add_months),
    cmocka_unit_test(every_error_code_has_a_message),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
