"""Tables for coordination between core processes: leases and sign-in failures
(core/storage/coordination.py). Both hold short-lived state, so an export leaves them out."""

from __future__ import annotations

from peewee import CharField, DoubleField

from roost.plugins.sql.models import BaseModel


class Lease(BaseModel):
    name = CharField(max_length=64, primary_key=True)
    holder = CharField(max_length=128)
    expires_at = DoubleField()


class LoginFailure(BaseModel):
    limit_key = CharField(max_length=200)  # "user:<name>" or "addr:<address>"
    at = DoubleField()

    class Meta:
        indexes = ((("limit_key", "at"), False),)


MODELS = [Lease, LoginFailure]
