"""The project workspace in a real browser (Debian's chromium, Playwright) against a real
`roost serve`, with runs logged by the real wandb SDK: panels drawn for the visible runs, a
run hidden with its eye, the x axis set to a logged metric, runs grouped into a mean with a
band computed on the server, a panel added, moved and still there after a reload, a view
saved by wandb-workspaces opened by its URL, markup shown as text, and the permissions the
API has. Screenshots land in test-artifacts/ui/."""

from __future__ import annotations

import json

import pytest
import requests

from harness import SDK_VERSIONS, run_sdk, sdk_problem
from ui_support import add_user, browser, open_page  # noqa: F401 (fixtures)
from views_support import WORKSPACES_SDK

pytestmark = [pytest.mark.xdist_group("ui-workspace"), pytest.mark.sdk]

SDK = SDK_VERSIONS[0]
USER, PASSWORD, PROJECT = "wsowner", "workspace-password-1", "board"
OTHER, OTHER_PASSWORD = "wsstranger", "stranger-password-1"
MARK = "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=1>"

LOG_RUNS = r'''
import math, os
import numpy as np
import wandb
from sdk_common import FAST, emit

project = os.environ["ROOST_PROJECT"]
mark = os.environ["ROOST_MARK"]
ids = {}
for i, (name, optimizer) in enumerate([("alpha", "adam"), ("beta", "adam"), ("gamma", "sgd"),
                                       ("delta", "sgd"), ("evil " + mark, "sgd")]):
    run = wandb.init(project=project, name=name, config={"optimizer": optimizer, "lr": 0.1 / (i + 1)},
                     settings=wandb.Settings(**FAST))
    rng = np.random.default_rng(i)
    for step in range(40):
        run.log({"train/loss": math.exp(-step / (10 + 5 * i)) + i * 0.1, "train/acc": step / 40,
                 "val/loss": 1 / (step + 1 + i), "epoch": step / 10, "val/tiny": 3e-4 + step * 1e-6,
                 ("val/" + mark if i == 4 else "val/clean"): step})
        if step % 10 == 0:
            run.log({"samples": wandb.Image((rng.random((8, 8, 3)) * 255).astype("uint8"),
                                            caption=f"{name} at {step}")})
    run.finish()
    ids[name.split()[0]] = run.id
emit(ids)
'''

SAVE_VIEW = r'''
import json, sys
import wandb_workspaces.workspaces as ws
import wandb_workspaces.reports.v2 as wr
entity, project = sys.argv[1], sys.argv[2]
workspace = ws.Workspace(entity=entity, project=project, name="From Python", sections=[
    ws.Section(name="Saved in Python", is_open=True, panels=[
        wr.LinePlot(title="loss by epoch", x="epoch", y=["train/loss"]),
        wr.ScalarChart(metric="train/acc"),
        wr.MarkdownPanel(markdown="## Notes from Python"),
    ]),
])
workspace.save()
print("RESULT " + json.dumps({"url": workspace.url}))
'''

LOAD_VIEW = r'''
import json, sys
import wandb_workspaces.workspaces as ws
loaded = ws.Workspace.from_url(sys.argv[1])
print("RESULT " + json.dumps({"sections": [s.name for s in loaded.sections],
                              "panels": [[type(p).__name__ for p in s.panels] for s in loaded.sections]}))
'''


@pytest.fixture(scope="module")
def logged(roost_server):
    problem = sdk_problem(SDK)
    if problem:
        pytest.skip(problem)
    key = add_user(roost_server, USER, PASSWORD)
    add_user(roost_server, OTHER, OTHER_PASSWORD)
    ids = run_sdk(SDK, LOG_RUNS, roost_server, api_key=key,
                  env={"ROOST_PROJECT": PROJECT, "ROOST_MARK": MARK}, timeout=300)
    return {"server": roost_server, "key": key, "ids": ids}


@pytest.fixture
def page(logged, open_page):
    return open_page(logged["server"], USER, PASSWORD)


def drawn(page, selector=".ws-panel-body[data-state=drawn][data-series]"):
    page.page.wait_for_selector(selector, timeout=30_000)


def panel(page, key: str):
    return page.page.locator(f".ws-panel:has(.ws-panel-head .name[title='{key}']) .ws-panel-body")


def series_of(page, key: str) -> list[str]:
    body = panel(page, key)
    body.locator("xpath=self::*[@data-state='drawn']").wait_for(timeout=30_000)
    return sorted(body.get_attribute("data-series").split("|"))


def wait_series(page, key: str, predicate, what: str):
    for _ in range(100):
        names = series_of(page, key)
        if predicate(names):
            return names
        page.page.wait_for_timeout(100)
    raise AssertionError(f"{what}: {names}")


def test_panels_drawn_for_visible_runs_in_sections_by_prefix(logged, page):
    ids = logged["ids"]
    page.goto(f"/{USER}/{PROJECT}")
    drawn(page)
    sections = page.page.eval_on_selector_all(".ws-section > summary .ws-section-name", "n => n.map(x => x.textContent)")
    assert sections[:2] == ["train", "val"], sections
    assert "Charts" in sections  # epoch has no prefix
    names = series_of(page, "train/loss")
    assert names == sorted(ids.values())
    assert page.page.locator(".ws-runs li").count() == 5
    # The runs table is a tab beside the workspace, and the old table links still work.
    assert page.page.locator("nav.tabs a:has-text('Runs')").get_attribute("href").endswith(f"/{USER}/{PROJECT}/table")
    response = requests.get(f"{logged['server'].url}/{USER}/{PROJECT}?order=-created_at",
                            allow_redirects=False, timeout=30)
    assert response.status_code == 302 and "/table?order=" in response.headers["Location"]
    # A section folds.
    page.page.click(".ws-section[data-section=val] > summary .ws-section-name")
    assert not page.page.eval_on_selector(".ws-section[data-section=val]", "n => n.open")
    page.shot("workspace")


def test_the_same_colour_for_a_run_on_every_page(logged, page):
    ids = logged["ids"]
    page.goto(f"/{USER}/{PROJECT}")
    drawn(page)
    colour = lambda selector: page.page.eval_on_selector(selector, "n => getComputedStyle(n).backgroundColor")  # noqa: E731
    in_workspace = colour(f".ws-runs li[data-run='{ids['gamma']}'] .swatch")
    page.goto(f"/{USER}/{PROJECT}/table")
    page.page.wait_for_selector("#runs-table tr[data-run]")
    assert colour(f"#runs-table tr[data-run='{ids['gamma']}'] .swatch") == in_workspace
    page.goto(f"/{USER}/{PROJECT}/compare?runs={ids['alpha']},{ids['gamma']}")
    page.page.wait_for_selector(".chart[data-points]")
    assert colour(f"#compare-runs [data-run='{ids['gamma']}'] .swatch") == in_workspace


def test_small_values_keep_their_tick_labels(logged, page):
    page.goto(f"/{USER}/{PROJECT}/runs/{logged['ids']['alpha']}")
    chart = '.chart[data-key="val/tiny"]'
    page.page.wait_for_selector(chart + "[data-points]")
    # uPlot draws the labels on a canvas: read what it drew and the room it gave them.
    drawn_labels = page.page.eval_on_selector(chart, """node => {
        const axis = node.uplot.axes[1];
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = axis.font[0];
        return {labels: axis._values, size: axis._size,
                widest: Math.max(...axis._values.map(t => ctx.measureText(t).width))};
    }""")
    labels = drawn_labels["labels"]
    assert labels and all("e-4" in t for t in labels if t != "0"), labels
    assert all(len(t) <= 6 for t in labels), labels  # "3.2e-4", not "3.2000e-4"
    assert drawn_labels["widest"] + 8 <= drawn_labels["size"], drawn_labels
    page.shot("run_small_values")


def test_compare_shows_four_runs_without_scrolling_or_wrapping(logged, page):
    ids = logged["ids"]
    names = ",".join(ids[n] for n in ("alpha", "beta", "gamma", "delta"))
    page.page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/{USER}/{PROJECT}/compare?runs={names}")
    summary = "section[aria-labelledby=sum-title] .table-scroll"
    page.page.wait_for_selector(summary)
    sizes = page.page.eval_on_selector(summary, "n => [n.scrollWidth, n.clientWidth]")
    assert sizes[0] <= sizes[1], f"the summary scrolls sideways: {sizes}"
    wrapped = page.page.eval_on_selector_all(f"{summary} td.num", """cells => cells.filter(c => {
        const line = parseFloat(getComputedStyle(c).lineHeight) || 20;
        return c.textContent && c.getBoundingClientRect().height > 2.2 * line; }).length""")
    assert wrapped == 0
    page.shot("compare_four_runs")


def test_hiding_a_run_takes_it_out_of_every_panel(logged, page):
    ids = logged["ids"]
    page.goto(f"/{USER}/{PROJECT}")
    drawn(page)
    page.page.click(f".ws-runs li[data-run='{ids['beta']}'] button.eye")
    wait_series(page, "train/loss", lambda n: ids["beta"] not in n and len(n) == 4, "beta still drawn")
    page.shot("workspace_run_hidden")
    page.page.click(f".ws-runs li[data-run='{ids['beta']}'] button.eye")  # and back
    wait_series(page, "train/loss", lambda n: ids["beta"] in n, "beta not drawn again")
    # "Show first N": only the first runs of the list are drawn.
    page.page.select_option("#ws-limit", "5")
    wait_series(page, "train/loss", lambda n: len(n) == 5, "not every run drawn")


def test_x_axis_by_a_logged_metric(logged, page):
    page.goto(f"/{USER}/{PROJECT}")
    drawn(page)
    with page.page.expect_response(lambda r: "/workspace/series" in r.url and "x=epoch" in r.url
                                   and "keys=train%2Floss&" in r.url) as answer:
        page.page.select_option("#ws-x", "epoch")
    body = answer.value.json()
    loss = next(iter(body["series"]["train/loss"].values()))
    assert body["x"] == "metric" and loss["x"]["metric"][:3] == [0.0, 0.1, 0.2]
    page.page.wait_for_selector(".ws-panel-body[data-x=epoch][data-state=drawn]")
    page.shot("workspace_x_epoch")
    page.page.select_option("#ws-x", "_step")
    page.page.wait_for_selector(".ws-panel-body[data-x=step][data-state=drawn]")


def test_grouped_runs_draw_a_mean_with_a_band_computed_on_the_server(logged, page):
    with page.page.expect_response(lambda r: "/workspace/series" in r.url and "groups=" in r.url
                                   and "keys=train%2Floss&" in r.url) as answer:
        page.goto(f"/{USER}/{PROJECT}?group=optimizer")
    drawn(page)
    body = answer.value.json()
    assert "series" not in body  # the runs' own series are not shipped
    groups = body["groups"]["train/loss"]
    assert set(groups) == {"adam", "sgd"}
    assert any(lo < hi for lo, hi in zip(groups["sgd"]["lo"], groups["sgd"]["hi"]))
    names = wait_series(page, "train/loss", lambda n: n == ["group:adam", "group:sgd"], "not grouped")
    assert names == ["group:adam", "group:sgd"]
    assert int(panel(page, "train/loss").get_attribute("data-bands")) == 2
    assert page.page.locator(".ws-panel:has(.name[title='train/loss']) .ws-legend").inner_text().count("(") == 2
    page.shot("workspace_grouped")


def test_a_panel_added_and_moved_is_there_after_a_reload(logged, page):
    page.goto(f"/{USER}/{PROJECT}")
    drawn(page)
    section = page.page.locator(".ws-section[data-section=train]")
    section.locator("summary button:has-text('+ Panel')").click()
    page.page.select_option("#ws-editor select[name=type]", "Markdown Panel")
    page.page.fill("#ws-editor textarea[name=value]", f"# Hello board\n\n{MARK}\n\nand **bold** [link](javascript:window.__pwned=1)")
    page.page.fill("#ws-editor input[name=chartTitle]", "My notes")
    page.page.click("#ws-editor button[type=submit]")
    note = page.page.locator(".grid-stack-item:has(.ws-panel-head .name[title='My notes'])")
    note.wait_for()
    assert note.locator(".ws-markdown h1").inner_text() == "Hello board"
    assert note.locator(".ws-markdown script, .ws-markdown img[onerror]").count() == 0
    before = int(note.get_attribute("gs-y") or 0)  # gridstack leaves out a 0
    assert before > 0
    # Drag it by its head to the top left of its section.
    head = note.locator(".ws-panel-head .name").bounding_box()
    grid = section.locator(".grid-stack").bounding_box()
    page.page.mouse.move(head["x"] + 20, head["y"] + 5)
    page.page.mouse.down()
    page.page.mouse.move(grid["x"] + 40, grid["y"] + 10, steps=12)
    page.page.mouse.up()
    page.page.wait_for_function("() => document.body.dataset.saved")
    page.page.wait_for_timeout(300)
    assert int(note.get_attribute("gs-y") or 0) == 0
    page.shot("workspace_panel_added")
    page.page.reload()
    drawn(page)
    again = page.page.locator(".grid-stack-item:has(.ws-panel-head .name[title='My notes'])")
    again.wait_for()
    assert int(again.get_attribute("gs-y") or 0) == 0 and int(again.get_attribute("gs-x") or 0) == 0
    assert again.locator(".ws-markdown a[href^=javascript]").count() == 0
    assert again.locator(".ws-markdown strong").inner_text() == "bold"
    assert page.page.evaluate("window.__pwned") is None
    # Deleted, and gone after a reload too.
    again.locator("button[aria-label^='Delete panel']").click()
    page.page.wait_for_function("() => document.body.dataset.saved")
    page.page.wait_for_timeout(900)
    page.page.reload()
    drawn(page)
    assert page.page.locator(".ws-panel-head .name[title='My notes']").count() == 0


def test_a_view_saved_in_python_opens_by_its_url_and_loads_back(logged, page):
    result = run_sdk(WORKSPACES_SDK, SAVE_VIEW, logged["server"], logged["key"],
                     args=[USER, PROJECT], timeout=300)
    url = result["url"]
    assert url.startswith(f"{logged['server'].url}/{USER}/{PROJECT}?nw=")
    page.page.goto(url)
    drawn(page)
    sections = page.page.eval_on_selector_all(".ws-section > summary .ws-section-name", "n => n.map(x => x.textContent)")
    assert sections == ["Saved in Python"]
    assert page.page.locator(".ws-panel-body[data-x=epoch]").count() == 1
    page.page.wait_for_selector(".ws-scalar strong")
    assert page.page.locator(".ws-markdown h2").inner_text() == "Notes from Python"
    # Arranged in the browser (a line plot added), it loads back in Python.
    page.page.click(".ws-section summary button:has-text('+ Panel')")
    page.page.select_option("#ws-editor select[name=metrics]", ["val/loss"])
    page.page.click("#ws-editor button[type=submit]")
    page.page.wait_for_function("() => document.body.dataset.saved")
    page.shot("workspace_saved_view")
    loaded = run_sdk(WORKSPACES_SDK, LOAD_VIEW, logged["server"], logged["key"], args=[url],
                     timeout=300)
    assert loaded["sections"] == ["Saved in Python"]
    assert loaded["panels"] == [["LinePlot", "ScalarChart", "MarkdownPanel", "LinePlot"]]


def test_markup_in_names_is_text(logged, page):
    page.goto(f"/{USER}/{PROJECT}")
    drawn(page)
    assert MARK in page.text(".ws-runs")
    page.page.wait_for_selector(f".ws-panel-head .name[title='val/{MARK}']", state="attached")
    assert page.page.evaluate("window.__pwned") is None
    assert page.page.locator("#ws-sections script, .ws-runs script").count() == 0


def test_permissions_are_the_apis(logged, open_page):
    server = logged["server"]
    stranger = open_page(server, OTHER, OTHER_PASSWORD)
    response = stranger.goto(f"/{USER}/{PROJECT}")
    assert response.status == 404
    api = stranger.page.request.get(f"{server.url}/_ui/api/{USER}/{PROJECT}/workspace/series"
                                    f"?runs={logged['ids']['alpha']}&keys=train/loss")
    assert api.status == 404
    visitor = requests.get(f"{server.url}/{USER}/{PROJECT}", allow_redirects=False, timeout=30)
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]
    bad = stranger.page.request.get(f"{server.url}/_ui/api/{USER}/{PROJECT}/workspace/series?runs=a")
    assert bad.status in (400, 404)
    assert "error" in json.loads(bad.text())
