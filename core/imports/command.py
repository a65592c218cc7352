"""`roost import --from URL SOURCE...`: what to bring, from where into where, and the report.

The target is this Roost's own storage (``--data-dir``/``--config``/``--database-url``, as the
other local commands pick it), written through the core while the server may keep running.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from roost.core.imports.artifacts import ArtifactImporter, import_sweeps
from roost.core.imports.progress import Progress, duration, human_bytes
from roost.core.imports.runs import (RUN_KIND, Clash, RunImporter, parse_time, record_id,
                                     split_record_id)
from roost.core.imports.source import Retrying, Scratch, Source, SourceError

API_KEY_ENV = "ROOST_IMPORT_API_KEY"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="+", metavar="SOURCE",
                        help="ENTITY, ENTITY/PROJECT or ENTITY/PROJECT/RUN_ID of the source")
    parser.add_argument("--from", dest="source_url", required=True, metavar="URL",
                        help="the source server, e.g. https://api.wandb.ai")
    parser.add_argument("--from-api-key", default=None, metavar="KEY",
                        help=f"an API key of the source (default: ${API_KEY_ENV})")
    parser.add_argument("--into", default=None, metavar="ENTITY[/PROJECT]",
                        help="import under this entity (and project) instead of the source's names")
    parser.add_argument("--user", default="admin", metavar="NAME",
                        help="who owns runs whose source user is not found here (default: admin)")
    parser.add_argument("--no-media", action="store_true", help="leave run files under media/")
    parser.add_argument("--no-artifacts", action="store_true", help="leave artifacts")
    parser.add_argument("--since", default=None, metavar="DATE",
                        help="only runs active since DATE (ISO 8601, e.g. 2024-05-01)")
    parser.add_argument("--dry-run", action="store_true",
                        help="only count what would come (runs, rows, files, bytes)")
    parser.add_argument("--jobs", type=int, default=2, metavar="N",
                        help="runs imported in parallel (default: 2)")
    parser.add_argument("--timeout", type=int, default=60, metavar="SECONDS",
                        help="timeout of each source request (default: 60)")
    parser.add_argument("--retries", type=int, default=6, metavar="N",
                        help="attempts per source request before it counts as failed (default: 6)")


def source_key(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def parse_sources(specs: list[str]) -> list[tuple[str, str | None, str | None]]:
    parsed = []
    for spec in specs:
        parts = spec.strip("/").split("/")
        if not 1 <= len(parts) <= 3 or not all(parts):
            raise ValueError(f"source {spec!r}: use ENTITY, ENTITY/PROJECT or "
                             "ENTITY/PROJECT/RUN_ID")
        parsed.append((parts + [None, None])[:3])
    return [tuple(p) for p in parsed]


@dataclass
class Report:
    runs: int = 0
    unchanged: int = 0
    rows: int = 0
    events: int = 0
    console: int = 0
    files: int = 0
    bytes: int = 0
    artifacts: int = 0
    blobs_reused: int = 0
    sweeps: int = 0
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


class ImportCommand:
    def __init__(self, core, args, out=None):
        from roost.core.imports.target import ImportTarget

        self.args = args
        self.out = out or sys.stdout
        key = args.from_api_key or os.environ.get(API_KEY_ENV)
        if not key:
            raise ValueError(f"give the source's API key with --from-api-key KEY or ${API_KEY_ENV}")
        if args.jobs < 1:
            raise ValueError("--jobs must be at least 1")
        self.since = parse_time(args.since) if args.since else None
        self.sources = parse_sources(args.sources)
        self.into = tuple(args.into.strip("/").split("/")) if args.into else ()
        if len(self.into) > 2 or (self.into and not all(self.into)):
            raise ValueError("--into takes ENTITY or ENTITY/PROJECT")
        self.target = ImportTarget(core, args.user)
        self.source = Source(args.source_url, key, args.timeout, Retrying(args.retries))
        self.key = source_key(args.source_url)
        self.progress = Progress()
        self.report = Report()

    # -- what to import ----------------------------------------------------------------------
    def projects(self) -> list[tuple[str, str, str | None]]:
        found = []
        for entity, project, run in self.sources:
            if project is None:
                found += [(entity, name, None) for name in self.source.projects(entity)]
            else:
                found.append((entity, project, run))
        if len(self.into) == 2 and len({(e, p) for e, p, _ in found}) > 1:
            raise ValueError("--into ENTITY/PROJECT needs a single source project; use "
                             "--into ENTITY to keep the project names")
        return found

    def destination(self, entity: str, project: str) -> tuple[str, str]:
        return (self.into[0] if self.into else entity,
                self.into[1] if len(self.into) == 2 else project)

    def runs_of(self, entity: str, project: str, run: str | None) -> list[dict]:
        nodes = [self.source.run(entity, project, run)] if run else list(
            self.source.runs(entity, project))
        if self.since is not None:
            nodes = [n for n in nodes if (parse_time(n.get("heartbeatAt")) or 0) >= self.since
                     or (parse_time(n.get("createdAt")) or 0) >= self.since]
        return nodes

    # -- doing it ----------------------------------------------------------------------------
    def run(self) -> int:
        started = time.monotonic()
        scratch = Scratch()
        try:
            for entity, project, run in self.projects():
                try:
                    self.project(entity, project, run, scratch)
                except (SourceError, Clash) as exc:
                    self.report.failures.append(f"{entity}/{project}: {exc}")
                except Exception as exc:  # e.g. the target entity is missing
                    self.report.failures.append(f"{entity}/{project}: "
                                                f"{getattr(exc, 'message', exc)}")
        finally:
            scratch.close()
            self.progress.close()
        self.summary(time.monotonic() - started)
        return 1 if self.report.failures else 0

    def project(self, entity: str, project: str, run_name: str | None, scratch: Scratch) -> None:
        dst = self.destination(entity, project)
        self.target.check_entity(dst[0])
        nodes = self.runs_of(entity, project, run_name)
        records = self.target.storage.import_records(self.key, RUN_KIND)
        importer = RunImporter(self.source, self.target, self.key, not self.args.no_media,
                               on_rows=self.progress.add)
        todo = [n for n in nodes if not importer.is_current(
            n, records.get(record_id((entity, project), dst, n["name"])))]
        self.report.unchanged += len(nodes) - len(todo)
        if self.args.dry_run:
            return self.dry_run(entity, project, dst, nodes, todo, records)
        if run_name is None:
            count, notes = import_sweeps(self.source, self.target, self.key, (entity, project),
                                         dst)
            self.report.sweeps += count
            self.report.notes += notes
        self.progress.plan(len(todo), sum(self._rows_left(n, records.get(
            record_id((entity, project), dst, n["name"]))) for n in todo))

        def one(node: dict) -> None:
            label = f"{entity}/{project}/{node['name']}"
            try:
                outcome = importer.import_run((entity, project), dst, node, records.get(
                    record_id((entity, project), dst, node["name"])), scratch)
            except Exception as exc:
                self.report.failures.append(f"run {label}: {getattr(exc, 'message', exc)} "
                                            "(left incomplete; the next import finishes it)")
                self.progress.run_done(label, "FAILED")
                return
            self.report.runs += 1
            self.report.rows += outcome.rows
            self.report.events += outcome.events
            self.report.console += outcome.console
            self.report.files += outcome.files
            self.report.bytes += outcome.bytes
            self.report.notes += [f"run {label}: {note}" for note in outcome.notes]
            self.progress.run_done(label, f"{outcome.rows} rows, {outcome.files} files")

        with ThreadPoolExecutor(self.args.jobs, thread_name_prefix="import") as pool:
            list(pool.map(one, todo))
        if not self.args.no_artifacts and run_name is None:
            self.artifacts(entity, project, dst, scratch)

    @staticmethod
    def _rows_left(node: dict, record: dict | None) -> int:
        done = record["detail"].get("history", 0) if record and record["complete"] else 0
        return max(int(node.get("historyLineCount") or 0) - done, 0)

    def artifacts(self, entity: str, project: str, dst: tuple[str, str], scratch: Scratch) -> None:
        records = self.target.storage.import_records(self.key, RUN_KIND)
        run_ids = {}  # source run path -> its run here, where this import puts that project
        for source_id, record in records.items():
            path, where = split_record_id(source_id)
            if where == self.destination(*path.split("/")[:2]):
                run_ids[path] = record["target_id"]
        importer = ArtifactImporter(self.source, self.target, self.key, run_ids,
                                    on_bytes=lambda n: self.progress.add(0, n))
        try:
            outcome = importer.import_project((entity, project), dst, scratch)
        except SourceError as exc:
            if "Cannot query field" in str(exc):
                return  # a source without artifacts
            raise
        self.report.artifacts += outcome.versions
        self.report.blobs_reused += outcome.reused
        self.report.bytes += outcome.bytes
        self.report.failures += outcome.failures

    def dry_run(self, entity, project, dst, nodes, todo, records) -> None:
        rows = sum(self._rows_left(n, records.get(record_id((entity, project), dst, n["name"])))
                   for n in todo)
        file_bytes = files = 0
        for node in todo:
            for entry in self.source.files(entity, project, node["name"]):
                if self.args.no_media and entry["name"].startswith("media/"):
                    continue
                files += 1
                file_bytes += int(entry.get("sizeBytes") or 0)
        versions = artifact_bytes = 0
        if not self.args.no_artifacts:
            for artifact in self.source.artifact_versions(entity, project):
                versions += 1
                artifact_bytes += int(getattr(artifact, "size", 0) or 0)
        self.out.write(
            f"{entity}/{project} -> {dst[0]}/{dst[1]}: {len(nodes)} runs ({len(todo)} to import, "
            f"{len(nodes) - len(todo)} unchanged), {rows:,} history rows, {files} files "
            f"({human_bytes(file_bytes)}), {versions} artifact versions "
            f"({human_bytes(artifact_bytes)} at most; blobs held here already are not fetched)\n")

    def summary(self, seconds: float) -> None:
        r = self.report
        out = self.out
        if self.args.dry_run:
            out.write("dry run: nothing was written\n")
        else:
            out.write(f"imported {r.runs} runs ({r.unchanged} unchanged, skipped), {r.rows:,} "
                      f"history rows, {r.events:,} system metrics rows, {r.console:,} console "
                      f"lines, {r.files} files, {r.artifacts} artifact versions "
                      f"({r.blobs_reused} blobs already here), {r.sweeps} sweeps; "
                      f"{human_bytes(r.bytes)} in {duration(seconds)}"
                      + (f" ({self.source.retry.retried} source requests retried)"
                         if self.source.retry.retried else "") + "\n")
        for note in r.notes:
            out.write(f"note: {note}\n")
        if r.failures:
            out.write(f"{len(r.failures)} failed:\n")
            for failure in r.failures:
                out.write(f"  {failure}\n")
        out.flush()


def run_import(core, args) -> int:
    try:
        command = ImportCommand(core, args)
    except SourceError as exc:
        print(f"roost import: {exc}", file=sys.stderr)
        return 2
    return command.run()
