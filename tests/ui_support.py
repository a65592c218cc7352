"""Browser tests of the web UI: Debian's chromium driven by Playwright (never a browser
Playwright downloads), signed in as a real user of a real ``roost serve``, screenshots kept
under test-artifacts/ui/. Pages run under the front's real CSP; a page that logs a script
error or a CSP violation fails its test.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ROOST_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 900}


def browser_problem() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


# Module scope: one Playwright at a time per process (the console's browser tests start
# their own), and each test module ends its browser before the next one starts.
@pytest.fixture(scope="module")
def browser():
    problem = browser_problem()
    if problem:
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A signed-in browser tab, with the page errors and CSP reports it saw."""

    def __init__(self, browser, server, shots: Path):
        self.server = server
        self.context = browser.new_context(viewport=VIEWPORT)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.shots = shots
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Uncaught" in text):
            self.problems.append(f"console: {text}")

    def login(self, username: str, password: str) -> "Page":
        self.page.goto(self.server.url + "/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state("networkidle")
        assert "/login" not in self.page.url, f"sign-in failed: {self.text('main')[:500]}"
        return self

    def goto(self, path: str, idle: bool = True):
        response = self.page.goto(self.server.url + path)
        if idle:
            self.page.wait_for_load_state("networkidle")
        return response

    def text(self, selector: str = "body") -> str:
        return self.page.inner_text(selector)

    def shot(self, name: str, full_page: bool = True) -> Path:
        path = self.shots / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def check(self) -> None:
        problems, self.problems = self.problems, []
        assert not problems, "\n".join(problems)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser, artifacts_dir):
    """``open_page(server, username, password)`` -> a signed-in Page (closed after the test;
    its page errors fail the test)."""
    shots = artifacts_dir / "ui"
    shots.mkdir(parents=True, exist_ok=True)
    pages: list[Page] = []

    def make(server, username: str | None = None, password: str | None = None) -> Page:
        page = Page(browser, server, shots)
        pages.append(page)
        if username:
            page.login(username, password)
        return page

    yield make
    for page in pages:
        try:
            page.check()
        finally:
            page.close()


def add_user(server, name: str, password: str, admin: bool = False) -> str:
    """A user who can sign in, with an API key for the SDK."""
    server.cli("user", "add", name, "--password-stdin", *(["--admin"] if admin else []),
               input=password + "\n")
    return server.create_key(name)
