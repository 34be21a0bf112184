/* summary.c: the summary of a batch, from the values in its store: per sweep
 * point, proportions with Wilson intervals, moments, quantiles, histograms,
 * category frequencies and rank correlations, as JSON (docs/formats.md) and
 * as text for a terminal. `mc` and `merge` both end here, so a merged batch
 * summarises exactly like an unsharded one. Runs nothing. */
#include "batch.h"
#include "output.h"
#include "stats.h"
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- the summary -------------------------------------------------------------------- */

static json_t *num_json(double x) { return isfinite(x) ? json_real(x) : json_null(); }

static const char *status_name(int st) {
  return st == DT_RUN_OK ? "ok" : st == DT_RUN_LIMIT ? "limit" : "error";
}

/* The text of a cell, as the runs file writes it. */
static const char *cell_text(const dt_batch_store_t *st, int c, dt_cell_t v, char *buf) {
  switch (dt_cell_type(v)) {
  case DT_CELL_BOOL: return v & 1 ? "TRUE" : "FALSE";
  case DT_CELL_NUM: return dt_fmt_num(dt_cell_getnum(v), buf);
  case DT_CELL_STR: return st->strings[c].s[dt_cell_getid(v)];
  default: return NULL;
  }
}

typedef struct freq { const char *s; uint64_t n; } freq_t;
static int cmp_freq(const void *a, const void *b) {
  const freq_t *x = a, *y = b;
  if (x->n != y->n) return x->n > y->n ? -1 : 1;
  return strcmp(x->s, y->s);
}

static int cmp_freq_text(const void *a, const void *b) {
  return strcmp(((const freq_t *)a)->s, ((const freq_t *)b)->s);
}

/* The date (in days) of the run at 0-based rank r among dates sorted with
 * their counts. */
static double date_at_rank(const freq_t *f, uint32_t n, uint64_t r) {
  uint64_t upto = 0;
  dt_time_t t = 0;
  for (uint32_t i = 0; i < n; i++) {
    dt_time_parse(f[i].s, &t);
    upto += f[i].n;
    if (r < upto) break;
  }
  return (double)t / 86400.0;   /* parsed dates fall on midnight: whole days */
}

enum { K_EMPTY, K_BOOL, K_NUM, K_CAT };
static int kind_of(unsigned types) {
  types &= ~(unsigned)DT_CELL_NONE;
  if (!types) return K_EMPTY;
  if (types == DT_CELL_BOOL) return K_BOOL;
  if (types == DT_CELL_NUM) return K_NUM;
  return K_CAT;
}
static const char *const kind_names[] = { "empty", "boolean", "number", "category" };

/* The ok runs of one sweep point: n records of `w` cells, which the summary
 * reorders freely (each record moves whole, so a run's values stay together). */
typedef struct point { dt_cell_t *base; size_t w; uint64_t n; } point_t;

static dt_cell_t *cell_at(const point_t *pt, uint64_t i, int c) {
  return &pt->base[i * pt->w + (size_t)c];
}

static void swap_rows(const point_t *pt, uint64_t i, uint64_t k, dt_cell_t *tmp) {
  if (i == k) return;
  size_t bytes = pt->w * sizeof *tmp;
  memcpy(tmp, cell_at(pt, i, 0), bytes);
  memcpy(cell_at(pt, i, 0), cell_at(pt, k, 0), bytes);
  memcpy(cell_at(pt, k, 0), tmp, bytes);
}

/* What needs the runs' order comes first: counts, Welford's mean and sd, and
 * the categories (counted per distinct text, so the scratch grows with the
 * distinct values, not with the runs). */
static json_t *summarise_outcome(const dt_batch_store_t *st, const point_t *pt, int c, int kind) {
  json_t *o = json_object();
  json_object_set_new(o, "kind", json_string(kind_names[kind]));
  uint64_t n = 0, missing = 0;
  if (kind == K_BOOL) {
    uint64_t k = 0;
    for (uint64_t i = 0; i < pt->n; i++) {
      dt_cell_t v = *cell_at(pt, i, c);
      if (dt_cell_type(v) != DT_CELL_BOOL) { missing++; continue; }
      n++; k += v & 1;
    }
    double lo, hi;
    dt_stats_wilson(k, n, DT_STATS_Z95, &lo, &hi);
    json_object_set_new(o, "n", json_integer((json_int_t)n));
    json_object_set_new(o, "missing", json_integer((json_int_t)missing));
    json_object_set_new(o, "true", json_integer((json_int_t)k));
    json_object_set_new(o, "p", n ? json_real((double)k / (double)n) : json_null());
    json_t *ci = json_array();
    json_array_append_new(ci, num_json(lo));
    json_array_append_new(ci, num_json(hi));
    json_object_set_new(o, "ci95", ci);
  } else if (kind == K_NUM) {
    dt_welford_t w = { 0 };
    for (uint64_t i = 0; i < pt->n; i++) {
      double v = dt_cell_getnum(*cell_at(pt, i, c));
      if (isnan(v)) { missing++; continue; }
      n++;
      dt_welford_add(&w, v);
    }
    json_object_set_new(o, "n", json_integer((json_int_t)n));
    json_object_set_new(o, "missing", json_integer((json_int_t)missing));
    if (n) {
      json_object_set_new(o, "mean", num_json(w.mean));
      json_object_set_new(o, "sd", num_json(dt_welford_sd(&w)));
    }
  } else if (kind == K_CAT) {
    /* Group by the text the runs file shows, so a merged batch (which only
     * has that text) groups exactly as the batch did. */
    dt_intern_t seen = { 0 };
    uint64_t *count = NULL;
    uint32_t cap = 0;
    int oom = 0;
    char buf[32];
    for (uint64_t i = 0; i < pt->n && !oom; i++) {
      const char *t = cell_text(st, c, *cell_at(pt, i, c), buf);
      if (!t) { missing++; continue; }
      uint32_t id = dt_intern(&seen, t);
      if (id == UINT32_MAX) { oom = 1; break; }
      if (id >= cap) {
        uint32_t nc = cap ? cap * 2 : 16;
        uint64_t *g = realloc(count, nc * sizeof *g);
        if (!g) { oom = 1; break; }
        memset(g + cap, 0, (nc - cap) * sizeof *g);
        count = g; cap = nc;
      }
      count[id]++;
      n++;
    }
    json_object_set_new(o, "n", json_integer((json_int_t)n));
    json_object_set_new(o, "missing", json_integer((json_int_t)missing));
    json_t *fa = json_array();
    freq_t *f = oom ? NULL : malloc(((size_t)seen.n + 1) * sizeof *f);
    for (uint32_t i = 0; f && i < seen.n; i++) { f[i].s = seen.s[i]; f[i].n = count[i]; }
    if (f) qsort(f, seen.n, sizeof *f, cmp_freq);
    for (uint32_t i = 0; f && i < seen.n; i++) {
      json_t *e = json_object();
      json_object_set_new(e, "value", json_string(f[i].s));
      json_object_set_new(e, "count", json_integer((json_int_t)f[i].n));
      json_object_set_new(e, "share", json_real((double)f[i].n / (double)n));
      json_array_append_new(fa, e);
    }
    /* Categories that are all dates (a date-valued outcome, YYYY-MM-DD) are
     * also summarised as date quantiles, from the sorted frequencies. */
    int dates = f && seen.n > 0;
    for (uint32_t i = 0; dates && i < seen.n; i++) {
      dt_time_t t;
      dates = strlen(f[i].s) == 10 && dt_time_parse(f[i].s, &t) == 0;
    }
    if (dates) {
      qsort(f, seen.n, sizeof *f, cmp_freq_text);   /* ISO dates sort as text */
      static const double ps[5] = { 0.05, 0.25, 0.5, 0.75, 0.95 };
      static const char *const pn[5] = { "p5", "p25", "p50", "p75", "p95" };
      json_t *dq = json_object();
      for (int q = 0; q < 5; q++) {
        /* The same definition as dt_stats_quantile: linear between ranks. */
        double h = (double)(n - 1) * ps[q];
        uint64_t lo = (uint64_t)floor(h), hi = lo + 1 < n ? lo + 1 : lo;
        double a = date_at_rank(f, seen.n, lo), b = date_at_rank(f, seen.n, hi);
        double x = a + (b - a) * (h - (double)lo);
        char d[32];
        dt_time_format((dt_time_t)llround(x) * 86400, d, sizeof d);
        json_object_set_new(dq, pn[q], json_string(d));
      }
      json_object_set_new(o, "dates", dq);
      qsort(f, seen.n, sizeof *f, cmp_freq);
    }
    free(f); free(count);
    dt_intern_free(&seen);
    json_object_set_new(o, "frequencies", fa);
  } else {
    json_object_set_new(o, "n", json_integer(0));
    json_object_set_new(o, "missing", json_integer((json_int_t)pt->n));
  }
  return o;
}

/* Moves the runs where outcome c has a value to the front, sorted by it, and
 * adds the order statistics of a number; then replaces the values by their
 * ranks (the runs without one get a none cell). Returns how many have one. */
static uint64_t rank_outcome(const point_t *pt, int c, int kind, json_t *o, dt_cell_t *tmp) {
  uint64_t m = 0;
  for (uint64_t i = 0; i < pt->n; i++) {
    dt_cell_t *v = cell_at(pt, i, c);
    int ok = kind == K_BOOL ? dt_cell_type(*v) == DT_CELL_BOOL : !isnan(dt_cell_getnum(*v));
    if (!ok) { *v = dt_cell_none(); continue; }
    *v = dt_cell_num(dt_cell_getnum(*v));   /* a plain double from here on */
    swap_rows(pt, i, m++, tmp);
  }
  size_t size = pt->w * sizeof *tmp, key = (size_t)c * sizeof *tmp;
  dt_stats_sort_rows(pt->base, m, size, key);
  if (kind == K_NUM && m) {
    double lo = dt_cell_getnum(*cell_at(pt, 0, c)), hi = dt_cell_getnum(*cell_at(pt, m - 1, c));
    json_object_set_new(o, "min", num_json(lo));
    json_object_set_new(o, "p5", num_json(dt_stats_quantile_rows(pt->base, m, size, key, 0.05)));
    json_object_set_new(o, "median", num_json(dt_stats_quantile_rows(pt->base, m, size, key, 0.5)));
    json_object_set_new(o, "p95", num_json(dt_stats_quantile_rows(pt->base, m, size, key, 0.95)));
    json_object_set_new(o, "max", num_json(hi));
    uint64_t counts[DT_BATCH_BINS];
    dt_stats_histogram_rows(pt->base, m, size, key, lo, hi, DT_BATCH_BINS, counts);
    json_t *h = json_object(), *ca = json_array();
    json_object_set_new(h, "lo", num_json(lo));
    json_object_set_new(h, "hi", num_json(hi));
    for (int b = 0; b < DT_BATCH_BINS; b++)
      json_array_append_new(ca, json_integer((json_int_t)counts[b]));
    json_object_set_new(h, "counts", ca);
    json_object_set_new(o, "histogram", h);
  }
  dt_stats_rank_rows(pt->base, m, size, key);
  return m;
}

typedef struct corr { int c; uint64_t m, seen; double sxy, sxx, syy; } corr_t;

/* Spearman's rho of param column a with each ranked outcome in cr, over the
 * runs where both have a value. When a has a value in every run, one sort by
 * a gives all of them: within a group of runs tied on a, those where outcome
 * c has a value share the average of their places among c's runs. Otherwise
 * (a param some runs did not declare) each pair is ranked afresh in scratch
 * of 16 bytes per run. Sets r[k] for each cr[k]. */
static void correlate(const point_t *pt, int a, corr_t *cr, int ncr, double *r, dt_cell_t *tmp) {
  size_t size = pt->w * sizeof *tmp;
  uint64_t na = 0;
  for (uint64_t i = 0; i < pt->n; i++) na += !isnan(dt_cell_getnum(*cell_at(pt, i, a)));
  if (na == pt->n) {
    dt_stats_sort_rows(pt->base, pt->n, size, (size_t)a * sizeof *tmp);
    for (int k = 0; k < ncr; k++) { cr[k].seen = 0; cr[k].sxy = cr[k].sxx = cr[k].syy = 0; }
    for (uint64_t g0 = 0, g1; g0 < pt->n; g0 = g1) {
      double av = dt_cell_getnum(*cell_at(pt, g0, a));
      for (g1 = g0 + 1; g1 < pt->n && dt_cell_getnum(*cell_at(pt, g1, a)) == av; g1++) {}
      for (int k = 0; k < ncr; k++) {
        corr_t *q = &cr[k];
        uint64_t in = 0;
        for (uint64_t i = g0; i < g1; i++)
          in += dt_cell_type(*cell_at(pt, i, q->c)) != DT_CELL_NONE;
        if (!in) continue;
        double mean = ((double)q->m + 1.0) / 2.0;
        double da = (double)q->seen + ((double)in + 1.0) / 2.0 - mean;
        for (uint64_t i = g0; i < g1; i++) {
          dt_cell_t v = *cell_at(pt, i, q->c);
          if (dt_cell_type(v) == DT_CELL_NONE) continue;
          double db = dt_cell_getnum(v) - mean;
          q->sxy += da * db; q->sxx += da * da; q->syy += db * db;
        }
        q->seen += in;
      }
    }
    for (int k = 0; k < ncr; k++)
      r[k] = cr[k].m >= 2 && cr[k].sxx > 0 && cr[k].syy > 0
                 ? cr[k].sxy / sqrt(cr[k].sxx * cr[k].syy)
                 : NAN;
    return;
  }
  typedef struct xy { double x, y; } xy_t;
  xy_t *p = malloc(((size_t)na + 1) * sizeof *p);
  for (int k = 0; k < ncr; k++) {
    uint64_t m = 0;
    for (uint64_t i = 0; p && i < pt->n; i++) {
      double x = dt_cell_getnum(*cell_at(pt, i, a));
      dt_cell_t y = *cell_at(pt, i, cr[k].c);
      if (isnan(x) || dt_cell_type(y) == DT_CELL_NONE) continue;
      p[m].x = x; p[m++].y = dt_cell_getnum(y);
    }
    r[k] = NAN;
    if (!p || m < 2) continue;
    dt_stats_sort_rows(p, m, sizeof *p, offsetof(xy_t, x));
    dt_stats_rank_rows(p, m, sizeof *p, offsetof(xy_t, x));
    dt_stats_sort_rows(p, m, sizeof *p, offsetof(xy_t, y));
    dt_stats_rank_rows(p, m, sizeof *p, offsetof(xy_t, y));
    r[k] = dt_stats_spearman_ranked(p, m, sizeof *p, offsetof(xy_t, x), offsetof(xy_t, y));
  }
  free(p);
}

static json_t *sweep_value_json(const char *v) {
  char *end;
  double x = strtod(v, &end);
  if (*v && !*end && isfinite(x)) return json_real(x);
  if (!strcmp(v, "true")) return json_true();
  if (!strcmp(v, "false")) return json_false();
  return json_string(v);
}

/* The outcomes and rank correlations of one point, from its ok runs. */
static void summarise_point(const dt_batch_spec_t *s, const dt_batch_store_t *st, const point_t *pt,
                            json_t *oc, json_t *rcj, json_t **outs, corr_t *cr, double *r,
                            dt_cell_t *tmp) {
  int ncr = 0, nsampled = st->ncols - s->noutcomes;
  for (int c = 0; c < s->noutcomes; c++) {
    outs[c] = summarise_outcome(st, pt, c, kind_of(s->outcomes[c].types));
    json_object_set_new(oc, s->outcomes[c].name, outs[c]);
  }
  /* From here on the runs' order changes (sorts). */
  for (int c = 0; c < s->noutcomes; c++) {
    int kind = kind_of(s->outcomes[c].types);
    if (kind == K_NUM || (kind == K_BOOL && nsampled)) {
      uint64_t m = rank_outcome(pt, c, kind, outs[c], tmp);
      cr[ncr].c = c; cr[ncr].m = m; ncr++;
    }
  }
  /* Rank correlation of each sampled param with each boolean or numeric
   * outcome, over the runs of this point where both have a value. */
  int pc = s->noutcomes;
  for (int i = 0; i < s->nparams; i++) {
    if (!s->params[i].sampled) continue;
    json_t *pr = json_object();
    correlate(pt, pc, cr, ncr, r, tmp);
    for (int k = 0; k < ncr; k++)
      json_object_set_new(pr, s->outcomes[cr[k].c].name, num_json(r[k]));
    json_object_set_new(rcj, s->params[i].name, pr);
    pc++;
  }
}

/* The numeric value of varied param d (sweep params, then design params) at
 * point p, or NaN. */
static double varied_value(const dt_batch_spec_t *s, int d, uint64_t p) {
  const char *v = d < s->nsweep ? s->sweep[d].values[dt_batch_point_value(s, p, d)]
                                : dt_batch_design_value(s, p, d - s->nsweep);
  char *end;
  double x = strtod(v, &end);
  return *v && !*end && isfinite(x) ? x : NAN;
}

/* Rank correlation of each swept or design param (numeric at every point)
 * with each boolean or numeric outcome, over the ok runs of all points: what
 * the summary per point cannot show, since a point holds one value of it.
 * Scratch of 16 bytes per run while it runs. NULL when there is nothing to
 * correlate (one point, no varied param). Call before the per-point pass,
 * which turns values into ranks. */
static json_t *varied_correlation(const dt_batch_spec_t *s, const dt_batch_store_t *st) {
  int nv = s->nsweep + s->ndesign;
  if (!nv || s->npoints < 2 || !st->n) return NULL;
  double *x = malloc((size_t)st->n * sizeof *x), *y = malloc((size_t)st->n * sizeof *y);
  json_t *o = json_object();
  for (int d = 0; x && y && d < nv; d++) {
    int numeric = 1;
    for (uint64_t p = 0; p < s->npoints && numeric; p++) numeric = !isnan(varied_value(s, d, p));
    if (!numeric) continue;
    json_t *pr = json_object();
    for (int c = 0; c < s->noutcomes; c++) {
      int kind = kind_of(s->outcomes[c].types);
      if (kind != K_NUM && kind != K_BOOL) continue;
      size_t m = 0;
      for (uint64_t j = 0; j < st->n; j++) {
        if (st->status[j] != DT_RUN_OK) continue;
        double v = dt_cell_getnum(st->cells[j * (uint64_t)st->ncols + (uint64_t)c]);
        if (isnan(v)) continue;
        x[m] = varied_value(s, d, dt_batch_shard_index(s, j) / s->runs_per_point);
        y[m++] = v;
      }
      json_object_set_new(pr, s->outcomes[c].name, num_json(dt_stats_spearman(x, y, m)));
    }
    json_object_set_new(o, d < s->nsweep ? s->sweep[d].name : s->design_name[d - s->nsweep], pr);
  }
  free(x); free(y);
  if (!json_object_size(o)) { json_decref(o); return NULL; }
  return o;
}

json_t *dt_batch_summary(const dt_batch_spec_t *s, dt_batch_store_t *st) {
  json_t *o = json_object();
  json_object_set_new(o, "format", json_string(DT_BATCH_SUMMARY_FORMAT));
  json_object_set_new(o, "version", json_integer(DT_BATCH_SCHEMA));
  dt_batch_put_json(o, s, 0);
  json_object_set_new(o, "shard", dt_batch_shard_json(s));
  json_t *os = json_array();
  for (int i = 0; i < s->noutcomes; i++) {
    json_t *e = json_object();
    json_object_set_new(e, "name", json_string(s->outcomes[i].name));
    json_object_set_new(e, "kind", json_string(kind_names[kind_of(s->outcomes[i].types)]));
    json_array_append_new(os, e);
  }
  json_object_set_new(o, "outcomes", os);
  json_object_set_new(o, "rows", json_integer((json_int_t)st->n));
  json_t *er = json_object(), *fe = json_array();
  json_object_set_new(er, "count", json_integer((json_int_t)st->nerrors));
  for (int i = 0; i < st->nfirst; i++) {
    json_t *e = json_object();
    json_object_set_new(e, "run", json_integer((json_int_t)st->first[i].run));
    json_object_set_new(e, "seed", dt_batch_seed_json(dt_rng_run_seed(s->seed, st->first[i].run)));
    json_object_set_new(e, "status", json_string(status_name(st->first[i].status)));
    json_object_set_new(e, "message", json_string(st->first[i].msg));
    json_array_append_new(fe, e);
  }
  json_object_set_new(er, "first", fe);
  json_object_set_new(o, "errors", er);

  json_t *vc = varied_correlation(s, st);
  if (vc) json_object_set_new(o, "varied_rank_correlation", vc);

  /* Scratch the size of one run and of the columns, not of the batch. */
  size_t w = (size_t)st->ncols;
  dt_cell_t *tmp = malloc((w + 1) * sizeof *tmp);
  json_t **outs = calloc((size_t)s->noutcomes + 1, sizeof *outs);
  corr_t *cr = calloc((size_t)s->noutcomes + 1, sizeof *cr);
  double *r = calloc((size_t)s->noutcomes + 1, sizeof *r);
  if (!tmp || !outs || !cr || !r) {
    free(tmp);
    free(outs);
    free(cr);
    free(r);
    json_decref(o);
    return NULL;
  }
  json_t *pts = json_array();
  uint64_t j = 0;
  for (uint64_t p = 0; p < s->npoints; p++) {
    /* A point's runs are consecutive in the store (shards keep the order of
     * run indices); its ok runs move to the front of them. */
    point_t pt = { &st->cells[j * w], w, 0 };
    uint64_t total = 0;
    for (; j < st->n && dt_batch_shard_index(s, j) / s->runs_per_point == p; j++) {
      total++;
      if (st->status[j] != DT_RUN_OK) continue;
      if (&st->cells[j * w] != cell_at(&pt, pt.n, 0))
        memcpy(cell_at(&pt, pt.n, 0), &st->cells[j * w], w * sizeof *tmp);
      pt.n++;
    }
    json_t *ptj = json_object(), *sw = json_object(), *oc = json_object(), *rcj = json_object();
    json_object_set_new(ptj, "point", json_integer((json_int_t)p));
    for (int d = 0; d < s->nsweep; d++)
      json_object_set_new(sw, s->sweep[d].name,
                          sweep_value_json(s->sweep[d].values[dt_batch_point_value(s, p, d)]));
    for (int d = 0; d < s->ndesign; d++)
      json_object_set_new(sw, s->design_name[d], sweep_value_json(dt_batch_design_value(s, p, d)));
    json_object_set_new(ptj, "sweep", sw);
    json_object_set_new(ptj, "runs", json_integer((json_int_t)total));
    json_object_set_new(ptj, "ok", json_integer((json_int_t)pt.n));
    json_object_set_new(ptj, "errors", json_integer((json_int_t)(total - pt.n)));
    summarise_point(s, st, &pt, oc, rcj, outs, cr, r, tmp);
    json_object_set_new(ptj, "outcomes", oc);
    json_object_set_new(ptj, "rank_correlation", rcj);
    json_array_append_new(pts, ptj);
  }
  free(tmp); free(outs); free(cr); free(r);
  json_object_set_new(o, "points_summary", pts);
  return o;
}

int dt_batch_summary_write(json_t *sum, const char *path) {
  char *t = json_dumps(sum, JSON_INDENT(2) | JSON_REAL_PRECISION(15) | JSON_ENSURE_ASCII);
  if (!t) return DT_ENOMEM;
  FILE *f = fopen(path, "w");
  int rc = 0;
  if (!f) rc = DT_EIO;
  else {
    if (fputs(t, f) < 0 || fputc('\n', f) == EOF) rc = DT_EIO;
    if (fclose(f) != 0) rc = DT_EIO;
  }
  free(t);
  return rc;
}

/* ---- the terminal text ------------------------------------------------------------- */

static double jnum(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A sweep point's value as a person reads it (a new string, or NULL when out
 * of memory): numbers as the timeline and the pages print them (30, not the
 * JSON real 30.0), the rest as JSON ("x", true). The summary file keeps the
 * exact value. */
static char *sweep_value(json_t *v) {
  if (!json_is_number(v)) return json_dumps(v, JSON_ENCODE_ANY);
  char num[32];
  return strdup(dt_fmt_show(json_number_value(v), num));
}

/* One cell of the points table: p, the mean, the median date or the most
 * frequent value (its share), as text of at most n - 1 bytes. */
static void compare_cell(json_t *o, char *buf, size_t n) {
  const char *kind = json_string_value(json_object_get(o, "kind"));
  if (!kind || json_integer_value(json_object_get(o, "n")) <= 0) {
    snprintf(buf, n, "-");
  } else if (!strcmp(kind, "boolean")) {
    snprintf(buf, n, "p %.3f", jnum(o, "p"));
  } else if (!strcmp(kind, "number")) {
    snprintf(buf, n, "%.4g", jnum(o, "mean"));
  } else if (json_object_get(o, "dates")) {
    snprintf(buf, n, "%s", json_string_value(json_object_get(json_object_get(o, "dates"), "p50")));
  } else {
    json_t *f = json_array_get(json_object_get(o, "frequencies"), 0);
    const char *v = json_string_value(json_object_get(f, "value"));
    char clean[24];
    size_t k = 0;
    if (v && !*v) v = "\"\"";   /* the empty string, visibly */
    for (const char *c = v ? v : ""; *c && k + 1 < sizeof clean; c++)
      clean[k++] = (unsigned char)*c < 0x20 ? ' ' : *c;   /* one line per row */
    clean[k] = 0;
    char pct[32];
    snprintf(buf, n, "%s %s", clean, dt_fmt_pct(jnum(f, "share"), pct));
  }
}

/* With several sweep points: one row per point, one column per outcome. */
static void compare_points(json_t *sum, FILE *out) {
  json_t *pts = json_object_get(sum, "points_summary"), *outs = json_object_get(sum, "outcomes");
  size_t np = json_array_size(pts), no = json_array_size(outs);
  if (np < 2 || no == 0) return;
  int *cw = calloc(no + 1, sizeof *cw);
  if (!cw) return;
  char cell[64];
  int lw = 5;
  size_t i, k; json_t *pt, *oc;
  char **lab = calloc(np + 1, sizeof *lab);
  if (!lab) { free(cw); return; }
  json_array_foreach(pts, i, pt) {   /* "2 scale=5 label=a", at most 48 bytes */
    char l[48];
    size_t len = (size_t)snprintf(l, sizeof l, "%zu", i + 1);
    const char *key; json_t *sv;
    json_object_foreach(json_object_get(pt, "sweep"), key, sv) {
      char *t = sweep_value(sv);
      if (len < sizeof l)
        len += (size_t)snprintf(l + len, sizeof l - len, " %s=%s", key, t ? t : "?");
      free(t);
    }
    lab[i] = strdup(l);
    if (lab[i] && (int)strlen(lab[i]) > lw) lw = (int)strlen(lab[i]);
  }
  json_array_foreach(outs, k, oc) {
    cw[k] = (int)strlen(json_string_value(json_object_get(oc, "name")));
    json_array_foreach(pts, i, pt) {
      json_t *o = json_object_get(json_object_get(pt, "outcomes"),
                                  json_string_value(json_object_get(oc, "name")));
      compare_cell(o, cell, sizeof cell);
      if ((int)strlen(cell) > cw[k]) cw[k] = (int)strlen(cell);
    }
  }
  fprintf(out, "\nsweep points compared (booleans p, numbers mean, dates median, categories the "
               "most frequent value):\n  %-*s  %8s", lw, "point", "ok");
  json_array_foreach(outs, k, oc)
    fprintf(out, "  %*s", cw[k], json_string_value(json_object_get(oc, "name")));
  fputc('\n', out);
  json_array_foreach(pts, i, pt) {
    fprintf(out, "  %-*s  %8lld", lw, lab[i] ? lab[i] : "?",
            (long long)json_integer_value(json_object_get(pt, "ok")));
    json_array_foreach(outs, k, oc) {
      json_t *o = json_object_get(json_object_get(pt, "outcomes"),
                                  json_string_value(json_object_get(oc, "name")));
      compare_cell(o, cell, sizeof cell);
      fprintf(out, "  %*s", cw[k], cell);
    }
    fputc('\n', out);
  }
  for (i = 0; i < np; i++) free(lab[i]);
  free(lab);
  free(cw);
}

/* A rank-correlation table under `heading`: one row per outcome (names in a
 * column w wide), one column per param; nothing when there is none. */
static void rank_table(FILE *out, json_t *rc, int w, const char *heading) {
  if (!json_object_size(rc)) return;
  fprintf(out, "%s  %-*s", heading, w, "");
  const char *pn, *on; json_t *pr, *r;
  json_object_foreach(rc, pn, pr) fprintf(out, "  %6s", pn);
  fputc('\n', out);
  json_t *first = json_object_iter_value(json_object_iter(rc));
  json_object_foreach(first, on, r) {
    fprintf(out, "  %-*s", w, on);
    json_object_foreach(rc, pn, pr) {
      json_t *rv = json_object_get(pr, on);
      int cw = (int)strlen(pn) < 6 ? 6 : (int)strlen(pn);
      if (json_is_number(rv)) fprintf(out, "  %+*.2f", cw, json_number_value(rv));
      else fprintf(out, "  %*s", cw, "n/a");
    }
    fputc('\n', out);
  }
}

void dt_batch_summary_print(json_t *sum, FILE *out) {
  json_t *sc = json_object_get(sum, "scenario");
  json_t *er = json_object_get(sum, "errors");
  fprintf(out, "%s: %lld runs (seed %s", json_string_value(json_object_get(sc, "title")),
          (long long)json_integer_value(json_object_get(sum, "rows")),
          json_string_value(json_object_get(sum, "seed")));
  if (json_is_string(json_object_get(sum, "fork_at")))
    fprintf(out, ", forked at %s", json_string_value(json_object_get(sum, "fork_at")));
  if (json_is_string(json_object_get(sum, "sample"))) fputs(", Latin hypercube", out);
  json_t *sh = json_object_get(sum, "shard");
  if (json_is_object(sh))
    fprintf(out, ", shard %lld/%lld", (long long)json_integer_value(json_object_get(sh, "k")),
            (long long)json_integer_value(json_object_get(sh, "n")));
  fprintf(out, "), %lld failed\n", (long long)json_integer_value(json_object_get(er, "count")));
  json_t *pts = json_object_get(sum, "points_summary");
  int w = 12;
  json_t *outs = json_object_get(sum, "outcomes");
  size_t i; json_t *v;
  json_array_foreach(outs, i, v) {
    int n = (int)strlen(json_string_value(json_object_get(v, "name")));
    if (n > w) w = n;
  }
  json_t *pt;
  size_t pi;
  /* Several sweep points with outcomes: one table compares them (below)
   * instead of a full summary per point; the summary file has each in full. */
  int compared = json_array_size(pts) > 1 && json_array_size(outs) > 0;
  if (compared)
    fputs("\n(one row per sweep point below; each point in full: --summary FILE or "
          "`detente report`)\n", out);
  json_array_foreach(pts, pi, pt) {
    if (compared) break;
    json_t *sw = json_object_get(pt, "sweep");
    fputc('\n', out);
    if (json_object_size(sw)) {
      fprintf(out, "point %zu of %zu:", pi + 1, json_array_size(pts));
      const char *k; json_t *sv;
      json_object_foreach(sw, k, sv) {
        char *t = sweep_value(sv);
        fprintf(out, " %s=%s", k, t ? t : "?");
        free(t);
      }
      fputc('\n', out);
    }
    fprintf(out, "  %lld runs, %lld ok, %lld failed\n",
            (long long)json_integer_value(json_object_get(pt, "runs")),
            (long long)json_integer_value(json_object_get(pt, "ok")),
            (long long)json_integer_value(json_object_get(pt, "errors")));
    json_t *oc = json_object_get(pt, "outcomes");
    const char *name; json_t *o;
    json_object_foreach(oc, name, o) {
      const char *kind = json_string_value(json_object_get(o, "kind"));
      long long n = (long long)json_integer_value(json_object_get(o, "n"));
      long long miss = (long long)json_integer_value(json_object_get(o, "missing"));
      fprintf(out, "  %-*s  ", w, name);
      if (!strcmp(kind, "boolean")) {
        json_t *ci = json_object_get(o, "ci95");
        if (n)
          fprintf(out, "p = %.3f  95%% CI [%.3f, %.3f]", jnum(o, "p"),
                  json_number_value(json_array_get(ci, 0)),
                  json_number_value(json_array_get(ci, 1)));
        else fputs("no values", out);
      } else if (!strcmp(kind, "number")) {
        if (n) {
          fprintf(out, "mean %.4g  sd %.4g  min %.4g  p5 %.4g  median %.4g  p95 %.4g  max %.4g",
                  jnum(o, "mean"), jnum(o, "sd"), jnum(o, "min"), jnum(o, "p5"), jnum(o, "median"),
                  jnum(o, "p95"), jnum(o, "max"));
          json_t *ca = json_object_get(json_object_get(o, "histogram"), "counts");
          uint64_t counts[DT_BATCH_BINS] = { 0 };
          for (int b = 0; b < DT_BATCH_BINS; b++)
            counts[b] = (uint64_t)json_integer_value(json_array_get(ca, (size_t)b));
          char line[3 * DT_BATCH_BINS + 1];
          fprintf(out, "\n  %-*s  |%s|", w, "", dt_stats_sparkline(counts, DT_BATCH_BINS, line));
        } else fputs("no values", out);
      } else if (!strcmp(kind, "category") && json_object_get(o, "dates")) {
        json_t *dq = json_object_get(o, "dates");
        fprintf(out, "median %s  p5 %s  p25 %s  p75 %s  p95 %s",
                json_string_value(json_object_get(dq, "p50")),
                json_string_value(json_object_get(dq, "p5")),
                json_string_value(json_object_get(dq, "p25")),
                json_string_value(json_object_get(dq, "p75")),
                json_string_value(json_object_get(dq, "p95")));
      } else if (!strcmp(kind, "category")) {
        json_t *fa = json_object_get(o, "frequencies"), *f;
        size_t k;
        json_array_foreach(fa, k, f) {
          if (k == 8) { fprintf(out, "  (+%zu more)", json_array_size(fa) - 8); break; }
          fputs(k ? ", " : "", out);
          const char *val = json_string_value(json_object_get(f, "value"));
          if (val && !*val) val = "\"\"";   /* the empty string, visibly (as in the table) */
          for (const char *c = val ? val : "?"; *c; c++)
            if ((unsigned char)*c < 0x20) fprintf(out, "\\x%02x", (unsigned char)*c);
            else fputc(*c, out);
          char pct[32];
          fprintf(out, " %s", dt_fmt_pct(jnum(f, "share"), pct));
        }
      } else fputs("no values", out);
      fprintf(out, "  (n = %lld", n);
      if (miss) fprintf(out, ", %lld missing", miss);
      fputs(")\n", out);
    }
    /* A table: one row per outcome, one column per sampled param. */
    rank_table(out, json_object_get(pt, "rank_correlation"), w,
               "  rank correlation (Spearman) of sampled params with outcomes:\n");
  }
  compare_points(sum, out);
  rank_table(out, json_object_get(sum, "varied_rank_correlation"), w,
             "\nrank correlation (Spearman) of swept or design params with outcomes, "
             "over all points:\n");
}
