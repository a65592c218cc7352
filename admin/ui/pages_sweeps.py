"""Sweeps: a project's sweeps, and a sweep's page (state, method, config, run counts, agents,
its runs table, parallel coordinates and parameter importance; the last three are drawn by
static/js/sweep_page.js from api_sweeps.py's JSON)."""

from __future__ import annotations

import time

from flask import render_template, request, url_for

from roost.admin.ui.blueprint import bp, core, me
from roost.admin.ui.pages_project import project_header
from roost.admin.ui.sweep_axes import metric_of, parse_config

SWEEPS_PAGE = 50
# Sweep states as the run-state badges colour them.
STATE_CLASS = {"RUNNING": "running", "PAUSED": "pending", "FINISHED": "finished",
               "CANCELED": "killed"}
# wandb agents (the CLI's and wandb.agent's) heartbeat every 5 s. One that has been silent for
# six of them has exited or hangs: it is not shown as running, though the core only gives up
# on it (crashing its runs) after sweep_agent_timeout.
AGENT_SILENT_AFTER = 30
AGENT_STATE_CLASS = {"running": "running", "finished": "finished", "crashed": "crashed",
                     "silent": "pending"}


def agent_view(agent, now: float) -> dict:
    last = agent.heartbeat_at or agent.created_at
    state = agent.state.lower()
    if state == "running" and now - last > AGENT_SILENT_AFTER:
        state = "silent"
    return {"name": agent.name, "host": agent.host, "state": state,
            "state_class": AGENT_STATE_CLASS.get(state, ""), "total_runs": agent.total_runs,
            "created_at": agent.created_at, "heartbeat_at": last,
            "silent_for": now - last if state == "silent" else None}


def sweep_view(sweep) -> dict:
    config = parse_config(sweep.config)
    return {
        "name": sweep.name, "title": sweep.display_name or config.get("name") or sweep.name,
        "state": sweep.state, "state_class": STATE_CLASS.get(sweep.state, ""),
        "method": sweep.method, "description": sweep.description,
        "created_at": sweep.created_at, "username": sweep.username,
        "run_count": sweep.run_count,
        "run_count_expected": (sweep.run_count_expected
                               if sweep.HasField("run_count_expected") else None),
        "best": sweep.best_loss if sweep.HasField("best_loss") else None,
        "metric": metric_of(config), "config": sweep.config,
    }


@bp.get("/<entity:entity>/<project>/sweeps")
def sweeps_page(entity: str, project: str):
    header = project_header(entity, project)
    after = request.args.get("after", "")
    found = core().sweeps.list(me(), entity, project, after=after, first=SWEEPS_PAGE)
    sweeps = [sweep_view(s) for s in found.sweeps]
    next_url = (url_for("ui.sweeps_page", entity=entity, project=project,
                        after=found.sweeps[-1].id)
                if found.has_next_page and found.sweeps else None)
    return render_template("ui/sweeps.html", project=header, tab="sweeps", sweeps=sweeps,
                           total=found.total, next_url=next_url, paged=bool(after))


@bp.get("/<entity:entity>/<project>/sweeps/<sweep_id>")
def sweep_page(entity: str, project: str, sweep_id: str):
    sweep = core().sweeps.get(me(), entity, project, sweep_id)
    agents = core().sweeps.agents(me(), entity, project, sweep.name)
    view = sweep_view(sweep)
    api = url_for("ui.api_sweep_runs", entity=entity, project=project, sweep_id=sweep.name)
    page_data = {
        "entity": entity, "project": project, "sweep": sweep.name, "state": sweep.state,
        "metric": view["metric"], "runs_api": api,
        "importance_api": url_for("ui.api_sweep_importance", entity=entity, project=project,
                                  sweep_id=sweep.name),
        "run_base": url_for("ui.run_page", entity=entity, project=project, run_id="_")[:-1],
    }
    page_data["state_api"] = url_for("ui.api_sweep_state", entity=entity, project=project,
                                     sweep_id=sweep.name)
    now = time.time()
    return render_template("ui/sweep.html", project={"entity": entity, "name": project},
                           sweep=view, page_data=page_data, silent_after=AGENT_SILENT_AFTER,
                           agents=[agent_view(a, now)
                                   for a in sorted(agents, key=lambda a: -a.created_at)])
