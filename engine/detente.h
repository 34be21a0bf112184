/* detente.h: the public header of the détente library (libdetente.a): what a
 * C program needs to embed the engine, and nothing else. With errors.h it is
 * all that `make install` installs; every other header in engine/ is internal.
 *
 * Ownership: a dt_lrt_t (a runtime) owns its Lua state, its simulation and
 * everything a run creates; the library allocates it (dt_lrt_new) and frees it
 * (dt_lrt_free). A run's results (outcomes, params, the error message) are
 * borrowed: valid until the next dt_lrt_setup, dt_lrt_end_run or dt_lrt_free.
 *
 * Embedding, in brief (examples/embed.c is a complete program):
 *   dt_lrt_t *rt = dt_lrt_new(&(dt_lrt_limits_t){ 100000000, 256u << 20, 0 }, STDLIB);
 *   if (dt_lrt_load(rt, "scenario.lua") == 0 && dt_lrt_setup(rt, seed, NULL, 0) == 0 &&
 *       dt_lrt_run(rt) == 0 && dt_lrt_finish(rt) == 0)
 *     ... dt_lrt_outcome_name(rt, i), dt_lrt_outcome(rt, i)->num ...
 *   else fprintf(stderr, "%s\n", dt_lrt_error(rt));
 *   dt_lrt_end_run(rt); dt_lrt_free(rt);
 */
#ifndef DETENTE_H
#define DETENTE_H

#include <stddef.h>
#include <stdint.h>
#include "errors.h"

/* A runtime: one Lua state around one simulation; one per thread. */
typedef struct dt_lrt dt_lrt_t;

typedef struct dt_lrt_limits {
  int64_t instructions;   /* per hook call; 0 = none */
  size_t memory;          /* bytes per run; 0 = none */
  int unsafe;             /* lift the sandbox */
  double seconds;         /* CPU seconds per run (per step in serve); 0 = none */
  int64_t instant_events; /* hooks and events at one simulated instant; 0 = none */
} dt_lrt_limits_t;

/* Values the scenario reports back: params and outcomes. */
/* DT_LRT_V_DATE: a date, num = simulated seconds (dt_time_t). */
enum { DT_LRT_V_NONE, DT_LRT_V_BOOL, DT_LRT_V_NUM, DT_LRT_V_STR, DT_LRT_V_DATE };
typedef struct dt_lrt_value { int type; double num; char *str; } dt_lrt_value_t;

/* A param set from outside, as on the command line (`-p name=value`). */
typedef struct dt_lrt_override { const char *name; const char *value; } dt_lrt_override_t;

/* Returns a new runtime, or NULL when out of memory. stdlib_dir is copied. */
dt_lrt_t *dt_lrt_new(const dt_lrt_limits_t *lim, const char *stdlib_dir);
void dt_lrt_free(dt_lrt_t *rt);
/* Compiles the scenario once. On failure returns DT_EPARSE or DT_EIO and sets
 * the error to "file:line: message". */
int dt_lrt_load(dt_lrt_t *rt, const char *path);
/* Resets the simulation for a run and executes the scenario's setup in a fresh
 * environment. Returns 0 or a negative code with the error set. */
int dt_lrt_setup(dt_lrt_t *rt, uint64_t run_seed, const dt_lrt_override_t *ov, int nov);
/* Batch workers: enforce the instruction limit lazily on the calling thread
 * (its CPU-time timer looks for a hook running long; none pays the per-
 * instruction count until then). Call on the thread that runs rt. After a run,
 * dt_lrt_rerun(rt) says the run met the limit (or came near it) and must be
 * run again: dt_lrt_exact(rt, 1) counts exactly for that run and
 * dt_lrt_exact(rt, 0) goes back to lazy. Results of runs within the limit are
 * the same either way; a run over it fails exactly as with the exact count.
 * Returns 0, or a DT_E code when the timer is unavailable (exact stays on). */
int dt_lrt_lazy_limits(dt_lrt_t *rt);
int dt_lrt_rerun(const dt_lrt_t *rt);
void dt_lrt_exact(dt_lrt_t *rt, int on);
/* Runs the simulation set up by dt_lrt_setup to its end. Returns 0, or a
 * negative code (DT_ESCRIPT, DT_ELIMIT, ...) with the error set. */
int dt_lrt_run(dt_lrt_t *rt);
/* Evaluates the outcomes after the run. Returns 0 or a negative code. */
int dt_lrt_finish(dt_lrt_t *rt);
/* Drops the run's Lua state (refs, handles, environment). */
void dt_lrt_end_run(dt_lrt_t *rt);
void dt_lrt_clear_error(dt_lrt_t *rt);
/* Forgets the data files (data.csv, data.json) read so far, so that the next
 * run reads them again: for a caller that changes them between runs (the
 * fuzz harnesses). Call between runs only. */
void dt_lrt_forget_data(dt_lrt_t *rt);

/* ---- accessors (borrowed results of the current run) ---- */
/* The first error of the run ("file:line: message" and a traceback), or NULL. */
const char *dt_lrt_error(const dt_lrt_t *rt);
/* The code that goes with it: DT_ESCRIPT, DT_ELIMIT, ..., or 0. */
int dt_lrt_error_code(const dt_lrt_t *rt);
/* Outcomes filled by dt_lrt_finish and params declared by the setup, in the
 * scenario's order; i from 0 to count - 1, else NULL. */
int dt_lrt_noutcomes(const dt_lrt_t *rt);
const char *dt_lrt_outcome_name(const dt_lrt_t *rt, int i);
const dt_lrt_value_t *dt_lrt_outcome(const dt_lrt_t *rt, int i);
int dt_lrt_nparams(const dt_lrt_t *rt);
const char *dt_lrt_param_name(const dt_lrt_t *rt, int i);
const dt_lrt_value_t *dt_lrt_param(const dt_lrt_t *rt, int i);
/* Series declared with series(): their names and the samples of the run so
 * far (dates as seconds since 1970-01-01 UTC, and values; NaN where the series
 * returned nil). Returns the
 * number of samples; t and v are borrowed until the next run. */
int dt_lrt_nseries(const dt_lrt_t *rt);
const char *dt_lrt_series_name(const dt_lrt_t *rt, int i);
int dt_lrt_series_samples(const dt_lrt_t *rt, int i, const int64_t **t, const double **v);

#endif
