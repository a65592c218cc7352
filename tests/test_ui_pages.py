"""Walk every page of the web UI in a real browser, with runs logged by the real wandb SDK:
home, search, entity, project (columns, sort, filters, group by, selection), run tabs
(charts, overview, system, media, logs, files, artifacts), compare, artifacts, settings.
Screenshots land in test-artifacts/ui/."""

from __future__ import annotations

import json
import re

import pytest
import requests

from harness import SDK_VERSIONS, run_sdk, sdk_problem
from ui_support import add_user, browser, open_page  # noqa: F401 (fixtures)

# One worker runs the whole module, so its fixtures (a server, logged runs) are built once.
pytestmark = [pytest.mark.xdist_group("ui-pages"), pytest.mark.sdk]

SDK = SDK_VERSIONS[0]
USER, PASSWORD, PROJECT = "uiwalker", "walker-password-1", "vision"

LOG_RUNS = r'''
import json, math, os, sys
import numpy as np
import wandb
from sdk_common import FAST, emit

project = os.environ["ROOST_PROJECT"]
ids = {}
dataset_dir = os.path.join(os.getcwd(), "dataset")
os.makedirs(dataset_dir, exist_ok=True)
with open(os.path.join(dataset_dir, "train.csv"), "w") as f:
    f.write("x,y\n1,2\n3,4\n")

def train(name, lr, depth, fail=False, use_data=False):
    run = wandb.init(project=project, name=name, config={
        "lr": lr, "batch_size": 32, "model": {"depth": depth, "act": "relu"}, "seed": 7},
        tags=["baseline", name], notes=f"notes of {name}", group="sweep-a", job_type="train",
        settings=wandb.Settings(**FAST))
    if use_data:
        run.use_artifact("digits:latest")
    rng = np.random.default_rng(depth)
    for step in range(60):
        run.log({"train/loss": math.exp(-step * lr * 3) + rng.random() * 0.02,
                 "train/acc": 1 - math.exp(-step / 20), "eval/loss": 0.5 + 1 / (step + 1),
                 "lr": lr})
        if step in (0, 30, 59):
            image = (rng.random((16, 16, 3)) * 255).astype("uint8")
            run.log({"samples": wandb.Image(image, caption=f"sample at {step}"),
                     "weights": wandb.Histogram(rng.normal(step / 30, 1, 500))})
        if fail and step == 40:
            print("diverged: loss is nan", file=sys.stderr)
            run.finish(exit_code=1)
            return run.id
    run.log({"predictions": wandb.Table(columns=["id", "guess", "truth"],
                                        data=[[1, "cat", "cat"], [2, "dog", "cat"]])})
    print(f"epoch 1 done for {name}")
    print("final accuracy 0.97")
    with open(os.path.join(run.dir, "report.txt"), "w") as f:
        f.write("all good\n")
    run.save(os.path.join(run.dir, "report.txt"), base_path=run.dir, policy="now")
    if not use_data:
        data = wandb.Artifact("digits", type="dataset", metadata={"rows": 2, "source": "unit"})
        data.add_dir(dataset_dir)
        run.log_artifact(data, aliases=["latest", "first"])
    else:
        model = wandb.Artifact("classifier", type="model", description="a small model")
        with open(os.path.join(os.getcwd(), "model.bin"), "wb") as f:
            f.write(b"\x00" * 128)
        model.add_file(os.path.join(os.getcwd(), "model.bin"))
        run.log_artifact(model)
    run.finish()
    return run.id

ids["data"] = train("producer", 0.03, 2)
ids["consumer"] = train("consumer", 0.01, 3, use_data=True)
ids["failed"] = train("unstable", 0.3, 4, fail=True)
emit(ids)
'''


@pytest.fixture(scope="module")
def logged(roost_server):
    problem = sdk_problem(SDK)
    if problem:
        pytest.skip(problem)
    key = add_user(roost_server, USER, PASSWORD)
    ids = run_sdk(SDK, LOG_RUNS, roost_server, api_key=key,
                  env={"ROOST_PROJECT": PROJECT}, timeout=300)
    return {"server": roost_server, "key": key, "ids": ids}


@pytest.fixture
def page(logged, open_page):
    return open_page(logged["server"], USER, PASSWORD)


def run_path(logged, which: str) -> str:
    return f"/{USER}/{PROJECT}/runs/{logged['ids'][which]}"


def test_home_lists_projects_recent_runs_and_search(logged, page):
    page.goto("/")
    text = page.text("main")
    assert PROJECT in text and "Recent runs" in text
    assert "producer" in text and "unstable" in text
    page.shot("home")
    page.page.keyboard.press("/")
    assert page.page.evaluate("document.activeElement.id") == "global-search"
    page.page.keyboard.type("consum")
    with page.page.expect_navigation():
        page.page.keyboard.press("Enter")
    results = page.text("main")
    assert "consumer" in results and "producer" not in results
    page.goto(f"/{USER}")
    assert PROJECT in page.text("main")


def rows(page) -> list[str]:
    """The run names the table shows, once it is not loading."""
    page.page.wait_for_selector("#runs-table[aria-busy=false] tbody tr[data-run], "
                                "#runs-table[aria-busy=false] td.empty")
    return page.page.eval_on_selector_all(
        "#runs-table tbody tr[data-run] a.run-name", "nodes => nodes.map(n => n.textContent)")


def test_project_table_sorts_filters_groups_and_selects(logged, page):
    page.goto(f"/{USER}/{PROJECT}/table")
    assert sorted(rows(page)) == ["consumer", "producer", "unstable"]
    headers = page.text("#runs-table thead")
    assert "lr" in headers and "train/loss" in headers
    page.shot("project")
    # Sort by a config column: the server orders, descending on the first click.
    page.page.click("#runs-table thead button.sort:has-text('lr')")
    page.page.wait_for_selector("#runs-table[aria-busy=false] th[aria-sort=descending]:has-text('lr')")
    assert rows(page) == ["unstable", "producer", "consumer"]
    # A filter the Public API understands, evaluated by the server.
    page.page.click("#filters-button")
    page.page.click("text=+ Add filter")
    page.page.select_option(".filter-row select[aria-label=Field]", "field:state")
    page.page.fill(".filter-row input[aria-label=Value]", "failed")
    page.page.click("#filters-popover button:has-text('Apply')")
    page.page.wait_for_selector("#runs-table[aria-busy=false] tbody tr[data-run]")
    assert rows(page) == ["unstable"]
    assert "f=" in page.page.url  # the view is in the URL, so it can be shared
    # Name search and group by a config value.
    page.goto(f"/{USER}/{PROJECT}/table?group=model.depth")
    page.page.wait_for_selector("tr.group-row")
    groups = page.page.eval_on_selector_all("tr.group-row", "n => n.map(x => x.textContent)")
    assert len(groups) == 3 and all("1 run" in g for g in groups)
    page.shot("project_grouped")
    # Select two runs (keyboard: j moves, x selects) and compare them.
    page.goto(f"/{USER}/{PROJECT}/table")
    rows(page)
    page.page.keyboard.press("j")
    page.page.keyboard.press("x")
    page.page.keyboard.press("j")
    page.page.keyboard.press("x")
    assert page.text("#selection-count") == "2 selected"
    with page.page.expect_navigation():
        page.page.click("#compare-button")
    assert "/compare?runs=" in page.page.url
    page.page.wait_for_selector("#charts-root .chart[data-points]")
    diff = page.text("#config-diff")
    assert "lr" in diff and "model.depth" in diff
    assert "batch_size" not in diff and "seed" not in diff  # the same in both: not shown
    page.shot("compare")


def test_run_charts_group_by_prefix_and_zoom(logged, page):
    page.goto(run_path(logged, "data"))
    page.page.wait_for_selector(".chart[data-points]")
    sections = page.page.eval_on_selector_all(".chart-section summary", "n => n.map(x => x.textContent)")
    assert any(s.startswith("train") for s in sections) and any(s.startswith("eval") for s in sections)
    keys = page.page.eval_on_selector_all(".chart", "n => n.map(x => x.dataset.key)")
    assert {"train/loss", "train/acc", "eval/loss", "lr"} <= set(keys)
    chart = page.page.locator('.chart[data-key="train/loss"]')
    chart.locator("canvas").wait_for()
    assert chart.get_attribute("data-steps") == "0,61"  # 60 steps, and 2 more logging media
    # Smoothing, log scale and the x axis redraw without errors.
    page.page.fill("#smoothing", "0.6")
    page.page.check("#log-scale")
    page.page.click("[data-x=runtime]")
    page.page.wait_for_timeout(300)
    page.shot("run_charts")
    page.page.click("[data-x=step]")
    page.page.uncheck("#log-scale")
    box = chart.locator(".u-over").bounding_box()
    page.page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + 40)
    page.page.mouse.down()
    page.page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + 40, steps=5)
    page.page.mouse.up()
    page.page.wait_for_selector('.chart[data-key="train/loss"][data-state=zoomed]')
    low, high = map(int, chart.get_attribute("data-steps").split(","))
    assert 5 <= low and high <= 40
    page.page.click("#reset-zoom")
    page.page.wait_for_selector('.chart[data-key="train/loss"][data-state=full]')


def test_run_tabs_overview_system_media_logs_files_artifacts(logged, page):
    base = run_path(logged, "data")
    page.goto(base + "/overview")
    config = page.text("#config-table")
    assert "model.depth" in config and "0.03" in config
    assert "notes of producer" in page.text("#run-notes")
    page.shot("run_overview")

    page.goto(base + "/system")
    page.page.wait_for_selector("#system-root .chart, #system-root .empty")
    page.shot("run_system")

    page.goto(base + "/media")
    page.page.wait_for_selector("figure.media-item img")
    loaded = page.page.eval_on_selector("figure.media-item img", "img => img.complete && img.naturalWidth")
    assert loaded == 16
    assert "sample at 59" in page.text("figure.media-item")
    page.page.wait_for_selector(".wb-table table")
    assert "dog" in page.text(".wb-table")
    page.page.wait_for_selector("canvas.histo-canvas")
    page.shot("run_media")

    page.goto(base + "/logs")
    page.page.wait_for_selector("#console .line")
    assert "epoch 1 done for producer" in page.text("#console")
    page.page.fill("#console-search", "final accuracy")
    page.page.wait_for_selector("#console mark")
    assert "matches" in page.text("#console-hits") or "of" in page.text("#console-hits")
    page.shot("run_logs")

    page.goto(base + "/files")
    assert "report.txt" in page.text("#files-table") and "media/" in page.text("#files-table")
    response = requests.get(logged["server"].url + f"{base}/files/report.txt",
                            cookies={c["name"]: c["value"] for c in page.context.cookies()},
                            timeout=30)
    assert response.status_code == 200 and response.text == "all good\n"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    page.goto(base + "/files?path=media")
    page.shot("run_files")

    page.goto(base + "/artifacts")
    assert "digits:v0" in page.text("main")
    page.goto(run_path(logged, "consumer") + "/artifacts")
    text = page.text("main")
    assert "classifier:v0" in text and "digits:v0" in text


def test_failed_run_shows_its_state(logged, page):
    page.goto(run_path(logged, "failed"))
    assert page.text("#run-state").strip() == "failed"
    page.goto(run_path(logged, "failed") + "/logs")
    page.page.wait_for_selector("#console .line")
    assert "diverged" in page.text("#console")


def test_artifact_pages_show_versions_files_and_lineage(logged, page):
    page.goto(f"/{USER}/{PROJECT}/artifacts")
    text = page.text("main")
    assert "dataset" in text and "digits" in text and "classifier" in text
    with page.page.expect_navigation():
        page.page.click("a:has-text('digits')")
    assert "v0" in page.text("#versions-table") and "first" in page.text("#versions-table")
    with page.page.expect_navigation():
        page.page.click("#versions-table a:has-text('v0')")
    assert "train.csv" in page.text("#artifact-files")
    assert "source" in page.text("main") and "unit" in page.text("main")
    assert logged["ids"]["data"] in page.text("#lineage-title + h3 + p")
    assert logged["ids"]["consumer"] in page.text("#consumers")
    page.shot("artifact_version")
    href = page.page.get_attribute("#artifact-files a:has-text('Download')", "href")
    assert requests.get(href if href.startswith("http") else logged["server"].url + href,
                        timeout=30).content == b"x,y\n1,2\n3,4\n"


def test_settings_create_key_once_and_revoke(logged, page):
    page.goto("/settings")
    page.page.fill("input[name=description]", "laptop")
    with page.page.expect_navigation():
        page.page.click("button:has-text('Create key')")
    key = page.text("#new-key-value").strip()
    assert len(key) >= 40
    page.shot("settings_new_key")
    viewer = {"query": "query { viewer { username } }"}
    answer = requests.post(logged["server"].url + "/graphql", json=viewer, auth=("api", key),
                           timeout=30)
    assert answer.json()["data"]["viewer"]["username"] == USER
    page.goto("/settings")
    assert key not in page.page.content()  # shown once only
    row = page.page.locator("#keys-table tr", has_text="laptop")
    with page.page.expect_navigation():
        row.locator("button:has-text('Revoke')").click()
    assert "revoked" in page.page.locator("#keys-table tr", has_text="laptop").inner_text()
    refused = requests.post(logged["server"].url + "/graphql", json=viewer, auth=("api", key),
                            timeout=30)
    assert refused.status_code == 401


def test_settings_change_password(logged, open_page):
    server = logged["server"]
    add_user(server, "uipassword", "first-password-1")
    page = open_page(server, "uipassword", "first-password-1")
    page.goto("/settings")
    page.page.fill("input[name=old_password]", "first-password-1")
    page.page.fill("input[name=new_password]", "second-password-2")
    page.page.fill("input[name=confirm_password]", "second-password-2")
    with page.page.expect_navigation():
        page.page.click("button:has-text('Change password')")
    assert "password is changed" in page.text("main")
    open_page(server, "uipassword", "second-password-2")  # signs in with the new one
    page.goto("/settings")
    page.page.fill("input[name=old_password]", "wrong-password-0")
    page.page.fill("input[name=new_password]", "third-password-3")
    page.page.fill("input[name=confirm_password]", "third-password-3")
    with page.page.expect_navigation():
        page.page.click("button:has-text('Change password')")
    assert page.page.locator(".error-box").count() == 1


def test_readable_at_laptop_width(logged, page):
    """At 1280 px nothing but the runs table (which scrolls inside its panel) is wider than
    the window."""
    page.page.set_viewport_size({"width": 1280, "height": 800})
    for path in (f"/{USER}/{PROJECT}", run_path(logged, "data"), run_path(logged, "data") + "/media",
                 f"/{USER}/{PROJECT}/compare?runs={logged['ids']['data']},{logged['ids']['consumer']}"):
        page.goto(path)
        width = page.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, f"{path} is {width} px wide"
    page.shot("compare_laptop")


def test_dark_theme_and_keyboard_help(logged, page):
    page.goto(f"/{USER}/{PROJECT}")
    page.page.keyboard.press("t")
    assert page.page.get_attribute("html", "data-theme") == "dark"
    page.goto(run_path(logged, "consumer"))
    page.page.wait_for_selector(".chart[data-points]")
    assert page.page.get_attribute("html", "data-theme") == "dark"  # remembered
    page.shot("run_charts_dark")
    page.page.keyboard.press("?")
    assert page.page.is_visible("#help-dialog")
    page.page.keyboard.press("Escape")
    page.page.keyboard.press("t")


def test_json_endpoints_answer_errors_as_json(logged):
    server = logged["server"]
    session = requests.Session()
    answer = session.get(f"{server.url}/_ui/api/{USER}/{PROJECT}/runs", timeout=30)
    assert answer.status_code == 401 and "sign in" in answer.json()["error"]
    answer = session.post(f"{server.url}/_ui/api/{USER}/{PROJECT}/runs/delete",
                          json={"runs": [logged["ids"]["data"]]}, timeout=30)
    assert answer.status_code in (400, 401)  # no session and no CSRF token: refused
    assert server.run_record(USER, PROJECT, logged["ids"]["data"]) is not None


@pytest.mark.parametrize("path, status, kind", [
    ("/graphql", 405, "application/json"), ("/healthz", 200, "application/json"),
    ("/files/a/b/c/file_stream", 401, "application/json"),
    ("/console/", 302, None), ("/login", 200, "text/html"),
    ("/storage/x", None, None), ("/artifacts/x", None, None), ("/sdk/x", None, None),
])
def test_page_urls_do_not_shadow_the_front(logged, path, status, kind):
    """The catch-all page URLs (/<entity>/<project>...) are registered last and refuse the
    front's first segments: those paths answer as they would without the UI."""
    answer = requests.get(logged["server"].url + path, allow_redirects=False, timeout=30)
    assert "data-ui-api" not in answer.text  # never a UI page
    if status is not None:
        assert answer.status_code == status
    if kind is not None:
        assert answer.headers["Content-Type"].startswith(kind)


def test_unknown_pages_are_404_pages(logged, page):
    response = page.goto(f"/{USER}/{PROJECT}/runs/doesnotexist")
    assert response.status == 404 and "Not found" in page.text("main")
    response = page.goto("/nobody-here/nothing")
    assert response.status == 404
    assert re.search(r"does not exist|not found", page.text("main"), re.I)
    assert json.loads(requests.get(logged["server"].url + "/healthz", timeout=10).text)
