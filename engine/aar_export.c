/* aar_export.c: `detente replay J --export DIR`: the after-action model
 * (aar.c) as files for analysis: one JSON Lines file and one CSV file per
 * table of the model (events, decisions, moves, messages, injects, white_cell)
 * and seat_events.csv, which event each seat could see. Owns nothing beyond
 * the files it writes. */
#include "aar.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* One CSV field: bare when it can be, else quoted with quotes doubled (RFC 4180). */
static void csv_field(FILE *f, const char *s) {
  if (!strpbrk(s, ",\"\r\n")) { fputs(s, f); return; }
  fputc('"', f);
  for (; *s; s++) { if (*s == '"') fputc('"', f); fputc(*s, f); }
  fputc('"', f);
}

/* A value as a CSV cell: strings as they are, null empty, the rest as JSON. */
static void csv_value(FILE *f, json_t *v) {
  if (!v || json_is_null(v)) return;
  if (json_is_string(v)) { csv_field(f, json_string_value(v)); return; }
  char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
  if (t) csv_field(f, t);
  free(t);
}

static FILE *open_in(const char *dir, const char *name, const char *ext, char *path, size_t n) {
  snprintf(path, n, "%s/%s.%s", dir, name, ext);
  return fopen(path, "w");
}

/* table.jsonl and table.csv; the CSV's columns are every key, in the order
 * they first appear. 0 or -1. */
static int write_table(const char *dir, const char *name, json_t *rows) {
  char path[4096];
  FILE *j = open_in(dir, name, "jsonl", path, sizeof path);
  if (!j) return -1;
  json_t *cols = json_array();
  size_t i; json_t *r;
  json_array_foreach(rows, i, r) {
    char *t = json_dumps(r, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (t) { fputs(t, j); fputc('\n', j); }
    free(t);
    const char *k; json_t *v;
    json_object_foreach(r, k, v) {
      size_t q; json_t *c; int have = 0;
      json_array_foreach(cols, q, c) if (!strcmp(json_string_value(c), k)) have = 1;
      if (!have) json_array_append_new(cols, json_string(k));
    }
  }
  int bad = fclose(j) != 0;
  FILE *c = open_in(dir, name, "csv", path, sizeof path);
  if (!c) { json_decref(cols); return -1; }
  size_t q; json_t *col;
  json_array_foreach(cols, q, col) { if (q) fputc(',', c); csv_field(c, json_string_value(col)); }
  fputc('\n', c);
  json_array_foreach(rows, i, r) {
    json_array_foreach(cols, q, col) {
      if (q) fputc(',', c);
      csv_value(c, json_object_get(r, json_string_value(col)));
    }
    fputc('\n', c);
  }
  json_decref(cols);
  bad |= fclose(c) != 0;
  return bad ? -1 : 0;
}

static const char *str(json_t *o, const char *key) {
  const char *v = json_string_value(json_object_get(o, key));
  return v ? v : "";
}

/* Whether event e is one the seat `id` could see: public, or among its parties. */
static int seen_by(json_t *e, const char *id) {
  if (!strcmp(str(e, "vis"), "public")) return 1;
  size_t p; json_t *v;
  json_array_foreach(json_object_get(e, "parties"), p, v)
    if (json_is_string(v) && !strcmp(json_string_value(v), id)) return 1;
  return 0;
}

/* seat_events.csv: seat, seq, kind for every event a seat could see. */
static int write_seat_events(const char *dir, json_t *model) {
  char path[4096];
  FILE *f = open_in(dir, "seat_events", "csv", path, sizeof path);
  if (!f) return -1;
  fputs("seat,seq,kind\n", f);
  size_t i, k; json_t *s, *e;
  json_array_foreach(json_object_get(model, "seats"), i, s) {
    const char *id = json_is_string(s) ? json_string_value(s) : str(s, "id");
    if (!*id) continue;
    json_array_foreach(json_object_get(model, "events"), k, e) {
      if (!seen_by(e, id)) continue;
      csv_field(f, id);
      fprintf(f, ",%lld,", (long long)json_integer_value(json_object_get(e, "seq")));
      csv_field(f, str(e, "kind"));
      fputc('\n', f);
    }
  }
  return fclose(f) != 0 ? -1 : 0;
}

int dt_aar_export(const json_t *model, const char *dir) {
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) return -1;
  static const char *const tables[] = { "events", "decisions", "moves", "messages", "injects",
                                        "white_cell", NULL };
  json_t *m = (json_t *)model;
  for (int i = 0; tables[i]; i++) {
    json_t *rows = json_object_get(m, tables[i]);
    if (!json_is_array(rows)) rows = NULL;
    json_t *empty = rows ? NULL : json_array();
    int rc = write_table(dir, tables[i], rows ? rows : empty);
    json_decref(empty);
    if (rc < 0) return -1;
  }
  return write_seat_events(dir, m);
}
