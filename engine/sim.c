/* sim.c: the simulation object, its loop and event emission. Owns the arena,
 * queue and random stream of a run; hands foreign queue entries to the runtime
 * through a callback and never calls Lua itself. */
#include "world.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

dt_sim_t *dt_sim_new(void) {
  dt_sim_t *sim = calloc(1, sizeof *sim);
  if (!sim) return NULL;
  dt_arena_init(&sim->arena);
  if (dt_queue_init(&sim->queue) != 0) { free(sim); return NULL; }
  dt_sim_reset(sim, 0);
  return sim;
}

void dt_sim_free(dt_sim_t *sim) {
  if (!sim) return;
  dt_queue_close(&sim->queue);
  dt_arena_close(&sim->arena);
  free(sim);
}

void dt_sim_reset(dt_sim_t *sim, uint64_t run_seed) {
  dt_arena_reset(&sim->arena);
  dt_queue_clear(&sim->queue);
  dt_rng_seed1(&sim->rng, run_seed);
  sim->run_seed = run_seed;
  sim->now = 0; sim->start = DT_NEVER; sim->stop = DT_NEVER;
  sim->stopping = sim->failed = 0;
  sim->event_seq = 0; sim->dispatched = 0;
  sim->title = NULL;
#define ZERO(arr, n, cap) (sim->arr = NULL, sim->n = 0, sim->cap = 0)
  ZERO(states, nstates, capstates);
  ZERO(cats, ncats, capcats);
  ZERO(relnames, nrel, caprel);
  ZERO(metrics, nmetrics, capmetrics);
  ZERO(treaties, ntreaties, captreaties);
  ZERO(proposals, nproposals, capproposals);
  ZERO(dectypes, ndectypes, capdectypes);
  ZERO(policies, npolicies, cappolicies);
  ZERO(decisions, ndecisions, capdecisions);
  ZERO(changes, nchanges, capchanges);
  ZERO(groups, ngroups, capgroups);
#undef ZERO
  sim->rel = NULL; sim->relstride = 0;
  sim->current = NULL; sim->handling = NULL; sim->emit_depth = 0;
}

int dt_sim_add_sink(dt_sim_t *sim, dt_event_cb cb, void *ud) {
  if (sim->nsinks >= DT_SIM_MAXSINKS) return DT_ENOMEM;
  sim->sinks[sim->nsinks] = cb;
  sim->sink_ud[sim->nsinks++] = ud;
  return 0;
}

void dt_sim_clear_sinks(dt_sim_t *sim) { sim->nsinks = 0; }

int dt_sim_schedule(dt_sim_t *sim, dt_time_t t, int prio, uint32_t kind, void *ptr,
                    int64_t arg, dt_qid_t *id) {
  if (t < sim->now) t = sim->now;   /* the past is not schedulable: run it now */
  return dt_queue_push(&sim->queue, t, prio, kind, ptr, arg, id);
}

int dt_sim_cancel(dt_sim_t *sim, dt_qid_t id) { return dt_queue_cancel(&sim->queue, id); }

void dt_sim_halt(dt_sim_t *sim) { sim->stopping = 1; }

/* The handlers are declared in world.h, defined beside their objects. */
static int dispatch(dt_sim_t *sim, const dt_qentry_t *e) {
  switch (e->kind) {
  case DT_K_TREATY_ENTRY: return dt__treaty_on_entry(sim, e);
  case DT_K_TREATY_EXPIRY: return dt__treaty_on_expiry(sim, e);
  case DT_K_TREATY_WITHDRAWAL: return dt__treaty_on_withdrawal(sim, e);
  case DT_K_PROPOSAL_DEADLINE: return dt__proposal_on_deadline(sim, e);
  case DT_K_DECISION_DEADLINE: return dt__decision_on_deadline(sim, e);
  case DT_K_ARSENAL_STEP: return dt__arsenal_on_step(sim, e);
  case DT_K_STOP: sim->stopping = 1; return 0;
  default:
    if (e->kind >= DT_K_FOREIGN && sim->foreign)
      return sim->foreign(sim, e, sim->foreign_ud);
    return DT_EINVAL;
  }
}

int dt_sim_step(dt_sim_t *sim, dt_time_t until) {
  dt_qentry_t e;
  int64_t next;
  if (sim->stopping) return 0;
  if (!dt_queue_next_time(&sim->queue, &next)) return 0;
  if (until != DT_NEVER && next > until) return 0;
  if (sim->stop != DT_NEVER && next > sim->stop) return 0;
  dt_queue_pop(&sim->queue, &e);
  sim->now = e.time;
  sim->dispatched++;
  int rc = dispatch(sim, &e);
  sim->handling = NULL;
  if (rc >= 0 && sim->after_step && !sim->stopping) sim->after_step(sim, sim->after_step_ud);
  if (rc < 0) { sim->stopping = 1; return rc; }
  return 1;
}

int dt_sim_run(dt_sim_t *sim, dt_time_t until) {
  int rc;
  while ((rc = dt_sim_step(sim, until)) > 0) {}
  if (rc < 0) return rc;
  if (sim->failed) return DT_ESCRIPT;
  /* The clock ends at the horizon even when nothing happens there. */
  if (!sim->stopping) {
    dt_time_t end = until != DT_NEVER ? until : sim->stop;
    if (sim->stop != DT_NEVER && (end == DT_NEVER || end > sim->stop)) end = sim->stop;
    if (end != DT_NEVER && end > sim->now) sim->now = end;
  }
  return 0;
}

int dt_sim_emit(dt_sim_t *sim, const dt_event_t *ev0) {
  dt_event_t ev = *ev0;
  if (sim->emit_depth >= 32) return DT_ELIMIT;   /* handlers emitting in a cycle */
  ev.seq = ++sim->event_seq;
  ev.time = sim->now;
  const dt_event_t *prev = sim->current;
  sim->current = &ev;
  sim->emit_depth++;
  for (int i = 0; i < sim->nsinks; i++) sim->sinks[i](sim, &ev, sim->sink_ud[i]);
  if (sim->hook_sink) sim->hook_sink(sim, &ev, sim->hook_ud);
  sim->emit_depth--;
  sim->current = prev;
  return 0;
}

int dt_sim_emitf(dt_sim_t *sim, const char *kind, int actor, int target, int vis,
                 const dt_field_t *fields, int nfields, const char *fmt, ...) {
  char text[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  int parties[2]; int np = 0;
  if (actor >= 0) parties[np++] = actor;
  if (target >= 0 && target != actor) parties[np++] = target;
  dt_event_t ev = { .kind = kind, .actor = actor, .target = target, .vis = vis,
                    .parties = parties, .nparties = np, .text = text,
                    .fields = fields, .nfields = nfields };
  return dt_sim_emit(sim, &ev);
}

int dt_event_visible_to(const dt_event_t *ev, int state) {
  if (ev->vis == DT_VIS_PUBLIC) return 1;
  for (int i = 0; i < ev->nparties; i++)
    if (ev->parties[i] == state) return 1;
  return 0;
}

/* ---- growable arena arrays shared by the world files ---- */

int dt__grow(dt_sim_t *sim, void **arr, int *cap, int need, size_t elem) {
  if (need <= *cap) return 0;
  int nc = *cap ? *cap * 2 : 8;
  while (nc < need) nc *= 2;
  void *p = dt_arena_grow(&sim->arena, *arr, (size_t)*cap * elem, (size_t)nc * elem);
  if (!p) return DT_ENOMEM;
  *arr = p; *cap = nc;
  return 0;
}

