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

#endif
