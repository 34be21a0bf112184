/* cmd_score.c: `detente score RUNS.csv --observed OBSERVED.csv`: a hindcast. It
 * reads a batch's runs file and a file of what actually happened, and scores the
 * batch's probability for each observed yes/no or category outcome (Brier and
 * log scores) against an uninformed reference forecast (1/K for K categories);
 * for observed numbers and dates it reports where the observation falls in the
 * runs' distribution. Reads files only; runs nothing. */
#include "batch.h"
#include "cli.h"
#include "output.h"
#include "stats.h"
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
  "usage: detente score RUNS.csv --observed OBSERVED.csv [--json FILE]\n"
  "\n"
  "Scores a batch (the runs file of `detente mc --out`) against what happened.\n"
  "OBSERVED.csv has a header with at least `outcome,value` (docs/formats.md): one\n"
  "row per outcome that has been observed, its value written as in the runs file\n"
  "(TRUE/FALSE, a category, a number or a date YYYY-MM-DD).\n"
  "For yes/no and category outcomes: the batch's probability of what happened, the\n"
  "Brier score (0 best; sum over categories of (p - observed)^2) and the log score\n"
  "(-ln p, 0 best; p kept within [1/(2N), 1 - 1/(2N)] for N runs), each beside the\n"
  "uninformed reference that gives every category seen the same chance (the base\n"
  "rate for comparison), and the overall means and Brier skill (1 - Brier/reference).\n"
  "For numbers and dates: the runs' median and 90% range and the share of runs at or\n"
  "below the observation (not scored). Only runs with status ok count.\n"
  "  --json FILE   the scores as JSON too\n"
  "\n"
  "exit codes: 0 scored, 2 usage, 3 a file cannot be read or written, 5 the files do\n"
  "not fit (an observed outcome that is not a column, no run with status ok)\n";

/* The records of one CSV file: fields as NUL-terminated strings. Owns all. */
typedef struct table { int ncol; char **head; size_t nrow; char ***rows; } table_t;

static void table_free(table_t *t) {
  for (int c = 0; c < t->ncol; c++) free(t->head[c]);
  free(t->head);
  for (size_t r = 0; r < t->nrow; r++) {
    for (int c = 0; c < t->ncol; c++) free(t->rows[r][c]);
    free(t->rows[r]);
  }
  free(t->rows);
  memset(t, 0, sizeof *t);
}

/* Reads path into t; 0, or an exit code with a message printed. */
static int table_read(const char *path, table_t *t) {
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "detente score: cannot read '%s'\n", path); return DT_EXIT_IO; }
  dt_buf_t raw = { 0 }, txt = { 0 };
  enum { MAXF = 4096 };
  dt_csv_fld_t *fld = malloc(sizeof *fld * MAXF);
  int code = 0;
  long line = 0;
  size_t cap = 0;
  if (!fld) { code = DT_EXIT_IO; goto out; }
  for (;;) {
    int r = dt_csv_read_record(f, &raw);
    if (r < 0) {
      fprintf(stderr, "detente score: reading '%s' failed\n", path);
      code = DT_EXIT_IO;
      goto out;
    }
    if (r == 0) break;
    line++;
    size_t pos = 0;
    int nf = dt_csv_record(raw.p, raw.len, &pos, &txt, fld, MAXF);
    if (nf < 0) {
      fprintf(stderr, "detente score: %s:%ld: not a CSV record\n", path, line);
      code = DT_EXIT_DATA;
      goto out;
    }
    if (nf == 1 && fld[0].len == 0) continue;                  /* a blank line */
    if (!t->head) {
      t->ncol = nf;
      t->head = calloc((size_t)nf, sizeof *t->head);
      if (!t->head) { code = DT_EXIT_IO; goto out; }
      for (int c = 0; c < nf; c++) t->head[c] = strdup(txt.p + fld[c].off);
      continue;
    }
    if (nf != t->ncol) {
      fprintf(stderr, "detente score: %s:%ld: %d fields, the header has %d\n", path, line, nf,
              t->ncol);
      code = DT_EXIT_DATA; goto out;
    }
    if (t->nrow == cap) {
      size_t nc = cap ? cap * 2 : 256;
      char ***nr = realloc(t->rows, sizeof *nr * nc);
      if (!nr) { code = DT_EXIT_IO; goto out; }
      t->rows = nr; cap = nc;
    }
    char **row = calloc((size_t)nf, sizeof *row);
    if (!row) { code = DT_EXIT_IO; goto out; }
    for (int c = 0; c < nf; c++) row[c] = strdup(txt.p + fld[c].off);
    t->rows[t->nrow++] = row;
  }
  if (!t->head) { fprintf(stderr, "detente score: '%s' is empty\n", path); code = DT_EXIT_DATA; }
out:
  if (code == DT_EXIT_IO && !ferror(f))
    fprintf(stderr, "detente score: out of memory reading '%s'\n", path);
  fclose(f);
  free(fld); dt_buf_free(&raw); dt_buf_free(&txt);
  return code;
}

static int col(const table_t *t, const char *name) {
  for (int c = 0; c < t->ncol; c++) if (!strcmp(t->head[c], name)) return c;
  return -1;
}

static int is_bool(const char *s, int *b) {
  if (!strcmp(s, "TRUE") || !strcmp(s, "true")) { *b = 1; return 1; }
  if (!strcmp(s, "FALSE") || !strcmp(s, "false")) { *b = 0; return 1; }
  return 0;
}

/* A number, or a date as days since 1970-01-01; 0 when s is neither. */
static int as_number(const char *s, double *x, int *date) {
  dt_time_t t;
  *date = 0;
  if (strlen(s) == 10 && dt_time_parse(s, &t) == 0) {
    *x = (double)t / 86400.0;
    *date = 1;
    return 1;
  }
  char *end;
  *x = strtod(s, &end);
  return *s && !*end && isfinite(*x);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static const char *fmt_val(double x, int date, char *buf, size_t n) {
  if (date) dt_time_format((dt_time_t)llround(x) * 86400, buf, n);   /* whole days */
  else snprintf(buf, n, "%.6g", x);
  return buf;
}

typedef struct score_args { const char *runs, *observed, *json; } score_args_t;

static int parse_args(int argc, char **argv, score_args_t *a) {
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i];
    if (!strcmp(s, "--help") || !strcmp(s, "-h")) { fputs(usage, stdout); return DT_EXIT_OK; }
    if (!strcmp(s, "--observed") || !strcmp(s, "--json")) {
      if (i + 1 >= argc) {
        dt_cli_usage_error("score", "%s needs a value", s);
        return DT_EXIT_USAGE;
      }
      if (!strcmp(s, "--observed")) a->observed = argv[++i]; else a->json = argv[++i];
      continue;
    }
    if (s[0] == '-' && s[1]) {
      dt_cli_usage_error("score", "unknown option '%s'", s);
      return DT_EXIT_USAGE;
    }
    if (a->runs) {
      dt_cli_usage_error("score", "one runs file at a time ('%s' and '%s')", a->runs, s);
      return DT_EXIT_USAGE;
    }
    a->runs = s;
  }
  if (!a->runs || !a->observed) { fputs(usage, stderr); return DT_EXIT_USAGE; }
  const dt_cli_file_t files[] = { { "the runs file", a->runs }, { "--observed", a->observed },
                                  { "--json", a->json } };
  if (dt_cli_check_files("score", files, 2, 3) < 0) return DT_EXIT_USAGE;
  return -1;
}

/* The kind of the runs' values in column c (runs with status ok; NA and
 * empty cells aside): 'b' all TRUE/FALSE, 'n' all numbers or dates, 'c' else,
 * '?' when no run has a value. */
static int column_kind(const table_t *runs, int st, int c) {
  int bools = 1, nums = 1, seen = 0;
  for (size_t r = 0; r < runs->nrow; r++) {
    const char *v = runs->rows[r][c];
    if (strcmp(runs->rows[r][st], "ok") || !*v || !strcmp(v, "NA")) continue;
    seen = 1;
    int b, d;
    double x;
    if (!is_bool(v, &b)) bools = 0;
    if (!as_number(v, &x, &d)) nums = 0;
  }
  return !seen ? '?' : bools ? 'b' : nums ? 'n' : 'c';
}

/* Observation k names an outcome column of the runs file once, with a value
 * of that outcome's kind. Before, 'status' or 'run' were scored as outcomes,
 * an outcome observed twice counted twice in the means, 'maybe' for a yes/no
 * outcome or '1e999' for a number became a category no run had (p = 0).
 * 0, or an exit code with a message printed. */
static int check_observed(const table_t *runs, int st, const table_t *obs, size_t k, int oc,
                          int ov, const char *rpath, const char *opath) {
  static const char *const fixed[] = { "run", "seed", "point", "status", "error", NULL };
  const char *name = obs->rows[k][oc], *v = obs->rows[k][ov];
  int c = col(runs, name);
  if (c < 0) {
    fprintf(stderr, "detente score: observed outcome '%s' is not a column of '%s'\n", name, rpath);
    return DT_EXIT_DATA;
  }
  for (int i = 0; fixed[i]; i++)
    if (!strcmp(name, fixed[i])) {
      fprintf(stderr, "detente score: %s: row %zu: '%s' is a column every runs file has, not an "
              "outcome\n", opath, k + 1, name);
      return DT_EXIT_DATA;
    }
  for (size_t j = 0; j < k; j++)
    if (!strcmp(obs->rows[j][oc], name)) {
      fprintf(stderr, "detente score: %s: row %zu: outcome '%s' is observed twice\n", opath, k + 1,
              name);
      return DT_EXIT_DATA;
    }
  int kind = column_kind(runs, st, c), b, d;
  double x;
  if (kind == 'b' && !is_bool(v, &b)) {
    fprintf(stderr, "detente score: %s: row %zu: '%s' is a yes/no outcome, observed '%s' (TRUE or "
            "FALSE?)\n", opath, k + 1, name, v);
    return DT_EXIT_DATA;
  }
  if (kind == 'n' && !as_number(v, &x, &d)) {
    fprintf(stderr, "detente score: %s: row %zu: '%s' is a number (or date) outcome, observed "
            "'%s', which is not a finite number or a date\n", opath, k + 1, name, v);
    return DT_EXIT_DATA;
  }
  return 0;
}

int dt_cmd_score(int argc, char **argv) {
  score_args_t a = { 0 };
  int code = parse_args(argc, argv, &a);
  if (code >= 0) return code;
  table_t runs = { 0 }, obs = { 0 };
  json_t *out = NULL;
  double *xs = NULL;
  if ((code = table_read(a.runs, &runs)) || (code = table_read(a.observed, &obs))) goto done;
  int st = col(&runs, "status"), oc = col(&obs, "outcome"), ov = col(&obs, "value");
  if (st < 0) {
    fprintf(stderr, "detente score: '%s' has no status column: not a runs file\n", a.runs);
    code = DT_EXIT_DATA;
    goto done;
  }
  if (oc < 0 || ov < 0) {
    fprintf(stderr, "detente score: '%s' needs the columns outcome and value\n", a.observed);
    code = DT_EXIT_DATA; goto done;
  }
  size_t n = 0;
  for (size_t r = 0; r < runs.nrow; r++) n += !strcmp(runs.rows[r][st], "ok");
  if (!n) {
    fprintf(stderr, "detente score: '%s' has no run with status ok\n", a.runs);
    code = DT_EXIT_DATA;
    goto done;
  }
  for (size_t k = 0; k < obs.nrow; k++)
    if ((code = check_observed(&runs, st, &obs, k, oc, ov, a.runs, a.observed)) != 0) goto done;
  xs = malloc(sizeof *xs * n);
  if (!xs) { code = DT_EXIT_IO; goto done; }
  double lo = 0.5 / (double)n, hi = 1 - 0.5 / (double)n;
  double sb = 0, sl = 0, rb = 0, rl = 0;
  int scored = 0;
  out = json_object();
  json_t *arr = json_array();
  json_object_set_new(out, "runs", json_integer((json_int_t)n));
  printf("hindcast: %s (%zu runs with status ok) against %s\n\n", a.runs, n, a.observed);
  printf("  %-26s %-12s %8s %7s %7s   %9s %7s\n", "outcome", "observed", "p(obs.)", "Brier", "log",
         "ref Brier", "ref log");
  for (size_t k = 0; k < obs.nrow; k++) {
    const char *name = obs.rows[k][oc], *want = obs.rows[k][ov];
    int c = col(&runs, name);
    json_t *e = json_object();
    json_object_set_new(e, "outcome", json_string(name));
    json_object_set_new(e, "observed", json_string(want));
    int wb;
    double wx;
    int wdate;
    if (!is_bool(want, &wb) && as_number(want, &wx, &wdate)) {
      /* A number or a date: where the observation falls among the runs. */
      size_t m = 0, missing = 0;
      for (size_t r = 0; r < runs.nrow; r++) {
        if (strcmp(runs.rows[r][st], "ok")) continue;
        double x; int d;
        if (as_number(runs.rows[r][c], &x, &d)) xs[m++] = x; else missing++;
      }
      char b1[32], b2[32], b3[32];
      if (m) {
        qsort(xs, m, sizeof *xs, cmp_double);
        size_t below = 0;
        for (size_t i = 0; i < m; i++) below += xs[i] <= wx;
        double share = (double)below / (double)n;
        char pct[32];
        printf("  %-26s %-12s   runs: median %s [p5 %s, p95 %s]; %s of runs at or before/below "
               "it\n",
               name, want, fmt_val(dt_stats_quantile(xs, m, 0.5), wdate, b1, sizeof b1),
               fmt_val(dt_stats_quantile(xs, m, 0.05), wdate, b2, sizeof b2),
               fmt_val(dt_stats_quantile(xs, m, 0.95), wdate, b3, sizeof b3),
               dt_fmt_pct(share, pct));
        if (missing)
          printf("  %-26s %-12s   %s of runs have no value (it never happened)\n", "", "",
                 dt_fmt_pct((double)missing / (double)n, pct));
        json_object_set_new(e, "kind", json_string(wdate ? "date" : "number"));
        json_object_set_new(e, "share_at_or_below", json_real(share));
        json_object_set_new(e, "share_missing", json_real((double)missing / (double)n));
        json_object_set_new(e, "median",
                            json_string(
                                fmt_val(dt_stats_quantile(xs, m, 0.5), wdate, b1, sizeof b1)));
      } else {
        printf("  %-26s %-12s   no run has a value: the batch gave it probability 0\n", name, want);
        json_object_set_new(e, "kind", json_string(wdate ? "date" : "number"));
        json_object_set_new(e, "share_missing", json_real(1.0));
      }
      json_array_append_new(arr, e);
      continue;
    }
    /* Yes/no or a category: the share of each value among the runs. */
    size_t hit = 0;
    /* Distinct values seen (NA counts as a category of its own), for K and Brier. */
    const char **vals = calloc(n + 1, sizeof *vals);
    size_t *cnt = calloc(n + 1, sizeof *cnt);
    if (!vals || !cnt) { free(vals); free(cnt); json_decref(e); code = DT_EXIT_IO; goto done; }
    size_t nv = 0;
    for (size_t r = 0; r < runs.nrow; r++) {
      if (strcmp(runs.rows[r][st], "ok")) continue;
      const char *v = runs.rows[r][c];
      int vb;
      if (is_bool(v, &vb)) v = vb ? "TRUE" : "FALSE";
      size_t i = 0;
      while (i < nv && strcmp(vals[i], v)) i++;
      if (i == nv) vals[nv++] = v;
      cnt[i]++;
    }
    const char *w = want;
    if (is_bool(want, &wb)) w = wb ? "TRUE" : "FALSE";
    size_t wi = 0;
    while (wi < nv && strcmp(vals[wi], w)) wi++;
    if (wi == nv) { vals[nv] = w; cnt[nv] = 0; nv++; }
    hit = cnt[wi];
    /* A yes/no outcome always has both answers as categories. */
    size_t K = nv;
    int binary = is_bool(want, &wb);
    if (binary) {
      K = 0;
      for (size_t i = 0; i < nv; i++) if (strcmp(vals[i], "TRUE") && strcmp(vals[i], "FALSE")) K++;
      K += 2;
    }
    double p = (double)hit / (double)n;
    double brier = 0;
    for (size_t i = 0; i < nv; i++) {
      double pi = (double)cnt[i] / (double)n, oi = i == wi;
      brier += (pi - oi) * (pi - oi);
    }
    double pc = p < lo ? lo : p > hi ? hi : p;
    double logs = -log(pc);
    double refb = 1.0 - 1.0 / (double)K, refl = log((double)K);
    printf("  %-26s %-12s %8.3f %7.3f %7.3f   %9.3f %7.3f\n", name, want, p, brier, logs, refb,
           refl);
    json_object_set_new(e, "kind", json_string(binary ? "boolean" : "category"));
    json_object_set_new(e, "p", json_real(p));
    json_object_set_new(e, "brier", json_real(brier));
    json_object_set_new(e, "log", json_real(logs));
    json_object_set_new(e, "categories", json_integer((json_int_t)K));
    json_object_set_new(e, "ref_brier", json_real(refb));
    json_object_set_new(e, "ref_log", json_real(refl));
    json_array_append_new(arr, e);
    sb += brier; sl += logs; rb += refb; rl += refl; scored++;
    free(vals); free(cnt);
  }
  json_object_set_new(out, "outcomes", arr);
  if (scored) {
    double mb = sb / scored, ml = sl / scored, mrb = rb / scored, mrl = rl / scored;
    printf("\n  %-26s %-12s %8s %7.3f %7.3f   %9.3f %7.3f\n", "overall (mean)", "", "", mb, ml, mrb,
           mrl);
    /* With one category in all, the reference is perfect (Brier 0): no skill to give. */
    if (mrb > 0)
      printf("  %d outcomes scored; Brier skill against the reference %.3f (1 perfect, 0 no "
             "better, < 0 worse)\n", scored, 1 - mb / mrb);
    else
      printf("  %d outcomes scored; no Brier skill: the reference is perfect (one category)\n",
             scored);
    json_t *o = json_object();
    json_object_set_new(o, "scored", json_integer(scored));
    json_object_set_new(o, "brier", json_real(mb));
    json_object_set_new(o, "log", json_real(ml));
    json_object_set_new(o, "ref_brier", json_real(mrb));
    json_object_set_new(o, "ref_log", json_real(mrl));
    json_object_set_new(o, "brier_skill", mrb > 0 ? json_real(1 - mb / mrb) : json_null());
    json_object_set_new(out, "overall", o);
  } else {
    printf("\n  no yes/no or category outcome to score\n");
  }
  if (a.json && json_dump_file(out, a.json, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) {
    fprintf(stderr, "detente score: cannot write '%s'\n", a.json);
    code = DT_EXIT_IO;
  }
done:
  json_decref(out);
  free(xs);
  table_free(&runs);
  table_free(&obs);
  return code;
}
