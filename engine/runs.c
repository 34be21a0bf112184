/* runs.c: the runs file, as written: 8-byte cells (NaN-boxed values), a
 * growable byte buffer, RFC 4180 fields and records, the shortest decimal that
 * reads back exactly, and the header line. What batch.c writes row by row and
 * merge.c reads back. Plain C on libc; no Lua, no JSON. */
#include "batch.h"
#include <errno.h>
#include <math.h>
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
  int quote = n == 0 || (n == 2 && s[0] == 'N' && s[1] == 'A'); /* "NA" text is not a missing NA */
  for (size_t i = 0; i < n && !quote; i++)
    if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') quote = 1;
  if (!quote) { dt_buf_put(b, s, n); return; }
  dt_buf_put(b, "\"", 1);
  size_t start = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '"') {
      dt_buf_put(b, s + start, i - start + 1);
      dt_buf_put(b, "\"", 1);
      start = i + 1;
    }
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

int dt_runs_num_text(const char *t) {
  char buf[32], *end;
  if (!*t) return 0;
  double v = strtod(t, &end);
  return !*end && !strcmp(dt_fmt_num(v, buf), t);
}

/* ---- reading records back ---------------------------------------------------------- */

int dt_csv_record(const char *p, size_t n, size_t *pos, dt_buf_t *txt, dt_csv_fld_t *f, int maxf) {
  size_t i = *pos;
  if (i >= n) return 0;
  txt->len = 0;
  int nf = 0;
  for (;;) {
    if (nf == maxf) return -1;
    dt_csv_fld_t *cur = &f[nf++];
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

int dt_csv_read_record(FILE *f, dt_buf_t *raw) {
  raw->len = 0;
  int quoted = 0, c;
  while ((c = getc_unlocked(f)) != EOF) {   /* one reader per FILE */
    char ch = (char)c;
    dt_buf_put(raw, &ch, 1);
    if (ch == '"') quoted = !quoted;
    else if (ch == '\n' && !quoted) break;
  }
  if (ferror(f) || raw->oom) return -1;
  return raw->len > 0;
}

/* ---- the header line ------------------------------------------------------------ */

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
  if (dt_batch_has_points(s)) dt_buf_puts(b, ",point");
  for (int i = 0; i < s->nparams; i++) {
    dt_buf_puts(b, ",");
    put_name(b, fixed_name(s->params[i].name) ? "param." : "", s->params[i].name);
  }
  for (int i = 0; i < s->noutcomes; i++) {
    int clash = fixed_name(s->outcomes[i].name);
    for (int k = 0; k < s->nparams && !clash; k++)
      clash = !strcmp(s->params[k].name, s->outcomes[i].name);
    dt_buf_puts(b, ",");
    put_name(b, clash ? "outcome." : "", s->outcomes[i].name);
  }
  dt_buf_puts(b, ",status,error\n");
}

/* ---- numbers in fields ---------------------------------------------------- */

int dt_runs_u64(const char *s, uint64_t *out) {
  if (!s || !*s || *s == '-') return -1;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end) return -1;
  *out = v;
  return 0;
}

int dt_runs_seed(const char *s, uint64_t *out) {
  if (s && s[0] == 's') s++;
  return dt_runs_u64(s, out);
}
