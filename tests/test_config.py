"""Configuration: command line > ROOST_* environment > TOML file > default."""

from __future__ import annotations

import stat
import subprocess
import sys
import threading

import pytest

from roost.core.config import OptionRegistry, builtin_options, load_config, parse_bool


@pytest.fixture
def options():
    registry = OptionRegistry()
    builtin_options(registry)
    return registry


@pytest.fixture
def data_dir(tmp_path):
    path = tmp_path / "data"
    path.mkdir()
    return path


def load(options, data_dir, cli=None, env=None, toml: str | None = None):
    if toml is not None:
        (data_dir / "roost.toml").write_text(toml)
    return load_config(options, {"data_dir": str(data_dir)} | (cli or {}), env or {})


# -- precedence -------------------------------------------------------------------------------
def test_defaults(options, data_dir):
    config = load(options, data_dir)
    assert config.port == 8080 and config.host == "127.0.0.1"
    assert config.trace_hooks is False and config.url_expiry == 3600


def test_each_layer_beats_the_one_below(options, data_dir):
    toml = 'port = 1111\nhost = "10.0.0.1"\nthreads = 3\nlog_level = "debug"\n'
    env = {"ROOST_PORT": "2222", "ROOST_HOST": "10.0.0.2", "ROOST_THREADS": "4"}
    cli = {"port": 3333, "host": None}  # None: not given on the command line
    config = load(options, data_dir, cli=cli, env=env, toml=toml)
    assert config.port == 3333  # command line
    assert config.host == "10.0.0.2" and config.threads == 4  # environment, converted
    assert config.log_level == "debug"  # file
    assert config.root_path == ""  # default


def test_environment_names_the_data_dir_and_its_config_file(options, tmp_path):
    (tmp_path / "roost.toml").write_text("port = 4444\n")
    config = load_config(options, {}, {"ROOST_DATA_DIR": str(tmp_path)})
    assert config.port == 4444 and config.data_path == tmp_path.resolve()


def test_explicit_config_file(options, data_dir, tmp_path):
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text("port = 5555\n")
    assert load(options, data_dir, env={"ROOST_CONFIG": str(elsewhere)}).port == 5555
    assert load(options, data_dir, cli={"config": str(elsewhere)}).port == 5555
    with pytest.raises(ValueError, match="does not exist"):
        load(options, data_dir, cli={"config": str(tmp_path / "missing.toml")})


def test_booleans(options, data_dir):
    for text, value in (("1", True), ("yes", True), ("On", True), ("false", False),
                        ("0", False), ("", False)):
        assert load(options, data_dir, env={"ROOST_TRACE_HOOKS": text}).trace_hooks is value
    assert load(options, data_dir, toml="trace_hooks = true\n").trace_hooks is True
    with pytest.raises(ValueError, match="expected a boolean"):
        parse_bool("maybe")


# -- errors name the option ---------------------------------------------------------------------
@pytest.mark.parametrize(("where", "value"), [("env", "eighty"), ("cli", "eighty"),
                                              ("toml", '"eighty"')])
def test_conversion_errors_name_the_option(options, data_dir, where, value):
    kwargs = {"env": {"ROOST_PORT": value}} if where == "env" else (
        {"cli": {"port": value}} if where == "cli" else {"toml": f"port = {value}\n"})
    with pytest.raises(ValueError, match=r"option port \(ROOST_PORT\)"):
        load(options, data_dir, **kwargs)


def test_bad_boolean_names_the_option(options, data_dir):
    with pytest.raises(ValueError, match=r"trace_hooks \(ROOST_TRACE_HOOKS\).*boolean"):
        load(options, data_dir, env={"ROOST_TRACE_HOOKS": "perhaps"})


@pytest.mark.parametrize(("line", "message"), [("port = true", "port must be int"),
                                               ("port = [1]", "port must be int"),
                                               ("host = 12", "host must be str"),
                                               ("trace_hooks = 1", "trace_hooks must be bool")])
def test_wrongly_typed_file_values_name_the_option(options, data_dir, line, message):
    with pytest.raises(ValueError, match=message):
        load(options, data_dir, toml=line + "\n")


def test_unknown_file_keys_are_rejected(options, data_dir):
    with pytest.raises(ValueError, match=r"roost.toml: unknown option\(s\): colour, prot"):
        load(options, data_dir, toml="prot = 1\ncolour = 'red'\n")


def test_invalid_toml_names_the_file(options, data_dir):
    with pytest.raises(ValueError, match="roost.toml: not valid TOML"):
        load(options, data_dir, toml="port = \n")


def test_unknown_command_line_options_are_rejected(options, data_dir):
    with pytest.raises(ValueError, match="unknown option"):
        load(options, data_dir, cli={"colour": "red"})


def test_options_declared_twice_are_refused(options):
    with pytest.raises(ValueError, match="declared twice"):
        options.add("port", 1)


def test_plugin_options_come_from_every_layer(options, data_dir):
    options.add("ldap_url", "", "directory server")
    options.add("ldap_timeout", 5, "seconds", int)
    config = load(options, data_dir, env={"ROOST_LDAP_TIMEOUT": "9"},
                  toml='ldap_url = "ldap://dir"\n')
    assert (config.ldap_url, config.ldap_timeout) == ("ldap://dir", 9)


# -- secrets ------------------------------------------------------------------------------------
def test_generated_secret_is_created_once_with_mode_0600(options, data_dir):
    config = load(options, data_dir)
    first = config.secret_file("signing.key", "signing_key")
    path = data_dir / "signing.key"
    assert len(first) >= 48 and path.read_text().strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load(options, data_dir).secret_file("signing.key", "signing_key") == first
    assert [p.name for p in data_dir.iterdir()] == ["signing.key"]  # no temporary file left


def test_configured_secret_wins_and_writes_nothing(options, data_dir):
    config = load(options, data_dir, env={"ROOST_SIGNING_KEY": "from-env"})
    assert config.secret_file("signing.key", "signing_key") == "from-env"
    assert not (data_dir / "signing.key").exists()
    assert config.public()["signing_key"] == "***" and config.public()["port"] == 8080


SECRET_READER = """
import pathlib, sys, time
from roost.core.config import OptionRegistry, builtin_options, load_config
registry = OptionRegistry()
builtin_options(registry)
config = load_config(registry, {"data_dir": sys.argv[1]}, {})
print("ready", flush=True)
go = pathlib.Path(sys.argv[2])
while not go.exists():
    time.sleep(0.001)
print(config.secret_file("core.secret", "core_secret"))
"""


def test_processes_starting_together_share_one_secret(data_dir, tmp_path):
    go = tmp_path / "go"
    processes = [subprocess.Popen([sys.executable, "-c", SECRET_READER, str(data_dir), str(go)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(4)]
    for process in processes:
        assert process.stdout.readline().strip() == "ready"
    go.touch()
    outcomes = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0] * 4, outcomes
    assert len({out.strip() for out, _ in outcomes}) == 1
    assert outcomes[0][0].strip() == (data_dir / "core.secret").read_text()


def test_threads_starting_together_share_one_secret(options, data_dir):
    config = load(options, data_dir)
    barrier = threading.Barrier(8)
    results: list[str] = []

    def read() -> None:
        barrier.wait()
        results.append(config.secret_file("core.secret", "core_secret"))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and len(set(results)) == 1
