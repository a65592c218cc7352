"""Reading a W&B-compatible server (wandb.ai, W&B Server, another Roost) through the wandb
Public API: the real SDK is the client, so whatever it can read, `roost import` can.

Runs, history, events, console lines and file listings are read with the GraphQL queries the
SDK's own Public API sends (through the SDK's client), history as whole lines: a line arrives as
the source stored it and is stored here unchanged. Artifacts and file bytes go through the SDK's
objects. Every call is retried with backoff on errors and timeouts (``Retrying``).
"""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

import orjson

log = logging.getLogger("roost.import")
T = TypeVar("T")

MISSING_WANDB = ("`roost import` reads the source through the wandb SDK, which is not installed "
                 "here: pip install 'roost[import]' (or pip install wandb)")

RUN_FIELDS = """id name displayName state config summaryMetrics systemMetrics tags notes
description group jobType createdAt heartbeatAt historyLineCount eventsLineCount logLineCount
sweepName host program commit historyKeys user { username email }"""

RUNS_QUERY = """query RoostImportRuns($entity: String!, $project: String!, $cursor: String,
  $perPage: Int) {
  project(name: $project, entityName: $entity) {
    runs(first: $perPage, after: $cursor, order: "+created_at") {
      edges { node { %s } cursor }
      pageInfo { hasNextPage endCursor }
    }
  }
}""" % RUN_FIELDS

RUN_QUERY = """query RoostImportRun($entity: String!, $project: String!, $name: String!) {
  project(name: $project, entityName: $entity) { run(name: $name) { %s } }
}""" % RUN_FIELDS

HISTORY_QUERY = """query RoostImportHistory($entity: String!, $project: String!, $name: String!,
  $samples: Int, $minStep: Int64, $maxStep: Int64) {
  project(name: $project, entityName: $entity) {
    run(name: $name) { history(samples: $samples, minStep: $minStep, maxStep: $maxStep) }
  }
}"""

EVENTS_QUERY = """query RoostImportEvents($entity: String!, $project: String!, $name: String!,
  $samples: Int) {
  project(name: $project, entityName: $entity) { run(name: $name) { events(samples: $samples) } }
}"""



def _run_page_query(operation: str, connection: str, node: str) -> str:
    """A query for one page of a run's connection (console lines, files)."""
    return """query %s($entity: String!, $project: String!, $name: String!, $first: Int,
  $after: String) {
  project(name: $project, entityName: $entity) {
    run(name: $name) {
      %s(first: $first, after: $after) {
        edges { node { %s } cursor }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}""" % (operation, connection, node)


LOG_QUERY = _run_page_query("RoostImportConsole", "logLines", "line")
FILES_QUERY = _run_page_query("RoostImportFiles", "files", "name md5 sizeBytes")

SWEEPS_QUERY = """query RoostImportSweeps($entity: String!, $project: String!, $cursor: String) {
  project(name: $project, entityName: $entity) {
    sweeps(first: 100, after: $cursor) {
      edges { node { name displayName method state description config createdAt
                     user { username email } } cursor }
      pageInfo { hasNextPage endCursor }
    }
  }
}"""

RUN_PAGE = 500
# Steps per history read: a window of steps holds at most this many lines, so the source never
# samples it (wandb's own scan pages the same way).
HISTORY_WINDOW = 5000
LOG_PAGE = 10_000
# The most events lines one read asks for (Roost caps a read at 100,000).
EVENTS_LIMIT = 100_000


class SourceError(Exception):
    """The source refused or failed, after retries when retrying could help."""


@dataclass
class Retrying:
    """Call with backoff: 0.5 s doubling up to 30 s, ``attempts`` times, on errors that may
    pass (timeouts, connection errors, 5xx, 429). Refusals (401/403/404, bad queries) are not
    retried: they will not change."""

    attempts: int = 6
    base_delay: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    retried: int = field(default=0)

    def __call__(self, what: str, call: Callable[[], T]) -> T:
        for attempt in range(1, self.attempts + 1):
            try:
                return call()
            except Exception as exc:  # the SDK raises many kinds; judged by their text
                text = f"{type(exc).__name__}: {exc}"
                if not _transient(text) or attempt == self.attempts:
                    raise SourceError(f"{what}: {text.strip()[:500]}") from exc
                delay = min(30.0, self.base_delay * 2 ** (attempt - 1)) * random.uniform(0.8, 1.2)
                log.warning("%s failed (%s); retry %d of %d in %.1f s", what, text[:200],
                            attempt, self.attempts - 1, delay)
                self.retried += 1
                self.sleep(delay)
        raise AssertionError("unreachable")


# What says a failure may pass; anything else (401/403/404, a query the source does not know,
# a bug) fails at once.
TRANSIENT = ("timeout", "timed out", "connection", "temporar", "unavailable", "reset by peer",
             "500", "502", "503", "504", "429", "too many requests", "remotedisconnected",
             "broken pipe", "eof occurred")
PERMANENT = ("401", "403", "404", "unauthorized", "forbidden", "cannot query field")


def _transient(text: str) -> bool:
    lowered = text.lower()
    return (any(marker in lowered for marker in TRANSIENT)
            and not any(marker in lowered for marker in PERMANENT))


def _parse(text: str):
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # bare NaN/Infinity, which only the standard parser takes
        return json.loads(text)


def wandb_api(url: str, api_key: str, timeout: int):
    # Retries are ours (Retrying, with --retries); wandb-core's own retry loop on top of them
    # would keep a dead source busy for minutes per request.
    os.environ.setdefault("WANDB__GRAPHQL_RETRY_MAX", "1")
    os.environ.setdefault("WANDB__GRAPHQL_RETRY_WAIT_MAX_SECONDS", "2")
    try:
        import wandb
    except ImportError:
        raise SourceError(MISSING_WANDB) from None
    os.environ.setdefault("WANDB_SILENT", "true")
    try:
        return wandb.Api(api_key=api_key, overrides={"base_url": url}, timeout=timeout)
    except Exception as exc:
        if _transient(str(exc)) or "dial tcp" in str(exc):
            raise SourceError(f"cannot reach {url}: {exc}") from exc
        raise SourceError(f"cannot sign in to {url} with the given API key: {exc}") from exc


class Source:
    """One source server, read through ``wandb.Api``."""

    def __init__(self, url: str, api_key: str, timeout: int = 60, retry: Retrying | None = None):
        self.url = url.rstrip("/")
        self.retry = retry or Retrying()
        self.api = self.retry("signing in", lambda: wandb_api(self.url, api_key, timeout))

    # -- GraphQL through the SDK's client ----------------------------------------------------
    def query(self, what: str, text: str, **variables) -> dict:
        service = getattr(self.api, "_service_api", None)
        if service is not None:  # wandb >= 0.25: GraphQL goes through wandb-core
            # orjson: a history page is megabytes of JSON, parsed 3-4 times faster than json.
            return self.retry(what, lambda: service.execute_graphql(text, variables,
                                                                    parse=_parse))
        from wandb_gql import gql  # older SDKs: the Python client
        document = gql(text)
        return self.retry(what, lambda: self.api.client.execute(document,
                                                                variable_values=variables))

    def _project(self, what: str, text: str, entity: str, project: str, **variables) -> dict:
        found = self.query(what, text, entity=entity, project=project, **variables)
        if not found.get("project"):
            raise SourceError(f"{what}: project {entity}/{project} does not exist in the source "
                              "(or the key may not read it)")
        return found["project"]

    def _run_node(self, what: str, text: str, entity: str, project: str, name: str,
                  **variables) -> dict:
        run = self._project(what, text, entity, project, name=name, **variables).get("run")
        if run is None:
            raise SourceError(f"{what}: run {entity}/{project}/{name} does not exist in the source")
        return run

    # -- listings ----------------------------------------------------------------------------
    def projects(self, entity: str) -> list[str]:
        return self.retry(f"listing the projects of {entity}",
                          lambda: [p.name for p in self.api.projects(entity)])

    def runs(self, entity: str, project: str) -> Iterator[dict]:
        cursor = None
        while True:
            page = self._project(f"listing the runs of {entity}/{project}", RUNS_QUERY, entity,
                                 project, cursor=cursor, perPage=RUN_PAGE)["runs"]
            for edge in page["edges"]:
                yield edge["node"]
            if not page["pageInfo"]["hasNextPage"] or not page["edges"]:
                return
            cursor = page["pageInfo"]["endCursor"]

    def run(self, entity: str, project: str, name: str) -> dict:
        return self._run_node(f"reading run {entity}/{project}/{name}", RUN_QUERY, entity,
                              project, name)

    # -- one run's streams -------------------------------------------------------------------
    def history(self, entity: str, project: str, name: str, min_step: int,
                last_step: int) -> Iterator[list[str]]:
        """Every history line with ``min_step <= _step <= last_step``, page by page."""
        start = min_step
        while start <= last_step:
            end = start + HISTORY_WINDOW
            lines = self._run_node(f"reading the history of {entity}/{project}/{name}",
                                   HISTORY_QUERY, entity, project, name, samples=HISTORY_WINDOW,
                                   minStep=start, maxStep=end)["history"] or []
            if lines:
                yield lines
            start = end

    def events(self, entity: str, project: str, name: str, count: int) -> list[str]:
        if count <= 0:
            return []
        return self._run_node(f"reading the system metrics of {entity}/{project}/{name}",
                              EVENTS_QUERY, entity, project, name,
                              samples=min(count, EVENTS_LIMIT))["events"] or []

    def _run_pages(self, what: str, query: str, connection: str, entity: str, project: str,
                   name: str, first: int, after: str | None) -> Iterator[list[dict]]:
        while True:
            page = self._run_node(f"{what} of {entity}/{project}/{name}", query, entity,
                                  project, name, first=first, after=after)[connection]
            if not page or not page["edges"]:
                return
            yield [edge["node"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                return
            after = page["edges"][-1]["cursor"]

    def console(self, entity: str, project: str, name: str, offset: int) -> Iterator[list[str]]:
        """Console lines from line ``offset`` on, page by page."""
        for nodes in self._run_pages("reading the console", LOG_QUERY, "logLines", entity,
                                     project, name, LOG_PAGE,
                                     str(offset - 1) if offset > 0 else None):
            yield [node["line"] for node in nodes]

    def files(self, entity: str, project: str, name: str) -> list[dict]:
        return [node for nodes in self._run_pages("listing the files", FILES_QUERY, "files",
                                                  entity, project, name, 1000, None)
                for node in nodes]

    def download_run_file(self, entity: str, project: str, name: str, file_name: str,
                          into: Path) -> Path:
        """The file's bytes, downloaded by the SDK into the directory ``into``."""
        def fetch():
            run = self.api.run(f"{entity}/{project}/{name}")
            for found in run.files(names=[file_name]):
                if found.name == file_name:
                    found.download(root=str(into), replace=True)
                    return into / file_name
            raise SourceError(f"run {entity}/{project}/{name} has no file {file_name!r}")
        return self.retry(f"downloading {file_name} of {entity}/{project}/{name}", fetch)

    # -- sweeps and artifacts ----------------------------------------------------------------
    def sweeps(self, entity: str, project: str) -> list[dict]:
        found, cursor = [], None
        while True:
            try:
                page = self._project(f"listing the sweeps of {entity}/{project}", SWEEPS_QUERY,
                                     entity, project, cursor=cursor)["sweeps"]
            except SourceError as exc:
                if "Cannot query field" in str(exc):
                    return []  # a source without sweeps
                raise
            found += [edge["node"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"] or not page["edges"]:
                return found
            cursor = page["pageInfo"]["endCursor"]

    def artifact_versions(self, entity: str, project: str) -> list[Any]:
        """Every artifact version of the project (SDK ``Artifact`` objects), oldest first in
        each collection."""
        def listing():
            versions = []
            for artifact_type in self.api.artifact_types(f"{entity}/{project}"):
                for collection in artifact_type.collections():
                    if getattr(collection, "is_sequence", lambda: True)() is False:
                        continue  # linked (portfolio) collections: see docs/import.md
                    found = list(collection.artifacts())
                    found.sort(key=lambda a: int(str(a.version).lstrip("v") or 0))
                    versions += found
            return versions
        return self.retry(f"listing the artifacts of {entity}/{project}", listing)

    def download_entry(self, artifact, path: str, into: Path) -> Path:
        def fetch():
            return Path(artifact.get_entry(path).download(root=str(into), skip_cache=True))
        return self.retry(f"downloading {path} of artifact {artifact.qualified_name}", fetch)


class Scratch:
    """A temporary directory for downloads, removed on close."""

    def __init__(self):
        self.path = Path(tempfile.mkdtemp(prefix="roost-import-"))

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
