"""Compare: selected runs overlaid on shared charts, and a config diff of what differs."""

from __future__ import annotations

import json

from flask import render_template, request, url_for

from roost.admin.ui.blueprint import bp, core, me
from roost.admin.ui.pages_project import project_header
from roost.admin.ui.present import flatten, history_key_groups, jsonable, run_documents
from roost.core.errors import NotFound

MAX_RUNS = 12
MISSING = object()


def config_diff(configs: list[dict]) -> tuple[list[tuple[str, list]], int]:
    """Rows ``(key, [value per run])`` for keys whose values differ (or are missing in some
    run), and how many keys are the same in every run."""
    flat = [flatten(c) for c in configs]
    keys = sorted({k for f in flat for k in f})
    rows, same = [], 0
    for key in keys:
        values = [f.get(key, MISSING) for f in flat]
        texts = {json.dumps(jsonable(v), sort_keys=True) if v is not MISSING else "\0missing"
                 for v in values}
        if len(texts) == 1:
            same += 1
        else:
            rows.append((key, [None if v is MISSING else v for v in values]))
    return rows, same


@bp.get("/<entity:entity>/<project>/compare")
def compare_page(entity: str, project: str):
    header = project_header(entity, project)
    names = [n for n in request.args.get("runs", "").split(",") if n][:MAX_RUNS]
    runs, missing, docs = [], [], []
    for name in dict.fromkeys(names):
        try:
            run = core().get_run(me(), entity, project, name)
        except NotFound:
            missing.append(name)
            continue
        runs.append(run)
        docs.append(run_documents(run))
    keys: dict[str, None] = {}
    for doc in docs:
        for _, group_keys in history_key_groups(doc["history_keys"])[0]:
            keys.update(dict.fromkeys(group_keys))
    groups: dict[str, list[str]] = {}
    for key in sorted(keys):
        groups.setdefault(key.split("/", 1)[0] if "/" in key else "", []).append(key)
    diff, same = config_diff([d["config"] for d in docs])
    summary_keys = sorted({k for d in docs for k, v in flatten(d["summary"]).items()
                           if isinstance(v, (int, float)) and not k.startswith("_")})[:40]
    summary_rows = [(k, [flatten(d["summary"]).get(k) for d in docs]) for k in summary_keys]
    page_data = {
        "entity": entity, "project": project,
        "runs": [{"name": r.name, "label": r.display_name or r.name,
                  "api": url_for("ui.api_run_series", entity=entity, project=project,
                                 run_id=r.name)} for r in runs],
        "groups": [{"prefix": p, "keys": k} for p, k in
                   sorted(groups.items(), key=lambda item: (item[0] == "", item[0]))],
    }
    return render_template("ui/compare.html", project=header, tab="compare", runs=runs,
                           missing=missing, diff=diff, same=same, summary_rows=summary_rows,
                           page_data=page_data)
