"""Rollup arithmetic (plugins/sql/history_rollup.py): the aggregates of a chunk, computed from
slices in C for numeric keys and merged into coarser levels, equal the value-by-value
aggregates of every bucket."""

from __future__ import annotations

import random

import pytest

from roost.plugins.sql import history_rollup as rollup
from roost.plugins.sql.history_models import LEVELS


def reference(first_line: int, columns: dict[str, list]) -> dict:
    result = {level: {} for level in LEVELS}
    for key, column in columns.items():
        if key.startswith(rollup.SKIP_PREFIX):
            continue
        for level in LEVELS:
            width = 1 << level
            for bucket in range(first_line >> level, (first_line + len(column) - 1 >> level) + 1):
                low, high = max(bucket * width, first_line), min((bucket + 1) * width,
                                                                first_line + len(column))
                agg = rollup._slow(column[low - first_line:high - first_line], low)
                if agg is not None:
                    result[level][(key, bucket)] = agg
    return result


@pytest.mark.parametrize("seed", range(8))
def test_chunk_aggregates_equal_bucket_by_bucket_aggregates(seed):
    rng = random.Random(seed)
    size = rng.choice([1, 63, 64, 1000, 5000])
    first_line = rng.choice([0, 40, 4095, 70_000])
    columns = {
        "_step": list(range(size)),
        "loss": [rng.random() for _ in range(size)],
        "ints": [rng.randrange(-5, 5) for _ in range(size)],  # ties: the first line wins
        "flag": [rng.random() < 0.5 for _ in range(size)],
        "sparse": [rng.random() if rng.random() < 0.1 else None for _ in range(size)],
        "mixed": [rng.choice([1.5, "text", float("nan"), float("inf"), None, 2**70])
                  for _ in range(size)],
    }
    assert rollup.chunk_aggregates(first_line, columns, LEVELS) == reference(first_line, columns)
