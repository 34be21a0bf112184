/* pattern.h: Lua 5.4 string patterns, matched with a step budget. The
 * matcher is ours (written from the reference manual, §6.4.1), in plain C, so
 * the bindings can bound it: a pattern such as (".-"):rep(8).."b" backtracks
 * for minutes, and the budget turns that into an error instead of a hang.
 * Ownership: a dt_pat_t borrows the subject and pattern for one match. */
#ifndef DT_PATTERN_H
#define DT_PATTERN_H
#include <stddef.h>
#include <stdint.h>

#define DT_PAT_MAXCAP 32        /* captures in one pattern, as Lua */
#define DT_PAT_MAXDEPTH 200     /* nested matching calls, as Lua */
enum { DT_PAT_CAP_OPEN = -1, DT_PAT_CAP_POS = -2 };

typedef struct dt_pat {
  const char *src, *src_end;    /* the subject */
  const char *pat, *pat_end;    /* the pattern */
  int level, depth;
  struct { const char *init; ptrdiff_t len; } cap[DT_PAT_MAXCAP];
  int64_t steps;                /* left in the budget; the match stops below 0 */
  int64_t used;                 /* steps taken, over every match of this state */
  int (*tick)(void *ud);        /* every 65536 steps: nonzero stops the match */
  void *tick_ud;
  int stopped;                  /* 1: budget or tick; 2: error (see err) */
  char err[96];
} dt_pat_t;

/* Prepares ms for matching pattern p (np bytes) against s (ns bytes). */
void dt_pat_init(dt_pat_t *ms, const char *s, size_t ns, const char *p, size_t np, int64_t steps);
/* Matches at s, with the pattern starting at p (after any '^'). Returns the
 * end of the match, or NULL (no match, or ms->stopped). Captures are in ms. */
const char *dt_pat_match(dt_pat_t *ms, const char *s, const char *p);
/* 1 if p has none of the characters that make a pattern special. */
int dt_pat_is_plain(const char *p, size_t np);

#endif
