/* journal.c: framing, batching and durability of the session journal
 * (journal.h). Plain C on POSIX and zlib's crc32; it does not interpret
 * payloads, and it never acknowledges anything itself. */
#include "journal.h"
#include "errors.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

enum { MAGIC_LEN = 8, HDR = 8 };

static void put32(unsigned char *b, uint32_t v) {
  b[0] = (unsigned char)v; b[1] = (unsigned char)(v >> 8);
  b[2] = (unsigned char)(v >> 16); b[3] = (unsigned char)(v >> 24);
}
static uint32_t get32(const unsigned char *b) {
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static int write_all(int fd, const unsigned char *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0) { if (errno == EINTR) continue; return DT_EIO; }
    p += w; n -= (size_t)w;
  }
  return 0;
}

static void init(dt_journal_t *j) { memset(j, 0, sizeof *j); j->fd = -1; }

int dt_journal_create(dt_journal_t *j, const char *path) {
  init(j);
  j->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (j->fd < 0) return DT_EIO;
  if (write_all(j->fd, (const unsigned char *)DT_JOURNAL_MAGIC, MAGIC_LEN) || fdatasync(j->fd)) {
    dt_journal_close(j);
    return DT_EIO;
  }
  j->size = MAGIC_LEN;
  return 0;
}

int dt_journal_reopen(dt_journal_t *j, const char *path, uint64_t valid_end) {
  init(j);
  if (valid_end < MAGIC_LEN) return DT_EIO;
  j->fd = open(path, O_WRONLY | O_CLOEXEC);
  if (j->fd < 0) return DT_EIO;
  if (ftruncate(j->fd, (off_t)valid_end) || lseek(j->fd, 0, SEEK_END) < 0 || fdatasync(j->fd)) {
    dt_journal_close(j);
    return DT_EIO;
  }
  j->size = valid_end;
  return 0;
}

int dt_journal_append(dt_journal_t *j, const void *p, size_t n) {
  if (n == 0 || n > DT_JOURNAL_MAXREC) return DT_EINVAL;
  if (j->len + HDR + n > j->cap) {
    size_t nc = j->cap ? j->cap : 4096;
    while (nc < j->len + HDR + n) nc *= 2;
    unsigned char *b = realloc(j->buf, nc);
    if (!b) return DT_ENOMEM;
    j->buf = b; j->cap = nc;
  }
  put32(j->buf + j->len, (uint32_t)n);
  put32(j->buf + j->len + 4, (uint32_t)crc32(0L, p, (uInt)n));
  memcpy(j->buf + j->len + HDR, p, n);
  j->len += HDR + n;
  j->pending++;
  return 0;
}

int dt_journal_sync(dt_journal_t *j) {
  if (j->fd < 0) return DT_EIO;
  if (!j->len) return 0;
  if (write_all(j->fd, j->buf, j->len)) return DT_EIO;
  if (!j->nosync && fdatasync(j->fd)) return DT_EIO;
  j->size += j->len;
  j->records += j->pending;
  j->len = 0; j->pending = 0;
  return 0;
}

void dt_journal_close(dt_journal_t *j) {
  if (j->fd >= 0) close(j->fd);
  free(j->buf);
  init(j);
}

/* 1 if a whole, valid record starts at off. */
static int valid_at(const unsigned char *d, uint64_t size, uint64_t off) {
  if (off + HDR > size) return 0;
  uint32_t n = get32(d + off);
  if (n == 0 || n > DT_JOURNAL_MAXREC || off + HDR + n > size) return 0;
  return (uint32_t)crc32(0L, d + off + HDR, n) == get32(d + off + 4);
}

/* 1 if any valid record starts after off (a corrupt middle, not a torn tail).
 * Checks every byte offset: the bad record's own length cannot be trusted. */
static int valid_after(const unsigned char *d, uint64_t size, uint64_t off) {
  for (uint64_t o = off + 1; o + HDR < size; o++)
    if (valid_at(d, size, o)) return 1;
  return 0;
}

int dt_journal_scan(const char *path, dt_journal_cb cb, void *ud, dt_journal_scan_t *res) {
  memset(res, 0, sizeof *res);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return DT_EIO;
  struct stat st;
  if (fstat(fd, &st)) { close(fd); return DT_EIO; }
  uint64_t size = (uint64_t)st.st_size;
  unsigned char *d = malloc(size ? size : 1);
  if (!d) { close(fd); return DT_ENOMEM; }
  uint64_t got = 0;
  while (got < size) {
    ssize_t r = read(fd, d + got, size - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) { free(d); close(fd); return DT_EIO; }
    got += (uint64_t)r;
  }
  close(fd);
  res->file_size = size;
  int rc = 0;
  if (size < MAGIC_LEN || memcmp(d, DT_JOURNAL_MAGIC, MAGIC_LEN)) {
    res->bad_offset = 0;
    free(d);
    return DT_EPARSE;
  }
  uint64_t off = MAGIC_LEN;
  while (off < size) {
    if (!valid_at(d, size, off)) {
      if (valid_after(d, size, off)) { res->bad_offset = off; rc = DT_EPARSE; }
      else res->torn = 1;
      break;
    }
    uint32_t n = get32(d + off);
    if (cb && (rc = cb(d + off + HDR, n, off, ud)) != 0) break;
    off += HDR + n;
    res->records++;
    res->valid_end = off;
  }
  if (res->valid_end == 0) res->valid_end = MAGIC_LEN;
  free(d);
  return rc;
}
