"""A sweep's runs as the controller sees them: assignments joined with the run records the SDK
wrote, their effective states, and the metric values the search needs."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from roost.core.dotted import dotted_get
from roost.core.sweeps.engine import RunView

TERMINAL = {"finished", "failed", "crashed", "killed", "preempted", "lost"}
ACTIVE = {"pending", "running"}
# "lost": handed out but wandb.init never ran; not a run of the sweep, not counted.
# Enough history for any hyperband bracket and for a run's best metric value.
HISTORY_LIMIT = 10_000


@dataclass
class SweepRun:
    """An assignment and, once the SDK created the run, its record: the light form
    (``id``, ``name``, ``state``, ``heartbeat_at``) from ``sweep_run_states``, or a full one."""

    assignment: dict
    record: dict | None

    @property
    def name(self) -> str:
        return self.assignment["run_name"]

    @property
    def state(self) -> str:
        return self.assignment["state"]

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    def params(self) -> dict:
        """The parameters it was handed (for a run attached by hand, its config then): what
        the search counts as tried."""
        try:
            params = json.loads(self.assignment["params"] or "{}")
        except ValueError:
            return {}
        return params if isinstance(params, dict) else {}


def counted(runs: list[SweepRun]) -> list[SweepRun]:
    """The runs that count: all but the lost ones."""
    return [run for run in runs if run.state != "lost"]


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def metric_values(storage, record: dict, metric: str, limit: int = HISTORY_LIMIT) -> list:
    """The metric's values in the run's history, oldest first."""
    values = []
    for line in storage.read_history(record["id"], "history", None, None, limit):
        try:
            row = json.loads(line)
        except ValueError:
            continue
        value = dotted_get(row, metric) if isinstance(row, dict) else None
        if value is not None:
            values.append(value)
    return values


def stored_metric(run: SweepRun) -> dict | None:
    """``{"history": [...], "summary": v}`` saved when the run ended, if any."""
    text = run.assignment.get("metric_history") or ""
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def metric_snapshot(storage, run: SweepRun, metric: str) -> dict:
    """The metric's logged values and its summary value, read from the run now."""
    record = storage.get_run_by_id(run.record["id"]) if run.record is not None else None
    if record is None:
        return {"history": [], "summary": None}
    try:
        summary = json.loads(record["summary_metrics"] or "{}")
    except ValueError:
        summary = {}
    value = dotted_get(summary, metric) if isinstance(summary, dict) else None
    return {"history": metric_values(storage, record, metric),
            "summary": value if is_number(value) else None}


def view(storage, run: SweepRun, metric: str | None, live: bool) -> RunView:
    """The engine's view of a run. ``live`` reads a running run's history now; an ended run
    uses what was saved when it ended."""
    snapshot = stored_metric(run)
    if snapshot is None and metric and (live or not run.active):
        snapshot = metric_snapshot(storage, run, metric)
    history, summary = [], {}
    if snapshot and metric:
        history = [{metric: v} for v in snapshot.get("history", [])]
        if snapshot.get("summary") is not None:
            summary = {metric: snapshot["summary"]}
    return RunView(name=run.name, state=run.state, config=run.params(), summary=summary,
                   history=history)


def best_value(runs: list[SweepRun], metric: dict | None) -> float | None:
    """The best summary value of the metric among runs that ended with one (bestLoss). The
    summary, as W&B does and as the sweep page's table shows it: the minimum over every logged
    step would name a value no run ended with."""
    if not metric:
        return None
    pick = max if metric.get("goal") == "maximize" else min
    candidates = []
    for run in runs:
        if run.state not in ("finished", "killed"):
            continue
        summary = (stored_metric(run) or {}).get("summary")
        if is_number(summary):
            candidates.append(summary)
    return float(pick(candidates)) if candidates else None
