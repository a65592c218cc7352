"""Storage area ``run_files`` (roost.core.storage.run_files) on the sql plugin's tables."""

from __future__ import annotations

import secrets
import time

import peewee
from peewee import fn

from roost.plugins.sql.area import SqlArea, page_of, record_id
from roost.plugins.sql.database import connection_per_call
from roost.plugins.sql.models import RunFile


def _like_pattern(pattern: str) -> str:
    """wandb's file ``pattern`` is MySQL LIKE syntax (``%``, ``_``); ``*`` is accepted as ``%``."""
    return pattern.replace("*", "%").lower()


def _file_dict(record: RunFile) -> dict:
    return {"id": str(record.id), "name": record.name, "key": record.key,
            "size": record.size, "md5": record.md5, "mimetype": record.mimetype,
            "updated_at": record.updated_at, "uploaded": record.uploaded}


@connection_per_call
class RunFileStore(SqlArea):
    def register_run_files(self, run_id, names):
        rid = record_id(run_id)
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
                records.append(_file_dict(record))
        return records

    def mark_run_file_uploaded(self, key, size, md5):
        record = RunFile.get_or_none(RunFile.key == key)
        if record is None:
            return None
        record.size, record.md5, record.uploaded, record.updated_at = size, md5, True, time.time()
        record.save()
        return _file_dict(record)

    def mark_run_files_present(self, run_id, names):
        RunFile.update(uploaded=True).where((RunFile.run == record_id(run_id))
                                            & RunFile.name.in_(names)).execute()

    def list_run_files(self, run_id, names, after, first, pattern):
        query = RunFile.select().where((RunFile.run == record_id(run_id))
                                       & (RunFile.uploaded == True))  # noqa: E712
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
        rows, has_next = page_of(query.order_by(RunFile.name), first)
        return [_file_dict(r) for r in rows], has_next, total

    def get_run_file(self, run_id, name):
        record = RunFile.get_or_none((RunFile.run == record_id(run_id)) & (RunFile.name == name))
        return _file_dict(record) if record else None
