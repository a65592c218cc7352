"""Queries whose SQL peewee builds once and the database runs many times.

On the hot paths (every file_stream request, every authentication) building a query's SQL in
peewee costs more than running it. A *template* is a peewee query built once with
:class:`Param` placeholders where the arguments go; its SQL is kept per shape, and each call
only binds the arguments and, for selects, turns the rows into what the same query run through
peewee gives (models with their joined models, tuples or dicts) with peewee's own row reader,
set up once per template rather than once per call.

    found = statements.first("run-by-id", lambda run_id: Run.select().where(Run.id == run_id),
                             42)
"""

from __future__ import annotations

from itertools import chain
from typing import Any, Callable

import peewee

# Parameters per statement: SQLite's historical default limit, which every engine allows.
MAX_PARAMETERS = 999


class Param:
    """Where argument ``index`` goes in a template."""

    __slots__ = ("index",)

    def __init__(self, index: int):
        self.index = index


class Template:
    def __init__(self, query, arity: int):
        self.query = query
        self.sql, params = query.sql()
        # Positions of the arguments among the SQL's parameters; other parameters are
        # constants of the template itself (a LIMIT, a literal the query holds).
        self.slots = [(p.index, None) if isinstance(p, Param) else (None, p) for p in params]
        if sorted(i for i, _ in self.slots if i is not None) != list(range(arity)):
            raise ValueError("each placeholder of a template must appear exactly once")
        self.in_order = self.slots == [(i, None) for i in range(arity)]
        # peewee's converter of this query's rows (models with their joins, tuples, dicts),
        # set up from the first result: it depends only on the query and the columns.
        self.reader = None

    def read(self, cursor) -> list:
        reader = self.reader
        if reader is None:
            reader = self.query._get_cursor_wrapper(cursor)
            reader.initialize()
            self.reader = reader
        try:
            return [reader.process_row(row) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def params(self, args: tuple) -> tuple | list:
        if self.in_order:  # the arguments are the parameters (bulk inserts: thousands)
            return args
        return [args[i] if i is not None else constant for i, constant in self.slots]


class Statements:
    def __init__(self, db: peewee.Database):
        self.db = db
        self._templates: dict[Any, Template] = {}

    def template(self, shape: Any, build: Callable, arity: int) -> Template:
        found = self._templates.get(shape)
        if found is None:
            placeholders = [peewee.Value(Param(i), converter=False) for i in range(arity)]
            found = self._templates[shape] = Template(build(*placeholders), arity)
        return found

    def execute(self, shape: Any, build: Callable, *args):
        """Run the template of ``shape`` (``build(*placeholders)`` the first time) with
        ``args``; returns the database cursor."""
        template = self.template(shape, build, len(args))
        return self.db.execute_sql(template.sql, template.params(args))

    def rows(self, shape: Any, build: Callable, *args) -> list:
        """What the template query returns, as peewee would return it."""
        template = self.template(shape, build, len(args))
        return template.read(self.db.execute_sql(template.sql, template.params(args)))

    def first(self, shape: Any, build: Callable, *args):
        found = self.rows(shape, build, *args)
        return found[0] if found else None

    def insert_many(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """Insert ``rows`` (tuples of ``columns``) with multi-row ``INSERT ... VALUES``
        statements: per row, that costs SQLite about half of what ``executemany`` does, and
        PostgreSQL's driver would otherwise send one statement per row. Statements hold at
        most ``MAX_PARAMETERS`` parameters; a remainder is split into powers of two, so a few
        templates serve every row count."""
        width = len(columns)
        full = max(1, MAX_PARAMETERS // width)
        start = 0
        while start < len(rows):
            left = len(rows) - start
            count = full if left >= full else 1 << (left.bit_length() - 1)
            batch = rows[start:start + count]
            self.execute(("insert", model, columns, count), lambda *values: model.insert_many(
                [values[i:i + width] for i in range(0, len(values), width)], fields=[
                    model._meta.fields[column] for column in columns]),
                *chain.from_iterable(batch))
            start += count
