"""Tenancy and administration: teams and roles, service accounts, share links, invites,
self-registration, users, projects administration, storage use, plugins and the audit log
(share links: core/share_links.py).

The Core builds one ``Tenancy`` (``core.tenancy``) and gives it what it uses: storage, media,
the hooks, the ``Authorizer``, the audit log and the ``Accounts`` service. The AdminService
servicer and the CLI call it. Every method
that changes who may do what is checked here and recorded in the audit log.
"""

from __future__ import annotations

import secrets
import time

from roost.core import auth
from roost.core.access import RANK, ROLES, VISIBILITIES
from roost.core.auth import Principal
from roost.core.errors import (AlreadyExists, Conflict, InvalidArgument, NotFound,
                               PermissionDenied, Unauthenticated)
from roost.core.pluginmanager import describe_plugins

SETTINGS = {"self_registration": "false"}
INVITE_SECONDS = 7 * 24 * 3600


def _token() -> str:
    # URL-safe and long: a share or invite token is a bearer credential in a URL path.
    return secrets.token_urlsafe(32)


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidArgument(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    return role


def _check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < 8:
        raise InvalidArgument("password must be at least 8 characters")
    if len(password) > 1024:
        raise InvalidArgument("password must be at most 1024 characters")
    return password


class Tenancy:
    def __init__(self, storage, media, pm, authorizer, audit, accounts):
        """``accounts``: the Accounts service (sign-ups and service-account keys go through
        the same checks as any other account operation)."""
        self.storage = storage
        self.media = media
        self.pm = pm
        self.authorizer = authorizer
        self.audit = audit
        self.accounts = accounts

    # -- helpers -----------------------------------------------------------------------------
    @staticmethod
    def _signed_in(principal: Principal | None) -> Principal:
        if principal is None or principal.kind not in ("user", "service") or not principal.user_id:
            raise Unauthenticated("sign in first")
        return principal

    def _require_team_admin(self, principal: Principal | None, team: str, what: str) -> str:
        """The caller's role (``"server-admin"`` for server admins); raises unless admin+."""
        entity = self.storage.get_entity(team)
        if entity is None or entity["kind"] != "team":
            raise NotFound(f"team {team!r} does not exist")
        if self.authorizer.is_admin(principal):
            return "server-admin"
        self._signed_in(principal)
        role = self.authorizer.team_role(principal, team)
        if RANK.get(role, 0) < RANK["admin"]:
            raise PermissionDenied(f"only an admin or owner of team {team!r} may {what}")
        return role

    # -- sessions ----------------------------------------------------------------------------
    def principal_for_user(self, user_id: str) -> Principal:
        """The principal behind a signed-in web session, re-read on every request."""
        user = self.storage.get_user_by_id(user_id) if user_id else None
        if user is None:
            raise Unauthenticated("this session's account no longer exists; sign in again")
        if user["disabled"]:
            raise Unauthenticated(f"the account {user['username']!r} is disabled")
        return auth.principal_from_user(user)

    # -- teams -------------------------------------------------------------------------------
    def create_team(self, principal: Principal | None, name: str, owner: str = "") -> dict:
        auth.validate_name("team", name)
        if principal is not None:
            self._signed_in(principal)
            if principal.kind == "service":
                raise PermissionDenied("a service account may not create teams")
        if owner and owner != getattr(principal, "username", None):
            self.authorizer.require_admin(principal, "create a team owned by someone else")
        owner_user = self.accounts.get_user(owner) if owner else (
            self.storage.get_user_by_id(principal.user_id) if principal else None)
        team = self.storage.create_team(name, owner_user["id"] if owner_user else "")
        self.audit.record(principal, "team.create", name,
                          owner=owner_user["username"] if owner_user else "")
        return team

    def list_teams(self, principal: Principal | None) -> list[dict]:
        teams = self.storage.list_teams()
        if self.authorizer.is_admin(principal):
            return teams
        mine = set(self.storage.teams_of(self._signed_in(principal).user_id))
        return [t for t in teams if t["name"] in mine]

    def get_team(self, principal: Principal | None, name: str) -> tuple[dict, list[dict]]:
        entity = self.storage.get_entity(name)
        if entity is None or entity["kind"] != "team":
            raise NotFound(f"team {name!r} does not exist")
        if (not self.authorizer.is_admin(principal)
                and self.authorizer.team_role(principal, name) is None):
            self._signed_in(principal)
            raise PermissionDenied(f"only members of team {name!r} may see its members")
        return entity, self.storage.team_members(name)

    def set_member(self, principal: Principal | None, team: str, username: str,
                   role: str) -> str | None:
        """Add ``username`` to ``team`` or change their role; returns the previous role."""
        _check_role(role)
        caller = self._require_team_admin(principal, team, "manage its members")
        user = self.accounts.get_user(username)
        current = {m["username"]: m["role"] for m in self.storage.team_members(team)}
        previous = current.get(username)
        if caller != "server-admin" and "owner" in (role, previous) and caller != "owner":
            raise PermissionDenied(f"only an owner of team {team!r} may grant or take away "
                                   "the owner role")
        if previous == "owner" and role != "owner" and self.storage.count_owners(team) <= 1:
            raise Conflict(f"{username!r} is the last owner of team {team!r}; make someone "
                           "else an owner first")
        if previous == role:
            return previous
        self.storage.set_membership(team, user["id"], role)
        self.audit.record(principal, "team.member.set", f"{team}/{username}", role=role,
                          previous=previous or "")
        return previous

    def remove_member(self, principal: Principal | None, team: str, username: str) -> None:
        user = self.accounts.get_user(username)
        leaving_self = principal is not None and principal.user_id == user["id"]
        caller = "self" if leaving_self else self._require_team_admin(
            principal, team, "remove its members")
        current = {m["username"]: m["role"] for m in self.storage.team_members(team)}
        if username not in current:
            raise NotFound(f"{username!r} is not a member of team {team!r}")
        if current[username] == "owner":
            if caller not in ("owner", "server-admin", "self"):
                raise PermissionDenied(f"only an owner of team {team!r} may remove an owner")
            if self.storage.count_owners(team) <= 1:
                raise Conflict(f"{username!r} is the last owner of team {team!r}; make "
                               "someone else an owner first")
        self.storage.remove_membership(team, user["id"])
        self.audit.record(principal, "team.member.remove", f"{team}/{username}",
                          previous=current[username])

    def create_service_account(self, principal: Principal | None, team: str,
                               description: str) -> tuple[dict, str]:
        """A team-owned account with one API key (returned once) for CI jobs."""
        self._require_team_admin(principal, team, "create service accounts")
        description = (description or "").strip()
        if len(description) > 255:
            raise InvalidArgument("a service account description is at most 255 characters")
        username = f"{team[:40]}-sa-{secrets.token_hex(4)}"
        user = self.storage.create_service_account(team, username, description)
        record, key = self.accounts.create_api_key(None, username,
                                                   description or "service account")
        self.audit.record(principal, "team.service_account.create", f"{team}/{username}",
                          description=description)
        return user, key

    # -- users -------------------------------------------------------------------------------
    def list_users(self, principal: Principal | None, query: str = "",
                   limit: int = 200) -> list[dict]:
        self.authorizer.require_admin(principal, "list users")
        return self.storage.list_users(query or "", max(1, min(limit, 1000)))

    def update_user(self, principal: Principal | None, username: str, *,
                    disabled: bool | None = None, admin: bool | None = None,
                    password: str | None = None, email: str | None = None) -> dict:
        self.authorizer.require_admin(principal, "change other accounts")
        user = self.accounts.get_user(username)
        changes: dict = {}
        if disabled is not None and disabled != user["disabled"]:
            changes["disabled"] = disabled
        if admin is not None and admin != user["admin"]:
            if self.storage.account_kind(user["id"]) == "service":
                raise InvalidArgument("a service account cannot be a server admin")
            changes["admin"] = admin
        if (changes.get("disabled") or changes.get("admin") is False) and user["admin"]:
            admins = [u for u in self.storage.list_users("", 10000)
                      if u["admin"] and not u["disabled"]]
            if len(admins) <= 1:
                raise Conflict(f"{username!r} is the last active admin; make another admin "
                               "first")
        if password:
            changes["password_hash"] = auth.hash_password(_check_password(password))
        if email is not None and email != user["email"]:
            changes["email"] = email.strip()
        if not changes:
            return user
        updated = self.storage.update_user(user["id"], changes)
        self.audit.record(principal, "user.update", username,
                          **{k: v for k, v in changes.items()})
        return updated

    def change_own_password(self, principal: Principal, old: str, new: str) -> None:
        user = self.accounts.get_user(self._signed_in(principal).username)
        if not auth.verify_password(old, user["password_hash"]):
            raise PermissionDenied("the current password is wrong")
        self.storage.update_user(user["id"], {"password_hash": auth.hash_password(
            _check_password(new))})
        self.audit.record(principal, "user.password.change", user["username"], password="")

    # -- settings and self-registration ------------------------------------------------------
    def settings(self) -> dict[str, str]:
        return {name: self.storage.get_setting(name) or default
                for name, default in SETTINGS.items()}

    def read_settings(self, principal: Principal | None) -> dict[str, str]:
        """The server's settings, for admins (the console)."""
        self.authorizer.require_admin(principal, "read server settings")
        return self.settings()

    def set_setting(self, principal: Principal | None, name: str, value: str) -> dict:
        self.authorizer.require_admin(principal, "change server settings")
        if name not in SETTINGS:
            raise InvalidArgument(f"unknown setting {name!r}; known: {', '.join(SETTINGS)}")
        if name == "self_registration" and value not in ("true", "false"):
            raise InvalidArgument("self_registration is 'true' or 'false'")
        previous = self.settings()[name]
        if previous != value:
            self.storage.set_setting(name, value)
            self.audit.record(principal, "setting.set", name, value=value, previous=previous)
        return self.settings()

    def register(self, username: str, password: str, email: str = "") -> dict:
        if self.settings()["self_registration"] != "true":
            raise PermissionDenied("self-registration is off on this server; ask an admin "
                                   "for an account or an invite link")
        user = self.accounts.create_user(None, username, email, _check_password(password),
                                     audit=False)
        self.audit.record(auth.principal_from_user(user), "user.register", username,
                          email=email)
        return user

    # -- invites -----------------------------------------------------------------------------
    def create_invite(self, principal: Principal | None, team: str = "", email: str = "",
                      username: str = "", role: str = "member",
                      expires_in: int = INVITE_SECONDS) -> tuple[dict | None, str]:
        """Invite someone: an existing user (by username or email) joins the team at once
        and ``(None, "")`` comes back; anyone else gets a single-use sign-up link token."""
        _check_role(role)
        if team:
            self._require_team_admin(principal, team, "invite members")
        else:
            self.authorizer.require_admin(principal, "invite people to the server")
        existing = self.storage.get_user(username) if username else (
            self.storage.find_user_by_email(email) if email else None)
        if username and existing is None:
            raise NotFound(f"user {username!r} does not exist; invite them by email instead")
        if existing is not None:
            if not team:
                raise AlreadyExists(f"{existing['username']!r} already has an account")
            if team in existing.get("teams", []):
                raise AlreadyExists(f"{existing['username']!r} is already in team {team!r}")
            self.set_member(principal, team, existing["username"], role)
            return None, ""
        if email and ("@" not in email or len(email) > 254 or any(c.isspace() for c in email)):
            raise InvalidArgument(f"{email!r} is not an email address")
        if not 60 <= expires_in <= 90 * 24 * 3600:
            raise InvalidArgument("an invite expires after 1 minute to 90 days")
        token = _token()
        invite = self.storage.create_invite(
            auth.api_key_hash(token), team, role, email,
            principal.user_id if principal and principal.user_id else "",
            time.time() + expires_in)
        self.audit.record(principal, "invite.create", team or "(server)", email=email,
                          role=role, invite=invite["id"])
        return invite, token

    def _live_invite(self, token: str) -> dict:
        invite = self.storage.find_invite(auth.api_key_hash(token or ""))
        if invite is None:
            raise NotFound("this invite link does not exist")
        if invite["revoked"]:
            raise PermissionDenied("this invite link was revoked")
        if invite["accepted_at"]:
            raise Conflict("this invite link was already used")
        if invite["expires_at"] and invite["expires_at"] < time.time():
            raise PermissionDenied("this invite link has expired; ask for a new one")
        return invite

    def get_invite(self, token: str) -> dict:
        return self._live_invite(token)

    def accept_invite(self, token: str, username: str, password: str, email: str = "") -> dict:
        invite = self._live_invite(token)
        user = self.accounts.create_user(None, username, email or invite["email"],
                                     _check_password(password), audit=False)
        if not self.storage.accept_invite(invite["id"], user["id"]):
            raise Conflict("this invite link was used by someone else a moment ago")
        if invite["team"]:
            self.storage.set_membership(invite["team"], user["id"], invite["role"])
        joined = self.storage.get_user(username)
        self.audit.record(auth.principal_from_user(joined), "invite.accept",
                          invite["team"] or "(server)", role=invite["role"],
                          invite=invite["id"])
        return joined

    def list_invites(self, principal: Principal | None, team: str = "") -> list[dict]:
        if team:
            self._require_team_admin(principal, team, "see its invites")
        else:
            self.authorizer.require_admin(principal, "see every invite")
        return self.storage.list_invites(team)

    def revoke_invite(self, principal: Principal | None, invite_id: str) -> None:
        invite = self.storage.get_invite(invite_id)
        if invite is None:
            raise NotFound(f"invite {invite_id!r} does not exist")
        if invite["team"]:
            self._require_team_admin(principal, invite["team"], "revoke its invites")
        else:
            self.authorizer.require_admin(principal, "revoke server invites")
        self.storage.revoke_invite(invite_id)
        self.audit.record(principal, "invite.revoke", invite["team"] or "(server)",
                          invite=invite_id)

    # -- projects and storage ----------------------------------------------------------------
    def list_projects(self, principal: Principal | None, entity: str = "") -> list[dict]:
        self.authorizer.require_admin(principal, "list every project")
        return self.storage.list_projects(entity)

    def set_project_visibility(self, principal: Principal | None, entity: str, project: str,
                               visibility: str) -> None:
        if visibility not in VISIBILITIES:
            raise InvalidArgument(f"unknown visibility {visibility!r}; use one of "
                                  + ", ".join(VISIBILITIES))
        if principal is not None:
            self.authorizer.check(principal, "project:admin",
                                 {"entity": entity, "project": project})
        kind = (self.storage.get_entity(entity) or {}).get("kind")
        if visibility == "team" and kind == "user":
            raise InvalidArgument("'team' visibility is for team projects; a user's project "
                                  "is private or public")
        previous = self.storage.set_project_visibility(entity, project, visibility)
        if previous != visibility:
            self.audit.record(principal, "project.visibility", f"{entity}/{project}",
                              visibility=visibility, previous=previous or "(default)")

    def move_project(self, principal: Principal | None, entity: str, project: str,
                     new_entity: str) -> None:
        self.authorizer.require_admin(principal, "move a project to another owner")
        if self.storage.get_entity(new_entity) is None:
            raise NotFound(f"entity {new_entity!r} does not exist")
        self.storage.move_project(entity, project, new_entity)
        self.audit.record(principal, "project.move", f"{entity}/{project}", to=new_entity)

    def delete_project(self, principal: Principal | None, entity: str, project: str) -> None:
        if principal is not None:
            self.authorizer.check(principal, "project:delete",
                                 {"entity": entity, "project": project})
        for key in self.storage.delete_project(entity, project):
            self.media.delete(key)
        self.audit.record(principal, "project.delete", f"{entity}/{project}")

    def storage_usage(self, principal: Principal | None) -> list[dict]:
        self.authorizer.require_admin(principal, "see storage use")
        return self.storage.list_projects("")

    # -- plugins and audit -------------------------------------------------------------------
    def plugins(self, principal: Principal | None) -> list[dict]:
        self.authorizer.require_admin(principal, "list plugins")
        return describe_plugins(self.pm)

    def audit_log(self, principal: Principal | None, limit: int = 100, before_id: str = "",
                  action: str = "") -> list[dict]:
        self.authorizer.require_admin(principal, "read the audit log")
        return self.audit.entries(limit, before_id, action)
