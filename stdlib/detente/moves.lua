--- detente.moves: the standard diplomacy moves.
--
--   local moves = require "detente.moves"
--   moves.install()                        -- defines every move below (once per run)
--   local offer = rus:move("offer_extension", { to = usa, treaty = t, years = 1 })
--
-- Each move checks its arguments (state:move returns nil, reason when they are
-- wrong) and then changes the model. Effects on relations follow the model in
-- detente.policies (policies.react); the table in docs/stdlib.md lists them.
--
-- | move             | what it changes                                                     |
-- |------------------|---------------------------------------------------------------------|
-- | offer_extension  | a proposal (kind "extension"), or a unilateral pledge; trust +       |
-- | answer_offer     | the proposal's status (accept applies its terms); trust +/-          |
-- | withdraw_offer   | the proposal's status (withdrawn); trust -                          |
-- | public_statement | a statement.made event; trust/tension by tone                       |
-- | pledge           | treaty:pledge (limits kept until a date); trust +                   |
-- | request_summit   | a proposal (kind "summit") with preconditions; small trust +/-       |
-- | link_issues      | a linkage.made event; tension +                                     |
-- | weapon_test      | test.conducted (and test.announced later); trust -, tension +       |
-- | upload           | warheads added at a rate (arsenal.change_*); trust --, tension ++   |
-- | download         | warheads taken off at a rate; trust +, tension -                    |
local policies = require "detente.policies"

local moves = {}

---True when v is a State handle.
---@param v any
---@return boolean
local function is_state(v) return detente.type(v) == "State" end

---True when v is a Treaty handle.
---@param v any
---@return boolean
local function is_treaty(v) return detente.type(v) == "Treaty" end

---True when v is a Proposal handle.
---@param v any
---@return boolean
local function is_proposal(v) return detente.type(v) == "Proposal" end

local function same(a, b) return a ~= nil and b ~= nil and a.id == b.id end

local function is_party(t, st)
  local ps = t.parties
  for i = 1, #ps do if same(ps[i], st) then return true end end
  return false
end

local function positive_int(v) return math.type(v) == "integer" and v > 0 end

local function string_list(v)
  if v == nil then return true end
  if type(v) ~= "table" then return false end
  for i = 1, #v do if type(v[i]) ~= "string" then return false end end
  return true
end

---Parse a date argument (Date or "YYYY-MM-DD"); nil, reason when malformed.
local function as_date(v)
  if v == nil then return nil, "missing date" end
  if detente.type(v) == "Date" then return v end
  if type(v) == "string" then
    local ok, d = pcall(date, v)   -- date() raises on a malformed string
    if ok then return d end
  end
  return nil, "not a date: " .. tostring(v)
end

---Duration of an offer from years/months/days args: the pieces and a Duration.
local function offer_span(args)
  local n = 0
  for _, k in ipairs({ "years", "months", "days" }) do
    if args[k] ~= nil then
      if not positive_int(args[k]) then return nil, k .. " must be a whole number > 0" end
      n = n + 1
    end
  end
  if n == 0 then return nil, "give years, months or days" end
  local d
  if args.years then d = years(args.years) end
  if args.months then d = d and (d + months(args.months)) or months(args.months) end
  if args.days then d = d and (d + days(args.days)) or days(args.days) end
  return d
end

local function treaty_open(t)
  return t.status ~= "expired" and t.status ~= "terminated"
end

--- The move definitions, in the order moves() lists them.
moves.DEFS = {}
local SPECS = {}   -- name -> spec

local function def(name, spec)
  moves.DEFS[#moves.DEFS + 1] = { name = name, spec = spec }
  moves[name] = spec
  SPECS[name] = spec
end

def("offer_extension", {
  doc = "Offer to keep a treaty's limits beyond its expiry: formally (the treaty is extended) or "
    .. "informally (mutual pledges to observe the limits), reciprocal or not, with conditions. "
    .. "After expiry only an informal offer is possible; its pledges then run from acceptance. "
    .. "unilateral = true makes no offer: the state pledges at once.",
  args = {
    { name = "to", type = "state", doc = "the state offered the extension (not with unilateral)" },
    { name = "treaty", type = "treaty", required = true },
    { name = "years", type = "number", integer = true, min = 1, max = 50,
      doc = "how long (or months, days)" },
    { name = "months", type = "number", integer = true, min = 1, max = 600 },
    { name = "days", type = "number", integer = true, min = 1, max = 18250 },
    { name = "formal", type = "boolean",
      doc = "a formal extension of the treaty (default: informal pledges)" },
    { name = "reciprocal", type = "boolean", doc = "both sides pledge (default true)" },
    { name = "unilateral", type = "boolean", doc = "no offer: the state pledges at once" },
    { name = "conditions", type = "list", doc = "conditions attached, as texts" },
    { name = "deadline", type = "date", doc = "answer by" },
    { name = "text", type = "text" },
    { name = "visibility", type = "choice", options = { "public", "parties", "private" } },
  },
  validate = function(st, a)
    if not is_treaty(a.treaty) then return nil, "treaty must be a treaty" end
    if not is_party(a.treaty, st) then
      return nil, st.id .. " is not a party to " .. a.treaty.name
    end
    if a.treaty.status == "terminated" or (a.formal and not treaty_open(a.treaty)) then
      return nil, a.treaty.name .. " is " .. a.treaty.status
    end
    local span, why = offer_span(a)
    if not span then return nil, why end
    if not string_list(a.conditions) then return nil, "conditions must be a list of strings" end
    if a.unilateral then return true end
    if not is_state(a.to) then return nil, "to must be a state" end
    if same(a.to, st) then return nil, "a state cannot make an offer to itself" end
    if not is_party(a.treaty, a.to) then
      return nil, a.to.id .. " is not a party to " .. a.treaty.name
    end
    if a.deadline ~= nil then
      local d, r = as_date(a.deadline)
      if not d then return nil, "deadline: " .. r end
      if not (now() < d) then return nil, "the deadline must be in the future" end
    end
    return true
  end,
  apply = function(st, a)
    local span = offer_span(a)
    if a.unilateral then
      local base = a.treaty.expires or now()
      if base < now() then base = now() end
      a.treaty:pledge(st, base + span)
      policies.react(st, "pledge")
      return true
    end
    local terms = { treaty = a.treaty, years = a.years, months = a.months, days = a.days,
                    formal = a.formal == true, reciprocal = a.reciprocal ~= false,
                    conditions = a.conditions, text = a.text }
    -- After expiry the engine's rule (pledges until expiry + duration) would end in the
    -- past: the offer then carries the treaty as terms.limits_of, and on acceptance
    -- the pledges run from the day of acceptance for the offered duration.
    local expired = a.treaty.status == "expired"
    if expired then terms.treaty = nil; terms.limits_of = a.treaty end
    local p = st:propose { to = a.to, kind = "extension", terms = terms, deadline = a.deadline,
                           visibility = a.visibility or "public", conditions = a.conditions }
    if expired then
      local hook
      hook = on("proposal.accepted", function(ev)
        if not (ev.proposal and ev.proposal.id == p.id) then return end
        hook:cancel()
        local until_date = now() + span
        a.treaty:pledge(p.to, until_date)
        if terms.reciprocal then a.treaty:pledge(p.from, until_date) end
      end)
    end
    policies.react(st, "offer", { to = a.to })
    return p
  end,
})

local ANSWERS = { accept = "accept", reject = "reject", counter = "counter", silence = "silence" }

def("answer_offer", {
  doc = "Answer a pending proposal made to this state: accept (its terms apply), reject, counter "
    .. "(a new proposal back, with terms) or stay silent (it stays pending; the proposer notices).",
  args = {
    { name = "proposal", type = "proposal", required = true,
      doc = "a pending proposal made to this state" },
    { name = "answer", type = "choice", options = { "accept", "reject", "counter", "silence" },
      required = true },
    { name = "why", type = "text" },
    { name = "terms", type = "table", doc = "the counter's terms" },
    { name = "deadline", type = "date", doc = "the counter's deadline" },
  },
  -- Offered to a seat only while a proposal awaits its answer.
  available = function(st) return #st:pending_proposals("to") > 0 end,
  validate = function(st, a)
    if not is_proposal(a.proposal) then return nil, "proposal must be a proposal" end
    if not ANSWERS[a.answer] then
      return nil, "answer must be accept, reject, counter or silence"
    end
    if not same(a.proposal.to, st) then return nil, "the proposal was not made to " .. st.id end
    if a.proposal.status ~= "pending" then
      return nil, "the proposal is already " .. a.proposal.status
    end
    if a.answer == "counter" and type(a.terms) ~= "table" then
      return nil, "a counter needs terms = {...}"
    end
    return true
  end,
  apply = function(st, a)
    local p = a.proposal
    local from = p.from
    if a.answer == "accept" then p:accept(a.why)
    elseif a.answer == "reject" then p:reject(a.why)
    elseif a.answer == "counter" then
      local c = p:counter { terms = a.terms, deadline = a.deadline }
      policies.react(st, "counter", { to = from })
      return c
    else
      emit { kind = "proposal.silence", by = st, to = from, visibility = "public",
             text = ("%s leaves %s's offer %s unanswered%s"):format(st.id, from.id, p.id,
               a.why and (" - " .. a.why) or ""),
             data = { proposal = p.id } }
    end
    policies.react(st, a.answer, { to = from })
    return true
  end,
})

def("withdraw_offer", {
  doc = "Withdraw one's own pending proposal.",
  args = {
    { name = "proposal", type = "proposal", required = true, doc = "one's own pending proposal" },
    { name = "why", type = "text" },
  },
  -- Offered to a seat only while one of its own proposals is pending.
  available = function(st) return #st:pending_proposals("from") > 0 end,
  validate = function(st, a)
    if not is_proposal(a.proposal) then return nil, "proposal must be a proposal" end
    if not same(a.proposal.from, st) then return nil, "only the proposer can withdraw it" end
    if a.proposal.status ~= "pending" then
      return nil, "the proposal is already " .. a.proposal.status
    end
    return true
  end,
  apply = function(st, a)
    local to = a.proposal.to
    a.proposal:withdraw(a.why)
    policies.react(st, "withdraw", { to = to })
    return true
  end,
})

local TONES = { positive = true, negative = true, neutral = true }

def("public_statement", {
  doc = "Say something in public: a positive, negative or neutral signal, optionally aimed at one "
    .. "state and about one topic. Changes how others see the speaker.",
  args = {
    { name = "text", type = "text", required = true },
    { name = "tone", type = "choice", options = { "positive", "negative", "neutral" },
      doc = "default neutral" },
    { name = "to", type = "state", doc = "the state addressed" },
    { name = "about", type = "text", doc = "the topic, e.g. new_start" },
    { name = "speaker", type = "text", doc = "who speaks, e.g. Lavrov" },
    { name = "scale", type = "number", min = 0, max = 10,
      doc = "how strongly others react (default 1)" },
  },
  validate = function(st, a)
    if type(a.text) ~= "string" or a.text == "" then
      return nil, "text must be a non-empty string"
    end
    if not TONES[a.tone or "neutral"] then
      return nil, "tone must be positive, negative or neutral"
    end
    if a.to ~= nil and not is_state(a.to) then return nil, "to must be a state" end
    if a.to ~= nil and same(a.to, st) then return nil, "a state cannot address itself" end
    return true
  end,
  apply = function(st, a)
    local tone = a.tone or "neutral"
    local who = a.speaker and (a.speaker .. ": ") or ""
    emit { kind = "statement.made", by = st, to = a.to, visibility = "public",
           text = who .. a.text,
           data = { tone = tone, about = a.about, speaker = a.speaker } }
    policies.react(st, tone .. "_statement", { to = a.to, scale = a.scale })
    return true
  end,
})

def("pledge", {
  doc = "Pledge unilaterally to keep a treaty's limits until a date (or for years/months after "
    .. "its expiry). The treaty then binds the state until that date.",
  args = {
    { name = "treaty", type = "treaty", required = true },
    { name = "until", type = "date",
      doc = "keep the limits until this date (or years/months after expiry)" },
    { name = "years", type = "number", integer = true, min = 1, max = 50 },
    { name = "months", type = "number", integer = true, min = 1, max = 600 },
    { name = "text", type = "text" },
  },
  validate = function(st, a)
    if not is_treaty(a.treaty) then return nil, "treaty must be a treaty" end
    if not is_party(a.treaty, st) then
      return nil, st.id .. " is not a party to " .. a.treaty.name
    end
    if a.treaty.status == "terminated" then return nil, a.treaty.name .. " is terminated" end
    if a["until"] ~= nil then
      local d, r = as_date(a["until"])
      if not d then return nil, "until: " .. r end
      if not (now() < d) then return nil, "a pledge must run until a future date" end
      return true
    end
    local span, why = offer_span(a)
    if not span then
      return nil, "give until = date, or years/months after expiry (" .. why .. ")"
    end
    return true
  end,
  apply = function(st, a)
    local until_date = a["until"] and as_date(a["until"])
    if not until_date then
      local base = a.treaty.expires or now()
      if base < now() then base = now() end
      until_date = base + offer_span(a)
    end
    a.treaty:pledge(st, until_date)
    if a.text then
      emit { kind = "statement.made", by = st, visibility = "public", text = a.text,
             data = { tone = "positive", about = a.treaty.id } }
    end
    policies.react(st, "pledge")
    return true
  end,
})

def("request_summit", {
  doc = "Ask for a summit, with preconditions (each one sours the request a little). Makes a "
    .. "proposal of kind \"summit\" the other side answers.",
  args = {
    { name = "to", type = "state", required = true },
    { name = "preconditions", type = "list", doc = "each one sours the request a little" },
    { name = "venue", type = "text" },
    { name = "date", type = "date" },
    { name = "deadline", type = "date", doc = "answer by" },
    { name = "text", type = "text" },
  },
  validate = function(st, a)
    if not is_state(a.to) then return nil, "to must be a state" end
    if same(a.to, st) then return nil, "a state cannot hold a summit with itself" end
    if not string_list(a.preconditions) then
      return nil, "preconditions must be a list of strings"
    end
    if a.venue ~= nil and type(a.venue) ~= "string" then return nil, "venue must be a string" end
    if a.date ~= nil and not as_date(a.date) then return nil, "date is not a date" end
    if a.deadline ~= nil then
      local d = as_date(a.deadline)
      if not d then return nil, "deadline is not a date" end
      if not (now() < d) then return nil, "the deadline must be in the future" end
    end
    return true
  end,
  apply = function(st, a)
    local pre = a.preconditions or {}
    local p = st:propose { to = a.to, kind = "summit", deadline = a.deadline, visibility = "public",
                           terms = { venue = a.venue,
                                     date = a.date and tostring(as_date(a.date)) or nil,
                                     preconditions = pre, text = a.text },
                           conditions = pre }
    policies.react(st, "summit_request", { to = a.to })
    if #pre > 0 then policies.react(st, "summit_preconditions", { to = a.to, scale = #pre }) end
    return p
  end,
})

local STANCES = { offer = true, demand = true, warning = true }

def("link_issues", {
  doc = "Tie arms control to another issue (direct flights, arms supplies to a third party, ...): "
    .. "an offer, a demand or a warning. Raises tension (an offer less so).",
  args = {
    { name = "to", type = "state", required = true },
    { name = "issue", type = "text", required = true, doc = "e.g. direct flights" },
    { name = "linked_to", type = "text", doc = "default arms control" },
    { name = "stance", type = "choice", options = { "offer", "demand", "warning" },
      doc = "default demand" },
    { name = "text", type = "text" },
  },
  validate = function(st, a)
    if not is_state(a.to) then return nil, "to must be a state" end
    if same(a.to, st) then return nil, "a state cannot link issues with itself" end
    if type(a.issue) ~= "string" or a.issue == "" then
      return nil, "issue must be a non-empty string"
    end
    if a.linked_to ~= nil and type(a.linked_to) ~= "string" then
      return nil, "linked_to must be a string"
    end
    if not STANCES[a.stance or "demand"] then
      return nil, "stance must be offer, demand or warning"
    end
    return true
  end,
  apply = function(st, a)
    local stance = a.stance or "demand"
    emit { kind = "linkage.made", by = st, to = a.to, visibility = "public",
           text = a.text or ("%s links %s to %s (%s)"):format(st.id, a.issue,
               a.linked_to or "arms control", stance),
           data = { issue = a.issue, linked_to = a.linked_to, stance = stance } }
    policies.react(st, "linkage", { to = a.to, scale = stance == "offer" and 0.5 or 1 })
    return true
  end,
})

def("weapon_test", {
  doc = "Test a weapon, typically one outside the treaty's categories. The test is private until "
    .. "announced (announce_after, default at once); others react when it is announced. "
    .. "nuclear_explosive = true is an explosive nuclear test (much stronger effect).",
  args = {
    { name = "system", type = "text", required = true,
      doc = "the weapon tested, e.g. Burevestnik" },
    { name = "category", type = "text", doc = "e.g. ICBM, OTHER" },
    { name = "announce_after", type = "duration",
      doc = "keep it private this long (default: announce at once)" },
    { name = "outside_treaty", type = "boolean",
      doc = "default: true unless the state has an accountable row of that name" },
    { name = "announce", type = "boolean", doc = "default true" },
    { name = "nuclear_explosive", type = "boolean", doc = "an explosive nuclear test" },
    { name = "text", type = "text" },
    { name = "announcement", type = "text" },
  },
  validate = function(st, a)
    if type(a.system) ~= "string" or a.system == "" then
      return nil, "system must be a non-empty string"
    end
    if a.category ~= nil and type(a.category) ~= "string" then
      return nil, "category must be a string"
    end
    if a.announce_after ~= nil then
      local ok = pcall(function() return now() + a.announce_after end)
      if not ok then return nil, "announce_after must be a duration" end
    end
    return true
  end,
  apply = function(st, a)
    local row = nil
    local ok, r = pcall(st.system, st, a.system)
    if ok then row = r end
    local outside = a.outside_treaty
    if outside == nil then outside = not (row and row.accountable) end
    local kind = a.nuclear_explosive and "nuclear_test" or "weapon_test"
    local delayed = a.announce_after ~= nil
    emit { kind = "test.conducted", by = st, visibility = delayed and "private" or "public",
           text = a.text or ("%s tests %s%s"):format(
               st.id, a.system, outside and " (outside the treaty's categories)" or ""),
           data = { system = a.system, category = a.category or (row and row.category) or "OTHER",
                    outside_treaty = outside, nuclear_explosive = a.nuclear_explosive == true } }
    local function announce()
      emit { kind = "test.announced", by = st, visibility = "public",
             text = a.announcement or ("%s announces its %s test"):format(st.id, a.system),
             data = { system = a.system, nuclear_explosive = a.nuclear_explosive == true } }
      policies.react(st, kind)
    end
    if a.announce == false then return true end
    if delayed then after(a.announce_after, announce) else policies.react(st, kind) end
    return true
  end,
})

local RATES = { "per_day", "per_week", "per_month", "per_year" }

---Find the rate key given, its value; or nil, reason.
local function rate_of(a)
  local key, n = nil, 0
  for i = 1, #RATES do
    if a[RATES[i]] ~= nil then key = RATES[i]; n = n + 1 end
  end
  if n > 1 then return nil, "give one rate (per_day, per_week, per_month or per_year)" end
  if key and not (type(a[key]) == "number" and a[key] > 0) then
    return nil, key .. " must be a number > 0"
  end
  return key
end

local function warhead_move(op)
  return {
    doc = (op == "upload" and "Add warheads to a system's deployed launchers" or
           "Take warheads off a system's deployed launchers")
      .. " at once or at a rate (per_day/per_week/per_month/per_year). It does not refuse to "
      .. "breach a treaty: that is the state's choice, and the timeline shows it.",
    args = {
      { name = "system", type = "system", required = true,
        doc = "one of the state's arsenal rows" },
      { name = "n", type = "number", integer = true, min = 1, required = true, doc = "warheads" },
      { name = "per_day", type = "number", doc = "a rate (give at most one); default at once" },
      { name = "per_week", type = "number" },
      { name = "per_month", type = "number" },
      { name = "per_year", type = "number" },
      { name = "why", type = "text" },
    },
    validate = function(st, a)
      if type(a.system) ~= "string" then return nil, "system must be the name of an arsenal row" end
      local ok, s = pcall(st.system, st, a.system)
      if not ok or s == nil then return nil, st.id .. " has no system '" .. a.system .. "'" end
      if not positive_int(a.n) then return nil, "n must be a whole number > 0" end
      local _, why = rate_of(a)
      if why then return nil, why end
      if op == "upload" then
        if s.deployed == 0 then return nil, s.name .. " has no deployed launchers" end
        if s.capacity > 0 and s.warheads + a.n > s.deployed * s.capacity then
          return nil, ("%s can carry %d more warheads, not %d"):format(s.name,
              s.deployed * s.capacity - s.warheads, a.n)
        end
      elseif a.n > s.warheads then
        return nil, ("%s carries %d warheads, fewer than %d"):format(s.name, s.warheads, a.n)
      end
      return true
    end,
    apply = function(st, a)
      local s = st:system(a.system)
      local key = rate_of(a)
      if a.why then note(st, a.why) end
      local r
      if key then r = s[op](s, a.n, { [key] = a[key] }) else s[op](s, a.n); r = true end
      policies.react(st, op)
      return r
    end,
  }
end

def("upload", warhead_move("upload"))
def("download", warhead_move("download"))

--- Define every standard move with move(), skipping names already defined.
---@return table names the moves installed, in order
function moves.install()
  local have = {}
  local defined = _G.moves()   -- the engine's list (this module shadows the name)
  for i = 1, #defined do have[defined[i]] = true end
  local names = {}
  for i = 1, #moves.DEFS do
    local d = moves.DEFS[i]
    if not have[d.name] then _G.move(d.name, d.spec) end
    names[#names + 1] = d.name
  end
  return names
end

--- Run a move's validation and effects directly (without the engine's move table):
-- returns what the move returns, or nil, reason.
---@param st any State
---@param name string
---@param args table
---@return any result, string|nil reason
function moves.make(st, name, args)
  local spec = SPECS[name]
  if not spec then
    error("moves.make: unknown move '" .. tostring(name) .. "'", 2)
  end
  args = args or {}
  if spec.validate then
    local ok, why = spec.validate(st, args)
    if not ok then return nil, why or ("move '" .. name .. "' is not allowed now") end
  end
  local r = spec.apply(st, args)
  if r == nil then r = true end
  return r
end

return moves
