"""Storage backends for tests: a database of its own per use, on SQLite, PostgreSQL or MySQL.

PostgreSQL and MySQL/MariaDB tests run when ``ROOST_TEST_POSTGRES_URL`` / ``ROOST_TEST_MYSQL_URL``
name a server and an account allowed to create databases (CI sets both). Each use creates a
uniquely named database and drops it afterwards, so parallel xdist workers never share a table.

    with temporary_database("postgresql", tmp_path) as url:
        storage = SqlStorage(url)
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse, urlunparse

import pytest

BACKENDS = ("sqlite", "postgresql", "mysql")
URL_ENV = {"postgresql": "ROOST_TEST_POSTGRES_URL", "mysql": "ROOST_TEST_MYSQL_URL"}
EXAMPLE_URL = {"postgresql": "postgresql://postgres@127.0.0.1:5432/test",
               "mysql": "mysql://root@127.0.0.1:3306/test"}


def server_url(backend: str) -> str:
    return os.environ.get(URL_ENV.get(backend, ""), "") if backend != "sqlite" else ""


def skip_reason(backend: str) -> str:
    """Why ``backend`` cannot run here ("" when it can)."""
    if backend == "sqlite" or server_url(backend):
        return ""
    return (f"{URL_ENV[backend]} is not set: set it to a {backend} server URL such as "
            f"{EXAMPLE_URL[backend]} to run these tests on {backend}")


def backend_marks(backend: str) -> list:
    """pytest marks for a test class that runs on ``backend``: its marker, and a skip with a
    clear reason when the server is not configured."""
    marks = [pytest.mark.skipif(bool(skip_reason(backend)), reason=skip_reason(backend))]
    if backend != "sqlite":
        marks.append(getattr(pytest.mark, "postgres" if backend == "postgresql" else "mysql"))
    return marks


def backend_params() -> list:
    """``pytest.param`` per backend, for ``@pytest.fixture(params=backend_params())``."""
    return [pytest.param(backend, marks=backend_marks(backend), id=backend)
            for backend in BACKENDS]


def _admin_connection(backend: str):
    parsed = urlparse(server_url(backend))
    if backend == "postgresql":
        import psycopg2

        connection = psycopg2.connect(server_url(backend))
        connection.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
        return connection
    import pymysql

    return pymysql.connect(host=parsed.hostname or "127.0.0.1", port=parsed.port or 3306,
                           user=parsed.username or "root", password=parsed.password or "",
                           database=parsed.path.lstrip("/") or None, autocommit=True)


def _admin(backend: str, *statements: str) -> None:
    connection = _admin_connection(backend)
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


@contextmanager
def temporary_database(backend: str, directory: Path) -> Iterator[str]:
    """The URL of a new, empty database (a file in ``directory`` for SQLite); dropped after."""
    if backend == "sqlite":
        yield f"sqlite:///{Path(directory) / f'roost-{uuid.uuid4().hex[:8]}.db'}"
        return
    if skip_reason(backend):
        pytest.skip(skip_reason(backend))
    name = f"roost_test_{uuid.uuid4().hex[:16]}"
    _admin(backend, f"CREATE DATABASE {name}")
    try:
        yield urlunparse(urlparse(server_url(backend))._replace(path=f"/{name}"))
    finally:
        force = " WITH (FORCE)" if backend == "postgresql" else ""
        _admin(backend, f"DROP DATABASE IF EXISTS {name}{force}")


def clear_tables(storage) -> None:
    """Delete every row a SqlStorage holds, children first, so the next test starts empty."""
    from roost.plugins.sql import migrations
    from roost.plugins.sql.database import bind_models

    bind_models(storage.db, migrations.all_models())  # another store may have bound them since
    storage.wait_for_rollups()  # nothing folds into the tables while they are emptied
    with storage.db.connection_context():
        with storage.db.atomic():
            for model in reversed(migrations.all_models()):
                if model.__name__ != "SchemaVersion":
                    model.delete().execute()
