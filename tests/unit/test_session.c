/* test_session.c: the session core without sockets or a loop: inputs between
 * steps, a journal's records replayed into a second session giving the same
 * events byte for byte, a failed input rebuilt away, refused and unknown
 * inputs, a journal that does not match its scenario, a decision as JSON, a
 * turn held, adjudicated, released and replayed, and what hit a limit
 * cancelled by a record that replays. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "session.h"
#include "turns.h"

static const char scenario[] =
    "scenario { title = 'session test', start = '2026-01-01', stop = '2026-12-31' }\n"
    "local usa = state { id = 'USA', name = 'United States' }\n"
    "local rus = state { id = 'RUS' }\n"
    "decision('answer', { options = { 'yes', 'no' }, default = 'no', timeout = days(10) })\n"
    "policy(usa, 'answer', 'yes'); policy(rus, 'answer', 'yes')\n"
    "local said = 0\n"
    "every(days(5), function()\n"
    "  spawn(function()\n"
    "    local a = usa:decide('answer', { zeta = 1, alpha = 'first', rus = rus, half = 0.5 })\n"
    "    emit { kind = 'answer.given', by = usa, text = 'USA answered ' .. a .. ' ' .. "
    "rng.uniform() }\n"
    "  end)\n"
    "end)\n"
    "every(days(3), function() emit { kind = 'note.private', by = rus, text = 'RUS note', "
    "visibility = 'private' } end)\n"
    "move('statement', { doc = 'text=',\n"
    "  validate = function(s, a) if type(a.text) ~= 'string' then return false, 'a statement needs "
    "text' end return true end,\n"
    "  apply = function(s, a) said = said + 1; emit { kind = 'statement.made', by = s, text = "
    "a.text .. rng.uniform() } end })\n"
    "move('fail', { apply = function(s, a) said = said + 1000; emit { kind = 'x' }; error('fails "
    "on purpose') end })\n"
    "inject('crisis', function() emit { kind = 'crisis', text = 'a crisis ' .. rng.uniform() } "
    "end)\n"
    "outcome('said', function() return said end)\n"
    "inject('spin', function() after(days(1), function() while true do end end) end)\n"
    "inject('snare', function() on('crisis', function() while true do end end) end)\n"
    "inject('lurk', function() spawn(function() wait_for('crisis'); while true do end end) end)\n"
    "inject('ask', function() spawn(function() usa:decide('answer', {}); while true do end end) "
    "end)\n";

static char path[64];

static int write_scenario(void **state) {
  (void)state;
  snprintf(path, sizeof path, "/tmp/detente-test-session-%d.lua", (int)getpid());
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  fputs(scenario, f);
  fclose(f);
  return 0;
}

static int remove_scenario(void **state) {
  (void)state;
  unlink(path);
  return 0;
}

static json_t *header(void) {
  return json_pack("{s:s,s:i,s:s,s:I,s:[],s:[s],s:b}", "type", "session", "v", 1, "scenario", path,
                   "seed", (json_int_t)7, "defs", "human", "USA", "hold", 0);
}

static dt_session_t *open_session_v(int v) {
  dt_lrt_limits_t lim = { .instructions = 10000000, .memory = (size_t)64 << 20 };
  json_t *h = header();
  json_object_set_new(h, "v", json_integer(v));
  dt_session_t *s = NULL;
  char *err = NULL;
  assert_int_equal(dt_session_new(&s, h, "stdlib", &lim, NULL, &err), 0);
  json_decref(h);
  assert_int_equal(dt_session_start(s, &err), 0);
  assert_null(err);
  return s;
}

static dt_session_t *open_session(void) { return open_session_v(1); }

static dt_time_t date(const char *d) {
  dt_time_t t;
  assert_int_equal(dt_time_parse(d, &t), 0);
  return t;
}

/* Steps until nothing is due by `until`, then sets the clock there, as the
 * server's clock does. */
static void run_to(dt_session_t *s, const char *d) {
  dt_time_t t = date(d);
  char *err = NULL;
  int rc;
  while ((rc = dt_session_step(s, t, &err)) == 1) {}
  assert_int_equal(rc, 0);
  if (s->sim->now < t) s->sim->now = t;
}

static int input(dt_session_t *s, const char *json, json_t **result) {
  json_t *rec = json_loads(json, 0, NULL);
  assert_non_null(rec);
  char *err = NULL;
  int rc = dt_session_input(s, rec, result, &err);
  free(err);
  return rc;
}

/* The pending decision of USA, as its id "D<n>". */
static void pending(dt_session_t *s, char *id, size_t n) {
  for (int i = 0; i < s->sim->ndecisions; i++)
    if (s->sim->decisions[i]->status == DT_DS_PENDING) { snprintf(id, n, "D%d", i + 1); return; }
  fail_msg("no pending decision");
}

/* A session with a few inputs of each kind between steps. */
static dt_session_t *play(void) {
  dt_session_t *s = open_session();
  json_t *res = NULL;
  char id[16], buf[128];
  run_to(s, "2026-01-08");
  assert_int_equal(input(s,
                         "{\"type\":\"move\",\"by\":\"USA\",\"seat\":\"USA\",\"move\":"
                         "\"statement\",\"args\":{\"text\":\"hi\"}}",
                         &res),
                   0);
  assert_true(json_is_true(json_object_get(res, "accepted")));
  json_decref(res);
  pending(s, id, sizeof id);
  snprintf(buf, sizeof buf,
           "{\"type\":\"answer\",\"by\":\"USA\",\"decision\":\"%s\",\"option\":\"no\"}", id);
  assert_int_equal(input(s, buf, NULL), 0);
  run_to(s, "2026-02-01");
  assert_int_equal(input(s, "{\"type\":\"inject\",\"by\":\"facilitator\",\"name\":\"crisis\"}",
                         NULL),
                   0);
  assert_int_equal(
      input(s, "{\"type\":\"seat\",\"by\":\"facilitator\",\"seat\":\"USA\",\"human\":false}", NULL),
      0);
  run_to(s, "2026-03-01");
  return s;
}

static void assert_same_history(const dt_session_t *a, const dt_session_t *b) {
  assert_int_equal(a->nhist, b->nhist);
  assert_int_equal(a->committed, b->committed);
  for (size_t i = 0; i < a->nhist; i++) {
    assert_int_equal(a->hist[i].seq, b->hist[i].seq);
    assert_int_equal(a->hist[i].len, b->hist[i].len);
    assert_memory_equal(a->hist[i].line, b->hist[i].line, a->hist[i].len);
  }
}

static void replaying_the_records_gives_the_same_events(void **state) {
  (void)state;
  dt_session_t *a = play();
  assert_int_equal(a->nrecs, 4);
  dt_session_t *b = open_session();
  char *err = NULL;
  for (size_t i = 0; i < a->nrecs; i++) {
    /* Through text, as a journal holds them. */
    char *t = json_dumps(a->recs[i], JSON_COMPACT);
    assert_int_equal(dt_session_replay(b, json_loads(t, 0, NULL), &err), 0);
    free(t);
  }
  assert_null(err);
  run_to(b, "2026-03-01");
  assert_same_history(a, b);
  assert_int_equal(dt_session_finish(a), 0);
  assert_int_equal(dt_session_finish(b), 0);
  assert_int_equal(a->rt->outcomes[0].v.num, 1);
  dt_session_free(a);
  dt_session_free(b);
}

static void a_failed_move_is_rebuilt_away(void **state) {
  (void)state;
  dt_session_t *a = open_session(), *b = open_session();
  run_to(a, "2026-01-20");
  run_to(b, "2026-01-20");
  uint64_t committed = a->committed;
  json_t *res = NULL;
  assert_int_equal(
      input(a, "{\"type\":\"move\",\"by\":\"USA\",\"seat\":\"USA\",\"move\":\"fail\",\"args\":{}}",
            &res),
      DT_ESCRIPT);
  assert_null(res);
  assert_non_null(a->error);
  assert_non_null(strstr(a->error, "fails on purpose"));
  assert_int_equal(a->nrecs, 0);
  assert_int_equal(a->committed, committed);
  /* Rebuilt: the world, the queue and the random stream are as before. */
  run_to(a, "2026-03-01");
  run_to(b, "2026-03-01");
  assert_same_history(a, b);
  dt_session_free(a);
  dt_session_free(b);
}

static void a_refused_move_is_kept_and_says_why(void **state) {
  (void)state;
  dt_session_t *s = open_session();
  json_t *res = NULL;
  assert_int_equal(input(s,
                         "{\"type\":\"move\",\"by\":\"USA\",\"seat\":\"USA\",\"move\":"
                         "\"statement\",\"args\":{}}",
                         &res),
                   0);
  assert_false(json_is_true(json_object_get(res, "accepted")));
  assert_string_equal(json_string_value(json_object_get(res, "reason")), "a statement needs text");
  json_decref(res);
  assert_int_equal(s->nrecs, 1);
  dt_session_free(s);
}

static void move_arguments_nested_too_deep_are_refused(void **state) {
  (void)state;
  dt_session_t *s = open_session();
  char buf[1024] = "{\"type\":\"move\",\"by\":\"USA\",\"seat\":\"USA\",\"move\":\"statement\","
                   "\"args\":{\"text\":";
  for (int i = 0; i < 70; i++) strcat(buf, "[");
  for (int i = 0; i < 70; i++) strcat(buf, "]");
  strcat(buf, "}}");
  json_t *res = NULL;
  assert_int_equal(input(s, buf, &res), 0);
  assert_false(json_is_true(json_object_get(res, "accepted")));
  assert_non_null(
      strstr(json_string_value(json_object_get(res, "reason")), "nested deeper than 64 levels"));
  json_decref(res);
  assert_false(s->sim->failed);
  dt_session_free(s);
}

static void inputs_are_checked_before_they_apply(void **state) {
  (void)state;
  dt_session_t *s = open_session();
  run_to(s, "2026-01-08");
  const char *code; char msg[256];
  json_t *r = json_loads("{\"type\":\"move\",\"seat\":\"USA\",\"move\":\"dance\"}", 0, NULL);
  assert_int_equal(dt_session_check(s, r, 0, &code, msg, sizeof msg), -1);
  assert_string_equal(code, "unknown_move");
  json_decref(r);
  r = json_loads("{\"type\":\"move\",\"seat\":\"RUS\",\"move\":\"statement\"}", 0, NULL);
  assert_int_equal(dt_session_check(s, r, 0, &code, msg, sizeof msg), -1);
  assert_string_equal(code, "not_yours");
  json_decref(r);
  r = json_loads("{\"type\":\"inject\",\"name\":\"__order\"}", 0, NULL);
  assert_int_equal(dt_session_check(s, r, -1, &code, msg, sizeof msg), -1);
  assert_string_equal(code, "unknown_inject");
  json_decref(r);
  r = json_loads("{\"type\":\"answer\",\"decision\":\"D99\",\"option\":\"yes\"}", 0, NULL);
  assert_int_equal(dt_session_check(s, r, 0, &code, msg, sizeof msg), -1);
  assert_string_equal(code, "unknown_decision");
  json_decref(r);
  r = json_loads("{\"type\":\"answer\",\"decision\":\"D1\",\"option\":\"maybe\"}", 0, NULL);
  assert_int_equal(dt_session_check(s, r, 0, &code, msg, sizeof msg), -1);
  assert_string_equal(code, "bad_option");
  json_decref(r);
  dt_session_free(s);
}

static void a_journal_that_does_not_match_is_refused(void **state) {
  (void)state;
  dt_session_t *a = play();
  dt_session_t *b = open_session();
  json_t *r = json_deep_copy(a->recs[0]);
  json_object_set_new(r, "seq", json_integer(json_integer_value(json_object_get(r, "seq")) + 1));
  char *err = NULL;
  assert_int_equal(dt_session_replay(b, r, &err), DT_EPARSE);
  assert_non_null(err);
  assert_non_null(strstr(err, "does not match"));
  free(err);
  dt_session_free(a);
  dt_session_free(b);
}

/* Replays a's records [0, n) into a new session, through text. */
static dt_session_t *replayed(const dt_session_t *a, size_t n) {
  dt_session_t *b = open_session();
  char *err = NULL;
  for (size_t i = 0; i < n; i++) {
    char *t = json_dumps(a->recs[i], JSON_COMPACT);
    assert_int_equal(dt_session_replay(b, json_loads(t, 0, NULL), &err), 0);
    free(t);
  }
  assert_null(err);
  return b;
}

static void a_step_that_hits_a_limit_cancels_what_hit_it(void **state) {
  (void)state;
  dt_session_t *a = open_session();
  run_to(a, "2026-01-08");
  assert_int_equal(input(a, "{\"type\":\"inject\",\"by\":\"facilitator\",\"name\":\"spin\"}",
                         NULL),
                   0);
  char *err = NULL;
  int rc;
  while ((rc = dt_session_step(a, date("2026-01-20"), &err)) == 1) {}
  assert_int_equal(rc, DT_ESCRIPT);
  assert_non_null(strstr(err, "instruction limit exceeded"));
  free(err);
  err = NULL;
  uint64_t committed = a->committed;
  json_t *rec = NULL;
  assert_int_equal(dt_session_cancel_failed(a, &rec, &err), 1);
  assert_string_equal(json_string_value(json_object_get(rec, "type")), "cancel");
  assert_string_equal(json_string_value(json_object_get(rec, "limit")), "instructions");
  assert_int_equal(json_integer_value(json_object_get(rec, "due")), date("2026-01-09"));
  assert_non_null(strstr(json_string_value(json_object_get(rec, "what")), "at() or after()"));
  json_decref(rec);
  assert_int_equal(a->committed, committed);
  assert_int_equal(dt_session_cancel_failed(a, &rec, &err), 0);   /* once */
  assert_null(rec);
  run_to(a, "2026-03-01");   /* the session goes on */
  dt_session_t *b = replayed(a, a->nrecs);
  run_to(b, "2026-03-01");
  assert_same_history(a, b);
  /* A cancel that does not match the run (another date) is refused. */
  dt_session_t *c = replayed(a, a->nrecs - 1);
  rec = json_deep_copy(a->recs[a->nrecs - 1]);
  json_object_set_new(rec, "due", json_integer(date("2026-01-10")));
  assert_int_equal(dt_session_replay(c, rec, &err), DT_EPARSE);
  free(err);
  dt_session_free(a);
  dt_session_free(b);
  dt_session_free(c);
}

static void an_input_that_sets_off_a_looping_hook_cancels_the_hook(void **state) {
  (void)state;
  dt_session_t *a = open_session();
  const char *crisis = "{\"type\":\"inject\",\"by\":\"facilitator\",\"name\":\"crisis\"}";
  run_to(a, "2026-01-08");
  assert_int_equal(
      input(a, "{\"type\":\"inject\",\"by\":\"facilitator\",\"name\":\"snare\"}", NULL), 0);
  assert_int_equal(input(a, crisis, NULL), DT_ESCRIPT);
  assert_int_equal(a->nrecs, 1);   /* refused: not kept */
  json_t *rec = NULL;
  char *err = NULL;
  assert_int_equal(dt_session_cancel_failed(a, &rec, &err), 1);
  /* Hooks are numbered as made: setup's two every() hooks, then the on(). */
  assert_int_equal(json_integer_value(json_object_get(rec, "hook")), 3);
  assert_non_null(strstr(json_string_value(json_object_get(rec, "what")), "on(\"crisis\")"));
  json_decref(rec);
  assert_int_equal(input(a, crisis, NULL), 0);   /* sent again: applied without the hook */
  run_to(a, "2026-02-01");
  dt_session_t *b = replayed(a, a->nrecs);
  run_to(b, "2026-02-01");
  assert_same_history(a, b);
  /* No such hook: the journal does not match. */
  dt_session_t *c = replayed(a, 1);
  rec = json_deep_copy(a->recs[1]);
  json_object_set_new(rec, "hook", json_integer(99));
  assert_int_equal(dt_session_replay(c, rec, &err), DT_EPARSE);
  free(err);
  dt_session_free(a);
  dt_session_free(b);
  dt_session_free(c);
}

static void a_process_woken_into_a_loop_is_cancelled(void **state) {
  (void)state;
  dt_session_t *a = open_session();
  const char *crisis = "{\"type\":\"inject\",\"by\":\"facilitator\",\"name\":\"crisis\"}";
  assert_int_equal(
      input(a, "{\"type\":\"inject\",\"by\":\"facilitator\",\"name\":\"lurk\"}", NULL), 0);
  assert_int_equal(input(a, crisis, NULL), DT_ESCRIPT);
  json_t *rec = NULL;
  char *err = NULL;
  assert_int_equal(dt_session_cancel_failed(a, &rec, &err), 1);
  assert_non_null(strstr(json_string_value(json_object_get(rec, "what")), "wait_for(\"crisis\")"));
  json_decref(rec);
  assert_int_equal(input(a, crisis, NULL), 0);
  run_to(a, "2026-02-01");
  dt_session_t *b = replayed(a, a->nrecs);
  run_to(b, "2026-02-01");
  assert_same_history(a, b);
  dt_session_free(a);
  dt_session_free(b);
}

static void a_process_an_answer_woke_into_a_loop_is_cancelled(void **state) {
  (void)state;
  dt_session_t *a = open_session();
  const char *answer = "{\"type\":\"answer\",\"by\":\"USA\",\"decision\":\"D1\","
                       "\"option\":\"yes\"}";
  assert_int_equal(
      input(a, "{\"type\":\"inject\",\"by\":\"facilitator\",\"name\":\"ask\"}", NULL), 0);
  assert_int_equal(input(a, answer, NULL), DT_ESCRIPT);
  json_t *rec = NULL;
  char *err = NULL;
  assert_int_equal(dt_session_cancel_failed(a, &rec, &err), 1);
  assert_string_equal(json_string_value(json_object_get(rec, "decision")), "D1");
  json_decref(rec);
  assert_int_equal(input(a, answer, NULL), 0);   /* answered; nothing resumes */
  assert_int_equal(a->sim->decisions[0]->status == DT_DS_PENDING, 0);
  run_to(a, "2026-02-01");
  dt_session_t *b = replayed(a, a->nrecs);
  run_to(b, "2026-02-01");
  assert_same_history(a, b);
  dt_session_free(a);
  dt_session_free(b);
}

static void a_precondition_that_hits_a_limit_withdraws_its_move(void **state) {
  (void)state;
  char guard[96];
  snprintf(guard, sizeof guard, "/tmp/detente-test-session-guard-%d.lua", (int)getpid());
  FILE *f = fopen(guard, "w");
  assert_non_null(f);
  fputs("scenario { title = 'guard', start = '2026-01-01', stop = '2026-12-31' }\n"
        "state { id = 'USA' }\n"
        "local n = 0\n"
        "every(days(1), function() n = n + 1; emit { kind = 'day', text = 'day ' .. n } end)\n"
        "move('guarded', { available = function(s) if n == 3 then while true do end end\n"
        "  return true end, apply = function(s) end })\n"
        "move('free', { apply = function(s) end })\n",
        f);
  fclose(f);
  dt_lrt_limits_t lim = { .instructions = 10000000, .memory = (size_t)64 << 20 };
  json_t *h = header();
  json_object_set_new(h, "scenario", json_string(guard));
  dt_session_t *a = NULL, *b = NULL;
  char *err = NULL;
  assert_int_equal(dt_session_new(&a, h, "stdlib", &lim, NULL, &err), 0);
  assert_int_equal(dt_session_start(a, &err), 0);
  assert_int_equal(dt_session_move_offered(a, 0, "guarded"), 1);
  int rc;
  while ((rc = dt_session_step(a, date("2026-01-10"), &err)) == 1) {}
  assert_int_equal(rc, DT_ESCRIPT);
  assert_non_null(strstr(err, "instruction limit exceeded"));
  free(err);
  err = NULL;
  json_t *rec = NULL;
  assert_int_equal(dt_session_cancel_failed(a, &rec, &err), 1);
  assert_string_equal(json_string_value(json_object_get(rec, "move")), "guarded");
  json_decref(rec);
  run_to(a, "2026-01-10");   /* the session goes on */
  assert_int_equal(dt_session_move_offered(a, 0, "guarded"), 0);   /* withdrawn */
  assert_int_equal(dt_session_move_offered(a, 0, "free"), 1);
  assert_int_equal(dt_session_new(&b, h, "stdlib", &lim, NULL, &err), 0);
  assert_int_equal(dt_session_start(b, &err), 0);
  for (size_t i = 0; i < a->nrecs; i++) {
    char *t = json_dumps(a->recs[i], JSON_COMPACT);
    assert_int_equal(dt_session_replay(b, json_loads(t, 0, NULL), &err), 0);
    free(t);
  }
  run_to(b, "2026-01-10");
  assert_same_history(a, b);
  assert_int_equal(dt_session_move_offered(b, 0, "guarded"), 0);
  json_decref(h);
  dt_session_free(a);
  dt_session_free(b);
  unlink(guard);
}

static void a_decision_as_json_has_its_context_in_key_order(void **state) {
  (void)state;
  dt_session_t *s = open_session();
  run_to(s, "2026-01-08");
  json_t *d = dt_session_decision_json(s, s->sim->decisions[0]);
  char *t = json_dumps(json_object_get(d, "context"), JSON_COMPACT | JSON_PRESERVE_ORDER);
  assert_string_equal(t, "{\"alpha\":\"first\",\"half\":0.5,\"rus\":\"RUS\",\"zeta\":1}");
  free(t);
  assert_string_equal(json_string_value(json_object_get(d, "seat")), "USA");
  json_decref(d);
  dt_session_free(s);
}

static size_t count_kind(const dt_session_t *s, const char *kind) {
  char needle[64];
  snprintf(needle, sizeof needle, "\"kind\":\"%s\"", kind);
  size_t n = 0;
  for (size_t i = 0; i < s->nhist; i++) n += strstr(s->hist[i].line, needle) != NULL;
  return n;
}

/* A turn, as the server's records drive it: moves held in planning (not
 * applied), adjudication, a release whose move fails (rebuilt away: the turn
 * is back in adjudication with its moves held), a refusal, an amendment, and
 * the release that applies the rest in submission order. Replaying the
 * records gives the same events and the same turn. */
static void a_turn_is_held_adjudicated_released_and_replayed(void **state) {
  (void)state;
  dt_session_t *a = open_session_v(2);
  char buf[256];
  json_t *res = NULL;
  snprintf(buf, sizeof buf, "{\"type\":\"turn\",\"by\":\"server\",\"number\":1,\"ends\":%lld}",
           (long long)date("2026-02-01"));
  assert_int_equal(input(a, buf, NULL), 0);
  assert_int_equal(a->turns.number, 1);
  assert_int_equal(a->turns.phase, DT_TURN_PLANNING);
  static const char *const moves[] = { "\"statement\",\"args\":{\"text\":\"one\"}",
                                       "\"fail\",\"args\":{}",
                                       "\"statement\",\"args\":{\"text\":\"three\"}" };
  for (int i = 0; i < 3; i++) {
    snprintf(buf, sizeof buf,
             "{\"type\":\"move\",\"by\":\"USA\",\"seat\":\"USA\",\"held\":true,\"move\":%s}",
             moves[i]);
    assert_int_equal(input(a, buf, &res), 0);
    assert_true(json_is_true(json_object_get(res, "held")));
    json_decref(res);
  }
  assert_int_equal(count_kind(a, "move.held"), 3);
  assert_int_equal(count_kind(a, "statement.made"), 0);   /* held, not applied */
  /* Checks: a refusal belongs to adjudication; a team's move to planning. */
  const char *code = NULL;
  char msg[256];
  json_t *r = json_loads("{\"type\":\"refuse\",\"input\":2,\"reason\":\"x\"}", 0, NULL);
  assert_int_equal(dt_session_check(a, r, -1, &code, msg, sizeof msg), -1);
  assert_string_equal(code, "phase");
  json_decref(r);
  assert_int_equal(input(a, "{\"type\":\"adjudicate\",\"by\":\"facilitator\"}", NULL), 0);
  r = json_loads("{\"type\":\"move\",\"seat\":\"USA\",\"held\":true,\"move\":\"statement\"}", 0,
                 NULL);
  assert_int_equal(dt_session_check(a, r, 0, &code, msg, sizeof msg), -1);
  assert_string_equal(code, "phase");
  json_decref(r);
  /* A release whose move fails changes nothing: rebuilt to adjudication. */
  size_t nrecs = a->nrecs;
  assert_int_equal(input(a, "{\"type\":\"release\",\"by\":\"facilitator\"}", NULL), DT_ESCRIPT);
  assert_int_equal(a->nrecs, nrecs);
  assert_int_equal(a->turns.phase, DT_TURN_ADJUDICATION);
  assert_int_equal(json_array_size(a->turns.moves), 3);
  assert_int_equal(count_kind(a, "statement.made"), 0);
  assert_int_equal(
      input(a, "{\"type\":\"refuse\",\"by\":\"facilitator\",\"input\":2,\"reason\":\"no\"}", NULL),
      0);
  assert_int_equal(input(a,
                         "{\"type\":\"amend\",\"by\":\"facilitator\",\"input\":3,\"reason\":"
                         "\"shorter\",\"args\":{\"text\":\"3\"}}",
                         NULL),
                   0);
  assert_int_equal(input(a, "{\"type\":\"release\",\"by\":\"facilitator\"}", &res), 0);
  assert_int_equal(json_integer_value(json_object_get(res, "applied")), 2);
  assert_int_equal(json_integer_value(json_object_get(res, "refused")), 1);
  json_decref(res);
  assert_int_equal(a->turns.phase, DT_TURN_RUNNING);
  assert_int_equal(count_kind(a, "statement.made"), 2);
  json_t *t = dt_turns_json(a, -1);
  json_t *m = json_object_get(t, "moves");
  json_t *m1 = json_array_get(m, 0), *m2 = json_array_get(m, 1);
  assert_string_equal(json_string_value(json_object_get(m1, "status")), "applied");
  assert_string_equal(json_string_value(json_object_get(m2, "status")), "refused");
  assert_string_equal(json_string_value(json_object_get(m2, "by")), "umpire");
  json_t *m3 = json_array_get(m, 2);
  assert_true(json_is_true(json_object_get(m3, "amended")));
  assert_string_equal(json_string_value(json_object_get(json_object_get(m3, "submitted"), "text")),
                      "three");
  /* Applied in submission order: "one" before "3". */
  const char *one = NULL, *three = NULL;
  for (size_t i = 0; i < a->nhist; i++) {
    if (strstr(a->hist[i].line, "\"text\":\"one") && !one) one = a->hist[i].line;
    if (strstr(a->hist[i].line, "\"text\":\"3") && !three) three = a->hist[i].line;
  }
  assert_non_null(one);
  assert_non_null(three);
  assert_true(strtoull(strstr(one, "\"seq\":") + 6, NULL, 10) <
              strtoull(strstr(three, "\"seq\":") + 6, NULL, 10));
  run_to(a, "2026-02-01");
  dt_session_t *b = open_session_v(2);
  char *err = NULL;
  for (size_t i = 0; i < a->nrecs; i++) {
    char *txt = json_dumps(a->recs[i], JSON_COMPACT);
    assert_int_equal(dt_session_replay(b, json_loads(txt, 0, NULL), &err), 0);
    free(txt);
  }
  run_to(b, "2026-02-01");
  assert_same_history(a, b);
  json_t *tb = dt_turns_json(b, -1);
  assert_true(json_equal(t, tb));
  json_decref(t);
  json_decref(tb);
  dt_session_free(a);
  dt_session_free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(replaying_the_records_gives_the_same_events),
    cmocka_unit_test(a_failed_move_is_rebuilt_away),
    cmocka_unit_test(a_refused_move_is_kept_and_says_why),
    cmocka_unit_test(move_arguments_nested_too_deep_are_refused),
    cmocka_unit_test(inputs_are_checked_before_they_apply),
    cmocka_unit_test(a_journal_that_does_not_match_is_refused),
    cmocka_unit_test(a_step_that_hits_a_limit_cancels_what_hit_it),
    cmocka_unit_test(an_input_that_sets_off_a_looping_hook_cancels_the_hook),
    cmocka_unit_test(a_process_woken_into_a_loop_is_cancelled),
    cmocka_unit_test(a_process_an_answer_woke_into_a_loop_is_cancelled),
    cmocka_unit_test(a_precondition_that_hits_a_limit_withdraws_its_move),
    cmocka_unit_test(a_decision_as_json_has_its_context_in_key_order),
    cmocka_unit_test(a_turn_is_held_adjudicated_released_and_replayed),
  };
  return cmocka_run_group_tests(tests, write_scenario, remove_scenario);
}
