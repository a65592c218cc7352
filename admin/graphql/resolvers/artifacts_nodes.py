"""Artifact records (protos/artifacts.proto messages) as the GraphQL dicts wandb reads.

Fields with arguments or that need another core call have resolvers in artifacts_read.py;
each node keeps its message under a ``_`` key for them.
"""

from __future__ import annotations

from roost.admin.graphql import ids
from roost.admin.graphql.resolvers.viewer import entity_node
from roost.protos import artifacts_pb2 as pb

TYPENAMES = {"sequence": "ArtifactSequence", "portfolio": "ArtifactPortfolio"}


def alias_inputs(items, scoped: bool = False) -> list[pb.AliasInput]:
    """GraphQL alias inputs (``{alias, artifactCollectionName}``, and with ``scoped`` their
    ``entityName`` and ``projectName``) as the core's AliasInput messages."""
    return [pb.AliasInput(alias=a["alias"], collection=a["artifactCollectionName"],
                          **({"entity": a["entityName"], "project": a["projectName"]}
                             if scoped else {}))
            for a in items or []]


def tag_names(items) -> list[str]:
    """GraphQL tag inputs (``{tagName}``) as names."""
    return [t["tagName"] for t in items or []]


def decode_artifact_id(value: str | None) -> str:
    return ids.decode("Artifact", value) if value else ""


def decode_collection_id(value: str | None) -> str:
    if not value:
        return ""
    for kind in ("ArtifactCollection", "ArtifactSequence", "ArtifactPortfolio"):
        try:
            return ids.decode(kind, value)
        except Exception:  # noqa: BLE001 - try the next id kind; the last error is raised below
            continue
    return ids.decode("ArtifactCollection", value)


def project_info(entity: str, project: str, project_id: str) -> dict:
    return {"id": ids.encode("Project", project_id), "internalId": project_id, "name": project,
            "entityName": entity, "entity": entity_node(entity, ""), "isBenchmark": False,
            "readOnly": False, "description": None, "createdAt": None, "user": None}


def tag_node(name: str) -> dict:
    return {"__typename": "Tag", "id": ids.encode("Tag", name), "name": name,
            "tagCategoryName": None, "attributes": None}


def type_node(name: str, project: dict, pk: str = "", description: str = "",
              created_at: float | None = None) -> dict:
    return {"id": ids.encode("ArtifactType", pk or f"{project['internalId']}:{name}"),
            "name": name, "description": description or None, "createdAt": created_at,
            "project": project}


def collection_node(collection) -> dict:
    project = project_info(collection.entity, collection.project, collection.project_id)
    return {
        "_collection": collection, "__typename": TYPENAMES.get(collection.kind, "ArtifactSequence"),
        "id": ids.encode("ArtifactCollection", collection.id), "name": collection.name,
        "description": collection.description or None, "createdAt": collection.created_at,
        "updatedAt": collection.updated_at, "state": collection.state or "READY",
        "project": project, "defaultArtifactType": type_node(collection.type, project),
        "tags": {"edges": [{"node": tag_node(t)} for t in collection.tags]},
        "digestAlgorithm": "MANIFEST_MD5",
        "latestArtifact": ({"id": ids.encode("Artifact", collection.latest_artifact_id)}
                           if collection.latest_artifact_id else None),
    }


def light_collection(kind: str, pk: str, name: str, entity: str, project: str,
                     project_id: str) -> dict:
    """What an alias or artifact knows of its collection; resolvers fetch the rest by id."""
    return {"__typename": TYPENAMES.get(kind, "ArtifactSequence"),
            "id": ids.encode("ArtifactCollection", pk), "_collection_id": pk, "name": name,
            "project": project_info(entity, project, project_id), "state": "READY",
            "digestAlgorithm": "MANIFEST_MD5"}


def alias_node(alias) -> dict:
    return {"__typename": "ArtifactAlias", "id": ids.encode("ArtifactAlias", alias.id),
            "alias": alias.alias, "artifactCollectionName": alias.collection_name,
            "artifactCollection": light_collection(alias.collection_kind, alias.collection_id,
                                                   alias.collection_name, alias.entity,
                                                   alias.project, alias.project_id)}


def run_info_node(run) -> dict:
    return {"__typename": "Run", "_run": run, "id": ids.encode("Run", run.id), "name": run.name,
            "displayName": run.name,
            "project": project_info(run.entity, run.project, run.project_id)}


def artifact_node(artifact) -> dict:
    project = project_info(artifact.entity, artifact.project, artifact.project_id)
    sequence = light_collection("sequence", artifact.collection_id, artifact.collection,
                                artifact.entity, artifact.project, artifact.project_id)
    sequence["latestArtifact"] = ({"id": ids.encode("Artifact", artifact.latest_artifact_id)}
                                  if artifact.latest_artifact_id else None)
    manifest = None
    if artifact.manifest_url:
        manifest = {"id": ids.encode("ArtifactManifest", artifact.id), "type": "FULL",
                    "createdAt": artifact.updated_at, "digest": None,
                    "file": {"id": ids.encode("File", f"manifest-{artifact.id}"),
                             "name": "wandb_manifest.json", "displayName": "wandb_manifest.json",
                             "directUrl": artifact.manifest_url, "url": artifact.manifest_url,
                             "sizeBytes": 0, "md5": None, "mimetype": "application/json",
                             "updatedAt": artifact.updated_at}}
    return {
        "_artifact": artifact, "__typename": "Artifact", "id": ids.encode("Artifact", artifact.id),
        "digest": artifact.digest, "digestAlgorithm": "MANIFEST_MD5", "state": artifact.state,
        "versionIndex": artifact.version_index if artifact.version_index >= 0 else None,
        "description": artifact.description or None, "metadata": artifact.metadata or "{}",
        "labels": None, "ttlDurationSeconds": artifact.ttl_duration_seconds,
        "ttlIsInherited": artifact.ttl_is_inherited, "tags": [tag_node(t) for t in artifact.tags],
        "historyStep": artifact.history_step if artifact.HasField("history_step") else None,
        "size": artifact.size, "commitHash": artifact.commit_hash,
        "fileCount": artifact.file_count, "createdAt": artifact.created_at,
        "updatedAt": artifact.updated_at,
        "artifactType": type_node(artifact.type, project),
        "artifactSequence": sequence,
        "aliases": [alias_node(a) for a in artifact.aliases],
        "currentManifest": manifest,
        "createdBy": run_info_node(artifact.created_by) if artifact.HasField("created_by") else None,
    }


def membership_node(membership) -> dict:
    return {"_membership": membership, "__typename": "ArtifactCollectionMembership",
            "id": ids.encode("ArtifactCollectionMembership", membership.id),
            "versionIndex": membership.version_index, "createdAt": membership.created_at,
            "aliases": [alias_node(a) for a in membership.aliases],
            "artifactCollection": collection_node(membership.collection),
            "artifact": artifact_node(membership.artifact)}


def file_node(record) -> dict:
    return {"__typename": "File", "id": ids.encode("File", f"artifact-{record.id}"),
            "name": record.name, "displayName": record.name, "url": record.direct_url,
            "directUrl": record.direct_url, "sizeBytes": record.size,
            "storagePath": record.storage_path or None, "mimetype": record.mimetype or None,
            "updatedAt": record.updated_at, "digest": record.digest, "md5": record.digest}


def page_info(has_next: bool, end_cursor: str | None, after: str | None = None) -> dict:
    return {"__typename": "PageInfo", "hasNextPage": has_next, "hasPreviousPage": bool(after),
            "endCursor": end_cursor or None, "startCursor": None}
