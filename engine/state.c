/* state.c: states, groups of states, weapon categories and the named pairwise
 * relations between states. Everything lives in the run's arena and iterates in
 * declaration order. */
#include "world.h"
#include <string.h>

int dt_state_add(dt_sim_t *sim, const char *id, const char *name, dt_state_t **out) {
  if (!id || !*id) return DT_EINVAL;
  if (dt_state_find(sim, id) || dt_group_find(sim, id)) return DT_EEXIST;
  if (DT__GROW(sim, sim->states, sim->capstates, sim->nstates + 1)) return DT_ENOMEM;
  dt_state_t *s = dt_arena_alloc(&sim->arena, sizeof *s);
  if (!s) return DT_ENOMEM;
  s->id = dt_arena_strdup(&sim->arena, id);
  s->name = dt_arena_strdup(&sim->arena, name && *name ? name : id);
  if (!s->id || !s->name) return DT_ENOMEM;
  s->index = sim->nstates;
  sim->states[sim->nstates++] = s;
  /* Relations are dense matrices; widen them when the states outgrow the stride. */
  if (sim->nstates > sim->relstride) {
    int ns = sim->relstride ? sim->relstride * 2 : 8;
    for (int r = 0; r < sim->nrel; r++) {
      double *m = dt_arena_alloc(&sim->arena, sizeof(double) * (size_t)ns * (size_t)ns);
      if (!m) return DT_ENOMEM;
      for (int i = 0; i < sim->relstride; i++)
        for (int j = 0; j < sim->relstride; j++)
          m[i * ns + j] = sim->rel[r][i * sim->relstride + j];
      sim->rel[r] = m;
    }
    sim->relstride = ns;
  }
  if (out) *out = s;
  return 0;
}

dt_state_t *dt_state_find(dt_sim_t *sim, const char *id) {
  for (int i = 0; i < sim->nstates; i++)
    if (strcmp(sim->states[i]->id, id) == 0) return sim->states[i];
  return NULL;
}

static int find_name(const char *const *names, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (strcmp(names[i], name) == 0) return i;
  return -1;
}

int dt_category_find(const dt_sim_t *sim, const char *name) {
  return find_name(sim->cats, sim->ncats, name);
}

int dt_category_intern(dt_sim_t *sim, const char *name) {
  if (!name || !*name) return DT_EINVAL;
  int i = dt_category_find(sim, name);
  if (i >= 0) return i;
  if (sim->ncats >= 64) return DT_ERANGE;     /* categories are bits of a mask */
  if (DT__GROW(sim, sim->cats, sim->capcats, sim->ncats + 1)) return DT_ENOMEM;
  const char *c = dt_arena_strdup(&sim->arena, name);
  if (!c) return DT_ENOMEM;
  sim->cats[sim->ncats] = c;
  return sim->ncats++;
}

int dt_relation_find(const dt_sim_t *sim, const char *name) {
  return find_name(sim->relnames, sim->nrel, name);
}

int dt_relation_intern(dt_sim_t *sim, const char *name) {
  if (!name || !*name) return DT_EINVAL;
  int i = dt_relation_find(sim, name);
  if (i >= 0) return i;
  int cap = sim->caprel;
  if (DT__GROW(sim, sim->relnames, sim->caprel, sim->nrel + 1)) return DT_ENOMEM;
  if (sim->caprel != cap || !sim->rel) {
    void *arr = sim->rel; int c = cap;
    if (dt__grow(sim, &arr, &c, sim->caprel, sizeof(double *))) return DT_ENOMEM;
    sim->rel = arr;
  }
  if (sim->relstride == 0) sim->relstride = 8;
  while (sim->relstride < sim->nstates) sim->relstride *= 2;
  size_t n = (size_t)sim->relstride * (size_t)sim->relstride;
  double *m = dt_arena_alloc(&sim->arena, sizeof(double) * n);
  const char *nm = dt_arena_strdup(&sim->arena, name);
  if (!m || !nm) return DT_ENOMEM;
  sim->rel[sim->nrel] = m;
  sim->relnames[sim->nrel] = nm;
  return sim->nrel++;
}

double dt_relation_get(const dt_sim_t *sim, int rel, int a, int b) {
  if (rel < 0 || rel >= sim->nrel || a < 0 || b < 0 || a >= sim->nstates ||
      b >= sim->nstates)
    return 0.0;
  return sim->rel[rel][a * sim->relstride + b];
}

void dt_relation_set(dt_sim_t *sim, int rel, int a, int b, double v) {
  if (rel < 0 || rel >= sim->nrel || a < 0 || b < 0 || a >= sim->nstates ||
      b >= sim->nstates)
    return;
  sim->rel[rel][a * sim->relstride + b] = v;
}

int dt_group_add(dt_sim_t *sim, const char *id, const char *name, const int *members,
                 int n, dt_group_t **out) {
  if (!id || !*id || n < 1) return DT_EINVAL;
  if (dt_group_find(sim, id) || dt_state_find(sim, id)) return DT_EEXIST;
  for (int i = 0; i < n; i++) {
    if (members[i] < 0 || members[i] >= sim->nstates) return DT_ENOENT;
    for (int j = 0; j < i; j++) if (members[j] == members[i]) return DT_EINVAL;
  }
  if (DT__GROW(sim, sim->groups, sim->capgroups, sim->ngroups + 1)) return DT_ENOMEM;
  dt_group_t *g = dt_arena_alloc(&sim->arena, sizeof *g);
  if (!g) return DT_ENOMEM;
  g->id = dt_arena_strdup(&sim->arena, id);
  g->name = dt_arena_strdup(&sim->arena, name && *name ? name : id);
  g->members = dt_arena_alloc(&sim->arena, sizeof(int) * (size_t)n);
  if (!g->id || !g->name || !g->members) return DT_ENOMEM;
  memcpy(g->members, members, sizeof(int) * (size_t)n);
  g->nmembers = n; g->index = sim->ngroups; g->ref = 0;
  sim->groups[sim->ngroups++] = g;
  if (out) *out = g;
  return 0;
}

dt_group_t *dt_group_find(dt_sim_t *sim, const char *id) {
  for (int i = 0; i < sim->ngroups; i++)
    if (strcmp(sim->groups[i]->id, id) == 0) return sim->groups[i];
  return NULL;
}

int dt_group_has(const dt_group_t *g, int state) {
  for (int i = 0; i < g->nmembers; i++) if (g->members[i] == state) return 1;
  return 0;
}
