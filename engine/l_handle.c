/* l_handle.c: userdata handles for world objects. One handle per object per
 * run (cached by address in the run table), two user values (the scenario's
 * own attributes; Lua values the engine keeps, such as a proposal's terms), and
 * a generic __index/__newindex that looks in the methods, then the built-in
 * fields, then the attributes, and raises with a did-you-mean for anything
 * else. A handle kept past its run raises instead of touching freed memory.
 * Also the argument helpers (counts, fields of a declaration table) every
 * binding file shares. */
#include "lrt.h"
#include "l_fields.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lhandle { void *obj; uint32_t gen; int type; } lhandle_t;

static const char *const mt_names[DT_LRT_H__COUNT] = {
  "detente.State", "detente.System", "detente.Treaty", "detente.Proposal",
  "detente.Decision", "detente.Change", "detente.Hook", "detente.Group"
};

/* Registry keys of the handle metatables: pushed by address, not by name. */
static const char key_mt[DT_LRT_H__COUNT];

void dt__lrt_pushhandle(lua_State *L, int type, void *obj) {
  if (!obj) { lua_pushnil(L); return; }
  dt_lrt_t *rt = dt__lrt_get(L);
  if (!rt->run_active) luaL_error(L, "no scenario run is active");
  lua_rawgeti(L, LUA_REGISTRYINDEX, rt->handles_ri);
  if (lua_rawgetp(L, -1, obj) != LUA_TNIL) { lua_remove(L, -2); return; }
  lua_pop(L, 1);
  lhandle_t *h = lua_newuserdatauv(L, sizeof *h, 2);
  h->obj = obj; h->gen = rt->run_gen; h->type = type;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &key_mt[type]);
  lua_setmetatable(L, -2);
  lua_newtable(L);
  lua_setiuservalue(L, -2, 1);   /* user value 2 is made on first use */
  lua_pushvalue(L, -1);
  lua_rawsetp(L, -3, obj);
  lua_remove(L, -2);
}

/* The handle at idx if its metatable is type's (compared by address). */
static lhandle_t *tohandle(lua_State *L, dt_lrt_t *rt, int idx, int type) {
  if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return NULL;
  const void *m = lua_topointer(L, -1);
  lua_pop(L, 1);
  return m == rt->mt_handle[type] ? lua_touserdata(L, idx) : NULL;
}

void *dt__lrt_testhandle(lua_State *L, int idx, int type) {
  dt_lrt_t *rt = dt__lrt_get(L);
  lhandle_t *h = tohandle(L, rt, idx, type);
  if (!h || h->gen != rt->run_gen) return NULL;
  return h->obj;
}

void *dt__lrt_checkhandle(lua_State *L, int idx, int type) {
  dt_lrt_t *rt = dt__lrt_get(L);
  lhandle_t *h = tohandle(L, rt, idx, type);
  if (!h) h = luaL_checkudata(L, idx, mt_names[type]);   /* raises, naming the type */
  if (h->gen != rt->run_gen)
    luaL_argerror(L, idx, lua_pushfstring(L, "%s from an earlier run is no longer valid",
                                          mt_names[type] + 8));
  return h->obj;
}

dt_state_t *dt__lrt_checkstate(lua_State *L, int idx) {
  if (lua_type(L, idx) == LUA_TSTRING) {
    dt_sim_t *sim = dt__lrt_sim(L);
    const char *id = dt__lrt_cstr(L, idx, NULL);
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
  if (lua_isnoneornil(L, idx))
    luaL_argerror(L, idx, "state expected, got nil (a missing or misspelt name?)");
  return dt__lrt_checkhandle(L, idx, DT_LRT_H_STATE);
}

dt_group_t *dt__lrt_testgroup(lua_State *L, int idx) {
  if (lua_type(L, idx) == LUA_TSTRING)
    return dt_group_find(dt__lrt_sim(L), dt__lrt_cstr(L, idx, NULL));
  return dt__lrt_testhandle(L, idx, DT_LRT_H_GROUP);
}

static int add_state(int *out, int n, int max, int s) {
  for (int i = 0; i < n; i++) if (out[i] == s) return n;
  if (n < max) out[n++] = s;
  return n;
}

/* One element: a group's members, or one state. */
static int add_one(lua_State *L, int idx, int *out, int n, int max) {
  dt_group_t *g = dt__lrt_testgroup(L, idx);
  if (g) {
    for (int i = 0; i < g->nmembers; i++) n = add_state(out, n, max, g->members[i]);
    return n;
  }
  return add_state(out, n, max, dt__lrt_checkstate(L, idx)->index);
}

int dt__lrt_checkstates(lua_State *L, int idx, int *out, int max) {
  idx = lua_absindex(L, idx);
  if (!lua_istable(L, idx)) return add_one(L, idx, out, 0, max);
  int n = 0;
  lua_Integer len = (lua_Integer)lua_rawlen(L, idx);
  if (len < 1) luaL_argerror(L, idx, "an empty list of states");
  for (lua_Integer i = 1; i <= len; i++) {
    lua_rawgeti(L, idx, i);
    n = add_one(L, lua_gettop(L), out, n, max);
    lua_pop(L, 1);
  }
  return n;
}

static int cmpstr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Raises "<Type> <name> has no field or method 'k'" with the closest of its
 * methods, fields and attributes, or the list of them. [-0, +0, e] */
static int no_such_key(lua_State *L, const lhandle_t *h, const char *k, int writing) {
  enum { MAX = 160 };
  const char *names[MAX];
  size_t n = 0;
  lua_pushnil(L);   /* methods: the table in upvalue 1 */
  while (n < MAX && lua_next(L, lua_upvalueindex(1))) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) names[n++] = lua_tostring(L, -1);
  }
  size_t nmethods = n;
  const dt_lrt_getter_t *g = lua_touserdata(L, lua_upvalueindex(2));
  for (int i = 0; g->fields && g->fields[i] && n < MAX; i++) names[n++] = g->fields[i];
  if (n < MAX) names[n++] = "attrs";
  size_t nbuiltin = n;
  lua_getiuservalue(L, 1, 1);
  int at = lua_gettop(L);
  lua_pushnil(L);
  while (n < MAX && lua_next(L, at)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) names[n++] = lua_tostring(L, -1);
  }
  /* pairs order is random: sort, so ties in the suggestion never depend on it */
  qsort(names, nmethods, sizeof *names, cmpstr);
  qsort(names + nmethods, n - nmethods, sizeof *names, cmpstr);
  luaL_tolstring(L, 1, NULL);
  const char *self = lua_tostring(L, -1);
  const char *type = mt_names[h->type] + 8;
  const char *hint = dt__lrt_pushsuggest(L, k, names, n);
  if (!*hint) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, " (methods:");
    for (size_t i = 0; i < nmethods; i++) { luaL_addchar(&b, ' '); luaL_addstring(&b, names[i]); }
    luaL_addstring(&b, "; fields:");
    for (size_t i = nmethods; i < nbuiltin; i++) {
      luaL_addchar(&b, ' ');
      luaL_addstring(&b, names[i]);
    }
    if (n > nbuiltin) luaL_addstring(&b, "; attributes:");
    for (size_t i = nbuiltin; i < n; i++) { luaL_addchar(&b, ' '); luaL_addstring(&b, names[i]); }
    luaL_addchar(&b, ')');
    luaL_pushresult(&b);
    hint = lua_tostring(L, -1);
  }
  /* "State USA", but "Treaty(t, in_force)" as it prints itself */
  const char *who =
      strncmp(self, type, strlen(type)) == 0 ? self : lua_pushfstring(L, "%s %s", type, self);
  if (writing)
    return luaL_error(L, "%s has no attribute '%s'%s; a new attribute goes in .attrs "
                         "(x.attrs.%s = ...)", who, k, hint, k);
  return luaL_error(L, "%s has no field or method '%s'%s", who, k, hint);
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
  if (h->gen != dt__lrt_get(L)->run_gen)
    return luaL_error(L, "%s from an earlier run is no longer valid", mt_names[h->type] + 8);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;   /* a method */
  lua_pop(L, 1);
  if (lua_type(L, 2) != LUA_TSTRING)
    return luaL_error(L, "%s: fields are named by strings, not a %s", mt_names[h->type] + 8,
                      luaL_typename(L, 2));
  const char *k = lua_tostring(L, 2);
  const dt_lrt_getter_t *g = lua_touserdata(L, lua_upvalueindex(2));
  int n = g->fn(L, h->obj, k);
  if (n) return n;
  lua_getiuservalue(L, 1, 1);
  if (strcmp(k, "attrs") == 0) return 1;
  lua_pushvalue(L, 2);
  if (lua_rawget(L, -2) != LUA_TNIL) return 1;
  return no_such_key(L, h, k, 0);
}

static int h_newindex(lua_State *L) {
  lhandle_t *h = self(L);
  if (h->gen != dt__lrt_get(L)->run_gen)
    return luaL_error(L, "%s from an earlier run is no longer valid", mt_names[h->type] + 8);
  if (lua_type(L, 2) != LUA_TSTRING)
    return luaL_error(L, "%s: fields are named by strings, not a %s", mt_names[h->type] + 8,
                      luaL_typename(L, 2));
  lua_pushvalue(L, 2);
  int method = lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL;
  lua_pop(L, 1);
  int top = lua_gettop(L);
  const dt_lrt_getter_t *g = lua_touserdata(L, lua_upvalueindex(2));
  int builtin =
      method || g->fn(L, h->obj, lua_tostring(L, 2)) || strcmp(lua_tostring(L, 2), "attrs") == 0;
  lua_settop(L, top);
  if (builtin)
    return luaL_error(L, "%s.%s is the engine's and cannot be set from a script "
                         "(use the methods; attributes need another name)",
                      mt_names[h->type] + 8, lua_tostring(L, 2));
  lua_getiuservalue(L, 1, 1);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, -2) == LUA_TNIL) return no_such_key(L, h, lua_tostring(L, 2), 1);
  lua_pop(L, 1);
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
void dt__lrt_handle_register(lua_State *L, int type, const luaL_Reg *methods,
                         const dt_lrt_getter_t *getter, lua_CFunction tostring) {
  luaL_newmetatable(L, mt_names[type]);
  dt__lrt_get(L)->mt_handle[type] = lua_topointer(L, -1);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &key_mt[type]);
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
void dt__lrt_attrs(lua_State *L, int idx) { lua_getiuservalue(L, idx, 1); }

void dt__lrt_engine_values(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  if (lua_getiuservalue(L, idx, 2) != LUA_TNIL) return;
  lua_pop(L, 1);
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setiuservalue(L, idx, 2);
}

void dt__lrt_set_attrs(lua_State *L, int h, int t, const char *ctx) {
  h = lua_absindex(L, h);
  if (lua_getfield(L, t, "attrs") == LUA_TNIL) { lua_pop(L, 1); return; }
  if (!lua_istable(L, -1))
    luaL_error(L, "%s: 'attrs' must be a table of the scenario's own attributes, got %s", ctx,
               luaL_typename(L, -1));
  int a = lua_gettop(L);
  dt__lrt_attrs(L, h);
  lua_pushnil(L);
  while (lua_next(L, a)) {
    if (lua_type(L, -2) != LUA_TSTRING)
      luaL_error(L, "%s: attribute names are strings, got a %s", ctx, luaL_typename(L, -2));
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, a + 1);
  }
  lua_pop(L, 2);
}

/* Adds methods to the method table of a handle type already registered (a
 * State's methods come from several binding files). */
void dt__lrt_handle_methods(lua_State *L, int type, const luaL_Reg *methods) {
  luaL_getmetatable(L, mt_names[type]);
  lua_getfield(L, -1, "__index");
  lua_getupvalue(L, -1, 1);
  luaL_setfuncs(L, methods, 0);
  lua_pop(L, 3);
}

/* ---- detente.type ----------------------------------------------------------- */

/* detente.type(v) -> "State", "Treaty", "Date", ... for a value the engine made,
 * else nil (as io.type tells files from other values). The metatable is read
 * raw, so __metatable protection does not hide it; only the engine's own
 * registered metatables answer. */
static int l_type(lua_State *L) {
  static const char *const names[] = {
    "detente.State", "detente.System", "detente.Treaty", "detente.Proposal", "detente.Decision",
    "detente.Change", "detente.Hook", "detente.Group", "detente.Date", "detente.Duration",
    "detente.Dist", NULL
  };
  luaL_checkany(L, 1);
  if (lua_type(L, 1) == LUA_TLIGHTUSERDATA) {   /* only the engine makes these (lrt.h) */
    uint64_t kind = dt__lrt_light_bits(lua_touserdata(L, 1)) & 3;
    if (kind == DT_LRT_LIGHT_DUR) lua_pushliteral(L, "Duration");
    else if (kind == DT_LRT_LIGHT_HOOK) lua_pushliteral(L, "Hook");
    else lua_pushnil(L);
    return 1;
  }
  if (dt__lrt_is_module(L, 1)) { lua_pushliteral(L, "Module"); return 1; }
  if (lua_type(L, 1) == LUA_TUSERDATA && lua_getmetatable(L, 1)) {
    for (int i = 0; names[i]; i++) {
      luaL_getmetatable(L, names[i]);
      int same = lua_rawequal(L, -1, -2);
      lua_pop(L, 1);
      if (same) { lua_pushstring(L, names[i] + 8); return 1; }
    }
  }
  lua_pushnil(L);
  return 1;
}

/* The global table detente (read-only like every library table). */
void dt__open_detente(lua_State *L) {
  static const luaL_Reg fns[] = { { "type", l_type }, { NULL, NULL } };
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  luaL_newlib(L, fns);
  lua_setfield(L, -2, "detente");
  lua_pop(L, 1);
}

/* ---- argument helpers shared by the bindings ------------------------------ */

/* A count: a whole number >= 0, an integer or a float with a whole value
 * (5.0). A float is checked as an integer is (its sign, and its size before
 * the conversion, which is undefined past int64's range); NaN prints as nan. */
int64_t dt__lrt_checkcount(lua_State *L, int idx, const char *what) {
  if (!lua_isinteger(L, idx)) {
    lua_Number n = lua_tonumber(L, idx);
    if (lua_type(L, idx) != LUA_TNUMBER || n != floor(n))
      luaL_error(L, "%s must be a whole number, got %s", what,
                 lua_type(L, idx) != LUA_TNUMBER ? luaL_typename(L, idx)
                 : isnan(n)                      ? "nan"
                                                 : lua_pushfstring(L, "%f", n));
    if (n < 0) luaL_error(L, "%s must not be negative, got %s", what, lua_pushfstring(L, "%f", n));
    if (n >= 0x1p63) luaL_error(L, "%s is too large, got %s", what, lua_pushfstring(L, "%f", n));
    return (int64_t)n;
  }
  lua_Integer v = lua_tointeger(L, idx);
  if (v < 0) luaL_error(L, "%s must not be negative, got %I", what, v);
  return v;
}

int64_t dt__lrt_optfield_count(lua_State *L, int t, const char *k, int64_t dflt, const char *ctx) {
  int64_t v = dflt;
  if (lua_getfield(L, t, k) != LUA_TNIL) {
    const char *what = lua_pushfstring(L, "%s: '%s'", ctx, k);
    v = dt__lrt_checkcount(L, -2, what);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return v;
}

const char *dt__lrt_cstr(lua_State *L, int idx, const char *ctx) {
  size_t len;
  const char *s = lua_tolstring(L, idx, &len);
  if (!s) return s;
  size_t at = dt__lrt_clean_prefix(s, len);
  if (at == len) return s;
  char head[48];
  snprintf(head, sizeof head, "%.*s%s", (int)(at < 40 ? at : 40), s, at > 40 ? "..." : "");
  const char *msg =
      s[at] ? lua_pushfstring(L, "byte %d (0x%c%c%s%s%s) is not UTF-8: names, paths and texts "
                                 "given to the engine must be UTF-8",
                              (int)at + 1, "0123456789abcdef"[(unsigned char)s[at] >> 4],
                              "0123456789abcdef"[(unsigned char)s[at] & 15], at ? ", after '" : "",
                              head, at ? "'" : "")
            : lua_pushfstring(L, "'%s\\0...' holds a NUL byte (byte %d): names, paths and "
                                 "texts given to the engine cannot",
                              head, (int)at + 1);
  if (!ctx && idx > 0) luaL_argerror(L, idx, msg);
  return luaL_error(L, "%s: %s", ctx ? ctx : "string", msg), NULL;
}

const char *dt__lrt_checkstr(lua_State *L, int arg) {
  luaL_checkstring(L, arg);
  return dt__lrt_cstr(L, arg, NULL);
}

const char *dt__lrt_optstr(lua_State *L, int arg, const char *dflt) {
  return lua_isnoneornil(L, arg) ? dflt : dt__lrt_checkstr(L, arg);
}

const char *dt__lrt_reqfield_str(lua_State *L, int t, const char *k, const char *ctx) {
  if (lua_getfield(L, t, k) != LUA_TSTRING)
    luaL_error(L, "%s: field '%s' must be a string, got %s", ctx, k, luaL_typename(L, -1));
  int at = lua_gettop(L);
  const char *s = lua_tostring(L, at);
  if (!dt__lrt_cstr_ok(s, lua_rawlen(L, at)))
    dt__lrt_cstr(L, at, lua_pushfstring(L, "%s: field '%s'", ctx, k));
  lua_pop(L, 1);   /* still referenced by the table */
  return s;
}

const char *dt__lrt_optfield_str(lua_State *L, int t, const char *k, const char *ctx) {
  int ty = lua_getfield(L, t, k);
  if (ty == LUA_TNIL) { lua_pop(L, 1); return NULL; }
  if (ty != LUA_TSTRING)
    luaL_error(L, "%s: field '%s' must be a string, got %s", ctx, k, luaL_typename(L, -1));
  int at = lua_gettop(L);
  const char *s = lua_tostring(L, at);
  if (!dt__lrt_cstr_ok(s, lua_rawlen(L, at)))
    dt__lrt_cstr(L, at, lua_pushfstring(L, "%s: field '%s'", ctx, k));
  lua_pop(L, 1);
  return s;
}

dt_time_t dt__lrt_optfield_time(lua_State *L, int t, const char *k) {
  dt_time_t v = DT_NEVER;
  if (lua_getfield(L, t, k) != LUA_TNIL) v = dt__lrt_checktime(L, lua_gettop(L));
  lua_pop(L, 1);
  return v;
}
