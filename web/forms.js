// forms.js: forms generated from the argument schemas a scenario declares
// for its moves, injects and message forms (docs/protocol.md, "Declared
// arguments"). Each argument has a name, a type and, optionally, required,
// default, doc, min/max (numbers), options (choices; for a system argument
// without `of`, the mover's own systems) and `of` (the state whose systems a
// system argument picks from). Pickers offer the references
// the seat may see (states, treaties, proposals, systems) and send their ids,
// as the protocol takes them ("RUS", "nst", "P3", "6 months").
"use strict";

/* refs: {states:[{id,name}], treaties:[{id,name}], proposals:[{id,text}], systems:{ID:[name]}} */
function argField(arg, refs, form) {
  const id = "f-" + Math.random().toString(36).slice(2);
  const label = el("label", { for: id }, arg.name, arg.required ? " *" : "");
  const pick = (items, value, text) => {
    const s = el("select", { id, name: arg.name, required: arg.required || null });
    if (!arg.required) s.appendChild(el("option", { value: "" }, "—"));
    for (const it of items) s.appendChild(el("option", { value: value(it) }, text(it)));
    if (arg.default !== undefined && arg.default !== null) s.value = String(arg.default);
    return s;
  };
  let input;
  switch (arg.type) {
  case "state":
    input = pick(refs.states || [], (s) => s.id, (s) => s.name ? `${s.id} — ${s.name}` : s.id);
    break;
  case "treaty":
    input = pick(refs.treaties || [], (t) => t.id, (t) => t.name ? `${t.id} — ${t.name}` : t.id);
    break;
  case "proposal":
    input = pick(refs.proposals || [], (p) => p.id, (p) => p.text ? `${p.id} — ${p.text}` : p.id);
    break;
  case "system": {
    // The systems of the state named by `of` (an argument name or a state id).
    const holder = () => {
      const other = form && form.querySelector(`[name="${CSS.escape(arg.of || "")}"]`);
      return other ? other.value : (arg.of || "");
    };
    input = el("select", { id, name: arg.name, required: arg.required || null });
    const fill = () => {
      clear(input);
      // The mover's own systems come with the argument (`options`, when it
      // names no `of`); another state's from the references.
      const sys = arg.options && !arg.of ? arg.options : (refs.systems || {})[holder()] || [];
      if (!arg.required) input.appendChild(el("option", { value: "" }, "—"));
      for (const n of sys) input.appendChild(el("option", { value: n }, n));
    };
    fill();
    if (form) form.addEventListener("change", (e) => { if (e.target.name === arg.of) fill(); });
    break;
  }
  case "choice":
    input = pick(arg.options || [], (o) => o, (o) => o);
    break;
  case "number":
    input = el("input", { id, name: arg.name, type: "number", step: "any", min: arg.min, max: arg.max,
                          required: arg.required || null, value: arg.default });
    break;
  case "duration":
    input = el("input", { id, name: arg.name, type: "text", placeholder: "e.g. 5d, 2w, 6 months",
                          required: arg.required || null, value: arg.default, "data-kind": "duration" });
    break;
  case "boolean":
    input = el("input", { id, name: arg.name, type: "checkbox", checked: arg.default === true || null });
    break;
  default:
    input = el("textarea", { id, name: arg.name, rows: 2, required: arg.required || null }, arg.default || "");
  }
  const row = el("div", { class: "field" }, label, input);
  if (arg.doc) row.appendChild(el("small", {}, arg.doc));
  return row;
}

/* Reads a generated form back into protocol arguments; returns [args, error]. */
function formArgs(form, schema) {
  const args = {};
  for (const a of schema || []) {
    const f = form.querySelector(`[name="${CSS.escape(a.name)}"]`);
    if (!f) continue;
    if (a.type === "boolean") { args[a.name] = f.checked; continue; }
    const v = f.value.trim();
    if (v === "") {
      if (a.required) return [null, `${a.name} is required`];
      continue;
    }
    if (a.type === "number") {
      const n = Number(v);
      if (!Number.isFinite(n)) return [null, `${a.name} must be a number`];
      if (a.min !== undefined && n < a.min) return [null, `${a.name} must be at least ${a.min}`];
      if (a.max !== undefined && n > a.max) return [null, `${a.name} must be at most ${a.max}`];
      args[a.name] = n;
    } else if (a.type === "duration") {
      if (!durationOk(v)) return [null, `${a.name}: a duration such as 5d, 2w or 6 months`];
      args[a.name] = v;
    } else {
      args[a.name] = v;
    }
  }
  return [args, null];
}

/* A form for one declared move, inject or message form. `send(args, done)`
 * sends it; done(answer) shows how it ended. `values` (optional) fills the
 * fields, e.g. with a submitted move's arguments for an amendment. */
function schemaForm(spec, refs, button, send, values) {
  const form = el("form", { class: "schema", "data-name": spec.name });
  if (spec.doc) form.appendChild(el("p", { class: "doc" }, spec.doc));
  for (const a of spec.args || []) {
    const has = values && Object.prototype.hasOwnProperty.call(values, a.name);
    form.appendChild(argField(has ? { ...a, default: values[a.name] } : a, refs, form));
  }
  const result = el("p", { class: "result", role: "status" });
  form.appendChild(el("button", { type: "submit" }, button));
  form.appendChild(result);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const [args, err] = formArgs(form, spec.args);
    if (err) { result.className = "result error"; result.textContent = err; return; }
    result.className = "result"; result.textContent = "sending…";
    send(args, (ans) => {
      if (ans.type === "error") { result.className = "result error"; result.textContent = ans.message; return; }
      if (ans.accepted === false) { result.className = "result error"; result.textContent = "refused: " + (ans.reason || ""); return; }
      result.className = "result ok";
      result.textContent = ans.held ? "submitted for this turn (held until the white cell releases it)" : "done";
    });
  });
  // Folded until wanted: a scenario may declare many moves.
  return el("details", { class: "schema-box", "data-name": spec.name },
            el("summary", {}, spec.title || spec.name), form);
}
