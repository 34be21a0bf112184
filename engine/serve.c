/* serve.c: the live session's server (serve.h): the TCP and console
 * transports of the hub (hub.c) on a libuv loop, the clock's timer, the
 * journal file and the tokens file. What a message does, who sees what and
 * when output may leave are the hub's; the run is session.c's. */
#include "serve.h"
#include "cli.h"
#include "hub.h"
#include "people.h"
#include "protocol.h"
#include "serve_web.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

enum { TICK_MS = 5 };

typedef struct server {
  uv_loop_t *loop;
  uv_tcp_t listener;
  uv_timer_t tick;
  uv_check_t check;
  uv_signal_t sigint;
  union { uv_tty_t tty; uv_pipe_t pipe; } con;
  int con_open;
  dt_peer_t *console;
  const dt_serve_opts_t *o;
  dt_session_t *s;
  dt_journal_t j;
  dt_hub_t hub;
  dt_serve_web_t *web;           /* --http, else NULL */
  int closed;
} server_t;

/* ---- the TCP transport: JSON Lines over a stream ------------------------------ */

typedef struct conn {
  uv_tcp_t tcp;
  uv_timer_t auth_timer;
  server_t *sv;
  dt_peer_t *p;
  int open_handles;
  char *in; size_t inlen, incap; int skipping;
} conn_t;

typedef struct wreq { uv_write_t req; char *buf; } wreq_t;

static void on_written(uv_write_t *req, int status) {
  wreq_t *w = (wreq_t *)req;
  (void)status;
  free(w->buf);
  free(w);
}

static int tcp_write(dt_peer_t *p, char *buf, size_t len) {
  conn_t *c = p->ud;
  wreq_t *w = malloc(sizeof *w);
  if (!w) { free(buf); return -1; }
  w->buf = buf;
  uv_buf_t b = uv_buf_init(buf, (unsigned)len);
  if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_written) < 0) {
    free(buf);
    free(w);
    return -1;
  }
  return 0;
}

static size_t tcp_queued(dt_peer_t *p) {
  conn_t *c = p->ud;
  return uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp);
}

static void on_conn_closed(uv_handle_t *hd) {
  conn_t *c = hd->data;
  if (--c->open_handles > 0) return;
  dt_peer_free(c->p);
  free(c->in);
  free(c);
}

static void close_conn(conn_t *c) {
  uv_read_stop((uv_stream_t *)&c->tcp);
  uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
  uv_close((uv_handle_t *)&c->auth_timer, on_conn_closed);
}

static void on_shutdown(uv_shutdown_t *req, int status) {
  (void)status;
  conn_t *c = req->data;
  free(req);
  close_conn(c);
}

static void tcp_close(dt_peer_t *p, int graceful) {
  conn_t *c = p->ud;
  if (graceful) {
    uv_shutdown_t *req = malloc(sizeof *req);
    if (req) {
      req->data = c;
      if (uv_shutdown(req, (uv_stream_t *)&c->tcp, on_shutdown) == 0) return;
      free(req);
    }
  }
  close_conn(c);
}

static const dt_peer_ops_t tcp_ops = { tcp_write, tcp_queued, tcp_close };

/* Splits what a connection reads into lines, each one message. */
static void feed(conn_t *c, const char *p, size_t n) {
  while (n && !c->p->closing) {
    const char *nl = memchr(p, '\n', n);
    size_t take = nl ? (size_t)(nl - p) : n;
    if (c->skipping) {
      if (nl) c->skipping = 0;
    } else if (c->inlen + take > DT_PROTO_MAXLINE) {
      c->inlen = 0;
      c->skipping = !nl;
      dt_peer_error(c->p, "too_long", "a message line is limited to 64 KiB");
    } else {
      if (c->inlen + take > c->incap) {
        size_t nc = c->incap ? c->incap : 1024;
        while (nc < c->inlen + take) nc *= 2;
        char *b = realloc(c->in, nc + 1);
        if (!b) { dt_peer_close(c->p, 0); return; }
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
        if (k < len) dt_peer_message(c->p, c->in, len);
      }
    }
    if (!nl) break;
    p = nl + 1; n -= take + 1;
  }
}

static char readbuf[64 * 1024];
static void on_alloc(uv_handle_t *hd, size_t sz, uv_buf_t *b) {
  (void)hd; (void)sz;
  b->base = readbuf; b->len = sizeof readbuf;
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b) {
  conn_t *c = st->data;
  if (n < 0) { dt_peer_close(c->p, 0); return; }
  if (n > 0) feed(c, b->base, (size_t)n);
}

static void on_auth_timeout(uv_timer_t *t) {
  conn_t *c = t->data;
  dt_peer_auth_timeout(c->p);
}

void dt__serve_peer_name(uv_tcp_t *tcp, char *out, size_t n) {
  struct sockaddr_storage ss; int len = sizeof ss;
  snprintf(out, n, "?");
  if (uv_tcp_getpeername(tcp, (struct sockaddr *)&ss, &len) != 0) return;
  char ip[48] = "?";
  if (ss.ss_family == AF_INET) {
    uv_ip4_name((struct sockaddr_in *)&ss, ip, sizeof ip);
    snprintf(out, n, "%s:%d", ip, ntohs(((struct sockaddr_in *)&ss)->sin_port));
  } else if (ss.ss_family == AF_INET6) {
    uv_ip6_name((struct sockaddr_in6 *)&ss, ip, sizeof ip);
    snprintf(out, n, "[%s]:%d", ip, ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
  }
}

static void on_connection(uv_stream_t *server, int status) {
  server_t *sv = server->data;
  if (status < 0 || sv->hub.ending) return;
  conn_t *c = calloc(1, sizeof *c);
  if (!c) return;
  c->sv = sv;
  uv_tcp_init(sv->loop, &c->tcp);
  uv_timer_init(sv->loop, &c->auth_timer);
  c->tcp.data = c; c->auth_timer.data = c;
  c->open_handles = 2;
  int ok = uv_accept(server, (uv_stream_t *)&c->tcp) == 0;
  char name[64] = "?";
  if (ok) dt__serve_peer_name(&c->tcp, name, sizeof name);
  if (!ok || !(c->p = dt_hub_attach(&sv->hub, &tcp_ops, c, name))) { close_conn(c); return; }
  uv_tcp_nodelay(&c->tcp, 1);
  uv_timer_start(&c->auth_timer, on_auth_timeout, (uint64_t)sv->o->auth_timeout_ms, 0);
  uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

/* ---- the console transport: the facilitator's terminal -------------------------- */

/* One line a person reads per message. */
static int console_write(dt_peer_t *p, char *buf, size_t len) {
  (void)p;
  char *q = buf, *end = buf + len;
  while (q < end) {
    char *nl = memchr(q, '\n', (size_t)(end - q));
    if (!nl) nl = end;
    json_t *o = json_loadb(q, (size_t)(nl - q), 0, NULL);
    char *text = dt_proto_text(o);
    if (text) printf("%s\n", text);
    else printf("%.*s\n", (int)(nl - q), q);
    free(text);
    json_decref(o);
    q = nl + 1;
  }
  fflush(stdout);
  free(buf);
  return 0;
}

static size_t console_queued(dt_peer_t *p) { (void)p; return 0; }

static void console_close(dt_peer_t *p, int graceful) {
  (void)graceful;
  server_t *sv = p->ud;
  if (sv->console == p) sv->console = NULL;
  dt_peer_free(p);
}

static const dt_peer_ops_t console_ops = { console_write, console_queued, console_close };

static void on_console_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b) {
  server_t *sv = st->data;
  dt_peer_t *c = sv->console;
  if (n < 0 || !c) { uv_read_stop(st); return; }
  /* Split into lines and translate the words into protocol messages; the
   * typed line is the message's id, so the reply says what it answers. */
  static char acc[4096]; static size_t alen;
  for (ssize_t i = 0; i < n && sv->console; i++) {
    char ch = b->base[i];
    if (ch != '\n') { if (alen < sizeof acc - 1) acc[alen++] = ch; continue; }
    while (alen && (acc[alen - 1] == '\r' || acc[alen - 1] == ' ')) alen--;
    acc[alen] = 0; alen = 0;
    if (acc[0] == '{') { dt_peer_message(c, acc, strlen(acc)); continue; }
    char why[256];
    json_t *o = dt_proto_command(acc, 1, why, sizeof why);
    if (!o) {
      if (why[0]) printf("error: %s\n", why);
      else if (strcmp(acc, "help") && acc[0])
        printf("error: unknown command '%.64s'; the commands are:\n%s", acc, dt_proto_command_help);
      else if (acc[0]) printf("commands:\n%s", dt_proto_command_help);
      fflush(stdout);
      continue;
    }
    json_object_set_new(o, "id", json_string(acc));
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (s) { dt_peer_message(c, s, strlen(s)); free(s); }
  }
}

static void open_console(server_t *sv) {
  uv_handle_type t = uv_guess_handle(0);
  int rc = -1;
  if (t == UV_TTY) rc = uv_tty_init(sv->loop, &sv->con.tty, 0, 1);
  else if (t == UV_NAMED_PIPE)
    rc = uv_pipe_init(sv->loop, &sv->con.pipe, 0) || uv_pipe_open(&sv->con.pipe, 0);
  if (rc) return;
  sv->con_open = 1;
  sv->con.pipe.data = sv;
  dt_peer_t *c = dt_hub_attach(&sv->hub, &console_ops, sv, "console");
  if (!c) return;
  c->local = 1; c->authed = 1; c->seat = DT_PEER_FAC; c->id = 0;
  sv->console = c;
  uv_read_start((uv_stream_t *)&sv->con.pipe, on_alloc, on_console_read);
}

/* ---- the loop: clock, batching, signals -------------------------------------- */

static uint64_t loop_now(void *ud) { return uv_now(((server_t *)ud)->loop); }

static void on_tick(uv_timer_t *t) { dt_hub_tick(&((server_t *)t->data)->hub); }

static void close_all(server_t *sv) {
  sv->closed = 1;
  uv_close((uv_handle_t *)&sv->listener, NULL);
  dt_serve_web_stop(sv->web);
  uv_close((uv_handle_t *)&sv->tick, NULL);
  uv_close((uv_handle_t *)&sv->check, NULL);
  uv_close((uv_handle_t *)&sv->sigint, NULL);
  if (sv->con_open) uv_close((uv_handle_t *)&sv->con.pipe, NULL);
  dt_hub_close_all(&sv->hub);
}

/* After each turn of the loop: the journal's sync, then output leaves. */
static void on_check(uv_check_t *hd) {
  server_t *sv = hd->data;
  if (dt_hub_flush(&sv->hub) && !sv->closed) close_all(sv);
}

static void fatal_io(const char *what) {
  fprintf(stderr, "detente serve: %s failed (%s); stopping without acknowledging\n", what,
          strerror(errno));
  fflush(stderr);
  _exit(DT_EXIT_IO);
}

static void on_sigint(uv_signal_t *hd, int sig) {
  (void)sig;
  server_t *sv = hd->data;
  fprintf(stderr,
          "detente serve: interrupted; the journal holds every acknowledged input (resume with "
          "--resume %s)\n",
          sv->o->journal);
  if (dt_journal_sync(&sv->j) < 0) fatal_io("the journal's fdatasync");
  exit(DT_EXIT_OK);
}

/* ---- start ------------------------------------------------------------------- */

/* A branch: the run is stepped on to event SEQ, then the new journal gets the
 * old header (marked with where it came from), the inputs kept and a clock
 * record where the branch starts, so it replays by itself. The old journal is
 * only read. */
static int branch_from(server_t *sv, json_t *header, const dt_serve_opts_t *o) {
  dt_session_t *s = sv->s;
  char *err = NULL;
  if ((uint64_t)o->branch_at > s->committed) {
    while (s->committed < (uint64_t)o->branch_at && !s->ended) {
      int rc = dt_session_step(s, s->sim->stop != DT_NEVER ? s->sim->stop : INT64_MAX / 4, &err);
      if (rc < 0) {
        fprintf(stderr, "detente serve: --branch-at: %s\n", err ? err : "?");
        free(err);
        return DT_EXIT_DATA;
      }
      if (rc == 0) break;
    }
  }
  if (s->committed < (uint64_t)o->branch_at) {
    fprintf(stderr,
            "detente serve: --branch-at %lld: the session in '%s' never reached that event (it has "
            "%llu)\n",
            (long long)o->branch_at, o->resume, (unsigned long long)s->committed);
    return DT_EXIT_USAGE;
  }
  json_object_set_new(header, "branch",
                      json_pack("{s:s,s:I}", "from", o->resume, "at", (json_int_t)o->branch_at));
  char *h = json_dumps(header, JSON_COMPACT | JSON_PRESERVE_ORDER);
  int ok = h && dt_journal_create(&sv->j, o->journal) == 0 &&
           dt_journal_append(&sv->j, h, strlen(h)) == 0;
  free(h);
  for (size_t i = 0; ok && i < s->nrecs; i++) {
    char *r = json_dumps(s->recs[i], JSON_COMPACT | JSON_PRESERVE_ORDER);
    ok = r && dt_journal_append(&sv->j, r, strlen(r)) == 0;
    free(r);
  }
  json_t *ck = json_pack("{s:s,s:s}", "type", "clock", "by", "server");
  json_incref(ck);
  if (ok && dt_session_input(s, ck, NULL, &err) == 0) {
    char *r = json_dumps(ck, JSON_COMPACT | JSON_PRESERVE_ORDER);
    ok = r && dt_journal_append(&sv->j, r, strlen(r)) == 0;
    free(r);
  }
  json_decref(ck);
  free(err);
  if (!ok || dt_journal_sync(&sv->j) < 0) {
    fprintf(stderr, "detente serve: cannot write the journal '%s'\n", o->journal);
    return DT_EXIT_IO;
  }
  return 0;
}

/* What the steps of dt_serve_run hand on to each other. */
typedef struct start {
  FILE *logf;                    /* --log, else NULL */
  json_t *header, **recs;        /* the journal's header and records (resume) */
  size_t nrecs;
  uint64_t valid_end;            /* where the journal's last whole record ends */
  int branch;                    /* --branch-at */
  dt_hub_opts_t ho;
  char *err;
  int port, http_port;           /* where it listens */
} start_t;

/* A new session's journal header: the scenario, seed, overrides, human seats
 * and the clock. */
static json_t *new_header(const dt_serve_opts_t *o) {
  json_t *defs = json_array(), *humans = json_array();
  for (int i = 0; i < o->nov; i++)
    json_array_append_new(defs, json_pack("[ss]", o->ov[i].name, o->ov[i].value));
  if (o->humans) {
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", o->humans);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
      if (*t) json_array_append_new(humans, json_string(t));
  }
  json_t *header = json_pack("{s:s,s:i,s:s,s:s,s:I,s:o,s:o,s:b}", "type", "session", "v",
                             DT_SESSION_JOURNAL_V, "detente", DT_VERSION, "scenario", o->scenario,
                             "seed", (json_int_t)o->seed, "defs", defs, "human", humans, "hold",
                             o->hold);
  json_object_set_new(header, "clock",
                      json_pack("{s:b,s:I,s:I,s:b}", "step", o->step, "pace_sim",
                                (json_int_t)o->pace_sim, "pace_real_ms",
                                (json_int_t)o->pace_real_ms, "hold", o->hold));
  if (o->turn_months || o->turn_seconds)
    json_object_update_new(json_object_get(header, "clock"),
                           json_pack("{s:I,s:I}", "turn_months", (json_int_t)o->turn_months,
                                     "turn_seconds", (json_int_t)o->turn_seconds));
  if (o->planning_ms)
    json_object_set_new(json_object_get(header, "clock"), "planning_ms",
                        json_integer((json_int_t)o->planning_ms));
  return header;
}

/* Step 1: the session (a new one, or the journal's to resume), its hub, and
 * who may connect: the people file (kept in the journal's header, so a
 * resume knows them), else one lead per seat and one umpire. */
static int open_session(server_t *sv, start_t *st) {
  const dt_serve_opts_t *o = sv->o;
  int code;
  if (o->logpath && !(st->logf = fopen(o->logpath, "w"))) {
    fprintf(stderr, "detente serve: cannot write the log '%s'\n", o->logpath);
    return DT_EXIT_IO;
  }
  if (o->resume) {
    if ((code = dt_session_read_journal(o->resume, &st->header, &st->recs, &st->nrecs,
                                        &st->valid_end, "serve")))
      return code;
  } else {
    st->header = new_header(o);
  }
  int rc = dt_session_new(&sv->s, st->header, dt_cli_stdlib_dir(), &o->lim, st->logf, &st->err);
  if (rc == 0) rc = dt_session_start(sv->s, &st->err);
  if (rc < 0) {
    fprintf(stderr, "detente serve: %s\n", st->err ? st->err : dt_strerror(rc));
    return rc == DT_EIO ? DT_EXIT_IO : rc == DT_ENOENT ? DT_EXIT_USAGE : dt_cli_exit_for(rc);
  }
  st->ho = (dt_hub_opts_t){ o->pace_sim,   o->pace_real_ms, o->step,         o->hold,
                            o->max_output, o->turn_months,  o->turn_seconds, o->planning_ms };
  dt_hub_init(&sv->hub, sv->s, &sv->j, &st->ho, loop_now, sv);
  char perr[512];
  if (o->people && !o->resume) {
    json_t *list = dt_people_read(o->people, sv->s->sim, perr, sizeof perr);
    if (!list) {
      fprintf(stderr, "detente serve: --people: %s\n", perr);
      return DT_EXIT_USAGE;
    }
    json_object_set_new(st->header, "people", list);
  }
  json_t *list = json_object_get(st->header, "people");
  int pr = dt_people_init(&sv->hub, json_is_array(list) ? list : NULL, perr, sizeof perr);
  if (pr < 0) {
    fprintf(stderr, "detente serve: %s\n", perr);
    return pr == -2 ? DT_EXIT_SCRIPT : DT_EXIT_DATA;   /* -2: the scenario's state ids */
  }
  if (o->http_host) dt_hub_enable_views(&sv->hub);   /* before the replay: charts from the start */
  return 0;
}

/* Step 2 (resume): replay every record; the hub keeps the clock's state, as
 * the journal says unless told otherwise. A branch replays only the inputs
 * applied before event SEQ existed. */
static int replay_journal(server_t *sv, start_t *st) {
  const dt_serve_opts_t *o = sv->o;
  int code;
  if (!o->resume) return 0;
  dt_hub_header_clock(&sv->hub, st->header);
  for (size_t i = 0; i < st->nrecs; i++) {
    json_t *r = st->recs[i];
    if (st->branch && json_integer_value(json_object_get(r, "seq")) >= o->branch_at) break;
    st->recs[i] = NULL;
    if (dt_hub_replay(&sv->hub, r, &st->err) < 0) {
      fprintf(stderr, "detente serve: cannot resume from '%s': %s\n", o->resume,
              st->err ? st->err : "?");
      return DT_EXIT_DATA;
    }
  }
  if (st->branch && (code = branch_from(sv, st->header, o)) != 0) return code;
  if (sv->s->ended) {
    fprintf(stderr, "detente serve: the session in '%s' has already ended\n", o->resume);
    return DT_EXIT_DATA;
  }
  return 0;
}

/* Step 3: the journal to append to (the old one on resume, a new one with
 * the header otherwise), clock settings given with --resume, and the tokens
 * file. */
static int open_journal(server_t *sv, start_t *st) {
  const dt_serve_opts_t *o = sv->o;
  if (st->branch) {
    fprintf(stderr, "detente serve: branched from '%s' at event %lld (%zu inputs kept) into '%s'\n",
            o->resume, (long long)o->branch_at, sv->s->nrecs, o->journal);
  } else if (o->resume) {
    if (dt_journal_reopen(&sv->j, o->resume, st->valid_end) < 0) {
      fprintf(stderr, "detente serve: cannot append to the journal '%s'\n", o->resume);
      return DT_EXIT_IO;
    }
    fprintf(stderr, "detente serve: resumed %zu inputs from '%s' at %s\n", st->nrecs, o->resume,
            "the last acknowledged input");
  } else {
    char *h = json_dumps(st->header, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (dt_journal_create(&sv->j, o->journal) < 0 || !h ||
        dt_journal_append(&sv->j, h, strlen(h)) < 0 || dt_journal_sync(&sv->j) < 0) {
      free(h);
      fprintf(stderr, "detente serve: cannot write the journal '%s'\n", o->journal);
      return DT_EXIT_IO;
    }
    free(h);
  }
  if (o->resume && o->clock_given && dt_hub_set_clock(&sv->hub, &st->ho) < 0) {
    fprintf(stderr, "detente serve: cannot change the clock settings\n");
    return DT_EXIT_IO;
  }
  if (getenv("DETENTE_JOURNAL_NOSYNC")) sv->j.nosync = 1;   /* benchmarks of the code path only */
  char terr[768]; int renewed;
  if (dt_people_tokens(&sv->hub, o->tokens, !o->resume || st->branch, &renewed, terr,
                       sizeof terr) < 0) {
    fprintf(stderr, "detente serve: %s\n", terr);
    return DT_EXIT_IO;
  }
  return 0;
}

/* Closes the listener after a failed start and lets the loop finish. */
static int listen_failed(server_t *sv) {
  uv_close((uv_handle_t *)&sv->listener, NULL);
  uv_run(sv->loop, UV_RUN_DEFAULT);
  return DT_EXIT_IO;
}

/* Step 4: the TCP listener and, with --http, the pages. */
static int listen_all(server_t *sv, start_t *st) {
  const dt_serve_opts_t *o = sv->o;
  int rc;
  sv->loop = uv_default_loop();
  struct sockaddr_storage addr;
  if (uv_ip4_addr(o->host, o->port, (struct sockaddr_in *)&addr) &&
      uv_ip6_addr(o->host, o->port, (struct sockaddr_in6 *)&addr)) {
    fprintf(stderr, "detente serve: bad listen address '%s'\n", o->host);
    return DT_EXIT_USAGE;
  }
  uv_tcp_init(sv->loop, &sv->listener);
  sv->listener.data = sv;
  if ((rc = uv_tcp_bind(&sv->listener, (struct sockaddr *)&addr, 0)) < 0 ||
      (rc = uv_listen((uv_stream_t *)&sv->listener, 128, on_connection)) < 0) {
    fprintf(stderr, "detente serve: cannot listen on %s:%d: %s\n", o->host, o->port,
            uv_strerror(rc));
    return listen_failed(sv);
  }
  struct sockaddr_storage bound; int blen = sizeof bound;
  uv_tcp_getsockname(&sv->listener, (struct sockaddr *)&bound, &blen);
  st->port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
  if (!o->http_host) return 0;
  /* Cookie sessions are kept beside the journal, so pages stay signed in
   * across a resume; a new session starts with none (its tokens are new). */
  const char *journal = o->resume && !st->branch ? o->resume : o->journal;
  char path[4096 + 8], werr[512];
  snprintf(path, sizeof path, "%s.web", journal);
  if (!o->resume || st->branch) unlink(path);
  if (dt_serve_web_start(&sv->web, sv->loop, &sv->hub, o->http_host, o->http_port, journal,
                         o->auth_timeout_ms, &st->http_port, werr, sizeof werr) < 0) {
    fprintf(stderr, "detente serve: --http: %s\n", werr);
    return listen_failed(sv);
  }
  return 0;
}

/* Step 5: where it listens, the journal and the tokens file on stdout. The
 * tokens themselves (readable by the facilitator only, in the tokens file)
 * reach the terminal, and whatever records it, only when asked. */
static void announce(server_t *sv, const start_t *st) {
  const dt_serve_opts_t *o = sv->o;
  printf("listening %s:%d\n", o->host, st->port);
  if (o->http_host) printf("http http://%s:%d/\n", o->http_host, st->http_port);
  printf("journal %s\n", o->resume && !st->branch ? o->resume : o->journal);
  printf("tokens %s\n", o->tokens);
  for (int i = 0; o->print_tokens && i < sv->hub.npeople; i++) {
    const dt_person_t *p = &sv->hub.people[i];
    printf("token %s %s %s %s\n",
           p->seat == DT_PEER_FAC ? "facilitator" : sv->s->sim->states[p->seat]->id, p->token,
           dt_role_name(p->role), p->name);
  }
  printf("ready\n");
  fflush(stdout);
}

/* Step 6: the clock's tick, Ctrl-C and the console, then the loop until the
 * session ends. */
static int run_loop(server_t *sv) {
  uv_timer_init(sv->loop, &sv->tick); sv->tick.data = sv;
  uv_check_init(sv->loop, &sv->check); sv->check.data = sv;
  uv_signal_init(sv->loop, &sv->sigint); sv->sigint.data = sv;
  uv_signal_start(&sv->sigint, on_sigint, SIGINT);
  dt_hub_start(&sv->hub);
  uv_timer_start(&sv->tick, on_tick, TICK_MS, TICK_MS);
  uv_check_start(&sv->check, on_check);
  if (sv->o->console) open_console(sv);
  uv_run(sv->loop, UV_RUN_DEFAULT);
  if (sv->s->lg.failed) {
    fprintf(stderr, "detente serve: writing the log failed\n");
    return DT_EXIT_IO;
  }
  return DT_EXIT_OK;
}

int dt_serve_run(const dt_serve_opts_t *o) {
  server_t *sv = calloc(1, sizeof *sv);
  if (!sv) return DT_EXIT_IO;
  sv->o = o;
  sv->j.fd = -1;
  start_t st = { .branch = o->resume && o->branch_at >= 0 };
  int code = open_session(sv, &st);
  if (!code) code = replay_journal(sv, &st);
  if (!code) code = open_journal(sv, &st);
  if (!code) code = listen_all(sv, &st);
  if (!code) {
    announce(sv, &st);
    code = run_loop(sv);
  }
  for (size_t i = 0; i < st.nrecs; i++) json_decref(st.recs[i]);
  free(st.recs);
  free(st.err);
  dt_hub_free(&sv->hub);
  dt_journal_close(&sv->j);
  dt_serve_web_free(sv->web);
  dt_session_free(sv->s);
  json_decref(st.header);
  if (st.logf && fclose(st.logf) != 0) code = code ? code : DT_EXIT_IO;
  if (sv->loop) uv_loop_close(sv->loop);
  free(sv);
  return code;
}
