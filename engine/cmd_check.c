/* cmd_check.c: `detente check`: runs a scenario's setup and a few short smoke
 * runs in check mode and reports every mistake it finds, not just the first.
 * Owns nothing beyond its one runtime; the findings come from l_fields.c. */
#include "cli.h"
#include "l_fields.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
  "usage: detente check FILE [options]\n"
  "\n"
  "Checks the scenario FILE without a batch: runs its setup and a few smoke runs\n"
  "(seeds 1..N, each through the scenario's window, policies answering every\n"
  "decision) and reports every problem it finds: unknown fields (with the closest\n"
  "name), policies for undeclared decisions, declared decisions no state has a\n"
  "policy for, params never read, outcomes never set, moves refused (with the\n"
  "call's file:line), hooks dated outside the window, and any error a run raises.\n"
  "\n"
  "options:\n"
  "  --seeds N             smoke runs (default 8)\n"
  "  --until DATE          end each smoke run at DATE instead of the scenario's stop\n"
  "  -D name=value         override a param (repeatable)\n"
  "  --max-instructions N, --max-memory MIB, --unsafe   as for `detente run`\n"
  "\n"
  "exit codes: 0 clean, 1 problems found, 2 usage, 3 file error\n";

/* Records a run's error once: its first line and the date line that closes
 * it, with the first seed that raised it (the others usually repeat it). */
static void add_error(dt_lrt_t *rt, uint64_t seed, char ***seen, int *nseen) {
  const char *e = rt->error ? rt->error : "the run failed";
  const char *nl = strchr(e, '\n');
  const char *last = strrchr(e, '\n');
  size_t n = nl ? (size_t)(nl - e) : strlen(e);
  size_t cap = strlen(e) + 64;
  char *key = malloc(cap), *msg = malloc(cap);
  if (!key || !msg) { free(key); free(msg); return; }
  snprintf(key, cap, "%.*s (%s", (int)n, e, last && last != nl ? last + 1 : "during setup");
  for (int i = 0; i < *nseen; i++)
    if (!strcmp((*seen)[i], key)) { free(key); free(msg); return; }
  char **grown = realloc(*seen, sizeof *grown * (size_t)(*nseen + 1));
  if (!grown) { free(key); free(msg); return; }
  *seen = grown;
  (*seen)[(*nseen)++] = key;
  snprintf(msg, cap, "%s; seed %llu)", key, (unsigned long long)seed);
  dt__lrt_add_finding(rt, msg);
  free(msg);
}

int dt_cmd_check(int argc, char **argv) {
  dt_common_opts_t o;
  dt_cli_defaults(&o);
  const char *file = NULL, *until_s = NULL;
  uint64_t nseeds = 8;
  int api = 0, rcu;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if ((rcu = dt_cli_common(&o, argc, argv, &i, "check")) != 0) {
      if (rcu < 0) return DT_EXIT_USAGE;
      continue;
    }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage, stdout); return 0; }
    if (!strcmp(a, "--api")) { api = 1; continue; }   /* for tests/cli/editor.sh */
    if (!strcmp(a, "--seeds") || !strcmp(a, "--until")) {
      if (i + 1 >= argc) return dt_cli_usage_error("check", "%s needs a value", a), DT_EXIT_USAGE;
      const char *v = argv[++i];
      if (!strcmp(a, "--until")) until_s = v;
      else if (dt_cli_u64(v, &nseeds) || nseeds < 1 || nseeds > 1000) {
        dt_cli_usage_error("check", "--seeds expects a whole number from 1 to 1000, got '%s'", v);
        return DT_EXIT_USAGE;
      }
      continue;
    }
    if (a[0] == '-' && a[1]) {
      dt_cli_usage_error("check", "unknown option '%s'", a);
      return DT_EXIT_USAGE;
    }
    if (file) {
      dt_cli_usage_error("check", "one scenario file at a time ('%s' and '%s')", file, a);
      return DT_EXIT_USAGE;
    }
    file = a;
  }
  dt_lrt_t *rt = NULL;
  int code = DT_EXIT_OK;
  if (api) {
    if (!(rt = dt_lrt_new(&o.lim, dt_cli_stdlib_dir()))) return DT_EXIT_SCRIPT;
    dt__lrt_print_api(rt, stdout);
    goto done;
  }
  if (!file) { fputs(usage, stderr); return DT_EXIT_USAGE; }
  dt_time_t until = DT_NEVER;
  if (until_s && dt_time_parse(until_s, &until)) {
    dt_cli_usage_error("check", "--until expects a date YYYY-MM-DD, got '%s'", until_s);
    return DT_EXIT_USAGE;
  }
  if (!(rt = dt_lrt_new(&o.lim, dt_cli_stdlib_dir()))) {
    fprintf(stderr, "detente check: out of memory\n");
    return DT_EXIT_SCRIPT;
  }
  int rc = dt_lrt_load(rt, file);
  if (rc < 0) {
    printf("%s\n", rt->error);
    code = rc == DT_EIO ? DT_EXIT_IO : DT_EXIT_SCRIPT;
    goto done;
  }
  dt__lrt_set_check(rt, 1);
  rt->quiet_print = 1;
  int nruns = 0, nerr = 0;
  char **errs = NULL;
  for (uint64_t seed = 1; seed <= nseeds; seed++) {
    rc = dt_lrt_setup(rt, seed, o.ov, o.nov);
    if (rc == DT_EINVAL && rt->error && !strncmp(rt->error, "-D ", 3)) {
      fprintf(stderr, "detente check: %s\n", rt->error);
      code = DT_EXIT_USAGE;
      dt_lrt_end_run(rt);
      break;
    }
    if (rc == 0 && until != DT_NEVER && until < rt->sim->start) {   /* smoke runs of nothing */
      char d0[32];
      dt_time_format(rt->sim->start, d0, sizeof d0);
      dt_cli_usage_error("check", "--until %s is before the scenario's start %s", until_s, d0);
      code = DT_EXIT_USAGE;
      dt_lrt_end_run(rt);
      break;
    }
    int finished = 0;
    if (rc == 0) rc = dt_sim_run(rt->sim, until);
    if (rc == 0 && !rt->sim->failed) { rc = dt_lrt_finish(rt); finished = rc == 0; }
    if (rc != 0 || rt->sim->failed) add_error(rt, seed, &errs, &nerr);
    dt__lrt_check_after_run(rt, finished);
    nruns += finished;
    int setup_failed = !rt->setup_done;
    dt_lrt_end_run(rt);
    if (setup_failed) break;   /* the same setup fails the same way for every seed */
  }
  for (int i = 0; i < nerr; i++) free(errs[i]);
  free(errs);
  if (code == DT_EXIT_USAGE) goto done;
  dt__lrt_check_finish(rt, nruns);
  int n = dt__lrt_nfindings(rt);
  for (int i = 0; i < n; i++) printf("%s\n", dt__lrt_finding(rt, i));
  if (n) {
    printf("detente check: %d problem%s in %s\n", n, n == 1 ? "" : "s", file);
    code = DT_EXIT_SCRIPT;
  } else {
    printf("detente check: %s is clean (setup and %llu smoke run%s)\n", file,
           (unsigned long long)nseeds, nseeds == 1 ? "" : "s");
  }
done:
  dt_lrt_free(rt);
  for (int k = 0; k < o.nov; k++) free((char *)o.ov[k].name);
  return code;
}
