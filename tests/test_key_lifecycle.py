"""The key lifecycle and the admin's first commands: ``roost user list|disable|enable|
set-password`` and ``roost key create --expires|list|revoke`` run as subprocesses against a
real server's data; keys that expire, last-used times written at most once a minute; and the
console (chromium) where an admin sees and revokes any key, service accounts' too, and sees
the sign-in methods with the last sign-ins of each."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import requests

from harness import RoostServer
from tenancy_helpers import gql
from test_console_browser import CHROMIUM, CHROMIUM_ARGS, browser_problem, flash, shot, submit

pytestmark = pytest.mark.xdist_group("key-lifecycle")
VIEWER = "{ viewer { username } }"


@pytest.fixture(scope="module")
def server():
    with RoostServer() as running:
        yield running


def works(server, key: str) -> bool:
    status, body = gql(server, key, VIEWER)
    return status == 200 and bool(body.get("data", {}).get("viewer"))


def test_user_commands(server):
    server.cli("user", "add", "ursula", "--email", "ursula@example.org")
    listed = server.cli("user", "list").stdout
    header, *rows = listed.splitlines()
    assert header.split() == ["USER", "KIND", "ADMIN", "STATUS", "EMAIL", "TEAMS", "CREATED"]
    assert any(r.split()[:4] == ["ursula", "user", "active", "ursula@example.org"] for r in rows)
    assert any(r.split()[:4] == ["admin", "user", "yes", "active"] for r in rows)
    key = server.create_key("ursula")
    assert works(server, key)
    assert server.cli("user", "disable", "ursula").stdout.strip() == "disabled user 'ursula'"
    assert not works(server, key)
    assert "ursula  user         disabled" in server.cli("user", "list", "--query", "urs").stdout
    server.cli("user", "enable", "ursula")
    assert works(server, key)
    server.cli("user", "set-password", "ursula", input="a-long-password\n")
    signed = requests.post(server.url + "/graphql", json={"query": VIEWER},
                           auth=("ursula", "a-long-password"), timeout=30)
    assert signed.status_code == 200 and signed.json()["data"]["viewer"]["username"] == "ursula"
    # Errors: one clear line, exit 2, nothing changed.
    for args, stdin, message in (
            (("user", "set-password", "ursula"), "", "no password on standard input"),
            (("user", "set-password", "ursula"), "short\n", "at least 8 characters"),
            (("user", "disable", "nobody"), None, "user 'nobody' does not exist"),
            (("user", "disable", "admin"), None, "last active admin")):
        result = server.cli(*args, input=stdin, check=False)
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_key_commands(server):
    server.cli("user", "add", "kim")
    created = server.cli("key", "create", "kim", "--description", "laptop",
                         "--expires", "30d").stdout.splitlines()
    assert ", expires 20" in created[0]
    key, key_id = created[-1], created[0].split()[2]
    second = server.create_key("kim")
    listed = server.cli("key", "list", "kim").stdout.splitlines()
    assert listed[0].split() == ["ID", "USER", "KEY", "DESCRIPTION", "CREATED", "LAST", "USED",
                                 "EXPIRES", "STATUS"]
    row = [line for line in listed if line.startswith(key_id + " ")][0]
    assert "laptop" in row and key[:6] in row and row.endswith("active") and " - " in row
    # Last use is recorded, at most once a minute (no write per request).
    assert works(server, key)
    first = server.query("SELECT last_used_at FROM api_key WHERE id = ?", (key_id,))[0]
    assert first["last_used_at"] and abs(first["last_used_at"] - time.time()) < 60
    assert works(server, key)
    assert server.query("SELECT last_used_at FROM api_key WHERE id = ?",
                        (key_id,))[0] == first
    assert server.cli("key", "revoke", key_id).stdout.strip() == f"revoked API key {key_id}"
    assert not works(server, key) and works(server, second)
    assert key_id not in [line.split()[0] for line in
                          server.cli("key", "list", "kim").stdout.splitlines()[1:]]
    everything = server.cli("key", "list", "--all").stdout
    assert f"{key_id} " in everything and "revoked" in everything
    for args, message in ((("key", "revoke", "99999"), "API key '99999' does not exist"),
                          (("key", "create", "kim", "--expires", "someday"), "give a duration"),
                          (("key", "create", "kim", "--expires", "2001-01-01"), "in the future"),
                          (("key", "list", "nobody"), "user 'nobody' does not exist")):
        result = server.cli(*args, check=False)
        assert result.returncode == 2 and message in result.stderr, result.stderr


def test_a_key_stops_at_its_expiry(server):
    server.cli("user", "add", "exp")
    # Far enough ahead that starting `roost key create` on a busy machine cannot use it up.
    ends = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=15)
    key = server.cli("key", "create", "exp", "--expires",
                     ends.strftime("%Y-%m-%dT%H:%M:%S+00:00")).stdout.splitlines()[-1]
    assert works(server, key)
    time.sleep(max(0.0, ends.timestamp() - time.time()) + 1)
    status, _ = gql(server, key, VIEWER)
    assert status == 401
    assert server.cli("key", "list", "exp").stdout.splitlines()[1].endswith("expired")


# -- the console ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def page(server):
    if browser_problem():
        pytest.skip(browser_problem())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.set_default_timeout(15000)
        page.goto(server.url + "/login")
        submit(page, "#login", {"username": "admin", "password": server.admin_password})
        yield page
        chromium.close()


def test_console_lists_and_revokes_any_key(page, server):
    body = server.graphql('mutation { createTeam(input: {teamName: "ops"}) { entity { name } } }')
    assert not body.get("errors"), body
    created = server.graphql('mutation { createServiceAccount(input: {entityName: "ops", '
                             'description: "nightly"}) { user { id name } apiKey } }')
    service_key = created["data"]["createServiceAccount"]["apiKey"]
    assert works(server, service_key)
    page.goto(server.url + "/console/keys")
    row = page.locator("#all-keys tbody tr", has_text="service account")
    assert row.count() == 1 and "nightly" in row.inner_text()
    shot(page, "keys-01-all")
    row.locator("button.revoke").click()
    page.wait_for_load_state()
    assert "Revoked key" in flash(page)
    assert not works(server, service_key)
    page.goto(server.url + "/console/keys?all=1")
    assert "revoked" in page.locator("#all-keys").inner_text()
    # A key with an expiry made on a user's keys page shows it.
    server.cli("user", "add", "vera")
    page.goto(server.url + "/console/users/vera/keys")
    submit(page, "form[action$='/users/vera/keys']", {"description": "two weeks",
                                                       "expires": "14d"})
    assert page.locator("#secret").count() == 1
    page.goto(server.url + "/console/users/vera/keys")
    expires = page.locator("#keys tbody tr").first.locator("td").nth(4).inner_text()
    in_two_weeks = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=14)
    assert expires.startswith(in_two_weeks.strftime("%Y-%m-%d")[:8])


def test_console_shows_sign_in_methods_and_last_sign_ins(page, server):
    page.goto(server.url + "/console/sign-in")
    methods = page.locator("#sign-in-methods tbody tr")
    assert [methods.nth(i).get_attribute("data-method") for i in range(methods.count())] == [
        "password"]
    assert "admin" in page.locator("tr[data-method=password] .sign-in").first.inner_text()
    shot(page, "sign-in-01-methods")
