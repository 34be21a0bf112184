/* serve.h: the live session's server: the session core (session.h) on a
 * libuv loop with clients, a facilitator console and the journal. */
#ifndef DT_SERVE_H
#define DT_SERVE_H
#include "session.h"

typedef struct dt_serve_opts {
  const char *scenario;
  const char *host; int port;
  const char *http_host; int http_port; /* browser pages; NULL for none */
  const char *journal, *tokens, *logpath;
  const char *humans;
  const char *people;               /* --people FILE (CSV name,seat,role), or NULL */
  int print_tokens;                 /* --print-tokens: the tokens on standard output too */
  int64_t pace_sim, pace_real_ms;   /* sim seconds per real milliseconds */
  int step, hold;
  int64_t turn_months, turn_seconds; /* --turns: each turn's length; 0 and 0 for none */
  int64_t planning_ms;              /* --planning: real time a turn's planning may take (ms);
                                     * 0: until the umpire adjudicates */
  int clock_given; /* --step, --pace or --hold-on-decision given (they win on resume) */
  uint64_t seed;
  const dt_lrt_override_t *ov; int nov;
  dt_lrt_limits_t lim;
  const char *resume;               /* journal to resume from */
  int64_t branch_at;                /* >= 0: branch from the resumed journal at this event seq */
  int auth_timeout_ms;
  size_t max_output;                /* bytes that may wait for one client */
  int console;                      /* read facilitator commands on stdin */
} dt_serve_opts_t;

/* Runs a session until the facilitator ends it. Returns a DT_EXIT_* code. */
int dt_serve_run(const dt_serve_opts_t *o);

#endif
