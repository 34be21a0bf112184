---@meta
-- detente.lua: definitions of the détente scenario API for the Lua language server
-- (LuaLS). Nothing here runs: it tells an editor what the engine's globals take and
-- return, so `state { ... }` completes its fields and a misspelt field is flagged.
-- Point LuaLS at the installed standard library (docs/guide.md, "Editor support"):
--   .luarc.json: { "runtime.version": "Lua 5.4",
--                  "workspace.library": ["/usr/local/share/detente/stdlib"] }
-- Kept in step with the engine by tests/cli/editor.sh (every global, every field list).

-- ---- values ------------------------------------------------------------------

---A simulated date (UTC). Compares with < <= ==; date + duration is a date;
---date - date is the number of days between them.
---@class detente.Date
---@field year integer
---@field month integer
---@field day integer
---@field time integer seconds since 1970-01-01 UTC
---@operator add(detente.Duration): detente.Date
---@operator sub(detente.Duration): detente.Date

---A duration: calendar months plus fixed seconds. Compares with < <= == when the
---answer does not depend on the calendar (months(1) < days(32), but not months(1) < days(30)).
---@class detente.Duration
---@field months integer the calendar-month part
---@field seconds integer the fixed part, in seconds
---@field days number the fixed part in days; only for durations without months
---@operator add(detente.Duration): detente.Duration
---@operator mul(number): detente.Duration

---@alias detente.DateLike detente.Date|string a Date or "YYYY-MM-DD"
---@alias detente.StateLike detente.State|string a State or its id

-- ---- the scenario --------------------------------------------------------------

---@class detente.spec.scenario
---@field title? string
---@field start detente.DateLike the first day of the run
---@field stop detente.DateLike the last day of the run

---Describe the scenario: call it once, first.
---@param spec detente.spec.scenario
function scenario(spec) end

-- ---- time ----------------------------------------------------------------------

---The simulated date now.
---@return detente.Date
function now() end

---A date from "YYYY-MM-DD", or from year, month, day.
---@param y detente.DateLike|integer
---@param m? integer
---@param d? integer
---@return detente.Date
function date(y, m, d) end

---@param n number >= 0, fractions allowed
---@return detente.Duration
function seconds(n) end
---@param n number >= 0, fractions allowed
---@return detente.Duration
function hours(n) end
---@param n number >= 0, fractions allowed
---@return detente.Duration
function days(n) end
---@param n number >= 0, fractions allowed
---@return detente.Duration
function weeks(n) end
---Calendar months: 31 Jan + 1 month = 28/29 Feb. Whole numbers only (use days for fractions).
---@param n integer >= 0
---@return detente.Duration
function months(n) end
---Calendar years (12 months each). Whole numbers only.
---@param n integer >= 0
---@return detente.Duration
function years(n) end

-- ---- scheduling ------------------------------------------------------------------

---What at, after, every, on and when return.
---@class detente.Hook
---@field kind string "call", "every", "on", "when"
---@field active boolean
local Hook = {}
---Stop the hook; true if it was active.
---@return boolean
function Hook:cancel() end

---@class detente.spec.every
---@field first? detente.DateLike the first firing (default: now + the interval)
---@field last? detente.DateLike no firing after this date

---Run fn at a date (not in the past).
---@param when detente.DateLike
---@param fn fun()
---@return detente.Hook
function at(when, fn) end

---Run fn that long after now.
---@param d detente.Duration
---@param fn fun()
---@return detente.Hook
function after(d, fn) end

---Run fn every interval, from `first` (default now + interval) until `last`.
---@param d detente.Duration
---@param fn fun()
---@param opts? detente.spec.every
---@return detente.Hook
function every(d, fn, opts) end

---An event as hooks receive it; payload fields (ev.system, ev.op, ...) come too.
---@class detente.Event
---@field kind string
---@field seq integer
---@field time detente.Date
---@field by? detente.State
---@field to? detente.State
---@field text? string
---@field visibility "public"|"parties"|"private"
---@field treaty? detente.Treaty
---@field proposal? detente.Proposal
---@field [string] any

---Run fn for every event whose kind matches: "treaty.expired", "proposal.*" or "*".
---@param pattern string
---@param fn fun(ev: detente.Event)
---@return detente.Hook
function on(pattern, fn) end

---@class detente.spec.when
---@field reads? "arsenals" the predicate reads only the arsenals (through the engine): it is called again only after a step that changed one

---Run fn once, after the first event step at which predicate() is true.
---@param predicate fun(): boolean
---@param fn fun()
---@param opts? detente.spec.when
---@return detente.Hook
function when(predicate, fn, opts) end

---End the run now (outcomes are still evaluated).
---@param reason? string
function stop(reason) end

---Start a process: a function that may wait().
---@param fn function
---@param ... any arguments for fn
function spawn(fn, ...) end

---Sleep in simulated time (processes only).
---@param d detente.Duration
function wait(d) end

---Sleep until a matching event (processes only); nil at the timeout.
---@param pattern string
---@param timeout? detente.Duration
---@return detente.Event|nil
function wait_for(pattern, timeout) end

-- ---- events --------------------------------------------------------------------

---@class detente.spec.emit
---@field kind string e.g. "statement.made"
---@field by? detente.StateLike whose event it is
---@field to? detente.StateLike
---@field text? string the timeline's line
---@field visibility? "public"|"parties"|"private"
---@field data? table<string, string|number|boolean|userdata> payload

---Emit an event of the scenario's own.
---@param ev detente.spec.emit
function emit(ev) end

---A `note` event with no actor.
---@param text any
function log(text) end

---A `note` event by a state.
---@param s detente.StateLike
---@param text any
function note(s, text) end

-- ---- states ----------------------------------------------------------------------

---@class detente.spec.state
---@field id string
---@field name? string
---@field attrs? table<string, any> the scenario's own attributes

---A country or other party. s.key reads a built-in field or an attribute that exists;
---anything else raises with a did-you-mean. New attributes go in s.attrs.
---@class detente.State
---@field id string
---@field name string
---@field human boolean
---@field attrs table<string, any> the scenario's own attributes
local State = {}

---Declare a state (a table), or find one by id (a string).
---@param spec detente.spec.state|string
---@return detente.State
function state(spec) end

---All states, in declaration order.
---@return detente.State[]
function states() end

---@class detente.spec.group
---@field id string
---@field name? string
---@field members detente.StateLike[] its states (groups count as their members)
---@field attrs? table<string, any> the scenario's own attributes

---A group of states (an alliance): it stands for each of its members in relations,
---proposals and policies.
---@class detente.Group
---@field id string
---@field name string
---@field members detente.State[]
---@field attrs table<string, any>
local Group = {}

---Declare a group (a table), or find one by id (a string).
---@param spec detente.spec.group|string
---@return detente.Group
function group(spec) end

---@param s detente.StateLike
---@return boolean
function Group:has(s) end
---The mean relation over the pairs of members.
---@param other detente.StateLike|detente.Group
---@param name string
---@return number
function Group:relation(other, name) end
---@param other detente.StateLike|detente.Group
---@param name string
---@param v number in [0, 1]
---@param mutual? "mutual"
function Group:set_relation(other, name, v, mutual) end
---@param other detente.StateLike|detente.Group
---@param name string
---@param delta number
---@param mutual? "mutual"
---@return number
function Group:adjust(other, name, delta, mutual) end

---A relation value in [0, 1]; 0 until set.
---@param other detente.StateLike
---@param name string e.g. "trust"
---@return number
function State:relation(other, name) end
---Set a relation; the value must be in [0, 1]. "mutual" sets both ways.
---@param other detente.StateLike
---@param name string
---@param v number
---@param mutual? "mutual"
function State:set_relation(other, name, v, mutual) end
---Add delta to a relation, clamped to [0, 1]; returns the new value.
---@param other detente.StateLike
---@param name string
---@param delta number
---@param mutual? "mutual"
---@return number
function State:adjust(other, name, delta, mutual) end
---Add an arsenal row (a table) or find one by name (a string).
---@param spec detente.spec.system|string
---@return detente.System
function State:system(spec) end
---@return detente.System[]
function State:systems() end
---A metric's value for this state.
---@param metric string
---@return number
function State:count(metric) end
---@param what "deployed"|"nondeployed"|"launchers"|"warheads"
---@param categories? string|string[]
---@param accountable_only? boolean
---@return integer
function State:quantity(what, categories, accountable_only) end
---@param spec detente.spec.propose
---@return detente.Proposal
function State:propose(spec) end
---The pending proposals this state made ("from"), or that await its own answer ("to"), or both.
---@param role? "to"|"from"
---@return detente.Proposal[]
function State:pending_proposals(role) end
---Ask this state's decision; the calling hook or process waits for the answer.
---@param name string a declared decision
---@param ctx? table passed to the policy
---@return string option
function State:decide(name, ctx) end
---Make a move: true, or nil and the reason.
---@param name string
---@param args? table
---@return boolean|nil ok
---@return string|nil reason
function State:move(name, args) end
---spawn(fn, state, ...)
---@param fn function
function State:spawn(fn, ...) end
---Start tracking the warhead stockpile: uploads then draw on the reserve.
---@param spec detente.spec.set_stockpile
function State:set_stockpile(spec) end
---@return {deployed: integer, reserve: integer, awaiting_dismantlement: integer, stockpile: integer, inventory: integer}|nil
function State:stockpile() end
---@param n integer
function State:produce_warheads(n) end
---@param n integer
function State:retire_warheads(n) end
---@param n integer
function State:dismantle(n) end

-- ---- systems ---------------------------------------------------------------------

---@class detente.spec.system
---@field name string
---@field category string "ICBM", "SLBM", "BOMBER" or one of the scenario's own
---@field deployed? integer deployed launchers (default 0)
---@field nondeployed? integer
---@field warheads? integer total on deployed launchers (or give per_launcher)
---@field per_launcher? integer
---@field capacity? integer most warheads one launcher carries (0: no cap)
---@field accountable? boolean counted by treaties by default (default true)
---@field missiles_per_launcher? integer missiles one launcher holds (default 1)
---@field reloads? integer spare missiles per launcher
---@field per_missile? integer warheads per missile (instead of warheads or per_launcher)
---@field range? number range in km
---@field basing? "ground"|"sea"|"air"
---@field attrs? table<string, any> the scenario's own attributes

---@class detente.spec.set_stockpile
---@field reserve? integer warheads in reserve
---@field awaiting_dismantlement? integer

---@class detente.spec.rate
---@field per_day? number
---@field per_week? number
---@field per_month? number
---@field per_year? number

---One row of a state's arsenal.
---@class detente.System
---@field name string
---@field category string
---@field deployed integer
---@field nondeployed integer
---@field launchers integer
---@field warheads integer
---@field per_launcher number
---@field capacity integer
---@field accountable boolean
---@field missiles_per_launcher integer
---@field reloads integer
---@field missiles integer
---@field deployed_missiles integer
---@field range number
---@field basing string
---@field state detente.State
---@field attrs table<string, any>
local System = {}
---@param n integer
---@param rate? detente.spec.rate
---@return detente.Change|nil
function System:deploy(n, rate) end
---@param n integer
---@param rate? detente.spec.rate
---@return detente.Change|nil
function System:undeploy(n, rate) end
---@param n integer
---@param rate? detente.spec.rate
---@return detente.Change|nil
function System:upload(n, rate) end
---@param n integer
---@param rate? detente.spec.rate
---@return detente.Change|nil
function System:download(n, rate) end
---@param n integer
---@param rate? detente.spec.rate
---@return detente.Change|nil
function System:build(n, rate) end
---@param n integer
---@param rate? detente.spec.rate
---@return detente.Change|nil
function System:retire(n, rate) end
---@param n integer
---@param rate? detente.spec.rate
---@return detente.Change|nil
function System:produce(n, rate) end
---@param n integer
---@param rate? detente.spec.rate
---@return detente.Change|nil
function System:eliminate(n, rate) end

---A gradual arsenal change.
---@class detente.Change
---@field done integer
---@field total integer
---@field active boolean
---@field reason? string
local Change = {}
function Change:cancel() end

-- ---- metrics -----------------------------------------------------------------------

---@class detente.spec.term
---@field categories string|string[] a list, one name, or "*"
---@field count "deployed"|"nondeployed"|"launchers"|"warheads"
---@field weight? integer
---@field accountable? boolean false: count non-accountable rows too
---@field range? number[] {min_km, max_km}
---@field basing? string|string[] "ground", "sea", "air"

---@class detente.spec.metric
---@field name string
---@field doc? string
---@field terms? detente.spec.term[]
---@field fn? fun(s: detente.State): number

---Define a metric (a table), or ask whether one is defined (a string: its doc or nil).
---@param spec detente.spec.metric|string
---@return string|nil
function metric(spec) end

-- ---- treaties -----------------------------------------------------------------------

---@class detente.spec.limit
---@field metric string
---@field max number
---@field parties? detente.StateLike[] the limit binds these parties only
---@field party? detente.StateLike the limit binds this party only

---@class detente.spec.treaty
---@field id string
---@field name? string
---@field parties detente.StateLike[] at least two
---@field limits? detente.spec.limit[]
---@field signed? detente.DateLike
---@field in_force? detente.DateLike
---@field expires? detente.DateLike
---@field max_extensions? integer
---@field extensions? integer extensions agreed before the scenario starts
---@field withdrawal_notice? detente.Duration notice a party gives before its withdrawal takes effect
---@field attrs? table<string, any> the scenario's own attributes

---@class detente.spec.inspect
---@field by? detente.StateLike the inspecting state
---@field p_detect? number chance an inspection finds a breach, in [0, 1]

---@class detente.Treaty
---@field id string
---@field name string
---@field status "signed"|"in_force"|"extended"|"expired"|"suspended"|"terminated"
---@field signed? detente.Date
---@field in_force? detente.Date
---@field expires? detente.Date
---@field extensions integer
---@field withdrawal_notice? {months: integer, days: integer}
---@field parties detente.State[]
---@field attrs table<string, any>
local Treaty = {}

---Declare a treaty (a table) or find one by id (a string).
---@param spec detente.spec.treaty|string
---@return detente.Treaty
function treaty(spec) end

---@param s detente.StateLike
---@return boolean
function Treaty:complies(s) end
---@param s detente.StateLike
---@return {metric: string, value: number, max: number}[]
function Treaty:breaches(s) end
---@param s detente.StateLike
---@param metric string
---@return number
function Treaty:count(s, metric) end
---@param metric string
---@return number|nil
function Treaty:limit(metric) end
---@return detente.spec.limit[]
function Treaty:limits() end
---@param s detente.StateLike
---@return boolean
function Treaty:binds(s) end
---@param s detente.StateLike
---@return string
function Treaty:observance(s) end
---@param s detente.StateLike
---@param ob "complying"|"observing_unilaterally"|"suspended"|"withdrawn"
---@param why? string
function Treaty:set_observance(s, ob, why) end
---@param why? string
function Treaty:suspend(why) end
---@param why? string
function Treaty:resume(why) end
---@param why? string
function Treaty:terminate(why) end
---@param why? string
function Treaty:expire(why) end
---@param d detente.Duration
function Treaty:extend(d) end
---@param s detente.StateLike
---@param until_date detente.DateLike
function Treaty:pledge(s, until_date) end
---@param s detente.StateLike
---@return detente.Date|nil
function Treaty:pledged_until(s) end
---Give notice of withdrawal; returns the date it takes effect.
---@param s detente.StateLike
---@param reason? string
---@return detente.Date
function Treaty:give_notice(s, reason) end
---@param s detente.StateLike
---@param reason? string
function Treaty:rescind_notice(s, reason) end
---@param s detente.StateLike
---@return detente.Date|nil
function Treaty:notice(s) end
---True while the party is bound and over a limit.
---@param s detente.StateLike
---@return boolean
function Treaty:in_breach(s) end
---Record a data exchange: { metric = value, ... } as of a date (default now).
---@param s detente.StateLike
---@param values table<string, number>
---@param as_of? detente.DateLike
function Treaty:declare(s, values, as_of) end
---The declared value and its date, or nil.
---@param s detente.StateLike
---@param metric string
---@return number|nil, detente.Date|nil
function Treaty:declared(s, metric) end
---An inspection: true when it finds a breach.
---@param s detente.StateLike
---@param opts? detente.spec.inspect
---@return boolean
function Treaty:inspect(s, opts) end

-- ---- proposals ------------------------------------------------------------------------

---@class detente.spec.propose
---@field to detente.StateLike|detente.StateLike[]|detente.Group one state, a list or a group
---@field quorum? integer how many addressees must accept (default all)
---@field kind string e.g. "extension"
---@field terms? table the engine reads treaty, years|months|days, formal, reciprocal
---@field deadline? detente.DateLike|detente.Duration
---@field visibility? "public"|"parties"|"private"
---@field conditions? table

---@class detente.spec.counter
---@field terms? table
---@field deadline? detente.DateLike|detente.Duration
---@field kind? string
---@field conditions? table

---@class detente.Proposal
---@field id string
---@field from detente.State
---@field to detente.State
---@field kind string
---@field status "pending"|"accepted"|"rejected"|"countered"|"withdrawn"|"expired"
---@field pending boolean
---@field terms table
---@field conditions? table
---@field deadline? detente.Date
---@field made_at detente.Date
---@field closed_at? detente.Date
---@field countered_by? detente.Proposal
---@field quorum integer
---@field addressees detente.State[]
---@field answers {state: detente.State, answer: string}[]
---@field attrs table<string, any>
local Proposal = {}
---@param why? string
function Proposal:accept(why) end
---@param why? string
function Proposal:reject(why) end
---@param why? string
function Proposal:withdraw(why) end
---@param spec detente.spec.counter
---@return detente.Proposal
function Proposal:counter(spec) end
---@param answer "accept"|"reject"|"counter"|"withdraw"|"silence"
function Proposal:respond(answer) end

-- ---- decisions, moves, injects -------------------------------------------------------------

---@class detente.spec.decision
---@field options string[]
---@field default? string one of the options (default: the first)
---@field timeout? detente.Duration days or weeks a human seat has to answer
---@field doc? string

---Declare a decision (with a table), or get its options (nil when undeclared).
---@param name string
---@param spec? detente.spec.decision
---@return string[]|nil
function decision(name, spec) end

---@class detente.spec.policy
---@field weights table<string, number> option -> weight, drawn in C

---How a state answers a decision in run and mc.
---@param s detente.StateLike
---@param name string a declared decision
---@param how string|detente.spec.policy|fun(ctx: table): string
function policy(s, name, how) end

---@class detente.spec.arg
---@field name string
---@field type "state"|"treaty"|"proposal"|"system"|"duration"|"date"|"number"|"choice"|"text"|"boolean"|"list"|"table"
---@field required? boolean
---@field default? any
---@field doc? string
---@field min? number
---@field max? number
---@field integer? boolean
---@field options? string[] the choices of a choice argument
---@field of? string a system argument: the state (an id, or an argument before it) whose rows it names

---@class detente.spec.move
---@field doc? string
---@field args? detente.spec.arg[] the declared arguments: checked and converted before validate
---@field params? table<string, string> the arguments, described for people (older form)
---@field available? fun(s: detente.State): boolean whether a seat is offered the move now (read-only: no draws, events, scheduling, moves)
---@field validate? fun(s: detente.State, args: table): boolean|nil, string|nil
---@field apply fun(s: detente.State, args: table): any

---Define a move a state may make at will.
---@param name string
---@param spec detente.spec.move
function move(name, spec) end

---The move names, in definition order.
---@return string[]
function moves() end

---@class detente.spec.inject
---@field doc? string
---@field args? detente.spec.arg[]
---@field fire fun(args: table)

---Define an inject a facilitator can fire: inject(name, fn, doc?) or inject(name, spec).
---@param name string
---@param fn fun(args: any)|detente.spec.inject
---@param doc? string
function inject(name, fn, doc) end

---@class detente.spec.form
---@field title? string
---@field doc? string
---@field args? detente.spec.arg[]

---Declare a message form people post in a live session's channels (a request
---for information, a statement of intent...): its fields are declared and
---checked as a move's arguments are. Posting one runs no scenario code.
---@param name string
---@param spec detente.spec.form
function form(name, spec) end

---Fire an inject.
---@param name string
---@param args? any
function fire(name, args) end

-- ---- params and outcomes ---------------------------------------------------------------------

---@class detente.spec.param
---@field doc? string
---@field min? number
---@field max? number

---@class detente.spec.outcome
---@field doc? string
---@field at? detente.DateLike evaluate it at this date instead of the end

---@class detente.spec.series
---@field doc? string

---Declare a param: param(name, default | dist.*(...), doc | {doc=, min=, max=}) -> value.
---Read it later as param.name (an unknown name raises, naming file and line).
---@class detente.Params
---@overload fun(name: string, default: number|boolean|string|detente.Dist, doc?: string|detente.spec.param): any
---@field [string] any
param = {}

---Declare an outcome, evaluated at the end of the run.
---@param name string
---@param fn fun(): boolean|number|string|detente.Date|nil
---@param doc? string|detente.spec.outcome
function outcome(name, fn, doc) end

---Record a value over time: fn() sampled every period from the start (or now).
---@param name string
---@param every detente.Duration at least days(1)
---@param fn fun(): number|boolean|nil
---@param doc? string|detente.spec.series
function series(name, every, fn, doc) end

-- ---- randomness --------------------------------------------------------------------------

---A distribution; d:sample() draws from the run's stream.
---@class detente.Dist
local Dist = {}
---@return number
function Dist:sample() end

rng = {}
---@param a? number
---@param b? number
---@return number
function rng.uniform(a, b) end
---@param lo integer
---@param hi integer
---@return integer
function rng.int(lo, hi) end
---@param mean number
---@param sd number
---@return number
function rng.normal(mean, sd) end
---@param mu number
---@param sigma number
---@return number
function rng.lognormal(mu, sigma) end
---@param mean number
---@return number
function rng.exponential(mean) end
---@param lambda number
---@return integer
function rng.poisson(lambda) end
---@param a number
---@param b number
---@return number
function rng.beta(a, b) end
---@param shape number
---@param scale number
---@return number
function rng.gamma(shape, scale) end
---@param lo number
---@param mode number
---@param hi number
---@return number
function rng.triangular(lo, mode, hi) end
---@param p number
---@return boolean
function rng.bernoulli(p) end
---@generic T
---@param items T[]
---@param weights number[]
---@return T
function rng.weighted(items, weights) end
---@generic T
---@param list T[]
---@return T
function rng.choice(list) end

dist = {}
---@return detente.Dist
function dist.uniform(a, b) end
---@return detente.Dist
function dist.int(lo, hi) end
---@return detente.Dist
function dist.normal(mean, sd) end
---@return detente.Dist
function dist.lognormal(mu, sigma) end
---@return detente.Dist
function dist.exponential(mean) end
---@return detente.Dist
function dist.poisson(lambda) end
---@return detente.Dist
function dist.beta(a, b) end
---@return detente.Dist
function dist.gamma(shape, scale) end
---@return detente.Dist
function dist.triangular(lo, mode, hi) end
---@return detente.Dist
function dist.bernoulli(p) end

-- ---- the engine's own helpers ---------------------------------------------------------------

detente = {}
---The kind of an engine value, as io.type does for files: "State", "Group", "System",
---"Treaty", "Proposal", "Decision", "Change", "Hook", "Date", "Duration", "Dist", "Module" (a
---shared standard-library module's read-only table), or nil.
---@param v any
---@return string|nil
function detente.type(v) end

-- ---- data -------------------------------------------------------------------------------

data = {}
---Rows (tables keyed by the header) and the header. Paths are relative to the calling file.
---@param path string
---@return table[] rows
---@return string[] header
function data.csv(path) end
---@param path string
---@return any
function data.json(path) end
