/* store.c: the values a batch keeps for its summary (dt_batch_store_t): one
 * cell per outcome and sampled param per run, a status byte per run, the first
 * errors, and the interned strings of the string cells (one open-addressing
 * table per column, FNV-1a hashed). Filled by batch.c and merge.c. */
#include "batch.h"
#include <stdlib.h>
#include <string.h>

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

void dt_intern_free(dt_intern_t *t) {
  for (uint32_t i = 0; i < t->n; i++) free(t->s[i]);
  free(t->s); free(t->slot);
  memset(t, 0, sizeof *t);
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
    for (int c = 0; c < st->ncols; c++) dt_intern_free(&st->strings[c]);
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
