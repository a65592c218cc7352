"""Queries whose SQL peewee builds once and the database runs many times.

On the hot paths (every file_stream request, every authentication) building a query's SQL in
peewee costs more than running it. A *template* is a peewee query built once with
:class:`Param` placeholders where the arguments go; its SQL is kept per shape, and each call
only binds the arguments and, for selects, lets the template turn the rows into what the same
query run through peewee gives (models with their joined models, tuples or dicts).

    found = statements.first("run-by-id", lambda run_id: Run.select().where(Run.id == run_id),
                             42)
"""

from __future__ import annotations

from typing import Any, Callable

import peewee


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

    def params(self, args: tuple) -> list:
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
        cursor = self.db.execute_sql(template.sql, template.params(args))
        return list(template.query._get_cursor_wrapper(cursor))

    def first(self, shape: Any, build: Callable, *args):
        found = self.rows(shape, build, *args)
        return found[0] if found else None

    def execute_many(self, shape: Any, build: Callable, arity: int, rows: list[tuple]) -> None:
        """One statement for many rows (each a tuple of the template's ``arity`` arguments)."""
        if not rows:
            return
        template = self.template(shape, build, arity)
        if template.slots == [(i, None) for i in range(arity)]:
            params = rows  # placeholders in argument order: the rows are the parameters
        else:
            params = [template.params(row) for row in rows]
        self.db.cursor().executemany(template.sql, params)
