"""Turn the core's messages into what pages and their JSON show: plain dicts, unwrapped
config, flattened summaries, media references. No HTML here: templates escape every string."""

from __future__ import annotations

import json
import math
from typing import Any

from roost.admin.ui.runtime import run_runtime
from roost.core.formats import parse_line

# wandb keeps its own bookkeeping under these keys; pages show them apart or not at all.
INTERNAL_PREFIX = "_"
MEDIA_TYPES = {"image-file", "images/separated", "table-file", "histogram", "audio-file",
               "video-file", "html-file", "object3D-file", "plotly-file", "bokeh-file",
               "joined-table", "partitioned-table", "molecule-file", "table"}
RUN_FIELDS = ("name", "display_name", "state", "created_at", "heartbeat_at", "username",
              "tags", "group", "job_type", "notes", "host", "sweep", "commit", "program")


def loads(text: str, default=None) -> Any:
    """JSON as wandb writes it (bare NaN/Infinity allowed); ``default`` when empty/invalid."""
    if not text:
        return {} if default is None else default
    try:
        return parse_line(text, "document", 0)
    except Exception:  # a page shows what it can of a damaged document
        return {} if default is None else default


def unwrap_config(config: dict) -> dict:
    """``{"lr": {"value": 0.1, "desc": None}}`` -> ``{"lr": 0.1}``, without ``_wandb``."""
    out = {}
    for key, value in (config or {}).items():
        if key == "_wandb":
            continue
        if isinstance(value, dict) and "value" in value and set(value) <= {"value", "desc"}:
            value = value["value"]
        out[key] = value
    return out


def flatten(document: Any, prefix: str = "", depth: int = 3) -> dict[str, Any]:
    """Nested dicts as dotted keys (media objects stay whole), to ``depth`` levels."""
    out: dict[str, Any] = {}
    if not isinstance(document, dict):
        return out
    for key, value in document.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value and "_type" not in value and depth > 1:
            out.update(flatten(value, name + ".", depth - 1))
        else:
            out[name] = value
    return out


def jsonable(value: Any) -> Any:
    """NaN and Infinity as strings: browsers' JSON.parse refuses the bare words."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def is_media(value: Any) -> bool:
    return isinstance(value, dict) and value.get("_type") in MEDIA_TYPES


def run_fields(run) -> dict:
    """The scalar fields of a Run message (no config/summary documents)."""
    return {
        "name": run.name, "display_name": run.display_name or run.name, "state": run.state,
        "entity": run.entity, "project": run.project, "created_at": run.created_at,
        "heartbeat_at": run.heartbeat_at, "username": run.username, "tags": list(run.tags),
        "group": run.group, "job_type": run.job_type, "notes": run.notes, "host": run.host,
        "sweep": run.sweep, "commit": run.commit, "program": run.program,
        "runtime": run_runtime(run, loads(run.summary_metrics)),
    }


def run_documents(run) -> dict:
    summary = loads(run.summary_metrics)
    return {
        "config": unwrap_config(loads(run.config)),
        "summary": {k: v for k, v in summary.items() if k != "_wandb"},
        "system": loads(run.system_metrics),
        "history_keys": loads(run.history_keys),
    }


def history_key_groups(history_keys: dict) -> tuple[list[tuple[str, list[str]]], list[dict]]:
    """Chartable keys grouped by prefix (``train/loss`` -> ``train``), and media keys.

    A key is chartable when it held numbers; media keys carry their wandb type.
    """
    keys = history_keys.get("keys") or {}
    numeric, media = [], []
    for name in sorted(keys):
        if name.startswith(INTERNAL_PREFIX):
            continue
        kinds = type_names(keys[name])
        if kinds & {"number", "nan", "boolean"}:
            numeric.append(name)
        media_kinds = sorted(kinds & MEDIA_TYPES)
        if media_kinds:
            media.append({"key": name, "type": media_kinds[0]})
    groups: dict[str, list[str]] = {}
    for name in numeric:
        prefix = name.split("/", 1)[0] if "/" in name else ""
        groups.setdefault(prefix, []).append(name)
    ordered = sorted(groups.items(), key=lambda item: (item[0] == "", item[0]))
    return ordered, media


def type_names(entry: Any) -> set[str]:
    """The value types a history-keys entry (``{"typeCounts": [{"type", "count"}]}``) saw."""
    if not isinstance(entry, dict):
        return set()
    return {t.get("type", "") for t in entry.get("typeCounts") or [] if isinstance(t, dict)}


def system_series_keys(history_keys: dict) -> list[str]:
    return sorted(k for k in (history_keys.get("keys") or {}) if k.startswith("system/"))


def dumps(value: Any) -> str:
    return json.dumps(jsonable(value), indent=2, sort_keys=True, default=str)
