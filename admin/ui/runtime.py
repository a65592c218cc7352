"""A run's runtime as W&B counts it: seconds it ran, summed over its sessions (a resumed run
continues where it stopped; the time between sessions is not runtime).

wandb keeps that count itself: on resume it reads ``_wandb.runtime``/``_runtime`` back from the
summary and the history tail and starts its clock there (wandb-core runbranch/resume.go), so
history rows and the summary carry the accumulated ``_runtime``. Its system monitor does not:
each session's events (wandb-events.jsonl) restart ``_runtime`` near 0, which drew a resumed
run's System tab as points going backwards. Both are made continuous here, in one place, for
the run header, the tables and the System tab.
"""

from __future__ import annotations

import math


def finite_number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def run_runtime(run, summary: dict) -> float:
    """Seconds the run has run over all its sessions: the runtime wandb last reported (with
    the summary's ``_runtime`` at its ``_timestamp``) plus the time it has been alive since
    that report (its last heartbeat); a run that never reported one counts from its creation."""
    wall = max(0.0, run.heartbeat_at - run.created_at)
    reported, stamp = finite_number(summary.get("_runtime")), finite_number(summary.get("_timestamp"))
    meta = summary.get("_wandb")
    total = finite_number(meta.get("runtime")) if isinstance(meta, dict) else None
    if reported is None and total is None:
        return wall
    since = max(0.0, run.heartbeat_at - stamp) if reported is not None and stamp else 0.0
    runtime = max(reported or 0.0, total or 0.0) + since
    return min(runtime, wall) if wall else runtime


def continuous_runtimes(values: list[float | None]) -> list[float]:
    """Per-sample ``_runtime`` values (in line order) made continuous across sessions: where a
    value falls below the one before it, a new session began, and it continues from the last
    value of the session before."""
    out: list[float] = []
    offset = previous_raw = 0.0
    for value in values:
        raw = value if value is not None else previous_raw
        if raw < previous_raw and out:
            offset = out[-1]
        out.append(raw + offset)
        previous_raw = raw
    return out
