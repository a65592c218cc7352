"""JSON for reports: list, save (drafts and publishing), delete, view-only links, and the
live data of their panel grids (runs of a runset, series of a run).

Reads accept a report's view-only link (``?accessToken=``, GET only); every write takes the
session and its CSRF token (``X-CSRFToken``, checked by web_auth), so a link never edits.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from flask import jsonify, request

from roost.admin.ui import report_runsets
from roost.admin.ui.api_run import MAX_KEYS, MAX_POINTS, _int_arg, shape_series
from roost.admin.ui.blueprint import bp, core, me
from roost.admin.ui.present import flatten, jsonable, loads, unwrap_config
from roost.admin.ui.report_access import (read_report, reader, report_json, report_path,
                                          url_id)
from roost.core.errors import InvalidArgument, NotFound

MAX_TITLE = 128
SERIES_THREADS = 4


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidArgument("send the report as a JSON object")
    return body


def _text(body: dict, name: str, limit: int | None = None) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidArgument(f"{name} must be text")
    if limit and len(value) > limit:
        raise InvalidArgument(f"{name} is {len(value)} characters long; the limit is {limit}")
    return value


def _spec(body: dict) -> str | None:
    spec = body.get("spec")
    if spec is None:
        return None
    if not isinstance(spec, dict) or not isinstance(spec.get("blocks", []), list):
        raise InvalidArgument('the report spec must be an object with a "blocks" list')
    spec.setdefault("version", 5)
    return json.dumps(spec, separators=(",", ":"), ensure_ascii=False)


def _summary(view) -> dict:
    return {"id": view.id, "url_id": url_id(view.id), "title": view.display_name,
            "description": view.description, "draft": view.type == "runs/draft",
            "parent_id": view.parent_id, "authors": list(view.authors),
            "username": view.username, "updated_at": view.updated_at,
            "created_at": view.created_at,
            "path": report_path(view.entity, view.project, view.display_name,
                                view.parent_id or view.id)}


@bp.get("/_ui/api/<entity:entity>/<project>/reports")
def api_reports(entity: str, project: str):
    query = request.args.get("q", "")
    published = core().views.list(me(), entity, project, type="runs", search=query, first=200)
    drafts = core().views.list(me(), entity, project, type="runs/draft", search=query,
                               first=200)
    return jsonify({"reports": [_summary(v) for v in published.views],
                    "drafts": [_summary(v) for v in drafts.views]})


@bp.post("/_ui/api/<entity:entity>/<project>/reports")
def api_create_report(entity: str, project: str):
    """A new report, or (``draft``) a personal draft: of a published report when
    ``parent_id`` names it."""
    body = _body()
    draft = bool(body.get("draft"))
    spec = _spec(body) or json.dumps({"version": 5, "blocks": [], "width": "readable"})
    reply = core().views.upsert(
        me(), entity=entity, project=project, type="runs/draft" if draft else "runs",
        display_name=_text(body, "title", MAX_TITLE) or "Untitled Report",
        description=_text(body, "description") or "", spec=spec, personal=draft,
        parent_id=str(body.get("parent_id") or "") or None)
    return jsonify({"report": report_json(reply.view)})


@bp.put("/_ui/api/reports/<view_id>")
def api_update_report(view_id: str):
    body = _body()
    view = read_report(me(), view_id)
    reply = core().views.upsert(me(), id=view.id, display_name=_text(body, "title", MAX_TITLE),
                                description=_text(body, "description"), spec=_spec(body))
    return jsonify({"report": report_json(reply.view)})


@bp.post("/_ui/api/reports/<view_id>/publish")
def api_publish_report(view_id: str):
    """A draft becomes its report (or a new report); the draft is gone after."""
    draft = read_report(me(), view_id)
    if draft.type != "runs/draft":
        raise InvalidArgument("only a draft is published")
    reply = core().views.upsert(me(), id=draft.id, type="runs")
    return jsonify({"report": report_json(reply.view)})


@bp.delete("/_ui/api/reports/<view_id>")
def api_delete_report(view_id: str):
    view = read_report(me(), view_id)
    core().views.delete(me(), view.id, delete_drafts=True)
    return jsonify({"deleted": view.id})


# -- view-only links -------------------------------------------------------------------------
def _link(view, token) -> dict:
    return {"token": token.token, "url": report_path(view.entity, view.project,
                                                     view.display_name, view.id)
            + "?accessToken=" + token.token, "created_at": token.created_at}


def _active_tokens(view) -> list:
    return [t for t in core().views.tokens(me(), view.id) if not t.revoked_at]


def _runset_projects(view) -> list[tuple[str, str]]:
    projects = set()
    pending = list(loads(view.spec).get("blocks") or [])
    while pending:
        block = pending.pop()
        if not isinstance(block, dict):
            continue
        pending.extend(block.get("collapsedChildren") or [])
        if block.get("type") == "panel-grid":
            for runset in (block.get("metadata") or {}).get("runSets") or []:
                projects.add(report_runsets.runset_project(runset, view.entity, view.project))
    return sorted(projects)


@bp.get("/_ui/api/reports/<view_id>/share")
def api_report_links(view_id: str):
    view = read_report(me(), view_id)
    return jsonify({"links": [_link(view, t) for t in _active_tokens(view)]})


@bp.post("/_ui/api/reports/<view_id>/share")
def api_share_report(view_id: str):
    view = read_report(me(), view_id)
    if view.type != "runs":
        raise InvalidArgument("publish the report before sharing it")
    active = _active_tokens(view)
    token = active[0] if active else core().views.create_token(me(), view.id,
                                                               _runset_projects(view))
    return jsonify({"link": _link(view, token)})


@bp.delete("/_ui/api/reports/<view_id>/share")
def api_unshare_report(view_id: str):
    view = read_report(me(), view_id)
    revoked = [core().views.revoke_token(me(), t.token).id for t in _active_tokens(view)]
    return jsonify({"revoked": len(revoked)})


# -- live data of panel grids (a view-only link reads these too) -----------------------------
def _keys() -> list[str]:
    keys = [k for k in request.args.get("keys", "").split(",") if k]
    if not keys or len(keys) > MAX_KEYS:
        raise InvalidArgument(f"ask for 1 to {MAX_KEYS} keys (keys=a,b,c)")
    return keys


def _run_json(run, groups: list[str]) -> dict:
    config = unwrap_config(loads(run.config))
    summary = {k: v for k, v in loads(run.summary_metrics).items() if not k.startswith("_")}
    values = {"config": config, "summary_metrics": summary, "group": run.group,
              "job_type": run.job_type, "state": run.state, "username": run.username}

    def lookup(field: str):
        head, _, rest = field.partition(".")
        node = values.get(head) if rest else values.get(field)
        for part in rest.split(".") if rest else []:
            node = node.get(part) if isinstance(node, dict) else None
        return node

    scalars = (int, float, str, bool)
    return {"name": run.name, "label": run.display_name or run.name, "state": run.state,
            "group": [lookup(g) for g in groups],
            "summary": jsonable({k: v for k, v in summary.items() if isinstance(v, scalars)}),
            "config": jsonable({k: v for k, v in flatten(config).items()
                                if isinstance(v, scalars)})}


def _runset_runs(principal, view_id: str, block: str, index: int):
    """(runset, entity, project, page of runs) of a report's panel grid runset."""
    view = read_report(principal, view_id)
    runsets = report_runsets.panel_grid_runsets(loads(view.spec), block)
    if not 0 <= index < len(runsets):
        raise NotFound(f"panel grid {block} has no runset {index}")
    runset = runsets[index]
    entity, project = report_runsets.runset_project(runset, view.entity, view.project)
    page = core().list_runs(principal, entity, project,
                            filters=report_runsets.mongo_filters(runset),
                            order=report_runsets.order_of(runset),
                            first=report_runsets.MAX_RUNS)
    return runset, entity, project, page


@bp.get("/_ui/api/reports/<view_id>/blocks/<block>/runsets/<int:index>")
def api_report_runset(view_id: str, block: str, index: int):
    """The runset's runs; with ``keys`` also every run's series of those keys (``"series":
    {run name: {key: series}}``), so a grid's line plots cost one round trip."""
    principal = reader()
    runset, entity, project, page = _runset_runs(principal, view_id, block, index)
    groups = report_runsets.grouping_of(runset)
    answer = {"entity": entity, "project": project, "name": runset.get("name", ""),
              "grouping": groups, "has_more": page.has_next_page,
              "runs": [_run_json(r, groups) for r in page.runs]}
    if request.args.get("keys"):
        answer["series"] = _runs_series(principal, entity, project, page.runs)
    return jsonify(answer)


def _runs_series(principal, entity: str, project: str, runs) -> dict:
    keys = _keys()
    points = _int_arg("points", 200, 10, MAX_POINTS)
    client = core()  # the pool's threads have no app context

    def series_of(run):
        reply = client.ui.run_series(principal, entity, project, run.name, keys,
                                     samples=3 * points)
        return run.name, {s.key: shape_series(s, points) for s in reply.series}

    # The core answers several runs at once; one run after the other would add up.
    with ThreadPoolExecutor(max_workers=SERIES_THREADS) as pool:
        return dict(pool.map(series_of, runs))


@bp.get("/_ui/api/reports/<view_id>/runs/<entity>/<project>/<run_id>/series")
def api_report_series(view_id: str, entity: str, project: str, run_id: str):
    principal = reader()
    read_report(principal, view_id)
    keys = _keys()
    points = _int_arg("points", 500, 10, MAX_POINTS)
    reply = core().ui.run_series(principal, entity, project, run_id, keys, samples=3 * points,
                                 min_step=_int_arg("min_step"), max_step=_int_arg("max_step"))
    return jsonify({"last_step": reply.last_step,
                    "series": {s.key: shape_series(s, points) for s in reply.series}})
