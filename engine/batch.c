/* batch.c: the runner of `detente mc`: worker threads, each with its own
 * runtime (one compiled scenario, a fresh environment per run), results put
 * back in run-index order so the runs file streams out as soon as its next
 * rows are ready, and the summary store filled on the way. The worker that
 * finishes the next run in order writes it (and any ready after it): there is
 * no writer thread to wake per run or to compete with the workers for cores.
 * Owns its workers and their runtimes for the length of dt_batch_run; writes
 * nothing but the runs file, the progress line and the first errors. */
#include "batch.h"
#include "db.h"
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

enum { WINDOW_PER_THREAD = 256 };

/* One finished run waiting for its turn to be written. */
typedef struct slot {
  int filled;
  int status;
  char *row;           /* the CSV line, malloc'd */
  size_t rowlen;
  char *err;           /* the full error text, malloc'd, or NULL */
  char *errline;       /* its first line */
  dt_cell_t *cells;    /* ncols */
  char **strs;         /* ncols, malloc'd strings for string cells */
  char *undeclared;    /* a param or outcome without a column, malloc'd, or NULL */
  char *srow;          /* the run's series rows, malloc'd, or NULL */
  size_t srowlen;
} slot_t;

typedef struct shared {
  dt_batch_spec_t *spec;
  const dt_batch_run_opts_t *o;
  dt_batch_store_t *st;
  int ncols;
  uint64_t count, next, written, window;
  slot_t *slots;
  pthread_mutex_t mu;
  pthread_cond_t done, space;
  int stop, writing, nwaiting;
  int rc;                /* the first failure: stops the batch */
  char *err; size_t errlen;
  int printed;
  double t0, last;
} shared_t;

typedef struct worker {
  shared_t *sh;
  dt_lrt_t *rt;
  dt_lrt_override_t *ov;
  int failed_start;
  char *start_error;
  pthread_t th;
} worker_t;

static char *dupn(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) { memcpy(d, s, n); d[n] = 0; }
  return d;
}

static const dt_lrt_named_t *find(const dt_lrt_named_t *a, int n, int hint, const char *name) {
  if (hint < n && !strcmp(a[hint].name, name)) return &a[hint];
  for (int i = 0; i < n; i++) if (!strcmp(a[i].name, name)) return &a[i];
  return NULL;
}

static void put_value(dt_buf_t *b, const dt_lrt_value_t *v) {
  char num[32];
  switch (v->type) {
  case DT_LRT_V_BOOL: dt_buf_puts(b, v->num ? "TRUE" : "FALSE"); break;
  case DT_LRT_V_NUM: dt_buf_puts(b, dt_fmt_num(v->num, num)); break;
  case DT_LRT_V_STR: dt_csv_field(b, v->str, strlen(v->str)); break;
  case DT_LRT_V_DATE: {
    char d[32];
    dt_time_format((dt_time_t)v->num, d, sizeof d);
    dt_buf_puts(b, d);
    break;
  }
  default: dt_buf_puts(b, "NA"); break;   /* missing: NA, unquoted */
  }
}

static dt_cell_t to_cell(const dt_lrt_value_t *v, char **str) {
  switch (v->type) {
  case DT_LRT_V_BOOL: return dt_cell_bool(v->num != 0);
  case DT_LRT_V_NUM: return dt_cell_num(v->num);
  case DT_LRT_V_STR: *str = strdup(v->str); return dt_cell_str(0);
  /* A date is kept as its ISO text: it sorts as it reads, and merge reads the
   * runs file back the same way. */
  case DT_LRT_V_DATE: {
    char d[32];
    dt_time_format((dt_time_t)v->num, d, sizeof d);
    *str = strdup(d);
    return dt_cell_str(0);
  }
  default: return dt_cell_none();
  }
}

static int has_col(const dt_batch_col_t *c, int n, int hint, const char *name) {
  if (hint < n && !strcmp(c[hint].name, name)) return 1;
  for (int i = 0; i < n; i++) if (!strcmp(c[i].name, name)) return 1;
  return 0;
}

/* The runs file's header is written before the batch starts, so a run that
 * declares a param or outcome the probe did not see cannot be written
 * faithfully: it stops the batch (docs/batch.md). Returns the message
 * (malloc'd) or NULL. */
static char *undeclared(const dt_batch_spec_t *s, const dt_lrt_t *rt, uint64_t g, uint64_t seed) {
  const char *what = NULL, *name = NULL;
  for (int i = 0; i < rt->nparams && !what; i++)
    if (!has_col(s->params, s->nparams, i, rt->params[i].name)) {
      what = "param";
      name = rt->params[i].name;
    }
  for (int i = 0; i < rt->noutcomes && !what; i++)
    if (!has_col(s->outcomes, s->noutcomes, i, rt->outcomes[i].name)) {
      what = "outcome";
      name = rt->outcomes[i].name;
    }
  if (!what) return NULL;
  char point[64] = "";
  if (dt_batch_has_points(s))
    snprintf(point, sizeof point, ", sweep point %llu of %llu",
             (unsigned long long)(g / s->runs_per_point) + 1, (unsigned long long)s->npoints);
  const char *fmt =
      "run %llu (seed %llu%s) declares %s '%s', which is not a column: the columns "
      "come from setting up the first run of each sweep point before the batch starts, "
      "and none of those declares it. Declare every param and outcome in every run "
      "(an outcome may return nil), unconditionally and during setup";
  int n =
      snprintf(NULL, 0, fmt, (unsigned long long)g, (unsigned long long)seed, point, what, name);
  char *m = malloc((size_t)n + 1);
  if (m)
    snprintf(m, (size_t)n + 1, fmt, (unsigned long long)g, (unsigned long long)seed, point, what,
             name);
  return m;
}

/* Runs global run g on rt; fills the slot. */
static void one_run(worker_t *w, uint64_t j, slot_t *out) {
  shared_t *sh = w->sh;
  const dt_batch_spec_t *s = sh->spec;
  dt_lrt_t *rt = w->rt;
  uint64_t g = dt_batch_shard_index(s, j), p = g / s->runs_per_point;
  uint64_t seed = dt_rng_run_seed(s->seed, g);
  int nov = dt_batch_point_overrides(s, p, w->ov);
  int rc, exact = 0;
  rt->lhs_seed = s->seed;
  rt->lhs_n = s->lhs ? s->runs_per_point : 0;
  rt->lhs_j = g % s->runs_per_point;
again:
  if (sh->o->fork_at != DT_NEVER) {
    /* The shared history: the master seed up to the fork date, then this
     * run's own stream for the rest (docs/batch.md). */
    rc = dt_lrt_setup(rt, s->seed, w->ov, nov);
    if (rc == 0) rc = dt_sim_run(rt->sim, sh->o->fork_at);
    if (rc == 0 && !rt->sim->failed) {
      dt_rng_seed1(&rt->sim->rng, seed);
      rc = dt_sim_run(rt->sim, DT_NEVER);
    }
  } else {
    rc = dt_lrt_setup(rt, seed, w->ov, nov);
    if (rc == 0) rc = dt_sim_run(rt->sim, DT_NEVER);
  }
  if (rc == 0 && !rt->sim->failed) rc = dt_lrt_finish(rt);
  else if (rc == 0) rc = rt->error_code ? rt->error_code : DT_ESCRIPT;
  if (!exact && dt_lrt_rerun(rt)) {
    /* The lazy instruction limit met a long hook: run it again, counting
     * exactly, so the run gives what the exact count gives (lrt.c). */
    dt_lrt_end_run(rt);
    dt_lrt_exact(rt, 1);
    exact = 1;
    goto again;
  }
  int code = rc ? (rt->error_code ? rt->error_code : rc) : 0;
  out->status = rc == 0 ? DT_RUN_OK : code == DT_ELIMIT ? DT_RUN_LIMIT : DT_RUN_ERROR;

  dt_buf_t b = { 0 };
  char num[32];
  snprintf(num, sizeof num, "%llu,", (unsigned long long)g);
  dt_buf_puts(&b, num);
  snprintf(num, sizeof num, "s%llu", (unsigned long long)seed);
  dt_buf_puts(&b, num);
  if (dt_batch_has_points(s)) {
    snprintf(num, sizeof num, ",%llu", (unsigned long long)p);
    dt_buf_puts(&b, num);
  }
  int pc = s->noutcomes;
  for (int i = 0; i < s->nparams; i++) {
    const dt_lrt_named_t *v = find(rt->params, rt->nparams, i, s->params[i].name);
    dt_buf_puts(&b, ",");
    if (v) put_value(&b, &v->v);
    else dt_buf_puts(&b, "NA");
    if (s->params[i].sampled) {
      out->cells[pc] = v && v->v.type == DT_LRT_V_NUM ? dt_cell_num(v->v.num) : dt_cell_none();
      pc++;
    }
  }
  for (int i = 0; i < s->noutcomes; i++) {
    const dt_lrt_named_t *v =
        rc == 0 ? find(rt->outcomes, rt->noutcomes, i, s->outcomes[i].name) : NULL;
    dt_buf_puts(&b, ",");
    if (v) { put_value(&b, &v->v); out->cells[i] = to_cell(&v->v, &out->strs[i]); }
    else { dt_buf_puts(&b, "NA"); out->cells[i] = dt_cell_none(); }
  }
  dt_buf_puts(&b, out->status == DT_RUN_OK      ? ",ok,"
                  : out->status == DT_RUN_LIMIT ? ",limit,"
                                                : ",error,");
  if (rc) {
    const char *e = rt->error ? rt->error : dt_strerror(rc);
    out->err = strdup(e);
    size_t n = strcspn(e, "\n");
    out->errline = dupn(e, n);
    dt_csv_field(&b, e, n);
  } else dt_buf_puts(&b, "NA");
  dt_buf_puts(&b, "\n");
  out->row = b.p; out->rowlen = b.len;
  if (b.oom) { free(b.p); out->row = NULL; }
  out->undeclared = undeclared(s, rt, g, seed);
  if ((sh->o->series || sh->o->db) && rc == 0) {
    /* Long format: a row per sample, series in declaration order, then dates. */
    dt_buf_t sb = { 0 };
    for (int i = 0; i < dt_lrt_nseries(rt); i++) {
      const int64_t *t; const double *v;
      int n = dt_lrt_series_samples(rt, i, &t, &v);
      const char *name = dt_lrt_series_name(rt, i);
      for (int k = 0; k < n; k++) {
        char d[32], line[160];
        dt_time_format(t[k], d, sizeof d);
        snprintf(line, sizeof line, "%llu,%s,", (unsigned long long)g, d);
        dt_buf_puts(&sb, line);
        dt_buf_puts(&sb, name);
        dt_buf_puts(&sb, ",");
        if (!isnan(v[k])) dt_buf_puts(&sb, dt_fmt_num(v[k], num));
        dt_buf_puts(&sb, "\n");
      }
    }
    if (sb.oom) dt_buf_free(&sb);
    else { out->srow = sb.p; out->srowlen = sb.len; }
  }
  dt_lrt_end_run(rt);
  if (exact) dt_lrt_exact(rt, 0);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void progress(int mode, uint64_t done, uint64_t count, double elapsed) {
  double rate = elapsed > 0 ? (double)done / elapsed : 0;
  double eta = rate > 0 ? (double)(count - done) / rate : 0;
  if (mode == DT_PROGRESS_TTY)
    fprintf(stderr, "\r\033[K  %llu/%llu runs  %.0f runs/s  ETA %.0fs",
            (unsigned long long)done, (unsigned long long)count, rate, eta);
  else
    fprintf(stderr, "detente mc: %llu/%llu runs (%.1f%%), %.0f runs/s, %.0fs elapsed, ETA %.0fs\n",
            (unsigned long long)done, (unsigned long long)count,
            count ? 100.0 * (double)done / (double)count : 100.0, rate, elapsed, eta);
  fflush(stderr);
}

static void print_error(const dt_batch_spec_t *s, uint64_t g, const char *err) {
  fprintf(stderr, "run %llu (seed %llu) failed: ", (unsigned long long)g,
          (unsigned long long)dt_rng_run_seed(s->seed, g));
  for (const char *p = err; *p; ) {
    size_t n = strcspn(p, "\n");
    fprintf(stderr, "%s%.*s\n", p == err ? "" : "    ", (int)n, p);
    p += n;
    if (*p) p++;
  }
}

static void free_slot(slot_t *r, int ncols) {
  for (int c = 0; r->strs && c < ncols; c++) free(r->strs[c]);
  free(r->strs); free(r->cells); free(r->row); free(r->err); free(r->errline); free(r->undeclared);
  free(r->srow);
  memset(r, 0, sizeof *r);
}

/* Writes row j of the shard: the runs file, the store, the first errors, the
 * progress line. Only the one worker holding sh->writing calls it, without
 * the lock. Returns 0 or a negative code (and a message in sh->err). */
static int emit(shared_t *sh, uint64_t j, slot_t *r) {
  dt_batch_spec_t *s = sh->spec;
  const dt_batch_run_opts_t *o = sh->o;
  if (!r->row) return DT_ENOMEM;
  if (r->undeclared) { snprintf(sh->err, sh->errlen, "%s", r->undeclared); return DT_ESCRIPT; }
  if (o->csv && fwrite(r->row, 1, r->rowlen, o->csv) != r->rowlen) return DT_EIO;
  if (o->series && r->srow && fwrite(r->srow, 1, r->srowlen, o->series) != r->srowlen)
    return DT_EIO;
  if (o->db && r->srow && dt_db_series(o->db, r->srow, r->srowlen)) {
    snprintf(sh->err, sh->errlen, "writing the series to the database failed");
    return DT_EIO;
  }
  if (o->db && dt_db_row(o->db, r->row, r->rowlen)) {
    snprintf(sh->err, sh->errlen, "writing the database failed");
    return DT_EIO;
  }
  if (r->status == DT_RUN_OK)
    for (int c = 0; c < s->noutcomes; c++)
      s->outcomes[c].types |= (unsigned)dt_cell_type(r->cells[c]);
  dt_batch_store_row(sh->st, s, j, r->status, r->errline, r->cells, (const char *const *)r->strs);
  if (r->status != DT_RUN_OK && sh->printed < o->print_errors) {
    if (o->progress == DT_PROGRESS_TTY) fputs("\r\033[K", stderr);
    print_error(s, dt_batch_shard_index(s, j), r->err ? r->err : "");
    sh->printed++;
  }
  if (o->progress) {
    double t = now_s(), every = o->progress == DT_PROGRESS_TTY ? 0.2 : o->progress_every;
    if (t - sh->last >= every || j + 1 == sh->count) {
      progress(o->progress, j + 1, sh->count, t - sh->t0);
      sh->last = t;
    }
  }
  return 0;
}

/* Writes the rows ready in order, unless another worker is at it (it will
 * see ours). Called and returns with sh->mu held. */
static void drain(shared_t *sh) {
  if (sh->writing) return;
  sh->writing = 1;
  while (!sh->rc && sh->written < sh->count && sh->slots[sh->written % sh->window].filled) {
    uint64_t j = sh->written;
    slot_t r = sh->slots[j % sh->window];
    memset(&sh->slots[j % sh->window], 0, sizeof r);
    pthread_mutex_unlock(&sh->mu);
    int rc = emit(sh, j, &r);
    free_slot(&r, sh->ncols);
    pthread_mutex_lock(&sh->mu);
    sh->written = j + 1;
    if (rc) { sh->rc = rc; sh->stop = 1; }
    if (sh->nwaiting) pthread_cond_broadcast(&sh->space);
  }
  sh->writing = 0;
  if (sh->rc || sh->written == sh->count) pthread_cond_signal(&sh->done);
}

static void *work(void *arg) {
  worker_t *w = arg;
  shared_t *sh = w->sh;
  /* The instruction limit without a per-instruction count (lrt.c); where
   * the thread's CPU-time timer is unavailable the count stays exact. */
  (void)dt_lrt_lazy_limits(w->rt);
  size_t ncols = (size_t)sh->ncols + 1;
  pthread_mutex_lock(&sh->mu);
  for (;;) {
    if (sh->stop || sh->next >= sh->count) break;
    uint64_t j = sh->next++;
    while (!sh->stop && j >= sh->written + sh->window) {
      sh->nwaiting++;
      pthread_cond_wait(&sh->space, &sh->mu);
      sh->nwaiting--;
    }
    if (sh->stop) break;
    pthread_mutex_unlock(&sh->mu);
    slot_t r = { 0 };
    r.cells = malloc(ncols * sizeof *r.cells);
    r.strs = calloc(ncols, sizeof *r.strs);
    if (r.cells && r.strs) one_run(w, j, &r);
    pthread_mutex_lock(&sh->mu);
    r.filled = 1;
    sh->slots[j % sh->window] = r;
    drain(sh);
  }
  pthread_mutex_unlock(&sh->mu);
  return NULL;
}

int dt_batch_run(dt_batch_spec_t *s, const dt_batch_run_opts_t *o, dt_batch_store_t *st,
                 double *seconds, char *err, size_t errlen) {
  shared_t sh = { 0 };
  sh.spec = s; sh.o = o; sh.st = st;
  sh.err = err; sh.errlen = errlen;
  if (errlen) err[0] = 0;
  sh.ncols = st->ncols;
  sh.count = dt_batch_shard_count(s);
  sh.next = sh.written = o->first < sh.count ? o->first : sh.count;
  int nt = o->threads < 1 ? 1 : o->threads;
  if ((uint64_t)nt > sh.count) nt = sh.count ? (int)sh.count : 1;
  sh.window = (uint64_t)nt * WINDOW_PER_THREAD;
  sh.slots = calloc((size_t)sh.window, sizeof *sh.slots);
  worker_t *ws = calloc((size_t)nt, sizeof *ws);
  pthread_mutex_init(&sh.mu, NULL);
  pthread_cond_init(&sh.done, NULL);
  pthread_cond_init(&sh.space, NULL);
  int rc = 0, started = 0;
  *seconds = 0;
  if (!sh.slots || !ws) { rc = DT_ENOMEM; goto done; }
  for (int i = 0; i < nt; i++) {
    ws[i].sh = &sh;
    ws[i].rt = dt_lrt_new(&o->lim, o->stdlib_dir);
    ws[i].ov =
        calloc((size_t)s->nov + (size_t)s->nsweep + (size_t)s->ndesign + 1, sizeof *ws[i].ov);
    if (!ws[i].rt || !ws[i].ov) { rc = DT_ENOMEM; goto done; }
    ws[i].rt->quiet_print = 1;
    if (dt_lrt_load(ws[i].rt, o->path) < 0) { rc = DT_EIO; goto done; }
  }
  sh.t0 = sh.last = now_s();
  for (int i = 0; i < nt; i++) {
    if (pthread_create(&ws[i].th, NULL, work, &ws[i]) != 0) { rc = DT_ENOMEM; break; }
    started++;
  }
  pthread_mutex_lock(&sh.mu);
  if (rc) { sh.stop = 1; pthread_cond_broadcast(&sh.space); }
  else while (!sh.rc && sh.written < sh.count) pthread_cond_wait(&sh.done, &sh.mu);
  if (!rc) rc = sh.rc;
  pthread_mutex_unlock(&sh.mu);
  if (o->progress == DT_PROGRESS_TTY) fputs("\r\033[K", stderr);
  *seconds = now_s() - sh.t0;
  s->rows = st->n;
  s->errors = st->nerrors;
done:
  pthread_mutex_lock(&sh.mu);
  sh.stop = 1;
  pthread_cond_broadcast(&sh.space);
  pthread_mutex_unlock(&sh.mu);
  for (int i = 0; i < started; i++) pthread_join(ws[i].th, NULL);
  for (uint64_t k = 0; sh.slots && k < sh.window; k++) free_slot(&sh.slots[k], sh.ncols);
  for (int i = 0; ws && i < nt; i++) { dt_lrt_free(ws[i].rt); free(ws[i].ov); }
  free(ws); free(sh.slots);
  pthread_mutex_destroy(&sh.mu);
  pthread_cond_destroy(&sh.done);
  pthread_cond_destroy(&sh.space);
  return rc;
}

/* ---- probe ----------------------------------------------------------------------- */

static int read_identity(dt_batch_spec_t *s, const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) { snprintf(err, errlen, "%s: cannot open the scenario file", path); return DT_EIO; }
  uLong crc = crc32(0L, Z_NULL, 0);
  unsigned char buf[65536];
  size_t n;
  s->bytes = 0;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) { crc = crc32(crc, buf, (uInt)n); s->bytes += n; }
  int bad = ferror(f);
  fclose(f);
  if (bad) { snprintf(err, errlen, "%s: cannot read the scenario file", path); return DT_EIO; }
  s->crc = (uint32_t)crc;
  const char *slash = strrchr(path, '/');
  s->file = strdup(slash ? slash + 1 : path);
  return s->file ? 0 : DT_ENOMEM;
}

static int has_param(const dt_lrt_t *rt, const char *name) {
  for (int i = 0; i < rt->nparams; i++) if (!strcmp(rt->params[i].name, name)) return 1;
  return 0;
}

static void declared(const dt_lrt_t *rt, char *buf, size_t len) {
  size_t at = 0;
  buf[0] = 0;
  for (int i = 0; i < rt->nparams && at < len; i++)
    at += (size_t)snprintf(buf + at, len - at, " %s", rt->params[i].name);
  if (!rt->nparams) snprintf(buf, len, " none");
}

/* Adds the names of a not yet among cols, in order; a param sampled in any
 * probed run is a sampled column. Returns 0 or DT_ENOMEM. */
static int add_cols(dt_batch_col_t **cols, int *n, const dt_lrt_named_t *a, int na) {
  for (int i = 0; i < na; i++) {
    int k = 0;
    while (k < *n && strcmp((*cols)[k].name, a[i].name)) k++;
    if (k < *n) { (*cols)[k].sampled |= a[i].sampled; continue; }
    dt_batch_col_t *c = realloc(*cols, ((size_t)*n + 2) * sizeof *c);
    if (!c) return DT_ENOMEM;
    *cols = c;
    memset(&c[*n], 0, 2 * sizeof *c);
    if (!(c[*n].name = strdup(a[i].name))) return DT_ENOMEM;
    if (a[i].doc && *a[i].doc && !(c[*n].doc = strdup(a[i].doc))) return DT_ENOMEM;
    c[*n].sampled = a[i].sampled;
    c[*n].whole = a[i].whole;
    c[*n].lo = a[i].lo; c[*n].hi = a[i].hi;
    c[*n].dflt = a[i].v.type == DT_LRT_V_NUM ? a[i].v.num : NAN;
    (*n)++;
  }
  return 0;
}

/* The text between after `from` and the first `to` in the first line of e. */
static int between(const char *e, const char *from, const char *to, char *out, size_t len) {
  size_t line = strcspn(e, "\n");
  const char *a = strstr(e, from);
  if (!a || a >= e + line) return 0;
  a += strlen(from);
  const char *b = strstr(a, to);
  if (!b || b >= e + line || (size_t)(b - a) >= len) return 0;
  memcpy(out, a, (size_t)(b - a));
  out[b - a] = 0;
  return 1;
}

/* When setup failed on a value given with -D or --sweep (one that does not
 * convert to the param's type, or is outside its declared range), writes a
 * usage error naming it into err and returns 1. Other failures of a setup
 * may depend on the seed, so they are left to the runs. */
static int bad_value(const dt_batch_spec_t *s, const dt_lrt_override_t *ov, int nov, uint64_t p,
                     const char *e, char *err, size_t errlen) {
  char name[256];
  const char *detail;
  if (!e) return 0;
  if (between(e, "-D ", "=", name, sizeof name) && (detail = strstr(e, ": expected ")) != NULL) {
  } else if (between(e, "param '", "' = ", name, sizeof name) &&
             (detail = strstr(e, " is outside its range")) != NULL) {
  } else return 0;
  int line = (int)strcspn(detail, "\n");
  for (int d = 0; d < s->nsweep; d++)
    if (!strcmp(s->sweep[d].name, name)) {
      snprintf(err, errlen, "--sweep %s: the value '%s' (sweep point %llu of %llu)%.*s", name,
               s->sweep[d].values[dt_batch_point_value(s, p, d)], (unsigned long long)p + 1,
               (unsigned long long)s->npoints, line, detail);
      return 1;
    }
  for (int d = 0; d < s->ndesign; d++)
    if (!strcmp(s->design_name[d], name)) {
      snprintf(err, errlen, "--design: param %s, the value '%s' (row %llu of %llu)%.*s", name,
               dt_batch_design_value(s, p, d), (unsigned long long)p + 1,
               (unsigned long long)s->npoints, line, detail);
      return 1;
    }
  for (int i = 0; i < nov; i++)
    if (!strcmp(ov[i].name, name)) {
      snprintf(err, errlen, "-D %s=%s%.*s", name, ov[i].value, line, detail);
      return 1;
    }
  return 0;
}

int dt_batch_probe(dt_batch_spec_t *s, const dt_batch_run_opts_t *o, char *err, size_t errlen) {
  int rc = read_identity(s, o->path, err, errlen);
  if (rc) return rc;
  dt_lrt_t *rt = dt_lrt_new(&o->lim, o->stdlib_dir);
  dt_lrt_override_t *ov =
      calloc((size_t)s->nov + (size_t)s->nsweep + (size_t)s->ndesign + 1, sizeof *ov);
  if (!rt || !ov) {
    free(ov);
    dt_lrt_free(rt);
    snprintf(err, errlen, "out of memory");
    return DT_ENOMEM;
  }
  rt->quiet_print = 1;
  rc = dt_lrt_load(rt, o->path);
  if (rc < 0) { snprintf(err, errlen, "%s", rt->error ? rt->error : dt_strerror(rc)); goto done; }
  for (int i = 0; i < s->nparams; i++) { free(s->params[i].name); free(s->params[i].doc); }
  for (int i = 0; i < s->noutcomes; i++) free(s->outcomes[i].name);
  free(s->params); free(s->outcomes);
  s->params = calloc(1, sizeof *s->params); s->outcomes = calloc(1, sizeof *s->outcomes);
  s->nparams = s->noutcomes = 0;
  if (!s->params || !s->outcomes) {
    rc = DT_ENOMEM;
    snprintf(err, errlen, "out of memory");
    goto done;
  }
  int dates_checked = 0;
  /* Every shard probes the same runs of the whole batch, so all of them
   * agree on the columns. A forked batch sets up every run with the master
   * seed: one try per point is all there is. */
  for (uint64_t p = 0; p < s->npoints; p++) {
    int nov = dt_batch_point_overrides(s, p, ov);
    uint64_t tries = o->fork_at != DT_NEVER ? 1 : s->runs_per_point < 16 ? s->runs_per_point : 16;
    for (uint64_t t = 0; t < tries; t++) {
      uint64_t g = p * s->runs_per_point + t;
      rt->lhs_seed = s->seed;
      rt->lhs_n = s->lhs ? s->runs_per_point : 0;
      rt->lhs_j = t;
      rc =
          dt_lrt_setup(rt, o->fork_at != DT_NEVER ? s->seed : dt_rng_run_seed(s->seed, g), ov, nov);
      if (rc == DT_EINVAL) {
        char names[1024], at[64] = "";
        declared(rt, names, sizeof names);
        if (p > 0)   /* declared at the earlier points */
          snprintf(at, sizeof at, " at sweep point %llu of %llu", (unsigned long long)p + 1,
                   (unsigned long long)s->npoints);
        for (int i = 0; i < s->nsweep; i++)
          if (!has_param(rt, s->sweep[i].name)) {
            snprintf(err, errlen, "--sweep %s: the scenario declares no param '%s'%s (declared:%s)",
                     s->sweep[i].name, s->sweep[i].name, at, names);
            dt_lrt_end_run(rt);
            goto done;
          }
        for (int i = 0; i < s->ndesign; i++)
          if (!has_param(rt, s->design_name[i])) {
            snprintf(err, errlen, "--design: the scenario declares no param '%s'%s (declared:%s)",
                     s->design_name[i], at, names);
            dt_lrt_end_run(rt);
            goto done;
          }
        snprintf(err, errlen, "%s%s", rt->error ? rt->error : "unknown param", at);
        dt_lrt_end_run(rt);
        goto done;
      }
      if (rc != 0 && bad_value(s, ov, nov, p, rt->error, err, errlen)) {
        rc = DT_EINVAL;
        dt_lrt_end_run(rt);
        goto done;
      }
      if (!s->title && rt->sim->title) s->title = strdup(rt->sim->title);
      if (add_cols(&s->params, &s->nparams, rt->params, rt->nparams) ||
          add_cols(&s->outcomes, &s->noutcomes, rt->outcomes, rt->noutcomes)) {
        rc = DT_ENOMEM; snprintf(err, errlen, "out of memory"); dt_lrt_end_run(rt); goto done;
      }
      if (o->fork_at != DT_NEVER && !dates_checked && rt->scenario_called) {
        dates_checked = 1;
        if (o->fork_at < rt->sim->start || o->fork_at > rt->sim->stop) {
          char a[32], b[32];
          dt_time_format(rt->sim->start, a, sizeof a);
          dt_time_format(rt->sim->stop, b, sizeof b);
          snprintf(err, errlen, "--fork-at %s: the date is outside the scenario (%s to %s)",
                   s->fork_at, a, b);
          dt_lrt_end_run(rt);
          rc = DT_EINVAL;
          goto done;
        }
      }
      dt_lrt_end_run(rt);
      if (rc == 0) break;
    }
  }
  rc = 0;
  for (int i = 0; i < s->noutcomes; i++) s->outcomes[i].sampled = 0;
  if (!s->title) s->title = strdup(s->file);
  if (!s->title) { snprintf(err, errlen, "out of memory"); rc = DT_ENOMEM; }
done:
  free(ov);
  dt_lrt_free(rt);
  return rc;
}
