from roost.protos import auth_pb2 as _auth_pb2
from roost.protos import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class HealthReply(_message.Message):
    __slots__ = ("ok", "storage", "media", "detail")
    OK_FIELD_NUMBER: _ClassVar[int]
    STORAGE_FIELD_NUMBER: _ClassVar[int]
    MEDIA_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    ok: bool
    storage: str
    media: str
    detail: str
    def __init__(self, ok: _Optional[bool] = ..., storage: _Optional[str] = ..., media: _Optional[str] = ..., detail: _Optional[str] = ...) -> None: ...

class GetEntityRequest(_message.Message):
    __slots__ = ("principal", "name")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    name: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., name: _Optional[str] = ...) -> None: ...

class Entity(_message.Message):
    __slots__ = ("id", "name", "kind")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    kind: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class GetProjectRequest(_message.Message):
    __slots__ = ("principal", "entity", "name")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    name: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class Project(_message.Message):
    __slots__ = ("id", "entity", "name", "description", "created_at", "run_count")
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    RUN_COUNT_FIELD_NUMBER: _ClassVar[int]
    id: str
    entity: str
    name: str
    description: str
    created_at: float
    run_count: int
    def __init__(self, id: _Optional[str] = ..., entity: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., created_at: _Optional[float] = ..., run_count: _Optional[int] = ...) -> None: ...

class StringList(_message.Message):
    __slots__ = ("values",)
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, values: _Optional[_Iterable[str]] = ...) -> None: ...

class UpsertRunRequest(_message.Message):
    __slots__ = ("principal", "id", "entity", "project", "name", "display_name", "description", "notes", "group", "job_type", "config", "summary_metrics", "tags", "host", "commit", "program", "repo", "sweep", "state", "base_url", "stopped")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    JOB_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_METRICS_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    HOST_FIELD_NUMBER: _ClassVar[int]
    COMMIT_FIELD_NUMBER: _ClassVar[int]
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    REPO_FIELD_NUMBER: _ClassVar[int]
    SWEEP_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    STOPPED_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    id: str
    entity: str
    project: str
    name: str
    display_name: str
    description: str
    notes: str
    group: str
    job_type: str
    config: str
    summary_metrics: str
    tags: StringList
    host: str
    commit: str
    program: str
    repo: str
    sweep: str
    state: str
    base_url: str
    stopped: bool
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., id: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., name: _Optional[str] = ..., display_name: _Optional[str] = ..., description: _Optional[str] = ..., notes: _Optional[str] = ..., group: _Optional[str] = ..., job_type: _Optional[str] = ..., config: _Optional[str] = ..., summary_metrics: _Optional[str] = ..., tags: _Optional[_Union[StringList, _Mapping]] = ..., host: _Optional[str] = ..., commit: _Optional[str] = ..., program: _Optional[str] = ..., repo: _Optional[str] = ..., sweep: _Optional[str] = ..., state: _Optional[str] = ..., base_url: _Optional[str] = ..., stopped: _Optional[bool] = ...) -> None: ...

class UpsertRunReply(_message.Message):
    __slots__ = ("run", "inserted")
    RUN_FIELD_NUMBER: _ClassVar[int]
    INSERTED_FIELD_NUMBER: _ClassVar[int]
    run: Run
    inserted: bool
    def __init__(self, run: _Optional[_Union[Run, _Mapping]] = ..., inserted: _Optional[bool] = ...) -> None: ...

class Run(_message.Message):
    __slots__ = ("id", "entity", "project", "project_id", "name", "display_name", "state", "config", "summary_metrics", "system_metrics", "tags", "notes", "description", "group", "job_type", "host", "commit", "program", "sweep", "username", "created_at", "heartbeat_at", "updated_at", "history_line_count", "events_line_count", "log_line_count", "history_tail", "events_tail", "exitcode", "stopped", "history_keys", "user_display_name", "repo")
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_METRICS_FIELD_NUMBER: _ClassVar[int]
    SYSTEM_METRICS_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    JOB_TYPE_FIELD_NUMBER: _ClassVar[int]
    HOST_FIELD_NUMBER: _ClassVar[int]
    COMMIT_FIELD_NUMBER: _ClassVar[int]
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    SWEEP_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    HISTORY_LINE_COUNT_FIELD_NUMBER: _ClassVar[int]
    EVENTS_LINE_COUNT_FIELD_NUMBER: _ClassVar[int]
    LOG_LINE_COUNT_FIELD_NUMBER: _ClassVar[int]
    HISTORY_TAIL_FIELD_NUMBER: _ClassVar[int]
    EVENTS_TAIL_FIELD_NUMBER: _ClassVar[int]
    EXITCODE_FIELD_NUMBER: _ClassVar[int]
    STOPPED_FIELD_NUMBER: _ClassVar[int]
    HISTORY_KEYS_FIELD_NUMBER: _ClassVar[int]
    USER_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    REPO_FIELD_NUMBER: _ClassVar[int]
    id: str
    entity: str
    project: str
    project_id: str
    name: str
    display_name: str
    state: str
    config: str
    summary_metrics: str
    system_metrics: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    notes: str
    description: str
    group: str
    job_type: str
    host: str
    commit: str
    program: str
    sweep: str
    username: str
    created_at: float
    heartbeat_at: float
    updated_at: float
    history_line_count: int
    events_line_count: int
    log_line_count: int
    history_tail: str
    events_tail: str
    exitcode: int
    stopped: bool
    history_keys: str
    user_display_name: str
    repo: str
    def __init__(self, id: _Optional[str] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., project_id: _Optional[str] = ..., name: _Optional[str] = ..., display_name: _Optional[str] = ..., state: _Optional[str] = ..., config: _Optional[str] = ..., summary_metrics: _Optional[str] = ..., system_metrics: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ..., notes: _Optional[str] = ..., description: _Optional[str] = ..., group: _Optional[str] = ..., job_type: _Optional[str] = ..., host: _Optional[str] = ..., commit: _Optional[str] = ..., program: _Optional[str] = ..., sweep: _Optional[str] = ..., username: _Optional[str] = ..., created_at: _Optional[float] = ..., heartbeat_at: _Optional[float] = ..., updated_at: _Optional[float] = ..., history_line_count: _Optional[int] = ..., events_line_count: _Optional[int] = ..., log_line_count: _Optional[int] = ..., history_tail: _Optional[str] = ..., events_tail: _Optional[str] = ..., exitcode: _Optional[int] = ..., stopped: _Optional[bool] = ..., history_keys: _Optional[str] = ..., user_display_name: _Optional[str] = ..., repo: _Optional[str] = ...) -> None: ...

class GetRunRequest(_message.Message):
    __slots__ = ("principal", "run", "id")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    run: _common_pb2.RunRef
    id: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., run: _Optional[_Union[_common_pb2.RunRef, _Mapping]] = ..., id: _Optional[str] = ...) -> None: ...

class FileStreamRequest(_message.Message):
    __slots__ = ("principal", "credentials", "run", "body")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    credentials: _auth_pb2.Credentials
    run: _common_pb2.RunRef
    body: bytes
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., credentials: _Optional[_Union[_auth_pb2.Credentials, _Mapping]] = ..., run: _Optional[_Union[_common_pb2.RunRef, _Mapping]] = ..., body: _Optional[bytes] = ...) -> None: ...

class FileStreamReply(_message.Message):
    __slots__ = ("stopped", "lines")
    STOPPED_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    stopped: bool
    lines: int
    def __init__(self, stopped: _Optional[bool] = ..., lines: _Optional[int] = ...) -> None: ...

class RunFilesRequest(_message.Message):
    __slots__ = ("principal", "run", "names", "base_url")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    NAMES_FIELD_NUMBER: _ClassVar[int]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    run: _common_pb2.RunRef
    names: _containers.RepeatedScalarFieldContainer[str]
    base_url: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., run: _Optional[_Union[_common_pb2.RunRef, _Mapping]] = ..., names: _Optional[_Iterable[str]] = ..., base_url: _Optional[str] = ...) -> None: ...

class RunFileUpload(_message.Message):
    __slots__ = ("name", "upload_url")
    NAME_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_URL_FIELD_NUMBER: _ClassVar[int]
    name: str
    upload_url: str
    def __init__(self, name: _Optional[str] = ..., upload_url: _Optional[str] = ...) -> None: ...

class RunFileUploads(_message.Message):
    __slots__ = ("run_id", "upload_headers", "files")
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_HEADERS_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    upload_headers: _containers.RepeatedScalarFieldContainer[str]
    files: _containers.RepeatedCompositeFieldContainer[RunFileUpload]
    def __init__(self, run_id: _Optional[str] = ..., upload_headers: _Optional[_Iterable[str]] = ..., files: _Optional[_Iterable[_Union[RunFileUpload, _Mapping]]] = ...) -> None: ...

class RunFile(_message.Message):
    __slots__ = ("id", "name", "size", "md5", "mimetype", "updated_at", "direct_url", "uploaded")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    MD5_FIELD_NUMBER: _ClassVar[int]
    MIMETYPE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    DIRECT_URL_FIELD_NUMBER: _ClassVar[int]
    UPLOADED_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    size: int
    md5: str
    mimetype: str
    updated_at: float
    direct_url: str
    uploaded: bool
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., size: _Optional[int] = ..., md5: _Optional[str] = ..., mimetype: _Optional[str] = ..., updated_at: _Optional[float] = ..., direct_url: _Optional[str] = ..., uploaded: _Optional[bool] = ...) -> None: ...

class ListRunFilesRequest(_message.Message):
    __slots__ = ("principal", "run", "names", "base_url", "after", "first", "pattern")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    NAMES_FIELD_NUMBER: _ClassVar[int]
    BASE_URL_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    FIRST_FIELD_NUMBER: _ClassVar[int]
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    run: _common_pb2.RunRef
    names: _containers.RepeatedScalarFieldContainer[str]
    base_url: str
    after: str
    first: int
    pattern: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., run: _Optional[_Union[_common_pb2.RunRef, _Mapping]] = ..., names: _Optional[_Iterable[str]] = ..., base_url: _Optional[str] = ..., after: _Optional[str] = ..., first: _Optional[int] = ..., pattern: _Optional[str] = ...) -> None: ...

class RunFileList(_message.Message):
    __slots__ = ("files", "has_next_page", "total")
    FILES_FIELD_NUMBER: _ClassVar[int]
    HAS_NEXT_PAGE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    files: _containers.RepeatedCompositeFieldContainer[RunFile]
    has_next_page: bool
    total: int
    def __init__(self, files: _Optional[_Iterable[_Union[RunFile, _Mapping]]] = ..., has_next_page: _Optional[bool] = ..., total: _Optional[int] = ...) -> None: ...

class ReadRunFileRequest(_message.Message):
    __slots__ = ("principal", "run", "name")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    run: _common_pb2.RunRef
    name: str
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., run: _Optional[_Union[_common_pb2.RunRef, _Mapping]] = ..., name: _Optional[str] = ...) -> None: ...

class BytesChunk(_message.Message):
    __slots__ = ("data", "total_size", "content_type")
    DATA_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    total_size: int
    content_type: str
    def __init__(self, data: _Optional[bytes] = ..., total_size: _Optional[int] = ..., content_type: _Optional[str] = ...) -> None: ...

class ReadConsoleRequest(_message.Message):
    __slots__ = ("principal", "run", "offset", "limit")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    run: _common_pb2.RunRef
    offset: int
    limit: int
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., run: _Optional[_Union[_common_pb2.RunRef, _Mapping]] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class ConsoleLines(_message.Message):
    __slots__ = ("offset", "lines", "total")
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    offset: int
    lines: _containers.RepeatedScalarFieldContainer[str]
    total: int
    def __init__(self, offset: _Optional[int] = ..., lines: _Optional[_Iterable[str]] = ..., total: _Optional[int] = ...) -> None: ...

class ReadHistoryRequest(_message.Message):
    __slots__ = ("principal", "run", "stream", "min_step", "max_step", "limit")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    STREAM_FIELD_NUMBER: _ClassVar[int]
    MIN_STEP_FIELD_NUMBER: _ClassVar[int]
    MAX_STEP_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    run: _common_pb2.RunRef
    stream: str
    min_step: int
    max_step: int
    limit: int
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., run: _Optional[_Union[_common_pb2.RunRef, _Mapping]] = ..., stream: _Optional[str] = ..., min_step: _Optional[int] = ..., max_step: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class HistoryLines(_message.Message):
    __slots__ = ("lines",)
    LINES_FIELD_NUMBER: _ClassVar[int]
    lines: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, lines: _Optional[_Iterable[str]] = ...) -> None: ...

class ListProjectsRequest(_message.Message):
    __slots__ = ("principal", "entity", "after", "first")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    FIRST_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    after: str
    first: int
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., after: _Optional[str] = ..., first: _Optional[int] = ...) -> None: ...

class ProjectList(_message.Message):
    __slots__ = ("projects", "has_next_page")
    PROJECTS_FIELD_NUMBER: _ClassVar[int]
    HAS_NEXT_PAGE_FIELD_NUMBER: _ClassVar[int]
    projects: _containers.RepeatedCompositeFieldContainer[Project]
    has_next_page: bool
    def __init__(self, projects: _Optional[_Iterable[_Union[Project, _Mapping]]] = ..., has_next_page: _Optional[bool] = ...) -> None: ...

class ListRunsRequest(_message.Message):
    __slots__ = ("principal", "entity", "project", "filters", "order", "after", "first")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    FIRST_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    entity: str
    project: str
    filters: str
    order: str
    after: str
    first: int
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., entity: _Optional[str] = ..., project: _Optional[str] = ..., filters: _Optional[str] = ..., order: _Optional[str] = ..., after: _Optional[str] = ..., first: _Optional[int] = ...) -> None: ...

class RunCount(_message.Message):
    __slots__ = ("count",)
    COUNT_FIELD_NUMBER: _ClassVar[int]
    count: int
    def __init__(self, count: _Optional[int] = ...) -> None: ...

class RunList(_message.Message):
    __slots__ = ("runs", "cursors", "has_next_page", "end_cursor")
    RUNS_FIELD_NUMBER: _ClassVar[int]
    CURSORS_FIELD_NUMBER: _ClassVar[int]
    HAS_NEXT_PAGE_FIELD_NUMBER: _ClassVar[int]
    END_CURSOR_FIELD_NUMBER: _ClassVar[int]
    runs: _containers.RepeatedCompositeFieldContainer[Run]
    cursors: _containers.RepeatedScalarFieldContainer[str]
    has_next_page: bool
    end_cursor: str
    def __init__(self, runs: _Optional[_Iterable[_Union[Run, _Mapping]]] = ..., cursors: _Optional[_Iterable[str]] = ..., has_next_page: _Optional[bool] = ..., end_cursor: _Optional[str] = ...) -> None: ...

class HistorySpec(_message.Message):
    __slots__ = ("keys", "samples", "min_step", "max_step")
    KEYS_FIELD_NUMBER: _ClassVar[int]
    SAMPLES_FIELD_NUMBER: _ClassVar[int]
    MIN_STEP_FIELD_NUMBER: _ClassVar[int]
    MAX_STEP_FIELD_NUMBER: _ClassVar[int]
    keys: _containers.RepeatedScalarFieldContainer[str]
    samples: int
    min_step: int
    max_step: int
    def __init__(self, keys: _Optional[_Iterable[str]] = ..., samples: _Optional[int] = ..., min_step: _Optional[int] = ..., max_step: _Optional[int] = ...) -> None: ...

class SampleHistoryRequest(_message.Message):
    __slots__ = ("principal", "run", "specs")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    SPECS_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    run: _common_pb2.RunRef
    specs: _containers.RepeatedCompositeFieldContainer[HistorySpec]
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., run: _Optional[_Union[_common_pb2.RunRef, _Mapping]] = ..., specs: _Optional[_Iterable[_Union[HistorySpec, _Mapping]]] = ...) -> None: ...

class SampledHistory(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, results: _Optional[_Iterable[str]] = ...) -> None: ...

class SampleHistoryLinesRequest(_message.Message):
    __slots__ = ("principal", "run", "stream", "samples", "min_step", "max_step")
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    RUN_FIELD_NUMBER: _ClassVar[int]
    STREAM_FIELD_NUMBER: _ClassVar[int]
    SAMPLES_FIELD_NUMBER: _ClassVar[int]
    MIN_STEP_FIELD_NUMBER: _ClassVar[int]
    MAX_STEP_FIELD_NUMBER: _ClassVar[int]
    principal: _common_pb2.Principal
    run: _common_pb2.RunRef
    stream: str
    samples: int
    min_step: int
    max_step: int
    def __init__(self, principal: _Optional[_Union[_common_pb2.Principal, _Mapping]] = ..., run: _Optional[_Union[_common_pb2.RunRef, _Mapping]] = ..., stream: _Optional[str] = ..., samples: _Optional[int] = ..., min_step: _Optional[int] = ..., max_step: _Optional[int] = ...) -> None: ...
