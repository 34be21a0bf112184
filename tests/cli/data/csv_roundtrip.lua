-- csv_roundtrip.lua: text that is awkward in CSV — CR, CRLF, LF, leading and
-- trailing spaces, quotes, commas, non-ASCII — in a string param, string
-- outcomes and error messages, and the text NA next to missing values
-- (tests/cli/mc_csv_roundtrip.sh).
scenario { title = "csv round trip", start = "2026-01-01", stop = "2026-03-01" }
param("label", "plain", "a string param (the test passes awkward text with -D)")
param("p_fail", 0.3, "chance a run fails")
local words = { "a\rb", "crlf\r\nline", "lf\nline", "  leading", "trailing  ", "\"quoted\"", "say \"hi\", then go",
                "a,b,c", "Zürich — Москва — 東京", "", "tab\there", "\r", ",", "\"", "NA" }
local function pick() return words[rng.int(1, #words)] end
at("2026-02-01", function()
  if rng.bernoulli(param.p_fail) then error(pick() .. " | " .. pick(), 0) end
end)
outcome("word", pick)
outcome("two", function() return pick() .. pick() end)
outcome("echo", function() return param.label end)
outcome("maybe_word", function() if rng.bernoulli(0.3) then return nil end return pick() end)
outcome("n", function() return rng.int(1, 9) end)
outcome("flag", function() return rng.bernoulli(0.5) end)
