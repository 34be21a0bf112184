/* l_handle.c: userdata handles for world objects. One handle per object per
 * run (cached by address in the run table), a user value holding the scenario's
 * own attributes, and a generic __index/__newindex that looks in the methods,
 * then the built-in fields, then the attributes. A handle kept past its run
 * raises instead of touching freed memory. */
#include "lrt.h"
#include <string.h>

typedef struct lhandle { void *obj; uint32_t gen; int type; } lhandle_t;

static const char *const mt_names[LRT_H__COUNT] = {
  "detente.State", "detente.System", "detente.Treaty", "detente.Proposal",
  "detente.Decision", "detente.Change", "detente.Hook"
};

void lrt_pushhandle(lua_State *L, int type, void *obj) {
  if (!obj) { lua_pushnil(L); return; }
  lua_rawgetp(L, LUA_REGISTRYINDEX, &lrt_key_run);
  lua_getfield(L, -1, "handles");
  lua_remove(L, -2);
  if (lua_rawgetp(L, -1, obj) != LUA_TNIL) { lua_remove(L, -2); return; }
  lua_pop(L, 1);
  lhandle_t *h = lua_newuserdatauv(L, sizeof *h, 1);
  h->obj = obj; h->gen = lrt_get(L)->run_gen; h->type = type;
  luaL_setmetatable(L, mt_names[type]);
  lua_newtable(L);
  lua_setiuservalue(L, -2, 1);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, -3, obj);
  lua_remove(L, -2);
}

void *lrt_testhandle(lua_State *L, int idx, int type) {
  lhandle_t *h = luaL_testudata(L, idx, mt_names[type]);
  if (!h || h->gen != lrt_get(L)->run_gen) return NULL;
  return h->obj;
}

void *lrt_checkhandle(lua_State *L, int idx, int type) {
  lhandle_t *h = luaL_checkudata(L, idx, mt_names[type]);
  if (h->gen != lrt_get(L)->run_gen)
    luaL_argerror(L, idx, lua_pushfstring(L, "%s from an earlier run is no longer valid",
                                          mt_names[type] + 8));
  return h->obj;
}

dt_state_t *lrt_checkstate(lua_State *L, int idx) {
  if (lua_type(L, idx) == LUA_TSTRING) {
    dt_sim_t *sim = lrt_sim(L);
    const char *id = lua_tostring(L, idx);
    dt_state_t *s = dt_state_find(sim, id);
    if (!s) {
      luaL_Buffer b;
      luaL_buffinit(L, &b);
      luaL_addstring(&b, "unknown state '");
      luaL_addstring(&b, id);
      luaL_addstring(&b, "' (known:");
      for (int i = 0; i < sim->nstates; i++) {
        luaL_addchar(&b, ' ');
        luaL_addstring(&b, sim->states[i]->id);
      }
      if (!sim->nstates) luaL_addstring(&b, " none yet");
      luaL_addchar(&b, ')');
      luaL_pushresult(&b);
      luaL_argerror(L, idx, lua_tostring(L, -1));
    }
    return s;
  }
  if (lua_isnoneornil(L, idx)) luaL_argerror(L, idx, "state expected, got nil (a missing or misspelt name?)");
  return lrt_checkhandle(L, idx, LRT_H_STATE);
}

/* The handle at 1, checked to be of the type whose metatable is upvalue 3:
 * a metamethod fetched from one type and called on a value of another kind
 * (or on a table) raises instead of reading foreign memory. */
static lhandle_t *self(lua_State *L) {
  lhandle_t *h = lua_touserdata(L, 1);
  if (!h || !lua_getmetatable(L, 1) || !lua_rawequal(L, -1, lua_upvalueindex(3))) {
    lua_getfield(L, lua_upvalueindex(3), "__name");
    luaL_typeerror(L, 1, lua_tostring(L, -1));
  }
  lua_pop(L, 1);
  return h;
}

static int h_index(lua_State *L) {
  lhandle_t *h = self(L);
  if (h->gen != lrt_get(L)->run_gen)
    return luaL_error(L, "%s from an earlier run is no longer valid", mt_names[h->type] + 8);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;   /* a method */
  lua_pop(L, 1);
  if (lua_type(L, 2) == LUA_TSTRING) {
    const lrt_getter_t *g = lua_touserdata(L, lua_upvalueindex(2));
    int n = g->fn(L, h->obj, lua_tostring(L, 2));
    if (n) return n;
  }
  lua_getiuservalue(L, 1, 1);
  lua_pushvalue(L, 2);
  lua_rawget(L, -2);
  return 1;
}

static int h_newindex(lua_State *L) {
  lhandle_t *h = self(L);
  if (h->gen != lrt_get(L)->run_gen)
    return luaL_error(L, "%s from an earlier run is no longer valid", mt_names[h->type] + 8);
  if (lua_type(L, 2) == LUA_TSTRING) {
    lua_pushvalue(L, 2);
    int method = lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL;
    lua_pop(L, 1);
    int top = lua_gettop(L);
    const lrt_getter_t *g = lua_touserdata(L, lua_upvalueindex(2));
    int builtin = method || g->fn(L, h->obj, lua_tostring(L, 2));
    lua_settop(L, top);
    if (builtin)
      return luaL_error(L, "%s.%s is the engine's and cannot be set from a script "
                           "(use the methods; attributes need another name)",
                        mt_names[h->type] + 8, lua_tostring(L, 2));
  }
  lua_getiuservalue(L, 1, 1);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 3);
  lua_rawset(L, -3);
  return 0;
}

static int h_eq(lua_State *L) {
  lua_pushboolean(L, lua_touserdata(L, 1) == lua_touserdata(L, 2));
  return 1;
}

/* Registers a handle type: its methods (may be NULL), getter and __tostring. */
void lrt_handle_register(lua_State *L, int type, const luaL_Reg *methods,
                         const lrt_getter_t *getter, lua_CFunction tostring) {
  luaL_newmetatable(L, mt_names[type]);
  lua_newtable(L);
  if (methods) luaL_setfuncs(L, methods, 0);
  lua_pushvalue(L, -1);
  lua_pushlightuserdata(L, (void *)getter);
  lua_pushvalue(L, -4);
  lua_pushcclosure(L, h_index, 3);
  lua_setfield(L, -3, "__index");
  lua_pushlightuserdata(L, (void *)getter);
  lua_pushvalue(L, -3);
  lua_pushcclosure(L, h_newindex, 3);
  lua_setfield(L, -2, "__newindex");
  lua_pushcfunction(L, tostring);
  lua_setfield(L, -2, "__tostring");
  lua_pushcfunction(L, h_eq);
  lua_setfield(L, -2, "__eq");
  lua_pop(L, 1);
}

/* Pushes the attribute table of the handle at idx. [-0, +1, -] */
void lrt_attrs(lua_State *L, int idx) { lua_getiuservalue(L, idx, 1); }
