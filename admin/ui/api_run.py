"""JSON for the run page: chart series, live state, console pages and search, edits.

Chart series come from the history engine's downsampling (min, max and last value per step
bucket) through UiService.RunSeries; series_shape.py shapes them for the browser: per key the
three x axes, the line (last value per bucket) and the band (min/max per bucket).
"""

from __future__ import annotations

import re

from flask import jsonify, request

from roost.admin.ui.blueprint import bp, core, me
from roost.admin.ui.present import history_key_groups, loads
from roost.admin.ui.runtime import run_runtime
from roost.admin.ui.series_shape import shape_series
from roost.admin.urls import base_url
from roost.core.errors import InvalidArgument

MAX_KEYS = 32
MAX_POINTS = 2000
CONSOLE_PAGE = 500
MAX_CONSOLE_PAGE = 5000
SEARCH_SCAN_LINES = 500_000
SEARCH_MAX_HITS = 500


def _int_arg(name: str, default=None, low: int | None = None, high: int | None = None):
    text = request.args.get(name, "")
    if text == "":
        return default
    try:
        value = int(float(text))
    except ValueError:
        raise InvalidArgument(f"{name} must be a number, got {text!r}") from None
    if low is not None:
        value = max(low, value)
    if high is not None:
        value = min(high, value)
    return value


@bp.get("/_ui/api/<entity:entity>/<project>/runs/<run_id>/series")
def api_run_series(entity: str, project: str, run_id: str):
    keys = [k for k in request.args.get("keys", "").split(",") if k]
    if not keys or len(keys) > MAX_KEYS:
        raise InvalidArgument(f"ask for 1 to {MAX_KEYS} keys (keys=a,b,c)")
    points = _int_arg("points", 500, 10, MAX_POINTS)
    # Three rows (min, max, last) per bucket and one for the start: the core splits the range
    # into exactly ``points`` buckets, the ones shape_series draws.
    reply = core().ui.run_series(me(), entity, project, run_id, keys, samples=3 * points + 1,
                                 min_step=_int_arg("min_step"), max_step=_int_arg("max_step"))
    return jsonify({"last_step": reply.last_step,
                    "series": {s.key: shape_series(s, points) for s in reply.series}})


@bp.get("/_ui/api/<entity:entity>/<project>/runs/<run_id>/live")
def api_run_live(entity: str, project: str, run_id: str):
    run = core().get_run(me(), entity, project, run_id)
    history_keys = loads(run.history_keys)
    groups, media = history_key_groups(history_keys)
    return jsonify({
        "state": run.state, "heartbeat_at": run.heartbeat_at,
        "runtime": run_runtime(run, loads(run.summary_metrics)),
        "last_step": history_keys.get("lastStep", -1), "log_lines": run.log_line_count,
        "keys": [key for _, keys in groups for key in keys],
        "media": [m["key"] for m in media],
    })


@bp.get("/_ui/api/<entity:entity>/<project>/runs/<run_id>/console")
def api_run_console(entity: str, project: str, run_id: str):
    offset = _int_arg("offset", 0, 0)
    limit = _int_arg("limit", CONSOLE_PAGE, 1, MAX_CONSOLE_PAGE)
    page = core().read_console(me(), entity, project, run_id, offset, limit)
    return jsonify({"offset": page.offset, "lines": list(page.lines), "total": page.total})


@bp.get("/_ui/api/<entity:entity>/<project>/runs/<run_id>/console/search")
def api_run_console_search(entity: str, project: str, run_id: str):
    """Line numbers whose text contains ``q`` (case-insensitive), scanning page by page."""
    text = request.args.get("q", "")
    if not text or len(text) > 200:
        raise InvalidArgument("search for 1 to 200 characters")
    needle = re.compile(re.escape(text), re.IGNORECASE)
    hits, offset, total, scanned = [], 0, None, 0
    while scanned < SEARCH_SCAN_LINES and len(hits) < SEARCH_MAX_HITS:
        page = core().read_console(me(), entity, project, run_id, offset, MAX_CONSOLE_PAGE)
        total = page.total
        hits += [offset + i for i, line in enumerate(page.lines) if needle.search(line)]
        scanned += len(page.lines)
        offset += len(page.lines)
        if not page.lines or offset >= total:
            break
    return jsonify({"hits": hits[:SEARCH_MAX_HITS], "total": total or 0,
                    "complete": offset >= (total or 0) and len(hits) < SEARCH_MAX_HITS})


@bp.post("/_ui/api/<entity:entity>/<project>/runs/<run_id>/update")
def api_run_update(entity: str, project: str, run_id: str):
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidArgument("send a JSON object with display_name, notes and tags")
    run = core().get_run(me(), entity, project, run_id)
    fields = {}
    for name in ("display_name", "notes"):
        if name in body:
            if not isinstance(body[name], str):
                raise InvalidArgument(f"{name} must be text")
            fields[name] = body[name]
    if "tags" in body:
        tags = body["tags"]
        if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
            raise InvalidArgument("tags must be a list of non-empty texts")
        fields["tags"] = list(dict.fromkeys(t.strip() for t in tags if t.strip()))
    core().upsert_run(me(), base_url(), id=run.id, **fields)
    return jsonify({"updated": sorted(fields)})


@bp.post("/_ui/api/<entity:entity>/<project>/runs/<run_id>/delete")
def api_run_delete(entity: str, project: str, run_id: str):
    run = core().get_run(me(), entity, project, run_id)
    core().delete_run(me(), run.id)
    return jsonify({"deleted": run.name})

