/* stats.c: the statistics behind `detente mc` summaries (see stats.h). Owns
 * nothing beyond the scratch dt_stats_spearman allocates and frees; knows
 * nothing of runs, Lua or files. */
#include "stats.h"
#include <math.h>
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

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void dt_stats_sort(double *x, size_t n) { qsort(x, n, sizeof *x, cmp_double); }

double dt_stats_quantile(const double *s, size_t n, double p) {
  if (n == 0) return NAN;
  if (p <= 0.0) return s[0];
  if (p >= 1.0) return s[n - 1];
  double h = (double)(n - 1) * p;
  size_t i = (size_t)floor(h);
  if (i + 1 >= n) return s[n - 1];
  double f = h - (double)i;
  return s[i] + f * (s[i + 1] - s[i]);
}

void dt_stats_histogram(const double *x, size_t n, double lo, double hi,
                        int bins, uint64_t *counts) {
  for (int b = 0; b < bins; b++) counts[b] = 0;
  if (bins <= 0) return;
  for (size_t i = 0; i < n; i++) {
    double v = x[i];
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

/* qsort has no context argument: sort indices through a file-local pointer
 * would not be thread-safe, so sort (value, index) pairs instead. */
typedef struct vi { double v; size_t i; } vi_t;
static int cmp_vi(const void *a, const void *b) {
  const vi_t *x = a, *y = b;
  if (x->v < y->v) return -1;
  if (x->v > y->v) return 1;
  return (x->i > y->i) - (x->i < y->i);
}

void dt_stats_ranks(const double *x, size_t n, double *rank, size_t *work) {
  vi_t *p = malloc(n * sizeof *p);
  if (!p) { for (size_t i = 0; i < n; i++) rank[i] = NAN; return; }
  for (size_t i = 0; i < n; i++) { p[i].v = x[i]; p[i].i = i; }
  qsort(p, n, sizeof *p, cmp_vi);
  for (size_t i = 0; i < n; i++) work[i] = p[i].i;
  size_t i = 0;
  while (i < n) {
    size_t j = i + 1;
    while (j < n && p[j].v == p[i].v) j++;
    double avg = ((double)(i + 1) + (double)j) / 2.0;   /* ranks i+1 .. j */
    for (size_t k = i; k < j; k++) rank[work[k]] = avg;
    i = j;
  }
  free(p);
}

double dt_stats_spearman(const double *x, const double *y, size_t n) {
  if (n < 2) return NAN;
  double *rx = malloc(n * sizeof *rx), *ry = malloc(n * sizeof *ry);
  size_t *work = malloc(n * sizeof *work);
  double r = NAN;
  if (rx && ry && work) {
    dt_stats_ranks(x, n, rx, work);
    dt_stats_ranks(y, n, ry, work);
    double mean = ((double)n + 1.0) / 2.0, sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
      double a = rx[i] - mean, b = ry[i] - mean;
      sxy += a * b; sxx += a * a; syy += b * b;
    }
    if (sxx > 0 && syy > 0) r = sxy / sqrt(sxx * syy);
  }
  free(rx); free(ry); free(work);
  return r;
}

void dt_stats_count(const uint32_t *ids, size_t n, uint32_t nid, uint64_t *counts) {
  for (size_t i = 0; i < n; i++)
    if (ids[i] < nid) counts[ids[i]]++;
}
