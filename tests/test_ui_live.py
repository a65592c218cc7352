"""A running run's page updates itself: new steps reach the charts and new console lines the
log, fetched from the last step and line the page has (nothing it already has comes again),
and the state badge changes when the run finishes."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
import requests

from ui_support import add_user, browser, open_page  # noqa: F401 (fixtures)

# One worker runs the whole module, so its fixtures (a server, logged runs) are built once.
pytestmark = [pytest.mark.xdist_group("ui-live")]

USER, PASSWORD, PROJECT, RUN = "uilive", "live-password-1", "live", "streaming"
UPSERT = """mutation Up($project: String, $name: String) {
  upsertBucket(input: {modelName: $project, name: $name}) { bucket { id } } }"""


class Stream:
    """What the SDK's file_stream sends, by hand: history and console lines, then exit."""

    def __init__(self, server, key: str):
        self.url = f"{server.url}/files/{USER}/{PROJECT}/{RUN}/file_stream"
        self.auth = ("api", key)
        self.steps = self.lines = 0

    def send(self, steps: int = 0, lines: int = 0, exitcode: int | None = None) -> None:
        files = {}
        if steps:
            files["wandb-history.jsonl"] = {"offset": self.steps, "content": [
                f'{{"_step": {s}, "_runtime": {s / 10}, "train/loss": {1 / (s + 1)}}}'
                for s in range(self.steps, self.steps + steps)]}
        if lines:
            files["output.log"] = {"offset": self.lines, "content": [
                f"line {n}" for n in range(self.lines, self.lines + lines)]}
        body = {"files": files}
        if exitcode is not None:
            body.update(complete=True, exitcode=exitcode)
        answer = requests.post(self.url, json=body, auth=self.auth, timeout=30)
        assert answer.status_code == 200, answer.text
        self.steps += steps
        self.lines += lines


@pytest.fixture
def stream(roost_server):
    key = add_user(roost_server, USER, PASSWORD)
    answer = requests.post(roost_server.url + "/graphql", auth=("api", key), timeout=30,
                           json={"query": UPSERT, "variables": {"project": PROJECT,
                                                                "name": RUN}})
    assert answer.status_code == 200 and "errors" not in answer.json(), answer.text
    stream = Stream(roost_server, key)
    stream.send(steps=100, lines=3)
    return stream


def test_charts_logs_and_state_follow_a_running_run(roost_server, stream, open_page):
    page = open_page(roost_server, USER, PASSWORD)
    series: list[dict] = []
    page.page.on("request", lambda r: series.append(parse_qs(urlparse(r.url).query))
                 if "/series?" in r.url else None)
    page.goto(f"/{USER}/{PROJECT}/runs/{RUN}")
    chart = page.page.locator('.chart[data-key="train/loss"]')
    page.page.wait_for_selector('.chart[data-key="train/loss"][data-points]')
    assert chart.get_attribute("data-steps") == "0,99"
    assert "live" in page.text("#live-indicator")

    stream.send(steps=50)
    page.page.wait_for_selector('.chart[data-key="train/loss"][data-steps="0,149"]',
                                timeout=20_000)
    later = [q for q in series if "min_step" in q]
    assert later and later[0]["min_step"] == ["100"], series  # only what the page lacked
    assert int(chart.get_attribute("data-points")) == 150
    page.shot("live_charts")

    page.goto(f"/{USER}/{PROJECT}/runs/{RUN}/logs")
    page.page.wait_for_selector("#console .line")
    assert page.page.locator("#console .line").count() == 3
    stream.send(lines=2)
    page.page.wait_for_selector("#L5", timeout=20_000)
    assert "line 4" in page.text("#console")

    stream.send(exitcode=0)
    page.page.wait_for_selector("#run-state .state-finished", timeout=20_000)
    assert page.text("#live-indicator") == ""
