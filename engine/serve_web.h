/* serve_web.h: the browser transport of `detente serve --http` (not part of
 * the public API): an HTTP listener on the server's loop whose pages talk to
 * the hub over WebSockets (web.h for the protocol work, hub.h for the rest).
 *
 * Ownership: the transport borrows the loop and the hub; it owns its listener,
 * its connections and the web layer's cookie sessions. */
#ifndef DT_SERVE_WEB_H
#define DT_SERVE_WEB_H
#include <stddef.h>
#include <uv.h>
#include "hub.h"

typedef struct dt_serve_web dt_serve_web_t;

/* Listens on host:port (port 0: a free one, written to *bound_port). Beside
 * the session's journal it keeps the cookie sessions (JOURNAL.web, see
 * dt_web_new) and the after-action report the white cell asks for
 * (JOURNAL.aar.html). 0, or -1 with err set. */
int dt_serve_web_start(dt_serve_web_t **out, uv_loop_t *loop, dt_hub_t *hub, const char *host,
                       int port, const char *journal, int auth_timeout_ms, int *bound_port,
                       char *err, size_t errlen);
/* Stops listening (the hub closes the pages' peers itself). */
void dt_serve_web_stop(dt_serve_web_t *t);
/* "IP:port" of a connection's peer, for logs ("?" when unknown); serve.c's,
 * shared by both transports. */
void dt__serve_peer_name(uv_tcp_t *tcp, char *out, size_t n);
/* After the loop has ended. */
void dt_serve_web_free(dt_serve_web_t *t);

#endif
