/* l_decision.c: bindings for decisions (core: decision.c): declared decisions
 * and policies (the mechanism a human seat shares with batch runs), state:decide,
 * and the moves and injects a live session offers its seats. */
#include "l_fields.h"
#include "l_session.h"
#include <math.h>
#include <string.h>

/* ---- decisions and policies ---------------------------------------------- */

static int checkdectype(lua_State *L, int idx) {
  dt_sim_t *sim = dt__lrt_sim(L);
  const char *name = dt__lrt_checkstr(L, idx);
  int d = dt_dectype_find(sim, name);
  if (d < 0) {
    size_t n = (size_t)sim->ndectypes;
    const char **names = lua_newuserdatauv(L, sizeof *names * (n ? n : 1), 0);
    for (size_t i = 0; i < n; i++) names[i] = sim->dectypes[i].name;
    const char *hint = dt__lrt_pushsuggest(L, name, names, n);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_pushfstring(
        L,
        "unknown decision '%s'%s (declare it with decision(\"%s\", {options = ...}); declared:",
        name, hint, name);
    luaL_addvalue(&b);
    for (int i = 0; i < sim->ndectypes; i++) {
      luaL_addchar(&b, ' ');
      luaL_addstring(&b, sim->dectypes[i].name);
    }
    if (!sim->ndectypes) luaL_addstring(&b, " none");
    luaL_addchar(&b, ')');
    luaL_pushresult(&b);
    luaL_argerror(L, idx, lua_tostring(L, -1));
  }
  return d;
}

/* decision(name, { options = {...}, default = "...", timeout = duration, doc = "..." }) */
static int l_decision(lua_State *L) {
  dt_sim_t *sim = dt__lrt_sim(L);
  const char *name = dt__lrt_checkstr(L, 1);
  if (lua_isnone(L, 2)) {   /* decision(name): its options, or nil if undeclared */
    int d = dt_dectype_find(sim, name);
    if (d < 0) { lua_pushnil(L); return 1; }
    lua_createtable(L, sim->dectypes[d].noptions, 0);
    for (int i = 0; i < sim->dectypes[d].noptions; i++) {
      lua_pushstring(L, sim->dectypes[d].options[i]);
      lua_rawseti(L, -2, i + 1);
    }
    return 1;
  }
  luaL_checktype(L, 2, LUA_TTABLE);
  dt__lrt_checkfields(L, 2, &dt__lrt_f_decision, lua_pushfstring(L, "decision '%s'", name));
  if (lua_getfield(L, 2, "options") != LUA_TTABLE)
    return luaL_error(L, "decision '%s': 'options' must list the option names", name);
  int ot = lua_gettop(L);
  const char *opts[64];
  int n = dt__lrt_checklist(L, ot, lua_tostring(L, 3), "options", "options", 1, 64);
  for (int i = 0; i < n; i++) {
    lua_rawgeti(L, ot, i + 1);
    if (lua_type(L, -1) != LUA_TSTRING)
      return luaL_error(L, "decision '%s': option %d is not a string", name, i + 1);
    opts[i] = lua_tostring(L, -1);
    int at = lua_gettop(L);
    if (!dt__lrt_cstr_ok(opts[i], lua_rawlen(L, at)))
      dt__lrt_cstr(L, at, lua_pushfstring(L, "decision '%s': option %d", name, i + 1));
    lua_pop(L, 1);
  }
  int dflt = 0;
  if (lua_getfield(L, 2, "default") != LUA_TNIL) {
    const char *d = lua_tostring(L, -1);   /* compared with the options: checked with them */
    dflt = -1;
    for (int i = 0; d && i < n; i++) if (strcmp(opts[i], d) == 0) dflt = i;
    if (dflt < 0)
      return luaL_error(L, "decision '%s': default '%s' is not one of its options", name,
                        d ? d : "?");
  }
  int64_t timeout = 0;
  if (lua_getfield(L, 2, "timeout") != LUA_TNIL) {
    dt_lrt_dur_t du = dt__lrt_checkdur(L, lua_gettop(L));
    if (du.months) return luaL_error(L, "decision '%s': give the timeout in days or weeks", name);
    timeout = du.seconds;
  }
  lua_getfield(L, 2, "doc");
  int at = lua_gettop(L);
  const char *doc = lua_tostring(L, at);
  if (doc && !dt__lrt_cstr_ok(doc, lua_rawlen(L, at)))
    dt__lrt_cstr(L, at, lua_pushfstring(L, "decision '%s': 'doc'", name));
  int rc = dt_dectype_add(sim, name, doc, opts, n, dflt, timeout);
  if (rc == DT_EEXIST) return luaL_error(L, "decision '%s' is already declared", name);
  if (dt__lrt_get(L)->check_mode) dt__lrt_check_decision_declared(L, name);
  if (rc == DT_EINVAL)
    return luaL_error(L, "decision '%s': options must be distinct, non-empty names", name);
  if (rc < 0) return dt__lrt_raise(L, "decision", rc);
  return 0;
}

/* policy(state, decision, fn | "option" | { weights = {option = w, ...} }) */
static int l_policy(lua_State *L) {
  dt_sim_t *sim = dt__lrt_sim(L);
  dt_group_t *g = dt__lrt_testgroup(L, 1);
  if (g) {   /* a group's policy is each member's */
    lua_settop(L, 3);
    for (int i = 0; i < g->nmembers; i++) {
      lua_pushcfunction(L, l_policy);
      dt__lrt_pushhandle(L, DT_LRT_H_STATE, sim->states[g->members[i]]);
      lua_pushvalue(L, 2);
      lua_pushvalue(L, 3);
      lua_call(L, 3, 0);
    }
    return 0;
  }
  dt_state_t *s = dt__lrt_checkstate(L, 1);
  if (dt__lrt_get(L)->check_mode && lua_type(L, 2) == LUA_TSTRING &&
      dt_dectype_find(sim, lua_tostring(L, 2)) < 0) {
    /* `detente check` reports it and carries on, to find the next mistake. */
    dt__lrt_problem(L,
                    lua_pushfstring(L,
                                    "policy: %s has a policy for decision '%s', which is not "
                                    "declared (declare it with decision(\"%s\", {options = ...}))",
                                    s->id, lua_tostring(L, 2), lua_tostring(L, 2)));
    return 0;
  }
  int d = checkdectype(L, 2);
  const dt_dectype_t *dt = &sim->dectypes[d];
  int rc;
  if (lua_isfunction(L, 3)) {
    rc = dt_policy_set(sim, s->index, d, DT_POL_FOREIGN, 0, NULL, dt__lrt_ref(L, 3));
  } else if (lua_type(L, 3) == LUA_TSTRING) {
    int o = dt_dectype_option(sim, d, lua_tostring(L, 3));
    if (o < 0)
      return luaL_error(L, "policy: '%s' is not an option of decision '%s'", lua_tostring(L, 3),
                        dt->name);
    rc = dt_policy_set(sim, s->index, d, DT_POL_FIXED, o, NULL, 0);
  } else if (lua_istable(L, 3)) {
    dt__lrt_checkfields(L, 3, &dt__lrt_f_policy, NULL);
    if (lua_getfield(L, 3, "weights") != LUA_TTABLE)
      return luaL_error(L, "policy: a table policy needs weights = { option = weight, ... }");
    int wt = lua_gettop(L);
    double w[64];
    /* Read weights in option order, then reject any key that is not an option. */
    for (int i = 0; i < dt->noptions; i++) {
      lua_getfield(L, wt, dt->options[i]);
      w[i] = lua_isnil(L, -1) ? 0.0 : lua_tonumber(L, -1);
      if (!lua_isnil(L, -1) && (lua_type(L, -1) != LUA_TNUMBER || !(w[i] >= 0) || !isfinite(w[i])))
        return luaL_error(L, "policy: weight of '%s' must be a number >= 0", dt->options[i]);
      lua_pop(L, 1);
    }
    lua_pushnil(L);
    while (lua_next(L, wt)) {
      lua_pop(L, 1);
      if (lua_type(L, -1) != LUA_TSTRING || dt_dectype_option(sim, d, lua_tostring(L, -1)) < 0)
        return luaL_error(L, "policy: '%s' is not an option of decision '%s'",
                          luaL_tolstring(L, -1, NULL), dt->name);
    }
    rc = dt_policy_set(sim, s->index, d, DT_POL_WEIGHTED, 0, w, 0);
    if (rc == DT_EINVAL) return luaL_error(L, "policy: the weights must not all be zero");
  } else {
    return luaL_typeerror(L, 3, "function, option name or {weights = ...}");
  }
  if (rc < 0) return dt__lrt_raise(L, "policy", rc);
  return 0;
}

int dt__lrt_policy(dt_sim_t *sim, dt_decision_t *d, const dt_policy_t *p, void *ud) {
  dt_lrt_t *rt = ud;
  lua_State *L = rt->L;
  const dt_dectype_t *t = &sim->dectypes[d->dectype];
  if (!dt__lrt_room(rt, L)) return DT_ESCRIPT;
  dt__lrt_getref(L, p->ref);
  if (d->ctx_ref) dt__lrt_getref(L, d->ctx_ref); else lua_newtable(L);
  int rc = dt__lrt_pcall(rt, L, 1, 1, "policy");
  if (rc < 0) return rc;
  const char *o = lua_tostring(L, -1);
  int opt = o ? dt_dectype_option(sim, d->dectype, o) : -1;
  if (opt < 0) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_pushfstring(L, "the policy of %s for decision '%s' returned %s%s%s; expected one of:",
                    sim->states[d->state]->id, t->name, o ? "'" : "a ",
                    o ? o : luaL_typename(L, -1), o ? "'" : " value");
    luaL_addvalue(&b);
    for (int i = 0; i < t->noptions; i++) {
      luaL_addchar(&b, ' ');
      luaL_addstring(&b, t->options[i]);
    }
    luaL_pushresult(&b);
    dt__lrt_fail(rt, lua_tostring(L, -1), NULL);
    lua_pop(L, 2);
    return DT_ESCRIPT;
  }
  lua_pop(L, 1);
  return opt;
}

void dt__lrt_decided(dt_sim_t *sim, dt_decision_t *d, void *ud) {
  dt_lrt_t *rt = ud;
  if (!d->waiter || !dt__lrt_room(rt, rt->L)) return;
  int w = d->waiter;
  d->waiter = 0;
  if (d->ctx_ref) { dt__lrt_unref(rt->L, d->ctx_ref); d->ctx_ref = 0; }
  lua_pushstring(rt->L, dt_decision_option(sim, d));
  uint32_t hook = rt->hook_running;
  int outer = rt->decision_running;
  rt->hook_running = 0;   /* the process, known by its decision (dt__lrt_cancel_decision) */
  rt->decision_running = d->index + 1;
  dt__lrt_resume(rt, rt->L, w, 1);
  rt->hook_running = hook;
  rt->decision_running = outer;
}

int dt__lrt_cancel_decision(dt_lrt_t *rt, int index, char *what, size_t n) {
  if (!rt->run_active || index < 0 || index >= rt->sim->ndecisions) return DT_ENOENT;
  dt_decision_t *d = rt->sim->decisions[index];
  if (!d->waiter) return DT_ENOENT;
  dt__lrt_unref(rt->L, d->waiter);
  d->waiter = 0;
  snprintf(what, n, "the process waiting for the answer to decision D%d (it will not resume; "
                    "the decision stays open)", index + 1);
  return 0;
}

static int decide_k(lua_State *L, int status, lua_KContext ctx) {
  (void)status; (void)ctx;
  dt__lrt_check(L);
  return 1;   /* the answer the resumer passed */
}

/* state:decide(name, ctx) -> option */
static int state_decide(lua_State *L) {
  dt__lrt_impure(L, "ask decisions");
  dt_sim_t *sim = dt__lrt_sim(L);
  dt_state_t *s = dt__lrt_checkhandle(L, 1, DT_LRT_H_STATE);
  int dtype = checkdectype(L, 2);
  /* One rule in run, mc and serve alike: the asking code waits for the
   * answer, so it must be code that can wait. */
  dt_lrt_t *rt = dt__lrt_get(L);
  if (rt->in_setup && rt->hook_depth == 1)   /* the main chunk itself */
    return luaL_error(L, "decide: %s:decide(\"%s\") during the scenario's setup; ask decisions "
                         "from a hook or a process (at, after, every, on, when, spawn), which "
                         "waits for the answer", s->id, lua_tostring(L, 2));
  if (!dt__lrt_can_suspend(L))
    return luaL_error(L, "decide: %s:decide(\"%s\") from code that cannot wait (a policy, "
                         "metric, when() predicate, outcome or a coroutine of the script's own); "
                         "ask from a hook or a process", s->id, lua_tostring(L, 2));
  if (lua_isnoneornil(L, 3)) lua_newtable(L); else luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  const dt_dectype_t *t = &sim->dectypes[dtype];
  lua_pushvalue(L, 1); lua_setfield(L, 3, "state");
  lua_pushstring(L, t->name); lua_setfield(L, 3, "decision");
  lua_createtable(L, t->noptions, 0);
  for (int i = 0; i < t->noptions; i++) {
    lua_pushstring(L, t->options[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, 3, "options");
  dt_decision_t *d;
  int rc = dt_decision_ask(sim, s->index, dtype, DT_NEVER, dt__lrt_ref(L, 3), &d);
  dt__lrt_check(L);
  if (rc < 0) return dt__lrt_raise(L, "decide", rc);
  if (d->status != DT_DS_PENDING) {
    dt__lrt_unref(L, d->ctx_ref);   /* the context is only needed while it is open */
    d->ctx_ref = 0;
    lua_pushstring(L, dt_decision_option(sim, d));
    return 1;
  }
  /* A human seat: suspend until the answer (or the default at the deadline). */
  int ref = dt__lrt_current_ref(L);
  if (!ref) {
    dt_decision_answer(sim, d, t->dflt, DT_DH_CANNOT_WAIT);
    return luaL_error(L,
                      "decide: %s's seat is held by a human team, but this code cannot wait "
                      "(call decide from a hook or process, not from a policy, metric or when())",
                      s->id);
  }
  d->waiter = ref;
  lua_settop(L, 0);
  return lua_yieldk(L, 0, 0, decide_k);
}

/* ---- moves and injects ---------------------------------------------------- */

/* move(name, { doc=, args={...}, available=fn(state), validate=fn(state, args),
 *              apply=fn(state, args) }) */
/* Keeps the definition at index 2 under `name` (at index 1) in the run's
 * table `tab` and appends the name to its `__order`; a second definition of
 * the same name raises. Used by move() and form(). */
static int define(lua_State *L, const char *tab, const char *kind, const char *name) {
  dt__lrt_getrun(L, tab);
  if (lua_getfield(L, -1, name) != LUA_TNIL)
    return luaL_error(L, "%s '%s' is already defined", kind, name);
  lua_pop(L, 1);
  lua_pushvalue(L, 2);
  lua_setfield(L, -2, name);
  lua_getfield(L, -1, "__order");
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__order");
  }
  lua_pushvalue(L, 1);
  lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
  return 0;
}

/* Registry: the standard moves' specs (shared, never changed) checked in this
 * worker, so each run defines them without checking them again. */
static const char key_checked = 0;

static int l_move(lua_State *L) {
  dt__lrt_sim(L);
  const char *name = dt__lrt_checkstr(L, 1);
  int shared = dt__lrt_unview(L, 2);   /* a standard move: read and kept by the engine only */
  luaL_checktype(L, 2, LUA_TTABLE);
  if (shared) {
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &key_checked) != LUA_TTABLE) {
      lua_pop(L, 1);
      lua_newtable(L);
      lua_pushvalue(L, -1);
      lua_rawsetp(L, LUA_REGISTRYINDEX, &key_checked);
    }
    lua_pushvalue(L, 2);
    int done = lua_rawget(L, -2) != LUA_TNIL;
    lua_pop(L, 2);
    if (done) return define(L, "moves", "move", name);
  }
  dt__lrt_checkfields(L, 2, &dt__lrt_f_move, lua_pushfstring(L, "move '%s'", name));
  lua_pop(L, 1);
  if (lua_getfield(L, 2, "apply") != LUA_TFUNCTION)
    return luaL_error(L, "move '%s': 'apply' must be a function(state, args)", name);
  lua_getfield(L, 2, "validate");
  if (!lua_isnil(L, -1) && !lua_isfunction(L, -1))
    return luaL_error(L, "move '%s': 'validate' must be a function(state, args)", name);
  lua_getfield(L, 2, "available");
  if (!lua_isnil(L, -1) && !lua_isfunction(L, -1))
    return luaL_error(L, "move '%s': 'available' must be a function(state)", name);
  lua_getfield(L, 2, "args");
  dt__lrt_check_args_spec(L, -1, "move", name);
  lua_settop(L, 2);
  if (shared) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &key_checked);
    lua_pushvalue(L, 2);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_pop(L, 1);
  }
  return define(L, "moves", "move", name);
}

static int l_moves(lua_State *L) {
  dt__lrt_sim(L);
  dt__lrt_getrun(L, "moves");
  lua_getfield(L, -1, "__order");
  lua_newtable(L);
  if (!lua_isnil(L, -2)) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, -2);
    for (lua_Integer i = 1; i <= n; i++) { lua_rawgeti(L, -2, i); lua_rawseti(L, -2, i); }
  }
  return 1;
}

/* state:move(name, args) -> true | nil, reason */
static int state_move(lua_State *L) {
  dt__lrt_impure(L, "make moves");
  dt__lrt_checkhandle(L, 1, DT_LRT_H_STATE);
  const char *name = dt__lrt_checkstr(L, 2);
  if (lua_isnoneornil(L, 3)) lua_newtable(L); else luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  dt__lrt_getrun(L, "moves");
  if (lua_getfield(L, -1, name) != LUA_TTABLE || strcmp(name, "__order") == 0)
    return luaL_error(L,
                      "move: unknown move '%s' (define it with move(\"%s\", {...}) or require the "
                      "standard moves)",
                      name, name);
  int m = lua_gettop(L);
  /* Declared arguments: ids to handles, "5d" to a duration, defaults. */
  if (!dt__lrt_args(L, m, 3, dt__lrt_checkhandle(L, 1, DT_LRT_H_STATE))) {
    dt__lrt_check_move_refused(L, name, dt__lrt_checkstate(L, 1)->id);
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
  }
  lua_replace(L, 3);
  if (lua_getfield(L, m, "validate") == LUA_TFUNCTION) {
    lua_pushvalue(L, 1); lua_pushvalue(L, 3);
    lua_call(L, 2, 2);
    if (!lua_toboolean(L, -2)) {
      lua_pushnil(L);
      if (lua_isnil(L, -2)) lua_pushfstring(L, "move '%s' is not allowed now", name);
      else lua_pushvalue(L, -2);
      dt__lrt_check_move_refused(L, name, dt__lrt_checkstate(L, 1)->id);
      return 2;
    }
    lua_pop(L, 2);
  } else {
    lua_pop(L, 1);
  }
  lua_getfield(L, m, "apply");
  lua_pushvalue(L, 1); lua_pushvalue(L, 3);
  lua_call(L, 2, 1);
  if (lua_isnil(L, -1)) { lua_pop(L, 1); lua_pushboolean(L, 1); }
  return 1;
}

/* inject(name, fn [, doc]) or inject(name, { doc=, args={...}, fire=fn(args) }) */
static int l_inject(lua_State *L) {
  dt__lrt_sim(L);
  const char *name = dt__lrt_checkstr(L, 1);
  lua_createtable(L, 0, 3);
  int e = lua_gettop(L);
  if (lua_istable(L, 2)) {
    dt__lrt_checkfields(L, 2, &dt__lrt_f_inject, lua_pushfstring(L, "inject '%s'", name));
    if (lua_getfield(L, 2, "fire") != LUA_TFUNCTION)
      return luaL_error(L, "inject '%s': 'fire' must be a function(args)", name);
    lua_setfield(L, e, "fn");
    if (lua_getfield(L, 2, "doc") != LUA_TNIL && !lua_isstring(L, -1))
      return luaL_error(L, "inject '%s': 'doc' must be a string", name);
    lua_setfield(L, e, "doc");
    lua_getfield(L, 2, "args");
    dt__lrt_check_args_spec(L, -1, "inject", name);
    lua_setfield(L, e, "args");
  } else {
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2); lua_setfield(L, e, "fn");
    lua_pushvalue(L, 3); lua_setfield(L, e, "doc");
  }
  dt__lrt_getrun(L, "injects");
  if (lua_getfield(L, -1, name) != LUA_TNIL)
    return luaL_error(L, "inject '%s' is already defined", name);
  lua_pop(L, 1);
  lua_pushvalue(L, e);
  lua_setfield(L, -2, name);
  return 0;
}

static int l_fire(lua_State *L) {
  dt__lrt_impure(L, "fire injects");
  dt_sim_t *sim = dt__lrt_sim(L);
  const char *name = dt__lrt_checkstr(L, 1);
  lua_settop(L, 2);   /* the arguments, or nil */
  if (!lua_isnil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
  dt__lrt_getrun(L, "injects");
  if (lua_getfield(L, -1, name) != LUA_TTABLE)
    return luaL_error(L, "fire: unknown inject '%s'", name);
  int e = lua_gettop(L);
  if (lua_isnil(L, 2)) { lua_newtable(L); lua_replace(L, 2); }
  if (!dt__lrt_args(L, e, 2, NULL)) return luaL_error(L, "fire %s: %s", name, lua_tostring(L, -1));
  lua_replace(L, 2);
  dt_field_t f = { .key = "inject", .type = DT_F_STR, .v.str = name };
  dt_sim_emitf(sim, "inject.fired", -1, -1, DT_VIS_PUBLIC, &f, 1, "inject: %s", name);
  dt__lrt_check(L);
  lua_getfield(L, -1, "fn");
  lua_pushvalue(L, 2);
  dt__lrt_start(dt__lrt_get(L), L, 1, "inject");
  dt__lrt_check(L);
  return 0;
}

/* form(name, { title=, doc=, args={...} }): a structured message people post
 * in a session's channels (a request for information, a statement of intent,
 * a course of action). Its fields are declared and checked as a move's
 * arguments are; posting one never runs scenario code. */
static int l_form(lua_State *L) {
  dt__lrt_sim(L);
  const char *name = dt__lrt_checkstr(L, 1);
  size_t n = strlen(name);
  if (n == 0 || n > 63 || !strcmp(name, "__order"))
    return luaL_error(L, "form: the name must be 1 to 63 bytes");
  luaL_checktype(L, 2, LUA_TTABLE);
  dt__lrt_checkfields(L, 2, &dt__lrt_f_form, lua_pushfstring(L, "form '%s'", name));
  lua_pop(L, 1);
  static const char *const texts[] = { "title", "doc", NULL };
  for (int i = 0; texts[i]; i++) {
    int t = lua_getfield(L, 2, texts[i]);
    if (t != LUA_TNIL && t != LUA_TSTRING)
      return luaL_error(L, "form '%s': '%s' must be a string", name, texts[i]);
    lua_pop(L, 1);
  }
  lua_getfield(L, 2, "args");
  dt__lrt_check_args_spec(L, -1, "form", name);
  lua_settop(L, 2);
  return define(L, "forms", "form", name);
}

void dt__open_decision(lua_State *L) {
  static const luaL_Reg state_m[] = {
    { "decide", state_decide }, { "move", state_move }, { NULL, NULL }
  };
  dt__lrt_handle_methods(L, DT_LRT_H_STATE, state_m);
  static const luaL_Reg fns[] = {
    { "decision", l_decision }, { "policy", l_policy }, { "move", l_move }, { "moves", l_moves },
    { "inject", l_inject }, { "fire", l_fire }, { "form", l_form }, { NULL, NULL }
  };
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  luaL_setfuncs(L, fns, 0);
  lua_pop(L, 1);
}
