-- expect-exit: 1
-- expect: require: '../etc/passwd' is not a module name
scenario { start = "2026-01-01", stop = "2026-03-01" }
require "../etc/passwd"
