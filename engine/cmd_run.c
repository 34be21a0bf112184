/* cmd_run.c: `detente run`: one run of a scenario told as a timeline, with an
 * optional JSON Lines log. Owns nothing beyond the run it makes. */
#include "cli.h"
#include "output.h"
#include "run_html.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
  "usage: detente run FILE [options]\n"
  "\n"
  "Runs the scenario FILE once and prints a dated timeline and the outcomes.\n"
  "\n"
  "options:\n"
  "  --seed N              run seed (default 1); `detente mc` prints the seed of each run\n"
  "  -D name=value         override a param (repeatable)\n"
  "  --until DATE          stop the run at DATE (YYYY-MM-DD) instead of the scenario's stop\n"
  "  --fork-at DATE        with --fork-seed S: the history up to DATE comes from --seed (the\n"
  "                        batch's master seed), the rest from S; reproduces one run of\n"
  "                        `detente mc --fork-at DATE` (its CSV row gives S)\n"
  "  --fork-seed S         the run's own seed after the fork\n"
  "  --log FILE.jsonl      write every event as JSON Lines (docs/formats.md)\n"
  "  --html FILE.html      write the run as one self-contained page: its events in a lane\n"
  "                        per state, the metrics over time against the treaty limits,\n"
  "                        params, outcomes and every event (docs/batch.md)\n"
  "  --quiet, -q           print only the outcomes\n"
  "  --no-color            never colour the timeline (NO_COLOR works too)\n"
  "  --max-instructions N  instructions one hook call may run (default 100000000, 0 = none)\n"
  "  --max-memory MIB      memory one run may take (default 256, 0 = none)\n"
  "  --max-seconds S       CPU seconds one run may take (default 60, 0 = none)\n"
  "  --unsafe              lift the sandbox (trusted scenarios only)\n"
  "\n"
  "exit codes: 0 ok, 1 scenario error, 2 usage, 3 file error, 4 sandbox limit reached\n";

int dt_cmd_run(int argc, char **argv) {
  dt_common_opts_t o;
  dt_cli_defaults(&o);
  const char *file = NULL, *logpath = NULL, *htmlpath = NULL, *until_s = NULL, *fork_s = NULL,
             *forkseed_s = NULL;
  uint64_t seed = 1, fork_seed = 0;
  int nocolor = 0, rcu;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if ((rcu = dt_cli_common(&o, argc, argv, &i, "run")) != 0) {
      if (rcu < 0) return DT_EXIT_USAGE;
      continue;
    }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage, stdout); return 0; }
    if (!strcmp(a, "--seed") || !strcmp(a, "--log") || !strcmp(a, "--html") ||
        !strcmp(a, "--until") || !strcmp(a, "--fork-at") || !strcmp(a, "--fork-seed")) {
      if (i + 1 >= argc) { dt_cli_usage_error("run", "%s needs a value", a); return DT_EXIT_USAGE; }
      const char *v = argv[++i];
      if (!strcmp(a, "--seed")) {
        if (dt_cli_seed(v, &seed)) {
          dt_cli_usage_error("run", "--seed expects a whole number >= 0, got '%s'", v);
          return DT_EXIT_USAGE;
        }
      } else if (!strcmp(a, "--log")) logpath = v;
      else if (!strcmp(a, "--html")) htmlpath = v;
      else if (!strcmp(a, "--fork-at")) fork_s = v;
      else if (!strcmp(a, "--fork-seed")) forkseed_s = v;
      else until_s = v;
      continue;
    }
    if (!strcmp(a, "--no-color")) { nocolor = 1; continue; }
    if (a[0] == '-' && a[1]) {
      dt_cli_usage_error("run", "unknown option '%s'", a);
      return DT_EXIT_USAGE;
    }
    if (file) {
      dt_cli_usage_error("run", "one scenario file at a time ('%s' and '%s')", file, a);
      return DT_EXIT_USAGE;
    }
    file = a;
  }
  if (!file) { fputs(usage, stderr); return DT_EXIT_USAGE; }
  const dt_cli_file_t files[] = { { "the scenario", file }, { "--log", logpath },
                                  { "--html", htmlpath } };
  if (dt_cli_check_files("run", files, 1, 3) < 0) return DT_EXIT_USAGE;
  dt_time_t until = DT_NEVER;
  if (until_s && dt_time_parse(until_s, &until)) {
    dt_cli_usage_error("run", "--until expects a date YYYY-MM-DD, got '%s'", until_s);
    return DT_EXIT_USAGE;
  }
  dt_time_t fork_at = DT_NEVER;
  if ((fork_s != NULL) != (forkseed_s != NULL)) {
    dt_cli_usage_error("run", "--fork-at and --fork-seed go together");
    return DT_EXIT_USAGE;
  }
  if (fork_s && dt_time_parse(fork_s, &fork_at)) {
    dt_cli_usage_error("run", "--fork-at expects a date YYYY-MM-DD, got '%s'", fork_s);
    return DT_EXIT_USAGE;
  }
  if (forkseed_s && dt_cli_seed(forkseed_s, &fork_seed)) {
    dt_cli_usage_error("run", "--fork-seed expects a whole number >= 0, got '%s'", forkseed_s);
    return DT_EXIT_USAGE;
  }
  int code = DT_EXIT_OK;
  dt_lrt_t *rt = dt_lrt_new(&o.lim, dt_cli_stdlib_dir());
  FILE *logf = NULL, *htmlf = NULL;
  dt_run_html_t *page = NULL;
  if (!rt) { fprintf(stderr, "detente run: out of memory\n"); return DT_EXIT_SCRIPT; }
  int rc = dt_lrt_load(rt, file);
  if (rc < 0) {
    fprintf(stderr, "detente run: %s\n", rt->error);
    code = rc == DT_EIO ? DT_EXIT_IO : DT_EXIT_SCRIPT;
    goto done;
  }
  if (logpath && !(logf = fopen(logpath, "w"))) {
    fprintf(stderr, "detente run: cannot write the log '%s'\n", logpath);
    code = DT_EXIT_IO;
    goto done;
  }
  /* Opened first, so a path that cannot be written stops the run before it starts. */
  if (htmlpath && !(htmlf = fopen(htmlpath, "w"))) {
    fprintf(stderr, "detente run: cannot write the page '%s'\n", htmlpath);
    code = DT_EXIT_IO;
    goto done;
  }
  if (htmlf && !(page = dt_run_html_new(rt->sim))) {
    fprintf(stderr, "detente run: out of memory\n");
    code = DT_EXIT_SCRIPT;
    goto done;
  }
  dt_timeline_t tl;
  dt_timeline_init(&tl, stdout, !nocolor && dt_want_color(stdout));
  tl.scenario = file; tl.seed = seed;
  tl.header_done = o.quiet;   /* quiet: the outcomes alone */
  /* Setup emits events before the params (needed by the log header) are
   * known: the log collects them in memory until the header is written. */
  char *pre = NULL; size_t prelen = 0;
  FILE *mem = logf ? open_memstream(&pre, &prelen) : NULL;
  dt_eventlog_t lg = { mem, 0 };
  if (logf && !mem) {
    fprintf(stderr, "detente run: out of memory\n");
    code = DT_EXIT_IO;
    goto done;
  }
  if (!o.quiet) dt_sim_add_sink(rt->sim, dt_timeline_sink, &tl);
  if (logf) dt_sim_add_sink(rt->sim, dt_eventlog_sink, &lg);
  rc = dt_lrt_setup(rt, seed, o.ov, o.nov);
  if (rc == 0 && page) dt_run_html_point(page);   /* the world as set up: the charts start here */
  if (mem) {
    fclose(mem);
    lg.out = logf;
    dt_eventlog_header(&lg, rt, file, seed);
    if (prelen && fwrite(pre, 1, prelen, logf) != prelen) lg.failed = 1;
    free(pre);
  }
  /* Dates the scenario's window must hold, known once setup has set it: a run
   * --until before the start did nothing and said nothing; a --fork-at outside
   * reproduced no run of `mc --fork-at`, which refuses it. */
  if (rc == 0) {
    const dt_sim_t *sim = rt->sim;
    char d0[32], d1[32];
    dt_time_format(sim->start, d0, sizeof d0);
    dt_time_format(sim->stop, d1, sizeof d1);
    int bad = 1;
    if (until != DT_NEVER && until < sim->start)
      dt_cli_usage_error("run", "--until %s is before the scenario's start %s", until_s, d0);
    else if (fork_at != DT_NEVER && (fork_at < sim->start || fork_at > sim->stop))
      dt_cli_usage_error("run", "--fork-at %s: the date is outside the scenario (%s to %s)",
                         fork_s, d0, d1);
    else bad = 0;
    if (bad) {
      code = DT_EXIT_USAGE;
      dt_lrt_end_run(rt);
      if (logf) { fclose(logf); logf = NULL; unlink(logpath); }
      if (htmlf) { fclose(htmlf); htmlf = NULL; unlink(htmlpath); }
      goto done;
    }
  }
  if (rc == 0) {
    if (fork_at != DT_NEVER && (until == DT_NEVER || fork_at < until)) {
      /* As `detente mc --fork-at` does (engine/batch.c): the shared history,
       * then this run's own stream. */
      rc = dt_sim_run(rt->sim, fork_at);
      if (rc == 0 && !rt->sim->failed) dt_rng_seed1(&rt->sim->rng, fork_seed);
    }
    if (rc == 0 && !rt->sim->failed) rc = dt_sim_run(rt->sim, until);
    if (rc == 0 && !rt->sim->failed) rc = dt_lrt_finish(rt);
    else if (rc == 0) rc = rt->error_code ? rt->error_code : DT_ESCRIPT;
  }
  if (rc == 0) {
    dt_timeline_outcomes(&tl, rt);
  } else {
    fflush(stdout);
    fprintf(stderr, "detente run: %s\n", rt->error ? rt->error : dt_strerror(rc));
    code = dt_cli_exit_for(rt->error_code ? rt->error_code : rc);
  }
  if (logf) {
    dt_eventlog_footer(&lg, rt, rc, rc ? rt->error : NULL);
    if (fclose(logf) != 0) lg.failed = 1;
    logf = NULL;
    if (lg.failed) {
      fprintf(stderr, "detente run: writing the log '%s' failed\n", logpath);
      if (code == DT_EXIT_OK) code = DT_EXIT_IO;
    }
  }
  if (htmlf) {
    dt_buf_t page_text = { 0 };
    dt_run_html_write(page, rt, file, seed, o.ov, o.nov, rc ? rt->error : NULL, &page_text);
    int bad = page_text.oom || fwrite(page_text.p, 1, page_text.len, htmlf) != page_text.len;
    if (fclose(htmlf) != 0) bad = 1;
    htmlf = NULL;
    dt_buf_free(&page_text);
    if (bad) {
      fprintf(stderr, "detente run: writing the page '%s' failed\n", htmlpath);
      if (code == DT_EXIT_OK) code = DT_EXIT_IO;
    }
  }
  dt_lrt_end_run(rt);
done:
  if (htmlf) fclose(htmlf);
  dt_run_html_free(page);
  if (logf) fclose(logf);
  dt_lrt_free(rt);
  for (int k = 0; k < o.nov; k++) free((char *)o.ov[k].name);
  return code;
}
