-- api_bad_data.lua: malformed data files give a clear error naming the file,
-- never a crash or a silent wrong answer.
scenario { title = "api: bad data", start = "2026-01-01", stop = "2026-01-02" }
local function fails(f, path, pattern)
  local ok, err = pcall(f, path)
  assert(not ok, path .. " should fail")
  assert(err:find(pattern), path .. ": unexpected message: " .. tostring(err))
end
fails(data.csv, "data/bad/unterminated.csv", "unterminated.csv: malformed CSV")
fails(data.csv, "data/bad/ragged.csv", "ragged.csv:2: 3 fields, but the header has 2")
fails(data.csv, "data/bad/empty.csv", "empty.csv: empty CSV")
fails(data.csv, "data/bad/missing.csv", "cannot read .*missing.csv")
fails(data.json, "data/bad/broken.json", "broken.json:1:%d+: malformed JSON")
fails(data.json, "data/bad/deep.json", "nested deeper than 64 levels")
fails(data.json, "data/bad/binary.json", "binary.json:1:%d+: malformed JSON")
fails(data.csv, "data/bad", "cannot read")                 -- a folder
fails(data.csv, "data/bad/stray_quote.csv", "stray_quote.csv: malformed CSV at byte %d+, line 2")
fails(data.csv, "data/bad/unterminated.csv", "an unterminated quoted field")
