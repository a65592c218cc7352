"""Who reads a report page, and how a report's URL names it.

A report URL is W&B's ``/<entity>/<project>/reports/<slug>--<id>``: the id is the GraphQL
view id (base64 of ``View:<n>``) without its padding, and the slug is the title (ignored
when reading, so renaming a report does not break its links). A GET with ``?accessToken=``
is read as the report's view-only link, signed in or not.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

from flask import current_app, request, url_for

from roost.admin.ui.blueprint import me
from roost.core.auth import Credentials, Principal
from roost.core.errors import NotFound

REPORT_TYPES = ("runs", "runs/draft")
SLUG_CHARS = re.compile(r"[^A-Za-z0-9]+")


def view_id_of(slug_id: str) -> str:
    """The storage id inside ``<slug>--<id>`` (or a bare id); NotFound when malformed."""
    encoded = slug_id[slug_id.rfind("--") + 2:] if "--" in slug_id else slug_id
    try:
        kind, _, pk = base64.b64decode(encoded + "=" * (-len(encoded) % 4),
                                       validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise NotFound(f"no report {slug_id!r}") from None
    if kind != "View" or not pk.isdigit():
        raise NotFound(f"no report {slug_id!r}")
    return pk


def url_id(view_id: str) -> str:
    return base64.b64encode(f"View:{view_id}".encode()).decode().rstrip("=")


def slug(title: str) -> str:
    return SLUG_CHARS.sub("-", title).strip("-")[:80] or "Report"


def report_path(entity: str, project: str, title: str, view_id: str) -> str:
    return url_for("ui.report_page", entity=entity, project=project,
                   slug_id=f"{slug(title)}--{url_id(view_id)}")


def share_token() -> str:
    """The view-only link's token of this request ("" when none): GET requests only, so a
    link can never carry a write."""
    if request.method not in ("GET", "HEAD"):
        return ""
    return request.args.get("accessToken", "")


def reader() -> Principal:
    token = share_token()
    if token:
        return current_app.extensions["roost.core"].authenticate(
            Credentials("view_token", "", token, request.remote_addr or ""))
    return me()


def read_report(principal: Principal, view_id: str):
    """The report (a view of type runs or runs/draft) or NotFound."""
    view = current_app.extensions["roost.core"].views.get(principal, id=view_id)
    if view.type not in REPORT_TYPES:
        raise NotFound(f"no report {view_id!r}")
    return view


def report_json(view) -> dict:
    try:
        spec = json.loads(view.spec) if view.spec else {}
    except ValueError:
        spec = {}
    return {"id": view.id, "url_id": url_id(view.id), "title": view.display_name,
            "description": view.description, "type": view.type,
            "draft": view.type == "runs/draft", "personal": view.personal,
            "parent_id": view.parent_id, "authors": list(view.authors),
            "username": view.username, "created_at": view.created_at,
            "updated_at": view.updated_at, "entity": view.entity, "project": view.project,
            "path": report_path(view.entity, view.project, view.display_name,
                                view.parent_id or view.id),
            "spec": spec}
