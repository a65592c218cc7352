"""Ingest benchmark: history streamed through file_stream over HTTP the way the SDK does it.

Chunks of 1,000 lines of 10 numeric keys, authenticated, for 1 run and for 8 concurrent runs.
Prints lines/s and metric points/s. Issue 2's target on a 2-core machine with SQLite:
>= 50,000 lines/s (500,000 points/s) for one run, and no error with 8 concurrent runs.

    python bench/ingest.py [--lines 200000] [--concurrent 8] [--chunk 1000]

Each run's requests go one after another over one kept-alive connection (http.client, whose
per-request cost is a fraction of a millisecond, like the SDK's Go client), so the figure
is the server's. The first line printed times a fixed pure-Python loop: on shared machines
the CPU's speed drifts, and figures are comparable only beside it.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import random
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import BenchServer, create_run  # noqa: E402

KEYS = [f"metric_{i}" for i in range(10)]


def chunk_bodies(total_lines: int, chunk: int) -> list[bytes]:
    """Pre-encoded request bodies, so the timing measures the server, not the client."""
    rng = random.Random(0)
    bodies = []
    for offset in range(0, total_lines, chunk):
        lines = []
        for step in range(offset, min(offset + chunk, total_lines)):
            row = {key: rng.random() for key in KEYS}
            row.update({"_step": step, "_runtime": step * 0.01, "_timestamp": 1.7e9 + step})
            lines.append(json.dumps(row))
        bodies.append(json.dumps({"files": {"wandb-history.jsonl": {
            "offset": offset, "content": lines}}}).encode())
    return bodies


def stream(url: str, api_key: str, bodies: list[bytes], errors: list) -> None:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    headers = {"Content-Type": "application/json", "Authorization": "Basic " + base64.b64encode(
        f"api:{api_key}".encode()).decode()}
    try:
        for body in bodies:
            connection.request("POST", parts.path, body=body, headers=headers)
            reply = connection.getresponse()
            text = reply.read()
            if reply.status != 200:
                errors.append(f"{reply.status} {text[:200]!r}")
                return
    finally:
        connection.close()


def run_case(server: BenchServer, runs: int, lines_per_run: int, chunk: int
             ) -> tuple[float, list]:
    bodies = chunk_bodies(lines_per_run, chunk)
    session = server.session()
    urls = [create_run(session, server.url, "bench-ingest", f"r{runs}x{i}-{time.time_ns()}")
            for i in range(runs)]
    errors: list = []
    threads = [threading.Thread(target=stream, args=(url, server.api_key, bodies, errors))
               for url in urls]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, errors


def cpu_reference() -> float:
    """Seconds for 10,000,000 additions in a Python loop (best of three)."""
    best = float("inf")
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200_000, help="history lines per run")
    parser.add_argument("--concurrent", type=int, default=8)
    parser.add_argument("--chunk", type=int, default=1000, help="history lines per request")
    options = parser.parse_args()
    print(f"CPU reference: 10M-iteration Python loop in {cpu_reference():.2f} s")
    with BenchServer() as server:
        failed = False
        for runs, lines in ((1, options.lines), (options.concurrent, options.lines // 4)):
            elapsed, errors = run_case(server, runs, lines, options.chunk)
            total = runs * lines
            print(f"{runs} run(s) x {lines:,} lines in chunks of {options.chunk:,}: "
                  f"{elapsed:.2f} s, {total / elapsed:,.0f} lines/s, "
                  f"{total * len(KEYS) / elapsed:,.0f} points/s, errors: {len(errors)}"
                  + (f" (first: {errors[0]})" if errors else ""), flush=True)
            failed |= bool(errors)
        peaks = server.peak_rss_mb()
        print("peak RSS (MiB): " + ", ".join(f"pid {p}: {m:.0f}" for p, m in peaks.items()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
