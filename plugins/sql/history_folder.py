"""Rollups folded in after the answer, on a thread of their own.

A file_stream request commits its history lines and answers; the rollups of those lines
(docs/read-path.md) are folded in by this thread right after, while the answer travels back and
the client sends its next request: time in which the core would otherwise sit idle while a run
streams. The run's ``rollup_line_count`` says how many of its lines are folded in. Whatever reads
rollups folds the rest first (``HistoryFoldMixin.fold_history``), so no read sees them behind,
and lines a crash left unfolded are folded by the next read or write of that run.

The thread is handed each request's new lines already parsed (their columns), so it does not
parse them again; lines it has no columns for (after a restart) are read back and parsed. It
folds no further than the last line it holds: lines past it were committed by a request that is
about to hand them over, and a read of them would parse them a second time.
"""

from __future__ import annotations

import logging
import queue
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from roost.plugins.sql.database import connection_per_call
from roost.plugins.sql.models import Run

log = logging.getLogger("roost.sql")

# Beyond this many unfolded lines a run's ingest request folds them before it answers, so a
# folder that cannot keep up slows the writers down instead of falling ever further behind.
MAX_UNFOLDED_LINES = 20_000
# The thread holds at most this many parsed lines, all runs together (about 0.5 KiB each for
# a dozen keys); past it, writers fold their own lines.
MAX_HELD_LINES = 40_000
# At most this many lines are folded by one transaction when they are read back.
FOLD_SLICE = 10_000
# The thread's name, which its log records carry.
THREAD_NAME = "history-folder"


@dataclass
class ParsedLines:
    """History lines first_line ... first_line + count - 1 of a run, parsed (values by key,
    None where a line lacks the key), and the run's creation time: a run id SQLite gives again
    after a deletion must not receive the old run's lines."""

    first_line: int
    count: int
    columns: dict[str, list]
    run_created_at: float


class HistoryFolder:
    def __init__(self, fold: Callable[[int], None]):
        self._fold = fold
        self._parsed: dict[int, list[ParsedLines]] = {}
        self._held = 0  # lines in _parsed
        self._lock = threading.Lock()
        self._runs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Fold what is waiting, then end the thread."""
        if self._thread is not None:
            self._runs.put(None)
            self._thread.join()
            self._thread = None

    @property
    def held(self) -> int:
        """Lines handed over and not folded yet (all runs)."""
        return self._held

    def drain(self) -> None:
        """Return once everything scheduled so far is folded (or failed to be)."""
        self._runs.join()

    def schedule(self, run_id: int, lines: ParsedLines) -> bool:
        """Hand ``lines`` to the thread; False (nothing kept) when it already holds
        ``MAX_HELD_LINES``: the caller folds them itself."""
        with self._lock:
            if self._held + lines.count > MAX_HELD_LINES:
                return False
            self._parsed.setdefault(run_id, []).append(lines)
            self._held += lines.count
        self._runs.put(run_id)
        return True

    def take(self, run_id: int) -> list[ParsedLines]:
        """The parsed lines waiting for ``run_id``, in order (they are no longer kept here)."""
        with self._lock:
            taken = self._parsed.pop(run_id, [])
            self._held -= sum(lines.count for lines in taken)
            return taken

    def forget(self, run_id: int) -> None:
        self.take(run_id)

    def _run(self) -> None:
        while True:
            run_id = self._runs.get()
            try:
                if run_id is None:
                    return
                if run_id in self._parsed:  # else folded already, by an earlier turn or a read
                    self._fold(run_id)
            except Exception:  # the lines stay unfolded: the next read or write folds them
                log.exception("folding the history rollups of run %s failed", run_id)
            finally:
                self._runs.task_done()


def chain(parsed: list[ParsedLines], first_line: int) -> ParsedLines | None:
    """The waiting parsed lines (all of one run) that continue it at ``first_line``, as one
    piece."""
    pieces, position = [], first_line
    for lines in parsed:
        if lines.first_line < position:
            continue  # folded already
        if lines.first_line != position or position - first_line >= FOLD_SLICE:
            break
        pieces.append(lines)
        position += lines.count
    if not pieces:
        return None
    if len(pieces) == 1:
        return pieces[0]
    keys = dict.fromkeys(key for piece in pieces for key in piece.columns)
    columns = {key: [value for piece in pieces
                     for value in piece.columns.get(key) or [None] * piece.count]
               for key in keys}
    return ParsedLines(first_line, position - first_line, columns, pieces[0].run_created_at)


@connection_per_call
class HistoryFoldMixin:
    """The folding half of the ingest store (ingest_store.py), which provides ``history``
    (the HistoryEngine), ``statements``, ``write()``, ``_locking()``, ``_folder`` (a started HistoryFolder, or None
    to fold in the request) and ``_fold_lock``: one fold at a time in the process, so that a
    read waits for the thread's fold of the lines it holds parsed instead of parsing them
    again."""

    def fold_history(self, run_id, waiting: list[ParsedLines] | None = None) -> None:
        """Fold the run's history lines that are not in its rollups yet (``waiting``: some of
        them already parsed). Reads of rollups call this first."""
        with self._fold_lock:
            self._fold(int(run_id), list(waiting or []), held_only=False)

    def fold_held_history(self, run_id) -> None:
        """Fold the run's lines up to the end of those the folding thread holds parsed, and
        no further: lines past them were committed by a request that has not handed them over
        yet (it will, or folds them itself), and reading them back would parse them twice."""
        with self._fold_lock:
            self._fold(int(run_id), [], held_only=True)

    def _fold(self, rid: int, waiting: list[ParsedLines], held_only: bool) -> None:
        while True:
            if self._folder is not None:  # including lines handed over while a slice folded
                waiting += self._folder.take(rid)
            state = self.statements.first("fold-state", lambda r: Run.select(
                Run.rollup_line_count, Run.history_line_count, Run.created_at).where(
                Run.id == r).limit(1).tuples(), rid)
            if state is None:
                return
            done, total, created_at = state
            # Not lines of another run that had this id, nor lines folded already.
            waiting = [lines for lines in waiting if lines.run_created_at == created_at
                       and lines.first_line + lines.count > done]
            end = total if not held_only else min(total, max(
                (lines.first_line + lines.count for lines in waiting), default=done))
            if done >= end:
                return
            lines = chain(waiting, done) or ParsedLines(
                done, min(end, done + FOLD_SLICE) - done,
                self.history.columns_of_lines(rid, done, min(end, done + FOLD_SLICE)),
                created_at)
            # The aggregates are computed before the write lock, then recorded only if no one
            # folded these lines meanwhile.
            prepared = self.history.prepare(lines.first_line, lines.columns, lines.count)
            with self.write():
                found = self.statements.first("fold-lock", lambda r: self._locking(Run.select(
                    Run.rollup_line_count, Run.created_at).where(Run.id == r).limit(1)
                    .tuples()), rid)
                if found != (done, created_at):
                    continue
                self.history.record(rid, prepared)
                self.statements.execute("fold-done", lambda count, r: Run.update(
                    rollup_line_count=count).where(Run.id == r), done + lines.count, rid)

    @contextmanager
    def _ingesting(self) -> Iterator[bool]:
        """Count a file_stream write while it runs; yields whether no other one is running."""
        with self._ingest_lock:
            self._ingests += 1
            alone = self._ingests == 1
        try:
            yield alone
        finally:
            with self._ingest_lock:
                self._ingests -= 1

    def wait_for_rollups(self) -> None:
        """Return once every history line handed to the folding thread so far is folded into
        the rollups (with requests one after another, every line committed so far)."""
        if self._folder is not None:
            self._folder.drain()

    def _fold_later(self, run_id: int, lines: ParsedLines, unfolded: int) -> None:
        """After a commit that appended ``lines``, of ``unfolded`` lines now not in rollups."""
        if (self._folder is None or unfolded > MAX_UNFOLDED_LINES
                or not self._folder.schedule(run_id, lines)):
            self.fold_history(run_id, [lines])
