--- detente.data.new_start: reads the New START fact base shipped beside this file
-- (stdlib/detente/data/new_start/, sources in its README.md). Data paths resolve
-- relative to the calling file's folder and may not use "..", so the files are read
-- from here and the treaty module asks this one.
local files = {}

---Rows of one CSV file of the fact base (empty cells are nil, never zero).
---@param name string e.g. "forces_2025.csv"
---@return table rows
function files.csv(name)
  local rows = data.csv("new_start/" .. name)   -- not a tail call: data.* resolves from this frame
  return rows
end

---One JSON file of the fact base, decoded.
---@param name string e.g. "treaty.json"
---@return table
function files.json(name)
  local v = data.json("new_start/" .. name)
  return v
end

return files
