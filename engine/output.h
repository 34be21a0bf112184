/* output.h: the two ways a run is told: the timeline a person reads and the
 * JSON Lines event log (schema in docs/formats.md). Both are event sinks. */
#ifndef DT_OUTPUT_H
#define DT_OUTPUT_H
#include <stdio.h>
#include "lrt.h"

#define DT_LOG_SCHEMA 2
#define DT_VERSION "0.1.0"

typedef struct dt_timeline {   /* caller's storage; borrows `out` */
  FILE *out;
  int color;
  int idwidth;
  int header_done;
  const char *scenario; uint64_t seed;
} dt_timeline_t;

void dt_timeline_init(dt_timeline_t *tl, FILE *out, int color);
void dt_timeline_sink(dt_sim_t *sim, const dt_event_t *ev, void *ud);
void dt_timeline_header(dt_timeline_t *tl, dt_sim_t *sim);
void dt_timeline_outcomes(dt_timeline_t *tl, dt_lrt_t *rt);
/* A number as a person reads it (the timeline's outcomes and params, and the
 * HTML pages): 10 significant digits, so 0.68 computed as 0.6799999999999999
 * shows as 0.68 and a whole number has no ".0". buf needs 32 bytes. Files
 * meant to be read back use dt_fmt_num (exact) instead. */
const char *dt_fmt_show(double x, char *buf);
/* A share (0..1) as a person reads a percentage, the same on the terminal
 * and in the pages: one decimal, none when it is 0 (50%, 33.3%), "<0.1%" and
 * ">99.9%" rather than a rounded 0% or 100% that is not, "n/a" for NaN. buf
 * needs 32 bytes. */
const char *dt_fmt_pct(double share, char *buf);
/* A JSON value as a person reads it, in one line (a new string the caller
 * frees, NULL when out of memory): compact JSON with sorted keys whose
 * numbers print as dt_fmt_show does (19, not the real 19.0; 0.1, not
 * 0.10000000000000001). For the console and the after-action report; what is
 * read back keeps json_dumps. */
struct json_t;
char *dt_json_show(const struct json_t *v);
/* 1 when colour should be used on this stream (a terminal, NO_COLOR unset). */
int dt_want_color(FILE *f);

typedef struct dt_eventlog {   /* caller's storage; owns nothing but a borrowed FILE */
  FILE *out;
  int failed;                  /* a write failed */
} dt_eventlog_t;

void dt_eventlog_sink(dt_sim_t *sim, const dt_event_t *ev, void *ud);
/* One event as the log writes it (a new object, keys in the log's order). */
struct json_t;
struct json_t *dt_event_json(const dt_sim_t *sim, const dt_event_t *ev);
void dt_eventlog_header(dt_eventlog_t *lg, dt_lrt_t *rt, const char *scenario, uint64_t seed);
void dt_eventlog_footer(dt_eventlog_t *lg, dt_lrt_t *rt, int status, const char *error);
/* Writes a value as JSON into a jansson object under key. */
struct json_t;
void dt_value_to_json(struct json_t *obj, const char *key, const dt_lrt_value_t *v);

#endif
