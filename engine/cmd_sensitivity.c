/* cmd_sensitivity.c: `detente sensitivity`: parses the command line and
 * hands the analyses to sensitivity.c; prints the result, saves its JSON. */
#include "cli.h"
#include "sensitivity.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
  "usage: detente sensitivity FILE [options]\n"
  "\n"
  "How much each param with a range (a declared min and max, or a bounded distribution)\n"
  "moves each numeric or boolean outcome (docs/batch.md#sensitivity):\n"
  "  one at a time: each param at its min and at its max, the others at their base\n"
  "  (the default, or the middle of a distribution's range): a tornado;\n"
  "  Sobol first-order and total indices from Saltelli's sampling, N (k + 2) points,\n"
  "  with 95% bootstrap intervals.\n"
  "\n"
  "options:\n"
  "  --runs R              runs per design point; a point's outcome is their mean (default 10)\n"
  "  --samples N           Saltelli's N (default 256); 0: no Sobol indices\n"
  "  --no-oat              no one-at-a-time analysis\n"
  "  --bootstrap B         bootstrap resamples for the intervals (default 200)\n"
  "  --seed S              master seed (default 1)\n"
  "  --threads T           worker threads (default: the number of processors)\n"
  "  --json FILE           the result as JSON (docs/formats.md); `detente report` draws it\n"
  "  -D name=value         fix a param (it is not varied)\n"
  "  --quiet, -q           print nothing but errors\n"
  "  --max-instructions N, --max-memory MIB, --unsafe   as for `detente run`\n"
  "\n"
  "exit codes: 0 done, 1 the scenario does not load, 2 usage (also: no param has a range),\n"
  "3 file error\n";

typedef struct sens_args {
  dt_common_opts_t o;
  const char *file, *json;
  uint64_t threads;
  dt_sens_opts_t so;
} sens_args_t;

static int usage_err(const char *fmt, const char *a) {
  dt_cli_usage_error("sensitivity", fmt, a);
  return DT_EXIT_USAGE;
}

static int parse_args(int argc, char **argv, sens_args_t *a) {
  a->so.seed = 1; a->so.runs = 10; a->so.samples = 256; a->so.oat = 1; a->so.nboot = 200;
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i];
    int rcu = dt_cli_common(&a->o, argc, argv, &i, "sensitivity");
    if (rcu < 0) return DT_EXIT_USAGE;
    if (rcu > 0) continue;
    if (!strcmp(s, "--help") || !strcmp(s, "-h")) { fputs(usage, stdout); return DT_EXIT_OK; }
    if (!strcmp(s, "--no-oat")) { a->so.oat = 0; continue; }
    if (!strcmp(s, "--runs") || !strcmp(s, "--samples") || !strcmp(s, "--bootstrap") ||
        !strcmp(s, "--seed") || !strcmp(s, "--threads") || !strcmp(s, "--json")) {
      if (i + 1 >= argc) return usage_err("%s needs a value", s);
      const char *v = argv[++i];
      uint64_t x = 0;
      if (!strcmp(s, "--json")) { a->json = v; continue; }
      if (!strcmp(s, "--seed")) {
        if (dt_cli_seed(v, &a->so.seed))
          return usage_err("--seed expects a whole number, got '%s'", v);
        continue;
      }
      if (dt_cli_u64(v, &x)) return usage_err("expected a whole number, got '%s'", v);
      if (!strcmp(s, "--runs")) {
        if (x < 1 || x > 1000000) return usage_err("--runs expects 1 to 1000000, got '%s'", v);
        a->so.runs = x;
      } else if (!strcmp(s, "--samples")) {
        if (x == 1 || x > 1000000)
          return usage_err("--samples expects 0 or 2 to 1000000, got '%s'", v);
        a->so.samples = x;
      } else if (!strcmp(s, "--bootstrap")) {
        if (x > 100000) return usage_err("--bootstrap expects 0 to 100000, got '%s'", v);
        a->so.nboot = (int)x;
      } else {
        if (x < 1 || x > 1024) return usage_err("--threads expects 1 to 1024, got '%s'", v);
        a->threads = x;
      }
      continue;
    }
    if (s[0] == '-' && s[1]) return usage_err("unknown option '%s'", s);
    if (a->file) return usage_err("one scenario file at a time ('%s')", s);
    a->file = s;
  }
  if (!a->file) { fputs(usage, stderr); return DT_EXIT_USAGE; }
  const dt_cli_file_t files[] = { { "the scenario", a->file }, { "--json", a->json } };
  if (dt_cli_check_files("sensitivity", files, 1, 2) < 0) return DT_EXIT_USAGE;
  if (!a->so.oat && !a->so.samples)
    return usage_err("%s", "--no-oat and --samples 0: nothing to do");
  return -1;
}

int dt_cmd_sensitivity(int argc, char **argv) {
  sens_args_t a = { 0 };
  dt_cli_defaults(&a.o);
  int code = parse_args(argc, argv, &a);
  const char *names[256], *values[256];
  if (code < 0) {
    for (int k = 0; k < a.o.nov; k++) { names[k] = a.o.ov[k].name; values[k] = a.o.ov[k].value; }
    a.so.nov = a.o.nov; a.so.ov_name = names; a.so.ov_value = values;
    dt_batch_run_opts_t ro = { 0 };
    ro.path = a.file;
    ro.stdlib_dir = dt_cli_stdlib_dir();
    ro.lim = a.o.lim;
    ro.fork_at = DT_NEVER;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    ro.threads = a.threads ? (int)a.threads : ncpu > 0 ? (int)ncpu : 1;
    json_t *res = NULL;
    char err[2048] = "";
    int rc = dt_sensitivity(&ro, &a.so, &res, err, sizeof err);
    if (rc) {
      fprintf(stderr, "detente sensitivity: %s\n", err[0] ? err : dt_strerror(rc));
      code = rc == DT_EINVAL ? DT_EXIT_USAGE : rc == DT_EIO ? DT_EXIT_IO : DT_EXIT_SCRIPT;
    } else {
      code = DT_EXIT_OK;
      if (a.json && dt_batch_summary_write(res, a.json)) {
        fprintf(stderr, "detente sensitivity: cannot write '%s'\n", a.json);
        code = DT_EXIT_IO;
      }
      if (!a.o.quiet) dt_sensitivity_print(res, stdout);
    }
    json_decref(res);
  }
  for (int k = 0; k < a.o.nov; k++) free((char *)a.o.ov[k].name);
  return code;
}
