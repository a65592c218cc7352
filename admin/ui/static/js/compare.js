// Compare: the selected runs overlaid on shared charts, colors matching the tables above.
import { pageData } from "./ui.js";
import { ChartBoard } from "./board.js";
import { indexColor } from "./colors.js";

const data = pageData();
const runs = data.runs.map((run, i) => ({ ...run, color: indexColor(i) }));
for (const run of runs) {
  for (const node of document.querySelectorAll(`[data-run="${CSS.escape(run.name)}"] .swatch`)) {
    node.style.background = run.color;
  }
}
const root = document.getElementById("charts-root");
if (root && runs.length) {
  new ChartBoard({ root, runs, groups: data.groups, prefsKey: "compareSettings", bandDefault: false });
}
