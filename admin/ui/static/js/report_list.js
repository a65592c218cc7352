// The project's reports: search, drafts of the signed-in person, delete.
import { el, pageData, getJSON, sendJSON, showError, fmtAgo } from "./ui.js";

const data = pageData();
const list = document.getElementById("report-list");
const drafts = document.getElementById("report-drafts");
const count = document.getElementById("report-count");
const search = document.getElementById("report-search");

function row(report, draft) {
  const remove = data.can_write ? el("button", { type: "button", class: "small ghost danger",
    "aria-label": `Delete ${report.title}`, onclick: () => removeReport(report) }, "Delete") : null;
  return el("div", { class: "report-row", dataset: { id: report.id } },
    el("div", { class: "grow" },
      el("a", { class: "title", href: report.path, text: report.title || "Untitled Report" }),
      draft ? el("span", { class: "badge", text: "draft" }) : null,
      report.description ? el("div", { class: "faint", text: report.description }) : null),
    el("span", { class: "faint", text: report.authors.join(", ") }),
    el("span", { class: "faint", text: fmtAgo(report.updated_at) }),
    remove);
}

async function removeReport(report) {
  if (!window.confirm(`Delete the report “${report.title}” and its drafts?`)) return;
  try { await sendJSON("DELETE", `${data.report_api}${report.id}`); await load(); }
  catch (error) { showError(list, error); }
}

async function load() {
  try {
    const params = new URLSearchParams({ q: search.value.trim() });
    const answer = await getJSON(`${data.reports}?${params}`);
    count.textContent = String(answer.reports.length);
    drafts.replaceChildren(...answer.drafts.map((d) => row({ ...d, path: d.path.replace(/\/?$/, "/edit") }, true)));
    list.replaceChildren(...(answer.reports.length ? answer.reports.map((r) => row(r, false))
      : [el("div", { class: "empty", text: search.value.trim() ? "No report matches." : "No reports in this project yet." })]));
  } catch (error) { showError(list, error); }
}

let timer = null;
search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(load, 200); });
load();
