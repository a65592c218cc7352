"""Peewee models for saved views: workspace views and reports (one table, as W&B's
``upsertView`` stores both), and the view-only access tokens of reports."""

from __future__ import annotations

from peewee import CharField, DoubleField, ForeignKeyField, TextField

from roost.plugins.sql.models import BaseModel, LongTextField, Project, User, now


class SavedView(BaseModel):
    project = ForeignKeyField(Project, on_delete="CASCADE")
    # "project-view" (workspace), "runs" (report), "runs/draft", ... as the client sent it.
    type = CharField(max_length=64)
    # The client's name: "nw-<id>-v" for workspace views, a random name for reports.
    name = CharField(max_length=128)
    display_name = CharField(max_length=255, default="")
    description = TextField(default="")
    # The spec JSON text exactly as sent: unknown panels and blocks are never lost.
    spec = LongTextField()
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    # Set for a personal view: only this user sees and changes it.
    owner = ForeignKeyField(User, null=True, on_delete="CASCADE", backref="personal_views")
    # A draft's published report.
    parent = ForeignKeyField("self", null=True, on_delete="CASCADE")
    # JSON list of the usernames who saved it, creator first.
    authors = TextField(default="[]")
    created_at = DoubleField(default=now)
    updated_at = DoubleField(default=now)

    class Meta:
        table_name = "saved_view"
        indexes = ((("project", "name"), True), (("project", "type", "updated_at"), False))


class ViewAccessToken(BaseModel):
    view = ForeignKeyField(SavedView, on_delete="CASCADE")
    # The token is derived from this nonce with a key only the core holds; the hash finds it.
    nonce = CharField(max_length=64)
    token_hash = CharField(max_length=64, unique=True)
    type = CharField(max_length=16, default="PUBLIC")
    # JSON list of [entity, project] pairs whose runs the link may read (the report's runsets).
    projects = TextField(default="[]")
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DoubleField(default=now)
    revoked_at = DoubleField(null=True)

    class Meta:
        table_name = "view_access_token"


MODELS = [SavedView, ViewAccessToken]
