"""Peewee models for artifacts: types, collections, versions, files, aliases, lineage, blobs.

A collection is a sequence (where versions are born) or a portfolio (where they are linked);
a version belongs to collections through memberships, each with its own version index.
File rows reference blobs by MD5, and a blob no file row references is garbage.
"""

from __future__ import annotations

from peewee import (BigIntegerField, BooleanField, CharField, DoubleField, ForeignKeyField,
                    IntegerField, TextField)

from roost.plugins.sql.models import BaseModel, LongTextField, Project, Run, now


class ArtifactType(BaseModel):
    project = ForeignKeyField(Project, on_delete="CASCADE")
    name = CharField(max_length=128)
    description = TextField(default="")
    created_at = DoubleField(default=now)

    class Meta:
        indexes = ((("project", "name"), True),)


class ArtifactCollection(BaseModel):
    project = ForeignKeyField(Project, on_delete="CASCADE")
    type = ForeignKeyField(ArtifactType, on_delete="CASCADE")
    name = CharField(max_length=128)
    kind = CharField(max_length=16)  # "sequence" or "portfolio"
    description = TextField(default="")
    tags = TextField(default="[]")
    # Version indexes are never reused, even after a version is deleted.
    next_version = IntegerField(default=0)
    created_at = DoubleField(default=now)
    updated_at = DoubleField(default=now)

    class Meta:
        indexes = ((("project", "name"), True),)


class Artifact(BaseModel):
    sequence = ForeignKeyField(ArtifactCollection, on_delete="CASCADE")
    type = ForeignKeyField(ArtifactType, on_delete="CASCADE")
    state = CharField(max_length=16, default="PENDING")
    digest = CharField(max_length=64)
    description = TextField(default="")
    metadata = LongTextField(default="{}")
    ttl_seconds = BigIntegerField(default=-2)
    ttl_inherited = BooleanField(default=True)
    history_step = BigIntegerField(null=True)
    size = BigIntegerField(default=0)
    file_count = IntegerField(default=0)
    distributed_id = CharField(max_length=255, default="")
    # Aliases and tags asked for at creation, applied when the version is committed.
    pending_aliases = TextField(default="[]")
    tags = TextField(default="[]")
    created_by = ForeignKeyField(Run, null=True, on_delete="SET NULL")
    manifest_key = CharField(max_length=600, default="")
    created_at = DoubleField(default=now)
    updated_at = DoubleField(default=now)
    committed_at = DoubleField(null=True)

    class Meta:
        indexes = ((("sequence", "digest"), False), (("sequence", "distributed_id"), False))


class ArtifactMembership(BaseModel):
    collection = ForeignKeyField(ArtifactCollection, on_delete="CASCADE")
    artifact = ForeignKeyField(Artifact, on_delete="CASCADE")
    version_index = IntegerField()
    created_at = DoubleField(default=now)

    class Meta:
        indexes = ((("collection", "artifact"), True), (("collection", "version_index"), True))


class ArtifactAlias(BaseModel):
    collection = ForeignKeyField(ArtifactCollection, on_delete="CASCADE")
    artifact = ForeignKeyField(Artifact, on_delete="CASCADE")
    alias = CharField(max_length=128)

    class Meta:
        indexes = ((("collection", "alias"), True),)


class ArtifactManifest(BaseModel):
    artifact = ForeignKeyField(Artifact, on_delete="CASCADE")
    name = CharField(max_length=255)
    kind = CharField(max_length=16)  # FULL, INCREMENTAL, PATCH
    digest = CharField(max_length=64, default="")
    base_artifact = ForeignKeyField(Artifact, null=True, on_delete="SET NULL",
                                    backref="derived_manifests")
    key = CharField(max_length=600, default="")
    created_at = DoubleField(default=now)


class Blob(BaseModel):
    """One stored content, by MD5; ``stored`` once its bytes are verified in the media store."""

    md5 = CharField(max_length=32, unique=True)
    size = BigIntegerField(default=0)
    stored = BooleanField(default=False)
    birth_artifact = ForeignKeyField(Artifact, null=True, on_delete="SET NULL")
    created_at = DoubleField(default=now)


class ArtifactFile(BaseModel):
    artifact = ForeignKeyField(Artifact, on_delete="CASCADE")
    path = CharField(max_length=700)  # MySQL: the unique index must fit 3072 bytes
    digest = CharField(max_length=255)  # base64 MD5, or a reference's ETag/version
    size = BigIntegerField(default=0)
    ref = TextField(null=True)
    # Hex MD5 of stored content; None for references.
    blob_md5 = CharField(max_length=32, null=True, index=True)
    birth_artifact_id = CharField(max_length=64, default="")
    extra = TextField(default="")
    mimetype = CharField(max_length=128, default="")

    class Meta:
        indexes = ((("artifact", "path"), True),)


class ArtifactUse(BaseModel):
    run = ForeignKeyField(Run, on_delete="CASCADE")
    artifact = ForeignKeyField(Artifact, on_delete="CASCADE")
    used_as = CharField(max_length=255, default="")
    created_at = DoubleField(default=now)

    class Meta:
        indexes = ((("run", "artifact"), True),)


class ClientIdMapping(BaseModel):
    """wandb's client-side ids (artifact clientID, sequenceClientID) -> server ids."""

    client_id = CharField(max_length=255, unique=True)
    artifact = ForeignKeyField(Artifact, null=True, on_delete="CASCADE")
    collection = ForeignKeyField(ArtifactCollection, null=True, on_delete="CASCADE")


MODELS = [ArtifactType, ArtifactCollection, Artifact, ArtifactMembership, ArtifactAlias,
          ArtifactManifest, Blob, ArtifactFile, ArtifactUse, ClientIdMapping]
