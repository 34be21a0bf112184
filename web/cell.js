// cell.js: the white cell's dashboard. It sees every event, decision and
// channel, steers the clock and the turns, fires injects and posts
// white-cell events; the server checks each of these rights again.
"use strict";

const $ = (id) => document.getElementById(id);

const C = {
  refs: { states: [], treaties: [], proposals: [], systems: {} },
  decisions: new Map(),
  seats: [], injects: [], world: { metrics: [], points: [], treaties: [] },
  turn: null, reasons: new Map(), amending: new Set(), clock: null, t: 0, paused: true,
  advancing: false, held: false,
};

function result(id, a, okText) {
  const p = $(id);
  if (a.type === "error") { p.className = "result error"; p.textContent = a.message; }
  else { p.className = "result ok"; p.textContent = okText || "done"; }
}

function setClock(o) {
  if (o.clock) C.clock = o.clock;
  if (typeof o.t === "number") C.t = o.t;
  // welcome, status and the clock message (to everyone, whenever the clock's
  // state changes: another white-cell screen's pause too) carry the state.
  for (const k of ["paused", "advancing", "held"]) if (typeof o[k] === "boolean") C[k] = o[k];
  if (o.mode && !C.turn) $("mode").textContent = o.mode === "step" ? "step mode" : "paced";
  $("clock").textContent = C.clock ? clockShown(C.clock) + clockNote(C) : "";
  // A pace is the speed of a running clock: in step mode (and in turns)
  // there is none to set, and the server would refuse it.
  if (o.mode) $("pace-form").hidden = o.mode !== "pace";
  // Resume too: in step mode only an advance moves the clock (Pause stays:
  // it stops an advance under way).
  if (o.mode) $("resume").hidden = o.mode !== "pace";
  if (typeof o.pace === "string" && typeof o.rate === "number") {
    $("pace-now").textContent = `now ${o.pace}: ${paceWords(o.rate)}`;
  }
}

/* A rate (simulated seconds per real second) as a facilitator says it. */
function paceWords(rate) {
  const round = (x) => (x >= 10 ? Math.round(x) : Math.round(x * 10) / 10);
  if (rate >= 86400) return `${round(rate / 86400)} simulated days a second`;
  const every = 86400 / rate;
  return every < 120 ? `a simulated day every ${round(every)} s` : `a simulated day every ${round(every / 60)} min`;
}

/* ---- timeline (web/timeline.js) ---- */

const timeline = new Timeline((e) => `${e.vis}: ${(e.parties || []).join(", ")}`);

function onEvent(e) {
  timeline.add(e);
  if (e.t && e.t >= C.t) setClock({ clock: e.date, t: e.t });
}

/* ---- clock ---- */

$("pause").addEventListener("click", () => session.send({ type: "pause" }, (a) => result("clock-result", a, "paused")));
$("resume").addEventListener("click", () => session.send({ type: "resume" }, (a) => result("clock-result", a, "running")));
$("advance-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const by = $("advance-by").value.trim();
  if (!durationOk(by)) { result("clock-result", { type: "error", message: "a duration such as 10d, 2w or 1 month" }); return; }
  session.send({ type: "advance", by }, (a) => advancing(a, `advancing by ${by}`, `advanced by ${by}`));
});
$("pace-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const pace = $("pace-input").value.trim();
  if (!pace) { result("clock-result", { type: "error", message: "give a pace such as 1d=10s (simulated time = real time)" }); return; }
  // The server reads it (the same reader as serve --pace) and says what is wrong.
  session.send({ type: "pace", pace }, (a) => result("clock-result", a, `pace set to ${pace}`));
});
$("advance-decision").addEventListener("click", () =>
  session.send({ type: "advance", to: "decision" }, (a) => advancing(a, "advancing to the next decision", "advanced to the next decision")));

/* An advance was acknowledged: the panel says so until the clock message
 * that says it is done, then where the clock stopped. */
function advancing(a, now, done) {
  result("clock-result", a, now);
  C.advanceDone = a.type === "error" ? null : done;
}

function advanceOver(o) {
  if (!C.advanceDone || o.advancing) return;
  result("clock-result", { type: "ack" }, `${C.advanceDone}: the clock stopped at ${o.clock}`);
  C.advanceDone = null;
}

/* ---- turns (docs/protocol.md, "Turns and phases") ---- */

const PHASE_HINT = {
  planning: "the teams submit their moves; close planning when the room is done",
  adjudication: "review the moves (amend or refuse them, with a reason), then release the turn",
  running: "the released moves apply and the clock runs to the turn's end",
};

/* Arguments as a reader wants them: name=value, comma-separated. */
function argsText(args) {
  return Object.entries(args || {}).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(", ");
}

function turnStatus(m) {
  let s = m.status || "held";
  if (m.amended && m.status !== "amended") s += " (amended)";
  if (m.reason) s += ` — ${m.by === "scenario" ? "the scenario" : "umpire"}: ${m.reason}`;
  return s;
}

/* The controls for one move under review: a reason, Refuse, and Amend, which
 * opens the move's own form filled with its arguments. */
function reviewControls(m) {
  // The table is drawn again on every turn message: what the umpire typed
  // is kept per move.
  const reason = el("input", { type: "text", name: "reason", placeholder: "reason for the team", size: 16,
                               value: C.reasons.get(m.input) || "" });
  reason.addEventListener("input", () => C.reasons.set(m.input, reason.value));
  const refuse = el("button", { type: "button", class: "refuse", onclick: () => adjudicate("refuse", m, reason.value) }, "Refuse");
  const spec = (C.moves || []).find((x) => x.name === m.move);
  const box = el("div", { class: "amend-box", hidden: !C.amending.has(m.input) });
  if (spec) box.appendChild(schemaForm(spec, C.refs, "Amend", (args, done) => {
    if (!reason.value.trim()) { done({ type: "error", message: "give the team a reason" }); return; }
    session.send({ type: "amend", input: m.input, reason: reason.value, args }, done);
  }, m.args));
  const amend = el("button", { type: "button", class: "amend", onclick: () => {
    box.hidden = !box.hidden;
    if (box.hidden) C.amending.delete(m.input); else C.amending.add(m.input);
    const d = box.querySelector("details");
    if (d) d.open = true;
  } }, "Amend…");
  return [reason, refuse, amend, box];
}

function renderTurn() {
  const t = C.turn;
  // Drawn again only when the turn changes; what the umpire typed or opened
  // is kept per move (C.reasons, C.amending) for when it does.
  const key = JSON.stringify(t);
  if (key === C.turnKey) return;
  C.turnKey = key;
  const table = clear($("turn-moves"));
  if (!t) return;
  // A game in turns: the turn panel takes the clock's place (the clock
  // moves only when a turn is released; advance and resume are refused).
  $("turn-panel").hidden = false;
  $("clock-panel").hidden = true;
  $("mode").textContent = "in turns";
  $("turn-hint").textContent = `Turn ${t.number}, ${t.phase}` + (t.ends ? ` (runs to ${t.ends})` : "") +
    `: ${PHASE_HINT[t.phase] || ""}.`;
  $("phase").hidden = false;
  $("phase").textContent = `turn ${t.number}: ${t.phase}`;
  $("adjudicate").hidden = t.phase !== "planning";
  $("release").hidden = t.phase !== "adjudication";
  const moves = t.moves || [];
  if (!moves.length) { table.appendChild(el("tr", {}, el("td", { class: "muted" }, "No move submitted this turn."))); return; }
  table.appendChild(el("tr", {}, el("th", {}, "#"), el("th", {}, "seat"), el("th", {}, "move"), el("th", {}, "status"), el("th", {}, "")));
  for (const m of moves) {
    const open = t.phase === "adjudication" && (m.status === "held" || m.status === "amended");
    table.appendChild(el("tr", { "data-input": m.input, class: "status-" + (m.status || "held") },
      el("td", { class: "n" }, String(m.input)), el("td", {}, m.seat),
      el("td", {}, m.move, " ", el("small", {}, argsText(m.args)),
         m.submitted ? el("small", { class: "muted" }, ` (submitted: ${argsText(m.submitted)})`) : null),
      el("td", { class: "status" }, turnStatus(m)),
      el("td", { class: "review" }, open ? reviewControls(m) : [])));
  }
}
function adjudicate(verb, m, reason) {
  if (!reason.trim()) { result("turn-result", { type: "error", message: "give the team a reason" }); return; }
  session.send({ type: verb, input: m.input, reason }, (a) => result("turn-result", a, `${verb}d`));
}
$("adjudicate").addEventListener("click", () => session.send({ type: "adjudicate" }, (a) => result("turn-result", a, "planning closed")));
$("release").addEventListener("click", () => session.send({ type: "release" }, (a) =>
  result("turn-result", a, a.applied !== undefined ? `turn released: ${a.applied} applied, ${a.refused} refused` : "turn released")));

/* ---- decisions ---- */

function renderDecisions() {
  // Drawn again only when the decisions change: a status that says the same
  // must not pull a button from under a click.
  const key = JSON.stringify([[...C.decisions.values()]]);
  if (key === C.decisionsKey) return;
  C.decisionsKey = key;
  const ul = clear($("decisions"));
  $("decisions-empty").hidden = C.decisions.size > 0;
  for (const d of C.decisions.values()) {
    const res = el("p", { class: "result", role: "status" });
    ul.appendChild(el("li", { class: "card decision", "data-decision": d.decision },
      el("h3", {}, `${d.seat}: ${d.name} `, el("span", { class: "muted" }, d.decision)),
      d.doc ? el("p", {}, d.doc) : null,
      el("p", { class: "muted" }, d.deadline ? `until ${d.deadline}, default ${d.default}` : `no deadline; default ${d.default}`),
      el("div", { class: "options" }, (d.options || []).map((o) => el("button", {
        type: "button", class: "option",
        onclick: () => session.send({ type: "answer", decision: d.decision, option: o }, (a) => {
          if (a.type === "error") { res.className = "result error"; res.textContent = a.message; return; }
          C.decisions.delete(d.decision); renderDecisions();
        }),
      }, `override: ${o}`))), res));
  }
}

/* ---- people and seats ---- */

function renderSeats(st) {
  C.seats = st.seats || C.seats;
  if (st.people) renderPeople(st.people);
  // Drawn again only when what it shows changes: the status poll must not
  // pull a button from under a click, nor untick the seats a white-cell
  // event is being written for.
  const sig = JSON.stringify(C.seats.map((s) => [s.id, s.human, s.connected ?? 0]));
  if (sig === C.seatsSig) return;
  C.seatsSig = sig;
  const table = clear($("seats"));
  table.appendChild(el("tr", {}, el("th", {}, "seat"), el("th", {}, "held by"), el("th", {}, "connected"), el("th", {}, "")));
  for (const s of C.seats) {
    table.appendChild(el("tr", {}, el("td", {}, s.id, " ", el("small", {}, s.name || "")), el("td", {}, s.human ? "team" : "policy"),
      el("td", {}, String(s.connected ?? 0)),
      el("td", {}, el("button", { type: "button", onclick: () =>
        session.send({ type: "seat", seat: s.id, human: !s.human }, () => session.send({ type: "status" })) },
        s.human ? "hand to policy" : "hand to team"))));
  }
  const box = $("wc-seats");
  const ticked = new Set([...box.querySelectorAll("input:checked")].map((x) => x.value));
  clear(box);
  for (const s of C.seats) {
    box.appendChild(el("label", {}, el("input", { type: "checkbox", value: s.id, checked: ticked.has(s.id) }), " ", s.id));
  }
}

/* A `people` message says who is connected now: the seats' counts follow
 * at once, not at the next status. */
function countSeats(people) {
  for (const s of C.seats) {
    s.connected = (people || []).filter((p) => p.seat === s.id).reduce((n, p) => n + (Number(p.connected) || 0), 0);
  }
  renderSeats({});
}

// Who plays, and who is connected now (welcome, status, and `people` when it changes).
function renderPeople(people) {
  const ul = clear($("people"));
  for (const p of people || []) ul.appendChild(el("li", {}, `${p.seat} · ${p.role}`, p.name ? ` (${p.name})` : "", p.connected ? " — connected" : ""));
}

/* ---- actions ---- */

function renderInjects() {
  const box = clear($("injects"));
  for (const i of C.injects) {
    const spec = typeof i === "string" ? { name: i } : i;
    box.appendChild(schemaForm(spec, C.refs, "Fire", (args, done) => session.send({ type: "inject", name: spec.name, args }, done)));
  }
}

$("wc-event").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("wc-text").value.trim();
  if (!text) return;
  const seats = [...document.querySelectorAll("#wc-seats input:checked")].map((x) => x.value);
  const msg = { type: "event", text };
  if (seats.length) msg.seats = seats;        // none ticked: the event is for everyone
  session.send(msg, (a) => { result("wc-result", a, "posted"); if (a.type !== "error") $("wc-text").value = ""; });
});
$("broadcast").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("bc-text").value.trim();
  if (text) session.send({ type: "broadcast", text }, () => { $("bc-text").value = ""; });
});
$("end").addEventListener("click", () => {
  if (window.confirm("End the session for everyone?")) session.send({ type: "end" });
});
$("export").addEventListener("click", () => {
  $("export").disabled = true;
  $("export").textContent = "Making the report…";
  session.send({ type: "report" }, (a) => {
    $("export").disabled = false;
    $("export").textContent = "After-action report";
    if (a.type === "error") { $("banner").hidden = false; $("banner").textContent = a.message; return; }
    // A link, not a pop-up: browsers block windows opened after a wait.
    const link = $("report-link");
    link.href = a.url;
    link.hidden = false;
    link.textContent = "Open the after-action report (" + new Date().toLocaleTimeString() + ")";
  });
});

/* ---- channels (web/channels.js): the white cell is in every one ---- */

const channels = new Channels((msg, done) => session.send(msg, done), () => C.refs);

function onMessage(m) {
  if (channels.message(m)) return;
  $("banner").hidden = false;   // a broadcast
  $("banner").textContent = `${m.from || "white cell"}: ${m.text}`;
}

/* ---- charts ---- */

/* New references (with the world, or a status): the inject forms' pickers
 * follow, drawn again only when they changed. */
function setRefs(refs) {
  if (!refs) return;
  const key = JSON.stringify(refs);
  if (key === C.refsKey) return;
  C.refsKey = key;
  C.refs = refs;
  renderInjects();
}

function onWorld(w) {
  setRefs(w.refs);
  if (w.metrics) C.world.metrics = w.metrics;
  if (w.treaties) C.world.treaties = w.treaties;
  for (const p of w.points || []) {
    const last = C.world.points[C.world.points.length - 1];
    if (last && last.t === p.t) C.world.points[C.world.points.length - 1] = p;
    else if (!last || p.t > last.t) C.world.points.push(p);
  }
  const box = clear($("charts"));
  const pts = C.world.points;
  const ids = pts.length ? Object.keys(pts[pts.length - 1].states || {}) : [];
  const limited = C.world.treaties.flatMap((t) => (t.limits || []).map((l) => ({ t, l })));
  const metrics = [...new Set(limited.map((x) => x.l.metric))];
  for (const m of metrics.length ? metrics : C.world.metrics.slice(0, 1)) {
    box.appendChild(el("h3", {}, m));
    box.appendChild(lineChart(ids.map((id) => ({ name: id, points: pts.filter((p) => p.states[id] && p.states[id][m] !== undefined).map((p) => [p.t, p.states[id][m]]) })),
      limited.filter((x) => x.l.metric === m).map((x) => ({ name: `${x.t.name || x.t.id}`, value: x.l.max })), { label: m, height: 180, now: C.t }));
  }
}

const session = new Session({
  state: (s) => { $("conn").textContent = s; $("conn").className = "pill conn " + s; },
  welcome: (w) => {
    $("title").textContent = w.title || "";
    // The request-for-information desk sees everything and talks in every
    // channel, but steers nothing (docs/protocol.md, People and roles).
    const rfi = w.role === "rfi";
    document.body.classList.toggle("rfi", rfi);
    for (const id of ["clock-panel", "actions-panel"]) $(id).hidden = rfi;
    $("role").textContent = rfi ? `white cell · rfi desk (${w.name || ""})` : "white cell";
    C.injects = w.injects || [];
    C.moves = w.moves || [];
    if (w.refs) C.refs = w.refs;
    C.decisions = new Map((w.decisions || []).map((d) => [d.decision, d]));
    if (w.people) renderPeople(w.people);
    channels.welcome(w);
    setClock(w); renderInjects(); renderDecisions();
    session.send({ type: "status" });
  },
  status: (s) => {
    setClock(s); renderSeats(s);
    setRefs(s.refs);
    if (!C.refs.states.length && s.seats) C.refs.states = s.seats.map((x) => ({ id: x.id, name: x.name }));
    // status names the turn and phase only; the moves come in turn messages.
    if (s.turn) { C.turn = { ...(C.turn && C.turn.number === s.turn.number ? C.turn : {}), ...s.turn }; renderTurn(); }
    // The status is the truth about what is pending: answered, defaulted or
    // overridden decisions leave the list with it.
    if (s.decisions) { C.decisions = new Map(s.decisions.map((d) => [d.decision, d])); renderDecisions(); }
  },
  event: (e) => { onEvent(e); if (/^(seat|decision)\./.test(e.kind || "")) session.send({ type: "status" }); },
  decision: (d) => { C.decisions.set(d.decision, d); renderDecisions(); },
  "decision.closed": (d) => { C.decisions.delete(d.decision); renderDecisions(); },
  message: onMessage,
  people: (p) => { renderPeople(p.people); countSeats(p.people); },
  notice: (n) => { $("banner").hidden = false; $("banner").textContent = n.text; },
  world: onWorld,
  turn: (t) => { C.turn = t; renderTurn(); },
  clock: (o) => { setClock(o); advanceOver(o); },
  bye: (b) => { $("banner").hidden = false; $("banner").textContent = "The session has ended: " + (b.text || ""); },
  any: (o) => { if (o.type === "ack" || o.type === "clock") setClock(o); },
});
setInterval(() => { if (session.open) session.send({ type: "status" }); }, 5000);
