/* l_session.c: the runtime's side of a live session (l_session.h): the moves
 * and injects a run declares, running them for a seat or the facilitator, and
 * a decision's context as JSON. The session itself never touches Lua; the
 * move() and inject() declarations are l_decision.c's. */
#include "l_session.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

/* Pushes run[field][name], or nil (no run, no such entry, the "__order"
 * list). Returns the entry's type. [-0, +1, -] */
static int run_entry(lua_State *L, const char *field, const char *name) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_run) != LUA_TTABLE || !name) {
    lua_pop(L, 1); lua_pushnil(L); return LUA_TNIL;
  }
  int t = lua_getfield(L, -1, field);
  lua_remove(L, -2);
  if (t != LUA_TTABLE || !strcmp(name, "__order")) { lua_pop(L, 1); lua_pushnil(L); return LUA_TNIL; }
  t = lua_getfield(L, -1, name);
  lua_remove(L, -2);
  return t;
}

static int has(dt_lrt_t *rt, const char *field, const char *name) {
  lua_State *L = rt->L;
  int t = run_entry(L, field, name);
  lua_pop(L, 1);
  return t == LUA_TTABLE;
}

int dt_lrt_has_move(dt_lrt_t *rt, const char *name) { return has(rt, "moves", name); }
int dt_lrt_has_inject(dt_lrt_t *rt, const char *name) { return has(rt, "injects", name); }

json_t *dt_lrt_moves_json(dt_lrt_t *rt) {
  lua_State *L = rt->L;
  int top = lua_gettop(L);
  json_t *a = json_array();
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_run) == LUA_TTABLE &&
      lua_getfield(L, -1, "moves") == LUA_TTABLE && lua_getfield(L, -1, "__order") == LUA_TTABLE) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, -1, i);
      const char *name = lua_tostring(L, -1);   /* anchored by the list */
      if (name && lua_getfield(L, -3, name) == LUA_TTABLE) {
        json_t *m = json_pack("{s:s}", "name", name);
        if (lua_getfield(L, -1, "doc") == LUA_TSTRING) json_object_set_new(m, "doc", json_string(lua_tostring(L, -1)));
        json_array_append_new(a, m);
        lua_pop(L, 1);
      }
      lua_pop(L, 2);
    }
  }
  lua_settop(L, top);
  return a;
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

json_t *dt_lrt_injects_json(dt_lrt_t *rt) {
  lua_State *L = rt->L;
  int top = lua_gettop(L);
  const char *names[256]; int n = 0;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_run) == LUA_TTABLE &&
      lua_getfield(L, -1, "injects") == LUA_TTABLE) {
    lua_pushnil(L);
    while (lua_next(L, -2) && n < 256) {
      if (lua_type(L, -2) == LUA_TSTRING) names[n++] = lua_tostring(L, -2);   /* anchored by the table */
      lua_pop(L, 1);
    }
  }
  if (n > 1) qsort(names, (size_t)n, sizeof *names, cmpstr);
  json_t *a = json_array();
  for (int i = 0; i < n; i++) json_array_append_new(a, json_string(names[i]));
  lua_settop(L, top);
  return a;
}

/* [-0, +1, e] the arguments of a move as a table (upvalue-free: the JSON
 * comes as a light userdata). */
static int push_args(lua_State *L) {
  json_t *args = lua_touserdata(L, 1);
  if (args) dt__lrt_pushjson(L, args, "move arguments"); else lua_newtable(L);
  return 1;
}

int dt_lrt_move(dt_lrt_t *rt, dt_state_t *st, const char *name, json_t *args, char **refusal) {
  lua_State *L = rt->L;
  int top = lua_gettop(L);
  *refusal = NULL;
  if (!dt__lrt_room(rt, L)) return DT_ESCRIPT;
  if (run_entry(L, "moves", name) != LUA_TTABLE) { lua_settop(L, top); return DT_ENOENT; }
  int m = lua_gettop(L);
  /* The arguments once, as a table both validate and apply see. */
  lua_pushcfunction(L, push_args);
  lua_pushlightuserdata(L, args);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    *refusal = xstrdup(lua_tostring(L, -1) ? lua_tostring(L, -1) : "bad move arguments");
    lua_settop(L, top);
    return DT_EINVAL;
  }
  int a = lua_gettop(L);
  dt__lrt_budget(rt);
  rt->sim->handling = "a move";
  if (lua_getfield(L, m, "validate") == LUA_TFUNCTION) {
    dt__lrt_pushhandle(L, DT_LRT_H_STATE, st);
    lua_pushvalue(L, a);
    int rc = dt__lrt_pcall(rt, L, 2, 2, "move validate");
    if (rc < 0) { lua_settop(L, top); return rc; }
    if (!lua_toboolean(L, -2)) {
      const char *why = lua_tostring(L, -1);
      if (why) *refusal = xstrdup(why);
      else {
        size_t n = strlen(name) + 32;
        if ((*refusal = malloc(n))) snprintf(*refusal, n, "move '%s' is not allowed now", name);
      }
      lua_settop(L, top);
      return 1;
    }
  }
  lua_settop(L, a);
  lua_getfield(L, m, "apply");
  dt__lrt_pushhandle(L, DT_LRT_H_STATE, st);
  lua_pushvalue(L, a);
  int rc = dt__lrt_start(rt, L, 2, "move");
  lua_settop(L, top);
  if (rc < 0 || rt->sim->failed) return rc < 0 ? rc : DT_ESCRIPT;
  return 0;
}

int dt_lrt_fire(dt_lrt_t *rt, const char *name) {
  lua_State *L = rt->L;
  int top = lua_gettop(L);
  if (!dt__lrt_room(rt, L)) return DT_ESCRIPT;
  if (run_entry(L, "injects", name) != LUA_TTABLE) { lua_settop(L, top); return DT_ENOENT; }
  lua_settop(L, top);
  dt__lrt_budget(rt);
  rt->sim->handling = "an inject fired by the facilitator";
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  lua_getfield(L, -1, "fire");
  lua_remove(L, -2);
  lua_pushstring(L, name);
  int rc = dt__lrt_start(rt, L, 1, "inject");
  lua_settop(L, top);
  if (rc < 0 || rt->sim->failed) return rc < 0 ? rc : DT_ESCRIPT;
  return 0;
}

/* [-1, +1, e] the tostring text of the value at the top */
static int safe_tostring(lua_State *L) {
  luaL_tolstring(L, 1, NULL);
  return 1;
}

/* One field of a context, or NULL to leave it out. [-0, +0, -] */
static json_t *field_json(lua_State *L) {
  switch (lua_type(L, -1)) {
  case LUA_TSTRING: return json_string(lua_tostring(L, -1));
  case LUA_TBOOLEAN: return json_boolean(lua_toboolean(L, -1));
  case LUA_TNUMBER:
    return lua_isinteger(L, -1) ? json_integer((json_int_t)lua_tointeger(L, -1)) : json_real(lua_tonumber(L, -1));
  case LUA_TUSERDATA: {
    /* tostring runs scenario-visible metamethods: protect it. */
    json_t *j = NULL;
    lua_pushcfunction(L, safe_tostring);
    lua_pushvalue(L, -2);
    if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING) j = json_string(lua_tostring(L, -1));
    lua_pop(L, 1);
    return j;
  }
  default: return NULL;
  }
}

json_t *dt_lrt_context_json(dt_lrt_t *rt, int ctx_ref) {
  if (!ctx_ref || rt->sim->failed) return NULL;
  lua_State *L = rt->L;
  int top = lua_gettop(L);
  if (!lua_checkstack(L, DT_LRT_STACK_ROOM)) return NULL;
  dt__lrt_getref(L, ctx_ref);
  json_t *ctx = json_object();
  if (lua_istable(L, -1)) {
    const char *keys[64]; int nk = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      lua_pop(L, 1);
      if (lua_type(L, -1) == LUA_TSTRING && nk < 64) {
        const char *k = lua_tostring(L, -1);   /* anchored by the table */
        if (strcmp(k, "options") && strcmp(k, "decision") && strcmp(k, "state")) keys[nk++] = k;
      }
    }
    if (nk > 1) qsort(keys, (size_t)nk, sizeof *keys, cmpstr);
    for (int i = 0; i < nk; i++) {
      lua_getfield(L, -1, keys[i]);
      json_t *v = field_json(L);
      if (v) json_object_set_new(ctx, keys[i], v);
      lua_pop(L, 1);
    }
  }
  lua_settop(L, top);
  return ctx;
}
