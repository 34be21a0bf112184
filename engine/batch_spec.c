/* batch_spec.c: the description of a batch (dt_batch_spec_t): sweep points,
 * shards, and the sidecar JSON (runs.csv.meta.json) that merge reads back. The
 * fields shared with the summary are written here once (dt_batch_put_json), so
 * the two files agree. Runs nothing. */
#include "batch.h"
#include "output.h"
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- the batch description ----------------------------------------------------- */

static void free_cols(dt_batch_col_t *c, int n) {
  for (int i = 0; i < n; i++) { free(c[i].name); free(c[i].doc); }
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
  for (int i = 0; i < s->ndesign; i++) free(s->design_name[i]);
  for (uint64_t i = 0; s->design_value && i < s->npoints * (uint64_t)s->ndesign; i++)
    free(s->design_value[i]);
  free(s->design_name); free(s->design_value);
  free_cols(s->params, s->nparams);
  free_cols(s->outcomes, s->noutcomes);
  memset(s, 0, sizeof *s);
}

int dt_batch_point_value(const dt_batch_spec_t *s, uint64_t p, int d) {
  for (int k = s->nsweep - 1; k > d; k--) p /= (uint64_t)s->sweep[k].nvalues;
  return (int)(p % (uint64_t)s->sweep[d].nvalues);
}

int dt_batch_has_points(const dt_batch_spec_t *s) { return s->nsweep > 0 || s->ndesign > 0; }

const char *dt_batch_design_value(const dt_batch_spec_t *s, uint64_t p, int d) {
  return s->design_value[p * (uint64_t)s->ndesign + (uint64_t)d];
}

int dt_batch_point_overrides(const dt_batch_spec_t *s, uint64_t p, dt_lrt_override_t *ov) {
  int n = 0;
  for (int i = 0; i < s->nov; i++) { ov[n].name = s->ov_name[i]; ov[n++].value = s->ov_value[i]; }
  for (int d = 0; d < s->nsweep; d++) {
    ov[n].name = s->sweep[d].name;
    ov[n++].value = s->sweep[d].values[dt_batch_point_value(s, p, d)];
  }
  for (int d = 0; d < s->ndesign; d++) {
    ov[n].name = s->design_name[d];
    ov[n++].value = dt_batch_design_value(s, p, d);
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

json_t *dt_batch_seed_json(uint64_t seed) {
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
void dt_batch_put_json(json_t *o, const dt_batch_spec_t *s, int with_columns) {
  json_object_set_new(o, "detente", json_string(DT_VERSION));
  json_t *sc = json_object();
  json_object_set_new(sc, "file", json_string(s->file));
  json_object_set_new(sc, "title", json_string(s->title ? s->title : ""));
  char crc[16];
  snprintf(crc, sizeof crc, "%08" PRIx32, s->crc);
  json_object_set_new(sc, "crc32", json_string(crc));
  json_object_set_new(sc, "bytes", json_integer((json_int_t)s->bytes));
  json_object_set_new(o, "scenario", sc);
  json_object_set_new(o, "seed", dt_batch_seed_json(s->seed));
  json_object_set_new(o, "runs_per_point", json_integer((json_int_t)s->runs_per_point));
  json_object_set_new(o, "points", json_integer((json_int_t)s->npoints));
  json_object_set_new(o, "runs", json_integer((json_int_t)s->total));
  json_object_set_new(o, "fork_at", s->fork_at ? json_string(s->fork_at) : json_null());
  /* Only for a Latin hypercube: other batches' files stay as they were. */
  if (s->lhs) json_object_set_new(o, "sample", json_string("lhs"));
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
    for (int k = 0; k < s->sweep[i].nvalues; k++)
      json_array_append_new(v, json_string(s->sweep[i].values[k]));
    json_object_set_new(e, "values", v);
    json_array_append_new(sw, e);
  }
  json_object_set_new(o, "sweep", sw);
  if (s->ndesign) {   /* only then: the files of other batches stay as they were */
    json_t *d = json_object(), *names = json_array();
    for (int i = 0; i < s->ndesign; i++)
      json_array_append_new(names, json_string(s->design_name[i]));
    json_object_set_new(d, "params", names);
    if (with_columns) {
      json_t *rows = json_array();
      for (uint64_t p = 0; p < s->npoints; p++) {
        json_t *r = json_array();
        for (int i = 0; i < s->ndesign; i++)
          json_array_append_new(r, json_string(dt_batch_design_value(s, p, i)));
        json_array_append_new(rows, r);
      }
      json_object_set_new(d, "rows", rows);
    }
    json_object_set_new(o, "design", d);
  }
  json_t *ps = json_array();
  for (int i = 0; i < s->nparams; i++) {
    json_t *e = json_object();
    json_object_set_new(e, "name", json_string(s->params[i].name));
    json_object_set_new(e, "sampled", json_boolean(s->params[i].sampled));
    if (s->params[i].doc) json_object_set_new(e, "doc", json_string(s->params[i].doc));
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

json_t *dt_batch_shard_json(const dt_batch_spec_t *s) {
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
  dt_batch_put_json(o, s, 1);
  json_object_set_new(o, "shard", dt_batch_shard_json(s));
  json_object_set_new(o, "rows", json_integer((json_int_t)s->rows));
  json_object_set_new(o, "errors", json_integer((json_int_t)s->errors));
  return dump(o);
}

int dt_batch_meta_write(const dt_batch_spec_t *s, const char *csv) {
  char *mp = dt_batch_meta_path(csv), *meta = dt_batch_meta_dump(s);
  FILE *f = mp && meta ? fopen(mp, "w") : NULL;
  int rc = 0;
  if (!f || fputs(meta, f) < 0) rc = DT_EIO;
  if (f && fclose(f) != 0) rc = DT_EIO;
  free(mp); free(meta);
  return rc;
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

static char *jstr_at(json_t *a, size_t i) {
  const char *v = json_string_value(json_array_get(a, i));
  return v ? strdup(v) : NULL;
}

static int juint(json_t *o, const char *k, uint64_t *out) {
  json_t *v = json_object_get(o, k);
  if (json_is_integer(v) && json_integer_value(v) >= 0) {
    *out = (uint64_t)json_integer_value(v);
    return 0;
  }
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
    (*out)[i].doc = json_is_string(json_object_get(v, "doc")) ? jstr(v, "doc") : NULL;
    (*out)[i].types = parse_types(json_object_get(v, "types"));
  }
  return 0;
}

/* The design of a sidecar: {"params": [names], "rows": [[values]]}. */
static int load_design(dt_batch_spec_t *s, json_t *d) {
  json_t *names = json_object_get(d, "params"), *rows = json_object_get(d, "rows");
  if (!json_is_array(names) || !json_is_array(rows) || !json_array_size(names)) return -1;
  size_t nd = json_array_size(names), nr = json_array_size(rows);
  if (nr != s->npoints) return -1;
  s->design_name = calloc(nd + 1, sizeof *s->design_name);
  s->design_value = calloc(nd * nr + 1, sizeof *s->design_value);
  if (!s->design_name || !s->design_value) return -1;
  s->ndesign = (int)nd;
  for (size_t i = 0; i < nd; i++)
    if (!(s->design_name[i] = jstr_at(names, i))) return -1;
  for (size_t r = 0; r < nr; r++) {
    json_t *row = json_array_get(rows, r);
    if (json_array_size(row) != nd) return -1;
    for (size_t i = 0; i < nd; i++)
      if (!(s->design_value[r * nd + i] = jstr_at(row, i))) return -1;
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
  if (!fmt || strcmp(fmt, DT_BATCH_META_FORMAT)) {
    snprintf(err, errlen, "not a detente runs sidecar (format '%s')", fmt ? fmt : "?");
    goto done;
  }
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
  const char *sample = json_string_value(json_object_get(o, "sample"));
  if (sample && strcmp(sample, "lhs")) goto done;
  s->lhs = sample != NULL;
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
  json_t *dj = json_object_get(o, "design");
  if (dj && load_design(s, dj)) goto done;
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
  if (s->ndesign && json_array_size(json_object_get(dj, "rows")) != s->npoints) goto done;
  rc = 0;
  err[0] = 0;
done:
  json_decref(o);
  if (rc) { dt_batch_spec_close(s); }
  return rc;
}

static int streq(const char *a, const char *b) { return (!a && !b) || (a && b && !strcmp(a, b)); }

const char *dt_batch_spec_differs(const dt_batch_spec_t *a, const dt_batch_spec_t *b) {
  if (!streq(a->file, b->file) || a->crc != b->crc || a->bytes != b->bytes)
    return "scenario file (name, size or CRC-32)";
  if (!streq(a->title, b->title)) return "scenario title";
  if (a->seed != b->seed) return "master seed";
  if (a->runs_per_point != b->runs_per_point) return "runs per point (--runs)";
  if (!streq(a->fork_at, b->fork_at)) return "fork date (--fork-at)";
  if (a->lhs != b->lhs) return "sampling (--sample)";
  if (a->nov != b->nov) return "-D overrides";
  for (int i = 0; i < a->nov; i++)
    if (!streq(a->ov_name[i], b->ov_name[i]) || !streq(a->ov_value[i], b->ov_value[i]))
      return "-D overrides";
  if (a->nsweep != b->nsweep) return "sweep (--sweep)";
  for (int i = 0; i < a->nsweep; i++) {
    if (!streq(a->sweep[i].name, b->sweep[i].name) || a->sweep[i].nvalues != b->sweep[i].nvalues)
      return "sweep (--sweep)";
    for (int k = 0; k < a->sweep[i].nvalues; k++)
      if (!streq(a->sweep[i].values[k], b->sweep[i].values[k])) return "sweep (--sweep)";
  }
  if (a->ndesign != b->ndesign) return "design (--design)";
  for (int i = 0; i < a->ndesign; i++)
    if (!streq(a->design_name[i], b->design_name[i])) return "design (--design)";
  for (uint64_t p = 0; a->ndesign && p < a->npoints && p < b->npoints; p++)
    for (int i = 0; i < a->ndesign; i++)
      if (!streq(dt_batch_design_value(a, p, i), dt_batch_design_value(b, p, i)))
        return "design (--design)";
  if (a->total != b->total) return "number of runs";
  if (a->nparams != b->nparams || a->noutcomes != b->noutcomes)
    return "columns (params and outcomes)";
  for (int i = 0; i < a->nparams; i++)
    if (!streq(a->params[i].name, b->params[i].name) ||
        a->params[i].sampled != b->params[i].sampled)
      return "params";
  for (int i = 0; i < a->noutcomes; i++)
    if (!streq(a->outcomes[i].name, b->outcomes[i].name)) return "outcomes";
  return NULL;
}

/* ---- designs (--design points.csv) ---------------------------------------------- */

#define DESIGN_MAX_POINTS 1000000

static int ident(const char *s) {
  if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '_'))
      return 0;
  return 1;
}

int dt_batch_design_load(dt_batch_spec_t *s, const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) { snprintf(err, errlen, "--design: cannot read '%s'", path); return DT_EIO; }
  dt_buf_t raw = { 0 }, txt = { 0 }, vals = { 0 };
  dt_csv_fld_t fl[257];
  int rc = DT_EINVAL, nf, ncols = 0;
  uint64_t rows = 0;
  size_t pos = 0;
  char **names = NULL;
  if (dt_csv_read_record(f, &raw) != 1 ||
      (nf = dt_csv_record(raw.p, raw.len, &pos, &txt, fl, 256)) < 1) {
    snprintf(err, errlen, "--design %s: no header line (param names, comma-separated)", path);
    goto done;
  }
  ncols = nf;
  names = calloc((size_t)ncols + 1, sizeof *names);
  if (!names) { rc = DT_ENOMEM; goto done; }
  for (int i = 0; i < ncols; i++) {
    names[i] = strdup(txt.p + fl[i].off);
    if (!names[i]) { rc = DT_ENOMEM; goto done; }
    if (!ident(names[i])) {
      snprintf(err, errlen, "--design %s: column %d, '%s', is not a param name", path, i + 1,
               names[i]);
      goto done;
    }
    for (int k = 0; k < i; k++)
      if (!strcmp(names[k], names[i])) {
        snprintf(err, errlen, "--design %s: param %s appears twice", path, names[i]);
        goto done;
      }
  }
  int r;
  while ((r = dt_csv_read_record(f, &raw)) == 1) {
    pos = 0;
    nf = dt_csv_record(raw.p, raw.len, &pos, &txt, fl, 256);
    if (nf == 1 && fl[0].len == 0 && !fl[0].quoted) continue;   /* a blank line */
    rows++;
    if (nf != ncols) {
      snprintf(err, errlen, "--design %s: row %llu has %d values, the header %d params", path,
               (unsigned long long)rows, nf < 0 ? 0 : nf, ncols);
      goto done;
    }
    if (rows > DESIGN_MAX_POINTS) {
      snprintf(err, errlen, "--design %s: more than %d rows", path, DESIGN_MAX_POINTS);
      goto done;
    }
    for (int i = 0; i < ncols; i++) {
      if (fl[i].len == 0) {
        snprintf(err, errlen, "--design %s: row %llu: no value for %s", path,
                 (unsigned long long)rows, names[i]);
        goto done;
      }
      char *v = strdup(txt.p + fl[i].off);
      if (!v) { rc = DT_ENOMEM; goto done; }
      dt_buf_put(&vals, (const char *)&v, sizeof v);
    }
  }
  if (r < 0) { snprintf(err, errlen, "--design: cannot read '%s'", path); rc = DT_EIO; goto done; }
  if (!rows) {
    snprintf(err, errlen, "--design %s: no rows (one row of values per point)", path);
    goto done;
  }
  if (vals.oom) { rc = DT_ENOMEM; goto done; }
  s->ndesign = ncols;
  s->design_name = names;
  s->design_value = (char **)(void *)vals.p;
  s->npoints = rows;
  names = NULL;
  vals.p = NULL;
  rc = 0;
done:
  if (rc == DT_ENOMEM) snprintf(err, errlen, "out of memory");
  for (int i = 0; names && i < ncols; i++) free(names[i]);
  free(names);
  for (size_t i = 0; vals.p && i < vals.len / sizeof(char *); i++)
    free(((char **)(void *)vals.p)[i]);
  dt_buf_free(&vals);
  dt_buf_free(&raw); dt_buf_free(&txt);
  fclose(f);
  return rc;
}
