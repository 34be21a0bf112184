/* report.c: the HTML report of a batch, from its summary JSON: a header with
 * the batch and how to reproduce it, a sweep comparison table, and per
 * outcome its charts, all inline SVG drawn here (no scripts, no fonts or
 * styles fetched). Per outcome: a boolean gets one chart of probability bars
 * with Wilson intervals (one bar per sweep point); a number one histogram per
 * sweep point with values and one chart of the cumulative distributions (from
 * the histograms); a category one bar chart per sweep point with values. With
 * exactly one sweep, booleans and numbers also get the outcome drawn against
 * the swept value with an interval band. Rank correlations are tables. */
#include "report.h"
#include "html.h"
#include "output.h"
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const palette[] = { "#1f5f99", "#c2571a", "#3a8a3a",
                                       "#8a3a8a", "#8a7a1a", "#1a8a8a" };
#define NPAL (sizeof palette / sizeof *palette)

/* The report's output: html.h's, under short names. */
#define put dt_html_put
#define esc dt_html_esc

static double num(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_number(v) ? json_number_value(v) : NAN;
}
static long long integer(json_t *o, const char *k) {
  return (long long)json_integer_value(json_object_get(o, k));
}
static const char *str(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "";
}

/* A number for a label: 4 significant digits. */
static const char *fmt4(double x, char *buf) {
  if (!isfinite(x)) return strcpy(buf, "n/a");
  snprintf(buf, 32, "%.4g", x);
  return buf;
}

/* A probability or a Sobol index as the terminal prints it: 3 decimals
 * (0.200, not 0.2; 0.123, not 0.1234). */
static const char *fmtp(double x, char *buf) {
  if (!isfinite(x)) return strcpy(buf, "n/a");
  snprintf(buf, 32, "%.3f", x);
  return buf;
}

/* The label of a sweep point: "name=value, ..." or "all runs". */
static void point_label(dt_buf_t *b, json_t *pt) {
  json_t *sw = json_object_get(pt, "sweep");
  if (!json_object_size(sw)) { dt_buf_puts(b, "all runs"); return; }
  const char *k; json_t *v; int first = 1;
  json_object_foreach(sw, k, v) {
    if (!first) dt_buf_puts(b, ", ");
    esc(b, k); dt_buf_puts(b, "=");
    if (json_is_number(v)) {   /* as the terminal prints a number: 10, not 10.0 */
      char num[32];
      esc(b, dt_fmt_show(json_number_value(v), num));
    } else {
      char *t = json_dumps(v, JSON_ENCODE_ANY);
      esc(b, t ? t : "?");
      free(t);
    }
    first = 0;
  }
}

static json_t *outcome_at(json_t *pt, const char *name) {
  return json_object_get(json_object_get(pt, "outcomes"), name);
}

/* ---- charts ------------------------------------------------------------------------- */

static void svg_open(dt_buf_t *b, int w, int h, const char *label) {
  put(b, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
         "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", w, h, w, h);
  esc(b, label);
  dt_buf_puts(b, "\">");
}

/* Probability bars with Wilson intervals, one per sweep point. */
static int prob_chart(dt_buf_t *b, json_t *pts, const char *name) {
  int n = (int)json_array_size(pts), w = 760, row = 24, left = 180, plot = 300, h = 30 + row * n;
  svg_open(b, w, h, "probability with 95% Wilson interval");
  for (int k = 0; k <= 4; k++) {
    double x = left + plot * k / 4.0;
    put(b, "<line x1=\"%.1f\" y1=\"8\" x2=\"%.1f\" y2=\"%d\" class=\"grid\"/>", x, x, h - 18);
    put(b, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%.2f</text>", x, h - 4,
        k / 4.0);
  }
  size_t i; json_t *pt;
  json_array_foreach(pts, i, pt) {
    json_t *o = outcome_at(pt, name);
    double y = 10 + row * (double)i, p = num(o, "p");
    json_t *ci = json_object_get(o, "ci95");
    double lo = json_number_value(json_array_get(ci, 0)),
           hi = json_number_value(json_array_get(ci, 1));
    dt_buf_puts(b, "<text x=\"4\" class=\"lab\" y=\"");
    put(b, "%.1f\">", y + 14);
    point_label(b, pt);
    dt_buf_puts(b, "</text>");
    char t1[32], t2[32], t3[32];
    if (isfinite(p)) {
      put(b,
          "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"%s\" opacity=\"0.75\"/>",
          left, y + 2, plot * p, palette[i % NPAL]);
      put(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"ci\"/>",
          left + plot * lo, y + 10, left + plot * hi, y + 10);
      put(b, "<text x=\"%d\" y=\"%.1f\" class=\"lab\">p = %s [%s, %s] (n = %lld)</text>",
          left + plot + 8, y + 14, fmtp(p, t1), fmtp(lo, t2), fmtp(hi, t3), integer(o, "n"));
    } else {
      put(b, "<text x=\"%d\" y=\"%.1f\" class=\"lab\">no values</text>", left + 4, y + 14);
    }
  }
  dt_buf_puts(b, "</svg>\n");
  return 1;
}

/* A histogram with p5, median and p95 marked. */
static int hist_chart(dt_buf_t *b, json_t *o, int color) {
  json_t *hg = json_object_get(o, "histogram"), *counts = json_object_get(hg, "counts");
  int nb = (int)json_array_size(counts), w = 320, h = 170, left = 10, plot = 300, top = 10,
      ph = 120;
  if (!nb) return 0;
  double lo = num(hg, "lo"), hi = num(hg, "hi"), mx = 0;
  for (int k = 0; k < nb; k++)
    mx = fmax(mx, (double)json_integer_value(json_array_get(counts, (size_t)k)));
  svg_open(b, w, h, "histogram");
  for (int k = 0; k < nb; k++) {
    double c = (double)json_integer_value(json_array_get(counts, (size_t)k)),
           bh = mx > 0 ? ph * c / mx : 0;
    put(b,
        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" opacity=\"0.7\"/>",
        left + plot * k / (double)nb + 0.5, top + ph - bh, plot / (double)nb - 1, bh,
        palette[color % NPAL]);
  }
  static const char *const q[] = { "p5", "median", "p95" };
  for (int k = 0; k < 3 && hi > lo; k++) {
    double x = left + plot * (num(o, q[k]) - lo) / (hi - lo);
    put(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"%s\"/>", x, top, x, top + ph,
        k == 1 ? "med" : "q");
  }
  char t1[32], t2[32];
  put(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>", left, top + ph,
      left + plot, top + ph);
  put(b, "<text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>", left, top + ph + 14, fmt4(lo, t1));
  put(b, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">%s</text>", left + plot,
      top + ph + 14, fmt4(hi, t2));
  put(b,
      "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">dashed: p5, median (solid), "
      "p95</text>",
      left + plot / 2, top + ph + 30);
  dt_buf_puts(b, "</svg>\n");
  return 1;
}

/* The cumulative distributions of every sweep point, from their histograms
 * (exact at the bin edges, straight between them). */
static int cdf_chart(dt_buf_t *b, json_t *pts, const char *name) {
  double lo = INFINITY, hi = -INFINITY;
  size_t i; json_t *pt;
  json_array_foreach(pts, i, pt) {
    json_t *hg = json_object_get(outcome_at(pt, name), "histogram");
    if (!hg) continue;
    lo = fmin(lo, num(hg, "lo")); hi = fmax(hi, num(hg, "hi"));
  }
  if (!(hi >= lo)) return 0;
  if (hi == lo) hi = lo + 1;
  int w = 420, h = 190, left = 40, plot = 360, top = 10, ph = 140;
  svg_open(b, w, h, "cumulative distribution");
  for (int k = 0; k <= 4; k++) {
    double y = top + ph - ph * k / 4.0;
    put(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>", left, y,
        left + plot, y);
    put(b, "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%.2f</text>", left - 4,
        y + 4, k / 4.0);
  }
  json_array_foreach(pts, i, pt) {
    json_t *hg = json_object_get(outcome_at(pt, name), "histogram"),
           *counts = json_object_get(hg, "counts");
    int nb = (int)json_array_size(counts);
    if (!nb) continue;
    double hlo = num(hg, "lo"), hhi = num(hg, "hi"), total = 0, cum = 0;
    for (int k = 0; k < nb; k++)
      total += (double)json_integer_value(json_array_get(counts, (size_t)k));
    put(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", palette[i % NPAL]);
    put(b, "%.1f,%.1f ", left + plot * (hlo - lo) / (hi - lo), (double)top + ph);
    for (int k = 0; k < nb; k++) {
      cum += (double)json_integer_value(json_array_get(counts, (size_t)k));
      double x = hhi > hlo ? hlo + (hhi - hlo) * (k + 1) / nb : hlo;
      put(b, "%.1f,%.1f ", left + plot * (x - lo) / (hi - lo),
          top + ph - ph * (total > 0 ? cum / total : 0));
    }
    dt_buf_puts(b, "\"/>");
  }
  if (json_array_size(pts) > 1)   /* a legend: the points' colours */
    json_array_foreach(pts, i, pt) {
      if (i >= 8) break;
      put(b, "<text x=\"%d\" y=\"%d\" class=\"lab\" fill=\"%s\" style=\"fill:%s\">", left + 6,
          top + 12 + 13 * (int)i, palette[i % NPAL], palette[i % NPAL]);
      point_label(b, pt);
      dt_buf_puts(b, "</text>");
    }
  char t1[32], t2[32];
  put(b, "<text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>", left, top + ph + 14, fmt4(lo, t1));
  put(b, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">%s</text>", left + plot,
      top + ph + 14, fmt4(hi, t2));
  put(b,
      "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">share of runs at or below the "
      "value</text>",
      left + plot / 2, top + ph + 32);
  dt_buf_puts(b, "</svg>\n");
  return 1;
}

/* Shares of the most frequent values (12 at most). */
/* A date outcome (a category whose values are all dates): a histogram over
 * calendar bins (days, months or years, as the spread allows; at most 40
 * bins), from the frequencies, with p5, median and p95 marked. */
static int date_chart(dt_buf_t *b, json_t *o, int color) {
  json_t *fa = json_object_get(o, "frequencies"), *dq = json_object_get(o, "dates");
  size_t n = json_array_size(fa), i;
  json_t *f;
  dt_time_t lo = 0, hi = 0;
  int have = 0;
  json_array_foreach(fa, i, f) {
    dt_time_t t;
    if (dt_time_parse(str(f, "value"), &t)) continue;
    if (!have || t < lo) lo = t;
    if (!have || t > hi) hi = t;
    have = 1;
  }
  if (!have || !n) return 0;
  /* The bins: [edge[k], edge[k + 1]) on calendar boundaries. */
  int y0, m0, d0, hh, mi, ss, y1, m1, d1;
  dt_time_to_civil(lo, &y0, &m0, &d0, &hh, &mi, &ss);
  dt_time_to_civil(hi, &y1, &m1, &d1, &hh, &mi, &ss);
  long months = (long)(y1 - y0) * 12 + (m1 - m0);
  enum { BY_DAYS, BY_MONTHS, BY_YEARS } unit =
      months >= 480 ? BY_YEARS : months >= 4 ? BY_MONTHS : BY_DAYS;
  int step = 1;   /* days, months or years per bin */
  long span = unit == BY_YEARS ? y1 - y0 + 1 : unit == BY_MONTHS ? months + 1
                                                                  : (long)((hi - lo) / 86400) + 1;
  while (span / step > 40) step++;
  if (unit == BY_MONTHS) while (12 % step && step < 12) step++;   /* 1, 2, 3, 4, 6, 12 */
  /* Edges from the first bin's start until one lies past the last date. */
  dt_time_t edge[48];
  int nb = 0;
  for (;;) {
    dt_time_t e;
    if (unit == BY_DAYS) e = lo + (dt_time_t)nb * step * 86400;
    else if (unit == BY_MONTHS) {
      int mm = (m0 - 1) / step * step + nb * step;   /* months from January of y0 */
      if (dt_time_from_civil(y0 + mm / 12, mm % 12 + 1, 1, &e)) return 0;
    } else if (dt_time_from_civil(y0 + nb * step, 1, 1, &e)) return 0;
    edge[nb] = e;
    if (e > hi || nb == 46) break;
    nb++;
  }
  if (nb < 1) return 0;
  double counts[48] = { 0 }, mx = 0;
  json_array_foreach(fa, i, f) {
    dt_time_t t;
    if (dt_time_parse(str(f, "value"), &t)) continue;
    int k = 0;
    while (k + 1 < nb && t >= edge[k + 1]) k++;
    counts[k] += (double)integer(f, "count");
  }
  for (int k = 0; k < nb; k++) mx = fmax(mx, counts[k]);
  int w = 320, h = 170, left = 10, plot = 300, top = 10, ph = 120;
  double t0 = (double)edge[0], t1 = (double)edge[nb];
  svg_open(b, w, h, "date histogram");
  for (int k = 0; k < nb; k++) {
    double x0 = left + plot * ((double)edge[k] - t0) / (t1 - t0);
    double x1 = left + plot * ((double)edge[k + 1] - t0) / (t1 - t0);
    double bh = mx > 0 ? ph * counts[k] / mx : 0;
    char a[32], z[32];
    dt_time_format(edge[k], a, sizeof a);
    dt_time_format(edge[k + 1] - 86400, z, sizeof z);
    put(b,
        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" opacity=\"0.7\">"
        "<title>%s to %s: %.0f runs</title></rect>",
        x0 + 0.5, top + ph - bh, fmax(x1 - x0 - 1, 0.5), bh, palette[color % NPAL], a, z,
        counts[k]);
  }
  static const char *const q[] = { "p5", "p50", "p95" };
  for (int k = 0; k < 3; k++) {
    dt_time_t t;
    if (dt_time_parse(str(dq, q[k]), &t)) continue;
    double x = left + plot * ((double)t + 43200.0 - t0) / (t1 - t0);   /* mid-day */
    put(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"%s\"/>", x, top, x, top + ph,
        k == 1 ? "med" : "q");
  }
  char a[32], z[32];
  dt_time_format(edge[0], a, sizeof a);
  dt_time_format(edge[nb] - 86400, z, sizeof z);
  put(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>", left, top + ph,
      left + plot, top + ph);
  put(b, "<text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>", left, top + ph + 14, a);
  put(b, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">%s</text>", left + plot,
      top + ph + 14, z);
  put(b,
      "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%s bins; dashed: p5, median "
      "(solid), p95</text>",
      left + plot / 2, top + ph + 30,
      unit == BY_DAYS ? (step == 1 ? "daily" : "multi-day")
      : unit == BY_MONTHS ? (step == 1 ? "monthly" : step == 3 ? "quarterly" : "multi-month")
                          : "yearly");
  dt_buf_puts(b, "</svg>\n");
  return 1;
}

static int cat_chart(dt_buf_t *b, json_t *o, int color) {
  json_t *fa = json_object_get(o, "frequencies");
  int n = (int)json_array_size(fa);
  if (n > 12) n = 12;
  if (!n) return 0;
  int w = 420, row = 20, left = 140, plot = 200, h = 10 + row * n;
  svg_open(b, w, h, "frequencies");
  for (int k = 0; k < n; k++) {
    json_t *f = json_array_get(fa, (size_t)k);
    double s = num(f, "share"), y = 5 + row * k;
    dt_buf_puts(b, "<text x=\"4\" class=\"lab\" y=\"");
    put(b, "%.1f\">", y + 13);
    const char *v = str(f, "value");
    if (!*v) dt_buf_puts(b, "(empty)");
    else if (strlen(v) > 22) {
      char cut[24];
      snprintf(cut, sizeof cut, "%.20s", v);
      esc(b, cut);
      dt_buf_puts(b, "…");
    } else esc(b, v);
    dt_buf_puts(b, "</text>");
    put(b, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"%s\" opacity=\"0.7\"/>",
        left, y + 2, plot * s, palette[color % NPAL]);
    char pct[32];
    put(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"lab\">%s (%lld)</text>", left + plot * s + 6,
        y + 13, dt_fmt_pct(s, pct), integer(f, "count"));
  }
  dt_buf_puts(b, "</svg>\n");
  return 1;
}

/* With one numeric sweep: the outcome against the swept value, p with its
 * Wilson band or the median with its p5-p95 band. */
static int sweep_chart(dt_buf_t *b, json_t *sum, const char *name, int boolean) {
  json_t *pts = json_object_get(sum, "points_summary");
  int n = (int)json_array_size(pts);
  double xlo = INFINITY, xhi = -INFINITY, ylo = boolean ? 0 : INFINITY,
         yhi = boolean ? 1 : -INFINITY;
  size_t i; json_t *pt;
  json_array_foreach(pts, i, pt) {
    json_t *sw = json_object_get(pt, "sweep");
    double x = json_number_value(json_object_iter_value(json_object_iter(sw)));
    xlo = fmin(xlo, x); xhi = fmax(xhi, x);
    json_t *o = outcome_at(pt, name);
    if (!boolean && integer(o, "n") > 0) {
      ylo = fmin(ylo, num(o, "p5"));
      yhi = fmax(yhi, num(o, "p95"));
    }
  }
  if (!(yhi >= ylo)) { ylo = 0; yhi = 1; }
  if (yhi == ylo) yhi = ylo + 1;
  if (xhi == xlo) xhi = xlo + 1;
  int w = 460, h = 210, left = 56, plot = 380, top = 10, ph = 150;
  const char *pname = str(json_array_get(json_object_get(sum, "sweep"), 0), "param");
  svg_open(b, w, h,
           boolean ? "probability against the swept param"
                   : "median and p5-p95 against the swept param");
#define X(v) (left + plot * ((v) - xlo) / (xhi - xlo))
#define Y(v) (top + ph - ph * ((v) - ylo) / (yhi - ylo))
  dt_buf_t band = { 0 }, back = { 0 }, line = { 0 };
  int have = 0;
  json_array_foreach(pts, i, pt) {
    double x =
        json_number_value(json_object_iter_value(json_object_iter(json_object_get(pt, "sweep"))));
    json_t *o = outcome_at(pt, name);
    if (integer(o, "n") <= 0) continue;
    double mid = boolean ? num(o, "p") : num(o, "median");
    double l =
        boolean ? json_number_value(json_array_get(json_object_get(o, "ci95"), 0)) : num(o, "p5");
    double u =
        boolean ? json_number_value(json_array_get(json_object_get(o, "ci95"), 1)) : num(o, "p95");
    put(&band, "%.1f,%.1f ", X(x), Y(u));
    char tmp[64];
    int m = snprintf(tmp, sizeof tmp, "%.1f,%.1f ", X(x), Y(l));
    /* the lower edge runs backwards: prepend */
    dt_buf_t nb = { 0 };
    dt_buf_put(&nb, tmp, (size_t)m);
    if (back.p) dt_buf_puts(&nb, back.p);
    dt_buf_free(&back);
    back = nb;
    put(&line, "%.1f,%.1f ", X(x), Y(mid));
    put(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", X(x), Y(mid), palette[0]);
    have++;
  }
  if (have && band.p && back.p && line.p) {
    put(b, "<polygon fill=\"%s\" opacity=\"0.2\" points=\"", palette[0]);
    dt_buf_puts(b, band.p); dt_buf_puts(b, back.p);
    dt_buf_puts(b, "\"/>");
    put(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", palette[0]);
    dt_buf_puts(b, line.p);
    dt_buf_puts(b, "\"/>");
  }
  dt_buf_free(&band); dt_buf_free(&back); dt_buf_free(&line);
  char t1[32], t2[32];
  put(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>", left, top + ph,
      left + plot, top + ph);
  put(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>", left, top, left,
      top + ph);
  put(b, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">%s</text>", left - 4, top + 8,
      fmt4(yhi, t1));
  put(b, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">%s</text>", left - 4, top + ph,
      fmt4(ylo, t2));
  /* the x axis runs from the first swept value to the last: as the points' labels print them */
  put(b, "<text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>", left, top + ph + 14,
      dt_fmt_show(xlo, t1));
  put(b, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">%s</text>", left + plot,
      top + ph + 14, dt_fmt_show(xhi, t2));
  put(b, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">", left + plot / 2,
      top + ph + 32);
  esc(b, pname);
  dt_buf_puts(b, boolean ? " (band: 95% Wilson interval)" : " (line: median; band: p5 to p95)");
  dt_buf_puts(b, "</text></svg>\n");
#undef X
#undef Y
  (void)n;
  return 1;
}

/* A fan chart of a series (summary.json's "series", from `mc --series`): the
 * p5-p95 band, the p25-p75 band and the median over the sample dates. */
static int fan_chart(dt_buf_t *b, json_t *ser) {
  json_t *dates = json_object_get(ser, "dates"), *n = json_object_get(ser, "n");
  json_t *q[5] = { json_object_get(ser, "p5"), json_object_get(ser, "p25"),
                   json_object_get(ser, "p50"), json_object_get(ser, "p75"),
                   json_object_get(ser, "p95") };
  size_t nd = json_array_size(dates), have = 0;
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < nd; i++) {
    if (json_integer_value(json_array_get(n, i)) <= 0) continue;
    have++;
    lo = fmin(lo, json_number_value(json_array_get(q[0], i)));
    hi = fmax(hi, json_number_value(json_array_get(q[4], i)));
  }
  if (!have) return 0;
  if (!(hi > lo)) { hi = lo + 1; lo -= 1; }
  int w = 560, h = 220, left = 56, plot = 480, top = 10, ph = 160;
  svg_open(b, w, h, "fan chart: median, p25-p75 and p5-p95 over time");
#define X(i) (left + (nd > 1 ? plot * (double)(i) / (double)(nd - 1) : plot / 2.0))
#define Y(v) (top + ph - ph * ((v) - lo) / (hi - lo))
  for (int band = 0; band < 2; band++) {
    json_t *up = q[4 - band], *dn = q[band];
    put(b, "<polygon fill=\"%s\" opacity=\"%s\" points=\"", palette[0], band ? "0.35" : "0.18");
    for (size_t i = 0; i < nd; i++)
      if (json_integer_value(json_array_get(n, i)) > 0)
        put(b, "%.1f,%.1f ", X(i), Y(json_number_value(json_array_get(up, i))));
    for (size_t i = nd; i-- > 0;)
      if (json_integer_value(json_array_get(n, i)) > 0)
        put(b, "%.1f,%.1f ", X(i), Y(json_number_value(json_array_get(dn, i))));
    dt_buf_puts(b, "\"/>");
  }
  put(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", palette[0]);
  for (size_t i = 0; i < nd; i++)
    if (json_integer_value(json_array_get(n, i)) > 0)
      put(b, "%.1f,%.1f ", X(i), Y(json_number_value(json_array_get(q[2], i))));
  dt_buf_puts(b, "\"/>");
  char t1[32], t2[32];
  put(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>", left, top + ph,
      left + plot, top + ph);
  put(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>", left, top, left,
      top + ph);
  put(b, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">%s</text>", left - 4, top + 8,
      fmt4(hi, t1));
  put(b, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">%s</text>", left - 4, top + ph,
      fmt4(lo, t2));
  put(b, "<text x=\"%d\" y=\"%d\" class=\"tick\">", left, top + ph + 14);
  esc(b, json_string_value(json_array_get(dates, 0)));
  put(b, "</text><text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">", left + plot,
      top + ph + 14);
  esc(b, json_string_value(json_array_get(dates, nd - 1)));
  put(b,
      "</text><text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">line: median; bands: "
      "p25 to p75 "
      "and p5 to p95 of the runs</text>",
      left + plot / 2, top + ph + 32);
#undef X
#undef Y
  dt_buf_puts(b, "</svg>\n");
  return 1;
}

static int series(dt_buf_t *b, json_t *sum) {
  json_t *ss = json_object_get(sum, "series");
  if (!json_array_size(ss)) return 0;
  dt_buf_t sink = { 0 };
  dt_buf_t *to = b ? b : &sink;
  int charts = 0;
  dt_buf_puts(to, "<h2>Series</h2>\n<p>Over all ok runs, at each sample date.</p>\n");
  size_t i; json_t *s;
  json_array_foreach(ss, i, s) {
    dt_buf_puts(to, "<div class=\"outcome\"><h3>");
    esc(to, json_string_value(json_object_get(s, "name")));
    dt_buf_puts(to, "</h3>\n");
    int c = fan_chart(to, s);
    if (!c) dt_buf_puts(to, "<p>No run gave this series a value.</p>\n");
    charts += c;
    dt_buf_puts(to, "</div>\n");
  }
  dt_buf_free(&sink);
  return charts;
}

/* Whether the batch has exactly one sweep and its values are all numbers. */
static int numeric_sweep(json_t *sum) {
  json_t *sw = json_object_get(sum, "sweep");
  if (json_array_size(sw) != 1) return 0;
  json_t *pts = json_object_get(sum, "points_summary");
  if (json_array_size(pts) < 2) return 0;
  size_t i; json_t *pt;
  json_array_foreach(pts, i, pt) if (!json_is_number(json_object_iter_value(
                                         json_object_iter(json_object_get(pt, "sweep"))))) return 0;
  return 1;
}

/* ---- the page -------------------------------------------------------------------------- */

static const char style[] =
    "<style>\n"
    "body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em;color:#222}\n"
    "h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.6em}\n"
    "h3{font-size:1em;margin:.8em 0 .3em}\n"
    "table{border-collapse:collapse;margin:.5em 0;font-size:.9em}\n"
    "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}td.n{text-align:right}\n"
    "code,pre{font-family:monospace;background:#f4f4f4}pre{padding:.5em;white-space:pre-wrap}\n"
    "svg.chart{display:block;margin:.3em 0}\n"
    "svg .grid{stroke:#ddd}svg .axis{stroke:#666}svg .ci{stroke:#000;stroke-width:2}\n"
    "svg .med{stroke:#000;stroke-width:1.5}svg .q{stroke:#000;stroke-dasharray:3 3}\n"
    "svg text{font-family:sans-serif}svg .tick{font-size:10px;fill:#444}svg "
    ".lab{font-size:11px;fill:#222}\n"
    ".outcome,.point{break-inside:avoid;page-break-inside:avoid}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:1em}\n"
    "@media print{body{max-width:none;margin:0}h2{break-after:avoid}}\n"
    "</style>\n";

static void cmd_line(dt_buf_t *b, json_t *sum, const char *what, const char *seed) {
  dt_buf_puts(b, "<pre>detente ");
  dt_buf_puts(b, what);
  dt_buf_puts(b, " ");
  esc(b, str(json_object_get(sum, "scenario"), "file"));
  if (!strcmp(what, "mc")) put(b, " --runs %lld --seed ", integer(sum, "runs_per_point"));
  else dt_buf_puts(b, " --seed ");
  esc(b, seed);
  size_t i; json_t *v;
  json_array_foreach(json_object_get(sum, "overrides"), i, v) {
    dt_buf_puts(b, " -D "); esc(b, str(v, "name")); dt_buf_puts(b, "="); esc(b, str(v, "value"));
  }
  if (!strcmp(what, "mc")) {
    json_array_foreach(json_object_get(sum, "sweep"), i, v) {
      dt_buf_puts(b, " --sweep "); esc(b, str(v, "param")); dt_buf_puts(b, "=");
      size_t k; json_t *x;
      json_array_foreach(json_object_get(v, "values"), k, x) {
        if (k) dt_buf_puts(b, ",");
        esc(b, json_string_value(x));
      }
    }
    if (json_is_string(json_object_get(sum, "fork_at"))) {
      dt_buf_puts(b, " --fork-at ");
      esc(b, str(sum, "fork_at"));
    }
    if (json_is_string(json_object_get(sum, "sample"))) dt_buf_puts(b, " --sample lhs");
  } else {
    json_array_foreach(json_object_get(sum, "sweep"), i, v) {
      dt_buf_puts(b, " -D "); esc(b, str(v, "param")); dt_buf_puts(b, "=&lt;its point's value&gt;");
    }
  }
  dt_buf_puts(b, "</pre>\n");
}

static void header(dt_buf_t *b, json_t *sum) {
  json_t *sc = json_object_get(sum, "scenario"), *er = json_object_get(sum, "errors");
  dt_buf_puts(b, "<h1>");
  esc(b, str(sc, "title"));
  dt_buf_puts(b, "</h1>\n<table class=\"batch\">");
  dt_buf_puts(b, "<tr><th>scenario</th><td><code>"); esc(b, str(sc, "file"));
  put(b, "</code> (%lld bytes, CRC-32 %s)</td></tr>", integer(sc, "bytes"), str(sc, "crc32"));
  dt_buf_puts(b, "<tr><th>master seed</th><td>");
  esc(b, str(sum, "seed"));
  dt_buf_puts(b, "</td></tr>");
  put(b, "<tr><th>runs</th><td>%lld (%lld per point, %lld point%s), %lld failed</td></tr>",
      integer(sum, "rows"), integer(sum, "runs_per_point"), integer(sum, "points"),
      integer(sum, "points") == 1 ? "" : "s", integer(er, "count"));
  if (json_is_string(json_object_get(sum, "fork_at"))) {
    dt_buf_puts(b, "<tr><th>forked at</th><td>");
    esc(b, str(sum, "fork_at"));
    dt_buf_puts(b, "</td></tr>");
  }
  dt_buf_puts(b, "<tr><th>detente</th><td>");
  esc(b, str(sum, "detente"));
  dt_buf_puts(b, "</td></tr></table>\n");
  if (!json_array_size(json_object_get(sum, "params")))
    dt_buf_puts(b, "<h2>Params</h2>\n<p>The scenario declares none.</p>\n");
  else
    dt_buf_puts(b, "<h2>Params</h2>\n<table><tr><th>param</th><th>how it varies</th><th>about "
                   "(the scenario's doc: meaning, sources)</th></tr>");
  size_t i; json_t *p;
  json_array_foreach(json_object_get(sum, "params"), i, p) {
    const char *name = str(p, "name");
    dt_buf_puts(b, "<tr><td><code>"); esc(b, name); dt_buf_puts(b, "</code></td><td>");
    int said = 0;
    size_t k; json_t *v;
    json_array_foreach(json_object_get(sum, "overrides"), k, v) if (!strcmp(str(v, "name"), name)) {
      dt_buf_puts(b, "fixed with -D: ");
      esc(b, str(v, "value"));
      said = 1;
    }
    json_array_foreach(json_object_get(sum, "sweep"), k, v)
      if (!strcmp(str(v, "param"), name)) {
        dt_buf_puts(b, "swept over ");
        size_t m; json_t *x;
        json_array_foreach(json_object_get(v, "values"), m, x) {
          if (m) dt_buf_puts(b, ", ");
          esc(b, json_string_value(x));
        }
        said = 1;
      }
      if (!said)
        dt_buf_puts(b, json_is_true(json_object_get(p, "sampled"))
                           ? "sampled per run from its distribution"
                           : "the scenario's default");
      dt_buf_puts(b, "</td><td>");
      esc(b, str(p, "doc"));
      dt_buf_puts(b, "</td></tr>");
  }
  if (json_array_size(json_object_get(sum, "params"))) dt_buf_puts(b, "</table>\n");
  dt_buf_puts(b, "<h2>Reproducing</h2>\n<p>The batch:</p>\n");
  cmd_line(b, sum, "mc", str(sum, "seed"));
  dt_buf_puts(
      b,
      "<p>Any one run: its seed is in the runs file's <code>seed</code> column (and the database's "
      "<code>runs</code> table):</p>\n");
  cmd_line(b, sum, "run", "<seed>");
  if (json_is_string(json_object_get(sum, "sample")))
    dt_buf_puts(b, "<p>A Latin hypercube's sampled params depend on the run's place in its point, "
                   "not on its seed alone: add <code>-D name=value</code> for each sampled param, "
                   "from the run's row.</p>\n");
  json_t *first = json_object_get(er, "first");
  if (json_array_size(first)) {
    dt_buf_puts(b, "<p>The first failed "
                   "runs:</p>\n<table><tr><th>run</th><th>status</th><th>message</"
                   "th><th>reproduce</th></tr>");
    json_t *e;
    json_array_foreach(first, i, e) {
      put(b, "<tr><td class=\"n\">%lld</td><td>", integer(e, "run"));
      esc(b, str(e, "status")); dt_buf_puts(b, "</td><td>"); esc(b, str(e, "message"));
      dt_buf_puts(b, "</td><td><code>--seed s");
      esc(b, str(e, "seed"));
      dt_buf_puts(b, "</code></td></tr>");
    }
    dt_buf_puts(b, "</table>\n");
  }
}

/* One row per sweep point, one column per outcome. */
static void comparison(dt_buf_t *b, json_t *sum) {
  json_t *pts = json_object_get(sum, "points_summary"), *outs = json_object_get(sum, "outcomes");
  dt_buf_puts(
      b,
      "<h2>Sweep points compared</h2>\n<p>Booleans: p [95% Wilson interval]; numbers: mean "
      "(median); categories: the most frequent value and its share.</p>\n<table><tr><th>point</th>"
      "<th>runs</th><th>ok</th>");
  size_t i, k; json_t *o, *pt;
  json_array_foreach(outs, k, o) {
    dt_buf_puts(b, "<th>");
    esc(b, str(o, "name"));
    dt_buf_puts(b, "</th>");
  }
  dt_buf_puts(b, "</tr>\n");
  json_array_foreach(pts, i, pt) {
    dt_buf_puts(b, "<tr><td>");
    point_label(b, pt);
    put(b, "</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td>", integer(pt, "runs"),
        integer(pt, "ok"));
    json_array_foreach(outs, k, o) {
      json_t *v = outcome_at(pt, str(o, "name"));
      const char *kind = str(v, "kind");
      char t1[32], t2[32], t3[32];
      dt_buf_puts(b, "<td class=\"n\">");
      if (integer(v, "n") <= 0) dt_buf_puts(b, "–");
      else if (!strcmp(kind, "boolean")) {
        json_t *ci = json_object_get(v, "ci95");
        put(b, "%s [%s, %s]", fmtp(num(v, "p"), t1),
            fmtp(json_number_value(json_array_get(ci, 0)), t2),
            fmtp(json_number_value(json_array_get(ci, 1)), t3));
      } else if (!strcmp(kind, "number"))
        put(b, "%s (%s)", fmt4(num(v, "mean"), t1), fmt4(num(v, "median"), t2));
      else if (!strcmp(kind, "category")) {
        json_t *f = json_array_get(json_object_get(v, "frequencies"), 0);
        esc(b, *str(f, "value") ? str(f, "value") : "(empty)");
        put(b, " %s", dt_fmt_pct(num(f, "share"), t1));
      }
      dt_buf_puts(b, "</td>");
    }
    dt_buf_puts(b, "</tr>\n");
  }
  dt_buf_puts(b, "</table>\n");
}

/* One row per outcome, one column per param. */
static void corr_table(dt_buf_t *b, json_t *rc) {
  dt_buf_puts(b, "<table><tr><th>outcome</th>");
  const char *pn, *on; json_t *pr, *r;
  json_object_foreach(rc, pn, pr) { dt_buf_puts(b, "<th>"); esc(b, pn); dt_buf_puts(b, "</th>"); }
  dt_buf_puts(b, "</tr>");
  json_t *first = json_object_iter_value(json_object_iter(rc));
  json_object_foreach(first, on, r) {
    dt_buf_puts(b, "<tr><td>"); esc(b, on); dt_buf_puts(b, "</td>");
    json_object_foreach(rc, pn, pr) {
      json_t *v = json_object_get(pr, on);
      if (!json_is_number(v)) { dt_buf_puts(b, "<td class=\"n\">n/a</td>"); continue; }
      double x = json_number_value(v);
      int a = (int)(fabs(x) * 60);
      const char *pos = a > 30 ? "#9cc3e6" : a > 10 ? "#d2e4f4" : "#fff";
      const char *neg = a > 30 ? "#f0b08a" : a > 10 ? "#f8dcc8" : "#fff";
      put(b, "<td class=\"n\" style=\"background:%s\">%+.2f</td>", x >= 0 ? pos : neg, x);
    }
    dt_buf_puts(b, "</tr>");
  }
  dt_buf_puts(b, "</table>");
}

static void correlations(dt_buf_t *b, json_t *sum) {
  json_t *pts = json_object_get(sum, "points_summary");
  json_t *vc = json_object_get(sum, "varied_rank_correlation");
  size_t i; json_t *pt;
  int any = json_object_size(vc) > 0;
  json_array_foreach(pts, i, pt)
    any |= json_object_size(json_object_get(pt, "rank_correlation")) > 0;
  if (!any) return;
  dt_buf_puts(b, "<h2>Rank correlations (Spearman)</h2>\n<p>Of each varied param with each "
                 "boolean or numeric outcome: what drives what.</p>\n");
  if (json_object_size(vc)) {
    dt_buf_puts(b, "<div class=\"point\"><h3>Swept or design params, over all points</h3>");
    corr_table(b, vc);
    dt_buf_puts(b, "</div>\n");
  }
  json_array_foreach(pts, i, pt) {
    json_t *rc = json_object_get(pt, "rank_correlation");
    if (!json_object_size(rc)) continue;
    dt_buf_puts(b, "<div class=\"point\"><h3>Sampled params at ");
    point_label(b, pt);
    dt_buf_puts(b, "</h3>");
    corr_table(b, rc);
    dt_buf_puts(b, "</div>\n");
  }
}

/* The charts of every outcome; draws them into b unless b is NULL. */
static int outcomes(dt_buf_t *b, json_t *sum) {
  json_t *pts = json_object_get(sum, "points_summary"), *outs = json_object_get(sum, "outcomes");
  dt_buf_t sink = { 0 };
  dt_buf_t *to = b ? b : &sink;
  int charts = 0, swept = numeric_sweep(sum);
  size_t k, i; json_t *o, *pt;
  if (b) dt_buf_puts(b, "<h2>Outcomes</h2>\n");
  json_array_foreach(outs, k, o) {
    const char *name = str(o, "name"), *kind = str(o, "kind");
    dt_buf_puts(to, "<div class=\"outcome\"><h3>");
    esc(to, name);
    dt_buf_puts(to, " <small>(");
    int is_date = 0;   /* a category whose values are all dates (summary.c) */
    json_array_foreach(pts, i, pt) if (json_object_get(outcome_at(pt, name), "dates")) is_date = 1;
    esc(to, is_date ? "date" : kind);
    dt_buf_puts(to, ")</small></h3>\n");
    if (!strcmp(kind, "boolean")) {
      charts += prob_chart(to, pts, name);
      if (swept) charts += sweep_chart(to, sum, name, 1);
    } else if (!strcmp(kind, "number")) {
      dt_buf_puts(to, "<div class=\"charts\">");
      json_array_foreach(pts, i, pt) {
        json_t *v = outcome_at(pt, name);
        if (integer(v, "n") <= 0) continue;
        char t1[32], t2[32], t3[32];
        dt_buf_puts(to, "<div><p>");
        point_label(to, pt);
        put(to, ": mean %s, sd %s, n = %lld</p>", fmt4(num(v, "mean"), t1), fmt4(num(v, "sd"), t2),
            integer(v, "n"));
        (void)t3;
        charts += hist_chart(to, v, (int)i);
        dt_buf_puts(to, "</div>");
      }
      charts += cdf_chart(to, pts, name);
      dt_buf_puts(to, "</div>\n");
      if (swept) charts += sweep_chart(to, sum, name, 0);
    } else if (!strcmp(kind, "category")) {
      dt_buf_puts(to, "<div class=\"charts\">");
      json_array_foreach(pts, i, pt) {
        json_t *v = outcome_at(pt, name);
        if (integer(v, "n") <= 0) continue;
        dt_buf_puts(to, "<div><p>");
        point_label(to, pt);
        json_t *dq = json_object_get(v, "dates");
        if (dq) {   /* a date outcome: a date histogram */
          dt_buf_puts(to, ": median ");
          esc(to, str(dq, "p50"));
          dt_buf_puts(to, " (p5 ");
          esc(to, str(dq, "p5"));
          dt_buf_puts(to, ", p95 ");
          esc(to, str(dq, "p95"));
          put(to, "), n = %lld</p>", integer(v, "n"));
          charts += date_chart(to, v, (int)i);
        } else {
          dt_buf_puts(to, "</p>");
          charts += cat_chart(to, v, (int)i);
        }
        dt_buf_puts(to, "</div>");
      }
      dt_buf_puts(to, "</div>\n");
    } else {
      dt_buf_puts(to, "<p>No run gave this outcome a value.</p>\n");
    }
    dt_buf_puts(to, "</div>\n");
  }
  dt_buf_free(&sink);
  return charts;
}

/* ---- sensitivity (detente sensitivity --json) ------------------------------------- */

static int by_swing(const void *a, const void *b) {
  double x = num(*(json_t *const *)a, "swing"), y = num(*(json_t *const *)b, "swing");
  return x < y ? 1 : x > y ? -1 : 0;
}

/* A tornado: per param a bar from the outcome at its min to at its max,
 * around the base, widest first. */
static int tornado(dt_buf_t *b, json_t *e) {
  json_t *ps = json_object_get(e, "params");
  size_t n = json_array_size(ps), i;
  json_t **v = calloc(n + 1, sizeof *v);
  if (!v || !n) { free(v); return 0; }
  for (i = 0; i < n; i++) v[i] = json_array_get(ps, i);
  qsort(v, n, sizeof *v, by_swing);
  double base = num(e, "base"), lo = base, hi = base;
  for (i = 0; i < n; i++) {
    double a = num(v[i], "at_min"), c = num(v[i], "at_max");
    if (isfinite(a)) { lo = fmin(lo, a); hi = fmax(hi, a); }
    if (isfinite(c)) { lo = fmin(lo, c); hi = fmax(hi, c); }
  }
  if (!(hi > lo)) { hi = lo + 1; lo -= 1; }
  int row = 22, left = 170, plot = 380, w = 640, h = 40 + row * (int)n;
  svg_open(b, w, h, "tornado: the outcome with each param at its min and max");
#define X(x) (left + plot * ((x) - lo) / (hi - lo))
  for (i = 0; i < n; i++) {
    double a = num(v[i], "at_min"), c = num(v[i], "at_max"), y = 6 + row * (double)i;
    dt_buf_puts(b, "<text x=\"4\" class=\"lab\" y=\"");
    put(b, "%.1f\">", y + 14);
    esc(b, str(v[i], "name"));
    dt_buf_puts(b, "</text>");
    if (isfinite(a))
      put(b,
          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"%s\" opacity=\"0.75\"/>",
          fmin(X(a), X(base)), y + 2, fabs(X(a) - X(base)), palette[1]);
    if (isfinite(c))
      put(b,
          "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"%s\" opacity=\"0.75\"/>",
          fmin(X(c), X(base)), y + 2, fabs(X(c) - X(base)), palette[0]);
  }
  char t1[32], t2[32], t3[32];
  put(b, "<line x1=\"%.1f\" y1=\"2\" x2=\"%.1f\" y2=\"%d\" class=\"med\"/>", X(base), X(base),
      h - 30);
  put(b, "<text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>", left, h - 18, fmt4(lo, t1));
  put(b, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">%s</text>", left + plot,
      h - 18, fmt4(hi, t2));
  put(b, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">base %s</text>", X(base),
      h - 18, fmt4(base, t3));
  put(b,
      "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">orange: param at its min; "
      "blue: at its max</text>",
      left + plot / 2, h - 4);
#undef X
  dt_buf_puts(b, "</svg>\n");
  free(v);
  return 1;
}

/* First-order and total indices per param, with their intervals. */
static int sobol_chart(dt_buf_t *b, json_t *e) {
  json_t *ps = json_object_get(e, "params");
  int n = (int)json_array_size(ps), row = 34, left = 170, plot = 360, w = 640, h = 36 + row * n;
  if (!n) return 0;
  svg_open(b, w, h, "Sobol indices: first order and total, 95% bootstrap intervals");
  for (int k = 0; k <= 4; k++) {
    double x = left + plot * k / 4.0;
    put(b, "<line x1=\"%.1f\" y1=\"2\" x2=\"%.1f\" y2=\"%d\" class=\"grid\"/>", x, x, h - 30);
    put(b, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%.2f</text>", x, h - 18,
        k / 4.0);
  }
  size_t i; json_t *q;
  json_array_foreach(ps, i, q) {
    double y = 6 + row * (double)i;
    dt_buf_puts(b, "<text x=\"4\" class=\"lab\" y=\"");
    put(b, "%.1f\">", y + 18);
    esc(b, str(q, "name"));
    dt_buf_puts(b, "</text>");
    static const char *const key[2] = { "S1", "ST" }, *const ci[2] = { "S1_ci95", "ST_ci95" };
    for (int m = 0; m < 2; m++) {
      double v = num(q, key[m]), yy = y + 2 + 14 * m;
      if (!isfinite(v)) continue;
      double c = fmin(fmax(v, 0), 1);
      put(b,
          "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"12\" fill=\"%s\" opacity=\"0.75\"/>",
          left, yy, plot * c, palette[m]);
      json_t *iv = json_object_get(q, ci[m]);
      double lo = json_number_value(json_array_get(iv, 0)),
             hi = json_number_value(json_array_get(iv, 1));
      if (json_is_number(json_array_get(iv, 0)) && json_is_number(json_array_get(iv, 1)))
        put(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"ci\"/>",
            left + plot * fmin(fmax(lo, 0), 1), yy + 6, left + plot * fmin(fmax(hi, 0), 1), yy + 6);
      char t[32];
      put(b, "<text x=\"%d\" y=\"%.1f\" class=\"tick\">%s %s</text>", left + plot + 6, yy + 10,
          m ? "total" : "first", fmtp(v, t));
    }
  }
  put(b,
      "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">blue: first-order index; "
      "orange: total index</text>",
      left + plot / 2, h - 4);
  dt_buf_puts(b, "</svg>\n");
  return 1;
}

static int sensitivity(dt_buf_t *b, json_t *res) {
  json_t *oj = json_object_get(res, "oat"), *sj = json_object_get(res, "sobol");
  dt_buf_t sink = { 0 };
  dt_buf_t *to = b ? b : &sink;
  int charts = 0;
  if (b) {
    dt_buf_puts(b,
                "<h2>Params "
                "varied</h2>\n<table><tr><th>param</th><th>min</th><th>max</th><th>base</th></tr>");
    size_t i; json_t *p;
    json_array_foreach(json_object_get(res, "params"), i, p) {
      char t1[32], t2[32], t3[32];
      dt_buf_puts(b, "<tr><td><code>"); esc(b, str(p, "name"));
      put(b,
          "</code></td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>",
          fmt4(num(p, "min"), t1), fmt4(num(p, "max"), t2), fmt4(num(p, "base"), t3));
    }
    dt_buf_puts(b, "</table>\n");
  }
  const char *name; json_t *e;
  if (oj) {
    if (b)
      put(b,
          "<h2>One at a time</h2>\n<p>%lld points, %lld runs: the outcome (mean over a point's "
          "runs) with each "
          "param at its min and at its max, the others at their base.</p>\n",
          integer(oj, "points"), integer(oj, "runs"));
    json_object_foreach(json_object_get(oj, "outcomes"), name, e) {
      dt_buf_puts(to, "<div class=\"outcome\"><h3>"); esc(to, name); dt_buf_puts(to, "</h3>\n");
      charts += tornado(to, e);
      dt_buf_puts(to, "</div>\n");
    }
  }
  if (sj) {
    if (b)
      put(b,
          "<h2>Sobol indices</h2>\n<p>Saltelli's sampling with N = %lld (%lld points, %lld runs); "
          "first-order "
          "indices (Saltelli 2010) and total indices (Jansen 1999), 95%% intervals from %lld "
          "bootstrap resamples.</p>\n",
          integer(sj, "samples"), integer(sj, "points"), integer(sj, "runs"),
          integer(sj, "bootstrap"));
    json_object_foreach(json_object_get(sj, "outcomes"), name, e) {
      dt_buf_puts(to, "<div class=\"outcome\"><h3>"); esc(to, name); dt_buf_puts(to, "</h3>\n");
      charts += sobol_chart(to, e);
      dt_buf_puts(to, "</div>\n");
    }
  }
  dt_buf_free(&sink);
  return charts;
}

static int is_sensitivity(json_t *sum) {
  const char *f = json_string_value(json_object_get(sum, "format"));
  return f && !strcmp(f, "detente-sensitivity");
}

int dt_report_chart_count(json_t *sum) {
  return is_sensitivity(sum) ? sensitivity(NULL, sum) : outcomes(NULL, sum) + series(NULL, sum);
}

int dt_report_html(json_t *sum, dt_buf_t *b) {
  if (is_sensitivity(sum)) {
    dt_buf_puts(b,
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    esc(b, str(json_object_get(sum, "scenario"), "title"));
    dt_buf_puts(b, " — sensitivity</title>\n");
    dt_buf_puts(b, style);
    dt_buf_puts(b, "</head>\n<body>\n<h1>");
    esc(b, str(json_object_get(sum, "scenario"), "title"));
    dt_buf_puts(b, ": sensitivity</h1>\n<p>Scenario <code>");
    esc(b, str(json_object_get(sum, "scenario"), "file"));
    put(b,
        "</code>, master seed %s, %lld runs per design point. Reproduce with <code>detente "
        "sensitivity ",
        str(sum, "seed"), integer(sum, "runs_per_point"));
    esc(b, str(json_object_get(sum, "scenario"), "file"));
    put(b, " --seed %s --runs %lld", str(sum, "seed"), integer(sum, "runs_per_point"));
    json_t *sj = json_object_get(sum, "sobol");
    if (sj)
      put(b, " --samples %lld --bootstrap %lld", integer(sj, "samples"), integer(sj, "bootstrap"));
    else dt_buf_puts(b, " --samples 0");
    if (!json_object_get(sum, "oat")) dt_buf_puts(b, " --no-oat");
    dt_buf_puts(b, "</code> (and the same -D).</p>\n");
    int charts = sensitivity(b, sum);
    dt_buf_puts(b, "<p><small>Written by <code>detente report</code>: one file, no scripts, "
                   "nothing fetched.</small></p>\n");
    dt_buf_puts(b, "</body>\n</html>\n");
    return charts;
  }
  dt_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
  esc(b, str(json_object_get(sum, "scenario"), "title"));
  dt_buf_puts(b, " — batch report</title>\n");
  dt_buf_puts(b, style);
  dt_buf_puts(b, "</head>\n<body>\n");
  header(b, sum);
  if (json_array_size(json_object_get(sum, "points_summary")) > 1) comparison(b, sum);
  int charts = outcomes(b, sum);
  charts += series(b, sum);
  correlations(b, sum);
  dt_buf_puts(b, "<p><small>Written by <code>detente report</code>: one file, no scripts, nothing "
                 "fetched.</small></p>\n");
  dt_buf_puts(b, "</body>\n</html>\n");
  return charts;
}
