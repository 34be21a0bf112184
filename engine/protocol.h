/* protocol.h: the session protocol's messages (docs/protocol.md): parsing and
 * validating one JSON Lines message from a client, and the few helpers the
 * server and the client share. Knows Jansson, nothing of the loop or the sim.
 *
 * Ownership: a parsed dt_msg_t owns `root`; its string and json fields borrow
 * from root and die with dt_msg_free. */
#ifndef DT_PROTOCOL_H
#define DT_PROTOCOL_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define DT_PROTO_VERSION 1
#define DT_PROTO_MAXLINE ((size_t)64 * 1024)

enum dt_msg_type {
  DT_MSG_HELLO, DT_MSG_PING, DT_MSG_STATUS, DT_MSG_ANSWER, DT_MSG_MOVE, DT_MSG_INJECT,
  DT_MSG_PAUSE, DT_MSG_RESUME, DT_MSG_ADVANCE, DT_MSG_SEAT, DT_MSG_BROADCAST, DT_MSG_END,
  DT_MSG_EVENT,
  DT_MSG_ADJUDICATE, DT_MSG_REFUSE, DT_MSG_AMEND, DT_MSG_RELEASE,   /* turns (turns.h) */
  DT_MSG_POST,
  DT_MSG_PACE,
  DT_MSG__COUNT
};

typedef struct dt_msg {
  int type;
  json_t *root;
  json_t *id;               /* the client's request id (string or integer), echoed */
  const char *seat, *token; /* hello, seat */
  int64_t last_seq;         /* hello */
  int64_t last_input;       /* hello: channel messages held up to this input number */
  const char *decision, *option;  /* answer */
  const char *name;         /* move, inject */
  json_t *args;             /* move: an object */
  int64_t by;               /* advance: seconds, 0 = not given */
  int64_t by_months;        /* advance: calendar months before those seconds ("1 month") */
  const char *to;           /* advance: "decision" */
  int human;                /* seat */
  const char *text;         /* broadcast, event */
  json_t *seats;            /* event: the seats that see it (array of ids), NULL for all */
  int64_t input;            /* refuse, amend: the held move's input number */
  const char *reason;       /* refuse, amend */
  const char *channel;      /* post (text may then be "" when a form is given) */
  const char *form;         /* post: a form the scenario declares, or NULL */
  json_t *fields;           /* post: the form's fields (an object), or NULL */
  int64_t pace_sim, pace_real_ms;  /* pace: simulated seconds per real milliseconds */
} dt_msg_t;

/* Parses one line (without its newline). Returns 0, or -1 with *code set to a
 * protocol error code ("bad_json", "unknown_type", "bad_field", "version") and
 * msg to a sentence. Either way the caller calls dt_msg_free (m->id may be set
 * on failure, to echo). */
int dt_msg_parse(const char *line, size_t n, dt_msg_t *m, const char **code,
                 char *msg, size_t msglen);
void dt_msg_free(dt_msg_t *m);
const char *dt_msg_type_name(int type);
/* 1 for messages only the facilitator may send. */
int dt_msg_facilitator_only(int type);
/* "90s", "15min", "12h", "10d", "2w" or a bare number of seconds. 0 or -1. */
int dt_proto_duration(const char *s, int64_t *seconds);
/* How long an advance runs, as a facilitator writes it: what
 * dt_proto_duration takes ("10d", "1.5d", "36h", seconds), or a whole number
 * with a word: "10 days", "36 hours", "2 weeks", "1 month", "6 months",
 * "1mo", "1 year". Months and years are calendar ones, counted
 * from where the clock is: *months gets them, *seconds the rest. 0 or -1. */
int dt_proto_advance_by(const char *s, int64_t *seconds, int64_t *months);
/* A pace, simulated time per real time: "SIM=REAL" such as "1d=10s" or
 * "2d=250ms" (SIM as dt_proto_duration takes it; REAL in ms, s, min, or a
 * bare number of seconds). `serve --pace` and the `pace` message share it.
 * 0, or -1 for anything else (or a pace beyond DT_PROTO_PACE_MAX). */
int dt_proto_pace(const char *s, int64_t *sim_seconds, int64_t *real_ms);
/* The fastest pace: simulated seconds per real millisecond (115 days). */
#define DT_PROTO_PACE_MAX ((int64_t)10000000)
/* What dt_proto_pace accepts, for error messages. */
extern const char dt_proto_pace_help[];
/* A pace as people write it, in the largest whole units ("1d=10s"). */
void dt_proto_pace_text(int64_t sim_seconds, int64_t real_ms, char *buf, size_t len);

/* The words a person types, as a message (new reference) without an id:
 * "status", "ping", "pause", "resume", "end", "advance 10d", "advance decision",
 * "pace 1d=10s",
 * "inject NAME", "answer D1 OPTION", "seat ID human|policy", "say TEXT",
 * "event TEXT" or "event @ID,ID TEXT", "adjudicate", "release", "refuse N REASON",
 * "amend N key=value... -- REASON",
 * "move NAME [key=value...]" or "move NAME {json}" (with `facilitator` set:
 * "move SEAT NAME ..."), or a raw JSON object. NULL when the line is not a
 * command: msg then holds the reason, or is empty for an unknown word. */
json_t *dt_proto_command(const char *line, int facilitator, char *msg, size_t msglen);
/* One line a person can read for a message from the server (no newline);
 * malloc'd, the caller frees it. NULL for a message that is not an object. */
char *dt_proto_text(json_t *m);
/* The commands dt_proto_command knows, for help texts. */
extern const char dt_proto_command_help[];

#endif
