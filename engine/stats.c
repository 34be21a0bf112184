/* stats.c: the statistics behind `detente mc` summaries (see stats.h). Owns
 * nothing beyond the scratch dt_stats_spearman and dt_stats_ranks allocate and
 * free (the record functions never allocate); knows nothing of runs, Lua or
 * files. */
#include "stats.h"
#include "errors.h"
#include "rng.h"
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void dt_stats_wilson(uint64_t k, uint64_t n, double z, double *lo, double *hi) {
  if (n == 0) { *lo = 0.0; *hi = 1.0; return; }
  double nn = (double)n, p = (double)k / nn, z2 = z * z;
  double denom = 1.0 + z2 / nn;
  double centre = (p + z2 / (2.0 * nn)) / denom;
  double half = z * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)) / denom;
  *lo = centre - half; *hi = centre + half;
  if (*lo < 0.0 || k == 0) *lo = 0.0;
  if (*hi > 1.0 || k == n) *hi = 1.0;
}

void dt_welford_add(dt_welford_t *w, double x) {
  w->n++;
  double d = x - w->mean;
  w->mean += d / (double)w->n;
  w->m2 += d * (x - w->mean);
}

double dt_welford_sd(const dt_welford_t *w) {
  if (w->n < 2) return 0.0;
  return sqrt(w->m2 / (double)(w->n - 1));
}

/* ---- records: sorting, quantiles and ranks without allocating -------------- */

/* n records of `size` bytes at b, keyed by the double at byte offset `key`. */
typedef struct recs { unsigned char *b; size_t size, key; } recs_t;

static double key_at(const recs_t *r, size_t i) {
  double d;
  memcpy(&d, r->b + i * r->size + r->key, sizeof d);
  return d;
}

static void set_key(const recs_t *r, size_t i, double d) {
  memcpy(r->b + i * r->size + r->key, &d, sizeof d);
}

static void swap_recs(const recs_t *r, size_t i, size_t j) {
  unsigned char t[64], *a = r->b + i * r->size, *c = r->b + j * r->size;
  for (size_t o = 0; o < r->size; o += sizeof t) {
    size_t k = r->size - o < sizeof t ? r->size - o : sizeof t;
    memcpy(t, a + o, k); memcpy(a + o, c + o, k); memcpy(c + o, t, k);
  }
}

static void sift_down(const recs_t *r, size_t lo, size_t root, size_t n) {
  for (;;) {
    size_t c = 2 * root + 1;
    if (c >= n) return;
    if (c + 1 < n && key_at(r, lo + c + 1) > key_at(r, lo + c)) c++;
    if (!(key_at(r, lo + c) > key_at(r, lo + root))) return;
    swap_recs(r, lo + root, lo + c);
    root = c;
  }
}

/* Introsort: quicksort on the median of three, heapsort when it degenerates,
 * insertion sort for short ranges. glibc's qsort would copy all the records
 * into a buffer of the same size first; this sorts in place. */
static void intro_sort(const recs_t *r, size_t lo, size_t hi, int depth) {
  while (hi - lo > 16) {
    if (depth-- == 0) {
      size_t n = hi - lo;
      for (size_t i = n / 2; i-- > 0; ) sift_down(r, lo, i, n);
      for (size_t e = n; e-- > 1; ) { swap_recs(r, lo, lo + e); sift_down(r, lo, 0, e); }
      return;
    }
    size_t mid = lo + (hi - lo) / 2;
    if (key_at(r, mid) < key_at(r, lo)) swap_recs(r, mid, lo);
    if (key_at(r, hi - 1) < key_at(r, lo)) swap_recs(r, hi - 1, lo);
    if (key_at(r, hi - 1) < key_at(r, mid)) swap_recs(r, hi - 1, mid);
    double pv = key_at(r, mid);
    size_t i = lo, j = hi - 1;   /* Hoare's partition: [lo, j] <= pv <= [j + 1, hi) */
    for (;;) {
      while (key_at(r, i) < pv) i++;
      while (key_at(r, j) > pv) j--;
      if (i >= j) break;
      swap_recs(r, i, j);
      i++; j--;
    }
    if (j + 1 - lo < hi - j - 1) { intro_sort(r, lo, j + 1, depth); lo = j + 1; }
    else { intro_sort(r, j + 1, hi, depth); hi = j + 1; }
  }
  for (size_t i = lo + 1; i < hi; i++)
    for (size_t k = i; k > lo && key_at(r, k - 1) > key_at(r, k); k--) swap_recs(r, k - 1, k);
}

void dt_stats_sort_rows(void *base, size_t n, size_t size, size_t key) {
  recs_t r = { base, size, key };
  int depth = 0;
  for (size_t m = n; m > 1; m >>= 1) depth += 2;
  if (n > 1) intro_sort(&r, 0, n, depth);
}

void dt_stats_rank_rows(void *base, size_t n, size_t size, size_t key) {
  recs_t r = { base, size, key };
  size_t i = 0;
  while (i < n) {
    size_t j = i + 1;
    double v = key_at(&r, i);
    while (j < n && key_at(&r, j) == v) j++;
    double avg = ((double)(i + 1) + (double)j) / 2.0;   /* ranks i+1 .. j */
    for (size_t k = i; k < j; k++) set_key(&r, k, avg);
    i = j;
  }
}

double dt_stats_quantile_rows(const void *base, size_t n, size_t size, size_t key, double p) {
  recs_t r = { (unsigned char *)base, size, key };
  if (n == 0) return NAN;
  if (p <= 0.0) return key_at(&r, 0);
  if (p >= 1.0) return key_at(&r, n - 1);
  double h = (double)(n - 1) * p;
  size_t i = (size_t)floor(h);
  if (i + 1 >= n) return key_at(&r, n - 1);
  double f = h - (double)i, a = key_at(&r, i), b = key_at(&r, i + 1);
  return a + f * (b - a);
}

void dt_stats_sort(double *x, size_t n) { dt_stats_sort_rows(x, n, sizeof *x, 0); }

double dt_stats_quantile(const double *s, size_t n, double p) {
  return dt_stats_quantile_rows(s, n, sizeof *s, 0, p);
}

void dt_stats_histogram_rows(const void *base, size_t n, size_t size, size_t key,
                             double lo, double hi, int bins, uint64_t *counts) {
  recs_t r = { (unsigned char *)base, size, key };
  for (int b = 0; b < bins; b++) counts[b] = 0;
  if (bins <= 0) return;
  for (size_t i = 0; i < n; i++) {
    double v = key_at(&r, i);
    if (!(v >= lo && v <= hi)) continue;
    int b = 0;
    if (hi > lo) {
      b = (int)((v - lo) / (hi - lo) * bins);
      if (b >= bins) b = bins - 1;
      if (b < 0) b = 0;
    } else if (v != lo) continue;
    counts[b]++;
  }
}

void dt_stats_histogram(const double *x, size_t n, double lo, double hi,
                        int bins, uint64_t *counts) {
  dt_stats_histogram_rows(x, n, sizeof *x, 0, lo, hi, bins, counts);
}

char *dt_stats_sparkline(const uint64_t *counts, int bins, char *buf) {
  static const char *const blocks[] = { " ", "\u2581", "\u2582", "\u2583", "\u2584",
                                        "\u2585", "\u2586", "\u2587", "\u2588" };
  uint64_t max = 0;
  for (int b = 0; b < bins; b++) if (counts[b] > max) max = counts[b];
  char *p = buf;
  for (int b = 0; b < bins; b++) {
    int level = 0;
    if (counts[b] > 0 && max > 0) {
      level = (int)ceil((double)counts[b] * 8.0 / (double)max);
      if (level < 1) level = 1;
      if (level > 8) level = 8;
    }
    size_t len = strlen(blocks[level]);
    memcpy(p, blocks[level], len);
    p += len;
  }
  *p = 0;
  return buf;
}

/* (value, index) pairs, sorted by value: the index says whose rank it is. */
typedef struct vi { double v; size_t i; } vi_t;

void dt_stats_ranks(const double *x, size_t n, double *rank, size_t *work) {
  vi_t *p = malloc(n * sizeof *p);
  if (!p) { for (size_t i = 0; i < n; i++) rank[i] = NAN; return; }
  for (size_t i = 0; i < n; i++) { p[i].v = x[i]; p[i].i = i; }
  dt_stats_sort_rows(p, n, sizeof *p, offsetof(vi_t, v));
  for (size_t i = 0; i < n; i++) work[i] = p[i].i;
  dt_stats_rank_rows(p, n, sizeof *p, offsetof(vi_t, v));
  for (size_t i = 0; i < n; i++) rank[work[i]] = p[i].v;
  free(p);
}

double dt_stats_spearman_ranked(const void *base, size_t n, size_t size, size_t xkey, size_t ykey) {
  if (n < 2) return NAN;
  recs_t r = { (unsigned char *)base, size, 0 };
  double mean = ((double)n + 1.0) / 2.0, sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; i++) {
    r.key = xkey; double a = key_at(&r, i) - mean;
    r.key = ykey; double b = key_at(&r, i) - mean;
    sxy += a * b; sxx += a * a; syy += b * b;
  }
  return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

/* Ranks are whole or half numbers, so for n below about 200,000 every sum
 * here is exact and the result does not depend on the order of the pairs. */
typedef struct xy { double x, y; } xy_t;

double dt_stats_spearman(const double *x, const double *y, size_t n) {
  if (n < 2) return NAN;
  xy_t *p = malloc(n * sizeof *p);
  if (!p) return NAN;
  for (size_t i = 0; i < n; i++) { p[i].x = x[i]; p[i].y = y[i]; }
  dt_stats_sort_rows(p, n, sizeof *p, offsetof(xy_t, x));
  dt_stats_rank_rows(p, n, sizeof *p, offsetof(xy_t, x));
  dt_stats_sort_rows(p, n, sizeof *p, offsetof(xy_t, y));
  dt_stats_rank_rows(p, n, sizeof *p, offsetof(xy_t, y));
  double r = dt_stats_spearman_ranked(p, n, sizeof *p, offsetof(xy_t, x), offsetof(xy_t, y));
  free(p);
  return r;
}

void dt_stats_count(const uint32_t *ids, size_t n, uint32_t nid, uint64_t *counts) {
  for (size_t i = 0; i < n; i++)
    if (ids[i] < nid) counts[ids[i]]++;
}

/* ---- Sobol indices ---------------------------------------------------------------- */

/* The indices of input i over the rows idx[0..n) (or 0..n when idx is NULL). */
static void sobol_once(const double *fa, const double *fb, const double *fab, size_t n, int k,
                       const size_t *idx, double *s1, double *st) {
  dt_welford_t w = { 0 };
  for (size_t j = 0; j < n; j++) {
    size_t r = idx ? idx[j] : j;
    dt_welford_add(&w, fa[r]);
    dt_welford_add(&w, fb[r]);
  }
  double v = w.n > 1 ? w.m2 / (double)(w.n - 1) : 0;
  for (int i = 0; i < k; i++) {
    const double *fi = fab + (size_t)i * n;
    double a = 0, b = 0;
    for (size_t j = 0; j < n; j++) {
      size_t r = idx ? idx[j] : j;
      a += fb[r] * (fi[r] - fa[r]);
      b += (fa[r] - fi[r]) * (fa[r] - fi[r]);
    }
    s1[i] = v > 0 ? a / (double)n / v : NAN;
    st[i] = v > 0 ? b / (2.0 * (double)n) / v : NAN;
  }
}

int dt_stats_sobol(const double *fa, const double *fb, const double *fab, size_t n, int k,
                   int nboot, struct dt_rng *r, dt_sobol_t *out) {
  for (int i = 0; i < k; i++)
    out[i].s1 = out[i].s1_lo = out[i].s1_hi = out[i].st = out[i].st_lo = out[i].st_hi = NAN;
  if (n < 2 || k < 1) return DT_EINVAL;
  double *s1 = malloc((size_t)k * sizeof *s1), *st = malloc((size_t)k * sizeof *st);
  size_t *idx = nboot > 0 ? malloc(n * sizeof *idx) : NULL;
  double *bs1 = nboot > 0 ? malloc((size_t)k * (size_t)nboot * sizeof *bs1) : NULL;
  double *bst = nboot > 0 ? malloc((size_t)k * (size_t)nboot * sizeof *bst) : NULL;
  int rc = 0;
  if (!s1 || !st || (nboot > 0 && (!idx || !bs1 || !bst))) { rc = DT_ENOMEM; goto done; }
  sobol_once(fa, fb, fab, n, k, NULL, s1, st);
  if (!isfinite(s1[0]) && !isfinite(st[0])) { rc = DT_EINVAL; goto done; }
  for (int i = 0; i < k; i++) { out[i].s1 = s1[i]; out[i].st = st[i]; }
  for (int b = 0; b < nboot; b++) {
    for (size_t j = 0; j < n; j++) idx[j] = (size_t)dt_rng_int(r, 0, (int64_t)n - 1);
    sobol_once(fa, fb, fab, n, k, idx, s1, st);
    for (int i = 0; i < k; i++) {
      bs1[(size_t)i * (size_t)nboot + (size_t)b] = s1[i];
      bst[(size_t)i * (size_t)nboot + (size_t)b] = st[i];
    }
  }
  for (int i = 0; i < k && nboot > 0; i++) {
    double *x = bs1 + (size_t)i * (size_t)nboot, *y = bst + (size_t)i * (size_t)nboot;
    size_t m = 0, q = 0;
    for (int b = 0; b < nboot; b++) {
      if (isfinite(x[b])) x[m++] = x[b];
      if (isfinite(y[b])) y[q++] = y[b];
    }
    dt_stats_sort(x, m);
    dt_stats_sort(y, q);
    if (m) {
      out[i].s1_lo = dt_stats_quantile(x, m, 0.025);
      out[i].s1_hi = dt_stats_quantile(x, m, 0.975);
    }
    if (q) {
      out[i].st_lo = dt_stats_quantile(y, q, 0.025);
      out[i].st_hi = dt_stats_quantile(y, q, 0.975);
    }
  }
done:
  free(s1); free(st); free(idx); free(bs1); free(bst);
  return rc;
}
