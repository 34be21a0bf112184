/* test_arena.c: unit tests of engine/arena.c: zeroed, aligned and disjoint
 * allocations, requests larger than a block, string copies, growing arrays,
 * reset keeping the first block, close freeing everything, and requests too
 * large to satisfy failing with NULL. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

static int all_zero(const void *p, size_t n) {
  const unsigned char *c = p;
  for (size_t i = 0; i < n; i++) if (c[i]) return 0;
  return 1;
}

static void a_new_arena_is_empty_and_closing_it_twice_is_safe(void **state) {
  (void)state;
  dt_arena_t a;
  dt_arena_init(&a);
  assert_null(a.head);
  assert_int_equal(a.used_total, 0);
  dt_arena_reset(&a);
  dt_arena_close(&a);
  dt_arena_close(&a);
}

static void allocations_are_zeroed_aligned_and_disjoint(void **state) {
  (void)state;
  dt_arena_t a;
  dt_arena_init(&a);
  enum { N = 2000 };
  static unsigned char *p[N];
  static size_t n[N];
  for (int i = 0; i < N; i++) {
    n[i] = (size_t)(i * 37 % 301);     /* 0 .. 300 bytes, over many blocks */
    p[i] = dt_arena_alloc(&a, n[i]);
    assert_non_null(p[i]);
    assert_int_equal((uintptr_t)p[i] % alignof(max_align_t), 0);
    assert_true(all_zero(p[i], n[i]));
    memset(p[i], i % 251 + 1, n[i]);
  }
  /* Every area still holds its own pattern: no two overlap. */
  for (int i = 0; i < N; i++)
    for (size_t k = 0; k < n[i]; k++)
      if (p[i][k] != (unsigned char)(i % 251 + 1)) fail_msg("area %d overwritten at %zu", i, k);
  assert_true(a.used_total >= 300 * (N / 2));
  dt_arena_close(&a);
  assert_null(a.head);
  assert_int_equal(a.used_total, 0);
}

static void a_zero_byte_request_gets_its_own_address(void **state) {
  (void)state;
  dt_arena_t a;
  dt_arena_init(&a);
  void *x = dt_arena_alloc(&a, 0), *y = dt_arena_alloc(&a, 0);
  assert_non_null(x);
  assert_non_null(y);
  assert_ptr_not_equal(x, y);
  dt_arena_close(&a);
}

static void a_request_larger_than_a_block_gets_a_block_of_its_own(void **state) {
  (void)state;
  dt_arena_t a;
  dt_arena_init(&a);
  /* Fill the first block exactly, so the next one (32 KiB) becomes the head. */
  assert_non_null(dt_arena_alloc(&a, 16 * 1024));
  unsigned char *small = dt_arena_alloc(&a, 100);
  size_t big_n = 3u * 1024 * 1024;
  unsigned char *big = dt_arena_alloc(&a, big_n);
  assert_non_null(big);
  assert_true(all_zero(big, big_n));
  memset(big, 0xAB, big_n);
  unsigned char *after = dt_arena_alloc(&a, 100);
  assert_non_null(after);
  memset(after, 0xCD, 100);
  assert_true(all_zero(small, 100));
  assert_int_equal(big[0], 0xAB);
  assert_int_equal(big[big_n - 1], 0xAB);
  /* A big request behind a block with room left does not waste that room:
   * the next small request still comes from the first block. */
  assert_ptr_equal(after, small + 112);
  dt_arena_close(&a);
}

static void requests_too_large_to_satisfy_return_null(void **state) {
  (void)state;
  dt_arena_t a;
  dt_arena_init(&a);
  assert_non_null(dt_arena_alloc(&a, 10));
  size_t used = a.used_total;
  assert_null(dt_arena_alloc(&a, SIZE_MAX));
  assert_null(dt_arena_alloc(&a, SIZE_MAX - 8));
  assert_int_equal(a.used_total, used);
  assert_null(dt_arena_grow(&a, NULL, 0, SIZE_MAX));
  /* The arena still works afterwards. */
  char *s = dt_arena_strdup(&a, "still here");
  assert_string_equal(s, "still here");
  dt_arena_close(&a);
}

static void strdup_copies_the_string(void **state) {
  (void)state;
  dt_arena_t a;
  dt_arena_init(&a);
  char buf[16] = "New START";
  char *c = dt_arena_strdup(&a, buf);
  char *e = dt_arena_strdup(&a, "");
  buf[0] = 'X';
  assert_string_equal(c, "New START");
  assert_ptr_not_equal(c, buf);
  assert_string_equal(e, "");
  dt_arena_close(&a);
}

static void growing_copies_the_old_contents_and_zeroes_the_rest(void **state) {
  (void)state;
  dt_arena_t a;
  dt_arena_init(&a);
  int *v = dt_arena_grow(&a, NULL, 0, 4 * sizeof(int));
  assert_non_null(v);
  for (int i = 0; i < 4; i++) v[i] = i + 1;
  int *w = dt_arena_grow(&a, v, 4 * sizeof(int), 100000 * sizeof(int));
  assert_non_null(w);
  assert_ptr_not_equal(v, w);
  for (int i = 0; i < 4; i++) assert_int_equal(w[i], i + 1);
  assert_true(all_zero(w + 4, (100000 - 4) * sizeof(int)));
  assert_int_equal(v[3], 4);                /* the old area is left as it was */
  int *s = dt_arena_grow(&a, w, 100000 * sizeof(int), 2 * sizeof(int));  /* shrink */
  assert_int_equal(s[0], 1);
  assert_int_equal(s[1], 2);
  dt_arena_close(&a);
}

static void reset_keeps_the_first_block_for_the_next_run(void **state) {
  (void)state;
  dt_arena_t a;
  dt_arena_init(&a);
  void *first = dt_arena_alloc(&a, 64);
  for (int i = 0; i < 200; i++) assert_non_null(dt_arena_alloc(&a, 10000));
  assert_true(a.used_total > 2000000);
  dt_arena_reset(&a);
  assert_int_equal(a.used_total, 0);
  void *again = dt_arena_alloc(&a, 64);
  assert_ptr_equal(again, first);
  assert_true(all_zero(again, 64));         /* reused memory comes back zeroed */
  /* Many runs in a row neither leak nor fail. */
  for (int run = 0; run < 20; run++) {
    for (int i = 0; i < 100; i++) memset(dt_arena_alloc(&a, 5000), 0xFF, 5000);
    dt_arena_reset(&a);
    assert_ptr_equal(dt_arena_alloc(&a, 64), first);
  }
  dt_arena_close(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_new_arena_is_empty_and_closing_it_twice_is_safe),
    cmocka_unit_test(allocations_are_zeroed_aligned_and_disjoint),
    cmocka_unit_test(a_zero_byte_request_gets_its_own_address),
    cmocka_unit_test(a_request_larger_than_a_block_gets_a_block_of_its_own),
    cmocka_unit_test(requests_too_large_to_satisfy_return_null),
    cmocka_unit_test(strdup_copies_the_string),
    cmocka_unit_test(growing_copies_the_old_contents_and_zeroes_the_rest),
    cmocka_unit_test(reset_keeps_the_first_block_for_the_next_run),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
