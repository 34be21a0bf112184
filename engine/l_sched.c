/* l_sched.c: the simulation's clock and events from scripts (core: sim.c,
 * queue.c): at, after, every, on, when, spawn, wait, wait_for, stop; emit, log,
 * note; and the runtime's side of event delivery (on-handlers, wait_for
 * waiters, when-predicates). at() and after() return a light hook handle
 * (lrt.h: nothing allocated; their state is the ref block and its C slot);
 * the other hooks are userdata whose state lives in C (kind, active, queue
 * id); their pattern and functions sit in user values no script can reach.
 * Scripts read kind and active and call cancel(). */
#include "l_fields.h"
#include "l_session.h"
#include <stdlib.h>
#include <string.h>

#define HOOK_MT "detente.Hook"

typedef struct every {    /* an every() hook; owned by the run's arena */
  int64_t months, seconds, k;
  dt_time_t until, anchor;
  int fnref, active;
  dt_qid_t qid;
} every_t;

enum { HK_CALL, HK_EVERY, HK_ON, HK_WHEN, HK_WAIT_FOR };
static const char *const hook_kinds[] = { "call", "every", "on", "when", "wait_for" };

typedef struct hook {     /* a script's Hook; owned by Lua (a userdata) */
  int kind, active;
  uint32_t gen;           /* the run that made it */
  int has_qid;
  dt_qid_t qid;           /* the queue entry to cancel */
  every_t *every;         /* every(): the timing, in the run's arena */
  int thread, wref;       /* wait_for(): the waiting process, the timeout's ref */
  int reads, fresh;       /* when(): READS_*, and 1 until its first check */
  uint64_t seen;          /* when() with reads: sim->arsenal_ver at its last check */
  uint32_t serial;        /* its number in the run (rt->hook_serial), for dt__lrt_cancel_hook */
} hook_t;

/* What a when() predicate declares it reads (when's `reads` option). */
enum { READS_ANY = 0, READS_ARSENALS = 1 };

/* User values of a Hook. */
enum { HUV_PATTERN = 1, HUV_FN = 2, HUV_PRED = 3, HUV__N = 3 };

static dt_sim_t *ready(lua_State *L, const char *fn) {
  dt_lrt_t *rt = dt__lrt_get(L);
  if (rt->run_active && rt->scenario_called) return rt->sim;
  dt_sim_t *sim = dt__lrt_sim(L);
  if (!rt->scenario_called)
    luaL_error(L, "%s: call scenario{ start = ..., stop = ... } first, so the engine "
                  "knows when time begins", fn);
  return sim;
}

/* Pushes a new active Hook of kind. [-0, +1, m] */
static hook_t *newhook(lua_State *L, int kind) {
  hook_t *h = lua_newuserdatauv(L, sizeof *h, HUV__N);
  memset(h, 0, sizeof *h);
  dt_lrt_t *rt = dt__lrt_get(L);
  h->kind = kind; h->active = 1; h->gen = rt->run_gen; h->serial = ++rt->hook_serial;
  luaL_setmetatable(L, HOOK_MT);
  return h;
}

/* The Hook at idx, which must belong to the current run. [-0, +0, v] */
static hook_t *checkhook(lua_State *L, int idx) {
  hook_t *h = luaL_checkudata(L, idx, HOOK_MT);
  if (h->gen != dt__lrt_get(L)->run_gen)
    luaL_argerror(L, idx, "Hook from an earlier run is no longer valid");
  return h;
}

/* A light hook handle: the first slot of the call's ref block and that
 * block's generation. [-0, +1, -] */
#define HOOK_REF_MAX ((1 << 30) - 1)
static void pushlhook(lua_State *L, int ref, uint32_t gen) {
  lua_pushlightuserdata(L, dt__lrt_light(((uint64_t)ref << 34) | ((uint64_t)gen << 2) |
                                         DT_LRT_LIGHT_HOOK));
}

/* The live block a light handle names, or 0 when it fired or was cancelled. */
static int lhook_ref(lua_State *L, int idx) {
  dt_lrt_t *rt = dt__lrt_get(L);
  uint64_t v = dt__lrt_light_bits(lua_touserdata(L, idx));
  int ref = (int)(v >> 34);
  uint32_t gen = (uint32_t)(v >> 2);
  if (!rt->run_active || ref < 1 || ref > rt->ref_next) return 0;
  dt__lrt_slot_t *s = dt__lrt_slot(rt, ref);
  return s->gen == gen && s->qid ? ref : 0;
}

static int lhook_cancel(lua_State *L) {
  if (lua_type(L, 1) != LUA_TLIGHTUSERDATA ||
      (dt__lrt_light_bits(lua_touserdata(L, 1)) & 3) != DT_LRT_LIGHT_HOOK)
    return luaL_typeerror(L, 1, "Hook");
  int ref = lhook_ref(L, 1);
  if (ref) {
    dt_lrt_t *rt = dt__lrt_get(L);
    dt__lrt_slot_t *s = dt__lrt_slot(rt, ref);
    int k = s->next_free;   /* the block's size while it is live */
    dt_sim_cancel(rt->sim, s->qid);
    dt__lrt_unref_block(L, ref, k);
  }
  lua_pushboolean(L, ref != 0);
  return 1;
}

/* Raises for a key no Hook has, with the closest of the ones it has. */
static int no_hook_key(lua_State *L, const char *k) {
  static const char *const names[] = { "cancel", "kind", "active" };
  const char *hint = dt__lrt_pushsuggest(L, k, names, 3);
  return luaL_error(L, "Hook has no field or method '%s'%s", k,
                    *hint ? hint : " (it has cancel(), kind, active)");
}

int dt__lrt_lhook_index(lua_State *L) {
  const char *k = dt__lrt_checkstr(L, 2);
  if (!strcmp(k, "cancel")) lua_pushcfunction(L, lhook_cancel);
  else if (!strcmp(k, "active")) lua_pushboolean(L, lhook_ref(L, 1) != 0);
  else if (!strcmp(k, "kind")) lua_pushliteral(L, "call");
  else return no_hook_key(L, k);
  return 1;
}

int dt__lrt_lhook_tostring(lua_State *L) {
  lua_pushfstring(L, "Hook(call, %s)", lhook_ref(L, 1) ? "active" : "inactive");
  return 1;
}

/* Schedules the function at fnidx, with the values above it as its
 * arguments, for t; pushes its light Hook. [-0, +1, e] */
static int schedule_call(lua_State *L, dt_sim_t *sim, dt_time_t t, int fnidx) {
  luaL_checktype(L, fnidx, LUA_TFUNCTION);
  int k = lua_gettop(L) - fnidx + 1;
  if (k > DT_LRT_BLOCK_MAX)
    return luaL_error(L, "at most %d arguments for the hook (pass a table for more)",
                      DT_LRT_BLOCK_MAX - 1);
  dt_lrt_t *rt = dt__lrt_get(L);
  int ref = dt__lrt_ref_take(L, k);   /* fn and its arguments, off the stack */
  if (ref > HOOK_REF_MAX) {
    dt__lrt_unref_block(L, ref, k);
    return luaL_error(L, "too many hooks pending");
  }
  dt_qid_t id;
  int rc = dt_sim_schedule(sim, t, 0, DT_LRT_K_CALL, NULL, (int64_t)ref | ((int64_t)k << 32), &id);
  if (rc == 0) dt__lrt_memcheck(L);
  if (rc < 0) { dt__lrt_unref_block(L, ref, k); return dt__lrt_raise(L, "schedule", rc); }
  dt__lrt_slot_t *s = dt__lrt_slot(rt, ref);
  s->qid = id;
  s->next_free = k;   /* unused while the block is live: its size, for cancel */
  pushlhook(L, ref, s->gen);
  return 1;
}

/* Fires an at()/after() entry: its block's values, then the block released.
 * [-0, +0, -] */
int dt__lrt_call_fire(dt_lrt_t *rt, lua_State *L, const dt_qentry_t *e) {
  int ref = (int)(e->arg & 0xffffffff), k = (int)(e->arg >> 32);
  if (!dt__lrt_slot(rt, ref)->live) return 0;   /* cancelled (its entry is gone too) */
  dt__lrt_push_block(L, ref, k);
  dt__lrt_unref_block(L, ref, k);
  if (lua_type(L, -k) != LUA_TFUNCTION) { lua_pop(L, k); return 0; }
  return dt__lrt_start_hook(rt, L, k - 1);   /* on_foreign checked the room */
}

/* A hook dated after the scenario's stop never runs: `detente check` says so
 * (a comparison in a run, nothing more). */
static void after_stop(lua_State *L, const char *fn, dt_time_t t, const dt_sim_t *sim) {
  if (!dt__lrt_get(L)->check_mode) return;
  char a[32], b[32];
  dt_time_format(t, a, sizeof a); dt_time_format(sim->stop, b, sizeof b);
  dt__lrt_note(L, lua_pushfstring(L, "%s: %s is after the scenario's stop %s: the hook never runs",
                                  fn, a, b));
  lua_pop(L, 1);
}

/* at(date, fn, ...) */
static int l_at(lua_State *L) {
  dt__lrt_impure(L, "schedule");
  dt_sim_t *sim = ready(L, "at");
  dt_time_t t = dt__lrt_checktime(L, 1);
  if (t < sim->now) {
    char a[32], b[32];
    dt_time_format(t, a, sizeof a); dt_time_format(sim->now, b, sizeof b);
    return luaL_error(L, "at: %s is before the current simulated date %s", a, b);
  }
  if (t > sim->stop) after_stop(L, "at", t, sim);
  return schedule_call(L, sim, t, 2);
}

/* after(duration, fn, ...): a number is a duration in days. */
static int l_after(lua_State *L) {
  dt__lrt_impure(L, "schedule");
  dt_sim_t *sim = ready(L, "after");
  dt_lrt_dur_t d = dt__lrt_checkdur(L, 1);
  return schedule_call(L, sim, dt__lrt_addur(L, sim->now, d), 2);
}

/* every(duration, fn [, {first = date, last = date}]) */
static int l_every(lua_State *L) {
  dt__lrt_impure(L, "schedule");
  dt_sim_t *sim = ready(L, "every");
  dt_lrt_dur_t d = dt__lrt_checkdur(L, 1);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  if (d.months == 0 && d.seconds == 0)
    return luaL_argerror(L, 1, "the interval must be longer than zero");
  dt_time_t first = dt__lrt_addur(L, sim->now, d), until = DT_NEVER, anchor = sim->now;
  int64_t k0 = 1;
  if (!lua_isnoneornil(L, 3)) {
    /* One set of option names: first and last (l_fields.c points from, until,
     * start and stop there). Checked only when a table is given. */
    luaL_checktype(L, 3, LUA_TTABLE);
    dt__lrt_checkfields(L, 3, &dt__lrt_f_every, NULL);
    if (lua_getfield(L, 3, "first") != LUA_TNIL) {
      anchor = first = dt__lrt_checktime(L, -1);
      k0 = 0;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, 3, "last") != LUA_TNIL) until = dt__lrt_checktime(L, -1);
    lua_pop(L, 1);
  }
  if (first < sim->now) return luaL_error(L, "every: the first date is in the past");
  if (until != DT_NEVER && until < first) {
    char a[32], b[32];
    dt_time_format(first, a, sizeof a); dt_time_format(until, b, sizeof b);
    return luaL_error(L, "every: last (%s) comes before the first firing (%s)", b, a);
  }
  if (first > sim->stop) after_stop(L, "every", first, sim);
  /* The timing lives in C (the run's arena): firing an every() hook is the
   * engine's hot path and should not read fields from a Lua table. */
  every_t *e = dt_arena_alloc(&sim->arena, sizeof *e);
  if (!e) return luaL_error(L, "every: out of memory");
  e->months = d.months; e->seconds = d.seconds; e->until = until;
  e->anchor = anchor; e->k = k0; e->active = 1;
  e->fnref = dt__lrt_ref(L, 2);
  hook_t *h = newhook(L, HK_EVERY);
  h->every = e;
  if (until == DT_NEVER || first <= until) {
    int rc = dt_sim_schedule(sim, first, 0, DT_LRT_K_EVERY, e, 0, &e->qid);
    if (rc == 0) dt__lrt_memcheck(L);
    if (rc < 0) return dt__lrt_raise(L, "every", rc);
  }
  return 1;
}

int dt__lrt_every_fire(dt_lrt_t *rt, lua_State *L, const dt_qentry_t *q) {
  dt_sim_t *sim = rt->sim;
  every_t *e = q->ptr;
  if (!e->active) return 0;
  e->k++;
  /* The k-th firing is anchor + k intervals, so that monthly hooks that start
   * on the 31st come back to the month's end instead of drifting to the 28th. */
  dt_time_t next = e->anchor;
  if (e->months == 0 || dt_time_add_months(e->anchor, e->months * e->k, &next) == 0) {
    next += e->seconds * e->k;
    if (e->until == DT_NEVER || next <= e->until)
      dt_sim_schedule(sim, next, 0, DT_LRT_K_EVERY, e, 0, &e->qid);
  }
  dt__lrt_getref(L, e->fnref);
  return dt__lrt_start_hook(rt, L, 0);   /* on_foreign checked the room */
}

static int add_listener(lua_State *L, const char *list, const char *kind) {
  ready(L, kind);
  const char *pat = dt__lrt_checkstr(L, 1);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  if (!*pat) return luaL_argerror(L, 1, "empty event pattern (use '*' for every event)");
  newhook(L, HK_ON);
  lua_pushvalue(L, 1); lua_setiuservalue(L, -2, HUV_PATTERN);
  lua_pushvalue(L, 2); lua_setiuservalue(L, -2, HUV_FN);
  dt__lrt_getrun(L, list);
  lua_pushvalue(L, -2);
  lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
  lua_pop(L, 1);
  return 1;
}

static int l_on(lua_State *L) {
  dt__lrt_impure(L, "add hooks");
  return add_listener(L, "on", "on");
}

/* when(predicate, fn [, { reads = "arsenals" }]) */
static int l_when(lua_State *L) {
  dt__lrt_impure(L, "add hooks");
  ready(L, "when");
  luaL_checktype(L, 1, LUA_TFUNCTION);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  int reads = READS_ANY;
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    dt__lrt_checkfields(L, 3, &dt__lrt_f_when, NULL);
    if (lua_getfield(L, 3, "reads") != LUA_TNIL) {
      int str = lua_type(L, -1) == LUA_TSTRING;
      if (!str || strcmp(lua_tostring(L, -1), "arsenals") != 0)
        return luaL_error(L, "when: reads must be \"arsenals\" (the predicate reads nothing but "
                             "the arsenals, through the engine), not %s",
                          str ? lua_pushfstring(L, "'%s'", lua_tostring(L, -1))
                              : luaL_typename(L, -1));
      reads = READS_ARSENALS;
    }
    lua_pop(L, 1);
    lua_settop(L, 2);
  }
  hook_t *wh = newhook(L, HK_WHEN);
  wh->reads = reads; wh->fresh = 1;
  dt__lrt_get(L)->nwhen++;
  lua_pushvalue(L, 1); lua_setiuservalue(L, -2, HUV_PRED);
  lua_pushvalue(L, 2); lua_setiuservalue(L, -2, HUV_FN);
  dt__lrt_getrun(L, "when");
  lua_pushvalue(L, -2);
  lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
  lua_pop(L, 1);
  return 1;
}

static int l_spawn(lua_State *L) {
  dt__lrt_impure(L, "spawn processes");
  ready(L, "spawn");
  int self = dt__lrt_testhandle(L, 1, DT_LRT_H_STATE) != NULL;   /* state:spawn(fn) */
  luaL_checktype(L, 1 + self, LUA_TFUNCTION);
  dt_lrt_t *rt = dt__lrt_get(L);
  int top = lua_gettop(L), nargs = top - self - 1;
  luaL_checkstack(L, nargs + 8, "spawn: too many arguments");
  lua_pushvalue(L, 1 + self);
  if (self) { lua_pushvalue(L, 1); nargs++; }   /* state:spawn(fn): fn(state, ...) */
  for (int i = 2 + self; i <= top; i++) lua_pushvalue(L, i);
  rt->spawn_next = 1;
  dt__lrt_start(rt, L, nargs, "process");
  dt__lrt_check(L);
  return 0;
}

static int l_wait(lua_State *L) {
  dt_sim_t *sim = dt__lrt_sim(L);
  dt_lrt_dur_t d = dt__lrt_checkdur(L, 1);
  if (!dt__lrt_is_process(L))
    return luaL_error(L, "wait: only a process can wait; start one with spawn(function() ... end)");
  int ref = dt__lrt_current_ref(L);
  int rc = dt_sim_schedule(sim, dt__lrt_addur(L, sim->now, d), 0, DT_LRT_K_RESUME, NULL, ref, NULL);
  if (rc < 0) return dt__lrt_raise(L, "wait", rc);
  return lua_yield(L, 0);
}

static int wait_for_k(lua_State *L, int status, lua_KContext ctx) {
  (void)status; (void)ctx;
  dt__lrt_check(L);
  return lua_gettop(L) >= 3 ? 1 : 0;   /* the event, or nothing on timeout */
}

static int l_wait_for(lua_State *L) {
  dt_sim_t *sim = dt__lrt_sim(L);
  /* as on(): "" matches no event, and the process slept until its timeout or for ever */
  if (!*dt__lrt_checkstr(L, 1))
    return luaL_argerror(L, 1, "empty event pattern (use '*' for every event)");
  int has_timeout = !lua_isnoneornil(L, 2);
  dt_lrt_dur_t d = { 0, 0 };
  if (has_timeout) d = dt__lrt_checkdur(L, 2);
  if (!dt__lrt_is_process(L))
    return luaL_error(
        L, "wait_for: only a process can wait; start one with spawn(function() ... end)");
  lua_settop(L, 2);
  dt_time_t until = has_timeout ? dt__lrt_addur(L, sim->now, d) : 0;
  hook_t *hk = newhook(L, HK_WAIT_FOR);
  int h = lua_gettop(L);
  lua_pushvalue(L, 1); lua_setiuservalue(L, h, HUV_PATTERN);
  hk->thread = dt__lrt_current_ref(L);
  if (has_timeout) {
    hk->wref = dt__lrt_ref(L, h);
    int rc = dt_sim_schedule(sim, until, 0, DT_LRT_K_WAIT_TIMEOUT, NULL, hk->wref, &hk->qid);
    if (rc < 0) return dt__lrt_raise(L, "wait_for", rc);
    hk->has_qid = 1;
  }
  dt__lrt_getrun(L, "waiters");
  lua_pushvalue(L, h);
  lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
  lua_settop(L, 2);
  return lua_yieldk(L, 0, 0, wait_for_k);
}

int dt__lrt_wait_timeout(dt_lrt_t *rt, lua_State *L, const dt_qentry_t *e) {
  dt__lrt_getref(L, (int)e->arg);
  dt__lrt_unref(L, (int)e->arg);
  hook_t *hk = lua_touserdata(L, -1);
  int active = hk && hk->active, tref = hk ? hk->thread : 0;
  if (hk) hk->active = 0;
  lua_pop(L, 1);
  if (!active) return 0;
  return dt__lrt_resume(rt, L, tref, 0);
}

static int l_stop(lua_State *L) {
  dt__lrt_impure(L, "stop the run");
  dt_sim_t *sim = dt__lrt_sim(L);
  const char *why = dt__lrt_optstr(L, 1, NULL);
  dt_sim_emitf(sim, "run.stopped", -1, -1, DT_VIS_PUBLIC, NULL, 0, "the scenario ends the run%s%s",
               why ? ": " : "", why ? why : "");
  dt_sim_halt(sim);
  return 0;
}

static int hook_cancel(lua_State *L) {
  hook_t *h = checkhook(L, 1);
  int was = h->every ? h->every->active : h->active;
  h->active = 0;
  if (h->every) {
    h->every->active = 0;
    dt_sim_cancel(dt__lrt_sim(L), h->every->qid);
  }
  if (h->has_qid) { dt_sim_cancel(dt__lrt_sim(L), h->qid); h->has_qid = 0; }
  lua_pushboolean(L, was);
  return 1;
}

static int hook_index(lua_State *L) {
  hook_t *h = checkhook(L, 1);
  const char *k = dt__lrt_checkstr(L, 2);
  if (!strcmp(k, "cancel")) lua_pushcfunction(L, hook_cancel);
  else if (!strcmp(k, "kind")) lua_pushstring(L, hook_kinds[h->kind]);
  else if (!strcmp(k, "active")) lua_pushboolean(L, h->every ? h->every->active : h->active);
  else return no_hook_key(L, k);
  return 1;
}

static int hook_newindex(lua_State *L) {
  return luaL_error(L, "Hook.%s: a hook is the engine's and cannot be changed (use cancel())",
                    luaL_optstring(L, 2, "?"));
}

static int hook_tostring(lua_State *L) {
  hook_t *h = luaL_checkudata(L, 1, HOOK_MT);
  int active = h->gen == dt__lrt_get(L)->run_gen && (h->every ? h->every->active : h->active);
  lua_pushfstring(L, "Hook(%s, %s)", hook_kinds[h->kind], active ? "active" : "cancelled");
  return 1;
}

/* ---- delivery --------------------------------------------------------------- */

static int matches(const char *pat, const char *kind) {
  size_t n = strlen(pat);
  if (n == 1 && pat[0] == '*') return 1;
  if (n >= 2 && pat[n - 1] == '*') return strncmp(pat, kind, n - 1) == 0;
  return strcmp(pat, kind) == 0;
}

void dt__lrt_on_event(dt_sim_t *sim, const dt_event_t *ev, void *ud) {
  dt_lrt_t *rt = ud;
  lua_State *L = rt->L;
  if (sim->failed || !dt__lrt_room(rt, L) || dt__lrt_instant(rt) < 0) return;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_run);
  if (lua_isnil(L, -1)) { lua_pop(L, 1); return; }
  int top = lua_gettop(L);
  lua_getfield(L, top, "on");
  lua_getfield(L, top, "waiters");
  lua_Integer non = (lua_Integer)lua_rawlen(L, top + 1), nw = (lua_Integer)lua_rawlen(L, top + 2);
  int evi = 0;
  for (lua_Integer i = 1; i <= non && !sim->failed; i++) {
    lua_rawgeti(L, top + 1, i);
    hook_t *h = lua_touserdata(L, -1);
    lua_getiuservalue(L, -1, HUV_PATTERN);
    int go = h->active && matches(lua_tostring(L, -1), ev->kind);
    lua_pop(L, 1);
    if (go) {
      if (!evi) { dt__lrt_push_event(L, sim, ev); lua_insert(L, top + 3); evi = top + 3; }
      lua_getiuservalue(L, -1, HUV_FN);
      lua_pushvalue(L, evi);
      uint32_t outer = rt->hook_running;
      rt->hook_running = h->serial;
      dt__lrt_start(rt, L, 1, "on");
      rt->hook_running = outer;
    }
    lua_pop(L, 1);
  }
  for (lua_Integer i = 1; i <= nw && !sim->failed; i++) {
    lua_rawgeti(L, top + 2, i);
    hook_t *h = lua_touserdata(L, -1);
    lua_getiuservalue(L, -1, HUV_PATTERN);
    int go = h->active && matches(lua_tostring(L, -1), ev->kind);
    lua_pop(L, 1);
    if (go) {
      h->active = 0;
      if (h->has_qid) { dt_sim_cancel(sim, h->qid); h->has_qid = 0; }
      if (h->wref) { dt__lrt_unref(L, h->wref); h->wref = 0; }
      int tref = h->thread;
      if (!evi) { dt__lrt_push_event(L, sim, ev); lua_insert(L, top + 3); evi = top + 3; }
      lua_pushvalue(L, evi);
      uint32_t outer = rt->hook_running;
      rt->hook_running = h->serial;   /* the process, as its wait_for() hook */
      dt__lrt_resume(rt, L, tref, 1);
      rt->hook_running = outer;
    }
    lua_pop(L, 1);
  }
  /* Drop finished waiters now and then so the list stays short. */
  if (nw > 16) {
    lua_newtable(L);
    lua_Integer k = 0, n = (lua_Integer)lua_rawlen(L, top + 2);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, top + 2, i);
      int keep = ((hook_t *)lua_touserdata(L, -1))->active;
      if (keep) lua_rawseti(L, -2, ++k); else lua_pop(L, 1);
    }
    lua_setfield(L, top, "waiters");
  }
  lua_settop(L, top - 1);
}

void dt__lrt_after_step(dt_sim_t *sim, void *ud) {
  dt_lrt_t *rt = ud;
  lua_State *L = rt->L;
  if (!rt->nwhen || !dt__lrt_room(rt, L)) return;
  lua_pushnil(L);                         /* keeps the stack shape of the loop below */
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_when) != LUA_TTABLE) { lua_pop(L, 2); return; }
  int w = lua_gettop(L);
  lua_Integer n = (lua_Integer)lua_rawlen(L, w);
  if (n == 0) { lua_pop(L, 2); return; }
  for (lua_Integer i = 1; i <= n && !sim->failed; i++) {
    lua_rawgeti(L, w, i);
    hook_t *h = lua_touserdata(L, -1);
    /* A predicate that reads only the arsenals gives what it gave last time
     * (false) while no arsenal changed: it is not called again until one does. */
    if (h->active && h->reads == READS_ARSENALS && !h->fresh && h->seen == sim->arsenal_ver) {
      lua_pop(L, 1);
      continue;
    }
    if (h->active) {
      h->fresh = 0;
      h->seen = sim->arsenal_ver;
      if (dt__lrt_instant(rt) < 0) { lua_settop(L, w - 2); return; }
      dt__lrt_budget(rt);
      rt->hook_running = h->serial;   /* its predicate and its function */
      lua_getiuservalue(L, -1, HUV_PRED);
      if (dt__lrt_pcall(rt, L, 0, 1, "when predicate") < 0) {
        rt->hook_running = 0;
        lua_settop(L, w - 2);
        return;
      }
      int yes = lua_toboolean(L, -1);
      lua_pop(L, 1);
      if (yes) {
        h->active = 0;
        lua_getiuservalue(L, -1, HUV_FN);
        sim->handling = "a when() hook";
        dt__lrt_start(rt, L, 0, "when");
      }
      rt->hook_running = 0;
    }
    lua_pop(L, 1);
  }
  /* Fired and cancelled hooks leave the list in place once they are the
   * majority, so a chain of when() hooks does not make each step slower. */
  n = (lua_Integer)lua_rawlen(L, w);
  lua_Integer live = 0;
  if (n > 16 && !sim->failed) {
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, w, i);
      live += ((hook_t *)lua_touserdata(L, -1))->active;
      lua_pop(L, 1);
    }
    if (live * 2 < n) {
      lua_Integer k = 0;
      for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, w, i);
        if (((hook_t *)lua_touserdata(L, -1))->active) lua_rawseti(L, w, ++k);
        else lua_pop(L, 1);
      }
      for (lua_Integer i = n; i > k; i--) { lua_pushnil(L); lua_rawseti(L, w, i); }
    }
  }
  lua_settop(L, w - 2);
}

/* ---- events: emitted by scripts, pushed to hooks --------------------------- */

int dt__lrt_checkvis(lua_State *L, int idx, const char *dflt) {
  static const char *const v[] = { "public", "parties", "private", NULL };
  return luaL_checkoption(L, idx, dflt, v);
}

/* [-0, +1, m] */
void dt__lrt_push_event(lua_State *L, dt_sim_t *sim, const dt_event_t *ev) {
  static const char *const vis[] = { "public", "parties", "private" };
  lua_createtable(L, 0, 8 + ev->nfields);
  lua_pushstring(L, ev->kind); lua_setfield(L, -2, "kind");
  lua_pushinteger(L, (lua_Integer)ev->seq); lua_setfield(L, -2, "seq");
  dt__lrt_pushtime(L, ev->time); lua_setfield(L, -2, "time");
  if (ev->actor >= 0) {
    dt__lrt_pushhandle(L, DT_LRT_H_STATE, sim->states[ev->actor]);
    lua_setfield(L, -2, "by");
  }
  if (ev->target >= 0) {
    dt__lrt_pushhandle(L, DT_LRT_H_STATE, sim->states[ev->target]);
    lua_setfield(L, -2, "to");
  }
  if (ev->text) { lua_pushstring(L, ev->text); lua_setfield(L, -2, "text"); }
  lua_pushstring(L, vis[ev->vis]); lua_setfield(L, -2, "visibility");
  for (int i = 0; i < ev->nfields; i++) {
    const dt_field_t *f = &ev->fields[i];
    static const char *const reserved[] = { "kind", "seq",  "time",       "by",
                                            "to",   "text", "visibility", NULL };
    int skip = 0;
    for (int r = 0; reserved[r]; r++) if (strcmp(f->key, reserved[r]) == 0) skip = 1;
    if (skip) continue;
    switch (f->type) {
    case DT_F_NUM: lua_pushnumber(L, f->v.num); break;
    case DT_F_INT: lua_pushinteger(L, f->v.i); break;
    case DT_F_BOOL: lua_pushboolean(L, f->v.b); break;
    default: {
      const char *s = f->v.str;
      if (strcmp(f->key, "treaty") == 0 && dt_treaty_find(sim, s)) {
        dt__lrt_pushhandle(L, DT_LRT_H_TREATY, dt_treaty_find(sim, s));
      } else if (strcmp(f->key, "proposal") == 0 && s[0] == 'P') {
        long k = strtol(s + 1, NULL, 10);
        if (k >= 1 && k <= sim->nproposals)
          dt__lrt_pushhandle(L, DT_LRT_H_PROPOSAL, sim->proposals[k - 1]);
        else lua_pushstring(L, s);
      } else {
        lua_pushstring(L, s);
      }
    }
    }
    lua_setfield(L, -2, f->key);
  }
}

/* emit{ kind=, by=, to=, text=, visibility=, data={...} } */
static int l_emit(lua_State *L) {
  dt__lrt_impure(L, "emit events");
  dt_sim_t *sim = dt__lrt_sim(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  dt__lrt_checkfields(L, 1, &dt__lrt_f_emit, NULL);
  lua_getfield(L, 1, "kind");
  const char *kind = dt__lrt_cstr(L, lua_gettop(L), "emit: 'kind'");
  if (!kind || !*kind)
    return luaL_error(L, "emit: 'kind' must be a non-empty string such as \"statement.made\"");
  int actor = -1, target = -1;
  if (lua_getfield(L, 1, "by") != LUA_TNIL) actor = dt__lrt_checkstate(L, lua_gettop(L))->index;
  if (lua_getfield(L, 1, "to") != LUA_TNIL) target = dt__lrt_checkstate(L, lua_gettop(L))->index;
  lua_getfield(L, 1, "text");
  const char *text = NULL;
  if (!lua_isnil(L, -1)) {
    luaL_tolstring(L, -1, NULL);
    text = dt__lrt_cstr(L, lua_gettop(L), "emit: 'text'");
  }
  lua_getfield(L, 1, "visibility");
  int vis = dt__lrt_checkvis(L, lua_gettop(L), "public");
  if (vis != DT_VIS_PUBLIC && actor < 0)
    return luaL_error(L, "emit: a %s event needs 'by' (whose event it is)",
                      vis == 1 ? "parties" : "private");
  /* Payload: sorted keys, so the log never depends on table order. */
  dt_field_t fields[32]; int nf = 0;
  if (lua_getfield(L, 1, "data") == LUA_TTABLE) {
    int d = lua_gettop(L);
    lua_newtable(L);
    int keys = lua_gettop(L);
    lua_Integer nk = 0;
    lua_pushnil(L);
    while (lua_next(L, d)) {
      lua_pop(L, 1);
      if (lua_type(L, -1) != LUA_TSTRING) return luaL_error(L, "emit: data keys must be strings");
      lua_pushvalue(L, -1);
      lua_rawseti(L, keys, ++nk);
    }
    if (nk > 32) return luaL_error(L, "emit: at most 32 data fields");
    lua_getglobal(L, "table");   /* the real table library is reachable from C */
    lua_getfield(L, -1, "sort");
    lua_pushvalue(L, keys);
    lua_call(L, 1, 0);
    lua_pop(L, 1);
    for (lua_Integer i = 1; i <= nk; i++) {
      lua_rawgeti(L, keys, i);
      const char *k = dt__lrt_cstr(L, lua_gettop(L), "emit: a data key");
      lua_pushvalue(L, -1);
      lua_gettable(L, d);
      dt_field_t *f = &fields[nf++];
      f->key = k;
      switch (lua_type(L, -1)) {
      case LUA_TBOOLEAN: f->type = DT_F_BOOL; f->v.b = lua_toboolean(L, -1); break;
      case LUA_TNUMBER:
        if (lua_isinteger(L, -1)) { f->type = DT_F_INT; f->v.i = lua_tointeger(L, -1); }
        else { f->type = DT_F_NUM; f->v.num = lua_tonumber(L, -1); }
        break;
      case LUA_TSTRING: {
        int at = lua_gettop(L);
        f->type = DT_F_STR;
        f->v.str = lua_tostring(L, at);
        if (!dt__lrt_cstr_ok(f->v.str, lua_rawlen(L, at)))
          dt__lrt_cstr(L, at, lua_pushfstring(L, "emit: data field '%s'", k));
        break;
      }
      case LUA_TUSERDATA: f->type = DT_F_STR; f->v.str = luaL_tolstring(L, -1, NULL); break;
      default:
        return luaL_error(
            L, "emit: data field '%s' is a %s; use strings, numbers, booleans or handles", k,
            luaL_typename(L, -1));
      }
      /* key and value stay on the stack until the event is emitted */
    }
  } else if (!lua_isnil(L, -1)) {
    return luaL_error(L, "emit: 'data' must be a table");
  }
  int parties[2]; int np = 0;
  if (actor >= 0) parties[np++] = actor;
  if (target >= 0 && target != actor) parties[np++] = target;
  dt_event_t ev = { .kind = kind, .actor = actor, .target = target, .vis = vis,
                    .parties = parties, .nparties = np, .text = text, .fields = fields,
                    .nfields = nf };
  int rc = dt_sim_emit(sim, &ev);
  dt__lrt_check(L);
  if (rc == DT_ELIMIT)
    return luaL_error(L, "emit: events nested more than 32 deep (hooks emitting in a cycle?)");
  return 0;
}

static int emit_note(lua_State *L, int actor, int textidx) {
  dt_sim_t *sim = dt__lrt_sim(L);
  luaL_tolstring(L, textidx, NULL);
  const char *text = dt__lrt_cstr(L, lua_gettop(L), textidx == 1 ? "log" : "note");
  int rc = dt_sim_emitf(sim, "note", actor, -1, DT_VIS_PUBLIC, NULL, 0, "%s", text);
  dt__lrt_check(L);
  if (rc < 0) return dt__lrt_raise(L, "log", rc);
  return 0;
}
static int l_log(lua_State *L) { luaL_checkany(L, 1); return emit_note(L, -1, 1); }
static int l_note(lua_State *L) {
  dt__lrt_impure(L, "emit events");
  dt_state_t *s = dt__lrt_checkstate(L, 1);
  luaL_checkany(L, 2);
  return emit_note(L, s->index, 2);
}


void dt__open_sched(lua_State *L) {
  luaL_newmetatable(L, HOOK_MT);
  lua_pushcfunction(L, hook_index); lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, hook_newindex); lua_setfield(L, -2, "__newindex");
  lua_pushcfunction(L, hook_tostring); lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  static const luaL_Reg fns[] = {
    { "at", l_at }, { "after", l_after }, { "every", l_every }, { "on", l_on },
    { "when", l_when }, { "spawn", l_spawn }, { "wait", l_wait }, { "wait_for", l_wait_for },
    { "stop", l_stop }, { "emit", l_emit }, { "log", l_log }, { "note", l_note }, { NULL, NULL }
  };
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  luaL_setfuncs(L, fns, 0);
  lua_pop(L, 1);
}

/* ---- a live session cancels what hit a limit (l_session.h) -------------------- */

/* Where the function on top of the stack is defined, "file:line", and pops it.
 * Raises nothing. [-1, +0, -] */
static void fn_where(lua_State *L, char *buf, size_t n) {
  lua_Debug ar;
  if (!lua_isfunction(L, -1)) { lua_pop(L, 1); snprintf(buf, n, "?"); return; }
  if (!lua_getinfo(L, ">S", &ar)) { snprintf(buf, n, "?"); return; }
  if (ar.what && !strcmp(ar.what, "C")) snprintf(buf, n, "a C function");
  else snprintf(buf, n, "%s:%d", ar.short_src, ar.linedefined);
}

int dt__lrt_cancel_hook(dt_lrt_t *rt, uint32_t serial, char *what, size_t n) {
  lua_State *L = rt->L;
  static const char *const lists[] = { "on", "when", "waiters" };
  if (!rt->run_active || !serial) return DT_ENOENT;
  if (!lua_checkstack(L, 8)) return DT_ENOMEM;   /* called from C, not from a Lua frame */
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_run) != LUA_TTABLE) {
    lua_pop(L, 1);
    return DT_ENOENT;
  }
  for (int li = 0; li < 3; li++) {
    if (lua_getfield(L, -1, lists[li]) != LUA_TTABLE) { lua_pop(L, 1); continue; }
    lua_Integer len = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= len; i++) {
      lua_rawgeti(L, -1, i);
      hook_t *h = lua_touserdata(L, -1);
      if (!h || h->serial != serial) { lua_pop(L, 1); continue; }
      h->active = 0;
      if (h->has_qid) { dt_sim_cancel(rt->sim, h->qid); h->has_qid = 0; }
      if (h->wref) { dt__lrt_unref(L, h->wref); h->wref = 0; }
      char where[256];
      lua_getiuservalue(L, -1, li == 1 ? HUV_PRED : HUV_FN);
      fn_where(L, where, sizeof where);
      lua_getiuservalue(L, -1, HUV_PATTERN);
      const char *pat = lua_isstring(L, -1) ? lua_tostring(L, -1) : "?";
      if (li == 0)
        snprintf(what, n, "the on(\"%.64s\") hook (function at %s)", pat, where);
      else if (li == 1)
        snprintf(what, n, "the when() hook (predicate at %s)", where);
      else
        snprintf(what, n, "the process waiting in wait_for(\"%.64s\") (it will not resume)", pat);
      lua_pop(L, 1);
      lua_pop(L, 3);   /* the hook, the list, the run */
      return 0;
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return DT_ENOENT;
}

int dt__lrt_skip_entry(dt_lrt_t *rt, char *what, size_t n) {
  lua_State *L = rt->L;
  dt_qentry_t e;
  if (!rt->run_active || !lua_checkstack(L, DT_LRT_BLOCK_MAX + 4)) return DT_ENOENT;
  if (!dt_queue_pop(&rt->sim->queue, &e)) return DT_ENOENT;
  char where[256];
  switch (e.kind) {
  case DT_LRT_K_CALL: {
    int ref = (int)(e.arg & 0xffffffff), k = (int)(e.arg >> 32);
    snprintf(where, sizeof where, "?");
    if (dt__lrt_slot(rt, ref)->live) {   /* released as firing it would */
      dt__lrt_push_block(L, ref, k);
      lua_pop(L, k - 1);
      fn_where(L, where, sizeof where);
      dt__lrt_unref_block(L, ref, k);
    }
    snprintf(what, n, "the hook scheduled with at() or after() (function at %s)", where);
    break;
  }
  case DT_LRT_K_EVERY: {
    every_t *ev = e.ptr;
    ev->active = 0;   /* as cancel() would: its next firing is never scheduled */
    dt__lrt_getref(L, ev->fnref);
    fn_where(L, where, sizeof where);
    snprintf(what, n, "the every() hook (function at %s) with its later firings", where);
    break;
  }
  case DT_LRT_K_RESUME: snprintf(what, n, "a process resuming after wait()"); break;
  case DT_LRT_K_WAIT_TIMEOUT: snprintf(what, n, "a wait_for() timeout"); break;
  case DT_LRT_K_SERIES: snprintf(what, n, "a series sample"); break;
  case DT_LRT_K_OUTCOME: snprintf(what, n, "an outcome with a date"); break;
  case DT_K_TREATY_ENTRY: snprintf(what, n, "a treaty's entry into force"); break;
  case DT_K_TREATY_EXPIRY: snprintf(what, n, "a treaty's expiry"); break;
  case DT_K_TREATY_WITHDRAWAL: snprintf(what, n, "a treaty withdrawal"); break;
  case DT_K_PROPOSAL_DEADLINE: snprintf(what, n, "a proposal's deadline"); break;
  case DT_K_DECISION_DEADLINE: snprintf(what, n, "a decision's deadline"); break;
  case DT_K_ARSENAL_STEP: snprintf(what, n, "a force change in progress"); break;
  default: snprintf(what, n, "a scheduled engine step (kind %u)", (unsigned)e.kind); break;
  }
  rt->instant_n = 0;   /* the instant's count starts again */
  return 0;
}
