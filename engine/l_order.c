/* l_order.c: what a run sees of addresses and of table order, made a function
 * of the run alone. In one worker the allocator's state, and so the address of
 * every table and function, depends on what earlier runs did; Lua's string
 * hashes are seeded per worker. So in the sandbox:
 * - tostring, print and string.format's %s show a table, function, coroutine
 *   or userdata (one without __tostring) as "table: 0x00000001": a number the
 *   run gives each object when it is first shown (a weak-keyed per-run table),
 *   and string.format's %p shows the same number;
 * - pairs walks a table (or a shared library or data view) in a defined
 *   order: numbers ascending, then strings bytewise, then false and true, then
 *   light values (durations, hook handles) by value, then C functions without
 *   upvalues (by their place in the program), then objects (tables,
 *   functions, userdata, coroutines) in the order they were made: the
 *   worker's (the library, shared modules, data files: each load's objects in
 *   its order, loads by name) before the run's (lrt.c "creation numbers").
 *   It walks a snapshot of the keys: assigning to a field (nil included)
 *   during the walk works as with next, a key removed before its turn is
 *   skipped, and a key added is not visited.
 * next keeps Lua's own order (docs/api.md). */
#include "lrt.h"
#include <stdlib.h>
#include <string.h>

static const char key_ids = 0;

/* The per-run number of the object at idx (1, 2, ... in the order the run
 * first asks). [-0, +0, m] */
static lua_Integer object_id(lua_State *L, int idx) {
  dt_lrt_t *rt = dt__lrt_get(L);
  idx = lua_absindex(L, idx);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &key_ids);
  if (lua_type(L, -1) != LUA_TTABLE || rt->ids_gen != rt->run_gen) {
    /* A new run: a new table, weak in its keys (a shown object may still be
     * collected; its number is never given again). */
    lua_pop(L, 1);
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &key_ids);
    rt->ids_gen = rt->run_gen;
    rt->ids_next = 0;
  }
  lua_pushvalue(L, idx);
  lua_Integer id;
  if (lua_rawget(L, -2) == LUA_TNUMBER) {
    id = lua_tointeger(L, -1);
    lua_pop(L, 2);
    return id;
  }
  lua_pop(L, 1);
  id = ++rt->ids_next;
  lua_pushvalue(L, idx);
  lua_pushinteger(L, id);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  return id;
}

static int has_identity(int t) {
  return t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TTHREAD || t == LUA_TUSERDATA;
}

void dt__lrt_tostring(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  int t = lua_type(L, idx);
  if (!has_identity(t) || luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
    if (has_identity(t)) lua_pop(L, 1);
    luaL_tolstring(L, idx, NULL);
    return;
  }
  unsigned long long id = (unsigned long long)object_id(L, idx);
  char buf[32];
  snprintf(buf, sizeof buf, "0x%08llx", id);
  int nt = luaL_getmetafield(L, idx, "__name");
  lua_pushfstring(L, "%s: %s", nt == LUA_TSTRING ? lua_tostring(L, -1) : lua_typename(L, t), buf);
  if (nt != LUA_TNIL) lua_remove(L, -2);
}

static int l_tostring(lua_State *L) {
  luaL_checkany(L, 1);
  dt__lrt_tostring(L, 1);
  return 1;
}

/* string.format with %p and %s of objects going through the per-run numbers:
 * the arguments are rewritten (a %p becomes a %s of "0x0000000b" with the
 * same flags and width) and the original format does the rest. */
static int l_format(lua_State *L) {
  size_t len;
  const char *f = luaL_checklstring(L, 1, &len);
  int top = lua_gettop(L), arg = 1, has_p = 0;
  for (size_t i = 0; i < len; i++) {
    if (f[i] != '%') continue;
    if (++i < len && f[i] == '%') continue;
    while (i < len && f[i] && strchr("-+ #0123456789.", f[i])) i++;
    if (i >= len || ++arg > top) break;
    int t = lua_type(L, arg);
    if (f[i] == 'p') {
      has_p = 1;
      if (has_identity(t) || t == LUA_TSTRING) {
        char buf[32];
        snprintf(buf, sizeof buf, "0x%08llx", (unsigned long long)object_id(L, arg));
        lua_pushstring(L, buf);
        lua_replace(L, arg);
      } else if (t != LUA_TLIGHTUSERDATA) {
        lua_pushliteral(L, "(null)");
        lua_replace(L, arg);
      }
    } else if (f[i] == 's' && has_identity(t)) {
      dt__lrt_tostring(L, arg);
      lua_replace(L, arg);
    }
  }
  if (has_p) {
    /* The same format with every %p turned into %s. */
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    arg = 1;
    for (size_t i = 0; i < len; i++) {
      luaL_addchar(&b, f[i]);
      if (f[i] != '%') continue;
      if (i + 1 < len && f[i + 1] == '%') { luaL_addchar(&b, '%'); i++; continue; }
      while (i + 1 < len && f[i + 1] && strchr("-+ #0123456789.", f[i + 1]))
        luaL_addchar(&b, f[++i]);
      if (i + 1 < len) {
        i++;
        arg++;
        luaL_addchar(&b, f[i] == 'p' && lua_type(L, arg) == LUA_TSTRING ? 's' : f[i]);
      }
    }
    luaL_pushresult(&b);
    lua_replace(L, 1);
  }
  /* Lua's format, called in this frame: it reads only its arguments. */
  lua_CFunction format = lua_tocfunction(L, lua_upvalueindex(1));
  return format(L);
}

/* ---- pairs in a defined order ------------------------------------------- */

typedef struct okey {
  int rank;              /* 0 number, 1 string, 2 boolean, 3 light value, 4 light C
                          * function, 5 object */
  int sub;               /* objects: 0 the worker's, 1 the run's, 2 with no number */
  const char *space;     /* the worker's objects: the load that made them */
  int isint;
  lua_Integer i;
  lua_Number n;
  const char *s;
  size_t len;            /* strings; light values: their bits; objects: their number */
  uint64_t u;
  int pos;               /* in the snapshot list */
} okey_t;

static int cmp_okey(const void *pa, const void *pb) {
  const okey_t *a = pa, *b = pb;
  if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
  switch (a->rank) {
  case 0:
    if (a->isint && b->isint) return a->i < b->i ? -1 : a->i > b->i;
    {
      /* long double holds every 64-bit integer exactly */
      long double x = a->isint ? (long double)a->i : (long double)a->n;
      long double y = b->isint ? (long double)b->i : (long double)b->n;
      return x < y ? -1 : x > y;
    }
  case 1: {
    size_t m = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, m);
    if (c) return c < 0 ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
  }
  case 5:
    if (a->sub != b->sub) return a->sub < b->sub ? -1 : 1;
    if (a->sub == 0) {
      int c = strcmp(a->space, b->space);
      if (c) return c < 0 ? -1 : 1;
    }
    return a->u < b->u ? -1 : a->u > b->u;
  default:
    return a->u < b->u ? -1 : a->u > b->u;
  }
}

/* upvalues: the table, the snapshot list of its keys, the order (a userdata
 * of positions), the cursor */
static int ordered_next(lua_State *L) {
  const int *order = lua_touserdata(L, lua_upvalueindex(3));
  lua_Integer n = (lua_Integer)(lua_rawlen(L, lua_upvalueindex(3)) / sizeof(int));
  lua_Integer j = lua_tointeger(L, lua_upvalueindex(4));
  while (j < n) {
    lua_rawgeti(L, lua_upvalueindex(2), order[j++]);
    lua_pushvalue(L, -1);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) {
      lua_pushinteger(L, j);
      lua_replace(L, lua_upvalueindex(4));
      return 2;
    }
    lua_pop(L, 2);   /* removed since the snapshot */
  }
  lua_pushinteger(L, j);
  lua_replace(L, lua_upvalueindex(4));
  lua_pushnil(L);
  return 1;
}

void dt__lrt_ordered_pairs(lua_State *L, int t, int self) {
  self = lua_absindex(L, self);
  lua_pushvalue(L, t);                 /* upvalue 1 */
  t = lua_gettop(L);
  lua_newtable(L);                     /* upvalue 2: the keys, as found */
  int list = lua_gettop(L);
  int n = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_rawseti(L, list, ++n);
  }
  okey_t *k = n ? lua_newuserdatauv(L, (size_t)n * sizeof *k, 0) : NULL;
  int kbox = lua_gettop(L);
  for (int p = 1; p <= n; p++) {
    okey_t *e = &k[p - 1];
    memset(e, 0, sizeof *e);
    e->pos = p;
    int ty = lua_rawgeti(L, list, p);
    switch (ty) {
    case LUA_TNUMBER:
      e->rank = 0;
      e->isint = lua_isinteger(L, -1);
      if (e->isint) e->i = lua_tointeger(L, -1);
      else e->n = lua_tonumber(L, -1);
      break;
    case LUA_TSTRING:
      e->rank = 1;
      e->s = lua_tolstring(L, -1, &e->len);   /* anchored by the list */
      break;
    case LUA_TBOOLEAN:
      e->rank = 2;
      e->u = (uint64_t)lua_toboolean(L, -1);
      break;
    case LUA_TLIGHTUSERDATA:
      e->rank = 3;
      e->u = (uint64_t)(uintptr_t)lua_touserdata(L, -1);
      break;
    default: {
      uint32_t space;
      const char *name;
      uint64_t num = dt__lrt_num(L, -1, &space, &name);
      if (num) {
        e->rank = 5;
        e->sub = space ? 0 : 1;
        e->space = name;   /* the runtime's, kept while it lives */
        e->u = num;
      } else if (lua_iscfunction(L, -1) && !lua_getupvalue(L, -1, 1)) {
        e->rank = 4;
        e->u = (uint64_t)(uintptr_t)lua_topointer(L, -1);
      } else {
        if (lua_iscfunction(L, -1)) lua_pop(L, 1);   /* the upvalue */
        /* Made by an earlier run and kept (none should be visible): the
         * per-run number it is shown with. */
        e->rank = 5;
        e->sub = 2;
        e->u = (uint64_t)object_id(L, -1);
      }
      break;
    }
    }
    lua_pop(L, 1);
  }
  if (n > 1) qsort(k, (size_t)n, sizeof *k, cmp_okey);
  int *order = lua_newuserdatauv(L, (size_t)n * sizeof(int), 0);   /* upvalue 3 */
  for (int j = 0; j < n; j++) order[j] = k[j].pos;
  if (n) lua_remove(L, kbox);
  lua_pushinteger(L, 0);               /* upvalue 4 */
  lua_pushcclosure(L, ordered_next, 4);
  lua_pushvalue(L, self);
  lua_pushnil(L);
}

static int l_pairs(lua_State *L) {
  luaL_checkany(L, 1);
  if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
    lua_pushvalue(L, 1);
    lua_call(L, 1, 3);
    return 3;
  }
  if (!lua_istable(L, 1)) {   /* as Lua's pairs: next, which then raises */
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
  }
  dt__lrt_ordered_pairs(L, 1, 1);
  return 3;
}

void dt__open_order(lua_State *L, int base, int string) {
  lua_pushcfunction(L, l_tostring);
  lua_setfield(L, base, "tostring");
  lua_getfield(L, base, "next");
  lua_pushcclosure(L, l_pairs, 1);
  lua_setfield(L, base, "pairs");
  lua_getfield(L, string, "format");
  lua_pushcclosure(L, l_format, 1);
  lua_setfield(L, string, "format");
}
