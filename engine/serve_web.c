/* serve_web.c: the browser transport of `detente serve --http` (serve_web.h).
 * Owns the HTTP listener and its connections on the server's libuv loop; each
 * connection's bytes go through the web layer (web.c), and a page's WebSocket
 * becomes a hub peer like a TCP client, with views (view.h) for its charts
 * and forms. What messages mean and when output may leave are the hub's. */
#include "serve_web.h"
#include "web.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A connection that is not a WebSocket, or a page that never says hello, is
 * closed after this long without a request. */
enum { IDLE_MS = 30000 };

struct dt_serve_web {
  uv_loop_t *loop;
  uv_tcp_t listener;
  dt_hub_t *hub;
  dt_web_t *web;
  int auth_timeout_ms;
  char journal[4096], report[4096];
  uv_process_t child;            /* `detente replay --report`, while running */
  int child_running;
  struct wconn *asker;           /* the page that asked for the report (NULL once gone) */
  char asker_id[80];             /* its request's id, as JSON */
};

typedef struct wconn {
  uv_tcp_t tcp;
  uv_timer_t timer;
  dt_serve_web_t *t;
  dt_web_conn_t *web;
  dt_peer_t *p;                  /* once the WebSocket is open */
  int open_handles, closing;
  char *pend; size_t plen, pcap; /* bytes the web layer wrote, leaving in one write */
  char name[64];
} wconn_t;

typedef struct wreq { uv_write_t req; char *buf; } wreq_t;

static void on_written(uv_write_t *req, int status) {
  wreq_t *w = (wreq_t *)req;
  (void)status;
  free(w->buf);
  free(w);
}

static void on_closed(uv_handle_t *hd) {
  wconn_t *c = hd->data;
  if (--c->open_handles > 0) return;
  if (c->t->asker == c) c->t->asker = NULL;
  dt_peer_free(c->p);
  dt_web_conn_free(c->web);
  free(c->pend);
  free(c);
}

static void close_now(wconn_t *c) {
  if (c->closing) return;
  c->closing = 1;
  uv_read_stop((uv_stream_t *)&c->tcp);
  uv_close((uv_handle_t *)&c->tcp, on_closed);
  uv_close((uv_handle_t *)&c->timer, on_closed);
}

static void on_shutdown(uv_shutdown_t *req, int status) {
  (void)status;
  wconn_t *c = req->data;
  free(req);
  close_now(c);
}

static void push(wconn_t *c);

/* Closes once what was written has left. */
static void close_gracefully(wconn_t *c) {
  if (c->closing) return;
  push(c);
  uv_read_stop((uv_stream_t *)&c->tcp);
  uv_shutdown_t *req = malloc(sizeof *req);
  if (req) {
    req->data = c;
    if (uv_shutdown(req, (uv_stream_t *)&c->tcp, on_shutdown) == 0) return;
    free(req);
  }
  close_now(c);
}

/* ---- what the web layer asks of the transport -------------------------------- */

/* What the web layer writes is gathered (a burst of events is many frames)
 * and leaves in one write when the layer returns: push(). */
static void web_write(void *ud, dt_web_conn_t *w, const char *p, size_t n) {
  (void)ud;
  wconn_t *c = dt_web_conn_ud(w);
  if (c->closing || !n) return;
  if (c->plen + n > c->pcap) {
    size_t nc = c->pcap ? c->pcap : 4096;
    while (nc < c->plen + n) nc *= 2;
    char *b = realloc(c->pend, nc);
    if (!b) { close_now(c); return; }
    c->pend = b; c->pcap = nc;
  }
  memcpy(c->pend + c->plen, p, n);
  c->plen += n;
}

static void push(wconn_t *c) {
  if (c->closing || !c->plen) return;
  wreq_t *r = malloc(sizeof *r);
  if (!r) { close_now(c); return; }
  r->buf = c->pend;
  uv_buf_t b = uv_buf_init(c->pend, (unsigned)c->plen);
  c->pend = NULL; c->plen = c->pcap = 0;
  if (uv_write(&r->req, (uv_stream_t *)&c->tcp, &b, 1, on_written) < 0) {
    free(r->buf);
    free(r);
    close_now(c);
  }
}

static void web_close(void *ud, dt_web_conn_t *w) {
  (void)ud;
  close_gracefully(dt_web_conn_ud(w));
}

/* The seat a token opens, and the person's role there. */
static int web_login(void *ud, const char *token, char *seat, size_t seatlen, char *role,
                     size_t rolelen) {
  dt_serve_web_t *t = ud;
  return dt_hub_login(t->hub, token, seat, seatlen, role, rolelen) == DT_PEER_NOSEAT ? -1 : 0;
}

/* ---- the hub's peer operations for a page's WebSocket ------------------------ */

static int ws_write(dt_peer_t *p, char *buf, size_t len) {
  wconn_t *c = p->ud;
  int r = c->closing ? -1 : dt_web_send_lines(c->web, buf, len);
  free(buf);
  push(c);
  return r;
}

static size_t ws_queued(dt_peer_t *p) {
  wconn_t *c = p->ud;
  return c->closing ? 0 : uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp);
}

static void ws_close(dt_peer_t *p, int graceful) {
  wconn_t *c = p->ud;
  if (graceful && !c->closing) {
    dt_web_close_ws(c->web, 1000, "the session closed this connection");
    close_gracefully(c);
  } else {
    close_now(c);
  }
}

static const dt_peer_ops_t ws_ops = { ws_write, ws_queued, ws_close };

static void web_ws_open(void *ud, dt_web_conn_t *w) {
  dt_serve_web_t *t = ud;
  wconn_t *c = dt_web_conn_ud(w);
  c->p = dt_hub_attach(t->hub, &ws_ops, c, c->name);
  if (!c->p) { close_now(c); return; }
  c->p->views = 1;
  uv_timer_stop(&c->timer);     /* on_read starts the hello's deadline */
}

/* ---- the after-action report, made by a child process ------------------------- */

/* A line straight to one page (not session output: nothing to journal). */
static void tell(wconn_t *c, json_t *o) {
  char *s = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  if (s && !c->closing) {
    size_t n = strlen(s);
    char *line = malloc(n + 2);
    if (line) {
      snprintf(line, n + 2, "%s\n", s);
      dt_web_send_lines(c->web, line, n + 1);
      free(line);
      push(c);
    }
  }
  free(s);
}

static json_t *with_asker_id(dt_serve_web_t *t, json_t *o) {
  json_t *id = json_loads(t->asker_id, JSON_DECODE_ANY, NULL);
  if (id) json_object_set_new(o, "id", id);
  return o;
}

static void on_child_closed(uv_handle_t *hd) { ((dt_serve_web_t *)hd->data)->child_running = 0; }

static void on_child_exit(uv_process_t *proc, int64_t status, int sig) {
  dt_serve_web_t *t = proc->data;
  if (status == 0 && sig == 0) dt_web_set_report(t->web, t->report);
  if (t->asker)
    tell(t->asker, with_asker_id(t, status == 0 && sig == 0
        ? json_pack("{s:s,s:s}", "type", "report", "url", "/report.html")
        : json_pack("{s:s,s:s,s:s}", "type", "error", "code", "report", "message",
                    "the after-action report could not be made (see the server's log)")));
  t->asker = NULL;
  uv_close((uv_handle_t *)proc, on_child_closed);
}

/* The white cell asks for the report: the journal so far is replayed by
 * another process (`detente replay --report`), so the session never waits. */
static void start_report(dt_serve_web_t *t, wconn_t *c, json_t *id) {
  char *ids = id ? json_dumps(id, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
  snprintf(t->asker_id, sizeof t->asker_id, "%s",
           ids && strlen(ids) < sizeof t->asker_id ? ids : "null");
  free(ids);
  if (t->child_running) {
    json_t *saved = json_loads(t->asker_id, JSON_DECODE_ANY, NULL);
    json_t *o = json_pack("{s:s,s:s,s:s}", "type", "error", "code", "busy", "message",
                          "a report is being made; ask again in a moment");
    if (saved) json_object_set_new(o, "id", saved);
    tell(c, o);
    return;
  }
  char *args[] = { "/proc/self/exe", "replay", t->journal, "--report", t->report, "--quiet", NULL };
  uv_stdio_container_t io[3] = { { .flags = UV_IGNORE },
                                 { .flags = UV_IGNORE },
                                 { .flags = UV_INHERIT_FD, .data.fd = 2 } };
  uv_process_options_t po;
  memset(&po, 0, sizeof po);
  po.file = args[0]; po.args = args; po.exit_cb = on_child_exit;
  po.stdio = io; po.stdio_count = 3;
  t->child.data = t;
  if (uv_spawn(t->loop, &t->child, &po) != 0) {
    tell(c, with_asker_id(t, json_pack("{s:s,s:s,s:s}", "type", "error", "code", "report",
                                       "message", "the after-action report could not be started")));
    return;
  }
  t->child_running = 1;
  t->asker = c;
}

static void web_message(void *ud, dt_web_conn_t *w, const char *msg, size_t n) {
  dt_serve_web_t *t = ud;
  wconn_t *c = dt_web_conn_ud(w);
  if (!c->p || c->p->closing) return;
  if (c->p->authed && c->p->seat == DT_PEER_FAC && n < 256) {
    json_t *o = json_loadb(msg, n, 0, NULL);
    int report = json_is_string(json_object_get(o, "type")) &&
                 !strcmp(json_string_value(json_object_get(o, "type")), "report");
    if (report) start_report(t, c, json_object_get(o, "id"));
    json_decref(o);
    if (report) return;
  }
  dt_peer_message(c->p, msg, n);
}

/* ---- connections --------------------------------------------------------------- */

static char readbuf[64 * 1024];
static void on_alloc(uv_handle_t *hd, size_t sz, uv_buf_t *b) {
  (void)hd; (void)sz;
  b->base = readbuf; b->len = sizeof readbuf;
}

static void on_timer(uv_timer_t *tm) {
  wconn_t *c = tm->data;
  if (c->p && !c->p->authed) dt_peer_auth_timeout(c->p);
  else if (!c->p) close_gracefully(c);
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b) {
  wconn_t *c = st->data;
  if (n < 0) {
    if (c->p) dt_peer_close(c->p, 0);
    else close_now(c);
    return;
  }
  if (n == 0 || c->closing) return;
  int had_peer = c->p != NULL;
  int r = dt_web_feed(c->web, b->base, (size_t)n);
  push(c);
  if (c->p && !had_peer) {
    uv_timer_stop(&c->timer);
    uv_timer_start(&c->timer, on_timer, (uint64_t)c->t->auth_timeout_ms, 0);
  } else if (!c->p && !c->closing) {
    uv_timer_again(&c->timer);
  }
  if (r < 0 && !c->closing) {
    if (c->p) dt_peer_close(c->p, 1);
    else close_gracefully(c);
  }
}

static void on_connection(uv_stream_t *server, int status) {
  dt_serve_web_t *t = server->data;
  if (status < 0 || t->hub->ending) return;
  wconn_t *c = calloc(1, sizeof *c);
  if (!c) return;
  c->t = t;
  uv_tcp_init(t->loop, &c->tcp);
  uv_timer_init(t->loop, &c->timer);
  c->tcp.data = c; c->timer.data = c;
  c->open_handles = 2;
  if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0 || !(c->web = dt_web_conn_new(t->web, c))) {
    close_now(c);
    return;
  }
  char addr[56];
  dt__serve_peer_name(&c->tcp, addr, sizeof addr);
  snprintf(c->name, sizeof c->name, "web %s", addr);
  uv_tcp_nodelay(&c->tcp, 1);
  uv_timer_start(&c->timer, on_timer, IDLE_MS, IDLE_MS);
  uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

int dt_serve_web_start(dt_serve_web_t **out, uv_loop_t *loop, dt_hub_t *hub, const char *host,
                       int port, const char *journal, int auth_timeout_ms, int *bound_port,
                       char *err, size_t errlen) {
  dt_serve_web_t *t = calloc(1, sizeof *t);
  if (!t) { snprintf(err, errlen, "out of memory"); return -1; }
  t->loop = loop; t->hub = hub; t->auth_timeout_ms = auth_timeout_ms;
  char sessions[4096 + 8];
  snprintf(t->journal, sizeof t->journal, "%s", journal);
  snprintf(t->report, sizeof t->report, "%s.aar.html", journal);
  snprintf(sessions, sizeof sessions, "%s.web", journal);
  dt_web_hooks_t hk = { web_login, web_ws_open, web_message, web_write, web_close, t };
  if (dt_web_new(&t->web, sessions, &hk, err, errlen) < 0) { free(t); return -1; }
  struct sockaddr_storage addr;
  if (uv_ip4_addr(host, port, (struct sockaddr_in *)&addr) &&
      uv_ip6_addr(host, port, (struct sockaddr_in6 *)&addr)) {
    snprintf(err, errlen, "bad listen address '%s'", host);
    dt_web_free(t->web); free(t);
    return -1;
  }
  uv_tcp_init(loop, &t->listener);
  t->listener.data = t;
  int rc;
  if ((rc = uv_tcp_bind(&t->listener, (struct sockaddr *)&addr, 0)) < 0 ||
      (rc = uv_listen((uv_stream_t *)&t->listener, 128, on_connection)) < 0) {
    snprintf(err, errlen, "cannot listen on %s:%d: %s", host, port, uv_strerror(rc));
    uv_close((uv_handle_t *)&t->listener, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    dt_web_free(t->web); free(t);
    return -1;
  }
  struct sockaddr_storage b; int blen = sizeof b;
  uv_tcp_getsockname(&t->listener, (struct sockaddr *)&b, &blen);
  *bound_port = ntohs(b.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&b)->sin6_port
                                              : ((struct sockaddr_in *)&b)->sin_port);
  dt_hub_enable_views(hub);
  *out = t;
  return 0;
}

void dt_serve_web_stop(dt_serve_web_t *t) {
  if (!t) return;
  uv_close((uv_handle_t *)&t->listener, NULL);
  t->asker = NULL;
}

void dt_serve_web_free(dt_serve_web_t *t) {
  if (!t) return;
  dt_web_free(t->web);
  free(t);
}
