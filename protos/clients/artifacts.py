"""The front's typed client for ArtifactService (``core_client.artifacts``).

Each method takes the caller's principal and keyword fields of the request message, and
raises the core's own errors (NotFound, PermissionDenied, ...).
"""

from __future__ import annotations

from roost.core.errors import NotFound
from roost.protos.clients.base import ServiceClient
from roost.protos import artifacts_pb2 as pb
from roost.protos import artifacts_pb2_grpc


class ArtifactClient(ServiceClient):
    stub_class = artifacts_pb2_grpc.ArtifactServiceStub

    # -- logging a version -------------------------------------------------------------------
    def create_artifact(self, principal, **fields) -> pb.CreatedArtifact:
        return self._call(self._stub.CreateArtifact, pb.CreateArtifactRequest, principal, **fields)

    def prepare_manifest(self, principal, **fields) -> pb.ManifestUpload:
        return self._call(self._stub.PrepareManifest, pb.PrepareManifestRequest, principal,
                          **fields)

    def prepare_files(self, principal, files: list[pb.FileSpec], base_url: str) -> pb.FileUploads:
        return self._call(self._stub.PrepareFiles, pb.PrepareFilesRequest, principal, files=files,
                          base_url=base_url)

    def complete_multipart(self, principal, **fields) -> pb.CompleteMultipartReply:
        return self._call(self._stub.CompleteMultipart, pb.CompleteMultipartRequest, principal,
                          **fields)

    def commit(self, principal, artifact_id: str) -> pb.Artifact:
        return self._call(self._stub.CommitArtifact, pb.ArtifactRef, principal, id=artifact_id)

    def use(self, principal, **fields) -> pb.Artifact:
        return self._call(self._stub.UseArtifact, pb.UseArtifactRequest, principal, **fields)

    # -- reading -----------------------------------------------------------------------------
    def get(self, principal, artifact_id: str, base_url: str = "") -> pb.Artifact:
        return self._call(self._stub.GetArtifact, pb.ArtifactRef, principal, id=artifact_id,
                          base_url=base_url)

    def find(self, principal, artifact_id: str, base_url: str = "") -> pb.Artifact | None:
        try:
            return self.get(principal, artifact_id, base_url)
        except NotFound:
            return None

    def membership(self, principal, **fields) -> pb.Membership | None:
        """None when there is no such version (GraphQL answers null, not an error)."""
        try:
            return self._call(self._stub.GetMembership, pb.MembershipRequest, principal, **fields)
        except NotFound:
            return None

    def list(self, principal, **fields) -> pb.ArtifactList:
        return self._call(self._stub.ListArtifacts, pb.ListArtifactsRequest, principal, **fields)

    def memberships(self, principal, artifact_id: str) -> list[pb.Membership]:
        return list(self._call(self._stub.ListMemberships, pb.ArtifactRef, principal,
                               id=artifact_id).memberships)

    def files(self, principal, **fields) -> pb.ArtifactFileList:
        return self._call(self._stub.ListFiles, pb.ListArtifactFilesRequest, principal, **fields)

    def collection(self, principal, **fields) -> pb.Collection | None:
        try:
            return self._call(self._stub.GetCollection, pb.CollectionRequest, principal, **fields)
        except NotFound:
            return None

    def collections(self, principal, **fields) -> pb.CollectionList:
        return self._call(self._stub.ListCollections, pb.ListCollectionsRequest, principal,
                          **fields)

    def types(self, principal, **fields) -> list[pb.ArtifactType]:
        return list(self._call(self._stub.ListTypes, pb.ListTypesRequest, principal,
                               **fields).types)

    def users(self, principal, artifact_id: str) -> list[pb.RunInfo]:
        return list(self._call(self._stub.ListUsers, pb.ArtifactRef, principal,
                               id=artifact_id).runs)

    def resolve_client_id(self, principal, client_id: str) -> str | None:
        reply = self._call(self._stub.ResolveClientId, pb.ClientIdRequest, principal,
                           client_id=client_id)
        return reply.server_id if reply.found else None

    # -- changing ----------------------------------------------------------------------------
    def update(self, principal, **fields) -> pb.Artifact:
        return self._call(self._stub.UpdateArtifact, pb.UpdateArtifactRequest, principal, **fields)

    def edit_aliases(self, principal, **fields) -> None:
        self._call(self._stub.EditAliases, pb.EditAliasesRequest, principal, **fields)

    def delete(self, principal, artifact_id: str, delete_aliases: bool) -> None:
        self._call(self._stub.DeleteArtifact, pb.DeleteArtifactRequest, principal,
                   artifact_id=artifact_id, delete_aliases=delete_aliases)

    def link(self, principal, **fields) -> pb.Membership:
        return self._call(self._stub.LinkArtifact, pb.LinkArtifactRequest, principal, **fields)

    def unlink(self, principal, artifact_id: str, portfolio_id: str) -> None:
        self._call(self._stub.UnlinkArtifact, pb.UnlinkArtifactRequest, principal,
                   artifact_id=artifact_id, portfolio_id=portfolio_id)

    def update_collection(self, principal, **fields) -> pb.Collection:
        return self._call(self._stub.UpdateCollection, pb.UpdateCollectionRequest, principal,
                          **fields)

    def delete_collection(self, principal, collection_id: str) -> pb.Collection:
        return self._call(self._stub.DeleteCollection, pb.CollectionRequest, principal,
                          id=collection_id)

    def resolve_download(self, principal, **fields) -> str:
        return self._call(self._stub.ResolveDownload, pb.ResolveDownloadRequest, principal,
                          **fields).url

    def collect_garbage(self, principal, dry_run: bool = False) -> pb.GarbageReply:
        return self._call(self._stub.CollectGarbage, pb.GarbageRequest, principal, dry_run=dry_run)
