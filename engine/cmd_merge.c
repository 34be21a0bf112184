/* cmd_merge.c: `detente merge`: joins the runs files of a sharded batch into
 * the runs file, sidecar and summary the unsharded batch writes, after
 * checking that every run appears exactly once and that the shards agree on
 * scenario, seed, version and settings. Reads whole files; runs nothing. */
#include "batch.h"
#include "cli.h"
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
  "usage: detente merge SHARD.csv... [--out runs.csv] [--summary summary.json] [--quiet]\n"
  "\n"
  "Merges the runs files of `detente mc --shard K/M --out SHARD.csv` (each with its\n"
  "SHARD.csv.meta.json beside it) into exactly the runs.csv, runs.csv.meta.json and\n"
  "summary.json one unsharded batch writes, and prints the summary.\n"
  "\n"
  "exit codes: 0 merged, 2 usage, 3 a file cannot be read or written,\n"
  "5 the shards do not fit together (a gap, a duplicate run or a mismatch)\n";

typedef struct fld { size_t off, len; int quoted; } fld_t;

/* Parses one RFC 4180 record at *pos: unescaped field texts go to txt (each
 * NUL-terminated), their places to f. Returns the number of fields, 0 at the
 * end of the data, -1 when malformed. */
static int record(const char *p, size_t n, size_t *pos, dt_buf_t *txt, fld_t *f, int maxf) {
  size_t i = *pos;
  if (i >= n) return 0;
  txt->len = 0;
  int nf = 0;
  for (;;) {
    if (nf == maxf) return -1;
    fld_t *cur = &f[nf++];
    cur->off = txt->len; cur->quoted = 0;
    if (i < n && p[i] == '"') {
      cur->quoted = 1;
      i++;
      for (;;) {
        if (i >= n) return -1;
        if (p[i] == '"') {
          if (i + 1 < n && p[i + 1] == '"') { dt_buf_put(txt, "\"", 1); i += 2; continue; }
          i++;
          break;
        }
        dt_buf_put(txt, p + i, 1);
        i++;
      }
    } else {
      size_t s = i;
      while (i < n && p[i] != ',' && p[i] != '\n' && p[i] != '\r' && p[i] != '"') i++;
      if (i < n && p[i] == '"') return -1;
      dt_buf_put(txt, p + s, i - s);
    }
    cur->len = txt->len - cur->off;
    dt_buf_put(txt, "", 1);   /* NUL after each field */
    if (txt->oom) return -1;
    if (i >= n) { *pos = i; return nf; }
    if (p[i] == ',') { i++; continue; }
    if (p[i] == '\r') i++;
    if (i < n && p[i] == '\n') i++;
    *pos = i;
    return nf;
  }
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  dt_buf_t b = { 0 };
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) dt_buf_put(&b, buf, n);
  int bad = ferror(f) || b.oom;
  fclose(f);
  if (bad) { free(b.p); return NULL; }
  if (!b.p) b.p = calloc(1, 1);
  *len = b.len;
  return b.p;
}

static int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(int code, const char *fmt, ...) {
  va_list ap;
  fputs("detente merge: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return code;
}

static int streq(const char *a, const char *b) { return (!a && !b) || (a && b && !strcmp(a, b)); }

/* Names the first setting where b differs from a, or returns NULL. */
static const char *differs(const dt_batch_spec_t *a, const dt_batch_spec_t *b) {
  if (!streq(a->file, b->file) || a->crc != b->crc || a->bytes != b->bytes) return "scenario file (name, size or CRC-32)";
  if (!streq(a->title, b->title)) return "scenario title";
  if (a->seed != b->seed) return "master seed";
  if (a->runs_per_point != b->runs_per_point) return "runs per point (--runs)";
  if (!streq(a->fork_at, b->fork_at)) return "fork date (--fork-at)";
  if (a->nov != b->nov) return "-D overrides";
  for (int i = 0; i < a->nov; i++)
    if (!streq(a->ov_name[i], b->ov_name[i]) || !streq(a->ov_value[i], b->ov_value[i])) return "-D overrides";
  if (a->nsweep != b->nsweep) return "sweep (--sweep)";
  for (int i = 0; i < a->nsweep; i++) {
    if (!streq(a->sweep[i].name, b->sweep[i].name) || a->sweep[i].nvalues != b->sweep[i].nvalues) return "sweep (--sweep)";
    for (int k = 0; k < a->sweep[i].nvalues; k++)
      if (!streq(a->sweep[i].values[k], b->sweep[i].values[k])) return "sweep (--sweep)";
  }
  if (a->total != b->total) return "number of runs";
  if (a->nparams != b->nparams || a->noutcomes != b->noutcomes) return "columns (params and outcomes)";
  for (int i = 0; i < a->nparams; i++)
    if (!streq(a->params[i].name, b->params[i].name) || a->params[i].sampled != b->params[i].sampled) return "params";
  for (int i = 0; i < a->noutcomes; i++)
    if (!streq(a->outcomes[i].name, b->outcomes[i].name)) return "outcomes";
  return NULL;
}

typedef struct input { const char *path; char *data; size_t len; dt_batch_spec_t spec; } input_t;

static dt_cell_t decode(const char *t, const fld_t *f, unsigned types, const char **str) {
  types &= ~(unsigned)DT_CELL_NONE;
  if (!f->quoted && (f->len == 0 || !strcmp(t, "NA"))) return dt_cell_none();
  if (types == DT_CELL_BOOL) return !strcmp(t, "TRUE") ? dt_cell_bool(1) : !strcmp(t, "FALSE") ? dt_cell_bool(0) : dt_cell_none();
  if (types == DT_CELL_NUM) {
    char *end;
    double x = strtod(t, &end);
    return *end ? dt_cell_none() : dt_cell_num(x);
  }
  if (!types) return dt_cell_none();
  *str = t;
  return dt_cell_str(0);
}

int dt_cmd_merge(int argc, char **argv) {
  const char *out = NULL, *sumpath = NULL;
  int quiet = 0, nin = 0, code = DT_EXIT_OK;
  input_t *in = calloc((size_t)argc + 1, sizeof *in);
  uint64_t *off = NULL;
  uint32_t *len = NULL;
  int32_t *owner = NULL;
  dt_buf_t txt = { 0 };
  fld_t *f = NULL;
  dt_batch_store_t st = { 0 };
  int have_store = 0;
  if (!in) return DT_EXIT_SCRIPT;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage, stdout); goto done; }
    if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) { quiet = 1; continue; }
    if (!strcmp(a, "--out") || !strcmp(a, "--summary")) {
      if (i + 1 >= argc) { dt_cli_usage_error("merge", "%s needs a value", a); code = DT_EXIT_USAGE; goto done; }
      if (!strcmp(a, "--out")) out = argv[++i]; else sumpath = argv[++i];
      continue;
    }
    if (a[0] == '-' && a[1]) { dt_cli_usage_error("merge", "unknown option '%s'", a); code = DT_EXIT_USAGE; goto done; }
    in[nin++].path = a;
  }
  if (!nin) { fputs(usage, stderr); code = DT_EXIT_USAGE; goto done; }

  /* Read every file and its sidecar; check they describe one batch. */
  for (int k = 0; k < nin; k++) {
    input_t *x = &in[k];
    if (!(x->data = slurp(x->path, &x->len))) { code = fail(DT_EXIT_IO, "cannot read the runs file '%s'", x->path); goto done; }
    char *mp = dt_batch_meta_path(x->path);
    size_t ml;
    char *meta = mp ? slurp(mp, &ml) : NULL;
    if (!meta) {
      code = fail(DT_EXIT_IO, "cannot read '%s', the sidecar `detente mc --out %s` writes beside the runs file",
                  mp ? mp : "?", x->path);
      free(mp);
      goto done;
    }
    char err[512];
    int rc = dt_batch_meta_load(&x->spec, meta, err, sizeof err);
    free(meta);
    if (rc) { code = fail(DT_EXIT_DATA, "%s: %s", mp, err); free(mp); goto done; }
    free(mp);
    const char *d = k ? differs(&in[0].spec, &x->spec) : NULL;
    if (d) { code = fail(DT_EXIT_DATA, "%s and %s are not shards of one batch: the %s differs", in[0].path, x->path, d); goto done; }
  }
  dt_batch_spec_t *s = &in[0].spec;
  dt_buf_t head = { 0 };
  dt_batch_header(s, &head);
  int ncols = 2 + (s->nsweep ? 1 : 0) + s->nparams + s->noutcomes + 2;
  f = calloc((size_t)ncols + 1, sizeof *f);
  off = malloc((size_t)(s->total + 1) * sizeof *off);
  len = malloc((size_t)(s->total + 1) * sizeof *len);
  owner = malloc((size_t)(s->total + 1) * sizeof *owner);
  if (!f || !off || !len || !owner || head.oom) { dt_buf_free(&head); code = fail(DT_EXIT_SCRIPT, "out of memory"); goto done; }
  for (uint64_t g = 0; g < s->total; g++) owner[g] = -1;
  uint64_t errors = 0;
  for (int k = 0; k < nin; k++) {
    input_t *x = &in[k];
    if (x->len < head.len || memcmp(x->data, head.p, head.len)) {
      dt_buf_free(&head);
      code = fail(DT_EXIT_DATA, "%s: the header line is not the one this batch writes (edited or not a runs file?)", x->path);
      goto done;
    }
    size_t pos = head.len;
    uint64_t rows = 0;
    for (;;) {
      size_t start = pos;
      int nf = record(x->data, x->len, &pos, &txt, f, ncols + 1);
      if (nf == 0) break;
      rows++;
      if (nf < 0) { dt_buf_free(&head); code = fail(DT_EXIT_DATA, "%s: row %llu is malformed CSV (cut short or edited?)", x->path, (unsigned long long)rows); goto done; }
      if (nf != ncols) { dt_buf_free(&head); code = fail(DT_EXIT_DATA, "%s: row %llu has %d fields, the header %d (cut short or edited?)", x->path, (unsigned long long)rows, nf, ncols); goto done; }
      uint64_t g, seed;
      if (dt_cli_u64(txt.p + f[0].off, &g) || g >= s->total) {
        dt_buf_free(&head);
        code = fail(DT_EXIT_DATA, "%s: row %llu: run '%s' is not a run of this batch (0 to %llu)", x->path,
                    (unsigned long long)rows, txt.p + f[0].off, (unsigned long long)s->total - 1);
        goto done;
      }
      if (txt.p[f[1].off] != 's' || dt_cli_seed(txt.p + f[1].off, &seed) || seed != dt_rng_run_seed(s->seed, g)) {
        dt_buf_free(&head);
        code = fail(DT_EXIT_DATA, "%s: run %llu has seed %s, but the batch's master seed gives s%llu", x->path,
                    (unsigned long long)g, txt.p + f[1].off, (unsigned long long)dt_rng_run_seed(s->seed, g));
        goto done;
      }
      if (owner[g] >= 0) {
        dt_buf_free(&head);
        code = fail(DT_EXIT_DATA, "run %llu appears twice: in %s and in %s", (unsigned long long)g,
                    in[owner[g]].path, x->path);
        goto done;
      }
      owner[g] = k; off[g] = start; len[g] = (uint32_t)(pos - start);
      if (strcmp(txt.p + f[ncols - 2].off, "ok")) errors++;
    }
    if (rows != x->spec.rows) {
      dt_buf_free(&head);
      code = fail(DT_EXIT_DATA, "%s has %llu rows but its sidecar says %llu (cut short?)", x->path,
                  (unsigned long long)rows, (unsigned long long)x->spec.rows);
      goto done;
    }
    if (k) for (int c = 0; c < s->noutcomes; c++) s->outcomes[c].types |= x->spec.outcomes[c].types;
  }
  dt_buf_free(&head);
  uint64_t missing = 0;
  for (uint64_t g = 0; g < s->total; g++) missing += owner[g] < 0;
  if (missing) {
    fprintf(stderr, "detente merge: %llu of %llu runs are missing:", (unsigned long long)missing, (unsigned long long)s->total);
    int shown = 0;
    for (uint64_t g = 0; g < s->total && shown < 10; g++)
      if (owner[g] < 0) {
        fprintf(stderr, " %llu", (unsigned long long)g);
        if (s->shard_n) fprintf(stderr, " (shard %llu/%d)", (unsigned long long)(g % (uint64_t)s->shard_n) + 1, s->shard_n);
        shown++;
      }
    fprintf(stderr, "%s\n", missing > 10 ? " ..." : "");
    code = DT_EXIT_DATA;
    goto done;
  }

  /* The merged batch: the whole batch, as one unsharded run describes it. */
  s->shard_k = s->shard_n = 0;
  s->rows = s->total;
  s->errors = errors;
  if (dt_batch_store_init(&st, s, s->total)) { code = fail(DT_EXIT_SCRIPT, "out of memory"); goto done; }
  have_store = 1;
  FILE *o = NULL;
  if (out && !(o = fopen(out, "w"))) { code = fail(DT_EXIT_IO, "cannot write '%s'", out); goto done; }
  dt_buf_t h = { 0 };
  dt_batch_header(s, &h);
  if (o && fwrite(h.p, 1, h.len, o) != h.len) code = DT_EXIT_IO;
  dt_buf_free(&h);
  dt_cell_t *cells = calloc((size_t)st.ncols + 1, sizeof *cells);
  const char **strs = calloc((size_t)st.ncols + 1, sizeof *strs);
  int pbase = 2 + (s->nsweep ? 1 : 0), obase = pbase + s->nparams;
  for (uint64_t g = 0; cells && strs && g < s->total; g++) {
    const char *p = in[owner[g]].data + off[g];
    if (o && fwrite(p, 1, len[g], o) != len[g]) code = DT_EXIT_IO;
    size_t pos = 0;
    record(p, len[g], &pos, &txt, f, ncols + 1);
    const char *stt = txt.p + f[ncols - 2].off;
    int status = !strcmp(stt, "ok") ? DT_RUN_OK : !strcmp(stt, "limit") ? DT_RUN_LIMIT : DT_RUN_ERROR;
    int c = 0;
    for (; c < s->noutcomes; c++) {
      strs[c] = NULL;
      cells[c] = status == DT_RUN_OK ? decode(txt.p + f[obase + c].off, &f[obase + c], s->outcomes[c].types, &strs[c])
                                     : dt_cell_none();
    }
    for (int i = 0; i < s->nparams; i++) {
      if (!s->params[i].sampled) continue;
      strs[c] = NULL;
      cells[c] = decode(txt.p + f[pbase + i].off, &f[pbase + i], DT_CELL_NUM, &strs[c]);
      c++;
    }
    dt_batch_store_row(&st, s, g, status, txt.p + f[ncols - 1].off, cells, strs);
  }
  if (!cells || !strs) code = fail(DT_EXIT_SCRIPT, "out of memory");
  free(cells); free((void *)strs);
  if (o && fclose(o) != 0) code = DT_EXIT_IO;
  if (code == DT_EXIT_IO) { fail(code, "writing '%s' failed", out); goto done; }
  if (code) goto done;
  if (out) {
    char *mp = dt_batch_meta_path(out), *meta = dt_batch_meta_dump(s);
    FILE *m = mp && meta ? fopen(mp, "w") : NULL;
    if (!m || fputs(meta, m) < 0) code = DT_EXIT_IO;
    if (m && fclose(m) != 0) code = DT_EXIT_IO;
    if (code) fail(code, "cannot write the sidecar '%s'", mp ? mp : out);
    free(mp); free(meta);
  }
  json_t *sum = dt_batch_summary(s, &st);
  if (!sum) { code = fail(DT_EXIT_SCRIPT, "out of memory"); goto done; }
  if (sumpath && dt_batch_summary_write(sum, sumpath)) code = fail(DT_EXIT_IO, "cannot write the summary '%s'", sumpath);
  if (!quiet) dt_batch_summary_print(sum, stdout);
  json_decref(sum);
done:
  if (have_store) dt_batch_store_close(&st);
  for (int k = 0; k < nin; k++) { free(in[k].data); dt_batch_spec_close(&in[k].spec); }
  free(in); free(off); free(len); free(owner); free(f); dt_buf_free(&txt);
  return code;
}
