"""Peewee models for sweeps: the sweep, its agents, and the runs its controller handed out.

A run joins its sweep through ``run.sweep_name`` (what the SDK's UpsertBucket sends); a
``SweepRun`` row is the controller's side of the same run, created when the run is handed to
an agent, before the SDK has written anything.
"""

from __future__ import annotations

from peewee import BooleanField, CharField, DoubleField, ForeignKeyField, TextField

from roost.plugins.sql.models import BaseModel, LongTextField, Project, User, now


class Sweep(BaseModel):
    project = ForeignKeyField(Project, on_delete="CASCADE")
    # The id clients use (wandb agent ENTITY/PROJECT/NAME).
    name = CharField(max_length=64)
    display_name = CharField(max_length=255, default="")
    description = TextField(default="")
    method = CharField(max_length=16)
    # YAML text as the client sent it.
    config = LongTextField()
    state = CharField(max_length=16, default="RUNNING")
    controller = TextField(default="")
    scheduler = TextField(default="")
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DoubleField(default=now)
    updated_at = DoubleField(default=now)
    heartbeat_at = DoubleField(null=True)

    class Meta:
        indexes = ((("project", "name"), True),)


class SweepAgent(BaseModel):
    sweep = ForeignKeyField(Sweep, on_delete="CASCADE")
    name = CharField(max_length=64)
    host = CharField(max_length=255)
    state = CharField(max_length=16, default="RUNNING")
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DoubleField(default=now)
    heartbeat_at = DoubleField(default=now)

    class Meta:
        indexes = ((("sweep", "name"), True),)


class SweepRun(BaseModel):
    sweep = ForeignKeyField(Sweep, on_delete="CASCADE")
    run_name = CharField(max_length=128)
    agent = ForeignKeyField(SweepAgent, null=True, on_delete="SET NULL")
    # JSON of the parameters handed out: {"lr": {"value": 0.1}}.
    params = LongTextField()
    state = CharField(max_length=16, default="pending")
    stop_requested = BooleanField(default=False)
    # JSON {"history": [...], "summary": v} of the metric, saved once the run ended.
    metric_history = LongTextField(default="")
    created_at = DoubleField(default=now)
    updated_at = DoubleField(default=now)

    class Meta:
        indexes = ((("sweep", "run_name"), True), (("agent", "state"), False))


MODELS = [Sweep, SweepAgent, SweepRun]
