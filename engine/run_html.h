/* run_html.h: `detente run --html`: one run as one self-contained HTML page
 * (not part of the public API): the run's events as swimlanes, a lane per
 * state, and the metrics over time against the treaty limits, drawn by the
 * after-action report's charts (aar.h), then the params, outcomes and every
 * event. Inline CSS and SVG only: no script, nothing fetched; it prints.
 *
 * Ownership: a dt_run_html_t borrows the simulation it watches (it must
 * outlive the run's last event) and owns what it collects. */
#ifndef DT_RUN_HTML_H
#define DT_RUN_HTML_H
#include "batch.h"
#include "lrt.h"

typedef struct dt_run_html dt_run_html_t;

/* Starts collecting: a sink on sim records each event and the world after
 * it. Add it before the run is set up. NULL when out of memory. */
dt_run_html_t *dt_run_html_new(dt_sim_t *sim);
void dt_run_html_free(dt_run_html_t *h);
/* Records the world as it is now (after setup: the charts' first point). */
void dt_run_html_point(dt_run_html_t *h);
/* The page, once the run is over (error: the run's error, or NULL), into b.
 * scenario and seed name the run for its reproduction line; the overrides
 * are the -D given. Returns the number of <svg> charts drawn. */
int dt_run_html_write(dt_run_html_t *h, const dt_lrt_t *rt, const char *scenario, uint64_t seed,
                      const dt_lrt_override_t *ov, int nov, const char *error, dt_buf_t *b);

#endif
