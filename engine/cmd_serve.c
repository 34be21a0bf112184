/* cmd_serve.c: `detente serve`: options for a live session; the session and
 * its loop are serve.c's. Owns nothing beyond the parsed options. */
#include "cli.h"
#include "protocol.h"
#include "serve.h"
#include "turns.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
  "usage: detente serve FILE [options]\n"
  "       detente serve --resume JOURNAL [options]\n"
  "\n"
  "Runs FILE as a live session: human teams hold some seats and connect with\n"
  "'detente join'; the other seats are played by their policies. Every accepted\n"
  "input is journaled (and on disk) before it is acknowledged. Protocol: docs/protocol.md\n"
  "The terminal is the facilitator's console: 'status', 'advance 10d', 'inject NAME',\n"
  "'say TEXT', 'end'...; 'help' lists them all.\n"
  "\n"
  "options:\n"
  "  --listen HOST:PORT   where to listen (default 127.0.0.1:7411; port 0 picks a free one)\n"
  "  --http HOST:PORT     also serve the team pages and the white-cell dashboard to\n"
  "                       browsers there (e.g. 127.0.0.1:8080; docs/facilitator.md)\n"
  "  --human ID[,ID...]   seats held by human teams\n"
  "  --journal FILE       the session journal (default detente-session.journal)\n"
  "  --people FILE        who plays (CSV: name,seat,role; seat a state id or facilitator;\n"
  "                       role lead or member in a seat, umpire or rfi in the white cell);\n"
  "                       default: one lead per seat and one umpire (facilitator)\n"
  "  --tokens FILE        where each person's token goes, readable by you only (default\n"
  "                       JOURNAL.tokens; created anew at start, read back on --resume)\n"
  "  --print-tokens       also print the tokens on standard output (not by default)\n"
  "  --pace SIM=REAL      simulated time per real time, e.g. 1d=10s (default 1d=1s);\n"
  "                       the white cell may change it ('pace 2d=10s')\n"
  "  --step               the clock moves only when the facilitator advances it\n"
  "  --hold-on-decision   stop the clock while a human decision is pending\n"
  "  --turns LENGTH       play in turns of LENGTH (1mo, 2w, 10d...): teams' moves are\n"
  "                       held in planning, the umpire adjudicates and releases them,\n"
  "                       then the clock runs to the turn's end (implies --step)\n"
  "  --planning TIME      with --turns: each turn's planning closes by itself after\n"
  "                       TIME of real time (20min, 1h...), if the umpire has not\n"
  "                       closed it before\n"
  "  --seed N             run seed (default 1)\n"
  "  -D name=value        override a param (repeatable)\n"
  "  --log FILE.jsonl     write every event as JSON Lines (as 'detente run --log')\n"
  "  --resume JOURNAL     rebuild a crashed session from its journal and carry on\n"
  "  --branch-at SEQ      with --resume and --journal NEW: start a new session from\n"
  "                       the state at event SEQ of the old one (what if a team had\n"
  "                       answered otherwise?); the old journal is only read\n"
  "  --auth-timeout SEC   drop clients that do not authenticate in time (default 10)\n"
  "  --output-limit KIB   output that may wait for one client (default 8192, i.e.\n"
  "                       8 MiB); past it, a client that takes nothing for 2 s, or\n"
  "                       has more than 4 times the limit waiting, is disconnected\n"
  "  --no-console         do not read facilitator commands from standard input\n"
  "  --max-instructions N, --max-memory MIB, --unsafe   as for 'detente run'\n"
  "  --max-seconds S       CPU seconds one step of the session may take (default 10)\n"
  "\n"
  "exit codes: 0 ended, 1 scenario error at start, 2 usage, 3 file or network error,\n"
  "            5 the journal is corrupt or does not match the scenario\n";

/* "HOST:PORT" (the host may be an IPv6 address: the last colon splits). */
static int host_port(const char *v, char *host, size_t hostlen, int *port) {
  const char *colon = strrchr(v, ':');
  char *end;
  long p = colon ? strtol(colon + 1, &end, 10) : -1;
  if (!colon || colon == v || (size_t)(colon - v) >= hostlen || !colon[1] || *end || p < 0 ||
      p > 65535)
    return -1;
  memcpy(host, v, (size_t)(colon - v));
  host[colon - v] = 0;
  *port = (int)p;
  return 0;
}

int dt_cmd_serve(int argc, char **argv) {
  /* A client that goes away while we write to it must cost the session that
   * client only: without this, the write raises SIGPIPE and kills the server. */
  signal(SIGPIPE, SIG_IGN);
  dt_common_opts_t co;
  dt_cli_defaults(&co);
  co.lim.seconds = 10;   /* per step of the session, not for the whole session */
  dt_serve_opts_t o;
  memset(&o, 0, sizeof o);
  o.host = "127.0.0.1"; o.port = 7411;
  o.journal = "detente-session.journal";
  o.pace_sim = 86400; o.pace_real_ms = 1000;
  o.seed = 1;
  o.auth_timeout_ms = 10000;
  o.max_output = (size_t)8192 * 1024;
  o.console = 1;
  static char hostbuf[256], httpbuf[256], tokbuf[4096];
  const char *tokens = NULL;
  int rcu, code = DT_EXIT_USAGE, journal_given = 0;
  o.branch_at = -1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if ((rcu = dt_cli_common(&co, argc, argv, &i, "serve")) != 0) {
      if (rcu < 0) goto done;
      continue;
    }
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(usage, stdout); code = 0; goto done; }
    if (!strcmp(a, "--step")) { o.step = 1; o.clock_given = 1; continue; }
    if (!strcmp(a, "--hold-on-decision")) { o.hold = 1; o.clock_given = 1; continue; }
    if (!strcmp(a, "--no-console")) { o.console = 0; continue; }
    if (!strcmp(a, "--print-tokens")) { o.print_tokens = 1; continue; }
    static const char *const valued[] = { "--listen", "--human", "--journal", "--tokens", "--pace",
                                          "--seed", "--log", "--resume", "--auth-timeout",
                                          "--output-limit", "--http", "--branch-at", "--turns",
                                          "--people", "--planning", NULL };
    int k = -1;
    for (int j = 0; valued[j]; j++) if (!strcmp(a, valued[j])) k = j;
    if (k >= 0) {
      if (i + 1 >= argc) { dt_cli_usage_error("serve", "%s needs a value", a); goto done; }
      const char *v = argv[++i];
      switch (k) {
      case 0:
        if (host_port(v, hostbuf, sizeof hostbuf, &o.port)) {
          dt_cli_usage_error("serve", "--listen expects HOST:PORT, got '%s'", v); goto done;
        }
        o.host = hostbuf;
        break;
      case 1: o.humans = v; break;
      case 2: o.journal = v; journal_given = 1; break;
      case 3: tokens = v; break;
      case 4:
        o.clock_given = 1;
        if (dt_proto_pace(v, &o.pace_sim, &o.pace_real_ms)) {
          dt_cli_usage_error("serve", "--pace expects %s, got '%s'", dt_proto_pace_help, v);
          goto done;
        }
        break;
      case 5:
        if (dt_cli_seed(v, &o.seed)) {
          dt_cli_usage_error("serve", "--seed expects a whole number >= 0, got '%s'", v);
          goto done;
        }
        break;
      case 6: o.logpath = v; break;
      case 7: o.resume = v; break;
      case 8: {
        uint64_t n;
        if (dt_cli_u64(v, &n) || n == 0 || n > 3600) {
          dt_cli_usage_error("serve", "--auth-timeout expects seconds (1..3600)");
          goto done;
        }
        o.auth_timeout_ms = (int)n * 1000;
        break;
      }
      case 9: {
        uint64_t n;
        if (dt_cli_u64(v, &n) || n < 64 || n > 1048576) {
          dt_cli_usage_error("serve", "--output-limit expects KiB (64..1048576)");
          goto done;
        }
        o.max_output = (size_t)n * 1024;
        break;
      }
      case 11: {
        uint64_t n;
        if (dt_cli_u64(v, &n) || n > (uint64_t)INT64_MAX) {
          dt_cli_usage_error("serve", "--branch-at expects an event seq (a whole number), got '%s'",
                             v);
          goto done;
        }
        o.branch_at = (int64_t)n;
        break;
      }
      case 12:
        if (dt_turns_parse_length(v, &o.turn_months, &o.turn_seconds)) {
          dt_cli_usage_error("serve", "--turns expects a length such as 1mo, 2 months, 2w or 10d, "
                             "got '%s'", v);
          goto done;
        }
        o.step = 1; o.clock_given = 1;
        break;
      case 13: o.people = v; break;
      case 14: {
        int64_t sec = 0;
        if (dt_proto_duration(v, &sec) || sec <= 0 || sec > (int64_t)7 * 86400) {
          dt_cli_usage_error("serve", "--planning expects a real time such as 20min, 90s or 1h, "
                             "got '%s'", v);
          goto done;
        }
        o.planning_ms = sec * 1000;
        o.clock_given = 1;
        break;
      }
      case 10:
        if (host_port(v, httpbuf, sizeof httpbuf, &o.http_port)) {
          dt_cli_usage_error("serve", "--http expects HOST:PORT, got '%s'", v); goto done;
        }
        o.http_host = httpbuf;
        break;
      }
      continue;
    }
    if (a[0] == '-' && a[1]) { dt_cli_usage_error("serve", "unknown option '%s'", a); goto done; }
    if (o.scenario) {
      dt_cli_usage_error("serve", "one scenario file at a time ('%s' and '%s')", o.scenario, a);
      goto done;
    }
    o.scenario = a;
  }
  if (!o.scenario == !o.resume) {
    if (o.resume)
      dt_cli_usage_error("serve", "--resume takes the scenario from the journal; give no FILE");
    else fputs(usage, stderr);
    goto done;
  }
  if (o.planning_ms && !o.turn_months && !o.turn_seconds && !o.resume) {
    dt_cli_usage_error("serve", "--planning needs --turns (it limits each turn's planning)");
    goto done;
  }
  if (o.resume && (o.humans || co.nov || o.people)) {
    dt_cli_usage_error("serve", "--human, --people and -D come from the journal when resuming");
    goto done;
  }
  if (o.branch_at >= 0) {
    if (!o.resume || !journal_given) {
      dt_cli_usage_error("serve", "--branch-at needs --resume OLD and --journal NEW (the old "
                                  "journal is not changed)");
      goto done;
    }
    if (!strcmp(o.journal, o.resume)) {
      dt_cli_usage_error("serve", "--branch-at writes a new journal: --journal must name another "
                                  "file than --resume");
      goto done;
    }
  } else if (o.resume) {
    o.journal = o.resume;
  }
  if (!tokens) { snprintf(tokbuf, sizeof tokbuf, "%s.tokens", o.journal); tokens = tokbuf; }
  /* A resumed journal is read and then written on: not an output here. */
  const dt_cli_file_t files[] = { { "the scenario", o.scenario }, { "--people", o.people },
                                  { "--resume", o.branch_at >= 0 ? o.resume : NULL },
                                  { "--journal", o.branch_at >= 0 || !o.resume ? o.journal : NULL },
                                  { "--tokens", tokens }, { "--log", o.logpath } };
  if (dt_cli_check_files("serve", files, 3, 6) < 0) goto done;
  o.tokens = tokens;
  o.ov = co.ov; o.nov = co.nov;
  o.lim = co.lim;
  code = dt_serve_run(&o);
done:
  for (int k = 0; k < co.nov; k++) free((char *)co.ov[k].name);
  return code;
}
