"""Storage area ``artifacts`` (roost.core.artifacts.storage), first of its two stores on the
sql plugin's tables: logging a version (create, manifests, blobs, commit), its files, its
users, changing and deleting it, and the garbage left behind. Collections, memberships and
aliases are collections_store.py's; the records both return are artifact_records.py's."""

from __future__ import annotations

import json
import time

import peewee

from roost.core.errors import InvalidArgument, NotFound
from roost.plugins.sql.area import SqlArea, page_of
from roost.plugins.sql.artifact_models import (Artifact, ArtifactAlias, ArtifactCollection,
                                               ArtifactFile, ArtifactManifest, ArtifactMembership,
                                               ArtifactType, ArtifactUse, Blob, ClientIdMapping)
from roost.plugins.sql.artifact_records import (apply_aliases, artifact_file_dict, artifact_pk,
                                                artifact_record, artifact_type, b64_to_hex,
                                                blob_dict, changed_tags, manifest_dict)
from roost.plugins.sql.database import connection_per_call
from roost.plugins.sql.models import Entity, Project, Run

INSERT_BATCH = 500


@connection_per_call
class ArtifactStore(SqlArea):
    def get_artifact(self, artifact_id):
        return artifact_record(artifact_id)

    def _sequence(self, project: Project, type_name: str, name: str) -> ArtifactCollection:
        collection = (ArtifactCollection.select(ArtifactCollection, ArtifactType)
                      .join(ArtifactType, on=ArtifactCollection.type == ArtifactType.id)
                      .where((ArtifactCollection.project == project)
                             & (ArtifactCollection.name == name)).first())
        if collection is None:
            return ArtifactCollection.create(project=project, name=name, kind="sequence",
                                             type=artifact_type(project, type_name))
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
                    apply_aliases(existing, sequence, fields.get("aliases") or [])
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
        artifact = Artifact.get_or_none(Artifact.id == artifact_pk(artifact_id))
        if artifact is None:
            raise NotFound(f"artifact {artifact_id} does not exist")
        with self.write():
            manifest = ArtifactManifest.create(
                artifact=artifact, name=name, kind=kind, digest=digest or "",
                base_artifact=artifact_pk(base_artifact_id) if base_artifact_id else None)
            manifest.key = f"manifests/{artifact.id}/{manifest.id}.json"
            manifest.save()
        return manifest_dict(manifest)

    def update_manifest(self, manifest_id, digest, base_artifact_id):
        manifest = ArtifactManifest.get_or_none(ArtifactManifest.id == artifact_pk(manifest_id, "manifest"))
        if manifest is None:
            raise NotFound(f"artifact manifest {manifest_id} does not exist")
        if digest is not None:
            manifest.digest = digest
        if base_artifact_id:
            manifest.base_artifact = artifact_pk(base_artifact_id)
        manifest.save()
        return manifest_dict(manifest)

    def get_manifest(self, manifest_id):
        manifest = ArtifactManifest.get_or_none(ArtifactManifest.id == artifact_pk(manifest_id, "manifest"))
        return manifest_dict(manifest) if manifest else None

    def list_manifests(self, artifact_id):
        return [manifest_dict(m) for m in ArtifactManifest.select().where(
            ArtifactManifest.artifact == artifact_pk(artifact_id)).order_by(ArtifactManifest.id)]

    def register_blobs(self, artifact_id, files):
        apk = artifact_pk(artifact_id)
        hexes = {name: b64_to_hex(md5) for name, md5 in files}
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
        return [blob_dict(blobs[hexes[name]]) for name, _ in files]

    def get_blobs(self, md5_hexes):
        return {b.md5: blob_dict(b) for b in Blob.select().where(Blob.md5.in_(list(md5_hexes)))}

    def mark_blob_stored(self, md5_hex, size):
        Blob.update(stored=True, size=size).where(Blob.md5 == md5_hex).execute()

    def commit_artifact(self, artifact_id, entries, digest, manifest_key):
        apk = artifact_pk(artifact_id)
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
            apply_aliases(artifact, sequence,
                                ["latest"] + json.loads(artifact.pending_aliases or "[]"))
        return self.get_artifact(apk)

    def artifact_files(self, artifact_id, names, after, first):
        query = ArtifactFile.select().where(ArtifactFile.artifact == artifact_pk(artifact_id))
        if names:
            query = query.where(ArtifactFile.path.in_(names))
        total = query.count()
        if after:
            query = query.where(ArtifactFile.path > after)
        rows, has_next = page_of(query.order_by(ArtifactFile.path), first)
        return [artifact_file_dict(f) for f in rows], has_next, total

    def find_file_by_blob(self, artifact_ids, entity, md5_hex):
        query = (ArtifactFile.select(ArtifactFile, Artifact, ArtifactCollection, Project, Entity)
                 .join(Artifact).join(ArtifactCollection, on=Artifact.sequence == ArtifactCollection.id)
                 .join(Project).join(Entity)
                 .where((ArtifactFile.blob_md5 == md5_hex) & (Artifact.state == "COMMITTED")))
        if artifact_ids is not None:
            query = query.where(Artifact.id.in_([artifact_pk(a) for a in artifact_ids if a]))
        if entity is not None:
            query = query.where(Entity.name == entity)
        found = query.first()
        if found is None:
            return None
        project = found.artifact.sequence.project
        return artifact_file_dict(found) | {"entity": project.entity.name, "project": project.name}

    def artifact_users(self, artifact_id):
        rows = (Run.select(Run, Project, Entity).join(Project).join(Entity)
                .switch(Run).join(ArtifactUse, on=ArtifactUse.run == Run.id)
                .where(ArtifactUse.artifact == artifact_pk(artifact_id)).order_by(ArtifactUse.id))
        return [{"id": str(r.id), "entity": r.project.entity.name, "project": r.project.name,
                 "project_id": str(r.project_id), "name": r.name} for r in rows]

    def resolve_client_id(self, client_id):
        found = ClientIdMapping.get_or_none(ClientIdMapping.client_id == client_id)
        if found is None:
            return None
        return str(found.artifact_id or found.collection_id)

    def use_artifact(self, run_id, artifact_id, used_as):
        try:
            with self.db.atomic():
                ArtifactUse.create(run=artifact_pk(run_id, "run"), artifact=artifact_pk(artifact_id),
                                   used_as=used_as or "")
        except peewee.IntegrityError:  # used before: lineage is a set
            pass

    def update_artifact(self, artifact_id, fields):
        with self.write():
            artifact = Artifact.get_or_none(Artifact.id == artifact_pk(artifact_id))
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
            artifact.tags = changed_tags(artifact.tags, fields)
            artifact.updated_at = time.time()
            artifact.save()
        return self.get_artifact(artifact.id)

    def delete_artifact(self, artifact_id):
        apk = artifact_pk(artifact_id)
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
        return [blob_dict(b) for b in rows]

    def forget_blob(self, md5_hex):
        with self.write():
            if ArtifactFile.select().where(ArtifactFile.blob_md5 == md5_hex).exists():
                return False
            Blob.delete().where(Blob.md5 == md5_hex).execute()
        return True
