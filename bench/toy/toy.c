/* toy.c: the toy negotiation model (bench/toy/README.md) in two reference
 * forms for `make bench`:
 *   toy c RUNS      hand-written C: a binary heap of event records;
 *   toy clua RUNS   the same C heap calling one Lua function per event
 *                   (through lua_pcall) that holds the model's logic and
 *                   schedules with a C function: the cost floor of "engine in
 *                   C, model in Lua".
 * Both draw from splitmix64 seeded with the run index, so their totals match
 * pure.lua's bit for bit. Prints the totals and nothing else. */
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DAYS = 500, MAX_ROUNDS = 2, TICK = 1, PROPOSAL = 2, RESPONSE = 3 };
static const double P_ACCEPT = 0.3, MEAN_PROP = 0.5, MEAN_RESP = 0.2;

static uint64_t rng_state;
static double uniform(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return (double)(z >> 11) * 0x1p-53;
}
static double expo(double mean) { return -mean * log(1 - uniform()); }

typedef struct { double t; uint64_t seq; int kind, from, to, round; } ev_t;
static ev_t *heap;
static size_t n, cap;
static uint64_t seq;
static double now;

static int less(const ev_t *a, const ev_t *b) {
  return a->t != b->t ? a->t < b->t : a->seq < b->seq;
}

static void push(double t, int kind, int from, int to, int round) {
  if (n == cap) {
    cap = cap ? cap * 2 : 256;
    heap = realloc(heap, cap * sizeof *heap);
    if (!heap) { perror("toy"); exit(1); }
  }
  ev_t e = { t, ++seq, kind, from, to, round };
  size_t i = n++;
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (!less(&e, &heap[p])) break;
    heap[i] = heap[p];
    i = p;
  }
  heap[i] = e;
}

static ev_t pop(void) {
  ev_t top = heap[0], last = heap[--n];
  size_t i = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && less(&heap[c + 1], &heap[c])) c++;
    if (!less(&heap[c], &last)) break;
    heap[i] = heap[c];
    i = c;
  }
  heap[i] = last;
  return top;
}

static long long T[8];   /* events proposals agreements breakdowns recv0 recv1 agreed0 agreed1 */

static void run_c(uint64_t s) {
  rng_state = s; n = 0; seq = 0;
  long long events = 0, proposals = 0, agreements = 0, breakdowns = 0, received[2] = { 0, 0 },
            agreed[2] = { 0, 0 };
  push(0, TICK, 0, 0, 0);
  while (n > 0) {
    ev_t e = pop();
    if (e.t >= DAYS) break;
    events++;
    switch (e.kind) {
    case TICK:
      push(e.t + expo(MEAN_PROP), PROPOSAL, 0, 1, 0);
      push(e.t + expo(MEAN_PROP), PROPOSAL, 1, 0, 0);
      push(e.t + 1, TICK, 0, 0, 0);
      break;
    case PROPOSAL:
      proposals++; received[e.to]++;
      push(e.t + expo(MEAN_RESP), RESPONSE, e.from, e.to, e.round);
      break;
    default:
      if (uniform() < P_ACCEPT) { agreements++; agreed[e.from]++; }
      else if (e.round < MAX_ROUNDS)
        push(e.t + expo(MEAN_PROP), PROPOSAL, e.to, e.from, e.round + 1);
      else breakdowns++;
    }
  }
  long long r[8] = { events,      proposals,   agreements, breakdowns,
                     received[0], received[1], agreed[0],  agreed[1] };
  for (int i = 0; i < 8; i++) T[i] += r[i];
}

/* ---- C heap, one Lua call per event ---- */

static int l_schedule(lua_State *L) {   /* schedule(delay, kind, from, to, round) */
  push(now + luaL_checknumber(L, 1), (int)luaL_checkinteger(L, 2), (int)luaL_checkinteger(L, 3),
       (int)luaL_checkinteger(L, 4), (int)luaL_checkinteger(L, 5));
  return 0;
}
static int l_uniform(lua_State *L) { lua_pushnumber(L, uniform()); return 1; }
static int l_exponential(lua_State *L) {
  lua_pushnumber(L, expo(luaL_checknumber(L, 1)));
  return 1;
}

static const char model[] =
  "local schedule, uniform, exponential = ...\n"
  "local P_ACCEPT, MEAN_PROP, MEAN_RESP, MAX_ROUNDS = 0.3, 0.5, 0.2, 2\n"
  "local TICK, PROPOSAL = 1, 2\n"
  "local c = { 0, 0, 0, 0, 0, 0, 0, 0 }\n"
  "local function handle(kind, from, to, round)\n"
  "  c[1] = c[1] + 1\n"
  "  if kind == TICK then\n"
  "    schedule(exponential(MEAN_PROP), PROPOSAL, 0, 1, 0)\n"
  "    schedule(exponential(MEAN_PROP), PROPOSAL, 1, 0, 0)\n"
  "    schedule(1, TICK, 0, 0, 0)\n"
  "  elseif kind == PROPOSAL then\n"
  "    c[2] = c[2] + 1; c[5 + to] = c[5 + to] + 1\n"
  "    schedule(exponential(MEAN_RESP), 3, from, to, round)\n"
  "  elseif uniform() < P_ACCEPT then\n"
  "    c[3] = c[3] + 1; c[7 + from] = c[7 + from] + 1\n"
  "  elseif round < MAX_ROUNDS then\n"
  "    schedule(exponential(MEAN_PROP), PROPOSAL, to, from, round + 1)\n"
  "  else\n"
  "    c[4] = c[4] + 1\n"
  "  end\n"
  "end\n"
  "return handle, c\n";

static void run_clua(lua_State *L, uint64_t s) {
  rng_state = s; n = 0; seq = 0;
  lua_pushvalue(L, 1);   /* the model chunk: a fresh model state per run */
  lua_pushcfunction(L, l_schedule);
  lua_pushcfunction(L, l_uniform);
  lua_pushcfunction(L, l_exponential);
  lua_call(L, 3, 2);
  int fn = lua_gettop(L) - 1;
  push(0, TICK, 0, 0, 0);
  while (n > 0) {
    ev_t e = pop();
    if (e.t >= DAYS) break;
    now = e.t;
    lua_pushvalue(L, fn);
    lua_pushinteger(L, e.kind); lua_pushinteger(L, e.from);
    lua_pushinteger(L, e.to); lua_pushinteger(L, e.round);
    if (lua_pcall(L, 4, 0, 0) != LUA_OK) {
      fprintf(stderr, "toy: %s\n", lua_tostring(L, -1));
      exit(1);
    }
  }
  for (int i = 0; i < 8; i++) {
    lua_rawgeti(L, fn + 1, i + 1);
    T[i] += lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  lua_settop(L, fn - 1);
}

int main(int argc, char **argv) {
  if (argc != 3 || (strcmp(argv[1], "c") && strcmp(argv[1], "clua"))) {
    fprintf(stderr, "usage: toy c|clua RUNS\n");
    return 2;
  }
  int runs = atoi(argv[2]);
  if (!strcmp(argv[1], "c")) {
    for (int i = 0; i < runs; i++) run_c((uint64_t)i);
  } else {
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    if (luaL_loadstring(L, model) != LUA_OK) {
      fprintf(stderr, "toy: %s\n", lua_tostring(L, -1));
      return 1;
    }
    for (int i = 0; i < runs; i++) run_clua(L, (uint64_t)i);
    lua_close(L);
  }
  printf("totals: events %lld proposals %lld agreements %lld breakdowns %lld received %lld %lld "
         "agreed %lld %lld\n",
         T[0], T[1], T[2], T[3], T[4], T[5], T[6], T[7]);
  free(heap);
  return 0;
}
