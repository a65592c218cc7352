"""JSON for the run page's media and system tabs.

Media: the history rows holding one media key (images, tables, histograms), as logged, with
the URLs of the files they point to. System: the run's system-metrics lines turned into one
series per metric, with runtime and wall-time x values.
"""

from __future__ import annotations

import math

from flask import jsonify, request, url_for

from roost.admin.ui.blueprint import bp, core, me
from roost.admin.ui.present import jsonable, loads
from roost.admin.ui.runtime import continuous_runtimes, finite_number
from roost.core.dotted import dotted_get
from roost.core.errors import InvalidArgument

MAX_MEDIA_ROWS = 2000
SYSTEM_SAMPLES = 2000
# wandb-core writes "system.cpu", older SDKs "system.cpu" too; both keep the prefix.
SYSTEM_PREFIX = "system."


def _file_url(entity: str, project: str, run_id: str, name: str) -> str:
    return url_for("ui.run_file", entity=entity, project=project, run_id=run_id, name=name)


def media_entry(entity: str, project: str, run_id: str, value) -> dict:
    """A media value with browser URLs for the run files it names."""
    if not isinstance(value, dict):
        return {"_type": "value", "value": jsonable(value)}
    entry = jsonable(value)
    path = value.get("path")
    if isinstance(path, str) and path:
        entry["url"] = _file_url(entity, project, run_id, path)
    names = value.get("filenames")
    if isinstance(names, list):
        entry["urls"] = [_file_url(entity, project, run_id, n) for n in names
                         if isinstance(n, str)]
    return entry


@bp.get("/_ui/api/<entity:entity>/<project>/runs/<run_id>/media")
def api_run_media(entity: str, project: str, run_id: str):
    key = request.args.get("key", "")
    if not key:
        raise InvalidArgument("name the media key: media?key=...")
    rows = core().sample_history(me(), entity, project, run_id,
                                 [{"keys": [key, "_step"], "samples": MAX_MEDIA_ROWS}])[0]
    entries = []
    for row in rows:
        step = row.get("_step")
        value = dotted_get(row, key)
        entries.append({"step": step, "value": media_entry(entity, project, run_id, value)})
    return jsonify({"key": key, "entries": entries})


def system_series(lines: list[str]) -> dict:
    """``{metric: {"x": {"step", "runtime", "time"}, "y", "lo", "hi"}}`` from events lines;
    ``step`` is the sample's index (system metrics have no training step). ``runtime`` runs on
    across resumed sessions (each session's samples restart it)."""
    rows = [loads(text) for text in lines]
    runtimes = continuous_runtimes([finite_number(row.get("_runtime")) for row in rows])
    series: dict[str, dict] = {}
    for index, row in enumerate(rows):
        stamp = row.get("_timestamp")
        for key, value in row.items():
            if not key.startswith(SYSTEM_PREFIX) or isinstance(value, bool):
                continue
            if not isinstance(value, (int, float)) or not math.isfinite(value):
                continue
            out = series.setdefault(key, {"x": {"step": [], "runtime": [], "time": []},
                                          "y": [], "lo": [], "hi": []})
            out["x"]["step"].append(index)
            out["x"]["runtime"].append(runtimes[index])
            out["x"]["time"].append(stamp if isinstance(stamp, (int, float)) else 0)
            for name in ("y", "lo", "hi"):
                out[name].append(value)
    return series


@bp.get("/_ui/api/<entity:entity>/<project>/runs/<run_id>/system")
def api_run_system(entity: str, project: str, run_id: str):
    lines = core().sample_history_lines(me(), entity, project, run_id, "events", SYSTEM_SAMPLES)
    return jsonify({"series": system_series(lines), "samples": len(lines)})
