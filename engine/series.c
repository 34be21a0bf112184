/* series.c: the summary of a batch's series: reads the long-format series file
 * (run,date,name,value) that `detente mc --series` writes and gives, per series
 * and date, the number of runs with a value, their mean and the quantile bands
 * (p5, p25, median, p75, p95), as JSON and as a small text fan chart. Knows
 * nothing of Lua or of the runs; the file is its only input. */
#include "batch.h"
#include "stats.h"
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct sample { int name; dt_time_t t; double v; } sample_t;

static int by_name_date(const void *a, const void *b) {
  const sample_t *x = a, *y = b;
  if (x->name != y->name) return x->name < y->name ? -1 : 1;
  if (x->t != y->t) return x->t < y->t ? -1 : 1;
  if (isnan(x->v) != isnan(y->v)) return isnan(x->v) ? 1 : -1;   /* missing last */
  return x->v < y->v ? -1 : x->v > y->v;
}

static json_t *num_or_null(double x) { return isnan(x) ? json_null() : json_real(x); }

json_t *dt_series_summary(const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) { snprintf(err, errlen, "cannot read the series file '%s'", path); return NULL; }
  sample_t *rows = NULL; size_t n = 0, cap = 0;
  char **names = NULL; int nnames = 0;
  char line[512];
  long lineno = 0;
  json_t *out = NULL;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    if (lineno == 1) continue;                      /* the header */
    line[strcspn(line, "\r\n")] = 0;
    if (!*line) continue;
    char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL,
         *c3 = c2 ? strchr(c2 + 1, ',') : NULL;
    if (!c3) {
      snprintf(err, errlen, "%s:%ld: expected run,date,name,value", path, lineno);
      goto done;
    }
    *c1 = *c2 = *c3 = 0;
    dt_time_t t;
    if (dt_time_parse(c1 + 1, &t)) {
      snprintf(err, errlen, "%s:%ld: bad date '%s'", path, lineno, c1 + 1);
      goto done;
    }
    const char *name = c2 + 1, *val = c3 + 1;
    double v = NAN;
    if (*val) {
      char *end;
      v = strtod(val, &end);
      if (*end || !isfinite(v)) {
        snprintf(err, errlen, "%s:%ld: bad value '%s'", path, lineno, val);
        goto done;
      }
    }
    int k = 0;
    while (k < nnames && strcmp(names[k], name)) k++;
    if (k == nnames) {
      char **nn = realloc(names, sizeof *nn * (size_t)(nnames + 1));
      if (!nn) { snprintf(err, errlen, "out of memory"); goto done; }
      names = nn;
      if (!(names[nnames] = strdup(name))) { snprintf(err, errlen, "out of memory"); goto done; }
      nnames++;
    }
    if (n == cap) {
      size_t nc = cap ? cap * 2 : 1024;
      sample_t *nr = realloc(rows, sizeof *nr * nc);
      if (!nr) { snprintf(err, errlen, "out of memory"); goto done; }
      rows = nr; cap = nc;
    }
    rows[n++] = (sample_t){ k, t, v };
  }
  if (ferror(f)) { snprintf(err, errlen, "reading '%s' failed", path); goto done; }
  if (n) qsort(rows, n, sizeof *rows, by_name_date);
  out = json_array();
  double *vals = malloc(sizeof *vals * (n ? n : 1));
  if (!vals) { json_decref(out); out = NULL; snprintf(err, errlen, "out of memory"); goto done; }
  static const double ps[5] = { 0.05, 0.25, 0.5, 0.75, 0.95 };
  static const char *const pn[5] = { "p5", "p25", "p50", "p75", "p95" };
  for (size_t i = 0; i < n; ) {
    int k = rows[i].name;
    json_t *e = json_object(), *dates = json_array(), *cnt = json_array(), *mean = json_array(),
           *q[5];
    for (int j = 0; j < 5; j++) q[j] = json_array();
    while (i < n && rows[i].name == k) {
      dt_time_t t = rows[i].t;
      size_t m = 0;
      for (; i < n && rows[i].name == k && rows[i].t == t; i++)
        if (!isnan(rows[i].v)) vals[m++] = rows[i].v;
      char d[32];
      dt_time_format(t, d, sizeof d);
      json_array_append_new(dates, json_string(d));
      json_array_append_new(cnt, json_integer((json_int_t)m));
      double s = 0;
      for (size_t j = 0; j < m; j++) s += vals[j];
      json_array_append_new(mean, num_or_null(m ? s / (double)m : NAN));
      for (int j = 0; j < 5; j++)
        json_array_append_new(q[j], num_or_null(m ? dt_stats_quantile(vals, m, ps[j]) : NAN));
    }
    json_object_set_new(e, "name", json_string(names[k]));
    json_object_set_new(e, "dates", dates);
    json_object_set_new(e, "n", cnt);
    json_object_set_new(e, "mean", mean);
    for (int j = 0; j < 5; j++) json_object_set_new(e, pn[j], q[j]);
    json_array_append_new(out, e);
  }
  free(vals);
  /* Declaration order: the order names were first seen (run 0's order). */
  json_t *ordered = json_array();
  for (int k = 0; k < nnames; k++)
    for (size_t j = 0; j < json_array_size(out); j++) {
      json_t *e = json_array_get(out, j);
      if (!strcmp(json_string_value(json_object_get(e, "name")), names[k]))
        json_array_append(ordered, e);
    }
  json_decref(out);
  out = ordered;
done:
  fclose(f);
  free(rows);
  for (int k = 0; k < nnames; k++) free(names[k]);
  free(names);
  return out;
}

static double at(json_t *e, const char *key, size_t i) {
  json_t *v = json_array_get(json_object_get(e, key), i);
  return json_is_number(v) ? json_number_value(v) : NAN;
}

void dt_series_print(json_t *series, FILE *out) {
  size_t ns = json_array_size(series);
  if (!ns) return;
  fprintf(out,
          "\nseries (median [p5, p95]; the bar spans p5..p95, '=' p25..p75, '|' the median)\n");
  enum { W = 40 };
  for (size_t s = 0; s < ns; s++) {
    json_t *e = json_array_get(series, s);
    size_t nd = json_array_size(json_object_get(e, "dates"));
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < nd; i++) {
      double a = at(e, "p5", i), b = at(e, "p95", i);
      if (!isnan(a) && a < lo) lo = a;
      if (!isnan(b) && b > hi) hi = b;
    }
    fprintf(out, "  %s", json_string_value(json_object_get(e, "name")));
    if (isfinite(lo)) fprintf(out, "  (%.6g .. %.6g)", lo, hi);
    fputc('\n', out);
    size_t step = nd > 13 ? (nd + 11) / 12 : 1;
    for (size_t i = 0; i < nd; i++) {
      if (i % step && i != nd - 1) continue;
      const char *d = json_string_value(json_array_get(json_object_get(e, "dates"), i));
      double q[5] = { at(e, "p5", i), at(e, "p25", i), at(e, "p50", i), at(e, "p75", i),
                      at(e, "p95", i) };
      char bar[W + 1];
      memset(bar, ' ', W); bar[W] = 0;
      if (!isnan(q[2])) {
        int c[5];
        for (int j = 0; j < 5; j++)
          c[j] = hi > lo ? (int)lround((q[j] - lo) / (hi - lo) * (W - 1)) : W / 2;
        for (int x = c[0]; x <= c[4]; x++) bar[x] = '-';
        for (int x = c[1]; x <= c[3]; x++) bar[x] = '=';
        bar[c[2]] = '|';
        fprintf(out, "    %s  %s  %.6g [%.6g, %.6g]\n", d, bar, q[2], q[0], q[4]);
      } else {
        fprintf(out, "    %s  %s  (no value)\n", d, bar);
      }
    }
  }
}

/* ---- merging the shards' series files ---- */

typedef struct line { uint64_t run; size_t seq; char *text; } line_t;

static int by_run(const void *a, const void *b) {
  const line_t *x = a, *y = b;
  if (x->run != y->run) return x->run < y->run ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;   /* a run's rows keep their order */
}

int dt_series_merge(const char *const *in, int n, const char *out, char *err, size_t errlen) {
  line_t *ls = NULL;
  size_t nl = 0, cap = 0;
  int rc = DT_EIO;
  char buf[1024];
  for (int k = 0; k < n; k++) {
    FILE *f = fopen(in[k], "rb");
    if (!f) { snprintf(err, errlen, "cannot read the series file '%s'", in[k]); goto done; }
    long lineno = 0;
    while (fgets(buf, sizeof buf, f)) {
      lineno++;
      size_t len = strlen(buf);
      if (len && buf[len - 1] != '\n' && !feof(f)) {
        snprintf(err, errlen, "%s:%ld: line too long", in[k], lineno);
        fclose(f); rc = DT_EPARSE; goto done;
      }
      if (lineno == 1) {
        if (strcmp(buf, "run,date,name,value\n")) {
          snprintf(err, errlen, "'%s' is not a series file (header run,date,name,value)", in[k]);
          fclose(f); rc = DT_EPARSE; goto done;
        }
        continue;
      }
      char *end;
      uint64_t run = strtoull(buf, &end, 10);
      if (end == buf || *end != ',') {
        snprintf(err, errlen, "%s:%ld: a row starts with its run index", in[k], lineno);
        fclose(f); rc = DT_EPARSE; goto done;
      }
      if (nl == cap) {
        size_t nc = cap ? cap * 2 : 1024;
        line_t *nls = realloc(ls, sizeof *nls * nc);
        if (!nls) { snprintf(err, errlen, "out of memory"); fclose(f); rc = DT_ENOMEM; goto done; }
        ls = nls; cap = nc;
      }
      if (len && buf[len - 1] != '\n') { buf[len] = '\n'; buf[len + 1] = 0; }
      ls[nl].run = run; ls[nl].seq = nl;
      if (!(ls[nl].text = strdup(buf))) {
        snprintf(err, errlen, "out of memory");
        fclose(f); rc = DT_ENOMEM; goto done;
      }
      nl++;
    }
    fclose(f);
  }
  if (nl) qsort(ls, nl, sizeof *ls, by_run);
  FILE *o = fopen(out, "w");
  if (!o) { snprintf(err, errlen, "cannot write the series file '%s'", out); goto done; }
  int bad = fputs("run,date,name,value\n", o) < 0;
  for (size_t i = 0; i < nl && !bad; i++) bad = fputs(ls[i].text, o) < 0;
  if (fclose(o) != 0 || bad) { snprintf(err, errlen, "writing '%s' failed", out); goto done; }
  rc = 0;
done:
  for (size_t i = 0; i < nl; i++) free(ls[i].text);
  free(ls);
  return rc;
}
