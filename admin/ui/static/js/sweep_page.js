// The sweep page: loads the sweep's runs once (and again every few seconds while the sweep
// runs and the tab is visible), draws the table and the parallel coordinates from them, and
// asks the server for the parameter importance whenever the set of finished runs changes.
import { el, pageData, getJSON, showError, fmtNumber } from "./ui.js";
import { ParallelCoordinates } from "./sweep_parcoords.js";
import { SweepTable } from "./sweep_table.js";
import { renderImportance } from "./sweep_importance.js";
import { initControls, setControlsState } from "./sweep_controls.js";

const data = pageData();
const REFRESH_MS = 10000;
const STATE_CLASS = { RUNNING: "running", PAUSED: "pending", FINISHED: "finished", CANCELED: "killed" };
const errors = document.getElementById("sweep-error");
const brushStatus = document.getElementById("brush-status");
const clearBrush = document.getElementById("clear-brush");

const openRun = (run) => { if (run) location.href = data.run_base + encodeURIComponent(run.name); };
let chart = null;
const table = new SweepTable({
  table: document.getElementById("sweep-runs"), shown: document.getElementById("runs-shown"),
  filterInput: document.getElementById("runs-filter"), runBase: data.run_base,
  onHover: (name) => chart?.highlight(name),
});
chart = new ParallelCoordinates(document.getElementById("parcoords"), {
  onOpen: openRun,
  onHover: (name) => table.highlight(name),
  onFilter: (names) => {
    table.setVisible(names);
    clearBrush.disabled = !names;
    brushStatus.textContent = names ? `${names.size} of ${table.runs.length} runs inside the ranges` : "";
  },
});
clearBrush.addEventListener("click", () => chart.clearBrushes());

function setText(id, text) {
  const node = document.getElementById(id);
  if (node) node.textContent = text;
}

function updateStats(answer) {
  const counts = answer.counts || {};
  const sum = (...states) => states.reduce((n, s) => n + (counts[s] || 0), 0);
  const sweep = answer.sweep;
  const runs = document.getElementById("stat-runs");
  runs.replaceChildren(String(sweep.run_count),
    sweep.run_count_expected !== null ? el("span", { class: "faint", text: ` / ${sweep.run_count_expected}` }) : "");
  setText("stat-finished", String(sum("finished")));
  setText("stat-running", String(sum("running", "pending")));
  setText("stat-failed", String(sum("failed", "crashed", "killed")));
  showBest(answer.best);
  showState(sweep.state);
  if (answer.truncated) {
    showError(errors, new Error(`This sweep has ${answer.total} runs; the table and the charts show the latest ${answer.runs.length}.`));
  }
}

// The best run by the summary value of the metric: the runs table's first row, linked.
function showBest(best) {
  const value = document.getElementById("stat-best");
  const run = document.getElementById("stat-best-run");
  if (!data.metric || !value) return;
  if (!best) {
    value.replaceChildren(el("span", { class: "faint", text: "no run has logged it yet" }));
    run.replaceChildren();
    return;
  }
  value.textContent = fmtNumber(best.metric);
  run.replaceChildren("run ", el("a", { class: "run-name", href: data.run_base + encodeURIComponent(best.name),
                                        text: best.display_name }),
                      best.state !== "finished" ? el("span", { class: "faint", text: ` (${best.state})` }) : "");
}

function showState(state) {
  const badge = document.getElementById("sweep-state");
  badge.className = `state state-${STATE_CLASS[state] || ""}`;
  badge.textContent = state.toLowerCase();
  setControlsState(state);
}

// What the drawing depends on: when it is unchanged, a refresh redraws nothing.
function signature(answer) {
  return JSON.stringify(answer.runs.map((r) => [r.name, r.state, r.metric, r.display_name]));
}

function finishedKey(answer) {
  return answer.runs.filter((r) => r.state === "finished" && r.metric !== null).map((r) => r.name).join(",");
}

let shown = "", importanceFor = null;
let refreshing = data.state === "RUNNING";

async function loadImportance(key) {
  if (key === importanceFor) return;
  importanceFor = key;
  const root = document.getElementById("importance");
  try {
    renderImportance(root, await getJSON(data.importance_api));
  } catch (error) {
    importanceFor = null;
    showError(root, error);
  }
}

async function load() {
  const answer = await getJSON(data.runs_api);
  updateStats(answer);
  const next = signature(answer);
  if (next !== shown) {
    shown = next;
    table.setData(answer);
    chart.setData(answer);
  }
  await loadImportance(finishedKey(answer));
  return answer.sweep.state;
}

async function refreshWhileRunning(state) {
  if (state !== "RUNNING") { refreshing = false; return; }
  await new Promise((resolve) => setTimeout(resolve, REFRESH_MS));
  if (document.hidden) {
    await new Promise((resolve) => document.addEventListener("visibilitychange", resolve, { once: true }));
  }
  try {
    refreshWhileRunning(await load());
  } catch (error) {
    showError(errors, error);
  }
}

initControls(data.state_api, (sweep) => {
  showState(sweep.state);
  // Resumed: follow the sweep again, as a running sweep's page does.
  if (sweep.state === "RUNNING" && !refreshing) { refreshing = true; refreshWhileRunning(sweep.state); }
});

load().then(refreshWhileRunning).catch((error) => {
  showError(errors, error);
  document.getElementById("parcoords").replaceChildren();
  document.getElementById("importance").replaceChildren();
});
