/* failmem_shim.c: an LD_PRELOAD library for tests/cli/merge_oom.sh. malloc,
 * calloc and realloc refuse (NULL, errno ENOMEM) every request of FAILMEM_MIN
 * bytes or more, as an allocator does when memory has run out; smaller ones go
 * to the C library's allocator (free needs no wrapper: it is the same heap).
 * Each refusal appends "refused N" to the file FAILMEM_LOG (when set), so a
 * test can tell that the program met a failed allocation. No allocation
 * happens inside the wrappers: getenv, open and write only. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);

static size_t min_refused(void) {
  static size_t min;
  static int read;
  if (!read) {
    const char *e = getenv("FAILMEM_MIN");
    min = e ? (size_t)strtoull(e, NULL, 10) : 0;
    read = 1;
  }
  return min;
}

/* 1 (and a line in the log) when a request of n bytes is refused. */
static int refuse(size_t n) {
  size_t min = min_refused();
  if (!min || n < min) return 0;
  const char *log = getenv("FAILMEM_LOG");
  if (log) {
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      char line[48];
      int len = snprintf(line, sizeof line, "refused %zu\n", n);
      if (len > 0 && write(fd, line, (size_t)len) < 0) { /* the test sees no line */ }
      close(fd);
    }
  }
  errno = ENOMEM;
  return 1;
}

void *malloc(size_t n) { return refuse(n) ? NULL : __libc_malloc(n); }

void *calloc(size_t n, size_t size) {
  size_t total;
  if (__builtin_mul_overflow(n, size, &total)) total = (size_t)-1;
  return refuse(total) ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t n) { return refuse(n) ? NULL : __libc_realloc(p, n); }
