"""Every table's rows out and in, for `roost export` and `roost restore` (core/backup/).

Rows leave as plain JSON values (numbers, text, booleans, null) keyed by column name, so an
archive written from SQLite loads into PostgreSQL or MySQL and back. The dump reads every table
inside one transaction that sees a single snapshot of the database while the server keeps
writing: SQLite's WAL gives a read transaction its snapshot at its first read, PostgreSQL's
REPEATABLE READ and MySQL's consistent snapshot do the same.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from peewee import sort_models

from roost.plugins.sql import coordination_models, migrations
from roost.plugins.sql.area import SqlArea
from roost.plugins.sql.database import connection_per_call
from roost.plugins.sql.models import SchemaVersion

INSERT_BATCH = 500
FETCH_BATCH = 2000


# Not archived: the schema version (the archive's manifest carries it) and the short-lived
# state several cores coordinate through (leases, sign-in failures), which means nothing to
# another instance.
UNARCHIVED = {SchemaVersion, *coordination_models.MODELS}


def archived_models() -> list[type]:
    """Every table but those above, parents before children."""
    return [model for model in sort_models(migrations.all_models()) if model not in UNARCHIVED]


def _columns(model) -> list[str]:
    return [field.column_name for field in model._meta.sorted_fields]


@connection_per_call
class ArchiveStore(SqlArea):

    def schema_version(self) -> int:
        return migrations.current_version(self.db)

    def instance_rows(self) -> dict[str, int]:
        """Rows per table (only tables that hold any)."""
        counts = {}
        for model in archived_models():
            count = model.select().count()
            if count:
                counts[model._meta.table_name] = count
        return counts

    @contextmanager
    def _snapshot(self):
        if self.engine == "postgresql":
            with self.db.atomic():
                self.db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                yield
        elif self.engine == "mysql":
            self.db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            self.db.execute_sql("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
            try:
                yield
            finally:
                self.db.execute_sql("ROLLBACK")
        else:  # SQLite: a deferred transaction keeps the snapshot of its first read
            with self.db.atomic("DEFERRED"):
                yield

    def dump_tables(self, write_table: Callable[[str, list[str], Iterator[list]], None]) -> int:
        """Call ``write_table(name, columns, rows)`` for every table inside one snapshot; rows
        is an iterator of value lists in column order. Returns the schema version seen."""
        with self._snapshot():
            version = migrations.current_version(self.db)
            for model in archived_models():
                fields = model._meta.sorted_fields
                query = (model.select(*fields).order_by(*self._order(model)).tuples()
                         .iterator())
                write_table(model._meta.table_name, _columns(model),
                            (list(row) for row in query))
        return version

    @staticmethod
    def _order(model) -> list:
        primary = model._meta.primary_key
        if hasattr(primary, "field_names"):  # CompositeKey
            return [model._meta.fields[name] for name in primary.field_names]
        return [primary]

    def load_tables(self, tables: Iterator[tuple[str, list[str], Iterator[list]]],
                    clear: bool) -> dict[str, int]:
        """Load ``(name, columns, rows)`` tables, parents first, in one transaction (all of
        them or nothing); ``clear`` deletes every row first. Returns rows loaded per table."""
        loaded = {}
        with self.write():
            if clear:
                for model in reversed(archived_models()):
                    model.delete().execute()
            for name, columns, rows in tables:
                loaded[name] = self._load_table(name, columns, rows)
        return loaded

    def _load_table(self, name: str, columns: list[str], rows: Iterator[list]) -> int:
        model = next(m for m in archived_models() if m._meta.table_name == name)
        by_column = {field.column_name: field for field in model._meta.sorted_fields}
        fields = [by_column[column] for column in columns]
        count, batch = 0, []
        for row in rows:
            batch.append(row)
            if len(batch) >= INSERT_BATCH:
                model.insert_many(batch, fields=fields).execute()
                count, batch = count + len(batch), []
        if batch:
            model.insert_many(batch, fields=fields).execute()
            count += len(batch)
        if self.engine == "postgresql" and "id" in columns and count:
            # Rows came with their ids: move the sequence past them for the rows to come.
            self.db.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                f"(SELECT MAX(id) FROM \"{name}\"))")
        return count
