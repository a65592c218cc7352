"""Report pages at W&B's URLs: the project's reports (list, search, delete, drafts), a report
(``/<entity>/<project>/reports/<slug>--<id>``, also through its view-only link signed out)
and its editor (``.../edit``; ``/reports/new`` for a new one).

The page carries the report's spec as JSON data; static/js/report_*.js renders it with DOM
nodes (text as text), markdown through markdown-it and DOMPurify, LaTeX through KaTeX, and
panel grids from their runsets' live data (docs/reports.md).
"""

from __future__ import annotations

from flask import render_template, url_for

from roost.admin.ui.blueprint import bp, core, me
from roost.admin.ui.pages_project import project_header
from roost.admin.ui.report_access import (read_report, reader, report_json, share_token, slug,
                                          view_id_of)
from roost.core.errors import NotFound, Unauthenticated


def _api_urls(entity: str, project: str) -> dict:
    return {"reports": url_for("ui.api_reports", entity=entity, project=project),
            "report_api": url_for("ui.api_update_report", view_id="_")[:-1],
            "list_page": url_for("ui.reports_page", entity=entity, project=project)}


def _may_write(entity: str, project: str) -> bool:
    if not me().user_id:
        return False
    return "view:write" in core().ui.capabilities(me(), entity, project, ["view:write"])


@bp.get("/<entity:entity>/<project>/reports")
def reports_page(entity: str, project: str):
    header = project_header(entity, project)
    page_data = {"entity": entity, "project": project, "can_write": _may_write(entity, project),
                 "new": url_for("ui.new_report_page", entity=entity, project=project),
                 **_api_urls(entity, project)}
    return render_template("ui/reports.html", project=header, tab="reports",
                           page_data=page_data)


# A path: wandb-workspaces puts the title into the URL as it is, "/" included.
@bp.get("/<entity:entity>/<project>/reports/<path:slug_id>")
def report_page(entity: str, project: str, slug_id: str):
    principal = reader()
    view = read_report(principal, view_id_of(slug_id))
    if (view.entity, view.project) != (entity, project):
        raise NotFound(f"no report {slug_id!r} in {entity}/{project}")
    token = share_token()
    report = report_json(view)
    page_data = {"report": report, "token": token,
                 "can_write": not token and _may_write(entity, project),
                 "edit": url_for("ui.edit_report_page", entity=entity, project=project,
                                 slug_id=f"{slug(view.display_name)}--{report['url_id']}"),
                 **_api_urls(entity, project)}
    return render_template("ui/report.html", report=report, page_data=page_data,
                           shared=bool(token), entity=entity, project=project)


def _editor(entity: str, project: str, report: dict | None, draft: dict | None):
    if not me().user_id:
        raise Unauthenticated("sign in to write reports")
    header = project_header(entity, project)
    page_data = {"entity": entity, "project": project, "report": report, "draft": draft,
                 **_api_urls(entity, project)}
    return render_template("ui/report_edit.html", project=header, report=report or draft,
                           page_data=page_data)


@bp.get("/<entity:entity>/<project>/reports/new")
def new_report_page(entity: str, project: str):
    return _editor(entity, project, None, None)


@bp.get("/<entity:entity>/<project>/reports/<slug_id>/edit")
def edit_report_page(entity: str, project: str, slug_id: str):
    view = read_report(me(), view_id_of(slug_id))
    if view.type == "runs/draft":
        return _editor(entity, project, None, report_json(view))
    mine = core().views.list(me(), entity, project, type="runs/draft", first=200).views
    draft = next((d for d in mine if d.parent_id == view.id and d.personal), None)
    return _editor(entity, project, report_json(view), report_json(draft) if draft else None)

