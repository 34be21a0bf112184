/* test_web.c: the browser transport without a network: requests in as bytes,
 * responses and WebSocket frames out through the write hook. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "web.h"

#define TOKEN_USA "0123456789abcdef0123456789abcdef"
#define TOKEN_FAC "fedcba9876543210fedcba9876543210"

typedef struct sink {
  char out[1 << 16]; size_t n;
  char msgs[8][512]; int nmsgs;
  int opened, closed;
} sink_t;

static int login(void *ud, const char *token, char *seat, size_t seatlen, char *role,
                 size_t rolelen) {
  (void)ud;
  if (!strcmp(token, TOKEN_USA)) {
    snprintf(seat, seatlen, "USA");
    snprintf(role, rolelen, "lead");
    return 0;
  }
  if (!strcmp(token, TOKEN_FAC)) {
    snprintf(seat, seatlen, "facilitator"); snprintf(role, rolelen, "facilitator");
    return 0;
  }
  return -1;
}
static void ws_open(void *ud, dt_web_conn_t *c) { (void)c; ((sink_t *)ud)->opened++; }
static void ws_message(void *ud, dt_web_conn_t *c, const char *m, size_t n) {
  sink_t *s = ud;
  (void)c;
  if (s->nmsgs < 8) snprintf(s->msgs[s->nmsgs++], 512, "%.*s", (int)n, m);
}
static void wr(void *ud, dt_web_conn_t *c, const char *p, size_t n) {
  sink_t *s = ud;
  (void)c;
  if (s->n + n < sizeof s->out) { memcpy(s->out + s->n, p, n); s->n += n; s->out[s->n] = 0; }
}
static void cl(void *ud, dt_web_conn_t *c) { (void)c; ((sink_t *)ud)->closed++; }

static dt_web_t *web(sink_t *s, const char *file) {
  memset(s, 0, sizeof *s);
  dt_web_hooks_t h = { login, ws_open, ws_message, wr, cl, s };
  dt_web_t *w = NULL;
  char err[256];
  assert_int_equal(dt_web_new(&w, file, &h, err, sizeof err), 0);
  return w;
}

static int feeds(dt_web_conn_t *c, const char *req) { return dt_web_feed(c, req, strlen(req)); }

/* Logs in with a token and returns the cookie line's session id. */
static void login_cookie(dt_web_t *w, sink_t *s, const char *token, char sid[65]) {
  dt_web_conn_t *c = dt_web_conn_new(w, NULL);
  char req[512];
  snprintf(req, sizeof req,
           "POST /login HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nOrigin: http://127.0.0.1:8080\r\n"
           "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\ntoken=%s",
           strlen(token) + 6, token);
  s->n = 0;
  assert_int_equal(feeds(c, req), 0);
  const char *ck = strstr(s->out, "Set-Cookie: dt_sid=");
  assert_non_null(ck);
  memcpy(sid, ck + strlen("Set-Cookie: dt_sid="), 64);
  sid[64] = 0;
  dt_web_conn_free(c);
}

static void the_login_page_is_served_with_a_strict_policy(void **st) {
  sink_t s; dt_web_t *w = web(&s, NULL);
  dt_web_conn_t *c = dt_web_conn_new(w, NULL);
  assert_int_equal(feeds(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
  assert_non_null(strstr(s.out, "HTTP/1.1 200 OK\r\n"));
  assert_non_null(strstr(s.out, "Content-Security-Policy: default-src 'none'; script-src 'self';"));
  assert_non_null(strstr(s.out, "<form method=\"post\" action=\"/login\""));
  assert_null(strstr(s.out, "unsafe-inline"));
  dt_web_conn_free(c); dt_web_free(w);
}

static void a_token_becomes_an_httponly_strict_cookie_and_a_redirect(void **st) {
  sink_t s; dt_web_t *w = web(&s, NULL);
  char sid[65];
  login_cookie(w, &s, TOKEN_USA, sid);
  assert_non_null(strstr(s.out, "HTTP/1.1 303 See Other\r\n"));
  assert_non_null(strstr(s.out, "Location: /team.html\r\n"));
  assert_non_null(strstr(s.out, "; Path=/; HttpOnly; SameSite=Strict\r\n"));
  assert_null(strstr(s.out, TOKEN_USA));       /* the token is never echoed */
  login_cookie(w, &s, TOKEN_FAC, sid);
  assert_non_null(strstr(s.out, "Location: /cell.html\r\n"));
  dt_web_free(w);
}

static void a_wrong_token_gets_no_cookie(void **st) {
  sink_t s; dt_web_t *w = web(&s, NULL);
  dt_web_conn_t *c = dt_web_conn_new(w, NULL);
  assert_int_equal(feeds(c,
                         "POST /login HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\ntoken=beef"),
                   0);
  assert_non_null(strstr(s.out, "Location: /?e=auth\r\n"));
  assert_null(strstr(s.out, "Set-Cookie"));
  dt_web_conn_free(c); dt_web_free(w);
}

static void a_login_from_another_origin_is_forbidden(void **st) {
  sink_t s; dt_web_t *w = web(&s, NULL);
  dt_web_conn_t *c = dt_web_conn_new(w, NULL);
  char req[512];
  snprintf(req, sizeof req,
           "POST /login HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nOrigin: http://evil.example\r\n"
           "Content-Length: 38\r\n\r\ntoken=%s",
           TOKEN_USA);
  assert_true(feeds(c, req) < 0);
  assert_non_null(strstr(s.out, "HTTP/1.1 403 Forbidden\r\n"));
  assert_null(strstr(s.out, "Set-Cookie"));
  dt_web_conn_free(c); dt_web_free(w);
}

static void pages_need_the_cookie_and_the_right_role(void **st) {
  sink_t s; dt_web_t *w = web(&s, NULL);
  char sid[65], req[512];
  dt_web_conn_t *c = dt_web_conn_new(w, NULL);
  s.n = 0;
  assert_int_equal(feeds(c, "GET /team.html HTTP/1.1\r\nHost: h\r\n\r\n"), 0);
  assert_non_null(strstr(s.out, "Location: /\r\n"));
  dt_web_conn_free(c);
  login_cookie(w, &s, TOKEN_USA, sid);
  c = dt_web_conn_new(w, NULL);
  s.n = 0;
  snprintf(req, sizeof req, "GET /cell.html HTTP/1.1\r\nHost: h\r\nCookie: a=b; dt_sid=%s\r\n\r\n",
           sid);
  assert_int_equal(feeds(c, req), 0);
  assert_non_null(strstr(s.out, "Location: /team.html\r\n"));   /* a team is sent to its own page */
  dt_web_conn_free(c); dt_web_free(w);
}

static void unknown_paths_and_methods_are_refused(void **st) {
  sink_t s; dt_web_t *w = web(&s, NULL);
  dt_web_conn_t *c = dt_web_conn_new(w, NULL);
  assert_true(feeds(c, "GET /../../etc/passwd HTTP/1.1\r\nHost: h\r\n\r\n") < 0);
  assert_non_null(strstr(s.out, "404 Not Found"));
  dt_web_conn_free(c);
  c = dt_web_conn_new(w, NULL); s.n = 0;
  assert_true(feeds(c, "DELETE / HTTP/1.1\r\nHost: h\r\n\r\n") < 0);
  assert_non_null(strstr(s.out, "405 Method Not Allowed"));
  dt_web_conn_free(c);
  c = dt_web_conn_new(w, NULL); s.n = 0;
  assert_true(feeds(c, "GARBAGE\r\n\r\n") < 0);
  assert_non_null(strstr(s.out, "400 Bad Request"));
  dt_web_conn_free(c); dt_web_free(w);
}

static void huge_headers_are_refused(void **st) {
  sink_t s; dt_web_t *w = web(&s, NULL);
  dt_web_conn_t *c = dt_web_conn_new(w, NULL);
  assert_int_equal(feeds(c, "GET / HTTP/1.1\r\nHost: h\r\nX-Big: "), 0);
  char chunk[1024];
  memset(chunk, 'a', sizeof chunk);
  int r = 0;
  for (int i = 0; i < 64 && r == 0; i++) r = dt_web_feed(c, chunk, sizeof chunk);
  assert_true(r < 0);
  assert_non_null(strstr(s.out, "431 Request Header Fields Too Large"));
  dt_web_conn_free(c); dt_web_free(w);
}

static dt_web_conn_t *upgrade(dt_web_t *w, sink_t *s, const char *sid, const char *origin,
                              int *rc) {
  char req[1024];
  dt_web_conn_t *c = dt_web_conn_new(w, NULL);
  snprintf(
      req, sizeof req,
      "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
      "%s%s%sCookie: dt_sid=%s\r\n\r\n",
      origin ? "Origin: " : "", origin ? origin : "", origin ? "\r\n" : "", sid);
  s->n = 0;
  *rc = feeds(c, req);
  return c;
}

/* A masked client text frame (RFC 6455 5.2). */
static size_t frame(unsigned char *f, int opcode, const char *text, size_t n) {
  static const unsigned char mask[4] = { 0x12, 0x34, 0x56, 0x78 };
  size_t k = 0;
  f[k++] = (unsigned char)(0x80 | opcode);
  if (n < 126) f[k++] = (unsigned char)(0x80 | n);
  else { f[k++] = 0x80 | 126; f[k++] = (unsigned char)(n >> 8); f[k++] = (unsigned char)n; }
  memcpy(f + k, mask, 4); k += 4;
  for (size_t i = 0; i < n; i++) f[k++] = (unsigned char)(text[i] ^ mask[i % 4]);
  return k;
}

static void the_websocket_handshake_answers_the_rfc_example(void **st) {
  sink_t s; dt_web_t *w = web(&s, NULL);
  char sid[65]; int rc;
  login_cookie(w, &s, TOKEN_USA, sid);
  dt_web_conn_t *c = upgrade(w, &s, sid, "http://127.0.0.1:8080", &rc);
  assert_int_equal(rc, 0);
  assert_non_null(strstr(s.out, "HTTP/1.1 101 Switching Protocols\r\n"));
  assert_non_null(strstr(s.out, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
  assert_int_equal(s.opened, 1);
  assert_true(dt_web_is_ws(c));
  dt_web_conn_free(c); dt_web_free(w);
}

static void a_websocket_needs_the_same_origin_and_a_cookie(void **st) {
  sink_t s; dt_web_t *w = web(&s, NULL);
  char sid[65]; int rc;
  login_cookie(w, &s, TOKEN_USA, sid);
  dt_web_conn_t *c = upgrade(w, &s, sid, "http://evil.example", &rc);
  assert_true(rc < 0);
  assert_non_null(strstr(s.out, "403 Forbidden"));
  dt_web_conn_free(c);
  c = upgrade(w, &s, sid, NULL, &rc);            /* no Origin at all */
  assert_true(rc < 0);
  assert_non_null(strstr(s.out, "403 Forbidden"));
  dt_web_conn_free(c);
  char bad[65];
  memset(bad, 'a', 64); bad[64] = 0;
  c = upgrade(w, &s, bad, "http://127.0.0.1:8080", &rc);
  assert_true(rc < 0);
  assert_non_null(strstr(s.out, "401 Unauthorized"));
  assert_int_equal(s.opened, 0);
  dt_web_conn_free(c); dt_web_free(w);
}

static void a_pages_hello_gets_its_seat_and_token_from_the_cookie(void **st) {
  sink_t s; dt_web_t *w = web(&s, NULL);
  char sid[65]; int rc;
  login_cookie(w, &s, TOKEN_USA, sid);
  dt_web_conn_t *c = upgrade(w, &s, sid, "http://127.0.0.1:8080", &rc);
  unsigned char f[512];
  const char *hello =
      "{\"type\":\"hello\",\"seat\":\"facilitator\",\"token\":\"x\",\"last_seq\":4}";
  size_t n = frame(f, 1, hello, strlen(hello));
  const char *ping = "{\"type\":\"ping\"}";
  n += frame(f + n, 1, ping, strlen(ping));
  assert_int_equal(dt_web_feed(c, (const char *)f, n), 0);
  assert_int_equal(s.nmsgs, 2);
  assert_string_equal(s.msgs[0], "{\"type\":\"hello\",\"seat\":\"USA\",\"token\":\"" TOKEN_USA
                                  "\",\"last_seq\":4,\"v\":1}");
  assert_string_equal(s.msgs[1], ping);
  dt_web_conn_free(c); dt_web_free(w);
}

static void lines_go_out_as_one_text_frame_each(void **st) {
  sink_t s; dt_web_t *w = web(&s, NULL);
  char sid[65]; int rc;
  login_cookie(w, &s, TOKEN_USA, sid);
  dt_web_conn_t *c = upgrade(w, &s, sid, "http://127.0.0.1:8080", &rc);
  s.n = 0;
  assert_int_equal(dt_web_send_lines(c, "{\"a\":1}\n{\"b\":22}\n", 17), 0);
  const unsigned char want[] = { 0x81, 7, '{', '"', 'a', '"', ':', '1', '}',
                                 0x81, 8, '{', '"', 'b', '"', ':', '2', '2', '}' };
  assert_int_equal(s.n, sizeof want);
  assert_memory_equal(s.out, want, sizeof want);
  dt_web_conn_free(c); dt_web_free(w);
}

static void binary_frames_and_unmasked_frames_close_the_socket(void **st) {
  sink_t s; dt_web_t *w = web(&s, NULL);
  char sid[65]; int rc;
  login_cookie(w, &s, TOKEN_USA, sid);
  dt_web_conn_t *c = upgrade(w, &s, sid, "http://127.0.0.1:8080", &rc);
  unsigned char f[64];
  size_t n = frame(f, 2, "abc", 3);
  s.n = 0;
  dt_web_feed(c, (const char *)f, n);
  assert_true(s.n >= 2);
  assert_int_equal((unsigned char)s.out[0], 0x88);   /* a close frame */
  assert_int_equal(s.nmsgs, 0);
  dt_web_conn_free(c);
  c = upgrade(w, &s, sid, "http://127.0.0.1:8080", &rc);
  const unsigned char unmasked[] = { 0x81, 2, '{', '}' };
  s.n = 0;
  dt_web_feed(c, (const char *)unmasked, sizeof unmasked);
  assert_int_equal(s.nmsgs, 0);
  assert_int_equal((unsigned char)s.out[0], 0x88);
  dt_web_conn_free(c); dt_web_free(w);
}

static void cookies_survive_a_restart_through_the_sessions_file(void **st) {
  char path[] = "/tmp/test_web_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd); unlink(path);
  sink_t s; dt_web_t *w = web(&s, path);
  char sid[65]; int rc;
  login_cookie(w, &s, TOKEN_USA, sid);
  dt_web_free(w);
  struct stat sb;
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, 0600);
  w = web(&s, path);
  dt_web_conn_t *c = upgrade(w, &s, sid, "http://127.0.0.1:8080", &rc);
  assert_int_equal(rc, 0);
  assert_int_equal(s.opened, 1);
  dt_web_conn_free(c); dt_web_free(w);
  unlink(path);
}

static void the_sessions_file_is_never_a_followed_link(void **st) {
  char path[] = "/tmp/test_web_link_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd); unlink(path);
  assert_int_equal(symlink("/tmp/test_web_target_never", path), 0);
  sink_t s;
  dt_web_hooks_t h = { login, ws_open, ws_message, wr, cl, &s };
  dt_web_t *w = NULL;
  char err[256];
  assert_true(dt_web_new(&w, path, &h, err, sizeof err) < 0);
  assert_non_null(strstr(err, path));
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_login_page_is_served_with_a_strict_policy),
    cmocka_unit_test(a_token_becomes_an_httponly_strict_cookie_and_a_redirect),
    cmocka_unit_test(a_wrong_token_gets_no_cookie),
    cmocka_unit_test(a_login_from_another_origin_is_forbidden),
    cmocka_unit_test(pages_need_the_cookie_and_the_right_role),
    cmocka_unit_test(unknown_paths_and_methods_are_refused),
    cmocka_unit_test(huge_headers_are_refused),
    cmocka_unit_test(the_websocket_handshake_answers_the_rfc_example),
    cmocka_unit_test(a_websocket_needs_the_same_origin_and_a_cookie),
    cmocka_unit_test(a_pages_hello_gets_its_seat_and_token_from_the_cookie),
    cmocka_unit_test(lines_go_out_as_one_text_frame_each),
    cmocka_unit_test(binary_frames_and_unmasked_frames_close_the_socket),
    cmocka_unit_test(cookies_survive_a_restart_through_the_sessions_file),
    cmocka_unit_test(the_sessions_file_is_never_a_followed_link),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
