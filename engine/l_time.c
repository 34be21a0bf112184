/* l_time.c: script-visible dates and durations. A Date wraps simulated UTC
 * seconds; a Duration holds calendar months and seconds apart, so that
 * months(1) after 31 Jan lands on the last day of February. A duration of
 * whole seconds only (days, hours, weeks: the hot path) is a light value
 * (lrt.h) and allocates nothing; one with months is a full userdata. The
 * light values' shared metatable lives here. */
#include "l_fields.h"
#include <math.h>
#include <string.h>

#define DATE_MT "detente.Date"
#define DUR_MT "detente.Duration"

typedef struct { dt_time_t t; } ldate_t;

/* Metatables by address: registry keys for pushing, and the addresses kept
 * in the runtime for the checks (no name lookup, no string compare). */
static const char key_date_mt = 0, key_dur_mt = 0;

/* The userdata at idx if its metatable is mt, else NULL. [-0, +0, -] */
static void *testmt(lua_State *L, int idx, const void *mt) {
  if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return NULL;
  const void *m = lua_topointer(L, -1);
  lua_pop(L, 1);
  return m == mt ? lua_touserdata(L, idx) : NULL;
}

static ldate_t *todate(lua_State *L, int idx) { return testmt(L, idx, dt__lrt_get(L)->mt_date); }

/* [-0, +1, m] */
void dt__lrt_pushtime(lua_State *L, dt_time_t t) {
  ldate_t *d = lua_newuserdatauv(L, sizeof *d, 0);
  d->t = t;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &key_date_mt);
  lua_setmetatable(L, -2);
}

int dt__lrt_testtime(lua_State *L, int idx, dt_time_t *out) {
  ldate_t *d = todate(L, idx);
  if (d && out) *out = d->t;
  return d != NULL;
}

/* [-0, +0, v] */
dt_time_t dt__lrt_checktime(lua_State *L, int idx) {
  ldate_t *d = todate(L, idx);
  if (d) return d->t;
  if (lua_type(L, idx) == LUA_TSTRING) {
    dt_time_t t;
    const char *s = dt__lrt_cstr(L, idx, NULL);
    if (dt_time_parse(s, &t) == 0) return t;
    luaL_argerror(L, idx, lua_pushfstring(L, "malformed date '%s' (expected YYYY-MM-DD, "
                                             "e.g. 2026-02-05)", s));
  }
  luaL_typeerror(L, idx, "date (a Date or a 'YYYY-MM-DD' string)");
  return 0;
}

/* A duration never spans more than the calendar (years 1 to 9999): months and
 * seconds stay far from int64 overflow whatever a script multiplies or adds. */
#define DUR_MAX_MONTHS ((int64_t)10000 * 12)
#define DUR_MAX_SECONDS ((int64_t)10000 * 366 * 86400)

/* Pushes a duration in its one canonical form, so equal durations are equal
 * values: whole seconds >= 0 as a light value (seconds << 2 | DT_LRT_LIGHT_DUR,
 * no allocation), anything with months as a full userdata. [-0, +1, e] */
static void pushdur(lua_State *L, int64_t months, int64_t seconds) {
  if (months < -DUR_MAX_MONTHS || months > DUR_MAX_MONTHS || seconds < -DUR_MAX_SECONDS ||
      seconds > DUR_MAX_SECONDS)
    luaL_error(L, "duration out of range: a duration spans at most 10000 years");
  if (months == 0 && seconds >= 0) {
    lua_pushlightuserdata(L, dt__lrt_light(((uint64_t)seconds << 2) | DT_LRT_LIGHT_DUR));
    return;
  }
  dt_lrt_dur_t *d = lua_newuserdatauv(L, sizeof *d, 0);
  d->months = months; d->seconds = seconds;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &key_dur_mt);
  lua_setmetatable(L, -2);
}

/* The duration at idx (not numbers): 1 and *out, or 0. [-0, +0, -] */
static int todur(lua_State *L, int idx, dt_lrt_dur_t *out) {
  int t = lua_type(L, idx);
  if (t == LUA_TLIGHTUSERDATA) {
    uint64_t v = dt__lrt_light_bits(lua_touserdata(L, idx));
    if ((v & 3) != DT_LRT_LIGHT_DUR) return 0;
    *out = (dt_lrt_dur_t){ 0, (int64_t)(v >> 2) };
    return 1;
  }
  dt_lrt_dur_t *d = t == LUA_TUSERDATA ? testmt(L, idx, dt__lrt_get(L)->mt_dur) : NULL;
  if (!d) return 0;
  *out = *d;
  return 1;
}

static int64_t days_to_seconds(lua_State *L, int idx, lua_Number n) {
  if (!isfinite(n) || n < 0)
    return luaL_argerror(L, idx, "a duration in days must be a finite number >= 0");
  double s = n * 86400;
  if (s > 1e15) return luaL_argerror(L, idx, "duration too long");
  return (int64_t)llround(s);
}

int dt__lrt_isdur(lua_State *L, int idx) {
  dt_lrt_dur_t d = { 0, 0 };
  return lua_type(L, idx) == LUA_TNUMBER || todur(L, idx, &d);
}

dt_lrt_dur_t dt__lrt_checkdur(lua_State *L, int idx) {
  dt_lrt_dur_t d = { 0, 0 };
  if (lua_type(L, idx) == LUA_TNUMBER) {
    d.months = 0;
    d.seconds = days_to_seconds(L, idx, lua_tonumber(L, idx));
    return d;
  }
  if (!todur(L, idx, &d)) {
    luaL_typeerror(L, idx, "duration (e.g. days(30), months(1), or a number of days)");
    return (dt_lrt_dur_t){ 0, 0 };
  }
  if (d.months < 0 || d.seconds < 0) luaL_argerror(L, idx, "duration must not be negative");
  return d;
}

dt_time_t dt__lrt_addur(lua_State *L, dt_time_t t, dt_lrt_dur_t d) {
  dt_time_t out = t;
  if ((d.months && dt_time_add_months(t, d.months, &out) != 0) || out + d.seconds > DT_TIME_MAX ||
      out + d.seconds < DT_TIME_MIN)
    luaL_error(L, "date out of range (the calendar runs from year 1 to 9999)");
  return out + d.seconds;
}

static int l_date(lua_State *L) {
  if (lua_gettop(L) >= 3) {
    dt_time_t t;
    lua_Integer y = luaL_checkinteger(L, 1), m = luaL_checkinteger(L, 2),
                d = luaL_checkinteger(L, 3);
    if (y < 1 || y > 9999 || dt_time_from_civil((int)y, (int)m, (int)d, &t) != 0)
      return luaL_error(L, "date: %d-%d-%d is not a calendar date", (int)y, (int)m, (int)d);
    dt__lrt_pushtime(L, t);
    return 1;
  }
  dt__lrt_pushtime(L, dt__lrt_checktime(L, 1));
  return 1;
}

static int64_t scaled(lua_State *L, double unit) {
  lua_Number n = luaL_checknumber(L, 1);
  if (!isfinite(n) || n < 0) return luaL_argerror(L, 1, "must be a finite number >= 0");
  double s = n * unit;
  if (s > 1e15) return luaL_argerror(L, 1, "too long");
  return (int64_t)llround(s);
}
static int l_seconds(lua_State *L) { pushdur(L, 0, scaled(L, 1)); return 1; }
static int l_hours(lua_State *L) { pushdur(L, 0, scaled(L, 3600)); return 1; }
static int l_days(lua_State *L) { pushdur(L, 0, scaled(L, 86400)); return 1; }
static int l_weeks(lua_State *L) { pushdur(L, 0, scaled(L, 7 * 86400.0)); return 1; }
/* Calendar months and years are whole: their length varies, so a fraction of
 * one has no meaning. A fraction raises and names the days it is close to. */
static lua_Integer whole(lua_State *L, const char *fn, double days_per_unit, lua_Integer max) {
  lua_Number x = luaL_checknumber(L, 1);
  if (!isfinite(x) || x < 0 || x >= (lua_Number)max)
    luaL_argerror(L, 1, lua_pushfstring(L, "a whole number from 0 to %I expected", max - 1));
  if (x != floor(x))
    luaL_error(L,
               "%ss(%s): calendar %ss are whole (their length varies); for a fraction use "
               "days, e.g. days(%d)",
               fn, lua_tostring(L, 1), fn, (int)llround(x * days_per_unit));
  return (lua_Integer)x;
}
static int l_months(lua_State *L) {
  pushdur(L, whole(L, "month", 365.2425 / 12, 120000), 0);
  return 1;
}
static int l_years(lua_State *L) {
  pushdur(L, whole(L, "year", 365.2425, 10000) * 12, 0);
  return 1;
}

static int l_now(lua_State *L) { dt__lrt_pushtime(L, dt__lrt_sim(L)->now); return 1; }

/* Date metamethods */
static int date_tostring(lua_State *L) {
  ldate_t *d = todate(L, 1);
  if (!d) return luaL_typeerror(L, 1, "Date");
  char buf[32];
  dt_time_format(d->t, buf, sizeof buf);
  lua_pushstring(L, buf);
  return 1;
}
static int date_eq(lua_State *L) {
  lua_pushboolean(L, dt__lrt_checktime(L, 1) == dt__lrt_checktime(L, 2));
  return 1;
}
static int date_lt(lua_State *L) {
  lua_pushboolean(L, dt__lrt_checktime(L, 1) < dt__lrt_checktime(L, 2));
  return 1;
}
static int date_le(lua_State *L) {
  lua_pushboolean(L, dt__lrt_checktime(L, 1) <= dt__lrt_checktime(L, 2));
  return 1;
}
static int date_add(lua_State *L) {
  int di = todate(L, 1) ? 1 : 2;
  dt_lrt_dur_t u = { 0, 0 };
  /* Arithmetic stays typed: date + 5 is an error, not five days. */
  if (!todur(L, 3 - di, &u))
    return luaL_error(L, "a date can only be added to a duration (days(n), months(n), ...)");
  dt__lrt_pushtime(L, dt__lrt_addur(L, dt__lrt_checktime(L, di), u));
  return 1;
}
static int date_sub(lua_State *L) {
  dt_time_t a = dt__lrt_checktime(L, 1);
  dt_lrt_dur_t u = { 0, 0 };
  if (todur(L, 2, &u)) {
    dt_time_t out = a;
    if ((u.months && dt_time_add_months(a, -u.months, &out) != 0) ||
        out - u.seconds < DT_TIME_MIN || out - u.seconds > DT_TIME_MAX)
      return luaL_error(L, "date out of range (the calendar runs from year 1 to 9999)");
    dt__lrt_pushtime(L, out - u.seconds);
    return 1;
  }
  /* date - date: the number of days between them */
  lua_pushnumber(L, dt_time_days_between(dt__lrt_checktime(L, 2), a));
  return 1;
}
static int date_concat(lua_State *L) {
  luaL_tolstring(L, 1, NULL);
  luaL_tolstring(L, 2, NULL);
  lua_concat(L, 2);
  return 1;
}
static int date_index(lua_State *L) {
  dt_time_t t = dt__lrt_checktime(L, 1);
  const char *k = dt__lrt_checkstr(L, 2);
  int y, m, d, hh, mm, ss;
  dt_time_to_civil(t, &y, &m, &d, &hh, &mm, &ss);
  if (strcmp(k, "year") == 0) lua_pushinteger(L, y);
  else if (strcmp(k, "month") == 0) lua_pushinteger(L, m);
  else if (strcmp(k, "day") == 0) lua_pushinteger(L, d);
  else if (strcmp(k, "time") == 0) lua_pushinteger(L, t);
  else {
    static const char *const names[] = { "year", "month", "day", "time" };
    const char *hint = dt__lrt_pushsuggest(L, k, names, 4);
    return luaL_error(L, "Date has no field '%s'%s", k,
                      *hint ? hint : " (it has year, month, day, time)");
  }
  return 1;
}

/* Duration metamethods: for full durations, and for light ones through the
 * light values' metatable below. */
static dt_lrt_dur_t checkdurv(lua_State *L, int idx) {
  dt_lrt_dur_t d = { 0, 0 };
  if (!todur(L, idx, &d)) luaL_typeerror(L, idx, "Duration");
  return d;
}
static int dur_tostring(lua_State *L) {
  dt_lrt_dur_t d = checkdurv(L, 1);
  if (d.months && !d.seconds)
    lua_pushfstring(L, "%I month%s", (lua_Integer)d.months, d.months == 1 ? "" : "s");
  else if (!d.months && d.seconds % 86400 == 0)
    lua_pushfstring(L, "%I day%s", (lua_Integer)(d.seconds / 86400), d.seconds == 86400 ? "" : "s");
  else
    lua_pushfstring(L, "%I months %I seconds", (lua_Integer)d.months, (lua_Integer)d.seconds);
  return 1;
}
static int dur_add(lua_State *L) {
  dt_lrt_dur_t a = { 0, 0 }, b = { 0, 0 };
  if (!todur(L, 1, &a) || !todur(L, 2, &b)) return date_add(L);
  if (a.seconds > INT64_MAX / 2 || b.seconds > INT64_MAX / 2 || a.months > INT32_MAX ||
      b.months > INT32_MAX)
    return luaL_error(L, "duration too long");
  pushdur(L, a.months + b.months, a.seconds + b.seconds);
  return 1;
}
static int dur_mul(lua_State *L) {
  dt_lrt_dur_t a = { 0, 0 };
  int di = todur(L, 1, &a) ? 1 : 2;
  a = checkdurv(L, di);
  lua_Number k = luaL_checknumber(L, 3 - di);
  if (!(k >= 0) || !isfinite(k))
    return luaL_error(L, "a duration can only be scaled by a number >= 0");
  if (a.months && k != floor(k))
    return luaL_error(L, "calendar months can only be multiplied by a whole number");
  double m = (double)a.months * k, sec = (double)a.seconds * k;
  if (m > (double)DUR_MAX_MONTHS || sec > (double)DUR_MAX_SECONDS)
    return luaL_error(L, "duration out of range: a duration spans at most 10000 years");
  pushdur(L, (int64_t)m, (int64_t)llround(sec));
  return 1;
}
static int dur_eq(lua_State *L) {
  dt_lrt_dur_t a = checkdurv(L, 1), b = checkdurv(L, 2);
  lua_pushboolean(L, a.months == b.months && a.seconds == b.seconds);
  return 1;
}
/* Orders a and b when the calendar cannot change the answer: a month is 28
 * to 31 days, so a - b lies in [lo, hi] seconds. Returns -1 (a < b), 0 (equal),
 * 1 (a > b); raises when the order depends on the month. */
static int dur_order(lua_State *L, dt_lrt_dur_t a, dt_lrt_dur_t b) {
  int64_t dm = a.months - b.months, ds = a.seconds - b.seconds;
  int64_t lo = ds + dm * (dm >= 0 ? 28 : 31) * 86400, hi = ds + dm * (dm >= 0 ? 31 : 28) * 86400;
  if (dm == 0) return ds < 0 ? -1 : ds > 0;
  if (hi < 0) return -1;
  if (lo > 0) return 1;
  luaL_tolstring(L, 1, NULL);
  luaL_tolstring(L, 2, NULL);
  return luaL_error(L, "cannot order %s and %s: a calendar month is 28 to 31 days, so it depends "
                       "on the date (compare dates instead: now() + a < now() + b)",
                    lua_tostring(L, -2), lua_tostring(L, -1));
}
static int dur_lt(lua_State *L) {
  lua_pushboolean(L, dur_order(L, checkdurv(L, 1), checkdurv(L, 2)) < 0);
  return 1;
}
static int dur_le(lua_State *L) {
  lua_pushboolean(L, dur_order(L, checkdurv(L, 1), checkdurv(L, 2)) <= 0);
  return 1;
}
/* Fields: months (the calendar part), seconds (the fixed part) and days (the
 * fixed part in days, for durations without months). */
static int dur_index(lua_State *L) {
  dt_lrt_dur_t d = checkdurv(L, 1);
  const char *k = dt__lrt_checkstr(L, 2);
  if (strcmp(k, "months") == 0) lua_pushinteger(L, d.months);
  else if (strcmp(k, "seconds") == 0) lua_pushinteger(L, d.seconds);
  else if (strcmp(k, "days") == 0) {
    if (d.months) {
      luaL_tolstring(L, 1, NULL);
      return luaL_error(L, "Duration %s has no fixed number of days (a calendar month is 28 to 31 "
                           "days); read .months and .seconds", lua_tostring(L, -1));
    }
    lua_pushnumber(L, (double)d.seconds / 86400);
  } else {
    static const char *const names[] = { "days", "months", "seconds" };
    const char *hint = dt__lrt_pushsuggest(L, k, names, 3);
    return luaL_error(L, "Duration has no field '%s'%s", k,
                      *hint ? hint : " (it has days, months, seconds)");
  }
  return 1;
}

/* The light values' metatable: every method asks the value what it is. A
 * light userdata that is neither (none is made) is refused. */
static int light_kind(lua_State *L, int idx) {
  return lua_type(L, idx) == LUA_TLIGHTUSERDATA
             ? (int)(dt__lrt_light_bits(lua_touserdata(L, idx)) & 3)
             : -1;
}
static int light_index(lua_State *L) {
  switch (light_kind(L, 1)) {
  case DT_LRT_LIGHT_DUR: return dur_index(L);
  case DT_LRT_LIGHT_HOOK: return dt__lrt_lhook_index(L);
  default: return luaL_error(L, "this value has no fields");
  }
}
static int light_tostring(lua_State *L) {
  switch (light_kind(L, 1)) {
  case DT_LRT_LIGHT_DUR: return dur_tostring(L);
  case DT_LRT_LIGHT_HOOK: return dt__lrt_lhook_tostring(L);
  default: lua_pushliteral(L, "userdata"); return 1;
  }
}
static int light_arith(lua_State *L, lua_CFunction dur_fn) {
  int a = light_kind(L, 1), b = light_kind(L, 2);
  if (a == DT_LRT_LIGHT_HOOK || b == DT_LRT_LIGHT_HOOK)
    return luaL_error(L, "attempt to do arithmetic on a Hook");
  return dur_fn(L);
}
static int light_add(lua_State *L) { return light_arith(L, dur_add); }
static int light_lt(lua_State *L) { return light_arith(L, dur_lt); }
static int light_le(lua_State *L) { return light_arith(L, dur_le); }
static int light_mul(lua_State *L) { return light_arith(L, dur_mul); }
static int light_sub(lua_State *L) {
  /* date - light duration lands in the Date's __sub; anything else is not defined. */
  return luaL_error(L, "a duration can only be subtracted from a date");
}

void dt__open_time(lua_State *L) {
  static const luaL_Reg date_mt[] = {
    { "__tostring", date_tostring }, { "__eq", date_eq }, { "__lt", date_lt },
    { "__le", date_le }, { "__add", date_add }, { "__sub", date_sub },
    { "__concat", date_concat }, { "__index", date_index }, { NULL, NULL }
  };
  static const luaL_Reg dur_mt[] = {
    { "__tostring", dur_tostring }, { "__add", dur_add }, { "__mul", dur_mul },
    { "__eq", dur_eq }, { "__lt", dur_lt }, { "__le", dur_le }, { "__concat", date_concat },
    { "__index", dur_index }, { NULL, NULL }
  };
  dt_lrt_t *rt = dt__lrt_get(L);
  luaL_newmetatable(L, DATE_MT); luaL_setfuncs(L, date_mt, 0);
  rt->mt_date = lua_topointer(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &key_date_mt);
  luaL_newmetatable(L, DUR_MT); luaL_setfuncs(L, dur_mt, 0);
  rt->mt_dur = lua_topointer(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &key_dur_mt);
  static const luaL_Reg light_mt[] = {
    { "__index", light_index }, { "__tostring", light_tostring }, { "__add", light_add },
    { "__mul", light_mul }, { "__sub", light_sub }, { "__lt", light_lt }, { "__le", light_le },
    { "__concat", date_concat }, { NULL, NULL }
  };
  lua_pushlightuserdata(L, NULL);
  lua_newtable(L);
  luaL_setfuncs(L, light_mt, 0);
  lua_pushliteral(L, "detente.Value"); lua_setfield(L, -2, "__name");
  lua_pushboolean(L, 0); lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_pop(L, 1);
  static const luaL_Reg fns[] = {
    { "date", l_date }, { "now", l_now }, { "seconds", l_seconds }, { "hours", l_hours },
    { "days", l_days }, { "weeks", l_weeks }, { "months", l_months }, { "years", l_years },
    { NULL, NULL }
  };
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  luaL_setfuncs(L, fns, 0);
  lua_pop(L, 1);
}
