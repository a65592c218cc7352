"""Sweeps in the core: every permission check and validation, then storage and the controller.

The gRPC servicer calls these methods; the front never decides anything about sweeps.
"""

from __future__ import annotations

import json
from typing import Any

from roost.core import auth
from roost.core.auth import Principal
from roost.core.authorizer import present_run
from roost.core.errors import AlreadyExists, InvalidArgument, NotFound
from roost.core.sweeps import config as sweep_config
from roost.core.sweeps.controller import RECORD_TERMINAL, Controller, new_id
from roost.core.sweeps.runs import SweepRun, best_value, counted, metric_snapshot

DEFAULT_PROJECT = "uncategorized"
STATES = ("RUNNING", "PAUSED", "CANCELED", "FINISHED")
# An agent that has not heartbeated for this long is dead (wandb agents heartbeat every ~5 s).
DEFAULT_AGENT_TIMEOUT = 90
MAX_PAGE = 1000


def parse_prior_runs(text: str | None) -> list[str]:
    """``{"$or": [{"name": ID}, ...]}`` (what ``wandb sweep -R ID`` sends) to run names."""
    if not text:
        return []
    try:
        filters = json.loads(text)
    except ValueError:
        raise InvalidArgument("priorRunsFilters must be JSON") from None
    if filters is None:
        return []
    clauses = filters.get("$or") if isinstance(filters, dict) and len(filters) == 1 else None
    if not isinstance(clauses, list) or not all(
            isinstance(c, dict) and set(c) == {"name"} and isinstance(c["name"], str)
            for c in clauses):
        raise InvalidArgument('priorRunsFilters must look like {"$or": [{"name": "RUN_ID"}, ...]}'
                              " (the runs to attach to the new sweep)")
    return [c["name"] for c in clauses]


class SweepService:
    def __init__(self, storage, config, authorizer):
        self.storage = storage
        self.authorizer = authorizer
        self.agent_timeout = float(config.get("sweep_agent_timeout")
                                   or DEFAULT_AGENT_TIMEOUT)

    def _authorize(self, principal: Principal, action: str, entity: str, project: str) -> None:
        self.authorizer.check(principal, action, {"entity": entity, "project": project})

    # -- sweeps ------------------------------------------------------------------------------
    def _sweep(self, principal: Principal, entity: str, project: str, name: str,
               action: str = "sweep:read") -> dict:
        self._authorize(principal, action, entity, project)
        sweep = self.storage.get_sweep(entity, project, name)
        if sweep is None:
            raise NotFound(f"sweep {entity}/{project}/{name} does not exist")
        return sweep

    def _sweep_by_id(self, principal: Principal, sweep_id: str, action: str) -> dict:
        sweep = self.storage.get_sweep_by_id(sweep_id)
        if sweep is None:
            raise NotFound(f"sweep with id {sweep_id!r} does not exist")
        self._authorize(principal, action, sweep["entity"], sweep["project"])
        return sweep

    def upsert_sweep(self, principal: Principal, fields: dict[str, Any]
                     ) -> tuple[dict, list[str], bool]:
        """Create a sweep (no ``id``) or change one; returns (sweep, warnings, inserted)."""
        fields = {k: v for k, v in fields.items() if v is not None}
        if fields.get("state") is not None and fields["state"] not in STATES:
            raise InvalidArgument(f"unknown sweep state {fields['state']!r}; use "
                                  + ", ".join(STATES))
        if fields.get("id"):
            return self._update(principal, fields)
        return self._create(principal, fields)

    def _create(self, principal: Principal, fields: dict) -> tuple[dict, list[str], bool]:
        entity = fields.get("entity") or principal.default_entity
        project = fields.get("project") or DEFAULT_PROJECT
        auth.validate_project_name(project)
        self._authorize(principal, "sweep:write", entity, project)
        if "config" not in fields:
            raise InvalidArgument("a new sweep needs a config")
        spec = sweep_config.parse(fields["config"])
        prior = parse_prior_runs(fields.get("prior_runs_filters"))
        if self.storage.get_entity(entity) is None:
            raise NotFound(f"entity {entity!r} does not exist")
        missing = [name for name in prior if self.storage.get_run(entity, project, name) is None]
        if missing:
            raise NotFound(f"prior run(s) {', '.join(missing)} do not exist in {entity}/{project}")
        record = {"method": spec.method, "config": fields["config"],
                  "state": fields.get("state") or "RUNNING",
                  "description": fields.get("description") or spec.config.get("description", ""),
                  "display_name": fields.get("display_name") or "",
                  "controller": fields.get("controller") or "",
                  "scheduler": fields.get("scheduler") or ""}
        while True:
            try:
                sweep = self.storage.create_sweep(entity, project, record | {"name": new_id()},
                                                  principal.user_id)
                break
            except AlreadyExists:  # the random name is taken in this project: draw again
                continue
        for record in self.storage.attach_runs(sweep["id"], prior):
            assignment = self.storage.add_assignment(
                sweep["id"], record["name"], None, record["config"] or "{}",
                RECORD_TERMINAL.get(record["state"], "running"))
            if spec.metric and assignment["state"] != "running":
                snapshot = metric_snapshot(self.storage, SweepRun(assignment, record),
                                           spec.metric["name"])
                self.storage.update_assignment(assignment["id"],
                                               {"metric_history": json.dumps(snapshot)})
        return self.present(sweep), spec.warnings, True

    def _update(self, principal: Principal, fields: dict) -> tuple[dict, list[str], bool]:
        sweep = self._sweep_by_id(principal, fields["id"], "sweep:write")
        changes: dict[str, Any] = {}
        warnings: list[str] = []
        if "config" in fields:
            if self.storage.list_assignments(sweep["id"]):
                raise InvalidArgument(f"sweep {sweep['name']} already has runs; its config can "
                                      "only change before the first run starts")
            spec = sweep_config.parse(fields["config"])
            changes |= {"config": fields["config"], "method": spec.method}
            warnings = spec.warnings
        for key in ("state", "description", "display_name"):
            if key in fields:
                changes[key] = fields[key]
        if changes:
            sweep = self.storage.update_sweep(sweep["id"], changes)
        return self.present(sweep), warnings, False

    def present(self, sweep: dict) -> dict:
        """The stored sweep plus what is computed from its runs."""
        runs = self._runs(sweep)
        spec = self.spec(sweep)
        names = {run.name for run in counted(runs)}
        names |= {r["name"] for r in self.storage.sweep_run_states(sweep["id"])}
        presented = dict(sweep, run_count=len(names),
                         early_stop_job_running=bool(spec.config.get("early_terminate"))
                         and sweep["state"] == "RUNNING")
        expected = spec.run_count_expected()
        if expected is not None:
            presented["run_count_expected"] = expected
        best = best_value(runs, spec.metric)
        if best is not None:
            presented["best_loss"] = best
        return presented

    @staticmethod
    def spec(sweep: dict) -> sweep_config.SweepSpec:
        return sweep_config.parse_cached(sweep["config"])

    def _runs(self, sweep: dict) -> list[SweepRun]:
        return [SweepRun(a, None) for a in self.storage.list_assignments(sweep["id"])]

    def get_sweep(self, principal: Principal, entity: str, project: str, name: str) -> dict:
        return self.present(self._sweep(principal, entity, project, name))

    def list_sweeps(self, principal: Principal, entity: str, project: str, after: str,
                    first: int) -> tuple[list[dict], bool, int]:
        self._authorize(principal, "sweep:read", entity, project)
        first = min(max(first or 50, 1), MAX_PAGE)
        sweeps, has_next, total = self.storage.list_sweeps(entity, project, after, first)
        return [self.present(s) for s in sweeps], has_next, total

    def list_runs(self, principal: Principal, entity: str, project: str, name: str,
                  agent: str = "", after: str = "", first: int = 0,
                  descending: bool = False) -> tuple[list[dict], bool, int]:
        sweep = self._sweep(principal, entity, project, name)
        records = [present_run(r) for r in self.storage.sweep_run_records(sweep["id"])]
        if agent:
            found = self.storage.find_agent(sweep["id"], agent)
            if found is None:
                raise NotFound(f"sweep {entity}/{project}/{name} has no agent {agent!r}")
            mine = {a["run_name"] for a in self.storage.list_assignments(sweep["id"])
                    if a["agent_id"] == found["id"]}
            records = [r for r in records if r["name"] in mine]
        if descending:
            records.reverse()
        if after:
            ids = [r["id"] for r in records]
            if after not in ids:
                raise InvalidArgument(f"unknown cursor {after!r} for the runs of sweep {name}")
            records = records[ids.index(after) + 1:]
        total = len(records)
        first = min(first, MAX_PAGE) if first and first > 0 else MAX_PAGE
        return records[:first], total > first, total

    # -- agents ------------------------------------------------------------------------------
    def create_agent(self, principal: Principal, entity: str, project: str, sweep: str,
                     host: str) -> dict:
        entity = entity or principal.default_entity
        project = project or DEFAULT_PROJECT
        found = self._sweep(principal, entity, project, sweep, "sweep:write")
        if not host or len(host) > 255:
            raise InvalidArgument("an agent needs a host name of 1-255 characters")
        return self.storage.create_agent(found["id"], new_id(), host, principal.user_id)

    def _agent_sweep(self, principal, entity, project, sweep, agent) -> tuple[dict, dict]:
        found = self._sweep(principal, entity, project, sweep)
        record = self.storage.find_agent(found["id"], agent)
        if record is None:
            raise NotFound(f"sweep {entity}/{project}/{sweep} has no agent {agent!r}")
        return found, record

    def get_agent(self, principal: Principal, entity: str, project: str, sweep: str,
                  agent: str) -> dict:
        return self._agent_sweep(principal, entity, project, sweep, agent)[1]

    def list_agents(self, principal: Principal, entity: str, project: str, sweep: str
                    ) -> list[dict]:
        return self.storage.list_agents(self._sweep(principal, entity, project, sweep)["id"])

    def heartbeat(self, principal: Principal, agent_id: str, active: set[str]
                  ) -> tuple[dict, list[dict]]:
        agent = self.storage.get_agent(agent_id)
        if agent is None:
            raise NotFound(f"sweep agent {agent_id!r} does not exist: register the agent "
                           "again (wandb agent) against an existing sweep")
        self._sweep_by_id(principal, agent["sweep_id"], "sweep:write")

        def serve(sweep: dict) -> list[dict]:
            fresh = self.storage.get_agent(agent_id)
            controller = Controller(self.storage, sweep, self.spec(sweep), self.agent_timeout)
            return controller.heartbeat(fresh, active)

        commands = self.storage.locked_sweep(agent["sweep_id"], serve)
        return self.storage.get_agent(agent_id), commands
