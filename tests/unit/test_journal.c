/* test_journal.c: unit tests of engine/journal.c: records survive a reopen in
 * order, a torn last record is detected and dropped, a corrupt record followed
 * by valid ones is refused with its offset, and appending resumes after the
 * valid prefix. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "journal.h"

typedef struct seen { int n; char recs[64][64]; uint64_t offs[64]; } seen_t;

static int collect(const unsigned char *p, size_t n, uint64_t off, void *ud) {
  seen_t *s = ud;
  if (s->n >= 64 || n >= 64) return -99;
  memcpy(s->recs[s->n], p, n); s->recs[s->n][n] = 0;
  s->offs[s->n++] = off;
  return 0;
}

static char *tmppath(void) {
  static char path[64];
  strcpy(path, "/tmp/dtjXXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  return path;
}

static void write3(const char *path) {
  dt_journal_t j;
  assert_int_equal(dt_journal_create(&j, path), 0);
  assert_int_equal(dt_journal_append(&j, "one", 3), 0);
  assert_int_equal(dt_journal_append(&j, "two", 3), 0);
  assert_int_equal(dt_journal_sync(&j), 0);
  assert_int_equal(dt_journal_append(&j, "three", 5), 0);
  assert_int_equal(dt_journal_sync(&j), 0);
  assert_int_equal(j.records, 3);
  dt_journal_close(&j);
}

static long fsize(const char *path) {
  FILE *f = fopen(path, "rb");
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fclose(f);
  return n;
}

static void records_are_read_back_in_order(void **state) {
  (void)state;
  char *path = tmppath();
  write3(path);
  seen_t s = { 0 };
  dt_journal_scan_t r;
  assert_int_equal(dt_journal_scan(path, collect, &s, &r), 0);
  assert_int_equal(s.n, 3);
  assert_string_equal(s.recs[0], "one");
  assert_string_equal(s.recs[2], "three");
  assert_int_equal(r.torn, 0);
  assert_int_equal(r.valid_end, (uint64_t)fsize(path));
  unlink(path);
}

static void empty_records_are_refused(void **state) {
  (void)state;
  char *path = tmppath();
  dt_journal_t j;
  assert_int_equal(dt_journal_create(&j, path), 0);
  assert_int_equal(dt_journal_append(&j, "", 0), DT_EINVAL);
  dt_journal_close(&j);
  unlink(path);
}

static void a_torn_last_record_is_dropped(void **state) {
  (void)state;
  char *path = tmppath();
  write3(path);
  long full = fsize(path);
  for (long cut = 1; cut < 13; cut++) {
    write3(path);
    assert_int_equal(truncate(path, full - cut), 0);
    seen_t s = { 0 };
    dt_journal_scan_t r;
    assert_int_equal(dt_journal_scan(path, collect, &s, &r), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(r.torn, 1);
    assert_int_equal(r.valid_end, (uint64_t)full - 13);
  }
  unlink(path);
}

static void a_garbled_last_record_is_a_torn_tail(void **state) {
  (void)state;
  char *path = tmppath();
  write3(path);
  int fd = open(path, O_WRONLY);
  assert_true(fd >= 0);
  assert_int_equal(pwrite(fd, "X", 1, fsize(path) - 1), 1);
  close(fd);
  seen_t s = { 0 };
  dt_journal_scan_t r;
  assert_int_equal(dt_journal_scan(path, collect, &s, &r), 0);
  assert_int_equal(s.n, 2);
  assert_int_equal(r.torn, 1);
  unlink(path);
}

static void a_corrupt_record_before_valid_ones_names_its_offset(void **state) {
  (void)state;
  char *path = tmppath();
  write3(path);
  seen_t s0 = { 0 };
  dt_journal_scan_t r;
  assert_int_equal(dt_journal_scan(path, collect, &s0, &r), 0);
  int fd = open(path, O_WRONLY);
  assert_true(fd >= 0);
  assert_int_equal(pwrite(fd, "T", 1, (off_t)s0.offs[1] + 8), 1);   /* "two" -> "Two" */
  close(fd);
  seen_t s = { 0 };
  assert_int_equal(dt_journal_scan(path, collect, &s, &r), DT_EPARSE);
  assert_int_equal(r.bad_offset, s0.offs[1]);
  assert_int_equal(s.n, 1);
  unlink(path);
}

static void a_file_without_the_magic_is_refused(void **state) {
  (void)state;
  char *path = tmppath();
  FILE *f = fopen(path, "w");
  fputs("hello world\n", f);
  fclose(f);
  dt_journal_scan_t r;
  assert_int_equal(dt_journal_scan(path, NULL, NULL, &r), DT_EPARSE);
  assert_int_equal(dt_journal_scan("/nonexistent/j", NULL, NULL, &r), DT_EIO);
  unlink(path);
}

static void appending_resumes_after_the_valid_prefix(void **state) {
  (void)state;
  char *path = tmppath();
  write3(path);
  assert_int_equal(truncate(path, fsize(path) - 2), 0);
  dt_journal_scan_t r;
  assert_int_equal(dt_journal_scan(path, NULL, NULL, &r), 0);
  assert_int_equal(r.records, 2);
  dt_journal_t j;
  assert_int_equal(dt_journal_reopen(&j, path, r.valid_end), 0);
  assert_int_equal(dt_journal_append(&j, "four", 4), 0);
  assert_int_equal(dt_journal_sync(&j), 0);
  dt_journal_close(&j);
  seen_t s = { 0 };
  assert_int_equal(dt_journal_scan(path, collect, &s, &r), 0);
  assert_int_equal(s.n, 3);
  assert_string_equal(s.recs[2], "four");
  assert_int_equal(r.torn, 0);
  unlink(path);
}

/* Stops the scan at the second record: returns -77 there. */
static int stop_at_two(const unsigned char *p, size_t n, uint64_t off, void *ud) {
  (void)p; (void)n; (void)off;
  int *calls = ud;
  return ++*calls == 2 ? -77 : 0;
}

static void a_callback_can_stop_the_scan(void **state) {
  (void)state;
  char *path = tmppath();
  write3(path);
  seen_t s = { .n = 64 };
  dt_journal_scan_t r;
  assert_int_equal(dt_journal_scan(path, collect, &s, &r), -99);
  /* The scan stops where the callback says: the third record is never read. */
  int calls = 0;
  assert_int_equal(dt_journal_scan(path, stop_at_two, &calls, &r), -77);
  assert_int_equal(calls, 2);
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(records_are_read_back_in_order),
    cmocka_unit_test(empty_records_are_refused),
    cmocka_unit_test(a_torn_last_record_is_dropped),
    cmocka_unit_test(a_garbled_last_record_is_a_torn_tail),
    cmocka_unit_test(a_corrupt_record_before_valid_ones_names_its_offset),
    cmocka_unit_test(a_file_without_the_magic_is_refused),
    cmocka_unit_test(appending_resumes_after_the_valid_prefix),
    cmocka_unit_test(a_callback_can_stop_the_scan),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
