// One metric chart (uPlot): a line per run, its min/max band, smoothing, log scale, three x
// axes, and zoom that asks the server for finer points in the selected step range.
import { el, fmtNumber, fmtDuration } from "./ui.js";
import { withAlpha } from "./colors.js";

const uPlot = window.uPlot;

export function smooth(values, weight) {
  if (!weight) return values;
  const out = new Array(values.length);
  let last = 0, debias = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) { out[i] = v; continue; }
    last = last * weight + (1 - weight) * v;
    debias = debias * weight + (1 - weight);
    out[i] = last / debias;
  }
  return out;
}

// Tick labels for a y axis: as many digits as the tick spacing needs and no more, so
// 0.0003 reads "3e-4" (fmtNumber's "3.0000e-4" was wider than the axis and got clipped).
export function tickLabels(splits) {
  const finite = splits.filter((v) => v !== null && Number.isFinite(v));
  if (!finite.length) return splits.map(() => "");
  let spacing = Infinity;
  for (let i = 1; i < finite.length; i++) spacing = Math.min(spacing, Math.abs(finite[i] - finite[i - 1]));
  const largest = Math.max(...finite.map((v) => Math.abs(v)));
  if (!Number.isFinite(spacing) || spacing === 0) spacing = largest || 1;
  if (largest >= 1e6 || (largest > 0 && largest < 1e-3)) {
    // Mantissa digits enough to tell neighbouring ticks apart.
    const digits = Math.max(0, Math.min(6, Math.ceil(Math.log10(largest / spacing) - 1e-9)));
    return splits.map((v) => (v === null ? "" : v === 0 ? "0" : trimExponent(v.toExponential(digits))));
  }
  const decimals = Math.max(0, Math.min(8, Math.ceil(-Math.log10(spacing) - 1e-9)));
  return splits.map((v) => (v === null ? "" : Number(v.toFixed(decimals)).toLocaleString("en-US",
    { maximumFractionDigits: decimals, minimumFractionDigits: 0 })));
}

function trimExponent(text) {
  const [mantissa, exponent] = text.split("e");
  const m = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
  return `${m}e${exponent.replace("+", "")}`;
}

// Width of a y axis that holds its longest tick label (uPlot's default is fixed).
export function axisWidth(labels, font = "11px system-ui, sans-serif") {
  const context = axisWidth.canvas || (axisWidth.canvas = document.createElement("canvas").getContext("2d"));
  context.font = font;
  const widest = Math.max(0, ...(labels || []).map((t) => context.measureText(String(t)).width));
  return Math.ceil(widest) + 18;  // tick marks and gap
}

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function positiveOrNull(values) {
  return values.map((v) => (v === null || v <= 0 ? null : v));
}

// Series data for one run: {x: {step, runtime, time}, y, lo, hi}; x arrays ascending.
export function emptySeries() {
  return { x: { step: [], runtime: [], time: [] }, y: [], lo: [], hi: [] };
}

export function appendSeries(target, extra) {
  const lastStep = target.x.step.length ? target.x.step[target.x.step.length - 1] : -Infinity;
  for (let i = 0; i < extra.y.length; i++) {
    if (extra.x.step[i] <= lastStep) continue;
    for (const axis of ["step", "runtime", "time"]) target.x[axis].push(extra.x[axis][i]);
    target.y.push(extra.y[i]); target.lo.push(extra.lo[i]); target.hi.push(extra.hi[i]);
  }
  return target;
}

const X_LABELS = { step: "Step", runtime: "Runtime", time: "Wall time", metric: "x" };

export class MetricChart {
  // options: {key, title, runs: [{name, label, color}], settings, fetchRange(key, minStep,
  // maxStep, points) -> Promise<{runName: series}>, onZoom(chart, zoomed)}
  constructor(container, options) {
    this.options = options;
    this.key = options.key;
    this.full = new Map();   // run name -> series for the whole run
    this.zoom = null;        // {minStep, maxStep, data: Map} while zoomed
    this.plot = null;
    this.node = el("div", { class: "chart", role: "figure", "aria-label": `Chart of ${options.title}`,
                            dataset: { key: options.key } },
      el("div", { class: "chart-title" },
         el("span", { class: "name", title: options.key, text: options.title }),
         el("span", { class: "faint points", text: "" }),
         el("button", { type: "button", class: "ghost small expand", title: "Wider and taller",
                        "aria-label": `Enlarge the chart of ${options.title}`, "aria-pressed": "false",
                        onclick: (e) => this.toggleWide(e.currentTarget) }, "⤢")),
      el("div", { class: "plot" }),
      el("div", { class: "loading" }, el("span", { class: "spinner" })));
    container.append(this.node);
  }

  get loaded() { return this.full.size > 0; }

  setData(runName, series) {
    this.full.set(runName, series);
    this.render();
  }

  append(runName, extra) {
    const current = this.full.get(runName) || emptySeries();
    this.full.set(runName, appendSeries(current, extra));
    if (!this.zoom) this.render();
  }

  fail(message) {
    this.node.querySelector(".loading").replaceChildren(el("span", { class: "faint", text: message }));
  }

  width() { return Math.max(200, this.node.querySelector(".plot").clientWidth || 400); }

  // uPlot's aligned table: [x, then per run: raw, smoothed, lo, hi].
  table() {
    const settings = this.options.settings;
    const source = this.zoom ? this.zoom.data : this.full;
    const tables = [];
    for (const run of this.options.runs) {
      const s = source.get(run.name);
      if (!s || !s.y.length) { tables.push([[], [], [], [], []]); continue; }
      let y = s.y, lo = s.lo, hi = s.hi;
      if (settings.log) { y = positiveOrNull(y); lo = positiveOrNull(lo); hi = positiveOrNull(hi); }
      tables.push([s.x[settings.x], y, smooth(y, settings.smoothing), lo, hi]);
    }
    if (tables.length === 1) return tables[0];
    return uPlot.join(tables);
  }

  pointCount() {
    let n = 0;
    for (const s of (this.zoom ? this.zoom.data : this.full).values()) n += s.y.length;
    return n;
  }

  render() {
    const settings = this.options.settings;
    const data = this.table();
    const target = this.node.querySelector(".plot");
    this.node.querySelector(".loading").classList.add("hidden");
    this.node.querySelector(".points").textContent = `${this.pointCount().toLocaleString("en-US")} pts`;
    this.node.classList.toggle("zoomed", !!this.zoom);
    if (this.plot && this.plot.settingsKey === this.settingsKey()) {
      this.plot.setData(data, !this.zoom);
      this.describe();
      return;
    }
    if (this.plot) this.plot.destroy();
    target.replaceChildren();
    this.plot = new uPlot(this.uplotOptions(target), data, target);
    this.node.uplot = this.plot;  // tests read the drawn axes
    this.plot.settingsKey = this.settingsKey();
    this.describe();
    if (!performance.getEntriesByName("roost:first-chart").length) performance.mark("roost:first-chart");
  }

  // What the chart holds, on its node: tests and benchmarks read it (points, step range).
  describe() {
    let low = Infinity, high = -Infinity;
    for (const s of (this.zoom ? this.zoom.data : this.full).values()) {
      if (!s.x.step.length) continue;
      low = Math.min(low, s.x.step[0]);
      high = Math.max(high, s.x.step[s.x.step.length - 1]);
    }
    this.node.dataset.points = String(this.pointCount());
    this.node.dataset.steps = Number.isFinite(low) ? `${low},${high}` : "";
    this.node.dataset.state = this.zoom ? "zoomed" : "full";
  }

  settingsKey() {
    const s = this.options.settings;
    return `${s.x}|${s.log}|${s.smoothing > 0}|${s.band}|${document.documentElement.dataset.theme}`;
  }

  uplotOptions(target) {
    const settings = this.options.settings;
    const text = cssVar("--muted"), grid = cssVar("--grid");
    const series = [{ label: this.xLabel(), value: (u, v) => this.formatX(v) }];
    const bands = [];
    this.options.runs.forEach((run, index) => {
      const base = 1 + index * 4;
      const smoothing = settings.smoothing > 0;
      series.push({ label: `${run.label} (raw)`, stroke: withAlpha(run.color, 0.35), width: 1,
                    show: smoothing, spanGaps: true, value: (u, v) => fmtNumber(v) });
      series.push({ label: run.label, stroke: run.color, width: 1.6, spanGaps: true,
                    value: (u, v) => fmtNumber(v), points: { size: 4, fill: run.color } });
      series.push({ label: "min", stroke: "transparent", width: 0, spanGaps: true, show: settings.band,
                    value: (u, v) => fmtNumber(v), points: { show: false } });
      series.push({ label: "max", stroke: "transparent", width: 0, spanGaps: true, show: settings.band,
                    value: (u, v) => fmtNumber(v), points: { show: false } });
      if (settings.band) bands.push({ series: [base + 3, base + 2], fill: withAlpha(run.color, 0.16) });
    });
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 },
                   font: "11px system-ui, sans-serif" };
    return {
      width: target.clientWidth || 400,
      height: target.clientHeight || 210,
      series, bands,
      legend: { show: false },
      cursor: {
        y: false,
        drag: { x: true, y: false, setScale: true },
        // Charts on one x axis share the cursor and a zoom (each fetches its own points).
        sync: { key: `roost-${settings.x}` },
        bind: { dblclick: () => () => {
          if (this.options.onResetAll) this.options.onResetAll(); else this.resetZoom();
          return null;
        } },
      },
      scales: {
        x: { time: settings.x === "time" },
        y: settings.log ? { distr: 3 } : {},
      },
      axes: [
        { ...axis, values: settings.x === "time" ? undefined
          : (u, splits) => splits.map((v) => this.formatX(v, splits.length > 1 ? splits[1] - splits[0] : 0)) },
        { ...axis, size: (u, values) => Math.max(40, axisWidth(values)), values: (u, splits) => tickLabels(splits) },
      ],
      hooks: {
        setCursor: [(u) => this.showTip(u)],
        setSelect: [(u) => {
          if (u.select.width < 4) return;
          const min = u.posToVal(u.select.left, "x");
          const max = u.posToVal(u.select.left + u.select.width, "x");
          u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
          this.zoomTo(min, max);
        }],
      },
    };
  }

  // A small readout at the cursor: x, then each run's (smoothed) value, highest first.
  showTip(u) {
    let tip = this.node.querySelector(".tip");
    const idx = u.cursor.idx;
    if (idx === null || idx === undefined || u.cursor.left < 0) { tip?.classList.add("hidden"); return; }
    if (!tip) { tip = el("div", { class: "tip", role: "status" }); this.node.append(tip); }
    const rows = [];
    this.options.runs.forEach((run, i) => {
      const value = u.data[2 + i * 4]?.[idx];
      if (value !== null && value !== undefined) rows.push([run, value]);
    });
    rows.sort((a, b) => b[1] - a[1]);
    tip.replaceChildren(el("div", { class: "faint", text: `${this.xLabel()} ${this.formatX(u.data[0][idx])}` }),
      ...rows.slice(0, 8).map(([run, value]) => {
        const swatch = el("span", { class: "swatch" });
        swatch.style.background = run.color;
        return el("div", {}, swatch, this.options.runs.length > 1 ? `${run.label}: ` : "", el("strong", { text: fmtNumber(value) }));
      }));
    tip.classList.remove("hidden");
    const plotBox = this.node.querySelector(".plot").getBoundingClientRect();
    const nodeBox = this.node.getBoundingClientRect();
    const left = u.cursor.left + (plotBox.left - nodeBox.left) + u.over.offsetLeft;
    const flip = left > nodeBox.width / 2;
    tip.style.left = flip ? "" : `${left + 12}px`;
    tip.style.right = flip ? `${nodeBox.width - left + 12}px` : "";
  }

  xLabel() {
    const s = this.options.settings;
    return s.x === "metric" && s.xName ? s.xName : X_LABELS[s.x];
  }

  // ``tick``: the spacing of axis ticks, so short runtimes keep the decimals they need.
  formatX(v, tick = 0) {
    if (v === null || v === undefined) return "";
    const mode = this.options.settings.x;
    if (mode === "runtime") {
      if (tick > 0 && tick < 1) return `${v.toFixed(Math.min(3, Math.ceil(-Math.log10(tick))))}s`;
      if (v < 60) return `${tick > 0 || Number.isInteger(v) ? Math.round(v) : v.toFixed(2)}s`;
      return fmtDuration(v);
    }
    if (mode === "time") return new Date(v * 1000).toLocaleTimeString();
    if (mode === "metric") return fmtNumber(v);  // a logged x such as epoch: not rounded
    return fmtNumber(Math.round(v));
  }

  // The step range behind an x range: x is monotonic in step for every axis, so the steps of
  // the loaded points that fall inside the x range bound it.
  stepRange(min, max) {
    const axis = this.options.settings.x;
    let low = Infinity, high = -Infinity;
    const source = this.zoom ? this.zoom.data : this.full;
    for (const s of source.values()) {
      const xs = s.x[axis];
      for (let i = 0; i < xs.length; i++) {
        if (xs[i] >= min && xs[i] <= max) {
          low = Math.min(low, s.x.step[i]);
          high = Math.max(high, s.x.step[i]);
        }
      }
    }
    if (!Number.isFinite(low)) return null;
    // Widen to the neighbouring points so the refetch covers the whole selection.
    return [Math.floor(low), Math.floor(high) + 1];
  }

  async zoomTo(min, max) {
    const range = this.stepRange(min, max);
    if (!range) return;
    const [minStep, maxStep] = range;
    const token = Symbol("zoom");
    this.pending = token;
    this.node.classList.add("zoomed");
    this.plot.setScale("x", { min, max });
    try {
      const data = await this.options.fetchRange(this.key, minStep, maxStep, this.width());
      if (this.pending !== token) return;
      this.zoom = { minStep, maxStep, data: new Map(Object.entries(data)) };
      this.render();
      this.plot.setScale("x", { min, max });
      this.options.onZoom?.(this, true);
    } catch (error) {
      this.fail(String(error.message || error));
    }
  }

  resetZoom() {
    this.pending = null;
    if (!this.zoom) { this.plot?.setData(this.table(), true); return; }
    this.zoom = null;
    this.render();
    this.options.onZoom?.(this, false);
  }

  toggleWide(button) {
    const wide = this.node.classList.toggle("wide");
    button.setAttribute("aria-pressed", String(wide));
    this.resize();
    if (wide) this.node.scrollIntoView({ block: "nearest" });
  }

  resize() {
    if (!this.plot) return;
    const target = this.node.querySelector(".plot");
    this.plot.setSize({ width: target.clientWidth, height: target.clientHeight || 210 });
  }

  redraw() {
    if (!this.loaded) return;
    if (this.plot) { this.plot.destroy(); this.plot = null; }
    this.render();
  }
}
