/* web.h: the browser transport of a live session (not part of the public API).
 *
 * One dt_web_conn_t is one HTTP connection. It parses requests with
 * http-parser, serves the pages embedded at build time (web/), exchanges a
 * token once for an HttpOnly session cookie, and upgrades /ws to a WebSocket
 * (wslay) that carries exactly the JSON messages of the TCP protocol. It owns
 * no socket and no loop: bytes come in through dt_web_feed and leave through
 * the `write` hook, so it is unit-tested and fuzzed without a network.
 *
 * Ownership: a dt_web_t owns its cookie sessions and the file that keeps them;
 * a connection is owned by whoever created it and borrows its dt_web_t. */
#ifndef DT_WEB_H
#define DT_WEB_H
#include <stddef.h>
#include <stdint.h>

typedef struct dt_web dt_web_t;
typedef struct dt_web_conn dt_web_conn_t;

/* What the server provides. All but `write` and `close` may be NULL in tests. */
typedef struct dt_web_hooks {
  /* Looks a token up: 0 with the seat's id and the person's role written, or
   * < 0 when no seat has it. */
  int (*login)(void *ud, const char *token, char *seat, size_t seatlen, char *role,
               size_t rolelen);
  /* A WebSocket is open for the holder of `token`. */
  void (*ws_open)(void *ud, dt_web_conn_t *c);
  /* One text message from the page (a protocol line without its newline). */
  void (*ws_message)(void *ud, dt_web_conn_t *c, const char *msg, size_t n);
  /* Bytes for the peer. */
  void (*write)(void *ud, dt_web_conn_t *c, const char *p, size_t n);
  /* The connection must be closed once what was written has left. */
  void (*close)(void *ud, dt_web_conn_t *c);
  void *ud;
} dt_web_hooks_t;

typedef struct dt_web_asset {
  const char *path, *type;
  const unsigned char *data;
  size_t len;
} dt_web_asset_t;

/* The embedded pages (generated from web/ at build time). */
extern const dt_web_asset_t dt_web_assets[];
extern const size_t dt_web_nassets;

/* Creates the shared state. `sessions` is the file that keeps cookie
 * sessions across restarts (created 0600 without following links), or NULL
 * to keep them in memory only. 0, or < 0 with a message in err. */
int dt_web_new(dt_web_t **out, const char *sessions, const dt_web_hooks_t *hooks,
               char *err, size_t errlen);
void dt_web_free(dt_web_t *w);
/* Drops every cookie session of a token (a revoked or replaced token). */
void dt_web_forget_token(dt_web_t *w, const char *token);

/* The file /report.html serves to the white cell (NULL: none yet). */
void dt_web_set_report(dt_web_t *w, const char *path);

dt_web_conn_t *dt_web_conn_new(dt_web_t *w, void *conn_ud);
void dt_web_conn_free(dt_web_conn_t *c);
void *dt_web_conn_ud(const dt_web_conn_t *c);
/* Feeds bytes read from the peer. Returns 0, or < 0 once the connection is
 * finished (an error was answered, or the peer closed the WebSocket): the
 * caller closes it after flushing what was written. */
int dt_web_feed(dt_web_conn_t *c, const char *p, size_t n);
/* 1 once the connection is a WebSocket. */
int dt_web_is_ws(const dt_web_conn_t *c);
/* Sends protocol output to the page: each '\n'-ended line becomes one text
 * message. Returns 0 or < 0 when the WebSocket is closing. */
int dt_web_send_lines(dt_web_conn_t *c, const char *p, size_t n);
/* Starts a clean close of the WebSocket with a status code and reason. */
void dt_web_close_ws(dt_web_conn_t *c, uint16_t code, const char *reason);

#endif
