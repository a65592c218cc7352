"""A report panel grid's runsets, turned into the runs they show.

A runset (W&B's spec) names a project, filters (``filterV2`` or the older tree of
``{"op": "OR"|"AND", "filters": [...]}``), a grouping, a sort, a search and a selection. Roost
lists the project's runs through the runs filter language (the same Mongo-style JSON as the
Public API), so the report draws exactly the runs its reader may see.
"""

from __future__ import annotations

import json
import re

from roost.core.errors import InvalidArgument

OPS = {"=": "$eq", "==": "$eq", "!=": "$ne", "<": "$lt", ">": "$gt", "<=": "$lte",
       ">=": "$gte", "IN": "$in", "NIN": "$nin"}
RUN_FIELDS = {"displayName": "display_name", "name": "name", "state": "state",
              "group": "group", "jobType": "job_type", "username": "username", "tags": "tags",
              "createdAt": "created_at", "heartbeatAt": "heartbeat_at", "host": "host",
              "sweep": "sweep"}
ORDER_FIELDS = {"createdAt": "created_at", "heartbeatAt": "heartbeat_at",
                "displayName": "display_name", "name": "name", "state": "state"}
MAX_RUNS = 50


def field_of(key: dict) -> str:
    """The runs filter field of a W&B key ``{"section": ..., "name": ...}``."""
    section, name = key.get("section", ""), str(key.get("name", ""))
    if section == "config":
        return "config." + name.removesuffix(".value")
    if section == "summary":
        return "summary_metrics." + name
    if section == "run" and name in RUN_FIELDS:
        return RUN_FIELDS[name]
    if section in ("run", "tags"):
        return "tags" if section == "tags" else name
    raise InvalidArgument(f"a runset filters on {section}.{name}, which Roost cannot filter by")


def _condition(item: dict):
    if "filters" in item:  # a group of conditions
        parts = [p for p in (_condition(f) for f in item.get("filters") or []) if p]
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return {"$or" if str(item.get("op", "AND")).upper() == "OR" else "$and": parts}
    if item.get("disabled") or "key" not in item:
        return None
    op = OPS.get(str(item.get("op", "=")).upper())
    if op is None:
        raise InvalidArgument(f"a runset filter uses the operator {item.get('op')!r}, which "
                              "Roost does not know")
    field, value = field_of(item["key"]), item.get("value")
    if field == "tags" and op in ("$eq", "$ne") and isinstance(value, str):
        return {"tags": {"$in" if op == "$eq" else "$nin": [value]}}
    return {field: {op: value}}


def mongo_filters(runset: dict) -> str:
    """The runs filter (JSON text, "" for every run) of a runset: filters, search, selection."""
    parts = []
    filters = runset.get("filters")
    if isinstance(filters, dict):
        found = _condition(filters)
        if found:
            parts.append(found)
    query = ((runset.get("search") or {}).get("query") or "").strip()
    if query:
        pattern = query if (runset.get("search") or {}).get("isRegex") else re.escape(query)
        parts.append({"display_name": {"$regex": pattern, "$options": "i"}})
    selections = runset.get("selections") or {}
    chosen = [str(t) for t in selections.get("tree") or [] if isinstance(t, str)]
    if chosen:
        # root 1: the tree lists hidden runs; root 0: the tree lists the only visible ones.
        parts.append({"name": {"$nin" if selections.get("root", 1) == 1 else "$in": chosen}})
    elif selections.get("root") == 0:
        parts.append({"name": {"$in": []}})
    if not parts:
        return ""
    return json.dumps(parts[0] if len(parts) == 1 else {"$and": parts})


def order_of(runset: dict) -> str:
    keys = ((runset.get("sort") or {}).get("keys") or [])
    if keys:
        key = keys[0].get("key") or {}
        sign = "+" if keys[0].get("ascending") else "-"
        if key.get("section") == "run" and key.get("name") in ORDER_FIELDS:
            return sign + ORDER_FIELDS[key["name"]]
        if key.get("section") in ("config", "summary"):
            return sign + field_of(key)
    return "-created_at"


def grouping_of(runset: dict) -> list[str]:
    """The runset's group-by keys as runs filter fields (config.opt, group, ...)."""
    keys = []
    for key in runset.get("grouping") or []:
        try:
            keys.append(field_of(key))
        except InvalidArgument:
            continue
    return keys


def runset_project(runset: dict, entity: str, project: str) -> tuple[str, str]:
    found = runset.get("project") or {}
    return found.get("entityName") or entity, found.get("name") or project


def panel_grid_runsets(spec: dict, path: str) -> list[dict]:
    """The runsets of the panel grid at ``path``: a block index, or indexes through the
    collapsed children of headings ("3.0")."""
    blocks, block = spec.get("blocks") or [], None
    for part in path.split("."):
        index = int(part) if part.isdigit() else len(blocks)
        if index >= len(blocks) or not isinstance(blocks[index], dict):
            block = None
            break
        block = blocks[index]
        blocks = block.get("collapsedChildren") or []
    if block is None or block.get("type") != "panel-grid":
        raise InvalidArgument(f"block {path} of this report is not a panel grid")
    return (block.get("metadata") or {}).get("runSets") or []
