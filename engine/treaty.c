/* treaty.c: treaties, their status lifecycle and clocks (entry into force,
 * expiry), each party's observance and unilateral pledges, and compliance, which
 * is always computed from the arsenals and never stored. */
#include "world.h"
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
  for (int i = 0; i < nlimits; i++)
    if (limits[i].metric < 0 || limits[i].metric >= sim->nmetrics) return DT_ENOENT;
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
  if (!t->id || !t->name || !t->parties || !t->observance || !t->pledge_until || !t->limits)
    return DT_ENOMEM;
  memcpy(t->parties, parties, sizeof(int) * (size_t)nparties);
  if (nlimits) memcpy(t->limits, limits, sizeof(dt_limit_t) * (size_t)nlimits);
  t->nparties = nparties; t->nlimits = nlimits;
  t->signed_at = signed_at; t->in_force_at = in_force_at; t->expires_at = expires_at;
  t->max_extensions = max_extensions;
  t->index = sim->ntreaties;
  for (int i = 0; i < nparties; i++) { t->observance[i] = DT_OB_COMPLYING; t->pledge_until[i] = DT_NEVER; }
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
  return 0;
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
  char text[256];
  snprintf(text, sizeof text, "%s: %s%s%s", t->name, dt_treaty_status_name(status),
           why ? " - " : "", why ? why : "");
  for (char *p = text; *p; p++) if (*p == '_') *p = ' ';
  char kind[40];
  snprintf(kind, sizeof kind, "treaty.%s", dt_treaty_status_name(status));
  return emit_treaty(sim, t, kind, -1, text);
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
  return dt_sim_emitf(sim, "treaty.observance", state, -1, DT_VIS_PUBLIC, f, 2, "%s", text);
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
  return rc;
}

int dt_treaty_complies(dt_sim_t *sim, dt_treaty_t *t, int state) {
  if (dt_treaty_party(t, state) < 0) return DT_ENOENT;
  const dt_state_t *s = sim->states[state];
  for (int i = 0; i < t->nlimits; i++) {
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
