"""Turn raw file_stream content into what storage keeps: steps, history keys, summary."""

from __future__ import annotations

import json
import math
from typing import Any

import orjson

from roost.core.errors import InvalidArgument
from roost.core.storage import FileStreamUpdate, StreamLines

HISTORY = "wandb-history.jsonl"
EVENTS = "wandb-events.jsonl"
SUMMARY = "wandb-summary.json"
CONSOLE = "output.log"
KNOWN_FILES = (HISTORY, EVENTS, SUMMARY, CONSOLE)


def parse_line(line: str, label: str, number: int) -> dict:
    """Parse one line of wandb's "extended JSON" (bare NaN/Infinity allowed)."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        try:
            value = json.loads(line)  # the standard parser accepts NaN and Infinity
        except ValueError as exc:
            raise InvalidArgument(f"{label}: line {number} is not valid JSON ({exc})") from None
    if not isinstance(value, dict):
        raise InvalidArgument(f"{label}: line {number} is not a JSON object")
    return value


# Kinds by exact type: a dict lookup, where isinstance chains cost a call per value at
# file_stream rates (1,000 lines of a dozen keys per request).
_KINDS = {float: "number", int: "number", bool: "boolean", str: "string", list: "list",
          type(None): "null"}


def value_type(value: Any) -> str:
    kind = _KINDS.get(type(value))
    if kind is not None:
        return "nan" if kind == "number" and value != value else kind
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "nan" if isinstance(value, float) and math.isnan(value) else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return str(value.get("_type", "map"))
    if isinstance(value, list):
        return "list"
    return "null"


def _nested(value: Any) -> bool:
    return type(value) is dict and bool(value) and "_type" not in value


def flatten(row: dict, prefix: str = "") -> dict[str, Any]:
    """Nested dicts become dotted keys; media objects (with ``_type``) stay whole."""
    if not any(_nested(value) for value in row.values()):
        return {prefix + key: value for key, value in row.items()} if prefix else row
    flat: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if _nested(value):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def _count_types(type_counts: dict[str, dict[str, int]], key: str, kind: str, n: int) -> None:
    counts = type_counts.get(key)
    if counts is None:
        counts = type_counts[key] = {}
    counts[kind] = counts.get(kind, 0) + n


def history_update(offset: int, lines: list[str]) -> tuple[StreamLines, dict]:
    steps: list[int | None] = []
    rows: list[dict] = []
    type_counts: dict[str, dict[str, int]] = {}
    # Rows of plain scalars that orjson parsed (so no NaN/Infinity) are counted by their
    # (keys, types) signature: a chunk of 1,000 lines usually has one or two signatures, and
    # counting them costs a C-level pass per row instead of a Python loop per value.
    signatures: dict[tuple, int] = {}
    last_step = None
    for i, line in enumerate(lines):
        try:
            row = orjson.loads(line)
            exact = type(row) is dict
        except orjson.JSONDecodeError:
            row, exact = None, False
        if not exact:
            row = parse_line(line, HISTORY, offset + i)
        step = row.get("_step")
        if step is not None and (isinstance(step, bool) or not isinstance(step, (int, float))):
            raise InvalidArgument(f"{HISTORY}: line {offset + i} has a non-numeric _step")
        step = int(step) if step is not None else None
        steps.append(step)
        if step is not None and (last_step is None or step > last_step):
            last_step = step
        types = tuple(map(type, row.values()))
        if exact and dict not in types:
            rows.append(row)
            signature = (tuple(row), types)
            signatures[signature] = signatures.get(signature, 0) + 1
            continue
        flat = flatten(row)
        rows.append(flat)
        for key, value in flat.items():
            _count_types(type_counts, key, value_type(value), 1)
    for (keys, types), n in signatures.items():
        for key, value_class in zip(keys, types):
            _count_types(type_counts, key, _KINDS.get(value_class) or "null", n)
    delta: dict[str, Any] = {"keys": type_counts}
    if last_step is not None:
        delta["lastStep"] = last_step
    return StreamLines(offset, lines, steps, rows), delta


def build_update(files: dict[str, tuple[int, list[str]]], uploaded: list[str],
                 complete: bool, exitcode: int | None, preempting: bool) -> FileStreamUpdate:
    """Validate and parse one file_stream request; raises InvalidArgument, storing nothing."""
    update = FileStreamUpdate(uploaded=uploaded, complete=complete, exitcode=exitcode,
                              preempting=preempting)
    for name, (offset, lines) in files.items():
        if offset < 0:
            raise InvalidArgument(f"{name}: offset must be >= 0, got {offset}")
        if name == HISTORY and lines:
            update.history, update.history_keys = history_update(offset, lines)
        elif name == EVENTS and lines:
            for i, line in enumerate(lines):
                parse_line(line, EVENTS, offset + i)
            update.events = StreamLines(offset, lines)
            update.system_metrics = lines[-1]
        elif name == SUMMARY and lines:
            # The backend only looks at the last line: it is always the entire summary.
            parse_line(lines[-1], SUMMARY, offset + len(lines) - 1)
            update.summary = lines[-1]
        elif name == CONSOLE and lines:
            update.console = StreamLines(offset, lines)
        elif name not in KNOWN_FILES:
            raise InvalidArgument(f"unknown file_stream file {name!r}; expected one of "
                                  + ", ".join(KNOWN_FILES))
    return update
