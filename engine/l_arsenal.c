/* l_arsenal.c: bindings for arsenal systems, warhead stockpiles, gradual
 * changes and metrics (core: arsenal.c); they join the State methods that
 * l_state.c registers. Each function checks its arguments, calls the core and
 * pushes the result; misuse raises an error that names the object. */
#include "l_fields.h"
#include <math.h>
#include <string.h>

/* ---- systems ----------------------------------------------------------------- */

static int system_add(lua_State *L, dt_state_t *s) {
  dt_sim_t *sim = dt__lrt_sim(L);
  char ctx[160];
  dt__lrt_checkfields(L, 2, &dt__lrt_f_system, NULL);
  const char *name = dt__lrt_reqfield_str(L, 2, "name", "system");
  snprintf(ctx, sizeof ctx, "%s system '%s'", s->id, name);
  const char *cat = dt__lrt_reqfield_str(L, 2, "category", ctx);
  int c = dt_category_intern(sim, cat);
  if (c < 0) return luaL_error(L, "%s: too many weapon categories (64 at most)", ctx);
  int64_t dep = dt__lrt_optfield_count(L, 2, "deployed", 0, ctx);
  int64_t nd = dt__lrt_optfield_count(L, 2, "nondeployed", 0, ctx);
  int64_t cap = dt__lrt_optfield_count(L, 2, "capacity", 0, ctx);
  int64_t wh;
  int has_w = lua_getfield(L, 2, "warheads") != LUA_TNIL;
  lua_pop(L, 1);
  int has_pl = lua_getfield(L, 2, "per_launcher") != LUA_TNIL;
  lua_pop(L, 1);
  int has_pm = lua_getfield(L, 2, "per_missile") != LUA_TNIL;
  lua_pop(L, 1);
  int64_t mpl = dt__lrt_optfield_count(L, 2, "missiles_per_launcher", 1, ctx);
  if (mpl < 1 || mpl > DT_CAPACITY_MAX)
    return luaL_error(L, "%s: 'missiles_per_launcher' must be 1 to 10^6", ctx);
  int64_t reloads = dt__lrt_optfield_count(L, 2, "reloads", 0, ctx);
  if (reloads > DT_COUNT_MAX) return luaL_error(L, "%s: 'reloads' is bounded by 10^12", ctx);
  double range = 0;
  if (lua_getfield(L, 2, "range") != LUA_TNIL) {
    range = lua_tonumber(L, -1);
    if (lua_type(L, -1) != LUA_TNUMBER || !(range >= 0) || !isfinite(range))
      return luaL_error(L, "%s: 'range' must be a number of km >= 0", ctx);
  }
  lua_pop(L, 1);
  int basing = DT_BASE_UNKNOWN;
  const char *bs = dt__lrt_optfield_str(L, 2, "basing", ctx);
  if (bs && (basing = dt_basing_parse(bs)) < 0)
    return luaL_error(L, "%s: unknown basing '%s' (ground, sea, air or unknown)", ctx, bs);
  if (has_w + has_pl + has_pm > 1)
    return luaL_error(L, "%s: give one of 'warheads' (a total), 'per_launcher' or 'per_missile'",
                      ctx);
  if (has_pm) {
    int64_t pm = dt__lrt_optfield_count(L, 2, "per_missile", 0, ctx);
    if (dep > DT_COUNT_MAX || pm > DT_CAPACITY_MAX || pm * mpl > DT_CAPACITY_MAX)
      return luaL_error(L, "%s: counts are bounded by 10^12 and capacity by 10^6 per launcher",
                        ctx);
    wh = dep * mpl * pm;
  } else if (has_pl) {
    int64_t pl = dt__lrt_optfield_count(L, 2, "per_launcher", 0, ctx);
    if (dep > DT_COUNT_MAX || pl > DT_CAPACITY_MAX)
      return luaL_error(L, "%s: counts are bounded by 10^12 and capacity by 10^6 per launcher",
                        ctx);
    wh = dep * pl;
  }
  else wh = dt__lrt_optfield_count(L, 2, "warheads", 0, ctx);
  int acc = 1;
  if (lua_getfield(L, 2, "accountable") != LUA_TNIL) acc = lua_toboolean(L, -1);
  lua_pop(L, 1);
  dt_system_t *y;
  int rc = dt_system_add(sim, s, name, c, dep, nd, wh, cap, acc, &y);
  if (rc == DT_EEXIST) return luaL_error(L, "%s: already in the arsenal", ctx);
  if (rc == DT_ERANGE &&
      (dep > DT_COUNT_MAX || nd > DT_COUNT_MAX || wh > DT_COUNT_MAX || cap > DT_CAPACITY_MAX))
    return luaL_error(L, "%s: counts are bounded by 10^12 and capacity by 10^6 per launcher", ctx);
  if (rc == DT_ERANGE)
    return luaL_error(L, "%s: %I warheads do not fit on %I deployed launchers%s", ctx,
                      (lua_Integer)wh, (lua_Integer)dep,
                      cap ? lua_pushfstring(L, " carrying at most %I each", (lua_Integer)cap) : "");
  if (rc < 0) return dt__lrt_raise(L, ctx, rc);
  y->per_launcher_missiles = mpl; y->reloads = reloads; y->range_km = range; y->basing = basing;
  /* A new row may put a bound party over a limit (a banned system declared
   * after the treaty): the treaties look at the state again. */
  rc = dt__treaty_recheck_state(sim, s->index);
  dt__lrt_check(L);
  if (rc < 0) return dt__lrt_raise(L, ctx, rc);
  dt__lrt_pushhandle(L, DT_LRT_H_SYSTEM, y);
  dt__lrt_set_attrs(L, -1, 2, ctx);
  return 1;
}

/* state:system{...} adds a row; state:system("name") finds one. */
static int state_system(lua_State *L) {
  dt_state_t *s = dt__lrt_checkhandle(L, 1, DT_LRT_H_STATE);
  if (lua_istable(L, 2)) return system_add(L, s);
  const char *name = dt__lrt_checkstr(L, 2);
  dt_system_t *y = dt_system_find(s, name);
  if (!y) return luaL_error(L, "%s has no system '%s'", s->id, name);
  dt__lrt_pushhandle(L, DT_LRT_H_SYSTEM, y);
  return 1;
}

static int state_systems(lua_State *L) {
  dt_state_t *s = dt__lrt_checkhandle(L, 1, DT_LRT_H_STATE);
  lua_createtable(L, s->nsystems, 0);
  for (int i = 0; i < s->nsystems; i++) {
    dt__lrt_pushhandle(L, DT_LRT_H_SYSTEM, s->systems[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

int dt__lrt_checkmetric(lua_State *L, int idx) {
  dt_sim_t *sim = dt__lrt_sim(L);
  const char *name = dt__lrt_checkstr(L, idx);
  int m = dt_metric_find(sim, name);
  if (m < 0) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_pushfstring(L, "unknown metric '%s' (defined:", name);
    luaL_addvalue(&b);
    for (int i = 0; i < sim->nmetrics; i++) {
      luaL_addchar(&b, ' ');
      luaL_addstring(&b, sim->metrics[i].name);
    }
    if (!sim->nmetrics) luaL_addstring(&b, " none");
    luaL_addchar(&b, ')');
    luaL_pushresult(&b);
    luaL_argerror(L, idx, lua_tostring(L, -1));
  }
  return m;
}

void dt__lrt_pushcount(lua_State *L, double v) {
  if (v == floor(v) && fabs(v) < 9e15) lua_pushinteger(L, (lua_Integer)v);
  else lua_pushnumber(L, v);
}

/* Evaluates metric m for s and pushes the value. [-0, +1, e] */
int dt__lrt_push_metric(lua_State *L, int m, const dt_state_t *s) {
  double v;
  int rc = dt_metric_eval(dt__lrt_sim(L), m, s, &v);
  dt__lrt_check(L);
  if (rc < 0) return dt__lrt_raise(L, "count", rc);
  dt__lrt_pushcount(L, v);
  return 1;
}

/* state:count("metric") -> value */
static int state_count(lua_State *L) {
  dt_state_t *s = dt__lrt_checkhandle(L, 1, DT_LRT_H_STATE);
  return dt__lrt_push_metric(L, dt__lrt_checkmetric(L, 2), s);
}

static int parse_qty(lua_State *L, int idx) {
  const char *s = dt__lrt_checkstr(L, idx);
  int q = dt_qty_parse(s);
  if (q < 0)
    luaL_argerror(L, idx,
                  lua_pushfstring(L,
                                  "unknown count '%s' (deployed, nondeployed, launchers, "
                                  "warheads, missiles, deployed_missiles or reloads)",
                                  s));
  return q;
}

/* Reads a category list ("*", "ICBM", or {"ICBM", "SLBM"}) into a mask. */
static uint64_t parse_cats(lua_State *L, int idx) {
  dt_sim_t *sim = dt__lrt_sim(L);
  if (lua_isnoneornil(L, idx)) return ~(uint64_t)0;
  if (lua_type(L, idx) == LUA_TSTRING) {
    const char *c = lua_tostring(L, idx);
    if (strcmp(c, "*") == 0) return ~(uint64_t)0;
    int i = dt_category_intern(sim, c);
    if (i < 0) luaL_error(L, "too many weapon categories (64 at most)");
    return (uint64_t)1 << i;
  }
  luaL_checktype(L, idx, LUA_TTABLE);
  uint64_t m = 0;
  lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
  if (n == 0) luaL_argerror(L, idx, "empty category list");
  dt__lrt_checklist(L, idx, "categories", "categories", "category names", 1, 64);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, idx, i);
    const char *c = lua_tostring(L, -1);
    if (!c) luaL_argerror(L, idx, "category names must be strings");
    int k = dt_category_intern(sim, c);
    if (k < 0) luaL_error(L, "too many weapon categories (64 at most)");
    m |= (uint64_t)1 << k;
    lua_pop(L, 1);
  }
  return m;
}

/* state:quantity("warheads" [, categories [, accountable_only]]) */
static int state_quantity(lua_State *L) {
  dt_state_t *s = dt__lrt_checkhandle(L, 1, DT_LRT_H_STATE);
  int q = parse_qty(L, 2);
  uint64_t cats = parse_cats(L, 3);
  lua_pushinteger(L, dt_arsenal_qty(s, q, cats, lua_toboolean(L, 4)));
  return 1;
}

/* ---- the warhead stockpile ---- */

/* state:set_stockpile{ reserve = n, awaiting_dismantlement = n } starts tracking
 * the stockpile: uploads then draw on the reserve. */
static int state_set_stockpile(lua_State *L) {
  dt_state_t *s = dt__lrt_checkhandle(L, 1, DT_LRT_H_STATE);
  luaL_checktype(L, 2, LUA_TTABLE);
  dt__lrt_checkfields(L, 2, &dt__lrt_f_stockpile, NULL);
  char ctx[96];
  snprintf(ctx, sizeof ctx, "%s stockpile", s->id);
  int64_t r = dt__lrt_optfield_count(L, 2, "reserve", 0, ctx);
  int64_t a = dt__lrt_optfield_count(L, 2, "awaiting_dismantlement", 0, ctx);
  if (dt_stockpile_set(dt__lrt_sim(L), s, r, a) < 0)
    return luaL_error(L, "%s: counts are bounded by 10^12", ctx);
  return 0;
}

/* state:stockpile() -> { deployed=, reserve=, awaiting_dismantlement=, stockpile=, inventory= } or
 * nil */
static int state_stockpile(lua_State *L) {
  dt_state_t *s = dt__lrt_checkhandle(L, 1, DT_LRT_H_STATE);
  if (!s->stockpile) { lua_pushnil(L); return 1; }
  int64_t d = dt_stockpile_deployed(s);
  lua_createtable(L, 0, 5);
  lua_pushinteger(L, d); lua_setfield(L, -2, "deployed");
  lua_pushinteger(L, s->reserve); lua_setfield(L, -2, "reserve");
  lua_pushinteger(L, s->awaiting); lua_setfield(L, -2, "awaiting_dismantlement");
  lua_pushinteger(L, d + s->reserve); lua_setfield(L, -2, "stockpile");
  lua_pushinteger(L, d + s->reserve + s->awaiting); lua_setfield(L, -2, "inventory");
  return 1;
}

/* Reads the rate of a gradual change: {per_day = x} | {per_month = x} | {per_year = x}. */
static double rate_of(lua_State *L, int t, int *has) {
  static const struct { const char *k; double days; } u[] = {
    { "per_day", 1 }, { "per_week", 7 }, { "per_month", 365.2425 / 12 }, { "per_year", 365.2425 }
  };
  *has = 0;
  double r = 0;
  for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) {
    if (lua_getfield(L, t, u[i].k) != LUA_TNIL) {
      lua_Number v = lua_tonumber(L, -1);
      if (*has)
        luaL_error(L, "give one rate (per_day, per_week, per_month or per_year), not several");
      if (!(v > 0) || !isfinite(v)) luaL_error(L, "rate '%s' must be a number > 0", u[i].k);
      r = v / u[i].days;
      *has = 1;
    }
    lua_pop(L, 1);
  }
  return r;
}

/* The arguments of an operation on a system or a stockpile: the count at 2
 * (what names it in errors: "<who>: <op> count") and an optional rate at 3, a
 * table with one of per_day, per_week, per_month or per_year (an unknown field
 * there is named after "<who>: <op>"). Returns 1 with *per_day set when the
 * change is gradual, 0 when it happens at once. */
static int op_args(lua_State *L, const char *what, int64_t *n, double *per_day) {
  *n = dt__lrt_checkcount(L, 2, what);
  if (*n > DT_COUNT_MAX)
    luaL_error(L, "%s %I is above the engine's bound of 10^12", what, (lua_Integer)*n);
  *per_day = 0;
  if (lua_isnoneornil(L, 3)) return 0;
  luaL_checktype(L, 3, LUA_TTABLE);
  size_t len = strlen(what);
  lua_pushlstring(L, what, len > 6 ? len - 6 : len);   /* without " count" */
  dt__lrt_checkfields(L, 3, &dt__lrt_f_rate, lua_tostring(L, -1));
  lua_pop(L, 1);
  int gradual;
  *per_day = rate_of(L, 3, &gradual);
  return gradual;
}

/* Pushes the gradual change just scheduled (rc from the core, what names it). */
static int push_change(lua_State *L, int rc, dt_change_t *c, const char *what) {
  dt__lrt_check(L);
  if (rc < 0) return dt__lrt_raise(L, what, rc);
  dt__lrt_pushhandle(L, DT_LRT_H_CHANGE, c);
  return 1;
}

static int stock_op(lua_State *L, int op) {
  dt_state_t *s = dt__lrt_checkhandle(L, 1, DT_LRT_H_STATE);
  dt_sim_t *sim = dt__lrt_sim(L);
  if (!s->stockpile)
    return luaL_error(L, "%s stockpile: not tracked (call %s:set_stockpile{ reserve = n } first)",
                      s->id, s->id);
  char what[160];
  snprintf(what, sizeof what, "%s stockpile: %s count", s->id, dt_stock_op_name(op));
  int64_t n;
  double per_day;
  if (op_args(L, what, &n, &per_day)) {
    dt_change_t *c = NULL;
    int rc = dt_stockpile_schedule(sim, s, op, n, per_day, &c);
    return push_change(L, rc, c, what);
  }
  int rc = dt_stockpile_change_now(sim, s, op, n);
  dt__lrt_check(L);
  if (rc == DT_ERANGE)
    return luaL_error(L, "%s stockpile: cannot %s %I: %s", s->id, dt_stock_op_name(op),
                      (lua_Integer)n,
                      op == DT_SOP_DISMANTLE
                          ? lua_pushfstring(L, "only %I warheads await dismantlement",
                                            (lua_Integer)s->awaiting)
                      : op == DT_SOP_RETIRE ? lua_pushfstring(L, "only %I warheads are in reserve",
                                                              (lua_Integer)s->reserve)
                                            : "the count would pass 10^12");
  if (rc < 0) return dt__lrt_raise(L, what, rc);
  lua_settop(L, 1);
  return 1;
}
static int state_produce_warheads(lua_State *L) { return stock_op(L, DT_SOP_PRODUCE); }
static int state_retire_warheads(lua_State *L) { return stock_op(L, DT_SOP_RETIRE); }
static int state_dismantle(lua_State *L) { return stock_op(L, DT_SOP_DISMANTLE); }

/* ---- system methods ---- */

static int system_get(lua_State *L, void *obj, const char *k) {
  dt_system_t *y = obj;
  dt_sim_t *sim = dt__lrt_sim(L);
  if (strcmp(k, "name") == 0) lua_pushstring(L, y->name);
  else if (strcmp(k, "category") == 0) lua_pushstring(L, sim->cats[y->category]);
  else if (strcmp(k, "deployed") == 0) lua_pushinteger(L, y->deployed);
  else if (strcmp(k, "nondeployed") == 0) lua_pushinteger(L, y->nondeployed);
  else if (strcmp(k, "launchers") == 0) lua_pushinteger(L, y->deployed + y->nondeployed);
  else if (strcmp(k, "warheads") == 0) lua_pushinteger(L, y->warheads);
  else if (strcmp(k, "capacity") == 0) lua_pushinteger(L, y->capacity);
  else if (strcmp(k, "accountable") == 0) lua_pushboolean(L, y->accountable);
  else if (strcmp(k, "per_launcher") == 0)
    lua_pushnumber(L, y->deployed ? (double)y->warheads / (double)y->deployed : 0.0);
  else if (strcmp(k, "missiles_per_launcher") == 0) lua_pushinteger(L, y->per_launcher_missiles);
  else if (strcmp(k, "reloads") == 0) lua_pushinteger(L, y->reloads);
  else if (strcmp(k, "missiles") == 0)
    lua_pushinteger(L, y->deployed * y->per_launcher_missiles + y->reloads);
  else if (strcmp(k, "deployed_missiles") == 0)
    lua_pushinteger(L, y->deployed * y->per_launcher_missiles);
  else if (strcmp(k, "range") == 0) {
    if (y->range_km > 0) lua_pushnumber(L, y->range_km);
    else lua_pushnil(L);
  } else if (strcmp(k, "basing") == 0) lua_pushstring(L, dt_basing_name(y->basing));
  else if (strcmp(k, "state") == 0) dt__lrt_pushhandle(L, DT_LRT_H_STATE, sim->states[y->state]);
  else return 0;
  return 1;
}
static const dt_lrt_getter_t system_getter = {
  system_get, (const char *const[]){ "name", "category", "deployed", "nondeployed", "launchers",
                                     "warheads", "capacity", "accountable", "per_launcher",
                                     "missiles_per_launcher", "reloads", "missiles",
                                     "deployed_missiles", "range", "basing", "state", NULL }
};

static int system_tostring(lua_State *L) {
  dt_system_t *y = dt__lrt_checkhandle(L, 1, DT_LRT_H_SYSTEM);
  dt_sim_t *sim = dt__lrt_sim(L);
  lua_pushfstring(L, "%s %s (%s): %I deployed, %I non-deployed, %I warheads",
                  sim->states[y->state]->id, y->name, sim->cats[y->category],
                  (lua_Integer)y->deployed, (lua_Integer)y->nondeployed, (lua_Integer)y->warheads);
  return 1;
}

static int system_op(lua_State *L, int op) {
  dt_system_t *y = dt__lrt_checkhandle(L, 1, DT_LRT_H_SYSTEM);
  dt_sim_t *sim = dt__lrt_sim(L);
  char what[200];
  snprintf(what, sizeof what, "%s %s: %s count", sim->states[y->state]->id, y->name,
           dt_arsenal_op_name(op));
  int64_t n;
  double per_day;
  if (op_args(L, what, &n, &per_day)) {
    dt_change_t *c = NULL;
    int rc = dt_arsenal_schedule(sim, y, op, n, per_day, &c);
    return push_change(L, rc, c, what);
  }
  int rc = dt_arsenal_change_now(sim, y, op, n);
  dt__lrt_check(L);
  if (rc == DT_ERANGE) {
    const char *why;
    switch (op) {
    case DT_OP_UPLOAD:
      if (sim->states[y->state]->stockpile && y->deployed > 0 &&
          (y->capacity == 0 || y->warheads + n <= y->deployed * y->capacity)) {
        why = lua_pushfstring(L, "only %I warheads are in reserve",
                              (lua_Integer)sim->states[y->state]->reserve);
        break;
      }
      why = y->deployed == 0 ? "no deployed launchers to carry them"
                             : lua_pushfstring(L, "capacity is %I warheads (%I launchers x %I)",
                                               (lua_Integer)y->deployed * (lua_Integer)y->capacity,
                                               (lua_Integer)y->deployed, (lua_Integer)y->capacity);
      break;
    case DT_OP_DOWNLOAD:
      why = lua_pushfstring(L, "only %I warheads are deployed", (lua_Integer)y->warheads);
      break;
    case DT_OP_UNDEPLOY:
      why = lua_pushfstring(L, "only %I launchers are deployed", (lua_Integer)y->deployed);
      break;
    case DT_OP_ELIMINATE:
      why = lua_pushfstring(L, "only %I reload missiles are held", (lua_Integer)y->reloads);
      break;
    case DT_OP_PRODUCE: why = "the count would pass 10^12"; break;
    default:
      why = lua_pushfstring(L, "only %I launchers are non-deployed", (lua_Integer)y->nondeployed);
      break;
    }
    return luaL_error(L, "%s %s: cannot %s %I: %s (counts never go negative)",
                      sim->states[y->state]->id, y->name, dt_arsenal_op_name(op), (lua_Integer)n,
                      why);
  }
  if (rc < 0) return dt__lrt_raise(L, what, rc);
  lua_settop(L, 1);
  return 1;
}
static int sys_deploy(lua_State *L) { return system_op(L, DT_OP_DEPLOY); }
static int sys_undeploy(lua_State *L) { return system_op(L, DT_OP_UNDEPLOY); }
static int sys_upload(lua_State *L) { return system_op(L, DT_OP_UPLOAD); }
static int sys_download(lua_State *L) { return system_op(L, DT_OP_DOWNLOAD); }
static int sys_build(lua_State *L) { return system_op(L, DT_OP_BUILD); }
static int sys_retire(lua_State *L) { return system_op(L, DT_OP_RETIRE); }
static int sys_produce(lua_State *L) { return system_op(L, DT_OP_PRODUCE); }
static int sys_eliminate(lua_State *L) { return system_op(L, DT_OP_ELIMINATE); }

/* ---- changes ---- */

static int change_get(lua_State *L, void *obj, const char *k) {
  dt_change_t *c = obj;
  if (strcmp(k, "done") == 0) lua_pushinteger(L, c->done);
  else if (strcmp(k, "total") == 0) lua_pushinteger(L, c->total);
  else if (strcmp(k, "active") == 0) lua_pushboolean(L, c->active);
  else if (strcmp(k, "op") == 0)
    lua_pushstring(L, c->system < 0 ? dt_stock_op_name(c->op) : dt_arsenal_op_name(c->op));
  else if (strcmp(k, "reason") == 0) {
    if (c->reason) lua_pushstring(L, c->reason);
    else lua_pushnil(L);
  } else return 0;
  return 1;
}
static const dt_lrt_getter_t change_getter = {
  change_get, (const char *const[]){ "done", "total", "active", "op", "reason", NULL } };

static int change_tostring(lua_State *L) {
  dt_change_t *c = dt__lrt_checkhandle(L, 1, DT_LRT_H_CHANGE);
  lua_pushfstring(L, "Change(%s %I/%I%s)",
                  c->system < 0 ? dt_stock_op_name(c->op) : dt_arsenal_op_name(c->op),
                  (lua_Integer)c->done, (lua_Integer)c->total, c->active ? "" : ", stopped");
  return 1;
}

static int change_cancel(lua_State *L) {
  dt_change_t *c = dt__lrt_checkhandle(L, 1, DT_LRT_H_CHANGE);
  int rc = dt_change_cancel(dt__lrt_sim(L), c);
  dt__lrt_check(L);
  lua_pushboolean(L, rc == 0);
  return 1;
}

/* ---- metrics ---------------------------------------------------------------- */

/* metric{ name=, doc=, terms = { {categories=..., count=..., weight=, accountable=} } }
 * or metric{ name=, doc=, fn = function(state) return n end } */
static int l_metric(lua_State *L) {
  dt_sim_t *sim = dt__lrt_sim(L);
  if (lua_type(L, 1) == LUA_TSTRING) {   /* metric(name): is it defined? */
    int m = dt_metric_find(sim, lua_tostring(L, 1));
    if (m < 0) lua_pushnil(L);
    else lua_pushstring(L, sim->metrics[m].doc ? sim->metrics[m].doc : sim->metrics[m].name);
    return 1;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  dt__lrt_checkfields(L, 1, &dt__lrt_f_metric, NULL);
  const char *name = dt__lrt_reqfield_str(L, 1, "name", "metric");
  const char *doc = dt__lrt_optfield_str(L, 1, "doc", "metric");
  char ctx[160];
  snprintf(ctx, sizeof ctx, "metric '%s'", name);
  int ref = 0, nterms = 0;
  dt_metric_term_t terms[16];
  if (lua_getfield(L, 1, "fn") == LUA_TFUNCTION) ref = dt__lrt_ref(L, -1);
  else if (!lua_isnil(L, -1)) return luaL_error(L, "%s: 'fn' must be a function", ctx);
  lua_pop(L, 1);
  int tt = lua_getfield(L, 1, "terms");
  if (tt == LUA_TUSERDATA && dt__lrt_unview(L, -1)) tt = LUA_TTABLE;   /* read in C only */
  if (tt == LUA_TTABLE) {
    if (ref) return luaL_error(L, "%s: give 'terms' or 'fn', not both", ctx);
    int t = lua_gettop(L);
    lua_Integer n = dt__lrt_checklist(L, t, ctx, "terms", "terms", 1, 16);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, t, i);
      int e = lua_gettop(L);
      if (!lua_istable(L, e)) return luaL_error(L, "%s: term %d is not a table", ctx, (int)i);
      dt__lrt_checkfields(L, e, &dt__lrt_f_term, lua_pushfstring(L, "%s: term %d", ctx, (int)i));
      lua_pop(L, 1);
      dt_metric_term_t *m = &terms[nterms++];
      memset(m, 0, sizeof *m);
      if (lua_getfield(L, e, "range") != LUA_TNIL) {
        int r = lua_gettop(L);
        if (!lua_istable(L, r))
          return luaL_error(L, "%s: term %d: range must be {min_km, max_km}", ctx, (int)i);
        lua_rawgeti(L, r, 1); lua_rawgeti(L, r, 2);
        lua_Number lo = lua_tonumber(L, -2), hi = lua_tonumber(L, -1);
        if (lua_type(L, -2) != LUA_TNUMBER || lua_type(L, -1) != LUA_TNUMBER || !(lo >= 0) ||
            !(hi >= lo) || !isfinite(hi))
          return luaL_error(L, "%s: term %d: range must be {min_km, max_km} with 0 <= min <= max",
                            ctx, (int)i);
        m->range_min = lo; m->range_max = hi;
        if (hi == 0) return luaL_error(L, "%s: term %d: range max must be above 0", ctx, (int)i);
        lua_pop(L, 2);
      }
      lua_pop(L, 1);
      int bt = lua_getfield(L, e, "basing");
      if (bt == LUA_TSTRING || bt == LUA_TTABLE) {
        int n2 = bt == LUA_TSTRING ? 1 : (int)lua_rawlen(L, -1);
        for (int j = 1; j <= n2; j++) {
          if (bt == LUA_TTABLE) lua_rawgeti(L, -1, j); else lua_pushvalue(L, -1);
          const char *bn = lua_tostring(L, -1);
          int b = bn ? dt_basing_parse(bn) : -1;
          if (b < 0)
            return luaL_error(L, "%s: term %d: unknown basing '%s' (ground, sea, air)", ctx, (int)i,
                              bn ? bn : "?");
          m->basing |= 1u << b;
          lua_pop(L, 1);
        }
      } else if (bt != LUA_TNIL) {
        return luaL_error(L, "%s: term %d: basing must be \"ground\", \"sea\", \"air\" or a list",
                          ctx, (int)i);
      }
      lua_pop(L, 1);
      lua_getfield(L, e, "categories");
      m->cats = parse_cats(L, lua_gettop(L));
      lua_pop(L, 1);
      lua_getfield(L, e, "count");
      if (lua_isnil(L, -1))
        return luaL_error(L,
                          "%s: term %d needs count = \"deployed\", \"nondeployed\", \"launchers\", "
                          "\"warheads\", \"missiles\", \"deployed_missiles\" or \"reloads\"",
                          ctx, (int)i);
      m->qty = parse_qty(L, lua_gettop(L));
      lua_pop(L, 1);
      m->weight = 1;
      if (lua_getfield(L, e, "weight") != LUA_TNIL) {
        if (!lua_isinteger(L, -1))
          return luaL_error(L, "%s: term %d: weight must be a whole number", ctx, (int)i);
        m->weight = lua_tointeger(L, -1);
      }
      lua_pop(L, 1);
      lua_getfield(L, e, "accountable");
      m->accountable_only = lua_isnil(L, -1) ? 1 : lua_toboolean(L, -1);
      lua_pop(L, 2);
    }
  } else if (!ref) {
    return luaL_error(L, "%s: needs 'terms' (a counting rule) or 'fn' (a function of a state)",
                      ctx);
  }
  lua_pop(L, 1);
  int rc = dt_metric_add(sim, name, doc, terms, nterms, ref);
  if (rc == DT_EEXIST) return luaL_error(L, "%s is already defined", ctx);
  if (rc < 0) return dt__lrt_raise(L, ctx, rc);
  lua_pushstring(L, name);
  return 1;
}

int dt__lrt_metric(dt_sim_t *sim, int metric, const dt_state_t *s, double *out, void *ud) {
  dt_lrt_t *rt = ud;
  lua_State *L = rt->L;
  if (!dt__lrt_room(rt, L)) return DT_ESCRIPT;
  dt__lrt_getref(L, sim->metrics[metric].foreign_ref);
  dt__lrt_pushhandle(L, DT_LRT_H_STATE, (void *)s);
  int rc = dt__lrt_pcall(rt, L, 1, 1, "metric");
  if (rc < 0) return rc;
  if (lua_type(L, -1) != LUA_TNUMBER || !isfinite(lua_tonumber(L, -1))) {
    dt__lrt_fail(rt, lua_pushfstring(L, "metric '%s' returned %s; a metric returns a number",
                                 sim->metrics[metric].name, luaL_typename(L, -2)), NULL);
    lua_pop(L, 2);
    return DT_ESCRIPT;
  }
  *out = lua_tonumber(L, -1);
  lua_pop(L, 1);
  return 0;
}

void dt__open_arsenal(lua_State *L) {
  static const luaL_Reg state_m[] = {
    { "system", state_system }, { "systems", state_systems }, { "count", state_count },
    { "quantity", state_quantity }, { "set_stockpile", state_set_stockpile },
    { "stockpile", state_stockpile }, { "produce_warheads", state_produce_warheads },
    { "retire_warheads", state_retire_warheads }, { "dismantle", state_dismantle },
    { NULL, NULL }
  };
  static const luaL_Reg sys_m[] = {
    { "deploy", sys_deploy }, { "undeploy", sys_undeploy }, { "upload", sys_upload },
    { "download", sys_download }, { "build", sys_build }, { "retire", sys_retire },
    { "produce", sys_produce }, { "eliminate", sys_eliminate }, { NULL, NULL }
  };
  static const luaL_Reg change_m[] = { { "cancel", change_cancel }, { NULL, NULL } };
  dt__lrt_handle_methods(L, DT_LRT_H_STATE, state_m);
  dt__lrt_handle_register(L, DT_LRT_H_SYSTEM, sys_m, &system_getter, system_tostring);
  dt__lrt_handle_register(L, DT_LRT_H_CHANGE, change_m, &change_getter, change_tostring);
  static const luaL_Reg fns[] = { { "metric", l_metric }, { NULL, NULL } };
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  luaL_setfuncs(L, fns, 0);
  lua_pop(L, 1);
}
