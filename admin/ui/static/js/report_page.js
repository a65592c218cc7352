// A report page: its blocks, then its panel grids' live data; the share box for editors.
import { el, pageData, sendJSON, getJSON, showError } from "./ui.js";
import { renderReport } from "./report_render.js";
import { drawPanelGrids } from "./report_panels.js";

const data = pageData();
const report = data.report;
const root = document.getElementById("report-blocks");
const started = performance.now();
const ctx = renderReport(root, report.spec);
drawPanelGrids(ctx.grids, { reportId: report.id, token: data.token, api: data.report_api })
  .then(() => {
    root.dataset.state = "drawn";
    root.dataset.drawMs = String(Math.round(performance.now() - started));
  });

const shareButton = document.getElementById("share-report");
const box = document.getElementById("share-box");

function showLinks(links) {
  box.classList.remove("hidden");
  if (!links.length) {
    box.replaceChildren(el("p", { class: "faint", text: "No view-only link. Anyone with a link can read this report and its charts, signed out, and nothing else." }),
      el("button", { type: "button", class: "small primary", id: "create-link", onclick: create }, "Create view-only link"));
    return;
  }
  const url = new URL(links[0].url, location.href).href;
  box.replaceChildren(el("label", { class: "field" }, el("span", { text: "View-only link" }),
      el("input", { type: "text", readonly: true, value: url, id: "share-url" })),
    el("button", { type: "button", class: "small danger", id: "revoke-link", onclick: revoke }, "Revoke link"));
}

async function create() {
  try { showLinks([(await sendJSON("POST", `${data.report_api}${report.id}/share`)).link]); }
  catch (error) { showError(box, error); }
}

async function revoke() {
  try { await sendJSON("DELETE", `${data.report_api}${report.id}/share`); showLinks([]); }
  catch (error) { showError(box, error); }
}

if (shareButton) {
  shareButton.addEventListener("click", async () => {
    try { showLinks((await getJSON(`${data.report_api}${report.id}/share`)).links); }
    catch (error) { showError(box, error); }
  });
}
