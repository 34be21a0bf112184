// chart.js: a small SVG line chart of a metric over simulated time, one line
// per state, with treaty limits drawn as dashed lines. Built from elements,
// never from markup, so names from the scenario stay text.
"use strict";

const CHART_COLOURS = ["#1f5fa8", "#b3261e", "#2e7d32", "#8e44ad", "#c77700", "#00838f"];

/* The round step nearest to raw: 1, 2 or 5 times a power of ten. */
function niceStep(raw) {
  if (!(raw > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / p;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

/* series: [{name, points:[[t, v], ...]}], limits: [{name, value}] */
function lineChart(series, limits, opts) {
  const W = (opts && opts.width) || 520, H = (opts && opts.height) || 220;
  const L = 52, R = 12, T = 14, B = 34;
  const pts = series.flatMap((s) => s.points);
  const svg = el("svg:svg", { viewBox: `0 0 ${W} ${H}`, class: "linechart", role: "img",
                              "aria-label": (opts && opts.label) || "chart" });
  if (!pts.length) {
    svg.appendChild(el("svg:text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "muted" }, "no data yet"));
    return svg;
  }
  // Values hold until they change: the chart runs on to the present.
  let t0 = Math.min(...pts.map((p) => p[0])), t1 = Math.max(...pts.map((p) => p[0]), (opts && opts.now) || 0);
  if (t1 === t0) t1 = t0 + 86400;
  const all = [...pts.map((p) => p[1]), ...limits.map((l) => l.value)];
  let v1 = Math.max(...all, 1), v0 = Math.min(...all);
  // Holdings sit close to their limits: show the band they move in, not the
  // distance from zero, unless they come near zero.
  v0 = v0 > 0.3 * v1 ? v0 - 0.15 * (v1 - v0 + 0.1 * v1) : 0;
  v1 += 0.08 * (v1 - v0);
  // Gridlines at round values (1, 2 or 5 times a power of ten), so a reader
  // can read a line off the chart.
  const step = niceStep((v1 - v0) / 4);
  v0 = Math.floor(v0 / step) * step;
  v1 = Math.ceil(v1 / step) * step;
  const x = (t) => L + (W - L - R) * (t - t0) / (t1 - t0);
  const y = (v) => T + (H - T - B) * (1 - (v - v0) / (v1 - v0));
  for (let v = v0; v <= v1 + step / 2; v += step) {
    svg.appendChild(el("svg:line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }));
    svg.appendChild(el("svg:text", { x: L - 6, y: y(v) + 4, "text-anchor": "end", class: "tick" },
                       String(Math.round(v * 1000) / 1000)));
  }
  const day = (t) => new Date(t * 1000).toISOString().slice(0, 10);
  svg.appendChild(el("svg:text", { x: L, y: H - 10, class: "tick" }, day(t0)));
  svg.appendChild(el("svg:text", { x: W - R, y: H - 10, "text-anchor": "end", class: "tick" }, day(t1)));
  for (const l of limits) {
    svg.appendChild(el("svg:line", { x1: L, x2: W - R, y1: y(l.value), y2: y(l.value), class: "limit" }));
    svg.appendChild(el("svg:text", { x: W - R, y: y(l.value) - 4, "text-anchor": "end", class: "limit-label" },
                       `${l.name} ${l.value}`));
  }
  series.forEach((s, i) => {
    const c = CHART_COLOURS[i % CHART_COLOURS.length];
    // Holdings change in steps: draw them as steps, not slopes.
    let d = "";
    s.points.forEach((p, k) => {
      d += k === 0 ? `M${x(p[0])},${y(p[1])}` : `H${x(p[0])}V${y(p[1])}`;
    });
    const last = s.points[s.points.length - 1];
    if (last) d += `H${x(t1)}`;
    svg.appendChild(el("svg:path", { d, fill: "none", stroke: c, "stroke-width": 2, class: "series" }));
    svg.appendChild(el("svg:text", { x: L + 6 + 60 * i, y: H - 22, fill: c, class: "legend" }, s.name));
  });
  return svg;
}
