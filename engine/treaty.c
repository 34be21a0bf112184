/* treaty.c: treaties, their status lifecycle and clocks (entry into force,
 * expiry, withdrawal notices), each party's observance and unilateral pledges,
 * limits (for every party or some), declarations and inspections, and
 * compliance, which is always computed from the arsenals and never stored; only
 * the breach flag is kept, to emit treaty.breach / compliance_restored when it
 * changes. */
#include "world.h"
#include <inttypes.h>
#include <math.h>
#include <string.h>

static const char *const status_names[DT_TS__COUNT] = {
  "signed", "in_force", "extended", "expired", "suspended", "terminated"
};
static const char *const ob_names[DT_OB__COUNT] = {
  "complying", "observing_unilaterally", "suspended", "withdrawn", "none"
};

const char *dt_treaty_status_name(int st) {
  return st >= 0 && st < DT_TS__COUNT ? status_names[st] : "?";
}
int dt_treaty_status_parse(const char *s) {
  for (int i = 0; i < DT_TS__COUNT; i++) if (strcmp(s, status_names[i]) == 0) return i;
  return DT_EINVAL;
}
const char *dt_observance_name(int ob) {
  return ob >= 0 && ob < DT_OB__COUNT ? ob_names[ob] : "?";
}
int dt_observance_parse(const char *s) {
  for (int i = 0; i < DT_OB__COUNT; i++) if (strcmp(s, ob_names[i]) == 0) return i;
  return DT_EINVAL;
}

/* Allowed status changes: a table, so that the rules read at a glance. */
static int allowed(int from, int to) {
  static const unsigned char ok[DT_TS__COUNT][DT_TS__COUNT] = {
    /*             sig in  ext exp sus ter */
    /* signed */  { 0, 1,  0,  1,  0,  1 },
    /* in_force*/ { 0, 0,  1,  1,  1,  1 },
    /* extended*/ { 0, 0,  1,  1,  1,  1 },
    /* expired */ { 0, 0,  0,  0,  0,  0 },
    /* suspend */ { 0, 1,  1,  1,  0,  1 },
    /* termin. */ { 0, 0,  0,  0,  0,  0 },
  };
  return ok[from][to];
}

dt_treaty_t *dt_treaty_find(dt_sim_t *sim, const char *id) {
  for (int i = 0; i < sim->ntreaties; i++)
    if (strcmp(sim->treaties[i]->id, id) == 0) return sim->treaties[i];
  return NULL;
}

int dt_treaty_party(const dt_treaty_t *t, int state) {
  for (int i = 0; i < t->nparties; i++) if (t->parties[i] == state) return i;
  return -1;
}

static int emit_treaty(dt_sim_t *sim, dt_treaty_t *t, const char *kind, int actor,
                       const char *text) {
  dt_field_t f[2] = {
    { .key = "treaty", .type = DT_F_STR, .v.str = t->id },
    { .key = "status", .type = DT_F_STR, .v.str = dt_treaty_status_name(t->status) },
  };
  return dt_sim_emitf(sim, kind, actor, -1, DT_VIS_PUBLIC, f, 2, "%s", text);
}

static int recheck_party(dt_sim_t *sim, dt_treaty_t *t, int i);
static int recheck(dt_sim_t *sim, dt_treaty_t *t);

int dt_treaty_add(dt_sim_t *sim, const char *id, const char *name,
                  const int *parties, int nparties, const dt_limit_t *limits,
                  int nlimits, dt_time_t signed_at, dt_time_t in_force_at,
                  dt_time_t expires_at, int max_extensions, dt_treaty_t **out) {
  if (!id || !*id || nparties < 1 || nlimits < 0) return DT_EINVAL;
  if (dt_treaty_find(sim, id)) return DT_EEXIST;
  for (int i = 0; i < nparties; i++) {
    if (parties[i] < 0 || parties[i] >= sim->nstates) return DT_ENOENT;
    for (int j = 0; j < i; j++) if (parties[j] == parties[i]) return DT_EINVAL;
  }
  for (int i = 0; i < nlimits; i++) {
    if (limits[i].metric < 0 || limits[i].metric >= sim->nmetrics) return DT_ENOENT;
    if (nparties < 64 && (limits[i].only >> nparties)) return DT_EINVAL;
  }
  if (in_force_at != DT_NEVER && expires_at != DT_NEVER && expires_at <= in_force_at)
    return DT_EINVAL;
  if (DT__GROW(sim, sim->treaties, sim->captreaties, sim->ntreaties + 1)) return DT_ENOMEM;
  dt_arena_t *a = &sim->arena;
  dt_treaty_t *t = dt_arena_alloc(a, sizeof *t);
  if (!t) return DT_ENOMEM;
  t->id = dt_arena_strdup(a, id);
  t->name = dt_arena_strdup(a, name && *name ? name : id);
  t->parties = dt_arena_alloc(a, sizeof(int) * (size_t)nparties);
  t->observance = dt_arena_alloc(a, sizeof(int) * (size_t)nparties);
  t->pledge_until = dt_arena_alloc(a, sizeof(dt_time_t) * (size_t)nparties);
  t->limits = dt_arena_alloc(a, sizeof(dt_limit_t) * (size_t)(nlimits ? nlimits : 1));
  t->notice_until = dt_arena_alloc(a, sizeof(dt_time_t) * (size_t)nparties);
  t->notice_event = dt_arena_alloc(a, sizeof(dt_qid_t) * (size_t)nparties);
  t->over = dt_arena_alloc(a, (size_t)nparties);
  t->declared =
      dt_arena_alloc(a, sizeof(double) * (size_t)nparties * (size_t)(nlimits ? nlimits : 1));
  t->declared_at = dt_arena_alloc(a, sizeof(dt_time_t) * (size_t)nparties);
  if (!t->id || !t->name || !t->parties || !t->observance || !t->pledge_until || !t->limits ||
      !t->notice_until || !t->notice_event || !t->over || !t->declared || !t->declared_at)
    return DT_ENOMEM;
  t->notice_months = -1; t->notice_seconds = 0;
  for (int i = 0; i < nparties; i++) {
    t->notice_until[i] = DT_NEVER; t->declared_at[i] = DT_NEVER; t->over[i] = 0;
    memset(&t->notice_event[i], 0, sizeof t->notice_event[i]);
    for (int j = 0; j < nlimits; j++) t->declared[i * nlimits + j] = NAN;
  }
  memcpy(t->parties, parties, sizeof(int) * (size_t)nparties);
  if (nlimits) memcpy(t->limits, limits, sizeof(dt_limit_t) * (size_t)nlimits);
  t->nparties = nparties; t->nlimits = nlimits;
  t->signed_at = signed_at; t->in_force_at = in_force_at; t->expires_at = expires_at;
  t->max_extensions = max_extensions;
  t->index = sim->ntreaties;
  for (int i = 0; i < nparties; i++) {
    t->observance[i] = DT_OB_COMPLYING;
    t->pledge_until[i] = DT_NEVER;
  }
  /* The status at creation follows the dates relative to the simulated now. */
  t->status = DT_TS_SIGNED;
  if (in_force_at != DT_NEVER && in_force_at <= sim->now) t->status = DT_TS_IN_FORCE;
  /* A treaty that ends on the day the run starts expires during the run, so
   * its expiry shows on the timeline and reaches on("treaty.expired") hooks. */
  if (expires_at != DT_NEVER && expires_at < sim->now) {
    t->status = DT_TS_EXPIRED;
    for (int i = 0; i < nparties; i++) t->observance[i] = DT_OB_NONE;
  }
  sim->treaties[sim->ntreaties++] = t;
  if (t->status == DT_TS_SIGNED && in_force_at != DT_NEVER &&
      dt_sim_schedule(sim, in_force_at, -10, DT_K_TREATY_ENTRY, t, 0, &t->entry_event))
    return DT_ENOMEM;
  if (t->status != DT_TS_EXPIRED && expires_at != DT_NEVER &&
      dt_sim_schedule(sim, expires_at, -10, DT_K_TREATY_EXPIRY, t, 0, &t->expiry_event))
    return DT_ENOMEM;
  if (out) *out = t;
  return recheck(sim, t);
}

int dt_treaty_set_status(dt_sim_t *sim, dt_treaty_t *t, int status, const char *why) {
  if (status < 0 || status >= DT_TS__COUNT) return DT_EINVAL;
  if (!allowed(t->status, status)) return DT_ESTATE;
  t->status = status;
  if (status == DT_TS_EXPIRED || status == DT_TS_TERMINATED) {
    dt_sim_cancel(sim, t->expiry_event);
    dt_sim_cancel(sim, t->entry_event);
    for (int i = 0; i < t->nparties; i++) {
      int pledged = t->pledge_until[i] != DT_NEVER && t->pledge_until[i] > sim->now;
      if (t->observance[i] != DT_OB_WITHDRAWN)
        t->observance[i] = pledged ? DT_OB_UNILATERAL : DT_OB_NONE;
    }
  }
  if (status == DT_TS_TERMINATED)
    for (int i = 0; i < t->nparties; i++) {
      dt_sim_cancel(sim, t->notice_event[i]);
      t->notice_until[i] = DT_NEVER;
    }
  char text[256];
  snprintf(text, sizeof text, "%s: %s%s%s", t->name, dt_treaty_status_name(status),
           why ? " - " : "", why ? why : "");
  for (char *p = text; *p; p++) if (*p == '_') *p = ' ';
  char kind[40];
  snprintf(kind, sizeof kind, "treaty.%s", dt_treaty_status_name(status));
  int rc = emit_treaty(sim, t, kind, -1, text);
  return rc < 0 ? rc : recheck(sim, t);
}

int dt__treaty_on_entry(dt_sim_t *sim, const dt_qentry_t *e) {
  dt_treaty_t *t = e->ptr;
  sim->handling = "treaty entry into force";
  if (t->status != DT_TS_SIGNED) return 0;
  return dt_treaty_set_status(sim, t, DT_TS_IN_FORCE, "enters into force");
}

int dt__treaty_on_expiry(dt_sim_t *sim, const dt_qentry_t *e) {
  dt_treaty_t *t = e->ptr;
  sim->handling = "treaty expiry";
  if (t->status == DT_TS_EXPIRED || t->status == DT_TS_TERMINATED) return 0;
  return dt_treaty_set_status(sim, t, DT_TS_EXPIRED, "reaches the end of its term");
}

int dt_treaty_extend(dt_sim_t *sim, dt_treaty_t *t, int months, int64_t seconds) {
  if (t->status != DT_TS_IN_FORCE && t->status != DT_TS_EXTENDED &&
      t->status != DT_TS_SIGNED)
    return DT_ESTATE;
  if (t->expires_at == DT_NEVER) return DT_ESTATE;
  if (months < 0 || seconds < 0 || (months == 0 && seconds == 0)) return DT_EINVAL;
  if (t->max_extensions >= 0 && t->extensions >= t->max_extensions) return DT_ESTATE;
  dt_time_t nx;
  if (dt_time_add_months(t->expires_at, months, &nx)) return DT_ERANGE;
  nx += seconds;
  dt_sim_cancel(sim, t->expiry_event);
  t->expires_at = nx;
  t->extensions++;
  if (dt_sim_schedule(sim, nx, -10, DT_K_TREATY_EXPIRY, t, 0, &t->expiry_event))
    return DT_ENOMEM;
  char d[32], why[64];
  dt_time_format(nx, d, sizeof d);
  snprintf(why, sizeof why, "now expires %s", d);
  if (t->status == DT_TS_SIGNED) return emit_treaty(sim, t, "treaty.extended", -1, why);
  return dt_treaty_set_status(sim, t, DT_TS_EXTENDED, why);
}

int dt_treaty_set_observance(dt_sim_t *sim, dt_treaty_t *t, int state, int ob,
                             const char *why) {
  int i = dt_treaty_party(t, state);
  if (i < 0) return DT_ENOENT;
  if (ob < 0 || ob >= DT_OB__COUNT) return DT_EINVAL;
  if (t->observance[i] == DT_OB_WITHDRAWN) return DT_ESTATE;
  if (t->observance[i] == ob) return 0;
  t->observance[i] = ob;
  char text[256];
  snprintf(text, sizeof text, "%s: %s %s%s%s", t->name, sim->states[state]->id,
           dt_observance_name(ob), why ? " - " : "", why ? why : "");
  for (char *p = text; *p; p++) if (*p == '_') *p = ' ';
  dt_field_t f[2] = {
    { .key = "treaty", .type = DT_F_STR, .v.str = t->id },
    { .key = "observance", .type = DT_F_STR, .v.str = dt_observance_name(ob) },
  };
  int rc = dt_sim_emitf(sim, "treaty.observance", state, -1, DT_VIS_PUBLIC, f, 2, "%s", text);
  return rc < 0 ? rc : recheck_party(sim, t, i);
}

int dt_treaty_pledge(dt_sim_t *sim, dt_treaty_t *t, int state, dt_time_t until) {
  int i = dt_treaty_party(t, state);
  if (i < 0) return DT_ENOENT;
  if (until <= sim->now) return DT_EINVAL;
  t->pledge_until[i] = until;
  char d[32], text[256];
  dt_time_format(until, d, sizeof d);
  snprintf(text, sizeof text, "%s pledges to keep the %s limits until %s",
           sim->states[state]->id, t->name, d);
  dt_field_t f[2] = {
    { .key = "treaty", .type = DT_F_STR, .v.str = t->id },
    { .key = "until", .type = DT_F_STR, .v.str = d },
  };
  int rc = dt_sim_emitf(sim, "treaty.pledge", state, -1, DT_VIS_PUBLIC, f, 2, "%s", text);
  if (rc == 0 && (t->status == DT_TS_EXPIRED || t->status == DT_TS_TERMINATED) &&
      t->observance[i] == DT_OB_NONE)
    rc = dt_treaty_set_observance(sim, t, state, DT_OB_UNILATERAL, "under its pledge");
  return rc < 0 ? rc : recheck_party(sim, t, i);
}

int dt_treaty_complies(dt_sim_t *sim, dt_treaty_t *t, int state) {
  if (dt_treaty_party(t, state) < 0) return DT_ENOENT;
  const dt_state_t *s = sim->states[state];
  for (int i = 0; i < t->nlimits; i++) {
    if (!dt_treaty_limit_applies(t, i, state)) continue;
    double v;
    int rc = dt_metric_eval(sim, t->limits[i].metric, s, &v);
    if (rc < 0) return rc;
    if (v > t->limits[i].max) return 0;
  }
  return 1;
}

int dt_treaty_binds(const dt_sim_t *sim, const dt_treaty_t *t, int state) {
  int i = dt_treaty_party(t, state);
  if (i < 0) return 0;
  int ob = t->observance[i];
  if (ob == DT_OB_SUSPENDED || ob == DT_OB_WITHDRAWN) return 0;
  if (t->status == DT_TS_IN_FORCE || t->status == DT_TS_EXTENDED) return 1;
  return t->pledge_until[i] != DT_NEVER && t->pledge_until[i] > sim->now;
}

int dt_treaty_limit_applies(const dt_treaty_t *t, int i, int state) {
  if (i < 0 || i >= t->nlimits) return 0;
  int p = dt_treaty_party(t, state);
  if (p < 0) return 0;
  return t->limits[i].only == 0 || (p < 64 && (t->limits[i].only >> p & 1));
}

/* ---- breaches: the one stored bit of compliance ---- */

/* The first watched limit the party exceeds, or -1. Limits over Lua metrics are
 * not watched: evaluating one would call into a script in the middle of an
 * arsenal change. */
static int first_over(dt_sim_t *sim, const dt_treaty_t *t, int i, double *value) {
  const dt_state_t *s = sim->states[t->parties[i]];
  for (int k = 0; k < t->nlimits; k++) {
    const dt_metric_t *m = &sim->metrics[t->limits[k].metric];
    if (m->foreign_ref || !dt_treaty_limit_applies(t, k, s->index)) continue;
    double v = 0;
    for (int j = 0; j < m->nterms; j++) v += dt_metric_term_eval(&m->terms[j], s);
    if (v > t->limits[k].max) { *value = v; return k; }
  }
  return -1;
}

static int recheck_party(dt_sim_t *sim, dt_treaty_t *t, int i) {
  int state = t->parties[i];
  double v = 0;
  int binds = dt_treaty_binds(sim, t, state);
  int k = binds ? first_over(sim, t, i, &v) : -1;
  int over = k >= 0;
  if (over == t->over[i]) return 0;
  t->over[i] = (unsigned char)over;
  /* A party that stops being bound leaves its breach silently: nothing was
   * restored. */
  if (!over && !binds) return 0;
  const char *id = sim->states[state]->id;
  if (over) {
    const char *metric = sim->metrics[t->limits[k].metric].name;
    dt_field_t f[4] = {
      { .key = "treaty", .type = DT_F_STR, .v.str = t->id },
      { .key = "metric", .type = DT_F_STR, .v.str = metric },
      { .key = "value", .type = DT_F_NUM, .v.num = v },
      { .key = "max", .type = DT_F_NUM, .v.num = t->limits[k].max },
    };
    return dt_sim_emitf(sim, "treaty.breach", state, -1, DT_VIS_PUBLIC, f, 4,
                        "%s: %s exceeds the limit on %s (%.15g > %.15g)", t->name, id, metric,
                        v, t->limits[k].max);
  }
  dt_field_t f[1] = { { .key = "treaty", .type = DT_F_STR, .v.str = t->id } };
  return dt_sim_emitf(sim, "treaty.compliance_restored", state, -1, DT_VIS_PUBLIC, f, 1,
                      "%s: %s is back within every limit", t->name, id);
}

static int recheck(dt_sim_t *sim, dt_treaty_t *t) {
  for (int i = 0; i < t->nparties; i++) {
    int rc = recheck_party(sim, t, i);
    if (rc < 0) return rc;
  }
  return 0;
}

int dt__treaty_recheck_state(dt_sim_t *sim, int state) {
  for (int k = 0; k < sim->ntreaties; k++) {
    dt_treaty_t *t = sim->treaties[k];
    int i = dt_treaty_party(t, state);
    if (i < 0 || t->nlimits == 0) continue;
    int rc = recheck_party(sim, t, i);
    if (rc < 0) return rc;
  }
  return 0;
}

/* ---- withdrawal ---- */

int dt_treaty_set_notice(dt_treaty_t *t, int months, int64_t seconds) {
  if (months >= 0 && (seconds < 0 || (months == 0 && seconds == 0))) return DT_EINVAL;
  t->notice_months = months < 0 ? -1 : months;
  t->notice_seconds = months < 0 ? 0 : seconds;
  return 0;
}

static int active(const dt_treaty_t *t) {
  return t->status != DT_TS_EXPIRED && t->status != DT_TS_TERMINATED;
}

int dt_treaty_give_notice(dt_sim_t *sim, dt_treaty_t *t, int state, const char *why) {
  int i = dt_treaty_party(t, state);
  if (i < 0) return DT_ENOENT;
  if (t->notice_months < 0) return DT_EINVAL;           /* no withdrawal clause */
  if (!active(t) || t->observance[i] == DT_OB_WITHDRAWN || t->notice_until[i] != DT_NEVER)
    return DT_ESTATE;
  dt_time_t when;
  if (dt_time_add_months(sim->now, t->notice_months, &when)) return DT_ERANGE;
  when += t->notice_seconds;
  t->notice_until[i] = when;
  if (dt_sim_schedule(sim, when, -9, DT_K_TREATY_WITHDRAWAL, t, i, &t->notice_event[i]))
    return DT_ENOMEM;
  char d[32], text[320];
  dt_time_format(when, d, sizeof d);
  snprintf(text, sizeof text, "%s: %s gives notice of withdrawal, effective %s%s%s", t->name,
           sim->states[state]->id, d, why && *why ? " - " : "", why && *why ? why : "");
  dt_field_t f[3] = {
    { .key = "treaty", .type = DT_F_STR, .v.str = t->id },
    { .key = "effective", .type = DT_F_STR, .v.str = d },
    { .key = "reason", .type = DT_F_STR, .v.str = why ? why : "" },
  };
  return dt_sim_emitf(sim, "treaty.notice", state, -1, DT_VIS_PUBLIC, f, 3, "%s", text);
}

int dt_treaty_rescind_notice(dt_sim_t *sim, dt_treaty_t *t, int state, const char *why) {
  int i = dt_treaty_party(t, state);
  if (i < 0) return DT_ENOENT;
  if (t->notice_until[i] == DT_NEVER) return DT_ESTATE;
  dt_sim_cancel(sim, t->notice_event[i]);
  t->notice_until[i] = DT_NEVER;
  dt_field_t f[1] = { { .key = "treaty", .type = DT_F_STR, .v.str = t->id } };
  return dt_sim_emitf(sim, "treaty.notice_rescinded", state, -1, DT_VIS_PUBLIC, f, 1,
                      "%s: %s rescinds its notice of withdrawal%s%s", t->name,
                      sim->states[state]->id, why && *why ? " - " : "", why && *why ? why : "");
}

int dt__treaty_on_withdrawal(dt_sim_t *sim, const dt_qentry_t *e) {
  dt_treaty_t *t = e->ptr;
  int i = (int)e->arg;
  sim->handling = "treaty withdrawal";
  if (i < 0 || i >= t->nparties || t->notice_until[i] == DT_NEVER) return 0;
  t->notice_until[i] = DT_NEVER;
  if (!active(t)) return 0;
  int state = t->parties[i];
  const char *id = sim->states[state]->id;
  t->observance[i] = DT_OB_WITHDRAWN;
  t->over[i] = 0;
  dt_field_t f[1] = { { .key = "treaty", .type = DT_F_STR, .v.str = t->id } };
  int rc = dt_sim_emitf(sim, "treaty.withdrawn", state, -1, DT_VIS_PUBLIC, f, 1,
                        "%s: the withdrawal of %s takes effect", t->name, id);
  if (rc < 0) return rc;
  int left = 0;
  for (int k = 0; k < t->nparties; k++) left += t->observance[k] != DT_OB_WITHDRAWN;
  if (left >= 2) return 0;
  char why[160];
  snprintf(why, sizeof why, "ends with the withdrawal of %s", id);
  return dt_treaty_set_status(sim, t, DT_TS_TERMINATED, why);
}

/* ---- declarations and inspections ---- */

static int limit_of(const dt_treaty_t *t, int metric, int state) {
  for (int k = 0; k < t->nlimits; k++)
    if (t->limits[k].metric == metric && dt_treaty_limit_applies(t, k, state)) return k;
  for (int k = 0; k < t->nlimits; k++)
    if (t->limits[k].metric == metric) return k;
  return -1;
}

int dt_treaty_declare(dt_sim_t *sim, dt_treaty_t *t, int state, const int *metrics,
                      const double *values, int n, dt_time_t as_of) {
  int i = dt_treaty_party(t, state);
  if (i < 0) return DT_ENOENT;
  if (n < 1 || (as_of != DT_NEVER && as_of > sim->now)) return DT_EINVAL;
  for (int j = 0; j < n; j++) {
    if (limit_of(t, metrics[j], state) < 0) return DT_ENOENT;
    if (!isfinite(values[j]) || values[j] < 0) return DT_ERANGE;
  }
  char text[400];
  int len = snprintf(text, sizeof text, "%s: %s declares", t->name, sim->states[state]->id);
  for (int j = 0; j < n; j++) {
    t->declared[i * t->nlimits + limit_of(t, metrics[j], state)] = values[j];
    if (len > 0 && (size_t)len < sizeof text)
      len += snprintf(text + len, sizeof text - (size_t)len, "%s %s %.15g", j ? "," : "",
                      sim->metrics[metrics[j]].name, values[j]);
  }
  t->declared_at[i] = as_of == DT_NEVER ? sim->now : as_of;
  if (t->declared_at[i] < sim->now) return 0;
  dt_field_t f[1] = { { .key = "treaty", .type = DT_F_STR, .v.str = t->id } };
  return dt_sim_emitf(sim, "treaty.declaration", state, -1, DT_VIS_PUBLIC, f, 1, "%s", text);
}

double dt_treaty_declared(const dt_treaty_t *t, int state, int metric) {
  int i = dt_treaty_party(t, state);
  if (i < 0) return NAN;
  for (int k = 0; k < t->nlimits; k++)
    if (t->limits[k].metric == metric && !isnan(t->declared[i * t->nlimits + k]))
      return t->declared[i * t->nlimits + k];
  return NAN;
}

int dt_treaty_inspect(dt_sim_t *sim, dt_treaty_t *t, int inspector, int state,
                      double p_detect, int *found) {
  int i = dt_treaty_party(t, state);
  if (i < 0) return DT_ENOENT;
  if (!(p_detect >= 0 && p_detect <= 1)) return DT_EINVAL;
  if (inspector >= sim->nstates) return DT_ENOENT;
  /* One draw per inspection, whatever the truth, so that the run's stream does
   * not depend on whether the declaration was honest. */
  double u = dt_rng_uniform(&sim->rng);
  int bad = -1;
  double truth = 0, said = 0;
  for (int k = 0; k < t->nlimits && bad < 0; k++) {
    double d = t->declared[i * t->nlimits + k];
    if (isnan(d)) continue;
    double v;
    int rc = dt_metric_eval(sim, t->limits[k].metric, sim->states[state], &v);
    if (rc < 0) return rc;
    if (v != d) { bad = k; truth = v; said = d; }
  }
  int hit = bad >= 0 && u < p_detect;
  if (found) *found = hit;
  const char *who = inspector >= 0 ? sim->states[inspector]->id : "inspectors";
  if (hit) {
    const char *metric = sim->metrics[t->limits[bad].metric].name;
    dt_field_t f[5] = {
      { .key = "treaty", .type = DT_F_STR, .v.str = t->id },
      { .key = "finding", .type = DT_F_STR, .v.str = "discrepancy" },
      { .key = "metric", .type = DT_F_STR, .v.str = metric },
      { .key = "declared", .type = DT_F_NUM, .v.num = said },
      { .key = "observed", .type = DT_F_NUM, .v.num = truth },
    };
    return dt_sim_emitf(
        sim, "treaty.inspection", inspector, state, DT_VIS_PUBLIC, f, 5,
        "%s: %s inspects %s and finds a discrepancy: %s declared %.15g, observed %.15g", t->name,
        who, sim->states[state]->id, metric, said, truth);
  }
  dt_field_t f[2] = {
    { .key = "treaty", .type = DT_F_STR, .v.str = t->id },
    { .key = "finding", .type = DT_F_STR, .v.str = "consistent" },
  };
  return dt_sim_emitf(sim, "treaty.inspection", inspector, state, DT_VIS_PUBLIC, f, 2,
                      "%s: %s inspects %s and finds nothing inconsistent with its declaration",
                      t->name, who, sim->states[state]->id);
}
