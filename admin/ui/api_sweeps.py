"""JSON for the sweep page: its runs as points (table and parallel coordinates), the
parameter importance, and the sweep's controls (pause, resume, stop, cancel). Reads are GET;
the sweep is read first, so a sweep the caller may not see is a 404 here as on the page. The
controls are a POST that web_auth checks for the session's CSRF token, and change the sweep
through the same core call as `wandb sweep --pause/--resume/--stop/--cancel` (upsertSweep).
"""

from __future__ import annotations

import json
from collections import Counter

from flask import jsonify, request

from roost.admin.ui.blueprint import bp, core, me
from roost.admin.ui.sweep_axes import sweep_points
from roost.admin.ui.sweep_importance import parameter_importance
from roost.core.errors import Conflict, InvalidArgument

# action -> (the state it sets, the states it applies to), as `wandb sweep --ACTION` means it:
# stop lets the running runs finish, cancel kills them.
ACTIONS = {"pause": ("PAUSED", {"RUNNING"}), "resume": ("RUNNING", {"PAUSED"}),
           "stop": ("FINISHED", {"RUNNING", "PAUSED"}),
           "cancel": ("CANCELED", {"RUNNING", "PAUSED"})}
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


@bp.post("/_ui/api/<entity:entity>/<project>/sweeps/<sweep_id>/state")
def api_sweep_state(entity: str, project: str, sweep_id: str):
    action = (request.get_json(silent=True) or {}).get("action")
    if action not in ACTIONS:
        raise InvalidArgument(f"send {{\"action\": ...}} with one of {', '.join(ACTIONS)}")
    sweep = core().sweeps.get(me(), entity, project, sweep_id)
    target, applies_to = ACTIONS[action]
    if sweep.state not in applies_to:
        raise Conflict(f"cannot {action} sweep {sweep.name}: it is {sweep.state.lower()} "
                       f"(only a {' or '.join(sorted(s.lower() for s in applies_to))} sweep "
                       "can be)")
    changed = core().sweeps.upsert(me(), id=sweep.id, state=target).sweep
    return jsonify({"sweep": sweep_summary(changed)})
