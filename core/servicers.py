"""gRPC servicers of StorageService (runs, ingest, run files) and MediaService (signed
transfer): decode the request, call the area's service, encode the reply. Nothing else.

Also the error translation every servicer of the core uses (``translating_errors``,
``streaming_errors``)."""

from __future__ import annotations

import functools
import json
import logging

import grpc

from roost.core import file_stream
from roost.core.errors import RoostError
from roost.protos.wire import (credentials_from_proto, message_to_dict, principal_from_proto,
                               run_to_proto)
from roost.protos import common_pb2, media_pb2, media_pb2_grpc, storage_pb2, storage_pb2_grpc

log = logging.getLogger("roost.core")


def _abort(context, exc: Exception):
    if isinstance(exc, RoostError):
        context.abort(exc.grpc_code, exc.message)
    log.exception("internal error")
    context.abort(grpc.StatusCode.INTERNAL, f"internal error: {exc.__class__.__name__}")


def translating_errors(method):
    """Turn the core's errors into gRPC statuses that carry the message for the person."""
    @functools.wraps(method)
    def wrapper(self, request, context):
        try:
            return method(self, request, context)
        except Exception as exc:  # every failure becomes a status; the front maps it to HTTP
            if isinstance(exc, grpc.RpcError):
                raise
            _abort(context, exc)
    return wrapper


def streaming_errors(method):
    @functools.wraps(method)
    def wrapper(self, request, context):
        try:
            yield from method(self, request, context)
        except Exception as exc:
            _abort(context, exc)
    return wrapper


def _ref(request):
    return request.run.entity, request.run.project, request.run.run


class StorageServicer(storage_pb2_grpc.StorageServiceServicer):
    def __init__(self, core):
        self.runs = core.runs
        self.ingest = core.ingest
        self.run_files = core.run_files
        self.authenticate = core.accounts.authenticate
        self.health = core.health

    @translating_errors
    def Health(self, request, context):
        return storage_pb2.HealthReply(**self.health())

    @translating_errors
    def GetEntity(self, request, context):
        return storage_pb2.Entity(**self.runs.get_entity(principal_from_proto(request.principal),
                                                         request.name))

    @translating_errors
    def GetProject(self, request, context):
        return storage_pb2.Project(**self.runs.get_project(
            principal_from_proto(request.principal), request.entity, request.name))

    @translating_errors
    def UpsertRun(self, request, context):
        fields = message_to_dict(request)
        fields.pop("principal", None)
        fields.pop("base_url", None)
        if "tags" in fields:
            fields["tags"] = list(request.tags.values)
        run, inserted = self.runs.upsert_run(principal_from_proto(request.principal), fields)
        return storage_pb2.UpsertRunReply(run=run_to_proto(run), inserted=inserted)

    @translating_errors
    def GetRun(self, request, context):
        return run_to_proto(self.runs.get_run(principal_from_proto(request.principal),
                                              *_ref(request)))

    @translating_errors
    def DeleteRun(self, request, context):
        self.runs.delete_run(principal_from_proto(request.principal), request.id)
        return common_pb2.Empty()

    @translating_errors
    def WriteFileStream(self, request, context):
        # Authenticated before the body is read: a request with a wrong key learns nothing
        # about what it sent.
        principal = (self.authenticate(credentials_from_proto(request.credentials))
                     if request.HasField("credentials")
                     else principal_from_proto(request.principal))
        body = file_stream.parse_body(request.body)
        run = self.ingest.write_file_stream(principal, *_ref(request), body.files, body.uploaded,
                                            body.complete, body.exitcode, body.preempting)
        return storage_pb2.FileStreamReply(
            stopped=run["stopped"], lines=sum(len(lines) for _, lines in body.files.values()))

    @translating_errors
    def PrepareRunFileUploads(self, request, context):
        run, uploads = self.run_files.prepare_run_file_uploads(
            principal_from_proto(request.principal), *_ref(request), list(request.names),
            request.base_url)
        headers = sorted({h for u in uploads for h in u["headers"]})
        return storage_pb2.RunFileUploads(
            run_id=run["id"], upload_headers=headers,
            files=[storage_pb2.RunFileUpload(name=u["name"], upload_url=u["upload_url"])
                   for u in uploads])

    @translating_errors
    def MarkRunFilesUploaded(self, request, context):
        self.run_files.mark_run_files_uploaded(principal_from_proto(request.principal),
                                               *_ref(request), list(request.names))
        return common_pb2.Empty()

    @translating_errors
    def ListRunFiles(self, request, context):
        files, has_next, total = self.run_files.list_run_files(
            principal_from_proto(request.principal), *_ref(request), list(request.names),
            request.after, request.first, request.pattern, request.base_url)
        return storage_pb2.RunFileList(
            files=[storage_pb2.RunFile(**{k: v for k, v in f.items() if k != "key"}) for f in files],
            has_next_page=has_next, total=total)

    @streaming_errors
    def ReadRunFile(self, request, context):
        size, chunks = self.run_files.read_run_file(principal_from_proto(request.principal),
                                                    *_ref(request), request.name)
        first = True
        for data in chunks:
            yield storage_pb2.BytesChunk(data=data, total_size=size if first else 0)
            first = False
        if first:
            yield storage_pb2.BytesChunk(data=b"", total_size=0)

    @translating_errors
    def ReadConsole(self, request, context):
        lines, total = self.runs.read_console(principal_from_proto(request.principal),
                                              *_ref(request), request.offset, request.limit)
        return storage_pb2.ConsoleLines(offset=request.offset, lines=lines, total=total)

    @translating_errors
    def ReadHistory(self, request, context):
        lines = self.runs.read_history(
            principal_from_proto(request.principal), *_ref(request), request.stream or "history",
            request.min_step if request.HasField("min_step") else None,
            request.max_step if request.HasField("max_step") else None, request.limit)
        return storage_pb2.HistoryLines(lines=lines)

    @staticmethod
    def _project(project: dict) -> storage_pb2.Project:
        return storage_pb2.Project(**{k: v for k, v in project.items()
                                      if k in storage_pb2.Project.DESCRIPTOR.fields_by_name})

    @translating_errors
    def ListProjects(self, request, context):
        projects, more = self.runs.list_projects_page(
            principal_from_proto(request.principal), request.entity, request.after,
            request.first)
        return storage_pb2.ProjectList(projects=[self._project(p) for p in projects],
                                       has_next_page=more)

    @translating_errors
    def CountRuns(self, request, context):
        return storage_pb2.RunCount(count=self.runs.count_runs(
            principal_from_proto(request.principal), request.entity, request.project,
            request.filters))

    @translating_errors
    def ListRuns(self, request, context):
        runs, cursors, more = self.runs.list_runs(
            principal_from_proto(request.principal), request.entity, request.project,
            request.filters, request.order, request.after, request.first)
        return storage_pb2.RunList(runs=[run_to_proto(run) for run in runs], cursors=cursors,
                                   has_next_page=more, end_cursor=cursors[-1] if cursors else "")

    @translating_errors
    def SampleHistory(self, request, context):
        specs = [{"keys": list(spec.keys), "samples": spec.samples,
                  "min_step": spec.min_step if spec.HasField("min_step") else None,
                  "max_step": spec.max_step if spec.HasField("max_step") else None}
                 for spec in request.specs]
        results = self.runs.sample_history(principal_from_proto(request.principal),
                                           *_ref(request), specs)
        # json, not orjson: values may be NaN or Infinity, which must survive as logged.
        return storage_pb2.SampledHistory(
            results=[json.dumps(rows, separators=(",", ":")) for rows in results])

    @translating_errors
    def SampleHistoryLines(self, request, context):
        lines = self.runs.sample_history_lines(
            principal_from_proto(request.principal), *_ref(request), request.stream or "history",
            request.samples, request.min_step if request.HasField("min_step") else None,
            request.max_step if request.HasField("max_step") else None)
        return storage_pb2.HistoryLines(lines=lines)


class MediaServicer(media_pb2_grpc.MediaServiceServicer):
    def __init__(self, core):
        self.transfer = core.transfer

    def Upload(self, request_iterator, context):
        try:
            first = next(request_iterator)
            if first.WhichOneof("part") != "header":
                raise ValueError("the first upload message must be the signed header")
            header = first.header
            size, md5 = self.transfer.upload(
                header.method or "PUT", header.key, header.expires, header.signature,
                (message.data for message in request_iterator))
            return media_pb2.UploadReply(key=header.key, size=size, md5=md5)
        except Exception as exc:
            _abort(context, exc)

    @streaming_errors
    def Download(self, request, context):
        size, chunks = self.transfer.download(request.key, request.expires, request.signature)
        first = True
        for data in chunks:
            yield media_pb2.BlobChunk(data=data, total_size=size if first else 0)
            first = False
        if first:
            yield media_pb2.BlobChunk(data=b"", total_size=0)
