"""What a storage provider adds for tenancy (core/tenancy.py, core/access.py).

A storage plugin implements these beside :class:`roost.core.storage.Storage`. Records are
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

    @abstractmethod
    def account_kind(self, user_id: str) -> str:
        """``"service"`` for a service account, else ``"user"``."""

    @abstractmethod
    def get_api_key(self, key_id: str) -> dict | None: ...

    # -- users and teams ---------------------------------------------------------------------
    @abstractmethod
    def list_users(self, query: str, limit: int) -> list[dict]: ...

    @abstractmethod
    def find_user_by_email(self, email: str) -> dict | None: ...

    @abstractmethod
    def update_user(self, user_id: str, changes: dict) -> dict:
        """Set any of disabled, admin, password_hash, email, name; return the user."""

    @abstractmethod
    def create_team(self, name: str, owner_user_id: str) -> dict: ...

    @abstractmethod
    def list_teams(self) -> list[dict]: ...

    @abstractmethod
    def team_members(self, team: str) -> list[dict]:
        """In joining order: user_id, username, email, name, role, disabled, kind, description."""

    @abstractmethod
    def set_membership(self, team: str, user_id: str, role: str) -> str | None:
        """Add or change; return the previous role (None when newly added)."""

    @abstractmethod
    def remove_membership(self, team: str, user_id: str) -> str | None: ...

    @abstractmethod
    def count_owners(self, team: str) -> int: ...

    @abstractmethod
    def create_service_account(self, team: str, username: str, description: str) -> dict: ...

    # -- projects ----------------------------------------------------------------------------
    @abstractmethod
    def list_projects(self, entity: str) -> list[dict]:
        """Every project (of ``entity`` if given) with visibility, run_count, bytes and
        file_count (run files), artifact_bytes (the logical size of its artifact versions)."""

    @abstractmethod
    def set_project_visibility(self, entity: str, name: str, visibility: str) -> str: ...

    @abstractmethod
    def move_project(self, entity: str, name: str, new_entity: str) -> None: ...

    @abstractmethod
    def delete_project(self, entity: str, name: str) -> list[str]:
        """Delete the project and its runs; return the media keys to delete."""

    # -- share links and invites (tokens are stored as their sha256) -------------------------
    @abstractmethod
    def create_share_link(self, token_hash: str, entity: str, project: str, run: str,
                          created_by: str, expires_at: float, description: str) -> dict: ...

    @abstractmethod
    def get_share_link(self, link_id: str) -> dict | None: ...

    @abstractmethod
    def find_share_link(self, token_hash: str) -> dict | None: ...

    @abstractmethod
    def list_share_links(self, entity: str, project: str) -> list[dict]: ...

    @abstractmethod
    def revoke_share_link(self, link_id: str) -> dict | None: ...

    @abstractmethod
    def create_invite(self, token_hash: str, team: str, role: str, email: str,
                      created_by: str, expires_at: float) -> dict: ...

    @abstractmethod
    def find_invite(self, token_hash: str) -> dict | None: ...

    @abstractmethod
    def get_invite(self, invite_id: str) -> dict | None: ...

    @abstractmethod
    def list_invites(self, team: str) -> list[dict]: ...

    @abstractmethod
    def revoke_invite(self, invite_id: str) -> dict | None: ...

    @abstractmethod
    def accept_invite(self, invite_id: str, user_id: str) -> bool:
        """Mark used by ``user_id``; False when it was already used or revoked."""

    # -- audit log and settings --------------------------------------------------------------
    @abstractmethod
    def add_audit_entry(self, actor: str, action: str, target: str, detail: dict) -> str: ...

    @abstractmethod
    def list_audit_entries(self, limit: int, before_id: str, action: str) -> list[dict]:
        """Newest first."""

    @abstractmethod
    def get_setting(self, name: str) -> str | None: ...

    @abstractmethod
    def set_setting(self, name: str, value: str) -> None: ...
