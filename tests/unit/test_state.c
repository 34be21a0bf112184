/* test_state.c: unit tests of engine/state.c: declaring states (indices, names,
 * duplicate and empty ids), weapon categories and their 64-bit limit, and named
 * relations: zero by default, directed, and kept intact while states and
 * relations are added in any order after values were set. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "world.h"

static dt_sim_t *new_sim(void) {
  dt_sim_t *sim = dt_sim_new();
  assert_non_null(sim);
  return sim;
}

static void add_states(dt_sim_t *sim, int from, int to) {
  char id[16];
  for (int i = from; i < to; i++) {
    snprintf(id, sizeof id, "S%d", i);
    assert_int_equal(dt_state_add(sim, id, NULL, NULL), 0);
  }
}

static void states_get_indices_in_declaration_order(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  dt_state_t *us, *ru, *cn;
  assert_int_equal(dt_state_add(sim, "USA", "United States", &us), 0);
  assert_int_equal(dt_state_add(sim, "RUS", "Russia", &ru), 0);
  assert_int_equal(dt_state_add(sim, "CHN", "China", &cn), 0);
  assert_int_equal(us->index, 0);
  assert_int_equal(ru->index, 1);
  assert_int_equal(cn->index, 2);
  assert_int_equal(sim->nstates, 3);
  assert_ptr_equal(sim->states[1], ru);
  assert_ptr_equal(dt_state_find(sim, "CHN"), cn);
  assert_string_equal(ru->name, "Russia");
  assert_int_equal(us->nsystems, 0);
  assert_int_equal(us->human, 0);
  dt_sim_free(sim);
}

static void a_state_without_a_name_is_named_by_its_id(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  dt_state_t *a, *b;
  assert_int_equal(dt_state_add(sim, "UK", NULL, &a), 0);
  assert_int_equal(dt_state_add(sim, "FRA", "", &b), 0);
  assert_string_equal(a->name, "UK");
  assert_string_equal(b->name, "FRA");
  dt_sim_free(sim);
}

static void ids_and_names_are_copied(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  char id[8] = "USA", name[16] = "United States";
  dt_state_t *s;
  assert_int_equal(dt_state_add(sim, id, name, &s), 0);
  strcpy(id, "XXX"); strcpy(name, "gone");
  assert_string_equal(s->id, "USA");
  assert_string_equal(s->name, "United States");
  assert_non_null(dt_state_find(sim, "USA"));
  assert_null(dt_state_find(sim, "XXX"));
  dt_sim_free(sim);
}

static void a_duplicate_id_is_eexist_and_adds_nothing(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  dt_state_t *s = NULL, *dup = NULL;
  assert_int_equal(dt_state_add(sim, "USA", "United States", &s), 0);
  assert_int_equal(dt_state_add(sim, "USA", "Other", &dup), DT_EEXIST);
  assert_null(dup);
  assert_int_equal(sim->nstates, 1);
  assert_string_equal(dt_state_find(sim, "USA")->name, "United States");
  /* Ids are case-sensitive: a different id. */
  assert_int_equal(dt_state_add(sim, "usa", NULL, NULL), 0);
  dt_sim_free(sim);
}

static void an_empty_or_missing_id_is_einval(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  assert_int_equal(dt_state_add(sim, "", "Nowhere", NULL), DT_EINVAL);
  assert_int_equal(dt_state_add(sim, NULL, "Nowhere", NULL), DT_EINVAL);
  assert_int_equal(sim->nstates, 0);
  dt_sim_free(sim);
}

static void finding_an_unknown_state_gives_null(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  assert_null(dt_state_find(sim, "USA"));
  add_states(sim, 0, 3);
  assert_null(dt_state_find(sim, "S3"));
  assert_null(dt_state_find(sim, ""));
  dt_sim_free(sim);
}

static void many_states_keep_their_order_and_ids(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  add_states(sim, 0, 500);
  char id[16];
  for (int i = 0; i < 500; i++) {
    snprintf(id, sizeof id, "S%d", i);
    dt_state_t *s = dt_state_find(sim, id);
    assert_non_null(s);
    assert_int_equal(s->index, i);
    assert_ptr_equal(sim->states[i], s);
  }
  dt_sim_free(sim);
}

/* ---- categories ---- */

static void categories_are_interned_once_in_order(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  assert_int_equal(dt_category_intern(sim, "ICBM"), 0);
  assert_int_equal(dt_category_intern(sim, "SLBM"), 1);
  assert_int_equal(dt_category_intern(sim, "ICBM"), 0);
  assert_int_equal(dt_category_intern(sim, "bomber"), 2);
  assert_int_equal(sim->ncats, 3);
  assert_int_equal(dt_category_find(sim, "SLBM"), 1);
  assert_int_equal(dt_category_find(sim, "SRBM"), -1);
  assert_string_equal(sim->cats[2], "bomber");
  dt_sim_free(sim);
}

static void an_empty_category_name_is_einval(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  assert_int_equal(dt_category_intern(sim, ""), DT_EINVAL);
  assert_int_equal(dt_category_intern(sim, NULL), DT_EINVAL);
  assert_int_equal(sim->ncats, 0);
  dt_sim_free(sim);
}

static void a_sixty_fifth_category_is_erange(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  char name[16];
  for (int i = 0; i < 64; i++) {
    snprintf(name, sizeof name, "cat%d", i);
    assert_int_equal(dt_category_intern(sim, name), i);
  }
  assert_int_equal(dt_category_intern(sim, "one-too-many"), DT_ERANGE);
  assert_int_equal(sim->ncats, 64);
  assert_int_equal(dt_category_find(sim, "one-too-many"), -1);
  /* Known categories still intern to their ids at the limit. */
  assert_int_equal(dt_category_intern(sim, "cat63"), 63);
  assert_int_equal(dt_category_intern(sim, "cat0"), 0);
  dt_sim_free(sim);
}

/* ---- relations ---- */

static void relations_are_interned_once_and_found_by_name(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  assert_int_equal(dt_relation_find(sim, "trust"), -1);
  assert_int_equal(dt_relation_intern(sim, "trust"), 0);
  assert_int_equal(dt_relation_intern(sim, "trade"), 1);
  assert_int_equal(dt_relation_intern(sim, "trust"), 0);
  assert_int_equal(dt_relation_find(sim, "trade"), 1);
  assert_int_equal(sim->nrel, 2);
  assert_int_equal(dt_relation_intern(sim, ""), DT_EINVAL);
  assert_int_equal(dt_relation_intern(sim, NULL), DT_EINVAL);
  assert_int_equal(sim->nrel, 2);
  dt_sim_free(sim);
}

static void relations_default_to_zero_and_are_directed(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  add_states(sim, 0, 3);
  int r = dt_relation_intern(sim, "trust");
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) assert_true(dt_relation_get(sim, r, i, j) == 0.0);
  dt_relation_set(sim, r, 0, 1, 0.25);
  assert_true(dt_relation_get(sim, r, 0, 1) == 0.25);
  assert_true(dt_relation_get(sim, r, 1, 0) == 0.0);   /* a's view of b is not b's of a */
  dt_relation_set(sim, r, 1, 0, -0.5);
  assert_true(dt_relation_get(sim, r, 0, 1) == 0.25);
  assert_true(dt_relation_get(sim, r, 1, 0) == -0.5);
  dt_relation_set(sim, r, 0, 1, 0.75);                 /* overwrite */
  assert_true(dt_relation_get(sim, r, 0, 1) == 0.75);
  int r2 = dt_relation_intern(sim, "trade");
  assert_true(dt_relation_get(sim, r2, 0, 1) == 0.0);  /* relations are separate */
  dt_sim_free(sim);
}

static void relations_with_bad_indices_read_zero_and_ignore_writes(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  add_states(sim, 0, 2);
  int r = dt_relation_intern(sim, "trust");
  dt_relation_set(sim, r, 0, 2, 9.0);      /* no state 2 */
  dt_relation_set(sim, r, -1, 0, 9.0);
  dt_relation_set(sim, r + 1, 0, 1, 9.0);  /* no such relation */
  dt_relation_set(sim, -1, 0, 1, 9.0);
  assert_true(dt_relation_get(sim, r, 0, 2) == 0.0);
  assert_true(dt_relation_get(sim, r, -1, 0) == 0.0);
  assert_true(dt_relation_get(sim, r + 1, 0, 1) == 0.0);
  assert_true(dt_relation_get(sim, -1, 0, 1) == 0.0);
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++) assert_true(dt_relation_get(sim, r, i, j) == 0.0);
  /* A state added later starts at zero even where an earlier write was refused. */
  add_states(sim, 2, 3);
  assert_true(dt_relation_get(sim, r, 0, 2) == 0.0);
  dt_sim_free(sim);
}

static double val(int r, int i, int j) { return r * 10000.0 + i * 100.0 + j + 0.5; }

static void relations_survive_adding_states_after_they_exist(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  add_states(sim, 0, 3);
  int a = dt_relation_intern(sim, "trust"), b = dt_relation_intern(sim, "tension");
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      dt_relation_set(sim, a, i, j, val(a, i, j));
      dt_relation_set(sim, b, i, j, val(b, i, j));
    }
  /* Cross every stride boundary (8, 16, 32, 64, 128). */
  add_states(sim, 3, 130);
  for (int i = 0; i < 130; i++)
    for (int j = 0; j < 130; j++) {
      int old = i < 3 && j < 3;
      assert_true(dt_relation_get(sim, a, i, j) == (old ? val(a, i, j) : 0.0));
      assert_true(dt_relation_get(sim, b, i, j) == (old ? val(b, i, j) : 0.0));
    }
  dt_relation_set(sim, a, 129, 0, 3.0);
  dt_relation_set(sim, a, 0, 129, 4.0);
  assert_true(dt_relation_get(sim, a, 129, 0) == 3.0);
  assert_true(dt_relation_get(sim, a, 0, 129) == 4.0);
  assert_true(dt_relation_get(sim, a, 2, 2) == val(a, 2, 2));
  assert_true(dt_relation_get(sim, b, 129, 0) == 0.0);
  dt_sim_free(sim);
}

static void a_relation_declared_after_many_states_covers_them_all(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  add_states(sim, 0, 20);
  int r = dt_relation_intern(sim, "trust");
  for (int i = 0; i < 20; i++)
    for (int j = 0; j < 20; j++) dt_relation_set(sim, r, i, j, val(r, i, j));
  for (int i = 0; i < 20; i++)
    for (int j = 0; j < 20; j++) assert_true(dt_relation_get(sim, r, i, j) == val(r, i, j));
  dt_sim_free(sim);
}

static void many_relations_keep_their_values_as_the_table_grows(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  add_states(sim, 0, 4);
  char name[16];
  for (int r = 0; r < 40; r++) {
    snprintf(name, sizeof name, "rel%d", r);
    assert_int_equal(dt_relation_intern(sim, name), r);
    for (int i = 0; i < 4; i++)
      for (int j = 0; j < 4; j++) dt_relation_set(sim, r, i, j, val(r, i, j));
  }
  for (int r = 0; r < 40; r++) {
    snprintf(name, sizeof name, "rel%d", r);
    assert_int_equal(dt_relation_find(sim, name), r);
    for (int i = 0; i < 4; i++)
      for (int j = 0; j < 4; j++) assert_true(dt_relation_get(sim, r, i, j) == val(r, i, j));
  }
  dt_sim_free(sim);
}

static void a_reset_drops_relations_and_their_values(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  add_states(sim, 0, 12);
  int r = dt_relation_intern(sim, "trust");
  dt_relation_set(sim, r, 11, 3, 2.0);
  dt_sim_reset(sim, 1);
  assert_int_equal(sim->nrel, 0);
  assert_int_equal(dt_relation_find(sim, "trust"), -1);
  assert_true(dt_relation_get(sim, 0, 0, 0) == 0.0);
  add_states(sim, 0, 12);
  r = dt_relation_intern(sim, "trust");
  for (int i = 0; i < 12; i++)
    for (int j = 0; j < 12; j++) assert_true(dt_relation_get(sim, r, i, j) == 0.0);
  dt_relation_set(sim, r, 11, 3, 5.0);
  add_states(sim, 12, 40);
  assert_true(dt_relation_get(sim, r, 11, 3) == 5.0);
  dt_sim_free(sim);
}

/* States and relations declared alternately, with values written between, and
 * the whole of every matrix compared with a reference after each step. */
enum { NS = 40, NR = 24 };
static double ref[NR][NS][NS];

static void check_all(const dt_sim_t *sim) {
  for (int r = 0; r < sim->nrel; r++)
    for (int i = 0; i < sim->nstates; i++)
      for (int j = 0; j < sim->nstates; j++)
        if (dt_relation_get(sim, r, i, j) != ref[r][i][j])
          fail_msg("rel %d (%d,%d) = %g, want %g (states %d, relations %d)", r, i, j,
                   dt_relation_get(sim, r, i, j), ref[r][i][j], sim->nstates, sim->nrel);
}

static void relations_and_states_interleaved_in_any_order_keep_every_value(void **state) {
  (void)state;
  dt_sim_t *sim = new_sim();
  memset(ref, 0, sizeof ref);
  char name[16];
  int ns = 0, nr = 0, step = 0;
  while (ns < NS || nr < NR) {
    /* Mostly states, sometimes a relation, sometimes several of one kind; the
     * very first declaration is a relation, before any state exists. */
    int add_rel = nr < NR && (ns >= NS || step % 3 == 1 || step % 7 == 0);
    if (step == 0) add_rel = 1;
    if (add_rel) {
      snprintf(name, sizeof name, "r%d", nr);
      assert_int_equal(dt_relation_intern(sim, name), nr);
      nr++;
    } else {
      add_states(sim, ns, ns + 1);
      ns++;
    }
    /* Write a few new values everywhere. */
    for (int r = 0; r < nr && ns > 0; r++) {
      int i = (step * 7 + r) % ns, j = (step * 13 + 3 * r) % ns;
      double v = step * 1000.0 + r + 0.125;
      dt_relation_set(sim, r, i, j, v);
      ref[r][i][j] = v;
    }
    check_all(sim);
    step++;
  }
  assert_int_equal(sim->nstates, NS);
  assert_int_equal(sim->nrel, NR);
  dt_sim_free(sim);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(states_get_indices_in_declaration_order),
    cmocka_unit_test(a_state_without_a_name_is_named_by_its_id),
    cmocka_unit_test(ids_and_names_are_copied),
    cmocka_unit_test(a_duplicate_id_is_eexist_and_adds_nothing),
    cmocka_unit_test(an_empty_or_missing_id_is_einval),
    cmocka_unit_test(finding_an_unknown_state_gives_null),
    cmocka_unit_test(many_states_keep_their_order_and_ids),
    cmocka_unit_test(categories_are_interned_once_in_order),
    cmocka_unit_test(an_empty_category_name_is_einval),
    cmocka_unit_test(a_sixty_fifth_category_is_erange),
    cmocka_unit_test(relations_are_interned_once_and_found_by_name),
    cmocka_unit_test(relations_default_to_zero_and_are_directed),
    cmocka_unit_test(relations_with_bad_indices_read_zero_and_ignore_writes),
    cmocka_unit_test(relations_survive_adding_states_after_they_exist),
    cmocka_unit_test(a_relation_declared_after_many_states_covers_them_all),
    cmocka_unit_test(many_relations_keep_their_values_as_the_table_grows),
    cmocka_unit_test(a_reset_drops_relations_and_their_values),
    cmocka_unit_test(relations_and_states_interleaved_in_any_order_keep_every_value),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
