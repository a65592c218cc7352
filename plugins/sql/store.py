"""SqlStorage: the Storage interface on peewee (SQLite, PostgreSQL, MySQL/MariaDB)."""

from __future__ import annotations

import json
import secrets
import threading
import time
from itertools import repeat
from typing import Any

import peewee
from peewee import fn

from roost.core.errors import AlreadyExists, Conflict, InvalidArgument, NotFound
from roost.core.storage import FileStreamUpdate, Storage, StreamLines
from roost.plugins.sql import migrations
from roost.plugins.sql import run_filters, run_search
from roost.plugins.sql.artifacts_store import ArtifactSqlMixin
from roost.plugins.sql.history_engine import HistoryEngine
from roost.plugins.sql.history_folder import HistoryFolder, HistoryFoldMixin, ParsedLines
from roost.plugins.sql.read_store import ReadSqlMixin
from roost.plugins.sql.statements import Statements
from roost.plugins.sql.sweeps_store import SweepSqlMixin
from roost.plugins.sql.wal_checkpoints import WalCheckpointer
from roost.plugins.sql.tenancy_store import TenancyStore
from roost.plugins.sql.ui_store import UiStore
from roost.plugins.sql.database import (bind_models, connection_per_call, engine, open_database,
                                        without_connection)
from roost.plugins.sql.models import (ApiKey, ConsoleLine, Entity, EventLine, HistoryLine,
                                      Project, Run, RunFile, TeamMember, User)

# Run fields a client may set through upsert, mapped to their columns.
RUN_FIELDS = {
    "display_name": "display_name", "description": "description", "notes": "notes",
    "group": "group_name", "job_type": "job_type", "config": "config",
    "summary_metrics": "summary", "host": "host", "commit": "commit", "program": "program",
    "repo": "repo", "sweep": "sweep_name", "state": "state", "stopped": "stopped",
}
TAIL_LINES = 1
# What a file_stream request may change in its run's row (written with one prepared UPDATE).
FILE_STREAM_COLUMNS = ("history_line_count", "rollup_line_count", "events_line_count",
                       "events_shift", "log_line_count", "summary", "system_metrics",
                       "history_keys", "exitcode", "state", "heartbeat_at", "updated_at")


def _id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(f"no record with id {value!r}") from None


def _too_long(model, values: dict[str, Any]) -> None:
    """Refuse text longer than its column the same way on every engine: SQLite would store
    it, PostgreSQL and MySQL (strict mode) would fail with an engine-specific error."""
    for column, value in values.items():
        limit = getattr(model._meta.fields[column], "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            raise InvalidArgument(f"{column.removesuffix('_name')} is {len(value)} characters "
                                  f"long; the limit is {limit}")


def _text(value: str) -> str:
    # PostgreSQL cannot store NUL in text; replacing it everywhere keeps the engines identical.
    return value.replace("\x00", "\ufffd") if "\x00" in value else value


def _like_pattern(pattern: str) -> str:
    """wandb's file ``pattern`` is MySQL LIKE syntax (``%``, ``_``); ``*`` is accepted as ``%``."""
    return pattern.replace("*", "%").lower()


def _version_text(version) -> str:
    if isinstance(version, int):  # PostgreSQL: 150020 is 15.20
        return f"{version // 10000}.{version % 10000}"
    return ".".join(str(part) for part in version)


# One process serves one database: the models are bound to it when the store opens.
@connection_per_call
class SqlStorage(ArtifactSqlMixin, TenancyStore, ReadSqlMixin, UiStore, SweepSqlMixin,
                 HistoryFoldMixin, Storage):
    def __init__(self, url: str, sqlite_synchronous: str = "normal",
                 background_rollups: bool = True):
        """``background_rollups``: fold history into its rollups on a thread after each
        commit (history_folder.py); False folds in the request, after the commit."""
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
        if self.engine == "sqlite" and self.db.database != ":memory:":
            self._checkpointer = WalCheckpointer(self.db.database)
            self._checkpointer.start()
        self._fold_lock = threading.Lock()
        self._ingest_lock, self._ingests = threading.Lock(), 0
        self._folder = HistoryFolder(self.fold_held_history) if background_rollups else None
        if self._folder is not None:
            self._folder.start()

    # -- lifecycle ---------------------------------------------------------------------------
    def health(self) -> str:
        self.db.execute_sql("SELECT 1").fetchone()
        return self.name

    @without_connection
    def close(self) -> None:
        if self._folder is not None:
            self._folder.stop()  # folds what is waiting first
            self._folder = None
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        self.db.close_all()

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

    # -- users and keys ----------------------------------------------------------------------
    def _user_dict(self, user: User) -> dict:
        return {"id": str(user.id), "username": user.username, "email": user.email,
                "admin": user.admin, "disabled": user.disabled, "entity": user.entity.name,
                "name": user.name, "created_at": user.created_at,
                "password_hash": user.password_hash, "teams": self.teams_of(user.id),
                "kind": self.account_kind(user.id)}

    def create_user(self, username, email, password_hash, admin):
        taken = AlreadyExists(f"the name {username!r} is already taken by a user or team")
        _too_long(User, {"username": username, "email": email or ""})
        try:
            with self.write():
                if Entity.select().where(Entity.name == username).exists():
                    raise taken
                entity = Entity.create(name=username, kind="user")
                user = User.create(username=username, email=email or "",
                                   password_hash=password_hash, admin=admin, entity=entity,
                                   name=username)
        except peewee.IntegrityError:  # another request created the same name first
            raise taken from None
        return self._user_dict(user)

    def get_user(self, username):
        user = User.select(User, Entity).join(Entity).where(User.username == username).first()
        return self._user_dict(user) if user else None

    def get_user_by_id(self, user_id):
        # Every API-key request reads its user: a prepared template, not peewee's SQL per call.
        user = self.statements.first("user-by-id", lambda uid: User.select(User, Entity).join(
            Entity).where(User.id == uid).limit(1), _id(user_id))
        return self._user_dict(user) if user else None

    def count_users(self):
        return User.select().count()

    @staticmethod
    def _key_dict(key: ApiKey, username: str = "") -> dict:
        return {"id": str(key.id), "user_id": str(key.user_id), "username": username,
                "description": key.description, "hint": key.hint, "created_at": key.created_at,
                "last_used_at": key.last_used_at or 0.0, "revoked": key.revoked_at is not None}

    def create_api_key(self, user_id, key_hash, hint, description):
        _too_long(ApiKey, {"description": description or "", "hint": hint})
        key = ApiKey.create(user=_id(user_id), key_hash=key_hash, hint=hint,
                            description=description or "")
        return self._key_dict(key)

    def find_api_key(self, key_hash):
        key = self.statements.first("live-key", lambda digest: ApiKey.select().where(
            (ApiKey.key_hash == digest) & ApiKey.revoked_at.is_null()).limit(1), key_hash)
        return self._key_dict(key) | {"key_hash": key.key_hash} if key else None

    def touch_api_key(self, key_id, when):
        ApiKey.update(last_used_at=when).where(ApiKey.id == _id(key_id)).execute()

    def list_api_keys(self, user_id):
        keys = ApiKey.select(ApiKey, User).join(User).where(ApiKey.user == _id(user_id))
        return [self._key_dict(k, k.user.username) for k in keys.order_by(ApiKey.id)]

    def revoke_api_key(self, key_id):
        key = ApiKey.get_or_none(ApiKey.id == _id(key_id))
        if key is None:
            return None
        if key.revoked_at is None:
            key.revoked_at = time.time()
            key.save()
        return self._key_dict(key)

    def get_entity(self, name):
        entity = Entity.get_or_none(Entity.name == name)
        return {"id": str(entity.id), "name": entity.name, "kind": entity.kind} if entity else None

    def teams_of(self, user_id):
        return [name for name, in self.statements.rows(
            "teams-of", lambda uid: Entity.select(Entity.name).join(
                TeamMember, on=TeamMember.team == Entity.id).where(TeamMember.user == uid)
            .order_by(Entity.name).tuples(), _id(user_id))]

    def get_project(self, entity, name):
        project = (Project.select(Project, Entity).join(Entity)
                   .where((Entity.name == entity) & (Project.name == name)).first())
        if project is None:
            return None
        return {"id": str(project.id), "entity": entity, "name": project.name,
                "description": project.description, "created_at": project.created_at,
                "run_count": Run.select().where(Run.project == project).count()}

    # -- runs --------------------------------------------------------------------------------
    def _run_query(self):
        return (Run.select(Run, Project, Entity, User)
                .join(Project).join(Entity)
                .switch(Run).join(User, peewee.JOIN.LEFT_OUTER))

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

    def upsert_run(self, entity, project, name, run_id, fields, user_id):
        values = {RUN_FIELDS[k]: _text(v) if isinstance(v, str) else v
                  for k, v in fields.items() if k in RUN_FIELDS}
        if "tags" in fields:
            values["tags"] = json.dumps(list(fields["tags"]))
        _too_long(Run, values | ({"name": name} if name else {}))
        now = time.time()
        values["updated_at"] = now
        with self.write():
            if run_id:
                run = self._lock_run(_id(run_id))
                inserted = False
            else:
                proj = self._project(entity, project, create=True)
                run = Run.get_or_none((Run.project == proj) & (Run.name == name))
                inserted = run is None
                if inserted:
                    try:
                        with self.db.atomic():
                            run = Run.create(project=proj, name=name, user=_id(user_id),
                                             created_at=now, heartbeat_at=now, **values)
                    except peewee.IntegrityError:
                        # Another request created it first: update that one instead.
                        run = Run.get((Run.project == proj) & (Run.name == name))
                        inserted = False
            if not inserted:
                for column, value in values.items():
                    setattr(run, column, value)
                run.save()
            run_search.index_run(run.id, values.get("config"), values.get("summary"))
        return self.get_run_by_id(run.id, tails=True), inserted

    def get_run(self, entity, project, name, tails=True):
        # Every file_stream request looks its run up: a prepared template.
        run = self.statements.first("run-by-name", lambda e, p, n: self._run_query().where(
            (Entity.name == e) & (Project.name == p) & (Run.name == n)).limit(1),
            entity, project, name)
        return self._run_dict(run, tails=tails) if run else None

    def get_run_by_id(self, run_id, tails=True):
        run = self.statements.first("run-by-id", lambda rid: self._run_query().where(
            Run.id == rid).limit(1), _id(run_id))
        return self._run_dict(run, tails=tails) if run else None

    def delete_run(self, run_id):
        rid = _id(run_id)
        if self._folder is not None:
            self._folder.forget(rid)
        with self.write():
            # The run's row first, as every writer of its rows takes it (the history folder
            # too): no two of them can wait on each other.
            self._locked_run(rid)
            keys = [f.key for f in RunFile.select(RunFile.key).where(RunFile.run == rid)
                    .order_by(RunFile.name)]
            for model in (HistoryLine, EventLine, ConsoleLine):
                model.delete().where(model.run == rid).execute()
            RunFile.delete().where(RunFile.run == rid).execute()
            self.history.delete_run(rid)
            run_search.RunSearch.delete().where(run_search.RunSearch.run == rid).execute()
            Run.delete().where(Run.id == rid).execute()
        return keys

    # -- file_stream -------------------------------------------------------------------------
    def _append(self, model, run_id: int, count: int, label: str, chunk: StreamLines,
                with_steps: bool) -> int:
        """Append-only write; returns the new line count."""
        if chunk.offset > count:
            raise InvalidArgument(
                f"{label}: chunk starts at line {chunk.offset} but the run has {count} lines; "
                f"lines {count}-{chunk.offset - 1} were never sent")
        overlap = min(count - chunk.offset, len(chunk.lines))
        if overlap > 0:
            stored = {r.line: r.data for r in model.select(model.line, model.data).where(
                (model.run == run_id) & (model.line >= chunk.offset)
                & (model.line < chunk.offset + overlap))}
            for i in range(overlap):
                if stored.get(chunk.offset + i) != chunk.lines[i]:
                    raise Conflict(
                        f"{label}: line {chunk.offset + i} is already stored with different "
                        "content; history and events are append-only")
        numbers = range(chunk.offset + overlap, chunk.offset + len(chunk.lines))
        if with_steps:
            # strict: a producer that sent fewer steps than lines is a bug, not lines to drop.
            self._insert_rows(model, ("run", "line", "step", "data"), list(zip(
                repeat(run_id, len(numbers)), numbers, chunk.steps[overlap:],
                chunk.lines[overlap:], strict=True)))
        else:
            self._insert_rows(model, ("run", "line", "data"), list(zip(
                repeat(run_id), numbers, chunk.lines[overlap:])))
        return max(count, chunk.offset + len(chunk.lines))

    def _append_events(self, run: Run, chunk: StreamLines) -> int:
        """Events are append-only like history, with one allowance: wandb 0.21 restarts the
        events line numbers at 0 when it resumes a run (its resume replaces every offset with the
        history count). A chunk at offset 0 that conflicts with stored lines is such a restart:
        it is stored after the existing lines, and the client's later offsets are shifted by the
        same amount, so its retries are still recognised as retries."""
        label = "wandb-events.jsonl"
        shifted = StreamLines(chunk.offset + run.events_shift, chunk.lines)
        try:
            return self._append(EventLine, run.id, run.events_line_count, label, shifted,
                                with_steps=False)
        except Conflict:
            if chunk.offset != 0:
                raise
        run.events_shift = run.events_line_count
        return self._append(EventLine, run.id, run.events_line_count, label,
                            StreamLines(run.events_shift, chunk.lines), with_steps=False)

    def _insert_rows(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """Bulk insert with prepared multi-row statements: peewee builds SQL per row, which
        costs more than the insert itself at file_stream rates (1,000 lines per request)."""
        self.statements.insert_many(model, columns, rows)

    def _write_console(self, run_id: int, count: int, chunk: StreamLines) -> int:
        if chunk.offset > count:
            raise InvalidArgument(
                f"output.log: chunk starts at line {chunk.offset} but the run has {count} lines")
        end = chunk.offset + len(chunk.lines)
        ConsoleLine.delete().where((ConsoleLine.run == run_id) & (ConsoleLine.line >= chunk.offset)
                                   & (ConsoleLine.line < end)).execute()
        self._insert_rows(ConsoleLine, ("run", "line", "data"),
                          [(run_id, chunk.offset + i, _text(line))
                           for i, line in enumerate(chunk.lines)])
        return max(count, end)

    @staticmethod
    def _merge_history_keys(stored: str, delta: dict) -> str:
        current = json.loads(stored or "{}")
        keys = current.setdefault("keys", {})
        for key, type_counts in delta.get("keys", {}).items():
            counts = {tc["type"]: tc["count"] for tc in keys.get(key, {}).get("typeCounts", [])}
            for type_name, count in type_counts.items():
                counts[type_name] = counts.get(type_name, 0) + count
            keys[key] = {"typeCounts": [{"type": t, "count": c} for t, c in counts.items()]}
        last = delta.get("lastStep")
        if last is not None and last > current.get("lastStep", -1):
            current["lastStep"] = last
        return json.dumps(current)

    def apply_file_stream(self, run_id, update: FileStreamUpdate):
        with self._ingesting() as alone:
            return self._apply_file_stream(_id(run_id), update, alone)

    def _apply_file_stream(self, rid: int, update: FileStreamUpdate, alone: bool) -> dict:
        now = time.time()
        history = update.history
        # Alone, a request leaves its rollups to the folding thread, which works while the
        # answer travels; with others in flight the core has no idle time to give, and the
        # request folds its own lines in its own transaction (one commit, not two), their
        # aggregates computed before the lock.
        defer = alone and self._folder is not None
        columns = self._columns(history) if history else None
        prepared = None if defer or not history else self.history.prepare(
            history.offset, columns, len(history.lines))
        appended = None
        with self.write():
            run = self._lock_run(rid)
            if history:
                stored = run.history_line_count
                run.history_line_count = self._append(
                    HistoryLine, rid, stored, "wandb-history.jsonl", history, with_steps=True)
                if run.history_line_count > stored:
                    appended = self._parsed_lines(run, history, columns, stored)
                if appended is not None and not defer and run.rollup_line_count == stored:
                    if prepared is None or prepared[:2] != (stored, appended.count):
                        prepared = self.history.prepare(stored, appended.columns, appended.count)
                    self.history.record(rid, prepared)
                    run.rollup_line_count = run.history_line_count
                    appended = None
            if update.events:
                run.events_line_count = self._append_events(run, update.events)
            if update.console:
                run.log_line_count = self._write_console(rid, run.log_line_count, update.console)
            if update.summary is not None:
                run.summary = update.summary
                run_search.index_run(rid, summary=update.summary)
            if update.system_metrics is not None:
                run.system_metrics = update.system_metrics
            if update.history_keys:
                run.history_keys = self._merge_history_keys(run.history_keys, update.history_keys)
            if update.uploaded:
                self.mark_run_files_present(rid, update.uploaded)
            if update.complete:
                run.exitcode = update.exitcode
                run.state = "finished" if not update.exitcode else "failed"
            elif update.preempting:
                run.state = "preempting"
            elif run.state in ("finished", "failed", "crashed", "preempting") and (
                    update.history or update.events or update.console):
                run.state = "running"
            run.heartbeat_at = now
            run.updated_at = now
            self.statements.execute(
                "file-stream-update", lambda rid, *values: Run.update(
                    dict(zip(FILE_STREAM_COLUMNS, values))).where(Run.id == rid),
                rid, *(getattr(run, column) for column in FILE_STREAM_COLUMNS))
        if appended is not None:  # rollups are folded in after the commit
            self._fold_later(rid, appended, run.history_line_count - run.rollup_line_count)
        return self.get_run_by_id(rid, tails=False)

    def _columns(self, history: StreamLines) -> dict[str, list]:
        """The chunk's values by key: as the core parsed them, or parsed here for a producer
        that did not."""
        if history.columns and all(len(column) == len(history.lines)
                                   for column in history.columns.values()):
            return history.columns
        return self.history.columns_of_texts(history.lines)

    @staticmethod
    def _parsed_lines(run: Run, history: StreamLines, columns: dict[str, list],
                      stored: int) -> ParsedLines:
        """The lines of ``history`` from line ``stored`` on (a retry re-sends earlier ones)."""
        skip = stored - history.offset
        if skip:
            columns = {key: column[skip:] for key, column in columns.items()}
        return ParsedLines(stored, len(history.lines) - skip, columns, run.created_at)

    def read_console(self, run_id, offset, limit):
        rid = _id(run_id)
        rows = (ConsoleLine.select(ConsoleLine.data)
                .where((ConsoleLine.run == rid) & (ConsoleLine.line >= offset))
                .order_by(ConsoleLine.line).limit(limit))
        total = Run.select(Run.log_line_count).where(Run.id == rid).scalar() or 0
        return [r.data for r in rows], total

    def read_history(self, run_id, stream, min_step, max_step, limit):
        rid = _id(run_id)
        if stream == "events":
            query = EventLine.select(EventLine.data).where(EventLine.run == rid).order_by(EventLine.line)
        else:
            query = HistoryLine.select(HistoryLine.data).where(HistoryLine.run == rid)
            if min_step is not None:
                query = query.where(HistoryLine.step >= min_step)
            if max_step is not None:
                query = query.where(HistoryLine.step < max_step)
            query = query.order_by(HistoryLine.step, HistoryLine.line)
        if limit:
            query = query.limit(limit)
        return [r.data for r in query]

    # -- run files ---------------------------------------------------------------------------
    @staticmethod
    def _file_dict(record: RunFile) -> dict:
        return {"id": str(record.id), "name": record.name, "key": record.key,
                "size": record.size, "md5": record.md5, "mimetype": record.mimetype,
                "updated_at": record.updated_at, "uploaded": record.uploaded}

    def register_run_files(self, run_id, names):
        rid = _id(run_id)
        records = []
        with self.write():
            existing = {f.name: f for f in RunFile.select().where(
                (RunFile.run == rid) & (RunFile.name.in_(names)))}
            for name in names:
                record = existing.get(name)
                if record is None:
                    # A random segment: SQLite may give a deleted run's id to a new run, and a
                    # still-valid signed URL of the old run must not reach the new run's files.
                    record = RunFile.create(run=rid, name=name,
                                            key=f"runs/{rid}/{secrets.token_hex(6)}/{name}")
                    existing[name] = record
                records.append(self._file_dict(record))
        return records

    def mark_run_file_uploaded(self, key, size, md5):
        record = RunFile.get_or_none(RunFile.key == key)
        if record is None:
            return None
        record.size, record.md5, record.uploaded, record.updated_at = size, md5, True, time.time()
        record.save()
        return self._file_dict(record)

    def mark_run_files_present(self, run_id, names):
        RunFile.update(uploaded=True).where((RunFile.run == _id(run_id)) & RunFile.name.in_(names)).execute()

    def list_run_files(self, run_id, names, after, first, pattern):
        query = RunFile.select().where((RunFile.run == _id(run_id)) & (RunFile.uploaded == True))  # noqa: E712
        if names:
            query = query.where(RunFile.name.in_(names))
        if pattern:
            # LOWER() on both sides and an explicit ESCAPE: SQLite's LIKE ignores ASCII case,
            # MySQL's follows the (binary) collation, PostgreSQL's never does, and only
            # PostgreSQL and MySQL escape with a backslash by default.
            query = query.where(peewee.NodeList((
                fn.LOWER(RunFile.name), peewee.SQL("LIKE"), _like_pattern(pattern),
                peewee.SQL("ESCAPE"), "\\")))
        total = query.count()
        if after:
            query = query.where(RunFile.name > after)
        rows = list(query.order_by(RunFile.name).limit(first + 1 if first else None))
        has_next = bool(first) and len(rows) > first
        return [self._file_dict(r) for r in rows[:first or None]], has_next, total

    def get_run_file(self, run_id, name):
        record = RunFile.get_or_none((RunFile.run == _id(run_id)) & (RunFile.name == name))
        return self._file_dict(record) if record else None
