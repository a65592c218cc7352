// Shared helpers for every page: theme toggle, keyboard shortcuts, fetching JSON, formatting.
// Every user-controlled string reaches the DOM through textContent or attributes, never innerHTML.

export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function pageData() {
  const node = document.getElementById("page-data");
  return node ? JSON.parse(node.textContent) : {};
}

export function apiBase() {
  return document.documentElement.dataset.uiApi;
}

export class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

export async function getJSON(url, { signal } = {}) {
  const response = await fetch(url, { credentials: "same-origin", signal,
                                      headers: { "Accept": "application/json" } });
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  if (!response.ok) {
    throw new HttpError(response.status, (body && body.error) || `HTTP ${response.status}`);
  }
  return body;
}

export async function sendJSON(method, url, payload) {
  const response = await fetch(url, {
    method, credentials: "same-origin",
    headers: { "Content-Type": "application/json", "Accept": "application/json",
               "X-CSRFToken": csrfToken() },
    body: JSON.stringify(payload || {}),
  });
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  if (!response.ok) {
    throw new HttpError(response.status, (body && body.error) || `HTTP ${response.status}`);
  }
  return body;
}

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

export function showError(container, error) {
  const box = el("div", { class: "error-box", role: "alert", text: String(error.message || error) });
  container.replaceChildren(box);
}

// -- formatting ------------------------------------------------------------------------------
export function fmtNumber(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (typeof value !== "number") return JSON.stringify(value);
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return Math.abs(value) >= 1e15 ? value.toExponential(4) : value.toLocaleString("en-US");
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(4);
  return value.toPrecision(5).replace(/\.?0+$/, "");
}

export function fmtValue(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") {
    if (value._type) return `<${value._type}>`;
    return JSON.stringify(value);
  }
  return fmtNumber(value);
}

// Whole seconds, cut down as the server's ui_duration filter does: one run shows one runtime
// in its header (rendered by the server, then kept up by live.js) and in every table.
export function fmtDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return "";
  seconds = Math.floor(seconds);
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60), s = seconds % 60;
  if (m < 60) return `${m}m ${s}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function fmtAgo(epochSeconds) {
  if (!epochSeconds) return "";
  const delta = Date.now() / 1000 - epochSeconds;
  if (delta < 45) return "just now";
  return fmtDuration(delta).split(" ")[0] + " ago";
}

export function fmtBytes(n) {
  if (!Number.isFinite(n)) return "";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${i ? n.toFixed(n < 10 ? 1 : 0) : n} ${units[i]}`;
}

export function fmtDate(epochSeconds) {
  if (!epochSeconds) return "";
  const d = new Date(epochSeconds * 1000);
  return d.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric",
                                      hour: "2-digit", minute: "2-digit" });
}

// Times rendered by the server carry data-ts; show them in the reader's time zone.
export function localizeTimes(root = document) {
  for (const node of root.querySelectorAll("time[data-ts]")) {
    const ts = Number(node.dataset.ts);
    if (!ts) continue;
    node.textContent = node.dataset.format === "ago" ? fmtAgo(ts) : fmtDate(ts);
    node.title = new Date(ts * 1000).toISOString();
  }
}

// -- persisted preferences --------------------------------------------------------------------
export function loadPref(key, fallback) {
  try {
    const raw = localStorage.getItem("roost." + key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch (e) { return fallback; }
}

export function savePref(key, value) {
  try { localStorage.setItem("roost." + key, JSON.stringify(value)); } catch (e) { /* full */ }
}

// -- theme and keyboard ------------------------------------------------------------------------
function setupTheme() {
  const button = document.getElementById("theme-toggle");
  if (!button) return;
  const label = () => {
    const dark = document.documentElement.dataset.theme === "dark";
    button.textContent = dark ? "☀" : "☾";
    button.setAttribute("aria-label", dark ? "Switch to light theme" : "Switch to dark theme");
    button.title = button.getAttribute("aria-label") + " (t)";
  };
  button.addEventListener("click", () => {
    const next = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
    document.documentElement.dataset.theme = next;
    try { localStorage.setItem("roost.theme", next); } catch (e) { /* storage disabled */ }
    label();
    window.dispatchEvent(new CustomEvent("roost:theme", { detail: next }));
  });
  label();
}

function typing(event) {
  const t = event.target;
  return t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
}

function setupKeys() {
  let pendingG = false;
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    const search = document.getElementById("global-search");
    if (event.key === "/" && search) { event.preventDefault(); search.focus(); search.select(); return; }
    if (event.key === "t") { document.getElementById("theme-toggle")?.click(); return; }
    if (event.key === "?") { document.getElementById("help-dialog")?.showModal(); return; }
    if (pendingG) {
      pendingG = false;
      const target = { h: "home", p: "project", s: "settings", a: "artifacts" }[event.key];
      const link = target && document.querySelector(`[data-nav="${target}"]`);
      if (link) link.click();
      return;
    }
    if (event.key === "g") { pendingG = true; setTimeout(() => { pendingG = false; }, 1200); }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupTheme();
  setupKeys();
  localizeTimes();
});
