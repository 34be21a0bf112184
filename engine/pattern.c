/* pattern.c: a backtracking matcher for Lua 5.4 patterns with a step budget.
 * Every loop iteration of the matcher costs a step; when the budget is spent
 * (or the tick callback says stop) the match unwinds and reports it instead
 * of running on. Errors in the pattern are reported in ms->err with Lua's
 * wording, so scripts see the messages they know. Knows nothing of Lua. */
#include "pattern.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char specials[] = "^$*+?.([%-";

int dt_pat_is_plain(const char *p, size_t np) {
  for (size_t i = 0; i < np; i++)
    if (p[i] && strchr(specials, p[i])) return 0;
  return 1;
}

void dt_pat_init(dt_pat_t *ms, const char *s, size_t ns, const char *p, size_t np, int64_t steps) {
  ms->src = s; ms->src_end = s + ns;
  ms->pat = p; ms->pat_end = p + np;
  ms->level = 0; ms->depth = 0;
  ms->steps = steps;
  ms->stopped = 0;
  ms->err[0] = 0;
}

static const char *fail(dt_pat_t *ms, const char *msg, int arg) {
  if (!ms->stopped) {
    ms->stopped = 2;
    snprintf(ms->err, sizeof ms->err, msg, arg);
  }
  return NULL;
}

/* One step of the budget; 0 when the match must stop. */
static int step(dt_pat_t *ms) {
  ms->used++;
  if (--ms->steps < 0) { if (!ms->stopped) ms->stopped = 1; return 0; }
  if ((ms->used & 0xffff) == 0 && ms->tick && ms->tick(ms->tick_ud)) {
    if (!ms->stopped) ms->stopped = 1;
    return 0;
  }
  return 1;
}

/* The pattern byte at p, or 0 past its end (patterns may hold NUL bytes). */
static int pat_at(const dt_pat_t *ms, const char *p) {
  return p < ms->pat_end ? (unsigned char)*p : 0;
}

/* The end of the single-character class that starts at p. */
static const char *class_end(dt_pat_t *ms, const char *p) {
  char c = *p++;
  if (c == '%') {
    if (p >= ms->pat_end) return fail(ms, "malformed pattern (ends with '%%')", 0);
    return p + 1;
  }
  if (c == '[') {
    if (pat_at(ms, p) == '^') p++;
    /* The first character of a set is itself even when it is ']'. */
    for (;;) {
      if (p >= ms->pat_end) return fail(ms, "malformed pattern (missing ']')", 0);
      char d = *p++;
      if (d == '%') {
        if (p >= ms->pat_end) return fail(ms, "malformed pattern (missing ']')", 0);
        p++;
      }
      if (p < ms->pat_end && *p == ']') return p + 1;
    }
  }
  return p;
}

static int class_has(int c, int cl) {
  int r;
  switch (tolower(cl)) {
  case 'a': r = isalpha(c); break;
  case 'c': r = iscntrl(c); break;
  case 'd': r = isdigit(c); break;
  case 'g': r = isgraph(c); break;
  case 'l': r = islower(c); break;
  case 'p': r = ispunct(c); break;
  case 's': r = isspace(c); break;
  case 'u': r = isupper(c); break;
  case 'w': r = isalnum(c); break;
  case 'x': r = isxdigit(c); break;
  case 'z': r = c == 0; break;   /* deprecated in Lua, still accepted */
  default: return cl == c;   /* %. and the like: the character itself */
  }
  r = r != 0;
  return isupper(cl) ? !r : r;
}

/* c against the set [ ... ] from p (at '[') to close (at ']'). */
static int set_has(int c, const char *p, const char *close) {
  int yes = 1;
  p++;
  if (*p == '^') { yes = 0; p++; }
  while (p < close) {
    if (*p == '%') {
      p++;
      if (class_has(c, (unsigned char)*p)) return yes;
      p++;
    } else if (p + 2 < close && p[1] == '-') {
      if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2]) return yes;
      p += 3;
    } else {
      if ((unsigned char)*p == c) return yes;
      p++;
    }
  }
  return !yes;
}

/* Does the subject byte at s match the class from p to ep? */
static int one(const dt_pat_t *ms, const char *s, const char *p, const char *ep) {
  if (s >= ms->src_end) return 0;
  int c = (unsigned char)*s;
  switch (*p) {
  case '.': return 1;
  case '%': return class_has(c, (unsigned char)p[1]);
  case '[': return set_has(c, p, ep - 1);
  default: return (unsigned char)*p == c;
  }
}

static const char *match(dt_pat_t *ms, const char *s, const char *p);

static const char *balance(dt_pat_t *ms, const char *s, const char *p) {
  if (p + 1 >= ms->pat_end) return fail(ms, "malformed pattern (missing arguments to '%%b')", 0);
  if (s >= ms->src_end || *s != p[0]) return NULL;
  char open = p[0], close = p[1];
  int depth = 1;
  while (++s < ms->src_end) {
    if (!step(ms)) return NULL;
    if (*s == close) { if (--depth == 0) return s + 1; }
    else if (*s == open) depth++;
  }
  return NULL;
}

/* As many as possible, then give back one at a time. */
static const char *greedy(dt_pat_t *ms, const char *s, const char *p, const char *ep) {
  ptrdiff_t n = 0;
  while (one(ms, s + n, p, ep)) { if (!step(ms)) return NULL; n++; }
  for (; n >= 0; n--) {
    const char *r = match(ms, s + n, ep + 1);
    if (r || ms->stopped) return r;
  }
  return NULL;
}

/* As few as possible, then take one more at a time. */
static const char *lazy(dt_pat_t *ms, const char *s, const char *p, const char *ep) {
  for (;;) {
    const char *r = match(ms, s, ep + 1);
    if (r || ms->stopped) return r;
    if (!one(ms, s, p, ep) || !step(ms)) return NULL;
    s++;
  }
}

static const char *open_capture(dt_pat_t *ms, const char *s, const char *p, ptrdiff_t what) {
  if (ms->level >= DT_PAT_MAXCAP) return fail(ms, "too many captures", 0);
  ms->cap[ms->level].init = s;
  ms->cap[ms->level].len = what;
  ms->level++;
  const char *r = match(ms, s, p);
  if (!r) ms->level--;
  return r;
}

static const char *close_capture(dt_pat_t *ms, const char *s, const char *p) {
  int l = ms->level - 1;
  while (l >= 0 && ms->cap[l].len != DT_PAT_CAP_OPEN) l--;
  if (l < 0) return fail(ms, "invalid pattern capture", 0);
  ms->cap[l].len = s - ms->cap[l].init;
  const char *r = match(ms, s, p);
  if (!r) ms->cap[l].len = DT_PAT_CAP_OPEN;
  return r;
}

static const char *backref(dt_pat_t *ms, const char *s, int d) {
  int l = d - '1';
  if (l < 0 || l >= ms->level || ms->cap[l].len == DT_PAT_CAP_OPEN)
    return fail(ms, "invalid capture index %%%d", l + 1);
  ptrdiff_t n = ms->cap[l].len;
  if (n < 0 || ms->src_end - s < n) return NULL;
  ms->steps -= n;
  if (memcmp(ms->cap[l].init, s, (size_t)n) != 0) return NULL;
  return s + n;
}

static const char *match(dt_pat_t *ms, const char *s, const char *p) {
  if (++ms->depth > DT_PAT_MAXDEPTH) { ms->depth--; return fail(ms, "pattern too complex", 0); }
  const char *r = NULL;
  for (;;) {
    if (ms->stopped || !step(ms)) { r = NULL; break; }
    if (p >= ms->pat_end) { r = s; break; }
    int c = (unsigned char)*p;
    if (c == '(') {
      r = pat_at(ms, p + 1) == ')' ? open_capture(ms, s, p + 2, DT_PAT_CAP_POS)
                                   : open_capture(ms, s, p + 1, DT_PAT_CAP_OPEN);
      break;
    }
    if (c == ')') { r = close_capture(ms, s, p + 1); break; }
    if (c == '$' && p + 1 == ms->pat_end) { r = s == ms->src_end ? s : NULL; break; }
    if (c == '%' && pat_at(ms, p + 1) == 'b') {
      s = balance(ms, s, p + 2);
      if (!s) { r = NULL; break; }
      p += 4;
      continue;
    }
    if (c == '%' && pat_at(ms, p + 1) == 'f') {
      p += 2;
      if (pat_at(ms, p) != '[') { r = fail(ms, "missing '[' after '%%f' in pattern", 0); break; }
      const char *ep = class_end(ms, p);
      if (!ep) { r = NULL; break; }
      int prev = s == ms->src ? 0 : (unsigned char)s[-1];
      int cur = s < ms->src_end ? (unsigned char)*s : 0;
      if (set_has(prev, p, ep - 1) || !set_has(cur, p, ep - 1)) { r = NULL; break; }
      p = ep;
      continue;
    }
    if (c == '%' && isdigit(pat_at(ms, p + 1))) {
      s = backref(ms, s, p[1]);
      if (!s) { r = NULL; break; }
      p += 2;
      continue;
    }
    const char *ep = class_end(ms, p);
    if (!ep) { r = NULL; break; }
    int q = pat_at(ms, ep);
    if (!one(ms, s, p, ep)) {
      if (q == '*' || q == '?' || q == '-') { p = ep + 1; continue; }
      r = NULL;
      break;
    }
    if (q == '?') {
      r = match(ms, s + 1, ep + 1);
      if (r || ms->stopped) break;
      p = ep + 1;
      continue;
    }
    if (q == '+') { r = greedy(ms, s + 1, p, ep); break; }
    if (q == '*') { r = greedy(ms, s, p, ep); break; }
    if (q == '-') { r = lazy(ms, s, p, ep); break; }
    s++;
    p = ep;
  }
  ms->depth--;
  return r;
}

const char *dt_pat_match(dt_pat_t *ms, const char *s, const char *p) {
  ms->level = 0;
  ms->depth = 0;
  return match(ms, s, p);
}
