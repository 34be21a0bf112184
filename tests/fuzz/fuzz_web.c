/* fuzz_web.c: the browser transport (web.c) on any bytes: HTTP requests,
 * pipelined or cut anywhere, the cookie and login forms, the WebSocket
 * upgrade and then frames of every kind (masks, fragments, pings, close
 * codes, oversized lengths). The first input byte picks where the stream is
 * cut into reads; a valid cookie is offered so the fuzzer can reach frames. */
#include "web.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TOKEN "0123456789abcdef0123456789abcdef"
/* A cookie session known in advance (loaded from a sessions file), so inputs
 * can carry "Cookie: dt_sid=" SID and reach the WebSocket. */
#define SID "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static size_t written;
static int login(void *ud, const char *token, char *seat, size_t seatlen, char *role,
                 size_t rolelen) {
  (void)ud;
  if (strcmp(token, TOKEN)) return -1;
  snprintf(seat, seatlen, "USA");
  snprintf(role, rolelen, "lead");
  return 0;
}
static void ws_open(void *ud, dt_web_conn_t *c) { (void)ud; (void)c; }
static void ws_message(void *ud, dt_web_conn_t *c, const char *m, size_t n) {
  (void)ud;
  /* Echo back, as the hub answers: exercises framing of output too. */
  if (n && m[0] == '{') dt_web_send_lines(c, "{\"type\":\"pong\"}\n", 16);
}
static void wr(void *ud, dt_web_conn_t *c, const char *p, size_t n) {
  (void)ud; (void)c; (void)p;
  written += n;
}
static void cl(void *ud, dt_web_conn_t *c) { (void)ud; (void)c; }

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n) {
  static dt_web_t *w;
  if (!w) {
    dt_web_hooks_t h = { login, ws_open, ws_message, wr, cl, NULL };
    char err[128], path[] = "/tmp/fuzz_web_sessions_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 0;
    dprintf(fd, "%s %s\n", SID, TOKEN);
    close(fd);
    int rc = dt_web_new(&w, path, &h, err, sizeof err);
    unlink(path);
    if (rc < 0) return 0;
  }
  if (!n) return 0;
  size_t cut = (size_t)data[0] % 64 + 1;
  data++; n--;
  dt_web_conn_t *c = dt_web_conn_new(w, NULL);
  if (!c) return 0;
  for (size_t off = 0; off < n; off += cut) {
    size_t k = n - off < cut ? n - off : cut;
    if (dt_web_feed(c, (const char *)data + off, k) < 0) break;
  }
  dt_web_close_ws(c, 1000, "bye");
  dt_web_conn_free(c);
  return 0;
}
