"""Open the peewee database a URL names: SQLite (default, WAL), PostgreSQL or MySQL/MariaDB."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from peewee import Database
from playhouse.db_url import connect

# Long JSON documents and history lines: MySQL's TEXT stops at 64 KiB.
LONGTEXT = {"LONGTEXT": "TEXT"}


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'roost.db'}"


def open_database(url: str) -> Database:
    scheme = urlparse(url).scheme
    if scheme.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # synchronous=FULL: an acknowledged write survives a crash of the machine too.
        return connect(url, pragmas={"journal_mode": "wal", "synchronous": "full",
                                     "foreign_keys": 1, "busy_timeout": 30000,
                                     "cache_size": -64000}, field_types=LONGTEXT)
    if scheme.startswith("postgres"):
        return connect(url, field_types=LONGTEXT, autorollback=True)
    if scheme.startswith("mysql"):
        return connect(url, charset="utf8mb4", autorollback=True)
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:///, postgresql:// or mysql://")
