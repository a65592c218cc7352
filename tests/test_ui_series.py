"""Chart series shaping (admin/ui/series_shape.py): sampled rows become one point per core
bucket with its min/max band, exact rows stay exact, and grouped runs become one mean line
with min/max and standard deviation bands."""

from __future__ import annotations

import math
import random
from types import SimpleNamespace

from roost.admin.ui.series_shape import group_series, shape_series


def sampled_rows(lines: int, buckets: int):
    """What the engine answers for a run of ``lines`` noisy values asked for ``buckets``
    buckets: each bucket's min, max and last row."""
    rng = random.Random(lines)
    values = [math.sin(i / 300) + rng.random() for i in range(lines)]
    chosen = {0}  # the engine adds the first row
    for slot in range(buckets):
        inside = [i for i in range(lines) if i * buckets // lines == slot]
        part = [values[i] for i in inside]
        chosen.update({inside[-1], inside[part.index(min(part))], inside[part.index(max(part))]})
    rows = sorted(chosen)
    return values, SimpleNamespace(
        steps=[float(i) for i in rows], values=[values[i] for i in rows],
        runtimes=[i / 10 for i in rows], timestamps=[1e9 + i for i in rows], buckets=buckets,
        xs=[])


def test_sampled_rows_become_one_point_per_bucket_with_its_band():
    values, series = sampled_rows(2500, 150)
    shaped = shape_series(series, 150)
    assert len(shaped["y"]) == 150
    assert sum(lo < hi for lo, hi in zip(shaped["lo"], shaped["hi"])) >= 140
    for slot in range(150):
        inside = [values[i] for i in range(2500) if i * 150 // 2500 == slot]
        assert shaped["y"][slot] == float(f"{inside[-1]:.7g}")  # the line: last values
        assert shaped["lo"][slot] == float(f"{min(inside):.7g}")
        assert shaped["hi"][slot] == float(f"{max(inside):.7g}")


def test_sampled_rows_never_split_finer_than_the_core_buckets():
    # 312 core buckets for a chart 1,000 points wide: one point per core bucket, never one
    # point per extreme (the zigzag).
    _, series = sampled_rows(20_000, 312)
    shaped = shape_series(series, 1000)
    assert len(shaped["y"]) == 312
    assert all(lo <= y <= hi for lo, y, hi in zip(shaped["lo"], shaped["y"], shaped["hi"]))


def test_every_value_stays_a_point_of_its_own():
    series = SimpleNamespace(steps=[0.0, 10.0, 20.0], values=[1.0, float("nan"), 3.0],
                             runtimes=[0.0, 1.0, 2.0], timestamps=[5.0, 6.0, 7.0], buckets=0,
                             xs=[0.5, 1.0, 1.5])
    shaped = shape_series(series, 100)
    assert shaped["y"] == [1.0, None, 3.0] and shaped["lo"] == [1.0, None, 3.0]
    assert shaped["x"] == {"step": [0.0, 10.0, 20.0], "runtime": [0.0, 1.0, 2.0],
                           "time": [5.0, 6.0, 7.0], "metric": [0.5, 1.0, 1.5]}


def run_series(ys, xs=None):
    xs = xs or list(range(len(ys)))
    return {"x": {"step": xs}, "y": ys, "lo": ys, "hi": ys}


def test_a_group_is_its_mean_with_min_max_and_std_bands():
    runs = [run_series([1.0, 2.0, 3.0]), run_series([3.0, 4.0, 5.0]),
            run_series([2.0, None, 4.0])]
    group = group_series(runs, "step", 3)
    assert group["y"] == [2.0, 3.0, 4.0]
    assert group["lo"] == [1.0, 2.0, 3.0] and group["hi"] == [3.0, 4.0, 5.0]
    assert group["n"] == [3, 2, 3]
    std = math.sqrt(2 / 3)
    assert group["std_lo"][0] == float(f"{2 - std:.7g}")
    assert group["std_hi"][1] == 4.0  # mean 3, std 1
    assert group_series([run_series([])], "step", 10)["y"] == []


def test_a_group_buckets_runs_logged_at_different_steps():
    runs = [run_series([1.0] * 10, list(range(0, 100, 10))),
            run_series([3.0] * 10, list(range(5, 105, 10)))]
    group = group_series(runs, "step", 10)
    assert len(group["x"]) == 10 and set(group["y"]) == {2.0}
