/* queue.c: the event queue, a 4-ary min-heap of small key nodes beside a
 * table of payload slots with generation counters. Cancellation is lazy: it
 * frees the slot at once and leaves the heap node to be skipped later. It
 * knows nothing of what events mean or of the simulation clock. */
#include "queue.h"

#include <stdlib.h>

#include "errors.h"

#define NO_SLOT UINT32_MAX
/* Slots are numbered below this so that slot + 1 fits the id's low half. */
#define SLOT_LIMIT (UINT32_MAX - 1)
/* Rebuild the heap once stale nodes outnumber live ones and this many. */
#define COMPACT_MIN 64

static int node_less(const dt__queue_node_t *a, const dt__queue_node_t *b)
{
  if (a->time != b->time)
    return a->time < b->time;
  if (a->prio != b->prio)
    return a->prio < b->prio;
  return a->seq < b->seq;
}

static int node_stale(const dt_queue_t *q, const dt__queue_node_t *n)
{
  return q->slots[n->slot].seq != n->seq;
}

static void sift_up(dt__queue_node_t *heap, size_t i, dt__queue_node_t x)
{
  while (i > 0) {
    size_t p = (i - 1) / 4;
    if (!node_less(&x, &heap[p]))
      break;
    heap[i] = heap[p];
    i = p;
  }
  heap[i] = x;
}

static void sift_down(dt__queue_node_t *heap, size_t n, size_t i,
                      dt__queue_node_t x)
{
  for (;;) {
    size_t c = 4 * i + 1;
    if (c >= n)
      break;
    size_t end = c + 4 < n ? c + 4 : n;
    size_t m = c;
    for (size_t j = c + 1; j < end; j++) {
      if (node_less(&heap[j], &heap[m]))
        m = j;
    }
    if (!node_less(&heap[m], &x))
      break;
    heap[i] = heap[m];
    i = m;
  }
  heap[i] = x;
}

static void remove_root(dt_queue_t *q)
{
  size_t n = --q->heap_len;
  if (n > 0)
    sift_down(q->heap, n, 0, q->heap[n]);
}

/* Keeps the invariant that the root, if any, is a live entry, which lets
 * peek and len stay const. */
static void drop_stale_roots(dt_queue_t *q)
{
  /* With no stale nodes at all (the common case) there is nothing to read. */
  while (q->heap_len > q->live && node_stale(q, &q->heap[0]))
    remove_root(q);
}

static void release_slot(dt_queue_t *q, uint32_t i)
{
  dt__queue_slot_t *s = &q->slots[i];
  s->seq = 0;
  s->ptr = NULL;
  s->gen++;
  /* A slot whose generation would wrap is retired for good, so an old id
   * can never come back to life. */
  if (s->gen != UINT32_MAX) {
    s->u.next_free = q->free_head;
    q->free_head = i;
  }
}

/* Drops all stale nodes and restores heap order bottom-up. */
static void compact(dt_queue_t *q)
{
  size_t n = 0;
  for (size_t i = 0; i < q->heap_len; i++) {
    if (!node_stale(q, &q->heap[i]))
      q->heap[n++] = q->heap[i];
  }
  q->heap_len = n;
  if (n > 1) {
    for (size_t i = (n - 2) / 4 + 1; i-- > 0;)
      sift_down(q->heap, n, i, q->heap[i]);
  }
}

int dt_queue_init(dt_queue_t *q)
{
  q->heap = NULL;
  q->heap_len = q->heap_cap = 0;
  q->slots = NULL;
  q->slot_len = q->slot_cap = 0;
  q->free_head = NO_SLOT;
  q->live = 0;
  q->next_seq = 1;
  return 0;
}

void dt_queue_close(dt_queue_t *q)
{
  free(q->heap);
  free(q->slots);
  dt_queue_init(q);
}

void dt_queue_clear(dt_queue_t *q)
{
  q->heap_len = 0;
  q->free_head = NO_SLOT;
  for (uint32_t i = q->slot_len; i-- > 0;) {
    dt__queue_slot_t *s = &q->slots[i];
    if (s->seq != 0) {
      s->seq = 0;
      s->ptr = NULL;
      s->gen++;
    }
    if (s->gen != UINT32_MAX) {
      s->u.next_free = q->free_head;
      q->free_head = i;
    }
  }
  q->live = 0;
  q->next_seq = 1;
}

static int grow_heap(dt_queue_t *q)
{
  size_t cap = q->heap_cap ? q->heap_cap * 2 : 64;
  if (cap > SIZE_MAX / sizeof *q->heap)
    return DT_ENOMEM;
  dt__queue_node_t *h = realloc(q->heap, cap * sizeof *h);
  if (!h)
    return DT_ENOMEM;
  q->heap = h;
  q->heap_cap = cap;
  return 0;
}

static int grow_slots(dt_queue_t *q)
{
  uint32_t cap;
  if (q->slot_cap >= SLOT_LIMIT)
    return DT_ENOMEM;
  cap = q->slot_cap ? (q->slot_cap > SLOT_LIMIT / 2 ? SLOT_LIMIT
                                                    : q->slot_cap * 2) : 64;
  /* Only a 32-bit size_t can fail this. */
  size_t max_slots = SIZE_MAX / sizeof *q->slots;
  if (cap > max_slots)
    return DT_ENOMEM;
  dt__queue_slot_t *s = realloc(q->slots, (size_t)cap * sizeof *s);
  if (!s)
    return DT_ENOMEM;
  q->slots = s;
  q->slot_cap = cap;
  return 0;
}

int dt_queue_push(dt_queue_t *q, int64_t time, int32_t prio, uint32_t kind,
                  void *ptr, int64_t arg, dt_qid_t *id_out)
{
  if (q->heap_len == q->heap_cap && grow_heap(q) != 0)
    return DT_ENOMEM;
  uint32_t i = q->free_head;
  if (i != NO_SLOT) {
    q->free_head = q->slots[i].u.next_free;
  } else {
    if (q->slot_len == q->slot_cap && grow_slots(q) != 0)
      return DT_ENOMEM;
    i = q->slot_len++;
    q->slots[i].gen = 0;
  }
  dt__queue_slot_t *s = &q->slots[i];
  uint64_t seq = q->next_seq++;
  s->seq = seq;
  s->ptr = ptr;
  s->arg = arg;
  s->u.kind = kind;
  dt__queue_node_t x = { time, seq, prio, i };
  sift_up(q->heap, q->heap_len++, x);
  q->live++;
  if (id_out)
    *id_out = ((dt_qid_t)s->gen << 32) | ((dt_qid_t)i + 1);
  return 0;
}

int dt_queue_cancel(dt_queue_t *q, dt_qid_t id)
{
  uint64_t low = id & UINT32_MAX;
  uint32_t gen = (uint32_t)(id >> 32);
  if (low == 0 || low > q->slot_len)
    return DT_ENOENT;
  uint32_t i = (uint32_t)(low - 1);
  if (q->slots[i].seq == 0 || q->slots[i].gen != gen)
    return DT_ENOENT;
  release_slot(q, i);
  q->live--;
  drop_stale_roots(q);
  size_t stale = q->heap_len - q->live;
  if (stale > COMPACT_MIN && stale > q->live)
    compact(q);
  return 0;
}

static void fill_entry(const dt_queue_t *q, const dt__queue_node_t *n,
                       dt_qentry_t *out)
{
  const dt__queue_slot_t *s = &q->slots[n->slot];
  out->time = n->time;
  out->prio = n->prio;
  out->kind = s->u.kind;
  out->seq = n->seq;
  out->ptr = s->ptr;
  out->arg = s->arg;
  out->id = ((dt_qid_t)s->gen << 32) | ((dt_qid_t)n->slot + 1);
}

int dt_queue_pop(dt_queue_t *q, dt_qentry_t *out)
{
  if (q->heap_len == 0)
    return 0;
  uint32_t i = q->heap[0].slot;
  fill_entry(q, &q->heap[0], out);
  release_slot(q, i);
  q->live--;
  remove_root(q);
  drop_stale_roots(q);
  return 1;
}

int dt_queue_peek(const dt_queue_t *q, dt_qentry_t *out)
{
  if (q->heap_len == 0)
    return 0;
  fill_entry(q, &q->heap[0], out);
  return 1;
}

size_t dt_queue_len(const dt_queue_t *q)
{
  return q->live;
}
