// Scales for the sweep page: the metric's colour ramp (best runs warm, worst cool, whatever
// the goal) and axis scales (linear, logarithmic, categorical) with readable ticks.

// Readable on the light and the dark theme alike; the best end matches the accent colour.
export const RAMP = ["#3b5bdb", "#7048e8", "#ae3ec9", "#e64980", "#f76707"];

function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// t in [0, 1] -> a colour along the ramp.
export function rampColor(t) {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const at = clamped * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(at));
  const f = at - i;
  const a = hexToRgb(RAMP[i]), b = hexToRgb(RAMP[i + 1]);
  const mix = a.map((v, k) => Math.round(v + (b[k] - v) * f));
  return `rgb(${mix[0]}, ${mix[1]}, ${mix[2]})`;
}

export function rampGradient() {
  return `linear-gradient(to right, ${RAMP.join(", ")})`;
}

// metric value -> colour, best = warm end; null for runs without a value.
export function metricColorer(values, goal) {
  const finite = values.filter((v) => Number.isFinite(v));
  if (!finite.length) return () => null;
  const lo = Math.min(...finite), hi = Math.max(...finite);
  return (value) => {
    if (!Number.isFinite(value)) return null;
    const t = hi === lo ? 1 : (value - lo) / (hi - lo);
    return rampColor(goal === "maximize" ? t : 1 - t);
  };
}

function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const unit = raw / power;
  return (unit >= 5 ? 10 : unit >= 2 ? 5 : unit >= 1 ? 2 : 1) * power;
}

// A numeric scale over [lo, hi] onto [bottom, top] pixels; log when asked and possible.
// Integer parameters get integer ticks.
export function numericScale(lo, hi, bottom, top, log, integer = false) {
  log = Boolean(log) && lo > 0 && hi > 0;
  let a = log ? Math.log10(lo) : lo, b = log ? Math.log10(hi) : hi;
  if (a === b) {
    const pad = log ? 0.5 : (Math.abs(a) * 0.1 || 0.5);
    a -= pad; b += pad;
  }
  const toPixel = (value) => {
    if (!Number.isFinite(value) || (log && value <= 0)) return null;
    const v = log ? Math.log10(value) : value;
    return bottom + (v - a) / (b - a) * (top - bottom);
  };
  let ticks;
  if (log) {
    ticks = [];
    for (let p = Math.ceil(a); p <= Math.floor(b); p++) ticks.push(Math.pow(10, p));
    if (ticks.length < 2) ticks = [Math.pow(10, a), Math.pow(10, (a + b) / 2), Math.pow(10, b)];
  } else {
    const step = integer ? Math.max(1, niceStep(b - a, 5)) : niceStep(b - a, 5);
    ticks = [];
    for (let v = Math.ceil(a / step) * step; v <= b + step * 1e-9; v += step) {
      ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
  }
  return { toPixel, ticks, log };
}

// Categories evenly spaced from bottom to top.
export function categoricalScale(categories, bottom, top) {
  const n = Math.max(1, categories.length);
  const index = new Map(categories.map((c, i) => [c, i]));
  const at = (i) => bottom + (i + 0.5) / n * (top - bottom);
  return {
    toPixel: (value) => (index.has(value) ? at(index.get(value)) : null),
    ticks: categories.map((c, i) => ({ value: c, y: at(i) })),
  };
}

// Tick text: short (1e-4, 0.25, 128), never 1.0000e-4.
export function fmtTick(value) {
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e6) return value.toExponential(2).replace(/\.?0+e/, "e").replace("e+", "e");
  return String(Number(value.toPrecision(4)));
}
