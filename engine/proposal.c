/* proposal.c: proposals between states and their one-way lifecycle
 * (pending -> accepted | rejected | countered | withdrawn | expired). Applies the
 * terms the core understands when accepted (treaty extensions and reciprocal
 * pledges); the script keeps any other terms and acts on the events. */
#include "world.h"
#include <string.h>

static const char *const names[DT_PS__COUNT] = {
  "pending", "accepted", "rejected", "countered", "withdrawn", "expired"
};

const char *dt_proposal_status_name(int st) {
  return st >= 0 && st < DT_PS__COUNT ? names[st] : "?";
}

static int emit(dt_sim_t *sim, dt_proposal_t *p, const char *kind, int actor,
                int target, const char *text) {
  char idbuf[24];
  snprintf(idbuf, sizeof idbuf, "P%d", p->index + 1);
  dt_field_t f[3] = {
    { .key = "proposal", .type = DT_F_STR, .v.str = idbuf },
    { .key = "kind", .type = DT_F_STR, .v.str = p->kind },
    { .key = "status", .type = DT_F_STR, .v.str = dt_proposal_status_name(p->status) },
  };
  int parties[2] = { p->from, p->to };
  dt_event_t ev = { .kind = kind, .actor = actor, .target = target, .vis = p->vis,
                    .parties = parties, .nparties = 2, .text = text, .fields = f,
                    .nfields = 3 };
  return dt_sim_emit(sim, &ev);
}

int dt_proposal_make(dt_sim_t *sim, int from, int to, const char *kind, int vis,
                     dt_time_t deadline, dt_proposal_t **out) {
  if (from < 0 || from >= sim->nstates || to < 0 || to >= sim->nstates) return DT_ENOENT;
  if (from == to || !kind || !*kind) return DT_EINVAL;
  if (vis < DT_VIS_PUBLIC || vis > DT_VIS_PRIVATE) return DT_EINVAL;
  if (deadline != DT_NEVER && deadline <= sim->now) return DT_EINVAL;
  if (DT__GROW(sim, sim->proposals, sim->capproposals, sim->nproposals + 1)) return DT_ENOMEM;
  dt_proposal_t *p = dt_arena_alloc(&sim->arena, sizeof *p);
  if (!p || !(p->kind = dt_arena_strdup(&sim->arena, kind))) return DT_ENOMEM;
  p->index = sim->nproposals; p->from = from; p->to = to; p->vis = vis;
  p->status = DT_PS_PENDING; p->made_at = sim->now; p->deadline = deadline;
  p->closed_at = DT_NEVER; p->treaty = -1; p->countered_by = -1;
  sim->proposals[sim->nproposals++] = p;
  if (deadline != DT_NEVER &&
      dt_sim_schedule(sim, deadline, -5, DT_K_PROPOSAL_DEADLINE, p, 0, &p->deadline_event))
    return DT_ENOMEM;
  if (out) *out = p;
  return 0;
}

/* Emitted by the caller once the terms are attached, so that handlers of
 * proposal.made see the whole proposal. */
int dt__proposal_announce(dt_sim_t *sim, dt_proposal_t *p) {
  char text[256], d[32] = "";
  if (p->deadline != DT_NEVER) dt_time_format(p->deadline, d, sizeof d);
  snprintf(text, sizeof text, "%s proposes %s to %s%s%s", sim->states[p->from]->id,
           p->kind, sim->states[p->to]->id, *d ? ", answer by " : "", d);
  return emit(sim, p, "proposal.made", p->from, p->to, text);
}

static int apply_terms(dt_sim_t *sim, dt_proposal_t *p) {
  if (p->treaty < 0) return 0;
  dt_treaty_t *t = sim->treaties[p->treaty];
  if (p->formal) return dt_treaty_extend(sim, t, p->ext_months, p->ext_seconds);
  /* An informal extension: the parties pledge to keep the limits for the period
   * after the treaty's end (or after now, when it has no end date). */
  dt_time_t base = t->expires_at != DT_NEVER && t->expires_at > sim->now ? t->expires_at : sim->now;
  dt_time_t until;
  if (dt_time_add_months(base, p->ext_months, &until)) return DT_ERANGE;
  until += p->ext_seconds;
  int who[2] = { p->from, p->to };
  int n = p->reciprocal ? 2 : 1;
  for (int i = 0; i < n; i++) {
    if (dt_treaty_party(t, who[i]) < 0) continue;
    int rc = dt_treaty_pledge(sim, t, who[i], until);
    if (rc < 0) return rc;
  }
  return 0;
}

int dt_proposal_close(dt_sim_t *sim, dt_proposal_t *p, int status, const char *why) {
  /* A closed proposal refuses every change, whatever is asked of it. */
  if (p->status != DT_PS_PENDING) return DT_ESTATE;
  if (status <= DT_PS_PENDING || status >= DT_PS__COUNT) return DT_EINVAL;
  p->status = status;
  p->closed_at = sim->now;
  dt_sim_cancel(sim, p->deadline_event);
  const char *a = sim->states[p->from]->id, *b = sim->states[p->to]->id;
  char text[320], kind[40];
  int actor = p->to, target = p->from;
  switch (status) {
  case DT_PS_ACCEPTED: snprintf(text, sizeof text, "%s accepts %s's %s proposal", b, a, p->kind); break;
  case DT_PS_REJECTED: snprintf(text, sizeof text, "%s rejects %s's %s proposal", b, a, p->kind); break;
  case DT_PS_COUNTERED: snprintf(text, sizeof text, "%s counters %s's %s proposal", b, a, p->kind); break;
  case DT_PS_WITHDRAWN:
    snprintf(text, sizeof text, "%s withdraws its %s proposal to %s", a, p->kind, b);
    actor = p->from; target = p->to;
    break;
  default:
    snprintf(text, sizeof text, "%s's %s proposal to %s lapses unanswered", a, p->kind, b);
    actor = p->from; target = p->to;
    break;
  }
  if (why && *why) {
    size_t n = strlen(text);
    snprintf(text + n, sizeof text - n, " (%s)", why);
  }
  snprintf(kind, sizeof kind, "proposal.%s", dt_proposal_status_name(status));
  int rc = emit(sim, p, kind, actor, target, text);
  if (rc == 0 && status == DT_PS_ACCEPTED) rc = apply_terms(sim, p);
  return rc;
}

int dt__proposal_on_deadline(dt_sim_t *sim, const dt_qentry_t *e) {
  dt_proposal_t *p = e->ptr;
  sim->handling = "proposal deadline";
  if (p->status != DT_PS_PENDING) return 0;
  return dt_proposal_close(sim, p, DT_PS_EXPIRED, "deadline passed");
}
