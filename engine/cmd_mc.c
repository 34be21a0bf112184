/* cmd_mc.c: `detente mc`: many runs of a scenario with per-run seeds, sampled
 * params, sweeps, a fork date and shards; writes the runs file, its sidecar
 * and the summary. Parses the command line and hands the batch to batch.c. */
#include "batch.h"
#include "cli.h"
#include "output.h"
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
  "usage: detente mc FILE --runs N [options]\n"
  "\n"
  "Runs the scenario FILE N times (per sweep point), each run with its own seed and\n"
  "sampled params, and summarises the outcomes (docs/batch.md).\n"
  "\n"
  "options:\n"
  "  --runs N              runs per sweep point (required)\n"
  "  --threads T           worker threads (default: the number of processors);\n"
  "                        results are identical for any T\n"
  "  --seed S              master seed (default 1); run g has seed dt_rng_run_seed(S, g)\n"
  "                        and `detente run --seed <that seed>` reproduces it\n"
  "  -D name=value         override a param for every run (repeatable)\n"
  "  --sweep name=a:b:step | name=v1,v2,...\n"
  "                        vary a param over a grid (repeatable; the first sweep is the\n"
  "                        outermost); every point gets N runs of its own\n"
  "  --fork-at DATE        all runs share one history (the master seed) up to DATE,\n"
  "                        then each continues on its own stream\n"
  "  --out runs.csv        one row per run (and runs.csv.meta.json for `detente merge`)\n"
  "  --summary FILE.json   the summary as JSON (docs/formats.md)\n"
  "  --shard K/M           run only the runs g with g % M == K-1 (1 <= K <= M)\n"
  "  --quiet, -q           print only errors: no progress line, banner or summary table\n"
  "  --max-instructions N, --max-memory MIB, --unsafe   as for `detente run`\n"
  "\n"
  "exit codes: 0 done (some runs may have failed: see the summary), 1 every run failed,\n"
  "the scenario does not load, or a run declared a param or outcome that is not a column\n"
  "(docs/batch.md), 2 usage (also a bad -D or --sweep value at any sweep point), 3 file\n"
  "error, 4 every run hit a sandbox limit\n";

static int usage_err(const char *fmt, const char *a, const char *b) {
  dt_cli_usage_error("mc", fmt, a, b);
  return DT_EXIT_USAGE;
}

static int parse_num(const char *s, size_t n, double *out) {
  char buf[64];
  if (n == 0 || n >= sizeof buf) return -1;
  memcpy(buf, s, n); buf[n] = 0;
  char *end;
  *out = strtod(buf, &end);
  return *end || !isfinite(*out) ? -1 : 0;
}

/* Parses one --sweep argument into d; returns 0 or prints a usage error. */
static int parse_sweep(const char *arg, dt_sweep_t *d) {
  const char *eq = strchr(arg, '=');
  static const char want[] = "--sweep '%s': expected name=a:b:step or name=v1,v2,... %s";
  if (!eq || eq == arg || !eq[1]) return usage_err(want, arg, "");
  d->name = strndup(arg, (size_t)(eq - arg));
  const char *v = eq + 1;
  if (strchr(v, ':')) {
    const char *c1 = strchr(v, ':'), *c2 = strchr(c1 + 1, ':');
    double a, b, step;
    if (!c2 || strchr(c2 + 1, ':') || parse_num(v, (size_t)(c1 - v), &a) ||
        parse_num(c1 + 1, (size_t)(c2 - c1 - 1), &b) || parse_num(c2 + 1, strlen(c2 + 1), &step))
      return usage_err(want, arg, "(a, b and step must be numbers)");
    if (!(step > 0)) return usage_err(want, arg, "(step must be > 0)");
    if (b < a) return usage_err(want, arg, "(b must not be below a)");
    double cnt = floor((b - a) / step + 1e-9) + 1;
    if (cnt > 100000) return usage_err(want, arg, "(more than 100000 values)");
    d->nvalues = (int)cnt;
    d->values = calloc((size_t)d->nvalues, sizeof *d->values);
    for (int k = 0; d->values && k < d->nvalues; k++) {
      char buf[40];
      double x = a + (double)k * step;   /* not accumulated: no drift */
      snprintf(buf, sizeof buf, "%.15g", x);
      d->values[k] = strdup(buf);
    }
    return d->values ? 0 : DT_EXIT_USAGE;
  }
  int n = 1;
  for (const char *p = v; *p; p++) n += *p == ',';
  d->values = calloc((size_t)n, sizeof *d->values);
  if (!d->values) return DT_EXIT_USAGE;
  for (const char *p = v;; ) {
    size_t len = strcspn(p, ",");
    if (len == 0) return usage_err(want, arg, "(an empty value)");
    char *val = strndup(p, len);
    for (int k = 0; k < d->nvalues; k++)
      if (!strcmp(d->values[k], val)) { free(val); return usage_err(want, arg, "(a value given twice)"); }
    d->values[d->nvalues++] = val;
    p += len;
    if (!*p) break;
    p++;
  }
  return 0;
}

int dt_cmd_mc(int argc, char **argv) {
  dt_common_opts_t o;
  dt_cli_defaults(&o);
  dt_batch_spec_t s = { 0 };
  const char *file = NULL, *out = NULL, *sumpath = NULL, *fork_s = NULL;
  uint64_t runs = 0, threads = 0;
  int have_runs = 0, code = DT_EXIT_OK, rcu;
  s.seed = 1;
  s.sweep = calloc((size_t)argc + 1, sizeof *s.sweep);
  if (!s.sweep) return DT_EXIT_SCRIPT;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if ((rcu = dt_cli_common(&o, argc, argv, &i, "mc")) != 0) { if (rcu < 0) { code = DT_EXIT_USAGE; goto done; } continue; }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage, stdout); goto done; }
    if (!strcmp(a, "--runs") || !strcmp(a, "--threads") || !strcmp(a, "--seed") || !strcmp(a, "--sweep") ||
        !strcmp(a, "--fork-at") || !strcmp(a, "--out") || !strcmp(a, "--summary") || !strcmp(a, "--shard")) {
      if (i + 1 >= argc) { code = usage_err("%s needs a value%s", a, ""); goto done; }
      const char *v = argv[++i];
      if (!strcmp(a, "--runs")) {
        if (dt_cli_u64(v, &runs) || runs < 1 || runs > (1ull << 40)) { code = usage_err("--runs expects a whole number >= 1, got '%s'%s", v, ""); goto done; }
        have_runs = 1;
      } else if (!strcmp(a, "--threads")) {
        if (dt_cli_u64(v, &threads) || threads < 1 || threads > 1024) { code = usage_err("--threads expects a whole number from 1 to 1024, got '%s'%s", v, ""); goto done; }
      } else if (!strcmp(a, "--seed")) {
        if (dt_cli_seed(v, &s.seed)) { code = usage_err("--seed expects a whole number >= 0, got '%s'%s", v, ""); goto done; }
      } else if (!strcmp(a, "--sweep")) {
        dt_sweep_t *d = &s.sweep[s.nsweep++];
        if ((code = parse_sweep(v, d)) != 0) goto done;
        for (int k = 0; k < s.nsweep - 1; k++)
          if (!strcmp(s.sweep[k].name, d->name)) { code = usage_err("--sweep %s given twice%s", d->name, ""); goto done; }
      } else if (!strcmp(a, "--fork-at")) fork_s = v;
      else if (!strcmp(a, "--out")) out = v;
      else if (!strcmp(a, "--summary")) sumpath = v;
      else {
        unsigned long long k, n;
        char extra;
        if (sscanf(v, "%llu/%llu%c", &k, &n, &extra) != 2 || strchr(v, '-'))
          { code = usage_err("--shard expects K/M such as 1/4, got '%s'%s", v, ""); goto done; }
        if (n < 1 || k < 1 || k > n || n > 1000000)
          { code = usage_err("--shard %s: K must be between 1 and M (shards are numbered 1 to M)%s", v, ""); goto done; }
        s.shard_k = (int)k; s.shard_n = (int)n;
      }
      continue;
    }
    if (a[0] == '-' && a[1]) { code = usage_err("unknown option '%s'%s", a, ""); goto done; }
    if (file) { code = usage_err("one scenario file at a time ('%s' and '%s')", file, a); goto done; }
    file = a;
  }
  if (!file) { fputs(usage, stderr); code = DT_EXIT_USAGE; goto done; }
  if (!have_runs) { code = usage_err("--runs N is required (runs per sweep point)%s%s", "", ""); goto done; }
  for (int d = 0; d < s.nsweep; d++)
    for (int k = 0; k < o.nov; k++)
      if (!strcmp(o.ov[k].name, s.sweep[d].name)) { code = usage_err("%s is both swept (--sweep) and fixed (-D)%s", s.sweep[d].name, ""); goto done; }
  s.npoints = 1;
  for (int d = 0; d < s.nsweep; d++) {
    s.npoints *= (uint64_t)s.sweep[d].nvalues;
    if (s.npoints > 1000000) { code = usage_err("the sweep grid has more than 1000000 points%s%s", "", ""); goto done; }
  }
  s.runs_per_point = runs;
  s.total = runs * s.npoints;
  if (s.total > (1ull << 40)) { code = usage_err("too many runs in all (--runs times the sweep points)%s%s", "", ""); goto done; }
  s.nov = o.nov;
  s.ov_name = calloc((size_t)o.nov + 1, sizeof *s.ov_name);
  s.ov_value = calloc((size_t)o.nov + 1, sizeof *s.ov_value);
  if (!s.ov_name || !s.ov_value) { code = DT_EXIT_SCRIPT; goto done; }
  for (int k = 0; k < o.nov; k++) { s.ov_name[k] = strdup(o.ov[k].name); s.ov_value[k] = strdup(o.ov[k].value); }

  dt_batch_run_opts_t ro = { 0 };
  ro.path = file;
  ro.stdlib_dir = dt_cli_stdlib_dir();
  ro.lim = o.lim;
  ro.fork_at = DT_NEVER;
  if (fork_s) {
    if (dt_time_parse(fork_s, &ro.fork_at)) { code = usage_err("--fork-at expects a date YYYY-MM-DD, got '%s'%s", fork_s, ""); goto done; }
    s.fork_at = strdup(fork_s);
  }
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  ro.threads = threads ? (int)threads : ncpu > 0 ? (int)ncpu : 1;
  ro.progress = !o.quiet && isatty(fileno(stderr));
  ro.print_errors = 3;

  char err[2048];
  int rc = dt_batch_probe(&s, &ro, err, sizeof err);
  if (rc) {
    fprintf(stderr, "detente mc: %s\n", err);
    if (rc == DT_EINVAL) fprintf(stderr, "(see 'detente mc --help')\n");
    code = rc == DT_EINVAL ? DT_EXIT_USAGE : rc == DT_EIO ? DT_EXIT_IO : DT_EXIT_SCRIPT;
    goto done;
  }
  FILE *csv = NULL;
  if (out) {
    if (!(csv = fopen(out, "w"))) { fprintf(stderr, "detente mc: cannot write the runs file '%s'\n", out); code = DT_EXIT_IO; goto done; }
    dt_buf_t h = { 0 };
    dt_batch_header(&s, &h);
    if (h.oom || fwrite(h.p, 1, h.len, csv) != h.len) code = DT_EXIT_IO;
    dt_buf_free(&h);
  }
  ro.csv = csv;
  dt_batch_store_t st;
  if (dt_batch_store_init(&st, &s, dt_batch_shard_count(&s))) {
    fprintf(stderr, "detente mc: out of memory for %llu runs\n", (unsigned long long)dt_batch_shard_count(&s));
    if (csv) fclose(csv);
    code = DT_EXIT_SCRIPT;
    goto done;
  }
  if (!o.quiet)
    fprintf(stderr, "detente mc: %s, %llu runs on %d thread%s\n", file,
            (unsigned long long)dt_batch_shard_count(&s), ro.threads, ro.threads == 1 ? "" : "s");
  double secs = 0;
  rc = dt_batch_run(&s, &ro, &st, &secs, err, sizeof err);
  if (csv && fclose(csv) != 0 && !rc) rc = DT_EIO;
  if (rc) {
    fprintf(stderr, "detente mc: %s\n", err[0] ? err : rc == DT_EIO ? "writing the runs file failed" : dt_strerror(rc));
    if (out && rc != DT_EIO)
      fprintf(stderr, "detente mc: the batch stopped: '%s' holds the rows before it and no sidecar; no summary was written\n", out);
    code = rc == DT_EIO ? DT_EXIT_IO : DT_EXIT_SCRIPT;
  } else {
    if (out) {
      char *mp = dt_batch_meta_path(out), *meta = dt_batch_meta_dump(&s);
      FILE *f = mp && meta ? fopen(mp, "w") : NULL;
      if (!f || fputs(meta, f) < 0) code = DT_EXIT_IO;
      if (f && fclose(f) != 0) code = DT_EXIT_IO;
      if (code) fprintf(stderr, "detente mc: cannot write the sidecar '%s'\n", mp ? mp : out);
      free(mp); free(meta);
    }
    json_t *sum = dt_batch_summary(&s, &st);
    if (!sum) code = DT_EXIT_SCRIPT;
    else {
      if (sumpath && dt_batch_summary_write(sum, sumpath)) {
        fprintf(stderr, "detente mc: cannot write the summary '%s'\n", sumpath);
        code = DT_EXIT_IO;
      }
      if (!o.quiet) dt_batch_summary_print(sum, stdout);
      fflush(stdout);   /* the summary before the timing line on a shared terminal */
      json_decref(sum);
    }
    if (!o.quiet)
      fprintf(stderr, "detente mc: %llu runs in %.2fs (%.0f runs/s)\n", (unsigned long long)st.n, secs,
              secs > 0 ? (double)st.n / secs : 0.0);
    if (st.nerrors)
      fprintf(stderr, "detente mc: %llu of %llu runs failed\n", (unsigned long long)st.nerrors, (unsigned long long)st.n);
    if (code == DT_EXIT_OK && st.n && st.nerrors == st.n) {
      int all_limit = 1;
      for (uint64_t j = 0; j < st.n; j++) all_limit &= st.status[j] == DT_RUN_LIMIT;
      code = all_limit ? DT_EXIT_LIMIT : DT_EXIT_SCRIPT;
    }
  }
  dt_batch_store_close(&st);
done:
  dt_batch_spec_close(&s);
  for (int k = 0; k < o.nov; k++) free((char *)o.ov[k].name);
  return code;
}
