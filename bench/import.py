"""Import benchmark: `roost import` of one project from another Roost on this machine.

    .venv/bin/python bench/import.py [--runs 1000] [--steps 5000] [--keys 10] [--jobs 2]

The source project is written straight into the source's database through its storage layer
(no SDK, no HTTP) while its `roost serve` runs. Then the import is timed into a second `roost serve`'s data dir, then a re-import with
nothing new. Prints rows per second, wall times, the importer's peak memory and the servers'.
Target (issue 13): 1,000 runs x 5,000 steps x 10 keys in under 2 minutes, a re-import with
nothing new in under 10 s, memory bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _server import BenchServer, roost_executable  # noqa: E402

PROJECT = "bench-import"
CHUNK = 5000


def build_source(server: BenchServer, runs: int, steps: int, keys: int) -> float:
    """Rows straight into the source's tables (one multi-row INSERT per 5,000 lines), with the
    run's counts and history keys set as ingest would set them. Rollups are not built: the
    import reads whole lines, which do not use them."""
    from roost.plugins.sql.database import default_url
    from roost.plugins.sql.models import HistoryLine, Run
    from roost.plugins.sql.store import SqlStorage

    storage = SqlStorage(default_url(Path(server.data_dir)), background_rollups=False)
    admin = storage.get_user("admin")
    names = [f"metric_{k}" for k in range(keys)]
    history_keys = json.dumps({"keys": {name: {"typeCounts": [{"type": "number",
                                                               "count": steps}]}
                                        for name in names + ["_step", "_runtime", "_timestamp"]},
                               "lastStep": steps - 1})
    rng = random.Random(0)
    started = time.perf_counter()
    try:
        for index in range(runs):
            run, _ = storage.upsert_run("admin", PROJECT, f"run-{index:05d}", None,
                                        {"config": json.dumps({"lr": {"value": index}})},
                                        admin["id"])
            rid = int(run["id"])
            last = ""
            with storage.db.connection_context(), storage.db.atomic():
                for offset in range(0, steps, CHUNK):
                    rows = []
                    for step in range(offset, min(offset + CHUNK, steps)):
                        last = json.dumps({**{name: rng.random() for name in names},
                                           "_step": step, "_runtime": step * 0.01,
                                           "_timestamp": 1.7e9 + step})
                        rows.append((rid, step, step, last))
                    storage.statements.insert_many(HistoryLine, ("run", "line", "step", "data"),
                                                   rows)
                Run.update(history_line_count=steps, rollup_line_count=steps, summary=last,
                           history_keys=history_keys, state="finished").where(
                    Run.id == rid).execute()
            if index % 100 == 99:
                print(f"  source: {index + 1} runs written", flush=True)
    finally:
        storage.close()
    return time.perf_counter() - started


def cpu_seconds(server: BenchServer) -> float:
    """CPU time (user + system) the server's processes used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in server.pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_import(source: BenchServer, target: BenchServer, jobs: int) -> tuple[float, str]:
    argv = [roost_executable(), "import", "--from", source.url, "--from-api-key",
            source.api_key, f"admin/{PROJECT}", "--no-artifacts", "--jobs", str(jobs),
            "--data-dir", target.data_dir]
    before = (children_cpu(), cpu_seconds(source), cpu_seconds(target))
    started = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    spent = [after - was for after, was in zip(
        (children_cpu(), cpu_seconds(source), cpu_seconds(target)), before)]
    print(f"  CPU: importer (with its wandb-core) {spent[0]:.1f} s, source server "
          f"{spent[1]:.1f} s, target server {spent[2]:.1f} s (it only serves; the importer "
          "writes the target database itself)")
    if result.returncode != 0:
        raise SystemExit(f"roost import failed ({result.returncode}):\n{result.stdout}\n"
                         f"{result.stderr[-3000:]}")
    return seconds, result.stdout.strip().splitlines()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--keys", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    rows = args.runs * args.steps
    print(f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times "
          "on a shared machine stretch with it; CPU times do not)")
    print(f"import benchmark: {args.runs} runs x {args.steps} steps x {args.keys} keys "
          f"({rows:,} rows), --jobs {args.jobs}")
    with BenchServer() as source, \
            BenchServer() as target:
        built = build_source(source, args.runs, args.steps, args.keys)
        print(f"source built through its storage layer in {built:.1f} s "
              f"({rows / built:,.0f} rows/s)")
        first, summary = timed_import(source, target, args.jobs)
        print(f"import:    {first:7.1f} s  {rows / first:10,.0f} rows/s   ({summary})")
        again, summary = timed_import(source, target, args.jobs)
        print(f"re-import: {again:7.1f} s  (nothing new: {summary})")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak RSS of the importer (largest child of this bench): {peak:.0f} MiB")
        for name, server in (("source", source), ("target", target)):
            peaks = server.peak_rss_mb()
            print(f"peak RSS of the {name} server processes: "
                  + ", ".join(f"{mb:.0f} MiB" for mb in peaks.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
