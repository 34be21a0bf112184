/* serve.c: the live session's server (serve.h): the libuv loop, clients,
 * pacing, the journal's batching, the facilitator console. The session core it
 * drives is session.c; protocol parsing lives in protocol.c, framing and
 * durability of the journal in journal.c. */
#include "serve.h"
#include "cli.h"
#include "journal.h"
#include "l_session.h"
#include "protocol.h"
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include <uv.h>

enum { MAX_ERRORS = 20, STALL_MS = 2000, TICK_MS = 5, STEP_BUDGET_NS = 2000000,
       CKPT_MS = 1000, FAC = -1, NOSEAT = -2 };
enum { ADV_NONE, ADV_BY, ADV_DECISION };

typedef struct server server_t;
typedef struct client {
  uv_tcp_t tcp;
  uv_timer_t auth_timer;
  server_t *sv;
  struct client *next;
  int id, seat, authed, console;
  int open_handles, closing, close_after_flush, shutting;
  char *in; size_t inlen, incap; int skipping;
  char *out; size_t outlen, outcap;
  size_t enq;                     /* bytes handed to libuv so far */
  int over; uint64_t over_since, taken;   /* past the output bound: since when, bytes taken then */
  size_t backlog; int catching;   /* catching up: next index into the history */
  int errors;
  char peer[64];
} client_t;

struct server {
  uv_loop_t *loop;
  uv_tcp_t listener;
  uv_timer_t tick;
  uv_check_t check;
  uv_signal_t sigint;
  union { uv_tty_t tty; uv_pipe_t pipe; } con;
  int con_open;
  client_t *console;
  const dt_serve_opts_t *o;
  dt_session_t *s;
  dt_journal_t j;
  int nseats;
  char tokens[65][33];           /* [0..63] states, [64] facilitator */
  client_t *clients;
  int next_id;
  int paused, adv;
  int adv_from;                  /* advance to decision: decisions asked before it began */
  dt_time_t adv_target, anchor_sim;
  uint64_t anchor_real;
  uint64_t ckpt_ms, ckpt_at;
  int horizon_told, ending, closed, exit_code;
};

static void client_close(client_t *c);

/* ---- output --------------------------------------------------------------- */

static void to_facilitators(server_t *sv, json_t *o);

/* Bytes waiting for a client: queued here, or handed to libuv and not yet
 * taken by the kernel. */
static size_t waiting(client_t *c) {
  return c->outlen + (c->console ? 0 : uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp));
}

/* A client that stops reading cannot stall the others, nor take the server's
 * memory: once more than the bound waits for it, it is disconnected when it
 * has taken nothing for STALL_MS, or at once past four times the bound. The
 * grace lets a client that reads take a burst larger than the bound. Runs
 * after each flush. */
static void watch_output(client_t *c) {
  if (c->console || c->closing || c->shutting) return;
  server_t *sv = c->sv;
  size_t q = waiting(c), bound = sv->o->max_output;
  uint64_t now = uv_now(sv->loop), taken = c->enq - (q - c->outlen);
  if (q <= bound) { c->over = 0; return; }
  if (!c->over || taken != c->taken) { c->over = 1; c->over_since = now; c->taken = taken; }
  if (q <= 4 * bound && now - c->over_since < STALL_MS) return;
  const char *who = !c->authed ? "unauthenticated" : c->seat == FAC ? "facilitator" : sv->s->sim->states[c->seat]->id;
  if (q > 4 * bound)
    fprintf(stderr, "detente serve: client %d (%s, %s) is not reading: %zu bytes wait for it, more than four "
                    "times the output limit; disconnecting it\n", c->id, who, c->peer, q);
  else
    fprintf(stderr, "detente serve: client %d (%s, %s) is not reading: %zu bytes wait for it and it has taken "
                    "nothing for %d s; disconnecting it\n", c->id, who, c->peer, q, STALL_MS / 1000);
  char text[256];
  snprintf(text, sizeof text, "client %d (%s, %s) stopped reading its messages and was disconnected", c->id, who, c->peer);
  client_close(c);
  to_facilitators(sv, json_pack("{s:s,s:s}", "type", "notice", "text", text));
}

/* Queues output for a client; it leaves in on_check, after the journal's sync. */
static void put_raw(client_t *c, const char *p, size_t n) {
  if (c->closing || c->shutting) return;
  if (c->outlen + n > c->outcap) {
    size_t nc = c->outcap ? c->outcap : 4096;
    while (nc < c->outlen + n) nc *= 2;
    char *b = realloc(c->out, nc);
    /* Out of memory: a network client is dropped (its memory goes in the close
     * callback, so c stays valid for our callers); the console, which would be
     * freed at once, just loses this message. */
    if (!b) { if (!c->console) client_close(c); return; }
    c->out = b; c->outcap = nc;
  }
  memcpy(c->out + c->outlen, p, n);
  c->outlen += n;
}

/* Queues a message (steals the reference). Sent after the journal is synced. */
static void send_json(client_t *c, json_t *o) {
  char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
  json_decref(o);
  if (!s) return;
  put_raw(c, s, strlen(s));
  put_raw(c, "\n", 1);
  free(s);
}

static json_t *with_id(json_t *o, json_t *id) {
  if (id) json_object_set(o, "id", id);
  return o;
}

static void proto_error(client_t *c, json_t *id, const char *code, const char *msg) {
  json_t *o = json_pack("{s:s,s:s,s:s}", "type", "error", "code", code, "message", msg);
  send_json(c, with_id(o, id));
  if (++c->errors > MAX_ERRORS && !c->console) {
    fprintf(stderr, "detente serve: client %d (%s): too many bad messages; disconnecting it\n", c->id, c->peer);
    send_json(c, json_pack("{s:s,s:s,s:s}", "type", "error", "code", "abuse", "message", "too many bad messages"));
    c->close_after_flush = 1;
  }
}

static void to_facilitators(server_t *sv, json_t *o) {
  for (client_t *c = sv->clients; c; c = c->next)
    if (c->authed && c->seat == FAC) send_json(c, json_incref(o));
  json_decref(o);
}

typedef struct wreq { uv_write_t req; client_t *c; char *buf; size_t len; } wreq_t;

static void on_written(uv_write_t *req, int status) {
  wreq_t *w = (wreq_t *)req;
  (void)status;
  free(w->buf);
  free(w);
}

static void on_shutdown(uv_shutdown_t *req, int status) {
  (void)status;
  client_t *c = req->data;
  free(req);
  client_close(c);
}

static void print_console(client_t *c) {
  /* The facilitator's terminal: one line a person reads per message. */
  char *p = c->out, *end = c->out + c->outlen;
  while (p < end) {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) nl = end;
    json_t *o = json_loadb(p, (size_t)(nl - p), 0, NULL);
    char *text = dt_proto_text(o);
    if (text) printf("%s\n", text);
    else printf("%.*s\n", (int)(nl - p), p);
    free(text);
    json_decref(o);
    p = nl + 1;
  }
  fflush(stdout);
  c->outlen = 0;
}

static void flush(client_t *c) {
  if (c->closing || c->shutting) return;
  if (c->console) { if (c->outlen) print_console(c); return; }
  if (c->outlen) {
    wreq_t *w = malloc(sizeof *w);
    if (!w) { client_close(c); return; }
    w->c = c; w->buf = c->out; w->len = c->outlen;
    c->out = NULL; c->outlen = c->outcap = 0;
    c->enq += w->len;
    uv_buf_t b = uv_buf_init(w->buf, (unsigned)w->len);
    if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_written) < 0) {
      free(w->buf); free(w);
      client_close(c);
      return;
    }
  }
  if (c->close_after_flush) {
    uv_shutdown_t *req = malloc(sizeof *req);
    c->close_after_flush = 0;
    if (req) {
      req->data = c;
      if (uv_shutdown(req, (uv_stream_t *)&c->tcp, on_shutdown) == 0) { c->shutting = 1; return; }
      free(req);
    }
    client_close(c);
  }
}

/* ---- clients ------------------------------------------------------------ */

static void on_client_closed(uv_handle_t *h) {
  client_t *c = h->data;
  if (--c->open_handles > 0) return;
  free(c->in); free(c->out); free(c);
}

static void client_close(client_t *c) {
  if (c->closing) return;
  c->closing = 1;
  server_t *sv = c->sv;
  for (client_t **pp = &sv->clients; *pp; pp = &(*pp)->next)
    if (*pp == c) { *pp = c->next; break; }
  if (c->console) { free(c->in); free(c->out); free(c); return; }
  uv_close((uv_handle_t *)&c->tcp, on_client_closed);
  uv_close((uv_handle_t *)&c->auth_timer, on_client_closed);
}

static int visible(const client_t *c, const dt_sevent_t *e) {
  if (c->seat == FAC || e->all) return 1;
  return c->seat >= 0 && c->seat < 64 && (e->seen >> c->seat & 1);
}

static void send_event(client_t *c, const dt_sevent_t *e) {
  put_raw(c, "{\"type\":\"event\",", 16);
  put_raw(c, e->line + 1, e->len - 1);
}

static void on_session_event(dt_session_t *s, const dt_sevent_t *e, void *ud) {
  server_t *sv = ud;
  for (client_t *c = sv->clients; c; c = c->next)
    if (c->authed && !c->catching && visible(c, e)) send_event(c, e);
  if (e->asked >= 0 && e->asked < s->sim->ndecisions) {
    dt_decision_t *d = s->sim->decisions[e->asked];
    if (!s->sim->states[d->state]->human) return;
    json_t *dj = dt_session_decision_json(s, d);
    for (client_t *c = sv->clients; c; c = c->next)
      if (c->authed && (c->seat == FAC || c->seat == d->state)) send_json(c, json_incref(dj));
    json_decref(dj);
  }
}

static void date_of(dt_time_t t, char *buf, size_t n) {
  if (t == DT_NEVER) snprintf(buf, n, "never");
  else dt_time_format(t, buf, n);
}

static json_t *status_json(server_t *sv, client_t *c) {
  dt_session_t *s = sv->s;
  char d[32];
  date_of(s->sim->now, d, sizeof d);
  json_t *o = json_pack("{s:s,s:s,s:I,s:b,s:s,s:b,s:b,s:I,s:I}", "type", "status", "clock", d,
                        "t", (json_int_t)s->sim->now, "paused", sv->paused,
                        "mode", sv->o->step ? "step" : "pace", "advancing", sv->adv != ADV_NONE,
                        "ended", s->ended, "inputs", (json_int_t)s->nrecs,
                        "events", (json_int_t)s->committed);
  json_t *seats = json_array();
  for (int i = 0; i < s->sim->nstates; i++) {
    int n = 0;
    for (client_t *k = sv->clients; k; k = k->next) if (k->authed && k->seat == i) n++;
    json_array_append_new(seats, json_pack("{s:s,s:s,s:b,s:i}", "id", s->sim->states[i]->id,
                                           "name", s->sim->states[i]->name ? s->sim->states[i]->name : s->sim->states[i]->id,
                                           "human", s->sim->states[i]->human, "connected", n));
  }
  json_object_set_new(o, "seats", seats);
  int nf = 0;
  for (client_t *k = sv->clients; k; k = k->next) if (k->authed && k->seat == FAC) nf++;
  json_object_set_new(o, "facilitators", json_integer(nf));
  json_t *decs = json_array();
  for (int i = 0; i < s->sim->ndecisions; i++) {
    dt_decision_t *dd = s->sim->decisions[i];
    if (dd->status == DT_DS_PENDING && (c->seat == FAC || c->seat == dd->state))
      json_array_append_new(decs, dt_session_decision_json(s, dd));
  }
  json_object_set_new(o, "decisions", decs);
  json_object_set_new(o, "error", c->seat == FAC && s->error ? json_string(s->error) : json_null());
  return o;
}

static void reanchor(server_t *sv) {
  sv->anchor_real = uv_now(sv->loop);
  sv->anchor_sim = sv->s->sim->now;
}

/* Constant time in the length of the expected token. */
static int token_equal(const char *expected, const char *given) {
  size_t n = strlen(expected), g = strlen(given);
  volatile unsigned char diff = (unsigned char)(n != g);
  for (size_t i = 0; i < n; i++) diff |= (unsigned char)(expected[i] ^ (i < g ? given[i] : 0));
  return diff == 0;
}

/* Sends a catching-up client more of the history it missed, keeping what
 * waits for it under half the output bound; once it has it all, events reach
 * it live (on_session_event skips it until then, so none comes twice). */
static void top_up(client_t *c) {
  dt_session_t *s = c->sv->s;
  size_t room = c->sv->o->max_output / 2;
  while (c->catching && !c->closing && !c->shutting && !c->close_after_flush) {
    if (c->backlog >= s->nhist) { c->catching = 0; break; }
    if (waiting(c) >= room) break;
    const dt_sevent_t *e = &s->hist[c->backlog++];
    if (visible(c, e)) send_event(c, e);
  }
}

static void do_hello(client_t *c, dt_msg_t *m) {
  server_t *sv = c->sv;
  dt_session_t *s = sv->s;
  if (c->authed) { proto_error(c, m->id, "already_authenticated", "this connection is already authenticated"); return; }
  int seat = NOSEAT;
  if (!strcmp(m->seat, "facilitator")) seat = FAC;
  else {
    dt_state_t *st = dt_state_find(s->sim, m->seat);
    if (st && st->index < 64) seat = st->index;
  }
  const char *expected = seat == FAC ? sv->tokens[64] : seat >= 0 ? sv->tokens[seat] : sv->tokens[64];
  int ok = token_equal(expected, m->token) && seat != NOSEAT;
  if (!ok) {
    fprintf(stderr, "detente serve: refused client %d (%s): wrong token for seat '%.32s'\n", c->id, c->peer, m->seat);
    proto_error(c, m->id, "auth", "wrong seat or token");
    c->close_after_flush = 1;
    return;
  }
  c->authed = 1; c->seat = seat;
  uv_timer_stop(&c->auth_timer);
  char d[32];
  date_of(s->sim->now, d, sizeof d);
  json_t *w = json_pack("{s:s,s:i,s:s,s:s,s:s,s:s,s:I}", "type", "welcome", "v", DT_PROTO_VERSION,
                        "seat", seat == FAC ? "facilitator" : s->sim->states[seat]->id,
                        "role", seat == FAC ? "facilitator" : "seat",
                        "title", s->sim->title ? s->sim->title : s->scenario, "clock", d,
                        "last_seq", (json_int_t)s->committed);
  json_object_set_new(w, "moves", dt_lrt_moves_json(s->rt));
  if (seat == FAC) json_object_set_new(w, "injects", dt_lrt_injects_json(s->rt));
  json_t *st = status_json(sv, c);
  json_object_set(w, "decisions", json_object_get(st, "decisions"));
  json_decref(st);
  send_json(c, with_id(w, m->id));
  /* What the seat missed, in order, each event once: from the history, as
   * fast as the client reads it (top_up), then live. */
  size_t lo = 0, hi = s->nhist;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->hist[mid].seq <= (uint64_t)m->last_seq) lo = mid + 1; else hi = mid;
  }
  c->backlog = lo;
  c->catching = 1;
  top_up(c);
}

/* Tells the terminal and every facilitator; `asker` (may be NULL) gets the
 * report as the answer to its request. */
static void script_failure(server_t *sv, const char *err, const char *during, client_t *asker, json_t *id) {
  fprintf(stderr, "detente serve: scenario error during %s (the failed step changed nothing; "
                  "the clock is paused):\n%s\n", during, err ? err : "?");
  json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "type", "error", "code", "script_error",
                        "during", during, "message", err ? err : "?");
  for (client_t *c = sv->clients; c; c = c->next)
    if (c->authed && c->seat == FAC && c != asker) send_json(c, json_incref(o));
  if (asker) {
    if (asker->seat != FAC)
      json_object_set_new(o, "message", json_string("the scenario failed while applying this input; it was not applied"));
    send_json(asker, with_id(json_incref(o), id));
  }
  json_decref(o);
}

static void fatal_io(const char *what) {
  fprintf(stderr, "detente serve: %s failed (%s); stopping without acknowledging\n", what, strerror(errno));
  fflush(stderr);
  _exit(DT_EXIT_IO);
}

static void journal_rec(server_t *sv, json_t *rec) {
  char *t = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
  if (!t || dt_journal_append(&sv->j, t, strlen(t)) < 0) fatal_io("journal append");
  free(t);
}

static void end_session(server_t *sv);

/* An input that passed its checks: apply, journal, ack (after the sync). */
static void do_input(client_t *c, dt_msg_t *m, json_t *rec) {
  server_t *sv = c->sv;
  dt_session_t *s = sv->s;
  const char *code; char msg[512];
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
      script_failure(sv, err, m->type == DT_MSG_MOVE ? "a move" : m->type == DT_MSG_INJECT ? "an inject" : "an input",
                     c, m->id);
      sv->paused = 1; sv->adv = ADV_NONE;
    } else {
      proto_error(c, m->id, "rejected", err ? err : "input refused");
    }
    free(err);
    json_decref(rec);
    return;
  }
  free(err);
  journal_rec(sv, rec);
  json_t *ack = json_pack("{s:s,s:I}", "type", "ack", "input", (json_int_t)json_integer_value(json_object_get(rec, "n")));
  if (result) { json_object_update(ack, result); json_decref(result); }
  send_json(c, with_id(ack, m->id));
  switch (m->type) {
  case DT_MSG_PAUSE: sv->paused = 1; sv->adv = ADV_NONE; break;
  case DT_MSG_RESUME: sv->paused = 0; sv->adv = ADV_NONE; reanchor(sv); break;
  case DT_MSG_ADVANCE:
    if (m->to) { sv->adv = ADV_DECISION; sv->adv_from = s->sim->ndecisions; }
    else { sv->adv = ADV_BY; sv->adv_target = s->sim->now + m->by; }
    break;
  case DT_MSG_BROADCAST: {
    char d[32];
    date_of(s->sim->now, d, sizeof d);
    json_t *b = json_pack("{s:s,s:s,s:s,s:s}", "type", "message", "from", "facilitator", "date", d, "text", m->text);
    for (client_t *k = sv->clients; k; k = k->next) if (k->authed) send_json(k, json_incref(b));
    json_decref(b);
    break;
  }
  case DT_MSG_END: end_session(sv); break;
  default: break;
  }
  json_decref(rec);
}

static void handle_line(client_t *c, const char *line, size_t n) {
  server_t *sv = c->sv;
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
  if (m.type == DT_MSG_PING) { send_json(c, with_id(json_pack("{s:s}", "type", "pong"), m.id)); dt_msg_free(&m); return; }
  if (m.type == DT_MSG_STATUS) { send_json(c, with_id(status_json(sv, c), m.id)); dt_msg_free(&m); return; }
  if (dt_msg_facilitator_only(m.type) && c->seat != FAC) {
    proto_error(c, m.id, "forbidden", "only the facilitator may send this");
    dt_msg_free(&m);
    return;
  }
  const char *by = c->seat == FAC ? "facilitator" : sv->s->sim->states[c->seat]->id;
  json_t *rec = json_pack("{s:s,s:s}", "type", dt_msg_type_name(m.type), "by", by);
  switch (m.type) {
  case DT_MSG_ANSWER:
    json_object_set_new(rec, "decision", json_string(m.decision));
    json_object_set_new(rec, "option", json_string(m.option));
    break;
  case DT_MSG_MOVE:
    if (c->seat == FAC && !m.seat) {
      json_decref(rec);
      proto_error(c, m.id, "bad_field", "move: the facilitator names the 'seat' that moves");
      dt_msg_free(&m);
      return;
    }
    json_object_set_new(rec, "seat", json_string(c->seat == FAC ? m.seat : by));
    json_object_set_new(rec, "move", json_string(m.name));
    json_object_set(rec, "args", m.args ? m.args : json_object());
    if (!m.args) json_decref(json_object_get(rec, "args"));
    break;
  case DT_MSG_INJECT: json_object_set_new(rec, "name", json_string(m.name)); break;
  case DT_MSG_SEAT:
    json_object_set_new(rec, "seat", json_string(m.seat));
    json_object_set_new(rec, "human", json_boolean(m.human));
    break;
  case DT_MSG_ADVANCE:
    if (m.to) json_object_set_new(rec, "to", json_string(m.to));
    else json_object_set_new(rec, "by", json_integer(m.by));
    break;
  case DT_MSG_BROADCAST: json_object_set_new(rec, "text", json_string(m.text)); break;
  default: break;
  }
  do_input(c, &m, rec);
  dt_msg_free(&m);
}

static void feed(client_t *c, const char *p, size_t n) {
  while (n && !c->closing) {
    const char *nl = memchr(p, '\n', n);
    size_t take = nl ? (size_t)(nl - p) : n;
    if (c->skipping) {
      if (nl) c->skipping = 0;
    } else if (c->inlen + take > DT_PROTO_MAXLINE) {
      c->inlen = 0;
      c->skipping = !nl;
      proto_error(c, NULL, "too_long", "a message line is limited to 64 KiB");
    } else {
      if (c->inlen + take > c->incap) {
        size_t nc = c->incap ? c->incap : 1024;
        while (nc < c->inlen + take) nc *= 2;
        char *b = realloc(c->in, nc + 1);
        if (!b) { client_close(c); return; }
        c->in = b; c->incap = nc;
      }
      memcpy(c->in + c->inlen, p, take);
      c->inlen += take;
      if (nl) {
        size_t len = c->inlen;
        if (len && c->in[len - 1] == '\r') len--;
        c->inlen = 0;
        size_t k = 0;
        while (k < len && (c->in[k] == ' ' || c->in[k] == '\t')) k++;
        if (k < len) handle_line(c, c->in, len);
      }
    }
    if (!nl) break;
    p = nl + 1; n -= take + 1;
  }
}

static char readbuf[64 * 1024];
static void on_alloc(uv_handle_t *h, size_t sz, uv_buf_t *b) {
  (void)h; (void)sz;
  b->base = readbuf; b->len = sizeof readbuf;
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b) {
  client_t *c = st->data;
  if (n < 0) { client_close(c); return; }
  if (n > 0) feed(c, b->base, (size_t)n);
}

static void on_auth_timeout(uv_timer_t *t) {
  client_t *c = t->data;
  if (c->authed || c->closing) return;
  fprintf(stderr, "detente serve: client %d (%s) never authenticated; disconnecting it\n", c->id, c->peer);
  proto_error(c, NULL, "auth_timeout", "no hello in time");
  c->close_after_flush = 1;
}

static void on_connection(uv_stream_t *server, int status) {
  server_t *sv = server->data;
  if (status < 0 || sv->ending) return;
  client_t *c = calloc(1, sizeof *c);
  if (!c) return;
  c->sv = sv; c->seat = NOSEAT; c->id = ++sv->next_id;
  uv_tcp_init(sv->loop, &c->tcp);
  uv_timer_init(sv->loop, &c->auth_timer);
  c->tcp.data = c; c->auth_timer.data = c;
  c->open_handles = 2;
  c->next = sv->clients; sv->clients = c;
  if (uv_accept(server, (uv_stream_t *)&c->tcp) < 0) { client_close(c); return; }
  uv_tcp_nodelay(&c->tcp, 1);
  struct sockaddr_storage ss; int len = sizeof ss;
  snprintf(c->peer, sizeof c->peer, "?");
  if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &len) == 0) {
    char ip[48] = "?";
    if (ss.ss_family == AF_INET) {
      uv_ip4_name((struct sockaddr_in *)&ss, ip, sizeof ip);
      snprintf(c->peer, sizeof c->peer, "%s:%d", ip, ntohs(((struct sockaddr_in *)&ss)->sin_port));
    } else if (ss.ss_family == AF_INET6) {
      uv_ip6_name((struct sockaddr_in6 *)&ss, ip, sizeof ip);
      snprintf(c->peer, sizeof c->peer, "[%s]:%d", ip, ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
    }
  }
  uv_timer_start(&c->auth_timer, on_auth_timeout, (uint64_t)sv->o->auth_timeout_ms, 0);
  uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

/* ---- the clock ------------------------------------------------------------ */

static dt_time_t clock_target(server_t *sv) {
  dt_sim_t *sim = sv->s->sim;
  if (sv->adv == ADV_BY) return sv->adv_target;
  if (sv->adv == ADV_DECISION) return sim->stop != DT_NEVER ? sim->stop : INT64_MAX / 4;
  if (sv->paused) return DT_NEVER;
  uint64_t dt = uv_now(sv->loop) - sv->anchor_real;
  return sv->anchor_sim + (dt_time_t)((double)dt * (double)sv->o->pace_sim / (double)sv->o->pace_real_ms);
}

/* A human decision asked since the advance to decision began and still
 * pending: where that advance stops (one pending before it does not count). */
static int new_human_decision(server_t *sv) {
  dt_sim_t *sim = sv->s->sim;
  for (int i = sv->adv_from; i < sim->ndecisions; i++)
    if (sim->decisions[i]->status == DT_DS_PENDING && sim->states[sim->decisions[i]->state]->human) return 1;
  return 0;
}

static void adv_done(server_t *sv) {
  sv->adv = ADV_NONE;
  reanchor(sv);
}

static void on_tick(uv_timer_t *t) {
  server_t *sv = t->data;
  dt_session_t *s = sv->s;
  if (s->ended || sv->ending) return;
  uint64_t t0 = uv_hrtime();
  for (;;) {
    if (sv->o->hold && dt_session_pending_human(s)) { reanchor(sv); break; }
    dt_time_t target = clock_target(sv);
    if (target == DT_NEVER) break;
    char *err = NULL;
    int r = dt_session_step(s, target, &err);
    if (r == DT_EIO) fatal_io("rebuilding the session");
    if (r < 0) {
      script_failure(sv, err, "a simulation step", NULL, NULL);
      free(err);
      sv->paused = 1; sv->adv = ADV_NONE;
      break;
    }
    free(err);
    if (r == 0) {
      dt_time_t nt = target;
      if (s->sim->stop != DT_NEVER && nt > s->sim->stop) nt = s->sim->stop;
      if (nt < INT64_MAX / 4 && nt > s->sim->now) s->sim->now = nt;
      if (sv->adv == ADV_BY && s->sim->now >= sv->adv_target) adv_done(sv);
      else if (sv->adv == ADV_DECISION) adv_done(sv);
      if (s->sim->stop != DT_NEVER && s->sim->now >= s->sim->stop && !sv->horizon_told) {
        sv->horizon_told = 1;
        fprintf(stderr, "detente serve: the scenario reached its stop date; end the session when ready\n");
        to_facilitators(sv, json_pack("{s:s,s:s}", "type", "notice", "text",
                                      "the scenario reached its stop date; end the session when ready"));
      }
      break;
    }
    if (sv->adv == ADV_DECISION && new_human_decision(sv)) { adv_done(sv); break; }
    if (uv_hrtime() - t0 > STEP_BUDGET_NS) break;
  }
  /* A clock checkpoint, so a resume does not rewind the clock far. */
  if (s->sim->dispatched != sv->ckpt_at && uv_now(sv->loop) - sv->ckpt_ms >= CKPT_MS) {
    json_t *rec = json_pack("{s:s,s:s}", "type", "clock", "by", "server");
    json_incref(rec);
    if (dt_session_input(s, rec, NULL, NULL) == 0) journal_rec(sv, rec);
    json_decref(rec);
    sv->ckpt_at = s->sim->dispatched;
    sv->ckpt_ms = uv_now(sv->loop);
  }
}

/* ---- batching: sync the journal, then let everything out ------------------- */

static void close_all(server_t *sv);

static void on_check(uv_check_t *h) {
  server_t *sv = h->data;
  if (sv->j.pending && dt_journal_sync(&sv->j) < 0) fatal_io("the journal's fdatasync");
  for (client_t *c = sv->clients, *next; c; c = next) { next = c->next; top_up(c); flush(c); watch_output(c); }
  if (sv->ending && !sv->closed) close_all(sv);
}

static void on_sigint(uv_signal_t *h, int sig) {
  (void)sig;
  server_t *sv = h->data;
  fprintf(stderr, "detente serve: interrupted; the journal holds every acknowledged input (resume with --resume %s)\n",
          sv->o->journal);
  if (dt_journal_sync(&sv->j) < 0) fatal_io("the journal's fdatasync");
  exit(DT_EXIT_OK);
}

/* ---- the facilitator console (stdin) --------------------------------------- */

static void on_console_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b) {
  server_t *sv = st->data;
  client_t *c = sv->console;
  if (n < 0 || !c) { uv_read_stop(st); return; }
  /* Split into lines and translate the words into protocol messages; the
   * typed line is the message's id, so the reply says what it answers. */
  static char acc[4096]; static size_t alen;
  for (ssize_t i = 0; i < n; i++) {
    char ch = b->base[i];
    if (ch != '\n') { if (alen < sizeof acc - 1) acc[alen++] = ch; continue; }
    while (alen && (acc[alen - 1] == '\r' || acc[alen - 1] == ' ')) alen--;
    acc[alen] = 0; alen = 0;
    if (acc[0] == '{') { feed(c, acc, strlen(acc)); feed(c, "\n", 1); continue; }
    char why[256];
    json_t *o = dt_proto_command(acc, 1, why, sizeof why);
    if (!o) {
      if (why[0]) printf("error: %s\n", why);
      else if (strcmp(acc, "help") && acc[0]) printf("error: unknown command '%.64s'; the commands are:\n%s", acc, dt_proto_command_help);
      else if (acc[0]) printf("commands:\n%s", dt_proto_command_help);
      fflush(stdout);
      continue;
    }
    json_object_set_new(o, "id", json_string(acc));
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (s) { handle_line(c, s, strlen(s)); free(s); }
  }
}

static void open_console(server_t *sv) {
  uv_handle_type t = uv_guess_handle(0);
  int rc = -1;
  if (t == UV_TTY) rc = uv_tty_init(sv->loop, &sv->con.tty, 0, 1);
  else if (t == UV_NAMED_PIPE) rc = uv_pipe_init(sv->loop, &sv->con.pipe, 0) || uv_pipe_open(&sv->con.pipe, 0);
  if (rc) return;
  sv->con_open = 1;
  sv->con.pipe.data = sv;
  client_t *c = calloc(1, sizeof *c);
  if (!c) return;
  c->sv = sv; c->console = 1; c->authed = 1; c->seat = FAC; c->id = 0;
  snprintf(c->peer, sizeof c->peer, "console");
  c->next = sv->clients; sv->clients = c;
  sv->console = c;
  uv_read_start((uv_stream_t *)&sv->con.pipe, on_alloc, on_console_read);
}

/* ---- start and end ---------------------------------------------------------- */

static void end_session(server_t *sv) {
  dt_session_t *s = sv->s;
  dt_session_finish(s);
  json_t *bye = json_pack("{s:s,s:s}", "type", "bye", "text", "the facilitator ended the session");
  json_t *outs = json_object();
  for (int i = 0; i < s->rt->noutcomes; i++) dt_value_to_json(outs, s->rt->outcomes[i].name, &s->rt->outcomes[i].v);
  json_object_set_new(bye, "outcomes", outs);
  for (client_t *c = sv->clients; c; c = c->next)
    if (c->authed) { send_json(c, json_incref(bye)); c->close_after_flush = !c->console; }
    else c->close_after_flush = 1;
  json_decref(bye);
  sv->ending = 1;
}

static void close_all(server_t *sv) {
  sv->closed = 1;
  uv_close((uv_handle_t *)&sv->listener, NULL);
  uv_close((uv_handle_t *)&sv->tick, NULL);
  uv_close((uv_handle_t *)&sv->check, NULL);
  uv_close((uv_handle_t *)&sv->sigint, NULL);
  if (sv->con_open) uv_close((uv_handle_t *)&sv->con.pipe, NULL);
  if (sv->console) client_close(sv->console);
  sv->console = NULL;
  for (client_t *c = sv->clients, *next; c; c = next) {
    next = c->next;
    if (!c->close_after_flush && !c->shutting) client_close(c);
  }
}

static int new_token(char out[33]) {
  unsigned char b[16];
  size_t got = 0;
  while (got < sizeof b) {
    ssize_t r = getrandom(b + got, sizeof b - got, 0);
    if (r < 0) { if (errno == EINTR) continue; return -1; }
    got += (size_t)r;
  }
  for (int i = 0; i < 16; i++) snprintf(out + (size_t)2 * i, 3, "%02x", b[i]);
  return 0;
}

/* Tokens: read back from the file on resume (so clients keep theirs), else
 * made fresh and written to a file only the owner can read. */
static int load_tokens(server_t *sv, const char *path, int fresh) {
  dt_sim_t *sim = sv->s->sim;
  int have = 0;
  if (!fresh) {
    FILE *f = fopen(path, "r");
    char id[128], tok[128];
    while (f && fscanf(f, "%127s %127s", id, tok) == 2) {
      if (strlen(tok) != 32) continue;
      if (!strcmp(id, "facilitator")) { memcpy(sv->tokens[64], tok, 33); have++; }
      else {
        dt_state_t *st = dt_state_find(sim, id);
        if (st && st->index < 64) { memcpy(sv->tokens[st->index], tok, 33); have++; }
      }
    }
    if (f) fclose(f);
  }
  if (have == (sim->nstates < 64 ? sim->nstates : 64) + 1) return 0;
  if (new_token(sv->tokens[64])) return -1;
  for (int i = 0; i < sim->nstates && i < 64; i++) if (new_token(sv->tokens[i])) return -1;
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || fchmod(fd, 0600)) { if (fd >= 0) close(fd); return -2; }
  FILE *f = fdopen(fd, "w");
  if (!f) { close(fd); return -2; }
  fprintf(f, "facilitator %s\n", sv->tokens[64]);
  for (int i = 0; i < sim->nstates && i < 64; i++) fprintf(f, "%s %s\n", sim->states[i]->id, sv->tokens[i]);
  if (fflush(f) || fsync(fd)) { fclose(f); return -2; }
  fclose(f);
  return 0;
}

int dt_serve_run(const dt_serve_opts_t *o) {
  server_t *sv = calloc(1, sizeof *sv);
  if (!sv) return DT_EXIT_IO;
  sv->o = o;
  sv->j.fd = -1;
  int code = DT_EXIT_OK;
  FILE *logf = NULL;
  json_t *header = NULL, **recs = NULL; size_t nrecs = 0; uint64_t valid_end = 0;
  char *err = NULL;
  if (o->logpath && !(logf = fopen(o->logpath, "w"))) {
    fprintf(stderr, "detente serve: cannot write the log '%s'\n", o->logpath);
    free(sv);
    return DT_EXIT_IO;
  }
  if (o->resume) {
    if ((code = dt_session_read_journal(o->resume, &header, &recs, &nrecs, &valid_end, "serve"))) goto out;
  } else {
    json_t *defs = json_array(), *humans = json_array();
    for (int i = 0; i < o->nov; i++) json_array_append_new(defs, json_pack("[ss]", o->ov[i].name, o->ov[i].value));
    if (o->humans) {
      char buf[1024];
      snprintf(buf, sizeof buf, "%s", o->humans);
      for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (*t) json_array_append_new(humans, json_string(t));
    }
    header = json_pack("{s:s,s:i,s:s,s:s,s:I,s:o,s:o,s:b}", "type", "session", "v", 1, "detente", DT_VERSION,
                       "scenario", o->scenario, "seed", (json_int_t)o->seed, "defs", defs, "human", humans,
                       "hold", o->hold);
  }
  int rc = dt_session_new(&sv->s, header, dt_cli_stdlib_dir(), &o->lim, logf, &err);
  if (rc == 0) rc = dt_session_start(sv->s, &err);
  if (rc < 0) {
    fprintf(stderr, "detente serve: %s\n", err ? err : dt_strerror(rc));
    code = rc == DT_EIO ? DT_EXIT_IO : rc == DT_ENOENT ? DT_EXIT_USAGE : dt_cli_exit_for(rc);
    goto out;
  }
  sv->s->on_event = on_session_event;
  sv->s->ud = sv;
  /* Resume: replay every record; the last pause/resume says whether the clock runs. */
  sv->paused = o->step;
  for (size_t i = 0; i < nrecs; i++) {
    json_t *r = recs[i];
    recs[i] = NULL;
    const char *t = json_string_value(json_object_get(r, "type"));
    if (t && !strcmp(t, "pause")) sv->paused = 1;
    if (t && !strcmp(t, "resume")) sv->paused = 0;
    if (dt_session_replay(sv->s, r, &err) < 0) {
      fprintf(stderr, "detente serve: cannot resume from '%s': %s\n", o->resume, err ? err : "?");
      code = DT_EXIT_DATA;
      goto out;
    }
  }
  if (sv->s->ended) { fprintf(stderr, "detente serve: the session in '%s' has already ended\n", o->resume); code = DT_EXIT_DATA; goto out; }
  if (o->resume) {
    if (dt_journal_reopen(&sv->j, o->resume, valid_end) < 0) {
      fprintf(stderr, "detente serve: cannot append to the journal '%s'\n", o->resume);
      code = DT_EXIT_IO; goto out;
    }
    fprintf(stderr, "detente serve: resumed %zu inputs from '%s' at %s\n", nrecs, o->resume, "the last acknowledged input");
  } else {
    char *h = json_dumps(header, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (dt_journal_create(&sv->j, o->journal) < 0 || !h || dt_journal_append(&sv->j, h, strlen(h)) < 0 ||
        dt_journal_sync(&sv->j) < 0) {
      free(h);
      fprintf(stderr, "detente serve: cannot write the journal '%s'\n", o->journal);
      code = DT_EXIT_IO; goto out;
    }
    free(h);
  }
  if (getenv("DETENTE_JOURNAL_NOSYNC")) sv->j.nosync = 1;   /* benchmarks of the code path only */
  rc = load_tokens(sv, o->tokens, !o->resume);
  if (rc < 0) {
    fprintf(stderr, rc == -1 ? "detente serve: no random source for tokens\n" : "detente serve: cannot write the tokens file '%s'\n", o->tokens);
    code = DT_EXIT_IO; goto out;
  }
  sv->loop = uv_default_loop();
  struct sockaddr_storage addr;
  if (uv_ip4_addr(o->host, o->port, (struct sockaddr_in *)&addr) &&
      uv_ip6_addr(o->host, o->port, (struct sockaddr_in6 *)&addr)) {
    fprintf(stderr, "detente serve: bad listen address '%s'\n", o->host);
    code = DT_EXIT_USAGE; goto out;
  }
  uv_tcp_init(sv->loop, &sv->listener);
  sv->listener.data = sv;
  if ((rc = uv_tcp_bind(&sv->listener, (struct sockaddr *)&addr, 0)) < 0 ||
      (rc = uv_listen((uv_stream_t *)&sv->listener, 128, on_connection)) < 0) {
    fprintf(stderr, "detente serve: cannot listen on %s:%d: %s\n", o->host, o->port, uv_strerror(rc));
    uv_close((uv_handle_t *)&sv->listener, NULL);
    uv_run(sv->loop, UV_RUN_DEFAULT);
    code = DT_EXIT_IO; goto out;
  }
  struct sockaddr_storage bound; int blen = sizeof bound;
  uv_tcp_getsockname(&sv->listener, (struct sockaddr *)&bound, &blen);
  int port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
  printf("listening %s:%d\n", o->host, port);
  printf("journal %s\n", o->resume ? o->resume : o->journal);
  printf("tokens %s\n", o->tokens);
  printf("token facilitator %s\n", sv->tokens[64]);
  for (int i = 0; i < sv->s->sim->nstates && i < 64; i++)
    printf("token %s %s%s\n", sv->s->sim->states[i]->id, sv->tokens[i], sv->s->sim->states[i]->human ? "" : " (policy)");
  printf("ready\n");
  fflush(stdout);
  uv_timer_init(sv->loop, &sv->tick); sv->tick.data = sv;
  uv_check_init(sv->loop, &sv->check); sv->check.data = sv;
  uv_signal_init(sv->loop, &sv->sigint); sv->sigint.data = sv;
  uv_signal_start(&sv->sigint, on_sigint, SIGINT);
  reanchor(sv);
  sv->ckpt_ms = uv_now(sv->loop); sv->ckpt_at = sv->s->sim->dispatched;
  uv_timer_start(&sv->tick, on_tick, TICK_MS, TICK_MS);
  uv_check_start(&sv->check, on_check);
  if (o->console) open_console(sv);
  uv_run(sv->loop, UV_RUN_DEFAULT);
  if (sv->s->lg.failed) { fprintf(stderr, "detente serve: writing the log failed\n"); code = DT_EXIT_IO; }
out:
  for (size_t i = 0; i < nrecs; i++) json_decref(recs[i]);
  free(recs);
  free(err);
  dt_journal_close(&sv->j);
  dt_session_free(sv->s);
  json_decref(header);
  if (logf && fclose(logf) != 0) code = code ? code : DT_EXIT_IO;
  if (sv->loop) uv_loop_close(sv->loop);
  free(sv);
  return code;
}
