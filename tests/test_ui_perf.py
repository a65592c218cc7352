"""A run of 1,000,000 steps x 20 metrics (logged through file_stream over HTTP, as
bench/ui.py does): its run page draws the first charts within 1.5 s of navigation, and zooming
into a slice fetches finer points from the server's downsampling. A project of many runs pages
through them, sorted and grouped by the server (bench/ui.py times one of 10,000)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from harness import RoostServer
from ui_support import add_user, browser, open_page  # noqa: F401 (fixtures)

# One worker runs the whole module, so its fixtures (a server, logged runs) are built once.
pytestmark = [pytest.mark.xdist_group("ui-perf")]

STEPS = 1_000_000
MANY_RUNS = 600
FIRST_CHART_MS = 1500
USER, PASSWORD = "perfuser", "perf-password-1"
BENCH = Path(__file__).resolve().parent.parent / "bench" / "ui.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("roost_bench_ui", BENCH)
    module = importlib.util.module_from_spec(spec)
    import sys
    sys.path.insert(0, str(BENCH.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH.parent))
    return module


@pytest.fixture(scope="module")
def big_run(tmp_path_factory):
    """Its own server: a million history lines should not slow the shared one."""
    bench = load_bench()
    server = RoostServer(tmp_path_factory.mktemp("ui-perf") / "data")
    server.start()
    try:
        key = add_user(server, USER, PASSWORD)
        seconds = bench.log_big_run(server.url, key, "perf", "million", STEPS)
        print(f"logged {STEPS:,} x {len(bench.KEYS)} in {seconds:.1f} s")
        bench.log_many_runs(server.url, key, "many", MANY_RUNS)
        yield {"server": server, "bench": bench}
    finally:
        server.cleanup()


def test_first_charts_within_budget_and_zoom_is_finer(big_run, open_page):
    bench, server = big_run["bench"], big_run["server"]
    page = open_page(server, USER, PASSWORD)
    url = f"{server.url}/{USER}/perf/runs/million"
    # The first visit warms the server's caches and the browser's (scripts); each later
    # navigation is a person opening the page again. The best of three is judged, so one
    # busy moment of a shared CI machine does not decide.
    runs = [bench.open_run_page(page.page, url) for _ in range(3)]
    firsts = [r["first_chart_ms"] for r in runs]
    print(f"first chart: {firsts} ms; bytes: {[r['bytes'] for r in runs]}")
    assert min(firsts) <= FIRST_CHART_MS, f"first chart after {firsts} ms"
    assert runs[-1]["bytes"] < 1_000_000  # chart data is downsampled, never the whole run
    chart = page.page.locator(".chart[data-points]").first
    low, high = map(int, chart.get_attribute("data-steps").split(","))
    assert low < 100_000 and high == STEPS - 1
    assert 100 <= int(chart.get_attribute("data-points")) <= 1000
    page.shot("perf_million_run")

    zoom = bench.zoom_first_chart(page.page, 0.49, 0.51)
    before, after = bench.spacing(zoom["before"]), bench.spacing(zoom["after"])
    low, high = map(int, zoom["after"]["steps"].split(","))
    assert 400_000 < low < high < 600_000, zoom
    assert after * 20 < before, f"zoom did not fetch finer points: {zoom}"
    page.shot("perf_million_zoomed")


def test_a_project_of_many_runs_pages_sorts_and_groups(big_run, open_page):
    bench, server = big_run["bench"], big_run["server"]
    page = open_page(server, USER, PASSWORD)
    shown = bench.open_project_page(page.page, f"{server.url}/{USER}/many/table")
    print(f"first page of the runs table after {shown['first_rows_ms']:.0f} ms")
    assert page.text("#pager").startswith(f"1–50 of {MANY_RUNS}")
    assert page.page.locator("#runs-table tr[data-run]").count() == 50
    page.page.click("#pager button:has-text('Next')")
    page.page.wait_for_selector("#pager >> text=51–100")
    page.page.click("#pager button:has-text('Previous')")
    page.page.wait_for_selector("#pager >> text=1–50")
    # Sorted by a summary value in the database: the first row holds the largest loss.
    page.page.click("#runs-table thead button.sort:has-text('loss')")
    page.page.wait_for_selector("#runs-table[aria-busy=false] th[aria-sort=descending]:has-text('loss')")
    column = page.page.eval_on_selector_all(
        "#runs-table thead th", "ths => ths.findIndex(th => th.getAttribute('aria-sort') === 'descending')")
    assert column > 0, page.text("#runs-table thead")
    losses = page.page.eval_on_selector_all(
        f"#runs-table tr[data-run] td:nth-child({column + 1})",
        "cells => cells.map(c => Number(c.textContent))")
    assert len(losses) == 50 and losses == sorted(losses, reverse=True) and losses[0] > 0.99
    page.goto(f"/{USER}/many/table?group=lr")  # the workspace groups in its sidebar
    page.page.wait_for_selector("tr.group-row")
    groups = page.page.eval_on_selector_all("tr.group-row", "n => n.map(x => x.textContent)")
    assert len(groups) == 4 and all(f"{MANY_RUNS // 4} runs" in g for g in groups)
    page.shot("perf_many_runs_grouped")
