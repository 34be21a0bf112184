/* test_suggest.c: unit tests of engine/suggest.c: edit distances, including
 * swaps of neighbours, and which misspellings get a suggestion. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "suggest.h"

static void distances_count_insertions_deletions_substitutions_and_swaps(void **state) {
  (void)state;
  assert_int_equal(dt_edit_distance("", ""), 0);
  assert_int_equal(dt_edit_distance("deployed", "deployed"), 0);
  assert_int_equal(dt_edit_distance("deployd", "deployed"), 1);     /* insertion */
  assert_int_equal(dt_edit_distance("expiress", "expires"), 1);     /* deletion */
  assert_int_equal(dt_edit_distance("in_forse", "in_force"), 1);    /* substitution */
  assert_int_equal(dt_edit_distance("suspnd", "suspend"), 1);
  assert_int_equal(dt_edit_distance("strat", "start"), 1);          /* swap */
  assert_int_equal(dt_edit_distance("abc", ""), 3);
  assert_int_equal(dt_edit_distance("kitten", "sitting"), 3);
}

static void overlong_names_are_far_from_everything(void **state) {
  (void)state;
  char big[100];
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = 0;
  assert_int_equal(dt_edit_distance(big, big), 64);
  assert_int_equal(dt_edit_distance(big, "a"), 64);
}

static void the_closest_name_is_suggested_when_it_is_a_likely_typo(void **state) {
  (void)state;
  static const char *const sys[] = { "name", "category", "deployed", "nondeployed", "warheads",
                                     "per_launcher", "capacity", "accountable", "attrs" };
  size_t n = sizeof sys / sizeof sys[0];
  assert_int_equal(dt_suggest("deployd", sys, n), 2);
  assert_int_equal(dt_suggest("nondeployd", sys, n), 3);
  assert_int_equal(dt_suggest("warhead", sys, n), 4);
  assert_int_equal(dt_suggest("capacty", sys, n), 6);
  assert_int_equal(dt_suggest("atrs", sys, n), 8);
  assert_int_equal(dt_suggest("doctrine", sys, n), -1);   /* nothing like it */
  assert_int_equal(dt_suggest("x", sys, n), -1);          /* one letter suggests nothing */
}

static void ties_go_to_the_earlier_entry_and_null_entries_are_skipped(void **state) {
  (void)state;
  static const char *const l[] = { NULL, "first", "last" };
  assert_int_equal(dt_suggest("fist", l, 3), 1);
  static const char *const t[] = { "cat", "car" };
  assert_int_equal(dt_suggest("cax", t, 2), 0);
  assert_int_equal(dt_suggest("cat", l, 0), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(distances_count_insertions_deletions_substitutions_and_swaps),
    cmocka_unit_test(overlong_names_are_far_from_everything),
    cmocka_unit_test(the_closest_name_is_suggested_when_it_is_a_likely_typo),
    cmocka_unit_test(ties_go_to_the_earlier_entry_and_null_entries_are_skipped),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
