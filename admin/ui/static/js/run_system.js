// System metrics: one chart per metric the SDK sampled, grouped (cpu, memory, disk, gpu...).
import { el, pageData, getJSON, showError, loadPref } from "./ui.js";
import { MetricChart } from "./chart.js";
import { runColor } from "./colors.js";

const data = pageData();
const root = document.getElementById("system-root");

function groupOf(key) {
  const parts = key.split(".");
  if (parts[1] === "gpu" || parts[1] === "tpu") return `${parts[1]} ${/^\d+$/.test(parts[2]) ? parts[2] : ""}`.trim();
  if (parts[1] === "proc") return "process";
  return parts[1].replace(/_?percent$|MB$|GB$/, "").replace(/_/g, " ") || "system";
}

async function main() {
  let reply;
  try { reply = await getJSON(`${data.api}/system`); } catch (error) { showError(root, error); return; }
  const keys = Object.keys(reply.series).sort();
  if (!keys.length) { root.replaceChildren(el("div", { class: "panel empty", text: "No system metrics were recorded for this run." })); return; }
  root.replaceChildren();
  const settings = { ...loadPref("chartSettings", {}), x: "runtime", smoothing: 0, log: false, band: false };
  const runs = [{ name: data.run, label: data.display_name, color: runColor(data.run) }];
  const groups = new Map();
  for (const key of keys) {
    const group = groupOf(key);
    if (!groups.has(group)) {
      const section = el("details", { class: "chart-section", open: true }, el("summary", {}, group));
      const grid = el("div", { class: "charts" });
      section.append(grid);
      root.append(section);
      groups.set(group, grid);
    }
    const chart = new MetricChart(groups.get(group), { key, title: key.replace(/^system\./, ""), runs, settings,
      fetchRange: async () => ({ [data.run]: reply.series[key] }) });
    chart.setData(data.run, reply.series[key]);
  }
}

main();
