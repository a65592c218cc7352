"""The front's subcommands of ``roost``: ``front`` (the HTTP front alone) and ``serve`` (a core
child process and the front together). pyproject.toml's ``roost.commands`` entry points name
them; roost.core.cli dispatches them without importing this module."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

from roost.core import preflight
from roost.core.cli import Command, add_server_flags, settle_heap
from roost.core.config import Config, OptionRegistry


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def wait_for_core(client, address: str, core: subprocess.Popen | None, timeout: float = 60
                  ) -> str | None:
    """None once the core answers, else why it never will."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # With our own core child, stop waiting as soon as it has died (its error is above).
        if core is not None and core.poll() is not None:
            return f"the core exited with code {core.returncode} while starting"
        try:
            client.wait_ready(timeout=0.5)
            return None
        except Exception:  # grpc's FutureTimeoutError: not answering yet
            continue
    return f"the core at {address} did not answer within {timeout:.0f} s"


def run_front(config: Config, pm, core: subprocess.Popen | None = None,
              on_serving=None) -> int:
    import waitress

    from roost.admin.app import create_app
    from roost.admin.metrics import CoreCallMetrics
    from roost.protos.clients import CoreClient

    secret = config.secret_file("core.secret", "core_secret")
    try:
        client = CoreClient(config.core_address, secret, interceptors=[CoreCallMetrics()])
    except (ValueError, OSError) as exc:  # a malformed list, or a name that does not resolve
        print(f"roost {'serve' if core else 'front'}: --core-address: {exc}", file=sys.stderr)
        return 2
    problem = wait_for_core(client, config.core_address, core)
    if problem:
        print(f"roost {'serve' if core else 'front'}: {problem}", file=sys.stderr)
        return 1
    app = create_app(config, client, pm)
    settle_heap()
    if on_serving is not None:
        on_serving()
    try:
        server = waitress.create_server(
            app, host=config.host, port=config.port, threads=config.threads,
            url_prefix=config.root_path or "", ident="roost",
            # Above Roost's own limits, so a declared oversize body gets Roost's JSON
            # 413; waitress's cap only stops bodies that never declared a length.
            max_request_body_size=max(config.max_upload_bytes,
                                      config.max_request_bytes) + 1024 * 1024,
            channel_timeout=300, clear_untrusted_proxy_headers=False,
            # wandb uploads an artifact's files over 100+ parallel connections; at
            # waitress's default limit (100) it stops accepting and the SDK stalls.
            connection_limit=1000, asyncore_use_poll=True,
            # Reads of 64 KiB: a 400 KiB file_stream body arrives in 7 passes of
            # waitress's loop instead of 50 (0.5 ms less per request, measured).
            recv_bytes=65536)
    except OSError as exc:  # taken since the preflight check: one line, not a traceback
        print(f"roost {'serve' if core else 'front'}: cannot listen on {config.host}:"
              f"{config.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"Roost is serving on http://{config.host}:{config.port}"
          f"{config.root_path or ''}", flush=True)
    server.run()
    return 0


def run_serve(config: Config, options: OptionRegistry, pm) -> int:
    config.secret_file("core.secret", "core_secret")
    core_port = free_port()
    address = f"127.0.0.1:{core_port}"
    argv = [sys.executable, "-m", "roost.core.cli", "core", "--core-listen", address]
    env = dict(os.environ)
    for option in options:
        value = config.values.get(option.name)
        if option.name in ("core_listen", "core_address") or value in (None, ""):
            continue
        if option.secret:  # never on a command line, where `ps` shows it to everyone
            env[option.env_var] = str(value)
        else:
            argv += ["--" + option.name.replace("_", "-"), str(value)]
    core = subprocess.Popen(argv, env=env)
    config.values["core_address"] = address

    def stop_core(*_):
        if core.poll() is None:
            core.terminate()
            try:
                core.wait(timeout=10)
            except subprocess.TimeoutExpired:
                core.kill()

    stopping = threading.Event()
    core_died = threading.Event()

    def on_signal(signum, frame):
        stopping.set()
        stop_core()
        raise SystemExit(0)  # waitress ends its loop on SystemExit; run_front then returns

    def exit_when_core_dies():
        # Serving 503s forever helps nobody: stop, so a supervisor restarts the pair.
        code = core.wait()
        if not stopping.is_set():
            core_died.set()
            print(f"roost serve: the core exited with code {code}; stopping", file=sys.stderr,
                  flush=True)
            os.kill(os.getpid(), signal.SIGTERM)

    signal.signal(signal.SIGTERM, on_signal)
    watchdog = threading.Thread(target=exit_when_core_dies, name="core-watchdog", daemon=True)
    try:
        # While the core starts, run_front itself notices it dying; the watchdog starts after.
        status = run_front(config, pm, core, on_serving=watchdog.start)
    finally:
        stopping.set()
        stop_core()
    return 1 if core_died.is_set() else status


def front_startup_problem(config: Config) -> tuple[str | None, int]:
    """A port that is taken is 1 (try again later)."""
    return preflight.port_problem(config.host, config.port), 1


def serve_startup_problem(config: Config) -> tuple[str | None, int]:
    """The port first: a taken one must not first create the data directory and an admin."""
    problem, status = front_startup_problem(config)
    if problem:
        return problem, status
    return preflight.data_dir_problem(config.data_path), 2


SERVE = Command("serve", "run core and front together (SQLite + local files)", 10,
                add_server_flags, lambda config, options, pm, args: run_serve(config, options, pm),
                check=serve_startup_problem)
FRONT = Command("front", "run the HTTP front alone", 30, add_server_flags,
                lambda config, options, pm, args: run_front(config, pm),
                check=front_startup_problem)
