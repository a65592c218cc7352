// Parallel coordinates (SVG): an axis per swept parameter plus the metric, a line per run
// coloured by its metric. Hover shows the run, click opens it, dragging along an axis keeps
// the runs inside a range (brushing), and the keyboard steps through runs.
import { el, fmtNumber } from "./ui.js";
import { runColor } from "./colors.js";
import { categoricalScale, fmtTick, metricColorer, numericScale, rampGradient } from "./sweep_scale.js";

const SVG = "http://www.w3.org/2000/svg";
const HEIGHT = 380;
const MARGIN = { top: 44, bottom: 22, left: 72, right: 64 };
const HOVER_PX = 10;
const CHAR_PX = 6.6;

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function clip(text, px) {
  const max = Math.max(3, Math.floor(px / CHAR_PX));
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

function finite(values) { return values.filter((v) => Number.isFinite(v)); }

export class ParallelCoordinates {
  // options: {onOpen(run), onHover(name or null), onFilter(Set of names, or null when none)}
  constructor(root, options) {
    this.root = root;
    this.options = options;
    this.runs = [];
    this.dims = null;           // set by setData
    this.brushes = new Map();   // dim key -> {lo, hi} as fractions of the plot height (0 = bottom)
    this.hot = null;
    this.visible = null;        // Set of names passing the brushes, null = all
    // Redrawn when the width changes (the height is the chart's own).
    new ResizeObserver(() => {
      if (this.layout && this.root.clientWidth !== this.layout.clientWidth) this.render();
    }).observe(root);
  }

  setData({ axes, metric, runs }) {
    this.metric = metric;
    this.runs = runs;
    this.byName = new Map(runs.map((r) => [r.name, r]));
    this.dims = axes.map((axis) => ({
      key: "p:" + axis.name, label: axis.name, kind: axis.kind, log: axis.log,
      integer: axis.integer, categories: axis.categories || [], min: axis.min, max: axis.max,
      value: (run) => run.params[axis.name],
    }));
    if (metric) {
      this.dims.push({ key: "metric", label: metric.name, kind: "numeric", log: false,
                       metric: true, value: (run) => run.metric });
    }
    for (const key of [...this.brushes.keys()]) {
      if (!this.dims.some((d) => d.key === key)) this.brushes.delete(key);
    }
    const colorer = metric ? metricColorer(runs.map((r) => r.metric), metric.goal) : null;
    this.color = (run) => (colorer ? colorer(run.metric) : runColor(run.name));
    this.render();
  }

  // -- layout and drawing ----------------------------------------------------------------------
  render() {
    if (!this.dims) return;
    const width = Math.max(360, this.root.clientWidth);
    if (!this.dims.length) {
      this.root.replaceChildren(el("div", { class: "empty",
        text: "This sweep's config names no parameter that varies, so there is nothing to draw." }));
      return;
    }
    const plot = { top: MARGIN.top, bottom: HEIGHT - MARGIN.bottom };
    const n = this.dims.length;
    const span = width - MARGIN.left - MARGIN.right;
    const gap = n > 1 ? span / (n - 1) : span;
    this.layout = { width, plot, gap, clientWidth: this.root.clientWidth };
    for (const [i, dim] of this.dims.entries()) {
      dim.x = n > 1 ? MARGIN.left + i * gap : MARGIN.left + span / 2;
      if (dim.kind === "categorical") {
        dim.scale = categoricalScale(dim.categories, plot.bottom, plot.top);
      } else {
        // Before any run has a value, the axis spans what the config allows (or 0 to 1).
        const values = finite(this.runs.map(dim.value));
        const lo = values.length ? Math.min(...values) : (dim.min ?? 0);
        const hi = values.length ? Math.max(...values) : (dim.max ?? 1);
        dim.scale = numericScale(lo, hi, plot.bottom, plot.top, dim.log, dim.integer);
      }
    }
    this.coords = new Map(this.runs.map((run) => [run.name,
      this.dims.map((dim) => { const v = dim.value(run); return v === null || v === undefined ? null : dim.scale.toPixel(v); })]));

    const lines = svg("g", { class: "pc-lines" });
    this.paths = new Map();
    for (const run of this.runs) {
      const path = svg("path", { d: this.pathOf(this.coords.get(run.name)), "data-run": run.name });
      const color = this.color(run);
      if (color) path.setAttribute("stroke", color);
      else path.classList.add("nometric");
      this.paths.set(run.name, path);
      lines.append(path);
    }
    const axes = svg("g", { class: "pc-axes" });
    for (const dim of this.dims) axes.append(this.axisOf(dim, gap));
    this.svg = svg("svg", {
      width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, tabindex: 0, role: "group",
      "aria-label": `Parallel coordinates: ${this.runs.length} runs over ${n} axes` +
        (this.metric ? `, coloured by ${this.metric.name}` : ""),
    }, lines, axes);
    if (!this.runs.length) {
      this.svg.append(svg("text", { x: width / 2, y: (plot.top + plot.bottom) / 2 + 5,
                                    "text-anchor": "middle", class: "pc-empty",
                                    text: "No runs yet" }));
    }
    this.tip = el("div", { class: "pc-tip hidden", role: "status" });
    this.root.replaceChildren(this.svg, this.tip, this.legend());
    this.root.dataset.axes = String(n);
    this.root.dataset.runs = String(this.runs.length);
    this.bindEvents();
    this.applyBrushes(false);
    if (this.hot && this.paths.has(this.hot)) this.setHot(this.hot, null);
  }

  pathOf(ys) {
    let d = "", pen = false;
    for (const [i, y] of ys.entries()) {
      if (y === null) { pen = false; continue; }
      d += `${pen ? "L" : "M"}${this.dims[i].x.toFixed(1)},${y.toFixed(1)}`;
      pen = true;
    }
    // A run known on one axis only still shows as a dot-sized mark.
    return d.includes("L") || !d ? d : d + "h0.01";
  }

  axisOf(dim, gap) {
    const { plot } = this.layout;
    const g = svg("g", { class: "pc-axis" + (dim.metric ? " metric" : ""), "data-axis": dim.label });
    g.append(svg("line", { class: "axis", x1: dim.x, x2: dim.x, y1: plot.top, y2: plot.bottom }));
    const title = svg("text", { class: "title", x: dim.x, y: plot.top - 22, "text-anchor": "middle",
                                text: clip(dim.label, Math.max(60, gap - 10)) });
    title.append(svg("title", { text: dim.label + (dim.metric ? ` (${this.metric.goal})` : "") }));
    g.append(title);
    if (dim.metric) {
      g.append(svg("text", { x: dim.x, y: plot.top - 9, "text-anchor": "middle",
                             text: this.metric.goal === "maximize" ? "maximize ↑" : "minimize ↓" }));
    }
    const ticks = dim.kind === "categorical"
      ? dim.scale.ticks.map((t) => ({ y: t.y, text: t.value }))
      : dim.scale.ticks.map((v) => ({ y: dim.scale.toPixel(v), text: fmtTick(v) }));
    // The last axis labels its ticks on its right, outside the lines that meet it.
    const side = dim === this.dims[this.dims.length - 1] && this.dims.length > 1 ? 1 : -1;
    const room = side > 0 ? MARGIN.right - 8 : Math.min(MARGIN.left - 10, Math.max(40, gap * 0.6));
    const every = Math.max(1, Math.ceil(ticks.length / Math.max(2, Math.floor((plot.bottom - plot.top) / 14))));
    for (const [i, tick] of ticks.entries()) {
      if (tick.y === null || i % every) continue;
      g.append(svg("line", { class: "tick", x1: dim.x + 4 * side, x2: dim.x, y1: tick.y, y2: tick.y }));
      const label = svg("text", { class: "label-bg", x: dim.x + 7 * side, y: tick.y + 3.5,
                                  "text-anchor": side > 0 ? "start" : "end",
                                  text: clip(String(tick.text), room) });
      label.append(svg("title", { text: String(tick.text) }));
      g.append(label);
    }
    // A little past both ends, so a drag can start at an end and include it.
    const hit = svg("rect", { class: "hit", x: dim.x - 12, y: plot.top - 8, width: 24,
                              height: plot.bottom - plot.top + 16, "data-key": dim.key });
    const brush = svg("rect", { class: "brush hidden", x: dim.x - 8, width: 16, y: plot.top, height: 0,
                                "data-key": dim.key });
    g.append(hit, brush);
    dim.brushNode = brush;
    return g;
  }

  legend() {
    if (!this.metric) return el("div", { class: "pc-legend", text: "No metric in the sweep config: each run has its own colour." });
    const values = finite(this.runs.map((r) => r.metric));
    const parts = [el("span", { class: "mono", text: this.metric.name })];
    if (!values.length) parts.push(el("span", { text: "colours each run once it has a value" }));
    else {
      const lo = Math.min(...values), hi = Math.max(...values);
      const [worst, best] = this.metric.goal === "maximize" ? [lo, hi] : [hi, lo];
      const ramp = el("span", { class: "ramp", "aria-hidden": "true" });
      ramp.style.background = rampGradient();
      parts.push(el("span", { text: `worse ${fmtNumber(worst)}` }), ramp,
                 el("span", { text: `${fmtNumber(best)} better` }));
    }
    if (this.runs.some((r) => !Number.isFinite(r.metric))) {
      parts.push(el("span", {}, el("span", { class: "nometric-key" }), " no value yet (running, failed or not logged)"));
    }
    return el("div", { class: "pc-legend" }, parts);
  }

  // -- brushing ----------------------------------------------------------------------------------
  brushPixels(brush) {
    const { plot } = this.layout;
    const h = plot.bottom - plot.top;
    return { top: plot.bottom - brush.hi * h, bottom: plot.bottom - brush.lo * h };
  }

  applyBrushes(notify = true) {
    const { plot } = this.layout;
    for (const dim of this.dims) {
      const brush = this.brushes.get(dim.key);
      if (!brush) { dim.brushNode.classList.add("hidden"); continue; }
      const px = this.brushPixels(brush);
      dim.brushNode.classList.remove("hidden");
      dim.brushNode.setAttribute("y", Math.max(plot.top, px.top));
      dim.brushNode.setAttribute("height", Math.max(1, px.bottom - px.top));
    }
    let visible = null;
    if (this.brushes.size) {
      visible = new Set();
      const checks = this.dims.map((dim, i) => [i, this.brushes.get(dim.key)]).filter(([, b]) => b)
        .map(([i, b]) => [i, this.brushPixels(b)]);
      for (const run of this.runs) {
        const ys = this.coords.get(run.name);
        if (checks.every(([i, px]) => ys[i] !== null && ys[i] >= px.top - 0.5 && ys[i] <= px.bottom + 0.5)) {
          visible.add(run.name);
        }
      }
    }
    this.visible = visible;
    for (const [name, path] of this.paths) path.classList.toggle("dim", Boolean(visible) && !visible.has(name));
    if (notify) this.options.onFilter?.(visible);
  }

  clearBrushes() {
    if (!this.brushes.size) return;
    this.brushes.clear();
    this.applyBrushes();
  }

  // -- pointer and keyboard --------------------------------------------------------------------
  point(event) {
    const rect = this.svg.getBoundingClientRect();
    return { x: (event.clientX - rect.left) * (this.layout.width / rect.width),
             y: (event.clientY - rect.top) * (HEIGHT / rect.height) };
  }

  nearest({ x, y }) {
    const xs = this.dims.map((d) => d.x);
    let k = 0;
    while (k < xs.length - 2 && x > xs[k + 1]) k++;
    let best = null, bestDistance = HOVER_PX;
    for (const run of this.runs) {
      if (this.visible && !this.visible.has(run.name)) continue;
      const ys = this.coords.get(run.name);
      let at;
      if (xs.length === 1 || x <= xs[0]) at = ys[0];
      else if (x >= xs[xs.length - 1]) at = ys[ys.length - 1];
      else if (ys[k] !== null && ys[k + 1] !== null) {
        const f = (x - xs[k]) / (xs[k + 1] - xs[k]);
        at = ys[k] + f * (ys[k + 1] - ys[k]);
      } else at = Math.abs(x - xs[k]) < Math.abs(x - xs[k + 1]) ? ys[k] : ys[k + 1];
      if (at === null || at === undefined) continue;
      const distance = Math.abs(at - y);
      if (distance < bestDistance) { best = run.name; bestDistance = distance; }
    }
    return best;
  }

  bindEvents() {
    const node = this.svg;
    let drag = null;
    node.addEventListener("pointerdown", (event) => {
      const key = event.target.dataset?.key;
      if (!key) return;
      const dim = this.dims.find((d) => d.key === key);
      const { plot } = this.layout;
      const p = this.point(event);
      const brush = this.brushes.get(key);
      const px = brush && this.brushPixels(brush);
      const inside = px && p.y >= px.top && p.y <= px.bottom;
      drag = { dim, startY: p.y, moved: false, mode: inside ? "move" : "new",
               original: brush ? { ...brush } : null, plot };
      node.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    node.addEventListener("pointermove", (event) => {
      const p = this.point(event);
      if (drag) {
        const { plot } = drag;
        const h = plot.bottom - plot.top;
        const frac = (y) => Math.min(1, Math.max(0, (plot.bottom - y) / h));
        if (Math.abs(p.y - drag.startY) >= 3) drag.moved = true;
        if (!drag.moved) return;
        if (drag.mode === "move") {
          const shift = (drag.startY - p.y) / h;
          const size = drag.original.hi - drag.original.lo;
          const lo = Math.min(1 - size, Math.max(0, drag.original.lo + shift));
          this.brushes.set(drag.dim.key, { lo, hi: lo + size });
        } else {
          const a = frac(drag.startY), b = frac(p.y);
          this.brushes.set(drag.dim.key, { lo: Math.min(a, b), hi: Math.max(a, b) });
        }
        this.applyBrushes();
        return;
      }
      this.setHot(this.nearest(p), p);
    });
    node.addEventListener("pointerup", (event) => {
      if (drag) {
        if (!drag.moved && drag.mode === "new" && this.brushes.has(drag.dim.key)) {
          this.brushes.delete(drag.dim.key);
          this.applyBrushes();
        }
        drag = null;
        return;
      }
      const name = this.nearest(this.point(event));
      if (name && event.button === 0) this.options.onOpen?.(this.byName.get(name));
    });
    node.addEventListener("pointerleave", () => { if (!drag) this.setHot(null, null); });
    node.addEventListener("keydown", (event) => this.onKey(event));
    node.addEventListener("blur", () => this.setHot(null, null));
  }

  keyOrder() {
    const runs = this.runs.filter((r) => !this.visible || this.visible.has(r.name));
    if (!this.metric) return runs;
    const sign = this.metric.goal === "maximize" ? -1 : 1;
    return [...runs].sort((a, b) => {
      const fa = Number.isFinite(a.metric), fb = Number.isFinite(b.metric);
      if (fa !== fb) return fa ? -1 : 1;
      return fa ? sign * (a.metric - b.metric) : 0;
    });
  }

  onKey(event) {
    const forward = ["ArrowRight", "ArrowDown"].includes(event.key);
    const back = ["ArrowLeft", "ArrowUp"].includes(event.key);
    if (forward || back) {
      const order = this.keyOrder();
      if (!order.length) return;
      const at = order.findIndex((r) => r.name === this.hot);
      const next = at < 0 ? (forward ? 0 : order.length - 1)
        : (at + (forward ? 1 : -1) + order.length) % order.length;
      this.setHot(order[next].name, null);
      event.preventDefault();
    } else if (event.key === "Enter" && this.hot) {
      this.options.onOpen?.(this.byName.get(this.hot));
    } else if (event.key === "Escape") {
      this.clearBrushes();
      this.setHot(null, null);
    }
  }

  // -- highlight and tooltip -----------------------------------------------------------------
  highlight(name) { this.setHot(name, null, false); }

  setHot(name, pointer, notify = true) {
    if (this.hot && this.paths?.has(this.hot)) this.paths.get(this.hot).classList.remove("hot");
    this.hot = name && this.paths?.has(name) ? name : null;
    if (!this.hot) {
      this.tip?.classList.add("hidden");
      if (this.svg) this.svg.style.cursor = "";
      if (notify) this.options.onHover?.(null);
      return;
    }
    const path = this.paths.get(this.hot);
    path.classList.add("hot");
    path.parentNode.append(path);  // drawn last: on top of the others
    this.svg.style.cursor = pointer ? "pointer" : "";
    this.showTip(this.byName.get(this.hot), pointer);
    if (notify) this.options.onHover?.(this.hot);
  }

  showTip(run, pointer) {
    const rows = this.dims.map((dim) => {
      const v = dim.value(run);
      const text = v === null || v === undefined ? "—" : (typeof v === "number" ? fmtNumber(v) : String(v));
      return el("tr", {}, el("td", { text: dim.label }), el("td", { class: "mono", text }));
    });
    this.tip.replaceChildren(
      el("div", { class: "title", text: run.display_name }),
      el("div", { class: "faint", text: run.display_name === run.name ? run.state : `${run.name} · ${run.state}` }),
      el("table", {}, el("tbody", {}, rows)));
    this.tip.classList.remove("hidden");
    const rect = this.svg.getBoundingClientRect();
    const scale = rect.width / this.layout.width;
    let x, y;
    if (pointer) { x = pointer.x * scale; y = pointer.y * scale; }
    else {
      const ys = this.coords.get(run.name);
      const i = ys.map((v, k) => (v === null ? -1 : k)).filter((k) => k >= 0).pop() ?? 0;
      x = this.dims[i].x * scale; y = (ys[i] ?? this.layout.plot.top) * scale;
    }
    const tipWidth = this.tip.offsetWidth || 220;
    const left = x + 16 + tipWidth > rect.width ? x - 16 - tipWidth : x + 16;
    this.tip.style.left = `${Math.max(0, left)}px`;
    this.tip.style.top = `${Math.max(0, Math.min(y + 12, HEIGHT * scale - this.tip.offsetHeight))}px`;
  }
}
