/* embed.c: running a scenario from C with libdetente, through the public
 * header alone. Build it against an installed library with
 *   cc examples/embed.c $(pkg-config --cflags --static --libs detente) -o embed
 * (tests/cli/install.sh does exactly that). */
#include <detente.h>
#include <stdio.h>

static void print_outcomes(const dt_lrt_t *rt, uint64_t seed) {
  printf("seed %llu:", (unsigned long long)seed);
  for (int i = 0; i < dt_lrt_noutcomes(rt); i++) {
    const char *name = dt_lrt_outcome_name(rt, i);
    const dt_lrt_value_t *v = dt_lrt_outcome(rt, i);
    if (v->type == DT_LRT_V_NUM) printf(" %s=%g", name, v->num);
    else if (v->type == DT_LRT_V_BOOL) printf(" %s=%s", name, v->num ? "true" : "false");
    else if (v->type == DT_LRT_V_STR) printf(" %s=%s", name, v->str);
  }
  printf("\n");
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: embed SCENARIO.lua [STDLIB_DIR]\n"); return 2; }
  dt_lrt_limits_t lim = { .instructions = 100000000, .memory = (size_t)256 << 20,
                          .seconds = 60, .instant_events = 1000000 };
  dt_lrt_t *rt = dt_lrt_new(&lim, argc > 2 ? argv[2] : "stdlib");
  if (!rt) return 1;
  int rc = dt_lrt_load(rt, argv[1]);
  /* Five runs with seeds 1..5, compiled once. */
  for (uint64_t seed = 1; rc == 0 && seed <= 5; seed++) {
    rc = dt_lrt_setup(rt, seed, NULL, 0);
    if (rc == 0) rc = dt_lrt_run(rt);
    if (rc == 0) rc = dt_lrt_finish(rt);
    if (rc == 0) print_outcomes(rt, seed);
    dt_lrt_end_run(rt);
  }
  if (rc != 0)
    fprintf(stderr, "embed: %s\n", dt_lrt_error(rt) ? dt_lrt_error(rt) : dt_strerror(rc));
  dt_lrt_free(rt);
  return rc == 0 ? 0 : 1;
}
