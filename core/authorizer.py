"""Who may do what, for every service of the core: the one public collaborator the services
share instead of reaching into each other (or into the Core) for a permission check.

``check`` asks the ``roost_authorize`` hooks first (any False denies, else any True grants)
and otherwise lets roles x visibility decide (core/access.py). The authorized lookups below
are the checks every area repeats: a run or project the caller may see, or NotFound.
"""

from __future__ import annotations

import time

from roost.core import access
from roost.core.auth import Principal
from roost.core.errors import NotFound, PermissionDenied

# A run that has sent nothing for this long is shown as crashed (the SDK heartbeats every 30 s).
CRASH_AFTER_SECONDS = 300


def present_run(run: dict) -> dict:
    """The run as callers see it: ``running`` without a heartbeat for too long is crashed."""
    if run["state"] == "running" and time.time() - run["heartbeat_at"] > CRASH_AFTER_SECONDS:
        run = run | {"state": "crashed"}
    return run


def stale_before() -> float:
    """The heartbeat time before which a running run counts as crashed (storage filters)."""
    return time.time() - CRASH_AFTER_SECONDS


class Authorizer:
    def __init__(self, storage, pm):
        self.storage = storage
        self.pm = pm

    def check(self, principal: Principal, action: str, resource: dict) -> None:
        """Raise unless ``principal`` may do ``action`` (``"<area>:<verb>"``) on ``resource``
        (``{"entity", "project"[, "run"]}``). Plugins veto (False) or grant (True) first;
        otherwise roles x visibility decide (core/access.py)."""
        verdicts = self.pm.hook.roost_authorize(principal=principal, action=action,
                                                resource=resource)
        if False in verdicts:
            raise PermissionDenied(f"not allowed to {action} in {resource.get('entity')!r}")
        if True in verdicts:
            return
        access.check(self.storage, principal, action, resource)

    def project(self, principal: Principal, entity: str, name: str) -> dict:
        """The project record, when the caller may read it; NotFound when it does not exist."""
        self.check(principal, "project:read", {"entity": entity, "project": name})
        project = self.storage.get_project(entity, name)
        if project is None:
            raise NotFound(f"project {entity}/{name} does not exist")
        return project

    def run(self, principal: Principal, entity: str, project: str, name: str,
            action: str = "run:read", tails: bool = False) -> dict:
        """The stored run (not presented), when the caller may do ``action`` on it."""
        self.check(principal, action, {"entity": entity, "project": project, "run": name})
        run = self.storage.get_run(entity, project, name, tails=tails)
        if run is None:
            raise NotFound(f"run {entity}/{project}/{name} does not exist")
        return run

    def run_by_id(self, principal: Principal, run_id: str, action: str) -> dict:
        """The stored run by storage id, when the caller may do ``action`` on it."""
        run = self.storage.get_run_by_id(run_id)
        if run is None:
            raise NotFound(f"run with id {run_id!r} does not exist")
        self.check(principal, action, {"entity": run["entity"], "project": run["project"],
                                       "run": run["name"]})
        return run
