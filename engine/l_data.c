/* l_data.c: reading data files and modules from scripts: data.csv, data.json
 * and the sandboxed require. Paths are relative to the folder of the calling
 * file and may not leave it; foreign memory (the CSV parser, JSON trees) is
 * boxed in userdata so a Lua error cannot leak it. A file is parsed once per
 * worker: its tables are frozen (read-only userdata over them) and shared by
 * all the worker's runs, so no run can change what the next one reads.
 * Files are opened beneath their folder (openat2 with RESOLVE_BENEATH, or
 * realpath and a prefix check): a symbolic link cannot lead out of it. */
#define _GNU_SOURCE   /* syscall() and realpath() beside the POSIX set */
#include "l_session.h"
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <math.h>
#include <unistd.h>
#include <sys/syscall.h>
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#endif
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Refuses absolute paths and any ".." component. */
static void check_relative(lua_State *L, const char *fn, const char *p) {
  if (!*p || p[0] == '/' || strstr(p, "\\"))
    luaL_error(L, "%s: '%s' must be a path relative to the script's folder", fn, p);
  for (const char *s = p; *s;) {
    const char *e = strchr(s, '/');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    if (n == 2 && s[0] == '.' && s[1] == '.')
      luaL_error(L, "%s: '%s' may not leave the script's folder ('..')", fn, p);
    s += n + (e ? 1 : 0);
  }
}

/* Pushes the folder of the Lua function that called the C function. */
static void caller_dir(lua_State *L) {
  lua_Debug ar;
  if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "S", &ar) && ar.source[0] == '@') {
    const char *src = ar.source + 1;
    const char *slash = strrchr(src, '/');
    if (slash) lua_pushlstring(L, src, (size_t)(slash - src));
    else lua_pushliteral(L, ".");
    return;
  }
  lua_pushstring(L, dt__lrt_get(L)->script_dir);
}

/* "@stdlib/" names the standard library's data folder (stdlib/detente/data). */
static const char stdlib_prefix[] = "@stdlib/";

/* Where a file is: its folder, the path beneath it (both on the Lua stack
 * while the C function runs), and the two joined, for messages and caches. */
typedef struct where { const char *dir, *rel, *path; } where_t;

static where_t resolve(lua_State *L, const char *fn, int argi) {
  const char *rel = dt__lrt_checkstr(L, argi);
  dt_lrt_t *rt = dt__lrt_get(L);
  where_t w;
  if (!strncmp(rel, stdlib_prefix, sizeof stdlib_prefix - 1)) {
    rel += sizeof stdlib_prefix - 1;
    check_relative(L, fn, rel);
    w.dir = lua_pushfstring(L, "%s/detente/data", rt->stdlib_dir);
  } else {
    if (!rt->lim.unsafe) check_relative(L, fn, rel);
    if (rel[0] == '/') {
      w.dir = NULL; w.rel = rel; w.path = rel;
      return w;
    }
    caller_dir(L);
    w.dir = lua_tostring(L, -1);
  }
  w.rel = rel;
  w.path = lua_pushfstring(L, "%s/%s", w.dir, rel);
  return w;
}

/* Opens rel beneath the folder dir for reading, never following a link out
 * of it. Returns an fd, or -1 with errno (EXDEV: the path leads outside). */
static int open_beneath(const char *dir, const char *rel) {
  if (!dir) return open(rel, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return -1;
  int fd = -1, e = ENOSYS;
#if defined(SYS_openat2) && defined(RESOLVE_BENEATH)
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  fd = (int)syscall(SYS_openat2, dfd, rel, &how, sizeof how);
  e = fd < 0 ? errno : 0;
#endif
  if (fd < 0 && (e == ENOSYS || e == EPERM)) {
    /* No openat2 (or a seccomp filter refuses it): resolve both and compare. */
    char *d = realpath(dir, NULL), *f = NULL;
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *joined = malloc(n);
    if (d && joined) {
      snprintf(joined, n, "%s/%s", dir, rel);
      f = realpath(joined, NULL);
      size_t dl = strlen(d);
      if (!f) e = errno;
      else if (strncmp(f, d, dl) != 0 || (f[dl] != '/' && f[dl] != 0)) e = EXDEV;
      else { fd = open(f, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW); e = fd < 0 ? errno : 0; }
    } else {
      e = errno ? errno : ENOMEM;
    }
    free(d); free(f); free(joined);
  }
  close(dfd);
  errno = e;
  return fd;
}

/* Reads a whole file into a userdata (no malloc to leak). The fd sits in a
 * box whose __gc closes it, so an allocation that raises cannot leak it.
 * [-0, +1, e] */
typedef struct fdbox { int fd; } fdbox_t;
#define FDBOX_MT "detente.FileBox"
static int fdbox_gc(lua_State *L) {
  fdbox_t *b = luaL_checkudata(L, 1, FDBOX_MT);
  if (b->fd >= 0) close(b->fd);
  b->fd = -1;
  return 0;
}

static const char *slurp(lua_State *L, const char *fn, where_t w, size_t *len) {
  fdbox_t *box = lua_newuserdatauv(L, sizeof *box, 0);
  box->fd = -1;
  luaL_setmetatable(L, FDBOX_MT);
  box->fd = open_beneath(w.dir, w.rel);
  if (box->fd < 0) {
    int e = errno;
    if (e == EXDEV || e == ELOOP)
      luaL_error(L,
                 "%s: cannot read '%s': it leads outside the scenario's folder (a symbolic link?)",
                 fn, w.path);
    luaL_error(L, "%s: cannot read '%s' (%s)", fn, w.path,
               e == ENOENT ? "no such file" : strerror(e));
  }
  struct stat st;
  memset(&st, 0, sizeof st);   /* read below even when fstat fails */
  if (fstat(box->fd, &st) != 0 || !S_ISREG(st.st_mode))
    luaL_error(L, "%s: cannot read '%s' (%s)", fn, w.path,
               S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
  if (st.st_size > (off_t)256 * 1024 * 1024)
    luaL_error(L, "%s: '%s' is larger than 256 MiB", fn, w.path);
  char *buf = lua_newuserdatauv(L, (size_t)st.st_size + 1, 0);
  size_t n = 0;
  while (n < (size_t)st.st_size) {
    ssize_t r = read(box->fd, buf + n, (size_t)st.st_size - n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    n += (size_t)r;
  }
  close(box->fd);
  box->fd = -1;
  lua_remove(L, -2);   /* the box */
  buf[n] = 0;
  *len = n;
  /* A UTF-8 byte-order mark is not part of the data. */
  if (n >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
      (unsigned char)buf[2] == 0xBF) {
    *len = n - 3;
    return buf + 3;
  }
  return buf;
}

/* Pushes at most 40 bytes of s, with anything that is not printable ASCII
 * escaped, so an error message never carries a file's raw bytes. [-0, +1, m] */
static const char *excerpt(lua_State *L, const char *s, size_t n) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  size_t i;
  for (i = 0; i < n && i < 40; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 32 && c < 127 && c != '\\') luaL_addchar(&b, (char)c);
    else { char e[8]; snprintf(e, sizeof e, "\\x%02x", c); luaL_addstring(&b, e); }
  }
  if (i < n) luaL_addstring(&b, "...");
  luaL_pushresult(&b);
  return lua_tostring(L, -1);
}

/* ---- frozen data, cached per worker ---------------------------------------- */

/* Shared standard-library module bodies running on this thread (below). */
static _Thread_local int mod_loading;
static void module_uses(lua_State *L, int e);

/* Registry key of the cache: "csv:" or "json:" + path -> entry. */
static const char key_cache = 0;
/* Run table field: entries this run has been charged for. */
#define CHARGED "data_charged"

static int frozen_newindex(lua_State *L) {
  return luaL_error(L, "data read from a file is shared by every run and read-only (field '%s'); "
                       "copy what you need into a table of your own", luaL_optstring(L, 2, "?"));
}
static int frozen_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)lua_rawlen(L, lua_upvalueindex(1)));
  return 1;
}
/* pairs: an iterator that never hands out the table itself, in the defined
 * order (l_order.c). */
static int frozen_pairs(lua_State *L) {
  dt__lrt_ordered_pairs(L, lua_upvalueindex(1), 1);
  return 3;
}

/* Replaces the table at top, and every table in it, by a frozen view: a
 * userdata whose metatable indexes the table directly (reads cost what a
 * table's __index costs) and refuses writes; # and pairs work. Returns the
 * number of tables frozen. [-1, +1, m] */
static int freeze_deep(lua_State *L, int depth) {
  luaL_checkstack(L, 8, "data: nested too deeply");
  if (depth > 64) luaL_error(L, "data: nested deeper than 64 levels");
  int t = lua_gettop(L), n = 1;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    if (lua_type(L, -1) == LUA_TTABLE) {
      n += freeze_deep(L, depth + 1);
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_rawset(L, t);          /* an existing field: allowed during lua_next */
    } else {
      lua_pop(L, 1);
    }
  }
  lua_newuserdatauv(L, 0, 0);
  lua_createtable(L, 0, 6);
  lua_pushvalue(L, t); lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, frozen_newindex); lua_setfield(L, -2, "__newindex");
  lua_pushvalue(L, t); lua_pushcclosure(L, frozen_len, 1); lua_setfield(L, -2, "__len");
  lua_pushvalue(L, t); lua_pushcclosure(L, frozen_pairs, 1); lua_setfield(L, -2, "__pairs");
  lua_pushliteral(L, "detente.Data"); lua_setfield(L, -2, "__name");
  lua_pushboolean(L, 0); lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_replace(L, t);
  return n;
}

/* A cache entry: the memory a run is charged for using it (the same for the
 * run that parsed it and every later one, so whether a run is within its
 * memory limit does not depend on which worker ran it or what ran before),
 * and its values in user values 1 and 2. */
typedef struct entry { size_t charge; int nvalues; } entry_t;

/* Charges the current run for entry e, once per run; returns 1 the first
 * time in a run. [-0, +0, m] */
static int charge(lua_State *L, int e) {
  int first = 0;
  dt__lrt_getrun(L, CHARGED);
  lua_pushvalue(L, e);
  if (lua_rawget(L, -2) == LUA_TNIL) {
    first = 1;
    entry_t *en = lua_touserdata(L, e);
    lua_pushvalue(L, e);
    lua_pushboolean(L, 1);
    lua_rawset(L, -4);
    dt__lrt_mem_charge(L, en->charge);
  }
  lua_pop(L, 2);
  return first;
}

/* On a hit pushes the cached values and returns their number; else 0 and
 * pushes nothing. [-0, +(0|n), m] */
static int cache_get(lua_State *L, const char *kind, const char *path) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &key_cache);
  lua_pushfstring(L, "%s:%s", kind, path);
  if (lua_rawget(L, -2) != LUA_TUSERDATA) { lua_pop(L, 2); return 0; }
  int e = lua_gettop(L);
  charge(L, e);
  if (mod_loading) module_uses(L, e);
  entry_t *en = lua_touserdata(L, e);
  int n = en->nvalues;
  for (int i = 1; i <= n; i++) lua_getiuservalue(L, e, i);
  lua_remove(L, e);
  lua_remove(L, e - 1);
  return n;
}

/* Freezes the n values at top (tables), caches them, charges the run as a
 * hit would and leaves the frozen values at top. mem0 is the live memory
 * before the file was read (dt__lrt_mem_mark). [-n, +n, m] */
static void cache_put(lua_State *L, const char *kind, const char *path, int n, size_t mem0,
                      size_t len) {
  dt_lrt_t *rt = dt__lrt_get(L);
  int base = lua_gettop(L) - n, tables = 0;
  for (int i = 1; i <= n; i++) {
    lua_pushvalue(L, base + i);
    if (lua_type(L, -1) == LUA_TTABLE) tables += freeze_deep(L, 0);
    lua_replace(L, base + i);
  }
  entry_t *en = lua_newuserdatauv(L, sizeof *en, n);
  en->nvalues = n;
  /* A deterministic price: twice the file, and a frozen table's overhead. */
  en->charge = 2 * len + (size_t)tables * 256;
  for (int i = 1; i <= n; i++) { lua_pushvalue(L, base + i); lua_setiuservalue(L, -2, i); }
  lua_rawgetp(L, LUA_REGISTRYINDEX, &key_cache);
  lua_pushfstring(L, "%s:%s", kind, path);
  lua_pushvalue(L, -3);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  /* What the entry keeps is the worker's from now on; this run is charged
   * the price, as every later one. */
  dt__lrt_mem_keep(rt, mem0);
  charge(L, lua_gettop(L));
  if (mod_loading) module_uses(L, lua_gettop(L));
  lua_pop(L, 1);
}

/* ---- the parsers' memory ---------------------------------------------------- */

/* While data.csv or data.json parses, the parser's allocations are the run's:
 * charged to it and refused past its limit (a 60 MB file of empty JSON
 * arrays is gigabytes of nodes). Blocks stay plain malloc blocks (Jansson's
 * callers free some with free()); their size is malloc's own, with its
 * overhead. What a parse charged and did not give back is given back at once
 * when its tree is freed (parse_done). */
_Thread_local dt_lrt_t *dt__lrt_parsing;
#define parse_rt dt__lrt_parsing
static _Thread_local size_t parse_live;

static size_t pcost(void *p) { return malloc_usable_size(p) + 16; }

/* Called by the parsers between Lua API calls, where lrt may collect. */
static int over(dt_lrt_t *rt, size_t n) { return !dt__lrt_mem_room(rt, n + 32); }

static void *pmalloc(size_t n) {
  dt_lrt_t *rt = parse_rt;
  if (rt && over(rt, n)) return NULL;
  void *p = malloc(n);
  if (p && rt) { size_t c = pcost(p); rt->mem_used += c; parse_live += c; }
  return p;
}

static void pfree(void *p) {
  if (p && parse_rt) {
    size_t c = pcost(p);
    if (c <= parse_live) { parse_rt->mem_used -= c; parse_live -= c; }
  }
  free(p);
}

/* libcsv's field buffer grows by realloc, 128 bytes at a time: asked for
 * more, it gets twice what it had, so a long field costs a few copies rather
 * than one per 128 bytes (each a full copy under a sanitizer's allocator).
 * Old and new may exist at once while it is copied. */
static void *prealloc(void *old, size_t n) {
  size_t have = old ? malloc_usable_size(old) : 0;
  if (old && have >= n) return old;
  size_t want = n > 2 * have ? n : 2 * have;
  if (want == 0) want = 1;      /* realloc(p, 0) may free p: never ask for nothing */
  dt_lrt_t *rt = parse_rt;
  size_t had = old && rt ? pcost(old) : 0;
  if (rt && over(rt, want)) return NULL;
  void *p = realloc(old, want);
  if (p && rt && had <= parse_live) {
    size_t c = pcost(p);
    rt->mem_used = rt->mem_used - had + c;
    parse_live = parse_live - had + c;
  }
  return p;
}

static void parse_start(lua_State *L) { parse_rt = dt__lrt_get(L); parse_live = 0; }
/* The parser's memory is freed (or about to be): what it still holds is
 * given back to the run. */
static void parse_done(dt_lrt_t *rt) {
  rt->mem_used = rt->mem_used > parse_live ? rt->mem_used - parse_live : 0;
  parse_live = 0;
}

/* Jansson takes its allocator once, for the whole process, before any use. */
__attribute__((constructor)) static void parse_alloc_init(void) {
  json_set_alloc_funcs(pmalloc, pfree);
}

/* ---- CSV ------------------------------------------------------------------ */

typedef struct csvbox { struct csv_parser p; int live; lua_State *L; int row, col, rows; } csvbox_t;

static int csvbox_gc(lua_State *L) {
  csvbox_t *b = lua_touserdata(L, 1);
  if (b->live) { csv_free(&b->p); b->live = 0; }
  return 0;
}

static int is_number(const char *s, size_t n) {
  size_t i = 0;
  if (i < n && (s[i] == '-' || s[i] == '+')) i++;
  size_t d = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') { i++; d++; }
  if (i < n && s[i] == '.') { i++; while (i < n && s[i] >= '0' && s[i] <= '9') { i++; d++; } }
  if (!d) return 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '-' || s[i] == '+')) i++;
    size_t e = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') { i++; e++; }
    if (!e) return 0;
  }
  return i == n;
}

/* Stack during parsing: ..., rows, current row (array of cells). */
static void on_field(void *s, size_t n, void *ud) {
  csvbox_t *b = ud;
  lua_State *L = b->L;
  lua_pushlstring(L, s ? s : "", s ? n : 0);
  lua_rawseti(L, -2, ++b->col);
}

static void on_row(int c, void *ud) {
  (void)c;
  csvbox_t *b = ud;
  lua_State *L = b->L;
  lua_rawseti(L, -2, ++b->rows);
  lua_newtable(L);
  b->col = 0;
}

/* data.csv(path) -> rows, header. Cells that read as numbers become numbers;
 * empty cells are left out (nil), never zero. */
static int csv_load(lua_State *L);
static int json_load(lua_State *L);

/* data.csv and data.json: the cached values, or the file loaded, its
 * objects numbered as the file's (they are the worker's from now on), and
 * cached. */
static int data_file(lua_State *L, const char *fn, const char *kind, int nres,
                     lua_CFunction load) {
  where_t w = resolve(L, fn, 1);
  int n = cache_get(L, kind, w.path);
  if (n) return n;
  const char *space = lua_pushfstring(L, "%s:%s", kind, w.path);
  lua_pushlightuserdata(L, &w);
  dt__lrt_in_space(L, space, load, 1, nres);
  return nres;
}

static int d_csv(lua_State *L) { return data_file(L, "data.csv", "csv", 2, csv_load); }

/* data.csv's load, for a file not in the cache; arg 1: its where_t. */
static int csv_load(lua_State *L) {
  where_t w = *(const where_t *)lua_touserdata(L, 1);
  const char *path = w.path;
  size_t mem0 = dt__lrt_mem_mark(dt__lrt_get(L)), len;
  const char *text = slurp(L, "data.csv", w, &len);
  csvbox_t *b = lua_newuserdatauv(L, sizeof *b, 0);
  memset(b, 0, sizeof *b);
  lua_newtable(L);
  lua_pushcfunction(L, csvbox_gc); lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  if (csv_init(&b->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
    return luaL_error(L, "data.csv: out of memory");
  csv_set_realloc_func(&b->p, prealloc);
  csv_set_free_func(&b->p, pfree);
  b->live = 1;
  b->L = L;
  int box = lua_gettop(L);
  lua_newtable(L);   /* raw rows */
  lua_newtable(L);   /* current row */
  parse_start(L);
  size_t done = csv_parse(&b->p, text, len, on_field, on_row, b);
  parse_rt = NULL;
  if (done != len && dt__lrt_get(L)->mem_hit) return luaL_error(L, "not enough memory");
  if (done != len)
    return luaL_error(L, "%s: malformed CSV at byte %d, line %d (%s)", path, (int)done + 1,
                      b->rows + 1, csv_strerror(csv_error(&b->p)));
  if (csv_fini(&b->p, on_field, on_row, b) != 0)
    return luaL_error(L, "%s: malformed CSV at the end of the file (an unterminated quoted field?)",
                      path);
  lua_pop(L, 1);
  csv_free(&b->p); b->live = 0;
  parse_done(dt__lrt_get(L));
  int raw = lua_gettop(L);
  (void)box;
  lua_Integer nrows = (lua_Integer)lua_rawlen(L, raw);
  if (nrows < 1) return luaL_error(L, "%s: empty CSV (a header row is needed)", path);
  lua_rawgeti(L, raw, 1);
  int header = lua_gettop(L);
  lua_Integer ncols = (lua_Integer)lua_rawlen(L, header);
  /* Two columns of one name would make one of them unreachable. */
  lua_createtable(L, 0, (int)ncols);
  for (lua_Integer c = 1; c <= ncols; c++) {
    lua_rawgeti(L, header, c);
    lua_pushvalue(L, -1);
    if (lua_rawget(L, -3) != LUA_TNIL) {
      size_t l;
      const char *name = lua_tolstring(L, -2, &l);
      return luaL_error(L, "%s: duplicate column '%s' in the header (columns %d and %d)", path,
                        excerpt(L, name, l), (int)lua_tointeger(L, -1), (int)c);
    }
    lua_pop(L, 1);
    lua_pushinteger(L, c);
    lua_rawset(L, -3);
  }
  lua_pop(L, 1);
  lua_createtable(L, (int)nrows - 1, 0);
  int out = lua_gettop(L);
  for (lua_Integer r = 2; r <= nrows; r++) {
    lua_rawgeti(L, raw, r);
    int row = lua_gettop(L);
    lua_Integer nc = (lua_Integer)lua_rawlen(L, row);
    if (nc == 1) {
      lua_rawgeti(L, row, 1);
      size_t l;
      lua_tolstring(L, -1, &l);
      lua_pop(L, 1);
      if (l == 0) {
        lua_pop(L, 1);
        continue;
      }
    }
    if (nc != ncols)
      return luaL_error(L, "%s:%d: %d fields, but the header has %d", path, (int)r, (int)nc,
                        (int)ncols);
    lua_createtable(L, 0, (int)ncols);
    for (lua_Integer c = 1; c <= ncols; c++) {
      lua_rawgeti(L, row, c);
      size_t l;
      const char *s = lua_tolstring(L, -1, &l);
      if (l == 0) { lua_pop(L, 1); continue; }
      if (is_number(s, l) && lua_stringtonumber(L, s)) {
        /* 1e999 would read as inf: refused, as data.json refuses it */
        if (isinf(lua_tonumber(L, -1))) {
          lua_rawgeti(L, header, c);
          size_t hl;
          const char *h = lua_tolstring(L, -1, &hl);
          return luaL_error(L, "%s:%d: column '%s': the number %s is out of range (beyond 1.8e308)",
                            path, (int)r, excerpt(L, h, hl), excerpt(L, s, l));
        }
        lua_remove(L, -2);
      }
      lua_rawgeti(L, header, c);
      lua_insert(L, -2);
      lua_rawset(L, -3);
    }
    lua_rawseti(L, out, (lua_Integer)lua_rawlen(L, out) + 1);
    lua_pop(L, 1);
  }
  lua_pushvalue(L, header);
  cache_put(L, "csv", path, 2, mem0, len);
  return 2;
}

/* ---- JSON ----------------------------------------------------------------- */

typedef struct jbox { json_t *j; } jbox_t;
static int jbox_gc(lua_State *L) {
  jbox_t *b = lua_touserdata(L, 1);
  if (b->j) { json_decref(b->j); b->j = NULL; }
  return 0;
}

/* The one conversion from JSON to Lua (l_session.h says what it does). */
static void push_json(lua_State *L, json_t *j, int depth, const char *what) {
  if (depth > DT_LRT_JSON_DEPTH)
    luaL_error(L, "%s: nested deeper than %d levels", what, DT_LRT_JSON_DEPTH);
  luaL_checkstack(L, 4, what);
  switch (json_typeof(j)) {
  case JSON_OBJECT: {
    lua_createtable(L, 0, (int)json_object_size(j));
    const char *k; json_t *v;
    json_object_foreach(j, k, v) {
      if (json_is_null(v)) continue;
      push_json(L, v, depth + 1, what);
      lua_setfield(L, -2, k);
    }
    break;
  }
  case JSON_ARRAY: {
    size_t n = json_array_size(j);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
      push_json(L, json_array_get(j, i), depth + 1, what);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    break;
  }
  case JSON_STRING: lua_pushlstring(L, json_string_value(j), json_string_length(j)); break;
  case JSON_INTEGER: lua_pushinteger(L, (lua_Integer)json_integer_value(j)); break;
  case JSON_REAL: lua_pushnumber(L, json_real_value(j)); break;
  case JSON_TRUE: lua_pushboolean(L, 1); break;
  case JSON_FALSE: lua_pushboolean(L, 0); break;
  default: lua_pushnil(L);
  }
}

void dt__lrt_pushjson(lua_State *L, json_t *j, const char *what) { push_json(L, j, 0, what); }

static int d_json(lua_State *L) { return data_file(L, "data.json", "json", 1, json_load); }

/* data.json's load, for a file not in the cache; arg 1: its where_t. */
static int json_load(lua_State *L) {
  where_t w = *(const where_t *)lua_touserdata(L, 1);
  const char *path = w.path;
  size_t mem0 = dt__lrt_mem_mark(dt__lrt_get(L)), len;
  const char *text = slurp(L, "data.json", w, &len);
  jbox_t *b = lua_newuserdatauv(L, sizeof *b, 0);
  b->j = NULL;
  lua_newtable(L);
  lua_pushcfunction(L, jbox_gc); lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  json_error_t err;
  parse_start(L);
  b->j = json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
  parse_rt = NULL;
  if (!b->j && dt__lrt_get(L)->mem_hit) return luaL_error(L, "not enough memory");
  if (!b->j)
    return luaL_error(L, "%s:%d:%d: malformed JSON: %s", path, err.line, err.column,
                      excerpt(L, err.text, strlen(err.text)));
  dt__lrt_pushjson(L, b->j, "data.json");
  json_decref(b->j); b->j = NULL;
  parse_done(dt__lrt_get(L));
  cache_put(L, "json", path, 1, mem0, len);
  return 1;
}

/* ---- shared standard-library modules ---------------------------------------- */

/* A detente.* module is run once per worker, when a run first requires it,
 * and its result shared by the worker's later runs, if it can be shared
 * soundly; otherwise it is loaded per run as before. The rule:
 *  - its body runs in the modules' environment (below), in which only pure
 *    globals exist while a body runs (the Lua library without coroutines or
 *    random draws, durations, require, and data.csv/data.json, whose files
 *    are shared per worker too and charged to every run that uses the
 *    module): a body that calls anything touching a run (emit, date, states,
 *    ...) or reads any other global raises, and the module is loaded per run
 *    instead. So is a module whose body
 *    raises, yields or requires a module that cannot be shared;
 *  - every table reachable from its result and from its functions' upvalues
 *    becomes a view: a userdata whose metatable indexes a copy of the table
 *    whose own tables are views in turn; writes raise, naming the module; #,
 *    pairs and ipairs work. The module's functions see the views too (their
 *    upvalues are replaced), so module code cannot write shared tables
 *    either. A table with a metatable, a table used as a key, a coroutine, a
 *    userdata or a C closure the base does not hold makes the module unshared;
 *  - the values of its functions' upvalues are recorded and put back when a
 *    run first requires the module (or one that uses it): a module that keeps
 *    per-run state in an upvalue (policies.set_effect) starts every run as
 *    the body left it, as if the body had run for that run;
 *  - a run is charged a fixed memory price for each shared module it uses and
 *    no instructions for its body, whichever run loaded it.
 * The modules' environment: a view over a table holding _G (the view itself)
 * whose __index is a copy of the base; reading a global the base does not
 * have raises, writing any raises. Scenario-local modules are loaded per run. */

static const char key_mods = 0;    /* registry: path -> entry | false (cannot be shared) */
static const char key_menv = 0;    /* registry: the environment's parts (ME_*) */
static const char key_mview = 0;   /* key present in every view's metatable */
enum { ME_ENV = 1, ME_M, ME_FULL, ME_PURE, ME_KNOWN, ME_RAW, ME_STACK };

/* The key at idx as a step of a path, into buf (n >= 64 bytes): .name, [1],
 * ["a b"], [true]. Converts nothing on the stack. */
static const char *step_text(lua_State *L, int idx, char *buf, size_t n) {
  switch (lua_type(L, idx)) {
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx)) snprintf(buf, n, "[%lld]", (long long)lua_tointeger(L, idx));
    else snprintf(buf, n, "[%.14g]", (double)lua_tonumber(L, idx));
    return buf;
  case LUA_TSTRING: {
    size_t len, k = 0;
    const char *key = lua_tolstring(L, idx, &len);
    int name = len > 0 && !(key[0] >= '0' && key[0] <= '9');
    for (size_t i = 0; i < len && name; i++)
      name = (key[i] >= 'a' && key[i] <= 'z') || (key[i] >= 'A' && key[i] <= 'Z') ||
             (key[i] >= '0' && key[i] <= '9') || key[i] == '_';
    if (name && len + 2 <= n) { snprintf(buf, n, ".%s", key); return buf; }
    buf[k++] = '['; buf[k++] = '"';
    for (size_t i = 0; i < len && k + 6 < n; i++)
      buf[k++] = (unsigned char)key[i] < 0x20 || key[i] == '"' ? '?' : key[i];
    if (k + 6 >= n) { memcpy(buf + k, "...", 3); k += 3; }
    buf[k++] = '"'; buf[k++] = ']'; buf[k] = 0;
    return buf;
  }
  case LUA_TBOOLEAN: return strcpy(buf, lua_toboolean(L, idx) ? "[true]" : "[false]");
  default: snprintf(buf, n, "[%s]", luaL_typename(L, idx)); return buf;
  }
}

/* A write to a view. Upvalues: the module's name and the view's path from it
 * (made once, when the module was shared: nothing on the read path). */
static int mview_newindex(lua_State *L) {
  char step[64];
  return luaL_error(L, "%s is a standard-library module shared by every run and read-only "
                       "(writing %s%s); keep your own values in a table of your own",
                    lua_tostring(L, lua_upvalueindex(1)), lua_tostring(L, lua_upvalueindex(2)),
                    step_text(L, 2, step, sizeof step));
}
static int menv_newindex(lua_State *L) {
  return luaL_error(L, "a shared standard-library module cannot set the global '%s'",
                    luaL_tolstring(L, 2, NULL));
}
static int menv_missing(lua_State *L) {
  return luaL_error(L, "a shared standard-library module cannot read the global '%s' (%s)",
                    luaL_tolstring(L, 2, NULL),
                    mod_loading ? "only the pure library while its body runs"
                                : "not one of the engine's");
}

int dt__lrt_is_module(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return 0;
  int is = lua_rawgetp(L, -1, &key_mview) != LUA_TNIL;
  lua_pop(L, 2);
  return is;
}

int dt__lrt_unview(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  if (!dt__lrt_is_module(L, idx) || lua_getiuservalue(L, idx, 1) != LUA_TTABLE) {
    if (lua_type(L, idx) == LUA_TUSERDATA && dt__lrt_is_module(L, idx)) lua_pop(L, 1);
    return 0;
  }
  lua_replace(L, idx);
  return 1;
}

int dt__lrt_is_shared(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) != LUA_TTABLE) return 0;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &key_menv) != LUA_TTABLE) { lua_pop(L, 1); return 0; }
  lua_rawgeti(L, -1, ME_RAW);
  lua_pushvalue(L, idx);
  int is = lua_rawget(L, -2) != LUA_TNIL;
  lua_pop(L, 3);
  return is;
}

void dt__lrt_module_view(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) != LUA_TTABLE) return;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &key_menv) != LUA_TTABLE) { lua_pop(L, 1); return; }
  lua_rawgeti(L, -1, ME_RAW);
  lua_pushvalue(L, idx);
  if (lua_rawget(L, -2) == LUA_TUSERDATA) lua_replace(L, idx);
  else lua_pop(L, 1);
  lua_pop(L, 2);
}

/* Pushes a view over the table s (what scripts read) of the table raw (what
 * dt__lrt_unview gives the engine); raw 0: none. path names the table from
 * the module (detente.policies.EFFECTS[1]) for the error of a write. [-0, +1, m] */
static void push_view(lua_State *L, int s, int raw, const char *mod, const char *path) {
  lua_newuserdatauv(L, 0, 1);
  if (raw) { lua_pushvalue(L, raw); lua_setiuservalue(L, -2, 1); }
  lua_createtable(L, 0, 7);
  lua_pushvalue(L, s); lua_setfield(L, -2, "__index");
  lua_pushstring(L, mod); lua_pushstring(L, path);
  lua_pushcclosure(L, mview_newindex, 2); lua_setfield(L, -2, "__newindex");
  lua_pushvalue(L, s); lua_pushcclosure(L, frozen_len, 1); lua_setfield(L, -2, "__len");
  lua_pushvalue(L, s); lua_pushcclosure(L, frozen_pairs, 1); lua_setfield(L, -2, "__pairs");
  lua_pushliteral(L, "detente.Module"); lua_setfield(L, -2, "__name");
  lua_pushboolean(L, 0); lua_setfield(L, -2, "__metatable");
  lua_pushboolean(L, 1); lua_rawsetp(L, -2, &key_mview);
  lua_setmetatable(L, -2);
}

/* Adds every C function of table t (and of the tables behind the base's
 * read-only libraries) to the set at known. */
static void add_known(lua_State *L, int t, int known, int depth) {
  lua_pushnil(L);
  while (lua_next(L, t)) {
    if (lua_iscfunction(L, -1)) {
      lua_pushvalue(L, -1); lua_pushboolean(L, 1); lua_rawset(L, known);
    } else if (depth == 0 && lua_type(L, -1) == LUA_TUSERDATA && lua_getmetatable(L, -1)) {
      if (lua_getfield(L, -1, "__index") == LUA_TTABLE) add_known(L, lua_gettop(L), known, 1);
      lua_pop(L, 2);
    }
    lua_pop(L, 1);
  }
}

/* Pushes the parts of the modules' environment, made once per worker. */
static int push_menv(lua_State *L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &key_menv) == LUA_TTABLE) return lua_gettop(L);
  lua_pop(L, 1);
  lua_createtable(L, ME_STACK, 0);
  int me = lua_gettop(L);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  int base = lua_gettop(L);
  lua_newtable(L);                       /* full: a copy of the base */
  int full = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, base)) { lua_pushvalue(L, -2); lua_insert(L, -2); lua_rawset(L, full); }
  lua_newtable(L);                       /* pure: what a body may use */
  int pure = lua_gettop(L);
  lua_newtable(L);
  lua_pushcfunction(L, menv_missing); lua_setfield(L, -2, "__index");
  lua_pushvalue(L, -1);
  lua_setmetatable(L, full);
  lua_setmetatable(L, pure);
  static const char *const pures[] = {
    "assert", "error", "ipairs", "next", "pairs", "pcall", "xpcall", "rawequal", "rawget",
    "rawlen", "rawset", "select", "setmetatable", "getmetatable", "tonumber", "tostring", "type",
    "_VERSION", "string", "table", "utf8", "require", "seconds", "hours", "days", "weeks",
    "months", "years", "data", NULL
  };
  for (int i = 0; pures[i]; i++) {
    lua_getfield(L, full, pures[i]);
    lua_setfield(L, pure, pures[i]);
  }
  /* math without its draws from the run's stream */
  lua_newtable(L);
  int m = lua_gettop(L);
  if (lua_getfield(L, full, "math") == LUA_TUSERDATA && lua_getmetatable(L, -1) &&
      lua_getfield(L, -1, "__index") == LUA_TTABLE) {
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
      if (strcmp(k, "random") && strcmp(k, "randomseed")) {
        lua_pushvalue(L, -2); lua_insert(L, -2); lua_rawset(L, m);
      } else {
        lua_pop(L, 1);
      }
    }
  }
  lua_settop(L, m);
  push_view(L, m, 0, "math", "math");
  lua_setfield(L, pure, "math");
  lua_pop(L, 1);
  lua_newtable(L);                       /* M: _G, then the base through __index */
  int mt = lua_gettop(L);
  lua_newuserdatauv(L, 0, 0);            /* the environment */
  int env = lua_gettop(L);
  lua_createtable(L, 0, 4);
  lua_pushvalue(L, mt); lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, menv_newindex); lua_setfield(L, -2, "__newindex");
  lua_pushliteral(L, "detente.Module"); lua_setfield(L, -2, "__name");
  lua_pushboolean(L, 0); lua_setfield(L, -2, "__metatable");
  lua_pushboolean(L, 1); lua_rawsetp(L, -2, &key_mview);
  lua_setmetatable(L, env);
  lua_pushvalue(L, env); lua_setfield(L, mt, "_G");
  lua_newtable(L);
  lua_pushvalue(L, full); lua_setfield(L, -2, "__index");
  lua_setmetatable(L, mt);
  lua_pushvalue(L, env); lua_rawseti(L, me, ME_ENV);
  lua_pushvalue(L, mt); lua_rawseti(L, me, ME_M);
  lua_pushvalue(L, full); lua_rawseti(L, me, ME_FULL);
  lua_pushvalue(L, pure); lua_rawseti(L, me, ME_PURE);
  lua_newtable(L);
  add_known(L, full, lua_gettop(L), 0);
  lua_rawseti(L, me, ME_KNOWN);
  lua_newtable(L); lua_rawseti(L, me, ME_RAW);
  lua_newtable(L); lua_rawseti(L, me, ME_STACK);
  lua_settop(L, me);
  lua_pushvalue(L, me);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &key_menv);
  return me;
}

/* Which globals the modules see: the pure ones while a body runs. */
static void menv_phase(lua_State *L, int me, int loading) {
  lua_rawgeti(L, me, ME_M);
  lua_getmetatable(L, -1);
  lua_rawgeti(L, me, loading ? ME_PURE : ME_FULL);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 2);
}

typedef struct share {
  const char *mod;
  int raw, known, fns, list, nfns, tables;
  char path[160];   /* of the value being shared, from the module: detente.policies.EFFECTS[1] */
  size_t plen;
} share_t;

/* Appends t to the path (cut, with "...", if it would not fit). */
static void path_add(share_t *s, const char *t) {
  size_t n = strlen(t), room = sizeof s->path - 1 - s->plen;
  if (n <= room) {
    memcpy(s->path + s->plen, t, n);
    s->plen += n;
  } else if (room >= 3) {
    memcpy(s->path + s->plen, t, room - 3);
    memcpy(s->path + s->plen + room - 3, "...", 3);
    s->plen += room;
  }
  s->path[s->plen] = 0;
}
static void path_cut(share_t *s, size_t plen) { s->plen = plen; s->path[plen] = 0; }

/* Makes the value at top shareable in place: a table becomes its view and
 * the upvalues of a function are made so. Returns 0 when the value cannot be
 * shared (the stack above the value is then left as it is). */
static int share(lua_State *L, share_t *s, int depth) {
  if (depth > 200 || !lua_checkstack(L, 12)) return 0;
  int v = lua_gettop(L);
  switch (lua_type(L, v)) {
  case LUA_TNIL: case LUA_TBOOLEAN: case LUA_TNUMBER: case LUA_TSTRING: case LUA_TLIGHTUSERDATA:
    return 1;
  case LUA_TUSERDATA:
    return dt__lrt_is_module(L, v);
  case LUA_TTABLE: {
    lua_pushvalue(L, v);
    if (lua_rawget(L, s->raw) != LUA_TNIL) { lua_replace(L, v); return 1; }
    lua_pop(L, 1);
    if (lua_getmetatable(L, v)) return 0;
    lua_pushnil(L);   /* keys a view can hold (checked before the ordering below sees them) */
    while (lua_next(L, v)) {
      int kt = lua_type(L, -2);
      lua_pop(L, 1);
      if (kt != LUA_TSTRING && kt != LUA_TNUMBER && kt != LUA_TBOOLEAN) return 0;
    }
    lua_newtable(L);
    int copy = v + 1;
    push_view(L, copy, v, s->mod, s->path);
    lua_pushvalue(L, v); lua_pushvalue(L, -2); lua_rawset(L, s->raw);
    s->tables++;
    /* In a defined order, values before functions: a table reached twice is
     * named by the first path to it, which must not depend on hash order,
     * and by a field rather than a function's local when it can be. */
    size_t plen = s->plen;
    for (int pass = 0; pass < 2; pass++) {
      dt__lrt_ordered_pairs(L, v, v);   /* v + 3 .. v + 5: iterator, state, control */
      for (;;) {
        lua_pushvalue(L, v + 3); lua_pushvalue(L, v + 4); lua_pushvalue(L, v + 5);
        lua_call(L, 2, 2);              /* v + 6, v + 7: key, value */
        if (lua_isnil(L, v + 6)) break;
        lua_pushvalue(L, v + 6); lua_replace(L, v + 5);
        if ((lua_type(L, v + 7) == LUA_TFUNCTION) != pass) { lua_settop(L, v + 5); continue; }
        char step[64];
        path_add(s, step_text(L, v + 6, step, sizeof step));
        int ok = share(L, s, depth + 1);
        path_cut(s, plen);
        if (!ok) return 0;
        lua_rawset(L, copy);
      }
      lua_settop(L, v + 2);
    }
    lua_replace(L, v);
    lua_settop(L, v);
    return 1;
  }
  case LUA_TFUNCTION:
    if (lua_iscfunction(L, v)) {
      if (!lua_getupvalue(L, v, 1)) return 1;   /* no state of its own */
      lua_pop(L, 1);
      lua_pushvalue(L, v);
      int known = lua_rawget(L, s->known) != LUA_TNIL;
      lua_pop(L, 1);
      return known;
    }
    lua_pushvalue(L, v);
    if (lua_rawget(L, s->fns) != LUA_TNIL) { lua_pop(L, 1); return 1; }
    lua_pop(L, 1);
    lua_pushvalue(L, v); lua_pushboolean(L, 1); lua_rawset(L, s->fns);
    lua_pushvalue(L, v); lua_rawseti(L, s->list, ++s->nfns);
    size_t plen = s->plen;
    const char *up;
    for (int i = 1; (up = lua_getupvalue(L, v, i)) != NULL; i++) {
      int table = lua_type(L, -1) == LUA_TTABLE;
      path_add(s, "'s local ");
      path_add(s, *up ? up : "?");
      int ok = share(L, s, depth + 1);
      path_cut(s, plen);
      if (!ok) return 0;
      if (table) lua_setupvalue(L, v, i);
      else lua_pop(L, 1);
    }
    return 1;
  default:
    return 0;
  }
}

/* Pushes the values of the upvalues of the functions in list (each upvalue
 * once) as triples function, index, value, and their number in "n". [-0, +1, m] */
static void snapshot(lua_State *L, int list, int n) {
  lua_newtable(L);
  int snap = lua_gettop(L), k = 0;
  lua_newtable(L);
  int seen = snap + 1;
  for (int f = 1; f <= n; f++) {
    lua_rawgeti(L, list, f);
    for (int i = 1; lua_getupvalue(L, -1, i); i++) {
      lua_pushlightuserdata(L, lua_upvalueid(L, -2, i));
      if (lua_rawget(L, seen) != LUA_TNIL) { lua_pop(L, 2); continue; }
      lua_pop(L, 1);
      lua_pushlightuserdata(L, lua_upvalueid(L, -2, i));
      lua_pushboolean(L, 1);
      lua_rawset(L, seen);
      lua_pushvalue(L, -2); lua_rawseti(L, snap, ++k);
      lua_pushinteger(L, i); lua_rawseti(L, snap, ++k);
      lua_rawseti(L, snap, ++k);
    }
    lua_pop(L, 1);
  }
  lua_pushinteger(L, k);   /* values may be nil: the list has holes */
  lua_setfield(L, snap, "n");
  lua_settop(L, snap);
}

/* A run starts using the module of entry e: charged, its upvalues put back
 * as its body left them, and the same for the modules it uses. */
static void mod_use(lua_State *L, int e) {
  e = lua_absindex(L, e);
  if (!charge(L, e)) return;
  if (((entry_t *)lua_touserdata(L, e))->nvalues > 0) return;   /* a data file it read */
  lua_getiuservalue(L, e, 2);
  int snap = lua_gettop(L);
  lua_getfield(L, snap, "n");
  lua_Integer n = lua_tointeger(L, -1);
  lua_pop(L, 1);
  for (lua_Integer i = 1; i + 2 <= n; i += 3) {
    lua_rawgeti(L, snap, i);
    lua_rawgeti(L, snap, i + 1);
    int up = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_rawgeti(L, snap, i + 2);
    lua_setupvalue(L, -2, up);
    lua_pop(L, 1);
  }
  lua_getiuservalue(L, e, 3);
  lua_Integer nd = (lua_Integer)lua_rawlen(L, -1);
  for (lua_Integer i = 1; i <= nd; i++) {
    lua_rawgeti(L, -1, i);
    mod_use(L, -1);
    lua_pop(L, 1);
  }
  lua_settop(L, snap - 1);
}

/* Records entry e as used by the module whose body is running, if any. */
static void note_dep(lua_State *L, int me, int e) {
  e = lua_absindex(L, e);
  lua_rawgeti(L, me, ME_STACK);
  lua_Integer depth = (lua_Integer)lua_rawlen(L, -1);
  if (depth > 0) {
    lua_rawgeti(L, -1, depth);
    lua_pushvalue(L, e);
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* A data file (cache entry e) read by the module whose body is running: every
 * run that uses the module is charged for it, as the run that loaded it was. */
static void module_uses(lua_State *L, int e) {
  e = lua_absindex(L, e);
  int me = push_menv(L);
  note_dep(L, me, e);
  lua_pop(L, 1);
}

/* require of a standard-library module: pushes its shared view and returns
 * 1, or returns 0 (nothing pushed) when it is loaded per run. */
static int shared_module(lua_State *L, dt_lrt_t *rt, const char *name, where_t w, int loaded) {
  int top = lua_gettop(L);
  int me = push_menv(L);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &key_mods);
  int mods = lua_gettop(L);
  int t = lua_getfield(L, mods, w.path);
  if (t == LUA_TUSERDATA) {
    int e = lua_gettop(L);
    mod_use(L, e);
    note_dep(L, me, e);
    lua_getiuservalue(L, e, 1);
    lua_replace(L, top + 1);
    lua_settop(L, top + 1);
    return 1;
  }
  lua_settop(L, mods);
  if (t != LUA_TNIL) { lua_settop(L, top); return 0; }
  int fd = open_beneath(w.dir, w.rel);
  if (fd < 0) { lua_settop(L, top); return 0; }   /* per run, which says why */
  close(fd);
  size_t len;
  const char *src = slurp(L, "require", w, &len);
  lua_pushfstring(L, "@%s", w.path);
  if (luaL_loadbufferx(L, src, len, lua_tostring(L, -1), "t") != LUA_OK) {
    lua_settop(L, top);
    return 0;   /* loaded per run, which reports the syntax error */
  }
  int fn = lua_gettop(L);
  lua_rawgeti(L, me, ME_ENV);
  lua_setupvalue(L, fn, 1);
  lua_rawgeti(L, me, ME_STACK);
  lua_newtable(L);
  int deps = lua_gettop(L);
  lua_pushvalue(L, deps);
  lua_rawseti(L, -3, (lua_Integer)lua_rawlen(L, -3) + 1);
  lua_remove(L, -2);   /* the stack */
  deps = lua_gettop(L);
  lua_pushlightuserdata(L, (void *)&dt__lrt_key_chunks);   /* "loading" marker */
  lua_setfield(L, loaded, name);
  if (mod_loading++ == 0) menv_phase(L, me, 1);
  int64_t insn = rt->insn_used;
  size_t mem0 = dt__lrt_mem_mark(rt);   /* what the body keeps is measured live */
  lua_pushvalue(L, fn);
  lua_pushstring(L, name);
  lua_pushstring(L, w.path);
  int st = lua_pcall(L, 2, 1, 0);
  if (--mod_loading == 0) menv_phase(L, me, 0);
  rt->insn_used = insn;   /* no run pays for a shared body */
  lua_rawgeti(L, me, ME_STACK);
  lua_pushnil(L);
  lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2));
  lua_pop(L, 1);
  if (st != LUA_OK && (rt->insn_hit || rt->mem_hit || rt->limit_hit || rt->suspect || rt->rerun))
    return lua_error(L);   /* a limit is the run's, shared or not */
  int ok = st == LUA_OK;
  int res = lua_gettop(L);
  share_t s = { name, 0, 0, 0, 0, 0, 0, "", 0 };
  path_add(&s, name);
  if (ok) {
    if (lua_isnil(L, res)) { lua_pushboolean(L, 1); lua_replace(L, res); }
    lua_rawgeti(L, me, ME_RAW); s.raw = lua_gettop(L);
    lua_rawgeti(L, me, ME_KNOWN); s.known = lua_gettop(L);
    lua_newtable(L); s.fns = lua_gettop(L);
    lua_newtable(L); s.list = lua_gettop(L);
    lua_pushvalue(L, res);
    ok = share(L, &s, 0);
    if (ok) lua_replace(L, res);
  }
  if (!ok) {
    lua_pushboolean(L, 0);
    lua_setfield(L, mods, w.path);
    lua_pushnil(L);
    lua_setfield(L, loaded, name);
    lua_settop(L, top);
    return 0;
  }
  lua_settop(L, s.list);
  entry_t *en = lua_newuserdatauv(L, sizeof *en, 3);
  int e = lua_gettop(L);
  en->nvalues = 0;
  /* A deterministic price: twice the source, a table's and a closure's overhead. */
  en->charge = 2 * len + (size_t)s.tables * 256 + (size_t)s.nfns * 128;
  lua_pushvalue(L, res); lua_setiuservalue(L, e, 1);
  snapshot(L, s.list, s.nfns); lua_setiuservalue(L, e, 2);
  lua_pushvalue(L, deps); lua_setiuservalue(L, e, 3);
  lua_pushvalue(L, e);
  lua_setfield(L, mods, w.path);
  dt__lrt_mem_keep(rt, mem0);   /* the worker's from now on; mod_use charges the price */
  mod_use(L, e);
  note_dep(L, me, e);
  lua_pushvalue(L, res);
  lua_replace(L, top + 1);
  lua_settop(L, top + 1);
  return 1;
}

/* shared_module for a module not tried yet; args: its name, where_t and the
 * run's loaded table. Returns the module, or nil when it is not shared. */
static int shared_load(lua_State *L) {
  const char *name = lua_tostring(L, 1);
  where_t w = *(const where_t *)lua_touserdata(L, 2);
  if (!shared_module(L, dt__lrt_get(L), name, w, 3)) lua_pushnil(L);
  return 1;
}

/* Compiles a module's chunk into the worker's cache; args: its name,
 * where_t and the cache. Returns the compiled function. */
static int chunk_load(lua_State *L) {
  dt_lrt_t *rt = dt__lrt_get(L);
  const char *name = lua_tostring(L, 1);
  where_t w = *(const where_t *)lua_touserdata(L, 2);
  const char *path = w.path;
  int chunks = 3;
  size_t mem0 = dt__lrt_mem_mark(rt);
  int fd = open_beneath(w.dir, w.rel);
  if (fd < 0 && (errno == EXDEV || errno == ELOOP))
    return luaL_error(L, "require: module '%s' (%s) leads outside its folder (a symbolic link?)",
                      name, path);
  if (fd < 0)
    return luaL_error(L,
                      "require: module '%s' not found (looked for %s; modules come from the "
                      "standard library, \"detente.*\", or the scenario's own folder)",
                      name, path);
  close(fd);
  size_t len;
  const char *src = slurp(L, "require", w, &len);
  lua_pushfstring(L, "@%s", path);
  if (luaL_loadbufferx(L, src, len, lua_tostring(L, -1), "t") != LUA_OK) return lua_error(L);
  lua_remove(L, -2);   /* the chunk name */
  lua_remove(L, -2);   /* the source */
  lua_pushvalue(L, -1);
  lua_setfield(L, chunks, path);
  /* The compiled chunk is the worker's from now on; every run that
   * requires it is charged what it keeps, this one too. */
  lua_pushvalue(L, -1);
  lua_pushinteger(L, (lua_Integer)dt__lrt_mem_keep(rt, mem0));
  lua_rawset(L, chunks);
  return 1;
}

/* ---- require -------------------------------------------------------------- */

static int l_require(lua_State *L) {
  dt_lrt_t *rt = dt__lrt_get(L);
  const char *name = dt__lrt_checkstr(L, 1);
  /* names joined by dots: no empty one ("", "a..b", ".a", "a.") */
  int bad = !*name || *name == '.' || name[strlen(name) - 1] == '.' || strstr(name, "..");
  for (const char *p = name; *p && !bad; p++)
    bad = !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '_' || *p == '.');
  if (bad)
    return luaL_error(L, "require: '%s' is not a module name (letters, digits, '_' and '.')",
                      name);
  dt__lrt_getrun(L, "loaded");
  int loaded = lua_gettop(L);
  if (lua_getfield(L, loaded, name) != LUA_TNIL) {
    if (lua_type(L, -1) == LUA_TLIGHTUSERDATA)
      return luaL_error(L, "require: '%s' requires itself (a cycle of requires)", name);
    /* A shared module cannot use one this run loaded for itself. */
    if (mod_loading && !dt__lrt_is_module(L, -1))
      return luaL_error(L, "require: '%s' is loaded per run", name);
    return 1;
  }
  lua_pop(L, 1);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  int std = strncmp(name, "detente.", 8) == 0;
  for (const char *p = name; *p; p++) luaL_addchar(&b, *p == '.' ? '/' : *p);
  luaL_addstring(&b, ".lua");
  luaL_pushresult(&b);
  where_t w;
  w.dir = std ? rt->stdlib_dir : rt->script_dir;
  w.rel = lua_tostring(L, -1);
  const char *path = w.path = lua_pushfstring(L, "%s/%s", w.dir, w.rel);
  int pathi = lua_gettop(L);
  if (std && !rt->lim.unsafe) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &key_mods);
    int known = lua_getfield(L, -1, w.path) != LUA_TNIL;
    lua_pop(L, 2);
    int got;
    if (known) {
      got = shared_module(L, rt, name, w, loaded);
    } else {   /* a load: what it makes is numbered as the module's */
      const char *space = lua_pushfstring(L, "module:%s", w.path);
      lua_pushstring(L, name);
      lua_pushlightuserdata(L, &w);
      lua_pushvalue(L, loaded);
      dt__lrt_in_space(L, space, shared_load, 3, 1);
      got = !lua_isnil(L, -1);
      if (!got) lua_pop(L, 1);
    }
    if (got) {
      lua_pushvalue(L, -1);
      lua_setfield(L, loaded, name);
      return 1;
    }
    /* A shared module cannot use one loaded per run: it is loaded per run too. */
    if (mod_loading) return luaL_error(L, "require: '%s' is loaded per run", name);
  }
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_chunks);
  int chunks = lua_gettop(L);
  if (lua_getfield(L, -1, path) == LUA_TNIL) {
    lua_pop(L, 1);
    const char *space = lua_pushfstring(L, "chunk:%s", path);
    lua_pushstring(L, name);
    lua_pushlightuserdata(L, &w);
    lua_pushvalue(L, chunks);
    dt__lrt_in_space(L, space, chunk_load, 3, 1);
  }
  int fn = lua_gettop(L);
  lua_pushvalue(L, fn);
  if (lua_rawget(L, chunks) == LUA_TNUMBER) dt__lrt_mem_charge(L, (size_t)lua_tointeger(L, -1));
  lua_pop(L, 1);
  lua_pushlightuserdata(L, (void *)&dt__lrt_key_chunks);   /* "loading" marker */
  lua_setfield(L, loaded, name);
  dt__lrt_getrun(L, "env");
  lua_setupvalue(L, fn, 1);
  lua_pushvalue(L, fn);
  lua_pushstring(L, name);
  lua_pushvalue(L, pathi);
  lua_call(L, 2, 1);
  if (lua_isnil(L, -1)) { lua_pop(L, 1); lua_pushboolean(L, 1); }
  lua_pushvalue(L, -1);
  lua_setfield(L, loaded, name);
  return 1;
}

void dt_lrt_forget_data(dt_lrt_t *rt) {
  lua_newtable(rt->L);
  lua_rawsetp(rt->L, LUA_REGISTRYINDEX, &key_cache);
  lua_newtable(rt->L);
  lua_rawsetp(rt->L, LUA_REGISTRYINDEX, &key_mods);
  rt->mem_keep = 0;   /* measured again at the next run */
}

void dt__open_data(lua_State *L) {
  luaL_newmetatable(L, FDBOX_MT);
  lua_pushcfunction(L, fdbox_gc); lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &key_cache);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &key_mods);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &dt__lrt_key_base);
  lua_newtable(L);
  lua_pushcfunction(L, d_csv); lua_setfield(L, -2, "csv");
  lua_pushcfunction(L, d_json); lua_setfield(L, -2, "json");
  lua_setfield(L, -2, "data");
  lua_pushcfunction(L, l_require); lua_setfield(L, -2, "require");
  lua_pop(L, 1);
}
