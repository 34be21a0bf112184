/* report.h: `detente report`: a batch's summary as one self-contained HTML
 * file (inline CSS and SVG, no scripts, nothing fetched), readable on screen
 * and printed to PDF. docs/batch.md#reports says which charts it draws. */
#ifndef DT_REPORT_H
#define DT_REPORT_H

#include "batch.h"

struct json_t;
/* Writes the report of summary (a summary.json object, as dt_batch_summary
 * makes it) to b. Returns how many charts (<svg> elements) it drew. */
int dt_report_html(struct json_t *summary, dt_buf_t *b);
/* The number of charts dt_report_html draws for summary, from the summary
 * alone (the rule docs/batch.md states; the tests check the two agree). */
int dt_report_chart_count(struct json_t *summary);

#endif
