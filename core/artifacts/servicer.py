"""ArtifactService over gRPC: decode, call core.artifacts, encode. Nothing else."""

from __future__ import annotations

from google.protobuf.message import Message

from roost.core.servicers import translating_errors
from roost.protos.wire import principal_from_proto
from roost.protos import artifacts_pb2 as pb
from roost.protos import artifacts_pb2_grpc, common_pb2


def to_message(cls: type[Message], record: dict) -> Message:
    """A dict whose keys are the message's field names (extra keys ignored), nested too."""
    message = cls()
    for field in cls.DESCRIPTOR.fields:
        value = record.get(field.name)
        if value is None:
            continue
        if field.message_type is not None:
            nested = getattr(pb, field.message_type.name)
            if field.is_repeated:
                getattr(message, field.name).extend(to_message(nested, v) for v in value)
            else:
                getattr(message, field.name).CopyFrom(to_message(nested, value))
        elif field.is_repeated:
            getattr(message, field.name).extend(value)
        else:
            setattr(message, field.name, value)
    return message


def _aliases(items) -> list[dict]:
    return [{"alias": a.alias, "collection": a.collection, "entity": a.entity,
             "project": a.project} for a in items]


def _optional(request, name: str):
    return getattr(request, name) if request.HasField(name) else None


class ArtifactServicer(artifacts_pb2_grpc.ArtifactServiceServicer):
    def __init__(self, core):
        self.artifacts = core.artifacts

    @translating_errors
    def CreateArtifact(self, request, context):
        fields = {"digest": request.digest, "description": request.description,
                  "metadata": _optional(request, "metadata"),
                  "aliases": [a.alias for a in request.aliases
                              if a.collection in ("", request.collection)],
                  "tags": list(request.tags),
                  "ttl_duration_seconds": _optional(request, "ttl_duration_seconds"),
                  "history_step": _optional(request, "history_step"),
                  "distributed_id": request.distributed_id}
        artifact, created = self.artifacts.create_artifact(
            principal_from_proto(request.principal), request.entity, request.project,
            request.type, request.collection, request.run, fields, request.enable_dedup,
            request.client_id, request.sequence_client_id)
        return pb.CreatedArtifact(artifact=to_message(pb.Artifact, artifact), created=created)

    @translating_errors
    def PrepareManifest(self, request, context):
        return to_message(pb.ManifestUpload, self.artifacts.prepare_manifest(
            principal_from_proto(request.principal), request.artifact_id, request.manifest_id,
            request.name, request.type, request.digest, request.base_artifact_id,
            request.base_url))

    @translating_errors
    def PrepareFiles(self, request, context):
        specs = [{"artifact_id": f.artifact_id, "manifest_id": f.manifest_id, "name": f.name,
                  "md5": f.md5, "mimetype": f.mimetype,
                  "parts": [{"part_number": p.part_number, "hex_md5": p.hex_md5} for p in f.parts]}
                 for f in request.files]
        replies = self.artifacts.prepare_files(principal_from_proto(request.principal), specs,
                                               request.base_url)
        return pb.FileUploads(files=[to_message(pb.FileUpload, r) for r in replies])

    @translating_errors
    def CompleteMultipart(self, request, context):
        digest = self.artifacts.complete_multipart(
            principal_from_proto(request.principal), request.artifact_id, request.storage_path,
            request.upload_id, [(p.part_number, p.hex_md5) for p in request.parts])
        return pb.CompleteMultipartReply(digest=digest)

    @translating_errors
    def CommitArtifact(self, request, context):
        return to_message(pb.Artifact, self.artifacts.commit_artifact(
            principal_from_proto(request.principal), request.id))

    @translating_errors
    def UseArtifact(self, request, context):
        return to_message(pb.Artifact, self.artifacts.use_artifact(
            principal_from_proto(request.principal), request.entity, request.project,
            request.run, request.artifact_id, request.used_as))

    @translating_errors
    def GetArtifact(self, request, context):
        return to_message(pb.Artifact, self.artifacts.get_artifact(
            principal_from_proto(request.principal), request.id, request.base_url))

    @translating_errors
    def GetMembership(self, request, context):
        return to_message(pb.Membership, self.artifacts.get_membership(
            principal_from_proto(request.principal), request.entity, request.project,
            request.collection or request.name, request.alias, request.base_url))

    @translating_errors
    def ListArtifacts(self, request, context):
        records, has_next, total = self.artifacts.list_artifacts(
            principal_from_proto(request.principal), request.entity, request.project,
            request.collection, request.type, request.run, request.direction, request.after,
            request.first)
        offset = int(request.after) if request.after.isdigit() else 0
        return pb.ArtifactList(
            artifacts=[to_message(pb.Artifact, r) for r in records],
            version_indexes=[r.get("membership_version", r["version_index"]) for r in records],
            has_next_page=has_next, total=total, end_cursor=str(offset + len(records)))

    @translating_errors
    def ListMemberships(self, request, context):
        return pb.MembershipList(memberships=[
            to_message(pb.Membership, m) for m in self.artifacts.list_memberships(
                principal_from_proto(request.principal), request.id)])

    @translating_errors
    def ListFiles(self, request, context):
        files, has_next, total = self.artifacts.list_files(
            principal_from_proto(request.principal), request.artifact_id, list(request.names),
            request.after, request.first, request.base_url)
        return pb.ArtifactFileList(files=[to_message(pb.ArtifactFile, f) for f in files],
                                   has_next_page=has_next, total=total,
                                   end_cursor=files[-1]["name"] if files else "")

    @translating_errors
    def GetCollection(self, request, context):
        return to_message(pb.Collection, self.artifacts.get_collection(
            principal_from_proto(request.principal), request.id, request.entity,
            request.project, request.name, request.type))

    @translating_errors
    def ListCollections(self, request, context):
        records, has_next, total = self.artifacts.list_collections(
            principal_from_proto(request.principal), request.entity, request.project,
            request.type, request.after, request.first)
        offset = int(request.after) if request.after.isdigit() else 0
        return pb.CollectionList(collections=[to_message(pb.Collection, c) for c in records],
                                 has_next_page=has_next, total=total,
                                 end_cursor=str(offset + len(records)))

    @translating_errors
    def ListTypes(self, request, context):
        types = self.artifacts.list_types(principal_from_proto(request.principal),
                                          request.entity, request.project)
        if request.name:
            types = [t for t in types if t["name"] == request.name]
        return pb.ArtifactTypeList(types=[to_message(pb.ArtifactType, t) for t in types])

    @translating_errors
    def ListUsers(self, request, context):
        return pb.RunRefList(runs=[to_message(pb.RunInfo, r) for r in self.artifacts.list_users(
            principal_from_proto(request.principal), request.id)])

    @translating_errors
    def ResolveClientId(self, request, context):
        server_id = self.artifacts.resolve_client_id(principal_from_proto(request.principal),
                                                     request.client_id)
        return pb.ClientIdReply(server_id=server_id or "", found=server_id is not None)

    @translating_errors
    def UpdateArtifact(self, request, context):
        fields = {"description": _optional(request, "description"),
                  "metadata": _optional(request, "metadata"),
                  "ttl_duration_seconds": _optional(request, "ttl_duration_seconds"),
                  "tags_to_add": list(request.tags_to_add),
                  "tags_to_delete": list(request.tags_to_delete)}
        return to_message(pb.Artifact, self.artifacts.update_artifact(
            principal_from_proto(request.principal), request.artifact_id, fields,
            _aliases(request.aliases) if request.replace_aliases else None))

    @translating_errors
    def EditAliases(self, request, context):
        self.artifacts.edit_aliases(principal_from_proto(request.principal), request.artifact_id,
                                    _aliases(request.add), _aliases(request.remove))
        return common_pb2.Empty()

    @translating_errors
    def DeleteArtifact(self, request, context):
        self.artifacts.delete_artifact(principal_from_proto(request.principal),
                                       request.artifact_id, request.delete_aliases)
        return common_pb2.Empty()

    @translating_errors
    def LinkArtifact(self, request, context):
        return to_message(pb.Membership, self.artifacts.link_artifact(
            principal_from_proto(request.principal), request.artifact_id, request.client_id,
            request.entity, request.project, request.portfolio, request.portfolio_id,
            [a.alias for a in request.aliases]))

    @translating_errors
    def UnlinkArtifact(self, request, context):
        self.artifacts.unlink_artifact(principal_from_proto(request.principal),
                                       request.artifact_id, request.portfolio_id)
        return common_pb2.Empty()

    @translating_errors
    def UpdateCollection(self, request, context):
        fields = {"name": _optional(request, "name"),
                  "description": _optional(request, "description"),
                  "type": _optional(request, "type"),
                  "tags_to_add": list(request.tags_to_add),
                  "tags_to_delete": list(request.tags_to_delete)}
        return to_message(pb.Collection, self.artifacts.update_collection(
            principal_from_proto(request.principal), request.id, fields))

    @translating_errors
    def DeleteCollection(self, request, context):
        return to_message(pb.Collection, self.artifacts.delete_collection(
            principal_from_proto(request.principal), request.id))

    @translating_errors
    def ResolveDownload(self, request, context):
        return pb.DownloadUrl(url=self.artifacts.resolve_download(
            principal_from_proto(request.principal), request.entity, request.md5_hex,
            request.project, [request.artifact_id, request.birth_artifact_id], request.base_url))

    @translating_errors
    def CollectGarbage(self, request, context):
        return pb.GarbageReply(**self.artifacts.collect_garbage(
            principal_from_proto(request.principal), request.dry_run))


def add_to_server(core, server) -> None:
    artifacts_pb2_grpc.add_ArtifactServiceServicer_to_server(ArtifactServicer(core), server)
