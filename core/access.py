"""Who may do what: team roles x project visibility x the level an action needs.

Every read and write path in the core calls ``Authorizer.check(principal, "<area>:<verb>",
{"entity": ..., "project": ..., ["run": ...]})``, which asks the ``roost_authorize`` hooks
and then :func:`check`. The facts (the caller's role, the project's visibility, whether the
caller is still an admin and not disabled) are read fresh from storage on every check, so a
changed role, a revoked share link or a disabled account takes effect on the next request.
"""

from __future__ import annotations

import time

from roost.core.auth import Principal
from roost.core.errors import NotFound, PermissionDenied, Unauthenticated

ROLES = ("viewer", "member", "admin", "owner")
RANK = {role: rank for rank, role in enumerate(ROLES, start=1)}
VISIBILITIES = ("private", "team", "public")

# The level each verb needs. A verb not listed needs "admin": new areas are closed by default.
READ_VERBS = {"read", "list", "get", "view", "download", "query"}
WRITE_VERBS = {"write", "create", "update", "log", "upload", "use", "link", "commit", "run",
               "stop", "heartbeat", "upsert"}
DELETE_VERBS = {"delete", "remove", "unlink"}
LEVELS = ("read", "write", "delete", "admin")


def anonymous() -> Principal:
    """Whoever sent no credentials: may read public projects, nothing else."""
    return Principal(user_id="", username="", default_entity="", kind="anonymous",
                     name="anonymous")


def level_of(action: str) -> str:
    verb = action.partition(":")[2]
    if verb in READ_VERBS:
        return "read"
    if verb in WRITE_VERBS:
        return "write"
    if verb in DELETE_VERBS:
        return "delete"
    return "admin"


def default_visibility(entity_kind: str) -> str:
    """A user's own project is private unless made otherwise; a team's is visible to the team."""
    return "team" if entity_kind == "team" else "private"


def _who(principal: Principal) -> str:
    if principal.kind == "service":
        return f"service account {principal.username!r}"
    return f"user {principal.username!r}"


def _label(resource: dict) -> str:
    parts = [resource.get("entity", ""), resource.get("project") or "", resource.get("run") or ""]
    return "/".join(p for p in parts if p)


def check(storage, principal: Principal, action: str, resource: dict) -> None:
    """Return when ``principal`` may perform ``action`` on ``resource``; raise otherwise."""
    level = level_of(action)
    if principal.kind == "share":
        return _check_share(storage, principal, action, level, resource)
    if principal.kind == "view_token":  # a report's view-only link (core/views/tokens.py)
        from roost.core.views.tokens import check_access
        return check_access(storage, principal, level, resource)
    entity = resource.get("entity") or ""
    signed_in = principal.kind in ("user", "service") and bool(principal.user_id)
    facts = storage.entity_access(entity, resource.get("project") or "",
                                  principal.user_id if signed_in else "")
    if signed_in and facts is not None and facts["disabled"]:
        raise Unauthenticated(f"the account {principal.username!r} is disabled")
    if signed_in and facts is not None and facts["admin"] and principal.kind == "user":
        return
    if facts is None:
        if not signed_in:
            raise Unauthenticated("sign in first: only public projects can be read without "
                                  "an API key")
        if principal.admin:
            return  # an admin acting on a name that does not exist gets the caller's NotFound
        raise NotFound(f"entity {entity!r} does not exist")
    visibility = facts["visibility"] or default_visibility(facts["kind"])
    role = facts["role"]
    if level == "read" and visibility == "public":
        return
    if not signed_in:
        raise Unauthenticated(f"sign in to access {_label(resource)!r}: "
                              "it is not a public project")
    rank = RANK.get(role, 0)
    if rank == 0:
        if facts["kind"] == "team":
            raise PermissionDenied(
                f"{_who(principal)} is not a member of team {entity!r}; ask one of its "
                f"admins to add you, or use your own entity {principal.default_entity!r}")
        raise PermissionDenied(
            f"{_who(principal)} may not {action.partition(':')[2]} in {_label(resource)!r}: "
            f"it belongs to another user; use your own entity {principal.default_entity!r} "
            "or a team you belong to")
    needed = {"read": "viewer", "write": "member", "delete": "admin", "admin": "admin"}[level]
    if visibility == "private" and facts["kind"] == "team":
        needed = "admin" if RANK[needed] < RANK["admin"] else needed
    if rank >= RANK[needed]:
        return
    if visibility == "private" and facts["kind"] == "team" and level in ("read", "write"):
        raise PermissionDenied(
            f"project {entity}/{resource.get('project')} is private to the admins of team "
            f"{entity!r}; "
            f"{_who(principal)} is a {role}")
    raise PermissionDenied(
        f"{_who(principal)} is a {role} of team {entity!r} and may not "
        f"{action.partition(':')[2]} {action.partition(':')[0]}s there; that takes the "
        f"{needed} role or above")


def _check_share(storage, principal: Principal, action: str, level: str,
                 resource: dict) -> None:
    link = storage.get_share_link(principal.user_id)
    problem = share_link_problem(link)
    if problem:
        raise Unauthenticated(problem)
    if level != "read":
        raise PermissionDenied("a share link gives read-only access")
    if (resource.get("entity"), resource.get("project")) != (link["entity"], link["project"]):
        raise PermissionDenied(f"this share link covers {link['entity']}/{link['project']} only")
    if link["run"]:
        area = action.partition(":")[0]
        if resource.get("run") != link["run"] and area != "project":
            raise PermissionDenied(f"this share link covers the run "
                                   f"{link['entity']}/{link['project']}/{link['run']} only")


def share_link_problem(link: dict | None) -> str | None:
    if link is None:
        return "this share link does not exist"
    if link["revoked"]:
        return "this share link was revoked"
    if link["expires_at"] and link["expires_at"] < time.time():
        return "this share link has expired"
    return None

