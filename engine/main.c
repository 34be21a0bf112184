/* main.c: the `detente` program: dispatches to one file per subcommand. */
#include "cli.h"
#include "output.h"
#include <stdio.h>
#include <string.h>

static const char usage[] =
  "usage: detente COMMAND [options]\n"
  "\n"
  "détente: a scenario engine for diplomacy and arms control.\n"
  "\n"
  "commands:\n"
  "  run FILE        run a scenario once and print its timeline and outcomes\n"
  "  check FILE      report every mistake in a scenario (setup and a few smoke runs)\n"
  "  mc FILE         run it many times (Monte Carlo) and summarise the outcomes\n"
  "  merge CSV...    join the runs files of a sharded `mc` batch\n"
  "  report FILE     a batch's summary or runs file as an HTML report\n"
  "  score RUNS.csv --observed OBS.csv   a hindcast: Brier and log scores of a batch\n"
  "  sensitivity FILE  which params move which outcomes: one at a time and Sobol indices\n"
  "  serve FILE      run a live session with human teams (docs/protocol.md)\n"
  "  join HOST:PORT  take a seat in a live session from this terminal\n"
  "  replay JOURNAL  replay a session's journal for the after-action review\n"
  "  version         print the version\n"
  "\n"
  "'detente COMMAND --help' describes a command. Docs: docs/guide.md, docs/api.md\n";

int main(int argc, char **argv) {
  if (argc < 2) { fputs(usage, stderr); return DT_EXIT_USAGE; }
  const char *c = argv[1];
  if (!strcmp(c, "run")) return dt_cmd_run(argc - 1, argv + 1);
  if (!strcmp(c, "check")) return dt_cmd_check(argc - 1, argv + 1);
  if (!strcmp(c, "mc")) return dt_cmd_mc(argc - 1, argv + 1);
  if (!strcmp(c, "merge")) return dt_cmd_merge(argc - 1, argv + 1);
  if (!strcmp(c, "report")) return dt_cmd_report(argc - 1, argv + 1);
  if (!strcmp(c, "score")) return dt_cmd_score(argc - 1, argv + 1);
  if (!strcmp(c, "sensitivity")) return dt_cmd_sensitivity(argc - 1, argv + 1);
  if (!strcmp(c, "serve")) return dt_cmd_serve(argc - 1, argv + 1);
  if (!strcmp(c, "join")) return dt_cmd_join(argc - 1, argv + 1);
  if (!strcmp(c, "replay")) return dt_cmd_replay(argc - 1, argv + 1);
  if (!strcmp(c, "version") || !strcmp(c, "--version")) {
    printf("detente %s\n", DT_VERSION);
    return 0;
  }
  if (!strcmp(c, "help") || !strcmp(c, "--help") || !strcmp(c, "-h")) {
    fputs(usage, stdout);
    return 0;
  }
  fprintf(stderr, "detente: unknown command '%s'\n\n%s", c, usage);
  return DT_EXIT_USAGE;
}
