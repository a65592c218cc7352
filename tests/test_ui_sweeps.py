"""The sweep page in a real browser, with a sweep whose runs a real ``wandb.agent`` made: the
runs table (sortable, linked to the runs), the parallel coordinates (an axis per swept
parameter plus the metric, a line per run, hover and keyboard), the parameter importance
(random forest + correlation, or a clear message when too few runs finished), markup in a
parameter value shown as text, the project's sweeps list, and another user's private sweep
as a 404. Unit tests of the importance and axis functions come first (no server).
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import time

import pytest
import requests
import yaml

from harness import SDK_VERSIONS, run_sdk, sdk_problem
from roost.admin.ui.sweep_axes import build_axes, label, swept_parameters
from roost.admin.ui.sweep_importance import correlation, parameter_importance
from ui_support import add_user, browser, open_page  # noqa: F401 (fixtures)

SDK = SDK_VERSIONS[0]
OWNER, OUTSIDER, PASSWORD, PROJECT = "sweeper", "sweepsnoop", "sweep-password-1", "tuning"
MARK = "<b class=pwned>x</b>"
# sweep_agent.py's "quick" training logs loss = a + 0.5 * (b == "y"): six runs, loss 1 to 3.5.
GRID = {"method": "grid", "metric": {"name": "loss", "goal": "minimize"},
        "parameters": {"a": {"values": [1, 2, 3]}, "b": {"values": ["y", MARK]},
                       "seed": {"value": 7}}}
EMPTY = {"method": "random", "metric": {"name": "loss", "goal": "minimize"},
         "parameters": {"lr": {"distribution": "log_uniform_values", "min": 1e-4, "max": 0.1},
                        "opt": {"values": ["adam", "sgd"]}}}
UPSERT_SWEEP = """mutation($config: String, $project: String) {
  upsertSweep(input: {config: $config, projectName: $project}) { sweep { name } } }"""


def browser_test(test):
    """One worker runs every browser test here, so the server and the sweep are built once."""
    return pytest.mark.sdk(pytest.mark.xdist_group("ui-sweeps")(test))


# -- the importance and axes, without a server --------------------------------------------------
def point(name, params, metric, state="finished"):
    return {"name": name, "state": state, "params": params, "metric": metric}


AXES = [{"name": "x", "kind": "numeric"}, {"name": "z", "kind": "numeric"},
        {"name": "opt", "kind": "categorical", "categories": ["adam", "sgd"]}]


def test_importance_finds_the_parameter_that_drives_the_metric():
    rng = random.Random(3)
    points = []
    for i in range(40):
        x, z, opt = rng.random(), rng.random(), rng.choice(["adam", "sgd"])
        loss = 4 * x + (0.5 if opt == "sgd" else 0) + rng.random() * 0.05
        points.append(point(f"r{i}", {"x": x, "z": z, "opt": opt}, loss))
    points.append(point("busy", {"x": 9.0, "z": 9.0, "opt": "sgd"}, None, "running"))
    answer = parameter_importance(points, AXES, {"name": "loss", "goal": "minimize"})
    assert answer["message"] is None and answer["runs"] == 40
    rows = {(r["parameter"], r["value"]): r for r in answer["rows"]}
    assert set(rows) == {("x", None), ("z", None), ("opt", "adam"), ("opt", "sgd")}
    assert answer["rows"][0]["parameter"] == "x" and rows["x", None]["importance"] > 0.6
    assert rows["z", None]["importance"] < 0.15
    assert abs(sum(r["importance"] for r in answer["rows"]) - 1) < 1e-3
    assert rows["x", None]["correlation"] > 0.9 and abs(rows["z", None]["correlation"]) < 0.4
    # A value's row says whether runs with it did better or worse.
    assert rows["opt", "sgd"]["correlation"] > 0 > rows["opt", "adam"]["correlation"]
    again = parameter_importance(points, AXES, {"name": "loss", "goal": "minimize"})
    assert again == answer  # seeded: the same runs give the same numbers


def test_importance_explains_why_it_has_nothing_to_show():
    metric = {"name": "loss", "goal": "minimize"}
    few = [point(f"r{i}", {"x": i, "z": 1, "opt": "adam"}, float(i)) for i in range(4)]
    few += [point(f"q{i}", {"x": i, "z": 1, "opt": "adam"}, None, "running") for i in range(3)]
    answer = parameter_importance(few, AXES, metric)
    assert answer["rows"] == [] and answer["runs"] == 4 and answer["needed"] == 5
    assert "at least 5 finished runs" in answer["message"] and "has 4" in answer["message"]
    flat = [point(f"r{i}", {"x": i, "z": 1, "opt": "adam"}, 2.0) for i in range(6)]
    assert "same value in every finished run" in parameter_importance(flat, AXES, metric)["message"]
    still = [point(f"r{i}", {"x": 1, "z": 1, "opt": "adam"}, float(i)) for i in range(6)]
    assert "No swept parameter varies" in parameter_importance(still, AXES, metric)["message"]
    assert "no metric" in parameter_importance(flat, AXES, None)["message"]


def test_correlation():
    assert correlation([1, 2, 3, 4], [2, 4, 6, 8]) == pytest.approx(1)
    assert correlation([1, 2, 3, 4], [8, 6, 4, 2]) == pytest.approx(-1)
    assert correlation([1, None, 3, 4], [1, 100, 3, 4]) == pytest.approx(1)
    assert correlation([1, 1, 1, 1], [1, 2, 3, 4]) is None
    assert correlation([1, 2], [1, 2]) is None


def test_axes_follow_the_config_and_the_values_runs_got():
    config = yaml.safe_load("""
method: random
parameters:
  lr: {distribution: log_uniform_values, min: 0.0001, max: 0.1}
  opt: {values: [sgd, adam, "<i>x</i>"]}
  seed: {value: 7}
  flag: {values: [true, false]}
  model:
    parameters:
      depth: {values: [2, 4]}
""")
    parameters = swept_parameters(config)
    assert [p["name"] for p in parameters] == ["lr", "opt", "flag", "model.depth"]
    configs = [{"lr": 0.01, "opt": "adam", "flag": True, "model": {"depth": 4}},
               {"lr": 0.001, "opt": "<i>x</i>", "flag": False, "model": {"depth": 2}}]
    axes = {a["name"]: a for a in build_axes(parameters, configs)}
    assert axes["lr"]["kind"] == "numeric" and axes["lr"]["log"] is True
    assert axes["model.depth"] | {} == {"name": "model.depth", "kind": "numeric", "log": False,
                                        "integer": True, "min": 2, "max": 4}
    # Categories in the config's order, only those some run got; markup stays text.
    assert axes["opt"]["categories"] == ["adam", "<i>x</i>"]
    assert axes["flag"]["categories"] == ["true", "false"]
    assert label({"b": 1, "a": [1, 2]}) == '{"a": [1, 2], "b": 1}' and label(0.1) == "0.1"
    # Before any run, the axes show what the config allows.
    before = {a["name"]: a for a in build_axes(parameters, [])}
    assert (before["lr"]["log"], before["lr"]["min"], before["lr"]["max"]) == (True, 1e-4, 0.1)
    assert before["opt"]["categories"] == ["sgd", "adam", "<i>x</i>"]


# -- the page in a browser ----------------------------------------------------------------------
def create_sweep(server, key: str, config: dict) -> str:
    answer = server.graphql(UPSERT_SWEEP, {"config": yaml.safe_dump(config),
                                           "project": PROJECT}, api_key=key)
    assert "errors" not in answer, answer
    return answer["data"]["upsertSweep"]["sweep"]["name"]


@pytest.fixture(scope="module")
def swept(roost_server):
    problem = sdk_problem(SDK)
    if problem:
        pytest.skip(problem)
    key = add_user(roost_server, OWNER, PASSWORD)
    add_user(roost_server, OUTSIDER, PASSWORD)
    sweep = create_sweep(roost_server, key, GRID)
    runs = run_sdk(SDK, "sweep_agent", roost_server, api_key=key, timeout=240,
                   args=[f"{OWNER}/{PROJECT}/{sweep}", "quick"])
    assert len(runs) == 6
    return {"server": roost_server, "sweep": sweep, "runs": runs,
            "empty": create_sweep(roost_server, key, EMPTY)}


def sweep_path(sweep: str) -> str:
    return f"/{OWNER}/{PROJECT}/sweeps/{sweep}"


def loaded(page) -> None:
    page.page.wait_for_selector("#parcoords svg")
    page.page.wait_for_selector("#importance [data-parameter], #importance-message")


def column(page, index: int) -> list[str]:
    return page.page.eval_on_selector_all(
        f"#sweep-runs tbody tr:not(.hidden) td:nth-child({index})",
        "cells => cells.map(c => c.textContent.trim())")


@browser_test
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_sweep_page(swept, open_page, theme):
    page = open_page(swept["server"], OWNER, PASSWORD)
    page.page.add_init_script(f"localStorage.setItem('roost.theme', '{theme}')")
    response = page.goto(sweep_path(swept["sweep"]))
    assert response.status == 200
    loaded(page)
    runs = {run["id"]: run for run in swept["runs"]}

    # The head: state, method, counts, best metric, the config as text.
    assert page.text("#sweep-state") == "finished"
    assert page.text("#stat-finished") == "6" and page.text("#stat-best") == "1"
    assert "6 / 6" in page.text("#stat-runs").replace("\n", " ")
    assert "grid" in page.text(".page-head")
    assert "- " + MARK in page.text("#sweep-config")
    assert f"wandb agent {OWNER}/{PROJECT}/{swept['sweep']}" in page.text("#agent-command")

    # The table: a row per run, best first (minimize), parameters as text, links to the runs.
    headers = page.page.eval_on_selector_all("#sweep-runs thead th", "n => n.map(h => h.dataset.key)")
    assert headers == ["name", "state", "created", "p:a", "p:b", "metric"]
    links = page.page.eval_on_selector_all("#sweep-runs tbody a.run-name",
                                           "n => n.map(a => a.getAttribute('href'))")
    assert sorted(links) == sorted(f"/{OWNER}/{PROJECT}/runs/{run}" for run in runs)
    assert column(page, 6) == ["1", "1.5", "2", "2.5", "3", "3.5"]
    assert column(page, 5).count(MARK) == 3
    page.page.click("#sweep-runs th[data-key='p:a'] button")
    assert column(page, 4) == ["1", "1", "2", "2", "3", "3"]
    page.page.click("#sweep-runs th[data-key='p:a'] button")
    assert column(page, 4) == ["3", "3", "2", "2", "1", "1"]
    assert page.page.get_attribute("#sweep-runs th[data-key='p:a']", "aria-sort") == "descending"

    # Parallel coordinates: axes a, b and the metric; six lines; b's ticks are its values.
    assert page.page.get_attribute("#parcoords", "data-axes") == "3"
    assert page.page.eval_on_selector_all(".pc-axis", "n => n.map(a => a.dataset.axis)") == [
        "a", "b", "loss"]
    assert page.page.locator(".pc-lines path").count() == 6
    ticks = page.page.eval_on_selector_all(".pc-axis[data-axis='b'] text.label-bg title",
                                           "n => n.map(t => t.textContent)")
    assert sorted(ticks) == sorted(["y", MARK])
    colors = page.page.eval_on_selector_all(".pc-lines path", "n => n.map(p => p.getAttribute('stroke'))")
    assert len(set(colors)) == 6 and None not in colors  # coloured by the metric

    # Importance: a drives the loss (correlation near 1); b has a row per value.
    rows = page.page.eval_on_selector_all(
        "#importance-table tbody tr",
        "n => n.map(r => [r.dataset.parameter, r.querySelector('td.param').textContent])")
    assert rows[0] == ["a", "a"] and len(rows) == 3
    assert sorted(text for _, text in rows[1:]) == sorted(["b = y", "b = " + MARK])
    assert float(page.text("#importance-table tbody tr:first-child td:nth-child(3)")) > 0.9
    assert page.page.eval_on_selector_all(".pwned", "n => n.length") == 0

    # Hover a line: its run shows; the table row lights up.
    first = page.page.get_attribute(".pc-lines path", "d")
    x, y = (float(v) for v in re.match(r"M([\d.]+),([\d.]+)", first).groups())
    page.page.locator("#parcoords svg").scroll_into_view_if_needed()
    box = page.page.locator("#parcoords svg").bounding_box()
    page.page.mouse.move(box["x"] + x + 1, box["y"] + y)
    page.page.wait_for_selector(".pc-tip:not(.hidden)")
    hot = page.page.get_attribute(".pc-lines path.hot", "data-run")
    assert hot in page.text(".pc-tip") and page.page.locator("#sweep-runs tr.hot").count() == 1
    page.shot(f"sweep_page_{theme}")

    if theme == "light":
        # Brush the loss axis' lower half: only the runs with loss <= ~2.25 stay in the table.
        page.page.locator("#parcoords svg").scroll_into_view_if_needed()
        axis = page.page.locator(".pc-axis[data-axis='loss'] rect.hit").bounding_box()
        cx = axis["x"] + axis["width"] / 2
        page.page.mouse.move(cx, axis["y"] + axis["height"] - 3)
        page.page.mouse.down()
        page.page.mouse.move(cx, axis["y"] + axis["height"] / 2, steps=5)
        page.page.mouse.up()
        assert sorted(column(page, 6)) == ["1", "1.5", "2"]
        assert page.page.locator(".pc-lines path.dim").count() == 3
        assert "3 of 6" in page.text("#runs-shown")
        page.page.click("#clear-brush")
        assert len(column(page, 6)) == 6
        # The keyboard: focus the chart, step to the best run, open it.
        page.page.focus("#parcoords svg")
        page.page.keyboard.press("ArrowRight")
        best = [run["id"] for run in swept["runs"]
                if (run["config"]["a"], run["config"]["b"]) == (1, MARK)]
        assert page.page.get_attribute(".pc-lines path.hot", "data-run") == best[0]
        with page.page.expect_navigation():
            page.page.keyboard.press("Enter")
        assert page.page.url.endswith(f"/{OWNER}/{PROJECT}/runs/{best[0]}")


@browser_test
def test_too_few_finished_runs_is_said_plainly(swept, open_page):
    page = open_page(swept["server"], OWNER, PASSWORD)
    page.goto(sweep_path(swept["empty"]))
    loaded(page)
    message = page.text("#importance-message")
    assert "at least 5 finished runs" in message and "0 so far" in message
    assert page.page.get_attribute("#parcoords", "data-axes") == "3"
    assert page.page.locator(".pc-lines path").count() == 0
    assert "No runs yet" in page.text("#parcoords") and "No runs yet" in page.text("#sweep-runs")
    assert page.text("#sweep-state") == "running"
    page.shot("sweep_page_empty")
    assert page.goto(sweep_path("nosuchsweep")).status == 404


UPSERT_RUN = """mutation($entity: String, $project: String, $name: String, $sweep: String,
                   $config: JSONString) {
  upsertBucket(input: {entityName: $entity, modelName: $project, name: $name, sweep: $sweep,
                       config: $config}) { bucket { name } } }"""


@browser_test
def test_a_running_sweep_updates_itself(swept, open_page):
    server = swept["server"]
    key = server.create_key(OWNER)
    sweep = create_sweep(server, key, EMPTY)
    page = open_page(server, OWNER, PASSWORD)
    page.goto(sweep_path(sweep))
    loaded(page)
    assert page.page.locator(".pc-lines path").count() == 0
    # A run joins the sweep (as WANDB_SWEEP_ID does); the open page shows it within a poll.
    answer = server.graphql(UPSERT_RUN, {
        "entity": OWNER, "project": PROJECT, "name": "joined", "sweep": sweep,
        "config": '{"lr": {"value": 0.01}, "opt": {"value": "sgd"}}'}, api_key=key)
    assert "errors" not in answer, answer
    page.page.wait_for_selector("#sweep-runs tr[data-run='joined']", timeout=25000)
    assert page.page.locator(".pc-lines path.nometric").count() == 1
    assert page.text("#stat-running") == "1"


@browser_test
def test_the_project_lists_its_sweeps(swept, open_page):
    page = open_page(swept["server"], OWNER, PASSWORD)
    page.goto(f"/{OWNER}/{PROJECT}")
    page.page.click("nav.tabs >> text=Sweeps")
    page.page.wait_for_selector("#sweeps-table")
    assert page.page.url.endswith(f"/{OWNER}/{PROJECT}/sweeps")
    text = page.text("#sweeps-table")
    assert swept["sweep"] in text and swept["empty"] in text and "grid" in text
    page.shot("sweeps_list")
    page.page.click(f"#sweeps-table a[href$='/sweeps/{swept['sweep']}']")
    loaded(page)
    assert page.text("#stat-finished") == "6"


@browser_test
def test_another_users_private_sweep_is_404(swept, open_page):
    page = open_page(swept["server"], OUTSIDER, PASSWORD)
    path = sweep_path(swept["sweep"])
    for url in (path, f"/{OWNER}/{PROJECT}/sweeps", path + "x"):
        assert page.goto(url).status == 404, url
        assert swept["sweep"] not in page.text("main")
    for what in ("runs", "importance"):
        api = page.context.request.get(f"{swept['server'].url}/_ui/api{path}/{what}")
        assert api.status == 404 and "error" in api.json()
    anonymous = open_page(swept["server"])
    anonymous.goto(path)
    assert "/login" in anonymous.page.url


# -- the best run, the controls and the agents' liveness (issue 17) ------------------------------
ENDED_RUN = """mutation($entity: String, $project: String, $name: String, $sweep: String,
                   $config: JSONString, $summary: JSONString, $state: String) {
  upsertBucket(input: {entityName: $entity, modelName: $project, name: $name, sweep: $sweep,
                       config: $config, summaryMetrics: $summary, state: $state}) {
    bucket { name } } }"""
CREATE_AGENT = """mutation($host: String!, $project: String, $entity: String, $sweep: String!) {
  createAgent(input: {host: $host, projectName: $project, entityName: $entity, sweep: $sweep}) {
    agent { id name } } }"""


def log_run(server, key, sweep, name, history, summary):
    """A run of the sweep that logged ``history`` losses and ended with ``summary``."""
    answer = server.graphql(ENDED_RUN, {
        "entity": OWNER, "project": PROJECT, "name": name, "sweep": sweep,
        "config": '{"lr": {"value": 0.01}, "opt": {"value": "adam"}}'}, api_key=key)
    assert "errors" not in answer, answer
    lines = [f'{{"_step": {i}, "loss": {v}}}' for i, v in enumerate(history)]
    streamed = requests.post(f"{server.url}/files/{OWNER}/{PROJECT}/{name}/file_stream",
                             json={"files": {"wandb-history.jsonl": {"offset": 0, "content": lines}}},
                             auth=("api", key), timeout=30)
    assert streamed.status_code == 200, streamed.text
    answer = server.graphql(ENDED_RUN, {
        "entity": OWNER, "project": PROJECT, "name": name, "sweep": sweep,
        "summary": json.dumps({"loss": summary}), "state": "finished"}, api_key=key)
    assert "errors" not in answer, answer


@browser_test
def test_the_best_run_is_the_best_summary_and_is_linked(swept, open_page):
    server = swept["server"]
    key = server.create_key(OWNER)
    sweep = create_sweep(server, key, EMPTY)
    # "dipper" logged the lowest loss of any step (0.01) but ended at 0.9; "steady" ended best.
    log_run(server, key, sweep, "dipper", [0.5, 0.01, 0.9], 0.9)
    log_run(server, key, sweep, "steady", [0.6, 0.2, 0.07], 0.07)
    page = open_page(server, OWNER, PASSWORD)
    page.goto(sweep_path(sweep))
    loaded(page)
    page.page.wait_for_selector("#stat-best-run a")
    assert page.text("#stat-best") == "0.07"
    assert "run summary" in page.text("#sweep-stats")
    link = page.page.get_attribute("#stat-best-run a", "href")
    assert link == f"/{OWNER}/{PROJECT}/runs/steady" and page.text("#stat-best-run a") == "steady"
    assert column(page, 6)[0] == "0.07"  # the table's best row is the same run
    page.shot("sweep_best_run")
    with page.page.expect_navigation():
        page.page.click("#stat-best-run a")
    assert page.page.url.endswith(f"/{OWNER}/{PROJECT}/runs/steady")


def controls(page) -> list[str]:
    return page.page.eval_on_selector_all("#sweep-controls button:not([hidden])",
                                          "n => n.map(b => b.dataset.action)")


def act(page, action: str, state: str) -> None:
    page.page.click(f"#sweep-controls button[data-action='{action}']")
    page.page.wait_for_selector(f"#sweep-state:text-is('{state}')")


@browser_test
def test_the_sweep_page_pauses_resumes_stops_and_cancels(swept, open_page):
    server = swept["server"]
    key = server.create_key(OWNER)
    sweep, other = create_sweep(server, key, EMPTY), create_sweep(server, key, EMPTY)

    def stored_state(name):
        return server.query("SELECT state FROM sweep WHERE name = ?", (name,))[0]["state"]

    page = open_page(server, OWNER, PASSWORD)
    page.goto(sweep_path(sweep))
    loaded(page)
    assert controls(page) == ["pause", "stop", "cancel"]
    assert not page.page.is_visible("#sweep-controls button[data-action=resume]")
    act(page, "pause", "paused")
    assert stored_state(sweep) == "PAUSED" and controls(page) == ["resume", "stop", "cancel"]
    page.shot("sweep_paused")
    act(page, "resume", "running")
    assert stored_state(sweep) == "RUNNING"
    act(page, "stop", "finished")
    assert stored_state(sweep) == "FINISHED" and controls(page) == []
    # The state survives a reload; a stale page asking again gets a reason, not a change.
    page.goto(sweep_path(sweep))
    assert page.text("#sweep-state") == "finished" and controls(page) == []
    api = f"{server.url}/_ui/api{sweep_path(sweep)}/state"
    token = page.page.get_attribute('meta[name="csrf-token"]', "content")
    again = page.context.request.post(api, data={"action": "pause"},
                                      headers={"X-CSRFToken": token})
    assert again.status == 409 and "it is finished" in again.json()["error"]

    # Cancel asks first; without the page's CSRF token nothing changes.
    page.goto(sweep_path(other))
    loaded(page)
    forged = page.page.evaluate("""async (url) => (await fetch(url, {method: "POST",
        credentials: "same-origin", headers: {"Content-Type": "application/json"},
        body: JSON.stringify({action: "cancel"})})).status""",
                                f"/_ui/api{sweep_path(other)}/state")
    assert forged == 400 and stored_state(other) == "RUNNING"
    page.page.once("dialog", lambda dialog: dialog.accept())
    act(page, "cancel", "canceled")
    assert stored_state(other) == "CANCELED"
    # Someone who may not write to the sweep cannot change it.
    outsider = open_page(server, OUTSIDER, PASSWORD)
    outsider.goto("/")
    token = outsider.page.get_attribute('meta[name="csrf-token"]', "content")
    refused = outsider.context.request.post(api.replace(sweep, other), data={"action": "resume"},
                                            headers={"X-CSRFToken": token})
    assert refused.status in (403, 404) and stored_state(other) == "CANCELED"


@browser_test
def test_an_agent_that_stopped_heartbeating_is_not_shown_running(swept, open_page):
    server = swept["server"]
    key = server.create_key(OWNER)
    sweep = create_sweep(server, key, EMPTY)
    agents = {}
    for host in ("alive-host", "gone-host"):
        answer = server.graphql(CREATE_AGENT, {"host": host, "project": PROJECT,
                                               "entity": OWNER, "sweep": sweep}, api_key=key)
        assert "errors" not in answer, answer
        agents[host] = answer["data"]["createAgent"]["agent"]["name"]
    # The "gone" agent's process exited two minutes ago: its last heartbeat is that old.
    database = sqlite3.connect(server.data_dir / "roost.db", timeout=30)
    with database:
        database.execute("UPDATE sweep_agent SET heartbeat_at = ?, created_at = ? WHERE name = ?",
                         (time.time() - 120, time.time() - 300, agents["gone-host"]))
    database.close()
    page = open_page(server, OWNER, PASSWORD)
    page.goto(sweep_path(sweep))
    gone = page.page.locator(f"#agents-table tr[data-agent='{agents['gone-host']}']")
    alive = page.page.locator(f"#agents-table tr[data-agent='{agents['alive-host']}']")
    assert gone.get_attribute("data-state") == "silent"
    assert "no heartbeat" in gone.inner_text() and "running" not in gone.inner_text()
    assert "2 min" in gone.locator(".agent-heartbeat").inner_text() or \
        "2m" in gone.locator(".agent-heartbeat").inner_text()
    assert alive.get_attribute("data-state") == "running"
    page.shot("sweep_agents_liveness")
