/* batch.c: the runner of `detente mc`: worker threads, each with its own
 * runtime (one compiled scenario, a fresh environment per run), results put
 * back in run-index order so the runs file streams out as soon as its next
 * rows are ready, and the summary store filled on the way. Owns its workers
 * and their runtimes for the length of dt_batch_run; writes nothing but the
 * runs file and the progress line. */
#include "batch.h"
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
} slot_t;

typedef struct shared {
  dt_batch_spec_t *spec;
  const dt_batch_run_opts_t *o;
  int ncols;
  uint64_t count, next, written, window;
  slot_t *slots;
  pthread_mutex_t mu;
  pthread_cond_t ready, space;
  int stop;
} shared_t;

typedef struct worker {
  shared_t *sh;
  dt_lrt_t *rt;
  lrt_override_t *ov;
  int failed_start;
  char *start_error;
  pthread_t th;
} worker_t;

static char *dupn(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) { memcpy(d, s, n); d[n] = 0; }
  return d;
}

static const lrt_named_t *find(const lrt_named_t *a, int n, int hint, const char *name) {
  if (hint < n && !strcmp(a[hint].name, name)) return &a[hint];
  for (int i = 0; i < n; i++) if (!strcmp(a[i].name, name)) return &a[i];
  return NULL;
}

static void put_value(dt_buf_t *b, const lrt_value_t *v) {
  char num[32];
  switch (v->type) {
  case LRT_V_BOOL: dt_buf_puts(b, v->num ? "true" : "false"); break;
  case LRT_V_NUM: dt_buf_puts(b, dt_fmt_num(v->num, num)); break;
  case LRT_V_STR: dt_csv_field(b, v->str, strlen(v->str)); break;
  default: break;   /* missing: an empty, unquoted field */
  }
}

static dt_cell_t to_cell(const lrt_value_t *v, char **str) {
  switch (v->type) {
  case LRT_V_BOOL: return dt_cell_bool(v->num != 0);
  case LRT_V_NUM: return dt_cell_num(v->num);
  case LRT_V_STR: *str = strdup(v->str); return dt_cell_str(0);
  default: return dt_cell_none();
  }
}

/* Runs global run g on rt; fills the slot. */
static void one_run(worker_t *w, uint64_t j, slot_t *out) {
  shared_t *sh = w->sh;
  const dt_batch_spec_t *s = sh->spec;
  dt_lrt_t *rt = w->rt;
  uint64_t g = dt_batch_shard_index(s, j), p = g / s->runs_per_point;
  uint64_t seed = dt_rng_run_seed(s->seed, g);
  int nov = dt_batch_point_overrides(s, p, w->ov);
  int rc;
  if (sh->o->fork_at != DT_NEVER) {
    /* The shared history: the master seed up to the fork date, then this
     * run's own stream for the rest (docs/batch.md). */
    rc = lrt_setup(rt, s->seed, w->ov, nov);
    if (rc == 0) rc = dt_sim_run(rt->sim, sh->o->fork_at);
    if (rc == 0 && !rt->sim->failed) {
      dt_rng_seed1(&rt->sim->rng, seed);
      rc = dt_sim_run(rt->sim, DT_NEVER);
    }
  } else {
    rc = lrt_setup(rt, seed, w->ov, nov);
    if (rc == 0) rc = dt_sim_run(rt->sim, DT_NEVER);
  }
  if (rc == 0 && !rt->sim->failed) rc = lrt_finish(rt);
  else if (rc == 0) rc = rt->error_code ? rt->error_code : DT_ESCRIPT;
  int code = rc ? (rt->error_code ? rt->error_code : rc) : 0;
  out->status = rc == 0 ? DT_RUN_OK : code == DT_ELIMIT ? DT_RUN_LIMIT : DT_RUN_ERROR;

  dt_buf_t b = { 0 };
  char num[32];
  snprintf(num, sizeof num, "%llu,", (unsigned long long)g);
  dt_buf_puts(&b, num);
  snprintf(num, sizeof num, "%llu", (unsigned long long)seed);
  dt_buf_puts(&b, num);
  if (s->nsweep) { snprintf(num, sizeof num, ",%llu", (unsigned long long)p); dt_buf_puts(&b, num); }
  int pc = s->noutcomes;
  for (int i = 0; i < s->nparams; i++) {
    const lrt_named_t *v = find(rt->params, rt->nparams, i, s->params[i].name);
    dt_buf_puts(&b, ",");
    if (v) put_value(&b, &v->v);
    if (s->params[i].sampled) {
      out->cells[pc] = v && v->v.type == LRT_V_NUM ? dt_cell_num(v->v.num) : dt_cell_none();
      pc++;
    }
  }
  for (int i = 0; i < s->noutcomes; i++) {
    const lrt_named_t *v = rc == 0 ? find(rt->outcomes, rt->noutcomes, i, s->outcomes[i].name) : NULL;
    dt_buf_puts(&b, ",");
    if (v) { put_value(&b, &v->v); out->cells[i] = to_cell(&v->v, &out->strs[i]); }
    else out->cells[i] = dt_cell_none();
  }
  dt_buf_puts(&b, out->status == DT_RUN_OK ? ",ok," : out->status == DT_RUN_LIMIT ? ",limit," : ",error,");
  if (rc) {
    const char *e = rt->error ? rt->error : dt_strerror(rc);
    out->err = strdup(e);
    size_t n = strcspn(e, "\n");
    out->errline = dupn(e, n);
    dt_csv_field(&b, e, n);
  }
  dt_buf_puts(&b, "\n");
  out->row = b.p; out->rowlen = b.len;
  if (b.oom) { free(b.p); out->row = NULL; }
  lrt_end_run(rt);
}

static void *work(void *arg) {
  worker_t *w = arg;
  shared_t *sh = w->sh;
  size_t ncols = (size_t)sh->ncols + 1;
  for (;;) {
    pthread_mutex_lock(&sh->mu);
    if (sh->stop || sh->next >= sh->count) { pthread_mutex_unlock(&sh->mu); break; }
    uint64_t j = sh->next++;
    while (!sh->stop && j >= sh->written + sh->window) pthread_cond_wait(&sh->space, &sh->mu);
    pthread_mutex_unlock(&sh->mu);
    slot_t r = { 0 };
    r.cells = malloc(ncols * sizeof *r.cells);
    r.strs = calloc(ncols, sizeof *r.strs);
    if (r.cells && r.strs) one_run(w, j, &r);
    pthread_mutex_lock(&sh->mu);
    r.filled = 1;
    sh->slots[j % sh->window] = r;
    pthread_cond_broadcast(&sh->ready);
    pthread_mutex_unlock(&sh->mu);
  }
  return NULL;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void progress(uint64_t done, uint64_t count, double elapsed) {
  double rate = elapsed > 0 ? (double)done / elapsed : 0;
  double eta = rate > 0 ? (double)(count - done) / rate : 0;
  fprintf(stderr, "\r\033[K  %llu/%llu runs  %.0f runs/s  ETA %.0fs",
          (unsigned long long)done, (unsigned long long)count, rate, eta);
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

int dt_batch_run(dt_batch_spec_t *s, const dt_batch_run_opts_t *o, dt_batch_store_t *st,
                 double *seconds) {
  shared_t sh = { 0 };
  sh.spec = s; sh.o = o;
  sh.ncols = st->ncols;
  sh.count = dt_batch_shard_count(s);
  int nt = o->threads < 1 ? 1 : o->threads;
  if ((uint64_t)nt > sh.count) nt = sh.count ? (int)sh.count : 1;
  sh.window = (uint64_t)nt * WINDOW_PER_THREAD;
  sh.slots = calloc((size_t)sh.window, sizeof *sh.slots);
  worker_t *ws = calloc((size_t)nt, sizeof *ws);
  pthread_mutex_init(&sh.mu, NULL);
  pthread_cond_init(&sh.ready, NULL);
  pthread_cond_init(&sh.space, NULL);
  int rc = 0, started = 0;
  if (!sh.slots || !ws) { rc = DT_ENOMEM; goto done; }
  for (int i = 0; i < nt; i++) {
    ws[i].sh = &sh;
    ws[i].rt = lrt_new(&o->lim, o->stdlib_dir);
    ws[i].ov = calloc((size_t)(s->nov + s->nsweep + 1), sizeof *ws[i].ov);
    if (!ws[i].rt || !ws[i].ov) { rc = DT_ENOMEM; goto done; }
    ws[i].rt->quiet_print = 1;
    if (lrt_load(ws[i].rt, o->path) < 0) { rc = DT_EIO; goto done; }
  }
  double t0 = now_s(), last = t0;
  for (int i = 0; i < nt; i++) {
    if (pthread_create(&ws[i].th, NULL, work, &ws[i]) != 0) { rc = DT_ENOMEM; break; }
    started++;
  }
  int printed = 0;
  for (uint64_t j = 0; rc == 0 && j < sh.count; j++) {
    pthread_mutex_lock(&sh.mu);
    slot_t *sl = &sh.slots[j % sh.window];
    while (!sl->filled) pthread_cond_wait(&sh.ready, &sh.mu);
    slot_t r = *sl;
    memset(sl, 0, sizeof *sl);
    sh.written = j + 1;
    pthread_cond_broadcast(&sh.space);
    pthread_mutex_unlock(&sh.mu);
    if (!r.row) rc = DT_ENOMEM;
    else {
      if (o->csv && fwrite(r.row, 1, r.rowlen, o->csv) != r.rowlen) rc = DT_EIO;
      if (r.status == DT_RUN_OK)
        for (int c = 0; c < s->noutcomes; c++) s->outcomes[c].types |= (unsigned)dt_cell_type(r.cells[c]);
      dt_batch_store_row(st, s, j, r.status, r.errline, r.cells, (const char *const *)r.strs);
      if (r.status != DT_RUN_OK && printed < o->print_errors) {
        if (o->progress) fputs("\r\033[K", stderr);
        print_error(s, dt_batch_shard_index(s, j), r.err ? r.err : "");
        printed++;
      }
    }
    for (int c = 0; r.strs && c < sh.ncols; c++) free(r.strs[c]);
    free(r.strs); free(r.cells); free(r.row); free(r.err); free(r.errline);
    if (o->progress) {
      double t = now_s();
      if (t - last >= 0.2 || j + 1 == sh.count) { progress(j + 1, sh.count, t - t0); last = t; }
    }
  }
  if (o->progress) fputs("\r\033[K", stderr);
  *seconds = now_s() - t0;
  s->rows = st->n;
  s->errors = st->nerrors;
done:
  pthread_mutex_lock(&sh.mu);
  sh.stop = 1;
  pthread_cond_broadcast(&sh.space);
  pthread_mutex_unlock(&sh.mu);
  for (int i = 0; i < started; i++) pthread_join(ws[i].th, NULL);
  for (uint64_t k = 0; sh.slots && k < sh.window; k++) {
    slot_t *r = &sh.slots[k];
    for (int c = 0; r->strs && c < sh.ncols; c++) free(r->strs[c]);
    free(r->strs); free(r->cells); free(r->row); free(r->err); free(r->errline);
  }
  for (int i = 0; ws && i < nt; i++) { lrt_free(ws[i].rt); free(ws[i].ov); }
  free(ws); free(sh.slots);
  pthread_mutex_destroy(&sh.mu);
  pthread_cond_destroy(&sh.ready);
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

static dt_batch_col_t *copy_cols(const lrt_named_t *a, int n) {
  dt_batch_col_t *c = calloc((size_t)n + 1, sizeof *c);
  for (int i = 0; c && i < n; i++) { c[i].name = strdup(a[i].name); c[i].sampled = a[i].sampled; }
  return c;
}

int dt_batch_probe(dt_batch_spec_t *s, const dt_batch_run_opts_t *o, char *err, size_t errlen) {
  int rc = read_identity(s, o->path, err, errlen);
  if (rc) return rc;
  dt_lrt_t *rt = lrt_new(&o->lim, o->stdlib_dir);
  lrt_override_t *ov = calloc((size_t)(s->nov + s->nsweep + 1), sizeof *ov);
  if (!rt || !ov) { free(ov); lrt_free(rt); snprintf(err, errlen, "out of memory"); return DT_ENOMEM; }
  rt->quiet_print = 1;
  rc = lrt_load(rt, o->path);
  if (rc < 0) { snprintf(err, errlen, "%s", rt->error ? rt->error : dt_strerror(rc)); goto done; }
  /* Every shard probes the same first runs of the whole batch, so all of
   * them agree on the columns. */
  uint64_t tries = s->total < 16 ? s->total : 16;
  for (uint64_t g = 0; g < tries; g++) {
    int nov = dt_batch_point_overrides(s, g / s->runs_per_point, ov);
    rc = lrt_setup(rt, o->fork_at != DT_NEVER ? s->seed : dt_rng_run_seed(s->seed, g), ov, nov);
    if (rc == DT_EINVAL) {
      char names[1024];
      declared(rt, names, sizeof names);
      for (int i = 0; i < s->nsweep; i++)
        if (!has_param(rt, s->sweep[i].name)) {
          snprintf(err, errlen, "--sweep %s: the scenario declares no param '%s' (declared:%s)",
                   s->sweep[i].name, s->sweep[i].name, names);
          goto done;
        }
      snprintf(err, errlen, "%s", rt->error ? rt->error : "unknown param");
      goto done;
    }
    if (rc != 0 && g + 1 == tries && rt->error && strstr(rt->error, "-D ")) {
      /* Setup failed in every probe on an override it could not convert: a
       * bad -D or --sweep value, not a scenario error. */
      const char *m = strstr(rt->error, "-D ");
      snprintf(err, errlen, "%.*s", (int)strcspn(m, "\n"), m);
      rc = DT_EINVAL;
      lrt_end_run(rt);
      goto done;
    }
    if (rc == 0 || g + 1 == tries) {
      free(s->title);
      s->title = strdup(rt->sim->title ? rt->sim->title : s->file);
      for (int i = 0; i < s->nparams; i++) free(s->params[i].name);
      free(s->params);
      for (int i = 0; i < s->noutcomes; i++) free(s->outcomes[i].name);
      free(s->outcomes);
      s->params = copy_cols(rt->params, rt->nparams); s->nparams = rt->nparams;
      s->outcomes = copy_cols(rt->outcomes, rt->noutcomes); s->noutcomes = rt->noutcomes;
      for (int i = 0; s->outcomes && i < s->noutcomes; i++) s->outcomes[i].sampled = 0;
      if (o->fork_at != DT_NEVER && rt->sim->start != DT_NEVER &&
          (o->fork_at < rt->sim->start || o->fork_at > rt->sim->stop)) {
        char a[32], b[32];
        dt_time_format(rt->sim->start, a, sizeof a);
        dt_time_format(rt->sim->stop, b, sizeof b);
        snprintf(err, errlen, "--fork-at %s: the date is outside the scenario (%s to %s)", s->fork_at, a, b);
        lrt_end_run(rt);
        rc = DT_EINVAL;
        goto done;
      }
      lrt_end_run(rt);
      rc = 0;
      break;
    }
    lrt_end_run(rt);
  }
  if (!s->params || !s->outcomes || !s->title) { snprintf(err, errlen, "out of memory"); rc = DT_ENOMEM; }
done:
  free(ov);
  lrt_free(rt);
  return rc;
}
