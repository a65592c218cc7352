"""The web UI's reads across projects (roost.core.storage.ui) on the sql plugin's tables."""

from __future__ import annotations

import json

import peewee
from peewee import Case, fn

from roost.core.errors import InvalidArgument
from roost.plugins.sql import run_filters
from roost.plugins.sql.area import SqlArea
from roost.plugins.sql.database import connection_per_call
from roost.plugins.sql.models import Entity, Project, Run, User
from roost.plugins.sql.run_search import RunSearch

# Nested config/summary dicts become dotted column keys down to this depth; deeper values
# show as JSON in one column.
KEY_DEPTH = 3
MAX_KEYS = 2000
MAX_GROUPS = 500
# Group kinds in the order groups are listed.
GROUP_KINDS = ("number", "string", "true", "false", "other", "missing")


def _ids(project_ids: list[str]) -> list[int]:
    return [int(p) for p in project_ids if str(p).isdigit()]


def _document(value):
    """A run_search document as a dict (engines hand JSON back as text or parsed)."""
    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def dotted_values(document, prefix: str = "", depth: int = 1) -> dict:
    """Leaf values by dotted key (nested dicts to KEY_DEPTH); media and "_" keys left out."""
    values: dict = {}
    if not isinstance(document, dict):
        return values
    for key, value in document.items():
        if not isinstance(key, str) or key.startswith("_"):
            continue
        name = prefix + key
        if isinstance(value, dict) and "_type" in value:
            continue  # media (images, tables): not a column value
        if isinstance(value, dict) and value and depth < KEY_DEPTH:
            values.update(dotted_values(value, name + ".", depth + 1))
        else:
            values[name] = value
    return values


def dotted_keys(document) -> set[str]:
    return set(dotted_values(document))


@connection_per_call
class UiStore(SqlArea):
    def entity_projects(self, entity):
        projects = list(Project.select(Project, Entity).join(Entity)
                        .where(Entity.name == entity).order_by(Project.name))
        if not projects:
            return []
        activity = {pid: (count, last) for pid, count, last in
                    Run.select(Run.project, fn.COUNT(Run.id), fn.MAX(Run.heartbeat_at))
                    .where(Run.project.in_([p.id for p in projects]))
                    .group_by(Run.project).tuples()}
        return [{"id": str(p.id), "entity": p.entity.name, "entity_kind": p.entity.kind,
                 "name": p.name, "description": p.description,
                 "visibility": p.visibility or "", "created_at": p.created_at,
                 "run_count": activity.get(p.id, (0, 0))[0],
                 "last_run_at": activity.get(p.id, (0, 0))[1] or 0.0} for p in projects]

    def recent_runs(self, project_ids, limit):
        ids = _ids(project_ids)
        if not ids:
            return []
        query = (self._run_query().where(Run.project.in_(ids))
                 .order_by(Run.heartbeat_at.desc(), Run.id.desc()).limit(max(1, limit)))
        return [self._run_dict(run) for run in query]

    def search_runs(self, project_ids, text, limit):
        ids = _ids(project_ids)
        text = text.strip().lower()
        if not ids or not text:
            return []
        matches = (fn.LOWER(Run.name).contains(text)
                   | fn.LOWER(Run.display_name).contains(text))
        query = (self._run_query().where(Run.project.in_(ids) & matches)
                 .order_by(Run.heartbeat_at.desc(), Run.id.desc()).limit(max(1, limit)))
        return [self._run_dict(run) for run in query]

    def project_keys(self, project_id, runs):
        query = (RunSearch.select(RunSearch.config, RunSearch.summary)
                 .join(Run).where(Run.project == int(project_id))
                 .order_by(Run.created_at.desc()).limit(max(1, runs)).tuples())
        config, summary = set(), set()
        seen: dict[str, set] = {}
        for config_doc, summary_doc in query:
            values = dotted_values(_document(config_doc))
            config |= values.keys()
            for key, value in values.items():
                if len(seen.setdefault(key, set())) < 2:
                    seen[key].add(json.dumps(value, sort_keys=True, default=str))
            summary |= dotted_keys(_document(summary_doc))
        varying = sorted(k for k, v in seen.items() if len(v) > 1)
        return {"config": sorted(config)[:MAX_KEYS], "summary": sorted(summary)[:MAX_KEYS],
                "varying": varying[:MAX_KEYS]}

    def group_runs(self, entity, project, key, filters, stale_before):
        compiler = run_filters.RunFilters(self.engine, stale_before)
        condition = compiler.where(filters)
        path = compiler.json_path(key)
        if path is None:
            raise InvalidArgument(f"runs are grouped by config.<key> or summary_metrics.<key>, "
                                  f"not {key!r}")
        project_id = self._project_id(entity, project)
        if project_id is None:
            return []
        kind = Case(None, [(path.is_number(), 0), (path.is_string(), 1),
                           (path.is_bool(True), 2), (path.is_bool(False), 3),
                           (path.exists(), 4)], 5)
        number, text = fn.COALESCE(path.number(), 0.0), fn.COALESCE(path.string(), "")
        query = (Run.select(kind.alias("k"), number.alias("n"), text.alias("s"),
                            fn.COUNT(Run.id).alias("c"))
                 .join(RunSearch, peewee.JOIN.LEFT_OUTER, on=(RunSearch.run == Run.id))
                 .switch(Run).join(User, peewee.JOIN.LEFT_OUTER)
                 .where((Run.project == project_id) & condition)
                 .group_by(kind, number, text).order_by(kind, number, text)
                 .limit(MAX_GROUPS).tuples())
        groups = []
        for k, n, s, count in self._database_errors(lambda: list(query)):
            name = GROUP_KINDS[int(k)]
            value = {"number": n, "string": s, "true": True, "false": False}.get(name)
            if name == "number" and float(n).is_integer():
                value = int(n)
            groups.append({"kind": "boolean" if name in ("true", "false") else name,
                           "value": value, "count": count})
        return groups
