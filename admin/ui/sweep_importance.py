"""Parameter importance for a sweep, as W&B shows it: per parameter, the importance a random
forest regressor of the metric on the parameters gives it, and its linear correlation with
the metric.

Only finished runs that logged the metric count. A numeric parameter is one feature; a
categorical one is one 0/1 feature per value (``optimizer = adam``), so its correlation says
whether runs with that value did better or worse. A feature that does not vary among those
runs explains nothing and is left out. The forest is seeded, so the same runs always give
the same numbers.
"""

from __future__ import annotations

import math

MIN_RUNS = 5
# The latest finished runs this many at most: a forest of 100 trees on 1,000 runs takes about
# half a second; on 5,000 it would keep the page waiting.
MAX_RUNS = 1000
TREES = 100


def _features(points: list[dict], axes: list[dict]) -> tuple[list[dict], list[list]]:
    """Feature descriptions and, per feature, its value in each run (None when missing)."""
    described, columns = [], []
    for axis in axes:
        name = axis["name"]
        values = [p["params"].get(name) for p in points]
        if axis["kind"] == "numeric":
            described.append({"parameter": name, "value": None})
            columns.append([float(v) if v is not None else None for v in values])
            continue
        for category in axis["categories"]:
            described.append({"parameter": name, "value": category})
            columns.append([None if v is None else float(v == category) for v in values])
    return described, columns


def _varies(column: list) -> bool:
    present = {v for v in column if v is not None}
    return len(present) > 1


def correlation(xs: list, ys: list[float]) -> float | None:
    """Pearson's r over the runs where x is known; None when it is undefined."""
    pairs = [(x, y) for x, y in zip(xs, ys) if x is not None]
    if len(pairs) < 3:
        return None
    n = len(pairs)
    mx = sum(x for x, _ in pairs) / n
    my = sum(y for _, y in pairs) / n
    sxy = sum((x - mx) * (y - my) for x, y in pairs)
    sxx = sum((x - mx) ** 2 for x, _ in pairs)
    syy = sum((y - my) ** 2 for _, y in pairs)
    if sxx <= 0 or syy <= 0:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def _filled(column: list) -> list[float]:
    """Missing values as the column's mean, so the forest can split on the rest."""
    present = [v for v in column if v is not None]
    mean = sum(present) / len(present)
    return [mean if v is None else v for v in column]


def forest_importance(columns: list[list[float]], ys: list[float]) -> list[float]:
    from sklearn.ensemble import RandomForestRegressor

    rows = [list(row) for row in zip(*columns)]
    forest = RandomForestRegressor(n_estimators=TREES, random_state=0, n_jobs=1)
    forest.fit(rows, ys)
    return [float(v) for v in forest.feature_importances_]


def parameter_importance(points: list[dict], axes: list[dict], metric: dict | None,
                         min_runs: int = MIN_RUNS) -> dict:
    """``{"rows": [{"parameter", "value", "importance", "correlation"}], "runs": n,
    "needed": min_runs, "message": None or why there are no rows}``, rows by importance."""
    answer = {"rows": [], "runs": 0, "needed": min_runs, "message": None,
              "metric": metric["name"] if metric else None}
    if metric is None:
        answer["message"] = ("This sweep has no metric in its config, so there is nothing to "
                             "explain. Give the next sweep `metric: {name: ..., goal: ...}`.")
        return answer
    used = [p for p in points if p["state"] == "finished" and p["metric"] is not None]
    used = used[-MAX_RUNS:]
    answer["runs"] = len(used)
    if len(used) < min_runs:
        answer["message"] = (f"Parameter importance needs at least {min_runs} finished runs "
                             f"that logged {metric['name']!r}; this sweep has {len(used)} so far.")
        return answer
    ys = [p["metric"] for p in used]
    if max(ys) == min(ys):
        answer["message"] = (f"{metric['name']!r} has the same value in every finished run, "
                             "so no parameter explains it.")
        return answer
    described, columns = _features(used, axes)
    kept = [(d, c) for d, c in zip(described, columns) if _varies(c)]
    if not kept:
        answer["message"] = "No swept parameter varies among the finished runs."
        return answer
    importances = forest_importance([_filled(c) for _, c in kept], ys)
    rows = [d | {"importance": round(imp, 6), "correlation": _rounded(correlation(c, ys))}
            for (d, c), imp in zip(kept, importances)]
    rows.sort(key=lambda r: (-r["importance"], r["parameter"], r["value"] or ""))
    answer["rows"] = rows
    return answer


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)
