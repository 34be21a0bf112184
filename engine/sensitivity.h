/* sensitivity.h: `detente sensitivity`: how much each param with a range
 * moves each numeric or boolean outcome. One at a time (a tornado: each param
 * at its min and max, the others at their base value) and variance-based
 * (Sobol first-order and total indices from Saltelli's sampling, with
 * bootstrap intervals). Both run as designs through the batch runner, so
 * runs are seeded and reproducible like any `mc` batch (docs/batch.md). */
#ifndef DT_SENSITIVITY_H
#define DT_SENSITIVITY_H

#include "batch.h"

#define DT_SENS_FORMAT "detente-sensitivity"

typedef struct dt_sens_opts {
  uint64_t seed;          /* master seed of every batch run */
  uint64_t runs;          /* runs per design point (outcomes are their mean) */
  uint64_t samples;       /* Saltelli's N: N (k + 2) points; 0: no Sobol indices */
  int oat;                /* one at a time (tornado) */
  int nboot;              /* bootstrap resamples for the intervals */
  int nov;                /* -D overrides: fixed in every run, not varied */
  const char *const *ov_name, *const *ov_value;
} dt_sens_opts_t;

struct json_t;
/* Runs the analyses on o->path (the runner's options; o->csv unused) and
 * returns the result as JSON (docs/formats.md) in *out. Returns 0, or
 * DT_EINVAL (no param has a range), DT_EIO, DT_ENOMEM, DT_ESCRIPT with a
 * message in err. */
int dt_sensitivity(const dt_batch_run_opts_t *o, const dt_sens_opts_t *so, struct json_t **out,
                   char *err, size_t errlen);
/* The result as text for a terminal. */
void dt_sensitivity_print(struct json_t *res, FILE *out);

#endif
