"""What a storage provider adds for tenancy (core/tenancy.py, core/access.py).

Storage area ``tenancy`` (part of :class:`roost.core.storage.Storage`). Records are
plain dicts; ids are strings; a missing entity, team or project raises NotFound, a name in
use AlreadyExists.
"""

from __future__ import annotations

from abc import ABC, abstractmethod


class TenancyStorage(ABC):
    # -- the facts a permission check needs (called on every request: keep it to few queries)
    @abstractmethod
    def entity_access(self, entity: str, project: str, user_id: str) -> dict | None:
        """None if the entity does not exist, else ``{"kind": "user"|"team", "role": the
        user's role there ("owner" for their own entity, a team role, or None), "visibility":
        the project's stored visibility or None, "project_exists", "admin", "disabled"}``
        (the last two describe the user; False without one)."""

    # -- teams -------------------------------------------------------------------------------
    @abstractmethod
    def create_team(self, name: str, owner_user_id: str) -> dict:
        """Create a team entity, with ``owner_user_id`` (when given) as its owner; return
        ``{"id", "name", "kind": "team", "created_at"}``. AlreadyExists when a user or team
        has the name."""

    @abstractmethod
    def list_teams(self) -> list[dict]:
        """Every team by name: ``{"id", "name", "created_at", "member_count"}``."""

    @abstractmethod
    def team_members(self, team: str) -> list[dict]:
        """In joining order: user_id, username, email, name, role, disabled, kind, description."""

    @abstractmethod
    def set_membership(self, team: str, user_id: str, role: str) -> str | None:
        """Add or change; return the previous role (None when newly added)."""

    @abstractmethod
    def remove_membership(self, team: str, user_id: str) -> str | None:
        """Remove the user from the team; return the role they had, None when they were not
        a member. NotFound for an unknown team."""

    @abstractmethod
    def count_owners(self, team: str) -> int:
        """How many owners the team has. NotFound for an unknown team."""

    @abstractmethod
    def create_service_account(self, team: str, username: str, description: str) -> dict:
        """Create a service account (a user without password, kind ``service``) as a member
        of the team; return its user record. AlreadyExists when the name is taken; NotFound
        for an unknown team."""

    # -- projects ----------------------------------------------------------------------------
    @abstractmethod
    def list_projects(self, entity: str) -> list[dict]:
        """Every project (of ``entity`` if given) with visibility, run_count, bytes and
        file_count (run files), artifact_bytes (the logical size of its artifact versions)."""

    @abstractmethod
    def set_project_visibility(self, entity: str, name: str, visibility: str) -> str:
        """Store the project's visibility; return the previous one ("" when unset).
        NotFound for an unknown project."""

    @abstractmethod
    def move_project(self, entity: str, name: str, new_entity: str) -> None:
        """Give the project to ``new_entity``. NotFound for an unknown project or entity;
        AlreadyExists when the new entity has a project of that name."""

    @abstractmethod
    def delete_project(self, entity: str, name: str) -> list[str]:
        """Delete the project and its runs; return the media keys to delete."""

    # -- share links and invites (tokens are stored as their sha256) -------------------------
    @abstractmethod
    def create_share_link(self, token_hash: str, entity: str, project: str, run: str,
                          created_by: str, expires_at: float, description: str) -> dict:
        """Store a share link (to the project, or to one run when ``run``) by its token's
        hash; return its record ``{"id", "entity", "project", "run", "description",
        "created_by" (username or ""), "created_at", "expires_at" (0.0: never), "revoked"}``.
        NotFound for an unknown project."""

    @abstractmethod
    def get_share_link(self, link_id: str) -> dict | None:
        """The link record by id; None when unknown."""

    @abstractmethod
    def find_share_link(self, token_hash: str) -> dict | None:
        """The link record whose token hashes to ``token_hash`` (revoked or expired ones too:
        the core decides); None when none does."""

    @abstractmethod
    def list_share_links(self, entity: str, project: str) -> list[dict]:
        """Links of the project (of every project of ``entity`` when ``project`` is empty, of
        all when both are), newest first."""

    @abstractmethod
    def revoke_share_link(self, link_id: str) -> dict | None:
        """Revoke the link (a second revoke keeps the first time); return its record, None
        when unknown."""

    @abstractmethod
    def create_invite(self, token_hash: str, team: str, role: str, email: str,
                      created_by: str, expires_at: float) -> dict:
        """Store an invite to ``team`` ("": to the server) with ``role`` by its token's hash;
        return ``{"id", "team", "role", "email", "created_by", "created_at", "expires_at",
        "accepted_by", "accepted_at", "revoked"}``. NotFound for an unknown team."""

    @abstractmethod
    def find_invite(self, token_hash: str) -> dict | None:
        """The invite record plus ``token_hash`` whose token hashes to ``token_hash``; None when
        none does."""

    @abstractmethod
    def get_invite(self, invite_id: str) -> dict | None:
        """The invite record by id; None when unknown."""

    @abstractmethod
    def list_invites(self, team: str) -> list[dict]:
        """Invites of the team (all when ``team`` is empty), newest first."""

    @abstractmethod
    def revoke_invite(self, invite_id: str) -> dict | None:
        """Revoke the invite (a second revoke keeps the first time); return its record, None
        when unknown."""

    @abstractmethod
    def accept_invite(self, invite_id: str, user_id: str) -> bool:
        """Mark used by ``user_id``; False when it was already used or revoked."""

    # -- audit log and settings --------------------------------------------------------------
    @abstractmethod
    def add_audit_entry(self, actor: str, action: str, target: str, detail: dict) -> str:
        """Append an entry (actor, action, target cut to their column sizes; ``detail`` stored
        as JSON); return its id."""

    @abstractmethod
    def list_audit_entries(self, limit: int, before_id: str, action: str) -> list[dict]:
        """Newest first."""

    @abstractmethod
    def get_setting(self, name: str) -> str | None:
        """The stored value of a server setting; None when never set."""

    @abstractmethod
    def set_setting(self, name: str, value: str) -> None:
        """Create or replace a server setting."""
