/* turns.h: a session played in turns (`serve --turns 1mo`), as a seminar game
 * is run: in each turn's planning phase the teams' moves are held, not
 * applied; the umpire closes planning (adjudicate), may refuse or amend any
 * held move with a reason, and releases the turn: the moves are applied in
 * the order they were submitted, then the clock runs to the turn's end and the
 * next turn's planning begins. docs/protocol.md, "Turns and phases".
 *
 * The state lives in the session and changes only by journaled records
 * (`turn`, a `move` with `held`, `adjudicate`, `refuse`, `amend`, `release`),
 * so a resume or a replay restores the phase, the held moves and their
 * statuses exactly. No network, no Lua: applying a released move goes through
 * l_session.h like any move. */
#ifndef DT_TURNS_H
#define DT_TURNS_H
#include <jansson.h>
#include "session.h"

enum { DT_TURN_PLANNING, DT_TURN_ADJUDICATION, DT_TURN_RUNNING };

const char *dt_turns_phase_name(int phase);
/* Clears the state (a new run, or a rebuild that replays the records). */
void dt_turns_reset(dt_session_t *s);
/* What a turn record does: 1 when `rec` is one (a `turn`, a held `move`,
 * `adjudicate`, `refuse`, `amend`, `release`) and was applied, with *result
 * (new reference, may be NULL) for its ack; 0 when it is not one; < 0 when
 * the scenario failed. */
int dt_turns_apply(dt_session_t *s, json_t *rec, const char *type, json_t **result);
/* Checks a turn input before it is applied (`seat`: the sender's state index
 * or -1): 0, or -1 with *code and msg set. Other inputs pass. */
int dt_turns_check(dt_session_t *s, json_t *rec, int seat, const char **code, char *msg,
                   size_t msglen);
/* The `turn` message for `seat` (a state index: its own moves; -1: all),
 * or NULL when the session is not played in turns (new reference). */
json_t *dt_turns_json(dt_session_t *s, int seat);
/* A turn's length: "1mo", "2 months", "1y", "10d", "2w", "36h". 0, or -1. */
int dt_turns_parse_length(const char *text, int64_t *months, int64_t *seconds);
/* Where a turn that starts at `t` ends. */
dt_time_t dt_turns_end(dt_time_t t, int64_t months, int64_t seconds);

#endif
