/* test_stats.c: unit tests of engine/stats.c: the Wilson interval against
 * published values and its coverage on simulated draws, quantiles by the
 * type-7 rule and on known distributions with fixed seeds, Welford against
 * the two-pass formula, rank correlation on constructed cases (ties, perfect
 * and reversed order, constants), histograms and frequency counts, and the
 * in-place record sort the summary relies on (inputs that break naive
 * quicksorts, records larger than its swap buffer). */
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
#include "errors.h"

#define PI_ 3.14159265358979323846

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
  double x[] = { 1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16 }; /* badly conditioned for sum of squares */
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

/* A record larger than the sort's 64-byte swap buffer, key in the middle. */
typedef struct rec { int64_t id; char pad[40]; double key; char tail[30]; } rec_t;

static double key_of(int64_t id, int shape, size_t n) {
  switch (shape) {
  case 0: return (double)((id * 7919) % 1009);          /* scattered, some ties */
  case 1: return (double)id;                            /* sorted */
  case 2: return (double)(n - (size_t)id);              /* reversed */
  case 3: return 42.0;                                  /* all equal */
  case 4: return (double)(id % 4);                      /* few values */
  default: return (double)((size_t)id < n / 2 ? id : (int64_t)n - id);   /* organ pipe */
  }
}

static void sorting_records_keeps_each_whole_and_orders_every_shape(void **s) {
  (void)s;
  static const size_t sizes[] = { 0, 1, 2, 3, 17, 100, 1000, 5000 };
  for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
    for (int shape = 0; shape < 6; shape++) {
      size_t n = sizes[si];
      rec_t *r = calloc(n + 1, sizeof *r);
      uint8_t *seen = calloc(n + 1, 1);
      assert_non_null(r); assert_non_null(seen);
      for (size_t i = 0; i < n; i++) {
        r[i].id = (int64_t)i;
        r[i].key = key_of((int64_t)i, shape, n);
        memset(r[i].pad, (int)(i & 0x7f), sizeof r[i].pad);
        memset(r[i].tail, (int)((i * 3) & 0x7f), sizeof r[i].tail);
      }
      dt_stats_sort_rows(r, n, sizeof *r, offsetof(rec_t, key));
      for (size_t i = 0; i < n; i++) {
        int64_t id = r[i].id;
        assert_true(id >= 0 && (size_t)id < n && !seen[id]);
        seen[id] = 1;
        assert_true(r[i].key == key_of(id, shape, n));
        assert_true(r[i].pad[39] == (char)(id & 0x7f) && r[i].tail[29] == (char)((id * 3) & 0x7f));
        if (i) assert_true(r[i - 1].key <= r[i].key);
      }
      free(r); free(seen);
    }
}

static void ranks_quantiles_and_histograms_of_records_match_the_arrays(void **s) {
  (void)s;
  enum { N = 999 };
  double *x = malloc(N * sizeof *x);
  rec_t *r = calloc(N, sizeof *r);
  assert_non_null(x); assert_non_null(r);
  dt_rng_t g;
  dt_rng_seed1(&g, 5);
  for (int i = 0; i < N; i++) {
    x[i] = floor(dt_rng_normal(&g, 0, 3));
    r[i].key = x[i];
    r[i].id = i;
  }
  dt_stats_sort(x, N);
  dt_stats_sort_rows(r, N, sizeof *r, offsetof(rec_t, key));
  for (double p = 0; p <= 1.0; p += 0.05)
    assert_true(dt_stats_quantile(x, N, p) ==
                dt_stats_quantile_rows(r, N, sizeof *r, offsetof(rec_t, key), p));
  uint64_t a[16], b[16];
  dt_stats_histogram(x, N, x[0], x[N - 1], 16, a);
  dt_stats_histogram_rows(r, N, sizeof *r, offsetof(rec_t, key), x[0], x[N - 1], 16, b);
  assert_memory_equal(a, b, sizeof a);
  /* the ranks of sorted records are those of dt_stats_ranks, in sorted order */
  double *rank = malloc(N * sizeof *rank);
  size_t *work = malloc(N * sizeof *work);
  assert_non_null(rank); assert_non_null(work);
  double orig[N];
  for (int i = 0; i < N; i++) orig[r[i].id] = r[i].key;
  dt_stats_ranks(orig, N, rank, work);
  dt_stats_rank_rows(r, N, sizeof *r, offsetof(rec_t, key));
  for (int i = 0; i < N; i++) assert_true(r[i].key == rank[r[i].id]);
  free(x); free(r); free(rank); free(work);
}

static void spearman_of_ranked_records_is_that_of_the_values(void **s) {
  (void)s;
  double x[] = { 1, 2, 2, 3, 5 }, y[] = { 2, 1, 4, 4, 9 };
  typedef struct { double a, b; } ab_t;
  ab_t p[5];
  for (int i = 0; i < 5; i++) { p[i].a = x[i]; p[i].b = y[i]; }
  dt_stats_sort_rows(p, 5, sizeof *p, offsetof(ab_t, a));
  dt_stats_rank_rows(p, 5, sizeof *p, offsetof(ab_t, a));
  dt_stats_sort_rows(p, 5, sizeof *p, offsetof(ab_t, b));
  dt_stats_rank_rows(p, 5, sizeof *p, offsetof(ab_t, b));
  assert_true(dt_stats_spearman_ranked(p, 5, sizeof *p, offsetof(ab_t, a), offsetof(ab_t, b)) ==
              dt_stats_spearman(x, y, 5));
}

/* The Ishigami function, f = sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3,
 * has known indices (a = 7, b = 0.1): S1 = (0.3139, 0.4424, 0),
 * ST = (0.5576, 0.4424, 0.2437) (Ishigami and Homma 1990; Saltelli et al. 2010). */
static double ishigami(const double *x) {
  return sin(x[0]) + 7 * sin(x[1]) * sin(x[1]) + 0.1 * pow(x[2], 4) * sin(x[0]);
}

static void sobol_indices_of_ishigami_match_the_known_values(void **s) {
  enum { N = 20000, K = 3 };
  static double a[N][K], b[N][K], fa[N], fb[N], fab[K * N];
  dt_rng_t r;
  dt_rng_seed(&r, 42, 0);
  for (int j = 0; j < N; j++)
    for (int i = 0; i < K; i++) {
      a[j][i] = dt_rng_uniform_range(&r, -PI_, PI_);
      b[j][i] = dt_rng_uniform_range(&r, -PI_, PI_);
    }
  for (int j = 0; j < N; j++) {
    fa[j] = ishigami(a[j]);
    fb[j] = ishigami(b[j]);
    for (int i = 0; i < K; i++) {
      double x[K] = { a[j][0], a[j][1], a[j][2] };
      x[i] = b[j][i];
      fab[i * N + j] = ishigami(x);
    }
  }
  const double s1[K] = { 0.3139, 0.4424, 0.0 }, st[K] = { 0.5576, 0.4424, 0.2437 };
  dt_sobol_t out[K];
  dt_rng_seed(&r, 43, 0);
  assert_int_equal(dt_stats_sobol(fa, fb, fab, N, K, 200, &r, out), 0);
  for (int i = 0; i < K; i++) {
    assert_true(fabs(out[i].s1 - s1[i]) < 0.03);
    assert_true(fabs(out[i].st - st[i]) < 0.03);
    /* the intervals hold the estimate, are narrow at this n, and cover the truth */
    assert_true(out[i].s1_lo <= out[i].s1 && out[i].s1 <= out[i].s1_hi);
    assert_true(out[i].st_lo <= out[i].st && out[i].st <= out[i].st_hi);
    assert_true(out[i].s1_hi - out[i].s1_lo < 0.1 && out[i].st_hi - out[i].st_lo < 0.1);
    assert_true(out[i].s1_lo - 0.01 <= s1[i] && s1[i] <= out[i].s1_hi + 0.01);
    assert_true(out[i].st_lo - 0.01 <= st[i] && st[i] <= out[i].st_hi + 0.01);
  }
  /* an input the function ignores gets indices near 0; a constant has none */
  for (int j = 0; j < N; j++) fab[2 * N + j] = fa[j];
  assert_int_equal(dt_stats_sobol(fa, fb, fab, N, K, 0, &r, out), 0);
  assert_true(fabs(out[2].st) < 1e-12 && isnan(out[2].s1_lo));
  for (int j = 0; j < N; j++) fa[j] = fb[j] = fab[j] = fab[N + j] = fab[2 * N + j] = 1;
  assert_int_equal(dt_stats_sobol(fa, fb, fab, N, K, 0, &r, out), DT_EINVAL);
  assert_true(isnan(out[0].s1));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(wilson_interval_matches_known_values),
    cmocka_unit_test(sobol_indices_of_ishigami_match_the_known_values),
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
    cmocka_unit_test(sorting_records_keeps_each_whole_and_orders_every_shape),
    cmocka_unit_test(ranks_quantiles_and_histograms_of_records_match_the_arrays),
    cmocka_unit_test(spearman_of_ranked_records_is_that_of_the_values),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
