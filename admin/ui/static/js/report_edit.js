// The report editor: Markdown in, blocks out, with a live preview; drafts and publishing.
import { pageData, sendJSON } from "./ui.js";
import { renderReport } from "./report_render.js";
import { blocksToMarkdown, markdownToBlocks } from "./report_markdown.js";

const data = pageData();
const source = data.draft || data.report;   // a draft of mine wins over the published text
const spec = (source && source.spec) || { version: 5, blocks: [], width: "readable" };
const kept = spec.blocks || [];
const title = document.getElementById("report-title-input");
const description = document.getElementById("report-description-input");
const text = document.getElementById("report-markdown");
const preview = document.getElementById("report-preview");
const status = document.getElementById("editor-status");
let draft = data.draft;

title.value = source ? source.title : "Untitled Report";
description.value = source ? source.description : "";
text.value = blocksToMarkdown(kept);
document.getElementById("cancel-edit").href = data.report ? data.report.path : data.list_page;
if (data.draft) status.textContent = "Editing your unpublished draft.";

function currentSpec() {
  return { ...spec, blocks: markdownToBlocks(text.value, kept) };
}

function showPreview() {
  const ctx = renderReport(preview, currentSpec());
  for (const grid of ctx.grids) grid.node.textContent = "Panel grid (drawn on the report page)";
}

function say(message, error) {
  status.textContent = message;
  status.className = error ? "error-box" : "flash";
}

function payload() {
  return { title: title.value.trim() || "Untitled Report", description: description.value,
           spec: currentSpec() };
}

async function saveDraft() {
  if (draft) {
    draft = (await sendJSON("PUT", `${data.report_api}${draft.id}`, payload())).report;
  } else {
    draft = (await sendJSON("POST", data.reports, { ...payload(), draft: true,
                                                    parent_id: data.report ? data.report.id : null })).report;
  }
  return draft;
}

document.getElementById("save-draft").addEventListener("click", async () => {
  try { await saveDraft(); say("Draft saved. It is yours only until you publish it."); }
  catch (error) { say(String(error.message || error), true); }
});

document.getElementById("publish").addEventListener("click", async () => {
  try {
    let report;
    if (draft) {
      await saveDraft();
      report = (await sendJSON("POST", `${data.report_api}${draft.id}/publish`)).report;
    } else if (data.report) {
      report = (await sendJSON("PUT", `${data.report_api}${data.report.id}`, payload())).report;
    } else {
      report = (await sendJSON("POST", data.reports, payload())).report;
    }
    window.location.assign(report.path);
  } catch (error) { say(String(error.message || error), true); }
});

let timer = null;
text.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(showPreview, 250); });
showPreview();
