"""Reads the researchers' web UI makes beyond the Public API's: home, search, columns,
capabilities and chart series. Every one goes through the Core's permission checks.

The Core owns one ``UiReads`` (``core.ui``); the UiService servicer calls it.
"""

from __future__ import annotations

import json
import math

from roost.core import access
from roost.core.auth import Principal
from roost.core.authorizer import present_run, stale_before
from roost.core.errors import InvalidArgument, NotFound, PermissionDenied, Unauthenticated

MAX_RECENT_RUNS = 50
MAX_SEARCH_RESULTS = 50
# Keys sampled per RunSeries call, and points per key.
MAX_SERIES_KEYS = 64
MIN_SAMPLES, MAX_SAMPLES = 16, 6000
# Runs per RunsSeries call (a workspace shows at most this many at once).
MAX_SERIES_RUNS = 200
# The runs-table column chooser looks at this many of a project's latest runs.
KEY_SAMPLE_RUNS = 500
STEP_KEYS = ("_step", "_runtime", "_timestamp")


def _number(value) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    return None


class UiReads:
    def __init__(self, storage, authorizer):
        self.storage = storage
        self.authorizer = authorizer

    # -- permissions -------------------------------------------------------------------------
    def may(self, principal: Principal, action: str, resource: dict) -> bool:
        try:
            self.authorizer.check(principal, action, resource)
        except (PermissionDenied, NotFound, Unauthenticated):
            return False
        return True

    def capabilities(self, principal: Principal, entity: str, project: str,
                     actions: list[str]) -> list[str]:
        for action in actions:
            area, _, verb = action.partition(":")
            if not area or not verb:
                raise InvalidArgument(f"an action is 'area:verb', got {action!r}")
        return [a for a in actions
                if self.may(principal, a, {"entity": entity, "project": project})]

    # -- entities and projects ---------------------------------------------------------------
    def _teams(self, principal: Principal) -> list[dict]:
        if principal.kind not in ("user", "service") or not principal.user_id:
            return []
        teams = []
        for name in sorted(self.storage.teams_of(principal.user_id)):
            facts = self.storage.entity_access(name, "", principal.user_id) or {}
            teams.append({"name": name, "role": facts.get("role") or "member"})
        return teams

    def _readable_projects(self, principal: Principal, entity: str) -> list[dict]:
        projects = [p for p in self.storage.entity_projects(entity)
                    if self.may(principal, "project:read",
                                {"entity": p["entity"], "project": p["name"]})]
        for project in projects:
            project["visibility"] = (project["visibility"]
                                     or access.default_visibility(project["entity_kind"]))
        return projects

    def _my_projects(self, principal: Principal) -> tuple[list[dict], list[dict]]:
        teams = self._teams(principal)
        entities = ([principal.default_entity] if principal.default_entity else [])
        entities += [t["name"] for t in teams if t["name"] not in entities]
        projects = []
        for entity in entities:
            projects += self._readable_projects(principal, entity)
        projects.sort(key=lambda p: (-(p["last_run_at"] or p["created_at"]), p["entity"],
                                     p["name"]))
        return teams, projects

    def home(self, principal: Principal, recent_runs: int) -> dict:
        teams, projects = self._my_projects(principal)
        limit = min(max(recent_runs, 1), MAX_RECENT_RUNS)
        runs = self.storage.recent_runs([p["id"] for p in projects], limit)
        return {"teams": teams, "projects": projects,
                "recent_runs": [present_run(r) for r in runs]}

    def search(self, principal: Principal, text: str, limit: int) -> dict:
        text = (text or "").strip()
        if not text:
            return {"projects": [], "runs": []}
        if len(text) > 200:
            raise InvalidArgument("search text is limited to 200 characters")
        limit = min(max(limit, 1), MAX_SEARCH_RESULTS)
        _, projects = self._my_projects(principal)
        needle = text.lower()
        matching = [p for p in projects if needle in p["name"].lower()
                    or needle in p["entity"].lower()][:limit]
        runs = self.storage.search_runs([p["id"] for p in projects], text, limit)
        return {"projects": matching, "runs": [present_run(r) for r in runs]}

    def entity_projects(self, principal: Principal, entity: str) -> dict:
        found = self.storage.get_entity(entity)
        if found is None:
            raise NotFound(f"entity {entity!r} does not exist")
        role = ""
        if found["kind"] == "team" and principal.user_id and principal.kind != "share":
            role = (self.storage.entity_access(entity, "", principal.user_id) or {}).get(
                "role") or ""
        projects = self._readable_projects(principal, entity)
        projects.sort(key=lambda p: -(p["last_run_at"] or p["created_at"]))
        return {"entity": entity, "kind": found["kind"], "role": role, "projects": projects}

    def project_keys(self, principal: Principal, entity: str, project: str) -> dict:
        found = self.authorizer.project(principal, entity, project)
        return self.storage.project_keys(found["id"], KEY_SAMPLE_RUNS)

    def group_runs(self, principal: Principal, entity: str, project: str, key: str,
                   filters: str) -> list[dict]:
        self.authorizer.project(principal, entity, project)
        return self.storage.group_runs(entity, project, key, filters or "", stale_before())

    # -- charts ------------------------------------------------------------------------------
    def run_series(self, principal: Principal, entity: str, project: str, name: str,
                   keys: list[str], samples: int, min_step: int | None,
                   max_step: int | None, x_key: str = "") -> dict:
        run = self.authorizer.run(principal, entity, project, name)
        keys = self._series_keys(keys)
        samples = min(max(int(samples or 0), MIN_SAMPLES), MAX_SAMPLES)
        try:
            last_step = int(json.loads(run.get("history_keys") or "{}").get("lastStep", -1))
        except (ValueError, TypeError, AttributeError):
            last_step = -1
        series = [self._series(run["id"], key, samples, min_step, max_step, x_key)
                  for key in keys]
        return {"series": series, "last_step": last_step}

    def runs_series(self, principal: Principal, entity: str, project: str, names: list[str],
                    keys: list[str], samples: int, x_key: str = "") -> list[dict]:
        """run_series of several runs of one project; runs one may not read are left out."""
        self.authorizer.project(principal, entity, project)
        if len(names) > MAX_SERIES_RUNS:
            raise InvalidArgument(f"at most {MAX_SERIES_RUNS} runs per request")
        keys = self._series_keys(keys)
        samples = min(max(int(samples or 0), MIN_SAMPLES), MAX_SAMPLES)
        out = []
        for name in dict.fromkeys(n for n in names if n):
            try:
                run = self.authorizer.run(principal, entity, project, name)
            except (NotFound, PermissionDenied):
                continue
            out.append({"run": name, "series": [
                self._series(run["id"], key, samples, None, None, x_key) for key in keys]})
        return out

    @staticmethod
    def _series_keys(keys: list[str]) -> list[str]:
        keys = list(dict.fromkeys(k for k in keys if k))
        if len(keys) > MAX_SERIES_KEYS:
            raise InvalidArgument(f"at most {MAX_SERIES_KEYS} keys per request")
        return keys

    def _series(self, run_id: str, key: str, samples: int, min_step: int | None,
                max_step: int | None, x_key: str = "") -> dict:
        extra = [x_key] if x_key and x_key != key and x_key not in STEP_KEYS else []
        wanted = [key] + extra + [k for k in STEP_KEYS if k != key]
        rows = self.storage.sample_history(run_id, wanted, samples, min_step, max_step)
        if not rows and key != "_step":
            # Rows written without _runtime/_timestamp (not by the SDK) still chart by step.
            rows = self.storage.sample_history(run_id, [key, *extra, "_step"], samples,
                                               min_step, max_step)
        out = {"key": key, "steps": [], "values": [], "runtimes": [], "timestamps": [],
               "buckets": getattr(rows, "buckets", 0), "xs": []}
        for row in rows:
            value, step = _number(row.get(key)), _number(row.get("_step"))
            x = _number(row.get(x_key)) if extra else None
            if value is None or step is None or (extra and x is None):
                continue
            out["steps"].append(step)
            out["values"].append(value)
            out["runtimes"].append(_number(row.get("_runtime")) or 0.0)
            out["timestamps"].append(_number(row.get("_timestamp")) or 0.0)
            if extra:
                out["xs"].append(x)
        return out
