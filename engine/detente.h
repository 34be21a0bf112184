/* detente.h: the one public header of the détente library (libdetente.a).
 *
 * Layers, each built only on the ones before it (STYLE.md):
 *   core     errors.h simtime.h rng.h queue.h arena.h world.h   plain C, no Lua
 *   runtime  lrt.h   the Lua state around a simulation: load, setup, finish
 *
 * Ownership: a dt_lrt_t owns its lua_State and its dt_sim_t; a dt_sim_t owns its
 * world, queue and random stream. Everything a run creates is freed when the
 * next run starts (lrt_setup) or when the owner is freed. Pointers into the
 * world are borrowed and valid until then.
 *
 * Embedding, in brief (examples/embed.c is a complete program):
 *   dt_lrt_t *rt = lrt_new(&(lrt_limits_t){ 100000000, 256u << 20, 0 }, STDLIB);
 *   if (lrt_load(rt, "scenario.lua") == 0 && lrt_setup(rt, seed, NULL, 0) == 0 &&
 *       dt_sim_run(rt->sim, DT_NEVER) == 0 && lrt_finish(rt) == 0)
 *     ... rt->outcomes[i].name, rt->outcomes[i].v ...
 *   else fprintf(stderr, "%s\n", rt->error);
 *   lrt_end_run(rt); lrt_free(rt);
 */
#ifndef DETENTE_H
#define DETENTE_H
#include "errors.h"
#include "simtime.h"
#include "rng.h"
#include "queue.h"
#include "arena.h"
#include "world.h"
#include "lrt.h"
#endif
