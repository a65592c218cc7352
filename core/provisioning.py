"""Accounts made and kept in step by a sign-in source (LDAP, OpenID Connect, SCIM): the
username a new person gets, the account created at the first sign-in, e-mail and name
updated at later ones, and teams that follow the source's groups. Every change is recorded
in the audit log under the source's name, so the console shows who changed what.

Plugins call these with the storage provider their ``roost_authenticate`` receives.
"""

from __future__ import annotations

import json

from roost.core.access import ROLES
from roost.core.auth import NAME_PATTERN, username_from_email
from roost.core.errors import AlreadyExists

MAX_NAME = 64


def parse_group_map(raw, option: str) -> dict[str, tuple[str, str]]:
    """``{"<group>": "<team>:<role>"}`` (JSON text or a dict) -> group (lower-case) ->
    (team, role). Raises ValueError naming ``option`` when it is malformed."""
    raw = raw or {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else {}
        except ValueError as exc:
            raise ValueError(f"{option} is not valid JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise ValueError(f'{option} must be a JSON object {{"group": "team:role"}}')
    mapping = {}
    for group, target in raw.items():
        team, _, role = str(target).partition(":")
        role = role or "member"
        if role not in ROLES or not NAME_PATTERN.match(team):
            raise ValueError(f"{option}: {target!r} is not TEAM:ROLE "
                             f"(role one of {', '.join(ROLES)})")
        mapping[str(group).lower()] = (team, role)
    return mapping


def valid_username(hint: str) -> str:
    """``hint`` (a claim, an e-mail or its local part) made into a valid Roost name."""
    return username_from_email(hint or "")


def unique_username(storage, hint: str) -> str:
    """A valid name no user or team has yet: ``hint``, else ``hint-2``, ``hint-3``..."""
    base = valid_username(hint)
    candidate, number = base, 1
    while storage.get_entity(candidate) is not None:
        number += 1
        suffix = f"-{number}"
        candidate = base[:MAX_NAME - len(suffix)] + suffix
    return candidate


def create_account(storage, source: str, hint: str, email: str, name: str) -> dict:
    """A new account (no local password) named after ``hint``, made unique."""
    for _ in range(5):  # another sign-in may take the same name between check and create
        username = unique_username(storage, hint)
        try:
            user = storage.create_user(username, email, None, False)
        except AlreadyExists:
            continue
        break
    else:
        raise AlreadyExists(f"could not find a free username for {hint!r}")
    if name:
        user = storage.update_user(user["id"], {"name": name[:128]})
    storage.add_audit_entry(source, "user.create", username,
                            {"source": source, "email": email})
    return user


def update_profile(storage, source: str, user: dict, email: str, name: str) -> dict:
    """Take the source's e-mail and display name when they changed."""
    changes = {}
    if email and email != user.get("email"):
        changes["email"] = email[:254]
    if name and name[:128] != user.get("name"):
        changes["name"] = name[:128]
    if not changes:
        return user
    storage.add_audit_entry(source, "user.update", user["username"],
                            {"source": source, **changes})
    return storage.update_user(user["id"], changes)


def apply_group_map(storage, source: str, user: dict, groups, mapping) -> None:
    """Mapped teams follow the source's groups: join (or change role) when in a mapped group,
    leave when no longer in any group mapped to that team. Unmapped teams are left alone."""
    groups = {str(g).lower() for g in groups}
    wanted: dict[str, str] = {}
    for group, (team, role) in mapping.items():
        if group in groups and ROLES.index(role) >= ROLES.index(wanted.get(team, "viewer")):
            wanted[team] = role
    current = set(user.get("teams", []))
    for team, role in wanted.items():
        if storage.get_entity(team) is None:
            storage.create_team(team, "")
            storage.add_audit_entry(source, "team.create", team, {"source": source})
        previous = storage.set_membership(team, user["id"], role)
        if previous != role:
            storage.add_audit_entry(source, "team.member.set", f"{team}/{user['username']}",
                                    {"role": role, "previous": previous or "",
                                     "source": source})
    for team in {t for t, _ in mapping.values()} - set(wanted):
        if team in current:
            previous = storage.remove_membership(team, user["id"])
            storage.add_audit_entry(source, "team.member.remove", f"{team}/{user['username']}",
                                    {"previous": previous or "", "source": source})
