// The workspace's panel types, each drawn into a grid cell from the visible runs (or groups):
// line plot (the shared MetricChart), bar, scatter, scalar, parallel coordinates, media,
// run comparer and markdown. A panel type Roost does not draw is kept in the layout and
// shown as a named placeholder.
import { el, fmtNumber, fmtValue, getJSON } from "./ui.js";
import { MetricChart, tickLabels } from "./chart.js";
import { PALETTE, hash } from "./colors.js";
import { ParallelCoordinates } from "./sweep_parcoords.js";
import { renderMarkdown } from "./report_render.js";
import { PANEL_TYPES, accessorColumn, accessorLabel, lineMetrics, parseAccessor, xAxisMode } from "./ws_spec.js";

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  for (const child of children) if (child) node.append(child);
  return node;
}

export function panelTitle(panel) {
  const c = panel.config || {};
  if (c.chartTitle) return c.chartTitle;
  switch (panel.viewType) {
    case "Run History Line Plot":
      return c.useMetricRegex && c.metricRegex ? `/${c.metricRegex}/` : (c.metrics || []).join(", ") || "Line plot";
    case "Bar Chart": case "Scalar Chart": return (c.metrics || []).map(accessorLabel).join(", ") || PANEL_TYPES[panel.viewType];
    case "Scatter Plot": return `${accessorLabel(c.yAxis) || "y"} vs ${accessorLabel(c.xAxis) || "x"}`;
    case "Media Browser": return (c.mediaKeys || []).join(", ") || "Media";
    default: return PANEL_TYPES[panel.viewType] || panel.viewType || "Panel";
  }
}

// Config/summary values of the visible runs, one request for what a panel needs.
export async function runValues(ctx, accessors) {
  const columns = [...new Set(accessors.map(accessorColumn).filter(Boolean))].slice(0, 100);
  const names = ctx.runs.map((r) => r.name);
  if (!names.length) return [];
  const params = new URLSearchParams({ first: "200", order: "-created_at", cols: columns.join(","),
                                       filters: JSON.stringify({ name: { $in: names } }) });
  const page = await getJSON(`${ctx.data.api}/runs?${params}`);
  const byName = new Map(page.runs.map((r) => [r.name, r]));
  return ctx.runs.filter((r) => byName.has(r.name)).map((r) => ({ ...r, row: byName.get(r.name) }));
}

function valueOf(row, accessor) {
  const a = parseAccessor(accessor);
  if (a.kind === "run") return row[a.key];
  return row.values?.[`${a.kind}:${a.key}`];
}

function numeric(v) { return typeof v === "number" && Number.isFinite(v) ? v : null; }

// -- line plot -------------------------------------------------------------------------------
class LinePanel {
  constructor(body, panel, ctx) {
    this.body = body; this.panel = panel;
    this.loading = this.update(ctx);
  }

  entries(ctx, metrics) {
    const series = ctx.groups || ctx.runs;
    const out = [];
    metrics.forEach((metric, mi) => {
      for (const s of series) {
        const color = metrics.length > 1 && mi > 0 ? PALETTE[(hash(s.name) + mi * 5) % PALETTE.length] : s.color;
        out.push({ name: `${s.name}\u241f${metric}`, source: s.name, metric, color,
                   label: metrics.length > 1 ? `${s.label} · ${metric}` : s.label });
      }
    });
    return out;
  }

  settings(ctx) {
    const c = this.panel.config;
    const xName = c.xAxis || ctx.xAxis;
    const area = c.groupArea || "minmax";
    return { x: xAxisMode(xName), xName, smoothing: c.smoothingWeight ?? ctx.smoothing,
             log: !!c.yLogScale, band: ctx.groups ? area !== "none" : ctx.band, area };
  }

  async update(ctx) {
    const metrics = lineMetrics(this.panel.config, ctx.data.history_keys);
    const settings = this.settings(ctx);
    const entries = this.entries(ctx, metrics);
    this.body.replaceChildren();
    if (!metrics.length) { this.body.append(el("div", { class: "empty muted", text: "No metric matches this panel." })); return; }
    if (!entries.length) { this.body.append(el("div", { class: "empty muted", text: "No visible runs." })); return; }
    const holder = el("div", { class: "ws-chart" });
    this.body.append(holder);
    const chart = new MetricChart(holder, {
      key: metrics.join(","), title: "", runs: entries, settings,
      fetchRange: async () => Object.fromEntries(chart.full),  // zoom within what is loaded
    });
    this.chart = chart;
    chart.node.querySelector(".chart-title").classList.add("hidden");
    if (this.panel.config.legend !== false && entries.length <= 20) {
      this.body.append(el("div", { class: "ws-legend" }, entries.map((e) => {
        const sw = el("span", { class: "swatch" }); sw.style.background = e.color;
        return el("span", { class: "item", title: e.label }, sw, e.label);
      })));
    }
    try {
      const answer = await ctx.fetchSeries(metrics, settings, entries);
      for (const e of entries) {
        const s = answer[e.metric]?.[e.source];
        if (s) chart.full.set(e.name, s);
      }
      if (!chart.full.size) chart.fail("no values for these runs");
      else chart.render();
      // What the panel drew, for tests and benchmarks: series, x axis, series with a band.
      const drawn = [...chart.full.entries()];
      this.body.dataset.series = drawn.map(([name]) => name.split("\u241f")[0]).join("|");
      this.body.dataset.x = settings.x === "metric" ? settings.xName : settings.x;
      this.body.dataset.bands = String(drawn.filter(([, s]) => s.lo.some((lo, i) => lo !== null && lo < s.hi[i])).length);
      ctx.onDrawn?.(this);
    } catch (error) {
      chart.fail(error.message || String(error));
      ctx.onFailed?.(this);
    }
  }

  resize() { this.chart?.resize(); }
}

// -- bar and scalar --------------------------------------------------------------------------
async function groupedValues(ctx, accessor) {
  const runs = await runValues(ctx, [accessor]);
  const values = runs.map((r) => ({ ...r, value: numeric(valueOf(r.row, accessor)) })).filter((r) => r.value !== null);
  if (!ctx.groups) return values;
  return ctx.groups.map((g) => {
    const inside = values.filter((v) => g.runs.includes(v.name)).map((v) => v.value);
    if (!inside.length) return null;
    return { name: g.name, label: g.label, color: g.color, value: inside.reduce((a, b) => a + b, 0) / inside.length,
             min: Math.min(...inside), max: Math.max(...inside) };
  }).filter(Boolean);
}

class BarPanel {
  constructor(body, panel, ctx) { this.body = body; this.panel = panel; this.loading = this.update(ctx); }

  async update(ctx) {
    const accessor = (this.panel.config.metrics || [])[0];
    if (!accessor) { this.body.replaceChildren(el("div", { class: "empty muted", text: "Choose a metric." })); return; }
    const values = await groupedValues(ctx, accessor);
    const top = Math.max(1e-300, ...values.map((v) => Math.abs(v.max ?? v.value)));
    this.body.replaceChildren(el("div", { class: "ws-bars" }, values.map((v) => {
      const bar = el("span", { class: "bar" });
      bar.style.width = `${Math.max(0.5, (Math.abs(v.value) / top) * 100)}%`;
      bar.style.background = v.color;
      return el("div", { class: "ws-bar", dataset: { run: v.name } },
        el("span", { class: "label", title: v.label, text: v.label }),
        el("span", { class: "track" }, bar),
        el("span", { class: "value num", text: fmtNumber(v.value) }));
    })), values.length ? null : el("div", { class: "empty muted", text: `No run has ${accessorLabel(accessor)}.` }));
    ctx.onDrawn?.(this);
  }
}

class ScalarPanel {
  constructor(body, panel, ctx) { this.body = body; this.panel = panel; this.loading = this.update(ctx); }

  async update(ctx) {
    const accessor = (this.panel.config.metrics || [])[0];
    if (!accessor) { this.body.replaceChildren(el("div", { class: "empty muted", text: "Choose a metric." })); return; }
    const runs = await runValues(ctx, [accessor]);
    const values = runs.map((r) => numeric(valueOf(r.row, accessor))).filter((v) => v !== null);
    const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
    this.body.replaceChildren(el("div", { class: "ws-scalar" },
      el("strong", { class: "num", text: mean === null ? "—" : fmtNumber(mean) }),
      el("span", { class: "muted", text: values.length > 1 ? `mean of ${values.length} runs` : accessorLabel(accessor) })));
    ctx.onDrawn?.(this);
  }
}

// -- scatter ---------------------------------------------------------------------------------
class ScatterPanel {
  constructor(body, panel, ctx) { this.body = body; this.panel = panel; this.loading = this.update(ctx); }

  async update(ctx) {
    const { xAxis, yAxis } = this.panel.config;
    if (!xAxis || !yAxis) { this.body.replaceChildren(el("div", { class: "empty muted", text: "Choose x and y." })); return; }
    const runs = await runValues(ctx, [xAxis, yAxis]);
    this.points = runs.map((r) => ({ ...r, x: numeric(valueOf(r.row, xAxis)), y: numeric(valueOf(r.row, yAxis)) }))
      .filter((p) => p.x !== null && p.y !== null);
    this.draw();
    ctx.onDrawn?.(this);
  }

  draw() {
    const width = Math.max(200, this.body.clientWidth || 360), height = Math.max(120, (this.body.clientHeight || 220) - 4);
    const m = { l: 52, r: 12, t: 10, b: 26 };
    const pts = this.points || [];
    if (!pts.length) { this.body.replaceChildren(el("div", { class: "empty muted", text: "No run has both values." })); return; }
    const ext = (k) => { let lo = Math.min(...pts.map((p) => p[k])), hi = Math.max(...pts.map((p) => p[k]));
      if (lo === hi) { lo -= 1; hi += 1; } return [lo, hi]; };
    const [x0, x1] = ext("x"), [y0, y1] = ext("y");
    const sx = (v) => m.l + ((v - x0) / (x1 - x0)) * (width - m.l - m.r);
    const sy = (v) => height - m.b - ((v - y0) / (y1 - y0)) * (height - m.t - m.b);
    const ticks = (lo, hi) => [lo, lo + (hi - lo) / 2, hi];
    const root = svg("svg", { width, height, class: "ws-scatter", role: "img", "aria-label": "Scatter plot" });
    const xt = ticks(x0, x1), yt = ticks(y0, y1);
    tickLabels(xt).forEach((t, i) => root.append(svg("text", { x: sx(xt[i]), y: height - 8, "text-anchor": "middle" }, document.createTextNode(t))));
    tickLabels(yt).forEach((t, i) => root.append(svg("text", { x: m.l - 6, y: sy(yt[i]) + 4, "text-anchor": "end" }, document.createTextNode(t))));
    root.append(svg("line", { x1: m.l, y1: height - m.b, x2: width - m.r, y2: height - m.b, class: "axis" }));
    root.append(svg("line", { x1: m.l, y1: m.t, x2: m.l, y2: height - m.b, class: "axis" }));
    for (const p of pts) {
      const dot = svg("circle", { cx: sx(p.x), cy: sy(p.y), r: 4, fill: p.color, "data-run": p.name });
      dot.append(svg("title", {}, document.createTextNode(`${p.label}: ${fmtNumber(p.x)}, ${fmtNumber(p.y)}`)));
      root.append(dot);
    }
    this.body.replaceChildren(root);
  }

  resize() { this.draw(); }
}

// -- parallel coordinates (the sweep page's chart) ------------------------------------------
class ParallelPanel {
  constructor(body, panel, ctx) {
    this.body = body; this.panel = panel;
    this.root = el("div", { class: "ws-parcoords" });
    this.chart = new ParallelCoordinates(this.root, { onOpen: (run) => { location.href = ctx.data.run_base + encodeURIComponent(run.name); } });
    this.loading = this.update(ctx);
  }

  async update(ctx) {
    const columns = (this.panel.config.columns || []).map((c) => c.accessor).filter(Boolean);
    if (columns.length < 2) { this.body.replaceChildren(el("div", { class: "empty muted", text: "Choose two columns or more." })); return; }
    const runs = await runValues(ctx, columns);
    const params = columns.slice(0, -1);
    const metric = columns[columns.length - 1];
    const axes = params.map((accessor) => {
      const values = runs.map((r) => valueOf(r.row, accessor)).filter((v) => v !== null && v !== undefined);
      if (values.length && values.every((v) => typeof v === "number")) {
        return { name: accessor, kind: "numeric", log: false, integer: values.every(Number.isInteger),
                 min: Math.min(...values), max: Math.max(...values) };
      }
      return { name: accessor, kind: "categorical", log: false, integer: false,
               categories: [...new Set(values.map((v) => (typeof v === "object" ? JSON.stringify(v) : v)))] };
    });
    const label = (accessor) => accessorLabel(accessor);
    this.body.replaceChildren(this.root);
    this.chart.setData({
      axes: axes.map((a) => ({ ...a, name: label(a.name) })),
      metric: { name: label(metric), goal: "minimize" },
      runs: runs.map((r) => ({ name: r.name, display_name: r.label,
                               params: Object.fromEntries(params.map((p) => [label(p), valueOf(r.row, p) ?? null])),
                               metric: numeric(valueOf(r.row, metric)) })),
    });
    ctx.onDrawn?.(this);
  }

  resize() { this.chart.render(); }
}

// -- media: the runs' images side by side, a slider over steps ------------------------------
class MediaPanel {
  constructor(body, panel, ctx) { this.body = body; this.panel = panel; this.loading = this.update(ctx); }

  async update(ctx) {
    const key = (this.panel.config.mediaKeys || [])[0];
    if (!key) { this.body.replaceChildren(el("div", { class: "empty muted", text: "Choose a media key." })); return; }
    const runs = ctx.runs.slice(0, 8);
    const answers = await Promise.all(runs.map((r) => getJSON(`${ctx.data.api}/runs/${encodeURIComponent(r.name)}/media?key=${encodeURIComponent(key)}`)
      .then((a) => a.entries).catch(() => [])));
    const steps = [...new Set(answers.flat().map((e) => e.step))].filter((s) => s !== null).sort((a, b) => a - b);
    if (!steps.length) { this.body.replaceChildren(el("div", { class: "empty muted", text: `No visible run logged ${key}.` })); return; }
    const grid = el("div", { class: "ws-media" });
    const label = el("span", { class: "mono" });
    const slider = el("input", { type: "range", min: 0, max: steps.length - 1, value: steps.length - 1, "aria-label": "Step" });
    const show = () => {
      const step = steps[Number(slider.value)];
      label.textContent = `step ${step}`;
      grid.replaceChildren(...runs.map((run, i) => {
        const entries = answers[i].filter((e) => e.step <= step);
        const entry = entries[entries.length - 1];
        const value = entry?.value || {};
        const url = value.url || (value.urls || [])[0];
        const caption = Array.isArray(value.captions) ? value.captions[0] : value.caption;
        const swatch = el("span", { class: "swatch" }); swatch.style.background = run.color;
        return el("figure", { dataset: { run: run.name } },
          url ? el("img", { src: url, alt: `${key} of ${run.label} at step ${entry.step}`, loading: "lazy" })
              : el("div", { class: "empty muted", text: "—" }),
          el("figcaption", {}, swatch, run.label, caption ? el("span", { class: "faint", text: ` ${caption}` }) : null));
      }));
    };
    slider.addEventListener("input", show);
    this.body.replaceChildren(el("div", { class: "row ws-media-steps" }, slider, label), grid);
    show();
    ctx.onDrawn?.(this);
  }
}

// -- run comparer: config and summary side by side, differences first -----------------------
class ComparerPanel {
  constructor(body, panel, ctx) { this.body = body; this.panel = panel; this.loading = this.update(ctx); }

  async update(ctx) {
    const keys = [...ctx.data.config_keys.slice(0, 50).map((k) => `config:${k}`),
                  ...ctx.data.summary_keys.slice(0, 50).map((k) => `summary:${k}`)];
    const runs = (await runValues(ctx, keys.map((k) => (k.startsWith("config:") ? `c::${k.slice(7)}` : k)))).slice(0, 12);
    const diffOnly = this.panel.config.diffOnly !== false && this.panel.config.diffOnly !== null;
    const rows = keys.map((k) => [k, runs.map((r) => r.row.values?.[k])]).filter(([, vs]) => {
      const texts = new Set(vs.map((v) => JSON.stringify(v ?? null)));
      return vs.some((v) => v !== undefined && v !== null) && (!diffOnly || texts.size > 1);
    });
    const head = el("tr", {}, el("th", { text: "Key" }), runs.map((r) => {
      const sw = el("span", { class: "swatch" }); sw.style.background = r.color;
      return el("th", { title: r.label }, sw, r.label);
    }));
    const toggle = el("label", { class: "check" }, el("input", { type: "checkbox", checked: diffOnly, onchange: (e) => {
      this.panel.config.diffOnly = e.target.checked ? "split" : false; this.update(ctx); ctx.onEdit?.(); } }), " Only differences");
    this.body.replaceChildren(toggle, el("div", { class: "table-scroll" }, el("table", { class: "data ws-comparer" },
      el("thead", {}, head),
      el("tbody", {}, rows.map(([k, vs]) => el("tr", {}, el("td", { class: "mono", text: k.replace(":", ".") }),
        vs.map((v) => el("td", { class: typeof v === "number" ? "num" : "", text: fmtValue(v) }))))))));
    ctx.onDrawn?.(this);
  }
}

// -- markdown: rendered as report blocks are (report_render.js: markdown-it with raw HTML
// off, so HTML written in it stays text, then DOMPurify) -----------------------------------
class MarkdownPanel {
  constructor(body, panel, ctx) { this.body = body; this.panel = panel; this.loading = this.update(ctx); }

  update(ctx) {
    const node = renderMarkdown(el("div", { class: "ws-markdown prose" }), this.panel.config.value);
    for (const link of node.querySelectorAll("a[href]")) link.target = "_blank";
    this.body.replaceChildren(node);
    ctx.onDrawn?.(this);
  }
}

class UnknownPanel {
  constructor(body, panel) {
    body.replaceChildren(el("div", { class: "empty muted",
      text: `“${panel.viewType || "unnamed"}” panels are kept in this view but not drawn by Roost yet.` }));
  }
  update() {}
}

const KINDS = {
  "Run History Line Plot": LinePanel, "Bar Chart": BarPanel, "Scalar Chart": ScalarPanel,
  "Scatter Plot": ScatterPanel, "Parallel Coordinates Plot": ParallelPanel, "Media Browser": MediaPanel,
  "Run Comparer": ComparerPanel, "Markdown Panel": MarkdownPanel,
};

export function createPanel(body, panel, ctx) {
  const Kind = KINDS[panel.viewType] || UnknownPanel;
  const made = new Kind(body, panel, ctx);
  return made;
}

