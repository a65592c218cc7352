// A report's panel grids drawn from live data: each runset's runs (the report's API lists
// them with the reader's rights, or the view-only link's), then per panel type a line plot
// (uPlot through MetricChart; grouped runsets as the group mean with a min/max band), a bar
// chart, a scalar, a Markdown panel; other panel types are named placeholders.
import { el, getJSON, fmtNumber } from "./ui.js";
import { MetricChart } from "./chart.js";
import { runColor, indexColor } from "./colors.js";
import { placeholder, renderMarkdown } from "./report_render.js";

const X_AXES = { _step: "step", _runtime: "runtime", _timestamp: "time", Step: "step" };
const ROW_PX = 32;
const POINTS = 200;

function withToken(url, token) {
  if (!token) return url;
  return url + (url.includes("?") ? "&" : "?") + "accessToken=" + encodeURIComponent(token);
}

function panelsOf(block) {
  const metadata = block.metadata || {};
  const config = metadata.panelBankSectionConfig || {};
  return Array.isArray(config.panels) ? config.panels : [];
}

function groupLabel(values) {
  return values.map((v) => (v === null || v === undefined ? "(none)" : String(v))).join(" · ");
}

// The mean of several runs' series at each step any of them has, with min/max as the band.
export function meanSeries(list) {
  const byStep = new Map();
  for (const s of list) {
    s.x.step.forEach((step, i) => {
      const value = s.y[i];
      if (value === null || value === undefined) return;
      const slot = byStep.get(step) || { values: [], runtime: [], time: [] };
      slot.values.push(value); slot.runtime.push(s.x.runtime[i]); slot.time.push(s.x.time[i]);
      byStep.set(step, slot);
    });
  }
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const out = { x: { step: [], runtime: [], time: [] }, y: [], lo: [], hi: [] };
  for (const step of steps) {
    const slot = byStep.get(step);
    out.x.step.push(step); out.x.runtime.push(mean(slot.runtime)); out.x.time.push(mean(slot.time));
    out.y.push(mean(slot.values)); out.lo.push(Math.min(...slot.values)); out.hi.push(Math.max(...slot.values));
  }
  return out;
}

export class PanelGrid {
  // ctx: {reportId, token, api (the reports API base, ending in "/")}
  constructor(node, block, path, ctx) {
    this.node = node; this.block = block; this.path = path; this.ctx = ctx;
    this.seriesCache = new Map();
  }

  url(suffix) { return withToken(`${this.ctx.api}${this.ctx.reportId}/${suffix}`, this.ctx.token); }

  async load() {
    const runsets = ((this.block.metadata || {}).runSets || []);
    // Every line plot's metrics come with the runs: one request per runset.
    const metrics = [...new Set(panelsOf(this.block).filter((p) => p.viewType === "Run History Line Plot")
      .flatMap((p) => ((p.config || {}).metrics || []).filter((m) => typeof m === "string").slice(0, 8)))].slice(0, 32);
    const query = metrics.length ? `?${new URLSearchParams({ keys: metrics.join(","), points: String(POINTS) })}` : "";
    const answers = await Promise.all(runsets.map(async (rs, i) => (rs.enabled === false ? null
      : { ...(await getJSON(this.url(`blocks/${this.path}/runsets/${i}${query}`))), index: i })));
    this.prefetched = new Map();
    for (const set of answers.filter(Boolean)) {
      for (const [name, series] of Object.entries(set.series || {})) this.prefetched.set(`${set.index}/${name}`, series);
    }
    this.sets = answers.filter(Boolean);
    for (const set of this.sets) set.runs = set.runs.map((run) => ({ ...run, set, color: runColor(run.name) }));
    this.runs = this.sets.flatMap((set) => set.runs);
    this.lines = this.lineSources();
    const panels = panelsOf(this.block);
    const grid = el("div", { class: "panel-grid-body" });
    const legend = el("div", { class: "panel-grid-runs faint" },
      this.sets.map((set) => `${set.name || "Run set"}: ${set.runs.length}${set.has_more ? "+" : ""} run${set.runs.length === 1 ? "" : "s"}`
        + (set.grouping.length ? ` grouped by ${set.grouping.join(", ")}` : "")).join(" · ") || "No run sets");
    this.node.replaceChildren(legend, grid);
    const tasks = panels.map((panel) => this.addPanel(grid, panel));
    await Promise.all(tasks);
    this.node.dataset.state = "drawn";
    if (!performance.getEntriesByName("roost:first-grid").length) performance.mark("roost:first-grid");
  }

  // What a line plot draws: each run, or per runset with a grouping, each group's mean.
  lineSources() {
    const sources = [];
    for (const set of this.sets) {
      if (!set.grouping.length) {
        for (const run of set.runs) sources.push({ name: run.name, label: run.label, color: run.color, runs: [run], set });
        continue;
      }
      const groups = new Map();
      for (const run of set.runs) {
        const label = groupLabel(run.group);
        if (!groups.has(label)) groups.set(label, []);
        groups.get(label).push(run);
      }
      [...groups.entries()].forEach(([label, runs], i) => sources.push({
        name: `group:${set.name}:${label}`, label: `${label} (${runs.length})`, color: indexColor(i), runs, set }));
    }
    return sources;
  }

  place(node, panel) {
    const layout = panel.layout || {};
    node.style.gridColumn = `${(layout.x || 0) + 1} / span ${Math.max(1, layout.w || 8)}`;
    node.style.gridRow = `${(layout.y || 0) + 1} / span ${Math.max(1, layout.h || 6)}`;
    node.style.minHeight = `${Math.max(1, layout.h || 6) * ROW_PX}px`;
  }

  async series(run, keys, range) {
    const ready = !range && this.prefetched && this.prefetched.get(`${run.set.index}/${run.name}`);
    if (ready) return ready;  // holds every line plot metric of the grid
    const params = new URLSearchParams({ keys: keys.join(","), points: String(POINTS) });
    if (range) { params.set("min_step", range[0]); params.set("max_step", range[1]); }
    const key = `${run.set.entity}/${run.set.project}/${run.name}?${params}`;
    if (!this.seriesCache.has(key)) {
      const path = `runs/${encodeURIComponent(run.set.entity)}/${encodeURIComponent(run.set.project)}/`
        + `${encodeURIComponent(run.name)}/series?${params}`;
      this.seriesCache.set(key, getJSON(this.url(path)).then((a) => a.series));
    }
    return this.seriesCache.get(key);
  }

  // {sourceName\0metric: series} for every line source and metric.
  async lineData(metrics, range) {
    const out = {};
    await Promise.all(this.lines.map(async (source) => {
      const replies = await Promise.all(source.runs.map((run) => this.series(run, metrics, range)));
      for (const metric of metrics) {
        const found = replies.map((r) => r[metric]).filter((s) => s && s.y.length);
        if (!found.length) continue;
        out[`${source.name}\u0000${metric}`] = found.length === 1 && source.runs.length === 1 ? found[0] : meanSeries(found);
      }
    }));
    return out;
  }

  async addPanel(grid, panel) {
    const type = panel.viewType || "unknown";
    const config = panel.config || {};
    const box = el("div", { class: "report-panel", dataset: { viewType: type } });
    this.place(box, panel);
    grid.append(box);
    try {
      if (type === "Run History Line Plot") await this.linePlot(box, config);
      else if (type === "Scalar Chart") this.scalar(box, config);
      else if (type === "Bar Chart") this.bars(box, config);
      else if (type === "Scatter Plot") this.scatter(box, config);
      else if (type === "Markdown Panel") box.append(renderMarkdown(el("div"), config.value));
      else box.append(placeholder("Panel", type));
    } catch (error) {
      box.append(el("div", { class: "error-box", text: String(error.message || error) }));
    }
  }

  async linePlot(box, config) {
    const metrics = (config.metrics || []).filter((m) => typeof m === "string").slice(0, 8);
    if (!metrics.length) { box.append(placeholder("Panel", "line plot without metrics")); return; }
    const x = X_AXES[config.xAxis || "_step"];
    const title = config.chartTitle || metrics.join(", ");
    const runs = [];
    for (const source of this.lines) {
      for (const metric of metrics) {
        runs.push({ name: `${source.name}\u0000${metric}`, color: source.color,
                    label: metrics.length > 1 ? `${source.label} · ${metric}` : source.label });
      }
    }
    const settings = { x: x || "step", smoothing: Math.min(Number(config.smoothingWeight) || 0, 0.99),
                       log: !!config.yLogScale, band: this.lines.some((s) => s.runs.length > 1) };
    const chart = new MetricChart(box, {
      key: metrics.join(","), title, runs, settings,
      fetchRange: async (key, minStep, maxStep) => this.lineData(metrics, [minStep, maxStep]),
    });
    if (!x) box.append(el("div", { class: "faint", text: `x axis ${config.xAxis} is drawn as Step here` }));
    const data = await this.lineData(metrics);
    if (!Object.keys(data).length) { chart.fail("No data for these runs"); return; }
    for (const run of runs) if (data[run.name]) chart.full.set(run.name, data[run.name]);
    chart.render();
  }

  summaryValues(metric) {
    return this.runs.map((run) => [run, run.summary[metric]]).filter(([, v]) => typeof v === "number");
  }

  scalar(box, config) {
    const metric = (config.metrics || [])[0];
    const values = this.summaryValues(metric).map(([, v]) => v);
    const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
    box.append(el("div", { class: "panel-title", text: config.chartTitle || metric || "Scalar" }),
      el("div", { class: "scalar-value", text: mean === null ? "—" : fmtNumber(mean) }),
      el("div", { class: "faint", text: values.length > 1 ? `mean of ${values.length} runs` : "" }));
  }

  // A run's value of a panel axis: "summary:loss", "config:lr.value", "run:..." (not drawn).
  axisValue(run, axis) {
    const [section, ...rest] = String(axis || "").split(":");
    const name = rest.join(":");
    if (section === "summary") return run.summary[name];
    if (section === "config") return run.config[name.replace(/\.value(\.|$)/, "$1")];
    return undefined;
  }

  scatter(box, config) {
    const points = this.runs.map((run) => [run, this.axisValue(run, config.xAxis), this.axisValue(run, config.yAxis)])
      .filter(([, x, y]) => typeof x === "number" && typeof y === "number");
    const label = (axis) => String(axis || "").split(":").slice(1).join(":").replace(/\.value$/, "");
    box.append(el("div", { class: "panel-title", text: config.chartTitle || `${label(config.yAxis)} vs ${label(config.xAxis)}` }));
    if (!points.length) { box.append(el("div", { class: "faint", text: "No run has both values" })); return; }
    const NS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 100 60");
    svg.setAttribute("class", "scatter");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", `${label(config.yAxis)} against ${label(config.xAxis)} for ${points.length} runs`);
    const span = (values) => { const lo = Math.min(...values), hi = Math.max(...values); return [lo, hi - lo || 1]; };
    const [x0, dx] = span(points.map((p) => p[1])), [y0, dy] = span(points.map((p) => p[2]));
    for (const [run, x, y] of points) {
      const dot = document.createElementNS(NS, "circle");
      dot.setAttribute("cx", String(5 + ((x - x0) / dx) * 90));
      dot.setAttribute("cy", String(55 - ((y - y0) / dy) * 50));
      dot.setAttribute("r", "1.6");
      dot.setAttribute("fill", run.color);
      const title = document.createElementNS(NS, "title");
      title.textContent = `${run.label}: ${fmtNumber(x)}, ${fmtNumber(y)}`;
      dot.append(title);
      svg.append(dot);
    }
    const range = (values) => { const lo = Math.min(...values), hi = Math.max(...values);
      return lo === hi ? fmtNumber(lo) : `${fmtNumber(lo)} to ${fmtNumber(hi)}`; };
    box.append(svg, el("div", { class: "faint",
      text: `x ${label(config.xAxis)}: ${range(points.map((p) => p[1]))} · y ${label(config.yAxis)}: ${range(points.map((p) => p[2]))}` }));
  }

  bars(box, config) {
    const metric = (config.metrics || [])[0];
    const values = this.summaryValues(metric);
    const top = Math.max(...values.map(([, v]) => Math.abs(v)), 0) || 1;
    box.append(el("div", { class: "panel-title", text: config.chartTitle || metric || "Bar chart" }),
      el("div", { class: "bars", role: "list" }, values.map(([run, value]) => {
        const bar = el("span", { class: "bar" });
        bar.style.width = `${Math.round((Math.abs(value) / top) * 100)}%`;
        bar.style.background = run.color;
        return el("div", { class: "bar-row", role: "listitem" }, el("span", { class: "bar-label", text: run.label }),
                  el("span", { class: "bar-track" }, bar), el("span", { class: "num", text: fmtNumber(value) }));
      })));
  }
}

// Grids load in reading order, a few at a time: the first screen's grids get the server
// first instead of sharing it with every grid further down.
const GRIDS_IN_FLIGHT = 2;

export async function drawPanelGrids(grids, ctx) {
  for (const { node } of grids) node.replaceChildren(el("span", { class: "spinner" }));
  const queue = [...grids];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      try {
        await new PanelGrid(next.node, next.block, next.path, ctx).load();
      } catch (error) {
        next.node.replaceChildren(el("div", { class: "error-box", text: String(error.message || error) }));
        next.node.dataset.state = "failed";
      }
    }
  };
  await Promise.all(Array.from({ length: GRIDS_IN_FLIGHT }, worker));
}
