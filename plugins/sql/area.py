"""What the sql plugin's per-area stores share: one open database and its prepared
statements (``SqlDatabase``), and the few record helpers more than one area needs
(``SqlArea``, the base of every store).

Every store is built on the same ``SqlDatabase``: one connection pool, one set of prepared
statements (statements.py), one HistoryEngine. A store's public methods each check a pooled
connection out for the call (database.connection_per_call); a store calling another store
joins the caller's connection and transaction.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Any

import peewee

from roost.core.errors import CoreAlreadyServing, InvalidArgument, NotFound
from roost.plugins.sql import migrations, run_filters
from roost.plugins.sql.database import bind_models, engine, open_database, without_connection
from roost.plugins.sql.history_engine import HistoryEngine
from roost.plugins.sql.models import Entity, EventLine, HistoryLine, Project, Run, User
from roost.plugins.sql.statements import Statements
from roost.plugins.sql.wal_checkpoints import WalCheckpointer

TAIL_LINES = 1


def page_of(query, first: int | None) -> tuple[list, bool]:
    """The rows of one page of an ordered query and whether more follow (one row past the page
    is read to know); ``first`` 0 or None means every row."""
    rows = list(query.limit(first + 1 if first else None))
    return rows[:first or None], bool(first) and len(rows) > first


def record_id(value: Any) -> int:
    """A storage id from the core's string; NotFound for one that is not ours."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(f"no record with id {value!r}") from None


def too_long(model, values: dict[str, Any]) -> None:
    """Refuse text longer than its column the same way on every engine: SQLite would store
    it, PostgreSQL and MySQL (strict mode) would fail with an engine-specific error."""
    for column, value in values.items():
        limit = getattr(model._meta.fields[column], "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            raise InvalidArgument(f"{column.removesuffix('_name')} is {len(value)} characters "
                                  f"long; the limit is {limit}")


def clean_text(value: str) -> str:
    # PostgreSQL cannot store NUL in text; replacing it everywhere keeps the engines identical.
    return value.replace("\x00", "\ufffd") if "\x00" in value else value


def _version_text(version) -> str:
    if isinstance(version, int):  # PostgreSQL: 150020 is 15.20
        return f"{version // 10000}.{version % 10000}"
    return ".".join(str(part) for part in version)


class SqlDatabase:
    """The database every store of one SqlStorage shares, opened and migrated."""

    def __init__(self, url: str, sqlite_synchronous: str = "normal"):
        self.url = url
        self.db = open_database(url, sqlite_synchronous)
        self.statements = Statements(self.db)
        self.engine = engine(self.db)
        run_filters.install(self.db, self.engine)
        self.history = HistoryEngine(self.statements)
        try:
            bind_models(self.db, migrations.all_models())
            with self.db.connection_context():
                migrations.migrate(self.db)
        except BaseException:
            self.db.close_all()
            raise
        self.name = f"sql ({self.engine} {_version_text(self.db.server_version)})"
        self._checkpointer = None
        self._core_claim = None
        if self.engine == "sqlite" and self.db.database != ":memory:":
            self._checkpointer = WalCheckpointer(self.db.database)
            self._checkpointer.start()

    def claim_core(self) -> None:
        """SQLite serves one core process (its writers queue on one file lock, and the folding
        thread, leases and caches assume one writer process): a second core on the same file
        is refused. The claim is an exclusive lock on a file beside the database, which the
        operating system drops when the process ends, however it ends."""
        if self.engine != "sqlite" or self.db.database == ":memory:" or self._core_claim:
            return
        path = Path(self.db.database).with_name(Path(self.db.database).name + ".core-lock")
        claim = open(path, "a+")
        try:
            fcntl.flock(claim, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            claim.close()
            raise CoreAlreadyServing(
                f"another Roost core is already serving the SQLite database {self.db.database}."
                " SQLite serves one core: stop the other one, or move to PostgreSQL or MySQL"
                " to run several cores (docs/deploy.md)") from None
        claim.seek(0)
        claim.truncate()
        claim.write(f"{os.getpid()}\n")
        claim.flush()
        self._core_claim = claim

    def close(self) -> None:
        if self._core_claim is not None:
            self._core_claim.close()  # releases the lock
            self._core_claim = None
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        self.db.close_all()


class SqlArea:
    """Base of the per-area stores: the shared database, transactions, row locks and the run
    and project records several areas return."""

    def __init__(self, database: SqlDatabase):
        self.database = database
        self.db = database.db  # connection_per_call checks connections out of it
        self.statements = database.statements
        self.engine = database.engine
        self.history = database.history

    @without_connection
    def write(self):
        """A write transaction. SQLite takes the write lock up front (BEGIN IMMEDIATE): a read
        that later upgrades to a write fails at once with "database is locked" when another
        connection wrote in between, while IMMEDIATE waits for busy_timeout instead."""
        if self.engine == "sqlite":
            return self.db.atomic("IMMEDIATE")
        return self.db.atomic()

    def _locking(self, query):
        """``query`` taking row locks, inside write(): SQLite's write() already holds the
        database's write lock."""
        return query if self.engine == "sqlite" else query.for_update()

    def _locked_run(self, run_id: int) -> Run | None:
        return self.statements.first("lock-run", lambda rid: self._locking(
            Run.select().where(Run.id == rid).limit(1)), run_id)

    def _lock_run(self, run_id: int) -> Run:
        run = self._locked_run(run_id)
        if run is None:
            raise NotFound(f"run {run_id} does not exist")
        return run

    # -- run records -------------------------------------------------------------------------
    def _run_query(self):
        return (Run.select(Run, Project, Entity, User)
                .join(Project).join(Entity)
                .switch(Run).join(User, peewee.JOIN.LEFT_OUTER))

    def _run_by_id(self, run_id: int, tails: bool) -> dict | None:
        run = self.statements.first("run-by-id", lambda rid: self._run_query().where(
            Run.id == rid).limit(1), run_id)
        return self._run_dict(run, tails=tails) if run else None

    def _tail(self, model, run_id: int, count: int) -> str:
        if count <= 0:
            return "[]"
        rows = (model.select(model.data).where((model.run == run_id) & (model.line >= count - TAIL_LINES))
                .order_by(model.line))
        return json.dumps([r.data for r in rows])

    def _run_dict(self, run: Run, tails: bool = False) -> dict:
        user = run.user if run.user_id else None
        record = {
            "id": str(run.id), "entity": run.project.entity.name, "project": run.project.name,
            "project_id": str(run.project_id), "name": run.name,
            "display_name": run.display_name, "state": run.state, "config": run.config,
            "summary_metrics": run.summary, "system_metrics": run.system_metrics,
            "tags": json.loads(run.tags or "[]"), "notes": run.notes,
            "description": run.description, "group": run.group_name, "job_type": run.job_type,
            "host": run.host, "commit": run.commit, "program": run.program, "repo": run.repo,
            "sweep": run.sweep_name, "username": user.username if user else "",
            "user_display_name": user.name if user else "",
            "created_at": run.created_at, "heartbeat_at": run.heartbeat_at,
            "updated_at": run.updated_at, "history_line_count": run.history_line_count,
            "events_line_count": run.events_line_count, "log_line_count": run.log_line_count,
            "stopped": run.stopped, "history_keys": run.history_keys,
        }
        if run.exitcode is not None:
            record["exitcode"] = run.exitcode
        if tails:
            record["history_tail"] = self._tail(HistoryLine, run.id, run.history_line_count)
            record["events_tail"] = self._tail(EventLine, run.id, run.events_line_count)
        return record

    # -- projects ----------------------------------------------------------------------------
    def _project(self, entity_name: str, project_name: str, create: bool) -> Project | None:
        entity = Entity.get_or_none(Entity.name == entity_name)
        if entity is None:
            raise NotFound(f"entity {entity_name!r} does not exist")
        project = Project.get_or_none((Project.entity == entity) & (Project.name == project_name))
        if project is None and create:
            try:
                with self.db.atomic():
                    project = Project.create(entity=entity, name=project_name)
            except peewee.IntegrityError:
                project = Project.get((Project.entity == entity) & (Project.name == project_name))
        return project

    def _project_id(self, entity: str, project: str) -> int | None:
        return (Project.select(Project.id).join(Entity)
                .where((Entity.name == entity) & (Project.name == project)).scalar())

    def _database_errors(self, action):
        """Run a read; a filter the engine itself rejects (a regex PostgreSQL or MySQL cannot
        compile) is the caller's mistake, reported as such."""
        try:
            with self.db.atomic():
                return action()
        except (peewee.DataError, peewee.ProgrammingError, peewee.OperationalError) as exc:
            text = str(exc).lower()
            if "regular expression" in text or "regexp" in text or "regex" in text:
                raise InvalidArgument(f"the database rejected a $regex in the filters: "
                                      f"{str(exc).strip()}") from None
            raise
