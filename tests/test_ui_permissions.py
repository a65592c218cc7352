"""The web UI shows exactly what the API allows: a team viewer sees the runs but no write
controls (and a forged write is refused), a member may edit but not delete, the owner may do
both; another team's private run is a 404 page (as if it did not exist); an anonymous visitor
is sent to sign in."""

from __future__ import annotations

import re

import pytest
import requests

from ui_support import add_user, browser, open_page  # noqa: F401 (fixtures)

# One worker runs the whole module, so its fixtures (a server, logged runs) are built once.
pytestmark = [pytest.mark.xdist_group("ui-permissions")]

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TEAM, PASSWORD = "permteam", "perm-password-1"
UPSERT = """mutation Up($entity: String, $project: String, $name: String, $notes: String) {
  upsertBucket(input: {entityName: $entity, modelName: $project, name: $name, notes: $notes}) {
    bucket { id name } } }"""


class Console:
    """The server admin's browser session on the console (forms carry a CSRF token)."""

    def __init__(self, server):
        self.url = server.url
        self.session = requests.Session()
        self.token = CSRF.search(self.session.get(self.url + "/login", timeout=30).text).group(1)
        self.post("/login", username="admin", password=server.admin_password)

    def post(self, path: str, **form) -> None:
        response = self.session.post(self.url + path, data={"csrf_token": self.token, **form},
                                     timeout=30)
        assert response.status_code == 200, response.text[-1000:]
        assert 'class="flash error' not in response.text, response.text[-2000:]
        found = CSRF.search(response.text)
        if found:
            self.token = found.group(1)


def log_run(server, key: str, project: str, name: str) -> None:
    answer = requests.post(server.url + "/graphql", auth=("api", key), timeout=30, json={
        "query": UPSERT, "variables": {"entity": TEAM, "project": project, "name": name,
                                       "notes": "original notes"}})
    assert answer.status_code == 200 and "errors" not in answer.json(), answer.text
    lines = [f'{{"_step": {i}, "loss": {1 / (i + 1)}, "_runtime": {i}}}' for i in range(20)]
    answer = requests.post(f"{server.url}/files/{TEAM}/{project}/{name}/file_stream",
                           auth=("api", key), timeout=30,
                           json={"files": {"wandb-history.jsonl": {"offset": 0,
                                                                   "content": lines}}})
    assert answer.status_code == 200, answer.text


@pytest.fixture(scope="module")
def team(roost_server):
    keys = {name: add_user(roost_server, f"perm{name}", PASSWORD)
            for name in ("owner", "member", "viewer", "outsider")}
    console = Console(roost_server)
    console.post("/console/teams", name=TEAM, owner="permowner")
    console.post(f"/console/teams/{TEAM}/members", username="permmember", role="member")
    console.post(f"/console/teams/{TEAM}/members", username="permviewer", role="viewer")
    log_run(roost_server, keys["owner"], "shared", "run-one")
    log_run(roost_server, keys["owner"], "secret", "hidden-run")
    log_run(roost_server, keys["owner"], "open", "public-run")
    console.post(f"/console/projects/{TEAM}/secret/visibility", visibility="private")
    console.post(f"/console/projects/{TEAM}/open/visibility", visibility="public")
    return {"server": roost_server, "keys": keys}


def controls(page) -> dict:
    return {"edit": page.page.locator("#edit-run").count(),
            "delete": page.page.locator("#delete-run").count()}


@pytest.mark.parametrize("who, edit, delete", [
    ("viewer", 0, 0), ("member", 1, 0), ("owner", 1, 1)])
def test_write_controls_follow_the_role(team, open_page, who, edit, delete):
    page = open_page(team["server"], f"perm{who}", PASSWORD)
    page.goto(f"/{TEAM}/shared/table")
    page.page.wait_for_selector("#runs-table tr[data-run]")
    assert page.page.locator("#delete-button").count() == delete
    page.goto(f"/{TEAM}/shared/runs/run-one")
    page.page.wait_for_selector(".chart[data-points]")
    assert controls(page) == {"edit": edit, "delete": delete}
    page.shot(f"permissions_{who}_run")


def test_a_viewer_forging_a_write_is_refused_and_nothing_changes(team, open_page):
    server = team["server"]
    page = open_page(server, "permviewer", PASSWORD)
    page.goto(f"/{TEAM}/shared/runs/run-one/overview")
    token = page.page.get_attribute('meta[name="csrf-token"]', "content")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    base = f"{server.url}/_ui/api/{TEAM}/shared/runs/run-one"
    answer = requests.post(base + "/update", json={"notes": "vandalised"}, cookies=cookies,
                           headers={"X-CSRFToken": token}, timeout=30)
    assert answer.status_code == 403, answer.text
    answer = requests.post(base + "/delete", json={}, cookies=cookies,
                           headers={"X-CSRFToken": token}, timeout=30)
    assert answer.status_code == 403
    without_token = requests.post(base + "/update", json={"notes": "x"}, cookies=cookies,
                                  timeout=30)
    assert without_token.status_code == 400  # the CSRF check comes first
    record = server.run_record(TEAM, "shared", "run-one")
    assert record is not None and record["notes"] == "original notes"


def test_a_member_edits_through_the_page(team, open_page):
    page = open_page(team["server"], "permmember", PASSWORD)
    page.goto(f"/{TEAM}/shared/runs/run-one")
    page.page.click("#edit-run")
    page.page.fill("#edit-form textarea[name=notes]", "edited by a member")
    page.page.fill("#edit-form input[name=tags]", "checked, ok")
    with page.page.expect_navigation():  # the page reloads once the edit is saved
        with page.page.expect_response(lambda r: r.url.endswith("/update")) as update:
            page.page.click("#edit-form button[type=submit]")
        assert update.value.status == 200, update.value.text()
    page.goto(f"/{TEAM}/shared/runs/run-one/overview")
    assert "edited by a member" in page.text("#run-notes")
    assert "checked" in page.text("#run-tags")
    record = team["server"].run_record(TEAM, "shared", "run-one")
    assert record["notes"] == "edited by a member"


@pytest.mark.parametrize("who", ["outsider", "viewer", "member"])
def test_another_teams_private_run_is_404(team, open_page, who):
    page = open_page(team["server"], f"perm{who}", PASSWORD)
    for path in (f"/{TEAM}/secret", f"/{TEAM}/secret/runs/hidden-run",
                 f"/{TEAM}/secret/runs/hidden-run/files", f"/{TEAM}/secret/artifacts"):
        response = page.goto(path)
        assert response.status == 404, path
        assert "hidden-run" not in page.page.content()
    api = page.context.request.get(
        f"{team['server'].url}/_ui/api/{TEAM}/secret/runs/hidden-run/series?keys=loss")
    assert api.status == 404
    if who == "outsider":
        assert page.goto(f"/{TEAM}/shared").status == 404
        page.goto("/")
        assert TEAM not in page.text("main")
        page.goto("/search?q=run-one")
        assert "No run matches" in page.text("main")
    page.shot(f"permissions_{who}_404")


def test_the_owner_sees_the_private_project(team, open_page):
    page = open_page(team["server"], "permowner", PASSWORD)
    page.goto("/")
    assert "secret" in page.text("main") and "shared" in page.text("main")
    page.goto(f"/{TEAM}/secret/runs/hidden-run")
    page.page.wait_for_selector(".chart[data-points]")


def test_the_api_agrees_with_the_pages(team):
    """The same people through GraphQL: what the page hid, the API refuses."""
    query = """query R($e: String!, $p: String!, $r: String!) {
      project(entityName: $e, name: $p) { run(name: $r) { name } } }"""
    for who, allowed in (("outsider", False), ("viewer", False), ("owner", True)):
        answer = requests.post(team["server"].url + "/graphql", auth=("api", team["keys"][who]),
                               json={"query": query, "variables": {"e": TEAM, "p": "secret",
                                                                   "r": "hidden-run"}},
                               timeout=30)
        body = answer.json()
        found = ((body.get("data") or {}).get("project") or {}).get("run")
        assert bool(found) == allowed, (who, body)


def test_anonymous_visitors_are_sent_to_sign_in(team, open_page):
    page = open_page(team["server"])
    response = page.goto(f"/{TEAM}/shared/runs/run-one")
    assert "/login" in page.page.url and response.status == 200
    assert "next=" in page.page.url
    answer = requests.get(f"{team['server'].url}/_ui/api/{TEAM}/shared/runs", timeout=30)
    assert answer.status_code == 401


def test_anyone_reads_a_public_project_without_write_controls(team, open_page):
    page = open_page(team["server"])
    page.goto(f"/{TEAM}/open/runs/public-run")
    page.page.wait_for_selector(".chart[data-points]")
    assert controls(page) == {"edit": 0, "delete": 0}
    assert "Sign in" in page.text("header")
    page.goto(f"/{TEAM}/open/table")
    page.page.wait_for_selector("#runs-table tr[data-run]")
    assert page.page.locator("#delete-button").count() == 0
    page.shot("permissions_anonymous_public")
