/* lrt.h: the Lua runtime around a simulation; internal, not part of the
 * public API (detente.h is) and not installed. One dt_lrt_t per worker owns a
 * lua_State, the sandboxed base environment, the compiled scenario and module
 * caches; each run gets a fresh environment table and per-run tables that die
 * with the run. All calls from C into Lua go through dt__lrt_start (a pooled
 * coroutine with a traceback) or dt__lrt_pcall; no script error reaches exit(). */
#ifndef DT_LRT_H
#define DT_LRT_H

#include <lua.h>
#include <lauxlib.h>
#include "detente.h"
#include "world.h"

/* Queue kinds the runtime owns (>= DT_K_FOREIGN). */
enum { DT_LRT_K_CALL = DT_K_FOREIGN, DT_LRT_K_EVERY, DT_LRT_K_RESUME, DT_LRT_K_WAIT_TIMEOUT,
       DT_LRT_K_SERIES, DT_LRT_K_OUTCOME };

/* A param or an outcome: its name, its doc string and its value. A param's
 * range (lo, hi) is its declared min/max, else the bounds of a bounded
 * distribution (uniform, int, triangular, beta); NaN where there is none. */
typedef struct dt_lrt_named {
  char *name; char *doc; dt_lrt_value_t v; int sampled;
  double lo, hi;
  int whole;              /* params: whole numbers only (dist.int or dist.poisson, or a whole
                             default with whole min and max) */
  dt_time_t at;           /* outcomes: evaluated at this date (DT_NEVER: at the end) */
} dt_lrt_named_t;

/* The bounds of a dist.* object with finite support (l_rng.c): 1, or 0. */
int dt__lrt_dist_bounds(const void *d, double *lo, double *hi);
/* Whether a dist.* object draws whole numbers only (int, poisson): 1 or 0. */
int dt__lrt_dist_whole(const void *d);

/* handles: userdata wrapping world objects, one per object per run */
enum { DT_LRT_H_STATE, DT_LRT_H_SYSTEM, DT_LRT_H_TREATY, DT_LRT_H_PROPOSAL, DT_LRT_H_DECISION,
       DT_LRT_H_CHANGE, DT_LRT_H_HOOK, DT_LRT_H_GROUP, DT_LRT_H__COUNT };

/* A series: a value sampled every period (series()); owns its arrays. */
#define DT_LRT_SERIES_MAX 64
#define DT_LRT_SAMPLES_MAX 100000
typedef struct dt_lrt_series {
  char *name, *doc;
  int64_t months, seconds;   /* the period */
  dt_time_t first;           /* the first sample's date; samples fall on first + k periods */
  int k;                     /* periods done */
  int n, cap;
  dt_time_t *t; double *v;   /* samples; v NaN where the series returned nil */
} dt_lrt_series_t;

#define DT_LRT_POOL_MAX 32
/* after(d, fn, ...) keeps fn and its arguments in one block of ref slots. */
#define DT_LRT_BLOCK_MAX 8
/* lalloc serves blocks up to this size from its own free lists. */
#define DT_LRT_POOL_MAXSZ 256

/* The C side of a ref slot. A block of k slots (fn and its arguments) is
 * named by its first slot; gen counts the times that block was released, so a
 * light hook handle (l_sched.c) naming an earlier use is stale. */
typedef struct dt__lrt_slot { dt_qid_t qid; uint32_t gen; int next_free; int live; } dt__lrt_slot_t;

struct dt_lrt {            /* one per worker; owns L and sim */
  lua_State *L;
  dt_sim_t *sim;
  dt_lrt_limits_t lim;
  /* The memory limit (lrt.c, "the memory limit"): mem_used is what the Lua
   * heap holds now, garbage included; mem_keep what the worker keeps between
   * runs, measured live (after a full collection) and grown by what its caches
   * keep; mem_base, the run's zero, is mem_keep less what the run is charged
   * for the caches it uses. */
  size_t mem_used, mem_base, mem_keep, mem_peak;
  /* lalloc's pool of small blocks: free lists by 16-byte class, and the
   * chunk being carved. */
  void *pool_free[DT_LRT_POOL_MAXSZ / 16 + 1];
  char *pool_cur, *pool_end;
  void *pool_chunks;
  int mem_hit, mem_lifted;
  int mem_collecting;     /* a collection lalloc asked for is running */
  const void *box_site[8];   /* where lauxlib's buffers call lalloc (calibrated) */
  int nbox_site, calibrating;
  void *mstack;           /* the main thread's stack, followed from lua_newstate, or NULL */
  size_t mstack_bytes;    /* its size: in mem_used, not counted by the limit */
  int mstack_state;       /* 0 before the state, 1 its stack comes next, 2 after */
  void *last_new; size_t last_new_bytes;   /* the last block lalloc made (not resized) */
  void *strtab;           /* Lua's string table (found by calibration), or NULL */
  size_t strtab_bytes;    /* its size: in mem_used, not counted by the limit */
  void *strtab_seen; size_t strtab_bytes_seen; int strtab_links;   /* calibration */
  /* The last request lalloc refused (Lua collects and asks again): a retry
   * that then fits is no limit hit, whatever the hit flag was before. */
  void *ask_ptr; size_t ask_osize, ask_nsize; int mem_asked, mem_hit_before;
  int64_t insn_used;
  int insn_hit;
  int limit_hit;          /* the watchdog or the instant cap stopped the run */
  char limit_msg[400];    /* the first instruction or time limit's message, or "" */
  int instant_hit;        /* the instant cap did */
  int64_t cpu_deadline;   /* thread CPU time (ns) at which the watchdog fires; 0 = off */
  int watch_tick;         /* checks skipped since the last clock read */
  int64_t watch_gate;     /* monotonic time (ns) before which the deadline cannot be reached */
  int64_t instant_t, instant_n;   /* the simulated instant and what ran at it */
  char *script_path, *script_dir, *stdlib_dir;
  int chunk_ref;          /* compiled scenario, in the registry */
  uint32_t run_gen;       /* increments per run; stale handles raise */
  int live_refs;          /* refs held in the per-run table */
  int pool_n;             /* coroutines in the pool */
  lua_State *pool[DT_LRT_POOL_MAX], *pool_anchor[DT_LRT_POOL_MAX];
  int pool_busy[DT_LRT_POOL_MAX];   /* the slot's coroutine runs (lrt.c take_thread) */
  int pool_low;           /* the lowest pool_n of the run: slots from there were taken */
  int nwhen;              /* when() hooks declared this run */
  int hook_depth;         /* hooks running, nested */
  /* Which code failed (a live session cancels it, session.h): the run's
   * on()/when()/every()/wait_for() hooks are numbered 1, 2, ... as they are
   * made; hook_running is the on() or when() hook whose code runs now, or the
   * wait_for() hook of the process an event woke (innermost), 0 when none; at
   * the run's first error fail_hook takes it and fail_limit says which limit
   * stopped the run ('i' instructions, 't' CPU time, 'e' the instant cap, 'm'
   * memory, 0 none: a plain script error). */
  uint32_t hook_serial, hook_running, fail_hook;
  int fail_limit;
  /* The decision whose answer woke the process now running (index + 1, 0 none;
   * only while no hook runs inside it), and that at the first error. */
  int decision_running, fail_decision;
  /* per run */
  const dt_lrt_override_t *overrides; int noverrides;
  int sample_params;      /* draw distributions (always, except --no-sample) */
  dt_rng_t param_rng;
  /* mc --sample lhs (batch.c sets them before dt_lrt_setup; lhs_n 0: off):
   * run lhs_j of lhs_n in its point takes, for every param with a
   * distribution or a declared min and max, the stratum dt_rng_stratum(key of
   * lhs_seed and the param's name, lhs_n, lhs_j) of its quantiles. */
  uint64_t lhs_seed, lhs_n, lhs_j;
  dt_lrt_named_t *params; int nparams, capparams;
  dt_lrt_named_t *outcomes; int noutcomes, capoutcomes;
  dt_lrt_series_t *series; int nseries;   /* DT_LRT_SERIES_MAX allocated on first use */
  int quiet_print;
  char *error;            /* first error of the run, malloc'd, or NULL */
  int error_code;         /* DT_ESCRIPT or DT_ELIMIT */
  int scenario_called;
  int in_setup;
  int setup_done;
  int spawn_next;          /* the next dt__lrt_start runs a process */
  int yield_ok;           /* an engine call is suspending the coroutine */
  int nprocesses;         /* live spawned processes */
  int ref_next;           /* highest ref slot in use this run */
  int run_active;         /* the run's tables exist (dt_lrt_setup to dt_lrt_end_run) */
  int refs_ri;            /* registry index of the run's ref array */
  int base_n;             /* names in the base, counted at the last run's start */
  dt__lrt_slot_t *slots;  /* owned; [1..slot_cap) */
  int slot_cap;
  int free_head[DT_LRT_BLOCK_MAX + 1];   /* released blocks, by size */
  const void *mt_date, *mt_dur;          /* metatables, compared by address */
  const void *mt_handle[DT_LRT_H__COUNT];
  int handles_ri;         /* registry index of the run's handle cache */
  /* The lazy instruction limit (dt_lrt_lazy_limits): no count hook on the
   * engine's threads until a tick of the thread's CPU-time timer finds one
   * top-level entry still running; then the run is stopped and run again
   * with the exact count. Written by the signal handler: volatile. */
  int lazy;               /* engine threads run without the count hook */
  lua_State *volatile running;        /* the engine thread running Lua, or NULL */
  volatile unsigned entry_serial;     /* counts top-level entries (dt__lrt_budget) */
  volatile unsigned tick_serial;      /* entry_serial at the last tick */
  volatile int suspect;   /* a tick found an entry running long */
  int rerun;              /* the run must be run again with the exact count */
  int switching;          /* hooks being changed outside the handler */
  void *timer;            /* owned; the CPU-time timer, or NULL */
  int check_mode;         /* `detente check`: record mistakes a run can step over */
  uint32_t ids_gen;       /* the run whose object numbers the ids table holds (l_order.c) */
  int64_t ids_next;       /* the last number given in that run */
  const char *pure;       /* a move's available() is running: the world is read-only (the
                           * move's name), else NULL */
  int pure_index;         /* that move's place in declaration order, from 1 */
  int fail_move;          /* pure_index when the run's first error came, else 0 */
  uint64_t moves_cancelled[4];   /* bit i: move i's precondition was cancelled (a live
                                  * session, dt__lrt_cancel_move): it is not offered */
  /* Creation numbers (lrt.c "creation numbers", l_order.c): each table,
   * function, userdata and coroutine carries, in 8 bytes before it, a number
   * given when it was made: the run's objects 1, 2, ... (num_next the last),
   * tagged with the run; the worker's (made while the runtime is built, or
   * while a cache loads: a shared module, a data file, a compiled chunk)
   * numbered within their space (the load). */
  uint64_t num_next;
  int num_on;             /* 0 while the runtime is built (its objects are the base's) */
  int num_depth;          /* loads running, nested: num_frame[num_depth - 1] numbers */
  struct dt__lrt_num_frame { uint32_t space; uint64_t next; } *num_frame;
  int num_frame_cap;
  char **num_space;       /* names of the spaces from 2 (1 is the base's, "") */
  uint32_t num_nspace, num_capspace;
  const char *num_last;   /* the last object numbered (calibration) */
  size_t num_udoff[3];    /* calibrated: a userdata's memory from its object with 0, 1, 2
                           * user values */
  size_t num_thoff;       /* calibrated: a coroutine's lua_State from its object */
};

/* ---- for the binding files ---- */
/* The runtime of L (kept in the state's extra space); inline, since every
 * engine function a script calls starts with it. */
static inline dt_lrt_t *dt__lrt_get(lua_State *L) { return *(dt_lrt_t **)lua_getextraspace(L); }
/* Pushes a table of the current run's state ("moves", "injects", ...),
 * creating it on first use; raises when no run is active. [-0, +1, e] */
void dt__lrt_getrun(lua_State *L, const char *field);
/* The running sim; raises if no run is active. [-0, +0, e] */
dt_sim_t *dt__lrt_sim(lua_State *L);
/* Stores the value at idx in the per-run ref table; returns a ref > 0. [-0, +0, m] */
int dt__lrt_ref(lua_State *L, int idx);
void dt__lrt_getref(lua_State *L, int ref);   /* [-0, +1, -] */
/* Blocks of k <= DT_LRT_BLOCK_MAX consecutive slots: the k values from idx up
 * are stored; the block is pushed back in order and released as one ref. */
int dt__lrt_ref_block(lua_State *L, int idx, int k);           /* [-0, +0, m] */
int dt__lrt_ref_take(lua_State *L, int k);                       /* [-k, +0, m] */
void dt__lrt_push_block(lua_State *L, int ref, int k);         /* [-0, +k, -] */
void dt__lrt_unref_block(lua_State *L, int ref, int k);        /* [-0, +0, -] */
/* The C side of a live ref (its qid, generation). */
static inline dt__lrt_slot_t *dt__lrt_slot(dt_lrt_t *rt, int ref) { return &rt->slots[ref]; }
/* Starts fn (at top) with nargs args above it in a pooled coroutine.
 * [-(nargs+1), +0, -] Returns 0, or < 0 when the script failed. */
int dt__lrt_start(dt_lrt_t *rt, lua_State *L, int nargs, const char *what);
/* dt__lrt_start for a caller that checked the stack room (dt__lrt_room) before
 * pushing the hook's function and arguments: a queue entry firing. */
int dt__lrt_start_hook(dt_lrt_t *rt, lua_State *L, int nargs);
/* Calls a function synchronously (policies, predicates, metrics, outcomes),
 * with a traceback on error. [-(nargs+1), +nres, -] */
int dt__lrt_pcall(dt_lrt_t *rt, lua_State *L, int nargs, int nres, const char *what);
/* Records a script error (first one wins) with date and context. */
void dt__lrt_fail(dt_lrt_t *rt, const char *msg, const char *traceback);
/* Every entry from C into the runtime makes sure the stack of L has this much
 * room (nested hooks grow the main thread's stack): 1, or 0 with the run failed. */
#define DT_LRT_STACK_ROOM 48
int dt__lrt_room(dt_lrt_t *rt, lua_State *L);
/* Raises "move 'x': available() may not <what> ..." while a precondition
 * runs (rt->pure): random draws, events, scheduling, moves, decisions and
 * proposals change the world, which a precondition only reads. [-0, +0, v] */
void dt__lrt_impure_fail(lua_State *L, const char *what);
static inline void dt__lrt_impure(lua_State *L, const char *what) {
  if (dt__lrt_get(L)->pure) dt__lrt_impure_fail(L, what);
}
/* Raises a Lua error if the run has already failed (after nested hooks). */
void dt__lrt_check(lua_State *L);
/* Resets the instruction budget for a new top-level entry. */
void dt__lrt_budget(dt_lrt_t *rt);
/* Starts the CPU-time watchdog (lim.seconds from now); dt_lrt_setup calls it,
 * serve calls it again before each step it runs. */
void dt__lrt_watch(dt_lrt_t *rt);
/* Counts one hook or event at the current simulated instant; 0, or fails the
 * run (the instant cap, or the watchdog) and returns DT_ELIMIT. */
int dt__lrt_instant(dt_lrt_t *rt);
/* Resumes a suspended engine coroutine with nargs values at top of L. */
int dt__lrt_resume(dt_lrt_t *rt, lua_State *L, int thread_ref, int nargs);
/* 1 if L is a spawned process (wait allowed). */
int dt__lrt_is_process(lua_State *L);
/* 1 if L is an engine coroutine that may suspend (a hook or a process), 0 in
 * a policy, metric, when() predicate, outcome or a script's own coroutine. */
int dt__lrt_can_suspend(lua_State *L);
/* The ref of the running engine coroutine, 0 if not yieldable/engine. */
int dt__lrt_current_ref(lua_State *L);
/* Raises "name: message" with the string of a DT_E code. */
int dt__lrt_raise(lua_State *L, const char *what, int err);

/* time values shared by bindings */
dt_time_t dt__lrt_checktime(lua_State *L, int idx);       /* Date or "YYYY-MM-DD" */
int dt__lrt_testtime(lua_State *L, int idx, dt_time_t *out);   /* 1 if a Date */
/* Reads the value at the top of the stack into v (boolean, number, string,
 * Date or nil); 0, or -1 for another type. Frees what v held. [-0, +0, m] */
int dt__lrt_tovalue(lua_State *L, dt_lrt_value_t *v);
/* Queue handlers of series samples and outcomes with a date (l_scenario.c). */
int dt__lrt_series_fire(dt_lrt_t *rt, lua_State *L, const dt_qentry_t *e);
int dt__lrt_outcome_fire(dt_lrt_t *rt, lua_State *L, const dt_qentry_t *e);
void dt__lrt_pushtime(lua_State *L, dt_time_t t);
typedef struct dt_lrt_dur { int64_t months, seconds; } dt_lrt_dur_t;
/* A duration: a Duration value, or a number of days (the fast form). */
dt_lrt_dur_t dt__lrt_checkdur(lua_State *L, int idx);
int dt__lrt_isdur(lua_State *L, int idx);     /* a Duration or a number */

/* Light values: a light userdata whose bits are a value, not an address, so
 * making one allocates nothing. All light userdata share one metatable
 * (l_time.c), which dispatches on the low two bits. */
enum { DT_LRT_LIGHT_DUR = 1, DT_LRT_LIGHT_HOOK = 2 };
static inline uint64_t dt__lrt_light_bits(const void *p) { return (uint64_t)(uintptr_t)p; }
static inline void *dt__lrt_light(uint64_t bits) { return (void *)(uintptr_t)bits; }
/* A light hook handle's metamethods (l_sched.c); the value is at 1. */
int dt__lrt_lhook_index(lua_State *L);
int dt__lrt_lhook_tostring(lua_State *L);
dt_time_t dt__lrt_addur(lua_State *L, dt_time_t t, dt_lrt_dur_t d);

/* handles: userdata wrapping world objects, one per object per run (kinds above) */
void dt__lrt_pushhandle(lua_State *L, int type, void *obj);
void *dt__lrt_checkhandle(lua_State *L, int idx, int type);
void *dt__lrt_testhandle(lua_State *L, int idx, int type);
dt_state_t *dt__lrt_checkstate(lua_State *L, int idx);   /* handle or id string */
/* States named at idx: a State, a Group, an id of either, or a list of those;
 * members in order, each once. Returns how many (at most max). [-0, +0, v] */
int dt__lrt_checkstates(lua_State *L, int idx, int *out, int max);
/* The group at idx (a Group handle or a group id), or NULL. [-0, +0, -] */
dt_group_t *dt__lrt_testgroup(lua_State *L, int idx);
/* A handle type's built-in fields: pushes the value of key and returns 1, or
 * returns 0 when key is not a built-in field. */
typedef struct dt_lrt_getter {
  int (*fn)(lua_State *L, void *obj, const char *key);
  const char *const *fields;   /* the names fn knows, NULL-terminated, for did-you-mean */
} dt_lrt_getter_t;
void dt__lrt_handle_register(lua_State *L, int type, const luaL_Reg *methods,
                         const dt_lrt_getter_t *getter, lua_CFunction tostring);
void dt__lrt_attrs(lua_State *L, int idx);   /* [-0, +1, -] the attribute table */
/* The table of Lua values the engine keeps for the handle at idx (a proposal's
 * terms), apart from the scenario's attributes. [-0, +1, -] */
void dt__lrt_engine_values(lua_State *L, int idx);
/* Copies the table at t (the attrs = {...} of a constructor) into the
 * attributes of the handle at h; ctx names the call in errors. [-0, +0, e] */
void dt__lrt_set_attrs(lua_State *L, int h, int t, const char *ctx);
/* Adds methods to an already registered handle type. [-0, +0, m] */
void dt__lrt_handle_methods(lua_State *L, int type, const luaL_Reg *methods);

/* argument helpers shared by the binding files (l_handle.c); each raises an
 * error naming ctx (or what) when the argument or field is wrong */
int64_t dt__lrt_checkcount(lua_State *L, int idx, const char *what);
int64_t dt__lrt_optfield_count(lua_State *L, int t, const char *k, int64_t dflt, const char *ctx);
const char *dt__lrt_reqfield_str(lua_State *L, int t, const char *k, const char *ctx);
const char *dt__lrt_optfield_str(lua_State *L, int t, const char *k, const char *ctx);
/* Strings the engine keeps as C strings (names, ids, kinds, paths, dates,
 * texts) must be UTF-8 without a NUL byte: C would cut them at a NUL, so
 * "USA\0X" would be "USA" and require("a\0../x") would load a.lua, and a
 * JSON writer drops a string that is not UTF-8 (an event written without its
 * kind). checkstr/optstr replace luaL_checkstring/luaL_optstring in the
 * bindings; cstr checks the string (or number) at idx, naming ctx (the
 * argument's number when ctx is NULL and idx > 0); cstr_ok is the test alone.
 * Strings the script's own libraries take (string.*, tostring) keep their
 * bytes. [-0, +0, v] */
const char *dt__lrt_checkstr(lua_State *L, int arg);
const char *dt__lrt_optstr(lua_State *L, int arg, const char *dflt);
const char *dt__lrt_cstr(lua_State *L, int idx, const char *ctx);
int dt__lrt_cstr_ok(const char *s, size_t len);
size_t dt__lrt_clean_prefix(const char *s, size_t len);   /* lrt.c */
dt_time_t dt__lrt_optfield_time(lua_State *L, int t, const char *k);
/* metrics (l_arsenal.c): a metric's index by name; a count pushed as an integer
 * when whole; metric m of state s pushed. */
int dt__lrt_checkmetric(lua_State *L, int idx);
void dt__lrt_pushcount(lua_State *L, double v);
int dt__lrt_push_metric(lua_State *L, int m, const dt_state_t *s);
/* "public", "parties" or "private" at idx (l_sched.c). */
int dt__lrt_checkvis(lua_State *L, int idx, const char *dflt);
/* Pushes an event as a table for hooks. [-0, +1, m] */
void dt__lrt_push_event(lua_State *L, dt_sim_t *sim, const dt_event_t *ev);

/* The built-in modules, each from its binding file; l_init.c opens them all,
 * in order, from one table. Each adds its functions to the base table. */
void dt__open_time(lua_State *L);
void dt__open_sched(lua_State *L);
void dt__open_state(lua_State *L);
void dt__open_arsenal(lua_State *L);
void dt__open_treaty(lua_State *L);
void dt__open_proposal(lua_State *L);
void dt__open_decision(lua_State *L);
void dt__open_rng(lua_State *L);
void dt__open_data(lua_State *L);
void dt__open_scenario(lua_State *L);
void dt__open_detente(lua_State *L);
void dt__open_all(lua_State *L);
/* foreign queue entries the runtime owns (l_sched.c): an every() tick, an
 * at()/after() call, a wait() or wait_for() timing out; 0 or < 0 when the
 * script failed */
int dt__lrt_every_fire(dt_lrt_t *rt, lua_State *L, const dt_qentry_t *e);
int dt__lrt_call_fire(dt_lrt_t *rt, lua_State *L, const dt_qentry_t *e);
int dt__lrt_wait_timeout(dt_lrt_t *rt, lua_State *L, const dt_qentry_t *e);
/* distributions (l_rng.c), shared with param sampling (l_scenario.c): the
 * dist at idx or NULL; draws from d with r and pushes the value [-0, +1, m] */
const void *dt__lrt_testdist(lua_State *L, int idx);
void dt__lrt_dist_push(lua_State *L, dt_rng_t *r, const void *d);
/* Pushes the quantile of d at u in [0, 1) (l_rng.c). [-0, +1, -] */
void dt__lrt_dist_push_q(lua_State *L, const void *d, double u);
/* tostring, pairs and string.format of the sandbox (l_order.c): put into the
 * base table at base and the string table at string. [-0, +0, m] */
void dt__open_order(lua_State *L, int base, int string);
/* Pushes what tostring shows for the value at idx: a table, function,
 * coroutine or userdata without __tostring as "table: 0x00000001", numbered
 * per run in the order the run first shows them. [-0, +1, e] */
void dt__lrt_tostring(lua_State *L, int idx);
/* Pushes pairs' three values for the table at t, walked in the defined order
 * (numbers, strings, booleans, light values, C functions, objects in the order
 * they were made: dt__lrt_num), over a
 * snapshot of its keys; self is the iteration's state value (the table, or
 * the read-only view over it). [-0, +3, m] */
void dt__lrt_ordered_pairs(lua_State *L, int t, int self);
/* An object's creation number (lrt.c): for the table, function, userdata or
 * coroutine at idx, its number in the run (*space 0), or within a worker's
 * space (*space > 0, *name that space's name: "" for the base, else the
 * cache's key). Returns 0 when it has none in this run (a light C function,
 * or an object an earlier run made and something kept). [-0, +0, -] */
uint64_t dt__lrt_num(lua_State *L, int idx, uint32_t *space, const char **name);
/* Runs f with the values at top as arguments (nargs) and nres results, the
 * objects it makes numbered as a worker's, in the space called name (a
 * cache's key); an error f raises is raised again once the space is left.
 * For what a worker loads once and keeps (l_data.c). [-nargs, +nres, e] */
void dt__lrt_in_space(lua_State *L, const char *name, lua_CFunction f, int nargs, int nres);
/* Puts the bounded find, match, gmatch and gsub (l_pattern.c) into the string
 * table at idx; the sandbox calls it while it builds its string table. */
void dt__open_pattern(lua_State *L, int idx);
/* 1 when the CPU-time watchdog's time is up (reads the clock now and then). */
int dt__lrt_watch_expired(dt_lrt_t *rt);
/* Raises the instruction limit ('i') or time limit ('t') error, as the count
 * hook does, and keeps raising it at every instruction. [-0, +0, v] */
int dt__lrt_limit_raise(lua_State *L, int which);
/* Raises the memory limit when the run's live memory (the Lua heap after a
 * full collection) and its world (queue, arena) together pass it; the
 * scheduling functions call it. [-0, +0, v] */
void dt__lrt_memcheck(lua_State *L);
/* 1 when the run's live memory is over its limit here: the count first, and
 * when it says over, a full collection and the count again. Only where the
 * Lua state is consistent (C code between API calls). Sets mem_hit. */
int dt__lrt_mem_over(dt_lrt_t *rt);
/* What a worker keeps between runs (a cache entry, a compiled module): mark
 * before making it (a full collection; returns the live heap), keep after
 * (another; adds what is now live beyond the mark to mem_keep and to this
 * run's base, and returns it). The run is then charged as any later run:
 * dt__lrt_mem_charge. */
size_t dt__lrt_mem_mark(dt_lrt_t *rt);
/* 1 when n more bytes fit under the ceiling an allocation may reach, after a
 * full collection if need be; 0 (and mem_hit set) when they do not. For C
 * allocations charged to the run (the data parsers), made between Lua API
 * calls. */
int dt__lrt_mem_room(dt_lrt_t *rt, size_t n);
size_t dt__lrt_mem_keep(dt_lrt_t *rt, size_t mark);
/* Charges the run n bytes for something kept (lowers its base); raises the
 * memory limit when that puts it over. [-0, +0, v] */
void dt__lrt_mem_charge(lua_State *L, size_t n);
/* The runtime data.csv/data.json charge their parser's memory to while they
 * parse (l_data.c); cleared whenever a hook returns to C, as a Lua error may
 * have left a parse early. */
extern _Thread_local dt_lrt_t *dt__lrt_parsing;
/* event sink and callbacks installed on the sim */
void dt__lrt_on_event(dt_sim_t *sim, const dt_event_t *ev, void *ud);
void dt__lrt_after_step(dt_sim_t *sim, void *ud);
int dt__lrt_policy(dt_sim_t *sim, dt_decision_t *d, const dt_policy_t *p, void *ud);
void dt__lrt_decided(dt_sim_t *sim, dt_decision_t *d, void *ud);
int dt__lrt_metric(dt_sim_t *sim, int metric, const dt_state_t *s, double *out, void *ud);

/* Shared standard-library modules (l_data.c): a detente.* module whose body
 * needs no run is run once per worker and shared, read-only, by its runs
 * through views (userdata over its tables). 1 when the value at idx is such a
 * view. [-0, +0, -] */
int dt__lrt_is_module(lua_State *L, int idx);
/* For engine functions that take a table and read it in C (move specs, metric
 * terms): replaces a module view at idx by the module's own table, whose
 * nested tables are plain too; returns 1 if it did. That table must never be
 * handed to a script: dt__lrt_module_view gives the view of such a table
 * back (a table at idx that is a module's own becomes its view). */
int dt__lrt_unview(lua_State *L, int idx);
/* 1 when the table at idx is a shared module's own (behind a view). */
int dt__lrt_is_shared(lua_State *L, int idx);
void dt__lrt_module_view(lua_State *L, int idx);

/* registry keys: addresses of statics in lrt.c */
extern const char dt__lrt_key_run, dt__lrt_key_base, dt__lrt_key_chunks, dt__lrt_key_when;
void dt__lrt_unref(lua_State *L, int ref);

#endif
