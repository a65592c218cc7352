"""The artifact half of SqlStorage (see roost.core.artifacts.storage for the contract)."""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from typing import Any

import peewee

from roost.core.artifacts.storage import ArtifactStorage
from roost.core.artifacts.uploads import VERSION_ALIAS, check_alias
from roost.core.errors import AlreadyExists, InvalidArgument, NotFound
from roost.plugins.sql.artifact_models import (Artifact, ArtifactAlias, ArtifactCollection,
                                               ArtifactFile, ArtifactManifest, ArtifactMembership,
                                               ArtifactType, ArtifactUse, Blob, ClientIdMapping)
from roost.plugins.sql.database import connection_per_call
from roost.plugins.sql.models import Entity, Project, Run

DIGEST = re.compile(r"^[0-9a-f]{32}$")
INSERT_BATCH = 500


def _pk(value: Any, what: str = "artifact") -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(f"no {what} with id {value!r}") from None


def _alias_dict(alias: ArtifactAlias, collection: ArtifactCollection) -> dict:
    project = collection.project
    return {"id": str(alias.id), "alias": alias.alias, "collection_id": str(collection.id),
            "collection_name": collection.name, "collection_kind": collection.kind,
            "entity": project.entity.name, "project": project.name,
            "project_id": str(project.id)}


@connection_per_call
class ArtifactSqlMixin(ArtifactStorage):
    """Mixed into SqlStorage, which provides ``db``, ``write()`` and ``_project()``."""

    # -- records -----------------------------------------------------------------------------
    def _collections_query(self):
        return (ArtifactCollection.select(ArtifactCollection, ArtifactType, Project, Entity)
                .join(ArtifactType, on=ArtifactCollection.type == ArtifactType.id)
                .switch(ArtifactCollection).join(Project).join(Entity))

    def _collection_dict(self, collection: ArtifactCollection) -> dict:
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

    def _aliases_of(self, artifact_ids: list[int]) -> dict[int, list[dict]]:
        found: dict[int, list[dict]] = {pk: [] for pk in artifact_ids}
        if not artifact_ids:
            return found
        rows = (ArtifactAlias.select(ArtifactAlias, ArtifactCollection, Project, Entity)
                .join(ArtifactCollection).join(Project).join(Entity)
                .where(ArtifactAlias.artifact.in_(artifact_ids))
                .order_by(ArtifactAlias.id))
        for alias in rows:
            found[alias.artifact_id].append(_alias_dict(alias, alias.collection))
        return found

    def _artifact_query(self):
        return (Artifact.select(Artifact, ArtifactCollection, ArtifactType, Project, Entity)
                .join(ArtifactCollection, on=Artifact.sequence == ArtifactCollection.id)
                .join(Project).join(Entity)
                .switch(Artifact).join(ArtifactType, on=Artifact.type == ArtifactType.id))

    def _artifact_dicts(self, artifacts: list[Artifact]) -> list[dict]:
        pks = [a.id for a in artifacts]
        aliases = self._aliases_of(pks)
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

    def get_artifact(self, artifact_id):
        artifact = self._artifact_query().where(Artifact.id == _pk(artifact_id)).first()
        return self._artifact_dicts([artifact])[0] if artifact else None

    # -- logging a version -------------------------------------------------------------------
    def _artifact_type(self, project: Project, name: str) -> ArtifactType:
        found = ArtifactType.get_or_none((ArtifactType.project == project)
                                         & (ArtifactType.name == name))
        if found is None:
            found = ArtifactType.create(project=project, name=name)
        return found

    def _sequence(self, project: Project, type_name: str, name: str) -> ArtifactCollection:
        collection = (ArtifactCollection.select(ArtifactCollection, ArtifactType)
                      .join(ArtifactType, on=ArtifactCollection.type == ArtifactType.id)
                      .where((ArtifactCollection.project == project)
                             & (ArtifactCollection.name == name)).first())
        if collection is None:
            return ArtifactCollection.create(project=project, name=name, kind="sequence",
                                             type=self._artifact_type(project, type_name))
        if collection.kind != "sequence":
            raise InvalidArgument(f"{name!r} is a linked (portfolio) collection; log artifacts "
                                  "to a collection of their own and link them there")
        if collection.type.name != type_name:
            raise InvalidArgument(f"artifact collection {name!r} holds artifacts of type "
                                  f"{collection.type.name!r}, not {type_name!r}")
        return collection

    def create_artifact(self, entity, project, type_name, collection, run_id, fields, dedup,
                        client_id, sequence_client_id):
        with self.write():
            if client_id:
                known = ClientIdMapping.get_or_none(ClientIdMapping.client_id == client_id)
                if known is not None and known.artifact_id:
                    return self.get_artifact(known.artifact_id), False
            proj = self._project(entity, project, create=True)
            sequence = self._sequence(proj, type_name, collection)
            existing = None
            if fields.get("distributed_id"):
                existing = Artifact.get_or_none(
                    (Artifact.sequence == sequence)
                    & (Artifact.distributed_id == fields["distributed_id"])
                    & (Artifact.state == "PENDING"))
            if existing is None and dedup:
                existing = (Artifact.select().where(
                    (Artifact.sequence == sequence) & (Artifact.digest == fields["digest"])
                    & (Artifact.state == "COMMITTED")).order_by(Artifact.id.desc()).first())
                if existing is not None:
                    self._apply_aliases(existing, sequence, fields.get("aliases") or [])
            if existing is not None:
                artifact, created = existing, False
            else:
                ttl = fields.get("ttl_duration_seconds")
                artifact = Artifact.create(
                    sequence=sequence, type=sequence.type_id, digest=fields["digest"],
                    description=fields.get("description") or "",
                    metadata=fields.get("metadata") or "{}",
                    ttl_seconds=ttl if ttl and ttl > 0 else -2,
                    ttl_inherited=ttl is None or ttl == -1,
                    history_step=fields.get("history_step"),
                    distributed_id=fields.get("distributed_id") or "",
                    pending_aliases=json.dumps(fields.get("aliases") or []),
                    tags=json.dumps(sorted(set(fields.get("tags") or []))),
                    created_by=int(run_id) if run_id else None)
                created = True
            for cid, target in ((client_id, {"artifact": artifact.id}),
                                (sequence_client_id, {"collection": sequence.id})):
                if cid and not ClientIdMapping.select().where(
                        ClientIdMapping.client_id == cid).exists():
                    ClientIdMapping.create(client_id=cid, **target)
        return self.get_artifact(artifact.id), created

    def create_manifest(self, artifact_id, name, kind, digest, base_artifact_id):
        artifact = Artifact.get_or_none(Artifact.id == _pk(artifact_id))
        if artifact is None:
            raise NotFound(f"artifact {artifact_id} does not exist")
        with self.write():
            manifest = ArtifactManifest.create(
                artifact=artifact, name=name, kind=kind, digest=digest or "",
                base_artifact=_pk(base_artifact_id) if base_artifact_id else None)
            manifest.key = f"manifests/{artifact.id}/{manifest.id}.json"
            manifest.save()
        return self._manifest_dict(manifest)

    @staticmethod
    def _manifest_dict(manifest: ArtifactManifest) -> dict:
        return {"id": str(manifest.id), "artifact_id": str(manifest.artifact_id),
                "name": manifest.name, "kind": manifest.kind, "digest": manifest.digest,
                "key": manifest.key,
                "base_artifact_id": str(manifest.base_artifact_id or "")}

    def update_manifest(self, manifest_id, digest, base_artifact_id):
        manifest = ArtifactManifest.get_or_none(ArtifactManifest.id == _pk(manifest_id, "manifest"))
        if manifest is None:
            raise NotFound(f"artifact manifest {manifest_id} does not exist")
        if digest is not None:
            manifest.digest = digest
        if base_artifact_id:
            manifest.base_artifact = _pk(base_artifact_id)
        manifest.save()
        return self._manifest_dict(manifest)

    def get_manifest(self, manifest_id):
        manifest = ArtifactManifest.get_or_none(ArtifactManifest.id == _pk(manifest_id, "manifest"))
        return self._manifest_dict(manifest) if manifest else None

    def list_manifests(self, artifact_id):
        return [self._manifest_dict(m) for m in ArtifactManifest.select().where(
            ArtifactManifest.artifact == _pk(artifact_id)).order_by(ArtifactManifest.id)]

    @staticmethod
    def _blob_dict(blob: Blob) -> dict:
        return {"md5": blob.md5, "size": blob.size, "stored": blob.stored,
                "birth_artifact_id": str(blob.birth_artifact_id or "")}

    def register_blobs(self, artifact_id, files):
        apk = _pk(artifact_id)
        hexes = {name: _b64_to_hex(md5) for name, md5 in files}
        with self.write():
            blobs = {b.md5: b for b in Blob.select().where(Blob.md5.in_(set(hexes.values())))}
            for md5_hex in set(hexes.values()) - set(blobs):
                try:
                    with self.db.atomic():
                        blobs[md5_hex] = Blob.create(md5=md5_hex, birth_artifact=apk)
                except peewee.IntegrityError:  # registered by a concurrent request
                    blobs[md5_hex] = Blob.get(Blob.md5 == md5_hex)
            held = {f.path: f for f in ArtifactFile.select().where(
                (ArtifactFile.artifact == apk) & ArtifactFile.path.in_(list(hexes)))}
            for name, md5 in files:
                if name in held:
                    held[name].digest, held[name].blob_md5 = md5, hexes[name]
                    held[name].save()
                else:
                    held[name] = ArtifactFile.create(artifact=apk, path=name, digest=md5,
                                                     blob_md5=hexes[name])
        return [self._blob_dict(blobs[hexes[name]]) for name, _ in files]

    def get_blobs(self, md5_hexes):
        return {b.md5: self._blob_dict(b) for b in Blob.select().where(Blob.md5.in_(list(md5_hexes)))}

    def mark_blob_stored(self, md5_hex, size):
        Blob.update(stored=True, size=size).where(Blob.md5 == md5_hex).execute()

    def commit_artifact(self, artifact_id, entries, digest, manifest_key):
        apk = _pk(artifact_id)
        now = time.time()
        with self.write():
            artifact = Artifact.get_or_none(Artifact.id == apk)
            if artifact is None:
                raise NotFound(f"artifact {artifact_id} does not exist")
            if artifact.state != "PENDING":
                return self.get_artifact(apk)
            sequence = ArtifactCollection.get_by_id(artifact.sequence_id)
            if self.engine != "sqlite":
                sequence = (ArtifactCollection.select().where(ArtifactCollection.id == sequence.id)
                            .for_update().first())
            ArtifactFile.delete().where(ArtifactFile.artifact == apk).execute()
            rows = [{"artifact": apk, **entry} for entry in entries]
            for start in range(0, len(rows), INSERT_BATCH):
                ArtifactFile.insert_many(rows[start:start + INSERT_BATCH]).execute()
            artifact.state = "COMMITTED"
            artifact.digest = digest
            artifact.manifest_key = manifest_key
            artifact.size = sum(entry.get("size") or 0 for entry in entries)
            artifact.file_count = len(entries)
            artifact.committed_at = artifact.updated_at = now
            artifact.save()
            ArtifactMembership.create(collection=sequence, artifact=apk,
                                      version_index=sequence.next_version, created_at=now)
            sequence.next_version += 1
            sequence.updated_at = now
            sequence.save()
            self._apply_aliases(artifact, sequence,
                                ["latest"] + json.loads(artifact.pending_aliases or "[]"))
        return self.get_artifact(apk)

    def _apply_aliases(self, artifact: Artifact, collection: ArtifactCollection,
                       aliases: list[str]) -> None:
        for alias in dict.fromkeys(aliases):
            check_alias(alias)
            ArtifactAlias.delete().where((ArtifactAlias.collection == collection.id)
                                         & (ArtifactAlias.alias == alias)).execute()
            ArtifactAlias.create(collection=collection.id, artifact=artifact.id, alias=alias)

    def artifact_files(self, artifact_id, names, after, first):
        query = ArtifactFile.select().where(ArtifactFile.artifact == _pk(artifact_id))
        if names:
            query = query.where(ArtifactFile.path.in_(names))
        total = query.count()
        if after:
            query = query.where(ArtifactFile.path > after)
        rows = list(query.order_by(ArtifactFile.path).limit(first + 1 if first else None))
        has_next = bool(first) and len(rows) > first
        return [self._artifact_file_dict(f) for f in rows[:first or None]], has_next, total

    @staticmethod
    def _artifact_file_dict(f: ArtifactFile) -> dict:
        return {"id": str(f.id), "name": f.path, "digest": f.digest, "size": f.size,
                "ref": f.ref or "", "blob_md5": f.blob_md5 or "",
                "birth_artifact_id": f.birth_artifact_id, "mimetype": f.mimetype,
                "artifact_id": str(f.artifact_id), "extra": f.extra}

    def find_file_by_blob(self, artifact_ids, entity, md5_hex):
        query = (ArtifactFile.select(ArtifactFile, Artifact, ArtifactCollection, Project, Entity)
                 .join(Artifact).join(ArtifactCollection, on=Artifact.sequence == ArtifactCollection.id)
                 .join(Project).join(Entity)
                 .where((ArtifactFile.blob_md5 == md5_hex) & (Artifact.state == "COMMITTED")))
        if artifact_ids is not None:
            query = query.where(Artifact.id.in_([_pk(a) for a in artifact_ids if a]))
        if entity is not None:
            query = query.where(Entity.name == entity)
        found = query.first()
        if found is None:
            return None
        project = found.artifact.sequence.project
        return self._artifact_file_dict(found) | {"entity": project.entity.name, "project": project.name}

    # -- reading -----------------------------------------------------------------------------
    def _find_collection(self, entity: str, project: str, name: str) -> ArtifactCollection | None:
        return (self._collections_query()
                .where((Entity.name == entity) & (Project.name == project)
                       & (ArtifactCollection.name == name)).first())

    def _membership_dict(self, membership: ArtifactMembership,
                         collection: ArtifactCollection) -> dict:
        artifact = self.get_artifact(membership.artifact_id)
        aliases = [a for a in artifact["aliases"] if a["collection_id"] == str(collection.id)]
        return {"id": str(membership.id), "collection": self._collection_dict(collection),
                "artifact": artifact, "version_index": membership.version_index,
                "created_at": membership.created_at, "aliases": aliases}

    def get_membership(self, entity, project, collection, alias):
        found = self._find_collection(entity, project, collection)
        if found is None:
            return None
        query = (ArtifactMembership.select().join(Artifact)
                 .where((ArtifactMembership.collection == found.id)
                        & (Artifact.state == "COMMITTED")))
        version = VERSION_ALIAS.match(alias)
        if version:
            query = query.where(ArtifactMembership.version_index == int(version.group(1)))
        elif DIGEST.match(alias) and not ArtifactAlias.select().where(
                (ArtifactAlias.collection == found.id) & (ArtifactAlias.alias == alias)).exists():
            query = query.where(Artifact.digest == alias)
        else:
            query = query.join(ArtifactAlias, on=(
                (ArtifactAlias.artifact == Artifact.id)
                & (ArtifactAlias.collection == ArtifactMembership.collection))).where(
                ArtifactAlias.alias == alias)
        membership = query.first()
        return self._membership_dict(membership, found) if membership else None

    def list_memberships(self, artifact_id):
        rows = (ArtifactMembership.select(ArtifactMembership, ArtifactCollection)
                .join(ArtifactCollection)
                .where(ArtifactMembership.artifact == _pk(artifact_id))
                .order_by(ArtifactMembership.id))
        result = []
        for membership in rows:
            collection = self._collections_query().where(
                ArtifactCollection.id == membership.collection_id).first()
            result.append(self._membership_dict(membership, collection))
        return result

    def list_artifacts(self, entity, project, collection, type_name, run_id, direction,
                       after, first):
        offset = int(after) if str(after or "").isdigit() else 0
        if run_id:
            query = self._artifact_query().where(Artifact.state == "COMMITTED")
            if direction == "input":
                query = (query.join(ArtifactUse, on=ArtifactUse.artifact == Artifact.id)
                         .where(ArtifactUse.run == _pk(run_id, "run")).order_by(ArtifactUse.id))
            else:
                query = query.where(Artifact.created_by == _pk(run_id, "run")).order_by(Artifact.id)
            versions = None
        else:
            found = self._find_collection(entity, project, collection)
            if found is None or (type_name and found.type.name != type_name):
                return [], False, 0
            query = (self._artifact_query()
                     .join(ArtifactMembership, on=ArtifactMembership.artifact == Artifact.id)
                     .where((ArtifactMembership.collection == found.id)
                            & (Artifact.state == "COMMITTED"))
                     .order_by(ArtifactMembership.version_index.desc()))
            versions = {m.artifact_id: m.version_index for m in ArtifactMembership.select()
                        .where(ArtifactMembership.collection == found.id)}
        total = query.count()
        rows = list(query.offset(offset).limit(first + 1 if first else None))
        has_next = bool(first) and len(rows) > first
        records = self._artifact_dicts(rows[:first or None])
        for record in records:
            record["membership_version"] = (versions or {}).get(int(record["id"]),
                                                                record["version_index"])
        return records, has_next, total

    def get_collection(self, collection_id=None, entity="", project="", name=""):
        if collection_id:
            found = self._collections_query().where(
                ArtifactCollection.id == _pk(collection_id, "collection")).first()
        else:
            found = self._find_collection(entity, project, name)
        return self._collection_dict(found) if found else None

    def list_collections(self, entity, project, type_name, after, first):
        offset = int(after) if str(after or "").isdigit() else 0
        query = self._collections_query().where((Entity.name == entity)
                                                & (Project.name == project))
        if type_name:
            query = query.where(ArtifactType.name == type_name)
        total = query.count()
        rows = list(query.order_by(ArtifactCollection.id).offset(offset)
                    .limit(first + 1 if first else None))
        has_next = bool(first) and len(rows) > first
        return [self._collection_dict(c) for c in rows[:first or None]], has_next, total

    def list_artifact_types(self, entity, project):
        query = (ArtifactType.select().join(Project).join(Entity)
                 .where((Entity.name == entity) & (Project.name == project))
                 .order_by(ArtifactType.id))
        return [{"id": str(t.id), "name": t.name, "description": t.description,
                 "created_at": t.created_at} for t in query]

    def artifact_users(self, artifact_id):
        rows = (Run.select(Run, Project, Entity).join(Project).join(Entity)
                .switch(Run).join(ArtifactUse, on=ArtifactUse.run == Run.id)
                .where(ArtifactUse.artifact == _pk(artifact_id)).order_by(ArtifactUse.id))
        return [{"id": str(r.id), "entity": r.project.entity.name, "project": r.project.name,
                 "project_id": str(r.project_id), "name": r.name} for r in rows]

    def resolve_client_id(self, client_id):
        found = ClientIdMapping.get_or_none(ClientIdMapping.client_id == client_id)
        if found is None:
            return None
        return str(found.artifact_id or found.collection_id)

    # -- changing ----------------------------------------------------------------------------
    def use_artifact(self, run_id, artifact_id, used_as):
        try:
            with self.db.atomic():
                ArtifactUse.create(run=_pk(run_id, "run"), artifact=_pk(artifact_id),
                                   used_as=used_as or "")
        except peewee.IntegrityError:  # used before: lineage is a set
            pass

    def update_artifact(self, artifact_id, fields):
        with self.write():
            artifact = Artifact.get_or_none(Artifact.id == _pk(artifact_id))
            if artifact is None:
                raise NotFound(f"artifact {artifact_id} does not exist")
            if fields.get("description") is not None:
                artifact.description = fields["description"]
            if fields.get("metadata") is not None:
                artifact.metadata = fields["metadata"]
            ttl = fields.get("ttl_duration_seconds")
            if ttl is not None:
                artifact.ttl_seconds = ttl if ttl > 0 else -2
                artifact.ttl_inherited = ttl == -1
            if fields.get("tags_to_add") or fields.get("tags_to_delete"):
                tags = set(json.loads(artifact.tags or "[]"))
                tags |= set(fields.get("tags_to_add") or [])
                tags -= set(fields.get("tags_to_delete") or [])
                artifact.tags = json.dumps(sorted(tags))
            artifact.updated_at = time.time()
            artifact.save()
        return self.get_artifact(artifact.id)

    def set_aliases(self, artifact_id, add, remove, replace_in=None):
        apk = _pk(artifact_id)
        with self.write():
            artifact = Artifact.get_or_none(Artifact.id == apk)
            if artifact is None:
                raise NotFound(f"artifact {artifact_id} does not exist")
            for collection_id in replace_in or []:
                keep = {alias for cid, alias in add if cid == collection_id}
                ArtifactAlias.delete().where(
                    (ArtifactAlias.artifact == apk) & (ArtifactAlias.collection == _pk(collection_id))
                    & ArtifactAlias.alias.not_in(keep or {""})).execute()
            for collection_id, alias in remove:
                ArtifactAlias.delete().where(
                    (ArtifactAlias.artifact == apk) & (ArtifactAlias.collection == _pk(collection_id))
                    & (ArtifactAlias.alias == alias)).execute()
            by_collection: dict[str, list[str]] = {}
            for collection_id, alias in add:
                by_collection.setdefault(collection_id, []).append(alias)
            for collection_id, aliases in by_collection.items():
                collection = ArtifactCollection.get_by_id(_pk(collection_id, "collection"))
                self._apply_aliases(artifact, collection, aliases)

    def delete_artifact(self, artifact_id):
        apk = _pk(artifact_id)
        with self.write():
            keys = [m.key for m in ArtifactManifest.select().where(ArtifactManifest.artifact == apk)]
            ArtifactAlias.delete().where(ArtifactAlias.artifact == apk).execute()
            ArtifactMembership.delete().where(ArtifactMembership.artifact == apk).execute()
            ArtifactFile.delete().where(ArtifactFile.artifact == apk).execute()
            ArtifactManifest.delete().where(ArtifactManifest.artifact == apk).execute()
            ClientIdMapping.delete().where(ClientIdMapping.artifact == apk).execute()
            Artifact.update(state="DELETED", updated_at=time.time(), file_count=0, size=0,
                            manifest_key="").where(Artifact.id == apk).execute()
        return keys

    def link_artifact(self, artifact_id, entity, project, portfolio, aliases):
        apk = _pk(artifact_id)
        with self.write():
            artifact = Artifact.get_or_none(Artifact.id == apk)
            if artifact is None or artifact.state != "COMMITTED":
                raise NotFound(f"artifact {artifact_id} does not exist or is not committed")
            proj = self._project(entity, project, create=True)
            collection = ArtifactCollection.get_or_none((ArtifactCollection.project == proj)
                                                        & (ArtifactCollection.name == portfolio))
            if collection is None:
                collection = ArtifactCollection.create(
                    project=proj, name=portfolio, kind="portfolio",
                    type=self._artifact_type(proj, ArtifactType.get_by_id(artifact.type_id).name))
            elif collection.kind != "portfolio" and collection.id != artifact.sequence_id:
                raise InvalidArgument(f"{portfolio!r} is an artifact sequence; link to a "
                                      "portfolio (a collection artifacts are linked into)")
            if self.engine != "sqlite":
                collection = (ArtifactCollection.select().where(
                    ArtifactCollection.id == collection.id).for_update().first())
            membership = ArtifactMembership.get_or_none(
                (ArtifactMembership.collection == collection) & (ArtifactMembership.artifact == apk))
            if membership is None:
                membership = ArtifactMembership.create(collection=collection, artifact=apk,
                                                       version_index=collection.next_version)
                collection.next_version += 1
                collection.updated_at = time.time()
                collection.save()
            self._apply_aliases(artifact, collection, ["latest"] + list(aliases))
        found = self._collections_query().where(ArtifactCollection.id == collection.id).first()
        return self._membership_dict(membership, found)

    def unlink_artifact(self, artifact_id, portfolio_id):
        apk, cpk = _pk(artifact_id), _pk(portfolio_id, "collection")
        with self.write():
            collection = ArtifactCollection.get_or_none(ArtifactCollection.id == cpk)
            if collection is None or collection.kind != "portfolio":
                raise NotFound(f"no linked collection with id {portfolio_id}")
            deleted = ArtifactMembership.delete().where(
                (ArtifactMembership.collection == cpk) & (ArtifactMembership.artifact == apk)).execute()
            if not deleted:
                raise NotFound(f"artifact {artifact_id} is not linked to {collection.name!r}")
            ArtifactAlias.delete().where((ArtifactAlias.collection == cpk)
                                         & (ArtifactAlias.artifact == apk)).execute()

    def update_collection(self, collection_id, fields):
        cpk = _pk(collection_id, "collection")
        with self.write():
            collection = ArtifactCollection.get_or_none(ArtifactCollection.id == cpk)
            if collection is None:
                raise NotFound(f"no artifact collection with id {collection_id}")
            if fields.get("name"):
                if ArtifactCollection.select().where(
                        (ArtifactCollection.project == collection.project_id)
                        & (ArtifactCollection.name == fields["name"])
                        & (ArtifactCollection.id != cpk)).exists():
                    raise AlreadyExists(f"an artifact collection named {fields['name']!r} exists")
                collection.name = fields["name"]
            if fields.get("description") is not None:
                collection.description = fields["description"]
            if fields.get("type"):
                new_type = self._artifact_type(Project.get_by_id(collection.project_id),
                                               fields["type"])
                collection.type = new_type
                Artifact.update(type=new_type).where(Artifact.sequence == cpk).execute()
            if fields.get("tags_to_add") or fields.get("tags_to_delete"):
                tags = set(json.loads(collection.tags or "[]"))
                tags |= set(fields.get("tags_to_add") or [])
                tags -= set(fields.get("tags_to_delete") or [])
                collection.tags = json.dumps(sorted(tags))
            collection.updated_at = time.time()
            collection.save()
        return self.get_collection(cpk)

    def delete_collection(self, collection_id):
        cpk = _pk(collection_id, "collection")
        keys = []
        collection = ArtifactCollection.get_or_none(ArtifactCollection.id == cpk)
        if collection is None:
            raise NotFound(f"no artifact collection with id {collection_id}")
        if collection.kind == "sequence":
            for artifact in Artifact.select(Artifact.id).where(Artifact.sequence == cpk):
                keys += self.delete_artifact(artifact.id)
        with self.write():
            ArtifactCollection.delete().where(ArtifactCollection.id == cpk).execute()
        return keys

    # -- garbage -----------------------------------------------------------------------------
    def expired_artifacts(self, now, pending_before):
        expired = []
        for artifact in Artifact.select().where(
                (Artifact.state == "COMMITTED") & (Artifact.ttl_seconds > 0)):
            if (artifact.committed_at or artifact.created_at) + artifact.ttl_seconds < now:
                expired.append(str(artifact.id))
        expired += [str(a.id) for a in Artifact.select(Artifact.id).where(
            (Artifact.state == "PENDING") & (Artifact.created_at < pending_before))]
        return expired

    def garbage_blobs(self, limit):
        rows = (Blob.select(Blob)
                .join(ArtifactFile, peewee.JOIN.LEFT_OUTER, on=ArtifactFile.blob_md5 == Blob.md5)
                .where(ArtifactFile.id.is_null()).order_by(Blob.id).limit(limit))
        return [self._blob_dict(b) for b in rows]

    def forget_blob(self, md5_hex):
        with self.write():
            if ArtifactFile.select().where(ArtifactFile.blob_md5 == md5_hex).exists():
                return False
            Blob.delete().where(Blob.md5 == md5_hex).execute()
        return True


def _b64_to_hex(md5_b64: str) -> str:
    try:
        raw = base64.b64decode(md5_b64, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 16:
        raise InvalidArgument(f"{md5_b64!r} is not a base64 MD5 digest")
    return raw.hex()


