/* test_output.c: unit tests of the number forms a person reads (engine/
 * output.c), which the terminal, run --html and the report share: dt_fmt_show
 * (10 significant digits, no ".0") and dt_fmt_pct (one decimal, none when it
 * is 0, never a rounded 0% or 100% that is not). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "output.h"

static void show_drops_float_noise_and_a_whole_numbers_point(void **s) {
  (void)s;
  char b[32];
  assert_string_equal(dt_fmt_show(0.7 - 0.02, b), "0.68");
  assert_string_equal(dt_fmt_show(30.0, b), "30");
  assert_string_equal(dt_fmt_show(-2.5, b), "-2.5");
  assert_string_equal(dt_fmt_show(0.1 + 0.2, b), "0.3");
  assert_string_equal(dt_fmt_show(1234567890123.0, b), "1.23456789e+12");
}

static void pct_has_one_decimal_and_none_when_it_is_zero(void **s) {
  (void)s;
  char b[32];
  assert_string_equal(dt_fmt_pct(0.5, b), "50%");
  assert_string_equal(dt_fmt_pct(1.0 / 3, b), "33.3%");
  assert_string_equal(dt_fmt_pct(0.125, b), "12.5%");
  assert_string_equal(dt_fmt_pct(0.0, b), "0%");
  assert_string_equal(dt_fmt_pct(1.0, b), "100%");
  assert_string_equal(dt_fmt_pct(0.0996, b), "10%");   /* 9.96 rounds up to a whole 10.0 */
}

static void pct_never_rounds_a_share_to_0_or_100_percent(void **s) {
  (void)s;
  char b[32];
  assert_string_equal(dt_fmt_pct(1.0 / 10000, b), "<0.1%");
  assert_string_equal(dt_fmt_pct(1.0 - 1.0 / 10000, b), ">99.9%");
  assert_string_equal(dt_fmt_pct(0.0005, b), "0.1%");   /* 0.05 is shown, as 0.1 */
  assert_string_equal(dt_fmt_pct(0.9994, b), "99.9%");
  assert_string_equal(dt_fmt_pct(NAN, b), "n/a");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(show_drops_float_noise_and_a_whole_numbers_point),
    cmocka_unit_test(pct_has_one_decimal_and_none_when_it_is_zero),
    cmocka_unit_test(pct_never_rounds_a_share_to_0_or_100_percent),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
