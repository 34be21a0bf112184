/* l_scenario.c: the scenario's frame: scenario{} (title and clock), params
 * (defaults, -D overrides, sampled distributions) and outcomes. The values are
 * copied into the runtime so that run, mc and serve can report them. */
#include "l_fields.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *dupstr(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

/* Checks that the argument at idx is an identifier of at most 64 characters,
 * so that it reads as param.name and serves as a CSV column. [-0, +0, e] */
static const char *check_name(lua_State *L, int idx, const char *what) {
  if (lua_type(L, idx) != LUA_TSTRING) luaL_typeerror(L, idx, "name (a string)");
  const char *name = dt__lrt_cstr(L, idx, NULL);
  int ok =
      (name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') || name[0] == '_';
  size_t len = 0;
  for (const char *p = name; ok && *p; p++, len++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          *p == '_'))
      ok = 0;
  if (!ok || len > 64) {
    char head[72];   /* lua_pushfstring has no precision: '%.64s' raised "invalid option" */
    snprintf(head, sizeof head, "%.64s%s", name, strlen(name) > 64 ? "..." : "");
    luaL_error(L, "%s: '%s' is not a valid name (a letter or '_', then letters, digits "
                  "and '_'; 64 at most)", what, head);
  }
  return name;
}

/* Appends a named value (a param or an outcome) with copies of name and doc;
 * raises when the name is taken or memory runs out. */
static dt_lrt_named_t *add_named(lua_State *L, dt_lrt_named_t **arr, int *n, int *cap,
                              const char *name, const char *doc, const char *what) {
  for (int i = 0; i < *n; i++)
    if (strcmp((*arr)[i].name, name) == 0) luaL_error(L, "%s '%s' is declared twice", what, name);
  if (*n == *cap) {
    int nc = *cap ? *cap * 2 : 16;
    dt_lrt_named_t *na = realloc(*arr, sizeof *na * (size_t)nc);
    if (!na) { luaL_error(L, "%s: out of memory", what); return NULL; }
    *arr = na; *cap = nc;
  }
  dt_lrt_named_t *e = &(*arr)[*n];
  memset(e, 0, sizeof *e);
  e->at = DT_NEVER;
  e->name = dupstr(name);
  e->doc = dupstr(doc);
  if (!e->name || (doc && !e->doc)) {
    free(e->name); free(e->doc);
    luaL_error(L, "%s: out of memory", what);
  }
  (*n)++;
  return e;
}

static int l_scenario(lua_State *L) {
  dt_lrt_t *rt = dt__lrt_get(L);
  dt_sim_t *sim = dt__lrt_sim(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  if (rt->scenario_called)
    return luaL_error(L, "scenario: called twice; a script describes one scenario");
  dt__lrt_checkfields(L, 1, &dt__lrt_f_scenario, NULL);
  lua_getfield(L, 1, "start");
  if (lua_isnil(L, -1))
    return luaL_error(L, "scenario: 'start' (a date such as \"2025-09-22\") is required");
  dt_time_t start = dt__lrt_checktime(L, lua_gettop(L));
  lua_getfield(L, 1, "stop");
  if (lua_isnil(L, -1))
    return luaL_error(L, "scenario: 'stop' (the last date of the run) is required");
  dt_time_t stop = dt__lrt_checktime(L, lua_gettop(L));
  if (stop <= start) return luaL_error(L, "scenario: 'stop' must come after 'start'");
  lua_getfield(L, 1, "title");
  const char *title = lua_isnil(L, -1) ? rt->script_path
                      : dt__lrt_cstr(L, lua_gettop(L), "scenario: field 'title'");
  if (!title) return luaL_error(L, "scenario: 'title' must be a string");
  sim->title = dt_arena_strdup(&sim->arena, title);
  sim->start = start; sim->stop = stop; sim->now = start;
  rt->scenario_called = 1;
  return 0;
}

static int bad_override(lua_State *L, const char *name, const char *v, const char *want) {
  return luaL_error(L, "-D %s=%s: expected %s", name, v, want);
}

/* Converts an override string to the type of the default at idx. [-0, +1, e] */
static void push_override(lua_State *L, const char *name, const char *v, int idx) {
  int t = lua_type(L, idx);
  if (dt__lrt_testdist(L, idx)) t = LUA_TNUMBER;
  if (t == LUA_TNUMBER) {
    if (!lua_stringtonumber(L, v)) bad_override(L, name, v, "a number");
  } else if (t == LUA_TBOOLEAN) {
    if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes")) lua_pushboolean(L, 1);
    else if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no")) lua_pushboolean(L, 0);
    else bad_override(L, name, v, "true or false");
  } else {
    lua_pushstring(L, v);
  }
}

/* --sample lhs: where in [0, 1) this run's draw of param name falls: the
 * run's stratum of the point's lhs_n, jittered within it from the run's
 * param stream. The stratum's order is a permutation keyed by the master
 * seed and the name, so it does not depend on the order params are declared
 * in, nor on shards, threads or resuming. */
static double lhs_u(dt_lrt_t *rt, const char *name) {
  uint64_t h = UINT64_C(0xcbf29ce484222325);   /* FNV-1a of the name */
  for (const unsigned char *c = (const unsigned char *)name; *c; c++)
    h = (h ^ *c) * UINT64_C(0x100000001b3);
  uint64_t key = dt_rng_run_seed(rt->lhs_seed, h);
  uint64_t k = dt_rng_stratum(key, rt->lhs_n, rt->lhs_j % rt->lhs_n);
  double u = ((double)k + dt_rng_uniform(&rt->param_rng)) / (double)rt->lhs_n;
  return u < 1.0 ? u : nextafter(1.0, 0.0);
}

/* param(name, default | dist, doc | {doc=, min=, max=}) -> value */
static int l_param(lua_State *L) {
  dt_lrt_t *rt = dt__lrt_get(L);
  dt__lrt_sim(L);
  if (lua_type(L, 1) == LUA_TUSERDATA) lua_remove(L, 1);   /* called as param(...) via __call */
  const char *name = check_name(L, 1, "param");
  for (int i = 0; i < rt->nparams; i++)
    if (strcmp(rt->params[i].name, name) == 0)
      return luaL_error(L, "param '%s' is declared twice", name);
  int t = lua_type(L, 2);
  const void *dist = dt__lrt_testdist(L, 2);
  if (!dist && t != LUA_TNUMBER && t != LUA_TBOOLEAN && t != LUA_TSTRING)
    return luaL_error(L, "param '%s': the default must be a number, boolean, string or dist.*(...)",
                      name);
  const char *doc = NULL;
  int has_min = 0, has_max = 0;
  lua_Number mn = 0, mx = 0;
  if (lua_istable(L, 3)) {
    dt__lrt_checkfields(L, 3, &dt__lrt_f_param, lua_pushfstring(L, "param '%s'", name));
    lua_getfield(L, 3, "doc"); doc = lua_tostring(L, -1);
    if (lua_getfield(L, 3, "min") != LUA_TNIL) { has_min = 1; mn = luaL_checknumber(L, -1); }
    if (lua_getfield(L, 3, "max") != LUA_TNIL) { has_max = 1; mx = luaL_checknumber(L, -1); }
  } else {
    doc = dt__lrt_optstr(L, 3, NULL);
  }
  int sampled = 0;
  const char *ov = NULL;
  for (int i = 0; i < rt->noverrides; i++)
    if (strcmp(rt->overrides[i].name, name) == 0) ov = rt->overrides[i].value;
  if (ov) push_override(L, name, ov, 2);
  else if (rt->lhs_n && dist) { dt__lrt_dist_push_q(L, dist, lhs_u(rt, name)); sampled = 1; }
  else if (rt->lhs_n && t == LUA_TNUMBER && has_min && has_max) {
    /* A plain number with a declared range: uniform over it, whole numbers
     * for a whole default and whole bounds. */
    double u = lhs_u(rt, name);
    if (lua_isinteger(L, 2) && mn == floor(mn) && mx == floor(mx) && fabs(mn) < 9.0e15 &&
        fabs(mx) < 9.0e15)
      lua_pushinteger(L, dt_rng_q_int(u, (int64_t)mn, (int64_t)mx));
    else {
      double x = mn + (mx - mn) * u;
      lua_pushnumber(L, x > mx ? mx : x);
    }
    sampled = 1;
  } else if (dist) { dt__lrt_dist_push(L, &rt->param_rng, dist); sampled = 1; }
  else lua_pushvalue(L, 2);
  int v = lua_gettop(L);
  if (lua_type(L, v) == LUA_TNUMBER) {
    lua_Number x = lua_tonumber(L, v);
    if ((has_min && x < mn) || (has_max && x > mx))
      return luaL_error(L, "param '%s' = %s is outside its range [%s, %s]", name,
                        lua_tostring(L, v), has_min ? lua_pushfstring(L, "%f", mn) : "-inf",
                        has_max ? lua_pushfstring(L, "%f", mx) : "inf");
  }
  dt_lrt_named_t *p = add_named(L, &rt->params, &rt->nparams, &rt->capparams, name, doc, "param");
  if (rt->check_mode) dt__lrt_check_param_declared(L, name);
  p->sampled = sampled;
  p->lo = has_min ? mn : NAN;
  p->hi = has_max ? mx : NAN;
  p->whole = dist ? dt__lrt_dist_whole(dist)
                  : lua_isinteger(L, 2) && has_min && has_max && mn == floor(mn) && mx == floor(mx);
  double dlo, dhi;
  if (dist && dt__lrt_dist_bounds(dist, &dlo, &dhi)) {
    if (!has_min) p->lo = dlo;
    if (!has_max) p->hi = dhi;
  }
  switch (lua_type(L, v)) {
  case LUA_TBOOLEAN: p->v.type = DT_LRT_V_BOOL; p->v.num = lua_toboolean(L, v); break;
  case LUA_TNUMBER: p->v.type = DT_LRT_V_NUM; p->v.num = lua_tonumber(L, v); break;
  default:
    p->v.type = DT_LRT_V_STR;
    p->v.str = dupstr(dt__lrt_cstr(L, v, "param: the value"));
    break;
  }
  dt__lrt_getrun(L, "params");
  lua_pushvalue(L, v);
  lua_setfield(L, -2, name);
  lua_pushvalue(L, v);
  return 1;
}

static int param_index(lua_State *L) {
  dt_lrt_t *rt = dt__lrt_get(L);
  const char *name = dt__lrt_checkstr(L, 2);
  dt__lrt_getrun(L, "params");
  if (lua_getfield(L, -1, name) != LUA_TNIL) {
    if (rt->check_mode) dt__lrt_check_param_read(L, name);
    return 1;
  }
  /* file:line of the use (stdlib frames skipped), the closest declared name,
   * then all of them. */
  const char *where = dt__lrt_pushwhere(L);
  const char *names[64];
  int n = rt->nparams < 64 ? rt->nparams : 64;
  for (int i = 0; i < n; i++) names[i] = rt->params[i].name;
  const char *hint = dt__lrt_pushsuggest(L, name, names, (size_t)n);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  lua_pushfstring(L, "%sparam.%s: no such param%s (declared:", where, name, hint);
  luaL_addvalue(&b);
  for (int i = 0; i < rt->nparams; i++) {
    luaL_addchar(&b, ' ');
    luaL_addstring(&b, rt->params[i].name);
  }
  if (!rt->nparams) luaL_addstring(&b, " none");
  luaL_addchar(&b, ')');
  luaL_pushresult(&b);
  return lua_error(L);
}

static int param_newindex(lua_State *L) {
  return luaL_error(L,
                    "param.%s: params are read-only; declare them with param(name, default, doc)",
                    luaL_optstring(L, 2, "?"));
}

/* outcome(name, fn [, doc | {doc=}]) */
static int l_outcome(lua_State *L) {
  dt_lrt_t *rt = dt__lrt_get(L);
  dt_sim_t *sim = dt__lrt_sim(L);
  const char *name = check_name(L, 1, "outcome");
  luaL_checktype(L, 2, LUA_TFUNCTION);
  const char *doc = NULL;
  dt_time_t at = DT_NEVER;
  if (lua_istable(L, 3)) {
    dt__lrt_checkfields(L, 3, &dt__lrt_f_outcome, lua_pushfstring(L, "outcome '%s'", name));
    lua_pop(L, 1);
    lua_getfield(L, 3, "doc"); doc = lua_tostring(L, -1);
    if (lua_getfield(L, 3, "at") != LUA_TNIL) {
      at = dt__lrt_checktime(L, lua_gettop(L));
      if (sim->stop != DT_NEVER && at > sim->stop) {
        char d[32], e[32];
        dt_time_format(at, d, sizeof d); dt_time_format(sim->stop, e, sizeof e);
        return luaL_error(L, "outcome '%s': at = %s is after the scenario's stop (%s)", name, d, e);
      }
      if (at < sim->now) return luaL_error(L, "outcome '%s': at is in the past", name);
    }
    lua_pop(L, 1);
  }
  else doc = dt__lrt_optstr(L, 3, NULL);
  dt_lrt_named_t *o =
      add_named(L, &rt->outcomes, &rt->noutcomes, &rt->capoutcomes, name, doc, "outcome");
  o->at = at;
  dt__lrt_getrun(L, "outcome_fns");
  lua_pushvalue(L, 2);
  lua_rawseti(L, -2, rt->noutcomes);
  /* After everything else scheduled for that instant (priority 100). */
  if (at != DT_NEVER &&
      dt_sim_schedule(sim, at, 100, DT_LRT_K_OUTCOME, NULL, rt->noutcomes - 1, NULL))
    return luaL_error(L, "outcome '%s': out of memory", name);
  return 0;
}

int dt__lrt_outcome_fire(dt_lrt_t *rt, lua_State *L, const dt_qentry_t *e) {
  int i = (int)e->arg;
  if (i < 0 || i >= rt->noutcomes) return 0;
  dt__lrt_getrun(L, "outcome_fns");
  lua_rawgeti(L, -1, i + 1);
  lua_remove(L, -2);
  int rc = dt__lrt_pcall(rt, L, 0, 1, "outcome");
  if (rc < 0) return rc;
  int tv = dt__lrt_tovalue(L, &rt->outcomes[i].v);
  if (tv < 0) {
    dt__lrt_fail(rt, lua_pushfstring(L, "outcome '%s' returned a %s; outcomes are a boolean,"
                                        " a number, a string (UTF-8), a date or nil",
                                     rt->outcomes[i].name,
                                     tv == -2 ? "string that is not UTF-8 (or holds a NUL byte)"
                                              : luaL_typename(L, -1)), NULL);
    lua_pop(L, 2);
    return DT_ESCRIPT;
  }
  lua_pop(L, 1);
  return 0;
}

/* ---- series ---- */

static dt_time_t series_time(lua_State *L, const dt_lrt_series_t *x, int k) {
  dt_lrt_dur_t d = { x->months * k, x->seconds * k };
  return dt__lrt_addur(L, x->first, d);
}

/* Schedules the next sample of series i: the next date on the grid, or the
 * stop date itself when the grid passes it. */
static int series_next(lua_State *L, dt_lrt_t *rt, int i, dt_time_t last) {
  dt_sim_t *sim = rt->sim;
  dt_lrt_series_t *x = &rt->series[i];
  dt_time_t t = series_time(L, x, x->k);
  if (sim->stop != DT_NEVER && t > sim->stop) {
    if (last >= sim->stop) return 0;
    t = sim->stop;
  }
  return dt_sim_schedule(sim, t, 100, DT_LRT_K_SERIES, NULL, i, NULL);
}

/* series(name, every, fn [, doc | {doc=}]) */
static int l_series(lua_State *L) {
  dt_lrt_t *rt = dt__lrt_get(L);
  dt_sim_t *sim = dt__lrt_sim(L);
  const char *name = check_name(L, 1, "series");
  if (!rt->scenario_called)
    return luaL_error(
        L, "series '%s': call scenario{} first (a series runs from its start to its stop)", name);
  dt_lrt_dur_t every = dt__lrt_checkdur(L, 2);
  if (every.months < 0 || every.seconds < 0 || (every.months == 0 && every.seconds < 86400))
    return luaL_error(L, "series '%s': the period must be at least days(1)", name);
  luaL_checktype(L, 3, LUA_TFUNCTION);
  const char *doc = NULL;
  if (lua_istable(L, 4)) {
    dt__lrt_checkfields(L, 4, &dt__lrt_f_series, lua_pushfstring(L, "series '%s'", name));
    lua_pop(L, 1);
    lua_getfield(L, 4, "doc"); doc = lua_tostring(L, -1);
  }
  else doc = dt__lrt_optstr(L, 4, NULL);
  for (int i = 0; i < rt->nseries; i++)
    if (strcmp(rt->series[i].name, name) == 0)
      return luaL_error(L, "series '%s' is declared twice", name);
  if (rt->nseries >= DT_LRT_SERIES_MAX)
    return luaL_error(L, "series '%s': at most %d series", name, DT_LRT_SERIES_MAX);
  if (!rt->series && !(rt->series = calloc(DT_LRT_SERIES_MAX, sizeof *rt->series)))
    return luaL_error(L, "series: out of memory");
  dt_lrt_series_t *x = &rt->series[rt->nseries];
  memset(x, 0, sizeof *x);
  x->name = dupstr(name); x->doc = dupstr(doc);
  if (!x->name || (doc && !x->doc)) {
    free(x->name);
    free(x->doc);
    return luaL_error(L, "series: out of memory");
  }
  x->months = every.months; x->seconds = every.seconds;
  x->first = sim->now;
  rt->nseries++;
  dt__lrt_getrun(L, "series_fns");
  lua_pushvalue(L, 3);
  lua_rawseti(L, -2, rt->nseries);
  if (series_next(L, rt, rt->nseries - 1, DT_NEVER)) return luaL_error(L, "series: out of memory");
  return 0;
}

int dt__lrt_series_fire(dt_lrt_t *rt, lua_State *L, const dt_qentry_t *e) {
  int i = (int)e->arg;
  if (i < 0 || i >= rt->nseries) return 0;
  dt_lrt_series_t *x = &rt->series[i];
  dt__lrt_getrun(L, "series_fns");
  lua_rawgeti(L, -1, i + 1);
  lua_remove(L, -2);
  int rc = dt__lrt_pcall(rt, L, 0, 1, "series");
  if (rc < 0) return rc;
  double v;
  if (lua_isnil(L, -1)) v = NAN;
  else if (lua_isboolean(L, -1)) v = lua_toboolean(L, -1);
  else if (lua_type(L, -1) == LUA_TNUMBER && isfinite(lua_tonumber(L, -1))) v = lua_tonumber(L, -1);
  else {
    dt__lrt_fail(rt,
                 lua_pushfstring(L,
                                 "series '%s' returned a %s; a series returns a finite "
                                 "number, a boolean or nil",
                                 x->name, luaL_typename(L, -1)),
                 NULL);
    lua_pop(L, 2);
    return DT_ESCRIPT;
  }
  lua_pop(L, 1);
  if (x->n >= DT_LRT_SAMPLES_MAX) {
    dt__lrt_fail(rt, lua_pushfstring(L, "series '%s': more than %d samples (a longer period?)",
                                     x->name, DT_LRT_SAMPLES_MAX), NULL);
    lua_pop(L, 1);
    return DT_ELIMIT;
  }
  if (x->n == x->cap) {
    int nc = x->cap ? x->cap * 2 : 32;
    dt_time_t *nt = realloc(x->t, sizeof *nt * (size_t)nc);
    if (nt) x->t = nt;
    double *nv = realloc(x->v, sizeof *nv * (size_t)nc);
    if (nv) x->v = nv;
    if (!nt || !nv) return DT_ENOMEM;
    x->cap = nc;
  }
  x->t[x->n] = rt->sim->now; x->v[x->n] = v; x->n++;
  x->k++;
  return series_next(L, rt, i, rt->sim->now);
}

/* print(...): to standard error, prefixed with the simulated date, so that it
 * never mixes with the timeline on standard output; silent in batches. */
static int l_print(lua_State *L) {
  dt_lrt_t *rt = dt__lrt_get(L);
  if (rt->quiet_print) return 0;
  char date[32] = "";
  dt_time_format(rt->sim->now, date, sizeof date);
  int n = lua_gettop(L);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (int i = 1; i <= n; i++) {
    if (i > 1) luaL_addchar(&b, '\t');
    dt__lrt_tostring(L, i);   /* pushed above the buffer: addvalue takes it */
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  fprintf(stderr, "[%s] %s\n", date, lua_tostring(L, -1));
  return 0;
}

void dt__open_scenario(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  lua_pushcfunction(L, l_scenario); lua_setfield(L, -2, "scenario");
  lua_pushcfunction(L, l_outcome); lua_setfield(L, -2, "outcome");
  lua_pushcfunction(L, l_series); lua_setfield(L, -2, "series");
  lua_pushcfunction(L, l_print); lua_setfield(L, -2, "print");
  lua_newuserdatauv(
      L, 0, 0); /* param: callable, indexable; not a table, so rawset cannot write into it */
  lua_newtable(L);
  lua_pushcfunction(L, l_param); lua_setfield(L, -2, "__call");
  lua_pushcfunction(L, param_index); lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, param_newindex); lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0); lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_setfield(L, -2, "param");
  lua_pop(L, 1);
}
