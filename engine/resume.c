/* resume.c: taking up a batch that was killed (`mc --resume`): reads back
 * the rows its runs file holds, in order, into the store, drops a torn last
 * row and truncates the file after the last whole one, so the runner can
 * append the rest and the result is the uninterrupted batch's, byte for byte.
 * The batch's description comes from the file `mc` writes beside the runs
 * file when it starts (runs.csv.partial.json) and removes when it finishes. */
#include "batch.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *dt_batch_partial_path(const char *csv) {
  size_t n = strlen(csv);
  char *p = malloc(n + 14);
  if (p) snprintf(p, n + 14, "%s.partial.json", csv);
  return p;
}

/* A field's value as the runs file wrote it: NA missing, TRUE/FALSE, a
 * number, else text (strs). */
static dt_cell_t decode(const char *t, const dt_csv_fld_t *f, int num_only, const char **str) {
  *str = NULL;
  if (!f->quoted && (f->len == 0 || !strcmp(t, "NA"))) return dt_cell_none();
  if (!f->quoted && !strcmp(t, "TRUE") && !num_only) return dt_cell_bool(1);
  if (!f->quoted && !strcmp(t, "FALSE") && !num_only) return dt_cell_bool(0);
  char *end;
  double x = strtod(t, &end);
  if (!f->quoted && *t && !*end) return dt_cell_num(x);
  if (num_only) return dt_cell_none();
  *str = t;
  return dt_cell_str(0);
}

/* What is wrong with row j (its fields in txt/fl), or NULL: its shape, run
 * index and seed, and cells that `mc` never writes (a status other than ok,
 * limit or error; an error message exactly when the run failed; outcomes NA
 * in a failed run; sampled params numbers). */
static const char *row_problem(const dt_batch_spec_t *s, uint64_t j, int nf, int ncols,
                               const dt_buf_t *txt, const dt_csv_fld_t *fl, char *why, size_t n) {
  if (nf != ncols) { snprintf(why, n, "%d fields, the header has %d", nf, ncols); return why; }
  uint64_t g, seed, want = dt_batch_shard_index(s, j);
  const char *gs = txt->p + fl[0].off, *ss = txt->p + fl[1].off;
  if (dt_runs_u64(gs, &g) || g != want) {
    snprintf(why, n, "run '%.20s' where run %llu belongs", gs, (unsigned long long)want);
    return why;
  }
  if (ss[0] != 's' || dt_runs_seed(ss, &seed) || seed != dt_rng_run_seed(s->seed, g)) {
    snprintf(why, n, "seed '%.24s', but the batch's master seed gives s%llu", ss,
             (unsigned long long)dt_rng_run_seed(s->seed, g));
    return why;
  }
  const char *stt = txt->p + fl[ncols - 2].off, *e = txt->p + fl[ncols - 1].off;
  int ok = !fl[ncols - 2].quoted && !strcmp(stt, "ok");
  int na = !fl[ncols - 1].quoted && !strcmp(e, "NA");
  if (!ok && (fl[ncols - 2].quoted || (strcmp(stt, "limit") && strcmp(stt, "error")))) {
    snprintf(why, n, "status '%.20s' is not ok, limit or error", stt);
    return why;
  }
  if (ok != na) {
    snprintf(why, n, "%s", ok ? "status ok with an error message" : "an error without a message");
    return why;
  }
  int pbase = 2 + dt_batch_has_points(s), obase = pbase + s->nparams;
  for (int c = 0; !ok && c < s->noutcomes; c++)
    if (fl[obase + c].quoted || strcmp(txt->p + fl[obase + c].off, "NA")) {
      snprintf(why, n, "outcome '%.40s' has a value, but the run failed", s->outcomes[c].name);
      return why;
    }
  for (int i = 0; i < s->nparams; i++) {
    const dt_csv_fld_t *f = &fl[pbase + i];
    const char *t = txt->p + f->off;
    if (s->params[i].sampled && (f->quoted || (strcmp(t, "NA") && !dt_runs_num_text(t)))) {
      snprintf(why, n, "param '%.40s' is '%.20s', not a number", s->params[i].name, t);
      return why;
    }
  }
  return NULL;
}

int dt_batch_resume_read(dt_batch_spec_t *s, dt_batch_store_t *st, const char *csv, uint64_t *done,
                         char *err, size_t errlen) {
  *done = 0;
  FILE *f = fopen(csv, "rb");
  if (!f) { snprintf(err, errlen, "cannot read the runs file '%s'", csv); return DT_EIO; }
  dt_buf_t head = { 0 }, raw = { 0 }, txt = { 0 };
  dt_batch_header(s, &head);
  int ncols = 2 + dt_batch_has_points(s) + s->nparams + s->noutcomes + 2, rc = 0;
  dt_csv_fld_t *fl = calloc((size_t)ncols + 2, sizeof *fl);
  dt_cell_t *cells = calloc((size_t)st->ncols + 1, sizeof *cells);
  const char **strs = calloc((size_t)st->ncols + 1, sizeof *strs);
  long keep = 0;
  if (!fl || !cells || !strs || head.oom) {
    rc = DT_ENOMEM;
    snprintf(err, errlen, "out of memory");
    goto done;
  }
  if (dt_csv_read_record(f, &raw) != 1 || raw.len != head.len || memcmp(raw.p, head.p, head.len)) {
    snprintf(err, errlen, "%s: the header line is not the one this batch writes", csv);
    rc = DT_EPARSE;
    goto done;
  }
  keep = (long)head.len;
  uint64_t count = dt_batch_shard_count(s), j = 0;
  int pbase = 2 + dt_batch_has_points(s), obase = pbase + s->nparams;
  while (j < count && dt_csv_read_record(f, &raw) == 1) {
    size_t pos = 0;
    if (raw.p[raw.len - 1] != '\n') break;                         /* torn: no end of line */
    char why[200];
    int nf = dt_csv_record(raw.p, raw.len, &pos, &txt, fl, ncols + 1);
    const char *bad = row_problem(s, j, nf, ncols, &txt, fl, why, sizeof why);
    if (bad) {
      /* A kill tears the last row only: a damaged row with rows after it was
       * edited, and taking the batch up after it would drop them silently. */
      if (dt_csv_read_record(f, &raw) != 1) break;
      snprintf(err, errlen, "%s: row %llu: %s, and rows follow it (edited?)", csv,
               (unsigned long long)j + 1, bad);
      rc = DT_EPARSE;
      goto done;
    }
    const char *stt = txt.p + fl[ncols - 2].off;
    int status = !strcmp(stt, "ok") ? DT_RUN_OK : !strcmp(stt, "limit") ? DT_RUN_LIMIT
                                                                          : DT_RUN_ERROR;
    int c = 0;
    for (; c < s->noutcomes; c++) {
      cells[c] = decode(txt.p + fl[obase + c].off, &fl[obase + c], 0, &strs[c]);
      if (status != DT_RUN_OK) cells[c] = dt_cell_none();
      else s->outcomes[c].types |= (unsigned)dt_cell_type(cells[c]);
    }
    for (int i = 0; i < s->nparams; i++)
      if (s->params[i].sampled) {
        cells[c] = decode(txt.p + fl[pbase + i].off, &fl[pbase + i], 1, &strs[c]);
        c++;
      }
    const char *e = txt.p + fl[ncols - 1].off;
    dt_batch_store_row(st, s, j, status, status == DT_RUN_OK ? NULL : e, cells, strs);
    keep += (long)raw.len;
    j++;
  }
  if (ferror(f)) {
    rc = DT_EIO;
    snprintf(err, errlen, "cannot read the runs file '%s'", csv);
    goto done;
  }
  *done = j;
done:
  fclose(f);
  if (!rc && truncate(csv, keep) != 0) {
    rc = DT_EIO;
    snprintf(err, errlen, "cannot truncate '%s'", csv);
  }
  free(fl); free(cells); free((void *)strs);
  dt_buf_free(&head); dt_buf_free(&raw); dt_buf_free(&txt);
  return rc;
}
