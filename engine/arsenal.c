/* arsenal.c: weapon-system rows of each state's arsenal (launchers, missiles,
 * warheads, range and basing), each state's warhead stockpile, the operations
 * that change them (at once or gradually at a rate) and the counting rules
 * (metrics) evaluated over them. No count can ever go negative. After every
 * change the treaties re-check the state (treaty.c emits breaches). */
#include "world.h"
#include <inttypes.h>
#include <math.h>
#include <string.h>

static const char *const op_names[DT_OP__COUNT] = {
  "deploy", "undeploy", "upload", "download", "build", "retire", "produce", "eliminate"
};
static const char *const qty_names[DT_Q__COUNT] = {
  "deployed", "nondeployed", "launchers", "warheads", "missiles", "deployed_missiles", "reloads"
};
static const char *const basing_names[DT_BASE__COUNT] = { "unknown", "ground", "sea", "air" };
static const char *const sop_names[DT_SOP__COUNT] = { "produce", "retire", "dismantle" };

static int parse_name(const char *const *names, int n, const char *s) {
  for (int i = 0; s && i < n; i++)
    if (strcmp(s, names[i]) == 0) return i;
  return DT_EINVAL;
}
const char *dt_qty_name(int q) { return q >= 0 && q < DT_Q__COUNT ? qty_names[q] : "?"; }
int dt_qty_parse(const char *s) { return parse_name(qty_names, DT_Q__COUNT, s); }
const char *dt_basing_name(int b) { return b >= 0 && b < DT_BASE__COUNT ? basing_names[b] : "?"; }
int dt_basing_parse(const char *s) { return parse_name(basing_names, DT_BASE__COUNT, s); }
const char *dt_stock_op_name(int op) { return op >= 0 && op < DT_SOP__COUNT ? sop_names[op] : "?"; }
int dt_stock_op_parse(const char *s) { return parse_name(sop_names, DT_SOP__COUNT, s); }

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
  sim->arsenal_ver++;   /* conservative: a refused change counts as one too */
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
  y->per_launcher_missiles = 1;
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
  /* Every count stays within [0, DT_COUNT_MAX]; with n bounded the same way no
   * sum or product below can overflow. */
  if (sim) sim->arsenal_ver++;
  if (n < 0 || n > DT_COUNT_MAX) return DT_ERANGE;
  dt_state_t *s = sim ? sim->states[y->state] : NULL;
  int stock = s && s->stockpile;
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
    if (stock && s->reserve + off > DT_COUNT_MAX) return DT_ERANGE;
    y->deployed = keep; y->nondeployed += n; y->warheads -= off;
    if (stock) s->reserve += off;
    return 0;
  }
  case DT_OP_UPLOAD:
    if (y->warheads + n > DT_COUNT_MAX) return DT_ERANGE;
    if (y->capacity > 0 && y->warheads + n > y->deployed * y->capacity) return DT_ERANGE;
    if (y->deployed == 0 && n > 0) return DT_ERANGE;
    if (stock && n > s->reserve) return DT_ERANGE;   /* uploads draw on the reserve */
    y->warheads += n;
    if (stock) s->reserve -= n;
    return 0;
  case DT_OP_DOWNLOAD:
    if (n > y->warheads) return DT_ERANGE;
    if (stock && s->reserve + n > DT_COUNT_MAX) return DT_ERANGE;
    y->warheads -= n;
    if (stock) s->reserve += n;
    return 0;
  case DT_OP_BUILD:
    if (y->nondeployed + n > DT_COUNT_MAX) return DT_ERANGE;
    y->nondeployed += n;
    return 0;
  case DT_OP_RETIRE:
    if (n > y->nondeployed) return DT_ERANGE;
    y->nondeployed -= n;
    return 0;
  case DT_OP_PRODUCE:
    if (y->reloads + n > DT_COUNT_MAX) return DT_ERANGE;
    y->reloads += n;
    return 0;
  case DT_OP_ELIMINATE:
    if (n > y->reloads) return DT_ERANGE;
    y->reloads -= n;
    return 0;
  default:
    return DT_EINVAL;
  }
}

int64_t dt_arsenal_room(const dt_sim_t *sim, const dt_system_t *y, int op) {
  const dt_state_t *s = sim ? sim->states[y->state] : NULL;
  int64_t r;
  switch (op) {
  case DT_OP_DEPLOY: r = y->nondeployed; break;
  case DT_OP_UNDEPLOY: r = y->deployed; break;
  case DT_OP_UPLOAD:
    if (y->deployed == 0) return 0;
    r = y->capacity > 0 ? y->deployed * y->capacity - y->warheads : DT_COUNT_MAX - y->warheads;
    if (s && s->stockpile && s->reserve < r) r = s->reserve;
    break;
  case DT_OP_DOWNLOAD: r = y->warheads; break;
  case DT_OP_BUILD: r = DT_COUNT_MAX - y->nondeployed; break;
  case DT_OP_RETIRE: r = y->nondeployed; break;
  case DT_OP_PRODUCE: r = DT_COUNT_MAX - y->reloads; break;
  case DT_OP_ELIMINATE: r = y->reloads; break;
  default: return 0;
  }
  return r < 0 ? 0 : r;
}

/* Emits arsenal.<op> for a change already applied. */
static int emit_change(dt_sim_t *sim, const dt_system_t *y, int op, int64_t n,
                       int64_t before_d, int64_t before_n, int64_t before_w, int64_t before_r) {
  const dt_state_t *s = sim->states[y->state];
  char kind[32];
  snprintf(kind, sizeof kind, "arsenal.%s", dt_arsenal_op_name(op));
  dt_field_t f[6] = {
    { .key = "system", .type = DT_F_STR, .v.str = y->name },
    { .key = "n", .type = DT_F_INT, .v.i = n },
    { .key = "deployed", .type = DT_F_INT, .v.i = y->deployed },
    { .key = "nondeployed", .type = DT_F_INT, .v.i = y->nondeployed },
    { .key = "warheads", .type = DT_F_INT, .v.i = y->warheads },
    { .key = "reloads", .type = DT_F_INT, .v.i = y->reloads },
  };
  /* The reload count rides along only where it changes, so that the event log
   * of a scenario without missiles reads as before. */
  int nf = (op == DT_OP_PRODUCE || op == DT_OP_ELIMINATE) ? 6 : 5;
  if (op == DT_OP_UPLOAD || op == DT_OP_DOWNLOAD)
    return dt_sim_emitf(sim, kind, s->index, -1, DT_VIS_PUBLIC, f, nf,
                        "%s %s: %s %" PRId64 " warheads (%" PRId64 " -> %" PRId64 ")",
                        s->id, y->name, dt_arsenal_op_name(op), n, before_w, y->warheads);
  if (op == DT_OP_PRODUCE || op == DT_OP_ELIMINATE)
    return dt_sim_emitf(sim, kind, s->index, -1, DT_VIS_PUBLIC, f, nf,
                        "%s %s: %s %" PRId64 " reload missiles (%" PRId64 " -> %" PRId64 ")",
                        s->id, y->name, dt_arsenal_op_name(op), n, before_r, y->reloads);
  return dt_sim_emitf(sim, kind, s->index, -1, DT_VIS_PUBLIC, f, nf,
                      "%s %s: %s %" PRId64 " launchers (deployed %" PRId64 " -> %" PRId64
                      ", non-deployed %" PRId64 " -> %" PRId64 ")",
                      s->id, y->name, dt_arsenal_op_name(op), n, before_d, y->deployed,
                      before_n, y->nondeployed);
}

int dt_arsenal_change_now(dt_sim_t *sim, dt_system_t *y, int op, int64_t n) {
  int64_t before_d = y->deployed, before_w = y->warheads, before_n = y->nondeployed;
  int64_t before_r = y->reloads;
  int rc = dt_arsenal_apply(sim, y, op, n);
  if (rc < 0) return rc;
  rc = emit_change(sim, y, op, n, before_d, before_n, before_w, before_r);
  if (rc < 0) return rc;
  return dt__treaty_recheck_state(sim, y->state);
}

/* ---- the warhead stockpile ---- */

int dt_stockpile_set(dt_sim_t *sim, dt_state_t *s, int64_t reserve, int64_t awaiting) {
  if (sim) sim->arsenal_ver++;
  if (reserve < 0 || awaiting < 0 || reserve > DT_COUNT_MAX || awaiting > DT_COUNT_MAX)
    return DT_ERANGE;
  s->stockpile = 1; s->reserve = reserve; s->awaiting = awaiting;
  return 0;
}

int64_t dt_stockpile_deployed(const dt_state_t *s) {
  int64_t sum = 0;
  for (int i = 0; i < s->nsystems; i++) sum += s->systems[i]->warheads;
  return sum;
}

int dt_stockpile_apply(dt_sim_t *sim, dt_state_t *s, int op, int64_t n) {
  if (sim) sim->arsenal_ver++;
  if (!s->stockpile) return DT_ESTATE;
  if (n < 0 || n > DT_COUNT_MAX) return DT_ERANGE;
  switch (op) {
  case DT_SOP_PRODUCE:
    if (s->reserve + n > DT_COUNT_MAX) return DT_ERANGE;
    s->reserve += n; return 0;
  case DT_SOP_RETIRE:
    if (n > s->reserve || s->awaiting + n > DT_COUNT_MAX) return DT_ERANGE;
    s->reserve -= n; s->awaiting += n; return 0;
  case DT_SOP_DISMANTLE:
    if (n > s->awaiting) return DT_ERANGE;
    s->awaiting -= n; return 0;
  default: return DT_EINVAL;
  }
}

static int64_t stock_room(const dt_state_t *s, int op) {
  switch (op) {
  case DT_SOP_PRODUCE: return DT_COUNT_MAX - s->reserve;
  case DT_SOP_RETIRE: return s->reserve;
  case DT_SOP_DISMANTLE: return s->awaiting;
  default: return 0;
  }
}

static int emit_stock(dt_sim_t *sim, const dt_state_t *s, int op, int64_t n) {
  char kind[32];
  snprintf(kind, sizeof kind, "stockpile.%s", dt_stock_op_name(op));
  dt_field_t f[3] = {
    { .key = "n", .type = DT_F_INT, .v.i = n },
    { .key = "reserve", .type = DT_F_INT, .v.i = s->reserve },
    { .key = "awaiting_dismantlement", .type = DT_F_INT, .v.i = s->awaiting },
  };
  return dt_sim_emitf(sim, kind, s->index, -1, DT_VIS_PUBLIC, f, 3,
                      "%s stockpile: %s %" PRId64 " warheads (reserve %" PRId64
                      ", awaiting dismantlement %" PRId64 ")",
                      s->id, dt_stock_op_name(op), n, s->reserve, s->awaiting);
}

int dt_stockpile_change_now(dt_sim_t *sim, dt_state_t *s, int op, int64_t n) {
  int rc = dt_stockpile_apply(sim, s, op, n);
  if (rc < 0) return rc;
  return emit_stock(sim, s, op, n);
}

/* ---- gradual changes ---- */

/* Units 1..total fall due on day ceil(k / per_day) after the start; a step applies
 * every unit due by its day and schedules the next day on which one falls due. */
static dt_time_t due_time(const dt_change_t *c, int64_t k) {
  double d = ceil((double)k / c->per_day - 1e-9);
  if (d < 0) d = 0;
  return c->started + (dt_time_t)d * DT_DAY;
}

static int change_emit(dt_sim_t *sim, dt_change_t *c, const char *kind) {
  dt_state_t *s = sim->states[c->state];
  int stock = c->system < 0;
  const char *what = stock ? "stockpile" : s->systems[c->system]->name;
  const char *op = stock ? dt_stock_op_name(c->op) : dt_arsenal_op_name(c->op);
  dt_field_t f[5] = {
    { .key = "system", .type = DT_F_STR, .v.str = what },
    { .key = "op", .type = DT_F_STR, .v.str = op },
    { .key = "done", .type = DT_F_INT, .v.i = c->done },
    { .key = "total", .type = DT_F_INT, .v.i = c->total },
    { .key = "per_day", .type = DT_F_NUM, .v.num = c->per_day },
  };
  if (!strcmp(kind, "arsenal.change_started"))
    return dt_sim_emitf(sim, kind, s->index, -1, DT_VIS_PUBLIC, f, 5,
                        "%s %s: begins to %s %" PRId64 " at %.3g a day", s->id, what, op,
                        c->total, c->per_day);
  if (!strcmp(kind, "arsenal.change_done"))
    return dt_sim_emitf(sim, kind, s->index, -1, DT_VIS_PUBLIC, f, 5,
                        "%s %s: %s of %" PRId64 " complete", s->id, what, op, c->total);
  return dt_sim_emitf(sim, kind, s->index, -1, DT_VIS_PUBLIC, f, 5,
                      "%s %s: %s stopped after %" PRId64 " of %" PRId64 " (%s)", s->id, what,
                      op, c->done, c->total, c->reason ? c->reason : "stopped");
}

static int schedule(dt_sim_t *sim, int state, int system, int op, int64_t total,
                    double per_day, dt_change_t **out) {
  if (total < 0 || total > DT_COUNT_MAX || !(per_day > 0) || !isfinite(per_day)) return DT_ERANGE;
  if (DT__GROW(sim, sim->changes, sim->capchanges, sim->nchanges + 1)) return DT_ENOMEM;
  dt_change_t *c = dt_arena_alloc(&sim->arena, sizeof *c);
  if (!c) return DT_ENOMEM;
  c->index = sim->nchanges; c->state = state; c->system = system; c->op = op;
  c->total = total; c->per_day = per_day; c->started = sim->now; c->active = 1;
  sim->changes[sim->nchanges++] = c;
  if (out) *out = c;
  change_emit(sim, c, "arsenal.change_started");
  if (total == 0) { c->active = 0; return change_emit(sim, c, "arsenal.change_done"); }
  return dt_sim_schedule(sim, due_time(c, 1), -1, DT_K_ARSENAL_STEP, c, 0, &c->next);
}

int dt_arsenal_schedule(dt_sim_t *sim, dt_system_t *y, int op, int64_t total,
                        double per_day, dt_change_t **out) {
  if (op < 0 || op >= DT_OP__COUNT) return DT_EINVAL;
  return schedule(sim, y->state, y->index, op, total, per_day, out);
}

int dt_stockpile_schedule(dt_sim_t *sim, dt_state_t *s, int op, int64_t total,
                          double per_day, dt_change_t **out) {
  if (op < 0 || op >= DT_SOP__COUNT) return DT_EINVAL;
  if (!s->stockpile) return DT_ESTATE;
  return schedule(sim, s->index, -1, op, total, per_day, out);
}

int dt__arsenal_on_step(dt_sim_t *sim, const dt_qentry_t *e) {
  dt_change_t *c = e->ptr;
  if (!c->active) return 0;
  dt_state_t *s = sim->states[c->state];
  dt_system_t *y = c->system >= 0 ? s->systems[c->system] : NULL;
  sim->handling = "arsenal change";
  int64_t due = c->done;
  while (due < c->total && due_time(c, due + 1) <= sim->now) due++;
  int64_t n = due - c->done;
  /* Apply what still fits; a change that runs out of room stops there. */
  int64_t room = y ? dt_arsenal_room(sim, y, c->op) : stock_room(s, c->op);
  int full = n <= room;
  if (!full) n = room;
  int rc = 0;
  if (n > 0) rc = y ? dt_arsenal_apply(sim, y, c->op, n) : dt_stockpile_apply(sim, s, c->op, n);
  if (rc < 0) return rc;
  c->done += n;
  if (n > 0 && y && (rc = dt__treaty_recheck_state(sim, c->state)) < 0) return rc;
  if (!full) {
    c->active = 0;
    if (!y) c->reason = "no warheads left to take";
    else if (c->op == DT_OP_UPLOAD && s->stockpile && s->reserve == room)
      c->reason = "no warheads left in reserve";
    else c->reason = "no room left (capacity or count reached)";
    return change_emit(sim, c, "arsenal.change_stopped");
  }
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

static int64_t row_qty(const dt_system_t *y, int qty) {
  switch (qty) {
  case DT_Q_DEPLOYED: return y->deployed;
  case DT_Q_NONDEPLOYED: return y->nondeployed;
  case DT_Q_LAUNCHERS: return y->deployed + y->nondeployed;
  case DT_Q_WARHEADS: return y->warheads;
  case DT_Q_MISSILES: return y->deployed * y->per_launcher_missiles + y->reloads;
  case DT_Q_DEPLOYED_MISSILES: return y->deployed * y->per_launcher_missiles;
  case DT_Q_RELOADS: return y->reloads;
  default: return 0;
  }
}

int64_t dt_arsenal_qty(const dt_state_t *s, int qty, uint64_t cats, int accountable_only) {
  int64_t sum = 0;
  for (int i = 0; i < s->nsystems; i++) {
    const dt_system_t *y = s->systems[i];
    if (!(cats >> y->category & 1)) continue;
    if (accountable_only && !y->accountable) continue;
    sum += row_qty(y, qty);
  }
  return sum;
}

double dt_metric_term_eval(const dt_metric_term_t *t, const dt_state_t *s) {
  int banded = t->range_min > 0 || t->range_max > 0;
  if (!banded && !t->basing)
    return (double)t->weight * (double)dt_arsenal_qty(s, t->qty, t->cats, t->accountable_only);
  int64_t sum = 0;
  for (int i = 0; i < s->nsystems; i++) {
    const dt_system_t *y = s->systems[i];
    if (!(t->cats >> y->category & 1)) continue;
    if (t->accountable_only && !y->accountable) continue;
    if (t->basing && !(t->basing >> y->basing & 1u)) continue;
    if (banded) {
      if (!(y->range_km > 0)) continue;
      if (t->range_min > 0 && y->range_km < t->range_min) continue;
      if (t->range_max > 0 && y->range_km > t->range_max) continue;
    }
    sum += row_qty(y, t->qty);
  }
  return (double)t->weight * (double)sum;
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
    if (terms[i].qty < 0 || terms[i].qty >= DT_Q__COUNT || terms[i].range_min < 0 ||
        terms[i].range_max < 0 ||
        (terms[i].range_max > 0 && terms[i].range_max < terms[i].range_min) ||
        terms[i].basing >= (1u << DT_BASE__COUNT))
      return DT_EINVAL;
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
  for (int i = 0; i < m->nterms; i++) sum += dt_metric_term_eval(&m->terms[i], s);
  *out = sum;
  return 0;
}
