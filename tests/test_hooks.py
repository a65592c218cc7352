"""Every hook in core/hookspecs.py: documented in its docstring and in docs/plugins.md, and
exercised here through the code that calls it (as datasette checks its own hooks).

A new hookspec fails these meta-tests until it has a docstring, a section in docs/plugins.md,
an entry in ``EXERCISED`` and a ``test_<hook name>`` below.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pluggy
import pytest
from flask import Blueprint

from roost.core import hookspecs
from roost.core.auth import REJECT, Credentials, Principal
from roost.core.cli import option_registry
from roost.core.config import load_config
from roost.core.errors import PermissionDenied, Unauthenticated
from roost.core.media import UrlSigner
from roost.core.pluginmanager import make_plugin_manager
from roost.core.service import Core
from roost.plugins.files.store import LocalMediaStore
from roost.plugins.sql.store import SqlStorage

DOCS = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"
hookimpl = pluggy.HookimplMarker("roost")

# Each hook and the test below that drives it through Roost's own code.
EXERCISED = {
    "roost_add_options": "test_roost_add_options",
    "roost_storage_backend": "test_roost_storage_backend",
    "roost_media_backend": "test_roost_media_backend",
    "roost_authenticate": "test_roost_authenticate",
    "roost_authorize": "test_roost_authorize",
    "roost_startup": "test_roost_startup",
    "roost_run_finished": "test_roost_run_finished",
    "roost_front_blueprints": "test_roost_front_blueprints",
    "roost_sign_in_methods": "test_roost_sign_in_methods",
}


def hookspec_names() -> list[str]:
    return sorted(name for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
                  if name.startswith("roost_"))


# -- meta-tests ---------------------------------------------------------------------------------
def test_hookspecs_are_found():
    assert len(hookspec_names()) >= 8


@pytest.mark.parametrize("name", hookspec_names())
def test_every_hookspec_has_a_docstring(name):
    doc = inspect.getdoc(getattr(hookspecs, name)) or ""
    assert len(doc) > 60, f"{name} needs a docstring stating its arguments and return contract"


@pytest.mark.parametrize("name", hookspec_names())
def test_every_hookspec_is_documented(name):
    sections = re.findall(r"^### (roost_\w+)\(", DOCS.read_text(), flags=re.M)
    assert name in sections, f"docs/plugins.md has no '### {name}(...)' section"


def test_docs_describe_no_hook_that_does_not_exist():
    sections = set(re.findall(r"^### (roost_\w+)\(", DOCS.read_text(), flags=re.M))
    assert sections <= set(hookspec_names())


def test_documented_signatures_match():
    text = DOCS.read_text()
    for name in hookspec_names():
        parameters = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
        assert f"### {name}({parameters})" in text, f"docs/plugins.md: {name}({parameters})"


def test_every_hookspec_is_exercised():
    assert sorted(EXERCISED) == hookspec_names()
    for test_name in EXERCISED.values():
        assert callable(globals().get(test_name)), f"{test_name} is missing"


# -- a core with extra plugins --------------------------------------------------------------------
@pytest.fixture
def make_core(tmp_path, monkeypatch):
    monkeypatch.delenv("ROOST_BLOCK_PLUGINS", raising=False)
    cores = []

    def make(*plugins, cli=None):
        pm = make_plugin_manager(block=set(), trace=False, load_entrypoints=False)
        for i, plugin in enumerate(plugins):
            pm.register(plugin, name=f"test-plugin-{i}")
        config = load_config(option_registry(pm), {"data_dir": str(tmp_path)} | (cli or {}), {})
        core = Core(config, pm)
        cores.append(core)
        return core

    yield make
    for core in cores:
        core.close()


def admin_of(core: Core) -> Principal:
    core.accounts.create_user(None, "alice", password="correct horse")
    return core.accounts.authenticate(Credentials("password", "alice", "correct horse"))


# -- one test per hook --------------------------------------------------------------------------
def test_roost_add_options(make_core):
    class Options:
        @hookimpl
        def roost_add_options(self, options):
            options.add("demo_threshold", 3, "a demo option", int)

    core = make_core(Options(), cli={"demo_threshold": "7"})
    assert core.config.demo_threshold == 7
    assert "demo_threshold" in option_registry(core.pm)


def test_roost_storage_backend(make_core, tmp_path):
    mine = SqlStorage(f"sqlite:///{tmp_path / 'plugin.db'}")

    class Storage:
        @hookimpl
        def roost_storage_backend(self, config):
            return mine

    core = make_core(Storage())
    assert core.storage is mine  # answered before the built-in sql plugin
    assert core.accounts.bootstrap_admin() and mine.count_users() == 1


def test_roost_media_backend(make_core, tmp_path):
    mine = LocalMediaStore(tmp_path / "elsewhere", UrlSigner("k"))

    class Media:
        @hookimpl
        def roost_media_backend(self, config):
            return mine

    assert make_core(Media()).media is mine
    # Without it, a media name no plugin answers is an error at start, not a silent default.
    with pytest.raises(RuntimeError, match="no plugin provides the media store 'nowhere'"):
        make_core(cli={"media": "nowhere"})


def test_roost_authenticate(make_core):
    seen = []

    class Directory:
        @hookimpl
        def roost_authenticate(self, credentials, storage):
            seen.append(credentials.scheme)
            if credentials.secret == "directory-password":
                user = storage.get_user("alice")
                return Principal(user_id=user["id"], username="alice", default_entity="alice")
            if credentials.secret == "banned":
                return REJECT
            return None

    core = make_core(Directory())
    core.accounts.create_user(None, "alice", password="local password")
    by_plugin = core.accounts.authenticate(Credentials("password", "alice", "directory-password"))
    assert by_plugin.username == "alice"
    # None lets the built-in token_auth try: a local password and a real API key still work.
    assert core.accounts.authenticate(
        Credentials("password", "alice", "local password")).username == "alice"
    _, key = core.accounts.create_api_key(None, "alice")
    assert core.accounts.authenticate(Credentials("api_key", secret=key)).username == "alice"
    with pytest.raises(Unauthenticated):
        core.accounts.authenticate(Credentials("password", "alice", "banned"))
    assert seen.count("password") == 3 and "api_key" in seen


def test_roost_authorize(make_core):
    asked = []

    class Policy:
        verdict = None

        @hookimpl
        def roost_authorize(self, principal, action, resource):
            asked.append((action, resource["entity"], resource["project"]))
            return self.verdict

    policy = Policy()
    core = make_core(policy)
    alice = admin_of(core)
    run, inserted = core.runs.upsert_run(alice, {"project": "p", "name": "r1"})
    assert inserted and ("run:write", "alice", "p") in asked
    policy.verdict = False  # a veto wins over the core's own rules
    with pytest.raises(PermissionDenied):
        core.runs.upsert_run(alice, {"project": "p", "name": "r2"})
    core.accounts.create_user(None, "bob", password="bob's password")
    bob = core.accounts.authenticate(Credentials("password", "bob", "bob's password"))
    policy.verdict = None
    with pytest.raises(PermissionDenied):
        core.runs.upsert_run(bob, {"entity": "alice", "project": "p", "name": "r3"})
    policy.verdict = True  # a grant opens what the core would refuse
    assert core.runs.upsert_run(bob, {"entity": "alice", "project": "p", "name": "r3"})[1] is True


def test_roost_startup(make_core):
    started = []

    class Startup:
        @hookimpl
        def roost_startup(self, core):
            started.append((core.storage is not None, core.media is not None))

    make_core(Startup())
    assert started == [(True, True)]


def test_roost_run_finished(make_core):
    finished = []

    class Notifier:
        @hookimpl
        def roost_run_finished(self, run, exitcode):
            finished.append((run, exitcode))

    core = make_core(Notifier())
    alice = admin_of(core)
    core.runs.upsert_run(alice, {"project": "p", "name": "r1"})
    history = ('{"_step": 0, "loss": 1.5}',)
    core.ingest.write_file_stream(alice, "alice", "p", "r1",
                                  {"wandb-history.jsonl": (0, list(history))}, [], False, None,
                                  False)
    assert finished == []  # not finished yet
    core.ingest.write_file_stream(alice, "alice", "p", "r1", {}, [], True, 2, False)
    assert finished == [({"entity": "alice", "project": "p", "name": "r1", "state": "failed"},
                         2)]


def test_roost_front_blueprints(tmp_path, monkeypatch):
    from roost.admin.app import create_app

    monkeypatch.delenv("ROOST_BLOCK_PLUGINS", raising=False)

    class Pages:
        @hookimpl
        def roost_front_blueprints(self, config):
            page, other = Blueprint("demo", __name__), Blueprint("demo2", __name__)
            page.add_url_rule("/demo/hello", "hello", lambda: {"hello": config.host})
            other.add_url_rule("/demo/two", "two", lambda: "two")
            return [page, other]

    pm = make_plugin_manager(block=set(), trace=False, load_entrypoints=False)
    pm.register(Pages(), name="pages")
    config = load_config(option_registry(pm), {"data_dir": str(tmp_path)}, {})
    client = create_app(config, core=None, pm=pm).test_client()
    assert client.get("/demo/hello").get_json() == {"hello": "127.0.0.1"}
    assert client.get("/demo/two").data == b"two"


def test_roost_sign_in_methods(make_core, tmp_path, monkeypatch):
    """The core lists every plugin's methods (the console's sign-in page); the front's sign-in
    page shows a button per method with a URL and hides the password form when one
    replaces passwords."""
    from roost.admin.app import create_app

    class Badge:
        @hookimpl
        def roost_sign_in_methods(self, config):
            return [{"id": "badge", "label": "Sign in with your badge", "url": "/badge/start",
                     "replaces_password": config.get("log_level") == "debug"}]

    core = make_core(Badge())
    methods = {m["id"]: m for m in core.identity.sign_in_methods()}
    assert set(methods) == {"password", "badge"}  # token_auth's and this plugin's
    assert methods["badge"] == {"id": "badge", "label": "Sign in with your badge",
                                "url": "/badge/start", "replaces_password": False}
    monkeypatch.delenv("ROOST_BLOCK_PLUGINS", raising=False)
    for level, password_form in (("info", True), ("debug", False)):
        pm = make_plugin_manager(block=set(), trace=False, load_entrypoints=False)
        pm.register(Badge(), name="badge")
        config = load_config(option_registry(pm), {"data_dir": str(tmp_path / level),
                                                   "log_level": level}, {})
        page = create_app(config, core=None, pm=pm).test_client().get("/login").text
        assert 'href="/badge/start"' in page and "Sign in with your badge" in page
        assert ('name="password"' in page) is password_form
