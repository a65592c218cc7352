"""The admin console driven in a real browser (Playwright with Debian's chromium): sign-in,
every page, each admin action and the audit entry it leaves, a forged cross-site form
refused by the CSRF check, and user strings shown escaped. Screenshots of each page go to
test-artifacts/console-*.png."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from harness import RoostServer
from tenancy_helpers import gql, stream_history, upsert

CHROMIUM = "/usr/bin/chromium"
MARKUP = "<b>bold<img src=x onerror=alert(1)>"  # no "/": project names forbid it
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def browser_problem() -> str | None:
    if not Path(CHROMIUM).exists():
        return "Debian's chromium is not installed (apt-get install chromium; .ci/run does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (the test extra has it)"
    return None


# One worker, one browser and one server for the module; each test makes what it needs.
pytestmark = [pytest.mark.skipif(browser_problem() is not None, reason=browser_problem() or ""),
              pytest.mark.xdist_group("console-browser")]


@pytest.fixture(scope="module")
def server():
    with RoostServer() as running:
        key = running.admin_key
        for project in ("vision", "nlp", MARKUP):
            status, body = upsert(running, key, "admin", project, "run-1", "notes")
            assert status == 200 and not body.get("errors"), body
            stream_history(running, key, "admin", project, "run-1", 0, [0.1, 0.2])
        yield running


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(server.url + "/login")
    submit(page, "#login", {"username": "admin", "password": server.admin_password})
    assert page.url == server.url + "/"  # a plain sign-in lands on the home page, admins too
    yield page
    context.close()


def fresh_page(browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15000)
    return page


def add_user(page, server, username: str) -> None:
    page.goto(server.url + "/console/users")
    submit(page, "#add-user", {"username": username, "password": f"{username}-password-1"})
    assert f"Created user '{username}'" in flash(page)


def add_team(page, server, name: str, owner: str) -> None:
    page.goto(server.url + "/console/teams")
    submit(page, "#create-team", {"name": name, "owner": owner})
    assert f"Created team '{name}'" in flash(page)


SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"console-{name}.png"), full_page=True)


def flash(page) -> str:
    return page.locator(".flash").first.inner_text()


def submit(page, form_selector: str, fields: dict | None = None, button: str = "") -> None:
    form = page.locator(form_selector)
    for name, value in (fields or {}).items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        elif field.get_attribute("type") == "checkbox":
            field.check() if value else field.uncheck()
        else:
            field.fill(value)
    (form.locator(button) if button else form.locator("button[type=submit]")).first.click()
    page.wait_for_load_state()


def audit_actions(page, server) -> list[tuple[str, str]]:
    page.goto(server.url + "/console/audit")
    rows = page.locator("#audit tbody tr")
    return [(rows.nth(i).locator("td").nth(2).inner_text(),
             rows.nth(i).locator("td").nth(3).inner_text()) for i in range(rows.count())]


def test_sign_in(browser, server):
    page = fresh_page(browser)
    page.goto(server.url + "/console/")
    assert "/login" in page.url
    shot(page, "01-sign-in")
    submit(page, "#login", {"username": "admin", "password": "wrong password"})
    assert "invalid username or password" in page.locator("#error-message").inner_text()
    submit(page, "#login", {"username": "admin", "password": server.admin_password})
    assert page.url.endswith("/console/")  # the page asked for
    assert page.locator("#health-status").inner_text() == "Healthy"
    shot(page, "02-overview")
    page.context.close()


def test_users_page_actions_and_audit(page, server):
    page.goto(server.url + "/console/users")
    submit(page, "#add-user", {"username": "grace", "email": "grace@example.org",
                               "password": "grace-password-1"})
    assert "Created user 'grace'" in flash(page)
    submit(page, 'tr[data-user="grace"] form:has(button.make-admin)')
    assert "'grace' is now an admin" in flash(page)
    submit(page, 'tr[data-user="grace"] form:has(button.disable)')
    assert "Disabled 'grace'" in flash(page)
    assert page.locator('tr[data-user="grace"] td').nth(3).inner_text() == "disabled"
    submit(page, 'tr[data-user="grace"] form:has(button.disable)')
    submit(page, 'tr[data-user="grace"] form:has(button.reset-password)',
           {"password": "grace-password-2"})
    assert "Set a new password for 'grace'" in flash(page)
    submit(page, "#add-user", {"username": "bad/name"})
    assert "invalid user name 'bad/name'" in flash(page)
    shot(page, "03-users")
    page.goto(server.url + "/console/users/grace/keys")
    submit(page, "form:has(input[name=description])", {"description": "laptop"})
    secret = page.locator("#secret").inner_text()
    assert len(secret) >= 40
    status, body = gql(server, secret, "{ viewer { username } }")
    assert body["data"]["viewer"]["username"] == "grace"
    page.goto(server.url + "/console/users/grace/keys")
    shot(page, "04-keys")
    submit(page, "#keys form:has(button.revoke)")
    assert "Revoked the key" in flash(page)
    status, body = gql(server, secret, "{ viewer { username } }")
    assert status == 401
    actions = audit_actions(page, server)
    for action in ("user.create", "user.update", "api_key.create", "api_key.revoke"):
        assert (action, "grace") in actions, actions


def test_teams_page_actions_and_audit(page, server):
    add_user(page, server, "tom")
    page.goto(server.url + "/console/teams")
    submit(page, "#create-team", {"name": "vision-lab", "owner": "tom"})
    assert "Created team 'vision-lab'" in flash(page)
    submit(page, "#add-member", {"username": "admin", "role": "viewer"})
    assert "'admin' is now a viewer of 'vision-lab'" in flash(page)
    submit(page, 'tr[data-member="admin"] form:has(button.set-role)', {"role": "member"})
    assert "'admin' is now a member" in flash(page)
    submit(page, "#add-member", {"username": "nobody-here", "role": "member"})
    assert "user 'nobody-here' does not exist" in flash(page)
    submit(page, 'tr[data-member="tom"] form:has(button.set-role)', {"role": "viewer"})
    assert "last owner" in flash(page)
    submit(page, "#service-account", {"description": "nightly CI"})
    assert len(page.locator("#secret").inner_text()) >= 40
    page.goto(server.url + "/console/teams/vision-lab")
    submit(page, "#invite", {"email": "newcomer@example.org", "role": "viewer"})
    invite_url = page.locator("#secret").inner_text()
    assert "/invite/" in invite_url
    page.goto(server.url + "/console/teams/vision-lab")
    shot(page, "05-team")
    submit(page, 'tr[data-member="admin"] form:has(button.remove)')
    assert "Removed 'admin' from 'vision-lab'" in flash(page)
    page.goto(server.url + "/console/teams")
    shot(page, "06-teams")
    actions = audit_actions(page, server)
    assert ("team.create", "vision-lab") in actions
    assert ("team.member.set", "vision-lab/admin") in actions
    assert ("team.member.remove", "vision-lab/admin") in actions
    assert ("invite.create", "vision-lab") in actions
    assert any(a == "team.service_account.create" for a, _ in actions)


def test_invite_link_signs_someone_up(browser, page, server):
    add_team(page, server, "invite-lab", "admin")
    page.goto(server.url + "/console/invites")
    submit(page, "#server-invite", {"email": "ada@example.org", "team": "invite-lab",
                                    "role": "member"})
    link = page.locator("#secret").inner_text()
    guest = browser.new_context().new_page()
    guest.goto(link)
    shot(guest, "07-invite")
    submit(guest, "#accept-invite", {"username": "ada", "password": "ada-password-1"})
    assert "/login" in guest.url
    submit(guest, "#login", {"username": "ada", "password": "ada-password-1"})
    assert guest.url == server.url + "/"
    guest.goto(server.url + "/account")
    assert "invite-lab" in guest.content()
    guest.goto(link)
    assert "already used" in guest.content()
    guest.goto(server.url + "/console/")
    assert "for server admins only" in guest.content()
    guest.context.close()
    page.goto(server.url + "/console/invites")
    shot(page, "08-invites")
    assert ("invite.accept", "invite-lab") in audit_actions(page, server)


def test_projects_page_actions_and_audit(page, server):
    add_team(page, server, "project-lab", "admin")
    page.goto(server.url + "/console/projects")
    shot(page, "09-projects")
    # A project name with markup is shown as text, never rendered.
    row = page.locator("#projects tbody tr", has_text="bold")
    assert row.locator("td").first.inner_text() == MARKUP
    assert row.locator("b, img").count() == 0
    page.goto(server.url + "/console/projects/admin/vision")
    submit(page, "#visibility", {"visibility": "public"})
    assert "admin/vision is now public" in flash(page)
    submit(page, "#share", {"run": "run-1", "days": "2"})
    share_url = page.locator("#secret").inner_text()
    page.goto(share_url)
    assert page.locator("#run-state").inner_text() in ("running", "finished", "crashed")
    page.goto(server.url + "/console/projects/admin/vision")
    submit(page, "#share-links form:has(button.revoke)")
    assert "Revoked the share link" in flash(page)
    page.goto(share_url)
    assert "revoked" in page.locator("#error-message").inner_text()
    page.goto(server.url + "/console/projects/admin/vision")
    submit(page, "#move", {"entity": "project-lab"})
    assert "Moved 'vision' to 'project-lab'" in flash(page)
    shot(page, "10-project")
    page.goto(server.url + "/console/projects/admin/nlp")
    submit(page, "#delete", {"confirm": "wrong name"})
    assert "type the project's name" in flash(page)
    submit(page, "#delete", {"confirm": "nlp"})
    assert "Deleted admin/nlp" in flash(page)
    actions = audit_actions(page, server)
    for entry in (("project.visibility", "admin/vision"), ("share.create", "admin/vision/run-1"),
                  ("share.revoke", "admin/vision"), ("project.move", "admin/vision"),
                  ("project.delete", "admin/nlp")):
        assert entry in actions, actions


def test_storage_plugins_overview_pages(page, server):
    page.goto(server.url + "/console/storage")
    assert "admin" in page.locator("#usage-entities").inner_text()
    shot(page, "11-storage")
    page.goto(server.url + "/console/plugins")
    hooks = page.locator('tr[data-plugin="token_auth"]').inner_text()
    assert "roost_authenticate" in hooks
    assert "roost_authenticate" in page.locator('tr[data-plugin="ldap_auth"]').inner_text()
    shot(page, "12-plugins")
    page.goto(server.url + "/console/")
    assert "off" in page.locator("#self-registration").inner_text()
    page.locator("#toggle-registration").click()
    page.wait_for_load_state()
    assert "Self-registration is on" in flash(page)
    shot(page, "13-settings")
    assert ("setting.set", "self_registration") in audit_actions(page, server)
    shot(page, "14-audit")


def test_forged_cross_site_form_is_refused(browser, page, server):
    """A page on another site that posts the add-user form with the admin's cookies."""
    attacker = page.context.new_page()
    attacker.route("http://attacker.test/", lambda route: route.fulfill(
        content_type="text/html",
        body=f"""<form id=f method=post action="{server.url}/console/users">
        <input name=username value=mallory><input name=admin value=1></form>
        <script>document.getElementById('f').submit()</script>"""))
    attacker.goto("http://attacker.test/")
    attacker.wait_for_load_state()
    shot(attacker, "15-forged-form")
    assert re.search(r"CSRF|Sign in", attacker.content())
    attacker.close()
    # The same form from the admin's own page, without the token, is refused too.
    response = page.request.post(server.url + "/console/users",
                                 form={"username": "mallory", "admin": "1"})
    assert response.status == 400 and "CSRF" in response.text()
    page.goto(server.url + "/console/users")
    assert page.locator('tr[data-user="mallory"]').count() == 0


def test_security_headers_on_pages(page, server):
    response = page.goto(server.url + "/console/users")
    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    cookie = [c for c in page.context.cookies() if c["name"] == "roost_session"][0]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"


def test_sign_out(browser, server):
    page = fresh_page(browser)
    page.goto(server.url + "/login")
    submit(page, "#login", {"username": "admin", "password": server.admin_password})
    page.goto(server.url + "/console/")
    page.locator("header form button").click()
    page.wait_for_load_state()
    assert "/login" in page.url
    page.goto(server.url + "/console/users")
    assert "/login" in page.url
    page.context.close()


def test_chromium_is_debians():
    assert shutil.which("chromium") == CHROMIUM


# -- one visual family with the web UI; where sign-in lands (issue 17 item 15) --------------------
def style(page, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate(f"e => getComputedStyle(e).{prop}")


def test_console_is_one_visual_family_with_the_ui(page, server):
    page.goto(server.url + "/")
    ui = {"font": style(page, "body", "fontFamily"), "size": style(page, "body", "fontSize"),
          "bar": style(page, "header.topbar", "height"), "mark": style(page, ".brand-mark", "backgroundColor")}
    page.goto(server.url + "/console/users")
    assert {"font": style(page, "body", "fontFamily"), "size": style(page, "body", "fontSize"),
            "bar": style(page, "header.topbar", "height"),
            "mark": style(page, ".brand-mark", "backgroundColor")} == ui
    # One "Projects" link (the console's section); the brand leads to the home page.
    assert page.get_by_role("link", name="Projects", exact=True).count() == 1
    assert page.locator("header .brand").get_attribute("href") == "/"
    assert page.locator("nav.tabs a[aria-current=page]").inner_text() == "Users"
    # The add-user form: its main button is the UI's primary button; the checkbox sits on the
    # line of its label, to its left.
    assert style(page, "#add-user button[type=submit]", "backgroundColor") == ui["mark"]
    box = page.locator("#add-user input[name=admin]").bounding_box()
    label = page.locator("#add-user label.check").bounding_box()
    assert label["height"] < 2.2 * box["height"], (box, label)  # one line, not stacked
    assert abs((box["y"] + box["height"] / 2) - (label["y"] + label["height"] / 2)) < 4
    assert box["x"] - label["x"] < 2 and label["width"] > box["width"] * 3
    shot(page, "12-one-family-users")
    page.goto(server.url + "/console/")
    shot(page, "13-one-family-overview")


@pytest.mark.parametrize("asked, lands", [
    ("", "/"),
    ("/console/users", "/console/users"),
    ("/admin?tab=1", "/admin?tab=1"),
    ("//evil.example/steal", "/"),
    ("/\\evil.example/steal", "/"),
    ("https://evil.example/steal", "/"),
    ("/\t/evil.example/steal", "/"),
    ("javascript:alert(1)", "/"),
])
def test_sign_in_lands_on_the_page_asked_for_or_home(browser, server, asked, lands):
    from urllib.parse import quote

    page = fresh_page(browser)
    page.goto(server.url + "/login" + (f"?next={quote(asked, safe='')}" if asked else ""))
    submit(page, "#login", {"username": "admin", "password": server.admin_password})
    assert page.url == server.url + lands
    page.context.close()
