"""Console: overview (health, settings), storage use, plugins and the audit log."""

from __future__ import annotations

import json
from collections import defaultdict

from flask import render_template, request, url_for

from roost.admin.console.blueprint import act, bp, core, form, me
from roost.core.errors import RoostError


@bp.get("/")
def index():
    try:
        health = core().health()
        health = {"ok": health.ok, "storage": health.storage, "media": health.media,
                  "detail": health.detail}
    except RoostError as exc:
        health = {"ok": False, "storage": "", "media": "", "detail": exc.message}
    return render_template("console/index.html", health=health,
                           settings=core().get_settings(me()))


@bp.post("/settings/self-registration")
def set_self_registration():
    value = "true" if request.form.get("enabled") == "true" else "false"
    return act(lambda: core().set_setting(me(), "self_registration", value),
               f"Self-registration is {'on' if value == 'true' else 'off'}.",
               url_for("console.index"))


@bp.get("/storage")
def storage():
    projects = core().storage_usage(me())
    per_entity: dict[str, dict] = defaultdict(lambda: {"bytes": 0, "runs": 0, "projects": 0,
                                                       "files": 0, "kind": "",
                                                       "artifact_bytes": 0})
    for project in projects:
        row = per_entity[project.entity]
        row["kind"] = project.entity_kind
        row["bytes"] += project.bytes
        row["runs"] += project.run_count
        row["files"] += project.file_count
        row["artifact_bytes"] += project.artifact_bytes
        row["projects"] += 1
    entities = sorted(per_entity.items(),
                      key=lambda item: -(item[1]["bytes"] + item[1]["artifact_bytes"]))
    return render_template("console/storage.html", entities=entities,
                           projects=sorted(projects, key=lambda p: -(p.bytes + p.artifact_bytes)))


@bp.get("/plugins")
def plugins():
    return render_template("console/plugins.html", plugins=core().list_plugins(me()))


@bp.get("/audit")
def audit():
    action = request.args.get("action", "").strip()
    before = request.args.get("before", "").strip()
    entries = core().list_audit(me(), 100, before, action)
    rows = []
    for entry in entries:
        try:
            detail = json.loads(entry.detail or "{}")
        except ValueError:
            detail = {"detail": entry.detail}
        rows.append({"entry": entry, "detail": detail})
    return render_template("console/audit.html", rows=rows, action=action,
                           older=entries[-1].id if len(entries) == 100 else "")


__all__ = ["form"]
