/* test_proposal.c: unit tests of engine/proposal.c: making proposals and their
 * refusals, every transition out of pending and its event, every transition out
 * of a closed proposal refused, the deadline closing a proposal through the
 * queue, and the terms the core applies on acceptance: a formal extension of
 * the treaty, or pledges to keep its limits past its end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "world.h"
#include "evlog.h"

enum { USA, RUS, CHN };

typedef struct fx {
  dt_sim_t *sim;
  dt_treaty_t *ns;     /* New START: in force, expires 2026-02-05, one extension */
  evlog_t log;
} fx_t;

static fx_t *fx_new(void) {
  fx_t *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->sim = dt_sim_new();
  f->sim->now = f->sim->start = at("2025-09-22");
  f->sim->stop = at("2030-01-01");
  assert_int_equal(dt_state_add(f->sim, "USA", NULL, NULL), 0);
  assert_int_equal(dt_state_add(f->sim, "RUS", NULL, NULL), 0);
  assert_int_equal(dt_state_add(f->sim, "CHN", NULL, NULL), 0);
  int parties[2] = { USA, RUS };
  assert_int_equal(dt_treaty_add(f->sim, "new_start", "New START", parties, 2, NULL, 0,
                                 at("2010-04-08"), at("2011-02-05"), at("2026-02-05"), 1,
                                 &f->ns), 0);
  evlog_attach(&f->log, f->sim);
  return f;
}

static void fx_free(fx_t *f) { dt_sim_free(f->sim); free(f); }

static dt_proposal_t *make(fx_t *f, int from, int to, dt_time_t deadline) {
  dt_proposal_t *p = NULL;
  assert_int_equal(dt_proposal_make(f->sim, from, to, "extension", DT_VIS_PUBLIC, deadline, &p), 0);
  assert_non_null(p);
  return p;
}

/* An extension proposal of New START by `months`. */
static dt_proposal_t *extension(fx_t *f, int months, int formal, int reciprocal) {
  dt_proposal_t *p = make(f, RUS, USA, DT_NEVER);
  p->treaty = f->ns->index;
  p->ext_months = months;
  p->formal = formal;
  p->reciprocal = reciprocal;
  return p;
}

static void a_proposal_starts_pending_and_is_announced_by_its_maker(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_proposal_t *p = make(f, RUS, USA, at("2025-10-22"));
  assert_int_equal(p->index, 0);
  assert_int_equal(p->status, DT_PS_PENDING);
  assert_int_equal(p->from, RUS);
  assert_int_equal(p->to, USA);
  assert_string_equal(p->kind, "extension");
  assert_int_equal(p->made_at, at("2025-09-22"));
  assert_int_equal(p->deadline, at("2025-10-22"));
  assert_true(p->closed_at == DT_NEVER);
  assert_int_equal(p->treaty, -1);
  assert_int_equal(p->countered_by, -1);
  assert_int_equal(f->log.n, 0);            /* announced once the terms are on */
  assert_int_equal(dt__proposal_announce(f->sim, p), 0);
  const evlog_ev_t *e = evlog_get(&f->log, "proposal.made");
  assert_string_equal(e->text, "RUS proposes extension to USA, answer by 2025-10-22");
  assert_int_equal(e->actor, RUS);
  assert_int_equal(e->target, USA);
  assert_string_equal(evlog_field(e, "proposal"), "P1");
  assert_string_equal(evlog_field(e, "kind"), "extension");
  assert_string_equal(evlog_field(e, "status"), "pending");
  dt_proposal_t *q = make(f, USA, CHN, DT_NEVER);
  assert_int_equal(q->index, 1);
  assert_int_equal(dt__proposal_announce(f->sim, q), 0);
  assert_string_equal(evlog_nth(&f->log, "proposal.made", 1)->text,
                      "USA proposes extension to CHN");
  fx_free(f);
}

static void a_bad_proposal_is_refused(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_sim_t *sim = f->sim;
  dt_proposal_t *p = NULL;
  assert_int_equal(dt_proposal_make(sim, 3, USA, "x", DT_VIS_PUBLIC, DT_NEVER, &p), DT_ENOENT);
  assert_int_equal(dt_proposal_make(sim, USA, -1, "x", DT_VIS_PUBLIC, DT_NEVER, &p), DT_ENOENT);
  assert_int_equal(dt_proposal_make(sim, USA, USA, "x", DT_VIS_PUBLIC, DT_NEVER, &p), DT_EINVAL);
  assert_int_equal(dt_proposal_make(sim, USA, RUS, "", DT_VIS_PUBLIC, DT_NEVER, &p), DT_EINVAL);
  assert_int_equal(dt_proposal_make(sim, USA, RUS, NULL, DT_VIS_PUBLIC, DT_NEVER, &p), DT_EINVAL);
  assert_int_equal(dt_proposal_make(sim, USA, RUS, "x", 3, DT_NEVER, &p), DT_EINVAL);
  assert_int_equal(dt_proposal_make(sim, USA, RUS, "x", -1, DT_NEVER, &p), DT_EINVAL);
  assert_int_equal(dt_proposal_make(sim, USA, RUS, "x", DT_VIS_PUBLIC, sim->now, &p), DT_EINVAL);
  assert_int_equal(dt_proposal_make(sim, USA, RUS, "x", DT_VIS_PUBLIC, sim->now - 1, &p),
                   DT_EINVAL);
  assert_null(p);
  assert_int_equal(sim->nproposals, 0);
  assert_int_equal(dt_queue_len(&sim->queue), 1);   /* only the treaty's expiry */
  fx_free(f);
}

static void every_transition_out_of_pending_closes_the_proposal(void **state) {
  (void)state;
  static const struct { int st; const char *kind, *text; int actor, target;
  } cases[] = {
    { DT_PS_ACCEPTED, "proposal.accepted", "USA accepts RUS's extension proposal (ok)", USA, RUS },
    { DT_PS_REJECTED, "proposal.rejected", "USA rejects RUS's extension proposal (ok)", USA, RUS },
    { DT_PS_COUNTERED, "proposal.countered", "USA counters RUS's extension proposal (ok)", USA,
      RUS },
    { DT_PS_WITHDRAWN, "proposal.withdrawn", "RUS withdraws its extension proposal to USA (ok)",
      RUS, USA },
    { DT_PS_EXPIRED, "proposal.expired", "RUS's extension proposal to USA lapses unanswered (ok)",
      RUS, USA },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    fx_t *f = fx_new();
    dt_proposal_t *p = make(f, RUS, USA, at("2025-12-01"));
    f->sim->now = at("2025-10-01");
    assert_int_equal(dt_proposal_close(f->sim, p, cases[i].st, "ok"), 0);
    assert_int_equal(p->status, cases[i].st);
    assert_int_equal(p->closed_at, at("2025-10-01"));
    assert_int_equal(f->log.n, 1);
    const evlog_ev_t *e = &f->log.ev[0];
    assert_string_equal(e->kind, cases[i].kind);
    assert_string_equal(e->text, cases[i].text);
    assert_int_equal(e->actor, cases[i].actor);
    assert_int_equal(e->target, cases[i].target);
    assert_string_equal(evlog_field(e, "status"), dt_proposal_status_name(cases[i].st));
    /* The deadline is cancelled: only the treaty's expiry is left. */
    assert_int_equal(dt_queue_len(&f->sim->queue), 1);
    fx_free(f);
  }
}

static void closing_without_a_reason_adds_nothing_to_the_text(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_proposal_t *p = make(f, RUS, USA, DT_NEVER);
  assert_int_equal(dt_proposal_close(f->sim, p, DT_PS_REJECTED, ""), 0);
  dt_proposal_t *q = make(f, RUS, USA, DT_NEVER);
  assert_int_equal(dt_proposal_close(f->sim, q, DT_PS_REJECTED, NULL), 0);
  assert_string_equal(f->log.ev[0].text, "USA rejects RUS's extension proposal");
  assert_string_equal(f->log.ev[1].text, "USA rejects RUS's extension proposal");
  fx_free(f);
}

static void any_transition_from_a_closed_proposal_is_estate(void **state) {
  (void)state;
  for (int from = DT_PS_ACCEPTED; from < DT_PS__COUNT; from++)
    for (int to = DT_PS_PENDING; to < DT_PS__COUNT; to++) {
      fx_t *f = fx_new();
      dt_proposal_t *p = make(f, RUS, USA, DT_NEVER);
      assert_int_equal(dt_proposal_close(f->sim, p, from, NULL), 0);
      dt_time_t closed = p->closed_at;
      f->sim->now += DT_DAY;
      evlog_clear(&f->log);
      int rc = dt_proposal_close(f->sim, p, to, NULL);
      if (rc != DT_ESTATE)
        fail_msg("%s -> %s gave %d", dt_proposal_status_name(from), dt_proposal_status_name(to),
                 rc);
      assert_int_equal(p->status, from);
      assert_int_equal(p->closed_at, closed);
      assert_int_equal(f->log.n, 0);
      fx_free(f);
    }
}

static void closing_to_pending_or_an_unknown_status_is_einval(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_proposal_t *p = make(f, RUS, USA, DT_NEVER);
  assert_int_equal(dt_proposal_close(f->sim, p, DT_PS_PENDING, NULL), DT_EINVAL);
  assert_int_equal(dt_proposal_close(f->sim, p, DT_PS__COUNT, NULL), DT_EINVAL);
  assert_int_equal(dt_proposal_close(f->sim, p, -1, NULL), DT_EINVAL);
  assert_int_equal(p->status, DT_PS_PENDING);
  assert_int_equal(f->log.n, 0);
  fx_free(f);
}

static void an_unanswered_proposal_expires_at_its_deadline(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_proposal_t *p = make(f, RUS, USA, at("2025-10-22"));
  assert_int_equal(dt_sim_run(f->sim, at("2025-10-21")), 0);
  assert_int_equal(p->status, DT_PS_PENDING);
  assert_int_equal(dt_sim_run(f->sim, at("2025-10-22")), 0);
  assert_int_equal(p->status, DT_PS_EXPIRED);
  assert_int_equal(p->closed_at, at("2025-10-22"));
  const evlog_ev_t *e = evlog_get(&f->log, "proposal.expired");
  assert_int_equal(e->time, at("2025-10-22"));
  assert_string_equal(e->text,
                      "RUS's extension proposal to USA lapses unanswered (deadline passed)");
  fx_free(f);
}

static void an_answered_proposal_ignores_its_deadline(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_proposal_t *p = make(f, RUS, USA, at("2025-10-22"));
  dt_qid_t ev = p->deadline_event;
  assert_int_equal(dt_proposal_close(f->sim, p, DT_PS_REJECTED, NULL), 0);
  assert_int_equal(dt_sim_cancel(f->sim, ev), DT_ENOENT);   /* already cancelled */
  assert_int_equal(dt_sim_run(f->sim, at("2025-12-31")), 0);
  assert_int_equal(p->status, DT_PS_REJECTED);
  assert_int_equal(evlog_count(&f->log, "proposal.expired"), 0);
  fx_free(f);
}

static void private_proposals_are_shown_to_their_two_parties_only(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_proposal_t *p = NULL;
  assert_int_equal(dt_proposal_make(f->sim, RUS, USA, "talks", DT_VIS_PRIVATE, DT_NEVER, &p), 0);
  assert_int_equal(dt_proposal_close(f->sim, p, DT_PS_ACCEPTED, NULL), 0);
  const evlog_ev_t *e = &f->log.ev[0];
  assert_int_equal(e->vis, DT_VIS_PRIVATE);
  assert_int_equal(e->nparties, 2);
  assert_int_equal(e->parties[0], RUS);
  assert_int_equal(e->parties[1], USA);
  fx_free(f);
}

static void accepting_a_proposal_without_terms_changes_no_treaty(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_proposal_t *p = make(f, RUS, USA, DT_NEVER);
  p->ext_months = 12; p->formal = 1;            /* but no treaty named */
  assert_int_equal(dt_proposal_close(f->sim, p, DT_PS_ACCEPTED, NULL), 0);
  assert_int_equal(f->ns->expires_at, at("2026-02-05"));
  assert_int_equal(f->log.n, 1);
  fx_free(f);
}

static void accepting_a_formal_extension_extends_the_treaty(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_proposal_t *p = extension(f, 12, 1, 1);
  assert_int_equal(dt_proposal_close(f->sim, p, DT_PS_ACCEPTED, NULL), 0);
  assert_int_equal(f->ns->expires_at, at("2027-02-05"));
  assert_int_equal(f->ns->status, DT_TS_EXTENDED);
  assert_int_equal(f->ns->extensions, 1);
  assert_true(f->ns->pledge_until[0] == DT_NEVER);
  assert_int_equal(f->log.n, 2);
  assert_string_equal(f->log.ev[0].kind, "proposal.accepted");
  assert_string_equal(f->log.ev[1].kind, "treaty.extended");
  /* The treaty now ends on the new date. */
  assert_int_equal(dt_sim_run(f->sim, DT_NEVER), 0);
  assert_int_equal(evlog_get(&f->log, "treaty.expired")->time, at("2027-02-05"));
  fx_free(f);
}

static void accepting_a_formal_extension_the_treaty_cannot_take_reports_it(void **state) {
  (void)state;
  fx_t *f = fx_new();
  assert_int_equal(dt_treaty_extend(f->sim, f->ns, 60, 0), 0);   /* its one extension */
  dt_proposal_t *p = extension(f, 12, 1, 1);
  evlog_clear(&f->log);
  /* The answer stands; the error says the terms could not be applied. */
  assert_int_equal(dt_proposal_close(f->sim, p, DT_PS_ACCEPTED, NULL), DT_ESTATE);
  assert_int_equal(p->status, DT_PS_ACCEPTED);
  assert_int_equal(f->ns->expires_at, at("2031-02-05"));
  assert_int_equal(evlog_count(&f->log, "treaty.extended"), 0);
  fx_free(f);
}

static void accepting_a_reciprocal_informal_extension_records_pledges_for_both(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_proposal_t *p = extension(f, 12, 0, 1);
  assert_int_equal(dt_proposal_close(f->sim, p, DT_PS_ACCEPTED, NULL), 0);
  /* The treaty itself is untouched... */
  assert_int_equal(f->ns->expires_at, at("2026-02-05"));
  assert_int_equal(f->ns->status, DT_TS_IN_FORCE);
  assert_int_equal(f->ns->extensions, 0);
  /* ...and both parties pledge until its end plus the duration. */
  assert_int_equal(f->ns->pledge_until[0], at("2027-02-05"));
  assert_int_equal(f->ns->pledge_until[1], at("2027-02-05"));
  assert_int_equal(evlog_count(&f->log, "treaty.pledge"), 2);
  assert_int_equal(evlog_nth(&f->log, "treaty.pledge", 0)->actor, RUS);
  assert_int_equal(evlog_nth(&f->log, "treaty.pledge", 1)->actor, USA);
  /* After the end date both keep the limits unilaterally until the pledge ends. */
  assert_int_equal(dt_sim_run(f->sim, at("2026-06-01")), 0);
  assert_int_equal(f->ns->status, DT_TS_EXPIRED);
  assert_int_equal(f->ns->observance[0], DT_OB_UNILATERAL);
  assert_int_equal(f->ns->observance[1], DT_OB_UNILATERAL);
  assert_int_equal(dt_treaty_binds(f->sim, f->ns, USA), 1);
  assert_int_equal(dt_treaty_binds(f->sim, f->ns, RUS), 1);
  assert_int_equal(dt_sim_run(f->sim, at("2027-02-05")), 0);
  assert_int_equal(dt_treaty_binds(f->sim, f->ns, USA), 0);
  assert_int_equal(dt_treaty_binds(f->sim, f->ns, RUS), 0);
  fx_free(f);
}

static void accepting_a_one_sided_informal_extension_binds_only_the_proposer(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_proposal_t *p = extension(f, 12, 0, 0);
  assert_int_equal(dt_proposal_close(f->sim, p, DT_PS_ACCEPTED, NULL), 0);
  assert_int_equal(f->ns->pledge_until[RUS], at("2027-02-05"));
  assert_true(f->ns->pledge_until[USA] == DT_NEVER);
  assert_int_equal(evlog_count(&f->log, "treaty.pledge"), 1);
  fx_free(f);
}

static void an_informal_extension_after_expiry_runs_from_now(void **state) {
  (void)state;
  fx_t *f = fx_new();
  assert_int_equal(dt_sim_run(f->sim, at("2026-03-01")), 0);
  assert_int_equal(f->ns->status, DT_TS_EXPIRED);
  dt_proposal_t *p = extension(f, 12, 0, 1);
  p->ext_seconds = DT_DAY;
  assert_int_equal(dt_proposal_close(f->sim, p, DT_PS_ACCEPTED, NULL), 0);
  assert_int_equal(f->ns->pledge_until[0], at("2027-03-02"));
  assert_int_equal(f->ns->pledge_until[1], at("2027-03-02"));
  assert_int_equal(f->ns->observance[0], DT_OB_UNILATERAL);
  assert_int_equal(f->ns->observance[1], DT_OB_UNILATERAL);
  fx_free(f);
}

static void an_informal_extension_skips_a_proposer_outside_the_treaty(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_proposal_t *p = make(f, CHN, USA, DT_NEVER);
  p->treaty = f->ns->index; p->ext_months = 6; p->reciprocal = 1;
  assert_int_equal(dt_proposal_close(f->sim, p, DT_PS_ACCEPTED, NULL), 0);
  assert_int_equal(f->ns->pledge_until[USA], at("2026-08-05"));
  assert_true(f->ns->pledge_until[RUS] == DT_NEVER);
  fx_free(f);
}

static void rejected_extensions_apply_no_terms(void **state) {
  (void)state;
  static const int sts[] = { DT_PS_REJECTED, DT_PS_COUNTERED, DT_PS_WITHDRAWN, DT_PS_EXPIRED };
  for (int i = 0; i < 4; i++) {
    fx_t *f = fx_new();
    dt_proposal_t *p = extension(f, 12, i % 2, 1);
    assert_int_equal(dt_proposal_close(f->sim, p, sts[i], NULL), 0);
    assert_int_equal(f->ns->expires_at, at("2026-02-05"));
    assert_true(f->ns->pledge_until[0] == DT_NEVER);
    assert_int_equal(f->log.n, 1);
    fx_free(f);
  }
}

static void status_names_cover_every_status(void **state) {
  (void)state;
  static const char *const want[] = { "pending", "accepted", "rejected", "countered",
                                      "withdrawn", "expired" };
  for (int i = 0; i < DT_PS__COUNT; i++)
    assert_string_equal(dt_proposal_status_name(i), want[i]);
  assert_string_equal(dt_proposal_status_name(DT_PS__COUNT), "?");
  assert_string_equal(dt_proposal_status_name(-1), "?");
}


static void a_multilateral_proposal_needs_all_its_addressees_by_default(void **state) {
  (void)state;
  fx_t *f = fx_new();
  assert_int_equal(dt_state_add(f->sim, "GBR", NULL, NULL), 0);
  int to[2] = { RUS, CHN };
  dt_proposal_t *p = NULL;
  assert_int_equal(dt_proposal_make_multi(f->sim, USA, to, 2, 2, "arms_control", DT_VIS_PUBLIC,
                                          DT_NEVER, &p), 0);
  assert_int_equal(p->to, RUS);
  assert_int_equal(dt_proposal_addressee(p, CHN), 1);
  assert_int_equal(dt_proposal_addressee(p, USA), -1);
  assert_int_equal(dt_proposal_answer(f->sim, p, 3, DT_PS_ACCEPTED, NULL), DT_ENOENT);
  assert_int_equal(dt_proposal_answer(f->sim, p, RUS, DT_PS_COUNTERED, NULL), DT_EINVAL);
  assert_int_equal(dt_proposal_answer(f->sim, p, RUS, DT_PS_ACCEPTED, NULL), 0);
  assert_int_equal(p->status, DT_PS_PENDING);
  assert_int_equal(dt_proposal_answer(f->sim, p, RUS, DT_PS_REJECTED, NULL), DT_ESTATE);
  const evlog_ev_t *e = evlog_get(&f->log, "proposal.answered");
  assert_string_equal(evlog_field(e, "answer"), "accepted");
  assert_int_equal(e->nparties, 3);
  assert_int_equal(dt_proposal_answer(f->sim, p, CHN, DT_PS_ACCEPTED, "in Beijing"), 0);
  assert_int_equal(p->status, DT_PS_ACCEPTED);
  e = evlog_get(&f->log, "proposal.accepted");
  assert_non_null(e);
  assert_int_equal(e->actor, USA);
  assert_non_null(strstr(e->text, "2 of 2 accepted"));
  /* One refusal sinks an all-must-accept proposal at once. */
  dt_proposal_t *q = NULL;
  assert_int_equal(dt_proposal_make_multi(f->sim, USA, to, 2, 2, "arms_control", DT_VIS_PUBLIC,
                                          DT_NEVER, &q), 0);
  assert_int_equal(dt_proposal_answer(f->sim, q, CHN, DT_PS_REJECTED, NULL), 0);
  assert_int_equal(q->status, DT_PS_REJECTED);
  assert_int_equal(dt_proposal_answer(f->sim, q, RUS, DT_PS_ACCEPTED, NULL), DT_ESTATE);
  fx_free(f);
}

static void a_quorum_closes_a_proposal_when_reached_or_out_of_reach(void **state) {
  (void)state;
  fx_t *f = fx_new();
  assert_int_equal(dt_state_add(f->sim, "GBR", NULL, NULL), 0);
  assert_int_equal(dt_state_add(f->sim, "FRA", NULL, NULL), 0);
  int to[4] = { RUS, CHN, 3, 4 };
  dt_proposal_t *p = NULL;
  assert_int_equal(dt_proposal_make_multi(f->sim, USA, to, 4, 3, "moratorium", DT_VIS_PUBLIC,
                                          at("2026-01-01"), &p), 0);
  assert_int_equal(dt_proposal_answer(f->sim, p, RUS, DT_PS_REJECTED, NULL), 0);
  assert_int_equal(dt_proposal_answer(f->sim, p, 3, DT_PS_ACCEPTED, NULL), 0);
  assert_int_equal(p->status, DT_PS_PENDING);          /* 1 yes, 1 no: 3 still possible */
  assert_int_equal(dt_proposal_answer(f->sim, p, CHN, DT_PS_REJECTED, NULL), 0);
  assert_int_equal(p->status, DT_PS_REJECTED);         /* 2 no: 3 of 4 out of reach */
  dt_proposal_t *q = NULL;
  assert_int_equal(dt_proposal_make_multi(f->sim, USA, to, 4, 2, "moratorium", DT_VIS_PUBLIC,
                                          at("2026-01-01"), &q), 0);
  assert_int_equal(dt_proposal_answer(f->sim, q, 4, DT_PS_ACCEPTED, NULL), 0);
  assert_int_equal(dt_proposal_answer(f->sim, q, RUS, DT_PS_ACCEPTED, NULL), 0);
  assert_int_equal(q->status, DT_PS_ACCEPTED);
  /* Unanswered past the deadline: expired. */
  dt_proposal_t *r = NULL;
  assert_int_equal(dt_proposal_make_multi(f->sim, USA, to, 4, 4, "moratorium", DT_VIS_PUBLIC,
                                          at("2026-01-01"), &r), 0);
  assert_int_equal(dt_sim_run(f->sim, at("2026-01-02")), 0);
  assert_int_equal(r->status, DT_PS_EXPIRED);
  /* Refused: no addressee, a repeated one, the proposer itself, a bad quorum. */
  int dup[2] = { RUS, RUS }, self[1] = { USA };
  assert_int_equal(dt_proposal_make_multi(f->sim, USA, to, 0, 1, "x", DT_VIS_PUBLIC, DT_NEVER,
                                          NULL),
                   DT_EINVAL);
  assert_int_equal(dt_proposal_make_multi(f->sim, USA, dup, 2, 1, "x", DT_VIS_PUBLIC, DT_NEVER,
                                          NULL),
                   DT_EINVAL);
  assert_int_equal(dt_proposal_make_multi(f->sim, USA, self, 1, 1, "x", DT_VIS_PUBLIC, DT_NEVER,
                                          NULL),
                   DT_EINVAL);
  assert_int_equal(dt_proposal_make_multi(f->sim, USA, to, 4, 5, "x", DT_VIS_PUBLIC, DT_NEVER,
                                          NULL),
                   DT_EINVAL);
  fx_free(f);
}

static void accepted_multilateral_pledges_bind_those_who_accepted(void **state) {
  (void)state;
  fx_t *f = fx_new();
  int three[3] = { USA, RUS, CHN };
  dt_treaty_t *t = NULL;
  assert_int_equal(dt_treaty_add(f->sim, "tri", NULL, three, 3, NULL, 0, DT_NEVER,
                                 at("2020-01-01"), at("2025-12-31"), -1, &t), 0);
  int to[2] = { RUS, CHN };
  dt_proposal_t *p = NULL;
  assert_int_equal(dt_proposal_make_multi(f->sim, USA, to, 2, 1, "extension", DT_VIS_PUBLIC,
                                          DT_NEVER, &p), 0);
  p->treaty = t->index; p->ext_months = 12; p->reciprocal = 1;
  assert_int_equal(dt_proposal_answer(f->sim, p, CHN, DT_PS_ACCEPTED, NULL), 0);
  assert_int_equal(p->status, DT_PS_ACCEPTED);
  assert_true(t->pledge_until[0] == at("2026-12-31"));    /* the proposer */
  assert_true(t->pledge_until[1] == DT_NEVER);            /* RUS did not answer */
  assert_true(t->pledge_until[2] == at("2026-12-31"));
  fx_free(f);
}

static void groups_hold_distinct_states_and_share_ids_with_none(void **state) {
  (void)state;
  fx_t *f = fx_new();
  int p5[3] = { USA, RUS, CHN };
  dt_group_t *g = NULL;
  assert_int_equal(dt_group_add(f->sim, "P5", "Permanent five", p5, 3, &g), 0);
  assert_ptr_equal(dt_group_find(f->sim, "P5"), g);
  assert_true(dt_group_has(g, CHN) && !dt_group_has(g, 7));
  assert_int_equal(dt_group_add(f->sim, "P5", NULL, p5, 3, NULL), DT_EEXIST);
  assert_int_equal(dt_group_add(f->sim, "USA", NULL, p5, 3, NULL), DT_EEXIST);
  assert_int_equal(dt_state_add(f->sim, "P5", NULL, NULL), DT_EEXIST);
  int dup[2] = { USA, USA }, bad[1] = { 9 };
  assert_int_equal(dt_group_add(f->sim, "X", NULL, dup, 2, NULL), DT_EINVAL);
  assert_int_equal(dt_group_add(f->sim, "Y", NULL, bad, 1, NULL), DT_ENOENT);
  assert_int_equal(dt_group_add(f->sim, "Z", NULL, p5, 0, NULL), DT_EINVAL);
  fx_free(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_proposal_starts_pending_and_is_announced_by_its_maker),
    cmocka_unit_test(a_bad_proposal_is_refused),
    cmocka_unit_test(every_transition_out_of_pending_closes_the_proposal),
    cmocka_unit_test(closing_without_a_reason_adds_nothing_to_the_text),
    cmocka_unit_test(any_transition_from_a_closed_proposal_is_estate),
    cmocka_unit_test(closing_to_pending_or_an_unknown_status_is_einval),
    cmocka_unit_test(an_unanswered_proposal_expires_at_its_deadline),
    cmocka_unit_test(an_answered_proposal_ignores_its_deadline),
    cmocka_unit_test(private_proposals_are_shown_to_their_two_parties_only),
    cmocka_unit_test(accepting_a_proposal_without_terms_changes_no_treaty),
    cmocka_unit_test(accepting_a_formal_extension_extends_the_treaty),
    cmocka_unit_test(accepting_a_formal_extension_the_treaty_cannot_take_reports_it),
    cmocka_unit_test(accepting_a_reciprocal_informal_extension_records_pledges_for_both),
    cmocka_unit_test(accepting_a_one_sided_informal_extension_binds_only_the_proposer),
    cmocka_unit_test(an_informal_extension_after_expiry_runs_from_now),
    cmocka_unit_test(an_informal_extension_skips_a_proposer_outside_the_treaty),
    cmocka_unit_test(rejected_extensions_apply_no_terms),
    cmocka_unit_test(status_names_cover_every_status),
    cmocka_unit_test(a_multilateral_proposal_needs_all_its_addressees_by_default),
    cmocka_unit_test(a_quorum_closes_a_proposal_when_reached_or_out_of_reach),
    cmocka_unit_test(accepted_multilateral_pledges_bind_those_who_accepted),
    cmocka_unit_test(groups_hold_distinct_states_and_share_ids_with_none),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
