"""The ``roost`` command line: serve, core, front, user, key, version."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from roost.core import __version__
from roost.core.config import Config, OptionRegistry, builtin_options, load_config
from roost.core.errors import RoostError
from roost.core.pluginmanager import make_plugin_manager

SERVER_OPTIONS = None  # every option is a flag of serve/core/front
LOCAL_OPTIONS = ("data_dir", "config", "database_url", "media")


def option_registry(pm) -> OptionRegistry:
    options = OptionRegistry()
    builtin_options(options)
    pm.hook.roost_add_options(options=options)
    return options


def add_option_flags(parser: argparse.ArgumentParser, options: OptionRegistry,
                     names=SERVER_OPTIONS) -> None:
    for option in options:
        if names is not None and option.name not in names:
            continue
        flag = "--" + option.name.replace("_", "-")
        if option.type is not str and option.type is not int:
            parser.add_argument(flag, dest=option.name, default=None, help=option.help,
                                metavar="BOOL")
        else:
            parser.add_argument(flag, dest=option.name, default=None, help=option.help,
                                type=option.type)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def build_parser(options: OptionRegistry) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="roost", description="Self-hosted wandb-compatible "
                                     "experiment tracking server.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text in (("serve", "run core and front together (SQLite + local files)"),
                            ("core", "run the core gRPC service alone"),
                            ("front", "run the HTTP front alone")):
        add_option_flags(commands.add_parser(name, help=help_text), options)

    user = commands.add_parser("user", help="manage users").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    add = user.add_parser("add", help="create a user")
    add.add_argument("name")
    add.add_argument("--admin", action="store_true", help="make the user an administrator")
    add.add_argument("--email", default="")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input")
    add_option_flags(add, options, LOCAL_OPTIONS)

    key = commands.add_parser("key", help="manage API keys").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    create = key.add_parser("create", help="create an API key for a user; prints it last")
    create.add_argument("name", help="the user the key belongs to")
    create.add_argument("--description", default="")
    add_option_flags(create, options, LOCAL_OPTIONS)

    gc = commands.add_parser("gc", help="delete expired artifact versions and free blobs no "
                             "artifact holds (gives the space back)")
    gc.add_argument("--dry-run", action="store_true", help="only report what would be freed")
    add_option_flags(gc, options, LOCAL_OPTIONS + tuple(o.name for o in options
                                                        if o.name.startswith("minio_")))
    from roost.core import demo
    demo.add_arguments(commands.add_parser(
        "demo", help="log a few example runs to a running Roost (needs roost[demo])"))
    add_option_flags(commands.choices["demo"], options,
                     LOCAL_OPTIONS + ("host", "port", "root_path"))
    commands.add_parser("version", help="print Roost's version")
    return parser


def config_from_args(args, options: OptionRegistry) -> Config:
    cli = {o.name: getattr(args, o.name) for o in options if getattr(args, o.name, None) is not None}
    return load_config(options, cli)


def setup_logging(config: Config) -> None:
    logging.basicConfig(level=str(config.log_level).upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def local_core(config: Config, pm):
    from roost.core.service import Core
    return Core(config, pm)


def settle_heap() -> None:
    """Move everything startup allocated (modules, schemas, models: tens of thousands of
    objects) out of the cyclic garbage collector's sight. Each file_stream request allocates
    thousands of short-lived rows, which trigger collections; without this, every older
    collection rescans all of startup's objects, about 5 % of a request's CPU."""
    gc.collect()
    gc.freeze()


# -- commands --------------------------------------------------------------------------------
def run_core(config: Config, pm, ready: threading.Event | None = None) -> int:
    from roost.core.server import build_server

    core = local_core(config, pm)
    password = core.bootstrap_admin()
    if password:
        print("Created the first user 'admin' with password:\n\n    " + password + "\n\n"
              "It is shown only this once. Sign in and change it, or create API keys with\n"
              "`roost key create admin`.", flush=True)
    secret = config.secret_file("core.secret", "core_secret")
    server, port = build_server(core, config.core_listen, secret, config.core_workers)
    settle_heap()
    server.start()
    core.artifacts.start_periodic_gc(config.gc_interval)
    logging.getLogger("roost.core").info("core listening on %s (port %s); storage: %s; media: %s",
                                         config.core_listen, port, core.storage.name, core.media.name)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    server.stop(grace=5).wait()
    core.close()
    return 0


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
    from roost.core.client import CoreClient

    secret = config.secret_file("core.secret", "core_secret")
    client = CoreClient(config.core_address, secret)
    problem = wait_for_core(client, config.core_address, core)
    if problem:
        print(f"roost {'serve' if core else 'front'}: {problem}", file=sys.stderr)
        return 1
    app = create_app(config, client, pm)
    settle_heap()
    if on_serving is not None:
        on_serving()
    print(f"Roost is serving on http://{config.host}:{config.port}"
          f"{config.root_path or ''}", flush=True)
    waitress.serve(app, host=config.host, port=config.port, threads=config.threads,
                   url_prefix=config.root_path or "", ident="roost",
                   # Above Roost's own limits, so a declared oversize body gets Roost's JSON
                   # 413; waitress's cap only stops bodies that never declared a length.
                   max_request_body_size=max(config.max_upload_bytes,
                                             config.max_request_bytes) + 1024 * 1024,
                   channel_timeout=300, clear_untrusted_proxy_headers=False, _quiet=True,
                   # wandb uploads an artifact's files over 100+ parallel connections; at
                   # waitress's default limit (100) it stops accepting and the SDK stalls.
                   connection_limit=1000, asyncore_use_poll=True,
                   # Reads of 64 KiB: a 400 KiB file_stream body arrives in 7 passes of
                   # waitress's loop instead of 50 (0.5 ms less per request, measured).
                   recv_bytes=65536)
    return 0


def run_serve(config: Config, options: OptionRegistry, pm) -> int:
    config.data_path.mkdir(parents=True, exist_ok=True)
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


def run_user_add(config: Config, pm, args) -> int:
    password = ""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    core = local_core(config, pm)
    try:
        user = core.create_user(None, args.name, args.email, password, args.admin)
    finally:
        core.close()
    print(f"created user {user['username']!r}" + (" (admin)" if user["admin"] else ""))
    return 0


def run_key_create(config: Config, pm, args) -> int:
    core = local_core(config, pm)
    try:
        record, key = core.create_api_key(None, args.name, args.description)
    finally:
        core.close()
    print(f"API key {record['id']} for {args.name!r} (shown once; keep it secret):")
    print(key)
    return 0


def run_gc(config: Config, pm, args) -> int:
    core = local_core(config, pm)
    try:
        report = core.artifacts.collect_garbage(None, dry_run=args.dry_run)
    finally:
        core.close()
    verb = "would free" if args.dry_run else "freed"
    print(f"{verb} {report['blobs_deleted']} blobs ({report['bytes_freed']} bytes); "
          f"{report['artifacts_expired']} expired or abandoned artifact versions")
    return 0


def main(argv: list[str] | None = None) -> int:
    pm = make_plugin_manager()
    options = option_registry(pm)
    args = build_parser(options).parse_args(argv)
    if args.command == "version":
        print(f"roost {__version__}")
        return 0
    try:
        config = config_from_args(args, options)
        setup_logging(config)
        # Rebuilt from the resolved config: the first manager (needed to know the plugins'
        # options) saw only the environment, not --block-plugins, --trace-hooks or the file.
        pm = make_plugin_manager(block={name.strip() for name in
                                        str(config.block_plugins).split(",") if name.strip()},
                                 trace=config.trace_hooks)
        if args.command == "serve":
            return run_serve(config, options, pm)
        if args.command == "core":
            return run_core(config, pm)
        if args.command == "front":
            return run_front(config, pm)
        if args.command == "user":
            return run_user_add(config, pm, args)
        if args.command == "key":
            return run_key_create(config, pm, args)
        if args.command == "gc":
            return run_gc(config, pm, args)
        if args.command == "demo":
            from roost.core.demo import run_demo
            return run_demo(config, pm, args)
    except (RoostError, ValueError) as exc:
        print(f"roost {args.command}: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":
    sys.exit(main())
