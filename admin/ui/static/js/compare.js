// Compare: the selected runs overlaid on shared charts, colours matching the tables above.
import { pageData } from "./ui.js";
import { ChartBoard } from "./board.js";
import { runColor } from "./colors.js";

const data = pageData();
// The same colour as on every other page (the runs table, the workspace, the run page).
const runs = data.runs.map((run) => ({ ...run, color: runColor(run.name) }));
for (const run of runs) {
  for (const node of document.querySelectorAll(`[data-run="${CSS.escape(run.name)}"] .swatch`)) {
    node.style.background = run.color;
  }
}
const root = document.getElementById("charts-root");
if (root && runs.length) {
  new ChartBoard({ root, runs, groups: data.groups, prefsKey: "compareSettings", bandDefault: false });
}
