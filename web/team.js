// team.js: a team's page. What the seat may see of the session (the server
// filters it), its pending decisions, its moves as forms, its channels, and
// its forces against the treaty limits.
"use strict";

const $ = (id) => document.getElementById(id);

const S = {
  me: null, role: "", lead: false,
  refs: { states: [], treaties: [], proposals: [], systems: {} },
  moves: [],
  decisions: new Map(),     // id -> decision message
  clock: null, t: 0, paused: true, advancing: false, held: false, rate: null,
  world: { metrics: [], points: [], treaties: [] },
  turn: null,               // the last turn message, in a game in turns
};

function setConn(s) {
  const c = $("conn");
  c.textContent = s;
  c.className = "pill conn " + s;
}

function setClock(o) {
  if (o.clock) S.clock = o.clock;
  if (typeof o.t === "number") S.t = o.t;
  // welcome, status and the clock message (sent to everyone the moment the
  // white cell pauses, resumes, advances or sets the pace, or a decision
  // holds the clock) carry the clock's state; events only its date.
  for (const k of ["paused", "advancing", "held"]) if (typeof o[k] === "boolean") S[k] = o[k];
  $("clock").textContent = S.clock ? clockShown(S.clock) + clockNote(S) : "";
  // The pace: the countdowns' real time comes from its rate.
  if (typeof o.rate === "number" && o.rate > 0) S.rate = o.mode === "step" ? null : o.rate;
  if (typeof o.hold === "boolean") S.hold = o.hold;
  if (typeof o.pace === "string") {
    $("clock").title = o.mode === "step" ? "simulated date; the white cell moves the clock"
                                         : `simulated date; the clock runs at ${o.pace} (simulated = real time)`;
  }
  const ph = o.phase || (o.turn && o.turn.phase);
  if (ph) {
    $("phase").hidden = false;
    $("phase").textContent = o.turn && o.turn.number ? `turn ${o.turn.number}: ${ph}` : ph;
    S.phase = ph;
  }
}

/* ---- timeline ---- */

const timeline = new Timeline((e) => e.vis);

function onEvent(e) {
  timeline.add(e);
  if (e.t && e.t >= S.t) setClock({ clock: e.date, t: e.t });
}

/* ---- decisions ---- */

function left(deadline) {
  if (!deadline) return "no deadline";
  const d = Date.parse(deadline.length <= 10 ? deadline + "T00:00:00Z" : deadline) / 1000;
  if (!S.t || isNaN(d)) return "until " + deadline;
  const days = (d - S.t) / 86400;
  let txt = `until ${deadline.slice(0, 10)} (${days <= 0 ? "due now" : days.toFixed(days < 2 ? 1 : 0) + " simulated days left"}`;
  if (S.hold && days > 0) {
    txt += ", the clock waits for the answer";
  } else if (S.rate && !S.paused && days > 0) {
    const realS = (d - S.t) / S.rate;
    txt += realS < 120 ? `, about ${Math.round(realS)} s in real time` : `, about ${Math.round(realS / 60)} min in real time`;
  } else if (S.paused && days > 0) {
    txt += ", clock paused";
  }
  return txt + ")";
}

function renderDecisions() {
  // Drawn again only when the decisions change: a status that says the same
  // must not pull a button from under a click.
  const key = JSON.stringify([[...S.decisions.values()], S.lead]);
  if (key === S.decisionsKey) return;
  S.decisionsKey = key;
  const ul = clear($("decisions"));
  $("decisions-empty").hidden = S.decisions.size > 0;
  for (const d of S.decisions.values()) {
    const card = el("li", { class: "card decision", "data-decision": d.decision });
    card.appendChild(el("h3", {}, d.name, " ", el("span", { class: "muted" }, d.decision)));
    if (d.doc) card.appendChild(el("p", {}, d.doc));
    const ctx = d.context || {};
    const keys = Object.keys(ctx);
    if (keys.length) {
      const dl = el("dl", { class: "context" });
      for (const k of keys) dl.append(el("dt", {}, k), el("dd", {}, typeof ctx[k] === "object" ? JSON.stringify(ctx[k]) : String(ctx[k])));
      card.appendChild(dl);
    }
    card.appendChild(el("p", { class: "countdown", "data-deadline": d.deadline || "" }, left(d.deadline)));
    if (d.default) card.appendChild(el("p", { class: "muted" }, d.deadline ? `default at the deadline: ${d.default}` : `default: ${d.default}`));
    const opts = el("div", { class: "options" });
    for (const o of d.options || []) {
      opts.appendChild(el("button", {
        type: "button", disabled: !S.lead || null, class: o === d.default ? "option default" : "option",
        onclick: (ev) => answer(d, o, ev.target),
      }, o));
    }
    card.appendChild(opts);
    if (!S.lead) card.appendChild(el("p", { class: "muted" }, "Only your team's lead can answer."));
    card.appendChild(el("p", { class: "result", role: "status" }));
    ul.appendChild(card);
  }
}

function answer(d, option, btn) {
  const res = btn.closest(".card").querySelector(".result");
  res.textContent = "sending…";
  session.send({ type: "answer", decision: d.decision, option }, (a) => {
    if (a.type === "error") { res.className = "result error"; res.textContent = a.message; return; }
    S.decisions.delete(d.decision);
    renderDecisions();
  });
}

setInterval(() => {
  for (const p of document.querySelectorAll(".countdown")) p.textContent = left(p.getAttribute("data-deadline"));
}, 1000);

/* ---- moves ---- */

function renderMoves() {
  // Drawn again only when what it shows changes, so a half-filled form and a
  // move's result line survive the messages that come between.
  const closed = S.turn && S.turn.phase !== "planning";
  const key = JSON.stringify([S.lead, closed, !!S.turn, S.moves, S.refs]);
  if (key === S.movesKey) return;
  S.movesKey = key;
  const box = clear($("moves"));
  if (!S.lead) { $("moves-hint").textContent = "Your team's lead makes the moves; you see them on the timeline."; return; }
  if (closed) {
    $("moves-hint").textContent = S.turn.phase === "adjudication"
      ? "Planning is closed: the white cell is reviewing this turn's moves."
      : "The turn is running; moves open again when the next turn's planning begins.";
    return;
  }
  $("moves-hint").textContent = S.moves.length ? "" : "No move is open to your team now.";
  for (const m of S.moves) {
    box.appendChild(schemaForm(m, S.refs, S.turn ? "Submit for this turn" : "Make this move",
      (args, done) => session.send({ type: "move", move: m.name, args }, done)));
  }
}

/* This turn's moves of the team and what became of them (the turn message
 * lists them; a team sees its own only). */
function renderSubmitted() {
  const ul = clear($("submitted"));
  const now = (S.turn && S.turn.moves) || [];
  const t = now.length || !S.lastTurn ? S.turn : S.lastTurn;
  const moves = (t && t.moves) || [];
  $("submitted-title").hidden = moves.length === 0;
  $("submitted-title").textContent = t === S.turn ? "Submitted this turn" : `Turn ${t.number}: what became of your moves`;
  for (const m of moves) {
    const args = Object.entries(m.args || {}).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(", ");
    let st = m.status || "held";
    if (m.amended && st !== "amended") st += " (amended)";
    const why = m.reason ? ` — ${m.by === "scenario" ? "refused by the scenario" : "umpire"}: ${m.reason}` : "";
    ul.appendChild(el("li", { class: "status-" + (m.status || "held"), "data-input": m.input },
                      el("b", {}, m.move), args ? ` (${args})` : "", " — ", el("span", { class: "status" }, st), why));
  }
}

/* ---- channels (web/channels.js) ---- */

const channels = new Channels((msg, done) => session.send(msg, done), () => S.refs);

function onMessage(m) {
  if (channels.message(m)) return;
  $("banner").hidden = false;   // a broadcast from the white cell
  $("banner").textContent = `${m.from || "white cell"} (${m.date || ""}): ${m.text}`;
}

/* ---- forces and treaties ---- */

function onWorld(w) {
  // New references (a proposal made, a treaty's status, a system) come with
  // the world: the pickers of the move forms follow.
  if (w.refs) { applyRefs(w); renderMoves(); }
  if (w.metrics) S.world.metrics = w.metrics;
  if (w.treaties) S.world.treaties = w.treaties;
  for (const p of w.points || []) {
    const last = S.world.points[S.world.points.length - 1];
    if (last && last.t === p.t) S.world.points[S.world.points.length - 1] = p;
    else if (!last || p.t > last.t) S.world.points.push(p);
  }
  renderForces();
}

function renderForces() {
  const W = S.world;
  const pts = W.points;
  const now = pts[pts.length - 1];
  const table = clear($("forces"));
  if (now) {
    const ids = Object.keys(now.states || {});
    table.appendChild(el("tr", {}, el("th", {}, "metric"), ids.map((id) => el("th", {}, id))));
    for (const m of W.metrics) table.appendChild(el("tr", {}, el("td", {}, m), ids.map((id) => el("td", { class: "num" }, (now.states[id] || {})[m] ?? "—"))));
  }
  const tl = clear($("treaties"));
  for (const t of W.treaties) {
    tl.appendChild(el("li", {}, el("b", {}, t.name || t.id), ` — ${t.status}`,
                      (t.limits || []).length ? ` (limits: ${(t.limits || []).map((l) => `${l.metric} ≤ ${l.max}`).join(", ")})` : ""));
  }
  // The chart: the first limited metric (deployed warheads in the flagship).
  const limited = W.treaties.flatMap((t) => (t.limits || []).map((l) => ({ treaty: t, l })));
  // Deployed warheads, where a treaty limits them; else the first limited metric.
  const pick = limited.find((x) => /warhead/i.test(x.l.metric)) || limited[0];
  const metric = (pick && pick.l.metric) || W.metrics[0];
  const box = clear($("chart"));
  if (!metric) return;
  const ids = now ? Object.keys(now.states || {}) : [];
  const series = ids.map((id) => ({ name: id, points: pts.filter((p) => p.states[id] && p.states[id][metric] !== undefined).map((p) => [p.t, p.states[id][metric]]) }));
  const limits = limited.filter((x) => x.l.metric === metric).map((x) => ({ name: `${x.treaty.name || x.treaty.id} limit`, value: x.l.max }));
  box.appendChild(el("h3", {}, metric));
  box.appendChild(lineChart(series, limits, { label: `${metric} over time against the limits`, now: S.t }));
}

/* ---- the connection ---- */

function applyRefs(o) {
  if (o.refs) { S.refs = o.refs; }
  if (o.seats && !S.refs.states.length) S.refs.states = o.seats.map((s) => ({ id: s.id, name: s.name }));
}

const session = new Session({
  state: setConn,
  welcome: (w) => {
    S.me = w.seat; S.role = w.role || "seat";
    S.lead = S.role === "seat" || S.role === "lead";
    $("title").textContent = w.title || "";
    $("seat").textContent = `${w.seat} · ${S.role}`;
    document.title = `détente: ${w.seat}`;
    S.moves = w.moves || [];
    applyRefs(w);
    setClock(w);
    S.decisions = new Map((w.decisions || []).map((d) => [d.decision, d]));
    channels.welcome(w);
    renderDecisions(); renderMoves();
    session.send({ type: "status" });
  },
  status: (s) => {
    applyRefs(s); setClock(s);
    if (s.moves) { S.moves = s.moves; renderMoves(); }
  },
  // The moves on offer change as the game does (a move may declare when it
  // is available): the server says so.
  moves: (m) => { S.moves = m.moves || []; renderMoves(); },
  event: onEvent,
  decision: (d) => { S.decisions.set(d.decision, d); renderDecisions(); },
  "decision.closed": (d) => { S.decisions.delete(d.decision); renderDecisions(); },
  message: onMessage,
  world: onWorld,
  refs: (r) => { applyRefs({ refs: r.refs }); renderMoves(); },
  // The chart runs on to the clock's date (an advance, a pause): drawn again
  // when the clock's state changes, not at every event.
  clock: (o) => { setClock(o); if (S.world.points.length) renderForces(); },
  turn: (t) => {
    // What became of last turn's moves stays on the page until this turn has some.
    if (S.turn && S.turn.number !== t.number && (S.turn.moves || []).length) S.lastTurn = S.turn;
    S.turn = t;
    setClock({ turn: t, phase: t.phase });
    renderSubmitted();
    renderMoves();
  },
  bye: (b) => {
    $("banner").hidden = false;
    $("banner").textContent = "The session has ended: " + (b.text || "");
  },
  any: (o) => { if (o.clock || o.t) setClock(o); },
});

