/* web.c: HTTP and WebSocket for the browser pages of a live session.
 * Owns request parsing (http-parser), the routes, the cookie sessions and the
 * WebSocket framing (wslay). It does not own sockets, the loop, or what the
 * messages mean: the server gets each page's messages as protocol lines, and
 * the same checks apply to them as to a TCP client's. */
#include "web.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include <http_parser.h>
#include <jansson.h>
#include <nettle/base64.h>
#include <nettle/sha1.h>
#include <wslay/wslay.h>

#define MAX_HEAD   ((size_t)16 * 1024)   /* request line and headers */
#define MAX_BODY   4096
#define MAX_URL    2048
#define MAX_VALUE  4096
#define MAX_WSMSG  ((uint64_t)64 * 1024)   /* as a TCP protocol line */
#define MAX_SESSIONS 4096
#define COOKIE     "dt_sid"

/* Sent with every response: nothing inline, nothing from elsewhere. */
static const char PAGE_CSP[] =
    "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'\r\n";
/* The after-action report is one self-contained file: its own inline styles
 * and SVG, and no script at all. */
static const char REPORT_CSP[] =
    "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'\r\n";
static const char SECURITY_HEADERS[] =
    "X-Content-Type-Options: nosniff\r\n"
    "X-Frame-Options: DENY\r\n"
    "Referrer-Policy: same-origin\r\n"
    "Cache-Control: no-store\r\n";

typedef struct session { char sid[65]; char token[65]; } session_t;

struct dt_web {
  dt_web_hooks_t h;
  char *report;                  /* the after-action report's file, once made */
  session_t *ss; size_t nss, capss;
  int fd;                        /* the sessions file, or -1 */
};

enum hdr { H_NONE, H_HOST, H_ORIGIN, H_COOKIE, H_UPGRADE, H_KEY, H_VERSION, H_CTYPE, H_COUNT };

struct dt_web_conn {
  dt_web_t *w;
  void *ud;
  http_parser p;
  int ws, done;
  size_t head;                   /* header bytes of the current request */
  char url[MAX_URL + 1]; size_t urllen;
  char field[32]; size_t fieldlen; int field_done;
  enum hdr cur;
  char val[H_COUNT][MAX_VALUE + 1]; size_t vallen[H_COUNT];
  char body[MAX_BODY + 1]; size_t bodylen;
  int too_big;
  /* WebSocket */
  wslay_event_context_ptr ctx;
  const char *in; size_t inlen;  /* bytes wslay has yet to read */
  char token[65], seat[65], role[33];
};

/* ---- cookie sessions ------------------------------------------------------ */

static int hexrand(char *out, size_t bytes) {
  unsigned char b[32];
  if (bytes > sizeof b) return -1;
  size_t got = 0;
  while (got < bytes) {
    ssize_t n = getrandom(b + got, bytes - got, 0);
    if (n < 0) { if (errno == EINTR) continue; return -1; }
    got += (size_t)n;
  }
  for (size_t i = 0; i < bytes; i++) snprintf(out + 2 * i, 3, "%02x", b[i]);
  return 0;
}

static int same(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  unsigned d = (unsigned)(la ^ lb);
  for (size_t i = 0; i < la && i < lb; i++) d |= (unsigned)(a[i] ^ b[i]);
  return d == 0;
}

static int valid_hex(const char *s, size_t min, size_t max) {
  size_t n = 0;
  for (; s[n]; n++)
    if (!isxdigit((unsigned char)s[n])) return 0;
  return n >= min && n <= max;
}

static int add_session(dt_web_t *w, const char *sid, const char *token) {
  if (w->nss == MAX_SESSIONS) {          /* the oldest goes first */
    memmove(w->ss, w->ss + 1, (w->nss - 1) * sizeof *w->ss);
    w->nss--;
  }
  if (w->nss == w->capss) {
    size_t nc = w->capss ? 2 * w->capss : 16;
    session_t *n = realloc(w->ss, nc * sizeof *n);
    if (!n) return -1;
    w->ss = n; w->capss = nc;
  }
  snprintf(w->ss[w->nss].sid, sizeof w->ss[0].sid, "%s", sid);
  snprintf(w->ss[w->nss].token, sizeof w->ss[0].token, "%s", token);
  w->nss++;
  return 0;
}

static session_t *find_session(dt_web_t *w, const char *sid) {
  session_t *hit = NULL;
  for (size_t i = 0; i < w->nss; i++)      /* constant time over the table */
    if (same(w->ss[i].sid, sid)) hit = &w->ss[i];
  return hit;
}

static void load_sessions(dt_web_t *w) {
  FILE *f = fdopen(dup(w->fd), "r");
  if (!f) return;
  char line[256], sid[80], tok[80];
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "%79s %79s", sid, tok) == 2 && valid_hex(sid, 64, 64) && valid_hex(tok, 1, 64))
      add_session(w, sid, tok);
  fclose(f);
}

int dt_web_new(dt_web_t **out, const char *sessions, const dt_web_hooks_t *hooks, char *err,
               size_t errlen) {
  dt_web_t *w = calloc(1, sizeof *w);
  if (!w) { snprintf(err, errlen, "out of memory"); return -1; }
  w->h = *hooks;
  w->fd = -1;
  if (sessions) {
    w->fd = open(sessions, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (w->fd < 0) {
      snprintf(err, errlen, "%s: %s", sessions, strerror(errno));
      free(w);
      return -1;
    }
    load_sessions(w);
  }
  *out = w;
  return 0;
}

void dt_web_free(dt_web_t *w) {
  if (!w) return;
  if (w->fd >= 0) close(w->fd);
  free(w->report);
  free(w->ss);
  free(w);
}

void dt_web_forget_token(dt_web_t *w, const char *token) {
  size_t k = 0;
  for (size_t i = 0; i < w->nss; i++)
    if (!same(w->ss[i].token, token)) w->ss[k++] = w->ss[i];
  w->nss = k;
}

/* A new session is on disk before its cookie leaves, so a restarted server
 * still knows every cookie it gave. */
static int new_session(dt_web_t *w, const char *token, char sid[65]) {
  if (hexrand(sid, 32) < 0) return -1;
  if (w->fd >= 0) {
    char line[160];
    int n = snprintf(line, sizeof line, "%s %s\n", sid, token);
    if (n < 0 || write(w->fd, line, (size_t)n) != n || fdatasync(w->fd) < 0) return -1;
  }
  return add_session(w, sid, token);
}

/* ---- responses ------------------------------------------------------------ */

static void out(dt_web_conn_t *c, const char *p, size_t n) { c->w->h.write(c->w->h.ud, c, p, n); }

static void respond_csp(dt_web_conn_t *c, int code, const char *reason, const char *type,
                        const char *extra, const void *body, size_t len, const char *csp) {
  char head[2048];
  int keep = !c->done && http_should_keep_alive(&c->p);
  int n = snprintf(head, sizeof head,
                   "HTTP/1.1 %d %s\r\n%s%s%sContent-Length: %zu\r\n%s%s%sConnection: %s\r\n\r\n",
                   code, reason, type ? "Content-Type: " : "", type ? type : "", type ? "\r\n" : "",
                   len, csp, SECURITY_HEADERS, extra ? extra : "", keep ? "keep-alive" : "close");
  if (n < 0 || (size_t)n >= sizeof head) return;
  out(c, head, (size_t)n);
  if (len && c->p.method != HTTP_HEAD) out(c, body, len);
  if (!keep) c->done = 1;
}

static void respond(dt_web_conn_t *c, int code, const char *reason, const char *type,
                    const char *extra, const void *body, size_t len) {
  respond_csp(c, code, reason, type, extra, body, len, PAGE_CSP);
}

static void error_page(dt_web_conn_t *c, int code, const char *reason) {
  char body[256];
  int n = snprintf(body, sizeof body, "%d %s\n", code, reason);
  c->done = 1;
  respond(c, code, reason, "text/plain; charset=utf-8", NULL, body, (size_t)n);
}

static void redirect(dt_web_conn_t *c, const char *to, const char *cookie) {
  char extra[512];
  snprintf(extra, sizeof extra, "Location: %s\r\n%s", to, cookie ? cookie : "");
  respond(c, 303, "See Other", NULL, extra, NULL, 0);
}

static const dt_web_asset_t *asset(const char *path) {
  for (size_t i = 0; i < dt_web_nassets; i++)
    if (!strcmp(dt_web_assets[i].path, path)) return &dt_web_assets[i];
  return NULL;
}

static void serve_asset(dt_web_conn_t *c, const char *path) {
  const dt_web_asset_t *a = asset(path);
  if (!a) { error_page(c, 404, "Not Found"); return; }
  respond(c, 200, "OK", a->type, NULL, a->data, a->len);
}

/* ---- requests ------------------------------------------------------------- */

/* The session a request's cookie names, with the token still valid. */
static session_t *cookie_session(dt_web_conn_t *c, char *seat, size_t seatlen, char *role,
                                 size_t rolelen) {
  const char *ck = c->val[H_COOKIE];
  for (const char *p = ck; (p = strstr(p, COOKIE "=")) != NULL; p += sizeof COOKIE) {
    if (p != ck && p[-1] != ' ' && p[-1] != ';') continue;
    char sid[65];
    size_t n = strspn(p + sizeof COOKIE, "0123456789abcdef");
    if (n != 64) continue;
    memcpy(sid, p + sizeof COOKIE, 64); sid[64] = 0;
    session_t *s = find_session(c->w, sid);
    if (s && c->w->h.login &&
        c->w->h.login(c->w->h.ud, s->token, seat, seatlen, role, rolelen) == 0)
      return s;
  }
  return NULL;
}

static int white_cell(const char *role) {
  return !strcmp(role, "facilitator") || !strcmp(role, "umpire") || !strcmp(role, "rfi") ||
         !strcmp(role, "white");
}

static const char *page_for(const char *role) {
  return white_cell(role) ? "/cell.html" : "/team.html";
}

/* Origin, when sent, must be this server: a form or a socket opened by a page
 * from elsewhere is refused. `must` makes a missing Origin an error too. */
static int same_origin(dt_web_conn_t *c, int must) {
  if (!c->vallen[H_ORIGIN]) return !must;
  if (!c->vallen[H_HOST]) return 0;
  char want[MAX_VALUE + 16];
  snprintf(want, sizeof want, "http://%s", c->val[H_HOST]);
  return !strcmp(want, c->val[H_ORIGIN]);
}

static int hexval(int ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  ch = tolower(ch);
  return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Finds `name` in an x-www-form-urlencoded body and decodes it into out. */
static int form_value(const char *body, const char *name, char *outv, size_t outlen) {
  size_t nl = strlen(name);
  for (const char *p = body; *p; ) {
    const char *end = strchr(p, '&');
    if (!end) end = p + strlen(p);
    if ((size_t)(end - p) > nl && !strncmp(p, name, nl) && p[nl] == '=') {
      size_t k = 0;
      for (const char *q = p + nl + 1; q < end; q++) {
        int ch = (unsigned char)*q;
        if (ch == '+') ch = ' ';
        else if (ch == '%' && q + 2 < end + 0 + 1 && hexval(q[1]) >= 0 && hexval(q[2]) >= 0) {
          ch = hexval(q[1]) * 16 + hexval(q[2]); q += 2;
        }
        if (k + 1 >= outlen) return -1;
        outv[k++] = (char)ch;
      }
      outv[k] = 0;
      return 0;
    }
    p = *end ? end + 1 : end;
  }
  return -1;
}

static void do_login(dt_web_conn_t *c) {
  char token[80], seat[65], role[33];
  if (!same_origin(c, 0)) { error_page(c, 403, "Forbidden"); return; }
  if (form_value(c->body, "token", token, sizeof token) < 0) {
    redirect(c, "/?e=missing", NULL);
    return;
  }
  /* Pasted tokens often carry spaces around them. */
  char *t = token;
  while (*t == ' ') t++;
  size_t n = strlen(t);
  while (n && t[n - 1] == ' ') t[--n] = 0;
  if (!valid_hex(t, 1, 64) || !c->w->h.login ||
      c->w->h.login(c->w->h.ud, t, seat, sizeof seat, role, sizeof role) < 0) {
    redirect(c, "/?e=auth", NULL);
    return;
  }
  char sid[65], cookie[256];
  if (new_session(c->w, t, sid) < 0) { error_page(c, 500, "Internal Server Error"); return; }
  snprintf(cookie, sizeof cookie,
           "Set-Cookie: " COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict\r\n", sid);
  redirect(c, page_for(role), cookie);
}

static void do_logout(dt_web_conn_t *c) {
  char seat[65], role[33];
  if (!same_origin(c, 0)) { error_page(c, 403, "Forbidden"); return; }
  session_t *s = cookie_session(c, seat, sizeof seat, role, sizeof role);
  if (s) {   /* forget this cookie only: the person's other browsers stay in */
    size_t i = (size_t)(s - c->w->ss);
    memmove(s, s + 1, (c->w->nss - i - 1) * sizeof *s);
    c->w->nss--;
  }
  redirect(c, "/", "Set-Cookie: " COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0\r\n");
}

static ssize_t ws_recv(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags, void *ud);
static ssize_t ws_send(wslay_event_context_ptr ctx, const uint8_t *d, size_t len, int flags,
                       void *ud);
static void ws_msg(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg *a,
                   void *ud);

static void accept_key(const char *key, char out[29]) {
  static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  struct sha1_ctx h;
  uint8_t d[SHA1_DIGEST_SIZE];
  sha1_init(&h);
  sha1_update(&h, strlen(key), (const uint8_t *)key);
  sha1_update(&h, sizeof guid - 1, (const uint8_t *)guid);
  sha1_digest(&h, sizeof d, d);
  base64_encode_raw((char *)out, sizeof d, d);
  out[28] = 0;
}

static int has_token(const char *list, const char *tok) {
  size_t n = strlen(tok);
  for (const char *p = list; *p; ) {
    while (*p == ' ' || *p == ',') p++;
    const char *e = p;
    while (*e && *e != ',') e++;
    const char *t = e;
    while (t > p && t[-1] == ' ') t--;
    if ((size_t)(t - p) == n && !strncasecmp(p, tok, n)) return 1;
    p = e;
  }
  return 0;
}

static void do_upgrade(dt_web_conn_t *c) {
  static const struct wslay_event_callbacks cb = {
    ws_recv, ws_send, NULL, NULL, NULL, NULL, ws_msg
  };
  if (c->p.method != HTTP_GET || !has_token(c->val[H_UPGRADE], "websocket") ||
      c->vallen[H_KEY] != 24 || strcmp(c->val[H_VERSION], "13")) {
    error_page(c, 400, "Bad Request");
    return;
  }
  if (!same_origin(c, 1)) { error_page(c, 403, "Forbidden"); return; }
  session_t *s = cookie_session(c, c->seat, sizeof c->seat, c->role, sizeof c->role);
  if (!s) { error_page(c, 401, "Unauthorized"); return; }
  snprintf(c->token, sizeof c->token, "%s", s->token);
  if (wslay_event_context_server_init(&c->ctx, &cb, c) != 0) {
    error_page(c, 500, "Internal Server Error");
    return;
  }
  wslay_event_config_set_max_recv_msg_length(c->ctx, MAX_WSMSG);
  char acc[29], head[512];
  accept_key(c->val[H_KEY], acc);
  int n =
      snprintf(head, sizeof head,
               "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Accept: %s\r\n\r\n",
               acc);
  out(c, head, (size_t)n);
  c->ws = 1;
  if (c->w->h.ws_open) c->w->h.ws_open(c->w->h.ud, c);
}

/* The after-action report, for the white cell only: it tells every seat's
 * secrets. */
static void serve_report(dt_web_conn_t *c) {
  char seat[65], role[33];
  if (!cookie_session(c, seat, sizeof seat, role, sizeof role) || !white_cell(role)) {
    error_page(c, 403, "Forbidden");
    return;
  }
  FILE *f = c->w->report ? fopen(c->w->report, "rb") : NULL;
  if (!f) { error_page(c, 404, "Not Found"); return; }
  char *buf = NULL;
  size_t len = 0, cap = 0, got;
  int ok = 1;
  do {
    if (len + 65536 > cap) {
      char *nb = cap >= (size_t)64 << 20 ? NULL : realloc(buf, cap = cap ? 2 * cap : 131072);
      if (!nb) { ok = 0; break; }
      buf = nb;
    }
    got = fread(buf + len, 1, cap - len, f);
    len += got;
  } while (got > 0);
  fclose(f);
  if (ok) respond_csp(c, 200, "OK", "text/html; charset=utf-8", NULL, buf, len, REPORT_CSP);
  else error_page(c, 500, "Internal Server Error");
  free(buf);
}

void dt_web_set_report(dt_web_t *w, const char *path) {
  free(w->report);
  w->report = path ? strdup(path) : NULL;
}

static void route(dt_web_conn_t *c) {
  char path[MAX_URL + 1];
  size_t n = strcspn(c->url, "?#");
  memcpy(path, c->url, n); path[n] = 0;
  int m = (int)c->p.method;
  if (c->p.upgrade) {
    if (!strcmp(path, "/ws")) do_upgrade(c);
    else error_page(c, 404, "Not Found");
    return;
  }
  if (m == HTTP_POST) {
    if (!strcmp(path, "/login")) do_login(c);
    else if (!strcmp(path, "/logout")) do_logout(c);
    else error_page(c, 404, "Not Found");
    return;
  }
  if (m != HTTP_GET && m != HTTP_HEAD) { error_page(c, 405, "Method Not Allowed"); return; }
  char seat[65], role[33];
  if (!strcmp(path, "/") || !strcmp(path, "/index.html")) {
    if (cookie_session(c, seat, sizeof seat, role, sizeof role)) redirect(c, page_for(role), NULL);
    else serve_asset(c, "/index.html");
    return;
  }
  if (!strcmp(path, "/team.html") || !strcmp(path, "/cell.html")) {
    if (!cookie_session(c, seat, sizeof seat, role, sizeof role)) {
      redirect(c, "/", NULL);
      return;
    }
    if (strcmp(path, page_for(role))) { redirect(c, page_for(role), NULL); return; }
  }
  if (!strcmp(path, "/report.html")) { serve_report(c); return; }
  serve_asset(c, path);
}

/* ---- http-parser callbacks ------------------------------------------------ */

static dt_web_conn_t *conn_of(http_parser *p) { return p->data; }

static int on_begin(http_parser *p) {
  dt_web_conn_t *c = conn_of(p);
  c->head = 0; c->urllen = 0; c->url[0] = 0; c->fieldlen = 0; c->field_done = 0;
  c->cur = H_NONE; c->bodylen = 0; c->body[0] = 0; c->too_big = 0;
  for (int i = 0; i < H_COUNT; i++) { c->vallen[i] = 0; c->val[i][0] = 0; }
  return 0;
}

static int grow_head(dt_web_conn_t *c, size_t n) {
  c->head += n;
  if (c->head > MAX_HEAD) { c->too_big = 1; return 1; }
  return 0;
}

static int on_url(http_parser *p, const char *at, size_t n) {
  dt_web_conn_t *c = conn_of(p);
  if (grow_head(c, n) || c->urllen + n > MAX_URL) { c->too_big = 1; return 1; }
  memcpy(c->url + c->urllen, at, n);
  c->urllen += n; c->url[c->urllen] = 0;
  return 0;
}

static enum hdr which(const char *f) {
  static const char *const names[H_COUNT] = { "", "host", "origin", "cookie", "upgrade",
                                              "sec-websocket-key", "sec-websocket-version",
                                              "content-type" };
  for (int i = 1; i < H_COUNT; i++)
    if (!strcasecmp(f, names[i])) return (enum hdr)i;
  return H_NONE;
}

static int on_field(http_parser *p, const char *at, size_t n) {
  dt_web_conn_t *c = conn_of(p);
  if (grow_head(c, n)) return 1;
  if (c->field_done) { c->fieldlen = 0; c->field_done = 0; }
  size_t k = n < sizeof c->field - 1 - c->fieldlen ? n : sizeof c->field - 1 - c->fieldlen;
  memcpy(c->field + c->fieldlen, at, k);
  c->fieldlen += k; c->field[c->fieldlen] = 0;
  return 0;
}

static int on_value(http_parser *p, const char *at, size_t n) {
  dt_web_conn_t *c = conn_of(p);
  if (grow_head(c, n)) return 1;
  if (!c->field_done) {
    c->field_done = 1;
    c->cur = which(c->field);
    /* A repeated header we act on is ambiguous: refuse the request. */
    if (c->cur != H_NONE && c->vallen[c->cur]) { c->too_big = 1; return 1; }
  }
  if (c->cur == H_NONE) return 0;
  size_t *len = &c->vallen[c->cur];
  if (*len + n > MAX_VALUE) { c->too_big = 1; return 1; }
  memcpy(c->val[c->cur] + *len, at, n);
  *len += n; c->val[c->cur][*len] = 0;
  return 0;
}

static int on_body(http_parser *p, const char *at, size_t n) {
  dt_web_conn_t *c = conn_of(p);
  if (c->bodylen + n > MAX_BODY) { c->too_big = 1; return 1; }
  memcpy(c->body + c->bodylen, at, n);
  c->bodylen += n; c->body[c->bodylen] = 0;
  return 0;
}

static int on_complete(http_parser *p) {
  dt_web_conn_t *c = conn_of(p);
  route(c);
  /* After an upgrade or an answer that closes, the parser must stop here. */
  return c->ws || c->done ? 1 : 0;
}

static const http_parser_settings settings = {
  .on_message_begin = on_begin, .on_url = on_url, .on_header_field = on_field,
  .on_header_value = on_value, .on_body = on_body, .on_message_complete = on_complete,
};

/* ---- WebSocket ------------------------------------------------------------ */

static ssize_t ws_recv(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags, void *ud) {
  dt_web_conn_t *c = ud;
  (void)flags;
  if (!c->inlen) { wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK); return -1; }
  size_t k = len < c->inlen ? len : c->inlen;
  memcpy(buf, c->in, k);
  c->in += k; c->inlen -= k;
  return (ssize_t)k;
}

static ssize_t ws_send(wslay_event_context_ptr ctx, const uint8_t *d, size_t len, int flags,
                       void *ud) {
  dt_web_conn_t *c = ud;
  (void)ctx; (void)flags;
  out(c, (const char *)d, len);
  return (ssize_t)len;
}

/* A page's hello names no seat and carries no token: the cookie says who it
 * is. Whatever seat or token the page put in is replaced. */
static void pass_message(dt_web_conn_t *c, const char *msg, size_t n) {
  json_error_t e;
  json_t *o = json_loadb(msg, n, JSON_REJECT_DUPLICATES, &e);
  json_t *ty = json_is_object(o) ? json_object_get(o, "type") : NULL;
  if (json_is_string(ty) && !strcmp(json_string_value(ty), "hello")) {
    json_object_set_new(o, "seat", json_string(c->seat));
    json_object_set_new(o, "token", json_string(c->token));
    if (!json_object_get(o, "v")) json_object_set_new(o, "v", json_integer(1));
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s && c->w->h.ws_message) c->w->h.ws_message(c->w->h.ud, c, s, strlen(s));
    free(s);
  } else if (c->w->h.ws_message) {
    c->w->h.ws_message(c->w->h.ud, c, msg, n);
  }
  json_decref(o);
}

static void ws_msg(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg *a,
                   void *ud) {
  dt_web_conn_t *c = ud;
  if (a->opcode == WSLAY_TEXT_FRAME) {
    /* A newline would split one message into two protocol lines. */
    if (memchr(a->msg, '\n', a->msg_length)) {
      wslay_event_queue_close(ctx, WSLAY_CODE_INVALID_FRAME_PAYLOAD_DATA,
                              (const uint8_t *)"newline", 7);
      return;
    }
    pass_message(c, (const char *)a->msg, a->msg_length);
  } else if (a->opcode == WSLAY_BINARY_FRAME) {
    wslay_event_queue_close(ctx, WSLAY_CODE_UNSUPPORTED_DATA, (const uint8_t *)"text only", 9);
  }
}

static int ws_pump(dt_web_conn_t *c) {
  int r = wslay_event_recv(c->ctx);
  c->in = NULL; c->inlen = 0;
  if (r == 0) r = wslay_event_send(c->ctx);
  else wslay_event_send(c->ctx);
  if (r != 0) return -1;
  if (wslay_event_get_close_received(c->ctx) || wslay_event_get_close_sent(c->ctx)) {
    if (!wslay_event_want_write(c->ctx)) return -1;
  }
  return 0;
}

/* ---- connections ---------------------------------------------------------- */

dt_web_conn_t *dt_web_conn_new(dt_web_t *w, void *conn_ud) {
  dt_web_conn_t *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->w = w; c->ud = conn_ud;
  http_parser_init(&c->p, HTTP_REQUEST);
  c->p.data = c;
  return c;
}

void dt_web_conn_free(dt_web_conn_t *c) {
  if (!c) return;
  if (c->ctx) wslay_event_context_free(c->ctx);
  free(c);
}

void *dt_web_conn_ud(const dt_web_conn_t *c) { return c->ud; }
int dt_web_is_ws(const dt_web_conn_t *c) { return c->ws; }

int dt_web_feed(dt_web_conn_t *c, const char *p, size_t n) {
  if (c->done) return -1;
  if (!c->ws) {
    size_t used = http_parser_execute(&c->p, &settings, p, n);
    if (c->too_big) {
      c->done = 1;
      error_page(c, 431, "Request Header Fields Too Large");
      return -1;
    }
    if (!c->ws && c->done) return -1;
    if (!c->ws) {
      enum http_errno e = HTTP_PARSER_ERRNO(&c->p);
      if (e != HPE_OK && e != HPE_PAUSED && e != HPE_CB_message_complete) {
        error_page(c, 400, "Bad Request");
        return -1;
      }
      return 0;
    }
    /* The rest of the buffer already belongs to the WebSocket. */
    p += used; n -= used;
  }
  c->in = p; c->inlen = n;
  if (ws_pump(c) < 0) { c->done = 1; return -1; }
  return 0;
}

int dt_web_send_lines(dt_web_conn_t *c, const char *p, size_t n) {
  if (!c->ws || c->done) return -1;
  while (n) {
    const char *nl = memchr(p, '\n', n);
    size_t k = nl ? (size_t)(nl - p) : n;
    if (k) {
      struct wslay_event_msg m = { WSLAY_TEXT_FRAME, (const uint8_t *)p, k };
      if (wslay_event_queue_msg(c->ctx, &m) != 0) return -1;
    }
    if (!nl) break;
    p = nl + 1; n -= k + 1;
  }
  return wslay_event_send(c->ctx) == 0 ? 0 : -1;
}

void dt_web_close_ws(dt_web_conn_t *c, uint16_t code, const char *reason) {
  if (!c->ws || c->done) return;
  wslay_event_queue_close(c->ctx, code, (const uint8_t *)reason,
                          strlen(reason) < 120 ? strlen(reason) : 120);
  wslay_event_send(c->ctx);
}
