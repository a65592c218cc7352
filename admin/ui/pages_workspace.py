"""The project workspace at ``/<entity>/<project>``: every metric as a panel, every visible
run drawn in it, runs chosen, searched, filtered and grouped in a sidebar, the layout saved.

The page itself is a shell (header, sidebar, an empty board) plus the keys the board builds
its automatic sections from; workspace.js fetches the runs, the series and the saved layout.
The runs table moved to ``/<entity>/<project>/table`` (as on W&B); a link to the project
that carries the table's own query (``?order=``, ``?cols=``, ...) is sent there.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from roost.admin.ui.blueprint import bp, core, me
from roost.admin.ui.pages_project import capabilities, project_header
from roost.admin.ui.present import history_key_groups, loads

# Query parameters only the runs table reads: a link holding one is a link to the table.
TABLE_ONLY_PARAMS = ("order", "cols")
# The automatic sections come from the history keys of the project's latest runs.
KEY_RUNS = 100


def history_keys(entity: str, project: str) -> tuple[list[str], list[dict]]:
    """Numeric history keys of the project's latest runs (sections are built from them) and
    media keys with their type (the media panel offers them)."""
    numeric: dict[str, None] = {}
    media: dict[str, dict] = {}
    page = core().list_runs(me(), entity, project, order="-created_at", first=KEY_RUNS)
    for run in page.runs:
        groups, found = history_key_groups(loads(run.history_keys))
        for _, keys in groups:
            numeric.update(dict.fromkeys(keys))
        for entry in found:
            media.setdefault(entry["key"], entry)
    return sorted(numeric), sorted(media.values(), key=lambda m: m["key"])


@bp.get("/<entity:entity>/<project>")
def project_page(entity: str, project: str):
    if any(name in request.args for name in TABLE_ONLY_PARAMS):
        return redirect(url_for("ui.runs_table_page", entity=entity, project=project,
                                **request.args))
    header = project_header(entity, project)
    keys = core().ui.project_keys(me(), entity, project)
    numeric, media = history_keys(entity, project)
    caps = capabilities(entity, project)
    base = url_for("ui.api_runs", entity=entity, project=project).rsplit("/", 1)[0]
    page_data = {
        "entity": entity, "project": project, "api": base,
        "run_base": url_for("ui.run_page", entity=entity, project=project, run_id="_")[:-1],
        "table": url_for("ui.runs_table_page", entity=entity, project=project),
        "history_keys": numeric, "media_keys": media,
        "config_keys": list(keys.config), "summary_keys": list(keys.summary),
        "varying_keys": list(keys.varying_config),
        "can_save": caps["can_write"], "signed_in": me().kind != "anonymous",
    }
    return render_template("ui/workspace.html", project=header, tab="workspace",
                           page_data=page_data, **caps)
