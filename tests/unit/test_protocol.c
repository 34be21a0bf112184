/* test_protocol.c: unit tests of engine/protocol.c's pace, the one parser
 * `serve --pace` and the `pace` message share: what reads, what does not,
 * the text it is shown as, the message and the console word; and how long an
 * advance runs, as people write it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "protocol.h"

static void pace_is(const char *s, int64_t sim, int64_t ms) {
  int64_t a = -1, b = -1;
  assert_int_equal(dt_proto_pace(s, &a, &b), 0);
  assert_int_equal(a, sim);
  assert_int_equal(b, ms);
}

static void paces_read_as_sim_per_real(void **state) {
  (void)state;
  pace_is("1d=10s", 86400, 10000);
  pace_is("2d=250ms", 172800, 250);
  pace_is("1d=1", 86400, 1000);            /* a bare real time is seconds */
  pace_is("90=2min", 90, 120000);          /* and a bare simulated one too */
  pace_is("1w=1min", 7 * 86400, 60000);
  pace_is("0.5d=1.5s", 43200, 1500);
  pace_is("12h=50ms", 43200, 50);
  pace_is("1157d=10ms", 1157 * 86400, 10);  /* just under the fastest pace */
}

static void bad_paces_are_refused(void **state) {
  (void)state;
  static const char *const bad[] = {
    "", "fast", "1d", "=10s", "1d=", "1d=s", "1d=10x", "1d=0s", "0d=1s", "-1d=1s", "1d=-1s",
    "1d=+1s", "1d= 1s", " 1d=1s", "1d=0.0001ms", "1d=1e300min", "1d=inf", "1d=nan",
    "1mo=1s", "1d=1h", "1d=10s=2", "1158d=10ms", "1000w=1ms",
    "123456789012345678901234567890123456789012345678901234567890123456789d=1s", NULL
  };
  for (int i = 0; bad[i]; i++) {
    int64_t a = 7, b = 7;
    if (dt_proto_pace(bad[i], &a, &b) != -1) fail_msg("'%s' was read as a pace", bad[i]);
    assert_int_equal(a, 7);   /* untouched on failure */
    assert_int_equal(b, 7);
  }
  int64_t a, b;
  assert_int_equal(dt_proto_pace(NULL, &a, &b), -1);
}

static void text_is(int64_t sim, int64_t ms, const char *want) {
  char buf[64];
  dt_proto_pace_text(sim, ms, buf, sizeof buf);
  assert_string_equal(buf, want);
  int64_t a, b;   /* and it reads back as the same pace */
  assert_int_equal(dt_proto_pace(buf, &a, &b), 0);
  assert_int_equal(a, sim);
  assert_int_equal(b, ms);
}

static void paces_are_shown_in_whole_units(void **state) {
  (void)state;
  text_is(86400, 10000, "1d=10s");
  text_is(86400, 1000, "1d=1s");
  text_is(172800, 250, "2d=250ms");
  text_is(7 * 86400, 60000, "7d=1min");
  text_is(43200, 50, "12h=50ms");
  text_is(90, 1500, "90s=1500ms");
  text_is(120, 120000, "2min=2min");
}

static int parse(const char *line, dt_msg_t *m, const char **code, char *msg, size_t n) {
  return dt_msg_parse(line, strlen(line), m, code, msg, n);
}

static void the_pace_message_is_checked_here(void **state) {
  (void)state;
  dt_msg_t m; const char *code = NULL; char msg[512];
  assert_int_equal(parse("{\"type\":\"pace\",\"pace\":\"1d=10s\",\"id\":3}", &m, &code, msg,
                         sizeof msg), 0);
  assert_int_equal(m.type, DT_MSG_PACE);
  assert_int_equal(m.pace_sim, 86400);
  assert_int_equal(m.pace_real_ms, 10000);
  assert_true(dt_msg_facilitator_only(m.type));
  assert_string_equal(dt_msg_type_name(m.type), "pace");
  dt_msg_free(&m);
  static const char *const bad[] = { "{\"type\":\"pace\"}", "{\"type\":\"pace\",\"pace\":7}",
                                     "{\"type\":\"pace\",\"pace\":\"soon\"}", NULL };
  for (int i = 0; bad[i]; i++) {
    assert_int_equal(parse(bad[i], &m, &code, msg, sizeof msg), -1);
    assert_string_equal(code, "bad_field");
    assert_non_null(strstr(msg, "pace: 'pace' must be"));
    assert_non_null(strstr(msg, "SIM=REAL"));
    dt_msg_free(&m);
  }
  assert_non_null(strstr(msg, "not \"soon\""));   /* the value it got */
}

static void the_console_says_pace(void **state) {
  (void)state;
  char msg[256];
  json_t *o = dt_proto_command("pace 2d=250ms", 1, msg, sizeof msg);
  assert_non_null(o);
  assert_string_equal(json_string_value(json_object_get(o, "type")), "pace");
  assert_string_equal(json_string_value(json_object_get(o, "pace")), "2d=250ms");
  json_decref(o);
  assert_null(dt_proto_command("pace", 1, msg, sizeof msg));
  assert_non_null(strstr(msg, "pace 1d=10s"));
  assert_null(dt_proto_command("pace 1d=1s now", 1, msg, sizeof msg));
  json_t *ck = json_pack("{s:s,s:s,s:s,s:b,s:s,s:b,s:b}", "type", "clock", "pace", "1d=10s",
                         "clock", "2026-01-09", "paused", 0, "mode", "pace", "advancing", 0,
                         "held", 0);
  char *t = dt_proto_text(ck);
  assert_string_equal(t, "the clock: 2026-01-09, running (pace mode at 1d=10s)");
  free(t);
  json_object_set_new(ck, "paused", json_true());
  t = dt_proto_text(ck);
  assert_string_equal(t, "the clock: 2026-01-09, paused (pace mode at 1d=10s)");
  free(t);
  json_object_set_new(ck, "held", json_true());
  json_object_set_new(ck, "advancing", json_true());
  t = dt_proto_text(ck);
  assert_string_equal(t,
                      "the clock: 2026-01-09, waiting for a team's decision (pace mode at 1d=10s)");
  free(t);
  json_object_set_new(ck, "held", json_false());
  json_object_set_new(ck, "mode", json_string("step"));
  t = dt_proto_text(ck);
  assert_string_equal(t, "the clock: 2026-01-09, advancing (step mode)");
  free(t);
  json_decref(ck);
}

/* Numbers in the console's lines print as the timeline prints them: a
 * decision's context round=19 (a Lua float, 19.0 in JSON), an outcome 0.68
 * (computed as 0.6799999999999999), never the long or ".0" JSON forms. */
static void the_console_prints_numbers_as_the_timeline(void **s) {
  (void)s;
  json_t *d = json_pack("{s:s,s:s,s:s,s:s,s:[s,s],s:s,s:s,s:{s:f,s:s,s:f,s:[f,i]}}", "type",
                        "decision", "decision", "D1", "seat", "USA", "name", "answer",
                        "options", "yes", "no", "default", "no", "deadline", "2026-01-31",
                        "context", "round", 19.0, "counterpart", "RUS", "share", 0.1, "list",
                        2.5, 3);
  char *t = dt_proto_text(d);
  assert_string_equal(t, "decision D1 for USA: answer; options: yes | no; default no at the "
                         "deadline 2026-01-31; context counterpart=RUS list=[2.5,3] round=19 "
                         "share=0.1");
  free(t);
  json_decref(d);
  json_t *bye = json_pack("{s:s,s:s,s:{s:f,s:i}}", "type", "bye", "text", "ended", "outcomes",
                          "tension", 0.7 - 0.02, "n", 2);
  t = dt_proto_text(bye);
  assert_string_equal(t, "session ended: ended; outcomes: n=2 tension=0.68");
  free(t);
  json_decref(bye);
}

static void by_is(const char *s, int64_t secs, int64_t months) {
  int64_t a = -1, b = -1;
  assert_int_equal(dt_proto_advance_by(s, &a, &b), 0);
  assert_int_equal(a, secs);
  assert_int_equal(b, months);
}

/* What the dashboard's Advance field says it takes ("10d, 2w, 1 month"), and
 * what a facilitator types on the console, reads; a month is a calendar one. */
static void advances_read_as_people_write_them(void **state) {
  (void)state;
  by_is("10d", 10 * 86400, 0);
  by_is("1.5d", 129600, 0);
  by_is("36h", 36 * 3600, 0);
  by_is("90", 90, 0);
  by_is("2w", 14 * 86400, 0);
  by_is("10 days", 10 * 86400, 0);
  by_is("1 day", 86400, 0);
  by_is("36 hours", 36 * 3600, 0);
  by_is("2 weeks", 14 * 86400, 0);
  by_is("15 minutes", 900, 0);
  by_is("1 month", 0, 1);
  by_is("6 months", 0, 6);
  by_is("1mo", 0, 1);
  by_is("2 years", 0, 24);
  by_is("1y", 0, 12);
  static const char *const bad[] = { "", "month", "0d", "0 months", "-1 month", "1.5 months",
                                     "1 fortnight", "1 month later", "2 Weeks", "101 years", "10d ",
                                     "1e300d", "forever", NULL };
  for (int i = 0; bad[i]; i++) {
    int64_t a, b;
    assert_int_equal(dt_proto_advance_by(bad[i], &a, &b), -1);
  }
  char msg[256];
  json_t *o = dt_proto_command("advance 1 month", 1, msg, sizeof msg);
  assert_non_null(o);
  assert_string_equal(json_string_value(json_object_get(o, "by")), "1 month");
  json_decref(o);
  o = dt_proto_command("advance 10d", 1, msg, sizeof msg);
  assert_string_equal(json_string_value(json_object_get(o, "by")), "10d");
  json_decref(o);
  const char *line = "{\"type\":\"advance\",\"by\":\"6 months\"}";
  dt_msg_t m; const char *code = NULL;
  assert_int_equal(dt_msg_parse(line, strlen(line), &m, &code, msg, sizeof msg), 0);
  assert_int_equal(m.by_months, 6);
  assert_int_equal(m.by, 0);
  dt_msg_free(&m);
  line = "{\"type\":\"advance\",\"by\":\"soon\"}";
  assert_int_equal(dt_msg_parse(line, strlen(line), &m, &code, msg, sizeof msg), -1);
  assert_string_equal(code, "bad_field");
  assert_non_null(strstr(msg, "1 month"));
  dt_msg_free(&m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(advances_read_as_people_write_them),
    cmocka_unit_test(paces_read_as_sim_per_real),
    cmocka_unit_test(bad_paces_are_refused),
    cmocka_unit_test(paces_are_shown_in_whole_units),
    cmocka_unit_test(the_pace_message_is_checked_here),
    cmocka_unit_test(the_console_says_pace),
    cmocka_unit_test(the_console_prints_numbers_as_the_timeline),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
