/* fuzz_csv.c: data.csv on any file contents, through the runtime as a
 * scenario calls it: a table, or a Lua error naming the file; never a crash. */
#include "lua_harness.h"

static const char scenario[] =
  "scenario { title = 'csv', start = '2026-01-01', stop = '2026-01-02' }\n"
  "local ok, rows, header = pcall(data.csv, 'in.csv')\n"
  "if ok then\n"
  "  for _, h in ipairs(header) do local _ = tostring(h) end\n"
  "  for _, r in ipairs(rows) do "
  "for k, v in pairs(r) do local _ = tostring(k) .. tostring(v) end end\n"
  "elseif type(rows) ~= 'string' then error('data.csv raised a ' .. type(rows)) end\n";

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n) {
  dt_lrt_t *rt = fz_runtime(scenario);
  fz_write("in.csv", data, n);
  if (fz_run(rt, NULL, 0, 0) != 0 && dt_lrt_error_code(rt) != DT_ELIMIT) {
    fprintf(stderr, "%s\n", dt_lrt_error(rt));
    abort();
  }
  return 0;
}
