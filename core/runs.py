"""Runs: entities, projects and runs, and the Public API's reads of them (wandb.Api()): pages
of projects and runs, history, console lines and sampled history.

The Core builds one ``Runs`` (``core.runs``) and gives it what it uses: the storage provider,
the media store (a deleted run's files go with it) and the ``Authorizer``. The StorageService
servicer (core/servicers.py) calls it.
"""

from __future__ import annotations

from typing import Any

from roost.core import auth
from roost.core.auth import Principal
from roost.core.authorizer import Authorizer, present_run, stale_before
from roost.core.errors import InvalidArgument, NotFound, PermissionDenied, Unauthenticated
from roost.core.formats import parse_line

DEFAULT_PROJECT = "uncategorized"
# Public API pages: runs and projects per page, and rows per history read.
DEFAULT_PAGE, MAX_PAGE = 50, 1000
MAX_SAMPLES = 100_000
MAX_CONSOLE_LINES = 10_000
STREAMS = ("history", "events")


def check_samples(samples: int) -> int:
    if not 1 <= samples <= MAX_SAMPLES:
        raise InvalidArgument(f"samples must be between 1 and {MAX_SAMPLES}, got {samples}")
    return samples


def check_stream(stream: str) -> str:
    if stream not in STREAMS:
        raise InvalidArgument(f"unknown history stream {stream!r}")
    return stream


class Runs:
    def __init__(self, storage, media, authorizer: Authorizer):
        self.storage = storage
        self.media = media
        self.authorizer = authorizer

    # -- entities and projects ---------------------------------------------------------------
    def get_entity(self, principal: Principal, name: str) -> dict:
        entity = self.storage.get_entity(name)
        if entity is None:
            raise NotFound(f"entity {name!r} does not exist")
        return entity

    def get_project(self, principal: Principal, entity: str, name: str) -> dict:
        return self.authorizer.project(principal, entity, name)

    # -- runs --------------------------------------------------------------------------------
    def upsert_run(self, principal: Principal, fields: dict[str, Any]) -> tuple[dict, bool]:
        if principal.kind == "anonymous":
            raise Unauthenticated("logging runs needs an API key: set WANDB_API_KEY (create one "
                                  "with `roost key create NAME` or on your settings page)")
        fields = {k: v for k, v in fields.items() if v is not None}
        run_id = fields.pop("id", None)
        entity = fields.pop("entity", None) or principal.default_entity
        project = fields.pop("project", None) or DEFAULT_PROJECT
        name = fields.pop("name", None)
        for key in ("config", "summary_metrics"):
            if key in fields:
                parse_line(fields[key], key, 0)
        if run_id:
            self.authorizer.run_by_id(principal, run_id, "run:write")
        else:
            auth.validate_project_name(project)
            if not name:
                name = auth.generate_api_key()[:8].lower()
            self.authorizer.check(principal, "run:write", {"entity": entity, "project": project})
            if self.storage.get_entity(entity) is None:
                raise NotFound(f"entity {entity!r} does not exist")
        run, inserted = self.storage.upsert_run(entity, project, name, run_id, fields,
                                                principal.user_id)
        return present_run(run), inserted

    def get_run(self, principal: Principal, entity: str, project: str, name: str) -> dict:
        return present_run(self.authorizer.run(principal, entity, project, name, tails=True))

    def delete_run(self, principal: Principal, run_id: str) -> None:
        run = self.authorizer.run_by_id(principal, run_id, "run:delete")
        for key in self.storage.delete_run(run["id"]):
            self.media.delete(key)

    # -- what a run logged -------------------------------------------------------------------
    def read_console(self, principal: Principal, entity: str, project: str, name: str,
                     offset: int, limit: int) -> tuple[list[str], int]:
        run = self.authorizer.run(principal, entity, project, name)
        return self.storage.read_console(run["id"], max(offset, 0),
                                         min(max(limit, 1), MAX_CONSOLE_LINES))

    def read_history(self, principal: Principal, entity: str, project: str, name: str,
                     stream: str, min_step: int | None, max_step: int | None,
                     limit: int) -> list[str]:
        check_stream(stream)
        run = self.authorizer.run(principal, entity, project, name)
        return self.storage.read_history(run["id"], stream, min_step, max_step, limit)

    def sample_history(self, principal: Principal, entity: str, project: str, name: str,
                       specs: list[dict]) -> list[list[dict]]:
        """Per spec (``keys``, ``samples``, ``min_step``, ``max_step``): at most ``samples``
        rows holding every key, projected to them, min/max/last-sampled when more match."""
        run = self.authorizer.run(principal, entity, project, name)
        results = []
        for spec in specs:
            keys = [k for k in spec["keys"] if isinstance(k, str) and k]
            if not keys:
                raise InvalidArgument("a history spec needs at least one key")
            results.append(self.storage.sample_history(
                run["id"], keys, check_samples(spec["samples"]), spec.get("min_step"),
                spec.get("max_step")))
        return results

    def sample_history_lines(self, principal: Principal, entity: str, project: str, name: str,
                             stream: str, samples: int, min_step: int | None,
                             max_step: int | None) -> list[str]:
        check_stream(stream)
        run = self.authorizer.run(principal, entity, project, name)
        return self.storage.sample_history_lines(run["id"], stream, check_samples(samples),
                                                 min_step, max_step)

    # -- the Public API's pages --------------------------------------------------------------
    def list_projects_page(self, principal: Principal, entity: str, after: str,
                           first: int) -> tuple[list[dict], bool]:
        """One page of the entity's projects the principal may read."""
        if self.storage.get_entity(entity) is None:
            raise NotFound(f"entity {entity!r} does not exist")
        first = min(max(first or DEFAULT_PAGE, 1), MAX_PAGE)
        page: list[dict] = []
        while True:
            projects, more = self.storage.projects_page(entity, after, first)
            for project in projects:
                try:
                    self.authorizer.check(principal, "project:read",
                                          {"entity": entity, "project": project["name"]})
                except PermissionDenied:
                    continue
                page.append(project)
                if len(page) == first:
                    return page, more or project is not projects[-1]
            if not more or not projects:
                return page, False
            after = projects[-1]["id"]

    def count_runs(self, principal: Principal, entity: str, project: str, filters: str) -> int:
        self.authorizer.check(principal, "project:read", {"entity": entity, "project": project})
        return self.storage.count_runs(entity, project, filters or "", stale_before())

    def list_runs(self, principal: Principal, entity: str, project: str, filters: str,
                  order: str, after: str, first: int) -> tuple[list[dict], list[str], bool]:
        self.authorizer.check(principal, "project:read", {"entity": entity, "project": project})
        first = min(max(first or DEFAULT_PAGE, 1), MAX_PAGE)
        runs, cursors, more = self.storage.list_runs(entity, project, filters or "", order or "",
                                                     after or "", first, stale_before())
        return [present_run(run) for run in runs], cursors, more
