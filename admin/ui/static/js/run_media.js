// Media logged with run.log: images (with captions) by step, tables rendered, histograms over
// steps (a heatmap and the distribution at a chosen step), audio and video players.
// Every logged string reaches the page as text; files are fetched from the run's own files.
import { el, pageData, getJSON, showError, fmtNumber } from "./ui.js";
import { onLive } from "./live.js";
import { WbTable } from "./wb_table.js";

const data = pageData();
const root = document.getElementById("media-root");
const panels = new Map();

function stepSlider(entries, onStep) {
  const label = el("span", { class: "mono" });
  const slider = el("input", { type: "range", min: 0, max: Math.max(0, entries.length - 1), value: entries.length - 1,
                               "aria-label": "Step" });
  const update = () => {
    const entry = entries[Number(slider.value)];
    label.textContent = `step ${entry.step} (${Number(slider.value) + 1}/${entries.length})`;
    onStep(entry);
  };
  slider.addEventListener("input", update);
  const node = el("div", { class: "step-slider" }, el("span", { class: "muted", text: "Step" }), slider, label);
  return { node, update, slider };
}

function imageItem(url, caption, alt) {
  return el("figure", { class: "media-item" },
    el("img", { src: url, alt: alt || caption || "logged image", loading: "lazy" }),
    caption ? el("figcaption", { class: "caption", text: caption }) : null);
}

function renderImages(body, entries, key) {
  const view = el("div", { class: "media-grid" });
  const { node, update } = stepSlider(entries, (entry) => {
    const v = entry.value;
    if (v._type === "images/separated") {
      const captions = v.captions || [];
      view.replaceChildren(...(v.urls || []).map((url, i) => imageItem(url, captions[i], `${key} #${i}`)));
    } else if (v.url) {
      view.replaceChildren(imageItem(v.url, v.caption, key));
    } else {
      view.replaceChildren(el("p", { class: "muted", text: "This entry names no file." }));
    }
  });
  body.append(node, view);
  update();
}

function runFileUrl(path) {
  return `${data.api.replace("/_ui/api/", "/")}/files/${path.split("/").map(encodeURIComponent).join("/")}`;
}

async function renderTable(body, entries) {
  const view = el("div", { class: "wb-table" });
  const table = new WbTable(view, { imageUrl: runFileUrl });
  const { node, update } = stepSlider(entries, async (entry) => {
    const v = entry.value;
    if (!v.url) { view.replaceChildren(el("p", { class: "muted", text: "This entry names no file." })); return; }
    view.replaceChildren(el("span", { class: "spinner" }));
    try {
      const logged = await getJSON(v.url);
      table.setData(logged.columns || [], logged.data || []);
    } catch (error) { showError(view, error); }
  });
  body.append(node, view);
  update();
}

function histogramCanvas(entries) {
  // Heatmap: x = entry (step), y = value, color = share of the entry's counts in that bin.
  const width = 640, height = 180;
  const canvas = el("canvas", { width, height, class: "histo-canvas", role: "img",
                                "aria-label": "Histogram over steps" });
  const ctx = canvas.getContext("2d");
  let low = Infinity, high = -Infinity;
  for (const e of entries) {
    const bins = e.value.bins || [];
    if (bins.length) { low = Math.min(low, bins[0]); high = Math.max(high, bins[bins.length - 1]); }
  }
  if (!Number.isFinite(low) || high <= low) return canvas;
  const accent = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim() || "#e8590c";
  const column = width / entries.length;
  entries.forEach((e, i) => {
    const values = e.value.values || [], bins = e.value.bins || [];
    const peak = Math.max(1, ...values);
    values.forEach((count, b) => {
      if (!count) return;
      const y0 = height - ((bins[b] - low) / (high - low)) * height;
      const y1 = height - ((bins[b + 1] - low) / (high - low)) * height;
      ctx.globalAlpha = Math.min(1, 0.12 + count / peak);
      ctx.fillStyle = accent;
      ctx.fillRect(i * column, y1, Math.max(1, column), Math.max(1, y0 - y1));
    });
  });
  return canvas;
}

function renderHistogram(body, entries) {
  const uPlot = window.uPlot;
  const bars = el("div", { class: "histo" });
  let plot = null;
  const { node, update } = stepSlider(entries, (entry) => {
    const v = entry.value;
    const bins = v.bins || [], values = v.values || [];
    const centers = values.map((_, i) => (bins[i] + bins[i + 1]) / 2);
    const plotData = [centers, values];
    if (plot) { plot.setData(plotData); return; }
    if (!uPlot) { bars.textContent = values.join(", "); return; }
    const muted = getComputedStyle(document.documentElement).getPropertyValue("--muted").trim();
    plot = new uPlot({ width: Math.min(640, body.clientWidth || 640), height: 200,
      legend: { show: false }, cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: [{ stroke: muted }, { stroke: muted, size: 50 }],
      series: [{}, { label: "count", fill: "rgba(232, 89, 12, 0.35)", stroke: "#e8590c",
                     paths: uPlot.paths.bars({ size: [0.95, 100] }), points: { show: false } }] },
      plotData, bars);
  });
  const bins = entries.flatMap((e) => e.value.bins || []);
  const range = bins.length ? ` · values ${fmtNumber(Math.min(...bins))} (bottom) to ${fmtNumber(Math.max(...bins))} (top)` : "";
  body.append(el("h3", { text: `Over steps: step ${entries[0].step} (left) to ${entries[entries.length - 1].step} (right)${range}` }),
              histogramCanvas(entries),
              el("h3", { text: "At one step" }), node, bars);
  update();
}

function renderPlayer(body, entries, tag) {
  const view = el("div", { class: "media-grid" });
  const { node, update } = stepSlider(entries, (entry) => {
    const v = entry.value;
    view.replaceChildren(v.url ? el("figure", { class: "media-item" }, el(tag, { src: v.url, controls: true, preload: "metadata" }),
      v.caption ? el("figcaption", { class: "caption", text: v.caption }) : null) : el("p", { class: "muted", text: "No file." }));
  });
  body.append(node, view);
  update();
}

function renderFiles(body, entries) {
  const list = el("ul", { class: "list" });
  for (const entry of entries.slice(-50)) {
    const v = entry.value;
    list.append(el("li", {}, el("span", { class: "mono", text: `step ${entry.step}` }),
      v.url ? el("a", { href: `${v.url}?download=1`, text: v.path || "file" }) : el("span", { text: JSON.stringify(v) })));
  }
  body.append(el("p", { class: "muted", text: "This media type is offered as files to download." }), list);
}

async function loadPanel(media) {
  let panel = panels.get(media.key);
  if (!panel) {
    panel = el("section", { class: "panel", dataset: { key: media.key } },
      el("div", { class: "panel-head" }, el("h2", {}, media.key, " ", el("span", { class: "pill", text: media.type }))),
      el("div", { class: "body" }, el("span", { class: "spinner" })));
    panels.set(media.key, panel);
    root.append(panel);
  }
  const body = panel.querySelector(".body");
  try {
    const reply = await getJSON(`${data.api}/media?key=${encodeURIComponent(media.key)}`);
    const entries = reply.entries.filter((e) => e.value && e.value._type !== "value");
    body.replaceChildren();
    if (!entries.length) { body.append(el("p", { class: "muted", text: "Nothing logged yet." })); return; }
    const type = media.type;
    if (type === "image-file" || type === "images/separated") renderImages(body, entries, media.key);
    else if (type === "table-file" || type === "joined-table" || type === "partitioned-table") await renderTable(body, entries);
    else if (type === "histogram") renderHistogram(body, entries);
    else if (type === "audio-file") renderPlayer(body, entries, "audio");
    else if (type === "video-file") renderPlayer(body, entries, "video");
    else renderFiles(body, entries);
  } catch (error) { showError(body, error); }
}

for (const media of data.media) loadPanel(media);

onLive(async (live, previous) => {
  if (live.last_step <= previous.last_step) return;
  for (const media of data.media) {
    if ((live.media || []).includes(media.key)) await loadPanel(media);
  }
});
