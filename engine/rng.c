/* rng.c: the engine's random streams: xoshiro256** seeded through
 * SplitMix64, and samplers for the distributions scenarios use. It owns no
 * memory and no global state; validating parameters is the caller's job. */
#include "rng.h"

#include <math.h>

#define GOLDEN UINT64_C(0x9e3779b97f4a7c15)
#define LOG_2PI 1.8378770664093454836

/* The SplitMix64 output function: a bijection of 64-bit words with good
 * avalanche, so nearby inputs give unrelated outputs. */
static uint64_t mix64(uint64_t z)
{
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static uint64_t splitmix_next(uint64_t *x)
{
  *x += GOLDEN;
  return mix64(*x);
}

static uint64_t rotl(uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

uint64_t dt_rng_run_seed(uint64_t master_seed, uint64_t run_index)
{
  /* Both steps are bijections of run_index for a fixed master (GOLDEN is
   * odd, mix64 is invertible), so no two runs share a seed; the constant
   * keeps master 0 from starting at the fixed point mix64(0) = 0. */
  uint64_t base = mix64(master_seed ^ UINT64_C(0x6a09e667f3bcc908));
  return mix64(base + run_index * GOLDEN);
}

void dt_rng_seed1(dt_rng_t *r, uint64_t run_seed)
{
  /* Four consecutive SplitMix64 outputs come from four distinct inputs of
   * a bijection, so they are never all zero, the one state xoshiro must
   * avoid. */
  uint64_t x = run_seed;
  for (int i = 0; i < 4; i++)
    r->s[i] = splitmix_next(&x);
}

void dt_rng_seed(dt_rng_t *r, uint64_t master_seed, uint64_t run_index)
{
  dt_rng_seed1(r, dt_rng_run_seed(master_seed, run_index));
}

uint64_t dt_rng_next(dt_rng_t *r)
{
  uint64_t *s = r->s;
  uint64_t out = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return out;
}

void dt_rng_jump(dt_rng_t *r)
{
  /* The published coefficients of the polynomial that advances xoshiro256
   * by 2^128 steps; the state after the jump is the sum of the states the
   * polynomial's set bits select. */
  static const uint64_t poly[4] = {
    UINT64_C(0x180ec6d33cfd0aba), UINT64_C(0xd5a61266f0c9392c),
    UINT64_C(0xa9582618e03fc9aa), UINT64_C(0x39abdc4529b1661c)
  };
  uint64_t acc[4] = {0, 0, 0, 0};
  for (int w = 0; w < 4; w++) {
    for (int b = 0; b < 64; b++) {
      if (poly[w] & (UINT64_C(1) << b)) {
        for (int i = 0; i < 4; i++)
          acc[i] ^= r->s[i];
      }
      dt_rng_next(r);
    }
  }
  for (int i = 0; i < 4; i++)
    r->s[i] = acc[i];
}

double dt_rng_uniform(dt_rng_t *r)
{
  return (double)(dt_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform on (0, 1], for logarithms. */
static double uniform_pos(dt_rng_t *r)
{
  return 1.0 - dt_rng_uniform(r);
}

double dt_rng_uniform_range(dt_rng_t *r, double a, double b)
{
  return a + (b - a) * dt_rng_uniform(r);
}

int64_t dt_rng_int(dt_rng_t *r, int64_t lo, int64_t hi)
{
  if (hi <= lo)
    return lo;
  uint64_t span = (uint64_t)hi - (uint64_t)lo + 1; /* 0 means all 2^64 */
  uint64_t x;
  if (span == 0) {
    x = dt_rng_next(r);
  } else {
    /* Reject the lowest 2^64 mod span words so that every residue is hit
     * by the same number of accepted words. */
    uint64_t reject_below = (0 - span) % span;
    do {
      x = dt_rng_next(r);
    } while (x < reject_below);
    x %= span;
  }
  return (int64_t)((uint64_t)lo + x);
}

int dt_rng_bernoulli(dt_rng_t *r, double p)
{
  return dt_rng_uniform(r) < p;
}

/* A standard normal deviate by Marsaglia's polar method. It yields a pair;
 * the second is dropped so the stream stays the only state. */
static double std_normal(dt_rng_t *r)
{
  double u, v, s;
  do {
    u = 2.0 * dt_rng_uniform(r) - 1.0;
    v = 2.0 * dt_rng_uniform(r) - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  return u * sqrt(-2.0 * log(s) / s);
}

double dt_rng_normal(dt_rng_t *r, double mean, double sd)
{
  return mean + sd * std_normal(r);
}

double dt_rng_lognormal(dt_rng_t *r, double mu, double sigma)
{
  return exp(dt_rng_normal(r, mu, sigma));
}

double dt_rng_exponential(dt_rng_t *r, double mean)
{
  return -mean * log(uniform_pos(r));
}

/* log(k!) - (k log k - k + log(2 pi k) / 2), the tail of Stirling's series;
 * for k >= 10 the terms kept are accurate to about 1e-13. */
static double stirling_tail(double k)
{
  double k2 = k * k;
  return (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / (1260.0 * k2)) / k2) / k;
}

/* log of the Poisson(lambda) probability of k, written so that large lambda
 * and k do not cancel: k log(lambda / k) + k - lambda is computed as
 * k (log1p(d) - d) with d = (lambda - k) / k. */
static double poisson_logpmf(int64_t k, double lambda, double loglambda)
{
  static const double logfact[10] = {
    0.0, 0.0, 0.69314718055994531, 1.79175946922805500,
    3.17805383034794562, 4.78749174278204599, 6.57925121201010100,
    8.52516136106541430, 10.6046029027452502, 12.8018274800814696
  };
  if (k < 10)
    return -lambda + (double)k * loglambda - logfact[k];
  double kd = (double)k;
  double d = (lambda - kd) / kd;
  return kd * (log1p(d) - d) - 0.5 * (LOG_2PI + log(kd)) - stirling_tail(kd);
}

int64_t dt_rng_poisson(dt_rng_t *r, double lambda)
{
  if (!(lambda > 0.0))
    return 0;
  if (lambda < 10.0) {
    /* Count uniforms until their product falls below exp(-lambda). */
    double limit = exp(-lambda), prod = dt_rng_uniform(r);
    int64_t k = 0;
    while (prod >= limit) {
      prod *= dt_rng_uniform(r);
      k++;
    }
    return k;
  }
  /* PTRS, W. Hormann, "The transformed rejection method for generating
   * Poisson random variables", Insurance: Mathematics and Economics 12
   * (1993): a hat from a transformed uniform, a cheap acceptance region, and
   * an exact test against the probability mass for the rest. */
  double slam = sqrt(lambda), loglam = log(lambda);
  double b = 0.931 + 2.53 * slam;
  double a = -0.059 + 0.02483 * b;
  double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  double v_r = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    double u = dt_rng_uniform(r) - 0.5;
    double v = dt_rng_uniform(r);
    double us = 0.5 - fabs(u);
    double kf = floor((2.0 * a / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= v_r)
      return (int64_t)kf;
    if (kf < 0.0 || (us < 0.013 && v > us))
      continue;
    double lhs = log(v * inv_alpha / (a / (us * us) + b));
    if (lhs <= poisson_logpmf((int64_t)kf, lambda, loglam))
      return (int64_t)kf;
  }
}

/* Gamma(shape, 1) for shape >= 1: Marsaglia and Tsang, "A simple method for
 * generating gamma variables", ACM TOMS 26 (2000). */
static double gamma_ge1(dt_rng_t *r, double shape)
{
  double d = shape - 1.0 / 3.0;
  double c = 1.0 / sqrt(9.0 * d);
  for (;;) {
    double x = std_normal(r);
    double v = 1.0 + c * x;
    if (v <= 0.0)
      continue;
    v = v * v * v;
    double u = uniform_pos(r);
    double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2)
      return d * v;
    if (log(u) < 0.5 * x2 + d * (1.0 - v + log(v)))
      return d * v;
  }
}

double dt_rng_gamma(dt_rng_t *r, double shape, double scale)
{
  if (shape >= 1.0)
    return scale * gamma_ge1(r, shape);
  /* If X ~ Gamma(shape + 1) and U uniform, X U^(1/shape) ~ Gamma(shape). */
  double x = gamma_ge1(r, shape + 1.0);
  return scale * x * pow(uniform_pos(r), 1.0 / shape);
}

double dt_rng_beta(dt_rng_t *r, double a, double b)
{
  double x = dt_rng_gamma(r, a, 1.0);
  double y = dt_rng_gamma(r, b, 1.0);
  if (x + y > 0.0)
    return x / (x + y);
  /* Both underflowed (tiny shapes): the mass sits at the ends, in the
   * proportion a : b. */
  return dt_rng_uniform(r) * (a + b) < a ? 1.0 : 0.0;
}

double dt_rng_triangular(dt_rng_t *r, double lo, double mode, double hi)
{
  double width = hi - lo;
  if (!(width > 0.0))
    return lo;
  double u = dt_rng_uniform(r);
  double left = mode - lo;
  if (u * width < left)
    return lo + sqrt(u * width * left);
  return hi - sqrt((1.0 - u) * width * (hi - mode));
}

size_t dt_rng_weighted(dt_rng_t *r, const double *w, size_t n)
{
  double sum = 0.0;
  if (n == 0 || !w)
    return n;
  for (size_t i = 0; i < n; i++) {
    if (!(w[i] >= 0.0) || !isfinite(w[i]))
      return n;
    sum += w[i];
  }
  if (!(sum > 0.0) || !isfinite(sum))
    return n;
  double target = dt_rng_uniform(r) * sum;
  size_t last = n;
  for (size_t i = 0; i < n; i++) {
    if (w[i] <= 0.0)
      continue;
    if (target < w[i])
      return i;
    target -= w[i];
    last = i;
  }
  /* Rounding in the running subtraction can leave a sliver past the end;
   * it belongs to the last index with weight. */
  return last;
}

/* ---- stratified sampling ---- */

uint64_t dt_rng_stratum(uint64_t key, uint64_t n, uint64_t i)
{
  /* A balanced Feistel network permutes [0, 4^h) for the smallest h with
   * 4^h >= n; values at or past n walk on through the same permutation until
   * they land inside, which keeps it a bijection of [0, n). 4^h < 4n, so a
   * walk is short on average. */
  int h = 0;
  while (h < 31 && (UINT64_C(1) << (2 * h)) < n)
    h++;
  uint64_t mask = (UINT64_C(1) << h) - 1, x = i;
  do {
    uint64_t l = x >> h, r = x & mask;
    for (int round = 0; round < 4; round++) {
      uint64_t f = mix64(r ^ mix64(key + (uint64_t)round * GOLDEN)) & mask;
      uint64_t t = r;
      r = l ^ f;
      l = t;
    }
    x = (l << h) | r;
  } while (x >= n);
  return x;
}

/* u kept inside (0, 1) for the unbounded quantiles. */
static double open_u(double u)
{
  const double tiny = 0x1p-60;
  return u < tiny ? tiny : u > 1.0 - 0x1p-53 ? 1.0 - 0x1p-53 : u;
}

/* log Gamma(x) for x > 0: shifted up to x >= 10, then Stirling's series. */
static double log_gamma(double x)
{
  double shift = 0.0;
  while (x < 10.0) {
    shift += log(x);
    x += 1.0;
  }
  double z = 1.0 / (x * x);
  double series =
      (1.0 / 12.0 - z * (1.0 / 360.0 - z * (1.0 / 1260.0 - z * (1.0 / 1680.0)))) / x;
  return (x - 0.5) * log(x) - x + 0.5 * LOG_2PI + series - shift;
}

/* Regularized incomplete gamma P(a, x) and Q = 1 - P, each computed
 * directly where it is the small one: the power series below a + 1, the
 * continued fraction (modified Lentz) above. */
static void gamma_pq(double a, double x, double *p, double *q)
{
  if (!(x > 0.0)) {
    *p = 0.0; *q = 1.0;
    return;
  }
  double front = exp(a * log(x) - x - log_gamma(a));
  if (x < a + 1.0) {
    double term = 1.0 / a, sum = term, ap = a;
    for (int k = 0; k < 1000000; k++) {
      ap += 1.0;
      term *= x / ap;
      sum += term;
      if (fabs(term) < fabs(sum) * 1e-17)
        break;
    }
    *p = sum * front;
    if (*p > 1.0) *p = 1.0;
    *q = 1.0 - *p;
    return;
  }
  const double tiny = 1e-300;
  double b = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;
  for (int k = 1; k < 1000000; k++) {
    double an = -(double)k * ((double)k - a);
    b += 2.0;
    d = an * d + b;
    if (fabs(d) < tiny) d = tiny;
    c = b + an / c;
    if (fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    double del = d * c;
    h *= del;
    if (fabs(del - 1.0) < 1e-16)
      break;
  }
  *q = front * h;
  if (*q > 1.0) *q = 1.0;
  *p = 1.0 - *q;
}

/* The continued fraction of the incomplete beta function (modified Lentz). */
static double beta_cf(double a, double b, double x)
{
  const double tiny = 1e-300;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m < 100000; m++) {
    double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a - 1.0 + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1.0 + m2));
    d = 1.0 + aa * d;
    if (fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    double del = d * c;
    h *= del;
    if (fabs(del - 1.0) < 1e-16)
      break;
  }
  return h;
}

/* Regularized incomplete beta I_x(a, b). */
static double beta_cdf(double x, double a, double b)
{
  if (!(x > 0.0))
    return 0.0;
  if (!(x < 1.0))
    return 1.0;
  double front = exp(log_gamma(a + b) - log_gamma(a) - log_gamma(b) + a * log(x) +
                     b * log1p(-x));
  if (x < (a + 1.0) / (a + b + 2.0))
    return front * beta_cf(a, b, x) / a;
  return 1.0 - front * beta_cf(b, a, 1.0 - x) / b;
}

/* The x in [lo, hi] where cdf crosses u, by bisection to the last bit. */
typedef double (*cdf_fn)(double x, const double *p);
static double bisect(cdf_fn cdf, const double *p, double u, double lo, double hi)
{
  for (int k = 0; k < 400; k++) {
    double mid = lo + (hi - lo) / 2.0;
    if (!(mid > lo && mid < hi))
      break;
    if (cdf(mid, p) < u)
      lo = mid;
    else
      hi = mid;
  }
  return hi;
}

static double cdf_std_normal(double x, const double *p)
{
  (void)p;
  return 0.5 * erfc(-x * 0.70710678118654752440);
}

static double cdf_gamma1(double x, const double *p)
{
  double pp, qq;
  gamma_pq(p[0], x, &pp, &qq);
  return pp;
}

static double cdf_beta(double x, const double *p)
{
  return beta_cdf(x, p[0], p[1]);
}

double dt_rng_q_normal(double u, double mean, double sd)
{
  return mean + sd * bisect(cdf_std_normal, NULL, open_u(u), -40.0, 40.0);
}

double dt_rng_q_lognormal(double u, double mu, double sigma)
{
  return exp(dt_rng_q_normal(u, mu, sigma));
}

double dt_rng_q_exponential(double u, double mean)
{
  return -mean * log1p(-open_u(u));
}

double dt_rng_q_gamma(double u, double shape, double scale)
{
  double p[1] = { shape }, hi = shape > 1.0 ? shape : 1.0;
  u = open_u(u);
  while (cdf_gamma1(hi, p) < u && hi < 1e300)
    hi *= 2.0;
  return scale * bisect(cdf_gamma1, p, u, 0.0, hi);
}

double dt_rng_q_beta(double u, double a, double b)
{
  double p[2] = { a, b };
  if (!(u > 0.0))
    return 0.0;
  return bisect(cdf_beta, p, open_u(u), 0.0, 1.0);
}

double dt_rng_q_triangular(double u, double lo, double mode, double hi)
{
  double width = hi - lo;
  if (!(width > 0.0))
    return lo;
  double left = mode - lo;
  if (u * width < left)
    return lo + sqrt(u * width * left);
  return hi - sqrt((1.0 - u) * width * (hi - mode));
}

int64_t dt_rng_q_int(double u, int64_t lo, int64_t hi)
{
  if (hi <= lo)
    return lo;
  double span = (double)hi - (double)lo + 1.0;
  double k = floor(u * span);
  if (k >= span) k = span - 1.0;
  if (k < 0.0) k = 0.0;
  return lo + (int64_t)k;
}

int64_t dt_rng_q_poisson(double u, double lambda)
{
  if (!(lambda > 0.0))
    return 0;
  u = open_u(u);
  if (lambda < 200.0) {   /* the CDF summed term by term */
    double pk = exp(-lambda), cdf = pk;
    int64_t k = 0;
    while (cdf < u && (k < lambda || pk > 1e-17 * cdf)) {   /* past that, cdf stays */
      k++;
      pk *= lambda / (double)k;
      cdf += pk;
    }
    return k;
  }
  /* P(X <= k) = Q(k + 1, lambda): the smallest such k reaching u. */
  int64_t lo = -1, hi = (int64_t)(lambda + 50.0 * sqrt(lambda) + 50.0);
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    double p, q;
    gamma_pq((double)mid + 1.0, lambda, &p, &q);
    if (q < u)
      lo = mid;
    else
      hi = mid;
  }
  return hi;
}
