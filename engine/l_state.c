/* l_state.c: bindings for states, their pairwise relations and groups of
 * states (core: state.c). Each function checks its arguments, calls the core
 * and pushes the result; misuse raises an error that names the object. A
 * State's arsenal methods (system, count, stockpile, ...) are added by
 * l_arsenal.c, its diplomacy by l_proposal.c and l_decision.c. */
#include "l_fields.h"
#include <math.h>
#include <string.h>

/* ---- states ---------------------------------------------------------------- */

static int l_state(lua_State *L) {
  dt_sim_t *sim = dt__lrt_sim(L);
  if (lua_type(L, 1) == LUA_TSTRING) {
    dt__lrt_pushhandle(L, DT_LRT_H_STATE, dt__lrt_checkstate(L, 1));
    return 1;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  dt__lrt_checkfields(L, 1, &dt__lrt_f_state, NULL);
  const char *id = dt__lrt_reqfield_str(L, 1, "id", "state");
  const char *name = dt__lrt_optfield_str(L, 1, "name", "state");
  dt_state_t *s;
  int rc = dt_state_add(sim, id, name, &s);
  if (rc == DT_EEXIST) return luaL_error(L, "state: a state with id '%s' already exists", id);
  if (rc < 0) return dt__lrt_raise(L, "state", rc);
  dt__lrt_pushhandle(L, DT_LRT_H_STATE, s);
  dt__lrt_set_attrs(L, -1, 1, "state");
  return 1;
}

static int l_states(lua_State *L) {
  dt_sim_t *sim = dt__lrt_sim(L);
  lua_createtable(L, sim->nstates, 0);
  for (int i = 0; i < sim->nstates; i++) {
    dt__lrt_pushhandle(L, DT_LRT_H_STATE, sim->states[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static int state_get(lua_State *L, void *obj, const char *k) {
  dt_state_t *s = obj;
  if (strcmp(k, "id") == 0) lua_pushstring(L, s->id);
  else if (strcmp(k, "name") == 0) lua_pushstring(L, s->name);
  else if (strcmp(k, "human") == 0) lua_pushboolean(L, s->human);
  else return 0;
  return 1;
}
static const dt_lrt_getter_t state_getter = {
  state_get, (const char *const[]){ "id", "name", "human", NULL } };

static int state_tostring(lua_State *L) {
  dt_state_t *s = dt__lrt_checkhandle(L, 1, DT_LRT_H_STATE);
  lua_pushstring(L, s->id);
  return 1;
}

static int relation_index(lua_State *L, int idx, int create) {
  const char *name = dt__lrt_checkstr(L, idx);
  dt_sim_t *sim = dt__lrt_sim(L);
  int r = create ? dt_relation_intern(sim, name) : dt_relation_find(sim, name);
  if (r < -1) dt__lrt_raise(L, "relation", r);
  return r;
}

/* Relations name states or groups on either side: a group stands for each of
 * its members (a state is never related to itself). */
typedef struct sides { int a[64], na, b[64], nb, plural; } sides_t;

static void read_sides(lua_State *L, sides_t *sd) {
  sd->na = dt__lrt_checkstates(L, 1, sd->a, 64);
  sd->nb = dt__lrt_checkstates(L, 2, sd->b, 64);
  /* One state to one state may be a self-relation (a scenario's own counter);
   * with a group on either side the pairs are between different members. */
  sd->plural = lua_istable(L, 1) || lua_istable(L, 2) || dt__lrt_testgroup(L, 1) ||
               dt__lrt_testgroup(L, 2);
}

/* state:relation(other, name) -> number (0 until set); with groups, the mean
 * over the pairs of members. */
static int state_relation(lua_State *L) {
  sides_t sd;
  read_sides(L, &sd);
  int r = relation_index(L, 3, 0);
  double sum = 0; int n = 0;
  for (int i = 0; i < sd.na; i++)
    for (int j = 0; j < sd.nb; j++)
      if (!sd.plural || sd.a[i] != sd.b[j]) {
        sum += r < 0 ? 0.0 : dt_relation_get(dt__lrt_sim(L), r, sd.a[i], sd.b[j]);
        n++;
      }
  lua_pushnumber(L, n ? sum / n : 0.0);
  return 1;
}

static lua_Number checkfinite(lua_State *L, int idx) {
  lua_Number v = luaL_checknumber(L, idx);
  if (!isfinite(v)) luaL_argerror(L, idx, "must be a finite number");
  return v;
}

static int is_mutual(lua_State *L, int idx) {
  if (lua_isnoneornil(L, idx)) return 0;
  const char *m = dt__lrt_checkstr(L, idx);
  if (strcmp(m, "mutual") != 0) return luaL_argerror(L, idx, "expected \"mutual\" or nothing");
  return 1;
}

/* Sets (delta = 0) or adjusts every pair a->b, and b->a too when mutual;
 * returns the mean new value. Relations are in [0, 1]: an adjustment clamps
 * (a nudge past the end of the scale saturates, which is what repeated nudges
 * mean); set_relation refuses a value outside it (a mistake in the script). */
static double apply_rel(lua_State *L, const sides_t *sd, int r, double v, int adjust, int mutual) {
  dt_sim_t *sim = dt__lrt_sim(L);
  double sum = 0; int n = 0;
  for (int i = 0; i < sd->na; i++)
    for (int j = 0; j < sd->nb; j++) {
      int x = sd->a[i], y = sd->b[j];
      if (sd->plural && x == y) continue;
      double nv = adjust ? dt_relation_get(sim, r, x, y) + v : v;
      if (nv < 0) nv = 0;
      if (nv > 1) nv = 1;
      dt_relation_set(sim, r, x, y, nv);
      if (mutual) dt_relation_set(sim, r, y, x, nv);
      sum += nv; n++;
    }
  return n ? sum / n : 0.0;
}

static int state_set_relation(lua_State *L) {
  sides_t sd;
  read_sides(L, &sd);
  int r = relation_index(L, 3, 1);
  double v = checkfinite(L, 4);
  if (v < 0 || v > 1)
    return luaL_error(L, "set_relation: %s %s %s = %s is outside [0, 1] (relations are in [0, 1]; "
                         "adjust() clamps to it)", luaL_tolstring(L, 1, NULL), lua_tostring(L, 3),
                      luaL_tolstring(L, 2, NULL), lua_pushfstring(L, "%f", v));
  apply_rel(L, &sd, r, v, 0, is_mutual(L, 5));
  return 0;
}

/* state:adjust(other, name, delta [, "mutual"]) -> the new value, clamped to [0, 1]
 * (the mean, with groups) */
static int state_adjust(lua_State *L) {
  sides_t sd;
  read_sides(L, &sd);
  int r = relation_index(L, 3, 1);
  lua_pushnumber(L, apply_rel(L, &sd, r, checkfinite(L, 4), 1, is_mutual(L, 5)));
  return 1;
}

/* ---- groups ------------------------------------------------------------------ */

/* group{ id=, name=, members = { ... } } -> Group; group(id) finds one. */
static int l_group(lua_State *L) {
  dt_sim_t *sim = dt__lrt_sim(L);
  if (lua_type(L, 1) == LUA_TSTRING) {
    dt_group_t *g = dt_group_find(sim, dt__lrt_checkstr(L, 1));
    if (!g) return luaL_error(L, "group: unknown group '%s'", lua_tostring(L, 1));
    dt__lrt_pushhandle(L, DT_LRT_H_GROUP, g);
    return 1;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  dt__lrt_checkfields(L, 1, &dt__lrt_f_group, NULL);
  const char *id = dt__lrt_reqfield_str(L, 1, "id", "group");
  char ctx[120];
  snprintf(ctx, sizeof ctx, "group '%s'", id);
  const char *name = dt__lrt_optfield_str(L, 1, "name", ctx);
  if (lua_getfield(L, 1, "members") != LUA_TTABLE)
    return luaL_error(L, "%s: 'members' must list its states", ctx);
  int m[64];
  int n = dt__lrt_checkstates(L, lua_gettop(L), m, 64);
  lua_pop(L, 1);
  dt_group_t *g;
  int rc = dt_group_add(sim, id, name, m, n, &g);
  if (rc == DT_EEXIST)
    return luaL_error(L, "%s: a state or group with that id already exists", ctx);
  if (rc < 0) return dt__lrt_raise(L, ctx, rc);
  dt__lrt_pushhandle(L, DT_LRT_H_GROUP, g);
  dt__lrt_set_attrs(L, -1, 1, ctx);
  return 1;
}

static int group_get(lua_State *L, void *obj, const char *k) {
  dt_group_t *g = obj;
  dt_sim_t *sim = dt__lrt_sim(L);
  if (strcmp(k, "id") == 0) lua_pushstring(L, g->id);
  else if (strcmp(k, "name") == 0) lua_pushstring(L, g->name);
  else if (strcmp(k, "members") == 0) {
    lua_createtable(L, g->nmembers, 0);
    for (int i = 0; i < g->nmembers; i++) {
      dt__lrt_pushhandle(L, DT_LRT_H_STATE, sim->states[g->members[i]]);
      lua_rawseti(L, -2, i + 1);
    }
  } else return 0;
  return 1;
}
static const dt_lrt_getter_t group_getter = {
  group_get, (const char *const[]){ "id", "name", "members", NULL } };

static int group_tostring(lua_State *L) {
  dt_group_t *g = dt__lrt_checkhandle(L, 1, DT_LRT_H_GROUP);
  lua_pushfstring(L, "Group(%s, %d members)", g->id, g->nmembers);
  return 1;
}

/* group:has(state) -> boolean */
static int group_has(lua_State *L) {
  dt_group_t *g = dt__lrt_checkhandle(L, 1, DT_LRT_H_GROUP);
  lua_pushboolean(L, dt_group_has(g, dt__lrt_checkstate(L, 2)->index));
  return 1;
}

void dt__open_state(lua_State *L) {
  static const luaL_Reg state_m[] = {
    { "relation", state_relation }, { "set_relation", state_set_relation },
    { "adjust", state_adjust }, { NULL, NULL }
  };
  dt__lrt_handle_register(L, DT_LRT_H_STATE, state_m, &state_getter, state_tostring);
  static const luaL_Reg group_m[] = {
    { "has", group_has }, { "relation", state_relation }, { "set_relation", state_set_relation },
    { "adjust", state_adjust }, { NULL, NULL }
  };
  dt__lrt_handle_register(L, DT_LRT_H_GROUP, group_m, &group_getter, group_tostring);
  /* The global spawn is also a State method (l_sched.c opens it first). */
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  lua_getfield(L, -1, "spawn");
  const luaL_Reg spawn_m[] = { { "spawn", lua_tocfunction(L, -1) }, { NULL, NULL } };
  lua_pop(L, 2);
  dt__lrt_handle_methods(L, DT_LRT_H_STATE, spawn_m);
  static const luaL_Reg fns[] = {
    { "state", l_state }, { "states", l_states }, { "group", l_group }, { NULL, NULL }
  };
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  luaL_setfuncs(L, fns, 0);
  lua_pop(L, 1);
}
