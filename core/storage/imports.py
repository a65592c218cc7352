"""Storage area ``imports``: what `roost import` needs beyond the SDK's write path
(core/imports/, docs/import.md). The import state remembers, per source server (``source``,
its normalised URL), kind of object (``run``, ``artifact``, ``collection``, ``sweep``) and
source id, what was imported: ``{"source_id", "target_id", "fingerprint", "complete",
"detail" (a dict), "updated_at"}``. The other methods set what a client may never set.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any


class ImportStorage(ABC):
    @abstractmethod
    def import_records(self, source: str, kind: str) -> dict[str, dict]:
        """Every import record of this source and kind, by source id."""

    @abstractmethod
    def put_import_record(self, source: str, kind: str, source_id: str, target_id: str,
                          fingerprint: str, complete: bool, detail: dict | None = None) -> None:
        """Create or replace the record of one source object."""

    @abstractmethod
    def set_run_imported_fields(self, run_id: str, fields: dict[str, Any]) -> None:
        """Set a run's ``created_at``, ``heartbeat_at``, ``updated_at``, ``state``,
        ``exitcode``, ``summary``, ``system_metrics`` and ``user_id`` (any of them) to the
        source's values; NotFound for an unknown run, ValueError for another field."""

    @abstractmethod
    def users_by_email(self) -> dict[str, str]:
        """Lower-cased e-mail -> username of every user that has an e-mail."""

    @abstractmethod
    def set_artifact_imported_fields(self, artifact_id: str, created_at: float,
                                     version_index: int | None) -> None:
        """Give a committed version its source creation time and, when no other version of
        its collection holds it, its source version index."""
