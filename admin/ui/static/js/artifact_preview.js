// Previews of an artifact version's small files: text as text, CSV/TSV as a table, images as
// images. Only files up to MAX_BYTES, and only when the file is served by Roost itself (the
// local files store): a MinIO URL is another origin, which the page's CSP does not reach.
// Every byte reaches the page as text (textContent), never as markup.
import { el, showError } from "./ui.js";

const MAX_BYTES = 256 * 1024;
const MAX_ROWS = 200;
const IMAGES = /\.(png|jpe?g|gif|webp|bmp)$/i;
const TABLES = /\.(csv|tsv)$/i;
const TEXT = /\.(txt|log|md|json|jsonl|ya?ml|py|cfg|ini|toml|sh|xml|csv|tsv)$/i;

export function previewKind(name, size, url) {
  if (!url || size > MAX_BYTES) return null;
  try { if (new URL(url, location.href).origin !== location.origin) return null; } catch (e) { return null; }
  if (IMAGES.test(name)) return "image";
  if (TABLES.test(name)) return "table";
  if (TEXT.test(name)) return "text";
  return null;
}

function splitRow(line, separator) {
  // Quoted fields with separators and doubled quotes inside, as CSV writers produce them.
  const cells = [];
  let cell = "", quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) { cells.push(cell); cell = ""; } else cell += c;
  }
  cells.push(cell);
  return cells;
}

function tableOf(text, name) {
  const separator = /\.tsv$/i.test(name) ? "\t" : ",";
  const lines = text.split(/\r?\n/).filter((line) => line.length);
  const [head, ...rows] = lines.map((line) => splitRow(line, separator));
  const shown = rows.slice(0, MAX_ROWS);
  return [el("div", { class: "table-scroll preview-table" }, el("table", { class: "data" },
    el("thead", {}, el("tr", {}, (head || []).map((h) => el("th", { text: h })))),
    el("tbody", {}, shown.map((row) => el("tr", {}, row.map((cell) => el("td", { text: cell }))))))),
  rows.length > shown.length ? el("p", { class: "muted", text: `First ${shown.length} of ${rows.length} rows.` }) : null];
}

async function show(box, kind, name, url) {
  if (kind === "image") {
    box.replaceChildren(el("img", { src: url, alt: name, class: "preview-image" }));
    return;
  }
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`could not read ${name} (HTTP ${response.status})`);
  const text = await response.text();
  box.replaceChildren(...(kind === "table" ? tableOf(text, name) : [el("pre", { class: "preview-text", text })]).filter(Boolean));
}

for (const row of document.querySelectorAll("#artifact-files tbody tr[data-name]")) {
  const { name, url } = row.dataset;
  const kind = previewKind(name, Number(row.dataset.size), url);
  if (!kind) continue;
  const box = el("td", { colspan: 4, class: "preview" });
  const holder = el("tr", { class: "preview-row hidden" }, box);
  const button = el("button", { type: "button", class: "small", text: "Preview", "aria-expanded": "false",
                                "aria-label": `Preview ${name}` });
  button.addEventListener("click", async () => {
    const open = holder.classList.toggle("hidden") === false;
    button.setAttribute("aria-expanded", String(open));
    if (open && !box.childElementCount) {
      box.replaceChildren(el("span", { class: "spinner" }));
      try { await show(box, kind, name, url); } catch (error) { showError(box, error); }
    }
  });
  row.querySelector("td:last-child").prepend(button, " ");
  row.after(holder);
}
