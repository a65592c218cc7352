"""Configuration: command line > ``ROOST_*`` environment > config file > default.

Options are declared in one registry (built-ins here, plugins through
``roost_add_options``), so every setting can be given the same three ways and the
compose file test can check that each ``ROOST_*`` variable is one Roost reads.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import tomllib
import importlib.metadata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping


@dataclass(frozen=True)
class Option:
    name: str
    default: Any = None
    help: str = ""
    type: Callable[[str], Any] = str
    secret: bool = False

    @property
    def env_var(self) -> str:
        return "ROOST_" + self.name.upper()


def parse_bool(text: str) -> bool:
    value = str(text).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"expected a boolean (true/false), got {text!r}")


class OptionRegistry:
    def __init__(self) -> None:
        self._options: dict[str, Option] = {}

    def add(self, name: str, default: Any = None, help: str = "", type: Callable = str,
            secret: bool = False) -> None:
        if name in self._options:
            raise ValueError(f"option {name!r} is declared twice")
        self._options[name] = Option(name, default, help, type, secret)

    def __iter__(self):
        return iter(self._options.values())

    def __contains__(self, name: str) -> bool:
        return name in self._options

    def get(self, name: str) -> Option:
        return self._options[name]


def builtin_options(options: OptionRegistry) -> None:
    options.add("data_dir", "./roost-data", "directory for SQLite, local files and generated secrets")
    options.add("config", "", "path of a TOML config file (default: DATA_DIR/roost.toml if present)")
    options.add("host", "127.0.0.1", "address the front listens on")
    options.add("port", 8080, "port the front listens on", int)
    options.add("core_listen", "127.0.0.1:50051", "address the core's gRPC server listens on")
    options.add("core_address", "127.0.0.1:50051", "address the front reaches the core at: "
                "host:port, or several cores as host:port,host:port (calls are spread over "
                "them and moved off a dead one), or a DNS name with one record per core")
    options.add("core_secret", "", "shared secret between front and core "
                "(default: generated into DATA_DIR/core.secret)", secret=True)
    options.add("database_url", "", "peewee database URL (default: sqlite:///DATA_DIR/roost.db); "
                "postgresql://... or mysql://...")
    options.add("media", "files", "media store plugin: files (local disk) or minio")
    options.add("signing_key", "", "HMAC key for signed file URLs "
                "(default: generated into DATA_DIR/signing.key)", secret=True)
    options.add("base_url", "", "public URL of the front, used in URLs handed to clients "
                "(default: from the request and X-Forwarded-* headers)")
    options.add("root_path", "", "path prefix the front is served under behind a proxy")
    options.add("proxy_count", 0, "number of reverse proxies in front of Roost whose "
                "X-Forwarded-For/Proto/Host/Port/Prefix headers are trusted (0: none)", int)
    options.add("url_expiry", 3600, "seconds a signed upload/download URL stays valid", int)
    options.add("max_upload_bytes", 5 * 1024**3, "largest file a client may upload", int)
    options.add("gc_interval", 3600, "seconds between artifact garbage collections in the core "
                "(0: only `roost gc`)", int)
    options.add("max_request_bytes", 64 * 1024**2, "largest GraphQL/file_stream body", int)
    options.add("threads", 16, "front worker threads", int)
    options.add("core_workers", 16, "core gRPC worker threads", int)
    options.add("sweep_agent_timeout", 90, "seconds without a heartbeat after which a sweep "
                "agent counts as dead and its running run as crashed", int)
    options.add("trace_hooks", False, "log every plugin hook call", parse_bool)
    options.add("block_plugins", "", "comma-separated plugin names not to load")
    options.add("log_level", "info", "logging level")
    # Read by the fronts (/metrics) and the cores (core_metrics_listen).
    options.add("metrics_token", "", "bearer token that may read /metrics (for a Prometheus "
                "server; empty: only server admins may, and the cores serve no metrics)",
                secret=True)
    options.add("core_metrics_listen", "", "host:port where a core serves its Prometheus "
                "metrics (needs metrics_token; empty: off)")
    # Read by the core's sign-in (core/service.py), whichever auth plugins are loaded.
    options.add("login_max_failures", 10, "failed password sign-ins per account or address "
                "before sign-in is refused for a while (0: no limit)", int)
    options.add("login_window_seconds", 300, "the window login_max_failures counts in", int)


OPTIONS_ENTRY_POINT_GROUP = "roost.options"


def option_registry(pm) -> OptionRegistry:
    """Every option: those the core and the front declare (the ``roost.options`` entry points
    of pyproject.toml, core first), then the plugins' (``roost_add_options``)."""
    options = OptionRegistry()
    for entry_point in sorted(importlib.metadata.entry_points(group=OPTIONS_ENTRY_POINT_GROUP),
                              key=lambda ep: (ep.name != "core", ep.name)):
        entry_point.load()(options)
    pm.hook.roost_add_options(options=options)
    return options


@dataclass
class Config:
    values: dict[str, Any]
    options: OptionRegistry = field(repr=False, default_factory=OptionRegistry)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    @property
    def data_path(self) -> Path:
        return Path(self.values["data_dir"]).expanduser().resolve()

    def secret_file(self, name: str, option: str) -> str:
        """The configured secret, else one generated once and kept in the data dir."""
        configured = self.values.get(option)
        if configured:
            return configured
        path = self.data_path / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside (mkstemp: mode 0600), then linked into place: of processes starting
            # together one wins the link, the others read its complete file, never half of it.
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.")
            try:
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_urlsafe(48))
                    handle.flush()
                    os.fsync(handle.fileno())
                try:
                    os.link(temporary, path)
                except FileExistsError:
                    pass
            finally:
                os.unlink(temporary)
        return path.read_text().strip()

    def public(self) -> dict[str, Any]:
        """Values safe to show (secrets masked), for the console and logs."""
        return {o.name: ("***" if o.secret and self.values.get(o.name) else self.values.get(o.name))
                for o in self.options}


# What a TOML file gives for the built-in option types (plugin types are taken as given).
_TOML_TYPES = {str: str, int: int, parse_bool: bool}


def _has_type(value: Any, option_type: Callable) -> bool:
    expected = _TOML_TYPES.get(option_type)
    if expected is None:
        return True
    return isinstance(value, expected) and not (expected is int and isinstance(value, bool))


def load_config(options: OptionRegistry, cli: Mapping[str, Any] | None = None,
                env: Mapping[str, str] | None = None) -> Config:
    cli = {k: v for k, v in (cli or {}).items() if v is not None}
    env = os.environ if env is None else env
    unknown = set(cli) - {o.name for o in options}
    if unknown:
        raise ValueError(f"unknown option(s): {', '.join(sorted(unknown))}")

    def layered(name: str) -> tuple[Any, bool]:
        option = options.get(name)
        if name in cli:
            return cli[name], True
        if option.env_var in env:
            return env[option.env_var], True
        return option.default, False

    data_dir, _ = layered("data_dir")
    config_path, explicit = layered("config")
    file_values: dict[str, Any] = {}
    path = Path(config_path) if config_path else Path(data_dir) / "roost.toml"
    if path.is_file():
        with open(path, "rb") as handle:
            try:
                file_values = tomllib.load(handle)
            except tomllib.TOMLDecodeError as exc:
                raise ValueError(f"{path}: not valid TOML ({exc})") from None
        bad = set(file_values) - {o.name for o in options}
        if bad:
            raise ValueError(f"{path}: unknown option(s): {', '.join(sorted(bad))}")
    elif explicit:
        raise ValueError(f"config file {path} does not exist")

    values: dict[str, Any] = {}
    for option in options:
        value, given = layered(option.name)
        if not given and option.name in file_values:
            value, given = file_values[option.name], True
            if not isinstance(value, str) and not _has_type(value, option.type):
                raise ValueError(f"{path}: option {option.name} must be "
                                 f"{_TOML_TYPES[option.type].__name__}, got {value!r}")
        if given and isinstance(value, str) and option.type is not str:
            try:
                value = option.type(value)
            except ValueError as exc:
                raise ValueError(f"option {option.name} ({option.env_var}): {exc}") from None
        values[option.name] = value
    return Config(values, options)
