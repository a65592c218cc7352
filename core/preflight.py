"""Checks the command line makes before it starts anything, each answering one sentence.

Run before any side effect: a `roost serve` on a port that is taken must not first create the
data directory, print a new admin password and claim to be serving; a `roost key create` from
the wrong directory must not leave an empty instance behind. Each check returns None when all
is well, else the sentence to print (the caller prefixes the command and exits non-zero).
"""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path

# The file the default storage (plugins/sql: sqlite:///DATA_DIR/roost.db) keeps everything in;
# the first `roost serve` creates it, so its absence means "no instance here".
DEFAULT_DATABASE_FILE = "roost.db"

POINT_AT_DATA_DIR = ("pass --data-dir DIR (or set ROOST_DATA_DIR) to the directory "
                     "`roost serve` uses")


def port_problem(host: str, port: int, flag: str = "--port") -> str | None:
    """Whether the front (or core) could listen on host:port, tried the way waitress and grpc
    bind (SO_REUSEADDR, so a port left in TIME_WAIT by a stopped Roost is not 'taken')."""
    try:
        addresses = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                       flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        return f"cannot listen on {host}:{port}: the host does not resolve ({exc})"
    except OverflowError:
        return f"{flag} {port} is not a port (1-65535)"
    for family, kind, proto, _, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    return (f"port {port} on {host} is already in use (another Roost or another "
                            f"program listens there); stop it or choose another {flag}")
                return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    return None


def core_listen_problem(listen: str) -> str | None:
    host, _, port = listen.rpartition(":")
    if not port.isdigit():
        return f"--core-listen {listen!r} is not HOST:PORT"
    return port_problem(host.strip("[]") or "0.0.0.0", int(port), "--core-listen")


def data_dir_problem(path: Path) -> str | None:
    """Make the data directory of a serving process, or say why it cannot be."""
    if path.exists() and not path.is_dir():
        return f"the data directory {path} is a file, not a directory; choose another --data-dir"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):  # a parent is a file
        return (f"cannot create the data directory {path}: a parent of it is a file; "
                "choose another --data-dir")
    except OSError as exc:
        return f"cannot create the data directory {path}: {exc.strerror or exc}"
    if not os.access(path, os.W_OK | os.X_OK):
        return f"the data directory {path} is not writable by this user; choose another --data-dir"
    return None


def instance_problem(path: Path, database_url: str) -> str | None:
    """Commands that work on an existing instance (user, key, gc, demo) must find one, never
    create one: with the default storage the database file must be there already."""
    if not path.is_dir():
        return f"there is no Roost data directory at {path}; {POINT_AT_DATA_DIR}"
    if not database_url and not (path / DEFAULT_DATABASE_FILE).is_file():
        return (f"{path} holds no Roost instance (no {DEFAULT_DATABASE_FILE}; `roost serve` "
                f"creates it on its first start); {POINT_AT_DATA_DIR}")
    return None
