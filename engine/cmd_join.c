/* cmd_join.c: `detente join`: the terminal client of a seat. Shows the seat's
 * timeline, its pending decisions with their deadlines and its moves; sends
 * answers and moves; reconnects after a drop and asks only for what it missed.
 * Owns one connection and the terminal; the session lives in the server. */
#include "cli.h"
#include "protocol.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

static const char usage[] =
  "usage: detente join HOST:PORT --seat ID --token T\n"
  "\n"
  "Joins a live session as seat ID (or as 'facilitator'). Type:\n"
  "  answer D1 OPTION          answer a pending decision\n"
  "  move NAME [key=value...]  make a move (or: move NAME {\"json\":\"args\"})\n"
  "  decisions | moves | status | help | quit\n"
  "  pause | resume | end      (facilitator)\n"
  "  {...}                     send a raw protocol message (docs/protocol.md)\n"
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
  int64_t last_seq;
  int connected, authed, done, tries, code, stdin_open, tcp_open;
  char buf[DT_PROTO_MAXLINE + 1]; size_t len;
  json_t *decisions;   /* pending, by id */
  json_t *moves;
  json_t *queued;      /* commands typed before the seat was joined */
  int next_id;
} joiner_t;

static void connect_now(joiner_t *j);

static void on_written(uv_write_t *w, int status) { (void)status; free(w->data); free(w); }

static void send_msg(joiner_t *j, json_t *o) {
  if (!j->connected) { printf("(not connected; try again in a moment)\n"); json_decref(o); return; }
  char *s = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  if (!s) return;
  size_t n = strlen(s);
  char *line = realloc(s, n + 2);
  if (!line) { free(s); return; }
  line[n] = '\n';
  uv_write_t *w = malloc(sizeof *w);
  if (!w) { free(line); return; }
  w->data = line;
  uv_buf_t b = uv_buf_init(line, (unsigned)n + 1);
  if (uv_write(w, (uv_stream_t *)&j->tcp, &b, 1, on_written) < 0) { free(line); free(w); }
}

static void show_decision(json_t *d) {
  json_t *opts = json_object_get(d, "options");
  printf(">> decision %s for %s: %s  options:", json_string_value(json_object_get(d, "decision")),
         json_string_value(json_object_get(d, "seat")), json_string_value(json_object_get(d, "name")));
  size_t i; json_t *v;
  json_array_foreach(opts, i, v) printf(" %s", json_string_value(v));
  json_t *dl = json_object_get(d, "deadline");
  printf("  (default %s%s%s)\n", json_string_value(json_object_get(d, "default")),
         json_is_string(dl) ? ", deadline " : ", no deadline", json_is_string(dl) ? json_string_value(dl) : "");
  json_t *ctx = json_object_get(d, "context");
  if (json_object_size(ctx)) {
    char *c = json_dumps(ctx, JSON_COMPACT | JSON_SORT_KEYS);
    if (c) printf("   context %s\n", c);
    free(c);
  }
}

static void show_moves(joiner_t *j) {
  size_t i; json_t *m;
  printf("moves:");
  if (!json_array_size(j->moves)) printf(" none");
  printf("\n");
  json_array_foreach(j->moves, i, m) {
    const char *doc = json_string_value(json_object_get(m, "doc"));
    printf("  %-20s %s\n", json_string_value(json_object_get(m, "name")), doc ? doc : "");
  }
}

static void command(joiner_t *j, char *line);

static void handle(joiner_t *j, const char *line, size_t n) {
  json_t *o = json_loadb(line, n, 0, NULL);
  const char *type = json_string_value(json_object_get(o, "type"));
  if (!type) { json_decref(o); return; }
  if (!strcmp(type, "event")) {
    json_int_t seq = json_integer_value(json_object_get(o, "seq"));
    if (seq > j->last_seq) j->last_seq = seq;
    const char *by = json_string_value(json_object_get(o, "by"));
    const char *text = json_string_value(json_object_get(o, "text"));
    const char *kind = json_string_value(json_object_get(o, "kind"));
    if (text && strcmp(kind, "decision.asked"))
      printf("%s  %-6s %s\n", json_string_value(json_object_get(o, "date")), by ? by : "-", text);
    if (!strcmp(kind, "decision.made")) {
      json_t *data = json_object_get(o, "data");
      json_object_del(j->decisions, json_string_value(json_object_get(data, "decision")) ?
                      json_string_value(json_object_get(data, "decision")) : "");
    }
  } else if (!strcmp(type, "welcome")) {
    j->authed = 1; j->tries = 0;
    printf("joined '%s' as %s at %s\n", json_string_value(json_object_get(o, "title")),
           json_string_value(json_object_get(o, "seat")), json_string_value(json_object_get(o, "clock")));
    json_decref(j->moves);
    j->moves = json_incref(json_object_get(o, "moves"));
    json_object_clear(j->decisions);
    size_t i; json_t *d;
    json_array_foreach(json_object_get(o, "decisions"), i, d) {
      json_object_set(j->decisions, json_string_value(json_object_get(d, "decision")), d);
      show_decision(d);
    }
    json_t *q = j->queued;
    j->queued = json_array();
    json_t *v;
    json_array_foreach(q, i, v) {
      char buf[8192];
      snprintf(buf, sizeof buf, "%s", json_string_value(v));
      command(j, buf);
    }
    json_decref(q);
  } else if (!strcmp(type, "decision")) {
    json_object_set(j->decisions, json_string_value(json_object_get(o, "decision")), o);
    show_decision(o);
  } else if (!strcmp(type, "ack")) {
    json_t *acc = json_object_get(o, "accepted");
    if (json_is_false(acc)) printf("!! move rejected: %s\n", json_string_value(json_object_get(o, "reason")));
    else printf("ok (input %lld)\n", (long long)json_integer_value(json_object_get(o, "input")));
  } else if (!strcmp(type, "error")) {
    printf("!! %s: %s\n", json_string_value(json_object_get(o, "code")), json_string_value(json_object_get(o, "message")));
    if (!strcmp(json_string_value(json_object_get(o, "code")), "auth")) { j->done = 1; j->code = DT_EXIT_IO; }
  } else if (!strcmp(type, "message")) {
    printf("** %s: %s\n", json_string_value(json_object_get(o, "from")), json_string_value(json_object_get(o, "text")));
  } else if (!strcmp(type, "bye")) {
    printf("the session has ended\n");
    j->done = 1;
  } else {
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s) printf("%s\n", s);
    free(s);
  }
  fflush(stdout);
  json_decref(o);
}

static void on_closed(uv_handle_t *h) {
  joiner_t *j = h->data;
  j->tcp_open = 0;
  if (j->done) {
    if (j->stdin_open) { uv_read_stop((uv_stream_t *)&j->in.pipe); uv_close((uv_handle_t *)&j->in.pipe, NULL); j->stdin_open = 0; }
    uv_close((uv_handle_t *)&j->retry, NULL);
    return;
  }
  printf("(connection lost; reconnecting)\n");
  fflush(stdout);
  uv_timer_start(&j->retry, (uv_timer_cb)(void (*)(void))connect_now, 1000, 0);
}

static void drop(joiner_t *j) {
  j->connected = j->authed = 0;
  if (j->tcp_open && !uv_is_closing((uv_handle_t *)&j->tcp)) uv_close((uv_handle_t *)&j->tcp, on_closed);
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
  while ((nl = memchr(p, '\n', (size_t)(end - p)))) { handle(j, p, (size_t)(nl - p)); p = nl + 1; }
  j->len = (size_t)(end - p);
  memmove(j->buf, p, j->len);
  if (j->len >= sizeof j->buf - 1) j->len = 0;   /* a line too long for the protocol */
  if (j->done) drop(j);
}

static void on_connect(uv_connect_t *req, int status) {
  joiner_t *j = req->data;
  if (status < 0) {
    if (++j->tries >= 30) { fprintf(stderr, "detente join: cannot connect: %s\n", uv_strerror(status)); j->done = 1; j->code = DT_EXIT_IO; }
    drop(j);
    return;
  }
  j->connected = 1;
  uv_read_start((uv_stream_t *)&j->tcp, on_alloc, on_read);
  send_msg(j, json_pack("{s:s,s:i,s:s,s:s,s:I}", "type", "hello", "v", DT_PROTO_VERSION, "seat", j->seat,
                        "token", j->token, "last_seq", (json_int_t)j->last_seq));
}

static void connect_now(joiner_t *j) {
  uv_tcp_init(j->loop, &j->tcp);
  j->tcp.data = j; j->tcp_open = 1; j->len = 0;
  j->creq.data = j;
  if (uv_tcp_connect(&j->creq, &j->tcp, (struct sockaddr *)&j->addr, on_connect) < 0) drop(j);
}

static void command(joiner_t *j, char *line) {
  while (*line == ' ') line++;
  if (!*line) return;
  if (!j->authed && strncmp(line, "quit", 4) && strncmp(line, "exit", 4)) {
    json_array_append_new(j->queued, json_string(line));   /* sent once joined */
    return;
  }
  if (*line == '{') {
    json_t *o = json_loads(line, 0, NULL);
    if (!o) { printf("!! not JSON\n"); return; }
    send_msg(j, o);
    return;
  }
  char w1[32] = "", w2[256] = "", w3[256] = "";
  int n = sscanf(line, "%31s %255s %255s", w1, w2, w3);
  if (!strcmp(w1, "quit") || !strcmp(w1, "exit")) { j->done = 1; drop(j); if (!j->tcp_open) on_closed((uv_handle_t *)&j->tcp); return; }
  if (!strcmp(w1, "answer") && n == 3) {
    send_msg(j, json_pack("{s:s,s:i,s:s,s:s}", "type", "answer", "id", ++j->next_id, "decision", w2, "option", w3));
    return;
  }
  if (!strcmp(w1, "move") && n >= 2) {
    const char *rest = strstr(line, w2) + strlen(w2);
    while (*rest == ' ') rest++;
    json_t *args;
    if (*rest == '{') {
      args = json_loads(rest, 0, NULL);
      if (!json_is_object(args)) { json_decref(args); printf("!! args must be a JSON object\n"); return; }
    } else {
      args = json_object();
      char tmp[1024];
      snprintf(tmp, sizeof tmp, "%s", rest);
      for (char *save = NULL, *t = strtok_r(tmp, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(t, '=');
        if (!eq) { printf("!! arguments are key=value\n"); json_decref(args); return; }
        *eq = 0;
        char *end;
        double v = strtod(eq + 1, &end);
        json_object_set_new(args, t, *end || end == eq + 1 ? json_string(eq + 1) : v == (double)(long long)v ? json_integer((json_int_t)v) : json_real(v));
      }
    }
    send_msg(j, json_pack("{s:s,s:i,s:s,s:o}", "type", "move", "id", ++j->next_id, "move", w2, "args", args));
    return;
  }
  if (!strcmp(w1, "status") || !strcmp(w1, "pause") || !strcmp(w1, "resume") || !strcmp(w1, "end")) {
    send_msg(j, json_pack("{s:s,s:i}", "type", w1, "id", ++j->next_id));
    return;
  }
  if (!strcmp(w1, "moves")) { show_moves(j); return; }
  if (!strcmp(w1, "decisions")) {
    const char *k; json_t *d;
    if (!json_object_size(j->decisions)) printf("no pending decisions\n");
    json_object_foreach(j->decisions, k, d) show_decision(d);
    return;
  }
  printf("commands: answer D1 OPTION | move NAME [key=value...] | decisions | moves | status | quit | {json}\n");
}

static void on_stdin(uv_stream_t *st, ssize_t n, const uv_buf_t *b) {
  joiner_t *j = st->data;
  static char acc[8192]; static size_t alen;
  if (n < 0) {   /* end of input: leave once what was typed has gone out */
    uv_read_stop(st);
    uv_close((uv_handle_t *)st, NULL);
    j->stdin_open = 0;
    free(b->base);
    return;
  }
  for (ssize_t i = 0; i < n; i++) {
    if (b->base[i] != '\n') { if (alen < sizeof acc - 1) acc[alen++] = b->base[i]; continue; }
    acc[alen] = 0; alen = 0;
    command(j, acc);
  }
  fflush(stdout);
  free(b->base);
}

static void stdin_alloc(uv_handle_t *h, size_t sz, uv_buf_t *b) {
  (void)h;
  b->base = malloc(sz); b->len = b->base ? sz : 0;
}

int dt_cmd_join(int argc, char **argv) {
  static joiner_t j;
  memset(&j, 0, sizeof j);
  const char *hostport = NULL;
  j.token = getenv("DETENTE_TOKEN");
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage, stdout); return 0; }
    if (!strcmp(a, "--seat") || !strcmp(a, "--token")) {
      if (i + 1 >= argc) { dt_cli_usage_error("join", "%s needs a value", a); return DT_EXIT_USAGE; }
      if (!strcmp(a, "--seat")) j.seat = argv[++i]; else j.token = argv[++i];
      continue;
    }
    if (a[0] == '-') { dt_cli_usage_error("join", "unknown option '%s'", a); return DT_EXIT_USAGE; }
    if (hostport) { dt_cli_usage_error("join", "one HOST:PORT"); return DT_EXIT_USAGE; }
    hostport = a;
  }
  if (!hostport || !j.seat || !j.token) { fputs(usage, stderr); return DT_EXIT_USAGE; }
  char host[256];
  const char *colon = strrchr(hostport, ':');
  if (!colon || (size_t)(colon - hostport) >= sizeof host) { dt_cli_usage_error("join", "expected HOST:PORT, got '%s'", hostport); return DT_EXIT_USAGE; }
  memcpy(host, hostport, (size_t)(colon - hostport)); host[colon - hostport] = 0;
  int port = atoi(colon + 1);
  if (uv_ip4_addr(host, port, (struct sockaddr_in *)&j.addr) && uv_ip6_addr(host, port, (struct sockaddr_in6 *)&j.addr)) {
    dt_cli_usage_error("join", "bad address '%s'", host);
    return DT_EXIT_USAGE;
  }
  j.loop = uv_default_loop();
  j.decisions = json_object();
  j.queued = json_array();
  uv_timer_init(j.loop, &j.retry);
  j.retry.data = &j;
  uv_handle_type t = uv_guess_handle(0);
  int rc = -1;
  if (t == UV_TTY) rc = uv_tty_init(j.loop, &j.in.tty, 0, 1);
  else if (t == UV_NAMED_PIPE) rc = uv_pipe_init(j.loop, &j.in.pipe, 0) || uv_pipe_open(&j.in.pipe, 0);
  if (rc == 0) {
    j.in.pipe.data = &j; j.stdin_open = 1;
    uv_read_start((uv_stream_t *)&j.in.pipe, stdin_alloc, on_stdin);
  }
  connect_now(&j);
  uv_run(j.loop, UV_RUN_DEFAULT);
  json_decref(j.decisions);
  json_decref(j.moves);
  json_decref(j.queued);
  uv_loop_close(j.loop);
  return j.code;
}
