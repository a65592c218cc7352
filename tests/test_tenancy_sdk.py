"""Tenancy through the real wandb SDK (0.31.0 and 0.21.3): logging into a team you belong
to and being refused one you don't, the default entity, service accounts for CI, reading a
private run, and the Public API's team and user calls."""

from __future__ import annotations

import uuid

import pytest

from harness import run_sdk
from tenancy_helpers import READ_RUN, Admin, gql, stream_history, upsert

pytestmark = pytest.mark.sdk

INIT_SCRIPT = """
import json, sys, wandb
entity = sys.argv[1] or None
try:
    run = wandb.init(entity=entity, project=sys.argv[2], name="sdk-run")
    run.log({"loss": 0.25})
    run.finish()
    print("RESULT " + json.dumps({"ok": True, "entity": run.entity, "id": run.id}))
except Exception as exc:
    print("RESULT " + json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}))
"""

READ_SCRIPT = """
import json, sys, wandb
try:
    run = wandb.Api().run(sys.argv[1])
    print("RESULT " + json.dumps({"ok": True, "name": run.name}))
except Exception as exc:
    print("RESULT " + json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}))
"""

DELETE_SCRIPT = """
import json, sys, wandb
try:
    wandb.Api().run(sys.argv[1]).delete()
    print("RESULT " + json.dumps({"ok": True}))
except Exception as exc:
    print("RESULT " + json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}))
"""

TEAMS_SCRIPT = """
import json, sys, wandb
team_name, invitee = sys.argv[1], sys.argv[2]
api = wandb.Api()
team = api.create_team(team_name)
invited = team.invite(invitee)
team = api.team(team_name)
members = {m.username: [bool(m.admin), m.account_type] for m in team.members}
service = team.create_service_account("nightly CI")
viewer_teams = wandb.Api().viewer.teams  # a fresh Api: 0.21 caches the viewer
found = [u.username for u in api.users(invitee)]
one = api.user(invitee)
member = [m for m in api.team(team_name).members if m.username == invitee][0]
removed = member.delete()
after = sorted(m.username for m in api.team(team_name).members)
created = api.create_user(team_name + "-new@example.org")
print("RESULT " + json.dumps({"created": [created.username, created.email],
    "invited": invited, "members": members, "service": service.account_type,
    "viewer_teams": viewer_teams, "found": found, "user": one.username,
    "user_teams": one.teams, "removed": removed, "after": after}))
"""

KEYS_SCRIPT = """
import json, wandb
api = wandb.Api()
viewer = api.viewer
new_key = viewer.generate_api_key("made by the SDK")
other = wandb.Api(api_key=new_key)
works = other.viewer.username
deleted = viewer.delete_api_key(new_key)
print("RESULT " + json.dumps({"length": len(new_key), "works": works, "deleted": deleted}))
"""


@pytest.fixture(scope="module")
def world(roost_server):
    server = roost_server
    admin = Admin(server)
    tag = uuid.uuid4().hex[:8]
    team = f"sdk{tag}"
    users = {role: f"{role[:5]}{tag}" for role in ("outsider", "viewer", "member")}
    keys = {role: admin.user_with_key(name) for role, name in users.items()}
    admin.create_team(team, "admin")
    admin.set_member(team, users["viewer"], "viewer")
    admin.set_member(team, users["member"], "member")
    status, body = gql(server, server.admin_key, """mutation S($e: String!) {
        createServiceAccount(input: {entityName: $e, description: "CI"}) { apiKey } }""",
                       {"e": team})
    assert status == 200 and not body.get("errors"), body
    keys["service"] = body["data"]["createServiceAccount"]["apiKey"]
    upsert(server, server.admin_key, team, "private", "base")
    admin.set_visibility(team, "private", "private")
    return {"server": server, "admin": admin, "team": team, "users": users, "keys": keys}


def _run_exists(world, entity, project, name):
    status, body = gql(world["server"], world["server"].admin_key, READ_RUN,
                       {"entity": entity, "project": project, "run": name})
    project_node = body["data"]["project"]
    return bool(project_node and project_node["run"])


def test_init_into_a_team_you_belong_to(world, sdk_version):
    project = f"member-{sdk_version.replace('.', '')}"
    result = run_sdk(sdk_version, INIT_SCRIPT, world["server"], api_key=world["keys"]["member"],
                     args=[world["team"], project])
    assert result["ok"], result
    assert result["entity"] == world["team"]
    status, body = gql(world["server"], world["server"].admin_key, READ_RUN,
                       {"entity": world["team"], "project": project, "run": result["id"]})
    assert body["data"]["project"]["run"]["historyLineCount"] >= 1


@pytest.mark.parametrize("role", ["outsider", "viewer"])
def test_init_into_a_team_refused_with_a_clear_error(world, sdk_version, role):
    project = f"refused-{role}-{sdk_version.replace('.', '')}"
    result = run_sdk(sdk_version, INIT_SCRIPT, world["server"], api_key=world["keys"][role],
                     args=[world["team"], project], timeout=180)
    assert not result["ok"]
    reason = ("is not a member of team" if role == "outsider"
              else "is a viewer of team")
    assert reason in result["error"] and repr(world["team"]) in result["error"], result
    assert not _run_exists(world, world["team"], project, "sdk-run")


def test_default_entity_is_your_own(world, sdk_version):
    result = run_sdk(sdk_version, INIT_SCRIPT, world["server"],
                     api_key=world["keys"]["outsider"], args=["", "mine"])
    assert result["ok"], result
    assert result["entity"] == world["users"]["outsider"]


def test_service_account_logs_for_ci(world, sdk_version):
    project = f"ci-{sdk_version.replace('.', '')}"
    result = run_sdk(sdk_version, INIT_SCRIPT, world["server"], api_key=world["keys"]["service"],
                     args=[world["team"], project])
    assert result["ok"] and result["entity"] == world["team"], result


@pytest.mark.parametrize("role,allowed", [("viewer", False), ("outsider", False),
                                          ("admin", True)])
def test_reading_a_private_run(world, sdk_version, role, allowed):
    key = world["server"].admin_key if role == "admin" else world["keys"][role]
    result = run_sdk(sdk_version, READ_SCRIPT, world["server"], api_key=key,
                     args=[f"{world['team']}/private/base"], timeout=180)
    assert result["ok"] is allowed, result
    if not allowed:
        # 0.31 shows the server's reason; 0.21's Public API replaces any 403 with its own
        # "you do not have permission" text.
        reason = "is private" if role == "viewer" else "is not a member of team"
        assert reason in result["error"] or "Error 403" in result["error"], result


def test_public_api_team_and_user_calls(world, sdk_version):
    team = f"api{uuid.uuid4().hex[:8]}"
    invitee = world["users"]["outsider"]
    result = run_sdk(sdk_version, TEAMS_SCRIPT, world["server"],
                     api_key=world["server"].admin_key, args=[team, invitee])
    assert result["invited"] is True
    assert result["members"]["admin"] == [True, "USER"]
    assert result["members"][invitee] == [False, "USER"]
    assert result["service"] == "SERVICE"
    assert team in result["viewer_teams"]
    assert invitee in result["found"] and result["user"] == invitee
    assert team in result["user_teams"]
    assert result["removed"] is True
    assert invitee not in result["after"] and "admin" in result["after"]
    assert result["created"] == [f"{team}-new", f"{team}-new@example.org"]


def test_generate_and_delete_api_key(world):
    """wandb 0.31 only: 0.21's User.generate_api_key signs in with the *stored* key text
    (api_keys[0]), which Roost never keeps; see docs/tenancy.md."""
    result = run_sdk("0.31.0", KEYS_SCRIPT, world["server"], api_key=world["keys"]["member"])
    assert result["length"] >= 40
    assert result["works"] == world["users"]["member"]
    assert result["deleted"] is True


def test_revoked_key_in_flight(world):
    """A key revoked while its run is logging stops working at the next request: file_stream
    gets 401 and nothing more is stored."""
    server, team = world["server"], world["team"]
    admin = world["admin"]
    username = world["users"]["member"]
    key = admin.create_key(username)
    status, body = upsert(server, key, team, "inflight", "r1")
    assert status == 200, body
    assert stream_history(server, key, team, "inflight", "r1", 0, [1.0]).status_code == 200
    page = admin.get(f"/console/users/{username}/keys").text
    key_id = [row.split('data-key="')[1].split('"')[0] for row in page.split("<tr")
              if key[:6] in row][0]
    admin.ok(admin.post(f"/console/keys/{key_id}/revoke", {"username": username}))
    response = stream_history(server, key, team, "inflight", "r1", 1, [2.0])
    assert response.status_code == 401 and "invalid API key" in response.json()["error"]
    status, body = gql(server, server.admin_key, READ_RUN,
                       {"entity": team, "project": "inflight", "run": "r1"})
    assert body["data"]["project"]["run"]["historyLineCount"] == 1
    audit = admin.get("/console/audit?action=api_key.revoke").text
    assert username in audit


@pytest.mark.parametrize("role,allowed", [("member", False), ("admin", True)])
def test_deleting_a_run(world, sdk_version, role, allowed):
    """Members log runs; deleting one takes a team admin (here the server admin)."""
    name = f"del-{role}-{sdk_version.replace('.', '')}"
    upsert(world["server"], world["server"].admin_key, world["team"], "shared", name)
    key = world["server"].admin_key if role == "admin" else world["keys"][role]
    result = run_sdk(sdk_version, DELETE_SCRIPT, world["server"], api_key=key,
                     args=[f"{world['team']}/shared/{name}"], timeout=180)
    assert result["ok"] is allowed, result
    assert _run_exists(world, world["team"], "shared", name) is not allowed
