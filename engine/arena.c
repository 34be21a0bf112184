/* arena.c: the per-run bump allocator. Owns its blocks; knows nothing of what is
 * stored in them. Blocks double in size up to 1 MiB; large requests get their own. */
#include "arena.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdalign.h>

struct dt_arena_block {
  dt_arena_block_t *next;
  size_t size, used;
  alignas(max_align_t) unsigned char data[];
};

enum { FIRST_BLOCK = 16 * 1024, MAX_BLOCK = 1024 * 1024 };

void dt_arena_init(dt_arena_t *a) { a->head = NULL; a->used_total = 0; }

void dt_arena_close(dt_arena_t *a) {
  dt_arena_block_t *b = a->head;
  while (b) { dt_arena_block_t *n = b->next; free(b); b = n; }
  a->head = NULL; a->used_total = 0;
}

void dt_arena_reset(dt_arena_t *a) {
  /* Keep the oldest block (the last in the list): a run's setup usually fits. */
  dt_arena_block_t *b = a->head, *keep = NULL;
  while (b) {
    dt_arena_block_t *n = b->next;
    if (!n) keep = b; else free(b);
    b = n;
  }
  a->head = keep;
  if (keep) keep->used = 0;
  a->used_total = 0;
}

void *dt_arena_alloc(dt_arena_t *a, size_t n) {
  const size_t al = alignof(max_align_t);
  /* Rounding up or adding the block header must not wrap around to a small size. */
  if (n > SIZE_MAX - sizeof(dt_arena_block_t) - al) return NULL;
  n = (n + al - 1) & ~(al - 1);
  if (n == 0) n = al;
  dt_arena_block_t *b = a->head;
  if (!b || b->size - b->used < n) {
    size_t sz = b ? b->size * 2 : FIRST_BLOCK;
    if (sz > MAX_BLOCK) sz = MAX_BLOCK;
    if (sz < n) sz = n;
    dt_arena_block_t *nb = malloc(sizeof *nb + sz);
    if (!nb) return NULL;
    nb->size = sz; nb->used = 0;
    if (b && b->size - b->used >= FIRST_BLOCK && n > b->size / 2) {
      /* A big request behind a block with room left: slot it in after the head. */
      nb->next = b->next; b->next = nb;
    } else {
      nb->next = b; a->head = nb;
    }
    b = nb;
  }
  void *p = b->data + b->used;
  b->used += n;
  a->used_total += n;
  memset(p, 0, n);
  return p;
}

char *dt_arena_strdup(dt_arena_t *a, const char *s) {
  size_t n = strlen(s) + 1;
  char *d = dt_arena_alloc(a, n);
  if (d) memcpy(d, s, n);
  return d;
}

void *dt_arena_grow(dt_arena_t *a, void *old, size_t old_n, size_t new_n) {
  void *p = dt_arena_alloc(a, new_n);
  if (p && old && old_n) memcpy(p, old, old_n < new_n ? old_n : new_n);
  return p;
}
