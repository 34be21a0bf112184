/* l_pattern.c: string.find, string.match, string.gmatch and string.gsub for
 * the sandbox, on the bounded matcher of pattern.c. Each match is charged to
 * the hook's instruction budget (one step, one instruction) and watched by
 * the CPU-time watchdog, so no pattern can hang a run or a live session.
 * Results and error messages are those of Lua 5.4's own functions. */
#include "lrt.h"
#include "pattern.h"
#include <string.h>

/* Lua's relative string positions: 1-based, negative from the end. */
static size_t start_pos(lua_Integer pos, size_t len) {
  if (pos > 0) return (size_t)pos;
  if (pos == 0) return 1;
  if (pos < -(lua_Integer)len) return 1;
  return len + (size_t)pos + 1;
}

static int tick(void *ud) { return dt__lrt_watch_expired(ud); }

static void prepare(lua_State *L, dt_pat_t *ms, const char *s, size_t ls, const char *p,
                    size_t lp) {
  dt_lrt_t *rt = dt__lrt_get(L);
  int64_t left = INT64_MAX;
  if (rt->lim.instructions > 0)
    left = rt->insn_used < rt->lim.instructions ? rt->lim.instructions - rt->insn_used : 0;
  dt_pat_init(ms, s, ls, p, lp, left);
  ms->used = 0;
  ms->tick = tick;
  ms->tick_ud = rt;
}

/* Charges the steps of ms to the budget; raises if the matcher stopped. */
static void settle(lua_State *L, dt_pat_t *ms) {
  dt_lrt_t *rt = dt__lrt_get(L);
  if (rt->lim.instructions > 0) rt->insn_used += ms->used;
  ms->used = 0;
  if (ms->stopped == 2) luaL_error(L, "%s", ms->err);
  if (rt->lim.instructions > 0 && rt->insn_used > rt->lim.instructions) dt__lrt_limit_raise(L, 'i');
  if (ms->stopped == 1) dt__lrt_limit_raise(L, 't');
}

/* Pushes capture i (or the whole match s..e when there are none). */
static void push_capture(lua_State *L, dt_pat_t *ms, int i, const char *s, const char *e) {
  if (i >= ms->level) {
    if (i != 0) luaL_error(L, "invalid capture index %%%d", i + 1);
    lua_pushlstring(L, s, (size_t)(e - s));
    return;
  }
  ptrdiff_t n = ms->cap[i].len;
  if (n == DT_PAT_CAP_OPEN) luaL_error(L, "unfinished capture");
  if (n == DT_PAT_CAP_POS) lua_pushinteger(L, (ms->cap[i].init - ms->src) + 1);
  else lua_pushlstring(L, ms->cap[i].init, (size_t)n);
}

/* Pushes the captures (or the whole match if s is given and there are none). */
static int push_captures(lua_State *L, dt_pat_t *ms, const char *s, const char *e) {
  int n = (ms->level == 0 && s) ? 1 : ms->level;
  luaL_checkstack(L, n, "too many captures");
  for (int i = 0; i < n; i++) push_capture(L, ms, i, s, e);
  return n;
}

static const char *plain_find(const char *s, size_t ls, const char *p, size_t lp) {
  if (lp == 0) return s;
  if (lp > ls) return NULL;
  const char *last = s + (ls - lp);
  for (const char *q = s; q <= last; q++) {
    q = memchr(q, p[0], (size_t)(last - q) + 1);
    if (!q) return NULL;
    if (memcmp(q + 1, p + 1, lp - 1) == 0) return q;
  }
  return NULL;
}

static int find_aux(lua_State *L, int find) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  size_t init = start_pos(luaL_optinteger(L, 3, 1), ls);
  if (init > ls + 1) { lua_pushnil(L); return 1; }
  if (find && (lua_toboolean(L, 4) || dt_pat_is_plain(p, lp))) {
    const char *at = plain_find(s + init - 1, ls - init + 1, p, lp);
    if (!at) { lua_pushnil(L); return 1; }
    lua_pushinteger(L, (at - s) + 1);
    lua_pushinteger(L, (at - s) + (lua_Integer)lp);
    return 2;
  }
  dt_pat_t ms;
  int anchor = lp > 0 && *p == '^';
  if (anchor) { p++; lp--; }
  prepare(L, &ms, s, ls, p, lp);
  const char *from = s + init - 1;
  do {
    const char *e = dt_pat_match(&ms, from, p);
    if (ms.stopped) break;
    if (e) {
      settle(L, &ms);
      if (find) {
        lua_pushinteger(L, (from - s) + 1);
        lua_pushinteger(L, e - s);
        return push_captures(L, &ms, NULL, NULL) + 2;
      }
      return push_captures(L, &ms, from, e);
    }
  } while (from++ < ms.src_end && !anchor);
  settle(L, &ms);
  lua_pushnil(L);
  return 1;
}

static int p_find(lua_State *L) { return find_aux(L, 1); }
static int p_match(lua_State *L) { return find_aux(L, 0); }

/* gmatch's iterator; upvalues: subject, pattern, state. */
typedef struct gm { size_t pos; ptrdiff_t last; } gm_t;   /* last: end of the last match, -1 none */

static int gmatch_next(lua_State *L) {
  size_t ls, lp;
  const char *s = lua_tolstring(L, lua_upvalueindex(1), &ls);
  const char *p = lua_tolstring(L, lua_upvalueindex(2), &lp);
  gm_t *g = lua_touserdata(L, lua_upvalueindex(3));
  dt_pat_t ms;
  prepare(L, &ms, s, ls, p, lp);
  for (size_t at = g->pos; at <= ls; at++) {
    const char *e = dt_pat_match(&ms, s + at, p);
    if (ms.stopped) break;
    if (e && e - s != g->last) {
      g->pos = (size_t)(e - s);
      g->last = e - s;
      settle(L, &ms);
      return push_captures(L, &ms, s + at, e);
    }
  }
  settle(L, &ms);
  g->pos = ls + 1;
  return 0;
}

static int p_gmatch(lua_State *L) {
  size_t ls;
  luaL_checklstring(L, 1, &ls);
  luaL_checkstring(L, 2);
  size_t init = start_pos(luaL_optinteger(L, 3, 1), ls);
  lua_settop(L, 2);
  gm_t *g = lua_newuserdatauv(L, sizeof *g, 0);
  g->pos = init > ls + 1 ? ls + 1 : init - 1;
  g->last = -1;
  lua_pushcclosure(L, gmatch_next, 3);
  return 1;
}

/* Appends the replacement for the match s..e to b. */
static void add_value(lua_State *L, dt_pat_t *ms, luaL_Buffer *b, const char *s, const char *e,
                      int tr) {
  if (tr == LUA_TSTRING || tr == LUA_TNUMBER) {
    size_t lr;
    const char *r = lua_tolstring(L, 3, &lr);
    for (size_t i = 0; i < lr; i++) {
      if (r[i] != '%') { luaL_addchar(b, r[i]); continue; }
      i++;
      if (i < lr && r[i] == '%') luaL_addchar(b, '%');
      else if (i < lr && r[i] == '0') luaL_addlstring(b, s, (size_t)(e - s));
      else if (i < lr && r[i] >= '1' && r[i] <= '9') {
        push_capture(L, ms, r[i] - '1', s, e);
        luaL_tolstring(L, -1, NULL);
        lua_remove(L, -2);
        luaL_addvalue(b);
      } else {
        luaL_error(L, "invalid use of '%c' in replacement string", '%');
      }
    }
    return;
  }
  if (tr == LUA_TFUNCTION) {
    lua_pushvalue(L, 3);
    int n = push_captures(L, ms, s, e);
    lua_call(L, n, 1);
  } else {   /* a table */
    push_capture(L, ms, 0, s, e);
    lua_gettable(L, 3);
  }
  if (!lua_toboolean(L, -1)) {
    lua_pop(L, 1);
    luaL_addlstring(b, s, (size_t)(e - s));   /* keep the original text */
  } else if (!lua_isstring(L, -1)) {
    luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
  } else {
    luaL_addvalue(b);
  }
}

static int p_gsub(lua_State *L) {
  size_t ls, lp;
  const char *src = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  int tr = lua_type(L, 3);
  lua_Integer max_n = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
  luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION ||
                   tr == LUA_TTABLE, 3, "string/function/table");
  int anchor = lp > 0 && *p == '^';
  if (anchor) { p++; lp--; }
  /* The matcher state lives in a userdata made before the buffer: the
   * replacement may call Lua, which may raise. */
  dt_pat_t *ms = lua_newuserdatauv(L, sizeof *ms, 0);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  const char *s = src, *last = NULL;
  lua_Integer n = 0;
  prepare(L, ms, src, ls, p, lp);
  while (n < max_n) {
    const char *e = dt_pat_match(ms, s, p);
    if (ms->stopped) settle(L, ms);
    if (e && e != last) {
      n++;
      settle(L, ms);
      add_value(L, ms, &b, s, e, tr);
      s = last = e;
    } else if (s < ms->src_end) {
      luaL_addchar(&b, *s++);
    } else {
      break;
    }
    if (anchor) break;
  }
  settle(L, ms);
  luaL_addlstring(&b, s, (size_t)(ms->src_end - s));
  luaL_pushresult(&b);
  lua_pushinteger(L, n);
  return 2;
}

void dt__open_pattern(lua_State *L, int strtable) {
  static const luaL_Reg fns[] = {
    { "find", p_find }, { "match", p_match }, { "gmatch", p_gmatch }, { "gsub", p_gsub },
    { NULL, NULL }
  };
  strtable = lua_absindex(L, strtable);
  for (int i = 0; fns[i].name; i++) {
    lua_pushcfunction(L, fns[i].func);
    lua_setfield(L, strtable, fns[i].name);
  }
}
