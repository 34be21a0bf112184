/* l_fields.c: the checks every binding applies to a script's table arguments
 * (unknown fields with "did you mean", lists with holes) and the findings that
 * `detente check` collects instead of stopping at the first. Owns the findings
 * table in the registry; knows no binding's fields (each keeps its own list). */
#include "l_fields.h"
#include "suggest.h"
#include <string.h>

static const char key_findings = 0;

/* ---- the lists: one per function taking named fields ---- */
#define NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })
const dt__lrt_fields_t dt__lrt_f_scenario = { "scenario", NAMES("title", "start", "stop"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_state = { "state", NAMES("id", "name", "attrs"), NULL, 1 };
const dt__lrt_fields_t dt__lrt_f_system = {
  "system", NAMES("name", "category", "deployed", "nondeployed", "warheads", "per_launcher",
                  "capacity", "accountable", "attrs"), NULL, 1 };
const dt__lrt_fields_t dt__lrt_f_rate = { "rate", NAMES("per_day", "per_week", "per_month", "per_year"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_metric = { "metric", NAMES("name", "doc", "terms", "fn"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_term = { "metric term", NAMES("categories", "count", "weight", "accountable"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_treaty = {
  "treaty", NAMES("id", "name", "parties", "limits", "signed", "in_force", "expires",
                  "max_extensions", "extensions", "attrs"), NAMES("expire", "expires"), 1 };
const dt__lrt_fields_t dt__lrt_f_limit = { "treaty limit", NAMES("metric", "max"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_propose = {
  "propose", NAMES("to", "kind", "terms", "deadline", "visibility", "conditions"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_counter = { "counter", NAMES("terms", "deadline", "kind", "conditions"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_decision = { "decision", NAMES("options", "default", "timeout", "doc"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_policy = { "policy", NAMES("weights"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_move = { "move", NAMES("doc", "validate", "apply"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_emit = { "emit", NAMES("kind", "by", "to", "text", "visibility", "data"), NULL, 0 };
/* `until` is a Lua keyword and `from` reads as a place: one spelling each. */
const dt__lrt_fields_t dt__lrt_f_every = {
  "every", NAMES("first", "last"), NAMES("from", "first", "start", "first", "until", "last",
                                         "stop", "last"), 0 };
const dt__lrt_fields_t dt__lrt_f_param = { "param", NAMES("doc", "min", "max"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_outcome = { "outcome", NAMES("doc"), NULL, 0 };

const dt__lrt_fields_t *const dt__lrt_fields_all[] = {
  &dt__lrt_f_scenario, &dt__lrt_f_state, &dt__lrt_f_system, &dt__lrt_f_rate, &dt__lrt_f_metric, &dt__lrt_f_term,
  &dt__lrt_f_treaty, &dt__lrt_f_limit, &dt__lrt_f_propose, &dt__lrt_f_counter, &dt__lrt_f_decision, &dt__lrt_f_policy,
  &dt__lrt_f_move, &dt__lrt_f_emit, &dt__lrt_f_every, &dt__lrt_f_param, &dt__lrt_f_outcome, NULL
};

const char *dt__lrt_pushsuggest(lua_State *L, const char *name, const char *const *list, size_t n) {
  int i = dt_suggest(name, list, n);
  if (i < 0) { lua_pushliteral(L, ""); return ""; }
  return lua_pushfstring(L, " (did you mean '%s'?)", list[i]);
}

/* 1 when the frame's source is a file of the standard library. */
static int in_stdlib(lua_State *L, const lua_Debug *ar) {
  const char *dir = dt__lrt_get(L)->stdlib_dir;
  size_t n = strlen(dir);
  return ar->source[0] == '@' && strncmp(ar->source + 1, dir, n) == 0 && ar->source[1 + n] == '/';
}

const char *dt__lrt_pushwhere(lua_State *L) {
  lua_Debug ar;
  int first = -1;
  for (int lv = 1; lua_getstack(L, lv, &ar); lv++) {
    if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
    if (first < 0) first = lv;
    if (!in_stdlib(L, &ar)) return lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
  }
  if (first > 0 && lua_getstack(L, first, &ar) && lua_getinfo(L, "Sl", &ar))
    return lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
  lua_pushliteral(L, "");
  return "";
}

void dt__lrt_add_finding(dt_lrt_t *rt, const char *msg) {
  lua_State *L = rt->L;
  if (!lua_checkstack(L, 4)) return;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &key_findings) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &key_findings);
  }
  lua_pushstring(L, msg);
  if (lua_rawget(L, -2) == LUA_TNIL) {          /* keep each finding once */
    lua_pushstring(L, msg);
    lua_pushboolean(L, 1);
    lua_rawset(L, -4);
    lua_pushstring(L, msg);
    lua_rawseti(L, -3, (lua_Integer)lua_rawlen(L, -3) + 1);
  }
  lua_pop(L, 2);
}

int dt__lrt_nfindings(dt_lrt_t *rt) {
  lua_State *L = rt->L;
  int n = 0;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &key_findings) == LUA_TTABLE) n = (int)lua_rawlen(L, -1);
  lua_pop(L, 1);
  return n;
}

const char *dt__lrt_finding(dt_lrt_t *rt, int i) {
  lua_State *L = rt->L;
  const char *s = NULL;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &key_findings) == LUA_TTABLE) {
    lua_rawgeti(L, -1, i + 1);
    s = lua_tostring(L, -1);   /* anchored by the findings table */
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return s;
}

void dt__lrt_set_check(dt_lrt_t *rt, int on) { rt->check_mode = on; }

void dt__lrt_problem(lua_State *L, const char *msg) {
  const char *w = dt__lrt_pushwhere(L);
  const char *full = lua_pushfstring(L, "%s%s", w, msg);
  if (!dt__lrt_get(L)->check_mode) lua_error(L);
  dt__lrt_add_finding(dt__lrt_get(L), full);
  lua_pop(L, 2);
}

void dt__lrt_note(lua_State *L, const char *msg) {
  if (!dt__lrt_get(L)->check_mode) return;
  const char *w = dt__lrt_pushwhere(L);
  dt__lrt_add_finding(dt__lrt_get(L), lua_pushfstring(L, "%s%s", w, msg));
  lua_pop(L, 2);
}

static int known(const dt__lrt_fields_t *f, const char *k) {
  for (int i = 0; f->names[i]; i++) if (strcmp(f->names[i], k) == 0) return 1;
  return 0;
}

/* Raises (or records) the message for one unknown key at the top of the stack. */
static void unknown(lua_State *L, const dt__lrt_fields_t *f, const char *ctx) {
  int top = lua_gettop(L);
  if (lua_type(L, -1) != LUA_TSTRING) {
    const char *v = luaL_tolstring(L, -1, NULL);
    dt__lrt_problem(L, lua_pushfstring(L, "%s: unexpected value at [%s]: fields are named "
                                      "(e.g. %s = ...)", ctx, v, f->names[0]));
    lua_settop(L, top);
    return;
  }
  const char *k = lua_tostring(L, -1);
  const char *hint = NULL;
  for (int i = 0; f->renamed && f->renamed[i]; i += 2)
    if (strcmp(f->renamed[i], k) == 0) hint = lua_pushfstring(L, " (did you mean '%s'?)", f->renamed[i + 1]);
  if (!hint) {
    size_t n = 0;
    while (f->names[n]) n++;
    hint = dt__lrt_pushsuggest(L, k, f->names, n);
  }
  if (!*hint && f->renamed) {   /* a typo of an old habit ("untill") */
    const char *olds[16];
    size_t n = 0;
    for (int i = 0; f->renamed[i] && n < 16; i += 2) olds[n++] = f->renamed[i];
    int j = dt_suggest(k, olds, n);
    if (j >= 0) hint = lua_pushfstring(L, " (did you mean '%s'?)", f->renamed[2 * j + 1]);
  }
  if (!*hint) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, " (it takes");
    for (int i = 0; f->names[i]; i++) {
      luaL_addstring(&b, i ? ", " : " ");
      luaL_addstring(&b, f->names[i]);
    }
    if (f->attrs) luaL_addstring(&b, "; the scenario's own attributes go under attrs = {...}");
    luaL_addchar(&b, ')');
    luaL_pushresult(&b);
    hint = lua_tostring(L, -1);
  }
  dt__lrt_problem(L, lua_pushfstring(L, "%s: unknown field '%s'%s", ctx, k, hint));
  lua_settop(L, top);
}

void dt__lrt_checkfields(lua_State *L, int idx, const dt__lrt_fields_t *f, const char *ctx) {
  idx = lua_absindex(L, idx);
  if (!ctx) ctx = f->fn;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING || !known(f, lua_tostring(L, -1))) unknown(L, f, ctx);
  }
}

int dt__lrt_checklist(lua_State *L, int idx, const char *ctx, const char *field,
                  const char *what, int min, int max) {
  idx = lua_absindex(L, idx);
  lua_Integer count = 0, top = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1) {
      const char *k = luaL_tolstring(L, -1, NULL);
      luaL_error(L, "%s: '%s' must be a list of %s, but it has the key '%s'", ctx, field, what, k);
    }
    count++;
    if (lua_tointeger(L, -1) > top) top = lua_tointeger(L, -1);
  }
  if (count != top) {
    for (lua_Integer i = 1; i <= top; i++) {
      if (lua_rawgeti(L, idx, i) == LUA_TNIL)
        luaL_error(L, "%s: '%s' has nil at position %d (a misspelt or undefined variable?)",
                   ctx, field, (int)i);
      lua_pop(L, 1);
    }
  }
  if (top < min)
    luaL_error(L, "%s: '%s' must list at least %d %s, got %d%s", ctx, field, min, what, (int)top,
               top ? " (a nil at the end of a list is dropped: a misspelt or undefined variable?)" : "");
  if (top > max) luaL_error(L, "%s: '%s' lists %d %s; at most %d", ctx, field, (int)top, what, max);
  return (int)top;
}
