/* session.h: a live session's core. A dt_session_t owns one run of a
 * scenario driven by journaled inputs: it applies an input between simulation
 * steps, rebuilds by deterministic replay of the journal's records, stages the
 * events of a step or an input and commits them only when it succeeded. It
 * knows no network, no loop and no Lua: the server (serve.c) puts it on a
 * libuv loop, `detente replay` and tests/unit/test_session.c use it alone.
 *
 * A script error during a session never takes it down. "The failed step
 * changes nothing" is made true by rebuilding: the events of a failed step or
 * input are staged and dropped, and the run is rebuilt by replaying the
 * journal up to the point just before it, so the world, the queue, the random
 * stream and the Lua state are exactly as they were.
 *
 * Ownership: a dt_session_t owns its runtime, its records (json_t, one ref
 * each) and the committed event history; the log FILE is borrowed. */
#ifndef DT_SESSION_H
#define DT_SESSION_H
#include <stdio.h>
#include <jansson.h>
#include "lrt.h"
#include "output.h"

/* A committed event: one line of the JSON Lines log (with its newline). */
typedef struct dt_sevent {
  uint64_t seq;
  uint64_t seen;     /* bit i: state i may see it */
  int all;           /* public */
  int asked;         /* decision index when this is decision.asked, else -1 */
  int made;          /* decision index when this is decision.made of a decision a person
                      * was asked, else -1 */
  const char *how;   /* then how it closed: answered, overridden, defaulted or policy (static) */
  char *line; size_t len;
} dt_sevent_t;

typedef struct dt_session dt_session_t;

/* A session played in turns (turns.h): the turn, its phase and its moves. */
typedef struct dt_turns {
  int number;           /* 1, 2, ...; 0 when the session is not played in turns */
  int phase;            /* DT_TURN_PLANNING, _ADJUDICATION, _RUNNING */
  dt_time_t start, ends;
  int64_t closes;       /* planning closes by itself then (real time, Unix ms); 0: no limit */
  json_t *moves;        /* this turn's moves, as the `turn` message lists them */
  int changed;          /* since the hub last told people */
} dt_turns_t;
typedef void (*dt_session_cb)(dt_session_t *s, const dt_sevent_t *ev, void *ud);

struct dt_session {
  dt_lrt_t *rt;
  dt_sim_t *sim;
  json_t *header;                 /* the journal's first record */
  const char *scenario;           /* borrowed from header */
  uint64_t seed;
  dt_lrt_override_t ov[64]; int nov; /* strings borrowed from header */
  json_t **recs; size_t nrecs, caprecs;   /* accepted inputs, in order */
  uint64_t ninputs;               /* of them, those from people (numbered 1, 2, ...) */
  dt_sevent_t *hist; size_t nhist, caphist;
  uint64_t committed;             /* highest committed event seq */
  dt_sevent_t *stage; size_t nstage, capstage;
  FILE *log; dt_eventlog_t lg;    /* borrowed; NULL for none */
  dt_session_cb on_event; void *ud;
  json_t *replayed; /* what became of the last replayed input (as an ack says), or NULL */
  char *error;                    /* last script error (malloc'd) */
  unsigned char *dasked; size_t ndasked;   /* per decision: asked of a human seat */
  const char *closing;            /* how the decision being answered closes (while an input runs) */
  int ended;
  dt_turns_t turns;
  /* Moves offered (a move's available()): evaluated for every human seat at
   * deterministic points only — after setup, after each input applied, after
   * each step — live, on resume and in replay alike. */
  int avail_on;                   /* some move declares available() */
  int avail_n;                    /* the moves, in declaration order */
  unsigned char *avail;           /* [seat * DT_SESSION_MAXMOVES + move]: 1 offered */
  uint64_t avail_dirty;           /* bit i: seat i's offer changed since the hub told it */
  json_t *move_names;             /* the moves' names, in declaration order */
  int v;                          /* the journal's version (header "v"): from 2 on, broadcasts,
                                   * refused moves and turns are events on the timeline */
  /* The last failed step (dt_session_cancel_failed): whether the step itself
   * failed (not a move's precondition after it), which limit stopped it and
   * the hook that ran then (lrt.h fail_limit, fail_hook). */
  int fail_step, fail_limit, fail_move;   /* fail_move: rt->fail_move (a precondition) */
  int fail_decision;                      /* rt->fail_decision (a process it woke) */
  uint32_t fail_hook;
};

#define DT_SESSION_MAXMOVES 256

/* The journal version a new session writes. */
#define DT_SESSION_JOURNAL_V 2

/* Creates a session from a header record ({"type":"session", ...}, borrowed)
 * and compiles its scenario. 0, or < 0 with *err set (malloc'd). */
int dt_session_new(dt_session_t **out, json_t *header, const char *stdlib_dir,
                   const dt_lrt_limits_t *lim, FILE *log, char **err);
/* Runs the scenario's setup and writes the log header. Sinks added to
 * s->sim before this see setup's events too. 0 or < 0 with *err set. */
int dt_session_start(dt_session_t *s, char **err);
void dt_session_free(dt_session_t *s);
/* Replays one journaled record (takes a reference). 0 or < 0 with *err set. */
int dt_session_replay(dt_session_t *s, json_t *rec, char **err);
/* Applies a live input (takes a reference): stamps it with where it applies,
 * runs it and keeps it. *result (new reference, may be NULL) says what became
 * of it. A script error rebuilds the session as it was before the input and
 * returns DT_ESCRIPT with *err set; the input is not kept. */
int dt_session_input(dt_session_t *s, json_t *rec, json_t **result, char **err);
/* One simulation step up to `until`: 1 stepped, 0 nothing due, < 0 a script
 * error (the session is rebuilt as before the step; *err set). */
int dt_session_step(dt_session_t *s, dt_time_t until, char **err);
/* After dt_session_step failed because scenario code hit a limit (the
 * instruction limit, --max-seconds, the instant cap; not memory, which the
 * run's state holds whatever is cancelled), cancels what hit it, so the next
 * step does not fail the same way: the on() or when() hook whose code was
 * running, else the queue entry the step ran (an at()/after()/every() hook, a
 * process, ...; always that entry for the instant cap, whose count at this
 * instant starts again). A process woken by a wait_for() event or by a
 * decision's answer is cancelled as the process (it never resumes). After
 * dt_session_input failed the same way (not on the instant cap), only a hook or
 * process the input set off is cancelled; the input itself stays refused. A
 * move's precondition that hit the limit (after a step or an input) is
 * cancelled in either case: the move is no longer offered. The cancellation
 * is a server input, {"type":"cancel","by":"server","limit":L,"hook":N |
 * "move":M | "decision":D | "due":T,"what":W}, applied at the point just
 * before the failed step and kept, so a rebuild, a resume and a replay cancel
 * the same thing there. 1 with *rec the record
 * to journal (new reference; "what" says what was cancelled, for people), 0
 * when there is nothing to cancel, < 0 as dt_session_input. */
int dt_session_cancel_failed(dt_session_t *s, json_t **rec, char **err);
/* Checks an input before it is applied: 0, or -1 with *code/msg set. `seat` is
 * the sender's state index, or -1 for the facilitator. */
int dt_session_check(dt_session_t *s, json_t *rec, int seat, const char **code,
                     char *msg, size_t msglen);
/* Ends the session: outcomes and the log footer. */
int dt_session_finish(dt_session_t *s);
/* A JSON description of a decision for clients (new reference). */
json_t *dt_session_decision_json(dt_session_t *s, const dt_decision_t *d);
int dt_session_pending_human(dt_session_t *s);
/* A decision.closed message (new reference): how is answered (by its seat),
 * overridden (by the facilitator), defaulted (its deadline, or it could not
 * wait) or policy (the seat went back to its policy). */
json_t *dt_session_closed_json(dt_session_t *s, const dt_decision_t *d, const char *how);
/* The moves the scenario declares as `seat` (a state index, or -1) is
 * offered them, [{"name", "doc"?, "args"}] in declaration order, and its
 * injects, [{"name", "doc"?, "args"}] sorted by name (new references). */
json_t *dt_session_moves_json(dt_session_t *s, int seat);
json_t *dt_session_injects_json(dt_session_t *s);
/* 1 when `seat` is offered move `name` now (or nothing restricts it). */
int dt_session_move_offered(dt_session_t *s, int seat, const char *name);
/* The message forms the scenario declares ([{name, title?, doc?, args}]),
 * and a post's fields checked against one: the fields as people read them
 * (new reference), or NULL with *code (unknown_form, bad_fields) and msg set.
 * No scenario code runs. */
json_t *dt_session_forms_json(dt_session_t *s, int seat);
json_t *dt_session_form_fields(dt_session_t *s, const char *form, json_t *fields, int seat,
                               const char **code, char *msg, size_t msglen);

/* For the session's own files (turns.c): an event an input puts on the
 * timeline (0, or < 0 when a hook failed), and a refused move's event
 * (version 2 journals; `by` is "scenario" or "umpire"). */
int dt__session_emit(dt_session_t *s, const char *kind, int actor, int vis,
                     const dt_field_t *fields, int nfields, const char *text);
int dt__session_refused(dt_session_t *s, int seat, const char *move, json_int_t input,
                        const char *reason, const char *by);

/* Reads a journal for resume and replay: the header and the records (new
 * references, *recs malloc'd), with a torn tail reported on stderr and
 * dropped; *valid_end is where the next record goes. `cmd` names the command
 * in messages. Returns 0 or a DT_EXIT_* code (the message printed). */
int dt_session_read_journal(const char *path, json_t **header, json_t ***recs, size_t *n,
                            uint64_t *valid_end, const char *cmd);

#endif
