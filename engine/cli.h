/* cli.h: what the subcommands share: exit codes, option parsing helpers and
 * finding the standard library. */
#ifndef DT_CLI_H
#define DT_CLI_H
#include <stdint.h>
#include "lrt.h"

/* Exit codes (the man page, docs/detente.1, lists them under EXIT STATUS). */
enum {
  DT_EXIT_OK = 0,       /* the run finished */
  DT_EXIT_SCRIPT = 1,   /* the scenario raised an error */
  DT_EXIT_USAGE = 2,    /* bad command line */
  DT_EXIT_IO = 3,       /* a file could not be read or written (or memory ran out) */
  DT_EXIT_LIMIT = 4,    /* a sandbox limit stopped the scenario */
  DT_EXIT_DATA = 5      /* input data (shards, journal) is inconsistent */
};

typedef struct dt_common_opts {
  dt_lrt_limits_t lim;
  dt_lrt_override_t ov[256]; int nov;
  int quiet;
} dt_common_opts_t;

/* Parses an option shared by the subcommands at argv[*i]; returns 1 if it was
 * one (advancing *i past its value), 0 if not, -1 on a usage error (printed). */
int dt_cli_common(dt_common_opts_t *o, int argc, char **argv, int *i, const char *cmd);
void dt_cli_defaults(dt_common_opts_t *o);
int dt_cli_u64(const char *s, uint64_t *out);
/* A seed: a whole number, or the runs file's form of it ("s" then the number). */
int dt_cli_seed(const char *s, uint64_t *out);
const char *dt_cli_stdlib_dir(void);
int dt_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Exit code for a runtime error code. */
int dt_cli_exit_for(int rc);
/* A file a command reads or writes, and the option that names it ("the
 * scenario", "--out"). */
typedef struct dt_cli_file { const char *what, *path; } dt_cli_file_t;
/* Refuses (a usage error, printed; returns -1) an output that is the same file
 * as an input or as an earlier output: files[0..nin) are read, files[nin..n)
 * written; NULL paths are skipped. `mc x.lua --out x.lua` emptied the scenario
 * before reading it, `run x.lua --log x.lua` replaced it with its log, `--out
 * r.csv --db r.csv` left a database where the runs file was. */
int dt_cli_check_files(const char *cmd, const dt_cli_file_t *files, int nin, int n);

int dt_cmd_run(int argc, char **argv);
int dt_cmd_mc(int argc, char **argv);
int dt_cmd_merge(int argc, char **argv);
int dt_cmd_report(int argc, char **argv);
int dt_cmd_score(int argc, char **argv);
int dt_cmd_sensitivity(int argc, char **argv);
int dt_cmd_serve(int argc, char **argv);
int dt_cmd_join(int argc, char **argv);
int dt_cmd_replay(int argc, char **argv);
int dt_cmd_check(int argc, char **argv);
#endif
