/* batch.h: Monte Carlo batches, shared by `detente mc` and `detente merge`.
 *
 * A batch is described by a dt_batch_spec_t (scenario identity, master seed,
 * runs per sweep point, sweep grid, -D overrides, fork date, columns): it is
 * what the runs file's sidecar (runs.csv.meta.json) holds, and what merge
 * checks shards against. The values kept for the summary live in a
 * dt_batch_store_t: one 8-byte cell per outcome (and per sampled param) per
 * run, strings as small interned ids, one status byte per run.
 *
 * Run indexing (docs/batch.md): a batch of P sweep points and N runs per point
 * has P * N runs; run g belongs to point g / N, its seed is
 * dt_rng_run_seed(master, g), and shard K/M holds the runs with g % M == K-1.
 *
 * Ownership: a spec and a store own every string and array reachable from
 * them and free them in _close; everything passed in is borrowed (copied when
 * kept). The Lua-free half: runs.c (cells, CSV, the header line), batch_spec.c
 * (the spec and its sidecar), store.c (the kept values, interned strings),
 * summary.c (the summary), merge.c (joining shards). The runner: batch.c
 * (workers, each with its own runtime). */
#ifndef DT_BATCH_H
#define DT_BATCH_H

#include <stdint.h>
#include <stdio.h>
#include <stddef.h>
#include "lrt.h"

#define DT_BATCH_META_FORMAT "detente-runs-meta"
#define DT_BATCH_SUMMARY_FORMAT "detente-mc-summary"
#define DT_BATCH_SCHEMA 2
#define DT_BATCH_FIRST_ERRORS 5
#define DT_BATCH_BINS 16

/* ---- cells: one value in 8 bytes (NaN-boxed) ---------------------------- */
typedef uint64_t dt_cell_t;
enum { DT_CELL_NONE = 1, DT_CELL_BOOL = 2, DT_CELL_NUM = 4, DT_CELL_STR = 8 };
dt_cell_t dt_cell_none(void);
dt_cell_t dt_cell_bool(int b);
dt_cell_t dt_cell_num(double x);
dt_cell_t dt_cell_str(uint32_t id);
int dt_cell_type(dt_cell_t c);          /* one of DT_CELL_* */
double dt_cell_getnum(dt_cell_t c);     /* numbers and booleans (0/1) */
uint32_t dt_cell_getid(dt_cell_t c);

/* ---- a growable byte buffer ------------------------------------------------- */
typedef struct dt_buf { char *p; size_t len, cap; int oom; } dt_buf_t;   /* owns p */
void dt_buf_put(dt_buf_t *b, const char *s, size_t n);
void dt_buf_puts(dt_buf_t *b, const char *s);
void dt_buf_free(dt_buf_t *b);
/* Appends s as one RFC 4180 field: quoted when it holds a comma, a quote, CR
 * or LF, or is empty (so an empty string differs from a missing value). */
void dt_csv_field(dt_buf_t *b, const char *s, size_t n);
/* The shortest decimal that reads back as exactly x ("NaN", "Inf", "-Inf"
 * for the others). buf needs 32 bytes. */
const char *dt_fmt_num(double x, char *buf);
/* Whether t is a number as dt_fmt_num writes it: "1e999", "nan", "0x10" or
 * " 5" are not (merge and resume refuse a runs file with such a cell). */
int dt_runs_num_text(const char *t);
/* One RFC 4180 record at *pos of p[0..n): the unescaped text of each field
 * goes to txt (each NUL-terminated), its place to f. Returns the number of
 * fields, 0 at the end of the data, -1 when malformed or more than maxf. */
typedef struct dt_csv_fld { size_t off, len; int quoted; } dt_csv_fld_t;
int dt_csv_record(const char *p, size_t n, size_t *pos, dt_buf_t *txt, dt_csv_fld_t *f, int maxf);
/* Reads one whole record (through its end of line; a quoted field may span
 * lines) from f into raw, replacing what raw held. Returns 1, 0 at the end of
 * the file, -1 on a read error or out of memory. */
int dt_csv_read_record(FILE *f, dt_buf_t *raw);
/* A run index field (a whole number) and a seed field (the same, or the runs
 * file's form of it: "s" then the number): 0 with *out set, or -1. */
int dt_runs_u64(const char *s, uint64_t *out);
int dt_runs_seed(const char *s, uint64_t *out);

/* ---- the batch description ---------------------------------------------------- */
typedef struct dt_sweep { char *name; int nvalues; char **values; } dt_sweep_t;
/* A column: a param (sampled: varies from run to run within a point; lo, hi
 * its range, NaN when it has none; dflt its number in the first probed run;
 * doc what the scenario says of it: its meaning and sources)
 * or an outcome (types). */
typedef struct dt_batch_col {
  char *name;
  char *doc;                     /* params: the scenario's doc string, or NULL */
  int sampled;
  int whole;                     /* params: takes whole numbers only (dt_lrt_named_t) */
  unsigned types;
  double lo, hi, dflt;
} dt_batch_col_t;

typedef struct dt_batch_spec {
  char *file, *title;            /* scenario basename and title */
  uint32_t crc; uint64_t bytes;  /* CRC-32 and size of the scenario file */
  uint64_t seed, runs_per_point, npoints, total;
  char *fork_at;                 /* "YYYY-MM-DD" or NULL */
  int lhs;                       /* --sample lhs: a Latin hypercube of N strata per point */
  int nov; char **ov_name, **ov_value;
  int nsweep; dt_sweep_t *sweep;
  /* Or a design: npoints rows of values of ndesign params (--design), row-major. */
  int ndesign; char **design_name; char **design_value;
  int nparams; dt_batch_col_t *params;     /* types unused */
  int noutcomes; dt_batch_col_t *outcomes; /* types: DT_CELL_* seen, or'ed */
  int shard_k, shard_n;          /* 0/0: the whole batch */
  uint64_t rows, errors;         /* rows in this file, error rows among them */
} dt_batch_spec_t;

void dt_batch_spec_close(dt_batch_spec_t *s);
/* Reads a design (--design): a CSV file with a header of param names and one
 * row of values per point, into s->ndesign, design_* and npoints. Returns 0,
 * or DT_EIO / DT_EINVAL (malformed: what and where in err). */
int dt_batch_design_load(dt_batch_spec_t *s, const char *path, char *err, size_t errlen);
/* Whether the runs file has a point column: a sweep or a design. */
int dt_batch_has_points(const dt_batch_spec_t *s);
/* The value of design param d at point p. */
const char *dt_batch_design_value(const dt_batch_spec_t *s, uint64_t p, int d);
/* The override list of sweep point p: the -D overrides, then one per swept
 * or design param. ov needs nov + nsweep + ndesign entries; strings are
 * borrowed from the spec. */
int dt_batch_point_overrides(const dt_batch_spec_t *s, uint64_t p, dt_lrt_override_t *ov);
/* Index of the sweep value of sweep dimension d at point p (first dimension
 * outermost, the last varies fastest). */
int dt_batch_point_value(const dt_batch_spec_t *s, uint64_t p, int d);
/* The runs of shard K/M: first global index and count; 0/0 means all. */
uint64_t dt_batch_shard_count(const dt_batch_spec_t *s);
uint64_t dt_batch_shard_index(const dt_batch_spec_t *s, uint64_t j);
/* The CSV header line, with its newline. */
void dt_batch_header(const dt_batch_spec_t *s, dt_buf_t *b);
/* Sidecar JSON text (malloc'd, ends with a newline), and its reverse:
 * returns 0 or writes a message into err. */
char *dt_batch_meta_dump(const dt_batch_spec_t *s);
int dt_batch_meta_load(dt_batch_spec_t *s, const char *text, char *err, size_t errlen);
/* The path of the sidecar of a runs file (malloc'd). */
char *dt_batch_meta_path(const char *csv);
/* Writes the sidecar of the runs file csv: 0 or DT_EIO. */
int dt_batch_meta_write(const dt_batch_spec_t *s, const char *csv);
/* Names the first setting where b differs from a (as shards of one batch
 * must not), or returns NULL. */
const char *dt_batch_spec_differs(const dt_batch_spec_t *a, const dt_batch_spec_t *b);
/* The JSON shared by the sidecar and the summary (summary.c uses them). */
struct json_t;
struct json_t *dt_batch_seed_json(uint64_t seed);
void dt_batch_put_json(struct json_t *o, const dt_batch_spec_t *s, int with_columns);
struct json_t *dt_batch_shard_json(const dt_batch_spec_t *s);

/* ---- the values kept for the summary ------------------------------------------ */
typedef struct dt_intern { char **s; uint32_t n, cap; uint32_t *slot; uint32_t nslot; } dt_intern_t;
typedef struct dt_batch_error { uint64_t run; int status; char *msg; } dt_batch_error_t;
enum { DT_RUN_OK = 0, DT_RUN_ERROR = 1, DT_RUN_LIMIT = 2 };

typedef struct dt_batch_store {
  uint64_t n;                    /* rows kept, in shard order */
  int ncols;                     /* outcomes, then sampled params */
  dt_cell_t *cells;              /* n * ncols, row-major */
  uint8_t *status;               /* n */
  dt_intern_t *strings;          /* one table per column */
  dt_batch_error_t first[DT_BATCH_FIRST_ERRORS]; int nfirst;
  uint64_t nerrors;
} dt_batch_store_t;

int dt_batch_store_init(dt_batch_store_t *st, const dt_batch_spec_t *s, uint64_t n);
void dt_batch_store_close(dt_batch_store_t *st);
uint32_t dt_intern(dt_intern_t *t, const char *s);   /* UINT32_MAX when out of memory */
void dt_intern_free(dt_intern_t *t);
/* Records row j (status, first line of the error) and takes its cells in
 * column order; string cells are given as text in strs[c] (borrowed). */
void dt_batch_store_row(dt_batch_store_t *st, const dt_batch_spec_t *s, uint64_t j,
                        int status, const char *err, const dt_cell_t *cells,
                        const char *const *strs);

/* The summary as JSON (docs/formats.md) and as text for a terminal.
 * dt_batch_summary consumes the kept values: it sorts each sweep point's
 * rows in place (a run's cells move together) and turns values into ranks,
 * so it needs no memory that grows with the number of runs. Call it once,
 * then close the store (its status bytes and counts stay valid). */
struct json_t *dt_batch_summary(const dt_batch_spec_t *s, dt_batch_store_t *st);
int dt_batch_summary_write(struct json_t *sum, const char *path);
void dt_batch_summary_print(struct json_t *sum, FILE *out);

/* ---- merging shards (merge.c) -------------------------------------------------- */
/* Joins the runs files paths[0..n) (each with its sidecar) of one sharded
 * batch: checks that they describe one batch and hold every run exactly once,
 * writes the rows in run order to out and to the database db (each unless
 * NULL), and fills *merged (the
 * whole batch, unsharded) and *st for its sidecar and summary. Streams: reads
 * each file twice, a record at a time, so memory does not grow with the
 * files, only with the store. Returns 0, or with a message in err: DT_EIO (a
 * file cannot be read or written), DT_EPARSE (the shards do not fit together:
 * a gap, a duplicate, a mismatch, a damaged file), DT_ENOMEM. On failure
 * *merged and *st hold nothing. */
int dt_merge(const char *const *paths, int n, const char *out, const char *db,
             dt_batch_spec_t *merged, dt_batch_store_t *st, char *err, size_t errlen);

/* ---- series (series.c) ------------------------------------------------------------ */
/* Reads a series file (run,date,name,value; docs/formats.md) and returns the
 * quantile bands per series and date as the summary's "series" array, or NULL
 * with a message in err. */
struct json_t *dt_series_summary(const char *path, char *err, size_t errlen);
/* A small text fan chart of each series of that array. */
void dt_series_print(struct json_t *series, FILE *out);
/* Merges the series files of a batch's shards into out, in run order (each
 * run's rows keep their order), as the unsharded batch writes it. 0, or
 * DT_EIO / DT_EPARSE / DT_ENOMEM with a message in err. */
int dt_series_merge(const char *const *in, int n, const char *out, char *err, size_t errlen);

/* ---- resuming a killed batch (resume.c) ------------------------------------------ */
/* The file `mc --out runs.csv` writes when it starts and removes when it has
 * finished: the batch's description, for --resume (malloc'd path). */
char *dt_batch_partial_path(const char *csv);
/* Reads the whole rows of the runs file csv (written by the batch s) into
 * st, in order, stopping at the first torn or damaged one; truncates the file
 * after the last whole row and sets *done to how many there are. Returns 0,
 * DT_EIO, DT_EPARSE (not this batch's runs file) or DT_ENOMEM. */
int dt_batch_resume_read(dt_batch_spec_t *s, dt_batch_store_t *st, const char *csv, uint64_t *done,
                         char *err, size_t errlen);

/* ---- the runner (batch.c) ------------------------------------------------------- */
enum { DT_PROGRESS_TTY = 1, DT_PROGRESS_LOG = 2 };
typedef struct dt_batch_run_opts {
  const char *path;              /* the scenario file */
  const char *stdlib_dir;
  dt_lrt_limits_t lim;
  int threads;
  dt_time_t fork_at;             /* DT_NEVER: no fork */
  FILE *csv;                     /* NULL: no runs file */
  FILE *series;                  /* NULL: no series file (run,date,name,value rows) */
  struct dt_db *db;              /* NULL: no database (db.h) */
  int progress; /* 0 none, DT_PROGRESS_TTY redraw one line, DT_PROGRESS_LOG a line every
                   progress_every seconds (for logs: Slurm, CI) */
  double progress_every;
  int print_errors;              /* how many error runs to print in full */
  uint64_t first;                /* the shard's runs before it are done already (a resumed batch) */
} dt_batch_run_opts_t;

/* Checks the -D and --sweep values and discovers the columns (and title) by
 * setting up, without running, the first run of every sweep point (the next
 * runs of a point, up to 16, when a setup fails for another reason). The
 * columns are the params and outcomes those setups declare, in the order
 * first seen; every shard probes the same runs, so all agree. Returns 0, or
 * a negative code with a message in err: DT_EINVAL for a usage error (an
 * unknown param, a value that does not convert or is outside its param's
 * range, at any sweep point; a fork date outside the scenario). */
int dt_batch_probe(dt_batch_spec_t *s, const dt_batch_run_opts_t *o, char *err, size_t errlen);
/* Runs the shard's runs on o->threads workers, streaming rows in index order
 * and filling st. Returns 0, DT_EIO when writing the runs file fails,
 * DT_ENOMEM, or DT_ESCRIPT with a message in err when a run declares a param
 * or outcome that is not a column (the batch stops there). */
int dt_batch_run(dt_batch_spec_t *s, const dt_batch_run_opts_t *o, dt_batch_store_t *st,
                 double *seconds, char *err, size_t errlen);

#endif
