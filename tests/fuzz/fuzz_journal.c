/* fuzz_journal.c: the session journal's reader on any file contents: torn
 * tails and corrupt records are reported, never read past. */
#include "journal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int count(const unsigned char *p, size_t n, uint64_t off, void *ud) {
  (void)off;
  size_t *total = ud;
  for (size_t i = 0; i < n; i++) *total += p[i];   /* touch every byte */
  return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n) {
  static char path[64];
  if (!path[0]) snprintf(path, sizeof path, "/tmp/dt-fuzz-journal-%d", (int)getpid());
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  fwrite(data, 1, n, f);
  fclose(f);
  dt_journal_scan_t res;
  size_t total = 0;
  memset(&res, 0, sizeof res);
  dt_journal_scan(path, count, &total, &res);
  if (res.valid_end > res.file_size) abort();
  return 0;
}
