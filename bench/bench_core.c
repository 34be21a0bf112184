/* bench_core.c: the engine's own speed, printed as medians of 7 repetitions:
 *  - C-only dispatch: a hold model through dt_sim_run (each handled entry
 *    schedules one more), with ~100 and ~10,000 pending entries;
 *  - dispatch where every entry runs a small Lua hook (every() callbacks);
 *  - the fixed cost of one run of a small scenario (reset + setup, no events),
 *    with the chunk compiled once, as `detente mc` does.
 * Times are the process's CPU time, not the wall clock: on a machine shared
 * with other work the wall clock measures the neighbours too. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "lrt.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

enum { REPS = 7 };

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* CPU time: the machine is shared */
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}
static double median(double *v, int n) { qsort(v, (size_t)n, sizeof *v, cmp); return v[n / 2]; }

typedef struct { int64_t left; uint64_t x; } hold_t;

static int on_hold(dt_sim_t *sim, const dt_qentry_t *e, void *ud) {
  hold_t *h = ud;
  (void)e;
  if (h->left-- <= 0) return 0;
  h->x = h->x * 6364136223846793005ULL + 1442695040888963407ULL;
  return dt_sim_schedule(sim, sim->now + 1 + (int64_t)(h->x >> 54), 0, DT_K_FOREIGN, NULL, 0, NULL);
}

static double c_dispatch(int pending, int64_t n) {
  dt_sim_t *sim = dt_sim_new();
  hold_t h = { n, 42 };
  sim->foreign = on_hold; sim->foreign_ud = &h;
  sim->now = 0; sim->stop = DT_NEVER;
  for (int i = 0; i < pending; i++) dt_sim_schedule(sim, i, 0, DT_K_FOREIGN, NULL, 0, NULL);
  double t0 = now_s();
  dt_sim_run(sim, DT_NEVER);
  double t = now_s() - t0;
  double rate = (double)sim->dispatched / t;
  dt_sim_free(sim);
  return rate;
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f || fputs(text, f) < 0) { perror(path); exit(1); }
  fclose(f);
}

static const char hook_scn[] = "scenario { start = '2000-01-01', stop = '2900-01-01' }\n"
                               "local a, b = state { id = 'A' }, state { id = 'B' }\n"
                               "local n = 0\n"
                               "for i = 1, 100 do\n"
                               "  every(hours(i), function() n = n + 1; if n % 7 == 0 then "
                               "a:adjust(b, 'tension', 0.01) end end)\n"
                               "end\n"
                               "outcome('n', function() return n end)\n";

static const char small_scn[] =
    "scenario { title = 'small', start = '2025-09-22', stop = '2027-02-05' }\n"
    "param('p_yes', 0.55, 'chance of yes')\n"
    "param('delay', dist.triangular(14, 60, 150), 'days')\n"
    "local usa, rus = state { id = 'USA' }, state { id = 'RUS' }\n"
    "usa:system { name = 'ICBM', category = 'ICBM', deployed = 400, warheads = 400, capacity = 3 "
    "}\n"
    "rus:system { name = 'ICBM', category = 'ICBM', deployed = 300, warheads = 870, capacity = 4 "
    "}\n"
    "metric { name = 'warheads', terms = { { categories = '*', count = 'warheads' } } }\n"
    "local t = treaty { id = 'nst', parties = { usa, rus }, limits = { { metric = 'warheads', max "
    "= 1550 } },\n"
    "                   in_force = '2011-02-05', expires = '2026-02-05' }\n"
    "decision('answer', { options = { 'accept', 'reject', 'silence' }, default = 'silence' })\n"
    "policy(usa, 'answer', { weights = { accept = 0.55, reject = 0.15, silence = 0.3 } })\n"
    "outcome('holds', function() return t:complies(usa) and t:complies(rus) end)\n";

int main(int argc, char **argv) {
  int64_t n = argc > 1 ? atoll(argv[1]) : 5000000;
  double v[REPS];
  for (int r = 0; r < REPS; r++) v[r] = c_dispatch(100, n);
  printf("core dispatch, C only, ~100 pending:    %6.2f M events/s (median of %d)\n",
         median(v, REPS) / 1e6, REPS);
  for (int r = 0; r < REPS; r++) v[r] = c_dispatch(10000, n);
  printf("core dispatch, C only, ~10000 pending:  %6.2f M events/s (median of %d)\n",
         median(v, REPS) / 1e6, REPS);

  dt_lrt_limits_t lim = { .instructions = 100000000 };
  char dir[] = "/tmp/detente-bench-XXXXXX";
  if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
  char hook_path[64], small_path[64];
  snprintf(hook_path, sizeof hook_path, "%s/hook.lua", dir);
  snprintf(small_path, sizeof small_path, "%s/small.lua", dir);
  write_file(hook_path, hook_scn);
  write_file(small_path, small_scn);

  dt_lrt_t *rt = dt_lrt_new(&lim, ".");
  if (!rt || dt_lrt_load(rt, hook_path)) {
    fprintf(stderr, "bench: %s\n", rt ? rt->error : "oom");
    return 1;
  }
  for (int r = 0; r < REPS; r++) {
    if (dt_lrt_setup(rt, 1, NULL, 0)) { fprintf(stderr, "bench: %s\n", rt->error); return 1; }
    dt_time_t until = rt->sim->now + 3600 * 2000;   /* ~1e6 hook calls */
    double t0 = now_s();
    dt_sim_run(rt->sim, until);
    double t = now_s() - t0;
    v[r] = (double)rt->sim->dispatched / t;
    dt_lrt_end_run(rt);
  }
  printf("dispatch with a small Lua hook:         %6.2f M events/s (median of %d)\n",
         median(v, REPS) / 1e6, REPS);
  dt_lrt_free(rt);

  rt = dt_lrt_new(&lim, ".");
  if (!rt || dt_lrt_load(rt, small_path)) {
    fprintf(stderr, "bench: %s\n", rt ? rt->error : "oom");
    return 1;
  }
  for (int r = 0; r < REPS; r++) {
    int runs = 20000;
    double t0 = now_s();
    for (int i = 0; i < runs; i++) {
      if (dt_lrt_setup(rt, (uint64_t)i, NULL, 0)) {
        fprintf(stderr, "bench: %s\n", rt->error);
        return 1;
      }
      dt_lrt_end_run(rt);
    }
    v[r] = (now_s() - t0) / runs * 1e6;
  }
  printf("fixed cost of one run (reset + setup):  %6.2f us per run (median of %d)\n",
         median(v, REPS), REPS);
  dt_lrt_free(rt);
  remove(hook_path); remove(small_path); rmdir(dir);
  return 0;
}
