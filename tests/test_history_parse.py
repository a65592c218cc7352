"""Parsing a file_stream history chunk key by key (core/history.py) gives what a plain reading
of each line, value by value, gives: steps, flattened rows, columns and wandb's typeCounts."""

from __future__ import annotations

import json
import math
import random

import pytest

from roost.core import history
from roost.core.errors import InvalidArgument


def reference(offset: int, lines: list[str]) -> tuple[list, list, dict]:
    """The obvious per-value reading, slow and simple: what history_update must equal."""
    steps, rows, keys = [], [], {}
    for number, line in enumerate(lines, start=offset):
        row = history.flatten(history.parse_line(line, history.HISTORY, number))
        step = row.get("_step")
        steps.append(None if step is None else int(step))
        rows.append(row)
        for key, value in row.items():
            if isinstance(value, bool):
                kind = "boolean"
            elif isinstance(value, (int, float)):
                kind = "nan" if value != value else "number"
            elif isinstance(value, str):
                kind = "string"
            elif isinstance(value, list):
                kind = "list"
            elif isinstance(value, dict):
                kind = str(value.get("_type", "map"))
            else:
                kind = "null"
            counts = keys.setdefault(key, {})
            counts[kind] = counts.get(kind, 0) + 1
    delta = {"keys": keys}
    known = [s for s in steps if s is not None]
    if known:
        delta["lastStep"] = max(known)
    return steps, rows, delta


ODD_VALUES = [None, True, False, "text", [1, 2], {}, float("nan"), float("inf"), -float("inf"),
              2**70, 0, 1.5, {"_type": "image-file", "path": "media/x.png"},
              {"inner": 1, "deeper": {"x": "y"}}]


def random_chunk(rng: random.Random, size: int, odd: float) -> list[str]:
    lines = []
    for step in range(size):
        row = {"_step": step if rng.random() > 0.05 else float(step), "loss": rng.random()}
        if rng.random() < 0.5:
            row["acc"] = rng.random()
        if rng.random() < odd:
            row[rng.choice(["loss", "acc", "extra", "nested"])] = rng.choice(ODD_VALUES)
        if rng.random() < odd / 2:
            row = dict(reversed(list(row.items())))  # same keys, another order
        lines.append(json.dumps(row))
    return lines


def same(a, b) -> bool:
    """Equality where NaN equals NaN (rows hold the values as logged)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("odd", [0.0, 0.02, 0.3])
def test_history_update_equals_the_per_value_reading(seed, odd):
    rng = random.Random(seed)
    lines = random_chunk(rng, rng.choice([1, 7, 200, 1000]), odd)
    offset = rng.randrange(5000)
    parsed, delta = history.history_update(offset, lines)
    steps, rows, expected = reference(offset, lines)
    assert parsed.offset == offset and parsed.lines == lines
    assert parsed.steps == steps and same(parsed.rows, rows)
    for key in delta["keys"]:  # counts compared as mappings: their order carries no meaning
        assert delta["keys"][key] == expected["keys"][key], key
    assert list(delta["keys"]) == list(expected["keys"])
    assert delta.get("lastStep") == expected.get("lastStep")
    for key, column in parsed.columns.items():
        assert same(column, [row.get(key) for row in rows]), key
    assert set(parsed.columns) == {key for row in rows for key in row}


def test_uniform_chunk_columns_follow_the_rows():
    lines = [json.dumps({"_step": i, "a": i * 0.5, "b": "x"}) for i in range(5)]
    parsed, delta = history.history_update(0, lines)
    assert parsed.columns == {"_step": [0, 1, 2, 3, 4], "a": [0.0, 0.5, 1.0, 1.5, 2.0],
                              "b": ["x"] * 5}
    assert delta == {"keys": {"_step": {"number": 5}, "a": {"number": 5}, "b": {"string": 5}},
                     "lastStep": 4}


def test_null_is_counted_and_a_missing_key_is_not():
    lines = ['{"_step": 0, "a": null}', '{"_step": 1}', '{"_step": 2, "a": 3}']
    _, delta = history.history_update(0, lines)
    assert delta["keys"]["a"] == {"null": 1, "number": 1}


@pytest.mark.parametrize("line, message", [
    ('{"_step": 0}]', "line 7 is not valid JSON"),
    ("[1, 2]", "line 7 is not a JSON object"),
    ('{"_step": "three"}', "line 7 has a non-numeric _step"),
    ('{"_step": true}', "line 7 has a non-numeric _step"),
    ('{"_step": NaN}', "line 7 has a non-numeric _step"),
    ('{"_step": Infinity}', "line 7 has a non-numeric _step"),
])
def test_bad_lines_name_their_line_number(line, message):
    lines = ['{"_step": 5}', '{"_step": 6}', line]
    with pytest.raises(InvalidArgument, match=message):
        history.history_update(5, lines)


def test_rows_of_one_length_with_other_keys_or_another_order():
    lines = ['{"_step": 0, "a": 1}', '{"_step": 1, "b": 2}', '{"a": 3, "_step": 2}']
    parsed, delta = history.history_update(0, lines)
    assert parsed.columns == {"_step": [0, 1, 2], "a": [1, None, 3], "b": [None, 2, None]}
    assert delta["keys"] == {"_step": {"number": 3}, "a": {"number": 2}, "b": {"number": 1}}
