"""SQLite WAL checkpoints run on the store's own thread (plugins/sql/wal_checkpoints.py): commits
never checkpoint, the thread copies committed pages into the database file while writes go on,
and closing the store stops it."""

from __future__ import annotations

import threading
import time

from roost.core.history import build_update
from roost.plugins.sql.store import SqlStorage


def checkpointer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "sqlite-checkpoints"]


def test_commits_leave_checkpoints_to_the_thread_which_stops_on_close(tmp_path):
    before = len(checkpointer_threads())
    path = tmp_path / "roost.db"
    store = SqlStorage(f"sqlite:///{path}")
    try:
        assert len(checkpointer_threads()) == before + 1
        with store.db.connection_context():
            assert store.db.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        user = store.create_user("alice", "", None, admin=False)
        run, _ = store.upsert_run("alice", "proj", "r1", None, {}, user["id"])
        lines = [f'{{"_step": {i}, "loss": {i / 7}, "note": "{"x" * 200}"}}' for i in range(2000)]
        for start in range(0, len(lines), 500):
            store.apply_file_stream(run["id"], build_update(
                {"wandb-history.jsonl": (start, lines[start:start + 500])}, [], False, None,
                False))
        # The commits wrote to the WAL only; the thread then copies the pages into the database
        # file (looked at from outside, without checkpointing anything ourselves).
        deadline = time.monotonic() + 10
        while path.stat().st_size < 400_000 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert path.stat().st_size >= 400_000
        assert store.read_history(run["id"], "history", None, None, 0) == lines
    finally:
        store.close()
    assert len(checkpointer_threads()) == before


def test_a_memory_database_has_no_checkpointer():
    before = len(checkpointer_threads())
    store = SqlStorage("sqlite:///:memory:")
    try:
        assert len(checkpointer_threads()) == before
    finally:
        store.close()
