/* aar.c: the after-action review (aar.h). Owns the collection during a
 * replay (the world over time, the inputs and what became of them), the one
 * model built from it, and its two renderings, HTML and Markdown. It does not
 * replay (cmd_replay.c does) and does not decide visibility (the events carry
 * their parties; the per-seat timelines filter on them). */
#include "aar.h"
#include "html.h"
#include "output.h"
#include "view.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dt_aar {
  dt_session_t *s;
  json_t *points;                /* the world over time (view.h, white cell) */
  json_t *inputs;                /* each replayed input, with its result */
};

static void on_event(dt_sim_t *sim, const dt_event_t *ev, void *ud) {
  dt_aar_t *a = ud;
  (void)ev;
  json_t *p = dt_view_point(sim, -1);
  size_t n = json_array_size(a->points);
  json_t *last = n ? json_array_get(a->points, n - 1) : NULL;
  if (last && json_equal(json_object_get(last, "t"), json_object_get(p, "t")))
    json_array_set_new(a->points, n - 1, p);
  else json_array_append_new(a->points, p);
}

dt_aar_t *dt_aar_new(dt_session_t *s) {
  dt_aar_t *a = calloc(1, sizeof *a);
  if (!a) return NULL;
  a->s = s;
  a->points = json_array();
  a->inputs = json_array();
  if (!a->points || !a->inputs || dt_sim_add_sink(s->sim, on_event, a) < 0) {
    dt_aar_free(a);
    return NULL;
  }
  return a;
}

void dt_aar_free(dt_aar_t *a) {
  if (!a) return;
  json_decref(a->points);
  json_decref(a->inputs);
  free(a);
}

void dt_aar_input(dt_aar_t *a, const json_t *rec) {
  json_t *r = json_deep_copy(rec);
  if (!r) return;
  if (a->s->replayed) json_object_set(r, "result", a->s->replayed);
  json_array_append_new(a->inputs, r);
}

/* ---- the model ---------------------------------------------------------------- */

static const char *sget(const json_t *o, const char *k) {
  const char *v = json_string_value(json_object_get(o, k));
  return v ? v : "";
}

static void date_of(dt_time_t t, char *buf, size_t n) {
  if (t == DT_NEVER) snprintf(buf, n, "none");
  else dt_time_format(t, buf, n);
}

/* The event that closed decision `id` (decision.made), or NULL. */
static json_t *closing_event(json_t *events, const char *id) {
  size_t i; json_t *e;
  json_array_foreach(events, i,
                     e) if (!strcmp(sget(e, "kind"), "decision.made") &&
                            !strcmp(sget(json_object_get(e, "data"), "decision"), id)) return e;
  return NULL;
}

static json_t *answer_input(json_t *inputs, const char *id) {
  size_t i; json_t *r;
  json_array_foreach(inputs, i, r)
    if (!strcmp(sget(r, "type"), "answer") && !strcmp(sget(r, "decision"), id)) return r;
  return NULL;
}

/* Real time from a question to its answer, when inputs carry wall-clock
 * stamps: the answer's stamp minus that of the first input after the
 * question was committed (within the clock's checkpoint, about a second). */
static json_t *real_ms(json_t *inputs, uint64_t asked_seq, json_t *ans) {
  json_t *wall = json_object_get(ans, "wall");
  if (!json_is_integer(wall)) return json_null();
  size_t i; json_t *r;
  json_array_foreach(inputs, i, r) {
    json_t *w = json_object_get(r, "wall"), *sq = json_object_get(r, "seq");
    if (json_is_integer(w) && json_is_integer(sq) && (uint64_t)json_integer_value(sq) >= asked_seq)
      return json_integer(json_integer_value(wall) - json_integer_value(w));
  }
  return json_null();
}

static json_t *decisions(dt_session_t *s, json_t *events, json_t *inputs) {
  dt_sim_t *sim = s->sim;
  json_t *out = json_array();
  for (int i = 0; i < sim->ndecisions; i++) {
    const dt_decision_t *d = sim->decisions[i];
    const dt_dectype_t *t = &sim->dectypes[d->dectype];
    char id[24], asked[40], deadline[40];
    snprintf(id, sizeof id, "D%d", d->index + 1);
    date_of(d->asked_at, asked, sizeof asked);
    date_of(d->deadline, deadline, sizeof deadline);
    json_t *closed = closing_event(events, id), *ans = answer_input(inputs, id);
    const char *how = d->status == DT_DS_PENDING     ? "open"
                      : d->status == DT_DS_CANCELLED ? "cancelled"
                      : d->status == DT_DS_DEFAULTED ? "defaulted"
                      : ans ? (!strcmp(sget(ans, "by"), "facilitator") ? "overridden" : "answered")
                            : "policy";
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", id, "seat",
                          sim->states[d->state]->id, "name", t->name, "doc", t->doc ? t->doc : "",
                          "asked", asked, "deadline", deadline, "how", how);
    const char *opt = dt_decision_option(sim, d);
    json_object_set_new(o, "answer", opt ? json_string(opt) : json_null());
    json_object_set_new(o, "by", ans ? json_string(sget(ans, "by")) : json_null());
    json_object_set_new(o, "closed", closed ? json_string(sget(closed, "date")) : json_null());
    json_t *ct = closed ? json_object_get(closed, "t") : NULL;
    json_object_set_new(o, "sim_days", json_is_integer(ct)
        ? json_real((double)(json_integer_value(ct) - d->asked_at) / 86400.0) : json_null());
    uint64_t asked_seq = 0;
    size_t k; json_t *e;
    json_array_foreach(events, k, e) if (!strcmp(sget(e, "kind"), "decision.asked") &&
                                         !strcmp(sget(json_object_get(e, "data"), "decision"), id))
        asked_seq = (uint64_t)json_integer_value(json_object_get(e, "seq"));
    json_object_set_new(o, "real_ms", ans ? real_ms(inputs, asked_seq, ans) : json_null());
    json_array_append_new(out, o);
  }
  return out;
}

/* The inputs of one kind, or of several ("move|refuse|amend"). */
static json_t *inputs_of(json_t *inputs, const char *types) {
  json_t *out = json_array();
  size_t i; json_t *r;
  json_array_foreach(inputs, i, r) {
    const char *t = sget(r, "type");
    size_t n = strlen(t);
    for (const char *p = types; *p; ) {
      const char *e = strchr(p, '|');
      size_t len = e ? (size_t)(e - p) : strlen(p);
      if (len == n && !strncmp(p, t, n)) { json_array_append(out, r); break; }
      p += len + (e ? 1 : 0);
    }
  }
  return out;
}

/* Messages grouped by channel (channels in the order they were first used),
 * each channel's in the order they were posted. Takes rows. */
static json_t *by_channel(json_t *rows) {
  json_t *out = json_array();
  size_t i, k; json_t *r, *q;
  json_array_foreach(rows, i, r) {
    const char *ch = sget(r, "channel");
    int first = 1;
    for (k = 0; k < i && first; k++)
      if (!strcmp(sget(json_array_get(rows, k), "channel"), ch)) first = 0;
    if (!first) continue;
    json_array_foreach(rows, k, q) if (!strcmp(sget(q, "channel"), ch)) json_array_append(out, q);
  }
  json_decref(rows);
  return out;
}

/* The event of `kind` about the move input n, the last one, or NULL. */
static json_t *move_event_of(json_t *events, const char *kind, json_int_t n) {
  json_t *found = NULL, *e;
  size_t i;
  json_array_foreach(events, i, e) {
    json_t *in = json_object_get(json_object_get(e, "data"), "input");
    if (!strcmp(sget(e, "kind"), kind) && json_is_integer(in) && json_integer_value(in) == n)
      found = e;
  }
  return found;
}

/* What became of each move held for a turn (docs/protocol.md, "Turns and
 * phases"), as an `outcome` text: refused (by the umpire or the scenario,
 * with the reason), applied (as amended, and why) once its turn was
 * released, or still held. */
static void held_outcomes(json_t *moves, json_t *events) {
  size_t i, k; json_t *r, *q;
  json_array_foreach(moves, i, r) {
    json_t *res = json_object_get(r, "result");
    if (!json_is_true(json_object_get(res, "held"))) continue;
    json_int_t n = json_integer_value(json_object_get(r, "n"));
    json_int_t turn = json_integer_value(json_object_get(res, "turn"));
    json_t *refused = move_event_of(events, "move.refused", n);
    json_t *amended = move_event_of(events, "move.amended", n);
    int released = 0;
    json_array_foreach(moves, k, q)
      if (k > i && !strcmp(sget(q, "type"), "release") &&
          json_integer_value(json_object_get(json_object_get(q, "result"), "turn")) == turn)
        released = 1;
    char text[600];
    json_t *rd = json_object_get(refused, "data"), *ad = json_object_get(amended, "data");
    if (refused)
      snprintf(text, sizeof text, "held for turn %lld, refused by the %s: %s", (long long)turn,
               !strcmp(sget(rd, "by"), "scenario") ? "scenario" : "umpire", sget(rd, "reason"));
    else if (released)
      snprintf(text, sizeof text, "held for turn %lld, applied%s%s", (long long)turn,
               amended ? " as amended by the umpire: " : "", amended ? sget(ad, "reason") : "");
    else
      snprintf(text, sizeof text, "held for turn %lld%s%s", (long long)turn,
               amended ? ", amended by the umpire: " : "", amended ? sget(ad, "reason") : "");
    json_object_set_new(r, "outcome", json_string(text));
  }
}

json_t *dt_aar_model(dt_aar_t *a, const char *source) {
  dt_session_t *s = a->s;
  dt_sim_t *sim = s->sim;
  on_event(sim, NULL, a);        /* the world as the session left it: lines run to the end */
  json_t *events = json_array();
  for (size_t i = 0; i < s->nhist; i++) {
    json_t *e = json_loadb(s->hist[i].line, s->hist[i].len, 0, NULL);
    if (e) json_array_append_new(events, e);
  }
  json_t *seats = json_array();
  for (int i = 0; i < sim->nstates; i++)
    json_array_append_new(seats, json_pack("{s:s,s:s,s:b}", "id", sim->states[i]->id, "name",
                                           sim->states[i]->name ? sim->states[i]->name
                                                                : sim->states[i]->id,
                                           "human", sim->states[i]->human));
  char start[40], end[40];
  date_of(sim->start, start, sizeof start);
  date_of(sim->now, end, sizeof end);
  json_t *m = json_pack("{s:s,s:s,s:I,s:s,s:s,s:o}", "title", sim->title ? sim->title : s->scenario,
                        "scenario", s->scenario, "seed", (json_int_t)s->seed, "start", start, "end",
                        end, "seats", seats);
  json_object_set_new(m, "source", json_string(source ? source : ""));
  json_object_set_new(m, "ended", json_boolean(s->ended));
  json_object_set_new(m, "decisions", decisions(s, events, a->inputs));
  json_t *moves = inputs_of(a->inputs, "move|adjudicate|refuse|amend|release");
  held_outcomes(moves, events);
  json_object_set_new(m, "moves", moves);
  json_object_set_new(m, "messages", by_channel(inputs_of(a->inputs, "post")));
  json_object_set_new(m, "injects", inputs_of(a->inputs, "inject"));
  json_object_set_new(m, "white_cell",
                      inputs_of(a->inputs, "event|broadcast|seat|pause|resume|advance|pace|end"));
  json_object_set_new(m, "events", events);
  json_object_set_new(m, "metrics", dt_view_metrics(sim));
  json_object_set_new(m, "treaties", dt_view_treaties(sim));
  json_object_set(m, "points", a->points);
  json_object_set_new(m, "inputs", json_integer((json_int_t)json_array_size(a->inputs)));
  return m;
}

/* ---- HTML ----------------------------------------------------------------------- */

#define put dt_html_put
#define esc dt_html_esc

static const char *const palette[] = { "#1f5fa8", "#b3261e", "#2e7d32",
                                       "#8e44ad", "#c77700", "#00838f" };
#define NPAL (sizeof palette / sizeof *palette)

static const char css[] =
    "body{font:14px/1.45 system-ui,'DejaVu Sans',sans-serif;color:#1d2430;margin:2em "
    "auto;max-width:62em;padding:0 1em}"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid "
    "#d8dde5;padding-bottom:.2em}"
    "table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{text-align:left;padding:.25em "
    ".4em;"
    "border-bottom:1px solid "
    "#e3e7ee;vertical-align:top}th{background:#f5f6f8}td.n{text-align:right;"
    "font-variant-numeric:tabular-nums}.muted{color:#5d6878}.tag{font-size:.8em;color:#8a5a00}"
    "svg{width:100%;height:auto;max-width:40em}.chart{break-inside:avoid}"
    "details{margin:.4em 0}summary{cursor:pointer;font-weight:600}"
    "@media "
    "print{details{display:block}details>summary{display:none}h2{break-after:avoid}tr{break-inside:"
    "avoid}}";

static double fnum(const json_t *v) { return json_is_number(v) ? json_number_value(v) : NAN; }

/* One metric over time, a step line per state, limits dashed. */
static int step_chart(dt_buf_t *b, const json_t *m, const char *metric) {
  json_t *points = json_object_get(m, "points"), *seats = json_object_get(m, "seats");
  size_t np = json_array_size(points);
  if (!np) return 0;
  double t0 = fnum(json_object_get(json_array_get(points, 0), "t"));
  double t1 = fnum(json_object_get(json_array_get(points, np - 1), "t"));
  if (t1 <= t0) t1 = t0 + 86400;
  double lo = INFINITY, hi = -INFINITY;
  size_t i, k; json_t *p, *st, *tr, *lim;
  json_array_foreach(points, i, p) {
    json_array_foreach(seats, k, st) {
      double v = fnum(
          json_object_get(json_object_get(json_object_get(p, "states"), sget(st, "id")), metric));
      if (isfinite(v)) { lo = fmin(lo, v); hi = fmax(hi, v); }
    }
  }
  json_array_foreach(json_object_get(m, "treaties"), i, tr)
      json_array_foreach(json_object_get(tr, "limits"), k,
                         lim) if (!strcmp(sget(lim, "metric"), metric)) {
    double v = fnum(json_object_get(lim, "max"));
    lo = fmin(lo, v);
    hi = fmax(hi, v);
  }
  if (!isfinite(lo)) return 0;
  lo = lo > 0.3 * hi ? lo - 0.15 * (hi - lo + 0.1 * hi) : 0;
  hi += 0.08 * (hi - lo) + (hi == lo);
  const double step = dt_html_nice_step((hi - lo) / 4);
  lo = floor(lo / step) * step;
  hi = ceil(hi / step) * step;
  const double W = 640, H = 240, L = 56, R = 12, T = 12, B = 40;
#define X(t) (L + (W - L - R) * ((t) - t0) / (t1 - t0))
#define Y(v) (T + (H - T - B) * (1 - ((v) - lo) / (hi - lo)))
  put(b, "<div class=\"chart\"><h3>");
  esc(b, metric);
  put(b, "</h3><svg viewBox=\"0 0 %g %g\" role=\"img\" aria-label=\"", W, H);
  esc(b, metric);
  put(b, " over time against the treaty limits\">");
  for (int g = 0; g <= (int)lround((hi - lo) / step); g++) {
    double v = lo + step * g;
    put(b, "<line x1=\"%g\" x2=\"%g\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e7ee\"/>", L, W - R, Y(v),
        Y(v));
    put(b,
        "<text x=\"%g\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" "
        "fill=\"#5d6878\">%g</text>",
        L - 6, Y(v) + 4, v);
  }
  put(b, "<text x=\"%g\" y=\"%g\" font-size=\"11\" fill=\"#5d6878\">%s</text>", L, H - 22,
      sget(json_array_get(points, 0), "date"));
  put(b, "<text x=\"%g\" y=\"%g\" font-size=\"11\" text-anchor=\"end\" fill=\"#5d6878\">%s</text>",
      W - R, H - 22, sget(json_array_get(points, np - 1), "date"));
  json_array_foreach(json_object_get(m, "treaties"), i, tr)
    json_array_foreach(json_object_get(tr, "limits"), k, lim) {
      if (strcmp(sget(lim, "metric"), metric)) continue;
      double v = fnum(json_object_get(lim, "max"));
      put(b,
          "<line x1=\"%g\" x2=\"%g\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#333\" stroke-dasharray=\"6 "
          "4\"/>",
          L, W - R, Y(v), Y(v));
      put(b, "<text x=\"%g\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">", W - R, Y(v) - 4);
      esc(b, sget(tr, "name"));
      put(b, " limit %g</text>", v);
    }
  json_array_foreach(seats, k, st) {
    const char *id = sget(st, "id");
    dt_buf_puts(b, "<path fill=\"none\" stroke-width=\"2\" stroke=\"");
    dt_buf_puts(b, palette[k % NPAL]);
    dt_buf_puts(b, "\" d=\"");
    int started = 0;
    json_array_foreach(points, i, p) {
      double v = fnum(json_object_get(json_object_get(json_object_get(p, "states"), id), metric));
      if (!isfinite(v)) continue;
      double x = X(fnum(json_object_get(p, "t"))), y = Y(v);
      if (!started) put(b, "M%.1f,%.1f", x, y);
      else put(b, "H%.1fV%.1f", x, y);
      started = 1;
    }
    if (started) put(b, "H%.1f", X(t1));
    put(b, "\"/><text x=\"%g\" y=\"%g\" font-size=\"12\" font-weight=\"600\" fill=\"%s\">",
        L + 70.0 * (double)k, H - 6, palette[k % NPAL]);
    esc(b, id);
    dt_buf_puts(b, "</text>");
  }
#undef X
#undef Y
  dt_buf_puts(b, "</svg></div>\n");
  return 1;
}

/* A value as a reader wants it: strings bare, the rest as compact JSON whose
 * numbers print as on the terminal (dt_json_show). */
static void value_text(dt_buf_t *t, const json_t *v) {
  if (json_is_string(v)) { dt_buf_puts(t, json_string_value(v)); return; }
  char *s = dt_json_show(v);
  if (s) dt_buf_puts(t, s);
  free(s);
}

static int skipped(const char *k) {
  static const char *const skip[] = { "type",   "by",     "n",    "at",      "now",
                                      "seq",    "wall",   "move", "name",    "id",
                                      "key",    "args",   "result", "person", "role",
                                      "channel", "form",  "held", "outcome",
                                      "pace_sim", "pace_real_ms", "seconds" };
  for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
    if (!strcmp(skip[i], k)) return 1;
  return 0;
}

/* What an input carried, as "name=value" pairs (a move's or inject's
 * arguments first); the journal's bookkeeping (sequence numbers, clocks,
 * idempotency keys, the result) is left out. */
static void input_details(dt_buf_t *t, const json_t *r) {
  const char *k; json_t *v; int n = 0;
  /* An advance by a duration: how far, in the largest whole unit (journals
   * before "seconds" kept it in "by"). */
  json_t *secs = json_object_get(r, "seconds");
  if (!json_is_integer(secs) && !strcmp(sget(r, "type"), "advance") &&
      json_is_integer(json_object_get(r, "by")))
    secs = json_object_get(r, "by");
  if (json_is_integer(secs) && !strcmp(sget(r, "type"), "advance")) {
    long long x = (long long)json_integer_value(secs);
    static const struct { long long n; const char *u; } units[] = {
      { 86400, "d" }, { 3600, "h" }, { 60, "min" }, { 1, "s" } };
    size_t u = 0;
    while (u + 1 < sizeof units / sizeof *units && (x % units[u].n || x < units[u].n)) u++;
    char buf[64];
    snprintf(buf, sizeof buf, "by %lld%s", x / units[u].n, units[u].u);
    dt_buf_puts(t, buf);
    n++;
  }
  json_object_foreach(json_object_get(r, "args"), k, v) {
    dt_buf_puts(t, n++ ? ", " : "");
    dt_buf_puts(t, k); dt_buf_puts(t, "=");
    value_text(t, v);
  }
  json_object_foreach(json_object_get(r, "fields"), k, v) {
    dt_buf_puts(t, n++ ? ", " : "");
    dt_buf_puts(t, k); dt_buf_puts(t, "=");
    value_text(t, v);
  }
  json_object_foreach((json_t *)r, k, v) {
    if (skipped(k) || !strcmp(k, "fields") ||
        (!strcmp(k, "text") && json_is_string(v) && !*json_string_value(v)))
      continue;
    dt_buf_puts(t, n++ ? ", " : "");
    dt_buf_puts(t, k); dt_buf_puts(t, "=");
    value_text(t, v);
  }
}

/* What an input was: its type, and the move's or inject's name. */
static void input_what(dt_buf_t *t, const json_t *r) {
  const char *name = *sget(r, "move")   ? sget(r, "move")
                     : *sget(r, "form") ? sget(r, "form")
                                        : sget(r, "name");
  dt_buf_puts(t, sget(r, "type"));
  if (*name) { dt_buf_puts(t, " "); dt_buf_puts(t, name); }
  if (*sget(r, "channel")) { dt_buf_puts(t, " in "); dt_buf_puts(t, sget(r, "channel")); }
  dt_buf_puts(t, "");
}

/* How an input ended: done, refused with the reason, or what the result says. */
static void input_outcome(dt_buf_t *t, const json_t *r) {
  if (json_is_string(json_object_get(r, "outcome"))) { dt_buf_puts(t, sget(r, "outcome")); return; }
  json_t *res = json_object_get(r, "result");
  if (!res || json_is_null(res)) return;
  json_t *acc = json_object_get(res, "accepted");
  if (json_is_false(acc)) {
    dt_buf_puts(t, "refused: ");
    dt_buf_puts(t, sget(res, "reason"));
  } else if (json_is_true(acc) && json_object_size(res) == 1) {
    dt_buf_puts(t, "done");
  } else {
    value_text(t, res);
  }
}

/* Who sent an input: the seat, and which of its people when the journal
 * says (`person`, with the role of a post): "USA (Bob, member)". */
static void input_who(dt_buf_t *t, const json_t *r) {
  /* An advance's `by` is its duration: only the white cell advances. */
  const char *by = json_is_string(json_object_get(r, "by")) ? sget(r, "by") : "facilitator";
  dt_buf_puts(t, by);
  if (!*sget(r, "person") || !strcmp(sget(r, "person"), by)) return;
  dt_buf_puts(t, " (");
  dt_buf_puts(t, sget(r, "person"));
  if (*sget(r, "role")) { dt_buf_puts(t, ", "); dt_buf_puts(t, sget(r, "role")); }
  dt_buf_puts(t, ")");
}

static void cell(dt_buf_t *b, const char *s) {
  dt_buf_puts(b, "<td>");
  esc(b, s);
  dt_buf_puts(b, "</td>");
}

static void cell_json(dt_buf_t *b, const json_t *v) {
  if (!v || json_is_null(v)) { dt_buf_puts(b, "<td class=\"muted\">—</td>"); return; }
  if (json_is_string(v)) { cell(b, json_string_value(v)); return; }
  char *s = dt_json_show(v);
  cell(b, s ? s : "");
  free(s);
}

static int sees(const json_t *e, const char *seat) {
  if (!strcmp(sget(e, "vis"), "public")) return 1;
  size_t i; json_t *p;
  json_array_foreach(json_object_get(e, "parties"), i, p)
    if (!strcmp(json_string_value(p) ? json_string_value(p) : "", seat)) return 1;
  return 0;
}

/* Who may see a private event: its parties, "USA, RUS" (not JSON). */
static void parties_text(dt_buf_t *t, const json_t *e) {
  size_t i; json_t *p;
  json_array_foreach(json_object_get(e, "parties"), i, p) {
    if (i) dt_buf_puts(t, ", ");
    dt_buf_puts(t, json_string_value(p) ? json_string_value(p) : "?");
  }
  if (!json_array_size(json_object_get(e, "parties"))) dt_buf_puts(t, "no seat");
}

void dt_aar_timeline(dt_buf_t *b, const json_t *events, const char *seat) {
  dt_buf_puts(b, "<table><tr><th>date</th><th>who</th><th>what</th><th>seen by</th></tr>\n");
  size_t i; json_t *e;
  json_array_foreach(events, i, e) {
    if (seat && !sees(e, seat)) continue;
    dt_buf_puts(b, "<tr>");
    cell(b, sget(e, "date"));
    cell_json(b, json_object_get(e, "by"));
    cell(b, *sget(e, "text") ? sget(e, "text") : sget(e, "kind"));
    if (!strcmp(sget(e, "vis"), "public")) cell(b, "everyone");
    else {
      dt_buf_t who = { 0 };
      parties_text(&who, e);
      cell(b, who.p ? who.p : "");
      dt_buf_free(&who);
    }
    dt_buf_puts(b, "</tr>\n");
  }
  dt_buf_puts(b, "</table>\n");
}

static void input_table(dt_buf_t *b, const json_t *rows, const char *empty) {
  if (!json_array_size(rows)) { put(b, "<p class=\"muted\">%s</p>\n", empty); return; }
  dt_buf_puts(b, "<table><tr><th>#</th><th>when</th><th>by</th><th>what</th><th>details</"
                 "th><th>outcome</th></tr>\n");
  size_t i; json_t *r;
  json_array_foreach(rows, i, r) {
    char when[40] = "";
    json_t *now = json_object_get(r, "now");
    if (json_is_integer(now)) dt_time_format(json_integer_value(now), when, sizeof when);
    put(b, "<tr><td class=\"n\">%lld</td>", (long long)json_integer_value(json_object_get(r, "n")));
    cell(b, when);
    dt_buf_t who = { 0 };
    input_who(&who, r);
    cell(b, who.p ? who.p : "");
    dt_buf_free(&who);
    dt_buf_t txt = { 0 };
    input_what(&txt, r);
    cell(b, txt.p);
    txt.len = 0;
    input_details(&txt, r);
    if (txt.len) cell(b, txt.p);
    else dt_buf_puts(b, "<td class=\"muted\">—</td>");
    txt.len = 0;
    input_outcome(&txt, r);
    if (txt.len) cell(b, txt.p);
    else dt_buf_puts(b, "<td class=\"muted\">—</td>");
    dt_buf_free(&txt);
    dt_buf_puts(b, "</tr>\n");
  }
  dt_buf_puts(b, "</table>\n");
}

const char *dt_aar_css(void) { return css; }

int dt_aar_metric_charts(const json_t *m, dt_buf_t *b) {
  /* Every metric a treaty limits; else every metric. */
  int charts = 0;
  json_t *done = json_object();
  json_t *tr, *lim, *x; size_t i, k;
  json_array_foreach(json_object_get(m, "treaties"), i, tr)
    json_array_foreach(json_object_get(tr, "limits"), k, lim)
      if (!json_object_get(done, sget(lim, "metric"))) {
        json_object_set_new(done, sget(lim, "metric"), json_true());
        charts += step_chart(b, m, sget(lim, "metric"));
      }
  if (!json_object_size(done))
    json_array_foreach(json_object_get(m, "metrics"), i, x) charts +=
        step_chart(b, m, json_string_value(x));
  json_decref(done);
  if (!charts) dt_buf_puts(b, "<p class=\"muted\">No metric to draw.</p>\n");
  return charts;
}

int dt_aar_html(const json_t *m, dt_buf_t *b) {
  int charts = 0;
  dt_buf_puts(b, "<!doctype html>\n<html lang=\"en\"><head><meta "
                 "charset=\"utf-8\"><title>After-action report: ");
  esc(b, sget(m, "title"));
  put(b, "</title><style>%s</style></head><body>\n<h1>After-action report</h1>\n<p><b>", css);
  esc(b, sget(m, "title"));
  dt_buf_puts(b, "</b> — ");
  esc(b, sget(m, "start"));
  dt_buf_puts(b, " to ");
  esc(b, sget(m, "end"));
  put(b, "%s; seed %lld; %lld inputs. Replay it: <code>detente replay ",
      json_is_true(json_object_get(m, "ended")) ? " (ended)" : "",
      (long long)json_integer_value(json_object_get(m, "seed")),
      (long long)json_integer_value(json_object_get(m, "inputs")));
  esc(b, sget(m, "source"));
  dt_buf_puts(b, "</code></p>\n<p>Seats: ");
  size_t i; json_t *x;
  json_array_foreach(json_object_get(m, "seats"), i, x) {
    if (i) dt_buf_puts(b, ", ");
    esc(b, sget(x, "id"));
    put(b, " (%s)", json_is_true(json_object_get(x, "human")) ? "team" : "policy");
  }
  dt_buf_puts(b, "</p>\n<h2 id=\"metrics\">Forces against the limits</h2>\n");
  charts += dt_aar_metric_charts(m, b);

  dt_buf_puts(b, "<h2 id=\"decisions\">Decisions</h2>\n");
  json_t *ds = json_object_get(m, "decisions");
  if (!json_array_size(ds)) dt_buf_puts(b, "<p class=\"muted\">No decision was asked.</p>\n");
  else {
    dt_buf_puts(b, "<table><tr><th>id</th><th>seat</th><th>decision</th><th>asked</th><th>closed</"
                   "th><th>how</th>"
                   "<th>answer</th><th>by</th><th>simulated days</th><th>real time</th></tr>\n");
    json_array_foreach(ds, i, x) {
      dt_buf_puts(b, "<tr>");
      cell(b, sget(x, "id")); cell(b, sget(x, "seat"));
      dt_buf_puts(b, "<td>"); esc(b, sget(x, "name"));
      if (*sget(x, "doc")) {
        dt_buf_puts(b, "<br><span class=\"muted\">");
        esc(b, sget(x, "doc"));
        dt_buf_puts(b, "</span>");
      }
      dt_buf_puts(b, "</td>");
      cell(b, sget(x, "asked"));
      cell_json(b, json_object_get(x, "closed"));
      cell(b, sget(x, "how"));
      cell_json(b, json_object_get(x, "answer")); cell_json(b, json_object_get(x, "by"));
      double sd = fnum(json_object_get(x, "sim_days")), rm = fnum(json_object_get(x, "real_ms"));
      if (isfinite(sd)) put(b, "<td class=\"n\">%.1f</td>", sd);
      else dt_buf_puts(b, "<td class=\"muted\">—</td>");
      if (isfinite(rm)) put(b, "<td class=\"n\">%.*f s</td>", rm < 10000 ? 1 : 0, rm / 1000);
      else dt_buf_puts(b, "<td class=\"muted\">—</td>");
      dt_buf_puts(b, "</tr>\n");
    }
    dt_buf_puts(b, "</table>\n");
    int defaults = 0;
    json_array_foreach(ds, i, x) defaults += !strcmp(sget(x, "how"), "defaulted");
    put(b, "<p>Defaults taken: %d of %zu decisions.</p>\n", defaults, json_array_size(ds));
  }
  dt_buf_puts(b, "<h2 id=\"moves\">Moves, refused and amended</h2>\n");
  input_table(b, json_object_get(m, "moves"), "No move was made by a person.");
  dt_buf_puts(b, "<h2 id=\"messages\">Messages by channel</h2>\n");
  input_table(b, json_object_get(m, "messages"), "No message was posted in a channel.");
  dt_buf_puts(b, "<h2 id=\"injects\">Injects</h2>\n");
  input_table(b, json_object_get(m, "injects"), "No inject was fired.");
  dt_buf_puts(b, "<h2 id=\"white-cell\">White cell</h2>\n");
  input_table(b, json_object_get(m, "white_cell"), "The white cell did nothing but watch.");
  dt_buf_puts(b, "<h2 id=\"timeline\">Timeline, merged</h2>\n");
  dt_aar_timeline(b, json_object_get(m, "events"), NULL);
  dt_buf_puts(b, "<h2 id=\"per-seat\">Timeline per seat</h2>\n");
  json_array_foreach(json_object_get(m, "seats"), i, x) {
    dt_buf_puts(b, "<details><summary>");
    esc(b, sget(x, "id"));
    dt_buf_puts(b, ": what this seat saw</summary>\n");
    dt_aar_timeline(b, json_object_get(m, "events"), sget(x, "id"));
    dt_buf_puts(b, "</details>\n");
  }
  dt_buf_puts(b, "</body></html>\n");
  return charts;
}

/* ---- Markdown ------------------------------------------------------------------- */

/* Text for a table cell: pipes and newlines would break the row. */
static void md(dt_buf_t *b, const char *s) {
  for (; s && *s; s++) {
    if (*s == '|') dt_buf_puts(b, "\\|");
    else if (*s == '\n' || *s == '\r') dt_buf_puts(b, " ");
    else if (*s == '<') dt_buf_puts(b, "&lt;");
    else dt_buf_put(b, s, 1);
  }
}

static void md_json(dt_buf_t *b, const json_t *v) {
  if (!v || json_is_null(v)) { dt_buf_puts(b, "—"); return; }
  if (json_is_string(v)) { md(b, json_string_value(v)); return; }
  char *s = dt_json_show(v);
  md(b, s);
  free(s);
}

static void md_inputs(dt_buf_t *b, const char *title, const json_t *rows) {
  put(b, "\n## %s\n\n", title);
  if (!json_array_size(rows)) { dt_buf_puts(b, "None.\n"); return; }
  dt_buf_puts(b, "| # | by | what | details | outcome |\n|---|---|---|---|---|\n");
  size_t i; json_t *r;
  json_array_foreach(rows, i, r) {
    put(b, "| %lld | ", (long long)json_integer_value(json_object_get(r, "n")));
    dt_buf_t t = { 0 };
    input_who(&t, r);
    md(b, t.p ? t.p : "");
    dt_buf_puts(b, " | ");
    t.len = 0;
    input_what(&t, r);
    md(b, t.p);
    dt_buf_puts(b, " | ");
    t.len = 0;
    input_details(&t, r);
    md(b, t.len ? t.p : "—");
    dt_buf_puts(b, " | ");
    t.len = 0;
    input_outcome(&t, r);
    md(b, t.len ? t.p : "—");
    dt_buf_free(&t);
    dt_buf_puts(b, " |\n");
  }
}

void dt_aar_markdown(const json_t *m, dt_buf_t *b) {
  dt_buf_puts(b, "# After-action report: ");
  md(b, sget(m, "title"));
  put(b, "\n\n%s to %s, seed %lld, %lld inputs. Replay it: `detente replay ", sget(m, "start"),
      sget(m, "end"), (long long)json_integer_value(json_object_get(m, "seed")),
      (long long)json_integer_value(json_object_get(m, "inputs")));
  md(b, sget(m, "source"));
  dt_buf_puts(b, "`\n\n## Decisions\n\n| id | seat | decision | asked | closed | how | answer | by "
                 "| simulated days | real time |\n"
                 "|---|---|---|---|---|---|---|---|---|---|\n");
  size_t i; json_t *x;
  json_array_foreach(json_object_get(m, "decisions"), i, x) {
    dt_buf_puts(b, "| "); md(b, sget(x, "id")); dt_buf_puts(b, " | "); md(b, sget(x, "seat"));
    dt_buf_puts(b, " | "); md(b, sget(x, "name")); dt_buf_puts(b, " | "); md(b, sget(x, "asked"));
    dt_buf_puts(b, " | ");
    md_json(b, json_object_get(x, "closed"));
    dt_buf_puts(b, " | ");
    md(b, sget(x, "how"));
    dt_buf_puts(b, " | "); md_json(b, json_object_get(x, "answer")); dt_buf_puts(b, " | ");
    md_json(b, json_object_get(x, "by"));
    double sd = fnum(json_object_get(x, "sim_days"));
    double rm = fnum(json_object_get(x, "real_ms"));
    if (isfinite(sd)) put(b, " | %.1f", sd); else dt_buf_puts(b, " | —");
    if (isfinite(rm)) put(b, " | %.*f s |\n", rm < 10000 ? 1 : 0, rm / 1000);
    else dt_buf_puts(b, " | — |\n");
  }
  md_inputs(b, "Moves, refused and amended", json_object_get(m, "moves"));
  md_inputs(b, "Messages by channel", json_object_get(m, "messages"));
  md_inputs(b, "Injects", json_object_get(m, "injects"));
  md_inputs(b, "White cell", json_object_get(m, "white_cell"));
  dt_buf_puts(b, "\n## Timeline\n\n| date | who | what | seen by |\n|---|---|---|---|\n");
  json_array_foreach(json_object_get(m, "events"), i, x) {
    dt_buf_puts(b, "| ");
    md(b, sget(x, "date"));
    dt_buf_puts(b, " | ");
    md_json(b, json_object_get(x, "by"));
    dt_buf_puts(b, " | ");
    md(b, *sget(x, "text") ? sget(x, "text") : sget(x, "kind"));
    dt_buf_puts(b, " | ");
    if (!strcmp(sget(x, "vis"), "public")) dt_buf_puts(b, "everyone");
    else {
      dt_buf_t who = { 0 };
      parties_text(&who, x);
      md(b, who.p ? who.p : "");
      dt_buf_free(&who);
    }
    dt_buf_puts(b, " |\n");
  }
}
