/* cmd_mc.c: `detente mc`: many runs of a scenario with per-run seeds, sampled
 * params, sweeps, a fork date and shards; writes the runs file, its sidecar
 * and the summary. Parses the command line and hands the batch to batch.c. */
#include "batch.h"
#include "db.h"
#include "cli.h"
#include "output.h"
#include <errno.h>
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
  "  --design points.csv  run an external design: a header of param names, one row of\n"
  "                        values per point (e.g. from SALib); every row is a point with\n"
  "                        N runs of its own (instead of --sweep)\n"
  "  --sample random|lhs   how params with a distribution are drawn: independently in\n"
  "                        every run (random, the default), or as a Latin hypercube\n"
  "                        (lhs): the N runs of a point split each such param, and each\n"
  "                        param with a declared min and max, into N equally likely\n"
  "                        strata and take each stratum once\n"
  "  --fork-at DATE        all runs share one history (the master seed) up to DATE,\n"
  "                        then each continues on its own stream\n"
  "  --out runs.csv        one row per run (and runs.csv.meta.json for `detente merge`)\n"
  "  --summary FILE.json   the summary as JSON (docs/formats.md)\n"
  "  --db FILE.sqlite      the runs also in SQLite: runs, params, outcomes (docs/formats.md)\n"
  "  --series FILE.csv     every run's series samples, one row per run, date and series\n"
  "                        (run,date,name,value); the summary gains quantile bands per date\n"
  "  --shard K/M           run only the runs g with g % M == K-1 (1 <= K <= M)\n"
  "  --resume runs.csv     continue a batch that was killed: its settings come from the file\n"
  "                        runs.csv.partial.json `--out runs.csv` writes while it runs; the\n"
  "                        result is the uninterrupted batch's (give FILE, not the settings)\n"
  "  --quiet, -q           print only errors: no progress line, banner or summary table\n"
  "  --progress [SECONDS]  progress also when standard error is not a terminal (a log):\n"
  "                        a line with runs done, rate and ETA every SECONDS (default 10)\n"
  "  --max-instructions N, --max-memory MIB, --max-seconds S, --unsafe   as for `detente run`\n"
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
      if (!strcmp(d->values[k], val)) {
        free(val);
        return usage_err(want, arg, "(a value given twice)");
      }
    d->values[d->nvalues++] = val;
    p += len;
    if (!*p) break;
    p++;
  }
  return 0;
}

typedef struct mc_args {
  dt_common_opts_t o;
  const char *file, *out, *sumpath, *fork_s, *dbpath, *design, *seriespath;
  uint64_t runs, threads;
  int have_runs;
  double progress_every;        /* > 0: --progress given */
  const char *resume;           /* --resume RUNS.csv */
  const char *sample;           /* --sample as given */
  double secs;                  /* how long the runs took */
} mc_args_t;

/* The value of option a (argv[i]); s gets what describes the batch. Returns
 * 0 or the exit code of a usage error. */
static int parse_value(mc_args_t *m, dt_batch_spec_t *s, const char *a, const char *v) {
  if (!strcmp(a, "--runs")) {
    if (dt_cli_u64(v, &m->runs) || m->runs < 1 || m->runs > (1ull << 40))
      return usage_err("--runs expects a whole number from 1 to 2^40, got '%s'%s", v, "");
    m->have_runs = 1;
  } else if (!strcmp(a, "--threads")) {
    if (dt_cli_u64(v, &m->threads) || m->threads < 1 || m->threads > 1024)
      return usage_err("--threads expects a whole number from 1 to 1024, got '%s'%s", v, "");
  } else if (!strcmp(a, "--seed")) {
    if (dt_cli_seed(v, &s->seed))
      return usage_err("--seed expects a whole number >= 0, got '%s'%s", v, "");
  } else if (!strcmp(a, "--sweep")) {
    dt_sweep_t *d = &s->sweep[s->nsweep++];
    int code = parse_sweep(v, d);
    if (code) return code;
    for (int k = 0; k < s->nsweep - 1; k++)
      if (!strcmp(s->sweep[k].name, d->name))
        return usage_err("--sweep %s given twice%s", d->name, "");
  } else if (!strcmp(a, "--fork-at")) m->fork_s = v;
  else if (!strcmp(a, "--out")) m->out = v;
  else if (!strcmp(a, "--summary")) m->sumpath = v;
  else if (!strcmp(a, "--db")) m->dbpath = v;
  else if (!strcmp(a, "--design")) m->design = v;
  else if (!strcmp(a, "--series")) m->seriespath = v;
  else if (!strcmp(a, "--sample")) {
    if (strcmp(v, "random") && strcmp(v, "lhs"))
      return usage_err("--sample expects random or lhs, got '%s'%s", v, "");
    s->lhs = !strcmp(v, "lhs");
    m->sample = v;
  }
  else {
    unsigned long long k, n;
    char extra;
    if (sscanf(v, "%llu/%llu%c", &k, &n, &extra) != 2 || strchr(v, '-'))
      return usage_err("--shard expects K/M such as 1/4, got '%s'%s", v, "");
    if (n < 1 || k < 1 || k > n || n > 1000000)
      return usage_err("--shard %s: K must be between 1 and M (shards are numbered 1 to M)%s", v,
                       "");
    s->shard_k = (int)k; s->shard_n = (int)n;
  }
  return 0;
}

static int takes_value(const char *a) {
  static const char *const opts[] = { "--runs",    "--threads", "--seed",    "--sweep",
                                      "--fork-at", "--out",     "--summary", "--shard",
                                      "--db",      "--design",  "--series",  "--sample" };
  for (size_t i = 0; i < sizeof opts / sizeof *opts; i++)
    if (!strcmp(a, opts[i])) return 1;
  return 0;
}

/* Returns -1 to go on, or the exit code. */
static int parse_args(int argc, char **argv, mc_args_t *m, dt_batch_spec_t *s) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int rcu = dt_cli_common(&m->o, argc, argv, &i, "mc");
    if (rcu < 0) return DT_EXIT_USAGE;
    if (rcu > 0) continue;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage, stdout); return DT_EXIT_OK; }
    if (!strcmp(a, "--resume")) {
      if (i + 1 >= argc) return usage_err("%s needs a value%s", a, "");
      m->resume = argv[++i];
      continue;
    }
    if (!strcmp(a, "--progress")) {
      m->progress_every = 10;
      double x;
      if (i + 1 < argc && parse_num(argv[i + 1], strlen(argv[i + 1]), &x) == 0) {
        if (!(x > 0) || x > 86400)
          return usage_err("--progress expects seconds between 0 and 86400, got '%s'%s",
                           argv[i + 1], "");
        m->progress_every = x;
        i++;
      }
      continue;
    }
    if (takes_value(a)) {
      if (i + 1 >= argc) return usage_err("%s needs a value%s", a, "");
      int code = parse_value(m, s, a, argv[++i]);
      if (code) return code;
      continue;
    }
    if (a[0] == '-' && a[1]) return usage_err("unknown option '%s'%s", a, "");
    if (m->file) return usage_err("one scenario file at a time ('%s' and '%s')", m->file, a);
    m->file = a;
  }
  if (!m->file) { fputs(usage, stderr); return DT_EXIT_USAGE; }
  const dt_cli_file_t files[] = { { "the scenario", m->file }, { "--design", m->design },
                                  { "--resume", m->resume }, { "--out", m->out },
                                  { "--summary", m->sumpath }, { "--db", m->dbpath },
                                  { "--series", m->seriespath } };
  if (dt_cli_check_files("mc", files, 2, (int)(sizeof files / sizeof *files)) < 0)
    return DT_EXIT_USAGE;
  if (m->resume) {
    if (m->have_runs || s->nsweep || m->design || m->o.nov || m->fork_s || s->shard_n ||
        m->dbpath || m->seriespath || m->out || s->seed != 1 || m->sample)
      return usage_err(
          "--resume %s: the batch's settings come from %s.partial.json; give only FILE, --threads, "
          "--summary, --progress and --quiet",
          m->resume, m->resume);
    return -1;
  }
  if (!m->have_runs) return usage_err("--runs N is required (runs per sweep point)%s%s", "", "");
  return -1;
}

/* The sweep grid, the run count and the overrides; -1 to go on. */
static int make_spec(const mc_args_t *m, dt_batch_spec_t *s) {
  for (int d = 0; d < s->nsweep; d++)
    for (int k = 0; k < m->o.nov; k++)
      if (!strcmp(m->o.ov[k].name, s->sweep[d].name))
        return usage_err("%s is both swept (--sweep) and fixed (-D)%s", s->sweep[d].name, "");
  if (m->design) {
    if (s->nsweep) return usage_err("--design and --sweep: give one or the other%s%s", "", "");
    char err[512];
    int rc = dt_batch_design_load(s, m->design, err, sizeof err);
    if (rc) {
      fprintf(stderr, "detente mc: %s\n", err);
      return rc == DT_EIO ? DT_EXIT_IO : rc == DT_EINVAL ? DT_EXIT_USAGE : DT_EXIT_SCRIPT;
    }
    for (int d = 0; d < s->ndesign; d++)
      for (int k = 0; k < m->o.nov; k++)
        if (!strcmp(m->o.ov[k].name, s->design_name[d]))
          return usage_err("%s is both in the design (--design) and fixed (-D)%s",
                           s->design_name[d], "");
  }
  s->npoints = s->ndesign ? s->npoints : 1;
  for (int d = 0; d < s->nsweep; d++) {
    s->npoints *= (uint64_t)s->sweep[d].nvalues;
    if (s->npoints > 1000000)
      return usage_err("the sweep grid has more than 1000000 points%s%s", "", "");
  }
  s->runs_per_point = m->runs;
  s->total = m->runs * s->npoints;
  if (s->total > (1ull << 40))
    return usage_err("too many runs in all (--runs times the sweep points)%s%s", "", "");
  s->nov = m->o.nov;
  s->ov_name = calloc((size_t)m->o.nov + 1, sizeof *s->ov_name);
  s->ov_value = calloc((size_t)m->o.nov + 1, sizeof *s->ov_value);
  if (!s->ov_name || !s->ov_value) return DT_EXIT_SCRIPT;
  for (int k = 0; k < m->o.nov; k++) {
    s->ov_name[k] = strdup(m->o.ov[k].name);
    s->ov_value[k] = strdup(m->o.ov[k].value);
  }
  if (m->fork_s) s->fork_at = strdup(m->fork_s);
  if (m->fork_s && s->lhs)
    return usage_err("--sample lhs and --fork-at %s: a forked batch draws its params once, before "
                     "the fork, so there is nothing to stratify%s",
                     m->fork_s, "");
  return -1;
}

/* How the runner runs; -1 to go on. */
static int make_run_opts(const mc_args_t *m, dt_batch_run_opts_t *ro) {
  ro->path = m->file;
  ro->stdlib_dir = dt_cli_stdlib_dir();
  ro->lim = m->o.lim;
  ro->fork_at = DT_NEVER;
  if (m->fork_s && dt_time_parse(m->fork_s, &ro->fork_at))
    return usage_err("--fork-at expects a date YYYY-MM-DD, got '%s'%s", m->fork_s, "");
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  ro->threads = m->threads ? (int)m->threads : ncpu > 0 ? (int)ncpu : 1;
  int tty = isatty(fileno(stderr));
  ro->progress = m->o.quiet              ? 0
                 : tty                   ? DT_PROGRESS_TTY
                 : m->progress_every > 0 ? DT_PROGRESS_LOG
                                         : 0;
  ro->progress_every = m->progress_every;
  ro->print_errors = 3;
  return -1;
}

/* Discovers the columns; -1 to go on. */
static int probe(dt_batch_spec_t *s, const dt_batch_run_opts_t *ro) {
  char err[2048];
  int rc = dt_batch_probe(s, ro, err, sizeof err);
  if (!rc) return -1;
  fprintf(stderr, "detente mc: %s\n", err);
  if (rc == DT_EINVAL) fprintf(stderr, "(see 'detente mc --help')\n");
  return rc == DT_EINVAL ? DT_EXIT_USAGE : rc == DT_EIO ? DT_EXIT_IO : DT_EXIT_SCRIPT;
}

/* Creates the runs file with its header line; -1 to go on. */
/* The batch's description beside the runs file until it finishes, for
 * --resume; -1 to go on. */
static int write_partial(const mc_args_t *m, const dt_batch_spec_t *s) {
  char *pp = dt_batch_partial_path(m->out), *meta = dt_batch_meta_dump(s);
  FILE *f = pp && meta ? fopen(pp, "w") : NULL;
  int bad = !f || fputs(meta, f) < 0;
  if (f && fclose(f) != 0) bad = 1;
  if (bad) fprintf(stderr, "detente mc: cannot write '%s'\n", pp ? pp : m->out);
  free(pp); free(meta);
  return bad ? DT_EXIT_IO : -1;
}

/* --resume: the batch from RUNS.csv.partial.json, checked against the
 * scenario as it is now, and the rows already written read back into the
 * store; the runs file is opened to append the rest. -1 to go on. */
static int resume_batch(mc_args_t *m, dt_batch_spec_t *s, dt_batch_run_opts_t *ro,
                        dt_batch_store_t *st) {
  char err[2048], *pp = dt_batch_partial_path(m->resume);
  FILE *f = pp ? fopen(pp, "rb") : NULL;
  dt_buf_t text = { 0 };
  char buf[65536];
  size_t n;
  while (f && (n = fread(buf, 1, sizeof buf, f)) > 0) dt_buf_put(&text, buf, n);
  if (f) fclose(f);
  int code = -1;
  dt_batch_spec_t now = { 0 };
  dt_batch_spec_close(s);
  if (!text.p) {
    fprintf(stderr,
            "detente mc: cannot read '%s': only a batch started with --out %s and not finished can "
            "be resumed\n",
            pp ? pp : "?", m->resume);
    code = DT_EXIT_IO;
  } else if (dt_batch_meta_load(s, text.p, err, sizeof err) ||
             dt_batch_meta_load(&now, text.p, err, sizeof err)) {
    fprintf(stderr, "detente mc: %s: %s\n", pp, err);
    code = DT_EXIT_DATA;
  }
  m->out = m->resume;
  m->fork_s = s->fork_at;
  if (code < 0) code = make_run_opts(m, ro);
  /* the scenario as it is now: its file name, title and columns from a probe */
  free(now.file); free(now.title);
  now.file = now.title = NULL;
  if (code < 0) code = probe(&now, ro);
  const char *d = code < 0 ? dt_batch_spec_differs(s, &now) : NULL;
  if (d) {
    fprintf(stderr, "detente mc: --resume %s: the %s changed since the batch started\n", m->resume,
            d);
    code = DT_EXIT_DATA;
  }
  uint64_t done = 0;
  if (code < 0 && dt_batch_store_init(st, s, dt_batch_shard_count(s))) {
    fputs("detente mc: out of memory\n", stderr);
    code = DT_EXIT_SCRIPT;
  }
  if (code < 0) {
    int rc = dt_batch_resume_read(s, st, m->resume, &done, err, sizeof err);
    if (rc) {
      fprintf(stderr, "detente mc: %s\n", err);
      code = rc == DT_EIO ? DT_EXIT_IO : rc == DT_EPARSE ? DT_EXIT_DATA : DT_EXIT_SCRIPT;
    }
  }
  if (code < 0 && !(ro->csv = fopen(m->resume, "a"))) {
    fprintf(stderr, "detente mc: cannot append to '%s'\n", m->resume);
    code = DT_EXIT_IO;
  }
  if (code < 0) {
    ro->first = done;
    if (!m->o.quiet)
      fprintf(stderr, "detente mc: resuming %s after %llu of %llu runs\n", m->resume,
              (unsigned long long)done, (unsigned long long)dt_batch_shard_count(s));
  }
  dt_batch_spec_close(&now);
  dt_buf_free(&text);
  free(pp);
  return code;
}

static int open_runs_file(const mc_args_t *m, const dt_batch_spec_t *s, FILE **csv) {
  *csv = NULL;
  if (!m->out) return -1;
  /* A sidecar describes a finished runs file: the old one goes first, so a
   * batch killed from here on leaves none (merge then refuses the file). */
  char *mp = dt_batch_meta_path(m->out);
  if (!mp) return DT_EXIT_SCRIPT;
  int gone = remove(mp) == 0 || errno == ENOENT;
  free(mp);
  if (!gone) {
    fprintf(stderr, "detente mc: cannot remove the old sidecar of '%s'\n", m->out);
    return DT_EXIT_IO;
  }
  if (!(*csv = fopen(m->out, "w"))) {
    fprintf(stderr, "detente mc: cannot write the runs file '%s'\n", m->out);
    return DT_EXIT_IO;
  }
  dt_buf_t h = { 0 };
  dt_batch_header(s, &h);
  int bad = h.oom || fwrite(h.p, 1, h.len, *csv) != h.len;
  dt_buf_free(&h);
  return bad ? DT_EXIT_IO : write_partial(m, s);
}

/* Creates the series file with its header line; -1 to go on. */
static int open_series_file(const mc_args_t *m, FILE **f) {
  *f = NULL;
  if (!m->seriespath) return -1;
  if (!(*f = fopen(m->seriespath, "w")) || fputs("run,date,name,value\n", *f) < 0) {
    fprintf(stderr, "detente mc: cannot write the series file '%s'\n", m->seriespath);
    return DT_EXIT_IO;
  }
  return -1;
}

/* Creates the database; -1 to go on. */
static int open_db(const mc_args_t *m, const dt_batch_spec_t *s, dt_db_t **db) {
  char err[512];
  if (!m->dbpath || !dt_db_create(db, m->dbpath, s, err, sizeof err)) return -1;
  fprintf(stderr, "detente mc: %s\n", err);
  return DT_EXIT_IO;
}

/* Runs the batch into the runs file and the store; -1 when it finished. */
static int run_batch(mc_args_t *m, dt_batch_spec_t *s, dt_batch_run_opts_t *ro,
                     dt_batch_store_t *st) {
  if (!st->status && dt_batch_store_init(st, s, dt_batch_shard_count(s))) {
    fprintf(stderr, "detente mc: out of memory for %llu runs\n",
            (unsigned long long)dt_batch_shard_count(s));
    return DT_EXIT_SCRIPT;
  }
  if (!m->o.quiet)
    fprintf(stderr, "detente mc: %s, %llu runs on %d thread%s\n", m->file,
            (unsigned long long)dt_batch_shard_count(s), ro->threads, ro->threads == 1 ? "" : "s");
  char err[2048];
  int rc = dt_batch_run(s, ro, st, &m->secs, err, sizeof err);
  if (ro->csv && fclose(ro->csv) != 0 && !rc) rc = DT_EIO;
  ro->csv = NULL;
  if (ro->series && fclose(ro->series) != 0 && !rc) rc = DT_EIO;
  ro->series = NULL;
  if (rc) {
    fprintf(stderr, "detente mc: %s\n",
            err[0]         ? err
            : rc == DT_EIO ? "writing the runs file failed"
                           : dt_strerror(rc));
    if (m->out && rc != DT_EIO)
      fprintf(stderr,
              "detente mc: the batch stopped: '%s' holds the rows before it and no sidecar; no "
              "summary was written\n",
              m->out);
    return rc == DT_EIO ? DT_EXIT_IO : DT_EXIT_SCRIPT;
  }
  return -1;
}

/* The sidecar, the summary file and text. */
static int write_outputs(const mc_args_t *m, const dt_batch_spec_t *s, dt_batch_store_t *st,
                         dt_db_t **db) {
  int code = DT_EXIT_OK;
  char err[512];
  if (*db && dt_db_finish(*db, s, err, sizeof err)) {
    fprintf(stderr, "detente mc: %s: %s\n", m->dbpath, err);
    code = DT_EXIT_IO;
  }
  *db = NULL;
  if (m->out && dt_batch_meta_write(s, m->out)) {
    char *mp = dt_batch_meta_path(m->out);
    fprintf(stderr, "detente mc: cannot write the sidecar '%s'\n", mp ? mp : m->out);
    free(mp);
    code = DT_EXIT_IO;
  } else if (m->out) {   /* finished: nothing left to resume */
    char *pp = dt_batch_partial_path(m->out);
    if (pp) remove(pp);
    free(pp);
  }
  json_t *sum = dt_batch_summary(s, st);
  if (!sum) return DT_EXIT_SCRIPT;
  json_t *ser = NULL;
  if (m->seriespath) {
    char serr[512];
    if (!(ser = dt_series_summary(m->seriespath, serr, sizeof serr))) {
      fprintf(stderr, "detente mc: %s\n", serr);
      code = DT_EXIT_IO;
    } else json_object_set(sum, "series", ser);
  }
  if (m->sumpath && dt_batch_summary_write(sum, m->sumpath)) {
    fprintf(stderr, "detente mc: cannot write the summary '%s'\n", m->sumpath);
    code = DT_EXIT_IO;
  }
  if (!m->o.quiet) dt_batch_summary_print(sum, stdout);
  if (!m->o.quiet && ser) dt_series_print(ser, stdout);
  fflush(stdout);   /* the summary before the timing line on a shared terminal */
  json_decref(ser);
  json_decref(sum);
  return code;
}

/* The timing line and the failed runs; code, or when every run failed, why. */
static int finish(const mc_args_t *m, const dt_batch_store_t *st, int code) {
  if (!m->o.quiet)
    fprintf(stderr, "detente mc: %llu runs in %.2fs (%.0f runs/s)\n", (unsigned long long)st->n,
            m->secs, m->secs > 0 ? (double)st->n / m->secs : 0.0);
  if (st->nerrors)
    fprintf(stderr, "detente mc: %llu of %llu runs failed\n", (unsigned long long)st->nerrors,
            (unsigned long long)st->n);
  if (code != DT_EXIT_OK || !st->n || st->nerrors != st->n) return code;
  for (uint64_t j = 0; j < st->n; j++)
    if (st->status[j] != DT_RUN_LIMIT) return DT_EXIT_SCRIPT;
  return DT_EXIT_LIMIT;
}

int dt_cmd_mc(int argc, char **argv) {
  mc_args_t m = { 0 };
  dt_cli_defaults(&m.o);
  dt_batch_spec_t s = { 0 };
  dt_batch_store_t st = { 0 };
  dt_batch_run_opts_t ro = { 0 };
  s.seed = 1;
  s.sweep = calloc((size_t)argc + 1, sizeof *s.sweep);
  if (!s.sweep) return DT_EXIT_SCRIPT;
  int code = parse_args(argc, argv, &m, &s);
  if (code < 0 && m.resume) code = resume_batch(&m, &s, &ro, &st);
  else {
    if (code < 0) code = make_spec(&m, &s);
    if (code < 0) code = make_run_opts(&m, &ro);
    if (code < 0) code = probe(&s, &ro);
    if (code < 0) code = open_runs_file(&m, &s, &ro.csv);
  }
  if (code < 0) code = open_series_file(&m, &ro.series);
  if (code < 0) code = open_db(&m, &s, &ro.db);
  if (code < 0) code = run_batch(&m, &s, &ro, &st);
  if (code < 0) code = finish(&m, &st, write_outputs(&m, &s, &st, &ro.db));
  if (ro.csv) fclose(ro.csv);
  if (ro.series) fclose(ro.series);
  dt_db_close(ro.db);
  dt_batch_store_close(&st);
  dt_batch_spec_close(&s);
  for (int k = 0; k < m.o.nov; k++) free((char *)m.o.ov[k].name);
  return code;
}
