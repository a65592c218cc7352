// The panel editor: a dialog to add a panel or change one. It edits the panel's config in
// wandb's spec fields (metrics, xAxis, metricRegex, yLogScale, groupArea, ...), so what it
// writes is what wandb-workspaces reads back.
import { el } from "./ui.js";
import { PANEL_TYPES, newId, PANEL_W, PANEL_H } from "./ws_spec.js";

const LINE_X = [["_step", "Step"], ["_runtime", "Runtime"], ["_timestamp", "Wall time"]];

function field(label, control) {
  return el("label", { class: "ws-field" }, el("span", { class: "muted", text: label }), control);
}

function select(name, options, value, multiple = false) {
  const chosen = new Set(Array.isArray(value) ? value : [value]);
  return el("select", { name, multiple, size: multiple ? 6 : undefined, "aria-label": name },
    options.map(([v, label]) => el("option", { value: v, selected: chosen.has(v), text: label })));
}

function values(form, name) {
  const node = form.elements[name];
  if (!node) return [];
  return [...node.selectedOptions].map((o) => o.value);
}

// keys: {history, config, summary, media}
export function openEditor(dialog, keys, panel, onSave) {
  const editing = !!panel;
  const draft = panel ? structuredClone(panel) : { __id__: newId(), layout: { x: 0, y: 0, w: PANEL_W, h: PANEL_H },
                                                   viewType: "Run History Line Plot", config: { metrics: [] } };
  const summaryAccessors = keys.summary.map((k) => [`summary:${k}`, k]);
  const configAccessors = keys.config.map((k) => [`c::${k}`, `config.${k}`]);
  const history = keys.history.map((k) => [k, k]);

  const form = el("form", { method: "dialog", class: "ws-editor-form" });
  const fields = el("div", { class: "ws-fields" });
  const typeSelect = select("type", Object.entries(PANEL_TYPES), draft.viewType);
  typeSelect.disabled = editing;
  typeSelect.addEventListener("change", () => { draft.viewType = typeSelect.value; draft.config = {}; renderFields(); });

  function renderFields() {
    const c = draft.config;
    const parts = [field("Title", el("input", { name: "chartTitle", type: "text", value: c.chartTitle || "", placeholder: "automatic" }))];
    switch (draft.viewType) {
      case "Run History Line Plot":
        parts.push(
          field("Y metrics", select("metrics", history, c.metrics || [], true)),
          field("or a regex over metric names", el("input", { name: "metricRegex", type: "text", value: c.useMetricRegex ? c.metricRegex || "" : "", placeholder: "train/.*" })),
          field("X axis", select("xAxis", [["", "Workspace setting"], ...LINE_X, ...history], c.xAxis || "")),
          field("Smoothing (0 to 0.99)", el("input", { name: "smoothingWeight", type: "number", min: 0, max: 0.99, step: 0.01, value: c.smoothingWeight ?? "" })),
          field("Band of grouped runs", select("groupArea", [["minmax", "min/max"], ["stddev", "std dev"], ["none", "none"]], c.groupArea || "minmax")),
          el("label", { class: "check" }, el("input", { type: "checkbox", name: "yLogScale", checked: !!c.yLogScale }), " Log scale (y)"),
          el("label", { class: "check" }, el("input", { type: "checkbox", name: "legend", checked: c.legend !== false }), " Legend"));
        break;
      case "Bar Chart": case "Scalar Chart":
        parts.push(field("Metric", select("metric", summaryAccessors, (c.metrics || [])[0] || "")));
        break;
      case "Scatter Plot":
        parts.push(field("X", select("xAxis", [...configAccessors, ...summaryAccessors], c.xAxis || "")),
                   field("Y", select("yAxis", [...summaryAccessors, ...configAccessors], c.yAxis || "")));
        break;
      case "Parallel Coordinates Plot":
        parts.push(field("Columns (the last one colours the lines)", select("columns", [...configAccessors, ...summaryAccessors],
                                                                           (c.columns || []).map((col) => col.accessor), true)));
        break;
      case "Media Browser":
        parts.push(field("Media key", select("mediaKey", keys.media.map((m) => [m.key, `${m.key} (${m.type})`]), (c.mediaKeys || [])[0] || "")));
        break;
      case "Run Comparer":
        parts.push(el("label", { class: "check" }, el("input", { type: "checkbox", name: "diffOnly", checked: c.diffOnly !== false }), " Only differences"));
        break;
      case "Markdown Panel":
        parts.push(field("Markdown", el("textarea", { name: "value", rows: 8, text: c.value || "" })));
        break;
      default:
        parts.push(el("p", { class: "muted", text: "Roost keeps this panel but cannot edit it." }));
    }
    fields.replaceChildren(...parts);
  }

  function read() {
    const f = form.elements;
    const c = { ...draft.config };
    const text = (name) => (f[name] ? f[name].value.trim() : "");
    if (text("chartTitle")) c.chartTitle = text("chartTitle"); else delete c.chartTitle;
    switch (draft.viewType) {
      case "Run History Line Plot": {
        c.metrics = values(form, "metrics");
        const regex = text("metricRegex");
        if (regex) { c.metricRegex = regex; c.useMetricRegex = true; } else { delete c.metricRegex; delete c.useMetricRegex; }
        if (text("xAxis")) c.xAxis = text("xAxis"); else delete c.xAxis;
        if (text("smoothingWeight") !== "") c.smoothingWeight = Math.min(0.99, Math.max(0, Number(text("smoothingWeight")) || 0));
        else delete c.smoothingWeight;
        c.groupArea = text("groupArea") || "minmax";
        c.yLogScale = f.yLogScale.checked;
        c.legend = f.legend.checked;
        if (!c.metrics.length && !c.useMetricRegex) return "choose a metric or give a regex";
        if (c.useMetricRegex) { try { new RegExp(regex); } catch (e) { return `the regex does not parse: ${e.message}`; } }
        break;
      }
      case "Bar Chart": case "Scalar Chart":
        c.metrics = [text("metric")].filter(Boolean);
        if (!c.metrics.length) return "choose a metric";
        break;
      case "Scatter Plot":
        c.xAxis = text("xAxis"); c.yAxis = text("yAxis");
        if (!c.xAxis || !c.yAxis) return "choose x and y";
        break;
      case "Parallel Coordinates Plot":
        c.columns = values(form, "columns").map((accessor) => ({ accessor }));
        if (c.columns.length < 2) return "choose two columns or more";
        break;
      case "Media Browser":
        c.mediaKeys = [text("mediaKey")].filter(Boolean);
        if (!c.mediaKeys.length) return "choose a media key";
        break;
      case "Run Comparer":
        c.diffOnly = f.diffOnly.checked ? "split" : false;
        break;
      case "Markdown Panel":
        c.value = f.value.value;
        break;
      default:
    }
    draft.config = c;
    return null;
  }

  const problem = el("div", { class: "error-text", role: "alert" });
  form.append(
    el("h2", { text: editing ? "Edit panel" : "Add panel" }),
    field("Type", typeSelect), fields, problem,
    el("div", { class: "row" }, el("span", { class: "grow" }),
       el("button", { type: "button", class: "small", onclick: () => dialog.close() }, "Cancel"),
       el("button", { type: "submit", class: "small primary" }, editing ? "Save" : "Add")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const error = read();
    if (error) { problem.textContent = error; return; }
    dialog.close();
    onSave(draft);
  });
  renderFields();
  dialog.replaceChildren(form);
  dialog.showModal();
}
