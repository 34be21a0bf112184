/* l_treaty.c: bindings for treaties (core: treaty.c): declaring one, its
 * fields, limits and compliance, observance, the status lifecycle, extensions
 * and pledges. Misuse raises an error that names the treaty. */
#include "l_fields.h"
#include <math.h>
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
  dt__lrt_checkfields(L, 1, &dt__lrt_f_treaty, NULL);
  const char *id = dt__lrt_reqfield_str(L, 1, "id", "treaty");
  char ctx[160];
  snprintf(ctx, sizeof ctx, "treaty '%s'", id);
  const char *name = dt__lrt_optfield_str(L, 1, "name", ctx);
  int parties[64], np = 0;
  if (lua_getfield(L, 1, "parties") != LUA_TTABLE)
    return luaL_error(L, "%s: 'parties' must list the states", ctx);
  int pt = lua_gettop(L);
  lua_Integer n = dt__lrt_checklist(L, pt, ctx, "parties", "states", 2, 64);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, pt, i);
    parties[np++] = dt__lrt_checkstate(L, lua_gettop(L))->index;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  dt_limit_t limits[32]; int nl = 0;
  int ltype = lua_getfield(L, 1, "limits");
  if (ltype == LUA_TUSERDATA && dt__lrt_unview(L, -1)) ltype = LUA_TTABLE;   /* nst.LIMITS */
  if (ltype == LUA_TTABLE) {
    int lt = lua_gettop(L);
    n = dt__lrt_checklist(L, lt, ctx, "limits", "limits", 0, 32);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, lt, i);
      int e = lua_gettop(L);
      if (!lua_istable(L, e))
        return luaL_error(L, "%s: limit %d must be {metric = \"...\", max = n}", ctx, (int)i);
      dt__lrt_checkfields(L, e, &dt__lrt_f_limit, lua_pushfstring(L, "%s: limit %d", ctx, (int)i));
      lua_pop(L, 1);
      lua_getfield(L, e, "metric");
      limits[nl].metric = dt__lrt_checkmetric(L, lua_gettop(L));
      limits[nl].only = 0;
      /* parties = {...} (or party = s): the limit binds those parties only. */
      int pty = lua_getfield(L, e, "parties");
      if (pty == LUA_TNIL) { lua_pop(L, 1); pty = lua_getfield(L, e, "party"); }
      if (pty != LUA_TNIL) {
        int pl = lua_gettop(L);
        int one = !lua_istable(L, pl);
        int cnt = one ? 1 : (int)lua_rawlen(L, pl);
        if (cnt < 1)
          return luaL_error(L, "%s: limit %d: 'parties' must list parties of the treaty", ctx,
                            (int)i);
        for (int j = 1; j <= cnt; j++) {
          if (one) lua_pushvalue(L, pl); else lua_rawgeti(L, pl, j);
          dt_state_t *ps = dt__lrt_checkstate(L, lua_gettop(L));
          int pos = -1;
          for (int q = 0; q < np; q++) if (parties[q] == ps->index) pos = q;
          if (pos < 0) return luaL_error(L, "%s: limit %d: %s is not a party", ctx, (int)i, ps->id);
          limits[nl].only |= (uint64_t)1 << pos;
          lua_pop(L, 1);
        }
      }
      lua_pop(L, 1);
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
  dt_time_t sig = dt__lrt_optfield_time(L, 1, "signed"),
            inf = dt__lrt_optfield_time(L, 1, "in_force"),
            exp = dt__lrt_optfield_time(L, 1, "expires");
  int maxext = -1, used = 0;
  if (lua_getfield(L, 1, "max_extensions") != LUA_TNIL)
    maxext = (int)dt__lrt_checkcount(L, -1, "max_extensions");
  lua_pop(L, 1);
  if (lua_getfield(L, 1, "extensions") != LUA_TNIL)
    used = (int)dt__lrt_checkcount(L, -1, "extensions");
  lua_pop(L, 1);
  if (maxext >= 0 && used > maxext)
    return luaL_error(L, "%s: %d extensions used, but max_extensions is %d", ctx, used, maxext);
  if (inf == DT_NEVER && sig != DT_NEVER) inf = sig;
  int has_notice = lua_getfield(L, 1, "withdrawal_notice") != LUA_TNIL;
  dt_lrt_dur_t notice = { -1, 0 };
  if (has_notice) {
    if (!dt__lrt_isdur(L, -1))
      return luaL_error(L, "%s: 'withdrawal_notice' must be a duration such as months(6)", ctx);
    notice = dt__lrt_checkdur(L, lua_gettop(L));
    if (notice.months < 0 || notice.seconds < 0 || (notice.months == 0 && notice.seconds == 0) ||
        notice.months > (int64_t)12 * 1000)
      return luaL_error(L, "%s: 'withdrawal_notice' must be a positive duration", ctx);
  }
  lua_pop(L, 1);
  dt_treaty_t *t;
  int rc = dt_treaty_add(sim, id, name, parties, np, limits, nl, sig, inf, exp, maxext, &t);
  if (rc == DT_EEXIST) return luaL_error(L, "%s already exists", ctx);
  if (rc == DT_EINVAL)
    return luaL_error(L, "%s: parties must differ and it must expire after entering into force",
                      ctx);
  if (rc < 0) return dt__lrt_raise(L, ctx, rc);
  t->extensions = used;   /* extensions agreed before the scenario starts */
  if (has_notice) dt_treaty_set_notice(t, (int)notice.months, notice.seconds);
  dt__lrt_pushhandle(L, DT_LRT_H_TREATY, t);
  dt__lrt_set_attrs(L, -1, 1, ctx);
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
  else if (strcmp(k, "withdrawal_notice") == 0) {
    if (t->notice_months < 0) lua_pushnil(L);
    else {
      lua_createtable(L, 0, 2);
      lua_pushinteger(L, t->notice_months); lua_setfield(L, -2, "months");
      lua_pushinteger(L, t->notice_seconds / DT_DAY); lua_setfield(L, -2, "days");
    }
  }
  else if (strcmp(k, "parties") == 0) {
    lua_createtable(L, t->nparties, 0);
    for (int i = 0; i < t->nparties; i++) {
      dt__lrt_pushhandle(L, DT_LRT_H_STATE, sim->states[t->parties[i]]);
      lua_rawseti(L, -2, i + 1);
    }
  } else return 0;
  return 1;
}
static const dt_lrt_getter_t treaty_getter = {
  treaty_get, (const char *const[]){ "id", "name", "status", "signed", "in_force", "expires",
                                     "extensions", "withdrawal_notice", "parties", NULL } };

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
    if (!dt_treaty_limit_applies(t, i, s->index)) continue;
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

/* treaty:limit(metric [, party]) -> max (the party's own when limits differ), or nil */
static int treaty_limit(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  int m = dt__lrt_checkmetric(L, 2);
  int who = lua_isnoneornil(L, 3) ? -1 : checkparty(L, t, 3)->index;
  for (int i = 0; i < t->nlimits; i++)
    if (t->limits[i].metric == m && (who < 0 || dt_treaty_limit_applies(t, i, who))) {
      dt__lrt_pushcount(L, t->limits[i].max);
      return 1;
    }
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
    if (t->limits[i].only) {
      lua_newtable(L);
      int k = 0;
      for (int p = 0; p < t->nparties && p < 64; p++)
        if (t->limits[i].only >> p & 1) {
          dt__lrt_pushhandle(L, DT_LRT_H_STATE, sim->states[t->parties[p]]);
          lua_rawseti(L, -2, ++k);
        }
      lua_setfield(L, -2, "parties");
    }
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
  const char *o = dt__lrt_checkstr(L, 3);
  int ob = dt_observance_parse(o);
  if (ob < 0)
    return luaL_error(
        L, "%s: unknown observance '%s' (complying, observing_unilaterally, suspended, withdrawn)",
        t->name, o);
  int rc = dt_treaty_set_observance(dt__lrt_sim(L), t, s->index, ob, dt__lrt_optstr(L, 4, NULL));
  dt__lrt_check(L);
  if (rc == DT_ESTATE)
    return luaL_error(L, "%s: %s has withdrawn; its observance cannot change", t->name, s->id);
  if (rc < 0) return dt__lrt_raise(L, t->name, rc);
  return 0;
}

static int treaty_set_status(lua_State *L, int st, int why_idx) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  int from = t->status;
  int rc = dt_treaty_set_status(dt__lrt_sim(L), t, st, dt__lrt_optstr(L, why_idx, NULL));
  dt__lrt_check(L);
  if (rc == DT_ESTATE)
    return luaL_error(L, "%s: cannot go from %s to %s", t->name, dt_treaty_status_name(from),
                      dt_treaty_status_name(st));
  if (rc < 0) return dt__lrt_raise(L, t->name, rc);
  return 0;
}
/* t:suspend(state, why) / t:resume(state, why): one party suspends its
 * observance or returns to it; t:suspend(why) / t:resume(why): the treaty. */
static int party_observance(lua_State *L, int ob) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_state_t *s = checkparty(L, t, 2);
  int rc = dt_treaty_set_observance(dt__lrt_sim(L), t, s->index, ob, dt__lrt_optstr(L, 3, NULL));
  dt__lrt_check(L);
  if (rc == DT_ESTATE)
    return luaL_error(L, "%s: %s has withdrawn; its observance cannot change", t->name, s->id);
  if (rc < 0) return dt__lrt_raise(L, t->name, rc);
  return 0;
}
static int treaty_suspend(lua_State *L) {
  if (dt__lrt_testhandle(L, 2, DT_LRT_H_STATE)) return party_observance(L, DT_OB_SUSPENDED);
  return treaty_set_status(L, DT_TS_SUSPENDED, 2);
}
static int treaty_terminate(lua_State *L) { return treaty_set_status(L, DT_TS_TERMINATED, 2); }
static int treaty_resume(lua_State *L) {
  if (dt__lrt_testhandle(L, 2, DT_LRT_H_STATE)) return party_observance(L, DT_OB_COMPLYING);
  return treaty_set_status(L, DT_TS_IN_FORCE, 2);
}

/* t:give_notice(state [, reason]) -> the date the withdrawal takes effect */
static int treaty_give_notice(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_state_t *s = checkparty(L, t, 2);
  int rc = dt_treaty_give_notice(dt__lrt_sim(L), t, s->index, dt__lrt_optstr(L, 3, NULL));
  dt__lrt_check(L);
  if (rc == DT_EINVAL)
    return luaL_error(L, "%s: has no withdrawal clause (treaty{ withdrawal_notice = months(6) })",
                      t->name);
  if (rc == DT_ESTATE)
    return luaL_error(L, "%s: %s cannot give notice (treaty %s, observance %s%s)", t->name, s->id,
                      dt_treaty_status_name(t->status),
                      dt_observance_name(t->observance[dt_treaty_party(t, s->index)]),
                      t->notice_until[dt_treaty_party(t, s->index)] != DT_NEVER
                          ? ", notice already given"
                          : "");
  if (rc < 0) return dt__lrt_raise(L, t->name, rc);
  dt__lrt_pushtime(L, t->notice_until[dt_treaty_party(t, s->index)]);
  return 1;
}

static int treaty_rescind_notice(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_state_t *s = checkparty(L, t, 2);
  int rc = dt_treaty_rescind_notice(dt__lrt_sim(L), t, s->index, dt__lrt_optstr(L, 3, NULL));
  dt__lrt_check(L);
  if (rc == DT_ESTATE)
    return luaL_error(L, "%s: %s has given no notice to rescind", t->name, s->id);
  if (rc < 0) return dt__lrt_raise(L, t->name, rc);
  return 0;
}

/* t:notice(state) -> the date its notice takes effect, or nil */
static int treaty_notice(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_state_t *s = checkparty(L, t, 2);
  pushtime_or_nil(L, t->notice_until[dt_treaty_party(t, s->index)]);
  return 1;
}

/* t:in_breach(state) -> true while the party is bound and over a limit */
static int treaty_in_breach(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_state_t *s = checkparty(L, t, 2);
  lua_pushboolean(L, t->over[dt_treaty_party(t, s->index)]);
  return 1;
}

/* t:declare(state, { metric = value, ... } [, as_of]) records a data exchange
 * (dated before now: the record, without an event). Metrics
 * are read in the treaty's limit order, so the event text is stable. */
static int treaty_declare(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_state_t *s = checkparty(L, t, 2);
  dt_sim_t *sim = dt__lrt_sim(L);
  luaL_checktype(L, 3, LUA_TTABLE);
  int ms[32]; double vs[32]; int n = 0;
  lua_pushnil(L);
  while (lua_next(L, 3)) {
    if (lua_type(L, -2) != LUA_TSTRING)
      return luaL_error(L, "%s: declare takes { metric = value, ... }", t->name);
    const char *k = lua_tostring(L, -2);
    int m = dt_metric_find(sim, k), limited = 0;
    for (int i = 0; m >= 0 && i < t->nlimits; i++) limited |= t->limits[i].metric == m;
    if (!limited) return luaL_error(L, "%s: '%s' is not a metric the treaty limits", t->name, k);
    if (lua_type(L, -1) != LUA_TNUMBER || !(lua_tonumber(L, -1) >= 0) ||
        !isfinite(lua_tonumber(L, -1)))
      return luaL_error(L, "%s: declared '%s' must be a number >= 0", t->name, k);
    lua_pop(L, 1);
  }
  for (int i = 0; i < t->nlimits && n < 32; i++) {
    int m = t->limits[i].metric, dup = 0;
    for (int j = 0; j < n; j++) dup |= ms[j] == m;
    if (dup) continue;
    if (lua_getfield(L, 3, sim->metrics[m].name) == LUA_TNUMBER) {
      ms[n] = m;
      vs[n++] = lua_tonumber(L, -1);
    }
    lua_pop(L, 1);
  }
  if (n == 0) return luaL_error(L, "%s: declare needs at least one { metric = value }", t->name);
  dt_time_t as_of = lua_isnoneornil(L, 4) ? DT_NEVER : dt__lrt_checktime(L, 4);
  if (as_of != DT_NEVER && as_of > sim->now)
    return luaL_error(L, "%s: a declaration cannot be dated in the future", t->name);
  int rc = dt_treaty_declare(sim, t, s->index, ms, vs, n, as_of);
  dt__lrt_check(L);
  if (rc < 0) return dt__lrt_raise(L, t->name, rc);
  return 0;
}

/* t:declared(state, metric) -> the declared value and its date, or nil */
static int treaty_declared(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_state_t *s = checkparty(L, t, 2);
  double v = dt_treaty_declared(t, s->index, dt__lrt_checkmetric(L, 3));
  if (isnan(v)) { lua_pushnil(L); return 1; }
  dt__lrt_pushcount(L, v);
  pushtime_or_nil(L, t->declared_at[dt_treaty_party(t, s->index)]);
  return 2;
}

/* t:inspect(state, { by = inspector, p_detect = 0.8 }) -> found (boolean) */
static int treaty_inspect(lua_State *L) {
  dt_treaty_t *t = dt__lrt_checkhandle(L, 1, DT_LRT_H_TREATY);
  dt_state_t *s = checkparty(L, t, 2);
  double p = 1;
  int by = -1;
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    dt__lrt_checkfields(L, 3, &dt__lrt_f_inspect, NULL);
    if (lua_getfield(L, 3, "p_detect") != LUA_TNIL) {
      p = lua_tonumber(L, -1);
      if (lua_type(L, -1) != LUA_TNUMBER || !(p >= 0 && p <= 1))
        return luaL_error(L, "%s: inspect: p_detect must be a number in [0, 1]", t->name);
    }
    lua_pop(L, 1);
    if (lua_getfield(L, 3, "by") != LUA_TNIL) by = dt__lrt_checkstate(L, lua_gettop(L))->index;
    lua_pop(L, 1);
  }
  int found = 0;
  int rc = dt_treaty_inspect(dt__lrt_sim(L), t, by, s->index, p, &found);
  dt__lrt_check(L);
  if (rc < 0) return dt__lrt_raise(L, t->name, rc);
  lua_pushboolean(L, found);
  return 1;
}
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
  static const luaL_Reg treaty_m[] = { { "complies", treaty_complies },
                                       { "breaches", treaty_breaches },
                                       { "count", treaty_count },
                                       { "limit", treaty_limit },
                                       { "limits", treaty_limits },
                                       { "binds", treaty_binds },
                                       { "observance", treaty_observance },
                                       { "set_observance", treaty_set_observance },
                                       { "suspend", treaty_suspend },
                                       { "terminate", treaty_terminate },
                                       { "resume", treaty_resume },
                                       { "expire", treaty_expire },
                                       { "extend", treaty_extend },
                                       { "pledge", treaty_pledge },
                                       { "pledged_until", treaty_pledged_until },
                                       { "give_notice", treaty_give_notice },
                                       { "rescind_notice", treaty_rescind_notice },
                                       { "notice", treaty_notice },
                                       { "in_breach", treaty_in_breach },
                                       { "declare", treaty_declare },
                                       { "declared", treaty_declared },
                                       { "inspect", treaty_inspect },
                                       { NULL, NULL } };
  dt__lrt_handle_register(L, DT_LRT_H_TREATY, treaty_m, &treaty_getter, treaty_tostring);
  static const luaL_Reg fns[] = { { "treaty", l_treaty }, { NULL, NULL } };
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  luaL_setfuncs(L, fns, 0);
  lua_pop(L, 1);
}
