"""Import one run: its record, full history, system metrics, console, files; then its times,
state and summary, and only then the import record that says it is whole.

Every step continues from what the target already holds (its history, events and console line
counts, its files' MD5s), so a run an interrupted import left half-written is finished by the
next pass, and a run still logging in the source is caught up line by line.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from roost.core.imports.source import HISTORY_WINDOW, Scratch, Source, SourceError

RUN_KIND = "run"
MEDIA_PREFIX = "media/"
# Fields the record copies as they are (source GraphQL name -> upsert field).
COPIED = {"displayName": "display_name", "notes": "notes", "description": "description",
          "group": "group", "jobType": "job_type", "host": "host", "commit": "commit",
          "program": "program", "sweepName": "sweep"}
# What says a source run changed since it was imported.
FINGERPRINTED = ("state", "heartbeatAt", "historyLineCount", "eventsLineCount", "logLineCount",
                 "config", "summaryMetrics", "tags", "notes", "displayName", "group", "jobType",
                 "description", "sweepName")


class Clash(Exception):
    """The target already holds an object of that name that this source did not bring."""


def record_id(src: tuple[str, str], dst: tuple[str, str], name: str) -> str:
    """The import state's id of an object: its source path and where it went, so the same
    source imported again under --into is a new import, not a repeat."""
    return f"{src[0]}/{src[1]}/{name} -> {dst[0]}/{dst[1]}"


def split_record_id(text: str) -> tuple[str, tuple[str, ...]]:
    """(source path, destination entity and project) of a ``record_id``."""
    path, _, dst = text.partition(" -> ")
    return path, tuple(dst.split("/"))


def parse_time(value: Any) -> float | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).replace("Z", "+00:00")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:  # W&B writes UTC without an offset
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def fingerprint(node: dict) -> str:
    text = json.dumps([node.get(name) for name in FINGERPRINTED], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def last_step(history_keys: Any) -> int:
    if isinstance(history_keys, str):
        history_keys = json.loads(history_keys or "{}")
    value = (history_keys or {}).get("lastStep")
    return int(value) if value is not None else -1


def _text(value: Any, default: str) -> str:
    if value is None:
        return default
    return value if isinstance(value, str) else json.dumps(value)


@dataclass
class RunOutcome:
    rows: int = 0
    events: int = 0
    console: int = 0
    files: int = 0
    bytes: int = 0
    skipped: bool = False
    notes: list[str] = field(default_factory=list)


class RunImporter:
    def __init__(self, source: Source, target, source_key: str, media: bool,
                 on_rows=lambda rows, nbytes: None):
        self.source = source
        self.target = target
        self.source_key = source_key
        self.media = media
        self.on_rows = on_rows  # progress: called with lines and bytes as they land

    def is_current(self, node: dict, record: dict | None) -> bool:
        return bool(record and record["complete"] and record["fingerprint"] == fingerprint(node))

    def import_run(self, src: tuple[str, str], dst: tuple[str, str], node: dict,
                   record: dict | None, scratch: Scratch) -> RunOutcome:
        outcome = RunOutcome()
        name = node["name"]
        source_id = record_id(src, dst, name)
        if self.is_current(node, record):
            outcome.skipped = True
            return outcome
        existing = self.target.find_run(dst[0], dst[1], name)
        if existing is not None and record is None:
            raise Clash(f"run {dst[0]}/{dst[1]}/{name} already exists here and was not imported "
                        f"from {self.source.url}; import into another project with --into")
        user = node.get("user") or {}
        local, found = self.target.user_for(user.get("username") or "", user.get("email") or "")
        if not found and (user.get("username") or user.get("email")):
            outcome.notes.append(f"user {user.get('username') or user.get('email')!r} is not "
                                 f"known here; attributed to {local['username']!r}")
        fields = {dst_name: node.get(src_name) or "" for src_name, dst_name in COPIED.items()
                  if src_name in node}
        fields["config"] = _text(node.get("config"), "{}")
        fields["tags"] = list(node.get("tags") or [])
        run = self.target.upsert_run(dst[0], dst[1], name, fields, local["id"])
        # Whole only once everything below landed; until then the next pass finishes it.
        self.target.storage.put_import_record(self.source_key, RUN_KIND, source_id, run["id"],
                                              "", False)
        self._history(src, name, node, run, outcome)
        self._events(src, name, node, run, outcome)
        self._console(src, name, node, run, outcome)
        self._files(src, name, run, scratch, outcome)
        finish = {"summary": _text(node.get("summaryMetrics"), "{}"),
                  "system_metrics": _text(node.get("systemMetrics"), "{}"),
                  "state": node.get("state") or "finished", "user_id": local["id"]}
        for source_name, column in (("createdAt", "created_at"), ("heartbeatAt", "heartbeat_at")):
            moment = parse_time(node.get(source_name))
            if moment is not None:
                finish[column] = moment
        if "heartbeat_at" in finish:
            finish["updated_at"] = finish["heartbeat_at"]
        self.target.finish_run(run["id"], finish)
        self.target.storage.put_import_record(
            self.source_key, RUN_KIND, source_id, run["id"], fingerprint(node), True,
            {"history": outcome.rows, "events": outcome.events, "console": outcome.console})
        return outcome

    # -- streams -----------------------------------------------------------------------------
    def _history(self, src, name: str, node: dict, run: dict, outcome: RunOutcome) -> None:
        wanted = int(node.get("historyLineCount") or 0)
        stored = int(run["history_line_count"])
        if stored >= wanted:
            return
        source_last = last_step(node.get("historyKeys"))
        if source_last < 0:
            source_last = wanted * 2 + HISTORY_WINDOW  # no lastStep: scan until lines run out
        start = last_step(run.get("history_keys")) + 1
        for lines in self.source.history(src[0], src[1], name, start, source_last):
            run = self.target.append(run["id"], "history", stored, lines)
            stored = int(run["history_line_count"])
            outcome.rows += len(lines)
            self.on_rows(len(lines), sum(map(len, lines)))
            if stored >= wanted:
                break
        if stored < wanted:
            outcome.notes.append(f"the source lists {wanted} history rows but served {stored}")

    def _events(self, src, name: str, node: dict, run: dict, outcome: RunOutcome) -> None:
        wanted = int(node.get("eventsLineCount") or 0)
        stored = int(run["events_line_count"])
        if stored >= wanted:
            return
        lines = self.source.events(src[0], src[1], name, wanted)
        if len(lines) < wanted:
            outcome.notes.append(f"the source served {len(lines)} of {wanted} system metrics "
                                 "rows (it samples them)")
        new = lines[stored:]
        if new:
            self.target.append(run["id"], "events", stored, new)
            outcome.events += len(new)

    def _console(self, src, name: str, node: dict, run: dict, outcome: RunOutcome) -> None:
        stored = int(run["log_line_count"])
        if node.get("logLineCount") is not None and int(node["logLineCount"]) <= stored:
            return
        # From the last stored line: a terminal rewrites its last line (\r, progress bars),
        # and console lines are written by index, so writing it again is safe.
        offset = max(stored - 1, 0)
        try:
            for lines in self.source.console(src[0], src[1], name, offset):
                self.target.append(run["id"], "console", offset, lines)
                offset += len(lines)
        except SourceError as exc:
            if "Cannot query field" not in str(exc):
                raise
            outcome.notes.append("the source does not serve console lines (logLines); "
                                 "output.log comes along as a run file when it has one")
        outcome.console += max(offset - stored, 0)

    def _files(self, src, name: str, run: dict, scratch: Scratch, outcome: RunOutcome) -> None:
        held = {n: r["md5"] for n, r in self.target.run_files(run["id"]).items()}
        for entry in self.source.files(src[0], src[1], name):
            file_name = entry["name"]
            if not self.media and file_name.startswith(MEDIA_PREFIX):
                continue
            if entry.get("md5") and held.get(file_name) == entry["md5"]:
                continue
            path = self.source.download_run_file(src[0], src[1], name, file_name,
                                                 scratch.path / run["id"])
            try:
                size = self.target.put_run_file(run["id"], file_name, path)
            finally:
                path.unlink(missing_ok=True)
            outcome.files += 1
            outcome.bytes += size
            self.on_rows(0, size)
