"""The run page and its tabs: charts, overview, system, media, logs, files, artifacts."""

from __future__ import annotations

import posixpath

from flask import render_template, request, url_for

from roost.admin.ui.blueprint import bp, core, me
from roost.admin.ui.pages_project import capabilities
from roost.admin.ui.present import (dumps, flatten, history_key_groups, jsonable, run_documents,
                                    run_fields)
from roost.admin.urls import base_url

TABS = (("charts", "Charts"), ("overview", "Overview"), ("system", "System"),
        ("media", "Media"), ("logs", "Logs"), ("files", "Files"), ("artifacts", "Artifacts"))
MAX_FILES_LISTED = 5000


def _run_context(entity: str, project: str, run_id: str, tab: str) -> dict:
    run = core().get_run(me(), entity, project, run_id)
    docs = run_documents(run)
    groups, media = history_key_groups(docs["history_keys"])
    caps = capabilities(entity, project)
    fields = run_fields(run)
    api = url_for("ui.api_run_series", entity=entity, project=project, run_id=run_id)
    page_data = {
        "entity": entity, "project": project, "run": run.name,
        "display_name": fields["display_name"], "state": run.state,
        "api": api.rsplit("/", 1)[0], "last_step": docs["history_keys"].get("lastStep", -1),
        "log_lines": run.log_line_count, "tab": tab,
        "groups": [{"prefix": prefix, "keys": keys} for prefix, keys in groups],
        "media": media, **caps,
        "edit": {"display_name": fields["display_name"], "notes": run.notes,
                 "tags": fields["tags"]},
    }
    return {"run": fields, "run_id": run.id, "docs": docs, "groups": groups, "media": media,
            "tab": tab, "tabs": TABS, "page_data": page_data,
            "project": {"entity": entity, "name": project}, **caps}


@bp.get("/<entity:entity>/<project>/runs/<run_id>")
def run_page(entity: str, project: str, run_id: str):
    return render_template("ui/run_charts.html", **_run_context(entity, project, run_id,
                                                                "charts"))


@bp.get("/<entity:entity>/<project>/runs/<run_id>/overview")
def run_overview(entity: str, project: str, run_id: str):
    context = _run_context(entity, project, run_id, "overview")
    docs = context["docs"]
    context.update(
        config=sorted(flatten(docs["config"]).items()),
        summary=sorted((k, v) for k, v in flatten(docs["summary"]).items()
                       if not k.startswith("_")),
        config_json=dumps(docs["config"]), summary_json=dumps(docs["summary"]),
        jsonable=jsonable)
    return render_template("ui/run_overview.html", **context)


@bp.get("/<entity:entity>/<project>/runs/<run_id>/system")
def run_system(entity: str, project: str, run_id: str):
    return render_template("ui/run_system.html", **_run_context(entity, project, run_id,
                                                                "system"))


@bp.get("/<entity:entity>/<project>/runs/<run_id>/media")
def run_media(entity: str, project: str, run_id: str):
    return render_template("ui/run_media.html", **_run_context(entity, project, run_id,
                                                               "media"))


@bp.get("/<entity:entity>/<project>/runs/<run_id>/logs")
def run_logs(entity: str, project: str, run_id: str):
    return render_template("ui/run_logs.html", **_run_context(entity, project, run_id, "logs"))


def _directory(names: list[dict], path: str) -> tuple[list[str], list[dict]]:
    """The sub-directories and files directly under ``path`` ("" is the top)."""
    prefix = path + "/" if path else ""
    dirs, files = set(), []
    for record in names:
        name = record["name"]
        if not name.startswith(prefix):
            continue
        rest = name[len(prefix):]
        if "/" in rest:
            dirs.add(rest.split("/", 1)[0])
        else:
            files.append(record | {"base": rest})
    return sorted(dirs), files


@bp.get("/<entity:entity>/<project>/runs/<run_id>/files")
def run_files(entity: str, project: str, run_id: str):
    context = _run_context(entity, project, run_id, "files")
    path = posixpath.normpath(request.args.get("path", "").strip("/")).lstrip("./")
    path = "" if path in (".", "") else path
    listing = core().list_run_files(me(), entity, project, run_id, base_url(),
                                    first=MAX_FILES_LISTED)
    records = [{"name": f.name, "size": f.size, "updated_at": f.updated_at,
                "uploaded": f.uploaded, "mimetype": f.mimetype} for f in listing.files
               if f.uploaded]
    dirs, files = _directory(records, path)
    parts = path.split("/") if path else []
    crumbs = [(part, "/".join(parts[:i + 1])) for i, part in enumerate(parts)]
    context.update(path=path, dirs=dirs, files=files, crumbs=crumbs,
                   truncated=listing.has_next_page, total=listing.total)
    return render_template("ui/run_files.html", **context)


@bp.get("/<entity:entity>/<project>/runs/<run_id>/artifacts")
def run_artifacts(entity: str, project: str, run_id: str):
    context = _run_context(entity, project, run_id, "artifacts")
    lists = {}
    for direction in ("output", "input"):
        found = core().artifacts.list(me(), entity=entity, project=project, run=run_id,
                                      direction=direction, first=500, base_url=base_url())
        lists[direction] = list(found.artifacts)
    context.update(logged=lists["output"], used=lists["input"])
    return render_template("ui/run_artifacts.html", **context)

