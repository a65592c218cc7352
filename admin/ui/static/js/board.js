// A board of metric charts for one or more runs: one chart per key, grouped by key prefix,
// loaded lazily (visible charts first, a few keys per request), redrawn when the settings
// change. The run page uses it with one run (and live updates), compare with several.
import { el, getJSON, loadPref, savePref } from "./ui.js";
import { MetricChart } from "./chart.js";

// The first request asks for few keys so the first charts draw soon; later ones batch more.
const FIRST_REQUEST_KEYS = 2;
const KEYS_PER_REQUEST = 4;
const PARALLEL_REQUESTS = 3;
// One point (a min/max/last bucket) per this many pixels of chart width.
const PIXELS_PER_POINT = 2;

export class ChartBoard {
  // runs: [{name, label, color, api}] (api: the run's series endpoint)
  constructor({ root, runs, groups, prefsKey, bandDefault = true }) {
    this.root = root;
    this.runs = runs;
    this.prefsKey = prefsKey;
    this.settings = loadPref(prefsKey, { x: "step", smoothing: 0, log: false, band: bandDefault });
    this.charts = new Map();
    this.queue = [];
    this.active = 0;
    this.observer = new IntersectionObserver((entries) => this.onVisible(entries), { rootMargin: "300px 0px" });
    for (const group of groups) this.addSection(group.prefix, group.keys);
    this.setupControls();
  }

  async fetchKeys(keys, extra) {
    const replies = await Promise.all(this.runs.map((run) => {
      const params = new URLSearchParams({ keys: keys.join(","), ...extra });
      return getJSON(`${run.api}?${params}`);
    }));
    const byKey = {};
    for (const key of keys) {
      byKey[key] = {};
      this.runs.forEach((run, i) => { if (replies[i].series[key]) byKey[key][run.name] = replies[i].series[key]; });
    }
    return byKey;
  }

  addSection(prefix, keys) {
    const section = el("details", { class: "chart-section", open: true, dataset: { prefix } },
      el("summary", {}, prefix || "Charts", el("span", { class: "count", text: `${keys.length}` })));
    const grid = el("div", { class: "charts" });
    section.append(grid);
    this.root.append(section);
    for (const key of keys) {
      const title = prefix && key.startsWith(prefix + "/") ? key.slice(prefix.length + 1) : key;
      this.addChart(grid, key, title);
    }
    return grid;
  }

  addChart(grid, key, title) {
    const chart = new MetricChart(grid, {
      key, title, runs: this.runs, settings: this.settings,
      fetchRange: async (k, minStep, maxStep) => (await this.fetchKeys([k], {
        points: this.points(k), min_step: minStep, max_step: maxStep }))[k],
      onZoom: () => this.updateResetButton(),
      onResetAll: () => this.resetAll(),
    });
    this.charts.set(key, chart);
    this.observer.observe(chart.node);
    return chart;
  }

  onVisible(entries) {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      this.observer.unobserve(entry.target);
      const key = entry.target.dataset.key;
      if (!this.charts.get(key).loaded && !this.queue.includes(key)) this.queue.push(key);
    }
    this.pump();
  }

  pump() {
    // Until the first answer arrives, one request at a time: on a busy server the first
    // charts come sooner without the later ones competing with them.
    const limit = this.answered ? PARALLEL_REQUESTS : 1;
    while (this.active < limit && this.queue.length) {
      const keys = this.queue.splice(0, this.requests ? KEYS_PER_REQUEST : FIRST_REQUEST_KEYS);
      this.requests = (this.requests || 0) + 1;
      const points = this.points(keys[0]);
      this.active += 1;
      this.fetchKeys(keys, { points })
        .then((byKey) => {
          for (const key of keys) {
            const chart = this.charts.get(key);
            const found = Object.entries(byKey[key] || {});
            if (!found.length) { chart.fail("no numeric values"); continue; }
            for (const [run, series] of found) chart.full.set(run, series);
            chart.render();
          }
        })
        .catch((error) => { for (const key of keys) this.charts.get(key).fail(error.message); })
        .finally(() => { this.active -= 1; this.answered = true; this.pump(); });
    }
  }

  points(key) {
    return Math.max(100, Math.min(1000, Math.round(this.charts.get(key).width() / PIXELS_PER_POINT)));
  }

  // Live: append what came after ``sinceStep`` to every loaded chart.
  async appendSince(sinceStep) {
    const loaded = [...this.charts.values()].filter((c) => c.loaded).map((c) => c.key);
    for (let i = 0; i < loaded.length; i += KEYS_PER_REQUEST) {
      const keys = loaded.slice(i, i + KEYS_PER_REQUEST);
      const byKey = await this.fetchKeys(keys, { points: 400, min_step: sinceStep + 1 });
      for (const key of keys) {
        for (const [run, series] of Object.entries(byKey[key] || {})) this.charts.get(key).append(run, series);
      }
    }
  }

  addKeys(keys) {
    const fresh = keys.filter((k) => !this.charts.has(k));
    if (!fresh.length) return;
    const grid = this.root.querySelector(".chart-section:last-of-type .charts") || this.addSection("", []);
    for (const key of fresh) this.addChart(grid, key, key);
  }

  resetAll() {
    for (const chart of this.charts.values()) chart.resetZoom();
    this.updateResetButton();
  }

  updateResetButton() {
    const button = document.getElementById("reset-zoom");
    if (button) button.disabled = ![...this.charts.values()].some((c) => c.zoom);
  }

  redrawAll() {
    savePref(this.prefsKey, this.settings);
    for (const chart of this.charts.values()) chart.redraw();
  }

  setupControls() {
    const s = this.settings;
    for (const button of document.querySelectorAll("[data-x]")) {
      button.setAttribute("aria-pressed", String(button.dataset.x === s.x));
      button.addEventListener("click", () => {
        s.x = button.dataset.x;
        for (const b of document.querySelectorAll("[data-x]")) b.setAttribute("aria-pressed", String(b === button));
        for (const chart of this.charts.values()) chart.zoom = null;
        this.updateResetButton();
        this.redrawAll();
      });
    }
    const slider = document.getElementById("smoothing");
    const shown = document.getElementById("smoothing-value");
    if (slider) {
      slider.value = s.smoothing;
      shown.textContent = Number(s.smoothing).toFixed(2);
      slider.addEventListener("input", () => {
        s.smoothing = Number(slider.value);
        shown.textContent = s.smoothing.toFixed(2);
        this.redrawAll();
      });
    }
    const toggle = (id, name) => {
      const box = document.getElementById(id);
      if (!box) return;
      box.checked = s[name];
      box.addEventListener("change", () => { s[name] = box.checked; this.redrawAll(); });
    };
    toggle("log-scale", "log");
    toggle("show-band", "band");
    document.getElementById("reset-zoom")?.addEventListener("click", () => this.resetAll());
    const filter = document.getElementById("chart-filter");
    filter?.addEventListener("input", () => {
      const text = filter.value.trim().toLowerCase();
      for (const [key, chart] of this.charts) chart.node.classList.toggle("hidden", !!text && !key.toLowerCase().includes(text));
      for (const section of this.root.querySelectorAll(".chart-section")) {
        section.classList.toggle("hidden", !section.querySelector(".chart:not(.hidden)"));
      }
    });
    window.addEventListener("roost:theme", () => this.redrawAll());
    let timer = null;
    window.addEventListener("resize", () => {
      clearTimeout(timer);
      timer = setTimeout(() => { for (const chart of this.charts.values()) chart.resize(); }, 150);
    });
  }
}
