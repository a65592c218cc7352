"""Storage area ``runs``: projects and runs, written by upsert and read by the Public API.

A run record holds the fields of the ``Run`` message in ``protos/``: ``{"id", "entity",
"project", "project_id", "name", "display_name", "state", "config", "summary_metrics",
"system_metrics", "tags", "notes", "description", "group", "job_type", "host", "commit",
"program", "repo", "sweep", "username", "user_display_name", "created_at", "heartbeat_at",
"updated_at", "history_line_count", "events_line_count", "log_line_count", "stopped",
"history_keys"}`` plus ``exitcode`` once set, and with ``tails`` ``history_tail`` and
``events_tail`` (JSON lists of the last lines). A project record: ``{"id", "entity",
"name", "description", "created_at", "run_count"}``. A run id that is not one of the
provider's ids raises NotFound.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any


class RunStorage(ABC):
    # -- projects ----------------------------------------------------------------------------
    @abstractmethod
    def get_project(self, entity: str, name: str) -> dict | None:
        """The project record; None when the entity has no project of that name."""

    @abstractmethod
    def projects_page(self, entity: str, after: str, first: int) -> tuple[list[dict], bool]:
        """Projects of an entity (``get_project`` records), oldest first, ``first`` of them
        (50 when 0 or less, at most 1,000) after the opaque cursor ``after`` (a project's
        ``id``); and whether more follow. InvalidArgument for a malformed cursor."""

    # -- runs --------------------------------------------------------------------------------
    @abstractmethod
    def upsert_run(self, entity: str, project: str, name: str | None, run_id: str | None,
                   fields: dict[str, Any], user_id: str) -> tuple[dict, bool]:
        """Create or update a run; fields left out are unchanged. Returns (run with tails,
        inserted).

        With ``run_id`` the run is found by storage id (NotFound when gone); else by
        entity/project/name, creating the project and run when missing (NotFound for an
        unknown entity). Two concurrent creations of one run give one run. ``fields`` keys
        are run record keys (display_name, config, summary_metrics, tags, state, ...);
        InvalidArgument when a text is longer than its column.
        """

    @abstractmethod
    def get_run(self, entity: str, project: str, name: str, tails: bool = True) -> dict | None:
        """The run, or None when there is no such run. ``tails=False`` skips
        ``history_tail``/``events_tail`` (only the resume check needs them), which keeps the
        file_stream hot path to one query."""

    @abstractmethod
    def get_run_by_id(self, run_id: str, tails: bool = True) -> dict | None:
        """The run by storage id, as ``get_run``; None when no run has it."""

    @abstractmethod
    def delete_run(self, run_id: str) -> list[str]:
        """Delete the run and all its rows (lines, files, rollups, search index); return the
        media keys of its files, for the core to delete. NotFound for a malformed id."""

    @abstractmethod
    def count_runs(self, entity: str, project: str, filters: str, stale_before: float) -> int:
        """How many runs of the project match ``filters`` (wandb's Mongo-style JSON text);
        0 for a missing project.

        A ``running`` run whose heartbeat is older than ``stale_before`` counts as
        ``crashed``. InvalidArgument names any operator or field not understood.
        """

    @abstractmethod
    def list_runs(self, entity: str, project: str, filters: str, order: str, after: str,
                  first: int, stale_before: float) -> tuple[list[dict], list[str], bool]:
        """One page of a project's runs matching ``filters`` in ``order`` (``[+-]field``).

        Returns (runs without tails, one opaque cursor per run, whether more follow); the
        next page starts after the last run's cursor. Filters and order run in the database.
        A missing project gives an empty page; InvalidArgument for bad filters, order or
        cursor.
        """
