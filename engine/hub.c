/* hub.c: the people of a live session (hub.h): authentication, inputs
 * journaled before they are acknowledged, what each peer may see, catching up
 * after a reconnect, the bad-message limit, output bounds, and the clock. No
 * sockets, no loop: serve.c is the TCP and console transport. */
#include "hub.h"
#include "people.h"
#include "view.h"
#include "turns.h"
#include "cli.h"
#include "protocol.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { MAX_ERRORS = 20, STALL_MS = 2000, STEP_BUDGET_NS = 2000000, CKPT_MS = 1000 };

static uint64_t now_ms(dt_hub_t *h) { return h->now_ms(h->clock_ud); }

/* Real time, Unix ms (never fed to the run). */
static int64_t wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t hrtime(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void to_facilitators(dt_hub_t *h, json_t *o);
static void end_session(dt_hub_t *h);
static void adv_done(dt_hub_t *h);

/* ---- output --------------------------------------------------------------- */

/* Bytes waiting for a client: queued here, or handed to libuv and not yet
 * taken by the kernel. */
static size_t waiting(dt_peer_t *c) {
  return c->outlen + c->ops->queued(c);
}

/* A client that stops reading cannot stall the others, nor take the server's
 * memory: once more than the bound waits for it, it is disconnected when it
 * has taken nothing for STALL_MS, or at once past four times the bound. The
 * grace lets a client that reads take a burst larger than the bound. Runs
 * after each flush. */
static void watch_output(dt_peer_t *c) {
  if (c->local || c->closing) return;
  dt_hub_t *h = c->hub;
  size_t q = waiting(c), bound = h->o.max_output;
  uint64_t now = now_ms(h), taken = c->enq - (q - c->outlen);
  if (q <= bound) { c->over = 0; return; }
  if (!c->over || taken != c->taken) { c->over = 1; c->over_since = now; c->taken = taken; }
  if (q <= 4 * bound && now - c->over_since < STALL_MS) return;
  const char *who = !c->authed               ? "unauthenticated"
                    : c->seat == DT_PEER_FAC ? "facilitator"
                                             : h->s->sim->states[c->seat]->id;
  if (q > 4 * bound)
    fprintf(
        stderr,
        "detente serve: client %d (%s, %s) is not reading: %zu bytes wait for it, more than four "
        "times the output limit; disconnecting it\n",
        c->id, who, c->name, q);
  else
    fprintf(
        stderr,
        "detente serve: client %d (%s, %s) is not reading: %zu bytes wait for it and it has taken "
        "nothing for %d s; disconnecting it\n",
        c->id, who, c->name, q, STALL_MS / 1000);
  char text[256];
  snprintf(text, sizeof text,
           "client %d (%s, %s) stopped reading its messages and was disconnected", c->id, who,
           c->name);
  dt_peer_close(c, 0);
  to_facilitators(h, json_pack("{s:s,s:s}", "type", "notice", "text", text));
}

/* Queues output for a client; it leaves in on_check, after the journal's sync. */
static void put_raw(dt_peer_t *c, const char *p, size_t n) {
  if (c->closing) return;
  if (c->outlen + n > c->outcap) {
    size_t nc = c->outcap ? c->outcap : 4096;
    while (nc < c->outlen + n) nc *= 2;
    char *b = realloc(c->out, nc);
    /* Out of memory: a network client is dropped (its memory goes in the close
     * callback, so c stays valid for our callers); the console, which would be
     * freed at once, just loses this message. */
    if (!b) { if (!c->local) dt_peer_close(c, 0); return; }
    c->out = b; c->outcap = nc;
  }
  memcpy(c->out + c->outlen, p, n);
  c->outlen += n;
}

/* Queues a message (steals the reference). Sent after the journal is synced. */
static void send_json(dt_peer_t *c, json_t *o) {
  char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
  json_decref(o);
  if (!s) return;
  put_raw(c, s, strlen(s));
  put_raw(c, "\n", 1);
  free(s);
}

void dt_peer_send(dt_peer_t *c, json_t *o) { send_json(c, o); }

static json_t *with_id(json_t *o, json_t *id) {
  if (id) json_object_set(o, "id", id);
  return o;
}

static void proto_error(dt_peer_t *c, json_t *id, const char *code, const char *msg) {
  json_t *o = json_pack("{s:s,s:s,s:s}", "type", "error", "code", code, "message", msg);
  send_json(c, with_id(o, id));
  if (++c->errors == MAX_ERRORS && !c->local) {
    fprintf(stderr, "detente serve: client %d (%s): too many bad messages; disconnecting it\n",
            c->id, c->name);
    send_json(c, json_pack("{s:s,s:s,s:s}", "type", "error", "code", "abuse", "message",
                           "too many bad messages"));
    c->close_after_flush = 1;
  }
}

static void to_facilitators(dt_hub_t *h, json_t *o) {
  for (dt_peer_t *c = h->peers; c; c = c->next)
    if (c->authed && c->seat == DT_PEER_FAC) send_json(c, json_incref(o));
  json_decref(o);
}



/* Hands what waits for a peer to its transport; closes it after, if asked. */
static void flush(dt_peer_t *c) {
  if (c->closing) return;
  if (c->outlen) {
    char *buf = c->out; size_t len = c->outlen;
    c->out = NULL; c->outlen = c->outcap = 0;
    c->enq += len;
    if (c->ops->write(c, buf, len) < 0) { dt_peer_close(c, 0); return; }
  }
  if (c->close_after_flush) { c->close_after_flush = 0; dt_peer_close(c, 1); }
}

/* ---- peers ---------------------------------------------------------------- */

dt_peer_t *dt_hub_attach(dt_hub_t *h, const dt_peer_ops_t *ops, void *ud, const char *name) {
  dt_peer_t *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->hub = h; c->ops = ops; c->ud = ud; c->seat = DT_PEER_NOSEAT; c->id = ++h->next_id;
  c->person = -1; c->role = DT_ROLE_UMPIRE;
  snprintf(c->name, sizeof c->name, "%s", name ? name : "?");
  c->next = h->peers; h->peers = c;
  return c;
}

void dt_peer_close(dt_peer_t *c, int graceful) {
  if (c->closing) return;
  c->closing = 1;
  dt_hub_t *h = c->hub;
  for (dt_peer_t **pp = &h->peers; *pp; pp = &(*pp)->next)
    if (*pp == c) { *pp = c->next; break; }
  int told = c->authed && !c->local;
  c->ops->close(c, graceful);
  if (told) dt_people_changed(h);   /* c may be freed: nothing of it is used */
}

void dt_peer_free(dt_peer_t *c) {
  if (!c) return;
  free(c->out);
  free(c);
}

void dt_peer_error(dt_peer_t *c, const char *code, const char *msg) {
  proto_error(c, NULL, code, msg);
}

void dt_peer_auth_timeout(dt_peer_t *c) {
  if (c->authed || c->closing) return;
  fprintf(stderr, "detente serve: client %d (%s) never authenticated; disconnecting it\n", c->id,
          c->name);
  proto_error(c, NULL, "auth_timeout", "no hello in time");
  c->close_after_flush = 1;
}

static int visible(const dt_peer_t *c, const dt_sevent_t *e) {
  if (c->seat == DT_PEER_FAC || e->all) return 1;
  return c->seat >= 0 && c->seat < 64 && (e->seen >> c->seat & 1);
}

static void send_event(dt_peer_t *c, const dt_sevent_t *e) {
  put_raw(c, "{\"type\":\"event\",", 16);
  put_raw(c, e->line + 1, e->len - 1);
}

/* ---- views for pages: refs and the world over time (view.h) ----------------- */

/* A point is kept when what a chart shows changed: the world as a step left
 * it, at most one per simulated time (the later replaces the earlier). Steps
 * that change no metric add nothing: charts draw steps, the last value runs
 * on to the present. */
static void record_point(dt_hub_t *h) {
  h->views_dirty = 0;
  json_t *p = dt_view_point(h->s->sim, -1);
  size_t n = json_array_size(h->points);
  json_t *last = n ? json_array_get(h->points, n - 1) : NULL;
  if (last && json_equal(json_object_get(last, "states"), json_object_get(p, "states"))) {
    json_decref(p);
  } else if (last && json_equal(json_object_get(last, "t"), json_object_get(p, "t"))) {
    json_array_set_new(h->points, n - 1, p);
    if (h->points_sent == n) h->points_sent = n - 1;
  } else {
    json_array_append_new(h->points, p);
  }
}

static int view_seat(const dt_peer_t *c) { return c->seat == DT_PEER_FAC ? -1 : c->seat; }

/* What the pages' pickers and treaty lines depend on: when it changes, the
 * next `world` carries refs and treaties again. */
static uint64_t refs_stamp(const dt_sim_t *sim) {
  uint64_t x = (uint64_t)sim->nstates * 1000003u + (uint64_t)sim->ntreaties * 10007u +
               (uint64_t)sim->nproposals;
  for (int i = 0; i < sim->nproposals; i++) x = x * 31 + (uint64_t)sim->proposals[i]->status;
  for (int i = 0; i < sim->ntreaties; i++) x = x * 31 + (uint64_t)sim->treaties[i]->status;
  for (int i = 0; i < sim->nstates; i++) x = x * 31 + (uint64_t)sim->states[i]->nsystems;
  return x;
}

/* A `world` message: the peer's part of points[from ..]; on the first one
 * (from 0) or when they changed, the metrics, treaties and refs too. */
static json_t *world_json(dt_hub_t *h, dt_peer_t *c, size_t from, int full) {
  json_t *pts = json_array();
  for (size_t i = from; i < json_array_size(h->points); i++)
    json_array_append_new(pts,
                          dt_view_point_for(json_array_get(h->points, i), h->s->sim, view_seat(c)));
  json_t *w = json_pack("{s:s,s:o}", "type", "world", "points", pts);
  if (full) {
    json_object_set_new(w, "metrics", dt_view_metrics(h->s->sim));
    json_object_set_new(w, "treaties", dt_view_treaties(h->s->sim));
    json_object_set_new(w, "refs", dt_view_refs(h->s->sim, view_seat(c)));
  }
  return w;
}

static void send_world(dt_hub_t *h) {
  if (!h->points) return;
  if (h->views_dirty) record_point(h);
  uint64_t stamp = refs_stamp(h->s->sim);
  int full = stamp != h->refs_stamp;
  if (!full && h->points_sent == json_array_size(h->points)) return;
  h->refs_stamp = stamp;
  for (dt_peer_t *c = h->peers; c; c = c->next)
    if (c->views && c->authed) send_json(c, world_json(h, c, h->points_sent, full));
  h->points_sent = json_array_size(h->points);
}

void dt_hub_enable_views(dt_hub_t *h) {
  if (h->points) return;
  h->points = json_array();
  record_point(h);
}

static void on_session_event(dt_session_t *s, const dt_sevent_t *e, void *ud) {
  dt_hub_t *h = ud;
  /* A point for each new simulated time (so a replay keeps the history), the
   * final state of a time when the output leaves (send_world). */
  if (h->points) {
    if (h->s->sim->now != h->points_t) { h->points_t = h->s->sim->now; record_point(h); }
    else h->views_dirty = 1;
  }
  for (dt_peer_t *c = h->peers; c; c = c->next)
    if (c->authed && !c->catching && visible(c, e)) send_event(c, e);
  if (e->made >= 0 && e->made < s->sim->ndecisions) {
    /* How a decision put to people ended, to its seat and the facilitators. */
    dt_decision_t *d = s->sim->decisions[e->made];
    json_t *cj = dt_session_closed_json(s, d, e->how);
    for (dt_peer_t *c = h->peers; c; c = c->next)
      if (c->authed && (c->seat == DT_PEER_FAC || c->seat == d->state))
        send_json(c, json_incref(cj));
    json_decref(cj);
  }
  if (e->asked >= 0 && e->asked < s->sim->ndecisions) {
    dt_decision_t *d = s->sim->decisions[e->asked];
    if (!s->sim->states[d->state]->human) return;
    json_t *dj = dt_session_decision_json(s, d);
    for (dt_peer_t *c = h->peers; c; c = c->next)
      if (c->authed && (c->seat == DT_PEER_FAC || c->seat == d->state))
        send_json(c, json_incref(dj));
    json_decref(dj);
  }
}

static void date_of(dt_time_t t, char *buf, size_t n) {
  if (t == DT_NEVER) snprintf(buf, n, "never");
  else dt_time_format(t, buf, n);
}

/* The clock would move now (it runs, or an advance or a released turn
 * carries it) but waits for a human seat's answer (--hold-on-decision). */
static int clock_held(dt_hub_t *h) {
  return h->o.hold && !h->s->ended && (h->adv != DT_ADV_NONE || (!h->paused && !h->o.step)) &&
         dt_session_pending_human(h->s);
}

/* The pace as people write it ("1d=10s") and as a rate (simulated seconds
 * per real second), whether a pending human decision holds the clock
 * (`hold`, the setting) and does now (`held`), for welcome, status and clock
 * messages. */
static void add_pace(dt_hub_t *h, json_t *o) {
  char p[64];
  dt_proto_pace_text(h->o.pace_sim, h->o.pace_real_ms, p, sizeof p);
  json_object_set_new(o, "pace", json_string(p));
  json_object_set_new(o, "rate",
                      json_real((double)h->o.pace_sim * 1000.0 / (double)h->o.pace_real_ms));
  json_object_set_new(o, "hold", json_boolean(h->o.hold));
  json_object_set_new(o, "held", json_boolean(clock_held(h)));
}

/* The clock's state as everyone sees it: the date, paused or running, step
 * or pace, an advance under way, the pace and the hold. */
static void add_clock(dt_hub_t *h, json_t *o) {
  char d[32];
  date_of(h->s->sim->now, d, sizeof d);
  json_object_update_new(o, json_pack("{s:s,s:I,s:b,s:s,s:b}", "clock", d, "t",
                                      (json_int_t)h->s->sim->now, "paused", h->paused, "mode",
                                      h->o.step ? "step" : "pace", "advancing",
                                      h->adv != DT_ADV_NONE));
  add_pace(h, o);
}

/* Whenever the clock's state changes (paused, resumed, an advance begun or
 * done, a new pace, held by a decision or let go), everyone connected gets a
 * `clock` message, after the journal's sync like all output. The date alone
 * moving does not count: events carry it. */
static void clock_sig(dt_hub_t *h, char *sig, size_t n) {
  snprintf(sig, n, "%d %d %d %lld %lld %d %d %u", h->paused, h->adv != DT_ADV_NONE, h->o.step,
           (long long)h->o.pace_sim, (long long)h->o.pace_real_ms, h->o.hold, clock_held(h),
           h->clock_gen);
}

static void send_clock(dt_hub_t *h) {
  if (h->ending || h->s->ended) return;
  char sig[sizeof h->clock_sig];
  clock_sig(h, sig, sizeof sig);
  if (!strcmp(sig, h->clock_sig)) return;
  memcpy(h->clock_sig, sig, sizeof sig);
  json_t *ck = json_pack("{s:s}", "type", "clock");
  add_clock(h, ck);
  for (dt_peer_t *p = h->peers; p; p = p->next)
    if (p->authed && !p->closing) send_json(p, json_incref(ck));
  json_decref(ck);
}

static json_t *status_json(dt_hub_t *h, dt_peer_t *c) {
  dt_session_t *s = h->s;
  char d[32];
  date_of(s->sim->now, d, sizeof d);
  json_t *o = json_pack("{s:s,s:s,s:I,s:b,s:s,s:b,s:b,s:I,s:I}", "type", "status", "clock", d,
                        "t", (json_int_t)s->sim->now, "paused", h->paused,
                        "mode", h->o.step ? "step" : "pace", "advancing", h->adv != DT_ADV_NONE,
                        "ended", s->ended, "inputs", (json_int_t)s->ninputs,
                        "events", (json_int_t)s->committed);
  json_t *seats = json_array();
  for (int i = 0; i < s->sim->nstates; i++) {
    int n = 0;
    for (dt_peer_t *k = h->peers; k; k = k->next) if (k->authed && k->seat == i) n++;
    json_array_append_new(seats, json_pack("{s:s,s:s,s:b,s:i}", "id", s->sim->states[i]->id, "name",
                                           s->sim->states[i]->name ? s->sim->states[i]->name
                                                                   : s->sim->states[i]->id,
                                           "human", s->sim->states[i]->human, "connected", n));
  }
  json_object_set_new(o, "seats", seats);
  add_pace(h, o);
  int nf = 0;
  for (dt_peer_t *k = h->peers; k; k = k->next) if (k->authed && k->seat == DT_PEER_FAC) nf++;
  json_object_set_new(o, "facilitators", json_integer(nf));
  if (c->seat == DT_PEER_FAC) json_object_set_new(o, "people", dt_people_json(h));
  json_t *decs = json_array();
  for (int i = 0; i < s->sim->ndecisions; i++) {
    dt_decision_t *dd = s->sim->decisions[i];
    if (dd->status == DT_DS_PENDING && (c->seat == DT_PEER_FAC || c->seat == dd->state))
      json_array_append_new(decs, dt_session_decision_json(s, dd));
  }
  json_object_set_new(o, "decisions", decs);
  json_object_set_new(o, "error",
                      c->seat == DT_PEER_FAC && s->error ? json_string(s->error) : json_null());
  if (s->turns.number) {
    char e[32];
    date_of(s->turns.ends, e, sizeof e);
    json_object_set_new(o, "turn", json_pack("{s:i,s:s,s:s}", "number", s->turns.number, "phase",
                                             dt_turns_phase_name(s->turns.phase), "ends", e));
  }
  return o;
}

static void reanchor(dt_hub_t *h) {
  h->anchor_real = now_ms(h);
  h->anchor_sim = h->s->sim->now;
}


int dt_hub_login(const dt_hub_t *h, const char *token, char *seat, size_t seatlen, char *role,
                 size_t rolelen) {
  int k = dt_people_find(h, token);
  if (k < 0) return DT_PEER_NOSEAT;
  const dt_person_t *p = &h->people[k];
  snprintf(seat, seatlen, "%s",
           p->seat == DT_PEER_FAC ? "facilitator" : h->s->sim->states[p->seat]->id);
  snprintf(role, rolelen, "%s", dt_role_name(p->role));
  return p->seat;
}

/* Sends a catching-up client more of the history it missed, keeping what
 * waits for it under half the output bound; once it has it all, events reach
 * it live (on_session_event skips it until then, so none comes twice). */
static void top_up(dt_peer_t *c) {
  dt_session_t *s = c->hub->s;
  size_t room = c->hub->o.max_output / 2;
  dt_channel_top_up(c, room);   /* the channel messages it missed first: they are few */
  while (!c->mcatching && c->catching && !c->closing && !c->close_after_flush) {
    if (c->backlog >= s->nhist) { c->catching = 0; break; }
    if (waiting(c) >= room) break;
    const dt_sevent_t *e = &s->hist[c->backlog++];
    if (visible(c, e)) send_event(c, e);
  }
}

static void do_hello(dt_peer_t *c, dt_msg_t *m) {
  dt_hub_t *h = c->hub;
  dt_session_t *s = h->s;
  if (c->authed) {
    proto_error(c, m->id, "already_authenticated", "this connection is already authenticated");
    return;
  }
  int seat = DT_PEER_NOSEAT;
  if (!strcmp(m->seat, "facilitator")) seat = DT_PEER_FAC;
  else {
    dt_state_t *st = dt_state_find(s->sim, m->seat);
    if (st && st->index < 64) seat = st->index;
  }
  /* The token names the person; the seat must be theirs. */
  int who = dt_people_find(h, m->token);
  if (who < 0 || seat == DT_PEER_NOSEAT || h->people[who].seat != seat) {
    fprintf(stderr, "detente serve: refused client %d (%s): wrong token for seat '%.32s'\n", c->id,
            c->name, m->seat);
    proto_error(c, m->id, "auth", "wrong seat or token");
    c->close_after_flush = 1;
    return;
  }
  c->authed = 1; c->seat = seat;
  c->person = who; c->role = h->people[who].role;
  char d[32];
  date_of(s->sim->now, d, sizeof d);
  json_t *w = json_pack("{s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:I}", "type", "welcome", "v",
                        DT_PROTO_VERSION, "seat",
                        seat == DT_PEER_FAC ? "facilitator" : s->sim->states[seat]->id, "role",
                        dt_role_name(c->role), "name", h->people[who].name, "title",
                        s->sim->title ? s->sim->title : s->scenario, "clock", d, "last_seq",
                        (json_int_t)s->committed);
  add_clock(h, w);
  json_object_set_new(w, "moves", dt_session_moves_json(s, seat));
  json_object_set_new(w, "channels", dt_channels_json(h, seat));
  json_object_set_new(w, "forms", dt_session_forms_json(s, seat));
  if (seat == DT_PEER_FAC) {
    json_object_set_new(w, "injects", dt_session_injects_json(s));
    json_object_set_new(w, "people", dt_people_json(h));
  }
  json_t *st = status_json(h, c);
  json_object_set(w, "decisions", json_object_get(st, "decisions"));
  json_decref(st);
  if (c->views) json_object_set_new(w, "refs", dt_view_refs(s->sim, view_seat(c)));
  send_json(c, with_id(w, m->id));
  /* The turn as it stands (unless it just changed: the flush sends it to all). */
  json_t *turn = s->turns.changed ? NULL : dt_turns_json(s, view_seat(c));
  if (turn) send_json(c, turn);
  if (c->views && h->points) send_json(c, world_json(h, c, 0, 1));
  /* What the seat missed, in order, each event once: from the history, as
   * fast as the client reads it (top_up), then live. */
  size_t lo = 0, hi = s->nhist;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->hist[mid].seq <= (uint64_t)m->last_seq) lo = mid + 1; else hi = mid;
  }
  c->backlog = lo;
  c->catching = 1;
  dt_channel_catch_up(c, m->last_input);
  top_up(c);
  dt_people_changed(h);
}

/* Tells the terminal and every facilitator; `asker` (may be NULL) gets the
 * report as the answer to its request. */
static void report_failure(dt_hub_t *h, const char *err, const char *during, dt_peer_t *asker,
                           json_t *id, const char *cancelled) {
  fprintf(stderr, "detente serve: scenario error during %s (the failed step changed nothing; "
                  "the clock is paused):\n%s\n", during, err ? err : "?");
  json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "type", "error", "code", "script_error",
                        "during", during, "message", err ? err : "?");
  if (cancelled) json_object_set_new(o, "cancelled", json_string(cancelled));
  for (dt_peer_t *c = h->peers; c; c = c->next)
    if (c->authed && c->seat == DT_PEER_FAC && c != asker) send_json(c, json_incref(o));
  if (asker) {
    if (asker->seat != DT_PEER_FAC) {
      json_object_set_new(o, "message",
                          json_string(
                              "the scenario failed while applying this input; it was not applied"));
      json_object_del(o, "cancelled");   /* the scenario's insides are the white cell's */
    }
    send_json(asker, with_id(json_incref(o), id));
  }
  json_decref(o);
}

static void script_failure(dt_hub_t *h, const char *err, const char *during, dt_peer_t *asker,
                           json_t *id) {
  report_failure(h, err, during, asker, id, NULL);
}

static void fatal_io(const char *what) {
  fprintf(stderr, "detente serve: %s failed (%s); stopping without acknowledging\n", what,
          strerror(errno));
  fflush(stderr);
  _exit(DT_EXIT_IO);
}

static void journal_rec(dt_hub_t *h, json_t *rec);
static void stamp_wall(json_t *rec);

/* A step or an input failed and the run is as it was before it. When
 * scenario code hit a limit there, what hit it is cancelled
 * (dt_session_cancel_failed) and the cancellation journaled, so the next step
 * (the input sent again) does not fail the same way; the report says what was
 * cancelled. */
static void failed(dt_hub_t *h, const char *err, const char *during, dt_peer_t *asker,
                   json_t *id) {
  json_t *rec = NULL;
  char *cerr = NULL;
  int rc = dt_session_cancel_failed(h->s, &rec, &cerr);
  if (rc == DT_EIO) fatal_io("rebuilding the session");
  if (rc < 0)
    fprintf(stderr, "detente serve: cannot cancel what failed %s: %s\n", during,
            cerr ? cerr : dt_strerror(rc));
  free(cerr);
  if (rc <= 0 || !rec) { report_failure(h, err, during, asker, id, NULL); return; }
  stamp_wall(rec);
  journal_rec(h, rec);
  const char *what = json_string_value(json_object_get(rec, "what"));
  if (!what) what = "?";
  size_t n = strlen(err ? err : "?") + strlen(what) + 200;
  char *msg = malloc(n);
  if (msg)
    snprintf(msg, n, "%s\nThe server cancelled %s: it hit the limit, and the session goes on "
                     "without it%s.", err ? err : "?", what,
             asker ? " (the input was not applied: send it again)" : "");
  report_failure(h, msg ? msg : err, during, asker, id, what);
  free(msg);
  json_decref(rec);
}

/* Appends a record; every event committed so far is now reproducible from
 * the journal (once it is synced). */
static void journal_rec(dt_hub_t *h, json_t *rec) {
  char *t = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
  if (!t || dt_journal_append(h->j, t, strlen(t)) < 0) fatal_io("journal append");
  free(t);
  h->covered = h->s->committed;
}

/* When an input was sent or the clock got somewhere, in real time, for the
 * after-action review (how long people took); the run never sees it, so
 * replay stays deterministic. */
static void stamp_wall(json_t *rec) {
  struct timespec wt;
  clock_gettime(CLOCK_REALTIME, &wt);
  json_int_t wall = (json_int_t)wt.tv_sec * 1000 + wt.tv_nsec / 1000000;
  json_object_set_new(rec, "wall", json_integer(wall));
}

/* A clock checkpoint: where the clock has got to, as an input that changes
 * nothing, so a resume does not rewind it and events the clock produced are
 * reproduced, with the same seq and content. */
static void checkpoint(dt_hub_t *h, int advance_done) {
  json_t *rec = json_pack("{s:s,s:s}", "type", "clock", "by", "server");
  if (advance_done) json_object_set_new(rec, "advance", json_string("done"));
  stamp_wall(rec);
  json_incref(rec);
  if (dt_session_input(h->s, rec, NULL, NULL) == 0) journal_rec(h, rec);
  json_decref(rec);
  h->ckpt_at = h->s->sim->dispatched;
  h->ckpt_ms = now_ms(h);
}

/* ---- turns (turns.h): the hub's part is the clock and telling people ---------- */

/* A turn's planning begins: journaled (a server record, where the clock got
 * to, so it is a checkpoint too). */
static void begin_turn(dt_hub_t *h, int number) {
  dt_session_t *s = h->s;
  dt_time_t ends = dt_turns_end(s->sim->now, h->o.turn_months, h->o.turn_seconds);
  json_t *rec = json_pack("{s:s,s:s,s:i,s:I}", "type", "turn", "by", "server", "number", number,
                          "ends", (json_int_t)ends);
  /* A planning time limit: when it closes, in real time (Unix ms), journaled
   * so a resume keeps the same deadline. */
  if (h->o.planning_ms)
    json_object_set_new(rec, "closes",
                        json_integer((json_int_t)wall_ms() + (json_int_t)h->o.planning_ms));
  json_incref(rec);
  char *err = NULL;
  int rc = dt_session_input(s, rec, NULL, &err);
  if (rc == DT_EIO) fatal_io("rebuilding the session");
  if (rc == 0) journal_rec(h, rec);
  else script_failure(h, err, "the start of a turn", NULL, NULL);
  free(err);
  json_decref(rec);
  h->ckpt_at = s->sim->dispatched;
  h->ckpt_ms = now_ms(h);
}

/* The planning time is up: the server closes it, as the umpire's adjudicate
 * would (a server record, journaled). */
static void planning_over(dt_hub_t *h) {
  dt_session_t *s = h->s;
  if (!s->turns.number || s->turns.phase != DT_TURN_PLANNING || !s->turns.closes ||
      wall_ms() < s->turns.closes)
    return;
  json_t *rec = json_pack("{s:s,s:s}", "type", "adjudicate", "by", "server");
  json_incref(rec);
  char *err = NULL;
  int rc = dt_session_input(s, rec, NULL, &err);
  if (rc == DT_EIO) fatal_io("rebuilding the session");
  if (rc == 0) journal_rec(h, rec);
  else script_failure(h, err, "closing a turn's planning", NULL, NULL);
  free(err);
  json_decref(rec);
}

/* The umpire released the turn: its clock runs to the turn's end. */
static void turn_runs(dt_hub_t *h) {
  h->adv = DT_ADV_BY;
  h->adv_target = h->s->turns.ends;
  if (h->adv_target <= h->s->sim->now) adv_done(h);
}

/* After a turn's state changed: the facilitators get every move, each team
 * its own. */
static void send_turn(dt_hub_t *h) {
  if (!h->s->turns.changed || !h->s->turns.number) return;
  h->s->turns.changed = 0;
  for (dt_peer_t *c = h->peers; c; c = c->next)
    if (c->authed && (c->seat == DT_PEER_FAC || c->seat >= 0)) {
      json_t *t = dt_turns_json(h->s, view_seat(c));
      if (t) send_json(c, t);
    }
}

/* The moves a seat is offered changed (a precondition, session.h): its
 * people get the new list, as welcome.moves carries it. */
static void send_moves(dt_hub_t *h) {
  dt_session_t *s = h->s;
  for (int i = 0; s->avail_dirty && i < 64 && i < s->sim->nstates; i++) {
    if (!(s->avail_dirty >> i & 1)) continue;
    s->avail_dirty &= ~((uint64_t)1 << i);
    json_t *m = NULL;
    for (dt_peer_t *c = h->peers; c; c = c->next)
      if (c->authed && c->seat == i) {
        if (!m) m = json_pack("{s:s,s:o}", "type", "moves", "moves", dt_session_moves_json(s, i));
        send_json(c, json_incref(m));
      }
    json_decref(m);
  }
}

/* ---- idempotency: a retried input is applied once ---------------------------- */

/* The map key of an input: who sent it and its id; NULL when it has none. */
static char *input_key(const char *by, json_t *id) {
  if (!by || !id || !(json_is_string(id) || json_is_integer(id))) return NULL;
  json_t *a = json_pack("[s,s,O]", by, json_is_string(id) ? "s" : "i", id);
  char *k = a ? json_dumps(a, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
  json_decref(a);
  return k;
}

/* What an input says, without where it applied or what became of it. */
static char *input_sig(json_t *rec) {
  json_t *c = json_copy(rec);
  static const char *const stamps[] = { "n", "at", "now", "seq", "key", "result", "wall", NULL };
  for (int i = 0; stamps[i]; i++) json_object_del(c, stamps[i]);
  char *sig = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(c);
  return sig;
}

/* Remembers a journaled input that carries a key. */
static void remember(dt_hub_t *h, json_t *rec) {
  json_t *key = json_object_get(rec, "key");
  char *k = input_key(json_string_value(json_object_get(rec, "by")), key);
  if (!k) return;
  char *sig = input_sig(rec);
  json_t *result = json_object_get(rec, "result");
  json_object_set_new(h->keys, k,
                      json_pack("{s:O,s:s,s:O?}", "n", json_object_get(rec, "n"), "sig",
                                sig ? sig : "", "result", result));
  free(sig);
  free(k);
}

/* An input that passed its checks: apply, journal, ack (after the sync). */
static void do_input(dt_peer_t *c, dt_msg_t *m, json_t *rec) {
  dt_hub_t *h = c->hub;
  dt_session_t *s = h->s;
  const char *code; char msg[512];
  /* The console's ids are the typed lines: a command typed twice is meant. */
  char *k = c->local ? NULL : input_key(json_string_value(json_object_get(rec, "by")), m->id);
  json_t *seen = k ? json_object_get(h->keys, k) : NULL;
  free(k);
  if (seen) {
    char *sig = input_sig(rec);
    int same = sig && !strcmp(sig, json_string_value(json_object_get(seen, "sig")));
    free(sig);
    json_decref(rec);
    if (!same) {
      snprintf(
          msg, sizeof msg,
          "this id was already used by input %lld, another message: use a new id for a new input",
          (long long)json_integer_value(json_object_get(seen, "n")));
      proto_error(c, m->id, "duplicate_id", msg);
      return;
    }
    /* A retry (after a reconnect, say): the first answer again, applied once. */
    json_t *ack = json_pack("{s:s,s:O,s:b}", "type", "ack", "input", json_object_get(seen, "n"),
                            "repeated", 1);
    json_t *res = json_object_get(seen, "result");
    if (res) json_object_update(ack, res);
    send_json(c, with_id(ack, m->id));
    return;
  }
  if ((m->type == DT_MSG_RESUME || m->type == DT_MSG_ADVANCE) && s->turns.number) {
    json_decref(rec);
    proto_error(c, m->id, "turn_mode",
                "the session is played in turns: the clock moves when the umpire releases a turn");
    return;
  }
  if (m->type == DT_MSG_RESUME && h->o.step) {
    json_decref(rec);
    proto_error(c, m->id, "step_mode", "in step mode the clock moves only on advance");
    return;
  }
  /* A pace is the speed of a running clock: a turn's clock and an advance in
   * step mode run as fast as they can, so neither has one to change. */
  if (m->type == DT_MSG_PACE && (s->turns.number || h->o.step)) {
    json_decref(rec);
    proto_error(c, m->id, s->turns.number ? "turn_mode" : "step_mode",
                s->turns.number
                    ? "pace: the session is played in turns: a released turn's clock runs to "
                      "its end at once, so there is no pace to set"
                    : "pace: in step mode the clock moves only on advance, at once, so there is "
                      "no pace to set (a pace is for a session served without --step)");
    return;
  }
  if (m->id && !c->local) json_object_set(rec, "key", m->id);
  stamp_wall(rec);
  if (dt_session_check(s, rec, c->seat, &code, msg, sizeof msg) < 0) {
    json_decref(rec);
    proto_error(c, m->id, code, msg);
    return;
  }
  json_t *result = NULL; char *err = NULL;
  json_incref(rec);
  int rc = dt_session_input(s, rec, &result, &err);
  if (rc == DT_EIO) fatal_io("rebuilding the session");
  if (rc < 0) {
    if (rc == DT_ESCRIPT) {
      failed(h, err,
             m->type == DT_MSG_MOVE     ? "a move"
             : m->type == DT_MSG_INJECT ? "an inject"
                                        : "an input",
             c, m->id);
      h->paused = 1; h->adv = DT_ADV_NONE;
    } else {
      proto_error(c, m->id, "rejected", err ? err : "input refused");
    }
    free(err);
    json_decref(rec);
    return;
  }
  free(err);
  if (result) json_object_set(rec, "result", result);
  journal_rec(h, rec);
  remember(h, rec);
  json_t *ack = json_pack("{s:s,s:I}", "type", "ack", "input",
                          (json_int_t)json_integer_value(json_object_get(rec, "n")));
  if (result) { json_object_update(ack, result); json_decref(result); }
  send_json(c, with_id(ack, m->id));
  switch (m->type) {
  /* Each of these tells everyone the clock's state (send_clock in the
   * flush), even when it is the same as before: the sender's screen and the
   * others' agree at once. */
  case DT_MSG_PAUSE: h->paused = 1; h->adv = DT_ADV_NONE; h->clock_gen++; break;
  case DT_MSG_RESUME: h->paused = 0; h->adv = DT_ADV_NONE; reanchor(h); h->clock_gen++; break;
  case DT_MSG_PACE:
    /* From here on at the new pace; the simulated time so far stays. */
    reanchor(h);
    h->o.pace_sim = m->pace_sim; h->o.pace_real_ms = m->pace_real_ms;
    h->clock_gen++;
    break;
  case DT_MSG_ADVANCE:
    if (m->to) { h->adv = DT_ADV_DECISION; h->adv_from = s->sim->ndecisions; }
    else { h->adv = DT_ADV_BY; h->adv_target = s->sim->now + m->by; }
    h->clock_gen++;
    break;
  case DT_MSG_BROADCAST: {
    char d[32];
    date_of(s->sim->now, d, sizeof d);
    json_t *b = json_pack("{s:s,s:s,s:s,s:s}", "type", "message", "from", "facilitator", "date", d,
                          "text", m->text);
    for (dt_peer_t *p = h->peers; p; p = p->next) if (p->authed) send_json(p, json_incref(b));
    json_decref(b);
    break;
  }
  case DT_MSG_END: end_session(h); break;
  case DT_MSG_RELEASE: turn_runs(h); break;
  case DT_MSG_POST: dt_channel_posted(h, rec, 1); break;
  default: break;
  }
  json_decref(rec);
}

void dt_peer_message(dt_peer_t *c, const char *line, size_t n) {
  dt_hub_t *h = c->hub;
  if (c->closing || c->close_after_flush) return;   /* being dropped: nothing more counts */
  dt_msg_t m; const char *code = NULL; char msg[256];
  if (dt_msg_parse(line, n, &m, &code, msg, sizeof msg) < 0) {
    proto_error(c, m.id, code, msg);
    dt_msg_free(&m);
    return;
  }
  if (m.type == DT_MSG_HELLO) { do_hello(c, &m); dt_msg_free(&m); return; }
  if (!c->authed) {
    proto_error(c, m.id, "not_authenticated", "send hello with your seat and token first");
    dt_msg_free(&m);
    return;
  }
  if (m.type == DT_MSG_PING) {
    send_json(c, with_id(json_pack("{s:s}", "type", "pong"), m.id));
    dt_msg_free(&m);
    return;
  }
  if (m.type == DT_MSG_STATUS) {
    json_t *st = status_json(h, c);
    if (c->views) json_object_set_new(st, "refs", dt_view_refs(h->s->sim, view_seat(c)));
    send_json(c, with_id(st, m.id));
    dt_msg_free(&m);
    return;
  }
  if (dt_msg_facilitator_only(m.type) && c->seat != DT_PEER_FAC) {
    proto_error(c, m.id, "forbidden", "only the facilitator may send this");
    dt_msg_free(&m);
    return;
  }
  /* Within a seat only its lead acts; in the white cell only the umpire
   * steers: the request-for-information desk sees and talks. */
  int acts = m.type == DT_MSG_ANSWER || m.type == DT_MSG_MOVE;
  if (c->role == DT_ROLE_MEMBER && acts) {
    proto_error(c, m.id, "not_lead",
                "members of a seat see what it sees and talk in its channels; only its lead makes "
                "moves and answers decisions");
    dt_msg_free(&m);
    return;
  }
  if (c->role == DT_ROLE_RFI && (acts || dt_msg_facilitator_only(m.type))) {
    proto_error(c, m.id, "not_umpire",
                "the request-for-information desk sees everything and posts in every channel; "
                "only the umpire steers the session");
    dt_msg_free(&m);
    return;
  }
  const char *by = c->seat == DT_PEER_FAC ? "facilitator" : h->s->sim->states[c->seat]->id;
  json_t *rec = json_pack("{s:s,s:s,s:s}", "type", dt_msg_type_name(m.type), "by", by, "person",
                          c->person >= 0 ? h->people[c->person].name : "console");
  switch (m.type) {
  case DT_MSG_ANSWER:
    json_object_set_new(rec, "decision", json_string(m.decision));
    json_object_set_new(rec, "option", json_string(m.option));
    break;
  case DT_MSG_MOVE:
    if (c->seat == DT_PEER_FAC && !m.seat) {
      json_decref(rec);
      proto_error(c, m.id, "bad_field", "move: the facilitator names the 'seat' that moves");
      dt_msg_free(&m);
      return;
    }
    json_object_set_new(rec, "seat", json_string(c->seat == DT_PEER_FAC ? m.seat : by));
    json_object_set_new(rec, "move", json_string(m.name));
    json_object_set(rec, "args", m.args ? m.args : json_object());
    if (!m.args) json_decref(json_object_get(rec, "args"));
    /* In a turn's planning a team's move is held for the umpire (turns.h);
     * the white cell's own moves apply at once. */
    if (c->seat >= 0 && h->s->turns.number) json_object_set_new(rec, "held", json_true());
    break;
  case DT_MSG_REFUSE:
  case DT_MSG_AMEND:
    json_object_set_new(rec, "input", json_integer((json_int_t)m.input));
    json_object_set_new(rec, "reason", json_string(m.reason));
    if (m.type == DT_MSG_AMEND) json_object_set(rec, "args", m.args);
    break;
  case DT_MSG_INJECT:
    json_object_set_new(rec, "name", json_string(m.name));
    if (m.args) json_object_set(rec, "args", m.args);
    break;
  case DT_MSG_SEAT:
    json_object_set_new(rec, "seat", json_string(m.seat));
    json_object_set_new(rec, "human", json_boolean(m.human));
    break;
  case DT_MSG_ADVANCE:
    if (m.to) json_object_set_new(rec, "to", json_string(m.to));
    else {
      /* "1 month" is a calendar month from where the clock is; the record
       * keeps the seconds, so a replay advances exactly as far. */
      if (m.by_months) {
        dt_time_t now = h->s->sim->now, to = now;
        if (dt_time_add_months(now, m.by_months, &to) < 0 || to + m.by <= now) {
          json_decref(rec);
          proto_error(c, m.id, "bad_field", "advance: that many months from now is past the "
                                            "calendar's end");
          dt_msg_free(&m);
          return;
        }
        m.by += to - now;
      }
      /* "by" stays who sent it (the idempotency key is by + id); journals
       * before this kept the duration there (dt_hub_replay reads both). */
      json_object_set_new(rec, "seconds", json_integer(m.by));
    }
    break;
  case DT_MSG_BROADCAST: json_object_set_new(rec, "text", json_string(m.text)); break;
  case DT_MSG_PACE: {
    char p[64];
    dt_proto_pace_text(m.pace_sim, m.pace_real_ms, p, sizeof p);
    json_object_update_new(rec, json_pack("{s:s,s:I,s:I}", "pace", p, "pace_sim",
                                          (json_int_t)m.pace_sim, "pace_real_ms",
                                          (json_int_t)m.pace_real_ms));
    break;
  }
  case DT_MSG_EVENT:
    json_object_set_new(rec, "text", json_string(m.text));
    if (m.seats) json_object_set(rec, "seats", m.seats);
    break;
  case DT_MSG_POST: {
    const char *why_code; char why[256];
    if (dt_channel_check(h, c->seat, m.channel, &why_code, why, sizeof why) < 0) {
      json_decref(rec);
      proto_error(c, m.id, why_code, why);
      dt_msg_free(&m);
      return;
    }
    json_object_set_new(rec, "role", json_string(dt_role_name(c->role)));
    json_object_set_new(rec, "channel", json_string(m.channel));
    json_object_set_new(rec, "text", json_string(m.text));
    if (m.form) {
      /* The fields as people read them (ids, defaults), checked as a move's
       * arguments are; a retry checks the same way, so its id still matches. */
      json_t *fields = dt_session_form_fields(h->s, m.form, m.fields, c->seat, &why_code, why,
                                              sizeof why);
      if (!fields) {
        json_decref(rec);
        proto_error(c, m.id, why_code, why);
        dt_msg_free(&m);
        return;
      }
      json_object_set_new(rec, "form", json_string(m.form));
      json_object_set_new(rec, "fields", fields);
    }
    break;
  }
  default: break;
  }
  do_input(c, &m, rec);
  dt_msg_free(&m);
}


static dt_time_t clock_target(dt_hub_t *h) {
  dt_sim_t *sim = h->s->sim;
  if (h->adv == DT_ADV_BY) return h->adv_target;
  if (h->adv == DT_ADV_DECISION) return sim->stop != DT_NEVER ? sim->stop : INT64_MAX / 4;
  if (h->paused || h->o.step) return DT_NEVER;
  uint64_t dt = now_ms(h) - h->anchor_real;
  return h->anchor_sim +
         (dt_time_t)((double)dt * (double)h->o.pace_sim / (double)h->o.pace_real_ms);
}

/* A human decision asked since the advance to decision began and still
 * pending: where that advance stops (one pending before it does not count). */
static int new_human_decision(dt_hub_t *h) {
  dt_sim_t *sim = h->s->sim;
  for (int i = h->adv_from; i < sim->ndecisions; i++)
    if (sim->decisions[i]->status == DT_DS_PENDING && sim->states[sim->decisions[i]->state]->human)
      return 1;
  return 0;
}

/* An advance is over: where it took the clock is journaled at once, so a
 * resume starts there. */
static void adv_done(dt_hub_t *h) {
  h->adv = DT_ADV_NONE;
  h->clock_gen++;   /* told even when it began and ended between two flushes */
  reanchor(h);
  if (h->s->turns.number && h->s->turns.phase == DT_TURN_RUNNING)
    begin_turn(h, h->s->turns.number + 1);   /* also where the clock got to */
  else
    checkpoint(h, 1);
}

void dt_hub_tick(dt_hub_t *h) {
  dt_session_t *s = h->s;
  if (s->ended || h->ending) return;
  planning_over(h);
  uint64_t t0 = hrtime();
  for (;;) {
    if (h->o.hold && dt_session_pending_human(s)) { reanchor(h); break; }
    dt_time_t target = clock_target(h);
    if (target == DT_NEVER) break;
    char *err = NULL;
    int r = dt_session_step(s, target, &err);
    if (r == DT_EIO) fatal_io("rebuilding the session");
    if (r < 0) {
      failed(h, err, "a simulation step", NULL, NULL);
      free(err);
      h->paused = 1; h->adv = DT_ADV_NONE;
      break;
    }
    free(err);
    if (r == 0) {
      dt_time_t nt = target;
      if (s->sim->stop != DT_NEVER && nt > s->sim->stop) nt = s->sim->stop;
      if (nt < INT64_MAX / 4 && nt > s->sim->now) s->sim->now = nt;
      int at_stop = s->sim->stop != DT_NEVER && s->sim->now >= s->sim->stop;
      if (h->adv == DT_ADV_BY && (s->sim->now >= h->adv_target || (at_stop && s->turns.number)))
        adv_done(h);
      else if (h->adv == DT_ADV_DECISION) adv_done(h);
      if (s->sim->stop != DT_NEVER && s->sim->now >= s->sim->stop && !h->horizon_told) {
        h->horizon_told = 1;
        fprintf(stderr,
                "detente serve: the scenario reached its stop date; end the session when ready\n");
        to_facilitators(
            h, json_pack("{s:s,s:s}", "type", "notice", "text",
                         "the scenario reached its stop date; end the session when ready"));
      }
      break;
    }
    if (h->adv == DT_ADV_DECISION && new_human_decision(h)) { adv_done(h); break; }
    if (hrtime() - t0 > STEP_BUDGET_NS) break;
  }
  /* A clock checkpoint, so a resume does not rewind the clock far. */
  if (s->sim->dispatched != h->ckpt_at && now_ms(h) - h->ckpt_ms >= CKPT_MS) checkpoint(h, 0);
}


static void end_session(dt_hub_t *h) {
  dt_session_t *s = h->s;
  dt_session_finish(s);
  json_t *bye = json_pack("{s:s,s:s}", "type", "bye", "text", "the facilitator ended the session");
  json_t *outs = json_object();
  for (int i = 0; i < s->rt->noutcomes; i++)
    dt_value_to_json(outs, s->rt->outcomes[i].name, &s->rt->outcomes[i].v);
  json_object_set_new(bye, "outcomes", outs);
  for (dt_peer_t *c = h->peers; c; c = c->next)
    if (c->authed) { send_json(c, json_incref(bye)); c->close_after_flush = !c->local; }
    else c->close_after_flush = 1;
  json_decref(bye);
  h->ending = 1;
}

/* ---- the hub ------------------------------------------------------------------ */

void dt_hub_init(dt_hub_t *h, dt_session_t *s, dt_journal_t *j, const dt_hub_opts_t *o,
                 uint64_t (*now)(void *), void *clock_ud) {
  memset(h, 0, sizeof *h);
  h->s = s; h->j = j; h->o = *o;
  h->now_ms = now; h->clock_ud = clock_ud;
  h->paused = o->step;
  h->keys = json_object();
  h->covered = s->committed;
  s->on_event = on_session_event;
  s->ud = h;
}

void dt_hub_free(dt_hub_t *h) {
  dt_people_free(h);
  json_decref(h->keys);
  json_decref(h->points);
  h->keys = h->points = NULL;
}

static void set_clock(dt_hub_t *h, json_t *rec) {
  h->o.step = json_is_true(json_object_get(rec, "step"));
  h->o.hold = json_is_true(json_object_get(rec, "hold"));
  json_int_t ps = json_integer_value(json_object_get(rec, "pace_sim"));
  json_int_t pr = json_integer_value(json_object_get(rec, "pace_real_ms"));
  if (ps > 0 && pr > 0) { h->o.pace_sim = ps; h->o.pace_real_ms = pr; }
  json_int_t tm = json_integer_value(json_object_get(rec, "turn_months"));
  json_int_t ts = json_integer_value(json_object_get(rec, "turn_seconds"));
  if (tm > 0 || ts > 0) { h->o.turn_months = tm; h->o.turn_seconds = ts; }
  json_int_t pm = json_integer_value(json_object_get(rec, "planning_ms"));
  if (pm > 0) h->o.planning_ms = pm;
}

static json_t *clock_json(const dt_hub_opts_t *o) {
  json_t *c = json_pack("{s:b,s:I,s:I,s:b}", "step", o->step, "pace_sim", (json_int_t)o->pace_sim,
                        "pace_real_ms", (json_int_t)o->pace_real_ms, "hold", o->hold);
  if (o->turn_months || o->turn_seconds)
    json_object_update_new(c, json_pack("{s:I,s:I}", "turn_months", (json_int_t)o->turn_months,
                                        "turn_seconds", (json_int_t)o->turn_seconds));
  if (o->planning_ms)
    json_object_set_new(c, "planning_ms", json_integer((json_int_t)o->planning_ms));
  return c;
}

json_t *dt_hub_clock_json(const dt_hub_t *h) { return clock_json(&h->o); }

int dt_hub_set_clock(dt_hub_t *h, const dt_hub_opts_t *o) {
  json_t *rec = json_pack("{s:s,s:s}", "type", "settings", "by", "server");
  json_object_update_new(rec, clock_json(o));
  json_incref(rec);
  int rc = dt_session_input(h->s, rec, NULL, NULL);
  if (rc == 0) {
    journal_rec(h, rec);
    set_clock(h, rec);
    h->paused = h->o.step;
    h->adv = DT_ADV_NONE;
  }
  json_decref(rec);
  return rc;
}

void dt_hub_header_clock(dt_hub_t *h, json_t *header) {
  json_t *c = json_object_get(header, "clock");
  if (json_is_object(c)) { set_clock(h, c); h->paused = h->o.step; }
}

/* The clock's state as the records leave it: paused or running, an advance
 * in progress (it carries on after a resume), the settings. */
int dt_hub_replay(dt_hub_t *h, json_t *rec, char **err) {
  const char *t = json_string_value(json_object_get(rec, "type"));
  if (!t) t = "";
  if (!strcmp(t, "pause")) { h->paused = 1; h->adv = DT_ADV_NONE; }
  if (!strcmp(t, "resume") && !h->o.step) { h->paused = 0; h->adv = DT_ADV_NONE; }
  if (!strcmp(t, "settings")) { set_clock(h, rec); h->paused = h->o.step; h->adv = DT_ADV_NONE; }
  if (!strcmp(t, "pace")) {   /* the white cell's pace: paused or running stays as it was */
    json_int_t ps = json_integer_value(json_object_get(rec, "pace_sim"));
    json_int_t pr = json_integer_value(json_object_get(rec, "pace_real_ms"));
    if (ps > 0 && pr > 0) { h->o.pace_sim = ps; h->o.pace_real_ms = pr; }
  }
  if (!strcmp(t, "clock") && json_object_get(rec, "advance"))
    h->adv = DT_ADV_NONE; /* it had ended */
  if (!strcmp(t, "turn")) h->adv = DT_ADV_NONE;   /* the turn's clock had got to its end */
  int rc = dt_session_replay(h->s, json_incref(rec), err);
  if (rc == 0 && !strcmp(t, "release")) {   /* a released turn's clock carries on */
    h->adv = DT_ADV_BY;
    h->adv_target = h->s->turns.ends;
  }
  if (rc == 0 && !strcmp(t, "advance")) {
    if (json_object_get(rec, "to")) {
      h->adv = DT_ADV_DECISION;
      h->adv_from = h->s->sim->ndecisions;
    } else {
      json_t *secs = json_object_get(rec, "seconds");
      if (!json_is_integer(secs)) secs = json_object_get(rec, "by");   /* older journals */
      h->adv = DT_ADV_BY;
      h->adv_target = (dt_time_t)json_integer_value(json_object_get(rec, "now")) +
                      (dt_time_t)json_integer_value(secs);
    }
  }
  if (rc == 0) remember(h, rec);
  if (rc == 0 && !strcmp(t, "post")) dt_channel_posted(h, rec, 0);
  json_decref(rec);
  h->covered = h->s->committed;
  return rc;
}

void dt_hub_start(dt_hub_t *h) {
  if (h->adv == DT_ADV_BY && h->s->sim->now >= h->adv_target && !h->s->turns.number)
    h->adv = DT_ADV_NONE;
  reanchor(h);
  clock_sig(h, h->clock_sig, sizeof h->clock_sig);   /* as welcome tells it */
  h->ckpt_ms = now_ms(h);
  h->ckpt_at = h->s->sim->dispatched;
  /* A game in turns begins with turn 1's planning. */
  if ((h->o.turn_months || h->o.turn_seconds) && !h->s->turns.number && !h->s->ended)
    begin_turn(h, 1);
}

int dt_hub_flush(dt_hub_t *h) {
  /* Events the clock produced since the last record leave only once a
   * checkpoint that reproduces them is on disk. */
  if (h->s->committed > h->covered && !h->s->ended) checkpoint(h, 0);
  if (h->j->pending && dt_journal_sync(h->j) < 0) fatal_io("the journal's fdatasync");
  send_world(h);
  send_turn(h);
  send_moves(h);
  send_clock(h);
  for (dt_peer_t *c = h->peers, *next; c; c = next) {
    next = c->next;
    top_up(c);
    flush(c);
    watch_output(c);
  }
  return h->ending;
}

void dt_hub_close_all(dt_hub_t *h) {
  while (h->peers) dt_peer_close(h->peers, 0);
  json_decref(h->points);
  h->points = NULL;
}
