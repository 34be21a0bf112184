/* l_session.c: the runtime's side of a live session (l_session.h): the moves
 * and injects a run declares, running them for a seat or the facilitator, and
 * a decision's context as JSON. The session itself never touches Lua; the
 * move() and inject() declarations are l_decision.c's. */
#include "l_session.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The Lua string at idx as JSON, never NULL: json_string gives NULL for bytes
 * that are not UTF-8, and the doc, option or context field was dropped without
 * a word. Such bytes show as '?'; a NUL byte is kept (\u0000). */
static json_t *lstr_json(lua_State *L, int idx) {
  size_t n;
  const char *s = lua_tolstring(L, idx, &n);
  json_t *j = s ? json_stringn(s, n) : NULL;
  if (j || !s) return j ? j : json_string("?");
  char *c = malloc(n + 1);
  if (!c) return json_string("?");
  memcpy(c, s, n);
  for (size_t i = 0; i < n;) {
    i += dt__lrt_clean_prefix(c + i, n - i);
    if (i < n) { if (c[i]) c[i] = '?'; i++; }
  }
  j = json_stringn(c, n);
  free(c);
  return j ? j : json_string("?");
}

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
  if (t != LUA_TTABLE || !strcmp(name, "__order")) {
    lua_pop(L, 1);
    lua_pushnil(L);
    return LUA_TNIL;
  }
  t = lua_getfield(L, -1, name);
  lua_remove(L, -2);
  return t;
}

static json_t *scalar_json(lua_State *L, int idx);

/* The declared arguments of the entry at the top, as JSON: [{name, type,
 * required, default?, doc?, min?, max?, integer?, options?}]. [-0, +0, -] */
static json_t *args_json(lua_State *L, const dt_state_t *mover) {
  json_t *out = json_array();
  if (lua_getfield(L, -1, "args") == LUA_TTABLE) {
    for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
      lua_rawgeti(L, -1, i);
      json_t *a = json_object();
      static const char *const keys[] = { "name", "type", "required", "default", "doc",
                                          "min",  "max",  "integer",  "of",      NULL };
      for (int k = 0; keys[k]; k++) {
        lua_getfield(L, -1, keys[k]);
        json_t *v = scalar_json(L, -1);
        if (v) json_object_set_new(a, keys[k], v);
        else if (!strcmp(keys[k], "required")) json_object_set_new(a, keys[k], json_false());
        lua_pop(L, 1);
      }
      if (lua_getfield(L, -1, "options") == LUA_TTABLE) {
        json_t *o = json_array();
        for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, -1); k++) {
          lua_rawgeti(L, -1, k);
          if (lua_type(L, -1) == LUA_TSTRING)
            json_array_append_new(o, lstr_json(L, -1));
          lua_pop(L, 1);
        }
        json_object_set_new(a, "options", o);
      }
      /* A system argument of the mover's own systems: their names. */
      const char *type = json_string_value(json_object_get(a, "type"));
      if (mover && type && !strcmp(type, "system") && !json_object_get(a, "of")) {
        json_t *o = json_array();
        for (int k = 0; k < mover->nsystems; k++)
          json_array_append_new(o, json_string(mover->systems[k]->name));
        json_object_set_new(a, "options", o);
      }
      lua_pop(L, 2);
      json_array_append_new(out, a);
    }
  }
  lua_pop(L, 1);
  return out;
}

static int has(dt_lrt_t *rt, const char *field, const char *name) {
  lua_State *L = rt->L;
  int t = run_entry(L, field, name);
  lua_pop(L, 1);
  return t == LUA_TTABLE;
}

int dt__lrt_has_move(dt_lrt_t *rt, const char *name) { return has(rt, "moves", name); }
int dt__lrt_has_inject(dt_lrt_t *rt, const char *name) { return has(rt, "injects", name); }

json_t *dt__lrt_moves_json(dt_lrt_t *rt, const dt_state_t *seat) {
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
        if (lua_getfield(L, -1, "doc") == LUA_TSTRING)
          json_object_set_new(m, "doc", lstr_json(L, -1));
        lua_pop(L, 1);
        json_object_set_new(m, "args", args_json(L, seat));
        json_array_append_new(a, m);
      }
      lua_pop(L, 2);
    }
  }
  lua_settop(L, top);
  return a;
}

/* Pushes run.moves and its __order list, or returns 0 (nothing pushed). */
static int push_moves(lua_State *L) {
  int top = lua_gettop(L);
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_run) == LUA_TTABLE &&
      lua_getfield(L, -1, "moves") == LUA_TTABLE && lua_getfield(L, -1, "__order") == LUA_TTABLE) {
    lua_remove(L, top + 1);
    return 1;
  }
  lua_settop(L, top);
  return 0;
}

int dt__lrt_moves_conditional(dt_lrt_t *rt) {
  lua_State *L = rt->L;
  int top = lua_gettop(L), any = 0;
  if (!dt__lrt_room(rt, L) || !push_moves(L)) return 0;
  lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
  for (lua_Integer i = 1; i <= n && !any; i++) {
    lua_rawgeti(L, -1, i);
    if (lua_type(L, -1) == LUA_TSTRING && lua_gettable(L, -3) == LUA_TTABLE)
      any = lua_getfield(L, -1, "available") == LUA_TFUNCTION;
    lua_settop(L, top + 2);
  }
  lua_settop(L, top);
  return any;
}

/* What a precondition must leave as it found it (besides raising first). */
typedef struct world_mark {
  uint64_t events, pushes;
  int decisions, proposals;
  dt_rng_t rng;
} world_mark_t;

static world_mark_t mark(const dt_sim_t *sim) {
  world_mark_t m = { sim->event_seq, sim->queue.next_seq, sim->ndecisions, sim->nproposals,
                     sim->rng };
  return m;
}

int dt__lrt_moves_available(dt_lrt_t *rt, dt_state_t *st, unsigned char *out, int max) {
  lua_State *L = rt->L;
  int top = lua_gettop(L), k = 0, rc = 0;
  if (!dt__lrt_room(rt, L)) return DT_ESCRIPT;
  if (!push_moves(L)) return 0;
  lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
  for (lua_Integer i = 1; i <= n && k < max && rc == 0; i++, k++) {
    lua_rawgeti(L, -1, i);
    const char *name = lua_tostring(L, -1);   /* anchored by the list */
    out[k] = 1;
    if (k < 256 && (rt->moves_cancelled[k / 64] >> (k % 64) & 1)) {
      out[k] = 0;   /* its precondition hit a limit in a live session: withdrawn */
    } else if (name && lua_getfield(L, -3, name) == LUA_TTABLE &&
               lua_getfield(L, -1, "available") == LUA_TFUNCTION) {
      world_mark_t before = mark(rt->sim);
      dt__lrt_pushhandle(L, DT_LRT_H_STATE, st);
      dt__lrt_budget(rt);
      rt->sim->handling = "a move's precondition";
      rt->pure = name;
      rt->pure_index = k + 1;
      rc = dt__lrt_pcall(rt, L, 1, 1, "move available");
      rt->pure = NULL;
      if (rc == 0) {
        out[k] = (unsigned char)(lua_toboolean(L, -1) != 0);
        world_mark_t after = mark(rt->sim);
        if (after.events != before.events || after.pushes != before.pushes ||
            after.decisions != before.decisions || after.proposals != before.proposals ||
            memcmp(&after.rng, &before.rng, sizeof after.rng)) {
          char msg[256];
          snprintf(msg, sizeof msg,
                   "move '%s': available() changed the world (events, the queue, decisions, "
                   "proposals or the random stream); a precondition only reads it", name);
          dt__lrt_fail(rt, msg, NULL);
          rc = DT_ESCRIPT;
        }
      }
    }
    lua_settop(L, top + 2);
  }
  lua_settop(L, top);
  if (rc < 0 || rt->sim->failed) return rc < 0 ? rc : DT_ESCRIPT;
  return k;
}

int dt__lrt_cancel_move(dt_lrt_t *rt, const char *name, char *what, size_t n) {
  lua_State *L = rt->L;
  int top = lua_gettop(L), found = DT_ENOENT;
  if (!rt->run_active || !name || !lua_checkstack(L, 8) || !push_moves(L)) {
    lua_settop(L, top);
    return DT_ENOENT;
  }
  lua_Integer len = (lua_Integer)lua_rawlen(L, -1);
  for (lua_Integer i = 1; i <= len && i <= 256 && found < 0; i++) {
    lua_rawgeti(L, -1, i);
    const char *m = lua_tostring(L, -1);
    if (m && !strcmp(m, name)) {
      int k = (int)i - 1;
      rt->moves_cancelled[k / 64] |= (uint64_t)1 << (k % 64);
      snprintf(what, n, "the precondition of move '%.64s' (the move is no longer offered to "
                        "the seats)", name);
      found = 0;
    }
    lua_pop(L, 1);
  }
  lua_settop(L, top);
  return found;
}

static int cmpstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static json_t *inject_names(dt_lrt_t *rt);

json_t *dt__lrt_injects_json(dt_lrt_t *rt) {
  json_t *names = inject_names(rt);
  json_t *out = json_array();
  lua_State *L = rt->L;
  size_t i; json_t *n;
  json_array_foreach(names, i, n) {
    if (run_entry(L, "injects", json_string_value(n)) == LUA_TTABLE) {
      json_t *f = json_pack("{s:O}", "name", n);
      if (lua_getfield(L, -1, "doc") == LUA_TSTRING)
        json_object_set_new(f, "doc", lstr_json(L, -1));
      lua_pop(L, 1);
      json_object_set_new(f, "args", args_json(L, NULL));
      json_array_append_new(out, f);
    }
    lua_pop(L, 1);
  }
  json_decref(names);
  return out;
}

static json_t *inject_names(dt_lrt_t *rt) {
  lua_State *L = rt->L;
  int top = lua_gettop(L);
  const char *names[256]; int n = 0;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_run) == LUA_TTABLE &&
      lua_getfield(L, -1, "injects") == LUA_TTABLE) {
    lua_pushnil(L);
    while (lua_next(L, -2) && n < 256) {
      if (lua_type(L, -2) == LUA_TSTRING)
        names[n++] = lua_tostring(L, -2); /* anchored by the table */
      lua_pop(L, 1);
    }
  }
  if (n > 1) qsort(names, (size_t)n, sizeof *names, cmpstr);
  json_t *a = json_array();
  for (int i = 0; i < n; i++) json_array_append_new(a, json_string(names[i]));
  lua_settop(L, top);
  return a;
}

/* Protected: (json as light userdata, spec table, mover or nil) -> the
 * checked arguments, or nil and the reason. */
static int push_args(lua_State *L) {
  json_t *args = lua_touserdata(L, 1);
  const dt_state_t *mover = lua_isnil(L, 3) ? NULL : dt__lrt_testhandle(L, 3, DT_LRT_H_STATE);
  if (args) dt__lrt_pushjson(L, args, "arguments"); else lua_newtable(L);
  if (dt__lrt_args(L, 2, -1, mover)) return 1;
  lua_pushnil(L);
  lua_insert(L, -2);
  return 2;
}

/* Pushes the checked arguments for the spec at `spec`: 1, or 0 with
 * *refusal set (nothing pushed). [-0, +(0|1), -] */
static int checked_args(lua_State *L, int spec, json_t *args, dt_state_t *mover, char **refusal) {
  lua_pushcfunction(L, push_args);
  lua_pushlightuserdata(L, args);
  lua_pushvalue(L, spec);
  if (mover) dt__lrt_pushhandle(L, DT_LRT_H_STATE, mover); else lua_pushnil(L);
  if (lua_pcall(L, 3, 2, 0) != LUA_OK) {
    *refusal = xstrdup(lua_tostring(L, -1) ? lua_tostring(L, -1) : "bad arguments");
    lua_pop(L, 1);
    return 0;
  }
  if (lua_isnil(L, -2)) {
    *refusal = xstrdup(lua_tostring(L, -1) ? lua_tostring(L, -1) : "bad arguments");
    lua_pop(L, 2);
    return 0;
  }
  lua_pop(L, 1);
  return 1;
}

int dt__lrt_move(dt_lrt_t *rt, dt_state_t *st, const char *name, json_t *args, char **refusal) {
  lua_State *L = rt->L;
  int top = lua_gettop(L);
  *refusal = NULL;
  if (!dt__lrt_room(rt, L)) return DT_ESCRIPT;
  if (run_entry(L, "moves", name) != LUA_TTABLE) { lua_settop(L, top); return DT_ENOENT; }
  int m = lua_gettop(L);
  /* The arguments once, checked against their declaration, as a table both
   * validate and apply see. */
  if (!checked_args(L, m, args, st, refusal)) { lua_settop(L, top); return DT_EINVAL; }
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

int dt__lrt_fire(dt_lrt_t *rt, const char *name, json_t *args, char **refusal) {
  lua_State *L = rt->L;
  int top = lua_gettop(L);
  *refusal = NULL;
  if (!dt__lrt_room(rt, L)) return DT_ESCRIPT;
  if (run_entry(L, "injects", name) != LUA_TTABLE) { lua_settop(L, top); return DT_ENOENT; }
  if (!checked_args(L, top + 1, args, NULL, refusal)) { lua_settop(L, top); return DT_EINVAL; }
  int a = lua_gettop(L);
  dt__lrt_budget(rt);
  rt->sim->handling = "an inject fired by the facilitator";
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  lua_getfield(L, -1, "fire");
  lua_remove(L, -2);
  lua_pushstring(L, name);
  lua_pushvalue(L, a);
  int rc = dt__lrt_start(rt, L, 2, "inject");
  lua_settop(L, top);
  if (rc < 0 || rt->sim->failed) return rc < 0 ? rc : DT_ESCRIPT;
  return 0;
}

/* ---- message forms ------------------------------------------------------------ */

json_t *dt__lrt_forms_json(dt_lrt_t *rt, const dt_state_t *seat) {
  lua_State *L = rt->L;
  int top = lua_gettop(L);
  json_t *a = json_array();
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_run) == LUA_TTABLE &&
      lua_getfield(L, -1, "forms") == LUA_TTABLE && lua_getfield(L, -1, "__order") == LUA_TTABLE) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, -1, i);
      const char *name = lua_tostring(L, -1);   /* anchored by the list */
      if (name && lua_getfield(L, -3, name) == LUA_TTABLE) {
        json_t *m = json_pack("{s:s}", "name", name);
        static const char *const texts[] = { "title", "doc", NULL };
        for (int k = 0; texts[k]; k++) {
          if (lua_getfield(L, -1, texts[k]) == LUA_TSTRING)
            json_object_set_new(m, texts[k], lstr_json(L, -1));
          lua_pop(L, 1);
        }
        json_object_set_new(m, "args", args_json(L, seat));
        json_array_append_new(a, m);
      }
      lua_pop(L, 2);
    }
  }
  lua_settop(L, top);
  return a;
}

/* A checked field as a person reads it: a state or a treaty by its id, a
 * proposal as P<n>, a duration or a date as the text it was given (or its
 * tostring text), the rest as it is. NULL to leave it out. [-0, +0, -] */
static json_t *field_value(lua_State *L, int v, json_t *given) {
  dt_state_t *st = dt__lrt_testhandle(L, v, DT_LRT_H_STATE);
  if (st) return json_string(st->id);
  dt_treaty_t *tr = dt__lrt_testhandle(L, v, DT_LRT_H_TREATY);
  if (tr) return json_string(tr->id);
  dt_proposal_t *pr = dt__lrt_testhandle(L, v, DT_LRT_H_PROPOSAL);
  if (pr) {
    char b[32];
    snprintf(b, sizeof b, "P%d", pr->index + 1);
    return json_string(b);
  }
  if (lua_type(L, v) == LUA_TUSERDATA && json_is_string(given)) return json_incref(given);
  if (lua_type(L, v) == LUA_TTABLE) return given ? json_incref(given) : NULL;
  return scalar_json(L, v);
}

int dt__lrt_form_fields(dt_lrt_t *rt, const char *name, json_t *fields, const dt_state_t *seat,
                       json_t **out, char **refusal) {
  lua_State *L = rt->L;
  int top = lua_gettop(L);
  *out = NULL; *refusal = NULL;
  if (!dt__lrt_room(rt, L)) return DT_ESCRIPT;
  if (!name || !strcmp(name, "__order") || run_entry(L, "forms", name) != LUA_TTABLE) {
    lua_settop(L, top);
    return DT_ENOENT;
  }
  int spec = lua_gettop(L);
  int declared = lua_getfield(L, spec, "args") == LUA_TTABLE;
  lua_pop(L, 1);
  if (!declared && json_object_size(fields)) {
    lua_settop(L, top);
    *refusal = xstrdup("this form declares no fields");
    return DT_EINVAL;
  }
  if (!checked_args(L, spec, fields, (dt_state_t *)seat, refusal)) {
    lua_settop(L, top);
    return DT_EINVAL;
  }
  int a = lua_gettop(L);
  json_t *o = json_object();
  if (lua_getfield(L, spec, "args") == LUA_TTABLE) {
    for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
      lua_rawgeti(L, -1, i);
      lua_getfield(L, -1, "name");
      const char *an = lua_tostring(L, -1);   /* anchored by the spec */
      lua_getfield(L, a, an);
      json_t *given = json_object_get(fields, an);
      json_t *v = lua_isnil(L, -1) ? NULL : field_value(L, lua_gettop(L), given);
      if (v) json_object_set_new(o, an, v);
      lua_pop(L, 3);
    }
  }
  lua_settop(L, top);
  *out = o;
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
  case LUA_TSTRING: return lstr_json(L, -1);
  case LUA_TBOOLEAN: return json_boolean(lua_toboolean(L, -1));
  case LUA_TNUMBER:
    return lua_isinteger(L, -1) ? json_integer((json_int_t)lua_tointeger(L, -1))
                                : json_real(lua_tonumber(L, -1));
  case LUA_TUSERDATA: {
    /* tostring runs scenario-visible metamethods: protect it. */
    json_t *j = NULL;
    lua_pushcfunction(L, safe_tostring);
    lua_pushvalue(L, -2);
    if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING)
      j = lstr_json(L, -1);
    lua_pop(L, 1);
    return j;
  }
  default: return NULL;
  }
}

/* A plain value or a handle as JSON; NULL for nil and other values. */
static json_t *scalar_json(lua_State *L, int idx) {
  lua_pushvalue(L, idx);
  json_t *j = field_json(L);
  lua_pop(L, 1);
  return j;
}

json_t *dt__lrt_context_json(dt_lrt_t *rt, int ctx_ref) {
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

/* ---- declared arguments ------------------------------------------------------ */

static const char *const arg_types[] = { "state", "treaty", "proposal", "system", "duration",
                                         "date",  "number", "choice",   "text",   "boolean",
                                         "list",  "table",  NULL };

static int arg_type(const char *t) {
  for (int i = 0; t && arg_types[i]; i++) if (!strcmp(t, arg_types[i])) return i;
  return -1;
}
enum { A_STATE, A_TREATY, A_PROPOSAL, A_SYSTEM, A_DURATION, A_DATE, A_NUMBER, A_CHOICE, A_TEXT,
       A_BOOLEAN, A_LIST, A_TABLE };

void dt__lrt_check_args_spec(lua_State *L, int idx, const char *what, const char *name) {
  idx = lua_absindex(L, idx);
  if (lua_isnil(L, idx)) return;
  if (!lua_istable(L, idx))
    luaL_error(L, "%s '%s': 'args' must be a list of {name=, type=, ...}", what, name);
  lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, idx, i);
    int a = lua_gettop(L);
    if (!lua_istable(L, a))
      luaL_error(L, "%s '%s': args[%d] must be a table {name=, type=, ...}", what, name, (int)i);
    if (lua_getfield(L, a, "name") != LUA_TSTRING)
      luaL_error(L, "%s '%s': args[%d] needs a name", what, name, (int)i);
    const char *an = lua_tostring(L, -1);
    if (lua_getfield(L, a, "type") != LUA_TSTRING || arg_type(lua_tostring(L, -1)) < 0)
      luaL_error(
          L,
          "%s '%s': argument '%s' needs a type: state, treaty, proposal, system, duration, date, "
          "number, choice, text, boolean, list or table",
          what, name, an);
    int t = arg_type(lua_tostring(L, -1));
    if (t == A_CHOICE) {
      if (lua_getfield(L, a, "options") != LUA_TTABLE || lua_rawlen(L, -1) == 0)
        luaL_error(L, "%s '%s': choice argument '%s' needs options = {\"a\", \"b\", ...}", what,
                   name, an);
      for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, -1); k++) {
        if (lua_rawgeti(L, -1, k) != LUA_TSTRING)
          luaL_error(L, "%s '%s': the options of '%s' must be strings", what, name, an);
        lua_pop(L, 1);
      }
    }
    static const char *const nums[] = { "min", "max", NULL };
    for (int k = 0; nums[k]; k++) {
      int tt = lua_getfield(L, a, nums[k]);
      if (tt != LUA_TNIL && tt != LUA_TNUMBER)
        luaL_error(L, "%s '%s': '%s' of '%s' must be a number", what, name, nums[k], an);
      lua_pop(L, 1);
    }
    for (lua_Integer j = 1; j < i; j++) {   /* names are unique */
      lua_rawgeti(L, idx, j);
      lua_getfield(L, -1, "name");
      if (!strcmp(lua_tostring(L, -1), an))
        luaL_error(L, "%s '%s': argument '%s' is declared twice", what, name, an);
      lua_pop(L, 2);
    }
    lua_settop(L, a - 1);
  }
}

/* Pushes base[fn](v): "days"(5) or "date"("2026-02-05"). [-0, +1, e] */
static void call_base(lua_State *L, const char *fn, int nargs) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  lua_getfield(L, -1, fn);
  lua_remove(L, -2);
  lua_insert(L, -(nargs + 1));
  lua_call(L, nargs, 1);
}

/* "5d", "6 months", "1 year", "36h", "2w", "90s", "15min" -> a Duration.
 * [-0, +1, e] 1, or 0 (nothing pushed) when it does not read as one. */
static int push_duration_text(lua_State *L, const char *s) {
  char *end;
  double v = strtod(s, &end);
  if (end == s || !(v >= 0) || v > 1e6) return 0;
  while (*end == ' ') end++;
  static const struct { const char *unit, *fn; double mul;
  } units[] = {
    { "s", "seconds", 1 },        { "sec", "seconds", 1 },   { "second", "seconds", 1 },
    { "seconds", "seconds", 1 },  { "min", "seconds", 60 },  { "minute", "seconds", 60 },
    { "minutes", "seconds", 60 }, { "h", "hours", 1 },       { "hour", "hours", 1 },
    { "hours", "hours", 1 },      { "d", "days", 1 },        { "day", "days", 1 },
    { "days", "days", 1 },        { "", "days", 1 },         { "w", "weeks", 1 },
    { "week", "weeks", 1 },       { "weeks", "weeks", 1 },   { "mo", "months", 1 },
    { "month", "months", 1 },     { "months", "months", 1 }, { "y", "years", 1 },
    { "year", "years", 1 },       { "years", "years", 1 },
  };
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    if (strcmp(end, units[i].unit)) continue;
    double x = v * units[i].mul;
    int whole = !strcmp(units[i].fn, "months") || !strcmp(units[i].fn, "years") ||
                !strcmp(units[i].fn, "weeks");
    if (whole && x != (double)(int64_t)x) return 0;
    if (whole) lua_pushinteger(L, (lua_Integer)x); else lua_pushnumber(L, x);
    call_base(L, units[i].fn, 1);
    return 1;
  }
  return 0;
}

/* Converts the value at the top for argument spec `a`, replacing it; or
 * returns a reason (pushed above it). [-1, +1, e] 1 ok, 0 with the reason at
 * the top (the value popped). */
static int coerce(lua_State *L, int a, const char *an, dt_sim_t *sim, const dt_state_t *mover,
                  int out_idx) {
  lua_getfield(L, a, "type");
  int t = arg_type(lua_tostring(L, -1));
  lua_pop(L, 1);
  int v = lua_gettop(L);
  int vt = lua_type(L, v);
  const char *s = vt == LUA_TSTRING ? lua_tostring(L, v) : NULL;
  switch (t) {
  case A_STATE:
    if (dt__lrt_testhandle(L, v, DT_LRT_H_STATE)) return 1;
    if (s) {
      dt_state_t *st = dt_state_find(sim, s);
      if (st) { lua_pop(L, 1); dt__lrt_pushhandle(L, DT_LRT_H_STATE, st); return 1; }
      lua_pop(L, 1);
      luaL_Buffer b;
      luaL_buffinit(L, &b);
      lua_pushfstring(L, "%s: no state '%s' (the states:", an, s);
      luaL_addvalue(&b);
      for (int k = 0; k < sim->nstates; k++) {
        luaL_addstring(&b, " ");
        luaL_addstring(&b, sim->states[k]->id);
      }
      luaL_addstring(&b, ")");
      luaL_pushresult(&b);
      return 0;
    }
    break;
  case A_TREATY:
    if (dt__lrt_testhandle(L, v, DT_LRT_H_TREATY)) return 1;
    if (s) {
      /* By id, or by name ("New START"), ignoring case. */
      dt_treaty_t *tr = dt_treaty_find(sim, s);
      for (int k = 0; !tr && k < sim->ntreaties; k++)
        if (!strcasecmp(sim->treaties[k]->id, s) ||
            (sim->treaties[k]->name && !strcasecmp(sim->treaties[k]->name, s)))
          tr = sim->treaties[k];
      if (tr) { lua_pop(L, 1); dt__lrt_pushhandle(L, DT_LRT_H_TREATY, tr); return 1; }
      lua_pop(L, 1);
      luaL_Buffer b;
      luaL_buffinit(L, &b);
      lua_pushfstring(L, "%s: no treaty '%s' (the treaties:", an, s);
      luaL_addvalue(&b);
      for (int k = 0; k < sim->ntreaties; k++) {
        luaL_addstring(&b, " ");
        luaL_addstring(&b, sim->treaties[k]->id);
      }
      luaL_addstring(&b, ")");
      luaL_pushresult(&b);
      return 0;
    }
    break;
  case A_PROPOSAL:
    if (dt__lrt_testhandle(L, v, DT_LRT_H_PROPOSAL)) return 1;
    if (s) {
      char *end;
      long k = s[0] == 'P' ? strtol(s + 1, &end, 10) : 0;
      if (k >= 1 && k <= sim->nproposals && !*end) {
        lua_pop(L, 1); dt__lrt_pushhandle(L, DT_LRT_H_PROPOSAL, sim->proposals[k - 1]); return 1;
      }
      lua_pop(L, 1);
      lua_pushfstring(L, "%s: no proposal '%s' (proposals are P1, P2, ...)", an, s);
      return 0;
    }
    break;
  case A_SYSTEM:
    if (s) {
      /* The systems of `of` (another argument's state, or a state id), else the mover's. */
      if (lua_getfield(L, a, "of") == LUA_TSTRING) {
        const char *of = lua_tostring(L, -1);
        const dt_state_t *owner = dt_state_find(sim, of);
        if (!owner) {   /* an argument declared before this one */
          lua_getfield(L, out_idx, of);
          owner =
              lua_type(L, -1) == LUA_TUSERDATA ? dt__lrt_testhandle(L, -1, DT_LRT_H_STATE) : NULL;
          lua_pop(L, 1);
        }
        if (owner) mover = owner;
      }
      lua_pop(L, 1);
      if (!mover || dt_system_find(mover, s)) return 1;
      lua_pop(L, 1); lua_pushfstring(L, "%s: %s has no system '%s'", an, mover->id, s); return 0;
    }
    break;
  case A_DURATION:
    if (vt == LUA_TNUMBER) { call_base(L, "days", 1); return 1; }
    if (s) {
      if (push_duration_text(L, s)) { lua_remove(L, v); return 1; }
      lua_pop(L, 1);
      lua_pushfstring(L, "%s: '%s' is not a duration (say 5d, 2w, 6 months, 1 year)", an, s);
      return 0;
    }
    if (dt__lrt_isdur(L, v)) return 1;
    break;
  case A_DATE:
    if (s || vt == LUA_TUSERDATA) {
      lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
      lua_getfield(L, -1, "date");
      lua_remove(L, -2);
      lua_pushvalue(L, v);
      if (lua_pcall(L, 1, 1, 0) == LUA_OK) { lua_remove(L, v); return 1; }
      lua_pop(L, 2);
      lua_pushfstring(L, "%s: not a date (say 2026-02-05)", an);
      return 0;
    }
    break;
  case A_NUMBER: {
    int isnum = 0;
    lua_Number x = lua_tonumberx(L, v, &isnum);
    if (!isnum || x != x) break;
    lua_getfield(L, a, "integer");
    int want_int = lua_toboolean(L, -1);
    lua_pop(L, 1);
    int whole = x == floor(x) && fabs(x) < 9007199254740992.0;
    if (want_int && !whole) {
      lua_pop(L, 1);
      lua_pushfstring(L, "%s must be a whole number", an);
      return 0;
    }
    static const char *const bound[] = { "min", "max" };
    for (int k = 0; k < 2; k++) {
      if (lua_getfield(L, a, bound[k]) == LUA_TNUMBER) {
        lua_Number b = lua_tonumber(L, -1);
        if (k == 0 ? x < b : x > b) {
          lua_pop(L, 2);
          if (b == floor(b) && fabs(b) < 1e15)
            lua_pushfstring(L, "%s must be %s %I", an, k == 0 ? "at least" : "at most",
                            (LUAI_UACINT)(lua_Integer)b);
          else
            lua_pushfstring(L, "%s must be %s %f", an, k == 0 ? "at least" : "at most", b);
          return 0;
        }
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (whole) lua_pushinteger(L, (lua_Integer)x); else lua_pushnumber(L, x);
    return 1;
  }
  case A_CHOICE:
    if (s) {
      lua_getfield(L, a, "options");
      for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, -1); k++) {
        lua_rawgeti(L, -1, k);
        int eq = !strcmp(lua_tostring(L, -1), s);
        lua_pop(L, 1);
        if (eq) { lua_pop(L, 1); return 1; }
      }
      /* "tone: 'angry' is not one of positive, negative, neutral" */
      luaL_Buffer b;
      luaL_buffinit(L, &b);
      lua_pushfstring(L, "%s: '%s' is not one of ", an, s);
      luaL_addvalue(&b);
      for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, -2); k++) {
        if (k > 1) luaL_addstring(&b, ", ");
        lua_rawgeti(L, -2, k);
        luaL_addvalue(&b);
      }
      luaL_pushresult(&b);
      lua_replace(L, -3);
      lua_pop(L, 1);
      return 0;
    }
    break;
  case A_TEXT:
    if (s && lua_rawlen(L, v) <= 4096) return 1;
    if (s) { lua_pop(L, 1); lua_pushfstring(L, "%s: at most 4096 bytes of text", an); return 0; }
    if (vt == LUA_TNUMBER) { lua_pushstring(L, lua_tostring(L, v)); lua_remove(L, v); return 1; }
    break;
  case A_BOOLEAN:
    if (vt == LUA_TBOOLEAN) return 1;
    if (s && (!strcmp(s, "true") || !strcmp(s, "yes"))) {
      lua_pop(L, 1);
      lua_pushboolean(L, 1);
      return 1;
    }
    if (s && (!strcmp(s, "false") || !strcmp(s, "no"))) {
      lua_pop(L, 1);
      lua_pushboolean(L, 0);
      return 1;
    }
    break;
  case A_LIST:
    if (s) {
      lua_createtable(L, 1, 0);
      lua_pushvalue(L, v);
      lua_rawseti(L, -2, 1);
      lua_remove(L, v);
      return 1;
    }
    if (vt == LUA_TTABLE) {
      for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, v); k++) {
        int et = lua_rawgeti(L, v, k);
        lua_pop(L, 1);
        if (et != LUA_TSTRING) {
          lua_pop(L, 1);
          lua_pushfstring(L, "%s must be a list of texts", an);
          return 0;
        }
      }
      return 1;
    }
    break;
  case A_TABLE:
    if (vt == LUA_TTABLE) return 1;
    break;
  }
  lua_pop(L, 1);
  lua_pushfstring(L, "%s must be a %s", an, arg_types[t]);
  return 0;
}

/* Registry: a standard move's declared args list (shared by the worker's
 * runs, never changed) -> the set of its names, made once per worker. */
static const char key_names = 0;

/* Pushes the set of the names declared in the shared args list at sp (n
 * entries) and returns its index; 0 (nothing pushed) for a list of the
 * scenario's own, which it may change between calls. */
static int declared_names(lua_State *L, int sp, lua_Integer n) {
  if (!dt__lrt_is_shared(L, sp)) return 0;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &key_names) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &key_names);
  }
  lua_pushvalue(L, sp);
  if (lua_rawget(L, -2) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, 0, (int)n);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, sp, i);
      lua_getfield(L, -1, "name");
      lua_pushboolean(L, 1);
      lua_rawset(L, -4);
      lua_pop(L, 1);
    }
    lua_pushvalue(L, sp);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
  }
  lua_remove(L, -2);
  return lua_gettop(L);
}

int dt__lrt_args(lua_State *L, int spec_idx, int args_idx, const dt_state_t *mover) {
  spec_idx = lua_absindex(L, spec_idx);
  args_idx = lua_absindex(L, args_idx);
  dt_sim_t *sim = dt__lrt_sim(L);
  luaL_checkstack(L, 16, "move arguments");
  if (lua_getfield(L, spec_idx, "args") != LUA_TTABLE) {   /* nothing declared: as given */
    lua_pop(L, 1);
    lua_pushvalue(L, args_idx);
    return 1;
  }
  int sp = lua_gettop(L);
  lua_newtable(L);
  int out = sp + 1;
  lua_Integer n = (lua_Integer)lua_rawlen(L, sp);
  const char *missing = NULL;   /* a required argument not given: reported after unknown ones */
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, sp, i);
    int a = lua_gettop(L);
    lua_getfield(L, a, "name");
    const char *an = lua_tostring(L, -1);   /* anchored by the spec */
    lua_pop(L, 1);
    if (lua_getfield(L, args_idx, an) == LUA_TNIL) {
      lua_pop(L, 1);
      if (lua_getfield(L, a, "default") == LUA_TNIL) {
        lua_pop(L, 1);
        if (lua_getfield(L, a, "required"), lua_toboolean(L, -1)) {
          missing = an;   /* a misspelt name ('sytem') says more than 'system is required' */
          lua_settop(L, out);
          break;
        }
        lua_settop(L, a - 1);
        continue;
      }
      dt__lrt_module_view(L, -1);   /* a shared module's default: its view, never the table */
    }
    if (!coerce(L, a, an, sim, mover, out)) {
      lua_replace(L, sp);
      lua_settop(L, sp);
      return 0;
    }
    lua_setfield(L, out, an);
    lua_settop(L, out);
  }
  /* Arguments given and not declared are an error, with the declared ones. */
  int names = declared_names(L, sp, n);
  lua_pushnil(L);
  while (lua_next(L, args_idx)) {
    lua_pop(L, 1);
    int known = 0;
    if (lua_type(L, -1) == LUA_TSTRING && names) {
      lua_pushvalue(L, -1);
      known = lua_rawget(L, names) != LUA_TNIL;
      lua_pop(L, 1);
    } else if (lua_type(L, -1) == LUA_TSTRING) {
      for (lua_Integer i = 1; i <= n && !known; i++) {
        lua_rawgeti(L, sp, i);
        lua_getfield(L, -1, "name");
        known = lua_rawequal(L, -1, -3);
        lua_pop(L, 2);
      }
    }
    if (!known) {
      luaL_Buffer b;
      const char *k = luaL_tolstring(L, -1, NULL);
      luaL_buffinit(L, &b);
      luaL_addstring(&b, "unknown argument '");
      luaL_addstring(&b, k);
      luaL_addstring(&b, "'; the arguments are:");
      for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, sp, i);
        lua_getfield(L, -1, "name");
        lua_remove(L, -2);
        luaL_addstring(&b, " ");
        luaL_addvalue(&b);
      }
      luaL_pushresult(&b);
      lua_replace(L, sp);
      lua_settop(L, sp);
      return 0;
    }
  }
  if (missing) {
    lua_settop(L, sp - 1);
    lua_pushfstring(L, "%s is required", missing);
    return 0;
  }
  lua_settop(L, out);
  lua_replace(L, sp);
  return 1;
}
