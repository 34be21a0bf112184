/* l_rng.c: the run's random stream for scripts (rng.*, math.random) and
 * distribution objects (dist.*) that params sample from. Every draw comes from
 * the sim's stream; parameters are validated here, the core assumes them. */
#include "lrt.h"
#include <math.h>
#include <string.h>

#define DIST_MT "detente.Dist"

enum { D_UNIFORM, D_NORMAL, D_LOGNORMAL, D_EXPONENTIAL, D_POISSON, D_BETA, D_GAMMA,
       D_TRIANGULAR, D_BERNOULLI, D_INT, D__COUNT };
/* The run's random stream; a precondition (a move's available()) may not draw. */
static dt_rng_t *rng_of(lua_State *L) {
  dt__lrt_impure(L, "draw random numbers");
  return &dt__lrt_sim(L)->rng;
}

static const char *const dnames[D__COUNT] = {
  "uniform", "normal", "lognormal", "exponential", "poisson", "beta", "gamma",
  "triangular", "bernoulli", "int"
};
typedef struct ldist { int kind; double p[3]; } ldist_t;

static double num(lua_State *L, int idx, const char *fn, const char *what) {
  if (lua_type(L, idx) != LUA_TNUMBER)
    luaL_error(L, "%s: %s must be a number, got %s", fn, what, luaL_typename(L, idx));
  double v = lua_tonumber(L, idx);
  if (!isfinite(v)) luaL_error(L, "%s: %s must be finite", fn, what);
  return v;
}

/* Reads and validates the parameters of a distribution from args at base.
 * [-0, +0, v] */
static ldist_t read_dist(lua_State *L, int kind, int base) {
  ldist_t d = { kind, { 0, 0, 0 } };
  const char *fn = dnames[kind];
  switch (kind) {
  case D_UNIFORM:
    d.p[0] = lua_isnoneornil(L, base) ? 0 : num(L, base, fn, "lower bound");
    d.p[1] = lua_isnoneornil(L, base + 1) ? 1 : num(L, base + 1, fn, "upper bound");
    if (d.p[1] < d.p[0])
      luaL_error(L, "uniform: upper bound %f is below lower bound %f", d.p[1], d.p[0]);
    break;
  case D_INT:
    d.p[0] = num(L, base, "int", "lo"); d.p[1] = num(L, base + 1, "int", "hi");
    if (d.p[0] != floor(d.p[0]) || d.p[1] != floor(d.p[1]) || d.p[1] < d.p[0])
      luaL_error(L, "int: needs whole numbers lo <= hi");
    /* Whole numbers a double holds exactly; beyond them the conversion to an
     * integer is undefined (found by fuzz_lua_api). */
    if (fabs(d.p[0]) > 9007199254740992.0 || fabs(d.p[1]) > 9007199254740992.0)
      luaL_error(L, "int: lo and hi must lie within -2^53 and 2^53");
    break;
  case D_NORMAL: case D_LOGNORMAL:
    d.p[0] = num(L, base, fn, kind == D_NORMAL ? "mean" : "mu");
    d.p[1] = num(L, base + 1, fn, kind == D_NORMAL ? "sd" : "sigma");
    if (d.p[1] < 0) luaL_error(L, "%s: the spread must be >= 0", fn);
    break;
  case D_EXPONENTIAL:
    d.p[0] = num(L, base, fn, "mean");
    if (!(d.p[0] > 0)) luaL_error(L, "exponential: the mean must be > 0");
    break;
  case D_POISSON:
    d.p[0] = num(L, base, fn, "lambda");
    if (d.p[0] < 0 || d.p[0] > 1e9) luaL_error(L, "poisson: lambda must be in [0, 1e9]");
    break;
  case D_BETA: case D_GAMMA:
    d.p[0] = num(L, base, fn, kind == D_BETA ? "alpha" : "shape");
    d.p[1] = num(L, base + 1, fn, kind == D_BETA ? "beta" : "scale");
    if (!(d.p[0] > 0) || !(d.p[1] > 0)) luaL_error(L, "%s: both parameters must be > 0", fn);
    break;
  case D_TRIANGULAR:
    d.p[0] = num(L, base, fn, "lo"); d.p[1] = num(L, base + 1, fn, "mode");
    d.p[2] = num(L, base + 2, fn, "hi");
    if (!(d.p[0] <= d.p[1] && d.p[1] <= d.p[2] && d.p[0] < d.p[2]))
      luaL_error(L, "triangular: needs lo <= mode <= hi and lo < hi, got %f, %f, %f", d.p[0],
                 d.p[1], d.p[2]);
    break;
  case D_BERNOULLI:
    d.p[0] = num(L, base, fn, "p");
    if (d.p[0] < 0 || d.p[0] > 1) luaL_error(L, "bernoulli: p must be in [0, 1], got %f", d.p[0]);
    break;
  default: break;
  }
  return d;
}

/* Draws from d and pushes the value. Shared with param sampling. [-0, +1, m] */
void dt__lrt_dist_push(lua_State *L, dt_rng_t *r, const void *dv) {
  const ldist_t *d = dv;
  switch (d->kind) {
  case D_UNIFORM: lua_pushnumber(L, dt_rng_uniform_range(r, d->p[0], d->p[1])); break;
  case D_INT: lua_pushinteger(L, dt_rng_int(r, (int64_t)d->p[0], (int64_t)d->p[1])); break;
  case D_NORMAL: lua_pushnumber(L, dt_rng_normal(r, d->p[0], d->p[1])); break;
  case D_LOGNORMAL: lua_pushnumber(L, dt_rng_lognormal(r, d->p[0], d->p[1])); break;
  case D_EXPONENTIAL: lua_pushnumber(L, dt_rng_exponential(r, d->p[0])); break;
  case D_POISSON: lua_pushinteger(L, dt_rng_poisson(r, d->p[0])); break;
  case D_BETA: lua_pushnumber(L, dt_rng_beta(r, d->p[0], d->p[1])); break;
  case D_GAMMA: lua_pushnumber(L, dt_rng_gamma(r, d->p[0], d->p[1])); break;
  case D_TRIANGULAR: lua_pushnumber(L, dt_rng_triangular(r, d->p[0], d->p[1], d->p[2])); break;
  case D_BERNOULLI: lua_pushboolean(L, dt_rng_bernoulli(r, d->p[0])); break;
  default: lua_pushnil(L);
  }
}

void dt__lrt_dist_push_q(lua_State *L, const void *dv, double u) {
  const ldist_t *d = dv;
  switch (d->kind) {
  case D_UNIFORM: lua_pushnumber(L, d->p[0] + (d->p[1] - d->p[0]) * u); break;
  case D_INT: lua_pushinteger(L, dt_rng_q_int(u, (int64_t)d->p[0], (int64_t)d->p[1])); break;
  case D_NORMAL: lua_pushnumber(L, dt_rng_q_normal(u, d->p[0], d->p[1])); break;
  case D_LOGNORMAL: lua_pushnumber(L, dt_rng_q_lognormal(u, d->p[0], d->p[1])); break;
  case D_EXPONENTIAL: lua_pushnumber(L, dt_rng_q_exponential(u, d->p[0])); break;
  case D_POISSON: lua_pushinteger(L, dt_rng_q_poisson(u, d->p[0])); break;
  case D_BETA: lua_pushnumber(L, dt_rng_q_beta(u, d->p[0], d->p[1])); break;
  case D_GAMMA: lua_pushnumber(L, dt_rng_q_gamma(u, d->p[0], d->p[1])); break;
  case D_TRIANGULAR: lua_pushnumber(L, dt_rng_q_triangular(u, d->p[0], d->p[1], d->p[2])); break;
  case D_BERNOULLI: lua_pushboolean(L, u < d->p[0]); break;
  default: lua_pushnil(L);
  }
}

int dt__lrt_dist_whole(const void *dv) {
  const ldist_t *d = dv;
  return d->kind == D_INT || d->kind == D_POISSON;
}

/* The bounds of a distribution with finite support: 1, or 0 when it has none. */
int dt__lrt_dist_bounds(const void *dv, double *lo, double *hi) {
  const ldist_t *d = dv;
  switch (d->kind) {
  case D_UNIFORM: case D_INT: *lo = d->p[0]; *hi = d->p[1]; return 1;
  case D_TRIANGULAR: *lo = d->p[0]; *hi = d->p[2]; return 1;
  case D_BETA: *lo = 0; *hi = 1; return 1;
  default: return 0;
  }
}

const void *dt__lrt_testdist(lua_State *L, int idx) { return luaL_testudata(L, idx, DIST_MT); }

static int draw_kind(lua_State *L, int kind) {
  ldist_t d = read_dist(L, kind, 1);
  dt__lrt_dist_push(L, rng_of(L), &d);
  return 1;
}

static int draw(lua_State *L) { return draw_kind(L, (int)lua_tointeger(L, lua_upvalueindex(1))); }

/* The hot draws of a model loop, as light C functions (no upvalue to read)
 * that skip building a distribution: the same calls on the stream as
 * read_dist's path, so the same numbers. */
static int draw_uniform(lua_State *L) {
  if (lua_gettop(L) == 0) {   /* uniform(): read_dist's 0 and 1 */
    lua_pushnumber(L, dt_rng_uniform_range(rng_of(L), 0, 1));
    return 1;
  }
  return draw_kind(L, D_UNIFORM);
}

static int draw_exponential(lua_State *L) {
  if (lua_gettop(L) == 1 && lua_type(L, 1) == LUA_TNUMBER) {
    double m = lua_tonumber(L, 1);
    if (m > 0 && isfinite(m)) {
      lua_pushnumber(L, dt_rng_exponential(rng_of(L), m));
      return 1;
    }
  }
  return draw_kind(L, D_EXPONENTIAL);
}

static int make(lua_State *L) {
  int kind = (int)lua_tointeger(L, lua_upvalueindex(1));
  ldist_t d = read_dist(L, kind, 1);
  ldist_t *u = lua_newuserdatauv(L, sizeof *u, 0);
  *u = d;
  luaL_setmetatable(L, DIST_MT);
  return 1;
}

static int dist_sample(lua_State *L) {
  ldist_t *d = luaL_checkudata(L, 1, DIST_MT);
  dt__lrt_dist_push(L, rng_of(L), d);
  return 1;
}

static int dist_tostring(lua_State *L) {
  ldist_t *d = luaL_checkudata(L, 1, DIST_MT);
  switch (d->kind) {
  case D_TRIANGULAR: lua_pushfstring(L, "triangular(%f, %f, %f)", d->p[0], d->p[1], d->p[2]); break;
  case D_EXPONENTIAL: case D_POISSON: case D_BERNOULLI:
    lua_pushfstring(L, "%s(%f)", dnames[d->kind], d->p[0]); break;
  default: lua_pushfstring(L, "%s(%f, %f)", dnames[d->kind], d->p[0], d->p[1]);
  }
  return 1;
}

/* rng.weighted(items, weights) -> item; the arrays keep order stable. */
static int r_weighted(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
  if (n < 1 || n > 4096) return luaL_error(L, "rng.weighted: 1 to 4096 items");
  if ((lua_Integer)lua_rawlen(L, 2) != n)
    return luaL_error(L, "rng.weighted: %I items but %I weights", n, (lua_Integer)lua_rawlen(L, 2));
  double w[4096], sum = 0;
  for (lua_Integer i = 1; i <= n; i++) {
    /* a hole in the items is a misspelt name, never an item to draw */
    if (lua_rawgeti(L, 1, i) == LUA_TNIL)
      return luaL_error(L, "rng.weighted: item %I is nil (a misspelt or undefined variable?)", i);
    lua_pop(L, 1);
    lua_rawgeti(L, 2, i);
    w[i - 1] = lua_tonumber(L, -1);
    if (lua_type(L, -1) != LUA_TNUMBER || !(w[i - 1] >= 0) || !isfinite(w[i - 1]))
      return luaL_error(L, "rng.weighted: weight %I must be a number >= 0", i);
    sum += w[i - 1];
    lua_pop(L, 1);
  }
  if (!(sum > 0)) return luaL_error(L, "rng.weighted: the weights must not all be zero");
  size_t k = dt_rng_weighted(rng_of(L), w, (size_t)n);
  lua_rawgeti(L, 1, (lua_Integer)k + 1);
  return 1;
}

static int r_choice(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
  if (n < 1) return luaL_error(L, "rng.choice: the list is empty");
  lua_Integer k = dt_rng_int(rng_of(L), 1, n);
  if (lua_rawgeti(L, 1, k) == LUA_TNIL)   /* checked where drawn: O(1) */
    return luaL_error(L, "rng.choice: the list has nil at position %I (a misspelt or undefined "
                         "variable?)", k);
  return 1;
}

/* math.random with Lua's own signature, drawing from the run's stream. */
static int m_random(lua_State *L) {
  dt_rng_t *r = rng_of(L);
  switch (lua_gettop(L)) {
  case 0: lua_pushnumber(L, dt_rng_uniform(r)); return 1;
  case 1: {
    lua_Integer hi = luaL_checkinteger(L, 1);
    luaL_argcheck(L, hi >= 1, 1, "interval is empty");
    lua_pushinteger(L, dt_rng_int(r, 1, hi));
    return 1;
  }
  default: {
    lua_Integer lo = luaL_checkinteger(L, 1), hi = luaL_checkinteger(L, 2);
    luaL_argcheck(L, lo <= hi, 2, "interval is empty");
    lua_pushinteger(L, dt_rng_int(r, lo, hi));
    return 1;
  }
  }
}

static int r_bernoulli_bool(lua_State *L) { return draw(L); }

void dt__open_rng(lua_State *L) {
  luaL_newmetatable(L, DIST_MT);
  lua_newtable(L);
  lua_pushcfunction(L, dist_sample); lua_setfield(L, -2, "sample");
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, dist_tostring); lua_setfield(L, -2, "__tostring");
  lua_pop(L, 1);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  lua_newtable(L);   /* rng */
  lua_newtable(L);   /* dist */
  for (int k = 0; k < D__COUNT; k++) {
    if (k == D_UNIFORM) lua_pushcfunction(L, draw_uniform);
    else if (k == D_EXPONENTIAL) lua_pushcfunction(L, draw_exponential);
    else {
      lua_pushinteger(L, k);
      lua_pushcclosure(L, k == D_BERNOULLI ? r_bernoulli_bool : draw, 1);
    }
    lua_setfield(L, -3, dnames[k]);
    lua_pushinteger(L, k); lua_pushcclosure(L, make, 1);
    lua_setfield(L, -2, dnames[k]);
  }
  lua_setfield(L, -3, "dist");
  lua_pushcfunction(L, r_weighted); lua_setfield(L, -2, "weighted");
  lua_pushcfunction(L, r_choice); lua_setfield(L, -2, "choice");
  lua_setfield(L, -2, "rng");
  lua_getfield(L, -1, "math");
  lua_pushcfunction(L, m_random); lua_setfield(L, -2, "random");
  lua_pop(L, 2);
}
