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
const dt__lrt_fields_t dt__lrt_f_scenario = { "scenario", NAMES("title", "start", "stop"), NULL,
                                              0 };
const dt__lrt_fields_t dt__lrt_f_state = { "state", NAMES("id", "name", "attrs"), NULL, 1 };
const dt__lrt_fields_t dt__lrt_f_group = { "group", NAMES("id", "name", "members", "attrs"), NULL,
                                           1 };
const dt__lrt_fields_t dt__lrt_f_system = {
  "system", NAMES("name", "category", "deployed", "nondeployed", "warheads", "per_launcher",
                  "capacity", "accountable", "missiles_per_launcher", "reloads", "range", "basing",
                  "per_missile", "attrs"), NULL, 1 };
const dt__lrt_fields_t dt__lrt_f_stockpile = { "set_stockpile",
                                               NAMES("reserve", "awaiting_dismantlement"), NULL,
                                               0 };
const dt__lrt_fields_t dt__lrt_f_rate = { "rate",
                                          NAMES("per_day", "per_week", "per_month", "per_year"),
                                          NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_metric = { "metric", NAMES("name", "doc", "terms", "fn"), NULL,
                                            0 };
const dt__lrt_fields_t dt__lrt_f_term = {
  "metric term", NAMES("categories", "count", "weight", "accountable", "range", "basing"), NULL, 0
};
const dt__lrt_fields_t dt__lrt_f_treaty = { "treaty",
                                            NAMES("id", "name", "parties", "limits", "signed",
                                                  "in_force", "expires", "max_extensions",
                                                  "extensions", "withdrawal_notice", "attrs"),
                                            NAMES("expire", "expires"), 1 };
const dt__lrt_fields_t dt__lrt_f_limit = { "treaty limit",
                                           NAMES("metric", "max", "parties", "party"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_inspect = { "inspect", NAMES("p_detect", "by"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_propose = {
  "propose", NAMES("to", "kind", "quorum", "terms", "deadline", "visibility", "conditions"), NULL, 0
};
const dt__lrt_fields_t dt__lrt_f_counter = { "counter",
                                             NAMES("terms", "deadline", "kind", "conditions"), NULL,
                                             0 };
const dt__lrt_fields_t dt__lrt_f_decision = { "decision",
                                              NAMES("options", "default", "timeout", "doc"), NULL,
                                              0 };
const dt__lrt_fields_t dt__lrt_f_policy = { "policy", NAMES("weights"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_move = { "move",
                                          NAMES("doc", "args", "params", "available", "validate",
                                                "apply"),
                                          NULL,
                                          0 };
const dt__lrt_fields_t dt__lrt_f_inject = { "inject", NAMES("doc", "args", "fire"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_form = { "form", NAMES("title", "doc", "args"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_emit = { "emit",
                                          NAMES("kind", "by", "to", "text", "visibility", "data"),
                                          NULL, 0 };
/* `until` is a Lua keyword and `from` reads as a place: one spelling each. */
const dt__lrt_fields_t dt__lrt_f_every = {
  "every", NAMES("first", "last"), NAMES("from", "first", "start", "first", "until", "last",
                                         "stop", "last"), 0 };
const dt__lrt_fields_t dt__lrt_f_param = { "param", NAMES("doc", "min", "max"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_outcome = { "outcome", NAMES("doc", "at"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_series = { "series", NAMES("doc"), NULL, 0 };
const dt__lrt_fields_t dt__lrt_f_when = { "when", NAMES("reads"), NULL, 0 };

const dt__lrt_fields_t *const dt__lrt_fields_all[] = { &dt__lrt_f_scenario,
                                                       &dt__lrt_f_state,
                                                       &dt__lrt_f_system,
                                                       &dt__lrt_f_rate,
                                                       &dt__lrt_f_metric,
                                                       &dt__lrt_f_term,
                                                       &dt__lrt_f_treaty,
                                                       &dt__lrt_f_limit,
                                                       &dt__lrt_f_propose,
                                                       &dt__lrt_f_counter,
                                                       &dt__lrt_f_decision,
                                                       &dt__lrt_f_policy,
                                                       &dt__lrt_f_move,
                                                       &dt__lrt_f_emit,
                                                       &dt__lrt_f_every,
                                                       &dt__lrt_f_when,
                                                       &dt__lrt_f_param,
                                                       &dt__lrt_f_outcome,
                                                       &dt__lrt_f_stockpile,
                                                       &dt__lrt_f_inspect,
                                                       &dt__lrt_f_group,
                                                       &dt__lrt_f_series,
                                                       &dt__lrt_f_inject,
                                                       &dt__lrt_f_form,
                                                       NULL };

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
    if (strcmp(f->renamed[i], k) == 0)
      hint = lua_pushfstring(L, " (did you mean '%s'?)", f->renamed[i + 1]);
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
               top ? " (a nil at the end of a list is dropped: a misspelt or undefined variable?)"
                   : "");
  if (top > max) luaL_error(L, "%s: '%s' lists %d %s; at most %d", ctx, field, (int)top, what, max);
  return (int)top;
}

/* ---- what `detente check` learns from its smoke runs ---- */

static const char key_seen = 0;   /* registry: { [what] = { [name] = value } } across runs */

/* Pushes the table seen[what], creating it. [-0, +1, m] */
static void seen(lua_State *L, const char *what) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &key_seen) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &key_seen);
  }
  if (lua_getfield(L, -1, what) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, what);
  }
  lua_remove(L, -2);
}

void dt__lrt_check_param_read(lua_State *L, const char *name) {
  if (!dt__lrt_get(L)->check_mode) return;
  seen(L, "param_read");
  lua_pushboolean(L, 1);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

/* 1 when line `n` of file `path` is a statement that starts with param(...):
 * the value it returns is dropped. */
static int line_discards(const char *path, int n) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  char buf[512];
  int line = 0, yes = 0;
  while (fgets(buf, sizeof buf, f)) {
    size_t len = strlen(buf);
    if (++line == n) {
      const char *p = buf;
      while (*p == ' ' || *p == '\t') p++;
      yes = strncmp(p, "param", 5) == 0 && (p[5] == '(' || p[5] == ' ' || p[5] == '"');
      break;
    }
    /* a line longer than the buffer continues in the next read */
    while (len == sizeof buf - 1 && buf[len - 1] != '\n' && fgets(buf, sizeof buf, f))
      len = strlen(buf);
  }
  fclose(f);
  return yes;
}

void dt__lrt_check_param_declared(lua_State *L, const char *name) {
  if (!dt__lrt_get(L)->check_mode) return;
  lua_Debug ar;
  for (int lv = 1; lua_getstack(L, lv, &ar); lv++) {
    if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
    if (ar.source[0] == '@' && line_discards(ar.source + 1, ar.currentline)) {
      seen(L, "param_site");
      lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
      lua_setfield(L, -2, name);
      lua_pop(L, 1);
    }
    return;
  }
}

void dt__lrt_check_decision_declared(lua_State *L, const char *name) {
  if (!dt__lrt_get(L)->check_mode) return;
  lua_Debug ar;
  for (int lv = 1; lua_getstack(L, lv, &ar); lv++) {
    if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
    if (!in_stdlib(L, &ar)) {   /* the stdlib declares decisions a scenario may not use */
      seen(L, "decision_site");
      lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
      lua_setfield(L, -2, name);
      lua_pop(L, 1);
    }
    return;
  }
}

void dt__lrt_check_move_refused(lua_State *L, const char *move, const char *state) {
  if (!dt__lrt_get(L)->check_mode || !lua_checkstack(L, 8)) return;
  int reason = lua_gettop(L);
  const char *w = dt__lrt_pushwhere(L);
  const char *key = lua_pushfstring(L, "%s\n%s\n%s", w, move, state);
  seen(L, "move_refused");   /* [key] = { msg =, hit = }, [i] = key in first-seen order */
  if (lua_getfield(L, -1, key) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, 0, 3);
    const char *r = lua_type(L, reason) == LUA_TSTRING ? lua_tostring(L, reason)
                                                       : lua_typename(L, lua_type(L, reason));
    lua_pushfstring(L, "%smove '%s' by %s was refused in ", w, move, state);
    lua_setfield(L, -2, "head");
    lua_pushstring(L, r);
    lua_setfield(L, -2, "why");
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, key);
    lua_pushstring(L, key);
    lua_rawseti(L, -3, (lua_Integer)lua_rawlen(L, -3) + 1);
  }
  lua_pushboolean(L, 1);
  lua_setfield(L, -2, "hit");   /* counted once per run by dt__lrt_check_after_run */
  lua_settop(L, reason);
}

/* Counts this run for every refused move seen in it. [-0, +0, m] */
static void count_refusals(lua_State *L) {
  seen(L, "move_refused");
  for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
    lua_rawgeti(L, -1, i);
    lua_rawget(L, -2);
    if (lua_getfield(L, -1, "hit") == LUA_TBOOLEAN) {
      lua_getfield(L, -2, "runs");
      lua_Integer n = lua_tointeger(L, -1) + 1;
      lua_pop(L, 1);
      lua_pushinteger(L, n);
      lua_setfield(L, -3, "runs");
      lua_pushnil(L);
      lua_setfield(L, -3, "hit");
    }
    lua_pop(L, 2);
  }
  lua_getfield(L, -1, "nruns");
  lua_Integer n = lua_tointeger(L, -1) + 1;
  lua_pop(L, 1);
  lua_pushinteger(L, n);
  lua_setfield(L, -2, "nruns");
  lua_pop(L, 1);
}

void dt__lrt_check_after_run(dt_lrt_t *rt, int finished) {
  lua_State *L = rt->L;
  dt_sim_t *sim = rt->sim;
  if (!lua_checkstack(L, 8)) return;
  count_refusals(L);
  seen(L, "decision_site");
  int site = lua_gettop(L);
  for (int d = 0; d < sim->ndectypes; d++) {
    const dt_dectype_t *t = &sim->dectypes[d];
    int any = 0;
    for (int i = 0; i < sim->npolicies; i++) if (sim->policies[i].dectype == d) any = 1;
    if (!any && lua_getfield(L, site, t->name) == LUA_TSTRING) {
      dt__lrt_add_finding(rt, lua_pushfstring(L, "%sdecision '%s' is declared but no state has a "
                                             "policy for it: in run and mc it always takes its "
                                             "default '%s'", lua_tostring(L, -1), t->name,
                                          t->options[t->dflt]));
    }
    lua_settop(L, site);
  }
  lua_pop(L, 1);
  for (int i = 0; i < sim->ndecisions; i++) {
    const dt_decision_t *d = sim->decisions[i];
    if (sim->states[d->state]->human || dt_policy_find(sim, d->state, d->dectype)) continue;
    const dt_dectype_t *t = &sim->dectypes[d->dectype];
    dt__lrt_add_finding(rt, lua_pushfstring(L,
                                            "%s was asked decision '%s' but has no policy for it: "
                                            "the default '%s' applied (give it one with policy(%s, "
                                            "\"%s\", ...))",
                                            sim->states[d->state]->id, t->name, t->options[t->dflt],
                                            sim->states[d->state]->id, t->name));
    lua_pop(L, 1);
  }
  if (!finished) return;
  seen(L, "outcome_set");
  for (int i = 0; i < rt->noutcomes; i++) {
    if (rt->outcomes[i].v.type == DT_LRT_V_NONE) continue;
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, rt->outcomes[i].name);
  }
  lua_pop(L, 1);
}

void dt__lrt_check_finish(dt_lrt_t *rt, int nruns) {
  lua_State *L = rt->L;
  if (!lua_checkstack(L, 8)) return;
  seen(L, "param_site");
  int site = lua_gettop(L);
  seen(L, "param_read");
  seen(L, "outcome_set");
  for (int i = 0; i < rt->nparams; i++) {
    const char *name = rt->params[i].name;
    if (lua_getfield(L, site, name) == LUA_TSTRING && lua_getfield(L, site + 1, name) == LUA_TNIL) {
      dt__lrt_add_finding(rt, lua_pushfstring(L,
                                              "%sparam '%s' is never read (no param.%s in %d smoke "
                                              "run%s, and the value param() returns is dropped)",
                                              lua_tostring(L, -2), name, name, nruns,
                                              nruns == 1 ? "" : "s"));
      lua_pop(L, 1);
    }
    lua_settop(L, site + 2);
  }
  if (nruns > 0)
    for (int i = 0; i < rt->noutcomes; i++) {
      if (lua_getfield(L, site + 2, rt->outcomes[i].name) == LUA_TNIL) {
        dt__lrt_add_finding(rt,
                            lua_pushfstring(L,
                                            "outcome '%s' was nil in all %d smoke run%s "
                                            "(never set? a rare outcome may need more --seeds)",
                                            rt->outcomes[i].name, nruns, nruns == 1 ? "" : "s"));
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
  lua_settop(L, site - 1);
  seen(L, "move_refused");
  lua_getfield(L, -1, "nruns");
  lua_Integer all = lua_tointeger(L, -1);
  lua_pop(L, 1);
  for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
    lua_rawgeti(L, -1, i);
    lua_rawget(L, -2);
    lua_getfield(L, -1, "head");
    lua_getfield(L, -2, "runs");
    lua_getfield(L, -3, "why");
    dt__lrt_add_finding(rt, lua_pushfstring(L, "%s%I of %I smoke run%s: %s", lua_tostring(L, -3),
                                            lua_tointeger(L, -2), all, all == 1 ? "" : "s",
                                            lua_tostring(L, -1)));
    lua_pop(L, 5);
  }
  lua_pop(L, 1);
}

void dt__lrt_print_api(dt_lrt_t *rt, FILE *out) {
  lua_State *L = rt->L;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  lua_newtable(L);
  lua_Integer n = 0;
  lua_pushnil(L);
  while (lua_next(L, -3)) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, ++n);
  }
  lua_getglobal(L, "table");     /* the real library: sort the names */
  lua_getfield(L, -1, "sort");
  lua_pushvalue(L, -3);
  lua_call(L, 1, 0);
  lua_pop(L, 1);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, -1, i);
    fprintf(out, "global %s\n", lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  lua_pop(L, 2);
  /* The methods of each handle type: the method table is upvalue 1 of its
   * __index (l_handle.c). */
  static const char *const types[] = { "State", "Group", "System", "Treaty", "Proposal", "Change" };
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    lua_pushfstring(L, "detente.%s", types[i]);
    luaL_getmetatable(L, lua_tostring(L, -1));
    if (lua_getfield(L, -1, "__index") == LUA_TFUNCTION && lua_getupvalue(L, -1, 1) &&
        lua_istable(L, -1)) {
      lua_pushnil(L);
      while (lua_next(L, -2)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING)
          fprintf(out, "method %s %s\n", types[i], lua_tostring(L, -1));
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 3);
  }
  for (int i = 0; dt__lrt_fields_all[i]; i++) {
    fprintf(out, "fields %s:", dt__lrt_fields_all[i]->fn);
    for (int k = 0; dt__lrt_fields_all[i]->names[k]; k++)
      fprintf(out, " %s", dt__lrt_fields_all[i]->names[k]);
    fputc('\n', out);
  }
}
