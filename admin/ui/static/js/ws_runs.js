// The workspace's runs sidebar: the project's runs with the runs table's search, filters and
// group-by (the same URL parameters q, f and group, the same filter language evaluated by the
// server), an eye per run, and "show first N". It tells the board which runs to draw and how
// they are grouped.
import { el, getJSON, loadPref, savePref, showError } from "./ui.js";
import { runColor, PALETTE } from "./colors.js";
import * as query from "./runs_query.js";
import { renderFilterEditor } from "./filter_editor.js";

// Runs the sidebar lists (and the board may draw) at most.
const MAX_RUNS = 200;

function parseJSON(text, fallback) {
  try { return text ? JSON.parse(text) : fallback; } catch (e) { return fallback; }
}

export class RunsSidebar {
  // onChange({runs: [{name, label, color}], groups: [{label, color, runs: [names]}] | null})
  constructor(data, onChange) {
    this.data = data;
    this.onChange = onChange;
    const url = new URL(location.href);
    this.state = { search: url.searchParams.get("q") || "", filters: parseJSON(url.searchParams.get("f"), []),
                   group: url.searchParams.get("group") || "" };
    this.prefKey = `workspace.runs.${data.entity}/${data.project}`;
    const saved = loadPref(this.prefKey, {});
    this.limit = Number(saved.limit) || 10;
    this.hidden = new Set(saved.hidden || []);
    this.runs = [];
    this.list = document.getElementById("ws-runs");
    this.setupControls();
  }

  setupControls() {
    const search = document.getElementById("ws-search");
    search.value = this.state.search;
    let timer = null;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => { this.state.search = search.value; this.reload(); }, 250);
    });
    const limit = document.getElementById("ws-limit");
    limit.value = String(this.limit);
    if (limit.value !== String(this.limit)) limit.append(el("option", { selected: true, text: String(this.limit) }));
    limit.addEventListener("change", () => { this.limit = Number(limit.value); this.save(); this.render(); this.emit(); });
    const group = document.getElementById("ws-group");
    const keys = [...(this.data.varying_keys || []), ...this.data.config_keys.filter((k) => !(this.data.varying_keys || []).includes(k))];
    for (const key of keys) group.append(el("option", { value: key, text: key, selected: key === this.state.group }));
    group.addEventListener("change", () => { this.state.group = group.value; this.reload(); });
    const button = document.getElementById("ws-filter-button");
    const box = document.getElementById("ws-filters");
    button.addEventListener("click", () => {
      const open = box.classList.toggle("hidden") === false;
      button.setAttribute("aria-expanded", String(open));
      if (open) this.renderFilters(box);
    });
    this.updateFilterCount();
  }

  renderFilters(box) {
    const options = (selected) => query.allColumns({ fields: { state: { label: "State" }, username: { label: "User" },
                                                             group: { label: "Group" }, job_type: { label: "Job type" },
                                                             tags: { label: "Tags" } },
                                                    config_keys: this.data.config_keys, summary_keys: this.data.summary_keys })
      .map((c) => el("option", { value: c, selected: c === selected, text: c.replace(/^field:/, "").replace(":", ".") }));
    renderFilterEditor(box, this.state.filters, options, () => {
      box.classList.add("hidden");
      document.getElementById("ws-filter-button").setAttribute("aria-expanded", "false");
      this.updateFilterCount();
      this.reload();
    });
  }

  updateFilterCount() {
    document.getElementById("ws-filter-count").textContent = this.state.filters.length ? `(${this.state.filters.length})` : "";
  }

  save() { savePref(this.prefKey, { limit: this.limit, hidden: [...this.hidden] }); }

  // The same URL parameters as the runs table, so a link (and its tab) keeps the query.
  saveUrl() {
    const next = new URL(location.href);
    const set = (k, v) => { if (v) next.searchParams.set(k, v); else next.searchParams.delete(k); };
    set("q", this.state.search);
    set("f", this.state.filters.length ? JSON.stringify(this.state.filters) : "");
    set("group", this.state.group);
    history.replaceState(null, "", next);
    for (const link of document.querySelectorAll("a[data-keep-query]")) {
      const target = new URL(link.href);
      target.search = next.search;
      link.href = target.toString();
    }
  }

  async reload() {
    this.saveUrl();
    const params = new URLSearchParams({ order: "-created_at", first: String(MAX_RUNS) });
    if (this.state.group) params.set("cols", `config:${this.state.group}`);
    const filters = query.mongoFilters(this.state);
    if (filters) params.set("filters", filters);
    try {
      const page = await getJSON(`${this.data.api}/runs?${params}`);
      this.runs = page.runs;
      this.total = page.total;
    } catch (error) {
      showError(this.list, error);
      return;
    }
    this.render();
    this.emit();
  }

  // The runs drawn: the first N of the list, less those whose eye is closed.
  visibleRuns() {
    return this.runs.slice(0, this.limit).filter((r) => !this.hidden.has(r.name));
  }

  groupOf(run) {
    const value = run.values?.[`config:${this.state.group}`];
    return value === undefined || value === null ? "(not set)" : String(typeof value === "object" ? JSON.stringify(value) : value);
  }

  render() {
    const shown = new Set(this.runs.slice(0, this.limit).map((r) => r.name));
    document.getElementById("ws-run-count").textContent =
      `${this.total ?? this.runs.length} runs · ${this.visibleRuns().length} visible`;
    if (!this.runs.length) {
      this.list.replaceChildren(el("li", { class: "muted", text: "No runs match." }));
      return;
    }
    this.list.replaceChildren(...this.runs.map((run) => {
      const visible = shown.has(run.name) && !this.hidden.has(run.name);
      const swatch = el("span", { class: "swatch" });
      swatch.style.background = runColor(run.name);
      const eye = el("button", {
        type: "button", class: "small ghost eye", "aria-pressed": String(visible),
        disabled: !shown.has(run.name),
        "aria-label": `${visible ? "Hide" : "Show"} run ${run.display_name}`,
        title: shown.has(run.name) ? (visible ? "Hide in panels" : "Show in panels") : `Beyond the first ${this.limit}`,
        onclick: () => {
          if (this.hidden.has(run.name)) this.hidden.delete(run.name); else this.hidden.add(run.name);
          this.save(); this.render(); this.emit();
        } }, visible ? "◉" : "○");
      return el("li", { class: visible ? "" : "off", dataset: { run: run.name } }, eye, swatch,
        el("a", { href: this.data.run_base + encodeURIComponent(run.name), title: run.display_name, text: run.display_name }),
        this.state.group ? el("span", { class: "faint group-value", text: this.groupOf(run) }) : null);
    }));
  }

  emit() {
    const runs = this.visibleRuns().map((r) => ({ name: r.name, label: r.display_name, color: runColor(r.name) }));
    let groups = null;
    if (this.state.group) {
      const byLabel = new Map();
      for (const run of this.visibleRuns()) {
        const label = this.groupOf(run);
        if (!byLabel.has(label)) byLabel.set(label, []);
        byLabel.get(label).push(run.name);
      }
      groups = [...byLabel.entries()].map(([label, names], i) => ({
        label, runs: names, color: PALETTE[i % PALETTE.length], name: `group:${label}` }));
    }
    this.onChange({ runs, groups, groupKey: this.state.group });
  }
}
