/* cmd_replay.c: `detente replay JOURNAL`: rebuilds a session from its journal
 * by deterministic replay and tells it as a timeline, with the same JSON Lines
 * log the live session wrote. Owns nothing beyond that one replay. */
#include "cli.h"
#include "session.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
  "usage: detente replay JOURNAL [options]\n"
  "\n"
  "Replays a session journal written by 'detente serve' and prints its timeline\n"
  "for the after-action review. A torn last record (a crash mid-write) is reported\n"
  "and dropped; a corrupt record followed by valid ones stops the replay.\n"
  "\n"
  "options:\n"
  "  --log FILE.jsonl   write every event as JSON Lines, as the live session's --log did\n"
  "  --quiet, -q        print no timeline\n"
  "  --no-color         never colour the timeline\n"
  "\n"
  "exit codes: 0 ok, 2 usage, 3 file error, 5 the journal is corrupt or does not match\n";

int dt_cmd_replay(int argc, char **argv) {
  dt_common_opts_t o;
  dt_cli_defaults(&o);
  const char *path = NULL, *logpath = NULL;
  int nocolor = 0, rcu;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if ((rcu = dt_cli_common(&o, argc, argv, &i, "replay")) != 0) { if (rcu < 0) return DT_EXIT_USAGE; continue; }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage, stdout); return 0; }
    if (!strcmp(a, "--log")) {
      if (i + 1 >= argc) { dt_cli_usage_error("replay", "--log needs a value"); return DT_EXIT_USAGE; }
      logpath = argv[++i];
      continue;
    }
    if (!strcmp(a, "--no-color")) { nocolor = 1; continue; }
    if (a[0] == '-' && a[1]) { dt_cli_usage_error("replay", "unknown option '%s'", a); return DT_EXIT_USAGE; }
    if (path) { dt_cli_usage_error("replay", "one journal at a time"); return DT_EXIT_USAGE; }
    path = a;
  }
  if (!path) { fputs(usage, stderr); return DT_EXIT_USAGE; }
  if (o.nov) { dt_cli_usage_error("replay", "-D comes from the journal"); return DT_EXIT_USAGE; }
  json_t *header = NULL, **recs = NULL; size_t n = 0; uint64_t valid_end;
  int code = dt_session_read_journal(path, &header, &recs, &n, &valid_end, "replay");
  if (code) return code;
  FILE *logf = NULL;
  dt_session_t *s = NULL;
  char *err = NULL;
  size_t i = 0;
  if (logpath && !(logf = fopen(logpath, "w"))) {
    fprintf(stderr, "detente replay: cannot write the log '%s'\n", logpath);
    code = DT_EXIT_IO; goto out;
  }
  /* The timeline prints committed events only, in order: a sink on the session. */
  dt_timeline_t tl;
  dt_timeline_init(&tl, stdout, !nocolor && dt_want_color(stdout));
  int rc = dt_session_new(&s, header, dt_cli_stdlib_dir(), &o.lim, logf, &err);
  if (rc < 0) {
    fprintf(stderr, "detente replay: %s\n", err ? err : dt_strerror(rc));
    code = rc == DT_EIO ? DT_EXIT_IO : DT_EXIT_DATA;
    goto out;
  }
  tl.scenario = s->scenario; tl.seed = s->seed;
  if (!o.quiet) dt_sim_add_sink(s->sim, dt_timeline_sink, &tl);
  if ((rc = dt_session_start(s, &err)) < 0) {
    fprintf(stderr, "detente replay: %s\n", err ? err : dt_strerror(rc));
    code = DT_EXIT_DATA;
    goto out;
  }
  for (; i < n; i++) {
    json_t *r = recs[i];
    recs[i] = NULL;
    if (dt_session_replay(s, r, &err) < 0) {
      fprintf(stderr, "detente replay: input %zu: %s\n", i + 1, err ? err : "?");
      code = DT_EXIT_DATA;
      goto out;
    }
  }
  if (s->ended) {
    rc = dt_session_finish(s);
    if (rc == 0 && !o.quiet) dt_timeline_outcomes(&tl, s->rt);
  } else {
    fprintf(stderr, "detente replay: the journal ends without 'end' (the session was interrupted); "
                    "the timeline stops at its last input\n");
  }
  if (s->lg.failed) { fprintf(stderr, "detente replay: writing the log failed\n"); code = DT_EXIT_IO; }
out:
  for (; i < n; i++) json_decref(recs[i]);
  free(recs);
  free(err);
  dt_session_free(s);
  json_decref(header);
  if (logf && fclose(logf) != 0 && !code) code = DT_EXIT_IO;
  return code;
}
