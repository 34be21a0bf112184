/* cmd_replay.c: `detente replay JOURNAL`: rebuilds a session from its journal
 * by deterministic replay and tells it as a timeline, with the same JSON Lines
 * log the live session wrote. Owns nothing beyond that one replay. */
#include "aar.h"
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
  "  --report FILE.html write the after-action report: one offline HTML file (prints\n"
  "                     to PDF), and the same as Markdown in FILE.md\n"
  "  --export DIR       write the after-action data for analysis: CSV and JSON Lines of\n"
  "                     the events, decisions, moves, messages, injects and white-cell\n"
  "                     inputs, and seat_events.csv (what each seat could see)\n"
  "  --quiet, -q        print no timeline\n"
  "  --no-color         never colour the timeline\n"
  "\n"
  "exit codes: 0 ok, 2 usage, 3 file error, 5 the journal is corrupt or does not match\n";

static int write_file(const char *name, const dt_buf_t *b) {
  FILE *f = fopen(name, "w");
  int ok = f && !b->oom && fwrite(b->p, 1, b->len, f) == b->len;
  if (f && fclose(f) != 0) ok = 0;
  if (!ok) fprintf(stderr, "detente replay: cannot write '%s'\n", name);
  return ok ? 0 : DT_EXIT_IO;
}

/* The after-action data as CSV and JSON Lines files in dir. */
static int write_export(dt_aar_t *aar, const char *journal, const char *dir) {
  json_t *model = dt_aar_model(aar, journal);
  if (!model) { fprintf(stderr, "detente replay: out of memory\n"); return DT_EXIT_IO; }
  int rc = dt_aar_export(model, dir);
  json_decref(model);
  if (rc < 0) {
    fprintf(stderr, "detente replay: cannot write into '%s'\n", dir);
    return DT_EXIT_IO;
  }
  return 0;
}

/* The after-action report as HTML, and as Markdown beside it (FILE.md). */
static int write_report(dt_aar_t *aar, const char *journal, const char *html) {
  json_t *model = dt_aar_model(aar, journal);
  dt_buf_t h = { 0 }, m = { 0 };
  if (!model) { fprintf(stderr, "detente replay: out of memory\n"); return DT_EXIT_IO; }
  dt_aar_html(model, &h);
  dt_aar_markdown(model, &m);
  json_decref(model);
  char mdname[4096];
  size_t n = strlen(html);
  int has_ext = n > 5 && !strcmp(html + n - 5, ".html");
  snprintf(mdname, sizeof mdname, "%.*s.md", (int)(has_ext ? n - 5 : n), html);
  int code = write_file(html, &h);
  if (!code) code = write_file(mdname, &m);
  dt_buf_free(&h);
  dt_buf_free(&m);
  return code;
}

int dt_cmd_replay(int argc, char **argv) {
  dt_common_opts_t o;
  dt_cli_defaults(&o);
  const char *path = NULL, *logpath = NULL, *report = NULL, *export = NULL;
  dt_aar_t *aar = NULL;
  int nocolor = 0, rcu;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if ((rcu = dt_cli_common(&o, argc, argv, &i, "replay")) != 0) {
      if (rcu < 0) return DT_EXIT_USAGE;
      continue;
    }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage, stdout); return 0; }
    if (!strcmp(a, "--log")) {
      if (i + 1 >= argc) {
        dt_cli_usage_error("replay", "--log needs a value");
        return DT_EXIT_USAGE;
      }
      logpath = argv[++i];
      continue;
    }
    if (!strcmp(a, "--report")) {
      if (i + 1 >= argc) {
        dt_cli_usage_error("replay", "--report needs a file name");
        return DT_EXIT_USAGE;
      }
      report = argv[++i];
      continue;
    }
    if (!strcmp(a, "--export")) {
      if (i + 1 >= argc) {
        dt_cli_usage_error("replay", "--export needs a directory");
        return DT_EXIT_USAGE;
      }
      export = argv[++i];
      continue;
    }
    if (!strcmp(a, "--no-color")) { nocolor = 1; continue; }
    if (a[0] == '-' && a[1]) {
      dt_cli_usage_error("replay", "unknown option '%s'", a);
      return DT_EXIT_USAGE;
    }
    if (path) { dt_cli_usage_error("replay", "one journal at a time"); return DT_EXIT_USAGE; }
    path = a;
  }
  if (!path) { fputs(usage, stderr); return DT_EXIT_USAGE; }
  if (o.nov) { dt_cli_usage_error("replay", "-D comes from the journal"); return DT_EXIT_USAGE; }
  const dt_cli_file_t files[] = { { "the journal", path }, { "--log", logpath },
                                  { "--report", report } };
  if (dt_cli_check_files("replay", files, 1, 3) < 0) return DT_EXIT_USAGE;
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
  if ((report || export) && !(aar = dt_aar_new(s))) {
    fprintf(stderr, "detente replay: out of memory\n");
    code = DT_EXIT_IO;
    goto out;
  }
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
    if (aar) dt_aar_input(aar, s->recs[s->nrecs - 1]);
  }
  if (s->ended) {
    rc = dt_session_finish(s);
    if (rc == 0 && !o.quiet) dt_timeline_outcomes(&tl, s->rt);
  } else {
    fprintf(stderr, "detente replay: the journal ends without 'end' (the session was interrupted); "
                    "the timeline stops at its last input\n");
  }
  if (s->lg.failed) {
    fprintf(stderr, "detente replay: writing the log failed\n");
    code = DT_EXIT_IO;
  }
  if (aar && report && (code = write_report(aar, path, report)) != 0) goto out;
  if (aar && export && (code = write_export(aar, path, export)) != 0) goto out;
out:
  dt_aar_free(aar);
  for (; i < n; i++) json_decref(recs[i]);
  free(recs);
  free(err);
  dt_session_free(s);
  json_decref(header);
  if (logf && fclose(logf) != 0 && !code) code = DT_EXIT_IO;
  return code;
}
