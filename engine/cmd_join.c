/* cmd_join.c: `detente join`: the terminal client of a seat. Shows the seat's
 * timeline, its pending decisions with their deadlines and its moves; sends
 * answers and moves; reconnects after a drop and asks only for what it missed.
 * Owns one connection and the terminal; the session lives in the server. What
 * a typed command means and how a message reads are protocol.c's. */
#include "cli.h"
#include "output.h"
#include "protocol.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

static const char usage[] =
  "usage: detente join HOST:PORT --seat ID --token T\n"
  "\n"
  "Joins a live session as seat ID (or as 'facilitator'): prints the seat's\n"
  "timeline, its pending decisions with their options and deadlines, and the\n"
  "moves open to it; reads commands, one a line:\n";
static const char usage_more[] =
  "  decisions | moves | help    what is pending, the open moves, this list\n"
  "  quit                        leave (so does the end of the input, once every\n"
  "                              command sent has been answered)\n"
  "The token may also come from DETENTE_TOKEN.\n"
  "\n"
  "exit codes: 0 session ended or quit, 2 usage, 3 cannot connect or refused\n";

typedef struct joiner {
  uv_loop_t *loop;
  uv_tcp_t tcp; uv_connect_t creq;
  union { uv_tty_t tty; uv_pipe_t pipe; } in;
  uv_timer_t retry;
  struct sockaddr_storage addr;
  const char *seat, *token;
  int facilitator;
  int64_t last_seq;
  int connected, authed, done, tries, code, stdin_open, tcp_open;
  int eof;             /* the input has ended: leave once nothing is waiting */
  int waiting;         /* requests sent and not yet answered */
  char buf[DT_PROTO_MAXLINE + 1]; size_t len;
  char acc[8192]; size_t alen;   /* the command line being typed */
  json_t *decisions;   /* pending, by id */
  json_t *moves;
  json_t *queued;      /* commands typed before the seat was joined */
  int next_id;
} joiner_t;

static void connect_now(joiner_t *j);
static void leave(joiner_t *j);

static void on_written(uv_write_t *w, int status) { (void)status; free(w->data); free(w); }

/* Sends a message (steals the reference): 0, or -1 when not connected. */
static int send_msg(joiner_t *j, json_t *o) {
  if (!j->connected) {
    printf("(not connected; try again in a moment)\n");
    json_decref(o);
    return -1;
  }
  char *s = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  if (!s) return -1;
  size_t n = strlen(s);
  char *line = realloc(s, n + 2);
  if (!line) { free(s); return -1; }
  line[n] = '\n';
  uv_write_t *w = malloc(sizeof *w);
  if (!w) { free(line); return -1; }
  w->data = line;
  uv_buf_t b = uv_buf_init(line, (unsigned)n + 1);
  if (uv_write(w, (uv_stream_t *)&j->tcp, &b, 1, on_written) < 0) {
    free(line);
    free(w);
    return -1;
  }
  return 0;
}

static void print_text(json_t *o) {
  char *t = dt_proto_text(o);
  if (t) printf("%s\n", t);
  free(t);
}

static void show_moves(joiner_t *j) {
  size_t i; json_t *m;
  printf("open moves:");
  if (!json_array_size(j->moves)) printf(" none");
  printf("\n");
  json_array_foreach(j->moves, i, m) {
    const char *doc = json_string_value(json_object_get(m, "doc"));
    printf("  %-20s %s\n", json_string_value(json_object_get(m, "name")), doc ? doc : "");
    /* Its declared arguments: name=type, * when required, the choices. */
    size_t k; json_t *a;
    json_array_foreach(json_object_get(m, "args"), k, a) {
      const char *an = json_string_value(json_object_get(a, "name")),
                 *at = json_string_value(json_object_get(a, "type"));
      printf("  %-20s   %s=%s%s", "", an ? an : "?", at ? at : "?",
             json_is_true(json_object_get(a, "required")) ? " *" : "");
      json_t *opts = json_object_get(a, "options");
      if (json_array_size(opts)) {
        size_t q; json_t *o;
        printf(" (");
        json_array_foreach(opts, q, o) printf("%s%s", q ? " | " : "", json_string_value(o));
        printf(")");
      }
      json_t *dv = json_object_get(a, "default");
      if (dv) {
        char *t = dt_json_show(dv);
        printf(" default %s", t ? t : "?");
        free(t);
      }
      const char *adoc = json_string_value(json_object_get(a, "doc"));
      if (adoc) printf(" - %s", adoc);
      printf("\n");
    }
  }
}

static void show_decisions(joiner_t *j) {
  const char *k; json_t *d;
  if (!json_object_size(j->decisions)) printf("no pending decisions\n");
  json_object_foreach(j->decisions, k, d) print_text(d);
}

static void command(joiner_t *j, const char *line);

/* Leaves at the end of the input once every request has its answer. */
static void maybe_leave(joiner_t *j) {
  if (j->eof && j->authed && !j->done && !j->waiting && !json_array_size(j->queued)) leave(j);
}

static void handle(joiner_t *j, const char *line, size_t n) {
  json_t *o = json_loadb(line, n, 0, NULL);
  const char *type = json_string_value(json_object_get(o, "type"));
  if (!type) { json_decref(o); return; }
  json_t *id = json_object_get(o, "id");
  if (id && j->waiting > 0 &&
      (!strcmp(type, "ack") || !strcmp(type, "error") || !strcmp(type, "status") ||
       !strcmp(type, "pong")))
    j->waiting--;
  if (!strcmp(type, "event")) {
    json_int_t seq = json_integer_value(json_object_get(o, "seq"));
    if (seq > j->last_seq) j->last_seq = seq;
    const char *kind = json_string_value(json_object_get(o, "kind"));
    /* The question itself comes as a decision message. */
    if (!kind || strcmp(kind, "decision.asked")) print_text(o);
    if (kind && !strcmp(kind, "decision.made")) {
      const char *d = json_string_value(json_object_get(json_object_get(o, "data"), "decision"));
      if (d) json_object_del(j->decisions, d);
    }
  } else if (!strcmp(type, "moves")) {
    /* The seat's offer changed (a move's precondition): the new list. */
    json_decref(j->moves);
    j->moves = json_incref(json_object_get(o, "moves"));
    print_text(o);
  } else if (!strcmp(type, "welcome")) {
    j->authed = 1; j->tries = 0;
    print_text(o);
    json_decref(j->moves);
    j->moves = json_incref(json_object_get(o, "moves"));
    show_moves(j);
    json_t *inj = json_object_get(o, "injects");
    if (json_array_size(inj)) {
      size_t i; json_t *v;
      printf("injects:");
      json_array_foreach(inj, i, v)
          printf(" %s", json_is_string(v) ? json_string_value(v)
                                          : json_string_value(json_object_get(v, "name")));
      printf("\n");
    }
    json_object_clear(j->decisions);
    size_t i; json_t *d;
    json_array_foreach(json_object_get(o, "decisions"), i, d) {
      const char *k = json_string_value(json_object_get(d, "decision"));
      if (k) json_object_set(j->decisions, k, d);
    }
    show_decisions(j);
    json_t *q = j->queued;
    j->queued = json_array();
    json_t *v;
    json_array_foreach(q, i, v) command(j, json_string_value(v));
    json_decref(q);
  } else if (!strcmp(type, "decision")) {
    const char *k = json_string_value(json_object_get(o, "decision"));
    if (k) json_object_set(j->decisions, k, o);
    print_text(o);
  } else if (!strcmp(type, "error")) {
    print_text(o);
    const char *code = json_string_value(json_object_get(o, "code"));
    if (code && !strcmp(code, "auth")) {
      fprintf(stderr, "detente join: the server refused seat '%s': wrong seat or token "
                      "(use the token the server printed for this seat)\n", j->seat);
      j->done = 1; j->code = DT_EXIT_IO;
    }
  } else if (!strcmp(type, "bye")) {
    print_text(o);
    j->done = 1;
  } else {
    print_text(o);
  }
  fflush(stdout);
  json_decref(o);
  maybe_leave(j);
}

static void on_closed(uv_handle_t *h) {
  joiner_t *j = h->data;
  int was = j->tcp_open;
  j->tcp_open = 0;
  if (j->done) {
    if (j->stdin_open) {
      uv_read_stop((uv_stream_t *)&j->in.pipe);
      uv_close((uv_handle_t *)&j->in.pipe, NULL);
      j->stdin_open = 0;
    }
    if (!uv_is_closing((uv_handle_t *)&j->retry)) uv_close((uv_handle_t *)&j->retry, NULL);
    return;
  }
  if (was && j->tries == 0) printf("(connection lost; reconnecting)\n");
  fflush(stdout);
  uv_timer_start(&j->retry, (uv_timer_cb)(void (*)(void))connect_now, 1000, 0);
}

static void drop(joiner_t *j) {
  j->connected = j->authed = 0;
  j->waiting = 0;   /* answers to what was sent are lost with the connection */
  if (j->tcp_open && !uv_is_closing((uv_handle_t *)&j->tcp))
    uv_close((uv_handle_t *)&j->tcp, on_closed);
}

static void leave(joiner_t *j) {
  j->done = 1;
  if (j->tcp_open) drop(j);
  else on_closed((uv_handle_t *)&j->tcp);
}

static void on_alloc(uv_handle_t *h, size_t sz, uv_buf_t *b) {
  joiner_t *j = h->data;
  (void)sz;
  b->base = j->buf + j->len;
  b->len = sizeof j->buf - 1 - j->len;
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b) {
  joiner_t *j = st->data;
  (void)b;
  if (n < 0) { drop(j); return; }
  j->len += (size_t)n;
  char *p = j->buf, *end = j->buf + j->len, *nl;
  while (!j->done && (nl = memchr(p, '\n', (size_t)(end - p)))) {
    handle(j, p, (size_t)(nl - p));
    p = nl + 1;
  }
  j->len = (size_t)(end - p);
  memmove(j->buf, p, j->len);
  if (j->len >= sizeof j->buf - 1) j->len = 0;   /* a line too long for the protocol */
  if (j->done) drop(j);
}

static void on_connect(uv_connect_t *req, int status) {
  joiner_t *j = req->data;
  if (status < 0) {
    if (++j->tries >= 30) {
      fprintf(stderr, "detente join: cannot connect: %s\n", uv_strerror(status));
      j->done = 1; j->code = DT_EXIT_IO;
    }
    drop(j);
    return;
  }
  j->connected = 1;
  uv_read_start((uv_stream_t *)&j->tcp, on_alloc, on_read);
  send_msg(j, json_pack("{s:s,s:i,s:s,s:s,s:I}", "type", "hello", "v", DT_PROTO_VERSION, "seat",
                        j->seat, "token", j->token, "last_seq", (json_int_t)j->last_seq));
}

static void connect_now(joiner_t *j) {
  uv_tcp_init(j->loop, &j->tcp);
  j->tcp.data = j; j->tcp_open = 1; j->len = 0;
  j->creq.data = j;
  if (uv_tcp_connect(&j->creq, &j->tcp, (struct sockaddr *)&j->addr, on_connect) < 0) drop(j);
}

static void command(joiner_t *j, const char *line) {
  while (*line == ' ' || *line == '\t') line++;
  if (!*line || j->done) return;
  char w1[16] = "";
  sscanf(line, "%15s", w1);
  if (!strcmp(w1, "quit") || !strcmp(w1, "exit")) { leave(j); return; }
  if (!strcmp(w1, "help")) { printf("commands:\n%s%s", dt_proto_command_help, usage_more); return; }
  if (!j->authed) {
    json_array_append_new(j->queued, json_string(line));   /* sent once joined */
    return;
  }
  if (!strcmp(w1, "moves")) { show_moves(j); return; }
  if (!strcmp(w1, "decisions")) { show_decisions(j); return; }
  char why[256];
  json_t *o = dt_proto_command(line, j->facilitator, why, sizeof why);
  if (!o) {
    if (why[0]) printf("!! %s\n", why);
    else printf("!! unknown command '%.64s' (type help for the list)\n", line);
    return;
  }
  /* The typed line is the request's id, so its answer says what it answers. */
  if (!json_object_get(o, "id"))
    json_object_set_new(o, "id", line[0] == '{' ? json_integer(++j->next_id) : json_string(line));
  if (send_msg(j, o) == 0) j->waiting++;
}

static void feed_input(joiner_t *j, const char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (p[i] != '\n') { if (j->alen < sizeof j->acc - 1) j->acc[j->alen++] = p[i]; continue; }
    while (j->alen && (j->acc[j->alen - 1] == '\r' || j->acc[j->alen - 1] == ' ')) j->alen--;
    j->acc[j->alen] = 0; j->alen = 0;
    command(j, j->acc);
  }
  fflush(stdout);
}

static void input_ended(joiner_t *j) {
  if (j->alen) feed_input(j, "\n", 1);   /* a last line without its newline */
  j->eof = 1;
  maybe_leave(j);
}

static void on_stdin(uv_stream_t *st, ssize_t n, const uv_buf_t *b) {
  joiner_t *j = st->data;
  if (n < 0) {
    uv_read_stop(st);
    uv_close((uv_handle_t *)st, NULL);
    j->stdin_open = 0;
    free(b->base);
    input_ended(j);
    return;
  }
  feed_input(j, b->base, (size_t)n);
  free(b->base);
}

static void stdin_alloc(uv_handle_t *h, size_t sz, uv_buf_t *b) {
  (void)h;
  b->base = malloc(sz); b->len = b->base ? sz : 0;
}

/* Standard input from a terminal or a pipe is read on the loop; from a file
 * (`< commands.txt`), at once: its commands are sent once the seat is joined. */
static void open_input(joiner_t *j) {
  uv_handle_type t = uv_guess_handle(0);
  int rc = -1;
  if (t == UV_TTY) rc = uv_tty_init(j->loop, &j->in.tty, 0, 1);
  else if (t == UV_NAMED_PIPE)
    rc = uv_pipe_init(j->loop, &j->in.pipe, 0) || uv_pipe_open(&j->in.pipe, 0);
  if (rc == 0) {
    j->in.pipe.data = j; j->stdin_open = 1;
    uv_read_start((uv_stream_t *)&j->in.pipe, stdin_alloc, on_stdin);
    return;
  }
  if (t == UV_FILE) {
    char b[4096];
    ssize_t n;
    size_t total = 0;
    while ((n = read(0, b, sizeof b)) > 0 && total < (1u << 20)) {
      feed_input(j, b, (size_t)n);
      total += (size_t)n;
    }
    input_ended(j);
  }
}

int dt_cmd_join(int argc, char **argv) {
  static joiner_t j;
  memset(&j, 0, sizeof j);
  const char *hostport = NULL;
  j.token = getenv("DETENTE_TOKEN");
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      printf("%s%s%s", usage, dt_proto_command_help, usage_more);
      return 0;
    }
    if (!strcmp(a, "--seat") || !strcmp(a, "--token")) {
      if (i + 1 >= argc) {
        dt_cli_usage_error("join", "%s needs a value", a);
        return DT_EXIT_USAGE;
      }
      if (!strcmp(a, "--seat")) j.seat = argv[++i]; else j.token = argv[++i];
      continue;
    }
    if (a[0] == '-') { dt_cli_usage_error("join", "unknown option '%s'", a); return DT_EXIT_USAGE; }
    if (hostport) { dt_cli_usage_error("join", "one HOST:PORT"); return DT_EXIT_USAGE; }
    hostport = a;
  }
  if (!hostport || !j.seat || !j.token || !*j.token) {
    fprintf(stderr, "%s%s%s", usage, dt_proto_command_help, usage_more);
    return DT_EXIT_USAGE;
  }
  j.facilitator = !strcmp(j.seat, "facilitator");
  char host[256];
  const char *colon = strrchr(hostport, ':');
  char *pend;
  long port = colon ? strtol(colon + 1, &pend, 10) : -1;
  if (!colon || (size_t)(colon - hostport) >= sizeof host || !colon[1] || *pend || port < 1 ||
      port > 65535) {
    dt_cli_usage_error("join", "expected HOST:PORT, got '%s'", hostport);
    return DT_EXIT_USAGE;
  }
  memcpy(host, hostport, (size_t)(colon - hostport)); host[colon - hostport] = 0;
  if (uv_ip4_addr(host, (int)port, (struct sockaddr_in *)&j.addr) &&
      uv_ip6_addr(host, (int)port, (struct sockaddr_in6 *)&j.addr)) {
    dt_cli_usage_error("join", "bad address '%s' (give an IP address such as 127.0.0.1)", host);
    return DT_EXIT_USAGE;
  }
  j.loop = uv_default_loop();
  j.decisions = json_object();
  j.queued = json_array();
  uv_timer_init(j.loop, &j.retry);
  j.retry.data = &j;
  j.tcp.data = &j;
  open_input(&j);
  connect_now(&j);
  uv_run(j.loop, UV_RUN_DEFAULT);
  json_decref(j.decisions);
  json_decref(j.moves);
  json_decref(j.queued);
  uv_loop_close(j.loop);
  return j.code;
}
