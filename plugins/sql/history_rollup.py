"""Rollup arithmetic of the history engine, in plain Python (no database here).

An aggregate is a list ``[count, first_line, last_line, min_value, min_line, max_value,
max_line, odd_line]`` over the values of one key in a run of lines. Minimum and maximum cover
finite numbers (booleans count as 0/1); ``odd_line`` is the first line holding NaN or
+-Infinity. Merging is order independent, so a bucket can be built from any split of its
lines: chunk by chunk at ingest, or unit by unit when a read groups buckets.
"""

from __future__ import annotations

import math
from typing import Any, Iterable

COUNT, FIRST, LAST, MIN_V, MIN_L, MAX_V, MAX_L, ODD = range(8)
# Keys the SDK writes on every row (and "_wandb" bookkeeping) get no rollup: a read that asks
# only for them samples lines directly.
SKIP_PREFIX = "_"
FINITE_LIMIT = 1.7976931348623157e308


def merge(a: list, b: list) -> list:
    out = [a[COUNT] + b[COUNT], min(a[FIRST], b[FIRST]), max(a[LAST], b[LAST]),
           a[MIN_V], a[MIN_L], a[MAX_V], a[MAX_L], a[ODD]]
    if b[MIN_V] is not None and (a[MIN_V] is None or b[MIN_V] < a[MIN_V]
                                 or (b[MIN_V] == a[MIN_V] and b[MIN_L] < a[MIN_L])):
        out[MIN_V], out[MIN_L] = b[MIN_V], b[MIN_L]
    if b[MAX_V] is not None and (a[MAX_V] is None or b[MAX_V] > a[MAX_V]
                                 or (b[MAX_V] == a[MAX_V] and b[MAX_L] < a[MAX_L])):
        out[MAX_V], out[MAX_L] = b[MAX_V], b[MAX_L]
    if b[ODD] is not None and (a[ODD] is None or b[ODD] < a[ODD]):
        out[ODD] = b[ODD]
    return out


def _slow(values: list, first_line: int) -> list | None:
    """Aggregate values of any type, one by one (mixed types, NaN, huge numbers)."""
    agg = None
    for offset, value in enumerate(values):
        if value is None:
            continue
        line = first_line + offset
        if agg is None:
            agg = [0, line, line, None, None, None, None, None]
        agg[COUNT] += 1
        agg[LAST] = line
        kind = type(value)
        if kind is bool or kind is int or kind is float:
            number = float(value) if kind is not int or abs(value) < FINITE_LIMIT else math.inf
            if not math.isfinite(number):
                if agg[ODD] is None:
                    agg[ODD] = line
                continue
            if agg[MIN_V] is None or number < agg[MIN_V]:
                agg[MIN_V], agg[MIN_L] = number, line
            if agg[MAX_V] is None or number > agg[MAX_V]:
                agg[MAX_V], agg[MAX_L] = number, line
    return agg


def _numeric(column: list) -> bool:
    """Whether every value is a finite number (summed in C: fails fast on anything else)."""
    if None in column:
        return False
    try:
        total = sum(column)
    except TypeError:
        return False
    return total - total == 0 and not (total.__class__ is int and abs(total) >= FINITE_LIMIT)


def _segments(first_line: int, end_line: int, level: int):
    """(start, stop) line ranges of the level's buckets that [first_line, end_line) touches."""
    width = 1 << level
    start = first_line
    while start < end_line:
        stop = min(((start >> level) + 1) * width, end_line)
        yield start, stop
        start = stop


def chunk_aggregates(first_line: int, columns: dict[str, list], levels: Iterable[int]) -> dict:
    """Aggregates of every user key of ``columns`` (key -> its value on lines first_line...,
    None where absent) per level.

    Returns ``{level: {(key, bucket): aggregate}}``. The finest buckets come from the values:
    slice by slice in C when a key holds only finite numbers (the common case), value by
    value otherwise. Coarser buckets merge the finer ones (a few merges cost less than
    passes over their values).
    """
    levels = sorted(levels)
    finest = levels[0]
    result: dict[int, dict] = {level: {} for level in levels}
    for key, column in columns.items():
        if key.startswith(SKIP_PREFIX):
            continue
        end_line = first_line + len(column)
        numeric = _numeric(column)
        buckets: dict[int, list] = {}
        for start, stop in _segments(first_line, end_line, finest):
            values = column[start - first_line:stop - first_line]
            if numeric:
                low, high = min(values), max(values)
                buckets[start >> finest] = [
                    stop - start, start, stop - 1, float(low), start + values.index(low),
                    float(high), start + values.index(high), None]
            else:
                agg = _slow(values, start)
                if agg is not None:
                    buckets[start >> finest] = agg
        result[finest].update(((key, bucket), agg) for bucket, agg in buckets.items())
        for finer, level in zip(levels, levels[1:]):
            coarse: dict[int, list] = {}
            shift = level - finer
            for bucket, agg in buckets.items():
                existing = coarse.get(bucket >> shift)
                coarse[bucket >> shift] = agg if existing is None else merge(existing, agg)
            result[level].update(((key, bucket), agg) for bucket, agg in coarse.items())
            buckets = coarse
    return result


def sample_points(agg: list) -> list[int]:
    """The lines a downsampled read shows for one bucket: its min, max, last and first odd
    value (deduplicated)."""
    lines = {agg[LAST]}
    for index in (MIN_L, MAX_L, ODD):
        if agg[index] is not None:
            lines.add(agg[index])
    return sorted(lines)


def downsample_values(lines: list[int], values: list[Any], buckets: int) -> list[int]:
    """Choose lines among in-memory (line, value) pairs by the same min/max/last rule, plus
    the first."""
    if not lines:
        return []
    span_start, span = lines[0], lines[-1] - lines[0] + 1
    groups: dict[int, list] = {}
    for line, value in zip(lines, values):
        slot = (line - span_start) * buckets // span
        agg = _slow([value], line) or [1, line, line, None, None, None, None, None]
        existing = groups.get(slot)
        groups[slot] = agg if existing is None else merge(existing, agg)
    chosen: set[int] = {lines[0]}
    for agg in groups.values():
        chosen.update(sample_points(agg))
    return sorted(chosen)
