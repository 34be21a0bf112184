/* session.c: the session core (session.h): applying inputs between steps,
 * staging and committing events, rebuilding by replay, reading a journal back.
 * No network, no libuv and no Lua: the server is serve.c, what the run
 * declares (moves, injects, a decision's context) the runtime's l_session.c.
 *
 * A script error during a session never takes the server down. "The failed
 * step changes nothing" is made true by rebuilding: the events of a failed step
 * or input are staged and dropped, and the run is rebuilt by replaying the
 * journal up to the point just before it, so the world, the queue, the random
 * stream and the Lua state are exactly as they were. */
#include "session.h"
#include "journal.h"
#include "l_session.h"
#include "turns.h"
#include "cli.h"
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

static char *xfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xfmt(const char *fmt, ...) {
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (s) vsnprintf(s, (size_t)n + 1, fmt, aq);
  va_end(aq);
  return s;
}

static void stage_sink(dt_sim_t *sim, const dt_event_t *ev, void *ud) {
  dt_session_t *s = ud;
  char *buf = NULL; size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  if (!m) return;
  dt_eventlog_t lg = { m, 0 };
  dt_eventlog_sink(sim, ev, &lg);
  fclose(m);
  if (s->nstage == s->capstage) {
    size_t nc = s->capstage ? s->capstage * 2 : 16;
    dt_sevent_t *p = realloc(s->stage, nc * sizeof *p);
    if (!p) { free(buf); return; }
    s->stage = p; s->capstage = nc;
  }
  dt_sevent_t *e = &s->stage[s->nstage++];
  memset(e, 0, sizeof *e);
  e->seq = ev->seq; e->line = buf; e->len = len;
  e->all = ev->vis == DT_VIS_PUBLIC;
  for (int i = 0; i < ev->nparties; i++)
    if (ev->parties[i] >= 0 && ev->parties[i] < 64) e->seen |= (uint64_t)1 << ev->parties[i];
  e->asked = e->made = -1;
  int asked = !strcmp(ev->kind, "decision.asked"), made = !strcmp(ev->kind, "decision.made");
  int k = -1;
  if (asked || made)
    for (int i = 0; i < ev->nfields; i++)
      if (!strcmp(ev->fields[i].key, "decision") && ev->fields[i].type == DT_F_STR)
        k = atoi(ev->fields[i].v.str + 1) - 1;
  if (k < 0 || k >= sim->ndecisions) return;
  if (asked) {
    e->asked = k;
    /* Whether a person was asked: only then does its closing concern people. */
    if ((size_t)k >= s->ndasked) {
      size_t nc = (size_t)k + 64;
      unsigned char *p = realloc(s->dasked, nc);
      if (!p) return;
      memset(p + s->ndasked, 0, nc - s->ndasked);
      s->dasked = p; s->ndasked = nc;
    }
    s->dasked[k] = (unsigned char)(sim->states[sim->decisions[k]->state]->human != 0);
  }
  if (made && (size_t)k < s->ndasked && s->dasked[k]) {
    e->made = k;
    e->how = s->closing ? s->closing : "defaulted";
  }
}

/* Which moves each human seat is offered, at a deterministic point (see
 * session.h): the preconditions run read-only, and in the same places live,
 * on resume and in replay, so even scenario state they touched stays the
 * same. < 0 when a precondition failed (the step or input then fails). */
static int avail_point(dt_session_t *s) {
  if (!s->avail_on) return 0;
  if (!s->avail) {
    s->avail = calloc((size_t)64 * DT_SESSION_MAXMOVES, 1);
    if (!s->avail) return DT_ENOMEM;
  }
  unsigned char row[DT_SESSION_MAXMOVES];
  for (int i = 0; i < s->sim->nstates && i < 64; i++) {
    if (!s->sim->states[i]->human) continue;
    int n = dt__lrt_moves_available(s->rt, s->sim->states[i], row, DT_SESSION_MAXMOVES);
    if (n < 0) return n;
    unsigned char *have = s->avail + (size_t)i * DT_SESSION_MAXMOVES;
    if (n != s->avail_n || memcmp(have, row, (size_t)n)) {
      memcpy(have, row, (size_t)n);
      s->avail_dirty |= (uint64_t)1 << i;
    }
    s->avail_n = n;
  }
  return 0;
}

static void drop_stage(dt_session_t *s) {
  for (size_t i = 0; i < s->nstage; i++) free(s->stage[i].line);
  s->nstage = 0;
}

/* Commits staged events not committed before (a rebuild re-emits old ones). */
static void commit(dt_session_t *s) {
  for (size_t i = 0; i < s->nstage; i++) {
    dt_sevent_t *e = &s->stage[i];
    if (e->seq <= s->committed) { free(e->line); continue; }
    s->committed = e->seq;
    if (s->log && fwrite(e->line, 1, e->len, s->log) != e->len) s->lg.failed = 1;
    if (s->nhist == s->caphist) {
      size_t nc = s->caphist ? s->caphist * 2 : 256;
      dt_sevent_t *p = realloc(s->hist, nc * sizeof *p);
      if (!p) { free(e->line); continue; }
      s->hist = p; s->caphist = nc;
    }
    s->hist[s->nhist++] = *e;
    if (s->on_event) s->on_event(s, e, s->ud);
  }
  s->nstage = 0;
}

static void set_error(dt_session_t *s, char **err, const char *fallback) {
  const char *m = s->rt->error ? s->rt->error : fallback;
  free(s->error);
  s->error = xstrdup(m);
  if (err) { free(*err); *err = xstrdup(m); }
}

static int find_state(dt_session_t *s, const char *id) {
  dt_state_t *st = id ? dt_state_find(s->sim, id) : NULL;
  return st ? st->index : -1;
}

static dt_decision_t *find_decision(dt_session_t *s, const char *id) {
  if (!id || id[0] != 'D') return NULL;
  char *end;
  long k = strtol(id + 1, &end, 10);
  if (*end || k < 1 || k > s->sim->ndecisions) return NULL;
  return s->sim->decisions[k - 1];
}

/* Sets up the run afresh: setup, human seats, the log header when it is new. */
static int setup(dt_session_t *s, char **err) {
  dt_lrt_t *rt = s->rt;
  dt_lrt_end_run(rt);
  dt_turns_reset(s);
  int rc = dt_lrt_setup(rt, s->seed, s->ov, s->nov);
  if (rc < 0) { set_error(s, err, dt_strerror(rc)); drop_stage(s); return rc; }
  json_t *h = json_object_get(s->header, "human");
  size_t i; json_t *v;
  json_array_foreach(h, i, v) {
    int k = find_state(s, json_string_value(v));
    if (k < 0) {
      if (err)
        *err = xfmt("--human %s: the scenario has no state '%s'", json_string_value(v),
                    json_string_value(v));
      drop_stage(s);
      return DT_ENOENT;
    }
    s->sim->states[k]->human = 1;
  }
  s->avail_on = dt__lrt_moves_conditional(rt);
  json_decref(s->move_names);
  s->move_names = json_array();
  json_t *forms = dt__lrt_moves_json(rt, NULL);
  size_t fi; json_t *fv;
  json_array_foreach(forms, fi, fv) json_array_append(s->move_names, json_object_get(fv, "name"));
  json_decref(forms);
  if ((rc = avail_point(s)) < 0) {
    set_error(s, err, "a move's precondition failed");
    drop_stage(s);
    return rc;
  }
  if (s->log && s->committed == 0 && ftell(s->log) == 0)
    dt_eventlog_header(&s->lg, rt, s->scenario, s->seed);
  commit(s);
  return 0;
}

/* Runs steps until the sim has handled `at` entries, then sets the clock. */
static int seek(dt_session_t *s, json_t *rec, char **err) {
  uint64_t at = (uint64_t)json_integer_value(json_object_get(rec, "at"));
  dt_time_t now = json_integer_value(json_object_get(rec, "now"));
  uint64_t seq = (uint64_t)json_integer_value(json_object_get(rec, "seq"));
  while (s->sim->dispatched < at) {
    dt__lrt_watch(s->rt);   /* the CPU-time watchdog is per step in a session */
    int rc = dt_sim_step(s->sim, DT_NEVER);
    if (rc <= 0 || s->sim->failed) {
      if (rc < 0 || s->sim->failed) set_error(s, err, "script error");
      else if (err)
        *err = xfmt("the journal does not match the scenario: input %lld expects %llu steps, the "
                    "run stops at %llu",
                    (long long)json_integer_value(json_object_get(rec, "n")),
                    (unsigned long long)at, (unsigned long long)s->sim->dispatched);
      drop_stage(s);
      return DT_EPARSE;
    }
    if (avail_point(s) < 0) {
      set_error(s, err, "a move's precondition failed");
      drop_stage(s);
      return DT_EPARSE;
    }
    commit(s);
  }
  if (s->sim->dispatched != at || s->sim->event_seq != seq || now < s->sim->now) {
    if (err)
      *err = xfmt("the journal does not match the scenario at input %lld (steps %llu/%llu, events "
                  "%llu/%llu): "
                  "was the scenario file changed?",
                  (long long)json_integer_value(json_object_get(rec, "n")),
                  (unsigned long long)s->sim->dispatched, (unsigned long long)at,
                  (unsigned long long)s->sim->event_seq, (unsigned long long)seq);
    return DT_EPARSE;
  }
  s->sim->now = now;
  return 0;
}

/* An event an input puts on the timeline (journal version 2 on: broadcasts,
 * refused moves, turns), emitted as the scenario's own are, so hooks see it,
 * it takes the next seq, and a replay emits it again at the same place. */
int dt__session_emit(dt_session_t *s, const char *kind, int actor, int vis,
                     const dt_field_t *fields, int nfields, const char *text) {
  int parties[1] = { actor };
  dt_event_t ev = { .kind = kind, .actor = actor, .target = -1, .vis = vis,
                    .parties = parties, .nparties = actor >= 0 ? 1 : 0, .text = text,
                    .fields = fields, .nfields = nfields };
  dt__lrt_budget(s->rt);
  s->sim->handling = kind;
  int rc = dt_sim_emit(s->sim, &ev);
  if (rc < 0 || s->sim->failed) return rc < 0 ? rc : DT_ESCRIPT;
  return 0;
}

/* A move refused (by its declared arguments, its validate, or the umpire) on
 * the timeline, private to the seat: version 2 journals only. */
int dt__session_refused(dt_session_t *s, int seat, const char *name, json_int_t input,
                        const char *reason, const char *by) {
  if (s->v < 2) return 0;
  dt_field_t f[4] = {
    { .key = "move", .type = DT_F_STR, .v.str = name ? name : "?" },
    { .key = "reason", .type = DT_F_STR, .v.str = reason },
    { .key = "by", .type = DT_F_STR, .v.str = by },
    { .key = "input", .type = DT_F_INT, .v.i = input },
  };
  char text[1024];
  snprintf(text, sizeof text, "%s: move %s refused%s: %s", s->sim->states[seat]->id,
           name ? name : "?", !strcmp(by, "umpire") ? " by the umpire" : "", reason);
  return dt__session_emit(s, "move.refused", seat, DT_VIS_PRIVATE, f, 4, text);
}

/* What an input does to the run. Inputs that only steer the clock or talk to
 * people (pause, resume, advance, clock, end) change nothing here; a
 * broadcast is on the timeline from journal version 2 on. */
static int apply(dt_session_t *s, json_t *rec, json_t **result) {
  const char *type = json_string_value(json_object_get(rec, "type"));
  dt__lrt_watch(s->rt);
  if (!type) return DT_EINVAL;
  int trc = dt_turns_apply(s, rec, type, result);
  if (trc != 0) return trc < 0 ? trc : 0;
  if (!strcmp(type, "answer")) {
    dt_decision_t *d = find_decision(s, json_string_value(json_object_get(rec, "decision")));
    if (!d || d->status != DT_DS_PENDING) return DT_ESTATE;
    int opt =
        dt_dectype_option(s->sim, d->dectype, json_string_value(json_object_get(rec, "option")));
    if (opt < 0) return DT_EINVAL;
    dt__lrt_budget(s->rt);
    s->sim->handling = "a decision answered by a seat";
    const char *by = json_string_value(json_object_get(rec, "by"));
    s->closing = by && !strcmp(by, "facilitator") ? "overridden" : "answered";
    int rc = dt_decision_answer(s->sim, d, opt, DT_DH_ANSWERED);
    s->closing = NULL;
    if (rc < 0 || s->sim->failed) return rc < 0 ? rc : DT_ESCRIPT;
    return 0;
  }
  if (!strcmp(type, "move")) {
    int seat = find_state(s, json_string_value(json_object_get(rec, "seat")));
    if (seat < 0) return DT_ENOENT;
    const char *name = json_string_value(json_object_get(rec, "move"));
    char *why = NULL;
    int rc = dt__lrt_move(s->rt, s->sim->states[seat], name, json_object_get(rec, "args"), &why);
    json_t *res = rc == 0 ? json_pack("{s:b}", "accepted", 1)
                  : rc == 1 || rc == DT_EINVAL
                      ? json_pack("{s:b,s:s}", "accepted", 0, "reason", why ? why : "refused")
                      : NULL;
    int erc = 0;
    if (rc == 1 || rc == DT_EINVAL)
      erc = dt__session_refused(s, seat, name, json_integer_value(json_object_get(rec, "n")),
                                why ? why : "refused", "scenario");
    free(why);
    if (result) *result = res; else json_decref(res);
    if (erc < 0) return erc;
    return rc == 1 || rc == DT_EINVAL ? 0 : rc;
  }
  if (!strcmp(type, "broadcast")) {
    if (s->v < 2) return 0;
    dt_field_t f = { .key = "from", .type = DT_F_STR, .v.str = "facilitator" };
    return dt__session_emit(s, "broadcast", -1, DT_VIS_PUBLIC, &f, 1,
                            json_string_value(json_object_get(rec, "text")));
  }
  if (!strcmp(type, "inject")) {
    char *why = NULL;
    int rc = dt__lrt_fire(s->rt, json_string_value(json_object_get(rec, "name")),
                         json_object_get(rec, "args"), &why);
    /* Arguments the inject's declaration refuses: acknowledged as refused. */
    if (rc == DT_EINVAL && result)
      *result = json_pack("{s:b,s:s}", "accepted", 0, "reason", why ? why : "refused");
    free(why);
    return rc == DT_EINVAL ? 0 : rc;
  }
  if (!strcmp(type, "cancel")) {
    /* What hit a limit in a failed step (dt_session_cancel_failed). */
    char what[512];
    json_t *hook = json_object_get(rec, "hook"), *due = json_object_get(rec, "due");
    dt_qentry_t e;
    int rc;
    if (json_is_integer(hook)) {
      rc = dt__lrt_cancel_hook(s->rt, (uint32_t)json_integer_value(hook), what, sizeof what);
    } else if (json_is_string(json_object_get(rec, "decision"))) {
      dt_decision_t *d = find_decision(s, json_string_value(json_object_get(rec, "decision")));
      rc = d ? dt__lrt_cancel_decision(s->rt, d->index, what, sizeof what) : DT_ENOENT;
    } else if (json_is_string(json_object_get(rec, "move"))) {
      rc = dt__lrt_cancel_move(s->rt, json_string_value(json_object_get(rec, "move")), what,
                               sizeof what);
    } else {
      if (json_is_integer(due) &&
          (!dt_queue_peek(&s->sim->queue, &e) || e.time != json_integer_value(due)))
        return DT_EPARSE;
      rc = dt__lrt_skip_entry(s->rt, what, sizeof what);
    }
    if (rc < 0) return DT_EPARSE;   /* the journal does not match the run */
    if (result) *result = json_pack("{s:s}", "what", what);
    return 0;
  }
  if (!strcmp(type, "event")) {
    /* A white-cell event: on the timeline, for everyone or the seats named. */
    json_t *seats = json_object_get(rec, "seats");
    int parties[64], np = 0;
    size_t i; json_t *v;
    json_array_foreach(seats, i, v) {
      int k = find_state(s, json_string_value(v));
      if (k < 0) return DT_ENOENT;
      if (np < 64) parties[np++] = k;
    }
    dt_event_t ev = { .kind = "white_cell.event", .actor = -1, .target = -1,
                      .vis = seats ? DT_VIS_PARTIES : DT_VIS_PUBLIC,
                      .parties = parties, .nparties = np,
                      .text = json_string_value(json_object_get(rec, "text")) };
    dt__lrt_budget(s->rt);
    s->sim->handling = "a white-cell event";
    int rc = dt_sim_emit(s->sim, &ev);
    if (rc < 0 || s->sim->failed) return rc < 0 ? rc : DT_ESCRIPT;
    return 0;
  }
  if (!strcmp(type, "seat")) {
    int seat = find_state(s, json_string_value(json_object_get(rec, "seat")));
    if (seat < 0) return DT_ENOENT;
    int human = json_is_true(json_object_get(rec, "human"));
    s->sim->states[seat]->human = human;
    if (!human) {
      /* Back to policy: what the team left open gets the declared default now. */
      for (int i = 0; i < s->sim->ndecisions; i++) {
        dt_decision_t *d = s->sim->decisions[i];
        if (d->state != seat || d->status != DT_DS_PENDING) continue;
        dt__lrt_budget(s->rt);
        s->closing = "policy";
        int rc = dt_decision_answer(s->sim, d, s->sim->dectypes[d->dectype].dflt, DT_DH_RELEASED);
        s->closing = NULL;
        if (rc < 0 || s->sim->failed) return rc < 0 ? rc : DT_ESCRIPT;
      }
    }
    return 0;
  }
  return 0;
}

static void free_hist(dt_session_t *s) {
  for (size_t i = 0; i < s->nhist; i++) free(s->hist[i].line);
  s->nhist = 0;
}

/* Rebuilds the run from the header and the kept records, then steps to
 * `at` entries and clock `now` (a failed step's starting point). */
static int rebuild(dt_session_t *s, uint64_t at, dt_time_t now, char **err) {
  drop_stage(s);
  int rc = setup(s, err);
  for (size_t i = 0; rc == 0 && i < s->nrecs; i++) {
    rc = seek(s, s->recs[i], err);
    if (rc == 0 && (rc = apply(s, s->recs[i], NULL)) < 0) set_error(s, err, "replay failed");
    if (rc == 0 && (rc = avail_point(s)) < 0) set_error(s, err, "replay failed");
    commit(s);
  }
  while (rc == 0 && s->sim->dispatched < at) {
    dt__lrt_watch(s->rt);
    int r = dt_sim_step(s->sim, DT_NEVER);
    if (r <= 0 || s->sim->failed || avail_point(s) < 0) {
      rc = DT_ESCRIPT;
      set_error(s, err, "rebuild failed");
      break;
    }
    commit(s);
  }
  if (rc == 0 && now > s->sim->now) s->sim->now = now;
  return rc;
}

int dt_session_new(dt_session_t **out, json_t *header, const char *stdlib_dir,
                   const dt_lrt_limits_t *lim, FILE *log, char **err) {
  *out = NULL;
  dt_session_t *s = calloc(1, sizeof *s);
  if (!s) return DT_ENOMEM;
  s->header = json_incref(header);
  s->scenario = json_string_value(json_object_get(header, "scenario"));
  s->seed = (uint64_t)json_integer_value(json_object_get(header, "seed"));
  s->v = json_is_integer(json_object_get(header, "v"))
             ? (int)json_integer_value(json_object_get(header, "v")) : 1;
  json_t *defs = json_object_get(header, "defs");
  size_t i; json_t *v;
  json_array_foreach(defs, i, v) {
    if (s->nov >= 64) break;
    s->ov[s->nov].name = json_string_value(json_array_get(v, 0));
    s->ov[s->nov++].value = json_string_value(json_array_get(v, 1));
  }
  s->log = log;
  s->lg.out = log;
  if (!s->scenario) {
    *err = xstrdup("the journal's header names no scenario");
    dt_session_free(s);
    return DT_EPARSE;
  }
  s->rt = dt_lrt_new(lim, stdlib_dir);
  if (!s->rt) { *err = xstrdup("out of memory"); dt_session_free(s); return DT_ENOMEM; }
  s->sim = s->rt->sim;
  dt_sim_add_sink(s->sim, stage_sink, s);
  int rc = dt_lrt_load(s->rt, s->scenario);
  if (rc < 0) {
    *err = xstrdup(s->rt->error ? s->rt->error : "cannot load the scenario");
    dt_session_free(s);
    return rc;
  }
  *out = s;
  return 0;
}

int dt_session_start(dt_session_t *s, char **err) {
  /* The log header needs the params, known only after setup: setup's events
   * are staged, then header and events are written in that order. */
  return setup(s, err);
}

void dt_session_free(dt_session_t *s) {
  if (!s) return;
  drop_stage(s);
  free(s->stage);
  free_hist(s);
  free(s->hist);
  free(s->dasked);
  json_decref(s->turns.moves);
  json_decref(s->move_names);
  free(s->avail);
  for (size_t i = 0; i < s->nrecs; i++) json_decref(s->recs[i]);
  free(s->recs);
  if (s->rt) { dt_lrt_end_run(s->rt); dt_lrt_free(s->rt); }
  json_decref(s->header);
  json_decref(s->replayed);
  free(s->error);
  free(s);
}

static int keep(dt_session_t *s, json_t *rec) {
  if (s->nrecs == s->caprecs) {
    size_t nc = s->caprecs ? s->caprecs * 2 : 64;
    json_t **p = realloc(s->recs, nc * sizeof *p);
    if (!p) return DT_ENOMEM;
    s->recs = p; s->caprecs = nc;
  }
  s->recs[s->nrecs++] = rec;
  return 0;
}

int dt_session_replay(dt_session_t *s, json_t *rec, char **err) {
  int rc = seek(s, rec, err);
  json_decref(s->replayed);
  s->replayed = NULL;
  if (rc == 0 && (rc = apply(s, rec, &s->replayed)) < 0)
    set_error(s, err, "replaying an input failed");
  if (rc == 0 && (rc = avail_point(s)) < 0) set_error(s, err, "replaying an input failed");
  if (rc < 0) { drop_stage(s); json_decref(rec); return rc; }
  commit(s);
  if (!strcmp(json_string_value(json_object_get(rec, "type")), "end")) s->ended = 1;
  const char *by = json_string_value(json_object_get(rec, "by"));
  if (!by || strcmp(by, "server")) s->ninputs++;
  return keep(s, rec);
}

int dt_session_input(dt_session_t *s, json_t *rec, json_t **result, char **err) {
  s->fail_step = 0;
  uint64_t at = s->sim->dispatched;
  dt_time_t now = s->sim->now;
  /* People's inputs are numbered 1, 2, ...; the server's clock records are
   * not, so the numbers a client sees do not depend on timing. */
  const char *by = json_string_value(json_object_get(rec, "by"));
  int numbered = !by || strcmp(by, "server");
  if (numbered) json_object_set_new(rec, "n", json_integer((json_int_t)s->ninputs + 1));
  json_object_set_new(rec, "at", json_integer((json_int_t)at));
  json_object_set_new(rec, "now", json_integer((json_int_t)now));
  json_object_set_new(rec, "seq", json_integer((json_int_t)s->sim->event_seq));
  if (result) *result = NULL;
  int rc = apply(s, rec, result);
  if (rc >= 0 && !s->sim->failed) {
    int arc = avail_point(s);
    if (arc < 0) rc = arc;
  }
  if (rc == DT_ESCRIPT || rc == DT_ELIMIT || s->sim->failed) {
    set_error(s, err, "script error");
    if (result && *result) { json_decref(*result); *result = NULL; }
    json_decref(rec);
    s->fail_step = 2;   /* an input: only a hook it set off can be cancelled */
    s->fail_limit = s->rt->fail_limit;
    s->fail_hook = s->rt->fail_hook;
    s->fail_decision = s->rt->fail_decision;
    s->fail_move = s->rt->fail_move;
    char *e2 = NULL;
    if (rebuild(s, at, now, &e2) < 0) {
      fprintf(stderr, "detente serve: cannot rebuild the session after a script error: %s\n",
              e2 ? e2 : "?");
      free(e2);
      return DT_EIO;   /* the caller must stop */
    }
    free(e2);
    return DT_ESCRIPT;
  }
  if (rc < 0) {
    drop_stage(s);
    json_decref(rec);
    if (err) *err = xstrdup(dt_strerror(rc));
    return rc;
  }
  commit(s);
  if (numbered) s->ninputs++;
  return keep(s, rec);
}

int dt_session_step(dt_session_t *s, dt_time_t until, char **err) {
  uint64_t at = s->sim->dispatched;
  dt_time_t now = s->sim->now;
  s->fail_step = 0;
  dt__lrt_watch(s->rt);
  int rc = dt_sim_step(s->sim, until);
  int in_step = rc < 0 || s->sim->failed;
  if (rc == 1 && !s->sim->failed) {
    int arc = avail_point(s);
    if (arc < 0) rc = arc;
  }
  if (rc < 0 || s->sim->failed) {
    set_error(s, err, dt_strerror(rc));
    /* What failed, before the rebuild forgets it: the step itself, or a
     * move's precondition after it. */
    s->fail_move = in_step ? 0 : s->rt->fail_move;
    s->fail_step = in_step || s->fail_move;
    s->fail_limit = s->rt->fail_limit;
    s->fail_hook = s->rt->fail_hook;
    s->fail_decision = s->rt->fail_decision;
    char *e2 = NULL;
    if (rebuild(s, at, now, &e2) < 0) {
      fprintf(stderr, "detente serve: cannot rebuild the session after a script error: %s\n",
              e2 ? e2 : "?");
      free(e2);
      return DT_EIO;
    }
    free(e2);
    return DT_ESCRIPT;
  }
  commit(s);
  return rc;
}

/* Applies a cancel record (takes it); 1 with *out the record as kept and
 * with "what" (new reference), or < 0 as dt_session_input. */
static int cancel(dt_session_t *s, json_t *rec, json_t **out, char **err) {
  json_t *result = NULL;
  json_incref(rec);
  int rc = dt_session_input(s, rec, &result, err);
  if (rc < 0) { json_decref(rec); json_decref(result); return rc; }
  json_t *what = json_object_get(result, "what");
  if (what) json_object_set(rec, "what", what);
  json_decref(result);
  *out = rec;
  return 1;
}

int dt_session_cancel_failed(dt_session_t *s, json_t **out, char **err) {
  *out = NULL;
  int lim = s->fail_step ? s->fail_limit : 0, input = s->fail_step == 2;
  s->fail_step = 0;
  const char *name = lim == 'i'   ? "instructions"
                     : lim == 't' ? "time"
                     : lim == 'e' ? "events"
                                  : NULL;
  if (!name || s->ended) return 0;
  json_t *move = s->fail_move > 0 ? json_array_get(s->move_names, (size_t)s->fail_move - 1) : NULL;
  if (move && lim != 'e')
    return cancel(s, json_pack("{s:s,s:s,s:s,s:O}", "type", "cancel", "by", "server", "limit",
                               name, "move", move),
                  out, err);
  if (input && (lim == 'e' || (!s->fail_hook && !s->fail_decision))) return 0;
  /* The hook or the process, unless the failed step made it (it is not there
   * before the step): then the entry that ran, which made it. */
  if (lim != 'e' && (s->fail_hook || s->fail_decision)) {
    json_t *rec = json_pack("{s:s,s:s,s:s}", "type", "cancel", "by", "server", "limit", name);
    if (s->fail_hook)
      json_object_set_new(rec, "hook", json_integer((json_int_t)s->fail_hook));
    else
      json_object_set_new(rec, "decision", json_sprintf("D%d", s->fail_decision));
    int rc = cancel(s, rec, out, err);
    if (rc != DT_EPARSE || input) return rc;
    if (err) { free(*err); *err = NULL; }
  }
  dt_qentry_t e;
  if (input || !dt_queue_peek(&s->sim->queue, &e)) return 0;
  return cancel(s, json_pack("{s:s,s:s,s:s,s:I}", "type", "cancel", "by", "server", "limit", name,
                             "due", (json_int_t)e.time),
                out, err);
}

int dt_session_check(dt_session_t *s, json_t *rec, int seat, const char **code,
                     char *msg, size_t msglen) {
  const char *type = json_string_value(json_object_get(rec, "type"));
  if (s->ended) { *code = "ended"; snprintf(msg, msglen, "the session has ended"); return -1; }
  if (dt_turns_check(s, rec, seat, code, msg, msglen) < 0) return -1;
  if (!strcmp(type, "answer")) {
    const char *id = json_string_value(json_object_get(rec, "decision"));
    dt_decision_t *d = find_decision(s, id);
    if (!d) {
      *code = "unknown_decision";
      snprintf(msg, msglen, "no decision '%.32s'", id);
      return -1;
    }
    if (seat >= 0 && d->state != seat) {
      *code = "not_yours";
      snprintf(msg, msglen, "decision %s belongs to another seat", id);
      return -1;
    }
    if (d->status != DT_DS_PENDING) {
      *code = "closed";
      snprintf(msg, msglen, "decision %s is already closed (%s)", id,
               dt_decision_option(s->sim, d));
      return -1;
    }
    const char *o = json_string_value(json_object_get(rec, "option"));
    if (dt_dectype_option(s->sim, d->dectype, o) < 0) {
      *code = "bad_option";
      snprintf(msg, msglen, "'%.64s' is not an option of decision %s", o, id);
      return -1;
    }
    return 0;
  }
  if (!strcmp(type, "move")) {
    const char *st = json_string_value(json_object_get(rec, "seat"));
    int k = find_state(s, st);
    if (k < 0) {
      *code = "unknown_seat";
      snprintf(msg, msglen, "no seat '%.32s'", st ? st : "?");
      return -1;
    }
    if (seat >= 0 && k != seat) {
      *code = "not_yours";
      snprintf(msg, msglen, "you hold seat %s, not %s", s->sim->states[seat]->id, st);
      return -1;
    }
    if (seat >= 0 && !s->sim->states[k]->human) {
      *code = "not_human";
      snprintf(msg, msglen, "seat %s is played by its policy now", st);
      return -1;
    }
    const char *name = json_string_value(json_object_get(rec, "move"));
    if (seat >= 0 && dt__lrt_has_move(s->rt, name) && !dt_session_move_offered(s, seat, name)) {
      *code = "unavailable";
      snprintf(msg, msglen,
               "move '%.64s' is not available to %s now (its precondition does not hold)", name,
               s->sim->states[seat]->id);
      return -1;
    }
    if (!dt__lrt_has_move(s->rt, name)) {
      *code = "unknown_move";
      snprintf(msg, msglen, "no move '%.64s' in this scenario", name);
      return -1;
    }
    return 0;
  }
  if (!strcmp(type, "event")) {
    size_t i; json_t *v;
    json_array_foreach(json_object_get(rec, "seats"), i, v)
      if (find_state(s, json_string_value(v)) < 0) {
        *code = "unknown_seat";
        snprintf(msg, msglen, "event: no seat '%.32s'", json_string_value(v));
        return -1;
      }
    return 0;
  }
  if (!strcmp(type, "inject")) {
    const char *name = json_string_value(json_object_get(rec, "name"));
    if (!dt__lrt_has_inject(s->rt, name)) {
      *code = "unknown_inject";
      snprintf(msg, msglen, "no inject '%.64s' in this scenario", name);
      return -1;
    }
    return 0;
  }
  if (!strcmp(type, "seat")) {
    const char *st = json_string_value(json_object_get(rec, "seat"));
    int k = find_state(s, st);
    if (k < 0) { *code = "unknown_seat"; snprintf(msg, msglen, "no seat '%.32s'", st); return -1; }
    if (k >= 64) {
      *code = "unknown_seat";
      snprintf(msg, msglen, "only the first 64 states can be human seats");
      return -1;
    }
  }
  return 0;
}

int dt_session_finish(dt_session_t *s) {
  int rc = s->sim->failed ? DT_ESCRIPT : dt_lrt_finish(s->rt);
  if (s->log) {
    dt_eventlog_footer(&s->lg, s->rt, rc, rc ? s->rt->error : NULL);
    fflush(s->log);
  }
  s->ended = 1;
  return rc;
}

json_t *dt_session_decision_json(dt_session_t *s, const dt_decision_t *d) {
  const dt_dectype_t *t = &s->sim->dectypes[d->dectype];
  char date[32] = "";
  json_t *opts = json_array();
  for (int i = 0; i < t->noptions; i++) json_array_append_new(opts, json_string(t->options[i]));
  json_t *o = json_object();
  json_object_set_new(o, "type", json_string("decision"));
  json_object_set_new(o, "decision", json_sprintf("D%d", d->index + 1));
  json_object_set_new(o, "seat", json_string(s->sim->states[d->state]->id));
  json_object_set_new(o, "name", json_string(t->name));
  json_object_set_new(o, "options", opts);
  json_object_set_new(o, "default", json_string(t->options[t->dflt]));
  if (t->doc) json_object_set_new(o, "doc", json_string(t->doc));
  dt_time_format(d->asked_at, date, sizeof date);
  json_object_set_new(o, "asked", json_string(date));
  if (d->deadline != DT_NEVER) {
    dt_time_format(d->deadline, date, sizeof date);
    json_object_set_new(o, "deadline", json_string(date));
  } else {
    json_object_set_new(o, "deadline", json_null());
  }
  /* The context the scenario gave decide(), in an order that never depends
   * on Lua's hash order. */
  json_t *ctx = s->sim->failed ? NULL : dt__lrt_context_json(s->rt, d->ctx_ref);
  if (ctx) json_object_set_new(o, "context", ctx);
  return o;
}

json_t *dt_session_closed_json(dt_session_t *s, const dt_decision_t *d, const char *how) {
  const dt_dectype_t *t = &s->sim->dectypes[d->dectype];
  char date[32];
  dt_time_format(s->sim->now, date, sizeof date);
  return json_pack("{s:s,s:o,s:s,s:s,s:s,s:s,s:s}", "type", "decision.closed",
                   "decision", json_sprintf("D%d", d->index + 1),
                   "seat", s->sim->states[d->state]->id,
                   "name", t->name, "answer", t->options[d->answer], "how", how, "date", date);
}

int dt_session_pending_human(dt_session_t *s) {
  int n = 0;
  for (int i = 0; i < s->sim->ndecisions; i++) {
    dt_decision_t *d = s->sim->decisions[i];
    if (d->status == DT_DS_PENDING && s->sim->states[d->state]->human) n++;
  }
  return n;
}

typedef struct resume_ctx {
  json_t *header;
  json_t **recs;
  size_t n, cap;
  char err[256];
} resume_ctx_t;

static int collect_rec(const unsigned char *p, size_t n, uint64_t off, void *ud) {
  resume_ctx_t *r = ud;
  json_t *o = json_loadb((const char *)p, n, 0, NULL);
  if (!o || !json_is_object(o)) {
    snprintf(r->err, sizeof r->err, "record at offset %llu is not a JSON object",
             (unsigned long long)off);
    json_decref(o);
    return DT_EPARSE;
  }
  if (!r->header) {
    if (strcmp(json_string_value(json_object_get(o, "type"))
                   ? json_string_value(json_object_get(o, "type"))
                   : "",
               "session")) {
      snprintf(r->err, sizeof r->err, "the journal does not start with a session header");
      json_decref(o);
      return DT_EPARSE;
    }
    r->header = o;
    return 0;
  }
  if (r->n == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 256;
    json_t **q = realloc(r->recs, r->cap * sizeof *q);
    if (!q) { json_decref(o); return DT_ENOMEM; }
    r->recs = q;
  }
  r->recs[r->n++] = o;
  return 0;
}

/* Reads a journal for resume and replay: the header and the records, with a
 * torn tail reported and dropped. Returns a DT_EXIT_* code. */
int dt_session_read_journal(const char *path, json_t **header, json_t ***recs, size_t *n,
                           uint64_t *valid_end, const char *cmd) {
  resume_ctx_t r = { 0 };
  dt_journal_scan_t res;
  int rc = dt_journal_scan(path, collect_rec, &r, &res);
  if (rc == DT_EIO) {
    fprintf(stderr, "detente %s: cannot read the journal '%s'\n", cmd, path);
    goto fail_io;
  }
  if (rc == DT_EPARSE && !r.err[0])
    snprintf(r.err, sizeof r.err,
             res.bad_offset == 0 ? "not a détente journal (bad magic)"
                                 : "corrupt record at offset %llu, followed by valid records",
             (unsigned long long)res.bad_offset);
  if (rc < 0 || !r.header) {
    fprintf(stderr, "detente %s: %s: %s\n", cmd, path,
            r.err[0] ? r.err : "the journal holds no session header");
    for (size_t i = 0; i < r.n; i++) json_decref(r.recs[i]);
    free(r.recs); json_decref(r.header);
    return DT_EXIT_DATA;
  }
  if (res.torn)
    fprintf(stderr,
            "detente %s: %s: dropped a torn last record at offset %llu (%llu bytes, never "
            "acknowledged)\n",
            cmd, path, (unsigned long long)res.valid_end,
            (unsigned long long)(res.file_size - res.valid_end));
  *header = r.header; *recs = r.recs; *n = r.n; *valid_end = res.valid_end;
  return 0;
fail_io:
  for (size_t i = 0; i < r.n; i++) json_decref(r.recs[i]);
  free(r.recs); json_decref(r.header);
  return DT_EXIT_IO;
}

json_t *dt_session_moves_json(dt_session_t *s, int seat) {
  json_t *all =
      dt__lrt_moves_json(s->rt, seat >= 0 && seat < s->sim->nstates ? s->sim->states[seat] : NULL);
  if (!s->avail_on || !s->avail || seat < 0 || seat >= 64) return all;
  /* A seat is offered the moves whose preconditions hold (as of the last
   * deterministic point); the facilitator, every move. */
  const unsigned char *row = s->avail + (size_t)seat * DT_SESSION_MAXMOVES;
  json_t *offered = json_array();
  size_t i; json_t *m;
  json_array_foreach(all, i, m)
    if (i >= (size_t)s->avail_n || row[i]) json_array_append(offered, m);
  json_decref(all);
  return offered;
}

int dt_session_move_offered(dt_session_t *s, int seat, const char *name) {
  if (!s->avail_on || !s->avail || seat < 0 || seat >= 64 || !name) return 1;
  size_t i; json_t *v;
  json_array_foreach(s->move_names, i, v)
    if (!strcmp(json_string_value(v), name))
      return i >= (size_t)s->avail_n || s->avail[(size_t)seat * DT_SESSION_MAXMOVES + i];
  return 1;
}
json_t *dt_session_injects_json(dt_session_t *s) { return dt__lrt_injects_json(s->rt); }

json_t *dt_session_forms_json(dt_session_t *s, int seat) {
  return dt__lrt_forms_json(s->rt,
                           seat >= 0 && seat < s->sim->nstates ? s->sim->states[seat] : NULL);
}

json_t *dt_session_form_fields(dt_session_t *s, const char *form, json_t *fields, int seat,
                               const char **code, char *msg, size_t msglen) {
  json_t *out = NULL; char *why = NULL;
  int rc = dt__lrt_form_fields(s->rt, form, fields,
                              seat >= 0 && seat < s->sim->nstates ? s->sim->states[seat] : NULL,
                              &out, &why);
  if (rc == DT_ENOENT) {
    *code = "unknown_form";
    snprintf(msg, msglen, "no form '%.64s' in this scenario (welcome.forms lists them)", form);
  } else if (rc < 0) {
    *code = "bad_fields";
    snprintf(msg, msglen, "form %.64s: %s", form, why ? why : "bad fields");
  }
  free(why);
  return out;
}
