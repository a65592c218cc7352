"""Ingest benchmark: history streamed through file_stream over HTTP the way the SDK does it.

Chunks of 1,000 lines of 10 numeric keys, authenticated, for 1 run and for 8 concurrent runs.
Prints lines/s and metric points/s. Issue 2's target on a 2-core machine with SQLite:
>= 50,000 lines/s (500,000 points/s) for one run, and no error with 8 concurrent runs.

    python bench/ingest.py [--lines 200000] [--concurrent 8]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import BenchServer, create_run  # noqa: E402

KEYS = [f"metric_{i}" for i in range(10)]
CHUNK = 1000


def chunk_bodies(total_lines: int) -> list[bytes]:
    """Pre-encoded request bodies, so the timing measures the server, not the client."""
    rng = random.Random(0)
    bodies = []
    for offset in range(0, total_lines, CHUNK):
        lines = []
        for step in range(offset, min(offset + CHUNK, total_lines)):
            row = {key: rng.random() for key in KEYS}
            row.update({"_step": step, "_runtime": step * 0.01, "_timestamp": 1.7e9 + step})
            lines.append(json.dumps(row))
        bodies.append(json.dumps({"files": {"wandb-history.jsonl": {
            "offset": offset, "content": lines}}}).encode())
    return bodies


def stream(session, url: str, bodies: list[bytes], errors: list) -> None:
    for body in bodies:
        reply = session.post(url, data=body, headers={"Content-Type": "application/json"},
                             timeout=120)
        if reply.status_code != 200:
            errors.append(f"{reply.status_code} {reply.text[:200]}")
            return


def run_case(server: BenchServer, runs: int, lines_per_run: int) -> tuple[float, list]:
    bodies = chunk_bodies(lines_per_run)
    sessions = [server.session() for _ in range(runs)]
    urls = [create_run(s, server.url, "bench-ingest", f"r{runs}x{i}-{time.time_ns()}")
            for i, s in enumerate(sessions)]
    errors: list = []
    threads = [threading.Thread(target=stream, args=(s, u, bodies, errors))
               for s, u in zip(sessions, urls)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200_000, help="history lines per run")
    parser.add_argument("--concurrent", type=int, default=8)
    options = parser.parse_args()
    with BenchServer() as server:
        failed = False
        for runs, lines in ((1, options.lines), (options.concurrent, options.lines // 4)):
            elapsed, errors = run_case(server, runs, lines)
            total = runs * lines
            print(f"{runs} run(s) x {lines:,} lines: {elapsed:.2f} s, "
                  f"{total / elapsed:,.0f} lines/s, {total * len(KEYS) / elapsed:,.0f} points/s, "
                  f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
            failed |= bool(errors)
        peaks = server.peak_rss_mb()
        print("peak RSS (MiB): " + ", ".join(f"pid {p}: {m:.0f}" for p, m in peaks.items()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
