// The runs table: columns (choose, reorder, hide), sort and filters evaluated by the server
// (the Public API's filter language), group by a config value, paging, selection.
import { el, pageData, getJSON, sendJSON, showError, fmtValue, fmtDuration, fmtAgo,
         fmtDate, loadPref, savePref } from "./ui.js";
import { runColor } from "./colors.js";
import * as query from "./runs_query.js";
import { renderFilterEditor } from "./filter_editor.js";

const data = pageData();
const PAGE_SIZES = [25, 50, 100, 200];
const { splitColumn } = query;
const defaultColumns = () => query.defaultColumns(data);
const allColumns = () => query.allColumns(data);
const columnLabel = (column) => query.columnLabel(data, column);
const columnOrder = (column) => query.columnOrder(data, column);
const mongoFilters = (extra) => query.mongoFilters(state, extra);
const url = new URL(location.href);
const prefKey = `columns.${data.entity}/${data.project}`;
const state = {
  search: url.searchParams.get("q") || "",
  filters: parseJSON(url.searchParams.get("f"), []),
  order: url.searchParams.get("order") || "-created_at",
  group: url.searchParams.get("group") || "",
  columns: url.searchParams.get("cols") ? url.searchParams.get("cols").split(",")
    : loadPref(prefKey, defaultColumns()),
  pageSize: Number(loadPref("pageSize", 50)) || 50,
  cursors: [""],   // cursor of each page seen, for "previous"
  page: 0,
  selected: new Set(parseJSON(sessionStorage.getItem(`selected.${data.entity}/${data.project}`), [])),
  expanded: new Map(),  // group index -> {runs, cursor, hasNext}
  total: null,
  rows: [],
};

function parseJSON(text, fallback) {
  try { return text ? JSON.parse(text) : fallback; } catch (e) { return fallback; }
}

// -- the query the server evaluates ------------------------------------------------------------
function saveState() {
  const next = new URL(location.href);
  const set = (k, v) => { if (v) next.searchParams.set(k, v); else next.searchParams.delete(k); };
  set("q", state.search);
  set("f", state.filters.length ? JSON.stringify(state.filters) : "");
  set("order", state.order === "-created_at" ? "" : state.order);
  set("group", state.group);
  history.replaceState(null, "", next);
  savePref(prefKey, state.columns);
  sessionStorage.setItem(`selected.${data.entity}/${data.project}`, JSON.stringify([...state.selected]));
}

function valueColumns() { return state.columns.filter((c) => !c.startsWith("field:")); }

async function fetchRuns(after, extraFilter, first) {
  const params = new URLSearchParams({ order: state.order, first: String(first || state.pageSize),
                                       cols: valueColumns().join(",") });
  const filters = mongoFilters(extraFilter);
  if (filters) params.set("filters", filters);
  if (after) params.set("after", after);
  return getJSON(`${data.api}/runs?${params}`);
}

// -- rendering -------------------------------------------------------------------------------------
const table = document.getElementById("runs-table");
const pager = document.getElementById("pager");
const errorBox = document.getElementById("runs-error");

function cell(run, column) {
  const [kind, name] = splitColumn(column);
  if (kind === "field") {
    const value = run[name];
    if (name === "state") return el("td", {}, el("span", { class: `state state-${value}`, text: value }));
    if (name === "created_at" || name === "heartbeat_at") {
      return el("td", { class: "nowrap", title: fmtDate(value), text: fmtAgo(value) });
    }
    if (name === "runtime") return el("td", { class: "num", text: fmtDuration(value) });
    if (name === "tags") return el("td", {}, value.map((t) => el("span", { class: "tag", title: t, text: t })));
    return el("td", { title: value || "", text: value || "" });
  }
  const value = run.values[column];
  const text = fmtValue(value);
  const numeric = typeof value === "number";
  return el("td", { class: numeric ? "num" : "", title: typeof value === "object" && value !== null ? JSON.stringify(value) : text, text });
}

function runRow(run) {
  const selected = state.selected.has(run.name);
  const box = el("input", { type: "checkbox", "aria-label": `Select run ${run.display_name}`,
                            checked: selected, onchange: (e) => toggleSelect(run.name, e.target.checked) });
  const link = el("a", { class: "run-name", href: data.run_base + encodeURIComponent(run.name) },
                  el("span", { class: "swatch", "data-color": "1" }), run.display_name);
  link.firstChild.style.background = runColor(run.name);
  const tr = el("tr", { class: selected ? "selected" : "", tabindex: "-1", dataset: { run: run.name } },
                el("td", { class: "sel" }, box), el("td", {}, link),
                state.columns.map((c) => cell(run, c)));
  return tr;
}

function header() {
  const arrow = (column) => {
    const order = columnOrder(column);
    if (!order) return null;
    if (state.order === `+${order}` || state.order === order) return el("span", { class: "arrow", text: "▲" });
    if (state.order === `-${order}`) return el("span", { class: "arrow", text: "▼" });
    return null;
  };
  const th = (column) => {
    const order = columnOrder(column);
    const label = columnLabel(column);
    const [kind] = splitColumn(column);
    const title = kind === "field" || kind === "name" ? label : `${kind}.${label}`;
    if (!order) return el("th", { scope: "col", title, text: label });
    const sorted = state.order.replace(/^[+-]/, "") === order;
    return el("th", { scope: "col", title, "aria-sort": sorted ? (state.order.startsWith("-") ? "descending" : "ascending") : "none" },
      el("button", { class: "sort", type: "button", onclick: () => sortBy(order) },
         kind === "config" ? el("span", { class: "faint", text: "c·" }) : null,
         kind === "summary" ? el("span", { class: "faint", text: "s·" }) : null,
         label, arrow(column)));
  };
  const all = el("input", { type: "checkbox", "aria-label": "Select all runs on this page",
                            onchange: (e) => { for (const r of state.rows) toggleSelect(r.name, e.target.checked, false); render(); } });
  return el("tr", {}, el("th", { class: "sel" }, all), th("name:name"), state.columns.map(th));
}

function render() {
  table.tHead.replaceChildren(header());
  const body = document.createElement("tbody");
  if (state.group) {
    if (!state.groups) body.append(el("tr", {}, el("td", { colspan: 99, class: "empty" }, el("span", { class: "spinner" }), " Loading groups…")));
    else if (!state.groups.length) body.append(el("tr", {}, el("td", { colspan: 99, class: "empty", text: "No runs match." })));
    (state.groups || []).forEach((g, index) => renderGroup(body, g, index));
  } else if (!state.rows.length) {
    body.append(el("tr", {}, el("td", { colspan: 99, class: "empty", text: "No runs match." })));
  } else {
    for (const run of state.rows) body.append(runRow(run));
  }
  table.tBodies[0].replaceWith(body);
  busy(false);
  if (body.querySelector("tr[data-run]") && !performance.getEntriesByName("roost:runs-table").length) {
    performance.mark("roost:runs-table");
  }
  renderPager();
  updateSelection();
}

function groupLabel(g) {
  if (g.kind === "missing") return "(not set)";
  if (g.kind === "other") return "(other values)";
  return String(g.value);
}

function groupFilter(g) {
  const field = `config.${state.group}`;
  if (g.kind === "missing") return { [field]: { $exists: false } };
  if (g.kind === "other") return null;
  return { [field]: g.value };
}

function renderGroup(body, g, index) {
  const open = state.expanded.get(index);
  const expandable = g.kind !== "other";
  const toggle = el("button", { class: "ghost small", type: "button", "aria-expanded": String(!!open),
                                disabled: !expandable, onclick: () => toggleGroup(g, index) }, open ? "▾" : "▸");
  body.append(el("tr", { class: "group-row" },
    el("td", { class: "sel" }, toggle),
    el("td", { colspan: state.columns.length + 1 },
       el("span", { class: "muted", text: `${state.group} = ` }), groupLabel(g),
       el("span", { class: "faint", text: `  ·  ${g.count} run${g.count === 1 ? "" : "s"}` }))));
  if (!open) return;
  for (const run of open.runs) body.append(runRow(run));
  if (open.hasNext) {
    body.append(el("tr", {}, el("td", {}), el("td", { colspan: state.columns.length + 1 },
      el("button", { class: "small", type: "button", onclick: () => loadGroup(g, index, true) }, "Load more"))));
  }
}

async function toggleGroup(g, index) {
  if (state.expanded.has(index)) { state.expanded.delete(index); render(); return; }
  await loadGroup(g, index, false);
}

async function loadGroup(g, index, more) {
  const current = state.expanded.get(index);
  try {
    const page = await fetchRuns(more ? current.cursor : "", groupFilter(g), 50);
    const runs = more ? current.runs.concat(page.runs) : page.runs;
    state.expanded.set(index, { runs, cursor: page.end_cursor, hasNext: page.has_next });
    state.rows = [...state.expanded.values()].flatMap((e) => e.runs);
    render();
  } catch (error) { showError(errorBox, error); }
}

function renderPager() {
  if (state.group) {
    const total = (state.groups || []).reduce((n, g) => n + g.count, 0);
    pager.replaceChildren(el("span", { text: `${(state.groups || []).length} groups · ${total} runs` }));
    return;
  }
  const start = state.page * state.pageSize;
  const shown = state.rows.length;
  const totalText = state.total === null ? "" : ` of ${state.total.toLocaleString("en-US")}`;
  const size = el("select", { "aria-label": "Runs per page", onchange: (e) => {
    state.pageSize = Number(e.target.value); savePref("pageSize", state.pageSize); reload(); } },
    PAGE_SIZES.map((n) => el("option", { value: n, selected: n === state.pageSize, text: `${n} per page` })));
  pager.replaceChildren(
    el("span", { text: shown ? `${start + 1}–${start + shown}${totalText} runs` : `0${totalText} runs` }),
    el("span", { class: "row" }, size,
       el("button", { type: "button", class: "small", disabled: state.page === 0, onclick: prevPage }, "← Previous"),
       el("button", { type: "button", class: "small", disabled: !state.hasNext, onclick: nextPage }, "Next →")));
}

// -- actions ---------------------------------------------------------------------------------------
async function loadPage() {
  errorBox.replaceChildren();
  try {
    const page = await fetchRuns(state.cursors[state.page]);
    state.rows = page.runs;
    state.hasNext = page.has_next;
    if (page.total !== undefined) state.total = page.total;
    state.cursors[state.page + 1] = page.end_cursor;
    render();
  } catch (error) {
    showError(errorBox, error);
    state.rows = [];
    render();
  }
}

async function loadGroups() {
  errorBox.replaceChildren();
  state.groups = null;
  state.expanded = new Map();
  render();
  try {
    const params = new URLSearchParams({ key: `config.${state.group}` });
    const filters = mongoFilters();
    if (filters) params.set("filters", filters);
    const reply = await getJSON(`${data.api}/groups?${params}`);
    state.groups = reply.groups;
    render();
    if (state.groups.length && state.groups[0].kind !== "other") await loadGroup(state.groups[0], 0, false);
  } catch (error) { state.groups = []; render(); showError(errorBox, error); }
}

function busy(on) {
  table.setAttribute("aria-busy", String(on));
}

function reload() {
  busy(true);
  saveState();
  state.cursors = [""];
  state.page = 0;
  state.total = null;
  if (state.group) loadGroups(); else loadPage();
}

function nextPage() { if (state.hasNext) { state.page += 1; loadPage(); } }
function prevPage() { if (state.page > 0) { state.page -= 1; loadPage(); } }

function sortBy(order) {
  const current = state.order.replace(/^[+-]/, "");
  state.order = current === order && state.order.startsWith("-") ? `+${order}` : `-${order}`;
  reload();
}

function toggleSelect(name, on, rerender = true) {
  if (on) state.selected.add(name); else state.selected.delete(name);
  saveState();
  if (rerender) {
    const row = table.querySelector(`tr[data-run="${CSS.escape(name)}"]`);
    if (row) row.classList.toggle("selected", on);
    updateSelection();
  }
}

function updateSelection() {
  const n = state.selected.size;
  document.getElementById("selection-count").textContent = n ? `${n} selected` : "";
  const compare = document.getElementById("compare-button");
  compare.disabled = n < 1;
  const del = document.getElementById("delete-button");
  if (del) del.disabled = n < 1;
}

document.getElementById("compare-button").addEventListener("click", () => {
  const target = new URL(data.compare, location.href);
  target.searchParams.set("runs", [...state.selected].join(","));
  location.href = target.toString();
});

const deleteButton = document.getElementById("delete-button");
if (deleteButton) {
  deleteButton.addEventListener("click", async () => {
    const runs = [...state.selected];
    if (!runs.length || !confirm(`Delete ${runs.length} run(s)? Their history, files and logs are removed for good.`)) return;
    try {
      await sendJSON("POST", `${data.api}/runs/delete`, { runs });
      state.selected.clear();
      reload();
    } catch (error) { showError(errorBox, error); }
  });
}

// -- filters popover ---------------------------------------------------------------------------
function fieldOptions(selected) {
  const filterable = allColumns().filter((c) => !["field:runtime"].includes(c));
  return filterable.map((c) => {
    const [kind, name] = splitColumn(c);
    const label = kind === "field" ? columnLabel(c) : `${kind}.${name}`;
    return el("option", { value: c, selected: c === selected, text: label });
  });
}

function renderFilters(popover) {
  renderFilterEditor(popover, state.filters, fieldOptions, () => { closePopovers(); updateFilterCount(); reload(); });
}

function updateFilterCount() {
  document.getElementById("filter-count").textContent = state.filters.length ? `(${state.filters.length})` : "";
}

// -- columns popover ---------------------------------------------------------------------------
function renderColumns(popover, query = "") {
  const shown = state.columns;
  const hidden = allColumns().filter((c) => !shown.includes(c) &&
    c.toLowerCase().includes(query.toLowerCase()));
  const move = (i, d) => { const j = i + d; if (j < 0 || j >= shown.length) return;
    [shown[i], shown[j]] = [shown[j], shown[i]]; changed(); };
  const changed = () => { saveState(); render(); renderColumns(popover, query);
                          if (valueColumns().length) loadCurrent(); };
  const label = (c) => { const [kind, name] = splitColumn(c);
    return kind === "field" ? columnLabel(c) : `${kind}.${name}`; };
  const search = el("input", { type: "search", placeholder: "Find a column", value: query, "aria-label": "Find a column",
                               oninput: (e) => { renderColumns(popover, e.target.value); popover.querySelector("input[type=search]").focus(); } });
  popover.replaceChildren(
    el("h3", { text: "Shown columns (order)" }),
    el("ul", { class: "col-list" }, shown.map((c, i) => el("li", {},
      el("span", { class: "name", title: label(c), text: label(c) }),
      el("button", { type: "button", class: "small ghost", "aria-label": `Move ${label(c)} up`, onclick: () => move(i, -1) }, "↑"),
      el("button", { type: "button", class: "small ghost", "aria-label": `Move ${label(c)} down`, onclick: () => move(i, 1) }, "↓"),
      el("button", { type: "button", class: "small ghost", "aria-label": `Hide ${label(c)}`,
                     onclick: () => { shown.splice(i, 1); changed(); } }, "Hide")))),
    el("h3", { text: "Hidden columns" }), search,
    el("ul", { class: "col-list" }, hidden.slice(0, 300).map((c) => el("li", {},
      el("span", { class: "name", title: label(c), text: label(c) }),
      el("button", { type: "button", class: "small", "aria-label": `Show ${label(c)}`,
                     onclick: () => { shown.push(c); changed(); } }, "Show")))),
    el("div", { class: "row" }, el("span", { class: "grow" }),
       el("button", { type: "button", class: "small", onclick: () => { state.columns = defaultColumns(); saveState(); render(); renderColumns(popover); loadCurrent(); } }, "Reset")));
}

function loadCurrent() { if (state.group) loadGroups(); else loadPage(); }

// -- popovers --------------------------------------------------------------------------------------
function closePopovers() {
  for (const id of ["filters", "columns"]) {
    document.getElementById(`${id}-popover`).classList.add("hidden");
    document.getElementById(`${id}-button`).setAttribute("aria-expanded", "false");
  }
}

function openPopover(id, fill) {
  const popover = document.getElementById(`${id}-popover`);
  const button = document.getElementById(`${id}-button`);
  const wasOpen = !popover.classList.contains("hidden");
  closePopovers();
  if (wasOpen) return;
  fill(popover);
  const box = button.getBoundingClientRect();
  popover.style.top = `${box.bottom + window.scrollY + 6}px`;
  popover.style.left = `${Math.max(8, Math.min(box.left + window.scrollX, window.innerWidth - 480))}px`;
  popover.classList.remove("hidden");
  button.setAttribute("aria-expanded", "true");
  popover.querySelector("input, select, button")?.focus();
}

document.getElementById("filters-button").addEventListener("click", () => openPopover("filters", renderFilters));
document.getElementById("columns-button").addEventListener("click", () => openPopover("columns", (p) => renderColumns(p)));
document.addEventListener("keydown", (e) => { if (e.key === "Escape") closePopovers(); });
document.addEventListener("click", (e) => {
  // The path as dispatched: a button the popover re-rendered is detached by now.
  const inside = e.composedPath().some((n) => n.classList && (n.classList.contains("popover")
    || n.id === "filters-button" || n.id === "columns-button"));
  if (!inside) closePopovers();
});

// -- search, group by, keyboard ------------------------------------------------------------------
const search = document.getElementById("run-search");
search.value = state.search;
let searchTimer = null;
search.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => { state.search = search.value; reload(); }, 250);
});

const groupBy = document.getElementById("group-by");
for (const key of data.config_keys) groupBy.append(el("option", { value: key, selected: key === state.group, text: key }));
groupBy.addEventListener("change", () => { state.group = groupBy.value; reload(); });

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const t = event.target;
  if (["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName)) return;
  const rows = [...table.querySelectorAll("tbody tr[data-run]")];
  if (!rows.length) return;
  const current = rows.indexOf(document.activeElement);
  if (event.key === "j" || event.key === "k") {
    const next = Math.max(0, Math.min(rows.length - 1, current + (event.key === "j" ? 1 : -1)));
    rows[current < 0 ? 0 : next].focus();
    event.preventDefault();
  } else if (event.key === "x" && current >= 0) {
    const box = rows[current].querySelector("input[type=checkbox]");
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change"));
  } else if (event.key === "Enter" && current >= 0) {
    rows[current].querySelector("a.run-name").click();
  }
});

updateFilterCount();
reload();
