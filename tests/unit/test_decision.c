/* test_decision.c: unit tests of engine/decision.c: declaring kinds of decision
 * and their refusals, policies (fixed, weighted, foreign, none), a human seat
 * leaving the decision open until an answer or the deadline's default, answering
 * twice, and the decided callback that tells the runtime. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "world.h"
#include "evlog.h"

enum { USA, RUS };
enum { ACCEPT, REJECT, COUNTER };
static const char *const answer_opts[] = { "accept", "reject", "counter" };

typedef struct fx {
  dt_sim_t *sim;
  int answer;          /* dectype "answer_extension", default reject, no timeout */
  int timed;           /* dectype "timed", default counter, 30-day timeout */
  evlog_t log;
  int decided;         /* calls of the decided callback */
  dt_decision_t *last;
} fx_t;

static void on_decided(dt_sim_t *sim, dt_decision_t *d, void *ud) {
  (void)sim;
  fx_t *f = ud;
  f->decided++;
  f->last = d;
}

static fx_t *fx_new(void) {
  fx_t *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->sim = dt_sim_new();
  f->sim->now = f->sim->start = at("2025-09-22");
  f->sim->stop = at("2030-01-01");
  assert_int_equal(dt_state_add(f->sim, "USA", NULL, NULL), 0);
  assert_int_equal(dt_state_add(f->sim, "RUS", NULL, NULL), 0);
  f->answer = dt_dectype_add(f->sim, "answer_extension", "How to answer", answer_opts, 3,
                             REJECT, 0);
  f->timed = dt_dectype_add(f->sim, "timed", NULL, answer_opts, 3, COUNTER, 30 * DT_DAY);
  assert_int_equal(f->answer, 0);
  assert_int_equal(f->timed, 1);
  f->sim->decided_cb = on_decided; f->sim->decided_ud = f;
  evlog_attach(&f->log, f->sim);
  return f;
}

static void fx_free(fx_t *f) { dt_sim_free(f->sim); free(f); }

static dt_decision_t *ask(fx_t *f, int st, int dectype, dt_time_t deadline) {
  dt_decision_t *d = NULL;
  assert_int_equal(dt_decision_ask(f->sim, st, dectype, deadline, 0, &d), 0);
  assert_non_null(d);
  return d;
}

/* ---- kinds of decision ---- */

static void a_kind_of_decision_keeps_copies_of_its_options(void **state) {
  (void)state;
  fx_t *f = fx_new();
  char o1[8] = "yes", o2[8] = "no";
  const char *opts[] = { o1, o2 };
  int k = dt_dectype_add(f->sim, "join", "Join the talks?", opts, 2, 1, DT_DAY);
  assert_int_equal(k, 2);
  o1[0] = 'X';
  const dt_dectype_t *t = &f->sim->dectypes[k];
  assert_string_equal(t->name, "join");
  assert_string_equal(t->doc, "Join the talks?");
  assert_string_equal(t->options[0], "yes");
  assert_int_equal(t->noptions, 2);
  assert_int_equal(t->dflt, 1);
  assert_int_equal(t->timeout, DT_DAY);
  assert_int_equal(dt_dectype_find(f->sim, "join"), k);
  assert_int_equal(dt_dectype_find(f->sim, "leave"), DT_ENOENT);
  assert_int_equal(dt_dectype_option(f->sim, k, "no"), 1);
  assert_int_equal(dt_dectype_option(f->sim, k, "Xes"), DT_ENOENT);
  assert_int_equal(dt_dectype_option(f->sim, 9, "no"), DT_ENOENT);
  assert_int_equal(dt_dectype_option(f->sim, -1, "no"), DT_ENOENT);
  fx_free(f);
}

static void a_bad_kind_of_decision_is_refused(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_sim_t *sim = f->sim;
  const char *dup[] = { "a", "b", "a" };
  const char *empty[] = { "a", "" };
  const char *null[] = { "a", NULL };
  assert_int_equal(dt_dectype_add(sim, "", NULL, answer_opts, 3, 0, 0), DT_EINVAL);
  assert_int_equal(dt_dectype_add(sim, NULL, NULL, answer_opts, 3, 0, 0), DT_EINVAL);
  assert_int_equal(dt_dectype_add(sim, "d", NULL, answer_opts, 0, 0, 0), DT_EINVAL);
  assert_int_equal(dt_dectype_add(sim, "d", NULL, answer_opts, 3, 3, 0), DT_EINVAL);
  assert_int_equal(dt_dectype_add(sim, "d", NULL, answer_opts, 3, -1, 0), DT_EINVAL);
  assert_int_equal(dt_dectype_add(sim, "d", NULL, answer_opts, 3, 0, -1), DT_EINVAL);
  assert_int_equal(dt_dectype_add(sim, "d", NULL, dup, 3, 0, 0), DT_EINVAL);
  assert_int_equal(dt_dectype_add(sim, "d", NULL, empty, 2, 0, 0), DT_EINVAL);
  assert_int_equal(dt_dectype_add(sim, "d", NULL, null, 2, 0, 0), DT_EINVAL);
  assert_int_equal(dt_dectype_add(sim, "timed", NULL, answer_opts, 3, 0, 0), DT_EEXIST);
  assert_int_equal(sim->ndectypes, 2);
  assert_int_equal(dt_dectype_find(sim, "d"), DT_ENOENT);
  fx_free(f);
}

/* ---- policies ---- */

static void a_bad_policy_is_refused(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_sim_t *sim = f->sim;
  double neg[3] = { 1, -1, 1 }, zero[3] = { 0, 0, 0 }, nan3[3] = { 1, NAN, 1 };
  assert_int_equal(dt_policy_set(sim, 2, f->answer, DT_POL_FIXED, 0, NULL, 0), DT_ENOENT);
  assert_int_equal(dt_policy_set(sim, -1, f->answer, DT_POL_FIXED, 0, NULL, 0), DT_ENOENT);
  assert_int_equal(dt_policy_set(sim, USA, 2, DT_POL_FIXED, 0, NULL, 0), DT_ENOENT);
  assert_int_equal(dt_policy_set(sim, USA, f->answer, DT_POL_FIXED, 3, NULL, 0), DT_EINVAL);
  assert_int_equal(dt_policy_set(sim, USA, f->answer, DT_POL_FIXED, -1, NULL, 0), DT_EINVAL);
  assert_int_equal(dt_policy_set(sim, USA, f->answer, DT_POL_FOREIGN, 0, NULL, 0), DT_EINVAL);
  assert_int_equal(dt_policy_set(sim, USA, f->answer, DT_POL_WEIGHTED, 0, neg, 0), DT_EINVAL);
  assert_int_equal(dt_policy_set(sim, USA, f->answer, DT_POL_WEIGHTED, 0, zero, 0), DT_EINVAL);
  assert_int_equal(dt_policy_set(sim, USA, f->answer, DT_POL_WEIGHTED, 0, nan3, 0), DT_EINVAL);
  assert_int_equal(sim->npolicies, 0);
  assert_null(dt_policy_find(sim, USA, f->answer));
  fx_free(f);
}

static void setting_a_policy_again_replaces_it(void **state) {
  (void)state;
  fx_t *f = fx_new();
  double w[3] = { 1, 1, 0 };
  assert_int_equal(dt_policy_set(f->sim, USA, f->answer, DT_POL_WEIGHTED, 0, w, 0), 0);
  assert_int_equal(dt_policy_set(f->sim, USA, f->answer, DT_POL_FIXED, COUNTER, NULL, 0), 0);
  assert_int_equal(dt_policy_set(f->sim, RUS, f->answer, DT_POL_FIXED, ACCEPT, NULL, 0), 0);
  assert_int_equal(f->sim->npolicies, 2);
  const dt_policy_t *p = dt_policy_find(f->sim, USA, f->answer);
  assert_non_null(p);
  assert_int_equal(p->kind, DT_POL_FIXED);
  assert_int_equal(p->fixed, COUNTER);
  assert_null(p->weights);
  assert_null(dt_policy_find(f->sim, USA, f->timed));
  fx_free(f);
}

static void without_a_policy_the_default_applies_at_once(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_decision_t *d = ask(f, USA, f->answer, DT_NEVER);
  assert_int_equal(d->status, DT_DS_DEFAULTED);
  assert_int_equal(d->answer, REJECT);
  assert_string_equal(dt_decision_option(f->sim, d), "reject");
  assert_int_equal(f->decided, 1);
  assert_ptr_equal(f->last, d);
  assert_int_equal(f->log.n, 2);
  assert_string_equal(f->log.ev[0].kind, "decision.asked");
  assert_string_equal(f->log.ev[0].text, "USA must decide answer_extension");
  assert_string_equal(f->log.ev[1].kind, "decision.made");
  assert_string_equal(f->log.ev[1].text,
                      "USA decides answer_extension: reject (default: no policy)");
  fx_free(f);
}

static void a_fixed_policy_answers_at_once_in_private(void **state) {
  (void)state;
  fx_t *f = fx_new();
  assert_int_equal(dt_policy_set(f->sim, RUS, f->answer, DT_POL_FIXED, COUNTER, NULL, 0), 0);
  dt_decision_t *d = ask(f, RUS, f->answer, DT_NEVER);
  assert_int_equal(d->status, DT_DS_ANSWERED);
  assert_int_equal(d->answer, COUNTER);
  assert_int_equal(d->state, RUS);
  assert_int_equal(d->asked_at, at("2025-09-22"));
  assert_int_equal(f->decided, 1);
  const evlog_ev_t *e = evlog_get(&f->log, "decision.made");
  assert_string_equal(e->text, "RUS decides answer_extension: counter");
  assert_int_equal(e->vis, DT_VIS_PRIVATE);
  assert_int_equal(e->actor, RUS);
  assert_int_equal(e->nparties, 1);
  assert_string_equal(evlog_field(e, "decision"), "D1");
  assert_string_equal(evlog_field(e, "name"), "answer_extension");
  assert_string_equal(evlog_field(e, "answer"), "counter");
  assert_string_equal(evlog_field(evlog_get(&f->log, "decision.asked"), "answer"), "");
  /* The other state has no policy: its own default. */
  dt_decision_t *u = ask(f, USA, f->answer, DT_NEVER);
  assert_int_equal(u->index, 1);
  assert_int_equal(u->status, DT_DS_DEFAULTED);
  fx_free(f);
}

static void a_weighted_policy_follows_its_weights(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_sim_clear_sinks(f->sim);
  f->sim->decided_cb = NULL;
  dt_sim_reset(f->sim, 20250922);
  assert_int_equal(dt_state_add(f->sim, "USA", NULL, NULL), 0);
  int k = dt_dectype_add(f->sim, "answer", NULL, answer_opts, 3, REJECT, 0);
  double w[3] = { 1, 3, 0 };
  assert_int_equal(dt_policy_set(f->sim, USA, k, DT_POL_WEIGHTED, 0, w, 0), 0);
  w[0] = 100;   /* the policy keeps its own copy */
  enum { N = 20000 };
  int count[3] = { 0, 0, 0 };
  for (int i = 0; i < N; i++) {
    dt_decision_t *d = NULL;
    assert_int_equal(dt_decision_ask(f->sim, USA, k, DT_NEVER, 0, &d), 0);
    assert_int_equal(d->status, DT_DS_ANSWERED);
    count[d->answer]++;
  }
  /* Expect 1/4 and 3/4; the standard error is 0.003, the margin 0.02. */
  assert_true(fabs(count[0] / (double)N - 0.25) < 0.02);
  assert_true(fabs(count[1] / (double)N - 0.75) < 0.02);
  assert_int_equal(count[2], 0);            /* weight 0 is never chosen */
  fx_free(f);
}

static void a_weighted_policy_repeats_under_the_same_seed(void **state) {
  (void)state;
  int seq[2][64];
  for (int run = 0; run < 2; run++) {
    dt_sim_t *sim = dt_sim_new();
    dt_sim_reset(sim, 99);
    assert_int_equal(dt_state_add(sim, "USA", NULL, NULL), 0);
    int k = dt_dectype_add(sim, "answer", NULL, answer_opts, 3, REJECT, 0);
    double w[3] = { 1, 1, 1 };
    assert_int_equal(dt_policy_set(sim, USA, k, DT_POL_WEIGHTED, 0, w, 0), 0);
    for (int i = 0; i < 64; i++) {
      dt_decision_t *d = NULL;
      assert_int_equal(dt_decision_ask(sim, USA, k, DT_NEVER, 0, &d), 0);
      seq[run][i] = d->answer;
    }
    dt_sim_free(sim);
  }
  assert_memory_equal(seq[0], seq[1], sizeof seq[0]);
  int distinct = 0;
  for (int i = 1; i < 64; i++) distinct += seq[0][i] != seq[0][0];
  assert_true(distinct > 0);
}

static int policy_calls;
static int foreign_policy(dt_sim_t *sim, dt_decision_t *d, const dt_policy_t *p, void *ud) {
  (void)sim;
  policy_calls++;
  assert_int_equal(p->ref, 77);
  assert_int_equal(d->status, DT_DS_PENDING);
  assert_int_equal(d->ctx_ref, 5);
  return *(int *)ud;
}

static void a_foreign_policy_is_asked_through_the_runtime(void **state) {
  (void)state;
  fx_t *f = fx_new();
  assert_int_equal(dt_policy_set(f->sim, USA, f->answer, DT_POL_FOREIGN, 0, NULL, 77), 0);
  dt_decision_t *d = NULL;
  /* No runtime to ask: refused. */
  assert_int_equal(dt_decision_ask(f->sim, USA, f->answer, DT_NEVER, 5, &d), DT_EINVAL);
  int answer = ACCEPT;
  f->sim->policy_cb = foreign_policy; f->sim->policy_ud = &answer;
  policy_calls = 0;
  f->decided = 0;
  assert_int_equal(dt_decision_ask(f->sim, USA, f->answer, DT_NEVER, 5, &d), 0);
  assert_int_equal(policy_calls, 1);
  assert_int_equal(d->status, DT_DS_ANSWERED);
  assert_int_equal(d->answer, ACCEPT);
  assert_int_equal(f->decided, 1);
  /* A failing policy: its code comes back, the decision stays open. */
  answer = DT_ESCRIPT;
  assert_int_equal(dt_decision_ask(f->sim, USA, f->answer, DT_NEVER, 5, &d), DT_ESCRIPT);
  assert_int_equal(d->status, DT_DS_PENDING);
  assert_int_equal(f->decided, 1);
  fx_free(f);
}

static void asking_about_an_unknown_state_or_kind_is_enoent(void **state) {
  (void)state;
  fx_t *f = fx_new();
  dt_decision_t *d = NULL;
  assert_int_equal(dt_decision_ask(f->sim, 2, f->answer, DT_NEVER, 0, &d), DT_ENOENT);
  assert_int_equal(dt_decision_ask(f->sim, -1, f->answer, DT_NEVER, 0, &d), DT_ENOENT);
  assert_int_equal(dt_decision_ask(f->sim, USA, 2, DT_NEVER, 0, &d), DT_ENOENT);
  assert_null(d);
  assert_int_equal(f->sim->ndecisions, 0);
  assert_int_equal(f->log.n, 0);
  fx_free(f);
}

/* ---- human seats ---- */

static void a_human_seat_leaves_the_decision_open(void **state) {
  (void)state;
  fx_t *f = fx_new();
  f->sim->states[USA]->human = 1;
  assert_int_equal(dt_policy_set(f->sim, USA, f->answer, DT_POL_FIXED, ACCEPT, NULL, 0), 0);
  dt_decision_t *d = ask(f, USA, f->answer, DT_NEVER);
  assert_int_equal(d->status, DT_DS_PENDING);
  assert_null(dt_decision_option(f->sim, d));
  assert_int_equal(f->decided, 0);
  assert_int_equal(f->log.n, 1);
  assert_string_equal(f->log.ev[0].kind, "decision.asked");
  assert_int_equal(dt_queue_len(&f->sim->queue), 0);   /* no deadline, no clock */
  assert_int_equal(dt_decision_answer(f->sim, d, COUNTER, 0), 0);
  assert_int_equal(d->status, DT_DS_ANSWERED);
  assert_string_equal(dt_decision_option(f->sim, d), "counter");
  assert_int_equal(f->decided, 1);
  fx_free(f);
}

static void the_deadline_applies_the_default_to_an_unanswered_human(void **state) {
  (void)state;
  fx_t *f = fx_new();
  f->sim->states[RUS]->human = 1;
  dt_decision_t *d = ask(f, RUS, f->answer, at("2025-10-01"));
  assert_int_equal(d->deadline, at("2025-10-01"));
  assert_int_equal(dt_sim_run(f->sim, at("2025-09-30")), 0);
  assert_int_equal(d->status, DT_DS_PENDING);
  assert_int_equal(f->decided, 0);
  assert_int_equal(dt_sim_run(f->sim, at("2025-10-01")), 0);
  assert_int_equal(d->status, DT_DS_DEFAULTED);
  assert_int_equal(d->answer, REJECT);
  assert_int_equal(f->decided, 1);
  assert_ptr_equal(f->last, d);
  const evlog_ev_t *e = evlog_get(&f->log, "decision.made");
  assert_int_equal(e->time, at("2025-10-01"));
  assert_string_equal(e->text, "RUS decides answer_extension: reject (default at deadline)");
  fx_free(f);
}

static void a_kinds_timeout_sets_the_deadline_when_none_is_given(void **state) {
  (void)state;
  fx_t *f = fx_new();
  f->sim->states[USA]->human = 1;
  dt_decision_t *d = ask(f, USA, f->timed, DT_NEVER);
  assert_int_equal(d->deadline, at("2025-10-22"));
  dt_decision_t *e = ask(f, USA, f->timed, at("2025-09-25"));   /* an explicit one wins */
  assert_int_equal(e->deadline, at("2025-09-25"));
  assert_int_equal(dt_sim_run(f->sim, DT_NEVER), 0);
  assert_int_equal(d->status, DT_DS_DEFAULTED);
  assert_int_equal(d->answer, COUNTER);
  assert_int_equal(e->status, DT_DS_DEFAULTED);
  assert_int_equal(evlog_nth(&f->log, "decision.made", 0)->time, at("2025-09-25"));
  assert_int_equal(evlog_nth(&f->log, "decision.made", 1)->time, at("2025-10-22"));
  fx_free(f);
}

static void an_answer_before_the_deadline_cancels_it(void **state) {
  (void)state;
  fx_t *f = fx_new();
  f->sim->states[USA]->human = 1;
  dt_decision_t *d = ask(f, USA, f->answer, at("2025-10-01"));
  assert_int_equal(dt_queue_len(&f->sim->queue), 1);
  assert_int_equal(dt_decision_answer(f->sim, d, ACCEPT, 0), 0);
  assert_int_equal(dt_queue_len(&f->sim->queue), 0);
  assert_int_equal(dt_sim_run(f->sim, DT_NEVER), 0);
  assert_int_equal(d->status, DT_DS_ANSWERED);
  assert_int_equal(d->answer, ACCEPT);
  assert_int_equal(f->decided, 1);
  assert_int_equal(evlog_count(&f->log, "decision.made"), 1);
  fx_free(f);
}

static void answering_twice_is_an_error(void **state) {
  (void)state;
  fx_t *f = fx_new();
  f->sim->states[USA]->human = 1;
  dt_decision_t *d = ask(f, USA, f->answer, DT_NEVER);
  assert_int_equal(dt_decision_answer(f->sim, d, ACCEPT, 0), 0);
  evlog_clear(&f->log);
  assert_int_equal(dt_decision_answer(f->sim, d, REJECT, 0), DT_ESTATE);
  assert_int_equal(dt_decision_answer(f->sim, d, ACCEPT, 1), DT_ESTATE);
  assert_int_equal(d->answer, ACCEPT);
  assert_int_equal(d->status, DT_DS_ANSWERED);
  assert_int_equal(f->decided, 1);
  assert_int_equal(f->log.n, 0);
  /* Also after a policy or a default has answered. */
  dt_decision_t *e = ask(f, RUS, f->answer, DT_NEVER);
  assert_int_equal(dt_decision_answer(f->sim, e, ACCEPT, 0), DT_ESTATE);
  assert_int_equal(e->answer, REJECT);
  fx_free(f);
}

static void a_default_says_why_it_applied(void **state) {
  (void)state;
  fx_t *f = fx_new();
  f->sim->states[USA]->human = 1;
  dt_decision_t *d = ask(f, USA, f->answer, DT_NEVER);
  assert_int_equal(dt_decision_answer(f->sim, d, REJECT, DT_DH_RELEASED), 0);
  assert_int_equal(d->status, DT_DS_DEFAULTED);
  assert_string_equal(
      evlog_get(&f->log, "decision.made")->text,
      "USA decides answer_extension: reject (default: the seat went back to its policy)");
  fx_free(f);
}

static void an_answer_outside_the_options_is_refused(void **state) {
  (void)state;
  fx_t *f = fx_new();
  f->sim->states[USA]->human = 1;
  dt_decision_t *d = ask(f, USA, f->answer, at("2025-10-01"));
  assert_int_equal(dt_decision_answer(f->sim, d, 3, 0), DT_EINVAL);
  assert_int_equal(dt_decision_answer(f->sim, d, -1, 0), DT_EINVAL);
  assert_int_equal(dt_decision_answer(f->sim, d, ACCEPT, DT_DH_CANNOT_WAIT + 1), DT_EINVAL);
  assert_int_equal(d->status, DT_DS_PENDING);
  assert_int_equal(f->decided, 0);
  assert_int_equal(dt_queue_len(&f->sim->queue), 1);   /* the deadline still stands */
  fx_free(f);
}

static void a_cancelled_decision_has_no_option(void **state) {
  (void)state;
  fx_t *f = fx_new();
  f->sim->states[USA]->human = 1;
  dt_decision_t *d = ask(f, USA, f->answer, DT_NEVER);
  d->status = DT_DS_CANCELLED;
  assert_null(dt_decision_option(f->sim, d));
  assert_int_equal(dt_decision_answer(f->sim, d, ACCEPT, 0), DT_ESTATE);
  fx_free(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_kind_of_decision_keeps_copies_of_its_options),
    cmocka_unit_test(a_bad_kind_of_decision_is_refused),
    cmocka_unit_test(a_bad_policy_is_refused),
    cmocka_unit_test(setting_a_policy_again_replaces_it),
    cmocka_unit_test(without_a_policy_the_default_applies_at_once),
    cmocka_unit_test(a_fixed_policy_answers_at_once_in_private),
    cmocka_unit_test(a_weighted_policy_follows_its_weights),
    cmocka_unit_test(a_weighted_policy_repeats_under_the_same_seed),
    cmocka_unit_test(a_foreign_policy_is_asked_through_the_runtime),
    cmocka_unit_test(asking_about_an_unknown_state_or_kind_is_enoent),
    cmocka_unit_test(a_human_seat_leaves_the_decision_open),
    cmocka_unit_test(the_deadline_applies_the_default_to_an_unanswered_human),
    cmocka_unit_test(a_kinds_timeout_sets_the_deadline_when_none_is_given),
    cmocka_unit_test(an_answer_before_the_deadline_cancels_it),
    cmocka_unit_test(answering_twice_is_an_error),
    cmocka_unit_test(a_default_says_why_it_applied),
    cmocka_unit_test(an_answer_outside_the_options_is_refused),
    cmocka_unit_test(a_cancelled_decision_has_no_option),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
