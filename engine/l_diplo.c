/* l_diplo.c: bindings for diplomacy: proposals and their lifecycle, declared
 * decisions and policies (the decision mechanism a human seat shares with
 * batch runs), moves, injects and script-emitted events. */
#include "lrt.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int parse_vis(lua_State *L, int idx, const char *dflt) {
  static const char *const v[] = { "public", "parties", "private", NULL };
  return luaL_checkoption(L, idx, dflt, v);
}

/* ---- events --------------------------------------------------------------- */

/* [-0, +1, m] */
void lrt_push_event(lua_State *L, dt_sim_t *sim, const dt_event_t *ev) {
  static const char *const vis[] = { "public", "parties", "private" };
  lua_createtable(L, 0, 8 + ev->nfields);
  lua_pushstring(L, ev->kind); lua_setfield(L, -2, "kind");
  lua_pushinteger(L, (lua_Integer)ev->seq); lua_setfield(L, -2, "seq");
  lrt_pushtime(L, ev->time); lua_setfield(L, -2, "time");
  if (ev->actor >= 0) { lrt_pushhandle(L, LRT_H_STATE, sim->states[ev->actor]); lua_setfield(L, -2, "by"); }
  if (ev->target >= 0) { lrt_pushhandle(L, LRT_H_STATE, sim->states[ev->target]); lua_setfield(L, -2, "to"); }
  if (ev->text) { lua_pushstring(L, ev->text); lua_setfield(L, -2, "text"); }
  lua_pushstring(L, vis[ev->vis]); lua_setfield(L, -2, "visibility");
  for (int i = 0; i < ev->nfields; i++) {
    const dt_field_t *f = &ev->fields[i];
    static const char *const reserved[] = { "kind", "seq", "time", "by", "to", "text", "visibility", NULL };
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
        lrt_pushhandle(L, LRT_H_TREATY, dt_treaty_find(sim, s));
      } else if (strcmp(f->key, "proposal") == 0 && s[0] == 'P') {
        long k = strtol(s + 1, NULL, 10);
        if (k >= 1 && k <= sim->nproposals) lrt_pushhandle(L, LRT_H_PROPOSAL, sim->proposals[k - 1]);
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
  dt_sim_t *sim = lrt_sim(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_getfield(L, 1, "kind");
  const char *kind = lua_tostring(L, -1);
  if (!kind || !*kind) return luaL_error(L, "emit: 'kind' must be a non-empty string such as \"statement.made\"");
  int actor = -1, target = -1;
  if (lua_getfield(L, 1, "by") != LUA_TNIL) actor = lrt_checkstate(L, lua_gettop(L))->index;
  if (lua_getfield(L, 1, "to") != LUA_TNIL) target = lrt_checkstate(L, lua_gettop(L))->index;
  lua_getfield(L, 1, "text");
  const char *text = lua_isnil(L, -1) ? NULL : luaL_tolstring(L, -1, NULL);
  lua_getfield(L, 1, "visibility");
  int vis = parse_vis(L, lua_gettop(L), "public");
  if (vis != DT_VIS_PUBLIC && actor < 0)
    return luaL_error(L, "emit: a %s event needs 'by' (whose event it is)", vis == 1 ? "parties" : "private");
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
      const char *k = lua_tostring(L, -1);
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
      case LUA_TSTRING: f->type = DT_F_STR; f->v.str = lua_tostring(L, -1); break;
      case LUA_TUSERDATA: f->type = DT_F_STR; f->v.str = luaL_tolstring(L, -1, NULL); break;
      default:
        return luaL_error(L, "emit: data field '%s' is a %s; use strings, numbers, booleans or handles",
                          k, luaL_typename(L, -1));
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
  lrt_check(L);
  if (rc == DT_ELIMIT) return luaL_error(L, "emit: events nested more than 32 deep (hooks emitting in a cycle?)");
  return 0;
}

static int emit_note(lua_State *L, int actor, int textidx) {
  dt_sim_t *sim = lrt_sim(L);
  const char *text = luaL_tolstring(L, textidx, NULL);
  int rc = dt_sim_emitf(sim, "note", actor, -1, DT_VIS_PUBLIC, NULL, 0, "%s", text);
  lrt_check(L);
  if (rc < 0) return lrt_raise(L, "log", rc);
  return 0;
}
static int l_log(lua_State *L) { luaL_checkany(L, 1); return emit_note(L, -1, 1); }
static int l_note(lua_State *L) {
  dt_state_t *s = lrt_checkstate(L, 1);
  luaL_checkany(L, 2);
  return emit_note(L, s->index, 2);
}

/* ---- proposals ------------------------------------------------------------ */

static int prop_get(lua_State *L, void *obj, const char *k) {
  dt_proposal_t *p = obj;
  dt_sim_t *sim = lrt_sim(L);
  if (strcmp(k, "id") == 0) lua_pushfstring(L, "P%d", p->index + 1);
  else if (strcmp(k, "from") == 0) lrt_pushhandle(L, LRT_H_STATE, sim->states[p->from]);
  else if (strcmp(k, "to") == 0) lrt_pushhandle(L, LRT_H_STATE, sim->states[p->to]);
  else if (strcmp(k, "kind") == 0) lua_pushstring(L, p->kind);
  else if (strcmp(k, "status") == 0) lua_pushstring(L, dt_proposal_status_name(p->status));
  else if (strcmp(k, "made_at") == 0) lrt_pushtime(L, p->made_at);
  else if (strcmp(k, "deadline") == 0) { if (p->deadline == DT_NEVER) lua_pushnil(L); else lrt_pushtime(L, p->deadline); }
  else if (strcmp(k, "closed_at") == 0) { if (p->closed_at == DT_NEVER) lua_pushnil(L); else lrt_pushtime(L, p->closed_at); }
  else if (strcmp(k, "pending") == 0) lua_pushboolean(L, p->status == DT_PS_PENDING);
  else return 0;
  return 1;
}
static const lrt_getter_t prop_getter = { prop_get };

static int prop_tostring(lua_State *L) {
  dt_proposal_t *p = lrt_checkhandle(L, 1, LRT_H_PROPOSAL);
  dt_sim_t *sim = lrt_sim(L);
  lua_pushfstring(L, "Proposal(P%d %s %s->%s, %s)", p->index + 1, p->kind,
                  sim->states[p->from]->id, sim->states[p->to]->id, dt_proposal_status_name(p->status));
  return 1;
}

/* Reads the terms the core understands from the terms table at idx. [-0, +0, v] */
static void read_terms(lua_State *L, int idx, dt_proposal_t *p, const char *ctx) {
  dt_sim_t *sim = lrt_sim(L);
  if (lua_getfield(L, idx, "treaty") != LUA_TNIL) {
    dt_treaty_t *t = lrt_testhandle(L, -1, LRT_H_TREATY);
    if (!t && lua_type(L, -1) == LUA_TSTRING) t = dt_treaty_find(sim, lua_tostring(L, -1));
    if (!t) { luaL_error(L, "%s: terms.treaty must be a treaty", ctx); return; }
    p->treaty = t->index;
  }
  lua_pop(L, 1);
  static const struct { const char *k; int months; int64_t secs; } u[] = {
    { "years", 12, 0 }, { "months", 1, 0 }, { "days", 0, 86400 }
  };
  for (size_t i = 0; i < 3; i++) {
    if (lua_getfield(L, idx, u[i].k) != LUA_TNIL) {
      if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) <= 0 || lua_tointeger(L, -1) > 1000)
        luaL_error(L, "%s: terms.%s must be a whole number > 0", ctx, u[i].k);
      p->ext_months += (int)lua_tointeger(L, -1) * u[i].months;
      p->ext_seconds += lua_tointeger(L, -1) * u[i].secs;
    }
    lua_pop(L, 1);
  }
  lua_getfield(L, idx, "formal"); p->formal = lua_toboolean(L, -1); lua_pop(L, 1);
  lua_getfield(L, idx, "reciprocal");
  p->reciprocal = lua_isnil(L, -1) ? 1 : lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (p->treaty >= 0 && strcmp(p->kind, "extension") == 0 && p->ext_months == 0 && p->ext_seconds == 0)
    luaL_error(L, "%s: an extension needs terms.years, terms.months or terms.days", ctx);
}

/* state:propose{ to=, kind=, terms=, deadline=, visibility=, conditions= } */
static int state_propose(lua_State *L) {
  dt_sim_t *sim = lrt_sim(L);
  dt_state_t *from = lrt_checkhandle(L, 1, LRT_H_STATE);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_getfield(L, 2, "to");
  dt_state_t *to = lrt_checkstate(L, lua_gettop(L));
  lua_getfield(L, 2, "kind");
  const char *kind = lua_tostring(L, -1);
  if (!kind) return luaL_error(L, "propose: 'kind' must be a string such as \"extension\"");
  char ctx[160];
  snprintf(ctx, sizeof ctx, "propose (%s to %s, %s)", from->id, to->id, kind);
  if (from == to) return luaL_error(L, "%s: a state cannot propose to itself", ctx);
  dt_time_t deadline = DT_NEVER;
  if (lua_getfield(L, 2, "deadline") != LUA_TNIL) {
    if (lrt_isdur(L, -1)) deadline = lrt_addur(L, sim->now, lrt_checkdur(L, lua_gettop(L)));
    else deadline = lrt_checktime(L, lua_gettop(L));
    if (deadline <= sim->now) return luaL_error(L, "%s: the deadline must be after the current date", ctx);
  }
  lua_getfield(L, 2, "visibility");
  int vis = parse_vis(L, lua_gettop(L), "public");
  dt_proposal_t *p;
  int rc = dt_proposal_make(sim, from->index, to->index, kind, vis, deadline, &p);
  if (rc < 0) return lrt_raise(L, ctx, rc);
  if (lua_getfield(L, 2, "terms") == LUA_TTABLE) read_terms(L, lua_gettop(L), p, ctx);
  else if (!lua_isnil(L, -1)) return luaL_error(L, "%s: 'terms' must be a table", ctx);
  int terms = lua_gettop(L);
  lrt_pushhandle(L, LRT_H_PROPOSAL, p);
  int h = lua_gettop(L);
  lrt_attrs(L, h);
  if (lua_isnil(L, terms)) { lua_newtable(L); lua_replace(L, terms); }
  lua_pushvalue(L, terms); lua_setfield(L, -2, "terms");
  lua_getfield(L, 2, "conditions"); lua_setfield(L, -2, "conditions");
  lua_pop(L, 1);
  rc = dt__proposal_announce(sim, p);
  lrt_check(L);
  if (rc < 0) return lrt_raise(L, ctx, rc);
  lua_pushvalue(L, h);
  return 1;
}

static int close_as(lua_State *L, int st, int why_idx) {
  dt_proposal_t *p = lrt_checkhandle(L, 1, LRT_H_PROPOSAL);
  dt_sim_t *sim = lrt_sim(L);
  int before = p->status;
  int rc = dt_proposal_close(sim, p, st, luaL_optstring(L, why_idx, NULL));
  lrt_check(L);
  if (before != DT_PS_PENDING)
    return luaL_error(L, "proposal P%d (%s, %s to %s): already %s", p->index + 1, p->kind,
                      sim->states[p->from]->id, sim->states[p->to]->id, dt_proposal_status_name(before));
  if (rc == DT_ESTATE || rc == DT_EINVAL || rc == DT_ERANGE)
    return luaL_error(L, "proposal P%d: accepted, but its terms could not be applied (%s): "
                         "is the treaty still in force and extensible?", p->index + 1, dt_strerror(rc));
  if (rc < 0) return lrt_raise(L, "proposal", rc);
  return 0;
}
static int prop_accept(lua_State *L) { return close_as(L, DT_PS_ACCEPTED, 2); }
static int prop_reject(lua_State *L) { return close_as(L, DT_PS_REJECTED, 2); }
static int prop_withdraw(lua_State *L) { return close_as(L, DT_PS_WITHDRAWN, 2); }

/* proposal:counter{ terms=, deadline=, kind= } -> the counter-proposal */
static int prop_counter(lua_State *L) {
  dt_proposal_t *p = lrt_checkhandle(L, 1, LRT_H_PROPOSAL);
  dt_sim_t *sim = lrt_sim(L);
  if (lua_isnoneornil(L, 2)) lua_newtable(L); else luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  close_as(L, DT_PS_COUNTERED, 3);
  /* The counter goes back the other way, inheriting kind and visibility. */
  lua_pushcfunction(L, state_propose);
  lrt_pushhandle(L, LRT_H_STATE, sim->states[p->to]);
  lua_newtable(L);
  lrt_pushhandle(L, LRT_H_STATE, sim->states[p->from]); lua_setfield(L, -2, "to");
  if (lua_getfield(L, 2, "kind") == LUA_TNIL) { lua_pop(L, 1); lua_pushstring(L, p->kind); }
  lua_setfield(L, -2, "kind");
  static const char *const vis[] = { "public", "parties", "private" };
  lua_pushstring(L, vis[p->vis]); lua_setfield(L, -2, "visibility");
  lua_getfield(L, 2, "terms"); lua_setfield(L, -2, "terms");
  lua_getfield(L, 2, "deadline"); lua_setfield(L, -2, "deadline");
  lua_getfield(L, 2, "conditions"); lua_setfield(L, -2, "conditions");
  lua_call(L, 2, 1);
  dt_proposal_t *np = lrt_checkhandle(L, -1, LRT_H_PROPOSAL);
  p->countered_by = np->index;
  lrt_attrs(L, 1);
  lua_pushvalue(L, -2); lua_setfield(L, -2, "countered_by");
  lua_pop(L, 1);
  return 1;
}

/* proposal:respond(option): accept | reject | counter | withdraw | silence */
static int prop_respond(lua_State *L) {
  const char *o = luaL_checkstring(L, 2);
  lua_remove(L, 2);
  if (strcmp(o, "accept") == 0) return prop_accept(L);
  if (strcmp(o, "reject") == 0) return prop_reject(L);
  if (strcmp(o, "withdraw") == 0) return prop_withdraw(L);
  if (strcmp(o, "counter") == 0) return prop_counter(L);
  if (strcmp(o, "silence") == 0) { lrt_checkhandle(L, 1, LRT_H_PROPOSAL); return 0; }
  return luaL_error(L, "respond: unknown answer '%s' (accept, reject, counter, withdraw or silence)", o);
}

/* ---- decisions and policies ---------------------------------------------- */

static int checkdectype(lua_State *L, int idx) {
  dt_sim_t *sim = lrt_sim(L);
  const char *name = luaL_checkstring(L, idx);
  int d = dt_dectype_find(sim, name);
  if (d < 0) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_pushfstring(L, "unknown decision '%s' (declare it with decision(\"%s\", {options = ...}); declared:", name, name);
    luaL_addvalue(&b);
    for (int i = 0; i < sim->ndectypes; i++) { luaL_addchar(&b, ' '); luaL_addstring(&b, sim->dectypes[i].name); }
    if (!sim->ndectypes) luaL_addstring(&b, " none");
    luaL_addchar(&b, ')');
    luaL_pushresult(&b);
    luaL_argerror(L, idx, lua_tostring(L, -1));
  }
  return d;
}

/* decision(name, { options = {...}, default = "...", timeout = duration, doc = "..." }) */
static int l_decision(lua_State *L) {
  dt_sim_t *sim = lrt_sim(L);
  const char *name = luaL_checkstring(L, 1);
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
  if (lua_getfield(L, 2, "options") != LUA_TTABLE)
    return luaL_error(L, "decision '%s': 'options' must list the option names", name);
  int ot = lua_gettop(L);
  const char *opts[64]; int n = (int)lua_rawlen(L, ot);
  if (n < 1 || n > 64) return luaL_error(L, "decision '%s': between 1 and 64 options", name);
  for (int i = 0; i < n; i++) {
    lua_rawgeti(L, ot, i + 1);
    opts[i] = lua_tostring(L, -1);
    if (!opts[i]) return luaL_error(L, "decision '%s': option %d is not a string", name, i + 1);
    lua_pop(L, 1);
  }
  int dflt = 0;
  if (lua_getfield(L, 2, "default") != LUA_TNIL) {
    const char *d = lua_tostring(L, -1);
    dflt = -1;
    for (int i = 0; d && i < n; i++) if (strcmp(opts[i], d) == 0) dflt = i;
    if (dflt < 0) return luaL_error(L, "decision '%s': default '%s' is not one of its options", name, d ? d : "?");
  }
  int64_t timeout = 0;
  if (lua_getfield(L, 2, "timeout") != LUA_TNIL) {
    lrt_dur_t du = lrt_checkdur(L, lua_gettop(L));
    if (du.months) return luaL_error(L, "decision '%s': give the timeout in days or weeks", name);
    timeout = du.seconds;
  }
  lua_getfield(L, 2, "doc");
  int rc = dt_dectype_add(sim, name, lua_tostring(L, -1), opts, n, dflt, timeout);
  if (rc == DT_EEXIST) return luaL_error(L, "decision '%s' is already declared", name);
  if (rc == DT_EINVAL) return luaL_error(L, "decision '%s': options must be distinct, non-empty names", name);
  if (rc < 0) return lrt_raise(L, "decision", rc);
  return 0;
}

/* policy(state, decision, fn | "option" | { weights = {option = w, ...} }) */
static int l_policy(lua_State *L) {
  dt_sim_t *sim = lrt_sim(L);
  dt_state_t *s = lrt_checkstate(L, 1);
  int d = checkdectype(L, 2);
  const dt_dectype_t *dt = &sim->dectypes[d];
  int rc;
  if (lua_isfunction(L, 3)) {
    rc = dt_policy_set(sim, s->index, d, DT_POL_FOREIGN, 0, NULL, lrt_ref(L, 3));
  } else if (lua_type(L, 3) == LUA_TSTRING) {
    int o = dt_dectype_option(sim, d, lua_tostring(L, 3));
    if (o < 0) return luaL_error(L, "policy: '%s' is not an option of decision '%s'", lua_tostring(L, 3), dt->name);
    rc = dt_policy_set(sim, s->index, d, DT_POL_FIXED, o, NULL, 0);
  } else if (lua_istable(L, 3)) {
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
        return luaL_error(L, "policy: '%s' is not an option of decision '%s'", luaL_tolstring(L, -1, NULL), dt->name);
    }
    rc = dt_policy_set(sim, s->index, d, DT_POL_WEIGHTED, 0, w, 0);
    if (rc == DT_EINVAL) return luaL_error(L, "policy: the weights must not all be zero");
  } else {
    return luaL_typeerror(L, 3, "function, option name or {weights = ...}");
  }
  if (rc < 0) return lrt_raise(L, "policy", rc);
  return 0;
}

int lrt_policy(dt_sim_t *sim, dt_decision_t *d, const dt_policy_t *p, void *ud) {
  dt_lrt_t *rt = ud;
  lua_State *L = rt->L;
  const dt_dectype_t *t = &sim->dectypes[d->dectype];
  if (!lrt_room(rt, L)) return DT_ESCRIPT;
  lrt_getref(L, p->ref);
  if (d->ctx_ref) lrt_getref(L, d->ctx_ref); else lua_newtable(L);
  int rc = lrt_pcall(rt, L, 1, 1, "policy");
  if (rc < 0) return rc;
  const char *o = lua_tostring(L, -1);
  int opt = o ? dt_dectype_option(sim, d->dectype, o) : -1;
  if (opt < 0) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_pushfstring(L, "the policy of %s for decision '%s' returned %s%s%s; expected one of:",
                    sim->states[d->state]->id, t->name, o ? "'" : "a ", o ? o : luaL_typename(L, -1), o ? "'" : " value");
    luaL_addvalue(&b);
    for (int i = 0; i < t->noptions; i++) { luaL_addchar(&b, ' '); luaL_addstring(&b, t->options[i]); }
    luaL_pushresult(&b);
    lrt_fail(rt, lua_tostring(L, -1), NULL);
    lua_pop(L, 2);
    return DT_ESCRIPT;
  }
  lua_pop(L, 1);
  return opt;
}

void lrt_decided(dt_sim_t *sim, dt_decision_t *d, void *ud) {
  dt_lrt_t *rt = ud;
  if (!d->waiter || !lrt_room(rt, rt->L)) return;
  int w = d->waiter;
  d->waiter = 0;
  if (d->ctx_ref) { lrt_unref(rt->L, d->ctx_ref); d->ctx_ref = 0; }
  lua_pushstring(rt->L, dt_decision_option(sim, d));
  lrt_resume(rt, rt->L, w, 1);
}

static int decide_k(lua_State *L, int status, lua_KContext ctx) {
  (void)status; (void)ctx;
  lrt_check(L);
  return 1;   /* the answer the resumer passed */
}

/* state:decide(name, ctx) -> option */
static int state_decide(lua_State *L) {
  dt_sim_t *sim = lrt_sim(L);
  dt_state_t *s = lrt_checkhandle(L, 1, LRT_H_STATE);
  int dtype = checkdectype(L, 2);
  if (lua_isnoneornil(L, 3)) lua_newtable(L); else luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  const dt_dectype_t *t = &sim->dectypes[dtype];
  lua_pushvalue(L, 1); lua_setfield(L, 3, "state");
  lua_pushstring(L, t->name); lua_setfield(L, 3, "decision");
  lua_createtable(L, t->noptions, 0);
  for (int i = 0; i < t->noptions; i++) { lua_pushstring(L, t->options[i]); lua_rawseti(L, -2, i + 1); }
  lua_setfield(L, 3, "options");
  dt_decision_t *d;
  int rc = dt_decision_ask(sim, s->index, dtype, DT_NEVER, lrt_ref(L, 3), &d);
  lrt_check(L);
  if (rc < 0) return lrt_raise(L, "decide", rc);
  if (d->status != DT_DS_PENDING) {
    lrt_unref(L, d->ctx_ref);   /* the context is only needed while it is open */
    d->ctx_ref = 0;
    lua_pushstring(L, dt_decision_option(sim, d));
    return 1;
  }
  /* A human seat: suspend until the answer (or the default at the deadline). */
  int ref = lrt_current_ref(L);
  if (!ref) {
    dt_decision_answer(sim, d, t->dflt, 1);
    return luaL_error(L, "decide: %s's seat is held by a human team, but this code cannot wait "
                         "(call decide from a hook or process, not from a policy, metric or when())", s->id);
  }
  d->waiter = ref;
  lua_settop(L, 0);
  return lua_yieldk(L, 0, 0, decide_k);
}

/* ---- moves and injects ---------------------------------------------------- */

/* move(name, { doc=, params=, validate=fn(state, args), apply=fn(state, args) }) */
static int l_move(lua_State *L) {
  lrt_sim(L);
  const char *name = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  if (lua_getfield(L, 2, "apply") != LUA_TFUNCTION)
    return luaL_error(L, "move '%s': 'apply' must be a function(state, args)", name);
  lua_getfield(L, 2, "validate");
  if (!lua_isnil(L, -1) && !lua_isfunction(L, -1))
    return luaL_error(L, "move '%s': 'validate' must be a function(state, args)", name);
  lua_settop(L, 2);
  lrt_getrun(L, "moves");
  if (lua_getfield(L, -1, name) != LUA_TNIL) return luaL_error(L, "move '%s' is already defined", name);
  lua_pop(L, 1);
  lua_pushvalue(L, 2);
  lua_setfield(L, -2, name);
  lua_getfield(L, -1, "__order");
  if (lua_isnil(L, -1)) { lua_pop(L, 1); lua_newtable(L); lua_pushvalue(L, -1); lua_setfield(L, -3, "__order"); }
  lua_pushvalue(L, 1);
  lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
  return 0;
}

static int l_moves(lua_State *L) {
  lrt_sim(L);
  lrt_getrun(L, "moves");
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
  lrt_checkhandle(L, 1, LRT_H_STATE);
  const char *name = luaL_checkstring(L, 2);
  if (lua_isnoneornil(L, 3)) lua_newtable(L); else luaL_checktype(L, 3, LUA_TTABLE);
  lua_settop(L, 3);
  lrt_getrun(L, "moves");
  if (lua_getfield(L, -1, name) != LUA_TTABLE || strcmp(name, "__order") == 0)
    return luaL_error(L, "move: unknown move '%s' (define it with move(\"%s\", {...}) or require the standard moves)", name, name);
  int m = lua_gettop(L);
  if (lua_getfield(L, m, "validate") == LUA_TFUNCTION) {
    lua_pushvalue(L, 1); lua_pushvalue(L, 3);
    lua_call(L, 2, 2);
    if (!lua_toboolean(L, -2)) {
      lua_pushnil(L);
      if (lua_isnil(L, -2)) lua_pushfstring(L, "move '%s' is not allowed now", name);
      else lua_pushvalue(L, -2);
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

static int l_inject(lua_State *L) {
  lrt_sim(L);
  const char *name = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lrt_getrun(L, "injects");
  if (lua_getfield(L, -1, name) != LUA_TNIL) return luaL_error(L, "inject '%s' is already defined", name);
  lua_pop(L, 1);
  lua_createtable(L, 0, 2);
  lua_pushvalue(L, 2); lua_setfield(L, -2, "fn");
  lua_pushvalue(L, 3); lua_setfield(L, -2, "doc");
  lua_setfield(L, -2, name);
  return 0;
}

static int l_fire(lua_State *L) {
  dt_sim_t *sim = lrt_sim(L);
  const char *name = luaL_checkstring(L, 1);
  lrt_getrun(L, "injects");
  if (lua_getfield(L, -1, name) != LUA_TTABLE) return luaL_error(L, "fire: unknown inject '%s'", name);
  dt_field_t f = { .key = "inject", .type = DT_F_STR, .v.str = name };
  dt_sim_emitf(sim, "inject.fired", -1, -1, DT_VIS_PUBLIC, &f, 1, "inject: %s", name);
  lrt_check(L);
  lua_getfield(L, -1, "fn");
  lua_pushvalue(L, 2);
  lrt_start(lrt_get(L), L, 1, "inject");
  lrt_check(L);
  return 0;
}

void l_open_diplo(lua_State *L) {
  static const luaL_Reg prop_m[] = {
    { "accept", prop_accept }, { "reject", prop_reject }, { "withdraw", prop_withdraw },
    { "counter", prop_counter }, { "respond", prop_respond }, { NULL, NULL }
  };
  lrt_handle_register(L, LRT_H_PROPOSAL, prop_m, &prop_getter, prop_tostring);
  /* State methods that live here join the State metatable's method table. */
  luaL_getmetatable(L, "detente.State");
  lua_getfield(L, -1, "__index");
  lua_getupvalue(L, -1, 1);
  lua_pushcfunction(L, state_propose); lua_setfield(L, -2, "propose");
  lua_pushcfunction(L, state_decide); lua_setfield(L, -2, "decide");
  lua_pushcfunction(L, state_move); lua_setfield(L, -2, "move");
  lua_rawgetp(L, LUA_REGISTRYINDEX, &lrt_key_base);
  lua_getfield(L, -1, "spawn"); lua_setfield(L, -3, "spawn");
  lua_pop(L, 4);
  static const luaL_Reg fns[] = {
    { "emit", l_emit }, { "log", l_log }, { "note", l_note }, { "decision", l_decision },
    { "policy", l_policy }, { "move", l_move }, { "moves", l_moves }, { "inject", l_inject },
    { "fire", l_fire }, { NULL, NULL }
  };
  lua_rawgetp(L, LUA_REGISTRYINDEX, &lrt_key_base);
  luaL_setfuncs(L, fns, 0);
  lua_pop(L, 1);
}
