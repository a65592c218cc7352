"""Benchmark the project workspace: time to the first drawn panel and to every panel of the
first screen, and the bytes transferred, cold, for 20 visible runs and for 100 visible runs
in 5 groups, plus where the time goes.

    python bench/workspace.py                          # builds 100 runs x 20 metrics x 100,000 steps
    python bench/workspace.py --steps 10000            # smaller, quicker to build
    python bench/workspace.py --data-dir DIR --reuse   # data built before (workspace_data.py)

The project is built through the storage layer (bench/workspace_data.py), not the SDK.
"Cold" is a fresh browser context (no cache) on a server that has just started.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import BenchServer, roost_executable  # noqa: E402
from ui import CHROMIUM, CHROMIUM_ARGS, sign_in  # noqa: E402
from workspace_data import build  # noqa: E402

USER, PASSWORD, PROJECT = "bencher", "bench-password-1", "bench-workspace"
TRANSFERRED = ("performance.getEntriesByType('navigation')[0].transferSize"
               " + performance.getEntriesByType('resource').reduce((n, r) => n + r.transferSize, 0)")
# Per request: what it was, its server time (request sent -> first byte), its size.
REQUESTS = """performance.getEntriesByType('resource').map(r => ({
  name: r.name.replace(location.origin, ''), start: r.startTime, wait: r.responseStart - r.requestStart,
  end: r.responseEnd, bytes: r.transferSize}))"""


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) the server's processes have used so far."""
    import os

    total = 0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def open_workspace(browser, server, limit: int, group: str = "") -> dict:
    """A fresh context (cold cache), signed in; navigate; wait for every panel of the first
    screen; return the marks, bytes, requests and the CPU the server spent on them."""
    url = server.url
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(600_000)  # a loaded machine is slow, not broken
    page = context.new_page()
    sign_in(page, url, USER, PASSWORD)
    # The sidebar's "show first N", as a person would have chosen it.
    page.evaluate(f"localStorage.setItem('roost.workspace.runs.{USER}/{PROJECT}', "
                  f"JSON.stringify({{limit: {limit}, hidden: []}}))")
    pids = server.pids()
    cpu = cpu_seconds(pids)
    started = time.perf_counter()
    page.goto(f"{url}/{USER}/{PROJECT}" + (f"?group={group}" if group else ""))
    page.wait_for_function("() => performance.getEntriesByName('roost:screen-panels').length > 0")
    wall = (time.perf_counter() - started) * 1000
    cpu = cpu_seconds(pids) - cpu
    marks = page.evaluate("Object.fromEntries(performance.getEntriesByType('mark')"
                          ".map(m => [m.name, m.startTime]))")
    navigation = page.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0];"
                               " return {ttfb: n.responseStart, dom: n.domContentLoadedEventEnd}; })()")
    panels = page.locator(".ws-panel-body[data-state=drawn]").count()
    series = page.locator(".ws-panel-body[data-series]").first.get_attribute("data-series") or ""
    page.wait_for_load_state("networkidle")
    result = {"first": marks.get("roost:first-panel"), "screen": marks.get("roost:screen-panels"),
              "wall": wall, "server_cpu": cpu, "bytes": page.evaluate(TRANSFERRED), "requests": page.evaluate(REQUESTS),
              "panels": panels, "lines": len(series.split("|")) if series else 0, **navigation}
    context.close()
    return result


def server_times(server_url: str, runs: list[str], key: str, groups: list | None) -> float:
    """Seconds for one panel's series straight from the front (no browser, 200 points)."""
    import json

    session = requests.Session()
    token = session.get(server_url + "/login", timeout=30).text.split('name="csrf_token" value="')[1].split('"')[0]
    session.post(server_url + "/login", data={"csrf_token": token, "username": USER,
                                              "password": PASSWORD}, timeout=30)
    params = {"runs": ",".join(runs), "keys": key, "x": "step", "points": 200}
    if groups:
        params["groups"] = json.dumps(groups)
    started = time.perf_counter()
    reply = session.get(f"{server_url}/_ui/api/{USER}/{PROJECT}/workspace/series", params=params,
                        timeout=120)
    reply.raise_for_status()
    return time.perf_counter() - started


def describe(label: str, results: list[dict]) -> None:
    first = [r["first"] for r in results]
    screen = [r["screen"] for r in results]
    print(f"{label}: {results[0]['panels']} panels on the first screen, {results[0]['lines']} "
          f"lines in the first panel")
    print(f"  first panel drawn: {', '.join(f'{t:.0f}' for t in first)} ms "
          f"(first navigation is the cold one)")
    print(f"  every panel of the first screen: {', '.join(f'{t:.0f}' for t in screen)} ms")
    print(f"  transferred: {results[0]['bytes']:,} bytes cold")
    cpu = ", ".join(f"{r['server_cpu']:.2f}" for r in results)
    print(f"  server CPU (front + core) for the first screen: {cpu} s "
          f"(wall time on a loaded machine is mostly waiting for a core)")
    cold = results[0]
    series = [r for r in cold["requests"] if "/workspace/series" in r["name"]]
    runs = [r for r in cold["requests"] if r["name"].split("?")[0].endswith("/runs")]
    statics = [r for r in cold["requests"] if "/_ui/static/" in r["name"]]
    print(f"  where the time goes (cold): page HTML first byte {cold['ttfb']:.0f} ms, DOM ready "
          f"{cold['dom']:.0f} ms; {len(statics)} static files, last at {max(r['end'] for r in statics):.0f} ms; "
          f"runs list answered in {runs[0]['wait']:.0f} ms (done at {runs[0]['end']:.0f} ms)" if runs else "")
    if series:
        waits = sorted(r["wait"] for r in series)
        print(f"  {len(series)} series requests (one per panel, 4 at a time): server "
              f"{statistics.median(waits):.0f} ms median, {waits[-1]:.0f} ms max; "
              f"{sum(r['bytes'] for r in series):,} bytes; first sent at "
              f"{min(r['start'] for r in series):.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--metrics", type=int, default=20)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1, help="processes building the data")
    parser.add_argument("--data-dir", help="where the data is (or goes); default: a temporary dir")
    parser.add_argument("--reuse", action="store_true", help="the data dir already holds the data")
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    data_dir = options.data_dir or tempfile.mkdtemp(prefix="roost-bench-ws-")
    if not options.reuse:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        subprocess.run([roost_executable(), "user", "add", USER, "--password-stdin", "--data-dir",
                        data_dir], input=PASSWORD + "\n", text=True, check=True,
                       capture_output=True)
        seconds = build(data_dir, USER, PROJECT, options.runs, options.metrics, options.steps,
                        options.workers)
        print(f"built {options.runs} runs x {options.metrics} metrics x {options.steps:,} steps "
              f"through the storage layer in {seconds:.0f} s")
    size = sum(p.stat().st_size for p in Path(data_dir).glob("roost.db*"))
    print(f"database: {size / 2**30:.1f} GiB")
    with BenchServer(data_dir=data_dir, key_user=USER) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        twenty = [open_workspace(browser, server, 20) for _ in range(options.repeats)]
        describe("20 visible runs", twenty)
        grouped = [open_workspace(browser, server, 100, "optimizer")
                   for _ in range(options.repeats)]
        describe("100 visible runs in 5 groups", grouped)
        browser.close()
        runs = [f"run-{i:03d}" for i in range(options.runs)]
        groups = [[str(g), runs[i::5]] for i, g in enumerate(range(5))]
        key = "train/m00"
        for label, chosen, grouping in (("20 runs", runs[:20], None),
                                        ("100 runs in 5 groups", runs, groups)):
            cpu = cpu_seconds(server.pids())
            wall = server_times(server.url, chosen, key, grouping)
            print(f"one panel's series from the front, no browser, {label}: {wall * 1000:.0f} ms "
                  f"wall, {(cpu_seconds(server.pids()) - cpu) * 1000:.0f} ms server CPU")
        peaks = server.peak_rss_mb()
        print("peak RSS (MiB): " + ", ".join(f"pid {p}: {m:.0f}" for p, m in peaks.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
