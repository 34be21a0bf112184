/* embed.c: running a scenario from C with libdetente. Build it with
 *   cc examples/embed.c $(pkg-config --cflags --libs detente) -o embed
 * or, in the source tree: make build/examples/embed. */
#include <detente.h>
#include <stdio.h>

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: embed SCENARIO.lua [STDLIB_DIR]\n"); return 2; }
  lrt_limits_t lim = { 100000000, (size_t)256 << 20, 0 };
  dt_lrt_t *rt = lrt_new(&lim, argc > 2 ? argv[2] : "stdlib");
  if (!rt) return 1;
  int rc = lrt_load(rt, argv[1]);
  /* Five runs with seeds 1..5, compiled once. */
  for (uint64_t seed = 1; rc == 0 && seed <= 5; seed++) {
    rc = lrt_setup(rt, seed, NULL, 0);
    if (rc == 0) rc = dt_sim_run(rt->sim, DT_NEVER);
    if (rc == 0) rc = lrt_finish(rt);
    if (rc == 0) {
      printf("seed %llu:", (unsigned long long)seed);
      for (int i = 0; i < rt->noutcomes; i++) {
        const lrt_value_t *v = &rt->outcomes[i].v;
        if (v->type == LRT_V_NUM) printf(" %s=%g", rt->outcomes[i].name, v->num);
        else if (v->type == LRT_V_BOOL) printf(" %s=%s", rt->outcomes[i].name, v->num ? "true" : "false");
        else if (v->type == LRT_V_STR) printf(" %s=%s", rt->outcomes[i].name, v->str);
      }
      printf("\n");
    }
    lrt_end_run(rt);
  }
  if (rc != 0) fprintf(stderr, "embed: %s\n", rt->error ? rt->error : dt_strerror(rc));
  lrt_free(rt);
  return rc == 0 ? 0 : 1;
}
