#!/usr/bin/env python3
"""make_patches.py: writes tests/mutants/NN-name.patch, one small deliberate bug
each, from the table below (the patches are what `make mutants` applies; this
script only regenerates them when the code they touch has moved). Each patch
starts with a header that tests/mutants/run.sh reads:

    Mutant: what the bug is
    Tests: the tests (run_all.sh names, globs allowed) that must catch it
"""
import difflib, os, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
HERE = os.path.dirname(os.path.abspath(__file__))

M = [
  # calendar
  ("leap-400", "engine/simtime.c", "return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;",
   "return (y % 4 == 0 && y % 100 != 0);", "2000 is not a leap year", "unit/test_simtime"),
  ("leap-100", "engine/simtime.c", "return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;",
   "return y % 4 == 0;", "1900 and 2100 are leap years", "unit/test_simtime"),
  ("month-clamp", "engine/simtime.c", "  if (d > dim)\n    d = dim;", "  if (d > dim + 1)\n    d = dim;",
   "31 Jan + 1 month overflows into March", "unit/test_simtime lua/api_time.lua"),
  ("date-day-range", "engine/simtime.c", "d < 1 || d > dt_time_days_in_month(y, m))",
   "d < 1 || d > dt_time_days_in_month(y, m) + 1)", "29 Feb 2025 accepted as a date", "unit/test_simtime lua/api_time.lua"),
  # event queue
  ("queue-time", "engine/queue.c", "    return a->time < b->time;", "    return a->time > b->time;",
   "later events first", "unit/test_queue"),
  ("queue-prio", "engine/queue.c", "    return a->prio < b->prio;", "    return a->prio > b->prio;",
   "priority reversed", "unit/test_queue"),
  ("queue-fifo", "engine/queue.c", "  return a->seq < b->seq;", "  return a->seq > b->seq;",
   "ties in scheduling order reversed", "unit/test_queue"),
  ("queue-cancel", "engine/queue.c", "  return q->slots[n->slot].seq != n->seq;", "  return q->slots[n->slot].seq != n->seq && 0;",
   "cancelled events still fire", "unit/test_queue lua/api_time.lua"),
  # statistics
  ("wilson-half", "engine/stats.c", "z2 / (4.0 * nn * nn)", "z2 / (2.0 * nn * nn)",
   "Wilson interval too wide", "unit/test_stats"),
  ("wilson-centre", "engine/stats.c", "double centre = (p + z2 / (2.0 * nn)) / denom;",
   "double centre = (p - z2 / (2.0 * nn)) / denom;", "Wilson centre shifted the wrong way", "unit/test_stats"),
  ("sd-population", "engine/stats.c", "return sqrt(w->m2 / (double)(w->n - 1));", "return sqrt(w->m2 / (double)w->n);",
   "population instead of sample sd", "unit/test_stats"),
  ("quantile-type", "engine/stats.c", "double h = (double)(n - 1) * p;", "double h = (double)n * p;",
   "quantiles are not type 7", "unit/test_stats cli/analysis_examples.sh"),
  ("histogram-last-bin", "engine/stats.c", "      if (b >= bins) b = bins - 1;", "      if (b >= bins) continue;",
   "the maximum falls out of the histogram", "unit/test_stats"),
  ("spearman-undefined", "engine/stats.c", "return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;",
   "return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : 0;", "an undefined correlation shows as 0",
   "unit/test_stats cli/mc_columns.sh"),
  ("summary-p", "engine/summary.c", "json_real((double)k / (double)n)", "json_real((double)(k + 1) / (double)n)",
   "probability off by one run", "cli/analysis_examples.sh"),
  # journal
  ("journal-crc", "engine/journal.c", "  return (uint32_t)crc32(0L, d + off + HDR, n) == get32(d + off + 4);",
   "  return 1;", "the CRC is never checked", "unit/test_journal cli/serve_resume.sh"),
  ("journal-no-fdatasync", "engine/journal.c", "  if (!j->nosync && fdatasync(j->fd)) return DT_EIO;",
   "  (void)j->nosync;", "inputs are acknowledged before they are on disk", "cli/serve_durability.sh"),
  ("journal-sync-error-ignored", "engine/journal.c", "  if (!j->nosync && fdatasync(j->fd)) return DT_EIO;",
   "  if (!j->nosync) (void)fdatasync(j->fd);", "a failed fdatasync is ignored", "cli/serve_durability.sh"),
  ("journal-scan-no-stop", "engine/journal.c", "    if (cb && (rc = cb(d + off + HDR, n, off, ud)) != 0) break;",
   "    if (cb) { int r2 = cb(d + off + HDR, n, off, ud); if (r2) rc = r2; }",
   "the scan goes on after its callback said stop", "unit/test_journal"),
  ("journal-corrupt-is-torn", "engine/journal.c", "      if (valid_after(d, size, off)) { res->bad_offset = off; rc = DT_EPARSE; }",
   "      if (valid_after(d, size, off) && 0) { res->bad_offset = off; rc = DT_EPARSE; }", "a corrupt middle is taken for a torn tail",
   "unit/test_journal"),
  # sandbox
  ("sandbox-load", "engine/lrt.c", '"tonumber", "tostring", "type", "_VERSION", NULL',
   '"tonumber", "tostring", "type", "_VERSION", "load", NULL', "scenarios can load code", "scenarios/sandbox_env.lua"),
  ("sandbox-collectgarbage", "engine/lrt.c", '"tonumber", "tostring", "type", "_VERSION", NULL',
   '"tonumber", "tostring", "type", "_VERSION", "collectgarbage", NULL', "scenarios can drive the GC",
   "scenarios/sandbox_env.lua"),
  ("sandbox-string-dump", "engine/lrt.c", '"rep", "reverse", "sub", "upper", "pack", "packsize", "unpack", NULL',
   '"rep", "reverse", "sub", "upper", "pack", "packsize", "unpack", "dump", NULL', "string.dump reachable",
   "scenarios/sandbox_env.lua"),
  ("sandbox-debug", "engine/lrt.c", 'static const char *const dbg[] = { "traceback", NULL };',
   'static const char *const dbg[] = { "traceback", "getinfo", NULL };', "debug.getinfo reachable",
   "scenarios/sandbox_env.lua"),
  ("sandbox-os", "engine/lrt.c", 'lua_newtable(L); lua_newtable(L); freeze(L, NULL); lua_setfield(L, -3, "os"); lua_pop(L, 1);',
   'lua_getglobal(L, "os"); freeze(L, NULL); lua_setfield(L, -2, "os");', "the whole os library (os.execute, os.getenv, os.exit)",
   "scenarios/sandbox_env.lua"),
  # runs file
  ("csv-cr-unquoted", "engine/runs.c", "s[i] == '\\n' || s[i] == '\\r') quote = 1;", "s[i] == '\\n') quote = 1;",
   "a CR is written raw", "cli/mc_csv_roundtrip.sh"),
  ("csv-quote-doubling", "engine/runs.c", "      dt_buf_put(b, \"\\\"\", 1);\n      start = i + 1;",
   "      start = i + 1;", "quotes inside a field not doubled",
   "cli/mc_csv.sh cli/mc_csv_roundtrip.sh"),
  ("csv-missing-empty", "engine/batch.c", 'default: dt_buf_puts(b, "NA"); break;',
   "default: break;", "a missing value is an empty field again", "cli/mc_csv.sh cli/readers.sh"),
  ("csv-bool-lower", "engine/batch.c", 'dt_buf_puts(b, v->num ? "TRUE" : "FALSE");',
   'dt_buf_puts(b, v->num ? "true" : "false");', "booleans R reads as text",
   "cli/readers.sh"),
  ("csv-seed-number", "engine/batch.c", 'snprintf(num, sizeof num, "s%llu", (unsigned long long)seed);',
   'snprintf(num, sizeof num, "%llu", (unsigned long long)seed);', "seeds R rounds to doubles", "cli/readers.sh"),
  ("csv-na-text", "engine/runs.c", "  int quote = n == 0 || (n == 2 && s[0] == 'N' && s[1] == 'A'); /* \"NA\" text is not a missing NA */",
   "  int quote = n == 0;", "the text NA is written like a missing value", "cli/mc_csv_roundtrip.sh"),
  # merge
  ("merge-seed-check", "engine/merge.c", "seed != dt_rng_run_seed(m->s->seed, g))", "(seed != dt_rng_run_seed(m->s->seed, g) && 0))",
   "merge accepts rows whose seed the master seed does not give", "cli/mc_shards.sh"),
  ("merge-na-missing", "engine/merge.c", '  if (!f->quoted && (f->len == 0 || !strcmp(t, "NA"))) return dt_cell_none();',
   "  if (!f->quoted && f->len == 0) return dt_cell_none();", "merge takes NA for a value",
   "cli/mc_columns.sh cli/mc_csv_roundtrip.sh"),
  # visibility and reconnection
  ("vis-parties-public", "engine/session.c", "  e->all = ev->vis == DT_VIS_PUBLIC;", "  e->all = ev->vis != DT_VIS_PRIVATE;",
   "events between two parties seen by all", "cli/serve_visibility.sh"),
  ("vis-facilitator", "engine/hub.c", "if (c->seat == DT_PEER_FAC || e->all) return 1;", "if (e->all) return 1;",
   "the facilitator no longer sees everything", "cli/serve_visibility.sh"),
  ("reconnect-resend", "engine/hub.c", "if (s->hist[mid].seq <= (uint64_t)m->last_seq) lo = mid + 1;",
   "if (s->hist[mid].seq < (uint64_t)m->last_seq) lo = mid + 1;", "a reconnecting seat gets its last event twice",
   "cli/serve_reconnect.sh"),
  # seeds
  ("run-seed-index", "engine/rng.c", "  return mix64(base + run_index * GOLDEN);", "  return mix64(base + (run_index / 2) * GOLDEN);",
   "two runs share a seed", "unit/test_rng cli/mc_shards.sh"),
]

def main():
    for f in os.listdir(HERE):
        if f.endswith(".patch"):
            os.remove(os.path.join(HERE, f))
    for i, (name, path, old, new, why, tests) in enumerate(M, 1):
        src = open(os.path.join(ROOT, path), encoding="utf-8").read()
        if src.count(old) != 1:
            sys.exit("%s: %r occurs %d times in %s" % (name, old, src.count(old), path))
        mut = src.replace(old, new)
        diff = difflib.unified_diff(src.splitlines(True), mut.splitlines(True), "a/" + path, "b/" + path, n=2)
        with open(os.path.join(HERE, "%02d-%s.patch" % (i, name)), "w", encoding="utf-8") as f:
            f.write("Mutant: %s\nTests: %s\n\n" % (why, tests))
            f.writelines(diff)
    print("%d patches written" % len(M))

main()
