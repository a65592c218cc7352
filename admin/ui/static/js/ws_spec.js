// The workspace's layout as wandb-workspaces writes it (a "project-view" spec: camelCase,
// section.panelBankConfig.sections[].panels[] with __id__, layout {x, y, w, h}, viewType and
// config), so a view saved from Python opens here and one arranged here loads in Python.
// Pure functions: no DOM.

export const GRID_COLUMNS = 24;
export const PANEL_W = 8, PANEL_H = 6;

export const PANEL_TYPES = {
  "Run History Line Plot": "Line plot",
  "Bar Chart": "Bar chart",
  "Scatter Plot": "Scatter plot",
  "Scalar Chart": "Scalar chart",
  "Parallel Coordinates Plot": "Parallel coordinates",
  "Media Browser": "Media",
  "Run Comparer": "Run comparer",
  "Markdown Panel": "Markdown",
};

export function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(36).padStart(2, "0")).join("").slice(0, 11);
}

export function sectionOf(key) {
  if (key.startsWith("system/") || key.startsWith("system.")) return "System";
  return key.includes("/") ? key.split("/", 1)[0] : "Charts";
}

// Panels placed left to right, three to a row (wandb's default 8 x 6 of 24 columns).
export function place(index) {
  const perRow = GRID_COLUMNS / PANEL_W;
  return { x: (index % perRow) * PANEL_W, y: Math.floor(index / perRow) * PANEL_H, w: PANEL_W, h: PANEL_H };
}

export function linePlot(metrics, layout, extra = {}) {
  return { __id__: newId(), layout, viewType: "Run History Line Plot",
           config: { metrics, ...extra } };
}

export function newSection(name, panels = [], isOpen = true) {
  return { __id__: newId(), name, isOpen, type: "grid",
           flowConfig: { snapToColumns: true, columnsPerPage: 3, rowsPerPage: 2, gutterWidth: 16,
                         boxWidth: 460, boxHeight: 300 },
           sorted: 0, localPanelSettings: { smoothingWeight: 0, smoothingType: "exponential",
                                            xAxis: "_step", ignoreOutliers: false,
                                            useRunsTableGroupingInPanels: true },
           panels };
}

// A workspace with one line plot per history key, in a section per key prefix.
export function defaultSpec(historyKeys) {
  const bySection = new Map();
  for (const key of historyKeys) {
    const name = sectionOf(key);
    if (!bySection.has(name)) bySection.set(name, []);
    bySection.get(name).push(key);
  }
  const names = [...bySection.keys()].sort((a, b) => (a === "Charts") - (b === "Charts") || a.localeCompare(b));
  const sections = names.map((name) => newSection(name, bySection.get(name).map((key, i) => linePlot([key], place(i)))));
  return wrapSections(sections);
}

export function wrapSections(sections) {
  return {
    section: {
      panelBankConfig: { state: 1, settings: { autoOrganizePrefix: 2, showEmptySections: false,
                                               sortAlphabetically: false }, sections },
      panelBankSectionConfig: { name: "Report Panels", isOpen: false, panels: [], type: "grid",
                                flowConfig: { snapToColumns: true, columnsPerPage: 3, rowsPerPage: 2,
                                              gutterWidth: 16, boxWidth: 460, boxHeight: 300 },
                                sorted: 0, localPanelSettings: { smoothingWeight: 0 } },
      customRunColors: {}, name: "", settings: { xAxis: "_step", smoothingWeight: 0 },
    },
    vizExpanded: false, libraryExpanded: true,
  };
}

export function sections(spec) { return spec.section.panelBankConfig.sections; }

// Keys no panel of the spec charts yet get a line plot in their prefix's section, so runs
// that log new metrics show them without anyone editing the layout.
export function addMissingKeys(spec, historyKeys) {
  const charted = new Set();
  for (const section of sections(spec)) {
    for (const panel of section.panels) for (const m of panel.config?.metrics || []) charted.add(m);
  }
  for (const key of historyKeys) {
    if (charted.has(key)) continue;
    const name = sectionOf(key);
    let section = sections(spec).find((s) => s.name === name);
    if (!section) { section = newSection(name); sections(spec).push(section); }
    const bottom = Math.max(0, ...section.panels.map((p) => (p.layout?.y || 0) + (p.layout?.h || PANEL_H)));
    const row = section.panels.filter((p) => (p.layout?.y || 0) === bottom - PANEL_H);
    const x = row.length && row.length < GRID_COLUMNS / PANEL_W ? row.length * PANEL_W : 0;
    const y = x ? bottom - PANEL_H : bottom;
    section.panels.push(linePlot([key], { x, y, w: PANEL_W, h: PANEL_H }));
  }
  return spec;
}

// The x axis names wandb stores ("_step", "_runtime", "_timestamp") and the page's own.
export function xAxisMode(name) {
  return { _step: "step", step: "step", Step: "step", _runtime: "runtime", runtime: "runtime",
           "Relative Time (Process)": "runtime", _timestamp: "time", "Wall Time": "time",
           time: "time" }[name || "_step"] || "metric";
}

export function xAxisName(mode, metric) {
  return { step: "_step", runtime: "_runtime", time: "_timestamp" }[mode] || metric;
}

// The y metrics of a line plot: its list, or the history keys its regex matches.
export function lineMetrics(config, historyKeys) {
  if (config.useMetricRegex && config.metricRegex) {
    let pattern;
    try { pattern = new RegExp(config.metricRegex); } catch (e) { return []; }
    return historyKeys.filter((k) => pattern.test(k)).slice(0, 8);
  }
  return (config.metrics || []).slice(0, 8);
}

// A run attribute named as wandb's panels name them: "config.lr.value", "config:lr.value",
// "c::lr", "summary_metrics.acc", "summary:acc", "run:state" or a bare metric (its summary).
export function parseAccessor(name) {
  const text = String(name || "");
  let m = text.match(/^config[.:](.+?)\.value(\..+)?$/);
  if (m) return { kind: "config", key: m[1] + (m[2] || "") };
  if (text.startsWith("c::")) return { kind: "config", key: text.slice(3) };
  if (text.startsWith("config:")) return { kind: "config", key: text.slice(7) };
  for (const prefix of ["summary_metrics.", "summary:", "summary."]) {
    if (text.startsWith(prefix)) return { kind: "summary", key: text.slice(prefix.length) };
  }
  if (text.startsWith("run:")) return { kind: "run", key: text.slice(4) };
  return { kind: "summary", key: text };
}

export function accessorColumn(name) {
  const a = parseAccessor(name);
  return a.kind === "run" ? null : `${a.kind}:${a.key}`;
}

export function accessorLabel(name) { return parseAccessor(name).key; }
