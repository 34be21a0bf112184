// channels.js: the channels panel both pages show (docs/protocol.md,
// "Channels"): one tab per channel the person is in, the channel's messages,
// and a form to post in it, as free text or in one of the message forms the
// scenario declares (a request for information, a statement of intent...).
// It owns #channels-panel, #channel-tabs, #channel-log and #post-form with
// #post-form-kind, #post-fields, #post-text and #post-error.
"use strict";

class Channels {
  /* send(msg, done) sends a protocol message; refs() gives the pickers' refs. */
  constructor(send, refs) {
    this.send = send;
    this.refs = refs;
    this.channels = [];
    this.forms = [];
    this.current = null;
    this.chat = new Map();    // channel id -> [message]
    $("post-form-kind").addEventListener("change", () => this.fields());
    $("post-form").addEventListener("submit", (e) => { e.preventDefault(); this.post(); });
  }

  /* From a welcome: the person's channels and the scenario's message forms. */
  welcome(w) {
    this.channels = w.channels || this.channels;
    this.forms = w.forms || [];
    if (!this.current && this.channels.length) this.current = this.channels[0].id;
    // A scenario without channels gets no empty channel panel.
    $("channels-panel").hidden = !this.channels.length;
    const kind = $("post-form-kind");
    while (kind.options.length > 1) kind.remove(1);
    for (const f of this.forms) kind.appendChild(el("option", { value: f.name }, f.title || f.name));
    this.tabs();
    this.render();
  }

  tabs() {
    const box = clear($("channel-tabs"));
    for (const c of this.channels)
      box.appendChild(el("button", { type: "button", class: c.id === this.current ? "tab active" : "tab",
        onclick: () => { this.current = c.id; this.tabs(); this.render(); } }, c.name || c.id));
  }

  item(m) {
    const li = el("li", { class: "msg" }, el("time", {}, m.date || ""), el("b", {}, m.from || "?"), " ");
    if (m.role && m.role !== "lead") li.appendChild(el("span", { class: "muted" }, `(${m.role}) `));
    if (m.form) {
      const spec = this.forms.find((f) => f.name === m.form);
      li.appendChild(el("span", { class: "tag" }, (spec && spec.title) || m.form));
    }
    li.appendChild(el("span", { class: "text" }, m.text || ""));
    if (m.fields && typeof m.fields === "object") {
      const dl = el("dl", { class: "context" });
      for (const [k, v] of Object.entries(m.fields))
        dl.append(el("dt", {}, k), el("dd", {}, typeof v === "string" ? v : JSON.stringify(v)));
      li.appendChild(dl);
    }
    return li;
  }

  render() {
    const ol = clear($("channel-log"));
    for (const m of this.chat.get(this.current) || []) ol.appendChild(this.item(m));
    ol.scrollTop = ol.scrollHeight;
  }

  /* A channel's message; false for a broadcast (no channel), which the page
     shows in its banner. */
  message(m) {
    if (!m.channel) return false;
    if (!this.chat.has(m.channel)) this.chat.set(m.channel, []);
    this.chat.get(m.channel).push(m);
    if (!this.channels.find((c) => c.id === m.channel)) { this.channels.push({ id: m.channel }); this.tabs(); }
    $("channels-panel").hidden = false;
    if (m.channel === this.current) {
      $("channel-log").appendChild(this.item(m));
      $("channel-log").scrollTop = $("channel-log").scrollHeight;
    }
    return true;
  }

  spec() { return this.forms.find((f) => f.name === $("post-form-kind").value); }

  /* The chosen message form's fields, empty. */
  fields() {
    const box = clear($("post-fields"));
    const spec = this.spec();
    if (spec) for (const a of spec.args || []) box.appendChild(argField(a, this.refs(), $("post-form")));
  }

  post() {
    const err = $("post-error");
    err.hidden = true;
    const spec = this.spec();
    const msg = { type: "post", channel: this.current, text: $("post-text").value };
    if (spec) {
      const [fields, bad] = formArgs($("post-form"), spec.args);
      if (bad) { err.hidden = false; err.textContent = bad; return; }
      msg.form = spec.name;
      msg.fields = fields;
    }
    if (!this.current || (!msg.text.trim() && !spec)) return;
    this.send(msg, (a) => {
      if (a.type === "error") { err.hidden = false; err.textContent = a.message; return; }
      $("post-text").value = "";
      this.fields();
    });
  }
}
