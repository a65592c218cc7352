"""Peewee models. Tables are bound to a database by SqlStorage, never at import time.

Portable rules (SQLite, PostgreSQL and MySQL/MariaDB): free text and JSON are LongTextField
(MySQL's TEXT holds only 64 KiB); a unique index stays under InnoDB's 3072-byte key limit at
4 bytes a character (tests check it); ``without_rowid`` may be declared, database.bind_models
keeps it on SQLite only.
"""

from __future__ import annotations

import time

from peewee import (BigIntegerField, BooleanField, CharField, CompositeKey, DoubleField,
                    ForeignKeyField, IntegerField, Model, TextField)


def now() -> float:
    return time.time()


class LongTextField(TextField):
    field_type = "LONGTEXT"


class BaseModel(Model):
    class Meta:
        legacy_table_names = False


class SchemaVersion(BaseModel):
    # Unique: two processes that both believed they applied a migration cannot both record it.
    version = IntegerField(unique=True)


class Entity(BaseModel):
    name = CharField(max_length=64, unique=True)
    kind = CharField(max_length=8)  # "user" or "team"
    created_at = DoubleField(default=now)


class User(BaseModel):
    username = CharField(max_length=64, unique=True)
    name = CharField(max_length=128, default="")
    email = CharField(max_length=254, default="")
    password_hash = CharField(max_length=255, null=True)
    admin = BooleanField(default=False)
    disabled = BooleanField(default=False)
    entity = ForeignKeyField(Entity, on_delete="CASCADE")
    created_at = DoubleField(default=now)


class TeamMember(BaseModel):
    team = ForeignKeyField(Entity, on_delete="CASCADE")
    user = ForeignKeyField(User, on_delete="CASCADE")
    role = CharField(max_length=16, default="member")

    class Meta:
        indexes = ((("team", "user"), True),)


class ApiKey(BaseModel):
    user = ForeignKeyField(User, on_delete="CASCADE")
    key_hash = CharField(max_length=64, unique=True)
    hint = CharField(max_length=16)
    description = CharField(max_length=255, default="")
    created_at = DoubleField(default=now)
    last_used_at = DoubleField(null=True)
    revoked_at = DoubleField(null=True)
    expires_at = DoubleField(null=True)


class Project(BaseModel):
    entity = ForeignKeyField(Entity, on_delete="CASCADE")
    name = CharField(max_length=128)
    description = LongTextField(default="")
    visibility = CharField(max_length=16, null=True)
    created_at = DoubleField(default=now)

    class Meta:
        indexes = ((("entity", "name"), True),)


class Run(BaseModel):
    project = ForeignKeyField(Project, on_delete="CASCADE")
    name = CharField(max_length=128)
    display_name = CharField(max_length=255, default="")
    state = CharField(max_length=16, default="running")
    config = LongTextField(default="{}")
    summary = LongTextField(default="{}")
    system_metrics = LongTextField(default="{}")
    history_keys = LongTextField(default="{}")
    tags = LongTextField(default="[]")
    notes = LongTextField(default="")
    description = LongTextField(default="")
    group_name = CharField(max_length=255, default="")
    job_type = CharField(max_length=255, default="")
    host = CharField(max_length=255, default="")
    commit = CharField(max_length=255, default="")
    program = CharField(max_length=1024, default="")
    repo = CharField(max_length=1024, default="")
    sweep_name = CharField(max_length=64, default="")
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DoubleField(default=now)
    heartbeat_at = DoubleField(default=now)
    updated_at = DoubleField(default=now)
    history_line_count = BigIntegerField(default=0)
    # History lines [0, rollup_line_count) are folded into the rollups (history_folder.py).
    rollup_line_count = BigIntegerField(default=0)
    events_line_count = BigIntegerField(default=0)
    # Added to the client's events line numbers: wandb 0.21 restarts them at 0 on resume.
    events_shift = BigIntegerField(default=0)
    log_line_count = BigIntegerField(default=0)
    exitcode = IntegerField(null=True)
    stopped = BooleanField(default=False)

    class Meta:
        indexes = ((("project", "name"), True), (("project", "created_at"), False))


class HistoryLine(BaseModel):
    run = IntegerField()
    line = BigIntegerField()
    step = BigIntegerField(null=True)
    data = LongTextField()

    class Meta:
        primary_key = CompositeKey("run", "line")
        indexes = ((("run", "step"), False),)
        without_rowid = True


class EventLine(BaseModel):
    run = IntegerField()
    line = BigIntegerField()
    data = LongTextField()

    class Meta:
        primary_key = CompositeKey("run", "line")
        without_rowid = True


class ConsoleLine(BaseModel):
    run = IntegerField()
    line = BigIntegerField()
    data = LongTextField()

    class Meta:
        primary_key = CompositeKey("run", "line")
        without_rowid = True


class RunFile(BaseModel):
    run = ForeignKeyField(Run, on_delete="CASCADE")
    name = CharField(max_length=512)
    key = CharField(max_length=600, unique=True)
    size = BigIntegerField(default=0)
    md5 = CharField(max_length=32, default="")
    mimetype = CharField(max_length=128, default="")
    updated_at = DoubleField(default=now)
    uploaded = BooleanField(default=False)

    class Meta:
        indexes = ((("run", "name"), True),)


MODELS = [SchemaVersion, Entity, User, TeamMember, ApiKey, Project, Run, HistoryLine, EventLine,
          ConsoleLine, RunFile]
