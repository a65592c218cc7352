"""JSON for saved workspace views (the browser workspace reads and writes its layout here).

The spec is W&B's workspace view spec, the very JSON wandb-workspaces writes (docs/reports.md):
a view saved here loads with ``Workspace.from_url`` and one saved by ``Workspace.save()``
reads back here. Writes (PUT, POST, DELETE) are checked by web_auth for the session's CSRF
token (``X-CSRFToken``).
"""

from __future__ import annotations

import json
import secrets

from flask import jsonify, request, url_for

from roost.admin.ui.blueprint import bp, core, me
from roost.core.errors import InvalidArgument, NotFound, Unauthenticated

WORKSPACE_TYPE = "project-view"
DEFAULT = "_default"


def internal_name(nw: str) -> str:
    """The stored name of the view a ``?nw=<id>`` URL names (wandb-workspaces' rule)."""
    return nw if nw.startswith("nw") and nw.endswith("-v") else f"nw-{nw}-v"


def url_query(name: str) -> str:
    return name.replace("nw-", "", 1).removesuffix("-v") if name.startswith("nw-") else name


def _stored_name(name: str) -> str:
    if name == DEFAULT:
        principal = me()
        if not principal.user_id:
            raise Unauthenticated("sign in to keep a personal workspace")
        return f"nwuser{principal.username}"
    return name


def view_json(view, with_spec: bool) -> dict:
    found = {"id": view.id, "name": view.name, "nw": url_query(view.name),
             "display_name": view.display_name, "description": view.description,
             "type": view.type, "username": view.username, "personal": view.personal,
             "created_at": view.created_at, "updated_at": view.updated_at,
             "url": url_for("ui.project_page", entity=view.entity, project=view.project)
             + ("" if view.personal else f"?nw={url_query(view.name)}")}
    if with_spec:
        found["spec"] = json.loads(view.spec)
    return found


def _spec_text() -> tuple[str, dict]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("spec"), dict):
        raise InvalidArgument('send {"spec": {...the workspace view spec...}, '
                              '"display_name": "..."} as JSON')
    return json.dumps(body["spec"], separators=(",", ":"), ensure_ascii=False), body


@bp.get("/_ui/api/<entity:entity>/<project>/views")
def api_views(entity: str, project: str):
    view_type = request.args.get("type", WORKSPACE_TYPE)
    reply = core().views.list(me(), entity, project, type=view_type,
                              search=request.args.get("q", ""), first=200)
    return jsonify({"views": [view_json(v, False) for v in reply.views],
                    "has_next": reply.has_next_page})


@bp.get("/_ui/api/<entity:entity>/<project>/views/<name>")
def api_view(entity: str, project: str, name: str):
    view = core().views.get(me(), entity=entity, project=project,
                            name=internal_name(_stored_name(name)) if name != DEFAULT
                            else _stored_name(name))
    return jsonify({"view": view_json(view, True)})


def _save(entity: str, project: str, name: str):
    spec, body = _spec_text()
    personal = name == DEFAULT
    stored = _stored_name(name) if personal else internal_name(name)
    try:
        existing = core().views.get(me(), entity=entity, project=project, name=stored)
    except NotFound:
        existing = None
    display = body.get("display_name")
    if display is not None and not isinstance(display, str):
        raise InvalidArgument("display_name must be text")
    if existing is not None:
        reply = core().views.upsert(me(), id=existing.id, spec=spec, display_name=display,
                                    description=body.get("description"))
    else:
        reply = core().views.upsert(me(), entity=entity, project=project, type=WORKSPACE_TYPE,
                                    name=stored, spec=spec, personal=personal,
                                    display_name=display or ("My workspace" if personal
                                                             else "Untitled view"),
                                    description=body.get("description"))
    return jsonify({"view": view_json(reply.view, True), "inserted": reply.inserted})


@bp.put("/_ui/api/<entity:entity>/<project>/views/<name>")
def api_put_view(entity: str, project: str, name: str):
    return _save(entity, project, name)


@bp.post("/_ui/api/<entity:entity>/<project>/views")
def api_new_view(entity: str, project: str):
    # wandb-workspaces' own naming: "nw-" + 11 random characters + "-v".
    return _save(entity, project, f"nw-{secrets.token_hex(6)[:11]}-v")


@bp.delete("/_ui/api/<entity:entity>/<project>/views/<name>")
def api_delete_view(entity: str, project: str, name: str):
    stored = _stored_name(name) if name == DEFAULT else internal_name(name)
    view = core().views.get(me(), entity=entity, project=project, name=stored)
    core().views.delete(me(), view.id)
    return jsonify({"deleted": view.name})
