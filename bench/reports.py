"""Report benchmark: a report of 10 panel grids (each a runset of 10 runs, two line plots, a
bar chart and a scalar) opened in Debian's chromium, signed in and through its view-only
link signed out, cold and warm.

Logs 10 runs x 5 metrics x STEPS history lines through file_stream, saves the report through
GraphQL upsertView (the spec wandb-workspaces writes), then prints per opening: ms from
navigation to every panel drawn, the requests and bytes the page transferred, and where the
time went (the page's HTML, the runsets, the series).

    python bench/reports.py [--steps 5000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import orjson
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import BenchServer, create_run, roost_executable  # noqa: E402
from ui import CHROMIUM, CHROMIUM_ARGS, sign_in  # noqa: E402

PROJECT = "bench-reports"
RUNS = 10
GRIDS = 10
METRICS = ["train/loss", "train/acc", "val/loss", "val/acc", "lr"]
CHUNK = 5_000
UPSERT = """mutation U($spec: String!) { upsertView(input: {entityName: "bencher",
  projectName: "%s", type: "runs", name: "bench", displayName: "Ten grids",
  spec: $spec}) { view { id } } }""" % PROJECT
SHARE = """mutation S($id: ID!) { createAccessToken(input: {viewId: $id, projects: []}) {
  accessToken { token } } }"""


def log_runs(server: BenchServer, session: requests.Session, steps: int) -> float:
    started = time.perf_counter()
    for r in range(RUNS):
        stream = create_run(session, server.url, PROJECT, f"run-{r}")
        reply = session.post(server.url + "/graphql", timeout=60, json={"query": (
            'mutation { upsertBucket(input: {name: "run-%d", modelName: "%s", config: %s, '
            'summaryMetrics: %s}) { bucket { id } } }') % (
            r, PROJECT, json.dumps(json.dumps({"opt": {"value": ["adam", "sgd"][r % 2]}})),
            json.dumps(json.dumps({"val/acc": r / RUNS, "train/loss": 1 / (r + 1)})))})
        reply.raise_for_status()
        for offset in range(0, steps, CHUNK):
            lines = [orjson.dumps({"_step": s, "_runtime": s / 10, "_timestamp": 1.7e9 + s,
                                   **{m: round((i + 1) / (s + 1) + r / 100, 6)
                                      for i, m in enumerate(METRICS)}}).decode()
                     for s in range(offset, min(offset + CHUNK, steps))]
            body = {"files": {"wandb-history.jsonl": {"offset": offset, "content": lines}}}
            session.post(stream, json=body, timeout=600).raise_for_status()
    return time.perf_counter() - started


def panel(kind: str, x: int, y: int, config: dict) -> dict:
    return {"__id__": f"p{kind}{x}{y}", "layout": {"x": x, "y": y, "w": 8, "h": 6},
            "viewType": kind, "config": config}


def grid_block(index: int, project_id: str) -> dict:
    runset = {"id": f"rs{index}", "runFeed": {"version": 2, "columnVisible": {},
                                              "columnPinned": {}, "columnWidths": {},
                                              "columnOrder": [], "pageSize": 10,
                                              "onlyShowSelected": False},
              "enabled": True, "name": "Run set",
              "project": {"name": PROJECT, "entityName": "bencher", "id": project_id},
              "search": {"query": ""},
              "filters": {"filterFormat": "filterV2", "filters": []}, "grouping": [],
              "sort": {"keys": [{"key": {"section": "run", "name": "createdAt"},
                                 "ascending": False}]},
              "selections": {"root": 1, "bounds": [], "tree": []}, "expandedRowAddresses": []}
    panels = [panel("Run History Line Plot", 0, 0, {"xAxis": "_step", "metrics": ["train/loss"]}),
              panel("Run History Line Plot", 8, 0, {"xAxis": "_step", "metrics": ["val/acc"]}),
              panel("Bar Chart", 16, 0, {"metrics": ["val/acc"], "vertical": False}),
              panel("Scalar Chart", 0, 6, {"metrics": ["train/loss"]})]
    return {"type": "panel-grid", "children": [{"text": ""}], "metadata": {
        "openViz": True, "openRunSet": 0, "name": "unused-name", "runSets": [runset],
        "hideRunSets": False, "panelBankSectionConfig": {
            "name": "Report Panels", "isOpen": False, "panels": panels, "type": "grid"}}}


def save_report(server: BenchServer, session: requests.Session) -> tuple[str, str]:
    project = session.post(server.url + "/graphql", timeout=60, json={"query": (
        'query { project(name: "%s", entityName: "bencher") { internalId } }' % PROJECT)})
    project_id = project.json()["data"]["project"]["internalId"]
    blocks = []
    for i in range(GRIDS):
        blocks += [{"type": "heading", "level": 2, "children": [{"text": f"Section {i}"}]},
                   {"type": "paragraph", "children": [{"text": "Some text about it."}]},
                   grid_block(i, project_id)]
    spec = {"version": 5, "panelSettings": {}, "blocks": blocks, "width": "readable",
            "authors": [], "discussionThreads": []}
    reply = session.post(server.url + "/graphql", timeout=60,
                         json={"query": UPSERT, "variables": {"spec": json.dumps(spec)}})
    view_id = reply.json()["data"]["upsertView"]["view"]["id"]
    token = session.post(server.url + "/graphql", timeout=60, json={
        "query": SHARE, "variables": {"id": view_id}}).json()
    return (f"{server.url}/bencher/{PROJECT}/reports/Ten-grids--{view_id.rstrip('=')}",
            token["data"]["createAccessToken"]["accessToken"]["token"])


def open_report(page, url: str) -> dict:
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("#report-blocks[data-state=drawn]", timeout=60_000)
    wall = (time.perf_counter() - started) * 1000
    drawn = float(page.get_attribute("#report-blocks", "data-draw-ms"))
    first = page.evaluate("performance.getEntriesByName('roost:first-grid')[0].startTime")
    resources = page.evaluate("performance.getEntriesByType('resource').map(r => "
                              "[r.name, r.transferSize, r.duration])")
    nav = page.evaluate("[performance.getEntriesByType('navigation')[0].transferSize,"
                        " performance.getEntriesByType('navigation')[0].responseEnd]")
    charts = page.locator(".panel-grid .chart[data-points]").count()
    series = [r for r in resources if "/series?" in r[0]]
    runsets = [r for r in resources if "/runsets/" in r[0]]  # with every run's series
    return {"ms": wall, "panels_after_script_ms": drawn, "first_grid_ms": first, "charts": charts,
            "requests": len(resources) + 1,
            "bytes": nav[0] + sum(r[1] for r in resources), "html_ms": nav[1],
            "runset_requests": len(runsets), "series_requests": len(series),
            "runset_ms_median": statistics.median([r[2] for r in runsets]) if runsets else 0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with BenchServer() as server:
        password = "bench-password-1"
        subprocess.run([roost_executable(), "user", "add", "bencher", "--password-stdin",
                        "--data-dir", server.data_dir], input=password + "\n", text=True,
                       check=True, capture_output=True)
        key = subprocess.run([roost_executable(), "key", "create", "bencher", "--data-dir",
                              server.data_dir], capture_output=True, text=True,
                             check=True).stdout.strip().splitlines()[-1]
        session = requests.Session()
        session.auth = ("api", key)
        seconds = log_runs(server, session, args.steps)
        print(f"logged {RUNS} runs x {len(METRICS)} metrics x {args.steps:,} steps "
              f"in {seconds:.1f} s")
        url, token = save_report(server, session)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for label, link, signed_in in (("signed in", url, True),
                                           ("view-only link", f"{url}?accessToken={token}",
                                            False)):
                cold, warm = [], []
                for _ in range(args.repeats):
                    context = browser.new_context(viewport={"width": 1400, "height": 900})
                    page = context.new_page()
                    if signed_in:
                        sign_in(page, server.url, "bencher", password)
                    cold.append(open_report(page, link))
                    warm.append(open_report(page, link))
                    context.close()
                for name, runs in (("cold", cold), ("warm", warm)):
                    median = sorted(runs, key=lambda r: r["ms"])[len(runs) // 2]
                    print(f"{label:>15} {name}: first grid drawn at {median['first_grid_ms']:.0f} "
                          f"ms, all {GRIDS} grids in {median['ms']:.0f} ms (HTML "
                          f"{median['html_ms']:.0f} ms, panels "
                          f"{median['panels_after_script_ms']:.0f} ms after the script "
                          f"started; {median['charts']} charts), "
                          f"{median['requests']} requests, {median['bytes'] / 1e6:.2f} MB, "
                          f"{median['runset_requests']} runset requests (median "
                          f"{median['runset_ms_median']:.0f} ms), {median['series_requests']} "
                          "series requests")
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
