"""Storage area ``runs`` (roost.core.storage.runs) on the sql plugin's tables: projects and
runs, written by upsert and read (filtered, ordered, paged) by the Public API."""

from __future__ import annotations

import json
import time

import peewee
from peewee import fn

from roost.core.errors import InvalidArgument
from roost.plugins.sql import run_filters, run_search
from roost.plugins.sql.area import SqlArea, clean_text, record_id, too_long
from roost.plugins.sql.database import connection_per_call
from roost.plugins.sql.models import (ConsoleLine, Entity, EventLine, HistoryLine, Project, Run,
                                      RunFile, User)
from roost.plugins.sql.run_search import RunSearch

# Run fields a client may set through upsert, mapped to their columns.
RUN_FIELDS = {
    "display_name": "display_name", "description": "description", "notes": "notes",
    "group": "group_name", "job_type": "job_type", "config": "config",
    "summary_metrics": "summary", "host": "host", "commit": "commit", "program": "program",
    "repo": "repo", "sweep": "sweep_name", "state": "state", "stopped": "stopped",
}
MAX_PAGE = 1000


def _page_size(first: int) -> int:
    if first is None or first <= 0:
        return 50
    return min(int(first), MAX_PAGE)


@connection_per_call
class RunStore(SqlArea):
    def __init__(self, database, ingest):
        """``ingest``: the IngestStore, whose folding thread must forget a deleted run."""
        super().__init__(database)
        self.ingest = ingest

    # -- projects ----------------------------------------------------------------------------
    def get_project(self, entity, name):
        project = (Project.select(Project, Entity).join(Entity)
                   .where((Entity.name == entity) & (Project.name == name)).first())
        if project is None:
            return None
        return {"id": str(project.id), "entity": entity, "name": project.name,
                "description": project.description, "created_at": project.created_at,
                "run_count": Run.select().where(Run.project == project).count()}

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

    # -- writing runs ------------------------------------------------------------------------
    def upsert_run(self, entity, project, name, run_id, fields, user_id):
        values = {RUN_FIELDS[k]: clean_text(v) if isinstance(v, str) else v
                  for k, v in fields.items() if k in RUN_FIELDS}
        if "tags" in fields:
            values["tags"] = json.dumps(list(fields["tags"]))
        too_long(Run, values | ({"name": name} if name else {}))
        now = time.time()
        values["updated_at"] = now
        with self.write():
            if run_id:
                run = self._lock_run(record_id(run_id))
                inserted = False
            else:
                proj = self._project(entity, project, create=True)
                run = Run.get_or_none((Run.project == proj) & (Run.name == name))
                inserted = run is None
                if inserted:
                    try:
                        with self.db.atomic():
                            run = Run.create(project=proj, name=name, user=record_id(user_id),
                                             created_at=now, heartbeat_at=now, **values)
                    except peewee.IntegrityError:
                        # Another request created it first: update that one instead.
                        run = Run.get((Run.project == proj) & (Run.name == name))
                        inserted = False
            if not inserted:
                for column, value in values.items():
                    setattr(run, column, value)
                run.save()
            run_search.index_run(run.id, values.get("config"), values.get("summary"))
        return self.get_run_by_id(run.id, tails=True), inserted

    def delete_run(self, run_id):
        rid = record_id(run_id)
        self.ingest.forget_held(rid)
        with self.write():
            # The run's row first, as every writer of its rows takes it (the history folder
            # too): no two of them can wait on each other.
            self._locked_run(rid)
            keys = [f.key for f in RunFile.select(RunFile.key).where(RunFile.run == rid)
                    .order_by(RunFile.name)]
            for model in (HistoryLine, EventLine, ConsoleLine):
                model.delete().where(model.run == rid).execute()
            RunFile.delete().where(RunFile.run == rid).execute()
            self.history.delete_run(rid)
            RunSearch.delete().where(RunSearch.run == rid).execute()
            Run.delete().where(Run.id == rid).execute()
        return keys

    # -- reading runs ------------------------------------------------------------------------
    def get_run(self, entity, project, name, tails=True):
        # Every file_stream request looks its run up: a prepared template.
        run = self.statements.first("run-by-name", lambda e, p, n: self._run_query().where(
            (Entity.name == e) & (Project.name == p) & (Run.name == n)).limit(1),
            entity, project, name)
        return self._run_dict(run, tails=tails) if run else None

    def get_run_by_id(self, run_id, tails=True):
        return self._run_by_id(record_id(run_id), tails)

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
