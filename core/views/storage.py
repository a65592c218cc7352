"""What a storage plugin provides for saved views and reports (part of the Storage contract).

A view record: ``{"id", "entity", "project", "project_id", "type", "name", "display_name",
"description", "spec" (JSON text, "" when not asked for), "spec_bytes", "username" (creator,
"" when unknown), "owner_id" ("" unless personal), "parent_id" ("" unless a draft),
"authors" (usernames, creator first), "created_at", "updated_at"}``.

An access token record: ``{"id", "view_id", "nonce", "type", "projects" ([[entity, project],
...]), "created_at", "revoked_at" (0.0 while active)}``. The token itself is never stored:
the core derives it from the nonce and keeps only its hash here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any


class ViewStorage(ABC):
    @abstractmethod
    def create_view(self, entity: str, project: str, fields: dict[str, Any],
                    user_id: str) -> dict:
        """``fields``: type, name, display_name, description, spec, owner_id, parent_id.
        NotFound for an unknown project; AlreadyExists when the project has a view of
        that name."""

    @abstractmethod
    def update_view(self, view_id: str, fields: dict[str, Any], username: str) -> dict:
        """Set display_name, description, spec, type and/or owner_id ("" makes the view
        shared); ``username`` joins the authors.
        NotFound when the view does not exist."""

    @abstractmethod
    def get_view(self, view_id: str) -> dict | None:
        """With its spec; None when unknown (including a malformed id)."""

    @abstractmethod
    def find_view(self, entity: str, project: str, name: str) -> dict | None:
        """The project's view of that name, with its spec; None when there is none."""

    @abstractmethod
    def list_views(self, entity: str, project: str, query: dict[str, Any]
                   ) -> tuple[list[dict], bool]:
        """Views of a project, latest update first. ``query``: type ("" any), name,
        username (creator), search (words in display name or description), viewer_id
        (personal views of other users are left out), after (cursor: a view id), first,
        with_spec. Returns (page, has_next_page)."""

    @abstractmethod
    def delete_view(self, view_id: str, delete_drafts: bool) -> int:
        """Delete the view (and its drafts when asked); returns how many drafts are left."""

    @abstractmethod
    def create_view_token(self, view_id: str, nonce: str, token_hash: str,
                          projects: list[list[str]], user_id: str) -> dict:
        """Record a view-only link of the view: its nonce, its token's hash and the
        ``[entity, project]`` pairs it may read; returns the token record."""

    @abstractmethod
    def list_view_tokens(self, view_id: str) -> list[dict]:
        """The view's tokens, oldest first, revoked ones included."""

    @abstractmethod
    def find_view_token(self, token_hash: str) -> dict | None:
        """The token record whose token hashes to ``token_hash`` (revoked ones too)."""

    @abstractmethod
    def get_view_token(self, token_id: str) -> dict | None:
        """By storage id; None when unknown."""

    @abstractmethod
    def update_view_token(self, token_id: str, fields: dict[str, Any]) -> dict:
        """Set projects and/or revoked_at."""

    @abstractmethod
    def ensure_project(self, entity: str, project: str, description: str | None
                       ) -> tuple[dict, bool]:
        """The project ``{"id", "entity", "project", "description"}``, created when missing
        (with ``description``); returns (project, inserted). NotFound for an unknown entity."""
