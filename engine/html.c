/* html.c: formatted and escaped output for the HTML reports (html.h). Owns
 * nothing; the buffer is the caller's. */
#include "html.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

void dt_html_put(dt_buf_t *b, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  dt_buf_put(b, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void dt_html_esc(dt_buf_t *b, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '&': dt_buf_puts(b, "&amp;"); break;
    case '<': dt_buf_puts(b, "&lt;"); break;
    case '>': dt_buf_puts(b, "&gt;"); break;
    case '"': dt_buf_puts(b, "&quot;"); break;
    case '\'': dt_buf_puts(b, "&#39;"); break;
    default:
      if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
        dt_html_put(b, "\\x%02x", (unsigned char)*s);
      else dt_buf_put(b, s, 1);
    }
  }
}

double dt_html_nice_step(double raw) {
  if (!(raw > 0) || !isfinite(raw)) return 1;
  double p = pow(10, floor(log10(raw))), f = raw / p;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}
