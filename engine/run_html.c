/* run_html.c: `detente run --html` (run_html.h). Collects the events and the
 * world after each of them during one run, builds the after-action model's
 * shape from them (points, seats, treaties, metrics, events) so that aar.c's
 * charts and event table draw them, and adds the swimlanes. */
#include "run_html.h"
#include "aar.h"
#include "html.h"
#include "output.h"
#include "view.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define put dt_html_put
#define esc dt_html_esc

struct dt_run_html {
  dt_sim_t *sim;
  json_t *events;                /* the log's form of each event */
  json_t *points;                /* the world after each instant (view.h, white cell) */
};

void dt_run_html_point(dt_run_html_t *h) {
  json_t *p = dt_view_point(h->sim, -1);
  if (!p) return;
  size_t n = json_array_size(h->points);
  json_t *last = n ? json_array_get(h->points, n - 1) : NULL;
  if (last && json_equal(json_object_get(last, "t"), json_object_get(p, "t")))
    json_array_set_new(h->points, n - 1, p);   /* one point per instant: its last state */
  else json_array_append_new(h->points, p);
}

static void on_event(dt_sim_t *sim, const dt_event_t *ev, void *ud) {
  dt_run_html_t *h = ud;
  json_t *e = dt_event_json(sim, ev);
  if (e) json_array_append_new(h->events, e);
  dt_run_html_point(h);
}

dt_run_html_t *dt_run_html_new(dt_sim_t *sim) {
  dt_run_html_t *h = calloc(1, sizeof *h);
  if (!h) return NULL;
  h->sim = sim;
  h->events = json_array();
  h->points = json_array();
  if (!h->events || !h->points || dt_sim_add_sink(sim, on_event, h) < 0) {
    dt_run_html_free(h);
    return NULL;
  }
  return h;
}

void dt_run_html_free(dt_run_html_t *h) {
  if (!h) return;
  json_decref(h->events);
  json_decref(h->points);
  free(h);
}

static const char *sget(const json_t *o, const char *k) {
  const char *v = json_string_value(json_object_get(o, k));
  return v ? v : "";
}

static void value_cell(dt_buf_t *b, const dt_lrt_value_t *v) {
  char buf[40];
  switch (v->type) {
  case DT_LRT_V_BOOL: dt_buf_puts(b, v->num != 0 ? "true" : "false"); break;
  case DT_LRT_V_NUM: dt_buf_puts(b, dt_fmt_show(v->num, buf)); break;
  case DT_LRT_V_STR: esc(b, v->str ? v->str : ""); break;
  case DT_LRT_V_DATE: dt_time_format((dt_time_t)v->num, buf, sizeof buf); esc(b, buf); break;
  default: dt_buf_puts(b, "<span class=\"muted\">none</span>");
  }
}

static void named_table(dt_buf_t *b, const dt_lrt_named_t *v, int n, const char *what) {
  if (!n) {
    put(b, "<p class=\"muted\">No %s.</p>\n", what);
    return;
  }
  dt_buf_puts(b, "<table><tr><th>name</th><th>value</th><th>about</th></tr>\n");
  for (int i = 0; i < n; i++) {
    dt_buf_puts(b, "<tr><td><code>");
    esc(b, v[i].name);
    dt_buf_puts(b, "</code></td><td class=\"n\">");
    value_cell(b, &v[i].v);
    dt_buf_puts(b, "</td><td>");
    if (v[i].sampled) dt_buf_puts(b, "<span class=\"tag\">sampled</span> ");
    esc(b, v[i].doc ? v[i].doc : "");
    dt_buf_puts(b, "</td></tr>\n");
  }
  dt_buf_puts(b, "</table>\n");
}

/* The colour of an event by the family of its kind (shown in the legend). */
static const struct { const char *prefix, *label, *color; } families[] = {
  { "treaty.", "treaty", "#1f5fa8" },     { "proposal.", "proposal", "#2e7d32" },
  { "decision.", "decision", "#8e44ad" }, { "arsenal.", "forces", "#c77700" },
  { "stockpile.", "forces", "#c77700" },  { "inject.", "inject", "#b3261e" },
  { "", "other", "#5d6878" },
};
#define NFAM (sizeof families / sizeof *families)

static size_t family(const char *kind) {
  for (size_t f = 0; f + 1 < NFAM; f++)
    if (!strncmp(kind, families[f].prefix, strlen(families[f].prefix))) return f;
  return NFAM - 1;
}

/* Ticks along the time axis: years, quarters or months, as the span allows. */
static void time_ticks(dt_buf_t *b, dt_time_t t0, dt_time_t t1, double L, double W, double R,
                       double top, double bottom) {
  double days = (double)(t1 - t0) / 86400.0;
  int step = days > 3 * 366 ? 12 : days > 240 ? 3 : 1;
  int y, m, d, hh, mm, ss;
  dt_time_to_civil(t0, &y, &m, &d, &hh, &mm, &ss);
  m = ((m - 1) / step) * step + 1;   /* the period's first month, on or before t0 */
  for (int k = 0; k < 400; k++) {
    dt_time_t t;
    if (dt_time_from_civil(y, m, 1, &t)) break;
    if (t > t1) break;
    if (t >= t0) {
      double x = L + (W - L - R) * (double)(t - t0) / (double)(t1 - t0);
      put(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%g\" y2=\"%g\" stroke=\"#e3e7ee\"/>", x, x, top,
          bottom);
      if (step == 12)
        put(b, "<text x=\"%.1f\" y=\"%g\" class=\"tick\">%d</text>", x + 2, top - 4, y);
      else put(b, "<text x=\"%.1f\" y=\"%g\" class=\"tick\">%d-%02d</text>", x + 2, top - 4, y, m);
    }
    m += step;
    while (m > 12) { m -= 12; y++; }
  }
}

/* One lane per state (and one for events no state made), a mark per event
 * at its date; an event with a target has a line to the target's lane. */
static int swimlanes(dt_buf_t *b, const dt_sim_t *sim, const json_t *events) {
  int nlanes = sim->nstates;
  int world = 0;
  size_t i; json_t *e;
  json_array_foreach(events, i, e) if (json_is_null(json_object_get(e, "by"))) world = 1;
  nlanes += world;
  if (nlanes == 0) return 0;
  dt_time_t t0 = sim->start;
  dt_time_t t1 = sim->stop != DT_NEVER && sim->stop > sim->now ? sim->stop : sim->now;
  if (t1 <= t0) t1 = t0 + 86400;
  const double W = 900, L = 110, R = 14, T = 26, lane = 36, legend = 30;
  double H = T + lane * nlanes + legend;
  put(b, "<div class=\"chart\"><svg class=\"lanes\" viewBox=\"0 0 %g %g\" role=\"img\" "
         "aria-label=\"the run's events, a lane per state\">", W, H);
  for (int l = 0; l < nlanes; l++) {
    double y = T + lane * l;
    if (l % 2 == 0)
      put(b, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"#f5f6f8\"/>", L, y,
          W - L - R, lane);
    const char *label = l < sim->nstates ? sim->states[l]->id : "world";
    int count = 0;
    json_array_foreach(events, i, e) {
      const char *by = sget(e, "by");
      count += l < sim->nstates ? !strcmp(by, label) : json_is_null(json_object_get(e, "by"));
    }
    put(b, "<text x=\"%g\" y=\"%g\" class=\"lab\" text-anchor=\"end\">", L - 8, y + lane / 2 + 4);
    esc(b, label);
    put(b, " (%d)</text>", count);
  }
  time_ticks(b, t0, t1, L, W, R, T, T + lane * nlanes);
  json_array_foreach(events, i, e) {
    const char *by = sget(e, "by"), *to = sget(e, "to");
    int l = sim->nstates, lt = -1;
    for (int s = 0; s < sim->nstates; s++) {
      if (!strcmp(sim->states[s]->id, by)) l = s;
      if (!strcmp(sim->states[s]->id, to)) lt = s;
    }
    double t = (double)json_integer_value(json_object_get(e, "t"));
    if (t < (double)t0) t = (double)t0;
    if (t > (double)t1) t = (double)t1;
    double x = L + (W - L - R) * (t - (double)t0) / (double)(t1 - t0);
    double y = T + lane * l + lane / 2;
    const char *color = families[family(sget(e, "kind"))].color;
    if (lt >= 0 && lt != l)
      put(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
             "stroke-opacity=\".45\"/>", x, x, y, T + lane * lt + lane / 2, color);
    put(b, "<circle class=\"ev\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" fill-opacity=\".8\">"
           "<title>", x, y, color);
    esc(b, sget(e, "date"));
    dt_buf_puts(b, " ");
    esc(b, sget(e, "kind"));
    if (*sget(e, "text")) {
      dt_buf_puts(b, ": ");
      esc(b, sget(e, "text"));
    }
    dt_buf_puts(b, "</title></circle>");
  }
  double lx = L, ly = T + lane * nlanes + 20;
  for (size_t f = 0; f < NFAM; f++) {
    if (f > 0 && !strcmp(families[f].label, families[f - 1].label)) continue;
    put(b, "<circle cx=\"%g\" cy=\"%g\" r=\"4\" fill=\"%s\"/><text x=\"%g\" y=\"%g\" "
           "class=\"lab\">%s</text>", lx, ly - 4, families[f].color, lx + 8, ly, families[f].label);
    lx += 95;
  }
  dt_buf_puts(b, "</svg></div>\n");
  return 1;
}

static const char extra_css[] =
    "svg .tick{font-size:10px;fill:#5d6878}svg .lab{font-size:12px;fill:#1d2430}"
    "svg.lanes{max-width:none}pre{white-space:pre-wrap}";

int dt_run_html_write(dt_run_html_t *h, const dt_lrt_t *rt, const char *scenario, uint64_t seed,
                      const dt_lrt_override_t *ov, int nov, const char *error, dt_buf_t *b) {
  dt_sim_t *sim = h->sim;
  dt_run_html_point(h);   /* the world as the run left it: the lines run to the end */
  json_t *seats = json_array();
  for (int i = 0; i < sim->nstates; i++)
    json_array_append_new(seats, json_pack("{s:s}", "id", sim->states[i]->id));
  json_t *m = json_pack("{s:o,s:O,s:O,s:o,s:o}", "seats", seats, "points", h->points, "events",
                        h->events, "metrics", dt_view_metrics(sim), "treaties",
                        dt_view_treaties(sim));
  if (!m) return 0;
  char start[40], end[40], seedbuf[32];
  dt_time_format(sim->start, start, sizeof start);
  dt_time_format(sim->now, end, sizeof end);
  snprintf(seedbuf, sizeof seedbuf, "%llu", (unsigned long long)seed);
  const char *title = sim->title ? sim->title : scenario;
  int charts = 0;
  dt_buf_puts(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
  esc(b, title);
  put(b, ": one run</title><style>%s%s</style></head><body>\n<h1>", dt_aar_css(), extra_css);
  esc(b, title);
  dt_buf_puts(b, "</h1>\n<p>One run of <code>");
  esc(b, scenario);
  put(b, "</code>, seed %s, from %s to %s: %zu events.", seedbuf, start, end,
      json_array_size(h->events));
  if (error) {
    dt_buf_puts(b, " <b>The run failed:</b></p>\n<pre>");
    esc(b, error);
    dt_buf_puts(b, "</pre>\n<p>");
  }
  dt_buf_puts(b, " Reproduce it:</p>\n<pre>detente run ");
  esc(b, scenario);
  put(b, " --seed %s", seedbuf);
  for (int i = 0; i < nov; i++) {
    dt_buf_puts(b, " -D ");
    esc(b, ov[i].name);
    dt_buf_puts(b, "=");
    esc(b, ov[i].value);
  }
  dt_buf_puts(b, "</pre>\n<h2 id=\"lanes\">Events by state</h2>\n<p class=\"muted\">A mark per "
                 "event in the lane of the state that made it (events of no state: "
                 "<i>world</i>); a line joins it to the lane of its target.</p>\n");
  charts += swimlanes(b, sim, h->events);
  dt_buf_puts(b, "<h2 id=\"metrics\">Forces against the limits</h2>\n");
  charts += dt_aar_metric_charts(m, b);
  dt_buf_puts(b, "<h2 id=\"params\">Params</h2>\n");
  named_table(b, rt->params, rt->nparams, "param");
  dt_buf_puts(b, "<h2 id=\"outcomes\">Outcomes</h2>\n");
  if (error) dt_buf_puts(b, "<p class=\"muted\">None: the run failed.</p>\n");
  else named_table(b, rt->outcomes, rt->noutcomes, "outcome");
  dt_buf_puts(b, "<h2 id=\"timeline\">Every event</h2>\n");
  dt_aar_timeline(b, h->events, NULL);
  dt_buf_puts(b, "<p class=\"muted\"><small>Written by <code>detente run --html</code>: one file, "
                 "no scripts, nothing fetched.</small></p>\n</body></html>\n");
  json_decref(m);
  return charts;
}
