"""Tables for identity: web sign-ins, SCIM bearer tokens and SCIM links (which users and teams
an identity provider manages, under which external id). API keys are in models.py."""

from __future__ import annotations

from peewee import CharField, DoubleField, ForeignKeyField, IntegerField

from roost.plugins.sql.models import BaseModel, User, now


class SignIn(BaseModel):
    """One web sign-in. The name is copied so the record outlives the account."""

    user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    username = CharField(max_length=64)
    method = CharField(max_length=32)
    at = DoubleField(default=now)
    remote_addr = CharField(max_length=64, default="")

    class Meta:
        indexes = ((("method", "at"), False),)


class ScimToken(BaseModel):
    token_hash = CharField(max_length=64, unique=True)
    description = CharField(max_length=255, default="")
    created_by = CharField(max_length=64, default="")
    created_at = DoubleField(default=now)
    last_used_at = DoubleField(null=True)
    revoked_at = DoubleField(null=True)


class ScimLink(BaseModel):
    kind = CharField(max_length=8)  # "user" or "group" (a team)
    target = IntegerField()  # user id or team entity id
    external_id = CharField(max_length=255, default="")
    # The name the provider knows it by (userName / displayName), e.g. an e-mail address.
    scim_name = CharField(max_length=255, default="")
    deleted_at = DoubleField(null=True)

    class Meta:
        indexes = ((("kind", "target"), True),)


class ExternalIdentity(BaseModel):
    """Who a person is at a sign-in source (an OpenID provider's issuer and subject), so a
    later sign-in finds the same account whatever their name or e-mail has become."""

    source = CharField(max_length=255)
    subject = CharField(max_length=255)
    user = ForeignKeyField(User, on_delete="CASCADE")
    created_at = DoubleField(default=now)

    class Meta:
        indexes = ((("source", "subject"), True),)


MODELS = [SignIn, ScimToken, ScimLink, ExternalIdentity]
