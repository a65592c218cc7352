"""Home (the person's projects, teams and recent runs), search and an entity's projects."""

from __future__ import annotations

from flask import render_template, request

from roost.admin import web_auth
from roost.admin.ui.blueprint import bp, core, me


def _project(p) -> dict:
    return {"entity": p.entity, "name": p.name, "description": p.description,
            "created_at": p.created_at, "run_count": p.run_count,
            "last_run_at": p.last_run_at, "visibility": p.visibility}


def _run(r) -> dict:
    return {"entity": r.entity, "project": r.project, "name": r.name,
            "display_name": r.display_name or r.name, "state": r.state,
            "created_at": r.created_at, "heartbeat_at": r.heartbeat_at,
            "username": r.username, "tags": list(r.tags), "group": r.group}


@bp.get("/")
@web_auth.login_required_page
def home():
    reply = core().ui.home(me(), 12)
    return render_template("ui/home.html", teams=list(reply.teams),
                           projects=[_project(p) for p in reply.projects],
                           recent_runs=[_run(r) for r in reply.recent_runs])


@bp.get("/search")
@web_auth.login_required_page
def search():
    text = request.args.get("q", "").strip()
    projects, runs = [], []
    if text:
        reply = core().ui.search(me(), text, 50)
        projects = [_project(p) for p in reply.projects]
        runs = [_run(r) for r in reply.runs]
    return render_template("ui/search.html", search_text=text, projects=projects, runs=runs)


@bp.get("/<entity:entity>")
def entity_page(entity: str):
    reply = core().ui.entity_projects(me(), entity)
    return render_template("ui/entity.html", entity=reply.entity, kind=reply.kind,
                           role=reply.role, projects=[_project(p) for p in reply.projects])

