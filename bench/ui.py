"""Web UI benchmark: the run page of a 1,000,000-step x 20-metric run.

Logs the run through file_stream over HTTP (as bench/ingest.py does, chunks generated while
the previous one is in flight), signs in with Debian's chromium (Playwright), opens the run
page and prints the time from navigation to the first drawn chart and the bytes transferred
(cold cache, then warm), and what a zoom into 2% of the run fetches.

    python bench/ui.py [--steps 1000000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import queue
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np
import orjson
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import BenchServer, create_run  # noqa: E402

RUNS_PER_REQUEST = 250
KEYS = [f"{prefix}/{name}" for prefix in ("train", "eval", "opt", "data")
        for name in ("loss", "acc", "grad_norm", "lr", "time")]
CHUNK = 10_000
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def history_bodies(steps: int, chunk: int = CHUNK):
    """file_stream request bodies of ``steps`` history lines of the 20 KEYS: decaying curves
    with noise and one spike (so a downsampled chart has something to keep)."""
    rng = np.random.default_rng(0)
    for offset in range(0, steps, chunk):
        step = np.arange(offset, min(offset + chunk, steps))
        columns = []
        for i in range(len(KEYS)):
            values = np.exp(-step / (steps / 5)) * (1 + i / 10) + rng.random(len(step)) / 100
            values[step == steps // 2] += 1.0
            columns.append(values.round(6).tolist())
        lines = [orjson.dumps({**dict(zip(KEYS, row)), "_step": s, "_runtime": s / 100,
                               "_timestamp": 1.7e9 + s / 100}).decode()
                 for s, row in zip(step.tolist(), zip(*columns))]
        yield offset, orjson.dumps({"files": {"wandb-history.jsonl": {
            "offset": offset, "content": lines}}})


def log_big_run(url: str, api_key: str, project: str, name: str, steps: int) -> float:
    """Create the run and stream its history; returns the seconds it took."""
    session = requests.Session()
    session.auth = ("api", api_key)
    stream_url = create_run(session, url, project, name)
    bodies: queue.Queue = queue.Queue(maxsize=3)

    def produce():
        for item in history_bodies(steps):
            bodies.put(item)
        bodies.put(None)

    threading.Thread(target=produce, daemon=True).start()
    started = time.perf_counter()
    while (item := bodies.get()) is not None:
        offset, body = item
        reply = session.post(stream_url, data=body, timeout=600,
                             headers={"Content-Type": "application/json"})
        if reply.status_code != 200:
            raise RuntimeError(f"file_stream at line {offset}: {reply.status_code} "
                               f"{reply.text[:300]}")
    return time.perf_counter() - started


def log_many_runs(url: str, api_key: str, project: str, count: int) -> float:
    """``count`` runs with a config (lr, batch, arch) and a summary (loss, acc), many
    upsertBucket mutations per request; returns the seconds it took."""
    session = requests.Session()
    session.auth = ("api", api_key)
    rng = np.random.default_rng(1)
    started = time.perf_counter()
    for first in range(0, count, RUNS_PER_REQUEST):
        fields = []
        for i in range(first, min(first + RUNS_PER_REQUEST, count)):
            config = {"lr": {"value": [0.1, 0.01, 0.001, 0.0001][i % 4]},
                      "batch": {"value": 32 * (1 + i % 8)}, "arch": {"value": f"net{i % 10}"}}
            summary = {"loss": round(float(rng.random()), 6), "acc": round(float(rng.random()), 6)}
            fields.append(f'r{i}: upsertBucket(input: {{name: "run-{i:05d}", modelName: '
                          f'"{project}", config: {orjson.dumps(orjson.dumps(config).decode()).decode()}, '
                          f'summaryMetrics: {orjson.dumps(orjson.dumps(summary).decode()).decode()}}}) '
                          "{ bucket { id } }")
        reply = session.post(url + "/graphql", json={"query": "mutation {" + " ".join(fields)
                                                     + "}"}, timeout=600)
        if reply.status_code != 200 or "errors" in reply.json():
            raise RuntimeError(f"creating runs {first}...: {reply.status_code} {reply.text[:300]}")
    return time.perf_counter() - started


def open_project_page(page, url: str) -> dict:
    """Navigate; return ms from navigation start to the first page of the runs table, and
    the bytes transferred until the network went idle."""
    page.goto(url)
    page.wait_for_selector("#runs-table tbody tr[data-run]", timeout=60_000)
    shown = page.evaluate("performance.getEntriesByName('roost:runs-table')[0].startTime")
    page.wait_for_load_state("networkidle")
    transferred = page.evaluate(
        "performance.getEntriesByType('navigation')[0].transferSize"
        " + performance.getEntriesByType('resource').reduce((n, r) => n + r.transferSize, 0)")
    return {"first_rows_ms": shown, "bytes": transferred}


def sign_in(page, url: str, username: str, password: str) -> None:
    page.goto(url + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def open_run_page(page, url: str) -> dict:
    """Navigate; return ms from navigation start to the first drawn chart, and the bytes the
    page transferred until the network went idle (HTML, scripts, styles, chart data)."""
    page.goto(url)
    page.wait_for_selector(".chart[data-points]", timeout=60_000)
    first = page.evaluate("performance.getEntriesByName('roost:first-chart')[0].startTime")
    page.wait_for_load_state("networkidle")
    transferred = page.evaluate(
        "performance.getEntriesByType('navigation')[0].transferSize"
        " + performance.getEntriesByType('resource').reduce((n, r) => n + r.transferSize, 0)")
    return {"first_chart_ms": first, "bytes": transferred}


def zoom_first_chart(page, start: float = 0.49, end: float = 0.51) -> dict:
    """Drag across [start, end] of the first chart's width; return its steps and points
    before and after, once the finer points arrived."""
    chart = page.locator(".chart[data-points]").first
    before = {"steps": chart.get_attribute("data-steps"), "points": chart.get_attribute("data-points")}
    box = chart.locator(".u-over").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * start, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * end, y, steps=4)
    page.mouse.up()
    key = chart.get_attribute("data-key")
    page.wait_for_selector(f'.chart[data-key="{key}"][data-state=zoomed]', timeout=30_000)
    after = {"steps": chart.get_attribute("data-steps"), "points": chart.get_attribute("data-points")}
    return {"before": before, "after": after}


def spacing(described: dict) -> float:
    """Mean steps between the chart's points."""
    low, high = map(float, described["steps"].split(","))
    return (high - low) / max(1, int(described["points"]) - 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--runs", type=int, default=10_000, help="runs in a second project")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with BenchServer() as server:
        password = "bench-password-1"
        key = server.add_user("bencher", password)
        seconds = log_big_run(server.url, key, "bench-ui", "million", options.steps)
        print(f"logged {options.steps:,} steps x {len(KEYS)} metrics in {seconds:.1f} s "
              f"({options.steps / seconds:,.0f} lines/s)")
        seconds = log_many_runs(server.url, key, "bench-runs", options.runs)
        print(f"created {options.runs:,} runs in {seconds:.1f} s")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            sign_in(page, server.url, "bencher", password)
            run_url = f"{server.url}/bencher/bench-ui/runs/million"
            results = [open_run_page(page, run_url) for _ in range(options.repeats)]
            firsts = [r["first_chart_ms"] for r in results]
            print(f"time to first chart: {', '.join(f'{t:.0f}' for t in firsts)} ms "
                  f"(median {statistics.median(firsts):.0f} ms)")
            print(f"bytes transferred: {results[0]['bytes']:,} cold cache, "
                  f"{results[-1]['bytes']:,} warm")
            zoom = zoom_first_chart(page)
            print(f"zoom into 2% of the run: {zoom['before']['points']} points over steps "
                  f"{zoom['before']['steps']} -> {zoom['after']['points']} points over steps "
                  f"{zoom['after']['steps']} (one point per {spacing(zoom['before']):,.0f} "
                  f"-> {spacing(zoom['after']):,.0f} steps)")
            table = [open_project_page(page, f"{server.url}/bencher/bench-runs/table")
                     for _ in range(options.repeats)]
            shown = ", ".join(f"{r['first_rows_ms']:.0f}" for r in table)
            print(f"project of {options.runs:,} runs, first page of the table: {shown} ms, "
                  f"{table[-1]['bytes']:,} bytes warm")
            browser.close()
        peaks = server.peak_rss_mb()
        print("peak RSS (MiB): " + ", ".join(f"pid {p}: {m:.0f}" for p, m in peaks.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
