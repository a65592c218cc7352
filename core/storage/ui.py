"""What a storage provider adds for the web UI's own reads (core/ui_reads.py).

Home, search and the runs table's column chooser need a few queries across projects that the
Public API never asks for: storage area ``ui`` (part of
:class:`roost.core.storage.Storage`); records are plain dicts shaped like the ``Run`` message
(without history tails).
"""

from __future__ import annotations

from abc import ABC, abstractmethod


class UiStorage(ABC):
    @abstractmethod
    def entity_projects(self, entity: str) -> list[dict]:
        """Every project of the entity: ``{"id", "entity", "entity_kind", "name",
        "description", "visibility" (stored, "" when unset), "created_at", "run_count",
        "last_run_at" (latest run heartbeat, 0.0 without runs)}``, by name."""

    @abstractmethod
    def recent_runs(self, project_ids: list[str], limit: int) -> list[dict]:
        """The runs of these projects with the latest heartbeat first, at most ``limit``."""

    @abstractmethod
    def search_runs(self, project_ids: list[str], text: str, limit: int) -> list[dict]:
        """Runs of these projects whose name or display name contains ``text`` (any case),
        latest heartbeat first, at most ``limit``."""

    @abstractmethod
    def project_keys(self, project_id: str, runs: int) -> dict[str, list[str]]:
        """``{"config": [...], "summary": [...], "varying": [...]}``: the keys seen in the
        config (without wandb's value wrapper) and summary of the project's ``runs`` latest
        runs, nested dicts as dotted paths, sorted, and the config keys whose value differs
        between those runs. Keys starting with ``_`` and media values are left out."""

    @abstractmethod
    def group_runs(self, entity: str, project: str, key: str, filters: str,
                   stale_before: float) -> list[dict]:
        """The values of ``key`` (``config.<key>`` or ``summary_metrics.<key>``) among the
        project's runs matching ``filters`` (the runs filter language), with run counts:
        ``[{"kind": "number"|"string"|"boolean"|"other"|"missing", "value", "count"}]``,
        numbers first, then strings, booleans, other values (lists, objects: one group) and
        runs without the key. A running run older than ``stale_before`` counts as crashed."""
