"""Storage area ``ingest`` (roost.core.storage.ingest) on the sql plugin's tables: one
file_stream request applied in one transaction, the reads of the stored lines, and the
rollups folded in behind them (history_folder.py).

This is the hot path (bench/ingest.py): a request is one prepared run lock, prepared
multi-row inserts (statements.py) and one prepared UPDATE of the run's row.
"""

from __future__ import annotations

import json
import threading
import time
from itertools import repeat
from typing import Any

from roost.core.errors import Conflict, InvalidArgument, NotFound
from roost.core.storage import FileStreamUpdate, StreamLines
from roost.plugins.sql import run_search
from roost.plugins.sql.area import SqlArea, clean_text, record_id
from roost.plugins.sql.database import connection_per_call, without_connection
from roost.plugins.sql.history_folder import HistoryFolder, HistoryFoldMixin, ParsedLines
from roost.plugins.sql.models import ConsoleLine, EventLine, HistoryLine, Run

# What a file_stream request may change in its run's row (written with one prepared UPDATE).
FILE_STREAM_COLUMNS = ("history_line_count", "rollup_line_count", "events_line_count",
                       "events_shift", "log_line_count", "summary", "system_metrics",
                       "history_keys", "exitcode", "state", "heartbeat_at", "updated_at")


def _run_pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(f"no run with id {value!r}") from None


def _merge_history_keys(stored: str, delta: dict) -> str:
    current = json.loads(stored or "{}")
    keys = current.setdefault("keys", {})
    for key, type_counts in delta.get("keys", {}).items():
        counts = {tc["type"]: tc["count"] for tc in keys.get(key, {}).get("typeCounts", [])}
        for type_name, count in type_counts.items():
            counts[type_name] = counts.get(type_name, 0) + count
        keys[key] = {"typeCounts": [{"type": t, "count": c} for t, c in counts.items()]}
    last = delta.get("lastStep")
    if last is not None and last > current.get("lastStep", -1):
        current["lastStep"] = last
    return json.dumps(current)


def _parsed_lines(run: Run, history: StreamLines, columns: dict[str, list],
                  stored: int) -> ParsedLines:
    """The lines of ``history`` from line ``stored`` on (a retry re-sends earlier ones)."""
    skip = stored - history.offset
    if skip:
        columns = {key: column[skip:] for key, column in columns.items()}
    return ParsedLines(stored, len(history.lines) - skip, columns, run.created_at)


@connection_per_call
class IngestStore(HistoryFoldMixin, SqlArea):
    def __init__(self, database, run_files, background_rollups: bool = True):
        """``run_files``: the RunFileStore (file_stream's ``uploaded`` marks files).
        ``background_rollups``: fold history into its rollups on a thread after each commit
        (history_folder.py); False folds in the request, after the commit."""
        super().__init__(database)
        self.run_files = run_files
        self._fold_lock = threading.Lock()
        self._ingest_lock, self._ingests = threading.Lock(), 0
        self._folder = HistoryFolder(self.fold_held_history) if background_rollups else None
        if self._folder is not None:
            self._folder.start()

    @without_connection
    def stop(self) -> None:
        """Stop the folding thread, which folds what is waiting first."""
        if self._folder is not None:
            self._folder.stop()
            self._folder = None

    @without_connection
    def held_lines(self) -> int:
        """History lines the folding thread holds parsed, not yet folded."""
        return self._folder.held if self._folder is not None else 0

    def forget_held(self, run_id: int) -> None:
        """Drop the lines the folding thread holds for a run about to be deleted."""
        if self._folder is not None:
            self._folder.forget(run_id)

    # -- file_stream -------------------------------------------------------------------------
    def _append(self, model, run_id: int, count: int, label: str, chunk: StreamLines,
                with_steps: bool) -> int:
        """Append-only write; returns the new line count."""
        if chunk.offset > count:
            raise InvalidArgument(
                f"{label}: chunk starts at line {chunk.offset} but the run has {count} lines; "
                f"lines {count}-{chunk.offset - 1} were never sent")
        overlap = min(count - chunk.offset, len(chunk.lines))
        if overlap > 0:
            stored = {r.line: r.data for r in model.select(model.line, model.data).where(
                (model.run == run_id) & (model.line >= chunk.offset)
                & (model.line < chunk.offset + overlap))}
            for i in range(overlap):
                if stored.get(chunk.offset + i) != chunk.lines[i]:
                    raise Conflict(
                        f"{label}: line {chunk.offset + i} is already stored with different "
                        "content; history and events are append-only")
        numbers = range(chunk.offset + overlap, chunk.offset + len(chunk.lines))
        # Bulk inserts with prepared multi-row statements: peewee builds SQL per row, which
        # costs more than the insert itself at file_stream rates (1,000 lines per request).
        if with_steps:
            # strict: a producer that sent fewer steps than lines is a bug, not lines to drop.
            self.statements.insert_many(model, ("run", "line", "step", "data"), list(zip(
                repeat(run_id, len(numbers)), numbers, chunk.steps[overlap:],
                chunk.lines[overlap:], strict=True)))
        else:
            self.statements.insert_many(model, ("run", "line", "data"), list(zip(
                repeat(run_id), numbers, chunk.lines[overlap:])))
        return max(count, chunk.offset + len(chunk.lines))

    def _append_events(self, run: Run, chunk: StreamLines) -> int:
        """Events are append-only like history, with one allowance: wandb 0.21 restarts the
        events line numbers at 0 when it resumes a run (its resume replaces every offset with the
        history count). A chunk at offset 0 that conflicts with stored lines is such a restart:
        it is stored after the existing lines, and the client's later offsets are shifted by the
        same amount, so its retries are still recognised as retries."""
        label = "wandb-events.jsonl"
        shifted = StreamLines(chunk.offset + run.events_shift, chunk.lines)
        try:
            return self._append(EventLine, run.id, run.events_line_count, label, shifted,
                                with_steps=False)
        except Conflict:
            if chunk.offset != 0:
                raise
        run.events_shift = run.events_line_count
        return self._append(EventLine, run.id, run.events_line_count, label,
                            StreamLines(run.events_shift, chunk.lines), with_steps=False)

    def _write_console(self, run_id: int, count: int, chunk: StreamLines) -> int:
        if chunk.offset > count:
            raise InvalidArgument(
                f"output.log: chunk starts at line {chunk.offset} but the run has {count} lines")
        end = chunk.offset + len(chunk.lines)
        ConsoleLine.delete().where((ConsoleLine.run == run_id) & (ConsoleLine.line >= chunk.offset)
                                   & (ConsoleLine.line < end)).execute()
        self.statements.insert_many(ConsoleLine, ("run", "line", "data"),
                                    [(run_id, chunk.offset + i, clean_text(line))
                                     for i, line in enumerate(chunk.lines)])
        return max(count, end)

    def apply_file_stream(self, run_id, update: FileStreamUpdate):
        with self._ingesting() as alone:
            return self._apply_file_stream(record_id(run_id), update, alone)

    def _apply_file_stream(self, rid: int, update: FileStreamUpdate, alone: bool) -> dict:
        now = time.time()
        history = update.history
        # Alone, a request leaves its rollups to the folding thread, which works while the
        # answer travels; with others in flight the core has no idle time to give, and the
        # request folds its own lines in its own transaction (one commit, not two), their
        # aggregates computed before the lock.
        defer = alone and self._folder is not None
        columns = self._columns(history) if history else None
        prepared = None if defer or not history else self.history.prepare(
            history.offset, columns, len(history.lines))
        appended = None
        with self.write():
            run = self._lock_run(rid)
            if history:
                stored = run.history_line_count
                run.history_line_count = self._append(
                    HistoryLine, rid, stored, "wandb-history.jsonl", history, with_steps=True)
                if run.history_line_count > stored:
                    appended = _parsed_lines(run, history, columns, stored)
                if appended is not None and not defer and run.rollup_line_count == stored:
                    if prepared is None or prepared[:2] != (stored, appended.count):
                        prepared = self.history.prepare(stored, appended.columns, appended.count)
                    self.history.record(rid, prepared)
                    run.rollup_line_count = run.history_line_count
                    appended = None
            if update.events:
                run.events_line_count = self._append_events(run, update.events)
            if update.console:
                run.log_line_count = self._write_console(rid, run.log_line_count, update.console)
            if update.summary is not None:
                run.summary = update.summary
                run_search.index_run(rid, summary=update.summary)
            if update.system_metrics is not None:
                run.system_metrics = update.system_metrics
            if update.history_keys:
                run.history_keys = _merge_history_keys(run.history_keys, update.history_keys)
            if update.uploaded:
                self.run_files.mark_run_files_present(rid, update.uploaded)
            if update.complete:
                run.exitcode = update.exitcode
                run.state = "finished" if not update.exitcode else "failed"
            elif update.preempting:
                run.state = "preempting"
            elif run.state in ("finished", "failed", "crashed", "preempting") and (
                    update.history or update.events or update.console):
                run.state = "running"
            run.heartbeat_at = now
            run.updated_at = now
            self.statements.execute(
                "file-stream-update", lambda rid, *values: Run.update(
                    dict(zip(FILE_STREAM_COLUMNS, values))).where(Run.id == rid),
                rid, *(getattr(run, column) for column in FILE_STREAM_COLUMNS))
        if appended is not None:  # rollups are folded in after the commit
            self._fold_later(rid, appended, run.history_line_count - run.rollup_line_count)
        return self._run_by_id(rid, tails=False)

    def _columns(self, history: StreamLines) -> dict[str, list]:
        """The chunk's values by key: as the core parsed them, or parsed here for a producer
        that did not."""
        if history.columns and all(len(column) == len(history.lines)
                                   for column in history.columns.values()):
            return history.columns
        return self.history.columns_of_texts(history.lines)

    # -- reading lines -----------------------------------------------------------------------
    def read_console(self, run_id, offset, limit):
        rid = record_id(run_id)
        rows = (ConsoleLine.select(ConsoleLine.data)
                .where((ConsoleLine.run == rid) & (ConsoleLine.line >= offset))
                .order_by(ConsoleLine.line).limit(limit))
        total = Run.select(Run.log_line_count).where(Run.id == rid).scalar() or 0
        return [r.data for r in rows], total

    def read_history(self, run_id, stream, min_step, max_step, limit):
        rid = record_id(run_id)
        if stream == "events":
            query = EventLine.select(EventLine.data).where(EventLine.run == rid).order_by(EventLine.line)
        else:
            query = HistoryLine.select(HistoryLine.data).where(HistoryLine.run == rid)
            if min_step is not None:
                query = query.where(HistoryLine.step >= min_step)
            if max_step is not None:
                query = query.where(HistoryLine.step < max_step)
            query = query.order_by(HistoryLine.step, HistoryLine.line)
        if limit:
            query = query.limit(limit)
        return [r.data for r in query]

    def sample_history(self, run_id, keys, samples, min_step, max_step):
        self.fold_history(_run_pk(run_id))  # rollups never lag behind a read
        return self.history.sample(_run_pk(run_id), keys, samples, min_step, max_step)

    def sample_history_lines(self, run_id, stream, samples, min_step, max_step):
        return self.history.sample_lines(_run_pk(run_id), stream, samples, min_step, max_step)
