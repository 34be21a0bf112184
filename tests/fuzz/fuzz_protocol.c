/* fuzz_protocol.c: the live session's message parser (dt_msg_parse), the
 * console's command words (dt_proto_command) and durations, on any bytes. */
#include "protocol.h"
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n) {
  dt_msg_t m;
  const char *code = NULL;
  char msg[256];
  memset(&m, 0, sizeof m);
  dt_msg_parse((const char *)data, n, &m, &code, msg, sizeof msg);
  dt_msg_free(&m);
  char *line = malloc(n + 1);
  if (!line) return 0;
  memcpy(line, data, n);
  line[n] = 0;
  for (int fac = 0; fac < 2; fac++) {
    json_t *c = dt_proto_command(line, fac, msg, sizeof msg);
    if (c) {
      char *t = dt_proto_text(c);
      free(t);
      json_decref(c);
    }
  }
  int64_t s;
  dt_proto_duration(line, &s);
  free(line);
  return 0;
}
