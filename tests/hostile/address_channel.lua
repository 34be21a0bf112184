-- hostile: a run signals the next one through addresses. Run i sends bit i of
-- a word by leaving the allocator in one of two states (many small tables made
-- and dropped, or none); the next run reads the bit from what tostring and %p
-- show of new tables and functions, or from where pairs puts table keys. The
-- receiver must see the same thing in every run: its own objects numbered
-- from 1, whatever ran before it in the worker.
-- cmd: mc --runs 40 --threads 1 --seed 9
-- exit: 0
-- no-message: failed
-- seconds: 30
-- rss-mib: 120
scenario { title = "address channel", start = "2026-01-01", stop = "2026-01-02" }
local t1, t2, fn = {}, {}, function() end
local got = table.concat({ tostring(t1), tostring(t2), tostring(fn),
                           string.format("%p %p %s", t1, fn, t2) }, " ")
local want = "table: 0x00000001 table: 0x00000002 function: 0x00000003 " ..
             "0x00000001 0x00000003 table: 0x00000002"
if got ~= want then error("received through addresses: " .. got) end
local keyed = { [t1] = 1, [t2] = 2, [fn] = 3, s = 4, [5] = 5 }
local order = {}
for k, v in pairs(keyed) do order[#order + 1] = v end
local walked = table.concat(order, ",")
if walked ~= "5,4,1,2,3" then error("received through pairs: " .. walked) end
-- send: one bit, by the state the allocator is left in
if rng.int(0, 1) == 1 then
  local keep = {}
  for i = 1, 20000 do keep[i] = { i } end
  for i = 1, 20000, 2 do keep[i] = nil end
  leave = keep
end
