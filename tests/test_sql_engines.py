"""The sql plugin on each engine: schema portability, connection pooling and reconnects, and
migrations that two processes may start at once. What Storage promises is in
test_storage_contract.py; this file checks how the sql plugin keeps those promises."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import peewee
import pytest
from peewee import BigIntegerField, CharField, DoubleField, ForeignKeyField, IntegerField, TextField

from roost.core.errors import NotFound
from roost.plugins.sql import migrations, models
from roost.plugins.sql.database import bind_models, open_database
from roost.plugins.sql.store import SqlStorage
from storage_fixtures import _admin_connection, backend_params, clear_tables, temporary_database
from test_storage_contract import run_together

# InnoDB's largest index key (DYNAMIC rows) and its largest row of non-TEXT columns, in bytes.
MYSQL_MAX_KEY_BYTES = 3072
MYSQL_MAX_ROW_BYTES = 65535
UTF8MB4 = 4


SERVER_BACKENDS = [param for param in backend_params() if param.values[0] != "sqlite"]


# Creating the schema takes seconds on MariaDB: one database per backend for the module,
# emptied after each test; only the migration tests start from a database of their own.
@pytest.fixture(scope="module", params=backend_params())
def database_url(request, tmp_path_factory):
    with temporary_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        yield url


@pytest.fixture(scope="module", params=SERVER_BACKENDS)
def server_database_url(request, tmp_path_factory):
    with temporary_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        yield url


@pytest.fixture(params=backend_params())
def fresh_database_url(request, tmp_path):
    with temporary_database(request.param, tmp_path) as url:
        yield url


def open_storage(url: str):
    store = SqlStorage(url)
    try:
        yield store
    finally:
        clear_tables(store)
        store.close()


@pytest.fixture
def storage(database_url):
    yield from open_storage(database_url)


@pytest.fixture
def server_storage(server_database_url):
    yield from open_storage(server_database_url)


# -- schema portability (static) ----------------------------------------------------------------
def column_bytes(field) -> int:
    if isinstance(field, TextField):
        pytest.fail(f"{field.model.__name__}.{field.name}: text columns cannot be indexed on "
                    "MySQL without a prefix length; index a CharField instead")
    if isinstance(field, CharField):
        return field.max_length * UTF8MB4
    if isinstance(field, (BigIntegerField, DoubleField)):
        return 8
    if isinstance(field, (IntegerField, ForeignKeyField)):
        return 4 if not isinstance(field, ForeignKeyField) else column_bytes(field.rel_field)
    return 8


@pytest.mark.parametrize("model", migrations.all_models(), ids=lambda m: m.__name__)
def test_indexes_fit_mysql_key_limit(model):
    for index in model._meta.fields_to_index():
        width = sum(column_bytes(field) for field in index._expressions)
        assert width <= MYSQL_MAX_KEY_BYTES, (
            f"{model.__name__} index on {[f.name for f in index._expressions]} is {width} bytes")


@pytest.mark.parametrize("model", migrations.all_models(), ids=lambda m: m.__name__)
def test_rows_fit_mysql_row_limit(model):
    varchar = sum(f.max_length * UTF8MB4 for f in model._meta.sorted_fields
                  if isinstance(f, CharField))
    assert varchar < MYSQL_MAX_ROW_BYTES, f"{model.__name__}: {varchar} bytes of VARCHAR"


def test_every_model_is_created_by_a_migration(tmp_path):
    storage = SqlStorage(f"sqlite:///{tmp_path / 'roost.db'}")
    try:
        with storage.db.connection_context():
            for model in migrations.all_models():
                assert model.table_exists(), f"no migration creates {model.__name__}"
    finally:
        storage.close()


def test_queries_outside_a_store_call_fail_loudly(tmp_path):
    # autoconnect is off: a query that no store call wraps would otherwise hold a pooled
    # connection for the rest of its thread's life.
    storage = SqlStorage(f"sqlite:///{tmp_path / 'roost.db'}")
    try:
        with pytest.raises(peewee.InterfaceError, match="not opened"):
            models.User.select().count()
        assert storage.count_users() == 0 and storage.db.is_closed()
    finally:
        storage.close()


# -- URLs ---------------------------------------------------------------------------------------
def test_unsupported_url_is_refused():
    with pytest.raises(ValueError, match="use sqlite:///PATH"):
        open_database("oracle://db/x")
    with pytest.raises(ValueError, match="names no database"):
        open_database("postgresql://postgres@127.0.0.1:5432")


def test_url_query_overrides_pool_settings():
    db = open_database("postgresql://postgres@127.0.0.1/x?max_connections=5&stale_timeout=60")
    assert (db._max_connections, db._stale_timeout) == (5, 60)
    assert open_database("mysql://root@127.0.0.1/x")._max_connections == 64


def test_sqlite_in_memory_is_one_database():
    storage = SqlStorage("sqlite:///:memory:")
    try:
        user = storage.create_user("alice", "", None, admin=False)
        results = run_together(4, lambda i: storage.upsert_run("alice", "p", f"r{i}", None, {},
                                                              user["id"]))
        assert all(isinstance(r, tuple) for r in results), results
        assert storage.get_project("alice", "p")["run_count"] == 4
    finally:
        storage.close()


@pytest.mark.parametrize("synchronous, level", [(None, 1), ("normal", 1), ("full", 2)])
def test_sqlite_runs_in_wal_mode_with_the_chosen_sync(tmp_path, synchronous, level):
    url = f"sqlite:///{tmp_path / 'sub' / 'roost.db'}"
    storage = SqlStorage(url) if synchronous is None else SqlStorage(url, synchronous)
    try:
        with storage.db.connection_context():
            assert storage.db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert storage.db.execute_sql("PRAGMA synchronous").fetchone()[0] == level
            assert storage.db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        storage.close()


def test_sqlite_switch_to_wal_waits_for_a_writer(tmp_path):
    # A process holding the write lock of a database not yet in WAL: SQLite refuses the
    # switch at once, without calling the busy handler (how three Roost processes starting
    # on a new database failed one time in ten); opening waits for the writer instead.
    path = tmp_path / "roost.db"
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("CREATE TABLE t (x)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO t VALUES (1)")
    release = threading.Timer(0.3, writer.execute, ("COMMIT",))
    release.start()
    db = open_database(f"sqlite:///{path}")
    try:
        started = time.monotonic()
        with db.connection_context():
            assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert db.execute_sql("SELECT x FROM t").fetchall() == [(1,)]
        assert time.monotonic() - started >= 0.25
    finally:
        release.join()
        writer.close()
        db.close_all()


def test_sqlite_sync_option_is_checked(tmp_path):
    with pytest.raises(ValueError, match="sqlite_synchronous must be one of normal, full"):
        SqlStorage(f"sqlite:///{tmp_path / 'roost.db'}", "sometimes")


# -- schema on each engine ----------------------------------------------------------------------
def test_engine_specific_schema(storage):
    with storage.db.connection_context():
        if storage.engine == "sqlite":
            sql = storage.db.execute_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'history_line'").fetchone()[0]
            assert "WITHOUT ROWID" in sql
        elif storage.engine == "postgresql":
            kind = storage.db.execute_sql(
                "SELECT data_type FROM information_schema.columns WHERE table_name = 'run' "
                "AND column_name = 'config'").fetchone()[0]
            assert kind == "text"
        else:
            kind, collation = storage.db.execute_sql(
                "SELECT column_type, collation_name FROM information_schema.columns "
                "WHERE table_schema = DATABASE() AND table_name = 'run' "
                "AND column_name = 'name'").fetchone()
            assert kind == "varchar(128)" and collation.endswith("_bin")
            kind = storage.db.execute_sql(
                "SELECT column_type FROM information_schema.columns WHERE table_schema = "
                "DATABASE() AND table_name = 'history_line' AND column_name = 'data'"
            ).fetchone()[0]
            assert kind == "longtext"


# -- connections --------------------------------------------------------------------------------
def test_each_call_returns_its_connection(storage):
    user = storage.create_user("alice", "", None, admin=False)

    def calls(i: int) -> None:
        storage.get_user("alice")
        storage.upsert_run("alice", "proj", f"r{i}", None, {}, user["id"])
        with pytest.raises(NotFound):
            storage.upsert_run("", "", None, "987654", {}, user["id"])

    for _ in range(3):  # short-lived threads, as a request-per-thread server would make
        assert run_together(8, calls) == [None] * 8
    assert storage.db._in_use == {}, "a call left its connection checked out"
    assert len(storage.db._connections) <= 8
    assert storage.db.is_closed()  # nor does the calling thread keep one


def test_connections_dropped_by_the_server_are_replaced(server_storage):
    storage = server_storage
    assert storage.create_user("alice", "", None, admin=False)
    assert storage.db._connections, "the pool should hold an idle connection"
    admin = _admin_connection(storage.engine)
    try:
        with admin.cursor() as cursor:
            if storage.engine == "postgresql":
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = %s AND pid <> pg_backend_pid()",
                               (storage.db.database,))
            else:
                cursor.execute("SELECT id FROM information_schema.processlist WHERE db = %s "
                               "AND id <> CONNECTION_ID()", (storage.db.database,))
                for (thread_id,) in cursor.fetchall():
                    cursor.execute(f"KILL {int(thread_id)}")
    finally:
        admin.close()
    time.sleep(0.2)
    assert storage.get_user("alice")["username"] == "alice"
    assert storage.health().startswith("sql (")


def test_lost_insert_race_finds_the_winner(server_storage, monkeypatch):
    """Every request reads "no such run" before any inserts: one insert wins, the others hit
    the unique index and must then see the winner's row (MySQL sessions read committed data;
    under REPEATABLE READ they would not)."""
    storage = server_storage
    user = storage.create_user("alice", "", None, admin=False)
    storage.upsert_run("alice", "proj", "first", None, {}, user["id"])
    barrier = threading.Barrier(4)
    lookup = models.Run.get_or_none.__func__

    def everyone_looks_first(cls, *args, **kwargs):
        found = lookup(cls, *args, **kwargs)
        barrier.wait(10)
        return found

    monkeypatch.setattr(models.Run, "get_or_none", classmethod(everyone_looks_first))
    results = run_together(4, lambda i: storage.upsert_run("alice", "proj", "same", None, {},
                                                          user["id"]))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(inserted for _, inserted in results) == [False, False, False, True]


# -- migrations ---------------------------------------------------------------------------------
MIGRATOR = """
import sys, time, pathlib
from roost.plugins.sql.store import SqlStorage
print("ready", flush=True)
go = pathlib.Path(sys.argv[2])
while not go.exists():
    time.sleep(0.002)
SqlStorage(sys.argv[1]).close()
print("migrated", flush=True)
"""


def test_processes_starting_at_once_migrate_once(fresh_database_url, tmp_path):
    database_url = fresh_database_url
    go = tmp_path / "go"
    processes = [subprocess.Popen([sys.executable, "-c", MIGRATOR, database_url, str(go)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
    try:
        for process in processes:
            assert process.stdout.readline().strip() == "ready"
        go.touch()
        outcomes = [process.communicate(timeout=120) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(30)
    for process, (out, err) in zip(processes, outcomes):
        assert process.returncode == 0 and out.strip() == "migrated", err
    storage = SqlStorage(database_url)
    try:
        with storage.db.connection_context():
            versions = [row.version for row in
                        models.SchemaVersion.select().order_by(models.SchemaVersion.version)]
        assert versions == list(range(1, len(migrations.MIGRATIONS) + 1))
    finally:
        storage.close()


def test_a_newer_schema_is_refused(storage, database_url):
    newer = len(migrations.MIGRATIONS) + 1
    with storage.db.connection_context():
        models.SchemaVersion.create(version=newer)
    try:
        with pytest.raises(RuntimeError, match="upgrade Roost"):
            SqlStorage(database_url)
    finally:
        bind_models(storage.db, storage.db.roost_models)  # the refused store had bound them
        with storage.db.connection_context():
            models.SchemaVersion.delete().where(models.SchemaVersion.version == newer).execute()


def test_schema_version_is_recorded_once(storage):
    with storage.db.connection_context():
        with pytest.raises(peewee.IntegrityError):
            with storage.db.atomic():
                models.SchemaVersion.create(version=1)
