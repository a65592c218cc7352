// Live run state: while a run is running the page polls a small JSON document (state, last
// step, line counts) and subscribers fetch only what is new since what they have.
import { el, pageData, getJSON, fmtDuration } from "./ui.js";

const data = pageData();
const INTERVAL_MS = 5000;
const subscribers = [];
let previous = { state: data.state, last_step: data.last_step ?? -1, log_lines: data.log_lines ?? 0 };
let timer = null;

export function onLive(callback) { subscribers.push(callback); }

export function liveState() { return previous; }

function showState(live) {
  const holder = document.getElementById("run-state");
  if (holder) holder.replaceChildren(el("span", { class: `state state-${live.state}`, text: live.state }));
  const runtime = document.getElementById("run-runtime");
  if (runtime) runtime.textContent = fmtDuration(live.runtime);
  const indicator = document.getElementById("live-indicator");
  if (indicator) indicator.textContent = live.state === "running" ? "live · updates every 5 s" : "";
}

async function poll() {
  timer = null;
  try {
    const live = await getJSON(`${data.api}/live`);
    showState(live);
    for (const callback of subscribers) {
      try { await callback(live, previous); } catch (error) { console.warn("live update failed", error); }
    }
    previous = live;
    if (live.state === "running" && !document.hidden) timer = setTimeout(poll, INTERVAL_MS);
  } catch (error) {
    timer = setTimeout(poll, INTERVAL_MS * 3);
  }
}

document.addEventListener("visibilitychange", () => {
  if (!document.hidden && previous.state === "running" && timer === null) poll();
});

if (data.state === "running") {
  showState({ state: data.state, runtime: NaN });
  timer = setTimeout(poll, INTERVAL_MS);
}
