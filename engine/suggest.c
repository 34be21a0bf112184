/* suggest.c: edit distance and the closest name, for "did you mean" hints.
 * Owns no memory; works on the caller's strings. Knows nothing of Lua. */
#include "suggest.h"
#include <string.h>

enum { MAXLEN = 63 };

int dt_edit_distance(const char *a, const char *b) {
  size_t na = strlen(a), nb = strlen(b);
  if (na > MAXLEN || nb > MAXLEN) return MAXLEN + 1;
  /* Three rows of the dynamic programme: two back for the swap case. */
  int r0[MAXLEN + 1], r1[MAXLEN + 1], r2[MAXLEN + 1];
  int *pp = r0, *p = r1, *c = r2;
  for (size_t j = 0; j <= nb; j++) p[j] = (int)j;
  for (size_t i = 1; i <= na; i++) {
    c[0] = (int)i;
    for (size_t j = 1; j <= nb; j++) {
      int cost = a[i - 1] != b[j - 1];
      int v = p[j] + 1;                                  /* deletion */
      if (c[j - 1] + 1 < v) v = c[j - 1] + 1;            /* insertion */
      if (p[j - 1] + cost < v) v = p[j - 1] + cost;      /* substitution */
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
        v = pp[j - 2] + 1;                               /* swap of neighbours */
      c[j] = v;
    }
    int *t = pp; pp = p; p = c; c = t;
  }
  return p[nb];
}

int dt_suggest(const char *name, const char *const *list, size_t n) {
  size_t len = strlen(name);
  int limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
  if ((size_t)limit >= len) limit = (int)len - 1;
  int best = -1, bestd = limit + 1;
  for (size_t i = 0; i < n; i++) {
    if (!list[i]) continue;
    int d = dt_edit_distance(name, list[i]);
    if (d < bestd) { bestd = d; best = (int)i; }
  }
  return best;
}
