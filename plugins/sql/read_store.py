"""The read half of SqlStorage: projects and runs listings with filters, history reads.

Mixed into SqlStorage, which provides ``db``, ``engine``, ``history`` (the HistoryEngine),
``_run_query()`` and ``_run_dict()``.
"""

from __future__ import annotations

from typing import Any

import peewee
from peewee import fn

from roost.core.errors import InvalidArgument, NotFound
from roost.plugins.sql import run_filters
from roost.plugins.sql.database import connection_per_call
from roost.plugins.sql.models import Entity, Project, Run, User
from roost.plugins.sql.run_search import RunSearch

MAX_PAGE = 1000


def _run_pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(f"no run with id {value!r}") from None


def _page_size(first: int) -> int:
    if first is None or first <= 0:
        return 50
    return min(int(first), MAX_PAGE)


@connection_per_call
class ReadSqlMixin:
    # -- projects ----------------------------------------------------------------------------
    def projects_page(self, entity, after, first):
        first = _page_size(first)
        query = (Project.select(Project, Entity).join(Entity).where(Entity.name == entity)
                 .order_by(Project.id))
        if after:
            try:
                query = query.where(Project.id > int(after))
            except ValueError:
                raise InvalidArgument(f"malformed projects cursor {after!r}") from None
        projects = list(query.limit(first + 1))
        has_next = len(projects) > first
        projects = projects[:first]
        counts = dict(Run.select(Run.project, fn.COUNT(Run.id))
                      .where(Run.project.in_([p.id for p in projects]))
                      .group_by(Run.project).tuples()) if projects else {}
        return [{"id": str(p.id), "entity": entity, "name": p.name,
                 "description": p.description, "created_at": p.created_at,
                 "run_count": counts.get(p.id, 0)} for p in projects], has_next

    # -- runs --------------------------------------------------------------------------------
    def _project_id(self, entity: str, project: str) -> int | None:
        return (Project.select(Project.id).join(Entity)
                .where((Entity.name == entity) & (Project.name == project)).scalar())

    def _database_errors(self, action):
        """Run a read; a filter the engine itself rejects (a regex PostgreSQL or MySQL cannot
        compile) is the caller's mistake, reported as such."""
        try:
            with self.db.atomic():
                return action()
        except (peewee.DataError, peewee.ProgrammingError, peewee.OperationalError) as exc:
            text = str(exc).lower()
            if "regular expression" in text or "regexp" in text or "regex" in text:
                raise InvalidArgument(f"the database rejected a $regex in the filters: "
                                      f"{str(exc).strip()}") from None
            raise

    def count_runs(self, entity, project, filters, stale_before):
        compiler = run_filters.RunFilters(self.engine, stale_before)
        condition = compiler.where(filters)  # invalid filters fail before any lookup
        project_id = self._project_id(entity, project)
        if project_id is None:
            return 0
        query = (Run.select(fn.COUNT(Run.id)).join(RunSearch, peewee.JOIN.LEFT_OUTER,
                                                   on=(RunSearch.run == Run.id))
                 .switch(Run).join(User, peewee.JOIN.LEFT_OUTER)
                 .where((Run.project == project_id) & condition))
        return self._database_errors(lambda: query.scalar()) or 0

    def list_runs(self, entity, project, filters, order, after, first, stale_before):
        first = _page_size(first)
        compiler = run_filters.RunFilters(self.engine, stale_before)
        condition = compiler.where(filters)
        canonical, keys = compiler.order(order)
        start = run_filters.decode_cursor(after, canonical, len(keys)) if after else None
        project_id = self._project_id(entity, project)
        if project_id is None:
            return [], [], False
        sort_columns = [expr.alias(f"_sort{i}") for i, (expr, _) in enumerate(keys)]
        query = (self._run_query().select_extend(*sort_columns)
                 .switch(Run).join(RunSearch, peewee.JOIN.LEFT_OUTER, on=(RunSearch.run == Run.id))
                 .where((Run.project == project_id) & condition))
        if start is not None:
            query = query.where(run_filters.after(keys, start))
        query = query.order_by(*run_filters.order_by(keys)).limit(first + 1)
        rows = self._database_errors(lambda: list(query))
        has_next = len(rows) > first
        rows = rows[:first]
        cursors = [run_filters.encode_cursor(
            canonical, [getattr(row, f"_sort{i}") for i in range(len(keys))]) for row in rows]
        return [self._run_dict(row) for row in rows], cursors, has_next

    # -- history -----------------------------------------------------------------------------
    def sample_history(self, run_id, keys, samples, min_step, max_step):
        self.fold_history(_run_pk(run_id))  # rollups never lag behind a read
        return self.history.sample(_run_pk(run_id), keys, samples, min_step, max_step)

    def sample_history_lines(self, run_id, stream, samples, min_step, max_step):
        return self.history.sample_lines(_run_pk(run_id), stream, samples, min_step, max_step)
