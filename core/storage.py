"""The Storage interface: what a storage plugin provides to the core.

Records cross this boundary as plain dicts whose keys are the field names of the
``Run``/``User``/... messages in ``protos/``, so the core can hand them on unchanged.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any


@dataclass
class StreamLines:
    """Lines of one append-only stream (history or events) from one file_stream request."""

    offset: int
    lines: list[str]
    # Parsed step of each history line (None for events or lines without ``_step``).
    steps: list[int | None] = field(default_factory=list)
    # Each history line parsed and flattened (nested dicts as dotted keys), so storage can
    # index values without parsing the lines again; empty when the producer did not parse.
    rows: list[dict] = field(default_factory=list)
    # The same values by key: key -> one value per line (None where the line lacks the key or
    # holds null), keys in the order they first appear; empty when the producer did not parse.
    columns: dict[str, list] = field(default_factory=dict)


@dataclass
class FileStreamUpdate:
    history: StreamLines | None = None
    events: StreamLines | None = None
    console: StreamLines | None = None
    summary: str | None = None
    # Latest system metrics (the last events line, JSON text).
    system_metrics: str | None = None
    history_keys: dict[str, Any] | None = None
    uploaded: list[str] = field(default_factory=list)
    complete: bool = False
    exitcode: int | None = None
    preempting: bool = False


class Storage(ABC):
    """Metadata storage: users, keys, projects, runs, history, console, run files."""

    name = "storage"

    # -- lifecycle ---------------------------------------------------------------------------
    @abstractmethod
    def health(self) -> str:
        """A short description (engine and version); raises when the database is unreachable."""

    def close(self) -> None:
        """Release connections."""

    # -- users and keys ----------------------------------------------------------------------
    @abstractmethod
    def create_user(self, username: str, email: str, password_hash: str | None,
                    admin: bool) -> dict:
        """Create a user and its personal entity; AlreadyExists if the name is taken."""

    @abstractmethod
    def get_user(self, username: str) -> dict | None: ...

    @abstractmethod
    def get_user_by_id(self, user_id: str) -> dict | None: ...

    @abstractmethod
    def count_users(self) -> int: ...

    @abstractmethod
    def create_api_key(self, user_id: str, key_hash: str, hint: str, description: str) -> dict: ...

    @abstractmethod
    def find_api_key(self, key_hash: str) -> dict | None:
        """The live (unrevoked) key with this hash, with ``user_id``; None if unknown."""

    @abstractmethod
    def touch_api_key(self, key_id: str, when: float) -> None: ...

    @abstractmethod
    def list_api_keys(self, user_id: str) -> list[dict]: ...

    @abstractmethod
    def revoke_api_key(self, key_id: str) -> dict | None:
        """Revoke and return the key (with ``user_id``); None if unknown."""

    @abstractmethod
    def get_entity(self, name: str) -> dict | None:
        """``{"name", "kind": "user"|"team"}`` or None."""

    @abstractmethod
    def teams_of(self, user_id: str) -> list[str]: ...

    @abstractmethod
    def get_project(self, entity: str, name: str) -> dict | None:
        """``{"id", "entity", "name", "description", "created_at", "run_count"}`` or None."""

    # -- runs --------------------------------------------------------------------------------
    @abstractmethod
    def upsert_run(self, entity: str, project: str, name: str | None, run_id: str | None,
                   fields: dict[str, Any], user_id: str) -> tuple[dict, bool]:
        """Create or update a run; fields left out are unchanged. Returns (run, inserted).

        With ``run_id`` the run is found by storage id; else by entity/project/name, creating
        the project and run when missing.
        """

    @abstractmethod
    def get_run(self, entity: str, project: str, name: str, tails: bool = True) -> dict | None:
        """The run, or None. ``tails=False`` skips ``history_tail``/``events_tail`` (only the
        resume check needs them), which keeps the file_stream hot path to one query."""

    @abstractmethod
    def get_run_by_id(self, run_id: str, tails: bool = True) -> dict | None: ...

    @abstractmethod
    def delete_run(self, run_id: str) -> list[str]:
        """Delete the run and all its rows; return the media keys of its files."""

    @abstractmethod
    def apply_file_stream(self, run_id: str, update: FileStreamUpdate) -> dict:
        """Apply one file_stream request atomically and return the updated run.

        History and events are append-only by line number: lines already stored with the same
        content are skipped (a retried request), a gap raises InvalidArgument and a different
        line at a stored offset raises Conflict, with nothing written. Console lines are
        written by index (rewrites allowed), but not past a gap.
        """

    @abstractmethod
    def read_console(self, run_id: str, offset: int, limit: int) -> tuple[list[str], int]: ...

    @abstractmethod
    def read_history(self, run_id: str, stream: str, min_step: int | None,
                     max_step: int | None, limit: int) -> list[str]: ...

    # -- reading runs and history (the Public API) -------------------------------------------
    @abstractmethod
    def projects_page(self, entity: str, after: str, first: int) -> tuple[list[dict], bool]:
        """Projects of an entity (``get_project`` records), oldest first, ``first`` of them
        after the opaque cursor ``after`` (a project's ``id``); and whether more follow."""

    @abstractmethod
    def count_runs(self, entity: str, project: str, filters: str, stale_before: float) -> int:
        """How many runs of the project match ``filters`` (wandb's Mongo-style JSON text).

        A ``running`` run whose heartbeat is older than ``stale_before`` counts as
        ``crashed``. InvalidArgument names any operator or field not understood.
        """

    @abstractmethod
    def list_runs(self, entity: str, project: str, filters: str, order: str, after: str,
                  first: int, stale_before: float) -> tuple[list[dict], list[str], bool]:
        """One page of a project's runs matching ``filters`` in ``order`` (``[+-]field``).

        Returns (runs without tails, one opaque cursor per run, whether more follow); the
        next page starts after the last run's cursor. Filters and order run in the database.
        """

    @abstractmethod
    def sample_history(self, run_id: str, keys: list[str], samples: int,
                       min_step: int | None, max_step: int | None) -> list[dict]:
        """History rows holding every key in ``keys``, projected to them, step-ordered,
        with ``min_step <= _step < max_step``; at most ``samples`` of them. When more rows
        match, they are chosen per step bucket by each key's min, max and last value, without
        reading every row. Values are exactly as logged."""

    @abstractmethod
    def sample_history_lines(self, run_id: str, stream: str, samples: int,
                             min_step: int | None, max_step: int | None) -> list[str]:
        """Whole lines of ``"history"`` (within the step range) or ``"events"``: all of them
        when they are at most ``samples`` (0: no limit), else ``samples`` chosen evenly."""

    # -- run files ---------------------------------------------------------------------------
    @abstractmethod
    def register_run_files(self, run_id: str, names: list[str]) -> list[dict]:
        """Create (or keep) a file record per name, with its media ``key``."""

    @abstractmethod
    def mark_run_file_uploaded(self, key: str, size: int, md5: str) -> dict | None: ...

    @abstractmethod
    def mark_run_files_present(self, run_id: str, names: list[str]) -> None: ...

    @abstractmethod
    def list_run_files(self, run_id: str, names: list[str], after: str, first: int,
                       pattern: str) -> tuple[list[dict], bool, int]: ...

    @abstractmethod
    def get_run_file(self, run_id: str, name: str) -> dict | None: ...
