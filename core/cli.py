"""The ``roost`` command line: a dispatcher for the subcommands that the parts contribute
(the ``roost.commands`` entry points of pyproject.toml), and the core's own subcommands:
core, user, key, gc, version.

The dispatcher imports no subcommand: each entry point names a :class:`Command` that the part
owning it defines (the front's serve and front in roost.admin.cli, the demo in
roost.plugins.demo), so the core never imports the front.
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import logging
import signal
import sys
import threading
from dataclasses import dataclass
from typing import Callable

from roost.core import __version__, cli_accounts, preflight
from roost.core.config import Config, OptionRegistry, load_config, option_registry  # noqa: F401
from roost.core.errors import CoreAlreadyServing, RoostError
from roost.core.pluginmanager import make_plugin_manager

SERVER_OPTIONS = None  # every option is a flag of serve/core/front
LOCAL_OPTIONS = ("data_dir", "config", "database_url", "media")
COMMANDS_ENTRY_POINT_GROUP = "roost.commands"


@dataclass(frozen=True)
class Command:
    """One subcommand of ``roost``. ``position`` orders ``roost --help``; ``add_arguments``
    adds its arguments and flags; ``run(config, options, pm, args)`` returns the exit code
    (with ``configured`` false it gets no config and no plugin manager: ``run(args)``)."""
    name: str
    help: str
    position: int
    add_arguments: Callable[[argparse.ArgumentParser, OptionRegistry], None]
    run: Callable[..., int]
    configured: bool = True
    # Why it cannot start, checked before it changes anything: (sentence, exit code), or
    # (None, 0). See roost.core.preflight.
    check: Callable[[Config], tuple[str | None, int]] | None = None


def installed_commands() -> list[Command]:
    commands = [ep.load() for ep in importlib.metadata.entry_points(
        group=COMMANDS_ENTRY_POINT_GROUP)]
    return sorted(commands, key=lambda command: (command.position, command.name))


def add_option_flags(parser: argparse.ArgumentParser, options: OptionRegistry,
                     names=SERVER_OPTIONS) -> None:
    for option in options:
        if names is not None and option.name not in names:
            continue
        flag = "--" + option.name.replace("_", "-")
        if option.type is not str and option.type is not int:
            parser.add_argument(flag, dest=option.name, default=None, help=help_text(option),
                                metavar="BOOL")
        else:
            parser.add_argument(flag, dest=option.name, default=None, help=help_text(option),
                                type=option.type)


def help_text(option) -> str:
    """The option's help with its default. argparse's own %(default)s would show None: the
    flags default to None so that the environment and the config file can fill them in."""
    text = option.help
    if option.default not in (None, "") and "default" not in text:
        text += f" (default: {option.default})"
    return text.replace("%", "%%")  # argparse %-formats help strings


def build_parser(options: OptionRegistry, commands: list[Command]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="roost", description="Self-hosted wandb-compatible "
                                     "experiment tracking server.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in commands:
        command.add_arguments(subparsers.add_parser(command.name, help=command.help), options)
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


# -- the core's commands ---------------------------------------------------------------------
def run_core(config: Config, pm, ready: threading.Event | None = None) -> int:
    from roost.core.metrics import serve_metrics
    from roost.core.server import build_server

    metrics_listen, metrics_token = config.get("core_metrics_listen"), config.get("metrics_token")
    if metrics_listen and not metrics_token:
        print("roost core: core_metrics_listen needs metrics_token (ROOST_METRICS_TOKEN): the "
              "core serves its metrics to a Prometheus that sends it, never anonymously",
              file=sys.stderr, flush=True)
        return 1
    core = local_core(config, pm)
    try:
        core.storage.claim_core()
    except CoreAlreadyServing as refused:
        print(f"roost core: {refused}", file=sys.stderr, flush=True)
        core.close()
        return 1
    password = core.accounts.bootstrap_admin()
    if password:
        print("Created the first user 'admin' with password:\n\n    " + password + "\n\n"
              "It is shown only this once. Sign in and change it, or create API keys with\n"
              "`roost key create admin`.", flush=True)
    secret = config.secret_file("core.secret", "core_secret")
    server, port = build_server(core, config.core_listen, secret, config.core_workers)
    settle_heap()
    if metrics_listen:
        try:
            serve_metrics(metrics_listen, metrics_token)
        except (OSError, ValueError) as exc:
            print(f"roost core: cannot serve metrics on {metrics_listen}: {exc}",
                  file=sys.stderr, flush=True)
            core.close()
            return 1
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


def run_user_add(config: Config, pm, args) -> int:
    password = ""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    core = local_core(config, pm)
    try:
        user = core.accounts.create_user(None, args.name, args.email, password, args.admin)
    finally:
        core.close()
    print(f"created user {user['username']!r}" + (" (admin)" if user["admin"] else ""))
    return 0


def run_key_create(config: Config, pm, args) -> int:
    core = local_core(config, pm)
    try:
        expires = cli_accounts.parse_expiry(args.expires) if args.expires else 0.0
        record, key = core.accounts.create_api_key(None, args.name, args.description, expires)
    finally:
        core.close()
    until = f", expires {cli_accounts.when_text(expires)} UTC" if expires else ""
    print(f"API key {record['id']} for {args.name!r}{until} (shown once; keep it secret):")
    print(key)
    return 0


def run_accounts(config: Config, pm, args) -> int:
    core = local_core(config, pm)
    try:
        run = cli_accounts.run_user if args.command == "user" else cli_accounts.run_key
        return run(core, args)
    finally:
        core.close()


def run_user(config: Config, pm, args) -> int:
    return run_user_add(config, pm, args) if args.action == "add" else run_accounts(
        config, pm, args)


def run_key(config: Config, pm, args) -> int:
    return run_key_create(config, pm, args) if args.action == "create" else run_accounts(
        config, pm, args)


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


def add_server_flags(parser: argparse.ArgumentParser, options: OptionRegistry) -> None:
    add_option_flags(parser, options, SERVER_OPTIONS)


def add_user_arguments(parser: argparse.ArgumentParser, options: OptionRegistry) -> None:
    user = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = user.add_parser("add", help="create a user")
    add.add_argument("name")
    add.add_argument("--admin", action="store_true", help="make the user an administrator")
    add.add_argument("--email", default="")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input")
    add_option_flags(add, options, LOCAL_OPTIONS)
    cli_accounts.add_user_actions(user, lambda p: add_option_flags(p, options, LOCAL_OPTIONS))


def add_key_arguments(parser: argparse.ArgumentParser, options: OptionRegistry) -> None:
    key = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = key.add_parser("create", help="create an API key for a user; prints it last")
    create.add_argument("name", help="the user the key belongs to")
    create.add_argument("--description", default="")
    cli_accounts.add_create_expiry(create)
    add_option_flags(create, options, LOCAL_OPTIONS)
    cli_accounts.add_key_actions(key, lambda p: add_option_flags(p, options, LOCAL_OPTIONS))


def add_gc_arguments(parser: argparse.ArgumentParser, options: OptionRegistry) -> None:
    parser.add_argument("--dry-run", action="store_true", help="only report what would be freed")
    add_option_flags(parser, options, LOCAL_OPTIONS + tuple(o.name for o in options
                                                            if o.name.startswith("minio_")))


def core_startup_problem(config: Config) -> tuple[str | None, int]:
    """A taken listen address is 1 (try again later); a data directory that cannot be, 2."""
    problem = preflight.core_listen_problem(config.core_listen)
    if problem:
        return problem, 1
    return preflight.data_dir_problem(config.data_path), 2


def instance_problem(config: Config) -> tuple[str | None, int]:
    return preflight.instance_problem(config.data_path, config.database_url), 2


def print_version(args) -> int:
    print(f"roost {__version__}")
    return 0


# The entry points of pyproject.toml's ``roost.commands`` group name these. Each run looks its
# function up when called, so a test can replace one (monkeypatch cli.run_user_add).
CORE = Command("core", "run the core gRPC service alone", 20, add_server_flags,
               lambda config, options, pm, args: run_core(config, pm),
               check=core_startup_problem)
USER = Command("user", "manage users", 40, add_user_arguments,
               lambda config, options, pm, args: run_user(config, pm, args),
               check=instance_problem)
KEY = Command("key", "manage API keys", 50, add_key_arguments,
              lambda config, options, pm, args: run_key(config, pm, args),
              check=instance_problem)
GC = Command("gc", "delete expired artifact versions and free blobs no artifact holds (gives "
             "the space back)", 60, add_gc_arguments,
             lambda config, options, pm, args: run_gc(config, pm, args),
             check=instance_problem)
VERSION = Command("version", "print Roost's version", 90, lambda parser, options: None,
                  print_version, configured=False)


def main(argv: list[str] | None = None) -> int:
    pm = make_plugin_manager()
    options = option_registry(pm)
    commands = {command.name: command for command in installed_commands()}
    args = build_parser(options, list(commands.values())).parse_args(argv)
    command = commands[args.command]
    if not command.configured:
        return command.run(args)
    try:
        config = config_from_args(args, options)
        setup_logging(config)
        # Rebuilt from the resolved config: the first manager (needed to know the plugins'
        # options) saw only the environment, not --block-plugins, --trace-hooks or the file.
        pm = make_plugin_manager(block={name.strip() for name in
                                        str(config.block_plugins).split(",") if name.strip()},
                                 trace=config.trace_hooks)
        problem, status = command.check(config) if command.check else (None, 0)
        if problem:
            print(f"roost {args.command}: {problem}", file=sys.stderr)
            return status
        return command.run(config, options, pm, args)
    except (RoostError, ValueError) as exc:
        print(f"roost {args.command}: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
