"""Numbered schema migrations. Append a function; never edit one that has shipped.

Each migration receives the database and a ``playhouse.migrate`` migrator for its engine.

A new area (artifacts, sweeps, ...) keeps its models in its own module with its own
``MODELS`` list, adds that list to ``MODEL_LISTS`` (so the store binds it) and appends a
migration that creates its tables, e.g. ``MIGRATIONS.append(create_tables(sweep_models.MODELS))``
written out as an entry of the list below.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager

from peewee import Database
from playhouse.migrate import MySQLMigrator, PostgresqlMigrator, SqliteMigrator, migrate as alter

from roost.plugins.sql import (artifact_models, coordination_models, history_models,
                               identity_models, import_models, models, run_search,
                               sweep_models, tenancy_models, view_models)
from roost.plugins.sql.database import engine

# Every area's models; the store binds them all to its database.
MODEL_LISTS: list[list[type]] = [models.MODELS, tenancy_models.MODELS, artifact_models.MODELS,
                                  history_models.HISTORY_MODELS, run_search.SEARCH_MODELS,
                                  sweep_models.MODELS, view_models.MODELS, import_models.MODELS,
                                  identity_models.MODELS, coordination_models.MODELS]

# A process that finds the schema being migrated by another waits this long for it.
LOCK_WAIT_SECONDS = 300


def all_models() -> list[type]:
    return [model for model_list in MODEL_LISTS for model in model_list]


def create_tables(model_list: list[type]):
    """A migration step that creates the tables of one area's models."""

    def step(db: Database, migrator) -> None:
        db.create_tables(model_list)

    return step


def _initial(db: Database, migrator) -> None:
    db.create_tables(models.MODELS + tenancy_models.MODELS + artifact_models.MODELS
                     + history_models.HISTORY_MODELS + run_search.SEARCH_MODELS
                     + sweep_models.MODELS)


def _rollup_line_count(db: Database, migrator) -> None:
    if "rollup_line_count" in {column.name for column in db.get_columns("run")}:
        return  # a new database: the first migration made the tables as they are now
    # Rollups were folded in with the lines until now: every stored line is folded.
    alter(migrator.add_column("run", "rollup_line_count", models.Run.rollup_line_count))
    models.Run.update(rollup_line_count=models.Run.history_line_count).execute()


def _identity(db: Database, migrator) -> None:
    """Key expiry, sign-in records, SCIM tokens and links (issue 14)."""
    if "expires_at" not in {column.name for column in db.get_columns("api_key")}:
        alter(migrator.add_column("api_key", "expires_at", models.ApiKey.expires_at))
    db.create_tables(identity_models.MODELS)


MIGRATIONS = [_initial, _rollup_line_count, create_tables(view_models.MODELS),
              create_tables(import_models.MODELS), _identity,
              create_tables(coordination_models.MODELS)]


def migrator_for(db: Database):
    return {"sqlite": SqliteMigrator, "postgresql": PostgresqlMigrator,
            "mysql": MySQLMigrator}[engine(db)](db)


def current_version(db: Database) -> int:
    if not db.table_exists(models.SchemaVersion._meta.table_name):
        return 0
    row = models.SchemaVersion.select().order_by(models.SchemaVersion.version.desc()).first()
    return row.version if row else 0


@contextmanager
def schema_lock(db: Database):
    """Hold the one lock that lets a single process migrate while the others wait."""
    kind = engine(db)
    if kind == "sqlite":
        # SQLite DDL is transactional; IMMEDIATE takes the write lock before reading the version.
        with db.atomic("IMMEDIATE"):
            yield
    elif kind == "postgresql":
        # PostgreSQL DDL is transactional too; the advisory lock ends with the transaction.
        with db.atomic():
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_lock_key(db),))
            yield
    else:
        # MySQL commits around each DDL statement, so a transaction cannot serialize two
        # migrators: a named session lock does (names are server-wide, hence the database).
        name = f"roost-migrate-{_lock_key(db)}"
        got = db.execute_sql("SELECT GET_LOCK(%s, %s)", (name, LOCK_WAIT_SECONDS)).fetchone()[0]
        if got != 1:
            raise RuntimeError(f"timed out after {LOCK_WAIT_SECONDS}s waiting for another "
                               "process to finish migrating the database schema")
        try:
            yield
        finally:
            db.execute_sql("SELECT RELEASE_LOCK(%s)", (name,))


def _lock_key(db: Database) -> int:
    digest = hashlib.sha256(f"roost-schema:{db.database}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def migrate(db: Database) -> int:
    """Bring the schema up to date; safe to run from several processes at once.

    Returns the schema version. Refuses a database migrated by a newer Roost.
    """
    migrator = migrator_for(db)
    with schema_lock(db):
        version = current_version(db)
        if version > len(MIGRATIONS):
            raise RuntimeError(
                f"the database schema is at version {version} but this Roost knows only "
                f"{len(MIGRATIONS)} migrations: upgrade Roost before starting it on this database")
        for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
            step(db, migrator)
            models.SchemaVersion.create(version=number)
            version = number
    return version
