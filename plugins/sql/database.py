"""Open the peewee database a URL names: SQLite (default, WAL), PostgreSQL or MySQL/MariaDB.

Every engine is a connection pool (``playhouse.pool``) and the store checks a connection out
for each call and returns it at the end (see ``connection_per_call``). So a long-running,
multithreaded gRPC server holds at most as many connections as calls in flight, a thread that
ends leaves no connection behind, and a connection the server dropped (a restart, MySQL's
``wait_timeout``) is noticed on check-out (the pool pings PostgreSQL and MySQL) and replaced.
``autoconnect`` is off: a query outside a store call fails loudly instead of quietly holding a
connection for the rest of its thread's life.
"""

from __future__ import annotations

import functools
import inspect
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlparse

from peewee import Database, MySQLDatabase, PostgresqlDatabase, SqliteDatabase
from playhouse.db_url import parse
from playhouse.pool import PooledMySQLDatabase, PooledPostgresqlDatabase, PooledSqliteDatabase

# Long JSON documents and history lines: MySQL's TEXT stops at 64 KiB, so the models declare
# LONGTEXT, which SQLite and PostgreSQL spell TEXT (unbounded on both).
LONGTEXT = {"LONGTEXT": "TEXT"}

# Pool defaults; a database URL's query string overrides them, e.g.
# postgresql://host/db?max_connections=50&stale_timeout=600
POOL_DEFAULTS = {"max_connections": 64, "stale_timeout": 300, "timeout": 30}

# busy_timeout comes first: setting journal_mode needs a lock another process may hold.
# Checkpoints run on a thread of their own (wal_checkpoints.py), not inside a commit; a WAL
# that grew under a burst of writes is cut back to 64 MiB when it is next reused.
SQLITE_PRAGMAS = {"busy_timeout": 30000, "journal_mode": "wal",
                  "foreign_keys": 1, "cache_size": -64000, "wal_autocheckpoint": 0,
                  "journal_size_limit": 64 * 1024 * 1024}
# WAL with synchronous=NORMAL: an acknowledged write survives a crash of Roost (the process),
# and the database is never corrupted; after a power loss or an OS crash the last commits
# may be rolled back. FULL also survives those, at an fsync per commit (about 15 ms per
# file_stream request on a typical disk, a third of the ingest budget). The option
# `sqlite_synchronous` chooses; the SDK keeps its own copy of a run (`wandb sync` re-sends it).
SQLITE_SYNCHRONOUS = ("normal", "full")

# MySQL sessions read committed data, as PostgreSQL does by default, so that a request that
# lost an insert race to another sees the other's row (REPEATABLE READ would hide it).
MYSQL_INIT = "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'roost.db'}"


def engine(db: Database) -> str:
    """``sqlite``, ``postgresql`` or ``mysql``."""
    if isinstance(db, SqliteDatabase):
        return "sqlite"
    if isinstance(db, PostgresqlDatabase):
        return "postgresql"
    if isinstance(db, MySQLDatabase):
        return "mysql"
    raise ValueError(f"unsupported database {db!r}")


def open_database(url: str, sqlite_synchronous: str = "normal") -> Database:
    scheme = urlparse(url).scheme.removesuffix("+pool")
    params = parse(url)
    database = params.pop("database", "")
    if scheme == "sqlite":
        database = database or ":memory:"
        if database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # Pooled connections move between threads, hence check_same_thread=False; peewee keeps
        # each one to a single thread at a time.
        options = {"max_connections": None, "stale_timeout": None} | params
        if database == ":memory:":
            # Each connection to :memory: is a database of its own: keep exactly one.
            options |= {"max_connections": 1, "timeout": 30}
        if sqlite_synchronous not in SQLITE_SYNCHRONOUS:
            raise ValueError(f"sqlite_synchronous must be one of {', '.join(SQLITE_SYNCHRONOUS)}, "
                             f"not {sqlite_synchronous!r}")
        pragmas = SQLITE_PRAGMAS | {"synchronous": sqlite_synchronous}
        return _PooledSqlite(database, pragmas=pragmas, field_types=LONGTEXT,
                             check_same_thread=False, autoconnect=False, **options)
    if not database:
        raise ValueError(f"database URL {url!r} names no database (scheme://user@host/NAME)")
    options = POOL_DEFAULTS | params
    if scheme in ("postgres", "postgresql"):
        return PooledPostgresqlDatabase(database, field_types=LONGTEXT, autoconnect=False,
                                        **options)
    if scheme == "mysql":
        if "password" in options:
            options["passwd"] = options.pop("password")
        options.setdefault("charset", "utf8mb4")
        options.setdefault("init_command", MYSQL_INIT)
        return _PooledMySQL(database, autoconnect=False, **options)
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:///PATH, "
                     "postgresql://USER@HOST/DB or mysql://USER@HOST/DB")


class _PooledSqlite(PooledSqliteDatabase):
    def _set_pragmas(self, conn):
        # busy_timeout does not cover switching a new database to WAL: when two processes
        # open it at once, each reading it and then wanting the exclusive lock, SQLite answers
        # one with "database is locked" at once (waiting could deadlock) instead of calling
        # the busy handler. The pragmas are idempotent, so set them again until the other
        # process has finished its switch, for as long as busy_timeout would have waited.
        deadline = time.monotonic() + dict(self._pragmas)["busy_timeout"] / 1000
        pause = 0.001
        while True:
            try:
                return super()._set_pragmas(conn)
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() + pause > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.05)


# pymysql.constants.SERVER_STATUS.SERVER_STATUS_IN_TRANS (pymysql is an optional dependency).
SERVER_STATUS_IN_TRANS = 1


class _PooledMySQL(PooledMySQLDatabase):
    def _can_reuse(self, conn):
        # pymysql tracks the transaction flag the server reports; only roll back when a
        # transaction is really open, instead of a round trip on every check-in.
        if not conn.open:
            return False
        if conn.server_status & SERVER_STATUS_IN_TRANS:
            return super()._can_reuse(conn)
        return True


def mysql_table_settings(db: Database) -> list[str]:
    """utf8mb4 with a binary, no-pad collation: names compare exactly as on SQLite and
    PostgreSQL (case-sensitive, "a" != "a "), whatever the database's default collation."""
    with db.connection_context():
        version = db.execute_sql("SELECT VERSION()").fetchone()[0]
    collation = "utf8mb4_nopad_bin" if "mariadb" in version.lower() else "utf8mb4_0900_bin"
    return ["ENGINE=InnoDB", "DEFAULT CHARSET=utf8mb4", f"COLLATE={collation}"]


# What each model declared, before bind_models adapted it to an engine.
_DECLARED: dict[type, tuple[bool, object]] = {}


def bind_models(db: Database, models: list[type]) -> None:
    """Bind the models to ``db`` and fit engine-specific table options to it.

    ``without_rowid`` is SQLite-only syntax, so it is kept on SQLite and dropped elsewhere;
    MySQL tables get utf8mb4 with a binary collation. Models declare options the SQLite way.
    """
    kind = engine(db)
    mysql_settings = None
    if kind == "mysql":
        mysql_settings = getattr(db, "roost_mysql_settings", None) or mysql_table_settings(db)
        db.roost_mysql_settings = mysql_settings
    db.bind(models)
    db.roost_models = models
    for model in models:
        meta = model._meta
        without_rowid, settings = _DECLARED.setdefault(
            model, (meta.without_rowid, meta.table_settings))
        meta.without_rowid = without_rowid and kind == "sqlite"
        meta.table_settings = mysql_settings if kind == "mysql" else settings


def without_connection(method):
    """Mark a public method that must not check a connection out (close, context factories)."""
    method.without_connection = True
    return method


def connection_per_call(cls):
    """Class decorator: each public method runs with a pooled connection checked out for the
    call (reused when the calling thread already holds one, as in a nested call) and returned
    to the pool when the outermost call ends, even on error. Methods added later are covered
    without anyone remembering to open a connection."""
    for name, attribute in list(vars(cls).items()):
        if (name.startswith("_") or not inspect.isfunction(attribute)
                or getattr(attribute, "without_connection", False)):
            continue
        setattr(cls, name, _with_connection(attribute))
    return cls


def _with_connection(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        # Peewee binds models per class, so the store opened last owns them. A process serves
        # one database; this only lets stores used one after another (tests) each find theirs.
        models = getattr(self.db, "roost_models", None)
        if models and models[0]._meta.database is not self.db:
            bind_models(self.db, models)
        with self.db.connection_context():
            return method(self, *args, **kwargs)

    return wrapper
