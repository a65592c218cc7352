"""Progress of an import as a person expects it: one bar redrawn in place on a terminal (runs,
rows, bytes, ETA), plain lines otherwise (logs, CI), and the final summary."""

from __future__ import annotations

import sys
import threading
import time


def human_bytes(count: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} TiB"


def duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 \
        else f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    WIDTH = 24
    REDRAW_SECONDS = 0.2

    def __init__(self, stream=None, tty: bool | None = None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.lock = threading.Lock()
        self.runs_total = self.runs_done = 0
        self.rows_total = self.rows = 0
        self.bytes = 0
        self.started = time.monotonic()
        self._drawn = 0.0

    def plan(self, runs: int, rows: int) -> None:
        with self.lock:
            self.runs_total += runs
            self.rows_total += rows
        self._draw(force=True)

    def add(self, rows: int = 0, nbytes: int = 0) -> None:
        with self.lock:
            self.rows += rows
            self.bytes += nbytes
        self._draw()

    def run_done(self, label: str, detail: str) -> None:
        with self.lock:
            self.runs_done += 1
        if self.tty:
            self._draw(force=True)
        else:
            self.say(f"[{self.runs_done}/{self.runs_total}] {label}: {detail}")

    def say(self, text: str) -> None:
        with self.lock:
            if self.tty:
                self.stream.write("\r\x1b[K")
            self.stream.write(text + "\n")
            self.stream.flush()
        self._draw(force=True)

    def eta(self) -> str:
        elapsed = time.monotonic() - self.started
        if not self.rows or self.rows_total <= self.rows:
            return "--:--"
        return duration(elapsed / self.rows * (self.rows_total - self.rows))

    def _draw(self, force: bool = False) -> None:
        if not self.tty:
            return
        now = time.monotonic()
        with self.lock:
            if not force and now - self._drawn < self.REDRAW_SECONDS:
                return
            self._drawn = now
            share = self.rows / self.rows_total if self.rows_total else (
                self.runs_done / self.runs_total if self.runs_total else 0)
            filled = int(self.WIDTH * min(share, 1))
            self.stream.write(
                f"\r\x1b[K[{'#' * filled}{'.' * (self.WIDTH - filled)}] "
                f"runs {self.runs_done}/{self.runs_total}  rows {self.rows:,}/{self.rows_total:,}"
                f"  {human_bytes(self.bytes)}  ETA {self.eta()}")
            self.stream.flush()

    def close(self) -> None:
        if self.tty:
            with self.lock:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
