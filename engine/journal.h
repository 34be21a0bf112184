/* journal.h: an append-only file of records, each framed with its length and a
 * CRC-32 (zlib), made durable in batches with fdatasync. The journal knows
 * nothing of what a record means (serve.c stores one JSON object per record).
 *
 * File layout: the 8-byte magic "DTJRNL1\n", then records:
 *   u32 length (little-endian, 1 .. DT_JOURNAL_MAXREC), u32 CRC-32 of the
 *   payload (little-endian), payload bytes.
 * A record that runs past the end of the file, or whose CRC fails with nothing
 * valid after it, is a torn tail (a crash during the last write); a bad record
 * followed by a valid one is corruption.
 *
 * Ownership: dt_journal_t is caller's storage; it owns its fd and its batch
 * buffer, released by dt_journal_close. */
#ifndef DT_JOURNAL_H
#define DT_JOURNAL_H
#include <stddef.h>
#include <stdint.h>

#define DT_JOURNAL_MAGIC "DTJRNL1\n"
#define DT_JOURNAL_MAXREC (1u << 20)

typedef struct dt_journal {
  int fd;
  unsigned char *buf;     /* records appended but not yet written */
  size_t len, cap;
  uint64_t size;          /* bytes in the file that are durable */
  uint64_t records;       /* records durable */
  uint64_t pending;       /* records in buf */
  int nosync;             /* tests and benchmarks of the code path only */
} dt_journal_t;

/* Creates (truncating) a journal at path. 0 or DT_EIO. */
int dt_journal_create(dt_journal_t *j, const char *path);
/* Opens an existing journal for appending after its first `valid_end` bytes
 * (from dt_journal_scan); anything after that is cut off. 0 or DT_EIO. */
int dt_journal_reopen(dt_journal_t *j, const char *path, uint64_t valid_end);
/* Adds a record to the batch (not yet on disk). DT_EINVAL if n is 0 or too big. */
int dt_journal_append(dt_journal_t *j, const void *p, size_t n);
/* Writes the batch and fdatasyncs. 0, or DT_EIO: the batch may not be durable,
 * and the caller must stop rather than acknowledge anything in it. */
int dt_journal_sync(dt_journal_t *j);
void dt_journal_close(dt_journal_t *j);

typedef struct dt_journal_scan {
  uint64_t records;       /* valid records */
  uint64_t valid_end;     /* offset just past the last valid record */
  uint64_t file_size;
  int torn;               /* 1: bytes after valid_end were a torn tail */
  uint64_t bad_offset;    /* offset of the corrupt record when scan returns DT_EPARSE */
} dt_journal_scan_t;

/* Called for each valid record in order; a nonzero return stops the scan and is
 * returned by dt_journal_scan. The payload is borrowed for the call. */
typedef int (*dt_journal_cb)(const unsigned char *p, size_t n, uint64_t offset, void *ud);

/* Reads a whole journal. Returns 0 (torn tail reported in res->torn), DT_EIO,
 * DT_EPARSE (bad magic, or a corrupt record followed by valid ones, at
 * res->bad_offset), or the callback's nonzero return. */
int dt_journal_scan(const char *path, dt_journal_cb cb, void *ud, dt_journal_scan_t *res);

#endif
