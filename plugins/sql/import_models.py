"""The import state table of `roost import` (its store: import_store.py)."""

from __future__ import annotations

from peewee import BooleanField, CharField, DoubleField

from roost.plugins.sql.models import BaseModel, LongTextField, now


class ImportRecord(BaseModel):
    """One object of a source as last imported. ``key`` is a digest of (source, kind,
    source id), so a unique index fits every engine whatever the lengths."""

    key = CharField(max_length=64, unique=True)
    scope = CharField(max_length=64, index=True)  # digest of (source, kind)
    source = LongTextField()
    kind = CharField(max_length=16)
    source_id = LongTextField()
    target_id = CharField(max_length=64, default="")
    # What the source showed when the object was last imported whole (source-defined text).
    fingerprint = CharField(max_length=64, default="")
    complete = BooleanField(default=False)
    detail = LongTextField(default="{}")
    updated_at = DoubleField(default=now)


MODELS = [ImportRecord]
