// Console log: pages of lines (the latest first), search over the whole log on the server,
// and new lines appended while the run runs.
import { el, pageData, getJSON, showError } from "./ui.js";
import { onLive } from "./live.js";

const data = pageData();
const PAGE = 500;
const box = document.getElementById("console");
const range = document.getElementById("console-range");
let total = data.log_lines || 0;
let offset = Math.max(0, total - PAGE);
let hits = [];
let hitIndex = -1;
let needle = "";

// wandb writes stdout lines as "<time> <text>" and stderr lines as "ERROR <time> <text>"
// (wandb-core's runconsolelogs; the time is UTC, microseconds, no zone).
const STAMPED = /^(ERROR )?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?) /;

function lineNode(number, line) {
  const stamped = STAMPED.exec(line);
  const text = stamped ? line.slice(stamped[0].length) : line;
  const content = el("span", { class: stamped && stamped[1] ? "stderr" : "" });
  if (needle) {
    const lower = text.toLowerCase(), n = needle.toLowerCase();
    let at = 0, found;
    while ((found = lower.indexOf(n, at)) !== -1) {
      content.append(text.slice(at, found), el("mark", { text: text.slice(found, found + n.length) }));
      at = found + n.length;
    }
    content.append(text.slice(at));
  } else {
    content.textContent = text;
  }
  const time = stamped ? el("span", { class: "ts", title: stamped[2], text: stamped[2].slice(11, 19) }) : null;
  return el("div", { class: "line", id: `L${number + 1}` },
            el("span", { class: "ln", text: String(number + 1) }), time, content);
}

async function show(start, focusLine) {
  try {
    const page = await getJSON(`${data.api}/console?offset=${start}&limit=${PAGE}`);
    total = page.total;
    offset = page.offset;
    if (!page.lines.length) {
      box.replaceChildren(el("div", { class: "empty", text: total ? "No lines here." : "No console output." }));
    } else {
      box.replaceChildren(...page.lines.map((text, i) => lineNode(offset + i, text)));
    }
    range.textContent = total ? `lines ${offset + 1}–${offset + page.lines.length} of ${total.toLocaleString("en-US")}` : "";
    document.getElementById("console-older").disabled = offset === 0;
    document.getElementById("console-first").disabled = offset === 0;
    document.getElementById("console-newer").disabled = offset + page.lines.length >= total;
    document.getElementById("console-last").disabled = offset + page.lines.length >= total;
    if (focusLine !== undefined) {
      const node = document.getElementById(`L${focusLine + 1}`);
      if (node) { node.classList.add("hit"); node.scrollIntoView({ block: "center" }); }
    } else if (start + PAGE >= total) {
      box.scrollTop = box.scrollHeight;
    }
  } catch (error) { showError(box, error); }
}

function atEnd() { return offset + box.querySelectorAll(".line").length >= total; }

document.getElementById("console-first").addEventListener("click", () => show(0));
document.getElementById("console-older").addEventListener("click", () => show(Math.max(0, offset - PAGE)));
document.getElementById("console-newer").addEventListener("click", () => show(offset + PAGE));
document.getElementById("console-last").addEventListener("click", () => show(Math.max(0, total - PAGE)));

function jump(delta) {
  if (!hits.length) return;
  hitIndex = (hitIndex + delta + hits.length) % hits.length;
  const line = hits[hitIndex];
  document.getElementById("console-hits").textContent = `${hitIndex + 1} of ${hits.length}`;
  show(Math.floor(line / PAGE) * PAGE, line);
}

let searchTimer = null;
const search = document.getElementById("console-search");
search.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(async () => {
    needle = search.value.trim();
    hits = []; hitIndex = -1;
    const label = document.getElementById("console-hits");
    if (!needle) { label.textContent = ""; updateButtons(); show(offset); return; }
    label.textContent = "searching…";
    try {
      const reply = await getJSON(`${data.api}/console/search?q=${encodeURIComponent(needle)}`);
      hits = reply.hits;
      label.textContent = hits.length ? `${hits.length}${reply.complete ? "" : "+"} matches` : "no matches";
      updateButtons();
      if (hits.length) jump(1); else show(offset);
    } catch (error) { label.textContent = error.message; }
  }, 300);
});
search.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); jump(e.shiftKey ? -1 : 1); } });

function updateButtons() {
  document.getElementById("console-prev").disabled = !hits.length;
  document.getElementById("console-next").disabled = !hits.length;
}
document.getElementById("console-prev").addEventListener("click", () => jump(-1));
document.getElementById("console-next").addEventListener("click", () => jump(1));

onLive(async (live) => {
  if (live.log_lines > total && atEnd() && !needle) {
    const page = await getJSON(`${data.api}/console?offset=${total}&limit=${PAGE}`);
    const follow = box.scrollTop + box.clientHeight >= box.scrollHeight - 20;
    box.querySelector(".empty")?.remove();
    page.lines.forEach((text, i) => box.append(lineNode(page.offset + i, text)));
    total = page.total;
    range.textContent = `lines ${offset + 1}–${total} of ${total.toLocaleString("en-US")}`;
    if (follow) box.scrollTop = box.scrollHeight;
  }
});

show(offset);
