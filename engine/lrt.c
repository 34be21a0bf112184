/* lrt.c: the Lua runtime of a worker: state creation with a counting allocator,
 * the sandboxed base environment, compile-once/run-many, the pooled coroutines
 * every hook runs in, the one error path (traceback + simulated date) and the
 * instruction and memory limits. Knows the core only through world.h. */
#define _GNU_SOURCE   /* the per-thread CPU-time timer: SIGEV_THREAD_ID, gettid */
#include "lrt.h"
#include <lualib.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

const char dt__lrt_key_run = 0, dt__lrt_key_base = 0, dt__lrt_key_chunks = 0;
static const char key_pool = 0;
const char dt__lrt_key_when = 0;

enum { INSN_STEP = 1000 };

/* ---- allocator and limits ------------------------------------------------ */

/* What the run's world holds beside the Lua heap: the queue entries in use
 * and the arena. Counted by use, not capacity, so that a run costs the same
 * in any worker whatever ran there before. */
static size_t world_bytes(const dt_sim_t *sim) {
  /* Twice what is in use: the queue's arrays double as they grow, and are
   * copied when they do. */
  return 2 * (sim->queue.heap_len * sizeof(dt__queue_node_t) +
              (size_t)sim->queue.slot_len * sizeof(dt__queue_slot_t)) + sim->arena.used_total;
}

/* The memory limit. Whether a run stops at it must depend on the run alone,
 * not on when the collector last ran (which the worker's earlier runs decide),
 * so every verdict is about live memory:
 * - the soft limit, mem_base + lim.memory, is checked at points every worker
 *   reaches at the same place in a run (a hook or an event about to start,
 *   a scheduling call, a cache charge, the end of setup and of the run): when
 *   the count says over, the heap is collected in full and counted again, and
 *   only what is still over stops the run (dt__lrt_mem_over);
 * - between those points an allocation may pass the soft limit by a slack
 *   (MEM_SLACK, or a quarter of the limit when smaller); one that would pass
 *   that ceiling is refused only after a full collection: Lua collects and
 *   asks again by itself, lauxlib's buffers (string.rep, table.concat,
 *   string.format, gsub, ...) do not, so for them lalloc collects first. Their
 *   call sites are found once per runtime (calibrate_boxes): an allocation
 *   from there is made by a C function between API calls, where a collection
 *   is as safe as in any lua_gc call;
 * - a run's zero is mem_keep, what the worker keeps between runs, measured
 *   live once per runtime and grown by what the caches keep, not the heap
 *   (garbage included) at setup. */
enum { MEM_SLACK = 4 << 20, MEM_HEAVY = 1 << 20 };
/* The main thread's first stack (lua_newstate allocates it right after the
 * state): 40 slots and 5 extra, of 16 bytes; another size is not followed. */
enum { MSTACK_FIRST = (2 * LUA_MINSTACK + 5) * 16 };

static size_t mem_soft(const dt_lrt_t *rt) { return rt->mem_base + rt->lim.memory; }
static size_t mem_ceiling(const dt_lrt_t *rt) {
  size_t q = rt->lim.memory / 4;
  return mem_soft(rt) + (q < MEM_SLACK ? q : MEM_SLACK);
}

/* Small blocks (closures, upvalues, short strings, small tables: most of what
 * a run allocates) come from free lists by 16-byte size class, carved from
 * 64 KiB chunks the worker keeps until its state closes. glibc's per-thread
 * cache holds 7 blocks of a size, so the collector's sweeps, which free
 * thousands at a time, sent most frees and the mallocs after them down
 * malloc's slow paths: 13% of a run of hooks that build closures. Counting is
 * unchanged (by the sizes Lua asks for), so the memory limit reads the same.
 * Under AddressSanitizer every block goes to malloc, so it sees them all. */
#if defined(__SANITIZE_ADDRESS__)
#define POOL_ON 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_ON 0
#endif
#endif
#ifndef POOL_ON
#define POOL_ON 1
#endif
enum { POOL_CHUNK = 64 * 1024 };

typedef struct pool_chunk { struct pool_chunk *next; void *pad; } pool_chunk_t;

static void *pool_get(dt_lrt_t *rt, size_t n) {
  unsigned c = (unsigned)((n + 15) >> 4);
  void *p = rt->pool_free[c];
  if (p) { rt->pool_free[c] = *(void **)p; return p; }
  size_t sz = (size_t)c << 4;
  if ((size_t)(rt->pool_end - rt->pool_cur) < sz) {
    /* The rest of the old chunk goes to the free lists, largest class first. */
    while (rt->pool_end - rt->pool_cur >= 16) {
      size_t left = (size_t)(rt->pool_end - rt->pool_cur);
      unsigned k = (unsigned)((left > DT_LRT_POOL_MAXSZ ? DT_LRT_POOL_MAXSZ : left) >> 4);
      *(void **)rt->pool_cur = rt->pool_free[k];
      rt->pool_free[k] = rt->pool_cur;
      rt->pool_cur += (size_t)k << 4;
    }
    pool_chunk_t *ch = malloc(POOL_CHUNK);
    if (!ch) return NULL;
    ch->next = rt->pool_chunks;
    rt->pool_chunks = ch;
    rt->pool_cur = (char *)(ch + 1);
    rt->pool_end = (char *)ch + POOL_CHUNK;
  }
  p = rt->pool_cur;
  rt->pool_cur += sz;
  return p;
}

static void pool_put(dt_lrt_t *rt, void *p, size_t n) {
  unsigned c = (unsigned)((n + 15) >> 4);
  *(void **)p = rt->pool_free[c];
  rt->pool_free[c] = p;
}

static void pool_close(dt_lrt_t *rt) {
  pool_chunk_t *ch = rt->pool_chunks;
  while (ch) { pool_chunk_t *next = ch->next; free(ch); ch = next; }
  rt->pool_chunks = NULL;
}

/* The heap as the limit counts it: all but Lua's string table, whose size
 * (8 bytes a slot, doubled and halved as strings come and go, shrunk only at
 * collections) depends on the worker's history more than on the run, and
 * the main thread's stack, which hooks nested in earlier runs grew and the
 * collector shrinks when it runs (it grows by DT_LRT_STACK_ROOM slots a
 * nesting level, and nesting is bounded by C's: at most some 200 KiB). */
static size_t heap(const dt_lrt_t *rt) {
  return rt->mem_used - rt->strtab_bytes - rt->mstack_bytes;
}

/* Full collections until the count is at most target or stops falling: one
 * gives back only half of the call records idle threads keep from deep calls
 * (an earlier run's, perhaps); a few more give back the rest. */
static void settle(dt_lrt_t *rt, size_t target) {
  rt->mem_collecting = 1;
  for (int i = 0; i < 40; i++) {
    size_t before = heap(rt);
    lua_gc(rt->L, LUA_GCCOLLECT);
    if (heap(rt) + world_bytes(rt->sim) <= target || heap(rt) >= before) break;
  }
  rt->mem_collecting = 0;
}

int dt__lrt_mem_over(dt_lrt_t *rt) {
  if (!rt->lim.memory || rt->mem_lifted || rt->mem_collecting ||
      heap(rt) + world_bytes(rt->sim) <= mem_soft(rt))
    return 0;
  settle(rt, mem_soft(rt));
  if (heap(rt) + world_bytes(rt->sim) <= mem_soft(rt)) return 0;
  rt->mem_hit = 1;
  return 1;
}

void dt__lrt_memcheck(lua_State *L) {
  if (dt__lrt_mem_over(dt__lrt_get(L))) luaL_error(L, "not enough memory");
}

int dt__lrt_mem_room(dt_lrt_t *rt, size_t n) {
  if (!rt->lim.memory || rt->mem_lifted) return 1;
  size_t ceil = mem_ceiling(rt);
  if (heap(rt) + n + world_bytes(rt->sim) <= ceil) return 1;
  if (!rt->mem_collecting) settle(rt, ceil > n ? ceil - n : 0);
  if (heap(rt) + n + world_bytes(rt->sim) <= ceil) return 1;
  rt->mem_hit = 1;
  return 0;
}

size_t dt__lrt_mem_mark(dt_lrt_t *rt) {
  if (rt->lim.memory) settle(rt, 0);
  return heap(rt);
}

size_t dt__lrt_mem_keep(dt_lrt_t *rt, size_t mark) {
  if (!rt->lim.memory) return 0;
  settle(rt, 0);
  size_t n = heap(rt) > mark ? heap(rt) - mark : 0;
  rt->mem_keep += n;
  rt->mem_base += n;
  return n;
}

void dt__lrt_mem_charge(lua_State *L, size_t n) {
  dt_lrt_t *rt = dt__lrt_get(L);
  rt->mem_base = rt->mem_base > n ? rt->mem_base - n : 0;
  dt__lrt_memcheck(L);
}

static int box_call(const dt_lrt_t *rt, const void *site) {
  for (int i = 0; i < rt->nbox_site; i++)
    if (rt->box_site[i] == site) return 1;
  return 0;
}

/* The sizes calibrate_boxes asks lauxlib's buffers for: odd, large, and
 * asked for by nothing else while it runs. */
enum { CAL_A = 40009, CAL_B = 70001 };

/* ptr (old bytes, or NULL) resized to nsize > 0: from the pool or malloc. */
static void *block_realloc(dt_lrt_t *rt, void *ptr, size_t old, size_t nsize) {
  void *p;
  if (!POOL_ON) {
    p = realloc(ptr, nsize);
  } else if (nsize <= DT_LRT_POOL_MAXSZ) {
    if (ptr && old <= DT_LRT_POOL_MAXSZ && ((old + 15) >> 4) == ((nsize + 15) >> 4)) {
      p = ptr;   /* the same class */
    } else {
      p = pool_get(rt, nsize);
      if (p && ptr) {
        memcpy(p, ptr, old < nsize ? old : nsize);
        if (old <= DT_LRT_POOL_MAXSZ) pool_put(rt, ptr, old); else free(ptr);
      }
    }
  } else if (ptr && old <= DT_LRT_POOL_MAXSZ) {
    p = malloc(nsize);
    if (p) { memcpy(p, ptr, old); pool_put(rt, ptr, old); }
  } else {
    p = realloc(ptr, nsize);
  }
  return p;
}

/* ---- creation numbers ------------------------------------------------------
 * Lua orders a table's keys by hash, and an object's hash is its address,
 * which depends on what the worker's earlier runs allocated (and on the
 * process). So that `pairs` can walk object keys in an order of the run's
 * own (l_order.c), every table, function, userdata and coroutine carries a
 * number given when Lua made it (Lua says when: osize is then the type), in
 * NUM_HEAD bytes lalloc puts before it:
 * - a run's objects are numbered 1, 2, ... with the run's generation;
 * - the worker's, made while the runtime is built (the base) or while a
 *   cache loads (dt__lrt_in_space: a shared module, a data file, a compiled
 *   chunk), are numbered within that load, which makes the same objects in
 *   the same order in every worker, whichever run caused it;
 * - a pooled coroutine is numbered again when a run first takes it.
 * Blocks are 16-byte aligned, so an object's address ends in 8 exactly when
 * it has the header: frees find it without a lookup. Lua never resizes an
 * object's block. The header is counted as the run's memory.
 * The header also marks the coroutines the engine runs hooks in (NUM_ENGINE):
 * before, a weak table held them, whose size then depended on when the
 * collector had cleared earlier runs' coroutines from it. */
enum { NUM_HEAD = 8 };
#define NUM_WORKER ((uint64_t)1 << 63)
#define NUM_ENGINE ((uint64_t)1 << 62)
#define NUM_NBITS 36
#define NUM_NMASK (((uint64_t)1 << NUM_NBITS) - 1)
#define NUM_TAGMASK (((uint64_t)1 << (62 - NUM_NBITS)) - 1)
#define NUM_FLAGS (NUM_WORKER | NUM_ENGINE)

static uint64_t num_count(uint64_t *next) { return *next < NUM_NMASK ? ++*next : NUM_NMASK; }

static uint64_t num_run_tag(const dt_lrt_t *rt) {
  return ((uint64_t)rt->run_gen & NUM_TAGMASK) << NUM_NBITS;
}

/* The number a new object gets now. */
static uint64_t num_new(dt_lrt_t *rt) {
  if (rt->num_depth) {
    struct dt__lrt_num_frame *f = &rt->num_frame[rt->num_depth - 1];
    return NUM_WORKER | (uint64_t)f->space << NUM_NBITS | num_count(&f->next);
  }
  if (!rt->num_on) return NUM_WORKER | (uint64_t)1 << NUM_NBITS | num_count(&rt->num_next);
  return num_run_tag(rt) | num_count(&rt->num_next);
}

/* osize when ptr is NULL: the type of the object Lua makes (a string: not
 * numbered, strings are ordered by their bytes), or another value. */
static int numbered_type(size_t osize) {
  return osize - LUA_TTABLE <= (size_t)(LUA_TTHREAD - LUA_TTABLE);
}

/* The object at idx as lalloc returned it, or NULL (not an object: a light C
 * function). Tables and functions are where their object starts; a
 * userdata's memory and a coroutine's state are at offsets found when the
 * runtime was built. */
static const char *num_object(dt_lrt_t *rt, lua_State *L, int idx) {
  const char *p = lua_topointer(L, idx);
  switch (lua_type(L, idx)) {
  case LUA_TTABLE: return p;
  case LUA_TFUNCTION:
    if (!lua_iscfunction(L, idx)) return p;
    if (!lua_getupvalue(L, idx, 1)) return NULL;   /* a light C function */
    lua_pop(L, 1);
    return p;
  case LUA_TTHREAD: return p - rt->num_thoff;
  case LUA_TUSERDATA: {
    int nuv = 0;
    while (lua_getiuservalue(L, idx, nuv + 1) != LUA_TNONE) { lua_pop(L, 1); nuv++; }
    lua_pop(L, 1);
    size_t off = nuv < 3 ? rt->num_udoff[nuv]
                         : rt->num_udoff[1] + (size_t)(nuv - 1) *
                                                  (rt->num_udoff[2] - rt->num_udoff[1]);
    return p - off;
  }
  default: return NULL;
  }
}

uint64_t dt__lrt_num(lua_State *L, int idx, uint32_t *space, const char **name) {
  dt_lrt_t *rt = dt__lrt_get(L);
  const char *o = num_object(rt, L, idx);
  *space = 0; *name = NULL;
  if (!o || !((uintptr_t)o & NUM_HEAD)) return 0;
  uint64_t h;
  memcpy(&h, o - NUM_HEAD, sizeof h);
  if (h & NUM_WORKER) {
    *space = (uint32_t)((h & ~NUM_FLAGS) >> NUM_NBITS);
    *name = *space >= 2 && *space - 2 < rt->num_nspace ? rt->num_space[*space - 2] : "";
    return h & NUM_NMASK;
  }
  return (h & ~NUM_NMASK & ~NUM_FLAGS) == num_run_tag(rt) ? h & NUM_NMASK : 0;
}

static uint64_t *thread_head(const dt_lrt_t *rt, lua_State *co) {
  return (uint64_t *)(void *)((char *)co - rt->num_thoff - NUM_HEAD);
}

/* 1 for a coroutine the engine made to run hooks in. */
static int engine_thread(const dt_lrt_t *rt, lua_State *co) {
  uint64_t h;
  memcpy(&h, thread_head(rt, co), sizeof h);
  return (h & NUM_ENGINE) != 0;
}

static void mark_engine_thread(const dt_lrt_t *rt, lua_State *co) {
  uint64_t h;
  memcpy(&h, thread_head(rt, co), sizeof h);
  h |= NUM_ENGINE;
  memcpy(thread_head(rt, co), &h, sizeof h);
}

/* A pooled coroutine taken by a run: numbered now if this run has not yet. */
static void num_touch(dt_lrt_t *rt, lua_State *co) {
  char *o = (char *)co - rt->num_thoff;
  uint64_t h;
  if (!rt->num_on || rt->num_depth || !((uintptr_t)o & NUM_HEAD)) return;
  memcpy(&h, o - NUM_HEAD, sizeof h);
  if ((h & ~NUM_NMASK & ~NUM_FLAGS) == num_run_tag(rt) && !(h & NUM_WORKER)) return;
  h = (h & NUM_ENGINE) | num_new(rt);
  memcpy(o - NUM_HEAD, &h, sizeof h);
}

/* The index of the space called name (from 2), added if new; 1 (the base's)
 * when out of memory, which only loses the order of its objects against
 * other loads' objects. */
static uint32_t num_space(dt_lrt_t *rt, const char *name) {
  for (uint32_t i = 0; i < rt->num_nspace; i++)
    if (strcmp(rt->num_space[i], name) == 0) return i + 2;
  if (rt->num_nspace == rt->num_capspace) {
    uint32_t cap = rt->num_capspace ? 2 * rt->num_capspace : 16;
    char **a = realloc(rt->num_space, cap * sizeof *a);
    if (!a) return 1;
    rt->num_space = a;
    rt->num_capspace = cap;
  }
  char *c = strdup(name);
  if (!c || rt->num_nspace >= NUM_TAGMASK - 2) { free(c); return 1; }
  rt->num_space[rt->num_nspace++] = c;
  return rt->num_nspace + 1;
}

void dt__lrt_in_space(lua_State *L, const char *name, lua_CFunction f, int nargs, int nres) {
  dt_lrt_t *rt = dt__lrt_get(L);
  if (rt->num_depth == rt->num_frame_cap) {
    int cap = rt->num_frame_cap ? 2 * rt->num_frame_cap : 8;
    void *a = realloc(rt->num_frame, (size_t)cap * sizeof *rt->num_frame);
    if (!a) { luaL_error(L, "not enough memory"); return; }
    rt->num_frame = a;
    rt->num_frame_cap = cap;
  }
  rt->num_frame[rt->num_depth].space = num_space(rt, name);
  rt->num_frame[rt->num_depth].next = 0;
  lua_pushcfunction(L, f);
  lua_insert(L, -(nargs + 1));
  rt->num_depth++;
  int st = lua_pcall(L, nargs, nres, 0);
  rt->num_depth--;
  if (st != LUA_OK) lua_error(L);
}

/* ptr (old bytes, or NULL) resized to nsize for a block followed at *at with
 * its size in *bytes: in mem_used, left out of heap(). */
static void *uncounted(dt_lrt_t *rt, void *ptr, size_t old, size_t nsize, void **at,
                       size_t *bytes) {
  void *p = block_realloc(rt, ptr, old, nsize);
  if (!p) return NULL;
  *at = p;
  *bytes = nsize;
  rt->mem_used = rt->mem_used - old + nsize;
  return p;
}

static void *lalloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  dt_lrt_t *rt = ud;
  size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    if (ptr && ptr == rt->mstack) {
      /* Lua moves a stack by making the new one, copying, and freeing the
       * old: the block made last is the main thread's stack now (one of a
       * stack's sizes: whole slots, at least the first stack's). Freed as
       * the state closes, it is followed no more. */
      int moved = rt->mstack_state == 2 && rt->last_new && rt->last_new_bytes % 16 == 0 &&
                  rt->last_new_bytes >= MSTACK_FIRST;
      rt->mstack = moved ? rt->last_new : NULL;
      rt->mstack_bytes = moved ? rt->last_new_bytes : 0;
      rt->last_new = NULL;
    }
    if ((uintptr_t)ptr & NUM_HEAD) { ptr = (char *)ptr - NUM_HEAD; old += NUM_HEAD; }
    if (POOL_ON && old <= DT_LRT_POOL_MAXSZ) { if (ptr) pool_put(rt, ptr, old); }
    else free(ptr);
    rt->mem_used -= old;
    return NULL;
  }
  int numbered = !ptr && numbered_type(osize);
  if (numbered) nsize += NUM_HEAD;
  /* Blocks the limit does not count (heap()): never refused. */
  if (ptr && ptr == rt->mstack)
    return uncounted(rt, ptr, old, nsize, &rt->mstack, &rt->mstack_bytes);
  if (rt->mstack_state == 1 && !ptr) {   /* lua_newstate's next block: the main stack */
    rt->mstack_state = 2;
    if (nsize == MSTACK_FIRST)
      return uncounted(rt, NULL, 0, nsize, &rt->mstack, &rt->mstack_bytes);
  }
  if (ptr && ptr == rt->strtab)
    return uncounted(rt, ptr, old, nsize, &rt->strtab, &rt->strtab_bytes);
  if (rt->calibrating) {   /* once per runtime, at its creation */
    if (rt->calibrating == 2 && ptr && nsize == 2 * osize) {
      /* strings are being made and nothing else grows: the string table */
      void *p = block_realloc(rt, ptr, old, nsize);
      if (!p) return NULL;
      rt->strtab_links = ptr == rt->strtab_seen ? rt->strtab_links + 1 : 1;
      rt->strtab_seen = p;
      rt->mem_used = rt->mem_used - old + nsize;
      rt->strtab_bytes_seen = nsize;
      return p;
    }
    if (rt->calibrating == 1 && (nsize == CAL_A || nsize == CAL_A + CAL_B) &&
        rt->nbox_site < (int)(sizeof rt->box_site / sizeof rt->box_site[0])) {
      const void *site = __builtin_return_address(0);
      if (!box_call(rt, site)) rt->box_site[rt->nbox_site++] = site;
    }
  }
  if (nsize > old && rt->lim.memory && !rt->mem_lifted &&
      heap(rt) + (nsize - old) + world_bytes(rt->sim) > mem_ceiling(rt) &&
      !rt->mem_collecting && box_call(rt, __builtin_return_address(0)))
    settle(rt, mem_ceiling(rt) - (nsize - old));   /* a lauxlib buffer: it would not
                                                    * collect and retry */
  if (nsize > old && rt->lim.memory && !rt->mem_lifted &&
      heap(rt) + (nsize - old) + world_bytes(rt->sim) > mem_ceiling(rt)) {
    /* Refused: Lua collects all its garbage and asks again (an emergency
     * collection). Remembered, so that a retry that then fits is not a hit:
     * left set, the flag skipped every later xpcall handler and turned the
     * run's next error into "memory limit exceeded", depending on when the
     * collector had last run (which the worker's earlier runs decide). */
    int retry = rt->mem_asked && ptr == rt->ask_ptr && osize == rt->ask_osize &&
                nsize == rt->ask_nsize;
    if (!retry) {
      rt->mem_hit_before = rt->mem_hit;
      rt->ask_ptr = ptr; rt->ask_osize = osize; rt->ask_nsize = nsize;
    }
    rt->mem_asked = !retry;
    rt->mem_hit = 1;
    return NULL;
  }
  /* A new small block (most requests) straight from its free list. */
  void *p = POOL_ON && !ptr && nsize <= DT_LRT_POOL_MAXSZ ? pool_get(rt, nsize)
                                                          : block_realloc(rt, ptr, old, nsize);
  if (!p) return NULL;
  if (!ptr) { rt->last_new = p; rt->last_new_bytes = nsize; }
  rt->mem_used = rt->mem_used - old + nsize;
  if (rt->mem_used > rt->mem_peak) rt->mem_peak = rt->mem_used;
  if (rt->mem_asked) {   /* the first request after a refusal */
    if (ptr == rt->ask_ptr && osize == rt->ask_osize && nsize == rt->ask_nsize)
      rt->mem_hit = rt->mem_hit_before;
    rt->mem_asked = 0;
  }
  if (numbered) {
    if (!rt->L && !rt->mstack_state && osize == LUA_TTHREAD) rt->mstack_state = 1;
    uint64_t h = num_new(rt);
    memcpy(p, &h, sizeof h);
    p = (char *)p + NUM_HEAD;
    rt->num_last = p;
  }
  return p;
}

/* Makes short strings with the collector stopped: the string table doubles
 * as they come, and nothing else grows (lalloc follows the chain). */
static int calibrate_strtab(lua_State *L) {
  /* New short strings (no formatting: this runs once per runtime) until the
   * string table was seen to double twice, which is all lalloc needs. */
  dt_lrt_t *rt = dt__lrt_get(L);
  char s[6] = { 1 };
  for (int i = 0; i < 20000 && rt->strtab_links < 2; i++) {
    for (int j = 1; j < 6; j++) s[j] = (char)('0' + (i >> (3 * (j - 1)) & 7));
    lua_pushlstring(L, s, sizeof s);
    lua_pop(L, 1);
  }
  return 0;
}

/* Grows lauxlib buffers through each of its entry points, twice (the first
 * box, then a bigger one), while lalloc notes where the calls for those sizes
 * come from. */
static int calibrate_boxes(lua_State *L) {
  for (int way = 0; way < 4; way++) {
    luaL_Buffer b;
    char *p;
    if (way == 0) {
      luaL_buffinit(L, &b);
      p = luaL_prepbuffsize(&b, CAL_A);
    } else if (way == 1) {
      p = luaL_buffinitsize(L, &b, CAL_A);
    } else {
      luaL_buffinit(L, &b);
      p = luaL_prepbuffsize(&b, 1);
    }
    if (way < 2) {
      memset(p, 'x', CAL_A);
      luaL_addsize(&b, CAL_A);
      p = luaL_prepbuffsize(&b, CAL_B);
      memset(p, 'y', CAL_B);
      luaL_addsize(&b, CAL_B);
    } else {
      /* addlstring and addvalue: the first growth to exactly CAL_A, then
       * n + CAL_B. */
      char *s = malloc(CAL_B);
      if (!s) return 0;
      memset(s, 'z', CAL_B);
      if (way == 2) {
        luaL_addlstring(&b, s, CAL_A);
        luaL_addlstring(&b, s, CAL_B);
      } else {
        lua_pushlstring(L, s, CAL_A); luaL_addvalue(&b);
        lua_pushlstring(L, s, CAL_B); luaL_addvalue(&b);
      }
      free(s);
    }
    luaL_pushresult(&b);
    lua_pop(L, 1);
  }
  return 0;
}

static int64_t cpu_ns(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Wall time since boot: read without a system call (the vDSO), where the
 * thread's CPU clock costs one. */
static int64_t mono_ns(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return INT64_MAX;
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void dt__lrt_watch(dt_lrt_t *rt) {
  rt->cpu_deadline = rt->lim.seconds > 0 ? cpu_ns() + (int64_t)(rt->lim.seconds * 1e9) : 0;
  rt->watch_gate = rt->cpu_deadline ? mono_ns() + (int64_t)(rt->lim.seconds * 1e9) : 0;
  rt->watch_tick = 0;
}

/* 1 when the watchdog's time is up. The callers are the count hook (every
 * 1000 instructions), event delivery and pattern matching; every 64th call
 * reads the monotonic clock (cheap), and the thread's CPU clock (a system
 * call) is read only once the wall time since the last reading could have
 * used up what was left: a thread's CPU time never runs faster than the
 * wall clock. So the deadline is seen as soon as before, at a syscall per
 * budget-length of wall time instead of one per 64 calls. */
int dt__lrt_watch_expired(dt_lrt_t *rt) {
  if (!rt->cpu_deadline || ++rt->watch_tick < 64) return 0;
  rt->watch_tick = 0;
  int64_t w = mono_ns();
  if (w < rt->watch_gate) return 0;
  int64_t c = cpu_ns();
  if (c > rt->cpu_deadline) return 1;
  rt->watch_gate = w + (rt->cpu_deadline - c);
  return 0;
}

static const char *watch_msg(dt_lrt_t *rt, char *buf, size_t n) {
  snprintf(buf, n, "time limit exceeded: the run used more than %g s of CPU time "
           "(an endless loop? raise it with --max-seconds)", rt->lim.seconds);
  return buf;
}

static const char *mem_msg(const dt_lrt_t *rt, char *buf, size_t n) {
  snprintf(buf, n, "memory limit exceeded: the run took more than %zu MiB "
           "(a memory bomb? raise it with --max-memory)", rt->lim.memory >> 20);
  return buf;
}

/* The memory verdict where no Lua code runs: fails the run when its live
 * memory is over the limit. */
static __attribute__((noinline)) int mem_point(dt_lrt_t *rt) {
  char buf[200];
  if (!rt->lim.memory || rt->sim->failed ||
      heap(rt) + world_bytes(rt->sim) <= mem_soft(rt) || !dt__lrt_mem_over(rt))
    return 0;
  dt__lrt_fail(rt, mem_msg(rt, buf, sizeof buf), NULL);
  return DT_ELIMIT;
}

/* The slow ends of dt__lrt_instant, kept out of its way: it runs before every
 * hook and event, and its buffers and calls made each run pay a larger frame. */
static __attribute__((noinline)) int instant_full(dt_lrt_t *rt) {
  char buf[300];
  rt->limit_hit = 1;
  rt->instant_hit = 1;
  snprintf(buf, sizeof buf, "event limit exceeded: more than %lld hooks and events at one "
           "simulated instant (a hook that reschedules itself with no delay, or events and "
           "when() hooks that trigger each other?)", (long long)rt->lim.instant_events);
  dt__lrt_fail(rt, buf, NULL);
  return DT_ELIMIT;
}

static __attribute__((noinline)) int instant_late(dt_lrt_t *rt) {
  char buf[300];
  rt->limit_hit = 1;
  dt__lrt_fail(rt, watch_msg(rt, buf, sizeof buf), NULL);
  return DT_ELIMIT;
}

int dt__lrt_instant(dt_lrt_t *rt) {
  dt_sim_t *sim = rt->sim;
  if (sim->failed) return DT_ESCRIPT;
  if (rt->lim.memory && heap(rt) + world_bytes(sim) > mem_soft(rt) && mem_point(rt))
    return DT_ELIMIT;
  if (sim->now != rt->instant_t) { rt->instant_t = sim->now; rt->instant_n = 0; }
  if (rt->lim.instant_events && ++rt->instant_n > rt->lim.instant_events)
    return instant_full(rt);
  if (dt__lrt_watch_expired(rt)) return instant_late(rt);
  return 0;
}

static void count_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  dt_lrt_t *rt = dt__lrt_get(L);
  if (rt->lazy && !rt->insn_hit) {
    /* Only script coroutines count in lazy mode; a tick arms this hook on an
     * engine thread when one entry ran long. Either way, coming near the
     * limit stops the run, which is then run again with the exact count. */
    if (!rt->suspect && (rt->insn_used += INSN_STEP) <= rt->lim.instructions) return;
    rt->rerun = 1;
    rt->insn_used = rt->lim.instructions + 1;
  }
  if (lua_gethookcount(L) != INSN_STEP) {
    /* This thread raised a limit at every instruction; unless that limit still
     * holds, a new budget has begun since. */
    if (!rt->limit_hit && (!rt->lim.instructions || ++rt->insn_used <= rt->lim.instructions)) {
      lua_sethook(L, count_hook, LUA_MASKCOUNT, INSN_STEP);
      return;
    }
  } else {
    rt->insn_used += INSN_STEP;
    if (dt__lrt_watch_expired(rt)) rt->limit_hit = 1;
  }
  if (rt->limit_hit) dt__lrt_limit_raise(L, 't');
  if (rt->lim.instructions && rt->insn_used > rt->lim.instructions) dt__lrt_limit_raise(L, 'i');
}

int dt__lrt_limit_raise(lua_State *L, int which) {
  dt_lrt_t *rt = dt__lrt_get(L);
  char buf[300];
  /* Raise again at every instruction, so a pcall in the script cannot
   * swallow the limit and carry on. */
  lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  if (which == 't') {
    rt->limit_hit = 1;
    watch_msg(rt, buf, sizeof buf);
  } else {
    rt->insn_hit = 1;
    lua_Debug where;
    if (lua_getstack(L, 0, &where) && lua_getinfo(L, "Sl", &where) && where.currentline > 0)
      lua_pushfstring(L, "%s:%d: ", where.short_src, where.currentline);
    else
      lua_pushliteral(L, "");
    snprintf(buf, sizeof buf, "%sinstruction limit exceeded: one hook ran more than %lld "
                              "instructions (an endless loop? raise it with --max-instructions)",
             lua_tostring(L, -1), (long long)rt->lim.instructions);
    lua_pop(L, 1);
  }
  /* The run's message, whatever the script does before the limit reaches
   * the hook's top: a pcall in an outer coroutine (whose count runs on)
   * may catch it and raise an error of its own first (fail_from). */
  if (!rt->limit_msg[0]) snprintf(rt->limit_msg, sizeof rt->limit_msg, "%s", buf);
  return luaL_error(L, "%s", buf);
}

void dt__lrt_budget(dt_lrt_t *rt) { rt->insn_used = 0; rt->entry_serial++; }

/* ---- the lazy instruction limit ------------------------------------------------ */

/* Lua 5.4 checks a count hook at every VM instruction, whatever the count: a
 * count hook costs 10-15% of a hook-heavy run. In lazy mode the engine's
 * threads have none. A CPU-time timer of the worker thread ticks every
 * LAZY_TICK_MS; a tick that finds the same top-level entry (hook, predicate,
 * policy, setup) running as at the tick before arms the count hook on the
 * running thread, which stops the run at once, and the batch runs it again
 * with the exact count. Script coroutines keep the exact count (they are made
 * by coroutine.create/wrap, which give them the hook) and stop the run the
 * same way when the budget runs out. So a run within the limit gives the same
 * results with or without the timer; a run over it fails exactly as in exact
 * mode; only a hook that runs longer than a tick costs a second run. */
enum { LAZY_TICK_MS = 100 };
static _Thread_local dt_lrt_t *tick_rt;

static void on_tick(int sig) {
  (void)sig;
  dt_lrt_t *rt = tick_rt;
  if (!rt || !rt->lazy || rt->switching) return;
  lua_State *co = rt->running;
  unsigned serial = rt->entry_serial;
  if (co && serial == rt->tick_serial) {
    rt->suspect = 1;
    /* lua_sethook may be called from a signal handler (ldebug.c). */
    lua_sethook(co, count_hook, LUA_MASKCOUNT, 1);
  }
  rt->tick_serial = serial;
}

/* Sets the count hook on, or off, on the main thread and the pooled ones. */
static void set_hooks(dt_lrt_t *rt, int on) {
  rt->switching = 1;
  lua_State *ths[DT_LRT_POOL_MAX + 1];
  int n = 0;
  ths[n++] = rt->L;
  for (int i = 0; i < rt->pool_n; i++) ths[n++] = rt->pool[i];
  for (int i = 0; i < n; i++) {
    if (on) lua_sethook(ths[i], count_hook, LUA_MASKCOUNT, INSN_STEP);
    else lua_sethook(ths[i], NULL, 0, 0);
  }
  rt->switching = 0;
}

int dt_lrt_rerun(const dt_lrt_t *rt) { return rt->rerun || rt->suspect; }

void dt_lrt_exact(dt_lrt_t *rt, int on) {
  if (!rt->timer || rt->lim.instructions <= 0) return;
  rt->lazy = !on;
  set_hooks(rt, on);
}

#ifdef __linux__
static pthread_once_t tick_once = PTHREAD_ONCE_INIT;
static int tick_signo;
static void tick_install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_tick;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  tick_signo = SIGRTMIN + 3;
  if (sigaction(tick_signo, &sa, NULL) != 0) tick_signo = 0;
}

int dt_lrt_lazy_limits(dt_lrt_t *rt) {
  if (rt->lim.instructions <= 0 || rt->timer) return 0;
  pthread_once(&tick_once, tick_install);
  if (!tick_signo) return DT_EIO;
  timer_t *t = malloc(sizeof *t);
  if (!t) return DT_ENOMEM;
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev.sigev_signo = tick_signo;
  sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
  if (timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, t) != 0) { free(t); return DT_EIO; }
  struct itimerspec its = { { 0, LAZY_TICK_MS * 1000000L }, { 0, LAZY_TICK_MS * 1000000L } };
  if (timer_settime(*t, 0, &its, NULL) != 0) { timer_delete(*t); free(t); return DT_EIO; }
  tick_rt = rt;
  rt->timer = t;
  dt_lrt_exact(rt, 0);
  return 0;
}

static void lazy_close(dt_lrt_t *rt) {
  if (!rt->timer) return;
  timer_delete(*(timer_t *)rt->timer);
  free(rt->timer);
  rt->timer = NULL;
  if (tick_rt == rt) tick_rt = NULL;
}
#else
int dt_lrt_lazy_limits(dt_lrt_t *rt) { (void)rt; return DT_EIO; }
static void lazy_close(dt_lrt_t *rt) { (void)rt; }
#endif

/* ---- run table and refs --------------------------------------------------- */

void dt__lrt_getrun(lua_State *L, const char *field) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_run);
  if (lua_isnil(L, -1)) luaL_error(L, "no scenario run is active");
  if (lua_getfield(L, -1, field) == LUA_TNIL) {
    /* Lists a run creates on first use (outcome functions, params). */
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, field);
  }
  lua_remove(L, -2);
}
#define getrun dt__lrt_getrun

dt_sim_t *dt__lrt_sim(lua_State *L) {
  dt_lrt_t *rt = dt__lrt_get(L);
  if (!rt->run_active) luaL_error(L, "no scenario run is active");
  return rt->sim;
}

/* ---- refs ------------------------------------------------------------------ */

/* The per-run ref table is an array at an integer registry index (an array
 * access, where a light-userdata key would be a hash lookup). Released
 * blocks are reused by size through free lists in the C slot array, so a
 * run that schedules millions of hooks keeps a table as long as its
 * largest number of pending ones, never rehashing. */
static void getrefs(lua_State *L) {
  dt_lrt_t *rt = dt__lrt_get(L);
  if (!rt->run_active) luaL_error(L, "no scenario run is active");
  lua_rawgeti(L, LUA_REGISTRYINDEX, rt->refs_ri);
}

static int ref_alloc(lua_State *L, dt_lrt_t *rt, int k) {
  int r = rt->free_head[k];
  if (r) {
    rt->free_head[k] = rt->slots[r].next_free;
    return r;
  }
  if (rt->ref_next + k >= rt->slot_cap) {
    if (rt->ref_next > INT32_MAX / 4) luaL_error(L, "too many hooks pending");
    int cap = rt->slot_cap ? rt->slot_cap * 2 : 256;
    while (rt->ref_next + k >= cap) cap *= 2;
    dt__lrt_slot_t *p = realloc(rt->slots, (size_t)cap * sizeof *p);
    if (!p) return luaL_error(L, "not enough memory");
    memset(p + rt->slot_cap, 0, (size_t)(cap - rt->slot_cap) * sizeof *p);
    rt->slots = p;
    rt->slot_cap = cap;
  }
  r = rt->ref_next + 1;
  rt->ref_next += k;
  return r;
}

int dt__lrt_ref_block(lua_State *L, int idx, int k) {
  dt_lrt_t *rt = dt__lrt_get(L);
  idx = lua_absindex(L, idx);
  getrefs(L);
  int r = ref_alloc(L, rt, k);
  for (int i = 0; i < k; i++) {
    lua_pushvalue(L, idx + i);
    lua_rawseti(L, -2, r + i);
  }
  lua_pop(L, 1);
  rt->slots[r].qid = 0;
  rt->slots[r].live = 1;
  rt->live_refs++;
  return r;
}

/* dt__lrt_ref_block for the k values at the top of the stack, which it pops:
 * the ref array slides under them and takes each from the top, with no copy. */
int dt__lrt_ref_take(lua_State *L, int k) {
  dt_lrt_t *rt = dt__lrt_get(L);
  int idx = lua_gettop(L) - k + 1;
  getrefs(L);
  int r = ref_alloc(L, rt, k);
  lua_insert(L, idx);
  for (int i = k - 1; i >= 0; i--) lua_rawseti(L, idx, r + i);
  lua_pop(L, 1);
  rt->slots[r].qid = 0;
  rt->slots[r].live = 1;
  rt->live_refs++;
  return r;
}

int dt__lrt_ref(lua_State *L, int idx) { return dt__lrt_ref_block(L, idx, 1); }

void dt__lrt_push_block(lua_State *L, int ref, int k) {
  getrefs(L);
  for (int i = 0; i < k; i++) lua_rawgeti(L, -1 - i, ref + i);
  lua_rotate(L, -(k + 1), -1);
  lua_pop(L, 1);
}

/* A released ref reads as nil (its slot may still hold the old value). */
void dt__lrt_getref(lua_State *L, int ref) {
  dt_lrt_t *rt = dt__lrt_get(L);
  if (rt->run_active && ref >= 1 && ref <= rt->ref_next && rt->slots[ref].live)
    dt__lrt_push_block(L, ref, 1);
  else lua_pushnil(L);
}

/* Releasing a block touches no Lua value: its slots keep their values until
 * the block is reused (the run's ref array dies with the run), which saves a
 * table write per value on the hot path. A block already released is left
 * alone. */
void dt__lrt_unref_block(lua_State *L, int ref, int k) {
  dt_lrt_t *rt = dt__lrt_get(L);
  if (!rt->run_active || ref < 1 || ref > rt->ref_next) return;
  dt__lrt_slot_t *s = &rt->slots[ref];
  if (!s->live) return;
  s->live = 0;
  s->gen++;
  s->qid = 0;
  s->next_free = rt->free_head[k];
  rt->free_head[k] = ref;
  rt->live_refs--;
}

static void unref(lua_State *L, int ref) { dt__lrt_unref_block(L, ref, 1); }

void dt__lrt_unref(lua_State *L, int ref) { unref(L, ref); }

/* ---- errors -------------------------------------------------------------- */

void dt_lrt_clear_error(dt_lrt_t *rt) {
  free(rt->error);
  rt->error = NULL;
  rt->error_code = 0;
  rt->fail_hook = 0;
  rt->fail_limit = 0;
  rt->fail_move = 0;
  rt->fail_decision = 0;
}

const char *dt_lrt_error(const dt_lrt_t *rt) { return rt->error; }
int dt_lrt_error_code(const dt_lrt_t *rt) { return rt->error_code; }

/* ---- a run's results, for embedders -------------------------------------- */

static const dt_lrt_named_t *nth(const dt_lrt_named_t *a, int n, int i) {
  return i >= 0 && i < n ? &a[i] : NULL;
}
int dt_lrt_noutcomes(const dt_lrt_t *rt) { return rt->noutcomes; }
const char *dt_lrt_outcome_name(const dt_lrt_t *rt, int i) {
  const dt_lrt_named_t *o = nth(rt->outcomes, rt->noutcomes, i);
  return o ? o->name : NULL;
}
const dt_lrt_value_t *dt_lrt_outcome(const dt_lrt_t *rt, int i) {
  const dt_lrt_named_t *o = nth(rt->outcomes, rt->noutcomes, i);
  return o ? &o->v : NULL;
}
int dt_lrt_nparams(const dt_lrt_t *rt) { return rt->nparams; }
static char *xstrdup(const char *s);
int dt_lrt_nseries(const dt_lrt_t *rt) { return rt->nseries; }
const char *dt_lrt_series_name(const dt_lrt_t *rt, int i) {
  return i >= 0 && i < rt->nseries ? rt->series[i].name : NULL;
}
int dt_lrt_series_samples(const dt_lrt_t *rt, int i, const int64_t **t, const double **v) {
  if (i < 0 || i >= rt->nseries) return 0;
  if (t) *t = rt->series[i].t;
  if (v) *v = rt->series[i].v;
  return rt->series[i].n;
}

int dt__lrt_tovalue(lua_State *L, dt_lrt_value_t *v) {
  dt_time_t t;
  free(v->str); v->str = NULL; v->type = DT_LRT_V_NONE; v->num = 0;
  if (lua_isboolean(L, -1)) { v->type = DT_LRT_V_BOOL; v->num = lua_toboolean(L, -1); }
  else if (lua_type(L, -1) == LUA_TNUMBER) { v->type = DT_LRT_V_NUM; v->num = lua_tonumber(L, -1); }
  else if (lua_type(L, -1) == LUA_TSTRING) {
    if (!dt__lrt_cstr_ok(lua_tostring(L, -1), lua_rawlen(L, -1))) return -2;
    v->str = xstrdup(lua_tostring(L, -1));
    if (!v->str) luaL_error(L, "out of memory");
    v->type = DT_LRT_V_STR;
  } else if (dt__lrt_testtime(L, -1, &t)) { v->type = DT_LRT_V_DATE; v->num = (double)t; }
  else if (!lua_isnil(L, -1)) return -1;
  return 0;
}
const char *dt_lrt_param_name(const dt_lrt_t *rt, int i) {
  const dt_lrt_named_t *p = nth(rt->params, rt->nparams, i);
  return p ? p->name : NULL;
}
const dt_lrt_value_t *dt_lrt_param(const dt_lrt_t *rt, int i) {
  const dt_lrt_named_t *p = nth(rt->params, rt->nparams, i);
  return p ? &p->v : NULL;
}

static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

/* The length of the longest prefix of s[0..n) that is UTF-8 without a NUL:
 * n when all of it is (no overlong forms, surrogates or code points past
 * U+10FFFF, as JSON writers require). */
size_t dt__lrt_clean_prefix(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    /* Eight ASCII bytes at a time, none of them NUL: most names and texts. */
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, p + i, sizeof w);
      const uint64_t lo = UINT64_C(0x0101010101010101), hi = UINT64_C(0x8080808080808080);
      if ((w & hi) || ((w - lo) & ~w & hi)) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned c = p[i];
    if (c && c < 0x80) { i++; continue; }
    size_t k = c >= 0xC2 && c <= 0xDF   ? 1
               : c >= 0xE0 && c <= 0xEF ? 2
               : c >= 0xF0 && c <= 0xF4 ? 3
                                        : 0;   /* NUL, a continuation byte, C0, C1, F5-FF */
    if (!k || i + k >= n) return i;
    unsigned lo = 0x80, hi = 0xBF;
    if (c == 0xE0) lo = 0xA0;        /* overlong */
    else if (c == 0xED) hi = 0x9F;   /* surrogates */
    else if (c == 0xF0) lo = 0x90;   /* overlong */
    else if (c == 0xF4) hi = 0x8F;   /* past U+10FFFF */
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t j = 2; j <= k; j++)
      if ((p[i + j] & 0xC0) != 0x80) return i;
    i += k + 1;
  }
  return n;
}

int dt__lrt_cstr_ok(const char *s, size_t n) { return dt__lrt_clean_prefix(s, n) == n; }

/* Replaces each byte of s that is not UTF-8 by '?': an error message quotes
 * the script's strings, and a JSON writer would drop it whole. */
static void scrub(char *s) {
  if (!s) return;
  for (size_t n = strlen(s), i = 0; i < n;) {
    i += dt__lrt_clean_prefix(s + i, n - i);
    if (i < n) s[i++] = '?';
  }
}


void dt__lrt_fail(dt_lrt_t *rt, const char *msg, const char *tb) {
  dt_sim_t *sim = rt->sim;
  sim->failed = 1;
  sim->stopping = 1;
  if (rt->error) return;   /* the first error is the one that matters */
  rt->fail_hook = rt->hook_running;
  rt->fail_decision = rt->hook_running ? 0 : rt->decision_running;
  rt->fail_move = rt->pure ? rt->pure_index : 0;
  rt->fail_limit = rt->insn_hit     ? 'i'
                   : rt->mem_hit     ? 'm'
                   : rt->instant_hit ? 'e'
                   : rt->limit_hit   ? 't'
                                     : 0;
  char date[32] = "";
  dt_time_format(sim->now, date, sizeof date);
  const char *what = sim->current ? sim->current->kind : sim->handling;
  size_t n = strlen(msg) + (tb ? strlen(tb) : 0) + 256 + (what ? strlen(what) : 0);
  char *buf = malloc(n);
  if (!buf) return;
  /* No traceback (a limit found between hooks): no blank line where it would be. */
  const char *sep = tb && *tb ? "\n" : "";
  if (rt->in_setup)
    snprintf(buf, n, "%s\n%s%sduring scenario setup (simulated date %s)", msg, tb ? tb : "", sep,
             sim->start == DT_NEVER ? "not set" : date);
  else
    snprintf(buf, n, "%s\n%s%sat simulated date %s, while handling %s", msg, tb ? tb : "", sep,
             date, what ? what : "a scheduled hook");
  scrub(buf);
  rt->error = buf;
  rt->error_code = rt->insn_hit || rt->mem_hit || rt->limit_hit ? DT_ELIMIT : DT_ESCRIPT;
}

/* "file:line: " of the innermost Lua frame of co, or "". */
static void where(lua_State *co, char *buf, size_t n) {
  lua_Debug ar;
  buf[0] = 0;
  for (int lv = 0; lua_getstack(co, lv, &ar); lv++)
    if (lua_getinfo(co, "Sl", &ar) && ar.currentline > 0) {
      snprintf(buf, n, "%s:%d: ", ar.short_src, ar.currentline);
      return;
    }
}

int dt__lrt_room(dt_lrt_t *rt, lua_State *L) {
  if (lua_checkstack(L, DT_LRT_STACK_ROOM)) return 1;
  dt__lrt_fail(rt, "hooks nested too deeply: the Lua stack is full", NULL);
  return 0;
}

/* Turns the error at the top of `co` into the run's error. */
static void fail_from(dt_lrt_t *rt, lua_State *L, lua_State *co, int status) {
  rt->mem_lifted = 1;   /* formatting needs memory even past the limit */
  if (!lua_checkstack(L, DT_LRT_STACK_ROOM)) {
    dt__lrt_fail(rt, "error while the Lua stack is full", NULL);
    rt->mem_lifted = 0;
    return;
  }
  const char *msg = lua_tostring(co, -1);
  char buf[400], loc[200];
  if (status == LUA_ERRMEM || rt->mem_hit) {
    char m[200];
    where(co, loc, sizeof loc);
    snprintf(buf, sizeof buf, "%s%s", loc, mem_msg(rt, m, sizeof m));
    msg = buf;
  } else if ((rt->insn_hit || rt->limit_hit) && rt->limit_msg[0] &&
             (!msg || !strstr(msg, rt->limit_msg))) {
    msg = rt->limit_msg;   /* the limit, not what a script raised after catching it */
  } else if (msg && !strcmp(msg, "C stack overflow")) {
    /* Raised before the hook ran a line: say what it means. */
    msg = "hooks nested too deeply (C stack overflow): a hook that fires, decides or emits into "
          "itself?";
  } else if (!msg) {
    msg = luaL_typename(co, -1);
    snprintf(buf, sizeof buf, "error object is a %s value", msg);
    msg = buf;
  }
  if (!rt->error && !strstr(msg, "run aborted by an earlier error")) {
    luaL_traceback(L, co, NULL, 0);
    dt__lrt_fail(rt, msg, lua_tostring(L, -1));
    lua_pop(L, 1);
  } else {
    dt__lrt_fail(rt, msg, NULL);
  }
  rt->mem_lifted = 0;
}

void dt__lrt_check(lua_State *L) {
  dt_lrt_t *rt = dt__lrt_get(L);
  if (rt->sim->failed) luaL_error(L, "run aborted by an earlier error");
}

int dt__lrt_raise(lua_State *L, const char *what, int err) {
  return luaL_error(L, "%s: %s", what, dt_strerror(err));
}

/* ---- coroutines ------------------------------------------------------------ */

/* Idle coroutines wait in a C array; the registry table at key_pool anchors
 * them by slot. A coroutine taken and given back to the same slot (the usual
 * case: hooks run one after another) costs no table operation at all. While
 * it runs, the coroutine stays anchored by its slot: pool_busy marks the
 * slot, and no other coroutine is given to a busy slot (that would drop the
 * anchor of one that runs). Returns the slot, or -1 for a new coroutine,
 * which is anchored on L's stack (at the top) instead. */
static lua_State *take_thread(lua_State *L, dt_lrt_t *rt, int *slot) {
  lua_State *co;
  if (rt->pool_n > 0) {
    *slot = --rt->pool_n;
    if (rt->pool_n < rt->pool_low) rt->pool_low = rt->pool_n;
    rt->pool_busy[*slot]++;
    num_touch(rt, rt->pool[*slot]);
    return rt->pool[*slot];
  }
  *slot = -1;
  co = lua_newthread(L);
  mark_engine_thread(rt, co);
  return co;
}

static int pool_noop(lua_State *L) { (void)L; return 0; }

/* Every run starts with the same pool: DT_LRT_POOL_MAX coroutines, each as a
 * fresh one that has run once (its stack at lua_resetthread's size, one call
 * record), so that the heap a run is charged against does not depend on how
 * deep earlier runs nested hooks or called (both grew the pool, or a pooled
 * coroutine's stack, and a run near its memory limit was judged by that).
 * The slots the last run took are reset; empty ones get a new coroutine. */
static void pool_ready(dt_lrt_t *rt, lua_State *L) {
  for (int i = rt->pool_low; i < rt->pool_n; i++) lua_resetthread(rt->pool[i]);
  while (rt->pool_n < DT_LRT_POOL_MAX) {
    int slot = rt->pool_n, nres;
    lua_State *co = lua_newthread(L);
    mark_engine_thread(rt, co);
    lua_pushcfunction(co, pool_noop);
    if (lua_resume(co, L, 0, &nres) != LUA_OK) { lua_pop(L, 1); break; }
    lua_resetthread(co);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &key_pool);
    lua_insert(L, -2);
    lua_rawseti(L, -2, slot + 1);
    lua_pop(L, 1);
    rt->pool_anchor[slot] = rt->pool[slot] = co;
    rt->pool_busy[slot] = 0;
    rt->pool_n++;
  }
  rt->pool_low = rt->pool_n;
}

/* co finished its function (its status is LUA_OK). */
static void give_thread(lua_State *L, lua_State *co) {
  dt_lrt_t *rt = dt__lrt_get(L);
  if (rt->pool_n >= DT_LRT_POOL_MAX) return;
  int slot = rt->pool_n;
  if (rt->pool_anchor[slot] != co) {
    if (rt->pool_busy[slot]) return;   /* anchors a coroutine that runs */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &key_pool);
    lua_pushthread(co);
    lua_xmove(co, L, 1);
    lua_rawseti(L, -2, slot + 1);
    lua_pop(L, 1);
    rt->pool_anchor[slot] = co;
  }
  rt->pool[slot] = co;
  rt->pool_n++;
}

/* A pooled coroutine that died in an error is not given back, but its slot
 * in the anchor table still held it, with all its stack did (the run's
 * tables, a buffer): kept alive into the worker's later runs. */
static void drop_anchor(dt_lrt_t *rt, lua_State *L, lua_State *co) {
  for (int i = rt->pool_n; i < DT_LRT_POOL_MAX; i++)
    if (rt->pool_anchor[i] == co) {
      lua_rawgetp(L, LUA_REGISTRYINDEX, &key_pool);
      lua_pushboolean(L, 0);
      lua_rawseti(L, -2, i + 1);
      lua_pop(L, 1);
      rt->pool_anchor[i] = NULL;
      return;
    }
}

/* Resumes co (with nargs on its stack) and settles what became of it. A hook
 * that finishes goes back to the pool; one that suspends in an engine call
 * (wait, wait_for, decide) was given a ref by that call, which anchors it. */
static int run_co(dt_lrt_t *rt, lua_State *L, lua_State *co, int nargs) {
  int nres = 0;
  rt->yield_ok = 0;
  /* The instruction budget is per hook: a hook that starts while no other
   * runs (an engine clock emitting an event, say) gets a fresh one. */
  if (rt->hook_depth == 0) dt__lrt_budget(rt);
  rt->hook_depth++;
  lua_State *prev = rt->running;
  rt->running = co;
  int st = lua_resume(co, L, nargs, &nres);
  dt__lrt_parsing = NULL;
  rt->running = prev;
  rt->hook_depth--;
  if (st == LUA_YIELD) {
    lua_pop(co, nres);
    if (!rt->yield_ok) {
      /* Suspended with nothing to wake it: a yield that is not the engine's. */
      dt__lrt_fail(rt, "a hook yielded outside wait(), wait_for() or decide()", NULL);
      return DT_ESCRIPT;
    }
    rt->yield_ok = 0;
    return 0;
  }
  if (rt->nprocesses > 0) {
    getrun(L, "processes");
    lua_pushthread(co); lua_xmove(co, L, 1);
    if (lua_rawget(L, -2) != LUA_TNIL) {
      rt->nprocesses--;
      lua_pushthread(co); lua_xmove(co, L, 1);
      lua_pushnil(L);
      lua_rawset(L, -4);
    }
    lua_pop(L, 2);
  }
  if (st == LUA_OK) {
    if (nres) lua_pop(co, nres);
    give_thread(L, co);
    return 0;
  }
  fail_from(rt, L, co, st);
  drop_anchor(rt, L, co);
  return rt->error_code ? rt->error_code : DT_ESCRIPT;
}

static void mark_process(lua_State *L, lua_State *co);
int dt__lrt_start(dt_lrt_t *rt, lua_State *L, int nargs, const char *what) {
  (void)what;
  if (!rt->sim->failed && !dt__lrt_room(rt, L)) {
    lua_pop(L, nargs + 1);
    return rt->error_code ? rt->error_code : DT_ESCRIPT;
  }
  return dt__lrt_start_hook(rt, L, nargs);
}

int dt__lrt_start_hook(dt_lrt_t *rt, lua_State *L, int nargs) {
  if (rt->sim->failed || dt__lrt_instant(rt) < 0) {
    lua_pop(L, nargs + 1);
    return rt->error_code ? rt->error_code : DT_ESCRIPT;
  }
  int slot;
  lua_State *co = take_thread(L, rt, &slot);
  if (slot < 0) lua_insert(L, -(nargs + 2));   /* a new one: anchored below fn and args */
  if (rt->spawn_next) { rt->spawn_next = 0; mark_process(L, co); }
  lua_xmove(L, co, nargs + 1);
  int rc = run_co(rt, L, co, nargs);
  if (slot < 0) lua_pop(L, 1);           /* the anchor */
  else rt->pool_busy[slot]--;
  return rc;
}

int dt__lrt_is_process(lua_State *L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_run);
  if (lua_isnil(L, -1)) { lua_pop(L, 1); return 0; }
  lua_getfield(L, -1, "processes");
  lua_pushthread(L);
  lua_rawget(L, -2);
  int yes = lua_toboolean(L, -1);
  lua_pop(L, 3);
  return yes && lua_isyieldable(L);
}

/* Called by an engine function about to suspend L: gives L a ref that anchors
 * it until it is resumed, or 0 when L is not an engine coroutine. */
int dt__lrt_current_ref(lua_State *L) {
  if (!lua_isyieldable(L) || !engine_thread(dt__lrt_get(L), L)) return 0;
  lua_pushthread(L);
  int ref = dt__lrt_ref(L, -1);
  lua_pop(L, 1);
  dt__lrt_get(L)->yield_ok = 1;
  return ref;
}

int dt__lrt_can_suspend(lua_State *L) {
  return lua_isyieldable(L) && engine_thread(dt__lrt_get(L), L);
}

static void mark_process(lua_State *L, lua_State *co) {
  getrun(L, "processes");
  lua_pushthread(co); lua_xmove(co, L, 1);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  dt__lrt_get(L)->nprocesses++;
}

int dt__lrt_resume(dt_lrt_t *rt, lua_State *L, int ref, int nargs) {
  if (rt->sim->failed || !dt__lrt_room(rt, L)) { lua_pop(L, nargs); return DT_ESCRIPT; }
  dt__lrt_getref(L, ref);
  unref(L, ref);                         /* the stack anchors it from here */
  lua_State *co = lua_tothread(L, -1);
  if (!co || lua_status(co) != LUA_YIELD) { lua_pop(L, nargs + 1); return 0; }
  lua_insert(L, -(nargs + 1));           /* anchor below the values */
  lua_xmove(L, co, nargs);
  int rc = run_co(rt, L, co, nargs);
  lua_pop(L, 1);
  return rc;
}

static int traceback(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  dt_lrt_t *rt = dt__lrt_get(L);
  rt->mem_lifted = 1;
  if (!msg) msg = lua_pushfstring(L, "error object is a %s value", luaL_typename(L, 1));
  luaL_traceback(L, L, msg, 1);
  rt->mem_lifted = 0;
  return 1;
}

void dt__lrt_impure_fail(lua_State *L, const char *what) {
  luaL_error(L, "move '%s': available() may not %s; a precondition only reads the world",
             dt__lrt_get(L)->pure, what);
}

int dt__lrt_pcall(dt_lrt_t *rt, lua_State *L, int nargs, int nres, const char *what) {
  (void)what;
  if (rt->sim->failed || !dt__lrt_room(rt, L)) { lua_pop(L, nargs + 1); return DT_ESCRIPT; }
  int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, traceback);
  lua_insert(L, base);
  lua_State *prev = rt->running;
  rt->running = L;
  int st = lua_pcall(L, nargs, nres, base);
  dt__lrt_parsing = NULL;
  rt->running = prev;
  lua_remove(L, base);
  if (st == LUA_OK) return 0;
  rt->mem_lifted = 1;
  const char *full = lua_tostring(L, -1);
  char buf[160];
  if (st == LUA_ERRMEM || rt->mem_hit) {
    dt__lrt_fail(rt, mem_msg(rt, buf, sizeof buf), NULL);
  } else if (full && !strstr(full, "run aborted by an earlier error")) {
    /* Split "message\nstack traceback:..." into its two halves. */
    const char *nl = strstr(full, "\nstack traceback:");
    if (nl) {
      char *m = malloc((size_t)(nl - full) + 1);
      if (m) {
        memcpy(m, full, (size_t)(nl - full)); m[nl - full] = 0;
        dt__lrt_fail(rt, m, nl + 1);
        free(m);
      }
    } else {
      dt__lrt_fail(rt, full, NULL);
    }
  } else {
    dt__lrt_fail(rt, full ? full : "error", NULL);
  }
  rt->mem_lifted = 0;
  lua_pop(L, 1);
  return rt->error_code ? rt->error_code : DT_ESCRIPT;
}

/* ---- foreign queue entries ------------------------------------------------ */

static int on_foreign(dt_sim_t *sim, const dt_qentry_t *e, void *ud) {
  dt_lrt_t *rt = ud;
  lua_State *L = rt->L;
  (void)sim;
  if (!dt__lrt_room(rt, L)) return DT_ESCRIPT;
  dt__lrt_budget(rt);
  /* A hook's start counts the instant (and checks the watchdog) itself. */
  switch (e->kind) {
  case DT_LRT_K_CALL:
    sim->handling = "a hook scheduled with at() or after()";
    return dt__lrt_call_fire(rt, L, e);
  case DT_LRT_K_EVERY:
    sim->handling = "a hook scheduled with every()";
    return dt__lrt_every_fire(rt, L, e);
  default: break;
  }
  int rc = dt__lrt_instant(rt);
  if (rc < 0) return rc;
  switch (e->kind) {
  case DT_LRT_K_RESUME:
    sim->handling = "a process resuming after wait()";
    return dt__lrt_resume(rt, L, (int)e->arg, 0);
  case DT_LRT_K_WAIT_TIMEOUT:
    sim->handling = "a wait_for() timeout";
    return dt__lrt_wait_timeout(rt, L, e);
  case DT_LRT_K_SERIES:
    sim->handling = "a series sample";
    return dt__lrt_series_fire(rt, L, e);
  case DT_LRT_K_OUTCOME:
    sim->handling = "an outcome with a date";
    return dt__lrt_outcome_fire(rt, L, e);
  default:
    return DT_EINVAL;
  }
}

/* ---- sandbox ---------------------------------------------------------------- */

static int readonly_newindex(lua_State *L) {
  return luaL_error(L, "cannot modify the shared library table (field '%s'): "
                       "scenarios keep their own data in local tables",
                    luaL_optstring(L, 2, "?"));
}

/* pairs(proxy) walks the library through an iterator that holds the table in
 * an upvalue (l_order.c, in the defined order): handing out `next, table`
 * would give the script the shared table itself (`local _, t =
 * pairs(string)`), writable. */
static int proxy_pairs(lua_State *L) {
  dt__lrt_ordered_pairs(L, lua_upvalueindex(1), 1);   /* over the table, state the proxy */
  return 3;
}

static int proxy_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lua_rawlen(L, lua_upvalueindex(1)));
  return 1;
}

/* Copies the listed fields of the library table at top into a read-only proxy
 * and leaves the proxy at top instead. The proxy is a userdata, not a table:
 * rawset and rawget refuse it, so no run can leave anything in a shared table
 * for the next one to find. pairs and # still work through __pairs/__len. */
static void freeze(lua_State *L, const char *const *keep) {
  lua_newtable(L);                 /* lib, copy */
  if (keep) {
    for (int i = 0; keep[i]; i++) {
      lua_getfield(L, -2, keep[i]);
      lua_setfield(L, -2, keep[i]);
    }
  } else {
    lua_pushnil(L);
    while (lua_next(L, -3)) { lua_pushvalue(L, -2); lua_insert(L, -2); lua_settable(L, -4); }
  }
  lua_newuserdatauv(L, 0, 0);      /* lib, copy, proxy */
  lua_newtable(L);                 /* lib, copy, proxy, mt */
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, readonly_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushvalue(L, -3);
  lua_pushcclosure(L, proxy_pairs, 1);
  lua_setfield(L, -2, "__pairs");
  lua_pushvalue(L, -3);
  lua_pushcclosure(L, proxy_len, 1);
  lua_setfield(L, -2, "__len");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_replace(L, -3);
  lua_pop(L, 1);
}

/* setmetatable without finalizers or weak tables: a __gc of run N could run in
 * run N+1, and both would make a run's results depend on when the collector
 * runs, which depends on the runs before it.
 *
 * Refusing them when setmetatable is called is not enough: Lua reads __mode
 * when it collects, so `mt.__mode = "k"` after setmetatable(t, mt) would make
 * t weak. So the metatable installed is a copy of the script's (its
 * metamethods only), which no script can reach: getmetatable gives the
 * script's own table back (the copy's __metatable), and what is added to that
 * table later does not change the object. Upvalues: the metamethod names. */
static const char *const mm_names[] = {
  "__index", "__newindex", "__call", "__tostring", "__name", "__len", "__eq", "__lt", "__le",
  "__concat", "__pairs", "__close", "__unm", "__add", "__sub", "__mul", "__div", "__mod",
  "__pow", "__idiv", "__band", "__bor", "__bxor", "__shl", "__shr", "__bnot",
  "__gc", "__mode", "__metatable", NULL
};
enum { MM_COPIED = 26, MM_GC = 27, MM_MODE = 28, MM_METATABLE = 29 };
_Static_assert(sizeof mm_names / sizeof *mm_names == MM_METATABLE + 1, "mm_names and MM_*");
/* Key in a copy: true when the script may replace it, false when protected. */
static const char key_copy = 0;

static int safe_setmetatable(lua_State *L) {
  /* Named in the message: called through pcall, Lua could not name it. */
  if (lua_type(L, 1) != LUA_TTABLE)
    return luaL_error(L, "bad argument #1 to 'setmetatable' (table expected, got %s)",
                      luaL_typename(L, 1));
  int t2 = lua_type(L, 2);
  if (t2 != LUA_TNIL && t2 != LUA_TTABLE)
    return luaL_error(L, "bad argument #2 to 'setmetatable' (nil or table expected, got %s)",
                      luaL_typename(L, 2));
  lua_settop(L, 2);
  if (lua_getmetatable(L, 1)) {
    int ours = lua_rawgetp(L, -1, &key_copy);
    if (ours == LUA_TBOOLEAN ? !lua_toboolean(L, -1)
                             : luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
      return luaL_error(L, "cannot change a protected metatable");
    lua_settop(L, 2);
  }
  if (t2 == LUA_TTABLE) {
    for (int i = MM_GC; i <= MM_MODE; i++) {
      lua_pushvalue(L, lua_upvalueindex(i));
      if (lua_rawget(L, 2) != LUA_TNIL)
        return luaL_error(L, "setmetatable: %s is not available in the sandbox (%s); "
                             "a run's results may not depend on when memory is collected",
                          mm_names[i - 1], i == MM_GC ? "finalizers" : "weak tables");
      lua_pop(L, 1);
    }
    lua_createtable(L, 0, 4);                       /* t, mt, copy */
    /* A small metatable is walked (cheaper than looking up every name); a
     * large one, a class holding its methods, is searched by name, so that
     * the cost stays bounded whatever its size. */
    int n = 0, walked = 1;
    lua_pushnil(L);
    while (lua_next(L, 2)) {
      if (++n > 12) { lua_pop(L, 2); walked = 0; break; }
      size_t len;
      const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tolstring(L, -2, &len) : NULL;
      if (k && len > 2 && k[0] == '_' && k[1] == '_') {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, 3);
      } else {
        lua_pop(L, 1);
      }
    }
    for (int i = 1; !walked && i <= MM_COPIED; i++) {
      lua_pushvalue(L, lua_upvalueindex(i));
      if (lua_rawget(L, 2) == LUA_TNIL) { lua_pop(L, 1); continue; }
      lua_pushvalue(L, lua_upvalueindex(i));
      lua_insert(L, -2);
      lua_rawset(L, 3);
    }
    lua_pushvalue(L, lua_upvalueindex(MM_METATABLE));
    int prot = lua_rawget(L, 2) != LUA_TNIL;      /* the script's own protection */
    if (!prot) { lua_pop(L, 1); lua_pushvalue(L, 2); }
    lua_pushvalue(L, lua_upvalueindex(MM_METATABLE));
    lua_insert(L, -2);
    lua_rawset(L, 3);                               /* __metatable: mt, or its own */
    lua_pushboolean(L, !prot);
    lua_rawsetp(L, 3, &key_copy);
    lua_replace(L, 2);
  }
  lua_setmetatable(L, 1);
  return 1;
}

/* Two C loops of Lua's library that run without the count hook and do not
 * allocate, so neither the instruction nor the memory limit nor the watchdog
 * (checked in the hook) could stop them: string.rep("", 2^62) copies an empty
 * string 2^62 times, table.move({}, 1, 2^62, 1, {}) moves 2^62 nils. rep of
 * nothing is nothing; a move is charged an instruction per element. */
static int safe_rep(lua_State *L) {
  size_t l, lsep;
  luaL_checklstring(L, 1, &l);
  luaL_checkinteger(L, 2);
  luaL_optlstring(L, 3, "", &lsep);
  if (l == 0 && lsep == 0) { lua_pushliteral(L, ""); return 1; }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

/* Charges n instructions for a C loop of n steps that the count hook does not
 * see (fn "table.move", what "of %I elements" with elems); raises the
 * instruction limit when they do not fit, and without a limit refuses 2^31
 * steps or more. Leaves the stack as it was. */
static void charge_loop(lua_State *L, lua_Unsigned n, const char *fn, const char *what,
                        lua_Integer elems) {
  dt_lrt_t *rt = dt__lrt_get(L);
  if (rt->lim.instructions > 0) {
    lua_Unsigned cap = (lua_Unsigned)rt->lim.instructions + 1;
    rt->insn_used += (int64_t)(n > cap ? cap : n);
    if (rt->insn_used > rt->lim.instructions) {
      rt->insn_hit = 1;
      const char *w = lua_pushfstring(L, what, elems);
      luaL_error(L, "instruction limit exceeded: one hook ran more than %I instructions "
                    "(%s %s counts one each; raise it with --max-instructions)",
                 (lua_Integer)rt->lim.instructions, fn, w);
    }
  } else if (n >= (lua_Unsigned)1 << 31) {
    luaL_error(L, "%s: more than 2^31 steps", fn);
  }
}

static int safe_move(lua_State *L) {
  lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
  if (e >= f) {
    lua_Unsigned n = (lua_Unsigned)e - (lua_Unsigned)f;
    charge_loop(L, n, "table.move", "of %I elements",
                (lua_Integer)(n < (lua_Unsigned)LUA_MAXINTEGER ? n + 1 : n));
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

/* table.insert(t, pos, v) and table.remove(t, pos) shift the elements from pos
 * to #t one by one in C: with a __len that says 2^62 they ran for ever, no
 * limit seeing them. Written here with the same results and messages as Lua's,
 * #t taken once (so __len runs once, as in Lua's), each shift charged. */
static void check_tablish(lua_State *L) {
  int t = lua_type(L, 1);
  if (t != LUA_TTABLE && t != LUA_TUSERDATA) luaL_typeerror(L, 1, "table");
}

static int safe_insert(lua_State *L) {
  check_tablish(L);
  lua_Integer e = luaL_len(L, 1);
  e = (lua_Integer)((lua_Unsigned)e + 1u);   /* the first free slot */
  lua_Integer pos = e;
  switch (lua_gettop(L)) {
  case 2: break;
  case 3:
    pos = luaL_checkinteger(L, 2);
    /* 1 <= pos <= e, as unsigned: one compare */
    luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2, "position out of bounds");
    charge_loop(L, (lua_Unsigned)e - (lua_Unsigned)pos, "table.insert",
                "shifting %I elements", (lua_Integer)((lua_Unsigned)e - (lua_Unsigned)pos));
    for (lua_Integer i = e; i > pos; i--) {
      lua_geti(L, 1, i - 1);
      lua_seti(L, 1, i);
    }
    break;
  default: return luaL_error(L, "wrong number of arguments to 'insert'");
  }
  lua_seti(L, 1, pos);   /* the value, on top */
  return 0;
}

static int safe_remove(lua_State *L) {
  check_tablish(L);
  lua_Integer size = luaL_len(L, 1);
  lua_Integer pos = luaL_optinteger(L, 2, size);
  if (pos != size)   /* 1 <= pos <= size + 1; Lua 5.4.4 names argument #1 here */
    luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 1, "position out of bounds");
  lua_geti(L, 1, pos);   /* the result */
  if (pos < size)
    charge_loop(L, (lua_Unsigned)size - (lua_Unsigned)pos, "table.remove", "shifting %I elements",
                (lua_Integer)((lua_Unsigned)size - (lua_Unsigned)pos));
  for (; pos < size; pos++) {
    lua_geti(L, 1, pos + 1);
    lua_seti(L, 1, pos);
  }
  lua_pushnil(L);
  lua_seti(L, 1, pos);   /* the last one goes */
  return 1;
}

/* table.sort compares in C when the values are numbers or strings: with a
 * __len of 2^31 and a C __index it ran for hours. It is charged n log2 n
 * instructions up front (n = #t, taken again by the sort: a __len runs twice). */
static int safe_sort(lua_State *L) {
  check_tablish(L);
  lua_Integer n = luaL_len(L, 1);
  if (n > 1) {
    lua_Unsigned steps = (lua_Unsigned)n, lg = 0;
    for (lua_Unsigned m = (lua_Unsigned)n; m > 1; m >>= 1) lg++;
    steps = steps > (lua_Unsigned)LUA_MAXINTEGER / (lg + 1) ? (lua_Unsigned)LUA_MAXINTEGER
                                                            : steps * (lg + 1);
    charge_loop(L, steps, "table.sort", "of %I elements (n log2 n steps)", n);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 0);
  return 0;
}

/* A coroutine starts with a fresh count of the instruction hook (the hook's
 * countdown is per thread), so creating one is charged a whole step up front:
 * the budget then bounds what all coroutines of a hook run together. */
static int charged_co(lua_State *L) {
  dt_lrt_t *rt = dt__lrt_get(L);
  if (rt->lim.instructions > 0) {
    rt->insn_used += INSN_STEP;
    if (rt->insn_hit || rt->limit_hit || rt->insn_used > rt->lim.instructions) {
      rt->insn_hit = 1;
      return luaL_error(L, "instruction limit exceeded: one hook ran more than %I instructions "
                           "(an endless loop? raise it with --max-instructions)",
                        (lua_Integer)rt->lim.instructions);
    }
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  /* A new thread copies its creator's hook: in lazy mode the creator may have
   * none, so it lends the count hook for the creation. */
  lua_Hook h = lua_gethook(L);
  int mask = lua_gethookmask(L), count = lua_gethookcount(L);
  int lend = rt->lazy && rt->lim.instructions > 0 && h != count_hook;
  if (lend) lua_sethook(L, count_hook, LUA_MASKCOUNT, INSN_STEP);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  if (lend) lua_sethook(L, h, mask, count);
  return lua_gettop(L);
}

/* coroutine.running() in a hook or a process gives the engine's coroutine.
 * Resumed by the script it woke a waiting process early (wait() returning
 * the script's values, the process going on days too soon) or ran the
 * process waiting on a pooled coroutine; closed, it ended a process without a
 * word. So resume and close take only the script's own coroutines. */
static int own_co(lua_State *L, const char *fn) {
  if (lua_type(L, 1) == LUA_TTHREAD) {
    if (engine_thread(dt__lrt_get(L), lua_tothread(L, 1)))
      return luaL_error(L, "coroutine.%s: this coroutine is the engine's (the hook's or the "
                           "process's own, as coroutine.running() gives it); only coroutines "
                           "made with coroutine.create can be resumed or closed", fn);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}
static int own_resume(lua_State *L) { return own_co(L, "resume"); }
static int own_close(lua_State *L) { return own_co(L, "close"); }

/* xpcall's message handler runs where the error was raised; for a limit that
 * is inside the count hook, where hooks are off. So the script's handler is
 * not called for a limit error: the message passes through unchanged. */
static int guarded_handler(lua_State *L) {
  dt_lrt_t *rt = dt__lrt_get(L);
  if (rt->insn_hit || rt->mem_hit || rt->limit_hit || rt->sim->failed) return 1;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

static int safe_xpcall(lua_State *L) {
  luaL_checkany(L, 2);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, guarded_handler, 1);
  lua_replace(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

/* Wraps the function at base[name] in a C closure fn with the original as its
 * upvalue. */
static void wrap(lua_State *L, int tbl, const char *name, lua_CFunction fn) {
  lua_getfield(L, tbl, name);
  lua_pushcclosure(L, fn, 1);
  lua_setfield(L, tbl, name);
}

/* Pushes a new table holding every field of the global library `name`, so the
 * sandbox can change its copy without touching the library. */
static void copy_global(lua_State *L, const char *name) {
  lua_getglobal(L, name);
  lua_newtable(L);
  lua_pushnil(L);
  while (lua_next(L, -3)) { lua_pushvalue(L, -2); lua_insert(L, -2); lua_settable(L, -4); }
  lua_remove(L, -2);
}

static void build_base(dt_lrt_t *rt) {
  lua_State *L = rt->L;
  luaL_openlibs(L);
  lua_newtable(L);                                  /* base */
  if (rt->lim.unsafe) {
    lua_pushglobaltable(L);
    lua_pushnil(L);
    while (lua_next(L, -2)) { lua_pushvalue(L, -2); lua_insert(L, -2); lua_settable(L, -5); }
    lua_pop(L, 1);
  } else {
    static const char *const globals[] = {
      "assert", "error", "ipairs", "next", "pairs", "pcall", "xpcall", "rawequal",
      "rawget", "rawlen", "rawset", "select", "setmetatable", "getmetatable",
      "tonumber", "tostring", "type", "_VERSION", NULL
    };
    for (int i = 0; globals[i]; i++) {
      lua_getglobal(L, globals[i]);
      lua_setfield(L, -2, globals[i]);
    }
    static const char *const str[] = {
      "byte", "char", "find", "format", "gmatch", "gsub", "len", "lower", "match",
      "rep", "reverse", "sub", "upper", "pack", "packsize", "unpack", NULL
    };
    copy_global(L, "string");
    dt__open_pattern(L, -1);   /* find, match, gmatch, gsub with a step budget */
    wrap(L, lua_gettop(L), "rep", safe_rep);
    dt__open_order(L, lua_gettop(L) - 1, lua_gettop(L));   /* tostring, pairs, format */
    freeze(L, str); lua_setfield(L, -2, "string");
    copy_global(L, "table");
    wrap(L, lua_gettop(L), "move", safe_move);
    wrap(L, lua_gettop(L), "sort", safe_sort);
    lua_pushcfunction(L, safe_insert); lua_setfield(L, -2, "insert");
    lua_pushcfunction(L, safe_remove); lua_setfield(L, -2, "remove");
    freeze(L, NULL); lua_setfield(L, -2, "table");
    lua_getglobal(L, "utf8"); freeze(L, NULL); lua_setfield(L, -2, "utf8");
    copy_global(L, "coroutine");
    wrap(L, lua_gettop(L), "create", charged_co);
    wrap(L, lua_gettop(L), "wrap", charged_co);
    wrap(L, lua_gettop(L), "resume", own_resume);
    wrap(L, lua_gettop(L), "close", own_close);
    freeze(L, NULL); lua_setfield(L, -2, "coroutine");
    for (int i = 0; mm_names[i]; i++) lua_pushstring(L, mm_names[i]);
    lua_pushcclosure(L, safe_setmetatable, MM_METATABLE);
    lua_setfield(L, -2, "setmetatable");
    wrap(L, lua_gettop(L), "xpcall", safe_xpcall);
    static const char *const dbg[] = { "traceback", NULL };
    lua_getglobal(L, "debug"); freeze(L, dbg); lua_setfield(L, -2, "debug");
    /* os: only what cannot observe the machine or the wall clock. */
    lua_newtable(L); lua_newtable(L); freeze(L, NULL); lua_setfield(L, -3, "os"); lua_pop(L, 1);
    /* The string metatable must not hand out the real, writable string table. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_getfield(L, -3, "string");
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
  }
  /* math: all of it, with random drawing from the run's stream. */
  copy_global(L, "math");
  lua_pushnil(L); lua_setfield(L, -2, "randomseed");
  lua_setfield(L, -2, "math");                      /* patched by dt__open_rng */
  lua_rawsetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  /* The engine's own modules add their functions to the base. */
  dt__open_all(L);
  if (!rt->lim.unsafe) {
    /* Every table the base still holds (math, rng, dist, data, ...) becomes
     * a read-only proxy, and every metatable of the engine is protected:
     * getmetatable on a handle, a Date or a library gives false, so nothing
     * shared can be reached, changed, or called with a value of another kind. */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
    int base = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, base)) {
      if (lua_type(L, -1) == LUA_TTABLE) {
        freeze(L, NULL);
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, base);
      } else {
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 1);
    lua_pushnil(L);
    while (lua_next(L, LUA_REGISTRYINDEX)) {
      if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TTABLE &&
          !strncmp(lua_tostring(L, -2), "detente.", 8)) {
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
      }
      lua_pop(L, 1);
    }
  }
}

/* ---- lifecycle ---------------------------------------------------------------- */

dt_lrt_t *dt_lrt_new(const dt_lrt_limits_t *lim, const char *stdlib_dir) {
  dt_lrt_t *rt = calloc(1, sizeof *rt);
  if (!rt) return NULL;
  rt->lim = *lim;
  rt->sim = dt_sim_new();
  rt->stdlib_dir = xstrdup(stdlib_dir ? stdlib_dir : ".");
  rt->L = lua_newstate(lalloc, rt);
  if (!rt->sim || !rt->L || !rt->stdlib_dir) { dt_lrt_free(rt); return NULL; }
  *(dt_lrt_t **)lua_getextraspace(rt->L) = rt;
  lua_State *L = rt->L;
  lua_newtable(L); lua_rawsetp(L, LUA_REGISTRYINDEX, &key_pool);
  lua_newtable(L); lua_rawsetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_chunks);
  lua_pushboolean(L, 0);
  rt->refs_ri = luaL_ref(L, LUA_REGISTRYINDEX);   /* the run's ref array goes here */
  lua_pushboolean(L, 0);
  rt->handles_ri = luaL_ref(L, LUA_REGISTRYINDEX);   /* and its handle cache */
  build_base(rt);
  /* Where a userdata's memory and a coroutine's state are from their objects
   * (dt__lrt_num): some are made now and compared with what lalloc made. */
  for (int uv = 0; uv < 3; uv++) {
    const char *u = lua_newuserdatauv(L, 1, uv);
    rt->num_udoff[uv] = (size_t)(u - rt->num_last);
    lua_pop(L, 1);
  }
  rt->num_thoff = (size_t)((const char *)lua_newthread(L) - rt->num_last);
  lua_pop(L, 1);
  rt->sim->foreign = on_foreign; rt->sim->foreign_ud = rt;
  rt->sim->hook_sink = dt__lrt_on_event; rt->sim->hook_ud = rt;
  rt->sim->after_step = dt__lrt_after_step; rt->sim->after_step_ud = rt;
  rt->sim->policy_cb = dt__lrt_policy; rt->sim->policy_ud = rt;
  rt->sim->decided_cb = dt__lrt_decided; rt->sim->decided_ud = rt;
  rt->sim->metric_cb = dt__lrt_metric; rt->sim->metric_ud = rt;
  if (lim->instructions > 0 || lim->seconds > 0)
    lua_sethook(L, count_hook, LUA_MASKCOUNT, INSN_STEP);
  /* The main thread's stack at the size every run's first entry gives it
   * (dt__lrt_room), so that it is in what the worker keeps from the start. */
  lua_settop(L, 0);
  lua_checkstack(L, DT_LRT_STACK_ROOM + 16);
  rt->calibrating = rt->mem_lifted = 1;
  lua_pushcfunction(L, calibrate_boxes);
  int st = lua_pcall(L, 0, 0, 0);
  lua_gc(L, LUA_GCSTOP);
  rt->calibrating = 2;
  lua_pushcfunction(L, calibrate_strtab);
  if (st == LUA_OK) st = lua_pcall(L, 0, 0, 0);
  rt->calibrating = 0;
  if (rt->strtab_links >= 2) {
    rt->strtab = rt->strtab_seen;
    rt->strtab_bytes = rt->strtab_bytes_seen;
  }
  lua_gc(L, LUA_GCRESTART);
  lua_gc(L, LUA_GCCOLLECT);   /* the strings and buffers made above */
  rt->mem_lifted = 0;
  if (st != LUA_OK) { dt_lrt_free(rt); return NULL; }
  rt->num_on = 1;   /* from now on, objects are the runs' */
  pool_ready(rt, L);
  lua_settop(L, 0);
  return rt;
}

static void free_named(dt_lrt_named_t *a, int n) {
  for (int i = 0; i < n; i++) { free(a[i].name); free(a[i].doc); free(a[i].v.str); }
}

static void free_series(dt_lrt_t *rt) {
  for (int i = 0; i < rt->nseries; i++) {
    dt_lrt_series_t *x = &rt->series[i];
    free(x->name); free(x->doc); free(x->t); free(x->v);
  }
  rt->nseries = 0;
}

void dt_lrt_free(dt_lrt_t *rt) {
  if (!rt) return;
  lazy_close(rt);
  rt->mstack_state = 3;   /* closing: the stack's last free is no move */
  if (rt->L) lua_close(rt->L);
  for (uint32_t i = 0; i < rt->num_nspace; i++) free(rt->num_space[i]);
  free(rt->num_space);
  free(rt->num_frame);
  pool_close(rt);
  dt_sim_free(rt->sim);
  free_named(rt->params, rt->nparams); free(rt->params);
  free_named(rt->outcomes, rt->noutcomes); free(rt->outcomes);
  free_series(rt); free(rt->series);
  free(rt->script_path); free(rt->script_dir); free(rt->stdlib_dir);
  free(rt->error);
  free(rt->slots);
  free(rt);
}

int dt_lrt_load(dt_lrt_t *rt, const char *path) {
  lua_State *L = rt->L;
  free(rt->script_path); free(rt->script_dir);
  rt->script_path = xstrdup(path);
  rt->script_dir = xstrdup(path);
  if (!rt->script_path || !rt->script_dir) return DT_ENOMEM;
  char *slash = strrchr(rt->script_dir, '/');
  if (slash) *slash = 0; else strcpy(rt->script_dir, ".");
  lua_pushfstring(L, "@%s", path);
  FILE *f = fopen(path, "rb");
  if (!f) {
    dt_lrt_clear_error(rt);
    char buf[512];
    snprintf(buf, sizeof buf, "%s: cannot open the scenario file", path);
    rt->error = xstrdup(buf);
    lua_pop(L, 1);
    return DT_EIO;
  }
  fclose(f);
  lua_pop(L, 1);
  int st = luaL_loadfilex(L, path, "t");   /* never binary chunks */
  if (st != LUA_OK) {
    dt_lrt_clear_error(rt);
    rt->error = xstrdup(lua_tostring(L, -1));
    scrub(rt->error);
    lua_pop(L, 1);
    return DT_EPARSE;
  }
  if (rt->chunk_ref) luaL_unref(L, LUA_REGISTRYINDEX, rt->chunk_ref);
  rt->chunk_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}

static void reset_named(dt_lrt_named_t **a, int *n) {
  free_named(*a, *n);
  *n = 0;
}

int dt_lrt_setup(dt_lrt_t *rt, uint64_t run_seed, const dt_lrt_override_t *ov, int nov) {
  lua_State *L = rt->L;
  dt_lrt_clear_error(rt);
  pool_ready(rt, L);   /* numbered as the last run's: renumbered when taken */
  rt->run_gen++;
  rt->num_next = 0;   /* the run numbers its objects from 1 */
  if (rt->lazy && (rt->suspect || rt->rerun)) set_hooks(rt, 0);   /* a tick's hook, left over */
  rt->suspect = 0; rt->rerun = 0;
  rt->insn_hit = rt->mem_hit = rt->limit_hit = rt->instant_hit = 0;
  rt->limit_msg[0] = 0;
  rt->hook_serial = rt->hook_running = 0;
  rt->decision_running = 0;
  memset(rt->moves_cancelled, 0, sizeof rt->moves_cancelled);
  rt->mem_asked = 0;
  rt->instant_n = 0; rt->instant_t = DT_NEVER;
  dt__lrt_watch(rt);
  rt->live_refs = 0;
  rt->nprocesses = 0;
  rt->nwhen = 0;
  rt->hook_depth = 0;
  rt->overrides = ov; rt->noverrides = nov;
  rt->scenario_called = 0;
  rt->setup_done = 0;
  reset_named(&rt->params, &rt->nparams);
  reset_named(&rt->outcomes, &rt->noutcomes);
  free_series(rt);
  dt_sim_reset(rt->sim, run_seed);
  /* Params draw from a stream of their own, so adding a draw to the story does
   * not change the sampled params (and the other way round). */
  dt_rng_seed1(&rt->param_rng, run_seed);
  dt_rng_jump(&rt->param_rng);
  /* The collector keeps its own pace from run to run. Stopping and restarting
   * it here, as before, zeroed its debt: every run then paid a step that
   * marked the worker's whole heap (the base, shared data and modules), two
   * thirds of an empty run's cost. No run's results depend on when it runs. */
  lua_createtable(L, 0, 12);                       /* run */
  static const char *const tables[] = {
    "refs", "processes", "handles", "on", "when", "waiters", "loaded",
    "moves", "injects", "attrs", "forms", NULL
  };
  for (int i = 0; tables[i]; i++) { lua_newtable(L); lua_setfield(L, -2, tables[i]); }
  /* env: starts with the base's names, so that a global the engine defines
   * (after, days, rng, ...) is one hash lookup from a script instead of a miss
   * in env and a second lookup through __index. __index = base stays, so a
   * global the script sets to nil still reads the engine's value, as before. */
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  lua_createtable(L, 0, rt->base_n + 8);
  lua_pushnil(L);
  int nb = 0;
  while (lua_next(L, -3)) { lua_pushvalue(L, -2); lua_insert(L, -2); lua_rawset(L, -4); nb++; }
  rt->base_n = nb;
  lua_newtable(L);
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "__index");
  if (!rt->lim.unsafe) {   /* getmetatable(_G).__index would be the shared base */
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
  }
  lua_setmetatable(L, -2);
  lua_remove(L, -2);                               /* the base */
  lua_pushvalue(L, -1);
  lua_setfield(L, -2, "_G");
  lua_setfield(L, -2, "env");
  lua_getfield(L, -1, "refs"); lua_rawseti(L, LUA_REGISTRYINDEX, rt->refs_ri);
  lua_getfield(L, -1, "handles"); lua_rawseti(L, LUA_REGISTRYINDEX, rt->handles_ri);
  lua_getfield(L, -1, "when"); lua_rawsetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_when);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_run);
  /* Handles of the last run's blocks go stale with them. */
  for (int i = 1; i <= rt->ref_next; i++) rt->slots[i].gen++;
  for (int k = 0; k <= DT_LRT_BLOCK_MAX; k++) rt->free_head[k] = 0;
  rt->ref_next = 0;
  rt->run_active = 1;
  /* The run's zero: what the worker keeps, measured live once (the previous
   * run's garbage is not this run's, and is not the same in every worker).
   * After a run that took much, the heap is settled too, so that what Lua
   * keeps from it (stack space, call records) is not this run's either. */
  if (rt->lim.memory &&
      (!rt->mem_keep || rt->mem_peak > rt->mem_keep + rt->strtab_bytes + MEM_HEAVY)) {
    settle(rt, 0);
    if (!rt->mem_keep) rt->mem_keep = heap(rt);
  }
  rt->mem_peak = 0;
  rt->mem_base = rt->mem_keep;
  rt->in_setup = 1;
  dt__lrt_budget(rt);
  lua_rawgeti(L, LUA_REGISTRYINDEX, rt->chunk_ref);
  getrun(L, "env");
  lua_setupvalue(L, -2, 1);
  int rc = dt__lrt_start(rt, L, 0, "scenario setup");
  if (rc == 0 && !rt->scenario_called) {
    dt__lrt_fail(rt, lua_pushfstring(L, "%s: the script never called scenario{ start = ..., "
                                 "stop = ... }", rt->script_path), NULL);
    lua_pop(L, 1);
    rc = DT_ESCRIPT;
  }
  if (rc == 0) {
    for (int i = 0; i < nov; i++) {
      int found = 0;
      for (int j = 0; j < rt->nparams; j++)
        if (strcmp(rt->params[j].name, ov[i].name) == 0) found = 1;
      if (!found) {
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        lua_pushfstring(L, "-D %s: the scenario declares no param '%s' (declared:",
                        ov[i].name, ov[i].name);
        luaL_addvalue(&b);
        for (int j = 0; j < rt->nparams; j++) {
          luaL_addchar(&b, ' ');
          luaL_addstring(&b, rt->params[j].name);
        }
        if (!rt->nparams) luaL_addstring(&b, " none");
        luaL_addchar(&b, ')');
        luaL_pushresult(&b);
        dt_lrt_clear_error(rt);
        rt->error = xstrdup(lua_tostring(L, -1));
        rt->error_code = DT_EINVAL;
        lua_pop(L, 1);
        rc = DT_EINVAL;
        break;
      }
    }
  }
  if (rc == 0 && mem_point(rt)) rc = DT_ELIMIT;
  rt->in_setup = 0;
  rt->setup_done = rc == 0;
  return rc;
}

int dt_lrt_run(dt_lrt_t *rt) {
  int rc = dt_sim_run(rt->sim, DT_NEVER);
  if (rc == 0 && rt->sim->failed) rc = rt->error_code ? rt->error_code : DT_ESCRIPT;
  return rc;
}

int dt_lrt_finish(dt_lrt_t *rt) {
  lua_State *L = rt->L;
  if (!rt->sim->failed && mem_point(rt)) return DT_ELIMIT;   /* what the run ends with */
  if (rt->sim->failed) return rt->error_code ? rt->error_code : DT_ESCRIPT;
  rt->sim->handling = "the outcomes";
  getrun(L, "outcome_fns");
  int fns = lua_gettop(L);
  for (int i = 0; i < rt->noutcomes; i++) {
    /* An outcome with a date was evaluated on that date (or never, when the
     * run ended before it: then it stays nil). */
    if (rt->outcomes[i].at != DT_NEVER) continue;
    dt_lrt_value_t *v = &rt->outcomes[i].v;
    free(v->str); v->str = NULL; v->type = DT_LRT_V_NONE;
    dt__lrt_budget(rt);
    lua_rawgeti(L, fns, i + 1);
    int rc = dt__lrt_pcall(rt, L, 0, 1, "outcome");
    if (rc < 0) { lua_settop(L, fns - 1); return rc; }
    int tv = dt__lrt_tovalue(L, v);
    if (tv < 0) {
      const char *m = lua_pushfstring(L, "outcome '%s' returned a %s; outcomes are a boolean,"
                                      " a number, a string (UTF-8), a date or nil",
                                      rt->outcomes[i].name,
                                      tv == -2 ? "string that is not UTF-8 (or holds a NUL byte)"
                                               : luaL_typename(L, -1));
      dt__lrt_fail(rt, m, NULL);
      lua_settop(L, fns - 1);
      return DT_ESCRIPT;
    }
    lua_pop(L, 1);
  }
  lua_settop(L, fns - 1);
  return 0;
}

void dt_lrt_end_run(dt_lrt_t *rt) {
  lua_State *L = rt->L;
  lua_pushnil(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_run);
  lua_pushboolean(L, 0);
  lua_rawseti(L, LUA_REGISTRYINDEX, rt->refs_ri);
  lua_pushboolean(L, 0);
  lua_rawseti(L, LUA_REGISTRYINDEX, rt->handles_ri);
  lua_pushnil(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_when);
  rt->live_refs = 0;
  rt->run_active = 0;
  lua_settop(L, 0);
  /* The compiled scenario's _ENV is the run's env until the next run sets
   * its own: let the run's globals go with it. */
  if (rt->chunk_ref) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, rt->chunk_ref);
    lua_pushnil(L);
    lua_setupvalue(L, -2, 1);
    lua_pop(L, 1);
  }
}
