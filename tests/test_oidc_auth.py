"""OpenID Connect sign-in (plugins/oidc_auth) in Debian's chromium through Playwright, against
a real provider process on 127.0.0.1 (oidc-provider-mock: discovery, JWKS, authorization,
token, userinfo, end_session) and a rigged one (tests/oidc_providers.py) for what a real
provider never sends: ID tokens signed by another key, expired, for another client or issuer,
with another nonce; and a rotated key. Screenshots go to test-artifacts/oidc-*.png."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
import requests

from harness import RoostServer
from oidc_providers import MockProvider, RiggedProvider
from test_console_browser import CHROMIUM, CHROMIUM_ARGS, browser_problem

pytestmark = [pytest.mark.skipif(browser_problem() is not None, reason=browser_problem() or ""),
              pytest.mark.xdist_group("oidc-browser")]

SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CLIENT_ID = "roost-test"
ALICE = {"sub": "alice-sub", "preferred_username": "alice", "email": "alice@example.org",
         "email_verified": True, "name": "Alice Liddell", "groups": ["roost-users", "ml"]}
BOB = {"sub": "bob-sub", "preferred_username": "bob", "email": "bob@example.org",
       "name": "Bob Outsider", "groups": ["visitors"]}
CAROL = {"sub": "carol-sub", "preferred_username": "carol", "email": "carol@other.org",
         "name": "Carol Elsewhere", "groups": ["roost-users"]}
# A second person whose preferred name collides with an existing account.
ADMIN2 = {"sub": "admin-twin", "preferred_username": "admin", "email": "twin@example.org",
          "name": "Not The Admin", "groups": ["roost-users"]}
GROUP_MAP = {"ml": "ml:member", "ml-admins": "ml:admin"}


def oidc_server(issuer: str, **extra: str) -> RoostServer:
    args = ["--oidc-issuer", issuer, "--oidc-client-id", CLIENT_ID,
            "--oidc-label", "Example IdP", "--oidc-group-map", json.dumps(GROUP_MAP)]
    for name, value in extra.items():
        args += ["--" + name.replace("_", "-"), value]
    return RoostServer(extra_args=args, env={"ROOST_OIDC_CLIENT_SECRET": "s3cret-client"})


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    running = MockProvider([ALICE, BOB, CAROL, ADMIN2],
                           tmp_path_factory.mktemp("oidc") / "provider.log")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def server(provider):
    with oidc_server(provider.url, oidc_required_group="roost-users",
                     oidc_allowed_domains="example.org") as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"oidc-{name}.png"), full_page=True)


def sign_in_with_provider(page, server, sub: str) -> None:
    """Roost's sign-in page -> "Sign in with Example IdP" -> the provider's page -> back."""
    page.goto(server.url + "/login")
    page.click("a[data-method=oidc]")
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"))
    page.click(f"button[name=sub][value='{sub}']")
    page.wait_for_load_state()


def user_row(server, username: str) -> dict | None:
    rows = server.query("SELECT id, username, email, name, disabled FROM user WHERE username = ?",
                        (username,))
    return rows[0] if rows else None


def teams_of(server, username: str) -> dict[str, str]:
    rows = server.query("SELECT e.name AS team, m.role AS role FROM team_member m "
                        "JOIN entity e ON e.id = m.team_id JOIN user u ON u.id = m.user_id "
                        "WHERE u.username = ?", (username,))
    return {row["team"]: row["role"] for row in rows}


def audit(server, actor: str) -> list[tuple[str, str]]:
    return [(r["action"], r["target"]) for r in server.query(
        "SELECT action, target FROM audit_entry WHERE actor = ? ORDER BY id", (actor,))]


def error_text(page) -> str:
    return page.locator("main").inner_text()


def test_first_sign_in_provisions_the_account_and_maps_groups(page, server, provider):
    page.goto(server.url + "/login")
    assert page.locator("a[data-method=oidc]").inner_text() == "Sign in with Example IdP"
    assert page.locator("#login").count() == 1  # passwords stay beside it by default
    shot(page, "01-sign-in-page")
    sign_in_with_provider(page, server, "alice-sub")
    assert "/login" not in page.url and "/oidc/" not in page.url, error_text(page)
    assert "alice" in page.locator("header").inner_text()
    shot(page, "02-signed-in")
    alice = user_row(server, "alice")
    assert alice["email"] == "alice@example.org" and alice["name"] == "Alice Liddell"
    assert teams_of(server, "alice") == {"ml": "member"}
    assert ("user.create", "alice") in audit(server, "oidc_auth")
    assert ("team.member.set", "ml/alice") in audit(server, "oidc_auth")
    # The sign-in is recorded under its method; a person gets API keys as anyone does.
    page.goto(server.url + "/settings")
    page.fill("input[name=description]", "laptop")
    page.fill("input[name=expires]", "someday")
    page.locator("form[action$='/settings/keys'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "give a duration" in page.locator(".error-box").inner_text()
    page.fill("input[name=description]", "laptop")
    page.fill("input[name=expires]", "30d")
    page.locator("form[action$='/settings/keys'] button[type=submit]").click()
    page.wait_for_load_state()
    key = page.locator("#new-key-value").inner_text().strip()
    row = page.locator("#keys-table tbody tr", has_text="laptop").inner_text()
    assert "never" not in row.split("\t")[4], row  # the expiry is shown
    shot(page, "02b-settings-key-with-expiry")
    body = server.graphql("{ viewer { username email } }", api_key=key)
    assert body["data"]["viewer"] == {"username": "alice", "email": "alice@example.org"}


def test_later_sign_ins_follow_the_provider(page, server, provider):
    provider.set_claims("alice-sub", {**ALICE, "email": "alice.liddell@example.org",
                                      "name": "Alice L.", "groups": ["roost-users",
                                                                     "ml-admins"]})
    sign_in_with_provider(page, server, "alice-sub")
    assert "alice" in page.locator("header").inner_text(), error_text(page)
    alice = user_row(server, "alice")
    assert (alice["email"], alice["name"]) == ("alice.liddell@example.org", "Alice L.")
    assert teams_of(server, "alice") == {"ml": "admin"}
    provider.set_claims("alice-sub", {**ALICE, "groups": ["roost-users"]})
    page.context.clear_cookies()
    sign_in_with_provider(page, server, "alice-sub")
    assert teams_of(server, "alice") == {}  # left the mapped group: left the team
    assert ("team.member.remove", "ml/alice") in audit(server, "oidc_auth")
    assert len(server.query("SELECT id FROM user WHERE email LIKE 'alice%'")) == 1
    provider.set_claims("alice-sub", ALICE)


def test_taken_username_is_made_unique(page, server):
    sign_in_with_provider(page, server, "admin-twin")
    assert "admin-2" in page.locator("header").inner_text(), error_text(page)
    assert user_row(server, "admin-2")["email"] == "twin@example.org"


def test_sign_out_ends_roost_and_provider_sessions(page, server, provider):
    sign_in_with_provider(page, server, "alice-sub")
    page.click("header form[action$='/logout'] button[type=submit]")  # Sign out
    page.wait_for_url(re.compile(re.escape(provider.url) + r"/oauth2/end_session.*"))
    assert "id_token_hint=" in page.url and "post_logout_redirect_uri=" in page.url
    shot(page, "03-provider-end-session")
    page.click("button[type=submit]")  # the provider's "End session"
    page.wait_for_url(server.url + "/login")
    page.goto(server.url + "/settings")
    assert "/login" in page.url  # Roost's session is gone


def test_who_may_not_sign_in_is_refused(page, server):
    sign_in_with_provider(page, server, "bob-sub")
    assert "not in the group allowed" in error_text(page)
    sign_in_with_provider(page, server, "carol-sub")
    assert "'other.org' may not sign in" in error_text(page)
    shot(page, "04-refused-domain")
    assert user_row(server, "bob") is None and user_row(server, "carol") is None


def test_disabled_user_is_refused(page, server):
    sign_in_with_provider(page, server, "alice-sub")  # the account exists
    server.cli("user", "disable", "alice")
    try:
        page.context.clear_cookies()
        sign_in_with_provider(page, server, "alice-sub")
        assert "'alice' is disabled" in error_text(page)
        shot(page, "05-refused-disabled")
    finally:
        server.cli("user", "enable", "alice")


def test_replayed_and_forged_callbacks_are_refused(page, browser, server):
    callbacks = []
    page.on("request", lambda request: callbacks.append(request.url)
            if "/oidc/callback" in request.url else None)
    sign_in_with_provider(page, server, "alice-sub")
    assert "alice" in page.locator("header").inner_text()
    # The same answer again, in this browser and in another: its state was used up.
    page.goto(callbacks[-1])
    assert "unknown or has expired" in error_text(page)
    other = browser.new_context().new_page()
    other.goto(callbacks[-1])
    assert "unknown or has expired" in other.locator("main").inner_text()
    other.context.close()
    # A forged answer: a sign-in is under way, the state is not the one Roost sent.
    page.goto(server.url + "/oidc/login")
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"))
    page.goto(server.url + "/oidc/callback?code=forged&state=forged-state")
    assert "does not belong to this sign-in" in error_text(page)
    shot(page, "06-refused-forged-state")


def test_passwords_off_shows_only_the_provider(page, provider):
    with oidc_server(provider.url, oidc_disable_passwords="true") as running:
        page.goto(running.url + "/login")
        assert page.locator("#login").count() == 0
        assert page.locator("a[data-method=oidc]").count() == 1
        shot(page, "07-passwords-off")
        body = running.graphql("{ viewer { username } }")  # API keys still work
        assert body["data"]["viewer"]["username"] == "admin"
        refused = requests.post(running.url + "/graphql", json={"query": "{ viewer { id } }"},
                                auth=("admin", running.admin_password), timeout=30)
        assert refused.status_code == 403 and "password sign-in is off" in refused.text


# -- what no honest provider sends ---------------------------------------------------------
@pytest.fixture(scope="module")
def rigged():
    provider = RiggedProvider(CLIENT_ID)
    yield provider
    provider.stop()


@pytest.fixture(scope="module")
def rigged_server(rigged):
    with oidc_server(rigged.url) as running:
        yield running


@pytest.mark.parametrize("mode, message", [
    ("other-key", "signature does not verify"),
    ("expired", "has expired"),
    ("wrong-nonce", "nonce does not match"),
    ("wrong-audience", "issued for another client"),
    ("wrong-issuer", "comes from issuer"),
])
def test_bad_id_tokens_are_refused(page, rigged, rigged_server, mode, message):
    rigged.mode = mode
    try:
        page.goto(rigged_server.url + "/login")
        page.click("a[data-method=oidc]")
        page.wait_for_load_state()
        assert message in error_text(page)
        assert "/login" not in page.url
        shot(page, f"08-refused-{mode}")
    finally:
        rigged.mode = "good"
    assert user_row(rigged_server, "rig") is None
    # PKCE: the authorization request carried an S256 challenge, the exchange its verifier.
    assert rigged.token_requests[-1]["code_verifier"]


def test_rotated_keys_are_fetched_again(page, rigged, rigged_server):
    from joserfc.jwk import RSAKey

    page.goto(rigged_server.url + "/oidc/login")
    assert "rig" in page.locator("header").inner_text(), error_text(page)
    old = rigged.key
    rigged.key = RSAKey.generate_key(2048, parameters={"kid": "rotated", "use": "sig"})
    time.sleep(5.5)  # Roost refetches the JWKS at most every 5 s (provider.REFETCH_SECONDS)
    try:
        page.context.clear_cookies()
        page.goto(rigged_server.url + "/oidc/login")
        assert "rig" in page.locator("header").inner_text(), error_text(page)
    finally:
        rigged.key = old


def test_a_replayed_id_token_is_refused_by_the_core(rigged, tmp_path):
    """The core remembers each nonce that signed someone in: the same ID token and nonce
    presented twice (a replay past the front) is refused."""
    from roost.core.auth import Credentials
    from roost.core.cli import option_registry
    from roost.core.config import load_config
    from roost.core.errors import Unauthenticated
    from roost.core.pluginmanager import make_plugin_manager
    from roost.core.service import Core

    pm = make_plugin_manager(block=set(), load_entrypoints=False)
    config = load_config(option_registry(pm), {
        "data_dir": str(tmp_path), "oidc_issuer": rigged.url, "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": "x"}, env={})
    core = Core(config, pm)
    try:
        token = rigged.id_token("nonce-1")
        credentials = Credentials("oidc", "", token, "127.0.0.1", {"nonce": "nonce-1"})
        assert core.identity.sign_in(credentials).username == "rig"
        with pytest.raises(Unauthenticated, match="used before"):
            core.identity.sign_in(credentials)
        methods = {m["id"] for m in core.identity.sign_in_methods()}
        assert methods == {"password", "oidc"}
        assert [r["method"] for r in core.storage.last_sign_ins(5)] == ["oidc"]
    finally:
        core.close()


def test_core_and_front_apart(page, provider):
    """``roost core`` and ``roost front`` as compose runs them: the front's blueprint does the
    redirects, the core (another process) verifies and provisions."""
    args = ["--oidc-issuer", provider.url, "--oidc-client-id", CLIENT_ID]
    with RoostServer(split=True, extra_args=args,
                     env={"ROOST_OIDC_CLIENT_SECRET": "s3cret-client"}) as running:
        sign_in_with_provider(page, running, "alice-sub")
        assert "alice" in page.locator("header").inner_text(), error_text(page)
        assert user_row(running, "alice")["email"] == "alice@example.org"
