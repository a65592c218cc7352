"""JSON for the project page: pages of the runs table, group counts, deleting runs.

Reads are GET (no state changes, so a cross-site request gains nothing); the one write is a
POST that web_auth checks for the session's CSRF token (sent as ``X-CSRFToken``).
"""

from __future__ import annotations

import json

from flask import jsonify, request

from roost.admin.ui.blueprint import bp, core, me
from roost.admin.ui.present import jsonable, loads, unwrap_config
from roost.admin.ui.runtime import run_runtime
from roost.core.dotted import dotted_get
from roost.core.errors import InvalidArgument

MAX_PAGE = 200
MAX_COLUMNS = 100
MAX_DELETE = 500


def _columns() -> list[str]:
    text = request.args.get("cols", "")
    columns = [c for c in text.split(",") if c][:MAX_COLUMNS]
    for column in columns:
        kind, _, name = column.partition(":")
        if kind not in ("config", "summary") or not name:
            raise InvalidArgument(f"unknown column {column!r}: use config:<key> or summary:<key>")
    return columns


def run_row(run, columns: list[str]) -> dict:
    """One runs-table row: the run's fields and only the config/summary values asked for."""
    row = {
        "id": run.id, "name": run.name, "display_name": run.display_name or run.name,
        "state": run.state, "created_at": run.created_at, "heartbeat_at": run.heartbeat_at,
        "runtime": run_runtime(run, loads(run.summary_metrics)), "username": run.username,
        "tags": list(run.tags), "group": run.group, "job_type": run.job_type,
        "notes": run.notes[:200], "host": run.host, "sweep": run.sweep,
    }
    config = summary = None
    values = {}
    for column in columns:
        kind, _, name = column.partition(":")
        if kind == "config":
            config = unwrap_config(loads(run.config)) if config is None else config
            values[column] = dotted_get(config, name)
        else:
            summary = loads(run.summary_metrics) if summary is None else summary
            values[column] = dotted_get(summary, name)
    row["values"] = jsonable(values)
    return row


def _filters() -> str:
    text = request.args.get("filters", "").strip()
    if text:
        try:
            json.loads(text)
        except ValueError as exc:
            raise InvalidArgument(f"filters are not valid JSON: {exc}") from None
    return text


@bp.get("/_ui/api/<entity:entity>/<project>/runs")
def api_runs(entity: str, project: str):
    columns = _columns()
    filters = _filters()
    order = request.args.get("order", "-created_at")
    after = request.args.get("after", "")
    try:
        first = min(max(int(request.args.get("first", 50)), 1), MAX_PAGE)
    except ValueError:
        raise InvalidArgument("first must be a number") from None
    page = core().list_runs(me(), entity, project, filters=filters, order=order, after=after,
                            first=first)
    reply = {"runs": [run_row(run, columns) for run in page.runs],
             "end_cursor": page.end_cursor, "has_next": page.has_next_page}
    if not after:
        reply["total"] = core().count_runs(me(), entity, project, filters=filters)
    return jsonify(reply)


@bp.get("/_ui/api/<entity:entity>/<project>/groups")
def api_groups(entity: str, project: str):
    key = request.args.get("key", "")
    groups = core().ui.group_runs(me(), entity, project, key, _filters())
    return jsonify({"key": key, "groups": [
        {"kind": g.kind, "value": json.loads(g.value_json), "count": g.count} for g in groups]})


@bp.post("/_ui/api/<entity:entity>/<project>/runs/delete")
def api_delete_runs(entity: str, project: str):
    names = (request.get_json(silent=True) or {}).get("runs")
    if not isinstance(names, list) or not names or len(names) > MAX_DELETE:
        raise InvalidArgument(f"send {{\"runs\": [run ids]}} with 1 to {MAX_DELETE} runs")
    deleted = []
    for name in names:
        run = core().get_run(me(), entity, project, str(name))
        core().delete_run(me(), run.id)
        deleted.append(run.name)
    return jsonify({"deleted": deleted})
