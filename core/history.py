"""Turn raw file_stream content into what storage keeps: steps, history keys, summary."""

from __future__ import annotations

import math
from collections import Counter
from itertools import chain, repeat
from operator import contains, itemgetter
from types import NoneType
from typing import Any

import orjson

from roost.core.errors import InvalidArgument
from roost.core.formats import parse_line
from roost.core.storage import FileStreamUpdate, StreamLines

HISTORY = "wandb-history.jsonl"
EVENTS = "wandb-events.jsonl"
SUMMARY = "wandb-summary.json"
CONSOLE = "output.log"
KNOWN_FILES = (HISTORY, EVENTS, SUMMARY, CONSOLE)


class SampledRows(list):
    """Rows of a sampled history read. ``buckets``: the rows were chosen as each bucket's
    minimum, maximum and last value in this many even buckets of the range, so a chart of
    them draws no finer (0: every matching row is here)."""

    buckets = 0

    def __init__(self, rows=(), buckets: int = 0):
        super().__init__(rows)
        self.buckets = buckets


# Kinds by exact type (what wandb's historyKeys calls each JSON value).
_KINDS = {float: "number", int: "number", bool: "boolean", str: "string", list: "list",
          NoneType: "null"}


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


def columns_of(rows: list[dict]) -> dict[str, list]:
    """Each key of ``rows`` (in the order keys first appear) -> its values, one per row,
    None where a row lacks the key or holds null."""
    first = tuple(rows[0]) if rows else ()
    # The usual chunk: rows as long as the first that all hold its keys hold no others, and
    # one transposition in C gives every column.
    if len(first) > 1 and set(map(len, rows)) == {len(first)}:
        try:
            return dict(zip(first, map(list, zip(*map(itemgetter(*first), rows)))))
        except KeyError:
            pass
    keys = dict.fromkeys(chain.from_iterable(rows))
    return {key: list(map(dict.get, rows, repeat(key))) for key in keys}


def _parse_rows(offset: int, lines: list[str]) -> tuple[list, bool]:
    """Every line parsed; also whether some line needed the lenient parser (NaN/Infinity)."""
    try:
        return list(map(orjson.loads, lines)), False
    except orjson.JSONDecodeError:
        return [parse_line(line, HISTORY, offset + i) for i, line in enumerate(lines)], True


def _type_counts(rows: list[dict], key: str, column: list, classes: set,
                 lenient: bool) -> dict[str, int]:
    """The typeCounts of one key from the exact types of its values (found in C); the values
    themselves are looked at only where a type needs it: null or absent, NaN, media."""
    counts: dict[str, int] = {}

    def add(kind: str, n: int) -> None:
        if n:
            counts[kind] = counts.get(kind, 0) + n

    by_class = {next(iter(classes)): len(column)} if len(classes) == 1 else Counter(map(type, column))
    for value_class, n in by_class.items():
        if value_class is NoneType:
            add("null", sum(map(contains, rows, repeat(key))) - (len(column) - n))
        elif value_class is float and lenient:  # only the lenient parser yields NaN
            nans = sum(1 for value in column if value != value)
            add("number", n - nans)
            add("nan", nans)
        elif value_class is dict:
            for value in column:
                if type(value) is dict:
                    add(str(value.get("_type", "map")), 1)
        else:
            add(_KINDS.get(value_class, "null"), n)
    return counts


def _steps(offset: int, column: list | None, count: int) -> list[int | None]:
    if column is None:
        return [None] * count
    if set(map(type, column)) <= {int, NoneType}:
        return column
    for i, step in enumerate(column):
        if step is not None and (type(step) not in (int, float) or not math.isfinite(step)):
            raise InvalidArgument(f"{HISTORY}: line {offset + i} has a non-numeric _step")
    return [None if step is None else int(step) for step in column]


def history_update(offset: int, lines: list[str]) -> tuple[StreamLines, dict]:
    """Parse a chunk of history lines key by key: 1,000 lines usually hold a dozen keys, and
    a pass over a key's column in C costs far less than Python code per value."""
    rows, lenient = _parse_rows(offset, lines)
    if set(map(type, rows)) != {dict}:
        first = next(i for i, row in enumerate(rows) if type(row) is not dict)
        raise InvalidArgument(f"{HISTORY}: line {offset + first} is not a JSON object")
    columns = columns_of(rows)
    classes = {key: set(map(type, column)) for key, column in columns.items()}
    if any(dict in types for types in classes.values()):
        rows = list(map(flatten, rows))  # nested dicts become dotted keys; media stays whole
        columns = columns_of(rows)
        classes = {key: set(map(type, column)) for key, column in columns.items()}
    steps = _steps(offset, columns.get("_step"), len(rows))
    delta: dict[str, Any] = {"keys": {key: _type_counts(rows, key, column, classes[key], lenient)
                                      for key, column in columns.items()}}
    known = [step for step in steps if step is not None]
    if known:
        delta["lastStep"] = max(known)
    return StreamLines(offset, lines, steps, rows, columns), delta


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
