/* test_queue.c: unit tests of engine/queue.c: ordering by time, priority and
 * scheduling order; cancellation and stale ids; clear and len; and a long
 * randomized comparison against a plain array kept as a reference model. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "errors.h"
#include "queue.h"

static dt_qid_t push(dt_queue_t *q, int64_t time, int32_t prio, int64_t arg)
{
  dt_qid_t id = 0;
  assert_int_equal(dt_queue_push(q, time, prio, 7, NULL, arg, &id), 0);
  assert_true(id != 0);
  return id;
}

static int64_t pop_arg(dt_queue_t *q)
{
  dt_qentry_t e;
  assert_int_equal(dt_queue_pop(q, &e), 1);
  return e.arg;
}

static void an_empty_queue_pops_and_peeks_nothing(void **state)
{
  (void)state;
  dt_queue_t q;
  dt_qentry_t e;
  assert_int_equal(dt_queue_init(&q), 0);
  assert_int_equal(dt_queue_len(&q), 0);
  assert_int_equal(dt_queue_pop(&q, &e), 0);
  assert_int_equal(dt_queue_peek(&q, &e), 0);
  dt_queue_close(&q);
  dt_queue_close(&q);
}

static void entries_come_out_in_time_order(void **state)
{
  (void)state;
  dt_queue_t q;
  dt_queue_init(&q);
  static const int64_t times[] = {50, -3, 7, 1000000, 0, 7 - 1, INT64_MAX,
                                  INT64_MIN, 12};
  for (int i = 0; i < 9; i++)
    push(&q, times[i], 0, times[i]);
  int64_t last = INT64_MIN;
  for (int i = 0; i < 9; i++) {
    int64_t t = pop_arg(&q);
    assert_true(t >= last);
    last = t;
  }
  assert_int_equal(last, INT64_MAX);
  dt_queue_close(&q);
}

static void equal_times_come_out_by_priority_then_insertion(void **state)
{
  (void)state;
  dt_queue_t q;
  dt_queue_init(&q);
  push(&q, 10, 5, 1);
  push(&q, 10, -2, 2);
  push(&q, 10, 5, 3);
  push(&q, 9, 100, 4);
  push(&q, 10, -2, 5);
  push(&q, 10, INT32_MIN, 6);
  push(&q, 10, 5, 7);
  static const int64_t want[] = {4, 6, 2, 5, 1, 3, 7};
  for (int i = 0; i < 7; i++)
    assert_int_equal(pop_arg(&q), want[i]);
  dt_queue_close(&q);
}

static void a_popped_entry_carries_its_whole_payload(void **state)
{
  (void)state;
  dt_queue_t q;
  dt_qentry_t e, p;
  int target;
  dt_qid_t id;
  dt_queue_init(&q);
  assert_int_equal(dt_queue_push(&q, 123, -4, 99, &target, -77, &id), 0);
  assert_int_equal(dt_queue_push(&q, 124, 0, 1, NULL, 0, NULL), 0);
  assert_int_equal(dt_queue_peek(&q, &p), 1);
  assert_int_equal(dt_queue_len(&q), 2);
  assert_int_equal(dt_queue_pop(&q, &e), 1);
  assert_memory_equal(&e, &p, sizeof e);
  assert_int_equal(e.time, 123);
  assert_int_equal(e.prio, -4);
  assert_int_equal(e.kind, 99);
  assert_ptr_equal(e.ptr, &target);
  assert_int_equal(e.arg, -77);
  assert_int_equal(e.id, id);
  assert_int_equal(e.seq, 1);
  assert_int_equal(dt_queue_pop(&q, &e), 1);
  assert_int_equal(e.seq, 2);
  dt_queue_close(&q);
}

static void a_cancelled_entry_never_pops(void **state)
{
  (void)state;
  dt_queue_t q;
  dt_queue_init(&q);
  push(&q, 1, 0, 1);
  dt_qid_t b = push(&q, 2, 0, 2);
  dt_qid_t c = push(&q, 3, 0, 3);
  assert_int_equal(dt_queue_cancel(&q, b), 0);
  assert_int_equal(dt_queue_len(&q), 2);
  assert_int_equal(pop_arg(&q), 1);
  assert_int_equal(dt_queue_cancel(&q, c), 0);
  assert_int_equal(dt_queue_len(&q), 0);
  dt_qentry_t e;
  assert_int_equal(dt_queue_pop(&q, &e), 0);
  assert_int_equal(dt_queue_peek(&q, &e), 0);
  dt_queue_close(&q);
}

static void cancelling_the_first_entry_updates_peek(void **state)
{
  (void)state;
  dt_queue_t q;
  dt_qentry_t e;
  dt_queue_init(&q);
  dt_qid_t a = push(&q, 1, 0, 1);
  dt_qid_t b = push(&q, 2, 0, 2);
  push(&q, 3, 0, 3);
  assert_int_equal(dt_queue_cancel(&q, b), 0);
  assert_int_equal(dt_queue_cancel(&q, a), 0);
  assert_int_equal(dt_queue_peek(&q, &e), 1);
  assert_int_equal(e.arg, 3);
  dt_queue_close(&q);
}

static void cancelling_twice_or_after_pop_is_enoent(void **state)
{
  (void)state;
  dt_queue_t q;
  dt_queue_init(&q);
  dt_qid_t a = push(&q, 1, 0, 1);
  dt_qid_t b = push(&q, 2, 0, 2);
  assert_int_equal(dt_queue_cancel(&q, b), 0);
  assert_int_equal(dt_queue_cancel(&q, b), DT_ENOENT);
  assert_int_equal(pop_arg(&q), 1);
  assert_int_equal(dt_queue_cancel(&q, a), DT_ENOENT);
  assert_int_equal(dt_queue_cancel(&q, 0), DT_ENOENT);
  assert_int_equal(dt_queue_cancel(&q, 12345), DT_ENOENT);
  assert_int_equal(dt_queue_cancel(&q, UINT64_MAX), DT_ENOENT);
  assert_int_equal(dt_queue_cancel(&q, (dt_qid_t)1 << 32), DT_ENOENT);
  assert_int_equal(dt_queue_len(&q), 0);
  dt_queue_close(&q);
}

static void a_stale_id_does_not_cancel_the_entry_reusing_its_slot(void **state)
{
  (void)state;
  dt_queue_t q;
  dt_queue_init(&q);
  dt_qid_t old = push(&q, 1, 0, 1);
  assert_int_equal(pop_arg(&q), 1);
  dt_qid_t fresh = push(&q, 2, 0, 2);
  assert_true(fresh != old);
  assert_int_equal(dt_queue_cancel(&q, old), DT_ENOENT);
  assert_int_equal(dt_queue_len(&q), 1);
  assert_int_equal(dt_queue_cancel(&q, fresh), 0);
  dt_qid_t newer = push(&q, 3, 0, 3);
  assert_int_equal(dt_queue_cancel(&q, fresh), DT_ENOENT);
  assert_int_equal(dt_queue_cancel(&q, old), DT_ENOENT);
  assert_int_equal(dt_queue_len(&q), 1);
  assert_int_equal(pop_arg(&q), 3);
  assert_int_equal(dt_queue_cancel(&q, newer), DT_ENOENT);
  dt_queue_close(&q);
}

static void ids_stay_unique_over_many_reuses(void **state)
{
  (void)state;
  dt_queue_t q;
  enum { N = 20000 };
  dt_qid_t *ids = malloc(N * sizeof *ids);
  assert_non_null(ids);
  dt_queue_init(&q);
  push(&q, 0, 0, 0);
  for (int i = 0; i < N; i++) {
    ids[i] = push(&q, i + 1, 0, i);
    if (i % 3 == 0)
      assert_int_equal(dt_queue_cancel(&q, ids[i]), 0);
    else
      pop_arg(&q);
  }
  for (int i = 0; i < N; i++) {
    for (int j = i + 1; j < N && j < i + 50; j++)
      assert_true(ids[i] != ids[j]);
  }
  for (int i = 0; i < N - 2; i++)
    assert_int_equal(dt_queue_cancel(&q, ids[i]), DT_ENOENT);
  free(ids);
  dt_queue_close(&q);
}

static void clear_empties_the_queue_and_restarts_seq(void **state)
{
  (void)state;
  dt_queue_t q;
  dt_qentry_t e;
  dt_queue_init(&q);
  dt_qid_t ids[100];
  for (int i = 0; i < 100; i++)
    ids[i] = push(&q, 100 - i, 0, i);
  assert_int_equal(dt_queue_cancel(&q, ids[5]), 0);
  dt_queue_clear(&q);
  assert_int_equal(dt_queue_len(&q), 0);
  assert_int_equal(dt_queue_pop(&q, &e), 0);
  assert_int_equal(dt_queue_peek(&q, &e), 0);
  dt_qid_t fresh = push(&q, 5, 0, 1000);
  for (int i = 0; i < 100; i++)
    assert_int_equal(dt_queue_cancel(&q, ids[i]), DT_ENOENT);
  assert_int_equal(dt_queue_len(&q), 1);
  assert_int_equal(dt_queue_pop(&q, &e), 1);
  assert_int_equal(e.arg, 1000);
  assert_int_equal(e.seq, 1);
  assert_int_equal(e.id, fresh);
  dt_queue_close(&q);
}

static void len_counts_only_live_entries(void **state)
{
  (void)state;
  dt_queue_t q;
  dt_queue_init(&q);
  dt_qid_t ids[1000];
  for (int i = 0; i < 1000; i++)
    ids[i] = push(&q, i % 17, i % 3, i);
  assert_int_equal(dt_queue_len(&q), 1000);
  /* Cancelling most entries also exercises compaction of the heap. */
  for (int i = 0; i < 1000; i++) {
    if (i % 10 != 0)
      assert_int_equal(dt_queue_cancel(&q, ids[i]), 0);
  }
  assert_int_equal(dt_queue_len(&q), 100);
  int64_t lt = INT64_MIN;
  for (int i = 0; i < 100; i++) {
    dt_qentry_t e;
    assert_int_equal(dt_queue_pop(&q, &e), 1);
    assert_true(e.arg % 10 == 0);
    assert_true(e.time >= lt);
    lt = e.time;
  }
  assert_int_equal(dt_queue_len(&q), 0);
  dt_queue_close(&q);
}

/* The reference model: every pushed entry with a flag, searched linearly. */
typedef struct ref_entry {
  int64_t time;
  int32_t prio;
  uint64_t seq;
  int64_t arg;
  dt_qid_t id;
  int live;
} ref_entry;

static uint64_t lcg(uint64_t *x)
{
  *x = *x * 6364136223846793005u + 1442695040888963407u;
  return *x >> 33;
}

static int ref_first(const ref_entry *r, size_t n)
{
  int best = -1;
  for (size_t i = 0; i < n; i++) {
    if (!r[i].live)
      continue;
    if (best < 0 || r[i].time < r[best].time ||
        (r[i].time == r[best].time &&
         (r[i].prio < r[best].prio ||
          (r[i].prio == r[best].prio && r[i].seq < r[best].seq))))
      best = (int)i;
  }
  return best;
}

static void random_operations_match_a_reference_model(void **state)
{
  (void)state;
  enum { OPS = 40000, CAP = 40000 };
  ref_entry *ref = calloc(CAP, sizeof *ref);
  assert_non_null(ref);
  size_t nref = 0, live = 0;
  uint64_t seq = 0, x = 2024;
  dt_queue_t q;
  dt_queue_init(&q);
  for (int op = 0; op < OPS; op++) {
    unsigned r = (unsigned)(lcg(&x) % 100);
    /* Phases bias toward growing, then shrinking, to vary the size. */
    int grow = (op / 4000) % 2 == 0;
    dt_qentry_t e;
    if (r < (grow ? 50u : 25u) && nref < CAP) {
      int64_t t = (int64_t)(lcg(&x) % 50);
      int32_t p = (int32_t)(lcg(&x) % 3) - 1;
      dt_qid_t id;
      assert_int_equal(dt_queue_push(&q, t, p, 0, NULL, op, &id), 0);
      ref[nref] = (ref_entry){t, p, ++seq, op, id, 1};
      nref++;
      live++;
    } else if (r < 75) {
      int b = ref_first(ref, nref);
      int got = dt_queue_pop(&q, &e);
      if (b < 0) {
        assert_int_equal(got, 0);
      } else {
        assert_int_equal(got, 1);
        assert_int_equal(e.arg, ref[b].arg);
        assert_int_equal(e.seq, ref[b].seq);
        assert_int_equal(e.id, ref[b].id);
        ref[b].live = 0;
        live--;
      }
    } else if (r < 95 && nref > 0) {
      /* Cancel any entry ever pushed since the last clear: live or not. */
      size_t k = (size_t)(lcg(&x) % nref);
      int rc = dt_queue_cancel(&q, ref[k].id);
      assert_int_equal(rc, ref[k].live ? 0 : DT_ENOENT);
      if (ref[k].live) {
        ref[k].live = 0;
        live--;
      }
    } else if (r < 99) {
      int b = ref_first(ref, nref);
      int got = dt_queue_peek(&q, &e);
      assert_int_equal(got, b >= 0);
      if (b >= 0)
        assert_int_equal(e.id, ref[b].id);
    } else if (lcg(&x) % 20 == 0) {
      dt_queue_clear(&q);
      for (size_t i = 0; i < nref; i++) {
        if (ref[i].live)
          ref[i].live = 0;
      }
      for (size_t i = 0; i < nref; i++)
        assert_int_equal(dt_queue_cancel(&q, ref[i].id), DT_ENOENT);
      nref = 0;
      live = 0;
      seq = 0;
    }
    assert_int_equal(dt_queue_len(&q), live);
  }
  /* Drain and check the rest. */
  for (;;) {
    dt_qentry_t e;
    int b = ref_first(ref, nref);
    int got = dt_queue_pop(&q, &e);
    assert_int_equal(got, b >= 0);
    if (b < 0)
      break;
    assert_int_equal(e.id, ref[b].id);
    ref[b].live = 0;
  }
  free(ref);
  dt_queue_close(&q);
}

static void a_slot_whose_generation_is_exhausted_is_never_reused(void **state)
{
  (void)state;
  /* Reaching the last generation honestly takes 2^32 reuses, so this test
   * sets it through the private fields. */
  dt_queue_t q;
  dt_queue_init(&q);
  dt_qid_t a = push(&q, 1, 0, 1);
  assert_int_equal(a & UINT32_MAX, 1);
  q.slots[0].gen = UINT32_MAX - 1;
  assert_int_equal(pop_arg(&q), 1);
  dt_qid_t b = push(&q, 2, 0, 2);
  assert_int_equal(b & UINT32_MAX, 2);
  assert_int_equal(dt_queue_cancel(&q, ((dt_qid_t)UINT32_MAX << 32) | 1),
                   DT_ENOENT);
  dt_queue_clear(&q);
  dt_qid_t c = push(&q, 3, 0, 3);
  assert_true((c & UINT32_MAX) != 1);
  assert_int_equal(pop_arg(&q), 3);
  dt_queue_close(&q);
}

static void a_closed_queue_can_be_initialised_again(void **state)
{
  (void)state;
  dt_queue_t q;
  dt_queue_init(&q);
  for (int i = 0; i < 500; i++)
    push(&q, i, 0, i);
  dt_queue_close(&q);
  assert_int_equal(dt_queue_init(&q), 0);
  push(&q, 1, 0, 1);
  assert_int_equal(pop_arg(&q), 1);
  dt_queue_close(&q);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(an_empty_queue_pops_and_peeks_nothing),
    cmocka_unit_test(entries_come_out_in_time_order),
    cmocka_unit_test(equal_times_come_out_by_priority_then_insertion),
    cmocka_unit_test(a_popped_entry_carries_its_whole_payload),
    cmocka_unit_test(a_cancelled_entry_never_pops),
    cmocka_unit_test(cancelling_the_first_entry_updates_peek),
    cmocka_unit_test(cancelling_twice_or_after_pop_is_enoent),
    cmocka_unit_test(a_stale_id_does_not_cancel_the_entry_reusing_its_slot),
    cmocka_unit_test(ids_stay_unique_over_many_reuses),
    cmocka_unit_test(clear_empties_the_queue_and_restarts_seq),
    cmocka_unit_test(len_counts_only_live_entries),
    cmocka_unit_test(random_operations_match_a_reference_model),
    cmocka_unit_test(a_slot_whose_generation_is_exhausted_is_never_reused),
    cmocka_unit_test(a_closed_queue_can_be_initialised_again),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
