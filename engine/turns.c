/* turns.c: a session played in turns (turns.h): the turn records, what they
 * do to the turn's state and to the timeline, and the `turn` message. */
#include "turns.h"
#include "l_session.h"
#include "simtime.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const phase_names[] = { "planning", "adjudication", "running" };

const char *dt_turns_phase_name(int phase) {
  return phase >= 0 && phase <= DT_TURN_RUNNING ? phase_names[phase] : "?";
}

void dt_turns_reset(dt_session_t *s) {
  dt_turns_t *t = &s->turns;
  json_decref(t->moves);
  memset(t, 0, sizeof *t);
  t->moves = json_array();
  t->changed = 1;
}

static int state_of(dt_session_t *s, json_t *o) {
  const char *id = json_string_value(json_object_get(o, "seat"));
  dt_state_t *st = id ? dt_state_find(s->sim, id) : NULL;
  return st ? st->index : -1;
}

/* The turn's move with input number n, or NULL. */
static json_t *entry(dt_session_t *s, json_int_t n) {
  size_t i; json_t *e;
  json_array_foreach(s->turns.moves, i, e)
    if (json_integer_value(json_object_get(e, "input")) == n) return e;
  return NULL;
}

/* The `turn` event on the timeline: public, one per phase. */
static int phase_event(dt_session_t *s, const char *text) {
  dt_turns_t *t = &s->turns;
  char ends[32];
  dt_time_format(t->ends, ends, sizeof ends);
  dt_field_t f[3] = {
    { .key = "number", .type = DT_F_INT, .v.i = t->number },
    { .key = "phase", .type = DT_F_STR, .v.str = dt_turns_phase_name(t->phase) },
    { .key = "ends", .type = DT_F_STR, .v.str = ends },
  };
  return dt__session_emit(s, "turn", -1, DT_VIS_PUBLIC, f, 3, text);
}

/* A move's own event, private to its seat (held, amended). */
static int move_event(dt_session_t *s, const char *kind, json_t *e, const char *reason,
                      const char *text) {
  dt_field_t f[4] = {
    { .key = "move", .type = DT_F_STR, .v.str = json_string_value(json_object_get(e, "move")) },
    { .key = "input", .type = DT_F_INT, .v.i = json_integer_value(json_object_get(e, "input")) },
    { .key = "turn", .type = DT_F_INT, .v.i = s->turns.number },
    { .key = "reason", .type = DT_F_STR, .v.str = reason },
  };
  return dt__session_emit(s, kind, state_of(s, e), DT_VIS_PRIVATE, f, reason ? 4 : 3, text);
}

/* Applies the turn's moves that were not refused, in the order they were
 * submitted (their input numbers): each as a move made now, the scenario's
 * declared arguments and validate deciding as for any move. */
static int release(dt_session_t *s, json_t **result) {
  dt_turns_t *t = &s->turns;
  int applied = 0, refused = 0;
  size_t i; json_t *e;
  json_array_foreach(t->moves, i, e) {
    const char *status = json_string_value(json_object_get(e, "status"));
    if (!strcmp(status, "refused")) { refused++; continue; }
    int seat = state_of(s, e);
    if (seat < 0) return DT_ENOENT;
    const char *name = json_string_value(json_object_get(e, "move"));
    char *why = NULL;
    dt__lrt_watch(s->rt);
    int rc = dt__lrt_move(s->rt, s->sim->states[seat], name, json_object_get(e, "args"), &why);
    if (rc == 0) {
      applied++;
      if (!strcmp(status, "amended")) json_object_set_new(e, "amended", json_true());
      json_object_set_new(e, "status", json_string("applied"));
    } else if (rc == 1 || rc == DT_EINVAL) {
      refused++;
      const char *r = why ? why : "refused";
      if (!strcmp(status, "amended")) json_object_set_new(e, "amended", json_true());
      json_object_set_new(e, "status", json_string("refused"));
      json_object_set_new(e, "reason", json_string(r));
      json_object_set_new(e, "by", json_string("scenario"));
      rc = dt__session_refused(s, seat, name, json_integer_value(json_object_get(e, "input")), r,
                               "scenario");
    }
    free(why);
    if (rc < 0 || s->sim->failed) return rc < 0 ? rc : DT_ESCRIPT;
  }
  if (result) *result = json_pack("{s:i,s:i,s:i}", "turn", t->number, "applied", applied,
                                  "refused", refused);
  return 0;
}

int dt_turns_apply(dt_session_t *s, json_t *rec, const char *type, json_t **result) {
  dt_turns_t *t = &s->turns;
  char text[1024], date[32];
  if (!strcmp(type, "turn")) {
    t->number = (int)json_integer_value(json_object_get(rec, "number"));
    t->phase = DT_TURN_PLANNING;
    t->start = s->sim->now;
    t->ends = (dt_time_t)json_integer_value(json_object_get(rec, "ends"));
    t->closes = json_integer_value(json_object_get(rec, "closes"));   /* real time: people only */
    json_array_clear(t->moves);
    t->changed = 1;
    dt_time_format(t->ends, date, sizeof date);
    snprintf(text, sizeof text, "Turn %d: planning; the turn runs to %s", t->number, date);
    return phase_event(s, text) < 0 ? DT_ESCRIPT : 1;
  }
  if (!strcmp(type, "move")) {
    if (!json_is_true(json_object_get(rec, "held"))) return 0;
    json_t *args = json_object_get(rec, "args");
    json_t *e = json_pack("{s:O,s:O,s:O,s:O,s:s}", "input", json_object_get(rec, "n"), "seat",
                          json_object_get(rec, "seat"), "move", json_object_get(rec, "move"),
                          "args", args ? args : json_object(), "status", "held");
    if (!args) json_decref(json_object_get(e, "args"));
    if (!e) return DT_ENOMEM;
    json_array_append_new(t->moves, e);
    t->changed = 1;
    snprintf(text, sizeof text, "%s: move %s submitted for turn %d (held)",
             json_string_value(json_object_get(e, "seat")),
             json_string_value(json_object_get(e, "move")), t->number);
    if (result) *result = json_pack("{s:b,s:i}", "held", 1, "turn", t->number);
    return move_event(s, "move.held", e, NULL, text) < 0 ? DT_ESCRIPT : 1;
  }
  if (!strcmp(type, "adjudicate")) {
    t->phase = DT_TURN_ADJUDICATION;
    t->changed = 1;
    const char *by = json_string_value(json_object_get(rec, "by"));
    snprintf(text, sizeof text, "Turn %d: adjudication%s (%zu moves submitted)", t->number,
             by && !strcmp(by, "server") ? ": the planning time is up" : "",
             json_array_size(t->moves));
    return phase_event(s, text) < 0 ? DT_ESCRIPT : 1;
  }
  if (!strcmp(type, "refuse") || !strcmp(type, "amend")) {
    json_t *e = entry(s, json_integer_value(json_object_get(rec, "input")));
    if (!e) return DT_ENOENT;
    const char *reason = json_string_value(json_object_get(rec, "reason"));
    int seat = state_of(s, e);
    const char *name = json_string_value(json_object_get(e, "move"));
    t->changed = 1;
    json_object_set_new(e, "reason", json_string(reason));
    json_object_set_new(e, "by", json_string("umpire"));
    if (type[0] == 'r') {
      json_object_set_new(e, "status", json_string("refused"));
      int rc = dt__session_refused(s, seat, name, json_integer_value(json_object_get(e, "input")),
                                   reason, "umpire");
      return rc < 0 ? DT_ESCRIPT : 1;
    }
    if (!json_object_get(e, "submitted"))
      json_object_set(e, "submitted", json_object_get(e, "args"));
    json_object_set(e, "args", json_object_get(rec, "args"));
    json_object_set_new(e, "status", json_string("amended"));
    snprintf(text, sizeof text, "%s: move %s amended by the umpire: %s", s->sim->states[seat]->id,
             name, reason);
    return move_event(s, "move.amended", e, reason, text) < 0 ? DT_ESCRIPT : 1;
  }
  if (!strcmp(type, "release")) {
    t->phase = DT_TURN_RUNNING;
    t->changed = 1;
    dt_time_format(t->ends, date, sizeof date);
    snprintf(text, sizeof text, "Turn %d: released; the clock runs to %s", t->number, date);
    if (phase_event(s, text) < 0) return DT_ESCRIPT;
    int rc = release(s, result);
    return rc < 0 ? rc : 1;
  }
  return 0;
}

int dt_turns_check(dt_session_t *s, json_t *rec, int seat, const char **code, char *msg,
                   size_t msglen) {
  (void)seat;
  dt_turns_t *t = &s->turns;
  const char *type = json_string_value(json_object_get(rec, "type"));
  if (!type) return 0;
  int held = !strcmp(type, "move") && json_is_true(json_object_get(rec, "held"));
  int umpire = !strcmp(type, "adjudicate") || !strcmp(type, "refuse") || !strcmp(type, "amend") ||
               !strcmp(type, "release");
  if (!held && !umpire) return 0;
  if (!t->number) {
    *code = "not_turns";
    snprintf(msg, msglen, "%s: the session is not played in turns (serve --turns)", type);
    return -1;
  }
  int want = held || !strcmp(type, "adjudicate") ? DT_TURN_PLANNING : DT_TURN_ADJUDICATION;
  if (t->phase != want) {
    *code = "phase";
    if (held)
      snprintf(msg, msglen,
               "turn %d is past its planning phase (%s): moves reopen when turn %d's planning "
               "begins", t->number, dt_turns_phase_name(t->phase), t->number + 1);
    else
      snprintf(msg, msglen, "%s: turn %d is in its %s phase; this belongs to %s", type, t->number,
               dt_turns_phase_name(t->phase), dt_turns_phase_name(want));
    return -1;
  }
  if (!strcmp(type, "refuse") || !strcmp(type, "amend")) {
    json_int_t n = json_integer_value(json_object_get(rec, "input"));
    json_t *e = entry(s, n);
    if (!e) {
      *code = "unknown_input";
      snprintf(msg, msglen, "%s: input %lld is not a move of turn %d", type, (long long)n,
               t->number);
      return -1;
    }
    if (!strcmp(json_string_value(json_object_get(e, "status")), "refused")) {
      *code = "closed";
      snprintf(msg, msglen, "%s: move %lld was already refused", type, (long long)n);
      return -1;
    }
  }
  return 0;
}

json_t *dt_turns_json(dt_session_t *s, int seat) {
  dt_turns_t *t = &s->turns;
  if (!t->number) return NULL;
  char start[32], ends[32];
  dt_time_format(t->start, start, sizeof start);
  dt_time_format(t->ends, ends, sizeof ends);
  json_t *moves = json_array();
  size_t i; json_t *e;
  json_array_foreach(t->moves, i, e)
    if (seat < 0 || state_of(s, e) == seat) json_array_append(moves, e);
  json_t *o = json_pack("{s:s,s:i,s:s,s:s,s:s,s:o}", "type", "turn", "number", t->number,
                        "phase", dt_turns_phase_name(t->phase), "start", start, "ends", ends,
                        "moves", moves);
  if (t->closes && t->phase == DT_TURN_PLANNING)
    json_object_set_new(o, "closes", json_integer((json_int_t)t->closes));
  return o;
}

int dt_turns_parse_length(const char *text, int64_t *months, int64_t *seconds) {
  *months = *seconds = 0;
  if (!text || !isdigit((unsigned char)*text)) return -1;
  char *end;
  long long n = strtoll(text, &end, 10);
  const char *u = end;
  while (*u == ' ') u++;
  if (!strcmp(u, "mo") || !strcmp(u, "month") || !strcmp(u, "months")) {
    if (n < 1 || n > 1200) return -1;
    *months = n;
    return 0;
  }
  if (!strcmp(u, "y") || !strcmp(u, "year") || !strcmp(u, "years")) {
    if (n < 1 || n > 100) return -1;
    *months = 12 * n;
    return 0;
  }
  static const struct { const char *u; int64_t s; } units[] = {
    { "s", 1 }, { "min", 60 }, { "h", 3600 }, { "d", 86400 }, { "day", 86400 },
    { "days", 86400 }, { "w", 604800 }, { "week", 604800 }, { "weeks", 604800 },
  };
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
    if (!strcmp(u, units[i].u)) {
      if (n < 1 || n > (long long)(INT64_C(100) * 366 * 86400 / units[i].s)) return -1;
      *seconds = n * units[i].s;
      return 0;
    }
  return -1;
}

dt_time_t dt_turns_end(dt_time_t t, int64_t months, int64_t seconds) {
  dt_time_t out = t;
  if (months && dt_time_add_months(t, months, &out) < 0) out = t;
  return out + seconds;
}
