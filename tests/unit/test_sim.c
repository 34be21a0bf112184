/* test_sim.c: unit tests of engine/sim.c: the loop's order (time, priority,
 * scheduling order), foreign entries, stopping at the stop time, at `until`, by
 * halt and by a stop entry, failures ending the run, event emission and sinks,
 * two sims in one process, and reset freeing the world. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "world.h"
#include "evlog.h"

/* A foreign handler that records what it was handed. */
typedef struct calls {
  int n;
  int64_t arg[64];
  dt_time_t now[64];
  uint32_t kind[64];
  void *ptr[64];
  int halt_at;          /* call number (1-based) that halts the sim, 0 never */
  int fail_at;          /* call number that returns fail_rc, 0 never */
  int fail_rc;
} calls_t;

static int record(dt_sim_t *sim, const dt_qentry_t *e, void *ud) {
  calls_t *c = ud;
  if (c->n < 64) {
    c->arg[c->n] = e->arg; c->now[c->n] = sim->now;
    c->kind[c->n] = e->kind; c->ptr[c->n] = e->ptr;
  }
  c->n++;
  if (c->halt_at && c->n == c->halt_at) dt_sim_halt(sim);
  if (c->fail_at && c->n == c->fail_at) return c->fail_rc;
  return 0;
}

static dt_sim_t *new_sim(calls_t *c) {
  dt_sim_t *sim = dt_sim_new();
  assert_non_null(sim);
  if (c) { memset(c, 0, sizeof *c); sim->foreign = record; sim->foreign_ud = c; }
  return sim;
}

static void sched(dt_sim_t *sim, dt_time_t t, int prio, int64_t arg) {
  assert_int_equal(dt_sim_schedule(sim, t, prio, DT_K_FOREIGN, NULL, arg, NULL), 0);
}

static void a_new_sim_starts_at_time_zero_with_an_empty_world(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim(NULL);
  assert_int_equal(sim->now, 0);
  assert_true(sim->start == DT_NEVER);
  assert_true(sim->stop == DT_NEVER);
  assert_int_equal(sim->nstates, 0);
  assert_int_equal(sim->ntreaties, 0);
  assert_int_equal(dt_queue_len(&sim->queue), 0);
  assert_int_equal(dt_sim_run(sim, DT_NEVER), 0);
  assert_int_equal(sim->now, 0);
  dt_sim_free(sim);
  dt_sim_free(NULL);
}

static void entries_run_by_time_then_priority_then_scheduling_order(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  dt_time_t d0 = at("2025-09-22");
  sim->now = sim->start = d0;
  /* arg encodes the expected position. */
  sched(sim, d0 + 2 * DT_DAY, 0, 7);
  sched(sim, d0 + DT_DAY, 5, 4);
  sched(sim, d0 + DT_DAY, -3, 1);
  sched(sim, d0 + DT_DAY, 0, 2);
  sched(sim, d0 + DT_DAY, 0, 3);       /* same time and prio: after the one above */
  sched(sim, d0, 100, 0);
  sched(sim, d0 + 2 * DT_DAY, -1, 6);
  sched(sim, d0 + DT_DAY + 1, -100, 5);
  assert_int_equal(dt_sim_run(sim, DT_NEVER), 0);
  assert_int_equal(c.n, 8);
  for (int i = 0; i < 8; i++) assert_int_equal(c.arg[i], i);
  assert_int_equal(c.now[0], d0);
  assert_int_equal(c.now[1], d0 + DT_DAY);
  assert_int_equal(c.now[5], d0 + DT_DAY + 1);
  assert_int_equal(c.now[7], d0 + 2 * DT_DAY);
  assert_int_equal(sim->dispatched, 8);
  dt_sim_free(sim);
}

static void foreign_entries_reach_the_callback_with_kind_ptr_and_arg(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  int target = 0;
  assert_int_equal(dt_sim_schedule(sim, 10, 0, DT_K_FOREIGN + 3, &target, -42, NULL), 0);
  assert_int_equal(dt_sim_schedule(sim, 20, 0, DT_K_FOREIGN, NULL, 9, NULL), 0);
  assert_int_equal(dt_sim_run(sim, DT_NEVER), 0);
  assert_int_equal(c.n, 2);
  assert_int_equal(c.kind[0], DT_K_FOREIGN + 3);
  assert_ptr_equal(c.ptr[0], &target);
  assert_int_equal(c.arg[0], -42);
  assert_int_equal(c.now[0], 10);
  assert_int_equal(c.kind[1], DT_K_FOREIGN);
  assert_null(c.ptr[1]);
  assert_int_equal(sim->now, 20);
  dt_sim_free(sim);
}

static void a_foreign_entry_without_a_handler_fails_the_run(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim(NULL);
  sched(sim, 5, 0, 1);
  sched(sim, 6, 0, 2);
  assert_int_equal(dt_sim_run(sim, DT_NEVER), DT_EINVAL);
  assert_int_equal(sim->stopping, 1);
  assert_int_equal(dt_queue_len(&sim->queue), 1);
  dt_sim_free(sim);
}

static void an_unknown_core_kind_fails_the_run(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  assert_int_equal(dt_sim_schedule(sim, 5, 0, 40, NULL, 0, NULL), 0);
  assert_int_equal(dt_sim_run(sim, DT_NEVER), DT_EINVAL);
  assert_int_equal(c.n, 0);      /* kinds below DT_K_FOREIGN never reach the runtime */
  dt_sim_free(sim);
}

static void a_failing_handler_ends_the_run_with_its_code(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  c.fail_at = 2; c.fail_rc = DT_ESCRIPT;
  sched(sim, 1, 0, 1);
  sched(sim, 2, 0, 2);
  sched(sim, 3, 0, 3);
  sim->stop = 100;
  assert_int_equal(dt_sim_run(sim, DT_NEVER), DT_ESCRIPT);
  assert_int_equal(c.n, 2);
  assert_int_equal(sim->now, 2);        /* the clock stays where it failed */
  assert_int_equal(dt_sim_step(sim, DT_NEVER), 0);
  assert_int_equal(c.n, 2);
  dt_sim_free(sim);
}

static void a_failed_flag_makes_the_run_report_a_script_error(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  sched(sim, 1, 0, 1);
  sim->failed = 1;
  assert_int_equal(dt_sim_run(sim, DT_NEVER), DT_ESCRIPT);
  dt_sim_free(sim);
}

static void scheduling_in_the_past_runs_at_the_current_time(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  sim->now = 1000;
  sched(sim, 10, 0, 1);
  dt_qentry_t e;
  assert_int_equal(dt_queue_peek(&sim->queue, &e), 1);
  assert_int_equal(e.time, 1000);
  assert_int_equal(dt_sim_run(sim, DT_NEVER), 0);
  assert_int_equal(c.now[0], 1000);
  dt_sim_free(sim);
}

static void run_stops_at_the_stop_time_and_keeps_later_entries(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  sim->now = sim->start = at("2025-09-22");
  sim->stop = at("2026-02-05");
  sched(sim, at("2025-12-31"), 0, 1);
  sched(sim, sim->stop, 0, 2);            /* at the stop time: still handled */
  sched(sim, sim->stop + 1, 0, 3);
  sched(sim, at("2027-01-01"), 0, 4);
  assert_int_equal(dt_sim_run(sim, DT_NEVER), 0);
  assert_int_equal(c.n, 2);
  assert_int_equal(c.arg[1], 2);
  assert_int_equal(sim->now, sim->stop);
  assert_int_equal(dt_queue_len(&sim->queue), 2);
  dt_sim_free(sim);
}

static void run_moves_the_clock_to_the_stop_time_when_nothing_happens_there(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  sim->now = sim->start = at("2025-09-22");
  sim->stop = at("2030-01-01");
  sched(sim, at("2026-01-01"), 0, 1);
  assert_int_equal(dt_sim_run(sim, DT_NEVER), 0);
  assert_int_equal(c.n, 1);
  assert_int_equal(sim->now, sim->stop);
  dt_sim_free(sim);
}

static void run_without_a_horizon_ends_at_the_last_entry(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  sched(sim, 500, 0, 1);
  sched(sim, 70, 0, 2);
  assert_int_equal(dt_sim_run(sim, DT_NEVER), 0);
  assert_int_equal(c.n, 2);
  assert_int_equal(sim->now, 500);
  dt_sim_free(sim);
}

static void run_stops_at_until_and_resumes_from_there(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  dt_time_t d0 = at("2025-09-22");
  sim->now = sim->start = d0;
  sim->stop = d0 + 100 * DT_DAY;
  for (int i = 1; i <= 5; i++) sched(sim, d0 + i * 10 * DT_DAY, 0, i);
  assert_int_equal(dt_sim_run(sim, d0 + 25 * DT_DAY), 0);
  assert_int_equal(c.n, 2);
  assert_int_equal(sim->now, d0 + 25 * DT_DAY);  /* the clock reaches until */
  assert_int_equal(dt_sim_run(sim, d0 + 30 * DT_DAY), 0);  /* until is inclusive */
  assert_int_equal(c.n, 3);
  assert_int_equal(sim->now, d0 + 30 * DT_DAY);
  /* until past the stop time: the stop time wins. */
  sched(sim, d0 + 200 * DT_DAY, 0, 6);
  assert_int_equal(dt_sim_run(sim, d0 + 300 * DT_DAY), 0);
  assert_int_equal(c.n, 5);
  assert_int_equal(sim->now, sim->stop);
  assert_int_equal(dt_queue_len(&sim->queue), 1);
  dt_sim_free(sim);
}

static void step_handles_exactly_one_entry(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  sched(sim, 10, 0, 1);
  sched(sim, 20, 0, 2);
  assert_int_equal(dt_sim_step(sim, 5), 0);     /* nothing due by 5 */
  assert_int_equal(c.n, 0);
  assert_int_equal(sim->now, 0);                /* step does not move the clock */
  assert_int_equal(dt_sim_step(sim, DT_NEVER), 1);
  assert_int_equal(c.n, 1);
  assert_int_equal(sim->now, 10);
  assert_int_equal(dt_sim_step(sim, DT_NEVER), 1);
  assert_int_equal(dt_sim_step(sim, DT_NEVER), 0);
  assert_int_equal(c.n, 2);
  dt_sim_free(sim);
}

static void halt_from_a_handler_stops_after_that_entry(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  c.halt_at = 2;
  sim->stop = 1000;
  for (int i = 1; i <= 4; i++) sched(sim, i * 10, 0, i);
  assert_int_equal(dt_sim_run(sim, DT_NEVER), 0);
  assert_int_equal(c.n, 2);
  assert_int_equal(sim->now, 20);         /* a halted run does not jump to the stop */
  assert_int_equal(dt_queue_len(&sim->queue), 2);
  /* Halted stays halted. */
  assert_int_equal(dt_sim_run(sim, DT_NEVER), 0);
  assert_int_equal(c.n, 2);
  dt_sim_free(sim);
}

static void halt_before_running_handles_nothing(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  sched(sim, 10, 0, 1);
  dt_sim_halt(sim);
  assert_int_equal(dt_sim_run(sim, DT_NEVER), 0);
  assert_int_equal(c.n, 0);
  assert_int_equal(sim->now, 0);
  dt_sim_free(sim);
}

static void a_stop_entry_ends_the_run(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  sched(sim, 10, 0, 1);
  assert_int_equal(dt_sim_schedule(sim, 20, 0, DT_K_STOP, NULL, 0, NULL), 0);
  sched(sim, 30, 0, 2);
  assert_int_equal(dt_sim_run(sim, DT_NEVER), 0);
  assert_int_equal(c.n, 1);
  assert_int_equal(sim->now, 20);
  assert_int_equal(sim->stopping, 1);
  dt_sim_free(sim);
}

static void cancelled_entries_never_run(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  dt_qid_t a = 0, b = 0;
  assert_int_equal(dt_sim_schedule(sim, 10, 0, DT_K_FOREIGN, NULL, 1, &a), 0);
  assert_int_equal(dt_sim_schedule(sim, 20, 0, DT_K_FOREIGN, NULL, 2, &b), 0);
  assert_int_equal(dt_sim_cancel(sim, a), 0);
  assert_int_equal(dt_sim_cancel(sim, a), DT_ENOENT);
  assert_int_equal(dt_sim_cancel(sim, 0), DT_ENOENT);
  assert_int_equal(dt_sim_run(sim, DT_NEVER), 0);
  assert_int_equal(c.n, 1);
  assert_int_equal(c.arg[0], 2);
  assert_int_equal(dt_sim_cancel(sim, b), DT_ENOENT);   /* already handled */
  dt_sim_free(sim);
}

static void after_step_count(dt_sim_t *sim, void *ud) { (void)sim; (*(int *)ud)++; }

static void the_after_step_hook_runs_after_each_entry(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  int n = 0;
  sim->after_step = after_step_count; sim->after_step_ud = &n;
  for (int i = 0; i < 3; i++) sched(sim, i, 0, i);
  assert_int_equal(dt_sim_run(sim, DT_NEVER), 0);
  assert_int_equal(n, 3);
  dt_sim_free(sim);
}

static void emitted_events_are_numbered_and_stamped_with_the_clock(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim(NULL);
  evlog_t log, log2;
  evlog_attach(&log, sim);
  evlog_attach(&log2, sim);
  sim->now = at("2025-09-22");
  dt_field_t f[2] = {
    { .key = "n", .type = DT_F_INT, .v.i = 12 },
    { .key = "ok", .type = DT_F_BOOL, .v.b = 1 },
  };
  assert_int_equal(dt_sim_emitf(sim, "test.one", 0, 1, DT_VIS_PARTIES, f, 2,
                                "%s has %d", "USA", 5), 0);
  sim->now += DT_DAY;
  assert_int_equal(dt_sim_emitf(sim, "test.two", 2, 2, DT_VIS_PUBLIC, NULL, 0, "x"), 0);
  assert_int_equal(log.n, 2);
  assert_int_equal(log2.n, 2);             /* every sink sees every event */
  assert_int_equal(log.ev[0].seq, 1);
  assert_int_equal(log.ev[1].seq, 2);
  assert_string_equal(log.ev[0].kind, "test.one");
  assert_string_equal(log.ev[0].text, "USA has 5");
  assert_int_equal(log.ev[0].time, at("2025-09-22"));
  assert_int_equal(log.ev[1].time, at("2025-09-23"));
  assert_int_equal(log.ev[0].actor, 0);
  assert_int_equal(log.ev[0].target, 1);
  assert_int_equal(log.ev[0].nparties, 2);
  assert_string_equal(evlog_field(&log.ev[0], "n"), "12");
  assert_string_equal(evlog_field(&log.ev[0], "ok"), "true");
  assert_int_equal(log.ev[1].nparties, 1);   /* actor == target counts once */
  assert_int_equal(sim->event_seq, 2);
  dt_sim_free(sim);
}

static void emit_overrides_the_callers_seq_and_time(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim(NULL);
  evlog_t log;
  evlog_attach(&log, sim);
  sim->now = 77;
  dt_event_t ev = { .seq = 999, .time = 5, .kind = "x", .actor = -1, .target = -1 };
  assert_int_equal(dt_sim_emit(sim, &ev), 0);
  assert_int_equal(log.ev[0].seq, 1);
  assert_int_equal(log.ev[0].time, 77);
  assert_null(sim->current);
  dt_sim_free(sim);
}

static int hook_saw;
static void hook(dt_sim_t *sim, const dt_event_t *ev, void *ud) {
  (void)ev;
  evlog_t *log = ud;
  (void)sim;
  hook_saw = log->n;        /* the output sinks ran before the hook */
}

static void the_hook_sink_runs_after_the_output_sinks(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim(NULL);
  evlog_t log;
  evlog_attach(&log, sim);
  sim->hook_sink = hook; sim->hook_ud = &log;
  hook_saw = -1;
  dt_sim_emitf(sim, "x", -1, -1, DT_VIS_PUBLIC, NULL, 0, "x");
  assert_int_equal(hook_saw, 1);
  dt_sim_free(sim);
}

static void a_ninth_sink_is_refused_and_clearing_removes_them_all(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim(NULL);
  evlog_t log;
  for (int i = 0; i < DT_SIM_MAXSINKS; i++)
    assert_int_equal(dt_sim_add_sink(sim, evlog_sink, &log), 0);
  assert_int_equal(dt_sim_add_sink(sim, evlog_sink, &log), DT_ENOMEM);
  memset(&log, 0, sizeof log);
  dt_sim_emitf(sim, "x", -1, -1, DT_VIS_PUBLIC, NULL, 0, "x");
  assert_int_equal(log.n, DT_SIM_MAXSINKS);
  dt_sim_clear_sinks(sim);
  dt_sim_emitf(sim, "x", -1, -1, DT_VIS_PUBLIC, NULL, 0, "x");
  assert_int_equal(log.n, DT_SIM_MAXSINKS);
  dt_sim_free(sim);
}

static void reemit(dt_sim_t *sim, const dt_event_t *ev, void *ud) {
  int *rc = ud;
  int r = dt_sim_emitf(sim, ev->kind, -1, -1, DT_VIS_PUBLIC, NULL, 0, "again");
  if (r < 0) *rc = r;
}

static void emitting_in_a_cycle_is_cut_off(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim(NULL);
  int rc = 0;
  dt_sim_add_sink(sim, reemit, &rc);
  assert_int_equal(dt_sim_emitf(sim, "loop", -1, -1, DT_VIS_PUBLIC, NULL, 0, "x"), 0);
  assert_int_equal(rc, DT_ELIMIT);
  assert_int_equal(sim->event_seq, 32);
  assert_int_equal(sim->emit_depth, 0);
  assert_null(sim->current);
  dt_sim_free(sim);
}

static void events_are_visible_to_the_public_or_to_their_parties(void **state) {
  (void)state;
  int parties[2] = { 1, 3 };
  dt_event_t ev = { .kind = "x", .vis = DT_VIS_PUBLIC, .parties = parties, .nparties = 2 };
  assert_true(dt_event_visible_to(&ev, 0));
  ev.vis = DT_VIS_PARTIES;
  assert_false(dt_event_visible_to(&ev, 0));
  assert_true(dt_event_visible_to(&ev, 1));
  assert_true(dt_event_visible_to(&ev, 3));
  ev.vis = DT_VIS_PRIVATE; ev.nparties = 1;
  assert_true(dt_event_visible_to(&ev, 1));
  assert_false(dt_event_visible_to(&ev, 3));
}

static void two_sims_side_by_side_do_not_affect_each_other(void **state) {
  (void)state;
  calls_t ca, cb;
  dt_sim_t *a = new_sim(&ca), *b = new_sim(&cb);
  evlog_t la, lb;
  evlog_attach(&la, a);
  evlog_attach(&lb, b);
  dt_sim_reset(a, 7);
  dt_sim_reset(b, 7);
  dt_state_t *sa, *sb;
  assert_int_equal(dt_state_add(a, "USA", "United States", &sa), 0);
  assert_int_equal(dt_state_add(b, "USA", "Etats-Unis", &sb), 0);
  assert_int_equal(dt_state_add(b, "RUS", NULL, NULL), 0);
  assert_int_equal(a->nstates, 1);
  assert_int_equal(b->nstates, 2);
  assert_string_equal(sa->name, "United States");
  assert_string_equal(sb->name, "Etats-Unis");
  int ra = dt_relation_intern(a, "trust"), rb = dt_relation_intern(b, "trust");
  dt_relation_set(a, ra, 0, 0, 1.5);
  assert_true(dt_relation_get(b, rb, 0, 0) == 0.0);
  a->stop = 100; b->stop = 1000;
  sched(a, 50, 0, 1);
  sched(b, 60, 0, 2);
  sched(b, 70, 0, 3);
  assert_int_equal(dt_sim_run(a, DT_NEVER), 0);
  assert_int_equal(ca.n, 1);
  assert_int_equal(cb.n, 0);
  assert_int_equal(a->now, 100);
  assert_int_equal(b->now, 0);
  assert_int_equal(dt_queue_len(&b->queue), 2);
  dt_sim_emitf(a, "only.a", -1, -1, DT_VIS_PUBLIC, NULL, 0, "a");
  assert_int_equal(la.n, 1);
  assert_int_equal(lb.n, 0);
  dt_sim_halt(a);
  assert_int_equal(dt_sim_run(b, DT_NEVER), 0);
  assert_int_equal(cb.n, 2);
  assert_int_equal(b->now, 1000);
  /* Equal seeds give equal streams, drawn independently. */
  uint64_t xa[3], xb[3];
  for (int i = 0; i < 3; i++) xa[i] = dt_rng_next(&a->rng);
  for (int i = 0; i < 3; i++) xb[i] = dt_rng_next(&b->rng);
  assert_memory_equal(xa, xb, sizeof xa);
  dt_sim_free(a);
  /* b outlives a intact. */
  assert_non_null(dt_state_find(b, "RUS"));
  assert_string_equal(dt_state_find(b, "USA")->name, "Etats-Unis");
  dt_sim_free(b);
}

static void reset_frees_the_world_and_keeps_sinks_and_callbacks(void **state) {
  (void)state;
  calls_t c;
  dt_sim_t *sim = new_sim(&c);
  evlog_t log;
  evlog_attach(&log, sim);
  sim->now = sim->start = at("2025-09-22");
  sim->stop = at("2030-01-01");
  char id[16];
  for (int i = 0; i < 100; i++) {
    snprintf(id, sizeof id, "S%d", i);
    assert_int_equal(dt_state_add(sim, id, NULL, NULL), 0);
  }
  dt_relation_intern(sim, "trust");
  dt_category_intern(sim, "ICBM");
  int parties[2] = { 0, 1 };
  assert_int_equal(dt_treaty_add(sim, "T", NULL, parties, 2, NULL, 0, DT_NEVER,
                                 at("2026-01-01"), at("2027-01-01"), -1, NULL), 0);
  sched(sim, at("2025-10-01"), 0, 1);
  assert_true(sim->arena.used_total > 0);
  assert_int_equal(dt_queue_len(&sim->queue), 3);
  dt_sim_halt(sim);

  dt_sim_reset(sim, 42);
  assert_int_equal(sim->arena.used_total, 0);
  assert_int_equal(dt_queue_len(&sim->queue), 0);
  assert_int_equal(sim->nstates, 0);
  assert_int_equal(sim->nrel, 0);
  assert_int_equal(sim->ncats, 0);
  assert_int_equal(sim->ntreaties, 0);
  assert_null(dt_state_find(sim, "S1"));
  assert_null(dt_treaty_find(sim, "T"));
  assert_int_equal(dt_relation_find(sim, "trust"), -1);
  assert_int_equal(dt_category_find(sim, "ICBM"), -1);
  assert_int_equal(sim->now, 0);
  assert_true(sim->stop == DT_NEVER);
  assert_int_equal(sim->stopping, 0);
  assert_int_equal(sim->event_seq, 0);
  assert_int_equal(sim->run_seed, 42);
  dt_rng_t r;
  dt_rng_seed1(&r, 42);
  assert_int_equal(dt_rng_next(&sim->rng), dt_rng_next(&r));

  /* The same ids can be declared again, and the sink and handler still work. */
  assert_int_equal(dt_state_add(sim, "S1", NULL, NULL), 0);
  assert_int_equal(dt_state_find(sim, "S1")->index, 0);
  evlog_clear(&log);
  dt_sim_emitf(sim, "after.reset", -1, -1, DT_VIS_PUBLIC, NULL, 0, "x");
  assert_int_equal(log.n, 1);
  assert_int_equal(log.ev[0].seq, 1);
  sched(sim, 5, 0, 9);
  assert_int_equal(dt_sim_run(sim, DT_NEVER), 0);
  assert_int_equal(c.n, 1);
  assert_int_equal(c.arg[0], 9);
  dt_sim_free(sim);
}

static void many_runs_in_one_sim_reuse_its_memory(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim(NULL);
  char id[16];
  for (int run = 0; run < 50; run++) {
    dt_sim_reset(sim, (uint64_t)run);
    for (int i = 0; i < 300; i++) {
      snprintf(id, sizeof id, "S%d", i);
      assert_int_equal(dt_state_add(sim, id, NULL, NULL), 0);
    }
    assert_int_equal(sim->nstates, 300);
  }
  dt_sim_free(sim);   /* LeakSanitizer checks that nothing is left behind */
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_new_sim_starts_at_time_zero_with_an_empty_world),
    cmocka_unit_test(entries_run_by_time_then_priority_then_scheduling_order),
    cmocka_unit_test(foreign_entries_reach_the_callback_with_kind_ptr_and_arg),
    cmocka_unit_test(a_foreign_entry_without_a_handler_fails_the_run),
    cmocka_unit_test(an_unknown_core_kind_fails_the_run),
    cmocka_unit_test(a_failing_handler_ends_the_run_with_its_code),
    cmocka_unit_test(a_failed_flag_makes_the_run_report_a_script_error),
    cmocka_unit_test(scheduling_in_the_past_runs_at_the_current_time),
    cmocka_unit_test(run_stops_at_the_stop_time_and_keeps_later_entries),
    cmocka_unit_test(run_moves_the_clock_to_the_stop_time_when_nothing_happens_there),
    cmocka_unit_test(run_without_a_horizon_ends_at_the_last_entry),
    cmocka_unit_test(run_stops_at_until_and_resumes_from_there),
    cmocka_unit_test(step_handles_exactly_one_entry),
    cmocka_unit_test(halt_from_a_handler_stops_after_that_entry),
    cmocka_unit_test(halt_before_running_handles_nothing),
    cmocka_unit_test(a_stop_entry_ends_the_run),
    cmocka_unit_test(cancelled_entries_never_run),
    cmocka_unit_test(the_after_step_hook_runs_after_each_entry),
    cmocka_unit_test(emitted_events_are_numbered_and_stamped_with_the_clock),
    cmocka_unit_test(emit_overrides_the_callers_seq_and_time),
    cmocka_unit_test(the_hook_sink_runs_after_the_output_sinks),
    cmocka_unit_test(a_ninth_sink_is_refused_and_clearing_removes_them_all),
    cmocka_unit_test(emitting_in_a_cycle_is_cut_off),
    cmocka_unit_test(events_are_visible_to_the_public_or_to_their_parties),
    cmocka_unit_test(two_sims_side_by_side_do_not_affect_each_other),
    cmocka_unit_test(reset_frees_the_world_and_keeps_sinks_and_callbacks),
    cmocka_unit_test(many_runs_in_one_sim_reuse_its_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
