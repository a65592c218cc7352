"""The plugin manager: built-ins, blocking, tracing, entry-point plugins, the plugins listing."""

from __future__ import annotations

import logging
import re
import sys

import pluggy
import pytest

from roost.core.pluginmanager import builtin_plugins, describe_plugins, make_plugin_manager

BUILTIN_PLUGINS = builtin_plugins()

THIRD_PARTY = '''
"""A third-party Roost plugin: all it needs from Roost is the marker name."""
import pluggy

hookimpl = pluggy.HookimplMarker("roost")
seen = []


@hookimpl
def roost_add_options(options):
    options.add("demo_colour", "blue", "a demo option")


@hookimpl
def roost_run_finished(run, exitcode):
    seen.append((run["name"], exitcode))
'''

TYPO = '''
import pluggy

hookimpl = pluggy.HookimplMarker("roost")


@hookimpl
def roost_storag_backend(config):
    return None
'''


def install_distribution(directory, monkeypatch, dist: str, module: str, source: str,
                         entry_point: str) -> None:
    """Put an installed distribution (a module and its dist-info with a ``roost`` entry
    point) on sys.path, as ``pip install`` would."""
    (directory / f"{module}.py").write_text(source)
    info = directory / f"{dist}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[roost]\n{entry_point} = {module}\n")
    monkeypatch.syspath_prepend(str(directory))
    monkeypatch.delitem(sys.modules, module, raising=False)


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv("ROOST_BLOCK_PLUGINS", raising=False)
    monkeypatch.delenv("ROOST_TRACE_HOOKS", raising=False)


def test_builtins_are_registered(no_env):
    pm = make_plugin_manager(load_entrypoints=False)
    assert {name for name, plugin in pm.list_name_plugin() if plugin} == set(BUILTIN_PLUGINS)
    for name, module in BUILTIN_PLUGINS.items():
        assert pm.get_plugin(name).__name__ == module


def test_block_by_argument(no_env):
    pm = make_plugin_manager(block={"sql", "token_auth"}, load_entrypoints=False)
    assert pm.get_plugin("sql") is None and pm.is_blocked("sql")
    assert pm.get_plugin("token_auth") is None
    assert pm.get_plugin("files") is not None
    assert "files" in [entry["name"] for entry in describe_plugins(pm)]
    assert "sql" not in [entry["name"] for entry in describe_plugins(pm)]


def test_block_by_environment(no_env, monkeypatch):
    monkeypatch.setenv("ROOST_BLOCK_PLUGINS", " files , sql,")
    pm = make_plugin_manager(load_entrypoints=False)
    names = [entry["name"] for entry in describe_plugins(pm)]
    assert "files" not in names and "sql" not in names and "token_auth" in names
    # An explicit argument replaces the environment's list.
    assert make_plugin_manager(block=set(), load_entrypoints=False).get_plugin("files")


@pytest.mark.parametrize("switch", ["argument", "environment"])
def test_tracing_writes_to_the_hooks_logger(no_env, monkeypatch, caplog, switch):
    if switch == "environment":
        monkeypatch.setenv("ROOST_TRACE_HOOKS", "1")
    pm = make_plugin_manager(load_entrypoints=False,
                             trace=True if switch == "argument" else None)
    with caplog.at_level(logging.INFO, logger="roost.hooks"):
        pm.hook.roost_run_finished(run={"name": "r"}, exitcode=0)
    traced = [r for r in caplog.records if r.name == "roost.hooks"]
    assert traced and "roost_run_finished" in "".join(r.getMessage() for r in traced)


def test_no_tracing_by_default(no_env, caplog):
    pm = make_plugin_manager(load_entrypoints=False)
    with caplog.at_level(logging.DEBUG, logger="roost.hooks"):
        pm.hook.roost_run_finished(run={"name": "r"}, exitcode=0)
    assert not [r for r in caplog.records if r.name == "roost.hooks"]


def test_entry_point_plugin_is_loaded(no_env, monkeypatch, tmp_path):
    install_distribution(tmp_path, monkeypatch, "roost_demo", "roost_demo_plugin", THIRD_PARTY,
                         "demo")
    pm = make_plugin_manager()
    plugin = pm.get_plugin("demo")
    assert plugin is not None and plugin.__name__ == "roost_demo_plugin"
    pm.hook.roost_run_finished(run={"name": "r1"}, exitcode=3)
    assert plugin.seen == [("r1", 3)]
    described = {entry["name"]: entry for entry in describe_plugins(pm)}
    assert described["demo"]["hooks"] == ["roost_add_options", "roost_run_finished"]
    assert ("roost_demo", "1.0") in {(dist.project_name, dist.version)
                                     for _, dist in pm.list_plugin_distinfo()}


def test_entry_point_plugin_can_be_blocked(no_env, monkeypatch, tmp_path):
    install_distribution(tmp_path, monkeypatch, "roost_demo", "roost_demo_plugin", THIRD_PARTY,
                         "demo")
    assert make_plugin_manager(block={"demo"}).get_plugin("demo") is None
    monkeypatch.setenv("ROOST_BLOCK_PLUGINS", "demo")
    assert make_plugin_manager().get_plugin("demo") is None


def test_misspelt_hook_fails_at_startup(no_env, monkeypatch, tmp_path):
    install_distribution(tmp_path, monkeypatch, "roost_typo", "roost_typo_plugin", TYPO, "typo")
    with pytest.raises(pluggy.PluginValidationError, match="roost_storag_backend"):
        make_plugin_manager()


def test_describe_plugins_lists_hooks(no_env):
    described = describe_plugins(make_plugin_manager(load_entrypoints=False))
    assert [entry["name"] for entry in described] == sorted(BUILTIN_PLUGINS)
    by_name = {entry["name"]: entry for entry in described}
    assert by_name["sql"]["module"] == "roost.plugins.sql"
    assert "roost_storage_backend" in by_name["sql"]["hooks"]
    assert "roost_media_backend" in by_name["files"]["hooks"]
    assert "roost_authenticate" in by_name["token_auth"]["hooks"]


def test_a_plugin_object_registered_at_runtime_is_described(no_env):
    class Counter:
        hookimpl = pluggy.HookimplMarker("roost")

        @hookimpl
        def roost_startup(self, core):
            pass

    pm = make_plugin_manager(load_entrypoints=False)
    pm.register(Counter(), name="counter")
    entry = {e["name"]: e for e in describe_plugins(pm)}["counter"]
    assert entry["hooks"] == ["roost_startup"] and "Counter" in entry["module"]


def test_config_file_blocks_and_traces(no_env, monkeypatch, tmp_path, caplog):
    from roost.core import cli

    managers = []
    monkeypatch.setattr(cli, "setup_logging", lambda config: None)
    monkeypatch.setattr(cli, "run_user_add", lambda config, pm, args: managers.append(pm) or 0)
    (tmp_path / "roost.toml").write_text('block_plugins = "files"\ntrace_hooks = true\n')
    (tmp_path / "roost.db").touch()  # `user add` works on an existing instance only
    assert cli.main(["user", "add", "someone", "--data-dir", str(tmp_path)]) == 0
    pm = managers[0]
    assert pm.get_plugin("files") is None and pm.get_plugin("sql") is not None
    with caplog.at_level(logging.INFO, logger="roost.hooks"):
        pm.hook.roost_run_finished(run={"name": "r"}, exitcode=0)
    assert any(r.name == "roost.hooks" for r in caplog.records)


def test_the_builtins_are_roosts_own_entry_points():
    """pyproject.toml declares the built-ins as a third-party distribution declares its
    plugins; nothing in the code lists them."""
    assert BUILTIN_PLUGINS == {"sql": "roost.plugins.sql", "files": "roost.plugins.files",
                               "minio": "roost.plugins.minio",
                               "token_auth": "roost.plugins.token_auth",
                               "ldap_auth": "roost.plugins.ldap_auth",
                               "oidc_auth": "roost.plugins.oidc_auth"}


def test_a_third_party_plugin_registers_after_the_builtins(no_env, monkeypatch, tmp_path):
    """So its implementations run before the built-ins' (pluggy calls the last registered
    first), whatever order the installed distributions are listed in."""
    install_distribution(tmp_path, monkeypatch, "roost_demo", "roost_demo_plugin", THIRD_PARTY,
                         "demo")
    names = [name for name, plugin in make_plugin_manager().list_name_plugin() if plugin]
    assert names.index("demo") > max(names.index(name) for name in BUILTIN_PLUGINS)


OWNED_OPTIONS = ("login_max_failures", "login_window_seconds",  # read by the core
                 "trusted_auth_headers")  # read by the front


def test_core_and_front_options_outlive_blocking_the_auth_plugins(no_env):
    from roost.core.config import option_registry

    options = option_registry(make_plugin_manager(block={"token_auth", "ldap_auth"},
                                                  load_entrypoints=False))
    assert all(name in options for name in OWNED_OPTIONS)
    assert options.get("login_max_failures").default == 10
    assert options.get("core_secret").secret


def test_a_blocked_token_auth_leaves_the_flags(no_env, monkeypatch, capsys):
    from roost.core import cli

    monkeypatch.setenv("ROOST_BLOCK_PLUGINS", "token_auth")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["front", "--help"])
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    for name in OWNED_OPTIONS:
        assert "--" + name.replace("_", "-") in help_text


def test_help_lists_the_commands_the_parts_contribute(no_env, capsys):
    from roost.core import cli

    with pytest.raises(SystemExit):
        cli.main(["--help"])
    listed = re.findall(r"^    (\w+)", capsys.readouterr().out, re.MULTILINE)
    assert listed == ["serve", "core", "front", "user", "key", "gc", "demo", "import", "export",
                      "restore", "version"]
