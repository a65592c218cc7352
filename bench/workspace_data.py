"""Build a project for the workspace benchmark straight through the storage layer (SqlStorage:
the same apply_file_stream a file_stream request ends in, rollups folded as at ingest), much
faster than logging through the SDK.

    python bench/workspace_data.py DATA_DIR --runs 100 --metrics 20 --steps 100000

Runs are built by ``--workers`` processes (each its own runs; SQLite takes one writer at a
time, so two is the useful most on two cores).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import time
from pathlib import Path

CHUNK = 5000
GROUPS = ("adam", "sgd", "lion", "adafactor", "rmsprop")


def metric_names(count: int) -> list[str]:
    """Half under train/, a quarter under val/, the rest under eval/ (three sections)."""
    names = []
    for i in range(count):
        prefix = "train" if i < count // 2 else "val" if i < 3 * count // 4 else "eval"
        names.append(f"{prefix}/m{i:02d}")
    return names


def line_format(names: list[str]) -> str:
    """A %-format of one history line (formatting is what building a run spends most on)."""
    fields = ['"_step": %d', '"_runtime": %.3f', '"_timestamp": %.3f', '"epoch": %.4f']
    fields += [json.dumps(name) + ": %.6g" for name in names]
    return "{" + ", ".join(fields) + "}"


def lines(start: int, end: int, names: list[str], seed: float, steps: int) -> list[str]:
    import numpy as np

    step = np.arange(start, end, dtype=np.float64)
    t = step / max(1, steps)
    columns = [step, step * 0.05, 1.7e9 + step * 0.05, t * 10]
    for i in range(len(names)):
        columns.append(np.exp(-3 * t * (1 + i / 20)) + 0.05 * np.sin(step / 50 + seed + i)
                       + seed / 10)
    template = line_format(names)
    return [template % row for row in zip(*(c.tolist() for c in columns))]


def build_runs(url: str, user: str, project: str, indexes: list[int], metrics: int,
               steps: int) -> None:
    from roost.core.history import build_update
    from roost.plugins.sql.store import SqlStorage

    storage = SqlStorage(url)
    user_id = storage.get_user(user)["id"]
    names = metric_names(metrics)
    for index in indexes:
        config = {"optimizer": {"value": GROUPS[index % len(GROUPS)], "desc": None},
                  "lr": {"value": 10 ** -(2 + index % 3), "desc": None}}
        run, _ = storage.upsert_run(user, project, f"run-{index:03d}", None, {
            "display_name": f"run {index}", "config": json.dumps(config),
            "created_at": 1.7e9 + index}, user_id)
        seed = random.Random(index).random()
        for start in range(0, steps, CHUNK):
            chunk = lines(start, min(steps, start + CHUNK), names, seed, steps)
            storage.apply_file_stream(run["id"], build_update(
                {"wandb-history.jsonl": (start, chunk)}, [], False, None, False))
        summary = json.loads(lines(steps - 1, steps, names, seed, steps)[0])
        storage.upsert_run(user, project, f"run-{index:03d}", None, {
            "summary_metrics": json.dumps(summary), "state": "finished"}, user_id)
        storage.fold_history(run["id"])
    storage.close()


def build(data_dir: str, user: str, project: str, runs: int, metrics: int, steps: int,
          workers: int) -> float:
    url = f"sqlite:///{Path(data_dir) / 'roost.db'}"
    started = time.perf_counter()
    shares = [list(range(w, runs, workers)) for w in range(workers)]
    if workers == 1:
        build_runs(url, user, project, shares[0], metrics, steps)
    else:
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            pool.starmap(build_runs, [(url, user, project, share, metrics, steps)
                                      for share in shares])
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir")
    parser.add_argument("--user", default="bencher")
    parser.add_argument("--project", default="bench-workspace")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--metrics", type=int, default=20)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1)
    options = parser.parse_args()
    seconds = build(options.data_dir, options.user, options.project, options.runs,
                    options.metrics, options.steps, options.workers)
    print(f"built {options.runs} runs x {options.metrics} metrics x {options.steps:,} steps "
          f"in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
