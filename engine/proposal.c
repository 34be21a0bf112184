/* proposal.c: proposals from one state to one or several and their one-way
 * lifecycle (pending -> accepted | rejected | countered | withdrawn | expired),
 * with each addressee's answer to a multilateral proposal and its quorum.
 * Applies the terms the core understands when accepted (treaty extensions and
 * reciprocal pledges); the script keeps any other terms and acts on the events. */
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
  int parties[65];
  int np = 0;
  parties[np++] = p->from;
  for (int i = 0; i < p->naddr && np < 65; i++) parties[np++] = p->addressees[i];
  dt_event_t ev = { .kind = kind, .actor = actor, .target = target, .vis = p->vis,
                    .parties = parties, .nparties = np, .text = text, .fields = f,
                    .nfields = 3 };
  return dt_sim_emit(sim, &ev);
}

/* "RUS" or "RUS, CHN and GBR" into buf. */
static const char *addr_list(dt_sim_t *sim, const dt_proposal_t *p, char *buf, size_t n) {
  size_t len = 0;
  buf[0] = 0;
  for (int i = 0; i < p->naddr && len < n; i++) {
    const char *sep = i == 0 ? "" : i == p->naddr - 1 ? " and " : ", ";
    int w = snprintf(buf + len, n - len, "%s%s", sep, sim->states[p->addressees[i]]->id);
    if (w < 0) break;
    len += (size_t)w;
  }
  return buf;
}

int dt_proposal_make_multi(dt_sim_t *sim, int from, const int *to, int n, int quorum,
                           const char *kind, int vis, dt_time_t deadline, dt_proposal_t **out) {
  if (from < 0 || from >= sim->nstates || n < 1 || n > 64)
    return n < 1 || n > 64 ? DT_EINVAL : DT_ENOENT;
  for (int i = 0; i < n; i++) {
    if (to[i] < 0 || to[i] >= sim->nstates) return DT_ENOENT;
    if (to[i] == from) return DT_EINVAL;
    for (int j = 0; j < i; j++) if (to[j] == to[i]) return DT_EINVAL;
  }
  if (quorum < 1 || quorum > n || !kind || !*kind) return DT_EINVAL;
  if (vis < DT_VIS_PUBLIC || vis > DT_VIS_PRIVATE) return DT_EINVAL;
  if (deadline != DT_NEVER && deadline <= sim->now) return DT_EINVAL;
  if (DT__GROW(sim, sim->proposals, sim->capproposals, sim->nproposals + 1)) return DT_ENOMEM;
  dt_proposal_t *p = dt_arena_alloc(&sim->arena, sizeof *p);
  if (!p || !(p->kind = dt_arena_strdup(&sim->arena, kind))) return DT_ENOMEM;
  p->addressees = dt_arena_alloc(&sim->arena, sizeof(int) * (size_t)n);
  p->answers = dt_arena_alloc(&sim->arena, sizeof(int) * (size_t)n);
  if (!p->addressees || !p->answers) return DT_ENOMEM;
  memcpy(p->addressees, to, sizeof(int) * (size_t)n);
  for (int i = 0; i < n; i++) p->answers[i] = DT_PS_PENDING;
  p->naddr = n; p->quorum = quorum;
  p->index = sim->nproposals; p->from = from; p->to = to[0]; p->vis = vis;
  p->status = DT_PS_PENDING; p->made_at = sim->now; p->deadline = deadline;
  p->closed_at = DT_NEVER; p->treaty = -1; p->countered_by = -1;
  sim->proposals[sim->nproposals++] = p;
  if (deadline != DT_NEVER &&
      dt_sim_schedule(sim, deadline, -5, DT_K_PROPOSAL_DEADLINE, p, 0, &p->deadline_event))
    return DT_ENOMEM;
  if (out) *out = p;
  return 0;
}

int dt_proposal_make(dt_sim_t *sim, int from, int to, const char *kind, int vis,
                     dt_time_t deadline, dt_proposal_t **out) {
  if (to < 0 || to >= sim->nstates) return DT_ENOENT;
  return dt_proposal_make_multi(sim, from, &to, 1, 1, kind, vis, deadline, out);
}

int dt_proposal_addressee(const dt_proposal_t *p, int state) {
  for (int i = 0; i < p->naddr; i++) if (p->addressees[i] == state) return i;
  return -1;
}

/* Emitted by the caller once the terms are attached, so that handlers of
 * proposal.made see the whole proposal. */
int dt__proposal_announce(dt_sim_t *sim, dt_proposal_t *p) {
  char text[400], d[32] = "", to[256], q[64] = "";
  if (p->deadline != DT_NEVER) dt_time_format(p->deadline, d, sizeof d);
  if (p->naddr > 1)
    snprintf(q, sizeof q, " (%s)", p->quorum == p->naddr ? "all must accept"
             : p->quorum == 1 ? "any one may accept" : "a quorum must accept");
  if (p->naddr > 1 && p->quorum > 1 && p->quorum < p->naddr)
    snprintf(q, sizeof q, " (%d of %d must accept)", p->quorum, p->naddr);
  snprintf(text, sizeof text, "%s proposes %s to %s%s%s%s", sim->states[p->from]->id,
           p->kind, addr_list(sim, p, to, sizeof to), q, *d ? ", answer by " : "", d);
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
  /* The proposer pledges; with reciprocal terms, so does every addressee that
   * accepted (a bilateral acceptance is the addressee's). */
  int rc = dt_treaty_party(t, p->from) >= 0 ? dt_treaty_pledge(sim, t, p->from, until) : 0;
  for (int i = 0; rc == 0 && p->reciprocal && i < p->naddr; i++) {
    int who = p->addressees[i];
    if (p->naddr > 1 && p->answers[i] != DT_PS_ACCEPTED) continue;
    if (dt_treaty_party(t, who) >= 0) rc = dt_treaty_pledge(sim, t, who, until);
  }
  return rc;
}

int dt_proposal_close(dt_sim_t *sim, dt_proposal_t *p, int status, const char *why) {
  /* A closed proposal refuses every change, whatever is asked of it. */
  if (p->status != DT_PS_PENDING) return DT_ESTATE;
  if (status <= DT_PS_PENDING || status >= DT_PS__COUNT) return DT_EINVAL;
  p->status = status;
  p->closed_at = sim->now;
  dt_sim_cancel(sim, p->deadline_event);
  char blist[256];
  const char *a = sim->states[p->from]->id, *b = addr_list(sim, p, blist, sizeof blist);
  char text[480], kind[40];
  int actor = p->to, target = p->from;
  if (p->naddr > 1 && status != DT_PS_WITHDRAWN && status != DT_PS_EXPIRED) {
    /* A multilateral proposal closes on its addressees' answers: the event is
     * the proposer's. */
    int yes = 0;
    for (int i = 0; i < p->naddr; i++) yes += p->answers[i] == DT_PS_ACCEPTED;
    snprintf(text, sizeof text, "%s's %s proposal to %s is %s (%d of %d accepted, %d needed)", a,
             p->kind, b, dt_proposal_status_name(status), yes, p->naddr, p->quorum);
    actor = p->from; target = -1;
  } else switch (status) {
    case DT_PS_ACCEPTED:
      snprintf(text, sizeof text, "%s accepts %s's %s proposal", b, a, p->kind);
      break;
    case DT_PS_REJECTED:
      snprintf(text, sizeof text, "%s rejects %s's %s proposal", b, a, p->kind);
      break;
    case DT_PS_COUNTERED:
      snprintf(text, sizeof text, "%s counters %s's %s proposal", b, a, p->kind);
      break;
    case DT_PS_WITHDRAWN:
      snprintf(text, sizeof text, "%s withdraws its %s proposal to %s", a, p->kind, b);
      actor = p->from;
      target = p->to;
      break;
    default:
      snprintf(text, sizeof text, "%s's %s proposal to %s lapses unanswered", a, p->kind, b);
      actor = p->from;
      target = p->to;
      break;
  }
  if (why && *why && p->naddr == 1) {
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

int dt_proposal_answer(dt_sim_t *sim, dt_proposal_t *p, int state, int status, const char *why) {
  int i = dt_proposal_addressee(p, state);
  if (i < 0) return DT_ENOENT;
  if (status != DT_PS_ACCEPTED && status != DT_PS_REJECTED) return DT_EINVAL;
  if (p->status != DT_PS_PENDING || p->answers[i] != DT_PS_PENDING) return DT_ESTATE;
  if (p->naddr == 1) { p->answers[i] = status; return dt_proposal_close(sim, p, status, why); }
  p->answers[i] = status;
  int yes = 0, no = 0;
  for (int k = 0; k < p->naddr; k++) {
    yes += p->answers[k] == DT_PS_ACCEPTED;
    no += p->answers[k] == DT_PS_REJECTED;
  }
  char text[400];
  snprintf(text, sizeof text, "%s %s %s's %s proposal (%d of %d accepted, %d needed)%s%s%s",
           sim->states[state]->id, status == DT_PS_ACCEPTED ? "accepts" : "rejects",
           sim->states[p->from]->id, p->kind, yes, p->naddr, p->quorum,
           why && *why ? " (" : "", why && *why ? why : "", why && *why ? ")" : "");
  char idbuf[24];
  snprintf(idbuf, sizeof idbuf, "P%d", p->index + 1);
  dt_field_t f[3] = {
    { .key = "proposal", .type = DT_F_STR, .v.str = idbuf },
    { .key = "kind", .type = DT_F_STR, .v.str = p->kind },
    { .key = "answer", .type = DT_F_STR, .v.str = dt_proposal_status_name(status) },
  };
  int parties[65], np = 0;
  parties[np++] = p->from;
  for (int k = 0; k < p->naddr && np < 65; k++) parties[np++] = p->addressees[k];
  dt_event_t ev = { .kind = "proposal.answered", .actor = state, .target = p->from, .vis = p->vis,
                    .parties = parties, .nparties = np, .text = text, .fields = f, .nfields = 3 };
  int rc = dt_sim_emit(sim, &ev);
  if (rc < 0 || p->status != DT_PS_PENDING) return rc;   /* a hook may have closed it */
  if (yes >= p->quorum) return dt_proposal_close(sim, p, DT_PS_ACCEPTED, NULL);
  if (no > p->naddr - p->quorum) return dt_proposal_close(sim, p, DT_PS_REJECTED, NULL);
  return 0;
}
