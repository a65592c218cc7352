"""The permission matrix: every role x project visibility x operation, over GraphQL,
file_stream, file URLs and pages, against a real Roost. Allowed operations succeed; the rest
answer 401 (nobody signed in) or 403, and nothing changes.

The expected outcome is written out independently of core/access.py (``expected``), so the
test checks the policy rather than restating the code. The SDK-level view of the same rules
(wandb.init into a team, api.run of a private run, in wandb 0.31 and 0.21) is in
test_tenancy_sdk.py.
"""

from __future__ import annotations

import itertools
import uuid

import pytest
import requests

from harness import run_sdk
from tenancy_helpers import (READ_RUN, Admin, Web, error_text, gql, stream_history, upsert)

pytestmark = pytest.mark.xdist_group("permissions")  # one world for the module

ROLES = ("anonymous", "outsider", "viewer", "member", "admin", "owner", "server_admin")
VISIBILITIES = ("private", "team", "public")
RANK = {"viewer": 1, "member": 2, "admin": 3, "owner": 4, "server_admin": 9}
PASSWORD = "matrix-password-1"


def expected(role: str, visibility: str, level: str) -> bool:
    """The policy, as the issue states it: viewers read, members write, admins and owners
    delete and administer; private team projects are for admins and owners; public projects
    are readable by anyone, even without signing in; server admins may do anything."""
    if role == "server_admin":
        return True
    if level == "read" and visibility == "public":
        return True
    rank = RANK.get(role, 0)
    need = {"read": 1, "write": 2, "delete": 3, "admin": 3}[level]
    if visibility == "private" and level != "admin":
        need = max(need, 3)
    return rank >= need


def denied_status(role: str) -> int:
    return 401 if role == "anonymous" else 403


ARTIFACT_SCRIPT = """
import sys, wandb
entity = sys.argv[1]
for project in sys.argv[2:]:
    run = wandb.init(entity=entity, project=project, name="art", id="art-" + project)
    artifact = wandb.Artifact("ds", type="dataset")
    with artifact.new_file("data.txt") as handle:
        handle.write("rows\\n")
    run.log_artifact(artifact)
    run.finish()
print("RESULT {}")
"""


@pytest.fixture(scope="module")
def world(roost_server):
    """A team with one user per role and a project of each visibility, each holding a run
    with history and a file, and an artifact."""
    server = roost_server
    admin = Admin(server)
    tag = uuid.uuid4().hex[:8]
    team = f"mx{tag}"
    keys, webs = {"server_admin": server.admin_key, "anonymous": None}, {}
    for role in ("outsider", "viewer", "member", "admin", "owner"):
        username = f"{role[:5]}{tag}"
        keys[role] = admin.user_with_key(username, PASSWORD)
        webs[role] = username
    admin.create_team(team, webs["owner"])
    for role in ("viewer", "member", "admin"):
        admin.set_member(team, webs[role], role)
    owner = keys["owner"]
    projects = {}
    for visibility in VISIBILITIES:
        project = f"p-{visibility}"
        status, body = upsert(server, owner, team, project, "base", "original")
        assert status == 200, body
        assert stream_history(server, owner, team, project, "base", 0, [0.5]).status_code == 200
        _upload(server, owner, team, project, "base", "notes.txt", b"hello")
        admin.set_visibility(team, project, visibility)
        projects[visibility] = project
    run_sdk("0.31.0", ARTIFACT_SCRIPT, server, api_key=owner,
            args=[team, *projects.values()], timeout=240)
    return {"server": server, "admin": admin, "team": team, "keys": keys, "users": webs,
            "projects": projects}


def _upload(server, key, entity, project, run, name, data: bytes) -> None:
    status, body = gql(server, key, """mutation C($e: String!, $p: String!, $r: String!,
        $f: [String!]!) { createRunFiles(input: {entityName: $e, projectName: $p, runName: $r,
        files: $f}) { files { name uploadUrl } } }""",
                       {"e": entity, "p": project, "r": run, "f": [name]})
    assert status == 200 and not body.get("errors"), body
    url = body["data"]["createRunFiles"]["files"][0]["uploadUrl"]
    assert requests.put(url, data=data, timeout=30).status_code == 200
    status, body = gql(server, key, """mutation M($e: String!, $p: String!, $r: String!,
        $f: [String!]!) { markRunFilesUploaded(input: {entityName: $e, projectName: $p,
        runName: $r, files: $f}) { success } }""",
                       {"e": entity, "p": project, "r": run, "f": [name]})
    assert status == 200 and not body.get("errors"), body


def _run(world, project, name="base"):
    status, body = gql(world["server"], world["keys"]["server_admin"], READ_RUN,
                       {"entity": world["team"], "project": project, "run": name})
    assert status == 200, body
    return body["data"]["project"]["run"]


CASES = list(itertools.product(ROLES, VISIBILITIES))


def _check(allowed: bool, role: str, status: int, body) -> None:
    if allowed:
        assert status == 200 and not (isinstance(body, dict) and body.get("errors")), \
            (status, body)
    else:
        assert status == denied_status(role), (status, body)
        text = error_text(body) if isinstance(body, dict) else str(body)
        assert text, "a refusal says why"


@pytest.mark.parametrize("role,visibility", CASES)
def test_read_run_over_graphql(world, role, visibility):
    project = world["projects"][visibility]
    status, body = gql(world["server"], world["keys"][role], READ_RUN,
                       {"entity": world["team"], "project": project, "run": "base"})
    allowed = expected(role, visibility, "read")
    _check(allowed, role, status, body)
    if allowed:
        assert body["data"]["project"]["run"]["name"] == "base"


@pytest.mark.parametrize("role,visibility", CASES)
def test_write_run_over_graphql(world, role, visibility):
    project = world["projects"][visibility]
    before = _run(world, project)["notes"]
    status, body = upsert(world["server"], world["keys"][role], world["team"], project, "base",
                          f"edited by {role}")
    allowed = expected(role, visibility, "write")
    _check(allowed, role, status, body)
    after = _run(world, project)["notes"]
    assert after == (f"edited by {role}" if allowed else before)


@pytest.mark.parametrize("role,visibility", CASES)
def test_log_new_run_to_project(world, role, visibility):
    project = world["projects"][visibility]
    name = f"new-{role}"
    status, body = upsert(world["server"], world["keys"][role], world["team"], project, name)
    allowed = expected(role, visibility, "write")
    _check(allowed, role, status, body)
    assert (_run(world, project, name) is not None) == allowed


@pytest.mark.parametrize("role,visibility", CASES)
def test_file_stream(world, role, visibility):
    project = world["projects"][visibility]
    before = _run(world, project)["historyLineCount"]
    response = stream_history(world["server"], world["keys"][role], world["team"], project,
                              "base", before, [1.5])
    allowed = expected(role, visibility, "write")
    _check(allowed, role, response.status_code, response.json())
    assert _run(world, project)["historyLineCount"] == before + (1 if allowed else 0)


@pytest.mark.parametrize("role,visibility", CASES)
def test_file_url(world, role, visibility):
    project = world["projects"][visibility]
    key = world["keys"][role]
    response = requests.get(f"{world['server'].url}/files/{world['team']}/{project}/base/"
                            "notes.txt", auth=("api", key) if key else None, timeout=30)
    allowed = expected(role, visibility, "read")
    if allowed:
        assert response.status_code == 200 and response.content == b"hello"
    else:
        assert response.status_code == denied_status(role), response.text
        assert b"hello" not in response.content


@pytest.mark.parametrize("role,visibility", CASES)
def test_read_artifact(world, role, visibility):
    project = world["projects"][visibility]
    status, body = gql(world["server"], world["keys"][role], """query A($e: String!,
        $p: String!) { project(entityName: $e, name: $p) { artifact(name: "ds:v0") {
        id digest } } }""", {"e": world["team"], "p": project})
    allowed = expected(role, visibility, "read")
    _check(allowed, role, status, body)
    if allowed:
        assert body["data"]["project"]["artifact"]["digest"]


@pytest.mark.parametrize("role,visibility", CASES)
def test_delete_run(world, role, visibility):
    project = world["projects"][visibility]
    name = f"doomed-{role}"
    status, body = upsert(world["server"], world["keys"]["owner"], world["team"], project, name)
    run_id = body["data"]["upsertBucket"]["bucket"]["id"]
    status, body = gql(world["server"], world["keys"][role],
                       "mutation D($id: ID!) { deleteRun(input: {id: $id}) { clientMutationId } }",
                       {"id": run_id})
    allowed = expected(role, visibility, "delete")
    _check(allowed, role, status, body)
    assert (_run(world, project, name) is None) == allowed


@pytest.mark.parametrize("role,visibility", CASES)
def test_admin_action_share_link(world, role, visibility):
    """Creating a share link administers the project: team admins and owners may (through
    AdminService, which the console and the coming web UI use), nobody else."""
    from roost.core.access import anonymous
    from roost.core.errors import RoostError

    project = world["projects"][visibility]
    server = world["server"]
    if role == "server_admin":
        world["admin"].share(world["team"], project)
        return
    key = world["keys"][role]
    principal = _principal(server, key) if key else anonymous()
    client = _client(server)
    before = _share_links(world, project)
    try:
        client.create_share_link(principal, world["team"], project)
    except RoostError as exc:
        assert not expected(role, visibility, "admin")
        assert exc.http_status == denied_status(role), exc.message
        assert _share_links(world, project) == before
    else:
        assert expected(role, visibility, "admin"), f"{role} could share a {visibility} project"
    finally:
        client.close()


@pytest.mark.parametrize("role,visibility", CASES)
def test_admin_action_over_graphql(world, role, visibility):
    """Adding a service account to the team is a team admin's action."""
    team = world["team"]

    def members():
        status, body = gql(world["server"], world["keys"]["server_admin"],
                           "query T($n: String!) { entity(name: $n) { members { username } } }",
                           {"n": team})
        return len(body["data"]["entity"]["members"])

    before = members()
    status, body = gql(world["server"], world["keys"][role], """mutation S($e: String!) {
        createServiceAccount(input: {entityName: $e, description: "matrix"}) { user { id } } }""",
                       {"e": team})
    allowed = expected(role, visibility, "admin")
    _check(allowed, role, status, body)
    assert members() == before + (1 if allowed else 0)


@pytest.mark.parametrize("role", ROLES)
def test_console_pages(world, role):
    """The console is for server admins: others are sent to sign in (anonymous) or refused."""
    team = world["team"]
    if role == "server_admin":
        web = world["admin"]
    else:
        web = Web(world["server"].url)
        if role != "anonymous":
            response = web.login(world["users"][role], PASSWORD)
            assert response.status_code == 200 and response.url == world["server"].url + "/", \
                response.text
    page = f"/console/projects/{team}/{world['projects']['team']}"
    response = web.get(page, allow_redirects=False)
    if role == "server_admin":
        assert response.status_code == 200 and team in response.text
    elif role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403
        assert "for server admins only" in response.text
        forged = web.post(f"/console/projects/{team}/{world['projects']['team']}/visibility",
                          {"visibility": "public"})
        assert forged.status_code == 403
        page = world["admin"].get(page).text
        assert '<option value="team" selected>' in page


def _share_links(world, project) -> int:
    page = world["admin"].get(f"/console/projects/{world['team']}/{project}").text
    return page.count('action="/console/share-links/')


@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_share_link_page_and_graphql(world, visibility):
    """A project share link reads that project (page, GraphQL, files) and nothing else, and
    never writes."""
    server, team = world["server"], world["team"]
    project = world["projects"][visibility]
    path = world["admin"].share(team, project)
    page = requests.get(server.url + path, timeout=30)
    assert page.status_code == 200 and project in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    status, body = gql(server, None, READ_RUN, {"entity": team, "project": project,
                                               "run": "base"}, path=path + "/graphql")
    assert status == 200 and body["data"]["project"]["run"]["name"] == "base", body
    other = world["projects"]["public" if visibility != "public" else "team"]
    status, body = gql(server, None, READ_RUN, {"entity": team, "project": other,
                                               "run": "base"}, path=path + "/graphql")
    assert status == 403 and "covers" in error_text(body)
    status, body = gql(server, None, """mutation { upsertBucket(input: {entityName: "%s",
        modelName: "%s", name: "base", notes: "via share"}) { bucket { id } } }"""
                       % (team, project), path=path + "/graphql")
    assert status == 403 and "read-only" in error_text(body)
    assert _run(world, project)["notes"] != "via share"
    data = requests.get(f"{server.url}{path}/files/{team}/{project}/base/notes.txt",
                        timeout=30)
    assert data.status_code == 200 and data.content == b"hello"


def _principal(server, key):
    from roost.core.auth import Credentials

    client = _client(server)
    try:
        return client.authenticate(Credentials("api_key", "", key))
    finally:
        client.close()


def _client(server):
    """The front's own gRPC client, talking to this server's core."""
    from roost.protos.clients import CoreClient

    secret = (server.data_dir / "core.secret").read_text().strip()
    address = _core_address(server)
    return CoreClient(address, secret)


def _core_address(server) -> str:
    import re

    for path in sorted(server.log_dir.glob("*.log")):
        found = re.search(r"core listening on (\S+) ", path.read_text(errors="replace"))
        if found:
            return found.group(1)
    raise AssertionError("the core's address is not in the server's log:\n" + server.logs())


def test_storage_use_counts_run_files_and_artifacts(world):
    """The console's storage page: per project, run files (notes.txt) and artifact versions."""
    client = _client(world["server"])
    try:
        usage = {p.name: p for p in client.storage_usage(
            _principal(world["server"], world["keys"]["server_admin"])) if p.entity == world["team"]}
    finally:
        client.close()
    for visibility, project in world["projects"].items():
        assert usage[project].bytes >= len(b"hello") and usage[project].file_count >= 1
        assert usage[project].artifact_bytes > 0
        assert usage[project].visibility == visibility
    page = world["admin"].get("/console/storage").text
    assert world["team"] in page
