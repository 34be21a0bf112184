/* output.c: the timeline printer and the JSON Lines event log. Reads events
 * and the runtime's params and outcomes; changes nothing in the simulation. */
#include "output.h"
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int dt_want_color(FILE *f) {
  const char *nc = getenv("NO_COLOR");
  if (nc && *nc) return 0;
  return isatty(fileno(f));
}

void dt_timeline_init(dt_timeline_t *tl, FILE *out, int color) {
  tl->out = out; tl->color = color; tl->idwidth = 3; tl->header_done = 0;
  tl->scenario = ""; tl->seed = 0;
}

static const char *kind_color(const char *kind) {
  if (!strncmp(kind, "treaty.", 7)) return "\033[33m";
  if (!strncmp(kind, "proposal.", 9)) return "\033[36m";
  if (!strncmp(kind, "arsenal.", 8)) return "\033[31m";
  if (!strncmp(kind, "decision.", 9)) return "\033[35m";
  return "";
}

void dt_timeline_sink(dt_sim_t *sim, const dt_event_t *ev, void *ud) {
  dt_timeline_t *tl = ud;
  if (!ev->text || !strcmp(ev->kind, "decision.asked")) return;
  for (int i = 0; i < sim->nstates; i++) {
    int n = (int)strlen(sim->states[i]->id);
    if (n > tl->idwidth) tl->idwidth = n < 12 ? n : 12;
  }
  dt_timeline_header(tl, sim);
  /* The day is what a reader needs; the log keeps the time of day. */
  char date[32];
  dt_time_format(ev->time - ((ev->time % DT_DAY) + DT_DAY) % DT_DAY, date, sizeof date);
  const char *who = ev->actor >= 0 ? sim->states[ev->actor]->id : "-";
  const char *vis = ev->vis == DT_VIS_PRIVATE   ? " (private)"
                    : ev->vis == DT_VIS_PARTIES ? " (parties only)"
                                                : "";
  if (tl->color)
    fprintf(tl->out, "\033[2m%s\033[0m  \033[1m%-*s\033[0m  %s%s\033[0m%s\n", date, tl->idwidth,
            who, kind_color(ev->kind), ev->text, vis);
  else
    fprintf(tl->out, "%s  %-*s  %s%s\n", date, tl->idwidth, who, ev->text, vis);
}

const char *dt_fmt_show(double x, char *buf) {
  snprintf(buf, 32, "%.10g", x);
  return buf;
}

const char *dt_fmt_pct(double share, char *buf) {
  double pct = 100 * share;
  if (isnan(pct)) return strcpy(buf, "n/a");
  if (pct > 0 && pct < 0.05) return strcpy(buf, "<0.1%");
  if (pct < 100 && pct >= 99.95) return strcpy(buf, ">99.9%");
  int n = snprintf(buf, 32, "%.1f", pct);
  if (n >= 2 && n < 31 && !strcmp(buf + n - 2, ".0")) n -= 2;
  strcpy(buf + n, "%");
  return buf;
}

static int cmp_key(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void show_json(FILE *f, const json_t *v) {
  char num[32];
  switch (json_typeof(v)) {
  case JSON_OBJECT: {
    size_t n = json_object_size(v), i = 0;
    if (!n) { fputs("{}", f); return; }
    const char **keys = malloc(n * sizeof *keys);
    if (!keys) { fputs("{...}", f); return; }
    const char *k; json_t *x;
    json_object_foreach((json_t *)v, k, x) if (i < n) keys[i++] = k;
    n = i;
    qsort(keys, n, sizeof *keys, cmp_key);
    fputc('{', f);
    for (i = 0; i < n; i++) {
      json_t *ks = json_string(keys[i]);
      char *t = ks ? json_dumps(ks, JSON_ENCODE_ANY) : NULL;
      fprintf(f, "%s%s:", i ? "," : "", t ? t : "?");
      free(t);
      json_decref(ks);
      show_json(f, json_object_get(v, keys[i]));
    }
    fputc('}', f);
    free(keys);
    break;
  }
  case JSON_ARRAY: {
    size_t i; json_t *x;
    fputc('[', f);
    json_array_foreach(v, i, x) { if (i) fputc(',', f); show_json(f, x); }
    fputc(']', f);
    break;
  }
  case JSON_REAL: fputs(dt_fmt_show(json_real_value(v), num), f); break;
  case JSON_INTEGER: fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
  case JSON_STRING: {
    char *t = json_dumps(v, JSON_ENCODE_ANY);
    fputs(t ? t : "?", f);
    free(t);
    break;
  }
  case JSON_TRUE: fputs("true", f); break;
  case JSON_FALSE: fputs("false", f); break;
  default: fputs("null", f);
  }
}

char *dt_json_show(const json_t *v) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f) return NULL;
  if (v) show_json(f, v);
  if (fclose(f)) { free(buf); return NULL; }
  return buf;
}

static void print_value(FILE *f, const dt_lrt_value_t *v) {
  char num[32];
  switch (v->type) {
  case DT_LRT_V_BOOL: fputs(v->num ? "true" : "false", f); break;
  case DT_LRT_V_NUM: fputs(dt_fmt_show(v->num, num), f); break;
  case DT_LRT_V_STR: fputs(v->str, f); break;
  case DT_LRT_V_DATE: {
    char d[32];
    dt_time_format((dt_time_t)v->num, d, sizeof d);
    fputs(d, f);
    break;
  }
  default: fputs("none", f);
  }
}

/* The series as one compact table: a row per sample date (at most about 25,
 * evenly spaced, always with the last), a column per series. */
static void print_series(dt_timeline_t *tl, const dt_lrt_t *rt) {
  if (!rt->nseries) return;
  fprintf(tl->out, "\n%s\n", tl->color ? "\033[1mseries\033[0m" : "series");
  const dt_lrt_series_t *x0 = &rt->series[0];
  int n = 0;
  for (int i = 0; i < rt->nseries; i++)
    if (rt->series[i].n > n) {
      n = rt->series[i].n;
      x0 = &rt->series[i];
    }
  int step = n > 25 ? (n + 23) / 24 : 1;
  int *w = calloc((size_t)rt->nseries, sizeof *w);
  if (!w) return;
  fprintf(tl->out, "  %-10s", "date");
  for (int j = 0; j < rt->nseries; j++) {
    w[j] = (int)strlen(rt->series[j].name);
    if (w[j] < 8) w[j] = 8;
    fprintf(tl->out, "  %*s", w[j], rt->series[j].name);
  }
  fputc('\n', tl->out);
  for (int k = 0; k < n; k++) {
    if (k % step != 0 && k != n - 1) continue;
    char d[32];
    dt_time_format(x0->t[k], d, sizeof d);
    fprintf(tl->out, "  %-10s", d);
    for (int j = 0; j < rt->nseries; j++) {
      const dt_lrt_series_t *x = &rt->series[j];
      /* The sample of series j on this date, if it has one. */
      int hit = -1;
      for (int q = 0; q < x->n; q++) if (x->t[q] == x0->t[k]) { hit = q; break; }
      if (hit < 0 || isnan(x->v[hit])) fprintf(tl->out, "  %*s", w[j], "-");
      else fprintf(tl->out, "  %*.10g", w[j], x->v[hit]);
    }
    fputc('\n', tl->out);
  }
  free(w);
}

void dt_timeline_header(dt_timeline_t *tl, dt_sim_t *sim) {
  if (tl->header_done) return;
  tl->header_done = 1;
  const char *title = sim->title ? sim->title : tl->scenario;
  if (tl->color)
    fprintf(tl->out, "\033[1m%s\033[0m  (seed %llu)\n\n", title, (unsigned long long)tl->seed);
  else fprintf(tl->out, "%s  (seed %llu)\n\n", title, (unsigned long long)tl->seed);
}

void dt_timeline_outcomes(dt_timeline_t *tl, dt_lrt_t *rt) {
  dt_timeline_header(tl, rt->sim);
  if (rt->nparams) {
    fprintf(tl->out, "\n%s\n", tl->color ? "\033[1mparams\033[0m" : "params");
    int w = 8;
    for (int i = 0; i < rt->nparams; i++) {
      int n = (int)strlen(rt->params[i].name);
      if (n > w) w = n;
    }
    for (int i = 0; i < rt->nparams; i++) {
      fprintf(tl->out, "  %-*s  ", w, rt->params[i].name);
      print_value(tl->out, &rt->params[i].v);
      fputs(rt->params[i].sampled ? "  (sampled)\n" : "\n", tl->out);
    }
  }
  print_series(tl, rt);
  if (!rt->noutcomes) return;
  fprintf(tl->out, "\n%s\n", tl->color ? "\033[1moutcomes\033[0m" : "outcomes");
  int w = 8;
  for (int i = 0; i < rt->noutcomes; i++) {
    int n = (int)strlen(rt->outcomes[i].name);
    if (n > w) w = n;
  }
  for (int i = 0; i < rt->noutcomes; i++) {
    fprintf(tl->out, "  %-*s  ", w, rt->outcomes[i].name);
    print_value(tl->out, &rt->outcomes[i].v);
    fputc('\n', tl->out);
  }
}

/* ---- JSON Lines ---------------------------------------------------------- */

static void put_line(dt_eventlog_t *lg, json_t *o) {
  char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
  json_decref(o);
  if (!s) { lg->failed = 1; return; }
  if (fputs(s, lg->out) < 0 || fputc('\n', lg->out) < 0) lg->failed = 1;
  free(s);
}

void dt_value_to_json(json_t *obj, const char *key, const dt_lrt_value_t *v) {
  switch (v->type) {
  case DT_LRT_V_BOOL: json_object_set_new(obj, key, json_boolean(v->num != 0)); break;
  case DT_LRT_V_NUM: {
    double x = v->num;
    if (x == (double)(json_int_t)x && x > -9e15 && x < 9e15)
      json_object_set_new(obj, key, json_integer((json_int_t)x));
    else json_object_set_new(obj, key, json_real(x));
    break;
  }
  case DT_LRT_V_STR: json_object_set_new(obj, key, json_string(v->str)); break;
  case DT_LRT_V_DATE: {
    char d[32];
    dt_time_format((dt_time_t)v->num, d, sizeof d);
    json_object_set_new(obj, key, json_string(d));
    break;
  }
  default: json_object_set_new(obj, key, json_null());
  }
}

static const char *const vis_names[] = { "public", "parties", "private" };

json_t *dt_event_json(const dt_sim_t *sim, const dt_event_t *ev) {
  char date[32];
  dt_time_format(ev->time, date, sizeof date);
  json_t *o = json_object();
  json_object_set_new(o, "seq", json_integer((json_int_t)ev->seq));
  json_object_set_new(o, "date", json_string(date));
  json_object_set_new(o, "t", json_integer((json_int_t)ev->time));
  json_object_set_new(o, "kind", json_string(ev->kind));
  json_object_set_new(o, "by",
                      ev->actor >= 0 ? json_string(sim->states[ev->actor]->id) : json_null());
  json_object_set_new(o, "to",
                      ev->target >= 0 ? json_string(sim->states[ev->target]->id) : json_null());
  json_object_set_new(o, "vis", json_string(vis_names[ev->vis]));
  json_t *parties = json_array();
  if (ev->vis != DT_VIS_PUBLIC)
    for (int i = 0; i < ev->nparties; i++)
      json_array_append_new(parties, json_string(sim->states[ev->parties[i]]->id));
  json_object_set_new(o, "parties", parties);
  json_object_set_new(o, "text", ev->text ? json_string(ev->text) : json_null());
  json_t *data = json_object();
  for (int i = 0; i < ev->nfields; i++) {
    const dt_field_t *f = &ev->fields[i];
    switch (f->type) {
    case DT_F_NUM: json_object_set_new(data, f->key, json_real(f->v.num)); break;
    case DT_F_INT: json_object_set_new(data, f->key, json_integer((json_int_t)f->v.i)); break;
    case DT_F_BOOL: json_object_set_new(data, f->key, json_boolean(f->v.b)); break;
    default: json_object_set_new(data, f->key, json_string(f->v.str)); break;
    }
  }
  json_object_set_new(o, "data", data);
  return o;
}

void dt_eventlog_sink(dt_sim_t *sim, const dt_event_t *ev, void *ud) {
  put_line(ud, dt_event_json(sim, ev));
}

void dt_eventlog_header(dt_eventlog_t *lg, dt_lrt_t *rt, const char *scenario, uint64_t seed) {
  json_t *o = json_object();
  json_object_set_new(o, "schema", json_string("detente.log"));
  json_object_set_new(o, "v", json_integer(DT_LOG_SCHEMA));
  json_object_set_new(o, "detente", json_string(DT_VERSION));
  json_object_set_new(o, "scenario", json_string(scenario));
  json_object_set_new(o, "title", json_string(rt->sim->title ? rt->sim->title : scenario));
  char sd[24];   /* a string: seeds use 64 bits, beyond what JSON readers keep */
  snprintf(sd, sizeof sd, "%llu", (unsigned long long)seed);
  json_object_set_new(o, "seed", json_string(sd));
  char d[32];
  dt_time_format(rt->sim->start, d, sizeof d);
  json_object_set_new(o, "start", json_string(d));
  dt_time_format(rt->sim->stop, d, sizeof d);
  json_object_set_new(o, "stop", json_string(d));
  json_t *params = json_object();
  for (int i = 0; i < rt->nparams; i++)
    dt_value_to_json(params, rt->params[i].name, &rt->params[i].v);
  json_object_set_new(o, "params", params);
  put_line(lg, o);
}

void dt_eventlog_footer(dt_eventlog_t *lg, dt_lrt_t *rt, int status, const char *error) {
  json_t *o = json_object();
  json_object_set_new(o, "kind", json_string("run.end"));
  char d[32];
  dt_time_format(rt->sim->now, d, sizeof d);
  json_object_set_new(o, "date", json_string(d));
  json_object_set_new(o, "status", json_string(status == 0 ? "ok" : "error"));
  json_object_set_new(o, "events", json_integer((json_int_t)rt->sim->event_seq));
  if (error) json_object_set_new(o, "error", json_string(error));
  json_t *out = json_object();
  if (status == 0)
    for (int i = 0; i < rt->noutcomes; i++)
      dt_value_to_json(out, rt->outcomes[i].name, &rt->outcomes[i].v);
  json_object_set_new(o, "outcomes", out);
  /* Series, when the scenario has any: name -> [[date, value], ...] (null: nil). */
  if (rt->nseries) {
    json_t *ser = json_object();
    for (int i = 0; i < rt->nseries; i++) {
      const dt_lrt_series_t *x = &rt->series[i];
      json_t *a = json_array();
      for (int k = 0; k < x->n; k++) {
        char sd[32];
        dt_time_format(x->t[k], sd, sizeof sd);
        json_t *pair = json_array();
        json_array_append_new(pair, json_string(sd));
        dt_lrt_value_t v = { DT_LRT_V_NUM, x->v[k], NULL };
        if (isnan(x->v[k])) json_array_append_new(pair, json_null());
        else {
          json_t *tmp = json_object();
          dt_value_to_json(tmp, "v", &v);
          json_array_append(pair, json_object_get(tmp, "v"));
          json_decref(tmp);
        }
        json_array_append_new(a, pair);
      }
      json_object_set_new(ser, x->name, a);
    }
    json_object_set_new(o, "series", ser);
  }
  put_line(lg, o);
}
