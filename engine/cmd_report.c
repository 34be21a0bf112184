/* cmd_report.c: `detente report`: reads a batch's summary.json (or its runs
 * file, which it summarises as `merge` would) and writes report.c's HTML. */
#include "batch.h"
#include "cli.h"
#include "report.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
  "usage: detente report SUMMARY.json|RUNS.csv|SENSITIVITY.json [--html out.html] [--quiet]\n"
  "\n"
  "Writes one self-contained HTML file (inline SVG, no scripts, nothing fetched) that\n"
  "shows a batch of `detente mc`: probabilities with Wilson intervals, histograms and\n"
  "cumulative distributions, frequencies, the outcome against a swept param, a table of\n"
  "the sweep points, rank correlations and how to reproduce any run (docs/batch.md).\n"
  "Reads the summary (--summary) or the runs file with its sidecar (--out); for the JSON\n"
  "of `detente sensitivity`, draws its tornado and Sobol charts.\n"
  "Default output: the input's name with .html.\n"
  "\n"
  "exit codes: 0 written, 2 usage, 3 a file cannot be read or written, 5 not a batch's\n"
  "summary or runs file\n";

typedef struct report_args { const char *in, *out; int quiet; } report_args_t;

static int parse_args(int argc, char **argv, report_args_t *a) {
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i];
    if (!strcmp(s, "--help") || !strcmp(s, "-h")) { fputs(usage, stdout); return DT_EXIT_OK; }
    if (!strcmp(s, "--quiet") || !strcmp(s, "-q")) { a->quiet = 1; continue; }
    if (!strcmp(s, "--html")) {
      if (i + 1 >= argc) {
        dt_cli_usage_error("report", "--html needs a value");
        return DT_EXIT_USAGE;
      }
      a->out = argv[++i];
      continue;
    }
    if (s[0] == '-' && s[1]) {
      dt_cli_usage_error("report", "unknown option '%s'", s);
      return DT_EXIT_USAGE;
    }
    if (a->in) {
      dt_cli_usage_error("report", "one summary or runs file at a time ('%s' and '%s')", a->in, s);
      return DT_EXIT_USAGE;
    }
    a->in = s;
  }
  if (!a->in) { fputs(usage, stderr); return DT_EXIT_USAGE; }
  const dt_cli_file_t files[] = { { "the input", a->in }, { "--html", a->out } };
  if (dt_cli_check_files("report", files, 1, 2) < 0) return DT_EXIT_USAGE;
  return -1;
}

/* The summary: the file itself, or computed from a runs file. */
static int load_summary(const char *path, json_t **sum) {
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "detente report: cannot read '%s'\n", path); return DT_EXIT_IO; }
  int c = getc(f);
  fclose(f);
  if (c == '{') {
    json_error_t je;
    *sum = json_load_file(path, 0, &je);
    const char *fmt = json_string_value(json_object_get(*sum, "format"));
    if (!*sum || !fmt ||
        (strcmp(fmt, DT_BATCH_SUMMARY_FORMAT) && strcmp(fmt, "detente-sensitivity"))) {
      fprintf(stderr, "detente report: %s is not a batch summary (%s)\n", path,
              *sum ? "its format is not " DT_BATCH_SUMMARY_FORMAT : je.text);
      json_decref(*sum);
      *sum = NULL;
      return DT_EXIT_DATA;
    }
    return -1;
  }
  dt_batch_spec_t s;
  dt_batch_store_t st;
  char err[2048];
  const char *paths[1] = { path };
  int rc = dt_merge(paths, 1, NULL, NULL, &s, &st, err, sizeof err);
  if (rc) {
    fprintf(stderr, "detente report: %s\n", err);
    return rc == DT_EIO ? DT_EXIT_IO : rc == DT_EPARSE ? DT_EXIT_DATA : DT_EXIT_SCRIPT;
  }
  *sum = dt_batch_summary(&s, &st);
  dt_batch_store_close(&st);
  dt_batch_spec_close(&s);
  if (!*sum) { fputs("detente report: out of memory\n", stderr); return DT_EXIT_SCRIPT; }
  return -1;
}

static char *default_out(const char *in) {
  size_t n = strlen(in);
  const char *dot = strrchr(in, '.'), *slash = strrchr(in, '/');
  if (dot && (!slash || dot > slash)) n = (size_t)(dot - in);
  char *p = malloc(n + 6);
  if (p) snprintf(p, n + 6, "%.*s.html", (int)n, in);
  return p;
}

static int write_report(const report_args_t *a, json_t *sum) {
  char *dflt = a->out ? NULL : default_out(a->in);
  const char *out = a->out ? a->out : dflt;
  dt_buf_t b = { 0 };
  int charts = dt_report_html(sum, &b), code = DT_EXIT_OK;
  FILE *f = out && !b.oom ? fopen(out, "w") : NULL;
  if (!f || fwrite(b.p, 1, b.len, f) != b.len) code = DT_EXIT_IO;
  if (f && fclose(f) != 0) code = DT_EXIT_IO;
  if (code) fprintf(stderr, "detente report: cannot write '%s'\n", out ? out : "?");
  else if (!a->quiet) fprintf(stderr, "detente report: wrote %s (%d charts)\n", out, charts);
  dt_buf_free(&b);
  free(dflt);
  return code;
}

int dt_cmd_report(int argc, char **argv) {
  report_args_t a = { 0 };
  json_t *sum = NULL;
  int code = parse_args(argc, argv, &a);
  if (code < 0) code = load_summary(a.in, &sum);
  if (code < 0) code = write_report(&a, sum);
  json_decref(sum);
  return code;
}
