/* test_output.c: unit tests of the number forms a person reads (engine/
 * output.c), which the terminal, run --html and the report share: dt_fmt_show
 * (10 significant digits, no ".0") and dt_fmt_pct (one decimal, none when it
 * is 0, never a rounded 0% or 100% that is not) and dt_json_show (JSON in
 * one line, keys sorted, numbers as dt_fmt_show prints them). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdlib.h>

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

static void json_show_prints_numbers_as_a_person_reads_them(void **s) {
  (void)s;
  json_t *v = json_pack("{s:f,s:f,s:I,s:[f,s,b,n],s:{s:f},s:s}", "b", 19.0, "a", 0.1, "c",
                        (json_int_t)9007199254740993LL, "d", 0.7 - 0.02, "x", 1, "e", "f",
                        1e21, "g", "q\"uote");
  char *t = dt_json_show(v);
  assert_string_equal(t, "{\"a\":0.1,\"b\":19,\"c\":9007199254740993,\"d\":[0.68,\"x\",true,"
                         "null],\"e\":{\"f\":1e+21},\"g\":\"q\\\"uote\"}");
  free(t);
  json_decref(v);
  json_t *r = json_real(30.0);
  t = dt_json_show(r);
  assert_string_equal(t, "30");
  free(t);
  json_decref(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(show_drops_float_noise_and_a_whole_numbers_point),
    cmocka_unit_test(pct_has_one_decimal_and_none_when_it_is_zero),
    cmocka_unit_test(pct_never_rounds_a_share_to_0_or_100_percent),
    cmocka_unit_test(json_show_prints_numbers_as_a_person_reads_them),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
