"""The third-party auth plugin in docs/examples/roost-trusted-header, installed the way an
institution would (a distribution with a ``roost`` entry point; here its dist-info on the
server's path): single sign-on from a reverse proxy's X-Forwarded-Email, trusted only from
the proxy's addresses."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import requests

from harness import RoostServer
from tenancy_helpers import Admin, Web

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "roost-trusted-header"


def installed_example(target: Path) -> Path:
    """What ``pip install docs/examples/roost-trusted-header`` leaves in site-packages."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE / "roost_trusted_header.py", target)
    info = target / "roost_trusted_header-0.1.0.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: roost-trusted-header\n"
                                   "Version: 0.1.0\n")
    (info / "entry_points.txt").write_text("[roost]\ntrusted_header = roost_trusted_header\n")
    return target


def sso_server(tmp_path: Path, proxies: str) -> RoostServer:
    site = installed_example(tmp_path / "site")
    path = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    return RoostServer(tmp_path / "data", env={
        "PYTHONPATH": path, "ROOST_TRUSTED_AUTH_HEADERS": "X-Forwarded-Email",
        "ROOST_TRUSTED_PROXIES": proxies})


def test_example_is_small():
    lines = sum(len(p.read_text().splitlines()) for p in
                (EXAMPLE / "roost_trusted_header.py", EXAMPLE / "pyproject.toml"))
    assert lines < 50


def test_header_from_the_proxy_signs_the_person_in(tmp_path):
    with sso_server(tmp_path, "127.0.0.1/32") as server:
        proxied = {"X-Forwarded-Email": "Erin@Example.org"}
        page = requests.get(server.url + "/account", headers=proxied, timeout=30)
        assert page.status_code == 200 and "Signed in as erin" in page.text
        # Every proxied request is the same person; no session is needed.
        again = requests.get(server.url + "/account", headers=proxied, timeout=30)
        assert "Signed in as erin" in again.text
        console = requests.get(server.url + "/console/", headers=proxied, timeout=30,
                               allow_redirects=False)
        assert console.status_code == 403  # erin is not an admin
        # A header the proxy adds to every request is ambient, like a cookie: a cross-site
        # POST that rides on it must fail the CSRF check.
        forged = requests.post(server.url + "/graphql", headers=proxied, timeout=30, json={
            "query": "mutation { generateApiKey(input: {}) { apiKey { id } } }"})
        assert forged.status_code == 400 and "CSRF" in forged.text
        without = requests.get(server.url + "/account", timeout=30, allow_redirects=False)
        assert without.status_code == 302 and "/login" in without.headers["Location"]
        admin = Admin(server)
        users = admin.get("/console/users").text
        assert 'data-user="erin"' in users and "erin@example.org" in users
        plugins = admin.get("/console/plugins").text
        assert 'data-plugin="trusted_header"' in plugins


def test_header_from_anywhere_else_is_ignored(tmp_path):
    with sso_server(tmp_path, "10.99.0.0/16") as server:
        page = requests.get(server.url + "/account", timeout=30, allow_redirects=False,
                            headers={"X-Forwarded-Email": "mallory@example.org"})
        assert page.status_code == 302 and "/login" in page.headers["Location"]
        status = Web(server.url)
        status.session.headers["X-Forwarded-Email"] = "mallory@example.org"
        assert status.get("/console/", allow_redirects=False).status_code == 302
        admin = Admin(server)
        assert 'data-user="mallory"' not in admin.get("/console/users").text


def test_only_configured_headers_are_passed_on(tmp_path):
    with sso_server(tmp_path, "127.0.0.1/32") as server:
        for header in ("X-Forwarded-User", "X-Something"):
            page = requests.get(server.url + "/account", timeout=30, allow_redirects=False,
                                headers={header: "erin@example.org"})
            assert page.status_code == 302


def test_docs_show_the_tested_plugin():
    """docs/plugins.md quotes the example whole; the quote must be the file this tests."""
    docs = (EXAMPLE.parent.parent / "plugins.md").read_text()
    section = docs.split("## Writing your institution's own auth plugin", 1)[1]
    quoted = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert quoted == (EXAMPLE / "roost_trusted_header.py").read_text()
    toml = section.split("```toml\n", 1)[1].split("```", 1)[0]
    assert toml == (EXAMPLE / "pyproject.toml").read_text()
