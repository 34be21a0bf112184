/* test_arsenal.c: unit tests of engine/arsenal.c: system rows, each arsenal
 * operation and its refusals (never negative, capacity, no deployed launchers),
 * the warheads that leave with undeployed launchers, gradual changes at a rate
 * (the days units fall due, stopping early, cancelling), quantities and metrics
 * with the New START counting rules on a hand-computed arsenal. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "world.h"
#include "evlog.h"

/* A sim at 2025-09-22 with one state USA, categories ICBM, SLBM, bomber. */
typedef struct fx {
  dt_sim_t *sim;
  dt_state_t *us;
  int icbm, slbm, bomber;
  evlog_t log;
} fx_t;

static fx_t *fx_new(void) {
  fx_t *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->sim = dt_sim_new();
  assert_non_null(f->sim);
  f->sim->now = f->sim->start = at("2025-09-22");
  assert_int_equal(dt_state_add(f->sim, "USA", "United States", &f->us), 0);
  f->icbm = dt_category_intern(f->sim, "ICBM");
  f->slbm = dt_category_intern(f->sim, "SLBM");
  f->bomber = dt_category_intern(f->sim, "bomber");
  evlog_attach(&f->log, f->sim);
  return f;
}

static void fx_free(fx_t *f) { dt_sim_free(f->sim); free(f); }

static dt_system_t *row(fx_t *f, const char *name, int cat, int64_t d, int64_t nd,
                        int64_t w, int64_t cap) {
  dt_system_t *y = NULL;
  assert_int_equal(dt_system_add(f->sim, f->us, name, cat, d, nd, w, cap, 1, &y), 0);
  return y;
}

static void assert_counts(const dt_system_t *y, int64_t d, int64_t nd, int64_t w) {
  assert_int_equal(y->deployed, d);
  assert_int_equal(y->nondeployed, nd);
  assert_int_equal(y->warheads, w);
}

static void op_names_parse_back_to_their_ops(void **state) {
  (void)state;
  for (int op = 0; op < DT_OP__COUNT; op++)
    assert_int_equal(dt_arsenal_op_parse(dt_arsenal_op_name(op)), op);
  assert_string_equal(dt_arsenal_op_name(DT_OP_UNDEPLOY), "undeploy");
  assert_string_equal(dt_arsenal_op_name(DT_OP__COUNT), "?");
  assert_string_equal(dt_arsenal_op_name(-1), "?");
  assert_int_equal(dt_arsenal_op_parse("launch"), DT_EINVAL);
  assert_int_equal(dt_arsenal_op_parse(""), DT_EINVAL);
}

static void systems_are_added_in_order_and_found_by_name(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *a = row(f, "Minuteman III", f->icbm, 400, 50, 400, 3);
  dt_system_t *b = row(f, "Trident II", f->slbm, 230, 50, 970, 8);
  assert_int_equal(a->index, 0);
  assert_int_equal(b->index, 1);
  assert_int_equal(a->state, f->us->index);
  assert_int_equal(b->category, f->slbm);
  assert_int_equal(a->accountable, 1);
  assert_ptr_equal(dt_system_find(f->us, "Trident II"), b);
  assert_null(dt_system_find(f->us, "B-52H"));
  assert_int_equal(f->us->nsystems, 2);
  fx_free(f);
}

static void adding_a_bad_system_is_refused(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_sim_t *sim = f->sim;
  dt_state_t *s = f->us;
  dt_system_t *y = NULL;
  assert_int_equal(dt_system_add(sim, s, "", f->icbm, 1, 0, 0, 0, 1, &y), DT_EINVAL);
  assert_int_equal(dt_system_add(sim, s, NULL, f->icbm, 1, 0, 0, 0, 1, &y), DT_EINVAL);
  assert_int_equal(dt_system_add(sim, s, "x", 3, 1, 0, 0, 0, 1, &y), DT_EINVAL);
  assert_int_equal(dt_system_add(sim, s, "x", -1, 1, 0, 0, 0, 1, &y), DT_EINVAL);
  assert_int_equal(dt_system_add(sim, s, "x", f->icbm, -1, 0, 0, 0, 1, &y), DT_ERANGE);
  assert_int_equal(dt_system_add(sim, s, "x", f->icbm, 1, -1, 0, 0, 1, &y), DT_ERANGE);
  assert_int_equal(dt_system_add(sim, s, "x", f->icbm, 1, 0, -1, 0, 1, &y), DT_ERANGE);
  assert_int_equal(dt_system_add(sim, s, "x", f->icbm, 1, 0, 0, -1, 1, &y), DT_ERANGE);
  /* More warheads than the deployed launchers can carry, or none to carry them. */
  assert_int_equal(dt_system_add(sim, s, "x", f->icbm, 10, 0, 31, 3, 1, &y), DT_ERANGE);
  assert_int_equal(dt_system_add(sim, s, "x", f->icbm, 0, 5, 1, 0, 1, &y), DT_ERANGE);
  assert_null(y);
  assert_int_equal(s->nsystems, 0);
  row(f, "x", f->icbm, 10, 0, 30, 3);
  assert_int_equal(dt_system_add(sim, s, "x", f->slbm, 1, 0, 0, 0, 1, &y), DT_EEXIST);
  assert_int_equal(s->nsystems, 1);
  fx_free(f);
}

static void each_operation_moves_the_right_counts(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "Minuteman III", f->icbm, 400, 50, 400, 3);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_DEPLOY, 10), 0);
  assert_counts(y, 410, 40, 400);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_UPLOAD, 30), 0);
  assert_counts(y, 410, 40, 430);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_DOWNLOAD, 130), 0);
  assert_counts(y, 410, 40, 300);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_BUILD, 5), 0);
  assert_counts(y, 410, 45, 300);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_RETIRE, 45), 0);
  assert_counts(y, 410, 0, 300);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_UNDEPLOY, 10), 0);
  assert_counts(y, 400, 10, 300 - 8);   /* 300 * 10 / 410 = 7.3, rounded up to 8 */
  /* Zero units is a no-op that succeeds. */
  for (int op = 0; op < DT_OP__COUNT; op++)
    assert_int_equal(dt_arsenal_apply(f->sim, y, op, 0), 0);
  assert_counts(y, 400, 10, 292);
  fx_free(f);
}

static void no_operation_makes_a_count_negative(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "Trident II", f->slbm, 20, 4, 100, 0);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_DEPLOY, 5), DT_ERANGE);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_UNDEPLOY, 21), DT_ERANGE);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_DOWNLOAD, 101), DT_ERANGE);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_RETIRE, 5), DT_ERANGE);
  for (int op = 0; op < DT_OP__COUNT; op++)
    assert_int_equal(dt_arsenal_apply(f->sim, y, op, -1), DT_ERANGE);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_BUILD, INT64_MAX), DT_ERANGE);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP__COUNT, 1), DT_EINVAL);
  assert_int_equal(dt_arsenal_apply(f->sim, y, -1, 1), DT_EINVAL);
  assert_counts(y, 20, 4, 100);
  /* Exactly everything is allowed. */
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_DEPLOY, 4), 0);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_DOWNLOAD, 100), 0);
  assert_counts(y, 24, 0, 0);
  fx_free(f);
}

static void uploading_beyond_capacity_is_refused(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "Minuteman III", f->icbm, 10, 0, 20, 3);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_UPLOAD, 11), DT_ERANGE);
  assert_counts(y, 10, 0, 20);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_UPLOAD, 10), 0);   /* to 3 each */
  assert_counts(y, 10, 0, 30);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_UPLOAD, 1), DT_ERANGE);
  assert_counts(y, 10, 0, 30);
  fx_free(f);
}

static void uploading_with_no_deployed_launchers_is_refused(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *capped = row(f, "Sarmat", f->icbm, 0, 10, 0, 10);
  dt_system_t *open = row(f, "B-21", f->bomber, 0, 10, 0, 0);
  assert_int_equal(dt_arsenal_apply(f->sim, capped, DT_OP_UPLOAD, 1), DT_ERANGE);
  assert_int_equal(dt_arsenal_apply(f->sim, open, DT_OP_UPLOAD, 1), DT_ERANGE);
  assert_counts(capped, 0, 10, 0);
  assert_counts(open, 0, 10, 0);
  assert_int_equal(dt_arsenal_apply(f->sim, open, DT_OP_UPLOAD, 0), 0);
  /* Once one is deployed an uncapped row takes any number. */
  assert_int_equal(dt_arsenal_apply(f->sim, open, DT_OP_DEPLOY, 1), 0);
  assert_int_equal(dt_arsenal_apply(f->sim, open, DT_OP_UPLOAD, 20), 0);
  assert_counts(open, 1, 9, 20);
  fx_free(f);
}

static void undeploying_takes_the_launchers_share_of_warheads(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "Trident II", f->slbm, 10, 0, 25, 0);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_UNDEPLOY, 3), 0);
  assert_counts(y, 7, 3, 17);             /* 25 * 3 / 10 = 7.5 -> 8 come off */
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_UNDEPLOY, 7), 0);
  assert_counts(y, 0, 10, 0);             /* the last launcher takes the rest */
  /* Evenly loaded: an exact share. */
  dt_system_t *z = row(f, "Minuteman III", f->icbm, 400, 0, 400, 3);
  assert_int_equal(dt_arsenal_apply(f->sim, z, DT_OP_UNDEPLOY, 50), 0);
  assert_counts(z, 350, 50, 350);
  /* What stays never exceeds what the remaining launchers can carry. */
  dt_system_t *c = row(f, "capped", f->icbm, 4, 0, 12, 3);
  assert_int_equal(dt_arsenal_apply(f->sim, c, DT_OP_UNDEPLOY, 1), 0);
  assert_counts(c, 3, 1, 9);
  assert_true(c->warheads <= c->deployed * c->capacity);
  /* Unloaded launchers take nothing. */
  dt_system_t *e = row(f, "empty", f->bomber, 5, 0, 0, 0);
  assert_int_equal(dt_arsenal_apply(f->sim, e, DT_OP_UNDEPLOY, 2), 0);
  assert_counts(e, 3, 2, 0);
  fx_free(f);
}

static void a_change_now_emits_an_event_and_a_refused_one_emits_none(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "Minuteman III", f->icbm, 400, 50, 400, 3);
  assert_int_equal(dt_arsenal_change_now(f->sim, y, DT_OP_DEPLOY, 10), 0);
  assert_int_equal(dt_arsenal_change_now(f->sim, y, DT_OP_UPLOAD, 20), 0);
  assert_int_equal(dt_arsenal_change_now(f->sim, y, DT_OP_RETIRE, 41), DT_ERANGE);
  assert_int_equal(f->log.n, 2);
  const evlog_ev_t *e = evlog_get(&f->log, "arsenal.deploy");
  assert_string_equal(e->text,
                      "USA Minuteman III: deploy 10 launchers (deployed 400 -> 410, "
                      "non-deployed 50 -> 40)");
  assert_int_equal(e->actor, 0);
  assert_int_equal(e->vis, DT_VIS_PUBLIC);
  assert_int_equal(e->time, at("2025-09-22"));
  assert_string_equal(evlog_field(e, "system"), "Minuteman III");
  assert_string_equal(evlog_field(e, "n"), "10");
  assert_string_equal(evlog_field(e, "deployed"), "410");
  assert_string_equal(evlog_field(e, "nondeployed"), "40");
  e = evlog_get(&f->log, "arsenal.upload");
  assert_string_equal(e->text, "USA Minuteman III: upload 20 warheads (400 -> 420)");
  assert_string_equal(evlog_field(e, "warheads"), "420");
  fx_free(f);
}

/* ---- gradual changes ---- */

/* Runs the sim to the end of day `day` after the start and returns done. */
static int64_t done_by_day(fx_t *f, dt_change_t *c, int day) {
  assert_int_equal(dt_sim_run(f->sim, f->sim->start + day * DT_DAY), 0);
  return c->done;
}

static void a_change_of_two_a_day_applies_two_units_each_day(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "Minuteman III", f->icbm, 0, 10, 0, 3);
  dt_change_t *c = NULL;
  assert_int_equal(dt_arsenal_schedule(f->sim, y, DT_OP_DEPLOY, 9, 2.0, &c), 0);
  assert_non_null(c);
  assert_int_equal(c->active, 1);
  assert_int_equal(evlog_count(&f->log, "arsenal.change_started"), 1);
  assert_int_equal(done_by_day(f, c, 0), 0);     /* nothing on the start day */
  assert_int_equal(y->deployed, 0);
  for (int day = 1; day <= 4; day++) {
    assert_int_equal(done_by_day(f, c, day), 2 * day);
    assert_int_equal(y->deployed, 2 * day);
    assert_int_equal(y->nondeployed, 10 - 2 * day);
  }
  assert_int_equal(c->active, 1);
  assert_int_equal(done_by_day(f, c, 5), 9);      /* the odd unit on day 5 */
  assert_int_equal(c->active, 0);
  assert_null(c->reason);
  const evlog_ev_t *e = evlog_get(&f->log, "arsenal.change_done");
  assert_int_equal(e->time, f->sim->start + 5 * DT_DAY);
  assert_string_equal(evlog_field(e, "done"), "9");
  assert_string_equal(evlog_field(e, "total"), "9");
  assert_int_equal(dt_queue_len(&f->sim->queue), 0);
  fx_free(f);
}

static void a_change_of_sixty_a_month_applies_units_on_their_days(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "Trident II", f->slbm, 100, 0, 0, 8);
  dt_change_t *c = NULL;
  /* A month is 30.436875 days (the mean Gregorian month): unit k falls due on day
   * ceil(k * 30.436875 / 60) = ceil(k * 0.50728125). */
  assert_int_equal(dt_arsenal_schedule(f->sim, y, DT_OP_UPLOAD, 60, 60 / 30.436875, &c), 0);
  assert_int_equal(done_by_day(f, c, 0), 0);
  assert_int_equal(done_by_day(f, c, 1), 1);     /* k = 1: 0.507 -> day 1 */
  assert_int_equal(done_by_day(f, c, 2), 3);     /* k <= 2 / 0.50728125 = 3.94 */
  assert_int_equal(done_by_day(f, c, 15), 29);   /* 15 / 0.50728125 = 29.57 */
  assert_int_equal(done_by_day(f, c, 30), 59);   /* 30 / 0.50728125 = 59.14 */
  assert_int_equal(y->warheads, 59);
  assert_int_equal(c->active, 1);
  assert_int_equal(done_by_day(f, c, 31), 60);   /* k = 60: 30.44 -> day 31 */
  assert_int_equal(y->warheads, 60);
  assert_int_equal(c->active, 0);
  assert_int_equal(evlog_get(&f->log, "arsenal.change_done")->time,
                   f->sim->start + 31 * DT_DAY);
  fx_free(f);
}

static void a_change_of_a_tenth_a_day_applies_one_unit_every_ten_days(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "Minuteman III", f->icbm, 10, 0, 0, 0);
  dt_change_t *c = NULL;
  assert_int_equal(dt_arsenal_schedule(f->sim, y, DT_OP_UNDEPLOY, 3, 0.1, &c), 0);
  assert_int_equal(done_by_day(f, c, 9), 0);
  assert_int_equal(done_by_day(f, c, 10), 1);
  assert_int_equal(done_by_day(f, c, 19), 1);
  assert_int_equal(done_by_day(f, c, 20), 2);
  assert_int_equal(done_by_day(f, c, 29), 2);    /* 3 / 0.1 is 30.000000000000004 */
  assert_int_equal(done_by_day(f, c, 30), 3);
  assert_counts(y, 7, 3, 0);
  assert_int_equal(c->active, 0);
  fx_free(f);
}

static void a_change_stops_early_when_capacity_is_reached(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "Minuteman III", f->icbm, 5, 0, 0, 4);   /* room for 20 */
  dt_change_t *c = NULL;
  assert_int_equal(dt_arsenal_schedule(f->sim, y, DT_OP_UPLOAD, 100, 7.0, &c), 0);
  f->sim->stop = f->sim->start + 60 * DT_DAY;
  assert_int_equal(dt_sim_run(f->sim, DT_NEVER), 0);
  /* Day 1: 7, day 2: 14, day 3: 6 more fit of the 7 due. */
  assert_int_equal(c->done, 20);
  assert_int_equal(y->warheads, 20);
  assert_int_equal(c->active, 0);
  assert_non_null(c->reason);
  assert_int_equal(evlog_count(&f->log, "arsenal.change_stopped"), 1);
  assert_int_equal(evlog_count(&f->log, "arsenal.change_done"), 0);
  const evlog_ev_t *e = evlog_get(&f->log, "arsenal.change_stopped");
  assert_int_equal(e->time, f->sim->start + 3 * DT_DAY);
  assert_string_equal(evlog_field(e, "done"), "20");
  assert_string_equal(e->text, "USA Minuteman III: upload stopped after 20 of 100 "
                               "(no room left (capacity or count reached))");
  assert_int_equal(dt_queue_len(&f->sim->queue), 0);
  fx_free(f);
}

static void a_change_stops_at_once_when_nothing_fits(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "Minuteman III", f->icbm, 0, 3, 0, 0);
  dt_change_t *c = NULL;
  assert_int_equal(dt_arsenal_schedule(f->sim, y, DT_OP_RETIRE, 10, 1.0, &c), 0);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_RETIRE, 3), 0);   /* gone meanwhile */
  assert_int_equal(dt_sim_run(f->sim, f->sim->start + 30 * DT_DAY), 0);
  assert_int_equal(c->done, 0);
  assert_int_equal(c->active, 0);
  assert_int_equal(evlog_get(&f->log, "arsenal.change_stopped")->time,
                   f->sim->start + DT_DAY);
  assert_counts(y, 0, 0, 0);
  fx_free(f);
}

static void a_cancelled_change_applies_nothing_more(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "B-52H", f->bomber, 0, 0, 0, 0);
  dt_change_t *c = NULL;
  assert_int_equal(dt_arsenal_schedule(f->sim, y, DT_OP_BUILD, 100, 1.0, &c), 0);
  assert_int_equal(done_by_day(f, c, 3), 3);
  assert_int_equal(dt_change_cancel(f->sim, c), 0);
  assert_int_equal(c->active, 0);
  assert_string_equal(c->reason, "cancelled");
  assert_int_equal(dt_queue_len(&f->sim->queue), 0);
  const evlog_ev_t *e = evlog_get(&f->log, "arsenal.change_stopped");
  assert_string_equal(e->text, "USA B-52H: build stopped after 3 of 100 (cancelled)");
  assert_int_equal(done_by_day(f, c, 10), 3);
  assert_int_equal(y->nondeployed, 3);
  assert_int_equal(dt_change_cancel(f->sim, c), DT_ESTATE);
  assert_int_equal(evlog_count(&f->log, "arsenal.change_stopped"), 1);
  fx_free(f);
}

static void a_finished_change_cannot_be_cancelled(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "B-52H", f->bomber, 0, 0, 0, 0);
  dt_change_t *c = NULL;
  assert_int_equal(dt_arsenal_schedule(f->sim, y, DT_OP_BUILD, 2, 5.0, &c), 0);
  assert_int_equal(done_by_day(f, c, 1), 2);
  assert_int_equal(dt_change_cancel(f->sim, c), DT_ESTATE);
  fx_free(f);
}

static void a_change_of_nothing_is_done_at_once(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "B-52H", f->bomber, 0, 0, 0, 0);
  dt_change_t *c = NULL;
  assert_int_equal(dt_arsenal_schedule(f->sim, y, DT_OP_BUILD, 0, 1.0, &c), 0);
  assert_int_equal(c->active, 0);
  assert_int_equal(evlog_count(&f->log, "arsenal.change_done"), 1);
  assert_int_equal(dt_queue_len(&f->sim->queue), 0);
  fx_free(f);
}

static void a_change_with_a_bad_rate_or_total_is_refused(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "B-52H", f->bomber, 0, 0, 0, 0);
  dt_change_t *c = NULL;
  assert_int_equal(dt_arsenal_schedule(f->sim, y, DT_OP_BUILD, 10, 0.0, &c), DT_ERANGE);
  assert_int_equal(dt_arsenal_schedule(f->sim, y, DT_OP_BUILD, 10, -1.0, &c), DT_ERANGE);
  assert_int_equal(dt_arsenal_schedule(f->sim, y, DT_OP_BUILD, 10, NAN, &c), DT_ERANGE);
  assert_int_equal(dt_arsenal_schedule(f->sim, y, DT_OP_BUILD, 10, INFINITY, &c), DT_ERANGE);
  assert_int_equal(dt_arsenal_schedule(f->sim, y, DT_OP_BUILD, -1, 1.0, &c), DT_ERANGE);
  assert_int_equal(dt_arsenal_schedule(f->sim, y, DT_OP__COUNT, 10, 1.0, &c), DT_EINVAL);
  assert_int_equal(dt_arsenal_schedule(f->sim, y, -1, 10, 1.0, &c), DT_EINVAL);
  assert_null(c);
  assert_int_equal(f->sim->nchanges, 0);
  assert_int_equal(f->log.n, 0);
  assert_int_equal(dt_queue_len(&f->sim->queue), 0);
  fx_free(f);
}

static void two_changes_on_one_row_run_side_by_side(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "Minuteman III", f->icbm, 0, 0, 0, 0);
  dt_change_t *a = NULL, *b = NULL;
  assert_int_equal(dt_arsenal_schedule(f->sim, y, DT_OP_BUILD, 10, 1.0, &a), 0);
  assert_int_equal(dt_arsenal_schedule(f->sim, y, DT_OP_DEPLOY, 4, 0.5, &b), 0);
  assert_int_equal(a->index, 0);
  assert_int_equal(b->index, 1);
  assert_int_equal(dt_sim_run(f->sim, f->sim->start + 8 * DT_DAY), 0);
  assert_int_equal(a->done, 8);
  assert_int_equal(b->done, 4);
  assert_counts(y, 4, 4, 0);
  fx_free(f);
}

/* ---- quantities and metrics ---- */

/* A hand-computed arsenal:
 *   row             cat     dep  nondep  warheads  accountable
 *   Minuteman III   ICBM    400    50      400        yes
 *   test ICBM       ICBM      2     5        2        no
 *   Trident II      SLBM    230    50     1000        yes
 *   B-52H           bomber   40     6        0        yes
 *   B-2A            bomber   20     0        0        yes
 *   Tomahawk        SLCM    100     0      100        yes   (not counted)
 * New START: deployed ICBM+SLBM+bombers = 400+2+230+40+20 = 692;
 * warheads = 400+2+1000 on ICBM/SLBM + 60 for the deployed bombers = 1462;
 * launchers deployed+non-deployed = 692 + 50+5+50+6+0 = 803.
 * Accountable only: 690, 1460, 796. */
static fx_t *new_start_fx(void) {
  fx_t *f = fx_new();
  int slcm = dt_category_intern(f->sim, "SLCM");
  row(f, "Minuteman III", f->icbm, 400, 50, 400, 3);
  assert_int_equal(dt_system_add(f->sim, f->us, "test ICBM", f->icbm, 2, 5, 2, 1, 0, NULL), 0);
  row(f, "Trident II", f->slbm, 230, 50, 1000, 8);
  row(f, "B-52H", f->bomber, 40, 6, 0, 0);
  row(f, "B-2A", f->bomber, 20, 0, 0, 0);
  row(f, "Tomahawk", slcm, 100, 0, 100, 1);
  return f;
}

static int add_new_start_metrics(fx_t *f, int acc, const char *sfx, int *m) {
  uint64_t strat = 1ull << f->icbm | 1ull << f->slbm | 1ull << f->bomber;
  uint64_t missiles = 1ull << f->icbm | 1ull << f->slbm;
  dt_metric_term_t dep[] = { { strat, DT_Q_DEPLOYED, 1, acc, 0, 0, 0 } };
  dt_metric_term_t wh[] = { { missiles, DT_Q_WARHEADS, 1, acc, 0, 0, 0 },
                            { 1ull << f->bomber, DT_Q_DEPLOYED, 1, acc, 0, 0, 0 } };
  dt_metric_term_t lau[] = { { strat, DT_Q_LAUNCHERS, 1, acc, 0, 0, 0 } };
  char n[64];
  snprintf(n, sizeof n, "deployed%s", sfx);
  m[0] = dt_metric_add(f->sim, n, "Article II.1(a)", dep, 1, 0);
  snprintf(n, sizeof n, "warheads%s", sfx);
  m[1] = dt_metric_add(f->sim, n, "Article II.1(b)", wh, 2, 0);
  snprintf(n, sizeof n, "launchers%s", sfx);
  m[2] = dt_metric_add(f->sim, n, "Article II.1(c)", lau, 1, 0);
  return 0;
}

static double eval(fx_t *f, int m) {
  double v = -1;
  assert_int_equal(dt_metric_eval(f->sim, m, f->us, &v), 0);
  return v;
}

static void quantities_sum_the_rows_of_the_chosen_categories(void **state) {
  (void)state;
  fx_t *f = new_start_fx();
  uint64_t icbm = 1ull << f->icbm;
  assert_int_equal(dt_arsenal_qty(f->us, DT_Q_DEPLOYED, icbm, 0), 402);
  assert_int_equal(dt_arsenal_qty(f->us, DT_Q_DEPLOYED, icbm, 1), 400);
  assert_int_equal(dt_arsenal_qty(f->us, DT_Q_NONDEPLOYED, icbm, 0), 55);
  assert_int_equal(dt_arsenal_qty(f->us, DT_Q_LAUNCHERS, icbm, 0), 457);
  assert_int_equal(dt_arsenal_qty(f->us, DT_Q_WARHEADS, icbm, 0), 402);
  assert_int_equal(dt_arsenal_qty(f->us, DT_Q_WARHEADS, UINT64_MAX, 0), 1502);
  assert_int_equal(dt_arsenal_qty(f->us, DT_Q_DEPLOYED, 0, 0), 0);
  assert_int_equal(dt_arsenal_qty(f->us, 99, UINT64_MAX, 0), 0);
  fx_free(f);
}

static void the_new_start_rules_count_a_hand_computed_arsenal(void **state) {
  (void)state;
  fx_t *f = new_start_fx();
  int m[3], a[3];
  add_new_start_metrics(f, 0, "", m);
  add_new_start_metrics(f, 1, "_acc", a);
  assert_int_equal(m[0], 0);
  assert_int_equal(a[2], 5);
  assert_true(eval(f, m[0]) == 692);
  assert_true(eval(f, m[1]) == 1462);
  assert_true(eval(f, m[2]) == 803);
  assert_true(eval(f, a[0]) == 690);
  assert_true(eval(f, a[1]) == 1460);
  assert_true(eval(f, a[2]) == 796);
  /* Metrics are computed from the arsenal each time. */
  dt_system_t *b52 = dt_system_find(f->us, "B-52H");
  assert_int_equal(dt_arsenal_apply(f->sim, b52, DT_OP_UNDEPLOY, 10), 0);
  assert_true(eval(f, m[0]) == 682);
  assert_true(eval(f, m[1]) == 1452);
  assert_true(eval(f, m[2]) == 803);
  assert_int_equal(dt_metric_find(f->sim, "warheads_acc"), a[1]);
  assert_string_equal(f->sim->metrics[m[1]].doc, "Article II.1(b)");
  fx_free(f);
}

static void a_metric_with_weights_multiplies_its_terms(void **state) {
  (void)state;
  fx_t *f = new_start_fx();
  /* Bombers counted as 2 each, minus non-deployed ICBMs. */
  dt_metric_term_t t[] = { { 1ull << f->bomber, DT_Q_DEPLOYED, 2, 0, 0, 0, 0 },
                           { 1ull << f->icbm, DT_Q_NONDEPLOYED, -1, 0, 0, 0, 0 } };
  int m = dt_metric_add(f->sim, "odd", NULL, t, 2, 0);
  assert_true(m >= 0);
  assert_true(eval(f, m) == 120 - 55);
  assert_null(f->sim->metrics[m].doc);
  fx_free(f);
}

static void bad_metrics_are_refused(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_metric_term_t ok[] = { { UINT64_MAX, DT_Q_DEPLOYED, 1, 0, 0, 0, 0 } };
  dt_metric_term_t bad[] = { { UINT64_MAX, 7, 1, 0, 0, 0, 0 } };
  assert_int_equal(dt_metric_add(f->sim, "", NULL, ok, 1, 0), DT_EINVAL);
  assert_int_equal(dt_metric_add(f->sim, NULL, NULL, ok, 1, 0), DT_EINVAL);
  assert_int_equal(dt_metric_add(f->sim, "m", NULL, ok, 0, 0), DT_EINVAL);
  assert_int_equal(dt_metric_add(f->sim, "m", NULL, ok, -1, 0), DT_EINVAL);
  assert_int_equal(dt_metric_add(f->sim, "m", NULL, bad, 1, 0), DT_EINVAL);
  assert_int_equal(f->sim->nmetrics, 0);
  assert_int_equal(dt_metric_add(f->sim, "m", NULL, ok, 1, 0), 0);
  assert_int_equal(dt_metric_add(f->sim, "m", NULL, ok, 1, 0), DT_EEXIST);
  assert_int_equal(dt_metric_find(f->sim, "none"), DT_ENOENT);
  double v = 0;
  assert_int_equal(dt_metric_eval(f->sim, 1, f->us, &v), DT_ENOENT);
  assert_int_equal(dt_metric_eval(f->sim, -1, f->us, &v), DT_ENOENT);
  fx_free(f);
}

static int metric_calls;
static int foreign_metric(dt_sim_t *sim, int metric, const dt_state_t *s, double *out,
                          void *ud) {
  (void)sim;
  metric_calls++;
  *out = metric * 100 + s->index + *(double *)ud;
  return 0;
}

static void a_foreign_metric_is_computed_by_the_runtime_callback(void **state) {
  (void)state;
  fx_t *f = fx_new();
  int m = dt_metric_add(f->sim, "lua", NULL, NULL, 0, 17);
  assert_int_equal(m, 0);
  double v = 0;
  assert_int_equal(dt_metric_eval(f->sim, m, f->us, &v), DT_EINVAL);   /* no callback */
  double extra = 0.5;
  f->sim->metric_cb = foreign_metric; f->sim->metric_ud = &extra;
  metric_calls = 0;
  assert_int_equal(dt_metric_eval(f->sim, m, f->us, &v), 0);
  assert_int_equal(metric_calls, 1);
  assert_true(v == 0.5);
  fx_free(f);
}


static void missiles_count_launchers_times_missiles_plus_reloads(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "9M729", f->icbm, 4, 2, 0, 0);
  y->per_launcher_missiles = 4; y->reloads = 8; y->range_km = 2350; y->basing = DT_BASE_GROUND;
  assert_int_equal(dt_arsenal_qty(f->us, DT_Q_MISSILES, UINT64_MAX, 0), 4 * 4 + 8);
  assert_int_equal(dt_arsenal_qty(f->us, DT_Q_DEPLOYED_MISSILES, UINT64_MAX, 0), 16);
  assert_int_equal(dt_arsenal_qty(f->us, DT_Q_RELOADS, UINT64_MAX, 0), 8);
  assert_int_equal(dt_arsenal_change_now(f->sim, y, DT_OP_PRODUCE, 4), 0);
  assert_int_equal(y->reloads, 12);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_ELIMINATE, 13), DT_ERANGE);
  assert_int_equal(y->reloads, 12);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_ELIMINATE, 12), 0);
  assert_int_equal(y->reloads, 0);
  assert_non_null(evlog_get(&f->log, "arsenal.produce"));
  for (int q = 0; q < DT_Q__COUNT; q++) assert_int_equal(dt_qty_parse(dt_qty_name(q)), q);
  for (int b = 0; b < DT_BASE__COUNT; b++) assert_int_equal(dt_basing_parse(dt_basing_name(b)), b);
  assert_int_equal(dt_qty_parse("warhead"), DT_EINVAL);
  fx_free(f);
}

static void a_range_band_counts_only_rows_inside_it(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *a = row(f, "SSC-8", f->icbm, 10, 0, 10, 1);
  dt_system_t *b = row(f, "Iskander", f->icbm, 20, 0, 20, 1);
  dt_system_t *c = row(f, "Yars", f->icbm, 30, 0, 30, 4);
  dt_system_t *d = row(f, "unknown range", f->icbm, 40, 0, 40, 1);
  dt_system_t *e = row(f, "Kalibr", f->slbm, 50, 0, 50, 1);
  a->range_km = 2350; b->range_km = 499; c->range_km = 11000; e->range_km = 1500;
  a->basing = b->basing = c->basing = DT_BASE_GROUND; e->basing = DT_BASE_SEA;
  (void)d;
  dt_metric_term_t inf = { .cats = UINT64_MAX, .qty = DT_Q_LAUNCHERS, .weight = 1,
                           .range_min = 500, .range_max = 5500, .basing = 1u << DT_BASE_GROUND };
  int m = dt_metric_add(f->sim, "inf", NULL, &inf, 1, 0);
  assert_true(m >= 0);
  double v = -1;
  assert_int_equal(dt_metric_eval(f->sim, m, f->us, &v), 0);
  assert_true(v == 10);                 /* only SSC-8: Kalibr is sea-based */
  inf.basing = 0;
  m = dt_metric_add(f->sim, "inf_any_basing", NULL, &inf, 1, 0);
  assert_int_equal(dt_metric_eval(f->sim, m, f->us, &v), 0);
  assert_true(v == 60);
  /* The band's ends are inside it. */
  b->range_km = 500;
  assert_int_equal(dt_metric_eval(f->sim, m, f->us, &v), 0);
  assert_true(v == 80);
  dt_metric_term_t bad = inf;
  bad.range_min = 6000;                 /* min above max */
  assert_int_equal(dt_metric_add(f->sim, "bad", NULL, &bad, 1, 0), DT_EINVAL);
  bad = inf; bad.basing = 1u << 7;
  assert_int_equal(dt_metric_add(f->sim, "bad", NULL, &bad, 1, 0), DT_EINVAL);
  fx_free(f);
}

static void a_tracked_stockpile_feeds_uploads_and_takes_downloads(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_system_t *y = row(f, "Trident", f->slbm, 10, 0, 40, 8);
  assert_int_equal(dt_stockpile_apply(f->sim, f->us, DT_SOP_PRODUCE, 1), DT_ESTATE);
  assert_int_equal(dt_stockpile_set(f->sim, f->us, 25, 100), 0);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_UPLOAD, 26), DT_ERANGE);   /* reserve 25 */
  assert_int_equal(dt_arsenal_room(f->sim, y, DT_OP_UPLOAD), 25);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_UPLOAD, 25), 0);
  assert_int_equal(f->us->reserve, 0);
  assert_int_equal(y->warheads, 65);
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_DOWNLOAD, 5), 0);
  assert_int_equal(f->us->reserve, 5);
  /* Launchers stood down bring their warheads back to the reserve. */
  assert_int_equal(dt_arsenal_apply(f->sim, y, DT_OP_UNDEPLOY, 10), 0);
  assert_int_equal(f->us->reserve, 65);
  assert_int_equal(dt_stockpile_deployed(f->us), 0);
  assert_int_equal(dt_stockpile_change_now(f->sim, f->us, DT_SOP_RETIRE, 60), 0);
  assert_int_equal(f->us->reserve, 5);
  assert_int_equal(f->us->awaiting, 160);
  assert_int_equal(dt_stockpile_apply(f->sim, f->us, DT_SOP_RETIRE, 6), DT_ERANGE);
  const evlog_ev_t *e = evlog_get(&f->log, "stockpile.retire");
  assert_non_null(e);
  assert_string_equal(evlog_field(e, "awaiting_dismantlement"), "160");
  for (int op = 0; op < DT_SOP__COUNT; op++)
    assert_int_equal(dt_stock_op_parse(dt_stock_op_name(op)), op);
  fx_free(f);
}

static void dismantlement_at_a_rate_stops_when_nothing_is_left(void **state) {
  (void)state;
  fx_t *f = fx_new();
  assert_int_equal(dt_stockpile_set(f->sim, f->us, 0, 30), 0);
  dt_change_t *c = NULL;
  assert_int_equal(dt_stockpile_schedule(f->sim, f->us, DT_SOP_DISMANTLE, 50, 1.0, &c), 0);
  assert_int_equal(dt_sim_run(f->sim, at("2025-10-02")), 0);        /* 10 days */
  assert_int_equal(f->us->awaiting, 20);
  assert_true(c->active);
  assert_int_equal(dt_sim_run(f->sim, DT_NEVER), 0);
  assert_int_equal(f->us->awaiting, 0);
  assert_false(c->active);
  assert_int_equal(c->done, 30);
  const evlog_ev_t *e = evlog_get(&f->log, "arsenal.change_stopped");
  assert_non_null(e);
  assert_string_equal(evlog_field(e, "system"), "stockpile");
  assert_string_equal(evlog_field(e, "op"), "dismantle");
  fx_free(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(op_names_parse_back_to_their_ops),
    cmocka_unit_test(systems_are_added_in_order_and_found_by_name),
    cmocka_unit_test(adding_a_bad_system_is_refused),
    cmocka_unit_test(each_operation_moves_the_right_counts),
    cmocka_unit_test(no_operation_makes_a_count_negative),
    cmocka_unit_test(uploading_beyond_capacity_is_refused),
    cmocka_unit_test(uploading_with_no_deployed_launchers_is_refused),
    cmocka_unit_test(undeploying_takes_the_launchers_share_of_warheads),
    cmocka_unit_test(a_change_now_emits_an_event_and_a_refused_one_emits_none),
    cmocka_unit_test(a_change_of_two_a_day_applies_two_units_each_day),
    cmocka_unit_test(a_change_of_sixty_a_month_applies_units_on_their_days),
    cmocka_unit_test(a_change_of_a_tenth_a_day_applies_one_unit_every_ten_days),
    cmocka_unit_test(a_change_stops_early_when_capacity_is_reached),
    cmocka_unit_test(a_change_stops_at_once_when_nothing_fits),
    cmocka_unit_test(a_cancelled_change_applies_nothing_more),
    cmocka_unit_test(a_finished_change_cannot_be_cancelled),
    cmocka_unit_test(a_change_of_nothing_is_done_at_once),
    cmocka_unit_test(a_change_with_a_bad_rate_or_total_is_refused),
    cmocka_unit_test(two_changes_on_one_row_run_side_by_side),
    cmocka_unit_test(quantities_sum_the_rows_of_the_chosen_categories),
    cmocka_unit_test(the_new_start_rules_count_a_hand_computed_arsenal),
    cmocka_unit_test(a_metric_with_weights_multiplies_its_terms),
    cmocka_unit_test(bad_metrics_are_refused),
    cmocka_unit_test(a_foreign_metric_is_computed_by_the_runtime_callback),
    cmocka_unit_test(missiles_count_launchers_times_missiles_plus_reloads),
    cmocka_unit_test(a_range_band_counts_only_rows_inside_it),
    cmocka_unit_test(a_tracked_stockpile_feeds_uploads_and_takes_downloads),
    cmocka_unit_test(dismantlement_at_a_rate_stops_when_nothing_is_left),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
