/* stats.h: the statistics a Monte Carlo batch reports: Wilson intervals for
 * proportions, running mean and variance (Welford), quantiles, histograms and
 * their one-line drawing, Spearman rank correlation and frequency counts.
 * Plain C on libc: no allocation except where a function says so, no Lua.
 * Every function is a pure function of its arguments, so the same values in
 * the same order give the same bits (batches and merged shards rely on it). */
#ifndef DT_STATS_H
#define DT_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Two-sided 95% normal quantile, Phi^-1(0.975). */
#define DT_STATS_Z95 1.959963984540054

/* Wilson score interval for k successes in n trials at normal quantile z.
 * n == 0 gives [0, 1]. */
void dt_stats_wilson(uint64_t k, uint64_t n, double z, double *lo, double *hi);

/* Welford's running mean and variance: caller's storage, zero-initialise. */
typedef struct dt_welford { uint64_t n; double mean, m2; } dt_welford_t;
void dt_welford_add(dt_welford_t *w, double x);
/* Sample standard deviation (divisor n - 1); 0 when n < 2. */
double dt_welford_sd(const dt_welford_t *w);

/* Sorts x[0..n) ascending (NaN must have been removed), in place: unlike
 * qsort, which copies the whole array first, it allocates nothing. */
void dt_stats_sort(double *x, size_t n);
/* Quantile p in [0, 1] of sorted x[0..n), n >= 1, by linear interpolation
 * between order statistics: h = (n - 1) p, x[floor h] + (h - floor h) *
 * (x[floor h + 1] - x[floor h]) (Hyndman and Fan's type 7, R's default and
 * numpy's "linear"). */
double dt_stats_quantile(const double *sorted, size_t n, double p);

/* The same on records: n records of `size` bytes at base, each with a double
 * (never NaN) at byte offset `key`; the records move whole, so what else they
 * hold stays paired. No allocation; the sort is not stable.
 * dt_stats_rank_rows replaces the keys of records sorted by them with their
 * ranks (1-based, ties given the average of the ranks they span). */
void dt_stats_sort_rows(void *base, size_t n, size_t size, size_t key);
void dt_stats_rank_rows(void *base, size_t n, size_t size, size_t key);
double dt_stats_quantile_rows(const void *base, size_t n, size_t size, size_t key, double p);
void dt_stats_histogram_rows(const void *base, size_t n, size_t size, size_t key,
                             double lo, double hi, int bins, uint64_t *counts);

/* Counts x[0..n) into `bins` equal bins over [lo, hi]; a value equal to hi
 * falls in the last bin; values outside are not counted. lo == hi puts
 * everything equal to lo in the first bin. */
void dt_stats_histogram(const double *x, size_t n, double lo, double hi,
                        int bins, uint64_t *counts);
/* Draws counts as one line of UTF-8 block characters (" ▁▂▃▄▅▆▇█"), the
 * tallest bin a full block and empty bins a space. buf needs 3 * bins + 1
 * bytes. Returns buf. */
char *dt_stats_sparkline(const uint64_t *counts, int bins, char *buf);

/* Ranks of x[0..n) (1-based) into rank[], ties given the average of the ranks
 * they span. work needs n entries. */
void dt_stats_ranks(const double *x, size_t n, double *rank, size_t *work);
/* Spearman's rank correlation of paired x, y: Pearson's correlation of their
 * average ranks. NaN when n < 2 or either side is constant. Allocates
 * (and frees) scratch of 2n values; NaN also when that fails. */
double dt_stats_spearman(const double *x, const double *y, size_t n);
/* Pearson's correlation of ranks already in n records (at byte offsets xkey
 * and ykey; each a permutation of 1..n with ties averaged); NaN as above. */
double dt_stats_spearman_ranked(const void *base, size_t n, size_t size, size_t xkey, size_t ykey);

/* Frequency counts of small ids: counts[id] += 1 for each ids[i] < nid
 * (counts has nid entries, zeroed by the caller). */
void dt_stats_count(const uint32_t *ids, size_t n, uint32_t nid, uint64_t *counts);

/* Variance-based sensitivity (Sobol indices) from Saltelli's sampling: fa
 * and fb hold the model's values at the n rows of two independent sample
 * matrices A and B of k inputs; fab holds k blocks of n values, block i at
 * the rows of A with column i taken from B. First-order indices by Saltelli
 * et al. (2010), S1_i = mean(fb (fab_i - fa)) / V, total indices by Jansen
 * (1999), ST_i = mean((fa - fab_i)^2) / (2 V), V the variance of fa and fb
 * together. 95% intervals: percentiles of nboot bootstrap resamples of the
 * rows drawn from r (nboot 0: NaN). Returns 0, DT_EINVAL (n < 2 or no
 * variance: every index NaN) or DT_ENOMEM. Allocates scratch of n + 2 k nboot
 * values. */
typedef struct dt_sobol { double s1, s1_lo, s1_hi, st, st_lo, st_hi; } dt_sobol_t;
struct dt_rng;
int dt_stats_sobol(const double *fa, const double *fb, const double *fab, size_t n, int k,
                   int nboot, struct dt_rng *r, dt_sobol_t *out);

#endif
