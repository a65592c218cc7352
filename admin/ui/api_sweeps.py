"""JSON for the sweep page: its runs as points (table and parallel coordinates) and the
parameter importance. GET only; the sweep is read first, so a sweep the caller may not see
is a 404 here as on the page.
"""

from __future__ import annotations

import json
from collections import Counter

from flask import jsonify

from roost.admin.ui.blueprint import bp, core, me
from roost.admin.ui.sweep_axes import sweep_points
from roost.admin.ui.sweep_importance import parameter_importance

# The page shows a sweep's latest runs up to this many (a sweep of more says so).
MAX_RUNS = 5000
PAGE = 1000


def sweep_runs(entity: str, project: str, name: str) -> tuple[list, int]:
    """The sweep's latest runs (oldest first) and how many it has in all."""
    filters = json.dumps({"sweep": name})
    runs, after = [], ""
    while len(runs) < MAX_RUNS:
        page = core().list_runs(me(), entity, project, filters=filters, order="-created_at",
                                after=after, first=PAGE)
        runs += page.runs
        if not page.has_next_page or not page.runs:
            break
        after = page.end_cursor
    runs = runs[:MAX_RUNS]
    total = len(runs)
    if total == MAX_RUNS:
        total = core().count_runs(me(), entity, project, filters=filters)
    runs.reverse()
    return runs, total


def sweep_summary(sweep) -> dict:
    return {"name": sweep.name, "state": sweep.state, "method": sweep.method,
            "run_count": sweep.run_count,
            "run_count_expected": (sweep.run_count_expected
                                   if sweep.HasField("run_count_expected") else None),
            "best": sweep.best_loss if sweep.HasField("best_loss") else None}


@bp.get("/_ui/api/<entity:entity>/<project>/sweeps/<sweep_id>/runs")
def api_sweep_runs(entity: str, project: str, sweep_id: str):
    sweep = core().sweeps.get(me(), entity, project, sweep_id)
    runs, total = sweep_runs(entity, project, sweep.name)
    points = sweep_points(sweep.config, runs)
    counts = Counter(point["state"] for point in points["runs"])
    return jsonify(points | {"sweep": sweep_summary(sweep), "counts": dict(counts),
                             "total": total, "truncated": total > len(runs)})


@bp.get("/_ui/api/<entity:entity>/<project>/sweeps/<sweep_id>/importance")
def api_sweep_importance(entity: str, project: str, sweep_id: str):
    sweep = core().sweeps.get(me(), entity, project, sweep_id)
    runs, _ = sweep_runs(entity, project, sweep.name)
    points = sweep_points(sweep.config, runs)
    return jsonify(parameter_importance(points["runs"], points["axes"], points["metric"]))
