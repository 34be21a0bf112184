-- serve_bytes.lua (tests/cli/serve_bytes.sh): texts that are not UTF-8 or hold
-- a NUL byte, where the engine takes them as they are: a move's doc, an arg's
-- options, a decision's context.
scenario { title = "Serve bytes", start = "2026-01-01", stop = "2026-12-31" }
local usa = state { id = "USA" }
local rus = state { id = "RUS" }
decision("answer", { options = { "yes", "no" }, default = "no", timeout = days(10) })
policy(usa, "answer", "yes")
policy(rus, "answer", "yes")
move("statement", { doc = "caf\xe9 doc",
                    args = { { name = "tone", type = "choice", options = { "calm", "\xffloud" },
                               doc = "how \xff" } },
                    apply = function() end })
after(days(1), function()
  spawn(function() usa:decide("answer", { note = "a\xffb", nul = "x\0y" }) end)
end)
