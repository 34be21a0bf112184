/* db.c: a batch in SQLite: the runs file's rows, typed, in long format
 * (docs/formats.md), and the merge of shard databases (ATTACH, check, copy).
 * One connection, used by one thread at a time (the batch's writer). */
#include "db.h"
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS_PER_TRANSACTION 20000

struct dt_db {
  sqlite3 *h;
  sqlite3_stmt *run, *param, *outcome, *ser;
  int has_point, nparams, noutcomes;
  char **pname, **oname;        /* borrowed from nothing: copies */
  dt_buf_t txt;
  dt_csv_fld_t *f;
  int ncols;
  uint64_t pending;
};

static const char schema[] =
    "PRAGMA journal_mode = OFF;\n"
    "PRAGMA synchronous = OFF;\n"
    "CREATE TABLE batch (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    "CREATE TABLE runs (run INTEGER PRIMARY KEY, seed TEXT NOT NULL, point INTEGER NOT NULL,\n"
    "                   status TEXT NOT NULL, error TEXT);\n"
    "CREATE TABLE params (run INTEGER NOT NULL, name TEXT NOT NULL, value,\n"
    "                     PRIMARY KEY (run, name)) WITHOUT ROWID;\n"
    "CREATE TABLE outcomes (run INTEGER NOT NULL, name TEXT NOT NULL, value,\n"
    "                       PRIMARY KEY (run, name)) WITHOUT ROWID;\n"
    "CREATE TABLE series (run INTEGER NOT NULL, series TEXT NOT NULL, date TEXT NOT NULL, value "
    "REAL,\n"
    "                     PRIMARY KEY (run, series, date)) WITHOUT ROWID;\n";

static const char indexes[] =
  "CREATE INDEX runs_by_point ON runs (point, status);\n"
  "CREATE INDEX params_by_name ON params (name, value);\n"
  "CREATE INDEX outcomes_by_name ON outcomes (name, value);\n"
  "CREATE INDEX series_by_name ON series (series, date);\n";

static int say(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int say(char *err, size_t errlen, int rc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
  return rc;
}

static char *dup(const char *s) { return s ? strdup(s) : NULL; }

void dt_db_close(dt_db_t *db) {
  if (!db) return;
  sqlite3_finalize(db->run); sqlite3_finalize(db->param); sqlite3_finalize(db->outcome);
  sqlite3_finalize(db->ser);
  sqlite3_close(db->h);
  for (int i = 0; i < db->nparams; i++) free(db->pname[i]);
  for (int i = 0; i < db->noutcomes; i++) free(db->oname[i]);
  free(db->pname); free(db->oname); free(db->f);
  dt_buf_free(&db->txt);
  free(db);
}

int dt_db_create(dt_db_t **out, const char *path, const dt_batch_spec_t *s, char *err,
                 size_t errlen) {
  *out = NULL;
  if (remove(path) != 0 && errno != ENOENT)
    return say(err, errlen, DT_EIO, "cannot replace '%s'", path);
  dt_db_t *db = calloc(1, sizeof *db);
  if (!db) return say(err, errlen, DT_ENOMEM, "out of memory");
  db->has_point = dt_batch_has_points(s);
  db->nparams = s->nparams; db->noutcomes = s->noutcomes;
  db->ncols = 2 + db->has_point + s->nparams + s->noutcomes + 2;
  db->pname = calloc((size_t)s->nparams + 1, sizeof *db->pname);
  db->oname = calloc((size_t)s->noutcomes + 1, sizeof *db->oname);
  db->f = calloc((size_t)db->ncols + 2, sizeof *db->f);
  if (!db->pname || !db->oname || !db->f) {
    dt_db_close(db);
    return say(err, errlen, DT_ENOMEM, "out of memory");
  }
  for (int i = 0; i < s->nparams; i++) db->pname[i] = dup(s->params[i].name);
  for (int i = 0; i < s->noutcomes; i++) db->oname[i] = dup(s->outcomes[i].name);
  if (sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
          SQLITE_OK ||
      sqlite3_exec(db->h, schema, NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db->h, "INSERT INTO runs VALUES (?, ?, ?, ?, ?)", -1, &db->run, NULL) !=
          SQLITE_OK ||
      sqlite3_prepare_v2(db->h, "INSERT INTO params VALUES (?, ?, ?)", -1, &db->param, NULL) !=
          SQLITE_OK ||
      sqlite3_prepare_v2(db->h, "INSERT INTO outcomes VALUES (?, ?, ?)", -1, &db->outcome, NULL) !=
          SQLITE_OK ||
      sqlite3_prepare_v2(db->h, "INSERT INTO series VALUES (?, ?, ?, ?)", -1, &db->ser, NULL) !=
          SQLITE_OK ||
      sqlite3_exec(db->h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
    say(err, errlen, DT_EIO, "cannot create the database '%s': %s", path,
        db->h ? sqlite3_errmsg(db->h) : "out of memory");
    dt_db_close(db);
    return DT_EIO;
  }
  *out = db;
  return 0;
}

/* Binds a field of the runs file as SQLite reads it best: NA (unquoted) as
 * NULL, TRUE/FALSE as 1/0, a number as a REAL (Inf as Inf, NaN as NULL),
 * anything else as TEXT. */
static void bind_field(sqlite3_stmt *st, int i, const char *t, const dt_csv_fld_t *f) {
  if (!f->quoted && (f->len == 0 || !strcmp(t, "NA"))) { sqlite3_bind_null(st, i); return; }
  if (!f->quoted && !strcmp(t, "TRUE")) { sqlite3_bind_int(st, i, 1); return; }
  if (!f->quoted && !strcmp(t, "FALSE")) { sqlite3_bind_int(st, i, 0); return; }
  if (!f->quoted && *t) {
    char *end;
    double x = strtod(t, &end);
    if (!*end) {
      if (isnan(x)) sqlite3_bind_null(st, i);
      else sqlite3_bind_double(st, i, x);
      return;
    }
  }
  sqlite3_bind_text(st, i, t, (int)f->len, SQLITE_TRANSIENT);
}

static int step(sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? 0 : DT_EIO;
}

static int put_named(dt_db_t *db, sqlite3_stmt *st, sqlite3_int64 run, const char *name, int col) {
  const dt_csv_fld_t *f = &db->f[col];
  sqlite3_bind_int64(st, 1, run);
  sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
  bind_field(st, 3, db->txt.p + f->off, f);
  return step(st);
}

int dt_db_row(dt_db_t *db, const char *row, size_t len) {
  size_t pos = 0;
  int nf = dt_csv_record(row, len, &pos, &db->txt, db->f, db->ncols + 1);
  if (nf != db->ncols) return DT_EPARSE;
  const char *t = db->txt.p;
  sqlite3_int64 run = (sqlite3_int64)strtoull(t + db->f[0].off, NULL, 10);
  const char *seed = t + db->f[1].off;
  if (*seed == 's') seed++;
  int c = 2, rc = 0;
  sqlite3_bind_int64(db->run, 1, run);
  sqlite3_bind_text(db->run, 2, seed, -1, SQLITE_STATIC);
  sqlite3_bind_int64(db->run, 3,
                     db->has_point ? (sqlite3_int64)strtoull(t + db->f[c++].off, NULL, 10) : 0);
  int pc = c, oc = c + db->nparams, sc = oc + db->noutcomes;
  sqlite3_bind_text(db->run, 4, t + db->f[sc].off, -1, SQLITE_STATIC);
  bind_field(db->run, 5, t + db->f[sc + 1].off, &db->f[sc + 1]);
  rc |= step(db->run);
  for (int i = 0; i < db->nparams && !rc; i++)
    rc |= put_named(db, db->param, run, db->pname[i], pc + i);
  for (int i = 0; i < db->noutcomes && !rc; i++)
    rc |= put_named(db, db->outcome, run, db->oname[i], oc + i);
  if (!rc && ++db->pending >= ROWS_PER_TRANSACTION) {
    db->pending = 0;
    if (sqlite3_exec(db->h, "COMMIT; BEGIN", NULL, NULL, NULL) != SQLITE_OK) rc = DT_EIO;
  }
  return rc ? DT_EIO : 0;
}

int dt_db_series(dt_db_t *db, const char *rows, size_t len) {
  size_t pos = 0;
  int rc = 0, nf;
  dt_csv_fld_t f[5];
  while (!rc && (nf = dt_csv_record(rows, len, &pos, &db->txt, f, 5)) != 0) {
    if (nf != 4) return DT_EPARSE;
    const char *t = db->txt.p;
    sqlite3_bind_int64(db->ser, 1, (sqlite3_int64)strtoull(t + f[0].off, NULL, 10));
    sqlite3_bind_text(db->ser, 2, t + f[2].off, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(db->ser, 3, t + f[1].off, -1, SQLITE_TRANSIENT);
    bind_field(db->ser, 4, t + f[3].off, &f[3]);
    rc = step(db->ser);
    while (pos < len && (rows[pos] == '\n' || rows[pos] == '\r')) pos++;
  }
  return rc ? DT_EIO : 0;
}

static int put_meta(sqlite3 *h, const dt_batch_spec_t *s) {
  char *meta = dt_batch_meta_dump(s);
  sqlite3_stmt *st = NULL;
  int rc = DT_EIO;
  char ver[16];
  snprintf(ver, sizeof ver, "%d", DT_DB_SCHEMA);
  if (meta && sqlite3_prepare_v2(h, "INSERT OR REPLACE INTO batch VALUES (?, ?)", -1, &st, NULL) ==
                  SQLITE_OK) {
    sqlite3_bind_text(st, 1, "format", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, DT_DB_FORMAT, -1, SQLITE_STATIC);
    rc = step(st);
    sqlite3_bind_text(st, 1, "version", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ver, -1, SQLITE_STATIC);
    rc |= step(st);
    sqlite3_bind_text(st, 1, "meta", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, meta, -1, SQLITE_STATIC);
    rc |= step(st);
  }
  sqlite3_finalize(st);
  free(meta);
  return rc ? DT_EIO : 0;
}

int dt_db_finish(dt_db_t *db, const dt_batch_spec_t *s, char *err, size_t errlen) {
  if (!db) return 0;
  int rc = put_meta(db->h, s);
  if (!rc && (sqlite3_exec(db->h, indexes, NULL, NULL, NULL) != SQLITE_OK ||
              sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK))
    rc = DT_EIO;
  if (rc) say(err, errlen, rc, "writing the database failed: %s", sqlite3_errmsg(db->h));
  dt_db_close(db);
  return rc;
}

int dt_db_is_db(const char *path) {
  FILE *f = fopen(path, "rb");
  char magic[16] = { 0 };
  int is = f && fread(magic, 1, sizeof magic, f) == sizeof magic &&
           !memcmp(magic, "SQLite format 3", 16);
  if (f) fclose(f);
  return is;
}

/* ---- merging shard databases -------------------------------------------------------- */

/* The sidecar JSON of a finished database, or NULL (malloc'd). */
static char *read_meta(sqlite3 *h, const char *schema_name) {
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT value FROM %s.batch WHERE key = 'meta'", schema_name);
  sqlite3_stmt *st = NULL;
  char *meta = NULL;
  if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    meta = dup((const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return meta;
}

static sqlite3_int64 one_int(sqlite3 *h, const char *sql) {
  sqlite3_stmt *st = NULL;
  sqlite3_int64 v = -1;
  if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

static int exec(sqlite3 *h, const char *sql) {
  return sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : DT_EIO;
}

/* Copies shard k (attached as "s") into the output; checks it holds the rows
 * its sidecar says and none already there. */
static int copy_shard(sqlite3 *h, const char *path, const dt_batch_spec_t *x, char *err,
                      size_t errlen) {
  sqlite3_int64 rows = one_int(h, "SELECT count(*) FROM s.runs");
  if (rows < 0 || (uint64_t)rows != x->rows)
    return say(err, errlen, DT_EPARSE, "%s has %lld runs but its batch record says %llu", path,
               (long long)rows, (unsigned long long)x->rows);
  sqlite3_int64 dup_run =
      one_int(h, "SELECT min(run) FROM s.runs WHERE run IN (SELECT run FROM main.runs)");
  if (dup_run >= 0 &&
      one_int(h, "SELECT count(*) FROM s.runs WHERE run IN (SELECT run FROM main.runs)") > 0)
    return say(err, errlen, DT_EPARSE,
               "run %lld appears twice: %s holds it and an earlier database too",
               (long long)dup_run, path);
  if (exec(h, "INSERT INTO main.runs SELECT * FROM s.runs") ||
      exec(h, "INSERT INTO main.params SELECT * FROM s.params") ||
      exec(h, "INSERT INTO main.outcomes SELECT * FROM s.outcomes") ||
      exec(h, "INSERT INTO main.series SELECT * FROM s.series"))
    return say(err, errlen, DT_EIO, "copying %s failed: %s", path, sqlite3_errmsg(h));
  return 0;
}

int dt_db_merge(const char *const *paths, int n, const char *out, char *err, size_t errlen) {
  dt_batch_spec_t first = { 0 }, x;
  dt_db_t *db = NULL;
  int rc = 0;
  for (int k = 0; k < n && !rc; k++) {
    sqlite3 *h = NULL;
    char *meta = NULL;
    if (sqlite3_open_v2(paths[k], &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) rc = DT_EIO;
    else meta = read_meta(h, "main");
    sqlite3_close(h);
    if (rc) { say(err, errlen, rc, "cannot read the database '%s'", paths[k]); break; }
    if (!meta) {
      rc = say(err, errlen, DT_EPARSE,
               "%s holds no finished batch (its batch was stopped or killed)", paths[k]);
      break;
    }
    char e[512];
    rc = dt_batch_meta_load(&x, meta, e, sizeof e);
    free(meta);
    if (rc) { rc = say(err, errlen, DT_EPARSE, "%s: %s", paths[k], e); break; }
    const char *d = k ? dt_batch_spec_differs(&first, &x) : NULL;
    if (d)
      rc = say(err, errlen, DT_EPARSE, "%s and %s are not shards of one batch: the %s differs",
               paths[0], paths[k], d);
    if (k == 0) first = x;
    else {
      for (int c = 0; c < first.noutcomes && !rc; c++)
        first.outcomes[c].types |= x.outcomes[c].types;
      first.errors += x.errors;
      dt_batch_spec_close(&x);
    }
  }
  if (!rc) rc = dt_db_create(&db, out, &first, err, errlen);
  if (!rc && !db) rc = say(err, errlen, DT_ENOMEM, "out of memory");
  for (int k = 0; db && k < n && !rc; k++) {
    dt_batch_spec_t y;
    char e[512];
    sqlite3_stmt *st = NULL;
    if (exec(db->h, "COMMIT") ||
        sqlite3_prepare_v2(db->h, "ATTACH ? AS s", -1, &st, NULL) != SQLITE_OK) {
      rc = say(err, errlen, DT_EIO, "merging failed: %s", sqlite3_errmsg(db->h));
      break;
    }
    sqlite3_bind_text(st, 1, paths[k], -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : DT_EIO;
    sqlite3_finalize(st);
    if (!rc) rc = exec(db->h, "BEGIN");
    if (rc) {
      say(err, errlen, rc, "cannot attach '%s': %s", paths[k], sqlite3_errmsg(db->h));
      break;
    }
    char *meta = read_meta(db->h, "s");
    if (meta && dt_batch_meta_load(&y, meta, e, sizeof e) == 0) {
      rc = copy_shard(db->h, paths[k], &y, err, errlen);
      dt_batch_spec_close(&y);
    } else rc = say(err, errlen, DT_EPARSE, "%s changed while merging", paths[k]);
    free(meta);
    if (exec(db->h, "COMMIT") || exec(db->h, "DETACH s") || exec(db->h, "BEGIN")) {
      if (!rc)
        rc = say(err, errlen, DT_EIO, "merging '%s' failed: %s", paths[k], sqlite3_errmsg(db->h));
    }
  }
  if (!rc && db) {
    sqlite3_int64 have = one_int(db->h, "SELECT count(*) FROM runs");
    if (have < 0 || (uint64_t)have != first.total) {
      sqlite3_int64 gap = one_int(
          db->h, "SELECT min(r.run + 1) FROM runs r WHERE r.run + 1 NOT IN (SELECT run FROM runs)");
      if (one_int(db->h, "SELECT count(*) FROM runs WHERE run = 0") == 0) gap = 0;
      rc = say(err, errlen, DT_EPARSE, "%llu of %llu runs are missing: the first is run %lld",
               (unsigned long long)(first.total - (uint64_t)(have < 0 ? 0 : have)),
               (unsigned long long)first.total, (long long)gap);
    }
  }
  if (!rc) {
    first.shard_k = first.shard_n = 0;
    first.rows = first.total;
    rc = dt_db_finish(db, &first, err, errlen);
    db = NULL;
  }
  dt_db_close(db);
  if (rc && out) remove(out);
  dt_batch_spec_close(&first);
  return rc;
}
