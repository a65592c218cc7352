"""Chart series for the browser, shaped from the core's sampled history reads.

The core answers a key's rows chosen as each bucket's minimum, maximum and last value
(``UiSeries.buckets`` says how many buckets; 0 when every value is there). :func:`shape_series`
turns them back into at most that many points, each with the bucket's last value (the line)
and its minimum and maximum (the band), so the line never zigzags between a bucket's
extremes. :func:`group_series` draws many runs as one: per x bucket the mean of the runs'
values, their minimum and maximum and the mean plus or minus one standard deviation,
computed here so the browser gets one series per group rather than one per run.
"""

from __future__ import annotations

import math

X_AXES = ("step", "runtime", "time")


def finite(value: float, digits: int = 7):
    if value is None or not math.isfinite(value):
        return None
    return float(f"{value:.{digits}g}")


def _buckets(steps: list[float], count: int) -> list[tuple[int, int]]:
    """Index ranges of ``count`` even step buckets over the rows (the engine's own split:
    slot = offset * count // span, so a core bucket never straddles two of these)."""
    first, span = steps[0], steps[-1] - steps[0] + 1
    out, start, slot = [], 0, 0
    for i, step in enumerate(steps):
        this = int((step - first) * count // span)
        if i and this != slot:
            out.append((start, i))
            start = i
        slot = this
    out.append((start, len(steps)))
    return out


def shape_series(series, points: int) -> dict:
    """One key's rows as at most ``points`` points: ``x`` per axis (step, runtime, time and
    ``metric`` when the core sent a logged x key), ``y`` (bucket's last value), ``lo``/``hi``
    (bucket's minimum and maximum)."""
    steps, values = list(series.steps), list(series.values)
    runtimes, times = list(series.runtimes), list(series.timestamps)
    xs = list(getattr(series, "xs", []))
    sampled = int(getattr(series, "buckets", 0) or 0)
    n = len(steps)
    out = {"x": {"step": [], "runtime": [], "time": []}, "y": [], "lo": [], "hi": []}
    if xs:
        out["x"]["metric"] = []
    if not n:
        return out
    if not sampled and n <= points:
        ranges = [(i, i + 1) for i in range(n)]
    else:
        # Sampled rows come three to a core bucket (min, max, last): never split finer than
        # the core's buckets, or each point would be one extreme and the line would zigzag.
        ranges = _buckets(steps, min(points, sampled) if sampled else points)
    for start, end in ranges:
        chunk = [v for v in values[start:end] if math.isfinite(v)]
        tail = end - 1
        out["x"]["step"].append(steps[tail])
        out["x"]["runtime"].append(round(runtimes[tail], 3))
        out["x"]["time"].append(round(times[tail], 3))
        if xs:
            out["x"]["metric"].append(finite(xs[tail], 9))
        out["y"].append(finite(values[tail]))
        out["lo"].append(finite(min(chunk)) if chunk else None)
        out["hi"].append(finite(max(chunk)) if chunk else None)
    return out


def group_series(shaped: list[dict], axis: str, points: int) -> dict:
    """Runs' shaped series as one: per even bucket of the x axis, the mean of each run's
    last value in it (``y``), the runs' minimum and maximum (``lo``/``hi``), mean -/+ one
    standard deviation (``std_lo``/``std_hi``) and how many runs had a value (``n``)."""
    pairs = []
    for series in shaped:
        xs = series["x"].get(axis) or []
        pairs.append([(x, y) for x, y in zip(xs, series["y"])
                      if x is not None and y is not None])
    every = [x for run in pairs for x, _ in run]
    out = {"x": [], "y": [], "lo": [], "hi": [], "std_lo": [], "std_hi": [], "n": []}
    if not every:
        return out
    low, high = min(every), max(every)
    width = (high - low) / points if high > low else 1.0
    slots: dict[int, dict[int, tuple[float, float]]] = {}
    for run_index, run in enumerate(pairs):
        for x, y in run:
            slot = min(points - 1, int((x - low) / width))
            slots.setdefault(slot, {})[run_index] = (x, y)  # the run's last value there
    for slot in sorted(slots):
        found = list(slots[slot].values())
        ys = [y for _, y in found]
        mean = sum(ys) / len(ys)
        std = math.sqrt(sum((y - mean) ** 2 for y in ys) / len(ys))
        out["x"].append(finite(sum(x for x, _ in found) / len(found), 9))
        out["y"].append(finite(mean))
        out["lo"].append(finite(min(ys)))
        out["hi"].append(finite(max(ys)))
        out["std_lo"].append(finite(mean - std))
        out["std_hi"].append(finite(mean + std))
        out["n"].append(len(ys))
    return out
