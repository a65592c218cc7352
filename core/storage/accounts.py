"""Storage area ``accounts``: users, their API keys and the entities (user or team) names
belong to. Served to core/service.py (sign-up, keys) and every authenticated request.

A user record: ``{"id", "username", "email", "admin", "disabled", "entity" (its personal
entity's name), "name", "created_at", "password_hash" (None for accounts without a
password), "teams" (team names), "kind" ("user"|"service")}``. An API-key record: ``{"id",
"user_id", "username" ("" unless listed), "description", "hint", "created_at",
"last_used_at" (0.0 when never used), "revoked"}``. Ids are strings; an id that is not one
of the provider's ids raises NotFound.
"""

from __future__ import annotations

from abc import ABC, abstractmethod


class AccountStorage(ABC):
    @abstractmethod
    def create_user(self, username: str, email: str, password_hash: str | None,
                    admin: bool) -> dict:
        """Create a user and its personal entity of the same name; return the user record.
        AlreadyExists when a user or team has the name (also when a concurrent call took it
        first); InvalidArgument when a value is longer than its column."""

    @abstractmethod
    def get_user(self, username: str) -> dict | None:
        """The user record of that username; None when no user has it."""

    @abstractmethod
    def get_user_by_id(self, user_id: str) -> dict | None:
        """The user record by storage id; None when no user has it. Called on every
        authenticated request: one query."""

    @abstractmethod
    def count_users(self) -> int:
        """How many users (service accounts included) exist; 0 on a new database."""

    @abstractmethod
    def create_api_key(self, user_id: str, key_hash: str, hint: str, description: str,
                       expires_at: float | None = None) -> dict:
        """Store a key by its hash (the key itself is never stored); return its record
        (with ``expires_at``: 0.0 or None means never). InvalidArgument when the description
        or hint is too long."""

    @abstractmethod
    def find_api_key(self, key_hash: str) -> dict | None:
        """The live (unrevoked) key with this hash, its record plus ``key_hash``; None when
        no live key has it. Called on every API-key request: one query."""

    @abstractmethod
    def touch_api_key(self, key_id: str, when: float) -> None:
        """Set the key's ``last_used_at`` to ``when``; an unknown key is left alone."""

    @abstractmethod
    def list_api_keys(self, user_id: str) -> list[dict]:
        """The user's keys, revoked ones too, oldest first, each with ``username``."""

    @abstractmethod
    def revoke_api_key(self, key_id: str) -> dict | None:
        """Revoke the key (a second revoke keeps the first time) and return its record;
        None when no key has that id."""

    @abstractmethod
    def get_entity(self, name: str) -> dict | None:
        """``{"id", "name", "kind": "user"|"team"}``; None when no entity has the name."""

    @abstractmethod
    def teams_of(self, user_id: str) -> list[str]:
        """Names of the teams the user belongs to, sorted; [] for none."""

    # -- what the administration (core/tenancy.py) reads and changes ------------------------
    @abstractmethod
    def account_kind(self, user_id: str) -> str:
        """``"service"`` for a service account, else ``"user"``."""

    @abstractmethod
    def get_api_key(self, key_id: str) -> dict | None:
        """The API-key record by id, with ``username``, revoked or not; None when
        unknown."""

    @abstractmethod
    def list_users(self, query: str, limit: int) -> list[dict]:
        """User records whose username or email contains ``query`` in any case (every
        user when empty), by username, at most ``limit``."""

    @abstractmethod
    def find_user_by_email(self, email: str) -> dict | None:
        """The first user (oldest) whose email equals ``email`` in any case; None when none
        does."""

    @abstractmethod
    def update_user(self, user_id: str, changes: dict) -> dict:
        """Set any of disabled, admin, password_hash, email, name (other keys are ignored);
        return the user record, None when no user has that id."""
