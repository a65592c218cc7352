"""Storage area ``artifacts`` (roost.core.artifacts.storage), second of its two stores on
the sql plugin's tables: collections (sequences and portfolios), the versions in them
(memberships), aliases, linking and unlinking."""

from __future__ import annotations

import time

from roost.core.artifacts.uploads import VERSION_ALIAS
from roost.core.errors import AlreadyExists, InvalidArgument, NotFound
from roost.plugins.sql.area import SqlArea, page_of
from roost.plugins.sql.artifact_models import (Artifact, ArtifactAlias, ArtifactCollection,
                                               ArtifactMembership, ArtifactType, ArtifactUse)
from roost.plugins.sql.artifact_records import (DIGEST, apply_aliases, artifact_dicts,
                                                artifact_pk, artifact_query, artifact_type,
                                                changed_tags, collection_dict,
                                                collections_query, find_collection,
                                                membership_dict)
from roost.plugins.sql.database import connection_per_call
from roost.plugins.sql.models import Entity, Project


@connection_per_call
class CollectionStore(SqlArea):
    def __init__(self, database, artifacts):
        """``artifacts``: the ArtifactStore (deleting a sequence deletes its versions)."""
        super().__init__(database)
        self.artifacts = artifacts

    def get_membership(self, entity, project, collection, alias):
        found = find_collection(entity, project, collection)
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
        return membership_dict(membership, found) if membership else None

    def list_memberships(self, artifact_id):
        rows = (ArtifactMembership.select(ArtifactMembership, ArtifactCollection)
                .join(ArtifactCollection)
                .where(ArtifactMembership.artifact == artifact_pk(artifact_id))
                .order_by(ArtifactMembership.id))
        result = []
        for membership in rows:
            collection = collections_query().where(
                ArtifactCollection.id == membership.collection_id).first()
            result.append(membership_dict(membership, collection))
        return result

    def list_artifacts(self, entity, project, collection, type_name, run_id, direction,
                       after, first):
        offset = int(after) if str(after or "").isdigit() else 0
        if run_id:
            query = artifact_query().where(Artifact.state == "COMMITTED")
            if direction == "input":
                query = (query.join(ArtifactUse, on=ArtifactUse.artifact == Artifact.id)
                         .where(ArtifactUse.run == artifact_pk(run_id, "run")).order_by(ArtifactUse.id))
            else:
                query = query.where(Artifact.created_by == artifact_pk(run_id, "run")).order_by(Artifact.id)
            versions = None
        else:
            found = find_collection(entity, project, collection)
            if found is None or (type_name and found.type.name != type_name):
                return [], False, 0
            query = (artifact_query()
                     .join(ArtifactMembership, on=ArtifactMembership.artifact == Artifact.id)
                     .where((ArtifactMembership.collection == found.id)
                            & (Artifact.state == "COMMITTED"))
                     .order_by(ArtifactMembership.version_index.desc()))
            versions = {m.artifact_id: m.version_index for m in ArtifactMembership.select()
                        .where(ArtifactMembership.collection == found.id)}
        total = query.count()
        rows, has_next = page_of(query.offset(offset), first)
        records = artifact_dicts(rows)
        for record in records:
            record["membership_version"] = (versions or {}).get(int(record["id"]),
                                                                record["version_index"])
        return records, has_next, total

    def get_collection(self, collection_id=None, entity="", project="", name=""):
        if collection_id:
            found = collections_query().where(
                ArtifactCollection.id == artifact_pk(collection_id, "collection")).first()
        else:
            found = find_collection(entity, project, name)
        return collection_dict(found) if found else None

    def list_collections(self, entity, project, type_name, after, first):
        offset = int(after) if str(after or "").isdigit() else 0
        query = collections_query().where((Entity.name == entity)
                                                & (Project.name == project))
        if type_name:
            query = query.where(ArtifactType.name == type_name)
        total = query.count()
        rows, has_next = page_of(query.order_by(ArtifactCollection.id).offset(offset), first)
        return [collection_dict(c) for c in rows], has_next, total

    def list_artifact_types(self, entity, project):
        query = (ArtifactType.select().join(Project).join(Entity)
                 .where((Entity.name == entity) & (Project.name == project))
                 .order_by(ArtifactType.id))
        return [{"id": str(t.id), "name": t.name, "description": t.description,
                 "created_at": t.created_at} for t in query]

    def set_aliases(self, artifact_id, add, remove, replace_in=None):
        apk = artifact_pk(artifact_id)
        with self.write():
            artifact = Artifact.get_or_none(Artifact.id == apk)
            if artifact is None:
                raise NotFound(f"artifact {artifact_id} does not exist")
            for collection_id in replace_in or []:
                keep = {alias for cid, alias in add if cid == collection_id}
                ArtifactAlias.delete().where(
                    (ArtifactAlias.artifact == apk) & (ArtifactAlias.collection == artifact_pk(collection_id))
                    & ArtifactAlias.alias.not_in(keep or {""})).execute()
            for collection_id, alias in remove:
                ArtifactAlias.delete().where(
                    (ArtifactAlias.artifact == apk) & (ArtifactAlias.collection == artifact_pk(collection_id))
                    & (ArtifactAlias.alias == alias)).execute()
            by_collection: dict[str, list[str]] = {}
            for collection_id, alias in add:
                by_collection.setdefault(collection_id, []).append(alias)
            for collection_id, aliases in by_collection.items():
                collection = ArtifactCollection.get_by_id(artifact_pk(collection_id, "collection"))
                apply_aliases(artifact, collection, aliases)

    def link_artifact(self, artifact_id, entity, project, portfolio, aliases):
        apk = artifact_pk(artifact_id)
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
                    type=artifact_type(proj, ArtifactType.get_by_id(artifact.type_id).name))
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
            apply_aliases(artifact, collection, ["latest"] + list(aliases))
        found = collections_query().where(ArtifactCollection.id == collection.id).first()
        return membership_dict(membership, found)

    def unlink_artifact(self, artifact_id, portfolio_id):
        apk, cpk = artifact_pk(artifact_id), artifact_pk(portfolio_id, "collection")
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
        cpk = artifact_pk(collection_id, "collection")
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
                new_type = artifact_type(Project.get_by_id(collection.project_id),
                                               fields["type"])
                collection.type = new_type
                Artifact.update(type=new_type).where(Artifact.sequence == cpk).execute()
            collection.tags = changed_tags(collection.tags, fields)
            collection.updated_at = time.time()
            collection.save()
        return self.get_collection(cpk)

    def delete_collection(self, collection_id):
        cpk = artifact_pk(collection_id, "collection")
        keys = []
        collection = ArtifactCollection.get_or_none(ArtifactCollection.id == cpk)
        if collection is None:
            raise NotFound(f"no artifact collection with id {collection_id}")
        if collection.kind == "sequence":
            for artifact in Artifact.select(Artifact.id).where(Artifact.sequence == cpk):
                keys += self.artifacts.delete_artifact(artifact.id)
        with self.write():
            ArtifactCollection.delete().where(ArtifactCollection.id == cpk).execute()
        return keys
