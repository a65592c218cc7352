// The sweep page: loads the sweep's runs once (and again every few seconds while the sweep
// runs and the tab is visible), draws the table and the parallel coordinates from them, and
// asks the server for the parameter importance whenever the set of finished runs changes.
import { el, pageData, getJSON, showError, fmtNumber } from "./ui.js";
import { ParallelCoordinates } from "./sweep_parcoords.js";
import { SweepTable } from "./sweep_table.js";
import { renderImportance } from "./sweep_importance.js";

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
  if (sweep.best !== null) setText("stat-best", fmtNumber(sweep.best));
  const badge = document.getElementById("sweep-state");
  badge.className = `state state-${STATE_CLASS[sweep.state] || ""}`;
  badge.textContent = sweep.state.toLowerCase();
  if (answer.truncated) {
    showError(errors, new Error(`This sweep has ${answer.total} runs; the table and the charts show the latest ${answer.runs.length}.`));
  }
}

// What the drawing depends on: when it is unchanged, a refresh redraws nothing.
function signature(answer) {
  return JSON.stringify(answer.runs.map((r) => [r.name, r.state, r.metric, r.display_name]));
}

function finishedKey(answer) {
  return answer.runs.filter((r) => r.state === "finished" && r.metric !== null).map((r) => r.name).join(",");
}

let shown = "", importanceFor = null;

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
  if (state !== "RUNNING") return;
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

load().then(refreshWhileRunning).catch((error) => {
  showError(errors, error);
  document.getElementById("parcoords").replaceChildren();
  document.getElementById("importance").replaceChildren();
});
