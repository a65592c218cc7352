"""The history engine on SQLite, PostgreSQL and MySQL/MariaDB: sampled reads are bounded and
keep spikes, small ranges and sparse keys come back exactly, values come back as logged, and
rollups built chunk by chunk equal rollups built at once."""

from __future__ import annotations

import json
import math
import random

import pytest

from roost.core import history
from roost.plugins.sql import history_engine
from roost.plugins.sql.history_models import HistoryKey, HistoryRollup
from roost.plugins.sql.store import SqlStorage
from storage_fixtures import backend_params, temporary_database

STEPS = 12_000
SPIKES = {4321: 50.0, 10_000: -40.0}  # loss outliers a sampled read must keep
NAN_STEP = 7777
ODD = {
    3: {"label": "three", "hist": {"_type": "histogram", "values": [1, 2], "bins": [0, 1, 2]}},
    5: {"weird": float("nan")},
    6: {"weird": float("inf"), "big": 2**70, "flag": True},
    9: {"img": {"_type": "image-file", "path": "media/images/x.png", "sha256": "ab"}},
    11: {"nested": {"a": 1, "b": {"c": "deep"}}},
}


def row_of(step: int) -> dict:
    rng = random.Random(step)
    row = {"_step": step, "_runtime": step / 100, "loss": 1 + rng.random(), "acc": step / STEPS}
    if step in SPIKES:
        row["loss"] = SPIKES[step]
    if step % 500 == 0:
        row["eval/loss"] = step / 1000
    row["noise"] = float("nan") if step == NAN_STEP else rng.random()
    row.update(ODD.get(step, {}))
    return row


def text_of(step: int) -> str:
    return json.dumps(row_of(step))  # NaN and Infinity bare, as wandb writes them


def append(storage, run_id, start: int, end: int) -> None:
    update = history.build_update({"wandb-history.jsonl": (
        start, [text_of(step) for step in range(start, end)])}, [], False, None, False)
    storage.apply_file_stream(run_id, update)


@pytest.fixture(scope="module", params=backend_params())
def engine(request, tmp_path_factory):
    """(storage, run id): STEPS steps in chunks of irregular size, as a live run sends them."""
    with temporary_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        storage = SqlStorage(url)
        user = storage.create_user("alice", "", None, admin=False)
        run, _ = storage.upsert_run("alice", "proj", "big", None, {}, user["id"])
        start, sizes = 0, [1, 37, 1000, 5, 640, 4096, 999]
        for index in range(STEPS):
            end = min(start + sizes[index % len(sizes)], STEPS)
            append(storage, run["id"], start, end)
            start = end
            if start == STEPS:
                break
        try:
            yield storage, run["id"]
        finally:
            storage.close()


def sample(engine, keys, samples, min_step=None, max_step=None):
    storage, run_id = engine
    return storage.sample_history(run_id, keys, samples, min_step, max_step)


def test_sampled_read_is_bounded_and_keeps_spikes_and_ends(engine):
    rows = sample(engine, ["_step", "loss"], 300)
    assert 200 <= len(rows) <= 300
    steps = [row["_step"] for row in rows]
    assert steps == sorted(steps) and len(set(steps)) == len(steps)
    assert steps[0] == 0 and steps[-1] == STEPS - 1
    by_step = {row["_step"]: row["loss"] for row in rows}
    for step, value in SPIKES.items():
        assert by_step[step] == value
    for row in rows:  # values are the logged ones
        assert row == {"_step": row["_step"], "loss": row_of(row["_step"])["loss"]}


def test_sampled_read_never_parses_every_line(engine, monkeypatch):
    parsed = []
    real = history_engine.parse
    monkeypatch.setattr(history_engine, "parse", lambda line: parsed.append(1) or real(line))
    rows = sample(engine, ["_step", "loss", "acc"], 600, 1000, 11_000)
    assert len(rows) <= 600
    assert len(parsed) <= 600 + 2 * 63


def test_sampled_read_of_a_step_range(engine):
    rows = sample(engine, ["_step", "loss"], 150, 4000, 11_000)
    steps = [row["_step"] for row in rows]
    assert len(rows) <= 150 and min(steps) == 4000 and max(steps) == 10_999
    assert {4321, 10_000} <= set(steps)


def test_small_range_is_exact(engine):
    rows = sample(engine, ["_step", "loss", "acc"], 1000, 100, 1100)
    assert rows == [{"_step": s, "loss": row_of(s)["loss"], "acc": row_of(s)["acc"]}
                    for s in range(100, 1100)]


def test_sparse_key_with_few_values_is_exact(engine):
    rows = sample(engine, ["_step", "eval/loss"], 500)
    assert rows == [{"_step": s, "eval/loss": s / 1000} for s in range(0, STEPS, 500)]
    assert len(sample(engine, ["_step", "eval/loss"], 10)) <= 10


def test_rows_must_hold_every_key(engine):
    rows = sample(engine, ["_step", "loss", "eval/loss"], 1000)
    assert [row["_step"] for row in rows] == list(range(0, STEPS, 500))
    assert sample(engine, ["_step", "never-logged"], 100) == []


def test_values_come_back_as_logged(engine):
    assert sample(engine, ["_step", "label", "hist"], 10) == [
        {"_step": 3, "label": "three", "hist": ODD[3]["hist"]}]
    weird = sample(engine, ["_step", "weird"], 10)
    assert [row["_step"] for row in weird] == [5, 6]
    assert math.isnan(weird[0]["weird"]) and weird[1]["weird"] == math.inf
    assert sample(engine, ["big", "flag"], 10) == [{"big": 2**70, "flag": True}]
    assert sample(engine, ["img"], 10) == [{"img": ODD[9]["img"]}]
    assert sample(engine, ["nested.b.c", "nested.a"], 10) == [{"nested.b.c": "deep",
                                                               "nested.a": 1}]


def test_nan_shows_in_a_downsampled_read(engine):
    rows = sample(engine, ["_step", "noise"], 60)
    assert len(rows) <= 60
    nan = [row["_step"] for row in rows if math.isnan(row["noise"])]
    assert nan == [NAN_STEP]


def test_only_step_keys_sample_lines_evenly(engine):
    rows = sample(engine, ["_step"], 100)
    assert len(rows) == 100 and rows[0] == {"_step": 0} and rows[-1] == {"_step": STEPS - 1}


def test_whole_lines_pages_and_samples(engine):
    storage, run_id = engine
    page = storage.sample_history_lines(run_id, "history", 1000, 8000, 9000)
    assert page == [text_of(s) for s in range(8000, 9000)]
    assert storage.sample_history_lines(run_id, "history", 10, 100, 105) == [
        text_of(s) for s in range(100, 105)]
    sampled = storage.sample_history_lines(run_id, "history", 500, None, None)
    steps = [json.loads(line)["_step"] for line in sampled]
    assert len(sampled) == 500 and steps[0] == 0 and steps[-1] == STEPS - 1
    assert steps == sorted(steps)
    assert storage.sample_history_lines(run_id, "history", 10, STEPS, None) == []


def rollups(storage, run_id) -> set:
    storage.fold_history(run_id)
    with storage.db.connection_context():
        names = dict(HistoryKey.select(HistoryKey.id, HistoryKey.name)
                     .where(HistoryKey.run == int(run_id)).tuples())
        return {(names[key], *rest) for _, key, *rest in
                HistoryRollup.select().where(HistoryRollup.run == int(run_id)).tuples()}


def test_rollups_of_chunks_equal_rollups_at_once_and_retries_change_nothing(engine):
    storage, run_id = engine
    user = storage.get_user("alice")
    once, _ = storage.upsert_run("alice", "proj", "once", None, {}, user["id"])
    append(storage, once["id"], 0, STEPS)
    chunked = rollups(storage, run_id)
    assert chunked == rollups(storage, once["id"])
    append(storage, run_id, STEPS - 999, STEPS)  # a retried request: already stored
    assert rollups(storage, run_id) == chunked
    storage.delete_run(once["id"])
    assert rollups(storage, once["id"]) == set()


@pytest.mark.parametrize("backend", backend_params())
def test_a_chunk_of_a_thousand_keys_folds_into_its_rollups(backend, tmp_path):
    # 1,200 keys x 4 levels of partial buckets to look up and rewrite per chunk: one OR of
    # them all overflowed SQLite's parser (from about 25 keys); they go in balanced batches.
    keys = [f"class_{i}/acc" for i in range(1200)]
    with temporary_database(backend, tmp_path) as url:
        storage = SqlStorage(url)
        try:
            user = storage.create_user("alice", "", None, admin=False)
            run, _ = storage.upsert_run("alice", "proj", "wide", None, {}, user["id"])
            lines = [json.dumps({"_step": step, **{k: step + i / 10_000 for i, k in
                                                    enumerate(keys)}}) for step in range(3)]
            for start in range(3):  # each chunk after the first starts inside every bucket
                storage.apply_file_stream(run["id"], history.build_update(
                    {"wandb-history.jsonl": (start, lines[start:start + 1])}, [], False, None,
                    False))
            rows = storage.sample_history(run["id"], ["_step", keys[1111]], 10, None, None)
            assert [row["_step"] for row in rows] == [0, 1, 2]
            assert rows[2][keys[1111]] == pytest.approx(2.1111)
            storage.fold_history(run["id"])
            with storage.db.connection_context():
                finest = (HistoryRollup.select().where(
                    (HistoryRollup.run == int(run["id"])) & (HistoryRollup.level == 6)).count())
            assert finest == len(keys)  # one bucket per key, merged chunk by chunk
        finally:
            storage.close()


def test_a_few_thousand_lines_sample_as_many_buckets_as_asked(engine):
    # 2,500 lines hold 39 buckets of 64 lines: answering from them gave about 96 rows for 150
    # buckets asked (a chart drew 96 points, zigzagging between their extremes).
    rows = sample(engine, ["loss", "_step", "_runtime"], 3 * 150 + 1, 1000, 3500)
    assert rows.buckets == 150
    assert 300 <= len(rows) <= 451
    steps = [row["_step"] for row in rows]
    assert steps == sorted(steps) and steps[0] == 1000 and steps[-1] == 3499
    for slot in range(150):  # each bucket's min, max and last value are there
        inside = [s for s in range(1000, 3500) if (s - 1000) * 150 // 2500 == slot]
        values = [row_of(s)["loss"] for s in inside]
        got = {row["_step"] for row in rows}
        assert inside[-1] in got
        assert inside[values.index(min(values))] in got
        assert inside[values.index(max(values))] in got


def test_sampled_rows_say_how_many_buckets_they_were_chosen_in(engine):
    exact = sample(engine, ["_step", "eval/loss"], 500)
    assert getattr(exact, "buckets", 0) == 0  # every value
    rows = sample(engine, ["_step", "loss"], 301)
    assert 0 < rows.buckets <= 100
