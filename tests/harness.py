"""Real processes for tests: a running Roost (``roost serve``, or ``roost core`` + ``roost front``)
and the real wandb SDK run as a subprocess under a chosen version.

Every process listens on 127.0.0.1 on a free port, runs in its own process group, and is
stopped by the test (or fixture) that started it, group and all, so ``roost serve``'s core
child never outlives it.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SDK_SCRIPTS = Path(__file__).resolve().parent / "sdk_scripts"
SDK_VERSIONS = ("0.31.0", "0.21.3")
START_TIMEOUT = 60
PASSWORD_BANNER = "Created the first user 'admin' with password:"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def roost_executable() -> str:
    """The ``roost`` console script of the environment running the tests."""
    candidate = Path(sys.executable).parent / "roost"
    if not candidate.exists():
        raise RuntimeError(f"{candidate} is missing: install Roost into this environment "
                           "(pip install -e '.[test]', or run scripts/test)")
    return str(candidate)


def basic_auth(api_key: str) -> str:
    """The Authorization header value the wandb SDK sends."""
    return "Basic " + base64.b64encode(f"api:{api_key}".encode()).decode()


def stop_process_group(process: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM the process's group, then SIGKILL what is left. The process must have been
    started with ``start_new_session=True`` (its PID is its group id)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    # Children (roost serve's core) may outlive the leader: kill whatever is left in the group.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if process.poll() is None:
        process.wait(timeout=timeout)


class _OutputCollector:
    """Reads a process's stdout on a thread, so the pipe never fills and lines can be awaited."""

    def __init__(self, stream, copy_to: Path):
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._copy = open(copy_to, "a", encoding="utf-8")
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self._copy.write(line)
            self._copy.flush()
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()
        self._copy.close()

    def text(self) -> str:
        with self._changed:
            return "\n".join(self.lines)

    def wait_for(self, predicate, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self.lines):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._thread.is_alive():
                    return predicate(self.lines)
                self._changed.wait(remaining)
            return True

    def join(self, timeout: float = 5) -> None:
        self._thread.join(timeout)


def admin_password_in(lines: list[str]) -> str | None:
    """The password printed after the first-start banner, if it was printed."""
    for i, line in enumerate(lines):
        if line.strip() == PASSWORD_BANNER:
            for after in lines[i + 1:]:
                if after.strip():
                    return after.strip()
    return None


class RoostServer:
    """A real Roost on 127.0.0.1: ``roost serve`` by default, or with ``split=True`` a
    ``roost core`` and a ``roost front`` started apart (as compose runs them).

    ``extra_args`` go to serve/core/front (e.g. ``["--max-request-bytes", "4096"]``);
    ``database_url`` switches storage from the data dir's SQLite to that database.
    """

    def __init__(self, data_dir: Path | str | None = None, *, split: bool = False,
                 extra_args=(), database_url: str | None = None, env: dict | None = None,
                 cores: int = 1, fronts: int = 1):
        self._tmp = None
        # Several cores or fronts: started apart (split), as a scaled-out deployment runs them.
        self.split = split or cores > 1 or fronts > 1
        self.core_count, self.front_count = cores, fronts
        if data_dir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="roost-test-")
            data_dir = Path(self._tmp.name) / "data"
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir = self.data_dir.parent
        self.extra_args = list(extra_args)
        self.database_url = database_url
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.ports = [free_port() for _ in range(fronts)]
        self.port = self.ports[0]
        self.front_urls = [f"http://127.0.0.1:{port}" for port in self.ports]
        self.url = self.front_urls[0]
        self.core_addresses: list[str] = []
        self.processes: list[subprocess.Popen] = []
        self._outputs: list[_OutputCollector] = []
        self.admin_password: str | None = None
        self._admin_key: str | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def _storage_args(self, data_dir: Path | None = None) -> list[str]:
        args = ["--data-dir", str(data_dir or self.data_dir)]
        if self.database_url:
            args += ["--database-url", self.database_url]
        return args

    def _spawn(self, name: str, argv: list[str]) -> _OutputCollector:
        stderr = open(self.log_dir / f"{name}.stderr.log", "ab")
        process = subprocess.Popen([roost_executable(), *argv], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=stderr, text=True,
                                   env=self.env, start_new_session=True, cwd=self.log_dir)
        stderr.close()
        self.processes.append(process)
        output = _OutputCollector(process.stdout, self.log_dir / f"{name}.stdout.log")
        self._outputs.append(output)
        return output

    def start(self) -> "RoostServer":
        common = self._storage_args() + self.extra_args
        try:
            if self.split:
                self.core_addresses = [f"127.0.0.1:{free_port()}" for _ in range(self.core_count)]
                # One shared secret given through the environment, as compose.yaml does.
                self.env.setdefault("ROOST_CORE_SECRET", base64.b64encode(os.urandom(24)).decode())
                core = self._spawn("core", ["core", "--core-listen", self.core_addresses[0],
                                            *common])
                if self.core_count > 1:  # the first creates the schema and the first admin
                    self._wait_listening(self.core_addresses[0])
                for number, address in enumerate(self.core_addresses[1:], start=2):
                    self._spawn(f"core{number}", ["core", "--core-listen", address, *common])
                for number, port in enumerate(self.ports, start=1):
                    # Each front with a data dir of its own: fronts share nothing on disk.
                    front_dir = self.data_dir if number == 1 else \
                        self.data_dir.parent / f"front{number}-data"
                    self._spawn("front" if number == 1 else f"front{number}",
                                ["front", "--host", "127.0.0.1", "--port", str(port),
                                 "--core-address", ",".join(self.core_addresses),
                                 *self._storage_args(front_dir), *self.extra_args])
            else:
                core = self._spawn("serve", ["serve", "--host", "127.0.0.1", "--port",
                                             str(self.port), *common])
            self._wait_healthy()
            # The banner comes before the core listens, so it is in by now when printed at all.
            core.wait_for(lambda lines: admin_password_in(lines) is not None, timeout=1)
            self.admin_password = admin_password_in(core.lines)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        problem = "no answer"
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"roost exited with {process.returncode} during start:\n"
                                       + self.logs())
            waiting = [url for url in self.front_urls if not self._healthy(url)]
            if not waiting:
                return
            problem = f"{waiting[0]}: {self._problem}"
            time.sleep(0.1)
        raise RuntimeError(f"roost did not become healthy at {self.url} ({problem}):\n"
                           + self.logs())

    def _wait_listening(self, address: str) -> None:
        """Until the core at ``address`` accepts connections (it listens once it has set up its
        storage), or raise with the logs if it exits or never does."""
        host, port = address.rsplit(":", 1)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.processes[-1].poll() is not None:
                raise RuntimeError("the core exited during start:\n" + self.logs())
            try:
                socket.create_connection((host, int(port)), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the core at {address} never listened:\n" + self.logs())

    def _healthy(self, url: str) -> bool:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
                return response.status == 200
        except urllib.error.HTTPError as exc:
            self._problem = f"HTTP {exc.code}"
        except OSError as exc:
            self._problem = str(exc)
        return False

    def stop(self) -> None:
        for process in reversed(self.processes):
            stop_process_group(process)
        for output in self._outputs:
            output.join()
        for process in self.processes:
            if process.stdout:
                process.stdout.close()

    def logs(self) -> str:
        parts = []
        for path in sorted(self.log_dir.glob("*.log")):
            parts.append(f"--- {path.name} ---\n{path.read_text(errors='replace')[-20000:]}")
        return "\n".join(parts)

    def stdout(self) -> str:
        return "\n".join(output.text() for output in self._outputs)

    def cleanup(self) -> None:
        self.stop()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> "RoostServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.cleanup()

    # -- the command line against this server's storage --------------------------------------
    def cli(self, *args: str, input: str | None = None, check: bool = True
            ) -> subprocess.CompletedProcess:
        """Run ``roost ARGS --data-dir DIR [--database-url URL]`` and return the result."""
        result = subprocess.run([roost_executable(), *args, *self._storage_args()],
                                input=input, capture_output=True, text=True, env=self.env,
                                timeout=120, cwd=self.log_dir)
        if check and result.returncode != 0:
            raise RuntimeError(f"roost {' '.join(args)} exited {result.returncode}:\n"
                               f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
        return result

    def create_key(self, username: str) -> str:
        return self.cli("key", "create", username).stdout.strip().splitlines()[-1]

    @property
    def admin_key(self) -> str:
        if self._admin_key is None:
            self._admin_key = self.create_key("admin")
        return self._admin_key

    def create_user(self, name: str, admin: bool = False) -> str:
        """Create a user (and its entity); return a fresh API key for it."""
        self.cli("user", "add", name, *(["--admin"] if admin else []))
        return self.create_key(name)

    # -- what landed -------------------------------------------------------------------------
    def db(self) -> sqlite3.Connection:
        """A read-only connection to the server's SQLite database."""
        if self.database_url:
            raise RuntimeError("db() reads the SQLite default; use query() with database_url")
        path = self.data_dir / "roost.db"
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)

    def query(self, sql: str, params=()) -> list[dict]:
        """Rows (as dicts) of one read query with ``?`` placeholders, on whichever database
        is in use."""
        if not self.database_url:
            connection = self.db()
            try:
                cursor = connection.execute(sql, tuple(params))
                names = [d[0] for d in cursor.description]
                return [dict(zip(names, row)) for row in cursor.fetchall()]
            finally:
                connection.close()
        connection = _connect_url(self.database_url)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), tuple(params))
                names = [d[0] for d in cursor.description]
                return [dict(zip(names, row)) for row in cursor.fetchall()]
        finally:
            connection.close()

    def run_record(self, entity: str, project: str, name: str) -> dict | None:
        """The stored run row (with ``entity`` and ``project`` names), or None."""
        rows = self.query(
            "SELECT r.*, e.name AS entity, p.name AS project FROM run r "
            "JOIN project p ON r.project_id = p.id JOIN entity e ON p.entity_id = e.id "
            "WHERE e.name = ? AND p.name = ? AND r.name = ?", (entity, project, name))
        return rows[0] if rows else None

    def wait_for_rollups(self, timeout: float = 30) -> None:
        """Waits until the server's folding thread has folded every stored history line into
        the rollups, so a snapshot of the tables is not taken halfway through a fold."""
        deadline = time.monotonic() + timeout
        while self.query("SELECT id FROM run WHERE rollup_line_count < history_line_count"):
            if time.monotonic() > deadline:
                raise AssertionError(f"history rollups not folded within {timeout} s")
            time.sleep(0.02)

    def lines(self, table: str, run_id: int) -> list[dict]:
        """Stored stream lines (history_line, event_line, console_line) of a run, by line."""
        if table not in ("history_line", "event_line", "console_line"):
            raise ValueError(f"not a line table: {table}")
        return self.query(f"SELECT * FROM {table} WHERE run = ? ORDER BY line", (run_id,))

    def run_files(self, run_id: int) -> dict[str, dict]:
        """The run's file records by name."""
        return {row["name"]: row for row in
                self.query("SELECT * FROM run_file WHERE run_id = ? ORDER BY name", (run_id,))}

    def media_path(self, key: str) -> Path:
        """Where the local-disk media store keeps a blob."""
        return self.data_dir / "media" / key

    def request(self, method: str, path: str, api_key: str | None = None, body=None,
                headers: dict | None = None, timeout: float = 30) -> tuple[int, bytes]:
        """One HTTP request to the front (urllib: no third-party client needed)."""
        data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers=dict(headers or {}))
        if api_key is not None:
            request.add_header("Authorization", basic_auth(api_key))
        if isinstance(body, (dict, list)):
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def graphql(self, query: str, variables: dict | None = None, api_key: str | None = None
                ) -> dict:
        status, body = self.request("POST", "/graphql", api_key or self.admin_key,
                                    {"query": query, "variables": variables or {}})
        if status != 200:
            raise RuntimeError(f"/graphql answered {status}: {body[:2000]!r}")
        return json.loads(body)


def _connect_url(url: str):
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme.startswith("postgres"):
        import psycopg2

        connection = psycopg2.connect(url.replace("postgresql+psycopg2", "postgresql"))
        connection.autocommit = True
        return connection
    if parsed.scheme.startswith("mysql"):
        import pymysql

        return pymysql.connect(host=parsed.hostname or "127.0.0.1", port=parsed.port or 3306,
                               user=unquote(parsed.username or "root"),
                               password=unquote(parsed.password or ""),
                               database=parsed.path.lstrip("/"), autocommit=True)
    raise ValueError(f"unsupported database URL {url!r}")


# -- the wandb SDK -------------------------------------------------------------------------
def sdk_python(version: str) -> str:
    """The Python interpreter that has exactly this wandb version.

    ``ROOST_TEST_WANDB_<version with _>_PYTHON`` overrides (e.g. ROOST_TEST_WANDB_0_21_3_PYTHON);
    otherwise 0.31.0 is this environment's (if it has that version) and each other version is
    ``.venv-wandb-<version>`` at the repository root, which scripts/test creates.
    """
    override = os.environ.get(f"ROOST_TEST_WANDB_{version.replace('.', '_')}_PYTHON")
    if override:
        return override
    if version == SDK_VERSIONS[0] and _installed_wandb(sys.executable) == version:
        return sys.executable
    return str(REPO / f".venv-wandb-{version}" / "bin" / "python")


_WANDB_VERSIONS: dict[str, str | None] = {}


def _installed_wandb(python: str) -> str | None:
    if python not in _WANDB_VERSIONS:
        if python == sys.executable:
            try:
                from importlib.metadata import PackageNotFoundError, version
                _WANDB_VERSIONS[python] = version("wandb")
            except PackageNotFoundError:
                _WANDB_VERSIONS[python] = None
        else:
            result = subprocess.run([python, "-c", "import importlib.metadata as m;"
                                     "print(m.version('wandb'))"],
                                    capture_output=True, text=True, timeout=60)
            _WANDB_VERSIONS[python] = result.stdout.strip() if result.returncode == 0 else None
    return _WANDB_VERSIONS[python]


def sdk_problem(version: str) -> str | None:
    """Why this SDK version cannot run here, or None when it can."""
    python = sdk_python(version)
    if not Path(python).exists():
        return f"no interpreter for wandb {version} at {python} (scripts/test creates it)"
    found = _installed_wandb(python)
    if found != version:
        return f"{python} has wandb {found or '(none)'}, expected {version}"
    return None


def sdk_cli(version: str) -> str:
    """The ``wandb`` command line of that version."""
    return str(Path(sdk_python(version)).parent / "wandb")


class SdkError(AssertionError):
    pass


def sdk_env(server: RoostServer, api_key: str | None, home: Path, env: dict | None) -> dict:
    """The environment a researcher would set, isolated per call: nothing is read from or
    written to the real home (no ~/.netrc or settings file leaks between tests)."""
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("WANDB_") and k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    for name in ("home", "config", "cache", "data", "artifacts"):
        (home / name).mkdir(parents=True, exist_ok=True)
    base.update({
        "HOME": str(home / "home"),
        "WANDB_BASE_URL": server.url,
        "WANDB_API_KEY": api_key if api_key is not None else server.admin_key,
        "WANDB_DIR": str(home),
        "WANDB_CONFIG_DIR": str(home / "config"),
        "WANDB_CACHE_DIR": str(home / "cache"),
        "WANDB_DATA_DIR": str(home / "data"),
        "WANDB_ARTIFACT_DIR": str(home / "artifacts"),
        "WANDB_SILENT": "true",
        "WANDB_DISABLE_CODE": "true",
        "WANDB_DISABLE_GIT": "true",
        "WANDB_ERROR_REPORTING": "false",
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": str(SDK_SCRIPTS),
    })
    base.update(env or {})
    return base


def descendants(pid: int) -> list[int]:
    """PIDs of every living descendant of ``pid`` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def run_in_own_group(argv: list[str], cwd: Path, env: dict, timeout: float
                     ) -> subprocess.CompletedProcess:
    """Run to completion in a new process group, then kill whatever the group left behind
    (wandb-core, its helpers), also on timeout."""
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        # wandb-core starts a session of its own (so the group kill misses it): kill it by PID.
        for pid in descendants(process.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        stop_process_group(process, timeout=5)
        stdout, stderr = process.communicate()
        raise SdkError(f"{' '.join(argv[:2])} did not finish within {timeout} s\n"
                       f"--- stdout ---\n{stdout[-20000:]}\n--- stderr ---\n{stderr[-20000:]}")
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)


def result_of(stdout: str) -> dict | list | None:
    """The JSON a script printed on its last line starting with ``RESULT ``."""
    found = None
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            found = json.loads(line[len("RESULT "):])
    return found


def run_sdk(version: str, script: str, server: RoostServer, api_key: str | None = None,
            env: dict | None = None, args=(), timeout: float = 120,
            cwd: Path | str | None = None, check: bool = True) -> dict:
    """Run ``tests/sdk_scripts/<script>.py`` (or Python code, when it has a newline) under
    the given wandb version against ``server``; return what it printed after ``RESULT ``.

    ``cwd`` is also WANDB_DIR and the isolated home (default: a temporary directory); pass the
    same one to continue where an earlier call left off (resume="auto", offline sync). With ``check`` a non-zero exit
    raises with the whole output; without, the result carries ``_exit_code`` and output.
    """
    if cwd is None:  # a directory of its own, removed afterwards
        with tempfile.TemporaryDirectory(prefix=f"wandb-{version}-") as tmp:
            return run_sdk(version, script, server, api_key, env, args, timeout, tmp, check)
    python = sdk_python(version)
    cwd = Path(cwd)
    cwd.mkdir(parents=True, exist_ok=True)
    if "\n" in script:
        argv = [python, "-c", script, *args]
    else:
        path = SDK_SCRIPTS / (script if script.endswith(".py") else script + ".py")
        argv = [python, str(path), *args]
    completed = run_in_own_group(argv, cwd, sdk_env(server, api_key, cwd, env), timeout)
    described = (f"wandb {version}: {' '.join(map(str, argv[1:2]))} exited "
                 f"{completed.returncode}\n--- stdout ---\n{completed.stdout[-20000:]}\n"
                 f"--- stderr ---\n{completed.stderr[-20000:]}")
    if check and completed.returncode != 0:
        raise SdkError(described)
    result = result_of(completed.stdout)
    if check and result is None:
        raise SdkError("no RESULT line: " + described)
    if not check:
        result = {"_value": result, "_exit_code": completed.returncode,
                  "_stdout": completed.stdout, "_stderr": completed.stderr}
    return result


def run_cli(version: str, server: RoostServer, args, cwd: Path, api_key: str | None = None,
            env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run that version's ``wandb`` command line (e.g. ``sync DIR``) with the same isolation."""
    completed = run_in_own_group([sdk_cli(version), *args], Path(cwd),
                                 sdk_env(server, api_key, Path(cwd), env), timeout)
    if completed.returncode != 0:
        raise SdkError(f"wandb {version} {' '.join(args)} exited {completed.returncode}\n"
                       f"--- stdout ---\n{completed.stdout}\n--- stderr ---\n{completed.stderr}")
    return completed
