/* summary.c: the Lua-free half of batches: 8-byte cells, CSV quoting, the
 * batch description and its sidecar JSON, the values kept for the summary and
 * the summary itself (JSON and terminal text). `mc` and `merge` both end here,
 * so a merged batch summarises exactly like an unsharded one. Runs nothing. */
#include "batch.h"
#include "output.h"
#include "stats.h"
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- cells ------------------------------------------------------------------ */

#define TAG_MASK 0xFFFF000000000000ull
#define TAG_BASE 0xFFF4000000000000ull   /* a negative signalling NaN: never computed */
#define CANON_NAN 0x7FF8000000000000ull

static dt_cell_t tagged(int type, uint64_t payload) {
  return TAG_BASE | ((uint64_t)type << 40) | (payload & 0xFFFFFFFFFFull);
}
dt_cell_t dt_cell_none(void) { return tagged(DT_CELL_NONE, 0); }
dt_cell_t dt_cell_bool(int b) { return tagged(DT_CELL_BOOL, b != 0); }
dt_cell_t dt_cell_str(uint32_t id) { return tagged(DT_CELL_STR, id); }
dt_cell_t dt_cell_num(double x) {
  uint64_t u;
  if (isnan(x)) return CANON_NAN;
  memcpy(&u, &x, sizeof u);
  return u;
}
int dt_cell_type(dt_cell_t c) {
  if ((c & TAG_MASK) != TAG_BASE) return DT_CELL_NUM;
  return (int)((c >> 40) & 0xFF);
}
double dt_cell_getnum(dt_cell_t c) {
  int t = dt_cell_type(c);
  if (t == DT_CELL_BOOL) return (double)(c & 1);
  if (t != DT_CELL_NUM) return NAN;
  double x;
  memcpy(&x, &c, sizeof x);
  return x;
}
uint32_t dt_cell_getid(dt_cell_t c) { return (uint32_t)(c & 0xFFFFFFFFu); }

/* ---- buffers and CSV --------------------------------------------------------- */

void dt_buf_put(dt_buf_t *b, const char *s, size_t n) {
  if (b->oom) return;
  if (b->len + n + 1 > b->cap) {
    size_t nc = b->cap ? b->cap * 2 : 256;
    while (nc < b->len + n + 1) nc *= 2;
    char *p = realloc(b->p, nc);
    if (!p) { b->oom = 1; return; }
    b->p = p; b->cap = nc;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = 0;
}
void dt_buf_puts(dt_buf_t *b, const char *s) { dt_buf_put(b, s, strlen(s)); }
void dt_buf_free(dt_buf_t *b) { free(b->p); memset(b, 0, sizeof *b); }

void dt_csv_field(dt_buf_t *b, const char *s, size_t n) {
  int quote = n == 0 || (n == 2 && s[0] == 'N' && s[1] == 'A');   /* "NA" text is not a missing NA */
  for (size_t i = 0; i < n && !quote; i++)
    if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') quote = 1;
  if (!quote) { dt_buf_put(b, s, n); return; }
  dt_buf_put(b, "\"", 1);
  size_t start = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '"') { dt_buf_put(b, s + start, i - start + 1); dt_buf_put(b, "\"", 1); start = i + 1; }
  dt_buf_put(b, s + start, n - start);
  dt_buf_put(b, "\"", 1);
}

const char *dt_fmt_num(double x, char *buf) {
  if (isnan(x)) return strcpy(buf, "NaN");
  if (isinf(x)) return strcpy(buf, x > 0 ? "Inf" : "-Inf");
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, 32, "%.*g", prec, x);
    if (strtod(buf, NULL) == x) break;
  }
  return buf;
}

/* ---- the batch description ----------------------------------------------------- */

static void free_cols(dt_batch_col_t *c, int n) {
  for (int i = 0; i < n; i++) free(c[i].name);
  free(c);
}

void dt_batch_spec_close(dt_batch_spec_t *s) {
  free(s->file); free(s->title); free(s->fork_at);
  for (int i = 0; i < s->nov; i++) { free(s->ov_name[i]); free(s->ov_value[i]); }
  free(s->ov_name); free(s->ov_value);
  for (int i = 0; i < s->nsweep; i++) {
    free(s->sweep[i].name);
    for (int k = 0; k < s->sweep[i].nvalues; k++) free(s->sweep[i].values[k]);
    free(s->sweep[i].values);
  }
  free(s->sweep);
  free_cols(s->params, s->nparams);
  free_cols(s->outcomes, s->noutcomes);
  memset(s, 0, sizeof *s);
}

int dt_batch_point_value(const dt_batch_spec_t *s, uint64_t p, int d) {
  for (int k = s->nsweep - 1; k > d; k--) p /= (uint64_t)s->sweep[k].nvalues;
  return (int)(p % (uint64_t)s->sweep[d].nvalues);
}

int dt_batch_point_overrides(const dt_batch_spec_t *s, uint64_t p, lrt_override_t *ov) {
  int n = 0;
  for (int i = 0; i < s->nov; i++) { ov[n].name = s->ov_name[i]; ov[n++].value = s->ov_value[i]; }
  for (int d = 0; d < s->nsweep; d++) {
    ov[n].name = s->sweep[d].name;
    ov[n++].value = s->sweep[d].values[dt_batch_point_value(s, p, d)];
  }
  return n;
}

uint64_t dt_batch_shard_count(const dt_batch_spec_t *s) {
  if (!s->shard_n) return s->total;
  uint64_t k = (uint64_t)s->shard_k - 1, n = (uint64_t)s->shard_n;
  return s->total > k ? (s->total - k + n - 1) / n : 0;
}

uint64_t dt_batch_shard_index(const dt_batch_spec_t *s, uint64_t j) {
  if (!s->shard_n) return j;
  return (uint64_t)(s->shard_k - 1) + j * (uint64_t)s->shard_n;
}

static int fixed_name(const char *n) {
  return !strcmp(n, "run") || !strcmp(n, "seed") || !strcmp(n, "point") ||
         !strcmp(n, "status") || !strcmp(n, "error");
}

static void put_name(dt_buf_t *b, const char *prefix, const char *name) {
  dt_buf_t t = { 0 };
  dt_buf_puts(&t, prefix);
  dt_buf_puts(&t, name);
  dt_csv_field(b, t.p, t.len);
  dt_buf_free(&t);
}

void dt_batch_header(const dt_batch_spec_t *s, dt_buf_t *b) {
  dt_buf_puts(b, "run,seed");
  if (s->nsweep) dt_buf_puts(b, ",point");
  for (int i = 0; i < s->nparams; i++) {
    dt_buf_puts(b, ",");
    put_name(b, fixed_name(s->params[i].name) ? "param." : "", s->params[i].name);
  }
  for (int i = 0; i < s->noutcomes; i++) {
    int clash = fixed_name(s->outcomes[i].name);
    for (int k = 0; k < s->nparams && !clash; k++) clash = !strcmp(s->params[k].name, s->outcomes[i].name);
    dt_buf_puts(b, ",");
    put_name(b, clash ? "outcome." : "", s->outcomes[i].name);
  }
  dt_buf_puts(b, ",status,error\n");
}

static json_t *seed_json(uint64_t seed) {
  char buf[32];
  snprintf(buf, sizeof buf, "%" PRIu64, seed);
  return json_string(buf);
}

static json_t *types_json(unsigned t) {
  json_t *a = json_array();
  if (t & DT_CELL_BOOL) json_array_append_new(a, json_string("boolean"));
  if (t & DT_CELL_NUM) json_array_append_new(a, json_string("number"));
  if (t & DT_CELL_STR) json_array_append_new(a, json_string("string"));
  if (t & DT_CELL_NONE) json_array_append_new(a, json_string("none"));
  return a;
}

/* The fields shared by the sidecar and the summary, in a fixed order. */
static void put_batch(json_t *o, const dt_batch_spec_t *s, int with_columns) {
  json_object_set_new(o, "detente", json_string(DT_VERSION));
  json_t *sc = json_object();
  json_object_set_new(sc, "file", json_string(s->file));
  json_object_set_new(sc, "title", json_string(s->title ? s->title : ""));
  char crc[16];
  snprintf(crc, sizeof crc, "%08" PRIx32, s->crc);
  json_object_set_new(sc, "crc32", json_string(crc));
  json_object_set_new(sc, "bytes", json_integer((json_int_t)s->bytes));
  json_object_set_new(o, "scenario", sc);
  json_object_set_new(o, "seed", seed_json(s->seed));
  json_object_set_new(o, "runs_per_point", json_integer((json_int_t)s->runs_per_point));
  json_object_set_new(o, "points", json_integer((json_int_t)s->npoints));
  json_object_set_new(o, "runs", json_integer((json_int_t)s->total));
  json_object_set_new(o, "fork_at", s->fork_at ? json_string(s->fork_at) : json_null());
  json_t *ov = json_array();
  for (int i = 0; i < s->nov; i++) {
    json_t *e = json_object();
    json_object_set_new(e, "name", json_string(s->ov_name[i]));
    json_object_set_new(e, "value", json_string(s->ov_value[i]));
    json_array_append_new(ov, e);
  }
  json_object_set_new(o, "overrides", ov);
  json_t *sw = json_array();
  for (int i = 0; i < s->nsweep; i++) {
    json_t *e = json_object(), *v = json_array();
    json_object_set_new(e, "param", json_string(s->sweep[i].name));
    for (int k = 0; k < s->sweep[i].nvalues; k++) json_array_append_new(v, json_string(s->sweep[i].values[k]));
    json_object_set_new(e, "values", v);
    json_array_append_new(sw, e);
  }
  json_object_set_new(o, "sweep", sw);
  json_t *ps = json_array();
  for (int i = 0; i < s->nparams; i++) {
    json_t *e = json_object();
    json_object_set_new(e, "name", json_string(s->params[i].name));
    json_object_set_new(e, "sampled", json_boolean(s->params[i].sampled));
    json_array_append_new(ps, e);
  }
  json_object_set_new(o, "params", ps);
  if (with_columns) {
    json_t *os = json_array();
    for (int i = 0; i < s->noutcomes; i++) {
      json_t *e = json_object();
      json_object_set_new(e, "name", json_string(s->outcomes[i].name));
      json_object_set_new(e, "types", types_json(s->outcomes[i].types));
      json_array_append_new(os, e);
    }
    json_object_set_new(o, "outcomes", os);
  }
}

static json_t *shard_json(const dt_batch_spec_t *s) {
  if (!s->shard_n) return json_null();
  json_t *o = json_object();
  json_object_set_new(o, "k", json_integer(s->shard_k));
  json_object_set_new(o, "n", json_integer(s->shard_n));
  return o;
}

static char *dump(json_t *o) {
  char *t = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(15) | JSON_ENSURE_ASCII);
  json_decref(o);
  if (!t) return NULL;
  size_t n = strlen(t);
  char *r = realloc(t, n + 2);
  if (!r) { free(t); return NULL; }
  r[n] = '\n'; r[n + 1] = 0;
  return r;
}

char *dt_batch_meta_dump(const dt_batch_spec_t *s) {
  json_t *o = json_object();
  json_object_set_new(o, "format", json_string(DT_BATCH_META_FORMAT));
  json_object_set_new(o, "version", json_integer(DT_BATCH_SCHEMA));
  put_batch(o, s, 1);
  json_object_set_new(o, "shard", shard_json(s));
  json_object_set_new(o, "rows", json_integer((json_int_t)s->rows));
  json_object_set_new(o, "errors", json_integer((json_int_t)s->errors));
  return dump(o);
}

char *dt_batch_meta_path(const char *csv) {
  size_t n = strlen(csv);
  char *p = malloc(n + 11);
  if (p) snprintf(p, n + 11, "%s.meta.json", csv);
  return p;
}

static char *jstr(json_t *o, const char *k) {
  const char *v = json_string_value(json_object_get(o, k));
  return v ? strdup(v) : NULL;
}

static int juint(json_t *o, const char *k, uint64_t *out) {
  json_t *v = json_object_get(o, k);
  if (json_is_integer(v) && json_integer_value(v) >= 0) { *out = (uint64_t)json_integer_value(v); return 0; }
  if (json_is_string(v)) {
    char *end;
    *out = strtoull(json_string_value(v), &end, 10);
    return *end || !*json_string_value(v) ? -1 : 0;
  }
  return -1;
}

static unsigned parse_types(json_t *a) {
  unsigned t = 0;
  size_t i; json_t *v;
  json_array_foreach(a, i, v) {
    const char *s = json_string_value(v);
    if (!s) continue;
    if (!strcmp(s, "boolean")) t |= DT_CELL_BOOL;
    else if (!strcmp(s, "number")) t |= DT_CELL_NUM;
    else if (!strcmp(s, "string")) t |= DT_CELL_STR;
    else if (!strcmp(s, "none")) t |= DT_CELL_NONE;
  }
  return t;
}

static int load_cols(json_t *a, dt_batch_col_t **out, int *n) {
  if (!json_is_array(a)) return -1;
  *n = (int)json_array_size(a);
  *out = calloc((size_t)*n + 1, sizeof **out);
  if (!*out) return -1;
  size_t i; json_t *v;
  json_array_foreach(a, i, v) {
    (*out)[i].name = jstr(v, "name");
    if (!(*out)[i].name) return -1;
    (*out)[i].sampled = json_is_true(json_object_get(v, "sampled"));
    (*out)[i].types = parse_types(json_object_get(v, "types"));
  }
  return 0;
}

int dt_batch_meta_load(dt_batch_spec_t *s, const char *text, char *err, size_t errlen) {
  memset(s, 0, sizeof *s);
  json_error_t je;
  json_t *o = json_loads(text, 0, &je);
  if (!o) { snprintf(err, errlen, "not JSON (line %d: %s)", je.line, je.text); return -1; }
  int rc = -1;
  const char *fmt = json_string_value(json_object_get(o, "format"));
  json_t *sc = json_object_get(o, "scenario");
  uint64_t crc = 0;
  if (!fmt || strcmp(fmt, DT_BATCH_META_FORMAT)) { snprintf(err, errlen, "not a detente runs sidecar (format '%s')", fmt ? fmt : "?"); goto done; }
  if (json_integer_value(json_object_get(o, "version")) != DT_BATCH_SCHEMA) {
    snprintf(err, errlen, "sidecar schema version %lld, this detente reads %d",
             (long long)json_integer_value(json_object_get(o, "version")), DT_BATCH_SCHEMA);
    goto done;
  }
  const char *ver = json_string_value(json_object_get(o, "detente"));
  if (!ver || strcmp(ver, DT_VERSION)) {
    snprintf(err, errlen, "written by detente %s, this is detente %s", ver ? ver : "?", DT_VERSION);
    goto done;
  }
  snprintf(err, errlen, "malformed sidecar");
  if (!json_is_object(sc)) goto done;
  s->file = jstr(sc, "file"); s->title = jstr(sc, "title");
  const char *crcs = json_string_value(json_object_get(sc, "crc32"));
  if (!s->file || !crcs) goto done;
  crc = strtoull(crcs, NULL, 16);
  s->crc = (uint32_t)crc;
  if (juint(sc, "bytes", &s->bytes) || juint(o, "seed", &s->seed) ||
      juint(o, "runs_per_point", &s->runs_per_point) || juint(o, "points", &s->npoints) ||
      juint(o, "runs", &s->total) || juint(o, "rows", &s->rows) || juint(o, "errors", &s->errors))
    goto done;
  s->fork_at = jstr(o, "fork_at");
  json_t *ov = json_object_get(o, "overrides"), *sw = json_object_get(o, "sweep");
  if (!json_is_array(ov) || !json_is_array(sw)) goto done;
  s->nov = (int)json_array_size(ov);
  s->ov_name = calloc((size_t)s->nov + 1, sizeof *s->ov_name);
  s->ov_value = calloc((size_t)s->nov + 1, sizeof *s->ov_value);
  if (!s->ov_name || !s->ov_value) goto done;
  for (int i = 0; i < s->nov; i++) {
    json_t *e = json_array_get(ov, (size_t)i);
    s->ov_name[i] = jstr(e, "name"); s->ov_value[i] = jstr(e, "value");
    if (!s->ov_name[i] || !s->ov_value[i]) goto done;
  }
  s->sweep = calloc(json_array_size(sw) + 1, sizeof *s->sweep);
  if (!s->sweep) goto done;
  for (size_t i = 0; i < json_array_size(sw); i++) {
    json_t *e = json_array_get(sw, i), *vals = json_object_get(e, "values");
    dt_sweep_t *d = &s->sweep[s->nsweep++];
    d->name = jstr(e, "param");
    if (!d->name || !json_is_array(vals) || !json_array_size(vals)) goto done;
    d->values = calloc(json_array_size(vals), sizeof *d->values);
    if (!d->values) goto done;
    for (size_t k = 0; k < json_array_size(vals); k++) {
      const char *v = json_string_value(json_array_get(vals, k));
      if (!v || !(d->values[d->nvalues] = strdup(v))) goto done;
      d->nvalues++;
    }
  }
  if (load_cols(json_object_get(o, "params"), &s->params, &s->nparams) ||
      load_cols(json_object_get(o, "outcomes"), &s->outcomes, &s->noutcomes))
    goto done;
  json_t *sh = json_object_get(o, "shard");
  if (json_is_object(sh)) {
    s->shard_k = (int)json_integer_value(json_object_get(sh, "k"));
    s->shard_n = (int)json_integer_value(json_object_get(sh, "n"));
    if (s->shard_n < 1 || s->shard_k < 1 || s->shard_k > s->shard_n) goto done;
  }
  if (s->npoints * s->runs_per_point != s->total) goto done;
  rc = 0;
  err[0] = 0;
done:
  json_decref(o);
  if (rc) { dt_batch_spec_close(s); }
  return rc;
}

/* ---- interned strings -------------------------------------------------------------- */

static uint32_t hash(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
  return h;
}

uint32_t dt_intern(dt_intern_t *t, const char *s) {
  if (t->n * 2 >= t->nslot) {
    uint32_t ns = t->nslot ? t->nslot * 2 : 64;
    uint32_t *slot = malloc(ns * sizeof *slot);
    if (!slot) return UINT32_MAX;
    for (uint32_t i = 0; i < ns; i++) slot[i] = UINT32_MAX;
    for (uint32_t i = 0; i < t->n; i++) {
      uint32_t h = hash(t->s[i]) & (ns - 1);
      while (slot[h] != UINT32_MAX) h = (h + 1) & (ns - 1);
      slot[h] = i;
    }
    free(t->slot);
    t->slot = slot; t->nslot = ns;
  }
  uint32_t h = hash(s) & (t->nslot - 1);
  while (t->slot[h] != UINT32_MAX) {
    if (!strcmp(t->s[t->slot[h]], s)) return t->slot[h];
    h = (h + 1) & (t->nslot - 1);
  }
  if (t->n == t->cap) {
    uint32_t nc = t->cap ? t->cap * 2 : 16;
    char **ns = realloc(t->s, nc * sizeof *ns);
    if (!ns) return UINT32_MAX;
    t->s = ns; t->cap = nc;
  }
  char *d = strdup(s);
  if (!d) return UINT32_MAX;
  t->s[t->n] = d;
  t->slot[h] = t->n;
  return t->n++;
}

/* ---- the store ---------------------------------------------------------------------- */

static int nsampled(const dt_batch_spec_t *s) {
  int n = 0;
  for (int i = 0; i < s->nparams; i++) n += s->params[i].sampled;
  return n;
}

int dt_batch_store_init(dt_batch_store_t *st, const dt_batch_spec_t *s, uint64_t n) {
  memset(st, 0, sizeof *st);
  st->ncols = s->noutcomes + nsampled(s);
  st->cells = malloc((size_t)(n * (uint64_t)st->ncols + 1) * sizeof *st->cells);
  st->status = calloc((size_t)n + 1, 1);
  st->strings = calloc((size_t)st->ncols + 1, sizeof *st->strings);
  if (!st->cells || !st->status || !st->strings) { dt_batch_store_close(st); return DT_ENOMEM; }
  for (uint64_t i = 0; i < n * (uint64_t)st->ncols; i++) st->cells[i] = dt_cell_none();
  st->n = n;
  return 0;
}

void dt_batch_store_close(dt_batch_store_t *st) {
  free(st->cells); free(st->status);
  if (st->strings)
    for (int c = 0; c < st->ncols; c++) {
      for (uint32_t i = 0; i < st->strings[c].n; i++) free(st->strings[c].s[i]);
      free(st->strings[c].s); free(st->strings[c].slot);
    }
  free(st->strings);
  for (int i = 0; i < st->nfirst; i++) free(st->first[i].msg);
  memset(st, 0, sizeof *st);
}

void dt_batch_store_row(dt_batch_store_t *st, const dt_batch_spec_t *s, uint64_t j,
                        int status, const char *err, const dt_cell_t *cells,
                        const char *const *strs) {
  st->status[j] = (uint8_t)status;
  if (status != DT_RUN_OK) {
    st->nerrors++;
    if (st->nfirst < DT_BATCH_FIRST_ERRORS) {
      dt_batch_error_t *e = &st->first[st->nfirst++];
      e->run = dt_batch_shard_index(s, j);
      e->status = status;
      e->msg = strdup(err ? err : "");
    }
  }
  for (int c = 0; c < st->ncols; c++) {
    dt_cell_t v = cells[c];
    if (dt_cell_type(v) == DT_CELL_STR) {
      uint32_t id = dt_intern(&st->strings[c], strs[c] ? strs[c] : "");
      v = id == UINT32_MAX ? dt_cell_none() : dt_cell_str(id);
    }
    st->cells[j * (uint64_t)st->ncols + (uint64_t)c] = v;
  }
}

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

enum { K_EMPTY, K_BOOL, K_NUM, K_CAT };
static int kind_of(unsigned types) {
  types &= ~(unsigned)DT_CELL_NONE;
  if (!types) return K_EMPTY;
  if (types == DT_CELL_BOOL) return K_BOOL;
  if (types == DT_CELL_NUM) return K_NUM;
  return K_CAT;
}
static const char *const kind_names[] = { "empty", "boolean", "number", "category" };

static void intern_free(dt_intern_t *t) {
  for (uint32_t i = 0; i < t->n; i++) free(t->s[i]);
  free(t->s); free(t->slot);
  memset(t, 0, sizeof *t);
}

/* The ok runs of one sweep point: n records of `w` cells, which the summary
 * reorders freely (each record moves whole, so a run's values stay together). */
typedef struct point { dt_cell_t *base; size_t w; uint64_t n; } point_t;

static dt_cell_t *cell_at(const point_t *pt, uint64_t i, int c) { return &pt->base[i * pt->w + (size_t)c]; }

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
    free(f); free(count);
    intern_free(&seen);
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
    for (int b = 0; b < DT_BATCH_BINS; b++) json_array_append_new(ca, json_integer((json_int_t)counts[b]));
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
        for (uint64_t i = g0; i < g1; i++) in += dt_cell_type(*cell_at(pt, i, q->c)) != DT_CELL_NONE;
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
      r[k] = cr[k].m >= 2 && cr[k].sxx > 0 && cr[k].syy > 0 ? cr[k].sxy / sqrt(cr[k].sxx * cr[k].syy) : NAN;
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
                            json_t *oc, json_t *rcj, json_t **outs, corr_t *cr, double *r, dt_cell_t *tmp) {
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
    for (int k = 0; k < ncr; k++) json_object_set_new(pr, s->outcomes[cr[k].c].name, num_json(r[k]));
    json_object_set_new(rcj, s->params[i].name, pr);
    pc++;
  }
}

json_t *dt_batch_summary(const dt_batch_spec_t *s, dt_batch_store_t *st) {
  json_t *o = json_object();
  json_object_set_new(o, "format", json_string(DT_BATCH_SUMMARY_FORMAT));
  json_object_set_new(o, "version", json_integer(DT_BATCH_SCHEMA));
  put_batch(o, s, 0);
  json_object_set_new(o, "shard", shard_json(s));
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
    json_object_set_new(e, "seed", seed_json(dt_rng_run_seed(s->seed, st->first[i].run)));
    json_object_set_new(e, "status", json_string(status_name(st->first[i].status)));
    json_object_set_new(e, "message", json_string(st->first[i].msg));
    json_array_append_new(fe, e);
  }
  json_object_set_new(er, "first", fe);
  json_object_set_new(o, "errors", er);

  /* Scratch the size of one run and of the columns, not of the batch. */
  size_t w = (size_t)st->ncols;
  dt_cell_t *tmp = malloc((w + 1) * sizeof *tmp);
  json_t **outs = calloc((size_t)s->noutcomes + 1, sizeof *outs);
  corr_t *cr = calloc((size_t)s->noutcomes + 1, sizeof *cr);
  double *r = calloc((size_t)s->noutcomes + 1, sizeof *r);
  if (!tmp || !outs || !cr || !r) { free(tmp); free(outs); free(cr); free(r); json_decref(o); return NULL; }
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
      if (&st->cells[j * w] != cell_at(&pt, pt.n, 0)) memcpy(cell_at(&pt, pt.n, 0), &st->cells[j * w], w * sizeof *tmp);
      pt.n++;
    }
    json_t *ptj = json_object(), *sw = json_object(), *oc = json_object(), *rcj = json_object();
    json_object_set_new(ptj, "point", json_integer((json_int_t)p));
    for (int d = 0; d < s->nsweep; d++)
      json_object_set_new(sw, s->sweep[d].name, sweep_value_json(s->sweep[d].values[dt_batch_point_value(s, p, d)]));
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

void dt_batch_summary_print(json_t *sum, FILE *out) {
  json_t *sc = json_object_get(sum, "scenario");
  json_t *er = json_object_get(sum, "errors");
  fprintf(out, "%s: %lld runs (seed %s", json_string_value(json_object_get(sc, "title")),
          (long long)json_integer_value(json_object_get(sum, "rows")),
          json_string_value(json_object_get(sum, "seed")));
  if (json_is_string(json_object_get(sum, "fork_at")))
    fprintf(out, ", forked at %s", json_string_value(json_object_get(sum, "fork_at")));
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
  json_array_foreach(pts, pi, pt) {
    json_t *sw = json_object_get(pt, "sweep");
    fputc('\n', out);
    if (json_object_size(sw)) {
      fprintf(out, "point %zu of %zu:", pi + 1, json_array_size(pts));
      const char *k; json_t *sv;
      json_object_foreach(sw, k, sv) {
        char *t = json_dumps(sv, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
        fprintf(out, " %s=%s", k, t ? t : "?");
        free(t);
      }
      fputc('\n', out);
    }
    fprintf(out, "  %lld runs, %lld ok, %lld failed\n", (long long)json_integer_value(json_object_get(pt, "runs")),
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
        if (n) fprintf(out, "p = %.3f  95%% CI [%.3f, %.3f]", jnum(o, "p"),
                       json_number_value(json_array_get(ci, 0)), json_number_value(json_array_get(ci, 1)));
        else fputs("no values", out);
      } else if (!strcmp(kind, "number")) {
        if (n) {
          fprintf(out, "mean %.4g  sd %.4g  min %.4g  p5 %.4g  median %.4g  p95 %.4g  max %.4g",
                  jnum(o, "mean"), jnum(o, "sd"), jnum(o, "min"), jnum(o, "p5"), jnum(o, "median"),
                  jnum(o, "p95"), jnum(o, "max"));
          json_t *ca = json_object_get(json_object_get(o, "histogram"), "counts");
          uint64_t counts[DT_BATCH_BINS] = { 0 };
          for (int b = 0; b < DT_BATCH_BINS; b++) counts[b] = (uint64_t)json_integer_value(json_array_get(ca, (size_t)b));
          char line[3 * DT_BATCH_BINS + 1];
          fprintf(out, "\n  %-*s  |%s|", w, "", dt_stats_sparkline(counts, DT_BATCH_BINS, line));
        } else fputs("no values", out);
      } else if (!strcmp(kind, "category")) {
        json_t *fa = json_object_get(o, "frequencies"), *f;
        size_t k;
        json_array_foreach(fa, k, f) {
          if (k == 8) { fprintf(out, "  (+%zu more)", json_array_size(fa) - 8); break; }
          fputs(k ? ", " : "", out);
          for (const char *c = json_string_value(json_object_get(f, "value")); *c; c++)
            if ((unsigned char)*c < 0x20) fprintf(out, "\\x%02x", (unsigned char)*c);
            else fputc(*c, out);
          fprintf(out, " %.1f%%", 100 * jnum(f, "share"));
        }
      } else fputs("no values", out);
      fprintf(out, "  (n = %lld", n);
      if (miss) fprintf(out, ", %lld missing", miss);
      fputs(")\n", out);
    }
    json_t *rc = json_object_get(pt, "rank_correlation");
    if (json_object_size(rc)) {
      /* A table: one row per outcome, one column per sampled param. */
      fprintf(out, "  rank correlation (Spearman) of sampled params with outcomes:\n  %-*s", w, "");
      const char *pn, *on; json_t *pr, *r;
      json_object_foreach(rc, pn, pr) fprintf(out, "  %6s", pn);
      fputc('\n', out);
      json_t *first = json_object_iter_value(json_object_iter(rc));
      json_object_foreach(first, on, r) {
        fprintf(out, "  %-*s", w, on);
        json_object_foreach(rc, pn, pr) {
          json_t *v = json_object_get(pr, on);
          int cw = (int)strlen(pn) < 6 ? 6 : (int)strlen(pn);
          if (json_is_number(v)) fprintf(out, "  %+*.2f", cw, json_number_value(v));
          else fprintf(out, "  %*s", cw, "n/a");
        }
        fputc('\n', out);
      }
    }
  }
}
