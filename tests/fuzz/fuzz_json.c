/* fuzz_json.c: data.json on any file contents, through the runtime as a
 * scenario calls it: a table, or a Lua error naming the file; never a crash. */
#include "lua_harness.h"

static const char scenario[] =
  "scenario { title = 'json', start = '2026-01-01', stop = '2026-01-02' }\n"
  "local ok, rows, header = pcall(data.json, 'in.json')\n"
  "if ok then\n"
  "  local function walk(v, d) if type(v) == 'table' and d < 80 then "
  "for k, x in pairs(v) do walk(k, d + 1); walk(x, d + 1) end "
  "else local _ = tostring(v) end end\n"
  "  walk(rows, 0)\n"
  "elseif type(rows) ~= 'string' then error('data.json raised a ' .. type(rows)) end\n";

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n) {
  dt_lrt_t *rt = fz_runtime(scenario);
  fz_write("in.json", data, n);
  if (fz_run(rt, NULL, 0, 0) != 0 && dt_lrt_error_code(rt) != DT_ELIMIT) {
    fprintf(stderr, "%s\n", dt_lrt_error(rt));
    abort();
  }
  return 0;
}
