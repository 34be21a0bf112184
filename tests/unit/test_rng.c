/* test_rng.c: unit tests of engine/rng.c: reproducible seeding, the
 * generator against known values, the jump against the 2^128-th power of the
 * transition, and the moments of each sampler over many draws. Tolerances
 * are several standard errors wide: loose enough never to flake with the
 * fixed seeds, tight enough to catch a wrong formula. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "rng.h"

#define DRAWS 200000

typedef double (*sampler_fn)(dt_rng_t *r, const double *p);

/* Draws DRAWS values and checks the mean to within 6 standard errors and
 * the variance to within rel_var of the truth. */
static void check_moments(sampler_fn f, const double *p, double mean,
                          double var, double rel_var, uint64_t seed)
{
  dt_rng_t r;
  double sum = 0.0, sumsq = 0.0;
  dt_rng_seed(&r, seed, 0);
  for (int i = 0; i < DRAWS; i++) {
    double x = f(&r, p);
    if (!isfinite(x))
      fail_msg("draw %d is not finite", i);
    sum += x;
    sumsq += x * x;
  }
  double m = sum / DRAWS;
  double v = (sumsq - sum * m) / (DRAWS - 1);
  double se = sqrt(var / DRAWS);
  if (fabs(m - mean) > 6.0 * se)
    fail_msg("mean %.6g, want %.6g +- %.3g", m, mean, 6.0 * se);
  if (fabs(v - var) > rel_var * var)
    fail_msg("variance %.6g, want %.6g +- %.0f%%", v, var, rel_var * 100.0);
}

static double s_uniform(dt_rng_t *r, const double *p)
{
  (void)p;
  return dt_rng_uniform(r);
}
static double s_uniform_range(dt_rng_t *r, const double *p)
{
  return dt_rng_uniform_range(r, p[0], p[1]);
}
static double s_normal(dt_rng_t *r, const double *p)
{
  return dt_rng_normal(r, p[0], p[1]);
}
static double s_lognormal(dt_rng_t *r, const double *p)
{
  return dt_rng_lognormal(r, p[0], p[1]);
}
static double s_exponential(dt_rng_t *r, const double *p)
{
  return dt_rng_exponential(r, p[0]);
}
static double s_poisson(dt_rng_t *r, const double *p)
{
  return (double)dt_rng_poisson(r, p[0]);
}
static double s_gamma(dt_rng_t *r, const double *p)
{
  return dt_rng_gamma(r, p[0], p[1]);
}
static double s_beta(dt_rng_t *r, const double *p)
{
  return dt_rng_beta(r, p[0], p[1]);
}
static double s_triangular(dt_rng_t *r, const double *p)
{
  return dt_rng_triangular(r, p[0], p[1], p[2]);
}
static double s_bernoulli(dt_rng_t *r, const double *p)
{
  return dt_rng_bernoulli(r, p[0]);
}

static void the_same_seed_gives_the_same_sequence(void **state)
{
  (void)state;
  dt_rng_t a, b;
  dt_rng_seed(&a, 42, 7);
  dt_rng_seed(&b, 42, 7);
  for (int i = 0; i < 1000; i++)
    assert_int_equal(dt_rng_next(&a), dt_rng_next(&b));
  dt_rng_t c = a;
  assert_true(dt_rng_normal(&a, 0, 1) == dt_rng_normal(&c, 0, 1));
  assert_int_equal(dt_rng_poisson(&a, 1e5), dt_rng_poisson(&c, 1e5));
  assert_memory_equal(&a, &c, sizeof a);
}

static void different_run_indices_give_different_streams(void **state)
{
  (void)state;
  dt_rng_t a, b;
  dt_rng_seed(&a, 42, 0);
  dt_rng_seed(&b, 42, 1);
  int same = 0;
  for (int i = 0; i < 1000; i++)
    same += dt_rng_next(&a) == dt_rng_next(&b);
  assert_int_equal(same, 0);
  dt_rng_seed(&b, 43, 0);
  dt_rng_seed(&a, 42, 0);
  assert_true(dt_rng_next(&a) != dt_rng_next(&b));
}

static void seed_equals_seed1_of_the_run_seed(void **state)
{
  (void)state;
  static const uint64_t masters[] = {0, 1, 42, UINT64_MAX, 0x123456789abcdefu};
  for (size_t i = 0; i < sizeof masters / sizeof masters[0]; i++) {
    for (uint64_t k = 0; k < 50; k++) {
      dt_rng_t a, b;
      dt_rng_seed(&a, masters[i], k);
      dt_rng_seed1(&b, dt_rng_run_seed(masters[i], k));
      assert_memory_equal(&a, &b, sizeof a);
    }
  }
}

static int cmp_u64(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

static void run_seeds_of_one_master_never_collide(void **state)
{
  (void)state;
  enum { N = 100000 };
  uint64_t *seeds = malloc(N * sizeof *seeds);
  assert_non_null(seeds);
  for (uint64_t i = 0; i < N; i++)
    seeds[i] = dt_rng_run_seed(7, i);
  qsort(seeds, N, sizeof *seeds, cmp_u64);
  for (size_t i = 1; i < N; i++)
    assert_true(seeds[i] != seeds[i - 1]);
  free(seeds);
}

static int popcount64(uint64_t x)
{
  int n = 0;
  for (; x; x &= x - 1)
    n++;
  return n;
}

static void neighbouring_run_indices_differ_in_about_half_the_bits(void **state)
{
  (void)state;
  /* Over 2000 neighbours, run seeds and first outputs should differ in 32
   * bits on average (the standard error of the mean is about 0.09). */
  double seed_bits = 0.0, out_bits = 0.0;
  for (uint64_t i = 0; i < 2000; i++) {
    dt_rng_t a, b;
    seed_bits += popcount64(dt_rng_run_seed(0, i) ^ dt_rng_run_seed(0, i + 1));
    dt_rng_seed(&a, 0, i);
    dt_rng_seed(&b, 0, i + 1);
    out_bits += popcount64(dt_rng_next(&a) ^ dt_rng_next(&b));
  }
  assert_true(fabs(seed_bits / 2000 - 32.0) < 0.6);
  assert_true(fabs(out_bits / 2000 - 32.0) < 0.6);
}

static void seed1_fills_the_state_with_splitmix64(void **state)
{
  (void)state;
  /* The first SplitMix64 output for seed 0 is a published test value. */
  dt_rng_t r;
  dt_rng_seed1(&r, 0);
  assert_int_equal(r.s[0], UINT64_C(0xe220a8397b1dcdaf));
}

static void next_matches_the_reference_xoshiro256starstar(void **state)
{
  (void)state;
  /* Outputs of the reference generator from state {1, 2, 3, 4}. */
  dt_rng_t r = {{1, 2, 3, 4}};
  assert_int_equal(dt_rng_next(&r), UINT64_C(11520));
  assert_int_equal(dt_rng_next(&r), UINT64_C(0));
  assert_int_equal(dt_rng_next(&r), UINT64_C(1509978240));
  assert_int_equal(dt_rng_next(&r), UINT64_C(1215971899390074240));
}

/* A 256x256 matrix over GF(2), stored by columns of four words. */
typedef struct { uint64_t col[256][4]; } gf2_matrix;

static void gf2_apply(const gf2_matrix *m, const uint64_t v[4], uint64_t out[4])
{
  uint64_t acc[4] = {0, 0, 0, 0};
  for (int j = 0; j < 256; j++) {
    if (v[j / 64] >> (j % 64) & 1) {
      for (int w = 0; w < 4; w++)
        acc[w] ^= m->col[j][w];
    }
  }
  memcpy(out, acc, sizeof acc);
}

static void jump_equals_two_to_the_128_single_steps(void **state)
{
  (void)state;
  /* The generator's step is linear over GF(2); square its matrix 128 times
   * and compare with the jump polynomial. */
  gf2_matrix *m = malloc(sizeof *m), *sq = malloc(sizeof *sq);
  assert_non_null(m);
  assert_non_null(sq);
  for (int j = 0; j < 256; j++) {
    dt_rng_t e = {{0, 0, 0, 0}};
    e.s[j / 64] = UINT64_C(1) << (j % 64);
    dt_rng_next(&e);
    memcpy(m->col[j], e.s, sizeof e.s);
  }
  for (int k = 0; k < 128; k++) {
    for (int j = 0; j < 256; j++)
      gf2_apply(m, m->col[j], sq->col[j]);
    memcpy(m, sq, sizeof *m);
  }
  dt_rng_t r;
  dt_rng_seed(&r, 99, 3);
  uint64_t want[4];
  gf2_apply(m, r.s, want);
  dt_rng_jump(&r);
  assert_memory_equal(r.s, want, sizeof want);
  free(m);
  free(sq);
}

static void uniform_lies_in_zero_one_with_the_right_moments(void **state)
{
  (void)state;
  dt_rng_t r;
  dt_rng_seed(&r, 1, 0);
  for (int i = 0; i < DRAWS; i++) {
    double u = dt_rng_uniform(&r);
    assert_true(u >= 0.0 && u < 1.0);
  }
  check_moments(s_uniform, NULL, 0.5, 1.0 / 12.0, 0.02, 1);
  double p[2] = {-3.0, 5.0};
  check_moments(s_uniform_range, p, 1.0, 64.0 / 12.0, 0.02, 2);
}

static void int_covers_both_bounds_and_nothing_else(void **state)
{
  (void)state;
  dt_rng_t r;
  int count[7] = {0};
  dt_rng_seed(&r, 3, 0);
  for (int i = 0; i < 70000; i++) {
    int64_t k = dt_rng_int(&r, -3, 3);
    assert_true(k >= -3 && k <= 3);
    count[k + 3]++;
  }
  /* Expected 10000 each, standard deviation about 93. */
  for (int i = 0; i < 7; i++)
    assert_true(abs(count[i] - 10000) < 600);
  assert_int_equal(dt_rng_int(&r, 5, 5), 5);
  assert_int_equal(dt_rng_int(&r, 9, 2), 9);
  int hit_lo = 0, hit_hi = 0;
  for (int i = 0; i < 1000; i++) {
    int64_t k = dt_rng_int(&r, INT64_MAX - 1, INT64_MAX);
    hit_lo |= k == INT64_MAX - 1;
    hit_hi |= k == INT64_MAX;
    k = dt_rng_int(&r, INT64_MIN, INT64_MIN + 1);
    assert_true(k == INT64_MIN || k == INT64_MIN + 1);
  }
  assert_true(hit_lo && hit_hi);
  int neg = 0;
  for (int i = 0; i < 1000; i++)
    neg += dt_rng_int(&r, INT64_MIN, INT64_MAX) < 0;
  assert_true(neg > 400 && neg < 600);
}

static void int_is_unbiased_for_a_range_that_is_not_a_power_of_two(void **state)
{
  (void)state;
  /* With span 3 * 2^62, plain modulo would make the lowest third of the
   * range twice as likely as the rest. */
  dt_rng_t r;
  int low = 0;
  dt_rng_seed(&r, 4, 0);
  const int64_t hi = (int64_t)(3 * (UINT64_C(1) << 61) - 1);
  for (int i = 0; i < 60000; i++)
    low += dt_rng_int(&r, -hi - 1, hi) < -hi / 3;
  assert_true(abs(low - 20000) < 700);
}

static void bernoulli_hits_p_and_respects_the_edges(void **state)
{
  (void)state;
  double p = 0.3;
  check_moments(s_bernoulli, &p, 0.3, 0.21, 0.03, 5);
  dt_rng_t r;
  dt_rng_seed(&r, 5, 1);
  for (int i = 0; i < 1000; i++) {
    assert_int_equal(dt_rng_bernoulli(&r, 0.0), 0);
    assert_int_equal(dt_rng_bernoulli(&r, 1.0), 1);
  }
}

static void normal_has_the_requested_mean_and_variance(void **state)
{
  (void)state;
  double p[2] = {10.0, 3.0};
  check_moments(s_normal, p, 10.0, 9.0, 0.02, 6);
  double q[2] = {-1.0, 0.01};
  check_moments(s_normal, q, -1.0, 1e-4, 0.02, 7);
}

static void normal_tails_have_the_right_mass(void **state)
{
  (void)state;
  /* P(|Z| > 2) = 0.0455. */
  dt_rng_t r;
  int tail = 0;
  dt_rng_seed(&r, 8, 0);
  for (int i = 0; i < DRAWS; i++)
    tail += fabs(dt_rng_normal(&r, 0.0, 1.0)) > 2.0;
  assert_true(fabs(tail / (double)DRAWS - 0.0455) < 0.003);
}

static void lognormal_uses_the_parameters_of_the_underlying_normal(void **state)
{
  (void)state;
  double mu = 0.2, sg = 0.5;
  double p[2] = {mu, sg};
  double mean = exp(mu + sg * sg / 2);
  double var = expm1(sg * sg) * exp(2 * mu + sg * sg);
  check_moments(s_lognormal, p, mean, var, 0.05, 9);
}

static void exponential_has_the_requested_mean(void **state)
{
  (void)state;
  double p = 4.0;
  check_moments(s_exponential, &p, 4.0, 16.0, 0.04, 10);
}

static void poisson_mean_and_variance_equal_lambda(void **state)
{
  (void)state;
  static const double lambdas[] = {0.05, 1.0, 3.5, 9.99, 10.0, 57.3, 1000.0,
                                   1e6};
  for (size_t i = 0; i < sizeof lambdas / sizeof lambdas[0]; i++)
    check_moments(s_poisson, &lambdas[i], lambdas[i], lambdas[i], 0.03,
                  11 + i);
  dt_rng_t r;
  dt_rng_seed(&r, 11, 0);
  assert_int_equal(dt_rng_poisson(&r, 0.0), 0);
}

static void poisson_frequencies_follow_the_mass_function(void **state)
{
  (void)state;
  /* Each count against its expectation, for one lambda per method. */
  static const double lambdas[] = {4.0, 25.0};
  for (size_t l = 0; l < 2; l++) {
    double lam = lambdas[l];
    int count[100] = {0};
    dt_rng_t r;
    dt_rng_seed(&r, 20 + l, 0);
    for (int i = 0; i < DRAWS; i++) {
      int64_t k = dt_rng_poisson(&r, lam);
      assert_true(k >= 0);
      if (k < 100)
        count[k]++;
    }
    for (int k = 0; k < 100; k++) {
      double want = DRAWS * exp(-lam + k * log(lam) - lgamma(k + 1.0));
      if (fabs(count[k] - want) > 5.0 * sqrt(want) + 3.0)
        fail_msg("lambda %g: %d draws of %d, want %.1f", lam, count[k], k,
                 want);
    }
  }
}

static void gamma_has_mean_shape_times_scale(void **state)
{
  (void)state;
  static const double shapes[] = {0.3, 1.0, 2.5, 50.0};
  for (size_t i = 0; i < 4; i++) {
    double p[2] = {shapes[i], 2.0};
    check_moments(s_gamma, p, shapes[i] * 2.0, shapes[i] * 4.0,
                  shapes[i] < 1 ? 0.06 : 0.03, 30 + i);
  }
}

static void gamma_below_shape_one_stays_non_negative(void **state)
{
  (void)state;
  dt_rng_t r;
  dt_rng_seed(&r, 35, 0);
  for (int i = 0; i < 10000; i++)
    assert_true(dt_rng_gamma(&r, 0.05, 1.0) >= 0.0);
}

static void beta_stays_in_zero_one_with_the_right_moments(void **state)
{
  (void)state;
  double p[2] = {2.0, 5.0};
  check_moments(s_beta, p, 2.0 / 7.0, 10.0 / (49.0 * 8.0), 0.03, 40);
  double q[2] = {0.5, 0.5};
  check_moments(s_beta, q, 0.5, 0.125, 0.03, 41);
  dt_rng_t r;
  dt_rng_seed(&r, 42, 0);
  for (int i = 0; i < 10000; i++) {
    double x = dt_rng_beta(&r, 0.3, 0.7);
    assert_true(x >= 0.0 && x <= 1.0);
  }
}

static void triangular_has_the_mean_of_its_three_points(void **state)
{
  (void)state;
  double p[3] = {1.0, 2.0, 6.0};
  check_moments(s_triangular, p, 3.0, 21.0 / 18.0, 0.03, 50);
  double q[3] = {0.0, 0.0, 1.0};
  check_moments(s_triangular, q, 1.0 / 3.0, 1.0 / 18.0, 0.03, 51);
  double s[3] = {0.0, 1.0, 1.0};
  check_moments(s_triangular, s, 2.0 / 3.0, 1.0 / 18.0, 0.03, 52);
  dt_rng_t r;
  dt_rng_seed(&r, 53, 0);
  for (int i = 0; i < 10000; i++) {
    double x = dt_rng_triangular(&r, 1.0, 2.0, 6.0);
    assert_true(x >= 1.0 && x <= 6.0);
  }
  assert_true(dt_rng_triangular(&r, 2.0, 2.0, 2.0) == 2.0);
}

static void weighted_picks_follow_the_weights(void **state)
{
  (void)state;
  const double w[4] = {1.0, 0.0, 3.0, 6.0};
  int count[5] = {0};
  dt_rng_t r;
  dt_rng_seed(&r, 60, 0);
  for (int i = 0; i < DRAWS; i++)
    count[dt_rng_weighted(&r, w, 4)]++;
  assert_int_equal(count[1], 0);
  assert_int_equal(count[4], 0);
  /* Standard deviations are about 134, 205 and 219. */
  assert_true(abs(count[0] - 20000) < 900);
  assert_true(abs(count[2] - 60000) < 1200);
  assert_true(abs(count[3] - 120000) < 1300);
}

static void weighted_never_returns_a_trailing_zero_weight(void **state)
{
  (void)state;
  const double w[3] = {0.1, 0.2, 0.0};
  dt_rng_t r;
  dt_rng_seed(&r, 61, 0);
  for (int i = 0; i < 10000; i++)
    assert_true(dt_rng_weighted(&r, w, 3) < 2);
  const double one[2] = {0.0, 5.0};
  assert_int_equal(dt_rng_weighted(&r, one, 2), 1);
}

static void weighted_returns_n_on_invalid_weights(void **state)
{
  (void)state;
  dt_rng_t r;
  dt_rng_seed(&r, 62, 0);
  dt_rng_t before = r;
  const double neg[3] = {1.0, -0.5, 1.0};
  const double zero[2] = {0.0, 0.0};
  const double nan_w[2] = {1.0, NAN};
  const double inf_w[2] = {1.0, INFINITY};
  const double huge[2] = {1.7e308, 1.7e308};
  assert_int_equal(dt_rng_weighted(&r, neg, 3), 3);
  assert_int_equal(dt_rng_weighted(&r, zero, 2), 2);
  assert_int_equal(dt_rng_weighted(&r, nan_w, 2), 2);
  assert_int_equal(dt_rng_weighted(&r, inf_w, 2), 2);
  assert_int_equal(dt_rng_weighted(&r, huge, 2), 2);
  assert_int_equal(dt_rng_weighted(&r, neg, 0), 0);
  assert_int_equal(dt_rng_weighted(&r, NULL, 4), 4);
  assert_memory_equal(&r, &before, sizeof r);
}

/* cmocka's assert_float_equal compares floats; these need doubles. */
#define assert_near(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

static void stratum_is_a_permutation_for_any_n(void **state)
{
  (void)state;
  const uint64_t ns[] = {1, 2, 3, 5, 16, 17, 1000, 4097};
  for (size_t t = 0; t < sizeof ns / sizeof *ns; t++) {
    uint64_t n = ns[t];
    unsigned char *seen = calloc(n, 1);
    assert_non_null(seen);
    for (uint64_t i = 0; i < n; i++) {
      uint64_t k = dt_rng_stratum(77 + t, n, i);
      assert_true(k < n);
      assert_int_equal(seen[k], 0);
      seen[k] = 1;
    }
    free(seen);
  }
  /* Another key gives another order (of 1000 places, most move). */
  int same = 0;
  for (uint64_t i = 0; i < 1000; i++)
    same += dt_rng_stratum(1, 1000, i) == dt_rng_stratum(2, 1000, i);
  assert_true(same < 20);
  /* Not the identity, nor a shift. */
  int fixed = 0;
  for (uint64_t i = 0; i < 1000; i++)
    fixed += dt_rng_stratum(1, 1000, i) == i;
  assert_true(fixed < 20);
}

static void quantiles_invert_the_distributions(void **state)
{
  (void)state;
  assert_near(dt_rng_q_normal(0.975, 0, 1), 1.959963984540054, 1e-12);
  assert_near(dt_rng_q_normal(0.5, 3, 2), 3.0, 1e-12);
  assert_near(dt_rng_q_normal(0.025, 10, 2), 10 - 2 * 1.959963984540054, 1e-11);
  assert_true(isfinite(dt_rng_q_normal(0.0, 0, 1)) && dt_rng_q_normal(0.0, 0, 1) < -8);
  assert_near(dt_rng_q_lognormal(0.5, 1, 0.5), exp(1.0), 1e-12);
  assert_near(dt_rng_q_exponential(0.5, 3), 3 * log(2.0), 1e-12);
  for (double u = 0.01; u < 1; u += 0.07) {
    /* gamma(1, m) is exponential(m); gamma(k, 1) has CDF 1 - e^-x sum x^i/i! */
    assert_near(dt_rng_q_gamma(u, 1, 2.5), -2.5 * log1p(-u), 1e-9);
    double x = dt_rng_q_gamma(u, 3, 1);
    double cdf = 1 - exp(-x) * (1 + x + x * x / 2);
    assert_near(cdf, u, 1e-12);
    assert_near(dt_rng_q_beta(u, 1, 1), u, 1e-12);
    x = dt_rng_q_beta(u, 2, 1);   /* CDF x^2 */
    assert_near(x * x, u, 1e-12);
    x = dt_rng_q_beta(u, 2, 3);   /* CDF 6x^2 - 8x^3 + 3x^4 */
    assert_near(6 * x * x - 8 * x * x * x + 3 * x * x * x * x, u, 1e-12);
    x = dt_rng_q_triangular(u, 0, 0, 1);   /* CDF 1 - (1 - x)^2 */
    assert_near(1 - (1 - x) * (1 - x), u, 1e-12);
  }
  assert_near(dt_rng_q_beta(0.5, 2, 2), 0.5, 1e-12);
  assert_int_equal(dt_rng_q_int(0.0, 3, 7), 3);
  assert_int_equal(dt_rng_q_int(0.999999, 3, 7), 7);
  assert_int_equal(dt_rng_q_int(0.5, 3, 7), 5);
  /* Poisson: the smallest k with P(X <= k) >= u, summed and by bisection. */
  const double lams[] = {0.5, 4, 150, 250, 5000};
  for (size_t t = 0; t < sizeof lams / sizeof *lams; t++)
    for (double u = 0.003; u < 1; u += 0.0991) {
      double lam = lams[t];
      int64_t k = dt_rng_q_poisson(u, lam);
      double cdf = 0, prev = 0;
      for (int64_t i = 0; i <= k; i++) {
        prev = cdf;
        cdf += exp((double)i * log(lam) - lam - lgamma((double)i + 1));
      }
      assert_true(cdf >= u - 1e-9);
      assert_true(prev < u + 1e-9);
      assert_true(k >= 0);
    }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_same_seed_gives_the_same_sequence),
    cmocka_unit_test(different_run_indices_give_different_streams),
    cmocka_unit_test(seed_equals_seed1_of_the_run_seed),
    cmocka_unit_test(run_seeds_of_one_master_never_collide),
    cmocka_unit_test(neighbouring_run_indices_differ_in_about_half_the_bits),
    cmocka_unit_test(seed1_fills_the_state_with_splitmix64),
    cmocka_unit_test(next_matches_the_reference_xoshiro256starstar),
    cmocka_unit_test(jump_equals_two_to_the_128_single_steps),
    cmocka_unit_test(uniform_lies_in_zero_one_with_the_right_moments),
    cmocka_unit_test(int_covers_both_bounds_and_nothing_else),
    cmocka_unit_test(int_is_unbiased_for_a_range_that_is_not_a_power_of_two),
    cmocka_unit_test(bernoulli_hits_p_and_respects_the_edges),
    cmocka_unit_test(normal_has_the_requested_mean_and_variance),
    cmocka_unit_test(normal_tails_have_the_right_mass),
    cmocka_unit_test(lognormal_uses_the_parameters_of_the_underlying_normal),
    cmocka_unit_test(exponential_has_the_requested_mean),
    cmocka_unit_test(poisson_mean_and_variance_equal_lambda),
    cmocka_unit_test(poisson_frequencies_follow_the_mass_function),
    cmocka_unit_test(gamma_has_mean_shape_times_scale),
    cmocka_unit_test(gamma_below_shape_one_stays_non_negative),
    cmocka_unit_test(beta_stays_in_zero_one_with_the_right_moments),
    cmocka_unit_test(triangular_has_the_mean_of_its_three_points),
    cmocka_unit_test(weighted_picks_follow_the_weights),
    cmocka_unit_test(weighted_never_returns_a_trailing_zero_weight),
    cmocka_unit_test(weighted_returns_n_on_invalid_weights),
    cmocka_unit_test(stratum_is_a_permutation_for_any_n),
    cmocka_unit_test(quantiles_invert_the_distributions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
