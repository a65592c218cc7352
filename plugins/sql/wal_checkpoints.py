"""SQLite WAL checkpoints on a thread of their own, off the request path.

By default SQLite checkpoints inside whichever commit pushes the WAL past 1,000 pages: that
commit copies megabytes into the database file and fsyncs it, and at file_stream rates it is
every few requests, which makes the ingest time of one run jumpy and slower on average. The
store's connections turn that off (``wal_autocheckpoint=0``) and this thread checkpoints
instead, on its own connection, while requests go on (SQLite lets writers append to the WAL
during a checkpoint, and Python's sqlite3 runs it without the GIL).

A checkpoint only copies committed pages into the database file: durability stays what
``sqlite_synchronous`` makes it. If Roost is killed, the WAL it leaves is checkpointed by
the next connection, as SQLite always does.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger("roost.sql")

# PASSIVE: copy what can be copied without waiting for readers or writers (what SQLite's
# own automatic checkpoints do). The WAL is then reused from its start by the next writer,
# and journal_size_limit (database.SQLITE_PRAGMAS) cuts the file back.
CHECKPOINT = "PRAGMA wal_checkpoint(PASSIVE)"


class WalCheckpointer:
    def __init__(self, path: str, interval: float = 0.25, busy_timeout_ms: int = 1000):
        self.path = path
        self.interval = interval
        self.busy_timeout_ms = busy_timeout_ms
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoints",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread after one last checkpoint."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            connection.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
            while not self._stop.wait(self.interval):
                self._checkpoint(connection)
            self._checkpoint(connection)
        finally:
            connection.close()

    @staticmethod
    def _checkpoint(connection: sqlite3.Connection) -> None:
        try:
            connection.execute(CHECKPOINT).fetchall()
        except sqlite3.Error as exc:  # busy or locked: the next round tries again
            log.debug("WAL checkpoint skipped: %s", exc)
