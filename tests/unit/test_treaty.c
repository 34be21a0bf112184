/* test_treaty.c: unit tests of engine/treaty.c: the status at creation from the
 * dates, entry into force and expiry firing on their dates, every allowed and
 * forbidden status change, extensions moving the expiry within max_extensions,
 * observance, pledges after expiry, and compliance computed from the arsenals. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "world.h"
#include "evlog.h"

/* A sim at 2025-09-22 with USA, RUS and CHN; USA and RUS have one ICBM row
 * each and a "deployed" metric counts deployed ICBMs. */
typedef struct fx {
  dt_sim_t *sim;
  dt_system_t *us_icbm, *ru_icbm;
  int deployed;
  evlog_t log;
} fx_t;

static fx_t *fx_new(void) {
  fx_t *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->sim = dt_sim_new();
  f->sim->now = f->sim->start = at("2025-09-22");
  dt_state_t *us, *ru;
  assert_int_equal(dt_state_add(f->sim, "USA", NULL, &us), 0);
  assert_int_equal(dt_state_add(f->sim, "RUS", NULL, &ru), 0);
  assert_int_equal(dt_state_add(f->sim, "CHN", NULL, NULL), 0);
  int icbm = dt_category_intern(f->sim, "ICBM");
  assert_int_equal(dt_system_add(f->sim, us, "Minuteman III", icbm, 400, 50, 400, 3, 1,
                                 &f->us_icbm), 0);
  assert_int_equal(dt_system_add(f->sim, ru, "Yars", icbm, 300, 20, 600, 4, 1,
                                 &f->ru_icbm), 0);
  dt_metric_term_t t = { 1ull << icbm, DT_Q_DEPLOYED, 1, 0, 0, 0, 0 };
  f->deployed = dt_metric_add(f->sim, "deployed", NULL, &t, 1, 0);
  assert_true(f->deployed >= 0);
  evlog_attach(&f->log, f->sim);
  return f;
}

static void fx_free(fx_t *f) { dt_sim_free(f->sim); free(f); }

static const int usru[2] = { 0, 1 };

/* New START's dates: signed 2010-04-08, in force 2011-02-05, expiring
 * 2021-02-05 before its one five-year extension. */
static dt_treaty_t *new_start(fx_t *f, int max_ext, double limit) {
  dt_limit_t lim = { f->deployed, limit, 0 };
  dt_treaty_t *t = NULL;
  assert_int_equal(dt_treaty_add(f->sim, "new_start", "New START", usru, 2, &lim, 1,
                                 at("2010-04-08"), at("2011-02-05"), at("2026-02-05"),
                                 max_ext, &t), 0);
  return t;
}

/* A treaty entering into force in a year and expiring in ten. */
static dt_treaty_t *future(fx_t *f, const char *id) {
  dt_treaty_t *t = NULL;
  assert_int_equal(dt_treaty_add(f->sim, id, NULL, usru, 2, NULL, 0, f->sim->now,
                                 at("2026-09-22"), at("2035-09-22"), -1, &t), 0);
  return t;
}

static void the_status_at_creation_follows_the_dates(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *a = new_start(f, 1, 1550);
  assert_int_equal(a->status, DT_TS_IN_FORCE);
  assert_int_equal(a->observance[0], DT_OB_COMPLYING);
  assert_true(a->pledge_until[1] == DT_NEVER);
  assert_string_equal(a->name, "New START");
  dt_treaty_t *b = future(f, "b");
  assert_int_equal(b->status, DT_TS_SIGNED);
  assert_string_equal(b->name, "b");
  dt_treaty_t *c = NULL;   /* no date of entry: signed until someone says otherwise */
  assert_int_equal(dt_treaty_add(f->sim, "c", NULL, usru, 2, NULL, 0, DT_NEVER, DT_NEVER,
                                 DT_NEVER, -1, &c), 0);
  assert_int_equal(c->status, DT_TS_SIGNED);
  dt_treaty_t *d = NULL;   /* INF: in force 1988, ended 2019 */
  assert_int_equal(dt_treaty_add(f->sim, "inf", NULL, usru, 2, NULL, 0, at("1987-12-08"),
                                 at("1988-06-01"), at("2019-08-02"), 0, &d), 0);
  assert_int_equal(d->status, DT_TS_EXPIRED);
  assert_int_equal(d->observance[0], DT_OB_NONE);
  assert_int_equal(d->observance[1], DT_OB_NONE);
  dt_treaty_t *e = NULL;   /* entering into force today */
  assert_int_equal(dt_treaty_add(f->sim, "e", NULL, usru, 2, NULL, 0, DT_NEVER,
                                 f->sim->now, DT_NEVER, -1, &e), 0);
  assert_int_equal(e->status, DT_TS_IN_FORCE);
  dt_treaty_t *g = NULL;   /* expiring right now: in force until its expiry runs */
  assert_int_equal(dt_treaty_add(f->sim, "g", NULL, usru, 2, NULL, 0, DT_NEVER,
                                 f->sim->now - DT_DAY, f->sim->now, -1, &g), 0);
  assert_int_equal(g->status, DT_TS_IN_FORCE);
  /* Queue: a's expiry, b's entry and expiry, g's expiry now; e has no expiry; d none. */
  assert_int_equal(dt_queue_len(&f->sim->queue), 4);
  assert_int_equal(f->log.n, 0);           /* creation itself emits nothing */
  assert_int_equal(f->sim->ntreaties, 6);
  assert_ptr_equal(dt_treaty_find(f->sim, "inf"), d);
  assert_null(dt_treaty_find(f->sim, "abm"));
  /* g's expiry runs at once, with its event, and nothing else is due yet. */
  assert_int_equal(dt_sim_run(f->sim, f->sim->now), 0);
  assert_int_equal(g->status, DT_TS_EXPIRED);
  assert_int_equal(f->log.n, 1);
  fx_free(f);
}

static void a_bad_treaty_is_refused(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_time_t s = at("2026-01-01"), e = at("2030-01-01");
  int dup[2] = { 0, 0 }, unknown[2] = { 0, 3 }, neg[1] = { -1 };
  dt_limit_t badlim = { 5, 10, 0 };
  dt_treaty_t *t = NULL;
  assert_int_equal(dt_treaty_add(f->sim, "", NULL, usru, 2, NULL, 0, DT_NEVER, s, e, -1, &t),
                   DT_EINVAL);
  assert_int_equal(dt_treaty_add(f->sim, NULL, NULL, usru, 2, NULL, 0, DT_NEVER, s, e, -1, &t),
                   DT_EINVAL);
  assert_int_equal(dt_treaty_add(f->sim, "x", NULL, usru, 0, NULL, 0, DT_NEVER, s, e, -1, &t),
                   DT_EINVAL);
  assert_int_equal(dt_treaty_add(f->sim, "x", NULL, dup, 2, NULL, 0, DT_NEVER, s, e, -1, &t),
                   DT_EINVAL);
  assert_int_equal(dt_treaty_add(f->sim, "x", NULL, unknown, 2, NULL, 0, DT_NEVER, s, e, -1, &t),
                   DT_ENOENT);
  assert_int_equal(dt_treaty_add(f->sim, "x", NULL, neg, 1, NULL, 0, DT_NEVER, s, e, -1, &t),
                   DT_ENOENT);
  assert_int_equal(dt_treaty_add(f->sim, "x", NULL, usru, 2, &badlim, 1, DT_NEVER, s, e, -1, &t),
                   DT_ENOENT);
  assert_int_equal(dt_treaty_add(f->sim, "x", NULL, usru, 2, NULL, -1, DT_NEVER, s, e, -1, &t),
                   DT_EINVAL);
  assert_int_equal(dt_treaty_add(f->sim, "x", NULL, usru, 2, NULL, 0, DT_NEVER, e, s, -1, &t),
                   DT_EINVAL);
  assert_int_equal(dt_treaty_add(f->sim, "x", NULL, usru, 2, NULL, 0, DT_NEVER, s, s, -1, &t),
                   DT_EINVAL);
  assert_null(t);
  assert_int_equal(f->sim->ntreaties, 0);
  assert_int_equal(dt_queue_len(&f->sim->queue), 0);
  assert_int_equal(dt_treaty_add(f->sim, "x", NULL, usru, 2, NULL, 0, DT_NEVER, s, e, -1, &t), 0);
  assert_int_equal(dt_treaty_add(f->sim, "x", NULL, usru, 2, NULL, 0, DT_NEVER, s, e, -1, NULL),
                   DT_EEXIST);
  assert_int_equal(f->sim->ntreaties, 1);
  fx_free(f);
}

static void entry_into_force_and_expiry_fire_on_their_dates(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *t = future(f, "t");
  f->sim->stop = at("2040-01-01");
  assert_int_equal(dt_sim_run(f->sim, at("2026-09-21")), 0);
  assert_int_equal(t->status, DT_TS_SIGNED);
  assert_int_equal(dt_sim_run(f->sim, at("2026-09-22")), 0);
  assert_int_equal(t->status, DT_TS_IN_FORCE);
  const evlog_ev_t *e = evlog_get(&f->log, "treaty.in_force");
  assert_int_equal(e->time, at("2026-09-22"));
  assert_string_equal(e->text, "t: in force - enters into force");
  assert_string_equal(evlog_field(e, "treaty"), "t");
  assert_string_equal(evlog_field(e, "status"), "in_force");
  assert_int_equal(dt_sim_run(f->sim, at("2035-09-21")), 0);
  assert_int_equal(t->status, DT_TS_IN_FORCE);
  assert_int_equal(dt_sim_run(f->sim, DT_NEVER), 0);
  assert_int_equal(t->status, DT_TS_EXPIRED);
  e = evlog_get(&f->log, "treaty.expired");
  assert_int_equal(e->time, at("2035-09-22"));
  assert_string_equal(e->text, "t: expired - reaches the end of its term");
  assert_int_equal(t->observance[0], DT_OB_NONE);
  assert_int_equal(f->log.n, 2);
  fx_free(f);
}

/* Puts a fresh treaty into status st by allowed steps. */
static dt_treaty_t *in_status(fx_t *f, int st, int n) {
  char id[16];
  snprintf(id, sizeof id, "t%d", n);
  dt_treaty_t *t = future(f, id);
  int path[DT_TS__COUNT][3] = {
    [DT_TS_SIGNED] = { -1 },
    [DT_TS_IN_FORCE] = { DT_TS_IN_FORCE, -1 },
    [DT_TS_EXTENDED] = { DT_TS_IN_FORCE, DT_TS_EXTENDED, -1 },
    [DT_TS_EXPIRED] = { DT_TS_EXPIRED, -1 },
    [DT_TS_SUSPENDED] = { DT_TS_IN_FORCE, DT_TS_SUSPENDED, -1 },
    [DT_TS_TERMINATED] = { DT_TS_TERMINATED, -1 },
  };
  for (int i = 0; i < 3 && path[st][i] >= 0; i++)
    assert_int_equal(dt_treaty_set_status(f->sim, t, path[st][i], NULL), 0);
  assert_int_equal(t->status, st);
  return t;
}

static void every_status_change_is_allowed_or_forbidden_as_the_rules_say(void **state) {
  (void)state;
  /* The rules, written out: signed enters into force, lapses or is abandoned;
   * a treaty in force (or extended) can be extended again, expire, be
   * suspended or terminated; a suspended one can resume (in force or
   * extended), expire or be terminated; expired and terminated are final. */
  static const int ok[DT_TS__COUNT][DT_TS__COUNT] = {
    /*              sig in ext exp sus ter */
    [DT_TS_SIGNED]     = { 0, 1, 0, 1, 0, 1 },
    [DT_TS_IN_FORCE]   = { 0, 0, 1, 1, 1, 1 },
    [DT_TS_EXTENDED]   = { 0, 0, 1, 1, 1, 1 },
    [DT_TS_EXPIRED]    = { 0, 0, 0, 0, 0, 0 },
    [DT_TS_SUSPENDED]  = { 0, 1, 1, 1, 0, 1 },
    [DT_TS_TERMINATED] = { 0, 0, 0, 0, 0, 0 },
  };
  int n = 0;
  for (int from = 0; from < DT_TS__COUNT; from++)
    for (int to = 0; to < DT_TS__COUNT; to++) {
      fx_t *f = fx_new();
      dt_treaty_t *t = in_status(f, from, n++);
      evlog_clear(&f->log);
      int rc = dt_treaty_set_status(f->sim, t, to, "why");
      if (ok[from][to]) {
        if (rc != 0)
          fail_msg("%s -> %s refused", dt_treaty_status_name(from), dt_treaty_status_name(to));
        assert_int_equal(t->status, to);
        assert_int_equal(f->log.n, 1);
        char kind[40];
        snprintf(kind, sizeof kind, "treaty.%s", dt_treaty_status_name(to));
        assert_string_equal(f->log.ev[0].kind, kind);
      } else {
        if (rc != DT_ESTATE)
          fail_msg("%s -> %s gave %d", dt_treaty_status_name(from), dt_treaty_status_name(to), rc);
        assert_int_equal(t->status, from);
        assert_int_equal(f->log.n, 0);
      }
      fx_free(f);
    }
}

static void an_unknown_status_is_einval(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *t = future(f, "t");
  assert_int_equal(dt_treaty_set_status(f->sim, t, DT_TS__COUNT, NULL), DT_EINVAL);
  assert_int_equal(dt_treaty_set_status(f->sim, t, -1, NULL), DT_EINVAL);
  assert_int_equal(t->status, DT_TS_SIGNED);
  fx_free(f);
}

static void ending_a_treaty_cancels_its_clocks(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *t = future(f, "t");
  assert_int_equal(dt_queue_len(&f->sim->queue), 2);
  assert_int_equal(dt_treaty_set_status(f->sim, t, DT_TS_TERMINATED, "abandoned"), 0);
  assert_int_equal(dt_queue_len(&f->sim->queue), 0);
  assert_string_equal(f->log.ev[0].text, "t: terminated - abandoned");
  f->sim->stop = at("2040-01-01");
  assert_int_equal(dt_sim_run(f->sim, DT_NEVER), 0);
  assert_int_equal(t->status, DT_TS_TERMINATED);
  assert_int_equal(f->log.n, 1);
  fx_free(f);
}

static void a_treaty_suspended_at_its_end_date_still_expires(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *t = new_start(f, 0, 1550);
  assert_int_equal(dt_treaty_set_status(f->sim, t, DT_TS_SUSPENDED, NULL), 0);
  f->sim->stop = at("2027-01-01");
  assert_int_equal(dt_sim_run(f->sim, DT_NEVER), 0);
  assert_int_equal(t->status, DT_TS_EXPIRED);
  assert_int_equal(evlog_get(&f->log, "treaty.expired")->time, at("2026-02-05"));
  fx_free(f);
}

static void an_extension_moves_the_expiry_and_its_event(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *t = new_start(f, 1, 1550);
  assert_int_equal(dt_treaty_extend(f->sim, t, 12, 0), 0);
  assert_int_equal(t->expires_at, at("2027-02-05"));
  assert_int_equal(t->extensions, 1);
  assert_int_equal(t->status, DT_TS_EXTENDED);
  const evlog_ev_t *e = evlog_get(&f->log, "treaty.extended");
  assert_string_equal(e->text, "New START: extended - now expires 2027-02-05");
  assert_int_equal(dt_queue_len(&f->sim->queue), 1);
  f->sim->stop = at("2030-01-01");
  assert_int_equal(dt_sim_run(f->sim, at("2026-12-31")), 0);
  assert_int_equal(t->status, DT_TS_EXTENDED);   /* the old date passes quietly */
  assert_int_equal(dt_sim_run(f->sim, DT_NEVER), 0);
  assert_int_equal(t->status, DT_TS_EXPIRED);
  assert_int_equal(evlog_get(&f->log, "treaty.expired")->time, at("2027-02-05"));
  assert_int_equal(evlog_count(&f->log, "treaty.expired"), 1);
  fx_free(f);
}

static void an_extension_adds_months_then_seconds(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *t = new_start(f, -1, 1550);
  assert_int_equal(dt_treaty_extend(f->sim, t, 0, 10 * DT_DAY), 0);
  assert_int_equal(t->expires_at, at("2026-02-15"));
  assert_int_equal(dt_treaty_extend(f->sim, t, 1, DT_DAY), 0);
  assert_int_equal(t->expires_at, at("2026-03-16"));
  fx_free(f);
}

static void extensions_stop_at_max_extensions(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *once = new_start(f, 1, 1550);
  assert_int_equal(dt_treaty_extend(f->sim, once, 60, 0), 0);
  assert_int_equal(once->expires_at, at("2031-02-05"));
  evlog_clear(&f->log);
  assert_int_equal(dt_treaty_extend(f->sim, once, 60, 0), DT_ESTATE);
  assert_int_equal(once->expires_at, at("2031-02-05"));
  assert_int_equal(once->extensions, 1);
  assert_int_equal(f->log.n, 0);
  assert_int_equal(dt_queue_len(&f->sim->queue), 1);

  dt_treaty_t *never = NULL;
  assert_int_equal(dt_treaty_add(f->sim, "never", NULL, usru, 2, NULL, 0, DT_NEVER,
                                 at("2020-01-01"), at("2030-01-01"), 0, &never), 0);
  assert_int_equal(dt_treaty_extend(f->sim, never, 12, 0), DT_ESTATE);
  assert_int_equal(never->expires_at, at("2030-01-01"));

  dt_treaty_t *any = NULL;
  assert_int_equal(dt_treaty_add(f->sim, "any", NULL, usru, 2, NULL, 0, DT_NEVER,
                                 at("2020-01-01"), at("2030-01-01"), -1, &any), 0);
  for (int i = 0; i < 5; i++) assert_int_equal(dt_treaty_extend(f->sim, any, 12, 0), 0);
  assert_int_equal(any->expires_at, at("2035-01-01"));
  assert_int_equal(any->extensions, 5);
  fx_free(f);
}

static void a_signed_treaty_is_extended_without_changing_status(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *t = future(f, "t");
  assert_int_equal(dt_treaty_extend(f->sim, t, 12, 0), 0);
  assert_int_equal(t->status, DT_TS_SIGNED);
  assert_int_equal(t->expires_at, at("2036-09-22"));
  assert_int_equal(evlog_count(&f->log, "treaty.extended"), 1);
  fx_free(f);
}

static void extensions_are_refused_when_they_cannot_apply(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *t = new_start(f, -1, 1550);
  assert_int_equal(dt_treaty_extend(f->sim, t, 0, 0), DT_EINVAL);
  assert_int_equal(dt_treaty_extend(f->sim, t, -1, 0), DT_EINVAL);
  assert_int_equal(dt_treaty_extend(f->sim, t, 0, -1), DT_EINVAL);
  assert_int_equal(dt_treaty_extend(f->sim, t, 12 * 9000, 0), DT_ERANGE);
  assert_int_equal(t->expires_at, at("2026-02-05"));
  assert_int_equal(t->extensions, 0);
  dt_treaty_t *open = NULL;   /* no end date: nothing to extend */
  assert_int_equal(dt_treaty_add(f->sim, "open", NULL, usru, 2, NULL, 0, DT_NEVER,
                                 at("2020-01-01"), DT_NEVER, -1, &open), 0);
  assert_int_equal(dt_treaty_extend(f->sim, open, 12, 0), DT_ESTATE);
  int n = 100;
  int refused[] = { DT_TS_EXPIRED, DT_TS_SUSPENDED, DT_TS_TERMINATED };
  for (int i = 0; i < 3; i++) {
    dt_treaty_t *u = in_status(f, refused[i], n++);
    dt_time_t exp = u->expires_at;
    assert_int_equal(dt_treaty_extend(f->sim, u, 12, 0), DT_ESTATE);
    assert_int_equal(u->expires_at, exp);
  }
  assert_int_equal(evlog_count(&f->log, "treaty.extended"), 0);
  fx_free(f);
}

static void observance_changes_are_announced_and_withdrawal_is_final(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *t = new_start(f, 1, 1550);
  assert_int_equal(dt_treaty_set_observance(f->sim, t, 1, DT_OB_SUSPENDED, "inspections"), 0);
  assert_int_equal(t->observance[1], DT_OB_SUSPENDED);
  const evlog_ev_t *e = evlog_get(&f->log, "treaty.observance");
  assert_string_equal(e->text, "New START: RUS suspended - inspections");
  assert_int_equal(e->actor, 1);
  assert_string_equal(evlog_field(e, "observance"), "suspended");
  assert_int_equal(dt_treaty_set_observance(f->sim, t, 1, DT_OB_SUSPENDED, NULL), 0);
  assert_int_equal(evlog_count(&f->log, "treaty.observance"), 1);   /* no change, no event */
  assert_int_equal(dt_treaty_set_observance(f->sim, t, 2, DT_OB_SUSPENDED, NULL), DT_ENOENT);
  assert_int_equal(dt_treaty_set_observance(f->sim, t, 0, DT_OB__COUNT, NULL), DT_EINVAL);
  assert_int_equal(dt_treaty_set_observance(f->sim, t, 0, -1, NULL), DT_EINVAL);
  assert_int_equal(dt_treaty_set_observance(f->sim, t, 0, DT_OB_WITHDRAWN, NULL), 0);
  assert_int_equal(dt_treaty_set_observance(f->sim, t, 0, DT_OB_COMPLYING, NULL), DT_ESTATE);
  assert_int_equal(t->observance[0], DT_OB_WITHDRAWN);
  /* Withdrawal survives the treaty's end. */
  assert_int_equal(dt_treaty_set_status(f->sim, t, DT_TS_EXPIRED, NULL), 0);
  assert_int_equal(t->observance[0], DT_OB_WITHDRAWN);
  assert_int_equal(t->observance[1], DT_OB_NONE);
  fx_free(f);
}

static void a_pledge_keeps_the_limits_binding_after_expiry(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *t = new_start(f, 0, 1550);
  assert_int_equal(dt_treaty_pledge(f->sim, t, 1, at("2027-02-05")), 0);
  const evlog_ev_t *e = evlog_get(&f->log, "treaty.pledge");
  assert_string_equal(e->text, "RUS pledges to keep the New START limits until 2027-02-05");
  assert_string_equal(evlog_field(e, "until"), "2027-02-05");
  assert_int_equal(t->observance[1], DT_OB_COMPLYING);   /* still in force */
  assert_int_equal(t->pledge_until[1], at("2027-02-05"));
  assert_int_equal(dt_treaty_binds(f->sim, t, 0), 1);
  assert_int_equal(dt_treaty_binds(f->sim, t, 1), 1);
  f->sim->stop = at("2030-01-01");
  assert_int_equal(dt_sim_run(f->sim, at("2026-02-05")), 0);
  assert_int_equal(t->status, DT_TS_EXPIRED);
  assert_int_equal(t->observance[0], DT_OB_NONE);
  assert_int_equal(t->observance[1], DT_OB_UNILATERAL);
  assert_int_equal(dt_treaty_binds(f->sim, t, 0), 0);
  assert_int_equal(dt_treaty_binds(f->sim, t, 1), 1);
  assert_int_equal(dt_sim_run(f->sim, at("2027-02-04")), 0);
  assert_int_equal(dt_treaty_binds(f->sim, t, 1), 1);
  assert_int_equal(dt_sim_run(f->sim, at("2027-02-05")), 0);
  assert_int_equal(dt_treaty_binds(f->sim, t, 1), 0);    /* the pledge has run out */
  fx_free(f);
}

static void a_pledge_after_expiry_makes_the_party_observe_unilaterally(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *t = new_start(f, 0, 1550);
  assert_int_equal(dt_treaty_set_status(f->sim, t, DT_TS_EXPIRED, NULL), 0);
  assert_int_equal(dt_treaty_binds(f->sim, t, 0), 0);
  evlog_clear(&f->log);
  assert_int_equal(dt_treaty_pledge(f->sim, t, 0, at("2026-09-22")), 0);
  assert_int_equal(t->observance[0], DT_OB_UNILATERAL);
  assert_int_equal(t->observance[1], DT_OB_NONE);
  assert_int_equal(dt_treaty_binds(f->sim, t, 0), 1);
  assert_int_equal(f->log.n, 2);
  assert_string_equal(f->log.ev[0].kind, "treaty.pledge");
  assert_string_equal(f->log.ev[1].kind, "treaty.observance");
  assert_string_equal(f->log.ev[1].text,
                      "New START: USA observing unilaterally - under its pledge");
  /* A suspended observance overrides a pledge. */
  assert_int_equal(dt_treaty_set_observance(f->sim, t, 0, DT_OB_SUSPENDED, NULL), 0);
  assert_int_equal(dt_treaty_binds(f->sim, t, 0), 0);
  fx_free(f);
}

static void a_bad_pledge_is_refused(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *t = new_start(f, 0, 1550);
  assert_int_equal(dt_treaty_pledge(f->sim, t, 2, at("2027-01-01")), DT_ENOENT);
  assert_int_equal(dt_treaty_pledge(f->sim, t, 0, f->sim->now), DT_EINVAL);
  assert_int_equal(dt_treaty_pledge(f->sim, t, 0, at("2020-01-01")), DT_EINVAL);
  assert_true(t->pledge_until[0] == DT_NEVER);
  assert_int_equal(f->log.n, 0);
  fx_free(f);
}

static void binding_follows_status_and_observance(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *t = new_start(f, 1, 1550);
  assert_int_equal(dt_treaty_binds(f->sim, t, 0), 1);
  assert_int_equal(dt_treaty_binds(f->sim, t, 2), 0);        /* not a party */
  dt_treaty_t *s = future(f, "s");
  assert_int_equal(dt_treaty_binds(f->sim, s, 0), 0);        /* signed only */
  assert_int_equal(dt_treaty_extend(f->sim, t, 12, 0), 0);
  assert_int_equal(dt_treaty_binds(f->sim, t, 0), 1);        /* extended */
  assert_int_equal(dt_treaty_set_status(f->sim, t, DT_TS_SUSPENDED, NULL), 0);
  assert_int_equal(dt_treaty_binds(f->sim, t, 0), 0);
  assert_int_equal(dt_treaty_set_status(f->sim, t, DT_TS_EXTENDED, NULL), 0);
  assert_int_equal(dt_treaty_set_observance(f->sim, t, 1, DT_OB_SUSPENDED, NULL), 0);
  assert_int_equal(dt_treaty_binds(f->sim, t, 0), 1);
  assert_int_equal(dt_treaty_binds(f->sim, t, 1), 0);
  fx_free(f);
}

static void compliance_is_computed_from_the_arsenals(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *t = new_start(f, 1, 400);
  assert_int_equal(dt_treaty_complies(f->sim, t, 0), 1);      /* 400 of 400 */
  assert_int_equal(dt_treaty_complies(f->sim, t, 1), 1);      /* 300 */
  assert_int_equal(dt_arsenal_apply(f->sim, f->us_icbm, DT_OP_DEPLOY, 1), 0);
  assert_int_equal(dt_treaty_complies(f->sim, t, 0), 0);      /* 401 */
  assert_int_equal(dt_arsenal_apply(f->sim, f->us_icbm, DT_OP_UNDEPLOY, 1), 0);
  assert_int_equal(dt_treaty_complies(f->sim, t, 0), 1);
  assert_int_equal(dt_treaty_complies(f->sim, t, 2), DT_ENOENT);
  /* With two limits, exceeding either breaks compliance. */
  dt_metric_term_t wt = { UINT64_MAX, DT_Q_WARHEADS, 1, 0, 0, 0, 0 };
  int wh = dt_metric_add(f->sim, "warheads", NULL, &wt, 1, 0);
  dt_limit_t lim[2] = { { f->deployed, 700, 0 }, { wh, 500, 0 } };
  dt_treaty_t *u = NULL;
  assert_int_equal(dt_treaty_add(f->sim, "u", NULL, usru, 2, lim, 2, DT_NEVER,
                                 at("2020-01-01"), DT_NEVER, -1, &u), 0);
  assert_int_equal(dt_treaty_complies(f->sim, u, 0), 1);      /* 400, 400 */
  assert_int_equal(dt_treaty_complies(f->sim, u, 1), 0);      /* 300, 600 */
  assert_int_equal(dt_arsenal_apply(f->sim, f->ru_icbm, DT_OP_DOWNLOAD, 100), 0);
  assert_int_equal(dt_treaty_complies(f->sim, u, 1), 1);
  /* No limits: always complies. */
  dt_treaty_t *v = future(f, "v");
  assert_int_equal(dt_treaty_complies(f->sim, v, 0), 1);
  fx_free(f);
}

static void compliance_reports_a_failing_metric(void **state) {
  (void)state;
  fx_t *f = fx_new();
  int m = dt_metric_add(f->sim, "scripted", NULL, NULL, 0, 3);   /* no metric callback */
  dt_limit_t lim = { m, 10, 0 };
  dt_treaty_t *t = NULL;
  assert_int_equal(dt_treaty_add(f->sim, "t", NULL, usru, 2, &lim, 1, DT_NEVER,
                                 at("2020-01-01"), DT_NEVER, -1, &t), 0);
  assert_int_equal(dt_treaty_complies(f->sim, t, 0), DT_EINVAL);
  fx_free(f);
}

static void status_and_observance_names_parse_back(void **state) {
  (void)state;
  for (int i = 0; i < DT_TS__COUNT; i++)
    assert_int_equal(dt_treaty_status_parse(dt_treaty_status_name(i)), i);
  for (int i = 0; i < DT_OB__COUNT; i++)
    assert_int_equal(dt_observance_parse(dt_observance_name(i)), i);
  assert_string_equal(dt_treaty_status_name(DT_TS_IN_FORCE), "in_force");
  assert_string_equal(dt_observance_name(DT_OB_UNILATERAL), "observing_unilaterally");
  assert_string_equal(dt_treaty_status_name(99), "?");
  assert_string_equal(dt_observance_name(-1), "?");
  assert_int_equal(dt_treaty_status_parse("ratified"), DT_EINVAL);
  assert_int_equal(dt_observance_parse("ignoring"), DT_EINVAL);
}


/* USA 400 and RUS 300 deployed ICBMs; a limit of 350 in force from 2020. */
static dt_treaty_t *in_force(fx_t *f, const char *id, double max, uint64_t only,
                             const int *parties, int n) {
  dt_limit_t lim = { f->deployed, max, only };
  dt_treaty_t *t = NULL;
  assert_int_equal(dt_treaty_add(f->sim, id, NULL, parties, n, &lim, 1, DT_NEVER,
                                 at("2020-01-01"), DT_NEVER, -1, &t), 0);
  return t;
}

static void crossing_a_limit_while_bound_emits_breach_and_restoration(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *t = in_force(f, "t", 350, 0, usru, 2);
  /* USA is over from the start: the breach shows at once. */
  assert_int_equal(evlog_count(&f->log, "treaty.breach"), 1);
  const evlog_ev_t *e = evlog_get(&f->log, "treaty.breach");
  assert_int_equal(e->actor, 0);
  assert_string_equal(evlog_field(e, "metric"), "deployed");
  assert_string_equal(evlog_field(e, "value"), "400");
  assert_int_equal(dt_arsenal_change_now(f->sim, f->ru_icbm, DT_OP_DEPLOY, 20), 0);   /* 320 */
  assert_int_equal(evlog_count(&f->log, "treaty.breach"), 1);
  assert_int_equal(dt_arsenal_change_now(f->sim, f->us_icbm, DT_OP_UNDEPLOY, 50), 0);
  assert_int_equal(evlog_count(&f->log, "treaty.compliance_restored"), 1);
  /* A gradual change crossing the limit is noticed on the day it does. */
  dt_change_t *c = NULL;
  assert_int_equal(dt_arsenal_schedule(f->sim, f->us_icbm, DT_OP_DEPLOY, 10, 1.0, &c), 0);
  assert_int_equal(dt_sim_run(f->sim, at("2025-09-22") + DT_DAY), 0);
  assert_int_equal(evlog_count(&f->log, "treaty.breach"), 2);
  assert_int_equal(evlog_nth(&f->log, "treaty.breach", 1)->time, at("2025-09-23"));
  /* A party that stops being bound leaves its breach without an event; bound
   * again while over, it is in breach again. */
  assert_int_equal(dt_treaty_set_observance(f->sim, t, 0, DT_OB_SUSPENDED, NULL), 0);
  assert_int_equal(evlog_count(&f->log, "treaty.compliance_restored"), 1);
  assert_int_equal(dt_treaty_set_observance(f->sim, t, 0, DT_OB_COMPLYING, NULL), 0);
  assert_int_equal(evlog_count(&f->log, "treaty.breach"), 3);
  fx_free(f);
}

static void a_limit_may_bind_some_parties_only(void **state) {
  (void)state;
  fx_t *f = fx_new();
  /* 350 binds RUS only (position 1): USA's 400 is no breach. */
  dt_treaty_t *t = in_force(f, "t", 350, 1u << 1, usru, 2);
  assert_int_equal(dt_treaty_complies(f->sim, t, 0), 1);
  assert_int_equal(dt_treaty_complies(f->sim, t, 1), 1);
  assert_int_equal(dt_treaty_limit_applies(t, 0, 0), 0);
  assert_int_equal(dt_treaty_limit_applies(t, 0, 1), 1);
  assert_int_equal(evlog_count(&f->log, "treaty.breach"), 0);
  assert_int_equal(dt_arsenal_change_now(f->sim, f->ru_icbm, DT_OP_DEPLOY, 20), 0);
  assert_int_equal(evlog_count(&f->log, "treaty.breach"), 0);
  assert_int_equal(dt_arsenal_change_now(f->sim, f->ru_icbm, DT_OP_BUILD, 100), 0);
  assert_int_equal(dt_arsenal_change_now(f->sim, f->ru_icbm, DT_OP_DEPLOY, 40), 0);
  assert_int_equal(evlog_count(&f->log, "treaty.breach"), 1);
  assert_int_equal(evlog_get(&f->log, "treaty.breach")->actor, 1);
  /* A mask naming a position past the party list is refused. */
  dt_limit_t bad = { f->deployed, 1, 1u << 2 };
  assert_int_equal(dt_treaty_add(f->sim, "bad", NULL, usru, 2, &bad, 1, DT_NEVER,
                                 at("2020-01-01"), DT_NEVER, -1, NULL), DT_EINVAL);
  fx_free(f);
}

static void notice_of_withdrawal_takes_effect_after_the_notice_period(void **state) {
  (void)state;
  fx_t *f = fx_new();
  int three[3] = { 0, 1, 2 };
  dt_treaty_t *bi = in_force(f, "inf", 1000, 0, usru, 2);
  dt_treaty_t *tri = in_force(f, "tri", 1000, 0, three, 3);
  assert_int_equal(dt_treaty_give_notice(f->sim, bi, 0, "no clause"), DT_EINVAL);
  assert_int_equal(dt_treaty_set_notice(bi, 6, 0), 0);
  assert_int_equal(dt_treaty_set_notice(tri, 0, 90 * DT_DAY), 0);
  assert_int_equal(dt_treaty_set_notice(tri, 0, 0), DT_EINVAL);
  assert_int_equal(dt_treaty_give_notice(f->sim, bi, 2, NULL), DT_ENOENT);
  f->sim->now = at("2019-02-02");
  assert_int_equal(dt_treaty_give_notice(f->sim, bi, 0, "Russian violation"), 0);
  assert_int_equal(dt_treaty_give_notice(f->sim, bi, 0, NULL), DT_ESTATE);   /* twice */
  const evlog_ev_t *e = evlog_get(&f->log, "treaty.notice");
  assert_string_equal(evlog_field(e, "effective"), "2019-08-02");
  assert_int_equal(dt_treaty_give_notice(f->sim, tri, 2, NULL), 0);
  assert_int_equal(dt_sim_run(f->sim, at("2019-08-01")), 0);
  /* Three parties: CHN leaves after 90 days, the other two remain. */
  assert_int_equal(tri->observance[2], DT_OB_WITHDRAWN);
  assert_int_equal(tri->status, DT_TS_IN_FORCE);
  assert_int_equal(bi->status, DT_TS_IN_FORCE);
  assert_int_equal(dt_sim_run(f->sim, at("2019-08-02")), 0);
  assert_int_equal(bi->status, DT_TS_TERMINATED);
  assert_int_equal(bi->observance[0], DT_OB_WITHDRAWN);
  assert_int_equal(evlog_count(&f->log, "treaty.withdrawn"), 2);
  assert_int_equal(evlog_count(&f->log, "treaty.terminated"), 1);
  assert_int_equal(evlog_get(&f->log, "treaty.terminated")->time, at("2019-08-02"));
  /* A rescinded notice never takes effect. */
  assert_int_equal(dt_treaty_give_notice(f->sim, tri, 0, NULL), 0);
  assert_int_equal(dt_treaty_rescind_notice(f->sim, tri, 0, "talks"), 0);
  assert_int_equal(dt_treaty_rescind_notice(f->sim, tri, 0, NULL), DT_ESTATE);
  assert_int_equal(dt_sim_run(f->sim, at("2021-01-01")), 0);
  assert_int_equal(tri->observance[0], DT_OB_COMPLYING);
  assert_int_equal(evlog_count(&f->log, "treaty.notice_rescinded"), 1);
  fx_free(f);
}

static void inspections_find_a_false_declaration_with_the_given_chance(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_treaty_t *t = in_force(f, "t", 1000, 0, usru, 2);
  int m = f->deployed;
  double said = 250;   /* RUS has 300 deployed */
  assert_true(isnan(dt_treaty_declared(t, 1, m)));
  assert_int_equal(dt_treaty_declare(f->sim, t, 1, &m, &said, 1, DT_NEVER), 0);
  assert_true(dt_treaty_declared(t, 1, m) == 250);
  assert_int_equal(evlog_count(&f->log, "treaty.declaration"), 1);
  /* A declaration from before the run is record: stored, no event; one from
   * the future is refused. */
  assert_int_equal(dt_treaty_declare(f->sim, t, 1, &m, &said, 1, at("2022-03-01")), 0);
  assert_int_equal(evlog_count(&f->log, "treaty.declaration"), 1);
  assert_int_equal(t->declared_at[1], at("2022-03-01"));
  assert_int_equal(dt_treaty_declare(f->sim, t, 1, &m, &said, 1, at("2030-01-01")), DT_EINVAL);
  int found = -1;
  assert_int_equal(dt_treaty_inspect(f->sim, t, 0, 1, 0.0, &found), 0);
  assert_int_equal(found, 0);
  assert_int_equal(dt_treaty_inspect(f->sim, t, 0, 1, 1.0, &found), 0);
  assert_int_equal(found, 1);
  const evlog_ev_t *e = evlog_nth(&f->log, "treaty.inspection", 1);
  assert_string_equal(evlog_field(e, "finding"), "discrepancy");
  assert_string_equal(evlog_field(e, "observed"), "300");
  /* An honest declaration is never found false. */
  double truth = 400;
  assert_int_equal(dt_treaty_declare(f->sim, t, 0, &m, &truth, 1, DT_NEVER), 0);
  assert_int_equal(dt_treaty_inspect(f->sim, t, 1, 0, 1.0, &found), 0);
  assert_int_equal(found, 0);
  /* Over many inspections the detection rate approaches p. */
  int hits = 0;
  for (int i = 0; i < 2000; i++) {
    assert_int_equal(dt_treaty_inspect(f->sim, t, -1, 1, 0.3, &found), 0);
    hits += found;
  }
  assert_true(hits > 500 && hits < 700);
  double neg = -1;
  assert_int_equal(dt_treaty_declare(f->sim, t, 1, &m, &neg, 1, DT_NEVER), DT_ERANGE);
  assert_int_equal(dt_treaty_inspect(f->sim, t, 0, 1, 1.5, &found), DT_EINVAL);
  fx_free(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_status_at_creation_follows_the_dates),
    cmocka_unit_test(a_bad_treaty_is_refused),
    cmocka_unit_test(entry_into_force_and_expiry_fire_on_their_dates),
    cmocka_unit_test(every_status_change_is_allowed_or_forbidden_as_the_rules_say),
    cmocka_unit_test(an_unknown_status_is_einval),
    cmocka_unit_test(ending_a_treaty_cancels_its_clocks),
    cmocka_unit_test(a_treaty_suspended_at_its_end_date_still_expires),
    cmocka_unit_test(an_extension_moves_the_expiry_and_its_event),
    cmocka_unit_test(an_extension_adds_months_then_seconds),
    cmocka_unit_test(extensions_stop_at_max_extensions),
    cmocka_unit_test(a_signed_treaty_is_extended_without_changing_status),
    cmocka_unit_test(extensions_are_refused_when_they_cannot_apply),
    cmocka_unit_test(observance_changes_are_announced_and_withdrawal_is_final),
    cmocka_unit_test(a_pledge_keeps_the_limits_binding_after_expiry),
    cmocka_unit_test(a_pledge_after_expiry_makes_the_party_observe_unilaterally),
    cmocka_unit_test(a_bad_pledge_is_refused),
    cmocka_unit_test(binding_follows_status_and_observance),
    cmocka_unit_test(compliance_is_computed_from_the_arsenals),
    cmocka_unit_test(compliance_reports_a_failing_metric),
    cmocka_unit_test(status_and_observance_names_parse_back),
    cmocka_unit_test(crossing_a_limit_while_bound_emits_breach_and_restoration),
    cmocka_unit_test(a_limit_may_bind_some_parties_only),
    cmocka_unit_test(notice_of_withdrawal_takes_effect_after_the_notice_period),
    cmocka_unit_test(inspections_find_a_false_declaration_with_the_given_chance),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
