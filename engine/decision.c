/* decision.c: declared kinds of decision (their options and default), policies
 * per state, and open decisions. A decision is answered by the seat's policy at
 * once, or, when a human team holds the seat, later through dt_decision_answer;
 * the runtime is told through the decided callback either way. */
#include "world.h"
#include <string.h>

int dt_dectype_find(const dt_sim_t *sim, const char *name) {
  for (int i = 0; i < sim->ndectypes; i++)
    if (strcmp(sim->dectypes[i].name, name) == 0) return i;
  return DT_ENOENT;
}

int dt_dectype_add(dt_sim_t *sim, const char *name, const char *doc,
                   const char *const *options, int noptions, int dflt, int64_t timeout) {
  if (!name || !*name || noptions < 1 || dflt < 0 || dflt >= noptions || timeout < 0)
    return DT_EINVAL;
  if (dt_dectype_find(sim, name) >= 0) return DT_EEXIST;
  for (int i = 0; i < noptions; i++) {
    if (!options[i] || !*options[i]) return DT_EINVAL;
    for (int j = 0; j < i; j++) if (strcmp(options[i], options[j]) == 0) return DT_EINVAL;
  }
  if (DT__GROW(sim, sim->dectypes, sim->capdectypes, sim->ndectypes + 1)) return DT_ENOMEM;
  dt_dectype_t *d = &sim->dectypes[sim->ndectypes];
  memset(d, 0, sizeof *d);
  d->name = dt_arena_strdup(&sim->arena, name);
  d->doc = doc ? dt_arena_strdup(&sim->arena, doc) : NULL;
  d->options = dt_arena_alloc(&sim->arena, sizeof(char *) * (size_t)noptions);
  if (!d->name || !d->options) return DT_ENOMEM;
  for (int i = 0; i < noptions; i++)
    if (!(d->options[i] = dt_arena_strdup(&sim->arena, options[i]))) return DT_ENOMEM;
  d->noptions = noptions; d->dflt = dflt; d->timeout = timeout;
  return sim->ndectypes++;
}

int dt_dectype_option(const dt_sim_t *sim, int dectype, const char *option) {
  if (dectype < 0 || dectype >= sim->ndectypes) return DT_ENOENT;
  const dt_dectype_t *d = &sim->dectypes[dectype];
  for (int i = 0; i < d->noptions; i++) if (strcmp(d->options[i], option) == 0) return i;
  return DT_ENOENT;
}

const dt_policy_t *dt_policy_find(const dt_sim_t *sim, int state, int dectype) {
  for (int i = 0; i < sim->npolicies; i++)
    if (sim->policies[i].state == state && sim->policies[i].dectype == dectype)
      return &sim->policies[i];
  return NULL;
}

int dt_policy_set(dt_sim_t *sim, int state, int dectype, int kind, int fixed,
                  const double *weights, int ref) {
  if (state < 0 || state >= sim->nstates) return DT_ENOENT;
  if (dectype < 0 || dectype >= sim->ndectypes) return DT_ENOENT;
  const dt_dectype_t *d = &sim->dectypes[dectype];
  if (kind != DT_POL_FIXED && kind != DT_POL_WEIGHTED && kind != DT_POL_FOREIGN) return DT_EINVAL;
  if (kind == DT_POL_WEIGHTED && !weights) return DT_EINVAL;
  if (kind == DT_POL_FIXED && (fixed < 0 || fixed >= d->noptions)) return DT_EINVAL;
  if (kind == DT_POL_FOREIGN && !ref) return DT_EINVAL;
  double wsum = 0;
  if (kind == DT_POL_WEIGHTED) {
    for (int i = 0; i < d->noptions; i++) {
      if (!(weights[i] >= 0)) return DT_EINVAL;
      wsum += weights[i];
    }
    if (!(wsum > 0)) return DT_EINVAL;
  }
  dt_policy_t *p = (dt_policy_t *)dt_policy_find(sim, state, dectype);
  if (!p) {
    if (DT__GROW(sim, sim->policies, sim->cappolicies, sim->npolicies + 1)) return DT_ENOMEM;
    p = &sim->policies[sim->npolicies++];
  }
  memset(p, 0, sizeof *p);
  p->state = state; p->dectype = dectype; p->kind = kind; p->fixed = fixed; p->ref = ref;
  if (kind == DT_POL_WEIGHTED) {
    p->weights = dt_arena_alloc(&sim->arena, sizeof(double) * (size_t)d->noptions);
    if (!p->weights) return DT_ENOMEM;
    memcpy(p->weights, weights, sizeof(double) * (size_t)d->noptions);
  }
  return 0;
}

const char *dt_decision_option(const dt_sim_t *sim, const dt_decision_t *d) {
  if (d->status == DT_DS_PENDING || d->status == DT_DS_CANCELLED) return NULL;
  return sim->dectypes[d->dectype].options[d->answer];
}

static int emit_decision(dt_sim_t *sim, dt_decision_t *d, const char *kind, const char *text) {
  const dt_dectype_t *t = &sim->dectypes[d->dectype];
  char idbuf[24];
  snprintf(idbuf, sizeof idbuf, "D%d", d->index + 1);
  dt_field_t f[3] = {
    { .key = "decision", .type = DT_F_STR, .v.str = idbuf },
    { .key = "name", .type = DT_F_STR, .v.str = t->name },
    { .key = "answer", .type = DT_F_STR,
      .v.str = d->status == DT_DS_PENDING ? "" : t->options[d->answer] },
  };
  /* Decisions are the deciding state's business; the answer is what it does
   * with it (a proposal response, a move) that others see. */
  return dt_sim_emitf(sim, kind, d->state, -1, DT_VIS_PRIVATE, f, 3, "%s", text);
}

int dt_decision_answer(dt_sim_t *sim, dt_decision_t *d, int option, int how) {
  static const char *const why[] = { "", " (default at deadline)", " (default: no policy)",
                                     " (default: the seat went back to its policy)",
                                     " (default: the asking code cannot wait for a human seat)" };
  if (how < DT_DH_ANSWERED || how > DT_DH_CANNOT_WAIT) return DT_EINVAL;
  int defaulted = how != DT_DH_ANSWERED;
  if (d->status != DT_DS_PENDING) return DT_ESTATE;
  const dt_dectype_t *t = &sim->dectypes[d->dectype];
  if (option < 0 || option >= t->noptions) return DT_EINVAL;
  d->status = defaulted ? DT_DS_DEFAULTED : DT_DS_ANSWERED;
  d->answer = option;
  dt_sim_cancel(sim, d->deadline_event);
  char text[256];
  snprintf(text, sizeof text, "%s decides %s: %s%s", sim->states[d->state]->id, t->name,
           t->options[option], why[how]);
  int rc = emit_decision(sim, d, "decision.made", text);
  if (sim->decided_cb) sim->decided_cb(sim, d, sim->decided_ud);
  return rc;
}

int dt_decision_ask(dt_sim_t *sim, int state, int dectype, dt_time_t deadline,
                    int ctx_ref, dt_decision_t **out) {
  if (state < 0 || state >= sim->nstates) return DT_ENOENT;
  if (dectype < 0 || dectype >= sim->ndectypes) return DT_ENOENT;
  const dt_dectype_t *t = &sim->dectypes[dectype];
  if (deadline == DT_NEVER && t->timeout > 0) deadline = sim->now + t->timeout;
  if (DT__GROW(sim, sim->decisions, sim->capdecisions, sim->ndecisions + 1)) return DT_ENOMEM;
  dt_decision_t *d = dt_arena_alloc(&sim->arena, sizeof *d);
  if (!d) return DT_ENOMEM;
  d->index = sim->ndecisions; d->state = state; d->dectype = dectype;
  d->status = DT_DS_PENDING; d->asked_at = sim->now; d->deadline = deadline;
  d->ctx_ref = ctx_ref;
  sim->decisions[sim->ndecisions++] = d;
  if (out) *out = d;
  char text[256];
  snprintf(text, sizeof text, "%s must decide %s", sim->states[state]->id, t->name);
  int rc = emit_decision(sim, d, "decision.asked", text);
  if (rc < 0) return rc;
  if (sim->states[state]->human) {
    if (deadline != DT_NEVER &&
        dt_sim_schedule(sim, deadline, 5, DT_K_DECISION_DEADLINE, d, 0, &d->deadline_event))
      return DT_ENOMEM;
    return 0;
  }
  const dt_policy_t *p = dt_policy_find(sim, state, dectype);
  int opt = t->dflt;
  if (p) {
    switch (p->kind) {
    case DT_POL_FIXED: opt = p->fixed; break;
    case DT_POL_WEIGHTED: {
      size_t k = dt_rng_weighted(&sim->rng, p->weights, (size_t)t->noptions);
      opt = k < (size_t)t->noptions ? (int)k : t->dflt;
      break;
    }
    case DT_POL_FOREIGN:
      if (!sim->policy_cb) return DT_EINVAL;
      opt = sim->policy_cb(sim, d, p, sim->policy_ud);
      if (opt < 0) return opt;     /* the policy failed: the runtime reported why */
      break;
    default: break;
    }
  }
  return dt_decision_answer(sim, d, opt, p ? DT_DH_ANSWERED : DT_DH_NO_POLICY);
}

int dt__decision_on_deadline(dt_sim_t *sim, const dt_qentry_t *e) {
  dt_decision_t *d = e->ptr;
  sim->handling = "decision deadline";
  if (d->status != DT_DS_PENDING) return 0;
  return dt_decision_answer(sim, d, sim->dectypes[d->dectype].dflt, DT_DH_DEADLINE);
}
