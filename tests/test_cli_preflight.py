"""What the command line says when it cannot start: one line, before it changes anything.

Each test runs the real `roost` executable in a subprocess, the way a new user meets it.
"""

from __future__ import annotations

import re
import socket
import subprocess
from pathlib import Path

import pytest

from harness import RoostServer, free_port, roost_executable

README = Path(__file__).resolve().parents[1] / "README.md"


def roost(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([roost_executable(), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd, stdin=subprocess.DEVNULL)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def taken_port():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_serve_on_a_taken_port_says_so_in_one_line_and_creates_nothing(tmp_path, taken_port):
    data = tmp_path / "data"
    result = roost("serve", "--port", str(taken_port), "--data-dir", str(data))
    assert result.returncode == 1
    line = one_line_error(result)
    assert line.startswith("roost serve: port ") and str(taken_port) in line
    assert "already in use" in line
    assert "password" not in result.stdout and "serving" not in result.stdout.lower()
    assert not data.exists()  # no data directory, so no database and no admin user


def test_front_on_a_taken_port_says_so_before_waiting_for_a_core(tmp_path, taken_port):
    result = roost("front", "--port", str(taken_port), "--data-dir", str(tmp_path / "d"),
                   "--core-address", f"127.0.0.1:{free_port()}", timeout=20)
    assert result.returncode == 1
    assert "already in use" in one_line_error(result)


def test_core_on_a_taken_listen_address_says_so_and_creates_no_user(tmp_path, taken_port):
    data = tmp_path / "data"
    result = roost("core", "--core-listen", f"127.0.0.1:{taken_port}", "--data-dir", str(data))
    assert result.returncode == 1
    assert "--core-listen" in one_line_error(result)
    assert not data.exists()


@pytest.mark.parametrize("make, expected", [
    (lambda tmp: (tmp / "afile").write_text("x") and tmp / "afile", "is a file"),
    (lambda tmp: (tmp / "afile").write_text("x") and tmp / "afile" / "data", "parent of it is a file"),
    (lambda tmp: Path("/proc/roost"), "cannot create the data directory /proc/roost"),
])
def test_serve_with_a_data_dir_it_cannot_use_says_why_in_one_line(tmp_path, make, expected):
    data = make(tmp_path)
    result = roost("serve", "--port", str(free_port()), "--data-dir", str(data))
    assert result.returncode == 2
    line = one_line_error(result)
    assert line.startswith("roost serve: ") and expected in line and str(data) in line


@pytest.mark.parametrize("command", [
    ("key", "create", "admin"), ("user", "add", "someone"), ("gc", "--dry-run"),
    ("demo", "--url", "URL"),
])
def test_commands_on_an_instance_never_create_one(tmp_path, command):
    if command[0] == "demo":
        with RoostServer(tmp_path / "served") as server:  # a server is up, the key is local
            command = ("demo", "--url", server.url)
            result = roost(*command, cwd=tmp_path)
    else:
        result = roost(*command, cwd=tmp_path)
    assert result.returncode == 2
    line = one_line_error(result)
    default = tmp_path / "roost-data"
    assert str(default) in line and "--data-dir" in line and "ROOST_DATA_DIR" in line
    assert not default.exists()


def test_a_mistyped_data_dir_names_the_path_looked_at_and_stays_absent(tmp_path):
    with RoostServer(tmp_path / "data"):
        mistyped = tmp_path / "dta"
        result = roost("key", "create", "admin", "--data-dir", str(mistyped))
        assert result.returncode == 2
        assert str(mistyped) in one_line_error(result)
        assert not mistyped.exists()
        empty = tmp_path / "empty"
        empty.mkdir()
        result = roost("key", "create", "admin", "--data-dir", str(empty))
        assert "holds no Roost instance" in one_line_error(result)
        assert list(empty.iterdir()) == []
        good = roost("key", "create", "admin", "--data-dir", str(tmp_path / "data"))
        assert good.returncode == 0, good.stderr


def test_serve_help_shows_the_defaults():
    result = roost("serve", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())  # argparse wraps lines
    assert re.search(r"--port PORT port the front listens on \(default: 8080\)", text), text
    assert "(default: ./roost-data)" in text
    assert "(default: 127.0.0.1)" in text


def test_readme_lists_every_command_and_no_package_that_is_not_on_pypi():
    readme = README.read_text()
    table = readme[readme.index("## Command line"):]
    commands = set(re.findall(r"^\| `roost (\w+)", table, re.M))
    commands |= set(re.findall(r"^\| `roost \w+ \.\.\.` / `roost (\w+)", table, re.M))
    listed = roost("--help").stdout
    available = set(re.search(r"\{([\w,]+)\}", listed).group(1).split(",")) if "{" in listed \
        else set(re.findall(r"^    (\w+)\s", listed, re.M))
    assert available and available <= commands, available - commands
    assert "pip install 'roost[" not in readme and "pip install roost" not in readme
