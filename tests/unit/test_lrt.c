/* test_lrt.c: the Lua runtime seen from C: compile once and run many, refs back
 * to zero when every hook has finished, two runtimes side by side, the sandbox
 * and --unsafe, and errors reported with file:line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lrt.h"

static char *write_tmp(const char *text) {
  static int n;
  char *path = malloc(64);
  snprintf(path, 64, "/tmp/detente-test-lrt-%d-%d.lua", (int)getpid(), n++);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  return path;
}

static dt_lrt_t *load(const char *text, int unsafe, char **path) {
  dt_lrt_limits_t lim = { .instructions = 10000000, .memory = (size_t)64 << 20, .unsafe = unsafe };
  dt_lrt_t *rt = dt_lrt_new(&lim, "stdlib");
  assert_non_null(rt);
  *path = write_tmp(text);
  assert_int_equal(dt_lrt_load(rt, *path), 0);
  return rt;
}

static int run_once(dt_lrt_t *rt, uint64_t seed) {
  int rc = dt_lrt_setup(rt, seed, NULL, 0);
  if (rc == 0) rc = dt_sim_run(rt->sim, DT_NEVER);
  if (rc == 0) rc = dt_lrt_finish(rt);
  return rc;
}

static const char busy[] =
    "scenario { start = '2026-01-01', stop = '2026-12-31' }\n"
    "local a, b = state { id = 'A' }, state { id = 'B' }\n"
    "decision('answer', { options = { 'yes', 'no' } })\n"
    "policy(a, 'answer', { weights = { yes = 1, no = 1 } })\n"
    "local n = 0\n"
    "for i = 1, 20 do at(date('2026-01-01') + days(i), function() n = n + 1; a:decide('answer', { "
    "i = i }) end) end\n"
    "after(days(3), function() spawn(function() wait(days(2)); n = n + 1; local ev = "
    "wait_for('x.*', days(5)); n = n + (ev and 10 or 1) end) end)\n"
    "spawn(function() wait_for('x.*'); n = n + 100 end)\n"
    "at('2026-02-01', function() emit { kind = 'x.y', by = a } end)\n"
    "outcome('n', function() return n end)\n";

static void refs_are_back_to_zero_when_every_hook_has_finished(void **state) {
  (void)state;
  char *path;
  dt_lrt_t *rt = load(busy, 0, &path);
  assert_int_equal(run_once(rt, 1), 0);
  assert_int_equal(rt->live_refs, 0);
  assert_int_equal(rt->outcomes[0].v.type, DT_LRT_V_NUM);
  assert_true(rt->outcomes[0].v.num == 20 + 1 + 1 + 100);
  dt_lrt_end_run(rt);
  dt_lrt_free(rt);
  remove(path); free(path);
}

static void compiled_once_runs_many_times_with_the_same_results_per_seed(void **state) {
  (void)state;
  char *path;
  dt_lrt_t *rt = load("scenario { start = '2026-01-01', stop = '2026-02-01' }\n"
                      "leak = (leak or 0) + 1\n"            /* a global: per run, never shared */
                      "param('x', dist.uniform(0, 1), 'a draw')\n"
                      "outcome('x', function() return param.x + rng.uniform() end)\n"
                      "outcome('leak', function() return leak end)\n", 0, &path);
  double first[5];
  for (int pass = 0; pass < 2; pass++)
    for (uint64_t seed = 0; seed < 5; seed++) {
      assert_int_equal(run_once(rt, seed), 0);
      assert_true(rt->outcomes[1].v.num == 1);         /* no run leaks into the next */
      if (pass == 0) first[seed] = rt->outcomes[0].v.num;
      else assert_true(first[seed] == rt->outcomes[0].v.num);
      dt_lrt_end_run(rt);
    }
  assert_true(first[0] != first[1]);
  dt_lrt_free(rt);
  remove(path); free(path);
}

static void two_runtimes_side_by_side_do_not_share_anything(void **state) {
  (void)state;
  char *p1, *p2;
  dt_lrt_t *a = load(busy, 0, &p1), *b = load(busy, 0, &p2);
  assert_int_equal(dt_lrt_setup(a, 7, NULL, 0), 0);
  assert_int_equal(dt_lrt_setup(b, 7, NULL, 0), 0);
  /* Interleave their steps: each must end exactly as when run alone. */
  int ra = 1, rb = 1;
  while (ra > 0 || rb > 0) {
    if (ra > 0) ra = dt_sim_step(a->sim, DT_NEVER);
    if (rb > 0) rb = dt_sim_step(b->sim, DT_NEVER);
  }
  assert_int_equal(dt_lrt_finish(a), 0);
  assert_int_equal(dt_lrt_finish(b), 0);
  assert_true(a->outcomes[0].v.num == b->outcomes[0].v.num);
  assert_int_equal(a->sim->event_seq, b->sim->event_seq);
  dt_lrt_end_run(a); dt_lrt_end_run(b);
  dt_lrt_free(a); dt_lrt_free(b);
  remove(p1); remove(p2); free(p1); free(p2);
}

static void the_sandbox_hides_io_and_unsafe_lifts_it(void **state) {
  (void)state;
  const char *text = "scenario { start = '2026-01-01', stop = '2026-01-02' }\n"
                     "outcome('io', function() return io ~= nil and os.time ~= nil end)\n";
  for (int unsafe = 0; unsafe <= 1; unsafe++) {
    char *path;
    dt_lrt_t *rt = load(text, unsafe, &path);
    assert_int_equal(run_once(rt, 1), 0);
    assert_int_equal(rt->outcomes[0].v.type, DT_LRT_V_BOOL);
    assert_true(rt->outcomes[0].v.num == unsafe);
    dt_lrt_end_run(rt);
    dt_lrt_free(rt);
    remove(path); free(path);
  }
}

static void a_script_error_names_file_line_date_and_event(void **state) {
  (void)state;
  char *path;
  dt_lrt_t *rt = load("scenario { start = '2026-01-01', stop = '2026-12-31' }\n"
                      "on('treaty.*', function() end)\n"
                      "at('2026-03-04', function()\n"
                      "  local t = nil\n"
                      "  return t.x\n"
                      "end)\n", 0, &path);
  assert_int_equal(run_once(rt, 1), DT_ESCRIPT);
  assert_non_null(rt->error);
  char want[128];
  snprintf(want, sizeof want, "%s:5: attempt to index a nil value", path);
  assert_non_null(strstr(rt->error, want));
  assert_non_null(strstr(rt->error, "stack traceback:"));
  assert_non_null(strstr(rt->error, "at simulated date 2026-03-04"));
  dt_lrt_end_run(rt);
  /* The runtime is usable again after a failed run. */
  assert_int_equal(run_once(rt, 2), DT_ESCRIPT);
  dt_lrt_end_run(rt);
  dt_lrt_free(rt);
  remove(path); free(path);
}

static void a_syntax_error_is_reported_by_load_with_its_line(void **state) {
  (void)state;
  dt_lrt_limits_t lim = { .instructions = 0 };
  dt_lrt_t *rt = dt_lrt_new(&lim, "stdlib");
  char *path = write_tmp("scenario { start = '2026-01-01', stop = '2026-01-02' }\nlocal = 1\n");
  assert_int_equal(dt_lrt_load(rt, path), DT_EPARSE);
  assert_non_null(strstr(rt->error, ":2:"));
  assert_int_equal(dt_lrt_load(rt, "/nonexistent/x.lua"), DT_EIO);
  dt_lrt_free(rt);
  remove(path); free(path);
}

static const char human[] =
    "scenario { start = '2026-01-01', stop = '2026-06-30' }\n"
    "local usa = state { id = 'USA' }\n"
    "decision('answer', { options = { 'yes', 'no' }, default = 'no', timeout = days(10) })\n"
    "policy(usa, 'answer', 'yes')\n"
    "answers = {}\n"
    "at('2026-02-01', function() local a = usa:decide('answer', { topic = 'a' }); answers[#answers "
    "+ 1] = tostring(now()) .. ' ' .. a end)\n"
    "at('2026-03-01', function() local a = usa:decide('answer', { topic = 'b' }); answers[#answers "
    "+ 1] = tostring(now()) .. ' ' .. a end)\n"
    "outcome('answers', function() return table.concat(answers, ',') end)\n";

/* Runs to the first pending decision of a human seat; returns it or NULL. */
static dt_decision_t *run_to_pending(dt_lrt_t *rt) {
  while (dt_sim_step(rt->sim, DT_NEVER) > 0)
    for (int i = 0; i < rt->sim->ndecisions; i++)
      if (rt->sim->decisions[i]->status == DT_DS_PENDING) return rt->sim->decisions[i];
  return NULL;
}

static void a_human_seat_suspends_the_asking_code_until_answered_or_defaulted(void **state) {
  (void)state;
  char *path;
  dt_lrt_t *rt = load(human, 0, &path);
  assert_int_equal(dt_lrt_setup(rt, 1, NULL, 0), 0);
  dt_state_find(rt->sim, "USA")->human = 1;          /* as `detente serve --human USA` does */
  dt_decision_t *d = run_to_pending(rt);
  assert_non_null(d);
  char buf[32];
  dt_time_format(rt->sim->now, buf, sizeof buf);
  assert_string_equal(buf, "2026-02-01");
  /* The team answers four days later: the suspended hook resumes with it. */
  assert_int_equal(dt_sim_run(rt->sim, rt->sim->now + 4 * DT_DAY), 0);
  assert_int_equal(d->status, DT_DS_PENDING);
  assert_int_equal(dt_decision_answer(rt->sim, d, 0, 0), 0);
  assert_int_equal(d->status, DT_DS_ANSWERED);
  assert_int_equal(dt_decision_answer(rt->sim, d, 1, 0), DT_ESTATE);   /* answering twice */
  /* The second decision is never answered: its default applies at the deadline. */
  dt_decision_t *d2 = run_to_pending(rt);
  assert_non_null(d2);
  assert_int_equal(dt_sim_run(rt->sim, DT_NEVER), 0);
  assert_int_equal(d2->status, DT_DS_DEFAULTED);
  assert_int_equal(dt_lrt_finish(rt), 0);
  assert_string_equal(rt->outcomes[0].v.str, "2026-02-05 yes,2026-03-11 no");
  assert_int_equal(rt->live_refs, 0);
  dt_lrt_end_run(rt);
  dt_lrt_free(rt);
  remove(path); free(path);
}

/* What the memory limit leaves out is found (the main thread's stack, the
 * string table), and every run starts with a full pool: after a run that
 * nested hooks 20 deep (each in a coroutine of its own), the next run's
 * live heap at its start is what a fresh runtime's is. */
static const char nesting[] =
    "scenario { start = '2026-01-01', stop = '2026-01-05' }\n"
    "local depth = 0\n"
    "on('nest.*', function() depth = depth + 1; if depth < 20 then emit { kind = 'nest.more' } "
    "end end)\n"
    "after(days(1), function() emit { kind = 'nest.first' } end)\n";

static void the_pool_and_the_uncounted_stack_start_each_run_alike(void **state) {
  (void)state;
  char *path;
  dt_lrt_t *rt = load(nesting, 0, &path);
  assert_non_null(rt->mstack);
  assert_non_null(rt->strtab);
  assert_int_equal(rt->pool_n, DT_LRT_POOL_MAX);
  assert_int_equal(dt_lrt_setup(rt, 1, NULL, 0), 0);
  size_t fresh = dt__lrt_mem_mark(rt);   /* the live heap, as the limit counts it */
  assert_true(fresh > 0);
  assert_int_equal(dt_sim_run(rt->sim, DT_NEVER), 0);
  assert_int_equal(dt_lrt_finish(rt), 0);
  dt_lrt_end_run(rt);
  assert_true(rt->mstack_bytes > 720);   /* nesting grew the main thread's stack */
  assert_int_equal(dt_lrt_setup(rt, 2, NULL, 0), 0);
  assert_int_equal(rt->pool_n, DT_LRT_POOL_MAX);
  assert_int_equal(dt__lrt_mem_mark(rt), fresh);
  dt_lrt_end_run(rt);
  dt_lrt_free(rt);
  remove(path);
  free(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(refs_are_back_to_zero_when_every_hook_has_finished),
    cmocka_unit_test(compiled_once_runs_many_times_with_the_same_results_per_seed),
    cmocka_unit_test(two_runtimes_side_by_side_do_not_share_anything),
    cmocka_unit_test(the_sandbox_hides_io_and_unsafe_lifts_it),
    cmocka_unit_test(a_script_error_names_file_line_date_and_event),
    cmocka_unit_test(a_syntax_error_is_reported_by_load_with_its_line),
    cmocka_unit_test(a_human_seat_suspends_the_asking_code_until_answered_or_defaulted),
    cmocka_unit_test(the_pool_and_the_uncounted_stack_start_each_run_alike),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
