/* fuzz_time.c: the date parser and calendar arithmetic, and the protocol's
 * durations: any bytes parse or are refused, and what parses formats back. */
#include "protocol.h"
#include "simtime.h"
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n) {
  char *s = malloc(n + 1);
  if (!s) return 0;
  memcpy(s, data, n);
  s[n] = 0;
  dt_time_t t;
  if (dt_time_parse(s, &t) == 0) {
    char buf[64];
    dt_time_format(t, buf, sizeof buf);
    dt_time_t u;
    if (dt_time_parse(buf, &u) != 0 || u != t) abort();   /* what parses, formats back */
    int64_t k = n > 0 ? (int64_t)(signed char)data[0] * 1000 : 7;
    dt_time_t out;
    if (dt_time_add_months(t, k, &out) == 0) dt_time_months_between(t, out);
    dt_time_add_years(t, k, &out);
  }
  int64_t sec;
  dt_proto_duration(s, &sec);
  free(s);
  return 0;
}
