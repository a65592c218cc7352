"""JSON for the project workspace: the series of a panel for the visible runs, one call per
panel (or a few panels), and the same for groups of runs drawn as one line with a band.

``GET /_ui/api/<entity>/<project>/workspace/series?runs=a,b&keys=loss&x=step&points=300``
answers ``{"x": "step", "series": {key: {run: shaped}}}`` (shaped as the run page's charts:
x per axis, the line, the min/max band). With ``groups=[["label", ["a", "b"]], ...]`` it
answers ``{"groups": {key: {label: {x, y, lo, hi, std_lo, std_hi, n}}}}`` instead: the mean
and bands are computed here, so 100 runs in 5 groups send 5 series, not 100.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from flask import jsonify, request

from roost.admin.ui.api_run import _int_arg
from roost.admin.ui.blueprint import bp, core, me
from roost.admin.ui.series_shape import X_AXES, group_series, shape_series
from roost.core.errors import InvalidArgument

MAX_RUNS = 200
MAX_KEYS = 8
MAX_GROUPS = 50
# Runs per core call, and core calls of one panel at once.
RUNS_PER_CALL = 20
CALLS_AT_ONCE = 3
# wandb's names for the step axes (a saved view's xAxis) and the page's own.
STEP_AXES = {"step": "step", "_step": "step", "runtime": "runtime", "_runtime": "runtime",
             "time": "time", "_timestamp": "time", "wall": "time"}


def _list_arg(name: str, limit: int) -> list[str]:
    values = list(dict.fromkeys(v for v in request.args.get(name, "").split(",") if v))
    if not values or len(values) > limit:
        raise InvalidArgument(f"ask for 1 to {limit} {name} ({name}=a,b,c)")
    return values


def _groups(runs: list[str]) -> list[tuple[str, list[str]]] | None:
    text = request.args.get("groups", "")
    if not text:
        return None
    try:
        groups = json.loads(text)
    except ValueError as exc:
        raise InvalidArgument(f"groups are not valid JSON: {exc}") from None
    if (not isinstance(groups, list) or len(groups) > MAX_GROUPS or not all(
            isinstance(g, list) and len(g) == 2 and isinstance(g[0], str)
            and isinstance(g[1], list) for g in groups)):
        raise InvalidArgument(f'groups: [["label", ["run", ...]], ...], at most {MAX_GROUPS}')
    known = set(runs)
    return [(label, [r for r in members if r in known]) for label, members in groups]


@bp.get("/_ui/api/<entity:entity>/<project>/workspace/series")
def api_workspace_series(entity: str, project: str):
    runs = _list_arg("runs", MAX_RUNS)
    keys = _list_arg("keys", MAX_KEYS)
    x = request.args.get("x", "step") or "step"
    axis = STEP_AXES.get(x, "metric")
    points = _int_arg("points", 300, 10, 1000)
    groups = _groups(runs)
    client, principal = core(), me()
    x_key = "" if axis in X_AXES else x
    chunks = [runs[i:i + RUNS_PER_CALL] for i in range(0, len(runs), RUNS_PER_CALL)]
    # A few core calls at once: the core reads while SQLite has released the GIL, and no one
    # call of many runs nears the core client's deadline.
    with ThreadPoolExecutor(max_workers=min(CALLS_AT_ONCE, len(chunks))) as pool:
        replies = list(pool.map(lambda chunk: client.ui.runs_series(
            principal, entity, project, chunk, keys, 3 * points + 1, x_key=x_key), chunks))
    shaped: dict[str, dict[str, dict]] = {key: {} for key in keys}
    for reply in replies:
        for run in reply.runs:
            for series in run.series:
                shaped[series.key][run.run] = shape_series(series, points)
    if groups is None:
        return jsonify({"x": axis, "series": shaped})
    return jsonify({"x": axis, "groups": {
        key: {label: group_series([by_run[r] for r in members if r in by_run], axis, points)
              for label, members in groups}
        for key, by_run in shaped.items()}})
