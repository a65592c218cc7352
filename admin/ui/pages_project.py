"""The runs table of a project (columns, sort, filters, group by, selection), at W&B's
``/<entity>/<project>/table``; the project's own URL is its workspace (pages_workspace.py)."""

from __future__ import annotations

from flask import render_template, url_for

from roost.admin.ui.blueprint import bp, core, me

# Run fields the runs table can show, and the order a column of each sorts by ("" = none).
FIELD_COLUMNS = {
    "state": ("State", "state"), "created_at": ("Created", "created_at"),
    "runtime": ("Runtime", ""), "username": ("User", ""), "tags": ("Tags", ""),
    "group": ("Group", ""), "job_type": ("Job type", ""), "heartbeat_at": ("Last active",
                                                                          "heartbeat_at"),
    "notes": ("Notes", ""), "host": ("Host", ""), "sweep": ("Sweep", ""),
}
DEFAULT_FIELDS = ("state", "created_at", "runtime", "username", "tags")
WRITE_ACTIONS = ["run:write", "run:delete"]


def capabilities(entity: str, project: str) -> dict:
    allowed = core().ui.capabilities(me(), entity, project, WRITE_ACTIONS)
    return {"can_write": "run:write" in allowed, "can_delete": "run:delete" in allowed}


def project_header(entity: str, project: str) -> dict:
    found = core().get_project(me(), entity, project)
    return {"entity": entity, "name": project, "description": found.description,
            "run_count": found.run_count, "created_at": found.created_at}


@bp.get("/<entity:entity>/<project>/table")
def runs_table_page(entity: str, project: str):
    header = project_header(entity, project)
    keys = core().ui.project_keys(me(), entity, project)
    caps = capabilities(entity, project)
    page_data = {
        "entity": entity, "project": project,
        "api": url_for("ui.api_runs", entity=entity, project=project).rsplit("/", 1)[0],
        "run_base": url_for("ui.run_page", entity=entity, project=project, run_id="_")[:-1],
        "compare": url_for("ui.compare_page", entity=entity, project=project),
        "fields": {name: {"label": label, "order": order}
                   for name, (label, order) in FIELD_COLUMNS.items()},
        "default_fields": list(DEFAULT_FIELDS),
        "config_keys": list(keys.config), "summary_keys": list(keys.summary),
        "varying_keys": list(keys.varying_config),
        **caps,
    }
    return render_template("ui/project.html", project=header, tab="runs", page_data=page_data,
                           **caps)
