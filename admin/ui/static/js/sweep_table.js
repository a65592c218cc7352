// The sweep's runs table: run, state, created, each swept parameter and the metric; sorted
// in the browser (the page holds every run of the sweep), filtered by name and by the
// parallel-coordinates brushes. Rows link to the run pages.
import { el, fmtNumber, fmtDate } from "./ui.js";

const STATE_ORDER = ["running", "pending", "finished", "failed", "crashed", "killed", "preempted"];

export class SweepTable {
  // options: {table, shown, filterInput, runBase, onHover(name or null)}
  constructor(options) {
    this.options = options;
    this.table = options.table;
    this.sort = null;
    this.nameFilter = "";
    this.visible = null;
    this.rows = new Map();
    options.filterInput.addEventListener("input", () => {
      this.nameFilter = options.filterInput.value.trim().toLowerCase();
      this.applyFilters();
    });
  }

  setData({ axes, metric, runs }) {
    this.runs = runs;
    this.columns = [
      { key: "name", label: "Run", value: (r) => r.display_name.toLowerCase() },
      { key: "state", label: "State", value: (r) => STATE_ORDER.indexOf(r.state) },
      { key: "created", label: "Created", value: (r) => r.created_at },
      ...axes.map((axis) => ({
        key: "p:" + axis.name, label: axis.name, param: true, axis,
        value: (r) => {
          const v = r.params[axis.name];
          if (v === null || v === undefined) return null;
          if (axis.kind !== "categorical") return v;
          const i = axis.categories.indexOf(v);
          return i < 0 ? axis.categories.length : i;
        },
      })),
    ];
    if (metric) {
      this.columns.push({ key: "metric", label: metric.name, metric: true,
                          value: (r) => (Number.isFinite(r.metric) ? r.metric : null) });
    }
    if (!this.sort || !this.columns.some((c) => c.key === this.sort.key)) {
      this.sort = metric ? { key: "metric", dir: metric.goal === "maximize" ? -1 : 1 }
        : { key: "created", dir: -1 };
    }
    this.metric = metric;
    this.renderHead();
    this.renderBody();
  }

  renderHead() {
    const cells = this.columns.map((column) => {
      const sorted = this.sort.key === column.key;
      const button = el("button", { type: "button", class: "sort",
                                    title: `Sort by ${column.label}`,
                                    onclick: () => this.toggleSort(column.key) },
        el("span", { text: column.label }),
        column.param && column.axis.log ? el("span", { class: "kind", text: "log" }) : null,
        column.metric ? el("span", { class: "kind", text: this.metric.goal === "maximize" ? "↑" : "↓" }) : null,
        el("span", { class: "arrow", "aria-hidden": "true", text: sorted ? (this.sort.dir > 0 ? "▲" : "▼") : "" }));
      return el("th", { class: column.param ? "param" : (column.metric ? "num" : ""),
                        "aria-sort": sorted ? (this.sort.dir > 0 ? "ascending" : "descending") : null,
                        dataset: { key: column.key } }, button);
    });
    this.table.tHead.replaceChildren(el("tr", {}, cells));
  }

  toggleSort(key) {
    this.sort = this.sort.key === key ? { key, dir: -this.sort.dir }
      : { key, dir: key === "created" ? -1 : 1 };
    this.renderHead();
    this.renderBody();
    this.table.tHead.querySelector(`th[data-key="${CSS.escape(key)}"] button`)?.focus();
  }

  sorted() {
    const column = this.columns.find((c) => c.key === this.sort.key);
    const dir = this.sort.dir;
    return [...this.runs].sort((a, b) => {
      const va = column.value(a), vb = column.value(b);
      if (va === null || vb === null) return va === vb ? 0 : (va === null ? 1 : -1);  // missing last
      if (va < vb) return -dir;
      if (va > vb) return dir;
      return 0;
    });
  }

  cell(run, column) {
    if (column.key === "name") {
      return el("td", {}, el("a", { class: "run-name", href: this.options.runBase + encodeURIComponent(run.name),
                                    title: run.name, text: run.display_name }));
    }
    if (column.key === "state") return el("td", {}, el("span", { class: `state state-${run.state}`, text: run.state }));
    if (column.key === "created") return el("td", { text: fmtDate(run.created_at) });
    if (column.metric) {
      return el("td", { class: "num metric", text: Number.isFinite(run.metric) ? fmtNumber(run.metric) : "" });
    }
    const v = run.params[column.axis.name];
    const text = v === null || v === undefined ? "" : (typeof v === "number" ? fmtNumber(v) : v);
    return el("td", { class: typeof v === "number" ? "num mono" : "mono", title: String(text), text });
  }

  renderBody() {
    const body = this.table.tBodies[0];
    this.rows = new Map();
    if (!this.runs.length) {
      body.replaceChildren(el("tr", {}, el("td", { class: "empty", colspan: this.columns.length,
        text: "No runs yet. Start an agent with the command above." })));
      this.updateCount();
      return;
    }
    const rows = this.sorted().map((run) => {
      const row = el("tr", { dataset: { run: run.name } }, this.columns.map((c) => this.cell(run, c)));
      row.addEventListener("mouseenter", () => this.options.onHover?.(run.name));
      row.addEventListener("mouseleave", () => this.options.onHover?.(null));
      row.addEventListener("focusin", () => this.options.onHover?.(run.name));
      row.addEventListener("focusout", () => this.options.onHover?.(null));
      this.rows.set(run.name, row);
      return row;
    });
    body.replaceChildren(...rows);
    this.applyFilters();
  }

  setVisible(names) {
    this.visible = names;
    this.applyFilters();
  }

  applyFilters() {
    for (const run of this.runs || []) {
      const row = this.rows.get(run.name);
      if (!row) continue;
      const byName = !this.nameFilter || run.display_name.toLowerCase().includes(this.nameFilter)
        || run.name.toLowerCase().includes(this.nameFilter);
      row.classList.toggle("hidden", !byName || Boolean(this.visible && !this.visible.has(run.name)));
    }
    this.updateCount();
  }

  updateCount() {
    const total = this.runs ? this.runs.length : 0;
    const shown = [...this.rows.values()].filter((r) => !r.classList.contains("hidden")).length;
    this.options.shown.textContent = shown === total ? String(total) : `${shown} of ${total}`;
  }

  highlight(name) {
    for (const row of this.table.querySelectorAll("tr.hot")) row.classList.remove("hot");
    if (name) this.rows.get(name)?.classList.add("hot");
  }
}
