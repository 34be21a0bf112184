/* rng.h: random streams. One dt_rng_t per run: xoshiro256** whose 256-bit
 * state is filled by SplitMix64 from a 64-bit run seed, which in turn is
 * derived from (master seed, run index). The state is the struct and nothing
 * else, so a stream can be copied, saved and restored by value.
 *
 * Seeding. dt_rng_run_seed(master, index) mixes both numbers into the run
 * seed shown to users; for a fixed master it is a bijection of index, so
 * different runs always get different run seeds. dt_rng_seed1(r, run_seed)
 * fills the state from the run seed alone, and dt_rng_seed(r, master, index)
 * is exactly dt_rng_seed1(r, dt_rng_run_seed(master, index)), so one run of
 * a batch can be replayed from the printed run seed.
 *
 * Preconditions. The samplers trust their parameters; the binding layer
 * validates them. Each function states what it expects. No function keeps
 * hidden state (no cached normal deviate) besides s[4]. */
#ifndef DT_RNG_H
#define DT_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct dt_rng { uint64_t s[4]; } dt_rng_t;

uint64_t dt_rng_run_seed(uint64_t master_seed, uint64_t run_index);
void dt_rng_seed1(dt_rng_t *r, uint64_t run_seed);
void dt_rng_seed(dt_rng_t *r, uint64_t master_seed, uint64_t run_index);

/* Advances the stream by 2^128 draws, giving a non-overlapping substream. */
void dt_rng_jump(dt_rng_t *r);

/* The next 64 random bits. */
uint64_t dt_rng_next(dt_rng_t *r);
/* Uniform on [0, 1), a multiple of 2^-53. */
double dt_rng_uniform(dt_rng_t *r);
/* Uniform on [a, b) for a < b (a + (b - a) * u). */
double dt_rng_uniform_range(dt_rng_t *r, double a, double b);
/* Uniform integer on [lo, hi], both included, without modulo bias.
 * Expects lo <= hi; returns lo otherwise. */
int64_t dt_rng_int(dt_rng_t *r, int64_t lo, int64_t hi);
/* 1 with probability p, else 0; p <= 0 never, p >= 1 always. */
int dt_rng_bernoulli(dt_rng_t *r, double p);
/* Normal with the given mean and standard deviation sd >= 0. */
double dt_rng_normal(dt_rng_t *r, double mean, double sd);
/* exp(N(mu, sigma^2)): mu and sigma >= 0 belong to the underlying normal. */
double dt_rng_lognormal(dt_rng_t *r, double mu, double sigma);
/* Exponential with the given mean > 0 (rate 1/mean). */
double dt_rng_exponential(dt_rng_t *r, double mean);
/* Poisson with mean lambda, 0 <= lambda <= 1e12: exact by products of
 * uniforms below 10, Hormann's transformed rejection (PTRS) above. */
int64_t dt_rng_poisson(dt_rng_t *r, double lambda);
/* Gamma with shape > 0 and scale > 0 (mean shape * scale); Marsaglia and
 * Tsang's method, boosted for shape < 1. */
double dt_rng_gamma(dt_rng_t *r, double shape, double scale);
/* Beta with a > 0, b > 0, from two gamma deviates. */
double dt_rng_beta(dt_rng_t *r, double a, double b);
/* Triangular on [lo, hi] with peak at mode, lo <= mode <= hi. */
double dt_rng_triangular(dt_rng_t *r, double lo, double mode, double hi);
/* An index i < n drawn with probability w[i] / sum(w). Returns n, drawing
 * nothing, if n is 0, any weight is negative or not finite, or the sum is
 * not positive and finite. Never returns an index of weight 0. */
size_t dt_rng_weighted(dt_rng_t *r, const double *w, size_t n);

/* ---- stratified sampling (mc --sample lhs) ---- */
/* The place of i in a pseudo-random permutation of [0, n) chosen by key: for
 * a fixed key and n a bijection of [0, n), computed from i alone (a Feistel
 * network with cycle walking), so a run needs no table of the others.
 * Expects i < n, 1 <= n <= 2^62. */
uint64_t dt_rng_stratum(uint64_t key, uint64_t n, uint64_t i);
/* Quantile functions (inverse CDFs) at u in [0, 1), for the distributions
 * above with the same parameters; monotone in u. u at 0 gives the lower end
 * of the support, or the quantile at 2^-60 when it is unbounded. Normal,
 * gamma, beta and Poisson are found by bisection on their CDFs. */
double dt_rng_q_normal(double u, double mean, double sd);
double dt_rng_q_lognormal(double u, double mu, double sigma);
double dt_rng_q_exponential(double u, double mean);
double dt_rng_q_gamma(double u, double shape, double scale);
double dt_rng_q_beta(double u, double a, double b);
double dt_rng_q_triangular(double u, double lo, double mode, double hi);
int64_t dt_rng_q_int(double u, int64_t lo, int64_t hi);
int64_t dt_rng_q_poisson(double u, double lambda);

#endif
