"""Records of the artifacts area shared by its two stores (artifacts_store.py: versions,
files, blobs; collections_store.py: collections, memberships, aliases): the queries that join
an artifact's rows and the dicts the core receives (roost.core.artifacts.storage)."""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from roost.core.artifacts.uploads import check_alias
from roost.core.errors import InvalidArgument, NotFound
from roost.plugins.sql.artifact_models import (Artifact, ArtifactAlias, ArtifactCollection,
                                               ArtifactFile, ArtifactManifest, ArtifactMembership,
                                               ArtifactType, Blob)
from roost.plugins.sql.models import Entity, Project, Run

DIGEST = re.compile(r"^[0-9a-f]{32}$")


def artifact_pk(value: Any, what: str = "artifact") -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(f"no {what} with id {value!r}") from None


def alias_dict(alias: ArtifactAlias, collection: ArtifactCollection) -> dict:
    project = collection.project
    return {"id": str(alias.id), "alias": alias.alias, "collection_id": str(collection.id),
            "collection_name": collection.name, "collection_kind": collection.kind,
            "entity": project.entity.name, "project": project.name,
            "project_id": str(project.id)}


def changed_tags(stored: str, fields: dict) -> str:
    """The JSON tag list ``stored`` after ``fields``' tags_to_add and tags_to_delete."""
    tags = set(json.loads(stored or "[]"))
    tags |= set(fields.get("tags_to_add") or [])
    tags -= set(fields.get("tags_to_delete") or [])
    return json.dumps(sorted(tags))


def artifact_record(artifact_id) -> dict | None:
    """The core's artifact record (get_artifact); None when unknown."""
    artifact = artifact_query().where(Artifact.id == artifact_pk(artifact_id)).first()
    return artifact_dicts([artifact])[0] if artifact else None


def collections_query():
    return (ArtifactCollection.select(ArtifactCollection, ArtifactType, Project, Entity)
            .join(ArtifactType, on=ArtifactCollection.type == ArtifactType.id)
            .switch(ArtifactCollection).join(Project).join(Entity))


def collection_dict(collection: ArtifactCollection) -> dict:
    latest = (ArtifactAlias.select(ArtifactAlias.artifact)
              .where((ArtifactAlias.collection == collection.id)
                     & (ArtifactAlias.alias == "latest")).first())
    return {"id": str(collection.id), "kind": collection.kind,
            "entity": collection.project.entity.name, "project": collection.project.name,
            "project_id": str(collection.project_id), "name": collection.name,
            "type": collection.type.name, "description": collection.description,
            "created_at": collection.created_at, "updated_at": collection.updated_at,
            "tags": json.loads(collection.tags or "[]"), "state": "READY",
            "latest_artifact_id": str(latest.artifact_id) if latest else ""}


def aliases_of(artifact_ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {pk: [] for pk in artifact_ids}
    if not artifact_ids:
        return found
    rows = (ArtifactAlias.select(ArtifactAlias, ArtifactCollection, Project, Entity)
            .join(ArtifactCollection).join(Project).join(Entity)
            .where(ArtifactAlias.artifact.in_(artifact_ids))
            .order_by(ArtifactAlias.id))
    for alias in rows:
        found[alias.artifact_id].append(alias_dict(alias, alias.collection))
    return found


def artifact_query():
    return (Artifact.select(Artifact, ArtifactCollection, ArtifactType, Project, Entity)
            .join(ArtifactCollection, on=Artifact.sequence == ArtifactCollection.id)
            .join(Project).join(Entity)
            .switch(Artifact).join(ArtifactType, on=Artifact.type == ArtifactType.id))


def artifact_dicts(artifacts: list[Artifact]) -> list[dict]:
    pks = [a.id for a in artifacts]
    aliases = aliases_of(pks)
    versions: dict[int, int] = {}
    if pks:
        for m in (ArtifactMembership.select(ArtifactMembership.artifact,
                                            ArtifactMembership.version_index)
                  .join(Artifact, on=ArtifactMembership.artifact == Artifact.id)
                  .where(ArtifactMembership.artifact.in_(pks)
                         & (ArtifactMembership.collection == Artifact.sequence))):
            versions[m.artifact_id] = m.version_index
    run_pks = {a.created_by_id for a in artifacts if a.created_by_id}
    runs = {}
    if run_pks:
        for run in (Run.select(Run, Project, Entity).join(Project).join(Entity)
                    .where(Run.id.in_(run_pks))):
            runs[run.id] = {"id": str(run.id), "entity": run.project.entity.name,
                            "project": run.project.name, "project_id": str(run.project_id),
                            "name": run.name}
    latest_by_sequence = {}
    sequences = {a.sequence_id for a in artifacts}
    if sequences:
        for alias in ArtifactAlias.select().where(
                ArtifactAlias.collection.in_(sequences) & (ArtifactAlias.alias == "latest")):
            latest_by_sequence[alias.collection_id] = str(alias.artifact_id)
    records = []
    for a in artifacts:
        sequence = a.sequence
        record = {
            "id": str(a.id), "entity": sequence.project.entity.name,
            "project": sequence.project.name, "project_id": str(sequence.project_id),
            "type": a.type.name, "collection_id": str(sequence.id),
            "collection": sequence.name, "version_index": versions.get(a.id, -1),
            "state": a.state, "digest": a.digest, "description": a.description,
            "metadata": a.metadata or "{}",
            "ttl_duration_seconds": a.ttl_seconds if a.ttl_seconds > 0 else -2,
            "ttl_is_inherited": a.ttl_inherited, "size": a.size, "file_count": a.file_count,
            "created_at": a.created_at, "updated_at": a.updated_at,
            "aliases": aliases.get(a.id, []), "tags": json.loads(a.tags or "[]"),
            "latest_artifact_id": latest_by_sequence.get(a.sequence_id, ""),
            "commit_hash": a.digest[:12], "manifest_key": a.manifest_key,
            "distributed_id": a.distributed_id,
        }
        if a.history_step is not None:
            record["history_step"] = a.history_step
        if a.created_by_id in runs:
            record["created_by"] = runs[a.created_by_id]
        records.append(record)
    return records


def artifact_type(project: Project, name: str) -> ArtifactType:
    found = ArtifactType.get_or_none((ArtifactType.project == project)
                                     & (ArtifactType.name == name))
    if found is None:
        found = ArtifactType.create(project=project, name=name)
    return found


def apply_aliases(artifact: Artifact, collection: ArtifactCollection,
                   aliases: list[str]) -> None:
    for alias in dict.fromkeys(aliases):
        check_alias(alias)
        ArtifactAlias.delete().where((ArtifactAlias.collection == collection.id)
                                     & (ArtifactAlias.alias == alias)).execute()
        ArtifactAlias.create(collection=collection.id, artifact=artifact.id, alias=alias)


def manifest_dict(manifest: ArtifactManifest) -> dict:
    return {"id": str(manifest.id), "artifact_id": str(manifest.artifact_id),
            "name": manifest.name, "kind": manifest.kind, "digest": manifest.digest,
            "key": manifest.key,
            "base_artifact_id": str(manifest.base_artifact_id or "")}


def blob_dict(blob: Blob) -> dict:
    return {"md5": blob.md5, "size": blob.size, "stored": blob.stored,
            "birth_artifact_id": str(blob.birth_artifact_id or "")}


def artifact_file_dict(f: ArtifactFile) -> dict:
    return {"id": str(f.id), "name": f.path, "digest": f.digest, "size": f.size,
            "ref": f.ref or "", "blob_md5": f.blob_md5 or "",
            "birth_artifact_id": f.birth_artifact_id, "mimetype": f.mimetype,
            "artifact_id": str(f.artifact_id), "extra": f.extra}


def find_collection(entity: str, project: str, name: str) -> ArtifactCollection | None:
    return (collections_query()
            .where((Entity.name == entity) & (Project.name == project)
                   & (ArtifactCollection.name == name)).first())


def membership_dict(membership: ArtifactMembership,
                     collection: ArtifactCollection) -> dict:
    artifact = artifact_record(membership.artifact_id)
    aliases = [a for a in artifact["aliases"] if a["collection_id"] == str(collection.id)]
    return {"id": str(membership.id), "collection": collection_dict(collection),
            "artifact": artifact, "version_index": membership.version_index,
            "created_at": membership.created_at, "aliases": aliases}


def b64_to_hex(md5_b64: str) -> str:
    try:
        raw = base64.b64decode(md5_b64, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 16:
        raise InvalidArgument(f"{md5_b64!r} is not a base64 MD5 digest")
    return raw.hex()
