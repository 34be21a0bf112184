/* cmd_merge.c: `detente merge`: parses the command line, lets merge.c join
 * the shards, and writes the sidecar and summary of the merged batch. */
#include "batch.h"
#include "cli.h"
#include "db.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
  "usage: detente merge SHARD.csv... [--out runs.csv] [--summary summary.json] [--db FILE.sqlite]\n"
  "                     [--series-in SHARD_SERIES.csv]... [--series series.csv] [--quiet]\n"
  "       detente merge SHARD.sqlite... --db FILE.sqlite\n"
  "\n"
  "Merges the runs files of `detente mc --shard K/M --out SHARD.csv` (each with its\n"
  "SHARD.csv.meta.json beside it) into exactly the runs.csv, runs.csv.meta.json and\n"
  "summary.json one unsharded batch writes, and prints the summary. --db writes the\n"
  "merged batch to SQLite too. Shard databases (`mc --shard K/M --db SHARD.sqlite`)\n"
  "merge into one database. The shards' series files (`mc --series`), each given\n"
  "with --series-in, merge with --series into the series file of the whole batch,\n"
  "and the summary gains its quantile bands.\n"
  "\n"
  "exit codes: 0 merged, 2 usage, 3 a file cannot be read or written,\n"
  "5 the shards do not fit together (a gap, a duplicate run or a mismatch)\n";

typedef struct merge_args {
  const char **paths;
  int n;
  const char *out, *sumpath, *db;
  int quiet, dbs;
  const char **series_in;   /* the shards' series files (--series-in) */
  int nseries_in;
  const char *series;       /* the merged series file (--series) */
} merge_args_t;

/* Returns -1 to go on, or the exit code. */
static int parse_args(int argc, char **argv, merge_args_t *a) {
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i];
    if (!strcmp(s, "--help") || !strcmp(s, "-h")) { fputs(usage, stdout); return DT_EXIT_OK; }
    if (!strcmp(s, "--quiet") || !strcmp(s, "-q")) { a->quiet = 1; continue; }
    if (!strcmp(s, "--series-in") || !strcmp(s, "--series")) {
      if (i + 1 >= argc) {
        dt_cli_usage_error("merge", "%s needs a value", s);
        return DT_EXIT_USAGE;
      }
      if (!strcmp(s, "--series")) a->series = argv[++i];
      else a->series_in[a->nseries_in++] = argv[++i];
      continue;
    }
    if (!strcmp(s, "--out") || !strcmp(s, "--summary") || !strcmp(s, "--db")) {
      if (i + 1 >= argc) {
        dt_cli_usage_error("merge", "%s needs a value", s);
        return DT_EXIT_USAGE;
      }
      const char **to = !strcmp(s, "--out") ? &a->out : !strcmp(s, "--db") ? &a->db : &a->sumpath;
      *to = argv[++i];
      continue;
    }
    if (s[0] == '-' && s[1]) {
      dt_cli_usage_error("merge", "unknown option '%s'", s);
      return DT_EXIT_USAGE;
    }
    a->paths[a->n++] = s;
  }
  if (!a->n) { fputs(usage, stderr); return DT_EXIT_USAGE; }
  if (!a->series != !a->nseries_in) {
    dt_cli_usage_error("merge", "--series (the merged file) and --series-in (each shard's) "
                                "go together");
    return DT_EXIT_USAGE;
  }
  int ndb = 0;
  for (int k = 0; k < a->n; k++) ndb += dt_db_is_db(a->paths[k]);
  if (ndb && ndb < a->n) {
    dt_cli_usage_error("merge", "give runs files or databases, not both");
    return DT_EXIT_USAGE;
  }
  if (ndb && (!a->db || a->out || a->sumpath)) {
    dt_cli_usage_error("merge", "shard databases merge into a database: --db FILE.sqlite (and no "
                                "--out or --summary)");
    return DT_EXIT_USAGE;
  }
  a->dbs = ndb > 0;
  int nin = a->n + a->nseries_in, nf = nin + 4;
  dt_cli_file_t *files = calloc((size_t)nf, sizeof *files);
  if (!files) { fprintf(stderr, "detente merge: out of memory\n"); return DT_EXIT_IO; }
  for (int k = 0; k < a->n; k++) files[k] = (dt_cli_file_t){ "a shard", a->paths[k] };
  for (int k = 0; k < a->nseries_in; k++)
    files[a->n + k] = (dt_cli_file_t){ "--series-in", a->series_in[k] };
  files[nin] = (dt_cli_file_t){ "--out", a->out };
  files[nin + 1] = (dt_cli_file_t){ "--summary", a->sumpath };
  files[nin + 2] = (dt_cli_file_t){ "--db", a->db };
  files[nin + 3] = (dt_cli_file_t){ "--series", a->series };
  int bad = dt_cli_check_files("merge", files, nin, nf) < 0;
  free(files);
  if (bad) return DT_EXIT_USAGE;
  return -1;
}

static int exit_code(int rc) {
  /* Out of memory is no scenario's error: it goes with the file errors. */
  return rc == DT_EIO || rc == DT_ENOMEM ? DT_EXIT_IO
         : rc == DT_EPARSE               ? DT_EXIT_DATA
                                         : DT_EXIT_SCRIPT;
}

/* The sidecar beside the merged runs file, the summary file and text. */
static int write_outputs(const merge_args_t *a, const dt_batch_spec_t *s, dt_batch_store_t *st) {
  int code = DT_EXIT_OK;
  if (a->out && dt_batch_meta_write(s, a->out)) {
    char *mp = dt_batch_meta_path(a->out);
    fprintf(stderr, "detente merge: cannot write the sidecar '%s'\n", mp ? mp : a->out);
    free(mp);
    code = DT_EXIT_IO;
  }
  json_t *sum = dt_batch_summary(s, st);
  if (!sum) { fputs("detente merge: out of memory\n", stderr); return DT_EXIT_IO; }
  json_t *ser = NULL;
  if (a->series) {
    char err[512];
    int rc = dt_series_merge(a->series_in, a->nseries_in, a->series, err, sizeof err);
    if (rc == 0 && !(ser = dt_series_summary(a->series, err, sizeof err))) rc = DT_EIO;
    if (rc) {
      fprintf(stderr, "detente merge: %s\n", err);
      code = rc == DT_EPARSE ? DT_EXIT_DATA : DT_EXIT_IO;
    } else json_object_set(sum, "series", ser);
  }
  if (a->sumpath && dt_batch_summary_write(sum, a->sumpath)) {
    fprintf(stderr, "detente merge: cannot write the summary '%s'\n", a->sumpath);
    code = DT_EXIT_IO;
  }
  if (!a->quiet) dt_batch_summary_print(sum, stdout);
  if (!a->quiet && ser) dt_series_print(ser, stdout);
  json_decref(ser);
  json_decref(sum);
  return code;
}

int dt_cmd_merge(int argc, char **argv) {
  merge_args_t a = { 0 };
  a.paths = calloc((size_t)argc + 1, sizeof *a.paths);
  a.series_in = calloc((size_t)argc + 1, sizeof *a.series_in);
  if (!a.paths || !a.series_in) {
    free(a.paths); free(a.series_in);
    fputs("detente merge: out of memory\n", stderr);
    return DT_EXIT_IO;
  }
  int code = parse_args(argc, argv, &a);
  if (code < 0) {
    dt_batch_spec_t s;
    dt_batch_store_t st;
    char err[2048];
    if (a.dbs) {
      int rc = dt_db_merge(a.paths, a.n, a.db, err, sizeof err);
      if (rc) fprintf(stderr, "detente merge: %s\n", err);
      code = rc ? exit_code(rc) : DT_EXIT_OK;
      free(a.paths); free(a.series_in);
      return code;
    }
    int rc = dt_merge(a.paths, a.n, a.out, a.db, &s, &st, err, sizeof err);
    if (rc) { fprintf(stderr, "detente merge: %s\n", err); code = exit_code(rc); }
    else code = write_outputs(&a, &s, &st);
    dt_batch_store_close(&st);
    dt_batch_spec_close(&s);
  }
  free(a.paths); free(a.series_in);
  return code;
}
