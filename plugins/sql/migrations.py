"""Numbered schema migrations. Append a function; never edit one that has shipped.

Each migration receives the database and a ``playhouse.migrate`` migrator for its engine.
"""

from __future__ import annotations

from peewee import Database
from playhouse.migrate import MySQLMigrator, PostgresqlMigrator, SqliteMigrator, SqliteDatabase

from roost.plugins.sql import models


def _initial(db: Database, migrator) -> None:
    db.create_tables(models.MODELS)


MIGRATIONS = [_initial]


def migrator_for(db: Database):
    if isinstance(db, SqliteDatabase):
        return SqliteMigrator(db)
    if db.__class__.__name__.lower().startswith("postgres"):
        return PostgresqlMigrator(db)
    return MySQLMigrator(db)


def current_version(db: Database) -> int:
    if not db.table_exists(models.SchemaVersion._meta.table_name):
        return 0
    row = models.SchemaVersion.select().order_by(models.SchemaVersion.version.desc()).first()
    return row.version if row else 0


def migrate(db: Database) -> int:
    """Bring the schema up to date; safe to run from several processes at once."""
    migrator = migrator_for(db)
    with db.atomic():
        version = current_version(db)
        for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
            step(db, migrator)
            models.SchemaVersion.create(version=number)
            version = number
    return version
