"""The ``roost`` command line, exactly as scripts and the docs use it."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess

import pytest
import requests

from harness import RoostServer, free_port, roost_executable, run_sdk, sdk_problem


def roost(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([roost_executable(), *args], input=input, capture_output=True,
                          text=True, timeout=120)


def viewer(server, auth) -> requests.Response:
    return requests.post(server.url + "/graphql", auth=auth, timeout=30,
                         json={"query": "{ viewer { username email admin } }"})


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with RoostServer(tmp_path_factory.mktemp("cli") / "data") as running:
        yield running


def test_version_prints_the_installed_version():
    result = roost("version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"roost {importlib.metadata.version('roost')}"


def test_first_start_prints_an_admin_password_once(tmp_path):
    data = tmp_path / "data"
    with RoostServer(data) as first:
        password = first.admin_password
        assert password and len(password) >= 16
        assert first.stdout().count(password) == 1
        answer = viewer(first, ("admin", password))
        assert answer.status_code == 200
        assert answer.json()["data"]["viewer"]["username"] == "admin"
        assert viewer(first, ("admin", password + "x")).status_code == 401
        stored = first.query('SELECT password_hash FROM "user" WHERE username = ?', ("admin",))
        assert password not in stored[0]["password_hash"]
    with RoostServer(data) as second:
        assert second.admin_password is None
        assert "password" not in second.stdout().lower()
        assert viewer(second, ("admin", password)).status_code == 200


def test_stop_leaves_no_process_behind(tmp_path):
    server = RoostServer(tmp_path / "data").start()
    group = server.processes[0].pid
    server.stop()
    with pytest.raises(ProcessLookupError):
        os.killpg(group, 0)  # neither serve nor its core child is left


def test_serve_stops_at_once_with_the_reason_when_its_core_cannot_start(tmp_path):
    result = subprocess.run(
        [roost_executable(), "serve", "--port", str(free_port()), "--data-dir",
         str(tmp_path / "data"), "--database-url", "nosuchengine://x/y"],
        capture_output=True, text=True, timeout=50, stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert "nosuchengine://x/y" in result.stderr  # the core's own message
    assert "roost serve: the core exited with code 2 while starting" in result.stderr


def test_serve_exits_with_an_error_when_its_core_dies_later(tmp_path):
    server = RoostServer(tmp_path / "data").start()
    try:
        serve = server.processes[0]
        core_pids = [int(pid) for pid in subprocess.run(
            ["pgrep", "-P", str(serve.pid)], capture_output=True, text=True).stdout.split()]
        assert core_pids, "roost serve has no core child"
        for pid in core_pids:
            os.kill(pid, 9)
        assert serve.wait(timeout=30) == 1  # a supervisor sees the failure and restarts it
        assert "the core exited with code -9; stopping" in server.logs()
    finally:
        server.stop()


def test_user_add_with_admin_email_and_password_from_stdin(server):
    result = server.cli("user", "add", "carol", "--admin", "--email", "carol@example.org",
                        "--password-stdin", input="correct horse battery\n")
    assert "carol" in result.stdout
    row = server.query('SELECT admin, email FROM "user" WHERE username = ?', ("carol",))
    assert row == [{"admin": 1, "email": "carol@example.org"}]
    answer = viewer(server, ("carol", "correct horse battery"))
    assert answer.json()["data"]["viewer"] == {"username": "carol", "email": "carol@example.org",
                                               "admin": True}


def test_user_add_refuses_a_duplicate_with_exit_code_2(server):
    server.cli("user", "add", "dave")
    result = server.cli("user", "add", "dave", check=False)
    assert result.returncode == 2
    assert "'dave' is already taken" in result.stderr
    assert server.query('SELECT COUNT(*) AS n FROM "user" WHERE username = ?', ("dave",)) == [
        {"n": 1}]


@pytest.mark.parametrize("args, stdin, message", [
    (("user", "add", "erin", "--password-stdin"), "short\n", "at least 8 characters"),
    (("user", "add", "bad name!"), None, "invalid user name"),
    (("key", "create", "nobody-here"), None, "'nobody-here' does not exist"),
])
def test_bad_cli_input_is_exit_code_2_with_a_message(server, args, stdin, message):
    result = server.cli(*args, input=stdin, check=False)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_key_create_prints_the_key_alone_on_the_last_line(server):
    server.cli("user", "add", "frank")
    result = server.cli("key", "create", "frank", "--description", "laptop")
    key = result.stdout.rstrip("\n").splitlines()[-1]
    assert key.isalnum() and len(key) == 40
    answer = viewer(server, ("api", key))
    assert answer.status_code == 200
    assert answer.json()["data"]["viewer"]["username"] == "frank"
    assert viewer(server, ("api", key[:-1] + ("a" if key[-1] != "a" else "b"))).status_code == 401
    row = server.query("SELECT description FROM api_key ORDER BY id DESC LIMIT 1")
    assert row == [{"description": "laptop"}]


@pytest.mark.sdk
def test_core_and_front_run_apart_and_serve_a_wandb_run(tmp_path):
    version = "0.31.0"
    problem = sdk_problem(version)
    if problem:
        pytest.skip(problem)
    with RoostServer(tmp_path / "data", split=True) as server:
        assert server.admin_password, "roost core prints the first admin password"
        assert [p.args[1] for p in server.processes] == ["core", "front"]
        result = run_sdk(version, "small_run", server, cwd=tmp_path / "sdk")
        run = server.run_record("admin", "small", result["id"])
        assert run["state"] == "finished"
        assert run["history_line_count"] == 100
        history = server.lines("history_line", run["id"])
        assert [json.loads(row["data"])["nested"]["twice"] for row in history] == [
            2 * i for i in range(100)]
        console = server.lines("console_line", run["id"])
        assert console[0]["data"].endswith("small run console line")
        record = server.run_files(run["id"])["small.txt"]
        assert server.media_path(record["key"]).read_bytes() == b"small file\n"
