/* aar.h: the after-action review of a live session (not part of the public
 * API). Collected while a journal is replayed, it becomes one JSON model
 * (what happened, who decided what and how, what was said and refused, the
 * metrics over time), written as a self-contained HTML report and as Markdown.
 *
 * Ownership: a dt_aar_t borrows the session it watches; it keeps its own
 * copies of the input records it is shown. */
#ifndef DT_AAR_H
#define DT_AAR_H
#include <jansson.h>
#include "batch.h"
#include "session.h"

typedef struct dt_aar dt_aar_t;

/* Starts collecting over a session that has not started yet (a sink on its
 * simulation records the world over time). NULL when out of memory. */
dt_aar_t *dt_aar_new(dt_session_t *s);
void dt_aar_free(dt_aar_t *a);
/* Each journaled input, as it is replayed (borrowed). */
void dt_aar_input(dt_aar_t *a, const json_t *rec);
/* The model, once the replay is done (a new reference). `source` names the
 * journal, for the report's reproduction line. The model's fields are listed
 * in docs/facilitator.md#the-after-action-report. */
json_t *dt_aar_model(dt_aar_t *a, const char *source);
/* The report: one HTML file with inline CSS and SVG, no script, nothing
 * fetched; it prints to PDF. Returns the number of charts drawn. */
int dt_aar_html(const json_t *model, dt_buf_t *b);
/* Pieces of that report that `detente run --html` (run_html.c) shares: its
 * style sheet; a step chart per metric a treaty limits (else per metric)
 * with the limits dashed, from a model's "points", "seats", "treaties" and
 * "metrics" (returns the number of charts); the events as a table (those a
 * seat may see, or all for NULL). */
const char *dt_aar_css(void);
int dt_aar_metric_charts(const json_t *model, dt_buf_t *b);
void dt_aar_timeline(dt_buf_t *b, const json_t *events, const char *seat);
/* The same sections as Markdown tables. */
void dt_aar_markdown(const json_t *model, dt_buf_t *b);
/* The model's tables as files in dir (created if missing; aar_export.c):
 * NAME.jsonl and NAME.csv for events, decisions, moves, messages, injects and
 * white_cell, and seat_events.csv (seat, seq, kind: what each seat could
 * see). 0, or -1 with errno set. */
int dt_aar_export(const json_t *model, const char *dir);

#endif
