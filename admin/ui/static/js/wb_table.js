// A logged wandb.Table: sort by any column (click its header; numbers as numbers), filter by
// column (a box under each header: text a cell must contain, or a comparison such as "> 0.5"
// for numbers), and pages of PAGE rows, so a table of many thousand rows stays quick.
// Images in cells are thumbnails that open the full image. Cells reach the page as text.
import { el, fmtNumber } from "./ui.js";

const PAGE = 50;
const COMPARISON = /^\s*(<=|>=|!=|=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/i;

function sortKey(value) {
  if (typeof value === "number") return value;
  if (value && typeof value === "object") return value.caption || value.path || JSON.stringify(value);
  return value === null || value === undefined ? "" : String(value);
}

function text(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return fmtNumber(value);
  if (typeof value === "object") return value.caption || JSON.stringify(value);
  return String(value);
}

function matches(value, needle) {
  const comparison = COMPARISON.exec(needle);
  if (comparison && typeof value === "number") {
    const [, op, raw] = comparison, limit = Number(raw);
    return { "<": value < limit, "<=": value <= limit, ">": value > limit, ">=": value >= limit,
             "=": value === limit, "!=": value !== limit }[op];
  }
  return text(value).toLowerCase().includes(needle.toLowerCase());
}

export class WbTable {
  // imageUrl(path) -> the URL of a run file the table names.
  constructor(root, { imageUrl }) {
    this.root = root;
    this.imageUrl = imageUrl;
  }

  setData(columns, rows) {
    this.columns = columns.map(String);
    this.rows = rows.map((row, index) => ({ row, index }));
    this.sort = null;  // { column, dir }
    this.filters = this.columns.map(() => "");
    this.page = 0;
    this.build();
    this.render();
  }

  build() {
    this.head = el("tr", {}, this.columns.map((name, i) => el("th", { "aria-sort": "none", dataset: { column: i } },
      el("button", { type: "button", class: "sort", text: name, title: `Sort by ${name}`, onclick: () => this.toggleSort(i) }))));
    this.filterRow = el("tr", { class: "filters" }, this.columns.map((name, i) => el("th", {},
      el("input", { type: "search", placeholder: "filter", "aria-label": `Filter ${name}`, dataset: { column: i },
                    oninput: (event) => { this.filters[i] = event.target.value.trim(); this.page = 0; this.render(); } }))));
    this.body = el("tbody");
    this.status = el("span", { class: "muted table-range", "aria-live": "polite" });
    this.prev = el("button", { type: "button", class: "small", text: "← Previous", onclick: () => { this.page -= 1; this.render(); } });
    this.next = el("button", { type: "button", class: "small", text: "Next →", onclick: () => { this.page += 1; this.render(); } });
    this.root.replaceChildren(
      el("div", { class: "wb-table-scroll" }, el("table", { class: "data wb-table-grid" }, el("thead", {}, this.head, this.filterRow), this.body)),
      el("div", { class: "row table-pager" }, this.prev, this.next, this.status));
  }

  toggleSort(column) {
    const dir = this.sort && this.sort.column === column ? -this.sort.dir : 1;
    this.sort = { column, dir };
    this.page = 0;
    this.head.querySelectorAll("th").forEach((th, i) => {
      th.setAttribute("aria-sort", i === column ? (dir === 1 ? "ascending" : "descending") : "none");
    });
    this.render();
  }

  visible() {
    let rows = this.rows.filter(({ row }) => this.filters.every((needle, i) => !needle || matches(row[i], needle)));
    if (this.sort) {
      const { column, dir } = this.sort;
      rows = rows.slice().sort((a, b) => {
        const x = sortKey(a.row[column]), y = sortKey(b.row[column]);
        if (typeof x === "number" && typeof y === "number") return (x - y) * dir || a.index - b.index;
        if (typeof x === "number") return -1;  // numbers before text and empty cells
        if (typeof y === "number") return 1;
        return String(x).localeCompare(String(y), undefined, { numeric: true }) * dir || a.index - b.index;
      });
    }
    return rows;
  }

  cell(value) {
    if (value && typeof value === "object" && value._type === "image-file" && value.path) {
      const url = this.imageUrl(value.path);
      return el("a", { href: url, target: "_blank", rel: "noopener", title: value.caption || "open the full image" },
        el("img", { src: url, alt: value.caption || "image", loading: "lazy", class: "cell-image" }));
    }
    return document.createTextNode(text(value));
  }

  render() {
    const rows = this.visible();
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    this.page = Math.min(Math.max(0, this.page), pages - 1);
    const shown = rows.slice(this.page * PAGE, (this.page + 1) * PAGE);
    this.body.replaceChildren(...(shown.length ? shown.map(({ row }) => el("tr", {}, this.columns.map((_, i) => el("td", {}, this.cell(row[i])))))
      : [el("tr", {}, el("td", { class: "empty", colspan: this.columns.length, text: "No rows match the filters." }))]));
    const total = this.rows.length;
    const counted = rows.length === total ? `${total.toLocaleString("en-US")} rows` : `${rows.length.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} rows match`;
    this.status.textContent = rows.length ? `rows ${this.page * PAGE + 1}–${this.page * PAGE + shown.length} · ${counted}` : counted;
    this.prev.disabled = this.page === 0;
    this.next.disabled = this.page >= pages - 1;
  }
}
