// The run page's charts tab: the run's metrics on a ChartBoard, live while it runs.
import { pageData } from "./ui.js";
import { ChartBoard } from "./board.js";
import { runColor } from "./colors.js";
import { onLive } from "./live.js";

const data = pageData();
const root = document.getElementById("charts-root");
const board = new ChartBoard({
  root, prefsKey: "chartSettings", groups: data.groups,
  runs: [{ name: data.run, label: data.display_name, color: runColor(data.run), api: `${data.api}/series` }],
});

onLive(async (live, previous) => {
  if ((live.keys || []).some((k) => !board.charts.has(k))) {
    root.querySelector(".panel.empty")?.remove();
    board.addKeys(live.keys);
  }
  if (live.last_step > previous.last_step) await board.appendSince(previous.last_step);
});
