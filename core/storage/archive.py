"""Storage area ``archive``: every table's rows out and in, for `roost export` and
`roost restore` (core/backup/). Rows cross as lists of plain JSON values in column order, so
an archive of one engine loads into another.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Callable, Iterator


class ArchiveStorage(ABC):
    @abstractmethod
    def schema_version(self) -> int:
        """The database schema version (the number of migrations applied)."""

    @abstractmethod
    def instance_rows(self) -> dict[str, int]:
        """Rows per table, for the tables that hold any (the schema version excepted)."""

    @abstractmethod
    def dump_tables(self, write_table: Callable[[str, list[str], Iterator[list]], None]) -> int:
        """Call ``write_table(name, columns, rows)`` for every table, parents first, all
        inside one snapshot of the database; returns the schema version seen."""

    @abstractmethod
    def load_tables(self, tables: Iterator[tuple[str, list[str], Iterator[list]]],
                    clear: bool) -> dict[str, int]:
        """Load tables as ``dump_tables`` gave them, in one transaction (all or nothing);
        ``clear`` deletes every row first. Returns rows loaded per table."""
