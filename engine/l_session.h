/* l_session.h: what a live session asks of the Lua runtime, so the session
 * (a service) never touches a lua_State: the moves and injects a run
 * declares, making a move or firing an inject, and a decision's context as
 * JSON. Also the one JSON-to-Lua conversion (data.json and move arguments).
 * Not part of the public API.
 *
 * Ownership: json_t results are new references the caller owns; json_t
 * arguments are borrowed. */
#ifndef DT_L_SESSION_H
#define DT_L_SESSION_H
#include <jansson.h>
#include "lrt.h"

/* 1 when the active run declares a move (an inject) of that name, else 0
 * (also with no active run or a NULL name). */
int dt__lrt_has_move(dt_lrt_t *rt, const char *name);
int dt__lrt_has_inject(dt_lrt_t *rt, const char *name);
/* The declared moves, in declaration order: [{"name", "doc"?, "args"}] with
 * args [{name, type, required, default?, doc?, min?, max?, integer?,
 * options?, of?}] (empty when the move declares none); a system argument
 * lists `seat`'s systems as its options (seat may be NULL). */
json_t *dt__lrt_moves_json(dt_lrt_t *rt, const dt_state_t *seat);

/* The preconditions of the declared moves for state st, in declaration
 * order: out[i] = 1 when move i declares no `available` or available(st)
 * returned true, else 0 (at most max). Each precondition runs read-only:
 * drawing a random number, emitting, scheduling, moving, deciding or
 * proposing raises (dt__lrt_impure), and a call that changed the event
 * count, the queue, the random stream, the decisions or the proposals anyway
 * fails the run too. Returns the number of moves (0 when none declares
 * `available`: then out is not written), or < 0 when a precondition failed
 * (rt->error says why; the run is failed, as a raising validate fails it). */
int dt__lrt_moves_available(dt_lrt_t *rt, dt_state_t *st, unsigned char *out, int max);
/* 1 when some declared move has an `available` function. */
int dt__lrt_moves_conditional(dt_lrt_t *rt);
/* A move by state st: the move's validate(state, args), then apply(state,
 * args) in a coroutine (so apply may wait or decide). args is a JSON object
 * or NULL for {}. Returns 0 when applied; 1 when validate refused it, with
 * *refusal set to the reason (malloc'd); DT_ENOENT for an unknown move;
 * DT_EINVAL when args cannot become a Lua value (*refusal says why); another
 * negative code when the script failed (rt->error says why). */
int dt__lrt_move(dt_lrt_t *rt, dt_state_t *st, const char *name, json_t *args, char **refusal);
/* Fires a declared inject as fire(name, args) does (args: JSON object or
 * NULL, checked against its declared args): 0; DT_EINVAL with *refusal set
 * (malloc'd) when the arguments are refused; DT_ENOENT; or < 0 when the
 * script failed. */
int dt__lrt_fire(dt_lrt_t *rt, const char *name, json_t *args, char **refusal);
/* The declared injects with their forms: [{name, doc?, args}], names sorted
 * bytewise. */
json_t *dt__lrt_injects_json(dt_lrt_t *rt);
/* The message forms the run declares with form(name, {title=, doc=, args=}),
 * in declaration order: [{name, title?, doc?, args}] (args as for moves; a
 * system argument lists `seat`'s systems). */
json_t *dt__lrt_forms_json(dt_lrt_t *rt, const dt_state_t *seat);
/* Checks a post's fields against form `name`'s declared args, as a move's
 * arguments are checked (no scenario code runs): 0 with *out the fields as
 * people read them (ids for states, treaties and proposals, defaults filled
 * in; a new reference); DT_ENOENT for an unknown form; DT_EINVAL with
 * *refusal set (malloc'd) naming the field. fields may be NULL. */
int dt__lrt_form_fields(dt_lrt_t *rt, const char *name, json_t *fields, const dt_state_t *seat,
                       json_t **out, char **refusal);
/* What a live session cancels after a step failed on a limit (session.h,
 * "cancel" records), both at the point just before that step, live and in
 * replay alike. dt__lrt_cancel_hook: the on(), when() or wait_for() hook
 * numbered `serial` (rt->fail_hook) stops, as its cancel() would (a process
 * waiting in wait_for() then never resumes). dt__lrt_skip_entry:
 * the queue's first entry (the one the failed step ran) is dropped without
 * running (an every() hook is cancelled with it, an at()/after() hook's
 * values released) and the instant's count (the instant cap) starts again.
 * Each writes what it cancelled, for people ("the hook scheduled with at() or
 * after() (function at f.lua:9)"), to what. 0, or DT_ENOENT (no such hook,
 * an empty queue: the journal does not match the run). No script code runs. */
int dt__lrt_cancel_hook(dt_lrt_t *rt, uint32_t serial, char *what, size_t n);
/* The same for a move whose available() hit a limit (rt->fail_move): its
 * precondition is not called again this run and the move is offered to no
 * seat (the white cell may still make it). 0, or DT_ENOENT. */
int dt__lrt_cancel_move(dt_lrt_t *rt, const char *name, char *what, size_t n);
/* And for the process an answer to decision `index` (from 0) woke
 * (rt->fail_decision - 1): it will not resume; the decision stays open and
 * closes as any does, without it. 0, or DT_ENOENT (no process waits). */
int dt__lrt_cancel_decision(dt_lrt_t *rt, int index, char *what, size_t n);
int dt__lrt_skip_entry(dt_lrt_t *rt, char *what, size_t n);

/* The context a scenario gave decide() (by its registry ref) as a JSON
 * object: string, number and boolean fields as they are, handles (an offer, a
 * treaty) as their tostring text, other values left out, keys in sorted
 * order; "options", "decision" and "state" are left out (the decision
 * message carries them). NULL when the ref holds nothing or the run failed. */
json_t *dt__lrt_context_json(dt_lrt_t *rt, int ctx_ref);

/* Declared arguments of a move or an inject: args = { {name=, type=,
 * required=, default=, doc=, min=, max=, integer=, options=}, ... } with
 * type state, treaty, proposal, system, duration, date, number, choice, text,
 * boolean, list or table (docs/api.md). Raises a clear error at declaration
 * when the list is malformed. [-0, +0, e] */
void dt__lrt_check_args_spec(lua_State *L, int idx, const char *what, const char *name);
/* Checks and converts arguments (the table at args_idx) against the `args`
 * of the spec table at spec_idx: ids become handles ("RUS", "nst", "P3"),
 * texts durations ("5d", "6 months") and dates, defaults are filled in, and
 * an argument not declared is refused. A spec without `args` passes the
 * table through. 1 with the new table pushed, or 0 with the reason pushed.
 * `mover` (may be NULL) owns the systems a system argument names.
 * [-0, +1, e] */
int dt__lrt_args(lua_State *L, int spec_idx, int args_idx, const dt_state_t *mover);

/* The one conversion from JSON to Lua. Objects become tables (members that
 * are null are left out), arrays become sequences (a null leaves a hole),
 * strings, integers, reals and booleans become the same Lua values, a bare
 * null becomes nil. Deeper than DT_LRT_JSON_DEPTH levels raises "what: nested
 * deeper than 64 levels". [-0, +1, e] */
#define DT_LRT_JSON_DEPTH 64
void dt__lrt_pushjson(lua_State *L, json_t *j, const char *what);

#endif
