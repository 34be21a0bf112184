/* test_stats.c: unit tests of engine/stats.c: the Wilson interval against
 * published values and its coverage on simulated draws, quantiles by the
 * type-7 rule and on known distributions with fixed seeds, Welford against
 * the two-pass formula, rank correlation on constructed cases (ties, perfect
 * and reversed order, constants), histograms and frequency counts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "stats.h"

static void wilson_interval_matches_known_values(void **s) {
  (void)s;
  double lo, hi;
  dt_stats_wilson(81, 263, DT_STATS_Z95, &lo, &hi);   /* computed independently */
  assert_true(fabs(lo - 0.2552885198782742) < 1e-12);
  assert_true(fabs(hi - 0.36620957698280004) < 1e-12);
  dt_stats_wilson(0, 10, DT_STATS_Z95, &lo, &hi);     /* the "rule of three"-like bound */
  assert_true(lo == 0.0);
  assert_true(fabs(hi - 0.2775327998628892) < 1e-12);
  dt_stats_wilson(10, 10, DT_STATS_Z95, &lo, &hi);
  assert_true(fabs(lo - 0.7224672001371107) < 1e-12);
  assert_true(hi == 1.0);
  dt_stats_wilson(0, 0, DT_STATS_Z95, &lo, &hi);
  assert_true(lo == 0.0 && hi == 1.0);
}

static void wilson_interval_covers_the_truth_about_95_percent_of_the_time(void **s) {
  (void)s;
  dt_rng_t r;
  dt_rng_seed(&r, 42, 0);
  int covered = 0, reps = 2000;
  for (int rep = 0; rep < reps; rep++) {
    uint64_t k = 0;
    for (int i = 0; i < 200; i++) k += (uint64_t)dt_rng_bernoulli(&r, 0.3);
    double lo, hi;
    dt_stats_wilson(k, 200, DT_STATS_Z95, &lo, &hi);
    covered += lo <= 0.3 && 0.3 <= hi;
  }
  double c = (double)covered / reps;   /* se of a 95% rate over 2000 reps ~ 0.005 */
  assert_true(c > 0.93 && c < 0.97);
}

static void quantiles_interpolate_between_order_statistics(void **s) {
  (void)s;
  double x[10] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };
  dt_stats_sort(x, 10);
  for (int i = 0; i < 10; i++) assert_true(x[i] == i + 1);
  /* numpy.quantile(range(1, 11), [0, .05, .5, .95, 1]) */
  assert_true(dt_stats_quantile(x, 10, 0.0) == 1.0);
  assert_true(fabs(dt_stats_quantile(x, 10, 0.05) - 1.45) < 1e-12);
  assert_true(fabs(dt_stats_quantile(x, 10, 0.5) - 5.5) < 1e-12);
  assert_true(fabs(dt_stats_quantile(x, 10, 0.95) - 9.55) < 1e-12);
  assert_true(dt_stats_quantile(x, 10, 1.0) == 10.0);
  double one = 7;
  assert_true(dt_stats_quantile(&one, 1, 0.05) == 7.0);
  assert_true(isnan(dt_stats_quantile(x, 0, 0.5)));
}

static void quantiles_of_normal_draws_match_the_distribution(void **s) {
  (void)s;
  enum { N = 200001 };
  double *x = malloc(N * sizeof *x);
  assert_non_null(x);
  dt_rng_t r;
  dt_rng_seed(&r, 7, 0);
  for (int i = 0; i < N; i++) x[i] = dt_rng_normal(&r, 0.0, 1.0);
  dt_stats_sort(x, N);
  /* Phi^-1(0.05) = -1.6449; the sample quantile's se here is ~0.005 */
  assert_true(fabs(dt_stats_quantile(x, N, 0.05) + 1.6448536) < 0.02);
  assert_true(fabs(dt_stats_quantile(x, N, 0.5)) < 0.01);
  assert_true(fabs(dt_stats_quantile(x, N, 0.95) - 1.6448536) < 0.02);
  free(x);
}

static void welford_agrees_with_the_two_pass_formula(void **s) {
  (void)s;
  double x[] = { 1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16 };   /* badly conditioned for sum of squares */
  dt_welford_t w = { 0 };
  for (int i = 0; i < 4; i++) dt_welford_add(&w, x[i]);
  assert_true(fabs(w.mean - (1e9 + 10)) < 1e-6);
  assert_true(fabs(dt_welford_sd(&w) - sqrt(30.0)) < 1e-9);   /* var = 90 / 3 */
  dt_welford_t one = { 0 };
  dt_welford_add(&one, 3.0);
  assert_true(dt_welford_sd(&one) == 0.0);
}

static void ties_get_the_average_of_their_ranks(void **s) {
  (void)s;
  double y[] = { 5, 6, 7, 8, 7 }, r[5];
  size_t work[5];
  dt_stats_ranks(y, 5, r, work);
  double want[] = { 1, 2, 3.5, 5, 3.5 };
  for (int i = 0; i < 5; i++) assert_true(r[i] == want[i]);
}

static void spearman_matches_a_constructed_case_with_ties(void **s) {
  (void)s;
  double x[] = { 1, 2, 3, 4, 5 }, y[] = { 5, 6, 7, 8, 7 };
  assert_true(fabs(dt_stats_spearman(x, y, 5) - 0.8207826816681233) < 1e-12);
}

static void spearman_is_one_for_any_increasing_relation_and_minus_one_reversed(void **s) {
  (void)s;
  double x[50], up[50], down[50];
  for (int i = 0; i < 50; i++) { x[i] = i * 0.37; up[i] = exp(x[i] / 3); down[i] = -x[i] * x[i]; }
  assert_true(fabs(dt_stats_spearman(x, up, 50) - 1.0) < 1e-12);
  assert_true(fabs(dt_stats_spearman(x, down, 50) + 1.0) < 1e-12);
}

static void spearman_of_a_constant_or_a_single_pair_is_undefined(void **s) {
  (void)s;
  double x[] = { 1, 2, 3 }, c[] = { 4, 4, 4 };
  assert_true(isnan(dt_stats_spearman(x, c, 3)));
  assert_true(isnan(dt_stats_spearman(x, x, 1)));
}

static void spearman_of_independent_draws_is_near_zero(void **s) {
  (void)s;
  enum { N = 20000 };
  double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
  assert_non_null(x); assert_non_null(y);
  dt_rng_t r;
  dt_rng_seed(&r, 3, 0);
  for (int i = 0; i < N; i++) { x[i] = dt_rng_uniform(&r); y[i] = dt_rng_exponential(&r, 2.0); }
  assert_true(fabs(dt_stats_spearman(x, y, N)) < 0.03);   /* se ~ 0.007 */
  free(x); free(y);
}

static void histogram_puts_the_maximum_in_the_last_bin(void **s) {
  (void)s;
  double x[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
  uint64_t c[5];
  dt_stats_histogram(x, 11, 0, 10, 5, c);
  uint64_t want[] = { 2, 2, 2, 2, 3 };
  for (int i = 0; i < 5; i++) assert_true(c[i] == want[i]);
  double same[] = { 4, 4, 4 };
  dt_stats_histogram(same, 3, 4, 4, 5, c);
  assert_true(c[0] == 3 && c[1] == 0 && c[4] == 0);
}

static void sparkline_draws_the_tallest_bin_full_and_empty_bins_blank(void **s) {
  (void)s;
  uint64_t c[] = { 0, 1, 8, 4 };
  char buf[3 * 4 + 1];
  assert_string_equal(dt_stats_sparkline(c, 4, buf), " \u2581\u2588\u2584");
}

static void frequency_counts_ignore_out_of_range_ids(void **s) {
  (void)s;
  uint32_t ids[] = { 0, 2, 2, 1, 2, 9 };
  uint64_t c[3] = { 0 };
  dt_stats_count(ids, 6, 3, c);
  assert_true(c[0] == 1 && c[1] == 1 && c[2] == 3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(wilson_interval_matches_known_values),
    cmocka_unit_test(wilson_interval_covers_the_truth_about_95_percent_of_the_time),
    cmocka_unit_test(quantiles_interpolate_between_order_statistics),
    cmocka_unit_test(quantiles_of_normal_draws_match_the_distribution),
    cmocka_unit_test(welford_agrees_with_the_two_pass_formula),
    cmocka_unit_test(ties_get_the_average_of_their_ranks),
    cmocka_unit_test(spearman_matches_a_constructed_case_with_ties),
    cmocka_unit_test(spearman_is_one_for_any_increasing_relation_and_minus_one_reversed),
    cmocka_unit_test(spearman_of_a_constant_or_a_single_pair_is_undefined),
    cmocka_unit_test(spearman_of_independent_draws_is_near_zero),
    cmocka_unit_test(histogram_puts_the_maximum_in_the_last_bin),
    cmocka_unit_test(sparkline_draws_the_tallest_bin_full_and_empty_bins_blank),
    cmocka_unit_test(frequency_counts_ignore_out_of_range_ids),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
