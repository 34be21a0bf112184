/* lrt.h: the Lua runtime around a simulation. One dt_lrt_t per worker owns a
 * lua_State, the sandboxed base environment, the compiled scenario and module
 * caches; each run gets a fresh environment table and per-run tables that die
 * with the run. All calls from C into Lua go through lrt_start (a pooled
 * coroutine with a traceback) or lrt_pcall; no script error reaches exit(). */
#ifndef DT_LRT_H
#define DT_LRT_H

#include <lua.h>
#include <lauxlib.h>
#include "world.h"

/* Queue kinds the runtime owns (>= DT_K_FOREIGN). */
enum { LRT_K_CALL = DT_K_FOREIGN, LRT_K_EVERY, LRT_K_RESUME, LRT_K_WAIT_TIMEOUT };

/* Values the scenario reports back: params and outcomes. */
enum { LRT_V_NONE, LRT_V_BOOL, LRT_V_NUM, LRT_V_STR };
typedef struct lrt_value { int type; double num; char *str; } lrt_value_t;
typedef struct lrt_named { char *name; char *doc; lrt_value_t v; int sampled; } lrt_named_t;

typedef struct lrt_override { const char *name; const char *value; } lrt_override_t;

typedef struct lrt_limits {
  int64_t instructions;   /* per hook call; 0 = none */
  size_t memory;          /* bytes per run; 0 = none */
  int unsafe;             /* lift the sandbox */
} lrt_limits_t;

#define LRT_POOL_MAX 32

typedef struct dt_lrt {   /* one per worker; owns L and sim */
  lua_State *L;
  dt_sim_t *sim;
  lrt_limits_t lim;
  size_t mem_used, mem_base;
  int mem_hit, mem_lifted;
  int64_t insn_used;
  int insn_hit;
  char *script_path, *script_dir, *stdlib_dir;
  int chunk_ref;          /* compiled scenario, in the registry */
  uint32_t run_gen;       /* increments per run; stale handles raise */
  int live_refs;          /* refs held in the per-run table */
  int pool_n;             /* coroutines in the pool */
  lua_State *pool[LRT_POOL_MAX], *pool_anchor[LRT_POOL_MAX];
  int nwhen;              /* when() hooks declared this run */
  int hook_depth;         /* hooks running, nested */
  /* per run */
  const lrt_override_t *overrides; int noverrides;
  int sample_params;      /* draw distributions (always, except --no-sample) */
  dt_rng_t param_rng;
  lrt_named_t *params; int nparams, capparams;
  lrt_named_t *outcomes; int noutcomes, capoutcomes;
  int quiet_print;
  char *error;            /* first error of the run, malloc'd, or NULL */
  int error_code;         /* DT_ESCRIPT or DT_ELIMIT */
  int scenario_called;
  int in_setup;
  int setup_done;
  int spawn_next;          /* the next lrt_start runs a process */
  int yield_ok;           /* an engine call is suspending the coroutine */
  int nprocesses;         /* live spawned processes */
  int ref_next;           /* last ref handed out this run */
} dt_lrt_t;

dt_lrt_t *lrt_new(const lrt_limits_t *lim, const char *stdlib_dir);
void lrt_free(dt_lrt_t *rt);
/* Compiles the scenario once. On failure returns DT_EPARSE or DT_EIO and sets
 * rt->error to "file:line: message". */
int lrt_load(dt_lrt_t *rt, const char *path);
/* Resets the sim for a run, executes the chunk in a fresh environment (setup).
 * Returns 0 or a negative code with rt->error set. */
int lrt_setup(dt_lrt_t *rt, uint64_t run_seed, const lrt_override_t *ov, int nov);
/* Evaluates the outcomes after the loop; fills rt->outcomes. */
int lrt_finish(dt_lrt_t *rt);
/* Drops the per-run Lua state (refs, handles, env). */
void lrt_end_run(dt_lrt_t *rt);
void lrt_clear_error(dt_lrt_t *rt);

/* ---- for the binding files ---- */
dt_lrt_t *lrt_get(lua_State *L);
/* Pushes a table of the current run's state ("moves", "injects", ...),
 * creating it on first use; raises when no run is active. [-0, +1, e] */
void lrt_getrun(lua_State *L, const char *field);
/* The running sim; raises if no run is active. [-0, +0, e] */
dt_sim_t *lrt_sim(lua_State *L);
/* Stores the value at idx in the per-run ref table; returns a ref > 0. [-0, +0, m] */
int lrt_ref(lua_State *L, int idx);
void lrt_getref(lua_State *L, int ref);   /* [-0, +1, -] */
/* Starts fn (at top) with nargs args above it in a pooled coroutine.
 * [-(nargs+1), +0, -] Returns 0, or < 0 when the script failed. */
int lrt_start(dt_lrt_t *rt, lua_State *L, int nargs, const char *what);
/* Calls a function synchronously (policies, predicates, metrics, outcomes),
 * with a traceback on error. [-(nargs+1), +nres, -] */
int lrt_pcall(dt_lrt_t *rt, lua_State *L, int nargs, int nres, const char *what);
/* Records a script error (first one wins) with date and context. */
void lrt_fail(dt_lrt_t *rt, const char *msg, const char *traceback);
/* Every entry from C into the runtime makes sure the stack of L has this much
 * room (nested hooks grow the main thread's stack): 1, or 0 with the run failed. */
#define LRT_STACK_ROOM 48
int lrt_room(dt_lrt_t *rt, lua_State *L);
/* Raises a Lua error if the run has already failed (after nested hooks). */
void lrt_check(lua_State *L);
/* Resets the instruction budget for a new top-level entry. */
void lrt_budget(dt_lrt_t *rt);
/* Resumes a suspended engine coroutine with nargs values at top of L. */
int lrt_resume(dt_lrt_t *rt, lua_State *L, int thread_ref, int nargs);
/* 1 if L is a spawned process (wait allowed). */
int lrt_is_process(lua_State *L);
/* The ref of the running engine coroutine, 0 if not yieldable/engine. */
int lrt_current_ref(lua_State *L);
/* Raises "name: message" with the string of a DT_E code. */
int lrt_raise(lua_State *L, const char *what, int err);

/* time values shared by bindings */
dt_time_t lrt_checktime(lua_State *L, int idx);       /* Date or "YYYY-MM-DD" */
void lrt_pushtime(lua_State *L, dt_time_t t);
typedef struct lrt_dur { int64_t months, seconds; } lrt_dur_t;
lrt_dur_t lrt_checkdur(lua_State *L, int idx);
int lrt_isdur(lua_State *L, int idx);
dt_time_t lrt_addur(lua_State *L, dt_time_t t, lrt_dur_t d);

/* handles: userdata wrapping world objects, one per object per run */
enum { LRT_H_STATE, LRT_H_SYSTEM, LRT_H_TREATY, LRT_H_PROPOSAL, LRT_H_DECISION,
       LRT_H_CHANGE, LRT_H_HOOK, LRT_H__COUNT };
void lrt_pushhandle(lua_State *L, int type, void *obj);
void *lrt_checkhandle(lua_State *L, int idx, int type);
void *lrt_testhandle(lua_State *L, int idx, int type);
dt_state_t *lrt_checkstate(lua_State *L, int idx);   /* handle or id string */
/* A handle type's built-in fields: pushes the value of key and returns 1, or
 * returns 0 when key is not a built-in field. */
typedef struct lrt_getter { int (*fn)(lua_State *L, void *obj, const char *key); } lrt_getter_t;
void lrt_handle_register(lua_State *L, int type, const luaL_Reg *methods,
                         const lrt_getter_t *getter, lua_CFunction tostring);
void lrt_attrs(lua_State *L, int idx);   /* [-0, +1, -] the attribute table */
/* Pushes an event as a table for hooks. [-0, +1, m] */
void lrt_push_event(lua_State *L, dt_sim_t *sim, const dt_event_t *ev);

/* per-module openers, listed in l_init.c */
void l_open_time(lua_State *L);
void l_open_sched(lua_State *L);
void l_open_world(lua_State *L);
void l_open_diplo(lua_State *L);
void l_open_rng(lua_State *L);
void l_open_data(lua_State *L);
void l_open_scenario(lua_State *L);
/* event sink and callbacks installed on the sim */
void lrt_on_event(dt_sim_t *sim, const dt_event_t *ev, void *ud);
void lrt_after_step(dt_sim_t *sim, void *ud);
int lrt_policy(dt_sim_t *sim, dt_decision_t *d, const dt_policy_t *p, void *ud);
void lrt_decided(dt_sim_t *sim, dt_decision_t *d, void *ud);
int lrt_metric(dt_sim_t *sim, int metric, const dt_state_t *s, double *out, void *ud);

/* registry keys: addresses of statics in lrt.c */
extern const char lrt_key_run, lrt_key_base, lrt_key_chunks, lrt_key_refs, lrt_key_when;
void lrt_unref(lua_State *L, int ref);

#endif
