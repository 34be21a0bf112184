/* suggest.h: "did you mean": the closest known name to a misspelt one, by edit
 * distance. Plain C on libc; the bindings use it for unknown fields, methods,
 * params and options. */
#ifndef DT_SUGGEST_H
#define DT_SUGGEST_H

#include <stddef.h>

/* The optimal-string-alignment distance between a and b (insertions,
 * deletions, substitutions and swaps of neighbours each cost 1), computed on
 * at most the first 63 bytes of each; a longer string counts as 64. */
int dt_edit_distance(const char *a, const char *b);

/* Index of the name in list[0..n) closest to `name`, or -1 when none is close
 * enough to be a likely typo: distance at most 1 for names of up to 4 bytes,
 * 2 up to 8, else 3, and less than the name's length. Ties go to the earlier
 * entry, so the answer never depends on anything but the list's order.
 * NULL entries are skipped. */
int dt_suggest(const char *name, const char *const *list, size_t n);

#endif
