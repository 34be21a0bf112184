/* queue.h: the event queue, a priority queue of pending events ordered by
 * (time ascending, prio ascending, seq ascending). seq counts pushes on this
 * queue, so ties resolve in scheduling order and never depend on addresses.
 *
 * Ownership: the caller owns the dt_queue_t (dt_queue_init/dt_queue_close);
 * the queue owns its internal arrays. ptr in an entry is borrowed: the queue
 * stores and returns it and never dereferences or frees it.
 *
 * Ids: each push gets an id that names that one entry forever. An id of an
 * entry that was popped, cancelled or cleared is stale; cancelling it returns
 * DT_ENOENT and never touches a newer entry, even one reusing the storage. */
#ifndef DT_QUEUE_H
#define DT_QUEUE_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t dt_qid_t; /* 0 means none */

typedef struct dt_qentry {
  int64_t time;
  int32_t prio;
  uint32_t kind;
  uint64_t seq;
  void *ptr;
  int64_t arg;
  dt_qid_t id;
} dt_qentry_t;

/* Internal: a heap node holds the ordering key and the index of the slot
 * with the payload; a slot is live while its seq matches a node's. */
typedef struct dt__queue_node {
  int64_t time;
  uint64_t seq;
  int32_t prio;
  uint32_t slot;
} dt__queue_node_t;

typedef struct dt__queue_slot {
  uint64_t seq;          /* 0 when the slot is free */
  void *ptr;
  int64_t arg;
  union { uint32_t kind; uint32_t next_free; } u;
  uint32_t gen;          /* bumped on each release; UINT32_MAX retires it */
} dt__queue_slot_t;

/* The fields are private; use the functions. */
typedef struct dt_queue {
  dt__queue_node_t *heap; /* owned; a 4-ary min-heap */
  size_t heap_len, heap_cap;
  dt__queue_slot_t *slots; /* owned */
  uint32_t slot_len, slot_cap;
  uint32_t free_head;      /* UINT32_MAX when no slot is free */
  size_t live;             /* entries neither popped nor cancelled */
  uint64_t next_seq;
} dt_queue_t;

/* Prepares caller's storage; allocates nothing until the first push. */
int dt_queue_init(dt_queue_t *q);
/* Frees the internal arrays; the queue may be initialised again. */
void dt_queue_close(dt_queue_t *q);
/* Drops every entry (their ids become stale), keeps the capacity and
 * restarts seq. */
void dt_queue_clear(dt_queue_t *q);

/* Adds an entry; its id goes to *id_out unless id_out is NULL. Returns 0,
 * or DT_ENOMEM with the queue unchanged. */
int dt_queue_push(dt_queue_t *q, int64_t time, int32_t prio, uint32_t kind,
                  void *ptr, int64_t arg, dt_qid_t *id_out);
/* Removes a pending entry. 0, or DT_ENOENT if id is 0, unknown, or its entry
 * was already popped, cancelled or cleared. */
int dt_queue_cancel(dt_queue_t *q, dt_qid_t id);
/* Removes the first entry into *out: 1, or 0 if the queue is empty. */
int dt_queue_pop(dt_queue_t *q, dt_qentry_t *out);
/* Copies the first entry into *out without removing it: 1, or 0 if empty. */
int dt_queue_peek(const dt_queue_t *q, dt_qentry_t *out);
/* The time of the earliest live entry, without copying it out: the loop's
 * check before each pop. 1, or 0 when the queue is empty. */
static inline int dt_queue_next_time(const dt_queue_t *q, int64_t *t)
{
  if (q->heap_len == 0)
    return 0;
  *t = q->heap[0].time;
  return 1;
}
/* Pending entries, not counting cancelled ones. */
size_t dt_queue_len(const dt_queue_t *q);

#endif
