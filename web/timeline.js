// timeline.js: the timeline both pages show, newest first, filterable by
// kind and by state. Each page keeps one; it owns the list and the two
// filters (#timeline, #filter-kind, #filter-state) of its page.
"use strict";

class Timeline {
  /* tag(e): the label for a non-public event (the team page shows the
     visibility, the dashboard also who may see it). */
  constructor(tag) {
    this.events = [];
    this.tag = tag;
    this.list = $("timeline");
    this.kind = $("filter-kind");
    this.state = $("filter-state");
    this.kind.addEventListener("change", () => this.render());
    this.state.addEventListener("change", () => this.render());
  }

  item(e) {
    const who = e.by || "—";
    const li = el("li", { class: "ev vis-" + (e.vis || "public"), "data-kind": e.kind || "",
                          "data-by": who, "data-seq": e.seq },
                  el("time", {}, e.date || ""), el("span", { class: "by" }, who),
                  el("span", { class: "text" }, e.text || e.kind || ""));
    if (e.vis && e.vis !== "public") li.appendChild(el("span", { class: "tag" }, this.tag(e)));
    return li;
  }

  shows(e) {
    const k = this.kind.value, s = this.state.value;
    if (k && e.kind !== k) return false;
    return !s || e.by === s || (e.parties || []).includes(s) || e.to === s;
  }

  static option(sel, v) {
    if (!v) return;
    for (const o of sel.options) if (o.value === v) return;
    sel.appendChild(el("option", { value: v }, v));
  }

  render() {
    const ol = clear(this.list);
    for (let i = this.events.length - 1; i >= 0; i--)
      if (this.shows(this.events[i])) ol.appendChild(this.item(this.events[i]));
  }

  add(e) {
    this.events.push(e);
    Timeline.option(this.kind, e.kind);
    Timeline.option(this.state, e.by);
    if (this.shows(e)) this.list.insertBefore(this.item(e), this.list.firstChild);
  }
}
