/* l_fields.h: what the bindings share to check a script's table arguments:
 * named fields against one list per function (with "did you mean"), lists
 * without holes, and the findings `detente check` collects. Internal: not
 * part of the public API. */
#ifndef DT_L_FIELDS_H
#define DT_L_FIELDS_H

#include "lrt.h"

/* The named fields one API function accepts. Extending a function means adding
 * a name to its list (keep the lists beside the function that reads them).
 * `renamed` holds pairs { old, new, ..., NULL }: names people use by habit
 * that get a pointed hint (every's `until` -> `last`). `attrs` is 1 when the
 * function takes scenario attributes under attrs = {...}. */
typedef struct dt__lrt_fields {
  const char *fn;
  const char *const *names;
  const char *const *renamed;
  int attrs;
} dt__lrt_fields_t;

/* Every API function's fields, one list each, in l_fields.c: a new field is
 * one more name in its function's list (and in stdlib/meta/detente.lua). */
extern const dt__lrt_fields_t dt__lrt_f_scenario, dt__lrt_f_state, dt__lrt_f_system, dt__lrt_f_rate,
    dt__lrt_f_metric, dt__lrt_f_term, dt__lrt_f_treaty, dt__lrt_f_limit, dt__lrt_f_propose,
    dt__lrt_f_counter, dt__lrt_f_decision, dt__lrt_f_policy, dt__lrt_f_move, dt__lrt_f_emit,
    dt__lrt_f_every, dt__lrt_f_param, dt__lrt_f_outcome, dt__lrt_f_stockpile, dt__lrt_f_inspect,
    dt__lrt_f_group, dt__lrt_f_series, dt__lrt_f_inject, dt__lrt_f_form, dt__lrt_f_when;
/* All of them, NULL-terminated (for `detente check --fields` and its test). */
extern const dt__lrt_fields_t *const dt__lrt_fields_all[];

/* Checks every key of the table at idx against f; ctx (or f->fn when NULL)
 * names the function in the message: "system: unknown field 'deployd' (did you
 * mean 'deployed'?)". Allocates nothing unless a key is wrong. In check mode
 * the problem is recorded and the key ignored. [-0, +0, e] */
void dt__lrt_checkfields(lua_State *L, int idx, const dt__lrt_fields_t *f, const char *ctx);

/* Checks that the table at idx is a list of min..max items with no holes and
 * no named keys; returns its length. `what` names the items ("states").
 * [-0, +0, e] */
int dt__lrt_checklist(lua_State *L, int idx, const char *ctx, const char *field,
                  const char *what, int min, int max);

/* Pushes " (did you mean 'x'?)" for the closest of list[0..n), or "". [-0, +1, m] */
const char *dt__lrt_pushsuggest(lua_State *L, const char *name, const char *const *list, size_t n);

/* "file:line: " of the innermost scenario frame (stdlib frames skipped), or "". [-0, +1, m] */
const char *dt__lrt_pushwhere(lua_State *L);

/* A mistake the run can step over (an unknown field, a policy for an
 * undeclared decision): raises "file:line: msg", or in check mode records it
 * and returns so the caller carries on. [-0, +0, e] */
void dt__lrt_problem(lua_State *L, const char *msg);
/* A finding that is no error in a run (a hook dated after the stop): recorded
 * in check mode only. [-0, +0, m] */
void dt__lrt_note(lua_State *L, const char *msg);

/* ---- for `detente check` ---- */
void dt__lrt_set_check(dt_lrt_t *rt, int on);
/* Records msg as a finding (duplicates are kept once). */
void dt__lrt_add_finding(dt_lrt_t *rt, const char *msg);
int dt__lrt_nfindings(dt_lrt_t *rt);
/* Check mode, called by the bindings: a param read through param.name; a param
 * declared at file:line whose value the declaring statement throws away (so
 * only param.name can use it); an outcome that produced a value. */
void dt__lrt_check_param_read(lua_State *L, const char *name);
void dt__lrt_check_param_declared(lua_State *L, const char *name);
void dt__lrt_check_decision_declared(lua_State *L, const char *name);
/* s:move refused (the reason is at the top of the stack): remembered per move,
 * state and call site (the scenario's file:line) with the first reason and the
 * number of smoke runs it happened in. [-0, +0, m] */
void dt__lrt_check_move_refused(lua_State *L, const char *move, const char *state);
/* After one smoke run (outcomes evaluated or not): what the run shows about
 * decisions, policies and outcomes. [-0, +0, m] */
void dt__lrt_check_after_run(dt_lrt_t *rt, int finished);
/* After all smoke runs: params never read, outcomes never set. */
void dt__lrt_check_finish(dt_lrt_t *rt, int nruns);
/* Prints every global the sandbox gives a scenario and every field list, one
 * per line ("global NAME", "fields FN: a b c"), for tests/cli/editor.sh. */
void dt__lrt_print_api(dt_lrt_t *rt, FILE *out);
const char *dt__lrt_finding(dt_lrt_t *rt, int i);   /* 0-based; valid until dt_lrt_free */

#endif
