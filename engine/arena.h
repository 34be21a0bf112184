/* arena.h: bump allocation for a run's world. Everything a run's world holds
 * (states, systems, treaties, proposals, decisions, copied strings) is carved from
 * one arena owned by the simulation and released at once when the run ends. */
#ifndef DT_ARENA_H
#define DT_ARENA_H
#include <stddef.h>

typedef struct dt_arena_block dt_arena_block_t;
/* Caller's storage; dt_arena_close frees every block. dt_arena_reset keeps the
 * first block for the next run and frees the rest. */
typedef struct dt_arena {
  dt_arena_block_t *head;
  size_t used_total;
} dt_arena_t;

void dt_arena_init(dt_arena_t *a);
void dt_arena_close(dt_arena_t *a);
void dt_arena_reset(dt_arena_t *a);
/* Zeroed, aligned for any type; NULL when out of memory. */
void *dt_arena_alloc(dt_arena_t *a, size_t n);
char *dt_arena_strdup(dt_arena_t *a, const char *s);
/* Grows an array held in the arena: copies old contents to a new, larger area. */
void *dt_arena_grow(dt_arena_t *a, void *old, size_t old_n, size_t new_n);

#endif
