"""Rollups folded in after the commit (plugins/sql/history_folder.py), on SQLite, PostgreSQL and
MySQL/MariaDB: they end up as if folded with each request, a read never sees them behind, lines
a crash left unfolded are folded from the stored lines, a deleted run's waiting lines never
reach a run that gets its id, and a folder that falls behind makes writers fold themselves."""

from __future__ import annotations

import contextlib
import json
import random
import threading

import pytest

from roost.core import history
from roost.plugins.sql import history_engine, history_folder
from roost.plugins.sql.history_models import HistoryKey, HistoryRollup
from roost.plugins.sql.models import HistoryLine, Run, SchemaVersion
from roost.plugins.sql.store import SqlStorage
from storage_fixtures import backend_params, clear_tables, temporary_database

KEYS = ["loss", "acc", "lr"]


def line_of(step: int) -> str:
    rng = random.Random(step)  # the same line for a step, however the lines are chunked
    return json.dumps({"_step": step, **{key: rng.random() for key in KEYS}})


def lines_of(start: int, end: int) -> list[str]:
    return [line_of(step) for step in range(start, end)]


def append(storage, run_id, start: int, end: int) -> None:
    storage.apply_file_stream(run_id, history.build_update(
        {"wandb-history.jsonl": (start, lines_of(start, end))}, [], False, None, False))


def rollups(storage, run_id) -> set:
    """The run's rollups as stored (without folding anything first)."""
    with storage.db.connection_context():
        names = dict(HistoryKey.select(HistoryKey.id, HistoryKey.name)
                     .where(HistoryKey.run == int(run_id)).tuples())
        return {(names[row[1]], *row[2:]) for row in
                HistoryRollup.select().where(HistoryRollup.run == int(run_id)).tuples()}


def counts(storage, run_id) -> tuple[int, int]:
    with storage.db.connection_context():
        return (Run.select(Run.rollup_line_count, Run.history_line_count)
                .where(Run.id == int(run_id)).tuples().first())


@pytest.fixture(scope="module", params=backend_params())
def database_url(request, tmp_path_factory):
    with temporary_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        yield url


@pytest.fixture
def store(database_url):
    # One store at a time: peewee binds the models to one database per process.
    storage = SqlStorage(database_url)
    try:
        yield storage
    finally:
        clear_tables(storage)
        storage.close()


@pytest.fixture
def user(store):
    return store.create_user("alice", "", None, admin=False)


def new_run(storage, user, name: str) -> str:
    return storage.upsert_run("alice", "proj", name, None, {}, user["id"])[0]["id"]


def test_rollups_folded_later_equal_rollups_folded_at_once(store, user):
    chunked, at_once = new_run(store, user, "chunked"), new_run(store, user, "at-once")
    for start, end in ((0, 700), (700, 1500), (1500, 1501), (1501, 5000)):
        append(store, chunked, start, end)
    append(store, at_once, 0, 5000)
    store.wait_for_rollups()
    assert counts(store, chunked) == counts(store, at_once) == (5000, 5000)
    assert rollups(store, chunked) == rollups(store, at_once) != set()


def test_without_the_thread_each_request_folds_in_its_transaction(tmp_path):
    storage = SqlStorage(f"sqlite:///{tmp_path / 'inline.db'}", background_rollups=False)
    try:
        user = storage.create_user("alice", "", None, admin=False)
        run_id = new_run(storage, user, "inline")
        append(storage, run_id, 0, 1200)
        assert counts(storage, run_id) == (1200, 1200) and rollups(storage, run_id)
    finally:
        storage.close()


def test_a_read_folds_what_is_not_folded_yet(store, user):
    background = store
    run_id = new_run(background, user, "read-at-once")
    append(background, run_id, 0, 3000)
    # Whether or not the thread got there first, the read sees every line.
    rows = background.sample_history(run_id, ["_step", "loss"], 5000, None, None)
    assert [row["_step"] for row in rows] == list(range(3000))
    assert counts(background, run_id) == (3000, 3000)


def test_lines_a_crash_left_unfolded_are_folded_from_the_stored_lines(store, user):
    crashed, reference = new_run(store, user, "crashed"), new_run(store, user, "reference")
    append(store, crashed, 0, 4000)
    append(store, reference, 0, 12_000)
    store.wait_for_rollups()
    # As if the process died after committing lines 4000-11999 and before folding them.
    with store.db.connection_context():
        Run.update(history_line_count=12_000).where(Run.id == int(crashed)).execute()
        HistoryLine.insert_many(
            [(int(crashed), line, line, text)
             for line, text in enumerate(lines_of(4000, 12_000), start=4000)],
            fields=[HistoryLine.run, HistoryLine.line, HistoryLine.step, HistoryLine.data],
        ).execute()
    assert counts(store, crashed) == (4000, 12_000)
    store.fold_history(crashed)  # read back in slices of FOLD_SLICE lines
    assert counts(store, crashed) == (12_000, 12_000)
    assert rollups(store, crashed) == rollups(store, reference)


def test_a_deleted_runs_waiting_lines_never_reach_a_new_run(store, user):
    background = store
    gone = new_run(background, user, "gone")
    waiting = history_folder.ParsedLines(0, 1, {"loss": [123.0]}, run_created_at=0.0)
    with background.db.connection_context():
        created = Run.get_by_id(int(gone)).created_at
    background.delete_run(gone)
    fresh = new_run(background, user, "fresh")
    if background.engine == "sqlite":
        assert fresh == gone  # SQLite gives the id again: the case this guards against
    append(background, fresh, 0, 10)
    # Lines parsed for a run created at another time are not this run's, whatever its id.
    background.fold_history(fresh, [waiting, history_folder.ParsedLines(
        0, 1, {"loss": [456.0]}, created)])
    rows = background.sample_history(fresh, ["loss"], 100, None, None)
    assert len(rows) == 10 and 123.0 not in {r["loss"] for r in rows}
    assert 456.0 not in {r["loss"] for r in rows}


def test_a_folder_that_falls_behind_makes_writers_fold(store, user, monkeypatch):
    background = store
    run_id = new_run(background, user, "behind")
    monkeypatch.setattr(background.ingest._folder, "schedule", lambda *args: True)  # a stalled folder
    monkeypatch.setattr(history_folder, "MAX_UNFOLDED_LINES", 2500)
    append(background, run_id, 0, 2000)
    assert counts(background, run_id) == (0, 2000)
    append(background, run_id, 2000, 3000)  # 3,000 unfolded: this request folds them
    assert counts(background, run_id) == (3000, 3000)


def test_rollups_of_a_database_made_before_folding_later_are_complete(tmp_path):
    # Schema version 1 had no rollup_line_count; its lines were all folded with each request.
    url = f"sqlite:///{tmp_path / 'old.db'}"
    storage = SqlStorage(url, background_rollups=False)
    user = storage.create_user("alice", "", None, admin=False)
    run_id = new_run(storage, user, "old")
    append(storage, run_id, 0, 1000)
    with storage.db.connection_context():
        storage.db.execute_sql("ALTER TABLE run DROP COLUMN rollup_line_count")
        # back to version 1: later migrations (create-table steps) run again harmlessly
        SchemaVersion.delete().where(SchemaVersion.version >= 2).execute()
    storage.close()
    upgraded = SqlStorage(url)
    try:
        assert counts(upgraded, run_id) == (1000, 1000)
    finally:
        upgraded.close()


def test_past_the_lines_the_thread_may_hold_writers_fold(store, user, monkeypatch):
    run_id = new_run(store, user, "held")
    monkeypatch.setattr(history_folder, "MAX_HELD_LINES", 500)
    append(store, run_id, 0, 800)  # more than the thread may hold: folded by the request
    assert counts(store, run_id) == (800, 800)


def test_with_other_writes_in_flight_a_request_folds_its_own_lines(store, user, monkeypatch):
    busy, reference = new_run(store, user, "busy"), new_run(store, user, "reference")
    append(store, busy, 0, 1500)  # alone: left to the thread
    store.wait_for_rollups()
    append(store, reference, 0, 4000)
    store.wait_for_rollups()

    @contextlib.contextmanager
    def not_alone():
        yield False

    monkeypatch.setattr(store.ingest, "_ingesting", not_alone)
    append(store, busy, 1500, 2500)  # folded in its own transaction: nothing left behind
    assert counts(store, busy) == (2500, 2500)
    monkeypatch.undo()
    monkeypatch.setattr(store.ingest._folder, "schedule", lambda *args: True)  # a stalled thread
    append(store, busy, 2500, 3000)  # alone again: left to the thread, which never comes
    monkeypatch.setattr(store.ingest, "_ingesting", not_alone)
    append(store, busy, 3000, 4000)  # lines behind it: left for later, not folded out of order
    assert counts(store, busy) == (2500, 4000)
    store.fold_history(busy)  # (what the next read does)
    assert rollups(store, busy) == rollups(store, reference)


@pytest.fixture
def parsed(monkeypatch) -> list:
    """One item per stored line parsed back from its text."""
    calls, real_parse = [], history_engine.parse
    monkeypatch.setattr(history_engine, "parse", lambda line: calls.append(1) or real_parse(line))
    return calls


def test_the_thread_folds_only_up_to_the_lines_it_holds(store, user, monkeypatch, parsed):
    run_id = new_run(store, user, "held-only")
    monkeypatch.setattr(store.ingest._folder, "schedule", lambda *args: True)  # not handed over yet
    append(store, run_id, 0, 1000)
    store.fold_held_history(run_id)  # what the thread does: these lines are not its own
    assert counts(store, run_id) == (0, 1000) and parsed == []
    store.sample_history(run_id, ["loss"], 10, None, None)  # a read folds everything
    assert counts(store, run_id) == (1000, 1000)


def test_lines_handed_over_during_a_fold_are_not_parsed_again(store, user, monkeypatch, parsed):
    run_id = new_run(store, user, "handed-over")
    monkeypatch.setattr(store.ingest._folder._runs, "put", lambda item: None)  # the thread sleeps
    append(store, run_id, 0, 1000)  # held parsed, waiting for the thread
    real_prepare = store.history.prepare

    def prepare_while_a_request_lands(*args):
        if counts(store, run_id)[1] == 1000:  # the next request commits and hands over its
            writer = threading.Thread(target=append, args=(store, run_id, 1000, 2500))
            writer.start()  # lines while the first slice is being folded
            writer.join()
        return real_prepare(*args)

    monkeypatch.setattr(store.history, "prepare", prepare_while_a_request_lands)
    store.fold_held_history(run_id)
    assert counts(store, run_id) == (2500, 2500)
    assert parsed == []  # no stored line was read back: all came parsed from the requests
