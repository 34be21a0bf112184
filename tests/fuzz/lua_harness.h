/* lua_harness.h: shared by the harnesses that go through the Lua runtime: one
 * runtime per process, a scenario written to a private folder, and a run per
 * input (setup, then the run, then the run's end). Limits are small so that a
 * slow input costs milliseconds, not the fuzzer's time. */
#ifndef DT_FUZZ_LUA_HARNESS_H
#define DT_FUZZ_LUA_HARNESS_H
#include "detente.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char fz_dir[128];
static dt_lrt_t *fz_rt;

/* Writes n bytes to fz_dir/name. */
static void fz_write(const char *name, const void *p, size_t n) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", fz_dir, name);
  FILE *f = fopen(path, "wb");
  if (!f) abort();
  if (n && fwrite(p, 1, n, f) != n) abort();
  fclose(f);
}

/* Removes the private folder at exit (what the harnesses write in it). */
static void fz_cleanup(void) {
  static const char *const names[] = { "s.lua", "in.csv", "in.json", NULL };
  char path[256];
  for (int i = 0; names[i]; i++) {
    snprintf(path, sizeof path, "%s/%s", fz_dir, names[i]);
    unlink(path);
  }
  rmdir(fz_dir);
}

/* The runtime, made on first use around the scenario text. */
static dt_lrt_t *fz_runtime(const char *scenario) {
  if (fz_rt) return fz_rt;
  /* tmpfs where there is one: rewriting a file per input on a disk costs the
   * kernel's writeback more than the run itself. */
  struct stat st;
  const char *tmp = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
  snprintf(fz_dir, sizeof fz_dir, "%s/dt-fuzz-%d", tmp, (int)getpid());
  mkdir(fz_dir, 0700);
  atexit(fz_cleanup);
  fz_write("s.lua", scenario, strlen(scenario));
  dt_lrt_limits_t lim = { .instructions = 1000000, .memory = (size_t)64 << 20, .seconds = 5,
                          .instant_events = 100000 };
  const char *stdlib = getenv("DETENTE_STDLIB");
  fz_rt = dt_lrt_new(&lim, stdlib ? stdlib : "stdlib");
  if (!fz_rt) abort();
  char path[256];
  snprintf(path, sizeof path, "%s/s.lua", fz_dir);
  if (dt_lrt_load(fz_rt, path) != 0) { fprintf(stderr, "%s\n", dt_lrt_error(fz_rt)); abort(); }
  return fz_rt;
}

/* One run: setup (with the overrides), the simulation, the end. Returns the
 * setup's code. */
static int fz_run(dt_lrt_t *rt, const dt_lrt_override_t *ov, int nov, int run) {
  dt_lrt_forget_data(rt);   /* else every input after the first parses from the cache */
  int rc = dt_lrt_setup(rt, 1, ov, nov);
  if (rc == 0 && run) dt_lrt_run(rt);
  dt_lrt_end_run(rt);
  return rc;
}
#endif
