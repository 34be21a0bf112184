/* hub.h: the people of a live session, whatever carries their messages. A
 * dt_hub_t holds the session core, its journal and the connected peers: it
 * authenticates them, applies their inputs (journaled, then acknowledged),
 * decides what each may see, catches a reconnecting peer up, and runs the
 * clock. It knows no sockets and no loop: a transport (serve.c's TCP and
 * console; a WebSocket later) attaches a peer with three operations and hands
 * the hub each message it reads; the same JSON messages (docs/protocol.md)
 * travel over every transport.
 *
 * Durability: messages for peers are only queued by the hub; they leave in
 * dt_hub_flush, after the journal is synced, so nothing reaches a peer before
 * the inputs it depends on are on disk.
 *
 * Ownership: the hub borrows the session and the journal. A peer is allocated
 * by dt_hub_attach and freed by the transport with dt_peer_free once the
 * transport is done with it (after its close operation has run). */
#ifndef DT_HUB_H
#define DT_HUB_H
#include <stddef.h>
#include <stdint.h>
#include "journal.h"
#include "session.h"

typedef struct dt_hub dt_hub_t;
typedef struct dt_peer dt_peer_t;
struct dt_person;                 /* people.h */
struct dt_chmsg;

typedef struct dt_peer_ops {
  /* Sends whole messages (JSON Lines, each with its newline); takes buf
   * (malloc'd). 0, or < 0 when the transport failed (the hub closes it). */
  int (*write)(dt_peer_t *p, char *buf, size_t len);
  /* Bytes handed to write and not yet taken by the other side. */
  size_t (*queued)(dt_peer_t *p);
  /* The hub is done with the peer: the transport closes the connection
   * (after sending what it was given when `graceful`) and later calls
   * dt_peer_free. No operation is called on the peer after this. */
  void (*close)(dt_peer_t *p, int graceful);
} dt_peer_ops_t;

enum { DT_PEER_FAC = -1, DT_PEER_NOSEAT = -2 };

struct dt_peer {
  dt_hub_t *hub;
  const dt_peer_ops_t *ops;
  void *ud;                       /* the transport's */
  dt_peer_t *next;
  int id;
  int seat;                       /* state index, DT_PEER_FAC, or DT_PEER_NOSEAT */
  int authed, local;              /* local: the console, trusted and never dropped */
  int closing, close_after_flush;
  char *out; size_t outlen, outcap;
  size_t enq;                     /* bytes handed to write so far */
  int over; uint64_t over_since, taken;   /* past the output bound: since when, bytes taken then */
  size_t backlog; int catching;   /* catching up: next index into the history */
  int errors;                     /* bad messages so far */
  int views;                      /* a page: also gets refs and the world over time (view.h) */
  int person, role;               /* who (index into hub.people, -1 for the console), DT_ROLE_* */
  size_t mnext; int mcatching;    /* catching up on channel messages: next index into hub.msgs */
  char name[64];                  /* for logs: "127.0.0.1:5555", "console" */
};

typedef struct dt_hub_opts {
  int64_t pace_sim, pace_real_ms; /* sim seconds per real milliseconds */
  int step, hold;
  size_t max_output;              /* bytes that may wait for one peer */
  int64_t turn_months, turn_seconds; /* played in turns of this length (turns.h); 0, 0: not */
  int64_t planning_ms;            /* real time a turn's planning may take; 0: until adjudicate */
} dt_hub_opts_t;

enum { DT_ADV_NONE, DT_ADV_BY, DT_ADV_DECISION };

struct dt_hub {
  dt_session_t *s;                /* borrowed */
  dt_journal_t *j;                /* borrowed */
  dt_hub_opts_t o;
  uint64_t (*now_ms)(void *ud);   /* real time, monotonic, in ms */
  void *clock_ud;
  struct dt_person *people; int npeople;   /* people.h: who may connect, with what role */
  struct dt_chmsg *msgs; size_t nmsgs, capmsgs;   /* messages posted in channels, in order */
  dt_peer_t *peers;
  int next_id;
  int paused, adv;
  int adv_from;                   /* advance to decision: decisions asked before it began */
  dt_time_t adv_target, anchor_sim;
  uint64_t anchor_real;
  uint64_t ckpt_ms, ckpt_at;
  int horizon_told, ending;
  json_t *points;                 /* with views: the white cell's view over time, for charts */
  size_t points_sent;             /* points[0 .. points_sent) went to the pages already */
  dt_time_t points_t;             /* the simulated time of the last point taken */
  int views_dirty;                /* events since: the point of that time may have changed */
  uint64_t refs_stamp;            /* what refs and treaties were last sent for */
  uint64_t covered;               /* events up to this seq are reproducible from the journal */
  json_t *keys;                   /* retried inputs: (by, id) -> {n, sig, result} */
  unsigned clock_gen;             /* bumped by each clock input and finished advance */
  char clock_sig[96];             /* the clock's state last told to everyone (send_clock) */
};

/* Sets up a hub over a started session (its on_event becomes the hub's). */
void dt_hub_init(dt_hub_t *h, dt_session_t *s, dt_journal_t *j, const dt_hub_opts_t *o,
                 uint64_t (*now_ms)(void *), void *clock_ud);
void dt_hub_free(dt_hub_t *h);
/* The clock settings from a journal's header ("clock": {step, pace_sim,
 * pace_real_ms, hold}), as the session started with them. */
void dt_hub_header_clock(dt_hub_t *h, json_t *header);
/* The current clock settings as that object (new reference). */
json_t *dt_hub_clock_json(const dt_hub_t *h);
/* Changes the clock settings, journaled (a "settings" record): 0 or < 0. */
int dt_hub_set_clock(dt_hub_t *h, const dt_hub_opts_t *o);
/* Replays one journaled record on resume (takes a reference), keeping the
 * clock's state (paused or running) as the records left it. 0 or < 0 with
 * *err set. */
int dt_hub_replay(dt_hub_t *h, json_t *rec, char **err);
/* Keeps the world over time for peers with views (pages); call before any
 * replay so the charts have the whole session. */
void dt_hub_enable_views(dt_hub_t *h);
/* Starts the clock after the start or a resume. */
void dt_hub_start(dt_hub_t *h);
/* Which seat a token opens: a state index, DT_PEER_FAC, or DT_PEER_NOSEAT;
 * the seat's id ("facilitator" for the white cell) and the person's role
 * (lead, member, umpire, rfi; people.h) are written for a page to show. */
int dt_hub_login(const dt_hub_t *h, const char *token, char *seat, size_t seatlen, char *role,
                 size_t rolelen);
/* Queues a message for a peer (steals the reference); it leaves in
 * dt_hub_flush, after the journal's sync. */
void dt_peer_send(dt_peer_t *p, json_t *o);
/* A new connection; NULL when out of memory. */
dt_peer_t *dt_hub_attach(dt_hub_t *h, const dt_peer_ops_t *ops, void *ud, const char *name);
/* One message the peer sent (without its newline). */
void dt_peer_message(dt_peer_t *p, const char *msg, size_t n);
/* A protocol error the transport found (a line too long): answered and
 * counted toward the bad-message limit. */
void dt_peer_error(dt_peer_t *p, const char *code, const char *msg);
/* The peer did not authenticate in time: told, then closed. */
void dt_peer_auth_timeout(dt_peer_t *p);
/* The connection is gone (or the hub drops it): idempotent. */
void dt_peer_close(dt_peer_t *p, int graceful);
void dt_peer_free(dt_peer_t *p);
/* Steps the clock for a few milliseconds at most; call often. */
void dt_hub_tick(dt_hub_t *h);
/* Syncs the journal, then hands each peer what waits for it. 1 once the
 * session has ended (the transport then closes everything), else 0. */
int dt_hub_flush(dt_hub_t *h);
/* Drops every peer (the server is going away). */
void dt_hub_close_all(dt_hub_t *h);

#endif
