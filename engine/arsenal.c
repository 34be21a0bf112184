/* arsenal.c: weapon-system rows of each state's arsenal, the operations that
 * change them (at once or gradually at a rate) and the counting rules (metrics)
 * evaluated over them. No count can ever go negative. */
#include "world.h"
#include <inttypes.h>
#include <math.h>
#include <string.h>

static const char *const op_names[DT_OP__COUNT] = {
  "deploy", "undeploy", "upload", "download", "build", "retire"
};

const char *dt_arsenal_op_name(int op) {
  return op >= 0 && op < DT_OP__COUNT ? op_names[op] : "?";
}

int dt_arsenal_op_parse(const char *s) {
  for (int i = 0; i < DT_OP__COUNT; i++)
    if (strcmp(s, op_names[i]) == 0) return i;
  return DT_EINVAL;
}

int dt_system_add(dt_sim_t *sim, dt_state_t *s, const char *name, int category,
                  int64_t deployed, int64_t nondeployed, int64_t warheads,
                  int64_t capacity, int accountable, dt_system_t **out) {
  if (!name || !*name || category < 0 || category >= sim->ncats) return DT_EINVAL;
  if (deployed < 0 || nondeployed < 0 || warheads < 0 || capacity < 0) return DT_ERANGE;
  if (deployed > DT_COUNT_MAX || nondeployed > DT_COUNT_MAX || warheads > DT_COUNT_MAX ||
      capacity > DT_CAPACITY_MAX)
    return DT_ERANGE;
  if (capacity > 0 && warheads > deployed * capacity) return DT_ERANGE;
  if (deployed == 0 && warheads > 0) return DT_ERANGE;
  if (dt_system_find(s, name)) return DT_EEXIST;
  if (DT__GROW(sim, s->systems, s->capsystems, s->nsystems + 1)) return DT_ENOMEM;
  dt_system_t *y = dt_arena_alloc(&sim->arena, sizeof *y);
  if (!y || !(y->name = dt_arena_strdup(&sim->arena, name))) return DT_ENOMEM;
  y->state = s->index; y->index = s->nsystems; y->category = category;
  y->deployed = deployed; y->nondeployed = nondeployed; y->warheads = warheads;
  y->capacity = capacity; y->accountable = accountable != 0;
  s->systems[s->nsystems++] = y;
  if (out) *out = y;
  return 0;
}

dt_system_t *dt_system_find(const dt_state_t *s, const char *name) {
  for (int i = 0; i < s->nsystems; i++)
    if (strcmp(s->systems[i]->name, name) == 0) return s->systems[i];
  return NULL;
}

int dt_arsenal_apply(dt_sim_t *sim, dt_system_t *y, int op, int64_t n) {
  (void)sim;
  /* Every count stays within [0, DT_COUNT_MAX]; with n bounded the same way no
   * sum or product below can overflow. */
  if (n < 0 || n > DT_COUNT_MAX) return DT_ERANGE;
  switch (op) {
  case DT_OP_DEPLOY:
    if (n > y->nondeployed || y->deployed + n > DT_COUNT_MAX) return DT_ERANGE;
    y->nondeployed -= n; y->deployed += n;
    return 0;
  case DT_OP_UNDEPLOY: {
    if (n > y->deployed || y->nondeployed + n > DT_COUNT_MAX) return DT_ERANGE;
    /* The launchers stood down take their share of warheads with them, rounded
     * so that what stays never exceeds what remains deployed can carry. */
    int64_t keep = y->deployed - n;
    int64_t off = y->deployed ? (y->warheads * n + y->deployed - 1) / y->deployed : 0;
    if (keep == 0) off = y->warheads;
    y->deployed = keep; y->nondeployed += n; y->warheads -= off;
    return 0;
  }
  case DT_OP_UPLOAD:
    if (y->warheads + n > DT_COUNT_MAX) return DT_ERANGE;
    if (y->capacity > 0 && y->warheads + n > y->deployed * y->capacity) return DT_ERANGE;
    if (y->deployed == 0 && n > 0) return DT_ERANGE;
    y->warheads += n;
    return 0;
  case DT_OP_DOWNLOAD:
    if (n > y->warheads) return DT_ERANGE;
    y->warheads -= n;
    return 0;
  case DT_OP_BUILD:
    if (y->nondeployed + n > DT_COUNT_MAX) return DT_ERANGE;
    y->nondeployed += n;
    return 0;
  case DT_OP_RETIRE:
    if (n > y->nondeployed) return DT_ERANGE;
    y->nondeployed -= n;
    return 0;
  default:
    return DT_EINVAL;
  }
}

int dt_arsenal_change_now(dt_sim_t *sim, dt_system_t *y, int op, int64_t n) {
  int64_t before_d = y->deployed, before_w = y->warheads, before_n = y->nondeployed;
  int rc = dt_arsenal_apply(sim, y, op, n);
  if (rc < 0) return rc;
  const dt_state_t *s = sim->states[y->state];
  char kind[32];
  snprintf(kind, sizeof kind, "arsenal.%s", dt_arsenal_op_name(op));
  dt_field_t f[5] = {
    { .key = "system", .type = DT_F_STR, .v.str = y->name },
    { .key = "n", .type = DT_F_INT, .v.i = n },
    { .key = "deployed", .type = DT_F_INT, .v.i = y->deployed },
    { .key = "nondeployed", .type = DT_F_INT, .v.i = y->nondeployed },
    { .key = "warheads", .type = DT_F_INT, .v.i = y->warheads },
  };
  if (op == DT_OP_UPLOAD || op == DT_OP_DOWNLOAD)
    return dt_sim_emitf(sim, kind, s->index, -1, DT_VIS_PUBLIC, f, 5,
                        "%s %s: %s %" PRId64 " warheads (%" PRId64 " -> %" PRId64 ")",
                        s->id, y->name, dt_arsenal_op_name(op), n, before_w, y->warheads);
  return dt_sim_emitf(sim, kind, s->index, -1, DT_VIS_PUBLIC, f, 5,
                      "%s %s: %s %" PRId64 " launchers (deployed %" PRId64 " -> %" PRId64
                      ", non-deployed %" PRId64 " -> %" PRId64 ")",
                      s->id, y->name, dt_arsenal_op_name(op), n, before_d, y->deployed,
                      before_n, y->nondeployed);
}

/* Units 1..total fall due on day ceil(k / per_day) after the start; a step applies
 * every unit due by its day and schedules the next day on which one falls due. */
static dt_time_t due_time(const dt_change_t *c, int64_t k) {
  double d = ceil((double)k / c->per_day - 1e-9);
  if (d < 0) d = 0;
  return c->started + (dt_time_t)d * DT_DAY;
}

static int change_emit(dt_sim_t *sim, dt_change_t *c, const char *kind) {
  dt_state_t *s = sim->states[c->state];
  dt_system_t *y = s->systems[c->system];
  const char *op = dt_arsenal_op_name(c->op);
  dt_field_t f[5] = {
    { .key = "system", .type = DT_F_STR, .v.str = y->name },
    { .key = "op", .type = DT_F_STR, .v.str = op },
    { .key = "done", .type = DT_F_INT, .v.i = c->done },
    { .key = "total", .type = DT_F_INT, .v.i = c->total },
    { .key = "per_day", .type = DT_F_NUM, .v.num = c->per_day },
  };
  if (!strcmp(kind, "arsenal.change_started"))
    return dt_sim_emitf(sim, kind, s->index, -1, DT_VIS_PUBLIC, f, 5,
                        "%s %s: begins to %s %" PRId64 " at %.3g a day", s->id, y->name, op,
                        c->total, c->per_day);
  if (!strcmp(kind, "arsenal.change_done"))
    return dt_sim_emitf(sim, kind, s->index, -1, DT_VIS_PUBLIC, f, 5,
                        "%s %s: %s of %" PRId64 " complete", s->id, y->name, op, c->total);
  return dt_sim_emitf(sim, kind, s->index, -1, DT_VIS_PUBLIC, f, 5,
                      "%s %s: %s stopped after %" PRId64 " of %" PRId64 " (%s)", s->id, y->name,
                      op, c->done, c->total, c->reason ? c->reason : "stopped");
}

int dt_arsenal_schedule(dt_sim_t *sim, dt_system_t *y, int op, int64_t total,
                        double per_day, dt_change_t **out) {
  if (op < 0 || op >= DT_OP__COUNT) return DT_EINVAL;
  if (total < 0 || total > DT_COUNT_MAX || !(per_day > 0) || !isfinite(per_day)) return DT_ERANGE;
  if (DT__GROW(sim, sim->changes, sim->capchanges, sim->nchanges + 1)) return DT_ENOMEM;
  dt_change_t *c = dt_arena_alloc(&sim->arena, sizeof *c);
  if (!c) return DT_ENOMEM;
  c->index = sim->nchanges; c->state = y->state; c->system = y->index; c->op = op;
  c->total = total; c->per_day = per_day; c->started = sim->now; c->active = 1;
  sim->changes[sim->nchanges++] = c;
  if (out) *out = c;
  change_emit(sim, c, "arsenal.change_started");
  if (total == 0) { c->active = 0; return change_emit(sim, c, "arsenal.change_done"); }
  return dt_sim_schedule(sim, due_time(c, 1), -1, DT_K_ARSENAL_STEP, c, 0, &c->next);
}

int dt__arsenal_on_step(dt_sim_t *sim, const dt_qentry_t *e) {
  dt_change_t *c = e->ptr;
  if (!c->active) return 0;
  dt_system_t *y = sim->states[c->state]->systems[c->system];
  sim->handling = "arsenal change";
  int64_t due = c->done;
  while (due < c->total && due_time(c, due + 1) <= sim->now) due++;
  int64_t n = due - c->done;
  int rc = dt_arsenal_apply(sim, y, c->op, n);
  if (rc < 0) {
    /* Apply what still fits, unit by unit is too slow for big steps: bisect. */
    int64_t lo = 0, hi = n;
    while (lo < hi) {
      int64_t mid = lo + (hi - lo + 1) / 2;
      dt_system_t probe = *y;
      if (dt_arsenal_apply(sim, &probe, c->op, mid) == 0) lo = mid; else hi = mid - 1;
    }
    if (lo > 0) dt_arsenal_apply(sim, y, c->op, lo);
    c->done += lo;
    c->active = 0;
    c->reason = "no room left (capacity or count reached)";
    return change_emit(sim, c, "arsenal.change_stopped");
  }
  c->done = due;
  if (c->done >= c->total) {
    c->active = 0;
    return change_emit(sim, c, "arsenal.change_done");
  }
  return dt_sim_schedule(sim, due_time(c, c->done + 1), -1, DT_K_ARSENAL_STEP, c, 0, &c->next);
}

int dt_change_cancel(dt_sim_t *sim, dt_change_t *c) {
  if (!c->active) return DT_ESTATE;
  c->active = 0;
  dt_sim_cancel(sim, c->next);
  c->reason = "cancelled";
  return change_emit(sim, c, "arsenal.change_stopped");
}

int64_t dt_arsenal_qty(const dt_state_t *s, int qty, uint64_t cats, int accountable_only) {
  int64_t sum = 0;
  for (int i = 0; i < s->nsystems; i++) {
    const dt_system_t *y = s->systems[i];
    if (!(cats >> y->category & 1)) continue;
    if (accountable_only && !y->accountable) continue;
    switch (qty) {
    case DT_Q_DEPLOYED: sum += y->deployed; break;
    case DT_Q_NONDEPLOYED: sum += y->nondeployed; break;
    case DT_Q_LAUNCHERS: sum += y->deployed + y->nondeployed; break;
    case DT_Q_WARHEADS: sum += y->warheads; break;
    default: break;
    }
  }
  return sum;
}

int dt_metric_find(const dt_sim_t *sim, const char *name) {
  for (int i = 0; i < sim->nmetrics; i++)
    if (strcmp(sim->metrics[i].name, name) == 0) return i;
  return DT_ENOENT;
}

int dt_metric_add(dt_sim_t *sim, const char *name, const char *doc,
                  const dt_metric_term_t *terms, int nterms, int foreign_ref) {
  if (!name || !*name || nterms < 0 || (nterms == 0 && !foreign_ref)) return DT_EINVAL;
  if (dt_metric_find(sim, name) >= 0) return DT_EEXIST;
  for (int i = 0; i < nterms; i++)
    if (terms[i].qty < DT_Q_DEPLOYED || terms[i].qty > DT_Q_WARHEADS) return DT_EINVAL;
  if (DT__GROW(sim, sim->metrics, sim->capmetrics, sim->nmetrics + 1)) return DT_ENOMEM;
  dt_metric_t *m = &sim->metrics[sim->nmetrics];
  memset(m, 0, sizeof *m);
  m->name = dt_arena_strdup(&sim->arena, name);
  m->doc = doc ? dt_arena_strdup(&sim->arena, doc) : NULL;
  if (nterms) {
    m->terms = dt_arena_alloc(&sim->arena, sizeof *terms * (size_t)nterms);
    if (!m->terms) return DT_ENOMEM;
    memcpy(m->terms, terms, sizeof *terms * (size_t)nterms);
  }
  m->nterms = nterms; m->foreign_ref = foreign_ref;
  if (!m->name) return DT_ENOMEM;
  return sim->nmetrics++;
}

int dt_metric_eval(dt_sim_t *sim, int metric, const dt_state_t *s, double *out) {
  if (metric < 0 || metric >= sim->nmetrics) return DT_ENOENT;
  const dt_metric_t *m = &sim->metrics[metric];
  if (m->foreign_ref) {
    if (!sim->metric_cb) return DT_EINVAL;
    return sim->metric_cb(sim, metric, s, out, sim->metric_ud);
  }
  /* In double: the weights come from scripts and may be large. */
  double sum = 0;
  for (int i = 0; i < m->nterms; i++) {
    const dt_metric_term_t *t = &m->terms[i];
    sum += (double)t->weight * (double)dt_arsenal_qty(s, t->qty, t->cats, t->accountable_only);
  }
  *out = sum;
  return 0;
}
