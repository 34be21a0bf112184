/* dura_shim.c: an LD_PRELOAD library for tests/cli/serve_durability.sh. It
 * wraps write, writev, send, sendmsg, fsync and fdatasync: records, in order,
 * every write to and sync of the journal (the file named by DURA_JOURNAL) and
 * every write to a socket (with whether it carries an "ack"), one line each,
 * to DURA_LOG; and, with DURA_FAIL=CALL:ERRNO:N (CALL fdatasync or write,
 * ERRNO EIO or ENOSPC), makes the Nth such call on the journal fail with that
 * error from then on. It tests the promise (docs/protocol.md: nothing leaves
 * the server before it is on disk; a failed sync stops it) from outside,
 * without knowing how the server is built. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_send)(int, const void *, size_t, int);
static ssize_t (*real_sendmsg)(int, const struct msghdr *, int);
static int (*real_fdatasync)(int);
static int (*real_fsync)(int);
static int logfd = -1;
static const char *journal;
static char fail_call[16];
static int fail_errno, fail_at, seen_sync, seen_write;

__attribute__((constructor)) static void init(void) {
  real_write = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
  real_writev = (ssize_t (*)(int, const struct iovec *, int))dlsym(RTLD_NEXT, "writev");
  real_send = (ssize_t (*)(int, const void *, size_t, int))dlsym(RTLD_NEXT, "send");
  real_sendmsg = (ssize_t (*)(int, const struct msghdr *, int))dlsym(RTLD_NEXT, "sendmsg");
  real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  const char *lp = getenv("DURA_LOG");
  if (lp) logfd = open(lp, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  journal = getenv("DURA_JOURNAL");
  const char *f = getenv("DURA_FAIL");
  if (f) {
    char e[16] = "";
    if (sscanf(f, "%15[^:]:%15[^:]:%d", fail_call, e, &fail_at) == 3)
      fail_errno = !strcmp(e, "ENOSPC") ? ENOSPC : EIO;
  }
}

static void logf_(const char *fmt, ...) {
  if (logfd < 0) return;
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > 0) real_write(logfd, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static int is_journal(int fd) {
  if (!journal || fd == logfd) return 0;
  char p[64], target[4096];
  snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(p, target, sizeof target - 1);
  if (n <= 0) return 0;
  target[n] = 0;
  const char *base = strrchr(target, '/');
  return base && !strcmp(base + 1, journal);
}

static int is_socket(int fd) {
  struct stat st;
  return fd != logfd && fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

static int has_ack(const void *p, size_t n) {
  return memmem(p, n, "\"type\":\"ack\"", 12) != NULL;
}

static int inject(const char *call, int *counter) {
  if (!fail_errno || strcmp(fail_call, call)) return 0;
  return ++*counter >= fail_at;
}

ssize_t write(int fd, const void *p, size_t n) {
  if (is_journal(fd)) {
    if (inject("write", &seen_write)) {
      logf_("journal-write-failed %zu\n", n);
      errno = fail_errno;
      return -1;
    }
    logf_("journal-write %zu\n", n);
  } else if (is_socket(fd)) {
    logf_("socket-write %d %zu%s\n", fd, n, has_ack(p, n) ? " ack" : "");
  }
  return real_write(fd, p, n);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt) {
  if (is_journal(fd)) {
    size_t n = 0;
    for (int i = 0; i < cnt; i++) n += iov[i].iov_len;
    if (inject("write", &seen_write)) {
      logf_("journal-write-failed %zu\n", n);
      errno = fail_errno;
      return -1;
    }
    logf_("journal-write %zu\n", n);
  } else if (is_socket(fd)) {
    size_t n = 0;
    int ack = 0;
    for (int i = 0; i < cnt; i++) {
      n += iov[i].iov_len;
      ack |= has_ack(iov[i].iov_base, iov[i].iov_len);
    }
    logf_("socket-write %d %zu%s\n", fd, n, ack ? " ack" : "");
  }
  return real_writev(fd, iov, cnt);
}

ssize_t send(int fd, const void *p, size_t n, int flags) {
  logf_("socket-write %d %zu%s\n", fd, n, has_ack(p, n) ? " ack" : "");
  return real_send(fd, p, n, flags);
}

ssize_t sendmsg(int fd, const struct msghdr *m, int flags) {
  size_t n = 0;
  int ack = 0;
  for (size_t i = 0; i < m->msg_iovlen; i++) {
    n += m->msg_iov[i].iov_len;
    ack |= has_ack(m->msg_iov[i].iov_base, m->msg_iov[i].iov_len);
  }
  logf_("socket-write %d %zu%s\n", fd, n, ack ? " ack" : "");
  return real_sendmsg(fd, m, flags);
}

static int sync_call(int fd, int (*real)(int), const char *name) {
  if (is_journal(fd)) {
    if (inject("fdatasync", &seen_sync)) {
      logf_("journal-sync-failed\n");
      errno = fail_errno;
      return -1;
    }
    int rc = real(fd);
    logf_("journal-sync %s %d\n", name, rc);
    return rc;
  }
  return real(fd);
}

int fdatasync(int fd) { return sync_call(fd, real_fdatasync, "fdatasync"); }
int fsync(int fd) { return sync_call(fd, real_fsync, "fsync"); }
