"""Bad input to the tenancy features: unknown users, duplicate names, names with path or
markup characters, expired and revoked share links, used and revoked invites, sign-in floods,
self-registration switched off: each gets a clear error, nothing is stored wrongly, every
string comes back escaped; and no secret ends up in the logs."""

from __future__ import annotations

import html
import re
import time
import uuid

import pytest
import requests

from harness import RoostServer
from tenancy_helpers import READ_RUN, Admin, Web, error_text, gql, upsert


pytestmark = pytest.mark.xdist_group("tenancy-bad-input")  # one server for the module


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with RoostServer(tmp_path_factory.mktemp("tenancy-bad") / "data",
                     extra_args=["--login-max-failures", "3", "--proxy-count", "1",
                                 "--log-level", "debug"]) as running:
        yield running


@pytest.fixture(scope="module")
def admin(server):
    return Admin(server)


def users(admin) -> set[str]:
    return set(re.findall(r'data-user="([^"]+)"', admin.get("/console/users").text))


def test_unknown_users(server, admin):
    admin.create_team("lab-unknown", "admin")
    response = admin.post("/console/teams/lab-unknown/members", {"username": "ghost",
                                                                "role": "member"})
    assert ("error", "user 'ghost' does not exist") in admin.flashes(response)
    status, body = gql(server, server.admin_key, """mutation { createInvite(input: {
        entityName: "lab-unknown", username: "ghost"}) { invite { id } } }""")
    assert "user 'ghost' does not exist; invite them by email instead" in error_text(body)
    status, body = gql(server, server.admin_key, """mutation { createInvite(input: {
        entityName: "no-such-team", username: "admin"}) { invite { id } } }""")
    assert "team 'no-such-team' does not exist" in error_text(body)
    status, body = gql(server, server.admin_key, '{ users(query: "ghost") { edges { node { id } } } }')
    assert body["data"]["users"]["edges"] == []
    assert "ghost" not in users(admin)


def test_duplicate_names(server, admin):
    admin.add_user("dupe", "dupe-password-1")
    response = admin.post("/console/users", {"username": "dupe"})
    assert ("error", "the name 'dupe' is already taken by a user or team") in \
        admin.flashes(response)
    response = admin.post("/console/teams", {"name": "dupe"})
    assert ("error", "the name 'dupe' is already taken by a user or team") in \
        admin.flashes(response)
    status, body = gql(server, server.admin_key, """mutation { createTeam(input: {
        teamName: "dupe"}) { entity { id } } }""")
    assert "already taken" in error_text(body)
    status, body = gql(server, server.admin_key, """mutation { createUser(input: {
        email: "dupe@example.org"}) { user { id } } }""")
    assert "already taken" in error_text(body)
    assert sorted(u for u in users(admin) if u.startswith("dupe")) == ["dupe"]


@pytest.mark.parametrize("name", ["a/b", "../etc", "<script>x", "x y", "", "-lead",
                                  "é" * 3, "n" * 65])
def test_names_with_path_or_markup_characters(server, admin, name):
    before = users(admin)
    for response in (admin.post("/console/users", {"username": name}),
                     admin.post("/console/teams", {"name": name})):
        errors = [text for kind, text in admin.flashes(response) if kind == "error"]
        assert errors and ("invalid" in errors[0] or "name" in errors[0]), errors
        # The page shows the name as text: no markup from it survives.
        assert "<script>x" not in response.text
    status, body = gql(server, server.admin_key, """mutation T($n: String!) { createTeam(
        input: {teamName: $n}) { entity { id } } }""", {"n": name})
    assert body["errors"] and body["data"]["createTeam"] is None
    assert users(admin) == before


def test_markup_in_a_register_form_comes_back_escaped(server, admin):
    admin.ok(admin.post("/console/settings/self-registration", {"enabled": "true"}))
    try:
        web = Web(server.url)
        response = web.post("/register", {"username": "<img src=x onerror=alert(1)>",
                                          "password": "long-enough-1"})
        assert response.status_code == 400
        assert "<img src=x" not in response.text
        assert html.escape("<img src=x onerror=alert(1)>", quote=False) in response.text
        response = web.post("/register", {"username": "newbie", "password": "short"})
        assert "at least 8 characters" in html.unescape(response.text)
        response = web.post("/register", {"username": "newbie",
                                          "password": "long-enough-1"})
        assert response.url.endswith("/login")
        assert "newbie" in users(admin)
    finally:
        admin.ok(admin.post("/console/settings/self-registration", {"enabled": "false"}))
    response = Web(server.url).post("/register", {"username": "latecomer",
                                                  "password": "long-enough-1"})
    assert response.status_code == 403 and "self-registration is off" in response.text
    assert "latecomer" not in users(admin)


def test_expired_and_revoked_share_links(server, admin):
    from test_permissions import _client, _principal

    upsert(server, server.admin_key, "admin", "shared", "r1", "hello")
    client = _client(server)
    try:
        created = client.create_share_link(_principal(server, server.admin_key), "admin",
                                           "shared", "r1", expires_in_seconds=1)
    finally:
        client.close()
    path = f"/share/{created.token}"
    assert requests.get(server.url + path, timeout=30).status_code == 200
    time.sleep(1.5)
    expired = requests.get(server.url + path, timeout=30)
    assert expired.status_code == 401 and "this share link has expired" in expired.text
    status, body = gql(server, None, READ_RUN, {"entity": "admin", "project": "shared",
                                               "run": "r1"}, path=path + "/graphql")
    assert status == 401 and "expired" in error_text(body)
    bogus = requests.get(server.url + "/share/not-a-real-token", timeout=30)
    assert bogus.status_code == 401 and "does not exist" in bogus.text
    response = admin.post("/console/projects/admin/shared/share", {"run": "no-such-run"})
    assert ("error", "run admin/shared/no-such-run does not exist") in admin.flashes(response)
    response = admin.post("/console/projects/admin/shared/share", {"days": "soon"})
    assert ("error", "the number of days must be a whole number") in admin.flashes(response)


def test_used_and_revoked_invites(server, admin):
    team = f"inv{uuid.uuid4().hex[:6]}"
    admin.create_team(team, "admin")
    link = admin.secret(admin.ok(admin.post(f"/console/teams/{team}/invites",
                                            {"email": "x@example.org", "days": "1"})))
    path = link[link.index("/invite/"):]
    guest = Web(server.url)
    response = guest.post(path, {"username": "a/b", "password": "long-enough-1"})
    assert response.status_code == 400 and "invalid user name" in html.unescape(response.text)
    response = guest.post(path, {"username": "invitee1", "password": "long-enough-1"})
    assert response.url.endswith("/login")
    again = Web(server.url).post(path, {"username": "invitee2", "password": "long-enough-1"})
    assert again.status_code == 409 and "already used" in again.text
    assert "invitee2" not in users(admin)
    link = admin.secret(admin.ok(admin.post(f"/console/teams/{team}/invites",
                                            {"email": "y@example.org"})))
    page = admin.get(f"/console/teams/{team}").text
    invite_id = re.findall(r'/console/invites/(\d+)/revoke', page)[0]
    admin.ok(admin.post(f"/console/invites/{invite_id}/revoke", {"team": team}))
    revoked = Web(server.url).get(link[link.index("/invite/"):])
    assert revoked.status_code == 403 and "revoked" in revoked.text
    assert Web(server.url).get("/invite/nothing-here").status_code == 404
    response = admin.post(f"/console/teams/{team}/invites", {"email": "not an email"})
    assert any("is not an email address" in text for _, text in admin.flashes(response))


def test_sign_in_flood_is_rate_limited(server, admin):
    admin.add_user("target", "target-password-1")
    web = Web(server.url)
    for _ in range(3):
        response = web.login("target", "wrong-password")
        assert response.status_code == 401
    response = web.login("target", "target-password-1")
    assert response.status_code == 429
    assert "too many failed sign-in attempts" in html.unescape(response.text)
    basic = requests.post(server.url + "/graphql", json={"query": "{ viewer { id } }"},
                          auth=("target", "target-password-1"), timeout=30)
    assert basic.status_code == 429
    # API keys are not affected.
    status, body = gql(server, server.admin_key, "{ viewer { username } }")
    assert body["data"]["viewer"]["username"] == "admin"


def test_last_admin_and_last_owner_are_kept(server, admin):
    response = admin.post("/console/users/admin/admin", {"admin": "false"})
    assert any("last active admin" in text for _, text in admin.flashes(response))
    response = admin.post("/console/users/admin/disabled", {"disabled": "true"})
    assert any("last active admin" in text for _, text in admin.flashes(response))
    team = f"own{uuid.uuid4().hex[:6]}"
    admin.create_team(team, "admin")
    response = admin.post(f"/console/teams/{team}/members/admin/remove")
    assert any("last owner" in text for _, text in admin.flashes(response))


def test_secure_cookie_behind_tls(server):
    response = requests.get(server.url + "/login", headers={"X-Forwarded-Proto": "https"},
                            timeout=30)
    assert "Secure" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]
    plain = requests.get(server.url + "/login", timeout=30)
    assert "Secure" not in plain.headers["Set-Cookie"]


def test_no_secret_in_logs(server, admin):
    key = admin.create_key("admin")
    gql(server, key, "{ viewer { id } }")
    upsert(server, key, "admin", "logged", "r1")
    link = admin.share("admin", "logged")
    requests.get(server.url + link, timeout=30)
    Web(server.url).login("admin", server.admin_password)
    logs = server.logs()
    token = link.rsplit("/", 1)[1]
    assert key not in logs and token not in logs
    assert logs.count(server.admin_password) == 1  # the first-start banner, shown once


def test_people_change_their_own_password(server, admin):
    admin.add_user("changer", "changer-password-1")
    web = Web(server.url)
    web.login("changer", "changer-password-1")
    response = web.post("/account/password", {"current": "wrong", "password": "new-password-1"})
    assert ("error", "the current password is wrong") in web.flashes(response)
    response = web.post("/account/password", {"current": "changer-password-1",
                                              "password": "short"})
    assert ("error", "password must be at least 8 characters") in web.flashes(response)
    response = web.post("/account/password", {"current": "changer-password-1",
                                              "password": "new-password-1"})
    assert ("ok", "Your password is changed.") in web.flashes(response)
    assert Web(server.url).login("changer", "changer-password-1").status_code == 401
    assert Web(server.url).login("changer", "new-password-1").url == server.url + "/"


def test_roost_serve_hands_secrets_to_its_core_outside_the_command_line(tmp_path):
    """`ps` shows every process's command line to every user of the machine."""
    from pathlib import Path

    secret = "bind-" + uuid.uuid4().hex
    with RoostServer(tmp_path / "data", env={"ROOST_LDAP_BIND_PASSWORD": secret,
                                             "ROOST_CORE_SECRET": secret + "c"}) as running:
        serve = running.processes[0].pid
        children = [p for p in Path("/proc").iterdir() if p.name.isdigit()
                    and _parent(p) == serve]
        commands = [(p / "cmdline").read_bytes().replace(b"\0", b" ").decode() for p in children]
        core = [c for c in commands if " core " in c]
        assert core, commands
        assert secret not in core[0] and "--ldap-bind-password" not in core[0]
        assert "--core-secret" not in core[0] and secret + "c" not in core[0]


def _parent(proc) -> int:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1
