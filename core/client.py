"""The typed client the front uses to reach the core. It raises the core's own errors."""

from __future__ import annotations

import functools
import json
from typing import Iterable, Iterator

import grpc

from roost.core.artifacts.client import ArtifactClient
from roost.core.ui_client import UiClient
from roost.core.auth import Credentials, Principal
from roost.core.errors import from_grpc
from roost.core.server import GRPC_OPTIONS, SECRET_METADATA
from roost.core.sweeps.client import SweepClient
from roost.core.wire import credentials_to_proto, principal_from_proto, principal_to_proto
from roost.protos import (admin_pb2, admin_pb2_grpc, auth_pb2, auth_pb2_grpc, common_pb2,
                          media_pb2, media_pb2_grpc, storage_pb2, storage_pb2_grpc)

UPLOAD_CHUNK = 1024 * 1024


def core_errors(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except grpc.RpcError as exc:
            raise from_grpc(exc) from None
    return wrapper


def _stream(iterator):
    """Re-raise gRPC errors from a server stream as the core's errors."""
    try:
        yield from iterator
    except grpc.RpcError as exc:
        raise from_grpc(exc) from None


class CoreClient:
    def __init__(self, address: str, secret: str, timeout: float = 60.0):
        self.address = address
        self._channel = grpc.insecure_channel(address, options=GRPC_OPTIONS)
        self._metadata = ((SECRET_METADATA, secret),)
        self._timeout = timeout
        self.auth = auth_pb2_grpc.AuthServiceStub(self._channel)
        self.storage = storage_pb2_grpc.StorageServiceStub(self._channel)
        self.media = media_pb2_grpc.MediaServiceStub(self._channel)
        self.artifacts = ArtifactClient(self._channel, self._metadata, self._timeout)
        self.ui = UiClient(self._channel, self._metadata, self._timeout)
        self.sweeps = SweepClient(self._channel, self._metadata, self._timeout)
        self.admin = admin_pb2_grpc.AdminServiceStub(self._channel)

    def close(self) -> None:
        self._channel.close()

    def _call(self, rpc, request):
        return rpc(request, metadata=self._metadata, timeout=self._timeout)

    def wait_ready(self, timeout: float) -> None:
        grpc.channel_ready_future(self._channel).result(timeout=timeout)

    # -- auth --------------------------------------------------------------------------------
    @core_errors
    def authenticate(self, credentials: Credentials) -> Principal:
        return principal_from_proto(self._call(self.auth.Authenticate,
                                               credentials_to_proto(credentials)))

    @core_errors
    def create_api_key(self, principal: Principal, username: str, description: str = ""):
        return self._call(self.auth.CreateApiKey, auth_pb2.CreateApiKeyRequest(
            principal=principal_to_proto(principal), username=username, description=description))

    @core_errors
    def list_api_keys(self, principal: Principal, username: str):
        return self._call(self.auth.ListApiKeys, auth_pb2.ListApiKeysRequest(
            principal=principal_to_proto(principal), username=username)).keys

    @core_errors
    def revoke_api_key(self, principal: Principal, key_id: str) -> None:
        self._call(self.auth.RevokeApiKey, auth_pb2.RevokeApiKeyRequest(
            principal=principal_to_proto(principal), key_id=key_id))

    # -- tenancy and administration (AdminService; messages in protos/admin.proto) -----------
    @core_errors
    def _admin_call(self, method: str, request_type: str, principal: Principal | None = None,
                    **fields):
        request = getattr(admin_pb2, request_type)(**fields)
        if principal is not None:
            request.principal.CopyFrom(principal_to_proto(principal))
        return self._call(getattr(self.admin, method), request)

    @core_errors
    def create_user(self, principal: Principal, username: str, email: str = "",
                    password: str = "", admin: bool = False) -> auth_pb2.User:
        return self._call(self.auth.CreateUser, auth_pb2.CreateUserRequest(
            principal=principal_to_proto(principal), username=username, email=email,
            password=password, admin=admin))

    @core_errors
    def get_user(self, principal: Principal, username: str) -> auth_pb2.User:
        return self._call(self.auth.GetUser, auth_pb2.GetUserRequest(
            principal=principal_to_proto(principal), username=username))

    def principal_for_user(self, user_id: str) -> Principal:
        return principal_from_proto(self._admin_call("PrincipalForUser", "PrincipalForUserRequest",
                                                     user_id=user_id))

    def change_password(self, principal: Principal, old: str, new: str) -> None:
        self._admin_call("ChangePassword", "ChangePasswordRequest", principal,
                         old_password=old, new_password=new)

    def create_team(self, principal: Principal, name: str, owner: str = "") -> admin_pb2.Team:
        return self._admin_call("CreateTeam", "CreateTeamRequest", principal, name=name,
                                owner=owner)

    def list_teams(self, principal: Principal) -> list:
        return list(self._admin_call("ListTeams", "PrincipalOnly", principal).teams)

    def get_team(self, principal: Principal, team: str) -> admin_pb2.Team:
        return self._admin_call("GetTeam", "TeamRequest", principal, team=team)

    def set_member(self, principal: Principal, team: str, username: str,
                   role: str) -> admin_pb2.Team:
        return self._admin_call("SetMember", "SetMemberRequest", principal, team=team,
                                username=username, role=role)

    def remove_member(self, principal: Principal, team: str, username: str) -> admin_pb2.Team:
        return self._admin_call("RemoveMember", "MemberRequest", principal, team=team,
                                username=username)

    def create_service_account(self, principal: Principal, team: str, description: str):
        return self._admin_call("CreateServiceAccount", "CreateServiceAccountRequest",
                                principal, team=team, description=description)

    def list_users(self, principal: Principal, query: str = "", limit: int = 200) -> list:
        return list(self._admin_call("ListUsers", "ListUsersRequest", principal, query=query,
                                     limit=limit).users)

    def update_user(self, principal: Principal, username: str, **changes) -> auth_pb2.User:
        return self._admin_call("UpdateUser", "UpdateUserRequest", principal, username=username,
                                **{k: v for k, v in changes.items() if v is not None})

    def get_settings(self, principal: Principal) -> admin_pb2.Settings:
        return self._admin_call("GetSettings", "PrincipalOnly", principal)

    def set_setting(self, principal: Principal, name: str, value: str) -> admin_pb2.Settings:
        return self._admin_call("SetSetting", "SetSettingRequest", principal, name=name,
                                value=value)

    def register(self, username: str, password: str, email: str = "") -> auth_pb2.User:
        return self._admin_call("Register", "RegisterRequest", username=username,
                                password=password, email=email)

    def create_invite(self, principal: Principal, team: str = "", email: str = "",
                      username: str = "", role: str = "member",
                      expires_in_seconds: int = 0) -> admin_pb2.CreatedInvite:
        return self._admin_call("CreateInvite", "CreateInviteRequest", principal, team=team,
                                email=email, username=username, role=role,
                                expires_in_seconds=expires_in_seconds)

    def list_invites(self, principal: Principal, team: str = "") -> list:
        return list(self._admin_call("ListInvites", "TeamRequest", principal, team=team).invites)

    def revoke_invite(self, principal: Principal, invite_id: str) -> None:
        self._admin_call("RevokeInvite", "IdRequest", principal, id=invite_id)

    def get_invite(self, token: str) -> admin_pb2.Invite:
        return self._admin_call("GetInvite", "TokenRequest", token=token)

    def accept_invite(self, token: str, username: str, password: str,
                      email: str = "") -> auth_pb2.User:
        return self._admin_call("AcceptInvite", "AcceptInviteRequest", token=token,
                                username=username, password=password, email=email)

    def create_share_link(self, principal: Principal, entity: str, project: str, run: str = "",
                          expires_in_seconds: int = 0,
                          description: str = "") -> admin_pb2.CreatedShareLink:
        return self._admin_call("CreateShareLink", "CreateShareLinkRequest", principal,
                                entity=entity, project=project, run=run,
                                expires_in_seconds=expires_in_seconds, description=description)

    def list_share_links(self, principal: Principal, entity: str = "",
                         project: str = "") -> list:
        return list(self._admin_call("ListShareLinks", "ProjectRequest", principal,
                                     entity=entity, project=project).links)

    def revoke_share_link(self, principal: Principal, link_id: str) -> None:
        self._admin_call("RevokeShareLink", "IdRequest", principal, id=link_id)

    def describe_share(self, principal: Principal) -> admin_pb2.ShareLink:
        return self._admin_call("DescribeShare", "PrincipalOnly", principal)

    def list_projects(self, principal: Principal, entity: str = "") -> list:
        return list(self._admin_call("ListProjects", "ProjectRequest", principal,
                                     entity=entity).projects)

    def set_project_visibility(self, principal: Principal, entity: str, project: str,
                               visibility: str) -> None:
        self._admin_call("SetProjectVisibility", "SetProjectVisibilityRequest", principal,
                         entity=entity, project=project, visibility=visibility)

    def move_project(self, principal: Principal, entity: str, project: str,
                     new_entity: str) -> None:
        self._admin_call("MoveProject", "MoveProjectRequest", principal, entity=entity,
                         project=project, new_entity=new_entity)

    def delete_project(self, principal: Principal, entity: str, project: str) -> None:
        self._admin_call("DeleteProject", "ProjectRequest", principal, entity=entity,
                         project=project)

    def storage_usage(self, principal: Principal) -> list:
        return list(self._admin_call("StorageUsage", "PrincipalOnly", principal).projects)

    def list_plugins(self, principal: Principal) -> list:
        return list(self._admin_call("ListPlugins", "PrincipalOnly", principal).plugins)

    def list_audit(self, principal: Principal, limit: int = 100, before_id: str = "",
                   action: str = "") -> list:
        return list(self._admin_call("ListAudit", "ListAuditRequest", principal, limit=limit,
                                     before_id=before_id, action=action).entries)

    # -- storage -----------------------------------------------------------------------------
    @core_errors
    def health(self) -> storage_pb2.HealthReply:
        return self.storage.Health(common_pb2.Empty(), metadata=self._metadata,
                                   timeout=5)

    @core_errors
    def get_entity(self, principal: Principal, name: str) -> storage_pb2.Entity:
        return self._call(self.storage.GetEntity, storage_pb2.GetEntityRequest(
            principal=principal_to_proto(principal), name=name))

    @core_errors
    def get_project(self, principal: Principal, entity: str, name: str) -> storage_pb2.Project:
        return self._call(self.storage.GetProject, storage_pb2.GetProjectRequest(
            principal=principal_to_proto(principal), entity=entity, name=name))

    @core_errors
    def upsert_run(self, principal: Principal, base_url: str, **fields) -> storage_pb2.UpsertRunReply:
        fields = {k: v for k, v in fields.items() if v is not None}
        if "tags" in fields:
            fields["tags"] = storage_pb2.StringList(values=fields["tags"])
        return self._call(self.storage.UpsertRun, storage_pb2.UpsertRunRequest(
            principal=principal_to_proto(principal), base_url=base_url, **fields))

    @staticmethod
    def _ref(entity: str, project: str, run: str):
        return common_pb2.RunRef(entity=entity, project=project, run=run)

    @core_errors
    def get_run(self, principal: Principal, entity: str, project: str, run: str) -> storage_pb2.Run:
        return self._call(self.storage.GetRun, storage_pb2.GetRunRequest(
            principal=principal_to_proto(principal), run=self._ref(entity, project, run)))

    def find_run(self, principal: Principal, entity: str, project: str, run: str):
        """The run, or None when it does not exist."""
        from roost.core.errors import NotFound
        try:
            return self.get_run(principal, entity, project, run)
        except NotFound:
            return None

    @core_errors
    def delete_run(self, principal: Principal, run_id: str) -> None:
        self._call(self.storage.DeleteRun, storage_pb2.GetRunRequest(
            principal=principal_to_proto(principal), id=run_id))

    @core_errors
    def write_file_stream(self, caller: Principal | Credentials, entity: str, project: str,
                          run: str, body: bytes) -> bool:
        """Forward one file_stream POST body; ``caller`` is the principal, or the request's
        credentials for the core to check in the same call. Returns whether the run was
        asked to stop."""
        request = storage_pb2.FileStreamRequest(run=self._ref(entity, project, run), body=body)
        if isinstance(caller, Credentials):
            request.credentials.CopyFrom(credentials_to_proto(caller))
        else:
            request.principal.CopyFrom(principal_to_proto(caller))
        return self._call(self.storage.WriteFileStream, request).stopped

    @core_errors
    def prepare_run_file_uploads(self, principal: Principal, entity: str, project: str, run: str,
                                 names: list[str], base_url: str) -> storage_pb2.RunFileUploads:
        return self._call(self.storage.PrepareRunFileUploads, storage_pb2.RunFilesRequest(
            principal=principal_to_proto(principal), run=self._ref(entity, project, run),
            names=names, base_url=base_url))

    @core_errors
    def mark_run_files_uploaded(self, principal: Principal, entity: str, project: str, run: str,
                                names: list[str]) -> None:
        self._call(self.storage.MarkRunFilesUploaded, storage_pb2.RunFilesRequest(
            principal=principal_to_proto(principal), run=self._ref(entity, project, run),
            names=names))

    @core_errors
    def list_run_files(self, principal: Principal, entity: str, project: str, run: str,
                       base_url: str, names: list[str] = (), after: str = "", first: int = 0,
                       pattern: str = "") -> storage_pb2.RunFileList:
        return self._call(self.storage.ListRunFiles, storage_pb2.ListRunFilesRequest(
            principal=principal_to_proto(principal), run=self._ref(entity, project, run),
            names=list(names), base_url=base_url, after=after, first=first, pattern=pattern or ""))

    @core_errors
    def read_run_file(self, principal: Principal, entity: str, project: str, run: str,
                      name: str) -> tuple[int, Iterator[bytes]]:
        stream = self.storage.ReadRunFile(storage_pb2.ReadRunFileRequest(
            principal=principal_to_proto(principal), run=self._ref(entity, project, run),
            name=name), metadata=self._metadata)
        return self._open_stream(stream)

    @core_errors
    def read_console(self, principal: Principal, entity: str, project: str, run: str,
                     offset: int = 0, limit: int = 1000) -> storage_pb2.ConsoleLines:
        return self._call(self.storage.ReadConsole, storage_pb2.ReadConsoleRequest(
            principal=principal_to_proto(principal), run=self._ref(entity, project, run),
            offset=offset, limit=limit))

    @core_errors
    def read_history(self, principal: Principal, entity: str, project: str, run: str,
                     stream: str = "history", min_step: int | None = None,
                     max_step: int | None = None, limit: int = 0) -> list[str]:
        request = storage_pb2.ReadHistoryRequest(
            principal=principal_to_proto(principal), run=self._ref(entity, project, run),
            stream=stream, limit=limit)
        if min_step is not None:
            request.min_step = min_step
        if max_step is not None:
            request.max_step = max_step
        return list(self._call(self.storage.ReadHistory, request).lines)

    # -- the Public API's reads --------------------------------------------------------------
    @core_errors
    def list_projects_page(self, principal: Principal, entity: str, after: str = "",
                           first: int = 50) -> storage_pb2.ProjectList:
        return self._call(self.storage.ListProjects, storage_pb2.ListProjectsRequest(
            principal=principal_to_proto(principal), entity=entity, after=after or "",
            first=first))

    @core_errors
    def count_runs(self, principal: Principal, entity: str, project: str,
                   filters: str = "") -> int:
        return self._call(self.storage.CountRuns, storage_pb2.ListRunsRequest(
            principal=principal_to_proto(principal), entity=entity, project=project,
            filters=filters or "")).count

    @core_errors
    def list_runs(self, principal: Principal, entity: str, project: str, filters: str = "",
                  order: str = "", after: str = "", first: int = 50) -> storage_pb2.RunList:
        return self._call(self.storage.ListRuns, storage_pb2.ListRunsRequest(
            principal=principal_to_proto(principal), entity=entity, project=project,
            filters=filters or "", order=order or "", after=after or "", first=first))

    @core_errors
    def sample_history(self, principal: Principal, entity: str, project: str, run: str,
                       specs: list[dict]) -> list[list[dict]]:
        """Per spec ``{"keys", "samples", "min_step"?, "max_step"?}``: its rows."""
        request = storage_pb2.SampleHistoryRequest(
            principal=principal_to_proto(principal), run=self._ref(entity, project, run),
            specs=[storage_pb2.HistorySpec(**spec) for spec in specs])
        return [json.loads(rows) for rows in self._call(self.storage.SampleHistory,
                                                        request).results]

    @core_errors
    def sample_history_lines(self, principal: Principal, entity: str, project: str, run: str,
                             stream: str, samples: int, min_step: int | None = None,
                             max_step: int | None = None) -> list[str]:
        request = storage_pb2.SampleHistoryLinesRequest(
            principal=principal_to_proto(principal), run=self._ref(entity, project, run),
            stream=stream, samples=samples, min_step=min_step, max_step=max_step)
        return list(self._call(self.storage.SampleHistoryLines, request).lines)

    # -- media -------------------------------------------------------------------------------
    @staticmethod
    def _open_stream(stream) -> tuple[int, Iterator[bytes]]:
        """Wait for the first chunk so errors (not found, bad signature) surface here."""
        stream = _stream(stream)
        first = next(stream)

        def chunks():
            if first.data:
                yield first.data
            for chunk in stream:
                yield chunk.data

        return first.total_size, chunks()

    @core_errors
    def upload_signed(self, key: str, expires: int, signature: str, body: Iterable[bytes],
                      method: str = "PUT") -> media_pb2.UploadReply:
        def messages():
            yield media_pb2.UploadChunk(header=media_pb2.SignedKey(
                key=key, expires=expires, signature=signature, method=method))
            for data in body:
                for start in range(0, len(data), UPLOAD_CHUNK):
                    yield media_pb2.UploadChunk(data=data[start:start + UPLOAD_CHUNK])

        return self.media.Upload(messages(), metadata=self._metadata)

    @core_errors
    def download_signed(self, key: str, expires: int, signature: str) -> tuple[int, Iterator[bytes]]:
        stream = self.media.Download(media_pb2.SignedKey(key=key, expires=expires,
                                                         signature=signature, method="GET"),
                                     metadata=self._metadata)
        return self._open_stream(stream)
