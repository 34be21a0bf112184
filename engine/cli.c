/* cli.c: option helpers shared by the subcommands, and the search for the
 * standard library (DETENTE_STDLIB, then beside the program, then the
 * installed location). */
#define _GNU_SOURCE   /* realpath() beside the POSIX set */
#include "cli.h"
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef DT_STDLIB_DIR
#define DT_STDLIB_DIR "/usr/local/share/detente/stdlib"
#endif

void dt_cli_defaults(dt_common_opts_t *o) {
  memset(o, 0, sizeof *o);
  o->lim.instructions = 100000000;          /* 1e8 per hook call */
  o->lim.memory = (size_t)256 << 20;        /* 256 MiB per run */
  o->lim.seconds = 60;                      /* CPU seconds per run */
  o->lim.instant_events = 1000000;          /* hooks and events at one simulated instant */
}

int dt_cli_usage_error(const char *cmd, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "detente %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n(see 'detente %s --help')\n", cmd);
  return -1;
}

/* The path with its folder resolved (symbolic links, "..", "."), for a file
 * that does not exist yet; a copy of path when the folder does not exist. */
static char *resolved(const char *path) {
  const char *slash = strrchr(path, '/');
  char dir[PATH_MAX], real[PATH_MAX];
  size_t n = slash ? (size_t)(slash - path) : 1;
  if (n >= sizeof dir) return strdup(path);
  if (slash) { memcpy(dir, path, n); dir[n] = 0; if (!n) strcpy(dir, "/"); }
  else strcpy(dir, ".");
  if (!realpath(dir, real)) return strdup(path);
  const char *base = slash ? slash + 1 : path;
  size_t m = strlen(real) + strlen(base) + 2;
  char *r = malloc(m);
  if (r) snprintf(r, m, "%s/%s", real, base);
  return r;
}

/* Whether a and b name one file: the same device and inode when both exist
 * (a link to the file included), else the same path once its folder is
 * resolved. */
static int same_file(const char *a, const char *b) {
  struct stat sa, sb;
  int ea = stat(a, &sa) == 0, eb = stat(b, &sb) == 0;
  if (ea && eb) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  if (ea != eb) return 0;
  char *ra = resolved(a), *rb = resolved(b);
  int same = ra && rb && !strcmp(ra, rb);
  free(ra); free(rb);
  return same;
}

int dt_cli_check_files(const char *cmd, const dt_cli_file_t *files, int nin, int n) {
  for (int i = nin; i < n; i++) {
    if (!files[i].path) continue;
    for (int j = 0; j < i; j++)
      if (files[j].path && same_file(files[i].path, files[j].path))
        return dt_cli_usage_error(cmd, "%s '%s' is the same file as %s%s: writing it would %s",
                                  files[i].what, files[i].path, files[j].what,
                                  j < nin ? "" : " (another output)",
                                  j < nin ? "destroy what is read" : "mix two outputs");
  }
  return 0;
}

int dt_cli_u64(const char *s, uint64_t *out) {
  if (!s || !*s || *s == '-') return -1;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end) return -1;
  *out = v;
  return 0;
}

int dt_cli_seed(const char *s, uint64_t *out) {
  if (s && s[0] == 's') s++;
  return dt_cli_u64(s, out);
}

static const char *value(int argc, char **argv, int *i, const char *cmd) {
  if (*i + 1 >= argc) { dt_cli_usage_error(cmd, "%s needs a value", argv[*i]); return NULL; }
  return argv[++*i];
}

int dt_cli_common(dt_common_opts_t *o, int argc, char **argv, int *i, const char *cmd) {
  const char *a = argv[*i];
  if (!strncmp(a, "-D", 2)) {
    const char *kv = a[2] ? a + 2 : value(argc, argv, i, cmd);
    if (!kv) return -1;
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv) return dt_cli_usage_error(cmd, "-D expects name=value, got '%s'", kv);
    if (o->nov >= 256) return dt_cli_usage_error(cmd, "too many -D options (256 at most)");
    /* Keep the name in a buffer of its own: argv strings must not be changed. */
    size_t n = (size_t)(eq - kv);
    char *name = malloc(n + 1);
    if (!name) return -1;
    memcpy(name, kv, n); name[n] = 0;
    for (int k = 0; k < o->nov; k++)
      if (!strcmp(o->ov[k].name, name)) {
        free(name);
        return dt_cli_usage_error(cmd, "-D %.*s given twice", (int)n, kv);
      }
    o->ov[o->nov].name = name;
    o->ov[o->nov++].value = eq + 1;
    return 1;
  }
  if (!strcmp(a, "--max-instructions")) {
    const char *v = value(argc, argv, i, cmd);
    uint64_t n;
    if (!v || dt_cli_u64(v, &n) || n > (uint64_t)INT64_MAX)
      return v ? dt_cli_usage_error(cmd, "--max-instructions expects a whole number (0 = no limit)")
               : -1;
    o->lim.instructions = (int64_t)n;
    return 1;
  }
  if (!strcmp(a, "--max-memory")) {
    const char *v = value(argc, argv, i, cmd);
    uint64_t n;
    if (!v || dt_cli_u64(v, &n) || n > (1u << 20))
      return v ? dt_cli_usage_error(cmd,
                                    "--max-memory expects MiB as a whole number (0 = no limit)")
               : -1;
    o->lim.memory = (size_t)n << 20;
    return 1;
  }
  if (!strcmp(a, "--max-seconds")) {
    const char *v = value(argc, argv, i, cmd);
    char *end = NULL;
    double s = v ? strtod(v, &end) : -1;
    if (!v || end == v || *end || !(s >= 0) || s > 1e6)
      return v ? dt_cli_usage_error(
                     cmd, "--max-seconds expects CPU seconds, e.g. 60 or 0.5 (0 = no limit)")
               : -1;
    o->lim.seconds = s;
    return 1;
  }
  if (!strcmp(a, "--unsafe")) { o->lim.unsafe = 1; return 1; }
  if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) { o->quiet = 1; return 1; }
  return 0;
}

static int is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *dt_cli_stdlib_dir(void) {
  static char buf[PATH_MAX + 64];
  const char *env = getenv("DETENTE_STDLIB");
  if (env && *env) return env;
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = 0;
      snprintf(buf, sizeof buf, "%s/../stdlib", exe);
      if (is_dir(buf)) return buf;
      snprintf(buf, sizeof buf, "%s/../../stdlib", exe);   /* build/san/detente */
      if (is_dir(buf)) return buf;
      snprintf(buf, sizeof buf, "%s/../share/detente/stdlib", exe);
      if (is_dir(buf)) return buf;
    }
  }
  return DT_STDLIB_DIR;
}

int dt_cli_exit_for(int rc) {
  switch (rc) {
  case 0: return DT_EXIT_OK;
  case DT_ELIMIT: return DT_EXIT_LIMIT;
  case DT_EIO: return DT_EXIT_IO;
  case DT_EINVAL: return DT_EXIT_USAGE;
  default: return DT_EXIT_SCRIPT;
  }
}
