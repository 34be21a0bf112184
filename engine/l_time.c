/* l_time.c: script-visible dates and durations. A Date wraps simulated UTC
 * seconds; a Duration holds calendar months and seconds apart, so that
 * months(1) after 31 Jan lands on the last day of February. */
#include "lrt.h"
#include <math.h>
#include <string.h>

#define DATE_MT "detente.Date"
#define DUR_MT "detente.Duration"

typedef struct { dt_time_t t; } ldate_t;

/* [-0, +1, m] */
void dt__lrt_pushtime(lua_State *L, dt_time_t t) {
  ldate_t *d = lua_newuserdatauv(L, sizeof *d, 0);
  d->t = t;
  luaL_setmetatable(L, DATE_MT);
}

/* [-0, +0, v] */
dt_time_t dt__lrt_checktime(lua_State *L, int idx) {
  ldate_t *d = luaL_testudata(L, idx, DATE_MT);
  if (d) return d->t;
  if (lua_type(L, idx) == LUA_TSTRING) {
    dt_time_t t;
    const char *s = lua_tostring(L, idx);
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

/* [-0, +1, e] */
static void pushdur(lua_State *L, int64_t months, int64_t seconds) {
  if (months < -DUR_MAX_MONTHS || months > DUR_MAX_MONTHS || seconds < -DUR_MAX_SECONDS ||
      seconds > DUR_MAX_SECONDS)
    luaL_error(L, "duration out of range: a duration spans at most 10000 years");
  dt_lrt_dur_t *d = lua_newuserdatauv(L, sizeof *d, 0);
  d->months = months; d->seconds = seconds;
  luaL_setmetatable(L, DUR_MT);
}

int dt__lrt_isdur(lua_State *L, int idx) { return luaL_testudata(L, idx, DUR_MT) != NULL; }

dt_lrt_dur_t dt__lrt_checkdur(lua_State *L, int idx) {
  dt_lrt_dur_t *d = luaL_testudata(L, idx, DUR_MT);
  if (!d) { luaL_typeerror(L, idx, "duration (e.g. days(30), months(1))"); return (dt_lrt_dur_t){ 0, 0 }; }
  if (d->months < 0 || d->seconds < 0) luaL_argerror(L, idx, "duration must not be negative");
  return *d;
}

dt_time_t dt__lrt_addur(lua_State *L, dt_time_t t, dt_lrt_dur_t d) {
  dt_time_t out;
  if (dt_time_add_months(t, d.months, &out) != 0 || out + d.seconds > DT_TIME_MAX ||
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
static int l_months(lua_State *L) {
  lua_Integer n = luaL_checkinteger(L, 1);
  luaL_argcheck(L, n >= 0 && n < 120000, 1, "whole number of months >= 0 expected");
  pushdur(L, n, 0);
  return 1;
}
static int l_years(lua_State *L) {
  lua_Integer n = luaL_checkinteger(L, 1);
  luaL_argcheck(L, n >= 0 && n < 10000, 1, "whole number of years >= 0 expected");
  pushdur(L, n * 12, 0);
  return 1;
}

static int l_now(lua_State *L) { dt__lrt_pushtime(L, dt__lrt_sim(L)->now); return 1; }

/* Date metamethods */
static int date_tostring(lua_State *L) {
  ldate_t *d = luaL_checkudata(L, 1, DATE_MT);
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
  int di = luaL_testudata(L, 1, DATE_MT) ? 1 : 2;
  dt_lrt_dur_t *u = luaL_testudata(L, 3 - di, DUR_MT);
  if (!u) return luaL_error(L, "a date can only be added to a duration (days(n), months(n), ...)");
  dt__lrt_pushtime(L, dt__lrt_addur(L, dt__lrt_checktime(L, di), *u));
  return 1;
}
static int date_sub(lua_State *L) {
  dt_time_t a = dt__lrt_checktime(L, 1);
  dt_lrt_dur_t *u = luaL_testudata(L, 2, DUR_MT);
  if (u) {
    dt_time_t out;
    if (dt_time_add_months(a, -u->months, &out) != 0 || out - u->seconds < DT_TIME_MIN ||
        out - u->seconds > DT_TIME_MAX)
      return luaL_error(L, "date out of range (the calendar runs from year 1 to 9999)");
    dt__lrt_pushtime(L, out - u->seconds);
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
  const char *k = luaL_checkstring(L, 2);
  int y, m, d, hh, mm, ss;
  dt_time_to_civil(t, &y, &m, &d, &hh, &mm, &ss);
  if (strcmp(k, "year") == 0) lua_pushinteger(L, y);
  else if (strcmp(k, "month") == 0) lua_pushinteger(L, m);
  else if (strcmp(k, "day") == 0) lua_pushinteger(L, d);
  else if (strcmp(k, "time") == 0) lua_pushinteger(L, t);
  else return luaL_error(L, "Date has no field '%s' (it has year, month, day, time)", k);
  return 1;
}

/* Duration metamethods */
static int dur_tostring(lua_State *L) {
  dt_lrt_dur_t *d = luaL_checkudata(L, 1, DUR_MT);
  if (d->months && !d->seconds)
    lua_pushfstring(L, "%I month%s", (lua_Integer)d->months, d->months == 1 ? "" : "s");
  else if (!d->months && d->seconds % 86400 == 0)
    lua_pushfstring(L, "%I day%s", (lua_Integer)(d->seconds / 86400), d->seconds == 86400 ? "" : "s");
  else
    lua_pushfstring(L, "%I months %I seconds", (lua_Integer)d->months, (lua_Integer)d->seconds);
  return 1;
}
static int dur_add(lua_State *L) {
  dt_lrt_dur_t *a = luaL_testudata(L, 1, DUR_MT), *b = luaL_testudata(L, 2, DUR_MT);
  if (!a || !b) return date_add(L);
  pushdur(L, a->months + b->months, a->seconds + b->seconds);
  return 1;
}
static int dur_mul(lua_State *L) {
  int di = luaL_testudata(L, 1, DUR_MT) ? 1 : 2;
  dt_lrt_dur_t *a = luaL_checkudata(L, di, DUR_MT);
  lua_Number k = luaL_checknumber(L, 3 - di);
  if (!(k >= 0) || !isfinite(k)) return luaL_error(L, "a duration can only be scaled by a number >= 0");
  if (a->months && k != floor(k))
    return luaL_error(L, "calendar months can only be multiplied by a whole number");
  double m = (double)a->months * k, sec = (double)a->seconds * k;
  if (m > (double)DUR_MAX_MONTHS || sec > (double)DUR_MAX_SECONDS)
    return luaL_error(L, "duration out of range: a duration spans at most 10000 years");
  pushdur(L, (int64_t)m, (int64_t)llround(sec));
  return 1;
}
static int dur_eq(lua_State *L) {
  dt_lrt_dur_t *a = luaL_checkudata(L, 1, DUR_MT), *b = luaL_checkudata(L, 2, DUR_MT);
  lua_pushboolean(L, a->months == b->months && a->seconds == b->seconds);
  return 1;
}
static int dur_index(lua_State *L) {
  dt_lrt_dur_t *d = luaL_checkudata(L, 1, DUR_MT);
  const char *k = luaL_checkstring(L, 2);
  if (strcmp(k, "days") == 0 && !d->months) lua_pushnumber(L, (double)d->seconds / 86400);
  else if (strcmp(k, "months") == 0) lua_pushinteger(L, d->months);
  else if (strcmp(k, "seconds") == 0) lua_pushinteger(L, d->seconds);
  else return luaL_error(L, "Duration has no field '%s' (it has days, months, seconds)", k);
  return 1;
}

void dt__open_time(lua_State *L) {
  static const luaL_Reg date_mt[] = {
    { "__tostring", date_tostring }, { "__eq", date_eq }, { "__lt", date_lt },
    { "__le", date_le }, { "__add", date_add }, { "__sub", date_sub },
    { "__concat", date_concat }, { "__index", date_index }, { NULL, NULL }
  };
  static const luaL_Reg dur_mt[] = {
    { "__tostring", dur_tostring }, { "__add", dur_add }, { "__mul", dur_mul },
    { "__eq", dur_eq }, { "__concat", date_concat }, { "__index", dur_index }, { NULL, NULL }
  };
  luaL_newmetatable(L, DATE_MT); luaL_setfuncs(L, date_mt, 0);
  lua_pop(L, 1);
  luaL_newmetatable(L, DUR_MT); luaL_setfuncs(L, dur_mt, 0);
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
