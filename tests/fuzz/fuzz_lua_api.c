/* fuzz_lua_api.c: fuzz bytes become sequences of calls to the scenario API
 * (api_driver.lua) with arguments of every kind, handles of the other types
 * included; the run must end in a result or a Lua error, never a crash. */
#include "lua_harness.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n) {
  static char *driver;
  if (!driver) {
    const char *src = getenv("DT_FUZZ_DRIVER");
    FILE *f = fopen(src ? src : "tests/fuzz/api_driver.lua", "rb");
    if (!f) {
      fprintf(stderr, "fuzz_lua_api: cannot open the driver (set DT_FUZZ_DRIVER)\n");
      abort();
    }
    driver = calloc(1, 1 << 16);
    if (!driver || fread(driver, 1, (1 << 16) - 1, f) == 0) abort();
    fclose(f);
  }
  dt_lrt_t *rt = fz_runtime(driver);
  if (n > 2048) n = 2048;
  char *hex = malloc(2 * n + 1);
  if (!hex) return 0;
  for (size_t i = 0; i < n; i++) snprintf(hex + 2 * i, 3, "%02x", data[i]);
  hex[2 * n] = 0;
  dt_lrt_override_t ov = { "bytes", hex };
  fz_run(rt, &ov, 1, 1);
  free(hex);
  return 0;
}
