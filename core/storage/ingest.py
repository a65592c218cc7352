"""Storage area ``ingest``: what file_stream writes (history, events, console, summary) and
the reads of those lines. ``run_id`` is a run's storage id; one that is not one of the
provider's ids raises NotFound.
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


class IngestStorage(ABC):
    @abstractmethod
    def apply_file_stream(self, run_id: str, update: FileStreamUpdate) -> dict:
        """Apply one file_stream request atomically and return the updated run (without
        tails); NotFound when the run is gone.

        History and events are append-only by line number: lines already stored with the same
        content are skipped (a retried request), a gap raises InvalidArgument and a different
        line at a stored offset raises Conflict, with nothing written. Console lines are
        written by index (rewrites allowed), but not past a gap. ``complete`` sets the state
        to finished (exitcode 0) or failed; new lines on an ended run make it running again.
        """

    @abstractmethod
    def read_console(self, run_id: str, offset: int, limit: int) -> tuple[list[str], int]:
        """At most ``limit`` console lines from line ``offset`` on, and the run's total
        console line count (0 for an unknown run)."""

    @abstractmethod
    def read_history(self, run_id: str, stream: str, min_step: int | None,
                     max_step: int | None, limit: int) -> list[str]:
        """Lines of ``"events"`` (in line order) or history (``min_step <= _step <
        max_step``, either bound None for open, in step order), at most ``limit`` (0: all)."""

    @abstractmethod
    def sample_history(self, run_id: str, keys: list[str], samples: int,
                       min_step: int | None, max_step: int | None) -> list[dict]:
        """History rows holding every key in ``keys``, projected to them, step-ordered,
        with ``min_step <= _step < max_step``; at most ``samples`` of them. When more rows
        match, they are chosen per step bucket by each key's min, max and last value, without
        reading every row. Values are exactly as logged. May return a
        ``roost.core.history.SampledRows`` saying how many buckets the rows were chosen in."""

    @abstractmethod
    def sample_history_lines(self, run_id: str, stream: str, samples: int,
                             min_step: int | None, max_step: int | None) -> list[str]:
        """Whole lines of ``"history"`` (within the step range) or ``"events"``: all of them
        when they are at most ``samples`` (0: no limit), else ``samples`` chosen evenly."""
