/* l_init.c: the one list of the engine's built-in Lua modules, opened in this
 * order into the base table every run's environment reads (as Lua's linit.c).
 * Order matters: a module may use what an earlier one opened (the State
 * methods of l_arsenal.c, l_proposal.c and l_decision.c join those of
 * l_state.c). */
#include "lrt.h"

typedef void (*opener_fn)(lua_State *L);

static const opener_fn openers[] = {
  dt__open_time,      /* l_time.c: Date, durations, now */
  dt__open_sched,     /* l_sched.c: at after every on when spawn wait stop emit */
  dt__open_state,     /* l_state.c: states, relations, groups */
  dt__open_arsenal,   /* l_arsenal.c: systems, stockpiles, changes, metrics */
  dt__open_treaty,    /* l_treaty.c: treaties */
  dt__open_proposal,  /* l_proposal.c: proposals, state:propose */
  dt__open_decision,  /* l_decision.c: decision, policy, decide, moves, injects */
  dt__open_rng,       /* l_rng.c: rng, dist, math.random */
  dt__open_data,      /* l_data.c: data.csv, data.json, require */
  dt__open_scenario,  /* l_scenario.c: scenario, param, outcome */
  dt__open_detente,   /* l_handle.c: detente.type */
};

/* [-0, +0, e] */
void dt__open_all(lua_State *L) {
  for (size_t i = 0; i < sizeof openers / sizeof openers[0]; i++) openers[i](L);
}
