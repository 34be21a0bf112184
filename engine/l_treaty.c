/* l_treaty.c: bindings for treaties (core: treaty.c): declaring one, its
 * fields, limits and compliance, observance, the status lifecycle, extensions
 * and pledges. Misuse raises an error that names the treaty. */
#include "lrt.h"
#include <string.h>

/* ---- treaties -------------------------------------------------------------- */

static int l_treaty(lua_State *L) {
  dt_sim_t *sim = dt__lrt_sim(L);
  if (lua_type(L, 1) == LUA_TSTRING) {
    dt_treaty_t *t = dt_treaty_find(sim, lua_tostring(L, 1));
    if (!t) return luaL_error(L, "treaty: unknown treaty '%s'", lua_tostring(L, 1));
    dt__lrt_pushhandle(L, DT_LRT_H_TREATY, t);
    return 1;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  const char *id = dt__lrt_reqfield_str(L, 1, "id", "treaty");
  char ctx[160];
  snprintf(ctx, sizeof ctx, "treaty '%s'", id);
  const char *name = dt__lrt_optfield_str(L, 1, "name", ctx);
  int parties[64], np = 0;
  if (lua_getfield(L, 1, "parties") != LUA_TTABLE) return luaL_error(L, "%s: 'parties' must list the states", ctx);
  int pt = lua_gettop(L);
  lua_Integer n = (lua_Integer)lua_rawlen(L, pt);
  if (n < 1 || n > 64) return luaL_error(L, "%s: 'parties' must list 1 to 64 states", ctx);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, pt, i);
    parties[np++] = dt__lrt_checkstate(L, lua_gettop(L))->index;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  dt_limit_t limits[32]; int nl = 0;
  if (lua_getfield(L, 1, "limits") == LUA_TTABLE) {
    int lt = lua_gettop(L);
    n = (lua_Integer)lua_rawlen(L, lt);
    if (n > 32) return luaL_error(L, "%s: at most 32 limits", ctx);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, lt, i);
      int e = lua_gettop(L);
      if (!lua_istable(L, e)) return luaL_error(L, "%s: limit %d must be {metric = \"...\", max = n}", ctx, (int)i);
      lua_getfield(L, e, "metric");
      limits[nl].metric = dt__lrt_checkmetric(L, lua_gettop(L));
      lua_getfield(L, e, "max");
      if (lua_type(L, -1) != LUA_TNUMBER || !(lua_tonumber(L, -1) >= 0))
        return luaL_error(L, "%s: limit %d needs max = a number >= 0", ctx, (int)i);
      limits[nl++].max = lua_tonumber(L, -1);
      lua_settop(L, lt);
    }
  } else if (!lua_isnil(L, -1)) {
    return luaL_error(L, "%s: 'limits' must be a list of {metric = ..., max = ...}", ctx);
  }
  lua_pop(L, 1);
  dt_time_t sig = dt__lrt_optfield_time(L, 1, "signed"), inf = dt__lrt_optfield_time(L, 1, "in_force"),
            exp = dt__lrt_optfield_time(L, 1, "expires");
  int maxext = -1, used = 0;
  if (lua_getfield(L, 1, "max_extensions") != LUA_TNIL) maxext = (int)dt__lrt_checkcount(L, -1, "max_extensions");
  lua_pop(L, 1);
  if (lua_getfield(L, 1, "extensions") != LUA_TNIL) used = (int)dt__lrt_checkcount(L, -1, "extensions");
  lua_pop(L, 1);
  if (maxext >= 0 && used > maxext)
    return luaL_error(L, "%s: %d extensions used, but max_extensions is %d", ctx, used, maxext);
  if (inf == DT_NEVER && sig != DT_NEVER) inf = sig;
  dt_treaty_t *t;
  int rc = dt_treaty_add(sim, id, name, parties, np, limits, nl, sig, inf, exp, maxext, &t);
  if (rc == DT_EEXIST) return luaL_error(L, "%s already exists", ctx);
  if (rc == DT_EINVAL) return luaL_error(L, "%s: parties must differ and it must expire after entering into force", ctx);
  if (rc < 0) return dt__lrt_raise(L, ctx, rc);
  t->extensions = used;   /* extensions agreed before the scenario starts */
  dt__lrt_pushhandle(L, DT_LRT_H_TREATY, t);
  static const char *const skip[] = { "id", "name", "parties", "limits", "signed",
    "in_force", "expires", "max_extensions", "extensions", NULL };
  dt__lrt_copy_attrs(L, 1, lua_gettop(L), skip);
  return 1;
}

static void pushtime_or_nil(lua_State *L, dt_time_t t) {
  if (t == DT_NEVER) lua_pushnil(L); else dt__lrt_pushtime(L, t);
}

static int treaty_get(lua_State *L, void *obj, const char *k) {
  dt_treaty_t *t = obj;
  dt_sim_t *sim = dt__lrt_sim(L);
  if (strcmp(k, "id") == 0) lua_pushstring(L, t->id);
  else if (strcmp(k, "name") == 0) lua_pushstring(L, t->name);
  else if (strcmp(k, "status") == 0) lua_pushstring(L, dt_treaty_status_name(t->status));
  else if (strcmp(k, "signed") == 0) pushtime_or_nil(L, t->signed_at);
  else if (strcmp(k, "in_force") == 0) pushtime_or_nil(L, t->in_force_at);
  else if (strcmp(k, "expires") == 0) pushtime_or_nil(L, t->expires_at);
  else if (strcmp(k, "extensions") == 0) lua_pushinteger(L, t->extensions);
  else if (strcmp(k, "parties") == 0) {
    lua_createtable(L, t->nparties, 0);
    for (int i = 0; i < t->nparties; i++) {
      dt__lrt_pushhandle(L, DT_LRT_H_STATE, sim->states[t->parties[i]]);
      lua_rawseti(L, -2, i + 1);
    }
  } else return 0;
  return 1;
}
static const dt_lrt_getter_t treaty_getter = { treaty_get };

static int treaty_tostring(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  lua_pushfstring(L, "Treaty(%s, %s)", t->id, dt_treaty_status_name(t->status));
  return 1;
}

static dt_state_t *checkparty(lua_State *L, dt_treaty_t *t, int idx) {
  dt_state_t *s = dt__lrt_checkstate(L, idx);
  if (dt_treaty_party(t, s->index) < 0)
    luaL_error(L, "%s: %s is not a party", t->name, s->id);
  return s;
}

static int treaty_complies(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_state_t *s = checkparty(L, t, 2);
  int rc = dt_treaty_complies(dt__lrt_sim(L), t, s->index);
  dt__lrt_check(L);
  if (rc < 0) return dt__lrt_raise(L, "complies", rc);
  lua_pushboolean(L, rc);
  return 1;
}

/* treaty:breaches(state) -> list of {metric=, value=, max=} over the limits */
static int treaty_breaches(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_state_t *s = checkparty(L, t, 2);
  dt_sim_t *sim = dt__lrt_sim(L);
  lua_newtable(L);
  int k = 0;
  for (int i = 0; i < t->nlimits; i++) {
    double v;
    int rc = dt_metric_eval(sim, t->limits[i].metric, s, &v);
    dt__lrt_check(L);
    if (rc < 0) return dt__lrt_raise(L, "breaches", rc);
    if (v > t->limits[i].max) {
      lua_createtable(L, 0, 3);
      lua_pushstring(L, sim->metrics[t->limits[i].metric].name); lua_setfield(L, -2, "metric");
      dt__lrt_pushcount(L, v); lua_setfield(L, -2, "value");
      dt__lrt_pushcount(L, t->limits[i].max); lua_setfield(L, -2, "max");
      lua_rawseti(L, -2, ++k);
    }
  }
  return 1;
}

static int treaty_count(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_state_t *s = checkparty(L, t, 2);
  return dt__lrt_push_metric(L, dt__lrt_checkmetric(L, 3), s);
}

static int treaty_limit(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  int m = dt__lrt_checkmetric(L, 2);
  for (int i = 0; i < t->nlimits; i++)
    if (t->limits[i].metric == m) { dt__lrt_pushcount(L, t->limits[i].max); return 1; }
  lua_pushnil(L);
  return 1;
}

static int treaty_limits(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_sim_t *sim = dt__lrt_sim(L);
  lua_createtable(L, t->nlimits, 0);
  for (int i = 0; i < t->nlimits; i++) {
    lua_createtable(L, 0, 2);
    lua_pushstring(L, sim->metrics[t->limits[i].metric].name); lua_setfield(L, -2, "metric");
    dt__lrt_pushcount(L, t->limits[i].max); lua_setfield(L, -2, "max");
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static int treaty_binds(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_state_t *s = checkparty(L, t, 2);
  lua_pushboolean(L, dt_treaty_binds(dt__lrt_sim(L), t, s->index));
  return 1;
}

static int treaty_observance(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_state_t *s = checkparty(L, t, 2);
  lua_pushstring(L, dt_observance_name(t->observance[dt_treaty_party(t, s->index)]));
  return 1;
}

static int treaty_set_observance(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_state_t *s = checkparty(L, t, 2);
  const char *o = luaL_checkstring(L, 3);
  int ob = dt_observance_parse(o);
  if (ob < 0) return luaL_error(L, "%s: unknown observance '%s' (complying, observing_unilaterally, suspended, withdrawn)", t->name, o);
  int rc = dt_treaty_set_observance(dt__lrt_sim(L), t, s->index, ob, luaL_optstring(L, 4, NULL));
  dt__lrt_check(L);
  if (rc == DT_ESTATE) return luaL_error(L, "%s: %s has withdrawn; its observance cannot change", t->name, s->id);
  if (rc < 0) return dt__lrt_raise(L, t->name, rc);
  return 0;
}

static int treaty_set_status(lua_State *L, int st, int why_idx) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  int from = t->status;
  int rc = dt_treaty_set_status(dt__lrt_sim(L), t, st, luaL_optstring(L, why_idx, NULL));
  dt__lrt_check(L);
  if (rc == DT_ESTATE)
    return luaL_error(L, "%s: cannot go from %s to %s", t->name, dt_treaty_status_name(from),
                      dt_treaty_status_name(st));
  if (rc < 0) return dt__lrt_raise(L, t->name, rc);
  return 0;
}
static int treaty_suspend(lua_State *L) { return treaty_set_status(L, DT_TS_SUSPENDED, 2); }
static int treaty_terminate(lua_State *L) { return treaty_set_status(L, DT_TS_TERMINATED, 2); }
static int treaty_resume(lua_State *L) { return treaty_set_status(L, DT_TS_IN_FORCE, 2); }
static int treaty_expire(lua_State *L) { return treaty_set_status(L, DT_TS_EXPIRED, 2); }

static int treaty_extend(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_lrt_dur_t d = dt__lrt_checkdur(L, 2);
  int rc = dt_treaty_extend(dt__lrt_sim(L), t, (int)d.months, d.seconds);
  dt__lrt_check(L);
  if (rc == DT_ESTATE)
    return luaL_error(L, "%s: cannot be extended (status %s, %d of %d extensions used)", t->name,
                      dt_treaty_status_name(t->status), t->extensions, t->max_extensions);
  if (rc < 0) return dt__lrt_raise(L, t->name, rc);
  return 0;
}

static int treaty_pledge(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_state_t *s = checkparty(L, t, 2);
  dt_time_t until = dt__lrt_checktime(L, 3);
  int rc = dt_treaty_pledge(dt__lrt_sim(L), t, s->index, until);
  dt__lrt_check(L);
  if (rc == DT_EINVAL) return luaL_error(L, "%s: a pledge must run until a future date", t->name);
  if (rc < 0) return dt__lrt_raise(L, t->name, rc);
  return 0;
}

static int treaty_pledged_until(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_state_t *s = checkparty(L, t, 2);
  pushtime_or_nil(L, t->pledge_until[dt_treaty_party(t, s->index)]);
  return 1;
}
void dt__open_treaty(lua_State *L) {
  static const luaL_Reg treaty_m[] = {
    { "complies", treaty_complies }, { "breaches", treaty_breaches }, { "count", treaty_count },
    { "limit", treaty_limit }, { "limits", treaty_limits }, { "binds", treaty_binds },
    { "observance", treaty_observance }, { "set_observance", treaty_set_observance },
    { "suspend", treaty_suspend }, { "terminate", treaty_terminate }, { "resume", treaty_resume },
    { "expire", treaty_expire }, { "extend", treaty_extend }, { "pledge", treaty_pledge },
    { "pledged_until", treaty_pledged_until }, { NULL, NULL }
  };
  dt__lrt_handle_register(L, DT_LRT_H_TREATY, treaty_m, &treaty_getter, treaty_tostring);
  static const luaL_Reg fns[] = { { "treaty", l_treaty }, { NULL, NULL } };
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  luaL_setfuncs(L, fns, 0);
  lua_pop(L, 1);
}
