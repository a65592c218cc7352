"""Who may do what, for every service of the core: the one public collaborator the services
share instead of reaching into each other (or into the Core) for a permission check.

``check`` asks the ``roost_authorize`` hooks first (any False denies, else any True grants)
and otherwise lets roles x visibility decide (core/access.py). The authorized lookups below
are the checks every area repeats: a run or project the caller may see, or NotFound. The
account checks (``is_admin``, ``require_admin``, ``may_manage_account``) are read fresh from
storage on every call, as roles are.
"""

from __future__ import annotations

import time

from roost.core import access
from roost.core.access import RANK
from roost.core.auth import Principal
from roost.core.errors import NotFound, PermissionDenied, Unauthenticated

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

    # -- server admins and accounts ----------------------------------------------------------
    def is_admin(self, principal: Principal | None) -> bool:
        """``None`` is the local operator (the CLI on the server). Admin rights are re-read
        from storage, so a demoted admin loses them at once."""
        if principal is None:
            return True
        if principal.kind != "user" or not principal.user_id:
            return False
        user = self.storage.get_user_by_id(principal.user_id)
        return bool(user and user["admin"] and not user["disabled"])

    def require_admin(self, principal: Principal | None, what: str) -> None:
        if principal is not None and principal.kind == "anonymous":
            raise Unauthenticated(f"sign in as an admin to {what}")
        if not self.is_admin(principal):
            raise PermissionDenied(f"only a server admin may {what}")

    def team_role(self, principal: Principal | None, team: str) -> str | None:
        """The caller's role in ``team`` (None: not a member, or not a signed-in account)."""
        if principal is None or not principal.user_id or principal.kind not in ("user", "service"):
            return None
        facts = self.storage.entity_access(team, "", principal.user_id)
        return facts["role"] if facts else None

    def may_manage_account(self, principal: Principal | None, username: str) -> bool:
        """Admins manage every account, users their own, team admins their team's service
        accounts."""
        if principal is None or self.is_admin(principal):
            return True
        if principal.username == username and principal.kind in ("user", "service"):
            return True
        user = self.storage.get_user(username)
        if user is None or self.storage.account_kind(user["id"]) != "service":
            return False
        return any(RANK.get(self.team_role(principal, team), 0) >= RANK["admin"]
                   for team in user.get("teams", []))

    # -- authorized lookups ------------------------------------------------------------------

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
