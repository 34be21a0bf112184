/* merge.c: joins the runs files of a sharded batch into the runs file, spec
 * and store one unsharded batch has, after checking that the shards describe
 * one batch (scenario, seed, version, settings) and hold every run exactly
 * once. Each shard holds its runs in increasing order, so a k-way merge
 * streams them: one pass checks, a second writes; a record at a time per
 * shard is in memory. Runs nothing; prints nothing (cmd_merge.c does). */
#include "batch.h"
#include "db.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_RUN UINT64_MAX
#define SHOW_MISSING 10

typedef struct shard {
  const char *path;
  FILE *f;
  dt_batch_spec_t spec;
  dt_buf_t raw;            /* the current record, as in the file */
  uint64_t g;              /* its run index; NO_RUN past the last */
  uint64_t rows, want;     /* rows read; rows its sidecar says */
} shard_t;

typedef struct merge {
  shard_t *in;
  int n;
  dt_batch_spec_t *s;      /* in[0].spec: the batch */
  dt_buf_t head, txt;      /* the header line; the current record's fields */
  dt_csv_fld_t *f;
  int ncols;
  uint64_t errors;         /* rows whose status is not ok */
  char *err;
  size_t errlen;
} merge_t;

static int fail(merge_t *m, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(merge_t *m, int rc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m->err, m->errlen, fmt, ap);
  va_end(ap);
  return rc;
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  dt_buf_t b = { 0 };
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) dt_buf_put(&b, buf, n);
  int bad = ferror(f) || b.oom;
  fclose(f);
  if (bad) { free(b.p); return NULL; }
  return b.p ? b.p : calloc(1, 1);
}

/* Opens every shard and reads its sidecar; checks they describe one batch. */
static int open_shards(merge_t *m) {
  for (int k = 0; k < m->n; k++) {
    shard_t *x = &m->in[k];
    if (!(x->f = fopen(x->path, "rb")))
      return fail(m, DT_EIO, "cannot read the runs file '%s'", x->path);
    char *mp = dt_batch_meta_path(x->path), *meta = mp ? slurp(mp) : NULL;
    if (!meta) {
      fail(m, DT_EIO,
           "cannot read '%s', the sidecar `detente mc --out %s` writes beside the runs file",
           mp ? mp : "?", x->path);
      free(mp);
      return DT_EIO;
    }
    char err[512];
    int rc = dt_batch_meta_load(&x->spec, meta, err, sizeof err);
    free(meta);
    if (rc) { fail(m, DT_EPARSE, "%s: %s", mp, err); free(mp); return DT_EPARSE; }
    free(mp);
    x->want = x->spec.rows;
    const char *d = k ? dt_batch_spec_differs(&m->in[0].spec, &x->spec) : NULL;
    if (d) return fail(m, DT_EPARSE, "%s and %s are not shards of one batch: the %s differs",
                       m->in[0].path, x->path, d);
  }
  m->s = &m->in[0].spec;
  dt_batch_header(m->s, &m->head);
  m->ncols = 2 + dt_batch_has_points(m->s) + m->s->nparams + m->s->noutcomes + 2;
  if (m->head.oom) return fail(m, DT_ENOMEM, "out of memory");
  m->f = calloc((size_t)m->ncols + 2, sizeof *m->f);
  if (!m->f) return fail(m, DT_ENOMEM, "out of memory");
  return 0;
}

/* Reads shard x's next row into x->raw and m->txt and checks it: its shape,
 * its run index and seed, and that it comes after the one before. */
static int advance(merge_t *m, shard_t *x) {
  uint64_t prev = x->g;
  int r = dt_csv_read_record(x->f, &x->raw);
  if (r < 0)
    return fail(m, x->raw.oom ? DT_ENOMEM : DT_EIO, "cannot read the runs file '%s'", x->path);
  if (r == 0) {
    x->g = NO_RUN;
    if (x->rows != x->want)
      return fail(m, DT_EPARSE, "%s has %llu rows but its sidecar says %llu (cut short?)", x->path,
                  (unsigned long long)x->rows, (unsigned long long)x->want);
    return 0;
  }
  x->rows++;
  size_t pos = 0;
  int nf = dt_csv_record(x->raw.p, x->raw.len, &pos, &m->txt, m->f, m->ncols + 1);
  unsigned long long row = (unsigned long long)x->rows;
  if (nf < 0)
    return fail(m, DT_EPARSE, "%s: row %llu is malformed CSV (cut short or edited?)", x->path, row);
  if (nf != m->ncols)
    return fail(m, DT_EPARSE, "%s: row %llu has %d fields, the header %d (cut short or edited?)",
                x->path, row, nf, m->ncols);
  const char *gs = m->txt.p + m->f[0].off, *ss = m->txt.p + m->f[1].off;
  uint64_t g, seed, total = m->s->total;
  if (dt_runs_u64(gs, &g) || g >= total)
    return fail(m, DT_EPARSE, "%s: row %llu: run '%s' is not a run of this batch (0 to %llu)",
                x->path, row, gs, (unsigned long long)total - 1);
  if (ss[0] != 's' || dt_runs_seed(ss, &seed) || seed != dt_rng_run_seed(m->s->seed, g))
    return fail(m, DT_EPARSE, "%s: run %llu has seed %s, but the batch's master seed gives s%llu",
                x->path, (unsigned long long)g, ss,
                (unsigned long long)dt_rng_run_seed(m->s->seed, g));
  if (x->rows > 1 && g <= prev)
    return fail(m, DT_EPARSE,
                "%s: row %llu: run %llu comes after run %llu (rows out of order: edited?)", x->path,
                row, (unsigned long long)g, (unsigned long long)prev);
  x->g = g;
  return 0;
}

/* Positions every shard on its first row, after checking its header line. */
static int rewind_shards(merge_t *m) {
  for (int k = 0; k < m->n; k++) {
    shard_t *x = &m->in[k];
    rewind(x->f);
    x->rows = 0;
    x->g = NO_RUN;
    int r = dt_csv_read_record(x->f, &x->raw);
    if (r < 0) return fail(m, DT_EIO, "cannot read the runs file '%s'", x->path);
    if (x->raw.len != m->head.len || memcmp(x->raw.p, m->head.p, m->head.len))
      return fail(
          m, DT_EPARSE,
          "%s: the header line is not the one this batch writes (edited or not a runs file?)",
          x->path);
    int rc = advance(m, x);
    if (rc) return rc;
  }
  return 0;
}

/* The missing runs lo..hi-1, counted and the first few named. */
static void note_missing(merge_t *m, uint64_t lo, uint64_t hi, uint64_t *missing, dt_buf_t *names) {
  for (uint64_t g = lo; g < hi && *missing + (g - lo) < SHOW_MISSING; g++) {
    char buf[80];
    int n = snprintf(buf, sizeof buf, " %llu", (unsigned long long)g);
    if (m->s->shard_n)
      n += snprintf(buf + n, sizeof buf - (size_t)n, " (shard %llu/%d)",
                    (unsigned long long)(g % (uint64_t)m->s->shard_n) + 1, m->s->shard_n);
    dt_buf_put(names, buf, (size_t)n);
  }
  *missing += hi - lo;
}

typedef int (*visit_fn)(merge_t *m, shard_t *x, void *ctx);

/* The k-way merge: visits every row in run order (the shard's current record
 * in x->raw, its fields in m->txt); fails on a duplicate or a gap. */
static int walk(merge_t *m, visit_fn visit, void *ctx) {
  int rc = rewind_shards(m);
  uint64_t expect = 0, missing = 0;
  int last = -1;
  dt_buf_t names = { 0 };
  while (!rc) {
    int k = -1;
    for (int i = 0; i < m->n; i++)
      if (m->in[i].g != NO_RUN && (k < 0 || m->in[i].g < m->in[k].g)) k = i;
    if (k < 0) break;
    shard_t *x = &m->in[k];
    if (last >= 0 && x->g + 1 == expect) {
      rc = fail(m, DT_EPARSE, "run %llu appears twice: in %s and in %s", (unsigned long long)x->g,
                m->in[last].path, x->path);
      break;
    }
    if (x->g > expect) note_missing(m, expect, x->g, &missing, &names);
    /* the fields in m->txt are this shard's: advance() parsed them last */
    size_t pos = 0;
    dt_csv_record(x->raw.p, x->raw.len, &pos, &m->txt, m->f, m->ncols + 1);
    if (visit && (rc = visit(m, x, ctx)) != 0) break;
    expect = x->g + 1;
    last = k;
    rc = advance(m, x);
  }
  if (!rc && expect < m->s->total) note_missing(m, expect, m->s->total, &missing, &names);
  if (!rc && missing)
    rc = fail(m, DT_EPARSE, "%llu of %llu runs are missing:%s%s", (unsigned long long)missing,
              (unsigned long long)m->s->total, names.p ? names.p : "",
              missing > SHOW_MISSING ? " ..." : "");
  dt_buf_free(&names);
  return rc;
}

/* A field the writer leaves unquoted, equal to one of the words in set. */
static int word(const char *t, const dt_csv_fld_t *f, const char *w) {
  return !f->quoted && !strcmp(t, w);
}

/* The cells of a row are what `mc` writes: a status of ok, limit or error;
 * the error NA exactly when ok; outcomes NA unless ok, and otherwise of a
 * type the shard's sidecar lists for them (a number in its written form,
 * TRUE/FALSE); sampled params numbers. Merged and summarised, an edited cell
 * would silently count as a missing value or an error. */
static int check_row(merge_t *m, shard_t *x, void *ctx) {
  (void)ctx;
  const dt_batch_spec_t *s = &x->spec;
  const dt_csv_fld_t *fs = &m->f[m->ncols - 2], *fe = &m->f[m->ncols - 1];
  const char *stt = m->txt.p + fs->off, *e = m->txt.p + fe->off;
  unsigned long long row = (unsigned long long)x->rows, g = (unsigned long long)x->g;
  int ok = word(stt, fs, "ok");
  if (!ok && !word(stt, fs, "limit") && !word(stt, fs, "error"))
    return fail(m, DT_EPARSE, "%s: row %llu (run %llu): status '%.40s' is not ok, limit or error "
                "(edited?)", x->path, row, g, stt);
  if (ok != word(e, fe, "NA"))
    return fail(m, DT_EPARSE, "%s: row %llu (run %llu): %s (edited?)", x->path, row, g,
                ok ? "status ok with an error message" : "an error without its message (NA)");
  if (!ok) m->errors++;
  int pbase = 2 + dt_batch_has_points(s), obase = pbase + s->nparams;
  for (int c = 0; c < s->noutcomes; c++) {
    const dt_csv_fld_t *f = &m->f[obase + c];
    const char *t = m->txt.p + f->off;
    unsigned ty = s->outcomes[c].types;
    if (word(t, f, "NA") || (ok && ((ty & DT_CELL_STR) ||
                                    (!f->quoted && (ty & DT_CELL_NUM) && dt_runs_num_text(t)) ||
                                    ((ty & DT_CELL_BOOL) && (word(t, f, "TRUE") ||
                                                             word(t, f, "FALSE"))))))
      continue;
    return fail(m, DT_EPARSE, "%s: row %llu (run %llu): outcome '%s' is '%.40s', %s (edited?)",
                x->path, row, g, s->outcomes[c].name, t,
                ok ? "not a value of the types its sidecar lists" : "but the run failed");
  }
  for (int i = 0; i < s->nparams; i++) {
    const dt_csv_fld_t *f = &m->f[pbase + i];
    const char *t = m->txt.p + f->off;
    if (s->params[i].sampled && !word(t, f, "NA") && (f->quoted || !dt_runs_num_text(t)))
      return fail(m, DT_EPARSE, "%s: row %llu (run %llu): param '%s' is '%.40s', not a number "
                  "(edited?)", x->path, row, g, s->params[i].name, t);
  }
  return 0;
}

static dt_cell_t decode(const char *t, const dt_csv_fld_t *f, unsigned types, const char **str) {
  types &= ~(unsigned)DT_CELL_NONE;
  if (!f->quoted && (f->len == 0 || !strcmp(t, "NA"))) return dt_cell_none();
  if (types == DT_CELL_BOOL)
    return !strcmp(t, "TRUE")    ? dt_cell_bool(1)
           : !strcmp(t, "FALSE") ? dt_cell_bool(0)
                                 : dt_cell_none();
  if (types == DT_CELL_NUM) {
    char *end;
    double x = strtod(t, &end);
    return *end ? dt_cell_none() : dt_cell_num(x);
  }
  if (!types) return dt_cell_none();
  *str = t;
  return dt_cell_str(0);
}

typedef struct writer {
  FILE *out;
  dt_db_t *db;
  dt_batch_store_t *st;
  dt_cell_t *cells;
  const char **strs;
} writer_t;

/* Writes the row to the merged runs file and keeps its values. */
static int write_row(merge_t *m, shard_t *x, void *ctx) {
  writer_t *w = ctx;
  const dt_batch_spec_t *s = m->s;
  if (w->out && fwrite(x->raw.p, 1, x->raw.len, w->out) != x->raw.len) return DT_EIO;
  if (w->db && dt_db_row(w->db, x->raw.p, x->raw.len))
    return fail(m, DT_EIO, "writing the database failed");
  const char *stt = m->txt.p + m->f[m->ncols - 2].off;
  int status = !strcmp(stt, "ok") ? DT_RUN_OK : !strcmp(stt, "limit") ? DT_RUN_LIMIT : DT_RUN_ERROR;
  int pbase = 2 + dt_batch_has_points(s), obase = pbase + s->nparams, c = 0;
  for (; c < s->noutcomes; c++) {
    const dt_csv_fld_t *f = &m->f[obase + c];
    w->strs[c] = NULL;
    w->cells[c] = status == DT_RUN_OK
                      ? decode(m->txt.p + f->off, f, s->outcomes[c].types, &w->strs[c])
                      : dt_cell_none();
  }
  for (int i = 0; i < s->nparams; i++) {
    if (!s->params[i].sampled) continue;
    const dt_csv_fld_t *f = &m->f[pbase + i];
    w->strs[c] = NULL;
    w->cells[c] = decode(m->txt.p + f->off, f, DT_CELL_NUM, &w->strs[c]);
    c++;
  }
  dt_batch_store_row(w->st, s, x->g, status, m->txt.p + m->f[m->ncols - 1].off, w->cells, w->strs);
  return 0;
}

/* The merged batch: the whole batch, as one unsharded run describes it. */
static int make_batch(merge_t *m, dt_batch_store_t *st) {
  dt_batch_spec_t *s = m->s;
  for (int k = 1; k < m->n; k++)
    for (int c = 0; c < s->noutcomes; c++) s->outcomes[c].types |= m->in[k].spec.outcomes[c].types;
  s->shard_k = s->shard_n = 0;
  s->rows = s->total;
  s->errors = m->errors;
  return dt_batch_store_init(st, s, s->total) ? fail(m, DT_ENOMEM, "out of memory") : 0;
}

static int write_merged(merge_t *m, const char *out, const char *dbpath, dt_batch_store_t *st) {
  writer_t w = { 0 };
  w.st = st;
  w.cells = calloc((size_t)st->ncols + 1, sizeof *w.cells);
  w.strs = calloc((size_t)st->ncols + 1, sizeof *w.strs);
  if (!w.cells || !w.strs) {
    free(w.cells);
    free((void *)w.strs);
    return fail(m, DT_ENOMEM, "out of memory");
  }
  int rc = 0;
  if (out && !(w.out = fopen(out, "w"))) rc = fail(m, DT_EIO, "cannot write '%s'", out);
  if (!rc && w.out && fwrite(m->head.p, 1, m->head.len, w.out) != m->head.len) rc = DT_EIO;
  if (!rc && dbpath) rc = dt_db_create(&w.db, dbpath, m->s, m->err, m->errlen);
  if (!rc) rc = walk(m, write_row, &w);
  if (w.out && fclose(w.out) != 0 && !rc) rc = DT_EIO;
  if (!rc && w.db) rc = dt_db_finish(w.db, m->s, m->err, m->errlen);
  else dt_db_close(w.db);
  if (rc == DT_EIO && out && !strstr(m->err, out)) fail(m, DT_EIO, "writing '%s' failed", out);
  free(w.cells); free((void *)w.strs);
  return rc;
}

int dt_merge(const char *const *paths, int n, const char *out, const char *db,
             dt_batch_spec_t *merged, dt_batch_store_t *st, char *err, size_t errlen) {
  merge_t m = { 0 };
  m.err = err; m.errlen = errlen;
  if (errlen) err[0] = 0;
  memset(merged, 0, sizeof *merged);
  memset(st, 0, sizeof *st);
  if (n < 1) return fail(&m, DT_EINVAL, "nothing to merge: no shard was given");
  m.in = calloc((size_t)n + 1, sizeof *m.in);
  if (!m.in) return fail(&m, DT_ENOMEM, "out of memory");
  m.n = n;
  for (int k = 0; k < n; k++) m.in[k].path = paths[k];
  int rc = open_shards(&m);
  if (!rc) rc = walk(&m, check_row, NULL);
  if (!rc) rc = make_batch(&m, st);
  if (!rc) rc = write_merged(&m, out, db, st);
  if (!rc) { *merged = *m.s; memset(m.s, 0, sizeof *m.s); }
  else dt_batch_store_close(st);
  for (int k = 0; k < n; k++) {
    if (m.in[k].f) fclose(m.in[k].f);
    dt_buf_free(&m.in[k].raw);
    dt_batch_spec_close(&m.in[k].spec);
  }
  free(m.in); free(m.f);
  dt_buf_free(&m.head); dt_buf_free(&m.txt);
  return rc;
}
