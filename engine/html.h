/* html.h: writing self-contained HTML reports (not part of the public API):
 * formatted output into a dt_buf_t, and text escaped for HTML. Used by the
 * batch report (report.c) and the after-action report (aar.c). */
#ifndef DT_HTML_H
#define DT_HTML_H
#include "batch.h"

/* Appends printf-style text (at most 1023 bytes a call). */
void dt_html_put(dt_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends text as HTML: & < > " ' escaped; control characters as \xNN. */
void dt_html_esc(dt_buf_t *b, const char *s);

/* The round step nearest to raw (> 0): 1, 2 or 5 times a power of ten, for
 * gridlines a reader can read values off. 1 for raw <= 0 or not finite. */
double dt_html_nice_step(double raw);

#endif
