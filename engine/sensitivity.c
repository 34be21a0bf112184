/* sensitivity.c: one-at-a-time and Sobol analyses as designs run by the
 * batch runner (batch.c), the indices from stats.c. A design point's value
 * of an outcome is its mean over the point's ok runs (a boolean's share of
 * true). Writes nothing; the command prints or saves the JSON. */
#include "sensitivity.h"
#include "output.h"
#include "rng.h"
#include "stats.h"
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ranged { const char *name; double lo, hi, base; int whole; } ranged_t;

/* The params that have a range, and the outcomes a probe sees. */
static int add_overrides(dt_batch_spec_t *s, const dt_sens_opts_t *so) {
  s->ov_name = calloc((size_t)so->nov + 1, sizeof *s->ov_name);
  s->ov_value = calloc((size_t)so->nov + 1, sizeof *s->ov_value);
  if (!s->ov_name || !s->ov_value) return DT_ENOMEM;
  for (; s->nov < so->nov; s->nov++) {
    s->ov_name[s->nov] = strdup(so->ov_name[s->nov]);
    s->ov_value[s->nov] = strdup(so->ov_value[s->nov]);
    if (!s->ov_name[s->nov] || !s->ov_value[s->nov]) return DT_ENOMEM;
  }
  return 0;
}

static int discover(const dt_batch_run_opts_t *o, const dt_sens_opts_t *so, dt_batch_spec_t *s,
                    char *err, size_t errlen) {
  memset(s, 0, sizeof *s);
  if (add_overrides(s, so)) return DT_ENOMEM;
  s->seed = so->seed;
  s->npoints = s->runs_per_point = s->total = 1;
  return dt_batch_probe(s, o, err, errlen);
}

static char *fmt17(double x) {
  char buf[40];
  snprintf(buf, sizeof buf, "%.17g", x);
  return strdup(buf);
}

/* A batch of the design rows (npoints x k values) on the probed scenario. */
static int run_design(const dt_batch_run_opts_t *o, const dt_sens_opts_t *so, const ranged_t *rp,
                      int k, const double *rows, uint64_t npoints, dt_batch_spec_t *s,
                      dt_batch_store_t *st, char *err, size_t errlen) {
  memset(s, 0, sizeof *s);
  if (add_overrides(s, so)) return DT_ENOMEM;
  s->seed = so->seed;
  s->runs_per_point = so->runs;
  s->npoints = npoints;
  s->total = npoints * so->runs;
  s->ndesign = k;
  s->design_name = calloc((size_t)k + 1, sizeof *s->design_name);
  s->design_value = calloc((size_t)(npoints * (uint64_t)k) + 1, sizeof *s->design_value);
  if (!s->design_name || !s->design_value) return DT_ENOMEM;
  for (int i = 0; i < k; i++) if (!(s->design_name[i] = strdup(rp[i].name))) return DT_ENOMEM;
  for (uint64_t j = 0; j < npoints * (uint64_t)k; j++)
    if (!(s->design_value[j] = fmt17(rows[j]))) return DT_ENOMEM;
  int rc = dt_batch_probe(s, o, err, errlen);
  if (rc) return rc;
  if (dt_batch_store_init(st, s, s->total)) return DT_ENOMEM;
  dt_batch_run_opts_t ro = *o;
  ro.csv = NULL; ro.db = NULL; ro.progress = 0; ro.print_errors = 0;
  double secs;
  return dt_batch_run(s, &ro, st, &secs, err, errlen);
}

/* Outcome c's mean over the ok runs of each point (NaN when none has it). */
static void point_means(const dt_batch_spec_t *s, const dt_batch_store_t *st, int c, double *f) {
  for (uint64_t p = 0; p < s->npoints; p++) {
    double sum = 0;
    uint64_t n = 0;
    for (uint64_t r = 0; r < s->runs_per_point; r++) {
      uint64_t g = p * s->runs_per_point + r;
      if (st->status[g] != DT_RUN_OK) continue;
      double v = dt_cell_getnum(st->cells[g * (uint64_t)st->ncols + (uint64_t)c]);
      if (isnan(v)) continue;
      sum += v; n++;
    }
    f[p] = n ? sum / (double)n : NAN;
  }
}

static int analysable(unsigned types) {
  types &= ~(unsigned)DT_CELL_NONE;
  return types == DT_CELL_NUM || types == DT_CELL_BOOL;
}

static json_t *num_json(double x) { return isfinite(x) ? json_real(x) : json_null(); }

static json_t *pair_json(double a, double b) {
  json_t *p = json_array();
  json_array_append_new(p, num_json(a));
  json_array_append_new(p, num_json(b));
  return p;
}

/* One at a time: the base point, then each param at its min and its max. */
static int oat(const dt_batch_run_opts_t *o, const dt_sens_opts_t *so, const ranged_t *rp, int k,
               json_t *res, char *err, size_t errlen) {
  uint64_t np = 1 + 2 * (uint64_t)k;
  double *rows = malloc((size_t)np * (size_t)k * sizeof *rows);
  if (!rows) return DT_ENOMEM;
  for (uint64_t p = 0; p < np; p++)
    for (int i = 0; i < k; i++) rows[p * (uint64_t)k + (uint64_t)i] = rp[i].base;
  for (int i = 0; i < k; i++) {
    rows[(1 + 2 * (uint64_t)i) * (uint64_t)k + (uint64_t)i] = rp[i].lo;
    rows[(2 + 2 * (uint64_t)i) * (uint64_t)k + (uint64_t)i] = rp[i].hi;
  }
  dt_batch_spec_t s;
  dt_batch_store_t st = { 0 };
  int rc = run_design(o, so, rp, k, rows, np, &s, &st, err, errlen);
  double *f = rc ? NULL : malloc((size_t)np * sizeof *f);
  if (!rc && !f) rc = DT_ENOMEM;
  json_t *oj = json_object(), *outs = json_object();
  json_object_set_new(oj, "points", json_integer((json_int_t)np));
  json_object_set_new(oj, "runs", json_integer((json_int_t)np * (json_int_t)so->runs));
  json_object_set_new(oj, "failed", json_integer((json_int_t)st.nerrors));
  for (int c = 0; !rc && c < s.noutcomes; c++) {
    if (!analysable(s.outcomes[c].types)) continue;
    point_means(&s, &st, c, f);
    json_t *e = json_object(), *ps = json_array();
    json_object_set_new(e, "base", num_json(f[0]));
    for (int i = 0; i < k; i++) {
      json_t *q = json_object();
      double lo = f[1 + 2 * i], hi = f[2 + 2 * i];
      json_object_set_new(q, "name", json_string(rp[i].name));
      json_object_set_new(q, "at_min", num_json(lo));
      json_object_set_new(q, "at_max", num_json(hi));
      json_object_set_new(q, "swing", num_json(fabs(hi - lo)));
      json_array_append_new(ps, q);
    }
    json_object_set_new(e, "params", ps);
    json_object_set_new(outs, s.outcomes[c].name, e);
  }
  json_object_set_new(oj, "outcomes", outs);
  json_object_set_new(res, "oat", oj);
  free(f); free(rows);
  dt_batch_store_close(&st);
  dt_batch_spec_close(&s);
  return rc;
}

/* Saltelli's design: A (N rows), B (N rows), then for each param i the rows
 * of A with column i from B; A and B uniform over the ranges. */
static int sobol(const dt_batch_run_opts_t *o, const dt_sens_opts_t *so, const ranged_t *rp, int k,
                 json_t *res, char *err, size_t errlen) {
  uint64_t n = so->samples, np = n * (uint64_t)(k + 2);
  double *rows = malloc((size_t)np * (size_t)k * sizeof *rows);
  if (!rows) return DT_ENOMEM;
  dt_rng_t r;
  dt_rng_seed(&r, so->seed, 0x5a17e111);   /* the design's own stream, from the master seed */
  for (uint64_t j = 0; j < 2 * n; j++)
    for (int i = 0; i < k; i++) {
      /* One uniform either way, so the other params' values do not move. */
      double u = dt_rng_uniform(&r);
      rows[j * (uint64_t)k + (uint64_t)i] =
          rp[i].whole ? (double)dt_rng_q_int(u, (int64_t)rp[i].lo, (int64_t)rp[i].hi)
                      : rp[i].lo + (rp[i].hi - rp[i].lo) * u;   /* as dt_rng_uniform_range */
    }
  for (int i = 0; i < k; i++)
    for (uint64_t j = 0; j < n; j++) {
      double *row = rows + ((2 + (uint64_t)i) * n + j) * (uint64_t)k;
      memcpy(row, rows + j * (uint64_t)k, (size_t)k * sizeof *row);
      row[i] = rows[(n + j) * (uint64_t)k + (uint64_t)i];
    }
  dt_batch_spec_t s;
  dt_batch_store_t st = { 0 };
  int rc = run_design(o, so, rp, k, rows, np, &s, &st, err, errlen);
  double *f = rc ? NULL : calloc((size_t)np, sizeof *f),
         *ff = rc ? NULL : calloc((size_t)np, sizeof *ff);
  dt_sobol_t *ix = calloc((size_t)k, sizeof *ix);
  if (!rc && (!f || !ff || !ix)) rc = DT_ENOMEM;
  json_t *sj = json_object(), *outs = json_object();
  json_object_set_new(sj, "samples", json_integer((json_int_t)n));
  json_object_set_new(sj, "points", json_integer((json_int_t)np));
  json_object_set_new(sj, "runs", json_integer((json_int_t)np * (json_int_t)so->runs));
  json_object_set_new(sj, "failed", json_integer((json_int_t)st.nerrors));
  json_object_set_new(sj, "bootstrap", json_integer(so->nboot));
  for (int c = 0; !rc && c < s.noutcomes; c++) {
    if (!analysable(s.outcomes[c].types)) continue;
    point_means(&s, &st, c, f);
    /* keep the rows j where every block has a value */
    uint64_t m = 0;
    for (uint64_t j = 0; j < n; j++) {
      int ok = 1;
      for (int b = 0; b < k + 2 && ok; b++) ok = !isnan(f[(uint64_t)b * n + j]);
      if (!ok) continue;
      for (int b = 0; b < k + 2; b++) ff[(uint64_t)b * n + m] = f[(uint64_t)b * n + j];
      m++;
    }
    /* ff's blocks are n apart; the estimator wants them m apart */
    for (int b = 1; b < k + 2; b++)
      memmove(ff + (uint64_t)b * m, ff + (uint64_t)b * n, (size_t)m * sizeof *ff);
    dt_rng_t br;
    dt_rng_seed(&br, so->seed, 0xb0075 + (uint64_t)c);
    int src = dt_stats_sobol(ff, ff + m, ff + 2 * m, (size_t)m, k, so->nboot, &br, ix);
    if (src == DT_ENOMEM) { rc = DT_ENOMEM; break; }
    json_t *e = json_object(), *ps = json_array();
    json_object_set_new(e, "rows", json_integer((json_int_t)m));
    for (int i = 0; i < k; i++) {
      json_t *q = json_object();
      json_object_set_new(q, "name", json_string(rp[i].name));
      json_object_set_new(q, "S1", num_json(ix[i].s1));
      json_object_set_new(q, "S1_ci95", pair_json(ix[i].s1_lo, ix[i].s1_hi));
      json_object_set_new(q, "ST", num_json(ix[i].st));
      json_object_set_new(q, "ST_ci95", pair_json(ix[i].st_lo, ix[i].st_hi));
      json_array_append_new(ps, q);
    }
    json_object_set_new(e, "params", ps);
    json_object_set_new(outs, s.outcomes[c].name, e);
  }
  json_object_set_new(sj, "outcomes", outs);
  json_object_set_new(res, "sobol", sj);
  free(f); free(ff); free(ix); free(rows);
  dt_batch_store_close(&st);
  dt_batch_spec_close(&s);
  return rc;
}

int dt_sensitivity(const dt_batch_run_opts_t *o, const dt_sens_opts_t *so, json_t **out, char *err,
                   size_t errlen) {
  *out = NULL;
  dt_batch_spec_t probe;
  int rc = discover(o, so, &probe, err, errlen);
  if (rc) { dt_batch_spec_close(&probe); return rc; }
  ranged_t *rp = calloc((size_t)probe.nparams + 1, sizeof *rp);
  int k = 0;
  if (!rp) { dt_batch_spec_close(&probe); return DT_ENOMEM; }
  json_t *res = json_object(), *pj = json_array();
  json_object_set_new(res, "format", json_string(DT_SENS_FORMAT));
  json_object_set_new(res, "version", json_integer(1));
  json_object_set_new(res, "detente", json_string(DT_VERSION));
  json_t *sc = json_object();
  json_object_set_new(sc, "file", json_string(probe.file));
  json_object_set_new(sc, "title", json_string(probe.title ? probe.title : ""));
  json_object_set_new(res, "scenario", sc);
  json_object_set_new(res, "seed", dt_batch_seed_json(so->seed));
  json_object_set_new(res, "runs_per_point", json_integer((json_int_t)so->runs));
  for (int i = 0; i < probe.nparams; i++) {
    const dt_batch_col_t *c = &probe.params[i];
    if (!(isfinite(c->lo) && isfinite(c->hi) && c->lo < c->hi)) continue;
    for (int d = 0; d < so->nov; d++) if (!strcmp(so->ov_name[d], c->name)) goto next;
    rp[k].name = c->name; rp[k].lo = c->lo; rp[k].hi = c->hi;
    rp[k].base = !c->sampled && isfinite(c->dflt) ? c->dflt : (c->lo + c->hi) / 2;
    rp[k].whole = c->whole;
    if (rp[k].whole) rp[k].base = floor(rp[k].base + 0.5);   /* a whole param's middle */
    json_t *q = json_object();
    json_object_set_new(q, "name", json_string(c->name));
    json_object_set_new(q, "min", json_real(c->lo));
    json_object_set_new(q, "max", json_real(c->hi));
    json_object_set_new(q, "base", json_real(rp[k].base));
    json_array_append_new(pj, q);
    k++;
  next:;
  }
  json_object_set_new(res, "params", pj);
  if (!k) {
    snprintf(err, errlen,
             "no param has a range to vary: give params a min and max (param(name, default, "
             "{min=, max=})) or a bounded distribution (dist.uniform, dist.triangular, dist.int, "
             "dist.beta)");
    rc = DT_EINVAL;
  }
  if (!rc && so->oat) rc = oat(o, so, rp, k, res, err, errlen);
  if (!rc && so->samples) rc = sobol(o, so, rp, k, res, err, errlen);
  if (rc && rc == DT_ENOMEM && !err[0]) snprintf(err, errlen, "out of memory");
  free(rp);
  dt_batch_spec_close(&probe);
  if (rc) { json_decref(res); return rc; }
  *out = res;
  return 0;
}

static int cmp_swing(const void *a, const void *b) {
  double x = json_number_value(json_object_get(*(json_t *const *)a, "swing"));
  double y = json_number_value(json_object_get(*(json_t *const *)b, "swing"));
  return x < y ? 1 : x > y ? -1 : 0;
}

void dt_sensitivity_print(json_t *res, FILE *out) {
  json_t *sc = json_object_get(res, "scenario");
  fprintf(out, "%s: sensitivity of the outcomes to %zu params (seed %s, %lld runs per point)\n",
          json_string_value(json_object_get(sc, "title")),
          json_array_size(json_object_get(res, "params")),
          json_string_value(json_object_get(res, "seed")),
          (long long)json_integer_value(json_object_get(res, "runs_per_point")));
  json_t *oj = json_object_get(res, "oat"), *sj = json_object_get(res, "sobol");
  const char *name; json_t *e;
  if (oj) {
    fprintf(out,
            "\none at a time (%lld points): the outcome with each param at its min and max, the "
            "others at base\n",
            (long long)json_integer_value(json_object_get(oj, "points")));
    json_object_foreach(json_object_get(oj, "outcomes"), name, e) {
      fprintf(out, "  %s (base %.4g)\n", name, json_number_value(json_object_get(e, "base")));
      json_t *ps = json_object_get(e, "params");
      size_t n = json_array_size(ps);
      json_t **v = calloc(n + 1, sizeof *v);
      for (size_t i = 0; v && i < n; i++) v[i] = json_array_get(ps, i);
      if (v) qsort(v, n, sizeof *v, cmp_swing);
      for (size_t i = 0; v && i < n; i++)
        fprintf(out, "    %-24s at min %-10.4g at max %-10.4g swing %.4g\n",
                json_string_value(json_object_get(v[i], "name")),
                json_number_value(json_object_get(v[i], "at_min")),
                json_number_value(json_object_get(v[i], "at_max")),
                json_number_value(json_object_get(v[i], "swing")));
      free(v);
    }
  }
  if (sj) {
    fprintf(out, "\nSobol indices (Saltelli, N = %lld, %lld runs; 95%% bootstrap intervals)\n",
            (long long)json_integer_value(json_object_get(sj, "samples")),
            (long long)json_integer_value(json_object_get(sj, "runs")));
    json_object_foreach(json_object_get(sj, "outcomes"), name, e) {
      fprintf(out, "  %s\n", name);
      size_t i; json_t *q;
      json_array_foreach(json_object_get(e, "params"), i, q) {
        json_t *a = json_object_get(q, "S1_ci95"), *b = json_object_get(q, "ST_ci95");
        fprintf(out, "    %-24s first %6.3f [%6.3f, %6.3f]  total %6.3f [%6.3f, %6.3f]\n",
                json_string_value(json_object_get(q, "name")),
                json_number_value(json_object_get(q, "S1")),
                json_number_value(json_array_get(a, 0)), json_number_value(json_array_get(a, 1)),
                json_number_value(json_object_get(q, "ST")),
                json_number_value(json_array_get(b, 0)), json_number_value(json_array_get(b, 1)));
      }
    }
  }
}
