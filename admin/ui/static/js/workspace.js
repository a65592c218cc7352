// The project workspace: sections of panels on a grid (gridstack.js: drag, resize), drawn for
// the runs the sidebar makes visible, the layout kept as a wandb-workspaces view spec and
// saved through the views endpoints (the signed-in user's default workspace, or the named
// view opened with ?nw=).
import { el, pageData, getJSON, sendJSON, loadPref, savePref, HttpError } from "./ui.js";
import { RunsSidebar } from "./ws_runs.js";
import { createPanel, panelTitle } from "./ws_panels.js";
import { openEditor } from "./ws_editor.js";
import * as spec from "./ws_spec.js";

const data = pageData();
const GridStack = window.GridStack.GridStack || window.GridStack;
// Panels being fetched at once: the first screen comes first, the rest as it scrolls in.
const PARALLEL = 4;
const SAVE_DELAY_MS = 700;

const viewsApi = `${data.api}/views`;
const state = {
  spec: null, view: null, dirty: false,
  runs: [], groups: null,
  settings: loadPref(`workspace.settings.${data.entity}/${data.project}`, { smoothing: 0, band: true }),
  panels: new Map(),   // panel id -> {panel, node, body, drawn, made}
  grids: [],
};
const root = document.getElementById("ws-sections");
const status = document.getElementById("ws-save-state");
const nw = new URL(location.href).searchParams.get("nw");

// -- loading and saving the view ------------------------------------------------------------
async function loadView() {
  const name = nw || (data.signed_in ? "_default" : null);
  if (name) {
    try {
      const answer = await getJSON(`${viewsApi}/${encodeURIComponent(name)}`);
      state.view = answer.view;
      state.spec = answer.view.spec;
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 404) || nw) {
        status.textContent = nw ? `View not found: ${error.message}` : "";
      }
    }
  }
  if (!state.spec?.section?.panelBankConfig?.sections) state.spec = spec.defaultSpec(data.history_keys);
  else if (!nw) spec.addMissingKeys(state.spec, data.history_keys);
  const x = state.spec.section.settings?.xAxis;
  if (x) state.settings.xAxis = x;
  status.textContent = state.view && nw ? `View: ${state.view.display_name || state.view.name}` : status.textContent;
}

function canSave() { return data.signed_in && (!nw || data.can_save); }

let saveTimer = null;
function changed() {
  state.dirty = true;
  if (!canSave()) { status.textContent = data.signed_in ? "Changes are not saved (read-only project)" : "Sign in to keep changes"; return; }
  status.textContent = "Saving…";
  clearTimeout(saveTimer);
  saveTimer = setTimeout(save, SAVE_DELAY_MS);
}

async function save() {
  const name = nw || "_default";
  try {
    const answer = await sendJSON("PUT", `${viewsApi}/${encodeURIComponent(name)}`, {
      spec: state.spec, ...(state.view ? {} : { display_name: "Workspace" }) });
    state.view = answer.view;
    state.dirty = false;
    status.textContent = "Saved";
    document.body.dataset.saved = String(Date.now());
  } catch (error) {
    status.textContent = `Not saved: ${error.message}`;
  }
}

async function saveAs() {
  const name = prompt("Name of the new view");
  if (!name) return;
  try {
    const answer = await sendJSON("POST", viewsApi, { spec: state.spec, display_name: name });
    location.href = answer.view.url;
  } catch (error) { status.textContent = `Not saved: ${error.message}`; }
}

async function listViews() {
  const select = document.getElementById("ws-view");
  try {
    const answer = await getJSON(viewsApi);
    for (const view of answer.views.filter((v) => !v.personal)) {
      select.append(el("option", { value: view.nw, selected: view.nw === nw, text: view.display_name || view.name }));
    }
  } catch (error) { /* the list is a convenience; the workspace works without it */ }
  select.addEventListener("change", () => {
    const next = new URL(location.href);
    if (select.value) next.searchParams.set("nw", select.value); else next.searchParams.delete("nw");
    location.href = next.toString();
  });
}

// -- series for line panels: one request per panel, a few at a time -------------------------
const queue = [];
let active = 0;
function schedule(job) {
  return new Promise((resolve, reject) => { queue.push({ job, resolve, reject }); pump(); });
}
function pump() {
  while (active < PARALLEL && queue.length) {
    const { job, resolve, reject } = queue.shift();
    active += 1;
    job().then(resolve, reject).finally(() => { active -= 1; pump(); });
  }
}

function fetchSeries(node) {
  return async (metrics, settings) => {
    const width = node.clientWidth || 400;
    const params = new URLSearchParams({ runs: state.runs.map((r) => r.name).join(","), keys: metrics.join(","),
                                         x: settings.x === "metric" ? settings.xName : settings.x,
                                         points: String(Math.max(50, Math.min(300, Math.round(width / 3)))) });
    if (state.groups) params.set("groups", JSON.stringify(state.groups.map((g) => [g.label, g.runs])));
    const answer = await schedule(() => getJSON(`${data.api}/workspace/series?${params}`));
    if (!state.groups) return answer.series;
    const out = {};
    for (const [key, byGroup] of Object.entries(answer.groups)) {
      out[key] = {};
      for (const g of state.groups) {
        const s = byGroup[g.label];
        if (!s || !s.x.length) continue;
        const std = settings.area === "stddev";
        out[key][g.name] = { x: { step: s.x, runtime: s.x, time: s.x, metric: s.x }, y: s.y,
                             lo: std ? s.std_lo : s.lo, hi: std ? s.std_hi : s.hi };
      }
    }
    return out;
  };
}

// -- drawing --------------------------------------------------------------------------------
function context(item) {
  return {
    data, runs: state.runs,
    groups: state.groups && state.groups.map((g) => ({ ...g, label: `${g.label} (${g.runs.length})` })),
    xAxis: state.settings.xAxis || "_step", smoothing: state.settings.smoothing, band: state.settings.band,
    fetchSeries: fetchSeries(item.body),
    onDrawn: () => { item.body.dataset.state = "drawn"; markDrawn(); },
    onFailed: () => { item.body.dataset.state = "failed"; markDrawn(); },
    onEdit: () => changed(),
  };
}

function markDrawn() {
  if (!performance.getEntriesByName("roost:first-panel").length) performance.mark("roost:first-panel");
  const waiting = [...state.panels.values()].filter((p) => p.visible && !["drawn", "failed"].includes(p.body.dataset.state));
  if (!waiting.length && !performance.getEntriesByName("roost:screen-panels").length) {
    performance.mark("roost:screen-panels");
  }
}

function draw(item) {
  item.drawnFor = drawKey();
  item.body.dataset.state = "loading";
  item.body.replaceChildren(el("div", { class: "loading" }, el("span", { class: "spinner" })));
  try {
    const ctx = context(item);
    item.made = createPanel(item.body, item.panel, ctx);
    // Panels load asynchronously: a failed load shows its message instead of a spinner.
    Promise.resolve(item.made.loading).catch((error) => {
      item.body.replaceChildren(el("div", { class: "error-text", text: String(error.message || error) }));
      ctx.onFailed();
    });
  } catch (error) {
    item.body.replaceChildren(el("div", { class: "error-text", text: String(error.message || error) }));
  }
}

function drawKey() {
  return JSON.stringify([state.runs.map((r) => r.name), state.groups && state.groups.map((g) => g.runs),
                         state.settings.xAxis, state.settings.smoothing]);
}

const observer = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    const item = state.panels.get(entry.target.dataset.panel);
    if (!item) continue;
    item.visible = entry.isIntersecting;
    if (state.ready && entry.isIntersecting && item.drawnFor !== drawKey()) draw(item);
  }
}, { rootMargin: "200px 0px" });

function redrawAll() {
  for (const item of state.panels.values()) {
    if (item.visible) draw(item); else item.drawnFor = null;
  }
}

function panelItem(section, panel) {
  const body = el("div", { class: "ws-panel-body" });
  const title = el("span", { class: "name", text: panelTitle(panel), title: panelTitle(panel) });
  const head = el("div", { class: "ws-panel-head" }, title,
    el("button", { type: "button", class: "small ghost", "aria-label": `Edit panel ${panelTitle(panel)}`, title: "Edit",
                   onclick: () => openEditor(document.getElementById("ws-editor"), editorKeys(), panel, (edited) => {
                     Object.assign(panel, edited);
                     title.textContent = panelTitle(panel);
                     draw(state.panels.get(panel.__id__));
                     changed();
                   }) }, "✎"),
    el("button", { type: "button", class: "small ghost", "aria-label": `Delete panel ${panelTitle(panel)}`, title: "Delete",
                   onclick: () => removePanel(section, panel) }, "✕"));
  const content = el("div", { class: "grid-stack-item-content ws-panel", dataset: { panel: panel.__id__, type: panel.viewType } }, head, body);
  // A "flow" section (wandb-workspaces writes them) flows its panels in order, whatever
  // their layout says; moving one makes it a grid of the positions shown.
  const layout = section.type === "flow" ? spec.place(section.panels.indexOf(panel)) : (panel.layout || spec.place(0));
  const node = el("div", { class: "grid-stack-item", "gs-id": panel.__id__, "gs-x": layout.x ?? 0, "gs-y": layout.y ?? 0,
                           "gs-w": layout.w || spec.PANEL_W, "gs-h": layout.h || spec.PANEL_H }, content);
  const item = { panel, node, body, section, visible: false, drawnFor: null };
  state.panels.set(panel.__id__, item);
  observer.observe(content);
  return node;
}

function removePanel(section, panel) {
  const item = state.panels.get(panel.__id__);
  section.panels.splice(section.panels.indexOf(panel), 1);
  item.grid.removeWidget(item.node);
  state.panels.delete(panel.__id__);
  changed();
}

function editorKeys() {
  return { history: data.history_keys, config: data.config_keys, summary: data.summary_keys, media: data.media_keys };
}

function renderSection(section, index) {
  const grid = el("div", { class: "grid-stack" });
  const count = el("span", { class: "count", text: String(section.panels.length) });
  const name = el("span", { class: "ws-section-name", text: section.name || "Panels" });
  const box = el("details", { class: "ws-section", open: section.isOpen !== false, dataset: { section: section.name } },
    el("summary", {}, name, count,
       el("span", { class: "grow" }),
       el("button", { type: "button", class: "small", onclick: (e) => { e.preventDefault(); addPanel(section); } }, "+ Panel"),
       el("button", { type: "button", class: "small ghost", "aria-label": `Rename section ${section.name}`, title: "Rename",
                      onclick: (e) => { e.preventDefault(); const next = prompt("Section name", section.name);
                                        if (next) { section.name = next; name.textContent = next; changed(); } } }, "✎"),
       el("button", { type: "button", class: "small ghost", "aria-label": `Move section ${section.name} up`, title: "Move up",
                      disabled: index === 0, onclick: (e) => { e.preventDefault(); moveSection(index, -1); } }, "↑"),
       el("button", { type: "button", class: "small ghost", "aria-label": `Delete section ${section.name}`, title: "Delete section",
                      onclick: (e) => { e.preventDefault(); if (confirm(`Delete the section ${section.name} and its panels?`)) deleteSection(index); } }, "✕")),
    grid);
  box.addEventListener("toggle", () => {
    if (section.isOpen === box.open) return;
    section.isOpen = box.open;
    changed();
  });
  root.append(box);
  for (const panel of section.panels) grid.append(panelItem(section, panel));
  const stack = GridStack.init({ column: spec.GRID_COLUMNS, cellHeight: 40, margin: 4, float: false,
                                 handle: ".ws-panel-head", resizable: { handles: "se" }, animate: false }, grid);
  for (const panel of section.panels) state.panels.get(panel.__id__).grid = stack;
  stack.on("change", () => {
    if (!section.userChanged) return;  // gridstack settling the loaded layout is no edit
    for (const node of stack.engine.nodes) {
      const item = state.panels.get(String(node.id));
      if (item) item.panel.layout = { x: node.x, y: node.y, w: node.w, h: node.h };
    }
    section.type = "grid";
    changed();
  });
  for (const name of ["dragstart", "resizestart", "added", "removed"]) {
    stack.on(name, () => { section.userChanged = true; });
  }
  stack.on("resizestop", (event, node) => {
    const item = state.panels.get(node.getAttribute("gs-id"));
    setTimeout(() => item?.made?.resize?.(), 0);
  });
  // Page state on the section object, never saved with it.
  Object.defineProperty(section, "grid", { value: stack, enumerable: false, writable: true, configurable: true });
  Object.defineProperty(section, "userChanged", { value: false, enumerable: false, writable: true, configurable: true });
  count.dataset.grid = "1";
}

function renderBoard() {
  for (const item of state.panels.values()) observer.unobserve(item.node.firstChild);
  state.panels.clear();
  for (const section of spec.sections(state.spec)) section.grid?.destroy(false);
  root.replaceChildren();
  spec.sections(state.spec).forEach(renderSection);
  if (!spec.sections(state.spec).length) {
    root.append(el("div", { class: "panel empty", text: "No panels yet: the runs of this project have logged no metrics. Add a section or a panel." }));
  }
}

function addPanel(section) {
  openEditor(document.getElementById("ws-editor"), editorKeys(), null, (panel) => {
    const bottom = Math.max(0, ...section.panels.map((p) => (p.layout?.y || 0) + (p.layout?.h || spec.PANEL_H)));
    panel.layout = { x: 0, y: bottom, w: spec.PANEL_W, h: spec.PANEL_H };
    section.panels.push(panel);
    const node = panelItem(section, panel);
    section.grid.el.append(node);
    section.grid.makeWidget(node);
    state.panels.get(panel.__id__).grid = section.grid;
    changed();
  });
}

function moveSection(index, delta) {
  const list = spec.sections(state.spec);
  const [moved] = list.splice(index, 1);
  list.splice(Math.max(0, index + delta), 0, moved);
  renderBoard();
  changed();
}

function deleteSection(index) {
  spec.sections(state.spec).splice(index, 1);
  renderBoard();
  changed();
}

// -- toolbar -------------------------------------------------------------------------------------
function setupToolbar() {
  const xSelect = document.getElementById("ws-x");
  for (const [value, label] of [["_step", "Step"], ["_runtime", "Runtime"], ["_timestamp", "Wall time"],
                                ...data.history_keys.map((k) => [k, k])]) {
    xSelect.append(el("option", { value, text: label, selected: value === (state.settings.xAxis || "_step") }));
  }
  xSelect.addEventListener("change", () => {
    state.settings.xAxis = xSelect.value;
    state.spec.section.settings = { ...(state.spec.section.settings || {}), xAxis: xSelect.value };
    savePref(`workspace.settings.${data.entity}/${data.project}`, state.settings);
    redrawAll();
    changed();
  });
  const smoothing = document.getElementById("ws-smoothing");
  smoothing.value = state.settings.smoothing || 0;
  smoothing.addEventListener("change", () => {
    state.settings.smoothing = Number(smoothing.value);
    savePref(`workspace.settings.${data.entity}/${data.project}`, state.settings);
    redrawAll();
  });
  const filter = document.getElementById("ws-panel-filter");
  filter.addEventListener("input", () => {
    const text = filter.value.trim().toLowerCase();
    for (const item of state.panels.values()) {
      const hit = !text || panelTitle(item.panel).toLowerCase().includes(text);
      item.node.classList.toggle("hidden", !hit);
    }
  });
  document.getElementById("ws-add-section").addEventListener("click", () => {
    const name = prompt("Section name");
    if (!name) return;
    spec.sections(state.spec).unshift(spec.newSection(name));
    renderBoard();
    changed();
  });
  document.getElementById("ws-save-as")?.addEventListener("click", saveAs);
}

// -- start -----------------------------------------------------------------------------------
async function start() {
  await loadView();
  setupToolbar();
  renderBoard();
  listViews();
  const sidebar = new RunsSidebar(data, ({ runs, groups }) => {
    state.runs = runs;
    state.groups = groups;
    state.ready = true;
    redrawAll();
  });
  await sidebar.reload();
}

start();
