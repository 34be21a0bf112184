/* l_proposal.c: bindings for proposals (core: proposal.c): state:propose, the
 * terms a proposal carries, and its lifecycle (accept, reject, withdraw,
 * counter, respond). Misuse raises an error that names the proposal. */
#include "l_fields.h"
#include <string.h>

/* ---- proposals ------------------------------------------------------------ */

static int prop_get(lua_State *L, void *obj, const char *k) {
  dt_proposal_t *p = obj;
  dt_sim_t *sim = dt__lrt_sim(L);
  if (strcmp(k, "id") == 0) lua_pushfstring(L, "P%d", p->index + 1);
  else if (strcmp(k, "from") == 0) dt__lrt_pushhandle(L, DT_LRT_H_STATE, sim->states[p->from]);
  else if (strcmp(k, "to") == 0) dt__lrt_pushhandle(L, DT_LRT_H_STATE, sim->states[p->to]);
  else if (strcmp(k, "kind") == 0) lua_pushstring(L, p->kind);
  else if (strcmp(k, "status") == 0) lua_pushstring(L, dt_proposal_status_name(p->status));
  else if (strcmp(k, "made_at") == 0) dt__lrt_pushtime(L, p->made_at);
  else if (strcmp(k, "deadline") == 0) {
    if (p->deadline == DT_NEVER) lua_pushnil(L);
    else dt__lrt_pushtime(L, p->deadline);
  } else if (strcmp(k, "closed_at") == 0) {
    if (p->closed_at == DT_NEVER) lua_pushnil(L);
    else dt__lrt_pushtime(L, p->closed_at);
  } else if (strcmp(k, "pending") == 0) lua_pushboolean(L, p->status == DT_PS_PENDING);
  else if (strcmp(k, "quorum") == 0) lua_pushinteger(L, p->quorum);
  else if (strcmp(k, "addressees") == 0) {
    lua_createtable(L, p->naddr, 0);
    for (int i = 0; i < p->naddr; i++) {
      dt__lrt_pushhandle(L, DT_LRT_H_STATE, sim->states[p->addressees[i]]);
      lua_rawseti(L, -2, i + 1);
    }
  } else if (strcmp(k, "answers") == 0) {
    /* { {state = S, answer = "accepted" | "rejected" | "pending"}, ... } in addressee order */
    lua_createtable(L, p->naddr, 0);
    for (int i = 0; i < p->naddr; i++) {
      lua_createtable(L, 0, 2);
      dt__lrt_pushhandle(L, DT_LRT_H_STATE, sim->states[p->addressees[i]]);
      lua_setfield(L, -2, "state");
      lua_pushstring(L, dt_proposal_status_name(p->answers[i]));
      lua_setfield(L, -2, "answer");
      lua_rawseti(L, -2, i + 1);
    }
  } else if (strcmp(k, "terms") == 0 || strcmp(k, "conditions") == 0 ||
             strcmp(k, "countered_by") == 0) {
    /* Lua values the engine keeps beside the handle (the handle is argument 1
     * of __index and __newindex). */
    dt__lrt_engine_values(L, 1);
    lua_getfield(L, -1, k);
    lua_remove(L, -2);
  } else return 0;
  return 1;
}
static const dt_lrt_getter_t prop_getter = {
  prop_get, (const char *const[]){ "id", "from", "to", "kind", "status", "made_at", "deadline",
                                   "closed_at", "pending", "quorum", "addressees", "answers",
                                   "terms", "conditions", "countered_by", NULL }
};

static int prop_tostring(lua_State *L) {
  dt_proposal_t *p = dt__lrt_checkhandle(L, 1, DT_LRT_H_PROPOSAL);
  dt_sim_t *sim = dt__lrt_sim(L);
  lua_pushfstring(L, "Proposal(P%d %s %s->%s%s, %s)", p->index + 1, p->kind,
                  sim->states[p->from]->id, sim->states[p->to]->id, p->naddr > 1 ? "+" : "",
                  dt_proposal_status_name(p->status));
  return 1;
}

/* Reads the terms the core understands from the terms table at idx. [-0, +0, v] */
static void read_terms(lua_State *L, int idx, dt_proposal_t *p, const char *ctx) {
  dt_sim_t *sim = dt__lrt_sim(L);
  if (lua_getfield(L, idx, "treaty") != LUA_TNIL) {
    dt_treaty_t *t = dt__lrt_testhandle(L, -1, DT_LRT_H_TREATY);
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
  if (p->treaty >= 0 && strcmp(p->kind, "extension") == 0 && p->ext_months == 0 &&
      p->ext_seconds == 0)
    luaL_error(L, "%s: an extension needs terms.years, terms.months or terms.days", ctx);
}

/* state:pending_proposals(role?) -> the pending proposals the state made
 * ("from"), or that are addressed to it and await its own answer ("to"), or
 * both (nil), in the order they were made. Reads only (a move's precondition
 * may call it). */
static int state_pending_proposals(lua_State *L) {
  dt_state_t *st = dt__lrt_checkstate(L, 1);
  const char *role = dt__lrt_optstr(L, 2, NULL);
  if (role && strcmp(role, "to") && strcmp(role, "from"))
    return luaL_error(L, "pending_proposals: role must be \"to\" or \"from\" (or nothing for "
                         "both), got '%s'", role);
  dt_sim_t *sim = dt__lrt_sim(L);
  lua_newtable(L);
  lua_Integer n = 0;
  for (int i = 0; i < sim->nproposals; i++) {
    dt_proposal_t *p = sim->proposals[i];
    if (p->status != DT_PS_PENDING) continue;
    int hit = (!role || role[0] == 'f') && p->from == st->index;
    for (int k = 0; !hit && (!role || role[0] == 't') && k < p->naddr; k++)
      hit = p->addressees[k] == st->index && p->answers[k] == DT_PS_PENDING;
    if (!hit) continue;
    dt__lrt_pushhandle(L, DT_LRT_H_PROPOSAL, p);
    lua_rawseti(L, -2, ++n);
  }
  return 1;
}

/* state:propose{ to=, kind=, terms=, deadline=, visibility=, conditions= } */
static int state_propose(lua_State *L) {
  dt__lrt_impure(L, "make proposals");
  dt_sim_t *sim = dt__lrt_sim(L);
  dt_state_t *from = dt__lrt_checkhandle(L, 1, DT_LRT_H_STATE);
  luaL_checktype(L, 2, LUA_TTABLE);
  dt__lrt_checkfields(L, 2, &dt__lrt_f_propose, NULL);
  lua_getfield(L, 2, "to");
  /* to = a state, a group or a list: several addressees make a multilateral
   * proposal (a group's members other than the proposer). */
  int addr[64], naddr = 0, named[64];
  int nnamed = dt__lrt_checkstates(L, lua_gettop(L), named, 64);
  for (int i = 0; i < nnamed; i++) if (named[i] != from->index) addr[naddr++] = named[i];
  int multi = nnamed > 1 || dt__lrt_testgroup(L, lua_gettop(L)) != NULL;
  dt_state_t *to = sim->states[naddr ? addr[0] : named[0]];
  lua_getfield(L, 2, "kind");
  const char *kind = lua_tostring(L, -1);
  if (!kind) return luaL_error(L, "propose: 'kind' must be a string such as \"extension\"");
  char ctx[160];
  snprintf(ctx, sizeof ctx, "propose (%s to %s%s, %s)", from->id, to->id,
           naddr > 1 ? " and others" : "", kind);
  if (naddr == 0) return luaL_error(L, "%s: a state cannot propose to itself", ctx);
  int quorum = naddr;
  int qt = lua_getfield(L, 2, "quorum");
  if (qt == LUA_TSTRING && strcmp(lua_tostring(L, -1), "all") == 0) quorum = naddr;
  else if (qt == LUA_TSTRING && strcmp(lua_tostring(L, -1), "any") == 0) quorum = 1;
  else if (qt == LUA_TNUMBER && lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1 &&
           lua_tointeger(L, -1) <= naddr)
    quorum = (int)lua_tointeger(L, -1);
  else if (qt != LUA_TNIL)
    return luaL_error(L, "%s: 'quorum' must be \"all\", \"any\" or a whole number from 1 to %d",
                      ctx, naddr);
  lua_pop(L, 1);
  (void)multi;
  dt_time_t deadline = DT_NEVER;
  if (lua_getfield(L, 2, "deadline") != LUA_TNIL) {
    if (dt__lrt_isdur(L, -1))
      deadline = dt__lrt_addur(L, sim->now, dt__lrt_checkdur(L, lua_gettop(L)));
    else deadline = dt__lrt_checktime(L, lua_gettop(L));
    if (deadline <= sim->now)
      return luaL_error(L, "%s: the deadline must be after the current date", ctx);
  }
  lua_getfield(L, 2, "visibility");
  int vis = dt__lrt_checkvis(L, lua_gettop(L), "public");
  dt_proposal_t *p;
  int rc = dt_proposal_make_multi(sim, from->index, addr, naddr, quorum, kind, vis, deadline, &p);
  if (rc < 0) return dt__lrt_raise(L, ctx, rc);
  if (lua_getfield(L, 2, "terms") == LUA_TTABLE) read_terms(L, lua_gettop(L), p, ctx);
  else if (!lua_isnil(L, -1)) return luaL_error(L, "%s: 'terms' must be a table", ctx);
  int terms = lua_gettop(L);
  dt__lrt_pushhandle(L, DT_LRT_H_PROPOSAL, p);
  int h = lua_gettop(L);
  dt__lrt_engine_values(L, h);
  if (lua_isnil(L, terms)) { lua_newtable(L); lua_replace(L, terms); }
  lua_pushvalue(L, terms); lua_setfield(L, -2, "terms");
  lua_getfield(L, 2, "conditions"); lua_setfield(L, -2, "conditions");
  lua_pop(L, 1);
  rc = dt__proposal_announce(sim, p);
  dt__lrt_check(L);
  if (rc < 0) return dt__lrt_raise(L, ctx, rc);
  lua_pushvalue(L, h);
  return 1;
}

static int close_as(lua_State *L, int st, int why_idx) {
  dt_proposal_t *p = dt__lrt_checkhandle(L, 1, DT_LRT_H_PROPOSAL);
  dt_sim_t *sim = dt__lrt_sim(L);
  int before = p->status;
  int rc = dt_proposal_close(sim, p, st, dt__lrt_optstr(L, why_idx, NULL));
  dt__lrt_check(L);
  if (before != DT_PS_PENDING)
    return luaL_error(L, "proposal P%d (%s, %s to %s): already %s", p->index + 1, p->kind,
                      sim->states[p->from]->id, sim->states[p->to]->id,
                      dt_proposal_status_name(before));
  if (rc == DT_ESTATE || rc == DT_EINVAL || rc == DT_ERANGE)
    return luaL_error(L,
                      "proposal P%d: accepted, but its terms could not be applied (%s): "
                      "is the treaty still in force and extensible?",
                      p->index + 1, dt_strerror(rc));
  if (rc < 0) return dt__lrt_raise(L, "proposal", rc);
  return 0;
}
/* One addressee's answer: p:accept(state, why) / p:reject(state, why) on a
 * proposal to several states. */
static int answer_as(lua_State *L, int st) {
  dt_proposal_t *p = dt__lrt_checkhandle(L, 1, DT_LRT_H_PROPOSAL);
  dt_sim_t *sim = dt__lrt_sim(L);
  if (!dt__lrt_testhandle(L, 2, DT_LRT_H_STATE) && lua_type(L, 2) != LUA_TSTRING)
    return luaL_error(L, "proposal P%d goes to %d states: each answers, p:%s(state, why)",
                      p->index + 1, p->naddr, st == DT_PS_ACCEPTED ? "accept" : "reject");
  dt_state_t *s = dt__lrt_checkstate(L, 2);
  int rc = dt_proposal_answer(sim, p, s->index, st, dt__lrt_optstr(L, 3, NULL));
  dt__lrt_check(L);
  if (rc == DT_ENOENT)
    return luaL_error(L, "proposal P%d: %s is not one of its addressees", p->index + 1, s->id);
  if (rc == DT_ESTATE) {
    int i = dt_proposal_addressee(p, s->index);
    if (p->status != DT_PS_PENDING)
      return luaL_error(L, "proposal P%d (%s, from %s): already %s", p->index + 1, p->kind,
                        sim->states[p->from]->id, dt_proposal_status_name(p->status));
    return luaL_error(L, "proposal P%d: %s has already answered (%s)", p->index + 1, s->id,
                      dt_proposal_status_name(p->answers[i]));
  }
  if (rc < 0) return dt__lrt_raise(L, "proposal", rc);
  return 0;
}

static int prop_accept(lua_State *L) {
  dt_proposal_t *p = dt__lrt_checkhandle(L, 1, DT_LRT_H_PROPOSAL);
  if (p->naddr > 1) return answer_as(L, DT_PS_ACCEPTED);
  return close_as(L, DT_PS_ACCEPTED, 2);
}
static int prop_reject(lua_State *L) {
  dt_proposal_t *p = dt__lrt_checkhandle(L, 1, DT_LRT_H_PROPOSAL);
  if (p->naddr > 1) return answer_as(L, DT_PS_REJECTED);
  return close_as(L, DT_PS_REJECTED, 2);
}
static int prop_withdraw(lua_State *L) { return close_as(L, DT_PS_WITHDRAWN, 2); }

/* proposal:counter{ terms=, deadline=, kind= } -> the counter-proposal */
static int prop_counter(lua_State *L) {
  dt_proposal_t *p = dt__lrt_checkhandle(L, 1, DT_LRT_H_PROPOSAL);
  dt_sim_t *sim = dt__lrt_sim(L);
  if (p->naddr > 1)
    return luaL_error(L,
                      "proposal P%d goes to %d states: an addressee rejects it and proposes anew "
                      "(a counter-offer is bilateral)",
                      p->index + 1, p->naddr);
  if (lua_isnoneornil(L, 2)) lua_newtable(L); else luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  dt__lrt_checkfields(L, 2, &dt__lrt_f_counter, NULL);
  close_as(L, DT_PS_COUNTERED, 3);
  /* The counter goes back the other way, inheriting kind and visibility. */
  lua_pushcfunction(L, state_propose);
  dt__lrt_pushhandle(L, DT_LRT_H_STATE, sim->states[p->to]);
  lua_newtable(L);
  dt__lrt_pushhandle(L, DT_LRT_H_STATE, sim->states[p->from]); lua_setfield(L, -2, "to");
  if (lua_getfield(L, 2, "kind") == LUA_TNIL) { lua_pop(L, 1); lua_pushstring(L, p->kind); }
  lua_setfield(L, -2, "kind");
  static const char *const vis[] = { "public", "parties", "private" };
  lua_pushstring(L, vis[p->vis]); lua_setfield(L, -2, "visibility");
  lua_getfield(L, 2, "terms"); lua_setfield(L, -2, "terms");
  lua_getfield(L, 2, "deadline"); lua_setfield(L, -2, "deadline");
  lua_getfield(L, 2, "conditions"); lua_setfield(L, -2, "conditions");
  lua_call(L, 2, 1);
  dt_proposal_t *np = dt__lrt_checkhandle(L, -1, DT_LRT_H_PROPOSAL);
  p->countered_by = np->index;
  dt__lrt_engine_values(L, 1);
  lua_pushvalue(L, -2); lua_setfield(L, -2, "countered_by");
  lua_pop(L, 1);
  return 1;
}

/* proposal:respond(option [, state]): accept | reject | counter | withdraw |
 * silence; a proposal to several states names the answering state. */
static int prop_respond(lua_State *L) {
  const char *o = dt__lrt_checkstr(L, 2);
  lua_remove(L, 2);
  if (strcmp(o, "accept") == 0) return prop_accept(L);
  if (strcmp(o, "reject") == 0) return prop_reject(L);
  if (strcmp(o, "withdraw") == 0) return prop_withdraw(L);
  if (strcmp(o, "counter") == 0) {
    dt_proposal_t *p = dt__lrt_checkhandle(L, 1, DT_LRT_H_PROPOSAL);
    return p->naddr > 1 ? answer_as(L, DT_PS_REJECTED) : prop_counter(L);
  }
  if (strcmp(o, "silence") == 0) { dt__lrt_checkhandle(L, 1, DT_LRT_H_PROPOSAL); return 0; }
  return luaL_error(L,
                    "respond: unknown answer '%s' (accept, reject, counter, withdraw or silence)",
                    o);
}

void dt__open_proposal(lua_State *L) {
  static const luaL_Reg prop_m[] = {
    { "accept", prop_accept }, { "reject", prop_reject }, { "withdraw", prop_withdraw },
    { "counter", prop_counter }, { "respond", prop_respond }, { NULL, NULL }
  };
  dt__lrt_handle_register(L, DT_LRT_H_PROPOSAL, prop_m, &prop_getter, prop_tostring);
  static const luaL_Reg state_m[] = { { "propose", state_propose },
                                      { "pending_proposals", state_pending_proposals },
                                      { NULL, NULL } };
  dt__lrt_handle_methods(L, DT_LRT_H_STATE, state_m);
}
