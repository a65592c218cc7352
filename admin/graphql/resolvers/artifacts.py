"""Logging artifacts: createArtifact, manifests, createArtifactFiles, multipart, commit, use."""

from __future__ import annotations

from roost.admin.graphql import ids
from roost.admin.graphql.registry import resolver
from roost.admin.graphql.resolvers.artifacts_nodes import (alias_inputs, artifact_node,
                                                           decode_artifact_id, tag_names)
from roost.protos import artifacts_pb2 as pb


def _client(info):
    return info.context.core.artifacts, info.context.principal


@resolver("Mutation", "createArtifact")
def resolve_create_artifact(_, info, input):
    client, principal = _client(info)
    optional = {}
    if input.get("metadata") is not None:
        optional["metadata"] = input["metadata"]
    if input.get("ttlDurationSeconds") is not None:
        optional["ttl_duration_seconds"] = input["ttlDurationSeconds"]
    if input.get("historyStep") is not None:
        optional["history_step"] = input["historyStep"]
    reply = client.create_artifact(
        principal, entity=input.get("entityName") or "", project=input["projectName"],
        type=input["artifactTypeName"], collection=input["artifactCollectionName"],
        run=input.get("runName") or "", digest=input["digest"],
        description=input.get("description") or "",
        aliases=alias_inputs(input.get("aliases")), tags=tag_names(input.get("tags")),
        enable_dedup=bool(input.get("enableDigestDeduplication")),
        distributed_id=input.get("distributedID") or "", client_id=input.get("clientID") or "",
        sequence_client_id=input.get("sequenceClientID") or "", **optional)
    return {"artifact": artifact_node(reply.artifact)}


def _manifest_payload(upload) -> dict:
    return {"artifactManifest": {
        "id": ids.encode("ArtifactManifest", upload.id), "type": "FULL",
        "file": {"id": ids.encode("File", f"manifest-{upload.file_id}"),
                 "name": "wandb_manifest.json", "displayName": "wandb_manifest.json",
                 "uploadUrl": upload.upload_url or None,
                 "uploadHeaders": list(upload.upload_headers), "directUrl": "",
                 "sizeBytes": 0}}}


@resolver("Mutation", "createArtifactManifest")
def resolve_create_manifest(_, info, input):
    client, principal = _client(info)
    upload = client.prepare_manifest(
        principal, artifact_id=decode_artifact_id(input["artifactID"]), name=input["name"],
        type=input.get("type") or "FULL", digest=input.get("digest") or "",
        base_artifact_id=decode_artifact_id(input.get("baseArtifactID")),
        base_url=info.context.base_url)
    return _manifest_payload(upload)


@resolver("Mutation", "updateArtifactManifest")
def resolve_update_manifest(_, info, input):
    client, principal = _client(info)
    upload = client.prepare_manifest(
        principal, manifest_id=ids.decode("ArtifactManifest", input["artifactManifestID"]),
        digest=input.get("digest") or "",
        base_artifact_id=decode_artifact_id(input.get("baseArtifactID")),
        base_url=info.context.base_url)
    return _manifest_payload(upload)


@resolver("Mutation", "createArtifactFiles")
def resolve_create_artifact_files(_, info, input):
    client, principal = _client(info)
    specs = [pb.FileSpec(
        artifact_id=decode_artifact_id(spec["artifactID"]), name=spec["name"], md5=spec["md5"],
        mimetype=spec.get("mimetype") or "",
        manifest_id=(ids.decode("ArtifactManifest", spec["artifactManifestID"])
                     if spec.get("artifactManifestID") else ""),
        parts=[pb.UploadPart(part_number=p["partNumber"], hex_md5=p["hexMD5"])
               for p in spec.get("uploadPartsInput") or []])
        for spec in input["artifactFiles"]]
    uploads = client.prepare_files(principal, specs, info.context.base_url)
    edges = []
    for index, upload in enumerate(uploads.files):
        multipart = None
        if upload.upload_id:
            multipart = {"uploadID": upload.upload_id,
                         "uploadUrlParts": [{"partNumber": p.part_number, "uploadUrl": p.upload_url}
                                            for p in upload.parts]}
        edges.append({"cursor": str(index), "node": {
            "id": ids.encode("File", f"upload-{upload.storage_path}"),
            "name": specs[index].name, "displayName": specs[index].name,
            "storagePath": upload.storage_path, "uploadUrl": upload.upload_url or None,
            "uploadHeaders": list(upload.upload_headers), "uploadMultipartUrls": multipart,
            "artifact": {"id": ids.encode("Artifact", upload.birth_artifact_id)},
            "directUrl": "", "sizeBytes": 0}})
    return {"files": {"edges": edges, "totalCount": len(edges), "uploadHeaders": [],
                      "pageInfo": {"hasNextPage": False, "hasPreviousPage": False,
                                   "endCursor": None, "startCursor": None}}}


@resolver("Mutation", "completeMultipartUploadArtifact")
def resolve_complete_multipart(_, info, input):
    client, principal = _client(info)
    reply = client.complete_multipart(
        principal, artifact_id=decode_artifact_id(input["artifactID"]),
        storage_path=input["storagePath"], upload_id=input["uploadID"],
        parts=[pb.UploadPart(part_number=p["partNumber"], hex_md5=p["hexMD5"])
               for p in input["completedParts"]])
    return {"digest": reply.digest}


@resolver("Mutation", "commitArtifact")
def resolve_commit_artifact(_, info, input):
    client, principal = _client(info)
    client.commit(principal, decode_artifact_id(input["artifactID"]))
    artifact = client.get(principal, decode_artifact_id(input["artifactID"]),
                          info.context.base_url)
    return {"artifact": artifact_node(artifact)}


@resolver("Mutation", "useArtifact")
def resolve_use_artifact(_, info, input):
    client, principal = _client(info)
    client.use(principal, entity=input.get("entityName") or "", project=input["projectName"],
               run=input["runName"], artifact_id=decode_artifact_id(input["artifactID"]),
               used_as=input.get("usedAs") or "")
    artifact = client.get(principal, decode_artifact_id(input["artifactID"]),
                          info.context.base_url)
    return {"artifact": artifact_node(artifact)}


@resolver("Query", "clientIDMapping")
def resolve_client_id_mapping(_, info, clientID):
    client, principal = _client(info)
    server_id = client.resolve_client_id(principal, clientID)
    if server_id is None:
        return None
    return {"serverID": ids.encode("Artifact", server_id)}
