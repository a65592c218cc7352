// Parameter importance: per parameter (a row per value of a categorical one) the random
// forest's importance as a bar, and the correlation with the metric as a bar either side of 0.
import { el, fmtNumber } from "./ui.js";

function bar(fraction, diverging) {
  const fill = el("span", { class: "fill" });
  const node = el("div", { class: "bar" + (diverging ? " diverging" : ""), "aria-hidden": "true" }, fill);
  if (!diverging) {
    fill.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
  } else {
    const half = Math.min(1, Math.abs(fraction)) * 50;
    fill.style.width = `${half}%`;
    fill.style.left = fraction >= 0 ? "50%" : `${50 - half}%`;
    fill.classList.add(fraction >= 0 ? "pos" : "neg");
  }
  return node;
}

export function renderImportance(root, answer) {
  root.dataset.rows = String(answer.rows.length);
  root.dataset.runs = String(answer.runs);
  if (!answer.rows.length) {
    root.replaceChildren(el("div", { class: "notice", id: "importance-message", role: "status",
                                     text: answer.message || "Nothing to show." }));
    return;
  }
  const top = Math.max(...answer.rows.map((r) => r.importance), 1e-9);
  const rows = answer.rows.map((row) => {
    const name = el("td", { class: "param mono" }, row.parameter,
                    row.value !== null ? el("span", { class: "value", text: ` = ${row.value}` }) : null);
    const corr = row.correlation;
    return el("tr", { dataset: { parameter: row.parameter } },
      name,
      el("td", { class: "bar-cell", title: `importance ${row.importance.toFixed(3)}` },
         bar(row.importance / top, false), el("div", { class: "bar-num", text: row.importance.toFixed(3) })),
      el("td", { class: "bar-cell", title: corr === null ? "undefined" : `correlation ${corr.toFixed(3)}` },
         corr === null ? el("span", { class: "faint", text: "—" }) : bar(corr, true),
         el("div", { class: "bar-num", text: corr === null ? "" : fmtNumber(Number(corr.toFixed(3))) })));
  });
  root.replaceChildren(
    el("table", { class: "data importance-table", id: "importance-table" },
       el("thead", {}, el("tr", {}, el("th", { text: "Parameter" }), el("th", { text: "Importance" }),
                           el("th", { text: "Correlation" }))),
       el("tbody", {}, rows)),
    el("p", { class: "faint sweep-hint", text: `From ${answer.runs} finished runs.` }));
}
