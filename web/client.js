// client.js: the live-session connection shared by the team page and the
// white-cell dashboard. One WebSocket to /ws carrying the JSON messages of the
// TCP protocol (docs/protocol.md). The browser's session cookie says who we
// are, so `hello` carries no seat and no token. On a drop it reconnects by
// itself and asks for what it missed with the highest seq it holds, so no
// event is lost or shown twice.
//
// Every text from the scenario, a team or the white cell reaches the page
// through el()/text nodes only: nothing is ever parsed as HTML.
"use strict";

/* Creates an element: el("li", {class: "x", title: t}, child, "text", ...). */
function el(tag, attrs, ...kids) {
  const ns = tag.startsWith("svg:") ? "http://www.w3.org/2000/svg" : null;
  const e = ns ? document.createElementNS(ns, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const k of kids.flat()) {
    if (k === null || k === undefined || k === false) continue;
    e.appendChild(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

class Session {
  constructor(handlers) {
    this.h = handlers;          // {welcome, event, decision, message, status, ack, error, any, state}
    this.lastSeq = 0;
    this.seen = new Set();      // event seqs shown, so a replay never doubles one
    this.lastInput = 0;         // the newest channel message held (its input number)
    this.nextId = 1;
    // Ids of inputs are idempotency keys of the seat across connections
    // (docs/protocol.md, Retries): a page load never reuses an earlier one's.
    this.idPrefix = "w" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8) + "-";
    this.waiting = new Map();   // id -> callback for the answer
    this.backoff = 500;
    this.ended = false;
    this.connect();
    setInterval(() => { if (this.open) this.send({ type: "ping" }); }, 15000);
  }

  connect() {
    const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
    this.setState("connecting");
    let ws;
    try { ws = new WebSocket(url); } catch (e) { this.retry(); return; }
    this.ws = ws;
    ws.onopen = () => {
      this.open = true;
      this.backoff = 500;
      ws.send(JSON.stringify({ type: "hello", v: 1, last_seq: this.lastSeq, last_input: this.lastInput }));
    };
    ws.onmessage = (m) => {
      let o;
      try { o = JSON.parse(m.data); } catch (e) { return; }
      this.dispatch(o);
    };
    ws.onclose = () => {
      this.open = false;
      if (this.ended) { this.setState("ended"); return; }
      this.retry();
    };
  }

  retry() {
    this.setState("reconnecting");
    setTimeout(() => this.connect(), this.backoff);
    this.backoff = Math.min(this.backoff * 2, 5000);
  }

  setState(s) {
    this.state = s;
    if (this.h.state) this.h.state(s);
  }

  dispatch(o) {
    if (o.type === "welcome") { this.welcome = o; this.setState("connected"); }
    if (o.type === "event") {
      if (typeof o.seq !== "number" || this.seen.has(o.seq)) return;
      this.seen.add(o.seq);
      if (o.seq > this.lastSeq) this.lastSeq = o.seq;
    }
    // A channel message carries its input number: on a reconnect the server
    // sends those after lastInput, so none is shown twice.
    if (o.type === "message" && typeof o.input === "number") {
      if (o.input <= this.lastInput) return;
      this.lastInput = o.input;
    }
    if (o.type === "bye") this.ended = true;
    if (o.id !== undefined && this.waiting.has(o.id)) {
      const cb = this.waiting.get(o.id);
      this.waiting.delete(o.id);
      cb(o);
    }
    const f = this.h[o.type];
    if (f) f(o);
    if (this.h.any) this.h.any(o);
  }

  /* Sends a message; `cb` gets the answer carrying the same id. */
  send(msg, cb) {
    if (!this.open) { if (cb) cb({ type: "error", code: "offline", message: "not connected; try again in a moment" }); return; }
    const id = this.idPrefix + (this.nextId++);
    msg.id = id;
    if (cb) this.waiting.set(id, cb);
    this.ws.send(JSON.stringify(msg));
  }
}

/* A duration typed by a person ("5d", "6 months", "36h") as the protocol takes it. */
function durationOk(s) {
  return /^\s*\d+(\.\d+)?\s*(s|sec|seconds?|min|minutes?|h|hours?|d|days?|w|weeks?|mo|months?|y|years?)\s*$/i.test(s);
}

function fmtWhen(o) { return o.date || o.clock || ""; }

/* How the clock stands, after its date: from welcome, status and the `clock`
 * message the server sends everyone whenever it changes (docs/protocol.md). */
function clockShown(d) {
  // "2025-09-28T07:06:14Z" as people read a clock: "2025-09-28 07:06" (UTC).
  return d && d.length > 10 ? `${d.slice(0, 10)} ${d.slice(11, 16)}` : d || "";
}

function clockNote(c) {
  if (c.held) return " (waiting for a decision)";
  if (c.advancing) return " (advancing)";
  return c.paused ? " (paused)" : "";
}
