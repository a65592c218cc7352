"""Tables for tenancy and administration: service accounts, share links, invites, the audit
log and server settings. Users, teams (entities), memberships and keys are in models.py."""

from __future__ import annotations

from peewee import CharField, DoubleField, ForeignKeyField

from roost.plugins.sql.models import BaseModel, Entity, LongTextField, Project, User, now


class ServiceAccount(BaseModel):
    """Marks a User row as a team-owned service account (a CI job's identity)."""

    user = ForeignKeyField(User, unique=True, on_delete="CASCADE")
    team = ForeignKeyField(Entity, on_delete="CASCADE")
    description = CharField(max_length=255, default="")
    created_at = DoubleField(default=now)


class ShareLink(BaseModel):
    """Read-only access to one project, or one run of it, for whoever holds the token."""

    token_hash = CharField(max_length=64, unique=True)
    project = ForeignKeyField(Project, on_delete="CASCADE")
    # Empty: the whole project.
    run_name = CharField(max_length=128, default="")
    description = CharField(max_length=255, default="")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DoubleField(default=now)
    expires_at = DoubleField(null=True)
    revoked_at = DoubleField(null=True)


class Invite(BaseModel):
    """A single-use sign-up link, optionally joining a team with a role."""

    token_hash = CharField(max_length=64, unique=True)
    team = ForeignKeyField(Entity, null=True, on_delete="CASCADE")
    role = CharField(max_length=16, default="member")
    email = CharField(max_length=254, default="")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DoubleField(default=now)
    expires_at = DoubleField(null=True)
    accepted_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    accepted_at = DoubleField(null=True)
    revoked_at = DoubleField(null=True)


class AuditEntry(BaseModel):
    """One admin action or permission change. Names are copied, not linked, so the record
    outlives the user, team or project it mentions."""

    at = DoubleField(default=now, index=True)
    actor = CharField(max_length=64, default="")
    action = CharField(max_length=64, index=True)
    target = CharField(max_length=255, default="")
    detail = LongTextField(default="{}")


class Setting(BaseModel):
    name = CharField(max_length=64, unique=True)
    value = LongTextField(default="")
    updated_at = DoubleField(default=now)


MODELS = [ServiceAccount, ShareLink, Invite, AuditEntry, Setting]
