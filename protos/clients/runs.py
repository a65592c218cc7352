"""Calls of StorageService (protos/storage.proto): entities, projects, runs, file_stream, run
files, console, history, and the Public API's reads."""

from __future__ import annotations

import json
from typing import Iterator

from roost.core.auth import Credentials, Principal
from roost.core.errors import NotFound
from roost.protos import common_pb2, storage_pb2
from roost.protos.clients.base import Rpc
from roost.protos.wire import credentials_to_proto, principal_to_proto


def run_ref(entity: str, project: str, run: str) -> common_pb2.RunRef:
    return common_pb2.RunRef(entity=entity, project=project, run=run)


class RunCalls(Rpc):
    _storage: "storage_pb2_grpc.StorageServiceStub"  # noqa: F821 (set by CoreClient)

    def health(self) -> storage_pb2.HealthReply:
        return self._send(self._storage.Health, common_pb2.Empty(), timeout=5)

    def get_entity(self, principal: Principal, name: str) -> storage_pb2.Entity:
        return self._call(self._storage.GetEntity, storage_pb2.GetEntityRequest, principal,
                          name=name)

    def get_project(self, principal: Principal, entity: str, name: str) -> storage_pb2.Project:
        return self._call(self._storage.GetProject, storage_pb2.GetProjectRequest, principal,
                          entity=entity, name=name)

    def upsert_run(self, principal: Principal, base_url: str,
                   **fields) -> storage_pb2.UpsertRunReply:
        if fields.get("tags") is not None:
            fields["tags"] = storage_pb2.StringList(values=fields["tags"])
        return self._call(self._storage.UpsertRun, storage_pb2.UpsertRunRequest, principal,
                          base_url=base_url, **fields)

    def get_run(self, principal: Principal, entity: str, project: str,
                run: str) -> storage_pb2.Run:
        return self._call(self._storage.GetRun, storage_pb2.GetRunRequest, principal,
                          run=run_ref(entity, project, run))

    def find_run(self, principal: Principal, entity: str, project: str, run: str):
        """The run, or None when it does not exist."""
        try:
            return self.get_run(principal, entity, project, run)
        except NotFound:
            return None

    def delete_run(self, principal: Principal, run_id: str) -> None:
        self._call(self._storage.DeleteRun, storage_pb2.GetRunRequest, principal, id=run_id)

    def write_file_stream(self, caller: Principal | Credentials, entity: str, project: str,
                          run: str, body: bytes) -> storage_pb2.FileStreamReply:
        """Forward one file_stream POST body; ``caller`` is the principal, or the request's
        credentials for the core to check in the same call. The reply says whether the run
        was asked to stop and how many lines the body carried."""
        request = storage_pb2.FileStreamRequest(run=run_ref(entity, project, run), body=body)
        if isinstance(caller, Credentials):
            request.credentials.CopyFrom(credentials_to_proto(caller))
        else:
            request.principal.CopyFrom(principal_to_proto(caller))
        return self._send(self._storage.WriteFileStream, request)

    def prepare_run_file_uploads(self, principal: Principal, entity: str, project: str, run: str,
                                 names: list[str], base_url: str) -> storage_pb2.RunFileUploads:
        return self._call(self._storage.PrepareRunFileUploads, storage_pb2.RunFilesRequest,
                          principal, run=run_ref(entity, project, run), names=names,
                          base_url=base_url)

    def mark_run_files_uploaded(self, principal: Principal, entity: str, project: str, run: str,
                                names: list[str]) -> None:
        self._call(self._storage.MarkRunFilesUploaded, storage_pb2.RunFilesRequest, principal,
                   run=run_ref(entity, project, run), names=names)

    def list_run_files(self, principal: Principal, entity: str, project: str, run: str,
                       base_url: str, names: list[str] = (), after: str = "", first: int = 0,
                       pattern: str = "") -> storage_pb2.RunFileList:
        return self._call(self._storage.ListRunFiles, storage_pb2.ListRunFilesRequest, principal,
                          run=run_ref(entity, project, run), names=list(names),
                          base_url=base_url, after=after, first=first, pattern=pattern or "")

    def read_run_file(self, principal: Principal, entity: str, project: str, run: str,
                      name: str) -> tuple[int, Iterator[bytes]]:
        return self._open_stream(self._storage.ReadRunFile, storage_pb2.ReadRunFileRequest(
            principal=principal_to_proto(principal), run=run_ref(entity, project, run),
            name=name))

    def read_console(self, principal: Principal, entity: str, project: str, run: str,
                     offset: int = 0, limit: int = 1000) -> storage_pb2.ConsoleLines:
        return self._call(self._storage.ReadConsole, storage_pb2.ReadConsoleRequest, principal,
                          run=run_ref(entity, project, run), offset=offset, limit=limit)

    def read_history(self, principal: Principal, entity: str, project: str, run: str,
                     stream: str = "history", min_step: int | None = None,
                     max_step: int | None = None, limit: int = 0) -> list[str]:
        return list(self._call(self._storage.ReadHistory, storage_pb2.ReadHistoryRequest,
                               principal, run=run_ref(entity, project, run), stream=stream,
                               limit=limit, min_step=min_step, max_step=max_step).lines)

    # -- the Public API's reads --------------------------------------------------------------
    def list_projects_page(self, principal: Principal, entity: str, after: str = "",
                           first: int = 50) -> storage_pb2.ProjectList:
        return self._call(self._storage.ListProjects, storage_pb2.ListProjectsRequest, principal,
                          entity=entity, after=after or "", first=first)

    def count_runs(self, principal: Principal, entity: str, project: str,
                   filters: str = "") -> int:
        return self._call(self._storage.CountRuns, storage_pb2.ListRunsRequest, principal,
                          entity=entity, project=project, filters=filters or "").count

    def list_runs(self, principal: Principal, entity: str, project: str, filters: str = "",
                  order: str = "", after: str = "", first: int = 50) -> storage_pb2.RunList:
        return self._call(self._storage.ListRuns, storage_pb2.ListRunsRequest, principal,
                          entity=entity, project=project, filters=filters or "",
                          order=order or "", after=after or "", first=first)

    def sample_history(self, principal: Principal, entity: str, project: str, run: str,
                       specs: list[dict]) -> list[list[dict]]:
        """Per spec ``{"keys", "samples", "min_step"?, "max_step"?}``: its rows."""
        reply = self._call(self._storage.SampleHistory, storage_pb2.SampleHistoryRequest,
                           principal, run=run_ref(entity, project, run),
                           specs=[storage_pb2.HistorySpec(**spec) for spec in specs])
        return [json.loads(rows) for rows in reply.results]

    def sample_history_lines(self, principal: Principal, entity: str, project: str, run: str,
                             stream: str, samples: int, min_step: int | None = None,
                             max_step: int | None = None) -> list[str]:
        return list(self._call(self._storage.SampleHistoryLines,
                               storage_pb2.SampleHistoryLinesRequest, principal,
                               run=run_ref(entity, project, run), stream=stream,
                               samples=samples, min_step=min_step, max_step=max_step).lines)
